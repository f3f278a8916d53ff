"""Every backend against the reference: one registry-parametrized parity
suite (forward, derivative, backward, softmax family), backend selection,
and the fallbacks -- these run in fresh interpreters with the environment
set (extension missing, numba missing, no writable numba cache, the CUDA
simulator), never by mocking.

numba compiles each kernel on first use (~0.2 s per kernel and dtype, then
cached on disk), so the inputs are small: the 'parallel' target is covered
by one large-input test.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import actcore
from actcore import _dispatch, _registry
from actcore.accuracy import dense_sample, ulp_error
from actcore.backends import reference
from cases import CASE_IDS, CASES, FLOATS, call, rounded_params, special_values

ROOT = pathlib.Path(__file__).resolve().parents[1]
HAVE_NUMBA = "numba" in _dispatch.available_backends()
HAVE_CUDA_PKG = "cuda" in _dispatch.available_backends()
CPU_BACKENDS = [b for b in ("c", "numba") if b in _dispatch.available_backends()]
needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")

BUDGET = {np.float32: 4.0, np.float64: 4.0}


def sample(dtype, n=1500, seed=3):
    x = dense_sample(dtype, n, seed)
    return np.concatenate([special_values(dtype), x[: 2 * n], np.array([np.nan, np.inf, -np.inf], dtype)])


X = {dt: sample(dt) for dt in FLOATS}


def check_close(y, ref, x, dtype, label, derivative=False):
    """NaN where the reference is NaN, the exact limits at +-inf, and within
    the ulp budget elsewhere (float64 derivatives: or 1e-15 absolute, near
    their zeros the float64 reference itself cancels)."""
    y = np.asarray(y)
    assert y.dtype == dtype, f"{label}: dtype {y.dtype}"
    np.testing.assert_array_equal(np.isnan(y), np.isnan(ref), err_msg=label)
    inf = np.isinf(x)
    np.testing.assert_array_equal(y[inf], np.asarray(ref[inf], dtype), err_msg=label)
    err = ulp_error(y, ref, dtype)
    if dtype == np.float64:
        # the float64 reference is not correctly rounded in ill-conditioned
        # tails (sigmoid(2u) of tanh-gelu, erfc, ...): a relative 1e-12 there
        # (float64 accuracy against mpmath: docs/NUMBA_BENCH.md)
        with np.errstate(all="ignore"):
            close = np.abs(y - ref) <= 1e-12 * np.abs(ref)
            if derivative:  # near their zeros the float64 derivatives cancel
                close |= np.abs(y - ref) <= 1e-15
            err = np.where(close, 0.0, err)
    i = int(np.argmax(err))
    assert err[i] <= BUDGET[dtype], f"{label}: {err[i]:.2f} ulp at x={x[i]!r}: {y[i]!r} vs {ref[i]!r}"


def ref64(act, x, params, dtype, kind="forward"):
    p = rounded_params(params, dtype)
    fn = reference.evaluate if kind == "forward" else reference.evaluate_derivative
    return fn(act, x, p, np.float64)


# ---------------------------------------------------------------- forward
@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_forward_parity(case, dtype, backend):
    label, act, params = CASES[case]
    x = X[dtype]
    with np.errstate(all="ignore"):
        y = call(act, x, params, backend=backend)
        ref = ref64(act, x, params, dtype)
    check_close(y, ref, x, dtype, f"{label}[{backend}]")
    if act.odd:
        z = call(act, np.array([0.0, -0.0], dtype), params, backend=backend)
        assert list(np.signbit(z)) == [False, True]


@needs_numba
@pytest.mark.parametrize("name,params", [("gelu", {"approximate": "none"}), ("gelu", {"approximate": "tanh"}),
                                         ("quick_gelu", {})])
def test_float64_tails_against_mpmath(name, params):
    """numba's gelu / tanh-gelu / quick_gelu carry the rounding error of their
    argument (-x/sqrt 2, 2u(x), 1.702 x; condition numbers in the hundreds in
    the tails, where the float64 reference loses up to ~900 ulp): within 4 ulp
    of mpmath down to where they underflow."""
    import mpmath
    act = _registry.BY_NAME[name]
    x = np.concatenate([-np.geomspace(1.0, 400.0, 60), np.linspace(-6, 6, 25)])
    y = getattr(actcore, name)(x, **params, backend="numba")
    with mpmath.workdps(40):
        exact = np.array([float(act.exact(mpmath.mpf(float(v)), **params)) for v in x])
    err = ulp_error(y, exact, np.float64)
    assert err.max() <= 4, f"{err.max()} ulp at x={x[np.argmax(err)]}"


# ------------------------------------------- derivative and backward (all)
DERIV_BACKENDS = [b for b in CPU_BACKENDS if b != "c"]


def _cases_for(backend):
    return [c for c in range(len(CASES)) if backend != "c" or CASES[c][1].c_derivatives]


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_derivative_parity(case, dtype, backend):
    """f'(x) for every activation on numba (c: where the C kernel file has it)."""
    label, act, params = CASES[case]
    if backend == "c" and not act.c_derivatives:
        pytest.skip("no C derivative kernel")
    x = X[dtype]
    p = {k: (v if isinstance(v, str) else np.asarray(v, np.float32 if dtype == np.float32 else np.float64))
         for k, v in params.items()}
    with np.errstate(all="ignore"):
        if act.c_derivatives:
            d = getattr(actcore, f"{act.name}_derivative")(x, **params, backend=backend)
        else:
            d = _dispatch.run(act, None, x, None, p, None, backend, kind="derivative")
        ref = ref64(act, x, params, dtype, "derivative")
    check_close(d, ref, x, dtype, f"{label}'[{backend}]", derivative=True)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_backward_parity(case, backend):
    """grad * f'(x), float32 (float64 is the same kernel with the grad factor)."""
    label, act, params = CASES[case]
    if backend == "c" and not act.c_derivatives:
        pytest.skip("no C backward kernel")
    dtype = np.float32
    x = X[dtype]
    g = np.random.default_rng(5).standard_normal(x.size).astype(dtype)
    p = {k: (v if isinstance(v, str) else np.asarray(v, np.float32)) for k, v in params.items()}
    with np.errstate(all="ignore"):
        if act.c_derivatives:
            r = getattr(actcore, f"{act.name}_backward")(g, x, **params, backend=backend)
            r = r[0] if isinstance(r, tuple) else r
        else:
            r = _dispatch.run_backward(act, None, g, x, None, p, None, backend)
        ref = g.astype(np.float64) * ref64(act, x, params, dtype, "derivative")
    np.testing.assert_array_equal(np.isnan(r), np.isnan(ref), err_msg=label)
    err = ulp_error(r, ref, dtype)
    assert err.max() <= 4.5, f"{label}: {err.max():.2f} ulp at x={x[np.argmax(err)]!r}"


@pytest.mark.parametrize("backend", DERIV_BACKENDS)
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_backward_from_output(name, backend):
    act = _registry.BY_NAME[name]
    y = np.linspace(-1, 1, 101).astype(np.float32)
    g = np.linspace(2, -2, 101).astype(np.float32)
    r = _dispatch.run_backward(act, None, g, y, None, {}, None, backend, from_output=True)
    ref = g.astype(np.float64) * act.output_derivative(y.astype(np.float64))
    assert ulp_error(r, ref, np.float32).max() <= 1


# ---------------------------------------------------------- layouts, out=
@needs_numba
def test_numba_keeps_call_semantics():
    x = np.linspace(-4, 4, 24, dtype=np.float32).reshape(2, 3, 4)[:, ::2, 1:]
    ref = actcore.silu(x, beta=1.5, backend="reference")
    y = actcore.silu(x, beta=1.5, backend="numba")
    assert ulp_error(y, ref.astype(np.float64), np.float32).max() <= 4
    out = np.empty_like(x)
    assert actcore.silu(x, beta=1.5, out=out, backend="numba") is out
    np.testing.assert_array_equal(out, y)
    out64 = np.empty(x.shape)
    actcore.silu(x, beta=1.5, out=out64, backend="numba")
    np.testing.assert_array_equal(out64, y.astype(np.float64))
    h = x.astype(np.float16)
    assert actcore.gelu(h, backend="numba").dtype == np.float16
    assert actcore.relu(np.arange(-3, 3), backend="numba").dtype == np.float64
    s = actcore.gelu(np.float32(1.0), backend="numba")
    assert np.ndim(s) == 0 and s == actcore.gelu(np.float32(1.0), backend="reference")
    w = np.array([0.1, -0.2, 0.3], np.float32)[:, None]
    xw = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(actcore.prelu(xw, w, backend="numba"), actcore.prelu(xw, w, backend="reference"))
    gx, gw = actcore.prelu_backward(np.ones_like(xw), xw, w, backend="numba") if hasattr(
        actcore, "prelu_backward") else (None, None)
    if gx is not None:
        assert gw.shape == w.shape


@needs_numba
@pytest.mark.parametrize("name", ["gelu", "silu", "softplus", "hardtanh"])
def test_numba_strided_ufunc_path_matches_the_contiguous_loop(name):
    """Contiguous inputs with scalar parameters run an njit loop, others the
    @vectorize ufunc: bit-identical results (forward, derivative, backward)."""
    act = _registry.BY_NAME[name]
    x = sample(np.float32, 300)
    xs = np.repeat(x, 2)[::2]  # same values, stride 2
    g = np.linspace(-2, 2, x.size).astype(np.float32)
    p = {k: (v if isinstance(v, str) else np.asarray(v, np.float32)) for k, v in act.defaults().items()}
    for kind in ("forward", "derivative"):
        a = _dispatch.run(act, None, x, None, p, None, "numba", kind=kind)
        b = _dispatch.run(act, None, xs, None, p, None, "numba", kind=kind)
        np.testing.assert_array_equal(a, b)
    a = _dispatch.run_backward(act, None, g, x, None, p, None, "numba")
    b = _dispatch.run_backward(act, None, np.repeat(g, 2)[::2], xs, None, p, None, "numba")
    np.testing.assert_array_equal(a, b)


@needs_numba
@pytest.mark.parametrize("name", ["gelu", "relu"])
def test_numba_parallel_target(name):
    """Inputs above the threshold run on target='parallel': same results."""
    from actcore.backends import numba_cpu
    act = _registry.BY_NAME[name]
    n = numba_cpu.PARALLEL_MIN["cheap" if act.cheap else "transcendental"] + 7
    x = np.repeat(np.linspace(-30, 30, n, dtype=np.float32), 2)[::2]  # strided: the ufunc path
    x[::1000] = np.nan
    y = getattr(actcore, name)(x, backend="numba")
    assert numba_cpu._target(act, x.size) == "parallel"
    assert ulp_error(y, ref64(act, x, act.defaults(), np.float32), np.float32).max() <= 1


# ---------------------------------------------------------------- softmax
def softmax_inputs(dtype):
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((3, 5, 17)) * 6).astype(dtype)
    x[0, 0, 3] = np.inf
    x[0, 1, :] = -np.inf
    x[0, 2, 4] = np.nan
    x[1, 0, 2:5] = x[1, 0, 1]  # ties at the max
    x[2, 3, :] = 1e4
    return x


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("axis,temperature,masked", [(-1, 1.0, False), (1, 0.5, True), (0, 3.0, False)])
def test_softmax_parity(log, dtype, backend, axis, temperature, masked):
    x = softmax_inputs(dtype)
    where = (np.arange(17) % 4 != 1) if masked and axis == -1 else (
        np.random.default_rng(1).random(x.shape) > 0.3 if masked else None)
    fn = actcore.log_softmax if log else actcore.softmax
    y = fn(x, axis=axis, temperature=temperature, where=where, backend=backend)
    ref = reference.softmax(x.astype(np.float64), axis % 3, temperature, None if where is None else
                            np.broadcast_to(where, x.shape), log)
    assert y.dtype == dtype
    np.testing.assert_array_equal(np.isnan(y), np.isnan(ref))
    np.testing.assert_array_equal(np.isinf(y), np.isinf(ref))
    fin = np.isfinite(ref)
    if dtype == np.float64:  # exp((x - max)/T) of the reference is not correctly rounded either
        np.testing.assert_allclose(y[fin], ref[fin], rtol=1e-12, atol=1e-300)
        return
    err = ulp_error(y[fin], ref[fin], dtype) if not log else np.abs(y[fin] - ref[fin]) / np.maximum(
        np.abs(ref[fin]), 1.0) / np.finfo(dtype).eps
    assert err.max() <= 4, f"{err.max():.2f}"


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_softmax_backward_parity(log, dtype, backend):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 6, 9)).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    fwd, bwd = (actcore.log_softmax, actcore.log_softmax_backward) if log else (actcore.softmax,
                                                                                actcore.softmax_backward)
    y = fwd(x, axis=1, backend="reference")
    r = bwd(g, y, axis=1, backend=backend)
    ref = reference.softmax_backward(g, y, 1, log)
    assert r.dtype == dtype
    scale = np.abs(g.astype(np.float64)).sum(1, keepdims=True) * (np.abs(y) if not log else 1.0) + np.abs(g)
    assert (np.abs(r - ref) <= 8 * np.finfo(dtype).eps * scale).all()


# ------------------------------------------------------------- selection
@needs_numba
def test_use_backend_and_keyword():
    x = np.linspace(-3, 3, 7)
    with actcore.use_backend("numba"):
        assert _dispatch.default_backend() == "numba"
        y = actcore.mish(x)
        assert actcore.mish(x, backend="reference").tolist() == pytest.approx(y.tolist(), rel=1e-15)
    assert _dispatch.default_backend() in ("c", "numba", "reference")
    with pytest.raises(ValueError):
        actcore.mish(x, backend="numbaa")


def run_py(code, env=None, cwd=None, flags=()):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ACTCORE_", "NUMBA_"))}
    full.update(env or {})
    out = subprocess.run([sys.executable, *flags, "-c", textwrap.dedent(code)], env=full, cwd=cwd or ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


LAZY = """
import json, sys, warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import actcore
    from actcore import _dispatch
    before = "numba" in sys.modules
    backend = _dispatch.default_backend()
    y = float(actcore.gelu(1.0))
    cfg = actcore._config.config()
print(json.dumps({"numba_at_import": before, "numba_after": "numba" in sys.modules, "backend": backend,
                  "y": y, "warnings": [str(m.message) for m in w], "cfg_backend": cfg["backend"],
                  "fallback": cfg.get("backend_fallback", "")}))
"""


def test_import_does_not_import_numba():
    r = run_py(LAZY)
    assert r["numba_at_import"] is False
    assert r["numba_after"] is (r["backend"] == "numba")


@needs_numba
def test_backend_from_env_numba():
    r = run_py(LAZY, {"ACTCORE_BACKEND": "numba"})
    assert r["backend"] == "numba" and r["numba_at_import"] is False and r["numba_after"] is True
    assert abs(r["y"] - 0.8413447460685429) < 1e-15 and r["warnings"] == []


def isolated_tree(tmp_path, packages):
    """A source copy of actcore without the C extension, and a directory with
    only `packages` (symlinks into this environment): run with `python -S`
    and PYTHONPATH set to both, nothing else is importable."""
    pkg = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "actcore", pkg / "actcore",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__", "_core.c"))
    site = tmp_path / "site"
    site.mkdir()
    for mod in packages:
        spec_dir = pathlib.Path(__import__(mod).__file__).parent
        for p in spec_dir.parent.iterdir():
            if p.name == mod or p.name.startswith((mod + "-", mod + ".libs")):
                (site / p.name).symlink_to(p)
    return {"PYTHONPATH": f"{pkg}{os.pathsep}{site}", "PYTHONDONTWRITEBYTECODE": "1"}, tmp_path


def test_fallback_without_extension_and_without_numba(tmp_path):
    env, cwd = isolated_tree(tmp_path, ["numpy"])
    r = run_py(LAZY, env, cwd=cwd, flags=("-S",))
    assert r["backend"] == "reference" and r["cfg_backend"] == "reference"
    assert len(r["warnings"]) == 1 and "reference backend" in r["warnings"][0]
    assert "numba is not installed" in r["fallback"]
    assert abs(r["y"] - 0.8413447460685429) < 1e-15


@needs_numba
def test_fallback_without_extension_uses_numba(tmp_path):
    env, cwd = isolated_tree(tmp_path, ["numpy", "numba", "llvmlite"])
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "nbcache")
    r = run_py(LAZY, env, cwd=cwd, flags=("-S",))
    assert r["backend"] == "numba" and r["cfg_backend"] == "numba" and r["numba_at_import"] is False
    assert len(r["warnings"]) == 1 and "numba backend" in r["warnings"][0]
    assert abs(r["y"] - 0.8413447460685429) < 1e-15
    assert any((tmp_path / "nbcache").rglob("*.nbi")), "the compiled kernel was not cached"


@needs_numba
def test_unwritable_numba_cache_still_works(tmp_path):
    """No writable cache anywhere (the package's __pycache__ is a file, the
    cache dir and HOME are under /dev/null): numba compiles uncached, one
    warning, correct results (works as root too)."""
    env, cwd = isolated_tree(tmp_path, ["numpy", "numba", "llvmlite"])
    (tmp_path / "src" / "actcore" / "backends" / "__pycache__").write_text("not a directory")
    env.update({"NUMBA_CACHE_DIR": "/dev/null/numba", "HOME": "/dev/null/home", "XDG_CACHE_HOME": "/dev/null/x",
                "ACTCORE_BACKEND": "numba"})
    r = run_py(LAZY, env, cwd=cwd, flags=("-S",))
    assert abs(r["y"] - 0.8413447460685429) < 1e-15
    assert any("cache" in w for w in r["warnings"]), r["warnings"]


def test_setup_no_ext_builds_no_extension():
    r = run_py("import json, setup; print(json.dumps(len(setup.extensions())))", {"ACTCORE_NO_EXT": "1"})
    assert r == 0


# ------------------------------------------------ cuda (the CUDA simulator)
CUDA_SIM = """
import json, warnings
import numpy as np
warnings.simplefilter("ignore")
import actcore
from numba import cuda
from actcore import _registry, _dispatch
from actcore.accuracy import ulp_error
from actcore.backends import reference
out = {"errors": []}
def err(msg): out["errors"].append(msg)
rng = np.random.default_rng(0)
specials = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, -1e30, 3.0, -3.0, 6.0, 20.0, -20.0, 1e-30, -40.0]
base = np.concatenate([specials, rng.standard_normal(60) * 8])
for act in _registry.ACTIVATIONS:
    params = act.defaults()
    if act.name == "prelu":
        params = {"weight": 0.25}
    for dt in (np.float32, np.float64):
        x = base.astype(dt)
        ct = np.float32 if dt == np.float32 else np.float64
        p = {k: (v if isinstance(v, str) else np.asarray(v, ct)) for k, v in params.items()}
        for kind in ("forward", "derivative"):
            y = _dispatch.run(act, None, x, None, p, None, "cuda", kind=kind)
            fn = reference.evaluate if kind == "forward" else reference.evaluate_derivative
            r = fn(act, x, p, np.float64)
            e = ulp_error(y, r, dt)
            if dt == np.float64:  # as check_close: the float64 reference's tails
                e = np.where((np.abs(y - r) <= 1e-12 * np.abs(r)) | ((np.abs(y - r) <= 1e-15) & (kind != "forward")), 0, e)
            if y.dtype != dt or not (e <= 4).all() or not np.array_equal(np.isnan(y), np.isnan(r)):
                err(f"{act.name} {kind} {dt.__name__}: {float(np.nanmax(e))} ulp")
    g = rng.standard_normal(base.size).astype(np.float32)
    x = base.astype(np.float32)
    p = {k: (v if isinstance(v, str) else np.asarray(v, np.float32)) for k, v in params.items()}
    b = _dispatch.run_backward(act, None, g, x, None, p, None, "cuda")
    rb = g.astype(np.float64) * reference.evaluate_derivative(act, x, p, np.float64)
    if ulp_error(b, rb, np.float32).max() > 4.5:
        err(f"{act.name} backward")
# device arrays in, device arrays out, no host round trip
x = np.linspace(-5, 5, 50).astype(np.float32)
d = cuda.to_device(x)
yd = actcore.gelu(d, approximate="tanh")
out["device_out"] = _dispatch.is_device_array(yd)
if not np.array_equal(yd.copy_to_host(), actcore.gelu(x, approximate="tanh", backend="reference")):
    err("device gelu")
o = cuda.device_array(50, np.float32)
actcore.silu(d, out=o)
if ulp_error(o.copy_to_host(), actcore.silu(x.astype(np.float64), backend="reference"), np.float32).max() > 1:
    err("device out=")
try:
    actcore.gelu(d, backend="c")
    err("device array on the C backend not refused")
except TypeError:
    pass
# softmax family
xs = (rng.standard_normal((2, 9, 3)) * 5)
xs[0, 2, 0] = np.inf
xs[1, :, 2] = -np.inf
xs[0, 4, 1] = np.nan
for dt in (np.float32, np.float64):
    xx = xs.astype(dt)
    mask = rng.random(xs.shape) > 0.25
    for log in (False, True):
        f = actcore.log_softmax if log else actcore.softmax
        for axis, m in ((1, mask), (-1, None)):
            y = f(xx, axis=axis, temperature=0.7, where=m, backend="cuda")
            r = reference.softmax(xx.astype(np.float64), axis % 3, 0.7, m, log)
            fin = np.isfinite(r)
            ok = (y.dtype == dt and np.array_equal(np.isnan(y), np.isnan(r)) and np.array_equal(y[np.isinf(r)], r[np.isinf(r)])
                  and (np.abs(y[fin] - r[fin]) <= 4 * np.finfo(dt).eps * np.maximum(np.abs(r[fin]), 1)).all())
            if not ok:
                err(f"softmax log={log} {dt.__name__} axis={axis}")
        g = rng.standard_normal(xs.shape).astype(dt)
        yy = f(rng.standard_normal(xs.shape).astype(dt), axis=1, backend="reference")
        bw = (actcore.log_softmax_backward if log else actcore.softmax_backward)(g, yy, axis=1, backend="cuda")
        rb = reference.softmax_backward(g, yy, 1, log)
        if not np.allclose(bw, rb, rtol=1e-5 if dt == np.float32 else 1e-12, atol=1e-6 if dt == np.float32 else 1e-14):
            err(f"softmax_backward log={log} {dt.__name__}")
ys = actcore.softmax(cuda.to_device(xs[1:, :, :2].copy()), axis=1)
out["softmax_device_out"] = _dispatch.is_device_array(ys)
print(json.dumps(out))
"""


@pytest.mark.skipif(not HAVE_CUDA_PKG, reason="numba-cuda is not installed")
def test_cuda_backend_in_the_simulator():
    """Every activation (forward, derivative, backward), device arrays and the
    softmax family on the cuda backend, under NUMBA_ENABLE_CUDASIM=1."""
    r = run_py(CUDA_SIM, {"NUMBA_ENABLE_CUDASIM": "1"})
    assert r["errors"] == []
    assert r["device_out"] and r["softmax_device_out"]


def test_cuda_on_a_gpu_if_there_is_one():
    if not HAVE_CUDA_PKG:
        pytest.skip("numba-cuda is not installed")
    probe = subprocess.run([sys.executable, "-c", "from numba import cuda; print(cuda.is_available())"],
                           capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                                if k != "NUMBA_ENABLE_CUDASIM"})
    if probe.stdout.strip() != "True":
        pytest.skip("no CUDA GPU")
    r = run_py(CUDA_SIM)
    assert r["errors"] == [] and r["device_out"]


def test_math_constants_match_the_registry():
    from actcore.backends import scalar_kernels as sk
    assert sk.SELU_ALPHA == _registry.SELU_ALPHA and sk.SELU_SCALE == _registry.SELU_SCALE
    assert sk.SELU_SCALE_ALPHA == -_registry.SELU_NEG_LIMIT
    assert sk.GELU_TANH_C == _registry.GELU_TANH_C and sk.QUICK_GELU_C == _registry.QUICK_GELU_C
    import mpmath
    with mpmath.workdps(50):
        mp = mpmath.mpf
        assert abs(mp(sk.INV_SQRT_2_HI) + mp(sk.INV_SQRT_2_LO) - 1 / mpmath.sqrt(2)) < 1e-32
        assert abs(mp(sk.TWO_SQRT_2_OVER_PI) + mp(sk.TWO_SQRT_2_OVER_PI_LO) - 2 * mpmath.sqrt(2 / mpmath.pi)) < 1e-32
        assert abs(mp(sk.GELU_TANH_C) + mp(sk.GELU_TANH_C_LO) - mp(_registry.GELU_TANH_C_STR)) < 1e-33
        assert abs(mp(sk.QUICK_GELU_C) + mp(sk.QUICK_GELU_C_LO) - mp(_registry.QUICK_GELU_C_STR)) < 1e-32
    kernels = {k for a in _registry.ACTIVATIONS for k in a.kernel_names()}
    assert kernels == set(sk.FORWARD) == set(sk.DERIVATIVE)
