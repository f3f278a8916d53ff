"""No spurious floating-point flags: where the true result is a finite normal
number, no overflow, underflow, invalid or divide-by-zero may be raised
(NumPy turns them into warnings or, under errstate(all='raise'), errors).
Where the result rounds to zero only underflow is allowed."""
import numpy as np
import pytest

from cases import CASE_IDS, CASES, FLOATS, adversarial, call, rounded_params


def _first_raising(act, params, xs, errstate):
    for start in range(0, len(xs), 2048):
        chunk = xs[start:start + 2048]
        try:
            with np.errstate(**errstate):
                call(act, chunk, params)
        except FloatingPointError:
            for v in chunk:
                try:
                    with np.errstate(**errstate):
                        call(act, np.full(40, v), params)
                except FloatingPointError as exc:
                    return v, str(exc)
    return None


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_no_spurious_flags(case, dtype, isa, single_thread):
    label, act, params = CASES[case]
    x = adversarial(dtype, 1 << 15, seed=7)
    x = np.concatenate([x, np.geomspace(1e-38 if dtype == np.float32 else 1e-307, 1e-20, 2000).astype(dtype),
                        -np.geomspace(1e-38 if dtype == np.float32 else 1e-307, 1e-20, 2000).astype(dtype)])
    fi = np.finfo(dtype)
    with np.errstate(all="ignore"):
        ref = act.reference(x.astype(np.float64), **rounded_params(params, dtype))
    normal = np.isfinite(ref) & (np.abs(ref) >= 2 * float(fi.tiny)) & (np.abs(ref) <= float(fi.max) * (1 - 4 * float(fi.eps)))
    special = ~np.isfinite(x)
    bad = _first_raising(act, params, np.concatenate([x[normal], x[special]]).astype(dtype), {"all": "raise"})
    assert bad is None, f"{label} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"
    bad = _first_raising(act, params, x[ref == 0], {"all": "raise", "under": "ignore"})
    assert bad is None, f"{label} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"
