/* Portable one-lane backend of the vector layer (non-x86 baseline); see simd.h.
 * vX_muladd is a*b+c (two roundings: -ffp-contract=off keeps it so); the
 * exact vmath two_prod uses fmaf/fma from <math.h> where AC_HAVE_FMA is set
 * (aarch64, and anything defining __FP_FAST_FMAF). */
#define AC_ISA_NAME baseline
#if defined(__FP_FAST_FMAF) && defined(__FP_FAST_FMA)
#define AC_HAVE_FMA 1
#endif
#define VF_N 1
#define VD_N 1

typedef float vf;
typedef double vd;
typedef int mf;
typedef int md;
typedef int32_t vfi;
typedef int64_t vdi;

AC_INLINE uint32_t ac_f2u_(float a) { uint32_t u; memcpy(&u, &a, 4); return u; }
AC_INLINE float ac_u2f_(uint32_t u) { float a; memcpy(&a, &u, 4); return a; }
AC_INLINE uint64_t ac_d2u_(double a) { uint64_t u; memcpy(&u, &a, 8); return u; }
AC_INLINE double ac_u2d_(uint64_t u) { double a; memcpy(&a, &u, 8); return a; }

/* ---------------- float ---------------- */
AC_INLINE vf vf_load(const float *p) { return *p; }
AC_INLINE void vf_store(float *p, vf a) { *p = a; }
AC_INLINE vf vf_set1(float c) { return c; }
AC_INLINE vf vf_zero(void) { return 0.0f; }
AC_INLINE vf vf_add(vf a, vf b) { return a + b; }
AC_INLINE vf vf_sub(vf a, vf b) { return a - b; }
AC_INLINE vf vf_mul(vf a, vf b) { return a * b; }
AC_INLINE vf vf_div(vf a, vf b) { return a / b; }
AC_INLINE vf vf_sqrt(vf a) { return sqrtf(a); }
AC_INLINE vf vf_min(vf a, vf b) { return a < b ? a : b; }
AC_INLINE vf vf_max(vf a, vf b) { return a > b ? a : b; }
#ifdef AC_HAVE_FMA
AC_INLINE vf vf_muladd(vf a, vf b, vf c) { return fmaf(a, b, c); }
AC_INLINE vf vf_mulsub(vf a, vf b, vf c) { return fmaf(a, b, -c); }
AC_INLINE vf vf_nmuladd(vf a, vf b, vf c) { return fmaf(-a, b, c); }
#else
AC_INLINE vf vf_muladd(vf a, vf b, vf c) { return a * b + c; }
AC_INLINE vf vf_mulsub(vf a, vf b, vf c) { return a * b - c; }
AC_INLINE vf vf_nmuladd(vf a, vf b, vf c) { return c - a * b; }
#endif
AC_INLINE vf vf_and(vf a, vf b) { return ac_u2f_(ac_f2u_(a) & ac_f2u_(b)); }
AC_INLINE vf vf_or(vf a, vf b) { return ac_u2f_(ac_f2u_(a) | ac_f2u_(b)); }
AC_INLINE vf vf_xor(vf a, vf b) { return ac_u2f_(ac_f2u_(a) ^ ac_f2u_(b)); }
AC_INLINE vf vf_andnot(vf a, vf b) { return ac_u2f_(~ac_f2u_(a) & ac_f2u_(b)); }
AC_INLINE vf vf_abs(vf a) { return fabsf(a); }
AC_INLINE vf vf_neg(vf a) { return -a; }
AC_INLINE mf vf_lt(vf a, vf b) { return isless(a, b); }
AC_INLINE mf vf_le(vf a, vf b) { return islessequal(a, b); }
AC_INLINE mf vf_gt(vf a, vf b) { return isgreater(a, b); }
AC_INLINE mf vf_ge(vf a, vf b) { return isgreaterequal(a, b); }
AC_INLINE mf vf_eq(vf a, vf b) { return a == b; }
AC_INLINE mf vf_isnan(vf a) { return a != a; }
AC_INLINE vf vf_select(mf m, vf a, vf b) { return m ? a : b; }
AC_INLINE mf mf_and(mf a, mf b) { return a & b; }
AC_INLINE mf mf_or(mf a, mf b) { return a | b; }
AC_INLINE mf mf_andnot(mf a, mf b) { return a & !b; }
AC_INLINE mf mf_not(mf a) { return !a; }
AC_INLINE int mf_any(mf a) { return a != 0; }
AC_INLINE vf vf_rint(vf a) { return nearbyintf(a); }
AC_INLINE vf vf_floor(vf a) { return floorf(a); }
/* One lane: a real table lookup by the low bits of a's encoding (see simd.h). */
#define VF_LUT_BITS 4
AC_INLINE vf vf_lut(vf z, const float *tab) { return tab[ac_f2u_(z) & 15u]; }
#define VF_HAVE_LUT32 1
AC_INLINE vf vf_lut32(vf z, const float *tab) { return tab[ac_f2u_(z) & 31u]; }
/* The "approximate" reciprocal is exact here. */
#define VF_RCP_BITS 24
AC_INLINE vf vf_rcp(vf a) { return 1.0f / a; }
AC_INLINE vfi vf_as_i(vf a) { return (vfi)ac_f2u_(a); }
AC_INLINE vf vfi_as_f(vfi a) { return ac_u2f_((uint32_t)a); }
AC_INLINE vfi vfi_set1(int32_t c) { return c; }
AC_INLINE vfi vfi_add(vfi a, vfi b) { return (vfi)((uint32_t)a + (uint32_t)b); }
AC_INLINE vfi vfi_sub(vfi a, vfi b) { return (vfi)((uint32_t)a - (uint32_t)b); }
AC_INLINE vfi vfi_and(vfi a, vfi b) { return a & b; }
#define vfi_sll(a, k) ((vfi)((uint32_t)(a) << (k)))
#define vfi_srl(a, k) ((vfi)((uint32_t)(a) >> (k)))
#define vfi_sra(a, k) ((vfi)((a) >> (k)))
AC_INLINE vf vfi_to_f(vfi a) { return (float)a; }
AC_INLINE float vf_reduce_add(vf a) { return a; }
AC_INLINE float vf_reduce_max(vf a) { return a; }

/* ---------------- double ---------------- */
AC_INLINE vd vd_load(const double *p) { return *p; }
AC_INLINE void vd_store(double *p, vd a) { *p = a; }
AC_INLINE vd vd_set1(double c) { return c; }
AC_INLINE vd vd_zero(void) { return 0.0; }
AC_INLINE vd vd_add(vd a, vd b) { return a + b; }
AC_INLINE vd vd_sub(vd a, vd b) { return a - b; }
AC_INLINE vd vd_mul(vd a, vd b) { return a * b; }
AC_INLINE vd vd_div(vd a, vd b) { return a / b; }
AC_INLINE vd vd_sqrt(vd a) { return sqrt(a); }
AC_INLINE vd vd_min(vd a, vd b) { return a < b ? a : b; }
AC_INLINE vd vd_max(vd a, vd b) { return a > b ? a : b; }
#ifdef AC_HAVE_FMA
AC_INLINE vd vd_muladd(vd a, vd b, vd c) { return fma(a, b, c); }
AC_INLINE vd vd_mulsub(vd a, vd b, vd c) { return fma(a, b, -c); }
AC_INLINE vd vd_nmuladd(vd a, vd b, vd c) { return fma(-a, b, c); }
#else
AC_INLINE vd vd_muladd(vd a, vd b, vd c) { return a * b + c; }
AC_INLINE vd vd_mulsub(vd a, vd b, vd c) { return a * b - c; }
AC_INLINE vd vd_nmuladd(vd a, vd b, vd c) { return c - a * b; }
#endif
AC_INLINE vd vd_and(vd a, vd b) { return ac_u2d_(ac_d2u_(a) & ac_d2u_(b)); }
AC_INLINE vd vd_or(vd a, vd b) { return ac_u2d_(ac_d2u_(a) | ac_d2u_(b)); }
AC_INLINE vd vd_xor(vd a, vd b) { return ac_u2d_(ac_d2u_(a) ^ ac_d2u_(b)); }
AC_INLINE vd vd_andnot(vd a, vd b) { return ac_u2d_(~ac_d2u_(a) & ac_d2u_(b)); }
AC_INLINE vd vd_abs(vd a) { return fabs(a); }
AC_INLINE vd vd_neg(vd a) { return -a; }
AC_INLINE md vd_lt(vd a, vd b) { return isless(a, b); }
AC_INLINE md vd_le(vd a, vd b) { return islessequal(a, b); }
AC_INLINE md vd_gt(vd a, vd b) { return isgreater(a, b); }
AC_INLINE md vd_ge(vd a, vd b) { return isgreaterequal(a, b); }
AC_INLINE md vd_eq(vd a, vd b) { return a == b; }
AC_INLINE md vd_isnan(vd a) { return a != a; }
AC_INLINE vd vd_select(md m, vd a, vd b) { return m ? a : b; }
AC_INLINE md md_and(md a, md b) { return a & b; }
AC_INLINE md md_or(md a, md b) { return a | b; }
AC_INLINE md md_andnot(md a, md b) { return a & !b; }
AC_INLINE md md_not(md a) { return !a; }
AC_INLINE int md_any(md a) { return a != 0; }
AC_INLINE vd vd_rint(vd a) { return nearbyint(a); }
/* The "approximate" reciprocal is exact here. */
#define VD_RCP_BITS 53
AC_INLINE vd vd_rcp(vd a) { return 1.0 / a; }
AC_INLINE vdi vd_as_i(vd a) { return (vdi)ac_d2u_(a); }
AC_INLINE vd vdi_as_d(vdi a) { return ac_u2d_((uint64_t)a); }
AC_INLINE vdi vdi_set1(int64_t c) { return c; }
AC_INLINE vdi vdi_add(vdi a, vdi b) { return (vdi)((uint64_t)a + (uint64_t)b); }
AC_INLINE vdi vdi_sub(vdi a, vdi b) { return (vdi)((uint64_t)a - (uint64_t)b); }
AC_INLINE vdi vdi_and(vdi a, vdi b) { return a & b; }
#define vdi_sll(a, k) ((vdi)((uint64_t)(a) << (k)))
#define vdi_srl(a, k) ((vdi)((uint64_t)(a) >> (k)))
AC_INLINE double vd_reduce_add(vd a) { return a; }
AC_INLINE double vd_reduce_max(vd a) { return a; }

/* ---------------- float <-> double ---------------- */
/* One lane: `hi` duplicates `lo` and is ignored by vf_narrow. */
AC_INLINE void vf_widen(vf x, vd *lo, vd *hi) { *lo = *hi = (double)x; }
AC_INLINE vf vf_narrow(vd lo, vd hi) { (void)hi; return (float)lo; }
