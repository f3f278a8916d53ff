"""The compiled ulp scans of the accuracy sweep make exactly the decisions
of accuracy.ulp_error / Tally.add's NumPy path."""
import numpy as np
import pytest

from actcore import _ulp_scan
from actcore.accuracy import Tally, ulp_error

pytestmark = pytest.mark.skipif(not _ulp_scan.available(), reason="numba not installed")

F32 = np.finfo(np.float32)


def _cases(seed=0):
    """float64 references and float32 results of every kind: NaN both ways,
    infinities expected and not, overflow just above and below the rounding
    boundary, the FLT_MIN boundary, zeros of both signs, ordinary values a
    few ulps off."""
    rng = np.random.default_rng(seed)
    tiny, big = float(F32.tiny), float(F32.max)
    refs = [np.nan, np.nan, 1.0, np.inf, -np.inf, np.inf, big * (1 + 2.0**-25), big * (1 + 2.0**-24),
            -big * (1 + 2.0**-23), tiny, tiny * (1 - 2.0**-30), -tiny / 3, 0.0, -0.0, 1e-45, 3.0, -7.5]
    ys = [np.nan, 1.0, np.nan, np.inf, -np.inf, big, big, np.inf, -np.inf, tiny, 0.0, 0.0, -0.0, 0.0, 0.0,
          np.nextafter(np.float32(3.0), np.float32(4)), np.float32(-7.5)]
    r = np.concatenate([np.array(refs), rng.standard_normal(5000) * 10.0 ** rng.integers(-40, 38, 5000)])
    with np.errstate(over="ignore"):
        r32 = r.astype(np.float32)
    jitter = rng.integers(-3, 4, r.size).astype(np.int32)
    off = (r32.view(np.int32) + jitter).view(np.float32)  # a few ulps away, sometimes 0 (equal)
    y = np.where(np.arange(r.size) < len(ys), np.array(ys + [0.0] * (r.size - len(ys)), np.float32), off)
    return y.astype(np.float32), r


def test_mark_far_matches_ulp_error():
    y, r = _cases()
    with np.errstate(all="ignore"):
        err = ulp_error(y, r, np.float32)
        rounded = r.astype(np.float32)
    differ = (y != rounded) & ~(np.isnan(y) & np.isnan(rounded))
    for above in (0.5, 0.9, 1.0, 2.5):
        suspect = np.zeros(y.size, bool)
        _ulp_scan.mark_far(y, r, above, suspect)
        np.testing.assert_array_equal(suspect, differ & (err > above))


def _numpy_tally(x, y, r):
    t = Tally()
    saved = _ulp_scan.available
    _ulp_scan.available = lambda: False
    try:
        t.add(x, y, r)
    finally:
        _ulp_scan.available = saved
    return t.as_dict()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scanned_tally_matches_numpy_tally(seed):
    y, r = _cases(seed)
    x = np.arange(y.size, dtype=np.float32)
    want = _numpy_tally(x, y, r)
    t = Tally()
    t.add(x, y, r)
    np.testing.assert_equal(t.as_dict(), want)  # NaN == NaN here
    assert want["max_ulp"] == np.inf  # the NaN and overflow cases count as infinitely wrong


def test_scanned_tally_on_correctly_rounded_results():
    r = np.linspace(-3, 3, 10001)
    y = r.astype(np.float32)
    x = y.copy()
    want = _numpy_tally(x, y, r)
    t = Tally()
    t.add(x, y, r)
    np.testing.assert_equal(t.as_dict(), want)  # NaN == NaN here
    assert want["max_ulp"] == 0.5 and want["over_1ulp"] == 0
