/*
 * celu(x, alpha) = x if x > 0 else alpha * expm1(x / alpha)   (p[0] = alpha > 0).
 * The quotient q = x/alpha is rounded; its remainder r = x - q*alpha (exact
 * with FMA) gives the correction expm1(q + r/alpha) ~ expm1(q) + (r/alpha)*(1 + expm1(q)),
 * so the division's rounding does not add to the error.
 * For |x| < alpha * 2^-30, celu(x) = x (1 + x/(2 alpha) + ...) rounds to x:
 * those lanes return x and compute on 0 (x/alpha and its remainder could
 * underflow there).
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

AC_INLINE vf celu_f32(vf x, const vf *p)
{
    /* below -40*alpha expm1 is -1; the cap keeps x/alpha finite */
    vf xn = vf_max(vf_min(x, vf_zero()), vf_mul(p[0], vf_set1(-40.0f)));
    mf tiny = vf_lt(vf_abs(xn), vf_mul(p[0], vf_set1(0x1p-30f)));
    xn = vf_select(tiny, vf_zero(), xn);
    vf q = vf_div(xn, p[0]);
    vf dq = vf_div(vf_nmuladd(q, p[0], xn), p[0]);
    vf em = vf_expm1(q);
    em = vf_muladd(dq, vf_add(vf_set1(1.0f), em), em);
    return vf_select(vf_gt(x, vf_zero()), x, vf_select(tiny, x, vf_mul(p[0], em)));
}
AC_INLINE vf celu_f32_inf(vf x, const vf *p) { return vf_select(vf_gt(x, vf_zero()), x, vf_neg(p[0])); }
AC_INLINE vd celu_f64(vd x, const vd *p)
{
    vd xn = vd_max(vd_min(x, vd_zero()), vd_mul(p[0], vd_set1(-800.0)));
    md tiny = vd_lt(vd_abs(xn), vd_mul(p[0], vd_set1(0x1p-60)));
    xn = vd_select(tiny, vd_zero(), xn);
    vd q = vd_div(xn, p[0]);
    vd dq = vd_div(vd_nmuladd(q, p[0], xn), p[0]);
    vd em = vd_expm1(q);
    em = vd_muladd(dq, vd_add(vd_set1(1.0), em), em);
    return vd_select(vd_gt(x, vd_zero()), x, vd_select(tiny, x, vd_mul(p[0], em)));
}
AC_INLINE vd celu_f64_inf(vd x, const vd *p) { return vd_select(vd_gt(x, vd_zero()), x, vd_neg(p[0])); }

AC_FORWARD(celu, 1)

/* ---- derivative ------------------------------------------------------- */
/*
 * celu'(x) = 1 for x > 0, exp(x/alpha) for x <= 0 (celu'(0) = 1; torch's
 * celu backward is elu_backward with input scale 1/alpha: the x <= 0
 * branch).  Limits: 0 at -inf, 1 at +inf.
 * float32 on FMA ISAs with a lane permute (AVX2, AVX-512), for alpha in
 * [2^-60, 2^60]: q = xn * ra with ra ~ 1/alpha to 2^-22 (vf_recip14 and a
 * Newton step: no division), and its correction dq = (xn - q alpha) * ra
 * (the residual by FMA, |dq| < 2 ulp(q)), so the table-driven exp of vmath.h
 * sees x/alpha to ~2^-40 absolute (|q| <= 104); e^(q + dq) = (P + Pl)
 * 2^floor(s) (~0.1 u), P + Pl rounded once and scaled exactly by
 * vf_ldexp_floor (rounding only where the result is subnormal): < 0.6 ulp.
 * xn = max(min(x, 0), -104 alpha) (the result is below 2^-150 there; q
 * cannot overflow); |xn| < alpha 2^-30 is taken as 0 (e^q rounds to 1, and
 * the residual could underflow).
 * Other alphas (any lane), and SSE2, compute in double (AC_F32_VIA_F64):
 * q = x * (1/alpha) in double
 * (two roundings of 2^-53: an absolute error of q below 2^-44 for
 * |q| <= 200, the cap, where the result is far below float's subnormals),
 * vd_exp_lp (< 2^-33), rounded once to float: < 0.5 ulp + 2^-8 ulp.  No
 * double intermediate can under- or overflow for any float x, alpha > 0.
 * float64: q = xn/alpha as xn * (1/alpha) plus the remainder correction
 * dq = (xn - q alpha) * (1/alpha) (the residual exact with FMA / Dekker),
 * so exp(q + dq) from vd_exp_parts sees the quotient to ~2^-100; the pair
 * p + pl is rounded once and scaled exactly: < 1 u.  xn = max(min(x, 0),
 * -800 alpha) (an exact product: x/alpha cannot overflow, and the result is
 * 0 below -745 alpha); |xn| < alpha 2^-60 is taken as 0 (exp rounds to 1,
 * and the quotient could underflow).
 */
AC_INLINE vd celu_derivative_via_f64(vd x, const vd *p)
{
    vd q = vd_mul(vd_min(x, vd_zero()), vd_div(vd_set1(1.0), p[0]));
    vd e = vd_exp_lp(vd_max(q, vd_set1(-200.0)));
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), e);
}
#ifdef AC_EXPF_TABLE
AC_F32_VIA_F64(celu_derivative_f32_wide, 1, celu_derivative_via_f64)
AC_INLINE vf celu_derivative_f32(vf x, const vf *p)
{
    vf a = p[0];
    if (AC_UNLIKELY(mf_any(mf_or(vf_lt(a, vf_set1(0x1p-60f)), vf_gt(a, vf_set1(0x1p60f))))))
        return celu_derivative_f32_wide(x, p);
    /* 1/alpha to ~2^-22 (estimate + Newton steps, no division in the loop):
     * q need not be the rounded quotient, dq restores it */
    vf ra = vf_recip14(a);
    ra = vf_muladd(ra, vf_nmuladd(ra, a, vf_set1(1.0f)), ra);
    vf xn = vf_max(vf_min(x, vf_zero()), vf_mul(a, vf_set1(-104.0f)));
    xn = vf_select(vf_lt(vf_abs(xn), vf_mul(a, vf_set1(0x1p-30f))), vf_zero(), xn);
    vf q = vf_mul(xn, ra);
    vf dq = vf_mul(vf_nmuladd(q, a, xn), ra);
    vf Pl, s, P = vf_expt_parts(q, dq, 1, 0, &Pl, &s);
    vf y = vf_ldexp_floor(vf_add(P, Pl), s);
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), y);
}
#else
AC_F32_VIA_F64(celu_derivative_f32, 1, celu_derivative_via_f64)
#endif
AC_INLINE vf celu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}
AC_INLINE vd celu_derivative_f64(vd x, const vd *p)
{
    vd ra = vd_div(vd_set1(1.0), p[0]);
    vd xn = vd_max(vd_min(x, vd_zero()), vd_mul(p[0], vd_set1(-800.0)));
    xn = vd_select(vd_lt(vd_abs(xn), vd_mul(p[0], vd_set1(0x1p-60))), vd_zero(), xn);
    vd q = vd_mul(xn, ra);
    vd dq = vd_mul(vd_residual(q, p[0], xn), ra);
    vd n, pl, pe = vd_exp_parts(q, dq, &pl, &n);
    vd y = vd_scale2(vd_add(pe, pl), n);
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), y);
}
AC_INLINE vd celu_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(celu, 1)
