"""Input preparation and result assembly shared by every rule module.

A rule function does three things::

    prep = prepare(profile, needs="rankings", active=active, rule="borda")
    mask, scores = <kernel>(prep.flat_ranks(), prep.flat_weights(), prep.flat_active(), ...)
    return finish(prep, mask, rule="borda", scores=scores, resolve=resolve)

Kernels see flat batches ``(B, n, m)`` / ``(B, m, m)`` / ``(B, m)`` and an ``active`` mask
``(B, m)``; inactive candidates must be ignored (spec/rules.md §1.1, §1.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import is_dask_array
from ..errors import ValidationError
from ..profiles import Pairwise, Rankings, Ratings
from ..profiles._common import margins_of
from ..results import RuleResult, resolve_ties

__all__ = ["Prepared", "prepare", "finish", "score_winners"]


@dataclass(eq=False)
class Prepared:
    """Validated input of a rule: one election or a batch, core axes last."""

    kind: str  # "rankings" | "ratings" | "pairwise"
    candidates: tuple
    batch_shape: tuple[int, ...]
    m: int
    active: np.ndarray  # (B..., m) bool
    ranks: np.ndarray | None = None  # (B..., n, m) int8 levels
    values: np.ndarray | None = None  # (B..., n, m) float ratings
    weights: np.ndarray | None = None  # (B..., n) or None
    _support: np.ndarray | None = field(default=None, repr=False)
    _total: np.ndarray | None = field(default=None, repr=False)
    profile: Any = field(default=None, repr=False)

    @property
    def n_items(self) -> int:
        return int(np.prod(self.batch_shape)) if self.batch_shape else 1

    @property
    def all_active(self) -> bool:
        return bool(self.active.all())

    def support(self) -> np.ndarray:
        """``S`` of shape ``(B..., m, m)`` (computed once)."""
        if self._support is None:
            if isinstance(self.profile, Rankings):
                self._support = self.profile.support()
            elif self.ranks is not None:
                self._support = Rankings(self.ranks, self.weights, _trusted=True).support()
            else:
                raise ValidationError("this input has no pairwise information")
        return self._support

    def margins(self) -> np.ndarray:
        s = self.support()
        return margins_of(s)

    def total_weight(self) -> np.ndarray:
        """``W`` per item, shape ``(B...)``."""
        if self._total is not None:
            return self._total
        if self.weights is not None:
            return self.weights.sum(axis=-1)
        n = (self.ranks if self.ranks is not None else self.values).shape[-2]
        return np.full(self.batch_shape, float(n))

    # flat views for kernels ------------------------------------------------
    def flat_ranks(self) -> np.ndarray:
        return np.ascontiguousarray(self.ranks.reshape((-1,) + self.ranks.shape[-2:]))

    def flat_values(self) -> np.ndarray:
        return np.ascontiguousarray(self.values.reshape((-1,) + self.values.shape[-2:]))

    def flat_weights(self) -> np.ndarray:
        """``(B, n)`` float64; ones when unweighted."""
        data = self.ranks if self.ranks is not None else self.values
        if self.weights is None:
            return np.ones((self.n_items, data.shape[-2]))
        return np.ascontiguousarray(self.weights.reshape(-1, data.shape[-2]))

    def flat_support(self) -> np.ndarray:
        return np.ascontiguousarray(self.support().reshape(-1, self.m, self.m))

    def flat_margins(self) -> np.ndarray:
        return np.ascontiguousarray(self.margins().reshape(-1, self.m, self.m))

    def flat_active(self) -> np.ndarray:
        return np.ascontiguousarray(self.active.reshape(-1, self.m))

    def flat_total_weight(self) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(self.total_weight(), self.batch_shape).reshape(-1),
                                    dtype=np.float64)


def _check_active(active: Any, batch_shape: tuple[int, ...], m: int) -> np.ndarray:
    if active is None:
        return np.ones(batch_shape + (m,), bool)
    a = np.asarray(active)
    if a.dtype != bool:
        raise ValidationError(f"`active` must be a boolean mask over candidates, got dtype {a.dtype}")
    try:
        a = np.broadcast_to(a, batch_shape + (m,)).copy()
    except ValueError:
        raise ValidationError(
            f"`active` has shape {a.shape}; pass shape ({m},) or {batch_shape + (m,)}"
        ) from None
    if not a.any(axis=-1).all():
        raise ValidationError("`active` leaves an item with no candidate; keep at least one")
    return a


def prepare(profile: Any, needs: str, *, active: Any = None, rule: str = "rule") -> Prepared:
    """Coerce a profile to the input kind a rule needs, validating once.

    Accepted: :class:`Rankings`, :class:`Ratings`, :class:`Pairwise` and numpy arrays (an
    integer array is read as ranks ``(..., n, m)``, a float array with NaN as ratings for
    cardinal rules and as ranks otherwise — pass a container to be explicit).
    """
    if is_dask_array(profile):
        raise ValidationError(
            f"`{rule}` got a bare dask array; wrap it in an xarray DataArray with dims "
            "('item', 'rater', 'alternative') so it can be processed chunk by chunk"
        )
    if isinstance(profile, np.ndarray) or isinstance(profile, (list, tuple)):
        arr = np.asarray(profile)
        if needs == "ratings":
            profile = Ratings(arr)
        else:
            profile = Rankings._borrow(arr)  # no copy: the profile lives for this call only
    if needs == "ratings":
        if not isinstance(profile, Ratings):
            raise ValidationError(
                f"`{rule}` is a cardinal rule and needs sc.Ratings, got {type(profile).__name__}; "
                "ordinal ballots carry no ratings"
            )
        return Prepared("ratings", profile.candidates, profile.batch_shape, profile.n_candidates,
                        _check_active(active, profile.batch_shape, profile.n_candidates),
                        values=profile.values, weights=profile.weights, profile=profile)
    if isinstance(profile, Ratings):
        profile = profile.to_rankings()
    if isinstance(profile, Rankings):
        return Prepared("rankings", profile.candidates, profile.batch_shape, profile.n_candidates,
                        _check_active(active, profile.batch_shape, profile.n_candidates),
                        ranks=profile.ranks, weights=profile.weights, profile=profile)
    if isinstance(profile, Pairwise):
        if needs == "rankings":
            raise ValidationError(
                f"`{rule}` needs ballots (sc.Rankings); pairwise data only supports rules defined "
                "from the margin matrix (see sc.rules.names(needs='margins'))"
            )
        tw = np.asarray(profile.total_weight, dtype=np.float64)
        return Prepared("pairwise", profile.candidates, profile.batch_shape, profile.n_candidates,
                        _check_active(active, profile.batch_shape, profile.n_candidates),
                        _support=np.asarray(profile.support_matrix), _total=tw, profile=profile)
    raise ValidationError(
        f"`{rule}` cannot run on {type(profile).__name__}; pass sc.Rankings, sc.Ratings, "
        "sc.Pairwise, a numpy array or an xarray DataArray"
    )


def score_winners(scores: np.ndarray, active: np.ndarray, *, rtol: float = 1e-9,
                  exact: bool = False) -> np.ndarray:
    """Argmax set over active candidates with the tolerance of spec/rules.md §1.5.

    NaN scores never win unless every active score is NaN (then all active candidates win).
    """
    s = np.where(active, scores, -np.inf)
    s = np.where(np.isnan(s), -np.inf, s)
    best = s.max(axis=-1, keepdims=True)
    if exact:
        mask = s == best
    else:
        tol = rtol * np.maximum(1.0, np.abs(best))
        mask = s >= best - tol
    mask &= active
    none = ~mask.any(axis=-1, keepdims=True)
    return np.where(none, active, mask)


def finish(
    prep: Prepared,
    winner_mask: np.ndarray,
    *,
    rule: str,
    scores: np.ndarray | None = None,
    ranking: np.ndarray | None = None,
    lottery: np.ndarray | None = None,
    details: dict | None = None,
    resolve: Any = None,
) -> RuleResult:
    """Reshape flat kernel outputs to the batch, mask inactive candidates, resolve ties."""
    shape = prep.batch_shape + (prep.m,)

    def shaped(a):
        return None if a is None else np.asarray(a).reshape(shape)

    mask = np.asarray(winner_mask, dtype=bool).reshape(shape) & prep.active
    if resolve is not None:
        idx = resolve_ties(mask, resolve)
        mask = np.zeros_like(mask)
        np.put_along_axis(mask, np.asarray(idx)[..., None], True, axis=-1)
    return RuleResult(mask, prep.candidates, rule, scores=shaped(scores), ranking=shaped(ranking),
                      lottery=shaped(lottery), details=details or {})
