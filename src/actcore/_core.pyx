# cython: language_level=3
"""C extension glue: real NumPy ufuncs over the C kernel table.

Every kernel in src_c/dispatch.c's table (generated from the registry)
becomes a ufunc with three loops, tried by NumPy in this order:

    float16 (parameters float32) -> float16, computed in float32
    float32 -> float32
    float64 -> float64

float16 comes first so float16 input keeps its dtype; other dtypes follow
NumPy's own casting (the public functions in actcore.functional narrow that
down: integers and bools compute in float64, other dtypes are refused).
The inner loops (src_c/loops.c) run without the GIL.
"""
from cpython.mem cimport PyMem_Malloc

cimport numpy as cnp

cnp.import_array()
cnp.import_ufunc()

cdef extern from "actcore.h":
    ctypedef struct ac_kernel_entry:
        const char *name
        int nin
        int npar
        cnp.npy_intp min_part
    int ac_kernel_count()
    ac_kernel_entry *ac_kernel_at(int index)
    int ac_cpu_max_level()
    int ac_built_max_level()
    int ac_active_level()
    int ac_select_isa(int level)
    const char *ac_isa_name(int level)
    const char *ac_cpu_features()
    const char *ac_build_compiler()
    const char *ac_build_flags(int level)

cdef extern from "loops.h":
    void ac_ufunc_loop_f16(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_ufunc_loop_f32(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_ufunc_loop_f64(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_set_parallel_threshold(cnp.npy_intp elements) noexcept nogil
    cnp.npy_intp ac_get_parallel_threshold() noexcept nogil

cdef extern from "numpy/ndarraytypes.h":
    enum:
        NPY_HALF

cdef extern from "softmax_loops.h":
    void ac_softmax_loop_f32(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_softmax_loop_f64(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_softmax_bwd_loop_f32(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil
    void ac_softmax_bwd_loop_f64(char **args, const cnp.npy_intp *dims, const cnp.npy_intp *steps, void *data) noexcept nogil

cdef extern from "numpy/ufuncobject.h":
    object PyUFunc_FromFuncAndDataAndSignature(cnp.PyUFuncGenericFunction *, void **, char *, int, int, int, int,
                                               const char *, const char *, int, const char *)

cdef extern from "threadpool.h":
    int ac_get_num_threads() noexcept nogil
    void ac_set_num_threads(int n) noexcept nogil
    int ac_threads_supported() noexcept nogil

LEVELS = ("baseline", "avx2", "avx512")

# C strings handed to NumPy must outlive the ufuncs (i.e. the process).
_keepalive = []


cdef object make_ufunc(ac_kernel_entry *entry, bytes name, bytes doc):
    cdef int nargs = entry.nin + entry.npar + 1
    cdef cnp.PyUFuncGenericFunction *funcs = <cnp.PyUFuncGenericFunction *>PyMem_Malloc(
        3 * sizeof(cnp.PyUFuncGenericFunction))
    cdef void **data = <void **>PyMem_Malloc(3 * sizeof(void *))
    cdef char *types = <char *>PyMem_Malloc(3 * nargs)
    if funcs == NULL or data == NULL or types == NULL:
        raise MemoryError()
    funcs[0] = <cnp.PyUFuncGenericFunction>ac_ufunc_loop_f16
    funcs[1] = <cnp.PyUFuncGenericFunction>ac_ufunc_loop_f32
    funcs[2] = <cnp.PyUFuncGenericFunction>ac_ufunc_loop_f64
    cdef int loop, k
    for loop in range(3):
        data[loop] = <void *>entry
        for k in range(nargs):
            if loop == 0:  # float16 arrays, float32 parameters
                types[loop * nargs + k] = cnp.NPY_FLOAT if entry.nin <= k < entry.nin + entry.npar else NPY_HALF
            else:
                types[loop * nargs + k] = cnp.NPY_FLOAT if loop == 1 else cnp.NPY_DOUBLE
    _keepalive.append((name, doc))
    return cnp.PyUFunc_FromFuncAndData(funcs, data, types, 3, entry.nin + entry.npar, 1,
                                       cnp.PyUFunc_None, name, doc, 0)


def build_ufuncs(specs):
    """Make ufuncs over the C kernel table.

    `specs` is a list of (ufunc name, kernel name, docstring); several ufuncs
    may share a kernel (prelu and leaky_relu).  A dict {kernel: doc} builds
    one ufunc per kernel under the kernel's own name (developer tools).
    Returns {ufunc name: ufunc}.
    """
    cdef int i
    index = {ac_kernel_at(i).name.decode(): i for i in range(ac_kernel_count())}
    if isinstance(specs, dict):
        specs = [(k, k, specs.get(k, k)) for k in index]
    out = {}
    for uname, kname, doc in specs:
        if kname not in index:
            raise RuntimeError(f"kernel {kname!r} is not in this build of actcore._core; rebuild the extension")
        out[uname] = make_ufunc(ac_kernel_at(index[kname]), uname.encode(), doc.encode())
    return out


def build_softmax_gufuncs(docs):
    """The softmax family's gufuncs along the last axis, float32 and float64:
    softmax, log_softmax: (n),(n),()->(n) logits, mask (bool, True = take
        part), temperature (float64) -> output;
    softmax_backward, log_softmax_backward: (n),(n)->(n) grad_output,
        forward output -> grad_input."""
    out = {}
    cdef cnp.PyUFuncGenericFunction *funcs
    cdef void **data
    cdef char *types
    cdef int log
    for log, name in enumerate(("softmax", "log_softmax")):
        funcs = <cnp.PyUFuncGenericFunction *>PyMem_Malloc(2 * sizeof(cnp.PyUFuncGenericFunction))
        data = <void **>PyMem_Malloc(2 * sizeof(void *))
        types = <char *>PyMem_Malloc(8)
        if funcs == NULL or data == NULL or types == NULL:
            raise MemoryError()
        funcs[0] = <cnp.PyUFuncGenericFunction>ac_softmax_loop_f32
        funcs[1] = <cnp.PyUFuncGenericFunction>ac_softmax_loop_f64
        data[0] = data[1] = <void *><size_t>log
        types[0] = cnp.NPY_FLOAT; types[1] = cnp.NPY_BOOL; types[2] = cnp.NPY_DOUBLE; types[3] = cnp.NPY_FLOAT
        types[4] = cnp.NPY_DOUBLE; types[5] = cnp.NPY_BOOL; types[6] = cnp.NPY_DOUBLE; types[7] = cnp.NPY_DOUBLE
        bname, bdoc = name.encode(), docs.get(name, name).encode()
        _keepalive.append((bname, bdoc))
        out[name] = PyUFunc_FromFuncAndDataAndSignature(funcs, data, types, 2, 3, 1, cnp.PyUFunc_None, bname,
                                                        bdoc, 0, b"(n),(n),()->(n)")
    for log, name in enumerate(("softmax_backward", "log_softmax_backward")):
        funcs = <cnp.PyUFuncGenericFunction *>PyMem_Malloc(2 * sizeof(cnp.PyUFuncGenericFunction))
        data = <void **>PyMem_Malloc(2 * sizeof(void *))
        types = <char *>PyMem_Malloc(6)
        if funcs == NULL or data == NULL or types == NULL:
            raise MemoryError()
        funcs[0] = <cnp.PyUFuncGenericFunction>ac_softmax_bwd_loop_f32
        funcs[1] = <cnp.PyUFuncGenericFunction>ac_softmax_bwd_loop_f64
        data[0] = data[1] = <void *><size_t>log
        types[0] = cnp.NPY_FLOAT; types[1] = cnp.NPY_FLOAT; types[2] = cnp.NPY_FLOAT
        types[3] = cnp.NPY_DOUBLE; types[4] = cnp.NPY_DOUBLE; types[5] = cnp.NPY_DOUBLE
        bname, bdoc = name.encode(), docs.get(name, name).encode()
        _keepalive.append((bname, bdoc))
        out[name] = PyUFunc_FromFuncAndDataAndSignature(funcs, data, types, 2, 2, 1, cnp.PyUFunc_None, bname,
                                                        bdoc, 0, b"(n),(n)->(n)")
    return out


def kernel_signatures():
    """[(name, nin, npar)] as compiled, to check against the registry."""
    cdef int i
    return [(ac_kernel_at(i).name.decode(), ac_kernel_at(i).nin, ac_kernel_at(i).npar, ac_kernel_at(i).min_part)
            for i in range(ac_kernel_count())]


def select_isa(level=None):
    """Use `level` ('baseline', 'avx2', 'avx512'; None = best), capped at what
    the CPU and this build support.  Returns the level in use."""
    cdef int want = -1 if level is None else LEVELS.index(level)
    return LEVELS[ac_select_isa(want)]


def isa_info():
    return {
        "cpu_features": ac_cpu_features().decode(),
        "cpu_max": LEVELS[ac_cpu_max_level()],
        "built_max": LEVELS[ac_built_max_level()],
        "active": ac_isa_name(ac_active_level()).decode(),
        "compiler": ac_build_compiler().decode(),
        "flags": {LEVELS[i]: ac_build_flags(i).decode() for i in range(3)},
    }


def set_num_threads(int n):
    ac_set_num_threads(n)


def get_num_threads():
    return ac_get_num_threads()


def threads_supported():
    return bool(ac_threads_supported())


def set_parallel_threshold(cnp.npy_intp elements):
    """Minimum elements per thread for every kernel (0: each kernel's own)."""
    ac_set_parallel_threshold(elements)


def get_parallel_threshold():
    return ac_get_parallel_threshold()


select_isa(None)
