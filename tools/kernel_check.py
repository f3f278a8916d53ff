"""Kernel developer's check: accuracy (ULP) and speed of C kernels, side by side.

    python tools/kernel_check.py accuracy [--isa avx512] [--exhaustive] NAME...
    python tools/kernel_check.py accuracy64 [--isa avx2] [--points 4000] NAME...
    python tools/kernel_check.py speed [--n 1048576] NAME...
    python tools/kernel_check.py flags [--isa baseline] [--dtype float64] NAME...

Works on the raw ufuncs (actcore._core), so it needs only a built extension.
`accuracy` checks float32 against the registry's float64 reference, over a
dense sample (random bit patterns, uniform [-20, 20], a grid over the tails)
or, with --exhaustive, every finite float32 (2^32 patterns, chunked).
`accuracy64` checks float64 against the registry's mpmath definition.
`flags` runs each kernel under np.errstate(all="raise") on the inputs whose
true result is exactly 0 or a finite normal number, and reports inputs that
raise (a spurious overflow/underflow/invalid/divide flag is a bug).
`speed` times actcore against torch (if installed) on the same array, min of
repeats, 2 threads each.  This is a development aid; the user-facing tools
are `python -m actcore accuracy` and `python -m actcore bench`.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from actcore import _core  # noqa: E402
from actcore.accuracy import ulp_error as _ulp_error  # noqa: E402
from actcore import _registry as R  # noqa: E402

UFUNCS = _core.build_ufuncs({})


def ulp_error(y, ref, dtype):
    """Strict: subnormal results in subnormal ulps (see actcore.accuracy)."""
    return _ulp_error(y, ref, dtype, subnormal="ulp")


def cases(names):
    """(label, kernel, registry entry, param dict) for each requested function."""
    out = []
    for name in names:
        act = R.lookup(name)
        kp = act.kernel_params
        base = act.defaults()
        if any(p.kind == "array" for p in kp):
            base = {kp[0].name: 0.25}
        variants = [base]
        for p in kp:
            variants += [{**base, p.name: s} for s in p.samples]
        for params in variants:
            choices = act.choice.choices if act.choice else [None]
            for ch in choices:
                pr = dict(params)
                if ch is not None:
                    pr[act.choice.name] = ch
                out.append((f"{act.name} {pr}", act.kernel_for(**pr), act, pr))
    return out


def sample32(seed=0):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2**32, size=1 << 22, dtype=np.uint64).astype(np.uint32).view(np.float32)
    return np.concatenate([bits[np.isfinite(bits)], rng.uniform(-20, 20, 1 << 22).astype(np.float32),
                           np.linspace(-120, 120, 1 << 21, dtype=np.float32)])


def exhaustive32(chunk=1 << 24):
    for start in range(0, 1 << 32, chunk):
        x = np.arange(start, start + chunk, dtype=np.uint64).astype(np.uint32).view(np.float32)
        yield x[np.isfinite(x)]


def run_accuracy(kernel, act, params, xs_iter, dtype=np.float32):
    uf = UFUNCS[kernel]
    pv = [dtype(params[p.name]) for p in act.kernel_params]
    ref_params = {k: (float(dtype(v)) if not isinstance(v, str) else v) for k, v in params.items()}
    worst, worst_x, worst_y, worst_ref, over1 = 0.0, None, None, None, 0
    for xs in xs_iter:
        with np.errstate(all="ignore"):
            y = uf(xs, *pv)
            ref = act.reference(xs.astype(np.float64), **ref_params)
        err = ulp_error(y, ref, dtype)
        i = int(np.argmax(err))
        over1 += int((err > 1).sum())
        if err[i] > worst:
            worst, worst_x, worst_y, worst_ref = float(err[i]), xs[i], y[i], ref[i]
    return worst, worst_x, worst_y, worst_ref, over1


def cmd_accuracy(args):
    print("isa", _core.select_isa(args.isa))
    for label, kernel, act, params in cases(args.names or [a.name for a in R.ACTIVATIONS]):
        it = exhaustive32() if args.exhaustive else [sample32()]
        w, wx, wy, wr, over = run_accuracy(kernel, act, params, it)
        print(f"{label:55s} max {w:7.3f} ulp at x={wx!r} got {wy!r} want {wr!r}; >1 ulp: {over}")


def cmd_accuracy64(args):
    import mpmath as mp
    mp.mp.dps = 40
    print("isa", _core.select_isa(args.isa))
    rng = np.random.default_rng(1)
    xs = np.concatenate([rng.uniform(-40, 40, args.points), np.sign(rng.standard_normal(args.points // 4))
                         * np.exp(rng.uniform(-700, 709, args.points // 4)), rng.uniform(-1, 1, args.points // 4)])
    for label, kernel, act, params in cases(args.names or [a.name for a in R.ACTIVATIONS]):
        pv = [np.float64(params[p.name]) for p in act.kernel_params]
        with np.errstate(all="ignore"):
            y = UFUNCS[kernel](xs, *pv)
        ref = np.array([float(act.exact(mp.mpf(float(v)), **params)) for v in xs])
        err = ulp_error(y, ref, np.float64)
        i = int(np.argmax(err))
        print(f"{label:55s} max {err[i]:7.3f} ulp at x={xs[i]!r} got {y[i]!r} want {ref[i]!r}")


def cmd_flags(args):
    print("isa", _core.select_isa(args.isa))
    _core.set_num_threads(1)
    dtype = np.dtype(args.dtype).type
    fi = np.finfo(dtype)
    xs = sample32()
    if dtype is np.float64:
        rng = np.random.default_rng(2)
        xs = np.concatenate([xs.astype(np.float64), np.sign(rng.standard_normal(1 << 20))
                             * np.exp(rng.uniform(-745, 709, 1 << 20))])
    for label, kernel, act, params in cases(args.names or [a.name for a in R.ACTIVATIONS]):
        pv = [dtype(params[p.name]) for p in act.kernel_params]
        ref_params = {k: (float(dtype(v)) if not isinstance(v, str) else v) for k, v in params.items()}
        with np.errstate(all="ignore"):
            ref = act.reference(xs.astype(np.float64), **ref_params)
        # normal results: no flag at all; results that round to 0 (an exact 0
        # or a true underflow, which float64 cannot tell apart): underflow only
        normal = np.isfinite(ref) & (np.abs(ref) >= float(fi.tiny) * 2) & (np.abs(ref) <= float(fi.max) / 2)
        bad = []
        for x, errs in ((xs[normal], dict(all="raise")), (xs[ref == 0], dict(all="raise", under="ignore"))):
            for start in range(0, len(x), 4096):
                chunk = x[start:start + 4096]
                try:
                    with np.errstate(**errs):
                        UFUNCS[kernel](chunk, *pv)
                except FloatingPointError:
                    for v in chunk:
                        try:
                            with np.errstate(**errs):
                                UFUNCS[kernel](np.array([v] * 64, dtype=dtype), *pv)
                        except FloatingPointError as exc:
                            bad.append((v, str(exc)))
                            break
                if len(bad) >= 5:
                    break
        print(f"{label:55s} {'ok' if not bad else 'SPURIOUS FLAGS: ' + repr(bad)}")


def cmd_speed(args):
    _core.set_num_threads(args.threads)
    try:
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None

    def tmin(f, rep=args.repeats):
        best = 1e9
        for _ in range(rep):
            t = time.perf_counter()
            f()
            best = min(best, time.perf_counter() - t)
        return best * 1e3

    x = (np.random.default_rng(0).standard_normal(args.n) * 3).astype(np.float32)
    o = np.empty_like(x)
    for label, kernel, act, params in cases(args.names or [a.name for a in R.ACTIVATIONS])[:None]:
        if params != {**act.defaults(), **{k: v for k, v in params.items() if k not in act.defaults()}}:
            continue
        pv = [np.float32(params[p.name]) for p in act.kernel_params]
        ta = tmin(lambda: UFUNCS[kernel](x, *pv, out=o))
        line = f"{label:55s} actcore {ta:8.3f} ms"
        if torch is not None and act.torch is not None:
            tx = torch.from_numpy(x)
            tp = {k: (v if act.params[[p.name for p in act.params].index(k)].kind != "array" else np.float32(v))
                  for k, v in params.items()}
            tt = tmin(lambda: act.torch(torch, F, tx, **tp))
            line += f"  torch {tt:8.3f} ms  torch/actcore {tt / ta:5.2f}"
        print(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("accuracy")
    a.add_argument("--isa")
    a.add_argument("--exhaustive", action="store_true")
    a.add_argument("names", nargs="*")
    b = sub.add_parser("accuracy64")
    b.add_argument("--isa")
    b.add_argument("--points", type=int, default=4000)
    b.add_argument("names", nargs="*")
    c = sub.add_parser("speed")
    c.add_argument("--n", type=int, default=1 << 20)
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--repeats", type=int, default=30)
    c.add_argument("names", nargs="*")
    d = sub.add_parser("flags")
    d.add_argument("--isa")
    d.add_argument("--dtype", default="float32")
    d.add_argument("names", nargs="*")
    args = ap.parse_args()
    {"accuracy": cmd_accuracy, "accuracy64": cmd_accuracy64, "speed": cmd_speed, "flags": cmd_flags}[args.cmd](args)


if __name__ == "__main__":
    main()
