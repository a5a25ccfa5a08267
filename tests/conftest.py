import os
import sys

# Numba's cache index is not safe against two processes adding entries to one index file at
# once (both can pick the same data file name, and one then loads the other's machine code),
# so each pytest-xdist worker keeps its own cache. Set before socialchoice is imported: its
# kernels choose their cache directory when they are decorated.
if os.environ.get("PYTEST_XDIST_WORKER") and "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".numba_cache", os.environ["PYTEST_XDIST_WORKER"])
    if "socialchoice" in sys.modules:  # collected after the package's doctests: too late
        import warnings

        warnings.warn("socialchoice was imported before tests/conftest.py: workers share one Numba cache")

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

# Real data sets the tests read ship with the repository under tests/data (each with its license
# and provenance in tests/data/README.md; test-only: tests/ is not part of the installed package).
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def shared_data():
    """Path of tests/data (shipped with the repository)."""
    if not os.path.isdir(DATA):
        pytest.skip(f"test data directory {DATA} is missing from this checkout")
    return DATA


# Missing oracle / optional packages skip with the reason: see the repository's conftest.py.

