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

/* ---- derivative ------------------------------------------------------- */
/*
 * sigmoid'(x) = sigmoid(x) sigmoid(-x) = e/(1 + e)^2, e = exp(-|x|): even,
 * and no 1 - sigmoid cancellation on either side.
 *
 * The slope is sig_slope4_f32 / _f64 (../sigmoid_slope.h, with its error
 * analysis: < 0.7 ulp on FMA ISAs, < 1.5 ulp on SSE2).
 * |x| is capped where the result rounds to 0 (float 105: e^-105 < 2^-151;
 * double 746: e^-746 < 2^-1076) and raised to 2^-40 (float; the result is
 * 1/4 - x^2/16, 1/4 to 2^-82; double: exp's own 2^-60 flush), so that no
 * subnormal reaches exp's reduction.
 */
#include "../sigmoid_slope.h"

AC_INLINE vf sigmoid_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vf k, v = sig_slope4_f32(vf_abs(x), 105.0f, &k);
    return sig_slope_scale_f32(v, vf_sub(k, vf_set1(2.0f)));
}
AC_INLINE vf sigmoid_derivative_f32_inf(vf x, const vf *p) { (void)x; (void)p; return vf_zero(); }
AC_INLINE vd sigmoid_derivative_f64(vd x, const vd *p)
{
    (void)p;
    vd k, v = sig_slope4_f64(vd_abs(x), 746.0, &k);
    return vd_scale2(v, vd_sub(k, vd_set1(2.0)));
}
AC_INLINE vd sigmoid_derivative_f64_inf(vd x, const vd *p) { (void)x; (void)p; return vd_zero(); }

AC_DERIVATIVES(sigmoid, 0)

/*
 * From the forward output y = sigmoid(x): grad * y (1 - y) (torch's
 * sigmoid_backward).  1 - y is exact for y >= 1/2 and within 2^-25 relative
 * below (y <= 1/2): < 1.5 ulp before the product with grad.  Plain IEEE
 * arithmetic on every input (NaN propagates; y = +-inf or grad = +-inf are
 * not outputs of the forward and give what the formula gives).
 */
AC_INLINE vf sigmoid_backward_output_f32(const vf *in, const vf *p)
{
    (void)p;
    return vf_mul(in[0], vf_mul(in[1], vf_sub(vf_set1(1.0f), in[1])));
}
AC_INLINE vd sigmoid_backward_output_f64(const vd *in, const vd *p)
{
    (void)p;
    return vd_mul(in[0], vd_mul(in[1], vd_sub(vd_set1(1.0), in[1])));
}

AC_MAP(sigmoid_backward_output, 2, 0)
