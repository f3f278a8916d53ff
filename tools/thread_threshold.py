"""Where does splitting a call across threads start to pay?  For a cheap
(relu) and a transcendental (sigmoid) kernel, float32, time one call at
sizes 2K..256K with the split forced on (threshold 0) and forced off, min of
many repeats, and print the ratio.  The registry's PARALLEL_MIN_PART values
(elements per thread below which a call stays on the calling thread) come
from this measurement.

    python -m tools.thread_threshold [--repeats 200] [--functions relu,sigmoid]
"""
import argparse
import timeit

import numpy as np

import actcore
from actcore import _config, _registry


def best(fn, repeats):
    return min(timeit.repeat(fn, number=20, repeat=repeats)) / 20


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--functions", default="relu,sigmoid,gelu")
    args = ap.parse_args(argv)
    core = _config._core
    actcore.set_num_threads(2)
    print(f"isa={_config.get_isa()} threads=2; registry PARALLEL_MIN_PART={_registry.PARALLEL_MIN_PART}")
    print(f"{'function':10s} {'size':>8s} {'1 thread':>10s} {'2 threads':>10s} {'2T speedup':>10s}")
    for name in args.functions.split(","):
        fn = getattr(actcore, name)
        for size in (2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144):
            x = np.linspace(-6, 6, size, dtype=np.float32)
            out = np.empty_like(x)
            core.set_parallel_threshold(1 << 62)  # never split
            t1 = best(lambda: fn(x, out=out), args.repeats)
            core.set_parallel_threshold(1)  # always split
            t2 = best(lambda: fn(x, out=out), args.repeats)
            core.set_parallel_threshold(0)  # back to the registry's per-kernel thresholds
            print(f"{name:10s} {size:8d} {t1 * 1e6:8.2f}us {t2 * 1e6:8.2f}us {t1 / t2:10.2f}")


if __name__ == "__main__":
    main()
