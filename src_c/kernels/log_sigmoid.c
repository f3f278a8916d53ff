/*
 * log_sigmoid(x) = -softplus(-x) = min(x, 0) - log1p(exp(-|x|)).
 * Both terms have the same sign: no cancellation; for x > 0 the result is
 * -log1p(e), relative-accurate down to the subnormals.
 *
 * |x| is capped where the answer no longer depends on it, so that exp(-|x|)
 * underflows only when the result itself does: for x < -40 the log1p term
 * is below half an ulp of x (float and double); for x > 0 the cap is where
 * the result rounds to zero (float 104, double 746).
 *
 * float32: exactly -softplus(-x), with vmath_lowprec.h's pure-float
 * vf_softplus (two regions, < 1.1 ulp by analysis, 1.0 ulp measured over
 * all floats; its caps play the role of the ones above).
 *
 * float64: L = log1p(e), e = exp(-a) (vmath.h, < 1 u each).  The log1p
 * polynomial is evaluated at e_w = p * 2^max(n, -100) and the result scaled
 * by the remaining 2^(n - n_w): for e < 2^-100, log1p(e)/e = 1 - e/2 is 1 to
 * 2^-101, and Horner's c_k*e_w never underflows.  |x| < 2^-60 is flushed to
 * 0 (log1p(exp(-|x|)) = ln2 - |x|/2 is ln2 to 2^-61 relative) so that exp
 * never sees a subnormal argument.
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

AC_INLINE vf log_sigmoid_f32(vf x, const vf *p)
{
    (void)p;
    return vf_neg(vf_softplus(vf_neg(x)));
}
AC_INLINE vf log_sigmoid_f32_inf(vf x, const vf *p) { (void)p; return vf_min(x, vf_zero()); }

AC_INLINE vd log_sigmoid_f64(vd x, const vd *p)
{
    (void)p;
    vd a = vd_abs(x);
    a = vd_select(vd_lt(a, vd_set1(0x1p-60)), vd_zero(), a);
    a = vd_min(a, vd_select(vd_lt(x, vd_zero()), vd_set1(40.0), vd_set1(746.0)));
    vd n, pl, pe = vd_exp_parts(vd_neg(a), vd_zero(), &pl, &n);
    vd nw = vd_max(n, vd_set1(-100.0));
    vd lw = vd_log1p_unit(vd_scale2(pe, nw));
    return vd_sub(vd_min(x, vd_zero()), vd_scale2(lw, vd_sub(n, nw)));
}
AC_INLINE vd log_sigmoid_f64_inf(vd x, const vd *p) { (void)p; return vd_min(x, vd_zero()); }

AC_FORWARD(log_sigmoid, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * log_sigmoid'(x) = sigmoid(-x) = 1/(1 + e^x).
 * float32: vmath_lowprec.h's vf_sigmoid_lp (plain float, < 2.5 ulp measured;
 * half the cost of vmath.h's double-float vf_sigmoid, which the backward
 * pass needs to keep up with torch's, a single division by a stored
 * exp(-|x|)).
 * float64: vmath.h's vd_sigmoid (exp and the quotient in double-double,
 * rounded once: < 0.6 u + the final rounding).
 * Both follow e^-x into the subnormals as x -> +inf (an underflow flag only
 * where the result underflows).
 */
AC_INLINE vf log_sigmoid_derivative_f32(vf x, const vf *p) { (void)p; return vf_sigmoid_lp(vf_neg(x)); }
AC_INLINE vf log_sigmoid_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_lt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}
AC_INLINE vd log_sigmoid_derivative_f64(vd x, const vd *p)
{
    (void)p;
    /* |x| < 2^-60: sigmoid(-x) = 1/2 - x/4 rounds to 1/2; flushed so that no
     * subnormal x reaches exp's argument reduction (an underflow flag) */
    x = vd_select(vd_lt(vd_abs(x), vd_set1(0x1p-60)), vd_zero(), x);
    return vd_sigmoid(vd_neg(x));
}
AC_INLINE vd log_sigmoid_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_lt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(log_sigmoid, 0)
