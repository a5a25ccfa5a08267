"""The kernels run as plain Python (NUMBA_DISABLE_JIT=1) over a small subset of the suite.

Two reasons: coverage tools see kernel lines only when they run as Python, and a kernel that
relies on a Numba-only construct (an intrinsic with no Python fallback, a typed container used
wrongly) is caught here instead of being untestable without the JIT. The subset is the
reference comparisons and the container properties: every kernel family, small sizes.
"""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SUBSET = ["testing/test_reference.py", "test_profiles_properties.py"]


@pytest.mark.slow
def test_kernels_run_without_the_jit():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1", HYPOTHESIS_PROFILE="dev")
    env.pop("PYTEST_XDIST_WORKER", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "no:xdist",
           "-o", "addopts=", *[os.path.join(HERE, s) for s in SUBSET]]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
