"""Elimination rules (docs/rules.md §4): instant runoff, plurality with runoff, Coombs, and the
Borda-elimination rules Baldwin, strict and weak Nanson. Formerly ``socialchoice.rules.runoff``
(that path still works, with a DeprecationWarning).

Elimination ties follow ``tie=`` (§1.5): ``"put"`` (default, parallel universes: a candidate
wins iff it wins for some sequence of tie-breaking choices; depth-first search over
remaining-candidate bitmasks with memoisation, ``O(2^m)`` states in the worst case; beyond
``PUT_MAX_M`` candidates the unique elimination path is followed and ``SizeLimitError`` is
raised only if an elimination tie actually occurs), ``"simultaneous"`` (all tied candidates
leave together; if that would empty the field, all remaining candidates win) and ``"order"`` (``tie_order`` lists candidate indices;
among tied candidates the earliest listed is eliminated first).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from .._kernels import elimination as _ke
from ..errors import SizeLimitError, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare
from ._registry import register_rule

__all__ = ["instant_runoff", "plurality_with_runoff", "coombs", "baldwin", "strict_nanson",
           "weak_nanson", "PUT_MAX_M", "RANDOM_ELIMINATION_MAX_M"]

#: Largest number of candidates for ``tie="put"`` (memo table of ``2^m`` states).
PUT_MAX_M = 20
#: Largest number of candidates for exact random-elimination lotteries (``2^m x m`` table).
RANDOM_ELIMINATION_MAX_M = 16
#: Largest number of candidates for any elimination rule (int64 bitmasks).
ELIMINATION_MAX_M = 62

_TIES = {"put": _ke.PUT, "simultaneous": _ke.SIMULTANEOUS, "order": _ke.ORDER}
_KINDS = {"instant_runoff": _ke.IRV, "coombs": _ke.COOMBS, "baldwin": _ke.BALDWIN,
          "strict_nanson": _ke.STRICT_NANSON, "weak_nanson": _ke.WEAK_NANSON}


def _tie_args(tie: str, tie_order: Any, m: int, rule: str) -> tuple[int, np.ndarray]:
    if tie not in _TIES:
        raise ValidationError(f"`tie` must be one of {sorted(_TIES)} for {rule}, got {tie!r}")
    tbpos = np.arange(m, dtype=np.int64)
    if tie == "order":
        if tie_order is None:
            raise ValidationError(
                f"{rule}: tie='order' needs tie_order=, a permutation of the candidate indices "
                f"0..{m - 1} (earliest listed is eliminated first)"
            )
        order = np.asarray(tie_order)
        if order.shape != (m,) or order.dtype.kind not in "iu" or not np.array_equal(
                np.sort(order), np.arange(m)):
            raise ValidationError(
                f"`tie_order` must be a permutation of 0..{m - 1}, got {tie_order!r}"
            )
        tbpos[order] = np.arange(m)
    elif tie_order is not None:
        raise ValidationError(f"`tie_order` is only used with tie='order', got tie={tie!r}")
    return _TIES[tie], tbpos


def _check_m(m: int, tie: str, prob: bool, rule: str) -> None:
    if m > ELIMINATION_MAX_M:
        raise SizeLimitError(
            f"{rule} supports at most {ELIMINATION_MAX_M} candidates (bitmask states), got m={m}"
        )
    if prob and m > RANDOM_ELIMINATION_MAX_M:
        raise SizeLimitError(
            f"exact random-elimination lotteries for {rule} support at most "
            f"{RANDOM_ELIMINATION_MAX_M} candidates (2^m memo table), got m={m}"
        )
    if tie == "put" and m > PUT_MAX_M:
        raise SizeLimitError(
            f"{rule} with tie='put' supports at most {PUT_MAX_M} candidates (parallel-universe "
            f"search over 2^m candidate subsets), got m={m}; use tie='simultaneous' or "
            "tie='order', or remove candidates with `active`"
        )


def _run_elimination(prep: Prepared, rule: str, tie: str, tie_order: Any, *, split: bool = True,
                     prob: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Flat (B, m) winner masks and (with ``prob``) random-elimination lotteries."""
    m = prep.m
    tiemode, tbpos = _tie_args(tie, tie_order, m, rule)
    # tie="put" beyond PUT_MAX_M: follow the unique elimination path, and refuse only if a tie
    # actually occurs (then the parallel-universe search would need 2^m states)
    put_by_path = tie == "put" and not prob and m > PUT_MAX_M
    _check_m(m, "put" if prob else ("order" if put_by_path else tie), prob, rule)
    kind = _KINDS[rule]
    B = prep.n_items
    a = prep.flat_active()
    if kind in (_ke.IRV, _ke.COOMBS):
        r = prep.flat_ranks()
        margins = np.zeros((1, 1, 1))
        scale = np.ones(B)
        use_w = prep.weights is not None
        w = prep.flat_weights() if use_w else np.empty((1, 0))
    else:
        margins = prep.flat_margins()
        r = np.zeros((B, 1, m), np.int8)
        scale = prep.flat_total_weight()
        use_w = False
        w = np.empty((1, 0))
    # read-only C views of every input: one Numba signature for every rule of the family
    # (a readonly flag is part of the array type, and each signature costs ~15 s to compile)
    r, w, a, margins, scale = (_frozen_view(x) for x in (r, w, a, margins, scale))
    if put_by_path:
        ok, win = np.zeros(B, bool), np.zeros((B, m), bool)
        _ke.elimination_paths(kind, r, w, use_w, a, margins, split, scale, ok, win)
        if not ok.all():
            bad = int(np.flatnonzero(~ok)[0])
            where = f" (item {bad})" if prep.batch_shape else ""
            raise SizeLimitError(
                f"{rule} with tie='put': an elimination tie occurs{where} and with m={m} > "
                f"PUT_MAX_M={PUT_MAX_M} candidates the parallel-universe search over 2^m subsets "
                "is too large; use tie='simultaneous' or tie='order', or remove candidates "
                "with `active`"
            )
        return win, np.zeros((B, m))
    redo = None
    if kind == _ke.IRV and not prob:
        # follow each election's elimination path directly; items where a tie makes the
        # tie modes differ go to the general kernel below
        if B == 1:
            ok, win = _ke.irv_single_path(r[0], w[0], use_w, a[0], split,
                                          np.empty(r.shape[1:], np.int8))
            ok, win = np.array([ok]), win[None]
        else:
            ok, win = np.zeros(B, bool), np.zeros((B, m), bool)
            _ke.irv_batch_paths(r, w, use_w, a, split, ok, win)
        if ok.all():
            return win, np.zeros((B, m))
        redo = np.flatnonzero(~ok)
        r, a, scale = (_frozen_view(x[redo]) for x in (r, a, scale))
        if use_w:
            w = _frozen_view(w[redo])
    Bk = r.shape[0]
    nchunk = int(min(Bk, 8 * numba.get_num_threads()))
    n = r.shape[1]
    big = kind == _ke.IRV  # per-voter orders and "current top" pointers per depth
    ords = np.empty((nchunk, n if big else 1, m), np.int8)
    cur = np.empty((nchunk, m + 1 if big else 1, n if big else 1), np.int8)
    ptr = np.empty_like(cur)
    mk = np.zeros((Bk, m), bool)
    pk = np.zeros((Bk, m))
    _ke.elimination_batch(kind, tiemode, prob, tbpos, r, w, use_w, a, margins, split, scale, mk, pk,
                          ords, cur, ptr)
    if redo is None:
        return mk, pk
    win[redo] = mk  # every IRV item: its path result, or the general kernel's where it tied
    p = np.zeros((B, m))
    p[redo] = pk
    return win, p


def _frozen_view(x: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(x).view()
    v.flags.writeable = False
    return v


def _elimination_rule(profile: Any, rule: str, needs: str, tie: str, tie_order: Any,
                      active: Any, resolve: Any, split: bool = True,
                      pairs: str | None = None) -> RuleResult:
    prep = prepare(profile, needs, active=active, rule=rule, pairs=pairs)
    mask, _ = _run_elimination(prep, rule, tie, tie_order, split=split)
    details = {} if rule.endswith("nanson") else {"tie": tie}
    return finish(prep, mask, rule=rule, resolve=resolve, details=details)


@register_rule("instant_runoff", family="elimination", needs="rankings",
               aliases=("irv", "hare", "alternative_vote"),
               oracle="pref_voting.instant_runoff_put", tie_modes=tuple(_TIES))
def instant_runoff(profile: Any, *, tie: str = "put", tie_order: Any = None, tops: str = "split",
                   active: Any = None, resolve: Any = None) -> RuleResult:
    """Instant runoff / Hare / alternative vote (docs/rules.md §4.1).

    Repeatedly eliminate the candidate(s) with the least first-place weight among the remaining
    candidates ``A``. Ballots ranking no remaining candidate are exhausted and leave the count;
    a candidate with more than half of the active weight wins at once (split mode). A ballot's
    top block of ``t`` tied candidates gives ``w/t`` to each (``tops="split"``) or ``w`` to each
    (``tops="approval"``, pref_voting's default on ProfileWithTies; no majority stop then).

    Parameters
    ----------
    profile : Rankings, Ratings, array_like or DataArray
        Ballots ``(..., n, m)``; leading axes are a batch.
    tie : {"put", "simultaneous", "order"}
        Elimination-tie handling (module docstring).
    tie_order : sequence of int, optional
        Candidate indices for ``tie="order"``, earliest eliminated first.
    tops : {"split", "approval"}
    active : array_like of bool, optional
        Candidates taking part.
    resolve : "index" or permutation, optional
        Return one winner.

    Returns
    -------
    RuleResult
        ``winner_mask`` (all PUT winners); no scores.

    Raises
    ------
    SizeLimitError
        ``tie="put"`` with more than ``PUT_MAX_M`` candidates when an elimination tie occurs.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.instant_runoff(p1).winners
    [1, 2]
    >>> sc.rules.instant_runoff(p1, tie="simultaneous").winners
    [0]
    >>> sc.rules.instant_runoff(p1, tie="order", tie_order=[1, 2, 0]).winners
    [2]
    """
    if tops not in ("split", "approval"):
        raise ValidationError(f"`tops` must be 'split' or 'approval', got {tops!r}")
    return _elimination_rule(profile, "instant_runoff", "rankings", tie, tie_order, active,
                             resolve, split=tops == "split")


@register_rule("plurality_with_runoff", family="elimination", needs="rankings",
               aliases=("plurality_runoff",), oracle="pref_voting.plurality_with_runoff_put",
               tie_modes=("put", "order"))
def plurality_with_runoff(profile: Any, *, tie: str = "put", tie_order: Any = None,
                          active: Any = None, resolve: Any = None) -> RuleResult:
    """Plurality with runoff (docs/rules.md §4.2).

    A candidate with more than half of the (split) first-place weight wins. Otherwise the runoff
    pairs are all pairs inside the first-place maximisers ``T1`` if ``|T1| >= 2``, else
    ``{x} x T2`` (second-highest); ``tie="put"`` returns the union of the pairwise winners (both
    when the margin is 0). ``tie="order"`` keeps the two finalists latest in ``tie_order`` and
    breaks a pairwise tie the same way. ``"simultaneous"`` is not defined for this rule.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.plurality_with_runoff(p1).winners
    [1, 2]
    """
    rule = "plurality_with_runoff"
    prep = prepare(profile, "rankings", active=active, rule=rule)
    if tie == "simultaneous":
        raise ValidationError(
            "plurality_with_runoff takes tie='put' (union over runoff pairs) or tie='order'; "
            "'simultaneous' elimination is not defined for a two-round runoff"
        )
    tiemode, tbpos = _tie_args(tie, tie_order, prep.m, rule)
    _check_m(prep.m, "order", False, rule)
    B, m = prep.n_items, prep.m
    use_w = prep.weights is not None
    w = prep.flat_weights() if use_w else np.empty((1, 0))
    mask = np.zeros((B, m), bool)
    _ke.plurality_runoff_batch(prep.flat_ranks(), w, use_w, prep.flat_active(), prep.flat_margins(),
                               tiemode, tbpos, mask)
    return finish(prep, mask, rule=rule, resolve=resolve, details={"tie": tie})


@register_rule("coombs", family="elimination", needs="rankings", oracle="pref_voting.coombs_put",
               tie_modes=tuple(_TIES))
def coombs(profile: Any, *, tie: str = "put", tie_order: Any = None, active: Any = None,
           resolve: Any = None) -> RuleResult:
    """Coombs (docs/rules.md §4.3).

    A candidate with more than half of the active first-place weight wins; otherwise eliminate
    the candidate(s) with the largest last-place weight (a bottom block of size ``t`` shares
    ``w/t``; the unranked candidates are the bottom block).

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.coombs(p1).winners
    [1]
    """
    return _elimination_rule(profile, "coombs", "rankings", tie, tie_order, active, resolve)


@register_rule("baldwin", family="elimination", needs="margins", oracle="pref_voting.baldwin_put",
               tie_modes=tuple(_TIES))
def baldwin(profile: Any, *, tie: str = "put", tie_order: Any = None, active: Any = None,
            pairs: str | None = None,
            resolve: Any = None) -> RuleResult:
    """Baldwin (docs/rules.md §4.4): repeatedly eliminate the Borda loser on ``P|_A``.

    Borda (average variant) on the remaining set is computed from the margins,
    ``Borda_A(c) = ((|A|-1) W + Σ_{y∈A} M[c,y]) / 2``, so the rule also runs on
    :class:`~socialchoice.Pairwise` data.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.baldwin(p1).winners
    [1]
    """
    return _elimination_rule(profile, "baldwin", "margins", tie, tie_order, active, resolve, pairs=pairs)


@register_rule("strict_nanson", family="elimination", needs="margins",
               oracle="pref_voting.strict_nanson")
def strict_nanson(profile: Any, *, active: Any = None, pairs: str | None = None,
                  resolve: Any = None) -> RuleResult:
    """Strict Nanson (docs/rules.md §4.5): remove every candidate with Borda score below the mean.

    Repeats on ``P|_A`` until one candidate is left or all scores are equal (then all of ``A``
    win). No elimination ties arise, so there is no ``tie=`` option.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.strict_nanson(p1).winners
    [1]
    """
    return _elimination_rule(profile, "strict_nanson", "margins", "simultaneous", None, active,
                             resolve, pairs=pairs)


@register_rule("weak_nanson", family="elimination", needs="margins",
               oracle="pref_voting.weak_nanson")
def weak_nanson(profile: Any, *, active: Any = None, pairs: str | None = None,
                resolve: Any = None) -> RuleResult:
    """Weak Nanson (docs/rules.md §4.5): remove every candidate with Borda score at most the mean.

    Examples
    --------
    >>> import socialchoice as sc
    >>> three_cycle = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> sc.rules.weak_nanson(three_cycle).winners
    [0, 1, 2]
    """
    return _elimination_rule(profile, "weak_nanson", "margins", "simultaneous", None, active,
                             resolve, pairs=pairs)
