"""The `numba` backend: the scalar kernels of scalar_kernels.py compiled by
numba into NumPy ufuncs (@vectorize) and the softmax family into gufuncs
over the last core dimension (@guvectorize).

Imported only when the numba backend is first used (importing actcore never
imports numba).  Everything is compiled lazily, one explicit signature at a
time (float32 or float64, 'cpu' or 'parallel' target) on the first call
that needs it, and cached on disk (cache=True: NUMBA_CACHE_DIR, else
__pycache__ next to this file, else numba's user-wide cache directory; where
none is writable the kernels are compiled without a cache, nothing fails).

Numerics
  * float32 (and float16, computed in float32) inputs are promoted to
    float64 inside the kernel and rounded once at the end: results are within
    ~1 ulp of the float64 reference.
  * NaN gives NaN; +-inf gives the registry's `limits` (`derivative_limits`
    for derivatives), passed to the kernel as two extra ufunc inputs computed
    from the (rounded) parameters, so the special values are exactly those
    of the C path and the reference.
  * No fast-math flags: inf/NaN/signed-zero semantics are IEEE's.
  * Contiguous inputs with scalar parameters (the common case) run an njit
    loop over the flat array (numba's ufunc loop is slow when the parameters
    are stride-0 operands, and the loop vectorizes the FAST32 float32
    kernels); the others run the @vectorize ufunc, with target='parallel'
    (numba's threading layer) from PARALLEL_MIN elements and target='cpu'
    below.  Measured on 2 shared cores, the parallel target never beat the
    single-threaded loop (docs/NUMBA_BENCH.md).
"""
from __future__ import annotations

import contextlib
import hashlib
import math
import os
import pathlib
import threading
import types
import warnings

import numpy as np
from numba import boolean, float32, float64, guvectorize, njit, vectorize

from . import scalar_kernels as sk

# Elements from which target='parallel' is used.  Measured (docs/NUMBA_BENCH.md,
# `python -m actcore.backends.numba_bench --threshold`): the parallel ufunc
# costs tens of microseconds per call on an idle machine and up to a
# scheduler time slice (~20 ms) when the cores are oversubscribed; a
# transcendental kernel takes ~15-90 ns per element, a cheap one ~1.5 ns.
# Conservative defaults; ACTCORE_NUMBA_PARALLEL_MIN=<elements> overrides
# both (0: always parallel, a huge number: never).
PARALLEL_MIN = {"cheap": 1 << 22, "transcendental": 1 << 18}
_env_min = os.environ.get("ACTCORE_NUMBA_PARALLEL_MIN", "").strip()
if _env_min:
    try:
        PARALLEL_MIN = dict.fromkeys(PARALLEL_MIN, max(0, int(_env_min)))
    except ValueError:
        warnings.warn(f"ACTCORE_NUMBA_PARALLEL_MIN={_env_min!r} is not an integer; using the defaults",
                      RuntimeWarning, stacklevel=2)
# numba's 'workqueue' threading layer aborts the process on concurrent
# parallel launches from several Python threads: one parallel call at a time
_PARALLEL_CALL = threading.Lock()

_INF = math.inf
_f64 = float64
_NUMBA_T = {np.dtype(np.float32): float32, np.dtype(np.float64): float64}
# the cached machine code depends on scalar_kernels.py as well as on this
# file: its hash is part of every cached function's name, so editing the
# kernels can never load stale code from the cache
_TAG = hashlib.sha1(pathlib.Path(sk.__file__).read_bytes()).hexdigest()[:10]
_LOCK = threading.RLock()
_CACHE_WARNED = []


def _rebuild(fn, ns, qualname=None):
    """A copy of `fn` whose globals are `ns` (so its calls resolve to compiled
    functions)."""
    f = types.FunctionType(fn.__code__, ns, fn.__name__, fn.__defaults__, fn.__closure__)
    f.__qualname__ = qualname or fn.__qualname__
    f.__module__ = fn.__module__
    return f


_NS = None


def _kernel_ns():
    """scalar_kernels' namespace with every helper compiled (njit)."""
    global _NS
    if _NS is None:
        ns = dict(vars(sk))
        for h in sk.HELPERS:
            ns[h] = njit(error_model="numpy")(_rebuild(getattr(sk, h), ns))
        _NS = ns
    return _NS


def _jit_scalar(fn):
    return njit(error_model="numpy")(_rebuild(fn, _kernel_ns()))


_NS32 = None


def _jit_fast32(fn):
    """A FAST32 kernel with its helpers inlined (numba IR), so that the loop
    around it is one branch-free body LLVM can vectorize."""
    global _NS32
    if _NS32 is None:
        ns = dict(vars(sk))
        for h in sk.FAST32_HELPERS:
            ns[h] = njit(error_model="numpy", inline="always")(_rebuild(getattr(sk, h), ns))
        _NS32 = ns
    return njit(error_model="numpy", inline="always")(_rebuild(fn, _NS32))


def _fast32(kernel, kind, dtype):
    return kind == "forward" and dtype == np.float32 and kernel in sk.FAST32


def _compile(decorator, fn, *args, **kw):
    """decorator(*args, cache=True, **kw)(fn), without the cache where numba
    finds no writable cache directory (read-only install, no HOME)."""
    try:
        return decorator(*args, cache=True, **kw)(fn)
    except RuntimeError as exc:
        if "cannot cache" not in str(exc):
            raise
        if not _CACHE_WARNED:
            _CACHE_WARNED.append(True)
            warnings.warn(f"actcore: numba cannot cache compiled kernels here ({exc}); compiling without a "
                          "cache (set NUMBA_CACHE_DIR to a writable directory to keep them)", RuntimeWarning,
                          stacklevel=4)
        return decorator(*args, cache=False, **kw)(fn)


# --------------------------------------------------------------------------
# templates: the special-value rule and the float64 promotion around a
# kernel _K (forward or derivative); _D is a compiled forward template.
# Each use is a copy with its own globals and its own qualified name.
# --------------------------------------------------------------------------
def _K(*args):  # placeholder, replaced in each copy
    raise NotImplementedError


_D = _K
_T = _K


def _t_fwd0(x, lo, hi):
    r = _K(_f64(x))
    r = _f64(hi) if x == _INF else r
    r = _f64(lo) if x == -_INF else r
    return _f64(x) if x != x else r


def _t_fwd1(x, p0, lo, hi):
    r = _K(_f64(x), _f64(p0))
    r = _f64(hi) if x == _INF else r
    r = _f64(lo) if x == -_INF else r
    return _f64(x) if x != x else r


def _t_fwd2(x, p0, p1, lo, hi):
    r = _K(_f64(x), _f64(p0), _f64(p1))
    r = _f64(hi) if x == _INF else r
    r = _f64(lo) if x == -_INF else r
    return _f64(x) if x != x else r


def _t_bwd0(g, x, lo, hi):
    return _f64(g) * _D(x, lo, hi)


def _t_bwd1(g, x, p0, lo, hi):
    return _f64(g) * _D(x, p0, lo, hi)


def _t_bwd2(g, x, p0, p1, lo, hi):
    return _f64(g) * _D(x, p0, p1, lo, hi)


def _t_bwd_output(g, y):
    return _f64(g) * _K(_f64(y))


def _t_f32_0(x, lo, hi):
    r = _K(x)
    r = hi if x == _INF else r
    r = lo if x == -_INF else r
    return x if x != x else r


def _t_f32_1(x, p0, lo, hi):
    r = _K(x, p0)
    r = hi if x == _INF else r
    r = lo if x == -_INF else r
    return x if x != x else r


def _t_f32_2(x, p0, p1, lo, hi):
    r = _K(x, p0, p1)
    r = hi if x == _INF else r
    r = lo if x == -_INF else r
    return x if x != x else r


_FWD = (_t_fwd0, _t_fwd1, _t_fwd2)
_F32 = (_t_f32_0, _t_f32_1, _t_f32_2)
_BWD = (_t_bwd0, _t_bwd1, _t_bwd2)


# contiguous fast path: numba's ufunc loop is only vectorized/fast when every
# operand is contiguous, and the parameters and limits are stride-0 operands
# there; these loops take them as scalars instead (measured: 7-10x faster
# for the cheap kernels at 1M float32)
def _t_loop1(x, out, args):
    for i in range(x.shape[0]):
        out[i] = _T(x[i], *args)


def _t_loop2(g, x, out, args):
    for i in range(x.shape[0]):
        out[i] = _T(g[i], x[i], *args)


def _instance(template, label, **globals_):
    ns = dict(globals())
    ns.update(globals_)
    return _rebuild(template, ns, f"{label}_{_TAG}")


_UFUNCS = {}
_LOOPS = {}


def _template(kernel, kind, npar, label, fast32=False):
    """The scalar template for (kernel, kind) (a plain function to compile)."""
    if fast32:
        return _instance(_F32[npar], label, _K=_jit_fast32(sk.FAST32[kernel]))
    if kind in ("forward", "derivative"):
        fn = sk.FORWARD[kernel] if kind == "forward" else sk.DERIVATIVE[kernel]
        return _instance(_FWD[npar], label, _K=_jit_scalar(fn))
    if kind == "backward":
        d = njit(error_model="numpy")(_instance(_FWD[npar], label + "_d", _K=_jit_scalar(sk.DERIVATIVE[kernel])))
        return _instance(_BWD[npar], label, _D=d)
    return _instance(_t_bwd_output, label, _K=_jit_scalar(sk.OUTPUT_DERIVATIVE[kernel]))


def _loop(kernel, kind, npar, dtype):
    """The contiguous-loop njit function for (kernel, kind): loop(x, out, args)
    or loop(g, x, out, args); compiled per dtype on first call."""
    fast = _fast32(kernel, kind, dtype)
    key = (kernel, kind, fast)
    lp = _LOOPS.get(key)
    if lp is None:
        with _LOCK:
            lp = _LOOPS.get(key)
            if lp is None:
                label = f"{kernel}_{kind}{'_f32' if fast else ''}_loop"
                t = njit(error_model="numpy")(_template(kernel, kind, npar, label + "_t", fast))
                tmpl = _t_loop2 if kind in ("backward", "backward_output") else _t_loop1
                lp = _LOOPS[key] = _compile(njit, _instance(tmpl, label, _T=t), error_model="numpy")
    return lp


def _ufunc(kernel, kind, npar, dtype, target):
    """The ufunc for C-kernel name `kernel`, kind 'forward' | 'derivative' |
    'backward' | 'backward_output', at `dtype` and `target` (built once)."""
    key = (kernel, kind, dtype, target)
    uf = _UFUNCS.get(key)
    if uf is not None:
        return uf
    with _LOCK:
        uf = _UFUNCS.get(key)
        if uf is not None:
            return uf
        t = _NUMBA_T[dtype]
        label = f"{kernel}_{kind}_{dtype.char}_{target}"
        py = _template(kernel, kind, npar, label, _fast32(kernel, kind, dtype))
        nin = {"forward": npar + 3, "derivative": npar + 3, "backward": npar + 4, "backward_output": 2}[kind]
        uf = _compile(vectorize, py, [t(*([t] * nin))], target=target)
        if target == "parallel":
            _PARALLEL_UFUNCS.add(id(uf))
        _UFUNCS[key] = uf
        return uf


_NO_LOCK = contextlib.nullcontext()
_PARALLEL_UFUNCS = set()


def _serial(uf):
    return _PARALLEL_CALL if id(uf) in _PARALLEL_UFUNCS else _NO_LOCK


def _target(act, size):
    return "parallel" if size >= PARALLEL_MIN["cheap" if act.cheap else "transcendental"] else "cpu"


def _compute_dtype(dtype):
    return np.dtype(np.float64) if np.dtype(dtype) == np.float64 else np.dtype(np.float32)


def _limits(act, params, kind):
    """(lo, hi) from the registry for these (rounded) parameters."""
    fn = act.limits if kind == "forward" else act.derivative_limits
    p = {k: (v if isinstance(v, str) else np.asarray(v, np.float64)) for k, v in params.items()}
    return fn(**p)


def _finish(y, dtype, out):
    if y.dtype != dtype:
        y = y.astype(dtype)
    if out is None:
        return y if y.ndim else y[()]
    np.copyto(out, y, casting="same_kind")
    return out


def elementwise(act, x, dtype, params, out, kind="forward"):
    """f(x) (kind 'forward') or f'(x) ('derivative'); `params` rounded to the
    compute precision (a dict, the choice included); result of `dtype`."""
    x = np.asarray(x)
    ct = _compute_dtype(dtype)
    kparams = [np.asarray(params[p.name], ct) for p in act.kernel_params]
    lo, hi = (np.asarray(v, ct) for v in _limits(act, params, kind))
    xc = x.astype(ct, copy=False)
    target = _target(act, xc.size)
    if xc.flags.c_contiguous and all(p.ndim == 0 for p in kparams) and lo.ndim == 0 and hi.ndim == 0:
        res = out if (out is not None and out.dtype == ct and out.shape == xc.shape
                      and out.flags.c_contiguous) else np.empty(xc.shape, ct)
        args = tuple(ct.type(v) for v in (*kparams, lo, hi))
        _loop(act.kernel_for(**params), kind, len(kparams), ct)(xc.reshape(-1), res.reshape(-1), args)
        return out if res is out else _finish(res, np.dtype(dtype), out)
    uf = _ufunc(act.kernel_for(**params), kind, len(kparams), ct, target)
    direct = out if (out is not None and out.dtype == ct and out.shape == np.broadcast_shapes(
        xc.shape, *(p.shape for p in kparams))) else None
    with np.errstate(all="ignore"), _serial(uf):
        y = uf(xc, *kparams, lo, hi, out=direct)
    if direct is not None:
        return out
    return _finish(np.asarray(y), np.dtype(dtype), out)


def backward(act, g, x, dtype, params, out, from_output=False):
    """grad * f'(x) (or from the output y with `from_output`)."""
    g, x = np.asarray(g), np.asarray(x)
    ct = _compute_dtype(dtype)
    gc, xc = g.astype(ct, copy=False), x.astype(ct, copy=False)
    kparams = [] if from_output else [np.asarray(params[p.name], ct) for p in act.kernel_params]
    if gc.shape == xc.shape and gc.flags.c_contiguous and xc.flags.c_contiguous and \
            all(p.ndim == 0 for p in kparams):
        res = out if (out is not None and out.dtype == ct and out.shape == xc.shape
                      and out.flags.c_contiguous) else np.empty(xc.shape, ct)
        if from_output:
            kind, kernel, args = "backward_output", act.name, ()
        else:
            lo, hi = (np.asarray(v, ct) for v in _limits(act, params, "derivative"))
            kind, kernel, args = "backward", act.kernel_for(**params), tuple(ct.type(v) for v in (*kparams, lo, hi))
        _loop(kernel, kind, len(kparams), ct)(gc.reshape(-1), xc.reshape(-1), res.reshape(-1), args)
        return out if res is out else _finish(res, np.dtype(dtype), out)
    if from_output:
        uf = _ufunc(act.name, "backward_output", 0, ct,
                    _target(act, max(gc.size, xc.size)))
        args = (gc, xc)
    else:
        kparams = [np.asarray(params[p.name], ct) for p in act.kernel_params]
        lo, hi = (np.asarray(v, ct) for v in _limits(act, params, "derivative"))
        uf = _ufunc(act.kernel_for(**params), "backward", len(kparams), ct, _target(act, max(gc.size, xc.size)))
        args = (gc, xc, *kparams, lo, hi)
    shape = np.broadcast_shapes(*(a.shape for a in args))
    direct = out if (out is not None and out.dtype == ct and out.shape == shape) else None
    with np.errstate(all="ignore"), _serial(uf):
        y = uf(*args, out=direct)
    if direct is not None:
        return out
    return _finish(np.asarray(y), np.dtype(dtype), out)


# --------------------------------------------------------------------------
# softmax family: one row (the last axis) per gufunc call
# --------------------------------------------------------------------------
@njit(error_model="numpy", cache=False)
def _softmax_impl(x, valid, t, out, log):
    n = x.shape[0]
    anynan = False
    npinf = 0
    m = -_INF
    for i in range(n):
        if valid[i]:
            v = _f64(x[i])
            if v != v:
                anynan = True
            elif v == _INF:
                npinf += 1
            if v > m:
                m = v
    if anynan:
        for i in range(n):
            out[i] = math.nan
        return
    if npinf > 0:
        for i in range(n):
            hit = valid[i] and x[i] == _INF
            if log:
                out[i] = -math.log(npinf) if hit else -_INF
            else:
                out[i] = 1.0 / npinf if hit else 0.0
        return
    if m == -_INF:  # every entry -inf or masked
        for i in range(n):
            out[i] = -_INF if log else 0.0
        return
    s = 0.0
    nmax = 0
    for i in range(n):
        if valid[i]:
            v = _f64(x[i])
            if v == m:
                nmax += 1
            else:
                s += math.exp((v - m) / t)
    sprime = (nmax - 1) + s
    if log:
        lse = math.log1p(sprime)
        for i in range(n):
            v = _f64(x[i])
            out[i] = (v - m) / t - lse if (valid[i] and v != -_INF) else -_INF
    else:
        d = 1.0 + sprime
        for i in range(n):
            out[i] = math.exp((_f64(x[i]) - m) / t) / d if valid[i] else 0.0


def _softmax_row(x, valid, t, out):
    _softmax_impl(x, valid, t, out, False)


def _log_softmax_row(x, valid, t, out):
    _softmax_impl(x, valid, t, out, True)


def _softmax_backward_row(g, y, out):
    s = 0.0
    for i in range(g.shape[0]):
        s += _f64(g[i]) * _f64(y[i])
    for i in range(g.shape[0]):
        out[i] = _f64(y[i]) * (_f64(g[i]) - s)


def _log_softmax_backward_row(g, y, out):
    s = 0.0
    for i in range(g.shape[0]):
        s += _f64(g[i])
    for i in range(g.shape[0]):
        out[i] = _f64(g[i]) - math.exp(_f64(y[i])) * s


_ROWS = {"softmax": _softmax_row, "log_softmax": _log_softmax_row,
         "softmax_backward": _softmax_backward_row, "log_softmax_backward": _log_softmax_backward_row}
_GUFUNCS = {}


def gufunc(name, dtype, size):
    """The gufunc `name` ('softmax', 'log_softmax' with signature
    (n),(n),()->(n); 'softmax_backward', 'log_softmax_backward' with
    (n),(n)->(n)) for `dtype`, target chosen from the total `size`."""
    dtype = _compute_dtype(dtype)
    target = "parallel" if size >= PARALLEL_MIN["transcendental"] else "cpu"
    key = (name, dtype, target)
    gu = _GUFUNCS.get(key)
    if gu is not None:
        return gu
    with _LOCK:
        gu = _GUFUNCS.get(key)
        if gu is not None:
            return gu
        t = _NUMBA_T[dtype]
        py = _instance(_ROWS[name], f"{name}_{dtype.char}_{target}")
        if name in ("softmax", "log_softmax"):
            gu = _compile(guvectorize, py, [(t[:], boolean[:], float64, t[:])], "(n),(n),()->(n)", target=target)
        else:
            gu = _compile(guvectorize, py, [(t[:], t[:], t[:])], "(n),(n)->(n)", target=target)
        if target == "parallel":
            _PARALLEL_UFUNCS.add(id(gu))
        _GUFUNCS[key] = gu
        return gu
