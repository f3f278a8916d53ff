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

from . import _ulp_scan


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
        with np.errstate(all="ignore"):  # the lanes that overflow here are not selected
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


# --------------------------------------------------------------------------
# the sweep behind `python -m actcore accuracy`
# --------------------------------------------------------------------------
def sweep_inputs(exhaustive, chunk=1 << 24, sample_step=97):
    """Chunks of float32 inputs: every finite pattern, or every
    `sample_step`-th pattern (a dense sample over every binade)."""
    step = 1 if exhaustive else sample_step
    per = chunk * step
    for start in range(0, 1 << 32, per):
        stop = min(start + per, 1 << 32)
        if step == 1:
            x = np.arange(start, stop, dtype=np.uint64).astype(np.uint32).view(np.float32) \
                if stop == 1 << 32 else np.arange(start, stop, dtype=np.uint32).view(np.float32)
        else:
            x = np.arange(start, stop, step, dtype=np.uint64).astype(np.uint32).view(np.float32)
        yield x[np.isfinite(x)]


class Tally:
    """Running max ulp error, where it happens, and how many exceed 1 ulp."""

    def __init__(self):
        self.max = 0.0
        self.at = None
        self.got = None
        self.want = None
        self.over1 = 0
        self.count = 0

    def add(self, x, y, ref, dtype=np.float32):
        """Fast path: a result equal to the correctly rounded reference is
        within 0.5 ulp; only the others get the full ulp computation."""
        if np.dtype(dtype) == np.float32 and y.dtype == np.float32 and _ulp_scan.available():
            self._add_scanned(x, y, ref)
            return
        with np.errstate(all="ignore"):
            rounded = ref.astype(dtype)
        differ = np.flatnonzero((y != rounded) & ~(np.isnan(y) & np.isnan(rounded)))
        self.count += x.size
        if differ.size < x.size and self.max < 0.5:
            # results equal to the rounded reference are off by its rounding only:
            # 0 where the reference is representable, else at most 0.5 (reported as 0.5)
            exact = (rounded.astype(np.float64) == ref) | np.isnan(ref)
            if not exact.all():
                k = int(np.argmin(exact))
                self.max, self.at, self.got, self.want = 0.5, x[k], y[k], ref[k]
            elif self.at is None:
                self.at, self.got, self.want = x[0], y[0], ref[0]
        if differ.size == 0:
            return
        err = ulp_error(y[differ], ref[differ], dtype)
        i = int(np.argmax(err))
        self.over1 += int((err > 1).sum())
        if err[i] > self.max:
            j = differ[i]
            self.max, self.at, self.got, self.want = float(err[i]), x[j], y[j], ref[j]

    def _add_scanned(self, x, y, ref):
        """add(), the float32 scan compiled (the same decisions in one pass)."""
        worst, i, n_differ, over1, inexact = _ulp_scan.tally_scan(y, ref)
        self.count += x.size
        if n_differ < x.size and self.max < 0.5:
            if inexact >= 0:
                self.max, self.at, self.got, self.want = 0.5, x[inexact], y[inexact], ref[inexact]
            elif self.at is None:
                self.at, self.got, self.want = x[0], y[0], ref[0]
        if n_differ == 0:
            return
        self.over1 += over1
        if worst > self.max:
            self.max, self.at, self.got, self.want = float(worst), x[i], y[i], ref[i]

    def add_unrounded(self, x, y, ref, dtype=np.float32):
        """Every point through the full ulp computation: for y that is not a
        `dtype` value (a float64 result measured in `dtype` ulps)."""
        self.count += x.size
        if x.size == 0:
            return
        err = ulp_error(y, ref, dtype)
        i = int(np.argmax(err))
        self.over1 += int((err > 1).sum())
        if err[i] > self.max or self.at is None:
            self.max, self.at, self.got, self.want = float(err[i]), x[i], y[i], ref[i]

    def as_dict(self):
        return {"max_ulp": self.max, "at": None if self.at is None else float(self.at),
                "got": None if self.got is None else float(self.got),
                "want": None if self.want is None else float(self.want),
                "over_1ulp": self.over1, "points": self.count}


def special_mismatches(fn, act, params, dtype=np.float32, kind="forward"):
    """The special-value rules a function must keep: NaN -> NaN, +-inf -> the
    registry's limits (derivative_limits for kind "derivative"/"backward"),
    odd functions keep the sign of zero.  Returns a list of human-readable
    mismatches (empty = all kept)."""
    limits = act.limits if kind == "forward" else act.derivative_limits
    lo, hi = limits(**{k: (v if isinstance(v, str) else float(dtype(v))) for k, v in params.items()})
    bad = []
    with np.errstate(all="ignore"):
        y = np.asarray(fn(np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype)), dtype=np.float64)
    if not np.isnan(y[0]):
        bad.append(f"f(nan) = {y[0]!r}")
    # the limits are float64 numbers: a result can only be their rounding to dtype
    lo, hi = (float(np.asarray(v, np.float64).astype(dtype)) for v in (lo, hi))
    for got, want, label in ((y[1], hi, "inf"), (y[2], lo, "-inf")):
        if not (got == want or (np.isnan(want) and np.isnan(got))):
            bad.append(f"f({label}) = {got!r}, want {float(want)!r}")
    if kind == "forward" and act.odd and not (np.signbit(y[4]) and not np.signbit(y[3])):
        bad.append("sign of zero lost")
    return bad
