"""softmax and log_softmax along any axis, with a mask and a temperature.

    softmax(x, axis=-1, temperature=1.0, where=None, out=None)
    log_softmax(x, axis=-1, temperature=1.0, where=None, out=None)

Computed by C row kernels (src_c/softmax_impl.h) behind two gufuncs with
signature (n),(n),()->(n) (`actcore.ufuncs.softmax`, `...log_softmax`); the
numba backend has the same gufuncs compiled by numba
(backends/numba_cpu.py), the cuda backend one block per row
(backends/numba_cuda.py).
Numerics: the row max is subtracted exactly, exp's argument carries the
rounding error of x - max, the sum excludes the max term and accumulates in
double, and log_softmax uses log1p of that sum, so peaked rows stay exact.

Special rows, by definition here (not errors): a row with NaN gives NaN; a
row with +inf entries gives their limit (the +inf positions share the mass
equally); a row that is all -inf or all masked gives zeros from softmax and
-inf from log_softmax (the "safe softmax" attention code needs).
"""
from __future__ import annotations

import contextlib
import math

import numpy as np
from numpy.exceptions import AxisError

from . import _dispatch, _validate
from .backends import reference

try:
    from . import _core
    _GUFUNCS = _core.build_softmax_gufuncs({
        "softmax": "softmax(x, where, temperature) along the last axis (gufunc (n),(n),()->(n)); "
                   "see actcore.softmax for the checked function.",
        "log_softmax": "log_softmax(x, where, temperature) along the last axis (gufunc (n),(n),()->(n)); "
                       "see actcore.log_softmax for the checked function.",
        "softmax_backward": "softmax_backward(grad_output, output) along the last axis (gufunc (n),(n)->(n)).",
        "log_softmax_backward": "log_softmax_backward(grad_output, output) along the last axis "
                                "(gufunc (n),(n)->(n)).",
    })
except ImportError:
    _GUFUNCS = None

_NO_CONTEXT = contextlib.nullcontext()

__all__ = ["softmax", "log_softmax", "softmax_backward", "log_softmax_backward", "softmax_jacobian"]


def _normalize_axis(axis, ndim, func):
    try:
        axis = int(axis) if not isinstance(axis, bool) else None
    except (TypeError, ValueError):
        axis = None
    if axis is None:
        raise AxisError(f"actcore.{func}: axis must be an integer")
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, f"actcore.{func}")
    return axis % ndim


def _temperature(value, func):
    try:
        t = float(value)
    except (TypeError, ValueError):
        raise _validate.ParameterError(f"actcore.{func}: temperature must be a real number, "
                                       f"got {type(value).__name__}") from None
    if not (t > 0 and math.isfinite(t)):
        raise _validate.ParameterError(f"actcore.{func}: temperature must be finite and > 0, got {t}")
    return t


def _mask(where, shape, func):
    if where is None:
        return None
    w = np.asarray(where)
    if w.dtype != np.bool_:
        raise _validate.ParameterError(f"actcore.{func}: where must be a boolean array, got dtype {w.dtype}")
    try:
        return np.broadcast_to(w, shape)
    except ValueError:
        raise _validate.ParameterError(f"actcore.{func}: where with shape {w.shape} is not broadcastable to "
                                       f"x's shape {shape}") from None


_FAST_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_ALL_TRUE = {}  # row length -> read-only all-True mask row (broadcast over the outer dimensions)


# The float32 row kernels carry T and 1/T as float32 (a pair for T): both
# must be normal floats with room to spare, else every q = (x - m)/T rounds
# to 0 (T = 1e300: the padding lanes would count) or overflows.  Outside
# [2^-120, 2^120] a float32 row is computed by the float64 kernel (exact
# inputs, one rounding at the end); outside [2^-1000, 2^1000] by the float64
# reference formulas.
_KERNEL_T_MIN, _KERNEL_T_MAX = 2.0**-120, 2.0**120
_KERNEL64_T_MIN, _KERNEL64_T_MAX = 2.0**-1000, 2.0**1000


def _kernel_for_temperature(name, compute, t):
    """(backend name, compute dtype) that handle temperature t exactly."""
    if name not in ("c", "numba") or _KERNEL_T_MIN <= t <= _KERNEL_T_MAX:
        return name, compute
    if _KERNEL64_T_MIN <= t <= _KERNEL64_T_MAX:
        return name, np.dtype(np.float64)
    return "reference", compute


def _rows_ok(a, like):
    """a is an ndarray shaped and typed like `like` whose rows are contiguous."""
    return (type(a) is np.ndarray and a.shape == like.shape and a.dtype == like.dtype
            and (a.shape[-1] <= 1 or a.strides[-1] == a.itemsize))


def _fast_forward(log, x, axis, temperature, where, out, backend):
    """The hot path (float32/64 array, last axis, no mask, default backend):
    straight to the gufunc, skipping the general checks that cost more than a
    1024x1024 softmax's kernel time on two threads.  None when it does not apply."""
    if (where is not None or backend is not None or type(x) is not np.ndarray or _GUFUNCS is None
            or type(temperature) is not float or not _KERNEL_T_MIN <= temperature <= _KERNEL_T_MAX):
        return None
    if x.ndim == 0 or x.dtype not in _FAST_DTYPES or type(axis) is not int or not (axis == -1 or axis == x.ndim - 1):
        return None
    if not _rows_ok(x, x) or (out is not None and not _rows_ok(out, x)) or not _dispatch.c_is_default():
        return None
    n = x.shape[-1]
    mask = _ALL_TRUE.get(n)
    if mask is None:
        mask = _ALL_TRUE.setdefault(n, np.broadcast_to(np.True_, (n,)))
    return _GUFUNCS["log_softmax" if log else "softmax"](x, mask, temperature, out=out)


def _run(func, log, x, axis, temperature, where, out, backend):
    y = _fast_forward(log, x, axis, temperature, where, out, backend)
    if y is not None:
        return y
    if _validate.is_dask_array(x) or _validate.is_dask_array(where):
        from . import dask  # lazy, block by block (see src/actcore/dask.py)
        return dask.softmax(func, log, x, axis, temperature, where, out, backend)
    if _dispatch.is_device_array(x) or _dispatch.is_device_array(out) or (
            backend or _dispatch.default_backend()) == "cuda":
        _dispatch.resolve(backend, x, out)  # checks: device arrays need the cuda backend
        t = _temperature(temperature, func)
        return _dispatch._cuda().softmax(x, axis, t, where, log, out, func)
    x, cast = _validate.prepare_x(x, func)
    x = np.asarray(x)
    t = _temperature(temperature, func)
    _validate.check_out(out, func)
    squeeze = x.ndim == 0
    if squeeze:  # a scalar is a row of one
        x = x.reshape(1)
    axis = _normalize_axis(axis, x.ndim, func)
    mask = _mask(where, x.shape, func)
    if out is not None and np.shape(out) != np.shape(x if not squeeze else x[0]):
        raise ValueError(f"actcore.{func}: out has shape {np.shape(out)}, expected {x.shape}")
    compute = np.dtype(cast) if cast is not None else x.dtype
    if compute == np.float16:
        compute = np.dtype(np.float32)
    name = _dispatch.check_backend(backend) if backend is not None else _dispatch.default_backend()
    name, compute = _kernel_for_temperature(name, compute, t)

    result_dtype = np.dtype(cast or x.dtype)
    if name == "reference" or (name == "c" and _GUFUNCS is None):
        y = reference.softmax(x.astype(np.float64), axis, t, mask, log).astype(result_dtype)
    else:
        kind = "log_softmax" if log else "softmax"
        gufunc = _GUFUNCS[kind] if name == "c" else _dispatch._numba().gufunc(kind, compute, x.size)
        direct = out if (out is not None and not squeeze and out.dtype == compute) else None
        with np.errstate(all="ignore") if name == "numba" else _NO_CONTEXT, \
                _dispatch._numba()._serial(gufunc) if name == "numba" else _NO_CONTEXT:
            y = _c(gufunc, x.astype(compute, copy=False), axis, t, mask, direct)
        if direct is not None:
            return out
        if y.dtype != result_dtype:
            y = y.astype(result_dtype)
    if squeeze:
        y = y[0]
    if out is None:
        return y
    np.copyto(out, y, casting="same_kind")
    return out


def _c(gufunc, x, axis, t, mask, out=None):
    """Run the gufunc with the softmax axis last, writing into `out` when given
    (same dtype); rows that are not contiguous in memory are computed on a
    contiguous copy (one transposed copy)."""
    x0 = np.moveaxis(x, axis, -1)
    m0 = np.broadcast_to(np.True_, x0.shape) if mask is None else np.moveaxis(mask, axis, -1)
    if x0.shape[-1] > 1 and x0.strides[-1] != x0.itemsize:
        x0 = np.ascontiguousarray(x0)
        m0 = np.ascontiguousarray(m0) if mask is not None else m0
    o0 = None if out is None else np.moveaxis(out, axis, -1)
    if o0 is not None and o0.shape[-1] > 1 and o0.strides[-1] != o0.itemsize:
        np.copyto(o0, gufunc(x0, m0, np.float64(t)))
        return out
    y0 = gufunc(x0, m0, np.float64(t), out=o0)
    return np.moveaxis(y0, -1, axis)


def softmax(x, axis=-1, temperature=1.0, where=None, out=None, *, backend=None):
    """Softmax along `axis`: exp(x/T - max) / sum(exp(x/T - max)).

    Parameters
    ----------
    x : array_like
        Logits.  float16/32/64 keep their dtype (float16 computed in float32);
        integers and bools compute in float64.
    axis : int, default -1
        Axis along which the entries sum to 1 (negative counts from the end).
    temperature : float, default 1.0
        T > 0; small T approaches argmax, large T approaches uniform.
    where : array_like of bool, optional
        Broadcastable to x; False entries get 0 and take no part in the sum.
    out : ndarray, optional
        Result array (same shape as x).
    backend : {None, 'c', 'numba', 'cuda', 'reference'}, optional
        None follows actcore.use_backend / ACTCORE_BACKEND (GPU arrays: 'cuda').

    Rows with NaN give NaN; rows with +inf give the limit (the +inf entries
    share the mass); rows that are all -inf or all masked give zeros.
    Accuracy (float32): within 4 ulp per element of a float64 reference.
    """
    return _run("softmax", False, x, axis, temperature, where, out, backend)


def log_softmax(x, axis=-1, temperature=1.0, where=None, out=None, *, backend=None):
    """log(softmax(x)) computed as x/T - max - log1p(sum over the non-max
    terms of exp(x/T - max)): exact for peaked rows where log(sum(exp))
    would round the small terms away.

    Parameters as for actcore.softmax.  Masked entries and rows that are all
    -inf or all masked give -inf.
    """
    return _run("log_softmax", True, x, axis, temperature, where, out, backend)


def _backward(func, log, grad_output, output, axis, out, backend):
    if (backend is None and type(grad_output) is np.ndarray and _GUFUNCS is not None and grad_output.ndim > 0
            and grad_output.dtype in _FAST_DTYPES and type(axis) is int
            and (axis == -1 or axis == grad_output.ndim - 1) and _rows_ok(grad_output, grad_output)
            and _rows_ok(output, grad_output) and (out is None or _rows_ok(out, grad_output))
            and _dispatch.c_is_default()):  # the hot path, as in _fast_forward
        return _GUFUNCS["log_softmax_backward" if log else "softmax_backward"](grad_output, output, out=out)
    if _validate.is_dask_array(grad_output) or _validate.is_dask_array(output):
        from . import dask
        return dask.softmax_backward(func, log, grad_output, output, axis, out, backend)
    if any(_dispatch.is_device_array(a) for a in (grad_output, output, out)) or (
            backend or _dispatch.default_backend()) == "cuda":
        _dispatch.resolve(backend, grad_output, output, out)
        return _dispatch._cuda().softmax_backward(grad_output, output, axis, log, out, func)
    g, gcast = _validate.prepare_x(grad_output, func)
    y, ycast = _validate.prepare_x(output, func)
    g, y = np.asarray(g), np.asarray(y)
    if g.shape != y.shape:
        raise ValueError(f"actcore.{func}: grad_output has shape {g.shape} but output has shape {y.shape}")
    _validate.check_out(out, func)
    if out is not None and np.shape(out) != g.shape:
        raise ValueError(f"actcore.{func}: out has shape {np.shape(out)}, expected {g.shape}")
    result_dtype = np.result_type(gcast or g.dtype, ycast or y.dtype)
    compute = np.dtype(np.float32) if result_dtype in (np.float16, np.float32) else np.dtype(np.float64)
    squeeze = g.ndim == 0
    if squeeze:
        g, y = g.reshape(1), y.reshape(1)
    axis = _normalize_axis(axis, g.ndim, func)
    name = _dispatch.check_backend(backend) if backend is not None else _dispatch.default_backend()
    if name == "reference" or (name == "c" and _GUFUNCS is None):
        dx = reference.softmax_backward(g.astype(np.float64), y.astype(np.float64), axis, log)
    else:
        kind = "log_softmax_backward" if log else "softmax_backward"
        gufunc = _GUFUNCS[kind] if name == "c" else _dispatch._numba().gufunc(kind, compute, g.size)
        g0 = np.moveaxis(g.astype(compute, copy=False), axis, -1)
        y0 = np.moveaxis(y.astype(compute, copy=False), axis, -1)
        if (name == "c" and out is not None and not squeeze and isinstance(out, np.ndarray)
                and out.dtype == result_dtype and out.dtype == compute):
            o0 = np.moveaxis(out, axis, -1)
            if o0.shape[-1] <= 1 or o0.strides[-1] == o0.itemsize:  # write straight into out
                gufunc(g0, y0, out=o0)
                return out
        if name == "numba":
            with np.errstate(all="ignore"), _dispatch._numba()._serial(gufunc):
                dx = np.moveaxis(gufunc(g0, y0), -1, axis)
        else:
            dx = np.moveaxis(gufunc(g0, y0), -1, axis)
    dx = dx.astype(result_dtype, copy=False)
    if squeeze:
        dx = dx[0]
    if out is None:
        return dx
    np.copyto(out, dx, casting="same_kind")
    return out


def softmax_backward(grad_output, output, axis=-1, out=None, *, backend=None):
    """Gradient through softmax: y * (g - sum(g * y, axis)), with y = softmax(x)
    the forward output and g the gradient of the loss with respect to y.

    One fused pass per row (the row sum accumulates in double); the
    Jacobian-vector product of actcore.softmax_jacobian without forming it."""
    return _backward("softmax_backward", False, grad_output, output, axis, out, backend)


def log_softmax_backward(grad_output, output, axis=-1, out=None, *, backend=None):
    """Gradient through log_softmax: g - exp(y) * sum(g, axis), with y =
    log_softmax(x) the forward output."""
    return _backward("log_softmax_backward", True, grad_output, output, axis, out, backend)


def softmax_jacobian(y, axis=-1):
    """The explicit Jacobian of softmax, diag(y) - y y^T, for each row of the
    softmax output `y` along `axis`: result[..., i, j] = d softmax_i / d x_j,
    the two K-sized axes last and the other axes of y in order.  For teaching
    and checking (it is K times larger than y); use softmax_backward to
    apply it."""
    y = np.asarray(y)
    if y.dtype.kind not in "f":
        y = y.astype(np.float64)
    if y.ndim == 0:
        raise AxisError("actcore.softmax_jacobian: y must have at least one axis")
    axis = _normalize_axis(axis, y.ndim, "softmax_jacobian")
    y0 = np.moveaxis(y, axis, -1)
    eye = np.eye(y0.shape[-1], dtype=y.dtype)
    return y0[..., :, None] * (eye - y0[..., None, :])
