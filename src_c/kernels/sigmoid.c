/*
 * sigmoid(x) = 1 / (1 + exp(-x)): vf_sigmoid / vd_sigmoid from vmath.h.
 * With e = exp(-|x|): e/(1+e) for x <= 0, 1/(1+e) for x > 0, so neither tail
 * cancels (the negative tail follows exp into the subnormals; onnxruntime's
 * clamp makes sigmoid(-17.6) 7x too large).  exp and the quotient are
 * carried in double-float and rounded once: < 0.7 ulp.  No division on the
 * fast path (a reciprocal estimate refined by FMAs).
 */
#include "../kernel_template.h"

AC_INLINE vf sigmoid_f32(vf x, const vf *p) { (void)p; return vf_sigmoid(x); }
AC_INLINE vf sigmoid_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

AC_INLINE vd sigmoid_f64(vd x, const vd *p) { (void)p; return vd_sigmoid(x); }
AC_INLINE vd sigmoid_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_FORWARD(sigmoid, 0)
