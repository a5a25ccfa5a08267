"""Deprecated module path: use :mod:`socialchoice.rules.elimination`
(elimination rules: instant runoff, Coombs, Baldwin, Nanson).

This alias will be removed.
"""

from __future__ import annotations

import warnings

from . import elimination as _new
from .elimination import *  # noqa: F403
from .elimination import __all__  # noqa: F401

warnings.warn("socialchoice.rules.runoff is renamed socialchoice.rules.elimination; "
              "the old module path will be removed", DeprecationWarning, stacklevel=2)


def __getattr__(name: str):  # private helpers of the old module keep resolving
    return getattr(_new, name)
