"""THE table: one entry per activation; every other part of actcore reads it.

From these entries come the C kernel list that setup.py compiles and
dispatches, the ufuncs (`actcore.ufuncs`), the public functions and their
docstrings (`actcore.functional`), the parametrized tests, the benchmark
cases (NumPy textbook formula, torch and onnxruntime equivalents), and the
README's table of functions.  Adding an activation means one entry here, one
C kernel file in src_c/kernels/, and its tests' expectations.

The float64 references are written for accuracy, not speed: they avoid the
cancellations the kernels must also avoid, and they are themselves checked
against the `exact` mpmath definitions in the tests.  References are only
evaluated on finite inputs; +-inf go through `limits` and NaN always maps to
NaN (the C loop templates and the reference backend apply that rule).

This module imports nothing from actcore and only NumPy at import time:
setup.py loads it by path to generate the C kernel list.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np

__all__ = ["Param", "Activation", "ACTIVATIONS", "BY_NAME", "c_kernels", "lookup"]


# --------------------------------------------------------------------------
# entry types
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    """A parameter of an activation.

    kind "scalar": a real number, validated against [lo, hi] (open ends where
    lo_open/hi_open), never NaN, finite unless allow_inf; passed to the ufunc
    as an extra input (a stride-0 constant).
    kind "array": a broadcastable array (prelu's weight), also an extra input.
    kind "choice": one of `choices`; selects the C kernel (gelu's approximate).
    """

    name: str
    default: object = None  # None: required
    kind: str = "scalar"
    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    allow_inf: bool = False
    choices: tuple = ()
    doc: str = ""
    samples: tuple = ()  # extra values the tests sweep (defaults always included)

    def check(self, value, func):
        """Validated float value of a scalar parameter (ValueError names it)."""
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"actcore.{func}: {self.name} must be a real number, "
                            f"got {type(value).__name__}") from None
        if math.isnan(v) or (math.isinf(v) and not self.allow_inf):
            raise ValueError(f"actcore.{func}: {self.name} must be finite, got {v}")
        if v < self.lo or (self.lo_open and v == self.lo) or v > self.hi or (self.hi_open and v == self.hi):
            raise ValueError(f"actcore.{func}: {self.name} must be {self.range_text()}, got {v}")
        return v

    def range_text(self):
        lo = f"> {self.lo:g}" if self.lo_open else f">= {self.lo:g}"
        hi = f"< {self.hi:g}" if self.hi_open else f"<= {self.hi:g}"
        if math.isinf(self.lo):
            return hi if not math.isinf(self.hi) else "a real number"
        return lo if math.isinf(self.hi) else f"{lo} and {hi}"


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str                    # plain-text math, for docs and the README table
    doc: str                        # one line
    reference: Callable             # float64 f(x, **params) on finite x
    exact: Callable                 # mpmath f(x, **params) -> mpf, the definition
    limits: Callable                # params -> (f(-inf), f(+inf))
    params: tuple = ()
    kernel: object = None           # C kernel base name (default: name), or
                                    # {choice: kernel} keyed by the choice param
    aliases: tuple = ()
    odd: bool = False               # f(-x) = -f(x): sign of zero is kept
    ulp: dict = field(default_factory=lambda: {"float32": 2.0, "float64": 4.0})
    derivative: Callable | None = None  # float64 f'(x, **params) on finite x
    derivative_limits: Callable | None = None  # params -> (f'(-inf), f'(+inf))
    kinks: str = ""                     # the derivative's convention at break points (torch's)
    output_derivative: Callable | None = None  # f'(x) from y = f(x), where that is exact (sigmoid, tanh)
    c_derivatives: bool = False         # the C kernel file exports derivative and backward kernels
    textbook: Callable | None = None    # the NumPy formula users write (benchmark baseline)
    torch: Callable | None = None       # (torch, F, x, **params) -> tensor
    # (torch, grad, x, y, **params) -> a no-argument callable running torch's
    # aten backward op for this function (y: the forward output; benchmarks)
    torch_backward: Callable | None = None
    onnx: Callable | None = None        # params -> list of (op, inputs, outputs, attrs) or None
    onnx_opset: int = 18
    constraints: tuple = ()             # (predicate(params) -> bool, message) across parameters
    cheap: bool = False                 # memory-bound (no transcendental): split across threads later

    # ---- derived views -------------------------------------------------
    @property
    def kernel_params(self):
        """Parameters passed to the C kernel (everything but choices)."""
        return tuple(p for p in self.params if p.kind != "choice")

    @property
    def choice(self):
        return next((p for p in self.params if p.kind == "choice"), None)

    def kernel_for(self, **params):
        if isinstance(self.kernel, dict):
            return self.kernel[params[self.choice.name]]
        return self.kernel or self.name

    def kernel_names(self):
        if isinstance(self.kernel, dict):
            return tuple(dict.fromkeys(self.kernel.values()))
        return (self.kernel or self.name,)

    def defaults(self):
        return {p.name: p.default for p in self.params if p.default is not None}


# --------------------------------------------------------------------------
# float64 building blocks for the references (accuracy first)
# --------------------------------------------------------------------------
def _sigmoid(x):
    """1/(1+exp(-x)) without overflow or tail cancellation."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_slope(x):
    """sigma(x)*(1-sigma(x)) = e/(1+e)^2 with e = exp(-|x|): symmetric, no cancellation."""
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _silu_slope(t):
    """d/dx x*sigmoid(x) at t = sigmoid(t) (1 + t sigmoid(-t)), e = exp(-|t|):
    (1 + e (1 + t))/(1 + e)^2 for t > 0, e ((1 + t) + e)/(1 + e)^2 for t <= 0
    (no s + t s (1 - s) cancellation in the tails; around the root
    t0 = -1.2785, 1 + t is exact and only e's rounding remains)."""
    e = np.exp(-np.abs(t))
    t = np.clip(t, -800.0, 800.0)  # e = 0 beyond: keeps 0 * inf out of the tails
    return np.where(t > 0, 1.0 + e * (1.0 + t), e * ((1.0 + t) + e)) / (1.0 + e) ** 2


def _softplus(t):
    """log1p(exp(t)) without overflow: max(t,0) + log1p(exp(-|t|))."""
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def _erf_or_erfc(name):
    try:
        import scipy.special
        return getattr(scipy.special, name)
    except ImportError:  # the reference backend must work without SciPy
        return np.vectorize(getattr(math, name), otypes=[float])


def _erfc(z):
    return _erf_or_erfc("erfc")(z)


# Constants as decimal strings (the definitions) and as doubles (for the
# float64 references); the mpmath definitions use the strings, so a kernel
# that carries a constant beyond double precision is checked against it.
GELU_TANH_C_STR = "0.044715"
QUICK_GELU_C_STR = "1.702"
SELU_ALPHA_STR = "1.6732632423543772848170429916717"
SELU_SCALE_STR = "1.0507009873554804934193349852946"
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_TANH_C = float(GELU_TANH_C_STR)
QUICK_GELU_C = float(QUICK_GELU_C_STR)
SELU_ALPHA = float(SELU_ALPHA_STR)
SELU_SCALE = float(SELU_SCALE_STR)
# selu(-inf) = -scale*alpha, rounded once (not the product of two rounded doubles)
SELU_NEG_LIMIT = -float(Fraction(SELU_SCALE_STR) * Fraction(SELU_ALPHA_STR))


def _gelu_tanh_arg(x):
    """2u with u = sqrt(2/pi)*(x + 0.044715 x^3), so gelu_tanh = x*sigmoid(2u)."""
    with np.errstate(over="ignore"):
        return 2.0 * SQRT_2_OVER_PI * (x + GELU_TANH_C * x**3)


def _mish_factor(x):
    """tanh(softplus(x)) as a ratio of exponentials, relative-accurate on both tails.
    With w = 1 + e^x: tanh(log w) = (w^2 - 1)/(w^2 + 1)."""
    e = np.exp(-np.abs(x))
    neg = e * (e + 2.0) / (e * (e + 2.0) + 2.0)                        # x <= 0, e = e^x
    pos = (1.0 + 2.0 * e) / (1.0 + 2.0 * e + 2.0 * e * e)              # x > 0,  e = e^-x
    return np.where(x > 0, pos, neg)


def _mish_sech2(x):
    """sech^2(softplus(x)) = 4 w^2/(w^2+1)^2, w = 1 + e^x, written per tail."""
    e = np.exp(-np.abs(x))
    neg = 4.0 * (1.0 + e) ** 2 / ((1.0 + e) ** 2 + 1.0) ** 2
    pos = 4.0 * (1.0 + e) ** 2 * e * e / ((1.0 + e) ** 2 + e * e) ** 2
    return np.where(x > 0, pos, neg)


def _neg_inf_times(s):
    """lim_{x -> -inf} s*x, vectorized over s (0 when s == 0)."""
    s = np.asarray(s, dtype=float)
    return np.where(s > 0, -math.inf, np.where(s < 0, math.inf, 0.0))[()]


def _step(x, cond, yes, no):
    """where(cond, yes, no) that keeps NaN."""
    return np.where(np.isnan(x), x, np.where(cond, yes, no))


# --------------------------------------------------------------------------
# mpmath definitions (the mathematical truth the references are checked on)
# --------------------------------------------------------------------------
def _mp():
    import mpmath
    return mpmath


def _mp_sigmoid(x):
    mp = _mp()
    return 1 / (1 + mp.exp(-x))


def _mp_gelu(x):
    mp = _mp()
    if x < -1e4:  # x * Phi(x) < 1e-(2e7): mpmath's erfc series check overflows out here
        return mp.mpf(0) * x
    return x / 2 * mp.erfc(-x / mp.sqrt(2))


def _mp_softplus(t):
    mp = _mp()
    return mp.log1p(mp.exp(t)) if t < 0 else t + mp.log1p(mp.exp(-t))


# --------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------
_ALPHA = Param("alpha", 1.0, doc="scale of the negative branch", samples=(0.5, 2.0))

ACTIVATIONS = (
    Activation(
        "sigmoid", "1 / (1 + exp(-x))", "Logistic sigmoid.",
        reference=_sigmoid,
        exact=_mp_sigmoid,
        limits=lambda: (0.0, 1.0),
        derivative=_sigmoid_slope,
        derivative_limits=lambda: (0.0, 0.0),
        output_derivative=lambda y: y * (1.0 - y),
        c_derivatives=True,
        textbook=lambda x: 1 / (1 + np.exp(-x)),
        torch=lambda torch, F, x: torch.sigmoid(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.sigmoid_backward(g, y),
        onnx=lambda: [("Sigmoid", ["X"], ["Y"], {})],
    ),
    Activation(
        "tanh", "tanh(x)", "Hyperbolic tangent.",
        reference=np.tanh,
        exact=lambda x: _mp().tanh(x),
        limits=lambda: (-1.0, 1.0),
        odd=True,
        derivative=lambda x: 4.0 * np.exp(-2 * np.abs(x)) / (1.0 + np.exp(-2 * np.abs(x))) ** 2,
        derivative_limits=lambda: (0.0, 0.0),
        output_derivative=lambda y: (1.0 - np.abs(y)) * (1.0 + np.abs(y)),  # no 1 - y*y cancellation
        c_derivatives=True,
        textbook=lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
        torch=lambda torch, F, x: torch.tanh(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.tanh_backward(g, y),
        onnx=lambda: [("Tanh", ["X"], ["Y"], {})],
    ),
    Activation(
        "relu", "max(x, 0)", "Rectified linear unit.",
        cheap=True,
        c_derivatives=True,
        reference=lambda x: np.maximum(x, 0.0),
        exact=lambda x: max(x, 0),
        limits=lambda: (0.0, math.inf),
        ulp={"float32": 0.0, "float64": 0.0},
        derivative=lambda x: _step(x, x > 0, 1.0, 0.0),
        derivative_limits=lambda: (0.0, 1.0),
        kinks="relu'(0) = 0",
        textbook=lambda x: np.maximum(x, 0),
        torch=lambda torch, F, x: torch.relu(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.threshold_backward(g, x, 0),
        onnx=lambda: [("Relu", ["X"], ["Y"], {})],
    ),
    Activation(
        "relu6", "min(max(x, 0), 6)", "ReLU capped at 6 (MobileNet).",
        c_derivatives=True,
        cheap=True,
        reference=lambda x: np.clip(x, 0.0, 6.0),
        exact=lambda x: min(max(x, 0), 6),
        limits=lambda: (0.0, 6.0),
        ulp={"float32": 0.0, "float64": 0.0},
        derivative=lambda x: _step(x, (x > 0) & (x < 6), 1.0, 0.0),
        derivative_limits=lambda: (0.0, 0.0),
        kinks="relu6'(0) = relu6'(6) = 0 (torch: hardtanh_backward(x, 0, 6), gradient only for 0 < x < 6)",
        textbook=lambda x: np.clip(x, 0, 6),
        torch=lambda torch, F, x: F.relu6(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.hardtanh_backward(g, x, 0.0, 6.0),
        onnx=lambda: [("Clip", ["X", "lo", "hi"], ["Y"], {"_consts": {"lo": 0.0, "hi": 6.0}})],
    ),
    Activation(
        "leaky_relu", "x if x > 0 else negative_slope * x", "Leaky ReLU.",
        c_derivatives=True,
        params=(Param("negative_slope", 0.01, doc="slope for x < 0", samples=(0.2, -0.5)),),
        cheap=True,
        reference=lambda x, negative_slope: np.where(x > 0, x, x * negative_slope),
        exact=lambda x, negative_slope: x if x > 0 else negative_slope * x,
        limits=lambda negative_slope: (_neg_inf_times(negative_slope), math.inf),
        ulp={"float32": 0.5, "float64": 0.5},
        derivative=lambda x, negative_slope: _step(x, x > 0, 1.0, negative_slope),
        derivative_limits=lambda negative_slope: (negative_slope, 1.0),
        kinks="leaky_relu'(0) = negative_slope (torch's leaky_relu_backward: 1 only for x > 0)",
        textbook=lambda x, negative_slope: np.where(x > 0, x, x * negative_slope),
        torch=lambda torch, F, x, negative_slope: F.leaky_relu(x, negative_slope),
        torch_backward=lambda torch, g, x, y, negative_slope: lambda: torch.ops.aten.leaky_relu_backward(
            g, x, negative_slope, False),
        onnx=lambda negative_slope: [("LeakyRelu", ["X"], ["Y"], {"alpha": negative_slope})],
    ),
    Activation(
        "prelu", "x if x > 0 else weight * x", "Parametric ReLU: a learned (per-channel) slope.",
        c_derivatives=True,
        params=(Param("weight", None, kind="array", doc="slope for x < 0, broadcast against x",
                      samples=(0.25, -0.5)),),
        kernel="leaky_relu",
        cheap=True,
        reference=lambda x, weight: np.where(x > 0, x, x * weight),
        exact=lambda x, weight: x if x > 0 else weight * x,
        limits=lambda weight: (_neg_inf_times(weight), math.inf),
        ulp={"float32": 0.5, "float64": 0.5},
        derivative=lambda x, weight: _step(x, x > 0, 1.0, weight),
        derivative_limits=lambda weight: (weight, 1.0),
        kinks="prelu'(0) = weight (torch's prelu backward: 1 only for x > 0)",
        textbook=lambda x, weight: np.where(x > 0, x, x * weight),
        torch=lambda torch, F, x, weight: F.prelu(x, torch.as_tensor(np.atleast_1d(weight), dtype=x.dtype)),
        torch_backward=lambda torch, g, x, y, weight: (lambda w: lambda: torch.ops.aten._prelu_kernel_backward(g, x, w))(
            torch.tensor([float(weight)])),
        onnx=lambda weight: [("PRelu", ["X", "slope"], ["Y"], {"_consts": {"slope": weight}})],
    ),
    Activation(
        "elu", "x if x > 0 else alpha * (exp(x) - 1)", "Exponential linear unit.",
        c_derivatives=True,
        params=(_ALPHA,),
        reference=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))),
        exact=lambda x, alpha: x if x > 0 else alpha * _mp().expm1(x),
        limits=lambda alpha: (-alpha, math.inf),
        derivative=lambda x, alpha: np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))),
        derivative_limits=lambda alpha: (0.0, 1.0),
        kinks="elu'(0) = alpha (torch's elu_backward: alpha * exp(x) for x <= 0)",
        textbook=lambda x, alpha: np.where(x > 0, x, alpha * (np.exp(x) - 1)),
        torch=lambda torch, F, x, alpha: F.elu(x, alpha),
        torch_backward=lambda torch, g, x, y, alpha: lambda: torch.ops.aten.elu_backward(g, alpha, 1.0, 1.0, False, x),
        onnx=lambda alpha: [("Elu", ["X"], ["Y"], {"alpha": alpha})],
    ),
    Activation(
        "selu", "scale * (x if x > 0 else alpha * (exp(x) - 1)), alpha = 1.67326..., scale = 1.05070...",
        "Scaled ELU (self-normalizing networks).",
        c_derivatives=True,
        reference=lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
        exact=lambda x: _mp().mpf(SELU_SCALE_STR) * (x if x > 0 else _mp().mpf(SELU_ALPHA_STR) * _mp().expm1(x)),
        limits=lambda: (SELU_NEG_LIMIT, math.inf),
        derivative=lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0))),
        derivative_limits=lambda: (0.0, SELU_SCALE),
        kinks="selu'(0) = scale * alpha (torch's elu_backward: the x <= 0 branch)",
        textbook=lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)),
        torch=lambda torch, F, x: F.selu(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.elu_backward(g, SELU_ALPHA, SELU_SCALE, 1.0, False, x),
        onnx=lambda: [("Selu", ["X"], ["Y"], {})],
    ),
    Activation(
        "celu", "x if x > 0 else alpha * (exp(x / alpha) - 1)", "Continuously differentiable ELU.",
        c_derivatives=True,
        params=(Param("alpha", 1.0, lo=0.0, lo_open=True, doc="scale of the negative branch (> 0)",
                      samples=(0.5, 2.0)),),
        reference=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0) / alpha)),
        exact=lambda x, alpha: x if x > 0 else alpha * _mp().expm1(x / alpha),
        limits=lambda alpha: (-alpha, math.inf),
        derivative=lambda x, alpha: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0) / alpha)),
        derivative_limits=lambda alpha: (0.0, 1.0),
        kinks="celu'(0) = 1 (torch's elu_backward: exp(x / alpha) for x <= 0)",
        textbook=lambda x, alpha: np.maximum(x, 0) + np.minimum(0, alpha * (np.exp(x / alpha) - 1)),
        torch=lambda torch, F, x, alpha: F.celu(x, alpha),
        torch_backward=lambda torch, g, x, y, alpha: lambda: torch.ops.aten.elu_backward(g, alpha, 1.0, 1.0 / alpha, False, x),
        onnx=lambda alpha: [("Celu", ["X"], ["Y"], {"alpha": alpha})],
    ),
    Activation(
        "gelu", "x * Phi(x) = x/2 * erfc(-x/sqrt(2));  tanh form: x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))",
        "Gaussian error linear unit, exact (erf) or tanh approximation.",
        params=(Param("approximate", "none", kind="choice", choices=("none", "tanh"),
                      doc="'none' for the exact erf form, 'tanh' for the tanh approximation"),),
        kernel={"none": "gelu", "tanh": "gelu_tanh"},
        reference=lambda x, approximate: (0.5 * x * _erfc(-x / math.sqrt(2.0)) if approximate == "none"
                                          else x * _sigmoid(_gelu_tanh_arg(x))),
        exact=lambda x, approximate: (_mp_gelu(x) if approximate == "none" else
                                      x * _mp_sigmoid(2 * _mp().sqrt(2 / _mp().pi) * (x + _mp().mpf(GELU_TANH_C_STR) * x**3))),
        limits=lambda approximate: (0.0, math.inf),
        derivative=lambda x, approximate: (
            0.5 * _erfc(-x / math.sqrt(2.0)) + x * np.exp(-0.5 * np.minimum(x * x, 1e4)) / math.sqrt(2 * math.pi)
            if approximate == "none" else
            _sigmoid(_gelu_tanh_arg(x)) + np.clip(x, -1e3, 1e3) * 2.0 * SQRT_2_OVER_PI
            * (1.0 + 3 * GELU_TANH_C * np.clip(x, -1e3, 1e3) ** 2) * _sigmoid_slope(_gelu_tanh_arg(x))),
        derivative_limits=lambda approximate: (0.0, 1.0),
        c_derivatives=True,
        textbook=lambda x, approximate: (
            0.5 * x * (1 + _erf_or_erfc("erf")(x / math.sqrt(2))) if approximate == "none"
            else 0.5 * x * (1 + np.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x**3)))),
        torch=lambda torch, F, x, approximate: F.gelu(x, approximate=approximate),
        torch_backward=lambda torch, g, x, y, approximate: lambda: torch.ops.aten.gelu_backward(
            g, x, approximate=approximate),
        onnx=lambda approximate: [("Gelu", ["X"], ["Y"], {"approximate": approximate})],
        onnx_opset=20,
    ),
    Activation(
        "quick_gelu", "x * sigmoid(1.702 x)", "Sigmoid approximation of GELU (CLIP).",
        reference=lambda x: x * _sigmoid(QUICK_GELU_C * x),
        exact=lambda x: x * _mp_sigmoid(_mp().mpf(QUICK_GELU_C_STR) * x),
        limits=lambda: (0.0, math.inf),
        derivative=lambda x: _silu_slope(QUICK_GELU_C * x),
        derivative_limits=lambda: (0.0, 1.0),
        c_derivatives=True,
        textbook=lambda x: x / (1 + np.exp(-1.702 * x)),
        torch=lambda torch, F, x: x * torch.sigmoid(1.702 * x),
        onnx=lambda: [("Mul", ["X", "c"], ["t"], {"_consts": {"c": QUICK_GELU_C}}),
                      ("Sigmoid", ["t"], ["s"], {}), ("Mul", ["X", "s"], ["Y"], {})],
    ),
    Activation(
        "silu", "x * sigmoid(beta x)", "Sigmoid-weighted linear unit (swish with beta).",
        aliases=("swish",),
        params=(Param("beta", 1.0, doc="slope inside the sigmoid", samples=(0.5, 1.702, 2.0)),),
        reference=lambda x, beta: x * _sigmoid(beta * x),
        exact=lambda x, beta: x * _mp_sigmoid(beta * x),
        # x*sigmoid(beta x): the sigmoid kills the tail on the side where beta*x -> -inf
        limits=lambda beta: (np.where(np.asarray(beta) > 0, 0.0, -math.inf)[()],
                             np.where(np.asarray(beta) < 0, 0.0, math.inf)[()]),
        derivative=lambda x, beta: _silu_slope(beta * x),
        derivative_limits=lambda beta: (np.where(np.asarray(beta) > 0, 0.0, np.where(np.asarray(beta) < 0, 1.0, 0.5))[()], np.where(np.asarray(beta) > 0, 1.0, np.where(np.asarray(beta) < 0, 0.0, 0.5))[()]),
        c_derivatives=True,
        textbook=lambda x, beta: x / (1 + np.exp(-beta * x)),
        torch=lambda torch, F, x, beta: F.silu(x) if beta == 1.0 else x * torch.sigmoid(beta * x),
        torch_backward=lambda torch, g, x, y, beta: (lambda: torch.ops.aten.silu_backward(g, x)) if beta == 1.0 else None,
        onnx=lambda beta: ([("Sigmoid", ["X"], ["s"], {}), ("Mul", ["X", "s"], ["Y"], {})] if beta == 1.0 else
                           [("Mul", ["X", "b"], ["t"], {"_consts": {"b": beta}}), ("Sigmoid", ["t"], ["s"], {}),
                            ("Mul", ["X", "s"], ["Y"], {})]),
    ),
    Activation(
        "hardswish", "x * relu6(x + 3) / 6", "Piecewise-quadratic swish (MobileNetV3).",
        c_derivatives=True,
        cheap=True,
        reference=lambda x: np.where(x >= 3.0, x, x * np.clip(x + 3.0, 0.0, 6.0) / 6.0),  # no x*6 overflow
        exact=lambda x: x * min(max(x + 3, 0), 6) / 6,
        limits=lambda: (0.0, math.inf),
        # (2x + 3)/6: 2x + 3 is exact near the zero at -1.5, so the reference stays relative-accurate there
        derivative=lambda x: _step(x, x <= -3, 0.0, np.where(x < 3, (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0, 1.0)),
        derivative_limits=lambda: (0.0, 1.0),
        kinks="hardswish'(-3) = 0, hardswish'(3) = 1 (x/3 + 1/2 only on -3 < x < 3; torch 2.13's hardswish_backward)",
        textbook=lambda x: x * np.clip(x + 3, 0, 6) / 6,
        torch=lambda torch, F, x: F.hardswish(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.hardswish_backward(g, x),
        onnx=lambda: [("HardSwish", ["X"], ["Y"], {})],
        onnx_opset=14,
    ),
    Activation(
        "hardsigmoid", "relu6(x + 3) / 6", "Piecewise-linear sigmoid.",
        c_derivatives=True,
        cheap=True,
        reference=lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,
        exact=lambda x: min(max(x + 3, 0), 6) / _mp().mpf(6),
        limits=lambda: (0.0, 1.0),
        derivative=lambda x: _step(x, (x > -3) & (x < 3), 1.0 / 6.0, 0.0),
        derivative_limits=lambda: (0.0, 0.0),
        kinks="hardsigmoid'(+-3) = 0 (torch's hardsigmoid_backward: 1/6 only for -3 < x < 3)",
        textbook=lambda x: np.clip(x / 6 + 0.5, 0, 1),
        torch=lambda torch, F, x: F.hardsigmoid(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.hardsigmoid_backward(g, x),
        onnx=lambda: [("HardSigmoid", ["X"], ["Y"], {"alpha": 1.0 / 6.0, "beta": 0.5})],
    ),
    Activation(
        "hardtanh", "min(max(x, min_val), max_val)", "Clamp to [min_val, max_val].",
        c_derivatives=True,
        params=(Param("min_val", -1.0, doc="lower bound", samples=(-2.0, 0.0)),
                Param("max_val", 1.0, doc="upper bound (>= min_val)", samples=(2.0, 6.0))),
        constraints=((lambda p: p["min_val"] <= p["max_val"], "min_val must be <= max_val"),),
        cheap=True,
        reference=lambda x, min_val, max_val: np.clip(x, min_val, max_val),
        exact=lambda x, min_val, max_val: min(max(x, min_val), max_val),
        limits=lambda min_val, max_val: (min_val, max_val),
        ulp={"float32": 0.0, "float64": 0.0},
        derivative=lambda x, min_val, max_val: _step(x, (x > min_val) & (x < max_val), 1.0, 0.0),
        derivative_limits=lambda min_val, max_val: (0.0, 0.0),
        kinks="hardtanh'(min_val) = hardtanh'(max_val) = 0 (torch's hardtanh_backward: 1 only for min_val < x < max_val)",
        textbook=lambda x, min_val, max_val: np.clip(x, min_val, max_val),
        torch=lambda torch, F, x, min_val, max_val: F.hardtanh(x, min_val, max_val),
        torch_backward=lambda torch, g, x, y, min_val, max_val: lambda: torch.ops.aten.hardtanh_backward(
            g, x, min_val, max_val),
        onnx=lambda min_val, max_val: [("Clip", ["X", "lo", "hi"], ["Y"], {"_consts": {"lo": min_val, "hi": max_val}})],
    ),
    Activation(
        "mish", "x * tanh(softplus(x))", "Self-regularized non-monotonic activation (YOLOv4).",
        reference=lambda x: x * _mish_factor(x),
        exact=lambda x: x * _mp().tanh(_mp_softplus(x)),
        limits=lambda: (0.0, math.inf),
        derivative=lambda x: _mish_factor(x) + x * _mish_sech2(x) * _sigmoid(x),
        derivative_limits=lambda: (0.0, 1.0),
        c_derivatives=True,
        textbook=lambda x: x * np.tanh(np.log1p(np.exp(x))),
        torch=lambda torch, F, x: F.mish(x),
        torch_backward=lambda torch, g, x, y: lambda: torch.ops.aten.mish_backward(g, x),
        onnx=lambda: [("Mish", ["X"], ["Y"], {})],
    ),
    Activation(
        "softplus", "log(1 + exp(beta x)) / beta, or x where beta x > threshold",
        "Smooth ReLU (torch semantics: linear above threshold).",
        params=(Param("beta", 1.0, lo=0.0, lo_open=True, doc="sharpness (> 0)", samples=(0.5, 2.0)),
                Param("threshold", 20.0, allow_inf=True, doc="beta*x above this returns x", samples=(5.0, math.inf))),
        reference=lambda x, beta, threshold: np.where(beta * x > threshold, x, _softplus(beta * x) / beta),
        exact=lambda x, beta, threshold: x if beta * x > threshold else _mp_softplus(beta * x) / beta,
        limits=lambda beta, threshold: (0.0, math.inf),
        derivative=lambda x, beta, threshold: np.where(beta * x > threshold, 1.0, _sigmoid(beta * x)),
        derivative_limits=lambda beta, threshold: (0.0, 1.0),
        c_derivatives=True,
        kinks='1 where beta*x > threshold (the linear branch)',
        textbook=lambda x, beta, threshold: np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta),
        torch=lambda torch, F, x, beta, threshold: F.softplus(x, beta, threshold),
        torch_backward=lambda torch, g, x, y, beta, threshold: lambda: torch.ops.aten.softplus_backward(
            g, x, beta, threshold),
        onnx=lambda beta, threshold: ([("Softplus", ["X"], ["Y"], {})] if beta == 1.0 and threshold == math.inf
                                      else None),
    ),
    Activation(
        "softsign", "x / (1 + |x|)", "Rational sigmoid-shaped squashing.",
        c_derivatives=True,
        cheap=True,
        reference=lambda x: x / (1.0 + np.abs(x)),
        exact=lambda x: x / (1 + abs(x)),
        limits=lambda: (-1.0, 1.0),
        odd=True,
        derivative=lambda x: (1.0 / (1.0 + np.abs(x))) ** 2,  # no overflow of (1 + |x|)^2 for huge x
        derivative_limits=lambda: (0.0, 0.0),
        textbook=lambda x: x / (1 + np.abs(x)),
        torch=lambda torch, F, x: F.softsign(x),
        onnx=lambda: [("Softsign", ["X"], ["Y"], {})],
    ),
    Activation(
        "log_sigmoid", "log(sigmoid(x)) = -softplus(-x)", "Log of the logistic sigmoid.",
        reference=lambda x: -_softplus(-x),
        exact=lambda x: -_mp_softplus(-x),
        limits=lambda: (-math.inf, 0.0),
        derivative=lambda x: _sigmoid(-x),
        derivative_limits=lambda: (1.0, 0.0),
        c_derivatives=True,
        textbook=lambda x: np.log(1 / (1 + np.exp(-x))),
        torch=lambda torch, F, x: F.logsigmoid(x),
        torch_backward=lambda torch, g, x, y: (lambda buf: lambda: torch.ops.aten.log_sigmoid_backward(g, x, buf))(
            torch.ops.aten.log_sigmoid_forward(x)[1]),
        onnx=lambda: [("Neg", ["X"], ["n"], {}), ("Softplus", ["n"], ["s"], {}), ("Neg", ["s"], ["Y"], {})],
    ),
)

BY_NAME = {a.name: a for a in ACTIVATIONS}
for _a in ACTIVATIONS:
    for _alias in _a.aliases:
        BY_NAME[_alias] = _a


def lookup(name):
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(sorted(BY_NAME))}") from None


# Smallest share of a call worth handing to another thread, in elements
# (measured with tools/kernel_check.py-style timings on 2 cores: a
# memory-bound kernel gains from a second thread from ~16K elements per
# thread, a transcendental one from ~4K; the hand-off costs ~1 us).
PARALLEL_MIN_PART = {"cheap": 16384, "transcendental": 4096}


def c_kernels():
    """(kernel name, array inputs, parameters, min elements per thread) for
    every C kernel, in table order.

    Each activation kernel K exports K (forward) and, once its file has them
    (`c_derivatives`), K_derivative (f'(x)), K_backward (grad * f'(x)) and,
    for sigmoid/tanh, K_backward_output (grad * f'(x) from y = f(x)).  This
    list is what setup.py writes to ac_kernel_list.h and what actcore.ufuncs
    builds ufuncs from.
    """
    seen, out = set(), []
    for act in ACTIVATIONS:
        npar = len(act.kernel_params)
        min_part = PARALLEL_MIN_PART["cheap" if act.cheap else "transcendental"]
        for k in act.kernel_names():
            if k in seen:
                continue
            seen.add(k)
            out.append((k, 1, npar, min_part))
            if act.c_derivatives:
                out.append((k + "_derivative", 1, npar, min_part))
                out.append((k + "_backward", 2, npar, min_part))
                if act.output_derivative is not None:
                    out.append((k + "_backward_output", 2, 0, PARALLEL_MIN_PART["cheap"]))
    return out
