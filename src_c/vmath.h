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

#if defined(__GNUC__)
#define AC_LIKELY(c) __builtin_expect(!!(c), 1)
#else
#define AC_LIKELY(c) (c)
#endif

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

/* 1/d with relative error < 2^-40 (enough for a result rounded to float),
 * d >= 1 and finite.  AVX-512: rcp14 refined by two Newton steps
 * y += y*(1 - d*y) (14 -> 28 -> 56 bits), no division; elsewhere a division
 * (the float-based estimate of SSE2/AVX2 flushes 1/d to 0 beyond 2^126). */
AC_INLINE vd vd_recip40(vd d)
{
#if VD_RCP_BITS >= 14 && VD_RCP_BITS < 40
    vd y = vd_rcp(d);
    y = vd_muladd(y, vd_nmuladd(y, d, vd_set1(1.0)), y);
    return vd_muladd(y, vd_nmuladd(y, d, vd_set1(1.0)), y);
#else
    return vd_div(vd_set1(1.0), d);
#endif
}

/* Zero the lanes of v where |a| < tiny (callers use it to keep arguments
 * whose result no longer depends on them out of products that would
 * underflow).  Three cheap ops. */
AC_INLINE vf vf_flush_tiny(vf v, vf a, float tiny) { return vf_select(vf_lt(vf_abs(a), vf_set1(tiny)), vf_zero(), v); }
AC_INLINE vd vd_flush_tiny(vd v, vd a, double tiny) { return vd_select(vd_lt(vd_abs(a), vd_set1(tiny)), vd_zero(), v); }

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
 * |x| < 2^-40 (and its lo) is taken as 0: exp rounds to 1 there, and x*log2e
 * or the polynomial's r*r would underflow.
 * Domain: any x; x is clamped to [-104, 89], so results below 2^-150 are 0
 * and above FLT_MAX are inf, each with the genuine underflow/overflow flag.
 * (The float32 kernels use the table-driven vf_expt_parts below where the ISA
 * has FMA and a lane permute; this one serves SSE2 and portable C.)
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
    mf tiny = vf_lt(vf_abs(x), vf_set1(0x1p-40f));
    x = vf_select(tiny, vf_zero(), x);
    lo = vf_select(tiny, vf_zero(), lo);
    *n = vf_rint(vf_mul(x, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(*n, vf_set1(AC_LN2_HI_F), x);
    r = vf_nmuladd(*n, vf_set1(AC_LN2_LO_F), r);
    r = vf_add(r, lo); /* |r| >= 2^-40 or 0 (x and lo flushed above): r*r cannot underflow */
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
 * |x| < 2^-60 is taken as 0 (exp rounds to 1).
 * Domain: any x; clamped to [-746, 710]. */
#define AC_LN2_HI_D 0x1.62e42feep-1
#define AC_LN2_LO_D 0x1.a39ef35793c76p-33
#define AC_LOG2E_D 0x1.71547652b82fep+0

/* Domain (callers clamp): x in [-1500, 710]. */
AC_INLINE vd vd_exp_parts(vd x, vd lo, vd *pl, vd *n)
{
    md tiny = vd_lt(vd_abs(x), vd_set1(0x1p-60));
    x = vd_select(tiny, vd_zero(), x);
    lo = vd_select(tiny, vd_zero(), lo);
    *n = vd_rint(vd_mul(x, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(*n, vd_set1(AC_LN2_HI_D), x);
    r = vd_nmuladd(*n, vd_set1(AC_LN2_LO_D), r);
    r = vd_add(r, lo); /* |r| >= 2^-60 or 0 (x and lo flushed above) */
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
/* Table-driven float32 exp (FMA ISAs with a lane permute)               */
/* ===================================================================== */
/*
 * e^a = 2^(s) * e^r with s = a*log2(e) rounded to a multiple of 1/N
 * (N = 2^VF_LUT_BITS: 16 on AVX-512 and in portable C, 8 on AVX2) and
 * |r| <= ln2/(2N):
 *     e^a = 2^floor(s) * 2^(j/N) * e^r,   j = N*(s - floor(s)).
 * One FMA against a magic constant (1.5*2^23/N) rounds a*log2(e) and leaves
 * N*s in the low mantissa bits of z, so the table index needs no conversion:
 * vf_lut reads those bits.  2^(j/N) is a float pair hi + lo (tables exp2_16 /
 * exp2_8, hi + lo within 2^-48), e^r - 1 = r*(1 + r*Q(r)) (fits
 * exp_tab16_f32: 0.027 u, degree 3; exp_tab8_f32: 0.003 u, degree 4; this
 * form has no r^2 that could underflow for tiny r).  With u = hi*(e^r - 1)
 * + lo (|u| < 0.045 hi), the result comes back unscaled as the Fast2Sum pair
 * P + Pl = hi + u, P in [0.97, 2.05), so callers can form 1 +- e or
 * e/(1+e) in double-float.  (For j = 0 the pair is 1 + 2^-23 and -2^-23, so
 * u is never a tiny nonzero: Pl is 0 or at least 2^-47 in magnitude.)
 * Reduction: r = (a - s*L1) - s*L2, L1 = float(ln2), L2 = float(ln2 - L1);
 * with FMA the first step is exact (s has log2(N) fraction bits, so the
 * difference is a multiple of 2^-(24 + log2 N) below 2^(1 - log2 N): 23
 * bits), the second rounds once: |error of r| <= 2^-30 (N = 16), and
 * |ln2 - L1 - L2| * 420 < 2^-44.  Relative error of P + Pl: r's rounding
 * 0.016 u + polynomial (fit + evaluation) ~0.05 u + u's rounding
 * 2^-24 * 0.045 ~ 0.05 u: about 0.1 u.  13 operations on AVX-512.
 * Domain: a (or -a for neg) in [-290, 88]; tiny a are fine (no flag).
 */
#if defined(AC_HAVE_FMA) && VF_LUT_BITS >= 3
#define AC_EXPF_TABLE 1
#define AC_LN2_1_F 0x1.62e43p-1f
#define AC_LN2_2_F -0x1.05c61p-29f
#if VF_LUT_BITS == 4
/* exp2_16: 2^(j/16) = hi[j] + lo[j] (fit_coefficients.py exp2_16; j = 0 is
 * split 1 + 2^-23, -2^-23 so that the pair's low part never underflows) */
static const float ac_exp2_16_hi[16] = {
    0x1.000002p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
    0x1.306fep+0f, 0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
    0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
    0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
static const float ac_exp2_16_lo[16] = {
    -0x1p-23f, 0x1.9f3122p-25f, -0x1.c15742p-27f, 0x1.ceac48p-25f,
    0x1.4636e2p-25f, 0x1.824684p-25f, -0x1.593abcp-25f, -0x1.5bd5ecp-27f,
    0x1.9fcef4p-26f, -0x1.829fdp-25f, 0x1.15506ep-27f, 0x1.51f848p-27f,
    -0x1.a94b14p-26f, -0x1.3d56b2p-27f, -0x1.822dbcp-27f, 0x1.52486cp-27f};
#define AC_EXPT_HI ac_exp2_16_hi
#define AC_EXPT_LO ac_exp2_16_lo
#define AC_EXPT_MAGIC 0x1.8p19f
#else
/* exp2_8: 2^(j/8) = hi[j] + lo[j] (fit_coefficients.py exp2_8; j = 0 as above) */
static const float ac_exp2_8_hi[8] = {
    0x1.000002p+0f, 0x1.172b84p+0f, 0x1.306fep+0f, 0x1.4bfdaep+0f,
    0x1.6a09e6p+0f, 0x1.8ace54p+0f, 0x1.ae89fap+0f, 0x1.d5818ep+0f};
static const float ac_exp2_8_lo[8] = {
    -0x1p-23f, -0x1.c15742p-27f, 0x1.4636e2p-25f, -0x1.593abcp-25f,
    0x1.9fcef4p-26f, 0x1.15506ep-27f, -0x1.a94b14p-26f, -0x1.822dbcp-27f};
#define AC_EXPT_HI ac_exp2_8_hi
#define AC_EXPT_LO ac_exp2_8_lo
#define AC_EXPT_MAGIC 0x1.8p20f
#endif

/* e^(a + al) (neg = 0) or e^-(a + al) (neg = 1) = 2^floor(*s) * (P + *Pl),
 * P returned (see above); al is a correction below ulp(a), used only when
 * use_al is nonzero.  For neg the reduction computes v = a + al + s*ln2 = -r
 * and the polynomial is evaluated in v with the odd coefficients' signs
 * flipped: the same operation count. */
AC_INLINE vf vf_expt_parts(vf a, vf al, int use_al, int neg, vf *Pl, vf *s)
{
    const vf magic = vf_set1(AC_EXPT_MAGIC);
    vf z = vf_muladd(a, vf_set1(neg ? -AC_LOG2E_F : AC_LOG2E_F), magic);
    *s = vf_sub(z, magic);
    vf r, v, p;
    if (neg) {
        v = vf_muladd(*s, vf_set1(AC_LN2_1_F), a);
        v = vf_muladd(*s, vf_set1(AC_LN2_2_F), v);
        if (use_al) v = vf_add(v, al);
        r = v;
    } else {
        r = vf_nmuladd(*s, vf_set1(AC_LN2_1_F), a);
        r = vf_nmuladd(*s, vf_set1(AC_LN2_2_F), r);
        if (use_al) r = vf_add(r, al);
    }
    /* q = Q(r) (Q(-v) for neg), w = 1 + r*Q(r), p = e^r - 1 = r*w (for neg p = -(v*w)) */
#if VF_LUT_BITS == 4
    vf q = neg ? vf_nmuladd(vf_set1(0x1.55559ap-3f), r, vf_set1(0x1.00021ep-1f))
               : vf_muladd(vf_set1(0x1.55559ap-3f), r, vf_set1(0x1.00021ep-1f)); /* fit exp_tab16_f32 */
#else
    vf q = vf_muladd(vf_set1(0x1.55484p-5f), r, vf_set1(neg ? -0x1.555c78p-3f : 0x1.555c78p-3f));
    q = vf_muladd(q, r, vf_set1(0x1p-1f)); /* fit exp_tab8_f32 */
#endif
    vf w = neg ? vf_nmuladd(q, r, vf_set1(1.0f)) : vf_muladd(q, r, vf_set1(1.0f));
    p = vf_mul(w, r);
    vf th = vf_lut(z, AC_EXPT_HI);
    vf u = neg ? vf_nmuladd(th, p, vf_lut(z, AC_EXPT_LO)) : vf_muladd(th, p, vf_lut(z, AC_EXPT_LO));
    vf P = vf_add(th, u);
    *Pl = vf_add(vf_sub(th, P), u); /* exact: |u| < th */
    return P;
}

/* 2^floor(s) for floor(s) in [-126, 127]. */
AC_INLINE vf vf_exp2_floor(vf s)
{
#ifdef AC_HAVE_SCALEF
    return vf_scale2(vf_set1(1.0f), s); /* scalef floors its exponent */
#else
    return vf_pow2i(vf_floor(s));
#endif
}
/* v * 2^floor(s) with one rounding (none unless the result is subnormal),
 * floor(s) in [-1000, 127].  Without scalef: one multiply by 2^floor(s)
 * while every lane's power is normal, else the product is formed in double. */
AC_INLINE vf vf_ldexp_floor(vf v, vf s)
{
#ifdef AC_HAVE_SCALEF
    return vf_scale2(v, s);
#else
    vf k = vf_floor(s);
    if (AC_LIKELY(!mf_any(vf_lt(k, vf_set1(-126.0f))))) return vf_mul(v, vf_pow2i(k));
    vd vl, vh, kl, kh;
    vf_widen(v, &vl, &vh);
    vf_widen(k, &kl, &kh);
    return vf_narrow(vd_mul(vl, vd_pow2i(kl)), vd_mul(vh, vd_pow2i(kh)));
#endif
}
#endif /* AC_EXPF_TABLE */

/* ===================================================================== */
/* expm1                                                                 */
/* ===================================================================== */
/*
 * expm1(x) = 2^n * (1 + q) - 1 with q = expm1(r) = r + r^2*Q(r) (fit
 * expm1_f32: 0.28 u), evaluated as fma(2^n, q, 2^n - 1): 2^n - 1 is exact for
 * |n| <= 24, and n = 0 returns q itself, so small x keep full relative
 * accuracy (no 1 + x - 1 cancellation).  Error ~1 u (two roundings more
 * without FMA).  |x| < 2^-40 returns x (expm1(x) = x(1 + x/2 + ...) rounds
 * to it), computing the rest on 0 so that r*r cannot underflow.
 * Domain: x <= 88 (clamped below at -30, where expm1 = -1).
 */
AC_INLINE vf vf_expm1(vf x)
{
    mf tiny = vf_lt(vf_abs(x), vf_set1(0x1p-40f));
    vf xc = vf_select(tiny, vf_zero(), vf_clamp(x, -30.0f, 88.0f));
    vf n = vf_rint(vf_mul(xc, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(n, vf_set1(AC_LN2_HI_F), xc);
    r = vf_nmuladd(n, vf_set1(AC_LN2_LO_F), r);
    vf q = vf_set1(0x1.6bec06p-10f);
    q = vf_muladd(q, r, vf_set1(0x1.122772p-7f));
    q = vf_muladd(q, r, vf_set1(0x1.555674p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.5554bp-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffep-2f));
    q = vf_muladd(vf_mul(q, r), r, r);
    vf s = vf_pow2i(n);
    return vf_select(tiny, x, vf_muladd(s, q, vf_sub(s, vf_set1(1.0f))));
}

/* Double: same scheme, Q of degree 9 (fit expm1_f64: 0.31 u); 2^n - 1 exact
 * for |n| <= 53.  |x| < 2^-60 returns x.  Domain: x <= 709 (clamped below at
 * -40, where expm1 = -1). */
AC_INLINE vd vd_expm1(vd x)
{
    md tiny = vd_lt(vd_abs(x), vd_set1(0x1p-60));
    vd xc = vd_select(tiny, vd_zero(), vd_clamp(x, -40.0, 709.0));
    vd n = vd_rint(vd_mul(xc, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(n, vd_set1(AC_LN2_HI_D), xc);
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
    return vd_select(tiny, x, vd_muladd(s, q, vd_sub(s, vd_set1(1.0))));
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
#ifdef VF_HAVE_LUT32
/*
 * float32, piecewise polynomial (ISAs with a 32-entry lane lookup: AVX-512,
 * portable C).  z = min(|x|, 9.1) (tanh rounds to 1 above 9.02), interval
 * i = rint(3.4 z) in 0..31, read straight from the low bits of
 * z*3.4 + 1.5*2^23 by one permute per coefficient; with t = z - t0[i]
 * (exact: Sterbenz, or t0 = 0):
 *     tanh(z) = c0h + (c0l + t*P(t)),   P of degree 5.
 * For i >= 1, c0h + c0l is a double-float constant term, so only t*P
 * (|t*P| <= 0.14) is formed in float before the one final addition; for
 * i = 0 (t0 = 0, c0 = 0) the result is t*P(t) with P ~ 1, relative-accurate
 * down to the subnormals, and no step can underflow (every Horner value is
 * near a nonzero coefficient).  Table tanh_pw (fit_coefficients.py): fit
 * error 0.061 u; evaluation < 0.5 ulp; total < 1.1 ulp (exhaustive).
 * 20 operations, 9 of them permutes, no division, no exp.  Odd: the sign of
 * x (and of -0.0) is copied last.
 */
#define AC_TANH_TABLE 1
/* tanh_pw: piecewise tanh, K = 3.4f, z <= 9.1f, degree 6; worst rel. error with rounded coefficients 3.63e-09 (0.061 u) (fit_coefficients.py tanh_pw) */
static const float ac_tanh_t0[32] = {
    0x0p+0f, 0x1.2d2d2cp-2f, 0x1.2d2d2cp-1f, 0x1.c3c3c2p-1f,
    0x1.2d2d2cp+0f, 0x1.787878p+0f, 0x1.c3c3c2p+0f, 0x1.078788p+1f,
    0x1.2d2d2cp+1f, 0x1.52d2d2p+1f, 0x1.787878p+1f, 0x1.9e1e1ep+1f,
    0x1.c3c3c2p+1f, 0x1.e96968p+1f, 0x1.078788p+2f, 0x1.1a5a5ap+2f,
    0x1.2d2d2cp+2f, 0x1.4p+2f, 0x1.52d2d2p+2f, 0x1.65a5a4p+2f,
    0x1.787878p+2f, 0x1.8b4b4ap+2f, 0x1.9e1e1ep+2f, 0x1.b0f0fp+2f,
    0x1.c3c3c2p+2f, 0x1.d69696p+2f, 0x1.e96968p+2f, 0x1.fc3c3cp+2f,
    0x1.078788p+3f, 0x1.10f0fp+3f, 0x1.1a5a5ap+3f, 0x1.23c3c4p+3f};
static const float ac_tanh_c0h[32] = {
    0x0p+0f, 0x1.24c848p-2f, 0x1.0ea7f6p-1f, 0x1.6a4a08p-1f,
    0x1.a7157p-1f, 0x1.cca41ep-1f, 0x1.e2d456p-1f, 0x1.ef97f4p-1f,
    0x1.f6d2f4p-1f, 0x1.fae256p-1f, 0x1.fd271ep-1f, 0x1.fe6abep-1f,
    0x1.ff1ecep-1f, 0x1.ff82e6p-1f, 0x1.ffba84p-1f, 0x1.ffd96ap-1f,
    0x1.ffea92p-1f, 0x1.fff41ap-1f, 0x1.fff964p-1f, 0x1.fffc54p-1f,
    0x1.fffdf6p-1f, 0x1.fffedep-1f, 0x1.ffff6p-1f, 0x1.ffffa6p-1f,
    0x1.ffffcep-1f, 0x1.ffffe4p-1f, 0x1.fffffp-1f, 0x1.fffff8p-1f,
    0x1.fffffcp-1f, 0x1.fffffep-1f, 0x1.fffffep-1f, 0x1p+0f};
static const float ac_tanh_c0l[32] = {
    0x0p+0f, -0x1.d0c83p-29f, 0x1.60f718p-27f, 0x1.f98476p-26f,
    -0x1.15c188p-28f, -0x1.dc497cp-27f, 0x1.3b1ac8p-26f, 0x1.1feec4p-26f,
    -0x1.204d22p-26f, 0x1.c256e6p-26f, 0x1.51fcfap-28f, 0x1.f95144p-26f,
    0x1.411862p-29f, 0x1.992b8cp-27f, 0x1.b88a4cp-28f, -0x1.ad5e12p-26f,
    -0x1.25868ep-28f, -0x1.32e41cp-26f, 0x1.5a5b8p-28f, 0x1.025eb4p-26f,
    0x1.28386ap-27f, 0x1.288bc8p-27f, -0x1.c1aa4ep-26f, 0x1.538882p-26f,
    0x1.90012cp-27f, 0x1.ce7202p-27f, 0x1.6785d4p-26f, -0x1.fad856p-27f,
    -0x1.6f42c6p-26f, -0x1.3d362ap-26f, 0x1.173792p-26f, -0x1.9d951ep-26f};
static const float ac_tanh_c1[32] = {
    0x1p+0f, 0x1.d624dp-1f, 0x1.70eca4p-1f, 0x1.ff4a8ap-2f,
    0x1.44c826p-2f, 0x1.864398p-3f, 0x1.c56ee6p-4f, 0x1.024c08p-4f,
    0x1.22fffcp-5f, 0x1.45c788p-6f, 0x1.6b6d82p-7f, 0x1.94a0a2p-8f,
    0x1.c200ccp-9f, 0x1.f42946p-10f, 0x1.15dc48p-10f, 0x1.34ab14p-11f,
    0x1.56db1ep-12f, 0x1.7ccec2p-13f, 0x1.a6f272p-14f, 0x1.d5bdbap-15f,
    0x1.04da74p-15f, 0x1.21b58cp-16f, 0x1.41c178p-17f, 0x1.6558dp-18f,
    0x1.8cdfeap-19f, 0x1.b8c62cp-20f, 0x1.e9879cp-21f, 0x1.0fd6cp-21f,
    0x1.2de858p-22f, 0x1.4f4d8ap-23f, 0x1.746436p-24f, 0x1.9d951cp-25f};
static const float ac_tanh_c2[32] = {
    -0x1.751588p-24f, -0x1.0cd8bep-2f, -0x1.860baap-2f, -0x1.69c9a6p-2f,
    -0x1.0c60f6p-2f, -0x1.5f1dd4p-3f, -0x1.ab99a6p-4f, -0x1.f40a54p-5f,
    -0x1.1dc8ep-5f, -0x1.428634p-6f, -0x1.696822p-7f, -0x1.93605ep-8f,
    -0x1.c13adep-9f, -0x1.f3af1p-10f, -0x1.15b692p-10f, -0x1.3493dp-11f,
    -0x1.56ccc4p-12f, -0x1.7cc5e8p-13f, -0x1.a6ecfep-14f, -0x1.d5ba5cp-15f,
    -0x1.04d96ap-15f, -0x1.21b4e8p-16f, -0x1.41c112p-17f, -0x1.655892p-18f,
    -0x1.8cdfc4p-19f, -0x1.b8c614p-20f, -0x1.e9878ep-21f, -0x1.0fd6bcp-21f,
    -0x1.2de854p-22f, -0x1.4f4d88p-23f, -0x1.746436p-24f, -0x1.9d952ep-25f};
static const float ac_tanh_c3[32] = {
    -0x1.555322p-2f, -0x1.d91e9ap-3f, -0x1.3e323ap-5f, 0x1.56424p-4f,
    0x1.c60c18p-4f, 0x1.739f7p-4f, 0x1.f831dep-5f, 0x1.37d21ep-5f,
    0x1.6f536ap-6f, 0x1.a56a6p-7f, 0x1.dc819ep-8f, 0x1.0b407p-8f,
    0x1.2a747ap-9f, 0x1.4c7beap-10f, 0x1.71e386p-11f, 0x1.9b30e8p-12f,
    0x1.c8e9d8p-13f, 0x1.fb99ecp-14f, 0x1.19eb7ap-14f, 0x1.3921cap-15f,
    0x1.5bc916p-16f, 0x1.82440ep-17f, 0x1.acff84p-18f, 0x1.dc747cp-19f,
    0x1.089472p-19f, 0x1.25d8acp-20f, 0x1.4659a2p-21f, 0x1.6a72dep-22f,
    0x1.928a44p-23f, 0x1.bf112p-24f, 0x1.f0849ap-25f, 0x1.13b6fep-25f};
static const float ac_tanh_c4[32] = {
    -0x1.15394ap-12f, 0x1.3a55c6p-3f, 0x1.2e19dap-3f, 0x1.e076cp-5f,
    -0x1.158cb2p-8f, -0x1.910fb6p-6f, -0x1.7c68aap-6f, -0x1.0e4c88p-6f,
    -0x1.5470eap-7f, -0x1.946164p-8f, -0x1.d1d752p-9f, -0x1.07ef76p-9f,
    -0x1.286678p-10f, -0x1.4b36b2p-11f, -0x1.711abp-12f, -0x1.9ab4fap-13f,
    -0x1.c89d68p-14f, -0x1.fb6accp-15f, -0x1.19dcf8p-15f, -0x1.3918dap-16f,
    -0x1.5bc398p-17f, -0x1.8240b2p-18f, -0x1.acfd78p-19f, -0x1.dc734p-20f,
    -0x1.089414p-20f, -0x1.25d878p-21f, -0x1.465988p-22f, -0x1.6a72d4p-23f,
    -0x1.928a44p-24f, -0x1.bf1126p-25f, -0x1.f084a6p-26f, -0x1.13eb5ep-26f};
static const float ac_tanh_c5[32] = {
    0x1.188454p-3f, 0x1.b552fcp-5f, -0x1.880daap-5f, -0x1.d9f07p-5f,
    -0x1.b2dfe6p-6f, -0x1.0f9982p-8f, 0x1.ef9b9ap-9f, 0x1.31ab86p-8f,
    0x1.cd4bdcp-9f, 0x1.2939a4p-9f, 0x1.64b2aep-10f, 0x1.9d0156p-11f,
    0x1.d53d24p-12f, 0x1.07da02p-12f, 0x1.2711b4p-13f, 0x1.48f6dep-14f,
    0x1.6e20d4p-15f, 0x1.971b02p-16f, 0x1.c46eaap-17f, 0x1.f6a8dap-18f,
    0x1.172fa8p-18f, 0x1.361a3cp-19f, 0x1.586cccp-20f, 0x1.7e893ep-21f,
    0x1.a8db98p-22f, 0x1.d7db72p-23f, 0x1.0606e8p-23f, 0x1.2302e4p-24f,
    0x1.433386p-25f, 0x1.66f3c8p-26f, 0x1.8ea83p-27f, 0x1.b2c71ep-28f};
static const float ac_tanh_c6[32] = {
    -0x1.76187p-6f, -0x1.1a9948p-4f, -0x1.082714p-5f, 0x1.b25e9cp-7f,
    0x1.1b9c7ap-6f, 0x1.05d356p-7f, 0x1.1de956p-10f, -0x1.861b8p-12f,
    -0x1.909e5ep-11f, -0x1.45c408p-11f, -0x1.ae8786p-12f, -0x1.052756p-12f,
    -0x1.2ff78p-13f, -0x1.5a4926p-14f, -0x1.85fd62p-15f, -0x1.b47894p-16f,
    -0x1.e6d10cp-17f, -0x1.0ef866p-17f, -0x1.2d5636p-18f, -0x1.4ee94ep-19f,
    -0x1.741b4ep-20f, -0x1.9d5bdcp-21f, -0x1.cb237ap-22f, -0x1.fdf5d8p-23f,
    -0x1.1b31fp-23f, -0x1.3a86d8p-24f, -0x1.5d525p-25f, -0x1.83f6a8p-26f,
    -0x1.aee0f8p-27f, -0x1.de8a5ap-28f, -0x1.09bca2p-28f, -0x1.5afec6p-29f};

AC_INLINE vf vf_tanh_table(vf x)
{
#ifdef AC_HAVE_FMA
    vf z = vf_min_abs(x, vf_set1(9.1f));
#else
    /* unfused Horner steps would form tiny products: evaluate at 2^-13 or
     * more and take min(|y|, |x|) below (tanh(2^-13) > tiny z) */
    vf z = vf_min(vf_max_abs(x, vf_set1(0x1p-13f)), vf_set1(9.1f));
#endif
    vf zz = vf_muladd(z, vf_set1(3.4f), vf_set1(0x1.8p23f)); /* low 5 bits: rint(3.4 z) */
    vf t = vf_sub(z, vf_lut32(zz, ac_tanh_t0));
    vf p = vf_muladd(vf_lut32(zz, ac_tanh_c6), t, vf_lut32(zz, ac_tanh_c5));
    p = vf_muladd(p, t, vf_lut32(zz, ac_tanh_c4));
    p = vf_muladd(p, t, vf_lut32(zz, ac_tanh_c3));
    p = vf_muladd(p, t, vf_lut32(zz, ac_tanh_c2));
    p = vf_muladd(p, t, vf_lut32(zz, ac_tanh_c1));
    vf y = vf_add(vf_lut32(zz, ac_tanh_c0h), vf_muladd(p, t, vf_lut32(zz, ac_tanh_c0l)));
#ifndef AC_HAVE_FMA
    y = vf_min_abs(y, x);
#endif
    return vf_copysign(y, x);
}
#endif

/* tanh(x) = x + x*s*Q(s), s = x^2, |x| < 0.625 (fit tanh_small_f32: 0.14 u). */
#define AC_TANH_SMALL_Q(q, s)                          \
    do {                                               \
        q = vf_set1(-0x1.75e1cep-8f);                  \
        q = vf_muladd(q, s, vf_set1(0x1.52269cp-6f));  \
        q = vf_muladd(q, s, vf_set1(-0x1.b83c5ap-5f)); \
        q = vf_muladd(q, s, vf_set1(0x1.110726p-3f));  \
        q = vf_muladd(q, s, vf_set1(-0x1.555532p-2f)); \
    } while (0)

/* 1/d with relative error < 2^-14 (d normal, positive): rcp14 on AVX-512,
 * rcp + one Newton step where the estimate has 11 bits, exact in portable C. */
AC_INLINE vf vf_recip14(vf d)
{
    vf y = vf_rcp(d);
#if VF_RCP_BITS < 14
    y = vf_muladd(y, vf_nmuladd(y, d, vf_set1(1.0f)), y);
#endif
    return y;
}

#ifdef AC_EXPF_TABLE
/*
 * float32 through exp (FMA ISAs without a 32-entry lookup: AVX2).
 * |x| < 0.625: x + x*s*Q(s) with s = x^2 + 2^-90 (never subnormal; the
 * 2^-90 is far below an ulp).  Otherwise tanh|x| = 2/(1 + e) - 1 with
 * e = e^(-2|x|) <= 0.29 from vf_expt_parts (~0.1 u): 1 + e as d + dl,
 * y0 ~ 1/d (>= 14 bits), c = y0*(1 - y0*(d + dl)) so y0 + c = 1/(1+e) to
 * 2^-40, and 2*y0 - 1 is exact (Sterbenz): tanh = fma(2, c, 2*y0 - 1), one
 * rounding.  e's error weighs 2e/(1 - e^2) <= 0.62 in the result: < 0.7 ulp
 * in all.  |x| is capped at 9.1 (tanh rounds to 1).
 */
AC_INLINE vf vf_tanh_exp(vf x)
{
    const vf one = vf_set1(1.0f);
    vf ax = vf_abs(x);
    vf xs = vf_min(ax, vf_set1(0.625f));
    vf s = vf_muladd(xs, xs, vf_set1(0x1p-90f));
    vf q;
    AC_TANH_SMALL_Q(q, s);
    vf small = vf_muladd(ax, vf_mul(s, q), ax);
    vf Pl, sn, P = vf_expt_parts(vf_mul(vf_min(ax, vf_set1(9.1f)), vf_set1(-2.0f)), vf_zero(), 0, 0, &Pl, &sn);
    vf S = vf_exp2_floor(sn);
    vf d = vf_muladd(S, P, one);
    vf dl = vf_muladd(S, Pl, vf_muladd(S, P, vf_sub(one, d)));
    vf y0 = vf_recip14(d);
    vf c = vf_mul(vf_nmuladd(y0, dl, vf_nmuladd(y0, d, one)), y0);
    vf large = vf_muladd(vf_set1(2.0f), c, vf_muladd(vf_set1(2.0f), y0, vf_set1(-1.0f)));
    return vf_copysign(vf_select(vf_lt(ax, vf_set1(0.625f)), small, large), x);
}
#endif

/*
 * float32, portable (SSE2): |x| < 0.625: the polynomial above (s taken as 0
 * below 2^-13, where tanh(x) = x, so x*s cannot underflow).  Otherwise, with
 * e = exp(-2|x|) <= 0.29: tanh|x| = 1 - 2e/(1+e); the subtracted term is
 * < 0.45 so its ~1.5 u relative error costs < 0.7 u of the result, and no
 * 1 + tanh cancellation can occur.  |x| is clamped at 9.1 where tanh rounds
 * to 1 (so e never underflows).  Error < 1.5 u.
 */
AC_INLINE vf vf_tanh_generic(vf x)
{
    vf a = vf_abs(x);
    vf as = vf_flush_tiny(vf_min(a, vf_set1(0.625f)), a, 0x1p-13f);
    vf s = vf_mul(as, as);
    vf q;
    AC_TANH_SMALL_Q(q, s);
    vf small = vf_muladd(vf_mul(a, s), q, a);
    vf e = vf_exp(vf_mul(vf_set1(-2.0f), vf_min(a, vf_set1(9.1f))));
    vf large = vf_sub(vf_set1(1.0f), vf_div(vf_add(e, e), vf_add(vf_set1(1.0f), e)));
    return vf_copysign(vf_select(vf_lt(a, vf_set1(0.625f)), small, large), x);
}

/* tanh, float32: the best variant the ISA has.  Odd, limits +-1. */
AC_INLINE vf vf_tanh(vf x)
{
#if defined(AC_TANH_TABLE)
    return vf_tanh_table(x);
#elif defined(AC_EXPF_TABLE)
    return vf_tanh_exp(x);
#else
    return vf_tanh_generic(x);
#endif
}

/* Double: Q of degree 10 (fit tanh_small_f64: 0.12 u); |x| clamped at 19.1
 * where tanh rounds to 1; s taken as 0 below 2^-30 (tanh(x) = x there).
 * Error < 1.5 u. */
AC_INLINE vd vd_tanh(vd x)
{
    static const double c[11] = {
        -0x1.55555555554ffp-2, 0x1.111111110accdp-3, -0x1.ba1ba1b5064afp-5, 0x1.664f477adac7ap-6,
        -0x1.226e162bf7b4ap-7, 0x1.d6cf280ecd989p-9, -0x1.7d68a32fdd5bfp-10, 0x1.336612e403edep-11,
        -0x1.df5579a8ae4bep-13, 0x1.43912142f88a4p-14, -0x1.0da727a620dddp-16};
    vd a = vd_abs(x);
    vd as = vd_flush_tiny(vd_min(a, vd_set1(0.625)), a, 0x1p-30);
    vd s = vd_mul(as, as);
    vd q = vd_set1(c[10]);
    for (int k = 9; k >= 0; k--) q = vd_muladd(q, s, vd_set1(c[k]));
    vd small = vd_muladd(vd_mul(a, s), q, a);
    vd e = vd_exp(vd_mul(vd_set1(-2.0), vd_min(a, vd_set1(19.1))));
    vd large = vd_sub(vd_set1(1.0), vd_div(vd_add(e, e), vd_add(vd_set1(1.0), e)));
    return vd_copysign(vd_select(vd_lt(a, vd_set1(0.625)), small, large), x);
}

/* ===================================================================== */
/* sigmoid                                                               */
/* ===================================================================== */
#ifdef AC_EXPF_TABLE
/*
 * float32 select-based form (FMA + lane permute), used for the tails the
 * fast path below does not cover: sigmoid(t + tl) = (q0 + *c) * 2^floor(*k),
 * q0 + c within ~2^-27 relative (plus e's ~0.1 u, weighted by <= 1), the
 * caller rounding it once.  With a = -|t + tl| clamped to [amin, -2^-40] and
 * e = e^a = 2^floor(s) (P + Pl) (vf_expt_parts):
 *     t > 0:   sigmoid = 1 / (1 + e)                    k = 0
 *     t <= 0:  sigmoid = (P + Pl) / (1 + e) * 2^s       k = s
 * 1 + e is carried as d + dl (d = fma(S, P, 1), its exact residual, plus
 * S*Pl), S = 2^floor(s) capped at 2^-40 (1 + e rounds alike below).  The
 * quotient: y0 ~ 1/d (>= 14 bits, no division), q0 = num*y0, residual
 * r = num - q0*(d + dl) + num_lo (FMAs), c = r*y0: q0 + c has relative
 * error ~(2^-14)^2.
 * The clamp at -2^-40 keeps every intermediate normal for tiny t (sigmoid
 * rounds to 1/2 there either way); amin is where the caller's result is 0.
 */
AC_INLINE vf vf_sigmoid_q(vf t, vf tl, int use_tl, float amin, vf *k, vf *c)
{
    const vf one = vf_set1(1.0f), sign = vf_set1(-0.0f);
    mf pos = vf_gt(t, vf_zero());
    vf a = vf_min(vf_max(vf_or(t, sign), vf_set1(amin)), vf_set1(-0x1p-40f));
    vf al = use_tl ? vf_xor(tl, vf_andnot(t, sign)) : vf_zero(); /* -sign(t) * tl */
    vf Pl, s, P = vf_expt_parts(a, al, use_tl, 0, &Pl, &s);
    vf S = vf_exp2_floor(vf_max(s, vf_set1(-40.0f)));
    vf d = vf_muladd(S, P, one);
    vf dl = vf_muladd(S, Pl, vf_muladd(S, P, vf_sub(one, d)));
    vf y0 = vf_recip14(d);
    vf nh = vf_select(pos, one, P);
    vf nl = vf_select(pos, vf_zero(), Pl);
    vf q0 = vf_mul(nh, y0);
    vf r = vf_nmuladd(q0, dl, vf_add(vf_nmuladd(q0, d, nh), nl));
    *k = vf_select(pos, vf_zero(), s);
    *c = vf_mul(r, y0);
    return q0;
}
#endif

/*
 * float32 portable path (SSE2, portable C without FMA):
 * sigmoid(t + tl) = (Y + *Yl) * 2^(*k), tl a correction with |tl| <= ulp(t).
 * With e = exp(-|t + tl|) = (p + pl) 2^n and d + dl = 1 + e exactly
 * (Fast2Sum: e <= 1):
 *     t > 0:   sigmoid = 1 / (d + dl)                     k = 0
 *     t <= 0:  sigmoid = (p + pl) / (d + dl) * 2^n        k = n
 * One division gives inv = 1/d; Y = num*inv is then corrected by the exact
 * residual num - Y*d, so Y + Yl carries ~2^-40 relative error and the
 * caller's single final rounding dominates (< 0.6 u in total).  The
 * quotient is formed unscaled (num in [0.7, 1.42]): the only underflow is
 * the caller's final scaling by 2^k, exactly when the result underflows.
 * e enters 1 + e with its scale capped at 2^-60 (1 + e is the same below,
 * and e itself may be subnormal).  t is capped at 20, where sigmoid rounds
 * to 1, and at -200, below which even FLT_MAX * sigmoid(t) underflows
 * (k >= -289).
 */
AC_INLINE vf vf_sigmoid_parts(vf t, vf tl, vf *Yl, vf *k)
{
    mf pos = vf_gt(t, vf_zero());
    vf a = vf_max(vf_neg(vf_abs(vf_min(t, vf_set1(20.0f)))), vf_set1(-200.0f));
    vf al = vf_select(vf_gt(t, vf_set1(20.0f)), vf_zero(), vf_select(pos, vf_neg(tl), tl));
    vf n, pl, p = vf_exp_parts(a, al, &pl, &n);
    vf nc = vf_max(n, vf_set1(-60.0f));
    vf e = vf_scale2(p, nc);
    vf d = vf_add(vf_set1(1.0f), e);
    vf dl = vf_add(vf_add(vf_sub(vf_set1(1.0f), d), e), vf_scale2(pl, nc));
    vf inv = vf_div(vf_set1(1.0f), d);
    vf nh = vf_select(pos, vf_set1(1.0f), p);
    vf nl = vf_select(pos, vf_zero(), pl);
    vf Y = vf_mul(nh, inv);
    vf r = vf_add(vf_residual(Y, d, nh), vf_nmuladd(Y, dl, nl));
    *Yl = vf_mul(r, inv);
    *k = vf_select(pos, vf_zero(), n);
    return Y;
}

#ifdef AC_EXPF_TABLE
/*
 * float32 fast path, for t >= -16 in every lane: num / (1 + e^-(t + tl)).
 * With E = e^-(t+tl) = 2^floor(s) (P + Pl) and t clamped at 87 (E stays
 * normal; 1/(1+E) rounds to 1 beyond 17), 1 + E < 2^24 is carried as
 * d + dl: d = fma(S, P, 1), dl = its exact residual fma(S, P, 1 - d) (1 - d
 * is exact below 2^24) plus S*Pl.  y0 ~ 1/d (>= 14 bits, no division);
 * q0 = num*y0; r = num - q0*(d + dl) (two FMAs); result q0 + r*y0, rounded
 * once, relative error ~(2^-14)^2 plus E's ~0.1 u weighted by E/(1+E) <= 1.
 * No select: the same formula serves both signs of t (for t < 0, E > 1 and
 * the quotient is ~e^t without cancellation).  24 operations for
 * sigmoid on AVX-512.
 * Tiny t: the table's j = 0 entry (1 + 2^-23, -2^-23) makes Pl exactly 0
 * for |t| < 2^-48 and a multiple of 2^-47 above, so q0*dl (~ num*t/2) stays
 * normal for num = 1 or num = x = t; t itself needs no flush.
 */
AC_INLINE vf vf_div_1pexp(vf num, int num_is_one, vf t, vf tl, int use_tl)
{
    const vf one = vf_set1(1.0f);
    vf Pl, s, P = vf_expt_parts(vf_min(t, vf_set1(87.0f)), tl, use_tl, 1, &Pl, &s);
    vf S = vf_exp2_floor(s);
    vf d = vf_muladd(S, P, one);
    vf dl = vf_muladd(S, Pl, vf_muladd(S, P, vf_sub(one, d)));
    vf y0 = vf_recip14(d);
    if (num_is_one) return vf_muladd(vf_nmuladd(y0, dl, vf_nmuladd(y0, d, one)), y0, y0);
    vf q0 = vf_mul(num, y0);
    return vf_muladd(vf_nmuladd(q0, dl, vf_nmuladd(q0, d, num)), y0, q0);
}
/* Whether every lane has t >= -16 (the fast path's domain). */
AC_INLINE int vf_all_ge_m16(vf t) { return !mf_any(vf_lt(t, vf_set1(-16.0f))); }
#endif

/* sigmoid, float32.  < 0.8 ulp.  Fast path: vf_div_1pexp; in vectors with a
 * lane below -16 those lanes take vf_sigmoid_q, which handles the deep tail. */
AC_INLINE vf vf_sigmoid(vf t)
{
#ifdef AC_EXPF_TABLE
    if (AC_LIKELY(vf_all_ge_m16(t))) return vf_div_1pexp(vf_set1(1.0f), 1, t, vf_zero(), 0);
    /* lanes >= -16 compute exactly as on the fast path (a result never
     * depends on its neighbours), the others through vf_sigmoid_q */
    vf yf = vf_div_1pexp(vf_set1(1.0f), 1, vf_max(t, vf_set1(-16.0f)), vf_zero(), 0);
    vf k, c, q0 = vf_sigmoid_q(vf_min(t, vf_set1(-16.0f)), vf_zero(), 0, -104.0f, &k, &c); /* e^-104 < 2^-150 */
    return vf_select(vf_lt(t, vf_set1(-16.0f)), vf_ldexp_floor(vf_add(q0, c), k), yf);
#else
    vf Yl, k, Y = vf_sigmoid_parts(t, vf_zero(), &Yl, &k);
    return vf_scale2(vf_add(Y, Yl), vf_max(k, vf_set1(-160.0f))); /* 2^-160: rounds to 0 */
#endif
}
/*
 * x * sigmoid(t + tl), float32.  Callers keep t finite (|t| <= 1000, say);
 * t = x itself is fine for tiny x, and so is t = tl = 0 (callers forming
 * t = beta*x use that below |x| < 2^-60, where beta*x's low part would
 * underflow; the result is x/2 there).
 * Fast path (every t >= -16): x / (1 + e^-(t+tl)) rounded once, < 0.8 ulp.
 * Otherwise per lane: that for t >= -16 (the same operations, so a result
 * never depends on its neighbours), and for t < -16 the tail
 * fma(x/2, q0, x/2 * c) * 2^(k+1) from vf_sigmoid_q, rounded once (there
 * |x| >= 16/|beta|, so x*c cannot underflow); halving x keeps the product
 * below |x| (q < 2), and it is normal whenever the result is.
 * Portable path: fma(x, Y, x*Yl) * 2^k with one rounding; in the deep tail
 * (k < -60) or for |x| > 2^100 the product is formed on x * 2^-64, and for
 * |x| < 2^-60 on x * 2^64 (so x*Yl cannot underflow), then rescaled.
 */
#ifdef AC_EXPF_TABLE
AC_INLINE vf vf_mul_sigmoid_t(vf x, vf t, vf tl, int use_tl)
{
    if (AC_LIKELY(vf_all_ge_m16(t))) return vf_div_1pexp(x, 0, t, tl, use_tl);
    mf tail = vf_lt(t, vf_set1(-16.0f));
    vf yf = vf_div_1pexp(x, 0, vf_max(t, vf_set1(-16.0f)), use_tl ? vf_select(tail, vf_zero(), tl) : tl, use_tl);
    vf k, c, q0 = vf_sigmoid_q(vf_min(t, vf_set1(-16.0f)), use_tl ? vf_select(tail, tl, vf_zero()) : tl, use_tl,
                               -200.0f, &k, &c);
    vf xh = vf_mul(x, vf_set1(0.5f));
    vf yt = vf_ldexp_floor(vf_muladd(xh, q0, vf_mul(xh, c)), vf_add(k, vf_set1(1.0f)));
    return vf_select(tail, yt, yf);
}
#endif
AC_INLINE vf vf_mul_sigmoid(vf x, vf t, vf tl)
{
#ifdef AC_EXPF_TABLE
    return vf_mul_sigmoid_t(x, t, tl, 1);
#else
    vf Yl, k, Y = vf_sigmoid_parts(t, tl, &Yl, &k);
    vf ax = vf_abs(x);
    mf pre = mf_or(vf_lt(k, vf_set1(-60.0f)), vf_gt(ax, vf_set1(0x1p100f)));
    vf kk = vf_select(pre, vf_set1(64.0f), vf_select(vf_lt(ax, vf_set1(0x1p-60f)), vf_set1(-64.0f), vf_zero()));
    vf xs = vf_scale2(x, vf_neg(kk));
    return vf_scale2(vf_fma_accurate(xs, Y, vf_mul(xs, Yl)), vf_add(k, kk));
#endif
}

/* x * sigmoid(x), float32 (silu with beta = 1: t = x exactly). */
AC_INLINE vf vf_x_sigmoid(vf x)
{
#ifdef AC_EXPF_TABLE
    return vf_mul_sigmoid_t(x, x, vf_zero(), 0);
#else
    /* the argument is taken as 0 for |x| < 2^-30 (result x/2 to 2^-31) */
    return vf_mul_sigmoid(x, vf_flush_tiny(x, x, 0x1p-30f), vf_zero());
#endif
}

/* Double: t capped at 40 and -1500; e's scale in 1 + e capped at 2^-120;
 * deep tail below k = -900 (and |x| > 2^900) prescaled by 2^-512, |x| < 2^-900
 * by 2^512. */
AC_INLINE vd vd_sigmoid_parts(vd t, vd tl, vd *Yl, vd *k)
{
    md pos = vd_gt(t, vd_zero());
    vd a = vd_max(vd_neg(vd_abs(vd_min(t, vd_set1(40.0)))), vd_set1(-1500.0));
    vd al = vd_select(vd_gt(t, vd_set1(40.0)), vd_zero(), vd_select(pos, vd_neg(tl), tl));
    vd n, pl, p = vd_exp_parts(a, al, &pl, &n);
    vd nc = vd_max(n, vd_set1(-120.0));
    vd e = vd_scale2(p, nc);
    vd d = vd_add(vd_set1(1.0), e);
    vd dl = vd_add(vd_add(vd_sub(vd_set1(1.0), d), e), vd_scale2(pl, nc));
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
    vd ax = vd_abs(x);
    md pre = md_or(vd_lt(k, vd_set1(-900.0)), vd_gt(ax, vd_set1(0x1p900)));
    vd kk = vd_select(pre, vd_set1(512.0), vd_select(vd_lt(ax, vd_set1(0x1p-900)), vd_set1(-512.0), vd_zero()));
    vd xs = vd_scale2(x, vd_neg(kk));
    return vd_scale2(vd_fma_accurate(xs, Y, vd_mul(xs, Yl)), vd_add(k, kk));
}

#endif
