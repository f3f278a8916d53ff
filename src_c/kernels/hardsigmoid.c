/*
 * hardsigmoid(x) = min(max(x + 3, 0), 6) / 6.
 *
 * float32 computes in double (AC_F32_VIA_F64): x + 3 is exact there, and the
 * product with 1/6 (2^-53 relative) is then rounded to float: < 0.5 ulp
 * + 2^-28, no division.
 * float64: x + 3 is exact near the lower break point (Sterbenz, x in
 * [-6, -1.5]), so the result stays relative-accurate as it approaches 0; a
 * true division by 6 (not a multiply by 1/6) keeps the error <= 1 u.
 */
#include "../kernel_template.h"

AC_INLINE vd hardsigmoid_via_f64(vd x, const vd *p)
{
    (void)p;
    vd t = vd_min(vd_max(vd_add(x, vd_set1(3.0)), vd_zero()), vd_set1(6.0));
    return vd_mul(t, vd_set1(1.0 / 6.0));
}
AC_F32_VIA_F64(hardsigmoid_f32, 0, hardsigmoid_via_f64)
AC_INLINE vf hardsigmoid_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}
AC_INLINE vd hardsigmoid_f64(vd x, const vd *p)
{
    (void)p;
    vd t = vd_min(vd_max(vd_add(x, vd_set1(3.0)), vd_zero()), vd_set1(6.0));
    return vd_div(t, vd_set1(6.0));
}
AC_INLINE vd hardsigmoid_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_FORWARD(hardsigmoid, 0)
