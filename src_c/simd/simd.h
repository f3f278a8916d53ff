/*
 * Thin, ISA-neutral vector layer.  Kernels and vmath.h are written once
 * against it and compiled once per ISA level (setup.py passes
 * -DAC_ISA_<LEVEL> and the matching -m flags).
 *
 * Types:  vf  float vector (VF_N lanes)      vd  double vector (VD_N lanes)
 *         mf  float lane mask                md  double lane mask
 *         vfi int32 vector, VF_N lanes       vdi int64 vector, VD_N lanes
 *
 * Semantics every backend honours (the kernels rely on them):
 *  - vX_muladd(a,b,c) = a*b+c, fused when the ISA has FMA (AC_HAVE_FMA),
 *    two roundings otherwise.  Code that needs the exact product uses
 *    vX_two_prod() from vmath.h, which is exact on every ISA.
 *  - vX_min(a,b) / vX_max(a,b) return b when either is NaN (x86 rule).
 *    Kernels never see NaN (the loop templates strip it), so this only
 *    matters inside the templates.
 *  - Comparisons are quiet where the ISA allows; the kernels are only handed
 *    NaN-free input, so SSE2's signalling LT/LE never raise.
 *  - vX_rint rounds half to even; exact for |a| < 2^22 (float) / 2^51 (double).
 *  - vX_pow2i(n): 2^n for integer-valued n in the normal exponent range.
 *  - vX_scale2(a, n): a * 2^n with one rounding, for integer-valued n in
 *    [-250, 254] (float) / [-2040, 2046] (double) and |a| >= 0.5.
 *  - vf_floor rounds toward -inf (exact for |a| < 2^22).
 *  - vf_lut(z, tab): tab[bits(z) mod 2^VF_LUT_BITS] per lane, for a table of
 *    2^VF_LUT_BITS floats (a lane permute; VF_LUT_BITS is 4 on AVX-512, 3 on
 *    AVX2, 0 on SSE2, where it returns tab[0]).  Where VF_HAVE_LUT32 is
 *    defined, vf_lut32(z, tab) does the same with 32 entries (5 bits).
 *  - vf_rcp(a): 1/a with relative error < 2^-VF_RCP_BITS (a normal, positive);
 *    vd_rcp(a) likewise with VD_RCP_BITS (a within float range on SSE2/AVX2,
 *    which go through the float estimate).
 *  - vf_copysign / vd_copysign: |mag| with the sign of sgn; vf_isspecial /
 *    vd_isspecial: NaN or +-inf, quietly; vf_max_abs / vf_min_abs: max/min
 *    of |a|, |b|.  A backend may define AC_HAVE_COPYSIGN, AC_HAVE_ISSPECIAL,
 *    AC_HAVE_ABS_MINMAX and its own (one vpternlog, vfpclass, vrange on
 *    AVX-512).
 *  - vf_widen(x, &lo, &hi) splits a float vector into two double vectors
 *    (VD_N = VF_N / 2 lanes each; on the one-lane backend both hold x) and
 *    vf_narrow(lo, hi) rounds them back: kernels that compute in double
 *    treat lo and hi alike.
 *
 * Every function is `static inline`: each ISA object gets its own copy, so
 * the linker can never hand the AVX-512 copy to the baseline path.
 */
#ifndef AC_SIMD_H
#define AC_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define AC_INLINE static __forceinline
#else
#define AC_INLINE static inline __attribute__((always_inline))

#endif

#if defined(AC_ISA_AVX512)
#include "simd_avx512.h"
#elif defined(AC_ISA_AVX2)
#include "simd_avx2.h"
#elif defined(AC_ISA_SSE2)
#include "simd_sse2.h"
#elif defined(AC_ISA_SCALAR)
#include "simd_scalar.h"
#else
#error "compile with one of -DAC_ISA_AVX512, -DAC_ISA_AVX2, -DAC_ISA_SSE2, -DAC_ISA_SCALAR"

#endif

/* ---- helpers that are the same on every ISA ---------------------------- */

#ifndef AC_HAVE_COPYSIGN
AC_INLINE vf vf_copysign(vf mag, vf sgn)
{
    const vf sign = vf_set1(-0.0f);
    return vf_or(vf_andnot(sign, mag), vf_and(sign, sgn));
}
AC_INLINE vd vd_copysign(vd mag, vd sgn)
{
    const vd sign = vd_set1(-0.0);
    return vd_or(vd_andnot(sign, mag), vd_and(sign, sgn));
}
#endif
AC_INLINE vf vf_clamp(vf a, float lo, float hi)
{
    return vf_min(vf_max(a, vf_set1(lo)), vf_set1(hi));
}
AC_INLINE vd vd_clamp(vd a, double lo, double hi)
{
    return vd_min(vd_max(a, vd_set1(lo)), vd_set1(hi));
}
/* NaN or +-inf, with quiet predicates only (never raises "invalid"). */
#ifndef AC_HAVE_ISSPECIAL
AC_INLINE mf vf_isspecial(vf a) { return mf_or(vf_isnan(a), vf_eq(vf_abs(a), vf_set1(INFINITY))); }
AC_INLINE md vd_isspecial(vd a) { return md_or(vd_isnan(a), vd_eq(vd_abs(a), vd_set1(INFINITY))); }
#endif
/* max(|a|, |b|) and min(|a|, |b|) (one vrange on AVX-512). */
#ifndef AC_HAVE_ABS_MINMAX
AC_INLINE vf vf_max_abs(vf a, vf b) { return vf_max(vf_abs(a), vf_abs(b)); }
AC_INLINE vf vf_min_abs(vf a, vf b) { return vf_min(vf_abs(a), vf_abs(b)); }
#endif


#ifndef AC_HAVE_SCALEF
/* 2^n for integer-valued n in [-126, 127]: n + (1.5*2^23 + 127) lands in the
 * binade where one ulp is 1, so its low mantissa bits hold n + 127, the biased
 * exponent; shift them into place.  No float->int conversion needed. */
AC_INLINE vf vf_pow2i(vf n)
{
    const vf magic = vf_set1(0x1.8p23f);
    vfi biased = vfi_sub(vf_as_i(vf_add(n, vf_set1(0x1.8p23f + 127.0f))), vf_as_i(magic));
    return vfi_as_f(vfi_sll(biased, 23));
}
/* a * 2^n, n integer-valued in [-250, 254], in two steps: the first stays in
 * the normal range when |a| >= 0.5 (so is exact), the second rounds once. */
AC_INLINE vf vf_scale2(vf a, vf n)
{
    vf n1 = vf_clamp(n, -124.0f, 127.0f);
    return vf_mul(vf_mul(a, vf_pow2i(n1)), vf_pow2i(vf_sub(n, n1)));
}
/* Same magic for double: n + (1.5*2^52 + 1023) holds n + 1023 in its low bits. */
AC_INLINE vd vd_pow2i(vd n)
{
    const vd magic = vd_set1(0x1.8p52);
    vdi biased = vdi_sub(vd_as_i(vd_add(n, vd_set1(0x1.8p52 + 1023.0))), vd_as_i(magic));
    return vdi_as_d(vdi_sll(biased, 52));
}
AC_INLINE vd vd_scale2(vd a, vd n)
{
    vd n1 = vd_clamp(n, -1020.0, 1023.0);
    return vd_mul(vd_mul(a, vd_pow2i(n1)), vd_pow2i(vd_sub(n, n1)));
}
#endif

#endif
