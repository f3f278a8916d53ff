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
 * float64: e^x underflows near x = -708 while x e^x is still normal down to
 * x = -745, so for x <= 0 e is kept unscaled: e = p 2^k (vmath.h exp parts),
 *     mish = [x * p (e + 2) / (e(e + 2) + 2)] * 2^k,
 * with e itself (in e + 2 and the denominator, where it is negligible below
 * 2^-100) formed as p 2^max(k, -100).  The final scaling is the only step
 * that can underflow, exactly when the result does.  x is clamped at -1000
 * (result 0 either way) so that x*p never overflows and 2^k stays in
 * vd_scale2's range.  Error ~1-3 ulp (exp < 1 u, 4 roundings).
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
    vd k, pl, pe = vd_exp_parts(vd_neg(a), vd_zero(), &pl, &k);
    vd e = vd_scale2(pe, vd_max(k, vd_set1(-100.0))); /* = e for x > 0 (k >= -58) */
    vd two_e = vd_add(e, e);
    vd e2 = vd_add(e, vd_set1(2.0));
    vd pnum = vd_add(vd_set1(1.0), two_e);
    vd num = vd_select(pos, pnum, vd_mul(pe, e2));
    vd den = vd_select(pos, vd_muladd(two_e, e, pnum), vd_muladd(e, e2, vd_set1(2.0)));
    return vd_scale2(vd_mul(xc, vd_div(num, den)), vd_select(pos, vd_zero(), k));
}
AC_INLINE vd mish_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(mish, 0)
