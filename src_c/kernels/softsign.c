/*
 * softsign(x) = x / (1 + |x|).
 * float32 stays in float, without a division: d + dl = 1 + |x| exactly
 * (Fast2Sum of max(1, |x|) and min(1, |x|)); r = 1/d from vf_recip14 and
 * one Newton step (< 2^-27 with FMA); q0 = x r is within 0.5 u + 2^-3 u of
 * x/d.  The remainder e = x - q0 d - q0 dl (the first product exact by FMA
 * or Dekker, the second ~2^-24 of e) is what q0 misses of x/(d + dl), so
 * q = q0 + e r is within 0.5 u + 2^-10 u of softsign(x).  For |x| >= 2^26
 * the result rounds to +-1 and 1/d would leave the normal range, so |x| is
 * clamped there; for |x| < 2^-26 it rounds to x itself, which is returned
 * (computing those on 0: q0 dl would underflow).  The sign goes back on at the end: -0.0 keeps its sign (the
 * correction would add +0).  (The double path this replaces was 0.5 u +
 * 2^-16 u and about 2x slower; a plain float division is 1.5 u.)
 * float64: a true division, two roundings, <= 1 u.  Odd: keeps -0.0.
 */
#include "../kernel_template.h"

AC_INLINE vd softsign_core(vd x, const vd *p) { (void)p; return vd_div(x, vd_add(vd_set1(1.0), vd_abs(x))); }
AC_INLINE vf softsign_f32(vf x, const vf *p)
{
    (void)p;
    vf a = vf_min(vf_abs(x), vf_set1(0x1p26f));
    mf tiny = vf_lt(a, vf_set1(0x1p-26f));
    a = vf_select(tiny, vf_zero(), a);
    vf one = vf_set1(1.0f);
    vf hi = vf_max(a, one), lo = vf_min(a, one);
    vf d = vf_add(hi, lo);
    vf dl = vf_sub(lo, vf_sub(d, hi));
    vf r = vf_recip14(d);
    r = vf_muladd(r, vf_nmuladd(r, d, one), r);
    vf q0 = vf_mul(a, r);
    vf e = vf_nmuladd(q0, dl, vf_residual(q0, d, a));
    return vf_select(tiny, x, vf_copysign(vf_muladd(e, r, q0), x));
}
AC_INLINE vf softsign_f32_inf(vf x, const vf *p) { (void)p; return vf_copysign(vf_set1(1.0f), x); }
AC_INLINE vd softsign_f64(vd x, const vd *p) { return softsign_core(x, p); }
AC_INLINE vd softsign_f64_inf(vd x, const vd *p) { (void)p; return vd_copysign(vd_set1(1.0), x); }

AC_FORWARD(softsign, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * softsign'(x) = 1/(1 + |x|)^2, formed as r*r with r = 1/(1 + |x|): the
 * square of 1 + |x| would overflow (float beyond 1.8e19, double beyond
 * 1.3e154) where the result is still representable.  Limits: 0 at +-inf.
 * float32 computes in double (AC_F32_VIA_F64): 1 + |x| is exact there for
 * |x| < 2^29 (else within 2^-53), r from vd_recip40 (< 2^-40, no division on
 * AVX-512), r*r rounded in double then to float: < 0.5 ulp + 2^-14 ulp.
 * r*r in double never underflows for a float x (r >= 2^-128); float's
 * rounding underflows only where the result is below FLT_MIN.
 * float64: rounded about once.  d + dl = 1 + |x| exactly (Fast2Sum of
 * max(1, |x|) and min(1, |x|)), r = 1/d with the exact remainder
 * e = 1 - r d (FMA, or vmath.h's Dekker residual), so 1/(1 + |x|) =
 * r (1 + c), c = e - dl r (dropped terms ~2^-106); then
 * 1/(1 + |x|)^2 = rr + rrl + 2 rr c, rr + rrl = r*r exactly: one final
 * rounding, < 0.5 u + 2^-50 u.
 * Scaling keeps every correction term normal: |x| < 2^-60 is computed on 0
 * (the result 1 - 2|x| rounds to 1; dl r would underflow); |x| > 2^200 is
 * computed on |x| 2^-600 with the 1 dropped (2^-200 relative) and the result
 * scaled back by 2^-1200 (exact where it is normal).  Unscaled, rr c ~ 1/x^3
 * (c holds dl r ~ 1/|x|) underflows from |x| ~ 2^340 on, where the result
 * is still normal; with the split, rr >= 2^-400 and c >= ~2^-360 on the
 * small side, and c = e (relative 2^-106 granularity, dl = 0) on the big
 * side, where rr >= 2^-848: rrl and rr c stay normal everywhere.
 */
AC_INLINE vd softsign_derivative_via_f64(vd x, const vd *p)
{
    (void)p;
    vd r = vd_recip40(vd_add(vd_set1(1.0), vd_abs(x)));
    return vd_mul(r, r);
}
AC_F32_VIA_F64(softsign_derivative_f32, 0, softsign_derivative_via_f64)
AC_INLINE vf softsign_derivative_f32_inf(vf x, const vf *p) { (void)x; (void)p; return vf_zero(); }
AC_INLINE vd softsign_derivative_f64(vd x, const vd *p)
{
    (void)p;
    vd a = vd_abs(x);
    a = vd_select(vd_lt(a, vd_set1(0x1p-60)), vd_zero(), a);
    md big = vd_gt(a, vd_set1(0x1p200));
    a = vd_select(big, vd_mul(a, vd_set1(0x1p-600)), a);
    vd one = vd_select(big, vd_zero(), vd_set1(1.0));
    vd hi = vd_max(a, one), lo = vd_min(a, one);
    vd d = vd_add(hi, lo);
    vd dl = vd_sub(lo, vd_sub(d, hi));
    vd r = vd_div(vd_set1(1.0), d);
    vd e = vd_residual(r, d, vd_set1(1.0));
    vd c = vd_nmuladd(dl, r, e);
    vd rrl, rr = vd_two_prod(r, r, &rrl);
    vd y = vd_add(rr, vd_muladd(vd_add(rr, rr), c, rrl));
    /* the scaling only on the big lanes' values (y*2^-1200 would underflow elsewhere) */
    return vd_select(big, vd_scale2(vd_select(big, y, vd_zero()), vd_set1(-1200.0)), y);
}
AC_INLINE vd softsign_derivative_f64_inf(vd x, const vd *p) { (void)x; (void)p; return vd_zero(); }

AC_DERIVATIVES(softsign, 0)
