"""Regenerate tests/rules/fixtures/condorcet.json: every rule of condorcet.py,
probabilistic.py and statistical.py on the PrefLib elections in tests/data/preflib.

Run from the repository root: ``python tests/rules/make_fixtures_condorcet.py``. Candidate ids
are PrefLib's (1..m). Exponential rules are skipped above their limits (recorded as absent).
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))

import socialchoice as sc  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "preflib")
OUT = os.path.join(HERE, "fixtures", "condorcet.json")

RULES = {
    "condorcet_winner": {}, "condorcet_loser": {}, "weak_condorcet_winners": {}, "copeland": {},
    "llull": {}, "maximin": {}, "schulze": {}, "ranked_pairs": {}, "black": {}, "smith_set": {},
    "schwartz_set": {}, "uncovered_set": {}, "essential_set": {},
    "bradley_terry": {"on_nonexistence": "components"}, "leximax_copeland": {},
}


def compute(path: str) -> dict:
    prof = sc.read_preflib(path)
    m = prof.n_candidates
    out: dict = {"n_candidates": m}
    rules = dict(RULES)
    if m <= 12:
        rules["kemeny_young"] = {}
        rules["maximal_lottery"] = {}
    if not prof.has_ties():
        rules["plackett_luce"] = {"on_nonexistence": "components"}
    for rule, kw in rules.items():
        res = sc.rules.get(rule)(prof, **kw)
        entry = {"winners": [int(c) for c in res.winners]}
        if res.lottery is not None:
            entry["lottery"] = [round(float(p), 9) for p in res.lottery]
        out[rule] = entry
    return out


def main() -> None:
    files = sorted(f for f in os.listdir(DATA) if f[-4:] in (".soc", ".soi", ".toc", ".toi"))
    result = {f: compute(os.path.join(DATA, f)) for f in files}
    with open(OUT, "w") as fh:
        json.dump(result, fh, indent=1, sort_keys=True)
        fh.write("\n")
    for f, r in result.items():
        print(f, {k: v["winners"] for k, v in r.items() if isinstance(v, dict)})


if __name__ == "__main__":
    main()
