/*
 * silu(x, beta) = x * sigmoid(beta * x)   (p[0] = beta; swish).
 *
 * beta = 1 (the default, torch's F.silu) takes t = x exactly; the check is
 * one compare per vector on a loop-invariant parameter.  Otherwise t = beta*x
 * is carried as an exact double-float pair (two_prod), so the rounding of
 * the product does not grow into |t| ulps of exp(-|t|) in the tail.  With
 * e = exp(-|t|): x*sigmoid(t) = (t > 0 ? x : x*e) / (1 + e) (vmath.h
 * vf_mul_sigmoid).  The sigmoid argument uses x clamped to |beta*x| <= 1000
 * (1500 in float64: far enough that x * sigmoid there is 0 for any x), so
 * beta*x never overflows, and 0 for
 * |x| < 2^-60, where the result is x/2 and beta*x's low part could underflow.
 */
#include "../kernel_template.h"

AC_INLINE vf silu_f32(vf x, const vf *p)
{
    if (AC_LIKELY(!mf_any(mf_not(vf_eq(p[0], vf_set1(1.0f)))))) return vf_x_sigmoid(x);
    vf c = vf_div(vf_set1(1000.0f), vf_max(vf_abs(p[0]), vf_set1(0x1p-100f)));
    vf xc = vf_flush_tiny(vf_min(vf_max(x, vf_neg(c)), c), x, 0x1p-60f);
    vf lo, t = vf_two_prod(p[0], xc, &lo);
    return vf_mul_sigmoid(x, t, lo);
}
AC_INLINE vf silu_f32_inf(vf x, const vf *p)
{
    /* x*sigmoid(beta*x): the side where beta*x -> -inf goes to 0, the other to x */
    vf bx = vf_mul(vf_copysign(vf_set1(1.0f), x), p[0]);
    return vf_select(vf_lt(bx, vf_zero()), vf_zero(), x);
}
AC_INLINE vd silu_f64(vd x, const vd *p)
{
    /* |beta*x| <= 1500: sigmoid(-1500) < 2^-2164, so x * it is 0 for every double x */
    vd c = vd_div(vd_set1(1500.0), vd_max(vd_abs(p[0]), vd_set1(0x1p-900)));
    vd xc = vd_flush_tiny(vd_min(vd_max(x, vd_neg(c)), c), x, 0x1p-900);
    vd lo, t = vd_two_prod(p[0], xc, &lo);
    return vd_mul_sigmoid(x, t, lo);
}
AC_INLINE vd silu_f64_inf(vd x, const vd *p)
{
    vd bx = vd_mul(vd_copysign(vd_set1(1.0), x), p[0]);
    return vd_select(vd_lt(bx, vd_zero()), vd_zero(), x);
}

AC_FORWARD(silu, 1)
