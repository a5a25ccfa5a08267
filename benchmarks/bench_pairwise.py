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

    # ---- from orders (how pref_voting users hold their data): best-first candidate indices
    orders = np.argsort(ranks, axis=1).astype(np.int8)
    assert np.array_equal(sc.Rankings.from_orders(orders).ranks, ranks)
    t_fo = best_time(lambda: sc.Rankings.from_orders(orders), repeat=7)
    t_argsort = best_time(lambda: np.argsort(orders, axis=1).astype(np.int8), repeat=3)
    rows.append(row(group="from orders", name="Rankings.from_orders(orders) vs Rankings(ranks)",
                    size=size, seconds=t_fo, baseline="sc.Rankings(ranks) (same ballots as levels)",
                    baseline_seconds=t_construct, nbytes=orders.nbytes,
                    target="within 2x of the ranks path (ratio >= 0.5)"))
    rows.append(row(group="from orders", name="Rankings.from_orders(orders) vs numpy",
                    size=size, seconds=t_fo, baseline="numpy argsort(orders) (no validation)",
                    baseline_seconds=t_argsort, nbytes=orders.nbytes))
    for rule in ("copeland", "schulze"):
        f = sc.rules.get(rule)
        f(sc.Rankings.from_orders(orders))  # compile
        t_rule_o = best_time(lambda f=f: f(sc.Rankings.from_orders(orders)), repeat=5)
        t_rule_r = best_time(lambda f=f: f(sc.Rankings(ranks)), repeat=5)

        def pv_rule(rule=rule):
            import pref_voting.c1_methods as c1
            import pref_voting.margin_based_methods as mb

            prof = pref_voting_profile(ranks[:n_pv])
            return (c1.copeland if rule == "copeland" else mb.beat_path)(prof)

        t_pv_rule = best_time(pv_rule, repeat=1, warmup=0) * (n / n_pv)
        rows.append(row(group="from orders", name=f"{rule} from orders vs pref_voting", size=size,
                        seconds=t_rule_o, baseline="pref_voting Profile(orders) + rule",
                        baseline_seconds=t_pv_rule,
                        baseline_note=f"timed on {n_pv:.0e} voters, x{n // n_pv} linear" if n_pv < n else "",
                        nbytes=orders.nbytes, target=">= 500x"))
        rows.append(row(group="from orders", name=f"{rule}: from orders vs from ranks", size=size,
                        seconds=t_rule_o, baseline=f"sc.rules.{rule}(sc.Rankings(ranks))",
                        baseline_seconds=t_rule_r, nbytes=orders.nbytes,
                        target="within 2x (ratio >= 0.5)"))

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
