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
 * With e = (P + Pl) 2^k (exp's unscaled result carried as a float pair) and
 * 1 + e = d + dl exactly (e's scale in 1 + e capped at 2^-40, which changes
 * 1 + e by < 2^-40 relative): y0 ~ 1/d (14+ bits, or a division),
 * c = y0 (1 - y0 d - y0 dl) so that 1/(1 + e) = y0 + c to ~2^-28;
 * (y0 + c)^2 = h + l with h + l0 = y0^2 exactly and l = l0 + 2 y0 c; then
 * 4 (P + Pl)(h + l) = 4 (P h + (P l + Pl h)) is rounded once and scaled by
 * 2^(k-2) last (exact unless the result is subnormal: the only underflow,
 * exactly where the result underflows).  Error: e's ~0.1 u (table exp) /
 * < 1 u (polynomial exp; weighed by (1 - e)/(1 + e) <= 1) + the rounding:
 * < 0.7 ulp (FMA ISAs), < 1.5 ulp (SSE2).
 * |x| is capped where the result rounds to 0 (float 105: e^-105 < 2^-151;
 * double 746: e^-746 < 2^-1076) and raised to 2^-40 (float; the result is
 * 1/4 - x^2/16, 1/4 to 2^-82; double: exp's own 2^-60 flush), so that no
 * subnormal reaches exp's reduction.
 *
 * sig_slope4_f32 / _f64 (tanh.c has its own copy: a vmath.h candidate)
 * return 4 e/(1 + e)^2 unscaled as v * 2^(*k), v in
 * [0.7, 8.2), for a = |t| >= 0.
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
