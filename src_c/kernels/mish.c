/*
 * mish(x) = x * tanh(softplus(x)).
 * With w = 1 + e^x, tanh(log w) = (w^2 - 1)/(w^2 + 1); written per tail with
 * e = exp(-|x|) so that nothing overflows or cancels:
 *     x <= 0 (e = e^x):   n = e*(e + 2),  ratio = n / (n + 2)
 *     x > 0  (e = e^-x):  ratio = (1 + 2e) / (1 + 2e + 2e^2)
 * mish = x * ratio.  For x > 40 the ratio rounds to 1 (|x| capped there, so
 * exp never underflows for positive x).  Float32 computes in double (~0.5 u):
 * down to x = -104 the float result x*e^x is still normal while e^x is not.
 */
#include "../kernel_template.h"

AC_INLINE vd mish_core(vd x, const vd *p)
{
    (void)p;
    md pos = vd_gt(x, vd_zero());
    vd a = vd_abs(x);
    vd e = vd_exp(vd_neg(vd_select(pos, vd_min(a, vd_set1(40.0)), a)));
    vd two_e = vd_add(e, e);
    vd n = vd_mul(e, vd_add(e, vd_set1(2.0)));
    vd neg = vd_div(n, vd_add(n, vd_set1(2.0)));
    vd num = vd_add(vd_set1(1.0), two_e);
    vd posr = vd_div(num, vd_muladd(two_e, e, num));
    return vd_mul(x, vd_select(pos, posr, neg));
}

AC_F32_VIA_F64(mish_f32, 0, mish_core)
AC_INLINE vf mish_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vd mish_f64(vd x, const vd *p) { return mish_core(x, p); }
AC_INLINE vd mish_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(mish, 0)
