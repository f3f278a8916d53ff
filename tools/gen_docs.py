"""Regenerate the registry-driven parts of the docs.

    python tools/gen_docs.py          # rewrite README.md's table of functions
    python tools/gen_docs.py --check  # exit 1 if README.md is out of date (the tests run this)

The table sits between the markers `<!-- functions:start -->` and
`<!-- functions:end -->`; everything in it comes from src/actcore/_registry.py.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- functions:start -->", "<!-- functions:end -->"


def _registry():
    spec = importlib.util.spec_from_file_location("_actcore_registry_docs", ROOT / "src" / "actcore" / "_registry.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _param_text(p):
    if p.kind == "choice":
        return f"`{p.name}`={'|'.join(repr(c) for c in p.choices)}"
    if p.kind == "array":
        return f"`{p.name}` (array, broadcast)"
    return f"`{p.name}`={p.default!r}" + (f" ({p.range_text()})" if p.range_text() != "a real number" else "")


def functions_table():
    reg = _registry()
    rows = ["| function | formula | parameters | float32 / float64 bound | |",
            "|---|---|---|---|---|"]
    for act in reg.ACTIVATIONS:
        name = f"`{act.name}`" + "".join(f", `{a}`" for a in act.aliases)
        params = ", ".join(_param_text(p) for p in act.params) or "-"
        bound = f"{act.ulp['float32']:g} / {act.ulp['float64']:g} ulp"
        cells = [name, f"`{act.formula}`", params, bound, act.doc]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def render(text):
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{functions_table()}\n{END}{tail}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    readme = ROOT / "README.md"
    current = readme.read_text()
    wanted = render(current)
    if args.check:
        if current != wanted:
            print("README.md's table of functions is out of date: run python tools/gen_docs.py")
            return 1
        return 0
    readme.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
