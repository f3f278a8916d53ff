/*
 * softplus(x, beta, threshold) = x                      if beta*x > threshold
 *                              = log1p(exp(beta*x)) / beta   otherwise
 * (p[0] = beta > 0, p[1] = threshold; torch semantics).
 *
 * Stable form: with t = beta*x and e = exp(-|t|) in (0, 1]:
 *     t > 0:  x + log1p(e)/beta        t <= 0:  log1p(e)/beta
 * (no overflow of exp(t), no cancellation).  The float32 kernel runs this in
 * double, where beta*x of two floats is exact: error ~0.5 u.  The threshold
 * test compares the exact product t + lo, as the float64 reference does.
 */
#include "../kernel_template.h"

AC_INLINE vd softplus_core(vd x, const vd *p)
{
    vd c = vd_div(vd_set1(750.0), p[0]); /* |beta*x| <= 750: exp(-750) = 0 already */
    vd xc = vd_min(vd_max(x, vd_neg(c)), c);
    vd lo, t = vd_two_prod(p[0], xc, &lo);
    md lin = md_or(vd_gt(t, p[1]), md_and(vd_eq(t, p[1]), vd_gt(lo, vd_zero())));
    md pos = vd_gt(t, vd_zero());
    vd e = vd_exp_lo(vd_neg(vd_abs(t)), vd_select(pos, vd_neg(lo), lo));
    vd l = vd_div(vd_log1p_unit(e), p[0]);
    vd y = vd_select(pos, vd_add(x, l), l);
    return vd_select(lin, x, y);
}

AC_F32_VIA_F64(softplus_f32, 2, softplus_core)
AC_INLINE vf softplus_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vd softplus_f64(vd x, const vd *p) { return softplus_core(x, p); }
AC_INLINE vd softplus_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(softplus, 2)
