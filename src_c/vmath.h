/*
 * Vector math building blocks shared by the kernels, written once against
 * simd.h and compiled per ISA.  Every polynomial comes from
 * tools/fit_coefficients.py (the fit name is given next to it); error bounds
 * are in units u = 2^-24 (float) / 2^-53 (double) of the result, relative.
 *
 * Domains are stated per function: callers clamp their arguments so that no
 * intermediate overflows or underflows unless the final result does (NumPy
 * reads the FP status flags after the loop; a spurious flag is a bug).
 * Nothing here sees NaN: the loop templates strip NaN and +-inf first.
 */
#ifndef AC_VMATH_H
#define AC_VMATH_H

#include "simd/simd.h"

/* ===================================================================== */
/* Exact products (double-float / double-double arithmetic).             */
/* ===================================================================== */

/* a*b = hi + lo exactly (no overflow: |a*b| < FLT_MAX / 2^13 without FMA). */
AC_INLINE vf vf_two_prod(vf a, vf b, vf *lo)
{
    vf hi = vf_mul(a, b);
#ifdef AC_HAVE_FMA
    *lo = vf_mulsub(a, b, hi);
#else
    /* Dekker: Veltkamp-split both factors into 12-bit halves. */
    const vf split = vf_set1(4097.0f);
    vf ta = vf_mul(a, split), tb = vf_mul(b, split);
    vf ah = vf_sub(ta, vf_sub(ta, a)), bh = vf_sub(tb, vf_sub(tb, b));
    vf al = vf_sub(a, ah), bl = vf_sub(b, bh);
    *lo = vf_add(vf_add(vf_add(vf_sub(vf_mul(ah, bh), hi), vf_mul(ah, bl)), vf_mul(al, bh)),
                 vf_mul(al, bl));
#endif
    return hi;
}
AC_INLINE vd vd_two_prod(vd a, vd b, vd *lo)
{
    vd hi = vd_mul(a, b);
#ifdef AC_HAVE_FMA
    *lo = vd_mulsub(a, b, hi);
#else
    const vd split = vd_set1(134217729.0); /* 2^27 + 1 */
    vd ta = vd_mul(a, split), tb = vd_mul(b, split);
    vd ah = vd_sub(ta, vd_sub(ta, a)), bh = vd_sub(tb, vd_sub(tb, b));
    vd al = vd_sub(a, ah), bl = vd_sub(b, bh);
    *lo = vd_add(vd_add(vd_add(vd_sub(vd_mul(ah, bh), hi), vd_mul(ah, bl)), vd_mul(al, bh)),
                 vd_mul(al, bl));
#endif
    return hi;
}

/* c - a*b, with a*b taken exactly: one rounding with FMA; without it,
 * Dekker's product then (c - hi) - lo, exact-then-rounded-once whenever
 * c ~ a*b (the residual of a division or of a rounded sum, its only use). */
AC_INLINE vf vf_residual(vf a, vf b, vf c)
{
#ifdef AC_HAVE_FMA
    return vf_nmuladd(a, b, c);
#else
    vf lo, hi = vf_two_prod(a, b, &lo);
    return vf_sub(vf_sub(c, hi), lo);
#endif
}
AC_INLINE vd vd_residual(vd a, vd b, vd c)
{
#ifdef AC_HAVE_FMA
    return vd_nmuladd(a, b, c);
#else
    vd lo, hi = vd_two_prod(a, b, &lo);
    return vd_sub(vd_sub(c, hi), lo);
#endif
}
/* a*b + c with a*b exact (c a small correction): FMA, or hi + (lo + c). */
AC_INLINE vf vf_fma_accurate(vf a, vf b, vf c)
{
#ifdef AC_HAVE_FMA
    return vf_muladd(a, b, c);
#else
    vf lo, hi = vf_two_prod(a, b, &lo);
    return vf_add(hi, vf_add(lo, c));
#endif
}
AC_INLINE vd vd_fma_accurate(vd a, vd b, vd c)
{
#ifdef AC_HAVE_FMA
    return vd_muladd(a, b, c);
#else
    vd lo, hi = vd_two_prod(a, b, &lo);
    return vd_add(hi, vd_add(lo, c));
#endif
}

/* ===================================================================== */
/* exp                                                                   */
/* ===================================================================== */
/*
 * exp(x + lo), |lo| <= ulp(x) a correction term (pass zero for plain exp).
 * Cody-Waite: n = rint(x/ln2), r = x - n*ln2_hi - n*ln2_lo + lo, where ln2_hi
 * has 15 significant bits so n*ln2_hi is exact for |n| < 2^9 even without FMA
 * and x - n*ln2_hi is exact by Sterbenz.  exp(r) on |r| <= ln2/2 by a degree-6
 * minimax polynomial (fit exp_f32: 0.064 u), then scaled by 2^n with one
 * rounding.  Total error < 1 u.
 * Domain: any x; x is clamped to [-104, 89], so results below 2^-150 are 0
 * and above FLT_MAX are inf, each with the genuine underflow/overflow flag.
 */
#define AC_LN2_HI_F 0x1.62e4p-1f
#define AC_LN2_LO_F 0x1.7f7d1cp-20f
#define AC_LOG2E_F 0x1.715476p+0f

/* exp(x + lo) = (p + *pl) * 2^(*n): the unscaled result p in [0.7, 1.42]
 * with its rounding error *pl (the last Horner step's error, recovered by one
 * more FMA), for callers that carry exp's result in double-float.
 * Domain (callers clamp): x in [-350, 89]. */
AC_INLINE vf vf_exp_parts(vf x, vf lo, vf *pl, vf *n)
{
    *n = vf_rint(vf_mul(x, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(*n, vf_set1(AC_LN2_HI_F), x);
    r = vf_nmuladd(*n, vf_set1(AC_LN2_LO_F), r);
    r = vf_add(r, lo);
#ifndef AC_HAVE_FMA
    r = vf_select(vf_lt(vf_abs(r), vf_set1(0x1p-60f)), vf_zero(), r); /* r*r must not underflow */
#endif
    vf q = vf_set1(0x1.6a243ap-10f);
    q = vf_muladd(q, r, vf_set1(0x1.1239ep-7f));
    q = vf_muladd(q, r, vf_set1(0x1.5558f2p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.555492p-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffcp-2f));
    q = vf_muladd(q, r, vf_set1(1.0f));
    vf p = vf_muladd(q, r, vf_set1(1.0f));
    *pl = vf_neg(vf_residual(q, r, vf_sub(p, vf_set1(1.0f)))); /* p - 1 is exact (Sterbenz) */
    return p;
}
AC_INLINE vf vf_exp_lo(vf x, vf lo)
{
    vf n, pl, p = vf_exp_parts(vf_clamp(x, -104.0f, 89.0f), lo, &pl, &n);
    return vf_scale2(p, n);
}
AC_INLINE vf vf_exp(vf x) { return vf_exp_lo(x, vf_zero()); }

/* Double: same scheme, degree-11 polynomial (fit exp_f64: 0.1 u), ln2_hi with
 * 32 significant bits so n*ln2_hi is exact for |n| < 2^21.  Error < 1 u.
 * Domain: any x; clamped to [-746, 710]. */
#define AC_LN2_HI_D 0x1.62e42feep-1
#define AC_LN2_LO_D 0x1.a39ef35793c76p-33
#define AC_LOG2E_D 0x1.71547652b82fep+0

/* Domain (callers clamp): x in [-1500, 710]. */
AC_INLINE vd vd_exp_parts(vd x, vd lo, vd *pl, vd *n)
{
    *n = vd_rint(vd_mul(x, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(*n, vd_set1(AC_LN2_HI_D), x);
    r = vd_nmuladd(*n, vd_set1(AC_LN2_LO_D), r);
    r = vd_add(r, lo);
#ifndef AC_HAVE_FMA
    r = vd_select(vd_lt(vd_abs(r), vd_set1(0x1p-400)), vd_zero(), r);
#endif
    vd q = vd_set1(0x1.ad7f6ed359816p-26);
    q = vd_muladd(q, r, vd_set1(0x1.28ad706691583p-22));
    q = vd_muladd(q, r, vd_set1(0x1.71df254e530c2p-19));
    q = vd_muladd(q, r, vd_set1(0x1.a0199a0edfd94p-16));
    q = vd_muladd(q, r, vd_set1(0x1.a01a012a5b39fp-13));
    q = vd_muladd(q, r, vd_set1(0x1.6c16c1842935fp-10));
    q = vd_muladd(q, r, vd_set1(0x1.1111111127bd6p-7));
    q = vd_muladd(q, r, vd_set1(0x1.5555555550880p-5));
    q = vd_muladd(q, r, vd_set1(0x1.55555555554fap-3));
    q = vd_muladd(q, r, vd_set1(0x1.000000000000ap-1));
    q = vd_muladd(q, r, vd_set1(1.0));
    vd p = vd_muladd(q, r, vd_set1(1.0));
    *pl = vd_neg(vd_residual(q, r, vd_sub(p, vd_set1(1.0))));
    return p;
}
AC_INLINE vd vd_exp_lo(vd x, vd lo)
{
    vd n, pl, p = vd_exp_parts(vd_clamp(x, -746.0, 710.0), lo, &pl, &n);
    return vd_scale2(p, n);
}
AC_INLINE vd vd_exp(vd x) { return vd_exp_lo(x, vd_zero()); }

/* ===================================================================== */
/* expm1                                                                 */
/* ===================================================================== */
/*
 * expm1(x) = 2^n * (1 + q) - 1 with q = expm1(r) = r + r^2*Q(r) (fit
 * expm1_f32: 0.28 u), evaluated as fma(2^n, q, 2^n - 1): 2^n - 1 is exact for
 * |n| <= 24, and n = 0 returns q itself, so small x keep full relative
 * accuracy (no 1 + x - 1 cancellation).  Error ~1 u (two roundings more
 * without FMA).  Domain: x <= 88 (clamped below at -30, where expm1 = -1).
 */
AC_INLINE vf vf_expm1(vf x)
{
    x = vf_clamp(x, -30.0f, 88.0f);
    vf n = vf_rint(vf_mul(x, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(n, vf_set1(AC_LN2_HI_F), x);
    r = vf_nmuladd(n, vf_set1(AC_LN2_LO_F), r);
    vf q = vf_set1(0x1.6bec06p-10f);
    q = vf_muladd(q, r, vf_set1(0x1.122772p-7f));
    q = vf_muladd(q, r, vf_set1(0x1.555674p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.5554bp-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffep-2f));
    q = vf_muladd(vf_mul(q, r), r, r);
    vf s = vf_pow2i(n);
    return vf_muladd(s, q, vf_sub(s, vf_set1(1.0f)));
}

/* Double: same scheme, Q of degree 9 (fit expm1_f64: 0.31 u); 2^n - 1 exact
 * for |n| <= 53.  Domain: x <= 709 (clamped below at -40, where expm1 = -1). */
AC_INLINE vd vd_expm1(vd x)
{
    x = vd_clamp(x, -40.0, 709.0);
    vd n = vd_rint(vd_mul(x, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(n, vd_set1(AC_LN2_HI_D), x);
    r = vd_nmuladd(n, vd_set1(AC_LN2_LO_D), r);
    vd q = vd_set1(0x1.ae6baaf53a04dp-26);
    q = vd_muladd(q, r, vd_set1(0x1.28a1dda7b506ep-22));
    q = vd_muladd(q, r, vd_set1(0x1.71de8802fb42ap-19));
    q = vd_muladd(q, r, vd_set1(0x1.a019a7717f57fp-16));
    q = vd_muladd(q, r, vd_set1(0x1.a01a01751736dp-13));
    q = vd_muladd(q, r, vd_set1(0x1.6c16c17edaf81p-10));
    q = vd_muladd(q, r, vd_set1(0x1.1111111118fa2p-7));
    q = vd_muladd(q, r, vd_set1(0x1.55555555522bap-5));
    q = vd_muladd(q, r, vd_set1(0x1.5555555555539p-3));
    q = vd_muladd(q, r, vd_set1(0x1.0000000000005p-1));
    q = vd_muladd(vd_mul(q, r), r, r);
    vd s = vd_pow2i(n);
    return vd_muladd(s, q, vd_sub(s, vd_set1(1.0)));
}

/* ===================================================================== */
/* log1p on [0, 1]                                                       */
/* ===================================================================== */
/*
 * log1p(e) = e * Q(e) for e in [0, 1], the argument range of every
 * log1p(exp(-|t|)) in the kernels (softplus, log_sigmoid).  Q is analytic on a
 * disc of radius 1 around 0, so a single degree-10 minimax polynomial suffices
 * (fit log1p_unit_f32: 0.29 u); relative accuracy holds down to subnormal e.
 * Error ~1 u.
 */
AC_INLINE vf vf_log1p_unit(vf e)
{
    vf q = vf_set1(0x1.0a1b9ep-9f);
    q = vf_muladd(q, e, vf_set1(-0x1.b7568cp-7f));
    q = vf_muladd(q, e, vf_set1(0x1.53ca2ap-5f));
    q = vf_muladd(q, e, vf_set1(-0x1.51ae74p-4f));
    q = vf_muladd(q, e, vf_set1(0x1.fca8cp-4f));
    q = vf_muladd(q, e, vf_set1(-0x1.49d836p-3f));
    q = vf_muladd(q, e, vf_set1(0x1.975ccep-3f));
    q = vf_muladd(q, e, vf_set1(-0x1.ffbd44p-3f));
    q = vf_muladd(q, e, vf_set1(0x1.55534ep-2f));
    q = vf_muladd(q, e, vf_set1(-0x1.fffff4p-2f));
    q = vf_muladd(q, e, vf_set1(1.0f));
    return vf_mul(q, e);
}

/* Double: degree 21 (fit log1p_unit_f64: 0.79 u after rounding the
 * coefficients).  Error < 2 u. */
AC_INLINE vd vd_log1p_unit(vd e)
{
    static const double c[22] = {
        0x1.0000000000000p+0, -0x1.fffffffffffe6p-2, 0x1.555555555445dp-2, -0x1.ffffffff7547ap-3,
        0x1.99999986c197ap-3, -0x1.555553c229f5bp-3, 0x1.249232835fad4p-3, -0x1.fffe31309add1p-4,
        0x1.c70ebe179d65bp-4, -0x1.994a4df0cbb5fp-4, 0x1.72f6b74f6ddd8p-4, -0x1.504e192bed9b5p-4,
        0x1.2c84900192e41p-4, -0x1.022baa0f514d3p-4, 0x1.9be6d2990e25ap-5, -0x1.24eebce662317p-5,
        0x1.63ab3b9b93d07p-6, -0x1.600ffda8ab127p-7, 0x1.0d5916605e7f0p-8, -0x1.2835f89a90eeep-10,
        0x1.9e3496a6da71dp-13, -0x1.1374f457e9e89p-16};
    vd q = vd_set1(c[21]);
    for (int k = 20; k >= 0; k--) q = vd_muladd(q, e, vd_set1(c[k]));
    return vd_mul(q, e);
}

/* ===================================================================== */
/* tanh                                                                  */
/* ===================================================================== */
/*
 * |x| < 0.625: tanh(x) = x + x*s*Q(s), s = x^2 (fit tanh_small_f32: 0.14 u).
 * Otherwise, with e = exp(-2|x|) <= 0.29: tanh|x| = 1 - 2e/(1+e); the
 * subtracted term is < 0.45 so its ~1.5 u relative error costs < 0.7 u of the
 * result, and no 1 + tanh cancellation can occur.  |x| is clamped at 9.1
 * where tanh rounds to 1 (so e never underflows).  Odd: sign of x (and of
 * -0.0) restored last.  Error < 1.5 u.
 */
AC_INLINE vf vf_tanh(vf x)
{
    vf a = vf_abs(x);
    vf as = vf_min(a, vf_set1(0.625f)); /* keeps s finite for huge |x| */
    vf s = vf_mul(as, as);
    vf q = vf_set1(-0x1.75e1cep-8f);
    q = vf_muladd(q, s, vf_set1(0x1.52269cp-6f));
    q = vf_muladd(q, s, vf_set1(-0x1.b83c5ap-5f));
    q = vf_muladd(q, s, vf_set1(0x1.110726p-3f));
    q = vf_muladd(q, s, vf_set1(-0x1.555532p-2f));
    vf small = vf_muladd(vf_mul(as, s), q, as);
    vf e = vf_exp(vf_mul(vf_set1(-2.0f), vf_min(a, vf_set1(9.1f))));
    vf large = vf_sub(vf_set1(1.0f), vf_div(vf_add(e, e), vf_add(vf_set1(1.0f), e)));
    return vf_copysign(vf_select(vf_lt(a, vf_set1(0.625f)), small, large), x);
}

/* Double: Q of degree 10 (fit tanh_small_f64: 0.12 u); |x| clamped at 19.1
 * where tanh rounds to 1.  Error < 1.5 u. */
AC_INLINE vd vd_tanh(vd x)
{
    static const double c[11] = {
        -0x1.55555555554ffp-2, 0x1.111111110accdp-3, -0x1.ba1ba1b5064afp-5, 0x1.664f477adac7ap-6,
        -0x1.226e162bf7b4ap-7, 0x1.d6cf280ecd989p-9, -0x1.7d68a32fdd5bfp-10, 0x1.336612e403edep-11,
        -0x1.df5579a8ae4bep-13, 0x1.43912142f88a4p-14, -0x1.0da727a620dddp-16};
    vd a = vd_abs(x);
    vd as = vd_min(a, vd_set1(0.625));
    vd s = vd_mul(as, as);
    vd q = vd_set1(c[10]);
    for (int k = 9; k >= 0; k--) q = vd_muladd(q, s, vd_set1(c[k]));
    vd small = vd_muladd(vd_mul(as, s), q, as);
    vd e = vd_exp(vd_mul(vd_set1(-2.0), vd_min(a, vd_set1(19.1))));
    vd large = vd_sub(vd_set1(1.0), vd_div(vd_add(e, e), vd_add(vd_set1(1.0), e)));
    return vd_copysign(vd_select(vd_lt(a, vd_set1(0.625)), small, large), x);
}

/* ===================================================================== */
/* sigmoid in double-float                                               */
/* ===================================================================== */
/*
 * sigmoid(t + tl) = (Y + *Yl) * 2^(*k), tl a correction with |tl| <= ulp(t).
 * With e = exp(-|t + tl|) = (p + pl) 2^n and d + dl = 1 + e exactly
 * (Fast2Sum: e <= 1):
 *     t > 0:   sigmoid = 1 / (d + dl)                     k = 0
 *     t <= 0:  sigmoid = (p + pl) / (d + dl) * 2^n        k = n
 * One division gives inv = 1/d; Y = num*inv is then corrected by the exact
 * residual num - Y*d (an FMA), so Y + Yl carries ~2^-40 relative error and
 * the caller's single final rounding dominates (< 0.6 u in total).  The
 * quotient is formed unscaled (num in [0.7, 1.42]): the only underflow is
 * the caller's final scaling by 2^k, exactly when the result underflows.
 * t is capped at 20, where sigmoid rounds to 1 (no underflow of e), and
 * at -200, below which even FLT_MAX * sigmoid(t) underflows (k >= -289).
 */
AC_INLINE vf vf_sigmoid_parts(vf t, vf tl, vf *Yl, vf *k)
{
    mf pos = vf_gt(t, vf_zero());
    vf a = vf_max(vf_neg(vf_abs(vf_min(t, vf_set1(20.0f)))), vf_set1(-200.0f));
    vf al = vf_select(vf_gt(t, vf_set1(20.0f)), vf_zero(), vf_select(pos, vf_neg(tl), tl));
    vf n, pl, p = vf_exp_parts(a, al, &pl, &n);
    vf e = vf_scale2(p, vf_max(n, vf_set1(-160.0f)));
    vf d = vf_add(vf_set1(1.0f), e);
    /* the pl term only matters for e near 1; its scale is capped so it never underflows */
    vf dl = vf_add(vf_add(vf_sub(vf_set1(1.0f), d), e), vf_scale2(pl, vf_max(n, vf_set1(-90.0f))));
    vf inv = vf_div(vf_set1(1.0f), d);
    vf nh = vf_select(pos, vf_set1(1.0f), p);
    vf nl = vf_select(pos, vf_zero(), pl);
    vf Y = vf_mul(nh, inv);
    vf r = vf_add(vf_residual(Y, d, nh), vf_nmuladd(Y, dl, nl));
    *Yl = vf_mul(r, inv);
    *k = vf_select(pos, vf_zero(), n);
    return Y;
}
AC_INLINE vf vf_sigmoid(vf t)
{
    vf Yl, k, Y = vf_sigmoid_parts(t, vf_zero(), &Yl, &k);
    return vf_scale2(vf_add(Y, Yl), vf_max(k, vf_set1(-160.0f))); /* 2^-160: rounds to 0 */
}
/*
 * x * sigmoid(t + tl) with one final rounding: fma(x, Y, x*Yl) * 2^k.  In the
 * deep tail (k < -60) or for |x| > 2^100 the product is formed on x * 2^-64
 * and rescaled, so it neither overflows nor passes through subnormals before
 * the final scaling.
 */
AC_INLINE vf vf_mul_sigmoid(vf x, vf t, vf tl)
{
    vf Yl, k, Y = vf_sigmoid_parts(t, tl, &Yl, &k);
    mf pre = mf_or(vf_lt(k, vf_set1(-60.0f)), vf_gt(vf_abs(x), vf_set1(0x1p100f)));
    vf kk = vf_select(pre, vf_set1(64.0f), vf_zero());
    vf xs = vf_scale2(x, vf_neg(kk));
    return vf_scale2(vf_fma_accurate(xs, Y, vf_mul(xs, Yl)), vf_add(k, kk));
}

/* Double: t capped at 40 and -1500; deep tail below k = -900, prescale 2^-512. */
AC_INLINE vd vd_sigmoid_parts(vd t, vd tl, vd *Yl, vd *k)
{
    md pos = vd_gt(t, vd_zero());
    vd a = vd_max(vd_neg(vd_abs(vd_min(t, vd_set1(40.0)))), vd_set1(-1500.0));
    vd al = vd_select(vd_gt(t, vd_set1(40.0)), vd_zero(), vd_select(pos, vd_neg(tl), tl));
    vd n, pl, p = vd_exp_parts(a, al, &pl, &n);
    vd e = vd_scale2(p, vd_max(n, vd_set1(-1100.0)));
    vd d = vd_add(vd_set1(1.0), e);
    vd dl = vd_add(vd_add(vd_sub(vd_set1(1.0), d), e), vd_scale2(pl, vd_max(n, vd_set1(-900.0))));
    vd inv = vd_div(vd_set1(1.0), d);
    vd nh = vd_select(pos, vd_set1(1.0), p);
    vd nl = vd_select(pos, vd_zero(), pl);
    vd Y = vd_mul(nh, inv);
    vd r = vd_add(vd_residual(Y, d, nh), vd_nmuladd(Y, dl, nl));
    *Yl = vd_mul(r, inv);
    *k = vd_select(pos, vd_zero(), n);
    return Y;
}
AC_INLINE vd vd_sigmoid(vd t)
{
    vd Yl, k, Y = vd_sigmoid_parts(t, vd_zero(), &Yl, &k);
    return vd_scale2(vd_add(Y, Yl), vd_max(k, vd_set1(-1100.0)));
}
AC_INLINE vd vd_mul_sigmoid(vd x, vd t, vd tl)
{
    vd Yl, k, Y = vd_sigmoid_parts(t, tl, &Yl, &k);
    md pre = md_or(vd_lt(k, vd_set1(-900.0)), vd_gt(vd_abs(x), vd_set1(0x1p900)));
    vd kk = vd_select(pre, vd_set1(512.0), vd_zero());
    vd xs = vd_scale2(x, vd_neg(kk));
    return vd_scale2(vd_fma_accurate(xs, Y, vd_mul(xs, Yl)), vd_add(k, kk));
}

#endif
