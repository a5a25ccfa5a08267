import os

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Under pytest-xdist every worker is a process: one Numba thread each avoids oversubscribing
# the cores (parallel kernels still run their prange code, on one thread).
if os.environ.get("PYTEST_XDIST_WORKER"):
    numba.set_num_threads(1)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")
DATA = os.path.join(SHARED, "data")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def shared_data():
    """Path of ../shared/data; tests needing it skip when it is absent."""
    if not os.path.isdir(DATA):
        pytest.skip("../shared/data not present")
    return DATA
