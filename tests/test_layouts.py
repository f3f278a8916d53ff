"""Shapes, strides, tails, in-place, out=, broadcasting and dtypes: every
layout gives exactly the contiguous result."""
import numpy as np
import pytest

import actcore
from cases import CASE_IDS, CASES, adversarial, call

# lengths around every vector width and the strided chunk (512)
# the adversarial inputs include values whose true result overflows (selu(max))
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")

LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 511, 512, 513, 1031]


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_every_length_matches_elementwise(case, isa):
    _, act, params = CASES[case]
    base = adversarial(np.float32, 4096, seed=3)[:2000]
    full = call(act, base, params)
    for n in LENGTHS:
        for start in (0, 1, 3):
            y = call(act, base[start:start + n], params)
            np.testing.assert_array_equal(y, full[start:start + n])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_views_match_contiguous(case, dtype, isa):
    _, act, params = CASES[case]
    x = adversarial(dtype, 2048, seed=4)[:3000].reshape(30, 100)
    views = {"strided": x[:, ::3], "negative": x[::-1, ::-2], "transposed": x.T, "0-d": x[3, 4][()],
             "column": x[:, 7], "empty": x[:0], "broadcast": np.broadcast_to(x[0], (4, 100))}
    for name, v in views.items():
        got = call(act, v, params)
        want = call(act, np.ascontiguousarray(v), params)
        assert np.shape(got) == np.shape(v), name
        np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_in_place_and_out(case):
    _, act, params = CASES[case]
    x = adversarial(np.float32, 1024, seed=5)
    want = call(act, x, params)
    y = x.copy()
    assert call(act, y, params, out=y) is y
    np.testing.assert_array_equal(y, want)
    out = np.full(len(x) * 2, 7.0, np.float32)
    call(act, x, params, out=out[::2])
    np.testing.assert_array_equal(out[::2], want)
    assert (out[1::2] == 7.0).all()  # nothing written between the strided elements
    x64 = np.empty(len(x), np.float64)
    call(act, x, params, out=x64)
    np.testing.assert_array_equal(x64, want.astype(np.float64))


def test_float16_is_computed_in_float32():
    x = np.linspace(-8, 8, 1001).astype(np.float16)
    for name in ("gelu", "sigmoid", "tanh", "mish", "softplus"):
        y = getattr(actcore, name)(x)
        assert y.dtype == np.float16
        want = getattr(actcore, name)(x.astype(np.float32)).astype(np.float16)
        np.testing.assert_array_equal(y, want)
    y = actcore.leaky_relu(x[::-3], 0.3)
    np.testing.assert_array_equal(y, actcore.leaky_relu(x[::-3].astype(np.float32), 0.3).astype(np.float16))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16, np.bool_])
def test_integers_and_bools_compute_in_float64(dtype):
    x = np.array([0, 1, 2, 3], dtype=dtype) if dtype != np.bool_ else np.array([True, False])
    y = actcore.gelu(x)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, actcore.gelu(x.astype(np.float64)))


def test_array_likes_and_scalars():
    assert np.isclose(actcore.sigmoid(0.0), 0.5) and actcore.sigmoid(0.0).dtype == np.float64
    np.testing.assert_array_equal(actcore.relu([-1.0, 2.0]), [0.0, 2.0])
    assert actcore.relu(np.float32(-1)).dtype == np.float32


def test_prelu_per_channel_weight_is_broadcasting():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    w = np.array([0.1, 0.2, -0.3], np.float32)
    y = actcore.prelu(x, w[:, None, None])
    want = np.where(x > 0, x, x * w[:, None, None])
    np.testing.assert_array_equal(y, want)
    # weight varying along the innermost axis (the kernel's array-parameter path)
    x2 = rng.standard_normal((7, 1000)).astype(np.float32)
    w2 = rng.uniform(-1, 1, 1000).astype(np.float32)
    np.testing.assert_array_equal(actcore.prelu(x2, w2), np.where(x2 > 0, x2, x2 * w2))
    np.testing.assert_array_equal(actcore.prelu(x2[:, ::-2], w2[::-2]), np.where(x2 > 0, x2, x2 * w2)[:, ::-2])


def test_parameters_may_vary_elementwise_through_the_ufunc():
    x = np.linspace(-3, 3, 999, dtype=np.float32)
    alpha = np.linspace(0.5, 2.0, 999, dtype=np.float32)
    y = actcore.ufuncs.elu(x, alpha)
    for i in range(0, 999, 97):
        assert y[i] == actcore.elu(x[i:i + 1], float(alpha[i]))[0]


def test_large_arrays_split_across_threads_match_serial():
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(1_000_003) * 5).astype(np.float32)
    before = actcore.get_num_threads()
    try:
        actcore.set_num_threads(1)
        serial = {n: getattr(actcore, n)(x) for n in ("gelu", "sigmoid", "mish", "relu")}
        actcore.set_num_threads(4)
        for n, want in serial.items():
            np.testing.assert_array_equal(getattr(actcore, n)(x), want)
            np.testing.assert_array_equal(getattr(actcore, n)(x[::-3]), want[::-3])
    finally:
        actcore.set_num_threads(before)
