"""sc.stats: bootstrap (coverage on simulated data), rater bootstrap, paired tests, Wilson,
multiple comparisons (docs/divergences.md §6)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import socialchoice as sc
from socialchoice.errors import ValidationError

S = sc.stats


def test_wilson_spec_value_and_oracle():
    lo, hi = S.wilson(7, 20)
    assert lo == pytest.approx(0.181191824101, abs=1e-12)
    assert hi == pytest.approx(0.567145723315, abs=1e-12)
    x, n = np.array([0, 3, 10]), np.array([10, 10, 10])
    lo, hi = S.wilson(x, n, confidence_level=0.9)
    elo, ehi = proportion_confint(x, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(lo, elo)
    np.testing.assert_allclose(hi, ehi)
    # formula of docs/divergences.md §6.2
    z = st.norm.ppf(0.975)
    p, n = 7 / 20, 20
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert S.wilson(7, 20)[0] == pytest.approx(c - h)
    with pytest.raises(ValidationError, match=r"\[0, n\]"):
        S.wilson(5, 3)


@pytest.mark.parametrize("method,want", [
    ("bonferroni", [0.04, 0.16, 0.12, 0.8]),
    ("holm", [0.04, 0.09, 0.09, 0.2]),
    ("fdr_bh", [0.04, 0.053333, 0.053333, 0.2]),
])
def test_adjust_spec_table(method, want):
    p = [0.01, 0.04, 0.03, 0.20]
    reject, padj = S.adjust(p, method)
    np.testing.assert_allclose(padj, want, atol=1e-6)
    assert reject.tolist() == [True, False, False, False]
    np.testing.assert_allclose(padj, multipletests(p, method=method)[1])


def test_adjust_fdr_by_and_errors():
    p = np.array([[0.01, 0.02], [0.5, 0.9]])
    r, padj = S.adjust(p, "fdr_by")
    assert padj.shape == (2, 2)
    np.testing.assert_allclose(padj.ravel(), multipletests(p.ravel(), method="fdr_by")[1])
    with pytest.raises(ValidationError, match="method"):
        S.adjust([0.1], "sidak_x")
    with pytest.raises(ValidationError, match=r"\[0, 1\]"):
        S.adjust([1.5])


def test_bootstrap_matches_scipy_with_same_rng():
    x = np.random.default_rng(0).exponential(size=40)
    for method in ("percentile", "basic", "bca"):
        ours = S.bootstrap(x, np.mean, n_resamples=999, method=method, rng=np.random.default_rng(5))
        ref = st.bootstrap((x,), np.mean, n_resamples=999, method=method,
                           **S._scipy_rng(st.bootstrap, np.random.default_rng(5)))
        assert ours.low == pytest.approx(ref.confidence_interval.low)
        assert ours.high == pytest.approx(ref.confidence_interval.high)
        assert ours.method == method


def test_bootstrap_bca_degenerate_falls_back():
    x = np.ones(20)
    with pytest.warns(RuntimeWarning, match="percentile"):
        r = S.bootstrap(x, n_resamples=99, rng=0)
    assert r.method == "percentile" and r.low == r.high == 1.0


def test_bootstrap_coverage_vectorised_over_datasets():
    # 1,000 simulated data sets of 60 questions; truth = 1 (exponential mean)
    rng = np.random.default_rng(2024)
    data = rng.exponential(size=(1000, 60)) + rng.normal(size=(1000, 60))
    res = S.bootstrap(data, np.mean, n_resamples=999, method="bca", rng=rng, batch=50)
    cover = np.mean((res.low <= 1.0) & (1.0 <= res.high))
    assert abs(cover - 0.95) <= 0.03, cover


def test_rater_bootstrap_coverage_and_batching():
    # 1,000 data sets as the columns of one raters x items matrix (truth 0.3 each)
    rng = np.random.default_rng(7)
    X = (rng.random((200, 1000)) < 0.3).astype(float)
    r = S.rater_bootstrap(X, reduce=None, n_resamples=1000, rng=1)
    cover = np.mean((r.low <= 0.3) & (0.3 <= r.high))
    assert abs(cover - 0.95) <= 0.03, cover
    rp = S.rater_bootstrap(X, reduce=None, n_resamples=1000, rng=1, scheme="poisson")
    cover = np.mean((rp.low <= 0.3) & (0.3 <= rp.high))
    assert abs(cover - 0.95) <= 0.03, cover
    # batching does not change the replicates
    a = S.rater_bootstrap(X[:, :5], n_resamples=100, rng=3, batch=7)
    b = S.rater_bootstrap(X[:, :5], n_resamples=100, rng=3, batch=100)
    np.testing.assert_allclose(a.distribution, b.distribution)


def test_rater_bootstrap_weights_missing_and_items():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    X[::7, 2] = np.nan
    X0 = X.copy()
    w = rng.uniform(0.5, 2, 300)
    r = S.rater_bootstrap(X, weights=w, reduce=None, n_resamples=200, rng=0)
    m = ~np.isnan(X)
    want = np.nansum(X * w[:, None], 0) / (m * w[:, None]).sum(0)
    np.testing.assert_allclose(r.estimate, want)
    np.testing.assert_array_equal(np.isnan(X), np.isnan(X0))
    np.testing.assert_array_equal(X[m], X0[m])  # not mutated
    # item statistic: a divergence of resampled answer distributions against a model
    ans = rng.choice(3, size=(500, 2), p=[0.5, 0.3, 0.2])
    onehot = np.concatenate([(ans[:, [j]] == np.arange(3)).astype(float) for j in range(2)], 1)
    model = np.array([0.4, 0.4, 0.2])

    def js(means):
        return sc.divergence.jensen_shannon(means.reshape(-1, 2, 3), model)

    r2 = S.rater_bootstrap(onehot, item_statistic=js, n_resamples=300, rng=0,
                           resample_items=True, progress=False)
    emp = np.stack([(ans[:, j][:, None] == np.arange(3)).mean(0) for j in range(2)])
    assert r2.estimate == pytest.approx(sc.divergence.jensen_shannon(emp, model).mean())
    assert r2.low <= r2.estimate <= r2.high
    with pytest.raises(ValidationError, match="bca"):
        S.rater_bootstrap(X, method="bca")
    with pytest.raises(ValidationError, match="raters"):
        S.rater_bootstrap(np.ones(5))


def test_cluster_bootstrap():
    rng = np.random.default_rng(1)
    # 1000 data sets x 40 clusters x 3 correlated questions; truth 0
    cl = np.repeat(np.arange(40), 3)
    eff = rng.normal(size=(1000, 40))[:, cl]
    data = eff + 0.5 * rng.normal(size=(1000, 120))
    r = S.bootstrap(data, "mean", cluster=cl, n_resamples=999, method="percentile", rng=2)
    cover = np.mean((r.low <= 0) & (0 <= r.high))
    assert abs(cover - 0.95) <= 0.035, cover
    rb = S.bootstrap(data[0], "mean", cluster=cl, n_resamples=999, method="bca", rng=2)
    assert rb.method == "bca" and rb.low < rb.estimate < rb.high
    with pytest.raises(ValidationError, match="one label per observation"):
        S.bootstrap(data[0], "mean", cluster=cl[:-1])


def test_paired_tests_against_scipy():
    rng = np.random.default_rng(3)
    a = rng.uniform(0.5, 0.9, 12)
    b = a - 0.03 + rng.normal(0, 0.02, 12)
    r = S.paired_permutation(a, b, n_resamples=10**5, rng=0)  # 2^12 < 1e5: exact
    ref = st.permutation_test((a, b), lambda x, y, axis: np.mean(x - y, axis=axis),
                              permutation_type="samples", vectorized=True, n_resamples=10**5)
    assert r.pvalue == pytest.approx(ref.pvalue)
    assert r.mean_difference == pytest.approx(np.mean(a - b)) and r.n == 12
    assert r.low <= r.mean_difference <= r.high
    w = S.wilcoxon(a, b, rng=0)
    assert w.pvalue == pytest.approx(st.wilcoxon(a - b).pvalue)
    pb = S.paired_bootstrap(a, b, rng=0)
    assert np.isnan(pb.pvalue) and pb.low < pb.high
    c = S.compare(a, b, test="bootstrap", rng=0)
    assert c.test == "bootstrap"
    with pytest.raises(ValidationError, match="paired"):
        S.compare(a, b, test="welch")
    u = S.compare(a, b, test="welch", paired=False, rng=0)
    assert u.pvalue == pytest.approx(st.ttest_ind(a, b, equal_var=False).pvalue)
    with pytest.raises(ValidationError, match="same questions"):
        S.paired_permutation(a, b[:-1])


def test_seeded_and_errors():
    x = np.arange(10.0)
    assert S.bootstrap(x, rng=4, n_resamples=99).low == S.bootstrap(x, rng=4, n_resamples=99).low
    with pytest.raises(ValidationError, match="rng"):
        S.bootstrap(x, rng="seed")
    with pytest.raises(ValidationError, match="method"):
        S.bootstrap(x, method="studentized")
    with pytest.raises(ValidationError, match="NaN"):
        S.bootstrap([1.0, np.nan, 2.0])
    with pytest.raises(ValidationError, match="confidence_level"):
        S.bootstrap(x, confidence_level=95)
    assert S.noise_floor is sc.divergence.noise_floor


def test_rater_bootstrap_progress_bar_option(capsys):
    X = np.random.default_rng(0).normal(size=(50, 2))
    a = S.rater_bootstrap(X, n_resamples=40, batch=10, rng=0, progress=True)
    b = S.rater_bootstrap(X, n_resamples=40, batch=10, rng=0)
    assert a.low == b.low and a.high == b.high


# ------------------------------------------------------------------ scipy floor, registry, renames


def test_scipy_floor_without_rng_keyword_gets_random_state(monkeypatch):
    """scipy < 1.15 (the floor is 1.10) has ``random_state=`` and no ``rng=``."""
    real_boot, real_perm = st.bootstrap, st.permutation_test
    seen = []

    def old_bootstrap(data, statistic, *, n_resamples=9999, batch=None, vectorized=None,
                      paired=False, axis=0, confidence_level=0.95, method="BCa",
                      bootstrap_result=None, random_state=None):
        seen.append(type(random_state))
        return real_boot(data, statistic, n_resamples=n_resamples, batch=batch, axis=axis,
                         confidence_level=confidence_level, method=method,
                         **S._scipy_rng(real_boot, random_state))

    def old_permutation_test(data, statistic, *, permutation_type="independent",
                             vectorized=None, n_resamples=9999, batch=None,
                             alternative="two-sided", axis=0, random_state=None):
        seen.append(type(random_state))
        return real_perm(data, statistic, permutation_type=permutation_type,
                         vectorized=vectorized, n_resamples=n_resamples, alternative=alternative,
                         axis=axis, **S._scipy_rng(real_perm, random_state))

    x = np.random.default_rng(0).exponential(size=30)
    want = S.bootstrap(x, n_resamples=499, rng=3)
    a, b = x[:12], x[12:24] + 0.1
    want_p = S.paired_permutation(a, b, n_resamples=999, rng=4)
    want_u = S.compare(a, x[:20], test="permutation_independent", paired=False,
                       n_resamples=499, rng=5)
    monkeypatch.setattr(st, "bootstrap", old_bootstrap)
    monkeypatch.setattr(st, "permutation_test", old_permutation_test)
    got = S.bootstrap(x, n_resamples=499, rng=3)
    assert (got.low, got.high) == (want.low, want.high)
    assert S.paired_permutation(a, b, n_resamples=999, rng=4) == want_p
    assert S.compare(a, x[:20], test="permutation_independent", paired=False,
                     n_resamples=499, rng=5) == want_u
    assert seen and all(t is np.random.Generator for t in seen)


def test_rater_bootstrap_resamples_items_when_averaging_them():
    # items are a sample too: X[r, j] = mu_j + noise, mu_j ~ N(0, 0.3); the estimate averages
    # items, so its interval must cover the population mean 0 across item samples
    rng = np.random.default_rng(8)
    cov_two_way, cov_raters_only = [], []
    for i in range(150):
        X = rng.normal(0, 0.3, 15)[None, :] + rng.normal(0, 1, (60, 15))
        r = S.rater_bootstrap(X, n_resamples=300, rng=i)
        r0 = S.rater_bootstrap(X, n_resamples=300, rng=i, resample_items=False)
        cov_two_way.append(r.low <= 0 <= r.high)
        cov_raters_only.append(r0.low <= 0 <= r0.high)
    assert np.mean(cov_two_way) >= 0.9, np.mean(cov_two_way)
    assert np.mean(cov_raters_only) < 0.85, np.mean(cov_raters_only)


def test_registry_and_renamed_names():
    assert set(S.names()) >= {"bootstrap", "rater_bootstrap", "paired_bootstrap",
                              "paired_permutation", "wilcoxon", "compare", "adjust", "wilson",
                              "noise_floor"}
    assert S.get("sign_flip_permutation") is S.paired_permutation
    assert S.info("rater_bootstrap").meta["unit"].startswith("raters and items")
    assert set(S.names(group="paired")) == {"paired_bootstrap", "paired_permutation",
                                            "wilcoxon", "compare"}
    with pytest.warns(DeprecationWarning, match="ComparisonResult"):
        assert S.PairedComparison is S.ComparisonResult
    with pytest.warns(DeprecationWarning, match="NoiseFloorResult"):
        assert S.NoiseFloor is S.NoiseFloorResult
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.warns(DeprecationWarning, match="reduce"):
        r = S.rater_bootstrap(X, aggregate=None, n_resamples=20, rng=0)
    assert r.low.shape == (3,)
    lo, hi = S.wilson(3, 10)
    assert S.wilson(3, 10)[0] == lo and S.wilson(3, 10).high == hi
    reject, padj = S.adjust([0.01, 0.5])
    assert S.adjust([0.01, 0.5]).pvalues.tolist() == padj.tolist()


def test_bootstrap_progress_and_chunks():
    rng = np.random.default_rng(1)
    data = rng.normal(size=40)
    cl = np.repeat(np.arange(20), 2)
    seen = []
    a = S.bootstrap(data, "mean", cluster=cl, n_resamples=50, batch=20, rng=0,
                    method="percentile", progress=lambda d, n: seen.append(d))
    b = S.bootstrap(data, "mean", cluster=cl, n_resamples=50, batch=50, rng=0,
                    method="percentile")
    assert seen == [20, 40, 50] and a.low == b.low


X10 = np.arange(10.0)
BAD_INPUT = [
    (S.bootstrap, (X10,), {"confidence_level": 1.5}, "confidence_level"),
    (S.bootstrap, (X10,), {"confidence_level": "high"}, "confidence_level"),
    (S.bootstrap, (X10,), {"n_resamples": 0}, "n_resamples"),
    (S.bootstrap, (X10,), {"n_resamples": 9.5}, "n_resamples"),
    (S.bootstrap, (X10,), {"batch": -1}, "batch"),
    (S.bootstrap, (X10,), {"method": "studentized"}, "method"),
    (S.bootstrap, (X10,), {"axis": 3}, "axis"),
    (S.bootstrap, (X10,), {"statistic": "median"}, "statistic"),
    (S.bootstrap, (X10,), {"rng": 1.5}, "rng"),
    (S.bootstrap, ([],), {}, "at least 2"),
    (S.bootstrap, (["a", "b"],), {}, "data"),
    (S.bootstrap, ([1.0, np.inf],), {}, "inf"),
    (S.bootstrap, ([1.0, np.nan, 2.0],), {}, "NaN"),
    (S.rater_bootstrap, (np.ones((5, 2)),), {"scheme": "bayes"}, "scheme"),
    (S.rater_bootstrap, (np.ones((5, 2)),), {"reduce": "sum"}, "reduce"),
    (S.rater_bootstrap, (np.ones((5, 2)),), {"weights": [1, 2]}, "weights"),
    (S.rater_bootstrap, (np.ones((5, 2)),), {"confidence_level": 0}, "confidence_level"),
    (S.paired_bootstrap, ([1, 2], [1, 2, 3]), {}, "same questions"),
    (S.paired_bootstrap, ([1, 2, 3], [1, 2, 3]), {"n_resamples": 0}, "n_resamples"),
    (S.paired_permutation, ([1, 2, 3], [1, 2, 4]), {"alternative": "bigger"}, "alternative"),
    (S.wilcoxon, ([1, 2, 3], [1, 2, 3]), {}, "nonzero difference"),
    (S.compare, ([1, 2, 3], [1, 2, 4]), {"test": "ttest"}, "test"),
    (S.compare, ([1, 2, 3], [1, 2, 4]), {"paired": "yes"}, "paired"),
    (S.adjust, ([0.1, 0.2],), {"method": "sidak_x"}, "method"),
    (S.adjust, ([0.1],), {"alpha": 2}, "alpha"),
    (S.adjust, ([],), {}, "empty"),
    (S.wilson, (3, 10), {"confidence_level": 1}, "confidence_level"),
    (S.wilson, ("a", 10), {}, "`x`"),
    (S.noise_floor, ([.5, .5], 100), {"quantiles": [1.5], "rng": 0}, "quantiles"),
    (S.noise_floor, ([.5, .5], 100), {"quantiles": ["x"]}, "quantiles"),
    (S.noise_floor, ([.5, .5], 100), {"n_resamples": 0, "method": "bootstrap"}, "n_resamples"),
    (S.noise_floor, ([.5, .5], 0), {}, "`n`"),
    (S.noise_floor, ([.5, .5], 100), {"method": "exact"}, "method"),
    (S.noise_floor, ([.5, -.5], 100), {}, "`p`"),
    (S.noise_floor, ([[.5, .5]] * 2, [10, 20, 30]), {}, "broadcast"),
]


@pytest.mark.parametrize("func,args,kwargs,match", BAD_INPUT,
                         ids=[f"{f.__name__}-{m}-{i}" for i, (f, _, _, m) in enumerate(BAD_INPUT)])
def test_bad_input_raises_package_error_naming_the_argument(func, args, kwargs, match):
    with pytest.raises(sc.errors.SocialChoiceError, match=match) as exc:
        func(*args, **kwargs)
    assert isinstance(exc.value, ValueError)


def test_replicate_interval_against_numpy_quantiles():
    rng = np.random.default_rng(3)
    boot = rng.normal(size=(400, 3))
    theta = np.array([0.1, 0.0, -0.2])
    r = sc.stats.replicate_interval(theta, boot, confidence_level=0.9)
    lo, hi = np.quantile(boot, [0.05, 0.95], axis=0)
    np.testing.assert_allclose(r.low, lo, rtol=1e-12)
    np.testing.assert_allclose(r.high, hi, rtol=1e-12)
    b = sc.stats.replicate_interval(theta, boot, confidence_level=0.9, method="basic")
    np.testing.assert_allclose(b.low, 2 * theta - hi)
    np.testing.assert_allclose(b.high, 2 * theta - lo)
    assert (r.n_resamples, r.method) == (400, "percentile")


@pytest.mark.parametrize("bad, match", [
    ({"replicates": [1.0]}, "at least 2"),
    ({"replicates": [1.0, np.nan]}, "NaN"),
    ({"method": "bca"}, "method"),
    ({"estimate": [1.0, 2.0, 3.0]}, "does not match"),
])
def test_replicate_interval_bad_input(bad, match):
    kw = {"estimate": 0.0, "replicates": [0.0, 1.0, 2.0]} | bad
    with pytest.raises(sc.errors.ValidationError, match=match):
        sc.stats.replicate_interval(kw.pop("estimate"), kw.pop("replicates"), **kw)
