"""torch.autograd Functions over actcore's kernels, one per registry entry.

Backward runs the fused <name>_backward kernel (grad * f'(x) in one pass).
What is saved is what that kernel needs and nothing more: the input for
most functions, the input and the weight for prelu, and the output for
sigmoid, tanh, softmax and log_softmax, as torch does.  The output is
usually the next layer's saved input anyway, so keeping it costs no memory,
and the from-output kernels are cheaper (no exp).  The price, for sigmoid
and tanh, is torch's too: f'(x) = y(1 - y) is exact for the rounded y, but
in the saturated tails that rounding dominates (float32 sigmoid'(6) from y
is ~70 ulp off the true slope, torch's ~190; from x it would be within 4).  Saved
tensors are the autograd graph's own (no copy); torch's version counter
then catches an in-place change made between forward and backward.

Backward is not itself differentiable (once_differentiable): a second
derivative raises instead of silently being wrong.
"""
from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable

from . import _registry, functional
from .softmax import log_softmax, log_softmax_backward, softmax, softmax_backward
from ._torch_bridge import compute


def _elementwise(act):
    forward_kernel = getattr(functional, act.name)
    backward_kernel = getattr(functional, act.name + "_backward")
    names = tuple(p.name for p in act.params)
    from_output = act.output_derivative is not None

    def from_y(grad, y, out):
        return backward_kernel(grad, output=y, out=out)

    def forward(ctx, x, *values):
        params = dict(zip(names, values))
        y = compute(forward_kernel, x, x, **params)
        ctx.params = params
        ctx.save_for_backward(y if from_output else x)
        return y

    @once_differentiable
    def backward(ctx, grad):
        saved, = ctx.saved_tensors
        if from_output:
            gx = compute(from_y, saved, grad, saved)
        else:
            gx = compute(backward_kernel, saved, grad, saved, **ctx.params)
        return (gx,) + (None,) * len(names)

    doc = (f"actcore.{act.name} as a torch.autograd.Function: apply(x"
           + "".join(f", {n}" for n in names) + f").  Saves {'the output' if from_output else 'x'}.")
    return _function_class(act.name, forward, backward, doc)


def _function_class(name, forward, backward, doc):
    """A Function subclass named at creation (torch names its grad_fn from
    the class name then: ActcoreGeluBackward)."""
    cls_name = "Actcore" + "".join(part.capitalize() for part in name.split("_"))
    return type(cls_name, (torch.autograd.Function,), {
        "forward": staticmethod(forward), "backward": staticmethod(backward), "__doc__": doc,
        "__module__": __name__})


def _prelu_weight(weight, x):
    """weight viewed to broadcast against x: torch's rule is one slope, or one
    per channel along dim 1."""
    if weight.numel() == 1:
        return weight.reshape(())
    return weight.reshape((-1,) + (1,) * (x.dim() - 2))


class ActcorePrelu(torch.autograd.Function):
    """actcore.prelu as a torch.autograd.Function: apply(x, weight), weight of
    one element or one per channel (dim 1).  Saves x and weight; the weight
    gradient is actcore.prelu_backward's (summed in float64)."""

    @staticmethod
    def forward(ctx, x, weight):
        y = compute(functional.prelu, x, x, _prelu_weight(weight, x))
        ctx.save_for_backward(x, weight)
        return y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        gw = []

        def both(g, xa, w, out):
            gw.append(functional.prelu_backward(g, xa, w, out=out)[1])

        gx = compute(both, x, grad, x, _prelu_weight(weight, x))
        grad_weight = torch.from_numpy(gw[0].reshape(weight.shape)).to(weight.dtype)
        return gx, grad_weight


def _softmax_function(log):
    forward_kernel = log_softmax if log else softmax
    backward_kernel = log_softmax_backward if log else softmax_backward

    def forward(ctx, x, dim):
        y = compute(forward_kernel, x, x, axis=dim)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @once_differentiable
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return compute(backward_kernel, y, grad, y, axis=ctx.dim), None

    name = "log_softmax" if log else "softmax"
    doc = (f"actcore.{name} as a torch.autograd.Function: apply(x, dim).  Saves the output; "
           f"backward is actcore.{name}_backward.")
    return _function_class(name, forward, backward, doc)


FUNCTIONS = {act.name: _elementwise(act) for act in _registry.ACTIVATIONS if act.name != "prelu"}
FUNCTIONS["prelu"] = ActcorePrelu
FUNCTIONS["softmax"] = _softmax_function(log=False)
FUNCTIONS["log_softmax"] = _softmax_function(log=True)

__all__ = ["FUNCTIONS"]
