"""The `cuda` backend: the scalar kernels of scalar_kernels.py compiled by
numba-cuda into @cuda.jit device functions, called from grid-stride
elementwise kernels; softmax / log_softmax and their backward passes as one
block per row with shared-memory tree reductions.

Imported only when the cuda backend is first used.  Needs the numba-cuda
package (pip install actcore[cuda]) and an NVIDIA GPU, or
NUMBA_ENABLE_CUDASIM=1 (numba's CUDA simulator: correct but slow, for tests).

Data movement
  * Anything with __cuda_array_interface__ (numba device arrays, CuPy
    arrays, torch CUDA tensors) is used in place, without a copy, and the
    result is a numba device array (wrap it with cupy.asarray /
    torch.as_tensor, both zero-copy).  Device inputs must be C-contiguous;
    `out=` may be a device array of the input's shape and dtype.
  * Host (NumPy) inputs are copied to the device, computed there, and the
    result copied back into a NumPy array: convenient, but the two copies
    cost more than the computation -- keep data on the GPU.

Numerics as the numba CPU backend: float32 computed in float64 inside the
kernel and rounded once (fast on data-centre GPUs; consumer GPUs have slow
float64), NaN -> NaN, +-inf -> the registry's limits, no fast-math.  float16
host arrays are computed in float32; float16 device arrays are refused.
"""
from __future__ import annotations

import math
import threading
import types

import numpy as np
from numba import config, cuda, float64, int32

from . import scalar_kernels as sk

_SIM = bool(config.ENABLE_CUDASIM)
TPB = 32 if _SIM else 256           # threads per block (elementwise and per softmax row)
MAX_BLOCKS = 64 if _SIM else 65535  # grid-stride loops cover the rest
_LOCK = threading.RLock()
_INF = math.inf


def require_device():
    if not cuda.is_available():
        raise RuntimeError("backend 'cuda': no usable CUDA GPU/driver found by numba-cuda "
                           "(NUMBA_ENABLE_CUDASIM=1 runs numba's CUDA simulator instead)")


def _rebuild(fn, ns):
    f = types.FunctionType(fn.__code__, ns, fn.__name__, fn.__defaults__, fn.__closure__)
    f.__qualname__ = fn.__qualname__
    return f


_NS = None


def _device_ns():
    global _NS
    if _NS is None:
        ns = dict(vars(sk))
        for h in sk.HELPERS:
            ns[h] = cuda.jit(device=True)(_rebuild(getattr(sk, h), ns))
        _NS = ns
    return _NS


def _device(fn):
    return cuda.jit(device=True)(_rebuild(fn, _device_ns()))


# --------------------------------------------------------------------------
# elementwise kernels, generated per (parameter count, kind, scalar/array
# parameters) around one device function K
# --------------------------------------------------------------------------
def _kernel_source(npar, kind, arrays):
    idx = "[i]" if arrays else ""
    ps = [f"p{j}" for j in range(npar)]
    pargs = "".join(f", _f64(p{j}{idx})" for j in range(npar))
    if kind == "backward_output":
        return ("def kern(g, x, out):\n"
                "    i = cuda.grid(1)\n    stride = cuda.gridsize(1)\n"
                "    while i < x.size:\n"
                "        out[i] = _f64(g[i]) * K(_f64(x[i]))\n"
                "        i += stride\n")
    head = "g, x" if kind == "backward" else "x"
    scale = "_f64(g[i]) * " if kind == "backward" else ""
    return (f"def kern({head}, {''.join(p + ', ' for p in ps)}lo, hi, out):\n"
            "    i = cuda.grid(1)\n    stride = cuda.gridsize(1)\n"
            "    while i < x.size:\n"
            "        v = x[i]\n"
            "        if v != v:\n            r = _f64(v)\n"
            f"        elif v == _INF:\n            r = _f64(hi{idx})\n"
            f"        elif v == -_INF:\n            r = _f64(lo{idx})\n"
            f"        else:\n            r = K(_f64(v){pargs})\n"
            f"        out[i] = {scale}r\n"
            "        i += stride\n")


_KERNELS = {}


def _kernel(kernel, kind, npar, arrays):
    key = (kernel, kind, npar, arrays)
    k = _KERNELS.get(key)
    if k is None:
        with _LOCK:
            k = _KERNELS.get(key)
            if k is None:
                if kind == "backward_output":
                    fn = sk.OUTPUT_DERIVATIVE[kernel]
                else:
                    fn = sk.FORWARD[kernel] if kind == "forward" else sk.DERIVATIVE[kernel]
                ns = {"cuda": cuda, "_f64": float64, "_INF": _INF, "K": _device(fn)}
                exec(compile(_kernel_source(npar, kind, arrays), f"<actcore cuda {kernel} {kind}>", "exec"), ns)
                k = _KERNELS[key] = cuda.jit(ns["kern"])
    return k




def _grid(n):
    return max(1, min(MAX_BLOCKS, (n + TPB - 1) // TPB)), TPB


# --------------------------------------------------------------------------
# host / device plumbing
# --------------------------------------------------------------------------
def _is_device(a):
    from .._dispatch import is_device_array
    return is_device_array(a)


def _as_device(a):
    """A numba device array viewing `a` (no copy)."""
    if hasattr(type(a), "copy_to_host"):  # numba's own (or the simulator's) device array
        return a
    return cuda.as_cuda_array(a)


def _dtype_of(a):
    if _is_device(a):
        return np.dtype(_as_device(a).dtype)
    return np.asarray(a).dtype


def _compute_dtype(dtype, device):
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return dtype
    if dtype == np.float32 or (dtype == np.float16 and not device):
        return np.dtype(np.float32)
    if not device and dtype.kind in "biu":
        return np.dtype(np.float64)
    raise TypeError(f"actcore (cuda backend): unsupported dtype {dtype} "
                    f"({'device arrays must be float32 or float64' if device else 'expected a float dtype'})")


def _flat_device(a, ct, shape=None):
    """(flat device array, shape, was on device)."""
    if _is_device(a):
        d = _as_device(a)
        if np.dtype(d.dtype) != ct:
            raise TypeError(f"actcore (cuda backend): device arrays must all have dtype {ct}, got {d.dtype}")
        if shape is not None and tuple(d.shape) != tuple(shape):
            raise ValueError(f"actcore (cuda backend): device arrays must have the same shape "
                             f"(no broadcasting on the device): {tuple(d.shape)} vs {tuple(shape)}")
        if not d.is_c_contiguous():
            raise ValueError("actcore (cuda backend): device arrays must be C-contiguous")
        return d.reshape(d.size), tuple(d.shape), True
    h = np.asarray(a, dtype=ct)
    if shape is not None:
        h = np.broadcast_to(h, shape)
    h = np.ascontiguousarray(h)
    return cuda.to_device(h.reshape(-1)), h.shape, False


def _output(out, shape, ct, on_device):
    """(flat device array to write, finisher(flat) -> what the call returns)."""
    if out is not None and _is_device(out):
        d = _as_device(out)
        if tuple(d.shape) != tuple(shape) or np.dtype(d.dtype) != ct or not d.is_c_contiguous():
            raise ValueError(f"actcore (cuda backend): out must be a C-contiguous device array of shape "
                             f"{tuple(shape)} and dtype {ct}")
        return d.reshape(d.size), lambda flat: out
    dev = cuda.device_array(int(np.prod(shape, dtype=np.int64)), dtype=ct)
    if on_device and out is None:
        return dev, lambda flat: flat.reshape(shape)

    def to_host(flat):
        y = flat.copy_to_host().reshape(shape)
        if out is None:
            return y
        np.copyto(out, y, casting="same_kind")
        return out
    return dev, to_host


def _scalar_or_array(values, ct, shape):
    """Parameters (and limits) as kernel scalars when they are single values,
    else as flat device arrays broadcast to `shape`."""
    arrs = [np.asarray(v, np.float64) for v in values]
    if all(a.size == 1 for a in arrs):
        return [ct.type(a.reshape(())) for a in arrs], False
    return [cuda.to_device(np.ascontiguousarray(np.broadcast_to(a, shape), dtype=ct).reshape(-1))
            for a in arrs], True  # noqa: the limits broadcast with the parameters


def _limits(act, params, kind):
    fn = act.limits if kind == "forward" else act.derivative_limits
    return fn(**{k: (v if isinstance(v, str) else np.asarray(v, np.float64)) for k, v in params.items()})


def elementwise(act, x, cast, params, out, kind="forward"):
    """f(x) or f'(x) on the GPU; `params` already rounded to the compute precision."""
    device = _is_device(x)
    ct = _compute_dtype(cast if cast is not None else _dtype_of(x), device)
    kparams = [params[p.name] for p in act.kernel_params]
    shape = tuple(x.shape) if device else np.broadcast_shapes(np.shape(x), *(np.shape(p) for p in kparams))
    xd, shape, _ = _flat_device(x, ct, shape if not device else None)
    args, arrays = _scalar_or_array(kparams + list(_limits(act, params, kind)), ct, shape)
    res, finish = _output(out, shape, ct, device)
    n = xd.size
    if n:
        with np.errstate(all="ignore"):
            _kernel(act.kernel_for(**params), kind, len(kparams), arrays)[_grid(n)](xd, *args, res)
    y = finish(res)
    if not device and out is None:
        y = y.astype(np.dtype(cast) if cast is not None else _dtype_of(x), copy=False)
        return y if y.ndim else y[()]
    return y


def backward(act, g, x, cast, params, out, from_output=False):
    """grad * f'(x) (or grad * f'(y) from the output y with `from_output`)."""
    device = _is_device(x) or _is_device(g)
    dt = np.dtype(cast) if cast is not None else np.result_type(_dtype_of(g), _dtype_of(x))
    ct = _compute_dtype(dt, device)
    kparams = [] if from_output else [params[p.name] for p in act.kernel_params]
    shape = (tuple(x.shape) if _is_device(x) else tuple(g.shape)) if device else \
        np.broadcast_shapes(np.shape(g), np.shape(x), *(np.shape(p) for p in kparams))
    gd, _, _ = _flat_device(g, ct, shape)
    xd, _, _ = _flat_device(x, ct, shape)
    res, finish = _output(out, shape, ct, device)
    n = xd.size
    if from_output:
        if n:
            with np.errstate(all="ignore"):
                _kernel(act.name, "backward_output", 0, False)[_grid(n)](gd, xd, res)
    else:
        args, arrays = _scalar_or_array(kparams + list(_limits(act, params, "derivative")), ct, shape)
        if n:
            with np.errstate(all="ignore"):
                _kernel(act.kernel_for(**params), "backward", len(kparams), arrays)[_grid(n)](gd, xd, *args, res)
    y = finish(res)
    if not device and out is None:
        y = np.asarray(y).astype(dt, copy=False)
        return y if y.ndim else y[()]
    return y


# --------------------------------------------------------------------------
# softmax family: one block per row; the row is (o, :, j) of x viewed as
# (outer, n, inner), so any axis works without transposing
# --------------------------------------------------------------------------
def _softmax_kernel_factory(tpb):
    f64 = float64

    @cuda.jit
    def softmax_rows(x, mask, has_mask, t, log, out):
        inner = x.shape[2]
        n = x.shape[1]
        r = cuda.blockIdx.x
        while r < x.shape[0] * inner:
            o = r // inner
            j = r - o * inner
            tid = cuda.threadIdx.x
            smax = cuda.shared.array(tpb, float64)
            scnt = cuda.shared.array(tpb, int32)
            snan = cuda.shared.array(tpb, int32)
            m = -_INF
            npinf = 0
            anynan = 0
            k = tid
            while k < n:
                if has_mask == 0 or mask[o, k, j]:
                    v = f64(x[o, k, j])
                    if v != v:
                        anynan = 1
                    elif v == _INF:
                        npinf += 1
                    if v > m:
                        m = v
                k += tpb
            smax[tid] = m
            scnt[tid] = npinf
            snan[tid] = anynan
            cuda.syncthreads()
            s = tpb // 2
            while s > 0:
                if tid < s:
                    if smax[tid + s] > smax[tid]:
                        smax[tid] = smax[tid + s]
                    scnt[tid] += scnt[tid + s]
                    snan[tid] = max(snan[tid], snan[tid + s])
                cuda.syncthreads()
                s //= 2
            m = smax[0]
            npinf = scnt[0]
            anynan = snan[0]
            cuda.syncthreads()
            if anynan != 0:
                k = tid
                while k < n:
                    out[o, k, j] = math.nan
                    k += tpb
            elif npinf > 0:
                k = tid
                while k < n:
                    hit = (has_mask == 0 or mask[o, k, j]) and x[o, k, j] == _INF
                    if log:
                        out[o, k, j] = -math.log(f64(npinf)) if hit else -_INF
                    else:
                        out[o, k, j] = 1.0 / npinf if hit else 0.0
                    k += tpb
            elif m == -_INF:
                k = tid
                while k < n:
                    out[o, k, j] = -_INF if log else 0.0
                    k += tpb
            else:
                acc = 0.0
                nmax = 0
                k = tid
                while k < n:
                    if has_mask == 0 or mask[o, k, j]:
                        v = f64(x[o, k, j])
                        if v == m:
                            nmax += 1
                        else:
                            acc += math.exp((v - m) / t)
                    k += tpb
                smax[tid] = acc
                scnt[tid] = nmax
                cuda.syncthreads()
                s = tpb // 2
                while s > 0:
                    if tid < s:
                        smax[tid] += smax[tid + s]
                        scnt[tid] += scnt[tid + s]
                    cuda.syncthreads()
                    s //= 2
                sprime = (scnt[0] - 1) + smax[0]
                lse = math.log1p(sprime)
                d = 1.0 + sprime
                k = tid
                while k < n:
                    valid = has_mask == 0 or mask[o, k, j]
                    v = f64(x[o, k, j])
                    if log:
                        out[o, k, j] = (v - m) / t - lse if (valid and v != -_INF) else -_INF
                    else:
                        out[o, k, j] = math.exp((v - m) / t) / d if valid else 0.0
                    k += tpb
            cuda.syncthreads()
            r += cuda.gridDim.x

    @cuda.jit
    def backward_rows(g, y, log, out):
        inner = g.shape[2]
        n = g.shape[1]
        r = cuda.blockIdx.x
        while r < g.shape[0] * inner:
            o = r // inner
            j = r - o * inner
            tid = cuda.threadIdx.x
            ssum = cuda.shared.array(tpb, float64)
            acc = 0.0
            k = tid
            while k < n:
                acc += f64(g[o, k, j]) if log else f64(g[o, k, j]) * f64(y[o, k, j])
                k += tpb
            ssum[tid] = acc
            cuda.syncthreads()
            s = tpb // 2
            while s > 0:
                if tid < s:
                    ssum[tid] += ssum[tid + s]
                cuda.syncthreads()
                s //= 2
            tot = ssum[0]
            k = tid
            while k < n:
                gv = f64(g[o, k, j])
                yv = f64(y[o, k, j])
                out[o, k, j] = gv - math.exp(yv) * tot if log else yv * (gv - tot)
                k += tpb
            cuda.syncthreads()
            r += cuda.gridDim.x

    return softmax_rows, backward_rows


_ROW_KERNELS = []


def _row_kernels():
    if not _ROW_KERNELS:
        with _LOCK:
            if not _ROW_KERNELS:
                _ROW_KERNELS.extend(_softmax_kernel_factory(TPB))
    return _ROW_KERNELS


def _axis(axis, ndim, func):
    from ..softmax import _normalize_axis  # the one axis rule of the softmax family
    return _normalize_axis(axis, ndim, func)


def _three(shape, axis):
    outer = int(np.prod(shape[:axis], dtype=np.int64))
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return outer, shape[axis], inner


def _rows_grid(rows):
    return max(1, min(rows, MAX_BLOCKS * 16)), TPB


def softmax(x, axis, t, where, log, out, func):
    device = _is_device(x)
    ct = _compute_dtype(_dtype_of(x), device)
    shape = tuple(x.shape) if device else np.shape(x)
    squeeze = len(shape) == 0
    if squeeze:
        shape = (1,)
    axis = _axis(axis, len(shape), func)
    xd, shape, _ = _flat_device(x if not squeeze else np.reshape(x, (1,)), ct)
    o3 = _three(shape, axis)
    if where is None:
        md, has = cuda.to_device(np.ones(1, np.bool_)), 0
        m3 = md.reshape(1, 1, 1)
    else:
        if _is_device(where):
            md = _as_device(where)
            if tuple(md.shape) != tuple(shape):
                raise ValueError(f"actcore.{func}: a device `where` must have x's shape {tuple(shape)}")
        else:
            w = np.asarray(where)
            if w.dtype != np.bool_:
                from .._validate import ParameterError
                raise ParameterError(f"actcore.{func}: where must be a boolean array, got dtype {w.dtype}")
            md = cuda.to_device(np.ascontiguousarray(np.broadcast_to(w, shape)))
        m3, has = md.reshape(*o3), 1
    res, finish = _output(out, shape, ct, device)
    if xd.size:
        with np.errstate(all="ignore"):
            _row_kernels()[0][_rows_grid(o3[0] * o3[2])](xd.reshape(*o3), m3, has, float(t), bool(log),
                                                        res.reshape(*o3))
    y = finish(res)
    if not device and out is None:
        y = np.asarray(y).astype(_dtype_of(x), copy=False)
        return y[0] if squeeze else y
    return y


def softmax_backward(g, y, axis, log, out, func):
    device = _is_device(g) or _is_device(y)
    dt = np.result_type(_dtype_of(g), _dtype_of(y))
    ct = _compute_dtype(dt, device)
    shape = tuple(g.shape) if _is_device(g) else np.shape(g)
    if tuple(y.shape if _is_device(y) else np.shape(y)) != tuple(shape):
        raise ValueError(f"actcore.{func}: grad_output has shape {tuple(shape)} but output has shape "
                         f"{tuple(np.shape(y) if not _is_device(y) else y.shape)}")
    squeeze = len(shape) == 0
    if squeeze:
        shape = (1,)
        g, y = np.reshape(g, (1,)), np.reshape(y, (1,))
    axis = _axis(axis, len(shape), func)
    gd, _, _ = _flat_device(g, ct, shape)
    yd, _, _ = _flat_device(y, ct, shape)
    o3 = _three(shape, axis)
    res, finish = _output(out, shape, ct, device)
    if gd.size:
        with np.errstate(all="ignore"):
            _row_kernels()[1][_rows_grid(o3[0] * o3[2])](gd.reshape(*o3), yd.reshape(*o3), bool(log),
                                                        res.reshape(*o3))
    r = finish(res)
    if not device and out is None:
        r = np.asarray(r).astype(dt, copy=False)
        return r[0] if squeeze else r
    return r
