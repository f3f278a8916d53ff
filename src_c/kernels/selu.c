/*
 * selu(x) = scale * x if x > 0 else scale * alpha * expm1(x), with the
 * constants of Klambauer et al.:
 *   alpha = 1.6732632423543772848..., scale = 1.0507009873554804934...
 * Each constant product is applied as c_hi * v + c_lo * v (c_hi + c_lo = c
 * to ~2^-48), so the float rounding of the constant (0.55 u for scale
 * alone) does not add to the error: <= 0.5 u + expm1's 1 u.  For
 * |v| < 2^-90 the c_lo * v term is dropped (it would underflow: a spurious
 * flag); v * c_hi alone is within 1 ulp there.
 */
#include "../kernel_template.h"

/* scale and scale*alpha split into float hi + lo parts (hi + lo within
 * 5e-16 of the true constants); _D are the nearest doubles */
#define SELU_SCALE_HI 0x1.0cfabep+0f
#define SELU_SCALE_LO -0x1.2adddap-25f
#define SELU_SA_HI 0x1.c212ccp+0f
#define SELU_SA_LO 0x1.903c0cp-26f
#define SELU_SCALE_D 0x1.0cfabd6a91132p+0
#define SELU_SA_D 0x1.c212cc640f031p+0

AC_INLINE vf selu_f32(vf x, const vf *p)
{
    (void)p;
    vf em = vf_expm1(vf_min(x, vf_zero()));
    vf xp = vf_max(x, vf_zero()); /* the negative lanes must not overflow here */
    vf pos = vf_muladd(xp, vf_set1(SELU_SCALE_HI), vf_mul(vf_flush_tiny(xp, xp, 0x1p-90f), vf_set1(SELU_SCALE_LO)));
    vf neg = vf_muladd(em, vf_set1(SELU_SA_HI), vf_mul(vf_flush_tiny(em, em, 0x1p-90f), vf_set1(SELU_SA_LO)));
    return vf_select(vf_gt(x, vf_zero()), pos, neg);
}
AC_INLINE vf selu_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), x, vf_set1(-(SELU_SA_HI + SELU_SA_LO)));
}
AC_INLINE vd selu_f64(vd x, const vd *p)
{
    (void)p;
    vd em = vd_expm1(vd_min(x, vd_zero()));
    return vd_select(vd_gt(x, vd_zero()), vd_mul(vd_max(x, vd_zero()), vd_set1(SELU_SCALE_D)), vd_mul(em, vd_set1(SELU_SA_D)));
}
AC_INLINE vd selu_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), x, vd_set1(-SELU_SA_D));
}

AC_FORWARD(selu, 0)
