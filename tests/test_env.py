"""Environment variables are read at import: tested in fresh interpreters."""
import json
import os
import subprocess
import sys

import pytest

from actcore import _config

PROBE = ("import json, warnings\n"
         "with warnings.catch_warnings(record=True) as w:\n"
         "    warnings.simplefilter('always')\n"
         "    import actcore\n"
         "    from actcore import _config, _dispatch\n"
         "    y = float(actcore.gelu(1.0))\n"
         "print(json.dumps({'isa': _config.get_isa(), 'threads': actcore.get_num_threads(),\n"
         "                  'backend': _dispatch.default_backend(), 'y': y,\n"
         "                  'warnings': [str(m.message) for m in w]}))\n")


def probe(**env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("ACTCORE_")}
    full.update(env)
    out = subprocess.run([sys.executable, "-c", PROBE], env=full, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_defaults():
    r = probe()
    assert r["isa"] == _config.supported_isas()[-1]
    assert r["threads"] == _config.usable_cores()
    assert r["backend"] == "c" and r["warnings"] == []


@pytest.mark.parametrize("level", _config.supported_isas())
def test_isa_cap(level):
    r = probe(ACTCORE_ISA=level)
    assert r["isa"] == level and r["warnings"] == []


@pytest.mark.parametrize("value", ["sse9", "AVX-1024", ""])
def test_bad_isa_warns_and_uses_the_best(value):
    r = probe(ACTCORE_ISA=value)
    assert r["isa"] == _config.supported_isas()[-1]
    assert bool(r["warnings"]) == bool(value)


def test_isa_above_the_cpu_is_capped_with_a_warning():
    if _config.supported_isas()[-1] == "avx512":
        pytest.skip("this CPU has AVX-512: nothing to cap")
    r = probe(ACTCORE_ISA="avx512")
    assert r["isa"] == _config.supported_isas()[-1] and r["warnings"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_bad_thread_counts_warn_and_use_the_default(value):
    r = probe(ACTCORE_NUM_THREADS=value)
    assert r["threads"] == _config.usable_cores() and r["warnings"]


def test_thread_count_from_env():
    assert probe(ACTCORE_NUM_THREADS="3")["threads"] == 3


def test_backend_from_env():
    assert probe(ACTCORE_BACKEND="reference")["backend"] == "reference"
    r = probe(ACTCORE_BACKEND="nonsense")
    assert r["backend"] == "c" and r["warnings"] and abs(r["y"] - 0.8413447460685429) < 1e-6
