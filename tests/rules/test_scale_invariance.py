"""Scale invariance of every registered rule (docs/conventions.md §4).

Multiplying every weight by ``c > 0`` (1e-300 .. 1e300) must leave ``winner_mask`` unchanged
for every rule whose registry metadata says ``weight_scale="invariant"`` (all of them), through
every input path (Rankings weights, Pairwise support matrices, Ratings weights); for cardinal
rules with ``scale="invariant"`` the same holds when the ratings are multiplied by ``c``.
Before the relative tie tolerances, weights of 1e-300 made 29 rules report everyone tied.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc

WEIGHT_C = (1e-12, 1e-6, 3.7, 1e6, 1e12, 1e-300, 1e300)
RATING_C = (1e-12, 1e-6, 3.7, 1e6, 1e12, 1e-100, 1e100)

#: options a rule needs to run (or to stay defined on small random profiles)
KW = {
    "k_approval": {"k": 1},
    "scoring": {"score": lambda k, r: float(k - r) ** 2},
    "approval": {"threshold": 2.0},
    "bradley_terry": {"on_nonexistence": "components"},
    "plackett_luce": {"on_nonexistence": "components"},
    "maximal_lottery": {"method": "lp"},
}
ALL = sc.rules.names()


def _ranks(rng, n, m, strict):
    if strict:  # strict top-k ballots (Plackett–Luce)
        r = np.argsort(rng.random((n, m)), axis=-1)
        k = rng.integers(1, m + 1, size=(n, 1))
        return np.where(r < k, r, -1)
    r = rng.integers(0, m, size=(n, m))  # ties
    return np.where(rng.random((n, m)) < 0.2, -1, r)  # truncation


def _run(name, profile):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TieWarning / ConventionWarning are not under test
        return np.asarray(sc.rules.get(name)(profile, **KW.get(name, {})).winner_mask)


def test_every_rule_declares_scale():
    for name in ALL:
        meta = sc.rules.info(name).meta
        assert meta["scale"] in ("invariant", None), name
        assert meta["weight_scale"] == "invariant", name
        if meta["scale"] is None:
            assert meta["scale_note"], name


@pytest.mark.parametrize("name", ALL)
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), m=st.integers(2, 4), n=st.integers(1, 6))
def test_weights_scale(name, seed, m, n):
    rng = np.random.default_rng(seed)
    needs = sc.rules.info(name).meta["needs"]
    w = rng.integers(1, 4, size=n).astype(float)
    if needs == "ratings":
        v = rng.integers(0, 5, size=(n, m)).astype(float)
        v[rng.random((n, m)) < 0.15] = np.nan
        v[:, 0] = np.where(np.isnan(v[:, 0]), 1.0, v[:, 0])  # keep some rating per rater
        base = _run(name, sc.Ratings(v, w))
        for c in WEIGHT_C:
            np.testing.assert_array_equal(_run(name, sc.Ratings(v, w * c)), base,
                                          err_msg=f"{name} c={c}")
        return
    ranks = _ranks(rng, n, m, strict=name == "plackett_luce")
    base = _run(name, sc.Rankings(ranks, w))
    for c in WEIGHT_C:
        np.testing.assert_array_equal(_run(name, sc.Rankings(ranks, w * c)), base,
                                      err_msg=f"{name} c={c}")
    if needs == "margins":
        s = sc.Rankings(ranks, w).support()
        pw = _run(name, sc.Pairwise(s, total_weight=w.sum()))
        np.testing.assert_array_equal(pw, base, err_msg=f"{name} Pairwise")
        for c in WEIGHT_C:
            got = _run(name, sc.Pairwise(s * c, total_weight=w.sum() * c))
            np.testing.assert_array_equal(got, base, err_msg=f"{name} Pairwise c={c}")


CARDINAL = [n for n in sc.rules.names(needs="ratings") if sc.rules.info(n).meta["scale"]]


@pytest.mark.parametrize("name", CARDINAL)
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), m=st.integers(2, 4), n=st.integers(1, 6),
       normalize=st.sampled_from(["none", "range", "zscore", "rank"]))
def test_ratings_scale(name, seed, m, n, normalize):
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 5, size=(n, m)) + rng.random((n, m)).round(1)
    v[rng.random((n, m)) < 0.15] = np.nan
    v[:, 0] = np.where(np.isnan(v[:, 0]), 1.0, v[:, 0])
    w = rng.integers(1, 4, size=n).astype(float)
    kw = {"normalize": normalize} if name == "utilitarian" else {}
    base = sc.rules.get(name)(sc.Ratings(v, w), **kw).winner_mask
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c in RATING_C:
            got = sc.rules.get(name)(sc.Ratings(v * c, w), **kw).winner_mask
            np.testing.assert_array_equal(got, base, err_msg=f"{name} c={c}")


def test_tiny_weights_regression():
    """The report: weights of 1e-300 made rules call everyone tied (absolute tolerance floors)."""
    p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]]).ranks
    w = np.array([3.0, 2.0, 2.0])
    for name in ("plurality", "borda", "bucklin", "coombs", "baldwin", "copeland", "maximin",
                 "black", "kemeny_young", "schulze", "leximax_copeland", "instant_runoff"):
        want = _run(name, sc.Rankings(p1, w))
        assert not want.all(), name
        for c in (1e-300, 1e300):
            np.testing.assert_array_equal(_run(name, sc.Rankings(p1, w * c)), want, err_msg=name)
    # scores are reported in the caller's units
    np.testing.assert_array_equal(sc.rules.plurality(sc.Rankings(p1, w * 1e-300)).scores,
                                  np.array([3.0, 2.0, 2.0]) * 1e-300)
    r = sc.Ratings(np.array([[1e-10, 2e-10], [3e-10, 1e-10], [2e-10, 2.5e-10]]))
    assert sc.rules.utilitarian(r).winners == sc.rules.utilitarian(
        sc.Ratings(r.values * 1e10)).winners == [0]


# --------------------------------------------------------------------------- related API checks
def test_winners_with_two_batch_axes():
    rng = np.random.default_rng(3)
    ranks = np.argsort(rng.random((2, 3, 5, 4)), axis=-1)
    res = sc.rules.borda(sc.Rankings(ranks, candidates=list("abcd")))
    win = res.winners
    assert len(win) == 2 and all(len(row) == 3 for row in win)
    for i in range(2):
        for j in range(3):
            assert win[i][j] == sc.rules.borda(sc.Rankings(ranks[i, j], candidates=list("abcd"))).winners


def test_unknown_option_names_it():
    p = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0]])
    for name in ("borda", "copeland", "instant_runoff", "maximal_lottery"):
        with pytest.raises(sc.errors.ValidationError, match="no option 'tie_brake'"):
            sc.rules.get(name)(p, tie_brake="x")
    da = sc.xr.rankings_dataarray(np.asarray(p.ranks)[None])
    with pytest.raises(sc.errors.ValidationError, match="no option 'tiemode'"):
        sc.rules.borda(da, tiemode="average")


def test_ratings_margins_use_raters_who_rated_both():
    """x beats y among raters who rated both; a missing rating is not a low one (conventions
    §5). With pairs='missing_below' the truncated-ballot convention of to_rankings applies."""
    v = np.array([[5.0, 4.0, np.nan],
                  [5.0, 4.0, np.nan],
                  [np.nan, 1.0, 2.0]])
    r = sc.Ratings(v)
    with pytest.warns(sc.errors.ConventionWarning, match="pairs="):
        cw = sc.rules.condorcet_winner(r)
    # both-rated: 0 beats 1 (2-0), 2 beats 1 (1-0), 0 vs 2 nobody rated both: tie -> no CW
    assert cw.winners == []
    assert sc.rules.weak_condorcet_winners(r, pairs="both_rated").winners == [0, 2]
    # missing below: 0 beats 2 (2-1) and 0 beats 1 -> 0 is the Condorcet winner
    assert sc.rules.condorcet_winner(r, pairs="missing_below").winners == [0]
    want = sc.rules.copeland(r.to_rankings()).winner_mask
    np.testing.assert_array_equal(sc.rules.copeland(r, pairs="missing_below").winner_mask, want)
    with pytest.raises(sc.errors.ValidationError, match="pairs"):
        sc.rules.copeland(r, pairs="everyone")
    with pytest.raises(sc.errors.ValidationError, match="pairs"):
        sc.rules.copeland(r.to_rankings(), pairs="both_rated")
    # ballot rules keep the ranking view of ratings
    assert sc.rules.instant_runoff(r).winners == sc.rules.instant_runoff(r.to_rankings()).winners
    # an oracle: both-rated support by a naive loop
    rng = np.random.default_rng(5)
    vals = rng.integers(0, 4, size=(7, 4)).astype(float)
    vals[rng.random((7, 4)) < 0.3] = np.nan
    wts = rng.random(7) + 0.1
    s = np.zeros((4, 4))
    for i in range(7):
        for x in range(4):
            for y in range(4):
                if not np.isnan(vals[i, x]) and not np.isnan(vals[i, y]) and vals[i, x] > vals[i, y]:
                    s[x, y] += wts[i]
    want = sc.rules.schulze(sc.Pairwise(s, total_weight=wts.sum())).winner_mask
    got = sc.rules.schulze(sc.Ratings(vals, wts), pairs="both_rated").winner_mask
    np.testing.assert_array_equal(got, want)
