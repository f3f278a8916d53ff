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

/* ---- derivative ------------------------------------------------------- */
/*
 * silu'(x) = g(beta x), g(t) = sigmoid(t) (1 + t sigmoid(-t)).  With
 * e = exp(-|t|) and R = 1/(1 + e):
 *     t > 0:   g = (1 + e (1 + t)) R^2       (all terms positive)
 *     t <= 0:  g = e (1 + t + e) R^2          (1 + t + e = 0 at the root)
 * so neither tail cancels: g -> 1 + (t - 1) e^-t and g -> (1 + t) e^t, both
 * relative-accurate down to the subnormals (the scaling of e by 2^k comes
 * last).  1 + e = d + dl exactly (e's scale capped at 2^-40 / 2^-120 there:
 * 1 + e changes by less than that relative), R = y0 + c to ~2^-28 / 2^-100
 * (y0 ~ 1/d, c from the residual), R^2 = h + l; 1 + t = u + ul exactly
 * (two-sum), the products carried with their low parts, so every term
 * reaches the result with ~2^-27 / 2^-100 relative error and the result is
 * rounded once (plus e's error, weighted by <= 1): < 1 ulp.
 * Around the root t0 = -1.2784645... (1 + t0 + e^t0 = 0), 1 + t + e cancels
 * to |t - t0|, and e's error, relative to the result, grows as
 * 1/|t - t0|: for |t - t0| < 1/32 (float: 1/16) the kernels use instead
 *     g(t0 + d) = d Q(d),  d = (t - T0_HI) + (tl - T0_LO)
 * (t - T0_HI exact, Sterbenz), Q from fit silu_d_root_f32 / _f64 with its
 * c0 as C0 + C0_LO: d C0 rounded once, the rest < 0.2 of it: < 0.7 ulp up to
 * the root itself.
 * Caps where g has rounded: t > 30 (float) / 40 (double): 1 + (t-1) e^-t
 * is 1 to < 2^-38 / 2^-52; t < -110 / -800: |1 + t| e^t < 2^-151 / 2^-1145.
 * The helpers (silu_slope_f64, silu_slope_t_f32) live in ../silu_slope.h,
 * shared with quick_gelu'(x) = g(1.702 x).
 *
 * float32, beta = 1 in every lane (t = x exactly; tested once per vector):
 * in float, e from vmath.h's table exp (FMA ISAs; ~0.1 u) or polynomial exp
 * (SSE2; < 1 u), silu_slope_t_f32.
 * float32, any other beta: silu_slope_f64 on the exact double product
 * beta*x, rounded once (~0.5 ulp).
 * float64: t + tl = beta*x exactly (two_prod) on x clamped to
 * |beta x| <= 1000 (beta below 2^-900 taken as 0: g = 1/2), and t = tl = 0
 * where |beta x| < 2^-60 (g = 1/2 + t/2 rounds to 1/2; tl could underflow).
 */
#include "../silu_slope.h"

AC_INLINE vd silu_derivative_f64(vd x, const vd *p)
{
    vd ab = vd_abs(p[0]);
    vd b = vd_select(vd_lt(ab, vd_set1(0x1p-900)), vd_zero(), p[0]);
    vd c = vd_div(vd_set1(1000.0), vd_max(ab, vd_set1(0x1p-900)));
    vd xc = vd_min(vd_max(x, vd_neg(c)), c);
    /* |beta x| < 2^-60 (|x| < 2^-60 / max(|beta|, 1)): t = 0 */
    vd tiny = vd_div(vd_set1(0x1p-60), vd_max(ab, vd_set1(1.0)));
    xc = vd_select(vd_lt(vd_abs(xc), tiny), vd_zero(), xc);
    vd tl, t = vd_two_prod(b, xc, &tl);
    return silu_slope_f64(t, tl);
}
AC_INLINE vd silu_derivative_f64_inf(vd x, const vd *p)
{
    /* beta x -> +inf: 1; -> -inf: 0; beta = 0: 1/2 */
    vd bx = vd_mul(vd_copysign(vd_set1(1.0), x), p[0]);
    return vd_select(vd_gt(bx, vd_zero()), vd_set1(1.0), vd_select(vd_lt(bx, vd_zero()), vd_zero(), vd_set1(0.5)));
}

/* One double half of the general-beta float32 kernel: beta*x is exact. */
AC_INLINE vd silu_derivative_f32_half(vd x, vd beta)
{
    vd t = vd_mul(beta, x);
    t = vd_select(vd_lt(vd_abs(t), vd_set1(0x1p-60)), vd_zero(), t); /* float products: |t| >= 2^-298 or 0 */
    return silu_slope_f64(t, vd_zero());
}
AC_INLINE vf silu_derivative_f32(vf x, const vf *p)
{
    if (AC_LIKELY(!mf_any(mf_not(vf_eq(p[0], vf_set1(1.0f)))))) return silu_slope_t_f32(x, vf_zero(), 0);
    vd xl, xh, bl, bh;
    vf_widen(x, &xl, &xh);
    vf_widen(p[0], &bl, &bh);
    return vf_narrow(silu_derivative_f32_half(xl, bl), silu_derivative_f32_half(xh, bh));
}
AC_INLINE vf silu_derivative_f32_inf(vf x, const vf *p)
{
    vf bx = vf_mul(vf_copysign(vf_set1(1.0f), x), p[0]);
    return vf_select(vf_gt(bx, vf_zero()), vf_set1(1.0f), vf_select(vf_lt(bx, vf_zero()), vf_zero(), vf_set1(0.5f)));
}

AC_DERIVATIVES(silu, 1)
