"""actcore.torch: autograd, modules and functions, checked against torch.

Skipped where torch is not installed (CI does not install it)."""
import copy
import inspect
import math
import os
import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import actcore  # noqa: E402
import actcore.torch as at  # noqa: E402
from actcore import _registry, _torch_bridge  # noqa: E402
from actcore.accuracy import ulp_error  # noqa: E402
from cases import CASES, rounded_params  # noqa: E402

ELEMENTWISE = [c for c in CASES if c[1].name != "prelu"]
IDS = [c[0] for c in ELEMENTWISE]
CLASS = {name: cls for name, (cls, _, _) in at._TORCH_NAMES.items()}
BACKWARD32 = 4.5  # the registry's float32 backward budget: 4 ulp derivative, + rounding of grad * f'
FROM_OUTPUT = {"sigmoid": torch.ops.aten.sigmoid_backward, "tanh": torch.ops.aten.tanh_backward}


def away_from_kinks(shape, params, seed, lo=-4.0, hi=4.0, dtype=torch.float64):
    """Random points at least 0.05 from every break point the registry's
    piecewise functions have (0, +-3, 6, hardtanh's bounds, softplus's switch),
    where a finite difference straddles two branches."""
    kinks = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 6.0]
    if "threshold" in params:
        kinks.append(params["threshold"] / params["beta"])
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, int(np.prod(shape)))
    for k in kinks:
        near = np.abs(x - k) < 0.05
        x[near] += 0.1
    return torch.tensor(x.reshape(shape), dtype=dtype)


def torch_reference(act, x, params):
    """torch's own function (registry `torch` field) on x."""
    if act.name == "prelu":
        return F.prelu(x, torch.tensor([params["weight"]], dtype=x.dtype))
    return act.torch(torch, F, x, **params)


def test_import_actcore_does_not_import_torch():
    code = "import sys, actcore; assert 'torch' not in sys.modules; import actcore.torch as t; print(t.torch.__name__)"
    here = os.path.dirname(os.path.dirname(actcore.__file__))  # this checkout, not an installed copy
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([here, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "torch"  # inside src/actcore/torch.py, `import torch` is the real torch
    assert at.torch is torch


def test_every_registry_entry_has_a_module_a_function_and_an_autograd_function():
    for act in _registry.ACTIVATIONS:
        assert act.name in at.FUNCTIONS and issubclass(at.FUNCTIONS[act.name], torch.autograd.Function)
        assert callable(getattr(at, act.name))
        if act.name != "prelu":
            cls, fname, _ = at._TORCH_NAMES[act.name]
            assert issubclass(getattr(at, cls), nn.Module) and callable(getattr(at, fname))
    for name in ("PReLU", "Softmax", "LogSoftmax", "softmax", "log_softmax", "prelu", "swish", "logsigmoid"):
        assert hasattr(at, name)


def test_signatures_mirror_torch():
    """Same argument names in the same positional order as torch.nn (torch's
    deprecated Hardtanh aliases min_value/max_value aside)."""
    for name, (cls, _, _) in at._TORCH_NAMES.items():
        theirs = getattr(nn, cls, None)
        if theirs is None:
            continue
        tp = [p for n, p in inspect.signature(theirs).parameters.items() if n not in ("min_value", "max_value")]
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in tp):
            tp = []
        ours = [p for p in inspect.signature(getattr(at, cls)).parameters.values() if p.kind != p.KEYWORD_ONLY]
        assert [p.name for p in ours] == [p.name for p in tp], cls
        assert [p.default for p in ours] == [p.default for p in tp], cls
    assert at.LeakyReLU(0.2, True).negative_slope == 0.2
    assert at.Hardtanh(-2.0, 2.0).max_val == 2.0
    assert at.SiLU(beta=2.0).beta == 2.0
    with pytest.raises(TypeError, match="positional"):
        at.SiLU(True, 2.0)  # beta is keyword-only: torch's second slot does not exist
    for cls in ("PReLU", "Softmax", "LogSoftmax"):
        assert list(inspect.signature(getattr(at, cls)).parameters) == \
            list(inspect.signature(getattr(nn, cls)).parameters)


# ---------------------------------------------------------------------------
# gradcheck (float64)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", range(len(ELEMENTWISE)), ids=IDS)
def test_gradcheck(case):
    _, act, params = ELEMENTWISE[case]
    x = away_from_kinks((3, 5), params, seed=case).requires_grad_()
    fn = getattr(at, act.name)
    module = getattr(at, CLASS[act.name])(**params)
    assert torch.autograd.gradcheck(lambda t: fn(t, **params), (x,))
    assert torch.autograd.gradcheck(module, (x,))


@pytest.mark.parametrize("channels", [1, 3])
def test_gradcheck_prelu_input_and_weight(channels):
    x = away_from_kinks((2, 3, 4), {}, seed=channels).requires_grad_()
    w = torch.tensor([0.25, -0.5, 1.5][:channels], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(at.prelu, (x, w))
    module = at.PReLU(channels, dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(w)
    module(x).pow(2).sum().backward()
    x2, w2 = x.detach().requires_grad_(), w.detach().requires_grad_()
    F.prelu(x2, w2).pow(2).sum().backward()
    torch.testing.assert_close(module.weight.grad, w2.grad, rtol=1e-14, atol=0)
    torch.testing.assert_close(x.grad, x2.grad, rtol=1e-14, atol=0)


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_gradcheck_softmax(dim, log):
    x = torch.randn(3, 4, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(dim + 5),
                    requires_grad=True)
    fn = at.log_softmax if log else at.softmax
    module = (at.LogSoftmax if log else at.Softmax)(dim)
    assert torch.autograd.gradcheck(lambda t: fn(t, dim), (x,))
    assert torch.autograd.gradcheck(module, (x,))
    assert torch.autograd.gradcheck(lambda t: fn(t * 3.0, dim=dim, dtype=torch.float64), (x,))


# ---------------------------------------------------------------------------
# float32 results against torch in float64
# ---------------------------------------------------------------------------
X32 = torch.cat([torch.linspace(-5, 5, 20001), torch.tensor([0.0, -0.0, 3.0, -3.0, 6.0, -1.0, 1.0, 2.0, -2.0])])


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0] for c in CASES])
def test_forward_and_backward_match_torch_float64(case):
    label, act, params = CASES[case]
    rp = rounded_params(params, np.float32)  # the parameters as the float32 kernel sees them
    g = torch.randn(X32.shape, generator=torch.Generator().manual_seed(case))
    x = X32.clone().requires_grad_()
    if act.name == "prelu":
        y = at.prelu(x, torch.tensor([params["weight"]]))
    else:
        y = getattr(at, act.name)(x, **params)
    y.backward(g)
    x64 = X32.double().requires_grad_()
    y64 = torch_reference(act, x64, rp)
    err = ulp_error(y.detach().numpy(), y64.detach().numpy(), np.float32)
    assert err.max() <= act.ulp["float32"] + 0.05, f"{label}: {err.max():.2f} ulp at x={X32[err.argmax()]}"
    if act.name in FROM_OUTPUT:  # the gradient from the rounded output, exactly, as torch computes it
        ref = FROM_OUTPUT[act.name](g.double(), y.detach().double())
    else:
        ref, = torch.autograd.grad(y64, x64, g.double())
    err = ulp_error(x.grad.numpy(), ref.numpy(), np.float32)
    assert err.max() <= BACKWARD32, f"{label}: backward {err.max():.2f} ulp at x={X32[err.argmax()]}"


@pytest.mark.parametrize("dim", [0, 1])
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_softmax_matches_torch_float64(dim, log):
    gen = torch.Generator().manual_seed(3)
    x = (torch.randn(64, 48, generator=gen) * 4).requires_grad_()
    g = torch.randn(64, 48, generator=gen)
    y = (at.LogSoftmax if log else at.Softmax)(dim)(x)
    y.backward(g)
    y64 = (F.log_softmax if log else F.softmax)(x.detach().double(), dim)
    assert ulp_error(y.detach().numpy(), y64.numpy(), np.float32).max() <= 4
    # backward from the float32 output, as both libraries compute it
    yd, gd = y.detach().double(), g.double()
    ref = gd - yd.exp() * gd.sum(dim, keepdim=True) if log else yd * (gd - (gd * yd).sum(dim, keepdim=True))
    if log:  # what the rounding errors of each term can add up to
        scale = gd.abs() + yd.exp() * gd.abs().sum(dim, keepdim=True)
    else:
        scale = yd * (gd.abs() + (gd.abs() * yd).sum(dim, keepdim=True))
    assert ((x.grad.double() - ref).abs() <= 4 * 2.0**-24 * scale).all()


# ---------------------------------------------------------------------------
# where torch is wrong (the module docstring lists these)
# ---------------------------------------------------------------------------
def test_gelu_at_infinity_differs_from_torch():
    x = torch.tensor([math.inf, -math.inf])
    for approximate in ("none", "tanh"):
        assert at.gelu(x, approximate=approximate).tolist() == [math.inf, 0.0]
    # inf * 0 inside torch's formulas
    assert torch.isnan(F.gelu(x)).all()
    assert torch.isnan(F.gelu(x[1:], approximate="tanh")).all()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_gelu_tanh_tail_differs_from_torch(dtype):
    x = torch.tensor([-10.0, -9.0, -8.0], dtype=dtype)
    exact = _registry.BY_NAME["gelu"].exact  # mpmath (cases sets 40 digits)
    true = np.array([float(exact(mpmath.mpf(float(v)), approximate="tanh")) for v in x])  # -1.2e-37 at -10
    y = at.gelu(x, approximate="tanh")
    assert (y < 0).all()
    assert ulp_error(y.numpy(), true, np.float32 if dtype == torch.float32 else np.float64).max() <= 4
    t = F.gelu(x, approximate="tanh")
    assert (t == 0).all() and torch.signbit(t).all()  # torch: -0.0, 1 + tanh(u) cancelled


def test_fully_masked_softmax_row_differs_from_torch():
    x = torch.tensor([[-math.inf] * 4, [0.0, 1.0, 2.0, -math.inf]], requires_grad=True)
    y = at.softmax(x, dim=1)
    assert y[0].tolist() == [0.0] * 4
    torch.testing.assert_close(y[1], F.softmax(x[1].detach(), dim=0))
    assert torch.isnan(F.softmax(x.detach(), dim=1)[0]).all()
    assert at.log_softmax(x, dim=1)[0].tolist() == [-math.inf] * 4
    assert torch.isnan(F.log_softmax(x.detach(), dim=1)[0]).all()
    y.backward(torch.ones_like(y))
    assert x.grad[0].tolist() == [0.0] * 4


# ---------------------------------------------------------------------------
# layouts, copies, dtypes
# ---------------------------------------------------------------------------
VIEWS = {"transposed": lambda t: t.t(), "step": lambda t: t[::2, 1::3], "expanded": lambda t: t[:1].expand(6, -1)}


@pytest.mark.parametrize("name", [a.name for a in _registry.ACTIVATIONS if a.name != "prelu"])
def test_non_contiguous_inputs_match_contiguous(name):
    base = torch.linspace(-6, 6, 6 * 9).reshape(6, 9)
    fn = getattr(at, name)
    for label, view in VIEWS.items():
        leaf = base.clone().requires_grad_()
        v = view(leaf)
        c = v.detach().contiguous().requires_grad_()
        y1, y2 = fn(v), fn(c)
        assert torch.equal(y1, y2), label
        assert torch.equal(fn(view(base)), y2), label  # a view of a tensor that needs no grad
        g = torch.linspace(-1, 1, v.numel()).reshape(v.shape)
        y1.backward(g.t().contiguous().t())  # a strided grad_output too
        y2.backward(g)
        want = base.clone().requires_grad_()
        view(want).backward(c.grad)  # the contiguous gradient, taken back through the view
        assert torch.equal(leaf.grad, want.grad), label
    x = base.t()
    assert fn(x).stride() == x.stride()  # the memory format is kept, as torch's elementwise ops do


def test_non_contiguous_softmax_and_prelu():
    base = torch.randn(6, 9, 4)
    w = torch.tensor([0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    for x in (base.transpose(0, 2), base[::2, :, 1::2], base.permute(1, 0, 2)):
        for dim in range(3):
            assert torch.equal(at.softmax(x, dim), at.softmax(x.contiguous(), dim))
            assert torch.equal(at.log_softmax(x, dim), at.log_softmax(x.contiguous(), dim))
    x = base.permute(1, 0, 2)[:, ::2]  # (9, 3, 4), channels along dim 1 = 3
    w3 = w[:3].clone().requires_grad_()
    y = at.prelu(x, w3)
    assert torch.equal(y, at.prelu(x.contiguous(), w3))


def test_contiguous_float32_is_computed_without_a_copy(monkeypatch):
    x = torch.randn(64, 32)
    for view in (x, x.t(), x[::2, 1::3]):
        a = _torch_bridge.as_array(view)
        assert a.__array_interface__["data"][0] == view.data_ptr()
        assert a.strides == tuple(s * view.element_size() for s in view.stride())

    def no_copies(self, *args, **kwargs):
        raise AssertionError("copied")

    monkeypatch.setattr(torch.Tensor, "contiguous", no_copies)
    monkeypatch.setattr(torch.Tensor, "clone", no_copies)
    for view in (x, x.t()):
        t = view.detach().requires_grad_()
        y = at.gelu(t)
        assert y.data_ptr() != t.data_ptr()
        y.backward(torch.ones_like(y))
        at.Softmax(1)(t).sum().backward()
        at.prelu(t, torch.tensor([0.2], requires_grad=True)).sum().backward()


def test_half_precision():
    x = torch.linspace(-4, 4, 101)
    for dt in (torch.float16, torch.bfloat16):
        xh = x.to(dt).requires_grad_()
        y = at.gelu(xh)
        assert y.dtype == dt
        # computed in float32 and rounded once, as torch's CPU kernels do
        assert torch.equal(y, at.gelu(xh.detach().float()).to(dt))
        torch.testing.assert_close(y, F.gelu(xh.detach()), rtol=1e-2, atol=1e-3)
        y.backward(torch.ones_like(y))
        assert xh.grad.dtype == dt
        want = actcore.gelu_backward(np.ones(101, np.float32), xh.detach().float().numpy())
        assert torch.equal(xh.grad, torch.from_numpy(want).to(dt))
    y = at.softmax(x.to(torch.bfloat16), 0)
    assert y.dtype == torch.bfloat16


# ---------------------------------------------------------------------------
# modules in models
# ---------------------------------------------------------------------------
def test_replace_activations_in_sequential():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.GELU(approximate="tanh"), nn.Linear(16, 16), nn.LeakyReLU(0.2),
                          nn.Sequential(nn.Linear(16, 16), nn.PReLU(16, init=0.1), nn.Hardtanh(-2.0, 2.0)),
                          nn.Linear(16, 4), nn.SiLU(), nn.ReLU6(inplace=True), nn.LogSoftmax(dim=1)).double()
    ours = at.replace_activations(copy.deepcopy(model))
    assert [type(m).__name__ for m in ours.modules()] == [type(m).__name__ for m in model.modules()]
    assert all(type(m).__module__ in ("actcore.torch", "torch.nn.modules.linear", "torch.nn.modules.container")
               for m in ours.modules())
    assert ours[1].approximate == "tanh" and ours[3].negative_slope == 0.2 and ours[4][2].min_val == -2.0
    assert ours[7].inplace is True
    x = torch.randn(32, 8, dtype=torch.float64)
    y1, y2 = model(x), ours(x)
    torch.testing.assert_close(y2, y1, rtol=1e-12, atol=1e-12)
    y1.sum().backward()
    y2.sum().backward()
    for p1, p2 in zip(model.parameters(), ours.parameters()):
        torch.testing.assert_close(p2.grad, p1.grad, rtol=1e-10, atol=1e-12)
    assert set(ours.state_dict()) == set(model.state_dict())


def test_replace_keeps_the_prelu_parameter_and_state_dict_loads():
    theirs = nn.PReLU(3, init=0.1)
    ours = at.replace_activations(theirs)
    assert type(ours) is at.PReLU and ours.weight is theirs.weight
    fresh = at.PReLU(3)
    fresh.load_state_dict(nn.PReLU(3, init=0.7).state_dict())
    assert fresh.weight.tolist() == pytest.approx([0.7] * 3)
    assert list(fresh.state_dict()) == ["weight"] and repr(fresh) == "PReLU(num_parameters=3)"
    back = nn.PReLU(3)
    back.load_state_dict(fresh.state_dict())


def test_inplace_is_accepted_and_leaves_the_input():
    x = torch.linspace(-2, 2, 9)
    before = x.clone()
    y = at.ReLU(inplace=True)(x)
    assert torch.equal(x, before) and torch.equal(y, F.relu(before))
    assert torch.equal(at.leaky_relu(x, 0.1, True), F.leaky_relu(before, 0.1))


def test_softmax_without_dim_warns_and_picks_torchs_dim():
    for shape in ((5,), (3, 5), (2, 3, 5), (2, 3, 4, 5)):
        x = torch.randn(shape)
        with pytest.warns(UserWarning, match="dim"):
            y = at.Softmax()(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = nn.Softmax()(x)
        torch.testing.assert_close(y, ref)


def test_second_derivative_raises():
    x = torch.randn(5, dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(at.gelu(x).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError):
        g.sum().backward()


def test_in_place_change_before_backward_is_caught():
    x = torch.randn(5, requires_grad=True)
    h = x * 1
    y = at.gelu(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# ---------------------------------------------------------------------------
# errors name the argument
# ---------------------------------------------------------------------------
def test_errors_name_the_argument():
    with pytest.raises(TypeError, match="input is on device meta"):
        at.gelu(torch.empty(3, device="meta"))
    with pytest.raises(TypeError, match="input has dtype torch.int64"):
        at.GELU()(torch.arange(3))
    with pytest.raises(TypeError, match="input must be a torch.Tensor"):
        at.relu(np.ones(3))
    with pytest.raises(TypeError, match="layout"):
        at.relu(torch.eye(3).to_sparse())
    with pytest.raises(TypeError, match="weight is on device meta"):
        at.prelu(torch.ones(3), torch.empty(1, device="meta"))
    with pytest.raises(actcore.ParameterError, match="approximate"):
        at.GELU("exact")
    with pytest.raises(actcore.ParameterError, match="beta"):
        at.Softplus(beta=-1.0)
    with pytest.raises(actcore.ParameterError, match="min_val"):
        at.Hardtanh(2.0, 1.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'alpha'"):
        at.GELU(alpha=1.0)
    with pytest.raises(ValueError, match="weight has 4 elements"):
        at.prelu(torch.ones(2, 3), torch.ones(4))
    with pytest.raises(ValueError, match="num_parameters"):
        at.PReLU(0)
    with pytest.raises(IndexError):
        at.softmax(torch.ones(2, 3), dim=2)
