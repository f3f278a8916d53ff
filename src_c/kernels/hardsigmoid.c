/*
 * hardsigmoid(x) = min(max(x + 3, 0), 6) / 6.
 * x + 3 is exact near the lower break point (Sterbenz, x in [-6, -1.5]), so
 * the result stays relative-accurate as it approaches 0; a true division by
 * 6 (not a multiply by 1/6) keeps the error <= 1 u.
 */
#include "../kernel_template.h"

AC_INLINE vf hardsigmoid_f32(vf x, const vf *p)
{
    (void)p;
    vf t = vf_min(vf_max(vf_add(x, vf_set1(3.0f)), vf_zero()), vf_set1(6.0f));
    return vf_div(t, vf_set1(6.0f));
}
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
