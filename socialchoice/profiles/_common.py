"""Shared pieces of the containers: dtypes, the voter-profile base class, argument checks."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._config import SERIAL_MAX_ELEMENTS
from .._kernels import pairwise as _kp
from .._validation import check_labels, readonly
from ..errors import ValidationError, WeightsError


def rank_dtype(m: int) -> np.dtype:
    """Narrowest signed dtype holding levels ``-1..m-1``."""
    if m <= np.iinfo(np.int8).max:
        return np.dtype(np.int8)
    if m <= np.iinfo(np.int16).max:
        return np.dtype(np.int16)
    return np.dtype(np.int32)


def _flat(a: np.ndarray, core: int) -> np.ndarray:
    return a.reshape((-1,) + a.shape[a.ndim - core:])


def check_support_finite(s: np.ndarray) -> np.ndarray:
    """Raise instead of returning a support matrix that overflowed to ``inf``."""
    if not np.isfinite(s).all():
        raise WeightsError(
            "the weighted support overflows float64 (weights near the largest float); divide "
            "the weights by a common factor — every rule is invariant to the unit of the weights"
        )
    return s


def margins_of(support: np.ndarray) -> np.ndarray:
    """``S - S^T`` over the last two axes, as a new float64 array."""
    s = np.asarray(support, dtype=np.float64)
    if s.ndim == 2 or s.size <= SERIAL_MAX_ELEMENTS:
        return s - np.swapaxes(s, -1, -2)
    flat = np.ascontiguousarray(_flat(s, 2))
    out = np.empty_like(flat)
    _kp.margins_from_support(flat, out)
    return out.reshape(s.shape)


def _default_batch_dims(k: int) -> tuple[str, ...]:
    return ("item",) if k == 1 else tuple(f"item_{i}" for i in range(k))


class _Profile:
    """Shared behaviour of the voter-based containers."""

    _array_name = "ranks"
    _data: np.ndarray
    _voter_attributes: dict[str, np.ndarray]
    _weights: np.ndarray | None
    _candidates: tuple
    _batch_dims: tuple[str, ...] | None
    _items: tuple | None = None
    _metadata: dict | None = None

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading item axes (``()`` for one election)."""
        return self._data.shape[:-2]

    @property
    def items(self) -> tuple | None:
        """Labels of the single batch axis (e.g. prompt ids), or ``None`` when not given."""
        return self._items

    @property
    def metadata(self) -> dict:
        """Provenance such as a PrefLib header (a deep copy; ``{}`` when none was given)."""
        return copy.deepcopy(self._metadata) if self._metadata else {}

    @property
    def n_ballots(self) -> int:
        """Number of ballot (rater) rows, per item. Not the number of voters when rows carry
        weights (a PrefLib row counts many voters: see :attr:`total_weight`)."""
        return self._data.shape[-2]

    @property
    def n_voters(self) -> int:
        """Deprecated: the number of ballot rows; use :attr:`n_ballots` (rows) or
        :attr:`total_weight` (voters, when weights are ballot counts)."""
        warnings.warn(
            "`n_voters` counts ballot rows, not voters: use `n_ballots` for rows or "
            "`total_weight` for the number of voters when weights are ballot counts",
            DeprecationWarning, stacklevel=2)
        return self._data.shape[-2]

    @property
    def n_candidates(self) -> int:
        return self._data.shape[-1]

    @property
    def candidates(self) -> tuple:
        """Candidate labels, in column order."""
        return self._candidates

    @property
    def weights(self) -> np.ndarray | None:
        """Read-only voter weights of shape ``(..., n)``, or ``None`` for unit weights."""
        return self._weights

    def weights_or_ones(self) -> np.ndarray:
        """Weights broadcast to ``(..., n)``, ones when unweighted."""
        if self._weights is None:
            return np.ones(self._data.shape[:-1])
        return self._weights

    def _labelled(self, name: str, kind: str, coords: dict[str, Any]):
        # the DataArray of to_xarray: dims (*batch, "rater", "alternative"), weights and
        # voter attributes as coordinates
        import xarray as xr

        bdims = self._batch_dims or _default_batch_dims(len(self.batch_shape))
        dims = (*bdims, "rater", "alternative")
        coords = {**coords, "alternative": list(self._candidates)}
        if self._weights is not None:
            coords["weight"] = ((*bdims, "rater"), np.array(self._weights))
        for k, v in self._voter_attributes.items():
            coords[k] = ("rater", v)
        if self._items is not None:
            coords[bdims[0]] = list(self._items)
        return xr.DataArray(np.array(self._data), dims=dims, coords=coords, name=name,
                            attrs={"kind": kind})

    @property
    def total_weight(self) -> np.ndarray | float:
        """``W`` per item."""
        w = self.weights_or_ones().sum(axis=-1)
        return float(w) if w.ndim == 0 else w

    def __len__(self) -> int:
        return self.n_ballots


def _labels_are_indices(candidates: tuple) -> bool:
    return all(isinstance(c, (int, np.integer)) and c == i for i, c in enumerate(candidates))


def _check_attributes(attrs: Mapping[str, Any] | None, n: int) -> dict[str, np.ndarray]:
    if not attrs:
        return {}
    out = {}
    for k, v in attrs.items():
        a = np.asarray(v)
        if a.shape != (n,):
            raise ValidationError(
                f"attribute {k!r} has shape {a.shape}; pass one value per voter, shape ({n},)"
            )
        out[k] = readonly(a.copy())
    return out


def _check_items(items: Sequence | None, batch_shape: tuple[int, ...]) -> tuple | None:
    """Labels of a single batch axis (set by readers such as socialchoice.io)."""
    if items is None:
        return None
    if len(batch_shape) != 1:
        raise ValidationError(
            f"`items` labels need exactly one batch axis, but the data has {len(batch_shape)}"
        )
    return check_labels(items, batch_shape[0], "items")


def _batch_labels(da: Any, bdims: tuple[str, ...] | None) -> list | None:
    if bdims and len(bdims) == 1 and bdims[0] in da.coords:
        return list(da[bdims[0]].values.tolist())
    return None


def _check_batch_dims(dims: Sequence[str] | None, k: int) -> tuple[str, ...] | None:
    if dims is None:
        return None
    dims = tuple(dims)
    if len(dims) != k:
        raise ValidationError(f"`batch_dims` has {len(dims)} names for {k} batch axes")
    return dims


def _columns(records: Any) -> dict[str, Any]:
    if hasattr(records, "columns"):
        return {c: records[c].to_numpy() for c in records.columns}
    if isinstance(records, Mapping):
        return dict(records)
    raise ValidationError("`records` must be a pandas DataFrame or a mapping of columns")


def _unpack_xarray(da: Any, rater_dim: str, alternative_dim: str, kind: str):
    import xarray as xr

    if not isinstance(da, xr.DataArray):
        raise ValidationError(f"expected an xarray.DataArray, got {type(da).__name__}")
    declared = da.attrs.get("kind")
    if declared is not None and declared != kind:  # never reinterpret what the array says it is
        cls = {"rankings": "Rankings", "ratings": "Ratings"}.get(declared)
        hint = f"use sc.{cls}.from_xarray" if cls else "convert it explicitly"
        raise ValidationError(
            f"the DataArray declares attrs['kind']={declared!r}, not {kind!r}; {hint} (or fix "
            "attrs['kind'] if it is wrong)")
    for d in (rater_dim, alternative_dim):
        if d not in da.dims:
            raise ValidationError(f"the DataArray has no dim {d!r}; its dims are {da.dims}")
    bdims = tuple(d for d in da.dims if d not in (rater_dim, alternative_dim))
    da = da.transpose(*bdims, rater_dim, alternative_dim)
    w = None
    if "weight" in da.coords:
        wc = da.coords["weight"]
        w = np.asarray(wc.transpose(*[d for d in (*bdims, rater_dim) if d in wc.dims]).values)
    cands = list(da[alternative_dim].values.tolist()) if alternative_dim in da.coords else None
    attrs = {}
    for name, c in da.coords.items():
        if name in ("weight", rater_dim, alternative_dim) or name in bdims:
            continue
        if c.dims == (rater_dim,):
            attrs[name] = np.asarray(c.values)
    return da, (bdims or None), w, cands, attrs
