/*
 * leaky_relu(x, s) = x if x > 0 else s * x   (p[0] = s, the negative slope).
 * One rounding (exact for x > 0).  The product is formed on min(x, 0), so a
 * tiny positive x never raises underflow for a lane that returns x.  Also serves prelu, whose weight is the
 * same parameter passed as an array.  At -inf the limit is -inf * sign(s),
 * and 0 for s = 0 (not the NaN of -inf * 0).
 */
#include "../kernel_template.h"

AC_INLINE vf leaky_relu_f32(vf x, const vf *p)
{
    return vf_select(vf_gt(x, vf_zero()), x, vf_mul(vf_min(x, vf_zero()), p[0]));
}
AC_INLINE vf leaky_relu_f32_inf(vf x, const vf *p)
{
    const vf inf = vf_set1(INFINITY);
    vf neg = vf_select(vf_gt(p[0], vf_zero()), vf_neg(inf), vf_select(vf_lt(p[0], vf_zero()), inf, vf_zero()));
    return vf_select(vf_gt(x, vf_zero()), x, neg);
}
AC_INLINE vd leaky_relu_f64(vd x, const vd *p)
{
    return vd_select(vd_gt(x, vd_zero()), x, vd_mul(vd_min(x, vd_zero()), p[0]));
}
AC_INLINE vd leaky_relu_f64_inf(vd x, const vd *p)
{
    const vd inf = vd_set1(INFINITY);
    vd neg = vd_select(vd_gt(p[0], vd_zero()), vd_neg(inf), vd_select(vd_lt(p[0], vd_zero()), inf, vd_zero()));
    return vd_select(vd_gt(x, vd_zero()), x, neg);
}

AC_FORWARD(leaky_relu, 1)

/* ---- derivative ------------------------------------------------------- */
/* leaky_relu'(x) = 1 for x > 0, else s: exact (the parameter itself).  At
 * x = 0 (either sign) it is s, as torch's leaky_relu_backward (x > 0 picks
 * the gradient, everything else scales it).  Limits: s at -inf, 1 at +inf.
 * prelu uses these kernels with its weight as an array parameter. */
AC_INLINE vf leaky_relu_derivative_f32(vf x, const vf *p)
{
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), p[0]);
}
AC_INLINE vf leaky_relu_derivative_f32_inf(vf x, const vf *p) { return leaky_relu_derivative_f32(x, p); }
AC_INLINE vd leaky_relu_derivative_f64(vd x, const vd *p)
{
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), p[0]);
}
AC_INLINE vd leaky_relu_derivative_f64_inf(vd x, const vd *p) { return leaky_relu_derivative_f64(x, p); }

AC_DERIVATIVES(leaky_relu, 1)
