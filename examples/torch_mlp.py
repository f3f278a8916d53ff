"""A torch MLP with torch's activations, then with actcore's, timed.

    Linear(1024, 4096) -> GELU -> Linear(4096, 4096) -> SiLU -> Linear(4096, 1024)

batch 256, float32, CPU, torch.set_num_threads(2) and actcore's 2 threads.
The actcore model is a deep copy with actcore.torch.replace_activations
applied: the same weights, only the two activation modules differ.  Timed
in one process, the two models alternating, each figure the minimum over
the repeats (the least disturbed run: this measures the code, not the
machine's other load):

  inference   model(x) under torch.no_grad()
  training    forward, mean-square loss, backward (gradients set to None before each step)
  activations the two activations alone on the model's 256 x 4096
              pre-activations (forward; forward + backward for training),
              the share of the model's time they account for

Run with actcore and torch installed:  python examples/torch_mlp.py  (~15 s on 2 cores)
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import time

import torch
from torch import nn

try:
    import actcore
except ImportError:  # run from a source checkout that was built in place but not installed
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import actcore
import actcore.torch  # noqa: E402


def timed(fn, repeats, inner=1):
    """Minimum over `repeats` of the mean time of `inner` calls, in ms."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t0) / inner)
    return best * 1e3


def alternating(fns, repeats, inner=1):
    """timed() for each of `fns`, interleaved repeat by repeat so that a
    slow spell of the machine hits both alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], timed(fn, 1, inner))
    return best


def mlp(width_in=1024, hidden=4096):
    return nn.Sequential(nn.Linear(width_in, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.SiLU(),
                         nn.Linear(hidden, width_in))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--actcore-threads", type=int, default=None, help="actcore's threads (default: --threads)")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    actcore.set_num_threads(args.actcore_threads or args.threads)
    torch.manual_seed(0)

    theirs = mlp().eval()
    ours = actcore.torch.replace_activations(copy.deepcopy(theirs))
    x = torch.randn(args.batch, 1024)
    with torch.no_grad():
        y1, y2 = theirs(x), ours(x)
        h1 = theirs[0](x)                     # the pre-activations the model's activations see
        h2 = theirs[2](theirs[1](h1))
    print(f"torch {torch.__version__}, actcore {actcore.__version__}, {args.threads} threads, "
          f"batch {args.batch}; max |difference| of the outputs: {(y1 - y2).abs().max().item():.2e}")

    def inference(model):
        def run():
            with torch.no_grad():
                model(x)
        return run

    def training(model):
        def run():
            for p in model.parameters():
                p.grad = None
            model(x).pow(2).mean().backward()
        return run

    def acts_forward(a1, a2):
        def run():
            with torch.no_grad():
                a1(h1)
                a2(h2)
        return run

    g = torch.randn_like(h1)

    def acts_training(a1, a2):
        def run():
            for act, h in ((a1, h1), (a2, h2)):
                leaf = h.detach().requires_grad_()
                act(leaf).backward(g)
        return run

    for f in (inference(theirs), inference(ours), training(theirs), training(ours)):
        f()  # warm-up: first-touch allocations, thread start
    inf = alternating([inference(theirs), inference(ours)], args.repeats)
    act_inf = alternating([acts_forward(theirs[1], theirs[3]), acts_forward(ours[1], ours[3])], args.repeats, 5)
    train = alternating([training(theirs), training(ours)], max(3, args.repeats // 2))
    act_train = alternating([acts_training(theirs[1], theirs[3]), acts_training(ours[1], ours[3])],
                            args.repeats, 5)

    rows = [("inference forward (model)", *inf),
            ("  activations alone (GELU + SiLU)", *act_inf),
            ("training step fwd+bwd (model)", *train),
            ("  activations alone, fwd+bwd", *act_train)]
    print(f"\n| {'ms (min of repeats)':34s} | {'torch':>9s} | {'actcore':>9s} | {'torch/actcore':>13s} |")
    print(f"|{'-' * 36}|{'-' * 10}:|{'-' * 10}:|{'-' * 14}:|")
    for label, a, b in rows:
        print(f"| {label:34s} | {a:9.3f} | {b:9.3f} | {a / b:13.2f} |")
    print(f"| {'activation share of inference':34s} | {act_inf[0] / inf[0]:9.1%} | {act_inf[1] / inf[1]:9.1%} | |")
    print(f"| {'activation share of training':34s} | {act_train[0] / train[0]:9.1%} | "
          f"{act_train[1] / train[1]:9.1%} | |")


if __name__ == "__main__":
    main()
