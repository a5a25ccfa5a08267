"""Ballot-based rules (positional, elimination, cardinal, lotteries) against numpy and pref_voting.

Sizes (full / ``--quick``):

* plurality and Borda on one election of 10^6 / 10^5 voters x 10 candidates (int8 ranks),
  baseline = the best numpy implementation measured in the same run (the minimum over several
  idioms, all starting from the same int8 rank array a user holds);
* instant runoff on 10^6 / 10^5 voters x 10 candidates, baseline = pref_voting
  (``Profile`` construction + ``instant_runoff``) on 10^5 / 10^4 voters, extrapolated linearly;
* a batch of 10^5 / 10^4 elections x 101 voters x 5 candidates for every rule of these modules,
  reported as elections per second; baseline = a pref_voting loop over 1,000 / 100 elections
  (``Profile`` construction included), extrapolated linearly, for the rules with targets.
"""

from __future__ import annotations

import time

import numpy as np
from _harness import best_time, row
from _harness import linear_ranks as _linear_ranks
from _harness import pref_voting_loop as _pv_loop

import socialchoice as sc


def run(quick: bool) -> list[dict]:
    from pref_voting.iterative_methods import instant_runoff as pv_irv
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda as pv_borda
    from pref_voting.scoring_methods import plurality as pv_plurality

    rng = np.random.default_rng(0)
    rows: list[dict] = []
    R = sc.rules

    # ---------------------------------------------------------------- one large election
    n, m = (10**5 if quick else 10**6), 10
    ranks = _linear_ranks(rng, (n,), m)
    prof = sc.Rankings(ranks)
    size = f"{n:.0e} voters x {m} candidates"

    np_plurality = {
        "bincount(argmin)": lambda: np.bincount(ranks.argmin(axis=1), minlength=m),
        "(ranks == 0).sum(0)": lambda: (ranks == 0).sum(axis=0),
    }
    np_borda = {
        "(m-1)n - ranks.sum(0, int64)": lambda: (m - 1) * n - ranks.sum(axis=0, dtype=np.int64),
        "(m-1-ranks).sum(0)": lambda: (m - 1 - ranks.astype(np.int64)).sum(axis=0),
    }
    for rule, base in (("plurality", np_plurality), ("borda", np_borda)):
        f = R.get(rule)
        times = {k: best_time(v, repeat=10, min_total=1.0) for k, v in base.items()}
        best = min(times, key=times.get)
        t_rule = best_time(lambda: f(prof), repeat=10, min_total=1.0)
        t_e2e = best_time(lambda: f(sc.Rankings(ranks)), repeat=5)
        note = f"best numpy idiom: {best} (" + ", ".join(
            f"{k} {v * 1e3:.1f} ms" for k, v in times.items()) + ")"
        rows.append(row(group="one election", name=f"{rule} (Rankings built once)", size=size,
                        seconds=t_rule, baseline="numpy", baseline_seconds=times[best],
                        baseline_note=note, nbytes=ranks.nbytes, target=">= 5x numpy"))
        rows.append(row(group="one election", name=f"{rule} incl. sc.Rankings(ranks)", size=size,
                        seconds=t_e2e, baseline="numpy", baseline_seconds=times[best],
                        baseline_note=note + "; ours includes validation + level normalisation",
                        nbytes=ranks.nbytes))

    t_irv = best_time(lambda: R.instant_runoff(prof), repeat=3)
    n_pv = n // 10
    orders = np.argsort(ranks[:n_pv], axis=1)
    t0 = time.perf_counter()
    pv_irv(Profile(orders))
    t_pv = (time.perf_counter() - t0) * (n / n_pv)
    rows.append(row(group="one election", name="instant_runoff (tie='put')", size=size,
                    seconds=t_irv, baseline="pref_voting", baseline_seconds=t_pv,
                    baseline_note=f"Profile + instant_runoff on {n_pv:.0e} voters, x{n // n_pv} "
                                  "linear extrapolation",
                    nbytes=ranks.nbytes, target=">= 500x pref_voting"))
    t_irv_e2e = best_time(lambda: R.instant_runoff(sc.Rankings(ranks)), repeat=3)
    rows.append(row(group="one election", name="instant_runoff incl. sc.Rankings(ranks)",
                    size=size, seconds=t_irv_e2e, baseline="pref_voting", baseline_seconds=t_pv,
                    baseline_note="as above", nbytes=ranks.nbytes))

    # ---------------------------------------------------------------- batches of elections
    B, nb, mb = (10**4 if quick else 10**5), 101, 5
    k_pv = 100 if quick else 1000
    branks = _linear_ranks(rng, (B, nb), mb)
    bprof = sc.Rankings(branks)
    grades = rng.integers(0, 6, size=(B, nb, mb)).astype(np.float64)
    bratings = sc.Ratings(grades)
    bsize = f"{B:.0e} elections x {nb} voters x {mb} candidates"
    border = np.argsort(branks[:k_pv], axis=-1)
    pv_base = {
        "plurality": (pv_plurality, None),
        "borda": (pv_borda, ">= 1000x pref_voting"),
        "instant_runoff": (pv_irv, ">= 300x pref_voting"),
    }
    batch_rules = [
        ("plurality", {}, bprof), ("borda", {}, bprof), ("anti_plurality", {}, bprof),
        ("k_approval", {"k": 2}, bprof), ("scoring", {"score": [4, 2, 1, 0, 0]}, bprof),
        ("bucklin", {}, bprof), ("instant_runoff", {}, bprof),
        ("instant_runoff", {"tie": "simultaneous"}, bprof),
        ("plurality_with_runoff", {}, bprof), ("coombs", {}, bprof), ("baldwin", {}, bprof),
        ("strict_nanson", {}, bprof), ("weak_nanson", {}, bprof),
        ("random_dictatorship", {}, bprof),
        ("utilitarian", {}, bratings), ("approval", {"threshold": 3}, bratings),
        ("majority_judgment", {}, bratings), ("quantile", {"q": 0.25}, bratings),
    ]
    for rule, kw, p in batch_rules:
        f = R.get(rule)
        t = best_time(lambda: f(p, **kw), repeat=2)
        label = rule + ("" if not kw else " " + ",".join(f"{a}={b}" for a, b in kw.items()
                                                           if not isinstance(b, list)))
        base = pv_base.get(rule) if not kw else None
        extra = {"elections_per_second": B / t}
        data = p.ranks if isinstance(p, sc.Rankings) else p.values
        if base is not None:
            t_pv = _pv_loop(base[0], border, k_pv) * (B / k_pv)
            rows.append(row(group="batch", name=label, size=bsize, seconds=t,
                            baseline="pref_voting", baseline_seconds=t_pv,
                            baseline_note=f"loop over {k_pv} elections incl. Profile "
                                          f"construction, x{B // k_pv} linear extrapolation",
                            nbytes=data.nbytes, target=base[1] or "", extra=extra))
        else:
            rows.append(row(group="batch", name=label, size=bsize, seconds=t, nbytes=data.nbytes,
                            extra=extra))
    t = best_time(lambda: R.win_probabilities("instant_runoff", bprof,
                                              tiebreak="random_elimination"), repeat=2)
    rows.append(row(group="batch", name="win_probabilities irv random_elimination", size=bsize,
                    seconds=t, nbytes=branks.nbytes, extra={"elections_per_second": B / t}))
    return rows
