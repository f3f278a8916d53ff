/* SSE2 backend (the x86-64 baseline) of the vector layer; see simd.h.
 * No FMA: vX_muladd rounds twice.  No blendv: select is and/andnot/or.
 * LT/LE/GT/GE are signalling compares here; kernels only see NaN-free data. */
#include <emmintrin.h>

#define AC_ISA_NAME baseline
#define VF_N 4
#define VD_N 2

typedef __m128 vf;
typedef __m128d vd;
typedef __m128 mf;
typedef __m128d md;
typedef __m128i vfi;
typedef __m128i vdi;

/* ---------------- float ---------------- */
AC_INLINE vf vf_load(const float *p) { return _mm_loadu_ps(p); }
AC_INLINE void vf_store(float *p, vf a) { _mm_storeu_ps(p, a); }
AC_INLINE vf vf_set1(float c) { return _mm_set1_ps(c); }
AC_INLINE vf vf_zero(void) { return _mm_setzero_ps(); }
AC_INLINE vf vf_add(vf a, vf b) { return _mm_add_ps(a, b); }
AC_INLINE vf vf_sub(vf a, vf b) { return _mm_sub_ps(a, b); }
AC_INLINE vf vf_mul(vf a, vf b) { return _mm_mul_ps(a, b); }
AC_INLINE vf vf_div(vf a, vf b) { return _mm_div_ps(a, b); }
AC_INLINE vf vf_sqrt(vf a) { return _mm_sqrt_ps(a); }
AC_INLINE vf vf_min(vf a, vf b) { return _mm_min_ps(a, b); }
AC_INLINE vf vf_max(vf a, vf b) { return _mm_max_ps(a, b); }
AC_INLINE vf vf_muladd(vf a, vf b, vf c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
AC_INLINE vf vf_mulsub(vf a, vf b, vf c) { return _mm_sub_ps(_mm_mul_ps(a, b), c); }
AC_INLINE vf vf_nmuladd(vf a, vf b, vf c) { return _mm_sub_ps(c, _mm_mul_ps(a, b)); }
AC_INLINE vf vf_and(vf a, vf b) { return _mm_and_ps(a, b); }
AC_INLINE vf vf_or(vf a, vf b) { return _mm_or_ps(a, b); }
AC_INLINE vf vf_xor(vf a, vf b) { return _mm_xor_ps(a, b); }
AC_INLINE vf vf_andnot(vf a, vf b) { return _mm_andnot_ps(a, b); } /* ~a & b */
AC_INLINE vf vf_abs(vf a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
AC_INLINE vf vf_neg(vf a) { return _mm_xor_ps(a, _mm_set1_ps(-0.0f)); }
AC_INLINE mf vf_lt(vf a, vf b) { return _mm_cmplt_ps(a, b); }
AC_INLINE mf vf_le(vf a, vf b) { return _mm_cmple_ps(a, b); }
AC_INLINE mf vf_gt(vf a, vf b) { return _mm_cmplt_ps(b, a); }
AC_INLINE mf vf_ge(vf a, vf b) { return _mm_cmple_ps(b, a); }
AC_INLINE mf vf_eq(vf a, vf b) { return _mm_cmpeq_ps(a, b); }
AC_INLINE mf vf_isnan(vf a) { return _mm_cmpunord_ps(a, a); }
AC_INLINE vf vf_select(mf m, vf a, vf b) { return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b)); }
AC_INLINE mf mf_and(mf a, mf b) { return _mm_and_ps(a, b); }
AC_INLINE mf mf_or(mf a, mf b) { return _mm_or_ps(a, b); }
AC_INLINE mf mf_andnot(mf a, mf b) { return _mm_andnot_ps(b, a); } /* a & ~b */
AC_INLINE mf mf_not(mf a) { return _mm_xor_ps(a, _mm_castsi128_ps(_mm_set1_epi32(-1))); }
AC_INLINE int mf_any(mf a) { return _mm_movemask_ps(a) != 0; }
/* Round half to even through the 1.5*2^23 magic: exact for |a| < 2^22. */
AC_INLINE vf vf_rint(vf a)
{
    const vf magic = _mm_set1_ps(0x1.8p23f);
    return _mm_sub_ps(_mm_add_ps(a, magic), magic);
}
/* floor through rint: one less where rint rounded up (exact for |a| < 2^22). */
AC_INLINE vf vf_floor(vf a)
{
    vf r = vf_rint(a);
    return _mm_sub_ps(r, _mm_and_ps(_mm_cmplt_ps(a, r), _mm_set1_ps(1.0f)));
}
/* No lane permute in SSE2: a one-entry "table" (see simd.h). */
#define VF_LUT_BITS 0
AC_INLINE vf vf_lut(vf z, const float *tab) { (void)z; return _mm_set1_ps(tab[0]); }
/* Approximate reciprocal, relative error < 1.5 * 2^-12. */
#define VF_RCP_BITS 11
AC_INLINE vf vf_rcp(vf a) { return _mm_rcp_ps(a); }
AC_INLINE vfi vf_as_i(vf a) { return _mm_castps_si128(a); }
AC_INLINE vf vfi_as_f(vfi a) { return _mm_castsi128_ps(a); }
AC_INLINE vfi vfi_set1(int32_t c) { return _mm_set1_epi32(c); }
AC_INLINE vfi vfi_add(vfi a, vfi b) { return _mm_add_epi32(a, b); }
AC_INLINE vfi vfi_sub(vfi a, vfi b) { return _mm_sub_epi32(a, b); }
AC_INLINE vfi vfi_and(vfi a, vfi b) { return _mm_and_si128(a, b); }
#define vfi_sll(a, k) _mm_slli_epi32((a), (k))
#define vfi_srl(a, k) _mm_srli_epi32((a), (k))
#define vfi_sra(a, k) _mm_srai_epi32((a), (k))
AC_INLINE vf vfi_to_f(vfi a) { return _mm_cvtepi32_ps(a); }
AC_INLINE float vf_reduce_add(vf a)
{
    __m128 s = _mm_add_ps(a, _mm_movehl_ps(a, a));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
AC_INLINE float vf_reduce_max(vf a)
{
    __m128 s = _mm_max_ps(a, _mm_movehl_ps(a, a));
    s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

/* ---------------- double ---------------- */
AC_INLINE vd vd_load(const double *p) { return _mm_loadu_pd(p); }
AC_INLINE void vd_store(double *p, vd a) { _mm_storeu_pd(p, a); }
AC_INLINE vd vd_set1(double c) { return _mm_set1_pd(c); }
AC_INLINE vd vd_zero(void) { return _mm_setzero_pd(); }
AC_INLINE vd vd_add(vd a, vd b) { return _mm_add_pd(a, b); }
AC_INLINE vd vd_sub(vd a, vd b) { return _mm_sub_pd(a, b); }
AC_INLINE vd vd_mul(vd a, vd b) { return _mm_mul_pd(a, b); }
AC_INLINE vd vd_div(vd a, vd b) { return _mm_div_pd(a, b); }
AC_INLINE vd vd_sqrt(vd a) { return _mm_sqrt_pd(a); }
AC_INLINE vd vd_min(vd a, vd b) { return _mm_min_pd(a, b); }
AC_INLINE vd vd_max(vd a, vd b) { return _mm_max_pd(a, b); }
AC_INLINE vd vd_muladd(vd a, vd b, vd c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
AC_INLINE vd vd_mulsub(vd a, vd b, vd c) { return _mm_sub_pd(_mm_mul_pd(a, b), c); }
AC_INLINE vd vd_nmuladd(vd a, vd b, vd c) { return _mm_sub_pd(c, _mm_mul_pd(a, b)); }
AC_INLINE vd vd_and(vd a, vd b) { return _mm_and_pd(a, b); }
AC_INLINE vd vd_or(vd a, vd b) { return _mm_or_pd(a, b); }
AC_INLINE vd vd_xor(vd a, vd b) { return _mm_xor_pd(a, b); }
AC_INLINE vd vd_andnot(vd a, vd b) { return _mm_andnot_pd(a, b); }
AC_INLINE vd vd_abs(vd a) { return _mm_andnot_pd(_mm_set1_pd(-0.0), a); }
AC_INLINE vd vd_neg(vd a) { return _mm_xor_pd(a, _mm_set1_pd(-0.0)); }
AC_INLINE md vd_lt(vd a, vd b) { return _mm_cmplt_pd(a, b); }
AC_INLINE md vd_le(vd a, vd b) { return _mm_cmple_pd(a, b); }
AC_INLINE md vd_gt(vd a, vd b) { return _mm_cmplt_pd(b, a); }
AC_INLINE md vd_ge(vd a, vd b) { return _mm_cmple_pd(b, a); }
AC_INLINE md vd_eq(vd a, vd b) { return _mm_cmpeq_pd(a, b); }
AC_INLINE md vd_isnan(vd a) { return _mm_cmpunord_pd(a, a); }
AC_INLINE vd vd_select(md m, vd a, vd b) { return _mm_or_pd(_mm_and_pd(m, a), _mm_andnot_pd(m, b)); }
AC_INLINE md md_and(md a, md b) { return _mm_and_pd(a, b); }
AC_INLINE md md_or(md a, md b) { return _mm_or_pd(a, b); }
AC_INLINE md md_andnot(md a, md b) { return _mm_andnot_pd(b, a); }
AC_INLINE md md_not(md a) { return _mm_xor_pd(a, _mm_castsi128_pd(_mm_set1_epi32(-1))); }
AC_INLINE int md_any(md a) { return _mm_movemask_pd(a) != 0; }
AC_INLINE vd vd_rint(vd a)
{
    const vd magic = _mm_set1_pd(0x1.8p52);
    return _mm_sub_pd(_mm_add_pd(a, magic), magic);
}
/* Approximate reciprocal through float rcp (|a| within float range, normal),
 * relative error < 1.5 * 2^-12. */
#define VD_RCP_BITS 11
AC_INLINE vd vd_rcp(vd a) { return _mm_cvtps_pd(_mm_rcp_ps(_mm_cvtpd_ps(a))); }
AC_INLINE vdi vd_as_i(vd a) { return _mm_castpd_si128(a); }
AC_INLINE vd vdi_as_d(vdi a) { return _mm_castsi128_pd(a); }
AC_INLINE vdi vdi_set1(int64_t c) { return _mm_set1_epi64x(c); }
AC_INLINE vdi vdi_add(vdi a, vdi b) { return _mm_add_epi64(a, b); }
AC_INLINE vdi vdi_sub(vdi a, vdi b) { return _mm_sub_epi64(a, b); }
AC_INLINE vdi vdi_and(vdi a, vdi b) { return _mm_and_si128(a, b); }
#define vdi_sll(a, k) _mm_slli_epi64((a), (k))
#define vdi_srl(a, k) _mm_srli_epi64((a), (k))
AC_INLINE double vd_reduce_add(vd a) { return _mm_cvtsd_f64(_mm_add_sd(a, _mm_unpackhi_pd(a, a))); }
AC_INLINE double vd_reduce_max(vd a) { return _mm_cvtsd_f64(_mm_max_sd(a, _mm_unpackhi_pd(a, a))); }

/* ---------------- float <-> double ---------------- */
AC_INLINE void vf_widen(vf x, vd *lo, vd *hi)
{
    *lo = _mm_cvtps_pd(x);
    *hi = _mm_cvtps_pd(_mm_movehl_ps(x, x));
}
AC_INLINE vf vf_narrow(vd lo, vd hi) { return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi)); }
