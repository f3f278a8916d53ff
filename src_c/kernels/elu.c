/*
 * elu(x, alpha) = x if x > 0 else alpha * expm1(x)   (p[0] = alpha).
 * expm1 keeps the result relative-accurate near 0 (onnxruntime's
 * elu(-2e-31) returns 0); expm1 <= 1 u, times alpha 0.5 u.  expm1 is only
 * evaluated on min(x, 0), so positive lanes never overflow it.
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

AC_INLINE vf elu_f32(vf x, const vf *p)
{
    vf neg = vf_mul(p[0], vf_expm1(vf_min(x, vf_zero())));
    return vf_select(vf_gt(x, vf_zero()), x, neg);
}
AC_INLINE vf elu_f32_inf(vf x, const vf *p) { return vf_select(vf_gt(x, vf_zero()), x, vf_neg(p[0])); }
AC_INLINE vd elu_f64(vd x, const vd *p)
{
    vd neg = vd_mul(p[0], vd_expm1(vd_min(x, vd_zero())));
    return vd_select(vd_gt(x, vd_zero()), x, neg);
}
AC_INLINE vd elu_f64_inf(vd x, const vd *p) { return vd_select(vd_gt(x, vd_zero()), x, vd_neg(p[0])); }

AC_FORWARD(elu, 1)

/* ---- derivative ------------------------------------------------------- */
/*
 * elu'(x) = 1 for x > 0, alpha * exp(x) for x <= 0 (elu'(0) = alpha, as
 * torch's elu_backward: the x <= 0 branch).  Limits: 0 at -inf, 1 at +inf.
 *
 * float32 on FMA ISAs with a lane permute (AVX2, AVX-512), for
 * 2^-60 <= |alpha| <= 2^60: vmath.h's table-driven exp gives e^x =
 * (P + Pl) 2^floor(s) (~0.1 u), alpha*P + alpha*Pl is rounded once (one
 * FMA; |alpha P| in [2^-61, 2^62): no under- or overflow, and alpha*Pl is 0
 * or above 2^-107) and vf_ldexp_floor scales it exactly (rounding only
 * where the result is subnormal): < 0.6 ulp.  x is capped at -150, where
 * alpha e^x < 2^-150 for every such alpha.  The scale is applied last:
 * in float, e^x alone is subnormal near x = -87 while 2 e^x is still
 * normal (a spurious underflow, and lost bits).
 * Other alphas (any lane), and SSE2, compute in double (AC_F32_VIA_F64):
 * alpha (exact in double) times vmath_lowprec.h's vd_exp_lp (< 2^-33),
 * rounded once to float: < 0.5 ulp + 2^-8 ulp for every alpha; the double
 * product cannot under- or overflow (x capped at -200, where alpha e^x is
 * below float's subnormals for every float alpha).  About half the speed
 * of the float path on AVX-512.
 *
 * float64: exp(x) = (p + pl) 2^n from vmath.h's vd_exp_parts, alpha split
 * as m 2^e (|m| in [1, 2), by its exponent bits; subnormal alphas
 * pre-scaled by 2^200), result = (m p + m pl) 2^(n + e) with one scaling:
 * no under- or overflow of an intermediate for any alpha, < 1 u.
 */
AC_INLINE vd elu_derivative_via_f64(vd x, const vd *p)
{
    vd e = vd_exp_lp(vd_max(vd_min(x, vd_zero()), vd_set1(-200.0)));
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_mul(p[0], e));
}
#ifdef AC_EXPF_TABLE
AC_F32_VIA_F64(elu_derivative_f32_wide, 1, elu_derivative_via_f64)
AC_INLINE vf elu_derivative_f32(vf x, const vf *p)
{
    vf aa = vf_abs(p[0]);
    if (AC_UNLIKELY(mf_any(mf_or(vf_lt(aa, vf_set1(0x1p-60f)), vf_gt(aa, vf_set1(0x1p60f))))))
        return elu_derivative_f32_wide(x, p);
    vf Pl, s, P = vf_expt_parts(vf_max(vf_min(x, vf_zero()), vf_set1(-150.0f)), vf_zero(), 0, 0, &Pl, &s);
    vf y = vf_ldexp_floor(vf_muladd(p[0], P, vf_mul(p[0], Pl)), s);
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), y);
}
#else
AC_F32_VIA_F64(elu_derivative_f32, 1, elu_derivative_via_f64)
#endif
AC_INLINE vf elu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

/* a = m * 2^e, |m| in [1, 2) with a's sign (m = 0 for a = 0), e an integer
 * (as a double).  The exponent field is read through the 2^52 magic: its
 * bits plus those of 2^52 are the double 2^52 + E. */
AC_INLINE vd elu_split_pow2(vd a, vd *e)
{
    md sub = vd_lt(vd_abs(a), vd_set1(0x1p-1000));
    vd as = vd_select(sub, vd_mul(a, vd_set1(0x1p200)), a); /* exact */
    vdi ex = vdi_srl(vdi_and(vd_as_i(as), vdi_set1(0x7ff0000000000000LL)), 52);
    vd E = vd_sub(vdi_as_d(vdi_add(ex, vd_as_i(vd_set1(0x1p52)))), vd_set1(0x1p52));
    *e = vd_sub(E, vd_select(sub, vd_set1(1023.0 + 200.0), vd_set1(1023.0)));
    vd m = vd_or(vd_and(as, vdi_as_d(vdi_set1((long long)0x800fffffffffffffULL))), vd_set1(1.0));
    return vd_select(vd_eq(a, vd_zero()), vd_zero(), m);
}

/* alpha * exp(min(x, 0)) as above (shared with nothing else: selu and celu
 * have fixed or positive scales). */
AC_INLINE vd elu_derivative_f64(vd x, const vd *p)
{
    vd e, m = elu_split_pow2(p[0], &e);
    vd n, pl, pe = vd_exp_parts(vd_max(vd_min(x, vd_zero()), vd_set1(-800.0)), vd_zero(), &pl, &n);
    vd v = vd_muladd(m, pe, vd_mul(m, pl));
    vd y = vd_scale2(v, vd_max(vd_add(n, e), vd_set1(-2040.0)));
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), y);
}
AC_INLINE vd elu_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(elu, 1)
