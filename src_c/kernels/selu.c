/*
 * selu(x) = scale * x if x > 0 else scale * alpha * expm1(x), with the
 * constants of Klambauer et al.:
 *   alpha = 1.6732632423543772848..., scale = 1.0507009873554804934...
 * float32 computes in double (AC_F32_VIA_F64): there expm1 (< 1.5 ulp of
 * double) and the products with the nearest-double constants (2^-53 each)
 * are far below float's half ulp, so the result is rounded once: < 0.51 ulp
 * (in float, expm1's ~1 ulp plus the product's rounding reached 1.7 ulp).
 * float64: the same formula, < 3 ulp.  The positive branch multiplies
 * max(x, 0), so negative lanes never overflow; expm1 returns x itself for
 * tiny x, so nothing underflows.
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

/* scale and scale*alpha, nearest doubles */
#define SELU_SCALE_D 0x1.0cfabd6a91132p+0
#define SELU_SA_D 0x1.c212cc640f031p+0

AC_INLINE vd selu_core(vd x, const vd *p)
{
    (void)p;
    vd em = vd_expm1(vd_min(x, vd_zero()));
    return vd_select(vd_gt(x, vd_zero()), vd_mul(vd_max(x, vd_zero()), vd_set1(SELU_SCALE_D)), vd_mul(em, vd_set1(SELU_SA_D)));
}
AC_F32_VIA_F64(selu_f32, 0, selu_core)
AC_INLINE vf selu_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), x, vf_set1((float)-SELU_SA_D));
}
AC_INLINE vd selu_f64(vd x, const vd *p) { return selu_core(x, p); }
AC_INLINE vd selu_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), x, vd_set1(-SELU_SA_D));
}

AC_FORWARD(selu, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * selu'(x) = scale for x > 0, scale*alpha*exp(x) for x <= 0 (selu'(0) =
 * scale*alpha, as torch's elu_backward: the x <= 0 branch).  Limits: 0 at
 * -inf, scale at +inf.
 * float32 on FMA ISAs with a lane permute (AVX2, AVX-512): vmath.h's
 * table-driven exp, e^x = (P + Pl) 2^floor(s) (~0.1 u), times scale*alpha
 * as a float pair, summed with one rounding (FMAs) and scaled exactly by
 * vf_ldexp_floor (rounding only where the result is subnormal): < 0.6 ulp;
 * x capped at -110 (the result is below 2^-150 there).  Elsewhere (SSE2)
 * in double (AC_F32_VIA_F64): SELU_SA_D * vd_exp_lp (< 2^-33 + 2^-53)
 * rounded once to float, < 0.5 ulp + 2^-8 ulp; x capped at -200 (the result
 * is far below float's subnormals there; the double product never
 * underflows).
 * float64: scale*alpha carried as SELU_SA_D + SELU_SA_LO_D (the pair's
 * error < 2^-106), times exp(x) = (p + pl) 2^n from vd_exp_parts, summed
 * with one rounding before the exact scaling by 2^n (|SA p| >= 0.5):
 * < 1 u.  x capped at -800 (vd_exp_parts' domain; the result is 0 there).
 */
/* scale*alpha - SELU_SA_D, nearest double (mpmath, 50 digits) */
#define SELU_SA_LO_D 0x1.05161b045a1fep-56

AC_INLINE vd selu_derivative_via_f64(vd x, const vd *p)
{
    (void)p;
    vd e = vd_exp_lp(vd_max(vd_min(x, vd_zero()), vd_set1(-200.0)));
    return vd_select(vd_gt(x, vd_zero()), vd_set1(SELU_SCALE_D), vd_mul(vd_set1(SELU_SA_D), e));
}
#ifdef AC_EXPF_TABLE
/* scale*alpha as a float pair: SELU_SA_F + SELU_SA_LO_F within 2^-48 relative */
#define SELU_SA_F ((float)SELU_SA_D)
#define SELU_SA_LO_F ((float)(SELU_SA_D - (double)(float)SELU_SA_D))
AC_INLINE vf selu_derivative_f32(vf x, const vf *p)
{
    (void)p;
    const vf c = vf_set1(SELU_SA_F);
    vf Pl, s, P = vf_expt_parts(vf_max(vf_min(x, vf_zero()), vf_set1(-110.0f)), vf_zero(), 0, 0, &Pl, &s);
    vf v = vf_muladd(c, P, vf_muladd(c, Pl, vf_mul(vf_set1(SELU_SA_LO_F), P)));
    return vf_select(vf_gt(x, vf_zero()), vf_set1((float)SELU_SCALE_D), vf_ldexp_floor(v, s));
}
#else
AC_F32_VIA_F64(selu_derivative_f32, 0, selu_derivative_via_f64)
#endif
AC_INLINE vf selu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1((float)SELU_SCALE_D), vf_zero());
}
AC_INLINE vd selu_derivative_f64(vd x, const vd *p)
{
    (void)p;
    vd n, pl, pe = vd_exp_parts(vd_max(vd_min(x, vd_zero()), vd_set1(-800.0)), vd_zero(), &pl, &n);
    vd lo = vd_muladd(vd_set1(SELU_SA_D), pl, vd_mul(vd_set1(SELU_SA_LO_D), pe));
    vd y = vd_scale2(vd_muladd(vd_set1(SELU_SA_D), pe, lo), n);
    return vd_select(vd_gt(x, vd_zero()), vd_set1(SELU_SCALE_D), y);
}
AC_INLINE vd selu_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(SELU_SCALE_D), vd_zero());
}

AC_DERIVATIVES(selu, 0)
