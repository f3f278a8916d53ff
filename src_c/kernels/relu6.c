/* relu6(x) = min(max(x, 0), 6).  Exact. */
#include "../kernel_template.h"

AC_INLINE vf relu6_f32(vf x, const vf *p) { (void)p; return vf_min(vf_max(x, vf_zero()), vf_set1(6.0f)); }
AC_INLINE vf relu6_f32_inf(vf x, const vf *p) { return relu6_f32(x, p); }
AC_INLINE vd relu6_f64(vd x, const vd *p) { (void)p; return vd_min(vd_max(x, vd_zero()), vd_set1(6.0)); }
AC_INLINE vd relu6_f64_inf(vd x, const vd *p) { return relu6_f64(x, p); }

AC_FORWARD(relu6, 0)
