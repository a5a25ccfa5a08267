"""Cardinal rules on ratings (spec/rules.md §5): utilitarian (range), approval by threshold,
majority judgment and quantile rules.

All take :class:`~socialchoice.Ratings` (``values[..., n, m]``, NaN = not rated). Common options:

``missing``
    ``"omit"`` (default: statistics over the raters of each candidate; ``W_c`` = their weight),
    ``"min"`` (NaN := the scale minimum, Balinski–Laraki), ``"zero"`` (NaN := 0), ``"error"``.
``scale``
    ``(lo, hi)``; inferred per item from the finite ratings of the active candidates when omitted
    (only ``lo`` is used, by ``missing="min"``).
``min_raters``
    Candidates rated (before filling) by fewer raters with positive weight never win, unless no
    candidate qualifies; a candidate nobody rated scores NaN under ``"omit"``. If no candidate
    qualifies every active candidate wins.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels import cardinal as _kc
from ..errors import ProfileError, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare, score_winners
from ._registry import register_rule

__all__ = ["utilitarian", "approval", "majority_judgment", "quantile"]

_MISSING = ("omit", "min", "zero", "error")
_NORMS = {"none": _kc.NORM_NONE, "range": _kc.NORM_RANGE, "zscore": _kc.NORM_ZSCORE,
          "rank": _kc.NORM_RANK}


def _check_min_raters(min_raters: Any) -> int:
    if isinstance(min_raters, bool) or not isinstance(min_raters, (int, np.integer)) or min_raters < 0:
        raise ValidationError(f"`min_raters` must be a non-negative integer, got {min_raters!r}")
    return int(min_raters)


def _values(prep: Prepared, missing: str, scale: Any, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Filled flat values (a copy) and the number of original raters per candidate (B, m)."""
    if missing not in _MISSING:
        raise ValidationError(f"`missing` must be one of {_MISSING}, got {missing!r}")
    v = prep.flat_values()
    a = prep.flat_active()
    w = prep.flat_weights()
    if not np.isnan(v).any():  # the common case: counts from the weights alone
        return v, np.where(a, (w > 0).sum(axis=1)[:, None], 0)
    finite = ~np.isnan(v)
    nr = ((finite & (w[:, :, None] > 0)) & a[:, None, :]).sum(axis=1)
    nan_active = ~finite & a[:, None, :]
    if missing == "error":
        if nan_active.any():
            b, i, c = np.argwhere(nan_active)[0]
            raise ProfileError(
                f"{rule}: rating of candidate {prep.candidates[c]!r} by rater {i} (item {b}) is "
                "missing and missing='error'; pass missing='omit', 'min' or 'zero'"
            )
        return v, nr
    if missing == "omit" or not nan_active.any():
        return v, nr
    if missing == "zero":
        fill = np.zeros(v.shape[0])
    elif scale is not None:
        lo_hi = np.asarray(scale, dtype=np.float64)
        if lo_hi.shape != (2,) or not np.isfinite(lo_hi).all() or lo_hi[0] > lo_hi[1]:
            raise ValidationError(f"`scale` must be (lo, hi) with lo <= hi, got {scale!r}")
        fill = np.full(v.shape[0], lo_hi[0])
    else:
        masked = np.where(finite & a[:, None, :], v, np.inf)
        fill = masked.min(axis=(1, 2))
        fill = np.where(np.isfinite(fill), fill, 0.0)
    v = np.where(nan_active, fill[:, None, None], v)
    return np.ascontiguousarray(v), nr


def _eligible_winners(scores: np.ndarray, nr: np.ndarray, active: np.ndarray,
                      min_raters: int) -> np.ndarray:
    ok = active & (nr >= max(min_raters, 1)) & ~np.isnan(scores)
    mask = score_winners(scores, ok)
    return np.where(ok.any(axis=-1, keepdims=True), mask & ok, active)


def _weights(prep: Prepared) -> tuple[bool, np.ndarray]:
    if prep.weights is None:
        return False, np.empty((prep.n_items, 0))
    return True, prep.flat_weights()


@register_rule("utilitarian", family="cardinal", needs="ratings", aliases=("range",),
               oracle="pref_voting.score_voting")
def utilitarian(profile: Any, *, normalize: str = "none", agg: str = "mean", missing: str = "omit",
                scale: Any = None, min_raters: int = 1, active: Any = None,
                resolve: Any = None) -> RuleResult:
    """Utilitarian / range voting (spec/rules.md §5.1): highest (weighted) mean rating wins.

    Parameters
    ----------
    profile : Ratings or DataArray
        Ratings ``(..., n, m)``, NaN = not rated.
    normalize : {"none", "range", "zscore", "rank"}
        Per-voter transform over that voter's rated active candidates: ``"range"`` maps to
        [0, 1], ``"zscore"`` to mean 0 / sd 1 (constant voters give 0), ``"rank"`` to average
        ranks (#rated below + ½ #tied, i.e. Borda average mode).
    agg : {"mean", "sum"}
        ``Σ w u / W_c`` or ``Σ w u``.
    missing, scale, min_raters
        See the module docstring.
    active, resolve
        Candidate mask; single-winner resolution.

    Returns
    -------
    RuleResult
        ``scores`` (NaN for unrated candidates); ``details["n_raters"]``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.Ratings([[2, 1], [3, 3], [3, 3], [4, 3], [5, 4]], candidates=["x", "y"])
    >>> res = sc.rules.utilitarian(r)
    >>> res.winners, res.scores.round(2).tolist()
    (['x'], [3.4, 2.8])
    """
    if normalize not in _NORMS:
        raise ValidationError(f"`normalize` must be one of {sorted(_NORMS)}, got {normalize!r}")
    if agg not in ("mean", "sum"):
        raise ValidationError(f"`agg` must be 'mean' or 'sum', got {agg!r}")
    min_raters = _check_min_raters(min_raters)
    prep = prepare(profile, "ratings", active=active, rule="utilitarian")
    v, nr = _values(prep, missing, scale, "utilitarian")
    use_w, w = _weights(prep)
    a = prep.flat_active()
    scores = np.empty(a.shape)
    wc = np.empty(a.shape)
    _kc.utilitarian_batch(v, w, use_w, a, _NORMS[normalize], agg == "sum", scores, wc)
    scores = np.where(a, scores, np.nan)
    mask = _eligible_winners(scores, nr, a, min_raters)
    if agg == "sum":
        scores = prep.unscale(scores)
    return finish(prep, mask, rule="utilitarian", scores=scores, resolve=resolve,
                  details={"n_raters": nr.reshape(prep.batch_shape + (prep.m,))})


@register_rule("approval", family="cardinal", needs="ratings", oracle="pref_voting.approval")
def approval(profile: Any, *, threshold: float, strict: bool = False, share: bool = False,
             missing: str = "omit", scale: Any = None, min_raters: int = 1, active: Any = None,
             resolve: Any = None) -> RuleResult:
    """Approval by threshold (spec/rules.md §5.2): a voter approves ``c`` iff ``u(c) >= τ``.

    ``strict=True`` uses ``>``; a missing rating never approves (under ``"omit"``).
    ``scores`` = approving weight, divided by the raters' weight ``W_c`` with ``share=True``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.Ratings([[2, 1], [3, 3], [3, 3], [4, 3], [5, 4]], candidates=["x", "y"])
    >>> sc.rules.approval(r, threshold=4).scores.tolist()
    [2.0, 1.0]
    """
    try:
        tau = float(threshold)
    except (TypeError, ValueError):
        raise ValidationError(f"`threshold` must be a number, got {threshold!r}") from None
    if not np.isfinite(tau):
        raise ValidationError(f"`threshold` must be finite, got {threshold!r}")
    min_raters = _check_min_raters(min_raters)
    prep = prepare(profile, "ratings", active=active, rule="approval")
    v, nr = _values(prep, missing, scale, "approval")
    use_w, w = _weights(prep)
    a = prep.flat_active()
    scores = np.empty(a.shape)
    wc = np.empty(a.shape)
    _kc.approval_batch(v, w, use_w, a, tau, bool(strict), scores, wc)
    if share:
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(wc > 0, scores / np.where(wc > 0, wc, 1.0), np.nan)
    scores = np.where(a, scores, np.nan)
    mask = _eligible_winners(scores, nr, a, min_raters)
    if not share:
        scores = prep.unscale(scores)
    return finish(prep, mask, rule="approval", scores=scores, resolve=resolve,
                  details={"n_raters": nr.reshape(prep.batch_shape + (prep.m,))})


_TIEBREAKS = {"none": 0, "majority_value": 1, "gauge": 2}


def _quantile_rule(profile: Any, rule: str, q: float, tiebreak: str, missing: str, scale: Any,
                   min_raters: int, active: Any, resolve: Any) -> RuleResult:
    if tiebreak not in _TIEBREAKS:
        raise ValidationError(f"`tiebreak` must be one of {sorted(_TIEBREAKS)}, got {tiebreak!r}")
    min_raters = _check_min_raters(min_raters)
    prep = prepare(profile, "ratings", active=active, rule=rule)
    v, _ = _values(prep, missing, scale, rule)
    use_w, w = _weights(prep)
    if tiebreak == "majority_value" and use_w and not np.all(w == np.round(w)):
        raise ValidationError(
            f"{rule}: tiebreak='majority_value' removes one grade at a time and needs integer "
            "weights; pass tiebreak='gauge' for real weights"
        )
    a = prep.flat_active()
    B, m = a.shape
    scores = np.empty((B, m))
    key = np.empty((B, m))
    mask = np.zeros((B, m), bool)
    nr = np.zeros((B, m), np.int64)
    _kc.quantile_batch(v, w, use_w, a, float(q), _TIEBREAKS[tiebreak], max(min_raters, 1), scores,
                       key, mask, nr)
    details = {"n_raters": nr.reshape(prep.batch_shape + (m,))}
    if tiebreak == "gauge":
        details["gauge"] = key.reshape(prep.batch_shape + (m,))
    return finish(prep, mask, rule=rule, scores=np.where(a, scores, np.nan), resolve=resolve,
                  details=details)


@register_rule("majority_judgment", family="cardinal", needs="ratings",
               oracle="pref_voting.majority_judgement")
def majority_judgment(profile: Any, *, tiebreak: str = "majority_value", missing: str = "omit",
                      scale: Any = None, min_raters: int = 1, active: Any = None,
                      resolve: Any = None) -> RuleResult:
    """Majority judgment (spec/rules.md §5.3): highest lower median grade wins.

    Ties between top medians: ``"majority_value"`` (default; Balinski–Laraki: repeatedly remove
    one copy of the median grade and compare again; integer weights only — candidates whose
    remaining grades agree until one runs out stay tied), ``"gauge"`` (key ``+p`` if ``p > q``
    else ``-q`` with ``p``/``q`` the rater shares above/below the median; real weights allowed;
    keys in ``details["gauge"]``) or ``"none"``. ``scores`` = lower medians.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.Ratings([[2, 1], [3, 3], [3, 3], [4, 3], [5, 4]], candidates=["x", "y"])
    >>> sc.rules.majority_judgment(r).winners
    ['x']
    >>> sc.rules.majority_judgment(r, tiebreak="none").winners
    ['x', 'y']
    >>> sc.rules.majority_judgment(r, tiebreak="gauge").details["gauge"].round(2).tolist()
    [0.4, -0.2]
    """
    return _quantile_rule(profile, "majority_judgment", 0.5, tiebreak, missing, scale, min_raters,
                          active, resolve)


@register_rule("quantile", family="cardinal", needs="ratings",
               oracle="pref_voting.score_voting")
def quantile(profile: Any, *, q: float = 0.5, tiebreak: str = "none", missing: str = "omit",
             scale: Any = None, min_raters: int = 1, active: Any = None,
             resolve: Any = None) -> RuleResult:
    """Quantile rule (spec/rules.md §5.4): highest lower ``q``-quantile grade wins.

    The lower ``q``-quantile is the smallest grade whose cumulative rater weight is at least
    ``q·W_c``; ``q = ½`` is the lower median, small ``q`` approaches the minimum (maximin over
    raters). Ties are not broken unless ``tiebreak`` (``"majority_value"`` or ``"gauge"``,
    only for ``q = ½``).

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.Ratings([[2, 1], [3, 3], [3, 3], [4, 3], [5, 4]], candidates=["x", "y"])
    >>> sc.rules.quantile(r, q=0.2).scores.tolist(), sc.rules.quantile(r, q=0.8).winners
    ([2.0, 1.0], ['x'])
    """
    try:
        qf = float(q)
    except (TypeError, ValueError):
        raise ValidationError(f"`q` must be a number in (0, 1], got {q!r}") from None
    if not 0.0 < qf <= 1.0:
        raise ValidationError(f"`q` must lie in (0, 1], got {q!r}")
    if tiebreak != "none" and qf != 0.5:
        raise ValidationError(f"`tiebreak`={tiebreak!r} is defined only for q=0.5, got q={q!r}")
    return _quantile_rule(profile, "quantile", qf, tiebreak, missing, scale, min_raters, active,
                          resolve)
