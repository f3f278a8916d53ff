/*
 * gelu(x) = x * Phi(x) (erf form) and gelu_tanh(x) (tanh approximation).
 *
 * gelu: with a = |x|, Phi(-a) = exp(-a^2/2) * R(a), R(a) = erfc(a/sqrt2)/2 *
 * exp(a^2/2) smooth and bounded, approximated as a polynomial in
 * t = 1/(1 + a/2) (fit gelu_R_for_f32: 2.1e-9 relative on a in [0, 16]).
 *     x < 0: Phi = E          x >= 0: Phi = 1 - E   (E <= 1/2: no cancellation)
 * exp(-a^2/2) gets its argument exactly: a^2 of a float is exact in double.
 * Float32 computes in double (~0.5 u); a is capped at 16 (Phi(-16) = 6e-58).
 *
 * gelu_tanh: 1/2 (1 + tanh u) = sigmoid(2u), so gelu_tanh(x) = x * sigmoid(t),
 * t = x * (k0 + k1 x^2), k0 = 2 sqrt(2/pi), k1 = k0 * 0.044715.  No 1 + tanh
 * cancellation (torch returns -0.0 near x = -5).  Float32 computes t in
 * double (x^2 exact): the tail keeps full relative accuracy.
 */
#include "../kernel_template.h"

#define GELU_K0 0x1.9884533d43651p+0 /* 2*sqrt(2/pi) */
#define GELU_K1 0x1.2444f2a4d8b4bp-4 /* 2*sqrt(2/pi)*0.044715 */

AC_INLINE vd gelu_core(vd x, const vd *p)
{
    static const double c[13] = {
        -0x1.7cd98a56774a0p-22, 0x1.988b338a778f4p-3, 0x1.981b354cb1604p-3, 0x1.35a91983a15dbp-3,
        0x1.63fca41060300p-5, -0x1.e1da8d9a54d99p-5, -0x1.1679ee1d928a5p-6, -0x1.194cf7a36a99ep-1,
        0x1.7dec67e5c55aap+0, -0x1.c2cd3d9095c69p+0, 0x1.24769b74bfd5cp+0, -0x1.9bd0b165b48cep-2,
        0x1.f079e253bfcccp-5};
    (void)p;
    vd a = vd_min(vd_abs(x), vd_set1(16.0));
    vd t = vd_div(vd_set1(1.0), vd_muladd(a, vd_set1(0.5), vd_set1(1.0)));
    vd r = vd_set1(c[12]);
    for (int k = 11; k >= 0; k--) r = vd_muladd(r, t, vd_set1(c[k]));
    vd E = vd_mul(vd_exp(vd_mul(vd_set1(-0.5), vd_mul(a, a))), r);
    vd phi = vd_select(vd_lt(x, vd_zero()), E, vd_sub(vd_set1(1.0), E));
    return vd_mul(x, phi);
}

AC_F32_VIA_F64(gelu_f32, 0, gelu_core)
AC_INLINE vf gelu_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vd gelu_f64(vd x, const vd *p) { return gelu_core(x, p); }
AC_INLINE vd gelu_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_INLINE vd gelu_tanh_core(vd x, const vd *p)
{
    (void)p;
    vd xc = vd_clamp(x, -100.0, 100.0);
    vd t = vd_mul(xc, vd_muladd(vd_set1(GELU_K1), vd_mul(xc, xc), vd_set1(GELU_K0)));
    return vd_mul_sigmoid(x, t, vd_zero());
}

AC_F32_VIA_F64(gelu_tanh_f32, 0, gelu_tanh_core)
AC_INLINE vf gelu_tanh_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }
AC_INLINE vd gelu_tanh_f64(vd x, const vd *p) { return gelu_tanh_core(x, p); }
AC_INLINE vd gelu_tanh_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(gelu, 0)
AC_FORWARD(gelu_tanh, 0)
