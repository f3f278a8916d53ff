"""Registry-driven test cases and the shared adversarial inputs.

Every test that loops over functions takes its cases from here, so a new
registry entry is tested everywhere without edits.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np

from actcore import _registry, functional
from actcore.accuracy import dense_sample

FLOATS = (np.float32, np.float64)
mpmath.mp.dps = 40  # the registry's `exact` definitions are evaluated at this precision


def param_sets(act):
    """Parameter dicts to test: the defaults, then each sample value of each
    parameter (one at a time), for each choice value."""
    base = act.defaults()
    array_params = [p for p in act.params if p.kind == "array"]
    for p in array_params:
        base[p.name] = p.samples[0]
    sets = [base]
    for p in act.params:
        if p.kind == "choice":
            continue
        for s in p.samples:
            candidate = {**base, p.name: s}
            if all(pred(candidate) for pred, _ in act.constraints):
                sets.append(candidate)
    if act.choice is not None:
        sets = [{**s, act.choice.name: c} for s in sets for c in act.choice.choices]
    unique = []
    for s in sets:
        if s not in unique:
            unique.append(s)
    return unique


def cases():
    """(id, activation, params) for every function and parameter set."""
    out = []
    for act in _registry.ACTIVATIONS:
        for params in param_sets(act):
            label = act.name + ("" if params == act.defaults() else
                                "[" + ",".join(f"{k}={v}" for k, v in params.items()) + "]")
            out.append((label, act, params))
    return out


CASES = cases()
CASE_IDS = [c[0] for c in CASES]


def call(act, x, params, **kw):
    return getattr(functional, act.name)(x, **params, **kw)


def rounded_params(params, dtype):
    """Parameters as the kernel sees them: rounded to the compute dtype."""
    ct = np.float32 if dtype in (np.float16, np.float32) else np.float64
    return {k: (v if isinstance(v, str) else float(ct(v))) for k, v in params.items()}


def special_values(dtype):
    fi = np.finfo(dtype)
    vals = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5, -0.5, 3.0, -3.0, 6.0, 20.0, -20.0,
            float(fi.tiny), -float(fi.tiny), float(fi.smallest_subnormal), -float(fi.smallest_subnormal),
            float(fi.max), -float(fi.max), 1e-30, -1e-30, 88.7, -87.3, -103.9, -17.6, -5.0, 709.0, -745.0, 1e30, -1e30]
    with np.errstate(over="ignore"):
        return np.array(vals, dtype=np.float64).astype(dtype)


def adversarial(dtype, n=1 << 16, seed=0):
    """Dense sample plus special values plus NaN/inf mixed in."""
    x = dense_sample(dtype, n, seed)
    return np.concatenate([special_values(dtype), x, special_values(dtype)[::-1]])


__all__ = ["CASES", "CASE_IDS", "FLOATS", "adversarial", "call", "param_sets", "rounded_params",
           "special_values", "dense_sample"]
