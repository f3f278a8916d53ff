/*
 * hardsigmoid(x) = min(max(x + 3, 0), 6) / 6.
 *
 * float32 with FMA: xc = clamp(x, -3, 3), s = xc + 3 with its exact rounding
 * error sl (s - 3 is exact: Sterbenz), q = s*(1/6)_f, and the exact remainder
 * r = (s + sl) - 6q (an FMA) corrects it: q + r/6 ~ fma(r, (1/6)_f, q) is
 * rounded once, < 0.5 ulp + 2^-40; exactly 0 at x <= -3 and 1 at x >= 3;
 * no division, 9 operations.
 * Without FMA (SSE2) the float32 kernel computes in double (AC_F32_VIA_F64):
 * x + 3 exact there, one product with 1/6, rounded to float: < 0.5 ulp + 2^-28.
 * float64: x + 3 is exact near the lower break point (Sterbenz, x in
 * [-6, -1.5]), so the result stays relative-accurate as it approaches 0; a
 * true division by 6 (not a multiply by 1/6) keeps the error <= 1 u.
 */
#include "../kernel_template.h"

#define HSIG_C6 0x1.555556p-3f /* float(1/6) */

#ifdef AC_HAVE_FMA
AC_INLINE vf hardsigmoid_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_clamp(x, -3.0f, 3.0f);
    vf s = vf_add(xc, vf_set1(3.0f));
    vf sl = vf_sub(xc, vf_sub(s, vf_set1(3.0f)));
    vf q = vf_mul(s, vf_set1(HSIG_C6));
    vf r = vf_add(vf_nmuladd(q, vf_set1(6.0f), s), sl);
    return vf_muladd(r, vf_set1(HSIG_C6), q);
}
#else
AC_INLINE vd hardsigmoid_via_f64(vd x, const vd *p)
{
    (void)p;
    vd t = vd_min(vd_max(vd_add(x, vd_set1(3.0)), vd_zero()), vd_set1(6.0));
    return vd_mul(t, vd_set1(1.0 / 6.0));
}
AC_F32_VIA_F64(hardsigmoid_f32, 0, hardsigmoid_via_f64)
#endif
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

/* ---- derivative ------------------------------------------------------- */
/* hardsigmoid'(x) = 1/6 on -3 < x < 3, else 0: the constant correctly
 * rounded (float(1/6) = HSIG_C6, double 1.0/6.0), <= 0.5 ulp.  0 at x = +-3
 * as torch's hardsigmoid_backward (strict inequalities).  (torch's float64
 * kernel returns float(1/6) there, 2^-26 off; this one is the double 1/6.)
 * Limits at +-inf: 0. */
AC_INLINE vf hardsigmoid_derivative_f32(vf x, const vf *p)
{
    (void)p;
    mf in = mf_and(vf_gt(x, vf_set1(-3.0f)), vf_lt(x, vf_set1(3.0f)));
    return vf_select(in, vf_set1(HSIG_C6), vf_zero());
}
AC_INLINE vf hardsigmoid_derivative_f32_inf(vf x, const vf *p) { return hardsigmoid_derivative_f32(x, p); }
AC_INLINE vd hardsigmoid_derivative_f64(vd x, const vd *p)
{
    (void)p;
    md in = md_and(vd_gt(x, vd_set1(-3.0)), vd_lt(x, vd_set1(3.0)));
    return vd_select(in, vd_set1(1.0 / 6.0), vd_zero());
}
AC_INLINE vd hardsigmoid_derivative_f64_inf(vd x, const vd *p) { return hardsigmoid_derivative_f64(x, p); }

AC_DERIVATIVES(hardsigmoid, 0)
