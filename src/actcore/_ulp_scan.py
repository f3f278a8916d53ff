"""One-pass float32 ulp scans for the exhaustive accuracy sweep.

The sweep measures 2^32 results per function and SIMD level.  Done with
NumPy, `Tally.add` and the suspect search of the kernel reference cost about
twenty array passes per chunk (the full `ulp_error` on every result that is
not the rounded reference): four fifths of the sweep's time.  These numba
kernels make the same decisions in one pass, and the sweep uses them when
numba is installed (NumPy otherwise).

They follow `accuracy.ulp_error(y, ref, np.float32)` (subnormal="flush")
exactly; tests/test_ulp_scan.py holds the two to each other on every kind
of value (NaN, infinities, overflow, the FLT_MIN boundary, zeros).
"""
from __future__ import annotations

import numpy as np

try:
    import math

    import numba
except ImportError:  # the sweep falls back to NumPy
    numba = None

_F32_MAX = float(np.finfo(np.float32).max)
# rounding to float32 overflows from max + half an ulp on (accuracy.ulp_error)
_F32_OVERFLOW = _F32_MAX * (1.0 + 2.0**-24)
_F32_TINY = float(np.finfo(np.float32).tiny)

if numba is not None:

    @numba.njit(cache=True, nogil=True)
    def _ulp_f32(v, r):
        """|v - r| in float32 ulps of r (r float64, v a float32 widened)."""
        if r != r:
            return 0.0 if v != v else math.inf
        if v != v:
            return math.inf
        a = abs(r)
        if a >= _F32_OVERFLOW:
            return 0.0 if v == math.copysign(math.inf, r) else math.inf
        if a < _F32_TINY:  # in units of FLT_MIN: flushing costs < 1
            return abs(v - r) / _F32_TINY
        _, e = math.frexp(a)  # a = f 2^e, f in [0.5, 1): a float32 ulp is 2^(e - 24)
        return abs(v - r) / math.ldexp(1.0, e - 24)

    @numba.njit(cache=True, nogil=True)
    def _tally_scan(y, ref):
        """What Tally.add needs from one chunk, in one pass: the largest error
        among the results that differ from the rounded reference (its index,
        -1 if none), how many differ, how many are off by more than 1 ulp, and
        the first index whose reference is not a float32 (-1 if none)."""
        worst, at, n_differ, over1, inexact = -1.0, -1, 0, 0, -1
        for i in range(y.size):
            r = ref[i]
            rounded = np.float32(r)
            v = y[i]
            if inexact < 0 and not (np.float64(rounded) == r or r != r):
                inexact = i
            if v == rounded or (v != v and rounded != rounded):
                continue
            n_differ += 1
            err = _ulp_f32(np.float64(v), r)
            if err > 1.0:
                over1 += 1
            if err > worst:
                worst, at = err, i
        return worst, at, n_differ, over1, inexact

    @numba.njit(cache=True, nogil=True)
    def _mark_far(y, ref, above, suspect):
        """suspect[i] |= y[i] is more than `above` ulps from ref[i] (results
        equal to the rounded reference are within half an ulp: skipped)."""
        for i in range(y.size):
            r = ref[i]
            rounded = np.float32(r)
            v = y[i]
            if v == rounded or (v != v and rounded != rounded):
                continue
            if _ulp_f32(np.float64(v), r) > above:
                suspect[i] = True


def available():
    return numba is not None


def tally_scan(y, ref):
    """(worst, at, n_differ, over1, first_inexact) for float32 y against float64 ref."""
    return _tally_scan(np.ascontiguousarray(y, np.float32), np.ascontiguousarray(ref, np.float64))


def mark_far(y, ref, above, suspect):
    _mark_far(np.ascontiguousarray(y, np.float32), np.ascontiguousarray(ref, np.float64), float(above), suspect)
