"""Special values: NaN, +-inf limits, signed zeros, and the named failures of
other libraries (DESIGN.md) that actcore must not repeat."""
import math

import mpmath
import numpy as np
import pytest

import actcore
from actcore.accuracy import ulp_error
from cases import CASE_IDS, CASES, FLOATS, call, rounded_params, special_values


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_nan_and_infinity(case, dtype, isa):
    _, act, params = CASES[case]
    x = np.array([np.nan, np.inf, -np.inf, np.nan, 1.0] * 7, dtype=dtype)  # spans a vector tail
    y = call(act, x, params)
    lo, hi = act.limits(**rounded_params(params, dtype))
    assert np.isnan(y[0::5]).all() and np.isnan(y[3::5]).all()
    np.testing.assert_array_equal(y[1::5], np.asarray(hi, dtype))
    np.testing.assert_array_equal(y[2::5], np.asarray(lo, dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_special_values_accurate(case, dtype, isa):
    """Extremes (FLT_MAX, subnormals, tail boundaries) within the ulp budget:
    float32 against the float64 reference, float64 against mpmath."""
    label, act, params = CASES[case]
    x = special_values(dtype)
    x = x[np.isfinite(x)]
    p = rounded_params(params, dtype)
    with np.errstate(all="ignore"):
        y = call(act, x, params)
        if dtype == np.float32:
            ref = act.reference(x.astype(np.float64), **p)
        else:
            ref = np.array([float(act.exact(mpmath.mpf(float(v)), **p)) for v in x])
    err = ulp_error(y, ref, dtype)
    budget = act.ulp["float32" if dtype == np.float32 else "float64"]
    assert err.max() <= budget, f"{label}: {err.max():.2f} ulp at x={x[np.argmax(err)]!r}"


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", [c for c in range(len(CASES)) if CASES[c][1].odd],
                         ids=[CASE_IDS[c] for c in range(len(CASES)) if CASES[c][1].odd])
def test_odd_functions_keep_the_sign_of_zero(case, dtype, isa):
    _, act, params = CASES[case]
    y = call(act, np.array([0.0, -0.0], dtype=dtype), params)
    assert list(np.signbit(y)) == [False, True]


# The failures DESIGN.md measured in torch / onnxruntime / textbook formulas.
def test_gelu_of_huge_and_infinite_inputs(isa):
    assert actcore.gelu(np.float32(3e38)) == np.float32(3e38)
    assert actcore.gelu(np.float32(np.inf)) == np.inf
    assert actcore.gelu(np.float32(-np.inf)) == 0
    assert actcore.gelu(np.float64(1.7e308)) == 1.7e308


def test_gelu_tanh_tail_is_not_cancelled(isa):
    # torch returns -0.0 near x = -5 (1 + tanh(u) cancels); the true value is ~ -1e-7... -1e-8
    for x in (-5.0, -6.0, -8.0):
        y = actcore.gelu(np.float32(x), approximate="tanh")
        u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        true = x / (1 + math.exp(-2 * u))
        assert y != 0 and abs(y - true) <= 2 * np.spacing(np.float32(abs(true)))


def test_sigmoid_negative_tail_is_relative_accurate(isa):
    # onnxruntime clamps at |x| = 18: sigmoid(-17.6) comes out 7x too large
    x = np.float32(-17.6)
    y = actcore.sigmoid(x)
    true = 1 / (1 + math.exp(-float(x)))
    assert abs(y - true) / true < 2e-7


def test_elu_uses_expm1_near_zero(isa):
    # onnxruntime returns 0 for elu(-2e-31)
    assert actcore.elu(np.float32(-2e-31)) == np.float32(-2e-31)
    assert actcore.elu(np.float64(-2e-31)) == -2e-31


def test_softplus_never_overflows(isa):
    assert actcore.softplus(np.float32(1e30)) == np.float32(1e30)
    assert actcore.softplus(np.float32(1e30), threshold=np.inf) == np.float32(1e30)
    assert actcore.softplus(np.float32(100.0), threshold=1000.0) == np.float32(100.0)


@pytest.mark.parametrize("name", ["silu", "mish", "gelu", "sigmoid", "softplus", "quick_gelu"])
def test_limits_at_minus_infinity_are_exact_zero(name, isa):
    assert getattr(actcore, name)(np.float32(-np.inf)) == 0
