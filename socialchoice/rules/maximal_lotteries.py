"""Maximal lotteries and the essential set: docs/rules.md §6.2.

A lottery ``p`` is maximal iff ``sum_x p_x M[x, y] >= 0`` for every ``y``: an optimal strategy
of the symmetric zero-sum game ``M`` (value 0). All optimal strategies are supported inside the
essential set ``E`` and are exactly indifferent on ``E`` (``(p^T M)_y = 0`` for ``y in E``).

Algorithm (polynomial in ``m``: at most one linear program per item).

* Items with a Condorcet winner, and items with at most ``ENUM_MAX_M`` active candidates whose
  maximal lottery is unique, are solved by a Numba kernel (support enumeration with a
  strict-complementarity certificate, ``2^k`` small systems for ``k <= ENUM_MAX_M``).
* Every other item solves one LP (HiGHS) over the cone of optimal strategies,
  ``max sum t  s.t.  t <= q, t <= 1, M^T q >= 0, q >= 0``: at the optimum ``t_x = 1`` exactly
  for ``x`` in ``E`` (a strictly complementary solution, Goldman–Tucker), and ``q / sum q`` is
  a maximal lottery with support ``E``. The support is then certified by complementary
  slackness (``(M^T p)_y > 0`` proves ``y`` is not in ``E``); a candidate the certificate leaves
  undecided gets one more LP maximising its probability.
* The maximal lottery is unique iff ``{1^T p = 1, M_EE^T p = 0}`` has full column rank; it is
  then solved from that system. Otherwise ``method="enumeration"`` averages the vertices of the
  optimal polytope (exponential; ``max_candidates``) and ``method="lp"`` returns ``q / sum q``.
* Non-unique items with at most ``VERTEX_MAX_M`` active candidates skip the LP: a Numba kernel
  enumerates the polytope's vertices directly (every nonsingular choice of ``k - 1`` tight
  inequalities with ``sum p = 1``) and averages them; the support of the average is the
  essential set. Tested against the LP path.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .._chunks import run_chunked
from .._kernels import tournament as _kt
from ..errors import SizeLimitError, SolverError, ValidationError
from ..results import RuleResult
from ._common import finish, prepare
from ._registry import register_rule
from .condorcet import _margins

__all__ = ["maximal_lottery", "essential_set", "ENUM_MAX_M"]

#: Largest number of active candidates solved by support enumeration (2^k small systems).
ENUM_MAX_M = 8
#: largest number of active candidates whose non-unique maximal lotteries are averaged by the
#: vertex kernel (C(2k, k-1) small systems: 792 at k = 6)
VERTEX_MAX_M = 6
#: Probabilities at or below this are zero (probabilities have a natural scale).
_TOL = 1e-9
#: Complementary-slackness margin on margins scaled to max |M| = 1.
_CERT_TOL = 1e-8
#: Items per chunk of the LP path (Ctrl-C, progress bars and time limits act between chunks).
_LP_CHUNK = 64


def _linprog(c, a_ub, b_ub, a_eq=None, b_eq=None, bounds=None):
    from scipy.optimize import linprog

    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        raise SolverError(
            f"maximal_lottery: HiGHS failed ({res.message}); please report the margins")
    return res.x


def _lp_max_coord(mc: np.ndarray, x: int) -> np.ndarray:
    """A maximal lottery of (normalised) compact margins ``mc`` maximising ``p_x``."""
    k = mc.shape[0]
    c = np.zeros(k)
    c[x] = -1.0
    p = np.clip(_linprog(c, -mc.T, np.zeros(k), np.ones((1, k)), [1.0], [(0, None)] * k), 0, None)
    return p / p.sum()


def _interior(mc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A maximal lottery whose support is the essential set, and the essential set.

    ``mc`` are compact margins scaled to ``max |mc| = 1``.
    """
    k = mc.shape[0]
    # variables (q_0..q_{k-1}, t_0..t_{k-1}); maximise sum t
    c = np.concatenate([np.zeros(k), -np.ones(k)])
    a_ub = np.block([[-mc.T, np.zeros((k, k))],        # M^T q >= 0
                     [-np.eye(k), np.eye(k)]])          # t <= q
    b_ub = np.zeros(2 * k)
    x = _linprog(c, a_ub, b_ub, bounds=[(0, None)] * k + [(0, 1)] * k)
    q = np.clip(x[:k], 0.0, None)
    ess = x[k:] > 0.5
    if not ess.any() or q.sum() <= 0:  # pragma: no cover - the cone always has a point
        raise SolverError(
            "maximal_lottery: the optimal-strategy LP returned no strategy; please report")
    p = np.where(ess, q, 0.0)
    p /= p.sum()
    # complementary slackness certificate: (M^T p)_y > 0 proves y outside E
    slack = p @ mc
    if slack.min() < -_CERT_TOL:  # inaccurate cone solution: decide every candidate by an LP
        ess = np.array([_lp_max_coord(mc, x)[x] > _TOL for x in range(k)])
        ps = [_lp_max_coord(mc, x) for x in np.flatnonzero(ess)]
        return np.mean(ps, axis=0), ess
    undecided = np.flatnonzero(~ess & (slack <= _CERT_TOL))
    for y in undecided:  # numerically borderline: settle y with its own LP
        if _lp_max_coord(mc, int(y))[y] > _TOL:
            ess[y] = True
    if len(undecided) and ess[undecided].any():
        # a strategy supported on all of E: the average of maximisers of each newcomer
        ps = [p] + [_lp_max_coord(mc, int(y)) for y in undecided if ess[y]]
        p = np.mean(ps, axis=0)
    return p, ess


def _unique_solution(mc: np.ndarray, ess: np.ndarray) -> np.ndarray | None:
    """The maximal lottery when it is unique (full-rank system on ``E``), else None."""
    e = np.flatnonzero(ess)
    a = np.vstack([np.ones((1, len(e))), mc[np.ix_(e, e)].T])
    sv = np.linalg.svd(a, compute_uv=False)
    if sv.min() <= 1e-9 * sv.max():
        return None
    b = np.zeros(len(e) + 1)
    b[0] = 1.0
    pe = np.linalg.lstsq(a, b, rcond=None)[0]
    if (pe <= 0).any():  # pragma: no cover - E is the support of a strictly positive solution
        return None
    p = np.zeros(mc.shape[0])
    p[e] = pe / pe.sum()
    return p


def _vertices(mc: np.ndarray, ess: np.ndarray) -> np.ndarray:
    """Vertices of the optimal polytope, rows of an array (k_vertices, k)."""
    k = mc.shape[0]
    e = np.flatnonzero(ess)
    n_out = np.flatnonzero(~ess)
    a_eq = np.vstack([np.ones((1, len(e))), mc[np.ix_(e, e)].T])
    b_eq = np.zeros(len(e) + 1)
    b_eq[0] = 1.0
    p0 = np.linalg.lstsq(a_eq, b_eq, rcond=None)[0]
    u, s, vt = np.linalg.svd(a_eq)
    rank = int((s > 1e-10 * s.max()).sum())
    null = vt[rank:].T  # (|E|, d)
    d = null.shape[1]
    # inequalities G p >= 0: p_E >= 0 and (M_{E,N}^T p) >= 0
    g = np.vstack([np.eye(len(e)), mc[np.ix_(e, n_out)].T])
    verts = []
    if d == 0:
        cands = [p0]
    else:
        gn = g @ null
        gp = g @ p0
        cands = []
        for rows in itertools.combinations(range(g.shape[0]), d):
            sub = gn[list(rows)]
            if abs(np.linalg.det(sub)) < 1e-12:
                continue
            z = np.linalg.solve(sub, -gp[list(rows)])
            cands.append(p0 + null @ z)
    for p in cands:
        if (g @ p >= -1e-9).all() and abs(p.sum() - 1) < 1e-7:
            full = np.zeros(k)
            full[e] = np.clip(p, 0.0, None)
            full /= full.sum()
            if not any(np.abs(full - v).max() < 1e-8 for v in verts):
                verts.append(full)
    if not verts:  # pragma: no cover - the polytope is never empty
        raise SolverError("maximal_lottery: vertex enumeration found no vertex; please report")
    return np.array(verts)


def _general(mc: np.ndarray, method: str, max_candidates: int) -> tuple[np.ndarray, np.ndarray]:
    """(lottery, essential set) of one item's compact margins (any scale)."""
    k = mc.shape[0]
    big = float(np.abs(mc).max())
    if big == 0.0:  # every pair tied: the whole simplex is optimal
        return np.full(k, 1.0 / k), np.ones(k, bool)
    mc = mc / big
    p, ess = _interior(mc)
    uniq = _unique_solution(mc, ess)
    if uniq is not None:
        return uniq, ess
    if method == "lp":
        return p, ess
    if k > max_candidates:
        raise SizeLimitError(
            f"maximal_lottery vertex enumeration supports up to max_candidates={max_candidates} "
            f"active candidates when the maximal lottery is not unique, got {k}; use "
            "method='lp' (one maximal lottery, with support the essential set)"
        )
    return _vertices(mc, ess).mean(axis=0), ess


def _check_method(method: str) -> None:
    if method not in ("enumeration", "lp"):
        raise ValidationError(f"`method` must be 'enumeration' or 'lp', got {method!r}")


def _lotteries(profile, *, method, max_candidates, active, rule, pairs=None, progress=None):
    _check_method(method)
    prep = prepare(profile, "margins", active=active, rule=rule, pairs=pairs)
    mg = _margins(prep)
    act = prep.flat_active()
    # margins scaled to [-1, 1] per item: the kernel's tolerances are then relative
    big = np.abs(np.where(act[:, :, None] & act[:, None, :], mg, 0.0)).max(axis=(1, 2))
    mgn = np.ascontiguousarray(mg / np.where(big > 0, big, 1.0)[:, None, None])
    kernel = _kt.maximal_lottery_unique if len(act) >= 64 else _kt.maximal_lottery_unique_serial
    p, ok = kernel(mgn, act, ENUM_MAX_M)
    ess = p > 0
    todo = np.flatnonzero(~ok)
    if len(todo) and (method == "enumeration" or rule == "essential_set"):
        # not unique: the vertex average (whose support is the essential set) by a kernel for
        # up to VERTEX_MAX_M active candidates; larger items go to the LP path below
        pv, okv = np.empty((len(todo), p.shape[1])), np.zeros(len(todo), bool)
        _kt.maximal_lottery_vertices(mgn, act, todo, VERTEX_MAX_M, pv, okv)
        p[todo[okv]] = pv[okv]
        ess[todo[okv]] = pv[okv] > _TOL
        todo = todo[~okv]

    def work(lo: int, hi: int) -> None:
        for i in todo[lo:hi]:
            idx = np.flatnonzero(act[i])
            mc = np.ascontiguousarray(mgn[i][np.ix_(idx, idx)])
            pc, ec = _general(mc, method, max_candidates)
            p[i] = 0.0
            p[i, idx] = pc
            ess[i] = False
            ess[i, idx] = ec

    run_chunked(work, len(todo), chunk=_LP_CHUNK, progress=progress, desc=f"{rule} items")
    return prep, p, ess


@register_rule("maximal_lottery", family="probabilistic", needs="margins", probabilistic=True,
               oracle="pref_voting.probabilistic_methods.maximal_lottery")
def maximal_lottery(profile: Any, *, method: str = "enumeration", support_union: bool = False,
                    max_candidates: int = 12, active: Any = None, resolve: Any = None,
                    pairs: str | None = None, progress: Any = None) -> RuleResult:
    """Fishburn's maximal lottery (docs/rules.md §6.2).

    Parameters
    ----------
    profile : Rankings, Ratings, Pairwise, ndarray or DataArray
        Ballots or support matrices; leading axes are a batch.
    method : {"enumeration", "lp"}
        When the maximal lottery is not unique (majority ties), ``"enumeration"`` (default)
        returns the average of the vertices of the optimal polytope (exact enumeration, at most
        ``max_candidates`` active candidates); ``"lp"`` returns one maximal lottery whose
        support is the essential set (a relative-interior point found by one LP). When it is
        unique (e.g. an odd number of voters with complete ballots) both return it, in time
        polynomial in ``m``.
    support_union : bool
        ``winner_mask`` = the essential set (union of supports of all maximal lotteries)
        instead of the support of the returned lottery. Identical for both methods.
    max_candidates : int
        Limit of the vertex enumeration (default 12); unique lotteries have no limit.
    pairs : {"both_rated", "missing_below"}, optional
        For :class:`~socialchoice.Ratings` input: how missing ratings enter the margins
        (docs/conventions.md §5); default ``"both_rated"``.
    progress : bool or callable, optional
        Progress bar (``True``) or ``progress(done, total)`` over the items that need an LP;
        the work runs in chunks, so Ctrl-C stops it between chunks.

    Returns
    -------
    RuleResult
        ``lottery`` (batch..., m) sums to one over active candidates; ``winner_mask`` its support
        (or the essential set). A Condorcet winner gets probability 1.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
    ...                              + [[0, 1, 3, 2]] * 4)
    >>> (sc.rules.maximal_lottery(p3).lottery * 9).round(6).tolist()
    [5.0, 1.0, 3.0, 0.0]
    >>> tied = sc.Pairwise([[0, 1], [1, 0]])
    >>> sc.rules.maximal_lottery(tied).lottery.tolist()
    [0.5, 0.5]
    """
    prep, p, ess = _lotteries(profile, method=method, max_candidates=max_candidates,
                              active=active, rule="maximal_lottery", pairs=pairs, progress=progress)
    mask = ess if support_union else p > _TOL
    return finish(prep, mask, rule="maximal_lottery", scores=p, lottery=p, resolve=resolve)


@register_rule("essential_set", family="pairwise", needs="margins",
               oracle="pref_voting.margin_based_methods.essential")
def essential_set(profile: Any, *, active: Any = None, resolve: Any = None,
                  pairs: str | None = None, progress: Any = None) -> RuleResult:
    """Essential set (Dutta & Laslier 1999): union of the supports of all maximal lotteries.

    One LP per item (polynomial in ``m``; see the module docstring). pref_voting's
    ``essential`` is the support of one LP vertex, which with majority ties can be smaller.

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.essential_set(ps).winners
    [0, 1]
    """
    prep, p, ess = _lotteries(profile, method="lp", max_candidates=0, active=active,
                              rule="essential_set", pairs=pairs, progress=progress)
    return finish(prep, ess, rule="essential_set", resolve=resolve)
