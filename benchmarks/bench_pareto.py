"""sc.tradeoff dominance and hypervolume against moocore (C) and a numpy baseline, same run.

* Non-dominated filtering of 10^6 points (minimisation): uniform in the unit cube (few points
  on the front) and all on the front (2-D: the line x + y = 1; 3-D: the simplex), against
  ``moocore.is_nondominated`` and the common numpy filter (repeatedly drop the points the next
  kept point dominates). On the all-front sets the numpy filter is quadratic: it is timed on
  5*10^3 points and extrapolated quadratically (the row says so).
* Hypervolume: 3-D with 10^5 points (uniform; on the simplex) and 5-D with 10^4 uniform points
  against ``moocore.hypervolume``; a 5-D front (points on the unit sphere, all non-dominated)
  with 10^4 points (the issue's size), where the sweep's O(n^2) limited-front filtering is at
  its weakest.
* A batch of 10^4 items x 100 points x 3 objectives in one call against a moocore loop over
  items (non-dominated flags and hypervolumes).

Every row checks that the answers agree with moocore.
"""

from __future__ import annotations

import time

import numpy as np
from _harness import best_time, row

import socialchoice as sc

T = sc.tradeoff


def _numpy_filter(X: np.ndarray) -> np.ndarray:
    """The usual numpy Pareto filter (minimisation): keep the next surviving point, drop what it
    dominates, repeat. Returns the flags of the non-dominated points (first copy of duplicates)."""
    idx = np.arange(X.shape[0])
    P = X
    i = 0
    while i < len(P):
        dominated = np.all(P[i] <= P, axis=1) & (np.any(P[i] < P, axis=1) | (np.arange(len(P)) > i)
                                                 & np.all(P[i] == P, axis=1))
        keep = ~dominated
        i = int(np.sum(keep[:i])) + 1
        P = P[keep]
        idx = idx[keep]
    out = np.zeros(X.shape[0], bool)
    out[idx] = True
    return out


def _sets(rng, n, d, kind):
    if kind == "uniform":
        return rng.random((n, d))
    if d == 2:
        x = rng.random(n)
        return np.stack([x, 1 - x], axis=1)
    return rng.dirichlet(np.ones(d), n)


def _nd_rows(quick: bool) -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    import moocore

    n = 10**5 if quick else 10**6
    for d in (2, 3):
        for kind in ("uniform", "front"):
            X = _sets(rng, n, d, kind)
            T.is_nondominated(X[:5000], maximise=False)  # JIT warm-up
            res = {}
            sec = best_time(lambda: res.__setitem__("f", T.is_nondominated(X, maximise=False)), repeat=3)
            t_moo = best_time(lambda: res.__setitem__("m", moocore.is_nondominated(X)), repeat=2, warmup=0)
            ok = bool(np.array_equal(res["f"], res["m"]))
            rows.append(row(group="tradeoff: non-dominated filtering", name=f"is_nondominated {d}-D {kind}",
                            size=f"{n:.0e} x {d}", seconds=sec, baseline="moocore.is_nondominated",
                            baseline_seconds=t_moo, nbytes=X.nbytes,
                            target=">= 5x (uniform) / >= 2x (front) moocore",
                            extra={"agrees_with_moocore": ok, "front_size": int(res["f"].sum())}))
            if kind == "uniform":
                t_np = best_time(lambda: _numpy_filter(X), repeat=1, warmup=0)
                note = ""
            else:
                k = 5_000
                t0 = time.perf_counter()
                _numpy_filter(X[:k])
                t_np = (time.perf_counter() - t0) * (n / k) ** 2
                note = f"timed on {k} points, extrapolated quadratically"
            rows.append(row(group="tradeoff: non-dominated filtering", name=f"is_nondominated {d}-D {kind}",
                            size=f"{n:.0e} x {d}", seconds=sec, baseline="numpy filter", baseline_seconds=t_np,
                            baseline_note=note, nbytes=X.nbytes))
    return rows


def _hv_rows(quick: bool) -> list[dict]:
    import moocore

    rows = []
    rng = np.random.default_rng(1)
    cases = [(3, 10**5, "uniform"), (3, 10**5, "front"), (5, 10**4, "uniform"), (5, 10**4, "sphere")]
    if quick:
        cases = [(3, 10**4, "uniform"), (3, 10**4, "front"), (5, 10**3, "uniform"), (5, 10**3, "sphere")]
    for d, n, kind in cases:
        if kind == "sphere":
            Z = np.abs(rng.standard_normal((n, d)))
            X = 1 - Z / np.linalg.norm(Z, axis=1, keepdims=True)
        else:
            X = _sets(rng, n, d, kind)
        r = np.full(d, 1.1)
        T.hypervolume(X[:200], r, maximise=False)  # JIT warm-up
        res = {}
        sec = best_time(lambda: res.__setitem__("f", T.hypervolume(X, r, maximise=False).value), repeat=3)
        t_moo = best_time(lambda: res.__setitem__("m", moocore.hypervolume(X, ref=r)), repeat=3)
        rel = abs(res["f"] - res["m"]) / abs(res["m"])
        rows.append(row(group="tradeoff: hypervolume", name=f"hypervolume {d}-D {kind}", size=f"{n:.0e} x {d}",
                        seconds=sec, baseline="moocore.hypervolume", baseline_seconds=t_moo,
                        nbytes=X.nbytes, target=">= 1x moocore", extra={"rel_diff_moocore": rel}))
    return rows


def _batch_rows(quick: bool) -> list[dict]:
    import moocore

    rows = []
    rng = np.random.default_rng(2)
    B = 1000 if quick else 10_000
    X = rng.random((B, 100, 3))
    r = np.full(3, 1.1)
    T.is_nondominated(X[:4], maximise=False)
    T.hypervolume(X[:4], r, maximise=False)
    res = {}
    sec = best_time(lambda: res.__setitem__("f", T.is_nondominated(X, maximise=False)), repeat=3)
    t0 = time.perf_counter()
    ref = np.array([moocore.is_nondominated(x) for x in X])
    t_moo = time.perf_counter() - t0
    rows.append(row(group="tradeoff: batches", name="is_nondominated, items in one call", size=f"{B} x 100 x 3",
                    seconds=sec, baseline="moocore loop over items", baseline_seconds=t_moo, nbytes=X.nbytes,
                    extra={"agrees_with_moocore": bool(np.array_equal(res["f"], ref))}))
    sec = best_time(lambda: res.__setitem__("h", T.hypervolume(X, r, maximise=False).value), repeat=3)
    t0 = time.perf_counter()
    ref = np.array([moocore.hypervolume(x, ref=r) for x in X])
    t_moo = time.perf_counter() - t0
    rows.append(row(group="tradeoff: batches", name="hypervolume, items in one call", size=f"{B} x 100 x 3",
                    seconds=sec, baseline="moocore loop over items", baseline_seconds=t_moo, nbytes=X.nbytes,
                    extra={"max_rel_diff_moocore": float(np.max(np.abs(res["h"] - ref) / np.abs(ref)))}))
    return rows


def run(quick: bool) -> list[dict]:
    return _nd_rows(quick) + _hv_rows(quick) + _batch_rows(quick)


if __name__ == "__main__":
    import sys

    for rw in run("--quick" in sys.argv):
        sp = f"{rw['speedup']:.2f}x" if rw["speedup"] else ""
        print(f"{rw['group']:38s} {rw['name']:40s} {rw['size']:>14s} {rw['seconds']:.4f}s "
              f"{rw['baseline']} {rw['baseline_seconds']:.4f}s {sp} {rw.get('baseline_note', '')} "
              f"{ {k: v for k, v in rw.items() if k in ('agrees_with_moocore', 'rel_diff_moocore', 'max_rel_diff_moocore')} }")
