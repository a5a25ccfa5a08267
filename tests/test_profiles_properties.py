"""Property tests of the profile containers against the naive reference (foundation acceptance).

Every conversion path of profiles.py is compared with socialchoice.testing.reference on profiles
drawn by socialchoice.testing.strategies: ties, truncation, weights and batches included.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import socialchoice as sc
from socialchoice._config import SUPPORT_HIST_MAX_M
from socialchoice._kernels import pairwise as kp
from socialchoice.testing import reference as ref
from socialchoice.testing import strategies as scst

batches = st.sampled_from([(), (1,), (3,), (2, 2)])


@pytest.fixture(autouse=True, scope="module")
def _one_numba_thread():
    """Run the many tiny kernel calls on one thread: launching a 2-thread parallel region costs
    milliseconds on a loaded 2-core machine (and pytest -n 2 already uses both cores). The
    thread-partitioned code paths are still exercised: the histogram test passes ``nt`` chunks
    explicitly."""
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(old)


@given(scst.rankings(weights=st.booleans(), batch_shape=batches))
def test_support_matches_naive(p):
    np.testing.assert_allclose(p.support(), ref.support_naive(p.ranks, p.weights),
                               rtol=1e-12, atol=1e-12)
    m = p.margins()
    np.testing.assert_allclose(m, -np.swapaxes(m, -1, -2))


@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=3, max_side=5),
                  elements=st.integers(-1, 9)))
def test_construction_normalizes_levels_like_naive(raw):
    before = raw.copy()
    p = sc.Rankings(raw)
    np.testing.assert_array_equal(p.ranks, ref.normalize_levels_naive(raw))
    np.testing.assert_array_equal(raw, before)  # caller's array untouched
    assert not p.ranks.flags.writeable
    np.testing.assert_allclose(p.support(), ref.support_naive(raw))  # levels, not values, matter


@given(scst.ratings(ties=False, weights=st.booleans(), batch_shape=batches))
def test_ratings_to_rankings_matches_naive(r):
    rk = r.to_rankings()
    np.testing.assert_array_equal(rk.ranks, ref.ratings_to_ranks_naive(r.values))
    np.testing.assert_allclose(r.support(pairs="missing_below"), ref.support_naive(rk.ranks, r.weights))


@given(scst.ratings(ties=True, batch_shape=batches))
def test_ratings_with_ties_to_rankings_matches_naive(r):
    np.testing.assert_array_equal(r.to_rankings().ranks, ref.ratings_to_ranks_naive(r.values))


@given(scst.rankings(weights=st.booleans(), batch_shape=batches))
def test_rankings_support_equals_ratings_roundtrip(p):
    # a ballot's levels as ratings (higher = better, unranked = NaN) give back the same support
    vals = np.where(p.ranks >= 0, -p.ranks.astype(float), np.nan)
    if np.isnan(vals).all():
        vals[(0,) * vals.ndim] = 0.0
        p = sc.Rankings(np.where(np.isnan(vals), -1, -vals).astype(int), p.weights)
    rat = sc.Ratings(vals, p.weights)
    np.testing.assert_array_equal(rat.to_rankings().ranks, p.ranks)
    np.testing.assert_allclose(rat.support(pairs="missing_below"), p.support())


@given(scst.rankings(batch_shape=None))
def test_from_orders_matches_naive(p):
    orders = p.to_orders()
    # to_orders lists unranked candidates as a final tied block; drop it for a truncated ballot
    trimmed = []
    for ballot, row in zip(orders, p.ranks):
        k = int(row.max()) + 1
        trimmed.append(ballot[:k] if (row < 0).any() else ballot)
    q = sc.Rankings.from_orders(trimmed, n_candidates=p.n_candidates)
    np.testing.assert_array_equal(q.ranks, ref.orders_to_ranks_naive(trimmed, p.n_candidates))
    np.testing.assert_array_equal(q.ranks, p.ranks)


@given(scst.rankings(ties=False, batch_shape=batches))
def test_from_integer_orders_matches_naive(p):
    r = p.ranks
    m = r.shape[-1]
    # candidate at position k of each ballot, -1 padding after the ranked ones
    order = np.argsort(np.where(r < 0, m, r), axis=-1, kind="stable")
    ranked = np.take_along_axis(r, order, axis=-1) >= 0
    orders = np.where(ranked, order, -1)
    before = orders.copy()
    q = sc.Rankings.from_orders(orders, n_candidates=m)
    np.testing.assert_array_equal(orders, before)
    np.testing.assert_array_equal(q.ranks, r)
    flat = orders.reshape(-1, m)
    np.testing.assert_array_equal(q.ranks.reshape(-1, m), ref.orders_to_ranks_naive(flat, m))


@st.composite
def records(draw):
    m = draw(st.integers(2, 5))
    n = draw(st.integers(1, 12))
    cands = ["a", "b", "c", "d", "e"][:m]
    rows = []
    for _ in range(n):
        x, y = draw(st.permutations(cands))[:2]
        rows.append({
            "item": draw(st.sampled_from(["p", "q", "r"])), "a": x, "b": y,
            "outcome": draw(st.sampled_from([0.0, 0.5, 1.0])),
            "w": draw(st.floats(0.0, 5.0, allow_subnormal=False)),
        })
    return pd.DataFrame(rows), cands


@given(records(), st.sampled_from(["ignore", "half"]), st.booleans())
def test_pairwise_from_records_matches_naive(rc, ties, weighted):
    df, cands = rc
    before = df.copy()
    w = "w" if weighted else None
    if weighted and (df.groupby("item")["w"].sum() == 0).any():
        # an item whose records all weigh 0 says nothing: a package error, not an empty item
        with pytest.raises(sc.errors.WeightsError, match="total weight 0"):
            sc.Pairwise.from_records(df, weight=w, candidates=cands, ties=ties)
        return
    pw = sc.Pairwise.from_records(df, weight=w, candidates=cands, ties=ties)
    exp = ref.records_to_support_naive(df, weight=w, candidates=cands, ties=ties)
    np.testing.assert_allclose(pw.support(), exp)
    pd.testing.assert_frame_equal(df, before)
    one = sc.Pairwise.from_records(df, item=None, weight=w, candidates=cands, ties=ties)
    np.testing.assert_allclose(one.support(), exp.sum(axis=0))


@given(scst.rankings(weights=True, batch_shape=st.sampled_from([(), (2,)])), st.data())
def test_weight_two_equals_duplicate_voter(p, data):
    v = data.draw(st.integers(0, p.n_ballots - 1))
    w = np.array(p.weights)
    dup_ranks = np.concatenate([p.ranks, p.ranks[..., v:v + 1, :]], axis=-2)
    dup_w = np.concatenate([w, w[..., v:v + 1]], axis=-1)
    w2 = w.copy()
    w2[..., v] *= 2
    np.testing.assert_allclose(sc.Rankings(p.ranks, w2).support(),
                               sc.Rankings(dup_ranks, dup_w).support(), rtol=1e-12)
    unit = sc.Rankings(p.ranks)
    twice = np.ones(p.ranks.shape[:-1])
    twice[..., v] = 2.0
    np.testing.assert_allclose(
        sc.Rankings(p.ranks, twice).support(),
        sc.Rankings(np.concatenate([p.ranks, p.ranks[..., v:v + 1, :]], axis=-2)).support())
    assert unit.support().sum() <= sc.Rankings(p.ranks, twice).support().sum()


@given(scst.rankings(weights=st.booleans(), batch_shape=st.sampled_from([(), (2,)])), st.data())
def test_permuting_voters_changes_nothing(p, data):
    perm = np.array(data.draw(st.permutations(range(p.n_ballots))))
    w = None if p.weights is None else p.weights[..., perm]
    q = sc.Rankings(p.ranks[..., perm, :], w)
    np.testing.assert_allclose(q.support(), p.support(), rtol=1e-12)
    np.testing.assert_allclose(q.total_weight, p.total_weight)


@given(scst.rankings(n_candidates=st.integers(1, 5), weights=st.booleans()),
       st.sampled_from([0, 1]))
def test_histogram_and_direct_paths_agree(p, side):
    # tile the ballots so n lands at (side=1) or just below (side=0) the histogram threshold
    m, n0 = p.n_candidates, p.n_ballots
    threshold = 8 * (1 << m)
    n = threshold if side else threshold - 1
    idx = np.arange(n) % n0
    w0 = np.ones(n0) if p.weights is None else np.array(p.weights)
    big = sc.Rankings(p.ranks[idx], None if p.weights is None else w0[idx])
    assert (m <= SUPPORT_HIST_MAX_M and big.n_ballots >= threshold) == bool(side)
    # oracle: the base ballots weighted by their number of copies
    expect = ref.support_naive(p.ranks, w0 * np.bincount(idx, minlength=n0))
    np.testing.assert_allclose(big.support(), expect, rtol=1e-9)
    # the direct kernel on the same (large) profile, split into 3 voter chunks
    ww = np.empty(0) if p.weights is None else np.ascontiguousarray(big.weights)
    direct = kp.support_direct(np.ascontiguousarray(big.ranks), ww, p.weights is not None, 3)
    np.testing.assert_allclose(direct, expect, rtol=1e-9)
    # the histogram kernel itself (the dispatcher sends inputs this small to the serial path):
    # general path always, strict path when no ballot has ties
    r = np.ascontiguousarray(big.ranks)
    for strict in {False, not big.has_ties()}:
        hist = kp.support_hist(r, ww, p.weights is not None, strict, 2)
        np.testing.assert_allclose(hist, expect, rtol=1e-9)


@given(scst.rankings(weights=st.booleans(), batch_shape=batches))
def test_construction_never_mutates_or_aliases(p):
    ranks = np.array(p.ranks, dtype=np.int64) * 3  # unnormalised levels, writable
    ranks = np.where(p.ranks < 0, -1, ranks)
    r0 = ranks.copy()
    w = None if p.weights is None else np.array(p.weights)
    w0 = None if w is None else w.copy()
    q = sc.Rankings(ranks, w)
    np.testing.assert_array_equal(ranks, r0)
    if w is not None:
        np.testing.assert_array_equal(w, w0)
        w[...] = 7.0  # later changes by the caller do not leak into the profile
        np.testing.assert_array_equal(q.weights, w0)
    ranks[...] = 0
    np.testing.assert_array_equal(q.ranks, p.ranks)


@given(scst.ratings(weights=st.booleans(), batch_shape=batches))
def test_ratings_construction_never_mutates(r):
    vals = np.array(r.values)
    v0 = vals.copy()
    q = sc.Ratings(vals, r.weights)
    vals[...] = 1.0
    np.testing.assert_array_equal(q.values, v0)
    q.to_rankings()
    np.testing.assert_array_equal(q.values, v0)


@given(scst.rankings(weights=st.booleans(), batch_shape=st.sampled_from([(), (2,), (2, 1)])),
       st.booleans())
def test_rankings_xarray_roundtrip(p, labelled):
    n, m = p.n_ballots, p.n_candidates
    cands = [f"c{i}" for i in range(m)] if labelled else None
    attrs = {"group": np.arange(n) % 2} if labelled else None
    p = sc.Rankings(p.ranks, p.weights, cands, voter_attributes=attrs)
    back = sc.Rankings.from_xarray(p.to_xarray())
    assert back == p
    assert back.candidates == p.candidates
    assert back.batch_shape == p.batch_shape
    if labelled:
        np.testing.assert_array_equal(back.voter_attributes["group"], attrs["group"])
    assert (back.weights is None) == (p.weights is None)


@given(scst.ratings(weights=st.booleans(), groups=st.sampled_from(["x", "y"]),
                    batch_shape=st.sampled_from([(), (2,)])))
def test_ratings_xarray_roundtrip(r):
    raters = [f"r{i}" for i in range(r.n_raters)]
    r = sc.Ratings(r.values, r.weights, raters, candidates=list("abcde")[: r.n_candidates],
                   rater_attributes=r.rater_attributes)
    back = sc.Ratings.from_xarray(r.to_xarray())
    assert back == r
    assert back.raters == r.raters and back.candidates == r.candidates
    np.testing.assert_array_equal(back.rater_attributes["group"], r.rater_attributes["group"])
    assert (back.weights is None) == (r.weights is None)
