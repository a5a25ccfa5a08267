"""Distributional-pluralism metrics (docs/divergences.md §4): OpinionQA, GlobalOpinionQA, distalign,
steerability, Overton coverage; coverage warnings, ranking only groups with enough questions,
non-substantive options, the question-cluster bootstrap (against a naive loop and a
simulation with a known sampling distribution); end to end on the GlobalOpinionQA subset."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

import socialchoice as sc
from socialchoice.errors import ConventionWarning, CoverageWarning, DistributionError, ValidationError

B = sc.divergence.pluralism
P1 = [0.1, 0.2, 0.4, 0.2, 0.1]
Q1 = [0.3, 0.3, 0.2, 0.1, 0.1]


def tab(rows, cols=("question", "group", "distribution")):
    return pd.DataFrame(rows, columns=list(cols))


def test_d1_presets():
    h = tab([("q", "all", Q1)])
    m = pd.DataFrame({"question": ["q"], "distribution": [P1]})
    s = B.question_scores(m, h, preset="opinionqa", drop_options=None)
    assert s.score[0] == pytest.approx(0.85, abs=1e-12)
    g = B.question_scores(m, h, preset="globalopinionqa")
    assert g.score[0] == pytest.approx(0.714039161475, abs=1e-12)
    ge = B.alignment(m, h, preset="globalopinionqa", base=np.e)
    assert ge.value == pytest.approx(0.761921985275, abs=1e-12) and ge.base == np.e
    assert B.alignment(m, h, preset="distalign").value == pytest.approx(0.3)
    r = B.alignment(P1, Q1, preset="opinionqa")
    assert r.value == pytest.approx(0.85) and r.higher_is_better
    r = B.alignment(P1, Q1, metric="kl")
    assert r.value == pytest.approx(0.224934057848) and not r.higher_is_better


def test_opinionqa_refusal_and_positions():
    # options: 3 ordinal + Refused; refusal mass kept out of the metric and reported
    h = pd.DataFrame({"question": ["q"], "group": ["g"], "distribution": [[0.2, 0.3, 0.3, 0.2]],
                      "options": [("a", "b", "c", "Refused")], "values": [(1, 2, 4, 0)]})
    m = pd.DataFrame({"question": ["q"], "distribution": [[0.5, 0.25, 0.25, 0.0]]})
    s = B.question_scores(m, h, preset="opinionqa", drop_options=["Refused"])
    hp = np.array([0.2, 0.3, 0.3]) / 0.8
    mp = np.array([0.5, 0.25, 0.25])
    x = np.array([1.0, 2, 4])
    want = 1 - wasserstein_distance(x, x, mp, hp) / 3
    assert s.score[0] == pytest.approx(want, abs=1e-12)
    assert s.refusal_human[0] == pytest.approx(0.2) and s.refusal_model[0] == 0.0
    with pytest.raises(ValidationError, match="options"):
        B.question_scores(m, h.drop(columns="options"), drop_options=["Refused"])


def test_representativeness_unweighted_question_mean_and_closest_group():
    h = tab([("q1", "a", [0.8, 0.2]), ("q2", "a", [0.5, 0.5]), ("q1", "b", [0.2, 0.8])])
    m = pd.DataFrame({"question": ["q1", "q2"], "distribution": [[0.7, 0.3], [0.1, 0.9]]})
    rep = B.representativeness(m, h, preset="opinionqa", drop_options=None, min_questions=1,
                               rng=0)
    got = dict(zip(rep.group, rep.score))
    assert got["a"] == pytest.approx(((1 - 0.1) + (1 - 0.4)) / 2)
    assert got["b"] == pytest.approx(1 - 0.5)
    assert dict(zip(rep.group, rep.n_questions)) == {"a": 2, "b": 1}
    assert np.isnan(rep.set_index("group").loc["b", "low"])  # one question: no interval
    g, _ = B.closest_group(m, h, drop_options=None, min_questions=1, rng=0)
    assert g == "a"
    # for a lower-is-better metric the ordering flips accordingly
    g2, t2 = B.closest_group(m, h, preset="distalign", min_questions=1, rng=0)
    assert g2 == "a" and t2.score.iloc[0] <= t2.score.iloc[1]


def test_human_baseline():
    h = tab([("q", "Overall", [0.2, 0.3, 0.5]), ("q", "a", [0.2, 0.3, 0.5]),
             ("q", "b", [0.5, 0.3, 0.2])])
    t, mean, worst = B.human_baseline(h, drop_options=None)
    assert mean == pytest.approx((1 + 0.7) / 2) and worst == pytest.approx(0.7)
    with pytest.raises(ValidationError, match="Overall"):
        B.human_baseline(h[h.group != "Overall"])


def test_steerability_per_group_vs_per_question():
    h = tab([("q1", "a", [1.0, 0.0]), ("q2", "a", [1.0, 0.0])])
    default = pd.DataFrame({"question": ["q1", "q2"], "distribution": [[0.5, 0.5]] * 2})
    steered = pd.DataFrame({
        "question": ["q1", "q2", "q1", "q2"], "group": ["a"] * 4,
        "context": ["bio", "bio", "qa", "qa"],
        "distribution": [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]})
    pg = B.steerability(default, steered, h, drop_options=None)
    # each context averages 0.5; the default scores 0.5 too
    assert pg.steered[0] == pytest.approx(0.5) and pg.gain[0] == pytest.approx(0.0)
    pq = B.steerability(default, steered, h, steer_max="per_question", drop_options=None)
    assert pq.steered[0] == pytest.approx(1.0)  # optimistic: best context per question
    with pytest.raises(ValidationError, match="steer_max"):
        B.steerability(default, steered, h, steer_max="max")


def test_steering_effect_gain_and_specificity():
    h = tab([("q", "a", [0.8, 0.2]), ("q", "b", [0.2, 0.8]), ("q", "c", [0.5, 0.5])])
    default = pd.DataFrame({"question": ["q"], "distribution": [[0.5, 0.5]]})
    steered = tab([("q", "a", [0.8, 0.2]), ("q", "b", [0.5, 0.5])])
    t, per_q = B.steering_effect(default, steered, h)
    t = t.set_index("group")
    assert t.loc["a", "gain"] == pytest.approx(0.3)
    assert t.loc["a", "specificity"] == pytest.approx((0.6 + 0.3) / 2 - 0)
    assert t.loc["b", "gain"] == pytest.approx(0.0)
    assert t.loc["b", "specificity"] == pytest.approx((0.3 + 0.0) / 2 - 0.3)


def test_overton_coverage():
    J = np.array([[0.9, 0.2, np.nan], [1.0, 1.0, 0.0]])
    r = B.overton_coverage(J, threshold=0.5)
    np.testing.assert_allclose(r.per_item, [0.5, 2 / 3])
    assert r.value == pytest.approx((0.5 + 2 / 3) / 2)
    assert B.overton_coverage(J, threshold=0.5, reduce="micro").value == pytest.approx(3 / 5)
    with pytest.warns(DeprecationWarning, match="reduce"):
        assert B.overton_coverage(J, threshold=0.5, aggregate="micro").value == pytest.approx(0.6)
    rw = B.overton_coverage(J, weights=[3, 1, 1])
    np.testing.assert_allclose(rw.per_item, [(2.7 + 0.2) / 4, 4 / 5])
    rp = B.overton_coverage(J, claims_in_window=[2, 0], claims_total=[4, 0])
    assert rp.precision[0] == 0.5 and np.isnan(rp.precision[1])  # no claims: undefined
    with pytest.raises(ValidationError, match="empty Overton window"):
        B.overton_coverage([[np.nan, np.nan]])
    with pytest.raises(ValidationError, match=r"\[0, 1\]"):
        B.overton_coverage([[1.5]])


def test_distributional_alignment_bootstrap():
    h = tab([(f"q{i}", g, d) for i in range(20) for g, d in (("a", [0.8, 0.2]), ("b", [0.3, 0.7]))])
    m = pd.DataFrame({"question": [f"q{i}" for i in range(20)], "distribution": [[0.5, 0.5]] * 20})
    out = B.distributional_alignment(m, h, rng=0, method="verbalized")
    assert out.value == pytest.approx((0.3 + 0.2) / 2)
    assert out.half_width > 0 and out.method == "verbalized"
    assert out.per_group.n_questions.tolist() == [20, 20]
    with pytest.warns(DeprecationWarning, match="attribute access"):
        assert out["value"] == out.value


def test_table_errors():
    h = tab([("q", "a", [0.5, 0.5])])
    with pytest.raises(DistributionError, match="same options"):
        B.question_scores(pd.DataFrame({"question": ["q"], "distribution": [[1, 0, 0]]}), h,
                          drop_options=None)
    with pytest.raises(ValidationError, match="share no rows"):
        B.question_scores(pd.DataFrame({"question": ["x"], "distribution": [[1, 0]]}), h)
    with pytest.raises(ValidationError, match="preset"):
        B.alignment(P1, Q1, preset="opinion")
    with pytest.raises(ValidationError, match="columns"):
        B.question_scores(pd.DataFrame({"q": [1]}), h)


# ------------------------------------------------------------------ GlobalOpinionQA subset


def load_goqa(shared_data):
    path = os.path.join(shared_data, "opinions", "globalopinionqa_subset.csv")
    if not os.path.exists(path):
        pytest.skip("globalopinionqa_subset.csv not present")
    raw = pd.read_csv(path)
    return pd.DataFrame({
        "question": raw["question_id"], "group": raw["country"],
        "options": [tuple(json.loads(s)) for s in raw["options"]],
        "distribution": [np.array(json.loads(s)) for s in raw["distribution"]],
    })


def test_globalopinionqa_end_to_end(shared_data):
    human = load_goqa(shared_data)
    # a "model" answering uniformly on every question
    qs = human.drop_duplicates("question")
    model = pd.DataFrame({"question": qs["question"],
                          "distribution": [np.ones(len(d)) / len(d) for d in qs["distribution"]]})
    res = B.alignment(model, human, preset="globalopinionqa")
    assert res.base == 2.0 and res.per_group.shape[0] == human.group.nunique()
    # oracle: 1 - scipy's JS distance (base 2) per row, mean per country, mean over countries
    ref = human.assign(s=[1 - jensenshannon(np.ones(len(d)) / len(d), d, base=2)
                          for d in human.distribution])
    per = ref.groupby("group")["s"].mean()
    got = res.per_group.set_index("group")["score"]
    np.testing.assert_allclose(got.loc[per.index].to_numpy(), per.to_numpy(), atol=1e-12)
    assert res.value == pytest.approx(per.mean(), abs=1e-12)
    assert np.isfinite(res.scores.score).all()
    # refusal-excluded variant
    r2 = B.alignment(model, human, preset="globalopinionqa", drop_options=["DK/Refused"])
    assert np.isfinite(r2.value) and r2.value != res.value
    assert (r2.scores.refusal_human >= 0).all()
    # closest country to the uniform model, and the pairwise country-vs-country baseline
    with pytest.warns(CoverageWarning, match="min_questions=5"):
        g, t = B.closest_group(model, human, preset="globalopinionqa", rng=0)
    ranked = t[t.ranked]
    assert g == ranked.group.iloc[0] and ranked.score.is_monotonic_decreasing
    assert (ranked.n_questions >= 5).all() and not t[~t.ranked].n_questions.ge(5).any()
    assert t.ranked.iloc[:len(ranked)].all()  # unranked groups come last
    assert ((ranked.low <= ranked.score) & (ranked.score <= ranked.high)).all()



# ------------------------------------------------------------------ coverage and ranking


def blocks(n_q=30, n_g=10, seed=0):
    """Human table: group k answers questions 3k..3k+2 (and everyone answers q0)."""
    rng = np.random.default_rng(seed)
    rows = [(f"q{q}", f"g{g}", rng.dirichlet(np.ones(3))) for g in range(n_g)
            for q in sorted({0, *range(3 * g, 3 * g + 3)}) if q < n_q]
    return tab(rows)


def test_coverage_warning_names_counts_and_records_them():
    h = blocks()
    m = pd.DataFrame({"question": [f"q{i}" for i in range(6)] + ["extra"],
                      "distribution": [np.ones(3) / 3] * 7})
    with pytest.warns(CoverageWarning) as rec:
        res = B.alignment(m, h, preset="distalign")
    msg = str(rec[0].message)
    assert "covers 6 of 30 human questions (24 dropped" in msg
    # g0 and g1 answer q0..q5; every other group answers only q0 of the covered questions
    cov = res.coverage
    assert (cov.n_questions, cov.n_questions_human, cov.n_questions_model) == (6, 30, 7)
    assert cov.n_groups == 10 and cov.n_groups_dropped == 0
    assert cov.n_questions_model_only == 1 and "1 model questions have no human" in msg
    assert cov.n_pairs == len(res.scores)
    # a model covering only q3..q5 leaves out every group but g1
    m2 = m.iloc[3:6]
    with pytest.warns(CoverageWarning, match=r"1 of 10 groups are scored \(9 dropped"):
        r2 = B.alignment(m2, h, preset="distalign")
    assert r2.coverage.groups_dropped == tuple(f"g{g}" for g in range(10) if g != 1)
    assert r2.per_group.group.tolist() == ["g1"]
    # full coverage: no warning
    full = pd.DataFrame({"question": sorted(set(h.question)),
                         "distribution": [np.ones(3) / 3] * 30})
    import warnings as w

    with w.catch_warnings():
        w.simplefilter("error", CoverageWarning)
        assert B.alignment(full, h, preset="distalign").coverage.n_questions_dropped == 0


def test_groups_on_few_questions_are_not_ranked():
    h = blocks()
    m = pd.DataFrame({"question": sorted(set(h.question)), "distribution": [[.9, .05, .05]] * 30})
    with pytest.warns(CoverageWarning, match="fewer than min_questions=4"):
        t = B.representativeness(m, h, preset="distalign", min_questions=4, rng=0)
    assert set(t.columns) >= {"group", "score", "n_questions", "low", "high", "ranked"}
    assert t.ranked.tolist() == (t.n_questions >= 4).tolist()
    assert not t.ranked.iloc[0] or t.n_questions.iloc[0] >= 4
    with pytest.raises(ValidationError, match="min_questions"):
        B.closest_group(m, h, preset="distalign", min_questions=50, rng=0)
    with pytest.raises(ValidationError, match="min_questions"):
        B.representativeness(m, h, min_questions=0)


def test_opinionqa_leaves_out_non_substantive_options_by_default():
    opts = ("Agree", "Neutral", "Disagree", "DK/Refused")
    h = pd.DataFrame({"question": ["q"], "group": ["g"], "options": [opts],
                      "distribution": [[0.2, 0.2, 0.2, 0.4]]})
    m = pd.DataFrame({"question": ["q"], "distribution": [[0.5, 0.25, 0.25, 0.0]]})
    x = np.arange(1.0, 4)
    want = 1 - wasserstein_distance(x, x, [0.5, 0.25, 0.25], [1 / 3] * 3) / 2
    s = B.question_scores(m, h, preset="opinionqa")
    assert s.score[0] == pytest.approx(want, abs=1e-12)
    assert s.refusal_human[0] == pytest.approx(0.4)
    # kept on request: DK/Refused becomes scale point 4
    x4 = np.arange(1.0, 5)
    keep = B.question_scores(m, h, preset="opinionqa", drop_options=())
    assert keep.score[0] == pytest.approx(
        1 - wasserstein_distance(x4, x4, [.5, .25, .25, 0], [.2, .2, .2, .4]) / 3, abs=1e-12)
    # an ordinal metric without preset drops them too; nominal presets keep every option
    w1 = B.question_scores(m, h, preset=None, metric="w1")
    assert w1.score[0] == pytest.approx(wasserstein_distance(x, x, [.5, .25, .25], [1 / 3] * 3))
    g = B.question_scores(m, h, preset="globalopinionqa")
    assert g.score[0] == pytest.approx(1 - jensenshannon([.5, .25, .25, 0], [.2, .2, .2, .4], base=2))
    assert "refusal_human" not in g.columns
    assert "DK/Refused" in B.NON_SUBSTANTIVE_OPTIONS and "Neither (VOL)" not in B.NON_SUBSTANTIVE_OPTIONS
    # without labels the ordinal preset cannot tell: it says so
    with pytest.warns(ConventionWarning, match="options"):
        B.question_scores(m, h.drop(columns="options"), preset="opinionqa")
    with pytest.raises(ValidationError, match="drop_options"):
        B.question_scores(m, h, drop_options="yes")


def test_pair_with_only_non_substantive_mass_is_dropped_and_counted():
    opts = ("Yes", "No", "Refused")
    h = pd.DataFrame({"question": ["q1", "q2", "q1"], "group": ["a", "a", "b"],
                      "options": [opts] * 3,
                      "distribution": [[.5, .5, 0], [.2, .8, 0], [0, 0, 1.0]]})
    m = pd.DataFrame({"question": ["q1", "q2"], "distribution": [[.6, .4, 0], [.5, .5, 0]]})
    with pytest.warns(CoverageWarning, match="1 pairs dropped: no substantive mass"):
        r = B.alignment(m, h, preset="opinionqa")
    assert r.coverage.n_pairs_no_substantive == 1 and r.coverage.groups_dropped == ("b",)
    assert r.per_group.group.tolist() == ["a"] and np.isfinite(r.value)


# ------------------------------------------------------------------ question-cluster bootstrap


def correlated_tables(rng, n_q=30, n_g=8, sa=0.08, se=0.04, missing=0.0):
    """TV(model, human) = |a_q + e_qg|: a question effect shared by every group."""
    a = rng.normal(0, sa, n_q)
    rows = []
    for q in range(n_q):
        for g in range(n_g):
            if rng.random() < missing:
                continue
            d = a[q] + rng.normal(0, se)
            rows.append((f"q{q}", f"g{g}", [0.5 + d, 0.5 - d]))
    m = pd.DataFrame({"question": [f"q{q}" for q in range(n_q)], "distribution": [[.5, .5]] * n_q})
    return m, tab(rows)


def naive_cluster_bootstrap(scores, B_, rng):
    """Resample questions with replacement in a Python loop; mean per group, mean over groups."""
    qs = np.array(sorted(set(scores.question)))
    by_q = {q: sub for q, sub in scores.groupby("question")}
    out = []
    for _ in range(B_):
        pick = rng.choice(qs, size=qs.size, replace=True)
        rs = pd.concat([by_q[q] for q in pick])
        out.append(rs.groupby("group")["score"].mean().mean())
    return np.array(out)


def test_cluster_bootstrap_matches_naive_loop_and_row_bootstrap_is_too_narrow():
    rng = np.random.default_rng(11)
    m, h = correlated_tables(rng, n_q=25, n_g=6, missing=0.2)
    res = B.distributional_alignment(m, h, n_resamples=3000, rng=1)
    naive = naive_cluster_bootstrap(res.scores, 1500, np.random.default_rng(2))
    assert res.standard_error == pytest.approx(naive.std(ddof=1), rel=0.12)
    lo, hi = np.quantile(naive, [0.025, 0.975])
    assert (res.high - res.low) == pytest.approx(hi - lo, rel=0.15)
    # resampling (question, group) rows independently (the old interval) is far too narrow
    s = res.scores.score.to_numpy()
    rows = np.random.default_rng(3).integers(0, s.size, (3000, s.size))
    assert s[rows].mean(1).std() < 0.7 * res.standard_error


def test_cluster_bootstrap_coverage_on_a_known_sampling_distribution():
    # value = mean_g mean_q |a_q + e_qg|, a ~ N(0, .08), e ~ N(0, .04): the population value is
    # E|N(0, s)| = s sqrt(2/pi) with s^2 = .08^2 + .04^2
    truth = np.hypot(0.08, 0.04) * np.sqrt(2 / np.pi)
    rng = np.random.default_rng(2024)
    vals, cover, widths = [], [], []
    for i in range(200):
        m, h = correlated_tables(rng)
        r = B.distributional_alignment(m, h, n_resamples=400, rng=i)
        vals.append(r.value)
        cover.append(r.low <= truth <= r.high)
        widths.append(r.standard_error)
    cover = np.mean(cover)
    assert 0.90 <= cover <= 0.99, cover
    # the bootstrap standard error tracks the true spread of the estimate over data sets
    assert np.mean(widths) == pytest.approx(np.std(vals, ddof=1), rel=0.2)


def test_distributional_alignment_chunks_and_errors():
    rng = np.random.default_rng(5)
    m, h = correlated_tables(rng, n_q=10, n_g=3)
    a = B.distributional_alignment(m, h, n_resamples=200, rng=3, batch=7)
    b = B.distributional_alignment(m, h, n_resamples=200, rng=3, batch=200)
    assert a.low == b.low and a.high == b.high
    seen = []
    B.distributional_alignment(m, h, n_resamples=50, rng=0, batch=20,
                               progress=lambda d, n: seen.append((d, n)))
    assert seen == [(20, 50), (40, 50), (50, 50)]
    for kw, match in [({"confidence_level": 95}, "confidence_level"),
                      ({"n_resamples": 0}, "n_resamples"), ({"batch": 0}, "batch"),
                      ({"min_questions": 0}, "min_questions"), ({"rng": "x"}, "rng")]:
        with pytest.raises(ValidationError, match=match):
            B.distributional_alignment(m, h, **kw)


def test_goqa_partial_model_warns_with_counts(shared_data):
    human = load_goqa(shared_data)
    qs = human.drop_duplicates("question").iloc[:22]
    model = pd.DataFrame({"question": qs["question"],
                          "distribution": [np.ones(len(d)) / len(d) for d in qs["distribution"]]})
    with pytest.warns(CoverageWarning, match=r"covers 22 of 300 human questions \(278 dropped"):
        res = B.distributional_alignment(model, human, n_resamples=200, rng=0)
    cov = res.coverage
    assert cov.n_groups < cov.n_groups_human == human.group.nunique()
    assert f"{cov.n_groups} of {cov.n_groups_human} groups" in cov.message()
    assert res.per_group.shape[0] == cov.n_groups
    assert (res.per_group.ranked == (res.per_group.n_questions >= 5)).all()
