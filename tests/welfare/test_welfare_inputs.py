"""Input kinds (Ratings, group x alternative matrices, DataArrays), per-cell nan_policy="omit",
results, and import under ``python -OO``, for welfare and bargaining."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.errors import CoverageWarning, ValidationError, WeightsError

W = sc.welfare
B = sc.bargaining
_PARAMS = {"power_mean": dict(p=0.5), "equally_distributed_equivalent": dict(epsilon=0.5),
           "atkinson": dict(epsilon=0.7), "quantile_welfare": dict(q=0.4), "owa": dict(omega=[0.4, 0.3, 0.2, 0.1])}
NUMERIC = ["utilitarian", "nash", "egalitarian", "power_mean", "equally_distributed_equivalent", "atkinson",
           "gini_welfare", "quantile_welfare"]


def _with_nans(rng, shape=(4, 5)):
    U = rng.random(shape) + 0.1
    U[0, 1] = U[2, 1] = U[3, 4] = U[1, 0] = np.nan
    return U


@pytest.mark.parametrize("name", NUMERIC)
def test_omit_is_per_cell_against_a_naive_loop(name, rng):
    U = _with_nans(rng)
    w = rng.random(4) + 0.2
    got = W.get(name)(U, weights=w, nan_policy="omit", **_PARAMS.get(name, {}))
    for j in range(U.shape[1]):
        keep = ~np.isnan(U[:, j])
        one = W.get(name)(U[keep, j:j + 1], weights=w[keep], **_PARAMS.get(name, {}))
        np.testing.assert_allclose(got.values[j], one.values[0], rtol=1e-12, err_msg=f"{name} alt {j}")
        assert got.n_agents_per_alternative[j] == keep.sum()
    assert got.n_agents_used == 4  # every agent rated something


def test_omit_per_cell_leximin_and_batch(rng):
    U = _with_nans(rng)
    r = W.leximin(U, nan_policy="omit")
    cols = [U[~np.isnan(U[:, j]), j] for j in range(U.shape[1])]
    # brute force: sort columns by their sorted vectors, compared as weighted quantile functions
    for j in range(5):
        for k in range(5):
            c = W.leximin_compare(cols[j], cols[k])
            assert np.sign(r.levels[k] - r.levels[j]) == c or (c == 0 and r.levels[j] == r.levels[k])
    V = np.stack([U, U[::-1]])
    batch = W.utilitarian(V, nan_policy="omit").values
    loop = np.stack([W.utilitarian(v, nan_policy="omit").values for v in V])
    np.testing.assert_allclose(batch, loop, rtol=1e-12)
    # the numba fast path and the general path (reduce="sum" / normalize) agree on the mean
    gen = W.utilitarian(U, nan_policy="omit", normalize="disagreement", disagreement=0.0).values
    np.testing.assert_allclose(W.utilitarian(U, nan_policy="omit").values, gen, rtol=1e-12)
    s = W.utilitarian(U, nan_policy="omit", reduce="sum").values
    np.testing.assert_allclose(s, np.nansum(U, axis=0), rtol=1e-12)


def test_omit_unrated_alternative_is_nan_with_coverage_warning():
    U = np.array([[1.0, np.nan], [2.0, np.nan]])
    for name in NUMERIC + ["leximin", "owa"]:
        kw = dict(_PARAMS.get(name, {}))
        if name == "owa":
            kw = dict(omega=[0.5, 0.5])
        with pytest.warns(CoverageWarning, match="no agent"):
            r = W.get(name)(U, nan_policy="omit", **kw)
        assert np.isnan(r.values[1]) and np.isfinite(r.values[0]), name
        assert r.winner == 0


def test_raise_names_the_cell():
    U = np.array([[[1.0, 2], [3, 4]], [[1.0, 2], [np.nan, 4]]])
    for name in NUMERIC + ["leximin"]:
        with pytest.raises(ValidationError, match=r"item \(1,\), agent 1, alternative 0"):
            W.get(name)(U, nan_policy="raise", **_PARAMS.get(name, {}))


def test_ratings_input(rng):
    U = _with_nans(rng)
    w = rng.random(4) + 0.2
    R = sc.Ratings(U, weights=w)
    for name in NUMERIC + ["leximin"]:
        a = W.get(name)(R, nan_policy="omit", **_PARAMS.get(name, {}))
        b = W.get(name)(U, weights=w, nan_policy="omit", **_PARAMS.get(name, {}))
        np.testing.assert_array_equal(a.values, b.values)
    with pytest.raises(WeightsError, match="Ratings"):
        W.utilitarian(R, weights=w)
    full = rng.random((2, 4, 3))
    Rb = sc.Ratings(full)
    for name in B.names():
        kw = {"r": np.ones(4)} if name == "proportional" else {}
        a = B.get(name)(Rb, disagreement="min", over="lottery", **kw)
        b = B.get(name)(full, disagreement="min", over="lottery", **kw)
        np.testing.assert_array_equal(a.lottery, b.lottery)
    with pytest.raises(ValidationError, match="agent 0"):
        B.nash(sc.Ratings(U))  # bargaining default nan_policy="raise"


def test_group_by_alternative_matrix(rng):
    xr = pytest.importorskip("xarray")
    G = rng.random((3, 4))
    da = xr.DataArray(G, dims=("group", "alternative"), coords={"alternative": list("abcd")})
    out = W.nash(da, disagreement=-1.0)
    assert out.dims == ("alternative",)
    np.testing.assert_allclose(out.values, W.nash(G, disagreement=-1.0).values)
    r = B.nash(da, disagreement=-1.0, over="lottery")
    np.testing.assert_array_equal(r.lottery, B.nash(G, disagreement=-1.0, over="lottery").lottery)
    # group x alternative with alternatives first: dims by name
    r2 = B.egalitarian(da.transpose("alternative", "group"), disagreement=-1.0)
    assert r2.alternative == B.egalitarian(G, disagreement=-1.0).alternative
    if hasattr(sc.Ratings, "group_means"):
        R = sc.Ratings(rng.random((6, 4)), rater_attributes={"group": [0, 0, 1, 1, 2, 2]})
        gm = R.group_means("group")
        assert W.utilitarian(gm).shape == (4,)
        assert B.nash(gm, disagreement="min").n_agents_used == 3


def test_dataarray_weights_coordinate_and_dask(rng):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask")
    U = rng.random((6, 4, 3))
    w = rng.random(4) + 0.1
    da = xr.DataArray(U, dims=("item", "rater", "alternative"), coords={"weight": ("rater", w)})
    lazy = W.power_mean(da.chunk({"item": 2}), 2.0)
    assert lazy.chunks is not None
    np.testing.assert_allclose(lazy.compute().values, W.power_mean(U, 2.0, weights=w).values, rtol=1e-12)
    # per-item weights as a DataArray
    wi = xr.DataArray(rng.random((6, 4)) + 0.1, dims=("item", "rater"))
    got = W.utilitarian(da.drop_vars("weight"), weights=wi)
    np.testing.assert_allclose(got.values, W.utilitarian(U, weights=wi.values).values, rtol=1e-12)
    with pytest.raises(ValidationError, match="keepdims"):
        W.utilitarian(da, keepdims=True)


def test_results_to_xarray_and_pandas():
    pytest.importorskip("xarray")
    r = W.nash(np.random.default_rng(0).random((2, 3, 4)) + 0.1)
    ds = r.to_xarray(batch_dims=("poll",), alternatives=list("wxyz"))
    assert ds["values"].dims == ("poll", "alternative") and "not_individually_rational" in ds
    df = r.to_pandas()
    assert len(df) == 8 and df["level"].min() == 0
    with pytest.raises(ValidationError):
        r.to_xarray(batch_dims=("a", "b"))


def test_import_and_use_under_python_OO():
    code = ("import numpy as np, socialchoice.welfare as w, socialchoice.bargaining as b; "
            "assert w.nash.__doc__ is None; "
            "print(w.best([[1., 2], [3, 1]], 'nash').winner, b.solve([[1., 2], [3, 1]], 'ks').alternative, "
            "b.names() == b.REGISTRY.names(), w.info('rawlsian').summary == '')")
    env = dict(os.environ)
    env.setdefault("NUMBA_CACHE_DIR", "/tmp/numba_welfare")
    out = subprocess.run([sys.executable, "-OO", "-c", code], capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "0", "True", "True"]


def test_bargaining_registry():
    assert set(B.names()) == {"nash", "kalai_smorodinsky", "egalitarian", "leximin", "utilitarian",
                              "proportional"}
    assert B.get("ks") is B.kalai_smorodinsky
    assert B.info("nash").family == "nash" and B.info("nash").meta["input"] == "utilities"
    assert B.solve([[3.0, 0, 1], [0, 2, 1.2]], "KS").alternative == 2
    with pytest.raises(sc.errors.UnknownNameError, match="did you mean"):
        B.solve([[1.0]], "nassh")
    # aliases do not collide with any other family (the registry enforces it at import)
    from socialchoice._registry import all_registries

    mine = {a for e in B.REGISTRY for a in e.aliases}
    for fam, reg in all_registries().items():
        if fam != "bargaining":
            assert not mine & {a for e in reg for a in (e.name, *e.aliases)}, fam
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        B.REGISTRY.table()
