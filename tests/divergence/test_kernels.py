"""Kernel-level checks: the vectorised log, the subnormal fix-up, parallel == serial."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr

import socialchoice as sc
from socialchoice._kernels import divergence as kd


def test_vlog_within_one_ulp():
    rng = np.random.default_rng(0)
    x = np.concatenate([
        np.exp(rng.uniform(-700, 700, 20000)), rng.random(20000), 1 + 1e-12 * rng.random(1000),
        1 - 1e-12 * rng.random(1000), [1.0, 2.0, 0.5, np.sqrt(2), np.sqrt(0.5),
                                       2.2250738585072014e-308, 1.7976931348623157e308]])
    out = np.empty_like(x)
    kd.vlog(x, out)
    ref = np.log(x)
    ulps = np.abs(out - ref) / np.spacing(np.abs(ref))
    ulps[ref == 0] = np.abs(out[ref == 0]) / np.spacing(0.0)
    assert ulps.max() <= 1.0
    assert out[x == 1.0][0] == 0.0


def test_subnormal_and_tiny_entries_use_libm_fixup():
    p = np.array([[5e-320, 1.0, 0.0], [1e-300, 0.5, 0.5]])
    q = np.array([[0.5, 0.5, 1e-310], [0.5, 0.25, 0.25]])
    got = sc.divergence.kl(p, q, normalize=False, sum_tol=1e-6)
    np.testing.assert_allclose(got, rel_entr(p, q).sum(1), rtol=1e-13, atol=1e-300)
    got = sc.divergence.jensen_shannon_distance(p, q, normalize=False)
    np.testing.assert_allclose(got, jensenshannon(p, q, base=2, axis=1), rtol=1e-12, atol=1e-15)
    e = sc.divergence.entropy(p, normalize=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = -np.nansum(np.where(p > 0, p * np.log(p), 0), axis=1)
    np.testing.assert_allclose(e, ref, rtol=1e-13)


@pytest.mark.parametrize("kind", [kd.KL, kd.JS, kd.ENTROPY, kd.TV, kd.W1, kd.HELLINGER])
def test_parallel_equals_serial(kind):
    rng = np.random.default_rng(kind)
    n, K = 3000, 7
    p = rng.random((n, K))
    q = rng.random((1, K))  # one reference row, broadcast
    p[rng.random((n, K)) < 0.2] = 0
    p[5] = np.nan
    pos = np.arange(K, dtype=float)
    o1, o2 = np.empty(n), np.empty(n)
    f1, f2 = np.empty(n, np.int16), np.empty(n, np.int16)
    kd.rows(kind, p, q, 0.0, 0.0, True, False, 1e-6, pos, o1, f1)
    kd.rows_serial(kind, p, q, 0.0, 0.0, True, False, 1e-6, pos, o2, f2)
    np.testing.assert_array_equal(o1, o2)
    np.testing.assert_array_equal(f1, f2)
    assert f1[5] & kd.FLAG_NAN and np.isnan(o1[5])


def test_public_layer_parallel_path_matches_scipy():
    rng = np.random.default_rng(9)
    p = rng.dirichlet(np.ones(8), size=30000)  # 240k entries: the parallel kernel
    q = rng.dirichlet(np.ones(8), size=30000)
    assert p.size >= kd.PARALLEL_MIN
    np.testing.assert_allclose(sc.divergence.kl(p, q), rel_entr(p, q).sum(1), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sc.divergence.jensen_shannon_distance(p, q),
                               jensenshannon(p, q, base=2, axis=1), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("K", [2, 5, 8])
def test_short_row_kernel_matches_general_and_declines_special_rows(K):
    """The compile-time-K kernel for short rows gives the general kernel's values on clean
    rows, and declines (returns a non-zero count for) rows that need flags or inf."""
    dx = np.diff(np.cumsum(np.r_[0.0, np.arange(1, K)]))  # unequal category spacings
    rng = np.random.default_rng(K)
    n = 50_000
    p = rng.random((n, K))
    q = rng.random((n, K))
    p[rng.random((n, K)) < 0.1] = 0.0
    p[:, 0] += 1e-3
    pos = np.r_[0.0, np.cumsum(dx)]
    for kind in (kd.KL, kd.JS, kd.W1):
        out_s, out_g = np.empty(n), np.empty(n)
        fl_s, fl_g = np.empty(n, np.int16), np.empty(n, np.int16)
        assert kd.short_rows_kernel(K)(kind, p, q, True, 1e-6, dx, out_s, fl_s) == 0
        kd.rows(kind, p, q, 0.0, 0.0, True, False, 1e-6, pos, out_g, fl_g)
        np.testing.assert_allclose(out_s, out_g, rtol=1e-13, atol=1e-15)
        assert not fl_s.any() and not fl_g.any()
        for bad in ("neg", "nan", "qzero", "sum", "inf"):
            pp, qq = p.copy(), q.copy()
            i = 1234
            if bad == "neg":
                pp[i, 0] = -0.1
            elif bad == "nan":
                qq[i, 1] = np.nan
            elif bad == "qzero":
                qq[i, 0] = 0.0  # KL(p || q) = inf there
            elif bad == "inf":
                pp[i, 1] = np.inf
            normalize = bad != "sum"
            if bad == "sum":
                pp /= pp.sum(1, keepdims=True)
                qq /= qq.sum(1, keepdims=True)
                pp[i] *= 1.5
            got = kd.short_rows_kernel(K)(kind, pp, qq, normalize, 1e-6, dx, out_s, fl_s)
            if bad == "qzero" and kind != kd.KL:
                continue  # JS and W1 are finite with a zero in q: nothing to decline
            assert got > 0, (kind, bad)
    # through the public layer: same values as scipy, and special rows still explained
    np.testing.assert_allclose(sc.divergence.kl(p, q), rel_entr(p / p.sum(1, keepdims=True),
                               q / q.sum(1, keepdims=True)).sum(1), rtol=1e-12, atol=1e-14)
    # (compare the divergence: its square root amplifies round-off near 0 for both)
    np.testing.assert_allclose(sc.divergence.jensen_shannon(p, q),
                               jensenshannon(p, q, axis=1, base=2) ** 2, rtol=0, atol=1e-12)
    from scipy.stats import wasserstein_distance

    w1 = sc.divergence.wasserstein_ordinal(p, q, values=pos)
    for i in range(0, n, 5000):
        assert w1[i] == pytest.approx(wasserstein_distance(pos, pos, p[i], q[i]), abs=1e-12)
    q2 = q.copy()
    q2[7, 0] = 0.0
    with pytest.warns(sc.divergence.InfiniteDivergenceWarning):
        assert np.isinf(sc.divergence.kl(p, q2)[7])
    p2 = p.copy()
    p2[9, 1] = -1.0
    with pytest.raises(sc.errors.SocialChoiceError):
        sc.divergence.kl(p2, q)
