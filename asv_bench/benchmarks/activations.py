"""asv benchmarks, parametrized from actcore's registry (new functions are
picked up without edits here).

time_*     seconds per call (float32 and float64; 4K, 1M and 16M elements)
peakmem_*  peak memory of a call (catches a temporary in the hot path)
track_*    max ulp error of each float32 function on a fixed 1,000,003-point
           sample, so an accuracy regression shows on the graph like a slowdown

The SIMD level comes from ACTCORE_ISA, set by asv.conf.json's env_nobuild
matrix; backends: "c" always, "numba" when that backend is installed.
"""
import numpy as np

import actcore
from actcore import _dispatch, _registry
from actcore.accuracy import dense_sample, ulp_error

SIZES = [4096, 1 << 20, 1 << 24]
DTYPES = ["float32", "float64"]
BACKENDS = [b for b in ("c", "numba") if b in _dispatch.available_backends()]


def _variants():
    out = []
    for act in _registry.ACTIVATIONS:
        if act.choice is not None:
            out += [(act, {act.choice.name: c}, f"{act.name}[{c}]") for c in act.choice.choices]
        else:
            out.append((act, {}, act.name))
    return out


VARIANTS = {label: (act, params) for act, params, label in _variants()}


def _params(act, extra, dtype):
    p = {**act.defaults(), **extra}
    for prm in act.params:
        if prm.kind == "array":
            p[prm.name] = np.asarray(0.25, dtype)
    return p


class Forward:
    params = [list(VARIANTS), DTYPES, SIZES, BACKENDS]
    param_names = ["function", "dtype", "size", "backend"]
    timeout = 120

    def setup(self, function, dtype, size, backend):
        act, extra = VARIANTS[function]
        self.fn = getattr(actcore, act.name)
        self.kw = _params(act, extra, dtype)
        rng = np.random.default_rng(0)
        self.x = (rng.standard_normal(size) * 3).astype(dtype)
        self.out = np.empty_like(self.x)
        self.backend = backend

    def time_forward(self, function, dtype, size, backend):
        self.fn(self.x, **self.kw, out=self.out, backend=self.backend)

    def peakmem_forward(self, function, dtype, size, backend):
        self.fn(self.x, **self.kw, out=self.out, backend=self.backend)


DERIVED = [label for label, (act, _) in VARIANTS.items() if act.c_derivatives]


class Backward:
    """f'(x) and the fused grad * f'(x), for every function whose kernel
    file exports derivatives (registry `c_derivatives`)."""
    params = [DERIVED, DTYPES, SIZES]
    param_names = ["function", "dtype", "size"]
    timeout = 120

    def setup(self, function, dtype, size):
        act, extra = VARIANTS[function]
        self.derivative = getattr(actcore, act.name + "_derivative")
        self.backward = getattr(actcore, act.name + "_backward")
        self.kw = _params(act, extra, dtype)
        rng = np.random.default_rng(0)
        self.x = (rng.standard_normal(size) * 3).astype(dtype)
        self.g = rng.standard_normal(size).astype(dtype)
        self.out = np.empty_like(self.x)
        self.is_prelu = act.name == "prelu"

    def time_derivative(self, function, dtype, size):
        self.derivative(self.x, **self.kw, out=self.out)

    def time_backward(self, function, dtype, size):
        if self.is_prelu:  # also reduces the weight's gradient
            self.backward(self.g, self.x, **self.kw)
        else:
            self.backward(self.g, self.x, **self.kw, out=self.out)


class Softmax:
    params = [["softmax", "log_softmax"], DTYPES, ["1024x1024", "16x1048576", "65536x64"]]
    param_names = ["function", "dtype", "shape"]
    timeout = 120

    def setup(self, function, dtype, shape):
        rows, n = (int(v) for v in shape.split("x"))
        rng = np.random.default_rng(0)
        self.x = (rng.standard_normal((rows, n)) * 3).astype(dtype)
        self.g = rng.standard_normal((rows, n)).astype(dtype)
        self.out = np.empty_like(self.x)
        self.fn = getattr(actcore, function)
        self.bwd = getattr(actcore, function + "_backward")
        self.y = self.fn(self.x)

    def time_forward(self, function, dtype, shape):
        self.fn(self.x, out=self.out)

    def time_backward(self, function, dtype, shape):
        self.bwd(self.g, self.y, out=self.out)

    def peakmem_forward(self, function, dtype, shape):
        self.fn(self.x, out=self.out)


class Accuracy:
    """Max ulp error (float32, the registry's default parameters) on a fixed
    sample of 1,000,003 points over the whole range."""
    params = [list(VARIANTS)]
    param_names = ["function"]
    unit = "ulp"
    timeout = 300

    def setup_cache(self):
        # dense_sample returns about 2.5 n points; n = 401,000 leaves > 1,000,003
        return dense_sample(np.float32, 401_000, seed=12345)[:1_000_003]

    def track_max_ulp_float32(self, x, function):
        act, extra = VARIANTS[function]
        kw = _params(act, extra, np.float32)
        with np.errstate(all="ignore"):
            y = getattr(actcore, act.name)(x, **kw)
            ref_kw = {k: (v if isinstance(v, str) else float(np.float32(v))) for k, v in kw.items()}
            ref = act.reference(x.astype(np.float64), **ref_kw)
        return float(ulp_error(y, ref, np.float32).max())
