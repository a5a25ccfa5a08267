"""Rankings -> weighted pairwise support (docs/rules.md §1.3).

Baselines measured in the same run: the best numpy implementation we know (chunked broadcast
compare on the uint8 view, where -1 = unranked reads as 255 so a plain ``<`` is the extended
strict preference), and building a pref_voting ``Profile`` from the same array (which computes
its margin matrix), timed on 10^5 voters and extrapolated linearly.
"""

from __future__ import annotations

import numpy as np
from _harness import best_time, row

import socialchoice as sc


def numpy_support(ranks: np.ndarray, chunk: int = 8192) -> np.ndarray:
    u = ranks.view(np.uint8)
    m = u.shape[1]
    s = np.zeros((m, m), np.int64)
    for lo in range(0, len(u), chunk):
        b = u[lo:lo + chunk]
        s += (b[:, :, None] < b[:, None, :]).sum(axis=0)
    return s.astype(np.float64)


def pref_voting_profile(ranks: np.ndarray):
    from pref_voting.profiles import Profile

    orders = np.argsort(ranks, axis=1)  # complete strict ballots: level order = candidate order
    return Profile(orders)


def run(quick: bool) -> list[dict]:
    rng = np.random.default_rng(0)
    n, m = (10**5 if quick else 10**6), 10
    ranks = np.argsort(rng.random((n, m)), axis=1).astype(np.int8)
    rows = []

    prof = sc.Rankings(ranks)
    prof.support()  # compile
    assert np.array_equal(prof.support(), numpy_support(ranks))

    def ours_support():
        p = sc.Rankings(ranks)
        p._support_cache = None
        return p.support()

    t_np = best_time(lambda: numpy_support(ranks), repeat=3)
    t_ours = best_time(ours_support, repeat=7)
    t_construct = best_time(lambda: sc.Rankings(ranks), repeat=7)
    n_pv = min(n, 10**5)
    t_pv = best_time(lambda: pref_voting_profile(ranks[:n_pv]), repeat=1, warmup=0) * (n / n_pv)
    size = f"{n:.0e} voters x {m}"
    rows.append(row(group="pairwise support", name="Rankings(ranks).support() vs numpy",
                    size=size, seconds=t_ours, baseline="numpy chunked broadcast",
                    baseline_seconds=t_np, nbytes=ranks.nbytes, target=">= 10x"))
    rows.append(row(group="pairwise support", name="Rankings(ranks).support() vs pref_voting",
                    size=size, seconds=t_ours, baseline="pref_voting Profile(...)",
                    baseline_seconds=t_pv,
                    baseline_note=f"timed on {n_pv:.0e} voters, x{n // n_pv} linear" if n_pv < n else "",
                    nbytes=ranks.nbytes, target=">= 500x"))
    rows.append(row(group="pairwise support", name="Rankings(ranks) validation + normalisation",
                    size=size, seconds=t_construct, nbytes=ranks.nbytes))

    w = rng.random(n)
    pw = sc.Rankings(ranks, w)
    pw.support()
    t_w = best_time(lambda: sc.Rankings(ranks, w).support(), repeat=5)
    t_wnp = best_time(lambda: sum(((ranks.view(np.uint8)[lo:lo + 8192, :, None]
                                    < ranks.view(np.uint8)[lo:lo + 8192, None, :])
                                   * w[lo:lo + 8192, None, None]).sum(0)
                                  for lo in range(0, n, 8192)), repeat=1)
    rows.append(row(group="pairwise support", name="weighted support", size=size, seconds=t_w,
                    baseline="numpy chunked broadcast, weighted", baseline_seconds=t_wnp,
                    nbytes=ranks.nbytes + w.nbytes))

    trunc = ranks.copy()
    trunc[rng.random((n, m)) < 0.3] = -1
    pt = sc.Rankings(trunc)
    pt.support()
    t_t = best_time(lambda: sc.Rankings(trunc).support(), repeat=5)
    t_tnp = best_time(lambda: numpy_support(sc.Rankings(trunc).ranks), repeat=2)
    rows.append(row(group="pairwise support", name="truncated/tied ballots", size=size,
                    seconds=t_t, baseline="numpy chunked broadcast", baseline_seconds=t_tnp,
                    nbytes=ranks.nbytes))

    nb, nv = (10**4 if quick else 10**5), 101
    batch = np.argsort(rng.random((nb, nv, 5)), axis=2).astype(np.int8)
    pb = sc.Rankings(batch)
    pb.support()
    t_b = best_time(lambda: sc.Rankings(batch).support(), repeat=5)
    t_bnp = best_time(lambda: (batch.view(np.uint8)[:, :, :, None]
                               < batch.view(np.uint8)[:, :, None, :]).sum(axis=1), repeat=2)
    rows.append(row(group="pairwise support", name="batched support (items in parallel)",
                    size=f"{nb:.0e} items x {nv} voters x 5", seconds=t_b,
                    baseline="numpy broadcast", baseline_seconds=t_bnp, nbytes=batch.nbytes))
    return rows
