/* relu(x) = max(x, 0).  Exact.  relu(-0.0) = +0.0 (max returns its second
 * operand on equality), as torch's relu. */
#include "../kernel_template.h"

AC_INLINE vf relu_f32(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vf relu_f32_inf(vf x, const vf *p) { return relu_f32(x, p); }
AC_INLINE vd relu_f64(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }
AC_INLINE vd relu_f64_inf(vd x, const vd *p) { return relu_f64(x, p); }

AC_FORWARD(relu, 0)

/* relu'(x) = 1 for x > 0, else 0 (relu'(0) = 0, as torch). */
AC_INLINE vf relu_derivative_f32(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}
AC_INLINE vf relu_derivative_f32_inf(vf x, const vf *p) { return relu_derivative_f32(x, p); }
AC_INLINE vd relu_derivative_f64(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}
AC_INLINE vd relu_derivative_f64_inf(vd x, const vd *p) { return relu_derivative_f64(x, p); }

AC_DERIVATIVES(relu, 0)
