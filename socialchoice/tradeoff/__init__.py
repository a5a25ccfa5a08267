"""Multi-objective and trade-off-steerable evaluation (docs/tradeoff-jury.md Part A).

Objective vectors are rows: ``R`` has shape ``(..., n_points, d)`` and leading dimensions are
independent items, computed in one call; ``maximise=True`` by default (a bool or one per
objective).

* dominance: :func:`is_nondominated`, :func:`pareto_rank`, :func:`dominance_matrix`,
  :func:`epsilon_additive`, :func:`epsilon_multiplicative` (§A2);
* hypervolume: :func:`hypervolume`, :func:`hv_contributions`, :func:`compare_hypervolume` (§A3);
* scalarisations over lotteries of responses: :func:`weighted_sum`, :func:`tchebycheff`,
  :func:`augmented_tchebycheff`, :func:`epsilon_constraint` (:class:`ScalarizationResult`;
  infeasible floors raise :class:`InfeasibleTradeoffError`), and :func:`frontier`
  (:class:`FrontierResult`) (§A4);
* trade-off steerability: :func:`regret`, :func:`steering_monotonicity`,
  :func:`front_coverage`, :func:`steerability_summary` (§A5);
* plots (extra ``[plot]``): :func:`plot_front`.

Every member is registered: :func:`names`, :func:`get`, :func:`info`.

Examples
--------
>>> import socialchoice as sc
>>> R = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.25, 0.25]]   # responses x objectives
>>> sc.tradeoff.is_nondominated(R).tolist()
[True, True, True, False]
>>> float(sc.tradeoff.hypervolume(R, ref=[0.0, 0.0]).value)
0.25
>>> sc.tradeoff.weighted_sum(R, [0.5, 0.5]).lottery.round(3).tolist()   # a three-way tie
[0.333, 0.333, 0.333, 0.0]
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
