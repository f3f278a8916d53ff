"""CI runs the C harness and the Python suite under AddressSanitizer +
UndefinedBehaviorSanitizer (tools/sanitize.sh builds its own sanitizer copy
of the extension).  A few minutes: on in CI, or with ACTCORE_SANITIZE_TESTS=1."""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (os.environ.get("CI") or os.environ.get("ACTCORE_SANITIZE_TESTS") == "1"),
                    reason="sanitizer pass runs in CI (or with ACTCORE_SANITIZE_TESTS=1)")
@pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("git") is None, reason="needs gcc and git")
def test_harness_and_suite_are_clean_under_asan_and_ubsan(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ACTCORE_ISA", "ACTCORE_BACKEND")}
    out = subprocess.run(["bash", str(ROOT / "tools" / "sanitize.sh"), str(tmp_path / "work")], cwd=ROOT,
                         capture_output=True, text=True, timeout=1500, env=env)
    assert out.returncode == 0 and "sanitizers: clean" in out.stdout, (out.stdout[-4000:] + out.stderr[-4000:])
