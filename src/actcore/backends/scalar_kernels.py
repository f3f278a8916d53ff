"""Every activation and its derivative as a scalar Python function: the one
source the numba (CPU) and cuda backends compile.

Plain Python on `math` (this module imports nothing else, so importing it
never imports numba): each function takes a finite float64 x and the
kernel's parameters (float64, in the registry's `kernel_params` order) and
returns f(x) in float64.  They mirror the registry's float64 references
(src/actcore/_registry.py) formula for formula, so the backends cannot drift
from the reference:

  sigmoid      from e = exp(-|x|): no overflow, no 1 - tiny cancellation
  softplus     max(t, 0) + log1p(exp(-|t|)), torch's linear threshold
  gelu         x/2 * erfc(-x/sqrt 2): no 1 + erf(x) cancellation for x < 0
  gelu_tanh    x * sigmoid(2u) (= x/2 (1 + tanh u) without its cancellation)
  elu/selu/celu  expm1 on the negative branch
  mish         tanh(softplus(x)) as a ratio of exponentials per tail

FAST32 holds float32-native forward kernels for the exp family (sigmoid,
silu, quick_gelu, tanh-gelu, tanh, elu, selu, celu, softplus, log_sigmoid,
mish): a branch-free float32 exp / expm1 (argument
reduction in float64, so 1.702 x or 2u(x) carry no float32 rounding error;
degree-7 polynomial in float32; 2^n from its bits) that compilers vectorize,
within 4 ulp of the float64 reference.  They are used for float32 inputs;
float64 always goes through the float64 kernels above.

The special-value rule every backend shares (NaN -> NaN, +-inf -> the
registry's `limits` / `derivative_limits`) is applied by the callers, which
also do the float32 -> float64 promotion: float32 results are the float64
value rounded once, so they sit within ~1 ulp of the reference.

FORWARD / DERIVATIVE map C kernel names (`Activation.kernel_for`) to the
functions; OUTPUT_DERIVATIVE maps sigmoid/tanh to f'(x) written in y = f(x).
HELPERS lists the functions the kernels call: a compiler has to compile
those too (the backends rebuild every function in a namespace where the
helpers are compiled functions).
"""
import math

import numpy as np

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
SQRT_2 = math.sqrt(2.0)
SQRT_2PI = math.sqrt(2.0 * math.pi)
INV_SQRT_2_HI = 0.7071067811865476       # 1/sqrt(2) = HI + LO to ~1e-33
INV_SQRT_2_LO = -4.833646656726457e-17
TWO_OVER_SQRT_PI = 1.1283791670955126
TWO_SQRT_2_OVER_PI = 1.5957691216057308  # 2 sqrt(2/pi) = this + _LO
TWO_SQRT_2_OVER_PI_LO = -9.96930880911092e-17
GELU_TANH_C_LO = 2.1960211427085595e-18  # 0.044715 - float(0.044715)
QUICK_GELU_C_LO = 4.263256414560601e-17  # 1.702 - float(1.702)
GELU_TANH_C = 0.044715
QUICK_GELU_C = 1.702
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SELU_SCALE_ALPHA = 1.7580993408473768  # scale * alpha rounded once (the registry's -SELU_NEG_LIMIT)


# ---------------------------------------------------------------- helpers
def sig(x):
    e = math.exp(-abs(x))
    if x >= 0.0:
        return 1.0 / (1.0 + e)
    return e / (1.0 + e)


def sig_slope(x):
    """sigma(x) (1 - sigma(x)) = e / (1 + e)^2, e = exp(-|x|)."""
    e = math.exp(-abs(x))
    return e / ((1.0 + e) * (1.0 + e))


def softplus0(t):
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def gelu_tanh_arg(x):
    return 2.0 * SQRT_2_OVER_PI * (x + GELU_TANH_C * (x * x * x))


def mish_factor(x):
    e = math.exp(-abs(x))
    if x > 0.0:
        return (1.0 + 2.0 * e) / (1.0 + 2.0 * e + 2.0 * e * e)
    return e * (e + 2.0) / (e * (e + 2.0) + 2.0)


def mish_sech2(x):
    e = math.exp(-abs(x))
    w = (1.0 + e) * (1.0 + e)
    if x > 0.0:
        d = w + e * e
        return 4.0 * w * e * e / (d * d)
    d = w + 1.0
    return 4.0 * w / (d * d)


def clip(x, lo, hi):
    return min(max(x, lo), hi)


def erfc_of_scaled(x):
    """erfc(-x/sqrt 2) for x in (-40, 0): the rounding error of -x/sqrt(2)
    (|err| ~ 1e-16 |x|) is multiplied by erfc's condition number 2z^2 in the
    tail, so the product's exact error (Dekker's two-product) and the low
    part of 1/sqrt(2) are carried in a first-order correction."""
    p = x * INV_SQRT_2_HI
    t = 134217729.0 * x
    xh = t - (t - x)
    xl = x - xh
    t = 134217729.0 * INV_SQRT_2_HI
    ch = t - (t - INV_SQRT_2_HI)
    cl = INV_SQRT_2_HI - ch
    err = ((xh * ch - p) + xh * cl + xl * ch) + xl * cl
    zh = -p
    zl = -(err + x * INV_SQRT_2_LO)
    return math.erfc(zh) - zl * TWO_OVER_SQRT_PI * math.exp(-zh * zh)


def prod_err(a, b):
    """The rounding error of a*b (Dekker: a*b = fl(a*b) + prod_err(a, b)
    exactly, for |a|, |b| well inside the range)."""
    p = a * b
    t = 134217729.0 * a
    ah = t - (t - a)
    al = a - ah
    t = 134217729.0 * b
    bh = t - (t - b)
    bl = b - bh
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl


def sig_dd(th, tl):
    """sigmoid(th + tl) for a small tl: sigmoid(th) + tl sigmoid'(th).  In the
    negative tail sigmoid(t) ~ e^t, so an error d in t is a relative error d
    in the result: arguments like 1.702 x or 2u(x) of size ~100s must carry
    their rounding error to stay within a few ulp."""
    return sig(th) + tl * sig_slope(th)


def quick_gelu_arg(x):
    """(th, tl) with th + tl = 1.702 x to ~1e-32 relative."""
    th = QUICK_GELU_C * x
    return th, prod_err(QUICK_GELU_C, x) + QUICK_GELU_C_LO * x


def gelu_tanh_arg_dd(x):
    """(th, tl): 2 sqrt(2/pi) (x + 0.044715 x^3) in double-double."""
    x2h = x * x
    x2l = prod_err(x, x)
    x3h = x2h * x
    x3l = prod_err(x2h, x) + x2l * x
    ch = GELU_TANH_C * x3h
    cl = prod_err(GELU_TANH_C, x3h) + GELU_TANH_C * x3l + GELU_TANH_C_LO * x3h
    sh = x + ch
    bb = sh - x
    sl = ((x - (sh - bb)) + (ch - bb)) + cl
    th = TWO_SQRT_2_OVER_PI * sh
    tl = prod_err(TWO_SQRT_2_OVER_PI, sh) + TWO_SQRT_2_OVER_PI * sl + TWO_SQRT_2_OVER_PI_LO * sh
    return th, tl


HELPERS = ("sig", "sig_slope", "softplus0", "gelu_tanh_arg", "mish_factor", "mish_sech2", "clip",
           "erfc_of_scaled", "prod_err", "sig_dd", "quick_gelu_arg", "gelu_tanh_arg_dd", "silu_slope")


# ---------------------------------------------------------------- forward
def sigmoid(x):
    return sig(x)


def tanh(x):
    return math.tanh(x)


def relu(x):
    return x if x > 0.0 else 0.0


def relu6(x):
    if x > 6.0:
        return 6.0
    return x if x > 0.0 else 0.0


def leaky_relu(x, negative_slope):
    return x if x > 0.0 else x * negative_slope


def elu(x, alpha):
    return x if x > 0.0 else alpha * math.expm1(x)


def selu(x):
    return SELU_SCALE * (x if x > 0.0 else SELU_ALPHA * math.expm1(x))


def celu(x, alpha):
    return x if x > 0.0 else alpha * math.expm1(x / alpha)


def gelu(x):
    if x < -1.0 and x > -40.0:
        return 0.5 * x * erfc_of_scaled(x)
    return 0.5 * x * math.erfc(-x / SQRT_2)


def gelu_tanh(x):
    if abs(x) < 1e5:  # the double-double argument (no overflow in its splits)
        th, tl = gelu_tanh_arg_dd(x)
        return x * sig_dd(th, tl)
    return x * sig(gelu_tanh_arg(x))


def quick_gelu(x):
    if abs(x) < 1e290:
        th, tl = quick_gelu_arg(x)
        return x * sig_dd(th, tl)
    return x * sig(QUICK_GELU_C * x)


def silu(x, beta):
    return x * sig(beta * x)


def hardswish(x):
    if x >= 3.0:
        return x
    return x * clip(x + 3.0, 0.0, 6.0) / 6.0


def hardsigmoid(x):
    return clip(x + 3.0, 0.0, 6.0) / 6.0


def hardtanh(x, min_val, max_val):
    return clip(x, min_val, max_val)


def mish(x):
    return x * mish_factor(x)


def softplus(x, beta, threshold):
    t = beta * x
    if t > threshold:
        return x
    return softplus0(t) / beta


def softsign(x):
    return x / (1.0 + abs(x))


def log_sigmoid(x):
    return -softplus0(-x)


# ------------------------------------------------------------- derivative
def d_sigmoid(x):
    return sig_slope(x)


def d_tanh(x):
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def d_relu(x):
    return 1.0 if x > 0.0 else 0.0


def d_relu6(x):
    return 1.0 if (x > 0.0 and x < 6.0) else 0.0


def d_leaky_relu(x, negative_slope):
    return 1.0 if x > 0.0 else negative_slope


def d_elu(x, alpha):
    return 1.0 if x > 0.0 else alpha * math.exp(x)


def d_selu(x):
    return SELU_SCALE * (1.0 if x > 0.0 else SELU_ALPHA * math.exp(x))


def d_celu(x, alpha):
    return 1.0 if x > 0.0 else math.exp(x / alpha)


def d_gelu(x):
    return 0.5 * math.erfc(-x / SQRT_2) + x * math.exp(-0.5 * min(x * x, 1e4)) / SQRT_2PI


def d_gelu_tanh(x):
    u2 = gelu_tanh_arg(x)
    xc = clip(x, -1e3, 1e3)
    return sig(u2) + xc * 2.0 * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * (xc * xc)) * sig_slope(u2)


def silu_slope(t):
    """d/dt t sigmoid(t); beyond |t| = 800 sigmoid's slope is 0 and t * 0
    would be inf * 0 for an overflowed t."""
    if t > 800.0:
        return 1.0
    if t < -800.0:
        return 0.0
    return sig(t) + t * sig_slope(t)


def d_quick_gelu(x):
    return silu_slope(QUICK_GELU_C * x)


def d_silu(x, beta):
    return silu_slope(beta * x)


def d_hardswish(x):
    # torch 2.13's hardswish_backward: 0 at -3, 1 at 3 (the registry's kinks)
    if x <= -3.0:
        return 0.0
    if x < 3.0:
        return (2.0 * x + 3.0) / 6.0
    return 1.0


def d_hardsigmoid(x):
    return 1.0 / 6.0 if (x > -3.0 and x < 3.0) else 0.0


def d_hardtanh(x, min_val, max_val):
    return 1.0 if (x > min_val and x < max_val) else 0.0


def d_mish(x):
    return mish_factor(x) + x * mish_sech2(x) * sig(x)


def d_softplus(x, beta, threshold):
    t = beta * x
    if t > threshold:
        return 1.0
    return sig(t)


def d_softsign(x):
    a = 1.0 + abs(x)
    return 1.0 / (a * a)


def d_log_sigmoid(x):
    return sig(-x)


# ------------------------------------------- derivative from the output y
def dy_sigmoid(y):
    return y * (1.0 - y)


def dy_tanh(y):
    return 1.0 - y * y


_NAMES = ("sigmoid", "tanh", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "gelu_tanh",
          "quick_gelu", "silu", "hardswish", "hardsigmoid", "hardtanh", "mish", "softplus", "softsign",
          "log_sigmoid")
FORWARD = {name: globals()[name] for name in _NAMES}
DERIVATIVE = {name: globals()["d_" + name] for name in _NAMES}
OUTPUT_DERIVATIVE = {"sigmoid": dy_sigmoid, "tanh": dy_tanh}


# ------------------------------------------------- float32-native kernels
_F32 = np.float32
_F64 = np.float64  # (numba types float() of a float32 as float32)
LOG2E = 1.4426950408889634
LN2 = 0.6931471805599453
E2, E3, E4, E5, E6, E7 = (_F32(1 / 2), _F32(1 / 6), _F32(1 / 24), _F32(1 / 120), _F32(1 / 720),
                          _F32(1 / 5040))


def exp_neg_parts_f32(t):
    """(m, s) with m * s = e^t in float32 for a float64 t <= 0: m = p 2^n1
    (normal), s = 2^n2, so x * e^t can be formed as (x m) s without losing
    the bits of a subnormal e^t.  Below -110 (e^t underflows) m = 0."""
    tc = max(t, -110.0)
    n = math.floor(tc * LOG2E + 0.5)
    r = _F32(tc - n * LN2)
    p = _F32(1) + r * (_F32(1) + r * (E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * E7))))))
    ni = np.int32(n)
    n1 = ni >> 1
    n2 = ni - n1
    m = p * np.int32((n1 + 127) << 23).view(np.float32)
    m = _F32(0) if t < -110.0 else m
    return m, np.int32((n2 + 127) << 23).view(np.float32)


def xsig_f32(x, t):
    """x * sigmoid(t) in float32 for float32 x and a float64 t."""
    m, s = exp_neg_parts_f32(-abs(t))
    e = m * s
    num = x if t >= 0.0 else (x * m) * s
    return num / (_F32(1) + e)


def sigmoid_f32(x):
    m, s = exp_neg_parts_f32(-abs(_F64(x)))
    e = m * s
    num = _F32(1) if x >= _F32(0) else e
    return num / (_F32(1) + e)


def silu_f32(x, beta):
    return xsig_f32(x, _F64(beta) * _F64(x))


def quick_gelu_f32(x):
    return xsig_f32(x, QUICK_GELU_C * _F64(x))


def gelu_tanh_f32(x):
    xd = _F64(x)
    return xsig_f32(x, 2.0 * SQRT_2_OVER_PI * (xd + GELU_TANH_C * (xd * xd * xd)))


def expm1_neg_f32(t):
    """e^t - 1 in float32 for a float64 t <= 0, without cancellation near 0:
    with e^t = 2^n e^r, e^t - 1 = 2^n (e^r - 1) + (2^n - 1), e^r - 1 a
    polynomial without its constant term."""
    tc = max(t, -110.0)
    n = math.floor(tc * LOG2E + 0.5)
    r = _F32(tc - n * LN2)
    q = r + r * r * (E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * E7)))))
    ni = max(np.int32(n), np.int32(-64))
    s = np.int32((ni + 127) << 23).view(np.float32)
    return s * q + (s - _F32(1))


def elu_f32(x, alpha):
    em = expm1_neg_f32(min(_F64(x), 0.0))
    return x if x > _F32(0) else _F32(_F64(alpha) * _F64(em))


def selu_f32(x):
    em = expm1_neg_f32(min(_F64(x), 0.0))
    return _F32(SELU_SCALE * _F64(x)) if x > _F32(0) else _F32(SELU_SCALE_ALPHA * _F64(em))


def celu_f32(x, alpha):
    em = expm1_neg_f32(min(_F64(x), 0.0) / _F64(alpha))
    return x if x > _F32(0) else _F32(_F64(alpha) * _F64(em))


def tanh_f32(x):
    em = _F64(expm1_neg_f32(-2.0 * abs(_F64(x))))
    return _F32(math.copysign(-em / (2.0 + em), _F64(x)))


def exp_neg_f64_of_f32(t):
    """e^t for a float64 t <= 0 with float32 accuracy, as a float64 (the
    float32 parts multiplied in float64: no subnormal loss)."""
    m, s = exp_neg_parts_f32(t)
    return _F64(m) * _F64(s)


def log1p_small(e):
    """log1p(e) for 0 <= e <= 1 in float64: 2 atanh(s), s = e/(2+e) <= 1/3
    (no 1 + e rounding), series to s^17 (relative error < 1e-9)."""
    s = e / (2.0 + e)
    z = s * s
    return 2.0 * s * (1.0 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (
        1.0 / 11 + z * (1.0 / 13 + z * (1.0 / 15 + z * (1.0 / 17)))))))))


def softplus_f32(x, beta, threshold):
    t = _F64(beta) * _F64(x)
    sp = max(t, 0.0) + log1p_small(exp_neg_f64_of_f32(-abs(t)))
    return x if t > _F64(threshold) else _F32(sp / _F64(beta))


def log_sigmoid_f32(x):
    t = _F64(x)
    return _F32(-(max(-t, 0.0) + log1p_small(exp_neg_f64_of_f32(-abs(t)))))


def mish_f32(x):
    t = _F64(x)
    e = exp_neg_f64_of_f32(-abs(t))
    f = (1.0 + 2.0 * e) / (1.0 + 2.0 * e + 2.0 * e * e) if t > 0.0 else e * (e + 2.0) / (e * (e + 2.0) + 2.0)
    return _F32(t * f)


FAST32_HELPERS = ("exp_neg_parts_f32", "xsig_f32", "expm1_neg_f32", "exp_neg_f64_of_f32", "log1p_small")
FAST32 = {"sigmoid": sigmoid_f32, "silu": silu_f32, "quick_gelu": quick_gelu_f32, "gelu_tanh": gelu_tanh_f32,
          "elu": elu_f32, "selu": selu_f32, "celu": celu_f32, "tanh": tanh_f32,
          "softplus": softplus_f32, "log_sigmoid": log_sigmoid_f32, "mish": mish_f32}
