"""examples/out_of_core_jury.py at a small size: the chunked zarr path equals the numpy path."""

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

import socialchoice as sc

pytest.importorskip("zarr")
pytest.importorskip("dask.array")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "out_of_core_jury.py"


def _load():
    spec = importlib.util.spec_from_file_location("out_of_core_jury", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_small_equals_numpy(tmp_path):
    ex = _load()
    n, c = 5000, 700
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info = ex.main(n, c, str(tmp_path / "r.zarr"))
    chunks = [min(c, n - s) for s in range(0, n, c)]
    X = np.concatenate([ex.chunk_ratings(0, i, k, 10) for i, k in enumerate(chunks)]).astype(np.float64)
    R = sc.Ratings(X)
    res = info["results"]
    want = {"borda": sc.rules.borda(R), "utilitarian": sc.rules.utilitarian(R),
            "majority_judgment": sc.rules.majority_judgment(R, tie_break="gauge"),
            "schulze": sc.rules.schulze(R, pairs="both_rated")}
    for name, w in want.items():
        assert res[name]["reduction"] == "rater_chunks"
        np.testing.assert_array_equal(res[name]["winner_mask"], w.winner_mask, err_msg=name)
    np.testing.assert_allclose(res["welfare.nash"]["values"],
                               sc.welfare.nash(X, nan_policy="omit").values, rtol=1e-6)
    np.testing.assert_allclose(res["welfare.egalitarian"]["values"],
                               sc.welfare.egalitarian(X, nan_policy="omit").values)
    assert info["peak_rss_mb"] > 0
