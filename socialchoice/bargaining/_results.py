"""Result type and errors of :mod:`socialchoice.bargaining`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InfeasibleError, SocialChoiceError

__all__ = ["BargainingResult", "InfeasibleBargainingError", "DegenerateBargainingError"]


class InfeasibleBargainingError(InfeasibleError):
    """No feasible point is weakly better than the disagreement point for every agent
    (``degenerate="empty_individually_rational_set"``, spec §6)."""


class DegenerateBargainingError(SocialChoiceError, ValueError):
    """The Nash solution is undefined: no feasible point is strictly better than the
    disagreement point for every agent (spec §6); pass ``degenerate="restrict"``."""


@dataclass(frozen=True, eq=False)
class BargainingResult:
    """Solution of a bargaining problem, for one item or a batch (leading axes).

    Attributes
    ----------
    lottery : ndarray, shape (..., m)
        Probabilities over the alternatives (one-hot for ``over="alternatives"``).
    alternative : int, None or ndarray of int
        The chosen alternative when the lottery is pure (``None``, or ``-1`` in a batch, when
        mixed).
    utilities, gains : ndarray, shape (..., n)
        ``U p`` and ``U p - d`` (NaN for agents dropped for missing utilities).
    welfare : float or ndarray, shape (...)
        The objective: mean log gain (Nash, normalised weights), ``t*`` (egalitarian, leximin:
        the minimum gain; KS, proportional: the minimum ratio), mean utility (utilitarian).
    ideal : ndarray, shape (..., n) or None
        Ideal point ``a`` (KS, and where degeneracy needed it).
    d : ndarray, shape (..., n)
        Resolved disagreement point.
    gap : float or ndarray
        Optimality certificate of spec §7 (0 for exact answers).
    status : str or ndarray of str
        ``"optimal"``, ``"optimal_inaccurate"`` or ``"inaccurate"``.
    solver : str or ndarray of str
        ``"exact"``, ``"numba"`` or the cvxpy solver name.
    method : str
        ``"exact"``, ``"fast"``, ``"cvxpy"`` or ``"mixed"`` (auto fell back for some items).
    ties : ndarray of bool, shape (..., m)
        Every optimal alternative (over alternatives); the support for lotteries.
    degenerate : str, None or ndarray of object
        A reason string (spec §6) or None.
    n_agents_used : int or ndarray
        Agents with positive weight and no missing utility.
    solution, over : str
        Which solution and feasible set.
    """

    lottery: np.ndarray
    alternative: Any
    utilities: np.ndarray
    gains: np.ndarray
    welfare: Any
    ideal: np.ndarray | None
    d: np.ndarray
    gap: Any
    status: Any
    solver: Any
    method: str
    ties: np.ndarray
    degenerate: Any
    n_agents_used: Any
    solution: str
    over: str

    def __post_init__(self) -> None:
        for k in ("lottery", "utilities", "gains", "ideal", "d", "ties", "welfare", "gap", "alternative",
                  "status", "solver", "degenerate", "n_agents_used"):
            v = getattr(self, k)
            if isinstance(v, np.ndarray):
                v.flags.writeable = False

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.lottery.shape[:-1]

    @property
    def support(self) -> np.ndarray:
        """Boolean mask of the alternatives with probability > 1e-9."""
        return self.lottery > 1e-9

    def __repr__(self) -> str:
        if not self.batch_shape:
            return (f"BargainingResult(solution={self.solution!r}, over={self.over!r}, "
                    f"lottery={np.round(self.lottery, 6)!r}, utilities={np.round(self.utilities, 6)!r}, "
                    f"welfare={self.welfare:.6g}, gap={self.gap:.2g}, degenerate={self.degenerate!r})")
        return f"BargainingResult(solution={self.solution!r}, over={self.over!r}, batch={self.batch_shape})"
