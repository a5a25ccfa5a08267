"""The one cvxpy entry of :mod:`socialchoice.bargaining`: solver choice, fallback chain, status
checks (docs/welfare-bargaining.md §5; one solve path that maps every solver status to a result, warning or error), and DPP problems cached per shape."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from ..errors import InaccurateSolutionWarning, InfeasibleError, SolverError, UnboundedError, ValidationError

__all__ = ["solve", "nash_lottery", "lp_round", "DEFAULT_CHAIN"]

DEFAULT_CHAIN = ("CLARABEL", "ECOS", "SCS")
#: LPs go to a simplex solver first (exact vertices and duals), then the conic chain
LP_CHAIN = ("HIGHS", "SCIPY", "CLARABEL", "ECOS", "SCS")  # SCIPY: HiGHS through scipy (older cvxpy)
#: tighter than the solvers' defaults so that the cvxpy path can serve as a 1e-6 oracle
SOLVER_OPTIONS = {
    "CLARABEL": dict(tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10),
    "ECOS": dict(abstol=1e-10, reltol=1e-10, feastol=1e-10),
    "SCS": dict(eps_abs=1e-9, eps_rel=1e-9, max_iters=200000),
    "HIGHS": dict(output_flag=False),
}


@functools.lru_cache(maxsize=1)
def _installed() -> frozenset:
    import cvxpy as cp

    return frozenset(cp.installed_solvers())


def _chain(solver: Any, default: tuple[str, ...] = DEFAULT_CHAIN) -> tuple[str, ...]:
    installed = _installed()
    if solver is None:
        chain = tuple(s for s in default if s in installed)
    elif isinstance(solver, str):
        chain = (solver.upper(),)
    else:
        chain = tuple(str(s).upper() for s in solver)
    missing = [s for s in chain if s not in installed]
    if missing or not chain:
        raise ValidationError(
            f"`solver`={solver!r}: {missing or 'none'} not installed; installed: {sorted(installed)}")
    return chain


def solve(problem: Any, solver: Any = None, *, what: str = "problem", lp: bool = False) -> tuple[str, str]:
    """Solve ``problem`` with the first solver of the chain that returns a solution.

    Returns ``(solver_name, status)``. Raises :class:`InfeasibleError` /
    :class:`UnboundedError` on a certified status, :class:`SolverError` when every solver
    failed; warns :class:`InaccurateSolutionWarning` on an inaccurate solution.
    """
    import cvxpy as cp
    from cvxpy import settings as s

    last = "no solver ran"
    for name in _chain(solver, LP_CHAIN if lp else DEFAULT_CHAIN):
        try:
            problem.solve(solver=name, **SOLVER_OPTIONS.get(name, {}))
        except (cp.error.SolverError, ArithmeticError, ValueError) as exc:
            last = f"{name}: {exc}"
            continue
        st = problem.status
        if st in (s.INFEASIBLE, s.INFEASIBLE_INACCURATE):
            raise InfeasibleError(f"{what} is infeasible ({name} status {st!r})")
        if st in (s.UNBOUNDED, s.UNBOUNDED_INACCURATE):
            raise UnboundedError(f"{what} is unbounded ({name} status {st!r})")
        if st in s.SOLUTION_PRESENT:
            if st == s.OPTIMAL_INACCURATE:
                warnings.warn(f"{what}: {name} returned an inaccurate solution", InaccurateSolutionWarning,
                              stacklevel=3)
            return name, st
        last = f"{name}: status {st!r}"
    raise SolverError(f"{what}: every solver failed ({last}); pass solver= to choose another")


@functools.lru_cache(maxsize=64)
def _nash_problem(n: int, m: int):
    import cvxpy as cp

    X = cp.Parameter((n, m))
    w = cp.Parameter(n, nonneg=True)
    p = cp.Variable(m, nonneg=True)
    g = cp.Variable(n)
    prob = cp.Problem(cp.Maximize(w @ cp.log(g)), [cp.sum(p) == 1, g == X @ p])
    return prob, X, w, p


def nash_lottery(X: np.ndarray, w: np.ndarray, *, solver: Any = None,
                 feasible_X: np.ndarray | None = None) -> tuple[np.ndarray, str, str]:
    """max sum_i w_i log(x_i p) over the simplex (exponential cone, docs/welfare-bargaining.md §5.1).

    ``X`` holds the gains of the agents in the objective; ``feasible_X`` adds constraints
    ``feasible_X p >= 0`` (the restricted degenerate case). Returns (p, solver, status).
    """
    import cvxpy as cp

    n, m = X.shape
    if feasible_X is None:
        prob, Xp, wp, p = _nash_problem(n, m)
        Xp.value = X
        wp.value = w
    else:
        p = cp.Variable(m, nonneg=True)
        prob = cp.Problem(cp.Maximize(w @ cp.log(X @ p)), [cp.sum(p) == 1, feasible_X @ p >= 0])
    name, st = solve(prob, solver, what="Nash bargaining (exponential cone)")
    return _clean(p.value), name, st


@functools.lru_cache(maxsize=64)
def _lp_problem(n: int, m: int):
    import cvxpy as cp

    X = cp.Parameter((n, m))
    r = cp.Parameter(n, nonneg=True)
    v = cp.Parameter(n)
    p = cp.Variable(m, nonneg=True)
    t = cp.Variable()
    cons = [X @ p - cp.multiply(r, t) >= v, cp.sum(p) == 1]
    prob = cp.Problem(cp.Maximize(t), cons)
    return prob, X, r, v, p, t, cons[0]


def lp_round(X: np.ndarray, r: np.ndarray, fixed: np.ndarray, v: np.ndarray, active: np.ndarray,
             *, solver: Any = None) -> tuple[np.ndarray, float, np.ndarray, str, str]:
    """max t s.t. x_i p >= t r_i (free), x_i p >= v_i (fixed), p in the simplex (docs/welfare-bargaining.md §5.2).

    Returns (p, t, q, solver, status); ``q`` is the dual distribution over the free agents.
    """
    n, m = X.shape
    prob, Xp, rp, vp, p, t, con = _lp_problem(n, m)
    free = active & ~fixed
    Xp.value = np.where(active[:, None], X, 0.0)
    rp.value = np.where(free, r, 0.0)
    vp.value = np.where(active & fixed, v, 0.0)
    name, st = solve(prob, solver, what="bargaining LP", lp=True)
    lam = np.maximum(np.asarray(con.dual_value, dtype=float), 0.0)
    q = np.where(free, lam * np.where(free, r, 0.0), 0.0)
    if q.sum() > 0:
        q = q / q.sum()
    return _clean(p.value), float(t.value), q, name, st


def max_weighted_sum(X: np.ndarray, w: np.ndarray, lower: np.ndarray, active: np.ndarray,
                     *, solver: Any = None) -> tuple[np.ndarray, str, str]:
    """max sum_i w_i x_i p s.t. x_i p >= lower_i (active), p in the simplex."""
    import cvxpy as cp

    n, m = X.shape
    p = cp.Variable(m, nonneg=True)
    Xa = X[active]
    prob = cp.Problem(cp.Maximize(w[active] @ (Xa @ p)), [Xa @ p >= lower[active], cp.sum(p) == 1])
    name, st = solve(prob, solver, what="utilitarian tie-break LP", lp=True)
    return _clean(p.value), name, st


def _clean(p: Any) -> np.ndarray:
    if p is None:
        raise SolverError("the solver reported success but returned no primal values")
    p = np.maximum(np.asarray(p, dtype=float), 0.0)
    p[p < 1e-11] = 0.0
    return p / p.sum()
