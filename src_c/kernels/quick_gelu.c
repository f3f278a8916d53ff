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

/* ---- derivative ------------------------------------------------------- */
/*
 * quick_gelu'(x) = g(1.702 x), g(t) = sigmoid(t) (1 + t sigmoid(-t)): the
 * silu derivative's g.  silu_slope_f64 from ../silu_slope.h (error
 * analysis, root window and caps there): g(t + tl)
 * with t + tl = 1.702 x as a double-double, < 1 ulp, relative-accurate in
 * both tails and up to the root t0 = -1.2785 (x = -0.7512).
 * float64: t + tl = two_prod(x, double(1.702)) + x * QG_D_LO on x clamped to
 * +-500 (|t| <= 851, beyond g's caps), and 0 for |x| < 2^-60 (g = 1/2).
 * float32: see below.
 */
#include "../silu_slope.h"

AC_INLINE vd quick_gelu_derivative_f64(vd x, const vd *p)
{
    (void)p;
    vd xc = vd_flush_tiny(vd_clamp(x, -500.0, 500.0), x, 0x1p-60);
    vd tl, t = vd_two_prod(xc, vd_set1(1.702), &tl);
    tl = vd_muladd(xc, vd_set1(QG_D_LO), tl);
    return silu_slope_f64(t, tl);
}
AC_INLINE vd quick_gelu_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

/* float32: silu_slope_t_f32 on t + tl = 1.702 x formed as in the forward
 * (two_prod with QG_HI plus x QG_LO, x clamped to +-500 and 0 below
 * 2^-60): < 1.5 ulp. */
AC_INLINE vf quick_gelu_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vf xc = vf_flush_tiny(vf_clamp(x, -500.0f, 500.0f), x, 0x1p-60f);
    vf lo, t = vf_two_prod(xc, vf_set1(QG_HI), &lo);
    lo = vf_muladd(xc, vf_set1(QG_LO), lo);
    return silu_slope_t_f32(t, lo, 1);
}
AC_INLINE vf quick_gelu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

AC_DERIVATIVES(quick_gelu, 0)
