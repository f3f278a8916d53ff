/*
 * mish(x) = x * tanh(softplus(x)).
 * With w = 1 + e^x, tanh(log w) = (w^2 - 1)/(w^2 + 1); written per tail with
 * e = exp(-|x|) so that nothing overflows or cancels:
 *     x <= 0 (e = e^x):   ratio = e(e + 2) / (e(e + 2) + 2)
 *     x > 0  (e = e^-x):  ratio = (1 + 2e) / (1 + 2e + 2e^2)
 * mish = x * ratio; numerator and denominator are selected per lane before
 * the one division.  For x > 40 the ratio rounds to 1 (float and double), so
 * |x| is capped there and exp never underflows for positive x.
 *
 * float32 computes in double (vmath_lowprec.h exp, ~2^-33): for x >= -200
 * nothing in double comes near underflow (e^-200 = 2^-288.5, e^2 = 2^-577),
 * and below -200 the float result x e^x is 0 anyway; one final rounding:
 * ~0.5 u.
 *
 * float64: with H = 1 - ratio (no cancellation: H <= 0.4), so that H's
 * own rounding errors count for at most H/(1-H) <= 2/3 of their size,
 *     x > 0:   mish = x - x H,    H = 2e^2 / (2e(e + 1) + 1)
 *     x <= 0:  mish = X - X H,    H = e(e + 1) / (e(e + 2) + 2),  X = x e^x,
 * one division either way.  e^x underflows near x = -708 while x e^x is
 * still normal down to x = -745, so X is kept unscaled: e^x = (p + pl) 2^k
 * (vmath.h exp parts, p's rounding error pl), X 2^-k = x (p + pl) as a
 * double-double (two_prod), and the final scaling by 2^k is the only step
 * that can underflow, exactly when the result does; e itself (in H, where
 * it is negligible below 2^-100) is formed as p 2^max(k, -100).  x is
 * clamped at -1000 (result 0 either way) so that 2^k stays in vd_scale2's
 * range.  Error ~1.5 u (exp ~0.2 u, H ~2 u damped, two final roundings).
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

AC_INLINE vd mish_f32_half(vd x)
{
    md pos = vd_gt(x, vd_zero());
    vd xc = vd_max(x, vd_set1(-200.0));
    vd e = vd_exp_lp(vd_select(pos, vd_neg(vd_min(xc, vd_set1(40.0))), xc));
    vd two_e = vd_add(e, e);
    vd e2 = vd_add(e, vd_set1(2.0));
    vd pnum = vd_add(vd_set1(1.0), two_e);
    vd num = vd_select(pos, pnum, vd_mul(e, e2));
    vd den = vd_select(pos, vd_muladd(two_e, e, pnum), vd_muladd(e, e2, vd_set1(2.0)));
    return vd_mul(xc, vd_div(num, den));
}

AC_INLINE vf mish_f32(vf x, const vf *p)
{
    (void)p;
    vd xl, xh;
    vf_widen(x, &xl, &xh);
    return vf_narrow(mish_f32_half(xl), mish_f32_half(xh));
}
AC_INLINE vf mish_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }

AC_INLINE vd mish_f64(vd x, const vd *p)
{
    (void)p;
    md pos = vd_gt(x, vd_zero());
    vd xc = vd_max(x, vd_set1(-1000.0));
    vd a = vd_select(pos, vd_min(xc, vd_set1(40.0)), vd_neg(xc));
    /* |x| < 2^-60: e = 1 (the ratio is 0.6 to 2^-60); keeps x*pl below from
     * underflowing (pl ~ -a) */
    a = vd_select(vd_lt(a, vd_set1(0x1p-60)), vd_zero(), a);
    vd k, pl, pe = vd_exp_parts(vd_neg(a), vd_zero(), &pl, &k);
    vd e = vd_scale2(pe, vd_max(k, vd_set1(-100.0))); /* = e for x > 0 (k >= -58) */
    /* H = num/den: x > 0: 2e e / (2e (e + 1) + 1);  x <= 0: e (e + 1) / (e (e + 2) + 2) */
    vd e1 = vd_select(pos, vd_add(e, e), e);
    vd c = vd_select(pos, vd_set1(1.0), vd_set1(2.0));
    vd H = vd_div(vd_mul(e1, vd_add(e, vd_sub(c, vd_set1(1.0)))), vd_muladd(e1, vd_add(e, c), c));
    /* X = x (x > 0) or x (p + pl) (x <= 0) as Xh + Xl */
    vd xs = vd_select(pos, vd_zero(), xc);
#ifndef AC_HAVE_FMA
    /* Dekker's partial products of a product below 2^-900 could be inexact
     * subnormals: there x*p alone (one more rounding) */
    md tiny = vd_lt(vd_abs(xs), vd_set1(0x1p-900));
    xs = vd_select(tiny, vd_zero(), xs);
#endif
    vd lo, Xh = vd_two_prod(xs, pe, &lo);
    vd Xl = vd_muladd(xs, pl, lo);
#ifndef AC_HAVE_FMA
    Xh = vd_select(tiny, vd_mul(xc, pe), Xh);
#endif
    Xh = vd_select(pos, x, Xh);
    Xl = vd_select(pos, vd_zero(), Xl);
    vd y = vd_add(Xh, vd_muladd(vd_neg(Xh), H, Xl));
    return vd_scale2(y, vd_select(pos, vd_zero(), k));
}
AC_INLINE vd mish_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(mish, 0)
