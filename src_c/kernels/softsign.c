/*
 * softsign(x) = x / (1 + |x|).
 * float32 computes in double (AC_F32_VIA_F64): 1 + |x| is exact there (or
 * within 2^-53 for |x| > 2^29), its reciprocal comes from vd_recip40
 * (< 2^-40, no division on AVX-512), and x times it is rounded to float once:
 * < 0.5 ulp + 2^-16 (in float the rounding of 1 + |x| reached 1.5 ulp).
 * float64: a true division, two roundings, <= 1 u.  Odd: keeps -0.0.
 */
#include "../kernel_template.h"

AC_INLINE vd softsign_core(vd x, const vd *p) { (void)p; return vd_div(x, vd_add(vd_set1(1.0), vd_abs(x))); }
AC_INLINE vd softsign_via_f64(vd x, const vd *p) { (void)p; return vd_mul(x, vd_recip40(vd_add(vd_set1(1.0), vd_abs(x)))); }
AC_F32_VIA_F64(softsign_f32, 0, softsign_via_f64)
AC_INLINE vf softsign_f32_inf(vf x, const vf *p) { (void)p; return vf_copysign(vf_set1(1.0f), x); }
AC_INLINE vd softsign_f64(vd x, const vd *p) { return softsign_core(x, p); }
AC_INLINE vd softsign_f64_inf(vd x, const vd *p) { (void)p; return vd_copysign(vd_set1(1.0), x); }

AC_FORWARD(softsign, 0)
