"""Finite-alternative welfare argmax over a large utility tensor.

``items x 1000 raters x 8 alternatives``; ``sc.welfare.best(U, "utilitarian")`` streams the
tensor once in a parallel Numba kernel (weighted mean, NaN/inf flags fused), then ranks the
small ``(items, 8)`` result. ``nbytes`` is the utility tensor's size; the bandwidth column
compares with a plain numpy sum over the same bytes. Baseline: ``np.nanmean(U, axis=1)`` +
``argmax`` (what a user would write; it does not reject inf) and ``U.mean(axis=1)``.
"""

from __future__ import annotations

import numpy as np
from _harness import best_time, row

import socialchoice as sc


def run(quick: bool) -> list[dict]:
    items = 1_000 if quick else 10_000
    n, m = 1000, 8
    rows = []
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        U = rng.random((items, n, m), dtype=dtype)
        sc.welfare.best(U[:200], "utilitarian")  # warm-up (parallel kernel)
        sc.welfare.best(U[:1], "utilitarian")
        sec = best_time(lambda: sc.welfare.best(U, "utilitarian"), repeat=3)
        base = best_time(lambda: np.nanmean(U, axis=1).argmax(axis=-1), repeat=2)
        plain = best_time(lambda: U.mean(axis=1).argmax(axis=-1), repeat=2)
        res = sc.welfare.best(U, "utilitarian")
        assert np.array_equal(res.winner, U.astype(np.float64).mean(axis=1).argmax(axis=-1))
        rows.append(row(
            group="welfare argmax", name=f"best(U, 'utilitarian') {np.dtype(dtype).name}",
            size=f"{items} x {n} x {m}", seconds=sec, baseline="np.nanmean(U, axis=1).argmax(-1)",
            baseline_seconds=base, nbytes=U.nbytes, target=">= 0.30 of memory bandwidth",
            extra={"plain_numpy_mean_seconds": plain}))
        del U
    U = rng.random((items // 10, n, m))
    sec = best_time(lambda: sc.welfare.best(U, "nash", disagreement=-0.1), repeat=2)
    base = best_time(lambda: np.log(U + 0.1).mean(axis=1).argmax(-1), repeat=2)
    rows.append(row(group="welfare argmax", name="best(U, 'nash') float64 (numpy path)",
                    size=f"{items // 10} x {n} x {m}", seconds=sec, baseline="np.log(U - d).mean(1).argmax",
                    baseline_seconds=base, nbytes=U.nbytes, target="informational"))
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
