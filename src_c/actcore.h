/*
 * actcore kernel ABI: one signature family shared by every kernel, every ISA.
 *
 * A kernel maps `nin` contiguous input arrays (and `npar` parameters) to one
 * contiguous output array of the same length.  Parameters come in one of two
 * modes, chosen by the caller per call:
 *   AC_PAR_SCALAR: par[j] points at one value, used for every element (the
 *                  common case: a scalar parameter is a stride-0 ufunc input);
 *   AC_PAR_ARRAY:  par[j] points at n contiguous values (prelu with a weight
 *                  that varies along the innermost loop).
 * Kernels never allocate, never touch Python, and may be called concurrently
 * from several threads on disjoint outputs.
 *
 * This header is free of NumPy and Python so the C test harness can use it.
 */
#ifndef ACTCORE_H
#define ACTCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef ptrdiff_t ac_len;  /* element counts and indices: 64-bit on 64-bit targets */

enum { AC_PAR_SCALAR = 0, AC_PAR_ARRAY = 1 };

typedef void (*ac_kernel_f32)(ac_len n, const float *const *in,
                              const float *const *par, int par_mode, float *out);
typedef void (*ac_kernel_f64)(ac_len n, const double *const *in,
                              const double *const *par, int par_mode, double *out);

/* float16 <-> float32 conversion of a contiguous run (F16C where the ISA has it). */
typedef void (*ac_cvt_h2f)(ac_len n, const uint16_t *src, float *dst);
typedef void (*ac_cvt_f2h)(ac_len n, const float *src, uint16_t *dst);

/* ISA levels, lowest first.  AC_ISA_BASELINE is SSE2 on x86-64 and portable
 * C elsewhere; the higher levels exist on x86-64 only. */
enum ac_isa_level {
    AC_ISA_LEVEL_BASELINE = 0,
    AC_ISA_LEVEL_AVX2 = 1,    /* AVX2 + FMA + F16C */
    AC_ISA_LEVEL_AVX512 = 2,  /* AVX-512 F/DQ/VL/BW, plus the AVX2 set */
    AC_ISA_LEVEL_COUNT = 3
};

typedef struct {
    const char *name;  /* ufunc-level kernel name, e.g. "gelu_tanh_backward" */
    int nin;           /* array inputs */
    int npar;          /* parameters (after the array inputs in the ufunc) */
    ac_len min_part;   /* fewest elements worth giving another thread */
    ac_kernel_f32 f32[AC_ISA_LEVEL_COUNT];  /* NULL where the level is not built */
    ac_kernel_f64 f64[AC_ISA_LEVEL_COUNT];
    /* The level in use, set by ac_select_isa(); read by the ufunc loops. */
    ac_kernel_f32 active_f32;
    ac_kernel_f64 active_f64;
} ac_kernel_entry;

/* Softmax family over a batch of rows: row r, element k of x lives at
 * x + r*x_rs + k*x_ks (byte strides); the same for the mask (bytes, nonzero =
 * take part; NULL = no mask) and the output.  Rows [r0, r1) are computed. */
typedef struct {
    ac_len rows, n;
    const char *x;
    ac_len x_rs, x_ks;
    const uint8_t *mask;
    ac_len m_rs, m_ks;
    char *y;
    ac_len y_rs, y_ks;
    double temperature; /* > 0 */
    int log;            /* 0: softmax, 1: log_softmax */
} ac_softmax_job;
typedef void (*ac_softmax_fn)(const ac_softmax_job *job, ac_len r0, ac_len r1);

/* Backward of the softmax family over rows, same stride convention:
 *   softmax:     dx = y * (g - sum(g * y))
 *   log_softmax: dx = g - exp(y) * sum(g)        (y = the forward output) */
typedef struct {
    ac_len rows, n;
    const char *g;
    ac_len g_rs, g_ks;
    const char *y;
    ac_len y_rs, y_ks;
    char *out;
    ac_len o_rs, o_ks;
    int log;
} ac_softmax_bwd_job;
typedef void (*ac_softmax_bwd_fn)(const ac_softmax_bwd_job *job, ac_len r0, ac_len r1);

/* dispatch.c */
int ac_kernel_count(void);
ac_kernel_entry *ac_kernel_at(int index);
int ac_cpu_max_level(void);         /* highest level this CPU and OS support */
int ac_built_max_level(void);       /* highest level compiled into this build */
int ac_active_level(void);
int ac_select_isa(int level);       /* caps at what CPU and build support; returns level used */
const char *ac_isa_name(int level);
const char *ac_cpu_features(void);  /* space-separated feature names found */
const char *ac_build_compiler(void);
const char *ac_build_flags(int level);
ac_cvt_h2f ac_active_h2f(void);
ac_cvt_f2h ac_active_f2h(void);
ac_softmax_fn ac_active_softmax_f32(void);
ac_softmax_fn ac_active_softmax_f64(void);
ac_softmax_bwd_fn ac_active_softmax_bwd_f32(void);
ac_softmax_bwd_fn ac_active_softmax_bwd_f64(void);

#ifdef __cplusplus
}
#endif
#endif
