/*
 * A small fork-safe thread pool for splitting one large elementwise call
 * across cores.  One call at a time uses the pool; a concurrent caller (other
 * Python threads: the ufunc loops run without the GIL) simply computes its
 * whole range itself, so nothing ever waits on another caller.
 *
 * Floating-point state travels with the work: each helper thread runs under
 * the caller's floating-point environment (rounding, FTZ/DAZ) and the
 * exception flags it raises are raised again in the caller, where NumPy reads
 * them after the loop.
 */
#ifndef AC_THREADPOOL_H
#define AC_THREADPOOL_H

#include "actcore.h"

typedef void (*ac_range_fn)(void *ctx, ac_len begin, ac_len end);

/* Run fn over [0, n) split into at most num_threads parts of at least
 * min_part items each, part boundaries at multiples of `align` (a power of
 * two: 64 elements keeps cache lines whole; 1 for rows). */
void ac_parallel_for(ac_len n, ac_len min_part, ac_len align, ac_range_fn fn, void *ctx);

int ac_get_num_threads(void);
void ac_set_num_threads(int n);     /* n >= 1; applied at the next parallel call */
int ac_threads_supported(void);     /* 0 where the pool is compiled out (serial) */

#endif
