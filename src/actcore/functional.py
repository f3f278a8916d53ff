"""Public activation functions, generated from the registry.

Each function checks its arguments (errors name the argument), then calls
the activation's ufunc, or the backend chosen by `backend=` /
`use_backend()` / ACTCORE_BACKEND.  The source of each function is built
from one template and compiled at import (as dataclasses and namedtuple do),
so every function has a real signature, a docstring from its registry entry
and no generic argument handling on the hot path.
"""
from __future__ import annotations

import linecache

from numpy import ndarray as _ndarray

from . import _dispatch, _registry, _validate

try:
    from . import ufuncs as _ufuncs
except ImportError:  # no C extension: the other backends still work
    _ufuncs = None

__all__ = []

_DTYPE_NOTE = ("float16, float32 and float64 keep their dtype (float16 is computed in float32); "
               "integers and bools are computed in float64")


def _docstring(act):
    lines = [act.doc, "", f"    {act.name}(x) = {act.formula}", "", "Parameters", "----------",
             "x : array_like", f"    Input. {_DTYPE_NOTE}; other dtypes raise TypeError."]
    for p in act.params:
        if p.kind == "choice":
            kind = "{" + ", ".join(repr(c) for c in p.choices) + "}"
        elif p.kind == "array":
            kind = "array_like"
        else:
            kind = "float"
        default = "" if p.default is None else f", default {p.default!r}"
        lines += [f"{p.name} : {kind}{default}", f"    {p.doc[:1].upper() + p.doc[1:]}."]
    lines += ["out : ndarray, optional", "    Where to write the result (any layout; may be x itself).",
              "backend : {None, " + ", ".join(repr(b) for b in _dispatch.KNOWN) + "}, optional",
              "    Implementation to use; None follows actcore.use_backend / ACTCORE_BACKEND.",
              "", "Returns", "-------", "ndarray", "    f(x), same shape as x broadcast with the parameters.",
              "", "Notes", "-----",
              f"Error bound: {act.ulp['float32']:g} ulp (float32), {act.ulp['float64']:g} ulp (float64) "
              "against a float64 / mpmath reference over the whole range.  NaN gives NaN; "
              "+-inf gives the limits.",
              f"The ufunc behind it is actcore.ufuncs.{act.name}."]
    return "\n".join(lines)


def _source(act):
    """Python source of the public function for `act`."""
    sig, checks, kernel_args = ["x"], [], []
    for p in act.params:
        sig.append(p.name if p.default is None else f"{p.name}={p.default!r}")
        if p.kind == "scalar":
            checks.append(f"    {p.name} = _validate.scalar_param(_P_{p.name}, {p.name}, {act.name!r})")
            kernel_args.append(p.name)
        elif p.kind == "array":
            checks.append(f"    {p.name} = _validate.array_param(_P_{p.name}, {p.name}, x, {act.name!r})")
            kernel_args.append(p.name)
        else:
            checks.append(f"    _validate.choice_param(_P_{p.name}, {p.name}, {act.name!r})")
    params_dict = "{" + ", ".join(f"{p.name!r}: {p.name}" for p in act.params) + "}"
    if act.constraints:
        checks.append(f"    _validate.constraints(_ACT, {params_dict}, {act.name!r})")
    if act.choice is not None:
        pick = f"    _uf = _UF[{act.choice.name}]"
    else:
        pick = "    _uf = _UF[None]"
    args = ", ".join(["x"] + kernel_args)
    return "\n".join([
        f"def {act.name}({', '.join(sig)}, *, out=None, backend=None):",
        "    _dev = type(x) is not _ndarray and _dispatch.is_device_array(x)",
        "    if _dev:",
        "        _cast = None",
        "    else:",
        "        x, _cast = _validate.prepare_x(x, " + repr(act.name) + ")",
        *checks,
        "    if out is not None and type(out) is not _ndarray and not _dispatch.is_device_array(out):",
        f"        _validate.check_out(out, {act.name!r})",
        pick,
        "    if backend is None and not _dev and _dispatch.c_is_default():",
        "        if _cast is None:",
        f"            return _uf({args}, out=out)",
        f"        return _uf({args}, out=out, dtype=_cast)",
        f"    return _dispatch.run(_ACT, _uf, x, _cast, {params_dict}, out, backend)",
        "",
    ])


def _variant_ufuncs(act):
    """{choice value or None: ufunc} for the activation (None without the extension)."""
    if act.choice is None:
        return {None: getattr(_ufuncs, act.name, None) if _ufuncs is not None else None}
    if _ufuncs is None:
        return {value: None for value in act.kernel}
    default_kernel = act.kernel_for(**act.defaults())
    return {value: getattr(_ufuncs, act.name if kernel == default_kernel else kernel, None)
            for value, kernel in act.kernel.items()}


def _make(act):
    source = _source(act)
    filename = f"<actcore.functional.{act.name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"_validate": _validate, "_dispatch": _dispatch, "_ACT": act,
                 "_UF": _variant_ufuncs(act), "_ndarray": _ndarray}
    for p in act.params:
        namespace[f"_P_{p.name}"] = p
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated source
    fn = namespace[act.name]
    fn.__doc__ = _docstring(act)
    fn.__module__ = __name__
    fn.__qualname__ = act.name
    return fn


# ---------------------------------------------------------------------------
# derivatives and backward passes
# ---------------------------------------------------------------------------
def _derivative_docstring(act):
    kinks = f" At the break points: {act.kinks} (as torch)." if act.kinks else ""
    return (f"Derivative of actcore.{act.name}: f'(x), elementwise.{kinks}\n\n"
            f"Parameters as for actcore.{act.name}.  The ufunc behind it is "
            f"actcore.ufuncs.{act.name}_derivative.")


def _backward_docstring(act):
    out_form = ("\n\nWith `output=y` (the forward output) instead of x, the gradient is computed from y "
                "(what a training step has kept).") if act.output_derivative else ""
    extra = ("\n\nReturns (grad_input, grad_weight): grad_weight is summed over the axes the weight "
             "was broadcast along, so it has the weight's shape.") if act.name == "prelu" else ""
    return (f"Backward pass of actcore.{act.name}: grad_output * f'(x) in one pass, without a "
            f"temporary f'(x) array (torch's aten::{act.name}_backward).{out_form}{extra}\n\n"
            f"The ufunc behind it is actcore.ufuncs.{act.name}_backward.")


def _derived_source(act, kind):
    """Source of <name>_derivative (kind 'derivative') or <name>_backward ('backward')."""
    fname = f"{act.name}_{kind}"
    sig, checks, kernel_args = [], [], []
    for p in act.params:
        sig.append(p.name if p.default is None else f"{p.name}={p.default!r}")
        if p.kind == "scalar":
            checks.append(f"    {p.name} = _validate.scalar_param(_P_{p.name}, {p.name}, {fname!r})")
            kernel_args.append(p.name)
        elif p.kind == "array":
            checks.append(f"    {p.name} = _validate.array_param(_P_{p.name}, {p.name}, x, {fname!r})")
            kernel_args.append(p.name)
        else:
            checks.append(f"    _validate.choice_param(_P_{p.name}, {p.name}, {fname!r})")
    params_dict = "{" + ", ".join(f"{p.name!r}: {p.name}" for p in act.params) + "}"
    if act.constraints:
        checks.append(f"    _validate.constraints(_ACT, {params_dict}, {fname!r})")
    pick = f"_UF[{act.choice.name}]" if act.choice is not None else "_UF[None]"
    lines = []
    if kind == "derivative":
        lines += [f"def {fname}(x, {', '.join(sig)}, *, out=None, backend=None):".replace("(x, , ", "(x, "),
                  "    _dev = _dispatch.is_device_array(x)",
                  f"    x, _cast = (x, None) if _dev else _validate.prepare_x(x, {fname!r})"]
        call_args = ", ".join(["x"] + kernel_args)
        tail = [f"    _uf = {pick}",
                "    if backend is None and not _dev and _dispatch.c_is_default():",
                f"        return _uf({call_args}, out=out) if _cast is None else _uf({call_args}, out=out, dtype=_cast)",
                f"    return _dispatch.run(_ACT, _uf, x, _cast, {params_dict}, out, backend, kind='derivative')"]
    else:
        xarg = "x=None" if act.output_derivative else "x"  # sigmoid/tanh may take output= instead
        head = f"def {fname}(grad_output, {xarg}, {', '.join(sig)}, *, "
        head += "output=None, " if act.output_derivative else ""
        head += "out=None, backend=None):"
        lines += [head.replace(f"{xarg}, , ", f"{xarg}, ")]
        if act.output_derivative:
            lines += ["    if output is not None:",
                      "        if x is not None:",
                      f"            raise _validate.ParameterError('actcore.{fname}: pass x or output, not both')",
                      f"        return _backward_from_output(_ACT, _UF_OUT, grad_output, output, out, backend, {fname!r})"]
        if act.output_derivative:
            lines += ["    if x is None:",
                      f"        raise _validate.ParameterError('actcore.{fname}: pass x or output')"]
        lines += ["    _dev = _dispatch.is_device_array(x) or _dispatch.is_device_array(grad_output)",
                  "    if _dev:",
                  "        _cast = None",
                  "    else:",
                  f"        grad_output, _gcast = _validate.prepare_x(grad_output, {fname!r})",
                  f"        x, _cast = _validate.prepare_x(x, {fname!r})",
                  "        _cast = _cast or _gcast"]
        call_args = ", ".join(["grad_output", "x"] + kernel_args)
        tail = [f"    _uf = {pick}"]
        if act.name == "prelu":
            tail += [f"    return _prelu_backward(_ACT, _uf, grad_output, x, weight, _cast, out, backend)"]
        else:
            tail += ["    if backend is None and not _dev and _dispatch.c_is_default():",
                     f"        return _uf({call_args}, out=out) if _cast is None else "
                     f"_uf({call_args}, out=out, dtype=_cast)",
                     f"    return _dispatch.run_backward(_ACT, _uf, grad_output, x, _cast, {params_dict}, out, "
                     "backend)"]
    out_check = ["    if out is not None and not _dispatch.is_device_array(out):",
                 f"        _validate.check_out(out, {fname!r})"]
    return "\n".join(lines + checks + out_check + tail + [""])


def _backward_from_output(act, ufunc, grad_output, output, out, backend, func):
    dev = _dispatch.is_device_array(grad_output) or _dispatch.is_device_array(output)
    if dev:
        cast = None
    else:
        grad_output, gcast = _validate.prepare_x(grad_output, func)
        output, ycast = _validate.prepare_x(output, func)
        cast = ycast or gcast
    if out is not None and not _dispatch.is_device_array(out):
        _validate.check_out(out, func)
    if backend is None and not dev and _dispatch.c_is_default():
        return ufunc(grad_output, output, out=out) if cast is None else ufunc(grad_output, output, out=out, dtype=cast)
    return _dispatch.run_backward(act, ufunc, grad_output, output, cast, {}, out, backend, from_output=True)


def _reduce_to_shape(a, shape):
    """Sum `a` over the axes a broadcast to `shape` would have stretched, in
    float64 with NumPy's pairwise summation: the summed axes are moved last
    and made contiguous, so the reduction runs along one contiguous axis
    (pairwise there: error ~log2(n) ulps of the sum of |terms|, where a plain
    accumulation over strided axes grows like n)."""
    import numpy as np
    shape = tuple(shape)
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1)
    if not axes:
        return a.reshape(shape)
    kept = tuple(i for i in range(a.ndim) if i not in axes)
    moved = np.ascontiguousarray(np.transpose(a, kept + axes), dtype=np.float64)
    total = moved.reshape(tuple(a.shape[i] for i in kept) + (-1,)).sum(axis=-1)
    return total.reshape(shape)


_GW_CHUNK = 1 << 15


def _grad_weight_one(g, x):
    """sum(g * x over x <= 0) for a one-element weight (torch's PReLU
    default), in cache-sized chunks: the float64 temporaries of the general
    path cost ~20x more than the sum at 16M elements.  Products in float64
    (exact for float32 input), pairwise sums per chunk, fsum of the chunks."""
    import math

    import numpy as np
    g, x = g.reshape(-1), x.reshape(-1)
    sums = []
    with np.errstate(all="ignore"):
        for s in range(0, g.size, _GW_CHUNK):
            gc = g[s:s + _GW_CHUNK].astype(np.float64)
            xc = x[s:s + _GW_CHUNK]
            prod = np.multiply(gc, np.minimum(xc, 0).astype(np.float64), out=gc)
            if not np.isfinite(prod).all():  # inf/NaN grad where x > 0 takes no part
                np.copyto(prod, 0.0, where=xc > 0)
            sums.append(float(prod.sum()))
    return math.fsum(sums) if all(map(math.isfinite, sums)) else sum(sums)


def _prelu_weight_terms(g64, x64):
    """The terms of prelu's weight gradient, g * x where x <= 0 (NaN x
    included) and 0 where x > 0, for float64 g and x (broadcast together)."""
    import numpy as np
    with np.errstate(all="ignore"):
        # grad * min(x, 0): x > 0 contributes 0 and NaN x propagates; masked
        # forms (ufunc where=, copyto where=) are ~10x slower on random signs.
        # A non-finite grad where x > 0 must still contribute nothing
        # (inf * 0 would be NaN): that rare case takes the masked form.
        contrib = np.multiply(g64, np.minimum(x64, 0.0))
        if not np.isfinite(g64).all():
            np.copyto(contrib, 0.0, where=x64 > 0)
    return contrib


def _prelu_backward(act, ufunc, grad_output, x, weight, cast, out, backend):
    """(grad_input, grad_weight), torch's prelu backward:
    grad_input = grad * (x > 0 ? 1 : weight) (the C leaky_relu_backward kernel
    with weight as an array parameter, one pass);
    grad_weight = sum of grad * x over the elements with x <= 0 (NaN x
    included), reduced over the axes weight was broadcast along, so it has
    weight's shape.  The products are exact in float64 for float32 inputs and
    the sum is pairwise in float64 (see _reduce_to_shape), rounded once to the
    weight's dtype."""
    import numpy as np
    if any(map(_validate.is_dask_array, (grad_output, x, weight))):
        from . import dask  # the same sums as a lazy dask reduction
        return dask.prelu_backward(act, ufunc, grad_output, x, weight, cast, out, backend)
    if backend is None and _dispatch.c_is_default():
        gx = ufunc(grad_output, x, weight, out=out) if cast is None else ufunc(grad_output, x, weight, out=out,
                                                                               dtype=cast)
    else:
        gx = _dispatch.run_backward(act, ufunc, grad_output, x, cast, {"weight": weight}, out, backend)
    if np.size(weight) == 1 and np.shape(grad_output) == np.shape(x):
        gw = np.full(np.shape(weight), _grad_weight_one(np.asarray(grad_output), np.asarray(x)))
        with np.errstate(over="ignore"):
            return gx, gw.astype(np.result_type(gx, weight), copy=False)
    g64 = np.asarray(grad_output, dtype=np.float64)
    x64 = np.asarray(x, dtype=np.float64)
    full = np.broadcast_shapes(g64.shape, x64.shape, np.shape(weight))
    contrib = _prelu_weight_terms(g64, x64)
    gw = _reduce_to_shape(np.broadcast_to(contrib, full), np.shape(weight))
    with np.errstate(over="ignore"):
        gw = gw.astype(np.result_type(gx, weight), copy=False)
    return gx, gw


def _make_derived(act, kind):
    source = _derived_source(act, kind)
    fname = f"{act.name}_{kind}"
    filename = f"<actcore.functional.{fname}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    ufs = {k: (getattr(_ufuncs, f"{v.__name__}_{kind}", None) if v is not None else None)
           for k, v in _variant_ufuncs(act).items()}
    namespace = {"_validate": _validate, "_dispatch": _dispatch, "_ACT": act, "_UF": ufs,
                 "_UF_OUT": getattr(_ufuncs, f"{act.name}_backward_output", None) if _ufuncs else None,
                 "_backward_from_output": _backward_from_output, "_prelu_backward": _prelu_backward}
    for p in act.params:
        namespace[f"_P_{p.name}"] = p
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated source
    fn = namespace[fname]
    fn.__doc__ = _derivative_docstring(act) if kind == "derivative" else _backward_docstring(act)
    fn.__module__ = __name__
    fn.__qualname__ = fname
    return fn


for _act in _registry.ACTIVATIONS:
    globals()[_act.name] = _make(_act)
    __all__.append(_act.name)
    for _alias in _act.aliases:
        globals()[_alias] = globals()[_act.name]
        __all__.append(_alias)
    if _act.c_derivatives:
        for _kind in ("derivative", "backward"):
            _fn = _make_derived(_act, _kind)
            globals()[_fn.__name__] = _fn
            __all__.append(_fn.__name__)
            for _alias in _act.aliases:
                globals()[f"{_alias}_{_kind}"] = _fn
                __all__.append(f"{_alias}_{_kind}")
