/*
 * silu(x, beta) = x * sigmoid(beta * x)   (p[0] = beta; swish).
 *
 * t = beta*x is carried as an exact double-float pair (two_prod), so the
 * rounding of the product does not grow into |t| ulps of exp(-|t|) in the
 * tail.  With e = exp(-|t|): x*sigmoid(t) = (t > 0 ? x : x*e) / (1 + e).
 * The sigmoid argument uses x clamped to |beta*x| <= 1000 (the sigmoid is
 * saturated long before), so beta*x never overflows.
 */
#include "../kernel_template.h"

AC_INLINE vf silu_f32(vf x, const vf *p)
{
    vf c = vf_div(vf_set1(1000.0f), vf_abs(p[0]));
    vf xc = vf_min(vf_max(x, vf_neg(c)), c);
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
    vd c = vd_div(vd_set1(1000.0), vd_abs(p[0]));
    vd xc = vd_min(vd_max(x, vd_neg(c)), c);
    vd lo, t = vd_two_prod(p[0], xc, &lo);
    return vd_mul_sigmoid(x, t, lo);
}
AC_INLINE vd silu_f64_inf(vd x, const vd *p)
{
    vd bx = vd_mul(vd_copysign(vd_set1(1.0), x), p[0]);
    return vd_select(vd_lt(bx, vd_zero()), vd_zero(), x);
}

AC_FORWARD(silu, 1)
