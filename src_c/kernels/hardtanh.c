/* hardtanh(x, lo, hi) = min(max(x, lo), hi)  (p[0] = min_val, p[1] = max_val).  Exact. */
#include "../kernel_template.h"

AC_INLINE vf hardtanh_f32(vf x, const vf *p) { return vf_min(vf_max(x, p[0]), p[1]); }
AC_INLINE vf hardtanh_f32_inf(vf x, const vf *p) { return hardtanh_f32(x, p); }
AC_INLINE vd hardtanh_f64(vd x, const vd *p) { return vd_min(vd_max(x, p[0]), p[1]); }
AC_INLINE vd hardtanh_f64_inf(vd x, const vd *p) { return hardtanh_f64(x, p); }

AC_FORWARD(hardtanh, 2)
