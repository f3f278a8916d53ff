/*
 * Memory-safety harness for every C kernel at every ISA level the CPU has.
 *
 * For each kernel (the registry's table), dtype, parameter mode, length
 * 0..MAXN and start offset 0..3 elements, inputs and outputs are placed so
 * that their last byte touches a PROT_NONE page (a read or write past the end
 * is a SIGSEGV) and the bytes before them are canaries.  The output starts
 * filled with a signalling-NaN sentinel; afterwards every element must have
 * been written (no sentinel left), no canary may have changed.  The softmax
 * row kernels and the float16 conversions get the same treatment.
 *
 * Build and run: python tests/c/build_harness.py [--sanitize] [--run]
 * (also under valgrind: --valgrind, capped at AVX2, which valgrind decodes).
 */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "actcore.h"

#define MAXN 300
#define CANARY 0xA5
#define PAD 64

static long page;
static int failures;

/* A region of `bytes` whose end touches a PROT_NONE page; PAD canary bytes before it. */
typedef struct {
    char *map;
    size_t map_len;
    char *data;
} guarded;

static guarded guarded_alloc(size_t bytes)
{
    guarded g;
    size_t body = ((bytes + PAD + page - 1) / page) * page;
    g.map_len = body + page;
    g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.map == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    if (mprotect(g.map + body, page, PROT_NONE) != 0) {
        perror("mprotect");
        exit(2);
    }
    g.data = g.map + body - bytes;
    memset(g.map, CANARY, body - bytes);
    return g;
}

static void guarded_free(guarded g) { munmap(g.map, g.map_len); }

static int canaries_ok(guarded g)
{
    for (char *p = g.map; p < g.data; p++)
        if ((unsigned char)*p != CANARY) return 0;
    return 1;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double next_value(void)
{
    /* xorshift; a mix of ordinary values and the specials */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e-40, -1e-310, 1e38, -1e38, 88.0, -104.0};
    unsigned r = (unsigned)(rng_state >> 40);
    if (r % 7 == 0) return specials[r % (sizeof specials / sizeof specials[0])];
    return ((double)(r % 20001) - 10000.0) / 500.0;
}

#define SENTINEL32 0x7fa5a5a5u
#define SENTINEL64 0x7ff4a5a5a5a5a5a5ull

static void report(const char *what, const char *kernel, int level, int n, int off, int mode)
{
    if (failures < 20)
        fprintf(stderr, "FAIL %s: kernel %s level %s n=%d offset=%d par_mode=%d\n", what, kernel,
                ac_isa_name(level), n, off, mode);
    failures++;
}

static long check_kernel(const ac_kernel_entry *e, int level, int is64)
{
    const size_t sz = is64 ? 8 : 4;
    long cases = 0;
    for (int mode = 0; mode < (e->npar ? 2 : 1); mode++)
        for (int n = 0; n <= MAXN; n++)
            for (int off = 0; off < 4; off++) {
                size_t bytes = (size_t)(n + off) * sz;
                guarded in[4], par[4], out = guarded_alloc(bytes);
                const void *inp[4], *parp[4];
                for (int k = 0; k < e->nin; k++) {
                    in[k] = guarded_alloc(bytes);
                    for (int i = 0; i < n + off; i++) {
                        double v = next_value();
                        if (is64) ((double *)in[k].data)[i] = v;
                        else ((float *)in[k].data)[i] = (float)v;
                    }
                    inp[k] = in[k].data + off * sz;
                }
                for (int j = 0; j < e->npar; j++) {
                    size_t pb = mode == AC_PAR_ARRAY ? bytes : sz;
                    par[j] = guarded_alloc(pb);
                    for (size_t i = 0; i < pb / sz; i++) {
                        /* valid for every parameter: 0.5 (hardtanh min=max, celu alpha, softplus beta...) */
                        if (is64) ((double *)par[j].data)[i] = 0.5;
                        else ((float *)par[j].data)[i] = 0.5f;
                    }
                    parp[j] = par[j].data + (mode == AC_PAR_ARRAY ? off * sz : 0);
                }
                for (int i = 0; i < n + off; i++) {
                    if (is64) { uint64_t s = SENTINEL64; memcpy(out.data + i * 8, &s, 8); }
                    else { uint32_t s = SENTINEL32; memcpy(out.data + i * 4, &s, 4); }
                }
                if (is64)
                    e->f64[level](n, (const double *const *)inp, (const double *const *)parp, mode,
                                  (double *)(out.data + off * sz));
                else
                    e->f32[level](n, (const float *const *)inp, (const float *const *)parp, mode,
                                  (float *)(out.data + off * sz));
                for (int i = 0; i < n; i++) {
                    int left = is64 ? memcmp(out.data + (off + i) * 8, &(uint64_t){SENTINEL64}, 8) == 0
                                    : memcmp(out.data + (off + i) * 4, &(uint32_t){SENTINEL32}, 4) == 0;
                    if (left) {
                        report("element not written", e->name, level, n, off, mode);
                        break;
                    }
                }
                for (int i = 0; i < off; i++) { /* elements before the output start stay sentinel */
                    int same = is64 ? memcmp(out.data + i * 8, &(uint64_t){SENTINEL64}, 8) == 0
                                    : memcmp(out.data + i * 4, &(uint32_t){SENTINEL32}, 4) == 0;
                    if (!same) report("write before the output", e->name, level, n, off, mode);
                }
                if (!canaries_ok(out)) report("canary overwritten", e->name, level, n, off, mode);
                for (int k = 0; k < e->nin; k++) guarded_free(in[k]);
                for (int j = 0; j < e->npar; j++) guarded_free(par[j]);
                guarded_free(out);
                cases++;
            }
    return cases;
}

static long check_softmax(int level_cap)
{
    long cases = 0;
    (void)level_cap;
    for (int is64 = 0; is64 < 2; is64++)
        for (int log = 0; log < 2; log++)
            for (int rows = 1; rows <= 3; rows++)
                for (int n = 0; n <= MAXN; n += (n < 40 ? 1 : 13)) {
                    const size_t sz = is64 ? 8 : 4;
                    size_t bytes = (size_t)rows * n * sz;
                    guarded x = guarded_alloc(bytes), y = guarded_alloc(bytes), m = guarded_alloc((size_t)rows * n);
                    for (size_t i = 0; i < (size_t)rows * n; i++) {
                        double v = next_value();
                        if (is64) ((double *)x.data)[i] = v;
                        else ((float *)x.data)[i] = (float)v;
                        m.data[i] = (char)(i % 3 != 0);
                    }
                    for (int masked = 0; masked < 2; masked++) {
                        ac_softmax_job j = {rows, n, x.data, (ac_len)(n * sz), (ac_len)sz,
                                            masked ? (const uint8_t *)m.data : NULL, n, 1,
                                            y.data, (ac_len)(n * sz), (ac_len)sz, 0.7, log};
                        (is64 ? ac_active_softmax_f64() : ac_active_softmax_f32())(&j, 0, rows);
                        if (!canaries_ok(y)) report("softmax canary", log ? "log_softmax" : "softmax", ac_active_level(), n, rows, masked);
                        ac_softmax_bwd_job b = {rows, n, x.data, (ac_len)(n * sz), (ac_len)sz, y.data,
                                                (ac_len)(n * sz), (ac_len)sz, y.data, (ac_len)(n * sz), (ac_len)sz, log};
                        (is64 ? ac_active_softmax_bwd_f64() : ac_active_softmax_bwd_f32())(&b, 0, rows);
                        if (!canaries_ok(y)) report("softmax backward canary", "softmax_bwd", ac_active_level(), n, rows, masked);
                        cases += 2;
                    }
                    guarded_free(x);
                    guarded_free(y);
                    guarded_free(m);
                }
    return cases;
}

static long check_half(void)
{
    long cases = 0;
    for (int n = 0; n <= MAXN; n++) {
        guarded h = guarded_alloc((size_t)n * 2), f = guarded_alloc((size_t)n * 4);
        for (int i = 0; i < n; i++) ((uint16_t *)h.data)[i] = (uint16_t)(i * 2654435761u >> 16);
        ac_active_h2f()(n, (const uint16_t *)h.data, (float *)f.data);
        ac_active_f2h()(n, (const float *)f.data, (uint16_t *)h.data);
        if (!canaries_ok(h) || !canaries_ok(f)) report("float16 conversion canary", "h2f/f2h", ac_active_level(), n, 0, 0);
        cases++;
    }
    return cases;
}

int main(int argc, char **argv)
{
    page = sysconf(_SC_PAGESIZE);
    int cap = AC_ISA_LEVEL_COUNT - 1;
    if (argc > 1) { /* highest level to test, e.g. "avx2" under valgrind */
        for (int l = 0; l < AC_ISA_LEVEL_COUNT; l++)
            if (strcmp(argv[1], ac_isa_name(l)) == 0) cap = l;
    }
    long cases = 0;
    for (int level = 0; level <= cap; level++) {
        if (ac_select_isa(level) != level) continue; /* CPU or build lacks it */
        for (int i = 0; i < ac_kernel_count(); i++) {
            const ac_kernel_entry *e = ac_kernel_at(i);
            cases += check_kernel(e, level, 0);
            cases += check_kernel(e, level, 1);
        }
        cases += check_softmax(level);
        cases += check_half();
        printf("level %s: done\n", ac_isa_name(level));
        fflush(stdout);
    }
    printf("%ld cases, %d failures\n", cases, failures);
    return failures ? 1 : 0;
}
