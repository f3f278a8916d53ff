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
