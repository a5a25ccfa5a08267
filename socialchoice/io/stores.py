"""netCDF and zarr stores through xarray, for :class:`Rankings`, :class:`Ratings`, :class:`Pairwise`.

A container is written as a one-variable dataset made by its ``to_xarray()`` (variable
``rank``, ``rating`` or ``support``; weights, rater attributes and item labels as coordinates;
``metadata`` as a JSON attribute). Reading without ``chunks`` loads the store and rebuilds the
container; reading with ``chunks`` returns the lazy, dask-backed :class:`xarray.DataArray`
instead, so a large store is never loaded eagerly unless asked (pass it to :mod:`socialchoice.xr`
or call ``from_xarray`` on a computed slice).
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from ..errors import ParseError, SocialChoiceError, ValidationError
from ..profiles import Pairwise, Rankings, Ratings
from ._paths import input_file, output_file

__all__ = ["to_netcdf", "read_netcdf", "to_zarr", "read_zarr", "to_dataset", "from_dataset"]

_KINDS: dict[str, Any] = {"rankings": Rankings, "ratings": Ratings, "pairwise": Pairwise}
_META_ATTR = "socialchoice_metadata"


def to_dataset(container: Rankings | Ratings | Pairwise):
    """The one-variable :class:`xarray.Dataset` written by :func:`to_netcdf` / :func:`to_zarr`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> ds = sc.io.to_dataset(sc.Rankings.from_orders([[0, 1], [1, 0]]))
    >>> list(ds.data_vars), ds.attrs["kind"]
    (['rank'], 'rankings')
    """
    if not isinstance(container, (Rankings, Ratings, Pairwise)):
        raise ValidationError(
            f"`container` must be a Rankings, Ratings or Pairwise, got {type(container).__name__}"
        )
    da = container.to_xarray()
    if isinstance(container, Pairwise):
        bdims = da.dims[:-2]
        tw = np.asarray(container.total_weight, dtype=np.float64)
        da = da.assign_coords(total_weight=(bdims, tw))
    ds = da.to_dataset()
    ds.attrs["kind"] = da.attrs.get("kind", "")
    md = getattr(container, "metadata", None)
    if md:
        try:
            ds.attrs[_META_ATTR] = json.dumps(md, default=str)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"`metadata` cannot be stored as JSON: {exc}") from None
    return ds


def from_dataset(ds: Any) -> Rankings | Ratings | Pairwise:
    """Inverse of :func:`to_dataset` (loads the data)."""
    kind = ds.attrs.get("kind")
    if kind not in _KINDS:
        raise ValidationError(
            f"the store has attribute kind={kind!r}; expected one written by "
            "socialchoice.io (rankings, ratings or pairwise)"
        )
    names = list(ds.data_vars)
    if len(names) != 1:
        raise ValidationError(f"expected one data variable in the store, found {names}")
    da = ds[names[0]].load()
    md = ds.attrs.get(_META_ATTR)
    meta = _decode_meta(md) if md else None
    if kind == "pairwise":
        bdims = tuple(da.dims[:-2])
        cands = da["alternative"].values.tolist() if "alternative" in da.coords else None
        tw = np.asarray(da["total_weight"].values) if "total_weight" in da.coords else None
        pw = Pairwise(np.asarray(da.values), cands, total_weight=tw,
                      batch_dims=bdims or None)
        if len(bdims) == 1 and bdims[0] in da.coords:
            pw.items = tuple(da[bdims[0]].values.tolist())
        return pw
    obj = _KINDS[kind].from_xarray(da)
    if meta:
        obj._metadata = meta
    return obj


def _decode_meta(text: str) -> dict:
    meta = json.loads(text)
    names = meta.get("alternative_names")
    if isinstance(names, dict):
        meta["alternative_names"] = {int(k) if str(k).lstrip("-").isdigit() else k: v
                                     for k, v in names.items()}
    return meta


def _main_var(ds: Any):
    names = list(ds.data_vars)
    if len(names) != 1:
        raise ValidationError(f"expected one data variable in the store, found {names}")
    da = ds[names[0]]
    da.attrs.update({k: v for k, v in ds.attrs.items() if k not in da.attrs})
    return da


def to_netcdf(container: Rankings | Ratings | Pairwise, path: str | os.PathLike,
              **kwargs: Any) -> None:
    """Write a container to a netCDF file (``kwargs`` go to :meth:`xarray.Dataset.to_netcdf`).

    Examples
    --------
    >>> import os, tempfile, socialchoice as sc
    >>> prof = sc.Rankings.from_orders([[0, 1], [1, 0]], weights=[2, 1])
    >>> path = os.path.join(tempfile.mkdtemp(), "prof.nc")
    >>> sc.io.to_netcdf(prof, path)
    >>> sc.io.read_netcdf(path) == prof
    True
    """
    to_dataset(container).to_netcdf(output_file(path, "netCDF file"), **kwargs)


def read_netcdf(path: str | os.PathLike, *, chunks: Any = None, **kwargs: Any):
    """Read a container written by :func:`to_netcdf`.

    Parameters
    ----------
    path : str or os.PathLike
    chunks : optional
        ``None`` (default): load the file and return the container. Otherwise passed to
        :func:`xarray.open_dataset` and the lazy, dask-backed :class:`xarray.DataArray` is
        returned without loading the data (e.g. ``chunks={"item": 100}`` or ``"auto"``).
    **kwargs
        Passed to :func:`xarray.open_dataset` (e.g. ``engine="h5netcdf"``).
    """
    import xarray as xr

    p = input_file(path, "netCDF file")
    try:
        if chunks is not None:
            return _main_var(xr.open_dataset(p, chunks=chunks, **kwargs))
        with xr.open_dataset(p, **kwargs) as ds:
            return from_dataset(ds)
    except (OSError, ValueError) as exc:
        if isinstance(exc, (ValidationError, FileNotFoundError)):
            raise
        raise ParseError(f"not a readable netCDF file: {' '.join(str(exc).split())}",
                         path=p) from None


def to_zarr(container: Rankings | Ratings | Pairwise, store: Any, **kwargs: Any) -> None:
    """Write a container to a zarr store (``kwargs`` go to :meth:`xarray.Dataset.to_zarr`).

    Defaults: ``zarr_format=2`` (string labels have no stable zarr v3 encoding yet) and
    ``consolidated=False``; pass either keyword to override.

    Examples
    --------
    >>> import os, tempfile, numpy as np, socialchoice as sc
    >>> rat = sc.Ratings([[[1.0, np.nan]], [[2.0, 3.0]]], items=["p1", "p2"])
    >>> path = os.path.join(tempfile.mkdtemp(), "rat.zarr")
    >>> sc.io.to_zarr(rat, path)
    >>> back = sc.io.read_zarr(path)
    >>> back == rat, back.items
    (True, ('p1', 'p2'))
    """
    kwargs.setdefault("consolidated", False)
    import inspect

    import xarray as xr

    if "zarr_format" in inspect.signature(xr.Dataset.to_zarr).parameters:
        kwargs.setdefault("zarr_format", 2)  # older xarray writes zarr v2 and has no keyword
    if isinstance(store, (str, os.PathLike)) and os.path.isfile(os.fspath(store)):
        raise ValidationError(f"{os.fspath(store)!r} is a file; a zarr store is a directory "
                              "(pass a new path)")
    to_dataset(container).to_zarr(store, **kwargs)


def read_zarr(store: Any, *, chunks: Any = None, **kwargs: Any):
    """Read a container written by :func:`to_zarr`.

    ``chunks=None`` (default) loads the store and returns the container; any other value is
    passed to :func:`xarray.open_zarr` and the lazy, dask-backed :class:`xarray.DataArray` is
    returned without loading the data. ``kwargs`` go to :func:`xarray.open_zarr`
    (``consolidated=False`` unless given, matching :func:`to_zarr`).
    """
    import xarray as xr

    where = None
    if isinstance(store, (str, os.PathLike)):
        where = os.fspath(store)
        if not os.path.exists(where):
            raise FileNotFoundError(f"no such zarr store: {where!r}")
        if not os.path.isdir(where):
            raise ValidationError(f"{where!r} is a file; a zarr store is a directory (written by "
                                  "sc.io.to_zarr)")
    kwargs.setdefault("consolidated", False)
    try:
        if chunks is not None:
            return _main_var(xr.open_zarr(store, chunks=chunks, **kwargs))
        ds = xr.open_zarr(store, chunks=None, **kwargs)
    except (SocialChoiceError, TypeError, PermissionError):
        raise
    except Exception as exc:  # zarr's own errors (no group, bad metadata, ...)
        raise ParseError(f"not a readable zarr store: {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())}", path=where) from None
    try:
        return from_dataset(ds)
    finally:
        ds.close()
