"""The result of every welfare function: :class:`WelfareResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._config import tie_tolerance
from ..results import batch_dim_names

__all__ = ["WelfareResult", "finish", "keep_dims"]


@dataclass(frozen=True, eq=False)
class WelfareResult:
    """Welfare of each alternative, for one item or a batch.

    Attributes
    ----------
    values : ndarray, shape (..., m)
        Welfare per alternative (larger is better). For ``leximin`` (an order, not a number)
        the values are ``m - 1 - level``; for ``atkinson`` (an inequality index) larger is more
        unequal.
    ranking : ndarray of int, shape (..., m)
        Stable argsort of ``-values`` (NaN last): ties keep index order.
    levels : ndarray of int, shape (..., m)
        Dense rank of each alternative, 0 = best; tied alternatives share a level (values
        within ``1e-9 x`` the largest magnitude of the item's finite values are tied).
    ties : ndarray of bool, shape (..., m)
        True where an alternative shares its level with another alternative.
    n_agents_used : ndarray of int, shape (...)
        Agents that entered the computation of at least one alternative (positive weight, and
        under ``nan_policy="omit"`` at least one rated alternative).
    name : str
        Canonical welfare function name.
    not_individually_rational : ndarray of bool or None
        For ``nash``: alternatives where some agent's gain is ``<= 0``.
    n_agents_per_alternative : ndarray of int, shape (..., m), or None
        Agents whose utility entered each alternative's welfare (differs between alternatives
        only under ``nan_policy="omit"``, which works per cell).
    """

    values: np.ndarray
    ranking: np.ndarray
    levels: np.ndarray
    ties: np.ndarray
    n_agents_used: np.ndarray
    name: str
    not_individually_rational: np.ndarray | None = None
    n_agents_per_alternative: np.ndarray | None = None

    def __post_init__(self) -> None:
        for k in ("values", "ranking", "levels", "ties", "n_agents_used", "not_individually_rational",
                  "n_agents_per_alternative"):
            v = getattr(self, k)
            if isinstance(v, np.ndarray):
                v.flags.writeable = False

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)

    @property
    def best(self) -> np.ndarray:
        """Boolean mask ``(..., m)`` of every welfare-maximising alternative (the tied set)."""
        return self.levels == 0

    @property
    def winner(self) -> Any:
        """Lowest-index best alternative (an int, or an int array for a batch)."""
        w = np.argmax(self.best, axis=-1)
        return int(w) if w.ndim == 0 else w

    def to_xarray(self, *, batch_dims: tuple[str, ...] | None = None, alternatives: Any = None):
        """An ``xarray.Dataset`` with ``values``, ``levels``, ``ties``, ``best`` over
        ``(*batch_dims, alternative)`` and ``n_agents_used`` over ``batch_dims``.

        Examples
        --------
        >>> import socialchoice as sc
        >>> ds = sc.welfare.utilitarian([[1.0, 0.0], [0.0, 3.0]]).to_xarray(alternatives=["x", "y"])
        >>> ds["values"].sel(alternative="y").item()
        1.5
        """
        import xarray as xr

        shape = self.values.shape
        bd = batch_dim_names(len(shape) - 1, batch_dims)
        dims = (*bd, "alternative")
        data = {"values": (dims, self.values), "levels": (dims, self.levels), "ties": (dims, self.ties),
                "best": (dims, self.best), "n_agents_used": (bd, np.asarray(self.n_agents_used))}
        if self.not_individually_rational is not None:
            data["not_individually_rational"] = (dims, self.not_individually_rational)
        if self.n_agents_per_alternative is not None:
            data["n_agents_per_alternative"] = (dims, self.n_agents_per_alternative)
        coords = {} if alternatives is None else {"alternative": list(alternatives)}
        return xr.Dataset(data, coords=coords, attrs={"welfare": self.name})

    def to_pandas(self, *, alternatives: Any = None):
        """A ``pandas.DataFrame``: one row per (item, alternative) with ``values``, ``level``,
        ``tie`` and ``best`` (one row per alternative for a single item).

        Examples
        --------
        >>> import socialchoice as sc
        >>> sc.welfare.utilitarian([[1.0, 0.0], [0.0, 3.0]]).to_pandas()["level"].tolist()
        [1, 0]
        """
        import pandas as pd

        m = self.values.shape[-1]
        alts = list(alternatives) if alternatives is not None else list(range(m))
        batch = self.values.shape[:-1]
        idx = pd.MultiIndex.from_tuples(
            [(*np.unravel_index(b, batch), a) for b in range(int(np.prod(batch, dtype=int))) for a in alts],
            names=[*(f"item_{i}" for i in range(len(batch))), "alternative"]) if batch else \
            pd.Index(alts, name="alternative")
        cols = {"values": self.values.reshape(-1), "level": self.levels.reshape(-1),
                "tie": self.ties.reshape(-1), "best": self.best.reshape(-1)}
        if self.n_agents_per_alternative is not None:
            cols["n_agents"] = self.n_agents_per_alternative.reshape(-1)
        return pd.DataFrame(cols, index=idx)

    def __repr__(self) -> str:
        return f"WelfareResult(name={self.name!r}, values={np.round(self.values, 6)!r})"


def finish(values: np.ndarray, n_used: np.ndarray, name: str, *, nir=None, levels=None,
           n_alt=None) -> WelfareResult:
    """Rank ``values`` (NaN last, stable) and build the result."""
    values = np.asarray(values, dtype=np.float64)
    key = np.where(np.isnan(values), np.inf, -values)
    ranking = np.argsort(key, axis=-1, kind="stable")
    if levels is None:
        sk = np.take_along_axis(key, ranking, axis=-1)
        # ties within the package's relative tolerance (docs/conventions.md §4): welfare values
        # computed in different orders (a product as a sum of logs) differ in the last bits
        fin = np.where(np.isfinite(values), np.abs(values), 0.0)
        tol = tie_tolerance(fin.max(axis=-1, keepdims=True)) if fin.size else 0.0
        new = np.ones(sk.shape, dtype=np.int64)
        if sk.shape[-1]:
            new[..., 0] = 0
            with np.errstate(invalid="ignore"):  # inf - inf: equal infinities tie
                gap = sk[..., 1:] - sk[..., :-1]
            new[..., 1:] = ((gap > tol) | np.isnan(gap) & (sk[..., 1:] != sk[..., :-1])).astype(np.int64)
        lv_sorted = np.cumsum(new, axis=-1)
        levels = np.empty_like(lv_sorted)
        np.put_along_axis(levels, ranking, lv_sorted, axis=-1)
    # an alternative is tied when another shares its level: neighbours after sorting levels
    order = np.argsort(levels, axis=-1, kind="stable")
    sl = np.take_along_axis(levels, order, axis=-1)
    eq = sl[..., 1:] == sl[..., :-1]
    tied_sorted = np.zeros(levels.shape, dtype=bool)
    tied_sorted[..., 1:] |= eq
    tied_sorted[..., :-1] |= eq
    tied = np.empty(levels.shape, dtype=bool)
    np.put_along_axis(tied, order, tied_sorted, axis=-1)
    return WelfareResult(values, ranking, levels, tied, np.asarray(n_used), name,
                         None if nir is None else np.asarray(nir),
                         None if n_alt is None else np.asarray(n_alt))


def keep_dims(res: WelfareResult, keepdims: bool) -> WelfareResult:
    """``keepdims=True``: a length-1 agents axis before the alternatives."""
    if not keepdims:
        return res

    def k(x):
        return None if x is None else x[..., None, :]

    return WelfareResult(k(res.values), k(res.ranking), k(res.levels), k(res.ties), res.n_agents_used, res.name,
                         k(res.not_individually_rational), k(res.n_agents_per_alternative))
