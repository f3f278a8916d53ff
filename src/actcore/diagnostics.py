"""Training diagnostics for activations, computed with actcore's own kernels.

    >>> from actcore import diagnostics as dx
    >>> dx.dead_fraction(h)                          # units that are 0 for every sample
    >>> dx.dead_fraction({"fc1": h1, "fc2": h2})     # per layer
    >>> dx.saturation_fraction(z, "sigmoid", threshold=0.01)
    >>> dx.gradient_flow("sigmoid", depth=10).weight_grad_norms   # vanishes with depth

Every fact about an activation (its name, parameters, defaults, derivative)
comes from the registry (actcore._registry).  Forward passes call the public
function; derivatives and backward passes call `actcore.<name>_derivative` /
`actcore.<name>_backward` where the C kernels export them and otherwise the
registry's float64 derivative reference, so each diagnostic works for every
activation and gets faster as C derivative kernels are added.

Imports only NumPy: matplotlib belongs to actcore.plot.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from . import _registry
from . import functional as _functional

__all__ = ["resolve", "forward", "derivative", "backward", "dead_units", "dead_fraction", "sparsity",
           "saturation_fraction", "gradient_flow", "GradientFlow", "INITS"]


# ---------------------------------------------------------------------------
# the activation as three callables, from the registry
# ---------------------------------------------------------------------------
def resolve(name, params=None):
    """(registry entry, full parameter dict) for `name` (aliases accepted).

    Parameters the caller leaves out take the registry's default.  A required
    parameter without a default (prelu's weight) must be given: there is no
    value a diagnostic could invent for it.
    """
    act = _registry.lookup(name)
    full = act.defaults()
    full.update(params or {})
    missing = [p.name for p in act.params if p.name not in full]
    if missing:
        raise TypeError(f"actcore.diagnostics: {act.name} needs {', '.join(missing)} (no default in the registry)")
    unknown = set(full) - {p.name for p in act.params}
    if unknown:
        raise TypeError(f"actcore.diagnostics: {act.name} has no parameter(s) {', '.join(sorted(unknown))}")
    return act, full


def forward(name, x, **params):
    """f(x) with the public actcore function (C kernels)."""
    act, params = resolve(name, params)
    return getattr(_functional, act.name)(x, **params)


def _fast(act, kind):
    # Looked up on every call, not cached: the C derivative kernels are being
    # added activation by activation, and a rebuilt extension picks them up.
    return getattr(_functional, f"{act.name}_{kind}", None)


def _reference_derivative(act, x, params):
    """The registry's float64 f'(x), in x's float dtype.

    The reference is defined on finite inputs only; +-inf take the
    registry's derivative limits and NaN stays NaN, as the C kernels do.
    """
    x = np.asarray(x)
    dtype = x.dtype if x.dtype in (np.float16, np.float32, np.float64) else np.dtype(np.float64)
    x64 = x.astype(np.float64)
    finite = np.isfinite(x64)
    with np.errstate(all="ignore"):
        d = np.asarray(act.derivative(np.where(finite, x64, 0.0), **params), dtype=np.float64)
    d = np.broadcast_to(d, np.broadcast_shapes(d.shape, x64.shape)).copy()
    if not finite.all():
        lo, hi = (act.derivative_limits(**params) if act.derivative_limits is not None
                  else (math.nan, math.nan))
        lo = np.broadcast_to(np.asarray(lo, dtype=np.float64), d.shape)
        hi = np.broadcast_to(np.asarray(hi, dtype=np.float64), d.shape)
        xb = np.broadcast_to(x64, d.shape)
        d = np.where(xb == -np.inf, lo, np.where(xb == np.inf, hi, np.where(np.isnan(xb), np.nan, d)))
    return d.astype(dtype, copy=False)


def derivative(name, x, **params):
    """f'(x): the C derivative kernel where it exists, else the registry's reference."""
    act, params = resolve(name, params)
    fast = _fast(act, "derivative")
    if fast is not None:
        return fast(x, **params)
    if act.derivative is None:
        raise NotImplementedError(f"actcore.diagnostics: the registry has no derivative for {act.name}")
    return _reference_derivative(act, x, params)


def backward(name, grad_output, x, **params):
    """grad_output * f'(x): the fused C backward kernel where it exists, else
    grad_output times the reference derivative.  Returns the input gradient
    only (prelu's weight gradient is dropped)."""
    act, params = resolve(name, params)
    fast = _fast(act, "backward")
    if fast is not None:
        g = fast(grad_output, x, **params)
        return g[0] if isinstance(g, tuple) else g  # prelu: (grad_input, grad_weight)
    if act.derivative is None:
        raise NotImplementedError(f"actcore.diagnostics: the registry has no derivative for {act.name}")
    d = _reference_derivative(act, x, params)
    grad_output = np.asarray(grad_output)
    return np.multiply(grad_output, d, dtype=np.result_type(grad_output, d))


# ---------------------------------------------------------------------------
# dead units, sparsity, saturation
# ---------------------------------------------------------------------------
def _per_layer(fn, data, **kw):
    """Apply fn to one array, or to each value of a mapping (layer name -> array)."""
    if isinstance(data, dict):
        return {k: fn(v, **kw) for k, v in data.items()}
    return fn(data, **kw)


def _dead_mask(a, axis=0, atol=0.0):
    a = np.asarray(a)
    if a.ndim == 0:
        raise ValueError("actcore.diagnostics: activations must have a sample axis")
    # NaN is not "zero": a NaN unit is broken, not dead, and is reported as alive.
    return np.all(np.abs(a) <= atol, axis=axis)


def dead_units(activations, axis=0, atol=0.0):
    """Boolean mask of the units that are zero (|a| <= atol) for every sample.

    `axis` is the sample axis (or a tuple of axes: batch and spatial
    positions of a conv layer); the mask has the remaining axes.  Given a
    dict of layer outputs, returns a dict of masks.
    """
    return _per_layer(_dead_mask, activations, axis=axis, atol=atol)


def _dead_fraction_one(a, axis=0, atol=0.0):
    return float(np.mean(_dead_mask(a, axis=axis, atol=atol)))


def dead_fraction(activations, axis=0, atol=0.0):
    """Fraction of units that are zero for every sample along `axis`.

    A ReLU unit whose pre-activation is negative on the whole data set gets no
    gradient and never recovers: this counts them.  `activations` is one
    layer's output (samples along `axis`) or a dict {layer: output}, which
    gives {layer: fraction}.
    """
    return _per_layer(_dead_fraction_one, activations, axis=axis, atol=atol)


def _sparsity_one(a, atol=0.0):
    a = np.asarray(a)
    return float(np.mean(np.abs(a) <= atol)) if a.size else math.nan


def sparsity(activations, atol=0.0):
    """Fraction of all activation values that are zero (|a| <= atol); per
    layer for a dict.  Unlike dead_fraction, a unit that is zero on half the
    samples contributes half of its entries."""
    return _per_layer(_sparsity_one, activations, atol=atol)


def _saturation_one(z, name, threshold, axis, params):
    d = np.abs(derivative(name, np.asarray(z), **params))
    flat = d < threshold
    if axis is not None:
        flat = np.all(flat, axis=axis)
    return float(np.mean(flat))


def saturation_fraction(pre_activations, name="sigmoid", threshold=0.01, axis=None, **params):
    """Share of pre-activations in the flat region of `name`: |f'(z)| < threshold.

    For sigmoid (f' <= 0.25) and tanh (f' <= 1) those are the units that pass
    almost no gradient back.  With axis=None every value counts on its own;
    with a sample axis, the share of units that are flat for every sample.
    Works for any activation (for relu it is the share of z < 0).  A dict
    {layer: pre-activations} gives {layer: fraction}.
    """
    return _per_layer(_saturation_one, pre_activations, name=name, threshold=threshold, axis=axis,
                      params=params)


# ---------------------------------------------------------------------------
# gradient flow through a random deep MLP
# ---------------------------------------------------------------------------
# Weight scale: std = gain / sqrt(fan) for a square layer.  He keeps the
# forward variance of ReLU nets (2 / fan_in); Xavier (Glorot) balances forward
# and backward variance of tanh-like nets (2 / (fan_in + fan_out)).
INITS = {
    "he": lambda fan_in, fan_out: math.sqrt(2.0 / fan_in),
    "xavier": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
}


@dataclass
class GradientFlow:
    """Per-layer statistics of one backward pass through a random MLP.

    Layers are numbered 1..depth from the input.  Index l-1 of each
    per-layer array belongs to layer l.
    """

    name: str
    params: dict
    init: str
    depth: int
    width: int
    batch: int
    weight_grad_norms: np.ndarray     # ||dL/dW_l||_F
    input_grad_norms: np.ndarray      # ||dL/dh_{l-1}||_F: the gradient w.r.t. layer l's input
    activation_std: np.ndarray        # std of h_l = f(h_{l-1} W_l)
    max_derivative: np.ndarray        # max |f'(z_l)| seen in layer l
    output_grad_norm: float = 1.0     # ||dL/dh_depth||_F (the upstream gradient, normalised to 1)
    weights: list = field(default_factory=list, repr=False)  # W_1..W_depth, for weight_norms

    @functools.cached_property
    def weight_norms(self):
        """Spectral norms ||W_l||_2, what bounds the gradient's growth per layer.
        Computed on first use: an SVD per layer costs more than the whole pass."""
        return np.array([float(np.linalg.norm(np.asarray(w, dtype=np.float64), 2)) for w in self.weights])

    @property
    def ratio(self):
        """First layer's weight-gradient norm over the last's: << 1 is a vanishing gradient."""
        return float(self.weight_grad_norms[0] / self.weight_grad_norms[-1])

    @property
    def label(self):
        return f"{self.name} ({self.init})"


def gradient_flow(name="sigmoid", depth=10, width=256, init="he", batch=128, seed=0, dtype=np.float32,
                  **params):
    """Per-layer gradient norms of a random `depth`-layer MLP through `name`.

    h_0 ~ N(0, 1) of shape (batch, width); h_l = f(h_{l-1} @ W_l) with
    W_l ~ N(0, s^2), s from `init` ("he" or "xavier"); no biases.  The
    upstream gradient dL/dh_depth is a random direction of norm 1 (a random
    linear read-out), so the norms are the network's own amplification.  The
    forward pass uses actcore's forward kernels, the backward pass its
    backward kernels (or the registry's derivative where no kernel exists
    yet), and NumPy matmul.

    Because |f'| <= c (0.25 for sigmoid),
    ||dL/dh_0|| <= prod_l (c ||W_l||_2) * ||dL/dh_depth||, a bound the
    result's weight_norms (spectral) and input_grad_norms let you check.
    """
    act, params = resolve(name, params)
    if init not in INITS:
        raise ValueError(f"actcore.diagnostics.gradient_flow: init must be one of {', '.join(INITS)}, got {init!r}")
    if depth < 1 or width < 1 or batch < 1:
        raise ValueError("actcore.diagnostics.gradient_flow: depth, width and batch must be >= 1")
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    scale = INITS[init](width, width)
    weights = [(rng.standard_normal((width, width)) * scale).astype(dtype) for _ in range(depth)]
    h = rng.standard_normal((batch, width)).astype(dtype)

    # forward: keep each layer's input h_{l-1} and pre-activation z_l for the backward pass
    inputs, pre, std = [], [], []
    for w in weights:
        inputs.append(h)
        z = h @ w
        h = forward(act.name, z, **params)
        pre.append(z)
        std.append(float(np.std(h)))

    g = rng.standard_normal(h.shape)
    g = (g / np.linalg.norm(g)).astype(dtype)
    out_norm = float(np.linalg.norm(g))
    wgrad, igrad, dmax = np.empty(depth), np.empty(depth), np.empty(depth)
    for l in range(depth - 1, -1, -1):
        gz = backward(act.name, g, pre[l], **params)          # dL/dz_l = dL/dh_l * f'(z_l)
        dmax[l] = float(np.max(np.abs(derivative(act.name, pre[l], **params))))
        wgrad[l] = float(np.linalg.norm(inputs[l].T @ gz))   # dL/dW_l = h_{l-1}^T dL/dz_l
        g = gz @ weights[l].T                                 # dL/dh_{l-1}
        igrad[l] = float(np.linalg.norm(g))
    return GradientFlow(name=act.name, params=params, init=init, depth=depth, width=width, batch=batch,
                        weight_grad_norms=wgrad, input_grad_norms=igrad, activation_std=np.array(std),
                        max_derivative=dmax, output_grad_norm=out_norm, weights=weights)
