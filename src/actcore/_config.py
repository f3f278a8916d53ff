"""Runtime configuration: ISA level, threads, and what show_config() reports.

Environment (read once, at import):
  ACTCORE_ISA          baseline | avx2 | avx512: cap the SIMD level (never above
                       what the CPU supports: a higher request is capped, with a
                       warning, so it can never raise SIGILL)
  ACTCORE_NUM_THREADS  positive integer: threads for large inputs
                       (default: the cores this process may run on)
Invalid values warn and fall back to the default.
"""
from __future__ import annotations

import importlib
import os
import sys
import warnings

def _import_core():
    """The C extension, or (None, why) when it was not built (ACTCORE_NO_EXT=1,
    no compiler at install time): the fallback backends take over."""
    try:
        return importlib.import_module(__package__ + "._core"), None
    except ImportError as exc:
        return None, exc


_core, EXTENSION_ERROR = _import_core()

LEVELS = ("baseline", "avx2", "avx512")


def usable_cores():
    """Cores this process may run on (affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _warn(msg):
    warnings.warn(msg, RuntimeWarning, stacklevel=3)


def _isa_from_env():
    want = os.environ.get("ACTCORE_ISA", "").strip().lower()
    if not want:
        return None
    if want not in LEVELS:
        _warn(f"ACTCORE_ISA={want!r} is not one of {', '.join(LEVELS)}; using the best level this CPU supports")
        return None
    cpu = _core.isa_info()["cpu_max"]
    if LEVELS.index(want) > LEVELS.index(cpu):
        _warn(f"ACTCORE_ISA={want!r} is not supported by this CPU; using {cpu!r}")
        return cpu
    return want


def _threads_from_env():
    raw = os.environ.get("ACTCORE_NUM_THREADS", "").strip()
    default = usable_cores()
    if not raw:
        return default
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        _warn(f"ACTCORE_NUM_THREADS={raw!r} is not a positive integer; using {default}")
        return default
    return n


def set_num_threads(n):
    """Use up to `n` threads for large inputs (1 = always the calling thread)."""
    if isinstance(n, bool) or not isinstance(n, (int,)) and not hasattr(n, "__index__"):
        raise TypeError(f"set_num_threads: n must be an integer, got {type(n).__name__}")
    n = int(n)
    if n < 1:
        raise ValueError(f"set_num_threads: n must be >= 1, got {n}")
    if _core is not None:
        _core.set_num_threads(n)


def get_num_threads():
    return _core.get_num_threads() if _core is not None else 1


def set_isa(level=None):
    """Select the SIMD level for this process ('baseline', 'avx2', 'avx512';
    None = best available), capped at what the CPU supports.  Returns the level
    now in use.  Meant for tests and benchmarks; ACTCORE_ISA does the same at
    import."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"set_isa: level must be one of {', '.join(LEVELS)} or None, got {level!r}")
    return _core.select_isa(level)


def get_isa():
    return _core.isa_info()["active"] if _core is not None else None


def supported_isas():
    """Levels this CPU and build can run, lowest first."""
    if _core is None:
        return ()
    info = _core.isa_info()
    top = min(LEVELS.index(info["cpu_max"]), LEVELS.index(info["built_max"]))
    return LEVELS[: top + 1]


def config():
    """What show_config() prints, as a dict."""
    import numpy

    from . import _dispatch

    cfg = {
        "actcore": __import__("actcore").__version__,
        "numpy": numpy.__version__,
        "python": sys.version.split()[0],
        "extension": "built" if _core is not None else f"not available ({EXTENSION_ERROR})",
        "backend": _dispatch.default_backend(),
        "backends_available": list(_dispatch.available_backends()),
        "numba": _dist_version("numba"),
        "numba_cuda": _dist_version("numba-cuda"),
    }
    if _core is None:
        cfg["backend_fallback"] = (f"the C extension is missing: default backend {_dispatch.fallback_backend()!r} "
                                   f"({'numba is installed' if _dispatch.fallback_backend() == 'numba' else 'numba is not installed'})")
    if _core is not None:
        info = _core.isa_info()
        cfg.update({
            "cpu_features": info["cpu_features"],
            "isa_cpu_max": info["cpu_max"],
            "isa_built_max": info["built_max"],
            "isa_active": info["active"],
            "threads": get_num_threads(),
            "threads_supported": _core.threads_supported(),
            "min_elements_per_thread": _core.get_parallel_threshold() or "per kernel (registry)",
            "compiler": info["compiler"],
            "build_flags": info["flags"],
        })
    return cfg


def _dist_version(name):
    """Installed version of a distribution, without importing it."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def show_config(file=None):
    """Print the CPU features found, the SIMD level in use, threads, the
    backend and how the extension was built."""
    file = file or sys.stdout
    for key, value in config().items():
        if isinstance(value, dict):
            print(f"{key}:", file=file)
            for k, v in value.items():
                print(f"  {k}: {v}", file=file)
        else:
            print(f"{key}: {value}", file=file)


def _init():
    if _core is None:
        from . import _dispatch  # noqa: F401 - reads ACTCORE_BACKEND; needs nothing from here but _core

        fallback = _dispatch.fallback_backend()
        _warn(f"actcore: the C extension is not available ({EXTENSION_ERROR}); "
              f"falling back to the {fallback} backend"
              + ("" if fallback == "numba" else " (pip install numba for a fast one)"))
        return
    level = _isa_from_env()
    _core.select_isa(level)
    _core.set_num_threads(_threads_from_env())
