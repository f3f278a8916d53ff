"""The asv suite must stay runnable: asv discovers it (`asv check`), and
every benchmark method runs once on its smallest parameters.  Timings are
never asserted here (speed lives in asv and `python -m actcore bench`)."""
import importlib.util
import itertools
import pathlib
import shutil
import subprocess
import sys

import pytest

ASV_DIR = pathlib.Path(__file__).resolve().parents[1] / "asv_bench"


def _load_benchmarks():
    spec = importlib.util.spec_from_file_location("actcore_asv_benchmarks", ASV_DIR / "benchmarks" / "activations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _suites(module):
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and obj.__module__ == module.__name__ and hasattr(obj, "params")]


def _smallest(params):
    """First value of each parameter, with sizes and shapes at their smallest."""
    def key(v):
        return v if isinstance(v, int) else 0
    return [min(p, key=key) if all(isinstance(v, int) for v in p) else p[0] for p in params]


BENCH = _load_benchmarks()


@pytest.mark.parametrize("suite", _suites(BENCH), ids=lambda s: s.__name__)
def test_every_benchmark_method_runs(suite):
    methods = [m for m in dir(suite) if m.startswith(("time_", "peakmem_", "track_"))]
    assert methods
    # every function once, at the smallest size (the first function for the rest)
    first = suite.params[0]
    for function, rest in itertools.product(first, [_smallest(suite.params[1:])]):
        args = [function, *rest]
        bench = suite()
        cache = bench.setup_cache() if hasattr(bench, "setup_cache") else None
        pre = [cache] if cache is not None else []
        if hasattr(bench, "setup"):
            bench.setup(*args)
        for m in methods:
            result = getattr(bench, m)(*pre, *args)
            if m.startswith("track_"):
                assert result >= 0
        if hasattr(bench, "setup_cache"):
            break  # the accuracy sweep is covered by tests/test_accuracy.py; once is enough here


@pytest.mark.skipif(shutil.which("asv") is None and importlib.util.find_spec("asv") is None,
                    reason="asv is not installed")
def test_asv_discovers_the_suite():
    # asv imports the installed package (pip install -e . does that); an
    # in-place build in a source checkout is invisible to its subprocesses
    found = subprocess.run([sys.executable, "-c", "import actcore"], cwd=ASV_DIR.parent.parent, capture_output=True)
    if found.returncode != 0:
        pytest.skip("actcore is not installed in this environment")
    out = subprocess.run([sys.executable, "-m", "asv", "check", "--python=same"], cwd=ASV_DIR,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "No problems found" in out.stdout, out.stdout + out.stderr
