/* hardtanh(x, lo, hi) = min(max(x, lo), hi)  (p[0] = min_val, p[1] = max_val).  Exact. */
#include "../kernel_template.h"

AC_INLINE vf hardtanh_f32(vf x, const vf *p) { return vf_min(vf_max(x, p[0]), p[1]); }
AC_INLINE vf hardtanh_f32_inf(vf x, const vf *p) { return hardtanh_f32(x, p); }
AC_INLINE vd hardtanh_f64(vd x, const vd *p) { return vd_min(vd_max(x, p[0]), p[1]); }
AC_INLINE vd hardtanh_f64_inf(vd x, const vd *p) { return hardtanh_f64(x, p); }

AC_FORWARD(hardtanh, 2)

/* ---- derivative ------------------------------------------------------- */
/* hardtanh'(x) = 1 on min_val < x < max_val, else 0: exact.  0 at both
 * break points, as torch's hardtanh_backward (strict inequalities); with
 * min_val == max_val it is 0 everywhere.  Limits at +-inf: 0. */
AC_INLINE vf hardtanh_derivative_f32(vf x, const vf *p)
{
    mf in = mf_and(vf_gt(x, p[0]), vf_lt(x, p[1]));
    return vf_select(in, vf_set1(1.0f), vf_zero());
}
AC_INLINE vf hardtanh_derivative_f32_inf(vf x, const vf *p) { return hardtanh_derivative_f32(x, p); }
AC_INLINE vd hardtanh_derivative_f64(vd x, const vd *p)
{
    md in = md_and(vd_gt(x, p[0]), vd_lt(x, p[1]));
    return vd_select(in, vd_set1(1.0), vd_zero());
}
AC_INLINE vd hardtanh_derivative_f64_inf(vd x, const vd *p) { return hardtanh_derivative_f64(x, p); }

AC_DERIVATIVES(hardtanh, 2)
