"""Generators draw from the distributions they claim (exact probabilities are the oracle).

Every statistical test uses a fixed seed and a wide margin (p > 1e-4 for chi-square tests), so it
is deterministic and fails only when the distribution is wrong.
"""

from __future__ import annotations

import itertools
import math

import numba
import numpy as np
import pytest
from scipy import stats

import socialchoice as sc
from socialchoice.errors import DistributionError, ValidationError

P_MIN = 1e-4


def codes(ranks: np.ndarray) -> np.ndarray:
    """Integer code of each ballot row (levels in base m+1, unranked shifted to 0)."""
    r = np.asarray(ranks, dtype=np.int64) + 1
    m = r.shape[-1]
    return (r * (m + 1) ** np.arange(m)).sum(axis=-1)


def order_code(order, m):
    """Code of the linear order ``order`` (best first)."""
    ranks = np.empty(m, np.int64)
    ranks[list(order)] = np.arange(m)
    return int(codes(ranks[None])[0])


def kendall(order, center):
    pos = {c: i for i, c in enumerate(order)}
    return sum(1 for i, j in itertools.combinations(center, 2) if pos[i] > pos[j])


def chisq_p(observed_codes, expected: dict) -> float:
    """Chi-square goodness of fit of observed codes to ``{code: probability}``; fails on
    codes outside the support."""
    u, cnt = np.unique(observed_codes, return_counts=True)
    obs = dict(zip(u.tolist(), cnt.tolist()))
    extra = set(obs) - set(expected)
    assert not extra, f"codes outside the claimed support: {sorted(extra)[:5]}"
    keys = sorted(expected)
    f_obs = np.array([obs.get(k, 0) for k in keys], float)
    f_exp = np.array([expected[k] for k in keys]) * f_obs.sum()
    return stats.chisquare(f_obs, f_exp).pvalue


def single_peaked_orders(m, axis):
    out = []
    for order in itertools.permutations(range(m)):
        pos = [axis.index(c) for c in order]
        # single-peaked: every top-k set is an interval of the axis
        ok = all(max(pos[: k + 1]) - min(pos[: k + 1]) == k for k in range(m))
        if ok:
            out.append(order)
    return out


# --------------------------------------------------------------------- impartial culture
@pytest.mark.parametrize("m", [3, 4, 5])
def test_ic_uniform_over_orders(m):
    n = 400 * math.factorial(m)
    p = sc.generate.impartial_culture(n, m, seed=m)
    assert p.ranks.dtype == np.int8 and p.is_linear()
    expected = {order_code(o, m): 1 / math.factorial(m) for o in itertools.permutations(range(m))}
    assert chisq_p(codes(p.ranks), expected) > P_MIN


def test_ic_many_candidates_marginals_uniform():
    # 13! > 2**32: the shuffle needs two batched draws; every position of every candidate uniform
    m, n = 13, 26000
    r = sc.generate.impartial_culture(n, m, seed=3).ranks
    assert (np.sort(r, axis=1) == np.arange(m)).all()
    for c in (0, 6, 12):
        cnt = np.bincount(r[:, c], minlength=m)
        assert stats.chisquare(cnt).pvalue > P_MIN
    # adjacent positions independent enough: candidate 0 above candidate 1 half the time
    assert abs((r[:, 0] < r[:, 1]).mean() - 0.5) < 4 * 0.5 / math.sqrt(n)


def test_ic_reproducible_and_thread_independent():
    a = sc.generate.impartial_culture(5000, 7, n_items=3, seed=11).ranks
    b = sc.generate.impartial_culture(5000, 7, n_items=3, rng=np.random.default_rng(11)).ranks
    assert a.shape == (3, 5000, 7)
    np.testing.assert_array_equal(a, b)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        c = sc.generate.impartial_culture(5000, 7, n_items=3, seed=11).ranks
        d = sc.generate.mallows(5000, 7, phi=0.7, seed=5).ranks
    finally:
        numba.set_num_threads(old)
    np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(d, sc.generate.mallows(5000, 7, phi=0.7, seed=5).ranks)
    assert not np.array_equal(a, sc.generate.impartial_culture(5000, 7, n_items=3, seed=12).ranks)


# --------------------------------------------------------------------- Mallows
@pytest.mark.parametrize("m,phi,center", [(3, 0.5, None), (4, 0.5, [2, 0, 3, 1]),
                                          (4, 0.8, [3, 2, 1, 0]), (4, 0.2, None)])
def test_mallows_exact_probabilities(m, phi, center):
    n = 40000
    p = sc.generate.mallows(n, m, phi=phi, center=center, seed=7)
    cen = list(range(m)) if center is None else center
    w = {order_code(o, m): phi ** kendall(o, cen) for o in itertools.permutations(range(m))}
    z = sum(w.values())
    assert chisq_p(codes(p.ranks), {k: v / z for k, v in w.items()}) > P_MIN


def test_mallows_extremes():
    p0 = sc.generate.mallows(50, 5, phi=0.0, center=[4, 3, 2, 1, 0], seed=0)
    assert (p0.ranks == [4, 3, 2, 1, 0]).all()
    p1 = sc.generate.mallows(24 * 300, 4, phi=1.0, seed=1)
    expected = {order_code(o, 4): 1 / 24 for o in itertools.permutations(range(4))}
    assert chisq_p(codes(p1.ranks), expected) > P_MIN


def test_mallows_normalized_phi_matches_expected_distance():
    m, rel = 6, 0.4
    phi = sc.generate.phi_from_norm_phi(rel, m)
    r = sc.generate.mallows(20000, m, phi=rel, normalize_phi=True, seed=2).ranks
    # Kendall distance to the identity = number of inverted pairs
    d = sum((r[:, i] > r[:, j]).astype(int) for i in range(m) for j in range(i + 1, m))
    assert abs(d.mean() - rel * m * (m - 1) / 4) < 0.05
    ps = pytest.importorskip("prefsampling.ordinal.mallows")
    assert abs(ps.phi_from_norm_phi(m, rel) - phi) < 1e-4


def test_mallows_mixture_component_weights():
    n = 20000
    p = sc.generate.mallows_mixture(n, 3, weights=[0.2, 0.8], phis=[0.0, 0.0],
                                    centers=[[0, 1, 2], [2, 1, 0]], seed=4)
    share = (p.ranks[:, 0] == 0).mean()
    assert abs(share - 0.2) < 4 * math.sqrt(0.2 * 0.8 / n)
    # mixture with dispersion: the probability of each order is the weighted Mallows sum
    weights, phis, centers = [0.3, 0.7], [0.5, 0.8], [[0, 1, 2], [1, 2, 0]]
    q = sc.generate.mallows_mixture(30000, 3, weights=weights, phis=phis, centers=centers, seed=9)
    expected = {}
    for o in itertools.permutations(range(3)):
        pr = 0.0
        for wk, ph, ce in zip(weights, phis, centers):
            z = sum(ph ** kendall(x, ce) for x in itertools.permutations(range(3)))
            pr += wk * ph ** kendall(o, ce) / z
        expected[order_code(o, 3)] = pr
    assert chisq_p(codes(q.ranks), expected) > P_MIN


# --------------------------------------------------------------------- urn and IAC
def test_urn_first_ballot_uniform_and_pairwise_polya():
    m, alpha, items = 3, 0.5, 20000
    r = sc.generate.urn(6, m, alpha=alpha, n_items=items, seed=5).ranks
    expected = {order_code(o, m): 1 / 6 for o in itertools.permutations(range(m))}
    assert chisq_p(codes(r[:, 0]), expected) > P_MIN
    assert chisq_p(codes(r[:, 4]), expected) > P_MIN  # exchangeable: every voter uniform
    q = (1 / math.factorial(m) + alpha) / (1 + alpha)
    for i, j in [(0, 1), (2, 5)]:
        same = (r[:, i] == r[:, j]).all(axis=1).mean()
        assert abs(same - q) < 4 * math.sqrt(q * (1 - q) / items)


def test_urn_alpha_zero_is_ic_and_large_alpha_is_constant():
    r = sc.generate.urn(24 * 300, 4, alpha=0.0, seed=1).ranks
    expected = {order_code(o, 4): 1 / 24 for o in itertools.permutations(range(4))}
    assert chisq_p(codes(r), expected) > P_MIN
    big = sc.generate.urn(200, 5, alpha=1e9, n_items=3, seed=1).ranks
    assert (big == big[:, :1]).all()


def test_iac_uniform_over_anonymous_profiles():
    m, n, items = 3, 3, 28000
    r = sc.generate.impartial_anonymous_culture(n, m, n_items=items, seed=8).ranks
    c = np.sort(codes(r), axis=1)  # a multiset = sorted tuple of ballot codes
    key = (c * np.array([1, 10**3, 10**6])).sum(axis=1)
    types = sorted(order_code(o, m) for o in itertools.permutations(range(m)))
    multisets = list(itertools.combinations_with_replacement(types, n))
    assert len(multisets) == math.comb(n + 5, n) == 56
    expected = {int((np.array(s) * np.array([1, 10**3, 10**6])).sum()): 1 / 56 for s in multisets}
    assert chisq_p(key, expected) > P_MIN


# --------------------------------------------------------------------- single-peaked
@pytest.mark.parametrize("axis", [None, [2, 0, 3, 1, 4]])
def test_walsh_uniform_over_single_peaked(axis):
    m, n = 5, 16 * 1000
    p = sc.generate.single_peaked_walsh(n, m, axis=axis, seed=3)
    ax = list(range(m)) if axis is None else axis
    sp = single_peaked_orders(m, ax)
    assert len(sp) == 2 ** (m - 1)
    assert chisq_p(codes(p.ranks), {order_code(o, m): 1 / len(sp) for o in sp}) > P_MIN


def _conitzer_probs(m):
    out = {}

    def rec(lo, hi, order, pr):
        if len(order) == m:
            out[order_code(order, m)] = out.get(order_code(order, m), 0) + pr
            return
        opts = ([lo - 1] if lo > 0 else []) + ([hi + 1] if hi < m - 1 else [])
        for c in opts:
            rec(min(lo, c), max(hi, c), order + [c], pr / len(opts))

    for peak in range(m):
        rec(peak, peak, [peak], 1 / m)
    return out


def test_conitzer_exact_and_peak_uniform():
    m, n = 5, 30000
    r = sc.generate.single_peaked_conitzer(n, m, seed=6).ranks
    peaks = np.argmin(r, axis=1)
    assert stats.chisquare(np.bincount(peaks, minlength=m)).pvalue > P_MIN
    probs = _conitzer_probs(m)
    assert abs(sum(probs.values()) - 1) < 1e-12
    assert chisq_p(codes(r), probs) > P_MIN


def test_single_peaked_many_candidates_uses_more_bits():
    m = 70
    for fn in (sc.generate.single_peaked_walsh, sc.generate.single_peaked_conitzer):
        r = fn(50, m, seed=0).ranks
        assert (np.sort(r, axis=1) == np.arange(m)).all()
        for row in r:
            order = np.argsort(row)
            for k in range(1, m):
                top = order[:k]
                assert top.max() - top.min() == k - 1


# --------------------------------------------------------------------- Euclidean
def test_euclidean_ranks_by_distance():
    prof, vpos, cpos = sc.generate.euclidean(40, 6, dim=3, n_items=2, return_positions=True,
                                             seed=0)
    assert vpos.shape == (2, 40, 3) and cpos.shape == (2, 6, 3)
    d = ((vpos[:, :, None, :] - cpos[:, None, :, :]) ** 2).sum(-1)
    expect = np.argsort(np.argsort(d, axis=-1), axis=-1)
    np.testing.assert_array_equal(prof.ranks, expect)
    # positions drawn in-kernel (no return) are still consistent orders, reproducible
    a = sc.generate.euclidean(100, 5, seed=1).ranks
    np.testing.assert_array_equal(a, sc.generate.euclidean(100, 5, seed=1).ranks)
    assert (np.sort(a, axis=1) == np.arange(5)).all()


def test_euclidean_1d_is_single_peaked_and_ties():
    prof = sc.generate.euclidean(300, 5, candidate_positions=[[0.1], [0.3], [0.5], [0.7], [0.9]],
                                 seed=2)
    for row in prof.ranks:
        order = np.argsort(row, kind="stable")
        for k in range(1, 5):
            assert order[:k].max() - order[:k].min() == k - 1
    tie = sc.generate.euclidean(1, 3, voter_positions=[[0.5]],
                                candidate_positions=[[0.25], [0.75], [0.5]])
    np.testing.assert_array_equal(tie.ranks, [[1, 1, 0]])


# --------------------------------------------------------------------- transforms
def test_truncate_and_add_ties():
    p = sc.generate.impartial_culture(2000, 5, seed=0)
    t = sc.generate.truncate(p, 2)
    assert ((t.ranks >= 0).sum(axis=1) == 2).all()
    assert ((t.ranks == p.ranks) | (t.ranks == -1)).all()
    k = np.arange(2000) % 6
    t2 = sc.generate.truncate(p, k)
    np.testing.assert_array_equal((t2.ranks >= 0).sum(axis=1), np.minimum(k, 5))
    dist = [0.1, 0.0, 0.5, 0.0, 0.0, 0.4]
    t3 = sc.generate.truncate(p, p=dist, seed=1)
    cnt = np.bincount((t3.ranks >= 0).sum(axis=1), minlength=6)
    assert cnt[1] == cnt[3] == cnt[4] == 0
    assert stats.chisquare(cnt[[0, 2, 5]], np.array([0.1, 0.5, 0.4]) * 2000).pvalue > P_MIN
    assert sc.generate.add_ties(p, 0.0, seed=0) == p
    assert (sc.generate.add_ties(t, 1.0, seed=0).ranks <= 0).all()
    h = sc.generate.add_ties(p, 0.5, seed=3).ranks
    n_levels = h.max(axis=1) + 1  # 1 + number of kept boundaries, Binomial(4, 0.5)
    assert stats.chisquare(np.bincount(n_levels - 1, minlength=5),
                           stats.binom.pmf(np.arange(5), 4, 0.5) * 2000).pvalue > P_MIN
    # transforms keep weights and never touch the input
    w = np.arange(1, 2001, dtype=float)
    pw = sc.Rankings(p.ranks, w)
    np.testing.assert_array_equal(sc.generate.truncate(pw, 1).weights, w)


# --------------------------------------------------------------------- cardinal / pairwise
def test_grouped_ratings_recover_group_means():
    u = np.array([[[0.0, 1.0, 2.0]], [[2.0, -1.0, 0.5]]])  # (groups, items, alternatives)
    s = sc.generate.grouped_ratings(1, 3000, 3, group_sizes=[1000, 2000], group_utilities=u,
                                    noise=1.0, missing=0.2, seed=0)
    vals = s.ratings.values
    grp = s.ratings.rater_attributes["group"]
    np.testing.assert_array_equal(grp, s.group)
    assert abs(np.isnan(vals).mean() - 0.2) < 0.02
    for g in (0, 1):
        est = np.nanmean(vals[0, grp == g], axis=0)
        cnt = (~np.isnan(vals[0, grp == g])).sum(axis=0)
        assert (np.abs(est - u[g, 0]) < 4 / np.sqrt(cnt)).all()
    np.testing.assert_array_equal(s.utilities, u)
    # integer scale and drawn utilities: integers within the scale, groups by probability
    t = sc.generate.grouped_ratings(3, 400, 4, group_probs=[0.25, 0.75], scale=(1, 5),
                                    noise=0.3, seed=1)
    v = t.ratings.values
    assert np.array_equal(v, np.rint(v)) and v.min() >= 1 and v.max() <= 5
    assert t.utilities.shape == (2, 3, 4)
    assert abs((t.group == 1).mean() - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 400)
    err = np.abs(np.nanmean(v[:, t.group == 0], axis=1) - t.utilities[0])
    assert err.max() < 0.5  # rounding bias is below 1/2 a scale step


def test_pairwise_records_follow_bradley_terry():
    u = np.array([[0.0, 1.0, -1.0], [1.0, 0.0, 0.0]])
    df = sc.generate.pairwise_records(2, 40, 3, 50, utilities=u, group_sizes=[20, 20], seed=0)
    assert len(df) == 2 * 40 * 50
    assert (df.a != df.b).all() and set(df.outcome.unique()) <= {0, 1}
    assert (df.group == (df.rater >= 20)).all()
    uu = df.attrs["utilities"]
    assert uu.shape == (2, 2, 3)
    for (g, a, b), sub in df.groupby(["group", "a", "b"]):
        p = 1 / (1 + math.exp(-(u[g, a] - u[g, b])))
        assert abs(sub.outcome.mean() - p) < 4.5 * math.sqrt(p * (1 - p) / len(sub))
    pw = sc.Pairwise.from_records(df[df.group == 0], candidates=range(3))
    assert pw.support().shape == (2, 3, 3)


# --------------------------------------------------------------------- oracle cross-check
def test_cross_check_prefsampling():
    ps = pytest.importorskip("prefsampling.ordinal")
    m, n = 4, 12000

    def dist(orders):
        r = np.empty((len(orders), m), np.int64)
        r[np.arange(len(orders))[:, None], np.asarray(orders)] = np.arange(m)
        return codes(r)

    for ours, theirs in [
        (sc.generate.mallows(n, m, phi=0.6, seed=1).ranks, dist(ps.mallows(n, m, 0.6, seed=1))),
        (sc.generate.impartial_culture(n, m, seed=1).ranks, dist(ps.impartial(n, m, seed=1))),
    ]:
        keys = sorted(set(codes(ours)) | set(theirs))
        table = np.array([[np.sum(codes(ours) == k) for k in keys],
                          [np.sum(theirs == k) for k in keys]])
        assert stats.chi2_contingency(table).pvalue > P_MIN
    # urn: pairwise agreement rate of voters 0 and 1 across many small profiles
    ours = sc.generate.urn(2, 3, alpha=0.3, n_items=4000, seed=2).ranks
    same_ours = (ours[:, 0] == ours[:, 1]).all(axis=1).mean()
    same_theirs = np.mean([np.array_equal(*ps.urn(2, 3, 0.3, seed=s)) for s in range(4000)])
    assert abs(same_ours - same_theirs) < 4 * math.sqrt(2 * 0.4 * 0.6 / 4000)


# --------------------------------------------------------------------- validation
def test_bad_arguments():
    with pytest.raises(ValidationError, match="seed"):
        sc.generate.impartial_culture(3, 3, seed=1, rng=np.random.default_rng(1))
    with pytest.raises(ValidationError, match="n_voters"):
        sc.generate.impartial_culture(0, 3)
    with pytest.raises(ValidationError, match="phi"):
        sc.generate.mallows(3, 3, phi=1.5)
    with pytest.raises(ValidationError, match="permutation"):
        sc.generate.mallows(3, 3, center=[0, 0, 1])
    with pytest.raises(ValidationError, match="alpha"):
        sc.generate.urn(3, 3, alpha=-1)
    with pytest.raises(DistributionError, match="weights"):
        sc.generate.mallows_mixture(3, 3, weights=[-1, 2], phis=[0.1, 0.2])
    with pytest.raises(ValidationError, match="exactly one"):
        sc.generate.truncate(sc.generate.impartial_culture(3, 3, seed=0))
    with pytest.raises(ValidationError, match="group_sizes"):
        sc.generate.grouped_ratings(1, 4, 2, group_sizes=[1, 2])
    with pytest.raises(ValidationError, match="rng"):
        sc.generate.urn(3, 3, alpha=1, rng=1.5)
    with pytest.raises(ValidationError, match="RandomState"):
        sc.generate.urn(3, 3, alpha=1, rng=np.random.RandomState(0))
    with pytest.raises(ValidationError, match="voter_positions"):
        sc.generate.euclidean(3, 2, voter_positions=np.zeros((2, 2)))


def test_registry_and_no_caller_mutation():
    assert sc.generate.get("ic") is sc.generate.impartial_culture
    assert set(sc.generate.names("ordinal")) >= {"mallows", "urn", "impartial_culture"}
    vp = np.random.default_rng(0).random((5, 2))
    cp = np.random.default_rng(1).random((3, 2))
    vp0, cp0 = vp.copy(), cp.copy()
    sc.generate.euclidean(5, 3, voter_positions=vp, candidate_positions=cp)
    np.testing.assert_array_equal(vp, vp0)
    np.testing.assert_array_equal(cp, cp0)
    u = np.zeros((2, 3))
    sc.generate.pairwise_records(1, 4, 3, 2, utilities=u, seed=0)
    assert (u == 0).all()


@pytest.mark.parametrize("m", [1, 2])
def test_every_ordinal_generator_edge_sizes(m):
    kw = {"urn": {"alpha": 0.5}, "mallows_mixture": {"weights": [0.5, 0.5], "phis": [0.3, 0.9]}}
    for name in sc.generate.names("ordinal"):
        fn = sc.generate.get(name)
        p = fn(4, m, n_items=2, seed=0, **kw.get(name, {}))
        assert p.ranks.shape == (2, 4, m)
        assert p.ranks.dtype == np.int8
        if name != "euclidean":
            assert p.is_linear(), name
        q = fn(4, m, n_items=2, seed=0, **kw.get(name, {}))
        np.testing.assert_array_equal(p.ranks, q.ranks)


def test_many_candidates_int16():
    p = sc.generate.impartial_culture(3, 130, seed=0)
    assert p.ranks.dtype == np.int16 and p.is_linear()


def test_rng_accepts_what_default_rng_accepts():
    """One resolver (_random.resolve_rng): an int rng equals the same int seed; a Generator's
    stream continues."""
    a = sc.generate.mallows(5, 4, phi=0.5, rng=7).ranks
    b = sc.generate.mallows(5, 4, phi=0.5, seed=7).ranks
    c = sc.generate.mallows(5, 4, phi=0.5, rng=np.random.SeedSequence(7)).ranks
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    g = np.random.default_rng(7)
    first = sc.generate.impartial_culture(50, 5, rng=g).ranks
    second = sc.generate.impartial_culture(50, 5, rng=g).ranks
    assert not np.array_equal(first, second)


def test_registry_api_is_the_family_api():
    assert sc.generate.info("ic").name == "impartial_culture"
    assert sc.generate.info("walsh").family == "ordinal"
    assert sc.generate.names("cardinal") == ["grouped_ratings"]
    with pytest.raises(sc.errors.UnknownNameError, match="mallows"):
        sc.generate.get("malows")


# --------------------------------------------------------------------- chunked (dask) output
ORDINAL_KW = {"urn": {"alpha": 0.5},
              "mallows_mixture": {"weights": [0.5, 0.5], "phis": [0.3, 0.9]},
              "mallows": {"phi": 0.4}}


@pytest.mark.parametrize("name", ["impartial_culture", "impartial_anonymous_culture", "urn",
                                  "mallows", "mallows_mixture", "single_peaked_walsh",
                                  "single_peaked_conitzer", "euclidean"])
def test_chunked_equals_eager_per_chunk_and_any_scheduler(name):
    import dask

    fn = sc.generate.get(name)
    kw = ORDINAL_KW.get(name, {})
    lazy = fn(6, 4, n_items=7, chunks=3, seed=11, **kw)
    assert lazy.dims == ("item", "rater", "alternative")
    assert lazy.attrs["kind"] == "rankings" and lazy.dtype == np.int8
    assert lazy.data.chunks[0] == (3, 3, 1)
    with dask.config.set(scheduler="synchronous"):
        sync = lazy.values
        again = fn(6, 4, n_items=7, chunks=3, seed=11, **kw).values
    with dask.config.set(scheduler="threads"):
        threaded = lazy.values
    np.testing.assert_array_equal(sync, threaded)
    np.testing.assert_array_equal(sync, again)
    # oracle: each chunk is the eager call with its child seed (shared parameters such as the
    # mixture centers are drawn once, before the chunks)
    seeds = sc.generate.chunk_seeds(11, 3)
    start = 0
    for size, ss in zip((3, 3, 1), seeds):
        if name == "mallows_mixture":
            continue
        eager = fn(6, 4, n_items=size, rng=np.random.default_rng(ss), **kw).ranks
        np.testing.assert_array_equal(sync[start:start + size], eager)
        start += size
    # and the chunked rankings are valid profiles
    assert sc.Rankings(sync).is_linear() or name == "euclidean"


def test_chunked_is_lazy_and_huge():
    """10^6 x 10 x 100 ranks (10^9 cells) and ratings are described, not generated."""
    import time

    from socialchoice._kernels import generate as kg

    t0 = time.perf_counter()
    calls = []
    orig = kg.impartial_culture
    try:
        kg.impartial_culture = lambda *a: calls.append(a)
        big = sc.generate.impartial_culture(10, 100, n_items=10**6, chunks=20_000, seed=0)
    finally:
        kg.impartial_culture = orig
    assert calls == []  # nothing generated at construction
    assert big.shape == (10**6, 10, 100) and big.nbytes == 10**9
    rat = sc.generate.grouped_ratings(10**6, 10, 100, dtype=np.float32, chunks=20_000, seed=0)
    assert rat.ratings.dtype == np.float32 and rat.ratings.nbytes == 4 * 10**9
    assert rat.ratings.attrs["kind"] == "ratings"
    assert time.perf_counter() - t0 < 30
    # one chunk computes on its own
    part = big.isel(item=slice(0, 2)).values
    assert part.shape == (2, 10, 100) and sc.Rankings(part).is_linear()


def test_grouped_ratings_float32_and_chunks_equal_eager():
    import dask

    kw = dict(group_sizes=[3, 2], scale=(1, 5), missing=0.2)
    lazy = sc.generate.grouped_ratings(5, 5, 3, dtype="float32", chunks=(2, 3), seed=4, **kw)
    with dask.config.set(scheduler="synchronous"):
        x = lazy.ratings.values
        u = lazy.utilities.values
    assert x.dtype == np.float32 and u.shape == (2, 5, 3)
    assert lazy.ratings["group"].values.tolist() == [0, 0, 0, 1, 1]
    start = 0
    for size, ss in zip((2, 3), sc.generate.chunk_seeds(4, 2)):
        e = sc.generate.grouped_ratings(size, 5, 3, dtype="float32", rng=ss, **kw)
        np.testing.assert_array_equal(e.ratings.values, x[start:start + size].astype(np.float64))
        np.testing.assert_array_equal(e.utilities, u[:, start:start + size])
        start += size
    # float32 rounding: eager float32 values are float32-representable float64s
    e32 = sc.generate.grouped_ratings(3, 4, 2, dtype=np.float32, seed=1).ratings.values
    e64 = sc.generate.grouped_ratings(3, 4, 2, seed=1).ratings.values
    np.testing.assert_array_equal(e32, e64.astype(np.float32).astype(np.float64))
    assert not np.array_equal(e32, e64)
    # the chunked ratings feed sc.xr directly (kind declared)
    with dask.config.set(scheduler="synchronous"):
        res = sc.rules.utilitarian(lazy.ratings).compute()
    assert res["winner_mask"].shape == (5, 3)


def test_chunk_arguments_are_validated():
    with pytest.raises(ValidationError, match="n_items"):
        sc.generate.impartial_culture(3, 3, chunks=2)
    with pytest.raises(ValidationError, match="chunks"):
        sc.generate.impartial_culture(3, 3, n_items=4, chunks=0)
    with pytest.raises(ValidationError, match="sum"):
        sc.generate.impartial_culture(3, 3, n_items=4, chunks=(2, 1))
    with pytest.raises(ValidationError, match="dtype"):
        sc.generate.grouped_ratings(2, 2, 2, dtype=np.int8)
    with pytest.raises(ValidationError, match="return_positions"):
        sc.generate.euclidean(3, 3, n_items=2, chunks=1, return_positions=True)
