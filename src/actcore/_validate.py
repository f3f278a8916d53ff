"""Argument checks shared by the public functions: every error names the
argument and what was expected, before any kernel runs."""
from __future__ import annotations

import numpy as np

_SUPPORTED_FLOATS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
_F64 = np.dtype(np.float64)


class ParameterError(ValueError, TypeError):
    """A parameter has the wrong type or value.  Subclasses both ValueError and
    TypeError so either `except` clause catches it."""


def prepare_x(x, func):
    """Return (x, dtype to compute in or None).

    float16/32/64 arrays pass through (None: the ufunc keeps their dtype);
    integer and bool arrays compute in float64, as NumPy's float ufuncs do;
    objects that override ufuncs (__array_ufunc__: dask, ...) pass through
    untouched so they stay lazy; anything else is converted with np.asarray
    and must have a supported dtype.
    """
    if type(x) is not np.ndarray:
        if hasattr(type(x), "__array_ufunc__") and not isinstance(x, np.ndarray):
            return x, None
        if x is None:
            raise TypeError(f"actcore.{func}: x must be array-like, got None")
        try:
            x = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise TypeError(f"actcore.{func}: x is not convertible to a numeric array ({exc})") from None
    dt = x.dtype
    if dt in _SUPPORTED_FLOATS:
        return x, None
    if dt.kind in "biu":
        return x, _F64
    raise TypeError(f"actcore.{func}: unsupported dtype {dt} for x; expected float16, float32, float64, "
                    f"an integer or bool (computed in float64)")


def is_dask_array(obj):
    """A dask array, recognised by its type without importing dask (so that
    `import actcore` stays free of it): a dask collection from the dask
    package with chunks."""
    t = type(obj)
    return (t.__module__.startswith("dask.") and hasattr(t, "__dask_graph__")
            and hasattr(t, "chunks"))


def check_out(out, func):
    if out is not None and not isinstance(out, np.ndarray) and not hasattr(type(out), "__array_ufunc__"):
        raise TypeError(f"actcore.{func}: out must be a numpy.ndarray, got {type(out).__name__}")


def scalar_param(param, value, func):
    try:
        return param.check(value, func)
    except (TypeError, ValueError) as exc:
        raise ParameterError(str(exc)) from None


def choice_param(param, value, func):
    if value not in param.choices:
        raise ParameterError(f"actcore.{func}: {param.name} must be one of "
                             f"{', '.join(repr(c) for c in param.choices)}, got {value!r}")
    return value


def array_param(param, value, x, func):
    """An array parameter (prelu's weight), cast to x's float dtype so a
    float64 weight does not promote a float32 computation."""
    if value is None:
        raise ParameterError(f"actcore.{func}: {param.name} is required")
    if is_dask_array(value):  # checked block by block when computed: validation must not compute it
        from . import dask
        return dask.array_param(param, value, param_dtype(x), func)
    try:
        w = np.asarray(value)
    except (ValueError, TypeError):
        raise ParameterError(f"actcore.{func}: {param.name} must be a real array or number") from None
    if w.dtype.kind not in "biuf":
        raise ParameterError(f"actcore.{func}: {param.name} must be real numbers, got dtype {w.dtype}")
    if not np.all(np.isfinite(w)):
        raise ParameterError(f"actcore.{func}: {param.name} must be finite")
    return w.astype(param_dtype(x), copy=False)


def param_dtype(x):
    """The dtype an array parameter is used in for input x: x's float dtype,
    float32 for float16 (the precision of the computation), else float64."""
    dt = getattr(x, "dtype", None)
    return dt if dt in _SUPPORTED_FLOATS and dt != np.float16 else (np.float32 if dt == np.float16 else _F64)


def require_finite(w, name, func):
    """w unchanged, or ParameterError naming `name` if it holds inf or NaN (a
    lazily checked parameter's check, run on each block)."""
    if not np.all(np.isfinite(w)):
        raise ParameterError(f"actcore.{func}: {name} must be finite")
    return w


def constraints(act, params, func):
    for predicate, message in act.constraints:
        if not predicate(params):
            raise ParameterError(f"actcore.{func}: {message}, got "
                                 + ", ".join(f"{k}={v!r}" for k, v in params.items()))
