"""The terminal summary of the report, in markdown."""

from __future__ import annotations

from typing import Any

__all__ = ["render_markdown"]


def _f(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def render_markdown(rep: dict, *, width: int = 100) -> str:
    """A short markdown summary: the summary box, winners by rule, violations, groups."""
    meta, d = rep["meta"], rep.get("data") or {}
    out = [f"# {meta.get('title') or 'socialchoice report'}", ""]
    facts = []
    if d.get("kind") == "rankings":
        facts.append(f"{_f(d.get('total_weight'))} voters ({d.get('unique_ballots') or d.get('n_raters')} "
                     "distinct ballots)")
    elif d.get("n_raters") is not None:
        facts.append(f"{d['n_raters']} raters")
    if d.get("n_alternatives"):
        facts.append(f"{d['n_alternatives']} alternatives")
    if d.get("n_items", 1) and d.get("n_items", 1) > 1:
        facts.append(f"{d['n_items']} items")
    for attr, sizes in (d.get("groups") or {}).items():
        facts.append(f"groups of {attr}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    if facts:
        out += ["*" + "; ".join(facts) + "*", ""]
    if rep.get("summary"):
        out += ["## What these data say", ""] + [f"- {s}" for s in rep["summary"]] + [""]
    r = rep.get("rules")
    if r:
        out += ["## Winners by rule", "", "| winner | rules |", "|---|---|"]
        for g in r["by_winner"]:
            out.append(f"| {g['label']} | {', '.join(g['rules'])} |")
        out.append("")
    a = rep.get("axiom_violations") or {}
    if a.get("violations"):
        out += ["## Axioms violated in these data", ""]
        seen = set()
        for v in a["violations"]:
            if (v["rule"], v["axiom"]) not in seen:
                seen.add((v["rule"], v["axiom"]))
                out.append(f"- {v['headline']} ({v['axiom']})")
        out.append("")
    for attr, g in (rep.get("groups") or {}).items():
        out += [f"## Winners per group of {attr}", ""]
        rules_ = list(dict.fromkeys(x for gw in g["winners"].values() for x in gw))[:5]
        out += ["| group | " + " | ".join(rules_) + " |", "|---" * (len(rules_) + 1) + "|"]
        for grp, gw in g["winners"].items():
            cells = [", ".join(x if isinstance(x, str) else "..." for x in gw.get(rr, []))
                     for rr in rules_]
            out.append(f"| {grp} | " + " | ".join(cells) + " |")
        out.append("")
    b = rep.get("bargaining")
    if b and b.get("solutions"):
        out += ["## Bargaining lotteries", ""]
        for name, s in b["solutions"].items():
            if "lottery" in s:
                out.append(f"- {name}: " + ", ".join(f"{k} {v:.0%}" for k, v in s["lottery"].items()))
        out.append("")
    return "\n".join(out)
