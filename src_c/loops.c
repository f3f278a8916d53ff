/*
 * NumPy ufunc inner loops: one generic loop per dtype, driven by the kernel
 * table entry passed as the loop's `data`.
 *
 * The ufunc signature of kernel K is (nin array inputs, npar parameters) -> 1.
 * NumPy hands the loop one strided run at a time (GIL released).  The loop
 *  - treats the parameters as constants when all their strides are 0 (the
 *    usual case: a Python scalar broadcasts with stride 0), else passes them
 *    to the kernel as arrays (prelu with a weight varying along the run);
 *  - calls the kernel directly on contiguous runs, and moves strided runs
 *    through small stack buffers (gather, compute, scatter) otherwise;
 *  - splits long runs across the thread pool.
 * float16 runs are widened to float32 chunk by chunk, computed by the float32
 * kernel and narrowed back; their parameters are float32.
 */
#include "loops.h"

#include <string.h>

#include "threadpool.h"

#define AC_CHUNK 512 /* elements per strided chunk: 2-4 KiB per buffer */
#define AC_MAX_ARGS 8

/* 0: each kernel's own minimum (from the registry); else an override for
 * every kernel (tuning and tests). */
static ac_len parallel_min_part_override = 0;

void ac_set_parallel_threshold(ac_len elements) { parallel_min_part_override = elements < 0 ? 0 : elements; }
ac_len ac_get_parallel_threshold(void) { return parallel_min_part_override; }

typedef struct {
    const ac_kernel_entry *entry;
    char **args;
    const ac_len *steps;
    int nin, npar, par_scalar, contiguous;
} loop_ctx;

static int describe(loop_ctx *c, const ac_kernel_entry *e, char **args, const ac_len *steps,
                    ac_len itemsize)
{
    c->entry = e;
    c->args = args;
    c->steps = steps;
    c->nin = e->nin;
    c->npar = e->npar;
    c->par_scalar = 1;
    for (int j = 0; j < e->npar; j++)
        if (steps[e->nin + j] != 0) c->par_scalar = 0;
    c->contiguous = 1;
    for (int k = 0; k <= e->nin + e->npar; k++) {
        int is_par = k >= e->nin && k < e->nin + e->npar;
        if (is_par && c->par_scalar) continue;
        if (steps[k] != itemsize) c->contiguous = 0;
    }
    return e->nin + e->npar < AC_MAX_ARGS;
}

/* One typed range worker per dtype; T is the element type, KFIELD the kernel.
 * ptr[] holds the inputs then the parameters, so `ptr` and `ptr + nin` are the
 * kernel's `in` and `par`. */
#define AC_RANGE_WORKER(NAME, T, KFIELD)                                                    \
    static void NAME(void *vctx, ac_len begin, ac_len end)                                  \
    {                                                                                       \
        const loop_ctx *c = (const loop_ctx *)vctx;                                         \
        const int nin = c->nin, o = c->nin + c->npar;                                       \
        const int mode = c->par_scalar ? AC_PAR_SCALAR : AC_PAR_ARRAY;                      \
        const T *ptr[AC_MAX_ARGS];                                                          \
        if (c->contiguous) {                                                                \
            for (int k = 0; k < o; k++)                                                     \
                ptr[k] = (const T *)c->args[k] + (k >= nin && c->par_scalar ? 0 : begin);   \
            c->entry->KFIELD(end - begin, ptr, ptr + nin, mode, (T *)c->args[o] + begin);   \
            return;                                                                         \
        }                                                                                   \
        T buf[AC_MAX_ARGS][AC_CHUNK];                                                       \
        for (ac_len b = begin; b < end; b += AC_CHUNK) {                                    \
            ac_len m = end - b < AC_CHUNK ? end - b : AC_CHUNK;                             \
            for (int k = 0; k < o; k++) {                                                   \
                const char *src = c->args[k] + b * c->steps[k];                             \
                if (k >= nin && c->par_scalar) {                                            \
                    ptr[k] = (const T *)c->args[k];                                         \
                } else if (c->steps[k] == (ac_len)sizeof(T)) {                              \
                    ptr[k] = (const T *)src;                                                \
                } else {                                                                    \
                    for (ac_len t = 0; t < m; t++)                                          \
                        memcpy(&buf[k][t], src + t * c->steps[k], sizeof(T));               \
                    ptr[k] = buf[k];                                                        \
                }                                                                           \
            }                                                                               \
            char *dst = c->args[o] + b * c->steps[o];                                       \
            if (c->steps[o] == (ac_len)sizeof(T)) {                                         \
                c->entry->KFIELD(m, ptr, ptr + nin, mode, (T *)dst);                        \
            } else {                                                                        \
                c->entry->KFIELD(m, ptr, ptr + nin, mode, buf[o]);                          \
                for (ac_len t = 0; t < m; t++)                                              \
                    memcpy(dst + t * c->steps[o], &buf[o][t], sizeof(T));                   \
            }                                                                               \
        }                                                                                   \
    }

AC_RANGE_WORKER(range_f32, float, active_f32)
AC_RANGE_WORKER(range_f64, double, active_f64)

/* float16: every array goes through float32 buffers; parameters are float32
 * already (the ufunc's float16 loop declares them 'f'). */
static void range_f16(void *vctx, ac_len begin, ac_len end)
{
    const loop_ctx *c = (const loop_ctx *)vctx;
    const int nin = c->nin, npar = c->npar, o = nin + npar;
    const int mode = c->par_scalar ? AC_PAR_SCALAR : AC_PAR_ARRAY;
    ac_cvt_h2f h2f = ac_active_h2f();
    ac_cvt_f2h f2h = ac_active_f2h();
    const float *in[AC_MAX_ARGS], *par[AC_MAX_ARGS];
    float buf[AC_MAX_ARGS][AC_CHUNK];
    uint16_t hbuf[AC_CHUNK];
    for (ac_len b = begin; b < end; b += AC_CHUNK) {
        ac_len m = end - b < AC_CHUNK ? end - b : AC_CHUNK;
        for (int k = 0; k < nin; k++) {
            const char *src = c->args[k] + b * c->steps[k];
            if (c->steps[k] == 2) {
                h2f(m, (const uint16_t *)src, buf[k]);
            } else {
                for (ac_len t = 0; t < m; t++) memcpy(&hbuf[t], src + t * c->steps[k], 2);
                h2f(m, hbuf, buf[k]);
            }
            in[k] = buf[k];
        }
        for (int j = 0; j < npar; j++) {
            const int k = nin + j;
            const char *src = c->args[k] + b * c->steps[k];
            if (c->par_scalar) {
                par[j] = (const float *)c->args[k];
            } else if (c->steps[k] == (ac_len)sizeof(float)) {
                par[j] = (const float *)src;
            } else {
                for (ac_len t = 0; t < m; t++) memcpy(&buf[k][t], src + t * c->steps[k], sizeof(float));
                par[j] = buf[k];
            }
        }
        c->entry->active_f32(m, in, par, mode, buf[o]);
        char *dst = c->args[o] + b * c->steps[o];
        if (c->steps[o] == 2) {
            f2h(m, buf[o], (uint16_t *)dst);
        } else {
            f2h(m, buf[o], hbuf);
            for (ac_len t = 0; t < m; t++) memcpy(dst + t * c->steps[o], &hbuf[t], 2);
        }
    }
}

static void run(const ac_kernel_entry *e, char **args, const ac_len *dims, const ac_len *steps,
                ac_len itemsize, ac_range_fn worker)
{
    loop_ctx c;
    if (!describe(&c, e, args, steps, itemsize)) return;
    ac_parallel_for(dims[0], parallel_min_part_override ? parallel_min_part_override : e->min_part, 64, worker, &c);
}

void ac_ufunc_loop_f16(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run((const ac_kernel_entry *)data, args, dims, steps, 2, range_f16);
}

void ac_ufunc_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run((const ac_kernel_entry *)data, args, dims, steps, sizeof(float), range_f32);
}

void ac_ufunc_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run((const ac_kernel_entry *)data, args, dims, steps, sizeof(double), range_f64);
}
