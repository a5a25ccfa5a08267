"""Deprecated module path: use :mod:`socialchoice.rules.maximal_lotteries`
(maximal lotteries and the essential set).

This alias will be removed.
"""

from __future__ import annotations

import warnings

from . import maximal_lotteries as _new
from .maximal_lotteries import *  # noqa: F403
from .maximal_lotteries import __all__  # noqa: F401

warnings.warn("socialchoice.rules.probabilistic is renamed socialchoice.rules.maximal_lotteries; "
              "the old module path will be removed", DeprecationWarning, stacklevel=2)


def __getattr__(name: str):  # private helpers of the old module keep resolving
    return getattr(_new, name)
