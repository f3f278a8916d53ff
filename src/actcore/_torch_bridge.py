"""Tensors in and out of actcore's ufuncs, for actcore.torch.

The kernels read a CPU tensor's memory through a NumPy view (any strides,
no copy) and write into the memory of a tensor allocated here, so a result
never passes through a NumPy-owned buffer.  bfloat16 has no NumPy type: it
is computed in float32 and rounded back, which is what torch's own CPU
kernels do for it.  Other devices and dtypes are refused (TypeError naming
the argument): silently computing a CUDA tensor on the CPU would hide two
copies, and torch's activations are not defined for integers either.
"""
from __future__ import annotations

import torch

_AS_IS = (torch.float16, torch.float32, torch.float64)  # dtypes NumPy and the ufuncs share
_SUPPORTED = "float16, bfloat16, float32 or float64"


def check(t, func, arg="input"):
    """Raise TypeError unless `t` is a strided CPU tensor of a float dtype actcore computes."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"actcore.torch.{func}: {arg} must be a torch.Tensor, got {type(t).__name__}")
    if t.device.type != "cpu":
        raise TypeError(f"actcore.torch.{func}: {arg} is on device {t.device}; actcore computes CPU tensors "
                        f"only (use torch's own function there, or move the tensor with .cpu())")
    if t.layout != torch.strided:
        raise TypeError(f"actcore.torch.{func}: {arg} has layout {t.layout}; expected a dense (strided) tensor")
    if t.dtype not in _AS_IS and t.dtype != torch.bfloat16:
        raise TypeError(f"actcore.torch.{func}: {arg} has dtype {t.dtype}; expected {_SUPPORTED}")


def as_array(t):
    """NumPy view of a checked tensor's memory, strides included (bfloat16: a float32 copy).

    force=True detaches and resolves a negated view; for a plain CPU tensor
    it shares memory like .numpy()."""
    if t.dtype == torch.bfloat16:
        return t.detach().float().numpy()
    return t.numpy(force=True)


def compute(fn, like, *tensors, **kwargs):
    """fn(*arrays of tensors, **kwargs, out=<view of a new tensor>) -> that tensor.

    The result has `like`'s shape and dtype and, for a dense input, its
    strides (torch.empty_like keeps the memory format), as torch's
    elementwise ops give."""
    arrays = [as_array(t) for t in tensors]
    if like.dtype == torch.bfloat16:
        out = torch.empty_like(like, dtype=torch.float32)
        fn(*arrays, **kwargs, out=out.numpy())
        return out.to(torch.bfloat16)
    out = torch.empty_like(like)
    fn(*arrays, **kwargs, out=out.numpy())
    return out
