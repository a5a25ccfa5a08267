"""Validated, immutable containers: :class:`Rankings`, :class:`Ratings`, :class:`Pairwise`.

Conventions (spec/rules.md §1):

* core axes last: ``ranks[..., n, m]``, ``values[..., n, m]``, ``support[..., m, m]``; any leading
  axes are a batch of independent items (elections, prompts);
* ``ranks[..., v, c]`` is the level of candidate ``c`` on ballot ``v``: 0 = best, equal levels =
  tie, -1 = unranked (one tied block below every ranked candidate). Levels are normalised to
  consecutive blocks at construction and stored as ``int8`` (``int16`` beyond 127 candidates);
* weights have shape ``(..., n)`` or ``(n,)``; ``None`` means one per voter;
* every container copies its input: the caller's arrays are never mutated or aliased.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import numba
import numpy as np

from . import _kernels
from ._config import SERIAL_MAX_ELEMENTS, SUPPORT_HIST_MAX_M
from ._kernels import ballots as _kb
from ._kernels import pairwise as _kp
from ._validation import (
    as_float_array,
    check_finite,
    check_labels,
    check_weights,
    is_dask_array,
    readonly,
)
from .errors import ProfileError, ValidationError

__all__ = ["Rankings", "Ratings", "Pairwise", "rank_dtype"]

del _kernels


def rank_dtype(m: int) -> np.dtype:
    """Narrowest signed dtype holding levels ``-1..m-1``."""
    if m <= np.iinfo(np.int8).max:
        return np.dtype(np.int8)
    if m <= np.iinfo(np.int16).max:
        return np.dtype(np.int16)
    return np.dtype(np.int32)


def _flat(a: np.ndarray, core: int) -> np.ndarray:
    return a.reshape((-1,) + a.shape[a.ndim - core:])


def _support_from_ranks(ranks: np.ndarray, weights: np.ndarray | None,
                        strict: bool = False) -> np.ndarray:
    """Dispatch to the fastest support kernel; returns (..., m, m) float64."""
    batch = ranks.shape[:-2]
    n, m = ranks.shape[-2:]
    use_w = weights is not None
    if not batch:
        w = weights if use_w else np.empty(0, np.float64)
        r = np.ascontiguousarray(ranks)
        if ranks.size <= SERIAL_MAX_ELEMENTS:
            wb = w[None] if use_w else np.empty((1, 0), np.float64)
            return _kp.support_serial(r[None], wb, use_w)[0]
        if m <= SUPPORT_HIST_MAX_M and n >= 8 * (1 << m):
            if strict and not use_w:
                return _kp.hist_strict_kernel(m)(r, numba.get_num_threads())
            return _kp.support_hist(r, w, use_w, strict, numba.get_num_threads())
        return _kp.support_direct(r, w, use_w, numba.get_num_threads())
    r = np.ascontiguousarray(_flat(ranks, 2))
    w = np.ascontiguousarray(_flat(weights, 1)) if use_w else np.empty((r.shape[0], 0), np.float64)
    if ranks.size <= SERIAL_MAX_ELEMENTS:
        out = _kp.support_serial(r, w, use_w)
    elif use_w:
        out = _kp.support_batch(r, w, use_w)
    elif strict and m <= 8:
        out = _kp.strict_batch_kernel(m)(r)
    else:
        out = _kp.support_batch_counts(r)
    return out.reshape(batch + (m, m))


def _default_batch_dims(k: int) -> tuple[str, ...]:
    return ("item",) if k == 1 else tuple(f"item_{i}" for i in range(k))


class _Profile:
    """Shared behaviour of the voter-based containers."""

    _array_name = "ranks"
    _weights: np.ndarray | None
    _candidates: tuple
    _batch_dims: tuple[str, ...] | None
    _items: tuple | None = None
    _metadata: dict | None = None

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading item axes (``()`` for one election)."""
        return self._data.shape[:-2]

    @property
    def items(self) -> tuple | None:
        """Labels of the single batch axis (e.g. prompt ids), or ``None`` when not given."""
        return self._items

    @property
    def metadata(self) -> dict:
        """Provenance such as a PrefLib header (a deep copy; ``{}`` when none was given)."""
        return copy.deepcopy(self._metadata) if self._metadata else {}

    @property
    def n_voters(self) -> int:
        return self._data.shape[-2]

    @property
    def n_candidates(self) -> int:
        return self._data.shape[-1]

    @property
    def candidates(self) -> tuple:
        """Candidate labels, in column order."""
        return self._candidates

    @property
    def weights(self) -> np.ndarray | None:
        """Read-only voter weights of shape ``(..., n)``, or ``None`` for unit weights."""
        return self._weights

    def weights_or_ones(self) -> np.ndarray:
        """Weights broadcast to ``(..., n)``, ones when unweighted."""
        if self._weights is None:
            return np.ones(self._data.shape[:-1])
        return self._weights

    @property
    def total_weight(self) -> np.ndarray | float:
        """``W`` per item."""
        w = self.weights_or_ones().sum(axis=-1)
        return float(w) if w.ndim == 0 else w

    def __len__(self) -> int:
        return self.n_voters


class Rankings(_Profile):
    """Ordinal preferences: complete, truncated or tied rankings, optionally batched.

    Parameters
    ----------
    ranks : array_like of int, shape (..., n, m)
        ``ranks[..., v, c]`` = level of candidate ``c`` on ballot ``v``; 0 = best, equal levels
        are ties, -1 = unranked. Any non-negative integer levels are accepted and normalised to
        consecutive blocks.
    weights : array_like of float, shape (..., n) or (n,), optional
        Non-negative voter weights (survey weights, ballot counts). Default one per voter.
    candidates : sequence, optional
        ``m`` unique candidate labels. Default ``0..m-1``.
    voter_attributes : mapping of str to array_like, optional
        Per-voter attributes (e.g. ``{"group": [...]}``), each of length ``n``.
    batch_dims : sequence of str, optional
        Names of the leading item axes, used by :meth:`to_xarray`.
    items : sequence, optional
        Labels of the items along a single batch axis (kept by :meth:`to_xarray`).
    metadata : mapping, optional
        Provenance kept with the data (e.g. the header of a PrefLib file); see :attr:`metadata`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> prof = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [0, 2, 1]])
    >>> prof.support()
    array([[0., 2., 2.],
           [1., 0., 2.],
           [1., 1., 0.]])
    >>> prof.margins()[0]
    array([0., 1., 1.])
    """

    def __init__(
        self,
        ranks: Any,
        weights: Any = None,
        candidates: Sequence | None = None,
        *,
        voter_attributes: Mapping[str, Any] | None = None,
        batch_dims: Sequence[str] | None = None,
        items: Sequence | None = None,
        metadata: Mapping[str, Any] | None = None,
        _trusted: bool = False,
    ) -> None:
        if _trusted:
            data, strict = ranks, None
        else:
            data, strict = self._validate_ranks(ranks)
        self._data = data
        self._no_ties = strict
        self._support_cache: np.ndarray | None = None
        self._weights = check_weights(weights, data.shape[:-1], what="ballot")
        self._candidates = check_labels(candidates, data.shape[-1], "candidates")
        self._voter_attributes = _check_attributes(voter_attributes, data.shape[-2])
        self._batch_dims = _check_batch_dims(batch_dims, data.ndim - 2)
        self._items = _check_items(items, data.shape[:-2])
        self._metadata = copy.deepcopy(dict(metadata)) if metadata else None

    @staticmethod
    def _validate_ranks(ranks: Any) -> np.ndarray:
        if is_dask_array(ranks):
            raise ValidationError(
                "`ranks` is a dask array; use socialchoice.xr for chunked data, or .compute() it"
            )
        try:
            a = np.asarray(ranks)
        except Exception:
            raise ProfileError(
                "`ranks` is ragged or not numeric; pass a rectangular (..., n, m) integer array"
            ) from None
        if a.dtype == object:
            raise ProfileError("`ranks` is ragged; pass a rectangular (..., n, m) integer array")
        if a.ndim < 2:
            raise ProfileError(
                f"`ranks` must have shape (..., n_voters, n_candidates), got shape {a.shape}; "
                "wrap a single ballot as [ballot]"
            )
        if a.shape[-2] == 0:
            raise ProfileError("`ranks` has no voters; a profile needs at least one ballot")
        if a.shape[-1] == 0:
            raise ProfileError("`ranks` has no candidates; pass at least one column")
        if a.dtype.kind == "f":
            if not np.isfinite(a).all():
                raise ProfileError(
                    "`ranks` contains NaN or inf; mark unranked candidates with -1, not NaN "
                    "(for ratings with missing values use sc.Ratings)"
                )
            if (a != np.round(a)).any():
                raise ProfileError("`ranks` contains non-integer levels; levels are integers")
        elif a.dtype.kind not in "biu":
            raise ProfileError(f"`ranks` must be an integer array, got dtype {a.dtype}")
        m = a.shape[-1]
        out = np.empty(a.shape, dtype=rank_dtype(m))
        src = np.ascontiguousarray(_flat(a, 1))
        if src.dtype.kind == "f" or src.dtype == np.uint64:
            src = src.astype(np.int64)
        kernel = (_kb.normalize_levels_serial if src.size <= SERIAL_MAX_ELEMENTS
                  else _kb.normalize_levels_kernel(m))
        n_invalid, n_tied = kernel(src, out.reshape(src.shape))
        if n_invalid:
            raise ProfileError(
                f"`ranks` contains {int(a.min())}; levels are >= 0 and -1 marks unranked"
            )
        return readonly(out), n_tied == 0

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_orders(
        cls,
        orders: Any,
        weights: Any = None,
        candidates: Sequence | None = None,
        *,
        n_candidates: int | None = None,
        **kwargs: Any,
    ) -> Rankings:
        """Build from ballots listed best first.

        Parameters
        ----------
        orders : array_like or list of lists
            Either an integer array ``(..., n, k)`` of candidate indices best first, padded with
            -1 after the last ranked candidate (truncated ballots), or a list of ballots where a
            ballot is a list whose entries are candidates or lists of tied candidates, e.g.
            ``[[0, 2, 1], [[1, 2], 0]]``. With ``candidates`` given, ballots may name candidate
            labels instead of indices.
        weights, candidates
            As in :class:`Rankings`.
        n_candidates : int, optional
            Number of candidates; inferred from ``candidates`` or the largest index seen.

        Examples
        --------
        >>> import socialchoice as sc
        >>> p = sc.Rankings.from_orders([["a", ["b", "c"]], ["c"]], candidates=["a", "b", "c"])
        >>> p.ranks
        array([[ 0,  1,  1],
               [-1, -1,  0]], dtype=int8)
        """
        if candidates is not None:
            candidates = check_labels(candidates, len(candidates), "candidates")
            m = len(candidates)
            if n_candidates is not None and n_candidates != m:
                raise ValidationError(
                    f"`n_candidates`={n_candidates} disagrees with {m} `candidates` labels"
                )
        else:
            m = n_candidates
        arr = None
        if isinstance(orders, np.ndarray) and orders.dtype.kind in "iu":
            arr = orders
        elif not isinstance(orders, np.ndarray):
            try:
                tmp = np.asarray(orders)
                # nested lists deeper than (n, k) hold tie blocks (e.g. [[[0, 1]]] is one ballot
                # tying 0 and 1), never a batch: batched orders must come as an ndarray
                if tmp.dtype.kind in "iu" and tmp.ndim == 2:
                    arr = tmp
            except Exception:
                arr = None
        if arr is not None and not (candidates is not None and not _labels_are_indices(candidates)):
            if arr.ndim < 2:
                raise ProfileError(f"`orders` must have shape (..., n, k), got {arr.shape}")
            if arr.shape[-2] == 0:
                raise ProfileError("`orders` has no ballots; a profile needs at least one")
            if m is None:
                m = int(arr.max()) + 1 if arr.size else 0
            flat = np.ascontiguousarray(_flat(arr, 1), dtype=np.int64)
            v, p, code = _kb.check_orders(flat, m)
            if code:
                _raise_order_error(flat, v, p, code, m, arr.shape)
            ranks = np.empty(flat.shape[:-1] + (m,), rank_dtype(m))
            _kb.orders_to_ranks(flat, m, ranks)
            ranks = ranks.reshape(arr.shape[:-1] + (m,))
            prof = cls(ranks, weights, candidates, _trusted=False, **kwargs)
            return prof
        return cls(_nested_orders_to_ranks(orders, candidates, m), weights, candidates, **kwargs)

    @classmethod
    def from_ratings(cls, ratings: Ratings) -> Rankings:
        """Ratings -> weak orders: higher rating = better, equal = tie, NaN = unranked."""
        return ratings.to_rankings()

    # ----------------------------------------------------------------- accessors
    @property
    def ranks(self) -> np.ndarray:
        """Read-only normalised levels, shape ``(..., n, m)``, narrow int dtype."""
        return self._data

    @property
    def voter_attributes(self) -> dict[str, np.ndarray]:
        return dict(self._voter_attributes)

    def __repr__(self) -> str:
        b = f", batch={self.batch_shape}" if self.batch_shape else ""
        w = ", weighted" if self._weights is not None else ""
        return f"Rankings(n_voters={self.n_voters}, n_candidates={self.n_candidates}{b}{w})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rankings):
            return NotImplemented
        return (
            np.array_equal(self._data, other._data)
            and np.array_equal(self.weights_or_ones(), other.weights_or_ones())
            and self._candidates == other._candidates
        )

    __hash__ = None  # type: ignore[assignment]

    # ----------------------------------------------------------------- ballot facts
    def ballot_types(self) -> dict[str, float]:
        """Weight of complete strict, truncated strict, tied, and empty ballots (all items)."""
        r = self._data
        m = r.shape[-1]
        ranked = (r >= 0).sum(axis=-1)
        strict = self._strict()
        w = self.weights_or_ones()
        return {
            "complete": float(w[strict & (ranked == m)].sum()),
            "truncated": float(w[strict & (ranked < m) & (ranked > 0)].sum()),
            "tied": float(w[~strict & (ranked > 0)].sum()),
            "empty": float(w[ranked == 0].sum()),
        }

    def is_linear(self) -> bool:
        """True if every ballot is a complete strict order."""
        return bool(((self._data >= 0).all(axis=-1)).all() and self._strict().all())

    def _strict_flag(self) -> bool:
        if self._no_ties is None:
            self._no_ties = bool(self._strict().all())
        return self._no_ties

    def _strict(self) -> np.ndarray:
        r = self._data
        ranked = (r >= 0).sum(axis=-1)
        return r.max(axis=-1) + 1 == ranked

    def has_ties(self) -> bool:
        """True if some ballot ties two ranked candidates."""
        return not self._strict_flag()

    def is_truncated(self) -> bool:
        return bool((self._data < 0).any())

    # ----------------------------------------------------------------- statistics
    def support(self) -> np.ndarray:
        """Weighted support matrix ``S[..., x, y]`` (spec/rules.md §1.3), float64."""
        if self._support_cache is None:
            s = _support_from_ranks(self._data, self._weights, self._strict_flag())
            self._support_cache = readonly(s)
        return self._support_cache.copy()

    def margins(self) -> np.ndarray:
        """Margin matrix ``M = S - S^T``."""
        s = self.support()
        return s - np.swapaxes(s, -1, -2)

    def to_pairwise(self) -> Pairwise:
        """Support matrices as a :class:`Pairwise` container."""
        return Pairwise(self.support(), candidates=self._candidates, total_weight=self.total_weight)

    # ----------------------------------------------------------------- transforms
    def restrict(self, candidates: Sequence) -> Rankings:
        """Restriction ``P|_A`` to a subset of candidates (spec/rules.md §1.6), labels given."""
        idx = [self._index_of(c) for c in candidates]
        if len(set(idx)) != len(idx) or not idx:
            raise ValidationError("`candidates` must be a non-empty list without repeats")
        return Rankings(
            self._data[..., idx], self._weights, [self._candidates[i] for i in idx],
            voter_attributes=self._voter_attributes, batch_dims=self._batch_dims,
        )

    def _index_of(self, label: Any) -> int:
        try:
            return self._candidates.index(label)
        except ValueError:
            raise ValidationError(
                f"unknown candidate {label!r}; known: {list(self._candidates)}"
            ) from None

    def unique(self) -> Rankings:
        """Collapse identical ballots, weights = summed weights (single election only)."""
        if self.batch_shape:
            raise ValidationError("unique() works on one election; index the batch first")
        u, inv = np.unique(self._data, axis=0, return_inverse=True)
        w = np.bincount(inv.ravel(), weights=self.weights_or_ones(), minlength=len(u))
        return Rankings(u, w, self._candidates, _trusted=False)

    def __getitem__(self, index: Any) -> Rankings:
        """Index the batch axes: ``prof[i]`` is item ``i``."""
        if not self.batch_shape:
            raise ValidationError("this profile has no batch axes to index")
        data = self._data[index]
        if data.ndim < 2:
            raise ValidationError("indexing must keep the voter and candidate axes")
        w = None if self._weights is None else self._weights[index]
        return Rankings(readonly(np.array(data)), w, self._candidates, _trusted=True)

    def to_orders(self) -> list:
        """Ballots best first as nested lists of labels (ties as inner lists); one election."""
        if self.batch_shape:
            raise ValidationError("to_orders() works on one election; index the batch first")
        out = []
        for row in self._data:
            k = int(row.max()) + 1
            ballot = []
            for level in range(k):
                block = [self._candidates[c] for c in np.flatnonzero(row == level)]
                ballot.append(block[0] if len(block) == 1 else block)
            out.append(ballot)
        return out

    # ----------------------------------------------------------------- xarray
    def to_xarray(self):
        """``DataArray`` of levels with dims ``(*batch, "rater", "alternative")``.

        Weights become the coordinate ``weight``, voter attributes coordinates on ``rater``.
        """
        import xarray as xr

        bdims = self._batch_dims or _default_batch_dims(len(self.batch_shape))
        dims = (*bdims, "rater", "alternative")
        coords: dict[str, Any] = {"alternative": list(self._candidates)}
        if self._weights is not None:
            coords["weight"] = ((*bdims, "rater"), np.array(self._weights))
        for k, v in self._voter_attributes.items():
            coords[k] = ("rater", v)
        if self._items is not None:
            coords[bdims[0]] = list(self._items)
        return xr.DataArray(np.array(self._data), dims=dims, coords=coords, name="rank",
                            attrs={"kind": "rankings"})

    @classmethod
    def from_xarray(cls, da: Any, *, rater_dim: str = "rater",
                    alternative_dim: str = "alternative") -> Rankings:
        """Inverse of :meth:`to_xarray`; other dims become batch axes in their order."""
        da, bdims, w, cands, attrs = _unpack_xarray(da, rater_dim, alternative_dim)
        return cls(np.asarray(da.values), w, cands, voter_attributes=attrs, batch_dims=bdims,
                   items=_batch_labels(da, bdims))


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
        return self.n_voters

    def missing_fraction(self) -> float:
        return float(np.isnan(self._data).mean())

    def __repr__(self) -> str:
        b = f", batch={self.batch_shape}" if self.batch_shape else ""
        return f"Ratings(n_raters={self.n_voters}, n_candidates={self.n_candidates}{b})"

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

    def support(self) -> np.ndarray:
        """Support of the induced weak orders (spec/rules.md §1.3)."""
        return self.to_rankings().support()

    def margins(self) -> np.ndarray:
        return self.to_rankings().margins()

    def groups(self, attribute: str = "group") -> dict[Any, Ratings]:
        """Split raters by an attribute: ``{value: Ratings}``."""
        if attribute not in self._voter_attributes:
            raise ValidationError(
                f"no rater attribute {attribute!r}; known: {sorted(self._voter_attributes)}"
            )
        col = self._voter_attributes[attribute]
        out = {}
        for g in dict.fromkeys(col.tolist()):
            idx = np.flatnonzero(col == g)
            w = None if self._weights is None else self._weights[..., idx]
            out[g] = Ratings(self._data[..., idx, :], w, [self._raters[i] for i in idx],
                             candidates=self._candidates,
                             rater_attributes={k: v[idx] for k, v in self._voter_attributes.items()},
                             batch_dims=self._batch_dims)
        return out

    def to_xarray(self):
        """``DataArray`` with dims ``(*batch, "rater", "alternative")``, coords kept."""
        import xarray as xr

        bdims = self._batch_dims or _default_batch_dims(len(self.batch_shape))
        dims = (*bdims, "rater", "alternative")
        coords: dict[str, Any] = {"rater": list(self._raters), "alternative": list(self._candidates)}
        if self._weights is not None:
            coords["weight"] = ((*bdims, "rater"), np.array(self._weights))
        for k, v in self._voter_attributes.items():
            coords[k] = ("rater", v)
        if self._items is not None:
            coords[bdims[0]] = list(self._items)
        return xr.DataArray(np.array(self._data), dims=dims, coords=coords, name="rating",
                            attrs={"kind": "ratings"})

    @classmethod
    def from_xarray(cls, da: Any, *, rater_dim: str = "rater",
                    alternative_dim: str = "alternative") -> Ratings:
        """Inverse of :meth:`to_xarray`; other dims become batch axes in their order."""
        da, bdims, w, cands, attrs = _unpack_xarray(da, rater_dim, alternative_dim)
        raters = list(da[rater_dim].values) if rater_dim in da.coords else None
        return cls(np.asarray(da.values), w, raters, candidates=cands, rater_attributes=attrs,
                   batch_dims=bdims, items=_batch_labels(da, bdims))


class Pairwise:
    """Weighted support matrices ``S[..., x, y]`` (weight of "x preferred to y").

    Parameters
    ----------
    support : array_like, shape (..., m, m)
        Non-negative, finite, zero diagonal.
    candidates : sequence, optional
        Labels of the ``m`` alternatives.
    total_weight : float or array_like, optional
        ``W`` per item, for tie mass ``T = W - S - S^T``; default ``max(S + S^T)``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> pw = sc.Pairwise([[0, 2], [1, 0]], candidates=["a", "b"])
    >>> pw.margins()
    array([[ 0.,  1.],
           [-1.,  0.]])
    """

    def __init__(self, support: Any, candidates: Sequence | None = None, *,
                 total_weight: Any = None, batch_dims: Sequence[str] | None = None) -> None:
        s = as_float_array(support, "support", min_ndim=2)
        if s.shape[-1] != s.shape[-2]:
            raise ValidationError(f"`support` must be square (..., m, m), got shape {s.shape}")
        if s.shape[-1] == 0:
            raise ValidationError("`support` has no candidates")
        check_finite(s, "support")
        if (s < 0).any():
            raise ValidationError("`support` has negative entries; support counts are >= 0")
        if (np.diagonal(s, axis1=-2, axis2=-1) != 0).any():
            raise ValidationError("`support` has a non-zero diagonal; S[x, x] must be 0")
        self._support = readonly(np.array(s, dtype=np.float64, order="C"))
        sym = s + np.swapaxes(s, -1, -2)
        if total_weight is None:
            tw = sym.max(axis=(-1, -2))
        else:
            tw = as_float_array(total_weight, "total_weight")
            if (tw + 1e-9 * np.maximum(1, tw) < sym.max(axis=(-1, -2))).any():
                raise ValidationError(
                    "`total_weight` is smaller than S[x, y] + S[y, x] for some pair; "
                    "it must be the total voter weight"
                )
        self._total = readonly(np.array(np.broadcast_to(tw, s.shape[:-2]), dtype=np.float64))
        self._candidates = check_labels(candidates, s.shape[-1], "candidates")
        self._batch_dims = _check_batch_dims(batch_dims, s.ndim - 2)

    @property
    def support_matrix(self) -> np.ndarray:
        return self._support

    def support(self) -> np.ndarray:
        """The support matrices (a copy)."""
        return self._support.copy()

    def margins(self) -> np.ndarray:
        return self._support - np.swapaxes(self._support, -1, -2)

    @property
    def total_weight(self) -> np.ndarray | float:
        t = self._total
        return float(t) if t.ndim == 0 else t

    @property
    def candidates(self) -> tuple:
        return self._candidates

    @property
    def n_candidates(self) -> int:
        return self._support.shape[-1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self._support.shape[:-2]

    def __repr__(self) -> str:
        b = f", batch={self.batch_shape}" if self.batch_shape else ""
        return f"Pairwise(n_candidates={self.n_candidates}{b})"

    @classmethod
    def from_margins(cls, margins: Any, candidates: Sequence | None = None, *,
                     total_weight: Any = None, batch_dims: Sequence[str] | None = None,
                     atol: float = 1e-9) -> Pairwise:
        """Pairwise data from margin matrices ``M = S - S^T`` (antisymmetric).

        The support is taken as ``S = max(M, 0)``: every rule that reads only margins (the
        ``needs="margins"`` rules) gives the same answer as on the original ballots.

        Examples
        --------
        >>> import socialchoice as sc
        >>> pw = sc.Pairwise.from_margins([[0, 3, -1], [-3, 0, 1], [1, -1, 0]])
        >>> sc.rules.smith_set(pw).winners
        [0, 1, 2]
        """
        M = as_float_array(margins, "margins", min_ndim=2)
        if M.shape[-1] != M.shape[-2]:
            raise ValidationError(f"`margins` must be square (..., m, m), got shape {M.shape}")
        check_finite(M, "margins")
        scale = np.maximum(1.0, np.abs(M).max()) if M.size else 1.0
        if np.abs(M + np.swapaxes(M, -1, -2)).max(initial=0.0) > atol * scale:
            raise ValidationError(
                "`margins` is not antisymmetric (M[x, y] != -M[y, x]); pass M = S - S^T, or "
                "use sc.Pairwise(support) for support matrices"
            )
        return cls(np.maximum(M, 0.0), candidates, total_weight=total_weight,
                   batch_dims=batch_dims)

    @classmethod
    def from_records(
        cls,
        records: Any,
        *,
        item: str | None = "item",
        a: str = "a",
        b: str = "b",
        outcome: str = "outcome",
        weight: str | None = None,
        candidates: Sequence | None = None,
        ties: str = "ignore",
    ) -> Pairwise:
        """RLHF-style pairwise records -> support matrices, one per item.

        Parameters
        ----------
        records : pandas.DataFrame or mapping of column -> array
            One row per comparison. ``outcome`` is 1 (``a`` preferred), 0 (``b`` preferred) or
            0.5 (tie). Extra columns (e.g. ``rater``, ``group``) are ignored; filter first to
            aggregate per group.
        item : str or None
            Column naming the item; ``None`` for a single election (no batch axis).
        weight : str, optional
            Column of non-negative record weights.
        candidates : sequence, optional
            Candidate labels; default the sorted union of ``a`` and ``b``.
        ties : {"ignore", "half"}
            Ties add nothing, or ``w/2`` to both directions (spec/rules.md §1.3).

        Examples
        --------
        >>> import socialchoice as sc
        >>> recs = {"a": ["x", "y"], "b": ["y", "z"], "outcome": [1, 0]}
        >>> sc.Pairwise.from_records(recs, item=None).support()
        array([[0., 1., 0.],
               [0., 0., 0.],
               [0., 1., 0.]])
        """
        if ties not in ("ignore", "half"):
            raise ValidationError(f"`ties` must be 'ignore' or 'half', got {ties!r}")
        cols = _columns(records)
        for col in [a, b, outcome] + ([item] if item else []) + ([weight] if weight else []):
            if col not in cols:
                raise ValidationError(
                    f"`records` has no column {col!r}; columns are {sorted(cols)}"
                )
        ca, cb = np.asarray(cols[a]), np.asarray(cols[b])
        n = len(ca)
        if n == 0:
            raise ValidationError("`records` is empty; pass at least one comparison")
        y = as_float_array(cols[outcome], outcome)
        check_finite(y, outcome)
        bad = ~np.isin(y, (0.0, 0.5, 1.0))
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise ValidationError(
                f"column {outcome!r} row {r} is {y[r]!r}; outcomes are 1 (a wins), 0 (b wins), 0.5 (tie)"
            )
        if candidates is None:
            cand = tuple(sorted(set(ca.tolist()) | set(cb.tolist())))
        else:
            cand = check_labels(candidates, len(candidates), "candidates")
        pos = {c: i for i, c in enumerate(cand)}
        try:
            ia = np.fromiter((pos[x] for x in ca.tolist()), np.int64, n)
            ib = np.fromiter((pos[x] for x in cb.tolist()), np.int64, n)
        except KeyError as exc:
            raise ValidationError(
                f"`records` names candidate {exc.args[0]!r}, which is not in `candidates`"
            ) from None
        if (ia == ib).any():
            r = int(np.flatnonzero(ia == ib)[0])
            raise ValidationError(f"`records` row {r} compares {cand[ia[r]]!r} with itself")
        if weight:
            w = as_float_array(cols[weight], weight)
            if not np.isfinite(w).all() or (w < 0).any():
                raise ValidationError(f"column {weight!r} must hold finite weights >= 0")
        else:
            w = np.ones(n)
        if item:
            items, ii = np.unique(np.asarray(cols[item]), return_inverse=True)
            n_items = len(items)
        else:
            ii = np.zeros(n, np.int64)
            n_items = 1
        s = _kp.records_to_support(ii.astype(np.int64).ravel(), ia, ib, y, w, n_items, len(cand),
                                   ties == "half")
        tot = np.bincount(ii.ravel(), weights=w, minlength=n_items)
        if not item:
            return cls(s[0], cand, total_weight=tot[0])
        pw = cls(s, cand, total_weight=tot)
        pw.items = tuple(items.tolist())
        return pw

    def to_xarray(self):
        import xarray as xr

        bdims = self._batch_dims or _default_batch_dims(len(self.batch_shape))
        c = list(self._candidates)
        coords: dict[str, Any] = {"alternative": c, "alternative_other": c}
        if getattr(self, "items", None) is not None and len(bdims) == 1:
            coords[bdims[0]] = list(self.items)
        return xr.DataArray(np.array(self._support), dims=(*bdims, "alternative", "alternative_other"),
                            coords=coords, name="support", attrs={"kind": "pairwise"})


# --------------------------------------------------------------------- helpers
def _labels_are_indices(candidates: tuple) -> bool:
    return all(isinstance(c, (int, np.integer)) and c == i for i, c in enumerate(candidates))


def _raise_order_error(flat, v, p, code, m, shape):
    c = int(flat[v, p])
    where = f"ballot {v}" if len(shape) == 2 else f"ballot {v} (flattened over the batch)"
    if code == 1:
        raise ProfileError(
            f"`orders` {where} position {p} names candidate {c}, outside 0..{m - 1}; "
            "pass n_candidates or fix the index"
        )
    if code == 2:
        raise ProfileError(f"`orders` {where} lists candidate {c} twice; a candidate appears at most once")
    raise ProfileError(f"`orders` {where} has candidate {c} after -1 padding; pad only at the end")


def _nested_orders_to_ranks(orders: Any, candidates: tuple | None, m: int | None) -> np.ndarray:
    if not isinstance(orders, Sequence) or isinstance(orders, (str, bytes)):
        raise ProfileError("`orders` must be an integer array or a list of ballots")
    if len(orders) == 0:
        raise ProfileError("`orders` has no ballots; a profile needs at least one")
    pos = {c: i for i, c in enumerate(candidates)} if candidates is not None else None
    parsed: list[list[list[int]]] = []
    top = -1
    for v, ballot in enumerate(orders):
        if isinstance(ballot, (str, bytes)) or not isinstance(ballot, (Sequence, np.ndarray)):
            raise ProfileError(f"`orders` ballot {v} is {ballot!r}; a ballot is a list of candidates")
        blocks = []
        seen: set = set()
        for entry in ballot:
            block = list(entry) if isinstance(entry, (list, tuple, set, frozenset, np.ndarray)) else [entry]
            if not block:
                raise ProfileError(f"`orders` ballot {v} has an empty tie block")
            idx = []
            for c in block:
                if pos is not None:
                    if c not in pos:
                        raise ProfileError(
                            f"`orders` ballot {v} names unknown candidate {c!r}; known: {list(pos)}"
                        )
                    i = pos[c]
                else:
                    if not isinstance(c, (int, np.integer)) or c < 0:
                        raise ProfileError(
                            f"`orders` ballot {v} has entry {c!r}; use candidate indices >= 0 "
                            "or pass `candidates` labels"
                        )
                    i = int(c)
                    if m is not None and i >= m:
                        raise ProfileError(
                            f"`orders` ballot {v} names candidate {i}, outside 0..{m - 1}"
                        )
                if i in seen:
                    raise ProfileError(
                        f"`orders` ballot {v} lists candidate {c!r} twice; a candidate appears at most once"
                    )
                seen.add(i)
                idx.append(i)
                top = max(top, i)
            blocks.append(idx)
        parsed.append(blocks)
    if m is None:
        m = top + 1
    if m <= 0:
        raise ProfileError("`orders` names no candidates; pass n_candidates or candidates")
    ranks = np.full((len(parsed), m), -1, rank_dtype(m))
    for v, blocks in enumerate(parsed):
        for level, block in enumerate(blocks):
            ranks[v, block] = level
    return ranks


def _check_attributes(attrs: Mapping[str, Any] | None, n: int) -> dict[str, np.ndarray]:
    if not attrs:
        return {}
    out = {}
    for k, v in attrs.items():
        a = np.asarray(v)
        if a.shape != (n,):
            raise ValidationError(
                f"attribute {k!r} has shape {a.shape}; pass one value per voter, shape ({n},)"
            )
        out[k] = readonly(a.copy())
    return out


def _check_items(items: Sequence | None, batch_shape: tuple[int, ...]) -> tuple | None:
    """Labels of a single batch axis (set by readers such as socialchoice.io)."""
    if items is None:
        return None
    if len(batch_shape) != 1:
        raise ValidationError(
            f"`items` labels need exactly one batch axis, but the data has {len(batch_shape)}"
        )
    return check_labels(items, batch_shape[0], "items")


def _batch_labels(da: Any, bdims: tuple[str, ...] | None) -> list | None:
    if bdims and len(bdims) == 1 and bdims[0] in da.coords:
        return list(da[bdims[0]].values.tolist())
    return None


def _check_batch_dims(dims: Sequence[str] | None, k: int) -> tuple[str, ...] | None:
    if dims is None:
        return None
    dims = tuple(dims)
    if len(dims) != k:
        raise ValidationError(f"`batch_dims` has {len(dims)} names for {k} batch axes")
    return dims


def _columns(records: Any) -> dict[str, Any]:
    if hasattr(records, "columns"):
        return {c: records[c].to_numpy() for c in records.columns}
    if isinstance(records, Mapping):
        return dict(records)
    raise ValidationError("`records` must be a pandas DataFrame or a mapping of columns")


def _unpack_xarray(da: Any, rater_dim: str, alternative_dim: str):
    import xarray as xr

    if not isinstance(da, xr.DataArray):
        raise ValidationError(f"expected an xarray.DataArray, got {type(da).__name__}")
    for d in (rater_dim, alternative_dim):
        if d not in da.dims:
            raise ValidationError(f"the DataArray has no dim {d!r}; its dims are {da.dims}")
    bdims = tuple(d for d in da.dims if d not in (rater_dim, alternative_dim))
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    w = None
    if "weight" in da.coords:
        wc = da.coords["weight"]
        w = np.asarray(wc.transpose(*[d for d in (*bdims, rater_dim) if d in wc.dims]).values)
    cands = list(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
    attrs = {}
    for name, c in da.coords.items():
        if name in ("weight", rater_dim, alternative_dim) or name in bdims:
            continue
        if c.dims == (rater_dim,):
            attrs[name] = np.asarray(c.values)
    return da, (bdims or None), w, cands, attrs
