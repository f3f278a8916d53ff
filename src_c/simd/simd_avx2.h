/* AVX2 + FMA backend of the vector layer; see simd.h. */
#include <immintrin.h>

#define AC_ISA_NAME avx2
#define AC_HAVE_FMA 1
#define VF_N 8
#define VD_N 4

typedef __m256 vf;
typedef __m256d vd;
typedef __m256 mf;   /* all-ones / all-zeros lanes */
typedef __m256d md;
typedef __m256i vfi;
typedef __m256i vdi;

/* ---------------- float ---------------- */
AC_INLINE vf vf_load(const float *p) { return _mm256_loadu_ps(p); }
AC_INLINE void vf_store(float *p, vf a) { _mm256_storeu_ps(p, a); }
AC_INLINE vf vf_set1(float c) { return _mm256_set1_ps(c); }
AC_INLINE vf vf_zero(void) { return _mm256_setzero_ps(); }
AC_INLINE vf vf_add(vf a, vf b) { return _mm256_add_ps(a, b); }
AC_INLINE vf vf_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
AC_INLINE vf vf_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
AC_INLINE vf vf_div(vf a, vf b) { return _mm256_div_ps(a, b); }
AC_INLINE vf vf_sqrt(vf a) { return _mm256_sqrt_ps(a); }
AC_INLINE vf vf_min(vf a, vf b) { return _mm256_min_ps(a, b); }
AC_INLINE vf vf_max(vf a, vf b) { return _mm256_max_ps(a, b); }
AC_INLINE vf vf_muladd(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
AC_INLINE vf vf_mulsub(vf a, vf b, vf c) { return _mm256_fmsub_ps(a, b, c); }
AC_INLINE vf vf_nmuladd(vf a, vf b, vf c) { return _mm256_fnmadd_ps(a, b, c); }
AC_INLINE vf vf_and(vf a, vf b) { return _mm256_and_ps(a, b); }
AC_INLINE vf vf_or(vf a, vf b) { return _mm256_or_ps(a, b); }
AC_INLINE vf vf_xor(vf a, vf b) { return _mm256_xor_ps(a, b); }
AC_INLINE vf vf_andnot(vf a, vf b) { return _mm256_andnot_ps(a, b); } /* ~a & b */
AC_INLINE vf vf_abs(vf a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
AC_INLINE vf vf_neg(vf a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
AC_INLINE mf vf_lt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
AC_INLINE mf vf_le(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
AC_INLINE mf vf_gt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
AC_INLINE mf vf_ge(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
AC_INLINE mf vf_eq(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
AC_INLINE mf vf_isnan(vf a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
AC_INLINE vf vf_select(mf m, vf a, vf b) { return _mm256_blendv_ps(b, a, m); }
AC_INLINE mf mf_and(mf a, mf b) { return _mm256_and_ps(a, b); }
AC_INLINE mf mf_or(mf a, mf b) { return _mm256_or_ps(a, b); }
AC_INLINE mf mf_andnot(mf a, mf b) { return _mm256_andnot_ps(b, a); } /* a & ~b */
AC_INLINE mf mf_not(mf a) { return _mm256_xor_ps(a, _mm256_castsi256_ps(_mm256_set1_epi32(-1))); }
AC_INLINE int mf_any(mf a) { return _mm256_movemask_ps(a) != 0; }
AC_INLINE vf vf_rint(vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
AC_INLINE vf vf_floor(vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
/* NaN or +-inf in one quiet compare: |a| not less than inf, or unordered. */
#define AC_HAVE_ISSPECIAL 1
AC_INLINE mf vf_isspecial(vf a) { return _mm256_cmp_ps(vf_abs(a), _mm256_set1_ps(INFINITY), _CMP_NLT_UQ); }
/* Table lookup by the low bits of a float's encoding (see simd.h). */
#define VF_LUT_BITS 3
AC_INLINE vf vf_lut(vf z, const float *tab) { return _mm256_permutevar8x32_ps(_mm256_loadu_ps(tab), _mm256_castps_si256(z)); }
/* Approximate reciprocal, relative error < 1.5 * 2^-12. */
#define VF_RCP_BITS 11
AC_INLINE vf vf_rcp(vf a) { return _mm256_rcp_ps(a); }
AC_INLINE vfi vf_as_i(vf a) { return _mm256_castps_si256(a); }
AC_INLINE vf vfi_as_f(vfi a) { return _mm256_castsi256_ps(a); }
AC_INLINE vfi vfi_set1(int32_t c) { return _mm256_set1_epi32(c); }
AC_INLINE vfi vfi_add(vfi a, vfi b) { return _mm256_add_epi32(a, b); }
AC_INLINE vfi vfi_sub(vfi a, vfi b) { return _mm256_sub_epi32(a, b); }
AC_INLINE vfi vfi_and(vfi a, vfi b) { return _mm256_and_si256(a, b); }
#define vfi_sll(a, k) _mm256_slli_epi32((a), (k))
#define vfi_srl(a, k) _mm256_srli_epi32((a), (k))
#define vfi_sra(a, k) _mm256_srai_epi32((a), (k))
AC_INLINE vf vfi_to_f(vfi a) { return _mm256_cvtepi32_ps(a); }
AC_INLINE float vf_reduce_add(vf a)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
AC_INLINE float vf_reduce_max(vf a)
{
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

/* ---------------- double ---------------- */
AC_INLINE vd vd_load(const double *p) { return _mm256_loadu_pd(p); }
AC_INLINE void vd_store(double *p, vd a) { _mm256_storeu_pd(p, a); }
AC_INLINE vd vd_set1(double c) { return _mm256_set1_pd(c); }
AC_INLINE vd vd_zero(void) { return _mm256_setzero_pd(); }
AC_INLINE vd vd_add(vd a, vd b) { return _mm256_add_pd(a, b); }
AC_INLINE vd vd_sub(vd a, vd b) { return _mm256_sub_pd(a, b); }
AC_INLINE vd vd_mul(vd a, vd b) { return _mm256_mul_pd(a, b); }
AC_INLINE vd vd_div(vd a, vd b) { return _mm256_div_pd(a, b); }
AC_INLINE vd vd_sqrt(vd a) { return _mm256_sqrt_pd(a); }
AC_INLINE vd vd_min(vd a, vd b) { return _mm256_min_pd(a, b); }
AC_INLINE vd vd_max(vd a, vd b) { return _mm256_max_pd(a, b); }
AC_INLINE vd vd_muladd(vd a, vd b, vd c) { return _mm256_fmadd_pd(a, b, c); }
AC_INLINE vd vd_mulsub(vd a, vd b, vd c) { return _mm256_fmsub_pd(a, b, c); }
AC_INLINE vd vd_nmuladd(vd a, vd b, vd c) { return _mm256_fnmadd_pd(a, b, c); }
AC_INLINE vd vd_and(vd a, vd b) { return _mm256_and_pd(a, b); }
AC_INLINE vd vd_or(vd a, vd b) { return _mm256_or_pd(a, b); }
AC_INLINE vd vd_xor(vd a, vd b) { return _mm256_xor_pd(a, b); }
AC_INLINE vd vd_andnot(vd a, vd b) { return _mm256_andnot_pd(a, b); }
AC_INLINE vd vd_abs(vd a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
AC_INLINE vd vd_neg(vd a) { return _mm256_xor_pd(a, _mm256_set1_pd(-0.0)); }
AC_INLINE md vd_lt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
AC_INLINE md vd_le(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
AC_INLINE md vd_gt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
AC_INLINE md vd_ge(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
AC_INLINE md vd_eq(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
AC_INLINE md vd_isnan(vd a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
AC_INLINE vd vd_select(md m, vd a, vd b) { return _mm256_blendv_pd(b, a, m); }
AC_INLINE md md_and(md a, md b) { return _mm256_and_pd(a, b); }
AC_INLINE md md_or(md a, md b) { return _mm256_or_pd(a, b); }
AC_INLINE md md_andnot(md a, md b) { return _mm256_andnot_pd(b, a); }
AC_INLINE md md_not(md a) { return _mm256_xor_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))); }
AC_INLINE int md_any(md a) { return _mm256_movemask_pd(a) != 0; }
AC_INLINE vd vd_rint(vd a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/* Approximate reciprocal through float rcp (|a| within float range, normal),
 * relative error < 1.5 * 2^-12. */
#define VD_RCP_BITS 11
AC_INLINE vd vd_rcp(vd a) { return _mm256_cvtps_pd(_mm_rcp_ps(_mm256_cvtpd_ps(a))); }
AC_INLINE md vd_isspecial(vd a) { return _mm256_cmp_pd(vd_abs(a), _mm256_set1_pd(INFINITY), _CMP_NLT_UQ); }
AC_INLINE vdi vd_as_i(vd a) { return _mm256_castpd_si256(a); }
AC_INLINE vd vdi_as_d(vdi a) { return _mm256_castsi256_pd(a); }
AC_INLINE vdi vdi_set1(int64_t c) { return _mm256_set1_epi64x(c); }
AC_INLINE vdi vdi_add(vdi a, vdi b) { return _mm256_add_epi64(a, b); }
AC_INLINE vdi vdi_sub(vdi a, vdi b) { return _mm256_sub_epi64(a, b); }
AC_INLINE vdi vdi_and(vdi a, vdi b) { return _mm256_and_si256(a, b); }
#define vdi_sll(a, k) _mm256_slli_epi64((a), (k))
#define vdi_srl(a, k) _mm256_srli_epi64((a), (k))
AC_INLINE double vd_reduce_add(vd a)
{
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}
AC_INLINE double vd_reduce_max(vd a)
{
    __m128d s = _mm_max_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    s = _mm_max_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

/* ---------------- float <-> double ---------------- */
AC_INLINE void vf_widen(vf x, vd *lo, vd *hi)
{
    *lo = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
    *hi = _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
}
AC_INLINE vf vf_narrow(vd lo, vd hi)
{
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi), 1);
}
