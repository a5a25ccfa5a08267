"""Command line: info/demo output, exit codes, one-line errors, extensibility."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from socialchoice import cli
from socialchoice._summary import (
    condorcet_winner,
    majority_cycle,
    smith_set,
    weak_condorcet_winners,
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Condorcet winner and Smith set of each shared PrefLib file (tests/data/README.md §1, which
# cross-checked them with pref_voting 1.18.2)
TABLE = {
    "00001-00000002.soi": (5, [5]), "00005-00000002.toi": (2, [2]),
    "00006-00000001.toc": (30, [30]), "00007-00000019.soi": (None, [1, 2, 4]),
    "00008-00000009.soi": (None, [3, 4, 6]), "00009-00000002.soc": (7, [7]),
    "00012-00000001.soc": (None, [1, 6, 10]), "00014-00000001.soc": (7, [7]),
    "00032-00000004.toi": (None, [1, 2, 3, 4, 7, 8]),
}


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo(capsys, tmp_path):
    code, out, err = run(capsys, "demo", "--out", str(tmp_path / "demo"))
    assert code == 0 and err == ""
    # the reports on both embedded data sets, and where they are
    for sub in ("", "burlington-2009", "vtaiwan-uberx"):
        page = tmp_path / "demo" / sub / "index.html"
        assert page.exists() and str(page) in out
    rep = json.loads((tmp_path / "demo" / "vtaiwan-uberx" / "report.json").read_text())
    assert set(rep["groups"]["group"]["winners"]) == {"0", "1"}
    assert "## What these data say" in out
    assert "Voters: 8980 (384 unique ballots)" in out
    assert "Condorcet winner: 2 (Andy Montroll)" in out
    assert "+590 over 1" in out and "+6554 over 6" in out
    assert "tied 6 " in out
    assert "Andy Montroll (id 2) is the Condorcet winner" in out
    assert "Instant runoff elects Bob Kiss (id 1)" in out
    # the rule table is computed by sc.rules, one line per rule
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.startswith("  ") and "[" in ln}
    assert "Bob Kiss (id 1)" in lines["instant_runoff"]
    assert "Kurt Wright (id 5)" in lines["plurality"]
    for rule in ("copeland", "schulze", "ranked_pairs", "smith_set", "bradley_terry"):
        assert "Andy Montroll (id 2)" in lines[rule], rule
    assert "Andy Montroll (id 2) 1.00" in lines["maximal_lottery"]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_info_condorcet_and_smith(capsys, shared_data, name):
    path = os.path.join(shared_data, "preflib", name)
    code, out, err = run(capsys, "info", path, "--json")
    assert code == 0 and err == ""
    facts = json.loads(out)
    cw, smith = TABLE[name]
    assert facts["majority"]["condorcet_winner"] == cw
    assert facts["majority"]["smith_set"] == smith


def test_info_text_glasgow_cycle(capsys, shared_data):
    code, out, _ = run(capsys, "info", os.path.join(shared_data, "preflib",
                                                    "00008-00000009.soi"))
    assert code == 0
    assert "Title: 2007 Scotland Govan Ward" in out
    assert "Voters: 9560 (2306 unique ballots)" in out
    assert "No Condorcet winner." in out
    assert "Smith set: {3, 4, 6} (Stephen Dornan, John Flanagan, Allison Hunter)" in out
    assert "Majority cycle: 3 beats 4 by +602, 4 beats 6 by +86, 6 beats 3 by +21" in out
    assert "Margin matrix" in out


def test_info_weak_condorcet(capsys, shared_data):
    code, out, _ = run(capsys, "info", os.path.join(shared_data, "preflib", "00007-00000019.soi"),
                       "--no-margins")
    assert code == 0
    assert "Weak Condorcet winners: 4 (Candidate 4)" in out
    assert "Margin matrix" not in out


def test_info_csv_ratings(capsys, tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("rater,alternative,rating,group\n"
                 "a,x,3,t\na,y,1,t\nb,x,2,c\nb,y,,c\nc,y,5,c\nc,x,4,c\n")
    code, out, err = run(capsys, "info", str(p), "--attribute", "group")
    assert code == 0, err
    assert "Raters: 3" in out
    assert "Ratings: 5 of 6 cells present (missing 16.7%)" in out
    assert "Missing by alternative: x 0.0%, y 33.3%" in out
    assert "Rater attribute 'group': c 2, t 1" in out
    # b did not rate y: among raters who rated both, x and y tie 1-1 (a vs c) ...
    assert "No Condorcet winner." in out and "pairs=both_rated" in out
    # ... while counting b's missing y below x makes x the Condorcet winner 2-1
    code, out, err = run(capsys, "info", str(p), "--pairs", "missing_below")
    assert code == 0, err
    assert "Condorcet winner: x" in out and "pairs=missing_below" in out


def test_info_ratings_pairs_convention(capsys, tmp_path):
    """Raters who skip y do not count as preferring x to y (both_rated, the default): here x
    beats y 1-0 among the raters who rated both, but 3-1 if missing ratings count below."""
    p = tmp_path / "r.csv"
    p.write_text("rater,alternative,rating\n"
                 "a,x,5\na,y,1\nb,y,5\nc,x,3\nd,x,2\ne,y,2\nf,y,4\n")
    # oracle by hand: pairs both rated: only a (x > y) -> M[x, y] = +1
    code, out, err = run(capsys, "info", str(p))
    assert code == 0, err
    assert "pairs=both_rated" in out and "counting only raters who rated both" in out
    assert "Condorcet winner: x" in out and "+1 over y" in out
    # missing below: x over y for a, c, d (3); y over x for b, e, f (3) -> a tie
    code, out, err = run(capsys, "info", str(p), "--pairs", "missing_below")
    assert code == 0, err
    assert "pairs=missing_below" in out and "No Condorcet winner." in out
    code, out, _ = run(capsys, "info", str(p), "--json")
    facts = json.loads(out)
    assert facts["pairs"] == "both_rated" and facts["margins"] == [[0, 1], [-1, 0]]
    # --pairs on rankings input is an error, not ignored
    q = tmp_path / "k.soc"
    q.write_text("# NUMBER ALTERNATIVES: 2\n1: 1,2\n")
    code, _, err = run(capsys, "info", str(q), "--pairs", "both_rated")
    assert code == 2 and "--pairs applies to ratings" in err


def test_internal_errors_are_one_line(capsys, monkeypatch, tmp_path):
    def boom(args):
        raise IndexError("index 7 is out of bounds\nfor axis 0")

    monkeypatch.setitem(cli.COMMANDS, "info", (cli.COMMANDS["info"][0], boom))
    code, out, err = run(capsys, "info", "x.soc")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "internal error: IndexError" in err and "Traceback" not in err


def test_info_csv_items(capsys, tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("item,rater,alternative,rating\n"
                 "q1,a,x,1\nq1,a,y,0\nq1,b,x,1\nq1,b,y,0\n"
                 "q2,a,x,0\nq2,a,y,1\nq2,b,x,1\nq2,b,y,0\n")
    code, out, _ = run(capsys, "info", str(p))
    assert code == 0
    assert "Raters: 2, items: 2" in out
    assert "Items with a Condorcet winner: 1 of 2" in out
    assert "Condorcet winners: x in 1" in out


def test_errors_are_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "info", str(tmp_path / "missing.soc"))
    assert code == 2 and out == ""
    assert err.strip() == f"socialchoice: error: no such file: {tmp_path / 'missing.soc'}"
    bad = tmp_path / "bad.soi"
    bad.write_text("# NUMBER ALTERNATIVES: 3\n2: 1,2\n1: 1,{2,3\n")
    code, out, err = run(capsys, "info", str(bad))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "line 3" in err and "never closed" in err and "Traceback" not in err
    badcsv = tmp_path / "bad.csv"
    badcsv.write_text("rater,alternative,rating\na,x,1\na,y,high\n")
    code, _, err = run(capsys, "info", str(badcsv))
    assert code == 2 and "'rating'" in err and "line 3" in err
    other = tmp_path / "notes.md"
    other.write_text("hello\n")
    code, _, err = run(capsys, "info", str(other))
    assert code == 2 and "--format" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "info", str(tmp_path))
    assert code == 2 and "is a directory; pass a file" in err
    assert len(err.strip().splitlines()) == 1


def test_info_no_strict(capsys, tmp_path):
    p = tmp_path / "h.soi"
    p.write_text("# NUMBER VOTERS: 9\n# NUMBER ALTERNATIVES: 2\n2: 1,2\n1: 2\n")
    code, _, err = run(capsys, "info", str(p))
    assert code == 2 and "NUMBER VOTERS is 9" in err and "line 1" in err
    code, out, _ = run(capsys, "info", str(p), "--no-strict")
    assert code == 0 and "Voters: 3 (2 unique ballots)" in out and "Condorcet winner: 1" in out


def test_bad_arguments(capsys):
    for argv, fragment in [([], "no command given"), (["frobnicate"], "invalid choice"),
                           (["info"], "required"), (["info", "x.soc", "--format", "xml"],
                                                    "invalid choice")]:
        code, out, err = run(capsys, *argv)
        assert code == 2, argv
        assert fragment in err and len(err.strip().splitlines()) == 1 and out == ""


def test_help(capsys):
    for argv in (["--help"], ["info", "--help"], ["demo", "--help"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "usage: socialchoice" in out
    _, out, _ = run(capsys, "info", "--help")
    assert "--pairs {both_rated,missing_below}" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("socialchoice ")


def test_register_command(capsys):
    def add(p):
        p.add_argument("--n", type=int, default=1)

    def handler(args):
        """Say hello n times."""
        print("hello " * args.n)
        return 3

    cli.register_command("hello", add, handler)
    try:
        code, out, _ = run(capsys, "hello", "--n", "2")
        assert code == 3 and out.strip() == "hello hello"
        _, out, _ = run(capsys, "--help")
        assert "Say hello n times." in out
    finally:
        del cli.COMMANDS["hello"]


def test_python_dash_m(tmp_path):
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, "-m", "socialchoice", "demo", "--no-report"],
                         capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "Condorcet winner: 2 (Andy Montroll)" in res.stdout
    res = subprocess.run([sys.executable, "-m", "socialchoice", "info", "nope.toi"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip() == "socialchoice: error: no such file: nope.toi"


# ----------------------------------------------------------------- the summary helper
def test_summary_helpers_by_hand():
    import numpy as np

    # three-cycle a>b>c>a (docs/rules.md §9)
    M = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    assert smith_set(M) == [0, 1, 2] and condorcet_winner(M) is None
    assert sorted(majority_cycle(M, [0, 1, 2])) == [0, 1, 2]
    assert weak_condorcet_winners(M) == []
    # PS example: M[a,b] = 0, M[b,c] = 2, M[c,a] = 2 -> Smith {a,b,c}, weak CW {b}
    M = np.array([[0, 0, -2], [0, 0, 2], [2, -2, 0]])
    assert smith_set(M) == [0, 1, 2] and weak_condorcet_winners(M) == [1]
    assert condorcet_winner(M) is None and majority_cycle(M, [0, 1, 2]) is None
    # Condorcet winner c, and a dominated pair
    M = np.array([[0, 3, -1], [-3, 0, -1], [1, 1, 0]])
    assert condorcet_winner(M) == 2 and smith_set(M) == [2]


def test_summary_smith_against_pref_voting():
    pv = pytest.importorskip("pref_voting")
    from pref_voting.c1_methods import top_cycle
    from pref_voting.weighted_majority_graphs import MarginGraph
    import numpy as np

    rng = np.random.default_rng(7)
    for _ in range(40):
        m = int(rng.integers(2, 6))
        A = rng.integers(-2, 3, size=(m, m))
        M = np.triu(A, 1)
        M = M - M.T
        edges = [(i, j, int(M[i, j])) for i in range(m) for j in range(m) if M[i, j] > 0]
        mg = MarginGraph(list(range(m)), edges)
        assert smith_set(M) == sorted(top_cycle(mg))
    del pv


def test_axioms_subcommand_prints_a_minimal_witness(capsys):
    code, out, err = run(capsys, "axioms", "--rule", "plurality", "--axiom", "condorcet_loser",
                         "--max-voters", "3", "--max-candidates", "3")
    assert "plurality violates condorcet_loser with 3 voters and 3 candidates" in out, out + err


def test_axioms_subcommand_unknown_rule_is_one_line(capsys):
    code, out, err = run(capsys, "axioms", "--rule", "no_such_rule")
    assert code == 2 and "no_such_rule" in err and "Traceback" not in err
