"""Solvers on a prepared :class:`~._problem.Problem`: exact over alternatives, and over
lotteries either the batched Numba kernels (``method="fast"``) or cvxpy (``method="cvxpy"``)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._kernels import bargaining as K
from .._kernels import gains as _gains
from ..errors import InaccurateSolutionWarning, InfeasibleError, ValidationError
from . import _cvx
from ._problem import Problem
from ._results import DegenerateBargainingError, InfeasibleBargainingError

#: relative tie tolerance on objective values of the scaled problem (gains in [-1, 1])
TIE_TOL = 1e-12
NASH_TOL = 1e-10  # kernel stopping rule on the FW gap (relative to W)
NASH_ACCEPT = 1e-8  # docs/welfare-bargaining.md §7 acceptance: gap <= 1e-8 W
LP_ACCEPT = 1e-7
LABEL = "<U32"  # solver / status labels (fixed width: object arrays cost ~10 ms per 10^5 items)


def _items(mask: np.ndarray, batch: tuple) -> list:
    idx = np.flatnonzero(mask)[:5]
    return [tuple(int(x) for x in np.unravel_index(i, batch)) if batch else () for i in idx]


def _wnorm(prob: Problem) -> np.ndarray:
    return prob.w / prob.w.sum(axis=1, keepdims=True)


def _lottery_degeneracy(prob: Problem, t0: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Raise when the best minimum gain ``t0`` over lotteries is negative (the individually
    rational set is empty); return the items where it is 0 (no lottery strictly better)."""
    empty = t0 < -tol
    if empty.any():
        raise InfeasibleBargainingError(
            f"no lottery is weakly better than the disagreement point for every agent in item(s) "
            f"{_items(empty, prob.batch)} (degenerate='empty_individually_rational_set')")
    return t0 <= tol


def check_individually_rational(prob: Problem, Sd: np.ndarray) -> None:
    empty = ~Sd.any(axis=1)
    if empty.any():
        raise InfeasibleBargainingError(
            f"no alternative is weakly better than the disagreement point for every agent in item(s) "
            f"{_items(empty, prob.batch)} (degenerate='empty_individually_rational_set'); lower the "
            "disagreement point or use disagreement='min'")


# --------------------------------------------------------------------------------------------
# over alternatives (exact)
# --------------------------------------------------------------------------------------------


def _lex_argmax(V: np.ndarray, eligible: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Leximin-maximal columns of V (B, n, m) (rows = agents; +inf rows are ignored) among
    ``eligible``; returns the tied mask."""
    S = np.sort(V, axis=1)
    cand = eligible.copy()
    for k in range(S.shape[1]):
        vals = np.where(cand, S[:, k, :], -np.inf)
        best = vals.max(axis=1, keepdims=True)
        fin = np.isfinite(best)
        cand &= ~fin | (vals >= best - tol[:, None])
    return cand


def solve_alternatives(prob: Problem, solution: str, *, r: np.ndarray | None = None,
                       degenerate: str = "raise") -> dict:
    X, act = prob.X, prob.active
    B, n, m = X.shape
    tol = prob.tol()
    a3 = act[:, :, None]
    Sd = np.all(~a3 | (X >= -tol[:, None, None]), axis=1)
    reason = np.full(B, None, dtype=object)
    ideal = None
    if solution == "utilitarian":
        # on the scaled gains (|X| <= 1): the tie tolerance is relative to the utility scale
        wn = _wnorm(prob)
        score = np.einsum("bi,bij->bj", wn, X)
        best = score.max(axis=1, keepdims=True)
        ties = score >= best - TIE_TOL
        welfare = best[:, 0] * prob.unit + np.einsum("bi,bi->b", wn, np.where(act, prob.d, 0.0))
        return dict(ties=ties, welfare=welfare, reason=reason, ideal=None)
    check_individually_rational(prob, Sd)
    a = np.max(np.where(Sd[:, None, :], X, -np.inf), axis=2)  # ideal gains (B, n)
    ideal = prob.gains_to_utilities(a)
    G = act & (a > tol[:, None])
    lost = act & ~G
    for b in np.flatnonzero(lost.any(axis=1)):
        if G[b].any():
            reason[b] = f"agents_without_gain: {np.flatnonzero(lost[b]).tolist()}"
        else:
            reason[b] = "no_gains"
    if solution == "nash":
        wn = _wnorm(prob)
        strict = np.all(~a3 | (X > tol[:, None, None]), axis=1)
        deg = ~strict.any(axis=1)
        if deg.any() and degenerate == "raise":
            raise DegenerateBargainingError(
                f"no alternative is strictly better than the disagreement point for every agent in "
                f"item(s) {_items(deg, prob.batch)}: the Nash product is 0 everywhere; pass "
                "degenerate='restrict' or over='lottery'")
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.where(a3, np.log(np.where(X > 0, X, 1.0)), 0.0)
        score = np.where(strict, np.einsum("bi,bij->bj", wn, lg), -np.inf)
        welfare = score.max(axis=1)
        wsum = np.ones(B)  # total weight of the logs in welfare (scaling back adds wsum log(unit))
        ties = strict & (score >= welfare[:, None] - TIE_TOL * np.maximum(1.0, np.abs(welfare[:, None])))
        for b in np.flatnonzero(deg):
            g = G[b]
            pos = X[b] > tol[b]
            if not g.any():
                ties[b] = Sd[b] & (np.arange(m) == np.argmax(Sd[b]))
                welfare[b] = -np.inf
                reason[b] = "no_gains"
                continue
            cols = Sd[b] & np.all(pos[g], axis=0)
            wg = wn[b] * g
            if cols.any():
                sc = np.where(cols, wg @ lg[b], -np.inf)
                reason[b] = reason[b] or "restricted_to_agents_with_gain"
                wsum[b] = wg.sum()
            else:
                cnt = np.where(Sd[b], (pos & g[:, None]).sum(axis=0), -1)
                sc2 = np.where(pos & g[:, None], lg[b], 0.0).sum(axis=0)
                top = cnt == cnt.max()
                sc = np.where(Sd[b] & top, sc2, -np.inf)
                reason[b] = "lexicographic_fallback"
            welfare[b] = sc.max()
            ties[b] = sc >= sc.max() - TIE_TOL * max(1.0, abs(sc.max()))
            if not cols.any():
                wsum[b] = (pos & g[:, None])[:, np.argmax(ties[b])].sum()
        return dict(ties=ties, welfare=welfare, reason=reason, ideal=ideal, wsum=wsum)
    if solution in ("egalitarian", "leximin"):
        R = X
    elif solution == "kalai_smorodinsky":
        R = X / np.where(G, a, 1.0)[:, :, None]
    elif solution == "proportional":
        R = X / r[:, :, None]
    else:  # pragma: no cover - guarded by the public layer
        raise ValidationError(f"unknown solution {solution!r}")
    V = np.where(G[:, :, None], R, np.inf)
    nog = ~G.any(axis=1)
    ties = _lex_argmax(V, Sd, tol)
    for b in np.flatnonzero(nog):
        ties[b] = Sd[b] & (np.arange(m) == np.argmax(Sd[b]))
    mins = np.min(np.where(G[:, :, None], R, np.inf), axis=1)
    j = np.argmax(ties, axis=1)
    welfare = np.where(nog, 0.0, mins[np.arange(B), j])
    return dict(ties=ties, welfare=welfare, reason=reason, ideal=ideal)


# --------------------------------------------------------------------------------------------
# over lotteries
# --------------------------------------------------------------------------------------------


def _sub(prob: Problem, rows: np.ndarray) -> Problem:
    """The items ``rows`` of ``prob`` as a flat problem."""
    import dataclasses

    return dataclasses.replace(prob, U=prob.U[rows], X=np.ascontiguousarray(prob.X[rows]), d=prob.d[rows],
                               w=prob.w[rows], active=prob.active[rows], n_used=prob.n_used[rows],
                               batch=(int(np.size(rows)),), scale=prob.scale[rows], unit=prob.unit[rows],
                               missing=prob.missing[rows])


def _egal_round(prob: Problem) -> tuple[np.ndarray, np.ndarray]:
    B, n, m = prob.X.shape
    r = np.ones((B, n))
    P, T, _, S = K.pick("lp_round_batch", prob.B)(prob.X, r, np.zeros((B, n), bool), np.zeros((B, n)), prob.active)
    return P, np.where(S == K.OK, T, -np.inf)


def ideal_lottery(prob: Problem, *, method: str = "fast", solver: Any = None) -> np.ndarray:
    """Ideal gains a_i = max{x_i p : X p >= 0, p in the simplex} (B, n); NaN if S_d is empty."""
    B, n, m = prob.X.shape
    a = np.full((B, n), np.nan)
    if method == "cvxpy":
        for b in range(B):
            for k in np.flatnonzero(prob.active[b]):
                fixed = prob.active[b].copy()
                fixed[k] = False
                try:
                    _, t, _, _, _ = _cvx.lp_round(prob.X[b], np.ones(n), fixed, np.zeros(n), prob.active[b],
                                                  solver=solver)
                except Exception as exc:  # infeasible S_d
                    from ..errors import InfeasibleError

                    if isinstance(exc, InfeasibleError):
                        continue
                    raise
                a[b, k] = t
        return a
    Xr = np.ascontiguousarray(np.repeat(prob.X, n, axis=0))
    act = np.repeat(prob.active, n, axis=0)
    k = np.tile(np.arange(n), B)
    fixed = act.copy()
    fixed[np.arange(B * n), k] = False
    r = np.ones((B * n, n))
    _, T, _, S = K.pick("lp_round_batch", B * n)(Xr, r, fixed, np.zeros((B * n, n)), act)
    T = np.where((S == K.OK) & act[np.arange(B * n), k], T, np.nan)
    return T.reshape(B, n)


def _pure_if_attained(prob: Problem, P: np.ndarray) -> np.ndarray:
    """Replace a lottery by the lowest-index pure alternative with the same gain vector."""
    tol = prob.tol()
    return _gains.pure_if_attained(prob.X, prob.active, np.ascontiguousarray(P, dtype=np.float64), tol)


def solve_lottery_lp(prob: Problem, solution: str, *, r: np.ndarray | None, method: str, solver: Any,
                     tie_break: str = "leximin") -> dict:
    """Egalitarian / leximin / Kalai-Smorodinsky / proportional over lotteries (docs/welfare-bargaining.md §5.2-5.3)."""
    X, act = prob.X, prob.active
    B, n, m = X.shape
    tol = prob.tol()
    reason = np.full(B, None, dtype=object)
    fast_egal = method != "cvxpy" and tie_break == "leximin" and solution in ("egalitarian", "leximin")
    if fast_egal:  # the first leximin round is the egalitarian LP: solve everything at once
        P1, T1, G1, S1 = K.pick("leximin_batch", B)(X, np.ones((B, n)), act, np.zeros((B, n), bool),
                                                  np.zeros((B, n)), 1e-9)
        P0, t0 = P1, np.where(S1 == K.OK, T1, -np.inf)
    else:
        P0, t0 = _egal_round(prob)
    deg = _lottery_degeneracy(prob, t0, tol)
    G = act.copy()
    a = None
    if solution == "kalai_smorodinsky" or deg.any():
        a = np.full((B, n), np.inf)
        rows = np.arange(B) if solution == "kalai_smorodinsky" else np.flatnonzero(deg)
        a[rows] = ideal_lottery(_sub(prob, rows), method="cvxpy" if method == "cvxpy" else "fast", solver=solver)
        G = act & (a > tol[:, None])
        a = np.where(np.isinf(a), np.nan, a)
    lost = act & ~G
    for b in np.flatnonzero(lost.any(axis=1)):
        reason[b] = f"agents_without_gain: {np.flatnonzero(lost[b]).tolist()}" if G[b].any() else "no_gains"
    if solution in ("egalitarian", "leximin"):
        rr = np.ones((B, n))
    elif solution == "kalai_smorodinsky":
        rr = np.where(G, a, 1.0)
    else:
        rr = np.asarray(r, dtype=float)
    fixed0 = act & ~G
    v0 = np.zeros((B, n))
    solver_name = np.full(B, "numba", dtype=LABEL)
    status = np.full(B, "optimal", dtype=LABEL)
    if tie_break == "utilitarian":
        P = np.zeros((B, m))
        gap = np.zeros(B)
        wel = np.zeros(B)
        wn = _wnorm(prob)
        for b in range(B):
            free = G[b]
            p, t, q, name, st = _cvx.lp_round(X[b], rr[b], fixed0[b], v0[b], act[b], solver=solver)
            lower = np.where(free, t * rr[b], 0.0) - 1e-9
            p2, name, st = _cvx.max_weighted_sum(X[b], wn[b], lower, act[b], solver=solver)
            P[b], solver_name[b], status[b] = p2, name, st
            wel[b] = t
            gap[b] = _lp_gap(X[b], rr[b], free, p, q)
        return dict(P=P, welfare=wel, gap=gap, reason=reason,
                    ideal=None if a is None else prob.gains_to_utilities(a), solver=solver_name, status=status)
    if method == "cvxpy":
        P = np.zeros((B, m))
        wel = np.zeros(B)
        gap = np.zeros(B)
        for b in range(B):
            if not G[b].any():
                continue
            P[b], wel[b], gap[b], solver_name[b], status[b] = _leximin_cvx(prob, b, rr[b], fixed0[b], solver)
    elif fast_egal:
        P, wel, gap, S = P1.copy(), T1.copy(), G1.copy(), S1.copy()
        redo = np.flatnonzero(deg & G.any(axis=1))
        if redo.size:
            P[redo], wel[redo], gap[redo], S[redo] = K.pick("leximin_batch", redo.size)(
                np.ascontiguousarray(X[redo]), rr[redo], act[redo], fixed0[redo], v0[redo], 1e-9)
        if (S != K.OK).any():
            status[S != K.OK] = "inaccurate"
            warnings.warn("the LP kernel failed on some items; rerun with method='cvxpy'",
                          InaccurateSolutionWarning, stacklevel=4)
    else:
        P, T1, G1, S = K.pick("leximin_batch", B)(X, np.ascontiguousarray(rr), act, fixed0, v0, 1e-9)
        if (S != K.OK).any():
            status[S != K.OK] = "inaccurate"
            warnings.warn("the LP kernel failed on some items; rerun with method='cvxpy'",
                          InaccurateSolutionWarning, stacklevel=4)
        wel, gap = T1, G1
    nog = ~G.any(axis=1)
    for b in np.flatnonzero(nog):
        inSd = np.all(~act[b][:, None] | (X[b] >= -tol[b]), axis=0)
        P[b] = 0.0
        if inSd.any():
            P[b, np.argmax(inSd)] = 1.0
        else:
            P[b] = P0[b]
        wel[b] = 0.0
        gap[b] = 0.0
    return dict(P=P, welfare=wel, gap=gap, reason=reason,
                ideal=None if a is None else prob.gains_to_utilities(a), solver=solver_name, status=status)


def _lp_gap(X: np.ndarray, r: np.ndarray, free: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    M = X[free] / r[free][:, None]  # (k, m): agents x alternatives
    lo = float((M @ p).min())
    hi = float((q[free] @ M).max())
    return max(0.0, hi - lo)


def _leximin_cvx(prob: Problem, b: int, r: np.ndarray, fixed0: np.ndarray, solver: Any):
    X, act = prob.X[b], prob.active[b]
    fixed = fixed0.copy()
    v = np.zeros(prob.n)
    relax = 1e-9  # gains are scaled to [-1, 1]
    first = True
    t1 = gap1 = 0.0
    name = st = ""
    p = p_prev = None
    while (act & ~fixed).any():
        free = act & ~fixed
        try:
            p, t, q, name, st = _cvx.lp_round(X, r, fixed, v, act, solver=solver)
        except InfeasibleError:
            if first:
                raise
            try:  # round-off made the fixed levels infeasible: relax them once more
                v = np.where(fixed & ~fixed0, v - 100 * relax, v)
                p, t, q, name, st = _cvx.lp_round(X, r, fixed, v, act, solver=solver)
            except InfeasibleError:
                break  # keep the previous round's p
        g = X @ p
        if not first and (g[fixed & act] < v[fixed & act] - 1e-6).any():
            p = p_prev  # an inaccurate round broke the fixed levels: keep the previous point
            break
        p_prev = p
        if first:
            t1 = float(np.min((g / r)[free]))
            gap1 = _lp_gap(X, r, free, p, q)
            first = False
        new = free & (q > 1e-6)
        if not new.any():
            new = free & (g / r <= t + 1e-7 * max(1.0, abs(t)))
        if not new.any():
            break
        fixed |= new
        v = np.where(new, t * r - relax, v)
    return p, t1, gap1, name, st


def nash_certificate(X: np.ndarray, wn: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Frank-Wolfe gap max_j D_j(p) - W of docs/welfare-bargaining.md §7 (weights normalised, so W = 1)."""
    return _gains.nash_value_and_gap(np.ascontiguousarray(X, dtype=np.float64),
                                     np.ascontiguousarray(wn, dtype=np.float64),
                                     np.ascontiguousarray(P, dtype=np.float64))[1]


def restricted_nash_certificate(X: np.ndarray, w: np.ndarray, p: np.ndarray, feasible_X: np.ndarray) -> float:
    """Frank-Wolfe gap of the restricted degenerate Nash problem (docs/welfare-bargaining.md §6, ``"restrict"``).

    The feasible set is ``{p in simplex : feasible_X p >= 0}``, so the vertex maximum of the
    simplex gap does not apply; the gap is the LP ``max_{p'} D(p) p' - W`` over that set,
    which still bounds ``f(p*) - f(p)`` by concavity. ``w`` is zero off the agents with gain.
    """
    from scipy.optimize import linprog

    g = X @ p
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(w > 0, w / g, 0.0)
    D = ratio @ X
    m = X.shape[1]
    res = linprog(-D, A_ub=-feasible_X, b_ub=np.zeros(feasible_X.shape[0]), A_eq=np.ones((1, m)),
                  b_eq=[1.0], bounds=[(0, None)] * m, method="highs")
    if res.status != 0:  # p itself is feasible, so this is a solver failure: be conservative
        return float(np.max(D) - w.sum())
    return max(float(-res.fun - w.sum()), 0.0)


def _restricted_face(F: np.ndarray, tol: float) -> np.ndarray | None:
    """Columns allowed by ``F p >= 0`` when that set is a face of the simplex, else None.

    A row that is >= 0 everywhere (on the allowed columns) constrains nothing; a row that is
    <= 0 everywhere forces ``p_j = 0`` wherever it is < 0. Repeat until no row changes; a row
    of mixed signs left over makes the set a general polytope.
    """
    keep = np.ones(F.shape[1], dtype=bool)
    while True:
        Fk = np.where(keep, F, 0.0)
        neg = Fk < -tol
        pos = Fk > tol
        closing = neg.any(axis=1) & ~pos.any(axis=1)
        if not closing.any():
            return keep if not (neg.any(axis=1) & pos.any(axis=1)).any() else None
        keep &= ~neg[closing].any(axis=0)


def _restricted_nash(Xg: np.ndarray, wg: np.ndarray, F: np.ndarray, tol: float, *, method: str,
                     solver: Any) -> tuple[np.ndarray, str, str]:
    """Nash over the agents with gain ``Xg`` within ``{p : F p >= 0}`` (docs/welfare-bargaining.md §6 "restrict").

    When the constraint set is a face of the simplex (the usual case: the agents without gain
    are indifferent or lose on some alternatives) the fast kernel solves the problem on that
    face to the 1e-10 certificate; a general polytope (or a failed fast solve) goes to cvxpy.
    """
    keep = None if method == "cvxpy" else _restricted_face(F, tol)
    if keep is not None and keep.any():
        Xk = np.ascontiguousarray(Xg[:, keep][None])
        wk = np.ascontiguousarray(wg[None])
        start, ok = K.nash_start_batch_serial(Xk, wk)
        if ok[0]:
            pk, gk, _ = K.nash_batch_serial(Xk, wk, start, NASH_TOL, 200)
            if gk[0] <= NASH_ACCEPT:
                p = np.zeros(Xg.shape[1])
                p[keep] = pk[0]
                return p, "numba", "optimal"
    return _cvx.nash_lottery(Xg, wg, solver=solver, feasible_X=F)


def solve_lottery_nash(prob: Problem, *, method: str, solver: Any, degenerate: str) -> dict:
    X, act = prob.X, prob.active
    B, n, m = X.shape
    tol = prob.tol()
    wn = _wnorm(prob)
    reason = np.full(B, None, dtype=object)
    wact = np.ascontiguousarray(np.where(act, wn, 0.0))
    S0, good = K.pick("nash_start_batch", B)(X, wact)
    # a feasible start has every gain > 0: strictly feasible; the LP is needed elsewhere only
    P_lp = S0.copy()
    t0 = np.full(B, np.inf)
    bad_start = np.flatnonzero(~good)
    if bad_start.size:
        P_lp[bad_start], t0[bad_start] = _egal_round(_sub(prob, bad_start))
    deg = _lottery_degeneracy(prob, t0, tol)
    if deg.any() and degenerate == "raise":
        raise DegenerateBargainingError(
            f"no lottery is strictly better than the disagreement point for every agent in item(s) "
            f"{_items(deg, prob.batch)}: the Nash objective is -inf everywhere; pass degenerate='restrict'")
    P = np.zeros((B, m))
    solver_name = np.full(B, "numba", dtype=LABEL)
    status = np.full(B, "optimal", dtype=LABEL)
    ideal = None
    ok = ~deg
    if method == "cvxpy":
        for b in np.flatnonzero(ok):
            a_ = act[b]
            P[b], solver_name[b], status[b] = _cvx.nash_lottery(X[b][a_], wn[b][a_], solver=solver)
    elif ok.any():
        idx = np.flatnonzero(ok)
        if idx.size == B:
            Xs, ws, St = X, wact, P_lp
        else:
            Xs, ws, St = np.ascontiguousarray(X[idx]), np.ascontiguousarray(wact[idx]), P_lp[idx]
        Pk, gapk, _ = K.pick("nash_batch", len(idx))(Xs, ws, St, NASH_TOL, 200)
        P[idx] = Pk
        bad = gapk > NASH_ACCEPT
        if bad.any():
            if method == "auto":
                for b in idx[bad]:
                    a_ = act[b]
                    P[b], solver_name[b], status[b] = _cvx.nash_lottery(X[b][a_], wn[b][a_], solver=solver)
            else:
                status[idx[bad]] = "inaccurate"
                warnings.warn(f"{int(bad.sum())} item(s) stopped above the Nash certificate 1e-8; "
                              "use method='auto' or 'cvxpy'", InaccurateSolutionWarning, stacklevel=4)
    if deg.any():
        a = ideal_lottery(prob, method="cvxpy" if method == "cvxpy" else "fast", solver=solver)
        ideal = prob.gains_to_utilities(a)
        for b in np.flatnonzero(deg):
            g = act[b] & (a[b] > tol[b])
            if not g.any():
                inSd = np.all(~act[b][:, None] | (X[b] >= -tol[b]), axis=0)
                P[b] = 0.0
                if inSd.any():
                    P[b, np.argmax(inSd)] = 1.0
                else:
                    P[b] = P_lp[b]
                reason[b] = "no_gains"
                solver_name[b] = "exact"
                continue
            lost = act[b] & ~g
            reason[b] = f"agents_without_gain: {np.flatnonzero(lost).tolist()}" if lost.any() else \
                "restricted_to_agents_with_gain"
            P[b], solver_name[b], status[b] = _restricted_nash(
                X[b][g], wn[b][g] / wn[b][g].sum(), X[b][act[b]], tol[b], method=method, solver=solver)
    w_obj = wn.copy()
    if deg.any():
        # the objective of a degenerate item runs over the agents with gain only
        g_all = np.einsum("bij,bj->bi", X, P)
        for b in np.flatnonzero(deg):
            keep = act[b] & (g_all[b] > tol[b])
            w_obj[b] = np.where(keep, wn[b], 0.0)
            if w_obj[b].sum() > 0:
                w_obj[b] /= w_obj[b].sum()
    wel, gap = _gains.nash_value_and_gap(X, w_obj, P)
    for b in np.flatnonzero(deg & (reason != "no_gains")):
        gap[b] = restricted_nash_certificate(X[b], w_obj[b], P[b], X[b][act[b]])
        if gap[b] > NASH_ACCEPT and status[b] == "optimal":
            status[b] = "inaccurate"
    wel = np.where((reason == "no_gains"), -np.inf, wel)
    gap = np.where((reason == "no_gains"), 0.0, gap)
    return dict(P=P, welfare=wel, gap=gap, reason=reason, ideal=ideal, solver=solver_name, status=status)
