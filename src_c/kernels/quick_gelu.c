/*
 * quick_gelu(x) = x * sigmoid(1.702 x).
 * 1.702 is not a float: it is split as C_HI + C_LO and t = 1.702*x is formed
 * as a double-float pair (two_prod(x, C_HI) plus x*C_LO), as in silu.c, on x
 * clamped to +-500 (+-1000 in float64; far enough that x * sigmoid(t) is 0
 * for any x there) and taken as 0 for |x| < 2^-60 (result x/2; the pair's
 * low part would underflow).
 */
#include "../kernel_template.h"

#define QG_HI 0x1.b3b646p+0f  /* float(1.702) */
#define QG_LO -0x1.78d4fep-26f /* float(1.702 - QG_HI) */
#define QG_D_LO 0x1.89374bc6a7efap-55 /* 1.702 - double(1.702) */

AC_INLINE vf quick_gelu_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_flush_tiny(vf_clamp(x, -500.0f, 500.0f), x, 0x1p-60f);
    vf lo, t = vf_two_prod(xc, vf_set1(QG_HI), &lo);
    lo = vf_muladd(xc, vf_set1(QG_LO), lo);
    return vf_mul_sigmoid(x, t, lo);
}
AC_INLINE vf quick_gelu_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vd quick_gelu_f64(vd x, const vd *p)
{
    (void)p;
    vd xc = vd_flush_tiny(vd_clamp(x, -1000.0, 1000.0), x, 0x1p-900);
    vd lo, t = vd_two_prod(xc, vd_set1(1.702), &lo);
    lo = vd_muladd(xc, vd_set1(QG_D_LO), lo);
    return vd_mul_sigmoid(x, t, lo);
}
AC_INLINE vd quick_gelu_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(quick_gelu, 0)
