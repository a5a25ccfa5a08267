"""Survey-weighted distributions, Kish ESS and sampling noise floors (docs/divergences.md §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc
from socialchoice.errors import DistributionError, ValidationError, WeightsError

D = sc.divergence


def test_kish_example_and_axis():
    assert D.kish_ess([1, 1, 2, 4]) == pytest.approx(64 / 22, abs=1e-12)
    assert D.kish_ess(np.ones(7)) == pytest.approx(7)
    w = np.array([[1, 1, 2, 4], [1, 1, 1, 1.0]])
    np.testing.assert_allclose(D.kish_ess(w.T, axis=0), [64 / 22, 4])
    with pytest.raises(WeightsError, match="negative"):
        D.kish_ess([1, -1])
    with pytest.raises(WeightsError, match="zero"):
        D.kish_ess([0, 0])


def test_group_distributions_weighted():
    df = pd.DataFrame({
        "question": ["q1"] * 6 + ["q2"] * 2,
        "group": ["a", "a", "a", "b", "b", "b", "a", "b"],
        "answer": [1, 2, 2, 1, 3, "Refused", 1, 2],
        "w": [1.0, 2.0, 1.0, 4.0, 1.0, 1.0, 1.0, 1.0],
    })
    df["answer"] = df["answer"].astype(str)
    orig = df.copy()
    out = D.group_distributions(df, weight="w", exclude=["Refused"],
                                options={"q1": ["1", "2", "3"], "q2": ["1", "2", "3"]})
    pd.testing.assert_frame_equal(df, orig)  # caller's table untouched
    r = out.set_index(["question", "group"])
    np.testing.assert_allclose(r.loc[("q1", "a"), "distribution"], [0.25, 0.75, 0])
    np.testing.assert_allclose(r.loc[("q1", "b"), "distribution"], [0.8, 0, 0.2])
    assert r.loc[("q1", "b"), "excluded_share"] == pytest.approx(1 / 6)
    assert r.loc[("q1", "b"), "n_eff"] == pytest.approx(25 / 17)
    assert r.loc[("q1", "b"), "n"] == 2
    # Overall pools everyone, survey-weighted
    np.testing.assert_allclose(r.loc[("q1", "Overall"), "distribution"], np.array([5, 3, 1]) / 9)
    np.testing.assert_allclose(r.loc[("q2", "Overall"), "distribution"], [0.5, 0.5, 0])
    with pytest.raises(ValidationError, match="not in `options`"):
        D.group_distributions(df, weight="w", options={"q1": ["1", "2"]})
    with pytest.raises(ValidationError, match="no column"):
        D.group_distributions(df, weight="weight")
    bad = df.assign(w=-1.0)
    with pytest.raises(ValidationError, match="survey weights"):
        D.group_distributions(bad, weight="w")


P4 = np.array([0.4, 0.3, 0.2, 0.1])


def test_noise_floor_formulas_spec_table():
    # docs/divergences.md §5.2 check table, formula column
    for n, kl, js, tv in ((50, 0.03, 0.0075, 0.09299), (200, 0.0075, 0.001875, 0.04649),
                          (1000, 0.0015, 0.000375, 0.02079)):
        assert D.noise_floor(P4, n, metric="kl", method="asymptotic").mean == pytest.approx(kl)
        assert D.noise_floor(P4, n, metric="js", method="asymptotic", base=np.e).mean == \
            pytest.approx(js)
        assert D.noise_floor(P4, n, metric="tv", method="asymptotic").mean == \
            pytest.approx(tv, abs=1e-5)


@pytest.mark.parametrize("metric,kw", [("kl", {}), ("jensen_shannon", {}),
                                        ("total_variation", {}), ("wasserstein_ordinal", {}),
                                        ("chi_square", {}), ("cramer", {}),
                                        ("wasserstein_ordinal", {"values": [1, 2, 4, 8]})])
def test_noise_floor_asymptotic_vs_monte_carlo(metric, kw):
    n = 100  # n * min p = 10
    a = D.noise_floor(P4, n, metric=metric, method="asymptotic", **kw).mean
    b = D.noise_floor(P4, n, metric=metric, method="bootstrap", n_resamples=20000, rng=3,
                      **kw).mean
    assert abs(a - b) / b < 0.10


def test_noise_floor_two_samples_and_auto():
    a = D.noise_floor(P4, 200, m=300, metric="kl", method="asymptotic").mean
    assert a == pytest.approx(3 / 2 * (1 / 200 + 1 / 300))
    b = D.noise_floor(P4, 200, m=300, metric="kl", method="bootstrap", n_resamples=20000,
                      rng=0).mean
    assert abs(a - b) / b < 0.1
    assert D.noise_floor(P4, 200, metric="kl").method == "asymptotic"
    assert D.noise_floor(P4, 20, metric="kl", rng=0).method == "bootstrap"  # n min p < 5
    assert D.noise_floor([0.5, 0.5, 0], 500, metric="kl", rng=0).method == "bootstrap"
    assert D.noise_floor(P4, 500, metric="jsd", rng=0).method == "bootstrap"  # a distance
    assert D.noise_floor(P4, 500, metric="kl", n_raw=2000, rng=0).method == "bootstrap"
    nf = D.noise_floor(P4, 500, metric="kl", quantiles=[0.05, 0.95], rng=0)
    assert nf.method == "bootstrap" and nf.quantiles[0.05] < nf.mean < nf.quantiles[0.95]
    assert nf.excess(0.001) == pytest.approx(0.001 - nf.mean)  # not clipped at 0
    # batched populations
    P = np.stack([P4, P4[::-1]])
    out = D.noise_floor(P, np.array([100, 400]), metric="total_variation", method="asymptotic")
    assert out.mean.shape == (2,) and out.mean[0] > out.mean[1]
    ob = D.noise_floor(P, np.array([100, 400]), metric="total_variation", method="bootstrap",
                       n_resamples=5000, rng=1)
    np.testing.assert_allclose(ob.mean, out.mean, rtol=0.1)


def test_noise_floor_errors():
    with pytest.raises(ValidationError, match="no asymptotic formula"):
        D.noise_floor(P4, 100, metric="hellinger", method="asymptotic")
    with pytest.raises(DistributionError):
        D.noise_floor([-0.1, 1.1], 100)
    with pytest.raises(ValidationError, match="sample sizes"):
        D.noise_floor(P4, 0)
    with pytest.raises(ValidationError, match="method"):
        D.noise_floor(P4, 10, method="exact")
    with pytest.raises(sc.errors.UnknownNameError):
        D.noise_floor(P4, 10, metric="nope")
