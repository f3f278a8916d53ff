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
        "    x, _cast = _validate.prepare_x(x, " + repr(act.name) + ")",
        *checks,
        f"    _validate.check_out(out, {act.name!r})",
        pick,
        "    if backend is None and _dispatch.c_is_default():",
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
                 "_UF": _variant_ufuncs(act)}
    for p in act.params:
        namespace[f"_P_{p.name}"] = p
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated source
    fn = namespace[act.name]
    fn.__doc__ = _docstring(act)
    fn.__module__ = __name__
    fn.__qualname__ = act.name
    return fn


for _act in _registry.ACTIVATIONS:
    globals()[_act.name] = _make(_act)
    __all__.append(_act.name)
    for _alias in _act.aliases:
        globals()[_alias] = globals()[_act.name]
        __all__.append(_alias)
