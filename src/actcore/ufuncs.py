"""The real NumPy ufuncs behind actcore's functions.

One ufunc per activation, named like it (`ufuncs.gelu` is the erf form,
`ufuncs.gelu_tanh` the tanh form; `ufuncs.swish` is `ufuncs.silu`).
Parameters are extra inputs after x, broadcast like any ufunc operand, so a
scalar parameter is a stride-0 constant and prelu's per-channel weight is
plain broadcasting:

    >>> ufuncs.leaky_relu(x, 0.1)
    >>> ufuncs.prelu(x, w[:, None, None])      # x: (N, C, H, W), w: (C,)

They support out=, where=, dtype=, broadcasting, reduce-free ufunc
machinery and __array_ufunc__ overrides (dask arrays stay lazy).  They do
no validation: use the functions in `actcore` for checked parameters.
Each ufunc is importable as actcore.ufuncs.<its name>, which is also how
NumPy pickles it (to dask workers, multiprocessing).
"""
from __future__ import annotations

from . import _registry
from ._core import build_ufuncs


def _ufunc_doc(act, kernel):
    params = ", ".join(p.name for p in act.kernel_params)
    variant = ""
    if act.choice is not None:
        value = next(k for k, v in act.kernel.items() if v == kernel)
        variant = f" ({act.choice.name}={value!r})"
    args = f"x, {params}" if params else "x"
    return (f"{act.doc}{variant}\n\n    {act.formula}\n\nInputs: {args} (broadcast together). "
            f"Unvalidated; see actcore.{act.name} for the checked function.")


_SUFFIX_DOC = {"_derivative": "f'(x)", "_backward": "grad_output * f'(x) (inputs: grad_output, x, params)",
               "_backward_output": "grad_output * f'(x) computed from the forward output y "
                                   "(inputs: grad_output, y)"}


def _specs():
    seen = set()
    for act in _registry.ACTIVATIONS:
        default_kernel = act.kernel_for(**act.defaults())
        for name, kernel in [(act.name, default_kernel)] + [(k, k) for k in act.kernel_names() if k != default_kernel]:
            if name in seen:
                continue
            seen.add(name)
            yield name, kernel, _ufunc_doc(act, kernel)
            if act.c_derivatives:
                suffixes = ["_derivative", "_backward"] + (["_backward_output"] if act.output_derivative else [])
                for sfx in suffixes:
                    yield name + sfx, kernel + sfx, f"{act.name}{sfx}: {_SUFFIX_DOC[sfx]}.  Unvalidated; " \
                                                    f"see actcore.{act.name}{sfx.replace('_output', '')}."


_UFUNCS = build_ufuncs(list(_specs()))
globals().update(_UFUNCS)
for _act in _registry.ACTIVATIONS:
    for _alias in _act.aliases:
        globals()[_alias] = _UFUNCS[_act.name]

from .softmax import _GUFUNCS  # noqa: E402 - the softmax gufuncs live here too, for pickling

softmax = _GUFUNCS["softmax"]
log_softmax = _GUFUNCS["log_softmax"]
softmax_backward = _GUFUNCS["softmax_backward"]
log_softmax_backward = _GUFUNCS["log_softmax_backward"]

__all__ = sorted(set(_UFUNCS) | {a for act in _registry.ACTIVATIONS for a in act.aliases} | set(_GUFUNCS))
