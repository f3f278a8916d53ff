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
from dataclasses import dataclass
from typing import Callable

import mpmath as mp
import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
from remez import max_error, remez  # noqa: E402


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
}


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
    parser.add_argument("names", nargs="*", help=f"fits to run (default all): {', '.join(FITS)}")
    args = parser.parse_args(argv)
    for name in args.names or FITS:
        fit(name)


if __name__ == "__main__":
    main()
