"""Result type and errors of :mod:`socialchoice.bargaining`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InfeasibleError, SocialChoiceError
from ..results import batch_dim_names

__all__ = ["BargainingResult", "InfeasibleBargainingError", "DegenerateBargainingError"]


class InfeasibleBargainingError(InfeasibleError):
    """No feasible point is weakly better than the disagreement point for every agent
    (``degenerate="empty_individually_rational_set"``, docs/welfare-bargaining.md §6)."""


class DegenerateBargainingError(SocialChoiceError, ValueError):
    """The Nash solution is undefined: no feasible point is strictly better than the
    disagreement point for every agent (docs/welfare-bargaining.md §6); pass ``degenerate="restrict"``."""


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
        Optimality certificate of docs/welfare-bargaining.md §7 (0 for exact answers).
    status : str or ndarray of str
        ``"optimal"``, ``"optimal_inaccurate"``, ``"inaccurate"``, or ``"missing"`` (an item with
        missing utilities under ``nan_policy="propagate"``: its arrays are NaN).
    solver : str or ndarray of str
        ``"exact"``, ``"numba"`` or the cvxpy solver name.
    method : str
        ``"exact"``, ``"fast"``, ``"cvxpy"`` or ``"mixed"`` (auto fell back for some items).
    ties : ndarray of bool, shape (..., m)
        Every optimal alternative (over alternatives); the support for lotteries.
    degenerate : str, None or ndarray of object
        A reason string (docs/welfare-bargaining.md §6) or None.
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
        """Shape of the leading item axes (``()`` for one problem)."""
        return self.lottery.shape[:-1]

    def to_xarray(self, *, batch_dims: tuple[str, ...] | None = None, alternatives: Any = None,
                  agents: Any = None):
        """An ``xarray.Dataset``: ``lottery``/``ties`` over ``(*batch, alternative)``,
        ``utilities``/``gains``/``d`` (and ``ideal``) over ``(*batch, agent)``, ``welfare``,
        ``gap``, ``status`` and ``n_agents_used`` over the batch dims.

        Examples
        --------
        >>> import socialchoice as sc
        >>> ds = sc.bargaining.nash([[3, 0, 1], [0, 2, 1.2]], over="lottery").to_xarray()
        >>> ds["lottery"].dims, float(ds["welfare"])
        (('alternative',), 0.202733)
        """
        import xarray as xr

        bd = batch_dim_names(len(self.batch_shape), batch_dims)
        alt, ag = (*bd, "alternative"), (*bd, "agent")
        data = {"lottery": (alt, self.lottery), "ties": (alt, self.ties), "utilities": (ag, self.utilities),
                "gains": (ag, self.gains), "d": (ag, self.d), "welfare": (bd, np.asarray(self.welfare)),
                "gap": (bd, np.asarray(self.gap)), "status": (bd, np.asarray(self.status)),
                "n_agents_used": (bd, np.asarray(self.n_agents_used))}
        if self.ideal is not None:
            data["ideal"] = (ag, self.ideal)
        coords = {}
        if alternatives is not None:
            coords["alternative"] = list(alternatives)
        if agents is not None:
            coords["agent"] = list(agents)
        return xr.Dataset(data, coords=coords, attrs={"solution": self.solution, "over": self.over,
                                                       "method": self.method})

    def to_pandas(self, *, alternatives: Any = None):
        """A ``pandas.DataFrame`` of the lottery: one row per (item, alternative) with
        ``probability`` and ``tie`` (one row per alternative for a single problem).

        Examples
        --------
        >>> import socialchoice as sc
        >>> sc.bargaining.egalitarian([[3, 0, 1], [0, 2, 1.2]], over="lottery").to_pandas()["probability"].round(6).tolist()
        [0.4, 0.6, 0.0]
        """
        import pandas as pd

        m = self.lottery.shape[-1]
        alts = list(alternatives) if alternatives is not None else list(range(m))
        batch = self.batch_shape
        if batch:
            idx = pd.MultiIndex.from_tuples(
                [(*np.unravel_index(b, batch), a) for b in range(int(np.prod(batch))) for a in alts],
                names=[*(f"item_{i}" for i in range(len(batch))), "alternative"])
        else:
            idx = pd.Index(alts, name="alternative")
        return pd.DataFrame({"probability": self.lottery.reshape(-1), "tie": self.ties.reshape(-1)}, index=idx)

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
