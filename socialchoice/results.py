"""Frozen result types shared by the rule modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ValidationError

__all__ = ["RuleResult", "resolve_ties"]


def resolve_ties(winner_mask: np.ndarray, resolve: Any = "index") -> np.ndarray:
    """Pick one winner per item from a boolean mask ``(..., m)``.

    ``resolve="index"`` takes the lowest candidate index; a permutation of ``0..m-1`` takes the
    earliest candidate in that order (docs/rules.md §1.5). Returns int indices of shape ``(...)``.
    """
    mask = np.asarray(winner_mask, dtype=bool)
    m = mask.shape[-1]
    if isinstance(resolve, str):
        if resolve != "index":
            raise ValidationError(f"`resolve` must be 'index' or a tie-break order, got {resolve!r}")
        order = np.arange(m)
    else:
        order = np.asarray(resolve)
        if order.shape != (m,) or not np.array_equal(np.sort(order), np.arange(m)):
            raise ValidationError(f"`resolve` must be a permutation of 0..{m - 1}, got {resolve!r}")
    if not mask.any(axis=-1).all():
        raise ValidationError("cannot resolve an empty winner set")
    return order[np.argmax(mask[..., order], axis=-1)]


def batch_dim_names(n: int, batch_dims: Any = None) -> tuple[str, ...]:
    """The names of ``n`` leading (item) dims of a result's DataArrays: ``batch_dims`` when
    given (one name per dim, checked), else ``"item"`` or ``"item_0", "item_1", ...``."""
    if batch_dims is None:
        return ("item",) if n == 1 else tuple(f"item_{i}" for i in range(n))
    bd = tuple(batch_dims)
    if len(bd) != n:
        raise ValidationError(f"`batch_dims` names {len(bd)} dims; the result has {n}")
    return bd


@dataclass(frozen=True, eq=False)
class RuleResult:
    """Outcome of an aggregation rule on one election or a batch.

    Attributes
    ----------
    winner_mask : ndarray of bool, shape (..., m)
        All tied winners (never empty when a candidate is active).
    candidates : tuple
        Candidate labels.
    rule : str
        Canonical rule name.
    scores : ndarray of float, shape (..., m), optional
        Scores where the rule has them (larger = better unless the rule's docstring says
        otherwise).
    ranking : ndarray of int, shape (..., m), optional
        A social weak order as levels (0 = best) where the rule defines one.
    lottery : ndarray of float, shape (..., m), optional
        Probabilities for probabilistic rules.
    details : dict
        Rule-specific extras (e.g. optimal Kemeny rankings, elimination order).
    """

    winner_mask: np.ndarray
    candidates: tuple
    rule: str
    scores: np.ndarray | None = None
    ranking: np.ndarray | None = None
    lottery: np.ndarray | None = None
    details: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("winner_mask", "scores", "ranking", "lottery"):
            v = getattr(self, name)
            if isinstance(v, np.ndarray):
                v.flags.writeable = False

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.winner_mask.shape[:-1]

    @property
    def winners(self) -> list:
        """Labels of all tied winners (one election), or nested lists for a batch: one level of
        list per batch axis, so ``winners[i][j]`` is the winner list of item ``(i, j)``.

        Examples
        --------
        >>> import numpy as np
        >>> r = RuleResult(np.array([[[True, False], [True, True]]]), ("a", "b"), "demo")
        >>> r.winners
        [[['a'], ['a', 'b']]]
        """
        cand = self.candidates

        def nest(mask: np.ndarray) -> list:
            if mask.ndim == 1:
                return [cand[i] for i in np.flatnonzero(mask)]
            return [nest(sub) for sub in mask]

        return nest(np.asarray(self.winner_mask))

    @property
    def n_winners(self) -> np.ndarray | int:
        n = self.winner_mask.sum(axis=-1)
        return int(n) if n.ndim == 0 else n

    @property
    def is_tied(self) -> np.ndarray | bool:
        t = self.winner_mask.sum(axis=-1) > 1
        return bool(t) if t.ndim == 0 else t

    def winner(self, resolve: Any = "index") -> Any:
        """One winner label per item, ties broken by ``resolve`` (docs/rules.md §1.5)."""
        idx = resolve_ties(self.winner_mask, resolve)
        if idx.ndim == 0:
            return self.candidates[int(idx)]
        return np.array(self.candidates, dtype=object)[idx]

    def __repr__(self) -> str:
        if not self.batch_shape:
            return f"RuleResult(rule={self.rule!r}, winners={self.winners!r})"
        return f"RuleResult(rule={self.rule!r}, batch={self.batch_shape}, m={len(self.candidates)})"

    def to_xarray(self, batch_dims: tuple[str, ...] | None = None):
        """A ``Dataset`` with ``winner_mask`` (and scores, ranking, lottery) over ``alternative``."""
        import xarray as xr

        dims = (*batch_dim_names(len(self.batch_shape), batch_dims), "alternative")
        data = {"winner_mask": (dims, np.array(self.winner_mask))}
        for name in ("scores", "ranking", "lottery"):
            v = getattr(self, name)
            if v is not None:
                data[name] = (dims, np.array(v))
        return xr.Dataset(data, coords={"alternative": list(self.candidates)},
                          attrs={"rule": self.rule})

    def to_pandas(self):
        """One row per candidate (one election) or per (item, candidate)."""
        return self.to_xarray().to_dataframe()
