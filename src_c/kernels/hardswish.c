/*
 * hardswish(x) = x * min(max(x + 3, 0), 6) / 6.
 * t = x + 3 is kept as an exact pair (Fast2Sum, |x| < 3 where it
 * matters), x*t as hi + lo, and the division by 6 gets a remainder
 * correction, q + (hi - 6q + lo)/6, so the result is rounded about once.  For x >= 3 the result is x
 * itself (x * 6 / 6 could round away from x).
 */
#include "../kernel_template.h"

AC_INLINE vf hardswish_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_clamp(x, -3.0f, 3.0f); /* the other lanes are 0 or x */
    vf s = vf_add(xc, vf_set1(3.0f));
    vf sl = vf_sub(xc, vf_sub(s, vf_set1(3.0f))); /* exact: |xc| <= 3 */
    vf lo, hi = vf_two_prod(xc, s, &lo);
    lo = vf_muladd(xc, sl, lo);
    vf q = vf_div(hi, vf_set1(6.0f));
    vf r = vf_add(vf_residual(q, vf_set1(6.0f), hi), lo);
    return vf_select(vf_ge(x, vf_set1(3.0f)), x, vf_add(q, vf_div(r, vf_set1(6.0f))));
}
AC_INLINE vf hardswish_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), x, vf_zero());
}
AC_INLINE vd hardswish_f64(vd x, const vd *p)
{
    (void)p;
    vd xc = vd_clamp(x, -3.0, 3.0);
    vd s = vd_add(xc, vd_set1(3.0));
    vd sl = vd_sub(xc, vd_sub(s, vd_set1(3.0)));
    vd lo, hi = vd_two_prod(xc, s, &lo);
    lo = vd_muladd(xc, sl, lo);
    vd q = vd_div(hi, vd_set1(6.0));
    vd r = vd_add(vd_residual(q, vd_set1(6.0), hi), lo);
    return vd_select(vd_ge(x, vd_set1(3.0)), x, vd_add(q, vd_div(r, vd_set1(6.0))));
}
AC_INLINE vd hardswish_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), x, vd_zero());
}

AC_FORWARD(hardswish, 0)
