"""Public testing helpers for users and for the package's own tests.

* :mod:`socialchoice.testing.strategies` — Hypothesis strategies for profiles, support and
  margin matrices, probability vectors and utility tensors (imports Hypothesis when used);
* :mod:`socialchoice.testing.reference` — obviously correct, slow pure-Python versions of the
  container conversions, to test fast kernels against.

``import socialchoice.testing`` itself imports neither Hypothesis nor anything heavy.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["strategies", "reference"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'socialchoice.testing' has no attribute {name!r}")
