"""actcore's functions on dask arrays: lazy, block by block.

The public functions hand a dask array here (they recognise it by its type,
actcore._validate.is_dask_array), so `import actcore` never imports dask;
this module is imported on the first dask call.  Every function returns a
dask array (prelu_backward a pair) and computes nothing until asked.

- Elementwise functions on the default C backend need no code here: their
  ufuncs go through dask's __array_ufunc__ (parameters broadcast as ufunc
  operands).  A dask array as prelu's weight is cast here and checked for
  inf/NaN block by block when computed; other backends run on each block
  (run_blocks).
- prelu_backward: grad_input elementwise; grad_weight as a dask sum of the
  same float64 terms as the NumPy path.
- softmax family: when the axis is one chunk, the C kernels run on each
  block.  When it spans several chunks, the blocks are not merged (a row may
  not fit in one worker's memory): softmax / log_softmax take two passes over
  the blocks (the row max, then the sums; see src/actcore/_chunked_softmax.py),
  the backward passes one row sum.  These steps compute in NumPy float64
  whatever the `backend`.
- out=: a dask array is rebound to the result, as dask's own ufuncs do with
  out= (its old contents are not written: dask arrays are immutable graphs);
  anything else is a TypeError, since a lazy result cannot fill a NumPy
  array (compute() it, or da.store() it there).  The elementwise functions
  pass out= to the ufunc, where dask applies the same rule (an ndarray out
  raises dask's NotImplementedError there).
"""
from __future__ import annotations

import itertools

import dask.array as da
import numpy as np

from . import _chunked_softmax, _dispatch, _registry, _validate
from .softmax import _normalize_axis, _temperature
from .softmax import log_softmax as _np_log_softmax
from .softmax import log_softmax_backward as _np_log_softmax_backward
from .softmax import softmax as _np_softmax
from .softmax import softmax_backward as _np_softmax_backward


def _meta(ndim, dtype):
    return np.empty((0,) * ndim, dtype=dtype)


def _lazy(a):
    return a if _validate.is_dask_array(a) else da.asarray(a)


def _aligned(*arrays):
    """The arrays (dask or not) as dask arrays whose blocks line up for
    map_blocks, which does not align them itself: dimensions matched from
    the right as in NumPy broadcasting, chunks refined to the common
    boundaries, broadcast (length-1) dimensions left as they are."""
    arrays = [_lazy(a) for a in arrays]
    pairs = itertools.chain.from_iterable((a, tuple(range(a.ndim))[::-1]) for a in arrays)
    return da.core.unify_chunks(*pairs)[1]


def _check_out(out, shape, dtype, func):
    if not _validate.is_dask_array(out):
        raise TypeError(f"actcore.{func}: with dask input, out must be a dask array or None, got "
                        f"{type(out).__name__} (the result is lazy: compute() it, or da.store() it into "
                        "the array)")
    if out.shape != shape:
        raise ValueError(f"actcore.{func}: out has shape {out.shape}, expected {shape}")
    if not np.can_cast(dtype, out.dtype, "same_kind"):
        raise TypeError(f"actcore.{func}: cannot write a {dtype} result to out of dtype {out.dtype}")


def _to_out(result, out, func):
    """`result`, or `out` rebound to it (see the module docstring)."""
    if out is None:
        return result
    _check_out(out, result.shape, result.dtype, func)
    if out.dtype != result.dtype:
        result = result.astype(out.dtype)
    return da.core.handle_out(out, result)


def _input_dtype(x, func, what="x"):
    """(dtype to compute in or None, result dtype) by the NumPy path's rules
    (errors name the argument), read from the dtype alone."""
    try:
        _, cast = _validate.prepare_x(np.empty(0, dtype=x.dtype), func)
    except TypeError as exc:
        raise TypeError(str(exc).replace(" for x;", f" for {what};")) from None
    return cast, np.dtype(cast or x.dtype)


# ---------------------------------------------------------------------------
# elementwise
# ---------------------------------------------------------------------------
def array_param(param, value, dtype, func):
    """An array parameter given as a dask array: cast to the computation's
    dtype now, its values checked when each block is computed."""
    if value.dtype.kind not in "biuf":
        raise _validate.ParameterError(f"actcore.{func}: {param.name} must be real numbers, got dtype {value.dtype}")
    w = value.astype(dtype)
    return w.map_blocks(_validate.require_finite, param.name, func, dtype=w.dtype, meta=_meta(w.ndim, w.dtype))


def _is_array(v):
    return isinstance(v, np.ndarray) or _validate.is_dask_array(v)


def run_blocks(act, kind, arrays, cast, params, out, backend, from_output=False):
    """act's forward / derivative / backward on a backend other than C, on
    each block: `arrays` (x, or grad and x) and the array parameters are
    aligned block to block (broadcast as NumPy would), the other parameters
    go to every block as they are."""
    names = [k for k, v in params.items() if _is_array(v)]
    static = {k: v for k, v in params.items() if k not in names}
    if cast is not None:
        dtype = np.dtype(cast)
    else:
        dtype = np.result_type(*(np.asarray(a).dtype if not _is_array(a) else a.dtype for a in arrays))
    operands = _aligned(*arrays, *[params[k] for k in names])
    ndim = max(a.ndim for a in operands)
    y = da.map_blocks(_run_block, *operands, act_name=act.name, kind=kind, n_arrays=len(arrays),
                      order=tuple(params), static=static, cast=cast, backend=backend, from_output=from_output,
                      dtype=dtype, meta=_meta(ndim, dtype))
    suffix = "" if kind == "forward" else f"_{kind}"
    return _to_out(y, out, act.name + suffix)


def _run_block(*blocks, act_name, kind, n_arrays, order, static, cast, backend, from_output):
    act = _registry.lookup(act_name)
    arrays, values = blocks[:n_arrays], iter(blocks[n_arrays:])
    params = {k: static[k] if k in static else next(values) for k in order}
    if kind == "backward":
        return _dispatch.run_backward(act, None, arrays[0], arrays[1], cast, params, None, backend, from_output)
    return _dispatch.run(act, None, arrays[0], cast, params, None, backend, kind)


def prelu_backward(act, ufunc, grad_output, x, weight, cast, out, backend):
    """(grad_input, grad_weight) as in actcore.functional._prelu_backward:
    grad_weight sums the float64 terms g * x (x <= 0) over the axes the
    weight was broadcast along, as a dask reduction."""
    from .functional import _prelu_weight_terms
    gx = _dispatch.run_backward(act, ufunc, grad_output, x, cast, {"weight": weight}, out, backend)
    g64, x64 = (a.astype(np.float64) for a in _aligned(grad_output, x))
    full = np.broadcast_shapes(g64.shape, x64.shape, np.shape(weight))
    terms = da.map_blocks(_prelu_weight_terms, g64, x64, dtype=np.float64, meta=_meta(len(full), np.float64))
    if terms.shape != full:
        terms = da.broadcast_to(terms, full)
    wshape = tuple(np.shape(weight))
    lead = len(full) - len(wshape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(wshape) if n == 1 and full[lead + i] != 1)
    gw = terms.sum(axis=axes, keepdims=True) if axes else terms
    dtype = np.result_type(gx.dtype, weight.dtype)
    gw = gw.reshape(wshape).map_blocks(_cast_quietly, dtype, dtype=dtype, meta=_meta(len(wshape), dtype))
    return gx, gw


def _cast_quietly(a, dtype):
    with np.errstate(over="ignore"):  # a sum beyond the dtype's range is inf, as in the NumPy path
        return a.astype(dtype)


# ---------------------------------------------------------------------------
# softmax family
# ---------------------------------------------------------------------------
def _mask(where, x, func):
    """`where` as a bool dask array with x's shape and chunks (checked as
    the NumPy path checks it), or None."""
    if where is None:
        return None
    w = where if _validate.is_dask_array(where) else np.asarray(where)
    if w.dtype != np.bool_:
        raise _validate.ParameterError(f"actcore.{func}: where must be a boolean array, got dtype {w.dtype}")
    try:
        fits = np.broadcast_shapes(w.shape, x.shape) == x.shape
    except ValueError:
        fits = False
    if not fits:
        raise _validate.ParameterError(f"actcore.{func}: where with shape {w.shape} is not broadcastable to "
                                       f"x's shape {x.shape}")
    w = da.asarray(w)
    w = w[(None,) * (x.ndim - w.ndim)]
    # the dimensions the mask has in full get x's chunks; broadcast ones are filled per block
    w = w.rechunk(tuple(c if n != 1 else (1,) for c, n in zip(x.chunks, w.shape)))
    return da.broadcast_to(w, x.shape, chunks=x.chunks)


def softmax(func, log, x, axis, temperature, where, out, backend):
    """actcore.softmax / log_softmax for a dask x (or a dask mask)."""
    if backend is not None:
        _dispatch.check_backend(backend)
    if not _validate.is_dask_array(x):
        x = da.asarray(_validate.prepare_x(x, func)[0])
    cast, result_dtype = _input_dtype(x, func)
    t = _temperature(temperature, func)
    ax = _normalize_axis(axis, max(x.ndim, 1), func)
    mask = _mask(where, x, func)
    if out is not None:  # before building the graph
        _check_out(out, x.shape, result_dtype, func)
    meta = _meta(x.ndim, result_dtype)
    operands = [x] if mask is None else [x, mask]
    if x.ndim == 0 or len(x.chunks[ax]) == 1:
        y = da.map_blocks(_softmax_block, *operands, log=log, axis=ax, t=t, backend=backend,
                          dtype=result_dtype, meta=meta)
        return _to_out(y, out, func)
    xc = x.astype(cast) if cast is not None else x
    valid_x = xc if mask is None else da.where(mask, xc, -np.inf)
    m = valid_x.max(axis=ax, keepdims=True)  # pass 1: NaN propagates, +inf wins over finite
    chunks = list(xc.chunks)
    chunks[ax] = (1,) * len(chunks[ax])
    parts = da.map_blocks(_chunked_softmax.partial_sums, xc, m, *operands[1:], axis=ax, t=t,
                          chunks=tuple(chunks) + ((2,),), new_axis=xc.ndim, dtype=np.float64,
                          meta=_meta(xc.ndim + 1, np.float64))
    sums = parts.sum(axis=ax, keepdims=True)  # pass 2: the blocks' (count, rest) pairs added up
    y = da.map_blocks(_chunked_softmax.normalise, xc, m, sums[..., 0], sums[..., 1], *operands[1:], axis=ax,
                      t=t, log=log, result_dtype=result_dtype, dtype=result_dtype, meta=meta)
    return _to_out(y, out, func)


def _softmax_block(x, mask=None, *, log, axis, t, backend):
    fn = _np_log_softmax if log else _np_softmax
    return fn(x, axis, t, where=mask, backend=backend)


def softmax_backward(func, log, grad_output, output, axis, out, backend):
    """actcore.softmax_backward / log_softmax_backward with dask input."""
    if backend is not None:
        _dispatch.check_backend(backend)
    g, y = _lazy(grad_output), _lazy(output)
    _, gdt = _input_dtype(g, func, "grad_output")
    _, ydt = _input_dtype(y, func, "output")
    if g.shape != y.shape:
        raise ValueError(f"actcore.{func}: grad_output has shape {g.shape} but output has shape {y.shape}")
    result_dtype = np.result_type(gdt, ydt)
    ax = _normalize_axis(axis, max(g.ndim, 1), func)
    if out is not None:
        _check_out(out, g.shape, result_dtype, func)
    g, y = _aligned(g, y)
    meta = _meta(g.ndim, result_dtype)
    if g.ndim == 0 or len(g.chunks[ax]) == 1:
        dx = da.map_blocks(_backward_block, g, y, log=log, axis=ax, backend=backend, result_dtype=result_dtype,
                           dtype=result_dtype, meta=meta)
        return _to_out(dx, out, func)
    if log:
        s = g.astype(np.float64).sum(axis=ax, keepdims=True)
    else:
        terms = da.map_blocks(_chunked_softmax.product_terms, g, y, dtype=np.float64, meta=_meta(g.ndim, np.float64))
        s = terms.sum(axis=ax, keepdims=True)
    dx = da.map_blocks(_chunked_softmax.finish_backward, g, y, s, log=log, result_dtype=result_dtype,
                       dtype=result_dtype, meta=meta)
    return _to_out(dx, out, func)


def _backward_block(g, y, *, log, axis, backend, result_dtype):
    fn = _np_log_softmax_backward if log else _np_softmax_backward
    return fn(g, y, axis, backend=backend).astype(result_dtype, copy=False)
