"""RLHF records: aggregate_records and rules on Pairwise.from_records batches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc
from socialchoice.errors import ValidationError


def _bt_records(seed=0):
    """Per (item, group) Bradley–Terry data with a known best candidate and plenty of data."""
    rng = np.random.default_rng(seed)
    rows = []
    m = 4
    truth = {}
    for item in range(3):
        for group in ("g1", "g2"):
            u = rng.normal(size=m) * 0.3
            best = int(rng.integers(m))
            u[best] += 1.5
            truth[(item, group)] = best
            a = rng.integers(0, m, 3000)
            b = (a + rng.integers(1, m, 3000)) % m
            y = (rng.random(3000) < 1 / (1 + np.exp(-(u[a] - u[b])))).astype(int)
            rows.append(pd.DataFrame({"item": item, "group": group, "a": a, "b": b,
                                      "outcome": y, "w": 1.0}))
    return pd.concat(rows, ignore_index=True), truth


def test_aggregate_records_recovers_known_best():
    df, truth = _bt_records()
    out = sc.rules.aggregate_records(df, by=("item", "group"), weight="w")
    assert set(out.columns) == {"item", "group", "rule", "candidate", "score", "probability",
                                "winner"}
    assert len(out) == 6 * 4 * 4  # groups x rules x candidates
    for rule in ("bradley_terry", "maximal_lottery", "copeland", "schulze"):
        w = out[(out.rule == rule) & out.winner]
        got = {(r.item, r.group): r.candidate for r in w.itertuples()}
        assert got == truth, rule
    ml = out[out.rule == "maximal_lottery"]
    np.testing.assert_allclose(ml.groupby(["item", "group"]).probability.sum(), 1.0)
    assert out[out.rule == "copeland"].probability.isna().all()


def test_generator_records_and_direct_rule_calls():
    df = sc.generate.pairwise_records(3, 40, 4, 30, utilities=np.array([2.0, 0.5, 0.0, -1.0]),
                                      seed=1)
    pw = sc.Pairwise.from_records(df, candidates=range(4))
    assert pw.batch_shape == (3,)
    for name in ("bradley_terry", "maximal_lottery", "copeland", "schulze", "ranked_pairs",
                 "maximin", "kemeny_young", "smith_set", "condorcet_winner", "black",
                 "leximax_copeland", "essential_set", "uncovered_set", "schwartz_set"):
        res = sc.rules.get(name)(pw)
        assert res.winner_mask.shape == (3, 4)
        assert res.winner_mask[:, 0].all(), name
    out = sc.rules.aggregate_records(df, rules=("bradley_terry", "ranked_pairs"))
    assert (out[out.winner].candidate == 0).all()
    # by=() aggregates everything as one election
    one = sc.rules.aggregate_records(df, rules=("copeland",), by=())
    assert one[one.winner].candidate.tolist() == [0]


def test_groups_with_different_candidate_sets():
    df = pd.DataFrame({"item": [0, 0, 0, 1, 1], "a": ["x", "y", "x", "z", "w"],
                       "b": ["y", "z", "z", "w", "x"], "outcome": [1, 1, 1, 1, 0]})
    out = sc.rules.aggregate_records(df, rules=("copeland", "maximal_lottery"))
    c1 = out[(out.item == 1) & (out.rule == "copeland")]
    assert sorted(c1.candidate) == ["w", "x", "z"]  # y never appears in item 1
    # item 1: z beats w, x beats w, x and z never compared (majority tie)
    assert out[(out.item == 1) & out.winner].candidate.tolist() == ["x", "z", "x", "z"]


def test_bad_input():
    df = pd.DataFrame({"item": [0], "a": ["x"], "b": ["y"], "outcome": [1]})
    with pytest.raises(ValidationError, match="needs rankings"):
        sc.rules.aggregate_records(df, rules=("plackett_luce",))
    with pytest.raises(ValidationError, match="group"):
        sc.rules.aggregate_records(df, by=("item", "group"))
    with pytest.raises(ValidationError, match="empty"):
        sc.rules.aggregate_records(df.iloc[:0])
    d0 = df.copy()
    sc.rules.aggregate_records(df, rules=("copeland",))
    pd.testing.assert_frame_equal(df, d0)
