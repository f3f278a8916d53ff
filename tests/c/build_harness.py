"""Build (and run) the C memory-safety harness, tests/c/harness.c.

    python tests/c/build_harness.py [--sanitize] [--run] [--valgrind] [--out DIR]

Compiles the kernels exactly as setup.py does (one object per ISA level, the
same flags and generated headers, taken from setup.py itself), plus
dispatch.c and the harness, into one executable.  --sanitize adds
AddressSanitizer + UndefinedBehaviorSanitizer; --valgrind runs the result
under valgrind memcheck, capped at AVX2 (valgrind does not decode AVX-512).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import setup as build  # noqa: E402  (setup() only runs when setup.py is __main__)


def compile_all(out: Path, sanitize: bool, cc: str = "gcc") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    levels = build.isa_levels("unix")
    gen = out / "generated"
    build.write_generated_headers(gen, levels, "unix")
    san = build.SANITIZE if sanitize else []
    base = build.common_flags("unix") + ["-g"] + san + [f"-I{build.SRC}", f"-I{gen}"]
    jobs = []
    kernels = sorted((build.SRC / "kernels").glob("*.c")) + [build.SRC / "convert.c"]
    for name, defines, flags in levels:
        for src in kernels:
            obj = out / f"{name}_{src.stem}.o"
            jobs.append([cc, *base, *flags, *[f"-D{d}=1" for d in defines], "-c", str(src), "-o", str(obj)])
    for src in (build.SRC / "dispatch.c", ROOT / "tests" / "c" / "harness.c"):
        jobs.append([cc, *base, "-c", str(src), "-o", str(out / f"main_{src.stem}.o")])

    def run(cmd):
        subprocess.run(cmd, check=True)
        return cmd[-1]

    workers = int(os.environ.get("ACTCORE_BUILD_JOBS", os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        objects = list(pool.map(run, jobs))
    exe = out / ("harness_sanitized" if sanitize else "harness")
    subprocess.run([cc, *san, *objects, "-lm", "-o", str(exe)], check=True)
    return exe


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "build" / "c_harness"))
    ap.add_argument("--sanitize", action="store_true")
    ap.add_argument("--run", action="store_true")
    ap.add_argument("--valgrind", action="store_true")
    args = ap.parse_args(argv)
    exe = compile_all(Path(args.out), args.sanitize)
    print(f"built {exe}")
    if args.valgrind:
        return subprocess.run(["valgrind", "--error-exitcode=3", "--quiet", str(exe), "avx2"]).returncode
    if args.run:
        return subprocess.run([str(exe)]).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
