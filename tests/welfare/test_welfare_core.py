"""Tests of socialchoice.welfare (docs/welfare-bargaining.md §1-§3)."""

import warnings

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

import socialchoice as sc
from socialchoice.errors import UnknownNameError, ValidationError, WeightsError
from socialchoice.welfare import DegenerateInputWarning

W = sc.welfare
U_W = np.array([[4.0, 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]])
w_W = np.array([0.4, 0.3, 0.2, 0.1])


# ------------------------------------------------------------------ worked example W (§3.3)


def test_worked_example_W():
    a = np.testing.assert_allclose
    a(W.utilitarian(U_W, weights=w_W).values, [3.9, 2.0, 2.8], rtol=1e-12)
    a(W.nash(U_W, weights=w_W).values, [1.0632773780, np.log(2), 0.9299723933], rtol=1e-10)
    a(W.egalitarian(U_W, weights=w_W).values, [1, 2, 1])
    a(W.power_mean(U_W, -1, weights=w_W).values, [36 / 17, 2, 2.2058823529], rtol=1e-10)
    a(W.power_mean(U_W, 2, weights=w_W).values, [np.sqrt(23.3), 2, 3.0], rtol=1e-10)
    a(W.atkinson(U_W, 2, weights=w_W).values, [0.4570135747, 0, 0.2121848739], rtol=1e-9, atol=1e-15)
    a(W.gini_welfare(U_W, weights=w_W).values, [2.41, 2.0, 2.3], rtol=1e-12)
    a(W.quantile_welfare(U_W, 0.25, weights=w_W).values, [1, 2, 3])
    a(W.quantile_welfare(U_W, 0.5, weights=w_W).values, [4, 2, 3])
    a(W.gini_welfare(U_W).values, [2.375, 2.0, 2.25], rtol=1e-12)
    assert W.leximin(U_W, weights=w_W).ranking.tolist() == [1, 2, 0]
    assert W.leximin(U_W).ranking.tolist() == [1, 2, 0]
    assert W.utilitarian(U_W, weights=w_W).ranking.tolist() == [0, 2, 1]


# ------------------------------------------------------------------ oracles


def test_oracles_against_scipy_numpy(rng):
    U = rng.random((6, 5)) + 0.1
    w = rng.random(6)
    wn = w / w.sum()
    np.testing.assert_allclose(W.utilitarian(U, weights=w).values, np.average(U, axis=0, weights=w))
    np.testing.assert_allclose(W.nash(U, weights=w, log=False).values, st.gmean(U, axis=0, weights=np.broadcast_to(w[:, None], U.shape)))
    for p in (-3.0, -1.0, 0.5, 2.0, 3.0):
        np.testing.assert_allclose(W.power_mean(U, p, weights=w).values, st.pmean(U, p, axis=0, weights=np.broadcast_to(w[:, None], U.shape)),
                                   rtol=1e-12)
    for q in (0.0, 0.1, 0.5, 0.77, 1.0):
        if np.lib.NumpyVersion(np.__version__) < "2.0.0":
            continue  # np.quantile(weights=) is numpy >= 2 (the oracle, not our code)
        expect = [np.quantile(U[:, j], q, method="inverted_cdf", weights=w) for j in range(5)]
        got = W.quantile_welfare(U, q, weights=w).values
        if q == 0.0:
            expect = U.min(axis=0)
        np.testing.assert_allclose(got, expect)
    # Gini identity mu (1 - G)
    mu = wn @ U
    G = np.einsum("i,j,ijk->k", wn, wn, np.abs(U[:, None, :] - U[None, :, :])) / (2 * mu)
    np.testing.assert_allclose(W.gini_welfare(U, weights=w).values, mu * (1 - G), rtol=1e-12)
    # equal-weight OWA with Weymark weights equals gini_welfare
    n = 6
    om = (2 * (n - np.arange(1, n + 1)) + 1) / n**2
    np.testing.assert_allclose(W.owa(U, om).values, W.gini_welfare(U).values, rtol=1e-12)


def test_power_mean_limits_and_monotone(rng):
    U = rng.random((5, 7)) + 0.05
    w = rng.random(5)
    np.testing.assert_allclose(W.power_mean(U, 1, weights=w).values, W.utilitarian(U, weights=w).values)
    np.testing.assert_allclose(W.power_mean(U, 0, weights=w).values, np.exp(W.nash(U, weights=w).values))
    np.testing.assert_allclose(W.power_mean(U, -np.inf, weights=w).values, U.min(axis=0))
    np.testing.assert_allclose(W.power_mean(U, -2000, weights=w).values, U.min(axis=0), rtol=5e-3)
    np.testing.assert_allclose(W.power_mean(U, 2000, weights=w).values, U.max(axis=0), rtol=5e-3)
    ps = [-np.inf, -60, -5, -1, 0, 0.5, 1, 3, 60, np.inf]
    vals = np.array([W.power_mean(U, p, weights=w).values for p in ps])
    assert (np.diff(vals, axis=0) >= -1e-12).all()
    # zero utility with p < 0: the limit 0
    assert W.power_mean([[0.0], [2.0]], -1).values.tolist() == [0.0]
    with pytest.raises(ValidationError, match="needs utilities >= 0"):
        W.power_mean([[-1.0], [2.0]], 2)


def _leximin_brute(U, w_int):
    rep = [np.repeat(U[:, j], w_int) for j in range(U.shape[1])]
    keys = [tuple(np.sort(r)) for r in rep]
    return sorted(range(U.shape[1]), key=lambda j: tuple(-np.array(keys[j])))


@given(hnp.arrays(np.int64, (3, 4), elements=hs.integers(0, 4)), hs.lists(hs.integers(1, 3), min_size=3, max_size=3))
def test_leximin_matches_replication(U, w):
    U = U.astype(float)
    got = W.leximin(U, weights=w).ranking.tolist()
    assert got == _leximin_brute(U, np.array(w))


# ------------------------------------------------------------------ axioms (hypothesis)

utils = hnp.arrays(np.float64, hs.tuples(hs.integers(1, 5), hs.integers(2, 4)),
                   elements=hs.integers(1, 8).map(float))
ALL = ["utilitarian", "nash", "egalitarian", "gini_welfare", "power_mean", "quantile_welfare", "leximin"]


def _values(name, U, **kw):
    extra = {"power_mean": dict(p=-1.0), "quantile_welfare": dict(q=0.3)}.get(name, {})
    return W.get(name)(U, **extra, **kw).values


@given(utils, hs.randoms(use_true_random=False))
def test_anonymity(U, r):
    perm = list(range(U.shape[0]))
    r.shuffle(perm)
    for name in ALL:
        np.testing.assert_allclose(_values(name, U[perm]), _values(name, U), rtol=1e-12)


@given(utils, hs.integers(0, 10**6))
def test_pareto(U, seed):
    rng = np.random.default_rng(seed)
    bump = rng.integers(0, 2, size=U.shape[0]).astype(float)
    bump[rng.integers(U.shape[0])] = 1.0
    V = np.concatenate([U[:, :1], U[:, :1] + bump[:, None]], axis=1)  # column 1 dominates 0
    for name in ALL:
        v = _values(name, V)
        assert v[1] >= v[0] - 1e-12, name
    for name in ("utilitarian", "nash", "power_mean", "gini_welfare"):
        v = _values(name, V)
        assert v[1] > v[0], name


@given(utils, hs.integers(0, 10**6))
def test_pigou_dalton(U, seed):
    """A rank-preserving transfer from a richer to a poorer agent (equal weights)."""
    rng = np.random.default_rng(seed)
    u = U[:, 0]
    if u.size < 2 or u.max() == u.min():
        return
    i, k = int(np.argmin(u)), int(np.argmax(u))
    delta = (u[k] - u[i]) / 2 * rng.uniform(0.1, 1.0)
    v = u.copy()
    v[i] += delta
    v[k] -= delta
    V = np.stack([u, v], axis=1)
    for name in ("nash", "power_mean", "gini_welfare"):
        val = _values(name, V)
        assert val[1] > val[0] - 1e-12, name
    val = _values("egalitarian", V)
    assert val[1] >= val[0] - 1e-12
    assert W.leximin(V).ranking[0] == 1
    np.testing.assert_allclose(*_values("utilitarian", V))


def test_quantile_welfare_violates_pigou_dalton():
    """Quantiles are not S-concave: a transfer from 2 to 1 lowers the median."""
    V = np.array([[1.0, 1.4], [2.0, 1.6], [2.0, 2.0]])
    assert W.quantile_welfare(V, 0.5).values.tolist() == [2.0, 1.6]


# ------------------------------------------------------------------ API conventions


def test_registry_and_best():
    assert set(ALL) <= set(W.names())
    assert W.get("rawlsian") is W.egalitarian
    with pytest.raises(UnknownNameError, match="did you mean"):
        W.get("nassh")
    r = W.best(U_W, "utilitarian", weights=w_W)
    assert r.winner == 0 and r.best.tolist() == [True, False, False]
    r = W.best(np.array([[1.0, 1, 0], [0, 0, 0.5]]), "egalitarian")
    assert r.best.tolist() == [True, True, True] and r.ties.all()


def test_batch_axes_keepdims_and_no_mutation(rng):
    U = rng.random((3, 4, 5, 6))  # items x items x agents x alternatives
    before = U.copy()
    r = W.nash(U, disagreement="min", normalize="minmax")
    assert r.values.shape == (3, 4, 6)
    np.testing.assert_array_equal(U, before)
    moved = np.moveaxis(U, (-2, -1), (0, 1))  # agents, alternatives first
    np.testing.assert_allclose(W.utilitarian(moved, agent_axis=0, axis=1).values, W.utilitarian(U).values)
    assert W.egalitarian(U, keepdims=True).values.shape == (3, 4, 1, 6)
    with pytest.raises(ValueError):
        r.values[0, 0, 0] = 1.0


def test_batch_equals_loop(rng):
    U = rng.random((7, 4, 3))
    w = rng.random((7, 4))
    for name in ALL:
        batch = _values(name, U, weights=w)
        loop = np.array([_values(name, U[b], weights=w[b]) for b in range(7)])
        np.testing.assert_allclose(batch, loop, rtol=1e-12)


def test_float32_fast_path_matches(rng):
    U = rng.random((50, 30, 8)).astype(np.float32)
    r = W.best(U, "utilitarian")
    np.testing.assert_allclose(r.values, U.astype(np.float64).mean(axis=1), rtol=1e-6)


def test_nan_policies():
    U = np.array([[1.0, 2.0, 3.0], [np.nan, 1.0, 1.0], [2.0, 2.0, 2.0]])
    p = W.utilitarian(U).values
    assert np.isnan(p[0]) and p[1:].tolist() == pytest.approx([5 / 3, 2.0])
    o = W.utilitarian(U, nan_policy="omit")  # per cell: alternative 0 over agents 0 and 2
    assert o.values.tolist() == pytest.approx([1.5, 5 / 3, 2.0]) and o.n_agents_used == 3
    assert o.n_agents_per_alternative.tolist() == [2, 3, 3]
    for name in ALL:
        assert np.isnan(_values(name, U)[0]), name
        assert np.isfinite(_values(name, U, nan_policy="omit")).all(), name
    with pytest.raises(ValidationError, match="NaN"):
        W.nash(U, nan_policy="raise")
    assert W.utilitarian(U).ranking.tolist() == [2, 1, 0]  # NaN last


def test_bad_input():
    with pytest.raises(ValidationError, match="inf"):
        W.utilitarian([[1.0, np.inf]])
    with pytest.raises(ValidationError, match="inf"):
        W.nash([[1.0, -np.inf], [1, 1]])
    with pytest.raises(WeightsError, match="negative"):
        W.utilitarian([[1.0, 2], [3, 4]], weights=[1, -1])
    with pytest.raises(WeightsError):
        W.utilitarian([[1.0, 2], [3, 4]], weights=[1, 2, 3])
    with pytest.raises(ValidationError):
        W.utilitarian([1.0, 2.0])  # needs agents x alternatives
    with pytest.raises(ValidationError, match="normalize"):
        W.nash([[1.0, 2.0]], normalize="rank")
    with pytest.raises(ValidationError, match="disagreement"):
        W.nash([[1.0, 2.0]], disagreement="median")
    with pytest.warns(DegenerateInputWarning):
        v = W.nash([[1.0, 2.0], [3, 4]], weights=[0, 0]).values
    assert np.isnan(v).all()
    with pytest.warns(DegenerateInputWarning):
        W.utilitarian([[1.0, 1.0], [3, 4]], normalize="minmax")
    with pytest.warns(UserWarning, match="6.3"):
        W.nash([[1.0, 2.0], [3, 5]], disagreement=0.5, normalize="zscore")


def test_single_agent_and_alternative():
    assert W.nash([[2.0, 3.0]]).winner == 1
    r = W.leximin([[2.0], [1.0]])
    assert r.winner == 0 and r.values.shape == (1,)


def test_nash_individual_rationality_flag():
    r = W.nash([[2.0, 1.0], [2.0, 4.0]], disagreement=1.0)
    assert r.values[1] == -np.inf and r.not_individually_rational.tolist() == [False, True]
    assert W.nash([[2.0, 1.0], [2.0, 4.0]], disagreement=1.0, log=False).values[1] == 0.0


def test_normalisations_and_disagreement_options():
    U = np.array([[0.0, 5.0, 10.0], [1.0, 1.0, 3.0]])
    np.testing.assert_allclose(W.normalize_utilities(U, "minmax")[0], [[0, 0.5, 1], [0, 0, 1]])
    z = W.normalize_utilities(U, "zscore")[0]
    np.testing.assert_allclose(z.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=1), 1)
    g, _ = W.normalize_utilities(U, "disagreement", ("status_quo", 0))
    np.testing.assert_allclose(g, [[0, 5, 10], [0, 0, 2]])
    rd, dropped = W.normalize_utilities(U, "range_disagreement", "min")
    np.testing.assert_allclose(rd, [[0, 0.5, 1], [0, 0, 1]])
    assert not dropped.any()
    np.testing.assert_allclose(W.resolve_disagreement(U, "mean"), [5, 5 / 3])
    # random dictator: agent 0 picks alt 2, agent 1 picks alt 2 -> d = U[:, 2]
    np.testing.assert_allclose(W.resolve_disagreement(U, "random_dictator"), [10, 3])
    # affine equivariance of data-derived d: Nash ranking invariant under per-agent maps
    a, b = np.array([2.0, 0.5])[:, None], np.array([-3.0, 7.0])[:, None]
    V = U + np.array([[0.0, 0, 0], [0.5, 0.7, 0]])
    for d in ("min", "mean", ("status_quo", 0)):
        r1 = W.nash(V, disagreement=d).ranking
        r2 = W.nash(a * V + b, disagreement=d).ranking
        np.testing.assert_array_equal(r1, r2)


def test_leximin_atol_and_compare():
    assert W.leximin_compare([1, 2], [1, 2 + 1e-12], atol=1e-9) == 0
    assert W.leximin_compare([1, 2], [1, 2 + 1e-12]) == -1
    assert W.leximin_compare([1, 5], [2, 0], wx=[1, 1], wy=[1, 1]) == 1


def test_xarray_and_dask(rng):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask")
    U = rng.random((6, 4, 3))
    da = xr.DataArray(U, dims=("item", "rater", "alternative"), coords={"alternative": ["a", "b", "c"]})
    out = W.nash(da, disagreement="min", weights=np.arange(1, 5))
    assert out.dims == ("item", "alternative")
    np.testing.assert_allclose(out.values, W.nash(U, disagreement="min", weights=np.arange(1, 5)).values)
    lazy = W.utilitarian(da.chunk({"item": 2}))
    assert lazy.chunks is not None
    np.testing.assert_allclose(lazy.compute().values, U.mean(axis=1))
    with pytest.raises(ValidationError, match="agent"):
        W.utilitarian(xr.DataArray(U, dims=("item", "x", "alternative")))


def test_result_is_frozen_and_arraylike():
    r = W.utilitarian(U_W)
    np.testing.assert_allclose(np.asarray(r), r.values)
    with pytest.raises(Exception):
        r.name = "x"  # type: ignore[misc]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        repr(r)
