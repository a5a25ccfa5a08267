"""sc.divergence: oracles (scipy), worked examples D1/D2/E1, properties, errors, labelled/chunked."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given
from hypothesis import strategies as hs
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr

import socialchoice as sc
from socialchoice.divergence import EmptyDistributionWarning, InfiniteDivergenceWarning
from socialchoice.errors import DistributionError, UnknownNameError, ValidationError

D = sc.divergence
P1 = np.array([0.1, 0.2, 0.4, 0.2, 0.1])
Q1 = np.array([0.3, 0.3, 0.2, 0.1, 0.1])
TOL = dict(rtol=1e-12, atol=1e-12)


def dirichlet_with_zeros(rng, n, K, zero_frac=0.2):
    p = rng.dirichlet(np.ones(K), size=n)
    p[rng.random((n, K)) < zero_frac] = 0.0
    p[p.sum(1) == 0, 0] = 1.0
    return p / p.sum(1, keepdims=True)


# ----------------------------------------------------------------------------- worked examples


def test_d1_table():
    assert D.kl(P1, Q1) == pytest.approx(0.224934057848, abs=1e-12)
    assert D.kl(P1, Q1, base=2) == pytest.approx(0.324511249784, abs=1e-12)
    assert D.kl(P1, Q1, reverse=True) == pytest.approx(0.243279064865, abs=1e-12)
    assert D.kl(Q1, P1) == pytest.approx(0.243279064865, abs=1e-12)
    assert D.jensen_shannon(P1, Q1, base=math.e) == pytest.approx(0.056681141095, abs=1e-12)
    assert D.jensen_shannon(P1, Q1) == pytest.approx(0.081773601170, abs=1e-12)
    assert D.jensen_shannon_distance(P1, Q1) == pytest.approx(0.285960838525, abs=1e-12)
    assert D.jensen_shannon_distance(P1, Q1, base=math.e) == pytest.approx(0.238078014725, abs=1e-12)
    assert D.total_variation(P1, Q1) == pytest.approx(0.3, abs=1e-12)
    assert D.hellinger(P1, Q1) == pytest.approx(0.239962239223, abs=1e-12)
    assert D.chi_square(P1, Q1) == pytest.approx(0.466666666667, abs=1e-12)
    assert D.chi_square(P1, Q1, kind="neyman") == pytest.approx(0.6, abs=1e-12)
    x = np.arange(1, 6)
    assert D.wasserstein_ordinal(P1, Q1, values=x) == pytest.approx(0.6, abs=1e-12)
    assert D.wasserstein_ordinal(P1, Q1, values=x, normalized=True) == pytest.approx(0.15, abs=1e-12)
    assert D.cramer(P1, Q1, values=x) == pytest.approx(0.14, abs=1e-12)
    assert D.energy(P1, Q1, values=x) == pytest.approx(0.529150262213, abs=1e-12)
    assert D.brier(P1, Q1) == pytest.approx(0.1, abs=1e-12)
    assert D.expected_brier(Q1, P1) == pytest.approx(0.84, abs=1e-12)


def test_d2_zeros_and_smoothing():
    a, b = [0.5, 0.5, 0], [0.25, 0.25, 0.5]
    assert D.kl(a, b) == pytest.approx(math.log(2), abs=1e-12)
    with pytest.warns(InfiniteDivergenceWarning, match="1 slice"):
        assert D.kl(b, a) == np.inf
    assert D.jensen_shannon(a, b) == pytest.approx(0.311278124459, abs=1e-12)
    assert D.kl(b, [6, 4, 0], smoothing=0.5, smooth="q") == pytest.approx(0.905229961390, abs=1e-12)
    # smoothing of counts: (c + a) / (n + K a)
    c = np.array([6, 4, 0.0])
    sm = (c + 0.5) / 11.5
    np.testing.assert_allclose(sm, [0.565217391304, 0.391304347826, 0.043478260870], atol=1e-12)
    assert D.kl(b, [6, 4, 0], smoothing=0.5, smooth="q") == pytest.approx(
        rel_entr(b, sm).sum(), abs=1e-14)
    # probabilities with normalize=False: (p + a)/(1 + K a)
    assert D.kl(b, a, smoothing=0.1, normalize=False, smooth="q") == pytest.approx(
        rel_entr(b, (np.array(a) + 0.1) / 1.3).sum(), abs=1e-14)
    # reverse swaps which argument is smoothed along with the arguments
    assert D.kl([6, 4, 0], b, smoothing=0.5, smooth="p", reverse=True) == pytest.approx(
        0.905229961390, abs=1e-12)


def test_scipy_quirks():
    assert D.kl([2, 1], [1, 1]) == pytest.approx(0.056633012265, abs=1e-12)
    assert st.entropy([2, 1], [1, 1]) == pytest.approx(0.056633012265, abs=1e-12)
    assert rel_entr([2, 1], [1, 1]).sum() == pytest.approx(math.log(4))
    with pytest.raises(DistributionError, match="does not sum to 1"):
        D.kl([2, 1], [1, 1], normalize=False)


def test_pearson_zero_reference():
    with pytest.warns(InfiniteDivergenceWarning):
        assert D.chi_square([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert D.chi_square([1.0, 0.0], [1.0, 0.0]) == 0.0


# ----------------------------------------------------------------------------- scipy oracles


@pytest.mark.parametrize("K", [2, 5, 13])
def test_oracles_random_with_zeros(K):
    rng = np.random.default_rng(K)
    p = dirichlet_with_zeros(rng, 200, K)
    q = dirichlet_with_zeros(rng, 200, K)
    qpos = rng.dirichlet(np.ones(K), size=200)  # strictly positive reference
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfiniteDivergenceWarning)
        np.testing.assert_allclose(D.kl(p, q), rel_entr(p, q).sum(1), **TOL)
        np.testing.assert_allclose(D.kl(p, q, reverse=True), rel_entr(q, p).sum(1), **TOL)
    np.testing.assert_allclose(D.kl(p, qpos, base=3), st.entropy(p, qpos, base=3, axis=1), **TOL)
    for b in (2, math.e, 10):
        js = jensenshannon(p, q, base=b, axis=1)
        np.testing.assert_allclose(D.jensen_shannon_distance(p, q, base=b), js, **TOL)
        np.testing.assert_allclose(D.jensen_shannon(p, q, base=b), js**2, **TOL)
    np.testing.assert_allclose(D.total_variation(p, q), 0.5 * np.abs(p - q).sum(1), **TOL)
    np.testing.assert_allclose(D.hellinger(p, q),
                               np.linalg.norm(np.sqrt(p) - np.sqrt(q), axis=1) / np.sqrt(2), **TOL)
    n = 1000.0
    chi = [st.chisquare(n * a, n * b).statistic / n for a, b in zip(p, qpos)]
    np.testing.assert_allclose(D.chi_square(p, qpos), chi, **TOL)
    np.testing.assert_allclose(D.chi_square(qpos, p, kind="neyman"), chi, **TOL)
    np.testing.assert_allclose(D.entropy(p, base=2), st.entropy(p, base=2, axis=1), **TOL)
    for x in (np.arange(K, dtype=float), np.cumsum(rng.uniform(0.1, 3, K))):
        w1 = [st.wasserstein_distance(x, x, a, b) for a, b in zip(p[:60], q[:60])]
        np.testing.assert_allclose(D.wasserstein_ordinal(p[:60], q[:60], values=x), w1, **TOL)
        en = np.array([st.energy_distance(x, x, a, b) for a, b in zip(p[:60], q[:60])])
        np.testing.assert_allclose(D.energy(p[:60], q[:60], values=x), en, **TOL)
        np.testing.assert_allclose(D.cramer(p[:60], q[:60], values=x), en**2 / 2, **TOL)
    np.testing.assert_allclose(D.brier(p, q), ((p - q) ** 2).sum(1), **TOL)
    np.testing.assert_allclose(D.expected_brier(q, p),
                               ((q - p) ** 2).sum(1) + 1 - (p**2).sum(1), **TOL)


def test_unequal_positions_change_w1_as_scipy():
    x = np.array([1.0, 2, 3, 5])
    p, q = np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.4, 0.3, 0.2, 0.1])
    w = D.wasserstein_ordinal(p, q, values=x)
    assert w == pytest.approx(st.wasserstein_distance(x, x, p, q), abs=1e-12)
    assert w != pytest.approx(D.wasserstein_ordinal(p, q))
    assert D.wasserstein_ordinal(p, q, values=x, normalized=True) == pytest.approx(w / 4)


def test_brier_labels_and_binary():
    q = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([0, 2])
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(D.brier(q, y), ((q - onehot) ** 2).sum(1), **TOL)
    qb, yb = np.array([0.7, 0.2]), np.array([1, 0])
    np.testing.assert_allclose(D.brier(qb, yb, binary=True), (qb - yb) ** 2)
    # binary convention is half of the two-class multiclass score
    two = np.stack([1 - qb, qb], -1)
    np.testing.assert_allclose(D.brier(two, yb) / 2, D.brier(qb, yb, binary=True), **TOL)
    with pytest.raises(ValidationError, match="labels outside"):
        D.brier(q, np.array([0, 3]))
    with pytest.raises(ValidationError, match="0/1"):
        D.brier(qb, np.array([1, 2]), binary=True)


# ----------------------------------------------------------------------------- properties

K_ST = hs.integers(2, 6)


@hs.composite
def dists(draw, k, n=3):
    raw = draw(arrays(np.float64, (n, k), elements=hs.sampled_from([0.0, 0.0, 0.05, 0.3, 1.0, 2.5])))
    raw[:, 0] += (raw.sum(1) == 0)
    return raw / raw.sum(1, keepdims=True)


METRICS = ["jensen_shannon_distance", "total_variation", "hellinger", "wasserstein_ordinal",
           "energy"]
SYMMETRIC = METRICS + ["jensen_shannon", "cramer", "brier"]


@given(hs.data())
def test_properties(data):
    k = data.draw(K_ST)
    p = data.draw(dists(k))
    q = data.draw(dists(k))
    r = data.draw(dists(k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfiniteDivergenceWarning)
        for name in D.names(group="divergence"):
            f = D.get(name)
            dpq = f(p, q)
            assert np.all(dpq >= 0), name
            assert np.all(f(p, p) <= 1e-15), name  # identity of indiscernibles
            if name in SYMMETRIC:
                np.testing.assert_allclose(dpq, f(q, p), rtol=1e-12, atol=1e-15, err_msg=name)
            if name in METRICS:
                assert np.all(f(p, r) <= f(p, q) + f(q, r) + 1e-12), name
        kl = D.kl(p, q)
        tv = D.total_variation(p, q)
        h = D.hellinger(p, q)
        assert np.all(D.jensen_shannon(p, q) <= 1 + 1e-12)
        assert np.all(D.jensen_shannon(p, q, base=math.e) <= math.log(2) + 1e-12)
        assert np.all(D.jensen_shannon(p, q, base=math.e) <= tv * math.log(2) + 1e-12)
        assert np.all(tv <= np.sqrt(kl / 2) + 1e-12)  # Pinsker
        assert np.all(h**2 <= tv + 1e-12)
        assert np.all(tv <= h * np.sqrt(2) * np.sqrt(1 - h**2 / 2) + 1e-12)
        assert np.all(tv <= 1 + 1e-12) and np.all(h <= 1 + 1e-12)
        assert np.all(D.wasserstein_ordinal(p, q, normalized=True) <= 1 + 1e-12)


def test_asymmetric_ones_are_asymmetric():
    for name in ("kl", "chi_square"):
        assert not D.info(name).meta["symmetric"]
        assert D.get(name)(P1, Q1) != pytest.approx(D.get(name)(Q1, P1))


def test_registry_metadata():
    names = D.names()
    for n in ("kl", "jensen_shannon", "jensen_shannon_distance", "total_variation", "hellinger",
              "chi_square", "wasserstein_ordinal", "cramer", "energy", "brier", "ece", "entropy"):
        assert n in names
    assert set(D.names(metric=True)) == set(METRICS)
    assert D.get("js") is D.jensen_shannon and D.get("w1") is D.wasserstein_ordinal
    assert D.info("tv").meta["upper"] == 1.0
    with pytest.raises(UnknownNameError, match="did you mean"):
        D.get("jensen_shanon")


# ----------------------------------------------------------------------------- API shape


def test_axis_keepdims_broadcast_and_no_mutation():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4), size=(3, 5))
    q = rng.dirichlet(np.ones(4))
    p0, q0 = p.copy(), q.copy()
    out = D.jensen_shannon(p, q)
    assert out.shape == (3, 5)
    np.testing.assert_allclose(out, jensenshannon(p, np.broadcast_to(q, p.shape), base=2, axis=-1) ** 2, **TOL)
    np.testing.assert_allclose(D.jensen_shannon(np.moveaxis(p, -1, 0), q[:, None, None], axis=0), out, **TOL)
    assert D.kl(p, q, keepdims=True).shape == (3, 5, 1)
    assert D.kl(np.moveaxis(p, -1, 1), q[:, None], axis=1, keepdims=True).shape == (3, 1, 5)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)
    assert isinstance(D.kl(P1, Q1), float)


def test_float32_supported():
    p32, q32 = P1.astype(np.float32), Q1.astype(np.float32)
    assert D.jensen_shannon(p32, q32) == pytest.approx(
        jensenshannon(p32.astype(float), q32.astype(float), base=2) ** 2, rel=1e-6)


def test_xarray_and_dask_equal_eager():
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask")
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(5), size=(40, 3))
    q = rng.dirichlet(np.ones(5), size=(40, 3))
    P = xr.DataArray(p, dims=("item", "group", "option"))
    Q = xr.DataArray(q, dims=("item", "group", "option"))
    for f in (D.kl, D.jensen_shannon, D.wasserstein_ordinal, D.hellinger, D.total_variation):
        eager = f(p, q)
        lab = f(P, Q, dim="option")
        assert lab.dims == ("item", "group")
        np.testing.assert_allclose(lab.values, eager, **TOL)
        chunked = f(P.chunk({"item": 7}), Q.chunk({"item": 7}), dim="option")
        assert chunked.chunks is not None
        np.testing.assert_allclose(chunked.compute().values, eager, **TOL)
    import dask.array as da

    dp = da.from_array(p, chunks=(9, 3, 5))
    out = D.jensen_shannon(dp, q, axis=-1)
    np.testing.assert_allclose(out.compute(), D.jensen_shannon(p, q), **TOL)
    with pytest.raises(ValidationError, match="not a dimension"):
        D.kl(P, Q, dim="nope")


# ----------------------------------------------------------------------------- errors


def test_validation_errors():
    with pytest.raises(DistributionError, match="`p` has negative"):
        D.kl([0.5, -0.1, 0.6], Q1[:3])
    with pytest.raises(DistributionError, match="`q` has negative"):
        D.jensen_shannon(P1, -Q1)
    with pytest.raises(DistributionError, match="`q` contains inf"):
        D.total_variation(P1, [np.inf, 1, 1, 1, 1])
    with pytest.raises(DistributionError, match="off by up to 0.1"):
        D.hellinger([0.5, 0.6], [0.5, 0.5], normalize=False)
    D.hellinger([0.5, 0.5 + 1e-9], [0.5, 0.5], normalize=False)  # within sum_tol
    with pytest.raises(DistributionError, match="same support"):
        D.kl(P1, Q1[:4])
    with pytest.raises(DistributionError, match="one position per category"):
        D.wasserstein_ordinal(P1, Q1, values=[1, 2, 3])
    with pytest.raises(ValidationError, match="strictly increasing"):
        D.wasserstein_ordinal(P1, Q1, values=[1, 2, 2, 3, 4])
    with pytest.raises(ValidationError, match="base"):
        D.jensen_shannon(P1, Q1, base=1)
    with pytest.raises(ValidationError, match="nan_policy"):
        D.kl(P1, Q1, nan_policy="ignore")
    with pytest.raises(ValidationError, match="smoothing"):
        D.kl(P1, Q1, smoothing=-1)
    with pytest.raises(ValidationError, match="numeric"):
        D.kl(["a", "b"], [1, 2])
    with pytest.raises(ValidationError, match="scalar"):
        D.kl(0.5, 0.5)
    with pytest.raises(ValidationError, match="axis"):
        D.kl(P1, Q1, axis=3)
    with pytest.raises(ValidationError, match="do not broadcast"):
        D.kl(np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(ValidationError, match="dim="):
        D.kl(P1, Q1, dim="x")


def test_nan_policies_and_empty_rows():
    p = np.array([[0.2, np.nan, 0.8], [0.5, 0.25, 0.25]])
    q = np.array([[0.5, 0.3, 0.5], [0.25, 0.5, 0.25]])
    out = D.jensen_shannon(p, q)
    assert np.isnan(out[0]) and np.isfinite(out[1])  # documented: propagate
    with pytest.raises(DistributionError, match="contains NaN"):
        D.jensen_shannon(p, q, nan_policy="raise")
    om = D.jensen_shannon(p, q, nan_policy="omit")
    assert om[0] == pytest.approx(D.jensen_shannon([0.2, 0.8], [0.5, 0.5]), abs=1e-14)
    assert om[1] == pytest.approx(out[1])
    w = D.wasserstein_ordinal(p, q, nan_policy="omit", values=[1, 2, 4])
    assert w[0] == pytest.approx(st.wasserstein_distance([1, 4], [1, 4], [0.2, 0.8], [.5, .5]))
    with pytest.warns(EmptyDistributionWarning, match="1 slice"):
        z = D.kl([[0, 0, 0], [1, 1, 1]], [1, 1, 1])
    assert np.isnan(z[0]) and z[1] == pytest.approx(0)


# ----------------------------------------------------------------------------- ECE

C_E1 = [.95, .92, .81, .78, .66, .62, .55, .51]
Z_E1 = [1, 1, 0, 1, 1, 0, 1, 0]


def test_ece_e1_and_variants():
    assert D.ece(C_E1, Z_E1, n_bins=10) == pytest.approx(0.1875, abs=1e-12)
    assert D.ece(C_E1, Z_E1, bins=10) == pytest.approx(0.1875, abs=1e-12)
    assert D.ece(C_E1, Z_E1, bins="quantile", n_bins=4) == pytest.approx(0.1325, abs=1e-12)
    assert D.ece(C_E1, Z_E1, bins=np.linspace(0, 1, 11)) == pytest.approx(0.1875, abs=1e-12)
    assert D.ece(C_E1, Z_E1, n_bins=10, norm="max") == pytest.approx(0.81, abs=1e-12)
    l2 = math.sqrt((2 * .065**2 + .81**2 + .22**2 + 2 * .14**2 + 2 * .03**2) / 8)
    assert D.ece(C_E1, Z_E1, n_bins=10, norm="l2") == pytest.approx(l2, abs=1e-12)
    # weights of 2 on every sample change nothing; duplicating a sample = weight 2
    assert D.ece(C_E1, Z_E1, n_bins=10, weights=np.full(8, 2.0)) == pytest.approx(0.1875)
    assert D.ece(C_E1 + [.95], Z_E1 + [1], n_bins=10) == pytest.approx(
        D.ece(C_E1, Z_E1, n_bins=10, weights=[2] + [1] * 7))


def test_ece_bin_edges_right_closed_and_zero():
    # 0.3 is in (0.2, 0.3], 0 in the first bin
    c = np.array([0.0, 0.3, 0.31])
    z = np.array([0, 1, 0])
    # bins: [0,.1]: c=0,z=0 gap 0; (.2,.3]: gap .7; (.3,.4]: gap .31
    assert D.ece(c, z, n_bins=10) == pytest.approx((0.7 + 0.31) / 3)


def test_ece_quantile_ties_stay_low():
    c = np.array([0.2, 0.5, 0.5, 0.5, 0.9, 0.9])
    z = np.array([0, 1, 0, 1, 1, 1])
    # ranks bins (M=2): 0..2 | 3..5; the 0.5 at rank 3 ties with rank 2 and stays in bin 1
    b1 = abs(np.mean(z[:4]) - np.mean(c[:4]))
    b2 = abs(1 - 0.9)
    assert D.ece(c, z, bins="quantile", n_bins=2) == pytest.approx((4 * b1 + 2 * b2) / 6)


def test_ece_classwise_and_errors():
    probs = np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    y = np.array([0, 1, 1])
    e0 = D.ece(probs[:, 0], (y == 0).astype(int), n_bins=5)
    e1 = D.ece(probs[:, 1], (y == 1).astype(int), n_bins=5)
    assert D.ece(probs, y, classwise=True, n_bins=5) == pytest.approx((e0 + e1) / 2)
    with pytest.raises(ValidationError, match=r"\[0, 1\]"):
        D.ece([1.2], [1])
    with pytest.raises(ValidationError, match="0/1"):
        D.ece([0.2], [2])
    with pytest.raises(ValidationError, match="shape"):
        D.ece([0.2, 0.3], [1])
    with pytest.raises(ValidationError, match="bins"):
        D.ece([0.2], [1], bins="log")
    with pytest.raises(ValidationError, match="norm"):
        D.ece([0.2], [1], norm="l3")


def test_ordinal_normalized_with_axis_and_broadcast():
    x = np.array([1.0, 2, 4])
    p = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]).T  # categories on axis 0
    q = np.array([0.3, 0.3, 0.4])[:, None]
    got = D.wasserstein_ordinal(p, q, axis=0, values=x, normalized=True)
    want = [st.wasserstein_distance(x, x, p[:, j], q[:, 0]) / 3 for j in range(2)]
    np.testing.assert_allclose(got, want, **TOL)
