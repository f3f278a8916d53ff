/*
 * NumPy gufunc inner loops for softmax / log_softmax, signature
 * (n),(n),()->(n): logits, mask (bool), temperature (always double, so a
 * float32 softmax at temperature 0.01 divides by 0.01, not by its float) -> output.
 * NumPy iterates the outer dimensions; each call gets `dims[0]` rows of
 * `dims[1]` elements.  With one temperature for all of them (the usual
 * stride-0 scalar) the rows become one job split across the thread pool.
 */
#include "softmax_loops.h"

#include "threadpool.h"

#define AC_SOFTMAX_MIN_ELEMENTS 8192 /* per thread: below this one thread is faster */

typedef struct {
    ac_softmax_job job;
    ac_softmax_fn fn;
} softmax_ctx;

static void softmax_range(void *vctx, ac_len r0, ac_len r1)
{
    const softmax_ctx *c = (const softmax_ctx *)vctx;
    c->fn(&c->job, r0, r1);
}

static void run(char **args, const ac_len *dims, const ac_len *steps, int log, int itemsize)
{
    const ac_len outer = dims[0], n = dims[1];
    softmax_ctx c;
    c.fn = itemsize == 4 ? ac_active_softmax_f32() : ac_active_softmax_f64();
    c.job.n = n;
    c.job.x_ks = steps[4];
    c.job.m_ks = steps[5];
    c.job.y_ks = steps[6];
    c.job.log = log;
    ac_len min_rows = n > 0 ? (AC_SOFTMAX_MIN_ELEMENTS + n - 1) / n : 1;
    /* one job per run of rows sharing a temperature (normally all of them) */
    ac_len r = 0;
    while (r < outer) {
        ac_len r1 = steps[2] == 0 ? outer : r + 1;
        c.job.rows = r1 - r;
        c.job.x = args[0] + r * steps[0];
        c.job.x_rs = steps[0];
        c.job.mask = (const uint8_t *)(args[1] + r * steps[1]);
        c.job.m_rs = steps[1];
        c.job.y = args[3] + r * steps[3];
        c.job.y_rs = steps[3];
        const char *tp = args[2] + r * steps[2];
        c.job.temperature = *(const double *)tp; /* a double in both loops */
        ac_parallel_for(c.job.rows, min_rows, 1, softmax_range, &c);
        r = r1;
    }
}

typedef struct {
    ac_softmax_bwd_job job;
    ac_softmax_bwd_fn fn;
} softmax_bwd_ctx;

static void softmax_bwd_range(void *vctx, ac_len r0, ac_len r1)
{
    const softmax_bwd_ctx *c = (const softmax_bwd_ctx *)vctx;
    c->fn(&c->job, r0, r1);
}

/* (n),(n)->(n): grad_output, output -> grad_input */
static void run_bwd(char **args, const ac_len *dims, const ac_len *steps, int log, int itemsize)
{
    softmax_bwd_ctx c;
    c.fn = itemsize == 4 ? ac_active_softmax_bwd_f32() : ac_active_softmax_bwd_f64();
    c.job.rows = dims[0];
    c.job.n = dims[1];
    c.job.g = args[0];
    c.job.g_rs = steps[0];
    c.job.y = args[1];
    c.job.y_rs = steps[1];
    c.job.out = args[2];
    c.job.o_rs = steps[2];
    c.job.g_ks = steps[3];
    c.job.y_ks = steps[4];
    c.job.o_ks = steps[5];
    c.job.log = log;
    ac_len min_rows = dims[1] > 0 ? (AC_SOFTMAX_MIN_ELEMENTS + dims[1] - 1) / dims[1] : 1;
    ac_parallel_for(c.job.rows, min_rows, 1, softmax_bwd_range, &c);
}

void ac_softmax_bwd_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run_bwd(args, dims, steps, (int)(intptr_t)data, 4);
}

void ac_softmax_bwd_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run_bwd(args, dims, steps, (int)(intptr_t)data, 8);
}

void ac_softmax_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run(args, dims, steps, (int)(intptr_t)data, 4);
}

void ac_softmax_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data)
{
    run(args, dims, steps, (int)(intptr_t)data, 8);
}
