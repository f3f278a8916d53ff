"""Benchmarks of the numba backend (docs/NUMBA_BENCH.md):

    NUMBA_CACHE_DIR=$(mktemp -d) python -m actcore.backends.numba_bench [--n 1048576] [--threshold]

  * first-call compile time per function (float32, 1M elements: the njit
    loop; the softmax gufuncs on the parallel target), with an empty cache (the run sets none itself: point
    NUMBA_CACHE_DIR at an empty directory); the first function also pays for
    the helpers it shares with later ones (sigmoid's exp-based sigmoid)
  * numba vs the C path (its threads and 1 thread) vs the NumPy textbook formula at n
    float32 (median of --reps calls)
  * --threshold: target 'cpu' against 'parallel' by size (PARALLEL_MIN)
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import actcore
from actcore import _registry


def _median_time(fn, reps=15):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def _params(act):
    p = act.defaults()
    if act.name == "prelu":
        p["weight"] = 0.25
    return p


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1 << 20)
    ap.add_argument("--threshold", action="store_true")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--accuracy", action="store_true", help="only the accuracy table")
    args = ap.parse_args(argv)
    if args.accuracy:
        return accuracy()
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(args.n) * 3).astype(np.float32)
    import numba  # noqa: F401 - import time is not compile time
    from actcore.backends import numba_cpu

    print(f"numba {numba.__version__}, threading layer after first parallel call below; n = {args.n} float32; "
          f"C threads {actcore.get_num_threads()}, numba threads {numba.get_num_threads()}")
    print("| function | numba first call (s) | C (ms) | C 1 thread (ms) | numba (ms) | NumPy textbook (ms) "
          "| numba / C 1 thread | numba / NumPy |")
    print("|---|---|---|---|---|---|---|---|")
    def timed_first(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    def numba_times(fn):
        """(first-call time: compile + run, median) on the default routing
        (contiguous input: the njit loop)."""
        return timed_first(fn), _median_time(fn, args.reps)

    def c_times(fn):
        if actcore.ufuncs is None:
            return float("nan"), float("nan")
        threads = actcore.get_num_threads()
        t_all = _median_time(fn, args.reps)
        actcore.set_num_threads(1)
        try:
            return t_all, _median_time(fn, args.reps)
        finally:
            actcore.set_num_threads(threads)

    def row(label, nb, tc, tt):
        print(f"| {label} | {nb[0]:.2f} | {tc[0] * 1e3:.2f} | {tc[1] * 1e3:.2f} | {nb[1] * 1e3:.2f} "
              f"| {tt * 1e3:.2f} | {tc[1] / nb[1]:.2f}x | {tt / nb[1]:.2f}x |")

    with np.errstate(all="ignore"):
        for act in _registry.ACTIVATIONS:
            p = _params(act)
            f = getattr(actcore, act.name)
            nb = numba_times(lambda: f(x, **p, backend="numba"))
            tc = c_times(lambda: f(x, **p))
            tt = _median_time(lambda: act.textbook(x, **p), args.reps)
            row(act.name, nb, tc, tt)
        for name in ("softmax", "log_softmax"):
            xs = x.reshape(-1, 1024)
            f = getattr(actcore, name)
            nb = numba_times(lambda: f(xs, backend="numba"))
            tc = c_times(lambda: f(xs))

            def textbook():
                e = np.exp(xs - xs.max(-1, keepdims=True))
                return e / e.sum(-1, keepdims=True) if name == "softmax" else np.log(e / e.sum(-1, keepdims=True))
            row(f"{name} (rows of 1024)", nb, tc, _median_time(textbook, args.reps))
    print(f"threading layer: {numba.threading_layer()}")
    if args.threshold:
        print("\n| kernel | n | target cpu (us) | target parallel (us) |")
        print("|---|---|---|---|")
        for name in ("gelu", "relu"):
            act = _registry.BY_NAME[name]
            kern = act.kernel_for(**_params(act))
            lo, hi = (np.float32(v) for v in act.limits(**act.defaults()))
            for target in ("cpu", "parallel"):
                numba_cpu._ufunc(kern, "forward", 0, np.dtype(np.float32), target)
            for k in range(10, 22, 2):
                xs = x[: 1 << k] if (1 << k) <= x.size else np.resize(x, 1 << k)
                t = [_median_time(lambda: numba_cpu._ufunc(kern, "forward", 0, np.dtype(np.float32), tg)(xs, lo, hi),
                                  args.reps) for tg in ("cpu", "parallel")]
                print(f"| {name} | 2^{k} | {t[0] * 1e6:.1f} | {t[1] * 1e6:.1f} |")


def accuracy(n32=1 << 18, n64=300):
    """Max ulp error of the numba backend: float32 forward and derivative
    against the float64 reference (dense sample over every binade), float64
    forward against mpmath (n64 points: half log-uniform over +-[1e-6, 1e4],
    half uniform on [-40, 40])."""
    import mpmath

    from actcore import _dispatch
    from actcore.accuracy import dense_sample, ulp_error
    from actcore.backends import reference

    x32 = dense_sample(np.float32, n32, 7)
    rng = np.random.default_rng(8)
    x64 = np.concatenate([np.geomspace(1e-6, 1e4, n64 // 4), -np.geomspace(1e-6, 1e4, n64 // 4),
                          rng.uniform(-40, 40, n64 // 2)])
    print("| function | float32 f (ulp) | float32 f' (ulp) | float64 f vs mpmath (ulp) |")
    print("|---|---|---|---|")
    with np.errstate(all="ignore"), mpmath.workdps(40):
        for act in _registry.ACTIVATIONS:
            for p in ([{**_params(act), "approximate": "none"}, {**_params(act), "approximate": "tanh"}]
                      if act.choice else [_params(act)]):
                p32 = {k: (v if isinstance(v, str) else np.asarray(v, np.float32)) for k, v in p.items()}
                f32 = _dispatch.run(act, None, x32, None, p32, None, "numba")
                d32 = _dispatch.run(act, None, x32, None, p32, None, "numba", kind="derivative")
                e_f = ulp_error(f32, reference.evaluate(act, x32, p32, np.float64), np.float32).max()
                e_d = ulp_error(d32, reference.evaluate_derivative(act, x32, p32, np.float64), np.float32).max()
                y64 = _dispatch.run(act, None, x64, None, p, None, "numba")
                exact = np.array([float(act.exact(mpmath.mpf(float(v)), **p)) for v in x64])
                e64 = ulp_error(y64, exact, np.float64)
                label = act.name + (f" ({p['approximate']})" if act.choice else "")
                print(f"| {label} | {e_f:.2f} | {e_d:.2f} | {e64.max():.1f} (x={x64[np.argmax(e64)]:.4g}) |")


if __name__ == "__main__":
    main()
