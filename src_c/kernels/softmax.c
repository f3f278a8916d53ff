/*
 * Softmax and log_softmax over rows (the algorithm is in softmax_impl.h),
 * compiled per ISA like every kernel: ac_softmax_{f32,f64}_<isa>.
 */
#include "../kernel_template.h"

#include <float.h>

/* number of true lanes in a mask */
#if defined(AC_ISA_AVX512)
#define AC_POPCOUNT_F(m) __builtin_popcount((unsigned)(m))
#define AC_POPCOUNT_D(m) __builtin_popcount((unsigned)(m))
#elif defined(AC_ISA_AVX2)
#define AC_POPCOUNT_F(m) __builtin_popcount((unsigned)_mm256_movemask_ps(m))
#define AC_POPCOUNT_D(m) __builtin_popcount((unsigned)_mm256_movemask_pd(m))
#elif defined(AC_ISA_SSE2)
#define AC_POPCOUNT_F(m) __builtin_popcount((unsigned)_mm_movemask_ps(m))
#define AC_POPCOUNT_D(m) __builtin_popcount((unsigned)_mm_movemask_pd(m))
#else
#define AC_POPCOUNT_F(m) ((m) != 0)
#define AC_POPCOUNT_D(m) ((m) != 0)
#endif

/* ---- float: sums accumulate in double (exp values widened) ---- */
#define T float
#define V vf
#define N VF_N
#define SM(name) sm32_##name
#define SM_EXPORT AC_SYM(softmax_f32)
#define SM_EXP_FLOOR (-120.0) /* exp(q) < 2^-173 below: 0 for any float result */
#define SM_SCALE 64           /* 2^64 e^-120 is still a normal float */
#define SM_T_MAX 3.0e38
#define SM_COUNT(cnt, m, avail) ((cnt) += AC_POPCOUNT_F(m))
#define SM_UNSCALE 0x1p-64
#if VF_N > 1
#define SM_F32_FAST 1
#endif
#if VF_N == VD_N /* one-lane backend: vf_widen duplicates the lane */
#define SM_ACC_DECL(a) vd a##_0 = vd_zero()
#define SM_ACC_ADD(a, v) (a##_0 = vd_add(a##_0, (double)(v)))
#define SM_ACC_TOTAL(a) vd_reduce_add(a##_0)
#else
#define SM_ACC_DECL(a) vd a##_0 = vd_zero(), a##_1 = vd_zero()
#define SM_ACC_ADD(a, v)                                                                     \
    do {                                                                                   \
        vd lo_, hi_;                                                                       \
        vf_widen(v, &lo_, &hi_);                                                           \
        a##_0 = vd_add(a##_0, lo_);                                                        \
        a##_1 = vd_add(a##_1, hi_);                                                        \
    } while (0)
#define SM_ACC_TOTAL(a) (vd_reduce_add(a##_0) + vd_reduce_add(a##_1))
#endif
#include "../softmax_impl.h"
#undef T
#undef V
#undef N
#undef SM
#undef SM_EXPORT
#undef SM_EXP_FLOOR
#undef SM_SCALE
#undef SM_UNSCALE
#undef SM_T_MAX
#undef SM_COUNT
#undef SM_ACC_DECL
#undef SM_ACC_ADD
#undef SM_ACC_TOTAL
#undef SM_F32_FAST

/* ---- double: compensated (TwoSum) vector accumulation ---- */
#define T double
#define V vd
#define N VD_N
#define SM(name) sm64_##name
#define SM_EXPORT AC_SYM(softmax_f64)
#define SM_EXP_FLOOR (-1000.0) /* exp(q) < 2^-1442 below: 0 for any double result */
#define SM_SCALE 512             /* 2^512 e^-1000 is still a normal double */
#define SM_T_MAX 1.7e308
#define SM_COUNT(cnt, m, avail) ((cnt) += AC_POPCOUNT_D(m))
#define SM_UNSCALE 0x1p-512
#define SM_ACC_DECL(a) vd a##_s = vd_zero(), a##_c = vd_zero()
#define SM_ACC_ADD(a, v)                                                                     \
    do {                                                                                   \
        vd v_ = (v), t_ = vd_add(a##_s, v_), bp_ = vd_sub(t_, a##_s);                      \
        a##_c = vd_add(a##_c, vd_add(vd_sub(a##_s, vd_sub(t_, bp_)), vd_sub(v_, bp_)));    \
        a##_s = t_;                                                                        \
    } while (0)
#define SM_ACC_TOTAL(a) (vd_reduce_add(a##_s) + vd_reduce_add(a##_c))
#include "../softmax_impl.h"
