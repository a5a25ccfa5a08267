"""Regenerate tests/rules/fixtures/ballots.json: every ordinal rule of positional.py, runoff.py
and lotteries.py on the PrefLib elections in tests/data/preflib.

Run from the repository root: ``python tests/rules/make_fixtures_ballots.py``. Candidate ids
are PrefLib's (1..m). Elimination rules use ``tie="put"`` when ``m <= PUT_MAX_M`` and
``tie="simultaneous"`` otherwise (recorded in the file).
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))

import socialchoice as sc  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "preflib")
OUT = os.path.join(HERE, "fixtures", "ballots.json")

POSITIONAL = {"plurality": {}, "borda": {}, "borda_pessimistic": {"tie_mode": "pessimistic"},
              "borda_optimistic": {"tie_mode": "optimistic"}, "anti_plurality": {},
              "k_approval_2": {"k": 2}, "bucklin": {}}
ELIMINATION = ("instant_runoff", "plurality_with_runoff", "coombs", "baldwin", "strict_nanson",
               "weak_nanson")


def _rule_name(key: str) -> str:
    for base in ("borda", "k_approval"):
        if key.startswith(base):
            return base
    return key


def compute(path: str) -> dict:
    prof = sc.read_preflib(path)
    m = prof.n_candidates
    out: dict = {"n_candidates": m, "total_weight": float(prof.total_weight)}
    for key, kw in POSITIONAL.items():
        res = sc.rules.get(_rule_name(key))(prof, **kw)
        out[key] = {"winners": [int(c) for c in res.winners],
                    "scores": [round(float(s), 9) for s in res.scores]}
    tie = "put" if m <= sc.rules.elimination.PUT_MAX_M else "simultaneous"
    for rule in ELIMINATION:
        kw = {} if rule in ("strict_nanson", "weak_nanson", "plurality_with_runoff") else {"tie": tie}
        res = sc.rules.get(rule)(prof, **kw)
        out[rule] = {"winners": [int(c) for c in res.winners], "tie": kw.get("tie", "none")}
    rd = sc.rules.random_dictatorship(prof)
    out["random_dictatorship"] = {"lottery": [round(float(p), 12) for p in rd.lottery]}
    if m <= sc.rules.elimination.RANDOM_ELIMINATION_MAX_M:
        p = sc.rules.win_probabilities("instant_runoff", prof, tie_break="random_elimination")
        out["irv_random_elimination"] = {"lottery": [round(float(x), 12) for x in p]}
    return out


def main() -> None:
    files = sorted(f for f in os.listdir(DATA) if f[-4:] in (".soc", ".soi", ".toc", ".toi"))
    result = {f: compute(os.path.join(DATA, f)) for f in files}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)
        fh.write("\n")
    for f, r in result.items():
        print(f, {k: v.get("winners") for k, v in r.items() if isinstance(v, dict)})


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
