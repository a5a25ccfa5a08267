"""netCDF / zarr round trips through xarray; chunked reads stay lazy."""

from __future__ import annotations

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.errors import ValidationError


def _containers():
    rk = sc.read_preflib("# TITLE: t\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: a\n"
                         "# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n3: 1,{2,3}\n2: 3\n")
    rt = sc.Ratings(np.array([[[4.0, np.nan], [2.0, 3.0]], [[np.nan, 5.0], [1.0, 1.0]]]),
                    weights=[[1.0, 2.0], [1.0, 0.5]], raters=["ann", "bob"],
                    candidates=["x", "y"], rater_attributes={"group": ["t", "c"]},
                    items=["p1", "p2"])
    pw = sc.Pairwise.from_records({"item": [1, 1, 2], "a": ["x", "y", "x"],
                                   "b": ["y", "z", "z"], "outcome": [1, 0, 0.5]})
    return rk, rt, pw


def _check(orig, back):
    assert type(back) is type(orig)
    if isinstance(orig, sc.Pairwise):
        np.testing.assert_array_equal(back.support(), orig.support())
        np.testing.assert_array_equal(back.total_weight, orig.total_weight)
        assert back.candidates == orig.candidates and back.items == orig.items
        return
    assert back == orig
    assert back.items == orig.items
    assert back.metadata == orig.metadata
    if isinstance(orig, sc.Ratings):
        assert back.raters == orig.raters
        assert back.rater_attributes["group"].tolist() == ["t", "c"]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_netcdf_round_trip(tmp_path, which):
    pytest.importorskip("netCDF4")
    orig = _containers()[which]
    path = tmp_path / "x.nc"
    sc.io.to_netcdf(orig, path)
    _check(orig, sc.io.read_netcdf(path))


@pytest.mark.parametrize("which", [0, 1, 2])
def test_zarr_round_trip(tmp_path, which):
    pytest.importorskip("zarr")
    orig = _containers()[which]
    path = tmp_path / "x.zarr"
    sc.io.to_zarr(orig, path)
    _check(orig, sc.io.read_zarr(path))


def test_preflib_metadata_survives_netcdf(tmp_path):
    pytest.importorskip("netCDF4")
    rk = _containers()[0]
    sc.io.to_netcdf(rk, tmp_path / "m.nc")
    assert sc.io.read_netcdf(tmp_path / "m.nc").metadata["alternative_names"] == \
        {1: "a", 2: "b", 3: "c"}


@pytest.mark.parametrize("backend", ["netcdf", "zarr"])
def test_chunked_read_is_lazy(tmp_path, backend):
    pytest.importorskip("netCDF4" if backend == "netcdf" else "zarr")
    da_mod = pytest.importorskip("dask.array")
    rt = _containers()[1]
    path = tmp_path / ("c.nc" if backend == "netcdf" else "c.zarr")
    if backend == "netcdf":
        sc.io.to_netcdf(rt, path)
        lazy = sc.io.read_netcdf(path, chunks={"item": 1})
    else:
        sc.io.to_zarr(rt, path, encoding={"rating": {"chunks": (1, 2, 2)}})
        lazy = sc.io.read_zarr(path, chunks={})  # {} = the stored chunks
    assert isinstance(lazy.data, da_mod.Array)
    assert lazy.chunks[0] == (1, 1)
    assert lazy.attrs["kind"] == "ratings"
    assert sc.Ratings.from_xarray(lazy.compute()) == rt


def test_errors(tmp_path):
    with pytest.raises(ValidationError, match="Rankings, Ratings or Pairwise"):
        sc.io.to_dataset(np.zeros(3))
    with pytest.raises(FileNotFoundError):
        sc.io.read_netcdf(tmp_path / "nope.nc")
    with pytest.raises(FileNotFoundError):
        sc.io.read_zarr(tmp_path / "nope.zarr")
    xr = pytest.importorskip("xarray")
    with pytest.raises(ValidationError, match="kind"):
        sc.io.from_dataset(xr.Dataset({"v": ("x", [1, 2])}))


def test_caller_container_not_changed(tmp_path):
    pytest.importorskip("netCDF4")
    rt = _containers()[1]
    before = np.array(rt.values)
    sc.io.to_netcdf(rt, tmp_path / "n.nc")
    np.testing.assert_array_equal(rt.values, before)


def test_directories_and_files_in_the_wrong_place(tmp_path):
    prof = sc.Rankings.from_orders([[0, 1], [1, 0]])
    with pytest.raises(ValidationError, match="is a directory; pass a"):
        sc.io.read_netcdf(tmp_path)
    with pytest.raises(ValidationError, match="is a directory"):
        sc.io.to_netcdf(prof, tmp_path)
    f = tmp_path / "f.txt"
    f.write_text("not a store")
    with pytest.raises(ValidationError, match="zarr store is a directory"):
        sc.io.read_zarr(f)
    with pytest.raises(ValidationError, match="zarr store is a directory"):
        sc.io.to_zarr(prof, f)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(sc.errors.ParseError, match="not a readable zarr store"):
        sc.io.read_zarr(empty)
    with pytest.raises(sc.errors.ParseError, match="not a readable netCDF"):
        sc.io.read_netcdf(f)
