"""gelu then softmax over the last axis of a float32 array (default 4096 x
65536, 1 GiB): one process on NumPy arrays against a dask LocalCluster of
worker processes, the same actcore calls on both.

    python examples/dask_cluster.py [--rows 4096] [--cols 65536] [--workers 2] [--repeat 3]

Three timings, each the minimum of --repeat runs:
  numpy        actcore.softmax(actcore.gelu(x)) in this process (the C
               kernels on all cores)
  dask, rows   chunks (256, cols): every row in one chunk, so each block
  in one chunk runs the C kernels
  dask, rows   chunks (512, cols // 4): each row over 4 chunks, the two-pass
  over chunks  softmax (row max, then sums; NumPy float64 steps)
On the cluster x is generated and kept on the workers beforehand
(persist), and a run ends when the result is held in the workers' memory
(persist + wait): no transfer to this process is timed.  Each worker runs
one thread with ACTCORE_NUM_THREADS=1, so the workers share the cores
instead of oversubscribing them.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import actcore


def time_numpy(rows, cols, repeat):
    x = np.random.default_rng(0).standard_normal((rows, cols), dtype=np.float32)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        y = actcore.softmax(actcore.gelu(x), axis=-1)
        times.append(time.perf_counter() - t0)
        del y
    return min(times)


def _same(block):
    return block


def time_cluster(client, rows, cols, chunks, repeat):
    import dask.array as da
    from distributed import wait

    x = client.persist(da.random.default_rng(0).standard_normal((rows, cols), chunks=chunks, dtype=np.float32))
    wait(x)
    times = []
    for i in range(repeat):
        # a new name for x's (unchanged) blocks gives every task of the run a new key: the same
        # graph again would find its result already in the workers' memory
        xi = x.map_blocks(_same, name=f"x-run-{i}", dtype=x.dtype)
        y = actcore.softmax(actcore.gelu(xi), axis=-1)  # lazy: a graph, nothing computed yet
        t0 = time.perf_counter()
        held = client.persist(y)
        wait(held)
        times.append(time.perf_counter() - t0)
        if i == 0:  # a check, not timed
            worst = float(abs(held.sum(axis=-1) - 1).max().compute())
            assert worst < 1e-3, f"rows do not sum to 1 (off by {worst})"
        del held, y, xi
    del x
    return min(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=4096)
    ap.add_argument("--cols", type=int, default=65536)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from distributed import Client, LocalCluster

    gib = args.rows * args.cols * 4 / 2**30
    print(f"gelu + softmax(axis=-1), float32 {args.rows} x {args.cols} ({gib:.2f} GiB); "
          f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}; min of {args.repeat} runs")
    print(f"  numpy, one process ({actcore.get_num_threads()} threads): "
          f"{time_numpy(args.rows, args.cols, args.repeat):.2f} s")
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, env={"ACTCORE_NUM_THREADS": "1"}) as cluster, \
            Client(cluster) as client:
        for label, chunks in (("rows in one chunk", (256, args.cols)),
                              ("rows over 4 chunks", (512, args.cols // 4))):
            seconds = time_cluster(client, args.rows, args.cols, chunks, args.repeat)
            print(f"  dask, {args.workers} worker processes, {label} {chunks}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
