"""A short coverage-guided fuzz run of the entry points (tests/fuzz/fuzz_api.py)
in CI; the long run and what it found are in docs/RELIABILITY.md."""
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

FUZZER = pathlib.Path(__file__).resolve().parent / "fuzz" / "fuzz_api.py"


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_short_fuzz_run_finds_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FUZZER.parents[2]), os.environ.get("PYTHONPATH", "")])}
    seconds = 20 if os.environ.get("CI") else 10
    out = subprocess.run([sys.executable, str(FUZZER), f"-max_total_time={seconds}", "-seed=1",
                          f"-artifact_prefix={tmp_path}/"], capture_output=True, text=True, timeout=seconds + 120,
                         env=env)
    tail = "\n".join(l for l in out.stderr.splitlines() if not l.startswith("INFO: Instrumenting"))[-3000:]
    assert out.returncode == 0 and "Done" in out.stderr, tail
