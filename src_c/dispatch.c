/*
 * Kernel table and runtime ISA dispatch.
 *
 * setup.py compiles every kernel once per ISA level with a distinct symbol
 * suffix (ac_<kernel>_<type>_<level>) and generates ac_kernel_list.h, an
 * X-macro list of the kernels the registry declares.  This file declares
 * those symbols, builds the table, probes the CPU (CPUID plus the OS's XCR0
 * register: a CPU with AVX-512 under an OS that does not save ZMM state must
 * not use it) and points every entry at the best level allowed.
 */
#include <stdio.h>
#include <string.h>

#include "actcore.h"
#include "ac_build_config.h" /* generated: AC_BUILT_X86_LEVELS, AC_FLAGS_* */
#include "ac_kernel_list.h"  /* generated: AC_FOR_EACH_KERNEL(X) */

#if AC_BUILT_X86_LEVELS
#define AC_DECLARE_LEVEL(name, level)                                                        \
    void ac_##name##_f32_##level(ac_len, const float *const *, const float *const *, int,    \
                                 float *);                                                   \
    void ac_##name##_f64_##level(ac_len, const double *const *, const double *const *, int,  \
                                 double *);
#define AC_DECLARE(name, nin, npar, part)                                                    \
    AC_DECLARE_LEVEL(name, baseline) AC_DECLARE_LEVEL(name, avx2) AC_DECLARE_LEVEL(name, avx512)
#define AC_ENTRY(name, nin, npar, part)                                                      \
    {#name, nin, npar, part,                                                                 \
     {ac_##name##_f32_baseline, ac_##name##_f32_avx2, ac_##name##_f32_avx512},               \
     {ac_##name##_f64_baseline, ac_##name##_f64_avx2, ac_##name##_f64_avx512}, 0, 0},
void ac_h2f_baseline(ac_len, const uint16_t *, float *);
void ac_h2f_avx2(ac_len, const uint16_t *, float *);
void ac_h2f_avx512(ac_len, const uint16_t *, float *);
void ac_f2h_baseline(ac_len, const float *, uint16_t *);
void ac_f2h_avx2(ac_len, const float *, uint16_t *);
void ac_f2h_avx512(ac_len, const float *, uint16_t *);
static const ac_cvt_h2f h2f_levels[AC_ISA_LEVEL_COUNT] = {ac_h2f_baseline, ac_h2f_avx2, ac_h2f_avx512};
static const ac_cvt_f2h f2h_levels[AC_ISA_LEVEL_COUNT] = {ac_f2h_baseline, ac_f2h_avx2, ac_f2h_avx512};
void ac_softmax_f32_baseline(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f32_avx2(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f32_avx512(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f64_baseline(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f64_avx2(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f64_avx512(const ac_softmax_job *, ac_len, ac_len);
static const ac_softmax_fn softmax_f32_levels[AC_ISA_LEVEL_COUNT] = {
    ac_softmax_f32_baseline, ac_softmax_f32_avx2, ac_softmax_f32_avx512};
static const ac_softmax_fn softmax_f64_levels[AC_ISA_LEVEL_COUNT] = {
    ac_softmax_f64_baseline, ac_softmax_f64_avx2, ac_softmax_f64_avx512};
void ac_softmax_bwd_f32_baseline(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f32_avx2(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f32_avx512(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f64_baseline(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f64_avx2(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f64_avx512(const ac_softmax_bwd_job *, ac_len, ac_len);
static const ac_softmax_bwd_fn softmax_bwd_f32_levels[AC_ISA_LEVEL_COUNT] = {
    ac_softmax_bwd_f32_baseline, ac_softmax_bwd_f32_avx2, ac_softmax_bwd_f32_avx512};
static const ac_softmax_bwd_fn softmax_bwd_f64_levels[AC_ISA_LEVEL_COUNT] = {
    ac_softmax_bwd_f64_baseline, ac_softmax_bwd_f64_avx2, ac_softmax_bwd_f64_avx512};
#else
#define AC_DECLARE(name, nin, npar, part)                                                    \
    void ac_##name##_f32_baseline(ac_len, const float *const *, const float *const *, int,   \
                                  float *);                                                  \
    void ac_##name##_f64_baseline(ac_len, const double *const *, const double *const *, int, \
                                  double *);
#define AC_ENTRY(name, nin, npar, part)                                                      \
    {#name, nin, npar, part, {ac_##name##_f32_baseline, 0, 0}, {ac_##name##_f64_baseline, 0, 0}, 0, 0},
void ac_h2f_baseline(ac_len, const uint16_t *, float *);
void ac_f2h_baseline(ac_len, const float *, uint16_t *);
static const ac_cvt_h2f h2f_levels[AC_ISA_LEVEL_COUNT] = {ac_h2f_baseline, 0, 0};
static const ac_cvt_f2h f2h_levels[AC_ISA_LEVEL_COUNT] = {ac_f2h_baseline, 0, 0};
void ac_softmax_f32_baseline(const ac_softmax_job *, ac_len, ac_len);
void ac_softmax_f64_baseline(const ac_softmax_job *, ac_len, ac_len);
static const ac_softmax_fn softmax_f32_levels[AC_ISA_LEVEL_COUNT] = {ac_softmax_f32_baseline, 0, 0};
static const ac_softmax_fn softmax_f64_levels[AC_ISA_LEVEL_COUNT] = {ac_softmax_f64_baseline, 0, 0};
void ac_softmax_bwd_f32_baseline(const ac_softmax_bwd_job *, ac_len, ac_len);
void ac_softmax_bwd_f64_baseline(const ac_softmax_bwd_job *, ac_len, ac_len);
static const ac_softmax_bwd_fn softmax_bwd_f32_levels[AC_ISA_LEVEL_COUNT] = {ac_softmax_bwd_f32_baseline, 0, 0};
static const ac_softmax_bwd_fn softmax_bwd_f64_levels[AC_ISA_LEVEL_COUNT] = {ac_softmax_bwd_f64_baseline, 0, 0};
#endif

AC_FOR_EACH_KERNEL(AC_DECLARE)

static ac_kernel_entry table[] = {AC_FOR_EACH_KERNEL(AC_ENTRY)};
static int active_level = -1;
static char features[256];

int ac_kernel_count(void) { return (int)(sizeof table / sizeof table[0]); }
ac_kernel_entry *ac_kernel_at(int i) { return i >= 0 && i < ac_kernel_count() ? &table[i] : NULL; }

/* ---------------- CPU probe ---------------- */
#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER)
#include <intrin.h>
static void cpuid(int leaf, int sub, unsigned r[4])
{
    int v[4];
    __cpuidex(v, leaf, sub);
    for (int i = 0; i < 4; i++) r[i] = (unsigned)v[i];
}
static unsigned long long xgetbv0(void) { return _xgetbv(0); }
#else
#include <cpuid.h>
static void cpuid(int leaf, int sub, unsigned r[4])
{
    r[0] = r[1] = r[2] = r[3] = 0;
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}
static unsigned long long xgetbv0(void)
{
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

static int probe(void)
{
    unsigned r1[4], r7[4], r0[4];
    cpuid(0, 0, r0);
    cpuid(1, 0, r1);
    if (r0[0] >= 7) cpuid(7, 0, r7); else r7[0] = r7[1] = r7[2] = r7[3] = 0;
    int osxsave = (r1[2] >> 27) & 1;
    unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
    int os_avx = (xcr0 & 0x6) == 0x6;        /* XMM and YMM state */
    int os_avx512 = (xcr0 & 0xe6) == 0xe6;   /* plus opmask, ZMM_Hi256, Hi16_ZMM */
    struct { const char *name; int on; } f[] = {
        {"sse2", (r1[3] >> 26) & 1},
        {"avx", os_avx && ((r1[2] >> 28) & 1)},
        {"fma", os_avx && ((r1[2] >> 12) & 1)},
        {"f16c", os_avx && ((r1[2] >> 29) & 1)},
        {"avx2", os_avx && ((r7[1] >> 5) & 1)},
        {"avx512f", os_avx512 && ((r7[1] >> 16) & 1)},
        {"avx512dq", os_avx512 && ((r7[1] >> 17) & 1)},
        {"avx512bw", os_avx512 && ((r7[1] >> 30) & 1)},
        {"avx512vl", os_avx512 && ((r7[1] >> 31) & 1)},
    };
    features[0] = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].on) continue;
        if (features[0]) strncat(features, " ", sizeof features - strlen(features) - 1);
        strncat(features, f[i].name, sizeof features - strlen(features) - 1);
    }
    int avx2 = f[1].on && f[2].on && f[3].on && f[4].on;
    int avx512 = avx2 && f[5].on && f[6].on && f[7].on && f[8].on;
    return avx512 ? AC_ISA_LEVEL_AVX512 : avx2 ? AC_ISA_LEVEL_AVX2 : AC_ISA_LEVEL_BASELINE;
}
#else
static int probe(void)
{
#if defined(__aarch64__)
    strcpy(features, "aarch64");
#else
    strcpy(features, "generic");
#endif
    return AC_ISA_LEVEL_BASELINE;
}
#endif

static int cpu_level = -1;

int ac_cpu_max_level(void)
{
    if (cpu_level < 0) cpu_level = probe();
    return cpu_level;
}

int ac_built_max_level(void) { return AC_BUILT_X86_LEVELS ? AC_ISA_LEVEL_AVX512 : AC_ISA_LEVEL_BASELINE; }

int ac_select_isa(int level)
{
    int cap = ac_cpu_max_level();
    if (ac_built_max_level() < cap) cap = ac_built_max_level();
    if (level < 0 || level > cap) level = cap;
    for (int i = 0; i < ac_kernel_count(); i++) {
        table[i].active_f32 = table[i].f32[level];
        table[i].active_f64 = table[i].f64[level];
    }
    active_level = level;
    return level;
}

int ac_active_level(void) { return active_level; }

const char *ac_isa_name(int level)
{
    static const char *names[] = {"baseline", "avx2", "avx512"};
    return level >= 0 && level < AC_ISA_LEVEL_COUNT ? names[level] : "unknown";
}

const char *ac_cpu_features(void)
{
    ac_cpu_max_level();
    return features;
}

ac_cvt_h2f ac_active_h2f(void) { return h2f_levels[active_level < 0 ? 0 : active_level]; }
ac_cvt_f2h ac_active_f2h(void) { return f2h_levels[active_level < 0 ? 0 : active_level]; }
ac_softmax_fn ac_active_softmax_f32(void) { return softmax_f32_levels[active_level < 0 ? 0 : active_level]; }
ac_softmax_fn ac_active_softmax_f64(void) { return softmax_f64_levels[active_level < 0 ? 0 : active_level]; }
ac_softmax_bwd_fn ac_active_softmax_bwd_f32(void) { return softmax_bwd_f32_levels[active_level < 0 ? 0 : active_level]; }
ac_softmax_bwd_fn ac_active_softmax_bwd_f64(void) { return softmax_bwd_f64_levels[active_level < 0 ? 0 : active_level]; }

const char *ac_build_compiler(void)
{
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#elif defined(_MSC_VER)
#define AC_STR2(x) #x
#define AC_STR(x) AC_STR2(x)
    return "msvc " AC_STR(_MSC_FULL_VER);
#else
    return "unknown";
#endif
}

const char *ac_build_flags(int level)
{
    static const char *flags[] = {AC_FLAGS_BASELINE, AC_FLAGS_AVX2, AC_FLAGS_AVX512};
    return level >= 0 && level < AC_ISA_LEVEL_COUNT ? flags[level] : "";
}
