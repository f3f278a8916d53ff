/* AVX-512 (F, DQ, VL, BW) backend of the vector layer; see simd.h. */
#include <immintrin.h>

#define AC_ISA_NAME avx512
#define AC_HAVE_FMA 1
#define AC_HAVE_SCALEF 1
#define VF_N 16
#define VD_N 8

typedef __m512 vf;
typedef __m512d vd;
typedef __mmask16 mf;
typedef __mmask8 md;
typedef __m512i vfi;
typedef __m512i vdi;

/* ---------------- float ---------------- */
AC_INLINE vf vf_load(const float *p) { return _mm512_loadu_ps(p); }
AC_INLINE void vf_store(float *p, vf a) { _mm512_storeu_ps(p, a); }
AC_INLINE vf vf_set1(float c) { return _mm512_set1_ps(c); }
AC_INLINE vf vf_zero(void) { return _mm512_setzero_ps(); }
AC_INLINE vf vf_add(vf a, vf b) { return _mm512_add_ps(a, b); }
AC_INLINE vf vf_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
AC_INLINE vf vf_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
AC_INLINE vf vf_div(vf a, vf b) { return _mm512_div_ps(a, b); }
AC_INLINE vf vf_sqrt(vf a) { return _mm512_sqrt_ps(a); }
AC_INLINE vf vf_min(vf a, vf b) { return _mm512_min_ps(a, b); }
AC_INLINE vf vf_max(vf a, vf b) { return _mm512_max_ps(a, b); }
AC_INLINE vf vf_muladd(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
AC_INLINE vf vf_mulsub(vf a, vf b, vf c) { return _mm512_fmsub_ps(a, b, c); }
AC_INLINE vf vf_nmuladd(vf a, vf b, vf c) { return _mm512_fnmadd_ps(a, b, c); }
AC_INLINE vf vf_and(vf a, vf b) { return _mm512_and_ps(a, b); }
AC_INLINE vf vf_or(vf a, vf b) { return _mm512_or_ps(a, b); }
AC_INLINE vf vf_xor(vf a, vf b) { return _mm512_xor_ps(a, b); }
AC_INLINE vf vf_andnot(vf a, vf b) { return _mm512_andnot_ps(a, b); } /* ~a & b */
AC_INLINE vf vf_abs(vf a) { return _mm512_andnot_ps(_mm512_set1_ps(-0.0f), a); }
AC_INLINE vf vf_neg(vf a) { return _mm512_xor_ps(a, _mm512_set1_ps(-0.0f)); }
AC_INLINE mf vf_lt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
AC_INLINE mf vf_le(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
AC_INLINE mf vf_gt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
AC_INLINE mf vf_ge(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
AC_INLINE mf vf_eq(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
AC_INLINE mf vf_isnan(vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
AC_INLINE vf vf_select(mf m, vf a, vf b) { return _mm512_mask_blend_ps(m, b, a); }
AC_INLINE mf mf_and(mf a, mf b) { return (mf)(a & b); }
AC_INLINE mf mf_or(mf a, mf b) { return (mf)(a | b); }
AC_INLINE mf mf_andnot(mf a, mf b) { return (mf)(a & ~b); } /* a & ~b */
AC_INLINE mf mf_not(mf a) { return (mf)~a; }
AC_INLINE int mf_any(mf a) { return a != 0; }
AC_INLINE vf vf_rint(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
AC_INLINE vf vf_floor(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
/* |mag| with the sign of sgn in one vpternlog: bitwise (sign ? sgn : mag), imm 0xCA. */
#define AC_HAVE_COPYSIGN 1
AC_INLINE vf vf_copysign(vf mag, vf sgn)
{
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_set1_epi32(INT32_MIN), _mm512_castps_si512(sgn),
                                                         _mm512_castps_si512(mag), 0xCA));
}
/* NaN or +-inf in one vfpclass (QNaN 0x01 | +inf 0x08 | -inf 0x10 | SNaN 0x80). */
#define AC_HAVE_ISSPECIAL 1
AC_INLINE mf vf_isspecial(vf a) { return _mm512_fpclass_ps_mask(a, 0x99); }
/* max(|a|, |b|) and min(|a|, |b|), sign cleared: vrangeps imm 0xB / 0xA. */
#define AC_HAVE_ABS_MINMAX 1
AC_INLINE vf vf_max_abs(vf a, vf b) { return _mm512_range_ps(a, b, 0xB); }
AC_INLINE vf vf_min_abs(vf a, vf b) { return _mm512_range_ps(a, b, 0xA); }
/* Table lookups by the low bits of a float's encoding (see simd.h). */
#define VF_LUT_BITS 4
AC_INLINE vf vf_lut(vf z, const float *tab) { return _mm512_permutexvar_ps(_mm512_castps_si512(z), _mm512_loadu_ps(tab)); }
#define VF_HAVE_LUT32 1
AC_INLINE vf vf_lut32(vf z, const float *tab)
{
    return _mm512_permutex2var_ps(_mm512_loadu_ps(tab), _mm512_castps_si512(z), _mm512_loadu_ps(tab + 16));
}
/* Approximate reciprocal, relative error < 2^-VF_RCP_BITS. */
#define VF_RCP_BITS 14
AC_INLINE vf vf_rcp(vf a) { return _mm512_rcp14_ps(a); }
AC_INLINE vf vf_pow2i(vf n) { return _mm512_scalef_ps(_mm512_set1_ps(1.0f), n); }
AC_INLINE vf vf_scale2(vf a, vf n) { return _mm512_scalef_ps(a, n); }
AC_INLINE vfi vf_as_i(vf a) { return _mm512_castps_si512(a); }
AC_INLINE vf vfi_as_f(vfi a) { return _mm512_castsi512_ps(a); }
AC_INLINE vfi vfi_set1(int32_t c) { return _mm512_set1_epi32(c); }
AC_INLINE vfi vfi_add(vfi a, vfi b) { return _mm512_add_epi32(a, b); }
AC_INLINE vfi vfi_sub(vfi a, vfi b) { return _mm512_sub_epi32(a, b); }
AC_INLINE vfi vfi_and(vfi a, vfi b) { return _mm512_and_si512(a, b); }
#define vfi_sll(a, k) _mm512_slli_epi32((a), (k))
#define vfi_srl(a, k) _mm512_srli_epi32((a), (k))
#define vfi_sra(a, k) _mm512_srai_epi32((a), (k))
AC_INLINE vf vfi_to_f(vfi a) { return _mm512_cvtepi32_ps(a); }
AC_INLINE float vf_reduce_add(vf a) { return _mm512_reduce_add_ps(a); }
AC_INLINE float vf_reduce_max(vf a) { return _mm512_reduce_max_ps(a); }

/* ---------------- double ---------------- */
AC_INLINE vd vd_load(const double *p) { return _mm512_loadu_pd(p); }
AC_INLINE void vd_store(double *p, vd a) { _mm512_storeu_pd(p, a); }
AC_INLINE vd vd_set1(double c) { return _mm512_set1_pd(c); }
AC_INLINE vd vd_zero(void) { return _mm512_setzero_pd(); }
AC_INLINE vd vd_add(vd a, vd b) { return _mm512_add_pd(a, b); }
AC_INLINE vd vd_sub(vd a, vd b) { return _mm512_sub_pd(a, b); }
AC_INLINE vd vd_mul(vd a, vd b) { return _mm512_mul_pd(a, b); }
AC_INLINE vd vd_div(vd a, vd b) { return _mm512_div_pd(a, b); }
AC_INLINE vd vd_sqrt(vd a) { return _mm512_sqrt_pd(a); }
AC_INLINE vd vd_min(vd a, vd b) { return _mm512_min_pd(a, b); }
AC_INLINE vd vd_max(vd a, vd b) { return _mm512_max_pd(a, b); }
AC_INLINE vd vd_muladd(vd a, vd b, vd c) { return _mm512_fmadd_pd(a, b, c); }
AC_INLINE vd vd_mulsub(vd a, vd b, vd c) { return _mm512_fmsub_pd(a, b, c); }
AC_INLINE vd vd_nmuladd(vd a, vd b, vd c) { return _mm512_fnmadd_pd(a, b, c); }
AC_INLINE vd vd_and(vd a, vd b) { return _mm512_and_pd(a, b); }
AC_INLINE vd vd_or(vd a, vd b) { return _mm512_or_pd(a, b); }
AC_INLINE vd vd_xor(vd a, vd b) { return _mm512_xor_pd(a, b); }
AC_INLINE vd vd_andnot(vd a, vd b) { return _mm512_andnot_pd(a, b); }
AC_INLINE vd vd_abs(vd a) { return _mm512_andnot_pd(_mm512_set1_pd(-0.0), a); }
AC_INLINE vd vd_neg(vd a) { return _mm512_xor_pd(a, _mm512_set1_pd(-0.0)); }
AC_INLINE md vd_lt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
AC_INLINE md vd_le(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
AC_INLINE md vd_gt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
AC_INLINE md vd_ge(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
AC_INLINE md vd_eq(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
AC_INLINE md vd_isnan(vd a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
AC_INLINE vd vd_select(md m, vd a, vd b) { return _mm512_mask_blend_pd(m, b, a); }
AC_INLINE md md_and(md a, md b) { return (md)(a & b); }
AC_INLINE md md_or(md a, md b) { return (md)(a | b); }
AC_INLINE md md_andnot(md a, md b) { return (md)(a & ~b); }
AC_INLINE md md_not(md a) { return (md)~a; }
AC_INLINE int md_any(md a) { return a != 0; }
AC_INLINE vd vd_rint(vd a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
AC_INLINE md vd_isspecial(vd a) { return _mm512_fpclass_pd_mask(a, 0x99); }
/* Approximate reciprocal, relative error < 2^-VD_RCP_BITS. */
#define VD_RCP_BITS 14
AC_INLINE vd vd_rcp(vd a) { return _mm512_rcp14_pd(a); }
AC_INLINE vd vd_copysign(vd mag, vd sgn)
{
    return _mm512_castsi512_pd(_mm512_ternarylogic_epi64(_mm512_set1_epi64(INT64_MIN), _mm512_castpd_si512(sgn),
                                                         _mm512_castpd_si512(mag), 0xCA));
}
AC_INLINE vd vd_pow2i(vd n) { return _mm512_scalef_pd(_mm512_set1_pd(1.0), n); }
AC_INLINE vd vd_scale2(vd a, vd n) { return _mm512_scalef_pd(a, n); }
AC_INLINE vdi vd_as_i(vd a) { return _mm512_castpd_si512(a); }
AC_INLINE vd vdi_as_d(vdi a) { return _mm512_castsi512_pd(a); }
AC_INLINE vdi vdi_set1(int64_t c) { return _mm512_set1_epi64(c); }
AC_INLINE vdi vdi_add(vdi a, vdi b) { return _mm512_add_epi64(a, b); }
AC_INLINE vdi vdi_sub(vdi a, vdi b) { return _mm512_sub_epi64(a, b); }
AC_INLINE vdi vdi_and(vdi a, vdi b) { return _mm512_and_si512(a, b); }
#define vdi_sll(a, k) _mm512_slli_epi64((a), (k))
#define vdi_srl(a, k) _mm512_srli_epi64((a), (k))
AC_INLINE double vd_reduce_add(vd a) { return _mm512_reduce_add_pd(a); }
AC_INLINE double vd_reduce_max(vd a) { return _mm512_reduce_max_pd(a); }

/* ---------------- float <-> double ---------------- */
AC_INLINE void vf_widen(vf x, vd *lo, vd *hi)
{
    *lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    *hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
AC_INLINE vf vf_narrow(vd lo, vd hi)
{
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1);
}
