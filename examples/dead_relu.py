"""Dead ReLUs at a high learning rate, and gradient flow through depth.

A small MLP is trained in plain NumPy on a 3-class spiral, once with relu and
once with leaky_relu, at a learning rate high enough to kill ReLU units.
Forward and backward passes of the activations are actcore's kernels
(actcore.diagnostics.forward / backward: the C backward kernel where one
exists, the registry's derivative otherwise); the matmuls are NumPy's.  After
every epoch it measures, on the whole training set:

  dead      units whose output is 0 for every sample (diagnostics.dead_fraction):
            they get no gradient and can never recover;
  inactive  units whose pre-activation is <= 0 for every sample (relu's
            derivative is 0 everywhere: diagnostics.saturation_fraction with
            relu, axis=0).  For relu that is the same set; a leaky_relu unit
            there still passes 0.01 of the gradient and can come back.

Then it compares gradient flow through a random 20-layer MLP
(diagnostics.gradient_flow) for sigmoid, tanh, relu and leaky_relu under He
and Xavier init, and writes three figures (dpi 80, for the README):

  docs/img/activations.png    every activation (solid) and its derivative (dashed)
  docs/img/dead_units.png     dead units per epoch and training accuracy, both runs
  docs/img/gradient_flow.png  per-layer weight-gradient norms

Run from the repository root:  python examples/dead_relu.py  (about 10 s on 2 cores)
"""
from __future__ import annotations

import argparse
import io
import os
import time

import matplotlib

matplotlib.use("Agg")  # files only: works without a display

import numpy as np  # noqa: E402

try:
    import actcore  # noqa: E402
except ImportError:  # run from a source checkout that was built in place but not installed
    import sys
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import actcore  # noqa: E402
import actcore.plot  # noqa: E402
from actcore import diagnostics as dx  # noqa: E402


def save_small(fig, path, dpi):
    """PNG with a 64-colour palette: a third of the size of matplotlib's RGBA
    output for line art, which matters for images committed to the repo."""
    try:
        from PIL import Image  # a matplotlib dependency
    except ImportError:
        fig.savefig(path, dpi=dpi)
        return
    buf = io.BytesIO()
    fig.savefig(buf, dpi=dpi, format="png")
    buf.seek(0)
    Image.open(buf).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def spiral(n_per_class=700, classes=3, noise=0.25, seed=0):
    """Interleaved 2-D spirals: a task a linear model cannot solve."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, n_per_class)
        t = np.linspace(c * 2 * np.pi / classes, c * 2 * np.pi / classes + 3.5, n_per_class)
        t = t + rng.standard_normal(n_per_class) * noise
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(n_per_class, c))
    x = np.concatenate(xs).astype(np.float32)
    x = (x - x.mean(0)) / x.std(0)
    return x, np.concatenate(ys)


def init_mlp(sizes, seed):
    """He-initialised weights (what relu nets use), zero biases."""
    rng = np.random.default_rng(seed)
    return [((rng.standard_normal((i, o)) * np.sqrt(2.0 / i)).astype(np.float32), np.zeros(o, np.float32))
            for i, o in zip(sizes[:-1], sizes[1:])]


def forward(layers, x, act):
    """Logits, and per hidden layer its input, pre-activation and output."""
    cache = []
    h = x
    for w, b in layers[:-1]:
        z = h @ w + b
        out = dx.forward(act, z)
        cache.append((h, z, out))
        h = out
    w, b = layers[-1]
    return h @ w + b, cache, h


def train_step(layers, x, y, act, lr):
    logits, cache, h_last = forward(layers, x, act)
    # softmax cross-entropy: dL/dlogits = (softmax - onehot) / batch
    p = actcore.softmax(logits, axis=1)
    p[np.arange(len(y)), y] -= 1.0
    g = p / len(y)
    grads = []
    w, b = layers[-1]
    grads.append((h_last.T @ g, g.sum(0)))
    g = g @ w.T
    for (h_in, z, _), (w, b) in zip(reversed(cache), reversed(layers[:-1])):
        gz = dx.backward(act, g, z)                    # dL/dz = dL/dh * f'(z), actcore's kernel
        grads.append((h_in.T @ gz, gz.sum(0)))
        g = gz @ w.T
    for (w, b), (gw, gb) in zip(layers, reversed(grads)):
        w -= lr * gw
        b -= lr * gb


def measure(layers, x, y, act):
    logits, cache, _ = forward(layers, x, act)
    outputs = {f"fc{i + 1}": out for i, (_, _, out) in enumerate(cache)}
    pre = {f"fc{i + 1}": z for i, (_, z, _) in enumerate(cache)}
    units = sum(o.shape[1] for o in outputs.values())
    per_layer = dx.dead_fraction(outputs)
    # share of all hidden units, weighting each layer by its width
    dead = sum(per_layer[k] * outputs[k].shape[1] for k in outputs) / units
    inactive_layers = dx.saturation_fraction(pre, "relu", threshold=0.5, axis=0)  # relu'(z) = 0 on every sample
    inactive = sum(inactive_layers[k] * pre[k].shape[1] for k in pre) / units
    acc = float(np.mean(np.argmax(logits, axis=1) == y))
    if not np.isfinite(logits).all():  # NaN units are neither dead nor alive: say so
        acc = float("nan")
    return dead, inactive, acc, per_layer


def run(act, x, y, sizes, lr, epochs, batch, seed):
    layers = init_mlp(sizes, seed)
    rng = np.random.default_rng(seed + 1)
    history = {"dead": [], "inactive": [], "accuracy": []}
    for epoch in range(epochs + 1):
        if epoch:  # epoch 0: the state at initialisation
            order = rng.permutation(len(x))
            for s in range(0, len(x), batch):
                idx = order[s:s + batch]
                train_step(layers, x[idx], y[idx], act, lr)
        dead, inactive, acc, per_layer = measure(layers, x, y, act)
        history["dead"].append(dead)
        history["inactive"].append(inactive)
        history["accuracy"].append(acc)
        layer_text = " ".join(f"{k}={v:.0%}" for k, v in per_layer.items())
        print(f"  {act:10s} epoch {epoch:2d}: dead {dead:6.1%} ({layer_text})  inactive {inactive:6.1%}  "
              f"train acc {acc:6.1%}", flush=True)
        if np.isnan(acc):
            print(f"  {act}: diverged (non-finite logits) at lr={lr}; try a smaller --lr", flush=True)
            break
    return history


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lr", type=float, default=0.8, help="SGD learning rate (high on purpose)")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", default=os.path.join("docs", "img"))
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--flow-depth", type=int, default=20, help="layers of the gradient-flow MLP")
    ap.add_argument("--flow-width", type=int, default=256, help="units per layer of the gradient-flow MLP")
    args = ap.parse_args()
    t0 = time.perf_counter()
    os.makedirs(args.out_dir, exist_ok=True)

    x, y = spiral(seed=args.seed)
    sizes = [x.shape[1], args.width, args.width, args.width, int(y.max()) + 1]
    print(f"MLP {sizes}, {len(x)} samples, SGD lr={args.lr}, batch {args.batch}, {args.epochs} epochs")
    runs = {act: run(act, x, y, sizes, args.lr, args.epochs, args.batch, args.seed)
            for act in ("relu", "leaky_relu")}

    from matplotlib.figure import Figure
    fig = Figure(figsize=(9.0, 3.4), layout="constrained")
    ax_dead, ax_acc = fig.subplots(1, 2)
    actcore.plot.dead_units({"relu: dead": runs["relu"]["dead"],
                             "leaky_relu: dead": runs["leaky_relu"]["dead"],
                             "leaky_relu: inactive (z<=0 on all samples)": runs["leaky_relu"]["inactive"]},
                            ax=ax_dead, title=f"hidden units dead per epoch (SGD lr={args.lr})")
    for act, h in runs.items():
        ax_acc.plot(np.arange(len(h["accuracy"])), 100 * np.asarray(h["accuracy"]), marker=".", label=act)
    ax_acc.set(xlabel="epoch", ylabel="train accuracy (%)", title="3-class spiral")
    ax_acc.grid(True, linewidth=0.3, alpha=0.5)
    ax_acc.legend(fontsize=8)
    save_small(fig, os.path.join(args.out_dir, "dead_units.png"), args.dpi)

    print(f"gradient flow, {args.flow_depth} layers x {args.flow_width} units "
          "(||dL/dW|| first layer / last layer):")
    flows = [dx.gradient_flow(n, depth=args.flow_depth, width=args.flow_width, init=init, seed=args.seed)
             for init in ("he", "xavier") for n in ("sigmoid", "tanh", "relu", "leaky_relu")]
    for r in flows:
        print(f"  {r.label:20s} {r.ratio:9.2e}")
    save_small(actcore.plot.gradient_flow(results=flows), os.path.join(args.out_dir, "gradient_flow.png"), args.dpi)
    save_small(actcore.plot.activations(), os.path.join(args.out_dir, "activations.png"), args.dpi)
    print(f"figures written to {args.out_dir}/ in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
