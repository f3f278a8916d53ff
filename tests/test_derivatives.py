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
    """grad_input (prelu_backward also returns grad_weight, checked in
    test_prelu_backward_weight_gradient)."""
    r = getattr(functional, f"{act.name}_backward")(g, x, **params, **kw)
    return r[0] if act.name == "prelu" else r


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


# Derivative values at the break points, as torch 2.13's backward ops give
# them (threshold_backward, hardtanh_backward, hardsigmoid_backward,
# hardswish_backward, leaky_relu_backward, elu_backward; prelu, selu, celu
# and softsign through autograd), checked with torch 2.13.0 on float32 and
# float64 and written down here (the tests do not import torch).  Values are
# the exact ones of torch's branch choice: where torch's arithmetic is
# coarser (hardsigmoid's float64 1/6 is float(1/6) in torch; hardswish at
# x = 1 gives float32 0.83333337 there), actcore returns the correctly
# rounded value of the same branch.
SELU_SA = 1.7580993408473768599402175208123  # scale * alpha
TORCH_KINKS = [
    ("relu", {}, [0.0, -0.0, 1.0, -1.0], [0.0, 0.0, 1.0, 0.0]),
    ("relu6", {}, [0.0, -0.0, 6.0, 3.0, -1.0, 7.0], [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
    ("hardtanh", {"min_val": -1.0, "max_val": 1.0}, [-1.0, 1.0, 0.0, -2.0, 2.0], [0.0, 0.0, 1.0, 0.0, 0.0]),
    ("hardtanh", {"min_val": 0.0, "max_val": 6.0}, [0.0, -0.0, 6.0, 3.0], [0.0, 0.0, 0.0, 1.0]),
    ("hardsigmoid", {}, [-3.0, 3.0, 0.0, -4.0, 4.0, 2.0], [0.0, 0.0, 1 / 6, 0.0, 0.0, 1 / 6]),
    ("hardswish", {}, [-3.0, 3.0, 0.0, -0.0, -4.0, 4.0, 1.0, -1.5], [0.0, 1.0, 0.5, 0.5, 0.0, 1.0, 5 / 6, 0.0]),
    ("leaky_relu", {"negative_slope": 0.01}, [0.0, -0.0, -1.0, 1.0], [0.01, 0.01, 0.01, 1.0]),
    ("prelu", {"weight": 0.25}, [0.0, -0.0, -1.0, 1.0], [0.25, 0.25, 0.25, 1.0]),
    ("elu", {"alpha": 1.0}, [0.0, -0.0, 1.0], [1.0, 1.0, 1.0]),
    ("elu", {"alpha": 2.0}, [0.0, -0.0, 1.0], [2.0, 2.0, 1.0]),
    ("selu", {}, [0.0, -0.0, 1.0], [SELU_SA, SELU_SA, 1.0507009873554804934193349852946]),
    ("celu", {"alpha": 2.0}, [0.0, -0.0, 1.0], [1.0, 1.0, 1.0]),
    ("softsign", {}, [0.0, -0.0, 1.0, -3.0], [1.0, 1.0, 0.25, 0.0625]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kink", range(len(TORCH_KINKS)), ids=[f"{k[0]}{k[1] or ''}" for k in TORCH_KINKS])
def test_kink_conventions_follow_torch(kink, dtype, isa):
    name, params, xs, want = TORCH_KINKS[kink]
    act = actcore._registry.BY_NAME[name]
    assert act.c_derivatives and (act.kinks or name == "softsign")  # softsign is smooth at 0
    d = getattr(actcore, f"{name}_derivative")(np.array(xs * 8, dtype), **params)
    np.testing.assert_array_equal(d, np.array(want * 8, dtype), err_msg=f"{name} {params}")
    g = np.array([3.0] * len(xs) * 8, dtype)
    b = getattr(actcore, f"{name}_backward")(g, np.array(xs * 8, dtype), **params)
    if name == "prelu":
        b = b[0]
    np.testing.assert_array_equal(b, np.array(want * 8, dtype) * dtype(3.0), err_msg=f"{name} {params}")


# -------------------------------------------------------------------------
# float64 against mpmath (analytic derivatives, torch's branch at the kinks)
# -------------------------------------------------------------------------
def _mp_derivative(name, x, p):
    mp = mpmath
    x = mp.mpf(x)
    if name == "elu":
        return mp.mpf(1) if x > 0 else mp.mpf(p["alpha"]) * mp.exp(x)
    if name == "selu":
        scale = mp.mpf(actcore._registry.SELU_SCALE_STR)
        return scale if x > 0 else scale * mp.mpf(actcore._registry.SELU_ALPHA_STR) * mp.exp(x)
    if name == "celu":
        return mp.mpf(1) if x > 0 else mp.exp(x / mp.mpf(p["alpha"]))
    if name == "softsign":
        return 1 / (1 + abs(x)) ** 2
    if name == "hardswish":
        return mp.mpf(0) if x <= -3 else (x / 3 + mp.mpf(1) / 2 if x < 3 else mp.mpf(1))
    if name == "hardsigmoid":
        return mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0)
    if name == "hardtanh":
        return mp.mpf(1) if p["min_val"] < x < p["max_val"] else mp.mpf(0)
    if name == "relu6":
        return mp.mpf(1) if 0 < x < 6 else mp.mpf(0)
    if name == "leaky_relu":
        return mp.mpf(1) if x > 0 else mp.mpf(p["negative_slope"])
    if name == "prelu":
        return mp.mpf(1) if x > 0 else mp.mpf(p["weight"])
    return None


MP_DCASES = [c for c in DCASES if _mp_derivative(c[1].name, 1.0, rounded_params(c[2], np.float64)) is not None]


@pytest.mark.parametrize("case", range(len(MP_DCASES)), ids=[c[0] for c in MP_DCASES])
def test_derivative_float64_ulp_vs_mpmath(case, isa):
    label, act, params = MP_DCASES[case]
    p = rounded_params(params, np.float64)
    mpmath.mp.dps = 40
    rng = np.random.default_rng(25)
    x = np.concatenate([rng.uniform(-40, 40, 400), -np.exp(rng.uniform(-745, 709, 200)),
                        np.exp(rng.uniform(-745, 709, 100)), rng.uniform(-3.01, 3.01, 200),
                        -1.5 + rng.uniform(-1e-6, 1e-6, 50), rng.uniform(-760, -700, 50),
                        [0.0, -0.0, 3.0, -3.0, 6.0, 1.0, -1.0, 5e-324, -5e-324, 1.7e308, -1.7e308]])
    d = deriv(act, x, params)
    ref = np.array([float(_mp_derivative(act.name, v, p)) for v in x])
    err = ulp_error(d, ref, np.float64)
    i = int(np.argmax(err))
    assert err[i] <= 4.0, f"{label} [{isa}]: {err[i]:.2f} ulp at x={x[i]!r}: {d[i]!r} vs {ref[i]!r}"


# -------------------------------------------------------------------------
# extreme parameters: float32 accuracy and flags hold for every scale
# -------------------------------------------------------------------------
# (float32 elu/celu take a float path for 2^-60 <= |alpha| <= 2^60 and a double one outside)
EXTREME = [("elu", {"alpha": 1e30}), ("elu", {"alpha": 1e-30}), ("elu", {"alpha": -3.0}),
           ("elu", {"alpha": 1e17}), ("elu", {"alpha": -1e-17}), ("celu", {"alpha": 1e-17}), ("celu", {"alpha": 1e17}),
           ("celu", {"alpha": 1e-3}), ("celu", {"alpha": 1e3}), ("celu", {"alpha": 1e-30}), ("celu", {"alpha": 1e30}),
           ("leaky_relu", {"negative_slope": 1e-38})]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(EXTREME)), ids=[f"{n}{p}" for n, p in EXTREME])
def test_derivative_extreme_parameters(case, dtype, isa, single_thread):
    name, params = EXTREME[case]
    act = actcore._registry.BY_NAME[name]
    if not act.c_derivatives:
        pytest.skip("no C derivative")
    x = dense_sample(dtype, 1 << 14, seed=26)
    fi = np.finfo(dtype)
    p = rounded_params(params, dtype)
    if dtype == np.float64:  # the float64 reference rounds x/alpha: check against mpmath
        x = x[::10]
        mpmath.mp.dps = 40
        ref = np.array([float(_mp_derivative(name, v, p)) for v in x])
    else:
        with np.errstate(all="ignore"):
            ref = act.derivative(x.astype(np.float64), **p)
    normal = np.isfinite(ref) & (np.abs(ref) >= 2 * float(fi.tiny)) & (np.abs(ref) <= float(fi.max) / 2)
    with np.errstate(all="raise"):
        d = deriv(act, x[normal], params)
    err = ulp_error(d, ref[normal], dtype)
    i = int(np.argmax(err))
    assert err[i] <= (2.0 if dtype == np.float32 else 4.0), f"{name} {params}: {err[i]:.2f} ulp at x={x[normal][i]!r}"
    with np.errstate(all="raise", under="ignore"):
        deriv(act, x[ref == 0], params)


# -------------------------------------------------------------------------
# no spurious floating-point flags (as tests/test_flags.py, for f'(x) and
# grad * f'(x) with grad = 1)
# -------------------------------------------------------------------------
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
    from cases import adversarial
    label, act, params = DCASES[case]
    x = adversarial(dtype, 1 << 15, seed=27)
    tiny = 1e-38 if dtype == np.float32 else 1e-307
    x = np.concatenate([x, np.geomspace(tiny, 1e-20, 2000).astype(dtype), -np.geomspace(tiny, 1e-20, 2000).astype(dtype),
                        np.linspace(-800, 800, 4001).astype(dtype)])
    fi = np.finfo(dtype)
    with np.errstate(all="ignore"):
        ref = act.derivative(x.astype(np.float64), **rounded_params(params, dtype))
    normal = np.isfinite(ref) & (np.abs(ref) >= 2 * float(fi.tiny)) & (np.abs(ref) <= float(fi.max) * (1 - 4 * float(fi.eps)))
    special = ~np.isfinite(x)
    if act.name == "prelu":  # grad_input's kernel; grad_weight's sum may overflow legitimately here
        bwd = lambda c: actcore.ufuncs.prelu_backward(np.ones_like(c), c, dtype(params["weight"]))  # noqa: E731
    else:
        bwd = lambda c: backward(act, np.ones_like(c), c, params)  # noqa: E731
    for kind, fn in (("derivative", lambda c: deriv(act, c, params)), ("backward", bwd)):
        bad = _first_raising(fn, np.concatenate([x[normal], x[special]]).astype(dtype), {"all": "raise"})
        assert bad is None, f"{label} {kind} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"
        bad = _first_raising(fn, x[ref == 0].astype(dtype), {"all": "raise", "under": "ignore"})
        assert bad is None, f"{label} {kind} {dtype.__name__}: {bad[1]} at x={bad[0]!r}"


# -------------------------------------------------------------------------
# prelu: (grad_input, grad_weight) against a float64 reference
# -------------------------------------------------------------------------
def _prelu_backward_ref(g, x, w):
    g64, x64, w64 = (np.asarray(a, dtype=np.float64) for a in (g, x, w))
    gx = np.where(x64 > 0, g64, g64 * w64)
    contrib = np.broadcast_to(np.where(x64 > 0, 0.0, g64 * x64), gx.shape)
    lead = contrib.ndim - w64.ndim
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(w64.shape) if n == 1 and contrib.shape[lead + i] != 1)
    # exact float64 sum (math.fsum per output element)
    moved = np.moveaxis(contrib, axes, tuple(range(contrib.ndim - len(axes), contrib.ndim)))
    kept_shape = moved.shape[:moved.ndim - len(axes)]
    flat = moved.reshape(kept_shape + (-1,))
    import math
    gw = np.array([math.fsum(row) for row in flat.reshape(-1, flat.shape[-1])]).reshape(kept_shape)
    return gx, gw.reshape(w64.shape), np.abs(flat).sum(axis=-1).reshape(w64.shape)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shapes", [((8, 3, 20, 30), (3, 1, 1)), ((8, 3, 20, 30), ()), ((4000,), (1,)),
                                    ((50, 7), (7,)), ((6,), (3, 1))], ids=str)
def test_prelu_backward_weight_gradient(shapes, dtype, isa):
    xs, ws = shapes
    rng = np.random.default_rng(28)
    x = (rng.standard_normal(xs) * 3).astype(dtype)
    g = rng.standard_normal(xs).astype(dtype)
    w = rng.uniform(-0.5, 0.5, ws).astype(dtype)
    gx, gw = actcore.prelu_backward(g, x, w)
    rgx, rgw, scale = _prelu_backward_ref(g, x, w)
    assert gx.dtype == dtype and gw.dtype == dtype and gw.shape == np.shape(w)
    assert gx.shape == rgx.shape
    np.testing.assert_array_equal(gx, rgx.astype(dtype))  # one rounding of g*w: exact in float64 for float32
    eps = float(np.finfo(dtype).eps)
    # float32: exact products, float64 pairwise sum far below float32's half ulp (+ the final rounding);
    # float64: each product rounds (eps/2) and the pairwise sum adds <= log2(n) eps of sum |terms|
    n = x.size // max(1, np.size(w))
    tol = (0.5 * eps * np.abs(rgw) + 1e-12 * scale) if dtype == np.float32 else \
        (eps * np.abs(rgw) + (0.5 + np.log2(n)) * eps * scale)  # products' roundings + pairwise bound
    assert np.all(np.abs(gw.astype(np.float64) - rgw) <= tol + 1e-300), (gw, rgw)
    # gx from the C kernel equals the derivative kernel times grad
    np.testing.assert_array_equal(gx, (g * actcore.prelu_derivative(x, w)).astype(dtype))


def test_prelu_backward_nan_and_backends():
    x = np.array([[-1.0, np.nan, 2.0], [0.0, -3.0, 1.0]], np.float32)
    g = np.ones_like(x)
    w = np.array([0.25, 0.5, 2.0], np.float32)
    gx, gw = actcore.prelu_backward(g, x, w)
    assert np.isnan(gx[0, 1]) and np.isnan(gw[1])
    np.testing.assert_array_equal(gw[[0, 2]], np.array([-1.0, 0.0], np.float32))
    gx_r, gw_r = actcore.prelu_backward(g, x, w, backend="reference")
    np.testing.assert_array_equal(gx_r, gx)
    np.testing.assert_array_equal(gw_r, gw)


def test_softsign_derivative_huge_x(isa):
    """1/(1+|x|)^2 for huge |x| (where float (1+|x|)^2 overflows the result is
    already subnormal, but the float64 corrections and the float32 kernel's
    intermediates must stay clean up to the last normal result): no overflow,
    no spurious underflow where the result is normal, within 0.5 ulp (float32)
    / 1 ulp (float64) of mpmath; beyond, only a genuine underflow."""
    mpmath.mp.dps = 40
    for dtype, big in ((np.float32, 3e38), (np.float64, 1.7e308)):
        x = np.geomspace(9.3e18 if dtype == np.float32 else 2.0**512, big, 2000).astype(dtype)
        with np.errstate(all="raise", under="ignore"):
            d = actcore.softsign_derivative(np.concatenate([x, -x]))
        assert np.all(d < 2 * np.finfo(dtype).tiny)
    for dtype, lo, hi in ((np.float32, 1e17, 9.2e18), (np.float64, 2.0**380, 2.0**511)):
        x = np.geomspace(lo, hi, 3000).astype(dtype)
        x = np.concatenate([x, -x])
        with np.errstate(all="raise"):
            d = actcore.softsign_derivative(x)
            b = actcore.softsign_backward(np.ones_like(x), x)
        np.testing.assert_array_equal(b, d)
        ref = np.array([float(1 / (1 + abs(mpmath.mpf(float(v)))) ** 2) for v in x])
        err = ulp_error(d, ref, dtype)
        assert err.max() <= (0.5 if dtype == np.float32 else 1.0), (dtype, err.max(), x[np.argmax(err)])


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
