"""xarray adapters: dims by name, dask-backed arrays chunk by chunk.

Two ways a statistic scales out (the flox idea of chunk -> combine -> finalize):

* **decomposable** statistics such as the support matrix add up over raters, so each rater
  chunk is reduced by a Numba kernel and the partial matrices are summed (:func:`support`);
* **per-item** rules run independently on each item, so ``xr.apply_ufunc(...,
  dask="parallelized")`` maps the numpy path over item chunks (:func:`apply_rule`).

Both work unchanged on a ``dask.distributed`` cluster.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._validation import is_dask_array
from .errors import ValidationError
from .profiles import Pairwise, Rankings, Ratings

__all__ = ["support", "margins", "apply_rule", "apply_core", "is_dataarray", "rankings_dataarray",
           "ratings_dataarray"]

RATER, ALT = "rater", "alternative"


def is_dataarray(x: Any) -> bool:
    """True for an ``xarray.DataArray`` (without importing xarray)."""
    return type(x).__name__ == "DataArray" and type(x).__module__.split(".")[0] == "xarray"


def apply_core(func: Callable, *arrays: Any, core_dims: list[list[str]],
               output_core_dims: list[list[str]] | None = None, output_dtypes: list | None = None,
               output_sizes: dict[str, int] | None = None, name: str | None = None,
               kwargs: dict[str, Any] | None = None):
    """Run a numpy function with core axes last over DataArrays named by dims.

    The one adapter every family uses (rules go through :func:`apply_rule`, which adds
    profile handling). ``func(*numpy_arrays, **kwargs)`` receives each input with its
    ``core_dims`` moved last and any other dims broadcast in front; it returns one array (or a
    tuple, one per ``output_core_dims`` entry). dask-backed inputs stay lazy: the function maps
    over chunks of the non-core dims (``xarray.apply_ufunc(..., dask="parallelized")``), so a core
    dim must be in one chunk. Inputs that are not DataArrays (numpy arrays, scalars) are wrapped
    with their trailing dims named as the core dims.

    Examples
    --------
    >>> import numpy as np, xarray as xr
    >>> da = xr.DataArray(np.arange(6.).reshape(2, 3), dims=("item", "alternative"))
    >>> apply_core(lambda a: a.sum(-1), da, core_dims=[["alternative"]]).values.tolist()
    [3.0, 12.0]
    """
    import xarray as xr

    if len(core_dims) != len(arrays):
        raise ValidationError(f"core_dims names {len(core_dims)} inputs but {len(arrays)} were given")
    wrapped = []
    for a, cd in zip(arrays, core_dims):
        if is_dataarray(a):
            missing = [d for d in cd if d not in a.dims]
            if missing:
                raise ValidationError(
                    f"the DataArray has no dim {missing[0]!r} (dims: {a.dims}); rename the dim or "
                    "pass the dim names as keyword arguments"
                )
            wrapped.append(a)
        else:
            arr = np.asarray(a)
            if arr.ndim < len(cd):
                raise ValidationError(
                    f"an input of shape {arr.shape} cannot carry the core dims {cd}; pass a DataArray"
                )
            lead = tuple(f"_dim{i}" for i in range(arr.ndim - len(cd)))
            wrapped.append(xr.DataArray(arr, dims=(*lead, *cd)))
    out_dims = output_core_dims if output_core_dims is not None else [[]]
    dtypes = output_dtypes if output_dtypes is not None else [np.float64] * len(out_dims)
    dask_kwargs = {"output_sizes": output_sizes} if output_sizes else {}
    out = xr.apply_ufunc(func, *wrapped, input_core_dims=core_dims, output_core_dims=out_dims,
                         kwargs=kwargs or {}, dask="parallelized", output_dtypes=dtypes,
                         dask_gufunc_kwargs=dask_kwargs or None)
    if name is not None:
        out = tuple(o.rename(name) for o in out) if isinstance(out, tuple) else out.rename(name)
    return out


def _require_dims(da, rater_dim: str, alternative_dim: str) -> None:
    for d in (rater_dim, alternative_dim):
        if d not in da.dims:
            raise ValidationError(
                f"the DataArray has no dim {d!r} (dims: {da.dims}); name the rater and "
                "alternative dims with rater_dim=/alternative_dim="
            )


def _weights_of(da, rater_dim: str):
    if "weight" in da.coords:
        return da.coords["weight"]
    return None


def rankings_dataarray(ranks: Any, *, dims: tuple[str, ...] | None = None, weights: Any = None,
                       candidates: Any = None, chunks: Any = None):
    """Wrap a (possibly dask) ranks array as a DataArray with the package's dim names."""
    import xarray as xr

    dims = dims or (*(f"item_{i}" if np.ndim(ranks) > 3 else "item" for i in range(np.ndim(ranks) - 2)),
                    RATER, ALT)
    coords = {}
    if candidates is not None:
        coords[ALT] = list(candidates)
    if weights is not None:
        coords["weight"] = (dims[-len(np.shape(weights)) - 1:-1], weights)
    da = xr.DataArray(ranks, dims=dims, coords=coords, attrs={"kind": "rankings"})
    return da.chunk(chunks) if chunks is not None else da


def ratings_dataarray(values: Any, **kwargs: Any):
    """As :func:`rankings_dataarray`, for cardinal ratings."""
    da = rankings_dataarray(values, **kwargs)
    da.attrs["kind"] = "ratings"
    return da


def _block_support(ranks: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    # ranks (..., n_chunk, m) -> support (..., m, m); trusted: levels validated per chunk
    r = Rankings(ranks, weights)
    return r.support()


def support(da, *, rater_dim: str = RATER, alternative_dim: str = ALT):
    """Weighted support matrices of a rankings DataArray, summed over ``rater_dim``.

    Eager arrays are computed directly; dask-backed arrays are reduced chunk by chunk over
    raters (each chunk through the Numba kernel) and the partial ``m x m`` matrices summed, so
    memory stays bounded by one chunk. Returns a DataArray with dims
    ``(*batch, alternative, alternative_other)``.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> da = sc.xr.rankings_dataarray(np.array([[[0, 1], [1, 0], [0, 1]]]), chunks={"rater": 2})
    >>> sc.xr.support(da).values[0].tolist()
    [[0.0, 2.0], [1.0, 0.0]]
    """
    import xarray as xr

    _require_dims(da, rater_dim, alternative_dim)
    bdims = [d for d in da.dims if d not in (rater_dim, alternative_dim)]
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    w = _weights_of(da, rater_dim)
    m = da.sizes[alternative_dim]
    other = f"{alternative_dim}_other"
    if not is_dask_array(da.data):
        wv = None if w is None else np.asarray(w.transpose(*[d for d in da.dims if d in w.dims]).values)
        s = _block_support(np.asarray(da.values), None if wv is None else np.broadcast_to(wv, da.shape[:-1]))
        out = xr.DataArray(s, dims=(*bdims, alternative_dim, other))
    else:
        import dask.array as dsa

        data = da.data.rechunk({da.ndim - 1: -1})
        if w is not None:
            wd = w.transpose(*[d for d in da.dims if d in w.dims]).data
            wd = dsa.broadcast_to(dsa.asarray(wd), data.shape[:-1]).rechunk(data.chunks[:-1])
        nb = len(bdims)

        def chunk_support(block, wblock=None):
            wb = None if wblock is None else np.asarray(wblock)[..., 0]
            s = _block_support(np.asarray(block), wb)
            return s[..., None, :, :]  # keep a length-1 rater axis to sum over

        if w is None:
            parts = dsa.map_blocks(chunk_support, data, dtype=np.float64,
                                   chunks=data.chunks[:nb] + ((1,) * len(data.chunks[nb]), (m,), (m,)),
                                   new_axis=nb + 2)
        else:
            parts = dsa.map_blocks(chunk_support, data, wd[..., None], dtype=np.float64,
                                   chunks=data.chunks[:nb] + ((1,) * len(data.chunks[nb]), (m,), (m,)),
                                   new_axis=nb + 2)
        s = parts.sum(axis=nb)
        out = xr.DataArray(s, dims=(*bdims, alternative_dim, other))
    for d in bdims:
        if d in da.coords:
            out = out.assign_coords({d: da.coords[d]})
    if alternative_dim in da.coords:
        out = out.assign_coords({alternative_dim: da.coords[alternative_dim].values,
                                 other: da.coords[alternative_dim].values})
    return out


def margins(da, **kwargs: Any):
    """``M = S - S^T`` of :func:`support`."""
    s = support(da, **kwargs)
    dims = s.dims
    return s - s.transpose(*dims[:-2], dims[-1], dims[-2]).values if not is_dask_array(s.data) else \
        s - s.data.swapaxes(-1, -2)


def _container_from_block(block: np.ndarray, wblock: np.ndarray | None, needs: str, kind: str,
                          candidates: tuple | None):
    if needs == "ratings" or kind == "ratings":
        return Ratings(block, wblock, candidates=candidates)
    return Rankings(block, wblock, candidates)


def apply_rule(func: Callable, da, *, needs: str, rule: str, rater_dim: str = RATER,
               alternative_dim: str = ALT, **kwargs: Any):
    """Run a rule on a DataArray; returns an ``xarray.Dataset`` (``winner_mask``, ``scores``...).

    Batch dims and coordinates are carried into the result. Dask-backed input is processed per
    item chunk with ``xr.apply_ufunc(..., dask="parallelized")`` (rater and alternative dims
    are rechunked to single chunks); the result is lazy and has the same variables as the eager
    one (``winner_mask`` and whichever of ``scores``, ``ranking``, ``lottery`` the rule
    returns, found by running it on the first item). Rules that need only margins also accept a support
    DataArray produced by :func:`support` (dims ``alternative``, ``alternative_other``).
    """
    import xarray as xr

    other = f"{alternative_dim}_other"
    kind = da.attrs.get("kind", "ratings" if da.dtype.kind == "f" else "rankings")
    if other in da.dims:  # a support matrix
        bdims = [d for d in da.dims if d not in (alternative_dim, other)]
        da = da.transpose(*bdims, alternative_dim, other)
        if is_dask_array(da.data):
            da = da.compute()
        cands = tuple(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
        res = func(Pairwise(np.asarray(da.values), cands), **kwargs)
        return _result_dataset(res, da, bdims, alternative_dim)
    _require_dims(da, rater_dim, alternative_dim)
    bdims = [d for d in da.dims if d not in (rater_dim, alternative_dim)]
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    cands = tuple(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
    w = _weights_of(da, rater_dim)
    if not is_dask_array(da.data):
        wv = None
        if w is not None:
            wv = np.broadcast_to(np.asarray(w.transpose(*[d for d in da.dims if d in w.dims]).values),
                                 da.shape[:-1])
        res = func(_container_from_block(np.asarray(da.values), wv, needs, kind, cands), **kwargs)
        return _result_dataset(res, da, bdims, alternative_dim)
    if not bdims:
        if needs == "margins":
            return apply_rule(func, support(da, rater_dim=rater_dim, alternative_dim=alternative_dim),
                              needs=needs, rule=rule, alternative_dim=alternative_dim, **kwargs)
        da = da.compute()
        return apply_rule(func, da, needs=needs, rule=rule, rater_dim=rater_dim,
                          alternative_dim=alternative_dim, **kwargs)
    da = da.chunk({rater_dim: -1, alternative_dim: -1})
    wfull = None
    if w is not None:
        wfull = w.broadcast_like(da.isel({alternative_dim: 0}, drop=True)).chunk({rater_dim: -1})
    # which per-alternative outputs this rule produces (scores, ranking, lottery): probe it on
    # the first item, so the dask graph carries exactly those
    first = {d: 0 for d in bdims}
    probe = func(_container_from_block(
        np.asarray(da.isel(first).values)[None],
        None if wfull is None else np.asarray(wfull.isel(first).values)[None], needs, kind, cands), **kwargs)
    fields = [name for name in _PER_ALTERNATIVE if getattr(probe, name) is not None]
    dtypes = [np.asarray(getattr(probe, name)).dtype for name in fields]

    def per_block(block, wblock=None):
        res = func(_container_from_block(block, wblock, needs, kind, cands), **kwargs)
        out = []
        for name, dt in zip(fields, dtypes):
            v = getattr(res, name)
            if v is None:  # not produced for this chunk: missing, not a value
                v = np.full(res.winner_mask.shape, np.nan if dt.kind == "f" else -1, dtype=dt)
            out.append(np.asarray(v, dtype=dt))
        return tuple(out) if len(out) > 1 else out[0]  # apply_ufunc: one output is not a tuple

    args = [da]
    core = [[rater_dim, alternative_dim]]
    if wfull is not None:
        args.append(wfull)
        core.append([rater_dim])
    outs = xr.apply_ufunc(
        per_block, *args, input_core_dims=core,
        output_core_dims=[[alternative_dim]] * len(fields),
        dask="parallelized", output_dtypes=dtypes, vectorize=False,
    )
    outs = outs if isinstance(outs, tuple) else (outs,)
    ds = xr.Dataset(dict(zip(fields, outs)), attrs={"rule": rule})
    if cands is not None:
        ds = ds.assign_coords({alternative_dim: list(cands)})
    return ds


#: per-alternative fields of a RuleResult, in Dataset order
_PER_ALTERNATIVE = ("winner_mask", "scores", "ranking", "lottery")


def _result_dataset(res, da, bdims, alternative_dim):
    ds = res.to_xarray(batch_dims=tuple(bdims) if bdims else None)
    if alternative_dim != "alternative":
        ds = ds.rename({"alternative": alternative_dim})
    for d in bdims:
        if d in da.coords:
            ds = ds.assign_coords({d: da.coords[d].values})
    return ds
