"""Ballot-based rules (positional, elimination, cardinal, lotteries) against numpy and pref_voting.

Sizes (full / ``--quick``):

* plurality and Borda on one election of 10^6 / 10^5 voters x 10 candidates (int8 ranks),
  called on the raw array (validation included), on a prebuilt ``Rankings`` and through
  ``sc.Rankings(ranks)``; baselines = the best numpy *bincount* implementation (the target's
  baseline) and, separately, the fastest other numpy idiom found, all measured in the same
  run from the same int8 rank array a user holds;
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

    # numpy baselines from the same int8 rank array: the bincount idioms the target names,
    # and every other idiom we found (the fastest copies the transpose to reduce rows)
    s_borda = np.arange(m - 1, -1, -1)
    ones32 = np.ones(n, np.float32)
    np_plurality = {
        "bincount": {
            "bincount(argmin)": lambda: np.bincount(ranks.argmin(axis=1), minlength=m),
            "bincount(flatnonzero(ravel == 0) % m)":
                lambda: np.bincount(np.flatnonzero(ranks.ravel() == 0) % m, minlength=m),
            "per-column bincount": lambda: np.array([np.bincount(ranks[:, c], minlength=m)[0]
                                                     for c in range(m)]),
        },
        "other": {
            "(ranks == 0).sum(0)": lambda: (ranks == 0).sum(axis=0),
            "ones32 @ (ranks == 0).astype(f32)": lambda: ones32 @ (ranks == 0).astype(np.float32),
            "count_nonzero(ranks.T.copy() == 0, 1)":
                lambda: np.count_nonzero(np.ascontiguousarray(ranks.T) == 0, axis=1),
        },
    }
    np_borda = {
        "bincount": {
            "per-column bincount @ scores": lambda: np.array([np.bincount(ranks[:, c], minlength=m) @ s_borda
                                                              for c in range(m)]),
            "bincount(tile(arange(m)), weights)":
                lambda: np.bincount(np.tile(np.arange(m), n), weights=(m - 1 - ranks).ravel(), minlength=m),
        },
        "other": {
            "(m-1)n - ranks.sum(0, int64)": lambda: (m - 1) * n - ranks.sum(axis=0, dtype=np.int64),
            "(m-1)n - ones32 @ ranks.astype(f32)": lambda: (m - 1) * n - ones32 @ ranks.astype(np.float32),
            "(m-1)n - ranks.T.copy().sum(1)":
                lambda: (m - 1) * n - np.ascontiguousarray(ranks.T).sum(axis=1, dtype=np.int64),
        },
    }
    for rule, base in (("plurality", np_plurality), ("borda", np_borda)):
        f = R.get(rule)
        times = {fam: {k: best_time(v, repeat=7, min_total=0.5) for k, v in idioms.items()}
                 for fam, idioms in base.items()}
        best = {fam: min(t, key=t.get) for fam, t in times.items()}
        t_rule = best_time(lambda: f(prof), repeat=10, min_total=1.0)
        t_raw = best_time(lambda: f(ranks), repeat=10, min_total=1.0)
        t_e2e = best_time(lambda: f(sc.Rankings(ranks)), repeat=5)
        note = "; ".join(f"{k} {v * 1e3:.1f} ms" for t in times.values() for k, v in t.items())
        tb, to = times["bincount"][best["bincount"]], times["other"][best["other"]]
        rows.append(row(group="one election", name=f"{rule} on the int8 rank array", size=size,
                        seconds=t_raw, baseline=f"numpy bincount: {best['bincount']}", baseline_seconds=tb,
                        baseline_note="validation included; " + note, nbytes=ranks.nbytes,
                        target=">= 5x the best numpy bincount implementation"))
        rows.append(row(group="one election", name=f"{rule} on the int8 rank array (vs fastest numpy)",
                        size=size, seconds=t_raw, baseline=f"numpy: {best['other']}", baseline_seconds=to,
                        baseline_note="fastest non-bincount idiom found; unvalidated", nbytes=ranks.nbytes))
        rows.append(row(group="one election", name=f"{rule} (Rankings built once)", size=size,
                        seconds=t_rule, baseline=f"numpy bincount: {best['bincount']}", baseline_seconds=tb,
                        nbytes=ranks.nbytes))
        rows.append(row(group="one election", name=f"{rule} incl. sc.Rankings(ranks)", size=size,
                        seconds=t_e2e, baseline=f"numpy bincount: {best['bincount']}", baseline_seconds=tb,
                        baseline_note="ours includes validation + a copy of the levels",
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
                                              tie_break="random_elimination"), repeat=2)
    rows.append(row(group="batch", name="win_probabilities irv random_elimination", size=bsize,
                    seconds=t, nbytes=branks.nbytes, extra={"elections_per_second": B / t}))
    return rows
