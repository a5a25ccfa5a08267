"""Bargaining solutions over alternatives and over lotteries (docs/welfare-bargaining.md §4-§10).

``U`` has shape ``(..., n_agents, m_alternatives)``; leading axes are items, solved as one
batch. ``over="alternatives"`` is exact; ``over="lottery"`` uses batched Numba kernels
(``method="fast"``), cvxpy (``method="cvxpy"``), or the kernels with a cvxpy fallback
(``method="auto"``). Every solver returns a :class:`BargainingResult` with the lottery,
utilities, gains, welfare, the optimality certificate ``gap`` (docs/welfare-bargaining.md §7) and ``status``.
Solutions are registered (:func:`names`, :func:`get`, :func:`info`; :func:`solve` by name).

``U`` may also be a :class:`~socialchoice.Ratings` (raters = agents) or a DataArray whose agent
dim is ``agent``, ``rater`` or ``group`` (e.g. ``Ratings.group_means``). Utilities are shifted
by the disagreement point and scaled to ``[-1, 1]`` before any solver runs, so answers do not
depend on the unit of the utilities (docs/conventions.md §4). Missing utilities raise unless
``nan_policy="omit"`` (the agent leaves that item) or ``"propagate"`` (NaN result for that item).

Examples
--------
>>> import numpy as np
>>> import socialchoice as sc
>>> U = np.array([[0, 7, 3], [5, 1, 8]])
>>> sol = sc.bargaining.nash(U, disagreement=1, over="lottery")
>>> sol.lottery.round(6).tolist(), sol.gains.round(6).tolist()
([0.0, 0.25, 0.75], [3.0, 5.25])
"""

from .._registry import family_api
from ._results import BargainingResult, DegenerateBargainingError, InfeasibleBargainingError
from ._solutions import (
    REGISTRY,
    egalitarian,
    ideal_point,
    kalai_smorodinsky,
    leximin,
    nash,
    proportional,
    solve,
    utilitarian,
)

__all__ = [
    "BargainingResult",
    "DegenerateBargainingError",
    "InfeasibleBargainingError",
    "nash",
    "kalai_smorodinsky",
    "egalitarian",
    "leximin",
    "utilitarian",
    "proportional",
    "ideal_point",
    "solve",
    "names",
    "get",
    "info",
    "REGISTRY",
]

names, get, info = family_api(REGISTRY)
