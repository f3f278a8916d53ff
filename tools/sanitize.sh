#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer pass (issue 5):
#   1. the C memory-safety harness (tests/c/harness.c: every kernel x ISA x
#      length 0..300 x offset, guard pages), built with the sanitizers;
#   2. the Python test suite against a sanitizer build of the extension,
#      with the sanitizer runtimes preloaded into the (uninstrumented) python.
# Works on a copy of the checkout (tracked + untracked, not ignored files),
# so the in-place build of the checkout itself is left alone.  The numba
# backends and the plotting toolbox are left out: they run no C code of ours.
#   tools/sanitize.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d -t actcore-sanitize.XXXXXX)}"
mkdir -p "$work"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$work"
cd "$work"
jobs="${ACTCORE_BUILD_JOBS:-$(nproc)}"
echo "== sanitizer build of the extension in $work"
ACTCORE_SANITIZE=1 ACTCORE_BUILD_JOBS="$jobs" python setup.py build_ext --inplace -q
echo "== C harness under ASan + UBSan"
python tests/c/build_harness.py --sanitize --run --out "$work/build/c_harness"
echo "== Python suite under ASan + UBSan"
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
# detect_leaks=0: CPython keeps interned objects alive at exit by design
LD_PRELOAD="$preload" ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" ACTCORE_UNDER_SANITIZER=1 \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    PYTHONPATH="$work/src${PYTHONPATH:+:$PYTHONPATH}" python -m pytest -q -p no:cacheprovider -x tests \
    --ignore=tests/test_sanitizers.py --ignore=tests/test_fuzz_smoke.py --ignore=tests/test_benchmarks_smoke.py \
    --ignore=tests/test_backends.py --ignore=tests/test_toolbox.py \
    --ignore=tests/test_packaging.py
echo "== sanitizers: clean"
