/*
 * log_sigmoid(x) = -softplus(-x) = min(x, 0) - log1p(exp(-|x|)).
 * Both terms have the same sign: no cancellation; for x > 0 the result is
 * -log1p(e), relative-accurate down to the subnormals.  For x < -40 the
 * log1p term is below half an ulp of x, so |x| is capped there (exp never
 * underflows when the result is ~x).  Float32 computes in double (~0.5 u).
 */
#include "../kernel_template.h"

AC_INLINE vd log_sigmoid_core(vd x, const vd *p)
{
    (void)p;
    vd a = vd_abs(x);
    a = vd_select(vd_lt(x, vd_zero()), vd_min(a, vd_set1(40.0)), a);
    vd l = vd_log1p_unit(vd_exp(vd_neg(a)));
    return vd_sub(vd_min(x, vd_zero()), l);
}

AC_F32_VIA_F64(log_sigmoid_f32, 0, log_sigmoid_core)
AC_INLINE vf log_sigmoid_f32_inf(vf x, const vf *p) { (void)p; return vf_min(x, vf_zero()); }
AC_INLINE vd log_sigmoid_f64(vd x, const vd *p) { return log_sigmoid_core(x, p); }
AC_INLINE vd log_sigmoid_f64_inf(vd x, const vd *p) { (void)p; return vd_min(x, vd_zero()); }

AC_FORWARD(log_sigmoid, 0)
