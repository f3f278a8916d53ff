/*
 * sig_slope4_f32 / _f64: 4 e/(1 + e)^2, e = exp(-a), for a = |t| >= 0,
 * returned unscaled as v * 2^(*k), v in [0.7, 8.2).  Shared by sigmoid'
 * (a = |x|) and tanh' (a = 2|x|).
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
 */
#ifndef AC_SIGMOID_SLOPE_H
#define AC_SIGMOID_SLOPE_H

#include "kernel_template.h"

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

#endif
