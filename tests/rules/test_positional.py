"""Positional rules: docs/rules.md §9 examples, pref_voting differential tests, properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ValidationError

from _ballot_profiles import (BURLINGTON, CYCLE, P1, P3, P5, T, example, linear_batch, mask_of,
                               pv_linear, pv_ties, weak_batch)

R = sc.rules
POSITIONAL = {
    "plurality": {},
    "borda": {},
    "anti_plurality": {},
    "k_approval": {"k": 2},
    "scoring": {"score": lambda m, r: float((m - r) ** 2)},
    "bucklin": {},
}


# ------------------------------------------------------------------ docs/rules.md §9 worked examples
def test_p1():
    p = example(P1)
    assert R.plurality(p).scores.tolist() == [3, 2, 2] and R.plurality(p).winners == [0]
    assert R.borda(p).scores.tolist() == [6, 9, 6] and R.borda(p).winners == [1]
    assert R.anti_plurality(p).winners == [1]
    assert R.get("veto")(p).winners == [1]
    assert R.k_approval(p, k=2).winners == [1]
    b = R.bucklin(p)
    assert b.winners == [1] and b.scores.tolist() == [3, 7, 4] and int(b.details["level"]) == 2


def test_p3():
    p = example(P3)
    assert R.plurality(p).scores.tolist() == [4, 4, 3, 0] and R.plurality(p).winners == [0, 1]
    assert R.borda(p).scores.tolist() == [23, 20, 16, 7] and R.borda(p).winners == [0]
    assert R.anti_plurality(p).winners == [0]
    b = R.bucklin(p)
    assert b.scores.tolist() == [8, 8, 6, 0] and b.winners == [0, 1]
    assert R.k_approval(p, k=2).winners == [0, 1]


def test_p5():
    p = example(P5)
    assert R.plurality(p).scores.tolist() == [4, 8, 5, 0, 6]
    assert R.plurality(p).winners == [1]
    assert R.borda(p).scores.tolist() == [46, 40, 48, 51, 45] and R.borda(p).winners == [3]
    assert R.anti_plurality(p).winners == [0]


def test_truncated_borda_variants():
    p = example(T)
    assert R.borda(p, tie_mode="pessimistic").scores.tolist() == [2, 6, 7, 0]
    assert R.borda(p, tie_mode="pessimistic").winners == [2]
    assert R.borda(p).scores.tolist() == [3, 7, 7, 1] and R.borda(p).winners == [1, 2]
    assert R.borda(p, tie_mode="optimistic").scores.tolist() == [4, 8, 7, 2]
    assert R.borda(p, tie_mode="optimistic").winners == [1]
    assert R.plurality(p).scores.tolist() == [0, 2, 1, 0] and R.plurality(p).winners == [1]


def test_burlington_and_cycle():
    p = example(BURLINGTON)
    assert R.plurality(p).winners == [2]
    assert R.borda(p).winners == [1]
    cyc = example(CYCLE)
    for name, kw in POSITIONAL.items():
        assert R.get(name)(cyc, **kw).winners == [0, 1, 2], name


def test_split_plurality_and_empty_ballots():
    p = sc.Rankings([[0, 0, 1], [-1, -1, -1], [1, 0, 2]])
    r = R.plurality(p)
    assert r.scores.tolist() == [0.5, 1.5, 0.0]  # the empty ballot gives nothing
    assert R.plurality(p, tie_mode="optimistic").scores.tolist() == [1, 2, 0]
    assert R.plurality(p, tie_mode="pessimistic").scores.tolist() == [0, 1, 0]


def test_active_mask_is_restriction():
    rng = np.random.default_rng(0)
    ranks, w = weak_batch(rng, 30, 9, 5)
    act = np.array([True, False, True, True, False])
    for name, kw in POSITIONAL.items():
        full = R.get(name)(sc.Rankings(ranks, w), active=act, **kw)
        sub = R.get(name)(sc.Rankings(ranks[..., act], w), **kw)
        np.testing.assert_allclose(full.scores[..., act], sub.scores, err_msg=name)
        np.testing.assert_array_equal(full.winner_mask[..., act], sub.winner_mask, err_msg=name)
        assert not full.winner_mask[..., ~act].any()


# ------------------------------------------------------------------ differential vs pref_voting
def _pv_winners(fn, prof, m):
    return mask_of(fn(prof), m)


def test_linear_vs_pref_voting():
    import pref_voting.other_methods as om
    import pref_voting.scoring_methods as sm

    rng = np.random.default_rng(1)
    n_total = 0
    for m in (3, 4, 5):
        k = 700 if m < 5 else 600
        ranks, w = linear_batch(rng, k, 6, m)
        prof = sc.Rankings(ranks, w)
        ours = {
            "plurality": R.plurality(prof).winner_mask,
            "borda": R.borda(prof).winner_mask,
            "anti_plurality": R.anti_plurality(prof).winner_mask,
            "k_approval": R.k_approval(prof, k=2).winner_mask,
            "scoring": R.scoring(prof, score=lambda mm, r: float((mm - r) ** 2)).winner_mask,
            "bucklin": R.bucklin(prof).winner_mask,
        }
        for i in range(k):
            pv = pv_linear(ranks[i], w[i])
            ref = {
                "plurality": sm.plurality(pv),
                "borda": sm.borda(pv),
                "anti_plurality": sm.anti_plurality(pv),
                "k_approval": sm.scoring_rule(pv, score=lambda mm, r: 1 if r <= 2 else 0),
                "scoring": sm.scoring_rule(pv, score=lambda mm, r: (mm - r) ** 2),
                "bucklin": om.bucklin(pv),
            }
            for name, winners in ref.items():
                np.testing.assert_array_equal(ours[name][i], mask_of(winners, m),
                                              err_msg=f"{name} m={m} profile {i}")
            n_total += 1
    assert n_total == 2000


def test_truncated_tied_borda_and_split_plurality_vs_pref_voting():
    import pref_voting.scoring_methods as sm

    rng = np.random.default_rng(2)
    count = 0
    for m in (3, 4, 5):
        k = 700 if m < 5 else 600
        ranks, w = weak_batch(rng, k, 5, m)
        prof = sc.Rankings(ranks, w)
        avg = R.borda(prof).scores
        pes = R.borda(prof, tie_mode="pessimistic").scores
        opt = R.borda(prof, tie_mode="optimistic").scores
        plu = R.plurality(prof).scores
        W = w.sum(axis=1)
        for i in range(k):
            pv = pv_ties(ranks[i], w[i])
            sym = sm.symmetric_borda_scores(pv)
            dom = sm.domination_borda_scores(pv)
            wdom = sm.weak_domination_borda_scores(pv)
            split = pv.tops_scores(score_type="split")
            for c in range(m):
                assert np.isclose(2 * avg[i, c] - (m - 1) * W[i], sym[c])  # docs/rules.md §2.2
                assert np.isclose(pes[i, c], dom[c])
                assert np.isclose(opt[i, c] + W[i], wdom[c])
                assert np.isclose(plu[i, c], split[c])
            count += 1
    assert count == 2000


def test_borda_average_is_function_of_margins():
    rng = np.random.default_rng(3)
    ranks, w = weak_batch(rng, 50, 8, 5)
    prof = sc.Rankings(ranks, w)
    M = prof.margins()
    W = w.sum(axis=1)
    expected = ((5 - 1) * W[:, None] + M.sum(axis=2)) / 2
    np.testing.assert_allclose(R.borda(prof).scores, expected)


def test_general_scoring_matches_table_and_affine_invariance():
    rng = np.random.default_rng(4)
    ranks, w = weak_batch(rng, 40, 7, 4)
    prof = sc.Rankings(ranks, w)
    a = R.scoring(prof, score=[3, 2, 1, 0])
    b = R.borda(prof)
    np.testing.assert_allclose(a.scores, b.scores)
    c = R.scoring(prof, score=[7, 5, 3, 1])  # 2 s + 1
    np.testing.assert_array_equal(a.winner_mask, c.winner_mask)


# ------------------------------------------------------------------ properties
_rankings = st.builds(
    lambda seed, k, n, m, weak: (weak_batch if weak else linear_batch)(np.random.default_rng(seed),
                                                                       k, n, m),
    st.integers(0, 10**6), st.integers(1, 3), st.integers(1, 7), st.integers(2, 5), st.booleans())


@settings(max_examples=12, deadline=None)
@given(_rankings, st.integers(0, 10**6))
def test_properties(data, seed):
    ranks, w = data
    rng = np.random.default_rng(seed)
    k, n, m = ranks.shape
    before = ranks.copy()
    perm_v = rng.permutation(n)
    perm_c = rng.permutation(m)
    for name, kw in POSITIONAL.items():
        if name == "k_approval" and m <= 2:
            kw = {"k": 1}
        f = R.get(name)
        base = f(sc.Rankings(ranks, w), **kw)
        # anonymity
        anon = f(sc.Rankings(ranks[:, perm_v], w[:, perm_v]), **kw)
        np.testing.assert_array_equal(base.winner_mask, anon.winner_mask)
        # neutrality: relabel candidates
        neut = f(sc.Rankings(ranks[..., perm_c], w), **kw)
        np.testing.assert_array_equal(base.winner_mask[..., perm_c], neut.winner_mask)
        # batch == loop
        for i in range(k):
            one = f(sc.Rankings(ranks[i], w[i]), **kw)
            np.testing.assert_array_equal(base.winner_mask[i], one.winner_mask)
            np.testing.assert_allclose(base.scores[i], one.scores)
        # weight k == k copies (integer weights)
        rep = np.repeat(ranks[0], w[0].astype(int), axis=0)
        copies = f(sc.Rankings(rep), **kw)
        np.testing.assert_array_equal(base.winner_mask[0], copies.winner_mask)
        np.testing.assert_allclose(base.scores[0], copies.scores)
    np.testing.assert_array_equal(ranks, before)


def test_xarray_and_dask_paths():
    rng = np.random.default_rng(5)
    ranks, _ = weak_batch(rng, 5, 9, 4)
    for name, kw in POSITIONAL.items():
        ours = R.get(name)(sc.Rankings(ranks), **kw).winner_mask
        da = sc.xr.rankings_dataarray(ranks)
        np.testing.assert_array_equal(R.get(name)(da, **kw)["winner_mask"].values, ours)
        dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
        np.testing.assert_array_equal(R.get(name)(dd, **kw)["winner_mask"].values, ours)


def test_large_election_chunked_path_matches_numpy():
    rng = np.random.default_rng(6)
    n, m = 200_000, 6
    ranks = np.argsort(rng.random((n, m)), axis=1).argsort(axis=1).astype(np.int8)
    ranks[:1000, 3] = 0  # some tied tops
    prof = sc.Rankings(ranks)
    r = prof.ranks
    top_t = (r == 0).sum(axis=1)
    expected = ((r == 0) / top_t[:, None]).sum(axis=0)
    np.testing.assert_allclose(R.plurality(prof).scores, expected)
    np.testing.assert_allclose(R.borda(prof).scores, ((m - 1) * n + prof.margins().sum(1)) / 2)


# ------------------------------------------------------------------ bad input
def test_bad_input():
    p = example(P1)
    with pytest.raises(ValidationError, match="tie_mode"):
        R.borda(p, tie_mode="mean")
    with pytest.raises(ValidationError, match="non-increasing"):
        R.scoring(p, score=[0, 1, 2])
    with pytest.raises(ValidationError, match="length"):
        R.scoring(p, score=[2, 1])
    with pytest.raises(ValidationError, match="callable"):
        R.scoring(p, score=[2, 1, 0], active=[True, True, False])
    with pytest.raises(ValidationError, match="`k`"):
        R.k_approval(p, k=0)
    with pytest.raises(ValidationError, match="smaller"):
        R.k_approval(p, k=3)
    with pytest.raises(ValidationError, match="ballots"):
        R.borda(sc.Pairwise(np.array([[0.0, 2.0], [1.0, 0.0]])))
    with pytest.raises(ValidationError, match="active"):
        R.plurality(p, active=[False, False, False])
    with pytest.raises(sc.errors.ProfileError):
        R.plurality(np.array([[0, 1], [1]], dtype=object))


def test_ratings_are_converted():
    r = sc.Ratings([[5.0, 3.0, np.nan], [1.0, 4.0, 4.0]])
    assert R.plurality(r).scores.tolist() == [1.0, 0.5, 0.5]
