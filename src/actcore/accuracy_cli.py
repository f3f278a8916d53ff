"""`python -m actcore accuracy`: max ulp error of every float32 function over
all 2^32 inputs (--exhaustive) or a dense sample (every 97th bit pattern),
against the registry's float64 reference, at every SIMD level this CPU has,
next to torch and onnxruntime on the same inputs when they are installed
(forward only).  --kinds adds the derivative kernels (against the registry's
float64 derivative) and the fused backward with grad = 1."""
from __future__ import annotations

import concurrent.futures as cf
import json
import threading
import time

import numpy as np

import actcore

from . import _config, _registry, _ulp_scan, bench
from .accuracy import Tally, special_mismatches, sweep_inputs, ulp_error


KINDS = ("forward", "derivative", "backward")


def _variants(functions, kinds=("forward",)):
    for label, act, params in bench.variants():
        if functions and act.name not in functions and label not in functions:
            continue
        for kind in kinds:
            if kind == "forward":
                yield label, act, params, kind
            elif hasattr(actcore, f"{act.name}_{kind}"):
                yield f"{label} {kind}", act, params, kind


def _implementation(act, params, kind):
    """x -> the float32 result of `kind` at the current SIMD level."""
    if kind == "forward":
        fn = getattr(actcore, act.name)
        return lambda x: fn(x, **params)
    fn = getattr(actcore, f"{act.name}_{kind}")
    if kind == "derivative":
        return lambda x: fn(x, **params)
    if act.name == "prelu":  # (grad_input, grad_weight)
        return lambda x: fn(np.ones_like(x), x, **params)[0]
    return lambda x: fn(np.ones_like(x), x, **params)


def _torch_fn(act, params):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    if act.torch is None:
        return None
    tp = {k: (float(v) if isinstance(v, np.floating) else v) for k, v in params.items()}

    def fn(x):
        with torch.no_grad():
            return act.torch(torch, F, torch.from_numpy(np.ascontiguousarray(x)), **tp).numpy()
    return fn


def _onnx_fn(act, params, threads):
    try:
        import onnx  # noqa: F401
        import onnxruntime as ort
    except ImportError:
        return None
    model = bench.onnx_model(act, params)
    if model is None:
        return None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.log_severity_level = 3
    sess = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    return lambda x: sess.run(None, {"X": np.ascontiguousarray(x)})[0]


def _formula_reference(act, kind, ref_params):
    """The registry's float64 formula (independent of our kernels; slow)."""
    formula = act.reference if kind == "forward" else act.derivative
    return lambda x64: formula(x64, **ref_params)


def _kernel_reference(act, kind, ref_params):
    """Our float64 kernel on the same (float32-rounded) parameters: 20-30x
    faster than the formula.  The float64 kernels are within 4 float64 ulp of
    mpmath (tests/test_accuracy.py), i.e. within 2^-27 of a float32 ulp, so as
    a reference for float32 they add no error worth reporting.  What they
    cannot catch is a fault shared with the float32 kernel; measure() guards
    against that by re-measuring against the formula every point that looks
    more than 0.9 ulp off, and a regular 1-in-64 subset of all points."""
    return _implementation(act, ref_params, "forward" if kind == "forward" else "derivative")


# points re-checked against the formula when the reference is our float64 kernel
_FORMULA_EVERY = 64
_FORMULA_ABOVE_ULP = 0.9


def measure(label, act, params, exhaustive, isas, others=True, sample_step=97, threads=2, kind="forward",
            reference="auto"):
    """{implementation: Tally dict + specials} for one function variant.

    reference: "formula" (the registry's float64 formulas everywhere),
    "kernel" (our float64 kernel, with the formula at every point that looks
    more than 0.9 ulp off and at every 64th point), or "auto": kernel for
    --exhaustive, formula otherwise."""
    if reference == "auto":
        reference = "kernel" if exhaustive else "formula"
    fn = _implementation(act, params, kind)
    ref_params = {k: (v if isinstance(v, str) else float(np.float32(v))) for k, v in params.items()}
    formula = _formula_reference(act, kind, ref_params)
    kernel = _kernel_reference(act, kind, ref_params) if reference == "kernel" else None
    impls = {f"actcore[{isa}]": isa for isa in isas}
    extra = {}
    if others and kind == "forward":
        for name, f in (("torch", _torch_fn(act, params)), ("onnxruntime", _onnx_fn(act, params, threads))):
            if f is not None:
                extra[name] = f
    tallies = {name: Tally() for name in list(impls) + list(extra)}
    agreement = Tally()  # the float64 kernel against the formula, in float32 ulps
    lock = threading.Lock()

    def one_chunk(x):
        x64 = x.astype(np.float64)
        outs = {}
        with lock:  # the SIMD level is process-wide
            if kernel is not None:
                _config.set_isa(isas[-1])
                with np.errstate(all="ignore"):
                    ref = kernel(x64)
            for name, isa in impls.items():
                _config.set_isa(isa)
                with np.errstate(all="ignore"):
                    outs[name] = fn(x)
            for name, f in extra.items():
                with np.errstate(all="ignore"):
                    outs[name] = f(x)
        with np.errstate(all="ignore"):
            if kernel is None:
                ref = formula(x64)
            else:
                ref = _recheck_with_formula(x, x64, ref, outs.values(), formula, agreement, lock)
        for name, y in outs.items():
            t = tallies[name]
            with lock:
                t.add(x, y, ref)

    _bounded_map(one_chunk, sweep_inputs(exhaustive, sample_step=sample_step), threads)
    results = {}
    for name, t in tallies.items():
        if name in impls:
            _config.set_isa(impls[name])
            specials = special_mismatches(fn, act, params, kind=kind)
        else:
            specials = special_mismatches(extra[name], act, params)
        results[name] = {**t.as_dict(), "specials": specials}
    if kernel is not None:
        results["reference check"] = {**agreement.as_dict(), "specials": []}
    _config.set_isa(isas[-1])
    return results


def _bounded_map(fn, chunks, workers):
    """fn over every chunk on `workers` threads, at most 2 * workers chunks
    alive at once (Executor.map would draw every chunk of the generator
    first: 16 GB of inputs for an exhaustive sweep)."""
    with cf.ThreadPoolExecutor(max_workers=workers) as pool:
        pending = set()
        for chunk in chunks:
            if len(pending) >= 2 * workers:
                done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for f in done:
                    f.result()
            pending.add(pool.submit(fn, chunk))
        for f in cf.as_completed(pending):
            f.result()


def _recheck_with_formula(x, x64, ref, outputs, formula, agreement, lock):
    """Replace the kernel reference by the formula where it decides a result:
    every point some implementation gets more than 0.9 ulp off, and every
    64th point.  The 1-in-64 points also measure how far the kernel reference
    is from the formula, in float32 ulps (reported as "reference check";
    expect about 1e-8)."""
    with np.errstate(all="ignore"):
        rounded = ref.astype(np.float32)
    suspect = np.zeros(x.size, bool)
    for y in outputs:
        if y.dtype == np.float32 and _ulp_scan.available():
            _ulp_scan.mark_far(y, ref, _FORMULA_ABOVE_ULP, suspect)
            continue
        differ = np.flatnonzero((y != rounded) & ~(np.isnan(y) & np.isnan(rounded)))
        if differ.size:
            far = ulp_error(y[differ], ref[differ], np.float32) > _FORMULA_ABOVE_ULP
            suspect[differ[far]] = True
    suspect[::_FORMULA_EVERY] = True
    idx = np.flatnonzero(suspect)
    exact = formula(x64[idx])
    # beyond float32's range both references say "overflow": nothing to compare in float32 ulps
    sub = np.flatnonzero((idx % _FORMULA_EVERY == 0) & ~(np.abs(exact) > float(np.finfo(np.float32).max)))
    with lock:  # unrounded: the distance between the two references, in float32 ulps
        agreement.add_unrounded(x[idx][sub], ref[idx][sub], exact[sub])
    ref = ref.copy()
    ref[idx] = exact
    return ref


def markdown(all_results, exhaustive, seconds, reference="formula"):
    ref = ("the registry's float64 formulas" if reference == "formula" else
           "actcore's float64 kernels, re-measured against the registry's float64 formulas at every point "
           f"more than {_FORMULA_ABOVE_ULP} ulp off and at every {_FORMULA_EVERY}th point (row 'reference check': "
           "the largest distance between the two references, in float32 ulps)")
    lines = [f"Mode: {'exhaustive (every finite float32)' if exhaustive else 'dense sample (every 97th bit pattern)'}; "
             f"reference: {ref}; {seconds:.0f} s.", "",
             "| function | implementation | max ulp | at x | got | want | > 1 ulp | special values |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for label, res in all_results.items():
        for impl, r in res.items():
            sp = "ok" if not r["specials"] else "; ".join(r["specials"])
            lines.append(f"| {label} | {impl} | {r['max_ulp']:.3g} | {r['at']!r} | {r['got']!r} | {r['want']!r} | "
                         f"{r['over_1ulp']} | {sp} |")
    return "\n".join(lines)


def run(args):
    functions = set(args.functions.split(",")) if args.functions else None
    isas = tuple(args.isa.split(",")) if args.isa else _config.supported_isas()
    t0 = time.time()
    all_results = {}
    kinds = tuple(args.kinds.split(",")) if args.kinds else KINDS
    for label, act, params, kind in _variants(functions, kinds):
        t1 = time.time()
        res = measure(label, act, params, args.exhaustive, isas, others=not args.no_others,
                      threads=args.threads or actcore.get_num_threads(), kind=kind,
                      reference=args.reference)
        all_results[label] = res
        for impl, r in res.items():
            sp = "specials ok" if not r["specials"] else "SPECIALS: " + "; ".join(r["specials"])
            print(f"{label:28s} {impl:18s} max {r['max_ulp']:12.4g} ulp at x={r['at']!r:>16} "
                  f"(got {r['got']!r}, want {r['want']!r}); >1 ulp: {r['over_1ulp']}; {sp}", flush=True)
        print(f"  [{time.time() - t1:.0f} s]", flush=True)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            reference = args.reference if args.reference != "auto" else ("kernel" if args.exhaustive else "formula")
            fh.write(markdown(all_results, args.exhaustive, time.time() - t0, reference) + "\n")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(all_results, fh, indent=1, default=str)
