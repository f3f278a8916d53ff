"""softmax / log_softmax along an axis that is split over several blocks
(a dask array chunked along the softmax axis): what each block computes.
src/actcore/dask.py puts the steps into a graph; this module is NumPy only.

  pass 1  m = max of the row's valid entries (NaN wins, then +inf): a
          dask max reduction, no code here
  pass 2  partial_sums: per block and row, the count of entries equal to m
          and the sum of exp((x - m)/T) over the others; the blocks' pairs
          are summed, giving S' = count - 1 + rest as the C kernel forms it
  pass 3  normalise: y = exp(q) / (1 + S') or q - log1p(S'), q = (x - m)/T

The max term stays out of the sum in every block (it is counted, not added),
so S' keeps the small terms of a peaked row that 1 + S' would round away,
and log1p(S') is as exact across blocks as in one row: log(sum of the block
sums) would lose them.  All blocks use the global m, so the per-block sums
add without rescaling.

The special rows follow the C kernels (src_c/softmax_impl.h): NaN in a row
gives NaN; +inf entries share the mass (1/k, or -log k); a row that is all
-inf or all masked gives zeros (softmax) / -inf (log_softmax).

Precision: the arithmetic is float64.  float16/float32 inputs need nothing
more (x - m is exact wherever exp(x - m) is not negligible, and exp's
argument error is far below their ulp).  For
float64 input q is carried as hi + lo, as the C kernel does: x - m with its
TwoSum error (on halves, so it cannot overflow), the division by T with its
exact residual (Dekker's product); exp(hi + lo) = exp(hi) (1 + lo).  Without
lo, exp(q) would have a relative error of |q| ulp (700 ulp in the tail).
"""
from __future__ import annotations

import numpy as np

_SPLIT = 134217729.0  # 2^27 + 1: Veltkamp's splitting constant for float64
_SPLIT_MAX = 2.0 ** 996 / _SPLIT  # above this the split overflows


def _split(a):
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def _quotient(x, m, t, precise):
    """q = (x - m)/t as (hi, lo) for float64 x <= m, both finite (other
    lanes give garbage the callers replace).  Not `precise`: lo is 0, and
    x must be the caller's own float64 copy of the block, q is formed in it
    (new temporaries for a 64 MiB block cost as much as the arithmetic)."""
    if not precise:
        q = np.subtract(x, m, out=x)
        return (q if t == 1.0 else np.divide(q, t, out=q)), 0.0
    hx, hm = x * 0.5, m * 0.5
    s = hx - hm
    bb = s - hx
    err = (hx - (s - bb)) + (-hm - bb)  # TwoSum: s + err = (x - m)/2 exactly
    if t != 1.0:  # divided while halved: (x - m)/t may be finite where x - m is not
        q = s / t
        if t > _SPLIT_MAX:  # no exact residual; T that large leaves |q| tiny anyway
            s, err = q, err / t
        else:
            p = q * t
            qh, ql = _split(q)
            th, tl = _split(np.float64(t))
            pe = ((qh * th - p) + qh * tl + ql * th) + ql * tl  # q*t = p + pe exactly (Dekker)
            s, err = q, ((s - p) - pe + err) / t  # s - p is exact: p is within an ulp of s
    # x = -inf (or overflowed lanes) leave NaN in err; there exp(hi) is 0 or hi is -inf anyway
    np.putmask(err, ~np.isfinite(err), 0.0)
    return s + s, err + err


def _sum_last(a, axis):
    """Sum over `axis` with keepdims, pairwise: NumPy sums pairwise only
    along a contiguous axis, so the axis is moved last and made contiguous
    (a plain running sum along a strided axis grows its error like n)."""
    moved = np.ascontiguousarray(np.moveaxis(a, axis, -1))
    return np.expand_dims(moved.sum(axis=-1), axis)


def partial_sums(x, m, valid=None, *, axis, t):
    """Pass 2 for one block: (count of valid entries equal to m, sum of
    exp((x - m)/t) over the other valid entries) per row, stacked on a new
    last axis; the block's `axis` has length 1.  m: the rows' global max
    (from pass 1), broadcast along `axis`.  In rows whose m is not finite
    only the count means something (there: the number of +inf entries)."""
    precise = x.dtype == np.float64
    x = x.astype(np.float64, copy=False)
    m = m.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):
        at_max = x == m
        if valid is not None:
            at_max &= valid
        count = np.count_nonzero(at_max, axis=axis, keepdims=True).astype(np.float64)
        q, lo = _quotient(x, m, t, precise)
        e = np.exp(q, out=None if precise else q)  # -inf entries: 0
        if precise:
            e += e * lo
        np.putmask(e, at_max, 0.0)  # counted, not added: S' keeps the terms 1 + S' would round away
        if valid is not None:
            np.putmask(e, ~valid, 0.0)
        rest = _sum_last(e, axis) if precise else e.sum(axis=axis, keepdims=True)
    return np.stack([count, rest], axis=-1)


def normalise(x, m, count, rest, valid=None, *, axis, t, log, result_dtype):
    """Pass 3 for one block: its softmax (or log_softmax) values from the
    rows' global m, count and rest (each broadcast along `axis`)."""
    precise = x.dtype == np.float64
    x = x.astype(np.float64, copy=False)
    m = m.astype(np.float64, copy=False)
    none = -np.inf if log else 0.0  # what masked and -inf entries get
    with np.errstate(all="ignore"):
        special = ~np.isfinite(m)  # rows with NaN, +inf, or nothing finite
        if special.any():
            inf_at = x == np.inf if valid is None else (x == np.inf) & valid
        sprime = (count - 1.0) + rest
        q, lo = _quotient(x, m, t, precise)
        if log:
            y = np.subtract(q, np.log1p(sprime), out=None if precise else q)  # -inf entries stay -inf
            if precise:
                y += lo
        else:
            y = np.exp(q, out=None if precise else q)  # -inf entries: 0
            if precise:
                y += y * lo
                y /= 1.0 + sprime
            else:  # float32 results: the reciprocal's extra float64 rounding does not show
                y *= 1.0 / (1.0 + sprime)
        if valid is not None:
            np.putmask(y, ~valid, none)
        if special.any():  # the C kernel's rules for those rows
            share = -np.log(np.maximum(count, 1.0)) if log else 1.0 / np.maximum(count, 1.0)
            fixed = np.where(np.isnan(m), np.nan, np.where(inf_at & (m == np.inf), share, none))
            y = np.where(special, fixed, y)
        return y.astype(result_dtype)


def finish_backward(g, y, s, *, log, result_dtype):
    """The element step of softmax_backward (log=False: y * (g - s), s the
    row sum of g*y) or log_softmax_backward (g - exp(y) * s, s the row sum
    of g), in float64 as the C kernel does, rounded once."""
    g = g.astype(np.float64, copy=False)
    y = y.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):
        dx = g - np.exp(y) * s if log else y * (g - s)
        return dx.astype(result_dtype)


def product_terms(g, y):
    """g * y in float64 (exact for float32 inputs), the softmax_backward row
    sum's terms."""
    with np.errstate(all="ignore"):
        return np.multiply(g, y, dtype=np.float64)

