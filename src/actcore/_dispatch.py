"""Backend choice: which implementation computes a call.

  c          the C SIMD ufuncs (default)
  numba      the scalar kernels (backends/scalar_kernels.py) compiled by numba
             into parallel CPU ufuncs/gufuncs (optional: pip install actcore[numba])
  cuda       the same kernels as numba-cuda @cuda.jit kernels on an NVIDIA GPU
             (optional: pip install actcore[cuda])
  reference  the registry's float64 formulas (slow; for checking)

A call's `backend=` wins, then the innermost `with use_backend(...)`, then
ACTCORE_BACKEND from the environment, then "c" -- or, where the C extension
is missing, "numba" when numba is installed, else "reference".  An unknown
name in the environment warns and falls back; an unknown name passed in code
raises.

Objects on a GPU (anything with __cuda_array_interface__: numba device
arrays, CuPy arrays, torch CUDA tensors) go to the cuda backend when no
backend is named, and are refused by the CPU backends.

numba is imported only when a numba/cuda backend is first used: the
availability checks below look for the packages without importing them.
"""
from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import os
import warnings

import numpy as np

from . import _config, _validate
from .backends import reference

KNOWN = ("c", "numba", "cuda", "reference")

_override = contextvars.ContextVar("actcore_backend", default=None)


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


_HAVE = {"c": _config._core is not None, "numba": _installed("numba"),
         "cuda": _installed("numba") and _installed("numba_cuda"), "reference": True}


def available_backends():
    """Backends installed here ('cuda': numba-cuda is installed; whether a GPU
    (or NUMBA_ENABLE_CUDASIM=1) is there is checked on first use)."""
    return tuple(b for b in KNOWN if _HAVE[b])


def fallback_backend():
    """The default when ACTCORE_BACKEND names none: c, else numba, else reference."""
    return "c" if _HAVE["c"] else ("numba" if _HAVE["numba"] else "reference")


def _env_default():
    want = os.environ.get("ACTCORE_BACKEND", "").strip().lower()
    fallback = fallback_backend()
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
    if name == "cuda":
        _cuda().require_device()
    return name


@contextlib.contextmanager
def use_backend(name):
    """Run the actcore calls in this block (this thread / async task) on `name`."""
    token = _override.set(check_backend(name))
    try:
        yield
    finally:
        _override.reset(token)


def is_device_array(x):
    """GPU data: __cuda_array_interface__ (or a CUDA-simulator array)."""
    return type(x) is not np.ndarray and x is not None and (
        hasattr(x, "__cuda_array_interface__") or getattr(type(x), "__cuda_ndarray__", False) is True)


def resolve(backend, *arrays):
    """The backend name for a call: `backend` if given (checked), else the
    default; arrays on a GPU pick 'cuda' and are refused by the CPU backends."""
    name = check_backend(backend) if backend is not None else default_backend()
    if any(is_device_array(a) for a in arrays):
        if backend is None:
            return check_backend("cuda")
        if name != "cuda":
            raise TypeError(f"actcore: the input is a CUDA device array; backend {name!r} computes on the "
                            "CPU (use backend='cuda', or copy the array to the host)")
    return name


def _numba():
    from .backends import numba_cpu
    return numba_cpu


def _cuda():
    from .backends import numba_cuda
    return numba_cuda


def run(act, ufunc, x, cast, params, out, backend, kind="forward"):
    """Compute act(x, **params) on `backend` (None = the default).  `ufunc` is
    the C ufunc for this variant, `params` the validated parameters in kernel
    order (a dict, choices included)."""
    name = resolve(backend, x, out)
    if name != "c" and (_validate.is_dask_array(x) or any(map(_validate.is_dask_array, params.values()))):
        from . import dask  # each block through this backend, lazily (np.asarray would compute it all)
        return dask.run_blocks(act, kind, (x,), cast, params, out, name)
    if name == "cuda":
        return _cuda().elementwise(act, x, cast, _rounded(params, cast, x), out, kind)
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
    if name == "numba":
        return _numba().elementwise(act, x_arr, dtype, params, out, kind)
    y = (reference.evaluate(act, x_arr, params, dtype) if kind == "forward"
         else reference.evaluate_derivative(act, x_arr, params, dtype))
    if out is None:
        return y if y.ndim else y[()]
    np.copyto(out, y, casting="same_kind")
    return out


def run_backward(act, ufunc, grad, x, cast, params, out, backend, from_output=False):
    """grad * f'(x) (or grad * f'(x) from the forward output y when
    `from_output`) on `backend`."""
    name = resolve(backend, grad, x, out)
    if name != "c" and any(map(_validate.is_dask_array, (grad, x, *params.values()))):
        from . import dask
        return dask.run_blocks(act, "backward", (grad, x), cast, params, out, name, from_output)
    if name == "cuda":
        return _cuda().backward(act, grad, x, cast, _rounded(params, cast, x, grad), out, from_output)
    if name == "c":
        args = [grad, x] + [v for v in params.values() if not isinstance(v, str)]
        return ufunc(*args, out=out) if cast is None else ufunc(*args, out=out, dtype=cast)
    g_arr, x_arr = np.asarray(grad), np.asarray(x)
    dtype = np.dtype(cast if cast is not None else np.result_type(g_arr, x_arr))
    pdtype = np.float64 if dtype == np.float64 else np.float32
    params = {k: (v if isinstance(v, str) else np.asarray(v, dtype=pdtype)) for k, v in params.items()}
    if name == "numba":
        return _numba().backward(act, g_arr, x_arr, dtype, params, out, from_output)
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


def _rounded(params, cast, *arrays):
    """Parameters rounded to the kernels' precision for device-side calls."""
    dts = [np.dtype(cast)] if cast is not None else [
        _device_dtype(a) if is_device_array(a) else np.asarray(a).dtype
        for a in arrays if a is not None]
    pdtype = np.float64 if any(d == np.float64 for d in dts) else np.float32
    return {k: (v if isinstance(v, str) else np.asarray(v, dtype=pdtype)) for k, v in params.items()}


def _device_dtype(a):
    cai = getattr(type(a), "__cuda_array_interface__", None) and a.__cuda_array_interface__
    return np.dtype(cai["typestr"]) if cai else np.dtype(a.dtype)
