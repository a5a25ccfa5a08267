"""Cardinal rules on ratings (docs/rules.md §5): utilitarian (range), approval by threshold,
majority judgment and quantile rules.

All take :class:`~socialchoice.Ratings` (``values[..., n, m]``, NaN = not rated). Common options:

``nan_policy`` (formerly ``missing``)
    ``"omit"`` (default: statistics over the raters of each candidate; ``W_c`` = their weight),
    ``"propagate"`` (a candidate with a missing rating scores NaN and does not win unless every
    active candidate does), ``"raise"`` (formerly ``"error"``), and two fills:
    ``"min"`` (NaN := the scale minimum, Balinski–Laraki) and ``"zero"`` (NaN := 0).
``scale``
    ``(lo, hi)``; inferred per item from the finite ratings of the active candidates when omitted
    (only ``lo`` is used, by ``nan_policy="min"``).
``min_raters``
    Candidates rated (before filling) by fewer raters with positive weight never win, unless no
    candidate qualifies; a candidate nobody rated scores NaN under ``"omit"``. If no candidate
    qualifies every active candidate wins.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._kernels import cardinal as _kc
from ..errors import ProfileError, TieWarning, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare, score_winners
from ._registry import register_rule

__all__ = ["utilitarian", "approval", "majority_judgment", "quantile"]

_NAN_POLICIES = ("omit", "propagate", "raise", "min", "zero")
#: renamed parameters of the cardinal rules (old spelling -> new), kept with a warning
_RENAMED = {"missing": "nan_policy", "tiebreak": "tie_break", "agg": "reduce"}
_NORMS = {"none": _kc.NORM_NONE, "range": _kc.NORM_RANGE, "zscore": _kc.NORM_ZSCORE,
          "rank": _kc.NORM_RANK}


def _check_min_raters(min_raters: Any) -> int:
    if isinstance(min_raters, bool) or not isinstance(min_raters, (int, np.integer)) or min_raters < 0:
        raise ValidationError(f"`min_raters` must be a non-negative integer, got {min_raters!r}")
    return int(min_raters)


def _nan_policy(nan_policy: str) -> str:
    if nan_policy == "error":
        warnings.warn("nan_policy='error' is renamed nan_policy='raise'", DeprecationWarning,
                      stacklevel=4)
        return "raise"
    if nan_policy not in _NAN_POLICIES:
        raise ValidationError(f"`nan_policy` must be one of {_NAN_POLICIES}, got {nan_policy!r}")
    return nan_policy


def _values(prep: Prepared, nan_policy: str, scale: Any,
            rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Filled flat values (a copy), the number of original raters per candidate (B, m) and,
    for ``nan_policy="propagate"``, the (B, m) mask of candidates with a missing rating."""
    nan_policy = _nan_policy(nan_policy)
    v = prep.flat_values()
    a = prep.flat_active()
    w = prep.flat_weights()
    if not np.isnan(v).any():  # the common case: counts from the weights alone
        return v, np.where(a, (w > 0).sum(axis=1)[:, None], 0), None
    finite = ~np.isnan(v)
    nr = ((finite & (w[:, :, None] > 0)) & a[:, None, :]).sum(axis=1)
    nan_active = ~finite & a[:, None, :]
    if nan_policy == "raise":
        if nan_active.any():
            b, i, c = np.argwhere(nan_active)[0]
            raise ProfileError(
                f"{rule}: rating of candidate {prep.candidates[c]!r} by rater {i} (item {b}) is "
                "missing and nan_policy='raise'; pass nan_policy='omit', 'propagate', 'min' or "
                "'zero'"
            )
        return v, nr, None
    if nan_policy == "propagate":
        return v, nr, (nan_active & (w[:, :, None] > 0)).any(axis=1)
    if nan_policy == "omit" or not nan_active.any():
        return v, nr, None
    if nan_policy == "zero":
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
    return np.ascontiguousarray(v), nr, None


def _propagate(scores: np.ndarray, has_nan: np.ndarray | None) -> np.ndarray:
    return scores if has_nan is None else np.where(has_nan, np.nan, scores)


def _eligible_winners(scores: np.ndarray, nr: np.ndarray, active: np.ndarray,
                      min_raters: int) -> np.ndarray:
    ok = active & (nr >= max(min_raters, 1)) & ~np.isnan(scores)
    mask = score_winners(scores, ok)
    return np.where(ok.any(axis=-1, keepdims=True), mask & ok, active)


def _weights(prep: Prepared) -> tuple[bool, np.ndarray]:
    if prep.weights is None:
        return False, np.empty((prep.n_items, 0))
    return True, prep.flat_weights()


def _rating_inputs(profile: Any, active: Any, nan_policy: str, scale: Any, rule: str):
    """``(prep, values, n_raters, has_nan, use_w, weights)`` of a cardinal rule's input."""
    prep = prepare(profile, "ratings", active=active, rule=rule)
    v, nr, has_nan = _values(prep, nan_policy, scale, rule)
    use_w, w = _weights(prep)
    return prep, v, nr, has_nan, use_w, w


@register_rule("utilitarian", family="cardinal", needs="ratings", aliases=("range",),
               oracle="pref_voting.score_voting", renamed=_RENAMED)
def utilitarian(profile: Any, *, normalize: str = "none", reduce: str = "mean",
                nan_policy: str = "omit", scale: Any = None, min_raters: int = 1,
                active: Any = None, resolve: Any = None) -> RuleResult:
    """Utilitarian / range voting (docs/rules.md §5.1): highest (weighted) mean rating wins.

    Parameters
    ----------
    profile : Ratings or DataArray
        Ratings ``(..., n, m)``, NaN = not rated.
    normalize : {"none", "range", "zscore", "rank"}
        Per-voter transform over that voter's rated active candidates: ``"range"`` maps to
        [0, 1], ``"zscore"`` to mean 0 / sd 1 (constant voters give 0), ``"rank"`` to average
        ranks (#rated below + ½ #tied, i.e. Borda average mode).
    reduce : {"mean", "sum"}
        ``Σ w u / W_c`` or ``Σ w u`` (formerly ``agg=``).
    nan_policy, scale, min_raters
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
    if reduce not in ("mean", "sum"):
        raise ValidationError(f"`reduce` must be 'mean' or 'sum', got {reduce!r}")
    min_raters = _check_min_raters(min_raters)
    prep, v, nr, has_nan, use_w, w = _rating_inputs(profile, active, nan_policy, scale, "utilitarian")
    a = prep.flat_active()
    scores, wc = np.empty(a.shape), np.empty(a.shape)
    _kc.utilitarian_batch(v, w, use_w, a, _NORMS[normalize], reduce == "sum", scores, wc)
    scores = _propagate(np.where(a, scores, np.nan), has_nan)
    mask = _eligible_winners(scores, nr, a, min_raters)
    if reduce == "sum":
        scores = prep.unscale(scores)
    return finish(prep, mask, rule="utilitarian", scores=scores, resolve=resolve,
                  details={"n_raters": nr.reshape(prep.batch_shape + (prep.m,))})


@register_rule("approval", family="cardinal", needs="ratings", oracle="pref_voting.approval",
               scale=None, scale_note="`threshold` is in rating units: multiplying the ratings "
               "changes who approves (multiplying the weights changes nothing)",
               renamed=_RENAMED)
def approval(profile: Any, *, threshold: float, strict: bool = False, share: bool = False,
             nan_policy: str = "omit", scale: Any = None, min_raters: int = 1,
             active: Any = None, resolve: Any = None) -> RuleResult:
    """Approval by threshold (docs/rules.md §5.2): a voter approves ``c`` iff ``u(c) >= τ``.

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
    prep, v, nr, has_nan, use_w, w = _rating_inputs(profile, active, nan_policy, scale, "approval")
    a = prep.flat_active()
    scores, wc = np.empty(a.shape), np.empty(a.shape)
    _kc.approval_batch(v, w, use_w, a, tau, bool(strict), scores, wc)
    if share:
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(wc > 0, scores / np.where(wc > 0, wc, 1.0), np.nan)
    scores = _propagate(np.where(a, scores, np.nan), has_nan)
    mask = _eligible_winners(scores, nr, a, min_raters)
    if not share:
        scores = prep.unscale(scores)
    return finish(prep, mask, rule="approval", scores=scores, resolve=resolve,
                  details={"n_raters": nr.reshape(prep.batch_shape + (prep.m,))})


_TIE_BREAKS = {"none": 0, "majority_value": 1, "gauge": 2}
#: a tie of at least this many candidates left after a tie-break raises a TieWarning
LARGE_TIE = 3
#: largest multiplier tried to turn real weights into integer counts for majority value
_MV_MAX_DENOM = 64


def _counts_for_majority_value(w: np.ndarray, rule: str) -> np.ndarray:
    """Integer ballot counts proportional to ``w`` per item (B, n), for the majority-value
    tie-break, which removes one grade at a time. Weights ``c * k_v`` with integers ``k_v`` give
    the counts ``k_v / gcd`` whatever ``c > 0`` is, so the answer does not depend on the unit."""
    out = np.zeros_like(w)
    for b in range(w.shape[0]):
        wb = w[b]
        pos = wb[wb > 0]
        if pos.size == 0:
            continue
        r = wb / pos.min()
        for k in range(1, _MV_MAX_DENOM + 1):
            kr = k * r
            if np.all(np.abs(kr - np.round(kr)) <= 1e-9 * np.maximum(kr, 1.0)):
                out[b] = np.round(kr)
                break
        else:
            raise ValidationError(
                f"{rule}: tie_break='majority_value' removes one grade at a time and needs weights "
                f"proportional to integer counts (item {b}); pass tie_break='gauge' for real "
                "weights"
            )
    return out


def _reduced_counts(v: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, bool]:
    """Per item, the counts of the reduced anonymous profile as rater weights (B, n): identical
    rows of ``v`` (NaN equal to NaN) are merged, their counts summed and divided by the gcd of
    all merged counts; the first row of each group carries the count, the others weight 0.
    Also returns whether any item was merged."""
    out = np.asarray(counts, dtype=np.float64).copy()
    # a cheap screen first: hash each row (NaN as a sentinel), sort the hashes per item and take
    # the gcd of the run counts; equal rows share a hash, so where that gcd is 1 the reduced
    # profile is the profile itself and nothing needs merging (almost every item in practice)
    probe = np.random.default_rng(0).random(v.shape[-1])  # fixed probe vector: deterministic
    g = _kc.row_hash_count_gcd(np.ascontiguousarray(v), np.round(out).astype(np.int64), probe)
    for b in np.flatnonzero(g > 1):
        kb = np.where(np.isnan(v[b]), np.inf, v[b])
        _, first, inverse = np.unique(kb, axis=0, return_index=True, return_inverse=True)
        total = np.round(np.bincount(inverse.reshape(-1), weights=counts[b],
                                     minlength=first.size)).astype(np.int64)
        gb = np.gcd.reduce(total[total > 0]) if (total > 0).any() else 1
        out[b] = 0.0
        out[b, first] = total / max(int(gb), 1)
    return out, bool((g > 1).any())


def _quantile_rule(profile: Any, rule: str, q: float, tie_break: str, nan_policy: str, scale: Any,
                   min_raters: int, active: Any, resolve: Any) -> RuleResult:
    if tie_break not in _TIE_BREAKS:
        raise ValidationError(
            f"`tie_break` must be one of {sorted(_TIE_BREAKS)}, got {tie_break!r}")
    min_raters = _check_min_raters(min_raters)
    prep, v, _, has_nan, use_w, w = _rating_inputs(profile, active, nan_policy, scale, rule)
    if tie_break == "majority_value":
        # the majority value removes one grade at a time, so it sees ballot *counts*: evaluate it
        # on the reduced anonymous profile (identical rating rows merged, counts divided by their
        # gcd), which makes weight k equal to k copies and every unit of the weights equivalent
        counts = _counts_for_majority_value(w, rule) if use_w else np.ones(v.shape[:2])
        w, merged = _reduced_counts(v, counts)
        # unweighted and nothing to merge: the counts are all 1, the unweighted kernel path
        use_w = use_w or merged
    a = prep.flat_active()
    if has_nan is not None:  # propagate: candidates with a missing rating are out of the race
        ok = a & ~has_nan
        a_run = np.where(ok.any(-1, keepdims=True), ok, a)
    else:
        a_run = a
    B, m = a.shape
    scores = np.empty((B, m))
    key = np.empty((B, m))
    mask = np.zeros((B, m), bool)
    nr = np.zeros((B, m), np.int64)
    _kc.quantile_batch(v, w, use_w, np.ascontiguousarray(a_run), float(q), _TIE_BREAKS[tie_break],
                       max(min_raters, 1), scores, key, mask, nr)
    details = {"n_raters": nr.reshape(prep.batch_shape + (m,))}
    if tie_break == "gauge":
        details["gauge"] = key.reshape(prep.batch_shape + (m,))
    if tie_break != "none":
        n_win = mask.sum(-1)
        big = n_win >= LARGE_TIE
        if big.any():
            warnings.warn(
                f"{rule}: {int(n_win.max())} candidates remain tied after tie_break={tie_break!r}"
                + (f" in {int(big.sum())} of {B} items" if B > 1 else "")
                + ("; their grade profiles agree until the candidate with the fewest grades "
                   "runs out. Consider tie_break='gauge', " if tie_break == "majority_value"
                   else "; their medians and gauges are equal. Consider ")
                + "nan_policy='min' (unrated = lowest grade) or min_raters=, or break the tie "
                "with resolve=", TieWarning, stacklevel=4)
    scores = _propagate(np.where(a, scores, np.nan), has_nan)
    return finish(prep, mask, rule=rule, scores=scores, resolve=resolve, details=details)


@register_rule("majority_judgment", family="cardinal", needs="ratings",
               oracle="pref_voting.majority_judgement", renamed=_RENAMED,
               scale_note="tie_break='majority_value' turns weights into integer counts "
               "(weights c*k with integer k give the counts k / gcd for every c > 0)")
def majority_judgment(profile: Any, *, tie_break: str = "majority_value",
                      nan_policy: str = "omit", scale: Any = None, min_raters: int = 1,
                      active: Any = None, resolve: Any = None) -> RuleResult:
    """Majority judgment (docs/rules.md §5.3): highest lower median grade wins.

    Ties between top medians (``tie_break``, formerly ``tiebreak``): ``"majority_value"``
    (default; the majority value of Balinski & Laraki, *Majority Judgment*, 2011, ch. 13:
    repeatedly remove one copy of the lower median grade from each tied candidate and compare
    the next medians lexicographically; weights must be proportional to integer counts — a
    weight ``c * k`` counts as ``k`` ballots), ``"gauge"`` (the majority gauge: key ``+p`` if
    ``p > q`` else ``-q`` with ``p``/``q`` the rater shares above/below the median; real weights
    allowed; keys in ``details["gauge"]``) or ``"none"``. ``scores`` = lower medians.

    With missing ratings (``nan_policy="omit"``) candidates have different numbers of grades;
    the majority value compares only as many grades as the candidate with the fewest has, so
    with few grade levels and sparse data (e.g. Polis agree/pass/disagree votes) large ties can
    remain. A tie of ``LARGE_TIE`` (3) or more candidates left after the tie-break raises a
    :class:`~socialchoice.errors.TieWarning` naming the remedies (``tie_break="gauge"``,
    ``nan_policy="min"``, ``min_raters=``, ``resolve=``).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.Ratings([[2, 1], [3, 3], [3, 3], [4, 3], [5, 4]], candidates=["x", "y"])
    >>> sc.rules.majority_judgment(r).winners
    ['x']
    >>> sc.rules.majority_judgment(r, tie_break="none").winners
    ['x', 'y']
    >>> sc.rules.majority_judgment(r, tie_break="gauge").details["gauge"].round(2).tolist()
    [0.4, -0.2]
    """
    return _quantile_rule(profile, "majority_judgment", 0.5, tie_break, nan_policy, scale,
                          min_raters, active, resolve)


@register_rule("quantile", family="cardinal", needs="ratings",
               oracle="pref_voting.score_voting", renamed=_RENAMED)
def quantile(profile: Any, *, q: float = 0.5, tie_break: str = "none", nan_policy: str = "omit",
             scale: Any = None, min_raters: int = 1, active: Any = None,
             resolve: Any = None) -> RuleResult:
    """Quantile rule (docs/rules.md §5.4): highest lower ``q``-quantile grade wins.

    The lower ``q``-quantile is the smallest grade whose cumulative rater weight is at least
    ``q·W_c``; ``q = ½`` is the lower median, small ``q`` approaches the minimum (maximin over
    raters). Ties are not broken unless ``tie_break`` (``"majority_value"`` or ``"gauge"``,
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
    if tie_break != "none" and qf != 0.5:
        raise ValidationError(f"`tie_break`={tie_break!r} is defined only for q=0.5, got q={q!r}")
    return _quantile_rule(profile, "quantile", qf, tie_break, nan_policy, scale, min_raters,
                          active, resolve)
