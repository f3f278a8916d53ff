/*
 * celu(x, alpha) = x if x > 0 else alpha * expm1(x / alpha)   (p[0] = alpha > 0).
 * The quotient q = x/alpha is rounded; its remainder r = x - q*alpha (exact
 * with FMA) gives the correction expm1(q + r/alpha) ~ expm1(q) + (r/alpha)*(1 + expm1(q)),
 * so the division's rounding does not add to the error.
 * For |x| < alpha * 2^-30, celu(x) = x (1 + x/(2 alpha) + ...) rounds to x:
 * those lanes return x and compute on 0 (x/alpha and its remainder could
 * underflow there).
 */
#include "../kernel_template.h"

AC_INLINE vf celu_f32(vf x, const vf *p)
{
    /* below -40*alpha expm1 is -1; the cap keeps x/alpha finite */
    vf xn = vf_max(vf_min(x, vf_zero()), vf_mul(p[0], vf_set1(-40.0f)));
    mf tiny = vf_lt(vf_abs(xn), vf_mul(p[0], vf_set1(0x1p-30f)));
    xn = vf_select(tiny, vf_zero(), xn);
    vf q = vf_div(xn, p[0]);
    vf dq = vf_div(vf_nmuladd(q, p[0], xn), p[0]);
    vf em = vf_expm1(q);
    em = vf_muladd(dq, vf_add(vf_set1(1.0f), em), em);
    return vf_select(vf_gt(x, vf_zero()), x, vf_select(tiny, x, vf_mul(p[0], em)));
}
AC_INLINE vf celu_f32_inf(vf x, const vf *p) { return vf_select(vf_gt(x, vf_zero()), x, vf_neg(p[0])); }
AC_INLINE vd celu_f64(vd x, const vd *p)
{
    vd xn = vd_max(vd_min(x, vd_zero()), vd_mul(p[0], vd_set1(-800.0)));
    md tiny = vd_lt(vd_abs(xn), vd_mul(p[0], vd_set1(0x1p-60)));
    xn = vd_select(tiny, vd_zero(), xn);
    vd q = vd_div(xn, p[0]);
    vd dq = vd_div(vd_nmuladd(q, p[0], xn), p[0]);
    vd em = vd_expm1(q);
    em = vd_muladd(dq, vd_add(vd_set1(1.0), em), em);
    return vd_select(vd_gt(x, vd_zero()), x, vd_select(tiny, x, vd_mul(p[0], em)));
}
AC_INLINE vd celu_f64_inf(vd x, const vd *p) { return vd_select(vd_gt(x, vd_zero()), x, vd_neg(p[0])); }

AC_FORWARD(celu, 1)
