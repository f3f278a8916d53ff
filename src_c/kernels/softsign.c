/* softsign(x) = x / (1 + |x|).  Two roundings, <= 1 u; odd (keeps -0.0). */
#include "../kernel_template.h"

AC_INLINE vf softsign_f32(vf x, const vf *p) { (void)p; return vf_div(x, vf_add(vf_set1(1.0f), vf_abs(x))); }
AC_INLINE vf softsign_f32_inf(vf x, const vf *p) { (void)p; return vf_copysign(vf_set1(1.0f), x); }
AC_INLINE vd softsign_f64(vd x, const vd *p) { (void)p; return vd_div(x, vd_add(vd_set1(1.0), vd_abs(x))); }
AC_INLINE vd softsign_f64_inf(vd x, const vd *p) { (void)p; return vd_copysign(vd_set1(1.0), x); }

AC_FORWARD(softsign, 0)
