"""Public API: validation errors name the argument, backends, ufunc objects,
configuration, and agreement with the registry."""
import pickle

import numpy as np
import pytest

import actcore
from actcore import _core, _registry
from cases import CASE_IDS, CASES, call

X = np.linspace(-4, 4, 33, dtype=np.float32)


def test_every_registry_entry_is_public_with_a_ufunc():
    for act in _registry.ACTIVATIONS:
        fn = getattr(actcore, act.name)
        assert fn.__doc__ and act.doc in fn.__doc__
        assert isinstance(getattr(actcore.ufuncs, act.name), np.ufunc)
        for alias in act.aliases:
            assert getattr(actcore, alias) is fn
            assert getattr(actcore.ufuncs, alias) is getattr(actcore.ufuncs, act.name)
    assert isinstance(actcore.ufuncs.gelu_tanh, np.ufunc)


def test_compiled_kernels_match_the_registry():
    assert _core.kernel_signatures() == _registry.c_kernels()


def test_ufuncs_pickle_by_name():
    for name in actcore.ufuncs.__all__:
        uf = getattr(actcore.ufuncs, name)
        assert pickle.loads(pickle.dumps(uf)) is uf


def test_ufunc_parameters_broadcast():
    uf = actcore.ufuncs.leaky_relu
    assert uf.nin == 2 and uf.nout == 1
    y = uf(X, np.array([[0.1], [0.5]], np.float32))
    assert y.shape == (2, 33)
    np.testing.assert_array_equal(y[1], actcore.leaky_relu(X, 0.5))


@pytest.mark.parametrize("bad", [np.array([1 + 2j]), np.array(["a"]), np.array([object()]),
                                 np.array(["2020-01-01"], dtype="datetime64[D]"), None])
def test_unsupported_inputs_raise_type_error_naming_the_dtype(bad):
    with pytest.raises(TypeError, match="x"):
        actcore.sigmoid(bad)


@pytest.mark.parametrize("call_, name", [
    (lambda: actcore.celu(X, alpha=0.0), "alpha"),
    (lambda: actcore.celu(X, alpha=-1.0), "alpha"),
    (lambda: actcore.elu(X, alpha=float("nan")), "alpha"),
    (lambda: actcore.leaky_relu(X, negative_slope="steep"), "negative_slope"),
    (lambda: actcore.softplus(X, beta=0.0), "beta"),
    (lambda: actcore.softplus(X, threshold=float("nan")), "threshold"),
    (lambda: actcore.gelu(X, approximate="fast"), "approximate"),
    (lambda: actcore.hardtanh(X, min_val=2.0, max_val=1.0), "min_val"),
    (lambda: actcore.prelu(X, weight=None), "weight"),
    (lambda: actcore.prelu(X, weight=[float("inf")]), "weight"),
    (lambda: actcore.silu(X, beta=float("inf")), "beta"),
])
def test_bad_parameters_raise_value_error_naming_them(call_, name):
    with pytest.raises(ValueError, match=name):
        call_()


def test_parameter_error_is_also_a_type_error():
    with pytest.raises(TypeError):
        actcore.elu(X, alpha=[1.0, 2.0])
    assert issubclass(actcore.ParameterError, ValueError) and issubclass(actcore.ParameterError, TypeError)


def test_bad_out_arguments():
    with pytest.raises(TypeError, match="out"):
        actcore.relu(X, out=[0.0] * 33)
    ro = np.empty_like(X)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        actcore.relu(X, out=ro)
    with pytest.raises(ValueError):
        actcore.relu(X, out=np.empty(5, np.float32))
    with pytest.raises(TypeError):
        actcore.relu(X, out=np.empty(33, np.int32))


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_reference_backend_agrees_with_c(case):
    label, act, params = CASES[case]
    x = np.concatenate([X, np.float32([np.nan, np.inf, -np.inf, -30.0, 30.0])])
    got = call(act, x, params, backend="reference")
    want = call(act, x, params)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=4e-7, atol=0, equal_nan=True)


def test_use_backend_context_and_errors():
    with actcore.use_backend("reference"):
        from actcore import _dispatch
        assert _dispatch.default_backend() == "reference"
        y = actcore.gelu(X)
    np.testing.assert_allclose(y, actcore.gelu(X), rtol=4e-7)
    with pytest.raises(ValueError, match="backend"):
        actcore.gelu(X, backend="fortran")
    with pytest.raises(ValueError, match="backend"):
        with actcore.use_backend("nonsense"):
            pass


def test_reference_backend_writes_out():
    out = np.empty_like(X)
    assert actcore.sigmoid(X, out=out, backend="reference") is out
    np.testing.assert_allclose(out, actcore.sigmoid(X), rtol=4e-7)


def test_show_config_reports_cpu_level_threads_and_build(capsys):
    actcore.show_config()
    text = capsys.readouterr().out
    for key in ("cpu_features", "isa_active", "threads", "compiler", "build_flags"):
        assert key in text


def test_set_num_threads_validates():
    before = actcore.get_num_threads()
    try:
        actcore.set_num_threads(3)
        assert actcore.get_num_threads() == 3
        with pytest.raises(ValueError):
            actcore.set_num_threads(0)
        with pytest.raises(TypeError):
            actcore.set_num_threads("two")
    finally:
        actcore.set_num_threads(before)


def test_floating_point_flags_from_helper_threads_reach_numpy():
    # selu overflows (a genuine overflow) only in the second half of the array,
    # which a helper thread computes; NumPy must still see the flag
    before = actcore.get_num_threads()
    try:
        actcore.set_num_threads(2)
        x = np.ones(1 << 20, np.float32)
        x[-5:] = 3.3e38
        with pytest.raises(FloatingPointError):
            with np.errstate(over="raise"):
                actcore.selu(x)
    finally:
        actcore.set_num_threads(before)


def test_readme_table_is_generated_from_the_registry():
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    if not (root / "tools" / "gen_docs.py").exists():
        pytest.skip("not a source tree")
    out = subprocess.run([sys.executable, str(root / "tools" / "gen_docs.py"), "--check"], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout
