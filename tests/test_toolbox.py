"""The activation toolbox: actcore.diagnostics on inputs with known answers,
actcore.plot figures rendered headless, the `plot` command, and the
optional-matplotlib contract (import actcore never loads it; a missing
matplotlib gives an ImportError that says what to install)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import actcore
from actcore import _registry, functional
from actcore import diagnostics as dx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python(code):
    """Run `code` in a fresh interpreter that imports this source tree's actcore."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


# ---------------------------------------------------------------------------
# dead units, sparsity, saturation
# ---------------------------------------------------------------------------
DEAD = [1, 4, 8]


def _layer_with_dead_units(batch=64, units=10, dtype=np.float32, seed=0):
    """relu of pre-activations where units DEAD are negative on every sample
    and every other unit is positive on at least one sample."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((batch, units)).astype(dtype)
    z[:, DEAD] = -np.abs(z[:, DEAD]) - 0.1
    alive = [u for u in range(units) if u not in DEAD]
    z[0, alive] = 1.0
    z[1:, 0] = -1.0  # unit 0 fires on one sample only: alive, not dead
    return z, actcore.relu(z)


def test_dead_fraction_three_of_ten():
    z, h = _layer_with_dead_units()
    assert dx.dead_fraction(h) == pytest.approx(0.3)
    np.testing.assert_array_equal(np.flatnonzero(dx.dead_units(h)), DEAD)
    # samples along axis 1 instead of 0
    assert dx.dead_fraction(h.T, axis=1) == pytest.approx(0.3)
    # conv-style: batch and position axes both count as samples
    h4 = np.stack([h, h], axis=1)                        # (batch, position, units)
    assert dx.dead_fraction(h4, axis=(0, 1)) == pytest.approx(0.3)


def test_dead_fraction_per_layer_dict():
    _, h = _layer_with_dead_units()
    alive = np.ones((5, 4), np.float32)
    out = dx.dead_fraction({"fc1": h, "fc2": alive, "fc3": np.zeros((5, 4))})
    assert out == {"fc1": pytest.approx(0.3), "fc2": 0.0, "fc3": 1.0}


def test_dead_fraction_tolerance_and_nan():
    a = np.array([[1e-9, 0.0, np.nan], [-1e-9, 0.0, 0.0]])
    assert dx.dead_fraction(a) == pytest.approx(1 / 3)        # only exact zeros by default
    assert dx.dead_fraction(a, atol=1e-8) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        dx.dead_fraction(np.float32(0.0))


def test_sparsity():
    z, h = _layer_with_dead_units()
    assert dx.sparsity(h) == pytest.approx(np.mean(z <= 0))
    a = np.array([[0.0, 1.0, 0.0, 2.0]])
    assert dx.sparsity(a) == 0.5
    assert dx.sparsity({"a": a, "b": np.zeros(3)}) == {"a": 0.5, "b": 1.0}


def test_saturation_fraction_sigmoid_and_tanh():
    # sigmoid'(z) < 0.01 where |z| > 4.59; tanh'(z) < 0.01 where |z| > 2.99
    z = np.array([[0.0, 1.0, -2.0, 6.0, -8.0, 20.0, 3.5, -4.0]], np.float32)
    assert dx.saturation_fraction(z, "sigmoid", threshold=0.01) == pytest.approx(3 / 8)
    assert dx.saturation_fraction(z, "tanh", threshold=0.01) == pytest.approx(5 / 8)
    # with a sample axis: a unit counts when it is flat on every sample
    zz = np.array([[10.0, 10.0, 0.0], [-10.0, 0.0, 0.0]])
    assert dx.saturation_fraction(zz, "sigmoid", threshold=0.01, axis=0) == pytest.approx(1 / 3)
    assert dx.saturation_fraction({"l1": zz}, "tanh", threshold=0.01) == {"l1": pytest.approx(3 / 6)}
    # any activation works: relu's flat region is z <= 0; parameters pass through
    assert dx.saturation_fraction(np.array([-1.0, 0.0, 1.0]), "relu", threshold=0.5) == pytest.approx(2 / 3)
    assert dx.saturation_fraction(np.array([-1.0, 1.0]), "leaky_relu", threshold=0.5,
                                  negative_slope=0.6) == 0.0


# ---------------------------------------------------------------------------
# derivative and backward: the C kernel where it exists, the registry otherwise
# ---------------------------------------------------------------------------
X = np.linspace(-7.0, 7.0, 281)


def _plot_params(act):
    p = act.defaults()
    p.update({q.name: q.samples[0] for q in act.params if q.name not in p})
    return p


@pytest.mark.parametrize("act", _registry.ACTIVATIONS, ids=lambda a: a.name)
def test_derivative_and_backward_for_every_activation(act):
    params = _plot_params(act)
    ref = act.derivative(X, **params)
    d = dx.derivative(act.name, X, **params)
    assert d.dtype == np.float64
    # atol: at a zero of f' (hardswish' at -1.5 is a grid point) a kernel may
    # round to a tiny non-zero value; |f'| is O(1) on this range
    np.testing.assert_allclose(d, ref, rtol=1e-12, atol=1e-14)
    g = np.cos(X)
    np.testing.assert_allclose(dx.backward(act.name, g, X, **params), g * ref, rtol=1e-12, atol=1e-14)
    # float32 in, float32 out, whichever path computed it
    d32 = dx.derivative(act.name, X.astype(np.float32), **params)
    assert d32.dtype == np.float32
    np.testing.assert_allclose(d32, ref, rtol=1e-5, atol=1e-6)
    # the C kernels are used exactly where functional exports them
    fast = getattr(functional, f"{act.name}_derivative", None)
    assert (dx._fast(act, "derivative") is not None) == (fast is not None)


def test_new_c_kernels_are_picked_up(monkeypatch):
    """Once functional exports <name>_derivative / _backward (the C kernels being
    added activation by activation), the diagnostics call them instead of the
    reference, with the registry's parameters."""
    calls = []

    def fake_derivative(x, negative_slope):
        calls.append(("derivative", negative_slope))
        return np.full_like(x, 7.0)

    def fake_backward(g, x, negative_slope):
        calls.append(("backward", negative_slope))
        return g * 7.0

    monkeypatch.setattr(functional, "leaky_relu_derivative", fake_derivative, raising=False)
    monkeypatch.setattr(functional, "leaky_relu_backward", fake_backward, raising=False)
    assert np.all(dx.derivative("leaky_relu", X) == 7.0)
    assert np.all(dx.backward("leaky_relu", np.ones_like(X), X, negative_slope=0.2) == 7.0)
    assert dx.saturation_fraction(X, "leaky_relu", threshold=1.0) == 0.0
    assert calls == [("derivative", 0.01), ("backward", 0.2), ("derivative", 0.01)]


def test_reference_fallback_keeps_limits_and_nan():
    act = _registry.lookup("sigmoid")
    x = np.array([-np.inf, -1.0, np.nan, np.inf], np.float32)
    d = dx._reference_derivative(act, x, {})
    assert d.dtype == np.float32
    assert d[0] == 0.0 and d[3] == 0.0 and np.isnan(d[2])
    assert d[1] == pytest.approx(float(act.derivative(np.float64(-1.0))))
    elu = _registry.lookup("elu")
    np.testing.assert_array_equal(dx._reference_derivative(elu, np.array([-np.inf, np.inf]), {"alpha": 2.0}),
                                  [0.0, 1.0])


def test_parameters_come_from_the_registry():
    act, params = dx.resolve("swish")  # alias
    assert act.name == "silu" and params == {"beta": 1.0}
    with pytest.raises(TypeError, match="weight"):
        dx.resolve("prelu")           # required, no default to invent
    with pytest.raises(TypeError, match="bogus"):
        dx.resolve("relu", {"bogus": 1})
    with pytest.raises(ValueError, match="unknown activation"):
        dx.forward("nope", X)


# ---------------------------------------------------------------------------
# gradient flow
# ---------------------------------------------------------------------------
def test_gradient_flow_sigmoid_vanishes_within_the_bound():
    depth = 10
    r = dx.gradient_flow("sigmoid", depth=depth, width=64, batch=32, init="xavier", seed=3, dtype=np.float64)
    assert r.output_grad_norm == pytest.approx(1.0)
    assert np.all(r.max_derivative <= 0.25)
    # |sigmoid'| <= 1/4 so every layer shrinks the gradient by at most 0.25 ||W_l||_2:
    # ||dL/dh_0|| <= 0.25^10 * prod ||W_l||_2 * ||dL/dh_10||
    bound = 0.25 ** depth * np.prod(r.weight_norms) * r.output_grad_norm
    assert 0 < r.input_grad_norms[0] <= bound
    # and the same bound from any layer down to the input side
    for l in range(depth):
        assert r.input_grad_norms[l] <= 0.25 ** (depth - l) * np.prod(r.weight_norms[l:]) * (1 + 1e-12)
    # the vanishing-gradient effect itself: the first layer learns orders of magnitude slower
    assert r.ratio < 1e-3
    assert np.all(np.diff(np.log(r.weight_grad_norms)) > 0)


def test_gradient_flow_relu_he_keeps_the_scale():
    r = dx.gradient_flow("relu", depth=10, width=128, batch=64, init="he", seed=0)
    assert 0.2 < r.ratio < 5
    assert r.weight_grad_norms.shape == r.input_grad_norms.shape == r.activation_std.shape == (10,)
    assert np.all(np.isfinite(r.weight_grad_norms))


@pytest.mark.parametrize("name", ["tanh", "leaky_relu", "mish", "hardswish"])
def test_gradient_flow_runs_for_any_activation(name):
    r = dx.gradient_flow(name, depth=4, width=16, batch=8, init="xavier", seed=1)
    assert r.name == name and r.init == "xavier" and len(r.weight_grad_norms) == 4
    assert np.all(np.isfinite(r.weight_grad_norms)) and np.all(r.weight_grad_norms > 0)
    assert r.params == _registry.lookup(name).defaults()


def test_gradient_flow_rejects_bad_arguments():
    with pytest.raises(ValueError, match="init"):
        dx.gradient_flow("relu", init="lecun")
    with pytest.raises(ValueError):
        dx.gradient_flow("relu", depth=0)


# ---------------------------------------------------------------------------
# optional matplotlib
# ---------------------------------------------------------------------------
def test_import_actcore_does_not_import_matplotlib():
    r = _python("import sys, actcore, actcore.plot, actcore.diagnostics\n"
                "assert actcore.plot.__name__ == 'actcore.plot'\n"
                "assert 'plot' in dir(actcore) and 'diagnostics' in dir(actcore)\n"
                "print('matplotlib' in sys.modules)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


MISSING_MPL = "import sys\nsys.modules['matplotlib'] = None  # makes `import matplotlib` raise ImportError\n"


def test_missing_matplotlib_import_error_says_what_to_install():
    r = _python(MISSING_MPL + "import actcore\n"
                "try:\n"
                "    actcore.plot.activations()\n"
                "except ImportError as exc:\n"
                "    print('ImportError:', exc)\n"
                "print(actcore.diagnostics.dead_fraction([[0.0, 1.0]]))  # diagnostics need no matplotlib\n")
    assert r.returncode == 0, r.stderr
    assert "ImportError:" in r.stdout and "pip install actcore[plot]" in r.stdout
    assert r.stdout.strip().endswith("0.5")


def test_missing_matplotlib_cli_exits_with_the_hint(tmp_path):
    r = _python(MISSING_MPL + f"from actcore.cli import main\nmain(['plot', '-o', {str(tmp_path / 'a.png')!r}])\n")
    assert r.returncode == 1
    assert "pip install actcore[plot]" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "a.png").exists()


# ---------------------------------------------------------------------------
# figures (headless: Agg)
# ---------------------------------------------------------------------------
@pytest.fixture
def mpl():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    return matplotlib


def _data_lines(ax):
    """Curves drawn from data; reference lines (zero axes, limits) are labelled '_...'."""
    return [ln for ln in ax.lines if not ln.get_label().startswith("_")]


def test_activations_grid_every_registry_entry(mpl):
    from matplotlib.figure import Figure
    fig = actcore.plot.activations()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == len(_registry.ACTIVATIONS)
    for ax, act in zip(fig.axes, _registry.ACTIVATIONS):
        lines = _data_lines(ax)
        assert len(lines) == 2
        assert lines[0].get_linestyle() == "-" and lines[1].get_linestyle() == "--"
        assert ax.get_title().startswith(act.name)
        np.testing.assert_allclose(lines[0].get_ydata(), act.reference(lines[0].get_xdata(), **_plot_params(act)),
                                   rtol=1e-12, atol=1e-300)
    # the registry's range shows in the title: sigmoid is (0, 1)
    assert "(0, 1)" in fig.axes[0].get_title()
    # relu's derivative steps at 0: the dashed line breaks instead of drawing a vertical segment
    relu_d = _data_lines(fig.axes[[a.name for a in _registry.ACTIVATIONS].index("relu")])[1].get_ydata()
    assert np.isnan(relu_d).sum() == 1
    hswish_d = _data_lines(fig.axes[[a.name for a in _registry.ACTIVATIONS].index("hardswish")])[1].get_ydata()
    assert np.isnan(hswish_d).sum() == 2                                    # at -3 and 3
    for smooth in ("sigmoid", "softsign", "gelu", "mish"):                  # softsign' has a cusp, no jump
        ax = fig.axes[[a.name for a in _registry.ACTIVATIONS].index(smooth)]
        assert not np.isnan(_data_lines(ax)[1].get_ydata()).any(), smooth
    fig.canvas.draw()  # renders with Agg


def test_activations_subset_options(mpl, tmp_path):
    fig = actcore.plot.activations(["relu", "swish", "gelu"], x=(-2, 3), derivatives=False, ncols=2,
                                   params={"gelu": {"approximate": "tanh"}})
    assert len(fig.axes) == 3                       # 2x2 grid, unused cell removed
    assert [len(_data_lines(ax)) for ax in fig.axes] == [1, 1, 1]
    assert fig.axes[1].get_title().startswith("silu")
    assert "approximate='tanh'" in fig.axes[2].get_title()
    x = _data_lines(fig.axes[0])[0].get_xdata()
    assert x[0] == -2 and x[-1] == 3
    path = tmp_path / "subset.png"
    fig.savefig(path, dpi=40)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_activations_on_given_ax(mpl):
    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.subplots()
    assert actcore.plot.activations(["tanh", "relu"], ax=ax) is fig
    assert len(fig.axes) == 1 and len(_data_lines(ax)) == 4
    assert ax.get_legend() is not None


def test_gradient_flow_figure(mpl):
    results = [dx.gradient_flow(n, depth=5, width=16, batch=8, init=i) for i in ("he", "xavier")
               for n in ("sigmoid", "relu")]
    fig = actcore.plot.gradient_flow(results=results)
    (ax,) = fig.axes
    assert len(_data_lines(ax)) == 4
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(_data_lines(ax)[0].get_ydata(), results[0].weight_grad_norms)
    fig2 = actcore.plot.gradient_flow(["tanh"], depth=3, width=8, batch=4)
    assert len(_data_lines(fig2.axes[0])) == 1
    fig.canvas.draw()


def test_dead_units_figure(mpl):
    fig = actcore.plot.dead_units({"relu": [0.0, 0.25, 0.5], "leaky_relu": [0.0, 0.0, 0.0]})
    (ax,) = fig.axes
    lines = _data_lines(ax)
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [0.0, 25.0, 50.0])  # percent
    assert len(_data_lines(actcore.plot.dead_units([0.1, 0.2]).axes[0])) == 1
    fig.canvas.draw()


def test_cli_plot_writes_png(mpl, tmp_path):
    from actcore.cli import main
    out = tmp_path / "activations.png"
    assert main(["plot", "-o", str(out), "--names", "relu,gelu", "--dpi", "30"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out2 = tmp_path / "flow.png"
    assert main(["plot", "gradient-flow", "-o", str(out2), "--names", "sigmoid", "--depth", "3",
                 "--init", "he", "--dpi", "30"]) == 0
    assert out2.stat().st_size > 0


def test_example_runs(mpl, tmp_path):
    """examples/dead_relu.py end to end, shortened (the README's figures come from its full run)."""
    pytest.importorskip("PIL")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "dead_relu.py"), "--epochs", "1",
                        "--width", "16", "--flow-depth", "3", "--flow-width", "16", "--dpi", "30",
                        "--out-dir", str(tmp_path)], cwd=str(tmp_path), capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")))
    assert r.returncode == 0, r.stderr
    assert "relu       epoch  1: dead" in r.stdout and "leaky_relu epoch  1: dead   0.0%" in r.stdout
    for name in ("activations.png", "dead_units.png", "gradient_flow.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pyplot_users_get_registered_figures(mpl):
    """With pyplot in use, figures join pyplot's list (plt.show() and notebooks
    display them); without it they are bare Figures (no GUI backend needed)."""
    plt = pytest.importorskip("matplotlib.pyplot")
    before = set(plt.get_fignums())
    fig = actcore.plot.activations(["relu"])
    try:
        assert fig.number in set(plt.get_fignums()) - before
    finally:
        plt.close(fig)
