"""xarray/dask adapters: chunked support equals eager support."""

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
