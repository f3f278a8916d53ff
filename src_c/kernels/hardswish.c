/*
 * hardswish(x) = x * min(max(x + 3, 0), 6) / 6.
 *
 * float32 with FMA: for |x| < 3, xc*(xc + 3)/6 with every piece exact:
 * s + sl = xc + 3 (Fast2Sum-like: s - 3 is exact), hi + lo = xc*s (FMA
 * residual; exact, and never a subnormal rounding: for |x| < 2^-24, s = 3
 * and lo is a multiple of ulp(x)), plus xc*sl fused into the remainder
 * r = (hi - 6q) + lo + xc*sl of q = hi*(1/6)_f; the result q + r/6 ~
 * fma(r, (1/6)_f, q) is rounded once: < 0.5 ulp + 2^-40.  sl is first
 * rounded to a multiple of 2^-44 ((sl + 2^-26) - 2^-26: an error below
 * 2^-44 |x|), which zeroes it for |x| < 2^-45, so xc*sl can never be a
 * subnormal.  x >= 3 returns x; x <= -3 gives xc = -3, s = 0: -0.0 as x*0/6.
 * Without FMA (SSE2) the float32 kernel computes in double (AC_F32_VIA_F64):
 * x + 3 and x*(x + 3) exact there (24 x 27 bits), a product with 1/6, one
 * final rounding: < 0.5 ulp + 2^-28; clamping x + 3 first keeps the break
 * points exact.
 *
 * float64: t = x + 3 is kept as an exact pair (Fast2Sum, |x| < 3 where it
 * matters), x*t as hi + lo, and the division by 6 gets a remainder
 * correction, q + (hi - 6q + lo)/6, so the result is rounded about once.
 * For x >= 3 the result is x itself (x * 6 / 6 could round away from x).
 * |x| < 2^-60 returns x/2 (hardswish(x) = x/2 + x^2/6 rounds to it) and
 * computes the rest on 0: the product's low part would underflow.
 */
#include "../kernel_template.h"

#define HSW_C6 0x1.555556p-3f /* float(1/6) */

#ifdef AC_HAVE_FMA
AC_INLINE vf hardswish_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_clamp(x, -3.0f, 3.0f);
    vf s = vf_add(xc, vf_set1(3.0f));
    vf sl = vf_sub(xc, vf_sub(s, vf_set1(3.0f)));
    sl = vf_sub(vf_add(sl, vf_set1(0x1p-26f)), vf_set1(0x1p-26f));
    vf hi = vf_mul(xc, s);
    vf lo = vf_mulsub(xc, s, hi);
    vf q = vf_mul(hi, vf_set1(HSW_C6));
    vf r = vf_muladd(xc, sl, vf_add(vf_nmuladd(q, vf_set1(6.0f), hi), lo));
    return vf_select(vf_ge(x, vf_set1(3.0f)), x, vf_muladd(r, vf_set1(HSW_C6), q));
}
#else
AC_INLINE vd hardswish_via_f64(vd x, const vd *p)
{
    (void)p;
    vd s = vd_min(vd_max(vd_add(x, vd_set1(3.0)), vd_zero()), vd_set1(6.0));
    return vd_mul(vd_mul(x, s), vd_set1(1.0 / 6.0));
}
AC_F32_VIA_F64(hardswish_f32, 0, hardswish_via_f64)
#endif
AC_INLINE vf hardswish_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), x, vf_zero());
}
AC_INLINE vd hardswish_f64(vd x, const vd *p)
{
    (void)p;
    md tiny = vd_lt(vd_abs(x), vd_set1(0x1p-60));
    vd xc = vd_select(tiny, vd_zero(), vd_clamp(x, -3.0, 3.0));
    vd s = vd_add(xc, vd_set1(3.0));
    vd sl = vd_sub(xc, vd_sub(s, vd_set1(3.0)));
    vd lo, hi = vd_two_prod(xc, s, &lo);
    lo = vd_muladd(xc, sl, lo);
    vd q = vd_div(hi, vd_set1(6.0));
    vd r = vd_add(vd_residual(q, vd_set1(6.0), hi), lo);
    vd y = vd_select(vd_ge(x, vd_set1(3.0)), x, vd_add(q, vd_div(r, vd_set1(6.0))));
    return vd_select(tiny, vd_mul(x, vd_set1(0.5)), y);
}
AC_INLINE vd hardswish_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), x, vd_zero());
}

AC_FORWARD(hardswish, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * hardswish'(x) = (2x + 3)/6 = x/3 + 1/2 on -3 < x < 3, 0 for x <= -3, 1
 * for x >= 3: torch's hardswish_backward convention (checked on torch
 * 2.13: 0 at x = -3 and 1 at x = 3, not the one-sided -1/2 and 3/2).
 *
 * (2x + 3)/6 is computed as the quotient of an exact pair, so the result
 * is rounded about once even where it cancels (x near -1.5):
 *   u = 2 xc (exact), t = u + 3 and its error tl = u - (t - 3): exact for
 *   every u in (-6, 6) (|u| <= 3: Fast2Sum; u in [-6, -1.5]: t is exact by
 *   Sterbenz, tl = 0; u > 3: t - 3 has fewer significant bits than t, and
 *   u - (t - 3) is exact by Sterbenz);
 *   q = t * c6, the remainder r = (t - 6q) + tl (t - 6q exact with FMA, or
 *   with vmath.h's Dekker residual), result q + r*c6: < 0.5 ulp + ~2^-22 ulp.
 * |x| < 2^-30 (float) / 2^-60 (double) is computed on 0: the result
 * 1/2 + x/3 rounds to 1/2 there, and tl*c6 would underflow for tiny x.
 * xc = clamp(x, -3, 3) keeps 2x from overflowing on lanes that select 0 / 1.
 * Without FMA (SSE2) the float32 kernel computes in double
 * (AC_F32_VIA_F64): 2x + 3 is exact there, the product with 1/6 rounds
 * once in double, then once to float: < 0.5 ulp + 2^-28.
 * Limits: 0 at -inf, 1 at +inf.
 */
#ifdef AC_HAVE_FMA
AC_INLINE vf hardswish_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_clamp(x, -3.0f, 3.0f);
    xc = vf_select(vf_lt(vf_abs(x), vf_set1(0x1p-30f)), vf_zero(), xc);
    vf u = vf_add(xc, xc);
    vf t = vf_add(u, vf_set1(3.0f));
    vf tl = vf_sub(u, vf_sub(t, vf_set1(3.0f)));
    vf q = vf_mul(t, vf_set1(HSW_C6));
    vf r = vf_add(vf_nmuladd(q, vf_set1(6.0f), t), tl);
    vf y = vf_muladd(r, vf_set1(HSW_C6), q);
    y = vf_select(vf_ge(x, vf_set1(3.0f)), vf_set1(1.0f), y);
    return vf_select(vf_le(x, vf_set1(-3.0f)), vf_zero(), y);
}
#else
AC_INLINE vd hardswish_derivative_via_f64(vd x, const vd *p)
{
    (void)p;
    vd xc = vd_clamp(x, -3.0, 3.0);
    vd y = vd_mul(vd_add(vd_add(xc, xc), vd_set1(3.0)), vd_set1(1.0 / 6.0));
    y = vd_select(vd_ge(x, vd_set1(3.0)), vd_set1(1.0), y);
    return vd_select(vd_le(x, vd_set1(-3.0)), vd_zero(), y);
}
AC_F32_VIA_F64(hardswish_derivative_f32, 0, hardswish_derivative_via_f64)
#endif
AC_INLINE vf hardswish_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}
AC_INLINE vd hardswish_derivative_f64(vd x, const vd *p)
{
    (void)p;
    const vd c6 = vd_set1(1.0 / 6.0);
    vd xc = vd_clamp(x, -3.0, 3.0);
    xc = vd_select(vd_lt(vd_abs(x), vd_set1(0x1p-60)), vd_zero(), xc);
    vd u = vd_add(xc, xc);
    vd t = vd_add(u, vd_set1(3.0));
    vd tl = vd_sub(u, vd_sub(t, vd_set1(3.0)));
    vd q = vd_mul(t, c6);
    vd r = vd_add(vd_residual(q, vd_set1(6.0), t), tl);
    vd y = vd_muladd(r, c6, q);
    y = vd_select(vd_ge(x, vd_set1(3.0)), vd_set1(1.0), y);
    return vd_select(vd_le(x, vd_set1(-3.0)), vd_zero(), y);
}
AC_INLINE vd hardswish_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(hardswish, 0)
