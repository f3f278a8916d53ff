/*
 * softplus(x, beta, threshold) = x                          if beta*x > threshold
 *                              = log1p(exp(beta*x)) / beta   otherwise
 * (p[0] = beta > 0, p[1] = threshold, any value including +-inf; torch
 * semantics, the comparison taken on the exact product).
 *
 * Stable form: with t = beta*x and L = log1p(exp(-|t|)), L in (0, ln2]:
 *     t > 0:  x + L/beta        t <= 0:  L/beta
 * (no overflow of exp(t), no cancellation).  |t| is capped where the answer
 * no longer depends on it, so that exp(-|t|) underflows only when the result
 * does: for t > 40, L/beta < 2^-57 x (float and double), so the result is x
 * either way; for t <= 0 the cap is where L/beta rounds to zero for every
 * beta.
 *
 * float32, beta = 1 in every lane (the default; tested once per vector):
 * pure float, vf_softplus (vmath_lowprec.h: two regions, < 1.1 ulp by
 * analysis, 1.0 ulp measured over all floats); the threshold test compares
 * x itself.  Lanes returning x compute softplus(0) instead, so a discarded
 * value never underflows (threshold < -87).
 * float32, any other beta: in double, where beta*x of two floats is exact
 * (so is the threshold test) and never over- or underflows; exp and log1p
 * to ~2^-33 (vmath_lowprec.h), one final rounding: ~0.5 ulp.
 *
 * float64: see softplus_f64 below.
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

/* ---- float32 ------------------------------------------------------------ */

AC_INLINE vf softplus_f32_beta1(vf x, vf thr)
{
    mf lin = vf_gt(x, thr);
    return vf_select(lin, x, vf_softplus(vf_select(lin, vf_zero(), x)));
}

/* One double half (VD_N lanes) of the general-beta float32 kernel. */
AC_INLINE vd softplus_f32_half(vd x, vd beta, vd thr)
{
    vd t = vd_mul(beta, x); /* exact, |t| in [2^-298, 2^256] or 0 */
    md pos = vd_gt(t, vd_zero());
    /* t <= -300: e^t / beta <= e^-300 * 2^149 < 2^-280 rounds to 0 in float */
    vd a = vd_min(vd_abs(t), vd_select(pos, vd_set1(40.0), vd_set1(300.0)));
    vd l = vd_log1p_unit_lp(vd_exp_lp(vd_neg(a)));
    vd lb = vd_mul(l, vd_div(vd_set1(1.0), beta)); /* 1/beta <= 2^149, rel. error 2^-53 */
    vd y = vd_select(pos, vd_add(x, lb), lb);
    return vd_select(vd_gt(t, thr), x, y);
}

AC_INLINE vf softplus_f32(vf x, const vf *p)
{
    if (AC_UNLIKELY(mf_any(mf_not(vf_eq(p[0], vf_set1(1.0f)))))) {
        vd xl, xh, bl, bh, tl, th;
        vf_widen(x, &xl, &xh);
        vf_widen(p[0], &bl, &bh);
        vf_widen(p[1], &tl, &th);
        return vf_narrow(softplus_f32_half(xl, bl, tl), softplus_f32_half(xh, bh, th));
    }
    return softplus_f32_beta1(x, p[1]);
}
AC_INLINE vf softplus_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }

/* ---- float64 ------------------------------------------------------------ */
/*
 * beta*x can over- or underflow in double, so it is never formed as such.
 * Each factor is split exactly into a significand in [1, 2) and an
 * exponent (sp_frexp), the significands' product is taken exactly
 * (two_prod, values in [1, 4): no flag on any ISA):
 *     beta*x = (ph + pl) * 2^E.
 * Threshold test (exact, for every beta > 0, x and threshold): with the
 * threshold = mt * 2^et, d = et - E:
 *     d >= 3:  |threshold| > |beta*x|, the threshold's sign decides;
 *     d <= -2: |beta*x| > |threshold|, x's sign decides;
 *     else:    ph + pl against mt * 2^d (exact) as a double-double;
 * plus the cases x = 0, threshold = 0, threshold = +-inf.
 * Arithmetic: t + lo = (ph + pl) * 2^E with E clamped to [-100, 12]: below
 * 2^-98, t changes softplus by < 2^-99 relative; above 2^12, |t| is capped
 * anyway (40 for t > 0, where L/beta < 2^-57 x; 1500 for t <= 0, where
 * e^t/beta underflows for every beta > 0).  Lanes that return x compute on
 * t = 0, beta = 1 instead (their discarded value must not raise flags).
 *
 * With e = exp(-a) = p 2^n (vmath.h), a = |t + lo| capped:
 * L = log1p(e) is formed as lw = log1p(p 2^n_w), n_w = max(n, -100) (as in
 * log_sigmoid: exact to 2^-101 relative) and L/beta = lw 2^(n-n_w) / beta is
 * scaled in two steps, lw 2^m1 / beta then * 2^(m-m1), m = n - n_w,
 * m1 = max(m, -900): the first step is exact and the quotient can neither
 * overflow (m < -900 means |t| > 693, so beta >= 693/DBL_MAX) nor underflow
 * unless the result does; for t > 0 the same holds for x + L/beta (see
 * the prescaling below).  Error: exp < 1 u, log1p < 2 u, division 0.5 u,
 * add 0.5 u: 1-3 ulp measured.
 */

/* v = m * 2^e exactly, |m| in [1, 2) with v's sign, e integer-valued; v
 * finite and nonzero (zero and inf lanes give garbage the caller masks). */
AC_INLINE vd sp_frexp(vd v, vd *e)
{
    md sub = vd_lt(vd_abs(v), vd_set1(0x1p-1022));
    vd vn = vd_mul(v, vd_select(sub, vd_set1(0x1p64), vd_set1(1.0))); /* exact */
    vdi bexp = vdi_and(vdi_srl(vd_as_i(vn), 52), vdi_set1(0x7ff));
    /* biased exponent as a double: OR it into the significand of 2^52 */
    vd eb = vd_sub(vd_or(vdi_as_d(bexp), vd_set1(0x1p52)), vd_set1(0x1p52));
    *e = vd_sub(eb, vd_select(sub, vd_set1(1023.0 + 64.0), vd_set1(1023.0)));
    const vd expmask = vd_set1(INFINITY); /* the exponent field's bits */
    return vd_or(vd_andnot(expmask, vn), vd_set1(1.0));
}

/* per-lane choice between two masks: c ? a : b */
AC_INLINE md sp_msel(md c, md a, md b) { return md_or(md_and(c, a), md_andnot(b, c)); }

/*
 * The exact threshold test and the clamped product, shared by softplus_f64
 * and softplus_derivative_f64: returns the lanes where beta*x > threshold and
 * sets t + lo = (ph + pl) 2^Ec, Ec = E clamped to [-100, 12], and E.
 */
AC_INLINE md softplus_split_f64(vd x, vd beta, vd thr, vd *t, vd *lo, vd *E)
{
    vd ex, eb, et;
    vd mx = vd_select(vd_eq(x, vd_zero()), vd_zero(), sp_frexp(x, &ex));
    vd mb = sp_frexp(beta, &eb);
    vd mt = sp_frexp(thr, &et);
    vd pl, ph = vd_two_prod(mb, mx, &pl);
    *E = vd_add(eb, ex);

    /* threshold test on the exact product */
    vd d = vd_sub(et, *E);
    vd T = vd_mul(mt, vd_pow2i(vd_clamp(d, -1.0, 2.0)));
    md lin = md_or(vd_gt(ph, T), md_and(vd_eq(ph, T), vd_gt(pl, vd_zero())));
    md xpos = vd_gt(x, vd_zero()), tneg = vd_lt(thr, vd_zero());
    lin = sp_msel(vd_ge(d, vd_set1(3.0)), tneg, lin);
    lin = sp_msel(vd_le(d, vd_set1(-2.0)), xpos, lin);
    lin = sp_msel(vd_eq(thr, vd_zero()), xpos, lin);
    lin = sp_msel(md_or(vd_eq(x, vd_zero()), vd_eq(vd_abs(thr), vd_set1(INFINITY))), tneg, lin);

    /* t + lo, clamped exponent */
    vd Ec = vd_clamp(*E, -100.0, 12.0);
#ifdef AC_HAVE_SCALEF
    *t = vd_scale2(ph, Ec);
    *lo = vd_scale2(pl, Ec);
#else
    vd s2 = vd_pow2i(Ec);
    *t = vd_mul(ph, s2);
    *lo = vd_mul(pl, s2);
#endif
    return lin;
}

AC_INLINE vd softplus_f64(vd x, const vd *p)
{
    const vd beta = p[0];
    vd t, lo, E;
    md lin = softplus_split_f64(x, beta, p[1], &t, &lo, &E);
    md xpos = vd_gt(x, vd_zero());
    /* beta*x > 2^12 (E > 12): the result is x whether or not it exceeds the
     * threshold (L/beta < 2^-4000 x); such lanes join those returning x */
    lin = md_or(lin, md_and(xpos, vd_gt(E, vd_set1(12.0))));
    /* lanes returning x compute softplus(0) */
    t = vd_select(lin, vd_zero(), t);
    vd bdiv = vd_select(lin, vd_set1(1.0), beta);

    md pos = vd_gt(t, vd_zero());
    vd a = vd_abs(t);
    vd cap = vd_select(pos, vd_set1(40.0), vd_set1(1500.0));
    md capped = md_or(vd_gt(a, cap), lin);
    a = vd_min(a, cap);
    /* exp(-|t + lo|) = exp(-a - lo') with lo' = lo (t > 0) or -lo (t <= 0) */
    vd al = vd_select(capped, vd_zero(), vd_select(pos, vd_neg(lo), lo));
    vd n, pe_l, pe = vd_exp_parts(vd_neg(a), al, &pe_l, &n);
    vd nw = vd_max(n, vd_set1(-100.0));
    vd lw = vd_log1p_unit(vd_scale2(pe, nw));
    vd m = vd_sub(n, nw), m1 = vd_max(m, vd_set1(-900.0));
    /* t in (0, 2^14) with beta > 2^900: x + L/beta is formed as
     * (x 2^128 + L/(beta 2^-128)) 2^-128 (x < 2^-886: no overflow), so a
     * subnormal L/beta cannot raise a flag when the sum is normal
     * (elsewhere L/beta >= e^-40 / 2^900 > 2^-1022) */
    md pre = md_and(pos, vd_gt(bdiv, vd_set1(0x1p900)));
    vd kk = vd_select(pre, vd_set1(128.0), vd_zero());
    vd sk = vd_pow2i(kk);
    vd q = vd_div(vd_scale2(lw, m1), vd_mul(bdiv, vd_pow2i(vd_neg(kk)))); /* exact scalings */
    vd y = vd_select(pos, vd_muladd(x, sk, q), q);
    y = vd_scale2(y, vd_sub(vd_sub(m, m1), kk));
    return vd_select(lin, x, y);
}
AC_INLINE vd softplus_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(softplus, 2)

/* ---- derivative ------------------------------------------------------- */
/*
 * softplus'(x) = 1 where beta*x > threshold (torch's convention: the
 * linear branch), else sigmoid(beta*x); the test is the forward's, exact.
 *
 * float32, beta = 1: vf_sigmoid_lp (vmath_lowprec.h, plain float, < 2.5 ulp
 * measured; vmath.h's double-float vf_sigmoid costs twice as much and would
 * fall behind torch's backward), the test on x itself; lanes on the linear
 * branch compute sigmoid(0) (x may be far below a negative threshold).
 * Any other beta: in double, where beta*x is exact; with
 * e = exp(-|t|) (vd_exp_lp, 2^-33), sigmoid(t) = (t > 0 ? 1 : e)/(1 + e),
 * |t| capped at 200 (e^-200 = 2^-288: no underflow in double, and the float
 * result rounds to 0 from t = -104 on): ~0.5 u after the final rounding.
 * float64: sigmoid(t + lo) with t + lo = beta*x from softplus_split_f64
 * (exact for |beta*x| in [2^-98, 2^12]; below, sigmoid is 1/2 to 2^-100;
 * above, it is 1 or underflows either way), vd_sigmoid_parts carrying lo:
 * < 0.6 u + the final rounding.  Lanes on the linear branch compute
 * sigmoid(0) (their beta*x may be hugely negative for a threshold below it:
 * the discarded sigmoid must not underflow).
 */
AC_INLINE vd softplus_derivative_f32_half(vd x, vd beta, vd thr)
{
    vd t = vd_mul(beta, x); /* exact */
    vd a = vd_min(vd_abs(t), vd_set1(200.0));
    vd e = vd_exp_lp(vd_neg(a));
    vd y = vd_div(vd_select(vd_gt(t, vd_zero()), vd_set1(1.0), e), vd_add(vd_set1(1.0), e));
    return vd_select(vd_gt(t, thr), vd_set1(1.0), y);
}

AC_INLINE vf softplus_derivative_f32(vf x, const vf *p)
{
    if (AC_UNLIKELY(mf_any(mf_not(vf_eq(p[0], vf_set1(1.0f)))))) {
        vd xl, xh, bl, bh, tl, th;
        vf_widen(x, &xl, &xh);
        vf_widen(p[0], &bl, &bh);
        vf_widen(p[1], &tl, &th);
        return vf_narrow(softplus_derivative_f32_half(xl, bl, tl),
                         softplus_derivative_f32_half(xh, bh, th));
    }
    mf lin = vf_gt(x, p[1]);
    return vf_select(lin, vf_set1(1.0f), vf_sigmoid_lp(vf_select(lin, vf_zero(), x)));
}
/* x = +inf: beta*x = inf exceeds every threshold but inf, where sigmoid = 1;
 * x = -inf: -inf exceeds no threshold, sigmoid = 0. */
AC_INLINE vf softplus_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

AC_INLINE vd softplus_derivative_f64(vd x, const vd *p)
{
    vd t, lo, E;
    md lin = softplus_split_f64(x, p[0], p[1], &t, &lo, &E);
    t = vd_select(lin, vd_zero(), t);
    lo = vd_select(lin, vd_zero(), lo);
    vd Yl, k, Y = vd_sigmoid_parts(t, lo, &Yl, &k);
    vd y = vd_scale2(vd_add(Y, Yl), vd_max(k, vd_set1(-1100.0)));
    return vd_select(lin, vd_set1(1.0), y);
}
AC_INLINE vd softplus_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(softplus, 2)
