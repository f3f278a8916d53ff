"""actcore: fast, accurate activation functions for CPU inference.

C SIMD kernels (chosen at run time for this CPU: baseline, AVX2+FMA,
AVX-512) behind real NumPy ufuncs.  Every function takes array-likes,
`out=`, and torch-style parameters:

    >>> import actcore, numpy as np
    >>> actcore.gelu(np.linspace(-3, 3, 7, dtype=np.float32))
    >>> actcore.gelu(x, approximate="tanh", out=x)
    >>> actcore.ufuncs.prelu(x, w[:, None, None])   # the raw ufunc, broadcasting

See actcore.show_config() for the CPU features found and the level in use.
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("actcore")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0+unknown"

from . import _config

_config._init()

from ._config import get_num_threads, set_num_threads, show_config  # noqa: E402
from ._dispatch import use_backend  # noqa: E402
from ._validate import ParameterError  # noqa: E402
from .functional import *  # noqa: E402,F401,F403
from .functional import __all__ as _functions  # noqa: E402
from .softmax import log_softmax, log_softmax_backward, softmax, softmax_backward, softmax_jacobian  # noqa: E402

try:
    from . import ufuncs  # noqa: E402,F401
except ImportError:
    ufuncs = None

__all__ = list(_functions) + ["softmax", "log_softmax", "softmax_backward", "log_softmax_backward",
                              "softmax_jacobian", "ufuncs", "show_config", "set_num_threads", "get_num_threads",
                              "use_backend", "ParameterError", "__version__"]


# The toolbox submodules load on first use (actcore.plot, actcore.diagnostics):
# plotting must not make `import actcore` pay for, or depend on, matplotlib.
_LAZY_SUBMODULES = ("diagnostics", "plot")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'actcore' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))
