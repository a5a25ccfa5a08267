"""Utility-matrix input shared by :mod:`socialchoice.welfare` and :mod:`socialchoice.bargaining`.

A utility tensor ``U`` has shape ``(..., n_agents, m_alternatives)``. It may also be given as

* a :class:`~socialchoice.Ratings` profile: its raters are the agents, its rater weights the
  agent weights, NaN = missing;
* an :class:`xarray.DataArray` whose agent dim is named ``agent``, ``rater`` or ``group`` (e.g.
  the ``(group, alternative)`` output of ``Ratings.group_means``) and whose alternative dim is
  ``alternative``; a ``weight`` coordinate on the agent dim supplies weights.

Nothing here imports :mod:`socialchoice.bargaining` (bargaining imports this module).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._config import rescale_weights
from .._validation import as_float_array, check_axis
from ..errors import ValidationError, WeightsError

__all__ = ["DegenerateInputWarning", "AGENT_DIMS", "as_utility_input", "as_utilities", "check_weights",
           "check_inf", "resolve_disagreement", "normalize_utilities", "NORMALIZE", "NAN_POLICIES",
           "check_option", "find_agent_dim"]

#: DataArray dims read as the agent axis, in this order of preference
AGENT_DIMS = ("agent", "rater", "group")
NORMALIZE = (None, "minmax", "zscore", "disagreement", "range_disagreement")
NAN_POLICIES = ("propagate", "omit", "raise")


class DegenerateInputWarning(UserWarning):
    """An input is degenerate (no agent left, a constant row under normalisation, ...)."""


def check_option(value: Any, name: str, allowed: tuple) -> Any:
    """``value`` if it is one of ``allowed`` (compared with ``==`` for hashable values)."""
    try:
        ok = value in allowed
    except TypeError:  # unhashable / array-like
        ok = False
    if not ok or (isinstance(value, (bool, np.bool_)) and not any(a is value for a in allowed)):
        raise ValidationError(f"`{name}` must be one of {allowed}, got {value!r}")
    return value


def _is_dataarray(x: Any) -> bool:
    return type(x).__name__ == "DataArray" and type(x).__module__.split(".")[0] == "xarray"


def _is_ratings(x: Any) -> bool:
    from ..profiles import Ratings

    return isinstance(x, Ratings)


def find_agent_dim(da: Any, agent_dim: str | None, alternative_dim: str) -> str:
    """The agent dim of a DataArray (``agent_dim`` or the first of :data:`AGENT_DIMS` present)."""
    if agent_dim is None:
        agent_dim = next((d for d in AGENT_DIMS if d in da.dims), None)
        if agent_dim is None:
            raise ValidationError(
                f"DataArray dims {da.dims} have none of {AGENT_DIMS} for the agents; pass agent_dim=")
    elif agent_dim not in da.dims:
        raise ValidationError(f"`agent_dim`={agent_dim!r} is not a dim of the DataArray {da.dims}")
    if alternative_dim not in da.dims:
        raise ValidationError(f"DataArray dims {da.dims} lack {alternative_dim!r}; pass alternative_dim=")
    if agent_dim == alternative_dim:
        raise ValidationError("`agent_dim` and `alternative_dim` name the same dim; pass two different dims")
    return agent_dim


def as_utility_input(U: Any, weights: Any, *, agent_axis: int = -2, axis: int = -1,
                     agent_dim: str | None = None, alternative_dim: str = "alternative"):
    """Unwrap a :class:`~socialchoice.Ratings` or DataArray into ``(array, weights, agent_axis,
    axis)`` with agents on -2 and alternatives on -1 (a dask-backed DataArray is computed; the
    welfare functions keep DataArrays lazy through :func:`socialchoice.xr.apply_core` instead).
    Other input passes through unchanged.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.Ratings([[1.0, 2.0], [3.0, np.nan]], weights=[1.0, 3.0])
    >>> a, w, ag, ax = as_utility_input(r, None)
    >>> a.shape, w.tolist(), ag, ax
    ((2, 2), [1.0, 3.0], -2, -1)
    """
    if _is_dataarray(U):
        ad = find_agent_dim(U, agent_dim, alternative_dim)
        if weights is None and "weight" in U.coords:
            weights = U.coords["weight"]
        da = U.transpose(..., ad, alternative_dim)
        if _is_dataarray(weights):
            if ad not in weights.dims:
                raise WeightsError(f"the `weights` DataArray has no dim {ad!r} (dims {weights.dims})")
            lead = [d for d in da.dims[:-2] if d in weights.dims]
            weights = np.asarray(weights.transpose(*lead, ad).values)
        return np.asarray(da.values), weights, -2, -1
    if _is_ratings(U):
        if getattr(U, "criteria", False):
            raise ValidationError("`U` is a Ratings with a criteria axis; select one criterion first")
        if weights is not None and U.weights is not None:
            raise WeightsError("`U` is a Ratings with its own weights; pass weights= only for unweighted Ratings")
        if (agent_axis, axis) not in ((-2, -1),):
            raise ValidationError("`agent_axis`/`axis` cannot be moved for a Ratings input (raters x alternatives)")
        return np.asarray(U.values), (U.weights if weights is None else weights), -2, -1
    return U, weights, agent_axis, axis


def as_utilities(U: Any, agent_axis: int = -2, axis: int = -1, *, keep_float32: bool = False,
                 name: str = "U") -> np.ndarray:
    """A float array with agents on -2 and alternatives on -1 (a view where possible)."""
    if isinstance(U, (str, bytes)) or U is None:
        raise ValidationError(f"`{name}` must be a numeric (..., agents, alternatives) array, got {U!r}")
    try:
        a = np.asarray(U) if not hasattr(U, "dtype") else U
    except (ValueError, TypeError):
        raise ValidationError(f"`{name}` is ragged or not numeric; pass a rectangular numeric array") from None
    if getattr(a, "dtype", None) is not None and np.dtype(a.dtype) == np.bool_:
        raise ValidationError(
            f"`{name}` is boolean; utilities are numbers: pass U.astype(float) if True/False mean 1/0")
    dtype = np.float32 if (keep_float32 and getattr(a, "dtype", None) == np.float32) else np.float64
    a = as_float_array(a, name, min_ndim=2, dtype=dtype)
    if not isinstance(agent_axis, (int, np.integer)) or isinstance(agent_axis, bool):
        raise ValidationError(f"`agent_axis` must be an int, got {agent_axis!r}")
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise ValidationError(f"`axis` must be an int, got {axis!r}")
    ag = check_axis(agent_axis, a.ndim, "agent_axis")
    al = check_axis(axis, a.ndim, "axis")
    if ag == al:
        raise ValidationError(f"`agent_axis` and `axis` both point at axis {ag}; pass two different axes")
    if (ag, al) != (a.ndim - 2, a.ndim - 1):
        a = np.moveaxis(a, (ag, al), (-2, -1))
    if a.shape[-2] == 0 or a.shape[-1] == 0:
        raise ValidationError(f"`{name}` needs at least one agent and one alternative, got shape {a.shape}")
    return a


def _numeric(x: Any, name: str, error: type, what: str) -> np.ndarray:
    """``x`` as a float64 array (bool, strings, objects and ragged input raise ``error``)."""
    return as_float_array(x, name, allow_bool=False, error=error, what=what).copy()


def check_weights(weights: Any, shape: tuple[int, ...], name: str = "weights") -> np.ndarray:
    """Weights broadcast to ``shape = (..., n)``: float64, finite, ``>= 0``, rescaled per item by
    an exact power of two (:func:`socialchoice._config.rescale_weights`); a new array.

    A non-scalar must have exactly ``n`` entries on its last axis (a length-1 list is not
    stretched over the agents)."""
    if weights is None:
        return np.ones(shape)
    w = _numeric(weights, name, WeightsError, "one number >= 0 per agent")
    if w.ndim and w.shape[-1] != shape[-1]:
        raise WeightsError(f"`{name}` has {w.shape[-1]} entries on its last axis; pass one weight per agent "
                           f"({shape[-1]})")
    try:
        w = np.broadcast_to(w, shape).copy()
    except ValueError:
        raise WeightsError(
            f"`{name}` has shape {w.shape}, not broadcastable to {shape} (one weight per agent)"
        ) from None
    if not np.isfinite(w).all():
        raise WeightsError(f"`{name}` contains NaN or inf; weights must be finite and >= 0")
    if (w < 0).any():
        raise WeightsError(f"`{name}` contains negative values (min {w.min()}); weights must be >= 0")
    out = rescale_weights(w)
    return w if out is None else out


def check_inf(a: np.ndarray, name: str = "U") -> None:
    if np.isinf(a).any():
        raise ValidationError(f"`{name}` contains inf; utilities must be finite (NaN marks a missing value)")


def resolve_disagreement(U: np.ndarray, disagreement: Any, weights: np.ndarray | None = None) -> np.ndarray:
    """Resolve a disagreement specification (docs/welfare-bargaining.md §1) to per-agent values ``(..., n)``.

    Parameters
    ----------
    U : ndarray, shape (..., n, m)
        Utilities (NaN ignored in the statistics).
    disagreement : float, array, "min", "mean", ("status_quo", j0) or "random_dictator"
    weights : ndarray, shape (..., n), optional
        Agent weights (for ``"random_dictator"``).

    Examples
    --------
    >>> U = np.array([[1., 3, 2], [0, 4, 8]])
    >>> resolve_disagreement(U, "min").tolist()
    [1.0, 0.0]
    >>> resolve_disagreement(U, ("status_quo", 2)).tolist()
    [2.0, 8.0]
    """
    U = np.asarray(U, dtype=np.float64)
    shape = U.shape[:-1]
    n, m = U.shape[-2:]
    if isinstance(disagreement, str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN row gives NaN (omitted agent)
            if disagreement == "min":
                return np.nanmin(U, axis=-1) if np.isnan(U).any() else U.min(axis=-1)
            if disagreement == "mean":
                return np.nanmean(U, axis=-1)
        if disagreement == "random_dictator":
            w = np.ones(shape) if weights is None else np.asarray(weights, dtype=np.float64)
            tot = w.sum(axis=-1, keepdims=True)
            wn = np.divide(w, tot, out=np.zeros_like(w), where=tot > 0)
            Uf = np.where(np.isnan(U), -np.inf, U)
            top = Uf == Uf.max(axis=-1, keepdims=True)  # (..., k, m)
            share = top / top.sum(axis=-1, keepdims=True)
            lot = np.einsum("...k,...km->...m", wn, share)  # random-dictator lottery
            return np.einsum("...im,...m->...i", np.where(np.isnan(U), 0.0, U), lot)
        raise ValidationError(
            f"`disagreement`={disagreement!r} is not understood; pass a number, an array, 'min', "
            "'mean', 'random_dictator' or ('status_quo', j)"
        )
    if isinstance(disagreement, tuple) and len(disagreement) == 2 and disagreement[0] == "status_quo":
        j0 = disagreement[1]
        if isinstance(j0, bool) or not isinstance(j0, (int, np.integer)) or not -m <= j0 < m:
            raise ValidationError(f"status-quo alternative {j0!r} is not an index in 0..{m - 1}")
        return U[..., int(j0)].copy()
    d = _numeric(disagreement, "disagreement", ValidationError,
                 "a number, one per agent, 'min', 'mean', 'random_dictator' or ('status_quo', j)")
    if not np.isfinite(d).all():
        raise ValidationError("`disagreement` contains NaN or inf; pass finite values")
    try:
        return np.broadcast_to(d, shape).copy()
    except ValueError:
        raise ValidationError(
            f"`disagreement` has shape {d.shape}, not broadcastable to {shape} (one value per agent)"
        ) from None


def normalize_utilities(U: np.ndarray, normalize: str | None, disagreement: Any = 0.0,
                        weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-agent, per-item normalisation over the alternatives (docs/welfare-bargaining.md §2).

    Returns ``(U', dropped)``, where ``dropped`` (..., n) marks agents removed by
    ``"range_disagreement"`` (``a_i = d_i``) or ``None``.

    Examples
    --------
    >>> normalize_utilities(np.array([[1., 3, 2]]), "minmax")[0].tolist()
    [[0.0, 1.0, 0.5]]
    """
    check_option(normalize, "normalize", NORMALIZE)
    U = np.asarray(U, dtype=np.float64)
    if normalize is None:
        return U, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if normalize in ("minmax", "zscore"):
            if normalize == "minmax":
                lo = np.nanmin(U, axis=-1, keepdims=True)
                scale = np.nanmax(U, axis=-1, keepdims=True) - lo
            else:
                lo = np.nanmean(U, axis=-1, keepdims=True)
                scale = np.nanstd(U, axis=-1, keepdims=True)
            const = ~(scale > 0) & ~np.isnan(scale)
            if const.any():
                warnings.warn(
                    f"{int(const.sum())} agent row(s) are constant; normalize={normalize!r} maps them to 0",
                    DegenerateInputWarning, stacklevel=3)
            out = np.where(const, 0.0, (U - lo) / np.where(const | np.isnan(scale), 1.0, scale))
            return np.where(np.isnan(U), np.nan, out), None
        d = resolve_disagreement(U, disagreement, weights)[..., None]
        if normalize == "disagreement":
            return U - d, None
        ok = U >= d
        a = np.max(np.where(ok & ~np.isnan(U), U, -np.inf), axis=-1, keepdims=True)
        dropped = ~(a > d)
        out = (U - d) / np.where(dropped, 1.0, a - d)
        return np.where(dropped, 0.0, out), dropped[..., 0]
