"""Backend choice: which implementation computes a call.

  c          the C SIMD ufuncs (default)
  reference  the registry's float64 formulas (slow; for checking)

A call's `backend=` wins, then the innermost `with use_backend(...)`, then
ACTCORE_BACKEND from the environment, then "c".  An unknown name in the
environment warns and falls back; an unknown name passed in code raises.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import warnings

import numpy as np

from . import _config
from .backends import reference

KNOWN = ("c", "reference")

_override = contextvars.ContextVar("actcore_backend", default=None)


def available_backends():
    return tuple(b for b in KNOWN if b != "c" or _config._core is not None)


def _env_default():
    want = os.environ.get("ACTCORE_BACKEND", "").strip().lower()
    fallback = "c" if _config._core is not None else "reference"
    if not want:
        return fallback
    if want not in available_backends():
        warnings.warn(f"ACTCORE_BACKEND={want!r} is not an available backend "
                      f"({', '.join(available_backends())}); using {fallback!r}", RuntimeWarning, stacklevel=3)
        return fallback
    return want


_DEFAULT = _env_default()


def default_backend():
    return _override.get() or _DEFAULT


def c_is_default():
    """Fast check for the public functions' hot path."""
    return (_override.get() or _DEFAULT) == "c"


def check_backend(name):
    if name not in KNOWN:
        raise ValueError(f"backend must be one of {', '.join(repr(b) for b in KNOWN)}, got {name!r}")
    if name not in available_backends():
        raise RuntimeError(f"backend {name!r} is not available in this installation "
                           f"(available: {', '.join(available_backends())})")
    return name


@contextlib.contextmanager
def use_backend(name):
    """Run the actcore calls in this block (this thread / async task) on `name`."""
    token = _override.set(check_backend(name))
    try:
        yield
    finally:
        _override.reset(token)


def run(act, ufunc, x, cast, params, out, backend, kind="forward"):
    """Compute act(x, **params) on `backend` (None = the default).  `ufunc` is
    the C ufunc for this variant, `params` the validated parameters in kernel
    order (a dict, choices included)."""
    name = check_backend(backend) if backend is not None else default_backend()
    if name == "c":
        args = [v for k, v in params.items() if not isinstance(v, str)]
        if cast is None:
            return ufunc(x, *args, out=out)
        return ufunc(x, *args, out=out, dtype=cast)
    x_arr = np.asarray(x)
    dtype = np.dtype(cast if cast is not None else x_arr.dtype)
    # parameters at the precision the kernels use (float32 for float16/32 input)
    pdtype = np.float64 if dtype == np.float64 else np.float32
    params = {k: (v if isinstance(v, str) else np.asarray(v, dtype=pdtype)) for k, v in params.items()}
    y = (reference.evaluate(act, x_arr, params, dtype) if kind == "forward"
         else reference.evaluate_derivative(act, x_arr, params, dtype))
    if out is None:
        return y if y.ndim else y[()]
    np.copyto(out, y, casting="same_kind")
    return out


def run_backward(act, ufunc, grad, x, cast, params, out, backend, from_output=False):
    """grad * f'(x) (or grad * f'(x) from the forward output y when
    `from_output`) on `backend`."""
    name = check_backend(backend) if backend is not None else default_backend()
    if name == "c":
        args = [grad, x] + [v for v in params.values() if not isinstance(v, str)]
        return ufunc(*args, out=out) if cast is None else ufunc(*args, out=out, dtype=cast)
    g_arr, x_arr = np.asarray(grad), np.asarray(x)
    dtype = np.dtype(cast if cast is not None else np.result_type(g_arr, x_arr))
    pdtype = np.float64 if dtype == np.float64 else np.float32
    params = {k: (v if isinstance(v, str) else np.asarray(v, dtype=pdtype)) for k, v in params.items()}
    with np.errstate(all="ignore"):
        if from_output:
            d = act.output_derivative(x_arr.astype(np.float64))
        else:
            d = reference.evaluate_derivative(act, x_arr, params, np.float64)
        y = (g_arr.astype(np.float64) * d).astype(dtype)
    if out is None:
        return y if y.ndim else y[()]
    np.copyto(out, y, casting="same_kind")
    return out
