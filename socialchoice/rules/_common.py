"""Input preparation and result assembly shared by every rule module.

A rule function does three things::

    prep = prepare(profile, needs="rankings", active=active, rule="borda")
    mask, scores = <kernel>(prep.flat_ranks(), prep.flat_weights(), prep.flat_active(), ...)
    return finish(prep, mask, rule="borda", scores=scores, resolve=resolve)

Kernels see flat batches ``(B, n, m)`` / ``(B, m, m)`` / ``(B, m)`` and an ``active`` mask
``(B, m)``; inactive candidates must be ignored (docs/rules.md §1.1, §1.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

import warnings

from .._config import TIE_RTOL
from .._kernels.pairwise import all_integral
from .._validation import is_dask_array
from ..errors import ConventionWarning, ProfileError, ValidationError
from ..profiles import Pairwise, Rankings, Ratings
from ..profiles._common import margins_of
from ..results import RuleResult, resolve_ties

__all__ = ["Prepared", "prepare", "finish", "score_winners", "pow2_factors", "PAIRS"]

#: How missing ratings enter pairwise comparisons (docs/conventions.md §5).
PAIRS = ("both_rated", "missing_below")


def pow2_factors(x_max: np.ndarray) -> np.ndarray:
    """Per item, the power of two ``f`` with ``f * x_max`` in ``[1, 2)`` (1 where ``x_max`` is
    0 or not finite). Multiplying by ``f`` is exact, so comparisons are unchanged
    (``_config.rescale_weights``)."""
    x = np.asarray(x_max, dtype=np.float64)
    ok = (x > 0) & np.isfinite(x)
    _, e = np.frexp(np.where(ok, x, 1.0))
    return np.ldexp(1.0, np.where(ok, 1 - e, 0))


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
    #: power-of-two factor (B...) the weights / support were multiplied by (None: 1)
    wfactor: np.ndarray | None = field(default=None, repr=False)
    #: pairwise input whose support, before the power-of-two scaling, is whole numbers
    integral_support: bool = field(default=False, repr=False)

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
        tw = np.broadcast_to(self.total_weight(), self.batch_shape).reshape(-1)
        return np.ascontiguousarray(tw, dtype=np.float64)

    def unscale(self, a: np.ndarray | None) -> np.ndarray | None:
        """Undo the weight rescaling on a flat ``(B, ...)`` array of weighted sums (scores in
        the caller's weight units; exact, since the factor is a power of two)."""
        if a is None or self.wfactor is None:
            return a
        f = self.wfactor.reshape((-1,) + (1,) * (np.ndim(a) - 1))
        with np.errstate(over="ignore"):
            return np.asarray(a) / f


def _check_active(active: Any, batch_shape: tuple[int, ...], m: int) -> np.ndarray:
    if active is None:
        return np.ones(batch_shape + (m,), bool)
    a = np.asarray(active)
    if a.dtype != bool:
        raise ValidationError(
            f"`active` must be a boolean mask over candidates, got dtype {a.dtype}")
    try:
        a = np.broadcast_to(a, batch_shape + (m,)).copy()
    except ValueError:
        raise ValidationError(
            f"`active` has shape {a.shape}; pass shape ({m},) or {batch_shape + (m,)}"
        ) from None
    if not a.any(axis=-1).all():
        raise ValidationError("`active` leaves an item with no candidate; keep at least one")
    return a


def _rescaled(w: np.ndarray | None, extra_max: np.ndarray | None = None):
    """``(w * f, f)`` with ``f`` the per-item power of two bringing the largest weight into
    ``[1, 2)``; ``(w, None)`` when nothing changes."""
    if w is None:
        return None, None
    wmax = np.max(w, axis=-1) if w.shape[-1] else np.zeros(w.shape[:-1])
    f = pow2_factors(wmax)
    if np.all(f == 1.0):
        return w, None
    return w * f[..., None], f


def _ratings_support(profile: Ratings, pairs: str) -> np.ndarray:
    """Support ``S[..., x, y]`` of ratings under the ``pairs`` convention (conventions §5)."""
    return np.asarray(profile.support(pairs=pairs), dtype=np.float64)


def prepare(profile: Any, needs: str, *, active: Any = None, rule: str = "rule",
            pairs: str | None = None) -> Prepared:
    """Coerce a profile to the input kind a rule needs, validating once.

    Accepted: :class:`Rankings`, :class:`Ratings`, :class:`Pairwise` and numpy arrays (an
    integer array is read as ranks ``(..., n, m)``, a float array with NaN as ratings for
    cardinal rules and as ranks otherwise — pass a container to be explicit).

    Weights (and the support of :class:`Pairwise` data) are multiplied per item by an exact
    power of two (``Prepared.wfactor``) so that no sum overflows or underflows; rules report
    weighted sums back in the caller's units with :meth:`Prepared.unscale`.

    ``pairs`` (margin rules on :class:`Ratings` only): ``"both_rated"`` (default) counts
    "x beats y" over the raters who rated both; ``"missing_below"`` ranks a missing rating
    below every given one (docs/conventions.md §5).
    """
    if pairs is not None and pairs not in PAIRS:
        raise ValidationError(f"`pairs` must be one of {PAIRS}, got {pairs!r}")
    if is_dask_array(profile):
        raise ValidationError(
            f"`{rule}` got a bare dask array; wrap it in an xarray DataArray with dims "
            "('item', 'rater', 'alternative') so it can be processed chunk by chunk"
        )
    if isinstance(profile, np.ndarray) or isinstance(profile, (list, tuple)):
        try:
            arr = np.asarray(profile)
        except ValueError:  # numpy's "inhomogeneous shape": a ragged batch
            raise ProfileError(
                f"`profile` given to `{rule}` is ragged: profiles in a batch must have the same "
                "number of voters and candidates; pad ballots with -1 (ratings with NaN) or call "
                "the rule once per profile"
            ) from None
        if arr.dtype == object:
            raise ProfileError(
                f"`profile` given to `{rule}` is ragged or holds non-numeric objects; pass a "
                "rectangular (..., n, m) array, sc.Rankings or sc.Ratings"
            )
        if needs == "ratings":
            profile = Ratings(arr)
        else:
            profile = Rankings._borrow(arr)  # no copy: the profile lives for this call only
    if pairs is not None and not (isinstance(profile, Ratings) and needs == "margins"):
        raise ValidationError(
            f"`pairs` applies to margin rules on sc.Ratings only; `{rule}` got "
            f"{type(profile).__name__} (needs={needs!r}); drop `pairs`"
        )
    if needs == "ratings":
        if not isinstance(profile, Ratings):
            raise ValidationError(
                f"`{rule}` is a cardinal rule and needs sc.Ratings, got {type(profile).__name__}; "
                "ordinal ballots carry no ratings"
            )
        w, f = _rescaled(profile.weights)
        return Prepared("ratings", profile.candidates, profile.batch_shape, profile.n_candidates,
                        _check_active(active, profile.batch_shape, profile.n_candidates),
                        values=profile.values, weights=w, profile=profile, wfactor=f)
    if isinstance(profile, Ratings) and needs == "margins":
        if pairs is None:
            pairs = "both_rated"
            if np.isnan(profile.values).any():
                warnings.warn(
                    f"`{rule}` on ratings with missing values counts 'x beats y' over the raters "
                    "who rated both (pairs='both_rated'); pass pairs='both_rated' or "
                    "pairs='missing_below' to choose", ConventionWarning, stacklevel=3)
        s = _ratings_support(profile, pairs)
        w = profile.weights
        n = profile.values.shape[-2]
        tw = w.sum(axis=-1) if w is not None else np.full(profile.batch_shape, float(n))
        return _pairwise_prep(s, tw, profile, active)
    if isinstance(profile, Ratings):
        profile = profile.to_rankings()
    if isinstance(profile, Rankings):
        w, f = _rescaled(profile.weights)
        if f is not None:
            profile = Rankings(profile.ranks, w, profile.candidates, _trusted=True)
        return Prepared("rankings", profile.candidates, profile.batch_shape, profile.n_candidates,
                        _check_active(active, profile.batch_shape, profile.n_candidates),
                        ranks=profile.ranks, weights=w, profile=profile, wfactor=f)
    if isinstance(profile, Pairwise):
        if needs == "rankings":
            raise ValidationError(
                f"`{rule}` needs ballots (sc.Rankings); pairwise data only supports rules defined "
                "from the margin matrix (see sc.rules.names(needs='margins'))"
            )
        return _pairwise_prep(np.asarray(profile.support_matrix),
                              np.asarray(profile.total_weight, dtype=np.float64), profile, active)
    raise ValidationError(
        f"`{rule}` cannot run on {type(profile).__name__}; pass sc.Rankings, sc.Ratings, "
        "sc.Pairwise, a numpy array or an xarray DataArray"
    )


def _pairwise_prep(s: np.ndarray, tw: np.ndarray, profile: Any, active: Any) -> Prepared:
    """A pairwise ``Prepared`` with support and total weight scaled by a power of two per item."""
    batch = s.shape[:-2]
    m = s.shape[-1]
    tw = np.broadcast_to(np.asarray(tw, dtype=np.float64), batch)
    smax = np.max(s, axis=(-1, -2)) if s.size else np.zeros(batch)
    f = pow2_factors(np.maximum(smax, tw))
    integral = bool(all_integral(np.ascontiguousarray(s)))
    if np.all(f == 1.0):
        f = None
    else:
        s = s * f[..., None, None]
        tw = tw * f
    return Prepared("pairwise", profile.candidates, batch, m, _check_active(active, batch, m),
                    _support=s, _total=np.array(tw), profile=profile, wfactor=f,
                    integral_support=integral)


def score_winners(scores: np.ndarray, active: np.ndarray, *, rtol: float = TIE_RTOL,
                  exact: bool = False) -> np.ndarray:
    """Argmax set over active candidates with the tolerance of docs/rules.md §1.5.

    Scores within ``rtol`` times the largest magnitude among the active scores of the best are
    tied (purely relative: multiplying every score by ``c > 0`` changes nothing).
    NaN scores never win unless every active score is NaN (then all active candidates win).
    """
    from .._kernels._choice import argmax_sets

    S = np.ascontiguousarray(scores, dtype=np.float64)
    A = np.ascontiguousarray(np.broadcast_to(active, S.shape), dtype=np.bool_)
    shape = S.shape
    out = np.empty(shape, np.bool_)
    if S.size:
        argmax_sets(S.reshape(-1, shape[-1]), A.reshape(-1, shape[-1]), float(rtol), bool(exact),
                    out.reshape(-1, shape[-1]))
    return out


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
