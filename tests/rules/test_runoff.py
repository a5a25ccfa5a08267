"""Elimination rules: docs/rules.md §9 examples, pref_voting differential tests, PUT limits, properties."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import SizeLimitError, ValidationError

from _ballot_profiles import (BURLINGTON, CYCLE, P1, P3, P5, PS, PU, example, linear_batch,
                              mask_of, pv_linear, pv_ties, weak_batch)

R = sc.rules
ELIM = ["instant_runoff", "plurality_with_runoff", "coombs", "baldwin", "strict_nanson",
        "weak_nanson"]


# ------------------------------------------------------------------ docs/rules.md §9 worked examples
def test_p1():
    p = example(P1)
    assert R.instant_runoff(p).winners == [1, 2]
    assert R.get("irv")(p, tie="simultaneous").winners == [0]
    assert R.get("hare")(p, tie="order", tie_order=[1, 2, 0]).winners == [2]
    assert R.get("alternative_vote")(p, tie="order", tie_order=[2, 1, 0]).winners == [1]
    np.testing.assert_allclose(R.win_probabilities("irv", p, tie_break="random_elimination"),
                               [0, 0.5, 0.5])
    assert R.plurality_with_runoff(p).winners == [1, 2]
    assert R.get("plurality_runoff")(p).winners == [1, 2]
    for name in ("coombs", "baldwin", "strict_nanson", "weak_nanson"):
        assert R.get(name)(p).winners == [1], name


def test_p3_p5():
    p3 = example(P3)
    for name in ELIM:
        assert R.get(name)(p3).winners == [0], name
    p5 = example(P5)
    assert R.instant_runoff(p5).winners == [4]
    for name in ("coombs", "baldwin", "strict_nanson", "weak_nanson"):
        assert R.get(name)(p5).winners == [2], name


def test_ps_pu_burlington_cycle():
    assert R.instant_runoff(example(PS)).winners == [0, 1]
    pu = example(PU)
    assert R.instant_runoff(pu).winners == [0, 2]
    np.testing.assert_allclose(R.win_probabilities("instant_runoff", pu,
                                                   tie_break="random_elimination"),
                               [0.5, 0, 0.5, 0])
    bur = example(BURLINGTON)
    assert R.instant_runoff(bur).winners == [0]
    for name in ("coombs", "baldwin", "strict_nanson", "weak_nanson"):
        assert R.get(name)(bur).winners == [1], name
    cyc = example(CYCLE)
    for name in ELIM:
        assert R.get(name)(cyc).winners == [0, 1, 2], name


def test_exhaustion_and_majority_stop():
    # 2: a, 1: b>c, 2: c  -> a 2, b 1, c 2: b out, its ballot goes to c: c 3 of 5 wins
    p = sc.Rankings.from_orders([[0, -1, -1], [1, 2, -1], [2, -1, -1]], weights=[2, 1, 2],
                                n_candidates=3)
    assert R.instant_runoff(p).winners == [2]
    # exhausted ballots leave the count: 3: a, 2: b>a... majority is of active weight
    q = sc.Rankings.from_orders([[0, -1, -1], [1, -1, -1], [2, 1, -1]], weights=[3, 2, 2],
                                n_candidates=3)
    # first round a 3, b 2, c 2 -> PUT: drop b (ballots exhaust; a 3 vs c 2 -> a) or c (b 4)
    assert R.instant_runoff(q).winners == [0, 1]
    # everybody exhausted: all remaining win
    e = sc.Rankings([[-1, -1, -1]])
    assert R.instant_runoff(e).winners == [0, 1, 2]


def test_active_mask_is_restriction():
    rng = np.random.default_rng(0)
    ranks, w = weak_batch(rng, 40, 7, 5)
    act = np.array([True, True, False, True, True])
    for name in ELIM:
        full = R.get(name)(sc.Rankings(ranks, w), active=act)
        sub = R.get(name)(sc.Rankings(ranks[..., act], w))
        np.testing.assert_array_equal(full.winner_mask[..., act], sub.winner_mask, err_msg=name)
        assert not full.winner_mask[..., ~act].any()


# ------------------------------------------------------------------ differential vs pref_voting
def test_linear_vs_pref_voting():
    import pref_voting.iterative_methods as it

    rng = np.random.default_rng(11)
    tb = [2, 0, 3, 1, 4]
    count = 0
    for m in (3, 4, 5):
        k = 700 if m < 5 else 600
        ranks, w = linear_batch(rng, k, 5, m)
        prof = sc.Rankings(ranks, w)
        tbm = [c for c in tb if c < m]
        ours = {
            "irv_put": R.instant_runoff(prof),
            "irv_sim": R.instant_runoff(prof, tie="simultaneous"),
            "irv_tb": R.instant_runoff(prof, tie="order", tie_order=tbm),
            "pwr": R.plurality_with_runoff(prof),
            "coombs_put": R.coombs(prof),
            "coombs_sim": R.coombs(prof, tie="simultaneous"),
            "coombs_tb": R.coombs(prof, tie="order", tie_order=tbm),
            "baldwin_put": R.baldwin(prof),
            "baldwin_sim": R.baldwin(prof, tie="simultaneous"),
            "baldwin_tb": R.baldwin(prof, tie="order", tie_order=tbm),
            "strict_nanson": R.strict_nanson(prof),
            "weak_nanson": R.weak_nanson(prof),
        }
        for i in range(k):
            pv = pv_linear(ranks[i], w[i])
            ref = {
                "irv_put": it.instant_runoff_put(pv),
                "irv_sim": it.instant_runoff(pv),
                "irv_tb": it.instant_runoff_tb(pv, tie_breaker=tbm),
                "pwr": it.plurality_with_runoff_put(pv),
                "coombs_put": it.coombs_put(pv),
                "coombs_sim": it.coombs(pv),
                "coombs_tb": it.coombs_tb(pv, tie_breaker=tbm),
                "baldwin_put": it.baldwin_put(pv),
                "baldwin_sim": it.baldwin(pv),
                "baldwin_tb": it.baldwin_tb(pv, tie_breaker=tbm),
                "strict_nanson": it.strict_nanson(pv),
                "weak_nanson": it.weak_nanson(pv),
            }
            for name, winners in ref.items():
                np.testing.assert_array_equal(ours[name].winner_mask[i], mask_of(winners, m),
                                              err_msg=f"{name} m={m} profile {i}")
            count += 1
    assert count == 2000


def test_weak_ballots_irv_vs_pref_voting():
    """Truncated and tied ballots: pref_voting's ProfileWithTies PUT (split and approval tops).

    pref_voting has no majority stop there; in split mode the stop never changes the result
    (docs/rules.md §4.1), and in approval mode we also run without it, so the winner sets agree.
    """
    import pref_voting.iterative_methods as it

    rng = np.random.default_rng(12)
    count = 0
    for m in (3, 4, 5):
        k = 700 if m < 5 else 600
        ranks, w = weak_batch(rng, k, 5, m)
        prof = sc.Rankings(ranks, w)
        split = R.instant_runoff(prof).winner_mask
        appr = R.instant_runoff(prof, tops="approval").winner_mask
        for i in range(k):
            pv = pv_ties(ranks[i], w[i])
            np.testing.assert_array_equal(
                split[i], mask_of(it.instant_runoff_put(pv, score_method="split"), m))
            np.testing.assert_array_equal(
                appr[i], mask_of(it.instant_runoff_put(pv, score_method="approval"), m))
            count += 1
    assert count == 2000


def test_strict_pointer_path_equals_recount_path():
    rng = np.random.default_rng(13)
    ranks, w = linear_batch(rng, 60, 300, 6)
    cut = rng.integers(1, 7, size=(60, 300, 1))  # strict top-k ballots
    ranks = np.where(ranks < cut, ranks, -1).astype(np.int8)
    a = R.instant_runoff(sc.Rankings(ranks, w))
    # one extra zero-weight tied ballot forces the per-state recount path
    tied = np.zeros((60, 1, 6), np.int8)
    b = R.instant_runoff(sc.Rankings(np.concatenate([ranks, tied], axis=1),
                                     np.concatenate([w, np.zeros((60, 1))], axis=1)))
    np.testing.assert_array_equal(a.winner_mask, b.winner_mask)
    for tie in ("simultaneous", "order"):
        kw = {"tie_order": list(range(6))} if tie == "order" else {}
        a = R.instant_runoff(sc.Rankings(ranks, w), tie=tie, **kw)
        b = R.instant_runoff(sc.Rankings(np.concatenate([ranks, tied], axis=1),
                                         np.concatenate([w, np.zeros((60, 1))], axis=1)),
                             tie=tie, **kw)
        np.testing.assert_array_equal(a.winner_mask, b.winner_mask)


def test_unique_path_kernels_equal_general_kernel():
    """IRV follows each election's unique elimination path (one election or a batch) and falls
    back on ties; a zero-weight tied ballot forces the general PUT kernel for comparison.
    Weights, truncation, active masks, exhausted ballots, majority stop on or off."""
    from socialchoice._kernels import elimination as ke

    rng = np.random.default_rng(17)
    fell_back = 0
    for trial in range(300):
        m = int(rng.integers(2, 7))
        n = int(rng.integers(1, 40))
        k = int(rng.integers(1, 4))
        ranks, w = linear_batch(rng, k, n, m)
        cut = rng.integers(0, m + 1, size=(k, n, 1))
        ranks = np.where(ranks < cut, ranks, -1).astype(np.int8)
        if trial % 2:
            w = np.ones((k, n))
        act = rng.random(m) < 0.8
        act[rng.integers(m)] = True
        tops = "split" if trial % 3 else "approval"
        fast = R.instant_runoff(sc.Rankings(ranks[0] if k == 1 else ranks, w[0] if k == 1 else w),
                                active=act, tops=tops)
        tied = np.zeros((k, 1, m), np.int8)
        general = R.instant_runoff(sc.Rankings(np.concatenate([ranks, tied], axis=1),
                                               np.concatenate([w, np.zeros((k, 1))], axis=1)),
                                   active=act, tops=tops)
        np.testing.assert_array_equal(fast.winner_mask.reshape(k, m), general.winner_mask,
                                      err_msg=str(trial))
        prof = sc.Rankings(ranks[0])
        ok, _ = ke.irv_single_path(np.ascontiguousarray(prof.ranks), np.empty(0), False, act,
                                   tops == "split", np.empty((n, m), np.int8))
        fell_back += not ok
    assert 0 < fell_back < 300  # both paths exercised


# ------------------------------------------------------------------ PUT at scale
def test_put_memoisation_handles_many_ties():
    # latin square: every candidate is first on exactly one ballot, at every stage all tie,
    # so PUT explores all 2^m subsets (pref_voting would enumerate m! paths)
    m = 16
    orders = np.array([np.roll(np.arange(m), -i) for i in range(m)])
    p = sc.Rankings.from_orders(orders)
    t = time.perf_counter()
    assert R.instant_runoff(p).winner_mask.all()
    assert R.coombs(p).winner_mask.all()
    assert R.baldwin(p).winner_mask.all()
    assert time.perf_counter() - t < 60
    small = sc.Rankings.from_orders(np.array([np.roll(np.arange(8), -i) for i in range(8)]))
    probs = R.win_probabilities("irv", small, tie_break="random_elimination")
    np.testing.assert_allclose(probs.sum(), 1.0)
    np.testing.assert_array_equal(probs > 0, R.instant_runoff(small).winner_mask)


def test_size_limits():
    m = 21
    p = sc.Rankings(np.arange(m)[None, :].repeat(3, 0))
    # no elimination tie: tie="put" follows the unique path whatever m is
    assert R.instant_runoff(p).winners == [0]
    assert R.instant_runoff(p, tie="simultaneous").winners == [0]
    cyc = sc.Rankings.from_orders(np.array([np.roll(np.arange(m), -i) for i in range(m)]))
    for rule in (R.instant_runoff, R.coombs, R.baldwin):  # every round is a tie
        with pytest.raises(SizeLimitError, match="elimination tie occurs"):
            rule(cyc)
    with pytest.raises(SizeLimitError, match="random-elimination"):
        R.win_probabilities("irv", sc.Rankings(np.arange(17)[None, :]),
                            tie_break="random_elimination")


def test_random_elimination_support_is_put():
    rng = np.random.default_rng(14)
    ranks, w = linear_batch(rng, 200, 4, 4)
    prof = sc.Rankings(ranks, w)
    for name in ("instant_runoff", "coombs", "baldwin", "strict_nanson", "weak_nanson"):
        p = R.win_probabilities(name, prof, tie_break="random_elimination")
        np.testing.assert_allclose(p.sum(axis=-1), 1.0)
        np.testing.assert_array_equal(p > 1e-12, R.get(name)(prof).winner_mask, err_msg=name)


# ------------------------------------------------------------------ properties
_profiles = st.builds(
    lambda seed, k, n, m, weak: (weak_batch if weak else linear_batch)(np.random.default_rng(seed),
                                                                       k, n, m),
    st.integers(0, 10**6), st.integers(1, 3), st.integers(1, 6), st.integers(2, 5), st.booleans())


@settings(max_examples=12, deadline=None)
@given(_profiles, st.integers(0, 10**6))
def test_properties(data, seed):
    ranks, w = data
    rng = np.random.default_rng(seed)
    k, n, m = ranks.shape
    before = ranks.copy()
    perm_v = rng.permutation(n)
    perm_c = rng.permutation(m)
    for name in ELIM:
        f = R.get(name)
        base = f(sc.Rankings(ranks, w))
        anon = f(sc.Rankings(ranks[:, perm_v], w[:, perm_v]))
        np.testing.assert_array_equal(base.winner_mask, anon.winner_mask, err_msg=name)
        neut = f(sc.Rankings(ranks[..., perm_c], w))
        np.testing.assert_array_equal(base.winner_mask[..., perm_c], neut.winner_mask,
                                      err_msg=name)
        for i in range(k):
            np.testing.assert_array_equal(base.winner_mask[i],
                                          f(sc.Rankings(ranks[i], w[i])).winner_mask)
        rep = np.repeat(ranks[0], w[0].astype(int), axis=0)
        np.testing.assert_array_equal(base.winner_mask[0], f(sc.Rankings(rep)).winner_mask)
    np.testing.assert_array_equal(ranks, before)


def test_xarray_and_dask_paths():
    rng = np.random.default_rng(15)
    ranks, _ = weak_batch(rng, 5, 7, 4)
    for name in ELIM:
        ours = R.get(name)(sc.Rankings(ranks)).winner_mask
        np.testing.assert_array_equal(
            R.get(name)(sc.xr.rankings_dataarray(ranks))["winner_mask"].values, ours)
        dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
        np.testing.assert_array_equal(R.get(name)(dd)["winner_mask"].values, ours)


def test_margin_rules_accept_pairwise():
    p = example(P5)
    pw = sc.Pairwise(p.support())
    for name in ("baldwin", "strict_nanson", "weak_nanson"):
        assert R.get(name)(pw).winners == [2]


# ------------------------------------------------------------------ bad input
def test_bad_input():
    p = example(P1)
    with pytest.raises(ValidationError, match="tie"):
        R.instant_runoff(p, tie="random")
    with pytest.raises(ValidationError, match="tie_order"):
        R.coombs(p, tie="order")
    with pytest.raises(ValidationError, match="permutation"):
        R.baldwin(p, tie="order", tie_order=[0, 0, 1])
    with pytest.raises(ValidationError, match="only used"):
        R.baldwin(p, tie_order=[0, 1, 2])
    with pytest.raises(ValidationError, match="simultaneous"):
        R.plurality_with_runoff(p, tie="simultaneous")
    with pytest.raises(ValidationError, match="tops"):
        R.instant_runoff(p, tops="borda")
    pw = sc.Pairwise(np.array([[0.0, 2.0], [1.0, 0.0]]))
    for name in ("instant_runoff", "coombs", "plurality_with_runoff"):
        with pytest.raises(ValidationError, match="ballots"):
            R.get(name)(pw)
    with pytest.raises(ValidationError, match="random_elimination"):
        R.win_probabilities("borda", p, tie_break="random_elimination")


# ------------------------------------------------------------------ PrefLib regression fixtures
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "ballots.json")
# IRV winners and Condorcet winners from tests/data/README.md (PrefLib ids)
README_IRV = {"00001-00000002.soi": [5], "00005-00000002.toi": [1], "00007-00000019.soi": [2, 4],
              "00008-00000009.soi": [6], "00009-00000002.soc": [7], "00012-00000001.soc": [10],
              "00014-00000001.soc": [7], "00032-00000004.toi": [1]}
README_CONDORCET = {"00001-00000002.soi": 5, "00005-00000002.toi": 2, "00006-00000001.toc": 30,
                    "00009-00000002.soc": 7, "00014-00000001.soc": 7}


def test_preflib_fixtures(shared_data):
    import json

    with open(FIXTURE) as fh:
        expected = json.load(fh)
    assert len(expected) == 9
    for fname, exp in expected.items():
        prof = sc.read_preflib(os.path.join(shared_data, "preflib", fname))
        for key, val in exp.items():
            if not isinstance(val, dict) or "winners" not in val:
                continue
            if key.startswith(("borda", "k_approval")) or key in (
                    "plurality", "anti_plurality", "bucklin"):
                rule = "borda" if key.startswith("borda") else (
                    "k_approval" if key.startswith("k_approval") else key)
                kw = {"tie_mode": key.split("_")[1]} if key.startswith("borda_") else (
                    {"k": 2} if rule == "k_approval" else {})
                res = R.get(rule)(prof, **kw)
                np.testing.assert_allclose(res.scores, val["scores"], rtol=1e-9, atol=1e-9)
            else:
                kw = {"tie": val["tie"]} if val["tie"] != "none" else {}
                res = R.get(key)(prof, **kw)
            assert [int(c) for c in res.winners] == val["winners"], (fname, key)
        np.testing.assert_allclose(R.random_dictatorship(prof).lottery,
                                   exp["random_dictatorship"]["lottery"], atol=1e-12)
        # cross-checks with the data README
        if fname in README_IRV:
            assert exp["instant_runoff"]["winners"] == README_IRV[fname]
        if fname in README_CONDORCET:  # Baldwin and Nanson are Condorcet-consistent
            for rule in ("baldwin", "strict_nanson", "weak_nanson"):
                assert exp[rule]["winners"] == [README_CONDORCET[fname]], (fname, rule)
    bur = expected["00005-00000002.toi"]
    plur = dict(zip(range(1, 7), bur["plurality"]["scores"]))
    # README (overvotes cut off): Wright 2951, Kiss 2585, Montroll 2063, Smith 1306; six
    # ballots have ties, which split counting shares instead of discarding
    for cid, count in ((5, 2951), (1, 2585), (2, 2063), (4, 1306)):
        assert abs(plur[cid] - count) <= 6
    assert bur["plurality"]["winners"] == [5]


def test_put_beyond_limit_follows_unique_path():
    """m > PUT_MAX_M without elimination ties: the PUT answer is the path's, which equals every
    tie mode's answer; items with a tie raise naming the item."""
    rng = np.random.default_rng(41)
    m = 24
    w = rng.random((4, 40)) + 0.5  # real weights: elimination ties are almost surely absent
    ranks = np.argsort(rng.random((4, 40, m)), axis=-1)
    ranks = np.where(rng.random((4, 40, m)) < 0.3, -1, ranks)  # truncation
    prof = sc.Rankings(ranks, w)
    for rule in (R.instant_runoff, R.coombs, R.baldwin):
        put = rule(prof).winner_mask
        np.testing.assert_array_equal(put, rule(prof, tie="simultaneous").winner_mask)
        order = rule(prof, tie="order", tie_order=np.arange(m)).winner_mask
        np.testing.assert_array_equal(put, order)
        assert (put.sum(-1) == 1).all()
