"""Axiom engine: exhaustive sweeps of anonymous profiles against pref_voting's axiom checkers.

Baselines (measured in the same run): ``pref_voting`` 1.18.2 ``monotonicity.has_violation``
(violation_type="Lift") with ``instant_runoff_put`` and ``condorcet_winner.has_violation`` with
``beat_path`` (Schulze), timed per profile on a random sample of the same space (every
multiset of 4-candidate linear ballots with 1..7 voters, 2,629,574 profiles) and extrapolated
linearly to the whole space. Ours: ``sc.axioms.check(..., max_candidates=4, max_voters=7)`` on
the whole space (the exhaustive search also covers m = 2, 3). Also rate(): share of 10^5 IC
profiles of 101 voters on which Borda misses the Condorcet winner.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
from _harness import best_time, row

import socialchoice as sc

SPACE = 2_629_574  # anonymous 4-candidate linear profiles with 1..7 voters (docs/axioms.md §6.1)


def _sample_profiles(k, seed=0):
    rng = np.random.default_rng(seed)
    perms = list(itertools.permutations(range(4)))
    out = []
    for _ in range(k):
        n = int(rng.choice(np.arange(1, 8), p=np.array([24, 300, 2600, 17550, 98280, 475020,
                                                        2035800]) / SPACE))
        out.append([list(perms[i]) for i in sorted(rng.integers(0, 24, n))])
    return out


def _pv_seconds_per_profile(kind, sample):
    from pref_voting.dominance_axioms import condorcet_winner
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.monotonicity_axioms import monotonicity
    from pref_voting.voting_methods import instant_runoff_put
    from pref_voting.profiles import Profile

    profs = [Profile(p) for p in sample]
    t = time.perf_counter()
    for P in profs:
        if kind == "irv":
            monotonicity.has_violation(P, instant_runoff_put, violation_type="Lift")
        else:
            condorcet_winner.has_violation(P, beat_path)
    return (time.perf_counter() - t) / len(profs)


def run(quick: bool) -> list[dict]:
    rows = []
    n_sample = 30 if quick else 200
    sample = _sample_profiles(n_sample)
    # IRV monotonicity, m <= 4, n <= 7, every one-position lift of every winner
    sc.axioms.check("instant_runoff", "monotonicity", max_candidates=3, max_voters=3)  # JIT
    t = time.perf_counter()
    rep = sc.axioms.check("instant_runoff", "monotonicity", max_candidates=4, max_voters=7)
    ours = time.perf_counter() - t
    pv = _pv_seconds_per_profile("irv", sample) * SPACE
    rows.append(row(group="axioms", name="irv_monotonicity_exhaustive", size="m<=4, n<=7",
                    seconds=ours, baseline="pref_voting monotonicity.has_violation",
                    baseline_seconds=pv,
                    baseline_note=f"{n_sample} sampled profiles, extrapolated to {SPACE:,}",
                    target="<= 5 s, >= 700x",
                    extra={"holds": rep.holds, "n_profiles": rep.searched["n_profiles"],
                           "n_transformations": rep.searched["n_transformations"],
                           "profiles_per_s": rep.searched["n_profiles"] / ours}))
    # Schulze Condorcet winner criterion
    sc.axioms.check("schulze", "condorcet_winner", max_candidates=3, max_voters=3)
    ours = best_time(lambda: sc.axioms.check("schulze", "condorcet_winner", max_candidates=4,
                                             max_voters=7), repeat=1 if quick else 3)
    rep = sc.axioms.check("schulze", "condorcet_winner", max_candidates=4, max_voters=7)
    pv = _pv_seconds_per_profile("schulze", sample) * SPACE
    rows.append(row(group="axioms", name="schulze_condorcet_exhaustive", size="m<=4, n<=7",
                    seconds=ours, baseline="pref_voting condorcet_winner.has_violation",
                    baseline_seconds=pv,
                    baseline_note=f"{n_sample} sampled profiles, extrapolated to {SPACE:,}",
                    target=">= 1000x (floor 300x)",
                    extra={"holds": rep.holds, "profiles_per_s": rep.searched["n_profiles"] / ours}))
    # rate(): Borda Condorcet efficiency under IC
    k = 10_000 if quick else 100_000
    t = time.perf_counter()
    r = sc.axioms.rate("borda", "condorcet_winner", n_voters=101, n_candidates=3,
                       n_profiles=k, seed=0)
    ours = time.perf_counter() - t
    rows.append(row(group="axioms", name="rate_borda_condorcet_ic", size=f"{k} x 101 x 3",
                    seconds=ours, extra={"estimate": r.estimate, "low": r.low, "high": r.high,
                                         "elections_per_s": k / ours}))
    return rows


if __name__ == "__main__":
    import sys

    for r in run("--quick" in sys.argv):
        print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()})
