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
