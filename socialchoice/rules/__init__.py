"""Aggregation rules: positional, pairwise/Condorcet, elimination, cardinal, probabilistic,
statistical. Every rule is registered: ``names()``, ``get(name)``, ``info(name)``.

Each rule takes a profile (:class:`~socialchoice.Rankings`, :class:`~socialchoice.Ratings`,
:class:`~socialchoice.Pairwise`, a numpy array or an xarray DataArray) and returns a
:class:`~socialchoice.RuleResult` with the full set of tied winners.
"""

from __future__ import annotations

import importlib

from ._registry import RULES, get, info, names, register_rule

# rule modules register themselves on import
_MODULES = ("positional", "elimination", "cardinal", "random_lotteries", "condorcet",
            "maximal_lotteries", "statistical", "records")
# old module paths (``rules.runoff``, ``rules.lotteries``, ``rules.probabilistic``) are thin
# aliases that warn on import
for _m in _MODULES:
    try:
        _mod = importlib.import_module(f".{_m}", __name__)
    except ModuleNotFoundError as _exc:  # a rule module not written yet
        if _exc.name != f"{__name__}.{_m}":
            raise
        continue
    for _name in getattr(_mod, "__all__", ()):
        globals()[_name] = getattr(_mod, _name)

__all__ = ["RULES", "names", "get", "info", "register_rule"] + [
    n for m in _MODULES for n in getattr(globals().get(m), "__all__", ())
]
