"""The numbers of every report section, as plain JSON-ready dicts, from public API calls only.

Each ``section_*`` function takes the loaded :class:`~socialchoice.report._load.Data` (and the
sections computed before it) and returns a dict, or ``None`` when the data do not support the
section. Nothing here reimplements a rule, a welfare function or a statistic: the report is a
client of ``sc.rules``, ``sc.axioms``, ``sc.welfare``, ``sc.bargaining``, ``sc.jury``,
``sc.stats``, ``sc.divergence`` and ``sc.tradeoff``. The only computations of its own are
bookkeeping: labels, the rater resampling weights fed to the rules as a batch, and the
Borda-style utilities that let welfare and bargaining run on rankings (documented in the
report where they are used).

Each section lives in its own module (``_section_*.py``; shared helpers in ``_common.py``);
this module runs them in order (:func:`compute`) and writes the summary sentences
(:func:`summarize`).
"""

from __future__ import annotations

import time
from typing import Any

from ._common import Labeler, borda_utilities
from ._section_axioms import AXIOM_RULES, section_axioms
from ._section_data import section_data
from ._section_distributional import section_distributional
from ._section_groups import section_agreement, section_groups, section_juries
from ._section_rules import HEADLINE_RULES, section_rules
from ._section_tradeoff import section_tradeoff
from ._section_welfare import section_welfare

__all__ = ["compute", "HEADLINE_RULES", "AXIOM_RULES", "borda_utilities"]


# ---------------------------------------------------------------- summary
def summarize(rep: dict) -> list[str]:
    """The "what this data says" sentences of the summary box."""
    out = []
    r = rep.get("rules") or {}
    if r.get("by_winner") and "condorcet_winner" in r:
        g = [x for x in r["by_winner"] if x["decisive"]]
        if len(g) == 1:
            out.append(f"All {len(g[0]['rules'])} decisive rules pick {g[0]['label']}.")
        elif g:
            parts = [f"{len(x['rules'])} rule{'s' if len(x['rules']) > 1 else ''} pick "
                     f"{x['label']} ({', '.join(x['rules'][:3])}{', …' if len(x['rules']) > 3 else ''})"
                     for x in g[:3]]
            out.append(f"The rules disagree: {'; '.join(parts)}.")
        if r.get("condorcet_winner"):
            cm = r.get("condorcet_margins") or {}
            weakest = next(iter(cm.items()), None)
            out.append(f"{r['condorcet_winner']} is the Condorcet winner: a majority prefers "
                       f"them to every rival" + (f" (closest: {weakest[1]:+g} over {weakest[0]})"
                                                 if weakest else "") + ".")
        elif r.get("cycle"):
            out.append("There is no Condorcet winner: the majority relation cycles ("
                       + " > ".join(r["cycle"]) + ").")
    elif r.get("by_winner"):
        out.append(f"Across items, the rules fall into {len(r['by_winner'])} groups by the "
                   "alternatives they pick.")
    ax = rep.get("axiom_violations") or {}
    if ax.get("violations"):
        v = ax["violations"][0]
        out.append(f"Axiom violation in this very data: {v['headline']}.")
    gr = rep.get("groups") or {}
    for attr, g in gr.items():
        dis = g.get("rules_where_groups_disagree")
        if dis:
            picks = {k: ", ".join(v.get(dis[0], [])) if v.get(dis[0]) and not
                     isinstance(v.get(dis[0])[0], list) else "…" for k, v in g["winners"].items()}
            out.append(f"The groups of {attr!r} disagree under {dis[0]}: "
                       + "; ".join(f"{k} → {p}" for k, p in picks.items()) + ".")
        elif g.get("winners"):
            out.append(f"Every group of {attr!r} picks the same winner under each group rule.")
    ag = rep.get("agreement") or {}
    if ag.get("overall"):
        a = ag["overall"]
        out.append(f"Agreement between raters is {_alpha_word(a['alpha'])}: Krippendorff's "
                   f"alpha {a['alpha']}" + (f" [{a['low']}, {a['high']}]"
                                            if a.get("low") is not None else "") + ".")
    b = rep.get("bargaining") or {}
    pof = b.get("price_of_fairness") or {}
    if pof:
        k, v = max(pof.items(), key=lambda kv: kv[1] or 0)
        out.append(f"Fairness costs at most {100 * (v or 0):.1f}% of the average utility gain "
                   f"({k.replace('.', ' ')}).")
    dist = rep.get("distributional") or {}
    if dist.get("distalign_interval", {}).get("value") is not None:
        d = dist["distalign_interval"]
        out.append(f"The model's answer distributions are {d['value']} (total variation, "
                   f"95% interval [{d['low']}, {d['high']}]) from the groups' on average.")
    return out


def _alpha_word(a: float | None) -> str:
    if a is None:
        return "undefined"
    return ("high" if a >= 0.8 else "moderate" if a >= 0.667 else "low" if a >= 0.2
            else "very low (close to chance)")


# ---------------------------------------------------------------- all
def compute(data, *, attributes: list[str] | None = None, model: Any = None,
            objectives: list[str] | None = None, seed: Any = 0, progress: bool = True,
            n_resamples: int = 200) -> dict:
    """Every section of the report for ``data`` (a :class:`~._load.Data`)."""
    from .. import __version__

    t0 = time.perf_counter()
    attributes = list(attributes or [])
    attr = attributes[0] if attributes else None
    rep: dict[str, Any] = {"meta": {"socialchoice": __version__, "seed": seed,
                                    "title": data.title or data.path,
                                    "attributes": attributes, "notes": list(data.notes)}}
    if data.kind == "distributions":
        rep["data"] = {"kind": "distributions", "file": data.path,
                       "n_rows": int(len(data.table)),
                       "n_questions": int(data.table["question"].nunique()),
                       "groups": {"group": {str(k): int(v) for k, v in
                                            data.table["group"].value_counts().items()}}}
        lab = Labeler(())
        for key in ("winners", "groups", "axiom_violations", "agreement", "welfare",
                    "bargaining"):
            rep[key] = None
        rep["distributional"] = section_distributional(data, model, lab, attr, seed=seed,
                                                       n_resamples=n_resamples)
        rep["tradeoff"] = None
        rep["summary"] = summarize(rep)
        rep["meta"]["seconds"] = round(time.perf_counter() - t0, 2)
        return rep
    prof = data.profile
    lab = Labeler(prof.candidates, data.labels)
    rep["data"] = section_data(data, lab)
    rules_out = section_rules(data, lab, progress=progress, seed=seed, n_resamples=n_resamples)
    rep["rules"] = rules_out
    rep["winners"] = rules_out["winners"]
    rep["axiom_violations"] = section_axioms(data, lab, rules_out, progress=progress)
    rep["welfare"], rep["bargaining"] = section_welfare(data, lab, attr, progress=progress)
    rep["groups"] = {}
    rep["juries"] = {}
    for a in attributes:
        g = section_groups(data, lab, a, progress=progress)
        if g is not None:
            rep["groups"][a] = g
        if a == attr:
            j = section_juries(data, lab, a, seed=seed, progress=progress)
            if j is not None:
                rep["juries"][a] = j
    rep["groups"] = rep["groups"] or None
    rep["juries"] = rep["juries"] or None
    rep["agreement"] = section_agreement(data, attr, seed=seed, n_resamples=n_resamples)
    rep["distributional"] = section_distributional(data, model, lab, attr, seed=seed,
                                                   n_resamples=n_resamples)
    rep["tradeoff"] = section_tradeoff(data, objectives)
    rep["summary"] = summarize(rep)
    rep["meta"]["seconds"] = round(time.perf_counter() - t0, 2)
    return rep
