"""Bargaining over lotteries: batched Numba solvers against the per-item cvxpy loop.

Problem: ``items x 5 agents x 10 alternatives``, uniform utilities, ``d = "min"`` (every agent's
worst alternative). Baseline: the fast way to use cvxpy per item -- one DPP problem with
``cp.Parameter``s built once and re-solved per item (Clarabel), timed on 200 items and
extrapolated linearly. Each row reports the docs/welfare-bargaining.md §7 certificate over all items (max gap) and
the largest relative welfare difference to cvxpy on the baseline items.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from _harness import best_time, row

import socialchoice as sc


def _inputs(B, n=5, m=10, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((B, n, m))


def _cvx_nash(n, m):
    import cvxpy as cp

    X = cp.Parameter((n, m))
    p = cp.Variable(m, nonneg=True)
    g = cp.Variable(n)
    prob = cp.Problem(cp.Maximize(cp.sum(cp.log(g)) / n), [cp.sum(p) == 1, g == X @ p])
    return prob, X, p


def _cvx_egal(n, m):
    import cvxpy as cp

    X = cp.Parameter((n, m))
    p = cp.Variable(m, nonneg=True)
    t = cp.Variable()
    prob = cp.Problem(cp.Maximize(t), [X @ p >= t, cp.sum(p) == 1])
    return prob, X, p


def _baseline(kind, U, count):
    n, m = U.shape[1:]
    prob, X, p = (_cvx_nash if kind == "nash" else _cvx_egal)(n, m)
    gains = U[:count] - U[:count].min(axis=2, keepdims=True)
    X.value = gains[0]
    prob.solve(solver="CLARABEL")  # compile once, untimed
    vals = np.empty(count)
    t = time.perf_counter()
    for b in range(count):
        X.value = gains[b]
        prob.solve(solver="CLARABEL")
        vals[b] = prob.value
    return (time.perf_counter() - t) / count, vals


def run(quick: bool) -> list[dict]:
    B = 10_000 if quick else 100_000
    nb = 200
    U = _inputs(B)
    rows = []
    for kind, f in (("nash", sc.bargaining.nash), ("egalitarian", sc.bargaining.egalitarian)):
        f(U[:600], disagreement="min", over="lottery", method="fast")  # JIT warm-up (both variants)
        f(U[:2], disagreement="min", over="lottery", method="fast")
        res = {}

        def go():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res["r"] = f(U, disagreement="min", over="lottery", method="fast")

        sec = best_time(go, repeat=3, warmup=0)
        r = res["r"]
        per, ref = _baseline(kind, U, nb)
        ours = r.welfare[:nb]
        rel = float(np.max(np.abs(ours - ref) / np.maximum(1.0, np.abs(ref))))
        cert = "FW gap (W = 1)" if kind == "nash" else "game duality gap"
        rows.append(row(
            group="bargaining over lotteries", name=f"{kind} (method='fast')",
            size=f"{B} items x 5 agents x 10 alternatives", seconds=sec,
            baseline="cvxpy DPP problem re-solved per item (Clarabel)", baseline_seconds=per * B,
            baseline_note=f"{per * 1e3:.2f} ms/item on {nb} items, extrapolated",
            target=">= 300x (aim 1000x), rel. welfare gap <= 1e-6",
            extra={"max_certificate": float(np.max(r.gap)), "certificate": cert,
                   "max_rel_welfare_diff_vs_cvxpy": rel,
                   "items_per_second": B / sec}))
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
