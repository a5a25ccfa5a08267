"""The axioms section: the axiom violations of the ordinal rules in this very data, and the
compliance-matrix rows of the rules that violate them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import SocialChoiceError
from ._common import Labeler, _call, _is_batch, _progress

__all__ = ["section_axioms", "AXIOM_RULES"]

#: Ordinal rules whose axiom violations the report looks for in the data (when applicable).
AXIOM_RULES = ("plurality", "instant_runoff", "plurality_with_runoff", "borda", "coombs",
               "bucklin", "baldwin", "copeland", "schulze")
#: Time budget (seconds) of the axiom search and of the matrix rows, each.
AXIOM_BUDGET = 25.0
#: Most alternatives for which the exhaustive pieces (axiom search, matrix) run.
MAX_AXIOM_CANDIDATES = 12


# ---------------------------------------------------------------- axioms
def _ordinal_profile(data):
    prof = data.profile
    if data.kind == "rankings":
        return prof.unique()
    return prof.to_rankings().unique()


def _headline(w, rule: str, lab: Labeler, M: np.ndarray) -> str:
    """A sentence naming the candidates, from the witness's outcomes and the margins."""
    won = [lab.idx(i) for i in (w.outcomes[0] if w.outcomes else ())]
    rname = rule.replace("_", " ")
    if w.axiom == "condorcet_winner":
        m = M.shape[0]
        cw = [i for i in range(m) if all(M[i, j] > 0 for j in range(m) if j != i)]
        if cw and w.outcomes:
            c = cw[0]
            others = [i for i in w.outcomes[0] if i != c]
            if others:
                x = others[0]
                return (f"{rname} elects {', '.join(won)} although {lab.idx(c)} beats every "
                        f"rival head to head: {M[c, x]:+.0f} over {lab.idx(x)}")
    if w.axiom == "condorcet_loser" and won:
        return f"{rname} elects {', '.join(won)}, who loses head to head to every rival"
    if w.axiom == "smith" and won:
        return f"{rname} elects {', '.join(won)}, outside the Smith set (the top cycle)"
    if w.axiom == "pmc":
        return (f"{rname}'s ranking differs from the majority relation, although that relation "
                "is a linear order (pairwise majority consistency)")
    if w.axiom in ("majority", "majority_loser") and won:
        return f"{rname} elects {', '.join(won)}: {w.explanation}"
    return f"{rname} violates {w.axiom.replace('_', ' ')}: {w.explanation}"


def _violations(axioms, prof, rule: str, names: list[str]) -> tuple[list, str | None]:
    """``sc.axioms.violations`` over the axioms in ``names`` that apply to ``rule``.

    An axiom that does not apply (e.g. one for probabilistic rules) makes the call raise,
    naming the axiom: drop it and ask again.
    """
    names = list(names)
    while names:
        try:
            ws, _ = _call(axioms.violations, prof, rule, names)
            return ws, None
        except SocialChoiceError as exc:
            msg = " ".join(str(exc).split())
            bad = [a for a in names if f"'{a}'" in msg]
            if not bad:
                return [], msg
            names = [a for a in names if a not in bad]
    return [], None


def section_axioms(data, lab: Labeler, rules_out: dict, *, progress: bool) -> dict | None:
    from .. import axioms

    if data.kind not in ("rankings", "ratings") or _is_batch(data.profile):
        return None
    if data.profile.n_candidates > MAX_AXIOM_CANDIDATES:
        return {"skipped": f"more than {MAX_AXIOM_CANDIDATES} alternatives", "violations": []}
    prof = _ordinal_profile(data)
    M = np.asarray(prof.margins(), dtype=float)
    single = axioms.names(kind="single")
    shown = [r for r in AXIOM_RULES if r in rules_out.get("winners", {})]
    found: list[dict] = []
    skipped: list[str] = []
    t0 = time.perf_counter()
    for rule in _progress(shown, "axioms in the data", progress):
        if time.perf_counter() - t0 > AXIOM_BUDGET:
            skipped.append(rule)
            continue
        ws, err = _violations(axioms, prof, rule, list(single))
        if err is not None:
            found.append({"rule": rule, "axiom": None, "error": err})
            continue
        for w in ws:
            found.append({"rule": rule, "axiom": w.axiom,
                          "headline": _headline(w, rule, lab, M),
                          "explanation": w.explanation,
                          "winners": [lab.idx(i) for i in (w.outcomes[0] if w.outcomes else ())],
                          "definition": axioms.info(w.axiom).meta.get("definition", "")})
    letters = {chr(97 + i): lab.idx(i) for i in range(min(prof.n_candidates, 26))}
    out: dict[str, Any] = {"violations": [f for f in found if f.get("axiom")],
                           "errors": [f for f in found if not f.get("axiom")],
                           "rules_checked": [r for r in shown if r not in skipped],
                           "axioms_checked": list(single), "legend": letters,
                           "budget_skipped": skipped}
    if data.kind == "ratings":
        out["note"] = ("checked on the ratings read as rankings (equal ratings tie; a missing "
                       "rating ranks below every given one)")
    # the compliance matrix rows of the rules shown, over the axioms violated here
    vrules = sorted({f["rule"] for f in out["violations"]}, key=AXIOM_RULES.index)
    vaxioms = sorted({f["axiom"] for f in out["violations"]})
    if vrules and vaxioms:
        rows = vrules + [r for r in ("schulze", "copeland") if r not in vrules and r in shown][:1]
        try:
            df, _ = _call(axioms.matrix, rows, vaxioms, max_candidates=3, max_voters=4,
                          time_limit=AXIOM_BUDGET)
            out["matrix"] = {"rules": list(df.index), "axioms": list(df.columns),
                             "cells": [[str(v) for v in row] for row in df.to_numpy()],
                             "bounds": "exhaustive search, up to 3 candidates and 4 voters "
                                       "(sc.axioms.matrix)"}
        except SocialChoiceError as exc:
            out["matrix"] = {"error": " ".join(str(exc).split())}
    return out
