"""Positional scoring rules (docs/rules.md §2): plurality, Borda, anti-plurality, k-approval,
general scoring vectors and Bucklin.

Every rule accepts complete, truncated and tied ballots. A tied block (including the block of
unranked candidates, which sits below every ranked candidate) occupying positions ``p..q``
scores by ``tie_mode`` (§1.4): ``"average"`` (default) the mean of ``s_p..s_q``,
``"pessimistic"`` ``s_q``, ``"optimistic"`` ``s_p``. With an ``active`` mask the score vector is
the one for the number of active candidates (restriction, §1.6). Scores are weighted sums,
larger is better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numba
import numpy as np

from .._config import tie_tolerance
from .._kernels import scoring as _ks
from ..errors import ProfileError, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare, score_winners
from ._registry import register_rule

__all__ = ["plurality", "borda", "anti_plurality", "k_approval", "scoring", "bucklin"]

_TIE_MODES = {"average": 0, "pessimistic": 1, "optimistic": 2}


def _mode(tie_mode: str) -> int:
    try:
        return _TIE_MODES[tie_mode]
    except (KeyError, TypeError):
        raise ValidationError(
            f"`tie_mode` must be one of {sorted(_TIE_MODES)}, got {tie_mode!r}"
        ) from None


def _nchunk(n_items: int, n: int) -> int:
    threads = numba.get_num_threads()
    if n_items >= 4 * threads or n < 65536:
        return 1
    return int(min(8 * threads, max(1, n // 32768)))


def _use_w(prep: Prepared) -> tuple[bool, np.ndarray]:
    if prep.weights is None:
        return False, np.empty((prep.n_items, 0))
    return True, prep.flat_weights()


def _run(prep: Prepared, kernel, *args) -> np.ndarray:
    """Run a partial-sum kernel and reduce the chunks: (B, m) or (B, m, m)."""
    r = prep.flat_ranks()
    B, n, m = r.shape
    nchunk = _nchunk(B, n)
    use_w, w = _use_w(prep)
    a = prep.flat_active()
    if kernel is _ks.occupancy_partial:
        out = np.empty((B * nchunk, m, m))
    else:
        out = np.empty((B * nchunk, m))
    kernel(r, w, use_w, a, *args, nchunk, out)
    if nchunk == 1:
        return out
    return out.reshape((B, nchunk) + out.shape[1:]).sum(axis=1)


def _column_fast_path(prep: Prepared):
    """Unweighted, all-active input: per-column level-0 counts and level sums per item, and
    which items consist of complete strict ballots only (then plurality = the level-0 counts
    and Borda = ``(m-1) n - level sums``). Returns None when the fast path does not apply."""
    if prep.weights is not None or not prep.all_active:
        return None
    r = prep.flat_ranks()
    B, n, m = r.shape
    if r.dtype != np.int8:
        return None
    nchunk = _nchunk(B, n)
    zero = np.empty((B * nchunk, m), np.int64)
    lsum = np.empty((B * nchunk, m), np.int64)
    _ks.column_stats_partial(r, nchunk, m * 16, zero, lsum)
    if nchunk > 1:
        zero = zero.reshape(B, nchunk, m).sum(axis=1)
        lsum = lsum.reshape(B, nchunk, m).sum(axis=1)
    ok = lsum.sum(axis=1) == n * m * (m - 1) // 2
    return zero, lsum, ok


def _with_fast_path(prep: Prepared, kernel, mode: int, fast_scores) -> np.ndarray:
    fast = _column_fast_path(prep)  # complete strict ballots: every tie mode agrees
    if fast is None:
        return _run(prep, kernel, mode)
    zero, lsum, ok = fast
    scores = np.asarray(fast_scores(zero, lsum), dtype=np.float64)
    if not ok.all():
        bad = np.flatnonzero(~ok)
        sub = Prepared("rankings", prep.candidates, (len(bad),), prep.m,
                       prep.flat_active()[bad], ranks=prep.flat_ranks()[bad])
        scores[bad] = _run(sub, kernel, mode)
    return scores


def _argmax_finish(prep: Prepared, scores: np.ndarray, rule: str, resolve: Any,
                   details: dict | None = None) -> RuleResult:
    a = prep.flat_active()
    mask = score_winners(scores, a, exact=False)
    scores = np.where(a, prep.unscale(scores), np.nan)
    return finish(prep, mask, rule=rule, scores=scores, details=details, resolve=resolve)


def _table(m: int, fn: Callable[[int, int], float]) -> np.ndarray:
    t = np.zeros((m + 1, m))
    for k in range(1, m + 1):
        for p in range(k):
            t[k, p] = fn(k, p)
    return t


def positional_scores(profile: Any, table: np.ndarray, *, tie_mode: str = "average",
                      active: Any = None, skip_empty: bool = False,
                      rule: str = "scoring") -> tuple[Prepared, np.ndarray]:
    """Flat ``(B, m)`` weighted positional scores for a score table ``table[k, p]``."""
    prep = prepare(profile, "rankings", active=active, rule=rule)
    mode = _mode(tie_mode)
    return prep, _run(prep, _ks.positional_partial, np.ascontiguousarray(table, np.float64), mode,
                      skip_empty)


@register_rule("plurality", family="positional", needs="rankings", oracle="pref_voting.plurality",
               tie_modes=tuple(_TIE_MODES))
def plurality(profile: Any, *, tie_mode: str = "average", active: Any = None,
              resolve: Any = None) -> RuleResult:
    """Plurality (docs/rules.md §2.1): the most first-place weight wins.

    A top block of ``t`` tied candidates gives ``w/t`` to each (``tie_mode="average"``, "split"
    counting), ``w`` to each (``"optimistic"``) or nothing unless ``t = 1``
    (``"pessimistic"``). Ballots ranking no active candidate give nothing.

    Parameters
    ----------
    profile : Rankings, Ratings, array_like or DataArray
        Ballots ``(..., n, m)``; leading axes are a batch of elections.
    tie_mode : {"average", "pessimistic", "optimistic"}
    active : array_like of bool, shape (m,) or (..., m), optional
        Candidates taking part (the rest are removed first).
    resolve : "index" or permutation, optional
        Return one winner, ties broken by index or the given order.

    Returns
    -------
    RuleResult
        ``winner_mask`` and ``scores`` (first-place weight).

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> r = sc.rules.plurality(p1)
    >>> r.winners, r.scores.tolist()
    ([0], [3.0, 2.0, 2.0])
    """
    prep = prepare(profile, "rankings", active=active, rule="plurality")
    mode = _mode(tie_mode)
    scores = _with_fast_path(prep, _ks.plurality_partial, mode, lambda z, s: z)
    return _argmax_finish(prep, scores, "plurality", resolve)


@register_rule("borda", family="positional", needs="rankings", oracle="pref_voting.borda",
               tie_modes=tuple(_TIE_MODES))
def borda(profile: Any, *, tie_mode: str = "average", active: Any = None,
          resolve: Any = None) -> RuleResult:
    """Borda count (docs/rules.md §2.2): position ``r`` of ``m`` scores ``m - r``.

    Per ballot a candidate scores ``below + ½·tied`` (``"average"``, default), ``below``
    (``"pessimistic"``) or ``below + tied`` (``"optimistic"``), where the unranked candidates form
    one tied block at the bottom.

    Parameters
    ----------
    profile : Rankings, Ratings, array_like or DataArray
        Ballots ``(..., n, m)``.
    tie_mode : {"average", "pessimistic", "optimistic"}
    active : array_like of bool, optional
        Candidates taking part.
    resolve : "index" or permutation, optional
        Return one winner.

    Returns
    -------
    RuleResult
        ``scores`` = weighted Borda scores.

    Examples
    --------
    >>> import socialchoice as sc
    >>> t = sc.Rankings.from_orders([[1, 2, 0, 3], [2]], weights=[2, 1], n_candidates=4)
    >>> sc.rules.borda(t).scores.tolist()
    [3.0, 7.0, 7.0, 1.0]
    >>> sc.rules.borda(t, tie_mode="pessimistic").winners
    [2]
    """
    prep = prepare(profile, "rankings", active=active, rule="borda")
    m, n = prep.m, prep.ranks.shape[-2]
    scores = _with_fast_path(prep, _ks.borda_partial, _mode(tie_mode),
                             lambda z, s: (m - 1) * n - s)
    return _argmax_finish(prep, scores, "borda", resolve)


@register_rule("anti_plurality", family="positional", needs="rankings", aliases=("veto",),
               oracle="pref_voting.anti_plurality", tie_modes=tuple(_TIE_MODES))
def anti_plurality(profile: Any, *, tie_mode: str = "average", active: Any = None,
                   resolve: Any = None) -> RuleResult:
    """Anti-plurality / veto (docs/rules.md §2.3): score vector ``(1, …, 1, 0)``.

    Equivalent to minimising weighted last places; a bottom block of size ``t`` (the unranked
    block included) shares the veto under the average mode. ``scores`` = weight of ballots not
    placing the candidate last.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.anti_plurality(p1).winners
    [1]
    """
    prep, scores = positional_scores(profile, _table(_m_of(profile), lambda k, p: 1.0 if p < k - 1 else 0.0),
                                     tie_mode=tie_mode, active=active, rule="anti_plurality")
    return _argmax_finish(prep, scores, "anti_plurality", resolve)


def _m_of(profile: Any) -> int:
    if hasattr(profile, "n_candidates"):
        return int(profile.n_candidates)
    if type(profile).__name__ == "DataArray":
        return int(profile.shape[-1])
    try:
        shape = np.shape(profile)
    except ValueError:  # numpy's "inhomogeneous shape"
        raise ProfileError(
            "`profile` is ragged: profiles in a batch must have the same number of voters and "
            "candidates; pad ballots with -1 or call the rule once per profile"
        ) from None
    if len(shape) < 2:
        raise ValidationError(f"a profile must have shape (..., n, m), got shape {shape}")
    return int(shape[-1])


@register_rule("k_approval", family="positional", needs="rankings", oracle="pref_voting.scoring_rule",
               tie_modes=tuple(_TIE_MODES))
def k_approval(profile: Any, *, k: int, tie_mode: str = "average", active: Any = None,
               resolve: Any = None) -> RuleResult:
    """k-approval (docs/rules.md §2.4): one point for each of the top ``k`` positions.

    ``k = 1`` is plurality (except for empty ballots) and ``k = m - 1`` veto. A block straddling
    position ``k`` gets fractional points under the average mode.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.k_approval(p1, k=2).scores.tolist()
    [3.0, 7.0, 4.0]
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValidationError(f"`k` must be a positive integer (1 <= k < m), got {k!r}")
    m = _m_of(profile)
    if k >= m and m > 1:
        raise ValidationError(f"`k`={k} must be smaller than the number of candidates m={m}")
    kk = int(k)
    prep, scores = positional_scores(profile, _table(m, lambda n_, p: 1.0 if p < kk else 0.0),
                                     tie_mode=tie_mode, active=active, rule="k_approval")
    return _argmax_finish(prep, scores, "k_approval", resolve)


@register_rule("scoring", family="positional", needs="rankings", oracle="pref_voting.scoring_rule",
               tie_modes=tuple(_TIE_MODES))
def scoring(profile: Any, *, score: Sequence[float] | Callable[[int, int], float],
            tie_mode: str = "average", active: Any = None, resolve: Any = None) -> RuleResult:
    """General positional scoring rule (docs/rules.md §2.5).

    Parameters
    ----------
    profile : Rankings, Ratings, array_like or DataArray
    score : sequence of float or callable
        Either the vector ``(s_1, …, s_m)`` (non-increasing, finite; used when all ``m``
        candidates are active) or ``f(num_candidates, rank)`` with ``rank`` 1-based, as in
        ``pref_voting.scoring_rule`` (needed with an ``active`` mask that removes candidates).
    tie_mode, active, resolve
        As for :func:`borda`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.scoring(p1, score=[5, 4, 0]).scores.tolist()
    [15.0, 30.0, 18.0]
    """
    m = _m_of(profile)
    if callable(score):
        def fn(k, p):
            return float(score(k, p + 1))
        table = _table(m, fn)
    else:
        s = np.asarray(score, dtype=np.float64) if not isinstance(score, str) else None
        if s is None or s.ndim != 1 or s.shape[0] != m:
            raise ValidationError(
                f"`score` must be a vector of length m={m} or a callable f(num_cands, rank), "
                f"got {score!r}"
            )
        table = np.zeros((m + 1, m))
        table[m] = s
    if not np.isfinite(table).all():
        raise ValidationError("`score` must be finite")
    for k in range(1, m + 1):
        if np.any(np.diff(table[k, :k]) > 0):
            raise ValidationError(
                f"`score` must be non-increasing in the position, got {table[k, :k].tolist()} "
                f"for {k} candidates"
            )
    prep = prepare(profile, "rankings", active=active, rule="scoring")
    if not callable(score) and not prep.all_active:
        raise ValidationError(
            "`score` is a fixed vector of length m but `active` removes candidates; pass a "
            "callable score=f(num_cands, rank) so the vector can be built for the active count"
        )
    scores = _run(prep, _ks.positional_partial, table, _mode(tie_mode), False)
    return _argmax_finish(prep, scores, "scoring", resolve)


@register_rule("bucklin", family="positional", needs="rankings", oracle="pref_voting.bucklin",
               tie_modes=tuple(_TIE_MODES))
def bucklin(profile: Any, *, tie_mode: str = "average", active: Any = None,
            resolve: Any = None) -> RuleResult:
    """Bucklin (docs/rules.md §2.6).

    ``B_k(c)`` = weight of ballots with ``c`` in the top ``k`` positions (k-approval with the tie
    mode). ``k*`` is the first ``k`` at which some ``B_k(c) > W/2``; winners are
    ``argmax B_{k*}``. ``scores`` = ``B_{k*}``; ``details["level"]`` = ``k*`` per item.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> r = sc.rules.bucklin(p1)
    >>> r.winners, r.scores.tolist(), int(r.details["level"])
    ([1], [3.0, 7.0, 4.0], 2)
    """
    prep = prepare(profile, "rankings", active=active, rule="bucklin")
    occ = _run(prep, _ks.occupancy_partial, _mode(tie_mode))  # (B, m, m)
    cum = np.cumsum(occ, axis=-1)  # cum[b, c, k-1] = B_k(c)
    a = prep.flat_active()
    ma = a.sum(axis=-1)
    W = prep.flat_total_weight()
    tol = tie_tolerance(W)
    best = np.where(a[:, :, None], cum, -np.inf).max(axis=1)  # (B, m) over k
    k_idx = np.arange(prep.m)[None, :]
    reach = (best - W[:, None] / 2 > tol[:, None]) & (k_idx < ma[:, None])
    kstar = np.where(reach.any(axis=1), reach.argmax(axis=1), ma - 1)
    scores = np.take_along_axis(cum, kstar[:, None, None], axis=2)[:, :, 0]
    level = (kstar + 1).reshape(prep.batch_shape)
    return _argmax_finish(prep, scores, "bucklin", resolve, details={"level": level})
