/*
 * hardswish(x) = x * min(max(x + 3, 0), 6) / 6.
 *
 * float32 computes in double (AC_F32_VIA_F64): x + 3 and x * (x + 3) are
 * exact there (24 x 27 bits), so the only roundings are the product with
 * 1/6 (two double roundings, 2^-52) and the final one to float: < 0.5 ulp
 * + 2^-28.  Clamping x + 3 before any rounding keeps the break points exact
 * (0 at x = -3; x*6*(1/6) rounds back to x for x >= 3, as 6*(1/6) = 1 - 2^-54);
 * tiny x never underflow in double; no division, no select.
 *
 * float64: t = x + 3 is kept as an exact pair (Fast2Sum, |x| < 3 where it
 * matters), x*t as hi + lo, and the division by 6 gets a remainder
 * correction, q + (hi - 6q + lo)/6, so the result is rounded about once.
 * For x >= 3 the result is x itself (x * 6 / 6 could round away from x).
 * |x| < 2^-60 returns x/2 (hardswish(x) = x/2 + x^2/6 rounds to it) and
 * computes the rest on 0: the product's low part would underflow.
 */
#include "../kernel_template.h"

AC_INLINE vd hardswish_via_f64(vd x, const vd *p)
{
    (void)p;
    vd s = vd_min(vd_max(vd_add(x, vd_set1(3.0)), vd_zero()), vd_set1(6.0));
    return vd_mul(vd_mul(x, s), vd_set1(1.0 / 6.0));
}
AC_F32_VIA_F64(hardswish_f32, 0, hardswish_via_f64)
AC_INLINE vf hardswish_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), x, vf_zero());
}
AC_INLINE vd hardswish_f64(vd x, const vd *p)
{
    (void)p;
    md tiny = vd_lt(vd_abs(x), vd_set1(0x1p-60));
    vd xc = vd_select(tiny, vd_zero(), vd_clamp(x, -3.0, 3.0));
    vd s = vd_add(xc, vd_set1(3.0));
    vd sl = vd_sub(xc, vd_sub(s, vd_set1(3.0)));
    vd lo, hi = vd_two_prod(xc, s, &lo);
    lo = vd_muladd(xc, sl, lo);
    vd q = vd_div(hi, vd_set1(6.0));
    vd r = vd_add(vd_residual(q, vd_set1(6.0), hi), lo);
    vd y = vd_select(vd_ge(x, vd_set1(3.0)), x, vd_add(q, vd_div(r, vd_set1(6.0))));
    return vd_select(tiny, vd_mul(x, vd_set1(0.5)), y);
}
AC_INLINE vd hardswish_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), x, vd_zero());
}

AC_FORWARD(hardswish, 0)
