"""Coverage-guided fuzzing (atheris / libFuzzer) of actcore's entry points.

    python tests/fuzz/fuzz_api.py -max_total_time=60          # a short run
    python tests/fuzz/fuzz_api.py -atheris_runs=2000000       # a long one

Each input picks a function (public function, raw ufunc, softmax gufunc),
a dtype, a shape, a view (strided, reversed, transposed), parameter values,
an `out=` variant, and raw bytes for the data (so NaN/inf/subnormal bit
patterns come up constantly).  Allowed outcomes: a result, or TypeError /
ValueError / AxisError (clear errors).  Anything else, a crash, or a result
that differs from the same call on a contiguous copy is a finding.
"""
import sys

import atheris

import numpy as np

with atheris.instrument_imports(include=["actcore"]):  # coverage feedback from our Python layer
    import actcore
    from actcore import _registry, ufuncs

ALLOWED = (TypeError, ValueError, np.exceptions.AxisError)
DTYPES = [np.float32, np.float64, np.float16, np.int32, np.int8, np.bool_, np.complex64, np.uint64, object, "U3",
          "M8[s]"]
SPECIALS = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-310, 3.4e38, -1.7e308, 1.0, -1.0, 20.0,
                     -20.0, 88.7, -103.9, 709.8, -745.2])
RAW = sorted(n for n in dir(ufuncs) if isinstance(getattr(ufuncs, n), np.ufunc))
ACTS = _registry.ACTIVATIONS


def _array(fdp, dtype):
    ndim = fdp.ConsumeIntInRange(0, 3)
    shape = tuple(fdp.ConsumeIntInRange(0, 7) for _ in range(ndim))
    n = int(np.prod(shape, dtype=np.int64))
    dt = np.dtype(dtype)
    if dt.kind in "fiubc":
        # the fuzzer's bytes first; the rest from a seeded mix of special
        # values, so arrays are not all zeros once the input runs short
        raw = fdp.ConsumeBytes(n * dt.itemsize)
        rng = np.random.default_rng(fdp.ConsumeIntInRange(0, 1 << 30))
        fill = rng.choice(SPECIALS, n) * rng.choice([1.0, rng.standard_normal()], n)
        with np.errstate(all="ignore"):
            a = fill.astype(dt).reshape(shape)
        head = np.frombuffer(raw[:len(raw) - len(raw) % dt.itemsize], dt)
        a.reshape(-1)[:head.size] = head
    else:
        a = np.zeros(shape, dt)
    view = fdp.ConsumeIntInRange(0, 3)
    if a.ndim and view == 1:
        a = a[::-1]
    elif a.ndim and view == 2:
        a = np.repeat(a, 2, axis=0)[::2]
    elif a.ndim > 1 and view == 3:
        a = a.T
    return a


def _param(fdp):
    pick = fdp.ConsumeIntInRange(0, 5)
    if pick == 0:
        return fdp.ConsumeFloat()
    if pick == 1:
        return fdp.ConsumeRegularFloat()
    if pick == 2:
        return fdp.ConsumeIntInRange(-3, 3)
    if pick == 3:
        return None
    if pick == 4:
        return "x"
    return np.float32(fdp.ConsumeProbability())


def _same_as_contiguous(call, x, got):
    if not isinstance(got, np.ndarray) or not isinstance(x, np.ndarray) or x.flags.c_contiguous:
        return
    want = call(np.ascontiguousarray(x))
    if not np.array_equal(np.asarray(got), np.asarray(want), equal_nan=True):
        raise AssertionError("a view gave a different answer from its contiguous copy")


def TestOneInput(data):
    fdp = atheris.FuzzedDataProvider(data)
    dtype = DTYPES[fdp.ConsumeIntInRange(0, len(DTYPES) - 1)]
    x = _array(fdp, dtype)
    mode = fdp.ConsumeIntInRange(0, 3)
    with np.errstate(all="ignore"):
        try:
            if mode == 0:  # public activation with fuzzed parameters
                act = ACTS[fdp.ConsumeIntInRange(0, len(ACTS) - 1)]
                kw = {p.name: _param(fdp) for p in act.params if fdp.ConsumeBool()}
                if act.choice is not None and fdp.ConsumeBool():
                    kw[act.choice.name] = act.choice.choices[fdp.ConsumeIntInRange(0, len(act.choice.choices) - 1)]
                fn = getattr(actcore, act.name)
                out = None
                if fdp.ConsumeBool() and isinstance(x, np.ndarray):
                    out = np.empty(x.shape, DTYPES[fdp.ConsumeIntInRange(0, 3)])
                got = fn(x, **kw, out=out)
                if out is None:
                    _same_as_contiguous(lambda a: fn(a, **kw), x, got)
            elif mode == 1:  # a raw ufunc with fuzzed extra operands
                uf = getattr(ufuncs, RAW[fdp.ConsumeIntInRange(0, len(RAW) - 1)])
                args = [x] + [_array(fdp, DTYPES[fdp.ConsumeIntInRange(0, 2)]) for _ in range(uf.nin - 1)]
                uf(*args)
            elif mode == 2:  # softmax family
                fn = [actcore.softmax, actcore.log_softmax][fdp.ConsumeIntInRange(0, 1)]
                axis = fdp.ConsumeIntInRange(-4, 3)
                kw = {}
                if fdp.ConsumeBool():
                    kw["temperature"] = _param(fdp)
                if fdp.ConsumeBool():
                    kw["where"] = _array(fdp, np.bool_)
                got = fn(x, axis=axis, **kw)
                _same_as_contiguous(lambda a: fn(a, axis=axis, **kw), x, got)
            else:  # backward passes
                g = _array(fdp, DTYPES[fdp.ConsumeIntInRange(0, 2)])
                fn = [actcore.softmax_backward, actcore.log_softmax_backward, actcore.relu_backward,
                      actcore.softplus_backward][fdp.ConsumeIntInRange(0, 3)]
                fn(g, x)
        except ALLOWED:
            pass


def main():
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
