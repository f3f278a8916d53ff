"""Command line: python -m actcore {info, bench, accuracy, plot}."""
from __future__ import annotations

import argparse
import json
import sys


def _cmd_info(args):
    import actcore

    actcore.show_config()


def _cmd_bench(args):
    from . import bench

    functions = set(args.functions.split(",")) if args.functions else None
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else bench.DEFAULT_SIZES
    threads = args.threads
    import actcore

    env = bench.environment(threads or actcore.get_num_threads())
    print("actcore bench: " + ", ".join(f"{k}={v}" for k, v in env.items()), flush=True)
    print(bench.HEADER, flush=True)
    log = lambda line: print(line, flush=True)  # noqa: E731
    rows = []
    if not args.softmax_only and not args.backward_only:
        rows += bench.run(functions, sizes, threads, repeat_base=args.repeats, use_torch=not args.no_torch,
                          use_onnx=not args.no_onnx, log=log)
    if not args.softmax_only and not args.no_backward:
        rows += bench.run_backward(functions, [n for n in sizes if n >= 1 << 20] or sizes, threads,
                                   repeat_base=args.repeats, use_torch=not args.no_torch, log=log)
    if not args.backward_only and (not functions or functions & {"softmax", "log_softmax"}):
        rows += bench.run_softmax(threads=threads, repeat_base=args.repeats, use_torch=not args.no_torch,
                                  use_onnx=not args.no_onnx, log=log)
    print()
    for line in bench.summary_lines(rows):
        print(line)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(bench.markdown(rows, env) + "\n\n" + "\n".join(bench.summary_lines(rows)) + "\n")
        print(f"markdown table written to {args.markdown}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"environment": env, "rows": rows}, fh, indent=1)
        print(f"results written to {args.json}")


def _cmd_accuracy(args):
    from . import accuracy_cli

    accuracy_cli.run(args)


def _cmd_plot(args):
    # A file is the only output here: select Agg before anything imports pyplot,
    # so the command works headless (no DISPLAY) and never opens a window.
    from . import plot

    try:
        matplotlib = plot.require_matplotlib()
    except ImportError as exc:  # a message and exit status 1, not a traceback
        raise SystemExit(f"python -m actcore plot: {exc}") from None
    matplotlib.use("Agg")

    names = args.names.split(",") if args.names else None
    if args.kind == "activations":
        fig = plot.activations(names, x=(args.xmin, args.xmax), derivatives=not args.no_derivatives,
                               ncols=args.ncols)
    else:
        fig = plot.gradient_flow(names if names else ("sigmoid", "tanh", "relu", "leaky_relu"), depth=args.depth,
                                 init=args.init.split(","))
    fig.savefig(args.output, dpi=args.dpi)
    print(f"{args.kind} figure written to {args.output}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m actcore", description="actcore command line")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="CPU features, SIMD level, threads, build").set_defaults(func=_cmd_info)
    b = sub.add_parser("bench", help="time every function against NumPy, torch and onnxruntime")
    b.add_argument("--functions", help="comma-separated names (default: all)")
    b.add_argument("--sizes", help="comma-separated element counts (default: 4096,1048576,16777216)")
    b.add_argument("--threads", type=int, help="threads for every library (default: actcore's)")
    b.add_argument("--repeats", type=int, default=40, help="repeat budget at 1M elements (scaled by size)")
    b.add_argument("--no-torch", action="store_true", help="skip torch even if installed")
    b.add_argument("--no-onnx", action="store_true", help="skip onnxruntime even if installed")
    b.add_argument("--softmax-only", action="store_true", help="only the softmax family")
    b.add_argument("--backward-only", action="store_true", help="only the fused backward passes")
    b.add_argument("--no-backward", action="store_true", help="skip the fused backward passes")
    b.add_argument("--markdown", metavar="FILE", help="also write a markdown table")
    b.add_argument("--json", metavar="FILE", help="also write the raw results")
    b.set_defaults(func=_cmd_bench)
    a = sub.add_parser("accuracy", help="max ulp error of every float32 function (sample or all 2^32 inputs)")
    a.add_argument("--exhaustive", action="store_true", help="every finite float32 (default: every 97th)")
    a.add_argument("--functions", help="comma-separated names (default: all)")
    a.add_argument("--isa", help="comma-separated levels (default: every level this CPU has)")
    a.add_argument("--threads", type=int, help="worker threads (default: actcore's)")
    a.add_argument("--kinds", help="comma-separated: forward, derivative, backward (default: all three; "
                                   "derivative/backward for the functions that have kernels)")
    a.add_argument("--no-others", action="store_true", help="skip torch and onnxruntime")
    a.add_argument("--reference", choices=("auto", "formula", "kernel"), default="auto",
                   help="float64 reference: the registry's formulas, or our float64 kernel re-checked "
                        "against the formulas where it matters (auto: kernel for --exhaustive)")
    a.add_argument("--markdown", metavar="FILE", help="also write a markdown table")
    a.add_argument("--json", metavar="FILE", help="also write the raw results")
    a.set_defaults(func=_cmd_accuracy)
    p = sub.add_parser("plot", help="figure of the activations and derivatives (needs matplotlib)")
    p.add_argument("kind", nargs="?", default="activations", choices=("activations", "gradient-flow"),
                   help="activations (default): f solid, f' dashed; gradient-flow: per-layer gradient norms")
    p.add_argument("-o", "--output", default="activations.png", help="file to write (format from the suffix)")
    p.add_argument("--names", help="comma-separated activations (default: all, or four for gradient-flow)")
    p.add_argument("--xmin", type=float, default=-5.0, help="x range start (default -5)")
    p.add_argument("--xmax", type=float, default=5.0, help="x range end (default 5)")
    p.add_argument("--no-derivatives", action="store_true", help="functions only")
    p.add_argument("--ncols", type=int, default=5, help="panels per row (default 5)")
    p.add_argument("--depth", type=int, default=20, help="gradient-flow: layers (default 20)")
    p.add_argument("--init", default="he,xavier", help="gradient-flow: he, xavier or both (default he,xavier)")
    p.add_argument("--dpi", type=int, default=100, help="resolution of raster output (default 100)")
    p.set_defaults(func=_cmd_plot)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
