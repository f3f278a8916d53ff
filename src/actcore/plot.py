"""Figures of the activations and of the training diagnostics.

    >>> import actcore.plot
    >>> fig = actcore.plot.activations()                 # every activation and its derivative
    >>> fig = actcore.plot.activations(["gelu", "silu"], x=(-4, 4))
    >>> fig = actcore.plot.gradient_flow(["sigmoid", "tanh", "relu"], depth=20)
    >>> fig = actcore.plot.dead_units({"relu": [0.0, 0.2, 0.35], "leaky_relu": [0.0, 0.0, 0.0]})
    >>> fig.savefig("activations.png")

matplotlib is an optional extra (`pip install actcore[plot]`).  It is
imported inside each function, so `import actcore` and `import actcore.plot`
never load it and the error for a missing matplotlib comes on the first
call.  Each function returns the matplotlib Figure.  Without `ax`, the
figure is made with pyplot when the caller already uses pyplot (so plt.show()
and notebooks display it) and otherwise as a bare matplotlib.figure.Figure,
which needs no GUI backend and renders with Agg on savefig.

Every title, parameter and range comes from the registry (actcore._registry);
curves are computed with actcore's kernels (actcore.diagnostics).
"""
from __future__ import annotations

import math
import sys

import numpy as np

from . import _registry
from . import diagnostics as _dx

__all__ = ["activations", "gradient_flow", "dead_units", "require_matplotlib"]

INSTALL_HINT = "pip install actcore[plot]"

# Line styles shared by every figure: the function solid, its derivative dashed.
_FUNC_STYLE = {"linestyle": "-", "linewidth": 1.8, "color": "C0"}
_DERIV_STYLE = {"linestyle": "--", "linewidth": 1.4, "color": "C1"}
# Reference lines (zero axes, limits) carry labels starting with "_": matplotlib
# keeps them out of legends, and tests count only the data lines.
_REF_STYLE = {"color": "0.6", "linewidth": 0.7, "zorder": 0}


def require_matplotlib():
    """Import matplotlib, or raise an ImportError that says what to install."""
    try:
        import matplotlib
        import matplotlib.figure  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"actcore.plot needs matplotlib, which is not installed: {INSTALL_HINT} "
                          f"(or pip install 'matplotlib>=3.7')") from exc
    return matplotlib


def _new_figure(nrows=1, ncols=1, figsize=None):
    """(figure, 2-D array of axes), with constrained layout (titles and the
    outside legend get room without tight_layout calls)."""
    require_matplotlib()
    if "matplotlib.pyplot" in sys.modules:
        # the caller works with pyplot: register the figure so plt.show() and
        # notebooks display it
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=figsize, layout="constrained")
    else:
        # no pyplot, no GUI backend: a bare Figure saves through Agg
        from matplotlib.figure import Figure
        fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


# ---------------------------------------------------------------------------
# activations and derivatives
# ---------------------------------------------------------------------------
def _plot_params(act, overrides):
    """Parameter values to draw `act` with: the registry's defaults, then the
    caller's; a required parameter (prelu's weight) takes the first value the
    registry's test samples list for it."""
    params = act.defaults()
    for p in act.params:
        if p.name not in params and p.samples:
            params[p.name] = p.samples[0]
    params.update(overrides.get(act.name, {}))
    return params


def _param_text(act, params):
    shown = [f"{p.name}={params[p.name]!r}" if p.kind == "choice" else f"{p.name}={params[p.name]:g}"
             for p in act.params if p.name in params]
    return ", ".join(shown)


def _range_text(lo, hi):
    def fmt(v):
        v = float(v)
        return "-inf" if v == -math.inf else "inf" if v == math.inf else f"{v:.4g}"
    return f"\u2208 ({fmt(lo)}, {fmt(hi)})"


def _names(names):
    if names is None:
        return [a.name for a in _registry.ACTIVATIONS]
    if isinstance(names, str):
        names = [names]
    return [_registry.lookup(n).name for n in names]


def _break_jumps(xs, ys):
    """Insert NaN where a sampled curve jumps (relu' at 0, hardswish' at -3),
    so the plot shows a step instead of a vertical segment that is not part of
    the function.  A jump is a change between neighbouring samples that is
    large (over 2% of the curve's span) and much larger (8x) than the changes
    on both sides of it: a smooth curve, or a continuous one with a cusp
    (softsign' at 0), changes by similar amounts on neighbouring steps."""
    ys = np.asarray(ys, dtype=np.float64)
    finite = ys[np.isfinite(ys)]
    span = float(finite.max() - finite.min()) if finite.size else 0.0
    if span == 0.0 or len(ys) < 3:
        return xs, ys
    step = np.abs(np.diff(ys))
    padded = np.concatenate(([0.0], step, [0.0]))
    around = np.maximum(padded[:-2], padded[2:])
    cut = np.flatnonzero((step > 0.02 * span) & (step > 8.0 * around))
    if cut.size == 0:
        return xs, ys
    # NaN between samples i and i+1 at the midpoint: matplotlib breaks the line there
    mid = 0.5 * (xs[cut] + xs[cut + 1])
    return np.insert(xs, cut + 1, mid), np.insert(ys, cut + 1, np.nan)


def _draw_activation(ax, act, params, xs, derivatives, title, overlay):
    ys = _dx.forward(act.name, xs, **params)
    label = act.name if overlay else f"{act.name}(x)"
    fstyle = dict(_FUNC_STYLE)
    dstyle = dict(_DERIV_STYLE)
    if overlay:  # several activations on one axis: one colour each
        fstyle.pop("color")
        dstyle.pop("color")
    (line,) = ax.plot(xs, ys, label=label, **fstyle)
    if derivatives and act.derivative is not None:
        if overlay:  # the derivative in its function's colour
            dstyle["color"] = line.get_color()
        dx_, dy = _break_jumps(xs, _dx.derivative(act.name, xs, **params))
        ax.plot(dx_, dy, label=f"{act.name}'(x)", **dstyle)
    if overlay:
        return
    ax.axhline(0.0, label="_zero", **_REF_STYLE)
    ax.axvline(0.0, label="_zero", **_REF_STYLE)
    lo, hi = act.limits(**params)
    # finite limits at +-inf are the asymptotes (sigmoid's 0 and 1, elu's -alpha)
    for v in (lo, hi):
        if np.ndim(v) == 0 and math.isfinite(float(v)) and float(v) != 0.0:
            ax.axhline(float(v), linestyle=":", label="_limit", **_REF_STYLE)
    if title:
        extra = _param_text(act, params)
        ax.set_title(f"{act.name}  {_range_text(lo, hi)}" + (f"\n{extra}" if extra else ""), fontsize=9)
    ax.tick_params(labelsize=7)
    ax.grid(True, linewidth=0.3, alpha=0.5)


def activations(names=None, x=(-5, 5), derivatives=True, ax=None, params=None, ncols=5, num=801,
                title=True):
    """The activations (solid) and their derivatives (dashed), one panel each.

    names: activation names or aliases (default: every activation in the
        registry, in its order).
    x: (lo, hi) range of the x axis, or the sample points themselves.
    derivatives: also draw f'(x), with the C derivative kernel where one
        exists and the registry's float64 derivative otherwise.
    ax: draw every curve on this one Axes (overlaid, with a legend) instead
        of making a grid.
    params: {name: {param: value}} to override the registry's defaults.
    Each panel's title is the name, the output range (the registry's limits
    at -inf and +inf) and the parameter values used; finite non-zero limits
    are drawn as dotted asymptotes and grey lines mark x = 0 and y = 0.
    Returns the Figure.
    """
    require_matplotlib()
    acts = [_registry.lookup(n) for n in _names(names)]
    if not acts:
        raise ValueError("actcore.plot.activations: no activations to plot")
    overrides = {_registry.lookup(k).name: v for k, v in (params or {}).items()}
    if np.ndim(x) == 1 and len(x) == 2:
        xs = np.linspace(float(x[0]), float(x[1]), int(num))
    else:
        xs = np.asarray(x, dtype=np.float64).ravel()
    if ax is not None:
        for act in acts:
            _draw_activation(ax, act, _plot_params(act, overrides), xs, derivatives, title, overlay=True)
        ax.axhline(0.0, label="_zero", **_REF_STYLE)
        ax.axvline(0.0, label="_zero", **_REF_STYLE)
        ax.legend(fontsize=8)
        ax.grid(True, linewidth=0.3, alpha=0.5)
        return ax.figure
    ncols = max(1, min(int(ncols), len(acts)))
    nrows = -(-len(acts) // ncols)
    fig, axes = _new_figure(nrows, ncols, figsize=(2.6 * ncols, 2.3 * nrows))
    flat = axes.ravel()
    for a, act in zip(flat, acts):
        _draw_activation(a, act, _plot_params(act, overrides), xs, derivatives, title, overlay=False)
    for a in flat[len(acts):]:  # the grid's unused cells
        fig.delaxes(a)
    if derivatives:
        fig.legend(handles=flat[0].lines[:2], labels=["f(x)", "f'(x)"], loc="outside lower center", ncols=2,
                   fontsize=8, frameon=False)
    return fig


# ---------------------------------------------------------------------------
# diagnostics
# ---------------------------------------------------------------------------
def gradient_flow(names=("sigmoid", "tanh", "relu", "leaky_relu"), depth=20, width=256, init="he", batch=128,
                  seed=0, results=None, ax=None):
    """Per-layer weight-gradient norms of a random deep MLP (log scale), one
    line per activation and init, from actcore.diagnostics.gradient_flow.

    init: "he", "xavier", or a sequence of both (solid and dashed lines).
    results: GradientFlow objects already computed (names, depth and the
    rest are then ignored).  Returns the Figure.
    """
    require_matplotlib()
    if results is None:
        inits = [init] if isinstance(init, str) else list(init)
        results = [_dx.gradient_flow(n, depth=depth, width=width, init=i, batch=batch, seed=seed)
                   for i in inits for n in _names(names)]
    if ax is None:
        fig, axes = _new_figure(figsize=(7.2, 3.8))
        ax = axes[0, 0]
    from matplotlib.ticker import MaxNLocator

    inits_seen = list(dict.fromkeys(r.init for r in results))
    colours, markers = {}, "o^sDv<>p"
    for r in results:
        colour = colours.setdefault(r.name, f"C{len(colours) % 10}")
        # a marker per activation too: curves that coincide (relu and
        # leaky_relu) stay distinguishable
        marker = markers[list(colours).index(r.name) % len(markers)]
        style = "-" if inits_seen.index(r.init) == 0 else "--"
        label = r.name if len(inits_seen) == 1 else r.label
        ax.semilogy(np.arange(1, r.depth + 1), r.weight_grad_norms, style, color=colour, marker=marker,
                    markersize=3.5, markerfacecolor="none", label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel(r"$\|\partial L / \partial W_l\|_F$")
    r0 = results[0]
    init_text = inits_seen[0] if len(inits_seen) == 1 else " solid, ".join(inits_seen) + " dashed"
    ax.set_title(f"gradient flow: {r0.depth} layers x {r0.width} units, {init_text} init", fontsize=10)
    ax.grid(True, which="major", linewidth=0.3, alpha=0.5)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax.figure


def dead_units(history, ax=None, title="dead units per epoch", ylabel="dead units (%)"):
    """Dead-unit share over training, one line per run or layer.

    history: {label: per-epoch dead fractions in [0, 1]} (e.g. collected
    with actcore.diagnostics.dead_fraction after each epoch), or a single
    sequence.  Returns the Figure.
    """
    require_matplotlib()
    if not isinstance(history, dict):
        history = {"dead": history}
    if ax is None:
        fig, axes = _new_figure(figsize=(6.0, 3.6))
        ax = axes[0, 0]
    for label, fractions in history.items():
        f = np.asarray(fractions, dtype=np.float64)
        ax.plot(np.arange(len(f)), 100.0 * f, marker=".", markersize=4, label=str(label))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.legend(fontsize=8)
    return ax.figure
