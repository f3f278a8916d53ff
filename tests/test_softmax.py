"""softmax / log_softmax: accuracy, special rows, masks, temperature, axes,
errors, and properties (hypothesis)."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.exceptions import AxisError

import actcore
from actcore.accuracy import ulp_error
from actcore.backends import reference

FUNCS = [(actcore.softmax, False), (actcore.log_softmax, True)]
IDS = ["softmax", "log_softmax"]


def ref(x, axis=-1, t=1.0, where=None, log=False):
    return reference.softmax(np.asarray(x, np.float64), axis % np.ndim(x), t, where, log)


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (5, 16), (4, 17), (2, 1000), (1024, 33), (7, 3, 64)])
def test_float32_within_4_ulp(fn, log, shape, isa):
    rng = np.random.default_rng(sum(shape))
    x = (rng.standard_normal(shape) * 8).astype(np.float32)
    y = fn(x)
    err = ulp_error(y, ref(x, log=log), np.float32)
    assert err.max() <= 4, f"{err.max():.2f} ulp"


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_long_rows_stay_accurate(fn, log, isa):
    # the sum over 100,000 entries accumulates in double: each element within 4 ulp
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, 100_000)) * 3).astype(np.float32)
    err = ulp_error(fn(x), ref(x, log=log), np.float32)
    assert err.max() <= 4


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 60, reason="needs an extended long double reference")
@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_float64_within_4_ulp(fn, log, isa):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((50, 301)) * 10
    xl = x.astype(np.longdouble)  # 64-bit mantissa: x - max and exp keep ~11 bits beyond double
    q = xl - xl.max(-1, keepdims=True)
    rest = ((q == 0).sum(-1, keepdims=True) - 1) + np.where(q == 0, 0, np.exp(q)).sum(-1, keepdims=True)
    want = q - np.log1p(rest) if log else np.exp(q) / (1 + rest)  # log1p: log(1 + tiny) would round
    err = ulp_error(fn(x), want.astype(np.float64), np.float64)
    assert err.max() <= 4


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_special_rows(dtype, isa):
    inf, nan = np.inf, np.nan
    x = np.array([[1e30, -1e30, 0.0, 0.0],
                  [-inf, -inf, -inf, -inf],
                  [inf, 1.0, inf, -inf],
                  [nan, 1.0, 2.0, 3.0],
                  [-1e30, -1e30, -1e30, -1e30],
                  [3.0, -inf, 2.0, -inf]], dtype=dtype)
    s = actcore.softmax(x)
    ls = actcore.log_softmax(x)
    np.testing.assert_array_equal(s[0], [1, 0, 0, 0])
    np.testing.assert_array_equal(ls[0], np.array([0, -2e30, -1e30, -1e30], dtype))
    np.testing.assert_array_equal(s[1], [0, 0, 0, 0])
    np.testing.assert_array_equal(ls[1], [-inf] * 4)
    np.testing.assert_array_equal(s[2], [0.5, 0, 0.5, 0])
    np.testing.assert_allclose(ls[2], [-math.log(2), -inf, -math.log(2), -inf])
    assert np.isnan(s[3]).all() and np.isnan(ls[3]).all()
    np.testing.assert_array_equal(s[4], [0.25] * 4)
    np.testing.assert_allclose(s[5], [1 / (1 + math.exp(-1)), 0, math.exp(-1) / (1 + math.exp(-1)), 0], rtol=1e-6)
    assert ls[5][1] == -inf and ls[5][3] == -inf


def test_no_floating_point_warnings_on_well_defined_rows(isa):
    x = np.array([[1e30, -1e30, 0.0], [-np.inf, -np.inf, -np.inf], [3e38, -3e38, 1.0], [-200.0, 0.0, -150.0]],
                 np.float32)
    with np.errstate(all="raise"):
        actcore.softmax(x)
        actcore.softmax(x, temperature=1e-3)
        actcore.log_softmax(x[[0, 1, 3]])  # row 2's log_softmax (-6e38) truly overflows
        actcore.log_softmax(x, temperature=1e30)


def test_log_softmax_keeps_peaked_rows_exact(isa):
    # log(sum(exp)) rounds 1 + 1e-13 to 1: log1p of the non-max sum does not
    x = np.array([0.0, -30.0], np.float32)
    y = actcore.log_softmax(x)
    assert y[0] == np.float32(-math.exp(-30.0)) and y[1] == np.float32(-30.0 - math.exp(-30.0))
    x64 = np.array([0.0, -700.0])
    assert actcore.log_softmax(x64)[0] == -math.exp(-700.0)


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_masks(fn, log, isa):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 40)).astype(np.float32)
    x[0, 5] = np.nan  # a masked NaN takes no part
    where = rng.random((6, 40)) > 0.3
    where[0, 5] = False
    where[2] = False  # a fully masked row
    y = fn(x, where=where)
    want = ref(x, where=where, log=log)
    assert ulp_error(y, want, np.float32).max() <= 4
    assert (y[~where] == (-np.inf if log else 0)).all()
    # a mask broadcast along rows
    col = rng.random(40) > 0.5
    np.testing.assert_array_equal(fn(x, where=col), fn(x, where=np.broadcast_to(col, x.shape)))


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_temperature(fn, log, isa):
    x = np.array([[1.0, 2.0, 3.0, 2.5]], np.float32)
    for t in (0.01, 0.5, 1.0, 7.0, 1e6):
        assert ulp_error(fn(x, temperature=t), ref(x, t=t, log=log), np.float32).max() <= 4
    cold = actcore.softmax(x, temperature=1e-4)
    np.testing.assert_array_equal(cold, [[0, 0, 1, 0]])  # T -> 0 approaches argmax


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_every_axis_and_layout(fn, log, isa):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 5, 6)).astype(np.float32)
    for axis in (0, 1, 2, -1, -2, -3):
        want = ref(x, axis=axis, log=log)
        assert ulp_error(fn(x, axis=axis), want, np.float32).max() <= 4
        xf = np.asfortranarray(x)
        np.testing.assert_array_equal(fn(xf, axis=axis), fn(x, axis=axis))
        np.testing.assert_array_equal(fn(x[:, ::-1], axis=axis), fn(np.ascontiguousarray(x[:, ::-1]), axis=axis))
    out = np.empty_like(x)
    assert fn(x, axis=1, out=out) is out
    np.testing.assert_array_equal(out, fn(x, axis=1))
    y = x.copy()
    fn(y, axis=0, out=y)
    np.testing.assert_array_equal(y, fn(x, axis=0))


def test_dtypes_and_scalars():
    assert actcore.softmax(np.arange(4)).dtype == np.float64
    assert actcore.softmax(np.ones(4, np.float16)).dtype == np.float16
    np.testing.assert_array_equal(actcore.softmax(np.ones(4, np.float16)), np.full(4, 0.25, np.float16))
    assert actcore.softmax(3.0) == 1.0 and actcore.log_softmax(3.0) == 0.0
    np.testing.assert_allclose(actcore.softmax([1.0, 1.0]), [0.5, 0.5])


@pytest.mark.parametrize("fn", [actcore.softmax, actcore.log_softmax], ids=IDS)
def test_errors_name_the_argument(fn):
    x = np.ones((3, 4), np.float32)
    with pytest.raises(AxisError):
        fn(x, axis=2)
    with pytest.raises(AxisError):
        fn(x, axis=-3)
    with pytest.raises(ValueError, match="where"):
        fn(x, where=np.ones(3, bool))
    with pytest.raises(ValueError, match="where"):
        fn(x, where=np.ones(4, np.int8))
    for t in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="temperature"):
            fn(x, temperature=t)
    with pytest.raises(ValueError, match="out"):
        fn(x, out=np.empty((4, 3), np.float32))
    with pytest.raises(TypeError, match="dtype"):
        fn(np.ones(3, complex))


rows = hnp.arrays(np.float32, st.tuples(st.integers(1, 6), st.integers(1, 70)),
                  elements=st.floats(-60, 60, width=32))


@given(rows)
def test_property_rows_sum_to_one(x):
    y = actcore.softmax(x)
    n = x.shape[-1]
    assert np.all(np.abs(y.astype(np.float64).sum(-1) - 1) <= 4 * n * 2.0**-24)
    assert np.all(y >= 0)


@given(rows, st.floats(-50, 50, width=32))
def test_property_shift_invariance(x, c):
    shifted = (x + np.float32(c)).astype(np.float32)
    # shifting changes x only by its own rounding: compare against the reference of the shifted row
    assert ulp_error(actcore.softmax(shifted), ref(shifted), np.float32).max() <= 4
    assert np.allclose(actcore.softmax(shifted), actcore.softmax(x), rtol=1e-4, atol=1e-6)


@given(rows)
def test_property_log_softmax_is_log_of_softmax(x):
    s = actcore.softmax(x).astype(np.float64)
    ls = actcore.log_softmax(x).astype(np.float64)
    ok = s > 1e-30  # where log(softmax) is representable
    np.testing.assert_allclose(ls[ok], np.log(s[ok]), rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_backward_matches_reference_and_jacobian(dtype, axis, isa):
    rng = np.random.default_rng(9)
    x = (rng.standard_normal((6, 33, 5)) * 3).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    y = actcore.softmax(x, axis=axis)
    ly = actcore.log_softmax(x, axis=axis)
    for fn, out in ((actcore.softmax_backward, y), (actcore.log_softmax_backward, ly)):
        got = fn(g, out, axis=axis)
        want = fn(g, out, axis=axis, backend="reference")
        assert got.dtype == dtype
        tol = 1e-6 if dtype == np.float32 else 1e-14
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max())
    # the Jacobian applied to g is the backward pass
    J = actcore.softmax_jacobian(y, axis=axis).astype(np.float64)
    gm = np.moveaxis(g, axis, -1).astype(np.float64)
    jvp = np.moveaxis(np.einsum("...ij,...i->...j", J, gm), -1, axis)
    np.testing.assert_allclose(actcore.softmax_backward(g, y, axis=axis), jvp, rtol=1e-5, atol=1e-6)


def test_backward_is_the_derivative():
    # central finite differences of a scalar loss <w, softmax(x)> in float64
    rng = np.random.default_rng(10)
    x = rng.standard_normal((3, 8))
    w = rng.standard_normal((3, 8))
    for fwd, bwd in ((actcore.softmax, actcore.softmax_backward), (actcore.log_softmax, actcore.log_softmax_backward)):
        grad = bwd(w, fwd(x))
        h = 1e-6
        for i, j in ((0, 0), (1, 3), (2, 7)):
            xp, xm = x.copy(), x.copy()
            xp[i, j] += h
            xm[i, j] -= h
            fd = ((w * fwd(xp)).sum() - (w * fwd(xm)).sum()) / (2 * h)
            assert abs(fd - grad[i, j]) < 1e-7


def test_jacobian_rows():
    y = actcore.softmax(np.array([1.0, 2.0, 3.0]))
    J = actcore.softmax_jacobian(y)
    np.testing.assert_allclose(J, np.diag(y) - np.outer(y, y))
    np.testing.assert_allclose(J.sum(-1), 0, atol=1e-15)  # rows of a softmax Jacobian sum to 0


def test_backward_errors():
    with pytest.raises(ValueError, match="shape"):
        actcore.softmax_backward(np.ones(3), np.ones(4))
    with pytest.raises(AxisError):
        actcore.log_softmax_backward(np.ones(3), np.ones(3), axis=1)


# ---- the float32 fast path: exactness modes, chunked long rows, hot paths ----

@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
@pytest.mark.parametrize("shift", [-300.0, -40.0, 0.0, 5.0, 30.0, 90.0, 5e4])
def test_float32_max_subtraction_exact_for_any_row_range(fn, log, shift, isa):
    # rows whose max is negative, small positive with entries below -max, or
    # large: x - max must stay exact in each case (else errors of |x - max| ulp)
    rng = np.random.default_rng(int(abs(shift)) + 7)
    x = (rng.standard_normal((64, 97)) * 20 + shift).astype(np.float32)
    x[:, 3] = np.float32(shift) + np.float32(0.123456)  # a max with bits far below the others'
    err = ulp_error(fn(x), ref(x, log=log), np.float32)
    assert err.max() <= 4, f"{err.max():.2f} ulp"


@pytest.mark.parametrize("fn, log", FUNCS, ids=IDS)
def test_long_rows_by_chunks(fn, log, isa):
    # rows longer than one chunk (4096): chunks with far-apart maxima, a chunk
    # all -inf, the max in the last chunk, ties of the max across chunks
    rng = np.random.default_rng(11)
    n = 5 * 4096 + 123
    x = (rng.standard_normal((4, n)) * 3).astype(np.float32)
    x[0, 4096:8192] = -np.inf
    x[0, 9000:10000] -= 100
    x[1, -5] = 40.0
    x[2, 100] = x[2, 3 * 4096 + 7] = 25.0
    x[3, :4096] += 60
    y = fn(x)
    want = ref(x, log=log)
    fin = np.isfinite(want)
    assert ulp_error(y[fin], want[fin], np.float32).max() <= 4
    assert (y[~fin] == want[~fin]).all()
    if not log:
        assert abs(y.astype(np.float64).sum(-1) - 1).max() < 1e-5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_rows_special_entries_late(dtype, isa):
    n = 3 * 4096 + 5
    x = np.zeros((3, n), dtype)
    x[0, -1] = np.nan
    x[1, -2] = x[1, 5000] = np.inf
    x[2, :] = -np.inf
    s, ls = actcore.softmax(x), actcore.log_softmax(x)
    assert np.isnan(s[0]).all() and np.isnan(ls[0]).all()
    want = np.zeros(n)
    want[[5000, n - 2]] = 0.5
    np.testing.assert_array_equal(s[1], want)
    assert (s[2] == 0).all() and (ls[2] == -np.inf).all()


def test_no_floating_point_warnings_long_and_short_rows(isa):
    rng = np.random.default_rng(12)
    x = (rng.standard_normal((3, 3 * 4096 + 9)) * 3).astype(np.float32)
    x[0, 100:5000] = -np.inf
    x[1, 7000:] -= 200.0
    x[2, ::2] = -1e30
    short = np.array([[-200.0, 0.0, -150.0, -np.inf] * 16, [1e-39, 0.0, -1e-39, 1e-38] * 16], np.float32)
    with np.errstate(all="raise"):
        for a in (x, short):
            actcore.softmax(a)
            actcore.log_softmax(a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hot_paths_match_general_paths(dtype):
    # out= with contiguous rows goes straight to the gufunc; other layouts
    # through the general code: same numbers
    rng = np.random.default_rng(13)
    x = (rng.standard_normal((6, 50)) * 4).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    for fn in (actcore.softmax, actcore.log_softmax):
        out = np.empty_like(x)
        assert fn(x, out=out) is out
        np.testing.assert_array_equal(out, fn(x, axis=1, temperature=1))  # int: the general Python path
        outf = np.empty((50, 6), dtype).T  # rows not contiguous
        fn(x, out=outf)
        np.testing.assert_array_equal(outf, out)
    y = actcore.softmax(x)
    for bwd in (actcore.softmax_backward, actcore.log_softmax_backward):
        out = np.empty_like(x)
        assert bwd(g, y, out=out) is out
        np.testing.assert_array_equal(out, bwd(g, y))
        outf = np.empty((50, 6), dtype).T
        bwd(g, y, out=outf)
        np.testing.assert_array_equal(outf, out)
        np.testing.assert_allclose(out, bwd(g, y, backend="reference"), rtol=1e-5, atol=1e-6)


def test_log_softmax_backward_rows_off_the_fast_path(isa):
    # outputs that are not log-probabilities (> 0) or a huge gradient sum take
    # the double path: still g - exp(y) * sum(g)
    rng = np.random.default_rng(14)
    g = rng.standard_normal((3, 40)).astype(np.float32)
    y = -np.abs(rng.standard_normal((3, 40))).astype(np.float32)
    y[0, 5] = 0.5
    g[1, 7] = 1e25
    y[2, :] = -100.0  # exp(y) below FLT_MIN
    got = actcore.log_softmax_backward(g, y)
    want = g.astype(np.float64) - np.exp(y.astype(np.float64)) * g.astype(np.float64).sum(-1, keepdims=True)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6 * np.abs(want).max())
    p = np.exp(y[:2])
    with np.errstate(all="raise"):
        actcore.log_softmax_backward(g[2:], y[2:])
        actcore.softmax_backward(g[:2], p)


def test_log_softmax_backward_no_flags_for_wide_logits(isa):
    # log-probabilities down to about -200: exp(y) far below FLT_MIN must not
    # raise underflow when the results (g - exp(y) * sum) are normal
    rng = np.random.default_rng(15)
    x = (rng.standard_normal((64, 257)) * 30).astype(np.float32)
    g = rng.standard_normal(x.shape).astype(np.float32)
    ly = actcore.log_softmax(x)
    with np.errstate(all="raise"):
        got = actcore.log_softmax_backward(g, ly)
    want = actcore.log_softmax_backward(g, ly, backend="reference")
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6 * np.abs(want).max())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("temperature", [1e300, 1e200, 2.0**125, 1e-200, 1e-300, 5e-324])
@pytest.mark.parametrize("log", [False, True])
def test_extreme_temperatures_match_the_reference(dtype, temperature, log):
    """T and 1/T beyond the float32 kernel's range: T = 1e300 once gave 1/16
    per entry (the padding lanes of a vector counted), T = 1e-300 zeros."""
    x = np.array([[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [-3.0, 7.5, 7.5, -np.inf, 0.25, 1.0]], dtype)
    fn = actcore.log_softmax if log else actcore.softmax
    with np.errstate(all="ignore"):
        got = fn(x, temperature=temperature)
        want = fn(x, temperature=temperature, backend="reference")
    assert got.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=4 * np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_softmax_overflowing_quotient_is_minus_inf_not_nan(dtype):
    """(x - max)/T beyond the range: the entry's log-probability is -inf."""
    big = np.finfo(dtype).max
    x = np.array([[big, -big, 1.0, 2.0]], dtype)
    with np.errstate(over="ignore"):
        y = actcore.log_softmax(x, temperature=0.3)
    assert y[0, 0] == 0 and (y[0, 1:] == -np.inf).all(), y
