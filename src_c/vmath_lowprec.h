/*
 * Reduced-precision building blocks for float32 results.
 *
 * A float32 result rounded once from a value carrying ~2^-30 relative error
 * is off by at most 0.5 u + 2^-6 u (u = 2^-24), so kernels that compute a
 * float32 function in double (AC_F32_VIA_F64 style) do not need vmath.h's
 * full-double polynomials: the ones here are about half as long.  The
 * pure-float block at the end carries exp's result in double-float instead,
 * for kernels whose float32 evaluation is accurate enough without going
 * through double (see its error budget).
 *
 * Every polynomial comes from tools/fit_coefficients.py (fit named next to
 * it); domains are stated per function and callers clamp to them, so no
 * intermediate under- or overflows (NumPy reads the flags after the loop).
 */
#ifndef AC_VMATH_LOWPREC_H
#define AC_VMATH_LOWPREC_H

#include "vmath.h"

/* ===================================================================== */
/* Double, ~2^-33 relative: for float32 results computed in double.      */
/* ===================================================================== */

/*
 * exp(x) for x in [-700, 700] (callers clamp), relative error < 2^-33.
 * n = rint(x/ln2), r = x - n*ln2 with ln2 rounded to double: the rounding of
 * ln2 (and, without FMA, of n*ln2) perturbs r by < 700 * 2^-53 = 2^-43.5,
 * i.e. exp by a relative 2^-43.5.  exp(r) = 1 + r + r^2*P(r) on
 * |r| <= ln2/2, P of degree 5 (fit exp_for_f32: 5.2e-11 = 2^-34.2), Horner
 * in double (rounding ~2^-52).  2^n is in the normal range for |x| <= 700,
 * so the scaling is exact.
 */
AC_INLINE vd vd_exp_lp(vd x)
{
    vd n = vd_rint(vd_mul(x, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(n, vd_set1(0x1.62e42fefa39efp-1), x); /* ln2 */
    vd q = vd_set1(0x1.9f089980473c9p-13);
    q = vd_muladd(q, r, vd_set1(0x1.6d8d02516da85p-10));
    q = vd_muladd(q, r, vd_set1(0x1.111270aa71b55p-7));
    q = vd_muladd(q, r, vd_set1(0x1.55548dc963282p-5));
    q = vd_muladd(q, r, vd_set1(0x1.555554434614bp-3));
    q = vd_muladd(q, r, vd_set1(0x1.0000003a21625p-1));
    q = vd_muladd(q, r, vd_set1(1.0));
    vd p = vd_muladd(q, r, vd_set1(1.0));
#ifdef AC_HAVE_SCALEF
    return vd_scale2(p, n);
#else
    return vd_mul(p, vd_pow2i(n)); /* |n| <= 1010: 2^n normal, product exact */
#endif
}

/*
 * log1p(e) = e*Q(e) for e in [0, 1], relative error < 2^-32.9 (fit
 * log1p_unit_for_f32, degree 11: 1.2e-10) plus Horner rounding ~2^-51.
 * Q is evaluated by Horner from the top, so a tiny e only ever meets
 * c_k*e with |c_k| > 2^-11: no underflow for e >= 2^-1000.
 */
AC_INLINE vd vd_log1p_unit_lp(vd e)
{
    static const double c[12] = {
        0x1.fffffffefc945p-1, -0x1.fffffda6de56ap-2, 0x1.5554e12d5c968p-2, -0x1.ffee3ea7d364ep-3,
        0x1.98e3b10a9940ep-3, -0x1.50f4759b19fc9p-3, 0x1.12f9c9a6e899ep-3, -0x1.9eb1cd10b2df2p-4,
        0x1.062d20ad18186p-4, -0x1.ee58dc2282ca4p-6, 0x1.2990b68ed246ap-7, -0x1.4fb3b749bd57dp-10};
    vd q = vd_set1(c[11]);
    for (int k = 10; k >= 0; k--) q = vd_muladd(q, e, vd_set1(c[k]));
    return vd_mul(q, e);
}

/* ===================================================================== */
/* Float: softplus(t) = log1p(exp(t)), < 1.1 ulp.                        */
/* ===================================================================== */
/*
 * softplus(t) for any finite float t (log_sigmoid(x) = -softplus(-x)), in
 * float, in two regions picked per lane so that the last rounding is never
 * preceded by one of comparable size:
 *
 *  |t| <= 1 (result in [0.31, 1.32]): softplus(t) - t/2 is even, so
 *     softplus(t) = ln2_f + t/2 + G(t^2), G(s) = c0 + s/8 - s^2/192 + ... of
 *     degree 5 on s in [0, 1] (fit softplus_even_f32: 0.07 u relative to
 *     the result; c0 absorbs ln2 - ln2_f).  ln2_f is a multiple of 2^-21, so
 *     for t in [-1, -1/2] ln2_f + t/2 (a multiple of 2^-25 below 1/2) is
 *     exact and the sum is rounded once; otherwise ln2_f + (t/2 + G), where
 *     the inner FMA's rounding is at most a quarter of the result's ulp.
 *     Error < 0.9 ulp.
 *
 *  |t| > 1: with a = |t| and e = exp(-a) < 0.368,
 *     softplus(t) = max(t, 0) + L,  L = log1p(e) = S * 2^n,
 *  e = (p + pl) 2^n in double-float (the scheme and fit of vmath.h's
 *  vf_exp_parts, exp_f32: 0.064 u, ~0.36 u with the Horner roundings before
 *  the last step), log1p(e) = e (1 + W(e)), W(e) = e (-1/2 + e P(e)), P of
 *  degree 5 on [0, 0.3679] (fit log1p_unit_w_f32: 0.014 u; -1/2 exact),
 *  evaluated at e_w = p 2^max(n, -40) (below 2^-40, W = -e/2 changes L by
 *  < 2^-41; the clamp keeps c_k e_w from underflowing), and
 *  S = p + (p W + pl (1 + W)): the leading p is exact and |W| <= 0.16, so
 *  W's roundings are damped.  S is within ~0.8 u (u = 2^-24, relative); the
 *  scaling by 2^n is exact unless the result is subnormal (the only possible
 *  underflow, exactly when the result underflows).
 *    t < -1: the result is L, rounded once: < 1 ulp;
 *    t > 1: t + L with L <= 0.32 below a quarter of the result's ulp: < 0.8.
 *  a is capped at 40 for t > 0 (L < 2^-57 t: the result is t) and at 104 for
 *  t < 0 (e^-104 < 2^-150 rounds to 0).
 * Lanes of the other region are fed harmless arguments (s capped to [2^-60,
 * 1], a raised to 1), so nothing over- or underflows in the unused half.
 */
AC_INLINE vf vf_softplus(vf t)
{
    vf at = vf_abs(t);
#ifndef AC_HAVE_FMA
    /* t*0.5 below is a separate, rounded product here: keep it normal
     * (|t| < 2^-30 changes ln2 + t/2 by far less than half an ulp) */
    t = vf_select(vf_lt(at, vf_set1(0x1p-30f)), vf_zero(), t);
#endif
    /* |t| <= 1: ln2_f + t/2 + G(t^2), fit softplus_even_f32 */
    vf tc = vf_max(vf_min(at, vf_set1(1.0f)), vf_set1(0x1p-30f));
    vf s = vf_mul(tc, tc);
    vf g = vf_set1(0x1.be1f2cp-20f);
    g = vf_muladd(g, s, vf_set1(-0x1.b15ac2p-16f));
    g = vf_muladd(g, s, vf_set1(0x1.6bcce2p-12f));
    g = vf_muladd(g, s, vf_set1(-0x1.555434p-8f));
    g = vf_muladd(g, s, vf_set1(0x1.fffffep-4f));
    g = vf_muladd(g, s, vf_set1(-0x1.ee3fccp-30f));
    const vf ln2f = vf_set1(0x1.62e43p-1f), half = vf_set1(0.5f);
    vf ypoly = vf_select(vf_lt(t, vf_set1(-0.5f)), vf_add(vf_muladd(t, half, ln2f), g),
                         vf_add(ln2f, vf_muladd(t, half, g)));

    /* |t| > 1: max(t, 0) + log1p(exp(-a)) */
    vf a = vf_min(at, vf_select(vf_gt(t, vf_zero()), vf_set1(40.0f), vf_set1(104.0f)));
    vf x = vf_neg(vf_max(a, vf_set1(1.0f)));
    vf k = vf_rint(vf_mul(x, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(k, vf_set1(AC_LN2_HI_F), x);
    r = vf_nmuladd(k, vf_set1(AC_LN2_LO_F), r);
    /* exp(r) = 1 + r*(1 + r*(c2 + ...)), fit exp_f32 */
    vf q = vf_set1(0x1.6a243ap-10f);
    q = vf_muladd(q, r, vf_set1(0x1.1239ep-7f));
    q = vf_muladd(q, r, vf_set1(0x1.5558f2p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.555492p-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffcp-2f));
    q = vf_muladd(q, r, vf_set1(1.0f));
    vf p = vf_muladd(q, r, vf_set1(1.0f));
    vf npl = vf_residual(q, r, vf_sub(p, vf_set1(1.0f))); /* -pl; p - 1 exact (Sterbenz) */
    /* W(e_w), fit log1p_unit_w_f32 */
    vf kw = vf_max(k, vf_set1(-40.0f));
#ifdef AC_HAVE_SCALEF
    vf ew = vf_scale2(p, kw);
#else
    vf ew = vf_mul(p, vf_pow2i(kw));
#endif
    vf w = vf_set1(-0x1.56aa12p-5f);
    w = vf_muladd(w, ew, vf_set1(0x1.b4fe76p-4f));
    w = vf_muladd(w, ew, vf_set1(-0x1.42eed6p-3f));
    w = vf_muladd(w, ew, vf_set1(0x1.97107p-3f));
    w = vf_muladd(w, ew, vf_set1(-0x1.ffd2f2p-3f));
    w = vf_muladd(w, ew, vf_set1(0x1.5554bep-2f));
    w = vf_muladd(w, ew, vf_set1(-0.5f));
    w = vf_mul(w, ew);
    /* S = p + (p W + pl (1 + W)) = p + (p W - (npl + npl W)); L = S 2^k */
    vf S = vf_add(p, vf_mulsub(p, w, vf_muladd(npl, w, npl)));
    vf yexp = vf_add(vf_max(t, vf_zero()), vf_scale2(S, k));
    return vf_select(vf_le(at, vf_set1(1.0f)), ypoly, yexp);
}

/* ===================================================================== */
/* Float: sigmoid(t), < 2 ulp, for derivatives.                          */
/* ===================================================================== */
/*
 * sigmoid(t) = (t > 0 ? 1 : e)/(1 + e), e = exp(-|t|), in plain float: the
 * derivative kernels' budget (4 ulp) does not need vmath.h's double-float
 * vf_sigmoid, and this costs about half as much.
 * e: n = rint(-a/ln2), r = -a - n ln2 (Cody-Waite with vmath.h's
 * AC_LN2_HI_F / AC_LN2_LO_F, exact first step), exp(r) = 1 + r + r^2 P(r)
 * (fit exp_f32, 0.064 u), scaled by 2^n: < 1 u.  The quotient adds 0.5 u
 * for 1 + e (damped by e/(1 + e) <= 1/2) and 0.5 u for the division:
 *     t > 0:  < (1 u + 0.5 u)/2 + 0.5 u = 1.25 u
 *     t <= 0: < 1 u + 0.25 u + 0.5 u = 1.75 u.
 * a = |t| is capped at 20 for t > 0 (e^-20 < 2^-28: the result rounds to
 * 1, and e never underflows where the result is 1) and at 104 for t <= 0
 * (e^-104 < 2^-150: the result rounds to 0; e is subnormal, with its
 * underflow flag, only where the result is), and raised to 2^-40.
 */
AC_INLINE vf vf_sigmoid_lp(vf t)
{
    mf pos = vf_gt(t, vf_zero());
    /* -a, also capped at -2^-40 (sigmoid = 1/2 -+ 2^-42 rounds to 1/2 either
     * way): a subnormal t must not reach x/ln2 below */
    vf x = vf_max(vf_neg(vf_abs(vf_min(t, vf_set1(20.0f)))), vf_set1(-104.0f));
    x = vf_min(x, vf_set1(-0x1p-40f));
    vf n = vf_rint(vf_mul(x, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(n, vf_set1(AC_LN2_HI_F), x);
    r = vf_nmuladd(n, vf_set1(AC_LN2_LO_F), r);
#ifndef AC_HAVE_FMA
    r = vf_select(vf_lt(vf_abs(r), vf_set1(0x1p-60f)), vf_zero(), r); /* r*r must not underflow */
#endif
    vf q = vf_set1(0x1.6a243ap-10f); /* fit exp_f32 */
    q = vf_muladd(q, r, vf_set1(0x1.1239ep-7f));
    q = vf_muladd(q, r, vf_set1(0x1.5558f2p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.555492p-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffcp-2f));
    q = vf_muladd(q, r, vf_set1(1.0f));
    vf e = vf_scale2(vf_muladd(q, r, vf_set1(1.0f)), n);
    return vf_div(vf_select(pos, vf_set1(1.0f), e), vf_add(vf_set1(1.0f), e));
}

#endif
