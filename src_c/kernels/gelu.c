/*
 * gelu(x) = x Phi(x) (erf form) and gelu_tanh(x) = x sigmoid(t(x)),
 * t(x) = K0 x + K1 x^3, K0 = 2 sqrt(2/pi), K1 = 0.044715 K0 (the tanh form
 * 1/2 (1 + tanh u) is sigmoid(2u): no 1 + tanh cancellation).  Both are
 * x F(x) with F(-a) = G(a) <= 1/2 for a >= 0 and F(a) = 1 - G(a), so with
 * a = |x| and H(a) = a G(a)
 *
 *     y = max(x, 0) - H(a)                                          (*)
 *
 * (computed as max(-0, x): x86 max returns its second operand for equal
 * zeros, so gelu(-0) = -0 like x Phi(x)),
 * for either sign.  x < 0 gives -H(a), which must keep its relative accuracy
 * down to where y underflows; x > 0 gives x - H(x) with H <= x/2, no
 * cancellation (H's error reaches y damped by G/(1-G) <= 1).
 * gelu: G = Phi(-a) = erfc(a/sqrt2)/2.  gelu_tanh: G = sigmoid(-t(a)).
 *
 * float32 fast path, taken when every lane has x >= -A: H itself from 32
 * degree-7 polynomials in d = a - c_i (fits gelu_H_table_f32 /
 * gelu_tanh_H_table_f32, <= 0.3 u).  No exp, no division: ~22 vector
 * instructions per vector on AVX-512.
 *  - Row i = round(a (k1 a^m + k2)): one or two FMAs adding 1.5*2^23, whose
 *    low mantissa bits are then i; k1, k2 space the rows so that log H
 *    varies by about 1.5 across each, out to A (8.56 gelu, 7.74 gelu_tanh).
 *  - c_i is a float in [hi/2, 2 lo] of its row, so d = a - c_i is exact
 *    (Sterbenz; row 0 has c = 0 and H(0) = 0: d = a and the polynomial has
 *    no constant term, exact to the smallest a).  c_i is placed where the
 *    polynomial's value and first two derivatives are floats to 0.05 u (the
 *    large low-order terms carry no rounding) and balances the one error of
 *    Horner's last step c0 + d S that is not the final rounding: S's
 *    rounding, amplified by |d S / H| (~0.5-1).
 *  - The last Horner step is the final rounding for x < 0: -H rounded once,
 *    ~1 ulp in all (x > 0 adds the subtraction's rounding).
 *  - Lookups: AVX-512 permutes two registers per coefficient (vpermt2ps
 *    reads the low 5 bits of the index); AVX2 four 8-entry permutes merged
 *    by index bits; SSE2 and the one-lane backend load lane by lane.
 *  - a is clamped at A: H(A) < 2^-40 x, so (*) gives x exactly for x > A.
 *    A vector with a lane below -A also runs the slow path (~3% of vectors of
 *     N(0, 3^2) data for gelu, ~7% for gelu_tanh) and takes it for those lanes only.
 *
 * float32 slow path and float64 (any x), exp-based, final scaling by 2^k
 * last so subnormal results round once:
 *  - gelu: Phi(-a) = exp(-a^2/2) R(a), R(a) = erfc(a/sqrt2)/2 exp(a^2/2) ~
 *    1/a, smooth: R from 32 (float32) / 84 (float64) polynomials in
 *    d = a - c_i, row from the exponent and top mantissa bits of a + 1 (fits
 *    gelu_R_table_f32 / _f64); a^2/2 exact (two_prod) into exp's reduction,
 *    exp(-a^2/2) = 2^k (1 + m), m = r + r^2 P(r) (fit exp_f32 / exp_f64); R
 *    from its last Horner step as rh + rl, and R (1 + m) = rh + (rh m + rl),
 *    so a R (1 + m) rounds once: ~1 ulp.
 *  - gelu_tanh: t = a (K0 + K1 a^2) as th + tl (double-float / double-double,
 *    ~2^-44 / 2^-100 relative: t reaches 110 / 800, where a rounded t would
 *    cost ~100 / 800 ulp), G = E/(1 + E) with E = exp(-t) = (p + pl) 2^n and
 *    the quotient corrected by its residual, as vmath's sigmoid: ~1 ulp.
 *
 * Flags.  Tiny a (< 2^-29 float32, 2^-250 / 2^-400 float64) is replaced by 0
 * inside G (G(0) = 1/2 exactly; the products that could underflow vanish)
 * while (*) multiplies by the true a.  For x > 0 the 2^k scaling of H is
 * capped (H < 2^-39 x no longer changes x - H), so nothing underflows when
 * the result is normal; for x < 0 the one underflow is the final scaling,
 * when the result is below the normal range.  Without FMA (SSE2) the fast
 * path's Horner products s*d would round into the subnormals for tiny a:
 * there d is flushed to 0 below 2^-60 except in the last step.
 */
#include "../kernel_template.h"

/* ------------------------------------------------------------------------ */
/* 32-entry float table lookup by a per-lane index (its low 5 bits).  An    */
/* index is prepared once (gelu_ixf_make) and serves every coefficient.     */
/* ------------------------------------------------------------------------ */
#if defined(AC_ISA_AVX512)
typedef __m512i gelu_ixf;
AC_INLINE gelu_ixf gelu_ixf_make(vfi i) { return i; }
AC_INLINE vf gelu_lut32(const float *t, gelu_ixf i)
{
    return _mm512_permutex2var_ps(_mm512_load_ps(t), i, _mm512_load_ps(t + 16));
}
#elif defined(AC_ISA_AVX2)
/* four 8-entry permutes, merged by index bits 3 and 4 (moved to the sign
 * bits that blendv reads); cheaper than a gather here, and unaffected by
 * the gather microcode mitigations of older cores */
typedef struct { __m256i i; __m256 m3, m4; } gelu_ixf;
AC_INLINE gelu_ixf gelu_ixf_make(vfi i)
{
    gelu_ixf r;
    r.i = i;
    r.m3 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 28));
    r.m4 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 27));
    return r;
}
AC_INLINE vf gelu_lut32(const float *t, gelu_ixf i)
{
    vf v0 = _mm256_permutevar8x32_ps(_mm256_load_ps(t), i.i);
    vf v1 = _mm256_permutevar8x32_ps(_mm256_load_ps(t + 8), i.i);
    vf v2 = _mm256_permutevar8x32_ps(_mm256_load_ps(t + 16), i.i);
    vf v3 = _mm256_permutevar8x32_ps(_mm256_load_ps(t + 24), i.i);
    return _mm256_blendv_ps(_mm256_blendv_ps(v0, v1, i.m3), _mm256_blendv_ps(v2, v3, i.m3), i.m4);
}
#elif defined(AC_ISA_SSE2)
typedef struct { int32_t i[4]; } gelu_ixf;
AC_INLINE gelu_ixf gelu_ixf_make(vfi i)
{
    gelu_ixf r;
    _mm_storeu_si128((__m128i *)r.i, _mm_and_si128(i, _mm_set1_epi32(31)));
    return r;
}
AC_INLINE vf gelu_lut32(const float *t, gelu_ixf i)
{
    return _mm_setr_ps(t[i.i[0]], t[i.i[1]], t[i.i[2]], t[i.i[3]]);
}
#else
typedef vfi gelu_ixf;
AC_INLINE gelu_ixf gelu_ixf_make(vfi i) { return i & 31; }
AC_INLINE vf gelu_lut32(const float *t, gelu_ixf i) { return t[i]; }
#endif

/* a*b + c rounded about once: the FMA, or without one Dekker's exact
 * product and a two-sum (error ~0.5 ulp + 2^-44 relative).  For the few
 * steps whose rounding reaches the result undamped. */
AC_INLINE vf gelu_fma_f32(vf a, vf b, vf c)
{
#ifdef AC_HAVE_FMA
    return vf_muladd(a, b, c);
#else
    vf pl, ph = vf_two_prod(a, b, &pl);
    vf s = vf_add(ph, c), bb = vf_sub(s, ph);
    vf e = vf_add(vf_sub(ph, vf_sub(s, bb)), vf_sub(c, bb));
    return vf_add(s, vf_add(e, pl));
#endif
}

#if defined(_MSC_VER)
#define GELU_ALIGN __declspec(align(64))
#define GELU_ALIGN_POST
#else
#define GELU_ALIGN
#define GELU_ALIGN_POST __attribute__((aligned(64)))
#endif

/* gelu_H_table_f32: a Phi(-a) = P_i(a - c_i), i = round(a (0.3125 a + 1)); degree 7, 32 intervals;
 * max rel. error with rounded coefficients 9.95e-09 (0.167 u), u = 2^-24. Row 0: c_i, row k+1:
 * coefficient of d^k. */
GELU_ALIGN static const float GELU_H32[9][32] GELU_ALIGN_POST = {
    {0x0p+0f, 0x1.c20c6cp-1f, 0x1.75f46ep+0f, 0x1.f0c22cp+0f, 0x1.2f20aep+1f, 0x1.60821ep+1f,
     0x1.8dea7ep+1f, 0x1.b83bc6p+1f, 0x1.dfc0e2p+1f, 0x1.028502p+2f, 0x1.13f5bcp+2f, 0x1.2535a8p+2f,
     0x1.357e7ap+2f, 0x1.45202cp+2f, 0x1.544768p+2f, 0x1.62e172p+2f, 0x1.70e6fap+2f, 0x1.7ea0d4p+2f,
     0x1.8bf28ap+2f, 0x1.98ee8ap+2f, 0x1.a5a6bp+2f, 0x1.b1f6dcp+2f, 0x1.be2c3p+2f, 0x1.c9e2bap+2f,
     0x1.d571dp+2f, 0x1.e0dac6p+2f, 0x1.ec03f8p+2f, 0x1.f6fb7ap+2f, 0x1.00a456p+3f, 0x1.0627fep+3f,
     0x1.0b43d4p+3f, 0x1.10529ap+3f},
    {0x0p+0f, 0x1.557f5ap-3f, 0x1.af09d6p-4f, 0x1.9fdfcp-5f, 0x1.5aca2ep-6f, 0x1.09a8c8p-7f,
     0x1.7ed0cp-9f, 0x1.06e45p-10f, 0x1.5e2bd4p-12f, 0x1.c603fcp-14f, 0x1.24c27cp-15f, 0x1.6302b4p-17f,
     0x1.ae43a4p-19f, 0x1.013abap-20f, 0x1.2d5bacp-22f, 0x1.5e03dep-24f, 0x1.967ba8p-26f, 0x1.ce6cfep-28f,
     0x1.053b2ap-29f, 0x1.2431b4p-31f, 0x1.424718p-33f, 0x1.64ac5cp-35f, 0x1.80ba6p-37f, 0x1.a6e734p-39f,
     0x1.c987c2p-41f, 0x1.e7864ep-43f, 0x1.033e44p-44f, 0x1.11e2a2p-46f, 0x1.316746p-48f, 0x1.2e5f12p-50f,
     0x1.430f3cp-52f, 0x1.55102ap-54f},
    {0x1p-1f, -0x1.8e1ebcp-5f, -0x1.071ae2p-3f, -0x1.7760bap-4f, -0x1.8b7998p-5f, -0x1.659ea8p-6f,
     -0x1.251b8ep-7f, -0x1.bf5eecp-9f, -0x1.459778p-10f, -0x1.c7c8eep-12f, -0x1.3a1e62p-13f, -0x1.9518b2p-15f,
     -0x1.034ac6p-16f, -0x1.45db1p-18f, -0x1.8fb59p-20f, -0x1.e4519ap-22f, -0x1.246948p-23f, -0x1.591a42p-25f,
     -0x1.938c24p-27f, -0x1.d23f1p-29f, -0x1.092764p-30f, -0x1.2e0d68p-32f, -0x1.4f0166p-34f, -0x1.79f11p-36f,
     -0x1.a33c72p-38f, -0x1.c99a7p-40f, -0x1.f1fc28p-42f, -0x1.0cee3cp-43f, -0x1.320814p-45f, -0x1.3583b4p-47f,
     -0x1.51254cp-49f, -0x1.6aae06p-51f},
    {-0x1.98845ap-2f, -0x1.54b976p-3f, 0x1.2cf576p-7f, 0x1.b70096p-5f, 0x1.651056p-5f, 0x1.9b7b7ap-6f,
     0x1.8f4202p-7f, 0x1.5aee5ap-8f, 0x1.186bb6p-9f, 0x1.acc02cp-11f, 0x1.3e83acp-12f, 0x1.b7d714p-14f,
     0x1.2af5e2p-15f, 0x1.8c9a6p-17f, 0x1.ff3678p-19f, 0x1.4415bp-20f, 0x1.97f1dep-22f, 0x1.f495ccp-24f,
     0x1.2f81ccp-25f, 0x1.6ad46cp-27f, 0x1.aa3652p-29f, 0x1.f46b4ep-31f, 0x1.1daf3ep-32f, 0x1.4b23aap-34f,
     0x1.78fc36p-36f, 0x1.a5e35ap-38f, 0x1.d62e32p-40f, 0x1.03c7b2p-41f, 0x1.2de20ap-43f, 0x1.381894p-45f,
     0x1.5acae8p-47f, 0x1.7c54f4p-49f},
    {0x1.d82bd2p-19f, 0x1.0683bep-3f, 0x1.fee49ep-5f, 0x1.2ddf38p-8f, -0x1.f68904p-7f, -0x1.e4e7fp-7f,
     -0x1.31c31cp-7f, -0x1.3ccde6p-8f, -0x1.243006p-9f, -0x1.f0a578p-11f, -0x1.929da4p-12f, -0x1.2c79ap-13f,
     -0x1.b4d726p-15f, -0x1.339666p-16f, -0x1.a284cep-18f, -0x1.16ac16p-19f, -0x1.6ece08p-21f, -0x1.d53c14p-23f,
     -0x1.27b27ap-24f, -0x1.6e7c5ap-26f, -0x1.bd662cp-28f, -0x1.0de86ep-29f, -0x1.3db1f8p-31f, -0x1.7acd26p-33f,
     -0x1.bb144ep-35f, -0x1.fce5fcp-37f, -0x1.22abc4p-38f, -0x1.48e384p-40f, -0x1.8692ecp-42f, -0x1.9d0ccap-44f,
     -0x1.d47e18p-46f, -0x1.06105cp-47f},
    {0x1.1026b2p-4f, -0x1.2c956cp-7f, -0x1.2b1a6p-5f, -0x1.530084p-6f, -0x1.f60896p-9f, 0x1.9e3586p-9f,
     0x1.02453ap-8f, 0x1.679056p-9f, 0x1.8f99a6p-10f, 0x1.855acap-11f, 0x1.5f2dc6p-12f, 0x1.1f3d4ap-13f,
     0x1.c30e1ap-15f, 0x1.53ae86p-16f, 0x1.eac8c4p-18f, 0x1.58ddb2p-19f, 0x1.dc7fe8p-21f, 0x1.3ec508p-22f,
     0x1.a2b7c8p-24f, 0x1.0da646p-25f, 0x1.53bebcp-27f, 0x1.a9ccf4p-29f, 0x1.02bfd8p-30f, 0x1.3dcc28p-32f,
     0x1.7e65e2p-34f, 0x1.c3449cp-36f, 0x1.0878fap-37f, 0x1.32b1fcp-39f, 0x1.7479e4p-41f, 0x1.934dfp-43f,
     0x1.d33cd8p-45f, 0x1.0ac7c6p-46f},
    {0x1.3f9afap-12f, -0x1.496976p-6f, 0x1.8d5e96p-10f, 0x1.29821ap-7f, 0x1.7ebe6p-8f, 0x1.ac03e4p-10f,
     -0x1.b843cap-12f, -0x1.c25b62p-11f, -0x1.61d6bp-11f, -0x1.a66fa6p-12f, -0x1.b71d9cp-13f, -0x1.929342p-14f,
     -0x1.5a8142p-15f, -0x1.1a0f78p-16f, -0x1.b43262p-18f, -0x1.45736p-19f, -0x1.da52dcp-21f, -0x1.4d32c2p-22f,
     -0x1.c9a6p-24f, -0x1.331ee2p-25f, -0x1.921c54p-27f, -0x1.0519b8p-28f, -0x1.483b78p-30f, -0x1.9fe88ap-32f,
     -0x1.01c3d4p-33f, -0x1.38ebc8p-35f, -0x1.78c0cp-37f, -0x1.c036aep-39f, -0x1.16a82ap-40f, -0x1.35171ap-42f,
     -0x1.6e097ep-44f, -0x1.aaf80cp-46f},
    {-0x1.68461cp-7f, 0x1.30fb2p-8f, 0x1.5b19a2p-8f, 0x1.dd450ap-15f, -0x1.023816p-9f, -0x1.7997ap-10f,
     -0x1.0f08dp-11f, 0x1.29db28p-19f, 0x1.43f98cp-13f, 0x1.2afbccp-13f, 0x1.85aee2p-14f, 0x1.a263fep-15f,
     0x1.94f62ap-16f, 0x1.6a576ap-17f, 0x1.2f4cdcp-18f, 0x1.e4a488p-20f, 0x1.775b56p-21f, 0x1.165378p-22f,
     0x1.918954p-24f, 0x1.19d2a4p-25f, 0x1.80519ep-27f, 0x1.036d6p-28f, 0x1.516da2p-30f, 0x1.babfe2p-32f,
     0x1.1b3f8cp-33f, 0x1.61e2c2p-35f, 0x1.b5fcb4p-37f, 0x1.0b5d34p-38f, 0x1.57595ep-40f, 0x1.83101p-42f,
     0x1.d6a8b2p-44f, 0x1.192edcp-45f},
    {0x1.c459fp-10f, 0x1.53ef7cp-9f, -0x1.1df852p-10f, -0x1.6d7258p-10f, -0x1.d8b4c6p-13f, 0x1.7354e2p-12f,
     0x1.5eafa6p-12f, 0x1.4629dep-13f, 0x1.f8dcd4p-16f, -0x1.464b66p-16f, -0x1.bf11dcp-16f, -0x1.49f6dap-16f,
     -0x1.8393p-17f, -0x1.8ead9cp-18f, -0x1.765452p-19f, -0x1.482de6p-20f, -0x1.1081b4p-21f, -0x1.b0d0c4p-23f,
     -0x1.4b0aeep-24f, -0x1.ea5484p-26f, -0x1.611112p-27f, -0x1.f001eep-29f, -0x1.54cc8ap-30f, -0x1.cb1d9p-32f,
     -0x1.2fc09ep-33f, -0x1.8b6996p-35f, -0x1.fb16eep-37f, -0x1.40b61ap-38f, -0x1.908c7ap-40f, -0x1.ee66cp-42f,
     -0x1.2dcbbcp-43f, -0x1.6cb2b4p-45f}
};

/* gelu_R_table_f32: R(a) = P_i(a - c_i), i from the bits of a + 1; degree 5, 32 intervals; max
 * rel. error with rounded coefficients 4.19e-09 (0.070 u), u = 2^-24. Row 0: c_i, row k+1:
 * coefficient of d^k. */
GELU_ALIGN static const float GELU_R32[7][32] GELU_ALIGN_POST = {
    {0x0p+0f, 0x1.8000f4p-3f, 0x1.4001d2p-2f, 0x1.bffeeep-2f, 0x1.1ffd5ep-1f, 0x1.60001ep-1f,
     0x1.9ffdfp-1f, 0x1.dfff62p-1f, 0x1.20009p+0f, 0x1.5fff9ap+0f, 0x1.a003f8p+0f, 0x1.e00068p+0f,
     0x1.0fffcap+1f, 0x1.3000bap+1f, 0x1.4fff22p+1f, 0x1.70026ep+1f, 0x1.a0003cp+1f, 0x1.e000cep+1f,
     0x1.0ffe82p+2f, 0x1.2fffc2p+2f, 0x1.50009ep+2f, 0x1.7001fcp+2f, 0x1.900102p+2f, 0x1.b0014p+2f,
     0x1.e00194p+2f, 0x1.1003e4p+3f, 0x1.3000c8p+3f, 0x1.4ffc92p+3f, 0x1.6fff3ap+3f, 0x1.90005cp+3f,
     0x1.afffe8p+3f, 0x1.cfff44p+3f},
    {0x1p-1f, 0x1.bb93fep-2f, 0x1.95b80ep-2f, 0x1.74d82ap-2f, 0x1.582198p-2f, 0x1.3ee882p-2f,
     0x1.28a68p-2f, 0x1.14e72cp-2f, 0x1.f66fcp-3f, 0x1.bdba44p-3f, 0x1.8f65acp-3f, 0x1.690afap-3f,
     0x1.48de6ap-3f, 0x1.2d92f8p-3f, 0x1.16319p-3f, 0x1.01f6cap-3f, 0x1.d0b2e2p-4f, 0x1.99c21ap-4f,
     0x1.6e05dep-4f, 0x1.4a7288p-4f, 0x1.2d017ap-4f, 0x1.14443cp-4f, 0x1.fe6d24p-5f, 0x1.da2b5cp-5f,
     0x1.ac6136p-5f, 0x1.7b59eap-5f, 0x1.5451bcp-5f, 0x1.348372p-5f, 0x1.1a160ap-5f, 0x1.03cecap-5f,
     0x1.e18df6p-6f, 0x1.c0aa78p-6f},
    {-0x1.988452p-2f, -0x1.45585ep-2f, -0x1.19ba16p-2f, -0x1.eacc4ap-3f, -0x1.ade666p-3f, -0x1.7a88cep-3f,
     -0x1.4efc7ap-3f, -0x1.29d7dep-3f, -0x1.f793a8p-4f, -0x1.985276p-4f, -0x1.4ffa7cp-4f, -0x1.1826fep-4f,
     -0x1.d8c24p-5f, -0x1.93278cp-5f, -0x1.5b21bcp-5f, -0x1.2d78fp-5f, -0x1.ef2c52p-6f, -0x1.85db6p-6f,
     -0x1.3a0398p-6f, -0x1.01ca1cp-6f, -0x1.ae352ap-7f, -0x1.6c0318p-7f, -0x1.37c1bep-7f, -0x1.0dd2a8p-7f,
     -0x1.b9f7a6p-8f, -0x1.5bc1acp-8f, -0x1.188e88p-8f, -0x1.cdf7dcp-9f, -0x1.82bf84p-9f, -0x1.486d2p-9f,
     -0x1.1a512p-9f, -0x1.ea7b3cp-10f},
    {0x1.ffff84p-3f, 0x1.7e933ep-3f, 0x1.3dad62p-3f, 0x1.097bb8p-3f, 0x1.be73c6p-4f, 0x1.7992dcp-4f,
     0x1.412132p-4f, 0x1.12945p-4f, 0x1.b6580ep-5f, 0x1.4a03a6p-5f, 0x1.f99e08p-6f, 0x1.8998bp-6f,
     0x1.36dd96p-6f, 0x1.f19738p-7f, 0x1.93200ap-7f, 0x1.4a336cp-7f, 0x1.f2f46cp-8f, 0x1.621e3cp-8f,
     0x1.031ed2p-8f, 0x1.852c16p-9f, 0x1.2ae0f4p-9f, 0x1.d412fcp-10f, 0x1.74d30ep-10f, 0x1.2d68dep-10f,
     0x1.c0f4cp-11f, 0x1.3adac2p-11f, 0x1.c9e794p-12f, 0x1.56f82ep-12f, 0x1.073de2p-12f, 0x1.9ca718p-13f,
     0x1.494a72p-13f, 0x1.0adf98p-13f},
    {-0x1.10479ap-3f, -0x1.81f8a2p-4f, -0x1.35739ep-4f, -0x1.f38894p-5f, -0x1.95c94ep-5f, -0x1.4ba85ep-5f,
     -0x1.10b4d8p-5f, -0x1.c306bp-6f, -0x1.56aca8p-6f, -0x1.e3d596p-7f, -0x1.5c2b4cp-7f, -0x1.fe266cp-8f,
     -0x1.7be7f6p-8f, -0x1.1f37fep-8f, -0x1.b871d8p-9f, -0x1.560cb4p-9f, -0x1.dec46ap-10f, -0x1.34a08p-10f,
     -0x1.9cd6cep-11f, -0x1.1cffdp-11f, -0x1.948afap-12f, -0x1.26259cp-12f, -0x1.b500f2p-13f, -0x1.4ac84ep-13f,
     -0x1.c15388p-14f, -0x1.19aaa8p-14f, -0x1.720392p-15f, -0x1.f912b4p-16f, -0x1.63dd84p-16f, -0x1.01b284p-16f,
     -0x1.7e1a1p-17f, -0x1.211b6p-17f},
    {0x1.fbf4aap-5f, 0x1.5ab3ep-5f, 0x1.0d8e1p-5f, 0x1.a6097ep-6f, 0x1.4c95c4p-6f, 0x1.07c24cp-6f,
     0x1.a4fb5cp-7f, 0x1.51f6ccp-7f, 0x1.ec6108p-8f, 0x1.481e62p-8f, 0x1.be54e4p-9f, 0x1.357ccap-9f,
     0x1.b4e2acp-10f, 0x1.398082p-10f, 0x1.c8f8eap-11f, 0x1.51cf42p-11f, 0x1.b9c61ap-12f, 0x1.041662p-12f,
     0x1.3f7508p-13f, 0x1.9703c4p-14f, 0x1.0bce02p-14f, 0x1.6a970ap-15f, 0x1.f7843cp-16f, 0x1.6585c6p-16f,
     0x1.bdc35ap-17f, 0x1.f45bb2p-18f, 0x1.293974p-18f, 0x1.720c3cp-19f, 0x1.df0b56p-20f, 0x1.40b014p-20f,
     0x1.b9fb5ep-21f, 0x1.38537cp-21f},
    {-0x1.78c4a2p-6f, -0x1.1af07p-6f, -0x1.ac018p-7f, -0x1.45fc0ap-7f, -0x1.f3ede8p-8f, -0x1.81de56p-8f,
     -0x1.2bbbc4p-8f, -0x1.d4897p-9f, -0x1.47cc9ep-9f, -0x1.9ea5dp-10f, -0x1.0bf1fep-10f, -0x1.615678p-11f,
     -0x1.dad302p-12f, -0x1.44bbc4p-12f, -0x1.c39776p-13f, -0x1.3ee9e8p-13f, -0x1.85f48ep-14f, -0x1.a5e224p-15f,
     -0x1.de24f2p-16f, -0x1.1a4ab8p-16f, -0x1.59a22ep-17f, -0x1.b5083ap-18f, -0x1.1c5706p-18f, -0x1.7b9b94p-19f,
     -0x1.b1b65ep-20f, -0x1.b58f4ap-21f, -0x1.d74ee2p-22f, -0x1.0c170ap-22f, -0x1.3f6976p-23f, -0x1.8be324p-24f,
     -0x1.fbb038p-25f, -0x1.4f57dap-25f}
};

#define GELU_FAST_A 8.56f /* a (0.3125 a + 1) = 31.46 < 31.5: the last row of GELU_H32 */

/* Fast path (every lane x >= -GELU_FAST_A): y = max(x, 0) - H(a), H = a Phi(-a)
 * from GELU_H32 (see the top of the file). */
AC_INLINE vf gelu_fast_f32(vf x)
{
    vf a = vf_min(vf_abs(x), vf_set1(GELU_FAST_A));
    /* row i = round(a (0.3125 a + 1)) in the low bits of t */
    vf t = vf_muladd(a, vf_muladd(a, vf_set1(0.3125f), vf_set1(1.0f)), vf_set1(0x1.8p23f));
    gelu_ixf ix = gelu_ixf_make(vf_as_i(t));
    vf d = vf_sub(a, gelu_lut32(GELU_H32[0], ix));
#ifdef AC_HAVE_FMA
    vf di = d;
#else
    /* without FMA the products s*d round: keep them out of the subnormals */
    vf di = vf_select(vf_lt(a, vf_set1(0x1p-60f)), vf_zero(), d);
#endif
    vf s = gelu_lut32(GELU_H32[8], ix);
    s = vf_muladd(s, di, gelu_lut32(GELU_H32[7], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_H32[6], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_H32[5], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_H32[4], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_H32[3], ix));
    s = gelu_fma_f32(s, di, gelu_lut32(GELU_H32[2], ix));
    vf h = gelu_fma_f32(s, d, gelu_lut32(GELU_H32[1], ix)); /* x < 0: the final rounding */
    return vf_sub(vf_max(vf_set1(-0.0f), x), h); /* max(-0, x): keeps -0 */
}

/* Slow path (any x): a Phi(-a) = a exp(-a^2/2) R(a), R from GELU_R32.
 * a is capped at 14.5, where even a Phi(-a) rounds to 0 in float. */
AC_INLINE vf gelu_slow_f32(vf x)
{
    vf am = vf_min(vf_abs(x), vf_set1(14.5f));
    vf a = vf_select(vf_lt(am, vf_set1(0x1p-29f)), vf_zero(), am); /* Phi(-a) = 1/2 (1 - 2^-29) */
    /* exp(sh + sl) = 2^k (1 + m), sh + sl = -a^2/2 exactly, m = r + t2 */
    vf h = vf_mul(a, vf_set1(-0.5f));
    vf sl, sh = vf_two_prod(h, a, &sl);
    vf k = vf_rint(vf_mul(sh, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(k, vf_set1(AC_LN2_HI_F), sh);
    r = vf_nmuladd(k, vf_set1(AC_LN2_LO_F), r);
    r = vf_add(r, sl);
    vf q = vf_set1(0x1.6a243ap-10f);
    q = vf_muladd(q, r, vf_set1(0x1.1239ep-7f));
    q = vf_muladd(q, r, vf_set1(0x1.5558f2p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.555492p-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffcp-2f));
    vf t2 = vf_mul(vf_mul(r, r), q);
    /* R(a) = rh + rl; row = exponent and top 3 mantissa bits of a + 1 */
    vfi idx = vfi_sub(vfi_srl(vf_as_i(vf_add(a, vf_set1(1.0f))), 20), vfi_set1(1016));
    gelu_ixf ix = gelu_ixf_make(idx);
    vf d = vf_sub(a, gelu_lut32(GELU_R32[0], ix));
    vf s = gelu_lut32(GELU_R32[6], ix);
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[5], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[4], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[3], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[2], ix));
    vf c0 = gelu_lut32(GELU_R32[1], ix);
#ifdef AC_HAVE_FMA
    vf rh = vf_muladd(s, d, c0);
    vf rl = vf_muladd(s, d, vf_sub(c0, rh));
#else
    vf sd = vf_mul(s, d);
    vf rh = vf_add(c0, sd);
    vf rl = vf_add(vf_sub(c0, rh), sd);
#endif
    /* R (1 + m) = rh + cc; a R (1 + m) rounded once, then scaled (x > 0:
     * scale capped, the term no longer matters below 2^-40) */
    vf cc = vf_muladd(rh, t2, rl);
    cc = gelu_fma_f32(rh, r, cc);
    vf g = gelu_fma_f32(am, rh, vf_mul(am, cc));
    vf e = vf_select(vf_le(x, vf_zero()), k, vf_max(k, vf_set1(-40.0f)));
    return vf_sub(vf_max(vf_set1(-0.0f), x), vf_scale2(g, e));
}

/* GELU_TEST_PATH = 1 / 2 forces the fast / slow path (standalone tests of
 * each path over every float; the fast path is only valid for x >= -A). */
AC_INLINE vf gelu_f32(vf x, const vf *p)
{
    (void)p;
#ifndef GELU_TEST_PATH
    mf tail = vf_lt(x, vf_set1(-GELU_FAST_A));
    /* Lanes >= -A take the fast path's value even in a vector that needs the
     * slow path, so a result never depends on its neighbours; the clamp keeps
     * the tail lanes inside the fast path's table. */
    if (AC_UNLIKELY(mf_any(tail)))
        return vf_select(tail, gelu_slow_f32(x), gelu_fast_f32(vf_max(x, vf_set1(-GELU_FAST_A))));
    return gelu_fast_f32(x);
#elif GELU_TEST_PATH == 1
    return gelu_fast_f32(x);
#else
    return gelu_slow_f32(x);
#endif
}
AC_INLINE vf gelu_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }

/* ------------------------------------------------------------------------ */
/* gelu, float64                                                            */
/* ------------------------------------------------------------------------ */
#if defined(AC_ISA_AVX512)
typedef __m512i gelu_ixd;
AC_INLINE gelu_ixd gelu_ixd_make(vdi i) { return i; }
AC_INLINE vd gelu_lutd(const double *t, gelu_ixd i) { return _mm512_i64gather_pd(i, t, 8); }
#elif defined(AC_ISA_AVX2)
typedef __m256i gelu_ixd;
AC_INLINE gelu_ixd gelu_ixd_make(vdi i) { return i; }
AC_INLINE vd gelu_lutd(const double *t, gelu_ixd i) { return _mm256_i64gather_pd(t, i, 8); }
#elif defined(AC_ISA_SSE2)
typedef struct { int64_t i[2]; } gelu_ixd;
AC_INLINE gelu_ixd gelu_ixd_make(vdi i)
{
    gelu_ixd r;
    _mm_storeu_si128((__m128i *)r.i, i);
    return r;
}
AC_INLINE vd gelu_lutd(const double *t, gelu_ixd i) { return _mm_setr_pd(t[i.i[0]], t[i.i[1]]); }
#else
typedef vdi gelu_ixd;
AC_INLINE gelu_ixd gelu_ixd_make(vdi i) { return i; }
AC_INLINE vd gelu_lutd(const double *t, gelu_ixd i) { return t[i]; }
#endif

AC_INLINE vd gelu_fma_f64(vd a, vd b, vd c)
{
#ifdef AC_HAVE_FMA
    return vd_muladd(a, b, c);
#else
    vd pl, ph = vd_two_prod(a, b, &pl);
    vd s = vd_add(ph, c), bb = vd_sub(s, ph);
    vd e = vd_add(vd_sub(ph, vd_sub(s, bb)), vd_sub(c, bb));
    return vd_add(s, vd_add(e, pl));
#endif
}

/* gelu_R_table_f64: R(a) = P_i(a - c_i), i from the bits of a + 1; degree 9, 84 intervals; max
 * rel. error with rounded coefficients 5.74e-18 (0.052 u), u = 2^-53. Row 0: c_i, row k+1:
 * coefficient of d^k. */
GELU_ALIGN static const double GELU_R64[11][84] GELU_ALIGN_POST = {
    {0x0.0p+0, 0x1.7ffffffffff47p-4, 0x1.4000000000000p-3, 0x1.bffffffffff98p-3,
     0x1.2000000000001p-2, 0x1.5ffffffffffefp-2, 0x1.9fffffffffe23p-2, 0x1.dffffffffff3ep-2,
     0x1.10000000026dbp-1, 0x1.2fffffffffff7p-1, 0x1.4ffffffffffb2p-1, 0x1.6ffffffffff64p-1,
     0x1.8ffffffffff38p-1, 0x1.b00000000000cp-1, 0x1.cfffffffffd6fp-1, 0x1.f000000000113p-1,
     0x1.100000000004bp+0, 0x1.2ffffffffffcbp+0, 0x1.4ffffffffffbap+0, 0x1.70000000000f0p+0,
     0x1.9000000000122p+0, 0x1.b00000000009cp+0, 0x1.cffffffffffb4p+0, 0x1.f000000000105p+0,
     0x1.07ffffffffef8p+1, 0x1.18000000000eep+1, 0x1.2800000000033p+1, 0x1.37fffffffff2dp+1,
     0x1.4800000000099p+1, 0x1.57fffffffffe6p+1, 0x1.6800000000151p+1, 0x1.77fffffffffe6p+1,
     0x1.8ffffffffffeap+1, 0x1.affffffffff37p+1, 0x1.d000000000046p+1, 0x1.f0000000000bbp+1,
     0x1.080000000004bp+2, 0x1.17ffffffffff5p+2, 0x1.2800000000109p+2, 0x1.37fffffffff1ap+2,
     0x1.480000000010cp+2, 0x1.57fffffffff5bp+2, 0x1.67fffffffff1dp+2, 0x1.7800000000032p+2,
     0x1.880000000000dp+2, 0x1.97fffffffffd8p+2, 0x1.a800000000018p+2, 0x1.b8000000000bfp+2,
     0x1.cffffffffffdcp+2, 0x1.effffffffff82p+2, 0x1.0800000000000p+3, 0x1.17fffffffffb2p+3,
     0x1.27fffffffff7ap+3, 0x1.3800000000183p+3, 0x1.480000000002ap+3, 0x1.5800000000025p+3,
     0x1.67fffffffffb2p+3, 0x1.77fffffffff40p+3, 0x1.87fffffffff64p+3, 0x1.97fffffffff92p+3,
     0x1.a800000000066p+3, 0x1.b7fffffffff8fp+3, 0x1.c80000000015cp+3, 0x1.d800000000063p+3,
     0x1.f000000000021p+3, 0x1.07fffffffff68p+4, 0x1.1800000000083p+4, 0x1.27fffffffff1ap+4,
     0x1.380000000008bp+4, 0x1.4800000000041p+4, 0x1.5800000000004p+4, 0x1.67fffffffffa9p+4,
     0x1.77fffffffff64p+4, 0x1.87fffffffff4dp+4, 0x1.980000000002fp+4, 0x1.a8000000000f3p+4,
     0x1.b80000000007bp+4, 0x1.c800000000060p+4, 0x1.d800000000046p+4, 0x1.e7ffffffffff4p+4,
     0x1.fffffffffff24p+4, 0x1.0ffffffffffcap+5, 0x1.1ffffffffffdfp+5, 0x1.3000000000027p+5},
    {0x1.0000000000000p-1, 0x1.dbd8166ce44ddp-2, 0x1.c5ef7f50cd573p-2, 0x1.b19874809ed56p-2,
     0x1.9eaeb60e6fe9ap-2, 0x1.8d11d61fb3fdcp-2, 0x1.7ca4c53a9ed0bp-2, 0x1.6d4d6d931e66bp-2,
     0x1.5ef45b3e8e7c5p-2, 0x1.51846f855d36ap-2, 0x1.44ea9dcd2a5e4p-2, 0x1.3915b0cf0a74dp-2,
     0x1.2df616fd65f08p-2, 0x1.237db525e18cfp-2, 0x1.199fbe7e2a5cdp-2, 0x1.10509167e14f0p-2,
     0x1.034ea2fb1d985p-2, 0x1.e71ea0b6d3bedp-3, 0x1.cad0f1473e8d2p-3, 0x1.b1480a1beb50cp-3,
     0x1.9a28d2051dcbep-3, 0x1.852632ebdcf6ep-3, 0x1.71fea482e5f22p-3, 0x1.607a314e4d318p-3,
     0x1.5068dc2714f61p-3, 0x1.41a1523c2d9ecp-3, 0x1.33ffda057cb33p-3, 0x1.276573032500dp-3,
     0x1.1bb71cbeb8b1bp-3, 0x1.10dd3d86c5b7cp-3, 0x1.06c322ec41b24p-3, 0x1.faad2e8076718p-4,
     0x1.e0ad19879ee20p-4, 0x1.c1b2d075ab9dfp-4, 0x1.a64c9ca8e3d95p-4, 0x1.8dea017d68c86p-4,
     0x1.78167be5459d0p-4, 0x1.64733899b5fabp-4, 0x1.52b2606bb4a56p-4, 0x1.42938a456b4d6p-4,
     0x1.33e1040c165cfp-4, 0x1.266dba753c3fcp-4, 0x1.1a1397a9fed3ep-4, 0x1.0eb23b967173dp-4,
     0x1.042df8887cb85p-4, 0x1.f4de089ab1cefp-5, 0x1.e2c1a3f78ab59p-5, 0x1.d1e317038a114p-5,
     0x1.baa643d0bc3b5p-5, 0x1.9eff960c1b291p-5, 0x1.868e8a7fd36a7p-5, 0x1.70cd6ecd2d236p-5,
     0x1.5d51cf8a05d3ap-5, 0x1.4bc5ec31f389ep-5, 0x1.3be3f4b011140p-5, 0x1.2d72860e37a2dp-5,
     0x1.204209712d67bp-5, 0x1.142ab60052cd4p-5, 0x1.090b09bddb394p-5, 0x1.fd8d34a831b08p-6,
     0x1.ea8a4f6bea6ebp-6, 0x1.d8e3c11cd95aep-6, 0x1.c87599881ef8dp-6, 0x1.b920aac0c32b4p-6,
     0x1.a3f60aa9bd3edp-6, 0x1.8ab2c331626edp-6, 0x1.744b172611337p-6, 0x1.6049db9f9958cp-6,
     0x1.4e5196c6d7a78p-6, 0x1.3e16cfeea5ceap-6, 0x1.2f5bef0690bb6p-6, 0x1.21ee316bae6c8p-6,
     0x1.15a362d7931eep-6, 0x1.0a58233e9b897p-6, 0x1.ffdd26ef3a45bp-7, 0x1.ec9a9bbf6844cp-7,
     0x1.dabd2fbb501b6p-7, 0x1.ca1f7ce8abddep-7, 0x1.baa1278eb1dc8p-7, 0x1.ac260c297c357p-7,
     0x1.981e7e622ad06p-7, 0x1.80279d9411bc1p-7, 0x1.6ad8b9ce98268p-7, 0x1.57c6c7a330303p-7},
    {-0x1.9884533d43651p-2, -0x1.6be811230dff1p-2, -0x1.5196e758a34f7p-2, -0x1.39aaf9c120a7cp-2,
     -0x1.23e3300933eb5p-2, -0x1.100631a25d864p-2, -0x1.fbc2c63ae5d6bp-3, -0x1.da900fc09a527p-3,
     -0x1.bc2505880c11bp-3, -0x1.a03b620c2819fp-3, -0x1.8694b75d3f349p-3, -0x1.6ef97850e7ce1p-3,
     -0x1.5938228e97911p-3, -0x1.452484ca9a2b6p-3, -0x1.32971d35da2f0p-3, -0x1.216c8cc1422ecp-3,
     -0x1.0a018c24e7dcfp-3, -0x1.dd288f42d6bb9p-4, -0x1.adacd39a09716p-4, -0x1.84622fe4c8d93p-4,
     -0x1.6051bca5103cfp-4, -0x1.40b0611903b55p-4, -0x1.24d6389a8c143p-4, -0x1.0c37cde5a2476p-4,
     -0x1.ecc181a7aee7cp-5, -0x1.c5df0a5b8b65bp-5, -0x1.a323f93759902p-5, -0x1.8405788b72da1p-5,
     -0x1.680db34735b63p-5, -0x1.4ed844814dbedp-5, -0x1.380f510837660p-5, -0x1.236928b7635a5p-5,
     -0x1.07e8ba5a7a2e2p-5, -0x1.d157359faa2cfp-6, -0x1.9cee54434e47dp-6, -0x1.709a1cbc5d9d7p-6,
     -0x1.4ad2378d3943ep-6, -0x1.2a64d55245bcdp-6, -0x1.0e613c0ba6fe8p-6, -0x1.ec105715161b2p-7,
     -0x1.c180c1b8d53a1p-7, -0x1.9c1c15f74f676p-7, -0x1.7b18bec6a3570p-7, -0x1.5dd1770997f43p-7,
     -0x1.43bdd5888d3f6p-7, -0x1.2c6c8c3fb6d27p-7, -0x1.177eee8890a87p-7, -0x1.04a56ec7166b2p-7,
     -0x1.d7697206344e9p-8, -0x1.9f2e786246e8dp-8, -0x1.70551a5c57d15p-8, -0x1.48e8833683577p-8,
     -0x1.276ed16b2cf15p-8, -0x1.0ac6d8189d69cp-8, -0x1.e420ddd6c015dp-9, -0x1.b9378d144fc42p-9,
     -0x1.93bafb0dc85b4p-9, -0x1.72cbf664ea427p-9, -0x1.55b62945dfbb8p-9, -0x1.3be6a39de99d3p-9,
     -0x1.24e4bbf29da1cp-9, -0x1.104ca43c50bb2p-9, -0x1.fb968007bc0b9p-10, -0x1.da35d38f73d51p-10,
     -0x1.adf8e8d40e7e3p-10, -0x1.7bf9f255f1680p-10, -0x1.5231eba088de3p-10, -0x1.2eed4cba2a32fp-10,
     -0x1.10e37aec858c7p-10, -0x1.ee31a6fdde7f2p-11, -0x1.c19418e1d1e80p-11, -0x1.9abb7bac453aap-11,
     -0x1.78b42146b4859p-11, -0x1.5aba8aca8c722p-11, -0x1.40306d41e5218p-11, -0x1.28948581fafa4p-11,
     -0x1.137c70950cc31p-11, -0x1.008ffc149c1dep-11, -0x1.df0b16dda7ea5p-12, -0x1.c03e96e40aea8p-12,
     -0x1.97536c627e7a8p-12, -0x1.68ef3fc249215p-12, -0x1.4208d360f294dp-12, -0x1.2118ade8a2277p-12},
    {0x1.ffffffffffff3p-3, 0x1.b9ba54d19afefp-3, 0x1.912feb2af3d2cp-3, 0x1.6cfb0dde5fb1bp-3,
     0x1.4c96d08bd94f7p-3, 0x1.2f8fb50fe3d7ep-3, 0x1.158134f6a8287p-3, 0x1.fc2753c3f47c5p-4,
     0x1.d1f50b8cd473fp-4, 0x1.abe59cd3829e5p-4, 0x1.8983a3452345cp-4, 0x1.6a681323ee548p-4,
     0x1.4e3852fb65802p-4, 0x1.34a49a40d104dp-4, 0x1.1d668a838717ap-4, 0x1.083ffa748a770p-4,
     0x1.d7f7421e09a10p-5, 0x1.979d174e48845p-5, 0x1.61af0cd450bc4p-5, 0x1.3442ef5ef5d22p-5,
     0x1.0dd1ed48521f5p-5, 0x1.da4583fb073edp-6, 0x1.a27204db5c09fp-6, 0x1.7290875f5fceep-6,
     0x1.495455327b59bp-6, 0x1.25ad62487557ap-6, 0x1.06bc37c5f3a4fp-6, 0x1.d790ec71586f2p-7,
     0x1.a872af28d211dp-7, 0x1.7f1f7bff2be4cp-7, 0x1.5ac2ef93d58d7p-7, 0x1.3aaaeacc721abp-7,
     0x1.1145d968ffe56p-7, 0x1.c889d9b7a091cp-8, 0x1.80a5025f271fep-8, 0x1.46a5ad3770781p-8,
     0x1.176d94dd14454p-8, 0x1.e14ef47b9b4c3p-9, 0x1.a11f2fe3b7d7cp-9, 0x1.6b9953491e298p-9,
     0x1.3ea87f1adb4ffp-9, 0x1.18adbb312ee8cp-9, 0x1.f0c630ca80a69p-10, 0x1.b98d056cbb4b2p-10,
     0x1.8a14217e1268bp-10, 0x1.6110915267270p-10, 0x1.3d768e55b1cf1p-10, 0x1.1e6c09d5b7cf4p-10,
     0x1.edd68f639a9c0p-11, 0x1.99522d9ccfa5ep-11, 0x1.56d8ea131b459p-11, 0x1.21e3e931b0392p-11,
     0x1.ee6b59867986fp-12, 0x1.a8e534fce5ec1p-12, 0x1.6fb9a49f80e09p-12, 0x1.404cd1248241dp-12,
     0x1.18a43adf22d58p-12, 0x1.ee76871b66938p-13, 0x1.b5c9122dfa197p-13, 0x1.8567f921599c0p-13,
     0x1.5bde088554e12p-13, 0x1.3801b54ba832dp-13, 0x1.18e3e04eda3d9p-13, 0x1.fb85dc422e8d5p-14,
     0x1.b6748e27993bbp-14, 0x1.6c80a460c4c19p-14, 0x1.323eb73dbac21p-14, 0x1.03bd742c4f63fp-14,
     0x1.bc58f694db13cp-15, 0x1.7f00f403413e8p-15, 0x1.4c6e4ed7b3496p-15, 0x1.225e768dc39e8p-15,
     0x1.fe34cf4d27f3dp-16, 0x1.c2a1f710134c0p-16, 0x1.8ff8ce35149e1p-16, 0x1.649ea02084adcp-16,
     0x1.3f4e3b2223c9dp-16, 0x1.1f03e3f5c2a7fp-16, 0x1.02ee7a5b0c654p-16, 0x1.d4c8b0439d297p-17,
     0x1.9623ff58c16fdp-17, 0x1.52d3ab481ab93p-17, 0x1.1d98030e835f2p-17, 0x1.e5e47bbe7a406p-18},
    {-0x1.1058377e2c4bfp-3, -0x1.c999c6e1a3a51p-4, -0x1.985436a1b5aeap-4, -0x1.6cff5afbbd968p-4,
     -0x1.46d2a39cb7258p-4, -0x1.2521fe04d87c6p-4, -0x1.075985cf21099p-4, -0x1.d9f3cad391607p-5,
     -0x1.ab2a9348d8b56p-5, -0x1.81999f51d1c44p-5, -0x1.5c9cb2636a2f6p-5, -0x1.3ba56c9552e43p-5,
     -0x1.1e382d85da941p-5, -0x1.03e96f9f02a6ep-5, -0x1.d8b71130ad5f6p-6, -0x1.ae797e822841bp-6,
     -0x1.770a518d23756p-6, -0x1.398461e5cf94dp-6, -0x1.076d443e45f65p-6, -0x1.bcdadf96c0581p-7,
     -0x1.79649e0c2ac79p-7, -0x1.419d791da1b08p-7, -0x1.1346d11311040p-7, -0x1.d93441bcff311p-8,
     -0x1.985c1a1eff6b9p-8, -0x1.61c3bcf61d4c7p-8, -0x1.339b974694e56p-8, -0x1.0c6dc13bad5bep-8,
     -0x1.d616905afb398p-9, -0x1.9cfb465f41618p-9, -0x1.6bf6adc171017p-9, -0x1.41be16dbfda91p-9,
     -0x1.0ce0d80261477p-9, -0x1.ab64ca43e3c50p-10, -0x1.572ee09b0ee0cp-10, -0x1.163344f8d89fep-10,
     -0x1.c70ceb0d2e33cp-11, -0x1.773c514733417p-11, -0x1.37ccd92ab1a19p-11, -0x1.04f2886a8791ep-11,
     -0x1.b7b3f3ef2c3c0p-12, -0x1.74c6c48d04612p-12, -0x1.3de42fad5f4b5p-12, -0x1.10944b3d443f2p-12,
     -0x1.d5de53009885ep-13, -0x1.96f209810d684p-13, -0x1.62100e221dfdbp-13, -0x1.3561dc49092fep-13,
     -0x1.fd4001a9565c4p-14, -0x1.8de7aedd24015p-14, -0x1.3b1e14b84db42p-14, -0x1.f934b15c6e6e9p-15,
     -0x1.99759c3d1dc24p-15, -0x1.4f31f7c033cc8p-15, -0x1.14eae8dd93deep-15, -0x1.cd63573573b59p-16,
     -0x1.8356b5ffe5ca3p-16, -0x1.477c8777296e0p-16, -0x1.16b3e4720beedp-16, -0x1.dd4307c76885cp-17,
     -0x1.9af44c111b8a4p-17, -0x1.63b97a6ebbd26p-17, -0x1.356ebf3688f24p-17, -0x1.0e676b12d0ba4p-17,
     -0x1.bd5509e5f54c5p-18, -0x1.5c6d9b622772dp-18, -0x1.147111ac2b958p-18, -0x1.bc2999f44975bp-19,
     -0x1.68d87135556fep-19, -0x1.2824c890f3bcdp-19, -0x1.ea949ffb50ee7p-20, -0x1.99c34df16fbc7p-20,
     -0x1.58e606b224778p-20, -0x1.245bc17e787c9p-20, -0x1.f2e13f7640b8ap-21, -0x1.ac368966bf17fp-21,
     -0x1.719d04f2a6115p-21, -0x1.40b167a3a648dp-21, -0x1.1798d930b1f16p-21, -0x1.e9be84cc29e8cp-22,
     -0x1.949162513ff45p-22, -0x1.3dcd0790e5d28p-22, -0x1.fa2a81a7564f9p-23, -0x1.980bd4196ade4p-23},
    {0x1.fffffffef8a4bp-5, 0x1.a4471f7f09cafp-5, 0x1.714956e653a67p-5, 0x1.450f1fead89e9p-5,
     0x1.1ea13189d0ebap-5, 0x1.fa5bbace1f856p-6, 0x1.c0060b912cc86p-6, 0x1.8d12303a5ff60p-6,
     0x1.607dbc6d7b267p-6, 0x1.396c01873966ep-6, 0x1.172038bc8550ep-6, 0x1.f1f1403c8a91ep-7,
     0x1.bcd4c266397c5p-7, 0x1.8dfc3e5378d1dp-7, 0x1.649a213d008dcp-7, 0x1.3ffd1ba20a1e8p-7,
     0x1.10b9c6cb32202p-7, 0x1.baecfa5bdcbbcp-8, 0x1.699eb01709839p-8, 0x1.28c88e09ab1c3p-8,
     0x1.e99a7e2e6acd4p-9, 0x1.95d14b9428b08p-9, 0x1.51f3aec43d139p-9, 0x1.1ab66f0fb6eaep-9,
     0x1.db135eea145ccp-10, 0x1.90d95bc785259p-10, 0x1.53991144a2343p-10, 0x1.20d651e143693p-10,
     0x1.ed30eaba31f60p-11, 0x1.a69aa2dcba2f9p-11, 0x1.6b65f59f4fffap-11, 0x1.398d480b9550dp-11,
     0x1.f9b1853b278d6p-12, 0x1.7fb33c3a9ad0cp-12, 0x1.268a1b4b460bcp-12, 0x1.c9201333e2bfcp-13,
     0x1.66575d52d99a3p-13, 0x1.1b93ee574d09ep-13, 0x1.c4d2a6534fa8bp-14, 0x1.6c8de83a99d85p-14,
     0x1.27c9b6ad4dd43p-14, 0x1.e382f22749495p-15, 0x1.8dea6df5c79fcp-15, 0x1.4999b7561ab38p-15,
     0x1.12af4f8d04edbp-15, 0x1.cc7b1bf929262p-16, 0x1.84142a1727415p-16, 0x1.48bf086f4f2a6p-16,
     0x1.02a46f13bfe5bp-16, 0x1.7d9bc36c1acf4p-17, 0x1.1e1e4b523f23bp-17, 0x1.b36306663dea2p-18,
     0x1.4fb5cdfdf91dbp-18, 0x1.0604f0ab06fe2p-18, 0x1.9d9548742b38bp-19, 0x1.49c2519386426p-19,
     0x1.09685ce6f37d3p-19, 0x1.aef4048c991ccp-20, 0x1.60b38beb3a797p-20, 0x1.22d1ddce748c3p-20,
     0x1.e2ee61cabb469p-21, 0x1.9394051fd9d2ep-21, 0x1.534f8092286d9p-21, 0x1.1ee5daefc83e9p-21,
     0x1.c28b243a5c25cp-22, 0x1.4be708e5dbad9p-22, 0x1.f185f4b88f4efp-23, 0x1.7ab3958c2a614p-23,
     0x1.244b26f7af35fp-23, 0x1.c8e984c5977dap-24, 0x1.6939ad6d210bcp-24, 0x1.2091e000f3121p-24,
     0x1.d17abbc1bd550p-25, 0x1.7abb6335c1a5cp-25, 0x1.36a7d16cbafc2p-25, 0x1.00bb2bb754d90p-25,
     0x1.ab4ae19d3deb6p-26, 0x1.65e3a802ac4ddp-26, 0x1.2d9222286f036p-26, 0x1.ff19b10557f09p-27,
     0x1.929d0786383aap-27, 0x1.29d33e28fae16p-27, 0x1.c03440c8430a8p-28, 0x1.566fe04cc5ecep-28},
    {-0x1.b3c0584ee663fp-6, -0x1.5e51f452f18d0p-6, -0x1.2f952fdfc5049p-6, -0x1.078e2931a43d2p-6,
     -0x1.ca6cc1088897ap-7, -0x1.8f635ff1cf3e5p-7, -0x1.5c8e4103d0923p-7, -0x1.30b60604b5677p-7,
     -0x1.0ad4242fcf4cep-7, -0x1.d415b162ae04fp-8, -0x1.9b3cffa27da57p-8, -0x1.69e01e771cfb5p-8,
     -0x1.3ef0ff496bfbfp-8, -0x1.1989f728a5488p-8, -0x1.f1cec3680f1fcp-9, -0x1.b8c4a1cc45c3fp-9,
     -0x1.703f664ece2c4p-9, -0x1.233cd8ea8cc49p-9, -0x1.cf43d4af3b515p-10, -0x1.72778f3300dfdp-10,
     -0x1.29d3a1368dc81p-10, -0x1.e15090bd5ce8ap-11, -0x1.86dadfa097871p-11, -0x1.3eec09d62302ep-11,
     -0x1.05702eb08f680p-11, -0x1.ae8f95a9bb1d7p-12, -0x1.6416b756303d0p-12, -0x1.27bd4aae2ecf8p-12,
     -0x1.ed3d8658c3eb4p-13, -0x1.9cf1363cc0e8fp-13, -0x1.5b09902b09d29p-13, -0x1.24baaca4d0523p-13,
     -0x1.c8966634639e8p-14, -0x1.4bab64a532446p-14, -0x1.e80aff30bacd3p-15, -0x1.6b64b11b0965cp-15,
     -0x1.11a2a29af4467p-15, -0x1.a07683cdeb99ep-16, -0x1.4013a012325c5p-16, -0x1.f09a585a0f960p-17,
     -0x1.84a33f3c5644ep-17, -0x1.32ab72455522dp-17, -0x1.e7c484a2aafaep-18, -0x1.86c53ae834628p-18,
     -0x1.3b3f3ad203ef2p-18, -0x1.ffff2921794d3p-19, -0x1.a25e29f388414p-19, -0x1.57e273ac09e5fp-19,
     -0x1.02f30243ca2c1p-19, -0x1.693d472a2e3f2p-20, -0x1.00bdf3dbd0ea6p-20, -0x1.73381e54d1f87p-21,
     -0x1.1091e73c2709ep-21, -0x1.95fea4da9180fp-22, -0x1.3253d85d7990cp-22, -0x1.d3d28f2f8f033p-23,
     -0x1.6931ef8dfb11cp-23, -0x1.19bb9cd1c40dfp-23, -0x1.bbaf76d41c764p-24, -0x1.6074a0a9e1bdbp-24,
     -0x1.1a49e88a63275p-24, -0x1.c7a79b193a624p-25, -0x1.7263574a8ea7bp-25, -0x1.2f1aa5f778783p-25,
     -0x1.c60c908fcb54ap-26, -0x1.3b120b370c8ccp-26, -0x1.be53239192ca7p-27, -0x1.41fdcf3ce3be7p-27,
     -0x1.d85716a900992p-28, -0x1.5fac9ad6bf13dp-28, -0x1.096c96b7bd677p-28, -0x1.95aac6ace0660p-29,
     -0x1.398eb9b31028bp-29, -0x1.e9d46e0e076dcp-30, -0x1.8250ad52bf22dp-30, -0x1.3369ffbc5e186p-30,
     -0x1.ed55a6256f129p-31, -0x1.8eeb344ea9214p-31, -0x1.44e7c2cd47c27p-31, -0x1.0a69a14688485p-31,
     -0x1.9048a631c42e2p-32, -0x1.16de065ac9d6fp-32, -0x1.8c93d3fbca525p-33, -0x1.1f2e332c85de5p-33},
    {0x1.55553253f8283p-7, 0x1.0d3cda43a7497p-7, 0x1.ccc23e2c1167cp-8, 0x1.8afa194d34a26p-8,
     0x1.53320f79f7499p-8, 0x1.23cf192639197p-8, 0x1.f6f6dd2a0b2f0p-9, 0x1.b234b337fae4fp-9,
     0x1.777c834eec880p-9, 0x1.45410be4b5efep-9, 0x1.1a359e16625f4p-9, 0x1.ea864689c41b9p-10,
     0x1.aafe2879e9c3cp-10, 0x1.74480d0cef5bdp-10, 0x1.45170ba7f8d21p-10, 0x1.1c51fb03320a5p-10,
     0x1.d26d237656964p-11, 0x1.68011db1dd091p-11, 0x1.177b3a999a784p-11, 0x1.b46437b1245b8p-12,
     0x1.569187b7b8971p-12, 0x1.0e59bba6add89p-12, 0x1.acec005bf8c1ep-13, 0x1.55f598e83c17fp-13,
     0x1.11f4e72262915p-13, 0x1.b9078d03c5756p-14, 0x1.649fd14ed8db0p-14, 0x1.21a7ea1540b52p-14,
     0x1.d88eaa0db70bap-15, 0x1.8316d9fce2e81p-15, 0x1.3e5df4a314518p-15, 0x1.06e0824edaa89p-15,
     0x1.8d4aa24194461p-16, 0x1.14f19b205f9eap-16, 0x1.877098194ac0bp-17, 0x1.183c09efbf5dbp-17,
     0x1.9628bb9770c15p-18, 0x1.29bb43a62939dp-18, 0x1.b93fbbb98ccb9p-19, 0x1.4a5485940121cp-19,
     0x1.f36162e8cc535p-20, 0x1.7ceda775a8a02p-20, 0x1.2516aa090bb2fp-20, 0x1.c6b3facdb20f0p-21,
     0x1.6374415477f38p-21, 0x1.17e978c8d844cp-21, 0x1.bbec9f920be71p-22, 0x1.6259dd56a75e4p-22,
     0x1.ff5985fb42109p-23, 0x1.51aed061e7153p-23, 0x1.c788849140fa6p-24, 0x1.393c240216be0p-24,
     0x1.b66ccbbe37185p-25, 0x1.37d04c24d9487p-25, 0x1.c22789b961cb7p-26, 0x1.4967684d61317p-26,
     0x1.e8355c21294f0p-27, 0x1.6e09d1a582f95p-27, 0x1.156f0e959e0eap-27, 0x1.a8d24492a79f4p-28,
     0x1.4854b391d0afcp-28, 0x1.ffff47b29cc08p-29, 0x1.92811eb24e3c5p-29, 0x1.3ee1a4bbfa039p-29,
     0x1.c7d3caac4b69bp-30, 0x1.2a12193021666p-30, 0x1.8f2b80eb84e41p-31, 0x1.1104ea237683dp-31,
     0x1.7cb1a2c1ec86ep-32, 0x1.0e0fae7e7700ap-32, 0x1.8540e84f0ee72p-33, 0x1.1c9966886cbbfp-33,
     0x1.a5b39ff9dcbe8p-34, 0x1.3c3f9eef3f267p-34, 0x1.dfaf803f773c3p-35, 0x1.6f97ee8d168fep-35,
     0x1.1c6ced71aee6ap-35, 0x1.bc1e42a4caa82p-36, 0x1.5da708d3b8e3cp-36, 0x1.1571da33a31a3p-36,
     0x1.8d9603b8a6232p-37, 0x1.04e4d52b6c902p-37, 0x1.5ea16b83fbe2ep-38, 0x1.e159ea37245b4p-39},
    {-0x1.f1f409d4d1e21p-9, -0x1.81f14249bf22bp-9, -0x1.4661d3d49da04p-9, -0x1.14851fad66c2ap-9,
     -0x1.d56687a249c94p-10, -0x1.8f1fbf60c8360p-10, -0x1.53f83507230b0p-10, -0x1.2216aeb72af03p-10,
     -0x1.efe83cd8d5125p-11, -0x1.a89994251458dp-11, -0x1.6c28765a4db6bp-11, -0x1.38d6d8b242c5dp-11,
     -0x1.0d318cd2d8e46p-11, -0x1.d00652e39385fp-12, -0x1.9092a6b6a5681p-12, -0x1.5a57e922945c9p-12,
     -0x1.1742bdb0c2840p-12, -0x1.a565bb1be5330p-13, -0x1.3fd5a7c0e9485p-13, -0x1.e8513817561e1p-14,
     -0x1.76e1c4f393d6ap-14, -0x1.2160f609c3ef2p-14, -0x1.c12466fc9c91fp-15, -0x1.5e5ddfcd5b0d5p-15,
     -0x1.12b20de1899ccp-15, -0x1.b0da29dc67e16p-16, -0x1.56a9dcc987c6bp-16, -0x1.1086c620f5122p-16,
     -0x1.b37290a6eeab3p-17, -0x1.5d68cdf7fe4f3p-17, -0x1.199121eedd098p-17, -0x1.c7acc8bd7d076p-18,
     -0x1.4e2db6c665d3bp-18, -0x1.bffd9f190b6a9p-19, -0x1.30afbb8c75324p-19, -0x1.a42fe88c2e009p-20,
     -0x1.2587502b5ba75p-20, -0x1.9f2c1e611e971p-21, -0x1.290c92320ab5cp-21, -0x1.adc5ea0b521c8p-22,
     -0x1.3a285ea660c14p-22, -0x1.cfd92b6824094p-23, -0x1.59a7669c6bb3cp-23, -0x1.03e02c3ebd4ecp-23,
     -0x1.8a142f4d1395fp-24, -0x1.2d327d18b0c81p-24, -0x1.cfef7f95aa7dcp-25, -0x1.67e685a6d534bp-25,
     -0x1.f22a97e99829cp-26, -0x1.37d992cae37abp-26, -0x1.8fad6fb5983c7p-27, -0x1.05a6d931c571ep-27,
     -0x1.5d5a84d3d491fp-28, -0x1.dae873fe95b40p-29, -0x1.482d3457f758dp-29, -0x1.cc8a07a89e4dbp-30,
     -0x1.47bdcbdcc485dp-30, -0x1.d8a00f44735cep-31, -0x1.58f48da9c2ee0p-31, -0x1.fd4adb5e83d76p-32,
     -0x1.7bf6ce2deb1b8p-32, -0x1.1e4cd37043636p-32, -0x1.b379acf6aee8dp-33, -0x1.4e16b8ffd7b8fp-33,
     -0x1.c7e10ed6f1286p-34, -0x1.19091e41bb106p-34, -0x1.63ea603a266bbp-35, -0x1.cdb9cff4d08f9p-36,
     -0x1.3211f458b62c2p-36, -0x1.9dd7af941a6fap-37, -0x1.1cd6f4c55be40p-37, -0x1.8e92a786c072bp-38,
     -0x1.1b1474995418dp-38, -0x1.97b459979fed2p-39, -0x1.295eaea3b46a2p-39, -0x1.b6f2ca8a22046p-40,
     -0x1.478b0cebd222ep-40, -0x1.edd903a0d7daap-41, -0x1.77dd2199f0500p-41, -0x1.20a183c20c88dp-41,
     -0x1.8a87c3de9270bp-42, -0x1.e7beacc151740p-43, -0x1.35c5c35667026p-43, -0x1.9320f589e7671p-44},
    {0x1.54029c15bf88ap-10, 0x1.0440fa0e14f13p-10, 0x1.b35c776ac0e6ep-11, 0x1.6cd0c79307ec3p-11,
     0x1.32425392e5727p-11, 0x1.0190c5e1dcbe4p-11, 0x1.b2003b54ff81bp-12, 0x1.6e4b0ed5cab44p-12,
     0x1.35aff8ac56704p-12, 0x1.0647c8324b4b4p-12, 0x1.bd047694d4669p-13, 0x1.7a2bcf71ff52cp-13,
     0x1.41e6715a9b795p-13, 0x1.1273c9d4f6699p-13, 0x1.d4c1865d1298cp-14, 0x1.90f3baf5b9486p-14,
     0x1.3e4a3f1539aa6p-14, 0x1.d61e2373d559ap-15, 0x1.5d4b9d603278dp-15, 0x1.051042c699fc1p-15,
     0x1.887e4ccc85c96p-16, 0x1.28b503d4713a2p-16, 0x1.c30e70b41f8adp-17, 0x1.58aee757065a8p-17,
     0x1.08c4af4bdfb4ap-17, 0x1.98d3c75e2636fp-18, 0x1.3d31904eb3583p-18, 0x1.ee90ba82933fdp-19,
     0x1.835e01ca6141fp-19, 0x1.30c9d6de88006p-19, 0x1.e1c1e2536512dp-20, 0x1.7e62ba4812bb1p-20,
     0x1.10d5ec2a00e7bp-20, 0x1.6047b04af1fc0p-21, 0x1.cdde947cd3effp-22, 0x1.33328dba9038cp-22,
     0x1.9e4ce49478485p-23, 0x1.1b0969a158735p-23, 0x1.87888124aac8cp-24, 0x1.120130b981061p-24,
     0x1.83cdd2d6073b7p-25, 0x1.1559a6f69adf0p-25, 0x1.90b792dc1bff2p-26, 0x1.2441df9e52203p-26,
     0x1.ae32d5cbe58f5p-27, 0x1.3f5f8ef87557ep-27, 0x1.de1e5689c050bp-28, 0x1.68b46e8f33985p-28,
     0x1.e0230614e34b5p-29, 0x1.1d2ff3a5a5092p-29, 0x1.5b8c0ece32f80p-30, 0x1.b18eb3405eb5ep-31,
     0x1.144a05e7283b2p-31, 0x1.672760ceb80e9p-32, 0x1.db72149c4a05dp-33, 0x1.400921956a553p-33,
     0x1.b59eb8d7e4cb6p-34, 0x1.2f91295f8fb70p-34, 0x1.aade8f2ebb290p-35, 0x1.2fec5d679dee9p-35,
     0x1.b5e38a24b9caap-36, 0x1.3ef0b25b30448p-36, 0x1.d56c1f7a3b209p-37, 0x1.5cd0e884f6d3bp-37,
     0x1.c7502c87696adp-38, 0x1.08a6fb25e0486p-38, 0x1.3d003ffe10b41p-39, 0x1.860b9079e0c89p-40,
     0x1.ebb496173dae0p-41, 0x1.3cd386d7b0cbbp-41, 0x1.a08de9db4fb04p-42, 0x1.16e6e66886b04p-42,
     0x1.7bcf46c1d2de4p-43, 0x1.06a6475df21f2p-43, 0x1.707e5f0687e6ep-44, 0x1.05f1b0287156dp-44,
     0x1.7904d2762f9efp-45, 0x1.127394188ab94p-45, 0x1.93df763f94070p-46, 0x1.2c26d0d3cfdcfp-46,
     0x1.88104bf60d33ap-47, 0x1.c881da759133fp-48, 0x1.11fd22d74e75ep-48, 0x1.51f712430d3fap-49},
    {-0x1.9225adad35532p-12, -0x1.4c445032f7b95p-12, -0x1.130b44172e4a2p-12, -0x1.c832537f18919p-13,
     -0x1.7b0671affcee0p-13, -0x1.3b7ade7ca109ep-13, -0x1.070f59129e5d4p-13, -0x1.b77ab994332c9p-14,
     -0x1.6fc0714c014e3p-14, -0x1.3443fabbeda66p-14, -0x1.02d880842823fp-14, -0x1.b36fa13768bb5p-15,
     -0x1.6edd96eee491dp-15, -0x1.359b583b1afc2p-15, -0x1.05b6c3a353b73p-15, -0x1.bb2d75d6df045p-16,
     -0x1.5a70ae3f719dbp-16, -0x1.f5729069a62d1p-17, -0x1.6d25896863240p-17, -0x1.0b7f90c5a1197p-17,
     -0x1.8a3c1c491432cp-18, -0x1.242db5378c0fep-18, -0x1.b3835f9fdd2bap-19, -0x1.465bd0300684fp-19,
     -0x1.ebbc6dafcb5d5p-20, -0x1.746345ed82269p-20, -0x1.1b706647ef561p-20, -0x1.b19c72b8bead2p-21,
     -0x1.4d46b3b845815p-21, -0x1.015d61a80f8c0p-21, -0x1.8f5039fa2fc18p-22, -0x1.3729dea18698ep-22,
     -0x1.afff1c7444da9p-23, -0x1.0d1108a368c6bp-23, -0x1.548eed8634efcp-24, -0x1.b59fd9e9a5ddep-25,
     -0x1.1d414f14e7abfp-25, -0x1.78ff395776cafp-26, -0x1.f8c4b254a199fp-27, -0x1.5620f04dec7e3p-27,
     -0x1.d546b03536599p-28, -0x1.4576a6a0752e2p-28, -0x1.c8496ca5ef6c2p-29, -0x1.431d2a4b00819p-29,
     -0x1.ce120dd8b9e90p-30, -0x1.4d7511b2ab20fp-30, -0x1.e58ae0d2d585dp-31, -0x1.647af22a9f25cp-31,
     -0x1.c7f933cf674d9p-32, -0x1.0151d3e60aca6p-32, -0x1.2a86c489e12b5p-33, -0x1.632f2b117fe0cp-34,
     -0x1.b084e08e7e66cp-35, -0x1.0d0aa36c49233p-35, -0x1.55638592fdecbp-36, -0x1.b9319d55203e8p-37,
     -0x1.21f9158aefcfcp-37, -0x1.833ca6a58d553p-38, -0x1.0665b44a25e8dp-38, -0x1.6887996183575p-39,
     -0x1.f5c5912686f22p-40, -0x1.6167db32bbb73p-40, -0x1.f77ae488963f6p-41, -0x1.6a79cabc53bebp-41,
     -0x1.c3f5a3f235297p-42, -0x1.efb8b8c466f10p-43, -0x1.18f4a673e8fcap-43, -0x1.4808ce99f3476p-44,
     -0x1.8961ac8a8a9ebp-45, -0x1.e356175395291p-46, -0x1.2f928512b85d7p-46, -0x1.85215e249276bp-47,
     -0x1.fc287e77ccd15p-48, -0x1.5186c3cc748b4p-48, -0x1.c787a66b1fdcap-49, -0x1.37ef0ed32038cp-49,
     -0x1.b110bdccfd833p-50, -0x1.3074bd568ef4ap-50, -0x1.b12e82dd3b463p-51, -0x1.3799f0417bb17p-51,
     -0x1.844ecffe7407ep-52, -0x1.aa000319b2e0cp-53, -0x1.e363c1ae00b21p-54, -0x1.1aa8792c3fc1ep-54}
};

/* The float32 slow path in double: a capped at 38.9 (a Phi(-a) < 2^-1080),
 * R from GELU_R64 (row: exponent and top 4 mantissa bits of a + 1), lookups
 * by gather (SSE2: lane by lane). */
AC_INLINE vd gelu_f64(vd x, const vd *p)
{
    (void)p;
    vd am = vd_min(vd_abs(x), vd_set1(38.9));
    vd a = vd_select(vd_lt(am, vd_set1(0x1p-250)), vd_zero(), am);
    vd h = vd_mul(a, vd_set1(-0.5));
    vd sl, sh = vd_two_prod(h, a, &sl);
    vd k = vd_rint(vd_mul(sh, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(k, vd_set1(AC_LN2_HI_D), sh);
    r = vd_nmuladd(k, vd_set1(AC_LN2_LO_D), r);
    r = vd_add(r, sl);
    static const double ce[10] = { /* fit exp_f64: P(r), r^2 .. r^11 */
        0x1.000000000000ap-1, 0x1.55555555554fap-3, 0x1.5555555550880p-5, 0x1.1111111127bd6p-7,
        0x1.6c16c1842935fp-10, 0x1.a01a012a5b39fp-13, 0x1.a0199a0edfd94p-16, 0x1.71df254e530c2p-19,
        0x1.28ad706691583p-22, 0x1.ad7f6ed359816p-26};
    vd q = vd_set1(ce[9]);
    for (int j = 8; j >= 0; j--) q = vd_muladd(q, r, vd_set1(ce[j]));
    vd t2 = vd_mul(vd_mul(r, r), q);
    vdi idx = vdi_sub(vdi_srl(vd_as_i(vd_add(a, vd_set1(1.0))), 48), vdi_set1(1023 << 4));
    gelu_ixd ix = gelu_ixd_make(idx);
    vd d = vd_sub(a, gelu_lutd(GELU_R64[0], ix));
    vd s = gelu_lutd(GELU_R64[10], ix);
    for (int j = 9; j >= 2; j--) s = vd_muladd(s, d, gelu_lutd(GELU_R64[j], ix));
    vd c0 = gelu_lutd(GELU_R64[1], ix);
#ifdef AC_HAVE_FMA
    vd rh = vd_muladd(s, d, c0);
    vd rl = vd_muladd(s, d, vd_sub(c0, rh));
#else
    vd sd = vd_mul(s, d);
    vd rh = vd_add(c0, sd);
    vd rl = vd_add(vd_sub(c0, rh), sd);
#endif
    vd cc = vd_muladd(rh, t2, rl);
    cc = gelu_fma_f64(rh, r, cc);
    vd g = gelu_fma_f64(am, rh, vd_mul(am, cc));
    vd e = vd_select(vd_le(x, vd_zero()), k, vd_max(k, vd_set1(-80.0))); /* x > 0: capped */
    return vd_sub(vd_max(vd_set1(-0.0), x), vd_scale2(g, e));
}
AC_INLINE vd gelu_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

/* ------------------------------------------------------------------------ */
/* gelu_tanh                                                                */
/* ------------------------------------------------------------------------ */
#define GELU_K0_F 0x1.988454p+0f    /* K0 = 2 sqrt(2/pi) = K0_F + K0L_F */
#define GELU_K0L_F -0x1.857936p-25f
#define GELU_K1_F 0x1.2444f2p-4f    /* K1 = K0 * 0.044715 = K1_F + K1L_F */
#define GELU_K1L_F 0x1.49b16ap-29f
#define GELU_K0_D 0x1.9884533d43651p+0
#define GELU_K0L_D -0x1.cbc0d30ebfd15p-54
#define GELU_K1_D 0x1.2444f2a4d8b4bp-4
#define GELU_K1L_D -0x1.6c843a29d1c70p-61

/* gelu_tanh_H_table_f32: a sigmoid(-K0 a - K1 a^3) = P_i(a - c_i), i = round(a (0.046875 a^2 +
 * 1.25)); degree 7, 32 intervals; max rel. error with rounded coefficients 1.76e-08 (0.295 u), u =
 * 2^-24. Row 0: c_i, row k+1: coefficient of d^k. */
GELU_ALIGN static const float GELU_TH32[9][32] GELU_ALIGN_POST = {
    {0x0p+0f, 0x1.9707e2p-1f, 0x1.936f98p+0f, 0x1.12b98cp+1f, 0x1.511f2ep+1f, 0x1.86ea8ap+1f,
     0x1.b6128ep+1f, 0x1.dff752p+1f, 0x1.02eb3p+2f, 0x1.143b02p+2f, 0x1.242c0ep+2f, 0x1.32efeep+2f,
     0x1.40b68p+2f, 0x1.4dcaecp+2f, 0x1.5a0524p+2f, 0x1.658d2ep+2f, 0x1.70cb62p+2f, 0x1.7b3514p+2f,
     0x1.8567fap+2f, 0x1.8f2bep+2f, 0x1.9876dp+2f, 0x1.a183p+2f, 0x1.aa3664p+2f, 0x1.b29deap+2f,
     0x1.bac1f6p+2f, 0x1.c2a636p+2f, 0x1.ca5f2ep+2f, 0x1.d1ce24p+2f, 0x1.d91d96p+2f, 0x1.e01d4ep+2f,
     0x1.e7045cp+2f, 0x1.edca34p+2f},
    {0x0p+0f, 0x1.5b778cp-3f, 0x1.7418d2p-4f, 0x1.162c3cp-5f, 0x1.5cff18p-7f, 0x1.908fe2p-9f,
     0x1.b42db2p-11f, 0x1.cc556cp-13f, 0x1.d92be4p-15f, 0x1.dc71a8p-17f, 0x1.d93644p-19f, 0x1.d24f3ap-21f,
     0x1.c876aep-23f, 0x1.b4df1p-25f, 0x1.a5480ep-27f, 0x1.9740eap-29f, 0x1.7a2c04p-31f, 0x1.6d2eb6p-33f,
     0x1.53f76cp-35f, 0x1.3c4a86p-37f, 0x1.29e8b8p-39f, 0x1.13acfep-41f, 0x1.ffc22ep-44f, 0x1.dab1d8p-46f,
     0x1.b74c1cp-48f, 0x1.960836p-50f, 0x1.7255eep-52f, 0x1.562acep-54f, 0x1.36d21ap-56f, 0x1.214662p-58f,
     0x1.087c34p-60f, 0x1.df2b1p-63f},
    {0x1p-1f, -0x1.205944p-6f, -0x1.fddaep-4f, -0x1.209e36p-4f, -0x1.d524cep-6f, -0x1.4697acp-7f,
     -0x1.9f7424p-9f, -0x1.f34f1ap-11f, -0x1.1efbep-12f, -0x1.3ebaccp-14f, -0x1.5953e6p-16f, -0x1.6fda26p-18f,
     -0x1.82610ap-20f, -0x1.8aa776p-22f, -0x1.93cddep-24f, -0x1.9c3f2ep-26f, -0x1.933dc8p-28f, -0x1.98308ep-30f,
     -0x1.8d99fap-32f, -0x1.81fb94p-34f, -0x1.7a4adap-36f, -0x1.6ba2aap-38f, -0x1.5de4ccp-40f, -0x1.4fdb5p-42f,
     -0x1.4122aep-44f, -0x1.323b94p-46f, -0x1.1fdb76p-48f, -0x1.11b01cp-50f, -0x1.ff3fd8p-53f, -0x1.e87d3p-55f,
     -0x1.ca396p-57f, -0x1.a9889cp-59f},
    {-0x1.988458p-2f, -0x1.96eebep-3f, 0x1.b973d6p-6f, 0x1.ac7f8ep-5f, 0x1.0260fp-5f, 0x1.cd25fcp-7f,
     0x1.61570ep-8f, 0x1.ed5132p-10f, 0x1.41993cp-11f, 0x1.8e21dp-13f, 0x1.da651ep-15f, 0x1.12e7fap-16f,
     0x1.37783p-18f, 0x1.550604p-20f, 0x1.73970ep-22f, 0x1.91e08ep-24f, 0x1.9f3782p-26f, 0x1.b99feep-28f,
     0x1.c306cp-30f, 0x1.c9b4d6p-32f, 0x1.d3881ep-34f, 0x1.d38744p-36f, 0x1.d2f60cp-38f, 0x1.d06388p-40f,
     0x1.cb46c2p-42f, 0x1.c44caap-44f, 0x1.b69144p-46f, 0x1.ad726ap-48f, 0x1.9cbb18p-50f, 0x1.952618p-52f,
     0x1.862c08p-54f, 0x1.73b01ep-56f},
    {0x1.32234ep-19f, 0x1.09169ap-3f, 0x1.79734ep-5f, -0x1.ff456ap-8f, -0x1.0a015ap-6f, -0x1.5f7984p-7f,
     -0x1.586e56p-8f, -0x1.20c48ep-9f, -0x1.b44ff8p-11f, -0x1.319cacp-12f, -0x1.94f704p-14f, -0x1.0182bp-15f,
     -0x1.3cd704p-17f, -0x1.75e87cp-19f, -0x1.b3d5fep-21f, -0x1.f53742p-23f, -0x1.1263e6p-24f, -0x1.337a08p-26f,
     -0x1.4a0be8p-28f, -0x1.5ede5p-30f, -0x1.763a48p-32f, -0x1.85f3fep-34f, -0x1.94e24ep-36f, -0x1.a1ba18p-38f,
     -0x1.abd308p-40f, -0x1.b397bap-42f, -0x1.b42022p-44f, -0x1.b839a6p-46f, -0x1.b3b8dp-48f, -0x1.b7c2a4p-50f,
     -0x1.b31928p-52f, -0x1.a977a6p-54f},
    {0x1.118dccp-4f, -0x1.a3ae4ap-11f, -0x1.15a004p-5f, -0x1.898ecap-7f, 0x1.6771e2p-10f, 0x1.0d9eaap-8f,
     0x1.90261cp-9f, 0x1.af74aep-10f, 0x1.882286p-11f, 0x1.3e41bp-12f, 0x1.dcb018p-14f, 0x1.5095e4p-15f,
     0x1.c5cd3ep-17f, 0x1.22af5p-18f, 0x1.6c86a8p-20f, 0x1.bfd5b6p-22f, 0x1.04d9b2p-23f, 0x1.34f718p-25f,
     0x1.5d92dap-27f, 0x1.8646fap-29f, 0x1.b39238p-31f, 0x1.d9dcp-33f, 0x1.0029ecp-34f, 0x1.1298aap-36f,
     0x1.23a204p-38f, 0x1.335bbep-40f, 0x1.3e1eacp-42f, 0x1.4b581p-44f, 0x1.5211bap-46f, 0x1.5f182cp-48f,
     0x1.6529eap-50f, 0x1.66c7b8p-52f},
    {0x1.fa20bap-13f, -0x1.68658ap-6f, 0x1.3451e6p-8f, 0x1.fe8e44p-8f, 0x1.8b76a4p-9f, -0x1.d6f532p-16f,
     -0x1.cddb9ep-11f, -0x1.8ea23ap-11f, -0x1.d9610ap-12f, -0x1.d0c2f4p-13f, -0x1.93ea82p-14f, -0x1.42532ep-15f,
     -0x1.e23e12p-17f, -0x1.528d9cp-18f, -0x1.cc1b64p-20f, -0x1.2fb072p-21f, -0x1.7a3d14p-23f, -0x1.db643ap-25f,
     -0x1.1c6d42p-26f, -0x1.4e6f04p-28f, -0x1.87839cp-30f, -0x1.bda302p-32f, -0x1.f6a86p-34f, -0x1.186248p-35f,
     -0x1.353ee6p-37f, -0x1.51d0b2p-39f, -0x1.69e0bep-41f, -0x1.855992p-43f, -0x1.99ea24p-45f, -0x1.b66e9ep-47f,
     -0x1.caf5a8p-49f, -0x1.d9f7c6p-51f},
    {-0x1.6b7d4p-7f, 0x1.baafc2p-9f, 0x1.eb615ep-9f, -0x1.3966e8p-10f, -0x1.a91bb8p-10f, -0x1.86b23ep-11f,
     -0x1.68d79ep-14f, 0x1.4b1e12p-13f, 0x1.619c86p-13f, 0x1.d24f1ap-14f, 0x1.eedcfcp-15f, 0x1.cbdfeap-16f,
     0x1.857388p-17f, 0x1.2f96dap-18f, 0x1.c3f4fcp-20f, 0x1.4395b6p-21f, 0x1.b06bp-23f, 0x1.22b67p-24f,
     0x1.70f238p-26f, 0x1.c9f8e6p-28f, 0x1.1a6bdep-29f, 0x1.50d72ap-31f, 0x1.8d367ep-33f, 0x1.ce2c86p-35f,
     0x1.0932c8p-36f, 0x1.2cd756p-38f, 0x1.4d5b56p-40f, 0x1.735728p-42f, 0x1.92f4dep-44f, 0x1.bdd114p-46f,
     0x1.e09aeep-48f, 0x1.fdaff6p-50f},
    {0x1.b1dbep-10f, 0x1.5863b2p-9f, -0x1.75b062p-10f, -0x1.9eebb8p-11f, 0x1.20e726p-13f, 0x1.50b3c2p-12f,
     0x1.a80f6ap-13f, 0x1.f2017cp-15f, -0x1.04f5p-16f, -0x1.177cdep-15f, -0x1.be8608p-16f, -0x1.0a1d3p-16f,
     -0x1.0d4adcp-17f, -0x1.e7fb88p-19f, -0x1.976c6ap-20f, -0x1.3f24a6p-21f, -0x1.dadcfcp-23f, -0x1.528224p-24f,
     -0x1.d1829cp-26f, -0x1.3653dcp-27f, -0x1.92c948p-29f, -0x1.fe9e0ep-31f, -0x1.3cfae6p-32f, -0x1.824d1p-34f,
     -0x1.cefe6ep-36f, -0x1.114f4cp-37f, -0x1.3e4bcp-39f, -0x1.6e1916p-41f, -0x1.a04dfp-43f, -0x1.d475f4p-45f,
     -0x1.050a54p-46f, -0x1.205432p-48f}
};

#define GELU_TANH_FAST_A 7.74f /* a (0.046875 a^2 + 1.25) = 31.4 < 31.5 */

/* Fast path (every lane x >= -GELU_TANH_FAST_A): y = max(x, 0) - H(a),
 * H = a sigmoid(-t(a)) from GELU_TH32. */
AC_INLINE vf gelu_tanh_fast_f32(vf x)
{
    vf a = vf_min(vf_abs(x), vf_set1(GELU_TANH_FAST_A));
    vf ai = vf_max(a, vf_set1(0x1p-30f)); /* ai*ai must not underflow; still row 0 */
    /* row i = round(a (0.046875 a^2 + 1.25)) in the low bits of t */
    vf u = vf_muladd(vf_mul(ai, ai), vf_set1(0.046875f), vf_set1(1.25f));
    vf t = vf_muladd(ai, u, vf_set1(0x1.8p23f));
    gelu_ixf ix = gelu_ixf_make(vf_as_i(t));
    vf d = vf_sub(a, gelu_lut32(GELU_TH32[0], ix));
#ifdef AC_HAVE_FMA
    vf di = d;
#else
    vf di = vf_select(vf_lt(a, vf_set1(0x1p-60f)), vf_zero(), d);
#endif
    vf s = gelu_lut32(GELU_TH32[8], ix);
    s = vf_muladd(s, di, gelu_lut32(GELU_TH32[7], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_TH32[6], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_TH32[5], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_TH32[4], ix));
    s = vf_muladd(s, di, gelu_lut32(GELU_TH32[3], ix));
    s = gelu_fma_f32(s, di, gelu_lut32(GELU_TH32[2], ix));
    vf h = gelu_fma_f32(s, d, gelu_lut32(GELU_TH32[1], ix));
    return vf_sub(vf_max(vf_set1(-0.0f), x), h); /* max(-0, x): keeps -0 */
}

AC_INLINE vf gelu_two_sum_f32(vf a, vf b, vf *err)
{
    vf s = vf_add(a, b), bb = vf_sub(s, a);
    *err = vf_add(vf_sub(a, vf_sub(s, bb)), vf_sub(b, bb));
    return s;
}

/* Slow path (any x): a sigmoid(-t), t = a (K0 + K1 a^2) in double-float.
 * a is capped at 11, where a sigmoid(-t) < 2^-160. */
AC_INLINE vf gelu_tanh_slow_f32(vf x)
{
    vf am = vf_min(vf_abs(x), vf_set1(11.0f));
    vf a = vf_select(vf_lt(am, vf_set1(0x1p-30f)), vf_zero(), am);
    /* t = a (K0 + K1 a^2) = th + tl, relative error ~2^-44 */
    vf sl, sh = vf_two_prod(a, a, &sl);
    vf pl, ph = vf_two_prod(vf_set1(GELU_K1_F), sh, &pl);
    pl = vf_muladd(vf_set1(GELU_K1_F), sl, pl);
    pl = vf_muladd(vf_set1(GELU_K1L_F), sh, pl);
    vf wl, wh = gelu_two_sum_f32(vf_set1(GELU_K0_F), ph, &wl);
    wl = vf_add(wl, vf_add(pl, vf_set1(GELU_K0L_F)));
    vf tl, th = vf_two_prod(a, wh, &tl);
    tl = vf_muladd(a, wl, tl);
    /* G = sigmoid(-t) = E / (1 + E), E = exp(-t) = (p + pl) 2^n */
    vf el, n, ep = vf_exp_parts(vf_neg(th), vf_neg(tl), &el, &n);
    vf nc = vf_max(n, vf_set1(-40.0f)); /* E < 2^-39 only matters through the numerator */
    vf es = vf_scale2(ep, nc);
    vf den = vf_add(vf_set1(1.0f), es);
    vf denl = vf_add(vf_add(vf_sub(vf_set1(1.0f), den), es), vf_scale2(el, nc));
    vf inv = vf_div(vf_set1(1.0f), den);
    vf y = vf_mul(ep, inv);
    vf yl = vf_mul(vf_add(vf_residual(y, den, ep), vf_nmuladd(y, denl, el)), inv);
    /* a G = a (y + yl) 2^n, rounded once then scaled (x > 0: scale capped) */
    vf g = vf_fma_accurate(am, y, vf_mul(am, yl));
    vf e = vf_select(vf_le(x, vf_zero()), n, nc);
    return vf_sub(vf_max(vf_set1(-0.0f), x), vf_scale2(g, e));
}

AC_INLINE vf gelu_tanh_f32(vf x, const vf *p)
{
    (void)p;
#ifndef GELU_TEST_PATH
    mf tail = vf_lt(x, vf_set1(-GELU_TANH_FAST_A));
    /* Lanes >= -A take the fast path's value even in a vector that needs the
     * slow path, so a result never depends on its neighbours; the clamp keeps
     * the tail lanes inside the fast path's table. */
    if (AC_UNLIKELY(mf_any(tail)))
        return vf_select(tail, gelu_tanh_slow_f32(x), gelu_tanh_fast_f32(vf_max(x, vf_set1(-GELU_TANH_FAST_A))));
    return gelu_tanh_fast_f32(x);
#elif GELU_TEST_PATH == 1
    return gelu_tanh_fast_f32(x);
#else
    return gelu_tanh_slow_f32(x);
#endif
}
AC_INLINE vf gelu_tanh_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }

AC_INLINE vd gelu_two_sum_f64(vd a, vd b, vd *err)
{
    vd s = vd_add(a, b), bb = vd_sub(s, a);
    *err = vd_add(vd_sub(a, vd_sub(s, bb)), vd_sub(b, bb));
    return s;
}

/* The float32 slow path in double-double: a capped at 22 (a G < 2^-1140). */
AC_INLINE vd gelu_tanh_f64(vd x, const vd *p)
{
    (void)p;
    vd am = vd_min(vd_abs(x), vd_set1(22.0));
    vd a = vd_select(vd_lt(am, vd_set1(0x1p-400)), vd_zero(), am);
    vd sl, sh = vd_two_prod(a, a, &sl);
    vd pl, ph = vd_two_prod(vd_set1(GELU_K1_D), sh, &pl);
    pl = vd_muladd(vd_set1(GELU_K1_D), sl, pl);
    pl = vd_muladd(vd_set1(GELU_K1L_D), sh, pl);
    vd wl, wh = gelu_two_sum_f64(vd_set1(GELU_K0_D), ph, &wl);
    wl = vd_add(wl, vd_add(pl, vd_set1(GELU_K0L_D)));
    vd tl, th = vd_two_prod(a, wh, &tl);
    tl = vd_muladd(a, wl, tl);
    vd el, n, ep = vd_exp_parts(vd_neg(th), vd_neg(tl), &el, &n);
    vd nc = vd_max(n, vd_set1(-80.0));
    vd es = vd_scale2(ep, nc);
    vd den = vd_add(vd_set1(1.0), es);
    vd denl = vd_add(vd_add(vd_sub(vd_set1(1.0), den), es), vd_scale2(el, nc));
    vd inv = vd_div(vd_set1(1.0), den);
    vd y = vd_mul(ep, inv);
    vd yl = vd_mul(vd_add(vd_residual(y, den, ep), vd_nmuladd(y, denl, el)), inv);
    vd g = vd_fma_accurate(am, y, vd_mul(am, yl));
    vd e = vd_select(vd_le(x, vd_zero()), n, nc);
    return vd_sub(vd_max(vd_set1(-0.0), x), vd_scale2(g, e));
}
AC_INLINE vd gelu_tanh_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(gelu, 0)
AC_FORWARD(gelu_tanh, 0)

/* ======================================================================== */
/* derivatives                                                              */
/* ======================================================================== */
/*
 * Both forms have f'(x) + f'(-x) = 1 (Phi(x) + Phi(-x) = 1, x phi(x) odd;
 * likewise sigmoid(t) + sigmoid(-t) with t odd), so with a = |x| and
 * F(a) = f'(-a):
 *     f'(x) = F(a)  (x <= 0),    1 - F(a)  (x > 0)
 * F <= 1/2, so 1 - F >= 1/2 never cancels; F < 0 for a beyond the root and
 * F -> 0- in the tail, where it must stay relative-accurate down to where it
 * underflows (F is scaled by its 2^k last; for x > 0 the scale is capped
 * where F no longer changes 1 - F).
 *  gelu:      F = Phi(-a) - a phi(a) = e^(-a^2/2) (R(a) - a C),
 *             R(a) = Phi(-a) e^(a^2/2) (the forward's R tables), C = 1/sqrt(2 pi)
 *  gelu_tanh: F = e (1 + e - a T')/(1 + e)^2, e = exp(-T), T = a (K0 + K1 a^2),
 *             T' = K0 + 3 K1 a^2
 * The bracket vanishes at the root x0 (gelu -0.75179, gelu_tanh -0.75246):
 * around it the errors of R or e grow, relative to F, as 1/|x - x0|, so
 * there F(x0 + d) = d Q(d) with d = (x - X0_HI) - X0_LO (x - X0_HI exact,
 * Sterbenz or same binade), Q from the fits gelu_d_root_* /
 * gelu_tanh_d_root_f64 with Q(0) = C0 + C0_LO: d C0 rounded once, the rest
 * a correction: < 1 ulp up to the root.  Outside the window the bracket's
 * inputs are amplified by at most ~2 (gelu, |d| >= 1/4), ~6 (gelu_tanh
 * f64, 1/16; there e, from vmath.h's exp with its low part, is good to
 * ~2^-56).
 */
#define GELU_ISQ2PI_F 0x1.988454p-2f /* 1/sqrt(2 pi) = C_F + CL_F */
#define GELU_ISQ2PI_L_F -0x1.857936p-27f
#define GELU_ISQ2PI_D 0x1.9884533d43651p-2
#define GELU_ISQ2PI_L_D -0x1.cbc0d30ebfd15p-56
#define GELU_D_X0_HI_F -0x1.80ead2p-1f /* fit gelu_d_root_f32: root, hi + lo; Q(0) = C0 + C0_LO */
#define GELU_D_X0_LO_F 0x1.a03fd4p-27f
#define GELU_D_C0_F 0x1.b9d99p-2f
#define GELU_D_C0_LO_F -0x1.5f91ccp-28f
#define GELU_D_X0_HI_D -0x1.80ead197f00b4p-1 /* fit gelu_d_root_f64 */
#define GELU_D_X0_LO_D 0x1.13e74c58cada8p-56
#define GELU_D_C0_LO_D 0x1.fc697907ca7edp-56
#define GELU_TANH_D_X0_HI_D -0x1.81429f9e97e4dp-1 /* fit gelu_tanh_d_root_f64 */
#define GELU_TANH_D_X0_LO_D 0x1.4f523ed77dbdcp-55
#define GELU_TANH_D_C0_LO_D 0x1.7625611e8bddbp-56

/* a + b = s + err exactly */
AC_INLINE vf gelu_two_sum_err_f32(vf a, vf b, vf s)
{
    vf bb = vf_sub(s, a);
    return vf_add(vf_sub(a, vf_sub(s, bb)), vf_sub(b, bb));
}

/*
 * gelu' float32, any x: the forward's slow path with R(a) - a C in place of
 * a R(a).  exp(-a^2/2) = 2^k (1 + m) (a^2/2 exact into the reduction, fit
 * exp_f32), R = rh + rl (GELU_R32), a C = ph + pl exactly (C = C_F + CL_F),
 * W = R - a C = Wh + Wl (two-sum), F = 2^k (Wh + (Wh m + Wl (1 + r))) rounded once
 * before the scaling.  Error: R's fit and evaluation (~0.3 u) times
 * |R/W| <= 2 outside the root window, exp's reduction and polynomial
 * (~0.3 u), the roundings of Wh m + Wl and of the sum: < 2 ulp (1.9
 * measured; 1.15 next to the window).  a is capped at 14.5 (|F| < 2^-150) and taken as 0 below 2^-29
 * (F = 1/2 - 0.8 a: 1/2 to 2^-28 relative), as in the forward.
 * The root window |x - x0| < 1/4 (x in [-1.0, -0.5]) evaluates d Q(d),
 * fit gelu_d_root_f32 (degree 9, fitted on |d| <= 1/2), in vectors that
 * have such a lane: < 1.1 ulp measured.
 */
AC_INLINE vf gelu_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vf am = vf_min(vf_abs(x), vf_set1(14.5f));
    vf a = vf_select(vf_lt(am, vf_set1(0x1p-29f)), vf_zero(), am);
    vf h = vf_mul(a, vf_set1(-0.5f));
    vf sl, sh = vf_two_prod(h, a, &sl);
    vf k = vf_rint(vf_mul(sh, vf_set1(AC_LOG2E_F)));
    vf r = vf_nmuladd(k, vf_set1(AC_LN2_HI_F), sh);
    r = vf_nmuladd(k, vf_set1(AC_LN2_LO_F), r);
    r = vf_add(r, sl);
    vf q = vf_set1(0x1.6a243ap-10f); /* fit exp_f32 */
    q = vf_muladd(q, r, vf_set1(0x1.1239ep-7f));
    q = vf_muladd(q, r, vf_set1(0x1.5558f2p-5f));
    q = vf_muladd(q, r, vf_set1(0x1.555492p-3f));
    q = vf_muladd(q, r, vf_set1(0x1.fffffcp-2f));
    vf t2 = vf_mul(vf_mul(r, r), q);
    vfi idx = vfi_sub(vfi_srl(vf_as_i(vf_add(a, vf_set1(1.0f))), 20), vfi_set1(1016));
    gelu_ixf ix = gelu_ixf_make(idx);
    vf d = vf_sub(a, gelu_lut32(GELU_R32[0], ix));
    vf s = gelu_lut32(GELU_R32[6], ix);
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[5], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[4], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[3], ix));
    s = vf_muladd(s, d, gelu_lut32(GELU_R32[2], ix));
    vf c0 = gelu_lut32(GELU_R32[1], ix);
#ifdef AC_HAVE_FMA
    vf rh = vf_muladd(s, d, c0);
    vf rl = vf_muladd(s, d, vf_sub(c0, rh));
#else
    vf sd = vf_mul(s, d);
    vf rh = vf_add(c0, sd);
    vf rl = vf_add(vf_sub(c0, rh), sd);
#endif
    vf pl, ph = vf_two_prod(a, vf_set1(GELU_ISQ2PI_F), &pl);
    vf Wh = vf_sub(rh, ph);
    vf Wl = vf_add(gelu_two_sum_err_f32(rh, vf_neg(ph), Wh),
                   vf_sub(rl, vf_muladd(a, vf_set1(GELU_ISQ2PI_L_F), pl)));
    vf cc = vf_muladd(Wh, t2, vf_muladd(Wl, r, Wl)); /* Wh t2 + Wl (1 + r) */
    cc = gelu_fma_f32(Wh, r, cc);
    vf Fu = vf_add(Wh, cc);
    mf neg = vf_le(x, vf_zero());
    vf F = vf_scale2(Fu, vf_select(neg, k, vf_max(k, vf_set1(-40.0f))));
    vf y = vf_select(neg, F, vf_sub(vf_set1(1.0f), F));
    vf dh = vf_sub(x, vf_set1(GELU_D_X0_HI_F)); /* exact in the window */
    mf root = vf_lt(vf_abs(dh), vf_set1(0.25f));
    if (AC_UNLIKELY(mf_any(root))) {
        vf dhc = vf_clamp(dh, -0.25f, 0.25f);
        vf dd = vf_sub(dhc, vf_set1(GELU_D_X0_LO_F));
        vf qq = vf_muladd(vf_set1(0x1.624ef2p-13f), dd, vf_set1(-0x1.6b788ep-11f)); /* fit gelu_d_root_f32 */
        qq = vf_muladd(qq, dd, vf_set1(-0x1.2491ccp-9f));
        qq = vf_muladd(qq, dd, vf_set1(0x1.28c25cp-8f));
        qq = vf_muladd(qq, dd, vf_set1(0x1.3e2f38p-6f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.e40064p-7f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.d2fa36p-4f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.2a2f1ap-6f));
        qq = vf_muladd(qq, dd, vf_set1(0x1.8d9a94p-2f));
        vf rest = vf_muladd(dhc, vf_set1(GELU_D_C0_LO_F), vf_set1(-GELU_D_X0_LO_F * GELU_D_C0_F));
        vf yroot = vf_fma_accurate(dhc, vf_set1(GELU_D_C0_F), vf_muladd(dd, vf_mul(dd, qq), rest));
        y = vf_select(root, yroot, y);
    }
    return y;
}
AC_INLINE vf gelu_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

/* gelu' float64: the same with GELU_R64 (a capped at 38.9, 0 below 2^-250)
 * and the double exp (fit exp_f64); root window |x - x0| < 1/4, fit
 * gelu_d_root_f64 (degree 13). */
AC_INLINE vd gelu_derivative_f64(vd x, const vd *p)
{
    (void)p;
    static const double cr[14] = { /* fit gelu_d_root_f64 */
        0x1.b9d98fa5a3215p-2, 0x1.8d9a941de3ac5p-2, -0x1.2a2ef9bb86620p-6, -0x1.d2fa4c17c7e23p-4,
        -0x1.e4088244eaa7ap-7, 0x1.3e346def35e04p-6, 0x1.297b9d6530218p-8, -0x1.258a6d708c6e8p-9,
        -0x1.8680e7da81ca8p-11, 0x1.86c840e97338ap-13, 0x1.6955ac6f1cea1p-14, -0x1.782ed4594bf24p-17,
        -0x1.ffb20397f3844p-18, 0x1.bf5337b8317f3p-22};
    static const double ce[10] = { /* fit exp_f64: P(r), r^2 .. r^11 */
        0x1.000000000000ap-1, 0x1.55555555554fap-3, 0x1.5555555550880p-5, 0x1.1111111127bd6p-7,
        0x1.6c16c1842935fp-10, 0x1.a01a012a5b39fp-13, 0x1.a0199a0edfd94p-16, 0x1.71df254e530c2p-19,
        0x1.28ad706691583p-22, 0x1.ad7f6ed359816p-26};
    vd am = vd_min(vd_abs(x), vd_set1(38.9));
    vd a = vd_select(vd_lt(am, vd_set1(0x1p-250)), vd_zero(), am);
    vd h = vd_mul(a, vd_set1(-0.5));
    vd sl, sh = vd_two_prod(h, a, &sl);
    vd k = vd_rint(vd_mul(sh, vd_set1(AC_LOG2E_D)));
    vd r = vd_nmuladd(k, vd_set1(AC_LN2_HI_D), sh);
    r = vd_nmuladd(k, vd_set1(AC_LN2_LO_D), r);
    r = vd_add(r, sl);
    vd q = vd_set1(ce[9]);
    for (int j = 8; j >= 0; j--) q = vd_muladd(q, r, vd_set1(ce[j]));
    vd t2 = vd_mul(vd_mul(r, r), q);
    vdi idx = vdi_sub(vdi_srl(vd_as_i(vd_add(a, vd_set1(1.0))), 48), vdi_set1(1023 << 4));
    gelu_ixd ix = gelu_ixd_make(idx);
    vd d = vd_sub(a, gelu_lutd(GELU_R64[0], ix));
    vd s = gelu_lutd(GELU_R64[10], ix);
    for (int j = 9; j >= 2; j--) s = vd_muladd(s, d, gelu_lutd(GELU_R64[j], ix));
    vd c0 = gelu_lutd(GELU_R64[1], ix);
#ifdef AC_HAVE_FMA
    vd rh = vd_muladd(s, d, c0);
    vd rl = vd_muladd(s, d, vd_sub(c0, rh));
#else
    vd sd = vd_mul(s, d);
    vd rh = vd_add(c0, sd);
    vd rl = vd_add(vd_sub(c0, rh), sd);
#endif
    vd pl, ph = vd_two_prod(a, vd_set1(GELU_ISQ2PI_D), &pl);
    vd Wl, Wh = gelu_two_sum_f64(rh, vd_neg(ph), &Wl);
    Wl = vd_add(Wl, vd_sub(rl, vd_muladd(a, vd_set1(GELU_ISQ2PI_L_D), pl)));
    vd cc = vd_muladd(Wh, t2, vd_muladd(Wl, r, Wl));
    cc = gelu_fma_f64(Wh, r, cc);
    vd Fu = vd_add(Wh, cc);
    md neg = vd_le(x, vd_zero());
    vd F = vd_scale2(Fu, vd_select(neg, k, vd_max(k, vd_set1(-80.0))));
    vd y = vd_select(neg, F, vd_sub(vd_set1(1.0), F));
    vd dh = vd_sub(x, vd_set1(GELU_D_X0_HI_D));
    vd dhc = vd_clamp(dh, -0.25, 0.25);
    vd dd = vd_sub(dhc, vd_set1(GELU_D_X0_LO_D));
    vd qq = vd_set1(cr[13]);
    for (int j = 12; j >= 1; j--) qq = vd_muladd(qq, dd, vd_set1(cr[j]));
    vd rest = vd_muladd(dhc, vd_set1(GELU_D_C0_LO_D), vd_set1(-GELU_D_X0_LO_D * cr[0]));
    vd yroot = vd_fma_accurate(dhc, vd_set1(cr[0]), vd_muladd(dd, vd_mul(dd, qq), rest));
    return vd_select(vd_lt(vd_abs(dh), vd_set1(0.25)), yroot, y);
}
AC_INLINE vd gelu_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

/*
 * gelu_tanh' float64: T + Tl = a (K0 + K1 a^2) and A + Al = a T' as
 * double-doubles (the forward's scheme: T reaches 800, where a rounded T
 * would cost 800 ulp of e; a T' enters the cancelling bracket),
 * e = exp(-T - Tl) = (p + pl) 2^n (vmath.h exp parts), 1 + e = d + dl,
 * 1/(1 + e) = y0 + c, its square h + l, M = 1 - A + e = Mh + Ml (two-sums),
 * F = (p + pl) M (h + l) rounded once, then scaled by 2^n (capped at 2^-80
 * for x > 0).  a is capped at 22 (|F| < 2^-1100) and taken as 0 below
 * 2^-400 (F = 1/2).  Root window |x - x0| < 1/16, fit gelu_tanh_d_root_f64.
 */
AC_INLINE vd gelu_tanh_derivative_f64(vd x, const vd *p)
{
    (void)p;
    static const double cr[11] = { /* fit gelu_tanh_d_root_f64 */
        0x1.b8bacd2c96b91p-2, 0x1.8cd1a2b2fff33p-2, -0x1.029615edb077ap-6, -0x1.d2b773464702dp-4,
        -0x1.104a83edc0e8cp-6, 0x1.427996db748acp-6, 0x1.58c9ed710eee1p-8, -0x1.3d8d5782b3759p-9,
        -0x1.e63f1c6f3157ep-11, 0x1.145adbb05c42fp-12, 0x1.0447c22aac611p-13};
    const vd one = vd_set1(1.0);
    vd am = vd_min(vd_abs(x), vd_set1(22.0));
    vd a = vd_select(vd_lt(am, vd_set1(0x1p-400)), vd_zero(), am);
    vd sl, sh = vd_two_prod(a, a, &sl);
    vd pl, ph = vd_two_prod(vd_set1(GELU_K1_D), sh, &pl); /* K1 a^2 */
    pl = vd_muladd(vd_set1(GELU_K1_D), sl, pl);
    pl = vd_muladd(vd_set1(GELU_K1L_D), sh, pl);
    vd wl, wh = gelu_two_sum_f64(vd_set1(GELU_K0_D), ph, &wl);
    wl = vd_add(wl, vd_add(pl, vd_set1(GELU_K0L_D)));
    vd tl, th = vd_two_prod(a, wh, &tl);
    tl = vd_muladd(a, wl, tl);
    /* T' = K0 + 3 K1 a^2, A = a T' */
    vd p3l, p3h = vd_two_prod(vd_set1(3.0), ph, &p3l);
    p3l = vd_muladd(vd_set1(3.0), pl, p3l);
    vd vl, vh = gelu_two_sum_f64(vd_set1(GELU_K0_D), p3h, &vl);
    vl = vd_add(vl, vd_add(p3l, vd_set1(GELU_K0L_D)));
    vd Al, Ah = vd_two_prod(a, vh, &Al);
    Al = vd_muladd(a, vl, Al);
    /* e = (ep + el) 2^n */
    vd el, n, ep = vd_exp_parts(vd_neg(th), vd_neg(tl), &el, &n);
    vd S = vd_pow2i(vd_max(n, vd_set1(-120.0)));
    vd E = vd_mul(S, ep), El = vd_mul(S, el); /* exact */
    vd dd = vd_add(one, E);
    vd ddl = vd_add(vd_add(vd_sub(one, dd), E), El);
    vd y0 = vd_div(one, dd);
    vd c = vd_mul(vd_nmuladd(y0, ddl, vd_residual(y0, dd, one)), y0);
    vd l0, hh = vd_two_prod(y0, y0, &l0);
    vd ll = vd_muladd(vd_add(y0, y0), c, l0);
    /* M = 1 - A + E */
    vd ul, u = gelu_two_sum_f64(one, vd_neg(Ah), &ul);
    ul = vd_sub(ul, Al);
    vd Ml, Mh = gelu_two_sum_f64(u, E, &Ml);
    Ml = vd_add(Ml, vd_add(ul, El));
    vd vvl, vv = vd_two_prod(ep, Mh, &vvl);
    vd w = vd_add(vvl, vd_muladd(ep, Ml, vd_mul(el, Mh)));
    vd Fu = vd_fma_accurate(vv, hh, vd_muladd(vv, ll, vd_mul(w, hh)));
    md neg = vd_le(x, vd_zero());
    vd F = vd_scale2(Fu, vd_select(neg, n, vd_max(n, vd_set1(-80.0))));
    vd y = vd_select(neg, F, vd_sub(one, F));
    vd dh = vd_sub(x, vd_set1(GELU_TANH_D_X0_HI_D));
    vd dhc = vd_clamp(dh, -0.0625, 0.0625);
    vd d2 = vd_sub(dhc, vd_set1(GELU_TANH_D_X0_LO_D));
    vd qq = vd_set1(cr[10]);
    for (int j = 9; j >= 1; j--) qq = vd_muladd(qq, d2, vd_set1(cr[j]));
    vd rest = vd_muladd(dhc, vd_set1(GELU_TANH_D_C0_LO_D), vd_set1(-GELU_TANH_D_X0_LO_D * cr[0]));
    vd yroot = vd_fma_accurate(dhc, vd_set1(cr[0]), vd_muladd(d2, vd_mul(d2, qq), rest));
    return vd_select(vd_lt(vd_abs(dh), vd_set1(0.0625)), yroot, y);
}
AC_INLINE vd gelu_tanh_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

/*
 * gelu_tanh' float32: the float64 scheme in float pairs.  T + Tl and
 * A + Al = a T' as the forward's slow path forms T (~2^-44 relative; T
 * reaches 112, A enters the cancelling bracket), e = exp(-T - Tl) =
 * (P + Pl) 2^k (table exp on FMA ISAs, ~0.1 u; polynomial exp on SSE2),
 * 1 + e = d + dl, 1/(1 + e) = y0 + c (~2^-28), its square h + l,
 * M = 1 - A + e = Mh + Ml (two-sums), F = (P + Pl) M (h + l) rounded once,
 * scaled by 2^k last (capped at 2^-40 for x > 0).  a is capped at 11
 * (|F| < 2^-154) and taken as 0 below 2^-30 (F = 1/2 - 0.8 a).  Root window
 * |x - x0| < 1/4: d Q(d), fit gelu_tanh_d_root_f32 (degree 7), in vectors
 * that have such a lane.  < 1.5 ulp.
 */
#define GELU_TANH_D_X0_HI_F -0x1.8142ap-1f /* fit gelu_tanh_d_root_f32: root, hi + lo; Q(0) = C0 + C0_LO */
#define GELU_TANH_D_X0_LO_F 0x1.85a06cp-27f
#define GELU_TANH_D_C0_F 0x1.b8bacep-2f
#define GELU_TANH_D_C0_LO_F -0x1.a32e08p-27f
AC_INLINE vf gelu_tanh_derivative_f32(vf x, const vf *p)
{
    (void)p;
    const vf one = vf_set1(1.0f);
    vf am = vf_min(vf_abs(x), vf_set1(11.0f));
    vf a = vf_select(vf_lt(am, vf_set1(0x1p-30f)), vf_zero(), am);
    vf sl, sh = vf_two_prod(a, a, &sl);
    vf pl, ph = vf_two_prod(vf_set1(GELU_K1_F), sh, &pl); /* K1 a^2 */
    pl = vf_muladd(vf_set1(GELU_K1_F), sl, pl);
    pl = vf_muladd(vf_set1(GELU_K1L_F), sh, pl);
    vf wl, wh = gelu_two_sum_f32(vf_set1(GELU_K0_F), ph, &wl);
    wl = vf_add(wl, vf_add(pl, vf_set1(GELU_K0L_F)));
    vf tl, th = vf_two_prod(a, wh, &tl);
    tl = vf_muladd(a, wl, tl);
    vf p3l, p3h = vf_two_prod(vf_set1(3.0f), ph, &p3l); /* A = a (K0 + 3 K1 a^2) */
    p3l = vf_muladd(vf_set1(3.0f), pl, p3l);
    vf vl, vh = gelu_two_sum_f32(vf_set1(GELU_K0_F), p3h, &vl);
    vl = vf_add(vl, vf_add(p3l, vf_set1(GELU_K0L_F)));
    vf Al, Ah = vf_two_prod(a, vh, &Al);
    Al = vf_muladd(a, vl, Al);
    vf Pl, k, P, y0;
#ifdef AC_EXPF_TABLE
    vf s;
    P = vf_expt_parts(vf_neg(th), vf_neg(tl), 1, 0, &Pl, &s);
    k = vf_floor(s);
#else
    P = vf_exp_parts(vf_neg(th), vf_neg(tl), &Pl, &k);
#endif
    vf S = vf_pow2i(vf_max(k, vf_set1(-40.0f)));
    vf E = vf_mul(S, P), El = vf_mul(S, Pl); /* exact */
    vf d = vf_add(one, E);
    vf dl = vf_add(vf_add(vf_sub(one, d), E), El);
#ifdef AC_EXPF_TABLE
    y0 = vf_recip14(d);
#else
    y0 = vf_div(one, d);
#endif
    vf c = vf_mul(vf_nmuladd(y0, dl, vf_residual(y0, d, one)), y0);
    vf l0, h = vf_two_prod(y0, y0, &l0);
    vf l = vf_muladd(vf_add(y0, y0), c, l0);
    vf ul, u = gelu_two_sum_f32(one, vf_neg(Ah), &ul);
    ul = vf_sub(ul, Al);
    vf Ml, Mh = gelu_two_sum_f32(u, E, &Ml);
    Ml = vf_add(Ml, vf_add(ul, El));
    vf vvl, vv = vf_two_prod(P, Mh, &vvl);
    vf w = vf_add(vvl, vf_muladd(P, Ml, vf_mul(Pl, Mh)));
    vf Fu = vf_fma_accurate(vv, h, vf_muladd(vv, l, vf_mul(w, h)));
    mf neg = vf_le(x, vf_zero());
    vf F = vf_scale2(Fu, vf_select(neg, k, vf_max(k, vf_set1(-40.0f))));
    vf y = vf_select(neg, F, vf_sub(one, F));
    vf dh = vf_sub(x, vf_set1(GELU_TANH_D_X0_HI_F)); /* exact in the window */
    mf root = vf_lt(vf_abs(dh), vf_set1(0.25f));
    if (AC_UNLIKELY(mf_any(root))) {
        vf dhc = vf_clamp(dh, -0.25f, 0.25f);
        vf dd = vf_sub(dhc, vf_set1(GELU_TANH_D_X0_LO_F));
        vf qq = vf_muladd(vf_set1(-0x1.34db8p-9f), dd, vf_set1(0x1.514d1p-8f)); /* fit gelu_tanh_d_root_f32 */
        qq = vf_muladd(qq, dd, vf_set1(0x1.4264ccp-6f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.1037f2p-6f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.d2b75p-4f));
        qq = vf_muladd(qq, dd, vf_set1(-0x1.02965p-6f));
        qq = vf_muladd(qq, dd, vf_set1(0x1.8cd1a2p-2f));
        vf rest = vf_muladd(dhc, vf_set1(GELU_TANH_D_C0_LO_F), vf_set1(-GELU_TANH_D_X0_LO_F * GELU_TANH_D_C0_F));
        vf yroot = vf_fma_accurate(dhc, vf_set1(GELU_TANH_D_C0_F), vf_muladd(dd, vf_mul(dd, qq), rest));
        y = vf_select(root, yroot, y);
    }
    return y;
}
AC_INLINE vf gelu_tanh_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

AC_DERIVATIVES(gelu, 0)
AC_DERIVATIVES(gelu_tanh, 0)
