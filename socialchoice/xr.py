"""xarray adapters: dims by name, dask-backed arrays chunk by chunk.

What a DataArray holds is *declared*, never guessed from its dtype (docs/conventions.md §3):
``attrs["kind"]`` is ``"rankings"`` (rank levels, 0 = best, -1 = unranked), ``"ratings"``
(higher = better, NaN = missing) or ``"pairwise"`` (support matrices; :func:`margins` marks its
output ``"margins"``), or the caller passes ``kind=`` to :func:`support`, :func:`margins`,
:func:`apply_rule` and to any rule called with a DataArray. An undeclared DataArray is an error
(:func:`kind_of`): a float array of ranks read as ratings inverts Borda and the Condorcet
winner, and integer 1-5 ratings read as ranks do the same. ``Rankings.to_xarray()``,
``Ratings.to_xarray()``, ``Pairwise.to_xarray()``, :func:`rankings_dataarray`,
:func:`ratings_dataarray` and the chunked generators (``sc.generate.*(..., chunks=...)``) set
the attribute.

Two ways a statistic scales out (the flox idea of chunk -> combine -> finalize):

* **decomposable** statistics such as the support matrix add up over raters, so each rater
  chunk is reduced by a Numba kernel and the partial matrices are summed (:func:`support`);
* **per-item** rules run independently on each item, so ``xr.apply_ufunc(...,
  dask="parallelized")`` maps the numpy path over item chunks (:func:`apply_rule`).

Both work unchanged on a ``dask.distributed`` cluster.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from ._registry import lookup
from ._validation import is_dask_array
from .errors import ValidationError, WeightsError
from .profiles import Pairwise, Rankings, Ratings

__all__ = ["support", "margins", "apply_rule", "apply_core", "is_dataarray", "kind_of",
           "rankings_dataarray", "ratings_dataarray", "KINDS", "PAIRS", "decomposable",
           "apply_welfare", "DECOMPOSABLE_RULES", "DECOMPOSABLE_WELFARE"]

RATER, ALT = "rater", "alternative"
#: What a DataArray can hold (``attrs["kind"]`` or ``kind=``).
KINDS = ("rankings", "ratings", "pairwise", "margins")
#: How missing ratings enter pairwise comparisons (docs/conventions.md §5).
PAIRS = ("both_rated", "missing_below")


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


def kind_of(da: Any, kind: str | None = None) -> str:
    """What ``da`` holds: ``kind`` if given, else ``da.attrs["kind"]``; never the dtype.

    Parameters
    ----------
    da : xarray.DataArray
    kind : {"rankings", "ratings", "pairwise", "margins"}, optional
        The caller's declaration. It must agree with ``attrs["kind"]`` when both are present.

    Raises
    ------
    ValidationError
        Neither is given, a value is not one of :data:`KINDS`, or the two disagree.

    Examples
    --------
    >>> import numpy as np, xarray as xr, socialchoice as sc
    >>> da = xr.DataArray(np.array([[0., 1.], [1., 0.]]), dims=("rater", "alternative"))
    >>> sc.xr.kind_of(da, "rankings")
    'rankings'
    >>> sc.xr.kind_of(da)
    Traceback (most recent call last):
    ...
    socialchoice.errors.ValidationError: the DataArray does not say what it holds ...
    """
    attrs = getattr(da, "attrs", None) or {}
    declared = attrs.get("kind")
    if declared is not None and declared not in KINDS:
        raise ValidationError(
            f"the DataArray has attrs['kind']={declared!r}; it must be one of {KINDS} (set "
            "da.attrs['kind'] or pass kind=)"
        )
    if kind is not None:
        if kind not in KINDS:
            raise ValidationError(f"`kind`={kind!r}; pass one of {KINDS}")
        if declared is not None and declared != kind:
            raise ValidationError(
                f"`kind`={kind!r} contradicts the DataArray's attrs['kind']={declared!r}; fix the "
                "attribute (da.attrs['kind'] = ...) or drop the kind= argument"
            )
        return kind
    if declared is None:
        raise ValidationError(
            f"the DataArray does not say what it holds (dims {tuple(da.dims)}, dtype {da.dtype}): "
            "pass kind='rankings' (rank levels, 0 = best, -1 = unranked) or kind='ratings' "
            "(higher = better, NaN = missing), or set da.attrs['kind']; the dtype is never used "
            "to guess, since ranks read as ratings invert the result"
        )
    return declared


def _require_dims(da, rater_dim: str, alternative_dim: str) -> None:
    for arg, d in (("rater_dim", rater_dim), ("alternative_dim", alternative_dim)):
        if not isinstance(d, str):
            raise ValidationError(f"`{arg}` must be a dim name (str), got {d!r}")
        if d not in da.dims:
            raise ValidationError(
                f"the DataArray has no dim {d!r} (dims: {tuple(da.dims)}); name the rater and "
                "alternative dims with rater_dim=/alternative_dim= or rename the DataArray's dims"
            )
    if rater_dim == alternative_dim:
        raise ValidationError("`rater_dim` and `alternative_dim` must be different dims")


def _weights_of(da, rater_dim: str, bdims: list[str]):
    """The ``weight`` coordinate as a DataArray with dims ``(*bdims, rater_dim)``, or None."""
    import xarray as xr

    if "weight" not in da.coords:
        return None
    w = da.coords["weight"]
    allowed = {*bdims, rater_dim}
    if rater_dim not in w.dims or not set(w.dims) <= allowed:
        raise WeightsError(
            f"the 'weight' coordinate has dims {tuple(w.dims)}; it must run over the rater dim "
            f"{rater_dim!r} and optionally the batch dims {tuple(bdims)} (one weight per rater)"
        )
    if w.dtype.kind not in "biuf":
        raise WeightsError(f"the 'weight' coordinate has dtype {w.dtype}; weights are numbers")
    wv = xr.DataArray(w.data, dims=w.dims)
    missing = {d: da.sizes[d] for d in bdims if d not in w.dims}
    if missing:
        wv = wv.expand_dims(missing)
    return wv.transpose(*bdims, rater_dim)


def _check_data_shape(data: Any, what: str) -> tuple[int, ...]:
    shape = tuple(np.shape(data))
    if len(shape) < 2:
        raise ValidationError(
            f"`{what}` has shape {shape}; pass at least (n_raters, n_alternatives), with item "
            "axes in front"
        )
    return shape


def _labelled_dataarray(data: Any, kind: str, what: str, *, dims: Any, weights: Any,
                        candidates: Any, chunks: Any):
    import xarray as xr

    if not (is_dask_array(data) or isinstance(data, np.ndarray)):
        data = np.asarray(data)
    shape = _check_data_shape(data, what)
    nd = len(shape)
    if dims is None:
        lead = ("item",) if nd == 3 else tuple(f"item_{i}" for i in range(nd - 2))
        dims = (*lead, RATER, ALT)
    else:
        if isinstance(dims, str) or not all(isinstance(d, str) for d in dims):
            raise ValidationError(f"`dims` must be a sequence of dim names (str), got {dims!r}")
        dims = tuple(dims)
        if len(dims) != nd:
            raise ValidationError(
                f"`dims` names {len(dims)} dims but `{what}` has {nd} (shape {shape}); pass one "
                f"name per axis, ending with the rater and alternative dims, e.g. "
                f"{(*(['item'] * (nd > 2)), RATER, ALT)!r}"[: 400]
            )
        if len(set(dims)) != nd:
            raise ValidationError(f"`dims` {dims!r} repeats a name; dim names must be distinct")
    coords: dict[str, Any] = {}
    if candidates is not None:
        cands = list(candidates)
        if len(cands) != shape[-1]:
            raise ValidationError(
                f"`candidates` has {len(cands)} labels but `{what}` has {shape[-1]} alternatives "
                "(last axis); pass one label per alternative"
            )
        coords[dims[-1]] = cands
    if weights is not None:
        wshape = tuple(np.shape(weights))
        lead = shape[:-1]
        if len(wshape) == 0 or len(wshape) > len(lead) or wshape != lead[len(lead) - len(wshape):]:
            raise WeightsError(
                f"`weights` has shape {wshape}; pass one weight per rater, shape {lead[-1:]} or "
                f"{lead} (the shape of `{what}` without its alternative axis)"
            )
        if not is_dask_array(weights):
            wa = np.asarray(weights)
            if wa.dtype.kind not in "biuf":
                raise WeightsError(f"`weights` must be numeric, got dtype {wa.dtype}")
            if not np.isfinite(wa).all() or (wa < 0).any():
                raise WeightsError("`weights` must be finite and >= 0")
            weights = wa
        coords["weight"] = (dims[-len(wshape) - 1:-1], weights)
    da = xr.DataArray(data, dims=dims, coords=coords, attrs={"kind": kind})
    if chunks is None:
        return da
    if isinstance(chunks, dict):
        unknown = [d for d in chunks if d not in dims]
        if unknown:
            raise ValidationError(
                f"`chunks` names the dim {unknown[0]!r}, which is not one of the dims {dims}"
            )
    try:
        return da.chunk(chunks)
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(
            f"`chunks`={chunks!r} is not a valid chunking for dims {dims} ({exc}); pass e.g. "
            f"{{{dims[0]!r}: 1000}}"
        ) from None


def rankings_dataarray(ranks: Any, *, dims: tuple[str, ...] | None = None, weights: Any = None,
                       candidates: Any = None, chunks: Any = None):
    """Wrap a (possibly dask) ranks array as a DataArray declared ``attrs["kind"] = "rankings"``.

    Parameters
    ----------
    ranks : array_like or dask array, shape (..., n_raters, n_alternatives)
        Rank levels (0 = best, equal = tie, -1 = unranked).
    dims : sequence of str, optional
        One name per axis; default ``("item", "rater", "alternative")`` for 3-D input
        (``item_0, item_1, ...`` for more batch axes).
    weights : array_like, shape (n_raters,) or (..., n_raters), optional
        Rater weights (the ``weight`` coordinate).
    candidates : sequence, optional
        Alternative labels.
    chunks : optional
        Passed to :meth:`xarray.DataArray.chunk` (e.g. ``{"item": 1000}``).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> da = sc.xr.rankings_dataarray(np.array([[0, 1], [1, 0]]), candidates=["a", "b"])
    >>> da.dims, da.attrs["kind"]
    (('rater', 'alternative'), 'rankings')
    """
    return _labelled_dataarray(ranks, "rankings", "ranks", dims=dims, weights=weights,
                               candidates=candidates, chunks=chunks)


def ratings_dataarray(values: Any, *, dims: tuple[str, ...] | None = None, weights: Any = None,
                      candidates: Any = None, chunks: Any = None):
    """As :func:`rankings_dataarray`, for cardinal ratings (``attrs["kind"] = "ratings"``).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> sc.xr.ratings_dataarray(np.array([[4.0, np.nan]])).attrs["kind"]
    'ratings'
    """
    return _labelled_dataarray(values, "ratings", "values", dims=dims, weights=weights,
                               candidates=candidates, chunks=chunks)


def _check_pairs(pairs: str | None, kind: str) -> str | None:
    if pairs is None:
        return None
    if pairs not in PAIRS:
        raise ValidationError(f"`pairs`={pairs!r}; pass one of {PAIRS}")
    if kind == "rankings" and pairs != "missing_below":
        raise ValidationError(
            "`pairs` chooses how missing *ratings* enter pairwise comparisons; rankings always "
            "count an unranked candidate below every ranked one (pairs='missing_below' or omit "
            "it)"
        )
    return pairs


def _ratings_support(r: Ratings, pairs: str | None) -> np.ndarray:
    return r.support() if pairs is None else r.support(pairs=pairs)


def default_pairs() -> str:
    """The convention :meth:`Ratings.support` uses when ``pairs`` is not given."""
    return "both_rated"


def _block_support(block: np.ndarray, weights: np.ndarray | None, kind: str = "rankings",
                   pairs: str | None = None) -> np.ndarray:
    # one rater chunk (..., n_chunk, m) -> support (..., m, m); a chunk whose raters all have
    # weight 0 (or, for ratings, rated nothing) contributes nothing
    m = block.shape[-1]
    zero = None
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        zero = weights.sum(axis=-1) == 0
        if zero.any():
            weights = np.where(zero[..., None], 1.0, weights)
        else:
            zero = None
    if kind == "ratings":
        if np.isnan(block).all():
            return np.zeros(block.shape[:-2] + (m, m))
        s = _ratings_support(Ratings(block, weights), pairs)
    else:
        s = Rankings(block, weights).support()
    if zero is not None:
        s = np.where(zero[..., None, None], 0.0, s)
    return s


def support(da, *, kind: str | None = None, pairs: str | None = None, rater_dim: str = RATER,
            alternative_dim: str = ALT):
    """Weighted support matrices of a rankings or ratings DataArray, summed over ``rater_dim``.

    Eager arrays are computed directly; dask-backed arrays are reduced chunk by chunk over
    raters (each chunk through the Numba kernel) and the partial ``m x m`` matrices summed, so
    memory stays bounded by one chunk. Returns a DataArray with dims
    ``(*batch, alternative, alternative_other)`` and ``attrs["kind"] = "pairwise"``.

    Parameters
    ----------
    da : xarray.DataArray
        Rankings or ratings with a rater and an alternative dim; weights in a ``weight``
        coordinate.
    kind : {"rankings", "ratings"}, optional
        What ``da`` holds, when ``da.attrs["kind"]`` does not say (see :func:`kind_of`).
    pairs : {"both_rated", "missing_below"}, optional
        Ratings only: count "x beats y" over the raters who rated both (``"both_rated"``, the
        default of :meth:`Ratings.support`) or treat a missing rating as below every given one
        (``"missing_below"``). Recorded in ``attrs["pairs"]``.
    rater_dim, alternative_dim : str
        Dim names.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> da = sc.xr.rankings_dataarray(np.array([[[0, 1], [1, 0], [0, 1]]]), chunks={"rater": 2})
    >>> sc.xr.support(da).values[0].tolist()
    [[0.0, 2.0], [1.0, 0.0]]
    """
    import xarray as xr

    k = kind_of(da, kind)
    if k not in ("rankings", "ratings"):
        raise ValidationError(
            f"support() needs rankings or ratings, but the DataArray holds {k}; it already is "
            "pairwise data"
        )
    pairs = _check_pairs(pairs, k)
    _require_dims(da, rater_dim, alternative_dim)
    bdims = [d for d in da.dims if d not in (rater_dim, alternative_dim)]
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    w = _weights_of(da, rater_dim, bdims)
    m = da.sizes[alternative_dim]
    other = f"{alternative_dim}_other"
    if other in da.dims:
        raise ValidationError(f"the DataArray already has a dim {other!r}; rename it first")
    if not is_dask_array(da.data) and (w is None or not is_dask_array(w.data)):
        wv = None if w is None else np.asarray(w.values)
        s = _block_support(np.asarray(da.values), wv, k, pairs)
        out = xr.DataArray(s, dims=(*bdims, alternative_dim, other))
    else:
        import dask.array as dsa

        data = dsa.asarray(da.data).rechunk({da.ndim - 1: -1})
        nb = len(bdims)
        out_chunks = data.chunks[:nb] + ((1,) * len(data.chunks[nb]), (m,), (m,))

        def chunk_support(block, wblock=None):
            wb = None if wblock is None else np.asarray(wblock)[..., 0]
            s = _block_support(np.asarray(block), wb, k, pairs)
            return s[..., None, :, :]  # keep a length-1 rater axis to sum over

        if w is None:
            parts = dsa.map_blocks(chunk_support, data, dtype=np.float64, chunks=out_chunks,
                                   new_axis=nb + 2)
        else:
            wd = dsa.asarray(w.data).rechunk(data.chunks[:-1])
            parts = dsa.map_blocks(chunk_support, data, wd[..., None], dtype=np.float64,
                                   chunks=out_chunks, new_axis=nb + 2)
        out = xr.DataArray(parts.sum(axis=nb), dims=(*bdims, alternative_dim, other))
    for d in bdims:
        if d in da.coords:
            out = out.assign_coords({d: da.coords[d].values})
    if alternative_dim in da.coords:
        out = out.assign_coords({alternative_dim: da.coords[alternative_dim].values,
                                 other: da.coords[alternative_dim].values})
    out.attrs["kind"] = "pairwise"
    if k == "ratings":
        out.attrs["pairs"] = pairs or default_pairs()
    return out


def margins(da, **kwargs: Any):
    """``M = S - S^T`` of :func:`support` (same arguments); ``attrs["kind"] = "margins"``.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> da = sc.xr.ratings_dataarray(np.array([[5.0, 3.0, 1.0], [1.0, 2.0, 4.0]]))
    >>> m = sc.xr.margins(da)
    >>> m.values.tolist(), m.attrs["kind"]
    ([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], 'margins')
    """
    s = support(da, **kwargs)
    data = s.data
    swapped = data.swapaxes(-1, -2)
    out = s.copy(data=data - swapped)
    out.attrs["kind"] = "margins"
    return out


def _container_from_block(block: np.ndarray, wblock: np.ndarray | None, kind: str,
                          candidates: tuple | None):
    if kind == "ratings":
        return Ratings(block, wblock, candidates=candidates)
    return Rankings(block, wblock, candidates)


def apply_rule(func: Callable | str, da, *, needs: str | None = None, rule: str | None = None,
               kind: str | None = None, rater_dim: str = RATER, alternative_dim: str = ALT,
               **kwargs: Any):
    """Run a rule on a DataArray; returns an ``xarray.Dataset`` (``winner_mask``, ``scores``...).

    ``func`` is a registry name of :mod:`socialchoice.rules` (``apply_rule("borda", da)``) or,
    as before, the rule function with ``needs=`` and ``rule=``.

    **Out of core.** When ``da`` is dask-backed with more than one chunk along ``rater_dim``
    and the rule is decomposable (:func:`decomposable`: margin rules via the support matrix,
    positional scores, utilitarian, approval, and majority judgment / quantile via rating
    histograms), each rater chunk is reduced to the rule's sufficient statistic, the partial
    statistics are summed (chunk -> combine -> finalize, as :func:`support`), and the rule is
    finalised on an equivalent small profile: memory is bounded by one chunk and the result
    (``attrs["reduction"] = "rater_chunks"``) equals the numpy path. Other rules (and
    options that break decomposition, e.g. ``nan_policy="propagate"``) rechunk the rater dim
    into one chunk per item block (``attrs["reduction"] = "rechunked"``).

    What ``da`` holds comes from ``kind=`` or ``da.attrs["kind"]`` (:func:`kind_of`), never from
    its dtype: ``"rankings"`` and ``"ratings"`` with dims ``(*batch, rater, alternative)``;
    ``"pairwise"`` (support matrices, e.g. from :func:`support`) or ``"margins"`` (from
    :func:`margins`) with dims ``(*batch, alternative, alternative_other)``, for rules that need
    only margins. Rules called with a DataArray come here and accept ``kind=`` too.

    Batch dims and coordinates are carried into the result. Dask-backed input is processed per
    item chunk with ``xr.apply_ufunc(..., dask="parallelized")`` (rater and alternative dims
    are rechunked to single chunks); the result is lazy and has the same variables as the eager
    one (``winner_mask`` and whichever of ``scores``, ``ranking``, ``lottery`` the rule
    returns, found by running it on the first item).

    Examples
    --------
    >>> import numpy as np, xarray as xr, socialchoice as sc
    >>> ranks = xr.DataArray(np.array([[0., 1., 2.], [0., 2., 1.], [2., 0., 1.]]),
    ...                      dims=("rater", "alternative"))
    >>> sc.rules.borda(ranks, kind="rankings")["winner_mask"].values.tolist()
    [True, False, False]
    """
    if not is_dataarray(da):
        raise ValidationError(f"expected an xarray.DataArray, got {type(da).__name__}")
    func, needs, rule = _resolve_rule(func, needs, rule)
    k = kind_of(da, kind)
    other = f"{alternative_dim}_other"
    if k in ("pairwise", "margins"):
        if needs != "margins":
            raise ValidationError(
                f"rule {rule!r} needs {needs}, but the DataArray holds {k} matrices; pass the "
                "rankings or ratings themselves"
            )
        if alternative_dim not in da.dims or other not in da.dims:
            raise ValidationError(
                f"a {k} DataArray needs dims {alternative_dim!r} and {other!r}; its dims are "
                f"{tuple(da.dims)}"
            )
        bdims = [d for d in da.dims if d not in (alternative_dim, other)]
        da = da.transpose(*bdims, alternative_dim, other)
        if is_dask_array(da.data):
            da = da.compute()
        cands = tuple(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
        vals = np.asarray(da.values)
        pw = Pairwise(vals, cands) if k == "pairwise" else Pairwise.from_margins(vals, cands)
        return _result_dataset(func(pw, **kwargs), da, bdims, alternative_dim)
    if k == "rankings" and needs == "ratings":
        raise ValidationError(
            f"rule {rule!r} needs ratings, but the DataArray holds rankings (rank levels); pass "
            "ratings (kind='ratings') or use a ranking rule"
        )
    if other in da.dims:
        raise ValidationError(
            f"the DataArray has a dim {other!r} but declares kind={k!r}; support matrices are "
            "kind='pairwise'"
        )
    _require_dims(da, rater_dim, alternative_dim)
    bdims = [d for d in da.dims if d not in (rater_dim, alternative_dim)]
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    cands = tuple(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
    w = _weights_of(da, rater_dim, bdims)
    if not is_dask_array(da.data) and (w is None or not is_dask_array(w.data)):
        wv = None if w is None else np.asarray(w.values)
        res = func(_container_from_block(np.asarray(da.values), wv, k, cands), **kwargs)
        return _result_dataset(res, da, bdims, alternative_dim)
    how = _decomposition(rule, needs, k, kwargs)
    if how is not None and len(da.chunks[da.get_axis_num(rater_dim)]) > 1:
        ds = _apply_rule_rater_chunks(func, da, w, bdims, k, cands, rule, how, rater_dim,
                                      alternative_dim, kwargs)
        ds.attrs["reduction"] = "rater_chunks"
        return ds
    if not bdims:
        if needs == "margins" and k == "rankings":
            return apply_rule(func, support(da, rater_dim=rater_dim, alternative_dim=alternative_dim),
                              needs=needs, rule=rule, alternative_dim=alternative_dim, **kwargs)
        return apply_rule(func, da.compute(), needs=needs, rule=rule, kind=k, rater_dim=rater_dim,
                          alternative_dim=alternative_dim, **kwargs)
    ds = _apply_rule_dask(func, da, w, bdims, k, cands, rule, rater_dim, alternative_dim, kwargs)
    ds.attrs["reduction"] = "rechunked"
    return ds


def _apply_rule_dask(func, da, w, bdims, k, cands, rule, rater_dim, alternative_dim, kwargs):
    import xarray as xr

    da = da.chunk({rater_dim: -1, alternative_dim: -1})
    wfull = None
    if w is not None:
        wfull = w.chunk({d: da.chunksizes[d] for d in bdims} | {rater_dim: -1})
    # which per-alternative outputs this rule produces (scores, ranking, lottery): probe it on
    # the first item, so the dask graph carries exactly those
    first = {d: 0 for d in bdims}
    probe = func(_container_from_block(
        np.asarray(da.isel(first).values)[None],
        None if wfull is None else np.asarray(wfull.isel(first).values)[None], k, cands), **kwargs)
    fields = [name for name in _PER_ALTERNATIVE if getattr(probe, name) is not None]
    dtypes = [np.asarray(getattr(probe, name)).dtype for name in fields]

    def per_block(block, wblock=None):
        res = func(_container_from_block(block, wblock, k, cands), **kwargs)
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
    for d in bdims:
        if d in da.coords:
            ds = ds.assign_coords({d: da.coords[d].values})
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


# ------------------------------------------------------------------ out of core: rater chunks
#: rules reduced per rater chunk, by the statistic they add up
DECOMPOSABLE_RULES = {
    "scores": ("plurality", "borda", "anti_plurality", "k_approval", "scoring"),
    "sums": ("utilitarian",),
    "approval": ("approval",),
    "histogram": ("majority_judgment", "quantile"),
}
#: welfare functions reduced per agent chunk
DECOMPOSABLE_WELFARE = ("utilitarian", "nash", "egalitarian")
#: most distinct rating values a histogram reduction carries
HISTOGRAM_MAX_LEVELS = 4096


def decomposable(rule: str) -> str | None:
    """How the rule ``rule`` reduces per rater chunk: ``"margins"`` (support matrices),
    ``"scores"``, ``"sums"``, ``"approval"``, ``"histogram"``, or None (not decomposable; dask
    input is rechunked to one rater chunk).

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.xr.decomposable("schulze"), sc.xr.decomposable("borda"), sc.xr.decomposable("instant_runoff")
    ('margins', 'scores', None)
    """
    e = lookup("rules", rule)
    if e.meta.get("needs") == "margins":
        return "margins"
    for how, members in DECOMPOSABLE_RULES.items():
        if e.name in members:
            return how
    return None


def _resolve_rule(func: Any, needs: str | None, rule: str | None) -> tuple[Callable, str, str]:
    if isinstance(func, str):
        e = lookup("rules", func)
        if needs is not None and needs != e.meta["needs"]:
            raise ValidationError(f"rule {e.name!r} needs {e.meta['needs']}, not {needs}; drop needs=")
        return e.func, e.meta["needs"], e.name
    if not callable(func):
        raise ValidationError(f"`rule` must be a registry name of sc.rules or a rule function, got {func!r}")
    if needs is None or rule is None:
        name = rule or getattr(func, "rule_name", None) or getattr(func, "__name__", None)
        try:
            e = lookup("rules", name)
        except Exception:
            raise ValidationError(
                "apply_rule needs a registry name (apply_rule('borda', da)) or the rule function "
                "with needs= and rule=") from None
        return func, needs or e.meta["needs"], rule or e.name
    return func, needs, rule


def _decomposition(rule: str, needs: str, kind: str, kwargs: dict) -> str | None:
    try:
        how = decomposable(rule)
    except Exception:
        return None
    if how in ("sums", "approval", "histogram"):
        if kind != "ratings" or kwargs.get("nan_policy", "omit") != "omit" \
                or kwargs.get("min_raters", 1) != 1 or kwargs.get("scale") is not None:
            return None
    if how == "approval" and "threshold" not in kwargs:
        return None
    return how


def _safe_weights(block: np.ndarray, wblock: np.ndarray | None):
    """Weights of a rater chunk with all-zero items set to 1 (their statistic is zeroed)."""
    if wblock is None:
        return None, None
    w = np.asarray(wblock, dtype=np.float64)
    zero = w.sum(axis=-1) == 0
    if zero.any():
        return np.where(zero[..., None], 1.0, w), zero
    return w, None


def _rated_weight(block: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    ok = ~np.isnan(block)
    if w is None:
        return ok.sum(axis=-2).astype(np.float64)
    return (ok * w[..., None]).sum(axis=-2)


def _chunk_stat(how: str, func: Callable, block: np.ndarray, wblock: Any, kind: str,
                cands: tuple | None, kwargs: dict, grid: np.ndarray | None) -> np.ndarray:
    m = block.shape[-1]
    lead = block.shape[:-2]
    w, zero = _safe_weights(block, wblock)
    if kind == "ratings" and np.isnan(block).all():
        size = {"scores": 1, "sums": 2, "approval": 2}.get(how, 0) or grid.size
        return np.zeros(lead + (size, m))
    if how == "histogram":
        codes = np.searchsorted(grid, np.where(np.isnan(block), grid[0], block))
        ok = ~np.isnan(block)
        ww = np.ones(block.shape[:-1]) if w is None else w
        ww = np.broadcast_to(ww[..., None], block.shape) * ok
        B = int(np.prod(lead)) if lead else 1
        flat = (np.arange(B).reshape(lead + (1, 1)) * grid.size + codes) * m + np.arange(m)
        out = np.bincount(flat.ravel(), weights=ww.ravel(), minlength=B * grid.size * m)
        out = out.reshape(lead + (grid.size, m))
    else:
        opts = dict(kwargs)
        if how == "sums":
            opts["reduce"] = "sum"
        elif how == "approval":
            opts["share"] = False
        res = func(_container_from_block(block, w, kind, cands), **opts)
        sc_ = np.nan_to_num(np.asarray(res.scores, dtype=np.float64))
        if how == "scores":
            out = sc_[..., None, :]
        else:
            out = np.stack([sc_, _rated_weight(block, w)], axis=-2)
    if zero is not None:
        out = np.where(zero[..., None, None], 0.0, out)
    return out


def _finalize(how: str, func: Callable, total: np.ndarray, kind: str, cands: tuple | None,
              kwargs: dict, grid: np.ndarray | None):
    import dataclasses

    m = total.shape[-1]
    eye = np.eye(m, dtype=bool)
    if how == "scores":
        s = total[..., 0, :]
        synth = np.where(eye, s[..., None, :], np.nan)
        opts = {k: v for k, v in kwargs.items() if k in ("active", "resolve")}
        res = lookup("rules", "utilitarian").func(Ratings(synth, candidates=cands), **opts)
        scores = np.where(np.isnan(np.asarray(res.scores, dtype=np.float64)), np.nan, s)
        return dataclasses.replace(res, scores=scores, rule=func.__name__)
    if how == "sums":
        S, W = total[..., 0, :], total[..., 1, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = S / W
        synth = np.where(eye & (W[..., None, :] > 0), mean[..., None, :], np.nan)
        opts = {**kwargs, "normalize": "none"}
        return func(Ratings(synth, W, candidates=cands), **opts)
    if how == "approval":
        A, W = total[..., 0, :], total[..., 1, :]
        t = float(kwargs["threshold"])
        hi, lo = t + abs(t) + 1.0, t - abs(t) - 1.0
        vals = np.concatenate([np.where(eye, hi, np.nan), np.where(eye, lo, np.nan)], axis=-2)
        vals = np.broadcast_to(vals, total.shape[:-2] + (2 * m, m)).copy()
        wts = np.concatenate([A, W - A], axis=-1)
        wts = np.where(wts > 0, wts, 0.0)
        vals = np.where(wts[..., None] > 0, vals, np.nan)
        return func(Ratings(vals, wts, candidates=cands), **kwargs)
    # histogram: one synthetic rater per (level, alternative) with the level's weight
    K = grid.size
    vals = np.where(eye[None, :, :], grid[:, None, None], np.nan).reshape(K * m, m)
    vals = np.broadcast_to(vals, total.shape[:-2] + (K * m, m))
    wts = total.reshape(total.shape[:-2] + (K * m,))
    vals = np.where(wts[..., None] > 0, vals, np.nan)
    try:
        return func(Ratings(vals, wts, candidates=cands), **kwargs)
    except ValidationError as exc:
        if "integer counts" not in str(exc):
            raise
        raise ValidationError(
            "the rater-chunk reduction of majority judgment hands the rule the rating histogram "
            "as rater weights (counts), which tie_break='majority_value' accepts only when the "
            "counts reduce to small integers; pass tie_break='gauge', or rechunk the rater dim "
            f"into one chunk (rule said: {exc})") from None


def _grid_of(data) -> np.ndarray | None:
    import dask

    parts = dask.compute(*[dask.delayed(lambda b: np.unique(b[~np.isnan(b)]))(b)
                           for b in data.to_delayed().ravel()])
    grid = np.unique(np.concatenate(parts)) if parts else np.zeros(0)
    if grid.size == 0:
        grid = np.zeros(1)
    return grid if grid.size <= HISTOGRAM_MAX_LEVELS else None


def _apply_rule_rater_chunks(func, da, w, bdims, k, cands, rule, how, rater_dim, alternative_dim,
                             kwargs):
    import dask.array as dsa

    if how == "margins":
        opts = dict(kwargs)
        # the rules' own default for ratings is "both_rated" (docs/conventions.md §5)
        pairs = (opts.pop("pairs", None) or "both_rated") if k == "ratings" else None
        s = support(da, kind=k, pairs=pairs, rater_dim=rater_dim, alternative_dim=alternative_dim)
        return apply_rule(func, s, needs="margins", rule=rule, alternative_dim=alternative_dim, **opts)
    data = dsa.asarray(da.data).rechunk({da.ndim - 1: -1})
    grid = None
    if how == "histogram":
        grid = _grid_of(data)
        if grid is None:  # too many distinct values: not decomposable in bounded memory
            ds = _apply_rule_dask(func, da, w, bdims, k, cands, rule, rater_dim, alternative_dim, kwargs)
            ds.attrs["reduction"] = "rechunked"
            return ds
    nb = len(bdims)
    m = da.sizes[alternative_dim]
    S = {"scores": 1, "sums": 2, "approval": 2}.get(how) or grid.size
    out_chunks = data.chunks[:nb] + ((1,) * len(data.chunks[nb]), (S,), (m,))

    def chunk_stat(block, wblock=None):
        wb = None if wblock is None else np.asarray(wblock)[..., 0]
        return _chunk_stat(how, func, np.asarray(block), wb, k, cands, kwargs, grid)[..., None, :, :]

    if w is None:
        parts = dsa.map_blocks(chunk_stat, data, dtype=np.float64, chunks=out_chunks, new_axis=nb + 2)
    else:
        wd = dsa.asarray(w.data).rechunk(data.chunks[:-1])
        parts = dsa.map_blocks(chunk_stat, data, wd[..., None], dtype=np.float64, chunks=out_chunks,
                               new_axis=nb + 2)
    total = np.asarray(parts.sum(axis=nb).compute())
    res = _finalize(how, func, total, k, cands, kwargs, grid)
    ds = _result_dataset(res, da, bdims, alternative_dim)
    ds.attrs["rule"] = rule
    return ds


def apply_welfare(name: str, da, *, agent_dim: str = RATER, alternative_dim: str = ALT,
                  weights: Any = None, nan_policy: str = "propagate", **kwargs: Any):
    """A welfare function of :mod:`socialchoice.welfare` on a DataArray, reduced per agent chunk.

    ``utilitarian`` (weighted sums), ``nash`` (weighted sums of ``log(u - d)``) and
    ``egalitarian`` (minima) reduce each dask chunk of ``agent_dim`` and combine the partial
    statistics (memory bounded by one chunk); other functions, other options and eager arrays
    call the welfare function itself (which rechunks the agent dim). Weights come from
    ``weights=`` (one per agent) or the ``weight`` coordinate. Returns a DataArray of welfare
    values over the remaining dims (``attrs["reduction"]`` says which path ran).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> da = sc.xr.ratings_dataarray(np.array([[1.0, 4.0], [3.0, 2.0]]), chunks={"rater": 1})
    >>> sc.xr.apply_welfare("egalitarian", da).values.tolist()
    [1.0, 2.0]
    """
    import xarray as xr

    e = lookup("welfare", name)
    _require_dims(da, agent_dim, alternative_dim)
    bdims = [d for d in da.dims if d not in (agent_dim, alternative_dim)]
    da = da.transpose(*bdims, agent_dim, alternative_dim)
    w = _weights_of(da, agent_dim, bdims) if weights is None else None
    ok_opts = set(kwargs) <= ({"disagreement"} if e.name == "nash" else set())
    if nan_policy not in ("propagate", "omit"):
        raise ValidationError(f"`nan_policy`={nan_policy!r}; pass 'propagate' or 'omit'")
    dask_in = is_dask_array(da.data) and len(da.chunks[da.get_axis_num(agent_dim)]) > 1
    if e.name not in DECOMPOSABLE_WELFARE or not ok_opts or not dask_in:
        wv = weights if weights is not None else (None if w is None else np.asarray(w.values))
        res = e.func(np.asarray(da.values), weights=wv, nan_policy=nan_policy, **kwargs)
        out = xr.DataArray(res.values, dims=(*bdims, alternative_dim))
        out.attrs["reduction"] = "eager" if not dask_in else "rechunked"
        return out
    import dask.array as dsa

    data = dsa.asarray(da.data).rechunk({da.ndim - 1: -1})
    nb = len(bdims)
    m = da.sizes[alternative_dim]
    if weights is not None:
        wd = dsa.from_array(np.broadcast_to(np.asarray(weights, dtype=np.float64),
                                            data.shape[:-1]), chunks=data.chunks[:-1])
    elif w is not None:
        wd = dsa.asarray(w.data).rechunk(data.chunks[:-1])
    else:
        wd = dsa.ones(data.shape[:-1], chunks=data.chunks[:-1])
    d = float(kwargs.get("disagreement", 0.0))
    fn = e.name

    def chunk_stat(block, wblock):
        x = np.asarray(block, dtype=np.float64)
        wb = np.asarray(wblock, dtype=np.float64)[..., 0]
        wx = np.broadcast_to(wb[..., None], x.shape)
        if fn == "egalitarian":
            use = np.where(wx > 0, x, np.inf)
            red = np.nanmin(np.where(np.isnan(use), np.inf, use), axis=-2) if nan_policy == "omit" \
                else np.min(use, axis=-2)
            out = np.stack([red, np.zeros_like(red)], axis=-2)
        else:
            v = x if fn == "utilitarian" else np.log(x - d)
            if nan_policy == "omit":
                ok = ~np.isnan(v)
                s = np.where(ok, wx * np.where(ok, v, 0.0), 0.0).sum(axis=-2)
                ww = (wx * ok).sum(axis=-2)
            else:
                s = (np.where(wx > 0, wx * v, 0.0)).sum(axis=-2)
                ww = np.broadcast_to(wb.sum(axis=-1)[..., None], s.shape)
            out = np.stack([s, ww], axis=-2)
        return out[..., None, :, :]

    out_chunks = data.chunks[:nb] + ((1,) * len(data.chunks[nb]), (2,), (m,))
    parts = dsa.map_blocks(chunk_stat, data, wd[..., None], dtype=np.float64, chunks=out_chunks,
                           new_axis=nb + 2)
    if fn == "egalitarian":
        val = np.asarray(parts.min(axis=nb)[..., 0, :].compute())
        val = np.where(np.isinf(val), np.nan, val)
    else:
        tot = np.asarray(parts.sum(axis=nb).compute())
        with np.errstate(invalid="ignore", divide="ignore"):
            val = tot[..., 0, :] / tot[..., 1, :]
    out = xr.DataArray(val, dims=(*bdims, alternative_dim))
    for dd in bdims:
        if dd in da.coords:
            out = out.assign_coords({dd: da.coords[dd].values})
    out.attrs["reduction"] = "agent_chunks"
    return out
