"""Derivatives and fused backward passes, for every activation whose kernel
file exports them (registry `c_derivatives`)."""
import mpmath
import numpy as np
import pytest

import actcore
from actcore import functional
from actcore.accuracy import dense_sample, ulp_error
from cases import CASES, rounded_params

DCASES = [c for c in CASES if c[1].c_derivatives]
DIDS = [c[0] for c in DCASES]
X32 = dense_sample(np.float32, 1 << 18, seed=21)
# float32 derivative budget (issue: <= 4 ulp against the float64 analytic derivative)
BUDGET32 = 4.0


def deriv(act, x, params, **kw):
    return getattr(functional, f"{act.name}_derivative")(x, **params, **kw)


def backward(act, g, x, params, **kw):
    return getattr(functional, f"{act.name}_backward")(g, x, **params, **kw)


@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_derivative_float32_ulp(case, isa):
    label, act, params = DCASES[case]
    with np.errstate(all="ignore"):
        d = deriv(act, X32, params)
        ref = act.derivative(X32.astype(np.float64), **rounded_params(params, np.float32))
    err = ulp_error(d, ref, np.float32)
    i = int(np.argmax(err))
    assert err[i] <= BUDGET32, f"{label} [{isa}]: {err[i]:.2f} ulp at x={X32[i]!r}: {d[i]!r} vs {ref[i]!r}"


@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_backward_is_grad_times_derivative(case, isa):
    label, act, params = DCASES[case]
    rng = np.random.default_rng(22)
    g = rng.standard_normal(X32.size).astype(np.float32)
    with np.errstate(all="ignore"):
        b = backward(act, g, X32, params)
        ref = g.astype(np.float64) * act.derivative(X32.astype(np.float64), **rounded_params(params, np.float32))
    err = ulp_error(b, ref, np.float32)
    i = int(np.argmax(err))
    assert err[i] <= BUDGET32 + 0.5, f"{label} [{isa}]: {err[i]:.2f} ulp at x={X32[i]!r}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_derivative_special_values(case, dtype, isa):
    _, act, params = DCASES[case]
    x = np.array([np.nan, np.inf, -np.inf] * 6, dtype)
    d = deriv(act, x, params)
    lo, hi = act.derivative_limits(**rounded_params(params, dtype))
    assert np.isnan(d[0::3]).all()
    np.testing.assert_array_equal(d[1::3], np.asarray(hi, dtype))
    np.testing.assert_array_equal(d[2::3], np.asarray(lo, dtype))
    g = np.full(x.shape, 2.0, dtype)
    b = backward(act, g, x, params)
    assert np.isnan(b[0::3]).all()
    np.testing.assert_array_equal(b[1::3], 2 * np.asarray(hi, dtype))


@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_analytic_reference_matches_finite_differences(case):
    """The float64 analytic derivative is itself checked: central differences
    of the mpmath definition, away from break points."""
    label, act, params = DCASES[case]
    p = rounded_params(params, np.float64)
    mpmath.mp.dps = 40
    rng = np.random.default_rng(23)
    for x in rng.uniform(-9, 9, 60):
        if any(abs(x - k) < 1e-3 for k in (-3.0, 0.0, 3.0, 6.0, -1.0, 1.0, -2.0, 2.0)):
            continue
        fd = mpmath.diff(lambda t: act.exact(t, **p), mpmath.mpf(float(x)))
        ref = act.derivative(np.array([x]), **p)[0]
        assert abs(ref - float(fd)) <= 1e-12 * max(1.0, abs(float(fd))), f"{label} at {x}: {ref} vs {fd}"


@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_derivative_layouts_and_backends(case):
    _, act, params = DCASES[case]
    x = dense_sample(np.float32, 2048, seed=24)[:3000].reshape(30, 100)
    g = np.linspace(-2, 2, x.size, dtype=np.float32).reshape(x.shape)
    want = deriv(act, np.ascontiguousarray(x[:, ::-3]), params)
    np.testing.assert_array_equal(deriv(act, x[:, ::-3], params), want)
    np.testing.assert_array_equal(backward(act, g[:, ::-3], x[:, ::-3], params),
                                  backward(act, np.ascontiguousarray(g[:, ::-3]), np.ascontiguousarray(x[:, ::-3]),
                                           params))
    xs = x[:2].ravel()
    with np.errstate(all="ignore"):
        ref = deriv(act, xs, params, backend="reference")
    np.testing.assert_allclose(deriv(act, xs, params), ref, rtol=5e-7, atol=1e-30, equal_nan=True)


def test_kink_conventions_follow_torch():
    checks = {
        "relu": ([0.0], [0.0]),
    }
    for name, (xs, want) in checks.items():
        act = actcore._registry.BY_NAME[name]
        if act.c_derivatives:
            np.testing.assert_array_equal(getattr(actcore, f"{name}_derivative")(np.array(xs)), want)
