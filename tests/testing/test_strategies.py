"""The public Hypothesis strategies draw what they document."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import find, given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.testing import strategies as scst


def test_import_socialchoice_does_not_import_hypothesis():
    code = ("import sys, socialchoice, socialchoice.testing, socialchoice.testing.reference; "
            "print('hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(scst.rankings())
def test_rankings_defaults_small(p):
    assert isinstance(p, sc.Rankings)
    assert 1 <= p.n_ballots <= 7 and 1 <= p.n_candidates <= 5
    assert p.batch_shape == () and p.weights is None


@given(scst.rankings(ties=False, truncation=False))
def test_rankings_linear(p):
    assert p.is_linear()


@given(scst.rankings(ties=False, truncation=True))
def test_rankings_strict_truncated(p):
    r = p.ranks
    for row in r:
        ranked = row[row >= 0]
        assert len(set(ranked.tolist())) == len(ranked)  # no ties
        assert sorted(ranked.tolist()) == list(range(len(ranked)))


@given(scst.rankings(ties=True, truncation=False))
def test_rankings_tied_complete(p):
    assert (p.ranks >= 0).all()


@given(scst.rankings(n_voters=st.just(3), n_candidates=4, weights=True,
                     batch_shape=st.sampled_from([(2,), (1, 2)])))
def test_rankings_values_or_strategies_and_batches(p):
    assert p.ranks.shape[-2:] == (3, 4)
    assert p.batch_shape in [(2,), (1, 2)]
    w = p.weights
    assert w.shape == p.batch_shape + (3,)
    assert (w >= 0).all() and (w.sum(-1) > 0).all()


@given(scst.rankings(weights=True, weight_elements=st.integers(0, 2).map(float)))
def test_rankings_weight_elements(p):
    assert set(np.unique(p.weights).tolist()) <= {0.0, 1.0, 2.0}


def test_weights_and_flags_accept_strategies():
    s = scst.rankings(weights=st.booleans(), ties=st.booleans())
    assert find(s, lambda p: p.weights is None).weights is None
    assert find(s, lambda p: p.weights is not None).weights is not None
    tied = find(scst.rankings(ties=st.booleans()), lambda p: not p._strict().all())
    assert tied.n_candidates == 2


def test_rankings_reach_ties_and_truncation_and_shrink():
    tied = find(scst.rankings(), lambda p: not p._strict().all())
    assert tied.n_ballots == 1 and tied.n_candidates == 2
    trunc = find(scst.rankings(ties=False), lambda p: (p.ranks < 0).any())
    assert trunc.n_ballots == 1 and trunc.n_candidates == 1
    big = find(scst.rankings(), lambda p: p.n_ballots >= 3 and p.n_candidates >= 3)
    assert (big.n_ballots, big.n_candidates) == (3, 3)


@given(scst.ratings(groups=3, weights=True, batch_shape=(2,)))
def test_ratings(r):
    assert isinstance(r, sc.Ratings)
    assert not np.isnan(r.values).all()
    assert set(r.rater_attributes["group"].tolist()) <= {0, 1, 2}
    assert r.weights.shape == (2, r.n_raters)


@given(scst.ratings(missing=False, ties=False))
def test_ratings_no_ties_no_missing(r):
    v = r.values
    assert not np.isnan(v).any()
    for row in v:
        assert len(set(row.tolist())) == len(row)


def test_ratings_reach_missing():
    r = find(scst.ratings(), lambda r: np.isnan(r.values).any())
    assert r.values.shape == (1, 2)


@given(scst.pairwise(batch_shape=(2,)), scst.pairwise(integer=False))
def test_pairwise(p, q):
    for s in (p.support(), q.support()):
        assert (s >= 0).all()
        assert (np.diagonal(s, axis1=-2, axis2=-1) == 0).all()
    assert p.batch_shape == (2,)


@given(scst.margin_matrices(parity=1, batch_shape=(3,)),
       scst.margin_matrices(parity=0), scst.margin_matrices())
def test_margin_matrices(odd, even, anyp):
    for M in (odd, even, anyp):
        np.testing.assert_array_equal(M, -np.swapaxes(M, -1, -2))
        assert M.dtype.kind == "i"
    def off(M):
        return M[..., ~np.eye(M.shape[-1], dtype=bool)]

    assert (off(odd) % 2 == 1).all()
    assert (off(even) % 2 == 0).all()


@given(scst.probability_vectors(batch_shape=(2, 2)), scst.probability_vectors(3, allow_zero=False))
def test_probability_vectors(p, q):
    assert p.shape[:2] == (2, 2)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=0, atol=1e-12)
    assert (p >= 0).all() and (q > 0).all() and q.shape == (3,)


@given(scst.utility_tensors(batch_shape=(2,), nonnegative=True), scst.utility_tensors(2, 3))
def test_utility_tensors(u, v):
    assert u.ndim == 3 and u.shape[0] == 2 and (u >= 0).all()
    assert v.shape == (2, 3) and np.isfinite(v).all()


def test_bad_sizes_are_reported():
    with pytest.raises(ValueError, match="n_voters"):
        find(scst.rankings(n_voters=0), lambda p: True)
    with pytest.raises(ValueError, match="parity"):
        find(scst.margin_matrices(parity=2), lambda p: True)
