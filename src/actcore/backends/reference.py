"""The reference backend: the registry's float64 formulas, for checking.

Slow and allocation-heavy by design; written for accuracy.  Applies the
special-value rules every backend shares: NaN in -> NaN out, +-inf -> the
registry's limits.  Results are rounded to the input's float dtype.
"""
from __future__ import annotations

import numpy as np


def evaluate(act, x, params, out_dtype):
    """f(x) in float64, with the shared NaN/inf rules, rounded to out_dtype.

    `params` maps names to values; array parameters broadcast against x."""
    x64 = np.asarray(x, dtype=np.float64)
    arrays = {k: np.asarray(v, dtype=np.float64) if not isinstance(v, str) else v for k, v in params.items()}
    numeric = [v for v in arrays.values() if not isinstance(v, str)]
    shape = np.broadcast_shapes(x64.shape, *(v.shape for v in numeric))
    xb = np.broadcast_to(x64, shape)
    pb = {k: (np.broadcast_to(v, shape) if not isinstance(v, str) else v) for k, v in arrays.items()}
    finite = np.isfinite(xb)
    with np.errstate(all="ignore"):
        safe_x = np.where(finite, xb, 0.0)
        y = np.asarray(act.reference(safe_x, **pb), dtype=np.float64)
        lo, hi = act.limits(**pb)
        y = np.where(xb == -np.inf, lo, y)
        y = np.where(xb == np.inf, hi, y)
        y = np.where(np.isnan(xb), xb, y)
        return np.broadcast_to(y, shape).astype(out_dtype)


def evaluate_derivative(act, x, params, out_dtype):
    """f'(x) in float64 with the shared NaN/inf rules (derivative_limits)."""
    x64 = np.asarray(x, dtype=np.float64)
    arrays = {k: np.asarray(v, dtype=np.float64) if not isinstance(v, str) else v for k, v in params.items()}
    numeric = [v for v in arrays.values() if not isinstance(v, str)]
    shape = np.broadcast_shapes(x64.shape, *(v.shape for v in numeric))
    xb = np.broadcast_to(x64, shape)
    pb = {k: (np.broadcast_to(v, shape) if not isinstance(v, str) else v) for k, v in arrays.items()}
    with np.errstate(all="ignore"):
        y = np.asarray(act.derivative(np.where(np.isfinite(xb), xb, 0.0), **pb), dtype=np.float64)
        lo, hi = act.derivative_limits(**pb)
        y = np.where(xb == -np.inf, lo, y)
        y = np.where(xb == np.inf, hi, y)
        y = np.where(np.isnan(xb), xb, y)
        return np.broadcast_to(y, shape).astype(out_dtype)


def softmax(x, axis, temperature, mask, log):
    """Reference softmax / log_softmax in float64 with the library's rules for
    special rows (see actcore.softmax); x is float64, mask None or bool."""
    x = np.moveaxis(np.asarray(x, np.float64), axis, -1)
    valid = np.ones(x.shape, bool) if mask is None else np.moveaxis(np.asarray(mask, bool), axis, -1)
    with np.errstate(all="ignore"):
        xv = np.where(valid, x, -np.inf)
        nan_row = np.isnan(xv).any(-1, keepdims=True)
        pinf = xv == np.inf
        n_pinf = pinf.sum(-1, keepdims=True)
        m = np.max(np.where(np.isnan(xv), -np.inf, xv), -1, keepdims=True)
        finite_m = np.isfinite(m)
        ms = np.where(finite_m, m, 0.0)
        q = (xv - ms) / temperature
        e = np.exp(q)
        is_max = (xv == ms) & finite_m
        sprime = is_max.sum(-1, keepdims=True) - 1 + np.where(is_max, 0.0, e).sum(-1, keepdims=True)
        if log:
            y = q - np.log1p(sprime)
            y = np.where(valid & (xv != -np.inf), y, -np.inf)
            y = np.where(n_pinf > 0, np.where(pinf, -np.log(np.maximum(n_pinf, 1)), -np.inf), y)
            y = np.where(~finite_m & (n_pinf == 0), -np.inf, y)
        else:
            y = e / (1.0 + sprime)
            y = np.where(n_pinf > 0, np.where(pinf, 1.0 / np.maximum(n_pinf, 1), 0.0), y)
            y = np.where(~finite_m & (n_pinf == 0), 0.0, y)
        y = np.where(nan_row, np.nan, y)
    return np.moveaxis(y, -1, axis)


def softmax_backward(g, y, axis, log):
    """Reference backward of softmax (log=False) / log_softmax (log=True), float64."""
    g = np.asarray(g, np.float64)
    y = np.asarray(y, np.float64)
    with np.errstate(all="ignore"):
        if log:
            return g - np.exp(y) * g.sum(axis, keepdims=True)
        return y * (g - (g * y).sum(axis, keepdims=True))
