"""`python -m actcore accuracy`: the float64-kernel reference of the
exhaustive sweep agrees with the registry's formulas, and a wrong result is
found whichever reference measures it."""
import threading

import numpy as np
import pytest

import actcore
from actcore import accuracy_cli, bench

STEP = 4099  # about 1M float32 bit patterns over every binade


def _variant(name):
    return next((label, act, params) for label, act, params in bench.variants() if act.name == name)


@pytest.mark.parametrize("name,kind", [("sigmoid", "forward"), ("gelu", "forward"), ("mish", "derivative"),
                                       ("softsign", "backward")])
def test_kernel_reference_agrees_with_the_formula(name, kind):
    label, act, params = _variant(name)
    isa = actcore._config.supported_isas()[-1]
    by = {ref: accuracy_cli.measure(label, act, params, False, (isa,), others=False, sample_step=STEP,
                                    threads=1, kind=kind, reference=ref)
          for ref in ("formula", "kernel")}
    f, k = by["formula"][f"actcore[{isa}]"], by["kernel"][f"actcore[{isa}]"]
    assert k["max_ulp"] == pytest.approx(f["max_ulp"], abs=1e-6) and k["over_1ulp"] == f["over_1ulp"]
    assert by["kernel"]["reference check"]["max_ulp"] < 1e-6
    assert k["max_ulp"] <= 4 and not k["specials"]


def test_a_wrong_kernel_is_reported(monkeypatch):
    """A kernel off by 3 ulp on part of the range shows as 3 ulp, even though
    the kernel reference would share nothing with it."""
    label, act, params = _variant("tanh")
    real = accuracy_cli._implementation

    def broken(act_, params_, kind):
        fn = real(act_, params_, kind)

        def wrong(x):
            y = fn(x)
            if y.dtype == np.float32:
                bad = (x > 0.5) & (x < 0.75)
                y = np.where(bad, np.nextafter(np.nextafter(np.nextafter(y, 2), 2), 2), y)
            return y
        return wrong
    monkeypatch.setattr(accuracy_cli, "_implementation", broken)
    isa = actcore._config.supported_isas()[-1]
    r = accuracy_cli.measure(label, act, params, False, (isa,), others=False, sample_step=STEP, threads=1,
                             reference="kernel")[f"actcore[{isa}]"]
    assert 2.5 < r["max_ulp"] < 4 and 0.5 < r["at"] < 0.75 and r["over_1ulp"] > 0


def test_sweep_draws_chunks_lazily():
    """The exhaustive sweep's inputs are 16 GB in all: at most a few chunks
    may be alive at once (Executor.map would draw them all first)."""
    from actcore.accuracy_cli import _bounded_map

    drawn, seen, lock = [], [], threading.Lock()

    def chunks():
        for i in range(50):
            drawn.append(i)
            yield i

    def work(i):
        with lock:
            seen.append((i, len(drawn)))

    _bounded_map(work, chunks(), 2)
    assert sorted(i for i, _ in seen) == list(range(50))
    assert max(d - i for i, d in seen) <= 2 * 2 + 1
