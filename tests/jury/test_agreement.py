"""Krippendorff's alpha, Fleiss' and Randolph's kappa against krippendorff, statsmodels and
Krippendorff (2011)."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from socialchoice import jury
from socialchoice.errors import SocialChoiceError, ValidationError

krippendorff = pytest.importorskip("krippendorff")

nan = np.nan
K2011 = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
                  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
                  [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
                  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]])
PUBLISHED = {"nominal": (0.743, 0.2, 0.779487), "ordinal": (0.815, 47.275, 256.076923),
             "interval": (0.849, 0.433333, 2.871795), "ratio": (0.797, 0.022433, 0.110726)}


@pytest.mark.parametrize("level", jury.LEVELS)
def test_krippendorff_2011_published_digits(level):
    r = jury.krippendorff_alpha(K2011, level)
    a, do, de = PUBLISHED[level]
    assert round(r.alpha, 3) == a
    assert round(r.observed_disagreement, 6) == pytest.approx(do, abs=1e-6)
    assert round(r.expected_disagreement, 6) == pytest.approx(de, abs=1e-6)
    assert r.n_pairable == 40 and r.n_units == 11  # unit 12 has one value and is dropped


@pytest.mark.parametrize("level", jury.LEVELS)
@pytest.mark.parametrize("kind", ["integers", "continuous", "many_raters", "twenty_values",
                                  "halves"])
def test_equals_krippendorff_package_with_missing(level, kind):
    rng = np.random.default_rng(abs(hash((level, kind))) % 2**32)
    shape = (12, 30) if kind == "many_raters" else (4, 60)
    X = rng.integers(0, 5, shape).astype(float)
    if kind == "continuous":
        X = X + rng.random(shape)
    if kind == "twenty_values":   # more than the first count-table width (8), fewer than 64
        X = rng.integers(0, 20, shape).astype(float) * 1.5
    if kind == "halves":          # non-integer values on the count-table path
        X = X / 2 + 0.25
    X[rng.random(shape) < 0.3] = nan
    got = jury.krippendorff_alpha(X, level).alpha
    want = krippendorff.alpha(reliability_data=X, level_of_measurement=level)
    assert got == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize("level", jury.LEVELS)
def test_value_counts_equal_package(level):
    rng = np.random.default_rng(3)
    C = rng.integers(0, 4, (25, 5))
    got = jury.krippendorff_alpha(C, level, value_counts=True, values=[1, 2, 3, 4, 5]).alpha
    want = krippendorff.alpha(value_counts=C, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5])
    assert got == pytest.approx(want, abs=1e-9)


def test_ratio_fourier_path_equals_exact_pairs():
    from socialchoice._kernels.agreement import ratio_pairs_distinct
    from socialchoice.jury._agreement import _ratio_pairs_fourier

    rng = np.random.default_rng(0)
    v = np.sort(np.concatenate([[0.0], np.exp(3 * rng.normal(size=3000))]))
    c = rng.integers(1, 4, v.size).astype(float)
    assert _ratio_pairs_fourier(v, c) == pytest.approx(ratio_pairs_distinct(v, c), rel=1e-12)


def test_ratio_many_distinct_values_equals_package(monkeypatch):
    import socialchoice.jury._agreement as ag

    monkeypatch.setattr(ag, "RATIO_EXACT_MAX", 10)  # force the Fourier path
    rng = np.random.default_rng(5)
    X = rng.gamma(2.0, size=(3, 70))
    X[0, :10] = nan
    got = jury.krippendorff_alpha(X, "ratio").alpha
    assert got == pytest.approx(krippendorff.alpha(reliability_data=X, level_of_measurement="ratio"), abs=1e-9)


def test_bootstrap_interval_seeded_and_brackets():
    a = jury.krippendorff_alpha(K2011, "interval", n_resamples=200, seed=1)
    b = jury.krippendorff_alpha(K2011, "interval", n_resamples=200, rng=1)
    assert a.low == b.low and a.high == b.high
    assert a.low < a.alpha < a.high <= 1


def test_errors_and_caller_array_untouched():
    X = K2011.copy()
    jury.krippendorff_alpha(X, "ratio")
    np.testing.assert_array_equal(np.isnan(X), np.isnan(K2011))
    with pytest.raises(ValidationError):
        jury.krippendorff_alpha(X, "cardinal")
    with pytest.raises(ValidationError, match=">= 0"):
        jury.krippendorff_alpha(-X, "ratio")
    with pytest.raises(ValidationError):
        jury.krippendorff_alpha(np.array([[1.0, nan], [nan, 2.0]]))
    with pytest.warns(sc_warning()):
        assert np.isnan(jury.krippendorff_alpha(np.ones((3, 4)), "nominal").alpha)


def sc_warning():
    from socialchoice.errors import CoverageWarning

    return CoverageWarning


def test_interval_alpha_under_3gb_address_space():
    code = textwrap.dedent("""
        import resource, numpy as np
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
        from socialchoice import jury
        X = np.random.default_rng(0).normal(size=(3, 2000))
        print(jury.krippendorff_alpha(X, "interval").alpha)
        print(jury.krippendorff_alpha(X, "ordinal").alpha)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    X = np.random.default_rng(0).normal(size=(3, 2000))
    vals = [float(v) for v in out.stdout.split()]
    # naive oracle (the krippendorff package needs a 6000 x 6000 x 2000 array here)
    v = X.T.ravel()
    n = v.size
    de = sum(((v[i:i + 500, None] - v[None, :]) ** 2).sum() for i in range(0, n, 500)) / (n * (n - 1))
    do = sum(((u[:, None] - u[None, :]) ** 2).sum() / 2 for u in X.T) / n
    assert vals[0] == pytest.approx(1 - do / de, abs=1e-9)


FLEISS = [[3, 0, 0], [0, 3, 0], [1, 1, 1], [2, 1, 0], [0, 0, 3]]


def test_fleiss_and_randolph_worked_example_and_statsmodels():
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    assert jury.fleiss_kappa(FLEISS).kappa == pytest.approx(0.493243243243, abs=1e-12)
    assert jury.randolph_kappa(FLEISS).kappa == pytest.approx(0.5, abs=1e-12)
    rng = np.random.default_rng(2)
    T = np.stack([rng.multinomial(6, [0.5, 0.3, 0.2], size=20) for _ in range(4)])
    got = jury.fleiss_kappa(T).kappa
    assert got.shape == (4,)
    for b in range(4):
        assert got[b] == pytest.approx(sm_fleiss(T[b], method="fleiss"), abs=1e-12)
        assert jury.randolph_kappa(T).kappa[b] == pytest.approx(
            sm_fleiss(T[b], method="randolph"), abs=1e-12)


def test_fleiss_unequal_raters_points_to_alpha():
    with pytest.raises(SocialChoiceError, match="krippendorff_alpha"):
        jury.fleiss_kappa([[2, 1], [1, 1]])


# ----------------------------------------------------------------------- real data
def test_dices_alpha_from_value_counts(shared_data):
    import pandas as pd

    df = pd.read_csv(os.path.join(shared_data, "dices", "dices350_item_votes.csv"))
    C = df[["n_yes_unsafe", "n_no_safe", "n_unsure"]].to_numpy()
    got = jury.krippendorff_alpha(C, "nominal", value_counts=True)
    want = krippendorff.alpha(value_counts=C, level_of_measurement="nominal")
    assert got.alpha == pytest.approx(want, abs=1e-9)
    assert got.n_units == 350 and got.n_pairable == 350 * 123
    assert jury.fleiss_kappa(C).kappa == pytest.approx(
        __import__("statsmodels.stats.inter_rater", fromlist=["x"]).fleiss_kappa(C), abs=1e-12)


def test_hs_brexit_alpha_per_group(shared_data):
    import pandas as pd

    df = pd.read_csv(os.path.join(shared_data, "hs_brexit", "hs_brexit_annotations.csv"))
    out = {}
    for g, sub in df.groupby("annotator_group"):
        X = sub.pivot(index="annotator_id", columns="item_id", values="hate_speech").to_numpy(float)
        out[g] = jury.krippendorff_alpha(X, "nominal").alpha
        assert out[g] == pytest.approx(krippendorff.alpha(reliability_data=X, level_of_measurement="nominal"), abs=1e-9)
    assert set(out) == {"target", "control"}


@pytest.mark.parametrize("level", jury.LEVELS)
@pytest.mark.parametrize("continuous", [False, True])
def test_dask_dataarray_per_unit_chunk_equals_numpy(level, continuous):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask.array")
    rng = np.random.default_rng(4)
    X = rng.integers(0, 5, (6, 90)).astype(float)
    if continuous:
        X = X + rng.random(X.shape)
    X[rng.random(X.shape) < 0.3] = nan
    da = xr.DataArray(X, dims=("rater", "unit")).chunk({"unit": 20})
    want = jury.krippendorff_alpha(X, level)
    if continuous and level in ("ordinal", "ratio"):
        with pytest.raises(ValidationError, match="all values at once"):
            jury.krippendorff_alpha(da, level)
        return
    got = jury.krippendorff_alpha(da, level)
    assert got.alpha == pytest.approx(want.alpha, abs=1e-12)
    assert got.n_units == want.n_units and got.n_pairable == want.n_pairable
    with pytest.raises(ValidationError, match="no dim"):
        jury.krippendorff_alpha(da, level, unit_dim="item")
