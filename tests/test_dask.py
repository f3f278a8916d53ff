"""actcore on dask arrays: lazy results equal to the NumPy path (elementwise,
parameters, softmax along chunked axes, backward passes), and the same on a
multi-process dask.distributed cluster."""
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
pytest.importorskip("distributed")
from dask.callbacks import Callback  # noqa: E402
from numpy.exceptions import AxisError  # noqa: E402

import actcore  # noqa: E402
from actcore.accuracy import ulp_error  # noqa: E402

DTYPES = [np.float32, np.float64]
SOFTMAX = [actcore.softmax, actcore.log_softmax]
BACKWARD = [actcore.softmax_backward, actcore.log_softmax_backward]


class _Computes(Callback):
    """Counts the graphs the local schedulers run."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def _start(self, dsk):
        self.count += 1


def compute(a):
    return a.compute(scheduler="synchronous")


def lazy_call(fn, *args, **kwargs):
    """fn(*args, **kwargs), checked to have computed nothing and to return
    dask arrays that carry a graph."""
    with _Computes() as seen:
        result = fn(*args, **kwargs)
    assert seen.count == 0, f"{fn.__name__} computed at call time"
    for r in result if isinstance(result, tuple) else (result,):
        assert isinstance(r, da.Array) and len(r.__dask_graph__()) > 0
    return result


def assert_close_ulp(got, want, dtype, ulps):
    assert got.dtype == want.dtype and got.shape == want.shape
    err = ulp_error(got, want.astype(np.float64), dtype)
    assert err.max(initial=0) <= ulps, f"{err.max():.1f} ulp"


def logits(shape, dtype, seed=0, scale=8.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


def test_import_actcore_does_not_import_dask():
    code = "import sys, actcore; assert not [m for m in sys.modules if m.split('.')[0] == 'dask'], 'dask imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(__file__)))


# ---------------------------------------------------------------------------
# elementwise
# ---------------------------------------------------------------------------
ELEMENTWISE = {
    "gelu": lambda x, g, w: actcore.gelu(x),
    "gelu_tanh": lambda x, g, w: actcore.gelu(x, approximate="tanh"),
    "leaky_relu": lambda x, g, w: actcore.leaky_relu(x, negative_slope=0.2),
    "prelu": lambda x, g, w: actcore.prelu(x, w),
    "gelu_derivative": lambda x, g, w: actcore.gelu_derivative(x, approximate="tanh"),
    "leaky_relu_derivative": lambda x, g, w: actcore.leaky_relu_derivative(x, negative_slope=0.3),
    "gelu_backward": lambda x, g, w: actcore.gelu_backward(g, x),
    "silu_backward": lambda x, g, w: actcore.silu_backward(g, x, beta=1.5),
    "sigmoid_backward_output": lambda x, g, w: actcore.sigmoid_backward(g, output=actcore.sigmoid(x)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_lazy_and_equal(name, dtype):
    xn = logits((4, 3, 5, 6), dtype, scale=3)
    gn = logits((4, 3, 5, 6), dtype, seed=1)
    wn = np.array([0.1, 0.25, 0.5], dtype)[:, None, None]
    x, g = da.from_array(xn, chunks=(3, 2, 5, 4)), da.from_array(gn, chunks=(2, 3, 2, 6))
    y = lazy_call(ELEMENTWISE[name], x, g, wn)
    np.testing.assert_array_equal(compute(y), ELEMENTWISE[name](xn, gn, wn))


@pytest.mark.parametrize("weight", [np.array([0.1, 0.25, 0.5])[:, None, None], np.array([0.2]), np.float64(0.3)],
                         ids=["per-channel", "one", "scalar"])
def test_prelu_weight_broadcasts_as_numpy(weight):
    xn = logits((2, 3, 4, 5), np.float32)
    x = da.from_array(xn, chunks=(1, 2, 4, 3))
    np.testing.assert_array_equal(compute(lazy_call(actcore.prelu, x, weight)), actcore.prelu(xn, weight))
    # the weight as a dask array, chunked differently from x
    w = da.from_array(np.asarray(weight), chunks=1)
    np.testing.assert_array_equal(compute(lazy_call(actcore.prelu, x, w)), actcore.prelu(xn, weight))
    np.testing.assert_array_equal(compute(lazy_call(actcore.prelu, xn, w)), actcore.prelu(xn, weight))


def test_dask_weight_is_checked():
    x = da.ones((4, 3), chunks=2)
    with pytest.raises(ValueError, match="weight"):
        actcore.prelu(x, da.from_array(np.array([1j, 2j, 3j])))
    y = actcore.prelu(x, da.from_array(np.array([0.1, np.inf, 0.2]), chunks=1))  # values: known when computed
    with pytest.raises(ValueError, match="weight must be finite"):
        compute(y)


def test_integer_input_computes_in_float64():
    xn = np.arange(-6, 6).reshape(3, 4)
    y = compute(lazy_call(actcore.leaky_relu, da.from_array(xn, chunks=2), negative_slope=0.5))
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, actcore.leaky_relu(xn, negative_slope=0.5))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("wshape", [(3, 1, 1), (1,), (6,), (1, 1, 6)])
def test_prelu_backward_reduces_weight_lazily(dtype, wshape):
    xn = logits((4, 3, 5, 6), dtype, scale=2)
    gn = logits((4, 3, 5, 6), dtype, seed=3)
    wn = np.linspace(0.05, 0.5, int(np.prod(wshape))).reshape(wshape).astype(dtype)
    gx, gw = lazy_call(actcore.prelu_backward, da.from_array(gn, chunks=(3, 2, 5, 4)),
                       da.from_array(xn, chunks=(2, 3, 2, 6)), wn)
    want_gx, want_gw = actcore.prelu_backward(gn, xn, wn)
    np.testing.assert_array_equal(compute(gx), want_gx)
    got_gw = compute(gw)
    assert got_gw.shape == wshape and got_gw.dtype == want_gw.dtype
    # sums of signed terms in another order: within a few float64 ulp of the terms' magnitude
    scale = np.abs(gn.astype(np.float64) * np.minimum(xn, 0)).sum()
    np.testing.assert_allclose(got_gw, want_gw, rtol=2 * np.finfo(dtype).eps, atol=2.0**-50 * scale)


def test_other_backend_runs_per_block():
    xn = logits((6, 8), np.float64, scale=3)
    x = da.from_array(xn, chunks=(4, 3))
    got = compute(lazy_call(actcore.gelu, x, approximate="tanh", backend="reference"))
    np.testing.assert_array_equal(got, actcore.gelu(xn, approximate="tanh", backend="reference"))
    wn = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    gx, gw = lazy_call(actcore.prelu_backward, x, x, wn, backend="reference")
    want_gx, want_gw = actcore.prelu_backward(xn, xn, wn, backend="reference")
    np.testing.assert_array_equal(compute(gx), want_gx)
    np.testing.assert_allclose(compute(gw), want_gw, rtol=1e-15)


def test_elementwise_out_follows_dask():
    x = da.from_array(logits((4, 6), np.float32), chunks=2)
    out = da.zeros((4, 6), np.float32, chunks=3)
    assert actcore.gelu(x, out=out) is out  # rebound to the result, as dask's ufuncs do
    np.testing.assert_array_equal(compute(out), actcore.gelu(compute(x)))


# ---------------------------------------------------------------------------
# softmax family
# ---------------------------------------------------------------------------
def _chunks(shape, axis, split):
    """Chunks that split every axis, the softmax axis into several chunks
    (split) or one."""
    return tuple(n if (i == axis % len(shape) and not split) else max(1, n // 3) + 1 for i, n in enumerate(shape))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", SOFTMAX)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("split", [False, True], ids=["axis-in-one-chunk", "axis-over-chunks"])
def test_softmax_matches_numpy(fn, dtype, axis, split):
    xn = logits((9, 7, 40), dtype)
    x = da.from_array(xn, chunks=_chunks(xn.shape, axis, split))
    for t in (1.0, 0.6, 3.0):
        got = compute(lazy_call(fn, x, axis=axis, temperature=t))
        want = fn(xn, axis=axis, temperature=t)
        if split:
            assert_close_ulp(got, want, dtype, 4)  # float64 steps vs the C kernel: each a few ulp from exact
        else:
            np.testing.assert_array_equal(got, want)  # the C kernel on each block


@pytest.mark.parametrize("fn", SOFTMAX)
def test_split_float64_within_4_ulp_of_extended_reference(fn):
    if np.finfo(np.longdouble).nmant < 60:
        pytest.skip("needs an extended long double reference")
    xn = logits((20, 301), np.float64, scale=40)  # deep tails: exp's argument down to ~-300
    xl = xn.astype(np.longdouble) / np.longdouble(0.7)
    q = xl - xl.max(-1, keepdims=True)
    rest = ((q == 0).sum(-1, keepdims=True) - 1) + np.where(q == 0, 0, np.exp(q)).sum(-1, keepdims=True)
    want = q - np.log1p(rest) if fn is actcore.log_softmax else np.exp(q) / (1 + rest)
    got = compute(fn(da.from_array(xn, chunks=(7, 50)), temperature=0.7))
    assert ulp_error(got, want.astype(np.float64), np.float64).max() <= 4


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", SOFTMAX)
@pytest.mark.parametrize("split", [False, True], ids=["axis-in-one-chunk", "axis-over-chunks"])
def test_special_rows(fn, dtype, split):
    inf, nan = np.inf, np.nan
    xn = np.array([[1e30, -1e30, 0.0, 0.0, -5.0, 1.0],
                   [-inf, -inf, -inf, -inf, -inf, -inf],
                   [inf, 1.0, -2.0, inf, -inf, 3.0],
                   [1.0, 2.0, 3.0, 4.0, 5.0, nan],
                   [-1e30, -1e30, -1e30, -1e30, -1e30, -1e30],
                   [3.0, -inf, 2.0, -inf, 2.0, 3.0],
                   [nan, inf, -inf, 1.0, 2.0, 3.0]], dtype=dtype)
    for axis, a in ((-1, xn), (0, np.ascontiguousarray(xn.T))):
        x = da.from_array(a, chunks=(2, 2) if split else (2, 6) if axis == -1 else (6, 2))
        got, want = compute(fn(x, axis=axis)), fn(a, axis=axis)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        assert_close_ulp(got, want, dtype, 2)


@pytest.mark.parametrize("fn", SOFTMAX)
def test_split_rows_at_the_edges_of_the_range(fn):
    big = np.finfo(np.float64).max
    xn = np.array([[big, -big, 0.0, 1.0, -big, big], [1e-300, -1e-300, 0.0, 5e-324, -0.0, 2e-300]])
    # (x - max)/T overflows to -inf; differences of tiny numbers; T far from 1.  The
    # reference: float64 formulas (they overflow in x - max at T = 1e300, the C kernel does not)
    for t, backend in ((0.3, "reference"), (1.0, "reference"), (1e-300, "reference"), (1e300, "c")):
        got = compute(fn(da.from_array(xn, chunks=(1, 2)), temperature=t))
        with np.errstate(all="ignore"):
            assert_close_ulp(got, fn(xn, temperature=t, backend=backend), np.float64, 4)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", SOFTMAX)
@pytest.mark.parametrize("split", [False, True], ids=["axis-in-one-chunk", "axis-over-chunks"])
def test_masks(fn, dtype, split):
    xn = logits((8, 30), dtype)
    mask = np.random.default_rng(5).random((8, 30)) > 0.4
    mask[2] = False  # a fully masked row: zeros / -inf
    mask[5] = True
    for axis in (-1, 0):
        x = da.from_array(xn, chunks=_chunks(xn.shape, axis, split))
        for where in (mask, da.from_array(mask, chunks=(3, 7)), mask[:1], mask[0]):
            got = compute(lazy_call(fn, x, axis=axis, temperature=0.8, where=where))
            want = fn(xn, axis=axis, temperature=0.8, where=np.asarray(where))
            assert_close_ulp(got, want, dtype, 0 if not split else 4)
    got = compute(fn(da.from_array(xn, chunks=7), where=mask))
    assert (got[2] == (-np.inf if fn is actcore.log_softmax else 0)).all()


def test_numpy_logits_with_a_dask_mask():
    xn = logits((6, 20), np.float32)
    mask = np.arange(20) % 3 != 0
    got = lazy_call(actcore.softmax, xn, where=da.from_array(mask, chunks=5))
    np.testing.assert_array_equal(compute(got), actcore.softmax(xn, where=mask))


def test_float16_and_integers_keep_the_numpy_dtypes():
    x16 = logits((4, 12), np.float16, scale=2)
    got = compute(actcore.softmax(da.from_array(x16, chunks=(2, 5))))
    assert got.dtype == np.float16
    np.testing.assert_allclose(got.astype(np.float32), actcore.softmax(x16).astype(np.float32), rtol=2e-3)
    xi = np.arange(24).reshape(4, 6) % 5
    got = compute(actcore.log_softmax(da.from_array(xi, chunks=(2, 4))))
    assert got.dtype == np.float64
    assert_close_ulp(got, actcore.log_softmax(xi), np.float64, 4)


def test_zero_dimensional():
    assert compute(actcore.softmax(da.from_array(np.float32(2.5)))) == 1
    assert compute(actcore.log_softmax(da.from_array(np.float64(-1.0)), axis=0)) == 0


@pytest.mark.parametrize("fn", SOFTMAX)
def test_bad_arguments(fn):
    x = da.from_array(logits((4, 6), np.float32), chunks=2)
    for t in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="temperature"):
            fn(x, temperature=t)
    with pytest.raises(AxisError):
        fn(x, axis=2)
    with pytest.raises(AxisError):
        fn(x, axis="last")
    with pytest.raises(ValueError, match="where"):
        fn(x, where=np.ones((3, 6), bool))
    with pytest.raises(ValueError, match="where"):
        fn(x, where=da.ones((4, 6), chunks=2))  # not boolean
    with pytest.raises(TypeError, match="dtype"):
        fn(da.from_array(np.ones((2, 2), np.complex64)))
    with pytest.raises(TypeError, match="out"):
        fn(x, out=np.empty((4, 6), np.float32))
    with pytest.raises(ValueError, match="out"):
        fn(x, out=da.empty((4, 5), np.float32))


@pytest.mark.parametrize("fn", SOFTMAX)
def test_out_is_rebound_to_the_result(fn):
    xn = logits((4, 6), np.float32)
    out = da.zeros((4, 6), np.float64, chunks=3)  # float64 takes a float32 result (same kind)
    assert fn(da.from_array(xn, chunks=2), out=out) is out
    assert_close_ulp(compute(out), fn(xn).astype(np.float64), np.float32, 4)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", BACKWARD)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("split", [False, True], ids=["axis-in-one-chunk", "axis-over-chunks"])
def test_backward_matches_numpy(fn, dtype, axis, split):
    xn = logits((6, 5, 24), dtype, scale=2)
    gn = logits((6, 5, 24), dtype, seed=9, scale=1)
    forward = actcore.log_softmax if fn is actcore.log_softmax_backward else actcore.softmax
    yn = forward(xn, axis=axis)
    chunks = _chunks(xn.shape, axis, split)
    g = da.from_array(gn, chunks=chunks)
    y = da.from_array(yn, chunks=tuple(c + 1 for c in chunks))  # unaligned with g: refined to common chunks
    got = compute(lazy_call(fn, g, y, axis=axis))
    want = fn(gn, yn, axis=axis)
    assert got.dtype == want.dtype
    if split:  # the row sum added up in another order: both round once from double
        scale = np.abs(gn).max() * max(1.0, float(np.abs(np.exp(yn) if fn is BACKWARD[1] else yn).max()))
        np.testing.assert_allclose(got, want, rtol=4 * np.finfo(dtype).eps, atol=4 * np.finfo(dtype).eps * scale)
    else:
        np.testing.assert_array_equal(got, want)


def test_backward_bad_arguments():
    g = da.ones((4, 6), chunks=2)
    with pytest.raises(ValueError, match="shape"):
        actcore.softmax_backward(g, da.ones((4, 5), chunks=2))
    with pytest.raises(AxisError):
        actcore.log_softmax_backward(g, g, axis=-3)
    with pytest.raises(TypeError, match="out"):
        actcore.softmax_backward(g, g, out=np.empty((4, 6)))


# ---------------------------------------------------------------------------
# a real cluster: worker processes, so the ufuncs travel by pickle
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_ufuncs_pickle_to_worker_processes(client):
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()
    for name in ("gelu", "gelu_tanh_backward", "prelu", "softmax", "log_softmax_backward", "swish"):
        uf = getattr(actcore.ufuncs, name)
        # unpickled in a worker (importing actcore there), sent back pickled by the worker
        assert client.submit(pickle.loads, pickle.dumps(uf), pure=False).result() is uf


def test_cluster_results_equal_numpy(client):
    xn = logits((64, 96), np.float32, scale=4)
    gn = logits((64, 96), np.float32, seed=1)
    mask = np.random.default_rng(2).random((64, 96)) > 0.3
    mask[7] = False
    wn = np.linspace(0.05, 0.5, 96).astype(np.float32)
    x, g = da.from_array(xn, chunks=(16, 24)), da.from_array(gn, chunks=(16, 24))
    h = actcore.gelu(x)
    sm = actcore.softmax(h, axis=-1, temperature=0.9, where=mask)  # the axis over four chunks
    lsm = actcore.log_softmax(x, axis=0)
    results = client.gather(client.compute([
        h, actcore.prelu(x, wn), sm, lsm, actcore.softmax_backward(g, sm), *actcore.prelu_backward(g, x, wn)]))
    hn = actcore.gelu(xn)
    smn = actcore.softmax(hn, axis=-1, temperature=0.9, where=mask)
    np.testing.assert_array_equal(results[0], hn)
    np.testing.assert_array_equal(results[1], actcore.prelu(xn, wn))
    assert_close_ulp(results[2], smn, np.float32, 4)
    assert_close_ulp(results[3], actcore.log_softmax(xn, axis=0), np.float32, 4)
    np.testing.assert_allclose(results[4], actcore.softmax_backward(gn, smn), rtol=1e-6, atol=1e-7)
    gx, gw = actcore.prelu_backward(gn, xn, wn)
    np.testing.assert_array_equal(results[5], gx)
    np.testing.assert_allclose(results[6], gw, rtol=4e-7)
