"""socialchoice report: report.json recomputed by direct API calls, bad input, every data set.

The report must be a client of the public API: the key numbers of ``report.json`` (winners
per rule, per-group winners, Krippendorff's alpha, welfare values) are recomputed here with
direct calls on the same data and compared.
"""

from __future__ import annotations

import json
import os
import stat
import warnings

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc
from socialchoice import cli
from socialchoice.report import compute, load

warnings.filterwarnings("ignore", category=UserWarning)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys, tmp_path, data, *extra, name="rep"):
    out = tmp_path / name
    code, stdout, err = run(capsys, "report", data, "--out", out, "--resamples", 40, *extra)
    assert code == 0, err
    with open(out / "report.json", encoding="utf-8") as fh:
        rep = json.load(fh)
    return rep, out, stdout


# ------------------------------------------------------------------ small fixtures
@pytest.fixture
def ratings_csv(tmp_path):
    """12 raters in two groups rating 4 alternatives (some missing), a clear group split."""
    rng = np.random.default_rng(3)
    rows = []
    for r in range(12):
        grp = "a" if r < 6 else "b"
        base = [3, 1, 2, 0] if grp == "a" else [0, 2, 1, 3]
        for j, alt in enumerate("wxyz"):
            if (r + j) % 5 == 4:
                continue  # missing
            rows.append((f"r{r}", grp, alt, base[j] + int(rng.integers(0, 2)),
                         float(rng.normal())))
    df = pd.DataFrame(rows, columns=["rater", "group", "alternative", "rating", "cost"])
    path = tmp_path / "ratings.csv"
    df.to_csv(path, index=False)
    return path


def labels_of(prof, names=None):
    names = names or {}
    return [str(names.get(c, c)) for c in prof.candidates]


# ------------------------------------------------------------------ recompute
def test_burlington_numbers_match_the_api(capsys, tmp_path, shared_data):
    path = os.path.join(shared_data, "preflib", "00005-00000002.toi")
    rep, out, stdout = report(capsys, tmp_path, path)
    prof = sc.read_preflib(path)
    names = labels_of(prof, prof.metadata["alternative_names"])
    for name in ("plurality", "instant_runoff", "borda", "schulze", "copeland",
                 "kemeny_young", "maximal_lottery"):
        res = sc.rules.get(name)(prof)
        assert rep["winners"][name] == [names[i] for i in np.flatnonzero(res.winner_mask)], name
    assert rep["winners"]["instant_runoff"] == ["Bob Kiss"]
    assert rep["rules"]["condorcet_winner"] == "Andy Montroll"
    np.testing.assert_allclose(np.array(rep["rules"]["margins"], float), prof.margins())
    # the violation the issue asks for, with its witness explanation
    heads = [v["headline"] for v in rep["axiom_violations"]["violations"]
             if v["rule"] == "instant_runoff" and v["axiom"] == "condorcet_winner"]
    assert heads == ["instant runoff elects Bob Kiss although Andy Montroll beats every rival "
                     "head to head: +590 over Bob Kiss"]
    ws = sc.axioms.violations(prof.unique(), "instant_runoff", ["condorcet_winner"])
    assert [w.axiom for w in ws] == ["condorcet_winner"]
    # bargaining: the Nash lottery over the voters' Borda utilities, recomputed
    from socialchoice.report._compute import borda_utilities

    u = prof.unique()
    res = sc.bargaining.nash(borda_utilities(u), weights=u.weights_or_ones(), disagreement="min",
                             over="lottery")
    got = rep["bargaining"]["solutions"]["nash"]["lottery"]
    for i, p in enumerate(np.asarray(res.lottery)):
        assert got.get(names[i], 0.0) == pytest.approx(p, abs=1e-4)
    assert set(rep) >= {"winners", "groups", "axiom_violations", "agreement", "welfare",
                        "bargaining", "distributional", "tradeoff"}
    assert "Andy Montroll" in stdout and (out / "index.html").exists()
    assert (out / "summary.md").read_text().startswith("# ")


def test_ratings_groups_alpha_welfare_match_the_api(capsys, tmp_path, ratings_csv):
    rep, out, _ = report(capsys, tmp_path, ratings_csv, "--attribute", "group")
    prof = sc.read_csv(ratings_csv, attributes=["group"])
    for name, wins in rep["winners"].items():
        res = sc.rules.get(name)(prof)
        assert wins == [prof.candidates[i] for i in np.flatnonzero(res.winner_mask)], name
    # per-group winners
    for g, sub in prof.groups("group").items():
        got = rep["groups"]["group"]["winners"][str(g)]
        for rule in ("borda", "schulze", "utilitarian"):
            res = sc.rules.get(rule)(sub)
            assert got[rule] == [sub.candidates[i] for i in np.flatnonzero(res.winner_mask)]
    assert rep["groups"]["group"]["winners"]["a"]["utilitarian"] == ["w"]
    assert rep["groups"]["group"]["winners"]["b"]["utilitarian"] == ["z"]
    # Krippendorff's alpha overall and per group (raters x units = alternatives)
    X = np.asarray(prof.values)
    assert rep["agreement"]["overall"]["alpha"] == pytest.approx(
        sc.jury.krippendorff_alpha(X, "interval").alpha, abs=1e-4)
    ga = np.asarray(prof.rater_attributes["group"])
    assert rep["agreement"]["per_group"]["a"]["alpha"] == pytest.approx(
        sc.jury.krippendorff_alpha(X[ga == "a"], "interval").alpha, abs=1e-4)
    # welfare over the groups' mean ratings, disagreement at each group's worst
    U = np.asarray(prof.group_means("group").values)
    for name in ("utilitarian", "nash", "egalitarian"):
        res = sc.welfare.get(name)(U, disagreement="min")
        got = rep["welfare"]["choices"][name]["values"]
        for j, c in enumerate(prof.candidates):
            want = np.asarray(res.values)[j]
            assert (got[c] is None and not np.isfinite(want)) or got[c] == pytest.approx(
                want, abs=1e-5), (name, c)
    # juries: win probabilities sum to one, both groups' dissent reported
    j = rep["juries"]["group"]
    assert sum(j["win_probability"].values()) == pytest.approx(1.0, abs=1e-3)
    assert set(j["dissent"]) == {"a", "b"}
    assert 0.0 <= j["sweep"]["flip_share"] <= 1.0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Groups and juries" in html and "What these data say" in html
    import re

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # self-contained
    assert "<link" not in html and "@import" not in html


def test_seed_makes_the_report_reproducible(tmp_path, ratings_csv):
    d = load(str(ratings_csv), attributes=["group"])
    a = compute(d, attributes=["group"], seed=5, progress=False, n_resamples=30)
    b = compute(d, attributes=["group"], seed=5, progress=False, n_resamples=30)
    a["meta"].pop("seconds"), b["meta"].pop("seconds")
    for r in (a, b):
        r["rules"].pop("seconds")
    assert json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                    default=str)


# ------------------------------------------------------------------ every shared data set
def _hs_brexit(shared_data, tmp_path):
    df = pd.read_csv(os.path.join(shared_data, "hs_brexit", "hs_brexit_annotations.csv"))
    items = sorted(df.item_id.unique())[:8]
    long = df[df.item_id.isin(items)].rename(columns={"annotator_id": "rater",
                                                       "item_id": "alternative",
                                                       "hate_speech": "rating",
                                                       "annotator_group": "group"})
    p = tmp_path / "hs.csv"
    long[["rater", "group", "alternative", "rating"]].to_csv(p, index=False)
    return p, ["--attribute", "group"]


def _dices(shared_data, tmp_path):
    """DICES per-item counts as weighted single-choice ballots, one election per item."""
    df = pd.read_csv(os.path.join(shared_data, "dices", "dices350_item_votes.csv")).head(6)
    rows = []
    for r in df.itertuples():
        for lab, n in (("unsafe", r.n_yes_unsafe), ("safe", r.n_no_safe),
                       ("unsure", r.n_unsure)):
            for alt in ("unsafe", "safe", "unsure"):
                rows.append((r.item_id, lab, alt, 0 if alt == lab else -1, n))
    p = tmp_path / "dices.csv"
    pd.DataFrame(rows, columns=["item", "rater", "alternative", "rank", "weight"]).to_csv(
        p, index=False)
    return p, ["--weight", "weight"]


def _polis(shared_data, tmp_path):
    pv = pd.read_csv(os.path.join(shared_data, "polis", "vtaiwan.uberx",
                                  "participants-votes.csv"))
    pv = pv[pv["group-id"].notna()].head(150)
    cols = ["8", "16", "5", "20", "53"]
    long = pv.melt(id_vars=["participant", "group-id"], value_vars=cols,
                   var_name="alternative", value_name="rating").dropna()
    long = long.rename(columns={"participant": "rater", "group-id": "group"})
    p = tmp_path / "polis.csv"
    long.to_csv(p, index=False)
    return p, ["--attribute", "group"]


def _pairwise(shared_data, tmp_path):
    rng = np.random.default_rng(0)
    a = rng.choice(["x", "y", "z"], 60)
    b = np.where(a == "x", "y", np.where(a == "y", "z", "x"))
    p = tmp_path / "pairs.csv"
    pd.DataFrame({"a": a, "b": b, "outcome": rng.integers(0, 2, 60),
                  "group": rng.choice(["g1", "g2"], 60)}).to_csv(p, index=False)
    return p, ["--attribute", "group"]


PREFLIB = ["00001-00000002.soi", "00006-00000001.toc", "00007-00000019.soi",
           "00008-00000009.soi", "00009-00000002.soc", "00012-00000001.soc",
           "00014-00000001.soc", "00032-00000004.toi"]


@pytest.mark.parametrize("name", PREFLIB)
def test_every_preflib_file(capsys, tmp_path, shared_data, name):
    path = os.path.join(shared_data, "preflib", name)
    rep, out, _ = report(capsys, tmp_path, path, "--format", "json")
    prof = sc.read_preflib(path)
    res = sc.rules.schulze(prof)
    names = labels_of(prof, prof.metadata.get("alternative_names"))
    assert rep["winners"]["schulze"] == [names[i] for i in np.flatnonzero(res.winner_mask)]
    assert sorted(os.listdir(out)) == ["report.json"]


@pytest.mark.parametrize("maker", [_hs_brexit, _dices, _polis, _pairwise])
def test_every_table(capsys, tmp_path, shared_data, maker):
    path, extra = maker(shared_data, tmp_path)
    rep, out, _ = report(capsys, tmp_path, path, *extra)
    assert rep["winners"] and (out / "index.html").stat().st_size > 1000
    if maker is _dices:  # six items: per-item winners are each item's plurality label
        df = pd.read_csv(os.path.join(shared_data, "dices", "dices350_item_votes.csv")).head(6)
        top = df[["n_yes_unsafe", "n_no_safe", "n_unsure"]].to_numpy().argmax(1)
        lab = np.array(["unsafe", "safe", "unsure"])[top]
        assert [w[0] for w in rep["winners"]["plurality"]] == lab.tolist()
    if maker is _pairwise:
        assert set(rep["groups"]["group"]["winners"]) == {"g1", "g2"}


def test_globalopinionqa_with_a_model(capsys, tmp_path, shared_data):
    """GlobalOpinionQA per-country distributions as the human side, a flat model."""
    src = pd.read_csv(os.path.join(shared_data, "opinions", "globalopinionqa_subset.csv"))
    keep = src[src.country.isin(["Germany", "Japan", "Brazil"])]
    keep = keep[keep.question_id.isin(keep.question_id.unique()[:15])]
    human = tmp_path / "human.csv"
    keep.to_csv(human, index=False)
    q = keep.drop_duplicates("question_id")
    model = pd.DataFrame({"question": q.question_id,
                          "distribution": [json.dumps([1 / n] * n) for n in q.n_options]})
    mpath = tmp_path / "model.csv"
    model.to_csv(mpath, index=False)
    rep, out, _ = report(capsys, tmp_path, human, "--model", mpath, "--attribute", "country")
    d = rep["distributional"]
    hum = pd.DataFrame({"question": keep.question_id.astype(str), "group": keep.country,
                        "distribution": [np.array(json.loads(x)) for x in keep.distribution]})
    mod = pd.DataFrame({"question": q.question_id.astype(str),
                        "distribution": [np.full(n, 1 / n) for n in q.n_options]})
    want = sc.divergence.pluralism.alignment(mod, hum, preset="globalopinionqa")
    assert d["presets"]["globalopinionqa"]["value"] == pytest.approx(want.value, abs=1e-4)
    assert "Distributional alignment" in (out / "index.html").read_text(encoding="utf-8")


def test_objectives_section(capsys, tmp_path, ratings_csv):
    from socialchoice.report._section_tradeoff import tradeoff_available

    rep, out, _ = report(capsys, tmp_path, ratings_csv, "--objectives", "rating,cost")
    t = rep["tradeoff"]
    if not tradeoff_available():
        assert "skipped" in t
    else:
        import socialchoice.tradeoff as tr

        df = pd.read_csv(ratings_csv).groupby("alternative")[["rating", "cost"]].mean()
        F = df.to_numpy()
        nd = tr.is_nondominated(F)
        assert t["front"] == [a for a, k in zip(df.index, nd) if k]
        ref = np.array(t["reference"])
        assert t["hypervolume"] == pytest.approx(tr.hypervolume(F[nd], ref).value, rel=1e-4)


# ------------------------------------------------------------------ bad input
def one_line_error(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


def test_malformed_csv_names_file_and_line(capsys, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("rater,alternative,rating\nr1,x,4\nr1,y,lots\n")
    err = one_line_error(capsys, "report", p, "--out", tmp_path / "o")
    assert str(p) in err and "line 3" in err and "not a number" in err
    assert not (tmp_path / "o").exists()


def test_malformed_preflib(capsys, tmp_path):
    p = tmp_path / "bad.soc"
    p.write_text("# FILE NAME: x\n# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n"
                 "# NUMBER VOTERS: 1\n# NUMBER UNIQUE ORDERS: 1\n"
                 "# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n1: 1,7\n")
    err = one_line_error(capsys, "report", p, "--out", tmp_path / "o")
    assert str(p) in err and "line" in err


def test_unknown_column(capsys, tmp_path, ratings_csv):
    err = one_line_error(capsys, "report", ratings_csv, "--attribute", "nope", "--out",
                         tmp_path / "o")
    assert str(ratings_csv) in err and "'nope'" in err and "no such column" in err


def test_no_usable_data(capsys, tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("rater,alternative,rating\nr1,x,\nr2,y,\n")
    err = one_line_error(capsys, "report", p, "--out", tmp_path / "o")
    assert str(p) in err and ("no usable data" in err or "entirely missing" in err)
    p.write_text("")
    err = one_line_error(capsys, "report", p, "--out", tmp_path / "o")
    assert str(p) in err and "empty" in err


def test_unwritable_out(capsys, tmp_path, ratings_csv):
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root writes into read-only directories
        if not os.path.isdir("/proc"):
            pytest.skip("running as root without /proc: no unwritable directory to use")
        err = one_line_error(capsys, "report", ratings_csv, "--out", "/proc/sc-report-test")
        assert "--out /proc/sc-report-test" in err and "cannot" in err
        return
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        err = one_line_error(capsys, "report", ratings_csv, "--out", ro / "rep")
        assert "permission denied" in err
    finally:
        ro.chmod(stat.S_IRWXU)


def test_out_is_a_file_or_a_foreign_directory(capsys, tmp_path, ratings_csv):
    f = tmp_path / "file"
    f.write_text("x")
    err = one_line_error(capsys, "report", ratings_csv, "--out", f)
    assert "is a file" in err
    d = tmp_path / "mine"
    d.mkdir()
    (d / "thesis.tex").write_text("precious")
    err = one_line_error(capsys, "report", ratings_csv, "--out", d)
    assert "other files" in err and (d / "thesis.tex").read_text() == "precious"
    missing = tmp_path / "no" / "such" / "dir"
    err = one_line_error(capsys, "report", ratings_csv, "--out", missing)
    assert "does not exist" in err


def test_nothing_half_written(tmp_path, ratings_csv, monkeypatch):
    """A failure while writing leaves neither the directory nor a partial sibling."""
    from socialchoice.report import _write

    d = load(str(ratings_csv))
    rep = compute(d, progress=False, n_resamples=20)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("socialchoice.report._html.render_html", boom)
    with pytest.raises(RuntimeError):
        _write.write_report(rep, str(tmp_path / "out"))
    assert os.listdir(tmp_path) == ["ratings.csv"]


def test_missing_file(capsys, tmp_path):
    err = one_line_error(capsys, "report", tmp_path / "nope.csv")
    assert "no such file" in err and "nope.csv" in err
