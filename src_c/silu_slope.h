/*
 * g(t) = d/dt [t sigmoid(t)] = sigmoid(t) (1 + t sigmoid(-t)) at t + tl: the
 * slope shared by silu' (t = beta x) and quick_gelu' (t = 1.702 x).
 * silu_slope_f64: double, < 1 ulp; silu_slope_t_f32: float32, the fast form,
 * the tail and the root window around t0 = -1.2785 (fits silu_d_root_*),
 * < 1.5 ulp; both relative-accurate in both tails and up to the root.
 * Error analyses at each function.
 */
#ifndef AC_SILU_SLOPE_H
#define AC_SILU_SLOPE_H

#include "kernel_template.h"

#define SILU_T0_HI_F -0x1.474974p+0f /* fit silu_d_root_f32: the root, hi + lo */
#define SILU_T0_LO_F 0x1.bdf6fap-27f
#define SILU_C0_F 0x1.be141p-3f /* fit silu_d_root_f32: Q(0) = C0 + C0_LO */
#define SILU_C0_LO_F 0x1.186efep-29f
#define SILU_T0_HI_D -0x1.474973c84120bp+0 /* fit silu_d_root_f64 */
#define SILU_T0_LO_D -0x1.f8d74bc9ac154p-54
#define SILU_C0_LO_D -0x1.253fe7b1410ecp-58

/* a + b = s + *err exactly */
AC_INLINE vd silu_two_sum_d(vd a, vd b, vd s)
{
    vd bb = vd_sub(s, a);
    return vd_add(vd_sub(a, vd_sub(s, bb)), vd_sub(b, bb));
}
AC_INLINE vf silu_two_sum_f(vf a, vf b, vf s)
{
    vf bb = vf_sub(s, a);
    return vf_add(vf_sub(a, vf_sub(s, bb)), vf_sub(b, bb));
}

/* g(t + tl) in double; t finite, |tl| <= ulp(t)/2, tl = 0 when |t| < 2^-60 */
AC_INLINE vd silu_slope_f64(vd t, vd tl)
{
    /* fit silu_d_root_f64: Q(d) = c[0] + ... + c[8] d^8 */
    static const double c[9] = {
        0x1.be1410460527fp-3, 0x1.2c563458cc0adp-3, 0x1.353eb573ca457p-6, -0x1.f2d0e32bc46cdp-7,
        -0x1.b0f82c498d636p-8, 0x1.098e994c37f02p-13, 0x1.a2a7ca8b578b6p-11, 0x1.8551bf2f0fb8ep-13,
        -0x1.571f87c1a3e46p-15};
    const vd one = vd_set1(1.0);
    md pos = vd_gt(t, vd_zero());
    vd cap = vd_select(pos, vd_set1(40.0), vd_set1(800.0));
    md capped = vd_gt(vd_abs(t), cap);
    vd a = vd_min(vd_abs(t), cap);
    vd tc = vd_copysign(a, t);
    vd tlc = vd_select(capped, vd_zero(), tl);
    /* e = exp(-|t + tl|) = (p + pl) 2^n */
    vd n, pl, p = vd_exp_parts(vd_neg(a), vd_select(pos, vd_neg(tlc), tlc), &pl, &n);
    vd S = vd_pow2i(vd_max(n, vd_set1(-120.0)));
    vd E = vd_mul(S, p), El = vd_mul(S, pl); /* exact */
    vd d = vd_add(one, E);
    vd dl = vd_add(vd_add(vd_sub(one, d), E), El);
    vd y0 = vd_div(one, d);
    vd cr = vd_mul(vd_nmuladd(y0, dl, vd_residual(y0, d, one)), y0);
    vd l0, h = vd_two_prod(y0, y0, &l0);
    vd l = vd_muladd(vd_add(y0, y0), cr, l0);
    /* u + ul = 1 + t + tl */
    vd u = vd_add(one, tc);
    vd ul = vd_add(silu_two_sum_d(one, tc, u), tlc);
    /* t > 0: N = 1 + E u = Nh + Nl (E u <= 1) */
    vd plo, ph = vd_two_prod(E, u, &plo);
    vd Nh = vd_add(one, ph);
    vd Nl = vd_add(vd_add(vd_sub(ph, vd_sub(Nh, one)), plo), vd_muladd(E, ul, vd_mul(El, u)));
    vd ypos = vd_fma_accurate(Nh, h, vd_muladd(Nh, l, vd_mul(Nl, h)));
    /* t <= 0: (p + pl) M R^2 2^n, M = u + E = Mh + Ml */
    vd Mh = vd_add(u, E);
    vd Ml = vd_add(silu_two_sum_d(u, E, Mh), vd_add(ul, El));
    vd vl, v = vd_two_prod(p, Mh, &vl);
    vd w = vd_add(vl, vd_muladd(p, Ml, vd_mul(pl, Mh)));
    vd yneg = vd_scale2(vd_fma_accurate(v, h, vd_muladd(v, l, vd_mul(w, h))), n);
    /* root window */
    vd dh = vd_sub(tc, vd_set1(SILU_T0_HI_D));
    vd dlo = vd_sub(tlc, vd_set1(SILU_T0_LO_D));
    vd dd = vd_add(dh, dlo);
    vd q = vd_set1(c[8]);
    for (int j = 7; j >= 1; j--) q = vd_muladd(q, dd, vd_set1(c[j]));
    vd rest = vd_muladd(dh, vd_set1(SILU_C0_LO_D), vd_mul(dlo, vd_set1(c[0])));
    vd yroot = vd_fma_accurate(dh, vd_set1(c[0]), vd_muladd(dd, vd_mul(dd, q), rest));
    vd y = vd_select(pos, ypos, yneg);
    return vd_select(vd_lt(vd_abs(dh), vd_set1(1.0 / 32)), yroot, y);
}

/*
 * g(t + tl), float32 (use_tl = 0: tl ignored, t exact), the fast form, for
 * t >= -16 in every lane.  With E = e^-(t + tl) = (P + Pl) 2^k (not
 * e^-|t|: one formula for both signs),
 *     g = N / D,  N = 1 + E (1 + t + tl),  D = (1 + E)^2,
 * N = 0 only at the root; for t < -1, E(1 + t) dominates without
 * cancellation elsewhere.  N = Nh + Nl from E u = ph + plo (exact product,
 * u = 1 + t rounded) and a two-sum with 1, plus E tl; u's rounding weighs
 * E u / N: <= 1/2 for t > 0, ~1 for t < -2, and u is exact on [-2, -1/2].
 * With t >= -16, E < 2^24, so 1 + E = d + dl exactly (1 - d is exact below
 * 2^24); D = d^2 + (its residual + 2 d dl).  The quotient: y ~ 1/D (14+
 * bits, or a division), q0 = Nh y, r = Nh - q0 D - q0 Dl + Nl (FMAs),
 * g = q0 + r y to ~2^-28, rounded once.  E's ~0.1 u (table) / < 1 u (SSE2)
 * reaches g weighted by <= 2.  t is capped at 30 (g = 1 + (t - 1) e^-t is
 * 1 to 2^-38).  Tiny t need no flush: the table exp's Pl is 0 or >= 2^-47,
 * and t only enters 1 + t.  ~45 operations on AVX-512, < 1.5 ulp.
 */
AC_INLINE vf silu_slope_fast_f32(vf t, vf tl, int use_tl)
{
    const vf one = vf_set1(1.0f);
    mf big = vf_gt(t, vf_set1(30.0f));
    vf tc = vf_min(t, vf_set1(30.0f));
    vf tlc = use_tl ? vf_select(big, vf_zero(), tl) : vf_zero();
    vf Pl, k, P, y;
#ifdef AC_EXPF_TABLE
    vf s;
    P = vf_expt_parts(tc, tlc, use_tl, 1, &Pl, &s);
    k = vf_floor(s);
#else
    P = vf_exp_parts(vf_neg(tc), vf_neg(tlc), &Pl, &k);
#endif
    vf S = vf_pow2i(k);
    vf E = vf_mul(S, P), El = vf_mul(S, Pl); /* exact */
    vf u = vf_add(one, tc);
    vf plo, ph = vf_two_prod(E, u, &plo);
    vf Nh = vf_add(ph, one);
    vf Nl = vf_add(vf_add(silu_two_sum_f(ph, one, Nh), plo), vf_mul(El, u));
    if (use_tl) Nl = vf_muladd(E, tlc, Nl);
    vf d = vf_add(one, E);
    vf dl = vf_add(vf_add(vf_sub(one, d), E), El); /* 1 - d exact below 2^24 */
    vf Dlo, D = vf_two_prod(d, d, &Dlo);
    vf Dl = vf_muladd(vf_add(d, d), dl, Dlo);
#ifdef AC_EXPF_TABLE
    y = vf_recip14(D);
#else
    y = vf_div(one, D);
#endif
    vf q0 = vf_mul(Nh, y);
    vf r = vf_add(vf_nmuladd(q0, Dl, vf_residual(q0, D, Nh)), Nl);
    return vf_muladd(r, y, q0);
}

/*
 * g(t + tl) for t < -16 (vectors with such a lane; the other lanes keep the
 * fast form): with e = e^(t + tl) = (P + Pl) 2^k,
 * g = e (1 + t + tl + e)/(1 + e)^2, all in float pairs as silu_slope_f64
 * (M = 1 + t + e has no cancellation here), scaled by 2^k last (the one
 * underflow, where g does); t capped at -110 (|1 + t| e^t < 2^-151).
 */
AC_INLINE vf silu_slope_tail_f32(vf t, vf tl, int use_tl)
{
    const vf one = vf_set1(1.0f);
    mf low = vf_lt(t, vf_set1(-110.0f));
    vf tc = vf_max(t, vf_set1(-110.0f));
    vf tlc = use_tl ? vf_select(low, vf_zero(), tl) : vf_zero();
    vf Pl, k, P, y0;
#ifdef AC_EXPF_TABLE
    vf s;
    P = vf_expt_parts(tc, tlc, use_tl, 0, &Pl, &s);
    k = vf_floor(s);
#else
    P = vf_exp_parts(tc, tlc, &Pl, &k);
#endif
    vf S = vf_pow2i(vf_max(k, vf_set1(-40.0f)));
    vf E = vf_mul(S, P), El = vf_mul(S, Pl); /* exact */
    vf d = vf_add(one, E);
    vf dl = vf_add(vf_add(vf_sub(one, d), E), El);
#ifdef AC_EXPF_TABLE
    y0 = vf_recip14(d);
#else
    y0 = vf_div(one, d);
#endif
    vf cr = vf_mul(vf_nmuladd(y0, dl, vf_residual(y0, d, one)), y0);
    vf l0, h = vf_two_prod(y0, y0, &l0);
    vf l = vf_muladd(vf_add(y0, y0), cr, l0);
    vf u = vf_add(one, tc);
    vf ul = vf_add(silu_two_sum_f(one, tc, u), tlc);
    vf Mh = vf_add(u, E);
    vf Ml = vf_add(silu_two_sum_f(u, E, Mh), vf_add(ul, El));
    vf vl, v = vf_two_prod(P, Mh, &vl);
    vf w = vf_add(vl, vf_muladd(P, Ml, vf_mul(Pl, Mh)));
    return vf_scale2(vf_fma_accurate(v, h, vf_muladd(v, l, vf_mul(w, h))), k);
}

/* g(t + tl), float32: the fast form, the tail, and the root window
 * (|t - t0| < 1/16, d = (t - T0_HI) + (tl - T0_LO); about 1 vector in 5 of
 * N(0, 3^2) data for silu; only in vectors that have such a lane). */
AC_INLINE vf silu_slope_t_f32(vf t, vf tl, int use_tl)
{
    mf tail = vf_lt(t, vf_set1(-16.0f));
    vf y;
    if (AC_LIKELY(!mf_any(tail))) {
        y = silu_slope_fast_f32(t, tl, use_tl);
    } else {
        vf tlf = use_tl ? vf_select(tail, vf_zero(), tl) : tl;
        vf tlt = use_tl ? vf_select(tail, tl, vf_zero()) : tl;
        y = vf_select(tail, silu_slope_tail_f32(vf_min(t, vf_set1(-16.0f)), tlt, use_tl),
                      silu_slope_fast_f32(vf_max(t, vf_set1(-16.0f)), tlf, use_tl));
    }
    vf dh = vf_sub(t, vf_set1(SILU_T0_HI_F)); /* exact near the root */
    mf root = vf_lt(vf_abs(dh), vf_set1(1.0f / 16));
    if (AC_UNLIKELY(mf_any(root))) {
        /* fit silu_d_root_f32 */
        vf dhc = vf_clamp(dh, -1.0f / 16, 1.0f / 16);
        vf dlo = use_tl ? vf_sub(vf_select(root, tl, vf_zero()), vf_set1(SILU_T0_LO_F)) : vf_set1(-SILU_T0_LO_F);
        vf dd = vf_add(dhc, dlo);
        vf q = vf_muladd(vf_set1(-0x1.b09fdcp-8f), dd, vf_set1(-0x1.f2cbb2p-7f));
        q = vf_muladd(q, dd, vf_set1(0x1.353eacp-6f));
        q = vf_muladd(q, dd, vf_set1(0x1.2c5634p-3f));
        vf rest = vf_muladd(dhc, vf_set1(SILU_C0_LO_F), vf_mul(dlo, vf_set1(SILU_C0_F)));
        vf yroot = vf_fma_accurate(dhc, vf_set1(SILU_C0_F), vf_muladd(dd, vf_mul(dd, q), rest));
        y = vf_select(root, yroot, y);
    }
    return y;
}

#endif
