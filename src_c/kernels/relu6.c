/* relu6(x) = min(max(x, 0), 6).  Exact. */
#include "../kernel_template.h"

AC_INLINE vf relu6_f32(vf x, const vf *p) { (void)p; return vf_min(vf_max(x, vf_zero()), vf_set1(6.0f)); }
AC_INLINE vf relu6_f32_inf(vf x, const vf *p) { return relu6_f32(x, p); }
AC_INLINE vd relu6_f64(vd x, const vd *p) { (void)p; return vd_min(vd_max(x, vd_zero()), vd_set1(6.0)); }
AC_INLINE vd relu6_f64_inf(vd x, const vd *p) { return relu6_f64(x, p); }

AC_FORWARD(relu6, 0)

/* ---- derivative ------------------------------------------------------- */
/* relu6'(x) = 1 on 0 < x < 6, else 0: exact.  At the break points 0 and 6
 * the derivative is 0, as torch (relu6 backward is hardtanh_backward(0, 6):
 * the gradient passes only strictly inside the interval).  The same
 * expression gives the limits 0 at +-inf. */
AC_INLINE vf relu6_derivative_f32(vf x, const vf *p)
{
    (void)p;
    mf in = mf_and(vf_gt(x, vf_zero()), vf_lt(x, vf_set1(6.0f)));
    return vf_select(in, vf_set1(1.0f), vf_zero());
}
AC_INLINE vf relu6_derivative_f32_inf(vf x, const vf *p) { return relu6_derivative_f32(x, p); }
AC_INLINE vd relu6_derivative_f64(vd x, const vd *p)
{
    (void)p;
    md in = md_and(vd_gt(x, vd_zero()), vd_lt(x, vd_set1(6.0)));
    return vd_select(in, vd_set1(1.0), vd_zero());
}
AC_INLINE vd relu6_derivative_f64_inf(vd x, const vd *p) { return relu6_derivative_f64(x, p); }

AC_DERIVATIVES(relu6, 0)
