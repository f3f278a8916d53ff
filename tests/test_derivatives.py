"""Derivatives and fused backward passes, for every activation whose kernel
file exports them (registry `c_derivatives`)."""
import mpmath
import numpy as np
import pytest

import actcore
from actcore import functional
from actcore.accuracy import dense_sample, ulp_error
from cases import CASES, adversarial, rounded_params

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


def _first_raising(fn, xs, errstate):
    for start in range(0, len(xs), 2048):
        chunk = xs[start:start + 2048]
        try:
            with np.errstate(**errstate):
                fn(chunk)
        except FloatingPointError:
            for v in chunk:
                try:
                    with np.errstate(**errstate):
                        fn(np.full(40, v))
                except FloatingPointError as exc:
                    return v, str(exc)
    return None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(DCASES)), ids=DIDS)
def test_derivative_no_spurious_flags(case, dtype, isa, single_thread):
    """As test_flags.py for the forwards: where f'(x) is a finite normal
    number, neither the derivative nor the backward (grad = 1) raises any
    flag; where it rounds to zero, only underflow."""
    label, act, params = DCASES[case]
    x = adversarial(dtype, 1 << 15, seed=8)
    tiny = 1e-38 if dtype == np.float32 else 1e-307
    x = np.concatenate([x, np.geomspace(tiny, 1e-20, 2000).astype(dtype), -np.geomspace(tiny, 1e-20, 2000).astype(dtype),
                        np.linspace(-800, 800, 4001).astype(dtype)])
    fi = np.finfo(dtype)
    with np.errstate(all="ignore"):
        ref = act.derivative(x.astype(np.float64), **rounded_params(params, dtype))
    normal = np.isfinite(ref) & (np.abs(ref) >= 2 * float(fi.tiny)) & (np.abs(ref) <= float(fi.max) * (1 - 4 * float(fi.eps)))
    special = ~np.isfinite(x)
    fns = {"derivative": lambda v: deriv(act, v, params),
           "backward": lambda v: backward(act, np.ones_like(v), v, params)}
    for kind, fn in fns.items():
        bad = _first_raising(fn, np.concatenate([x[normal], x[special]]).astype(dtype), {"all": "raise"})
        assert bad is None, f"{label} {kind} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"
        bad = _first_raising(fn, x[ref == 0], {"all": "raise", "under": "ignore"})
        assert bad is None, f"{label} {kind} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"


def _mp_sig(t):
    return 1 / (1 + mpmath.exp(-t))


def _mp_silu_slope(t):
    return _mp_sig(t) + t * _mp_sig(t) * _mp_sig(-t)


# f'(x) in mpmath, analytic (the definitions' derivatives), for the float64 check
MP_DERIVATIVES = {
    "sigmoid": lambda x, p: _mp_sig(x) * _mp_sig(-x),
    "tanh": lambda x, p: 1 / mpmath.cosh(x) ** 2,
    "silu": lambda x, p: _mp_silu_slope(mpmath.mpf(p["beta"]) * x),
    "quick_gelu": lambda x, p: _mp_silu_slope(mpmath.mpf(actcore._registry.QUICK_GELU_C_STR) * x),
    "gelu": lambda x, p: (mpmath.mpf(x > 0) if abs(x) > 1e4 else mpmath.erfc(-x / mpmath.sqrt(2)) / 2 + x * mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)
                          if p["approximate"] == "none" else
                          mpmath.mpf(x > 0) if abs(x) > 1e4 else _mp_gelu_tanh_slope(x)),
}


def _mp_gelu_tanh_slope(x):
    c = mpmath.mpf(actcore._registry.GELU_TANH_C_STR)
    k = 2 * mpmath.sqrt(2 / mpmath.pi)
    t = k * (x + c * x ** 3)
    return _mp_sig(t) + x * k * (1 + 3 * c * x * x) * _mp_sig(t) * _mp_sig(-t)


MCASES = [i for i, c in enumerate(DCASES) if c[1].name in MP_DERIVATIVES]


@pytest.mark.parametrize("case", MCASES, ids=[DIDS[i] for i in MCASES])
def test_derivative_float64_vs_mpmath(case, isa):
    """float64 f'(x) within 4 ulp of the mpmath derivative, tails included
    (relative accuracy where f' is tiny: no 1 - s or 1 - tanh^2 cancellation)."""
    label, act, params = DCASES[case]
    mpmath.mp.dps = 40
    rng = np.random.default_rng(25)
    x = np.concatenate([rng.uniform(-40, 40, 300), rng.uniform(-3, 3, 200), rng.uniform(-800, 800, 100),
                        np.sign(rng.standard_normal(100)) * np.exp(rng.uniform(-700, 700, 100)),
                        [-8.0, -20.0, -30.0, 20.0, 30.0, 0.0, -0.0, 1e-300, -1e-300]])
    d = deriv(act, x, params)
    ref = np.array([float(MP_DERIVATIVES[act.name](mpmath.mpf(float(v)), params)) for v in x])
    err = ulp_error(d, ref, np.float64)
    i = int(np.argmax(err))
    assert err[i] <= 4.0, f"{label} [{isa}]: {err[i]:.2f} ulp at x={x[i]!r}: {d[i]!r} vs {ref[i]!r}"


OCASES = [i for i, c in enumerate(DCASES) if c[1].output_derivative is not None]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", OCASES, ids=[DIDS[i] for i in OCASES])
def test_backward_from_output(case, dtype, isa):
    """backward(grad, output=y) = grad * f'(x) computed from y (torch's
    sigmoid_backward / tanh_backward): within 2 ulp of the float64 formula on
    the same y, and it agrees with the x form where y carries the information."""
    label, act, params = DCASES[case]
    x = dense_sample(dtype, 1 << 16, seed=26)
    x = x[np.abs(x) < 30]
    y = getattr(functional, act.name)(x)
    g = np.random.default_rng(27).standard_normal(x.size).astype(dtype)
    b = getattr(functional, f"{act.name}_backward")(g, output=y)
    ref = g.astype(np.float64) * act.output_derivative(y.astype(np.float64))
    err = ulp_error(b, ref, dtype)
    i = int(np.argmax(err))
    assert err[i] <= 2.0, f"{label} [{isa}]: {err[i]:.2f} ulp at y={y[i]!r}"
    with pytest.raises(ValueError):
        getattr(functional, f"{act.name}_backward")(g, x, output=y)
    xs = np.array([np.nan, 0.0, 1.0], dtype)
    assert np.isnan(getattr(functional, f"{act.name}_backward")(np.ones_like(xs), output=xs)[0])


@pytest.mark.parametrize("case", MCASES, ids=[DIDS[i] for i in MCASES])
def test_derivative_float32_tails_and_roots_vs_mpmath(case, isa):
    """float32 f'(x) keeps its relative accuracy in the tails (no 1 - s,
    1 - tanh^2 or Phi - x phi cancellation: gelu'(-8) is ~ -5e-14) and next
    to the root of f' (silu, quick_gelu, gelu: the floats nearest it)."""
    label, act, params = DCASES[case]
    mpmath.mp.dps = 40
    pts = [-8.0, -10.0, -12.0, -16.0, -20.0, -30.0, -60.0, 8.0, 12.0, 20.0, 30.0, 1e-3, -1e-3, 0.5, -0.5]
    roots = {"silu": -1.2784645427610738 / float(np.float32(params.get("beta", 1.0))),
             "quick_gelu": -1.2784645427610738 / 1.702,
             "gelu": -0.7517915246935645 if params.get("approximate") == "none" else -0.7524614220710163}
    x = np.array(pts, np.float32)
    if act.name in roots and np.isfinite(roots[act.name]):
        r = np.float32(roots[act.name])
        x = np.concatenate([x, r + np.arange(-64, 65, dtype=np.float32) * np.spacing(r)])
    d = deriv(act, x, params)
    p32 = rounded_params(params, np.float32)
    ref = np.array([float(MP_DERIVATIVES[act.name](mpmath.mpf(float(v)), p32)) for v in x])
    err = ulp_error(d, ref, np.float32)
    i = int(np.argmax(err))
    assert err[i] <= 2.0, f"{label} [{isa}]: {err[i]:.2f} ulp at x={x[i]!r}: {d[i]!r} vs {ref[i]!r}"
