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
 * pure float, t = x, L = S * 2^n from vf_log1pexp_neg_parts (vmath_lowprec.h,
 * S within ~1.7 u); the scaling is exact unless the result is subnormal,
 * x + L rounds once: ~1 u measured.
 * float32, any other beta: in double, where beta*x of two floats is exact
 * (so is the threshold test) and never over- or underflows; exp and log1p
 * to ~2^-33 (vmath_lowprec.h), one final rounding: ~0.5 u.
 *
 * float64: see softplus_f64 below.
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

/* ---- float32 ------------------------------------------------------------ */

AC_INLINE vf softplus_f32_beta1(vf x, vf thr)
{
    return vf_select(vf_gt(x, thr), x, vf_softplus(x));
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
 * The product t = beta*x is only formed where it is neither tiny nor huge,
 * decided from the factors alone (a flag-free bound on |beta*x|):
 *   small: (|x| < 2^-480 and beta < 2^114) or (beta < 2^-480 and |x| < 2^114)
 *          => |beta*x| < 2^-366: softplus = (ln2 + t/2)/beta is ln2/beta to
 *          2^-367, so t is taken as 0;
 *   big:   (|x| > 2^480 and beta > 2^-114) or (beta > 2^480 and |x| > 2^-114)
 *          => |beta*x| > 2^366: t is taken as sign(x) * 2^400 (the result is
 *          x for x > 0, 0 for x < 0);
 *   else   2^-960 <= |beta*x| <= 2^960: (t, lo) = two_prod(beta, x), exact,
 *          no flag (Dekker's partial products are exact there too, once a
 *          factor outside [2^-500, 2^500] has been traded against the other).
 * The threshold test is then exact, except for a threshold of magnitude
 * in (0, 2^-366) against a small product or in (2^366, inf) against a big
 * one, where the product's sign (its magnitude class) decides.
 *
 * With e = exp(-a) = p 2^n (vmath.h, a = |t + lo| capped at 40 for t > 0 and
 * 1500 for t <= 0, where e^t/beta underflows for every beta > 0):
 * L = log1p(e) is formed as lw = log1p(p 2^n_w), n_w = max(n, -100) (as in
 * log_sigmoid: exact to 2^-101 relative) and L/beta = lw 2^(n-n_w) / beta is
 * scaled in two steps, lw 2^m1 / beta then * 2^(m-m1), m = n - n_w,
 * m1 = max(m, -900): the first step is exact and the quotient can neither
 * overflow (m < -900 means |t| > 693, so beta >= 693/DBL_MAX) nor underflow
 * unless the result does.  Error: exp < 1 u, log1p < 2 u, division 0.5 u,
 * add 0.5 u: 1-3 ulp measured.
 */
AC_INLINE vd softplus_f64(vd x, const vd *p)
{
    const vd beta = p[0], thr = p[1];
    vd ax = vd_abs(x);
    md small = md_or(md_and(vd_lt(ax, vd_set1(0x1p-480)), vd_lt(beta, vd_set1(0x1p114))),
                     md_and(vd_lt(beta, vd_set1(0x1p-480)), vd_lt(ax, vd_set1(0x1p114))));
    md big = md_or(md_and(vd_gt(ax, vd_set1(0x1p480)), vd_gt(beta, vd_set1(0x1p-114))),
                   md_and(vd_gt(beta, vd_set1(0x1p480)), vd_gt(ax, vd_set1(0x1p-114))));
    vd xm = vd_select(md_or(small, big), vd_zero(), x);
    vd bm = beta;
#ifndef AC_HAVE_FMA
    {
        /* Dekker splits a*(2^27+1) and multiplies the 26-bit halves: keep
         * both factors within [2^-500, 2^500] by trading a power of two. */
        vd up = vd_set1(0x1p520), dn = vd_set1(0x1p-520);
        md xhi = vd_gt(vd_abs(xm), vd_set1(0x1p500));
        md xlo = md_and(vd_lt(vd_abs(xm), vd_set1(0x1p-500)), vd_gt(vd_abs(xm), vd_zero()));
        md bhi = vd_gt(beta, vd_set1(0x1p500)), blo = vd_lt(beta, vd_set1(0x1p-500));
        vd sx = vd_select(md_or(xhi, blo), dn, vd_select(md_or(xlo, bhi), up, vd_set1(1.0)));
        vd sb = vd_select(md_or(xhi, blo), up, vd_select(md_or(xlo, bhi), dn, vd_set1(1.0)));
        md mid = md_not(md_or(small, big));
        xm = vd_mul(xm, vd_select(mid, sx, vd_set1(1.0)));
        bm = vd_mul(bm, vd_select(mid, sb, vd_set1(1.0)));
    }
#endif
    vd lo, t = vd_two_prod(bm, xm, &lo);
    t = vd_select(big, vd_copysign(vd_set1(0x1p400), x), t);
    md lin = md_or(vd_gt(t, thr), md_and(vd_eq(t, thr), vd_gt(lo, vd_zero())));
    /* a small product against threshold 0: its sign decides */
    lin = md_or(lin, md_and(small, md_and(vd_eq(thr, vd_zero()), vd_gt(x, vd_zero()))));

    md pos = vd_gt(t, vd_zero());
    vd a = vd_abs(t);
    vd cap = vd_select(pos, vd_set1(40.0), vd_set1(1500.0));
    md capped = vd_gt(a, cap);
    a = vd_min(a, cap);
    /* exp(-|t + lo|) = exp(-a - lo') with lo' = lo (t > 0) or -lo (t <= 0) */
    vd al = vd_select(capped, vd_zero(), vd_select(pos, vd_neg(lo), lo));
    vd n, pl, pe = vd_exp_parts(vd_neg(a), al, &pl, &n);
    vd nw = vd_max(n, vd_set1(-100.0));
    vd lw = vd_log1p_unit(vd_scale2(pe, nw));
    vd m = vd_sub(n, nw), m1 = vd_max(m, vd_set1(-900.0));
    vd lb = vd_scale2(vd_div(vd_scale2(lw, m1), beta), vd_sub(m, m1));
    vd y = vd_select(pos, vd_add(x, lb), lb);
    return vd_select(lin, x, y);
}
AC_INLINE vd softplus_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(softplus, 2)
