"""Jury verdicts: batch over juries equals a loop, win probabilities converge to exact
enumeration, label verdicts, errors."""

import itertools

import numpy as np
import pytest

import socialchoice as sc
from socialchoice import jury
from socialchoice.errors import SocialChoiceError, UnknownNameError, ValidationError

RNG = np.random.default_rng(11)
R = RNG.integers(1, 6, (12, 4)).astype(float)
GROUPS = np.repeat(["x", "y"], [5, 7])
COMP = {"x": 2, "y": 3}


def _loop_mask(agg, R, J):
    out = []
    for j in J:
        if agg == "borda":
            out.append(sc.rules.borda(sc.Ratings(R[j])).winner_mask)
        elif agg == "maximin":
            out.append(sc.rules.maximin(sc.Ratings(R[j])).winner_mask)
        elif agg == "nash":
            out.append(sc.welfare.nash(R[j]).levels == 0)
        elif agg == "bargaining.egalitarian":
            out.append(sc.bargaining.egalitarian(R[j]).lottery > 0)
    return np.array(out)


@pytest.mark.parametrize("agg", ["borda", "maximin", "nash", "bargaining.egalitarian"])
def test_batch_equals_loop_over_juries(agg):
    J = jury.sample(GROUPS, COMP, n_juries=40, seed=3)
    res = jury.verdicts(R, J, aggregate=agg)
    np.testing.assert_array_equal(res.verdicts, _loop_mask(agg, R, J))
    assert res.win_probability.sum() == pytest.approx(1.0)


def test_win_probability_converges_to_exact_enumeration():
    xs, ys = np.flatnonzero(GROUPS == "x"), np.flatnonzero(GROUPS == "y")
    allj = np.array([list(a) + list(b) for a in itertools.combinations(xs, 2)
                     for b in itertools.combinations(ys, 3)])
    exact = np.zeros(4)
    for j in allj:  # independent: one call per jury
        m = sc.rules.borda(sc.Ratings(R[j])).winner_mask
        exact += m / m.sum()
    exact /= len(allj)
    res = jury.verdicts(R, jury.sample(GROUPS, COMP, n_juries=20000, seed=0), aggregate="borda")
    np.testing.assert_allclose(res.win_probability, exact, atol=0.015)
    # and exactly, when the juries are the full enumeration
    np.testing.assert_allclose(jury.verdicts(R, allj, aggregate="borda").win_probability, exact, atol=1e-12)


def test_items_and_per_item_juries():
    X = RNG.random((3, 12, 4))
    J = jury.sample(GROUPS, COMP, n_juries=10, seed=1)
    res = jury.verdicts(X, J, aggregate="borda")
    assert res.verdicts.shape == (10, 3, 4) and res.win_probability.shape == (3, 4)
    for i in range(3):
        np.testing.assert_array_equal(res.verdicts[:, i], jury.verdicts(X[i], J, aggregate="borda").verdicts)
    avail = np.ones((3, 12), bool)
    avail[1, :2] = False
    Ji = jury.sample(GROUPS, COMP, n_juries=10, available=avail, seed=1)
    res2 = jury.verdicts(X, Ji, aggregate="utilitarian")
    for i in range(3):
        np.testing.assert_array_equal(res2.verdicts[:, i],
                                      jury.verdicts(X[i], Ji[i], aggregate="utilitarian").verdicts)
    ds = res.to_xarray()
    assert ds["winner_mask"].dims == ("jury", "item", "alternative")
    assert res.to_pandas().shape == (3, 4)


def test_rankings_and_ratings_containers_and_callable():
    ranks = np.argsort(np.argsort(-R, axis=1), axis=1)
    J = jury.sample(GROUPS, COMP, n_juries=15, seed=2)
    a = jury.verdicts(sc.Rankings(ranks), J, aggregate="borda")
    b = jury.verdicts(ranks.astype(float) * -1, J, aggregate="borda")
    np.testing.assert_array_equal(a.verdicts, b.verdicts)
    c = jury.verdicts(R, J, aggregate=lambda T: np.nanmean(T, axis=-2))
    np.testing.assert_array_equal(c.verdicts, jury.verdicts(R, J, aggregate="utilitarian").verdicts)


def test_reweighted_seats_enter_as_weights():
    J, W = jury.sample(GROUPS, {"x": 2, "y": 9}, n_juries=5, seed=0, shortfall="reweight",
                       return_weights=True)
    res = jury.verdicts(R, J, aggregate="welfare.utilitarian", weights=W)
    for k in range(5):
        seat = J[k] >= 0
        u = (R[J[k][seat]] * W[k][seat][:, None]).sum(0)
        np.testing.assert_array_equal(res.verdicts[k], u == u.max())


def test_label_verdicts_quantiles_threshold_median_jury():
    L = RNG.integers(0, 2, (5, 12)).astype(float)
    L[0, 3] = np.nan
    J = jury.sample(GROUPS, COMP, n_juries=200, seed=4)
    res = jury.verdicts(L, J, aggregate="mean", threshold=0.5)
    assert res.verdicts.shape == (200, 5)
    np.testing.assert_allclose(res.verdicts[:, 2], L[2][J].mean(axis=1))
    np.testing.assert_allclose(res.p_at_least, (res.verdicts >= 0.5).mean(axis=0))
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint((res.verdicts >= 0.5).sum(0), 200, method="wilson")
    np.testing.assert_allclose(res.p_at_least_low, lo, atol=1e-12)
    np.testing.assert_allclose(res.p_at_least_high, hi, atol=1e-12)
    med = res.verdicts[res.median_jury, np.arange(5)]
    np.testing.assert_allclose(med, np.sort(res.verdicts, axis=0)[99])
    maj = jury.verdicts(L, J, aggregate="majority").verdicts
    np.testing.assert_array_equal(maj[:, 2], (L[2][J].sum(1) > 2.5).astype(float))
    assert jury.verdicts(L, J, aggregate="median").to_pandas().shape[0] == 5


def test_bad_input():
    J = jury.sample(GROUPS, COMP, n_juries=3, seed=0)
    with pytest.raises(UnknownNameError, match="did you mean"):
        jury.verdicts(R, J, aggregate="bordaa")
    with pytest.raises(ValidationError):
        jury.verdicts(R[:4], J, aggregate="borda")
    with pytest.raises(SocialChoiceError):
        jury.verdicts(R, J.astype(float), aggregate="borda")
    with pytest.raises(UnknownNameError):
        jury.verdicts(R, J, aggregate="foo.borda")


def test_polis_opinion_groups_juries_verdicts_alpha(shared_data):
    import os

    import pandas as pd

    df = pd.read_csv(os.path.join(shared_data, "polis", "vtaiwan.uberx", "participants-votes.csv"))
    df = df[df["group-id"].notna()]
    cols = [c for c in df.columns if c.isdigit()]
    V = df[cols].to_numpy(float)                    # raters x statements, 1/-1/0, NaN
    top = np.argsort(-np.isfinite(V).sum(0))[:6]     # the 6 most voted statements
    X = V[:, top]
    groups = df["group-id"].to_numpy()
    J = jury.sample(groups, {g: 10 for g in np.unique(groups)}, n_juries=300, seed=0)
    res = jury.verdicts(X, J, aggregate="utilitarian")
    assert res.verdicts.shape == (300, 6) and res.win_probability.sum() == pytest.approx(1)
    # label verdicts per statement: agreement share among jurors who voted
    lab = jury.verdicts(X.T, J, aggregate="mean", threshold=0.0)
    assert lab.verdicts.shape == (300, 6) and np.all(np.isfinite(lab.p_at_least))
    a = jury.krippendorff_alpha(X, "ordinal")
    kr = pytest.importorskip("krippendorff")
    assert a.alpha == pytest.approx(kr.alpha(reliability_data=X, level_of_measurement="ordinal"), abs=1e-9)


@pytest.mark.parametrize("agg", ["borda", "nash", "mean", "majority"])
def test_chunked_calls_equal_one_batch(agg):
    J = jury.sample(GROUPS, COMP, n_juries=23, seed=8)
    data = R if agg in ("borda", "nash") else (R.T > 2).astype(float)
    a = jury.verdicts(data, J, aggregate=agg)
    b = jury.verdicts(data, J, aggregate=agg, chunk=4)
    np.testing.assert_array_equal(a.verdicts, b.verdicts)
    calls = []
    jury.verdicts(data, J, aggregate=agg, chunk=5, progress=lambda d, t: calls.append(d))
    assert calls == [5, 10, 15, 20, 23]


STAT_CASES = [("borda", {}), ("borda", {"tie_mode": "average"}),
              ("borda", {"tie_mode": "pessimistic"}), ("plurality", {}), ("k_approval", {"k": 2}), ("maximin", {}),
              ("maximin", {"strength": "winning_votes"}), ("schulze", {}), ("copeland", {}),
              ("scoring", {"score": [3, 1.5, 0, -1]}), ("scoring", {"score": [1, 0.1, 0.01, 0]}),
              ("utilitarian", {}), ("welfare.utilitarian", {}),
              ("nash", {"disagreement": -1.0}), ("nash", {"disagreement": 2.0})]


@pytest.mark.parametrize("agg,kw", STAT_CASES)
@pytest.mark.parametrize("items", [False, True])
@pytest.mark.parametrize("weighted", [True, False])
def test_statistic_path_equals_gather(agg, kw, items, weighted):
    """Every kernel of the statistic path (bit planes for small integer statistics unweighted,
    float sums otherwise) against the gathered tensor through the aggregate itself: tied
    integer ratings, empty seats, missing ratings (margins), non-positive Nash gains."""
    rng = np.random.default_rng(21)
    X = rng.integers(0, 6, (3, 12, 4) if items else (12, 4)).astype(float)
    if agg in ("maximin", "schulze", "copeland") or kw == {"tie_mode": "average"}:
        X[..., 1, 2] = np.nan  # (Borda: missing ratings take the per-rater scores path)
    J, W = jury.sample(GROUPS, {"x": 2, "y": 9}, n_juries=60, seed=2, shortfall="reweight",
                       return_weights=True)
    W = np.where(J >= 0, W * rng.integers(1, 3, W.shape), 0.0) if weighted else None
    a = jury.verdicts(X, J, aggregate=agg, weights=W, method="gather", **kw)
    b = jury.verdicts(X, J, aggregate=agg, weights=W, method="statistic", chunk=7, **kw)
    np.testing.assert_array_equal(a.verdicts, b.verdicts)
    np.testing.assert_allclose(a.win_probability, b.win_probability)
    if a.scores is not None and agg != "nash":
        np.testing.assert_allclose(b.scores, a.scores, rtol=1e-12, atol=1e-12)


def test_statistic_path_rankings_and_errors():
    ranks = np.argsort(np.argsort(-R, axis=1), axis=1)
    J = jury.sample(GROUPS, COMP, n_juries=30, seed=2)
    for agg in ("borda", "schulze"):
        a = jury.verdicts(sc.Rankings(ranks), J, aggregate=agg, method="gather")
        b = jury.verdicts(sc.Rankings(ranks), J, aggregate=agg, method="statistic")
        np.testing.assert_array_equal(a.verdicts, b.verdicts)
    with pytest.raises(ValidationError, match="gather"):
        jury.verdicts(R, J, aggregate="instant_runoff", method="statistic")
    with pytest.raises(ValidationError):
        jury.verdicts(R, J, aggregate="borda", method="fast")


def test_label_mean_kernel_equals_numpy_gather():
    rng = np.random.default_rng(9)
    L = rng.integers(1, 101, (7, 12)).astype(float)
    L[rng.random(L.shape) < 0.3] = np.nan
    J, W = jury.sample(GROUPS, {"x": 2, "y": 9}, n_juries=40, seed=1, shortfall="reweight",
                       return_weights=True)
    for w in (None, W):
        res = jury.verdicts(L, J, aggregate="mean", weights=w)
        for j in range(0, 40, 7):
            for i in range(7):
                seat = J[j] >= 0
                x = L[i, J[j][seat]]
                ww = np.ones(seat.sum()) if w is None else W[j][seat]
                ok = ~np.isnan(x)
                want = (x[ok] * ww[ok]).sum() / ww[ok].sum() if ok.any() else np.nan
                np.testing.assert_allclose(res.verdicts[j, i], want, rtol=1e-12)


# ------------------------------------------------------------------ out of core (labels)
def _labels(seed=0, items=50, raters=40):
    rng = np.random.default_rng(seed)
    L = rng.integers(1, 6, (items, raters)).astype(float)
    L[rng.random(L.shape) < 0.2] = np.nan
    return L


@pytest.mark.parametrize("how", ["mean", "median", "majority"])
def test_label_verdicts_out_of_core_equal_numpy(how):
    """A dask-backed (item, rater) DataArray, chunked along both axes, gives the numpy answer
    item chunk by item chunk; every field is lazy."""
    da = pytest.importorskip("dask.array")
    import xarray as xr

    L = _labels()
    J = jury.sample(np.zeros(L.shape[1], int), {0: 7}, n_juries=30, seed=1)
    a = jury.verdicts(L, J, aggregate=how, threshold=3.0)
    lazy = xr.DataArray(da.from_array(L, chunks=(7, 13)), dims=("item", "rater"))
    b = jury.verdicts(lazy, J, aggregate=how, threshold=3.0)
    assert type(b.quantiles).__module__.startswith("dask")
    for field in ("verdicts", "quantiles", "p_at_least", "median_jury"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field).compute(), err_msg=field)
    if a.p_at_least_low is not None:
        np.testing.assert_allclose(a.p_at_least_low, b.p_at_least_low.compute())


def test_label_verdicts_out_of_core_on_a_distributed_cluster():
    distributed = pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    L = _labels(2)
    J = jury.sample(np.zeros(L.shape[1], int), {0: 5}, n_juries=20, seed=3)
    a = jury.verdicts(L, J, aggregate="mean", threshold=2.5)
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cl, \
            distributed.Client(cl):
        b = jury.verdicts(da.from_array(L, chunks=(10, -1)), J, aggregate="mean", threshold=2.5)
        np.testing.assert_array_equal(a.quantiles, b.quantiles.compute())
        np.testing.assert_array_equal(a.p_at_least, b.p_at_least.compute())


def test_label_verdicts_out_of_core_needs_one_jury_set():
    da = pytest.importorskip("dask.array")
    L = _labels()
    J = np.zeros((L.shape[0], 3, 4), int)
    with pytest.raises(sc.errors.ValidationError, match="same juries"):
        jury.verdicts(da.from_array(L, chunks=(10, -1)), J, aggregate="mean")


@pytest.mark.parametrize("K", [8, 16, 5])
def test_gather_kernels_equal_a_naive_sum(K):
    """The jury-statistic gathers (the 8-wide register kernel for unweighted float statistics,
    the general one otherwise) against a plain sum: empty seats skipped, out-of-range seats
    counted, weights applied; the 8-wide kernel adds in another order (two interleaved sets of
    accumulators), so it agrees with the general one to rounding."""
    from socialchoice._kernels import jury as kj

    rng = np.random.default_rng(K)
    stat = rng.normal(size=(50, K))
    J = rng.integers(-1, 50, (40, 12)).astype(np.int32)
    J[3, 4] = 50  # out of range
    out, wsum, bad = kj.gather_sum(stat, J)
    gen = kj._make_gather_sum(K)(stat, J, np.ones((1, 1)), False, np.ones(1), False, 0.0)
    want = np.array([stat[[r for r in row if 0 <= r < 50]].sum(0) for row in J])
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out, gen[0], rtol=1e-12, atol=1e-12)
    assert bad == 1 == gen[2]
    np.testing.assert_array_equal(wsum, [sum(0 <= r < 50 for r in row) for row in J])
    w = rng.random(50)
    out_w, wsum_w, _ = kj.gather_sum(stat, J, rater_w=w)
    want_w = np.array([(w[[r for r in row if 0 <= r < 50], None]
                        * stat[[r for r in row if 0 <= r < 50]]).sum(0) for row in J])
    np.testing.assert_allclose(out_w, want_w, rtol=1e-12, atol=1e-12)

@pytest.mark.parametrize("W", [1, 2, 3])
def test_bitcount_kernel_equals_a_naive_count(W):
    """The bit-sliced positional popcount against a plain sum of the bits: empty seats
    skipped, out-of-range seats counted, juries longer than one flush (15 seats), counts that
    carry through many levels."""
    from socialchoice._kernels import jury as kj

    rng = np.random.default_rng(W)
    n = 60
    bits = rng.random((n, W * 64)) < rng.random((1, W * 64))  # densities from 0 to 1
    words = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
    J = rng.integers(-1, n, (25, 1000)).astype(np.int32)
    J[:3] = rng.integers(0, n, (3, 1000))  # no empty seat
    J[5, 7] = n + 4                         # out of range
    J[6] = -1                               # all empty
    counts, seats, bad = kj.gather_bitcount(words, J)
    ok = (J >= 0) & (J < n)
    want = np.array([bits[row[k]].sum(0) for row, k in zip(J, ok)])
    np.testing.assert_array_equal(counts, want)
    np.testing.assert_array_equal(seats, ok.sum(1))
    assert bad == 1



@pytest.mark.parametrize("seed", range(40))
def test_label_quantiles_and_median_jury_equal_numpy(seed):
    """The one-sort label summaries equal ``np.nanquantile`` (bit for bit) and the stable
    argsort's median jury, with ties and NaN (items some or every jury left unlabelled)."""
    import warnings as _w

    from socialchoice.jury._verdicts import _lower_median_jury, _nan_quantiles

    rng = np.random.default_rng(seed)
    J, items = int(rng.integers(1, 30)), int(rng.integers(1, 12))
    v = rng.integers(0, 5, (J, items)).astype(float) if seed % 2 else rng.normal(size=(J, items))
    v[rng.random(v.shape) < rng.random() * 0.9] = np.nan
    if seed % 5 == 0:
        v[:, 0] = np.nan
    levels = (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0)
    with _w.catch_warnings():
        _w.simplefilter("ignore", RuntimeWarning)
        want = np.nanquantile(v, levels, axis=0)
    np.testing.assert_array_equal(_nan_quantiles(v, levels), want)
    np.testing.assert_array_equal(_lower_median_jury(v),
                                  np.argsort(v, axis=0, kind="stable")[(J - 1) // 2])


@pytest.mark.parametrize("agg", ["maximin", "schulze", "borda", "copeland"])
@pytest.mark.parametrize("tie", [False, True])
def test_strict_ratings_path_equals_gather(agg, tie):
    """Continuous ratings without ties: the upper-triangle comparisons (two seats a ripple)
    against the gathered tensor; one tied rater sends everything down the general path."""
    rng = np.random.default_rng(5)
    X = rng.random((40, 6))
    if tie:
        X[3, 1] = X[3, 4]
    J = rng.integers(-1, 40, (50, 17)).astype(np.int32)
    a = jury.verdicts(X, J, aggregate=agg, method="gather")
    b = jury.verdicts(X, J, aggregate=agg, method="statistic", chunk=9)
    np.testing.assert_array_equal(a.verdicts, b.verdicts)
    if a.scores is not None:
        np.testing.assert_allclose(b.scores, a.scores, rtol=1e-12, atol=1e-12)
    from socialchoice.jury._statistic import _BitPlanes

    assert (_BitPlanes.strict_comparisons(X) is None) == tie
