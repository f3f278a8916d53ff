/* gufunc loops for softmax / log_softmax (see softmax_loops.c); `data` is
 * (void *)0 for softmax and (void *)1 for log_softmax. */
#ifndef AC_SOFTMAX_LOOPS_H
#define AC_SOFTMAX_LOOPS_H

#include "actcore.h"

void ac_softmax_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data);
void ac_softmax_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data);
/* (n),(n)->(n) backward: grad_output, forward output -> grad_input */
void ac_softmax_bwd_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data);
void ac_softmax_bwd_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data);

#endif
