"""Trade-off scalarisations over lotteries and frontiers (docs/tradeoff-jury.md §A4).

* Tchebycheff over lotteries, ``10^4 items x 10 responses x 3 objectives``, batched through the
  Numba LP kernel, against the fast way to use cvxpy per item: one DPP problem with
  ``cp.Parameter`` data built once and re-solved per item (HiGHS), timed on 200 items and
  extrapolated linearly (the row says so); the same with group floors and a maximum gap;
* a 100-point adaptive frontier for 20 responses x 4 objectives (goal < 1 s), against the same
  100 scalarisations solved one by one through the cvxpy DPP problem;
* the unconstrained weighted sum (an argmax) against the bare numpy ``argmax`` of the scores.
"""

from __future__ import annotations

import time

import numpy as np
from _harness import best_time, row

import socialchoice as sc


def _cvx_tcheb(m, d, floors=False):
    import cvxpy as cp

    G = cp.Parameter((d, m))  # rows: w_k (R_k - z_k)
    p = cp.Variable(m, nonneg=True)
    t = cp.Variable()
    cons = [G @ p >= t, cp.sum(p) == 1]
    F = f = None
    if floors:
        F = cp.Parameter((d, m))
        f = cp.Parameter(d)
        cons += [F @ p >= f]
        cons += [F[k] @ p - F[l] @ p <= 0.5 for k in range(d) for l in range(d) if k != l]
    return cp.Problem(cp.Maximize(t), cons), G, F, f, p


def _baseline(R, W, count, floors=None):
    """Seconds per item of the cvxpy DPP loop on the first ``count`` items, and its values."""
    B, m, d = R.shape
    prob, G, F, f, p = _cvx_tcheb(m, d, floors is not None)
    z = R.min(axis=1) - 1e-9 * (R.max(axis=1) - R.min(axis=1)).max(axis=1, keepdims=True)

    def load(b):
        G.value = (W[b][:, None] * (R[b] - z[b]).T)
        if floors is not None:
            F.value = R[b].T
            f.value = floors[b]

    load(0)
    prob.solve(solver="HIGHS")  # canonicalise once, untimed
    vals = np.empty(count)
    t = time.perf_counter()
    for b in range(count):
        load(b)
        prob.solve(solver="HIGHS")
        vals[b] = prob.value
    return (time.perf_counter() - t) / count, vals


def run(quick: bool) -> list[dict]:
    rng = np.random.default_rng(0)
    B, m, d = 10_000, 10, 3
    nb = 100 if quick else 200
    R = rng.random((B, m, d))
    W = rng.dirichlet(np.ones(d), size=B)
    rows = []

    # --- Tchebycheff, unconstrained and with floors + max gap
    lo, hi = R.min(axis=1), R.max(axis=1)
    floors = lo + 0.3 * (hi - lo)
    for label, kw in (("tchebycheff", {}), ("tchebycheff + floors + max_gap", dict(floors=floors, max_gap=0.5))):
        sc.tradeoff.tchebycheff(R[:600], W[:600], method="fast", **{k: (v[:600] if k == "floors" else v)
                                                                     for k, v in kw.items()})  # JIT warm-up
        sc.tradeoff.tchebycheff(R[:2], W[:2], method="fast", **{k: (v[:2] if k == "floors" else v)
                                                                 for k, v in kw.items()})
        res = {}

        def go():
            res["r"] = sc.tradeoff.tchebycheff(R, W, method="fast", **kw)

        sec = best_time(go, repeat=3, warmup=0)
        per, ref = _baseline(R, W, nb, floors if kw else None)
        diff = float(np.max(np.abs(np.asarray(res["r"].value)[:nb] - ref)))
        rows.append(row(
            group="trade-off scalarisations", name=f"{label} (method='fast')",
            size=f"{B} items x {m} responses x {d} objectives", seconds=sec,
            baseline="cvxpy DPP problem re-solved per item (HiGHS)", baseline_seconds=per * B,
            baseline_note=f"{per * 1e3:.2f} ms/item on {nb} items, extrapolated linearly to {B}",
            target=">= 300x", extra={"max_abs_value_diff_vs_cvxpy": diff, "items_per_second": B / sec}))

    # --- 100-point adaptive frontier, 20 responses x 4 objectives
    Rf = rng.random((20, 4))
    sc.tradeoff.frontier(Rf, n_points=100)  # warm-up
    fr = {}

    def front():
        fr["f"] = sc.tradeoff.frontier(Rf, n_points=100)

    sec = best_time(front, repeat=5, warmup=0)
    Wf = rng.dirichlet(np.ones(4), size=100)
    per, _ = _baseline(np.broadcast_to(Rf, (100, 20, 4)).copy(), Wf, 100)
    rows.append(row(
        group="trade-off scalarisations", name="frontier(n_points=100, adaptive=True, method='tchebycheff')",
        size="20 responses x 4 objectives", seconds=sec,
        baseline="100 Tchebycheff LPs, cvxpy DPP re-solve (HiGHS)", baseline_seconds=per * 100,
        baseline_note="same number of scalarisations, solved one by one",
        target="< 1 s", extra={"front_points": int(fr["f"].points.shape[0]), "n_solved": int(fr["f"].n_solved)}))

    # --- weighted sum: closed form vs the bare numpy argmax
    Bw = 100_000
    Rw = rng.random((Bw, m, d))
    Ww = rng.dirichlet(np.ones(d), size=Bw)
    sc.tradeoff.weighted_sum(Rw[:10], Ww[:10])
    sec = best_time(lambda: sc.tradeoff.weighted_sum(Rw, Ww), repeat=3)
    base = best_time(lambda: np.argmax(np.einsum("bmd,bd->bm", Rw, Ww), axis=1), repeat=3)
    rows.append(row(
        group="trade-off scalarisations", name="weighted_sum (closed form, ties uniform)",
        size=f"{Bw} items x {m} responses x {d} objectives", seconds=sec,
        baseline="numpy einsum + argmax (no validation, lowest-index ties)", baseline_seconds=base,
        nbytes=Rw.nbytes, target="within a small factor of numpy (validation, tie sets, lotteries)"))
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print({k: v for k, v in r.items() if k in ("name", "seconds", "baseline_seconds", "speedup", "baseline_note")})
