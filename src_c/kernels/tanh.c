/* tanh(x): vf_tanh / vd_tanh from vmath.h (float32 < 0.8 ulp on AVX-512 and
 * AVX2, < 1.5 ulp on SSE2; float64 < 1.5 ulp; odd, limits +-1). */
#include "../kernel_template.h"

AC_INLINE vf tanh_f32(vf x, const vf *p) { (void)p; return vf_tanh(x); }
AC_INLINE vf tanh_f32_inf(vf x, const vf *p) { (void)p; return vf_copysign(vf_set1(1.0f), x); }
AC_INLINE vd tanh_f64(vd x, const vd *p) { (void)p; return vd_tanh(x); }
AC_INLINE vd tanh_f64_inf(vd x, const vd *p) { (void)p; return vd_copysign(vd_set1(1.0), x); }

AC_FORWARD(tanh, 0)
