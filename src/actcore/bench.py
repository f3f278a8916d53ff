"""`python -m actcore bench`: actcore against NumPy formulas, PyTorch and
onnxruntime, measured in one process on the same arrays.

For every function (registry order) and size: the minimum time per call over
several repeats, GB/s (input + output bytes), and the ratio other/actcore
(> 1: actcore is faster).  All libraries use the same thread count; actcore
and onnxruntime write into a preallocated output (onnxruntime through
IO binding), torch functions without an out= variant allocate, as users call
them.  torch and onnxruntime are optional: without them their columns say
"skipped".
"""
from __future__ import annotations

import gc
import json
import platform
import sys
import time

import numpy as np

import actcore

from . import _config, _registry, functional

DEFAULT_SIZES = (4096, 1 << 20, 1 << 24)


def _repeats(n, base):
    return max(5, min(400, int(base * (1 << 20) / max(n, 1)))) if base else 5


def best_time(fn, repeats):
    fn()  # warm up (page faults, lazy thread start)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def variants():
    """(label, activation, params) for each benchmarked function variant."""
    out = []
    for act in _registry.ACTIVATIONS:
        params = act.defaults()
        for p in act.params:
            if p.kind == "array":
                params[p.name] = np.float32(0.25)
        if act.choice is not None:
            for value in act.choice.choices:
                label = act.name if value == act.choice.default else f"{act.name}({act.choice.name}={value})"
                out.append((label, act, {**params, act.choice.name: value}))
        else:
            out.append((act.name, act, params))
    return out


def _torch(threads):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch, F


def _onnx(threads):
    try:
        import onnx  # noqa: F401
        import onnxruntime as ort
    except ImportError:
        return None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort, opts


def onnx_model(act, params, n="N"):
    """The serialized ONNX model computing act(X) on a float32 vector of
    length n (an int, or a symbolic name), or None where ONNX has no
    equivalent.  Shared by the benchmarks and `python -m actcore accuracy`."""
    import onnx
    from onnx import TensorProto, helper

    spec = act.onnx(**{k: (float(v) if not isinstance(v, str) else v) for k, v in params.items()}) \
        if act.onnx else None
    if spec is None:
        return None
    nodes, inits = [], []
    for op, inputs, outputs, attrs in spec:
        attrs = dict(attrs)
        for cname, value in attrs.pop("_consts", {}).items():
            inits.append(helper.make_tensor(cname, TensorProto.FLOAT, [1] if op == "PRelu" else [],
                                            [float(value)]))
        nodes.append(helper.make_node(op, inputs, outputs, **attrs))
    graph = helper.make_graph(nodes, act.name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [n])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [n])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", act.onnx_opset)])
    model.ir_version = min(model.ir_version, 10)
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _onnx_session(ort_opts, act, params, n):
    """An onnxruntime session computing act(X), or None where ONNX has no equivalent."""
    ort, opts = ort_opts
    model = onnx_model(act, params, n)
    return None if model is None else ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def run(functions=None, sizes=DEFAULT_SIZES, threads=None, repeat_base=40, use_torch=True, use_onnx=True,
        log=None):
    """Measure; returns a list of result rows (dicts)."""
    threads = threads or actcore.get_num_threads()
    actcore.set_num_threads(threads)
    torch_mod = _torch(threads) if use_torch else None
    onnx_mod = _onnx(threads) if use_onnx else None
    rows = []
    rng = np.random.default_rng(0)
    for n in sizes:
        x = (rng.standard_normal(n) * 3).astype(np.float32)
        o = np.empty_like(x)
        reps = _repeats(n, repeat_base)
        tx = to = None
        if torch_mod is not None:
            torch, _ = torch_mod
            tx, to = torch.from_numpy(x), torch.from_numpy(o)
        base = {"size": n, "threads": threads}
        base["numpy_maximum_s"] = best_time(lambda: np.maximum(x, 0, out=o), reps)
        base["numpy_copy_s"] = best_time(lambda: np.copyto(o, x), reps)
        base["torch_copy_s"] = best_time(lambda: to.copy_(tx), reps) if tx is not None else None
        for label, act, params in variants():
            if functions and act.name not in functions and label not in functions:
                continue
            fn = getattr(functional, act.name)
            row = dict(base, function=label)
            row["actcore_s"] = best_time(lambda: fn(x, **params, out=o), reps)
            with np.errstate(all="ignore"):
                row["numpy_s"] = best_time(lambda: act.textbook(x, **params), max(3, reps // 4)) \
                    if act.textbook else None
            if torch_mod is not None and act.torch is not None:
                torch, F = torch_mod
                tparams = {k: (float(v) if isinstance(v, np.floating) else v) for k, v in params.items()}
                with torch.no_grad():
                    row["torch_s"] = best_time(lambda: act.torch(torch, F, tx, **tparams), reps)
            else:
                row["torch_s"] = None
            row["onnxruntime_s"] = None
            if onnx_mod is not None:
                sess = _onnx_session(onnx_mod, act, params, n)
                if sess is not None:
                    io = sess.io_binding()
                    io.bind_cpu_input("X", x)
                    io.bind_output("Y", "cpu", 0, np.float32, list(o.shape), o.ctypes.data)
                    row["onnxruntime_s"] = best_time(lambda: sess.run_with_iobinding(io), reps)
                    del sess, io
            rows.append(row)
            if log:
                log(format_row(row))
            gc.collect()
    return rows


def run_backward(functions=None, sizes=DEFAULT_SIZES, threads=None, repeat_base=40, use_torch=True, log=None):
    """grad * f'(x) in one pass, float32, for every function with backward
    kernels, against torch's aten backward op (registry `torch_backward`) on
    the same arrays.  sigmoid and tanh take the forward output, as torch's
    sigmoid_backward / tanh_backward do."""
    threads = threads or actcore.get_num_threads()
    actcore.set_num_threads(threads)
    torch_mod = _torch(threads) if use_torch else None
    rows = []
    rng = np.random.default_rng(1)
    for n in sizes:
        x = (rng.standard_normal(n) * 3).astype(np.float32)
        g = rng.standard_normal(n).astype(np.float32)
        o = np.empty_like(x)
        reps = _repeats(n, repeat_base)
        for label, act, params in variants():
            if functions and act.name not in functions and label not in functions:
                continue
            bwd = getattr(functional, f"{act.name}_backward", None)
            if bwd is None:
                continue
            y = getattr(functional, act.name)(x, **params) if act.output_derivative else None
            if act.name == "prelu":  # also reduces grad_weight
                ours = lambda: bwd(g, x, **params)  # noqa: E731
            elif y is not None:
                ours = lambda: bwd(g, output=y, out=o)  # noqa: E731
            else:
                ours = lambda: bwd(g, x, **params, out=o)  # noqa: E731
            row = {"function": f"{label} backward", "size": n, "threads": threads, "bytes_per_element": 12,
                   "actcore_s": best_time(ours, reps), "numpy_s": None, "torch_s": None, "onnxruntime_s": None}
            if torch_mod is not None and act.torch_backward is not None:
                torch, _ = torch_mod
                tparams = {k: (float(v) if isinstance(v, np.floating) else v) for k, v in params.items()}
                tg, tx = torch.from_numpy(g), torch.from_numpy(x)
                ty = torch.from_numpy(y) if y is not None else None
                theirs = act.torch_backward(torch, tg, tx, ty, **tparams)
                if theirs is not None:
                    row["torch_s"] = best_time(theirs, reps)
            rows.append(row)
            if log:
                log(format_row(row))
            gc.collect()
    return rows


SOFTMAX_SHAPES = ((1024, 1024), (16, 1 << 20), (65536, 64))


def _onnx_softmax_session(ort_opts, op, shape):
    from onnx import TensorProto, helper

    ort, opts = ort_opts
    graph = helper.make_graph([helper.make_node(op, ["X"], ["Y"], axis=-1)], op,
                              [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(shape))],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, list(shape))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = min(model.ir_version, 10)
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])


def run_softmax(shapes=SOFTMAX_SHAPES, threads=None, repeat_base=40, use_torch=True, use_onnx=True, log=None):
    """softmax / log_softmax along the last axis and their backward passes,
    float32, against torch (softmax, log_softmax, and aten's
    _softmax_backward_data / _log_softmax_backward_data) and onnxruntime."""
    threads = threads or actcore.get_num_threads()
    actcore.set_num_threads(threads)
    torch_mod = _torch(threads) if use_torch else None
    onnx_mod = _onnx(threads) if use_onnx else None
    rows = []
    rng = np.random.default_rng(0)
    for shape in shapes:
        n = int(np.prod(shape))
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
        g = rng.standard_normal(shape).astype(np.float32)
        o = np.empty_like(x)
        reps = _repeats(n, repeat_base)
        y, ly = actcore.softmax(x), actcore.log_softmax(x)
        cases = [
            ("softmax", lambda: actcore.softmax(x, out=o), "Softmax",
             lambda torch, t: torch.softmax(t["x"], -1)),
            ("log_softmax", lambda: actcore.log_softmax(x, out=o), "LogSoftmax",
             lambda torch, t: torch.log_softmax(t["x"], -1)),
            ("softmax_backward", lambda: actcore.softmax_backward(g, y, out=o), None,
             lambda torch, t: torch.ops.aten._softmax_backward_data(t["g"], t["y"], -1, torch.float32)),
            ("log_softmax_backward", lambda: actcore.log_softmax_backward(g, ly, out=o), None,
             lambda torch, t: torch.ops.aten._log_softmax_backward_data(t["g"], t["ly"], -1, torch.float32)),
        ]
        for label, ours, onnx_op, theirs in cases:
            row = {"function": f"{label} {shape[0]}x{shape[1]}", "size": n, "threads": threads,
                   "bytes_per_element": 12 if "backward" in label else 8,
                   "actcore_s": best_time(ours, reps), "numpy_s": None, "torch_s": None, "onnxruntime_s": None}
            if torch_mod is not None:
                torch, _ = torch_mod
                t = {k: torch.from_numpy(v) for k, v in (("x", x), ("o", np.empty_like(x)), ("g", g), ("y", y),
                                                        ("ly", ly))}
                row["torch_s"] = best_time(lambda: theirs(torch, t), reps)
            if onnx_mod is not None and onnx_op is not None:
                sess = _onnx_softmax_session(onnx_mod, onnx_op, shape)
                io = sess.io_binding()
                io.bind_cpu_input("X", x)
                io.bind_output("Y", "cpu", 0, np.float32, list(shape), o.ctypes.data)
                row["onnxruntime_s"] = best_time(lambda: sess.run_with_iobinding(io), reps)
            rows.append(row)
            if log:
                log(format_row(row))
    return rows


def _ms(t):
    return "skipped" if t is None else f"{t * 1e3:9.4f}"


def _ratio(t, ours):
    return "      -" if t is None else f"{t / ours:7.2f}"


def format_row(r):
    gbs = r.get("bytes_per_element", 8) * r["size"] / r["actcore_s"] / 1e9
    return (f"{r['function']:32s} {r['size']:>9d} {_ms(r['actcore_s'])} ms {gbs:6.1f} GB/s | x numpy "
            f"{_ratio(r['numpy_s'], r['actcore_s'])} | x torch {_ratio(r['torch_s'], r['actcore_s'])} | "
            f"x onnxruntime {_ratio(r['onnxruntime_s'], r['actcore_s'])}")


HEADER = (f"{'function':32s} {'size':>9s} {'actcore':>12s} {'':9s} | ratio = other time / actcore time "
          f"(> 1: actcore faster)")


def environment(threads):
    info = _config.config()
    libs = {"numpy": np.__version__}
    for mod in ("torch", "onnxruntime"):
        try:
            libs[mod] = __import__(mod).__version__
        except ImportError:
            libs[mod] = "not installed (skipped)"
    return {"python": sys.version.split()[0], "machine": platform.machine(), "processor": platform.processor(),
            "isa": info.get("isa_active"), "cpu_features": info.get("cpu_features"), "threads": threads,
            "actcore": info["actcore"], **libs}


def markdown(rows, env):
    lines = [f"Environment: {json.dumps(env)}", "",
             "| function | size | actcore ms | GB/s | vs NumPy | vs torch | vs onnxruntime |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        def rat(key):
            return "-" if r[key] is None else f"{r[key] / r['actcore_s']:.2f}x"
        lines.append(f"| {r['function']} | {r['size']:,} | {r['actcore_s'] * 1e3:.4f} | "
                     f"{r.get('bytes_per_element', 8) * r['size'] / r['actcore_s'] / 1e9:.1f} | {rat('numpy_s')} | "
                     f"{rat('torch_s')} | "
                     f"{rat('onnxruntime_s')} |")
    return "\n".join(lines)


def summary_lines(rows):
    """Reference figures per size: copy bandwidth and the 4096-element call overhead."""
    out = []
    seen = set()
    for r in rows:
        if r["size"] in seen or "numpy_maximum_s" not in r:
            continue
        seen.add(r["size"])
        line = (f"size {r['size']:>9d}: np.maximum(x, 0, out=o) {r['numpy_maximum_s'] * 1e6:9.2f} us, "
                f"np.copyto {8 * r['size'] / r['numpy_copy_s'] / 1e9:5.1f} GB/s (1 thread)")
        if r["torch_copy_s"]:
            line += f", torch copy_ {8 * r['size'] / r['torch_copy_s'] / 1e9:5.1f} GB/s ({r['threads']} threads)"
        out.append(line)
    return out
