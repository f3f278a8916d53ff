/* tanh(x): vf_tanh / vd_tanh from vmath.h (float32 < 0.8 ulp on AVX-512 and
 * AVX2, < 1.5 ulp on SSE2; float64 < 1.5 ulp; odd, limits +-1). */
#include "../kernel_template.h"

AC_INLINE vf tanh_f32(vf x, const vf *p) { (void)p; return vf_tanh(x); }
AC_INLINE vf tanh_f32_inf(vf x, const vf *p) { (void)p; return vf_copysign(vf_set1(1.0f), x); }
AC_INLINE vd tanh_f64(vd x, const vd *p) { (void)p; return vd_tanh(x); }
AC_INLINE vd tanh_f64_inf(vd x, const vd *p) { (void)p; return vd_copysign(vd_set1(1.0), x); }

AC_FORWARD(tanh, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * tanh'(x) = 1 - tanh(x)^2 = 4 e/(1 + e)^2 with e = exp(-2|x|), i.e.
 * 4 sigmoid'(2|x|): sig_slope4_f32 / _f64 from ../sigmoid_slope.h (error
 * analysis there), called with a = 2|x|
 * (exact; |x| capped first at 53 float / 374 double, where the result has
 * rounded to 0: 4 e^-106 < 2^-150, 4 e^-748 < 2^-1077).  Never forms
 * 1 - tanh^2, so the tails keep their relative accuracy down to the
 * subnormals: < 0.7 ulp (FMA ISAs), < 1.5 ulp (SSE2).  Near 0 the float
 * argument is raised to 2^-40 (the result is 1 - x^2, 1 to 2^-80).
 */
#include "../sigmoid_slope.h"

AC_INLINE vf tanh_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vf k, v = sig_slope4_f32(vf_mul(vf_min(vf_abs(x), vf_set1(53.0f)), vf_set1(2.0f)), 106.0f, &k);
    return sig_slope_scale_f32(v, k);
}
AC_INLINE vf tanh_derivative_f32_inf(vf x, const vf *p) { (void)x; (void)p; return vf_zero(); }
AC_INLINE vd tanh_derivative_f64(vd x, const vd *p)
{
    (void)p;
    vd k, v = sig_slope4_f64(vd_mul(vd_min(vd_abs(x), vd_set1(374.0)), vd_set1(2.0)), 748.0, &k);
    return vd_scale2(v, k);
}
AC_INLINE vd tanh_derivative_f64_inf(vd x, const vd *p) { (void)x; (void)p; return vd_zero(); }

AC_DERIVATIVES(tanh, 0)

/*
 * From the forward output y = tanh(x): grad * (1 - y^2), formed as
 * (1 - |y|)(1 + |y|): 1 - |y| is exact for |y| >= 1/2 (Sterbenz), so the
 * tail, where 1 - y*y would cancel, keeps full relative accuracy
 * (< 1.5 ulp before the product with grad).  Plain IEEE arithmetic on every
 * input (NaN propagates).
 */
AC_INLINE vf tanh_backward_output_f32(const vf *in, const vf *p)
{
    (void)p;
    const vf one = vf_set1(1.0f);
    vf a = vf_abs(in[1]);
    return vf_mul(in[0], vf_mul(vf_sub(one, a), vf_add(one, a)));
}
AC_INLINE vd tanh_backward_output_f64(const vd *in, const vd *p)
{
    (void)p;
    const vd one = vd_set1(1.0);
    vd a = vd_abs(in[1]);
    return vd_mul(in[0], vd_mul(vd_sub(one, a), vd_add(one, a)));
}

AC_MAP(tanh_backward_output, 2, 0)
