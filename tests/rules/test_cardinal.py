"""Cardinal rules: docs/rules.md §9 cardinal example, pref_voting differential tests, missing data,
properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ProfileError, ValidationError

from _ballot_profiles import mask_of

R = sc.rules
X = [2, 3, 3, 4, 5]
Y = [1, 3, 3, 3, 4]
CARD = {
    "utilitarian": {},
    "approval": {"threshold": 3},
    "majority_judgment": {},
    "quantile": {"q": 0.25},
}


def _ex(y=Y):
    return sc.Ratings(np.array([X, y], dtype=float).T, candidates=["x", "y"])


# ------------------------------------------------------------------ docs/rules.md §9 cardinal example
def test_cardinal_example():
    r = _ex()
    u = R.utilitarian(r)
    assert u.winners == ["x"] and np.allclose(u.scores, [3.4, 2.8])
    assert R.get("range")(r).winners == ["x"]
    a = R.approval(r, threshold=4)
    assert a.winners == ["x"] and a.scores.tolist() == [2, 1]
    mj = R.majority_judgment(r)
    assert mj.winners == ["x"] and mj.scores.tolist() == [3, 3]
    g = R.majority_judgment(r, tie_break="gauge")
    assert g.winners == ["x"] and np.allclose(g.details["gauge"], [0.4, -0.2])
    assert R.majority_judgment(r, tie_break="none").winners == ["x", "y"]
    ymiss = [1, 3, np.nan, 3, 4]
    rm = _ex(ymiss)
    mjm = R.majority_judgment(rm)
    assert mjm.scores.tolist() == [3, 3] and mjm.winners == ["x"]
    assert mjm.details["n_raters"].tolist() == [5, 4]


def test_majority_value_sequence():
    # x = (1, 3, 3, 5), y = (2, 3, 3, 4): medians 3, 3; remove a 3 -> x (1,3,5) 3, y (2,3,4) 3;
    # remove 3 -> x (1,5) 1, y (2,4) 2 -> y
    r = sc.Ratings(np.array([[1, 3, 3, 5], [2, 3, 3, 4]], float).T)
    assert R.majority_judgment(r).winners == [1]
    # identical multisets stay tied; weights 2 == two copies
    same = sc.Ratings(np.array([[1, 2, 3], [3, 1, 2]], float).T)
    assert R.majority_judgment(same).winners == [0, 1]
    w = sc.Ratings(np.array([[1, 3, 3, 5], [2, 3, 4, 4]], float).T, weights=[1, 2, 1, 1])
    rep = sc.Ratings(np.array([[1, 3, 3, 3, 5], [2, 3, 3, 4, 4]], float).T)
    assert R.majority_judgment(w).winners == R.majority_judgment(rep).winners


def test_missing_modes():
    v = np.array([[5.0, np.nan], [4.0, 5.0], [0.0, 5.0]])
    r = sc.Ratings(v)
    assert np.allclose(R.utilitarian(r).scores, [3.0, 5.0])
    assert np.allclose(R.utilitarian(r, nan_policy="zero").scores, [3.0, 10 / 3])
    assert np.allclose(R.utilitarian(r, nan_policy="min").scores, [3.0, 10 / 3])  # lo = 0 inferred
    assert np.allclose(R.utilitarian(r, nan_policy="min", scale=(1, 5)).scores, [3.0, 11 / 3])
    with pytest.raises(ProfileError, match="missing"):
        R.utilitarian(r, nan_policy="raise")
    assert R.utilitarian(r, min_raters=3).winners == [0]  # y has 2 raters
    # a candidate nobody rated: NaN score, never a winner
    u = R.utilitarian(sc.Ratings([[1.0, np.nan], [2.0, np.nan]]))
    assert np.isnan(u.scores[1]) and u.winners == [0]
    # an item with no ratings at all: every candidate wins
    b = sc.Ratings(np.array([[[1.0, 2.0]], [[np.nan, np.nan]]]))
    for name, kw in CARD.items():
        assert R.get(name)(b, **kw).winner_mask[1].all(), name


def test_normalisations():
    v = np.array([[0.0, 5.0, 10.0], [1.0, 1.0, 1.0], [2.0, 4.0, np.nan]])
    r = sc.Ratings(v)
    np.testing.assert_allclose(R.utilitarian(r, normalize="range", reduce="sum").scores,
                               [0.0, 1.5, 1.0])
    z = R.utilitarian(r, normalize="zscore", reduce="sum").scores
    np.testing.assert_allclose(z, [-np.sqrt(1.5) - 1, 1, np.sqrt(1.5)])
    rk = R.utilitarian(r, normalize="rank", reduce="sum").scores
    np.testing.assert_allclose(rk, [0 + 1 + 0, 1 + 1 + 1, 2 + 1])
    # rank normalisation with complete ratings = Borda (average mode)
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 4, size=(20, 9, 5)).astype(float)
    np.testing.assert_allclose(R.utilitarian(sc.Ratings(vals), normalize="rank", reduce="sum").scores,
                               R.borda(sc.Ratings(vals)).scores)


def test_approval_options():
    r = _ex()
    assert R.approval(r, threshold=3, strict=True).scores.tolist() == [2, 1]
    assert R.approval(r, threshold=3).scores.tolist() == [4, 4]
    rm = _ex([1, 3, np.nan, 3, 4])
    assert np.allclose(R.approval(rm, threshold=3, share=True).scores, [0.8, 0.75])


# ------------------------------------------------------------------ differential vs pref_voting
def _grade_profile(vals, grades):
    from pref_voting.grade_profiles import GradeProfile

    n, m = vals.shape
    return GradeProfile([{c: int(vals[v, c]) for c in range(m)} for v in range(n)], grades)


def test_vs_pref_voting():
    import pref_voting.grade_methods as gm

    rng = np.random.default_rng(21)
    k = 2000
    m = 4
    count = 0
    for n in (5, 6):
        vals = rng.integers(0, 5, size=(k // 2, n, m)).astype(float)
        r = sc.Ratings(vals)
        ut = R.utilitarian(r).winner_mask
        uts = R.utilitarian(r, reduce="sum").winner_mask
        ap = R.approval(r, threshold=3).winner_mask
        mj = R.majority_judgment(r, tie_break="gauge").winner_mask
        for i in range(k // 2):
            gp = _grade_profile(vals[i], list(range(5)))
            np.testing.assert_array_equal(ut[i], mask_of(gm.score_voting(gp, evaluation_method="mean"), m))
            np.testing.assert_array_equal(uts[i], mask_of(gm.score_voting(gp), m))
            np.testing.assert_array_equal(mj[i], mask_of(gm.majority_judgement(gp), m))
            ap01 = _grade_profile((vals[i] >= 3).astype(int), [0, 1])
            np.testing.assert_array_equal(ap[i], mask_of(gm.approval(ap01), m))
            count += 1
    assert count == 2000


def test_quantile_matches_numpy():
    rng = np.random.default_rng(22)
    vals = rng.integers(0, 7, size=(300, 7, 4)).astype(float)
    for q in (0.1, 0.5, 0.9, 1.0):
        ours = R.quantile(sc.Ratings(vals), q=q).scores
        ref = np.quantile(vals, q, axis=1, method="inverted_cdf")
        np.testing.assert_allclose(ours, ref)
    np.testing.assert_allclose(R.majority_judgment(sc.Ratings(vals), tie_break="none").scores,
                               np.quantile(vals, 0.5, axis=1, method="inverted_cdf"))


# ------------------------------------------------------------------ properties
_ratings = st.builds(
    lambda seed, k, n, m, miss: _rand_ratings(np.random.default_rng(seed), k, n, m, miss),
    st.integers(0, 10**6), st.integers(1, 3), st.integers(1, 6), st.integers(2, 5), st.booleans())


def _rand_ratings(rng, k, n, m, miss):
    v = rng.integers(0, 5, size=(k, n, m)).astype(float)
    if miss:
        v[rng.random(v.shape) < 0.2] = np.nan
        v[..., 0, 0] = 1.0
    w = rng.integers(1, 4, size=(k, n)).astype(float)
    return v, w


@settings(max_examples=12, deadline=None)
@given(_ratings, st.integers(0, 10**6))
def test_properties(data, seed):
    v, w = data
    rng = np.random.default_rng(seed)
    k, n, m = v.shape
    before = v.copy()
    pv, pc = rng.permutation(n), rng.permutation(m)
    for name, kw in CARD.items():
        f = R.get(name)
        base = f(sc.Ratings(v, w), **kw)
        np.testing.assert_array_equal(base.winner_mask,
                                      f(sc.Ratings(v[:, pv], w[:, pv]), **kw).winner_mask)
        np.testing.assert_array_equal(base.winner_mask[..., pc],
                                      f(sc.Ratings(v[..., pc], w), **kw).winner_mask)
        for i in range(k):
            if np.isnan(v[i]).all():
                continue
            np.testing.assert_array_equal(base.winner_mask[i],
                                          f(sc.Ratings(v[i], w[i]), **kw).winner_mask)
        rep = np.repeat(v[0], w[0].astype(int), axis=0)
        np.testing.assert_array_equal(base.winner_mask[0], f(sc.Ratings(rep), **kw).winner_mask)
    np.testing.assert_array_equal(v, before)


def test_xarray_and_dask_paths():
    rng = np.random.default_rng(23)
    v, _ = _rand_ratings(rng, 5, 6, 4, True)
    for name, kw in CARD.items():
        ours = R.get(name)(sc.Ratings(v), **kw).winner_mask
        np.testing.assert_array_equal(
            R.get(name)(sc.xr.ratings_dataarray(v), **kw)["winner_mask"].values, ours)
        dd = sc.xr.ratings_dataarray(v, chunks={"item": 2})
        np.testing.assert_array_equal(R.get(name)(dd, **kw)["winner_mask"].values, ours)


# ------------------------------------------------------------------ bad input
def test_bad_input():
    r = _ex()
    with pytest.raises(ValidationError, match="cardinal"):
        R.utilitarian(sc.Rankings([[0, 1], [1, 0]]))
    with pytest.raises(ValidationError, match="normalize"):
        R.utilitarian(r, normalize="minmax")
    with pytest.raises(ValidationError, match="reduce"):
        R.utilitarian(r, reduce="median")
    with pytest.raises(ValidationError, match="nan_policy"):
        R.utilitarian(r, nan_policy="drop")
    with pytest.raises(ValidationError, match="threshold"):
        R.approval(r, threshold="high")
    with pytest.raises(ValidationError, match="tie_break"):
        R.majority_judgment(r, tie_break="coin")
    with pytest.raises(ValidationError, match="integer counts"):
        R.majority_judgment(sc.Ratings(r.values, weights=[np.pi, 1, 1, 1, 1]))
    assert R.majority_judgment(sc.Ratings(r.values, weights=[0.5, 1, 1, 1, 1]),
                               tie_break="gauge").winners == [0]
    with pytest.raises(ValidationError, match="q"):
        R.quantile(r, q=0)
    with pytest.raises(ValidationError, match="q=0.5"):
        R.quantile(r, q=0.3, tie_break="gauge")
    with pytest.raises(ValidationError, match="min_raters"):
        R.utilitarian(r, min_raters=-1)
    with pytest.raises(ValidationError, match="scale"):
        R.utilitarian(_ex([1, 3, np.nan, 3, 4]), nan_policy="min", scale=(5, 1))
    with pytest.raises(ValidationError):
        R.utilitarian(sc.Pairwise(np.array([[0.0, 1.0], [2.0, 0.0]])))


def test_majority_value_with_proportional_weights():
    """Weights c * k count as k ballots: same answer as the expanded profile, for any c."""
    rng = np.random.default_rng(7)
    for _ in range(30):
        vals = rng.integers(0, 4, size=(6, 4)).astype(float)
        k = rng.integers(1, 4, size=6)
        want = R.majority_judgment(sc.Ratings(np.repeat(vals, k, axis=0))).winner_mask
        for c in (1.0, 0.5, 3.7, 1e-9, 1e12):
            got = R.majority_judgment(sc.Ratings(vals, weights=c * k)).winner_mask
            np.testing.assert_array_equal(got, want)


def test_large_tie_warns():
    vals = np.zeros((5, 4))  # every candidate has the same grades: a 4-way tie
    with pytest.warns(sc.errors.TieWarning, match="4 candidates remain tied"):
        R.majority_judgment(sc.Ratings(vals))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        R.majority_judgment(sc.Ratings(vals), tie_break="none")  # no tie-break asked: no warning
        R.majority_judgment(_ex())


def test_renamed_options_warn():
    r = _ex([1, 3, np.nan, 3, 4])
    with pytest.warns(DeprecationWarning, match="nan_policy"):
        a = R.utilitarian(r, missing="zero")
    np.testing.assert_array_equal(a.scores, R.utilitarian(r, nan_policy="zero").scores)
    with pytest.warns(DeprecationWarning, match="reduce"):
        R.utilitarian(r, agg="sum")
    with pytest.warns(DeprecationWarning, match="tie_break"):
        R.majority_judgment(r, tiebreak="gauge")
    with pytest.warns(DeprecationWarning, match="raise"):
        with pytest.raises(ProfileError):
            R.utilitarian(r, nan_policy="error")
    with pytest.raises(ValidationError, match="only"):
        R.utilitarian(r, agg="sum", reduce="sum")
    with pytest.raises(ValidationError, match="no option 'tiebreaker'"):
        R.majority_judgment(r, tiebreaker="gauge")


def test_nan_policy_propagate():
    v = np.array([[5.0, np.nan, 1.0], [4.0, 5.0, 1.0], [0.0, 5.0, 2.0]])
    r = sc.Ratings(v)
    u = R.utilitarian(r, nan_policy="propagate")
    assert np.isnan(u.scores[1]) and u.winners == [0]
    q = R.majority_judgment(r, nan_policy="propagate")
    assert np.isnan(q.scores[1]) and 1 not in q.winners
    assert R.approval(r, threshold=3, nan_policy="propagate").winners == [0]
