/*
 * Thread pool: see threadpool.h for the contract.
 *
 * Design: N-1 persistent workers and the calling thread share one job.  A job
 * is published by bumping `generation`; workers spin briefly on it (a call in
 * a tight loop then hands over in well under a microsecond) and otherwise
 * sleep on a condition variable.  Part 0 runs on the caller, part w+1 on
 * worker w; every worker acknowledges every job (`pending`), and the caller
 * waits for all acknowledgements the same spin-then-sleep way.
 *
 * fork(): the child inherits none of the workers.  pthread_atfork holds the
 * submit lock across fork() so no job is half-published, and the child
 * forgets the dead workers; the next parallel call there starts new ones.
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L /* pthread_sigmask, sigset_t under -std=c11 */
#endif
#include "threadpool.h"

#if defined(_WIN32) || defined(AC_NO_THREADS)

/* Windows builds run serially for now (see docs/ARCHITECTURE.md). */
static int requested_threads = 1;
void ac_parallel_for(ac_len n, ac_len min_part, ac_len align, ac_range_fn fn, void *ctx)
{
    (void)min_part;
    (void)align;
    if (n > 0) fn(ctx, 0, n);
}
int ac_get_num_threads(void) { return requested_threads; }
void ac_set_num_threads(int n) { requested_threads = n < 1 ? 1 : n; }
int ac_threads_supported(void) { return 0; }

#else

#include <fenv.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AC_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define AC_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define AC_CPU_RELAX() ((void)0)
#endif

#define AC_MAX_THREADS 256
#define AC_SPIN_ITERS 20000 /* ~50-100 us of pause before sleeping */

typedef struct {
    ac_range_fn fn;
    void *ctx;
    ac_len n;
    ac_len align; /* part boundaries are multiples of this (power of two) */
    int parts;
    fenv_t env;          /* caller's floating-point environment */
    atomic_int fpflags;  /* exception flags raised by the workers */
} job_t;

static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;  /* guards the condvars */
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;

static job_t job;
static atomic_uint generation;      /* bumped once per published job */
static atomic_int pending;          /* worker parts not yet finished */
static atomic_int shutting_down;
static atomic_int requested_threads = 1;
static int nworkers;                /* live workers (guarded by submit_lock) */
static pthread_t workers[AC_MAX_THREADS];
static int atfork_registered;
static unsigned spawn_generation;   /* generation before which new workers start */

static void part_bounds(ac_len n, ac_len align, int parts, int p, ac_len *b, ac_len *e)
{
    /* equal shares, boundaries rounded down to `align` (64 elements: cache lines) */
    ac_len lo = (ac_len)((double)n * p / parts) & ~(align - 1);
    ac_len hi = p + 1 == parts ? n : ((ac_len)((double)n * (p + 1) / parts) & ~(align - 1));
    *b = lo;
    *e = hi;
}

static void run_part(int p)
{
    ac_len b, e;
    part_bounds(job.n, job.align, job.parts, p, &b, &e);
    if (e > b) job.fn(job.ctx, b, e);
}

static void *worker_main(void *arg)
{
    int id = (int)(intptr_t)arg;
    /* Not the current generation: a job published between pthread_create and
     * this line must still count as new to this worker. */
    unsigned seen = spawn_generation;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals belong to Python's main thread */
    for (;;) {
        unsigned g;
        int spins = 0;
        while ((g = atomic_load_explicit(&generation, memory_order_acquire)) == seen &&
               !atomic_load(&shutting_down)) {
            if (++spins < AC_SPIN_ITERS) {
                AC_CPU_RELAX();
                continue;
            }
            pthread_mutex_lock(&state_lock);
            while (atomic_load(&generation) == seen && !atomic_load(&shutting_down))
                pthread_cond_wait(&work_cv, &state_lock);
            pthread_mutex_unlock(&state_lock);
        }
        if (atomic_load(&shutting_down)) return NULL;
        seen = g;
        if (id + 1 < job.parts) {
            fenv_t own;
            fegetenv(&own);
            fesetenv(&job.env);
            feclearexcept(FE_ALL_EXCEPT);
            run_part(id + 1);
            atomic_fetch_or(&job.fpflags, fetestexcept(FE_ALL_EXCEPT));
            fesetenv(&own);
        }
        /* Every worker acknowledges every job, part or not, so the caller
         * cannot publish the next job while a worker still reads this one. */
        if (atomic_fetch_sub_explicit(&pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&state_lock);
            pthread_cond_signal(&done_cv);
            pthread_mutex_unlock(&state_lock);
        }
    }
}

static void stop_workers(void)
{
    pthread_mutex_lock(&state_lock);
    atomic_store(&shutting_down, 1);
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&state_lock);
    for (int i = 0; i < nworkers; i++) pthread_join(workers[i], NULL);
    nworkers = 0;
    atomic_store(&shutting_down, 0);
}

static void start_workers(int count)
{
    spawn_generation = atomic_load(&generation);
    for (int i = 0; i < count && i < AC_MAX_THREADS; i++) {
        if (pthread_create(&workers[i], NULL, worker_main, (void *)(intptr_t)i) != 0) break;
        nworkers = i + 1;
    }
}

/* fork handlers: keep the pool consistent across fork() */
static void atfork_prepare(void) { pthread_mutex_lock(&submit_lock); }
static void atfork_parent(void) { pthread_mutex_unlock(&submit_lock); }
static void atfork_child(void)
{
    /* The workers do not exist in the child.  Reset every lock and condvar
     * (a worker may have held state_lock at the moment of fork). */
    nworkers = 0;
    atomic_store(&shutting_down, 0);
    atomic_store(&pending, 0);
    pthread_mutex_init(&state_lock, NULL);
    pthread_cond_init(&work_cv, NULL);
    pthread_cond_init(&done_cv, NULL);
    pthread_mutex_init(&submit_lock, NULL);
}

void ac_parallel_for(ac_len n, ac_len min_part, ac_len align, ac_range_fn fn, void *ctx)
{
    if (n <= 0) return;
    int want = atomic_load(&requested_threads);
    if (min_part < align) min_part = align;
    ac_len max_parts = n / min_part;
    int parts = want < max_parts ? want : (int)(max_parts < 1 ? 1 : max_parts);
    if (parts <= 1 || pthread_mutex_trylock(&submit_lock) != 0) {
        fn(ctx, 0, n); /* small, or the pool is busy with another caller */
        return;
    }
    if (!atfork_registered) {
        pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
        atfork_registered = 1;
    }
    if (nworkers != want - 1) {
        if (nworkers) stop_workers();
        start_workers(want - 1);
    }
    if (parts > nworkers + 1) parts = nworkers + 1;
    if (parts <= 1) {
        pthread_mutex_unlock(&submit_lock);
        fn(ctx, 0, n);
        return;
    }

    job.fn = fn;
    job.ctx = ctx;
    job.n = n;
    job.align = align;
    job.parts = parts;
    fegetenv(&job.env);
    atomic_store(&job.fpflags, 0);
    atomic_store(&pending, nworkers);
    pthread_mutex_lock(&state_lock);
    atomic_fetch_add_explicit(&generation, 1, memory_order_release);
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&state_lock);

    run_part(0);

    int spins = 0;
    while (atomic_load_explicit(&pending, memory_order_acquire) != 0) {
        if (++spins < AC_SPIN_ITERS) {
            AC_CPU_RELAX();
            continue;
        }
        pthread_mutex_lock(&state_lock);
        while (atomic_load(&pending) != 0) pthread_cond_wait(&done_cv, &state_lock);
        pthread_mutex_unlock(&state_lock);
    }
    int flags = atomic_load(&job.fpflags);
    pthread_mutex_unlock(&submit_lock);
    if (flags) feraiseexcept(flags);
}

int ac_get_num_threads(void) { return atomic_load(&requested_threads); }

void ac_set_num_threads(int n)
{
    if (n < 1) n = 1;
    if (n > AC_MAX_THREADS) n = AC_MAX_THREADS;
    atomic_store(&requested_threads, n);
}

int ac_threads_supported(void) { return 1; }

#endif
