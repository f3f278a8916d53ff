import os

import numpy as np
import pytest
from hypothesis import settings

import actcore
from actcore import _config

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ISAS = _config.supported_isas()


def pytest_report_header(config):
    """Which actcore the suite tests (site-packages for a plain install) and on what."""
    return [f"actcore {actcore.__version__} from {os.path.dirname(actcore.__file__)}; "
            f"extension: {'built' if _config._core is not None else 'missing'}; SIMD levels: {', '.join(ISAS)}"]


@pytest.fixture(params=ISAS)
def isa(request):
    """Run the test at every SIMD level this CPU supports."""
    before = _config.get_isa()
    _config.set_isa(request.param)
    yield request.param
    _config.set_isa(before)


@pytest.fixture
def single_thread():
    before = actcore.get_num_threads()
    actcore.set_num_threads(1)
    yield
    actcore.set_num_threads(before)


@pytest.fixture(autouse=True)
def _no_leaked_fp_state():
    yield
    np.seterr(all="warn", under="ignore")


def pytest_collection_modifyitems(config, items):
    """Tests marked slow (minutes, many GB) run only with ACTCORE_RUN_SLOW=1."""
    if os.environ.get("ACTCORE_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set ACTCORE_RUN_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
