"""Trade-off steerability (docs/tradeoff-jury.md §A5): the worked example, regret against brute
force and an independent LP, monotone steering by the weighted sum, Spearman vs scipy, coverage
vs moocore, and the bootstrap summary."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.stats import spearmanr

from socialchoice.errors import ValidationError, WeightsError
from socialchoice.tradeoff import (front_coverage, regret, steerability_summary, steering_monotonicity,
                                   weighted_sum)

R_REF = np.array([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])


def _simplex_grid(d, H):
    pts = [c for c in itertools.product(range(H + 1), repeat=d) if sum(c) == H]
    return np.array(pts, dtype=float) / H


def test_spec_a5_example():
    res = regret([[0.5, 0.5]], [[0.2, 0.8]], R_REF)
    assert res.regret[0] == pytest.approx(0.1, abs=1e-15)
    assert res.best[0] == pytest.approx(0.6, abs=1e-15)
    nres = regret([[0.5, 0.5]], [[0.2, 0.8]], R_REF, normalize=True)
    assert nres.regret[0] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_weighted_sum_regret_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    W = _simplex_grid(3, 4)
    A = rng.uniform(size=(4, len(W), 3))
    Ref = rng.uniform(size=(4, 6, 3))
    res = regret(W, A, Ref, normalize=False)
    resn = regret(W, A, Ref, normalize=True)
    for i in range(4):
        pool = np.r_[A[i], Ref[i]]
        for k, w in enumerate(W):
            vals = [w @ r for r in pool]
            assert res.regret[i, k] == pytest.approx(max(vals) - w @ A[i, k], abs=1e-12)
            assert resn.regret[i, k] == pytest.approx((max(vals) - w @ A[i, k]) / (max(vals) - min(vals)), abs=1e-9)
    assert np.all(res.regret >= 0)
    np.testing.assert_allclose(res.mean, res.regret.mean(axis=1))
    np.testing.assert_allclose(res.worst, res.regret.max(axis=1))
    assert res.macro == pytest.approx(res.regret.mean())


def _tcheb_best(pool, w, z):
    """max_p min_{k: w_k > 0} w_k ((pool^T p)_k - z_k), independent scipy LP."""
    n, d = pool.shape
    pos = np.flatnonzero(w > 0)
    c = np.r_[np.zeros(n), -1.0]
    A = np.c_[-(w[pos, None] * pool.T[pos]), np.ones(pos.size)]
    b = -(w[pos] * z[pos])
    res = linprog(c, A_ub=A, b_ub=b, A_eq=np.r_[np.ones(n), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * n + [(None, None)], method="highs")
    return -res.fun


@pytest.mark.parametrize("seed", range(3))
def test_tchebycheff_regret_equals_an_independent_lp(seed):
    rng = np.random.default_rng(seed)
    W = _simplex_grid(2, 5)
    A = rng.uniform(size=(len(W), 2))
    Ref = rng.uniform(size=(5, 2))
    z = np.array([-0.1, -0.2])
    res = regret(W, A, Ref, kind="tchebycheff", ref=z)
    pool = np.r_[A, Ref]
    for k, w in enumerate(W):
        best = _tcheb_best(pool, w, z)
        pos = w > 0
        own = (w[pos] * (A[k, pos] - z[pos])).min()
        assert res.regret[k] == pytest.approx(best - own, abs=1e-9)
    assert np.all(res.regret >= 0)
    np.testing.assert_allclose(res.ref, z)


def test_regret_is_zero_for_weighted_sum_answers_and_range_zero():
    rng = np.random.default_rng(3)
    W = _simplex_grid(3, 5)
    R = rng.uniform(size=(8, 3))
    ans = weighted_sum(R, W, resolve="index").achieved
    res = regret(W, ans, R)
    np.testing.assert_array_equal(res.regret, 0.0)
    same = np.ones((len(W), 3))
    np.testing.assert_array_equal(regret(W, same, normalize=True).regret, 0.0)


@pytest.mark.parametrize("d", [2, 3, 4])
@pytest.mark.parametrize("seed", range(3))
def test_steering_by_weighted_sum_has_violation_rate_zero(d, seed):
    rng = np.random.default_rng(seed)
    W = _simplex_grid(d, 6 if d < 4 else 4)
    R = rng.uniform(size=(5, 15, d))
    ans = weighted_sum(R[:, None], W).achieved  # (5, K, d): ties spread uniformly, still monotone
    res = steering_monotonicity(W, ans)
    np.testing.assert_array_equal(res.violation_rate, 0.0)
    assert np.all(res.min_inner >= -1e-12)
    # the test can fail: reversed answers violate
    bad = steering_monotonicity(W, ans[:, ::-1])
    assert np.any(bad.violation_rate > 0)


def test_monotonicity_against_naive_loop_and_scipy_spearman():
    rng = np.random.default_rng(9)
    W = _simplex_grid(3, 4)
    A = np.round(rng.uniform(size=(3, len(W), 3)), 1)  # ties in the ranks
    res = steering_monotonicity(W, A)
    for i in range(3):
        inner = [(W[b] - W[a]) @ (A[i, b] - A[i, a]) for a, b in itertools.combinations(range(len(W)), 2)]
        assert res.min_inner[i] == pytest.approx(min(inner), abs=1e-15)
        spread = (A[i].max(0) - A[i].min(0)).max()
        assert res.violation_rate[i] == pytest.approx(np.mean(np.array(inner) < -1e-9 * spread))
        for k in range(3):
            assert res.spearman[i, k] == pytest.approx(spearmanr(W[:, k], A[i, :, k]).statistic, abs=1e-12)
    assert res.n_pairs == len(W) * (len(W) - 1) // 2
    const = steering_monotonicity(W, np.ones((len(W), 3)))
    assert np.all(np.isnan(const.spearman)) and const.violation_rate == 0.0


def test_orientation():
    rng = np.random.default_rng(2)
    W = _simplex_grid(2, 6)
    A = rng.uniform(size=(len(W), 2))
    a = steering_monotonicity(W, A * [1, -1], maximise=[True, False])
    b = steering_monotonicity(W, A)
    assert a.violation_rate == b.violation_rate and a.min_inner == pytest.approx(b.min_inner)
    ra = regret(W, A * [1, -1], maximise=[True, False])
    np.testing.assert_allclose(ra.regret, regret(W, A).regret, atol=1e-15)


def test_coverage_against_moocore():
    moocore = pytest.importorskip("moocore")
    rng = np.random.default_rng(4)
    A = rng.uniform(size=(6, 2))
    Ref = rng.uniform(size=(10, 2))
    res = front_coverage(A, Ref, ref=[0, 0])
    assert res.hv_achieved == pytest.approx(moocore.hypervolume(A, ref=[0, 0], maximise=True), rel=1e-12)
    assert res.hv_reference == pytest.approx(moocore.hypervolume(np.r_[A, Ref], ref=[0, 0], maximise=True),
                                             rel=1e-12)
    assert 0 < res.coverage <= 1
    assert front_coverage(R_REF, R_REF, ref=[0, 0]).coverage == pytest.approx(1.0)
    nad = front_coverage(A, Ref, ref="nadir")
    pool = np.r_[A, Ref]
    np.testing.assert_allclose(nad.ref, pool.min(0) - 0.1 * (pool.max(0) - pool.min(0)))
    mn = front_coverage(-A, -Ref, ref=[0, 0], maximise=False)
    assert mn.coverage == pytest.approx(res.coverage)


def test_summary_with_bootstrap_intervals():
    rng = np.random.default_rng(0)
    W = _simplex_grid(2, 4)
    A = rng.uniform(size=(25, len(W), 2))
    s = steerability_summary(W, A, n_resamples=999, rng=3, hv_ref=[0, 0])
    reg = regret(W, A, normalize=True)
    np.testing.assert_allclose(s.per_item["mean_regret"], reg.mean)
    for k in ("mean_regret", "worst_regret", "violation_rate", "min_inner", "coverage"):
        assert s.low[k] <= s.estimate[k] <= s.high[k]
    assert s.high["mean_regret"] > s.low["mean_regret"]
    s2 = steerability_summary(W, A, n_resamples=999, rng=3, hv_ref=[0, 0])
    assert s2.low == s.low
    assert list(s.to_pandas().index) == list(s.estimate)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: regret([[0.5, 0.5]], [[0.2, 0.8], [0.3, 0.3]]), ValidationError, "weights"),
    (lambda: regret([[0.6, 0.6]], [[0.2, 0.8]]), WeightsError, "sum to 1"),
    (lambda: regret([[0.5, 0.5]], [[0.2, 0.8]], kind="pbi"), ValidationError, "kind"),
    (lambda: regret([[0.5, 0.5]], [[0.2, 0.8]], normalize="minmax"), ValidationError, "normalize"),
    (lambda: regret([[0.5, 0.5]], [[0.2, 0.8]], np.ones((2, 3))), ValidationError, "reference"),
    (lambda: regret([[0.5, 0.5]], [[0.2, 0.8]], kind="tchebycheff", ref=[0.0]), ValidationError, "ref"),
    (lambda: steering_monotonicity([[0.5, 0.5]], [[0.2, 0.8]]), ValidationError, "at least 2"),
    (lambda: front_coverage([[0.2, 0.8]], R_REF, ref=None), ValidationError, "ref"),
    (lambda: front_coverage([[0.2, 0.8]], R_REF, ref="ideal"), ValidationError, "ref"),
    (lambda: steerability_summary([[1.0, 0], [0, 1.0]], np.ones((2, 2))), ValidationError, "n_items"),
    (lambda: steerability_summary([[1.0, 0], [0, 1.0]], np.ones((1, 2, 2))), ValidationError, "2"),
])
def test_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_coverage_in_three_objectives_uses_the_package_hypervolume():
    moocore = pytest.importorskip("moocore")
    pytest.importorskip("socialchoice.tradeoff._hypervolume")
    rng = np.random.default_rng(5)
    A = rng.uniform(size=(2, 7, 3))
    Ref = rng.uniform(size=(2, 12, 3))
    res = front_coverage(A, Ref, ref=[0, 0, 0])
    for i in range(2):
        hr = moocore.hypervolume(np.r_[A[i], Ref[i]], ref=[0, 0, 0], maximise=True)
        assert res.coverage[i] == pytest.approx(moocore.hypervolume(A[i], ref=[0, 0, 0], maximise=True) / hr,
                                                rel=1e-9)
