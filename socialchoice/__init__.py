"""socialchoice: social choice and distributional-pluralism toolkit for evaluating AI systems.

Containers (:class:`Rankings`, :class:`Ratings`, :class:`Pairwise`) hold validated profiles;
subpackages compute on them: ``rules``, ``welfare``, ``bargaining``, ``divergence``,
``generate``, ``stats``, ``xr``, ``io``. Subpackages import lazily, so ``import socialchoice``
stays fast and compiles nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from . import errors
from .errors import SocialChoiceError
from .profiles import Pairwise, Rankings, Ratings
from .results import RuleResult

__version__ = "0.1.0"

# Families and tools that may be imported lazily. Planned families (axioms, jury, tradeoff) are
# listed only once their module exists, so that ``hasattr`` and ``from socialchoice import *``
# stay honest.
_CANDIDATE_SUBMODULES = (
    "rules", "welfare", "bargaining", "divergence", "generate", "axioms", "stats", "xr",
    "io", "testing", "datasets", "tradeoff", "jury", "report",
)
_SUBMODULES = {
    name for name in _CANDIDATE_SUBMODULES
    if importlib.util.find_spec(f"{__name__}.{name}") is not None
}
_IO_NAMES = {
    "read_preflib": "io", "write_preflib": "io", "read_csv": "io", "from_dataframe": "io",
    "to_dataframe": "io", "load_demo": "datasets",
}

__all__ = [  # noqa: PLE0604 (the submodule names are strings, listed from sets)
    "Rankings", "Ratings", "Pairwise", "RuleResult", "SocialChoiceError", "errors",
    *sorted(_SUBMODULES), *sorted(_IO_NAMES),
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _IO_NAMES:
        mod = importlib.import_module(f".{_IO_NAMES[name]}", __name__)
        return getattr(mod, name)
    raise AttributeError(f"module 'socialchoice' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
