"""Build the rules x axioms compliance matrix at the bounds of the axiom-engine issue.

Every registered rule against every profile axiom, by exhaustive search over anonymous
profiles: linear ballots with m <= 4 candidates and n <= 7 voters; weak and truncated ballots
(where the axiom is defined for them) with m <= 3 and n <= 7. One cell per (rule, axiom, ballot
domain), written to ``proofs/matrix/cells.csv`` with what the search covered, and rendered as
``proofs/matrix/README.md``. A cell is

* ``Y``: no violation among every profile of the bounds (``n_profiles`` of them);
* ``N``: a minimal witness, stored as ``proofs/witnesses/axioms/<rule>__<axiom>.json`` and
  replayed by ``tests/axioms/test_witnesses.py``;
* ``n.a.``: the axiom does not apply to the rule (input kind, ballot domain);
* ``?``: the search did not finish within ``--time-limit`` seconds (nothing established).

Every linear ``Y`` cell then gets a random search beyond the bounds (IC, IAC, Mallows and urn
profiles with up to 5 candidates and 15 voters, shrunk to a locally minimal witness): a
violation found there turns the cell into ``N`` (column ``beyond`` says where it was found), so
a ``Y`` never stands for a property the rule is known to lack (instant runoff is monotone on
every profile with n <= 7, and not with 9 voters).

Run: ``python proofs/build_matrix.py [--time-limit 300] [--rules a,b] [--axioms x,y]``
(about an hour on 2 cores for the whole matrix; cells already in cells.csv are kept unless
``--redo``).
"""

from __future__ import annotations

import argparse
import csv
import glob
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
CELLS = os.path.join(HERE, "matrix", "cells.csv")
FIELDS = ["rule", "axiom", "ballots", "max_candidates", "max_voters", "cell", "n_profiles",
          "seconds", "witness_voters", "witness_candidates", "beyond", "note"]
#: the random search beyond the exhaustive bounds, for every linear Y cell
BEYOND = {"max_candidates": 5, "max_voters": 15, "n_profiles": 300, "seed": 0}
BOUNDS = {"linear": (4, 7), "truncated": (3, 7), "weak": (3, 7)}


#: docs/axioms.md §4 row labels and column headers -> registry names
_DOC_RULES = {
    "plurality": ["plurality"], "Borda (any variant)": ["borda"], "Borda average": ["borda"],
    "anti-plurality": ["anti_plurality"], "k-approval (2≤k<m−1)": ["k_approval"],
    "k-approval": ["k_approval"], "Bucklin": ["bucklin"], "IRV": ["instant_runoff"],
    "plurality w/ runoff": ["plurality_with_runoff"], "Coombs": ["coombs"],
    "Baldwin": ["baldwin"], "Nanson strict / weak": ["strict_nanson", "weak_nanson"],
    "Copeland^α, Llull": ["copeland", "llull"], "Copeland^α": ["copeland"],
    "maximin": ["maximin"], "Schulze": ["schulze"], "ranked pairs": ["ranked_pairs"],
    "Kemeny–Young": ["kemeny_young"], "Black": ["black"], "Smith / top cycle": ["smith_set"],
    "Schwartz": ["schwartz_set"], "uncovered (Gillies)": ["uncovered_set"],
    "uncovered set": ["uncovered_set"], "random dictatorship": ["random_dictatorship"],
    "maximal lotteries": ["maximal_lottery"], "Bradley–Terry": ["bradley_terry"],
    "Plackett–Luce": ["plackett_luce"],
}
_DOC_AXIOMS = {
    "weak Pareto": "pareto_weak", "majority": "majority", "maj. loser": "majority_loser",
    "Condorcet": "condorcet_winner", "Cond. loser": "condorcet_loser", "Smith": "smith",
    "PMC (ranking)": "pmc", "monot.": "monotonicity", "particip.": "participation",
    "consist.": "reinforcement", "clones": "independence_of_clones", "ISDA": "isda",
    "IIA": "iia", "LNH": "later_no_harm", "LNHelp": "later_no_help", "homog.": "homogeneity",
    "reversal": "reversal_symmetry", "resolv.": "resolvability",
}


def docs_table() -> dict:
    """``{(rule, axiom): (verdict "Y"/"N"/"?"/"n.a.", the cell's text)}`` from the two tables
    of docs/axioms.md §4 (the expected answers, with their source keys)."""
    import re

    path = os.path.join(HERE, os.pardir, "docs", "axioms.md")
    text = open(path, encoding="utf-8").read()
    sec = text[text.index("## 4."):text.index("## 5.")]
    out = {}
    header = None
    for line in sec.splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "rule":
            header = cells[1:]
            continue
        if header is None or set(cells[0]) <= set("-"):
            continue
        for col, txt in zip(header, cells[1:]):
            ax = _DOC_AXIOMS.get(col)
            for r in _DOC_RULES.get(cells[0], []):
                if ax is None:
                    continue
                m = re.match(r"(n\.a\.|Y|N|\?)", txt)
                out[(r, ax)] = (m.group(1) if m else "", txt)
    return out


def _load() -> dict:
    """Every cell computed so far: cells.csv and the shards of parallel runs."""
    rows: dict = {}
    # cells.csv first: the shards of a later parallel run override what it recorded
    shards = sorted(glob.glob(os.path.join(os.path.dirname(CELLS), "cells.*.csv")))
    for path in [CELLS] * os.path.exists(CELLS) + shards:
        with open(path, newline="") as f:
            rows.update({(r["rule"], r["axiom"], r["ballots"]): r for r in csv.DictReader(f)})
    return rows


def _save(rows: dict, path: str = CELLS) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        for key in sorted(rows):
            w.writerow(rows[key])
    os.replace(tmp, path)


def _render(rows: dict) -> None:
    import re

    import socialchoice as sc

    docs = docs_table()
    axioms = [a for a in sc.axioms.names() if any(k[1] == a for k in rows)]
    rules = [r for r in sc.rules.names() if any(k[0] == r for k in rows)]
    lines = ["# The compliance matrix, computed by the engine", "",
             "Built by `python proofs/build_matrix.py` (see its docstring); `cells.csv` has one "
             "row per cell with what the search covered. `Y` = no violation among every "
             "anonymous profile with m <= 4 candidates and n <= 7 voters (linear ballots), and "
             "none in a random search beyond (m <= 5, n <= 15); in brackets, the same for "
             "truncated / weak ballots at m <= 3, n <= 7 where the axiom is defined for them "
             "(`-` = not applicable there). `N` = a stored minimal witness "
             "(`proofs/witnesses/axioms/<rule>__<axiom>.json`, replayed by the tests), `?` = "
             "not finished within the time limit, `n.a.` = does not apply. A `*` marks a cell "
             "that differs from the table of docs/axioms.md §4 (listed below).", "",
             "| rule | " + " | ".join(axioms) + " |", "|---|" + "---|" * len(axioms)]
    disagree, proofs = [], []
    for r in rules:
        out = []
        for a in axioms:
            row = rows.get((r, a, "linear"), {})
            lin = row.get("cell", "")
            extra = "".join({"Y": "y", "N": "n", "?": "?", "n.a.": "-"}.get(
                rows[(r, a, b)]["cell"], "") for b in ("truncated", "weak") if (r, a, b) in rows)
            want, txt = docs.get((r, a), ("", ""))
            star = ""
            if lin in ("Y", "N") and want in ("Y", "N") and want != lin:
                star = "*"
                disagree.append(f"| {r} | {a} | {lin} | {txt} | {row.get('beyond') or row.get('note', '')} |")
            if lin == "Y":
                keys = " ".join(re.findall(r"\[[A-Z0-9]+\]", txt))
                sketch = f"[sketch](../claims/axioms_matrix.md#{PROOF_SECTION[a]})"
                proofs.append(f"| {r} | {a} | {(keys + ' ') if keys else ''}{sketch} "
                              f"| {row.get('n_profiles', '')} |")
            out.append(lin + star + (f" ({extra})" if extra.strip("-") else ""))
        lines.append(f"| {r} | " + " | ".join(out) + " |")
    lines += ["", "## Cells that differ from docs/axioms.md §4", "",
              "Each is either a bound effect (a violation needs more voters or candidates than the "
              "search covers), a definitional difference (set-valued PUT winners, the ballot "
              "domain), or an error in the docs table; proofs/claims/axioms_disagreements.md "
              "explains them.", "", "| rule | axiom | engine | docs §4 | note |", "|---|---|---|---|---|",
              *disagree, "", "## Y cells: source or proof, and the profiles searched", "",
              "Source keys are those of docs/axioms.md §4.3.", "",
              "| rule | axiom | source / proof | profiles searched (linear) |", "|---|---|---|---|",
              *proofs]
    with open(os.path.join(HERE, "matrix", "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    _render_readme(rows)


#: the section of proofs/claims/axioms_matrix.md that sketches the proof of an axiom's Y cells
PROOF_SECTION = {
    **dict.fromkeys(["anonymity", "neutrality", "homogeneity"], "anonymity-neutrality-homogeneity"),
    **dict.fromkeys(["pareto_weak", "pareto_strong", "unanimity"], "pareto-unanimity"),
    **dict.fromkeys(["majority", "majority_loser", "condorcet_winner", "condorcet_loser", "smith"],
                    "majority-condorcet"),
    **dict.fromkeys(["monotonicity", "participation", "reinforcement"],
                    "monotonicity-participation-reinforcement"),
    **dict.fromkeys(["independence_of_clones", "iia", "isda"], "clones-iia-isda"),
    **dict.fromkeys(["later_no_harm", "later_no_help"], "later-no-harm-help"),
    "resolvability": "resolvability", "reversal_symmetry": "reversal-symmetry", "pmc": "pmc",
    "sd_efficiency": "probabilistic",
}

#: column heads of the README's compact table
SHORT = {"pareto_weak": "Par", "pareto_strong": "sPar", "unanimity": "Una", "majority": "Maj",
         "majority_loser": "MajL", "condorcet_winner": "CW", "condorcet_loser": "CL",
         "smith": "Smith", "pmc": "PMC", "resolvability": "Res", "monotonicity": "Mon",
         "participation": "Part", "reinforcement": "Reinf", "independence_of_clones": "Clone",
         "iia": "IIA", "isda": "ISDA", "later_no_harm": "LNHa", "later_no_help": "LNHe",
         "homogeneity": "Hom", "reversal_symmetry": "Rev", "anonymity": "Anon",
         "neutrality": "Neut", "sd_efficiency": "SD"}
README_BEGIN = "<!-- axiom-matrix:begin (written by proofs/build_matrix.py) -->"
README_END = "<!-- axiom-matrix:end -->"


def readme_table(rows: dict) -> str:
    """The compact rules x axioms table of the README (linear ballots)."""
    import socialchoice as sc

    axioms = [a for a in sc.axioms.names() if a in SHORT]
    out = ["| rule | " + " | ".join(SHORT[a] for a in axioms) + " |",
           "|---|" + ":-:|" * len(axioms)]
    for r in sc.rules.names():
        cells = [rows.get((r, a, "linear" if "linear" in sc.axioms.info(a).meta["ballots"]
                           else "truncated"), {}).get("cell", "") for a in axioms]
        out.append(f"| {r} | " + " | ".join({"n.a.": "·", "": " "}.get(c, c) for c in cells)
                   + " |")
    return "\n".join(out)


def _render_readme(rows: dict) -> None:
    path = os.path.join(os.path.dirname(HERE), "README.md")
    with open(path) as f:
        text = f.read()
    if README_BEGIN not in text or README_END not in text:
        return
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    with open(path, "w") as f:
        f.write(head + README_BEGIN + "\n" + readme_table(rows) + "\n" + README_END + tail)


def witness_path(rule: str, axiom: str, ballots: str = "linear") -> str:
    """``witnesses/axioms/<rule>__<axiom>.json`` (linear ballots) or
    ``<rule>__<axiom>__<ballots>.json``."""
    tail = "" if ballots == "linear" else f"__{ballots}"
    return os.path.join(HERE, "witnesses", "axioms", f"{rule}__{axiom}{tail}.json")


def _search_beyond(rule: str, axiom: str, time_limit: float):
    """(witness or None, what was searched) of a random search beyond the exhaustive bounds."""
    import functools

    import socialchoice as sc
    from socialchoice.axioms._api import MATRIX_MIN_CANDIDATES, MATRIX_OPTIONS
    from socialchoice.axioms._engine import min_candidates
    from socialchoice.errors import SocialChoiceError, TimeLimitError

    f = functools.partial(sc.rules.get(rule), **MATRIX_OPTIONS[rule]) if rule in MATRIX_OPTIONS \
        else rule
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rep = sc.axioms.check(f, axiom, method="random", time_limit=time_limit, **BEYOND,
                                  min_candidates=max(min_candidates(axiom),
                                                     MATRIX_MIN_CANDIDATES.get(rule, 2)))
    except TimeLimitError:
        return None, "random search: time limit"
    except SocialChoiceError as exc:
        return None, f"random search not run: {str(exc)[:80]}"
    n = rep.searched.get("n_profiles", "")
    if rep.counterexample is None:  # a random search never proves; it found nothing
        return None, f"none in {n} random profiles (m <= 5, n <= 15)"
    w = rep.counterexample
    return w, f"found: {w.profiles[0].n_ballots} voters, {w.profiles[0].n_candidates} candidates"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--rules", default=None)
    ap.add_argument("--axioms", default=None)
    ap.add_argument("--ballots", default="linear,truncated,weak")
    ap.add_argument("--redo", action="store_true")
    ap.add_argument("--render-only", action="store_true",
                    help="merge the shards into cells.csv and write README.md")
    ap.add_argument("--shard", default=None, metavar="K/N",
                    help="process only the rules with index %% N == K, into cells.K.csv "
                         "(run N processes in parallel, then --render-only)")
    args = ap.parse_args(argv)
    import socialchoice as sc

    rows = _load()
    if args.render_only:
        _save(rows)
        for path in glob.glob(os.path.join(os.path.dirname(CELLS), "cells.*.csv")):
            os.remove(path)
        _render(rows)
        return 0
    rules = args.rules.split(",") if args.rules else sc.rules.names()
    out_path = CELLS
    if args.shard:
        k, n_shards = (int(x) for x in args.shard.split("/"))
        rules = [r for i, r in enumerate(rules) if i % n_shards == k]
        out_path = CELLS.replace("cells.csv", f"cells.{k}.csv")
    mine = {key: v for key, v in rows.items() if key[0] in rules}
    axioms = args.axioms.split(",") if args.axioms else [
        a for a in sc.axioms.names() if "bargaining" not in sc.axioms.info(a).meta.get("applies", ())]
    for b in args.ballots.split(","):
        mc, mv = BOUNDS[b]
        for r in rules:
            for a in axioms:
                key = (r, a, b)
                if key in rows and not args.redo and rows[key]["cell"] != "?":
                    continue
                if b not in sc.axioms.info(a).meta["ballots"]:
                    if b == "linear":  # later-no-harm/help: truncated ballots only
                        rows[key] = mine[key] = {
                            "rule": r, "axiom": a, "ballots": b, "max_candidates": mc,
                            "max_voters": mv, "cell": "n.a.", "n_profiles": "", "seconds": "0",
                            "witness_voters": "", "witness_candidates": "", "beyond": "",
                            "note": "defined on truncated ballots: see the truncated row"}
                    continue
                t = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    df = sc.axioms.matrix([r], [a], max_candidates=mc, max_voters=mv, ballots=b,
                                          time_limit=args.time_limit)
                cell = df.iloc[0, 0]
                sec = time.perf_counter() - t
                wit = df.attrs["witnesses"].get((df.index[0], a))
                if wit is not None:
                    with open(witness_path(r, a, b), "w") as f:
                        f.write(wit.to_json())
                beyond = ""
                if cell == "Y" and b == "linear":
                    wit, beyond = _search_beyond(r, a, args.time_limit)
                    if wit is not None:
                        cell = "N"
                        with open(witness_path(r, a), "w") as f:
                            f.write(wit.to_json())
                sec = time.perf_counter() - t
                searched = df.attrs["searched"].get((df.index[0], a), {})
                rows[key] = {"rule": r, "axiom": a, "ballots": b, "max_candidates": mc,
                             "max_voters": mv, "cell": cell,
                             "n_profiles": searched.get("n_profiles", ""),
                             "seconds": f"{sec:.2f}",
                             "witness_voters": wit.profiles[0].n_ballots if wit is not None else "",
                             "witness_candidates": wit.profiles[0].n_candidates if wit is not None else "",
                             "beyond": beyond,
                             "note": df.attrs["notes"].get((df.index[0], a), "")[:200]}
                mine[key] = rows[key]
                _save(mine if args.shard else rows, out_path)
                print(f"{b:9s} {r:28s} {a:28s} {cell:4s} {sec:7.1f} s", flush=True)
    if not args.shard:
        _render(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
