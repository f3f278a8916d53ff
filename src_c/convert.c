/*
 * float16 <-> float32 conversion of contiguous runs, compiled per ISA: the
 * float16 ufunc loops widen chunks to float32, run the float32 kernel and
 * narrow the result (round to nearest even, like NumPy's casts).
 * AVX2/AVX-512 levels use F16C; the baseline converts with integer code.
 */
#include "kernel_template.h"

#if defined(AC_ISA_AVX2) || defined(AC_ISA_AVX512)

void AC_SYM(h2f)(ac_len n, const uint16_t *src, float *dst)
{
    ac_len i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = _cvtsh_ss(src[i]);
}

void AC_SYM(f2h)(ac_len n, const float *src, uint16_t *dst)
{
    ac_len i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) dst[i] = _cvtss_sh(src[i], _MM_FROUND_TO_NEAREST_INT);
}

#else

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13); /* inf / NaN (payload kept) */
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else { /* subnormal half: exact in float32 */
        float f = (float)man * 0x1p-24f;
        memcpy(&bits, &f, 4);
        bits |= sign;
    }
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

static uint16_t float_to_half(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) /* inf / NaN: keep NaN quiet and non-zero */
        return sign | 0x7c00u | (ax > 0x7f800000u ? (uint16_t)(0x200u | ((ax >> 13) & 0x3ffu)) : 0);
    if (ax >= 0x477ff000u) { /* rounds past 65504: overflow, raised like a real cast */
        volatile float big = 0x1p127f;
        big = big * big;
        return sign | 0x7c00u;
    }
    if (ax < 0x38800000u) { /* below the smallest normal half: round to a subnormal */
        /* adding 0.5 (2^-1) puts the half-subnormal grid (2^-24) at the last
         * float bit of the sum; the FPU's own round-to-nearest-even does the rest */
        float t = fabsf(f) + 0.5f;
        uint32_t tb;
        memcpy(&tb, &t, 4);
        return sign | (uint16_t)(tb - 0x3f000000u);
    }
    /* normal: rebias, then round to nearest even on the 13 dropped bits */
    uint32_t m = ax - ((uint32_t)(127 - 15) << 23);
    m += 0xfffu + ((m >> 13) & 1u);
    return sign | (uint16_t)(m >> 13);
}

void AC_SYM(h2f)(ac_len n, const uint16_t *src, float *dst)
{
    for (ac_len i = 0; i < n; i++) dst[i] = half_to_float(src[i]);
}

void AC_SYM(f2h)(ac_len n, const float *src, uint16_t *dst)
{
    for (ac_len i = 0; i < n; i++) dst[i] = float_to_half(src[i]);
}

#endif
