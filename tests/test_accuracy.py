"""Accuracy in ULPs over the whole range, at every ISA level.

float32 is checked against the registry's float64 reference on a dense
sample (every binade, tails, subnormals); the reference is itself checked
against the mpmath definition.  float64 is checked against mpmath.
The exhaustive 2^32 sweep is `python -m actcore accuracy --exhaustive`.
"""
import functools

import mpmath
import numpy as np
import pytest

from actcore.accuracy import dense_sample, ulp_error
from cases import CASE_IDS, CASES, call, rounded_params

X32 = dense_sample(np.float32, 1 << 19, seed=1)


def _mp_points(n=600, seed=5):
    rng = np.random.default_rng(seed)
    return np.concatenate([
        rng.uniform(-40, 40, n), rng.uniform(-2, 2, n // 4),
        np.sign(rng.standard_normal(n // 2)) * np.exp(rng.uniform(-700, 700, n // 2)),
        [0.0, -0.0, 1e-310, -1e-310, 5e-324, 1.7e308, -1.7e308, 37.5, -37.5, -38.4, -745.0, 709.0],
    ])


X64 = _mp_points()


@functools.lru_cache(maxsize=None)
def _exact(case_index):
    _, act, params = CASES[case_index]
    p = rounded_params(params, np.float64)
    return np.array([float(act.exact(mpmath.mpf(float(v)), **p)) for v in X64])


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_float32_ulp(case, isa):
    label, act, params = CASES[case]
    with np.errstate(all="ignore"):
        y = call(act, X32, params)
        ref = act.reference(X32.astype(np.float64), **rounded_params(params, np.float32))
    err = ulp_error(y, ref, np.float32)
    i = int(np.argmax(err))
    assert err[i] <= act.ulp["float32"], f"{label} [{isa}]: {err[i]:.2f} ulp at x={X32[i]!r}: {y[i]!r} vs {ref[i]!r}"


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_float64_ulp_vs_mpmath(case, isa):
    label, act, params = CASES[case]
    with np.errstate(all="ignore"):
        y = call(act, X64, params)
    exact = _exact(case)
    err = ulp_error(y, exact, np.float64)
    i = int(np.argmax(err))
    assert err[i] <= act.ulp["float64"], f"{label} [{isa}]: {err[i]:.2f} ulp at x={X64[i]!r}: {y[i]!r} vs {exact[i]!r}"


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_reference_is_good_enough_to_judge_float32(case):
    """The float64 reference must be far more accurate than a float32 ulp
    (2^-32 relative here, so at most 1/256 of a float32 ulp)."""
    label, act, params = CASES[case]
    x = X64[np.abs(X64) < 3e38].astype(np.float32).astype(np.float64)
    p = rounded_params(params, np.float32)
    exact = np.array([float(act.exact(mpmath.mpf(float(v)), **p)) for v in x])
    with np.errstate(all="ignore"):
        ref = act.reference(x, **p)
        rel = np.abs(ref - exact) / np.maximum(np.abs(exact), np.finfo(np.float32).tiny)
    i = int(np.argmax(rel))
    assert rel[i] <= 2.0**-32, f"{label}: reference off by {rel[i]:.3g} (relative) at x={x[i]!r}"
