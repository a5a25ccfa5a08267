"""Maximal lotteries and the essential set: spec/rules.md §6.2.

A lottery ``p`` is maximal iff ``sum_x p_x M[x, y] >= 0`` for every ``y``: an optimal strategy
of the symmetric zero-sum game ``M`` (value 0). All optimal strategies are supported inside the
essential set ``E`` and are exactly indifferent on ``E`` (``(p^T M)_y = 0`` for ``y in E``).

Algorithm. A Numba kernel enumerates supports ``T`` (smallest first) and solves
``M_TT^T p = 0, sum p = 1``; a solution with ``p > 0`` on ``T`` and ``(p^T M)_y > 0`` off
``T`` certifies that ``p`` is the unique maximal lottery (strict complementarity). This covers
every profile with odd margins (e.g. odd ``W``) and every Condorcet winner. Other items go to
the general path: ``E`` from linear programs (HiGHS), then exact vertex enumeration of the
optimal polytope inside the affine hull ``{1^T p = 1, M_EE^T p = 0}``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .._kernels import tournament as _kt
from ..errors import SizeLimitError, SolverError, ValidationError
from ..results import RuleResult
from ._common import finish, prepare
from ._registry import register_rule
from .condorcet import _margins

__all__ = ["maximal_lottery", "essential_set"]

_TOL = 1e-9


def _lp_max_coord(mc: np.ndarray, x: int | None) -> np.ndarray:
    """A maximal lottery of compact margins ``mc`` maximising ``p_x`` (any one if ``x`` None)."""
    from scipy.optimize import linprog

    k = mc.shape[0]
    c = np.zeros(k)
    if x is not None:
        c[x] = -1.0
    scale = max(1.0, float(np.abs(mc).max()))
    res = linprog(c, A_ub=-(mc.T / scale), b_ub=np.zeros(k), A_eq=np.ones((1, k)), b_eq=[1.0],
                  bounds=[(0, None)] * k, method="highs")
    if res.status != 0:
        raise SolverError(f"maximal_lottery: HiGHS failed ({res.message}); please report the margins")
    p = np.clip(res.x, 0.0, None)
    return p / p.sum()


def _essential(mc: np.ndarray) -> np.ndarray:
    """Essential set of compact margins: union of supports of maximal lotteries (LPs)."""
    k = mc.shape[0]
    ess = np.zeros(k, bool)
    ess |= _lp_max_coord(mc, None) > _TOL
    for x in range(k):
        if not ess[x]:
            ess |= _lp_max_coord(mc, x) > _TOL
    return ess


def _vertices(mc: np.ndarray, ess: np.ndarray) -> np.ndarray:
    """Vertices of the optimal polytope, rows of an array (k_vertices, k)."""
    k = mc.shape[0]
    e = np.flatnonzero(ess)
    n_out = np.flatnonzero(~ess)
    scale = max(1.0, float(np.abs(mc).max()))
    a_eq = np.vstack([np.ones((1, len(e))), mc[np.ix_(e, e)].T / scale])
    b_eq = np.zeros(len(e) + 1)
    b_eq[0] = 1.0
    p0 = np.linalg.lstsq(a_eq, b_eq, rcond=None)[0]
    u, s, vt = np.linalg.svd(a_eq)
    rank = int((s > 1e-10 * max(1.0, s.max())).sum())
    null = vt[rank:].T  # (|E|, d)
    d = null.shape[1]
    # inequalities G p >= 0: p_E >= 0 and (M_{E,N}^T p) >= 0
    g = np.vstack([np.eye(len(e)), mc[np.ix_(e, n_out)].T / scale])
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


def _general(mc: np.ndarray, method: str, support_union: bool, max_candidates: int):
    k = mc.shape[0]
    if method == "lp":
        p = _lp_max_coord(mc, None)
        ess = _essential(mc) if support_union else p > _TOL
        return p, ess
    if k > max_candidates:
        raise SizeLimitError(
            f"maximal_lottery vertex enumeration supports up to max_candidates={max_candidates} "
            f"active candidates, got {k}; use method='lp' (one maximal lottery)"
        )
    ess = _essential(mc)
    p = _vertices(mc, ess).mean(axis=0)
    return p, ess


def _lotteries(profile, *, method, support_union, max_candidates, active, rule):
    if method not in ("enumeration", "lp"):
        raise ValidationError(f"`method` must be 'enumeration' or 'lp', got {method!r}")
    prep = prepare(profile, "margins", active=active, rule=rule)
    mg = _margins(prep)
    act = prep.flat_active()
    p, ok = _kt.maximal_lottery_unique(mg, act)
    ess = p > 0
    for i in np.flatnonzero(~ok):
        idx = np.flatnonzero(act[i])
        mc = np.ascontiguousarray(mg[i][np.ix_(idx, idx)])
        pc, ec = _general(mc, method, support_union, max_candidates)
        p[i] = 0.0
        p[i, idx] = pc
        ess[i] = False
        ess[i, idx] = ec
    return prep, p, ess


@register_rule("maximal_lottery", family="probabilistic", needs="margins", probabilistic=True,
               oracle="pref_voting.probabilistic_methods.maximal_lottery")
def maximal_lottery(profile: Any, *, method: str = "enumeration", support_union: bool = False,
                    max_candidates: int = 12, active: Any = None,
                    resolve: Any = None) -> RuleResult:
    """Fishburn's maximal lottery (spec §6.2).

    Parameters
    ----------
    profile : Rankings, Ratings, Pairwise, ndarray or DataArray
        Ballots or support matrices; leading axes are a batch.
    method : {"enumeration", "lp"}
        When the maximal lottery is not unique, ``"enumeration"`` (default) returns the average
        of the vertices of the optimal polytope (exact enumeration, at most ``max_candidates``
        active candidates); ``"lp"`` returns one optimal vertex found by HiGHS.
    support_union : bool
        ``winner_mask`` = the essential set (union of supports of all maximal lotteries)
        instead of the support of the returned lottery. Identical for the default method.
    max_candidates : int
        Limit of the vertex enumeration (default 12).

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
    prep, p, ess = _lotteries(profile, method=method, support_union=support_union,
                              max_candidates=max_candidates, active=active, rule="maximal_lottery")
    mask = ess if support_union else p > _TOL
    return finish(prep, mask, rule="maximal_lottery", scores=p, lottery=p, resolve=resolve)


@register_rule("essential_set", family="probabilistic", needs="margins",
               oracle="pref_voting.margin_based_methods.essential")
def essential_set(profile: Any, *, active: Any = None, resolve: Any = None) -> RuleResult:
    """Essential set (Dutta & Laslier 1999): union of the supports of all maximal lotteries.

    Examples
    --------
    >>> import socialchoice as sc
    >>> ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    >>> sc.rules.essential_set(ps).winners
    [0, 1]
    """
    prep, p, ess = _lotteries(profile, method="lp", support_union=True, max_candidates=0,
                              active=active, rule="essential_set")
    return finish(prep, ess, rule="essential_set", resolve=resolve)
