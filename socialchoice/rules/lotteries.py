"""Deprecated module path: use :mod:`socialchoice.rules.random_lotteries`
(random dictatorship, win probabilities under random tie-breaking).

This alias will be removed.
"""

from __future__ import annotations

import warnings

from . import random_lotteries as _new
from .random_lotteries import *  # noqa: F403
from .random_lotteries import __all__  # noqa: F401

warnings.warn("socialchoice.rules.lotteries is renamed socialchoice.rules.random_lotteries; "
              "the old module path will be removed", DeprecationWarning, stacklevel=2)


def __getattr__(name: str):  # private helpers of the old module keep resolving
    return getattr(_new, name)
