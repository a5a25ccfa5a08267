"""Random dictatorship and win_probabilities (docs/rules.md §6.1, §6.3)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ValidationError

from _ballot_profiles import CYCLE, P1, P3, PU, example, linear_batch, pv_linear, weak_batch

R = sc.rules


def test_spec_examples():
    np.testing.assert_allclose(R.random_dictatorship(example(P1)).lottery, [3 / 7, 2 / 7, 2 / 7])
    rd = R.random_dictatorship(example(P3))
    np.testing.assert_allclose(rd.lottery, [4 / 11, 4 / 11, 3 / 11, 0])
    assert rd.winners == [0, 1, 2]
    np.testing.assert_allclose(R.win_probabilities("plurality", example(P3)), [0.5, 0.5, 0, 0])
    np.testing.assert_allclose(R.win_probabilities("borda", example(CYCLE)), [1 / 3] * 3)
    np.testing.assert_allclose(
        R.win_probabilities(R.instant_runoff, example(PU), tie_break="random_elimination"),
        [0.5, 0, 0.5, 0])


def test_random_dictatorship_ties_truncation_and_active():
    p = sc.Rankings([[0, 0, 1], [-1, -1, -1], [1, 0, 2]], weights=[1, 5, 2])
    np.testing.assert_allclose(R.random_dictatorship(p).lottery, [1 / 6, 5 / 6, 0])
    np.testing.assert_allclose(R.random_dictatorship(p, active=[False, True, True]).lottery,
                               [0, 1, 0])
    np.testing.assert_allclose(R.random_dictatorship(p, active=[True, False, True]).lottery,
                               [1, 0, 0])
    empty = sc.Rankings([[-1, -1, -1]])
    np.testing.assert_allclose(R.random_dictatorship(empty).lottery, [1 / 3] * 3)


def test_random_dictatorship_vs_pref_voting():
    import pref_voting.probabilistic_methods as pm

    rng = np.random.default_rng(31)
    count = 0
    for m in (3, 4, 5):
        k = 700 if m < 5 else 600
        ranks, w = linear_batch(rng, k, 6, m)
        ours = R.random_dictatorship(sc.Rankings(ranks, w)).lottery
        for i in range(k):
            ref = pm.random_dictator(pv_linear(ranks[i], w[i]))
            np.testing.assert_allclose(ours[i], [ref.get(c, 0.0) for c in range(m)])
            count += 1
    assert count == 2000


def test_uniform_batch_and_probabilistic_rule():
    rng = np.random.default_rng(32)
    ranks, w = weak_batch(rng, 30, 5, 4)
    prof = sc.Rankings(ranks, w)
    p = R.win_probabilities("copeland", prof) if "copeland" in R.names() else \
        R.win_probabilities("borda", prof)
    np.testing.assert_allclose(p.sum(-1), 1)
    np.testing.assert_allclose(R.win_probabilities("random_dictatorship", prof),
                               R.random_dictatorship(prof).lottery)


def test_random_order_delegates_to_ranked_pairs():
    if "ranked_pairs" not in R.names():
        with pytest.raises(ValidationError, match="ranked pairs"):
            R.win_probabilities("borda", example(CYCLE), tie_break="random_order")
        return
    p = R.win_probabilities("ranked_pairs", example(CYCLE), tie_break="random_order")
    np.testing.assert_allclose(p, [1 / 3] * 3)
    with pytest.raises(ValidationError, match="ranked_pairs"):
        R.win_probabilities("borda", example(CYCLE), tie_break="random_order")


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6), st.integers(2, 5))
def test_properties(seed, n, m):
    rng = np.random.default_rng(seed)
    ranks, w = weak_batch(rng, 2, n, m)
    before = ranks.copy()
    base = R.random_dictatorship(sc.Rankings(ranks, w))
    np.testing.assert_allclose(base.lottery.sum(-1), 1)
    np.testing.assert_array_equal(base.winner_mask, base.lottery > 0)
    pv, pc = rng.permutation(n), rng.permutation(m)
    np.testing.assert_allclose(base.lottery,
                               R.random_dictatorship(sc.Rankings(ranks[:, pv], w[:, pv])).lottery)
    np.testing.assert_allclose(base.lottery[..., pc],
                               R.random_dictatorship(sc.Rankings(ranks[..., pc], w)).lottery)
    for i in range(2):
        np.testing.assert_allclose(base.lottery[i],
                                   R.random_dictatorship(sc.Rankings(ranks[i], w[i])).lottery)
    rep = np.repeat(ranks[0], w[0].astype(int), axis=0)
    np.testing.assert_allclose(base.lottery[0], R.random_dictatorship(sc.Rankings(rep)).lottery)
    for name in ("instant_runoff", "coombs", "baldwin"):
        p = R.win_probabilities(name, sc.Rankings(ranks, w), tie_break="random_elimination")
        np.testing.assert_allclose(p.sum(-1), 1)
        q = R.win_probabilities(name, sc.Rankings(ranks[..., pc], w),
                                tie_break="random_elimination")
        np.testing.assert_allclose(p[..., pc], q, atol=1e-12)
    np.testing.assert_array_equal(ranks, before)


def test_xarray_and_dask_paths():
    rng = np.random.default_rng(33)
    ranks, _ = weak_batch(rng, 4, 5, 4)
    ours = R.random_dictatorship(sc.Rankings(ranks)).winner_mask
    np.testing.assert_array_equal(
        R.random_dictatorship(sc.xr.rankings_dataarray(ranks))["winner_mask"].values, ours)
    dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
    np.testing.assert_array_equal(R.random_dictatorship(dd)["winner_mask"].values, ours)


def test_bad_input():
    p = example(P1)
    with pytest.raises(ValidationError, match="tie_break"):
        R.win_probabilities("borda", p, tie_break="coin")
    with pytest.raises(sc.errors.UnknownNameError):
        R.win_probabilities("no_such_rule", p)
    with pytest.raises(ValidationError, match="resolve"):
        R.win_probabilities("borda", p, resolve="index")
    with pytest.raises(ValidationError, match="tie="):
        R.win_probabilities("irv", p, tie_break="random_elimination", tie="simultaneous")
    with pytest.raises(ValidationError, match="ballots"):
        R.random_dictatorship(sc.Pairwise(np.array([[0.0, 1.0], [2.0, 0.0]])))
    with pytest.raises(ValidationError, match="rule"):
        R.win_probabilities(42, p)
