"""Reliability: floating-point state, threads, fork, leaks, overlapping out=,
and property tests of the public API against the reference backend."""
import gc
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
import tracemalloc

import mpmath
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import actcore
from actcore.accuracy import ulp_error
from cases import CASES, call, rounded_params

# a functions mix: cheap, exp-family, parametrised, two-input (prelu)
MIX = ["relu", "sigmoid", "gelu", "silu", "mish", "softplus", "elu", "tanh"]


def _subnormals_survive():
    """FTZ or DAZ set in MXCSR would flush these to zero."""
    tiny32 = np.float32(1e-40)
    tiny64 = np.float64(5e-324)
    a = np.full(64, tiny32) * np.float32(1.0)
    b = np.full(64, tiny64) * 1.0
    return bool((a != 0).all() and (b != 0).all() and (np.full(8, tiny32) + 0 == tiny32).all())


def _rounds_to_nearest():
    one = np.ones(4)
    return bool(((one + 2.0**-53) == 1.0).all() and ((one + 3 * 2.0**-53) > 1.0).all()
                and ((-one - 2.0**-53) == -1.0).all())


def test_import_and_calls_leave_ftz_daz_and_rounding_alone():
    assert _subnormals_survive() and _rounds_to_nearest()
    x = np.linspace(-10, 10, 1 << 20, dtype=np.float32)  # large: helper threads run too
    for name in MIX:
        getattr(actcore, name)(x)
        getattr(actcore, name)(x.astype(np.float64))
    actcore.softmax(x.reshape(1024, -1))
    assert _subnormals_survive() and _rounds_to_nearest()
    # and in a fresh process right after import
    code = ("import numpy as np, actcore; t = np.float32(1e-40); "
            "assert (np.full(64, t) * np.float32(1.0) != 0).all(); "
            "actcore.gelu(np.ones(1 << 20, np.float32)); "
            "assert (np.full(64, t) * np.float32(1.0) != 0).all(); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr


def test_concurrent_python_threads_match_serial():
    rng = np.random.default_rng(5)
    inputs = {n: (rng.standard_normal(3000 + 97 * i) * 4).astype(np.float32) for i, n in enumerate(MIX)}
    serial = {n: getattr(actcore, n)(inputs[n]) for n in MIX}
    errors = []

    def worker(k):
        name = MIX[k % len(MIX)]
        fn, x, want = getattr(actcore, name), inputs[name], serial[name]
        out = np.empty_like(x)
        for _ in range(400):
            fn(x, out=out)
            if not np.array_equal(out, want, equal_nan=True):
                errors.append(name)
                return

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    assert errors == []


def test_set_num_threads_while_other_threads_compute():
    x = np.linspace(-8, 8, 1 << 19, dtype=np.float32)  # above the parallel threshold
    want = actcore.silu(x)
    before = actcore.get_num_threads()
    stop = threading.Event()
    bad = []

    def compute():
        out = np.empty_like(x)
        while not stop.is_set():
            actcore.silu(x, out=out)
            if not np.array_equal(out, want):
                bad.append(1)
                return

    workers = [threading.Thread(target=compute) for _ in range(3)]
    for w in workers:
        w.start()
    try:
        for i in range(400):
            actcore.set_num_threads(1 + i % 4)
            time.sleep(0.0005)  # let the workers run calls between the changes
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=60)
        actcore.set_num_threads(before)
    assert not any(w.is_alive() for w in workers), "deadlock"
    assert bad == []


def _child_sums(n):
    x = np.linspace(-6, 6, n, dtype=np.float32)
    return float(actcore.gelu(x).astype(np.float64).sum())


@pytest.mark.parametrize("method", [m for m in ("fork", "spawn", "forkserver") if m in mp.get_all_start_methods()])
def test_child_processes_compute_after_the_pool_ran(method):
    n = 1 << 20
    want = _child_sums(n)  # the pool's threads exist in the parent now
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        got = pool.map_async(_child_sums, [n, n]).get(timeout=120)
    assert got == [want, want]


def test_no_leaks_over_many_calls_including_errors():
    x = np.linspace(-3, 3, 64, dtype=np.float32)
    out = np.empty_like(x)

    def burst(k):
        for i in range(k):
            actcore.gelu(x, out=out)
            actcore.leaky_relu(x, negative_slope=0.2)
            if i % 10 == 0:
                with pytest.raises(ValueError):
                    actcore.celu(x, alpha=0.0)
                with pytest.raises(TypeError):
                    actcore.sigmoid(x.astype(complex))

    burst(2000)  # warm caches
    gc.collect()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    rss0 = _rss_bytes()
    burst(50_000)
    gc.collect()
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(snap0, "filename"))
    tracemalloc.stop()
    rss1 = _rss_bytes()
    assert grown < 256 * 1024, f"Python allocations grew by {grown} bytes"
    # under AddressSanitizer freed memory sits in its quarantine (up to 256 MB): RSS says nothing there
    if rss0 and rss1 and not os.environ.get("ACTCORE_UNDER_SANITIZER"):
        assert rss1 - rss0 < 16 << 20, f"RSS grew by {(rss1 - rss0) >> 20} MiB"


def _rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


@pytest.mark.parametrize("shift", [1, -1, 7, -13])
def test_out_partially_overlapping_the_input(shift):
    base = np.linspace(-5, 5, 4096, dtype=np.float32)
    want = actcore.gelu(base[100:3000].copy())
    buf = base.copy()
    got = actcore.gelu(buf[100:3000], out=buf[100 + shift:3000 + shift])
    np.testing.assert_array_equal(got, want)


def test_read_only_out_raises_and_is_untouched():
    x = np.ones(10, np.float32)
    o = np.zeros(10, np.float32)
    o.flags.writeable = False
    with pytest.raises(ValueError):
        actcore.sigmoid(x, out=o)
    assert (o == 0).all()


def test_none_and_array_likes():
    with pytest.raises(TypeError):
        actcore.gelu(None)
    np.testing.assert_array_equal(actcore.relu([-1, 2]), np.array([0.0, 2.0]))
    assert actcore.relu(-3) == 0.0 and np.ndim(actcore.relu(-3)) == 0
    assert actcore.sigmoid(np.float16(0.5)).dtype == np.float16


# ---------------------------------------------------------------------------
# property tests: any shape / strides / dtype / out= against the reference
# ---------------------------------------------------------------------------
_CASE_INDEX = st.integers(0, len(CASES) - 1)
_DTYPES = st.sampled_from([np.float32, np.float64, np.float16, np.int32, np.bool_])


@st.composite
def _layouts(draw):
    dtype = draw(_DTYPES)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=9))
    if dtype in (np.int32, np.bool_):
        x = draw(hnp.arrays(dtype, shape))
    else:
        x = draw(hnp.arrays(dtype, shape, elements=st.floats(-60, 60, width=np.finfo(dtype).bits)))
    if x.ndim and draw(st.booleans()):  # a reversed or strided view
        step = draw(st.sampled_from([-1, 2, -2]))
        x = x[::step]
    return x


@given(case=_CASE_INDEX, x=_layouts(), use_out=st.booleans())
def test_public_api_matches_reference_on_any_layout(case, x, use_out):
    label, act, params = CASES[case]
    want_dtype = np.result_type(x.dtype, np.float64) if x.dtype.kind in "biu" else x.dtype
    with np.errstate(all="ignore"):
        if use_out:
            out = np.full(x.shape, np.nan, want_dtype)
            got = call(act, x, params, out=out)
            assert got is out
        else:
            got = call(act, x, params)
        compute = np.float32 if want_dtype in (np.float16, np.float32) else np.float64
        p = rounded_params(params, compute)
        if compute == np.float64:  # the float64 reference is itself a few ulp off (rounded beta*x)
            ref = np.array([float(act.exact(mpmath.mpf(float(v)), **p)) for v in x.ravel()]).reshape(x.shape)
        else:
            ref = act.reference(x.astype(np.float64), **p)
    assert got.dtype == want_dtype and got.shape == x.shape
    if x.size:
        budget = act.ulp["float32"] if want_dtype == np.float32 else act.ulp["float64"]
        if want_dtype == np.float16:  # float32 result rounded once more to half
            err = ulp_error(got, ref, np.float16)
            assert err.max() <= 1.0, label
        else:
            err = ulp_error(got, ref, want_dtype)
            assert err.max() <= budget, f"{label}: {err.max()} ulp"


@pytest.mark.slow
def test_more_than_2_to_the_31_elements():
    """64-bit element counts end to end (in place: 8.6 GB of float32)."""
    n = (1 << 31) + 4099
    x = np.empty(n, np.float32)
    x[:] = -1.0
    x[1::2] = 2.0
    actcore.relu(x, out=x)
    assert x[-1] == (2.0 if (n - 1) % 2 else 0.0) and x[-2] == (2.0 if (n - 2) % 2 else 0.0)
    assert x[(1 << 31) + 1] == 2.0 and x[1 << 31] == 0.0
    assert int(np.count_nonzero(x)) == n // 2
