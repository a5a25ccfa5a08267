"""Pairwise, probabilistic and statistical rules against pref_voting.

Sizes (full / ``--quick``):

* Copeland, Schulze and ranked pairs on one election of 10^6 / 10^5 voters x 10 candidates,
  timed as a user calls them: from an int8 rank array to winners (``Rankings`` construction,
  support matrix, rule). Baseline = pref_voting (``Profile`` construction + rule) on 10^5 /
  10^4 voters, extrapolated linearly to the full size. The support computation is reported as
  its own row, since it dominates our time;
* a batch of 10^5 / 10^4 elections x 101 voters x 5 candidates for every rule of these modules,
  as elections per second; baseline = a pref_voting loop over 1,000 / 100 elections
  (``Profile`` construction included), extrapolated linearly, where pref_voting has the rule.
"""

from __future__ import annotations

import time

import numpy as np
from _harness import best_time, row
from _harness import linear_ranks as _linear_ranks
from _harness import pref_voting_loop as _pv_loop

import socialchoice as sc


def run(quick: bool) -> list[dict]:
    from pref_voting.c1_methods import copeland as pv_copeland
    from pref_voting.c1_methods import gocha, top_cycle, uc_gill
    from pref_voting.margin_based_methods import beat_path, minimax
    from pref_voting.margin_based_methods import ranked_pairs as pv_rp
    from pref_voting.other_methods import kemeny_young as pv_kemeny
    from pref_voting.probabilistic_methods import maximal_lottery as pv_ml
    from pref_voting.profiles import Profile

    rng = np.random.default_rng(0)
    rows: list[dict] = []
    R = sc.rules

    # ---------------------------------------------------------------- one large election
    n, m = (10**5 if quick else 10**6), 10
    n_pv = n // 10
    ranks = _linear_ranks(rng, (n,), m)
    orders = np.argsort(ranks, axis=-1)
    t_support = best_time(lambda: sc.Rankings(ranks).support(), repeat=3)
    rows.append(row(group="pairwise: one election", name="Rankings(ranks).support()",
                    size=f"{n} voters x {m}", seconds=t_support, nbytes=ranks.nbytes,
                    target="dominates the rule times below"))
    t_prof = time.perf_counter()
    prof_pv = Profile(orders[:n_pv].tolist())
    t_prof = time.perf_counter() - t_prof
    for name, ours, theirs in (("copeland", R.copeland, pv_copeland),
                               ("schulze", R.schulze, beat_path),
                               ("ranked_pairs", R.ranked_pairs, pv_rp)):
        t = best_time(lambda: ours(sc.Rankings(ranks)).winner_mask, repeat=3)
        t0 = time.perf_counter()
        theirs(prof_pv)
        t_pv = (t_prof + time.perf_counter() - t0) * (n / n_pv)
        rows.append(row(group="pairwise: one election", name=name, size=f"{n} voters x {m}",
                        seconds=t, baseline="pref_voting Profile + rule", baseline_seconds=t_pv,
                        baseline_note=f"measured on {n_pv} voters, extrapolated x{n // n_pv}",
                        nbytes=ranks.nbytes, target=">= 500x pref_voting"))

    # ---------------------------------------------------------------- batch of elections
    b, nv, mb = (10**4 if quick else 10**5), 101, 5
    k_pv = 100 if quick else 1000
    batch = _linear_ranks(rng, (b, nv), mb)
    b_orders = np.argsort(batch, axis=-1)
    pv_map = {"copeland": pv_copeland, "schulze": beat_path, "maximin": minimax,
              "ranked_pairs": pv_rp, "kemeny_young": pv_kemeny, "smith_set": top_cycle,
              "schwartz_set": gocha, "uncovered_set": uc_gill, "maximal_lottery": pv_ml}
    targets = {"copeland": ">= 1000x pref_voting", "schulze": ">= 1000x pref_voting"}
    rules = ["condorcet_winner", "condorcet_loser", "weak_condorcet_winners", "copeland", "llull",
             "maximin", "schulze", "ranked_pairs", "kemeny_young", "black", "smith_set",
             "schwartz_set", "uncovered_set", "maximal_lottery", "essential_set",
             "bradley_terry", "plackett_luce", "leximax_copeland"]
    for name in rules:
        f = R.get(name)
        t = best_time(lambda: f(sc.Rankings(batch)).winner_mask, repeat=5)
        base = None
        note = ""
        if name in pv_map:
            base = _pv_loop(pv_map[name], b_orders, k_pv) * (b / k_pv)
            note = f"loop over {k_pv} elections incl. Profile(), extrapolated x{b // k_pv}"
        rows.append(row(group="pairwise: batch", name=name,
                        size=f"{b} elections x {nv} voters x {mb}", seconds=t,
                        baseline="pref_voting loop" if base else None, baseline_seconds=base,
                        baseline_note=note, nbytes=batch.nbytes, target=targets.get(name, ""),
                        extra={"elections_per_second": b / t}))
    # the rule on a validated Rankings (support computed in the timed call, not cached)
    t_build = best_time(lambda: sc.Rankings(batch), repeat=2)
    rows.append(row(group="pairwise: batch", name="Rankings(batch) construction",
                    size=f"{b} elections x {nv} voters x {mb}", seconds=t_build,
                    nbytes=batch.nbytes, extra={"elections_per_second": b / t_build}))
    for name in ("copeland", "schulze"):
        f = R.get(name)
        # a fresh Rankings per call: the support matrix is computed in every timed call
        fresh = [sc.Rankings(batch) for _ in range(4)]
        t = best_time(lambda: f(fresh.pop()).winner_mask, repeat=3)
        base = _pv_loop(pv_map[name], b_orders, k_pv) * (b / k_pv)
        rows.append(row(group="pairwise: batch", name=f"{name} (on a validated Rankings)",
                        size=f"{b} elections x {nv} voters x {mb}", seconds=t,
                        baseline="pref_voting loop", baseline_seconds=base,
                        baseline_note=f"loop over {k_pv} elections incl. Profile(), "
                                      f"extrapolated x{b // k_pv}",
                        nbytes=batch.nbytes, target=">= 1000x pref_voting",
                        extra={"elections_per_second": b / t}))
    rows += _maximal_lottery_rows(rng, pv_ml)
    return rows


def _odd_tournament(rng, m: int, n: int = 101) -> sc.Pairwise:
    """n voters' (odd) support on every pair: a unique maximal lottery with a large support."""
    u = rng.integers(0, n + 1, size=(m, m))
    s = np.triu(u, 1) + np.triu(n - u, 1).T
    return sc.Pairwise(s.astype(float), total_weight=n)


def _maximal_lottery_rows(rng, pv_ml) -> list[dict]:
    """Maximal lottery on one election of m = 10, 30, 60 candidates (no Condorcet winner, support
    of many candidates): ours vs scipy ``linprog`` (HiGHS) called directly on the margin game vs
    pref_voting's ``maximal_lottery`` (its LP on a MarginGraph), all measured in this run."""
    from pref_voting.weighted_majority_graphs import MarginGraph
    from scipy.optimize import linprog

    rows = []
    for m in (10, 30, 60):
        pw = _odd_tournament(rng, m)
        mm = pw.margins()
        graph = MarginGraph(list(range(m)), [(x, y, float(mm[x, y])) for x in range(m)
                                              for y in range(m) if mm[x, y] > 0])

        def direct():
            c = np.zeros(m + 1)
            c[-1] = -1.0
            a_ub = np.hstack([-mm.T, np.ones((m, 1))])
            a_eq = np.ones((1, m + 1))
            a_eq[0, -1] = 0.0
            return linprog(c, A_ub=a_ub, b_ub=np.zeros(m), A_eq=a_eq, b_eq=[1.0],
                           bounds=[(0, None)] * m + [(None, None)], method="highs").x

        t = best_time(lambda: sc.rules.maximal_lottery(pw).lottery, repeat=5)
        t_lp = best_time(direct, repeat=5)
        t_pv = best_time(lambda: pv_ml(graph), repeat=5)
        support = int((sc.rules.maximal_lottery(pw).lottery > 0).sum())
        for base, tb in (("scipy linprog (HiGHS) on the margin game", t_lp),
                         ("pref_voting maximal_lottery (MarginGraph)", t_pv)):
            rows.append(row(group="maximal lottery: one election", name="maximal_lottery",
                            size=f"m={m}, support {support}", seconds=t, baseline=base,
                            baseline_seconds=tb, baseline_note="same run",
                            target="polynomial in m (was 2^m supports)"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run(quick=True):
        print(r["name"], r["size"], f"{r['seconds']:.4f}", r.get("speedup"))
