"""Ordinal preferences: :class:`Rankings` and the pairwise support of ballots."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numba
import numpy as np

from .._config import SERIAL_MAX_ELEMENTS, SUPPORT_HIST_MAX_M, rescale_weights
from .._kernels import ballots as _kb
from .._kernels import pairwise as _kp
from .._validation import check_labels, check_weights, is_dask_array, readonly
from ..errors import ProfileError, ValidationError
from ._common import (
    _batch_labels,
    _check_attributes,
    _check_batch_dims,
    _check_items,
    _flat,
    _labels_are_indices,
    _Profile,
    _unpack_xarray,
    check_support_finite,
    margins_of,
    rank_dtype,
)
from ._pairwise import Pairwise


def _support_from_ranks(ranks: np.ndarray, weights: np.ndarray | None,
                        strict: Callable[[], bool] = lambda: False) -> np.ndarray:
    """Dispatch to the fastest support kernel; returns (..., m, m) float64.

    ``strict`` says whether no ballot ties two ranked candidates; it is called only by the
    paths that use it (on unvalidated flags it costs a pass over the ranks).
    """
    batch = ranks.shape[:-2]
    n, m = ranks.shape[-2:]
    use_w = weights is not None
    if not batch:
        w = weights if use_w else np.empty(0, np.float64)
        r = np.ascontiguousarray(ranks)
        if ranks.size <= SERIAL_MAX_ELEMENTS:
            wb = w[None] if use_w else np.empty((1, 0), np.float64)
            return _kp.support_serial(r[None], wb, use_w)[0]
        if not use_w and m <= _kp.BLOCK_SUPPORT_MAX_M and r.dtype == np.int8:
            return _kp.block_support_kernel(m)(r, numba.get_num_threads())
        if m <= SUPPORT_HIST_MAX_M and n >= 8 * (1 << m):
            return _kp.support_hist(r, w, use_w, strict(), numba.get_num_threads())
        return _kp.support_direct(r, w, use_w, numba.get_num_threads())
    r = np.ascontiguousarray(_flat(ranks, 2))
    w = np.ascontiguousarray(_flat(weights, 1)) if use_w else np.empty((r.shape[0], 0), np.float64)
    if ranks.size <= SERIAL_MAX_ELEMENTS:
        out = _kp.support_serial(r, w, use_w)
    elif use_w:
        out = _kp.support_batch(r, w, use_w)
    elif m <= _kp.CODE_TABLE_MAX_M:  # a table row per ballot (ties and truncation included)
        out = np.empty((r.shape[0], m, m))
        _kp.code_batch_kernel(m)(r, _kp.ballot_code_table(m), out)
    elif m <= 8 and strict():
        out = _kp.strict_batch_kernel(m)(r)
    else:
        out = _kp.support_batch_counts(r)
    return out.reshape(batch + (m, m))



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

    @classmethod
    def _borrow(cls, ranks: np.ndarray) -> Rankings:
        """A profile that *views* ``ranks`` (read-only) when they are already valid normalised
        levels of the package's rank dtype, C-contiguous; otherwise a normal (copying) one.

        For the duration of one rule call on a caller's array, where no copy is needed: the
        caller cannot mutate the array while the call runs, and results hold no profile.
        Saves the copy of a validated array (10 MB for 10^6 voters x 10 candidates).
        """
        a = ranks
        if (
            isinstance(a, np.ndarray) and a.ndim >= 2 and a.size > SERIAL_MAX_ELEMENTS
            and a.dtype == rank_dtype(a.shape[-1]) and a.flags.c_contiguous
        ):
            m = a.shape[-1]
            n_other, n_tied = _kb.check_levels_kernel(m)(a.reshape(-1, m))
            if n_other == 0:
                view = a.view()
                view.flags.writeable = False
                prof = cls(view, _trusted=True)
                prof._no_ties = n_tied == 0
                return prof
        return cls(ranks)

    @staticmethod
    def _validate_ranks(ranks: Any) -> tuple[np.ndarray, bool]:
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
        if a.dtype.kind == "b":
            # never guess a kind from the dtype: read as levels, True (1) would rank *below*
            # False (0), inverting an approval mask
            raise ProfileError(
                "`ranks` is a boolean array, which is not rank levels (True would rank below "
                "False); for approval data use sc.Ratings with sc.rules.approval, or pass integer "
                "levels (0 = best, -1 = unranked)"
            )
        if a.dtype.kind == "f":
            if not np.isfinite(a).all():
                raise ProfileError(
                    "`ranks` contains NaN or inf; mark unranked candidates with -1, not NaN "
                    "(for ratings with missing values use sc.Ratings)"
                )
            if (a != np.round(a)).any():
                raise ProfileError(
                    "`ranks` contains non-integer levels; rank levels are integers (0 = best, "
                    "-1 = unranked); for real-valued scores use sc.Ratings"
                )
        elif a.dtype.kind not in "iu":
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
            inferred = m is None
            flat = _flat(arr, 1)
            if not flat.flags.c_contiguous:
                flat = np.ascontiguousarray(flat)
            k = flat.shape[-1]
            ranks = None
            if (m is None or m == k) and 0 < k <= 56:
                # the common case, complete strict ballots: every row a permutation of 0..k-1
                # (then m = k, and every candidate appears); one branch-free pass decides it
                trial = np.empty(flat.shape[:-1] + (k,), rank_dtype(k))
                if not _kb.orders_to_ranks_complete_kernel(k)(flat, trial):
                    ranks, m = trial, k
                    seen = np.ones((1, k), bool)
            if ranks is None:
                if inferred:
                    m = int(arr.max()) + 1 if arr.size else 0
                if m <= 0:
                    raise ProfileError("`orders` names no candidates; pass n_candidates or candidates")
                ranks = np.empty(flat.shape[:-1] + (m,), rank_dtype(m))
                n_blocks = 1 if flat.size <= SERIAL_MAX_ELEMENTS else 4 * numba.get_num_threads()
                seen = np.zeros((n_blocks, m), bool)
                if _kb.orders_to_ranks_checked(flat, m, ranks, seen):
                    wide = np.ascontiguousarray(flat, dtype=np.int64)
                    v, p, code = _kb.check_orders(wide, m)  # locate the first bad entry
                    _raise_order_error(wide, v, p, code, m, arr.shape)
            if inferred and not seen.any(axis=0).all():
                _check_no_phantom(ranks, m)
            ranks = ranks.reshape(arr.shape[:-1] + (m,))
            # scattered from valid orders: dense strict levels already, nothing to normalise
            prof = cls(readonly(ranks), weights, candidates, _trusted=True, **kwargs)
            prof._no_ties = True
            return prof
        return cls(_nested_orders_to_ranks(orders, candidates, m), weights, candidates, **kwargs)

    @classmethod
    def from_ratings(cls, ratings: Any) -> Rankings:
        """:class:`Ratings` -> weak orders: higher rating = better, equal = tie, NaN = unranked.

        Same as ``ratings.to_rankings()`` (``Ratings`` builds on ``Rankings``, not the reverse).
        """
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
        return f"Rankings(n_ballots={self.n_ballots}, n_candidates={self.n_candidates}{b}{w})"

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
        """Weighted support matrix ``S[..., x, y]`` (docs/rules.md §1.3), float64."""
        if self._support_cache is None:
            if self._weights is None:
                s = _support_from_ranks(self._data, None, self._strict_flag)
            else:
                # exact power-of-two rescaling per item: sums cannot overflow inside the kernel
                # and tiny weights do not underflow; scaled back exactly afterwards
                w = rescale_weights(self._weights)
                unit = self._weights.max(axis=-1) / w.max(axis=-1)
                s = _support_from_ranks(self._data, w, self._strict_flag)
                with np.errstate(over="ignore"):
                    s = check_support_finite(s * np.asarray(unit)[..., None, None])
            self._support_cache = readonly(s)
        return self._support_cache.copy()

    def margins(self) -> np.ndarray:
        """Margin matrix ``M = S - S^T``."""
        s = self.support()
        return margins_of(s)

    def to_pairwise(self) -> Pairwise:
        """Support matrices as a :class:`Pairwise` container."""
        return Pairwise(self.support(), candidates=self._candidates, total_weight=self.total_weight)

    # ----------------------------------------------------------------- transforms
    def restrict(self, candidates: Sequence) -> Rankings:
        """Restriction ``P|_A`` to a subset of candidates (docs/rules.md §1.6), labels given."""
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
        return self._labelled("rank", "rankings", {})

    @classmethod
    def from_xarray(cls, da: Any, *, rater_dim: str = "rater",
                    alternative_dim: str = "alternative") -> Rankings:
        """Inverse of :meth:`to_xarray`; other dims become batch axes in their order."""
        da, bdims, w, cands, attrs = _unpack_xarray(da, rater_dim, alternative_dim, "rankings")
        return cls(np.asarray(da.values), w, cands, voter_attributes=attrs, batch_dims=bdims,
                   items=_batch_labels(da, bdims))



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
    inferred = m is None
    if inferred:
        m = top + 1
    if m <= 0:
        raise ProfileError("`orders` names no candidates; pass n_candidates or candidates")
    ranks = np.full((len(parsed), m), -1, rank_dtype(m))
    for v, blocks in enumerate(parsed):
        for level, block in enumerate(blocks):
            ranks[v, block] = level
    if inferred:
        _check_no_phantom(ranks, m)
    return ranks


def _check_no_phantom(ranks: np.ndarray, m: int) -> None:
    """With the number of candidates inferred from the largest index, every index 0..m-1 must
    appear on some ballot: otherwise a candidate ranked nowhere is invented (1-based labels make
    a phantom candidate 0, which changes veto, Borda and Condorcet-loser answers)."""
    seen = (ranks.reshape(-1, m) >= 0).any(axis=0)
    if not seen.all():
        missing = np.flatnonzero(~seen)
        one_based = missing.tolist() == [0]
        raise ProfileError(
            f"`orders` never names candidate(s) {missing[:10].tolist()} although the largest index "
            f"is {m - 1}, so the number of candidates cannot be inferred"
            + ("; the orders look 1-based — subtract 1, or pass `candidates=` labels" if one_based
               else "")
            + f"; pass n_candidates={m} (or `candidates=`) if those candidates really are ranked "
            "by nobody"
        )
