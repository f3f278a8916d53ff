/*
 * elu(x, alpha) = x if x > 0 else alpha * expm1(x)   (p[0] = alpha).
 * expm1 keeps the result relative-accurate near 0 (onnxruntime's
 * elu(-2e-31) returns 0); expm1 <= 1 u, times alpha 0.5 u.  expm1 is only
 * evaluated on min(x, 0), so positive lanes never overflow it.
 */
#include "../kernel_template.h"

AC_INLINE vf elu_f32(vf x, const vf *p)
{
    vf neg = vf_mul(p[0], vf_expm1(vf_min(x, vf_zero())));
    return vf_select(vf_gt(x, vf_zero()), x, neg);
}
AC_INLINE vf elu_f32_inf(vf x, const vf *p) { return vf_select(vf_gt(x, vf_zero()), x, vf_neg(p[0])); }
AC_INLINE vd elu_f64(vd x, const vd *p)
{
    vd neg = vd_mul(p[0], vd_expm1(vd_min(x, vd_zero())));
    return vd_select(vd_gt(x, vd_zero()), x, neg);
}
AC_INLINE vd elu_f64_inf(vd x, const vd *p) { return vd_select(vd_gt(x, vd_zero()), x, vd_neg(p[0])); }

AC_FORWARD(elu, 1)
