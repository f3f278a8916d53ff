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
 * 4 sigmoid'(2|x|): the helpers below are sigmoid.c's (same code, a
 * vmath.h candidate; see the error analysis there), called with a = 2|x|
 * (exact; |x| capped first at 53 float / 374 double, where the result has
 * rounded to 0: 4 e^-106 < 2^-150, 4 e^-748 < 2^-1077).  Never forms
 * 1 - tanh^2, so the tails keep their relative accuracy down to the
 * subnormals: < 0.7 ulp (FMA ISAs), < 1.5 ulp (SSE2).  Near 0 the float
 * argument is raised to 2^-40 (the result is 1 - x^2, 1 to 2^-80).
 */
AC_INLINE vf sig_slope4_f32(vf a, float amax, vf *k)
{
    const vf one = vf_set1(1.0f);
    vf na = vf_min(vf_max(vf_neg(a), vf_set1(-amax)), vf_set1(-0x1p-40f));
#ifdef AC_EXPF_TABLE
    vf Pl, s, P = vf_expt_parts(na, vf_zero(), 0, 0, &Pl, &s);
    vf S = vf_exp2_floor(vf_max(s, vf_set1(-40.0f)));
    vf d = vf_muladd(S, P, one);
    vf dl = vf_muladd(S, Pl, vf_muladd(S, P, vf_sub(one, d)));
    vf y0 = vf_recip14(d);
    vf c = vf_mul(vf_nmuladd(y0, dl, vf_nmuladd(y0, d, one)), y0);
    vf h = vf_mul(y0, y0);
    vf l = vf_muladd(vf_add(y0, y0), c, vf_mulsub(y0, y0, h));
    *k = s; /* the caller floors it */
    return vf_mul(vf_muladd(P, h, vf_muladd(P, l, vf_mul(Pl, h))), vf_set1(4.0f));
#else
    vf n, pl, p = vf_exp_parts(na, vf_zero(), &pl, &n);
    vf S = vf_pow2i(vf_max(n, vf_set1(-40.0f)));
    vf sp = vf_mul(S, p), spl = vf_mul(S, pl); /* exact */
    vf d = vf_add(one, sp);
    vf dl = vf_add(vf_add(vf_sub(one, d), sp), spl); /* Fast2Sum: sp <= 1 */
    vf y0 = vf_div(one, d);
    vf c = vf_mul(vf_nmuladd(y0, dl, vf_residual(y0, d, one)), y0);
    vf l0, h = vf_two_prod(y0, y0, &l0);
    vf l = vf_muladd(vf_add(y0, y0), c, l0);
    *k = n;
    return vf_mul(vf_fma_accurate(p, h, vf_muladd(p, l, vf_mul(pl, h))), vf_set1(4.0f));
#endif
}
/* v * 2^floor(k) (k from sig_slope4_f32, integer-valued on SSE2) */
AC_INLINE vf sig_slope_scale_f32(vf v, vf k)
{
#ifdef AC_EXPF_TABLE
    return vf_ldexp_floor(v, k);
#else
    return vf_scale2(v, k);
#endif
}

AC_INLINE vd sig_slope4_f64(vd a, double amax, vd *k)
{
    const vd one = vd_set1(1.0);
    vd na = vd_max(vd_neg(a), vd_set1(-amax));
    vd n, pl, p = vd_exp_parts(na, vd_zero(), &pl, &n);
    vd S = vd_pow2i(vd_max(n, vd_set1(-120.0)));
    vd sp = vd_mul(S, p), spl = vd_mul(S, pl); /* exact */
    vd d = vd_add(one, sp);
    vd dl = vd_add(vd_add(vd_sub(one, d), sp), spl);
    vd y0 = vd_div(one, d);
    vd c = vd_mul(vd_nmuladd(y0, dl, vd_residual(y0, d, one)), y0);
    vd l0, h = vd_two_prod(y0, y0, &l0);
    vd l = vd_muladd(vd_add(y0, y0), c, l0);
    *k = n;
    return vd_mul(vd_fma_accurate(p, h, vd_muladd(p, l, vd_mul(pl, h))), vd_set1(4.0));
}

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
