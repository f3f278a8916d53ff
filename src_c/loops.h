/* NumPy ufunc inner loops over the kernel table (see loops.c). */
#ifndef AC_LOOPS_H
#define AC_LOOPS_H

#include "actcore.h"

/* Signatures match PyUFuncGenericFunction (npy_intp is ac_len's width);
 * `data` is the ac_kernel_entry of the ufunc. */
void ac_ufunc_loop_f16(char **args, const ac_len *dims, const ac_len *steps, void *data);
void ac_ufunc_loop_f32(char **args, const ac_len *dims, const ac_len *steps, void *data);
void ac_ufunc_loop_f64(char **args, const ac_len *dims, const ac_len *steps, void *data);

/* Override every kernel's minimum elements per thread (0: back to each
 * kernel's own, from the registry). */
void ac_set_parallel_threshold(ac_len elements);
ac_len ac_get_parallel_threshold(void);

#endif
