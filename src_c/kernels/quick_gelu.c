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
 * silu derivative's g.  silu_slope_f64 below is silu.c's (same code, a
 * vmath.h candidate; error analysis, root window and caps there): g(t + tl)
 * with t + tl = 1.702 x as a double-double, < 1 ulp, relative-accurate in
 * both tails and up to the root t0 = -1.2785 (x = -0.7512).
 * float64: t + tl = two_prod(x, double(1.702)) + x * QG_D_LO on x clamped to
 * +-500 (|t| <= 851, beyond g's caps), and 0 for |x| < 2^-60 (g = 1/2).
 * float32: the same on the widened x, rounded once (~0.5 ulp): torch has no
 * fused quick_gelu backward to race (autograd runs 4-5 kernels).
 */
#define SILU_T0_HI_D -0x1.474973c84120bp+0 /* fit silu_d_root_f64 */
#define SILU_T0_LO_D -0x1.f8d74bc9ac154p-54
#define SILU_C0_LO_D -0x1.253fe7b1410ecp-58

/* a + b = s + *err exactly */
AC_INLINE vd silu_two_sum_d(vd a, vd b, vd s)
{
    vd bb = vd_sub(s, a);
    return vd_add(vd_sub(a, vd_sub(s, bb)), vd_sub(b, bb));
}
/* g(t + tl) in double; t finite, |tl| <= ulp(t)/2, tl = 0 when |t| < 2^-60 */
AC_INLINE vd silu_slope_f64(vd t, vd tl)
{
    /* fit silu_d_root_f64: Q(d) = c[0] + ... + c[8] d^8 */
    static const double c[9] = {
        0x1.be1410460527fp-3, 0x1.2c563458cc0adp-3, 0x1.353eb573ca457p-6, -0x1.f2d0e32bc46cdp-7,
        -0x1.b0f82c498d636p-8, 0x1.098e994c37f02p-13, 0x1.a2a7ca8b578b6p-11, 0x1.8551bf2f0fb8ep-13,
        -0x1.571f87c1a3e46p-15};
    const vd one = vd_set1(1.0);
    md pos = vd_gt(t, vd_zero());
    vd cap = vd_select(pos, vd_set1(40.0), vd_set1(800.0));
    md capped = vd_gt(vd_abs(t), cap);
    vd a = vd_min(vd_abs(t), cap);
    vd tc = vd_copysign(a, t);
    vd tlc = vd_select(capped, vd_zero(), tl);
    /* e = exp(-|t + tl|) = (p + pl) 2^n */
    vd n, pl, p = vd_exp_parts(vd_neg(a), vd_select(pos, vd_neg(tlc), tlc), &pl, &n);
    vd S = vd_pow2i(vd_max(n, vd_set1(-120.0)));
    vd E = vd_mul(S, p), El = vd_mul(S, pl); /* exact */
    vd d = vd_add(one, E);
    vd dl = vd_add(vd_add(vd_sub(one, d), E), El);
    vd y0 = vd_div(one, d);
    vd cr = vd_mul(vd_nmuladd(y0, dl, vd_residual(y0, d, one)), y0);
    vd l0, h = vd_two_prod(y0, y0, &l0);
    vd l = vd_muladd(vd_add(y0, y0), cr, l0);
    /* u + ul = 1 + t + tl */
    vd u = vd_add(one, tc);
    vd ul = vd_add(silu_two_sum_d(one, tc, u), tlc);
    /* t > 0: N = 1 + E u = Nh + Nl (E u <= 1) */
    vd plo, ph = vd_two_prod(E, u, &plo);
    vd Nh = vd_add(one, ph);
    vd Nl = vd_add(vd_add(vd_sub(ph, vd_sub(Nh, one)), plo), vd_muladd(E, ul, vd_mul(El, u)));
    vd ypos = vd_fma_accurate(Nh, h, vd_muladd(Nh, l, vd_mul(Nl, h)));
    /* t <= 0: (p + pl) M R^2 2^n, M = u + E = Mh + Ml */
    vd Mh = vd_add(u, E);
    vd Ml = vd_add(silu_two_sum_d(u, E, Mh), vd_add(ul, El));
    vd vl, v = vd_two_prod(p, Mh, &vl);
    vd w = vd_add(vl, vd_muladd(p, Ml, vd_mul(pl, Mh)));
    vd yneg = vd_scale2(vd_fma_accurate(v, h, vd_muladd(v, l, vd_mul(w, h))), n);
    /* root window */
    vd dh = vd_sub(tc, vd_set1(SILU_T0_HI_D));
    vd dlo = vd_sub(tlc, vd_set1(SILU_T0_LO_D));
    vd dd = vd_add(dh, dlo);
    vd q = vd_set1(c[8]);
    for (int j = 7; j >= 1; j--) q = vd_muladd(q, dd, vd_set1(c[j]));
    vd rest = vd_muladd(dh, vd_set1(SILU_C0_LO_D), vd_mul(dlo, vd_set1(c[0])));
    vd yroot = vd_fma_accurate(dh, vd_set1(c[0]), vd_muladd(dd, vd_mul(dd, q), rest));
    vd y = vd_select(pos, ypos, yneg);
    return vd_select(vd_lt(vd_abs(dh), vd_set1(1.0 / 32)), yroot, y);
}

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
AC_F32_VIA_F64(quick_gelu_derivative_f32, 0, quick_gelu_derivative_f64)
AC_INLINE vf quick_gelu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

AC_DERIVATIVES(quick_gelu, 0)
