"""PyTorch modules and functions computed by actcore's kernels.

    import actcore.torch as at
    model = at.replace_activations(model)     # nn.GELU -> at.GELU, ... in place
    y = at.gelu(x, approximate="tanh")         # like torch.nn.functional.gelu
    at.PReLU(num_parameters=64)                # learnable weight, torch's state_dict keys

Importing this module imports torch; `import actcore` never does.  Every
activation in actcore's registry has an nn.Module named and constructed as
in torch.nn (GELU, SiLU, Mish, Sigmoid, Tanh, ReLU, ReLU6, LeakyReLU, PReLU,
ELU, SELU, CELU, Hardswish, Hardsigmoid, Hardtanh, Softplus, Softsign,
LogSigmoid, Softmax, LogSoftmax, plus QuickGELU, which torch lacks) and a
function named as in torch.nn.functional (and as in actcore: log_sigmoid
and logsigmoid are both there).  Parameters torch does not have (silu's
beta) are keyword-only, so torch's positional arguments keep their meaning.
The autograd Functions behind them are in `FUNCTIONS` (by actcore name).

Tensors: CPU float32/float64/float16 tensors are read through a NumPy
view of their memory (no copy, any strides; float16 is computed in float32
inside the kernel, as torch does); bfloat16 computed in float32 and
rounded back; a tensor on another device, a sparse tensor or an integer
dtype raises TypeError naming the argument.  Gradients flow through the
fused actcore backward kernels; a second derivative raises (the backward
is not differentiable).  `inplace=True` is accepted so torch code keeps
working, but the result is always a new tensor and the input is unchanged.
Threads: actcore's pool is its own (actcore.set_num_threads); inside a
torch model on few cores its worker competes with torch's spinning OpenMP
workers, and actcore.set_num_threads(1) can be the faster setting
(BENCHMARKS.md, "PyTorch MLP").

Where the results differ from torch's, torch is the one that is wrong:
  - gelu(+inf) = +inf and gelu(-inf) = 0 (the limits); torch gives NaN
    for both with the erf form and for -inf with the tanh form (inf * 0
    inside its formulas).
  - gelu(x, approximate="tanh") in the negative tail: 1 + tanh cancels in
    torch's formula, 30% off at x = -5 and -0.0 from x = -6 in float32
    (from -8 in float64); actcore keeps the tiny negative value, within the
    registry's ulp budget.
  - softmax / log_softmax of a row that is all -inf: torch gives NaN,
    actcore 0 (softmax) and -inf (log_softmax), the "safe softmax"
    attention masks need; the gradient through such a row is 0.
Elsewhere actcore's float32 results are within the registry's bounds of
torch's float64 ones (0-2 ulp forward, 4.5 ulp backward; sigmoid's and
tanh's gradients come from the rounded output, as torch's do), and the
derivative at each break point follows torch's convention.
"""
from __future__ import annotations

import inspect
import warnings

import torch
from torch import nn

from . import _registry, _validate, functional
from .softmax import log_softmax as _log_softmax_kernel, softmax as _softmax_kernel
from ._torch_autograd import FUNCTIONS
from ._torch_bridge import check, compute

# actcore name -> (torch.nn class name, torch.nn.functional name, whether
# torch's module and function take `inplace`).  QuickGELU has no torch
# counterpart; its name follows torch's spelling of GELU.
_TORCH_NAMES = {
    "sigmoid": ("Sigmoid", "sigmoid", False),
    "tanh": ("Tanh", "tanh", False),
    "relu": ("ReLU", "relu", True),
    "relu6": ("ReLU6", "relu6", True),
    "leaky_relu": ("LeakyReLU", "leaky_relu", True),
    "elu": ("ELU", "elu", True),
    "selu": ("SELU", "selu", True),
    "celu": ("CELU", "celu", True),
    "gelu": ("GELU", "gelu", False),
    "quick_gelu": ("QuickGELU", "quick_gelu", False),
    "silu": ("SiLU", "silu", True),
    "hardswish": ("Hardswish", "hardswish", True),
    "hardsigmoid": ("Hardsigmoid", "hardsigmoid", True),
    "hardtanh": ("Hardtanh", "hardtanh", True),
    "mish": ("Mish", "mish", True),
    "softplus": ("Softplus", "softplus", False),
    "softsign": ("Softsign", "softsign", False),
    "log_sigmoid": ("LogSigmoid", "logsigmoid", False),
}
# registry parameters torch's signature lacks
_KEYWORD_ONLY = {"silu": ("beta",)}

_KERNELS = {act.name: getattr(functional, act.name) for act in _registry.ACTIVATIONS}
_KERNELS["softmax"], _KERNELS["log_softmax"] = _softmax_kernel, _log_softmax_kernel

__all__ = ["FUNCTIONS", "replace_activations", "PReLU", "Softmax", "LogSoftmax", "prelu", "softmax",
           "log_softmax", "swish"]


def _run(name, input, values, func):
    """The activation of a checked tensor: through autograd when a gradient is
    wanted, straight to the kernel otherwise (no graph bookkeeping)."""
    check(input, func)
    if input.requires_grad and torch.is_grad_enabled():
        return FUNCTIONS[name].apply(input, *values.values())
    return compute(_KERNELS[name], input, input, **values)


# ---------------------------------------------------------------------------
# signatures: torch's positional order, registry defaults
# ---------------------------------------------------------------------------
def _arguments(act, inplace):
    """(positional names, keyword-only names, defaults) after `input`."""
    extra = _KEYWORD_ONLY.get(act.name, ())
    positional = [p.name for p in act.params if p.name not in extra] + (["inplace"] if inplace else [])
    defaults = {**act.defaults(), **({"inplace": False} if inplace else {})}
    return positional, list(extra), defaults


def _signature(positional, keyword_only, defaults, first=None):
    kind = inspect.Parameter
    params = [kind("self", kind.POSITIONAL_OR_KEYWORD)] if first is None else [first]
    params += [kind(n, kind.POSITIONAL_OR_KEYWORD, default=defaults[n]) for n in positional]
    params += [kind(n, kind.KEYWORD_ONLY, default=defaults[n]) for n in keyword_only]
    return inspect.Signature(params)


def _binder(qualname, positional, keyword_only, defaults):
    allowed = set(positional) | set(keyword_only)

    def bind(args, kwargs):
        if len(args) > len(positional):
            raise TypeError(f"{qualname}() takes {len(positional)} positional argument(s) after input, "
                            f"got {len(args)}")
        values = dict(defaults)
        values.update(zip(positional, args))
        for k, v in kwargs.items():
            if k not in allowed:
                raise TypeError(f"{qualname}() got an unexpected keyword argument {k!r}")
            if k in positional[:len(args)]:
                raise TypeError(f"{qualname}() got multiple values for argument {k!r}")
            values[k] = v
        return values

    return bind


def _validated(act, values, func):
    """Registry checks at construction, so a bad module fails where it is built."""
    for p in act.params:
        if p.kind == "scalar":
            _validate.scalar_param(p, values[p.name], func)
        elif p.kind == "choice":
            _validate.choice_param(p, values[p.name], func)
    if act.constraints:
        checked = {p.name: float(values[p.name]) for p in act.params if p.kind == "scalar"}
        _validate.constraints(act, checked, func)


# ---------------------------------------------------------------------------
# elementwise activations: a function and a module per registry entry
# ---------------------------------------------------------------------------
def _make_function(act, fname, inplace):
    positional, keyword_only, defaults = _arguments(act, inplace)
    bind = _binder(f"actcore.torch.{fname}", positional, keyword_only, defaults)
    names = [p.name for p in act.params]

    def fn(input, *args, **kwargs):
        values = bind(args, kwargs)
        return _run(act.name, input, {n: values[n] for n in names}, fname)

    fn.__name__ = fn.__qualname__ = fname
    fn.__module__ = __name__
    fn.__signature__ = _signature(positional, keyword_only, defaults,
                                  first=inspect.Parameter("input", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    fn.__doc__ = (f"{act.doc}  actcore.{act.name} on a CPU tensor, with autograd "
                  f"(as torch.nn.functional.{fname} where torch has it).\n\n    {act.name}(x) = {act.formula}")
    return fn


def _make_module(act, cls_name, inplace):
    positional, keyword_only, defaults = _arguments(act, inplace)
    bind = _binder(f"actcore.torch.{cls_name}", positional, keyword_only, defaults)
    names = [p.name for p in act.params]

    def __init__(self, *args, **kwargs):
        nn.Module.__init__(self)
        values = bind(args, kwargs)
        _validated(act, values, f"torch.{cls_name}")
        for k, v in values.items():
            setattr(self, k, v)

    def forward(self, input):
        return _run(act.name, input, {n: getattr(self, n) for n in names}, cls_name)

    def extra_repr(self):
        shown = [f"{n}={getattr(self, n)!r}" for n in names]
        return ", ".join(shown + (["inplace=True"] if getattr(self, "inplace", False) else []))

    __init__.__signature__ = _signature(positional, keyword_only, defaults)
    doc = (f"{act.doc}  Drop-in for torch.nn.{cls_name}, computed by actcore.{act.name}.\n\n"
           f"    {act.name}(x) = {act.formula}")
    if inplace:
        doc += "\n\ninplace is accepted for torch compatibility; the result is always a new tensor."
    return type(cls_name, (nn.Module,), {"__init__": __init__, "forward": forward, "extra_repr": extra_repr,
                                         "__doc__": doc, "__module__": __name__})


for _act in _registry.ACTIVATIONS:
    if _act.name == "prelu":
        continue
    _cls_name, _fname, _inplace = _TORCH_NAMES[_act.name]
    globals()[_cls_name] = _make_module(_act, _cls_name, _inplace)
    for _name in dict.fromkeys((_fname, _act.name)):
        globals()[_name] = _make_function(_act, _name, _inplace)
        __all__.append(_name)
    __all__.append(_cls_name)
swish = globals()["silu"]


# ---------------------------------------------------------------------------
# prelu: a learnable weight
# ---------------------------------------------------------------------------
def prelu(input, weight):
    """Parametric ReLU on a CPU tensor, with gradients for input and weight
    (torch.nn.functional.prelu): weight has one element, or one per channel
    (input's dim 1)."""
    check(input, "prelu")
    check(weight, "prelu", "weight")
    n = weight.numel()
    if n != 1 and (input.dim() < 2 or input.shape[1] != n):
        channels = "no channel dim" if input.dim() < 2 else f"{input.shape[1]} channels (dim 1)"
        raise ValueError(f"actcore.torch.prelu: weight has {n} elements; expected 1 or one per channel, "
                         f"and input of shape {tuple(input.shape)} has {channels}")
    if torch.is_grad_enabled() and (input.requires_grad or weight.requires_grad):
        return FUNCTIONS["prelu"].apply(input, weight)
    w = weight.reshape(()) if n == 1 else weight.reshape((-1,) + (1,) * (input.dim() - 2))
    return compute(functional.prelu, input, input, w)


class PReLU(nn.Module):
    """Drop-in for torch.nn.PReLU: x if x > 0 else weight * x, weight learned
    (one slope, or one per channel), with the same parameter name and shape,
    so torch's PReLU state_dict loads as is."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"actcore.torch.PReLU: num_parameters must be an integer >= 1, got {num_parameters!r}")
        self.num_parameters = num_parameters
        self.init = _validate.scalar_param(_registry.Param("init"), init, "torch.PReLU")
        self.weight = nn.Parameter(torch.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.constant_(self.weight, self.init)

    def forward(self, input):
        return prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


# ---------------------------------------------------------------------------
# softmax / log_softmax along a dim
# ---------------------------------------------------------------------------
def _softmax_run(name, input, dim, dtype, stacklevel):
    check(input, name)
    if dtype is not None:
        input = input.to(dtype)
        check(input, name, "input converted to dtype")
    if dim is None:
        # torch's deprecated implicit choice, kept so old models load and run the same
        dim = 0 if input.dim() in (0, 1, 3) else 1
        warnings.warn(f"actcore.torch.{name}: dim=None picks dim={dim} (torch's deprecated implicit choice); "
                      "pass dim explicitly", UserWarning, stacklevel=stacklevel)
    if input.requires_grad and torch.is_grad_enabled():
        return FUNCTIONS[name].apply(input, dim)
    return compute(_KERNELS[name], input, input, axis=dim)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Softmax along `dim` on a CPU tensor, with autograd (torch.nn.functional.softmax).
    A row that is all -inf gives zeros (torch: NaN).  dtype converts the input first."""
    return _softmax_run("softmax", input, dim, dtype, _stacklevel)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax) along `dim` on a CPU tensor, with autograd (torch.nn.functional.log_softmax);
    exact for peaked rows.  A row that is all -inf gives -inf (torch: NaN)."""
    return _softmax_run("log_softmax", input, dim, dtype, _stacklevel)


class _AlongDim(nn.Module):
    """A module that applies `_function` along `dim` (Softmax, LogSoftmax)."""

    _function = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return type(self)._function(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """Drop-in for torch.nn.Softmax(dim), computed by actcore.softmax."""

    _function = staticmethod(softmax)


class LogSoftmax(_AlongDim):
    """Drop-in for torch.nn.LogSoftmax(dim), computed by actcore.log_softmax."""

    _function = staticmethod(log_softmax)


# ---------------------------------------------------------------------------
# swapping torch's modules for these
# ---------------------------------------------------------------------------
def _replacements():
    """{torch.nn class: actcore.torch class}, exact classes only (torch's
    ReLU6 subclasses Hardtanh, and a user's subclass may change behaviour)."""
    pairs = {getattr(nn, cls): globals()[cls] for cls, _, _ in _TORCH_NAMES.values() if hasattr(nn, cls)}
    pairs.update({nn.PReLU: PReLU, nn.Softmax: Softmax, nn.LogSoftmax: LogSoftmax})
    return pairs


def _convert(module, pairs):
    cls = pairs.get(type(module))
    if cls is None:
        return None
    if cls is PReLU:
        new = PReLU(module.num_parameters, float(module.init))
        new.weight = module.weight  # the same Parameter: an optimizer built on the model keeps working
    else:
        names = inspect.signature(cls).parameters
        new = cls(**{n: getattr(module, n) for n in names if hasattr(module, n)})
    return new.train(module.training)


def replace_activations(model):
    """Replace every torch.nn activation module in `model` (GELU, SiLU, ReLU,
    PReLU, Softmax, ...: the classes actcore.torch mirrors) by actcore.torch's,
    with the same arguments, in place, and return the model (the replacement
    itself when `model` is one such module).  PReLU keeps its weight
    Parameter object.  Calls to torch.nn.functional inside a forward method
    are not changed."""
    pairs = _replacements()
    top = _convert(model, pairs)
    if top is not None:
        return top
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            new = _convert(child, pairs)
            if new is not None:
                setattr(parent, name, new)
    return model
