"""The report as one self-contained HTML page: inline CSS, figures as inline SVG, no network."""

from __future__ import annotations

import html
import json
from typing import Any

from . import _plots

__all__ = ["render_html"]

CSS = """
:root{--ink:#1d2733;--muted:#5b6673;--line:#dde3ea;--accent:#2f6690;--warn:#d1495b;
--soft:#f4f7fa}
*{box-sizing:border-box}
body{font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",
"Noto Sans CJK TC",sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1040px;margin:0 auto;padding:28px 28px 60px}
header h1{font-size:26px;margin:0 0 4px}
header p{color:var(--muted);margin:0}
h2{font-size:20px;margin:36px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 6px}
.summary{background:var(--soft);border-left:5px solid var(--accent);padding:12px 18px;
margin:18px 0 8px;border-radius:4px}
.summary h2{border:none;margin:0 0 4px;font-size:18px}
.summary ul{margin:4px 0;padding-left:20px}
.summary li{margin:3px 0}
nav{font-size:13px;color:var(--muted);margin:6px 0 0}
nav a{color:var(--accent);text-decoration:none;margin-right:12px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:13.5px;max-width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.tablewrap{overflow-x:auto}
.pill{display:inline-block;background:#e8eff6;color:var(--accent);border-radius:10px;
padding:0 8px;margin:1px 2px;font-size:12.5px}
.bad{color:var(--warn);font-weight:600}
.muted{color:var(--muted);font-size:13px}
.api{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;background:var(--soft);
padding:6px 10px;border-radius:4px;color:#36424f;margin:6px 0;white-space:pre-wrap}
figure{margin:10px 0 16px}
svg.fig{max-width:100%;height:auto;display:block;margin:0 auto}
.violation{border-left:4px solid var(--warn);padding:6px 12px;margin:8px 0;background:#fdf3f4}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
.cell-Y{color:#2e7d32;font-weight:600}.cell-N{color:var(--warn);font-weight:600}
footer{margin-top:40px;color:var(--muted);font-size:12.5px;border-top:1px solid var(--line);
padding-top:8px}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,table,.violation
{break-inside:avoid}nav{display:none}body{font-size:11pt}}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return _e(v)


def _table(head: list[str], rows: list[list[Any]], num: set[int] | None = None) -> str:
    num = num or set()
    h = "".join(f'<th class="{"num" if i in num else ""}">{_e(c)}</th>' for i, c in
                enumerate(head))
    body = "".join("<tr>" + "".join(
        f'<td class="{"num" if i in num else ""}">{c if isinstance(c, _Raw) else _fmt(c)}</td>'
        for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="tablewrap"><table><tr>{h}</tr>{body}</table></div>'


class _Raw(str):
    """Already-escaped HTML for a table cell."""


def _pills(items) -> _Raw:
    return _Raw("".join(f'<span class="pill">{_e(x)}</span>' for x in items))


def _fig(svg: str | None, caption: str = "") -> str:
    if not svg:
        return ""
    cap = f"<figcaption class='muted'>{_e(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


def _api(*lines: str) -> str:
    return '<div class="api">' + _e("\n".join(lines)) + "</div>"


def _no_plots_note(plots: bool) -> str:
    return ("" if plots else '<p class="muted">Figures are left out: matplotlib is not '
            "installed (pip install matplotlib).</p>")


# ---------------------------------------------------------------- sections
def _data(rep: dict) -> str:
    d = rep["data"]
    rows = [["file", d.get("file")], ["kind", d.get("kind")]]
    if d.get("kind") == "rankings" or d.get("weighted"):
        rows.append(["voters (total weight)", d.get("total_weight")])
    for k, lab in (("n_raters", "raters" if d.get("kind") == "ratings" else "ballot rows"),
                   ("n_alternatives", "alternatives"), ("n_items", "items"),
                   ("n_questions", "questions"), ("n_records", "records"),
                   ("missing_fraction", "share of ratings missing"),
                   ("unique_ballots", "distinct ballots")):
        if d.get(k) is not None:
            rows.append([lab, d[k]])
    if d.get("rating_levels"):
        rows.append(["rating values", ", ".join(_fmt(v) for v in d["rating_levels"])])
    if d.get("ballot_types"):
        rows.append(["ballot types (by weight)", ", ".join(
            f"{k} {_fmt(v)}" for k, v in d["ballot_types"].items())])
    if d.get("ratings_per_rater"):
        r = d["ratings_per_rater"]
        rows.append(["ratings per rater", f"min {r['min']}, median {_fmt(r['median'])}, "
                                          f"max {r['max']}"])
    out = _table(["fact", "value"], rows)
    for attr, sizes in (d.get("groups") or {}).items():
        out += f"<h3>Groups of <code>{_e(attr)}</code></h3>"
        out += _table(["group", "raters"], [[g, n] for g, n in sizes.items()], {1})
    if d.get("alternatives") and len(d["alternatives"]) <= 40:
        out += "<p>Alternatives: " + _pills(d["alternatives"]) + "</p>"
    return out


def _rules(rep: dict, plots: bool) -> str:
    r = rep["rules"]
    out = []
    batch = "win_share" in r
    head = ["winner" if not batch else "win share over items", "rules"]
    out.append(_table(head, [[_Raw(_e(g["label"])), _pills(g["rules"])]
                             for g in r["by_winner"]]))
    if r.get("condorcet_winner"):
        cm = r.get("condorcet_margins") or {}
        out.append(f"<p><b>{_e(r['condorcet_winner'])}</b> is the <b>Condorcet winner</b>: a "
                   "majority prefers them to each rival (margins: "
                   + ", ".join(f"{v:+g} over {_e(k)}" for k, v in cm.items()) + ").</p>")
    elif r.get("smith_set") is not None and not batch:
        cyc = r.get("cycle")
        out.append(f"<p>No Condorcet winner. Smith set (smallest set beating everyone "
                   f"outside): {_pills(r['smith_set'])}"
                   + (f"; a majority cycle: {_e(' → '.join(cyc))}" if cyc else "") + ".</p>")
    if r.get("margin_convention"):
        out.append(f"<p class='muted'>Margins: {_e(r['margin_convention'])}.</p>")
    if plots and not batch:
        out.append(_fig(_plots.margin_graph(r, rep["data"]["alternatives"])))
    wp = r.get("win_probability")
    if wp:
        out.append("<h3>How sure? Win probabilities when the raters are resampled</h3>")
        if plots:
            out.append(_fig(_plots.win_probability(wp)))
        rows = [[rule, a, v.get("p"), f"[{_fmt(v.get('low'))}, {_fmt(v.get('high'))}]"]
                for rule, d in wp["rules"].items() for a, v in d.items() if isinstance(v, dict)]
        out.append(_table(["rule", "alternative", "P(win)", "95% interval"], rows, {2}))
        out.append(f"<p class='muted'>{wp['n_resamples']} bootstrap resamples of the raters, "
                   f"seed {_e(wp['seed'])}; {_e(wp['interval'])}.</p>")
    if r.get("not_applicable"):
        out.append("<details><summary class='muted'>Rules not run on these data ("
                   f"{len(r['not_applicable'])})</summary>"
                   + _table(["rule", "why"], [[k, v] for k, v in r["not_applicable"].items()])
                   + "</details>")
    out.append(_api("sc.rules.names(); sc.rules.get(name)(profile).winners",
                    "sc.rules.condorcet_winner(profile); sc.rules.smith_set(profile); "
                    "profile.margins()"))
    return "".join(out)


def _axioms(rep: dict) -> str:
    a = rep["axiom_violations"]
    out = []
    if a.get("skipped"):
        return f"<p class='muted'>Skipped: {_e(a['skipped'])}.</p>"
    if a.get("note"):
        out.append(f"<p class='muted'>Axioms {_e(a['note'])}.</p>")
    if not a["violations"]:
        out.append("<p>No violation of the single-profile axioms was found in these data for "
                   "the rules checked: " + _pills(a["rules_checked"]) + ".</p>")
    seen = set()
    for v in a["violations"]:
        key = (v["rule"], v["axiom"])
        if key in seen:
            continue
        seen.add(key)
        out.append(f"<div class='violation'><b>{_e(v['headline'])}</b><br>"
                   f"<span class='muted'>{_e(v['axiom'])}: {_e(v['definition'])} "
                   f"Witness: “{_e(v['explanation'])}”</span></div>")
    if a["violations"]:
        leg = ", ".join(f"{k} = {v}" for k, v in a["legend"].items())
        out.append(f"<p class='muted'>Letters in the witnesses: {_e(leg)}. Rules checked: "
                   f"{_e(', '.join(a['rules_checked']))}.</p>")
    mx = a.get("matrix")
    if mx and "cells" in mx:
        out.append("<h3>The same rules in the compliance matrix</h3>")
        rows = [[r] + [_Raw(f"<span class='cell-{_e(c)}'>{_e(c)}</span>") for c in cells]
                for r, cells in zip(mx["rules"], mx["cells"])]
        out.append(_table(["rule"] + mx["axioms"], rows))
        out.append(f"<p class='muted'>Y = no violation in the {_e(mx['bounds'])}; N = a "
                   "minimal counterexample exists.</p>")
    out.append(_api("sc.axioms.violations(profile, rule, axioms)   # Witness objects",
                    "sc.axioms.matrix(rules, axioms, max_candidates=3, max_voters=4)"))
    return "".join(out)


def _welfare(rep: dict, plots: bool) -> str:
    w, b = rep["welfare"], rep["bargaining"]
    out = [f"<p>Agents: {_e(w['agents'])}. Utility: {_e(w['utility'])}. Disagreement point: "
           f"{_e(w['disagreement'])}.</p>"]
    rows = []
    for name, c in w["choices"].items():
        if "winners" in c:
            deg = all(v is None for v in c["values"].values()) or len(c["winners"]) == len(
                c["values"])
            rows.append([f"{name} welfare", _pills(c["winners"]) if not deg else
                         _Raw("<span class='muted'>every alternative ties (degenerate: each "
                              "one leaves some agent at their worst)</span>")])
        else:
            rows.append([f"{name} welfare", c.get("error")])
    for name, s in b["solutions"].items():
        if "lottery" in s:
            rows.append([f"{name} bargaining", ", ".join(
                f"{k} {v:.0%}" if isinstance(v, float) else f"{k} {v}"
                for k, v in s["lottery"].items())])
        else:
            rows.append([f"{name} bargaining", s.get("skipped") or s.get("error")])
    out.append(_table(["criterion", "choice (welfare) or lottery (bargaining)"], rows))
    if plots and w.get("group_utilities"):
        out.append(_fig(_plots.group_utilities(w)))
    if w.get("group_utilities"):
        groups = w["groups"]
        rows = [[s] + [vals.get(g) for g in groups] for s, vals in w["group_utilities"].items()]
        out.append(_table(["choice"] + [f"group {g}" for g in groups], rows,
                          set(range(1, len(groups) + 1))))
    pof = b.get("price_of_fairness") or {}
    if pof:
        out.append("<h3>Price of fairness</h3><p>Share of the utilitarian optimum's average "
                   "utility gain (over the disagreement point) given up by each fair choice:</p>")
        out.append(_table(["choice", "price of fairness"],
                          [[k.replace(".", " "), f"{100 * v:.1f}%" if v is not None else None]
                           for k, v in pof.items()], {1}))
    out.append(_api("U = profile.group_means('group')      # groups x alternatives",
                    "sc.welfare.nash(U, disagreement='min').values",
                    "sc.bargaining.nash(U, disagreement='min', over='lottery').lottery"))
    return "".join(out)


def _groups(rep: dict, plots: bool) -> str:
    out = []
    for attr, g in (rep.get("groups") or {}).items():
        out.append(f"<h3>Winners per group of <code>{_e(attr)}</code></h3>")
        rules_ = list(dict.fromkeys(r for gw in g["winners"].values() for r in gw))
        rows = []
        for grp, gw in g["winners"].items():
            rows.append([grp, g["sizes"].get(grp)] + [
                ", ".join(x if isinstance(x, str) else "…" for x in gw.get(r, [])) or "–"
                for r in rules_])
        out.append(_table(["group", "size"] + rules_, rows, {1}))
        if g.get("rules_where_groups_disagree"):
            out.append("<p>The groups pick different winners under: "
                       + _pills(g["rules_where_groups_disagree"]) + ".</p>")
    ag = rep.get("agreement")
    if ag and ag.get("overall"):
        out.append("<h3>Agreement (Krippendorff's alpha)</h3>")
        rows = [["everyone", ag["overall"]["alpha"], f"[{_fmt(ag['overall']['low'])}, "
                 f"{_fmt(ag['overall']['high'])}]", ag["overall"]["n_raters"]]]
        for grp, a in (ag.get("per_group") or {}).items():
            if "alpha" in a:
                rows.append([f"group {grp}", a["alpha"], f"[{_fmt(a['low'])}, {_fmt(a['high'])}]",
                             a["n_raters"]])
        out.append(_table(["raters", "alpha", "95% interval", "raters"], rows, {1, 3}))
        out.append(f"<p class='muted'>{_e(ag['method'])}; unit: {_e(ag['unit'])}. 1 = perfect "
                   "agreement, 0 = chance.</p>")
    for attr, j in (rep.get("juries") or {}).items():
        out.append(f"<h3>Juries drawn in the population's proportions of <code>{_e(attr)}"
                   "</code></h3>")
        if j.get("skipped") or j.get("error"):
            out.append(f"<p class='muted'>{_e(j.get('skipped') or j.get('error'))}</p>")
            continue
        comp = ", ".join(f"{k} {v:.0%}" for k, v in j["composition"].items())
        out.append(f"<p>{j['n_juries']} juries of {j['size']} seats ({_e(comp)}), verdict by "
                   f"{_e(j['aggregate'])}.</p>")
        rows = [[a, p] for a, p in sorted(j["win_probability"].items(), key=lambda kv: -kv[1])]
        out.append(_table(["alternative", "share of juries it wins"], rows, {1}))
        if j.get("dissent"):
            out.append(_table(["group", "dissent (share of its jurors whose own top choice "
                               "lost)"], [[k, v] for k, v in j["dissent"].items()], {1}))
        sw = j.get("sweep")
        if sw and "shares" in sw:
            fs = sw.get("flip_share")
            out.append(f"<p>Composition sweep: group <b>{_e(sw['group'])}</b>'s share of the "
                       "seats from 0 to 100%. " + (f"The verdict flips at <b>{fs:.0%}</b>."
                                                   if fs is not None else
                                                   "The verdict never flips.") + "</p>")
            if plots:
                out.append(_fig(_plots.composition_sweep(sw)))
        ge = j.get("group_effects")
        if ge and ge.get("fixed_effects"):
            out.append("<h4>Group effects</h4>")
            rows = [[k] + [v.get(c) for c in ("coef", "low", "high", "p")]
                    for k, v in ge["fixed_effects"].items()]
            out.append(_table(["term", "estimate", "95% low", "95% high", "p"], rows,
                              {1, 2, 3, 4}))
            if ge.get("note"):
                out.append(f"<p class='muted'>{_e(ge['note'])}.</p>")
            out.append(f"<p class='muted'>{_e(ge['model'])}; ICC: "
                       + ", ".join(f"{k} {_fmt(v)}" for k, v in ge["icc"].items()) + "</p>")
        elif ge and ge.get("skipped"):
            out.append(f"<p class='muted'>Group effects: {_e(ge['skipped'])}</p>")
    out.append(_api("profile.groups('group'); sc.jury.krippendorff_alpha(X, 'interval')",
                    "J = sc.jury.sample(groups, shares, n_juries=500, size=12)",
                    "v = sc.jury.verdicts(X, J, aggregate='utilitarian'); "
                    "sc.jury.dissent(X, J, groups, v)",
                    "sc.jury.composition_sweep(X, groups, group, aggregate=..., size=12)",
                    "sc.jury.group_effects(df, rating=..., group=..., rater=..., item=...)"))
    return "".join(out)


def _distributional(rep: dict, plots: bool) -> str:
    d = rep["distributional"]
    if d.get("skipped"):
        return f"<p class='muted'>Skipped: {_e(d['skipped'])}</p>"
    out = []
    rows = []
    for preset, v in d["presets"].items():
        if "value" in v:
            rows.append([preset, v["value"], "higher" if v["higher_is_better"] else "lower",
                         ", ".join(f"{g} {_fmt(s)}" for g, s in list(v["per_group"].items())[:8])])
        else:
            rows.append([preset, None, "", v.get("error")])
    out.append(_table(["score", "value", "better", "per group"], rows, {1}))
    iv = d.get("distalign_interval") or {}
    if iv.get("value") is not None:
        out.append(f"<p>distalign (mean total variation): <b>{iv['value']}</b>, "
                   f"{iv['confidence_level']:.0%} interval [{iv['low']}, {iv['high']}] "
                   f"({iv['n_resamples']} resamples of the {iv['unit']}).</p>")
    nf = d.get("noise_floor")
    if nf and nf.get("per_group"):
        out.append("<p class='muted'>Noise floor (what sampling alone gives, "
                   f"{_e(nf['metric'])}): "
                   + ", ".join(f"{g} {_fmt(v)}" for g, v in nf["per_group"].items()) + "</p>")
    if plots:
        out.append(_fig(_plots.divergence_heatmap(d.get("heatmap") or {})))
    out.append(_api("sc.divergence.pluralism.alignment(model, human, preset='opinionqa')",
                    "sc.divergence.pluralism.distributional_alignment(model, human, rng=seed)"))
    return "".join(out)


def _tradeoff(rep: dict, plots: bool) -> str:
    t = rep["tradeoff"]
    if t.get("skipped"):
        return f"<p class='muted'>Skipped: {_e(t['skipped'])}</p>"
    out = [f"<p>Objectives: {_pills(t['objectives'])} ({_e(t['direction'])}). Non-dominated "
           f"alternatives: {_pills(t['front'])}. Hypervolume {_fmt(t['hypervolume'])}.</p>"]
    if plots:
        out.append(_fig(_plots.pareto_front(t)))
    out.append(_api("sc.tradeoff.is_nondominated(F); sc.tradeoff.hypervolume(F[front], ref)"))
    return "".join(out)


SECTIONS = (
    ("data", "The data", _data, lambda r: r.get("data") and r["data"].get("kind")
     != "distributions"),
    ("rules", "Who wins, under which rule", _rules, lambda r: r.get("rules")),
    ("axioms", "Axioms violated in these data", _axioms, lambda r: r.get("axiom_violations")),
    ("welfare", "Welfare and bargaining", _welfare, lambda r: r.get("welfare")),
    ("groups", "Groups and juries", _groups,
     lambda r: r.get("groups") or r.get("juries") or r.get("agreement")),
    ("distributional", "Distributional alignment with the model", _distributional,
     lambda r: r.get("distributional")),
    ("tradeoff", "Trade-offs", _tradeoff, lambda r: r.get("tradeoff")),
)


def render_html(rep: dict, *, plots: bool | None = None) -> str:
    """The whole page."""
    if plots is None:
        plots = _plots.available()
    title = rep["meta"].get("title") or "socialchoice report"
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>{_e(title)} — socialchoice report</title><style>{CSS}</style></head>"
             "<body><main>"]
    d = rep.get("data") or {}
    sub = []
    if d.get("total_weight") is not None:
        sub.append(f"{_fmt(d['total_weight'])} voters" if d.get("kind") == "rankings"
                   else f"{_fmt(d.get('n_raters'))} raters")
    if d.get("n_alternatives"):
        sub.append(f"{d['n_alternatives']} alternatives")
    if d.get("n_items", 1) and d.get("n_items", 1) > 1:
        sub.append(f"{d['n_items']} items")
    parts.append(f"<header><h1>{_e(title)}</h1><p>{_e(' · '.join(sub))} · "
                 f"<code>{_e(d.get('file', ''))}</code></p>")
    shown = [(k, t, f) for k, t, f, cond in SECTIONS if cond(rep)]
    parts.append("<nav>" + "".join(f"<a href='#{k}'>{_e(t)}</a>" for k, t, _ in shown)
                 + "</nav></header>")
    if rep.get("summary"):
        parts.append("<section class='summary'><h2>What these data say</h2><ul>"
                     + "".join(f"<li>{_e(s)}</li>" for s in rep["summary"]) + "</ul></section>")
    parts.append(_no_plots_note(plots))
    for key, t, fn in shown:
        body = fn(rep, plots) if fn.__code__.co_argcount == 2 else fn(rep)  # type: ignore[call-arg]
        parts.append(f"<section id='{key}'><h2>{_e(t)}</h2>{body}</section>")
    meta = rep["meta"]
    parts.append(f"<footer>socialchoice {_e(meta.get('socialchoice'))} · seed "
                 f"{_e(meta.get('seed'))} · computed in {_e(meta.get('seconds'))} s · every "
                 "number on this page is in report.json</footer></main>")
    parts.append("<script type='application/json' id='report-data'>"
                 + json.dumps({"sections": [k for k, _, _ in shown]}) + "</script>")
    parts.append("</body></html>")
    return "".join(parts)
