"""Derive the polynomial constants used in src_c/ and print them as C literals.

Every polynomial in the kernels names its fit here; re-running

    python tools/fit_coefficients.py exp_f32

prints the coefficients (rounded to the kernel's precision, as hex literals)
and the max relative error of the rounded polynomial on its interval.  The
error is the approximation error alone; the kernel's total error adds the
rounding of the evaluation (analysed in the comment next to each use).

Each fit is (target g, weight w, interval, powers, precision): minimise
max |w(x) * (P(x) - g(x))|, with g and w chosen so that the weighted error is
the relative error of the function the kernel finally returns.
"""
from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass
from typing import Callable

import mpmath as mp
import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
from remez import _poly, max_error, remez  # noqa: E402


@dataclass(frozen=True)
class Fit:
    doc: str
    g: Callable
    w: Callable
    a: float
    b: float
    powers: tuple
    precision: str  # "f32" or "f64"
    extra: Callable | None = None  # extra(coeffs): prints constants the kernel uses beside the coefficients


def _series_or(f, x, limit):
    """f(x), or its limit at 0 where |x| is so small that the cancellation in
    f (e.g. expm1(x) - x) would eat the working precision; the limit is then
    off by O(|x|) < 1e-25, far below any fitted error."""
    return limit if abs(x) < mp.mpf("1e-25") else f(x)


LN2_HALF = 0.3466  # a little beyond ln(2)/2 = 0.34657...: covers the non-FMA rounding of n

FITS = {
    # exp(r) = 1 + r + sum_{k>=2} c_k r^k on |r| <= ln2/2, relative error.
    "exp_f32": Fit("exp(r) = 1 + r + r^2*P(r)", lambda r: mp.exp(r) - 1 - r, lambda r: 1 / mp.exp(r),
                   -LN2_HALF, LN2_HALF, (2, 3, 4, 5, 6), "f32"),
    "exp_f64": Fit("exp(r) = 1 + r + r^2*P(r)", lambda r: mp.exp(r) - 1 - r, lambda r: 1 / mp.exp(r),
                   -LN2_HALF, LN2_HALF, tuple(range(2, 12)), "f64"),
    # Table-driven exp (vmath.h, FMA ISAs with a lane permute): e^a = 2^(n/N) * e^r,
    # |r| <= ln2/(2N), 2^(j/N) from a table (see TABLES), e^r = 1 + r + r^2*P(r).
    # N = 16 (AVX-512, one 16-lane permute) and N = 8 (AVX2, one 8-lane permute);
    # the intervals are ln2/(2N) plus the slack of rounding n with a float log2(e).
    "exp_tab16_f32": Fit("exp(r) = 1 + r + r^2*P(r)", lambda r: mp.exp(r) - 1 - r, lambda r: 1 / mp.exp(r),
                         -0.02167, 0.02167, (2, 3), "f32"),
    "exp_tab8_f32": Fit("exp(r) = 1 + r + r^2*P(r)", lambda r: mp.exp(r) - 1 - r, lambda r: 1 / mp.exp(r),
                        -0.04334, 0.04334, (2, 3, 4), "f32"),
    # expm1(r) = r + r^2 * Q(r): fit Q to h(r) = (expm1(r) - r)/r^2 with
    # weight r^2/expm1(r), which makes the weighted error relative to expm1(r).
    "expm1_f32": Fit("expm1(r) = r + r^2*Q(r)",
                     lambda r: _series_or(lambda t: (mp.expm1(t) - t) / t**2, r, mp.mpf(1) / 2),
                     lambda r: _series_or(lambda t: t**2 / mp.expm1(t), r, 0),
                     -LN2_HALF, LN2_HALF, (0, 1, 2, 3, 4), "f32"),
    "expm1_f64": Fit("expm1(r) = r + r^2*Q(r)",
                     lambda r: _series_or(lambda t: (mp.expm1(t) - t) / t**2, r, mp.mpf(1) / 2),
                     lambda r: _series_or(lambda t: t**2 / mp.expm1(t), r, 0),
                     -LN2_HALF, LN2_HALF, tuple(range(0, 10)), "f64"),
    # log1p(e) = e * Q(e) for e in [0, 1] (the only log1p argument range the
    # kernels need: e = exp(-|t|)).  Relative error.
    "log1p_unit_f32": Fit("log1p(e) = e*Q(e), e in [0,1]",
                          lambda e: _series_or(lambda t: mp.log1p(t) / t, e, 1),
                          lambda e: _series_or(lambda t: t / mp.log1p(t), e, 1),
                          0, 1, tuple(range(0, 11)), "f32"),
    "log1p_unit_f64": Fit("log1p(e) = e*Q(e), e in [0,1]",
                          lambda e: _series_or(lambda t: mp.log1p(t) / t, e, 1),
                          lambda e: _series_or(lambda t: t / mp.log1p(t), e, 1),
                          0, 1, tuple(range(0, 22)), "f64"),
    # tanh(x) = x + x*s*Q(s), s = x^2, for |x| <= 0.625: relative error.
    "tanh_small_f32": Fit("tanh(x) = x + x*s*Q(s), s=x^2, |x|<=0.625",
                          lambda s: _series_or(lambda t: (mp.tanh(mp.sqrt(t)) - mp.sqrt(t)) / (mp.sqrt(t) * t),
                                               s, -mp.mpf(1) / 3),
                          lambda s: _series_or(lambda t: mp.sqrt(t) * t / mp.tanh(mp.sqrt(t)), s, 0),
                          0, 0.625**2, (0, 1, 2, 3, 4), "f32"),
    "tanh_small_f64": Fit("tanh(x) = x + x*s*Q(s), s=x^2, |x|<=0.625",
                          lambda s: _series_or(lambda t: (mp.tanh(mp.sqrt(t)) - mp.sqrt(t)) / (mp.sqrt(t) * t),
                                               s, -mp.mpf(1) / 3),
                          lambda s: _series_or(lambda t: mp.sqrt(t) * t / mp.tanh(mp.sqrt(t)), s, 0),
                          0, 0.625**2, tuple(range(0, 11)), "f64"),
    # gelu: Phi(-a) = exp(-a^2/2) * R(a), R(a) = erfc(a/sqrt2)/2 * exp(a^2/2), the
    # smooth factor, as a polynomial in t = 1/(1 + a/2) for a in [0, 16]
    # (t in [1/9, 1]).  Computed in double for float32 results: only 2^-30 needed.
    "gelu_R_for_f32": Fit("R(a) = P(t), t = 1/(1+a/2), a in [0,16]",
                          lambda t: _gelu_R(2 / t - 2), lambda t: 1 / _gelu_R(2 / t - 2),
                          1.0 / 9.0, 1, tuple(range(0, 13)), "f64"),
    # ---- reduced-precision blocks (src_c/vmath_lowprec.h) -----------------
    # Float32 results computed in double need only ~2^-30 relative: exp on
    # |r| <= ln2/2 with r^2..r^7 (double coefficients).
    "exp_for_f32": Fit("exp(r) = 1 + r + r^2*P(r)", lambda r: mp.exp(r) - 1 - r, lambda r: 1 / mp.exp(r),
                       -LN2_HALF, LN2_HALF, tuple(range(2, 8)), "f64"),
    # log1p(e) = e*Q(e) on [0, 1] in double for float32 results (relative).
    "log1p_unit_for_f32": Fit("log1p(e) = e*Q(e), e in [0,1]",
                              lambda e: _series_or(lambda t: mp.log1p(t) / t, e, 1),
                              lambda e: _series_or(lambda t: t / mp.log1p(t), e, 1),
                              0, 1, tuple(range(0, 12)), "f64"),
    # Pure-float log1p(e) = e*(1 + W(e)), W(e) = log1p(e)/e - 1 = e*(-1/2 +
    # e*P(e)) for e in [0, exp(-1)] (softplus's exp region, |t| >= 1):
    # the leading e is carried exactly (in double-float) and W's own rounding
    # is damped by |W| <= 0.16; the -1/2 is kept exact (rounding a fitted c1 to
    # float costs 0.2 u), P = sum c_k e^(k-2) is fitted to W + e/2.  The
    # weight e/log1p(e) makes the error relative to log1p(e).
    "log1p_unit_w_f32": Fit("log1p(e) = e*(1 + W(e)), W + e/2 = e^2*P(e)",
                            lambda e: _series_or(lambda t: mp.log1p(t) / t - 1 + t / 2, e, 0),
                            lambda e: _series_or(lambda t: t / mp.log1p(t), e, 1),
                            0, 0.3679, tuple(range(2, 8)), "f32"),
    # softplus(t) - t/2 is even: softplus(t) = ln2_f + t/2 + G(t^2) for
    # |t| <= 1, ln2_f = ln2 rounded to float (c0 absorbs ln2 - ln2_f).  Error
    # relative to the smaller of softplus(+-t), softplus(-|t|).
    "softplus_even_f32": Fit("softplus(t) = ln2_f + t/2 + G(s), s = t^2, |t| <= 1",
                             lambda s: _softplus(mp.sqrt(s)) - _LN2_F - mp.sqrt(s) / 2,
                             lambda s: 1 / _softplus(-mp.sqrt(s)),
                             0, 1, tuple(range(0, 6)), "f32"),
    # ---- derivatives -------------------------------------------------------
    # mish'(x) has one real root x0 = -1.1924312...; around it the closed
    # form is a difference of two terms of opposite sign (relative accuracy
    # lost as x -> x0), so the kernels evaluate mish'(x0 + d) = d*Q(d) with
    # d = (x - x0_hi) - x0_lo (x0 as a double-double, printed with the fit).
    # Q has no zero near d = 0 (Q(0) = mish''(x0) = 0.267); fitting g = mish'/d
    # with weight d/mish' makes the error relative to mish' itself.  The f64
    # kernel adds c0's rounding error back (c0 as hi + lo, printed too).
    "mish_d_root_for_f32": Fit("mish'(x0 + d) = d*Q(d), |d| <= 1/128 (float32 results, in double)",
                               lambda d: _mish_d_over_d(d), lambda d: 1 / _mish_d_over_d(d),
                               -1.0 / 128, 1.0 / 128, tuple(range(0, 4)), "f64", lambda c: _print_mish_root()),
    "mish_d_root_f64": Fit("mish'(x0 + d) = d*Q(d), |d| <= 1/4",
                           lambda d: _mish_d_over_d(d), lambda d: 1 / _mish_d_over_d(d),
                           -0.25, 0.25, tuple(range(0, 14)), "f64", lambda c: _print_mish_root(c[0])),
    # The same scheme for the other derivatives with a root (where two terms
    # of opposite sign cancel): f'(r0 + d) = d*Q(d) around the root r0, d
    # taken from a double-double (float: float-float) r0, error relative to
    # f'.  silu'(x) = g(beta x) with g(t) = sigmoid(t) (1 + t sigmoid(-t))
    # (quick_gelu: beta = 1.702), root t0 = -1.27846...: 1 + t + e^t = 0.
    # gelu'(x) = Phi(x) + x phi(x), root -0.75179...; gelu_tanh' likewise.
    "silu_d_root_f32": Fit("g(t0 + d) = d*Q(d), g(t) = sigmoid(t) (1 + t sigmoid(-t)), |d| <= 1/16",
                           lambda d: _root_over_d("silu", d), lambda d: 1 / _root_over_d("silu", d),
                           -1.0 / 16, 1.0 / 16, tuple(range(0, 5)), "f32", lambda c: _print_root("silu", c[0], "f32")),
    "silu_d_root_f64": Fit("g(t0 + d) = d*Q(d), g(t) = sigmoid(t) (1 + t sigmoid(-t)), |d| <= 1/32",
                           lambda d: _root_over_d("silu", d), lambda d: 1 / _root_over_d("silu", d),
                           -1.0 / 32, 1.0 / 32, tuple(range(0, 9)), "f64", lambda c: _print_root("silu", c[0], "f64")),
    "gelu_d_root_f32": Fit("gelu'(x0 + d) = d*Q(d), gelu'(x) = Phi(x) + x phi(x), |d| <= 1/2",
                           lambda d: _root_over_d("gelu", d), lambda d: 1 / _root_over_d("gelu", d),
                           -0.5, 0.5, tuple(range(0, 10)), "f32", lambda c: _print_root("gelu", c[0], "f32")),
    "gelu_d_root_f64": Fit("gelu'(x0 + d) = d*Q(d), gelu'(x) = Phi(x) + x phi(x), |d| <= 1/4",
                           lambda d: _root_over_d("gelu", d), lambda d: 1 / _root_over_d("gelu", d),
                           -0.25, 0.25, tuple(range(0, 14)), "f64", lambda c: _print_root("gelu", c[0], "f64")),
    "gelu_tanh_d_root_f32": Fit("gelu_tanh'(x0 + d) = d*Q(d), |d| <= 1/4",
                                lambda d: _root_over_d("gelu_tanh", d), lambda d: 1 / _root_over_d("gelu_tanh", d),
                                -0.25, 0.25, tuple(range(0, 8)), "f32",
                                lambda c: _print_root("gelu_tanh", c[0], "f32")),
    "gelu_tanh_d_root_f64": Fit("gelu_tanh'(x0 + d) = d*Q(d), |d| <= 1/16",
                                lambda d: _root_over_d("gelu_tanh", d), lambda d: 1 / _root_over_d("gelu_tanh", d),
                                -1.0 / 16, 1.0 / 16, tuple(range(0, 11)), "f64",
                                lambda c: _print_root("gelu_tanh", c[0], "f64")),
}


def _sig(t):
    return 1 / (1 + mp.exp(-t))


def _gelu_tanh_d(x):
    k0 = 2 * mp.sqrt(2 / mp.pi)
    c = mp.mpf("0.044715")
    t = k0 * (x + c * x**3)
    return _sig(t) + x * k0 * (1 + 3 * c * x * x) * _sig(t) * _sig(-t)


# derivative with a root: (f', starting guess for the root)
_ROOT_FUNCS = {
    "silu": (lambda t: _sig(t) * (1 + t * _sig(-t)), "-1.278"),
    "gelu": (lambda x: mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi), "-0.7518"),
    "gelu_tanh": (_gelu_tanh_d, "-0.7517"),
}
_ROOTS = {}


def _root(name):
    if name not in _ROOTS:
        f, guess = _ROOT_FUNCS[name]
        with mp.workdps(80):
            _ROOTS[name] = mp.findroot(f, mp.mpf(guess))
    return _ROOTS[name]


def _root_over_d(name, d):
    """f'(r0 + d)/d, and its limit f''(r0) at d = 0."""
    f = _ROOT_FUNCS[name][0]
    with mp.workdps(mp.mp.dps + 30):
        r0 = _root(name)
        if abs(d) < mp.mpf("1e-40"):
            return mp.diff(f, r0)
        return f(r0 + d) / d


def _print_root(name, c0, precision):
    """The root as hi + lo and c0 as hi + lo, in the kernel's precision."""
    rnd = (lambda v: mp.mpf(float(np.float32(float(v))))) if precision == "f32" else (lambda v: mp.mpf(float(v)))
    r0 = _root(name)
    hi = rnd(r0)
    lo = rnd(r0 - hi)
    c0h = rnd(c0)
    print(f"    /* root = {mp.nstr(r0, 25)} = {_literal(hi, precision)} + {_literal(lo, precision)} */")
    print(f"    /* c0 = {_literal(c0h, precision)} + {_literal(rnd(c0 - c0h), precision)} */")


_LN2_F = mp.mpf(float(np.float32(float(mp.log(2)))))


def _softplus(t):
    return mp.log1p(mp.exp(t))


def _mish_d(x):
    """mish'(x) = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x)."""
    t = mp.tanh(_softplus(x))
    return t + x * (1 - t * t) / (1 + mp.exp(-x))


_MISH_ROOT = []


def _mish_root():
    if not _MISH_ROOT:
        with mp.workdps(80):
            _MISH_ROOT.append(mp.findroot(_mish_d, mp.mpf("-1.19")))
    return _MISH_ROOT[0]


def _mish_d_over_d(d):
    """mish'(x0 + d)/d, and its limit mish''(x0) at d = 0."""
    with mp.workdps(mp.mp.dps + 30):  # mish'(x0 + d) cancels to |d| relative
        x0 = _mish_root()
        if abs(d) < mp.mpf("1e-40"):
            return mp.diff(_mish_d, x0)
        return _mish_d(x0 + d) / d


def _print_mish_root(c0=None):
    x0 = _mish_root()
    hi = float(x0)
    lo = float(x0 - mp.mpf(hi))
    print(f"    /* x0 = {mp.nstr(x0, 25)} = {hi.hex()} + {lo.hex()} */")
    if c0 is not None:  # the f64 kernel carries c0 as a double-double
        print(f"    /* c0 = {float(c0).hex()} + {float(c0 - mp.mpf(float(c0))).hex()} */")


def _gelu_R(a):
    return mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2)


def _f32(c):
    return mp.mpf(float(np.float32(float(c))))


def _c_array(name, values, per_line=4):
    body = ",".join(("\n    " if i % per_line == 0 else " ") + _literal(v, "f32") for i, v in enumerate(values))
    return f"static const float {name}[{len(values)}] = {{{body}}};"


def table_exp2(n):
    """2^(j/n), j = 0..n-1, as float hi + lo: hi the nearest float, lo the
    nearest float to the remainder (hi + lo within 2^-48 relative).  j = 0 is
    split as 1 + 2^-23 and -2^-23 (still exact), so that u = hi*p + lo in
    vmath.h's vf_expt_parts is never a tiny nonzero: for tiny arguments u
    rounds to -2^-23 and the pair's low part cancels to 0 or stays >= 2^-47."""
    hi = [_f32(mp.mpf(2) ** (mp.mpf(j) / n)) for j in range(n)]
    lo = [_f32(mp.mpf(2) ** (mp.mpf(j) / n) - hi[j]) for j in range(n)]
    hi[0], lo[0] = 1 + mp.mpf(2) ** -23, -mp.mpf(2) ** -23
    print(f"/* exp2_{n}: 2^(j/{n}) = hi[j] + lo[j] (fit_coefficients.py exp2_{n}) */")
    print(_c_array(f"ac_exp2_{n}_hi", hi))
    print(_c_array(f"ac_exp2_{n}_lo", lo))


# Piecewise tanh for float32 (vmath.h, ISAs with a 32-lane table lookup).
# z = min(|x|, ZMAX); interval i = rint(K*z) in 0..31, centre t0[i] (a float,
# so t = z - t0 is exact); on it
#     tanh(z) = c0h + (c0l + t*P(t)),  P(t) = c1 + c2 t + ... + c6 t^5.
# i >= 1: c0h + c0l is the (double-float) constant term of a minimax fit of
# tanh(t0 + t) with relative weight; i = 0 (t0 = 0): c0 = 0 and t*P fits
# tanh(t) (c1 ~ 1), relative accuracy down to the subnormals.  Coefficients
# c1..c6 are floats; the fit is redone with c1 rounded (the only rounding
# that matters) when that helps.
TANH_K = 3.4
TANH_ZMAX = 9.1  # tanh(9.1) rounds to 1 in float


def table_tanh(only=None):
    K = float(np.float32(TANH_K))
    zmax = float(np.float32(TANH_ZMAX))
    rows = {k: [] for k in ("t0", "c0h", "c0l", "c1", "c2", "c3", "c4", "c5", "c6")}
    worst = 0.0
    for i in (range(32) if only is None else only):
        lo, hi = max((i - 0.5) / K, 0.0), min((i + 0.5) / K, zmax)
        t0 = float(np.float32(i / K)) if i else 0.0
        w = lambda t, t0=t0: 1 / mp.tanh(t0 + t)  # noqa: E731
        if i == 0:
            a, b = mp.mpf(2) ** -40, hi * 1.001
            g = mp.tanh
            powers = (1, 2, 3, 4, 5, 6)
        else:
            a, b = lo - t0 - (hi - lo) * 1e-3, hi - t0 + (hi - lo) * 1e-3
            g = lambda t, t0=t0: mp.tanh(t0 + t)  # noqa: E731
            powers = (0, 1, 2, 3, 4, 5, 6)
        coeffs, _ = remez(g, w, a, b, powers)
        cand = []
        # (a) round every coefficient (c0 as hi + lo)
        c = dict(zip(powers, coeffs))
        cand.append(c)
        # (b) round c1, refit the others
        c1 = _f32(c[1])
        rest = tuple(p for p in powers if p != 1)
        co2, _ = remez(lambda t: g(t) - c1 * t, w, a, b, rest)
        cand.append({1: c1, **dict(zip(rest, co2))})
        best = None
        for c in cand:
            r = {p: _f32(v) for p, v in c.items()}
            if 0 in c:
                r[0] = _f32(c[0]) + _f32(c[0] - _f32(c[0]))
            ps = sorted(r)
            err = max_error(g, w, a, b, tuple(ps), [r[p] for p in ps], samples=4000)
            if best is None or err < best[0]:
                best = (err, r, c)
        err, r, c = best
        worst = max(worst, float(err))
        c0 = c.get(0, mp.mpf(0))
        rows["t0"].append(t0)
        rows["c0h"].append(_f32(c0))
        rows["c0l"].append(_f32(c0 - _f32(c0)))
        for k in range(1, 7):
            rows[f"c{k}"].append(r[k])
    print(f"/* tanh_pw: piecewise tanh, K = {TANH_K}f, z <= {TANH_ZMAX}f, degree 6; worst rel. error with "
          f"rounded coefficients {worst:.3g} ({worst / 2.0**-24:.3f} u) (fit_coefficients.py tanh_pw) */")
    for k, v in rows.items():
        print(_c_array(f"ac_tanh_{k}", v))


TABLES = {"exp2_16": lambda: table_exp2(16), "exp2_8": lambda: table_exp2(8), "tanh_pw": table_tanh}


# --------------------------------------------------------------------------
# Piecewise (table) fits: one polynomial per interval, looked up by index.
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class TableFit:
    """Per-interval minimax fits of g(c + d), d = a - c, relative error.

    intervals() gives (lo, hi) per table index, the interval of a.  The point
    c the kernel subtracts is a float near the midpoint (so d = a - c is exact
    by Sterbenz) chosen so that g(c) is within 0.002 u of a float: the
    constant term is then stored exactly, with no refit (interval 0 uses
    c = 0, where d = a is exact for any a).  Each fit runs on
    [lo - c - margin, hi - c + margin]: the margin covers an index computed
    from a rounded a + 1 that lands one interval off."""
    doc: str
    g: Callable
    intervals: Callable
    degree: int
    precision: str
    margin: float
    log_centre: bool = False  # g varies by a large factor over a row: see _balanced_centre
    refit: bool = False  # round c1, c2, ... one at a time, refitting the rest after each


def _index_intervals(k1, k2, m, count):
    """Interval i holds the a >= 0 whose a (k1 a^m + k2) rounds to i (the
    kernel's index: that product added to 1.5 * 2^23)."""
    k1, k2 = mp.mpf(k1), mp.mpf(k2)
    edge = lambda v: mp.findroot(lambda a: a * (k1 * a**m + k2) - v, v / k2) if v else mp.mpf(0)  # noqa: E731
    return [(edge(max(i - mp.mpf(1) / 2, 0)), edge(i + mp.mpf(1) / 2)) for i in range(count)]


def _geometric_intervals(mbits, count):
    """Interval i holds the a whose a + 1 has exponent e = i >> mbits and top
    mantissa bits j = i & (2^mbits - 1): [2^e (1 + j/2^mbits) - 1, + 2^(e-mbits))."""
    out = []
    for i in range(count):
        e, j = i >> mbits, i & ((1 << mbits) - 1)
        lo = mp.mpf(2) ** e * (1 + mp.mpf(j) / 2**mbits) - 1
        out.append((lo, lo + mp.mpf(2) ** (e - mbits)))
    return out


GELU_H_K1 = 0.3125  # gelu fast path (float32): row i = round(a (K1 a + K2))
GELU_H_K2 = 1.0
GELU_TANH_K0 = 2 * mp.sqrt(2 / mp.pi)  # gelu_tanh(x) = x sigmoid(K0 x + K1 x^3)
GELU_TANH_K1 = GELU_TANH_K0 * mp.mpf("0.044715")
GELU_TH_K1 = 0.046875  # gelu_tanh fast path (float32): row i = round(a (K1 a^2 + K2))
GELU_TH_K2 = 1.25

TABLE_FITS = {
    # gelu fast path: H(a) = a Phi(-a) = a erfc(a/sqrt2)/2 on 32 rows for a in
    # [0, 8.57), row i = round(a (0.3125 a + 1)) (log H varies by ~1.5 per
    # row), degree 7 in d = a - c_i; row 0 (c = 0) has no constant term.
    "gelu_H_table_f32": TableFit("a Phi(-a) = P_i(a - c_i), i = round(a (0.3125 a + 1))",
                                 lambda a: a * mp.erfc(a / mp.sqrt(2)) / 2,
                                 lambda: _index_intervals(GELU_H_K1, GELU_H_K2, 1, 32), 7, "f32", 2.0**-16,
                                 log_centre=True, refit=True),
    # gelu_tanh fast path: H(a) = a sigmoid(-(K0 a + K1 a^3)) on 32 rows for a
    # in [0, 7.75), row i = round(a (0.046875 a^2 + 1.25)), degree 7.
    "gelu_tanh_H_table_f32": TableFit("a sigmoid(-K0 a - K1 a^3) = P_i(a - c_i), i = round(a (0.046875 a^2 + 1.25))",
                                      lambda a: a / (1 + mp.exp(GELU_TANH_K0 * a + GELU_TANH_K1 * a**3)),
                                      lambda: _index_intervals(GELU_TH_K1, GELU_TH_K2, 2, 32), 7, "f32", 2.0**-16,
                                      log_centre=True, refit=True),
    # gelu slow path: R(a) = erfc(a/sqrt2)/2 exp(a^2/2) (Phi(-a) = exp(-a^2/2)
    # R(a)) on 32 rows for a in [0, 15), row from the exponent and top 3
    # mantissa bits of a + 1, degree 5 in d = a - c.  R(0) = 1/2 exactly.
    "gelu_R_table_f32": TableFit("R(a) = P_i(a - c_i), i from the bits of a + 1", lambda a: _gelu_R(a),
                                 lambda: _geometric_intervals(3, 32), 5, "f32", 2.0**-20),
    # float64: top 4 mantissa bits, 84 rows for a in [0, 40), degree 9.
    "gelu_R_table_f64": TableFit("R(a) = P_i(a - c_i), i from the bits of a + 1", lambda a: _gelu_R(a),
                                 lambda: _geometric_intervals(4, 84), 9, "f64", 2.0**-46),
}


def _round(c, precision):
    return mp.mpf(float(np.float32(float(c)))) if precision == "f32" else mp.mpf(float(c))


def _balanced_centre(g, lo, hi):
    """Where to centre a row of a decreasing g that varies by e^D over
    [lo, hi], when the polynomial's last Horner step c0 + d S is the kernel's
    final rounding.  S's own rounding then reaches the result scaled by
    |d S / g| = |c0 / g - 1|: e^Ls - 1 at the small end (Ls = log g(c)/g(hi))
    and 1 - e^-Lb at the large end (Lb = D - Ls); balance the two.  The centre
    also stays in [hi/2, 2 lo], where d = a - c is exact."""
    D = mp.log(g(lo) / g(hi))
    L = mp.findroot(lambda t: mp.exp(t) - 1 - (1 - mp.exp(t - D)), D / 3)
    target = mp.log(g(hi)) + L
    c = mp.findroot(lambda t: mp.log(g(t)) - target, (lo + 3 * hi) / 4)
    return min(max(c, hi / 2 * (1 + mp.mpf(2)**-12)), 2 * lo * (1 - mp.mpf(2)**-12)) if lo else c


def _representable_centre(g, lo, hi, precision, log_centre=False, tol=0.002):
    """A float c near (lo + hi)/2 (or the balanced centre, log_centre) whose
    g(c) rounds with error < tol u."""
    mid = _balanced_centre(g, lo, hi) if log_centre else (lo + hi) / 2
    unit = 2.0**-24 if precision == "f32" else 2.0**-53
    step = mp.mpf(2) ** (mp.floor(mp.log(mid, 2)) - (23 if precision == "f32" else 52))
    base = _round(mid, precision)
    best = None
    for k in range(20000):
        c = base + (k // 2 + 1) * step * (1 if k % 2 else -1) if k else base
        v = g(c)
        e = abs(_round(v, precision) - v) / v / unit
        if best is None or e < best[1]:
            best = (c, e)
        if e < tol:
            break
    return best[0]


def _lp_refit(g, w, a, b, powers, coeffs, k, nodes=600):
    """Coefficients k.. re-optimised (minimax on a dense node set, by linear
    programming on the scaled residual) with coeffs[:k] held at their rounded
    values: rounding one coefficient is compensated by the ones above it."""
    from scipy.optimize import linprog

    xs = [a + (b - a) * (1 - mp.cos(mp.pi * i / (nodes - 1))) / 2 for i in range(nodes)]
    res = [w(x) * (g(x) - _poly(coeffs, powers, x)) for x in xs]
    scale = max(abs(r) for r in res) or mp.mpf(1)
    m = len(powers) - k
    # variables: delta_k..delta_D (each column scaled to unit size), z;
    # minimise z subject to |res - W * sum delta_j x^j| <= z on the nodes
    cols = [[float(w(x) * x ** powers[j] / scale) for x in xs] for j in range(k, len(powers))]
    norms = [max(abs(v) for v in col) or 1.0 for col in cols]
    rows, rhs = [], []
    for i, r in enumerate(res):
        basis = [cols[j][i] / norms[j] for j in range(m)]
        rows.append(basis + [-1.0])
        rhs.append(float(r / scale))
        rows.append([-v for v in basis] + [-1.0])
        rhs.append(-float(r / scale))
    sol = linprog([0.0] * m + [1.0], A_ub=rows, b_ub=rhs, bounds=[(None, None)] * m + [(0, None)], method="highs")
    if sol.x is None:
        raise RuntimeError(f"refit LP failed: {sol.message}")
    return [coeffs[j] + mp.mpf(sol.x[j - k]) / norms[j - k] * scale for j in range(k, len(powers))]


def _refit_rounded(spec, g, w, lo, hi, c, powers, grid):
    """Rounded coefficients for a table row whose terms are not small next to
    the constant one (g varies by a factor ~4 over the interval), so rounding
    c1 (0.5 u of a term ~0.7 g) would cost ~0.4 u.  The free minimax
    polynomial is re-expanded about a new float centre, searched near c, at
    which its value and first two derivatives are within 0.05 u of floats;
    c3, c4, ... are then rounded one at a time, each time refitting the higher ones to
    absorb the rounding (_lp_refit).  Returns the coefficients + [centre]."""
    unit = 2.0**-24 if spec.precision == "f32" else 2.0**-53
    a, b = (lo - c - spec.margin if c else mp.mpf(0)), hi - c + spec.margin
    free = remez(g, w, a, b, powers, grid=grid)[0] if c or g(0) != 0 else None
    if c:
        step = mp.mpf(2) ** (mp.floor(mp.log(c, 2)) - (23 if spec.precision == "f32" else 52))
        best = None
        for k in range(40000):
            e = (k // 2 + 1) * step * (1 if k % 2 else -1) if k else mp.mpf(0)
            if not hi / 2 * (1 + mp.mpf(2)**-14) <= c + e <= 2 * lo * (1 - mp.mpf(2)**-14):
                continue  # d = a - c must stay exact (Sterbenz) over the row
            vs = [mp.fsum(mp.binomial(p, q) * cf * e ** (p - q) for cf, p in zip(free, powers) if p >= q)
                  for q in (0, 1, 2)]
            worst = max(abs(_round(v, spec.precision) - v) / abs(v) / unit for v in vs)
            if best is None or worst < best[0]:
                best = (worst, e)
            if best[0] < 0.05:
                break
        e = best[1]
        # Taylor coefficients of the same polynomial about c + e
        free = [mp.fsum(mp.binomial(p, q) * cf * e ** (p - q) for cf, p in zip(free, powers) if p >= q)
                for q in powers]
        c = c + e
        a, b = lo - c - spec.margin, hi - c + spec.margin
        g = lambda d, c=c: spec.g(c + d)  # noqa: E731
        w = lambda d, c=c: 1 / spec.g(c + d)  # noqa: E731
        coeffs = [_round(v, spec.precision) for v in free[:3]] + free[3:]
        first = 3
    elif g(0) == 0:
        # g(d) = d * g1(d) on the row at the origin: fit g1 (degree one less)
        # relative, constant term g1(0) exact, and shift up by one power.
        slope = mp.diff(g, 0)
        g1 = lambda d: _series_or(lambda t: g(t) / t, d, slope)  # noqa: E731
        w1 = lambda d: 1 / g1(d)  # noqa: E731
        p1 = powers[:-1]
        free = remez(g1, w1, a, b, p1, grid=grid)[0]
        coeffs = [_round(slope, spec.precision), _round(free[1], spec.precision)] + free[2:]
        for k in range(2, len(p1)):
            coeffs[k:] = _lp_refit(g1, w1, a, b, p1, coeffs, k)
            coeffs[k] = _round(coeffs[k], spec.precision)
        return [mp.mpf(0)] + coeffs + [c]
    else:
        coeffs = [_round(g(0), spec.precision), _round(free[1], spec.precision)] + free[2:]
        first = 2
    for k in range(first, len(powers)):
        coeffs[k:] = _lp_refit(g, w, a, b, powers, coeffs, k)
        coeffs[k] = _round(coeffs[k], spec.precision)
    return coeffs + [c]


def table_fit(name, grid=300):
    with mp.workdps(40):
        _table_fit(name, grid)


def _table_fit(name, grid):
    spec = TABLE_FITS[name]
    unit = 2.0**-24 if spec.precision == "f32" else 2.0**-53
    powers = tuple(range(spec.degree + 1))
    rows, worst = [], 0
    for i, (lo, hi) in enumerate(spec.intervals()):
        c = _representable_centre(spec.g, lo, hi, spec.precision, spec.log_centre) if i else mp.mpf(0)
        a, b = (lo - c - spec.margin if i else mp.mpf(0)), hi - c + spec.margin
        g = lambda d, c=c: spec.g(c + d)  # noqa: E731
        w = lambda d, c=c: 1 / spec.g(c + d)  # noqa: E731
        if spec.refit:
            coeffs = _refit_rounded(spec, g, w, lo, hi, c, powers, grid)
            c = coeffs.pop()
            a, b = (lo - c - spec.margin if i else mp.mpf(0)), hi - c + spec.margin
            g = lambda d, c=c: spec.g(c + d)  # noqa: E731
            w = lambda d, c=c: 1 / spec.g(c + d)  # noqa: E731
        else:
            coeffs = [_round(v, spec.precision) for v in remez(g, w, a, b, powers, grid=grid)[0]]
        err = max_error(g, w, a if a or spec.g(c) else mp.mpf(2)**-60, b, powers, coeffs, samples=2000)
        worst = max(worst, err)
        rows.append((c, coeffs, err))
        print(f"/* {name} [{i}] a in [{float(lo):g}, {float(hi):g}) c = {float(c)!r}: {float(err) / unit:.3f} u */",
              file=sys.stderr)
    head = (f"{name}: {spec.doc}; degree {spec.degree}, {len(rows)} intervals; max rel. error with rounded "
            f"coefficients {float(worst):.3g} ({float(worst) / unit:.3f} u), u = 2^{int(np.log2(unit))}. "
            f"Row 0: c_i, row k+1: coefficient of d^k.")
    print("/* " + "\n * ".join(textwrap.wrap(head, 96)) + " */")
    cols = [[r[0] for r in rows]] + [[r[1][k] for r in rows] for k in range(spec.degree + 1)]
    per_line = 6 if spec.precision == "f32" else 4
    for col in cols:
        lits = [_literal(v, spec.precision) for v in col]
        lines = [", ".join(lits[j:j + per_line]) for j in range(0, len(lits), per_line)]
        print("    {" + (",\n     ".join(lines)) + "},")


def _literal(c, precision):
    """C hex literal; float32 values keep only their 6 significant hex digits."""
    if precision == "f32":
        mantissa, exponent = float(np.float32(float(c))).hex().split("p")
        return f"{mantissa.rstrip('0').rstrip('.')}p{exponent}f"
    return float(c).hex()


def fit(name):
    spec = FITS[name]
    coeffs, err = remez(spec.g, spec.w, spec.a, spec.b, spec.powers)
    if spec.precision == "f32":
        rounded = [mp.mpf(float(np.float32(float(c)))) for c in coeffs]
        unit = 2.0**-24
    else:
        rounded = [mp.mpf(float(c)) for c in coeffs]
        unit = 2.0**-53
    err_rounded = max_error(spec.g, spec.w, spec.a, spec.b, spec.powers, rounded)
    print(f"/* {name}: {spec.doc} on [{spec.a}, {spec.b}]; minimax rel. error "
          f"{float(err):.3g} ({float(err) / unit:.3f} u), with rounded coefficients "
          f"{float(err_rounded):.3g} ({float(err_rounded) / unit:.3f} u), u = 2^{int(np.log2(unit))} */")
    for p, c in zip(spec.powers, coeffs):
        print(f"    {_literal(c, spec.precision)},  /* x^{p} */")
    if spec.extra is not None:
        spec.extra(coeffs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    everything = [*FITS, *TABLES, *TABLE_FITS]
    parser.add_argument("names", nargs="*", help=f"fits or tables to print (default all fits): {', '.join(everything)}")
    args = parser.parse_args(argv)
    for name in args.names or [*FITS, *TABLE_FITS]:
        if name in TABLES:
            TABLES[name]()
        elif name in TABLE_FITS:
            table_fit(name)
        else:
            fit(name)


if __name__ == "__main__":
    main()
