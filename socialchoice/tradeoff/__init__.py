"""Multi-objective and trade-off-steerable evaluation (docs/tradeoff-jury.md Part A).

Objective vectors are rows: ``R`` has shape ``(..., n_points, d)`` and leading dimensions are
independent items, computed in one call; ``maximise=True`` by default (a bool or one per
objective).

* dominance: :func:`is_nondominated`, :func:`pareto_rank`, :func:`dominance_matrix`,
  :func:`epsilon_additive`, :func:`epsilon_multiplicative` (§A2);
* hypervolume: :func:`hypervolume`, :func:`hv_contributions`, :func:`compare_hypervolume` (§A3);
* scalarisations over lotteries of responses: :func:`weighted_sum`, :func:`tchebycheff`,
  :func:`augmented_tchebycheff`, :func:`epsilon_constraint`, and :func:`frontier` (§A4);
* trade-off steerability: :func:`regret`, :func:`steering_monotonicity` (§A5).

Every member is registered: :func:`names`, :func:`get`, :func:`info`.
"""

from __future__ import annotations

import importlib
import importlib.util

from .._registry import family_api
from ._registry import REGISTRY

# The family's modules, each listing its public names in ``__all__`` and registering its
# members on import.
_MODULES = ("_pareto", "_hypervolume", "_scalarize", "_frontier", "_steer", "_plot")

__all__ = ["REGISTRY", "names", "get", "info"]
for _mod_name in _MODULES:
    if importlib.util.find_spec(f"{__name__}.{_mod_name}") is None:
        continue
    _mod = importlib.import_module(f".{_mod_name}", __name__)
    for _name in getattr(_mod, "__all__", ()):
        globals()[_name] = getattr(_mod, _name)
        __all__.append(_name)

names, get, info = family_api(REGISTRY)
