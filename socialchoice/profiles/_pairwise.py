"""Pairwise data: :class:`Pairwise` support matrices, from ballots, margins or records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._kernels import pairwise as _kp
from .._validation import as_float_array, check_finite, check_labels, readonly
from ..errors import ValidationError, WeightsError
from ._common import _check_batch_dims, _columns, _default_batch_dims, margins_of


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

    #: labels of the single batch axis (set by from_records and the readers), or None
    items: tuple | None = None

    def __init__(self, support: Any, candidates: Sequence | None = None, *,
                 total_weight: Any = None, batch_dims: Sequence[str] | None = None) -> None:
        s = as_float_array(support, "support", min_ndim=2)
        if s.shape[-1] != s.shape[-2]:
            raise ValidationError(f"`support` must be square (..., m, m), got shape {s.shape}")
        if s.shape[-1] == 0:
            raise ValidationError("`support` has no candidates")
        self._support = readonly(np.array(s, dtype=np.float64, order="C"))
        m = s.shape[-1]
        finite, negative, diagonal, sym = _kp.support_summary(self._support.reshape(-1, m, m))
        if not finite:
            check_finite(s, "support")
        if negative:
            raise ValidationError("`support` has negative entries; support counts are >= 0")
        if diagonal:
            raise ValidationError("`support` has a non-zero diagonal; S[x, x] must be 0")
        sym = sym.reshape(s.shape[:-2])
        if total_weight is None:
            tw = sym
        else:
            tw = as_float_array(total_weight, "total_weight")
            if not np.isfinite(tw).all() or (tw < 0).any():
                raise WeightsError(
                    f"`total_weight` must be finite and >= 0 (the total voter weight per item), "
                    f"got {np.asarray(total_weight)!r}"
                )
            if (tw + 1e-9 * tw < sym * (1 - 1e-12)).any():
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
        return margins_of(self._support)

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
            Ties add nothing, or ``w/2`` to both directions (docs/rules.md §1.3).

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
                raise WeightsError(f"column {weight!r} must hold finite weights >= 0")
        else:
            w = np.ones(n)
        if item:
            item_col = np.asarray(cols[item])
            missing_item = _is_missing_label(item_col)
            if missing_item.any():
                r = int(np.flatnonzero(missing_item)[0])
                raise ValidationError(
                    f"column {item!r} row {r} is missing (NaN/None): every record needs an item; "
                    "drop or fill those rows (a missing item is not an item of its own)"
                )
            items, ii = np.unique(item_col, return_inverse=True)
            n_items = len(items)
        else:
            ii = np.zeros(n, np.int64)
            n_items = 1
        s = _kp.records_to_support(ii.astype(np.int64).ravel(), ia, ib, y, w, n_items, len(cand),
                                   ties == "half")
        tot = np.bincount(ii.ravel(), weights=w, minlength=n_items)
        if (tot == 0).any():
            k = int(np.flatnonzero(tot == 0)[0])
            where = f"item {np.asarray(items[k]).tolist()!r}" if item else "the records"
            raise WeightsError(
                f"column {weight!r} gives {where} total weight 0; give some record a positive weight"
            )
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


def _is_missing_label(col: np.ndarray) -> np.ndarray:
    """NaN/None entries of a label column (numeric or object)."""
    if col.dtype.kind == "f":
        return np.isnan(col)
    if col.dtype == object:
        return np.array([x is None or (isinstance(x, float) and x != x) for x in col.tolist()], bool)
    return np.zeros(col.shape, bool)
