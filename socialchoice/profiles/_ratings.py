"""Cardinal ratings: :class:`Ratings` (items x raters x alternatives, NaN = missing)."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._config import rescale_weights
from .._kernels import ballots as _kb
from .._kernels import pairwise as _kp
from .._validation import (
    as_float_array,
    check_finite,
    check_labels,
    check_weights,
    is_dask_array,
    readonly,
)
from ..errors import CoverageWarning, ProfileError, ValidationError
from ._common import (
    _batch_labels,
    _check_attributes,
    _check_batch_dims,
    _check_items,
    _default_batch_dims,
    _flat,
    check_support_finite,
    _Profile,
    _unpack_xarray,
    margins_of,
    rank_dtype,
)
from ._pairwise import Pairwise
from ._rankings import Rankings


class Ratings(_Profile):
    """Cardinal ratings: ``values[..., n, m]`` (items x raters x alternatives), NaN = missing.

    Parameters
    ----------
    values : array_like of float, shape (..., n, m)
        Ratings, higher = better. NaN marks a missing rating; inf is rejected.
    weights : array_like, shape (..., n) or (n,), optional
        Non-negative rater weights.
    raters, candidates : sequence, optional
        Labels of raters (length n) and alternatives (length m).
    rater_attributes : mapping of str to array_like, optional
        Per-rater attributes such as ``{"group": [...]}``.
    batch_dims : sequence of str, optional
        Names of the leading item axes, used by :meth:`to_xarray`.
    items : sequence, optional
        Labels of the items along a single batch axis (kept by :meth:`to_xarray`).
    metadata : mapping, optional
        Provenance kept with the data; see :attr:`metadata`.
    criteria : bool
        If True the last axis is a criteria axis: ``values[..., n, m, k]``.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.Ratings([[5.0, 3.0, np.nan], [1.0, 4.0, 4.0]], candidates=["x", "y", "z"])
    >>> r.to_rankings().ranks
    array([[ 0,  1, -1],
           [ 1,  0,  0]], dtype=int8)
    """

    _array_name = "values"

    def __init__(
        self,
        values: Any,
        weights: Any = None,
        raters: Sequence | None = None,
        *,
        candidates: Sequence | None = None,
        rater_attributes: Mapping[str, Any] | None = None,
        batch_dims: Sequence[str] | None = None,
        items: Sequence | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if is_dask_array(values):
            raise ValidationError(
                "`values` is a dask array; use socialchoice.xr for chunked data, or .compute() it"
            )
        a = as_float_array(values, "values", min_ndim=2)
        if a.shape[-2] == 0:
            raise ProfileError("`values` has no raters; pass at least one")
        if a.shape[-1] == 0:
            raise ProfileError("`values` has no alternatives; pass at least one column")
        check_finite(a, "values", allow_nan=True)
        if np.isnan(a).all():
            raise ProfileError("`values` is entirely missing (all NaN); nothing to aggregate")
        self._data = readonly(np.array(a, dtype=np.float64, copy=True, order="C"))
        self._weights = check_weights(weights, a.shape[:-1], what="rater")
        self._raters = check_labels(raters, a.shape[-2], "raters")
        self._candidates = check_labels(candidates, a.shape[-1], "candidates")
        self._voter_attributes = _check_attributes(rater_attributes, a.shape[-2])
        self._batch_dims = _check_batch_dims(batch_dims, a.ndim - 2)
        self._items = _check_items(items, a.shape[:-2])
        self._metadata = copy.deepcopy(dict(metadata)) if metadata else None

    @property
    def values(self) -> np.ndarray:
        """Read-only float64 ratings, NaN = missing."""
        return self._data

    @property
    def raters(self) -> tuple:
        return self._raters

    @property
    def rater_attributes(self) -> dict[str, np.ndarray]:
        return dict(self._voter_attributes)

    @property
    def n_raters(self) -> int:
        return self.n_ballots

    def missing_fraction(self) -> float:
        return float(np.isnan(self._data).mean())

    def __repr__(self) -> str:
        b = f", batch={self.batch_shape}" if self.batch_shape else ""
        return f"Ratings(n_raters={self.n_ballots}, n_candidates={self.n_candidates}{b})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ratings):
            return NotImplemented
        return (
            np.array_equal(self._data, other._data, equal_nan=True)
            and np.array_equal(self.weights_or_ones(), other.weights_or_ones())
            and self._candidates == other._candidates
            and self._raters == other._raters
        )

    __hash__ = None  # type: ignore[assignment]

    def to_rankings(self) -> Rankings:
        """Weak orders: higher rating ranks higher, equal ratings tie, NaN is unranked."""
        a = self._data
        m = a.shape[-1]
        out = np.empty(a.shape, rank_dtype(m))
        _kb.ratings_to_ranks(_flat(a, 1), out.reshape(-1, m))
        return Rankings(readonly(out), self._weights, self._candidates,
                        voter_attributes=self._voter_attributes, batch_dims=self._batch_dims,
                        _trusted=True)

    def support(self, pairs: str = "both_rated") -> np.ndarray:
        """Support ``S[..., x, y]``: weight of the raters who rate ``x`` strictly above ``y``.

        Parameters
        ----------
        pairs : {"both_rated", "missing_below"}
            ``"both_rated"`` (default) counts only the raters who rated both ``x`` and ``y``:
            not rating an item is not disliking it (docs/rules.md §1.3, docs/conventions.md §5).
            ``"missing_below"`` reads each rater as a truncated weak order, an unrated item
            below every rated one (the support of :meth:`to_rankings`).

        Examples
        --------
        >>> import numpy as np, socialchoice as sc
        >>> r = sc.Ratings([[5.0, 3.0, np.nan], [1.0, 2.0, 4.0]])
        >>> r.support().tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
        >>> r.support(pairs="missing_below").tolist()
        [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
        """
        if pairs == "missing_below":
            return self.to_rankings().support()
        if pairs != "both_rated":
            raise ValidationError(
                f"`pairs` must be 'both_rated' or 'missing_below', got {pairs!r}"
            )
        a = self._data
        m = a.shape[-1]
        flat = np.ascontiguousarray(_flat(a, 2))
        use_w = self._weights is not None
        if use_w:
            w = rescale_weights(np.ascontiguousarray(_flat(self._weights, 1)))
            unit = np.ascontiguousarray(_flat(self._weights, 1)).max(axis=-1) / np.where(
                w.max(axis=-1) > 0, w.max(axis=-1), 1.0)
        else:
            w = np.empty((flat.shape[0], 0))
            unit = np.ones(flat.shape[0])
        with np.errstate(over="ignore"):
            s = _kp.ratings_support_both_rated(flat, w, use_w) * unit[:, None, None]
        return check_support_finite(s.reshape(a.shape[:-2] + (m, m)))

    def margins(self, pairs: str = "both_rated") -> np.ndarray:
        """Margins ``M = S - S^T`` of :meth:`support` under the same ``pairs`` convention."""
        return margins_of(self.support(pairs=pairs))

    def to_pairwise(self, pairs: str = "both_rated") -> Pairwise:
        """Support matrices as :class:`Pairwise` (``total_weight`` = all raters' weight)."""
        return Pairwise(self.support(pairs=pairs), candidates=self._candidates,
                        total_weight=self.total_weight)

    def groups(self, attribute: str = "group", *, dropna: bool = True) -> dict[Any, Ratings]:
        """Split raters by an attribute: ``{value: Ratings}``.

        Raters whose label is missing (NaN or None, what pandas gives for ungrouped
        participants) are left out with a :class:`~socialchoice.errors.CoverageWarning` that
        counts them (``dropna=True``), or kept as a group labelled ``None`` (``dropna=False``).

        Examples
        --------
        >>> import numpy as np, socialchoice as sc
        >>> r = sc.Ratings([[1.0, 2.0], [2.0, 1.0], [0.0, 1.0]],
        ...                rater_attributes={"group": ["a", "b", "a"]})
        >>> {g: x.n_raters for g, x in r.groups().items()}
        {'a': 2, 'b': 1}
        """
        if attribute not in self._voter_attributes:
            raise ValidationError(
                f"no rater attribute {attribute!r}; known: {sorted(self._voter_attributes)}"
            )
        col = self._voter_attributes[attribute]
        labels = [None if _is_missing(x) else x for x in col.tolist()]
        n_missing = sum(x is None for x in labels)
        if n_missing and dropna:
            warnings.warn(
                f"{n_missing} of {len(labels)} raters have no {attribute!r} label (NaN/None) and "
                "are left out of the groups; pass dropna=False to keep them as group None",
                CoverageWarning, stacklevel=2)
        out = {}
        for g in dict.fromkeys(labels):
            if g is None and dropna:
                continue
            idx = np.flatnonzero([x == g if g is not None else x is None for x in labels])
            w = None if self._weights is None else self._weights[..., idx]
            out[g] = Ratings(self._data[..., idx, :], w, [self._raters[i] for i in idx],
                             candidates=self._candidates,
                             rater_attributes={k: v[idx] for k, v in self._voter_attributes.items()},
                             batch_dims=self._batch_dims)
        if not out:
            raise ValidationError(f"every rater's {attribute!r} label is missing; nothing to group")
        return out

    def group_means(self, attribute: str = "group", *, nan_policy: str = "omit",
                    dropna: bool = True):
        """Groups x alternatives utility matrix: each group's (weighted) mean rating.

        Per cell: with ``nan_policy="omit"`` a group's mean for an alternative uses the group's
        raters who rated it (NaN if none did); ``"propagate"`` gives NaN where any rating is
        missing; ``"raise"`` raises on missing ratings. The result is a ``DataArray`` with dims
        ``(*batch, "group", "alternative")`` and ``attrs["kind"] = "utilities"``, which
        :mod:`socialchoice.welfare` and :mod:`socialchoice.bargaining` accept with the groups as
        agents.

        Examples
        --------
        >>> import numpy as np, socialchoice as sc
        >>> r = sc.Ratings([[1.0, np.nan], [3.0, 1.0], [0.0, 2.0]],
        ...                rater_attributes={"group": ["a", "a", "b"]})
        >>> r.group_means().values.tolist()
        [[2.0, 1.0], [0.0, 2.0]]
        """
        import xarray as xr

        if nan_policy not in ("omit", "propagate", "raise"):
            raise ValidationError(
                f"`nan_policy` must be 'omit', 'propagate' or 'raise', got {nan_policy!r}")
        if nan_policy == "raise" and np.isnan(self._data).any():
            raise ValidationError(
                "ratings have missing values; pass nan_policy='omit' (per cell) or 'propagate'")
        groups = self.groups(attribute, dropna=dropna)
        rows = []
        for g in groups.values():
            v = g.values
            w = g.weights_or_ones()[..., None]
            present = ~np.isnan(v)
            num = np.where(present, v, 0.0) * w
            den = (present * w).sum(axis=-2)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = num.sum(axis=-2) / den
            if nan_policy == "propagate":
                mean = np.where(present.all(axis=-2), mean, np.nan)
            rows.append(np.where(den > 0, mean, np.nan))
        data = np.stack(rows, axis=-2)
        bdims = self._batch_dims or _default_batch_dims(len(self.batch_shape))
        return xr.DataArray(data, dims=(*bdims, "group", "alternative"),
                            coords={"group": list(groups), "alternative": list(self._candidates)},
                            name="utility", attrs={"kind": "utilities", "attribute": attribute})

    def to_xarray(self):
        """``DataArray`` with dims ``(*batch, "rater", "alternative")``, coords kept."""
        return self._labelled("rating", "ratings", {"rater": list(self._raters)})

    @classmethod
    def from_xarray(cls, da: Any, *, rater_dim: str = "rater",
                    alternative_dim: str = "alternative") -> Ratings:
        """Inverse of :meth:`to_xarray`; other dims become batch axes in their order."""
        da, bdims, w, cands, attrs = _unpack_xarray(da, rater_dim, alternative_dim, "ratings")
        raters = list(da[rater_dim].values) if rater_dim in da.coords else None
        return cls(np.asarray(da.values), w, raters, candidates=cands, rater_attributes=attrs,
                   batch_dims=bdims, items=_batch_labels(da, bdims))


def _is_missing(x: Any) -> bool:
    """A missing group label: None or a float NaN (pandas' marker for ungrouped raters)."""
    return x is None or (isinstance(x, float) and x != x)
