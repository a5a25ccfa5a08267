"""Distributional-pluralism metrics (spec §4): OpinionQA, GlobalOpinionQA, distalign,
steerability, Overton coverage; end to end on the GlobalOpinionQA subset."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

import socialchoice as sc
from socialchoice.errors import DistributionError, ValidationError

B = sc.divergence.benchmarks
P1 = [0.1, 0.2, 0.4, 0.2, 0.1]
Q1 = [0.3, 0.3, 0.2, 0.1, 0.1]


def tab(rows, cols=("question", "group", "distribution")):
    return pd.DataFrame(rows, columns=list(cols))


def test_d1_presets():
    h = tab([("q", "all", Q1)])
    m = pd.DataFrame({"question": ["q"], "distribution": [P1]})
    s = B.question_scores(m, h, preset="opinionqa")
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
    rep = B.representativeness(m, h, preset="opinionqa")
    got = dict(zip(rep.group, rep.score))
    assert got["a"] == pytest.approx(((1 - 0.1) + (1 - 0.4)) / 2)
    assert got["b"] == pytest.approx(1 - 0.5)
    assert dict(zip(rep.group, rep.n_questions)) == {"a": 2, "b": 1}
    g, _ = B.closest_group(m, h)
    assert g == "a"
    # for a lower-is-better metric the ordering flips accordingly
    g2, t2 = B.closest_group(m, h, preset="distalign")
    assert g2 == "a" and t2.score.iloc[0] <= t2.score.iloc[1]


def test_human_baseline():
    h = tab([("q", "Overall", [0.2, 0.3, 0.5]), ("q", "a", [0.2, 0.3, 0.5]),
             ("q", "b", [0.5, 0.3, 0.2])])
    t, mean, worst = B.human_baseline(h)
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
    pg = B.steerability(default, steered, h)
    # each context averages 0.5; the default scores 0.5 too
    assert pg.steered[0] == pytest.approx(0.5) and pg.gain[0] == pytest.approx(0.0)
    pq = B.steerability(default, steered, h, steer_max="per_question")
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
    assert B.overton_coverage(J, threshold=0.5, aggregate="micro").value == pytest.approx(3 / 5)
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
    assert out["value"] == pytest.approx((0.3 + 0.2) / 2)
    assert out["half_width"] > 0 and out["method"] == "verbalized"


def test_table_errors():
    h = tab([("q", "a", [0.5, 0.5])])
    with pytest.raises(DistributionError, match="same options"):
        B.question_scores(pd.DataFrame({"question": ["q"], "distribution": [[1, 0, 0]]}), h)
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
    g, t = B.closest_group(model, human, preset="globalopinionqa")
    assert g == t.group.iloc[0] and t.score.is_monotonic_decreasing
