"""Measuring accuracy in ULPs: the one definition used by the tests, the
developer tools and `python -m actcore accuracy`.

An error of 1 ulp is one unit in the last place of the true result at the
output's precision.  Where the true value is below the smallest normal number
(FLT_MIN / DBL_MIN) the error is measured in units of that number, so a
result may flush to zero there; ulp_error(..., subnormal="ulp") measures in
subnormal ulps instead (stricter; the developer tools report it).  A true value beyond the largest finite number
must give the infinity of the same sign.  NaN must give NaN.
"""
from __future__ import annotations

import numpy as np


def ulp_error(y, ref, dtype, subnormal="flush"):
    """Elementwise |y - ref| in ulps of `ref` at `dtype` precision (ref in float64).

    subnormal="flush" (the project's rule): where the true value is below the
    smallest normal number, the error is measured in units of that number
    (so flushing to zero costs < 1).  subnormal="ulp": in subnormal ulps."""
    fi = np.finfo(dtype)
    mant = fi.nmant + 1
    ref = np.asarray(ref, np.float64)
    y = np.asarray(y).astype(np.float64)
    with np.errstate(all="ignore"):
        if np.dtype(dtype).itemsize < 8:  # rounding to dtype overflows from max + half an ulp on
            expected_inf = np.abs(ref) >= float(fi.max) * (1 + 2.0**-mant)
        else:  # a float64 reference can only say "overflowed" by being inf itself
            expected_inf = np.isinf(ref)
        _, e = np.frexp(np.abs(ref))
        unit = np.ldexp(1.0, np.maximum(e - mant, int(fi.minexp) - int(fi.nmant)))
        unit = np.where(ref == 0, float(fi.smallest_subnormal), unit)  # frexp(0) has no exponent
        err = np.abs(y - ref) / unit
    err = np.where(expected_inf, np.where(y == np.copysign(np.inf, ref), 0.0, np.inf), err)
    tiny = np.abs(ref) < float(fi.tiny)
    if subnormal == "flush":
        err = np.where(tiny, np.abs(y - ref) / float(fi.tiny), err)
    else:
        err = np.where(tiny & (y == 0), 0.0, err)
    err = np.where(np.isnan(ref), np.where(np.isnan(y), 0.0, np.inf), err)
    return np.where(np.isnan(y) & ~np.isnan(ref), np.inf, err)


def dense_sample(dtype=np.float32, n=1 << 20, seed=0):
    """Finite inputs spanning the whole range: random bit patterns (log-uniform
    over every binade, subnormals included), uniform on [-20, 20] where the
    activations bend, and an even grid over [-120, 120] for the tails."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype) == np.float32:
        bits = rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32).view(np.float32)
    else:
        bits = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False).view(np.float64)
    bits = bits[np.isfinite(bits)]
    return np.concatenate([bits, rng.uniform(-20, 20, n).astype(dtype),
                           np.linspace(-120, 120, n // 2).astype(dtype)])


def exhaustive_float32(chunk=1 << 24):
    """Every finite float32, in chunks of `chunk` bit patterns."""
    for start in range(0, 1 << 32, chunk):
        x = np.arange(start, min(start + chunk, 1 << 32), dtype=np.uint64).astype(np.uint32).view(np.float32)
        yield x[np.isfinite(x)]
