"""Pairwise (margin-based) rules: docs/rules.md §3.

Every rule here is a function of the support matrix ``S`` (and margins ``M = S - S^T``), so it
runs unchanged on complete, truncated and tied ballots (:class:`~socialchoice.Rankings`), on
:class:`~socialchoice.Pairwise` support matrices and on RLHF records
(``sc.Pairwise.from_records``). Batched input (leading item axes) is processed by Numba kernels
in parallel over items. Margins from real-valued weights are snapped to a power-of-two grid of
at most ``TIE_RTOL * W`` (``W`` the item's total weight, after the exact power-of-two rescaling of
``_config.rescale_weights``) so that float noise does not break majority ties (docs/rules.md §1.5) and
multiplying every weight by ``c > 0`` changes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._chunks import run_chunked
from .._config import CHUNK_ITEMS, tie_tolerance
from .._kernels import tournament as _kt
from .._kernels.pairwise import all_integral, maximin_margin_scores
from ..errors import SizeLimitError, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare, score_winners
from ._ranked_pairs_py import (_reach, _rp_advance, _rp_edges_py, _rp_prob_exact,  # noqa: F401
                               _rp_prob_mc, _rp_top_py, _rp_winners_py, _TooManyStates)
from ._registry import register_rule

__all__ = [
    "condorcet_winner", "condorcet_loser", "weak_condorcet_winners", "copeland", "llull",
    "maximin", "schulze", "ranked_pairs", "kemeny_young", "black", "smith_set", "schwartz_set",
    "uncovered_set", "ranked_pairs_random_order_probabilities", "leximax_copeland",
]

_RP_KERNEL_MAX_M = 16


# --------------------------------------------------------------------------- helpers
def _clean(prep: Prepared, a: np.ndarray) -> np.ndarray:
    """Snap float noise: exact for integer-valued data, a power-of-two grid step of at most
    ``TIE_RTOL * W`` otherwise (so that values on the grid, e.g. integers, stay exact)."""
    if prep.kind == "rankings" and prep.weights is None:
        return a  # unweighted ballots: support is a matrix of counts, already exact
    if all_integral(a):
        return a
    w = prep.flat_total_weight()
    # a power-of-two grid step (at most TIE_RTOL * W): margins that are multiples of it (integer
    # counts, halves, ... of the rescaled weights) stay exact, only float noise is rounded off
    _, e = np.frexp(tie_tolerance(np.where(w > 0, w, 1.0)))
    q = np.ldexp(1.0, e - 1)
    if prep.integral_support and prep.wfactor is not None \
            and np.all(q <= prep.wfactor.reshape(-1)):
        return a  # whole counts times a power of two no smaller than the step: on the grid
    q = q[:, None, None]
    return np.round(a / q) * q


def _margins(prep: Prepared) -> np.ndarray:
    return np.ascontiguousarray(_clean(prep, prep.flat_margins()))


def _support(prep: Prepared) -> np.ndarray:
    return np.ascontiguousarray(_clean(prep, prep.flat_support()))


def _offdiag_active(prep: Prepared) -> np.ndarray:
    act = prep.flat_active()
    pair = act[:, :, None] & act[:, None, :]
    pair &= ~np.eye(prep.m, dtype=bool)[None]
    return pair


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValidationError(f"`{name}` must be one of {choices}, got {value!r}")


def _fallback(mask: np.ndarray, act: np.ndarray, fallback: str) -> np.ndarray:
    _check_choice(fallback, "fallback", ("none", "all"))
    if fallback == "all":
        empty = ~mask.any(axis=-1, keepdims=True)
        mask = np.where(empty, act, mask)
    return mask


# --------------------------------------------------------------------------- Condorcet
@register_rule("condorcet_winner", family="pairwise", needs="margins", aliases=("condorcet",),
               oracle="pref_voting.c1_methods.condorcet")
def condorcet_winner(profile: Any, *, fallback: str = "none", active: Any = None,
                     pairs: str | None = None,
                     resolve: Any = None) -> RuleResult:
    """Condorcet winner: the candidate beating every other one pairwise (docs/rules.md §3.1).

    Parameters
    ----------
    profile : Rankings, Ratings, Pairwise, ndarray or DataArray
        Ballots ``(..., n, m)`` or support matrices; leading axes are a batch.
    fallback : {"none", "all"}
        With ``"none"`` (default) the winner set is empty when there is no Condorcet winner;
        ``"all"`` returns every active candidate instead (pref_voting's ``condorcet``).
    active : array_like of bool, optional
        Candidates taking part (docs/rules.md §1.1); others are removed first.
    resolve : {"index"} or permutation, optional
        Break ties to one winner (docs/rules.md §1.5).

    Returns
    -------
    RuleResult
        ``winner_mask`` (possibly empty with ``fallback="none"``), ``scores`` = number of
        candidates beaten.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2)
    >>> sc.rules.condorcet_winner(p1).winners
    [1]
    >>> cyc = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> sc.rules.condorcet_winner(cyc).winners, sc.rules.condorcet_winner(cyc, fallback="all").winners
    ([], [0, 1, 2])
    """
    _check_choice(fallback, "fallback", ("none", "all"))
    prep = prepare(profile, "margins", active=active, rule="condorcet_winner", pairs=pairs)
    mg = _margins(prep)
    pair = _offdiag_active(prep)
    act = prep.flat_active()
    beats = ((mg > 0) & pair).sum(-1)
    mask = act & (beats == act.sum(-1, keepdims=True) - 1)
    mask = _fallback(mask, act, fallback)
    return finish(prep, mask, rule="condorcet_winner", scores=beats.astype(float), resolve=resolve)


@register_rule("condorcet_loser", family="pairwise", needs="margins")
def condorcet_loser(profile: Any, *, active: Any = None, pairs: str | None = None) -> RuleResult:
    """Condorcet loser: the candidate beaten by every other one (docs/rules.md §3.2); possibly empty.

    The ``winner_mask`` marks the loser; ``scores`` = number of candidates it loses to.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2)
    >>> sc.rules.condorcet_loser(p1).winners
    [0]
    """
    prep = prepare(profile, "margins", active=active, rule="condorcet_loser", pairs=pairs)
    mg = _margins(prep)
    pair = _offdiag_active(prep)
    act = prep.flat_active()
    loses = ((mg < 0) & pair).sum(-1)
    mask = act & (loses == act.sum(-1, keepdims=True) - 1) & (act.sum(-1, keepdims=True) > 1)
    return finish(prep, mask, rule="condorcet_loser", scores=loses.astype(float))


@register_rule("weak_condorcet_winners", family="pairwise", needs="margins",
               aliases=("weak_condorcet",), oracle="pref_voting.c1_methods.weak_condorcet")
def weak_condorcet_winners(profile: Any, *, fallback: str = "none", active: Any = None,
                           pairs: str | None = None,
                           resolve: Any = None) -> RuleResult:
    """Weak Condorcet winners ``{x : M[x, y] >= 0 for all y}`` (docs/rules.md §3.3).

    ``fallback="all"`` returns every active candidate when the set is empty.

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.weak_condorcet_winners(ps).winners
    [1]
    """
    _check_choice(fallback, "fallback", ("none", "all"))
    prep = prepare(profile, "margins", active=active, rule="weak_condorcet_winners", pairs=pairs)
    mg = _margins(prep)
    pair = _offdiag_active(prep)
    act = prep.flat_active()
    ok = ((mg >= 0) | ~pair).all(-1) & act
    mask = _fallback(ok, act, fallback)
    return finish(prep, mask, rule="weak_condorcet_winners", resolve=resolve)


# --------------------------------------------------------------------------- Copeland
def _copeland(profile, alpha, active, resolve, rule, pairs=None):
    alpha = float(alpha)
    if not 0.0 <= alpha <= 1.0:
        raise ValidationError(f"`alpha` must be in [0, 1], got {alpha}")
    prep = prepare(profile, "margins", active=active, rule=rule, pairs=pairs)
    mg = _margins(prep)
    act = np.ascontiguousarray(prep.flat_active())
    scores = _kt.copeland_scores(mg, act, alpha)
    mask = score_winners(scores, act, exact=True)
    return finish(prep, mask, rule=rule, scores=scores, resolve=resolve)


@register_rule("copeland", family="pairwise", needs="margins",
               oracle="pref_voting.c1_methods.copeland")
def copeland(profile: Any, *, alpha: float = 0.5, active: Any = None, pairs: str | None = None,
             resolve: Any = None) -> RuleResult:
    """Copeland^alpha: wins plus ``alpha`` per majority tie (docs/rules.md §3.4).

    Parameters
    ----------
    alpha : float in [0, 1]
        Credit for a majority tie; 0.5 Copeland (default), 1 Llull, 0 the score of Ge et al.

    Returns
    -------
    RuleResult
        ``scores`` = ``Cop_alpha`` (pref_voting's ``wins - losses`` is ``2 Cop_1/2 - (m-1)``).

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> r = sc.rules.copeland(ps)
    >>> r.scores.tolist(), r.winners
    ([0.5, 1.5, 1.0], [1])
    >>> sc.rules.copeland(ps, alpha=0).winners
    [1, 2]
    """
    return _copeland(profile, alpha, active, resolve, "copeland", pairs)


@register_rule("llull", family="pairwise", needs="margins", oracle="pref_voting.c1_methods.llull")
def llull(profile: Any, *, active: Any = None, pairs: str | None = None,
          resolve: Any = None) -> RuleResult:
    """Llull = Copeland with ``alpha = 1`` (docs/rules.md §3.4).

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.llull(ps).scores.tolist()
    [1.0, 2.0, 1.0]
    """
    return _copeland(profile, 1.0, active, resolve, "llull", pairs)


# --------------------------------------------------------------------------- maximin
@register_rule("maximin", family="pairwise", needs="margins", aliases=("minimax", "simpson_kramer"),
               oracle="pref_voting.margin_based_methods.minimax")
def maximin(profile: Any, *, strength: str = "margins", active: Any = None,
            pairs: str | None = None,
            resolve: Any = None) -> RuleResult:
    """Maximin (Simpson–Kramer): maximise the worst pairwise result (docs/rules.md §3.5).

    Parameters
    ----------
    strength : {"margins", "winning_votes", "pairwise_opposition"}
        ``"margins"``: ``score(x) = min_y M[x, y]``; ``"winning_votes"``:
        ``-max{S[y, x] : M[y, x] > 0}`` (0 if unbeaten); ``"pairwise_opposition"``:
        ``-max_y S[y, x]``. All coincide on complete ballots.

    Returns
    -------
    RuleResult
        ``scores`` as above (larger is better; pref_voting reports ``max(0, -score)``
        minimised).

    Examples
    --------
    >>> import socialchoice as sc
    >>> p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
    ...                              + [[0, 1, 3, 2]] * 4)
    >>> r = sc.rules.maximin(p3)
    >>> r.scores.tolist(), r.winners
    ([-1.0, -3.0, -5.0, -11.0], [0])
    """
    _check_choice(strength, "strength", ("margins", "winning_votes", "pairwise_opposition"))
    prep = prepare(profile, "margins", active=active, rule="maximin", pairs=pairs)
    mg = _margins(prep)
    act = prep.flat_active()
    if strength == "margins":
        scores = maximin_margin_scores(mg, act, np.empty(act.shape))
    else:
        pair = _offdiag_active(prep)
        s = _support(prep)
        st = np.swapaxes(s, -1, -2)  # st[x, y] = S[y, x]
        if strength == "winning_votes":
            opp = np.where(pair & (np.swapaxes(mg, -1, -2) > 0), st, 0.0)
        else:
            opp = np.where(pair, st, 0.0)
        scores = -opp.max(-1)
        scores = np.where(act, scores, np.nan)
    mask = score_winners(scores, act, exact=True)
    return finish(prep, mask, rule="maximin", scores=prep.unscale(scores), resolve=resolve)


# --------------------------------------------------------------------------- Schulze
@register_rule("schulze", family="pairwise", needs="margins", aliases=("beat_path",),
               oracle="pref_voting.margin_based_methods.beat_path")
def schulze(profile: Any, *, strength: str = "margins", active: Any = None,
            pairs: str | None = None,
            resolve: Any = None) -> RuleResult:
    """Schulze (beatpath) winners: ``{x : p[x, y] >= p[y, x] for all y}`` (docs/rules.md §3.6).

    Parameters
    ----------
    strength : {"margins", "winning_votes"}
        Link strength of a majority edge ``x -> y``: ``M[x, y]`` or ``S[x, y]``.

    Returns
    -------
    RuleResult
        ``details["path_strength"]`` holds the widest-path matrix ``p`` (batch, m, m);
        ``scores`` = number of candidates ``y`` with ``p[x, y] > p[y, x]``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
    ...                              + [[0, 1, 3, 2]] * 4)
    >>> sc.rules.schulze(p3).winners
    [0]
    """
    _check_choice(strength, "strength", ("margins", "winning_votes"))
    prep = prepare(profile, "margins", active=active, rule="schulze", pairs=pairs)
    mg = _margins(prep)
    st = mg if strength == "margins" else _support(prep)
    act = np.ascontiguousarray(prep.flat_active())
    # scores: beatpath wins, i.e. Copeland^0 of the path-strength differences
    paths = np.empty(mg.shape)
    mask, scores = _kt.schulze(np.ascontiguousarray(st), mg, act, paths)
    details = {"path_strength": prep.unscale(paths).reshape(prep.batch_shape + (prep.m, prep.m))}
    return finish(prep, mask, rule="schulze", scores=scores, details=details, resolve=resolve)


# --------------------------------------------------------------------------- ranked pairs
def _tie_order_priority(tie_order: Any, m: int) -> np.ndarray:
    tb = np.asarray(tie_order)
    if tb.shape != (m,) or not np.array_equal(np.sort(tb), np.arange(m)):
        raise ValidationError(
            f"`tie_order` must be a permutation of 0..{m - 1} (candidate indices), got {tie_order!r}"
        )
    pos = np.empty(m, np.int64)
    pos[tb] = np.arange(m)
    return np.ascontiguousarray(pos[:, None] * m + pos[None, :])


@register_rule("ranked_pairs", family="pairwise", needs="margins", aliases=("tideman",),
               oracle="pref_voting.margin_based_methods.ranked_pairs", tie_modes=("put", "order"))
def ranked_pairs(profile: Any, *, tie: str = "put", tie_order: Any = None, active: Any = None,
                 pairs: str | None = None, resolve: Any = None,
                 progress: Any = None) -> RuleResult:
    """Ranked pairs (Tideman), winner set over all tie-breaking orders (docs/rules.md §3.7).

    Edges ``(x, y)`` with ``M[x, y] >= 0`` are locked strongest first unless they close a cycle;
    equal-strength edges may come in any order and the winner set is the union over orders.
    The search branches only on edges whose lock decision depends on the order, memoised on
    (strength group, locked edges), so profiles with many equal margins stay fast.

    Parameters
    ----------
    tie : {"put", "order"}
        ``"put"`` (default): union over all tie-breaking orders. ``"order"``: Tideman's resolute
        version with a fixed priority: among equal margins, edge ``(x, y)`` precedes
        ``(u, v)`` when ``(pos[x], pos[y]) < (pos[u], pos[v])`` lexicographically, ``pos`` the
        position in ``tie_order`` (pref_voting's ``ranked_pairs_tb``).
    tie_order : permutation of candidate indices, optional
        Required order for ``tie="order"``; default ``0..m-1``.
    progress : bool or callable, optional
        Progress bar (``True``) or ``progress(done, total)``; batches run in chunks of items,
        so Ctrl-C stops them between chunks.

    Examples
    --------
    >>> import socialchoice as sc
    >>> cyc = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> sc.rules.ranked_pairs(cyc).winners
    [0, 1, 2]
    >>> sc.rules.ranked_pairs(cyc, tie="order", tie_order=[2, 1, 0]).winners
    [1]
    """
    _check_choice(tie, "tie", ("put", "order"))
    prep = prepare(profile, "margins", active=active, rule="ranked_pairs", pairs=pairs)
    mg = _margins(prep)
    act = prep.flat_active()
    m = prep.m
    if tie == "order":
        prio = _tie_order_priority(np.arange(m) if tie_order is None else tie_order, m)
    else:
        if tie_order is not None:
            raise ValidationError("`tie_order` is only used with tie='order'")
        prio = np.zeros((m, m), np.int64)
    if m > _RP_KERNEL_MAX_M and tie == "order":
        raise SizeLimitError(f"ranked_pairs(tie='order') supports m <= {_RP_KERNEL_MAX_M}, got {m}")
    mask = np.zeros(act.shape, bool)

    def work(lo: int, hi: int) -> None:
        if m <= _RP_KERNEL_MAX_M:
            mask[lo:hi] = _kt.ranked_pairs(mg[lo:hi], act[lo:hi], prio, tie == "order")
        else:
            for i in range(lo, hi):
                mask[i] = _rp_winners_py(mg[i], act[i])

    chunk = CHUNK_ITEMS if m <= 8 else (256 if m <= _RP_KERNEL_MAX_M else 1)
    run_chunked(work, len(act), chunk=chunk, progress=progress, desc="ranked_pairs items")
    return finish(prep, mask, rule="ranked_pairs", resolve=resolve)


def ranked_pairs_random_order_probabilities(
    profile: Any, *, active: Any = None, max_states: int = 200_000, n_samples: int = 20_000,
    rng: Any = None, pairs: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Win probabilities of ranked pairs when equal-margin edges come in uniformly random order.

    Spec §6.3 ``tiebreak="random_order"``. Exact: a memoised recursion over lock states where
    the next live edge of the current strength group is uniform among the live edges (this
    equals averaging over all tie-breaking orders, whatever their number). When the recursion
    would visit more than ``max_states`` states, falls back to Monte Carlo over ``n_samples``
    random orders with a seeded ``rng``.

    Returns
    -------
    p : ndarray (batch..., m)
        Win probabilities (support = the ranked-pairs winner set when exact).
    se : ndarray (batch..., m)
        Monte Carlo standard errors (0 where exact).

    Examples
    --------
    >>> import socialchoice as sc
    >>> cyc = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> p, se = sc.rules.ranked_pairs_random_order_probabilities(cyc)
    >>> p.round(4).tolist(), se.tolist()
    ([0.3333, 0.3333, 0.3333], [0.0, 0.0, 0.0])
    """
    prep = prepare(profile, "margins", active=active, rule="ranked_pairs", pairs=pairs)
    mg = _margins(prep)
    act = prep.flat_active()
    gen = np.random.default_rng(rng)
    b, m = act.shape
    p = np.zeros((b, m))
    se = np.zeros((b, m))
    for i in range(b):
        groups = _rp_edges_py(mg[i], act[i])
        try:
            p[i] = _rp_prob_exact(groups, act[i], m, max_states)
        except _TooManyStates:
            p[i], se[i] = _rp_prob_mc(groups, act[i], m, n_samples, gen)
    shape = prep.batch_shape + (m,)
    return p.reshape(shape), se.reshape(shape)


# --------------------------------------------------------------------------- Kemeny-Young
@register_rule("kemeny_young", family="pairwise", needs="margins", aliases=("kemeny",),
               oracle="pref_voting.other_methods.kemeny_young")
def kemeny_young(profile: Any, *, return_rankings: bool = False, max_candidates: int = 20,
                 max_rankings: int = 10_000, active: Any = None, pairs: str | None = None,
                 resolve: Any = None, progress: Any = None) -> RuleResult:
    """Kemeny–Young: candidates first in some ranking maximising ``sum_{x>y} M[x, y]`` (§3.8).

    Exact subset dynamic programme, ``O(2^m m)`` time and ``2^m`` memory per item.

    Parameters
    ----------
    return_rankings : bool
        Also list every optimal ranking (candidate indices best first) in
        ``details["rankings"]`` (one list per item), at most ``max_rankings`` per item.
    max_candidates : int
        Largest number of active candidates accepted (default 20); beyond, ``SizeLimitError``.
    progress : bool or callable, optional
        Progress bar (``True``) or ``progress(done, total)``; items run in chunks sized by
        ``2^m``, so Ctrl-C stops a long batch between chunks.

    Returns
    -------
    RuleResult
        ``scores[x]`` = best Kemeny score ``K`` of a ranking with ``x`` on top;
        ``ranking[x]`` = x's position (0 = first) in the optimal ranking when it is unique,
        and -1 for every candidate when several rankings are optimal (see
        ``return_rankings``) and for inactive candidates; ``details["k_star"]`` = ``K*``
        per item.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
    ...                              + [[0, 1, 3, 2]] * 4)
    >>> r = sc.rules.kemeny_young(p3, return_rankings=True)
    >>> r.winners, float(r.details["k_star"]), r.details["rankings"], r.ranking.tolist()
    ([0], 26.0, [[0, 1, 2, 3]], [0, 1, 2, 3])
    """
    prep = prepare(profile, "margins", active=active, rule="kemeny_young", pairs=pairs)
    act = prep.flat_active()
    k = int(act.sum(-1).max())
    if k > max_candidates:
        raise SizeLimitError(
            f"kemeny_young is exact and exponential; {k} active candidates exceed "
            f"max_candidates={max_candidates} (raise it if 2^{k} memory is acceptable)"
        )
    mg = _margins(prep)
    first = np.empty(act.shape)
    levels = np.empty(act.shape, np.int64)
    # exact ties for integer margins, else the package's relative tolerance on the total
    tol = np.zeros(len(act)) if _integral(mg) else tie_tolerance(np.abs(mg).sum(axis=(-1, -2)))

    def work(lo: int, hi: int) -> None:
        first[lo:hi], levels[lo:hi] = _kt.kemeny_batch(mg[lo:hi], act[lo:hi], tol[lo:hi])

    run_chunked(work, len(act), chunk=max(1, (1 << 22) >> max(k, 1)), progress=progress,
                desc="kemeny_young items")
    scores = np.where(act, first, np.nan)
    mask = score_winners(scores, act, exact=True) if _integral(mg) else score_winners(scores, act)
    scores = prep.unscale(scores)
    kstar = np.nanmax(scores, axis=-1)
    details: dict[str, Any] = {"k_star": kstar.reshape(prep.batch_shape)}
    if return_rankings:
        rk = [_kemeny_rankings(mg[i], act[i], max_rankings) for i in range(mg.shape[0])]
        details["rankings"] = rk[0] if not prep.batch_shape else rk
    return finish(prep, mask, rule="kemeny_young", scores=scores, ranking=levels,
                  details=details, resolve=resolve)


def _integral(a: np.ndarray) -> bool:
    return bool(all_integral(np.ascontiguousarray(a)))


def _kemeny_rankings(mm: np.ndarray, act: np.ndarray, cap: int) -> list[list[int]]:
    idx = np.flatnonzero(act)
    mc = np.ascontiguousarray(mm[np.ix_(idx, idx)])
    best, _ = _kt.kemeny_dp(mc)
    k = len(idx)
    tol = float(tie_tolerance(np.abs(mc).sum()))
    out: list[list[int]] = []

    def rec(s, prefix):
        if len(out) >= cap:
            raise SizeLimitError(
                f"more than max_rankings={cap} optimal Kemeny rankings; raise max_rankings"
            )
        if s == 0:
            out.append([int(idx[i]) for i in prefix])
            return
        for x in range(k):
            if (s >> x) & 1:
                r = s ^ (1 << x)
                v = sum(mc[x, y] for y in range(k) if (r >> y) & 1) + best[r]
                if abs(v - best[s]) <= tol:
                    rec(r, prefix + [x])

    rec((1 << k) - 1, [])
    return out


# --------------------------------------------------------------------------- Black
@register_rule("black", family="pairwise", needs="margins", oracle="pref_voting.combined_methods.blacks")
def black(profile: Any, *, active: Any = None, pairs: str | None = None,
          resolve: Any = None) -> RuleResult:
    """Black: the Condorcet winner if one exists, else the Borda winners (docs/rules.md §3.9).

    Borda is the average variant of docs/rules.md §1.4, computed from margins:
    ``((m - 1) W + sum_y M[c, y]) / 2`` over active candidates; it is returned as ``scores``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p5 = sc.Rankings.from_orders([[0, 4, 1, 2, 3]] * 4 + [[2, 3, 0, 4, 1]] * 5
    ...     + [[1, 3, 4, 0, 2]] * 2 + [[1, 3, 0, 2, 4]] * 6 + [[4, 2, 3, 0, 1]] * 6)
    >>> r = sc.rules.black(p5)
    >>> r.scores.tolist(), r.winners
    ([46.0, 40.0, 48.0, 51.0, 45.0], [3])
    """
    prep = prepare(profile, "margins", active=active, rule="black", pairs=pairs)
    mg = _margins(prep)
    pair = _offdiag_active(prep)
    act = prep.flat_active()
    ma = act.sum(-1)
    w = prep.flat_total_weight()
    borda = ((ma - 1) * w)[:, None] / 2 + np.where(pair, mg, 0.0).sum(-1) / 2
    borda = np.where(act, borda, np.nan)
    beats = ((mg > 0) & pair).sum(-1)
    cw = act & (beats == ma[:, None] - 1)
    bmask = score_winners(borda, act, exact=_integral(mg))
    mask = np.where(cw.any(-1, keepdims=True), cw, bmask)
    return finish(prep, mask, rule="black", scores=prep.unscale(borda), resolve=resolve)


# --------------------------------------------------------------------------- Smith, Schwartz, UC
@register_rule("smith_set", family="pairwise", needs="margins", aliases=("top_cycle", "getcha"),
               oracle="pref_voting.c1_methods.top_cycle")
def smith_set(profile: Any, *, active: Any = None, pairs: str | None = None,
              resolve: Any = None) -> RuleResult:
    """Smith set (top cycle, GETCHA): the top strongly connected component of the
    weak-majority digraph (docs/rules.md §3.10).

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.smith_set(ps).winners
    [0, 1, 2]
    """
    prep = prepare(profile, "margins", active=active, rule="smith_set", pairs=pairs)
    mask = _kt.smith_schwartz(_margins(prep), prep.flat_active(), False)
    return finish(prep, mask, rule="smith_set", resolve=resolve)


@register_rule("schwartz_set", family="pairwise", needs="margins", aliases=("gocha",),
               oracle="pref_voting.c1_methods.gocha")
def schwartz_set(profile: Any, *, active: Any = None, pairs: str | None = None,
                 resolve: Any = None) -> RuleResult:
    """Schwartz set (GOCHA): union of the source components of the strict-majority digraph
    (docs/rules.md §3.11). ``Schwartz ⊆ Smith``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.schwartz_set(ps).winners
    [1]
    """
    prep = prepare(profile, "margins", active=active, rule="schwartz_set", pairs=pairs)
    mask = _kt.smith_schwartz(_margins(prep), prep.flat_active(), True)
    return finish(prep, mask, rule="schwartz_set", resolve=resolve)


_COVERING = {"gillies": 0, "fishburn": 1, "bordes": 2, "mckelvey": 3}


@register_rule("uncovered_set", family="pairwise", needs="margins",
               oracle="pref_voting.c1_methods.uc_gill")
def uncovered_set(profile: Any, *, covering: str = "gillies", active: Any = None,
                  pairs: str | None = None,
                  resolve: Any = None) -> RuleResult:
    """Uncovered set (docs/rules.md §3.12): candidates no other candidate covers.

    Parameters
    ----------
    covering : {"gillies", "fishburn", "bordes", "mckelvey"}
        Gillies (default): ``x`` covers ``y`` iff ``x`` beats ``y`` and everyone beating ``x``
        beats ``y``; Fishburn: ``{z beats x} ⊊ {z beats y}``; Bordes and McKelvey as in
        pref_voting's ``uc_bordes`` / ``uc_mckelvey`` (they also compare "beats or ties").

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.uncovered_set(ps).winners, sc.rules.uncovered_set(ps, covering="fishburn").winners
    ([0, 1], [1])
    """
    _check_choice(covering, "covering", tuple(_COVERING))
    prep = prepare(profile, "margins", active=active, rule="uncovered_set", pairs=pairs)
    mask = _kt.uncovered(_margins(prep), prep.flat_active(), _COVERING[covering])
    return finish(prep, mask, rule="uncovered_set", resolve=resolve)


# --------------------------------------------------------------------------- leximax Copeland
def _feasible(pairs: list[tuple[int, int]], m: int, features: np.ndarray | None) -> bool:
    """Is ``{a > b : (a, b) in pairs}`` realisable (acyclic, or LP-feasible with features)."""
    if features is None:
        adj = np.zeros((m, m), bool)
        for x, y in pairs:
            adj[x, y] = True
        reach = adj.copy()
        for t in range(m):
            reach |= reach[:, t:t + 1] & reach[t:t + 1, :]
        return not np.diagonal(reach).any()
    from scipy.optimize import linprog

    if not pairs:
        return True
    diff = np.array([features[x] - features[y] for x, y in pairs])
    d = features.shape[1]
    res = linprog(np.zeros(d), A_ub=-diff, b_ub=-np.ones(len(pairs)), bounds=[(None, None)] * d,
                  method="highs")
    return res.status == 0


@register_rule("leximax_copeland", family="pairwise", needs="margins")
def leximax_copeland(profile: Any, *, pareto: bool = True, features: Any = None,
                     majority: str = "relative", active: Any = None, pairs: str | None = None,
                     resolve: Any = None) -> RuleResult:
    """Leximax Copeland subject to Pareto optimality (LCPO; Ge et al. 2024; docs/rules.md §7.3).

    Builds a ranking position by position, placing the feasible candidate with the largest
    ``Cop_0`` (number of candidates it beats); feasibility is with respect to the Pareto pairs
    (``S[a, b] = W``: every voter prefers ``a``), the positions fixed so far, and, with
    ``features`` (m, d), the linear-reward LP ``<theta, X[a] - X[b]> >= 1``.

    Parameters
    ----------
    pareto : bool
        Respect Pareto pairs (default, LCPO); ``False`` gives plain leximax Copeland.
    features : array_like (m, d), optional
        Candidate features; ``None`` is the tabular case (every acyclic order feasible).
    majority : {"relative", "absolute"}
        ``x`` beats ``y`` iff ``M[x, y] > 0`` (default) or ``S[x, y] > W / 2`` (the paper's).

    Returns
    -------
    RuleResult
        ``scores = Cop_0``; ``ranking`` = the resolute LCPO ranking (ties by index) as levels;
        winners = feasible first-placed candidates with maximal ``Cop_0``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
    ...                              + [[0, 1, 3, 2]] * 4)
    >>> r = sc.rules.leximax_copeland(p3)
    >>> r.winners, r.ranking.tolist()
    ([0, 1, 2], [0, 1, 2, 3])
    """
    if majority not in ("relative", "absolute"):
        raise ValidationError(f"`majority` must be 'relative' or 'absolute', got {majority!r}")
    prep = prepare(profile, "margins", active=active, rule="leximax_copeland", pairs=pairs)
    m = prep.m
    feats = None
    if features is not None:
        feats = np.asarray(features, dtype=np.float64)
        if feats.ndim != 2 or feats.shape[0] != m or not np.isfinite(feats).all():
            raise ValidationError(
                f"`features` must be a finite (m, d) = ({m}, d) array, got shape {feats.shape}"
            )
    s = prep.flat_support()
    w = prep.flat_total_weight()
    act = prep.flat_active()
    mg = prep.flat_margins()
    tol = tie_tolerance(w)[:, None, None]
    pair = act[:, :, None] & act[:, None, :] & ~np.eye(m, dtype=bool)
    if majority == "relative":
        beats = (mg > tol) & pair
    else:
        beats = (s > w[:, None, None] / 2 + tol) & pair
    cop = beats.sum(-1).astype(float)
    scores = np.where(act, cop, np.nan)
    if feats is None:
        # tabular case (docs/rules.md §7.3): a Pareto-dominating candidate has a strictly larger Cop_0
        # (under either majority notion), so the Pareto pairs never bind and LCPO is the Cop_0
        # ranking with ties broken by index
        key = np.where(act, -cop, np.inf)
        order = np.argsort(key, axis=-1, kind="stable")
        ranking = np.empty_like(order)
        np.put_along_axis(ranking, order, np.arange(m)[None, :].repeat(len(order), 0), axis=-1)
        ranking = np.where(act, ranking, -1)
        winners = act & (cop == np.where(act, cop, -1).max(-1, keepdims=True))
        return finish(prep, winners, rule="leximax_copeland", scores=scores, ranking=ranking,
                      resolve=resolve)
    winners = np.zeros_like(act)
    ranking = np.full(act.shape, -1)
    for i in range(prep.n_items):
        idx = [int(c) for c in np.flatnonzero(act[i])]
        dom = [(x, y) for x in idx for y in idx if x != y and s[i, x, y] >= w[i] - tol[i, 0, 0]
               and w[i] > 0] if pareto else []
        placed: list[int] = []
        fixed: list[tuple[int, int]] = []
        for r in range(len(idx)):
            rest = [c for c in idx if c not in placed]
            feas = []
            for c in rest:
                extra = [(p, c) for p in placed] + [(c, z) for z in rest if z != c]
                if _feasible(dom + fixed + extra, m, feats):
                    feas.append(c)
            if not feas:
                raise ValidationError(
                    "leximax_copeland: no feasible candidate for the next position; the Pareto "
                    "pairs are not realisable with these features"
                )
            best = max(cop[i, c] for c in feas)
            top = [c for c in feas if cop[i, c] == best]
            if r == 0:
                winners[i, top] = True
            c = top[0]
            fixed += [(p, c) for p in placed]
            placed.append(c)
            ranking[i, c] = r
    return finish(prep, winners, rule="leximax_copeland", scores=scores, ranking=ranking,
                  resolve=resolve)

