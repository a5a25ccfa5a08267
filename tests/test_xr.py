"""xarray/dask adapters: chunked support equals eager support."""

import warnings

import numpy as np
import pytest

import socialchoice as sc

pytest.importorskip("dask.array")


@pytest.mark.parametrize("weighted", [False, True])
def test_chunked_support_equals_eager(weighted):
    import dask

    rng = np.random.default_rng(3)
    r = rng.integers(-1, 4, size=(5, 40, 4)).astype(np.int8)
    w = rng.random((5, 40)) if weighted else None
    eager = sc.Rankings(r, w).support()
    da = sc.xr.rankings_dataarray(r, weights=w, candidates=list("abcd"),
                                  chunks={"item": 2, "rater": 7})
    lazy = sc.xr.support(da)
    assert lazy.chunks is not None  # still lazy
    with dask.config.set(scheduler="synchronous"):
        out = lazy.compute()
    assert np.allclose(out.values, eager)
    assert list(out["alternative"].values) == list("abcd")


def test_support_unbatched_dask():
    r = np.array([[0, 1], [1, 0], [0, 1]])
    da = sc.xr.rankings_dataarray(r, chunks={"rater": 1})
    assert sc.xr.support(da).values.tolist() == [[0.0, 2.0], [1.0, 0.0]]


@pytest.mark.parametrize("rule", ["random_dictatorship", "maximal_lottery", "borda", "copeland",
                                  "plurality", "instant_runoff"])
def test_dask_rule_carries_every_field(rule):
    """The chunked path returns the same Dataset variables as the eager one -- lotteries and
    social rankings included -- with weights, batch coordinates and candidate labels."""
    import dask

    rng = np.random.default_rng(5)
    r = np.argsort(rng.random((6, 25, 4)), axis=-1).astype(np.int8)
    w = rng.integers(1, 4, size=(6, 25)).astype(float)
    f = sc.rules.get(rule)
    eager = f(sc.xr.rankings_dataarray(r, weights=w, candidates=list("abcd")))
    lazy_da = sc.xr.rankings_dataarray(r, weights=w, candidates=list("abcd"), chunks={"item": 4})
    lazy = f(lazy_da)
    with dask.config.set(scheduler="synchronous"):
        lazy = lazy.compute()
    assert set(lazy.data_vars) == set(eager.data_vars), (set(lazy.data_vars), set(eager.data_vars))
    for name in eager.data_vars:
        np.testing.assert_allclose(lazy[name].values.astype(float), eager[name].values.astype(float),
                                   atol=1e-9, err_msg=name)
    assert list(lazy["alternative"].values) == list("abcd")
    if rule in ("random_dictatorship", "maximal_lottery"):
        assert "lottery" in lazy.data_vars


# --------------------------------------------------------------------- declared kinds
def _naive_borda_winners(ranks):
    """Borda winners by a plain loop: a ranked candidate scores the number of candidates it
    beats (ranked above, or ranked while the other is unranked) plus half the ties."""
    r = np.asarray(ranks)
    n, m = r.shape
    score = np.zeros(m)
    for v in range(n):
        for x in range(m):
            for y in range(m):
                if x == y:
                    continue
                rx, ry = r[v, x], r[v, y]
                if rx >= 0 and (ry < 0 or rx < ry):
                    score[x] += 1
    return sorted(np.flatnonzero(score == score.max()).tolist())


def _naive_condorcet(ranks):
    r = np.asarray(ranks)
    m = r.shape[1]
    beats = lambda x, y: ((r[:, x] >= 0) & ((r[:, y] < 0) | (r[:, x] < r[:, y]))).sum()
    for x in range(m):
        if all(beats(x, y) > beats(y, x) for y in range(m) if y != x):
            return [x]
    return []


FLOAT_RANKS = np.array([[0., 1., 2., -1.], [0., 2., 1., 3.], [1., 0., -1., -1.],
                        [0., 1., 2., 3.], [2., 0., 1., -1.]])


def test_undeclared_float_dataarray_is_an_error_not_ratings():
    """A float DataArray of ranks used to be read as ratings (Borda and the Condorcet winner
    inverted, -1 the lowest rating): now the kind must be declared."""
    import xarray as xr

    da = xr.DataArray(FLOAT_RANKS, dims=("rater", "alternative"))
    for call in (lambda: sc.rules.borda(da), lambda: sc.rules.condorcet_winner(da),
                 lambda: sc.xr.support(da), lambda: sc.xr.margins(da),
                 lambda: sc.xr.apply_rule(sc.rules.get("borda"), da, needs="rankings",
                                          rule="borda")):
        with pytest.raises(sc.errors.ValidationError, match="kind="):
            call()
    # integer dtype is not a declaration either (1..5 ratings are integers too)
    with pytest.raises(sc.errors.ValidationError, match="kind="):
        sc.rules.borda(xr.DataArray(FLOAT_RANKS.astype(int), dims=("rater", "alternative")))


@pytest.mark.parametrize("how", ["kwarg", "attrs", "helper", "to_xarray"])
def test_declared_float_ranks_match_naive_loop(how):
    import xarray as xr

    if how == "kwarg":
        da, kw = xr.DataArray(FLOAT_RANKS, dims=("rater", "alternative")), {"kind": "rankings"}
    elif how == "attrs":
        da, kw = xr.DataArray(FLOAT_RANKS, dims=("rater", "alternative"),
                              attrs={"kind": "rankings"}), {}
    elif how == "helper":
        da, kw = sc.xr.rankings_dataarray(FLOAT_RANKS), {}
    else:
        da, kw = sc.Rankings(FLOAT_RANKS).to_xarray(), {}
    got = np.flatnonzero(sc.rules.borda(da, **kw)["winner_mask"].values).tolist()
    assert got == _naive_borda_winners(FLOAT_RANKS) == [0]
    cw = np.flatnonzero(sc.rules.condorcet_winner(da, **kw)["winner_mask"].values).tolist()
    assert cw == _naive_condorcet(FLOAT_RANKS) == [0]
    # reading these ranks as ratings would have elected someone else: the test can fail
    wrong = np.flatnonzero(sc.rules.borda(da.assign_attrs(kind="ratings"))["winner_mask"].values)
    assert wrong.tolist() != [0]
    m = sc.xr.margins(da, **kw)
    np.testing.assert_array_equal(m.values, sc.Rankings(FLOAT_RANKS).margins())
    assert m.attrs["kind"] == "margins"


def test_integer_ratings_declared_as_ratings():
    import xarray as xr

    v = np.array([[5, 1, 3], [4, 2, 2], [1, 5, 4]])
    da = xr.DataArray(v, dims=("rater", "alternative"), attrs={"kind": "ratings"})
    got = sc.rules.utilitarian(da)["scores"].values
    np.testing.assert_allclose(got, v.mean(axis=0))  # oracle: plain mean
    with pytest.raises(sc.errors.ValidationError, match="needs ratings"):
        sc.rules.utilitarian(da.assign_attrs(kind="rankings"))


def test_kind_conflicts_and_unknown_kinds():
    import xarray as xr

    da = sc.xr.rankings_dataarray(FLOAT_RANKS)
    with pytest.raises(sc.errors.ValidationError, match="contradicts"):
        sc.rules.borda(da, kind="ratings")
    with pytest.raises(sc.errors.ValidationError, match="kind"):
        sc.rules.borda(da, kind="ranks")
    with pytest.raises(sc.errors.ValidationError, match="attrs"):
        sc.rules.borda(da.assign_attrs(kind="ordinal"))
    assert sc.xr.kind_of(da) == "rankings"
    with pytest.raises(sc.errors.ValidationError, match="pairwise"):
        sc.xr.support(sc.xr.support(da))
    with pytest.raises(sc.errors.ValidationError, match="needs rankings"):
        sc.rules.borda(sc.xr.support(da))
    bad = xr.DataArray(np.zeros((2, 2)), dims=("alternative", "alternative_other"),
                       attrs={"kind": "rankings"})
    with pytest.raises(sc.errors.ValidationError, match="pairwise"):
        sc.rules.copeland(bad)


def test_container_to_xarray_declares_kind():
    r = sc.Rankings(FLOAT_RANKS)
    assert r.to_xarray().attrs["kind"] == "rankings"
    rat = sc.Ratings([[4.0, np.nan], [1.0, 2.0]])
    assert rat.to_xarray().attrs["kind"] == "ratings"
    assert sc.Pairwise(r.support()).to_xarray().attrs["kind"] == "pairwise"
    # pairwise and margins DataArrays feed margin rules, and agree with the ballots
    want = sc.rules.copeland(r).winner_mask
    for d in (sc.Pairwise(r.support()).to_xarray(), sc.xr.support(r.to_xarray()),
              sc.xr.margins(r.to_xarray())):
        np.testing.assert_array_equal(sc.rules.copeland(d)["winner_mask"].values, want)


# --------------------------------------------------------------------- package errors
def test_rankings_dataarray_bad_arguments_are_package_errors():
    r = np.zeros((4, 6, 3), int)
    cases = [
        (dict(dims=("rater", "alternative")), sc.errors.ValidationError, "dims"),
        (dict(dims=("x", "x", "alternative")), sc.errors.ValidationError, "distinct"),
        (dict(weights=np.ones(5)), sc.errors.WeightsError, "weights"),
        (dict(weights=np.ones((3, 6))), sc.errors.WeightsError, "weights"),
        (dict(weights=-np.ones(6)), sc.errors.WeightsError, ">= 0"),
        (dict(candidates=["a", "b"]), sc.errors.ValidationError, "candidates"),
        (dict(chunks={"voter": 2}), sc.errors.ValidationError, "chunks"),
    ]
    for kw, err, msg in cases:
        with pytest.raises(err, match=msg):
            sc.xr.rankings_dataarray(r, **kw)
    with pytest.raises(sc.errors.ValidationError, match="ranks"):
        sc.xr.rankings_dataarray(np.zeros(3))


def test_missing_dims_and_bad_weight_coordinate():
    import xarray as xr

    da = sc.xr.rankings_dataarray(np.zeros((2, 3, 2), int))
    for call in (lambda: sc.xr.support(da, rater_dim="voter"),
                 lambda: sc.xr.margins(da, alternative_dim="candidate"),
                 lambda: sc.rules.borda(da, rater_dim="voter"),
                 lambda: sc.rules.borda(da.rename(rater="voter"))):
        with pytest.raises(sc.errors.ValidationError, match="no dim"):
            call()
    w = xr.DataArray(np.ones(2), dims=("alternative",))
    bad = da.assign_coords(weight=w)
    with pytest.raises(sc.errors.WeightsError, match="weight"):
        sc.xr.support(bad)
    with pytest.raises(sc.errors.WeightsError, match="weight"):
        sc.rules.borda(bad)


def test_weights_over_raters_only_broadcast_over_two_batch_dims():
    rng = np.random.default_rng(0)
    r = rng.integers(-1, 3, size=(2, 3, 5, 3))
    w = rng.random(5)
    da = sc.xr.rankings_dataarray(r, weights=w)
    want = sc.Rankings(r, np.broadcast_to(w, (2, 3, 5))).support()
    np.testing.assert_allclose(sc.xr.support(da).values, want)
    np.testing.assert_allclose(sc.xr.support(da.chunk({"rater": 2})).values, want)


@pytest.mark.parametrize("pairs", [None, "both_rated", "missing_below"])
def test_chunked_ratings_support_equals_eager(pairs):
    import dask

    rng = np.random.default_rng(1)
    v = rng.integers(1, 6, size=(3, 17, 4)).astype(float)
    v[rng.random(v.shape) < 0.3] = np.nan
    w = rng.random(17)
    rat = sc.Ratings(v, np.broadcast_to(w, (3, 17)))
    eager = rat.support() if pairs is None else rat.support(pairs=pairs)
    da = sc.xr.ratings_dataarray(v, weights=w, chunks={"rater": 5})
    with dask.config.set(scheduler="synchronous"):
        got = sc.xr.support(da, pairs=pairs).compute()
    np.testing.assert_allclose(got.values, eager)
    assert got.attrs["pairs"] == (pairs or sc.xr.default_pairs())
    with pytest.raises(sc.errors.ValidationError, match="pairs"):
        sc.xr.support(da, pairs="both")
    with pytest.raises(sc.errors.ValidationError, match="rankings"):
        sc.xr.support(sc.xr.rankings_dataarray(np.zeros((2, 2), int)), pairs="both_rated")


# ------------------------------------------------ rater-chunk reductions, apply_rule by name
def _chunked_case(seed=0, batch=True):
    rng = np.random.default_rng(seed)
    shape = (3, 40, 5) if batch else (40, 5)
    X = rng.integers(1, 6, shape).astype(float)
    X[rng.random(shape) < 0.2] = np.nan
    w = rng.integers(1, 4, 40).astype(float)
    return X, w


DECOMP_CASES = [("borda", {}), ("plurality", {}), ("k_approval", {"k": 2}), ("utilitarian", {}),
                ("utilitarian", {"normalize": "zscore", "reduce": "sum"}),
                ("approval", {"threshold": 3.0}), ("approval", {"threshold": 3.0, "share": True}),
                ("majority_judgment", {}), ("quantile", {"q": 0.3}), ("schulze", {}),
                ("copeland", {"pairs": "missing_below"}), ("maximin", {})]


@pytest.mark.parametrize("name,kw", DECOMP_CASES)
@pytest.mark.parametrize("batch", [True, False])
def test_rater_chunk_reduction_equals_numpy(name, kw, batch):
    X, w = _chunked_case(batch=batch)
    da = sc.xr.ratings_dataarray(X, weights=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sc.errors.ConventionWarning)
        want = sc.rules.get(name)(sc.Ratings(X, w), **kw)
        got = sc.xr.apply_rule(name, da.chunk({"rater": 7}), **kw)
    assert got.attrs["reduction"] == "rater_chunks"
    np.testing.assert_array_equal(got["winner_mask"].values, want.winner_mask)
    if want.scores is not None and "scores" in got:
        np.testing.assert_allclose(got["scores"].values, want.scores, rtol=1e-12, atol=0)


def test_rankings_positional_rater_chunks():
    rng = np.random.default_rng(4)
    ranks = np.argsort(rng.random((2, 30, 4)), axis=-1)
    da = sc.xr.rankings_dataarray(ranks).chunk({"rater": 8})
    for name in ("borda", "plurality", "anti_plurality", "schulze"):
        got = sc.xr.apply_rule(name, da)
        assert got.attrs["reduction"] == "rater_chunks"
        np.testing.assert_array_equal(got["winner_mask"].values,
                                      sc.rules.get(name)(sc.Rankings(ranks)).winner_mask)


def test_non_decomposable_rule_rechunks_and_says_so():
    X, w = _chunked_case()
    da = sc.xr.ratings_dataarray(X, weights=w).chunk({"rater": 7})
    got = sc.xr.apply_rule("bucklin", da).compute()
    assert got.attrs["reduction"] == "rechunked"
    np.testing.assert_array_equal(got["winner_mask"].values,
                                  sc.rules.bucklin(sc.Ratings(X, w)).winner_mask)
    assert sc.xr.decomposable("instant_runoff") is None
    assert sc.xr.decomposable("borda") == "scores"


def test_apply_rule_by_name_and_old_call_agree():
    X, w = _chunked_case()
    da = sc.xr.ratings_dataarray(X, weights=w)
    a = sc.xr.apply_rule("borda", da)
    b = sc.xr.apply_rule(sc.rules.borda, da, needs="rankings", rule="borda")
    c = sc.xr.apply_rule(sc.rules.borda, da)  # a registered rule function alone
    for o in (b, c):
        np.testing.assert_array_equal(a["winner_mask"].values, o["winner_mask"].values)
    with pytest.raises(sc.errors.UnknownNameError):
        sc.xr.apply_rule("bordaa", da)
    with pytest.raises(sc.errors.ValidationError):
        sc.xr.apply_rule(lambda p: p, da)
    with pytest.raises(sc.errors.ValidationError, match="no dim"):
        sc.xr.apply_rule("borda", da, rater_dim="voter")


@pytest.mark.parametrize("name", ["utilitarian", "nash", "egalitarian"])
@pytest.mark.parametrize("pol", ["propagate", "omit"])
def test_apply_welfare_agent_chunks_equal_numpy(name, pol):
    X, w = _chunked_case()
    da = sc.xr.ratings_dataarray(X, weights=w).chunk({"rater": 9})
    got = sc.xr.apply_welfare(name, da, nan_policy=pol)
    assert got.attrs["reduction"] == "agent_chunks"
    want = sc.welfare.get(name)(X, weights=w, nan_policy=pol).values
    np.testing.assert_allclose(got.values, want, rtol=1e-12, equal_nan=True)


def test_rater_chunks_on_distributed_cluster_equal_numpy():
    distributed = pytest.importorskip("distributed")
    X, w = _chunked_case(1)
    da = sc.xr.ratings_dataarray(X, weights=w).chunk({"rater": 10})
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cl, \
            distributed.Client(cl):
        got = sc.xr.apply_rule("majority_judgment", da)
        gw = sc.xr.apply_welfare("nash", da)
        gs = sc.xr.apply_rule("schulze", da, pairs="both_rated")
    np.testing.assert_array_equal(got["winner_mask"].values,
                                  sc.rules.majority_judgment(sc.Ratings(X, w)).winner_mask)
    np.testing.assert_allclose(gw.values, sc.welfare.nash(X, weights=w).values, rtol=1e-12)
    np.testing.assert_array_equal(gs["winner_mask"].values,
                                  sc.rules.schulze(sc.Ratings(X, w), pairs="both_rated").winner_mask)
