"""Independent oracles for the scalarisation tests: scipy LPs for Pareto optimality and the
§A4 problems written directly in cvxpy (docs/tradeoff-jury.md §A4)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def _pareto_slack(R, a):
    """max sum_k s_k s.t. R^T q >= a + s, s >= 0, q in the simplex (0 = Pareto optimal)."""
    m, d = R.shape
    c = np.r_[np.zeros(m), -np.ones(d)]
    A = np.c_[-R.T, np.eye(d)]
    res = linprog(c, A_ub=A, b_ub=-a, A_eq=np.r_[np.ones(m), np.zeros(d)][None], b_eq=[1.0],
                  bounds=[(0, None)] * (m + d), method="highs")
    assert res.status == 0
    return -res.fun


def _weak_slack(R, a):
    """max t s.t. R^T q >= a + t, q in the simplex (<= 0 = weakly Pareto optimal)."""
    m, d = R.shape
    c = np.r_[np.zeros(m), -1.0]
    A = np.c_[-R.T, np.ones(d)]
    res = linprog(c, A_ub=A, b_ub=-a, A_eq=np.r_[np.ones(m), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    assert res.status == 0
    return -res.fun


def _cvx_oracle(R, w=None, *, kind, z=None, rho=0.0, floors=None, max_gap=None, ratio=None, k0=0):
    """The §A4 problems written directly in cvxpy (maximisation)."""
    import cvxpy as cp

    m, d = R.shape
    p = cp.Variable(m, nonneg=True)
    a = R.T @ p
    cons = [cp.sum(p) == 1]
    if floors is not None:
        cons += [a[k] >= floors[k] for k in range(d) if np.isfinite(floors[k])]
    if max_gap is not None:
        cons += [a[k] - a[l] <= max_gap for k in range(d) for l in range(d) if k != l]
    if ratio is not None:
        s = cp.Variable()
        cons += [s >= a[l] for l in range(d)] + [a[k] >= ratio * s for k in range(d)]
    if kind == "ws":
        obj = w @ a
    elif kind == "eps":
        obj = a[k0]
    else:
        g = cp.multiply(w, a - z)
        pos = np.flatnonzero(w > 0)
        obj = cp.min(g[pos]) + rho * cp.sum(g)
    prob = cp.Problem(cp.Maximize(obj), cons)
    prob.solve(solver="HIGHS" if "HIGHS" in cp.installed_solvers() else "CLARABEL")
    return prob.status, prob.value
