"""Welfare functions over utility tensors (spec/welfare-bargaining.md §1-§3).

A utility tensor ``U`` has shape ``(..., n_agents, m_alternatives)``: agents on axis ``-2``,
alternatives on axis ``-1`` (``agent_axis=``/``axis=`` move them), leading axes are items.
Each function returns a :class:`WelfareResult` with one welfare value per alternative, a
stable ranking and the tied sets; :func:`best` returns the same result for a function named by
string. Every function is registered: :func:`names`, :func:`get`, :func:`info`.

An :class:`xarray.DataArray` input (dims named ``agent`` or ``rater``, and ``alternative``)
returns a DataArray of welfare values over the remaining dims; dask-backed arrays stay lazy
(``xr.apply_ufunc(..., dask="parallelized")``).

Examples
--------
>>> import numpy as np
>>> import socialchoice as sc
>>> U = np.array([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]])
>>> w = [0.4, 0.3, 0.2, 0.1]
>>> sc.welfare.utilitarian(U, weights=w).values.round(6).tolist()
[3.9, 2.0, 2.8]
>>> sc.welfare.best(U, "leximin", weights=w).winner
1
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._kernels import welfare as _kw
from ._registry import Registry
from ._validation import as_float_array, check_axis
from .errors import ValidationError, WeightsError

__all__ = [
    "DegenerateInputWarning",
    "WelfareResult",
    "utilitarian",
    "nash",
    "egalitarian",
    "leximin",
    "power_mean",
    "atkinson",
    "equally_distributed_equivalent",
    "owa",
    "gini_welfare",
    "quantile_welfare",
    "leximin_compare",
    "normalize_utilities",
    "resolve_disagreement",
    "best",
    "names",
    "get",
    "info",
    "REGISTRY",
]

REGISTRY = Registry("welfare function", "welfare")
_NORMALIZE = (None, "minmax", "zscore", "disagreement", "range_disagreement")
_NAN_POLICIES = ("propagate", "omit", "raise")


class DegenerateInputWarning(UserWarning):
    """An input is degenerate (no agent left, a constant row under normalisation, ...)."""


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WelfareResult:
    """Welfare of each alternative, for one item or a batch.

    Attributes
    ----------
    values : ndarray, shape (..., m)
        Welfare per alternative (larger is better). For ``leximin`` (an order, not a number)
        the values are ``m - 1 - level``.
    ranking : ndarray of int, shape (..., m)
        Stable argsort of ``-values`` (NaN last): ties keep index order.
    levels : ndarray of int, shape (..., m)
        Dense rank of each alternative, 0 = best; tied alternatives share a level.
    ties : ndarray of bool, shape (..., m)
        True where an alternative shares its level with another alternative.
    n_agents_used : ndarray of int, shape (...)
        Agents that entered the computation (positive weight, not omitted for NaN).
    name : str
        Canonical welfare function name.
    not_individually_rational : ndarray of bool or None
        For ``nash``: alternatives where some agent's gain is ``<= 0``.
    """

    values: np.ndarray
    ranking: np.ndarray
    levels: np.ndarray
    ties: np.ndarray
    n_agents_used: np.ndarray
    name: str
    not_individually_rational: np.ndarray | None = None

    def __post_init__(self) -> None:
        for k in ("values", "ranking", "levels", "ties", "n_agents_used", "not_individually_rational"):
            v = getattr(self, k)
            if isinstance(v, np.ndarray):
                v.flags.writeable = False

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)

    @property
    def best(self) -> np.ndarray:
        """Boolean mask ``(..., m)`` of every welfare-maximising alternative (the tied set)."""
        return self.levels == 0

    @property
    def winner(self) -> Any:
        """Lowest-index best alternative (an int, or an int array for a batch)."""
        w = np.argmax(self.best, axis=-1)
        return int(w) if w.ndim == 0 else w

    def __repr__(self) -> str:
        return f"WelfareResult(name={self.name!r}, values={np.round(self.values, 6)!r})"


def _finish(values: np.ndarray, n_used: np.ndarray, name: str, *, nir=None, levels=None) -> WelfareResult:
    values = np.asarray(values, dtype=np.float64)
    key = np.where(np.isnan(values), np.inf, -values)
    ranking = np.argsort(key, axis=-1, kind="stable")
    if levels is None:
        sk = np.take_along_axis(key, ranking, axis=-1)
        new = np.ones(sk.shape, dtype=np.int64)
        if sk.shape[-1]:
            new[..., 0] = 0
            new[..., 1:] = (sk[..., 1:] != sk[..., :-1]).astype(np.int64)
        lv_sorted = np.cumsum(new, axis=-1)
        levels = np.empty_like(lv_sorted)
        np.put_along_axis(levels, ranking, lv_sorted, axis=-1)
    # an alternative is tied when another shares its level: neighbours after sorting levels
    order = np.argsort(levels, axis=-1, kind="stable")
    sl = np.take_along_axis(levels, order, axis=-1)
    eq = sl[..., 1:] == sl[..., :-1]
    tied_sorted = np.zeros(levels.shape, dtype=bool)
    tied_sorted[..., 1:] |= eq
    tied_sorted[..., :-1] |= eq
    tied = np.empty(levels.shape, dtype=bool)
    np.put_along_axis(tied, order, tied_sorted, axis=-1)
    return WelfareResult(values, ranking, levels, tied, np.asarray(n_used), name,
                         None if nir is None else np.asarray(nir))


# --------------------------------------------------------------------------------------------
# boundary: array conversion, weights, NaN policy, normalisation, disagreement point
# --------------------------------------------------------------------------------------------


def _as_utilities(U: Any, agent_axis: int, axis: int, *, keep_float32: bool = False) -> np.ndarray:
    a = np.asarray(U)
    dtype = np.float32 if (keep_float32 and a.dtype == np.float32) else np.float64
    a = as_float_array(a, "U", min_ndim=2, dtype=dtype)
    ag = check_axis(agent_axis, a.ndim, "agent_axis")
    al = check_axis(axis, a.ndim, "axis")
    if ag == al:
        raise ValidationError(f"`agent_axis` and `axis` both point at axis {ag}; pass two different axes")
    if (ag, al) != (a.ndim - 2, a.ndim - 1):
        a = np.moveaxis(a, (ag, al), (-2, -1))
    if a.shape[-2] == 0 or a.shape[-1] == 0:
        raise ValidationError(f"`U` needs at least one agent and one alternative, got shape {a.shape}")
    return a


def _weights(weights: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Weights broadcast to ``shape = (..., n)``, float64, finite and >= 0 (a new array)."""
    if weights is None:
        return np.ones(shape)
    w = np.asarray(weights)
    if w.dtype == object or w.dtype.kind not in "biuf":
        raise WeightsError(f"`weights` must be numeric, got dtype {w.dtype}")
    w = w.astype(np.float64)
    try:
        w = np.broadcast_to(w, shape).copy()
    except ValueError:
        raise WeightsError(
            f"`weights` has shape {w.shape}, not broadcastable to {shape} (one weight per agent)"
        ) from None
    if not np.isfinite(w).all():
        raise WeightsError("`weights` contains NaN or inf; weights must be finite and >= 0")
    if (w < 0).any():
        raise WeightsError(f"`weights` contains negative values (min {w.min()}); weights must be >= 0")
    return w


def _check_inf(a: np.ndarray) -> None:
    if np.isinf(a).any():
        raise ValidationError("`U` contains inf; utilities must be finite (NaN marks a missing value)")


def _nan_policy(a: np.ndarray, w: np.ndarray, nan_policy: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply the NaN policy. Returns (a, w, colnan): ``colnan`` (..., m) marks alternatives
    whose welfare must be NaN under ``"propagate"``."""
    if nan_policy not in _NAN_POLICIES:
        raise ValidationError(f"`nan_policy` must be one of {_NAN_POLICIES}, got {nan_policy!r}")
    nan = np.isnan(a)
    if not nan.any():
        return a, w, np.zeros(a.shape[:-2] + a.shape[-1:], dtype=bool)
    if nan_policy == "raise":
        raise ValidationError("`U` contains NaN; pass nan_policy='omit' or 'propagate', or impute")
    if nan_policy == "omit":
        bad = nan.any(axis=-1)
        w = np.where(bad, 0.0, w)
        a = np.where(nan, 0.0, a)
        return a, w, np.zeros(a.shape[:-2] + a.shape[-1:], dtype=bool)
    colnan = (nan & (w[..., None] > 0)).any(axis=-2)
    return np.where(nan, 0.0, a), w, colnan


def resolve_disagreement(U: np.ndarray, disagreement: Any, weights: np.ndarray | None = None) -> np.ndarray:
    """Resolve a disagreement specification (spec §1) to per-agent values ``(..., n)``.

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
        if not isinstance(j0, (int, np.integer)) or not -m <= j0 < m:
            raise ValidationError(f"status-quo alternative {j0!r} is not an index in 0..{m - 1}")
        return U[..., int(j0)].copy()
    d = np.asarray(disagreement)
    if d.dtype == object or d.dtype.kind not in "biuf":
        raise ValidationError(f"`disagreement` must be numeric or a named option, got {disagreement!r}")
    d = d.astype(np.float64)
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
    """Per-agent, per-item normalisation over the alternatives (spec §2).

    Returns ``(U', dropped)``, where ``dropped`` (..., n) marks agents removed by
    ``"range_disagreement"`` (``a_i = d_i``) or ``None``.

    Examples
    --------
    >>> normalize_utilities(np.array([[1., 3, 2]]), "minmax")[0].tolist()
    [[0.0, 1.0, 0.5]]
    """
    if normalize not in _NORMALIZE:
        raise ValidationError(f"`normalize` must be one of {_NORMALIZE}, got {normalize!r}")
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
            const = ~(scale > 0)
            if const.any():
                warnings.warn(
                    f"{int(const.sum())} agent row(s) are constant; normalize={normalize!r} maps them to 0",
                    DegenerateInputWarning, stacklevel=3)
            out = np.where(const, 0.0, (U - lo) / np.where(const, 1.0, scale))
            return np.where(np.isnan(U), np.nan, out), None
        d = resolve_disagreement(U, disagreement, weights)[..., None]
        if normalize == "disagreement":
            return U - d, None
        ok = U >= d
        a = np.max(np.where(ok & ~np.isnan(U), U, -np.inf), axis=-1, keepdims=True)
        dropped = ~(a > d)
        out = (U - d) / np.where(dropped, 1.0, a - d)
        return np.where(dropped, 0.0, out), dropped[..., 0]


def _prepare(U: Any, *, weights: Any, agent_axis: int, axis: int, nan_policy: str,
             normalize: str | None = None, disagreement: Any = 0.0):
    """Validate and normalise. Returns (a, w_normalised, colnan, n_used, d or None)."""
    a = _as_utilities(U, agent_axis, axis)
    _check_inf(a)
    w = _weights(weights, a.shape[:-1])
    if normalize not in (None, "disagreement", "range_disagreement") and not isinstance(disagreement, str) \
            and not isinstance(disagreement, tuple) and np.any(np.asarray(disagreement) != 0):
        warnings.warn("a numeric `disagreement` combined with normalize="
                      f"{normalize!r} is not transformed with the utilities (spec §6.3)", UserWarning,
                      stacklevel=3)
    a, dropped = normalize_utilities(a, normalize, disagreement, w)
    if dropped is not None:
        w = np.where(dropped, 0.0, w)
    d = None
    if normalize in ("disagreement", "range_disagreement"):
        d = np.zeros(a.shape[:-1])
    a, w, colnan = _nan_policy(a, w, nan_policy)
    if d is None:
        d = resolve_disagreement(a, disagreement, w)
    tot = w.sum(axis=-1, keepdims=True)
    empty = tot[..., 0] == 0
    if empty.any():
        warnings.warn(f"{int(empty.sum())} item(s) have no agent with positive weight; their welfare is NaN",
                      DegenerateInputWarning, stacklevel=3)
    wn = np.divide(w, tot, out=np.zeros_like(w), where=tot > 0)
    colnan = colnan | empty[..., None]
    n_used = (w > 0).sum(axis=-1)
    return a, wn, colnan, n_used, d


def _xr_aware(name: str):
    """Let a welfare function take a DataArray with named dims (dask via apply_ufunc)."""

    def deco(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(U: Any, *args: Any, **kwargs: Any):
            if type(U).__name__ == "DataArray" and type(U).__module__.startswith("xarray"):
                return _apply_xr(func, U, *args, **kwargs)
            return func(U, *args, **kwargs)

        return wrapper

    return deco


def _apply_xr(func: Callable, U: Any, *args: Any, agent_dim: str | None = None,
              alternative_dim: str = "alternative", **kwargs: Any):
    import xarray as xr

    if agent_dim is None:
        agent_dim = next((d for d in ("agent", "rater") if d in U.dims), None)
        if agent_dim is None:
            raise ValidationError(f"DataArray dims {U.dims} have neither 'agent' nor 'rater'; pass agent_dim=")
    if alternative_dim not in U.dims:
        raise ValidationError(f"DataArray dims {U.dims} lack {alternative_dim!r}; pass alternative_dim=")
    w = kwargs.pop("weights", None)
    if w is not None and type(w).__name__ == "DataArray":
        w = w.transpose(..., agent_dim).values
    d = kwargs.get("disagreement", None)
    if d is not None and type(d).__name__ == "DataArray":
        kwargs["disagreement"] = d.transpose(..., agent_dim).values

    def core(a: np.ndarray) -> np.ndarray:
        return np.asarray(func(a, *args, weights=w, **kwargs).values)

    out = xr.apply_ufunc(core, U, input_core_dims=[[agent_dim, alternative_dim]],
                         output_core_dims=[[alternative_dim]], dask="parallelized",
                         output_dtypes=[np.float64])
    return out.rename(func.__name__)


# --------------------------------------------------------------------------------------------
# welfare functions
# --------------------------------------------------------------------------------------------

_COMMON = """
    weights : array_like, optional
        Agent weights broadcastable to ``(..., n)``: finite, ``>= 0``; 0 removes an agent.
        Normalised to sum to 1 per item.
    normalize : {None, "minmax", "zscore", "disagreement", "range_disagreement"}
        Per-agent normalisation over the alternatives (spec §2).
    nan_policy : {"propagate", "omit", "raise"}
        Missing utilities (spec §1).
    agent_axis, axis : int
        Agents and alternatives axes (default -2 and -1).
    keepdims : bool
        Keep a length-1 agents axis in ``values``.
"""


def _keep(res: WelfareResult, keepdims: bool) -> WelfareResult:
    if not keepdims:
        return res
    return WelfareResult(res.values[..., None, :], res.ranking[..., None, :], res.levels[..., None, :],
                         res.ties[..., None, :], res.n_agents_used, res.name, res.not_individually_rational)


@REGISTRY.register("utilitarian", aliases=("sum", "mean", "benthamite"), family="mean", oracle="np.average")
@_xr_aware("utilitarian")
def utilitarian(U: Any, *, weights: Any = None, reduce: str = "mean", normalize: str | None = None,
                disagreement: Any = 0.0, nan_policy: str = "propagate", agent_axis: int = -2,
                axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Utilitarian welfare ``sum_i w_i u_ij`` with normalised weights (spec §3).

    Parameters
    ----------
    U : array_like, shape (..., n, m)
        Utilities; NaN = missing, inf rejected.
    reduce : {"mean", "sum"}
        ``"sum"`` uses the raw weights (a plain sum with unit weights).
    disagreement : optional
        Only used by ``normalize="disagreement"``/``"range_disagreement"``.
    {common}
    Returns
    -------
    WelfareResult

    Examples
    --------
    >>> utilitarian([[1., 0], [0, 3]]).values.tolist()
    [0.5, 1.5]
    >>> utilitarian([[1., 0], [0, 3]], reduce="sum").values.tolist()
    [1.0, 3.0]
    """
    if reduce not in ("mean", "sum"):
        raise ValidationError(f"`reduce` must be 'mean' or 'sum', got {reduce!r}")
    if normalize is None and nan_policy in ("propagate", "omit") and reduce == "mean":
        return _keep(_utilitarian_fast(U, weights, agent_axis, axis, nan_policy), keepdims)
    raw = None
    if reduce == "sum":
        a0 = _as_utilities(U, agent_axis, axis)
        raw = _weights(weights, a0.shape[:-1])
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    if raw is not None:
        wn = np.where(wn > 0, raw, 0.0)
    vals = np.einsum("...i,...ij->...j", wn, a)
    vals = np.where(colnan, np.nan, vals)
    return _keep(_finish(vals, n_used, "utilitarian"), keepdims)


def _utilitarian_fast(U: Any, weights: Any, agent_axis: int, axis: int, nan_policy: str) -> WelfareResult:

    a = _as_utilities(U, agent_axis, axis, keep_float32=True)
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    a3 = np.ascontiguousarray(a.reshape((-1, n, m)))
    if weights is None:
        w2 = np.ones((1, n))
    else:
        w = np.asarray(weights)
        if w.ndim <= 1:
            w2 = _weights(w, (n,))[None]
        else:
            w2 = _weights(w, batch + (n,)).reshape(-1, n)
    kern = _kw.weighted_mean_kernel(m, a3.size)
    vals, n_used, has_inf = kern(a3, w2, nan_policy == "omit")
    if has_inf.any():
        raise ValidationError("`U` contains inf; utilities must be finite (NaN marks a missing value)")
    if (n_used == 0).any():
        warnings.warn(f"{int((n_used == 0).sum())} item(s) have no agent with positive weight; their welfare is NaN",
                      DegenerateInputWarning, stacklevel=3)
    return _finish(vals.reshape(batch + (m,)), n_used.reshape(batch), "utilitarian")


@REGISTRY.register("nash", aliases=("nash_welfare", "bernoulli_nash"), family="mean", oracle="scipy.stats.gmean")
@_xr_aware("nash")
def nash(U: Any, *, disagreement: Any = 0.0, weights: Any = None, log: bool = True,
         normalize: str | None = None, nan_policy: str = "propagate", agent_axis: int = -2,
         axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Nash welfare ``sum_i w_i log(u_ij - d_i)`` (spec §3).

    A gain ``<= 0`` gives ``-inf`` (``0`` with ``log=False``) and flags the alternative in
    ``not_individually_rational``.

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    disagreement : float, array, "min", "mean", ("status_quo", j) or "random_dictator"
    log : bool
        ``False`` returns ``exp(...)``, the weighted geometric mean of the gains.
    {common}
    Examples
    --------
    >>> nash([[2., 1], [2, 4]], log=False).values.tolist()
    [2.0, 2.0]
    >>> nash([[2., 1], [2, 4]], disagreement=1).not_individually_rational.tolist()
    [False, True]
    """
    a, wn, colnan, n_used, d = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    n, m = a.shape[-2:]
    batch = a.shape[:-2]
    flat = lambda x, core: np.ascontiguousarray(  # noqa: E731
        np.broadcast_to(x, batch + x.shape[x.ndim - core:]).reshape((-1,) + x.shape[x.ndim - core:]),
        dtype=np.float64)
    a3, w2, d2 = flat(a, 2), flat(wn, 1), flat(d, 1)
    vals = np.empty((a3.shape[0], m))
    nir = np.empty((a3.shape[0], m), dtype=bool)
    kern = _kw.nash_log_welfare if a3.size >= _kw.PARALLEL_MIN_SIZE else _kw.nash_log_welfare_serial
    kern(a3, w2, d2, vals, nir)
    vals, nir = vals.reshape(batch + (m,)), nir.reshape(batch + (m,))
    if not log:
        vals = np.exp(vals)
    vals = np.where(colnan, np.nan, vals)
    return _keep(_finish(vals, n_used, "nash", nir=nir), keepdims)


@REGISTRY.register("egalitarian", aliases=("rawlsian", "min"), family="min", oracle="np.min")
@_xr_aware("egalitarian")
def egalitarian(U: Any, *, weights: Any = None, normalize: str | None = None, disagreement: Any = 0.0,
                nan_policy: str = "propagate", agent_axis: int = -2, axis: int = -1,
                keepdims: bool = False) -> WelfareResult:
    """Egalitarian (Rawlsian) welfare ``min_i u_ij`` over agents with positive weight.

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    disagreement : optional
        Only used by ``normalize="disagreement"``/``"range_disagreement"``.
    {common}
    Examples
    --------
    >>> egalitarian([[1., 5], [3, 2]]).values.tolist()
    [1.0, 2.0]
    """
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    vals = np.min(np.where(wn[..., None] > 0, a, np.inf), axis=-2)
    vals = np.where(colnan | np.isinf(vals), np.nan, vals)
    return _keep(_finish(vals, n_used, "egalitarian"), keepdims)


def _pmean(a: np.ndarray, wn: np.ndarray, p: float) -> np.ndarray:
    """Weighted power mean over axis -2 (no validation; a >= 0 / > 0 checked by caller)."""
    act = wn[..., None] > 0
    if p == -np.inf:
        return np.min(np.where(act, a, np.inf), axis=-2)
    if p == np.inf:
        return np.max(np.where(act, a, -np.inf), axis=-2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p == 0:
            zero = ((a == 0) & act).any(axis=-2)
            lg = np.where(act, np.log(np.where(a > 0, a, 1.0)), 0.0)
            return np.where(zero, 0.0, np.exp(np.einsum("...i,...ij->...j", wn, lg)))
        if abs(p) > 50:
            ref = (np.max(np.where(act, a, -np.inf), axis=-2, keepdims=True) if p > 0
                   else np.min(np.where(act, a, np.inf), axis=-2, keepdims=True))
            safe = np.where(ref > 0, ref, 1.0)
            s = np.einsum("...i,...ij->...j", wn, np.where(act, (a / safe) ** p, 0.0))
            out = safe[..., 0, :] * s ** (1.0 / p)
            return np.where(ref[..., 0, :] > 0, out, 0.0)
        if p < 0:
            zero = ((a == 0) & act).any(axis=-2)
            s = np.einsum("...i,...ij->...j", wn, np.where(act & (a > 0), a, 1.0) ** p)
            return np.where(zero, 0.0, s ** (1.0 / p))
        s = np.einsum("...i,...ij->...j", wn, np.where(act, a, 0.0) ** p)
        return s ** (1.0 / p)


def _check_pmean_domain(a: np.ndarray, wn: np.ndarray, p: float, what: str) -> None:
    bad = (wn[..., None] > 0) & (a < 0)
    if bad.any():
        idx = np.argwhere(bad)[:5].tolist()
        raise ValidationError(
            f"{what} with p={p} needs utilities >= 0 (> 0 for p <= 0); negative entries at "
            f"(..., agent, alternative) {idx}; shift or normalise the utilities (normalize='minmax')"
        )


@REGISTRY.register("power_mean", aliases=("generalized_mean", "w_p"), family="mean", oracle="scipy.stats.pmean")
@_xr_aware("power_mean")
def power_mean(U: Any, p: float, *, weights: Any = None, normalize: str | None = None,
               disagreement: Any = 0.0, nan_policy: str = "propagate", agent_axis: int = -2,
               axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Power-mean welfare ``W_p = (sum_i w_i u_i^p)^(1/p)`` (spec §3).

    ``p = 1`` is utilitarian, ``p = 0`` the geometric mean (``exp`` of Nash with ``d = 0``),
    ``p = -inf`` the minimum, ``p = +inf`` the maximum; ``W_p`` is non-decreasing in ``p``.
    Needs ``u >= 0``; for ``p <= 0`` an agent at 0 gives ``W_p = 0`` (the limit).

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    p : float
    {common}
    Examples
    --------
    >>> power_mean([[1., 4], [4, 4]], -1).values.tolist()
    [1.6, 4.0]
    """
    p = float(p)
    if math.isnan(p):
        raise ValidationError("`p` is NaN; pass a real number or +-inf")
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    if not np.isinf(p):
        _check_pmean_domain(a, wn, p, "power_mean")
    vals = np.where(colnan, np.nan, _pmean(a, wn, p))
    return _keep(_finish(vals, n_used, "power_mean"), keepdims)


@REGISTRY.register("equally_distributed_equivalent", aliases=("ede",), family="mean")
@_xr_aware("equally_distributed_equivalent")
def equally_distributed_equivalent(U: Any, epsilon: float, *, weights: Any = None,
                                   normalize: str | None = None, disagreement: Any = 0.0,
                                   nan_policy: str = "propagate", agent_axis: int = -2,
                                   axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Atkinson's equally distributed equivalent ``W_{1-epsilon}(u)`` (welfare, larger better).

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    epsilon : float
        Inequality aversion, ``>= 0``.
    {common}
    Examples
    --------
    >>> equally_distributed_equivalent([[1.], [4.]], 1).values.tolist()
    [2.0]
    """
    if not epsilon >= 0:
        raise ValidationError(f"`epsilon` must be >= 0, got {epsilon!r}")
    res = power_mean(U, 1.0 - float(epsilon), weights=weights, normalize=normalize, disagreement=disagreement,
                     nan_policy=nan_policy, agent_axis=agent_axis, axis=axis, keepdims=keepdims)
    return WelfareResult(res.values, res.ranking, res.levels, res.ties, res.n_agents_used,
                         "equally_distributed_equivalent")


@REGISTRY.register("atkinson", aliases=("atkinson_index",), family="inequality", orientation="lower_is_better")
@_xr_aware("atkinson")
def atkinson(U: Any, epsilon: float, *, weights: Any = None, normalize: str | None = None,
             disagreement: Any = 0.0, nan_policy: str = "propagate", agent_axis: int = -2,
             axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Atkinson inequality index ``A = 1 - W_{1-epsilon}(u) / mean_w(u)`` (spec §3).

    An *index* (0 = equality): ``ranking`` orders alternatives by larger index first, so use
    :func:`equally_distributed_equivalent` to rank by welfare.

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    epsilon : float
        ``>= 0``; ``u > 0`` is needed for ``epsilon >= 1``.
    {common}
    Examples
    --------
    >>> atkinson([[1.], [4.]], 1).values.round(6).tolist()
    [0.2]
    """
    if not epsilon >= 0:
        raise ValidationError(f"`epsilon` must be >= 0, got {epsilon!r}")
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    p = 1.0 - float(epsilon)
    _check_pmean_domain(a, wn, p, "atkinson")
    if epsilon >= 1 and ((a <= 0) & (wn[..., None] > 0)).any():
        raise ValidationError("atkinson with epsilon >= 1 needs utilities > 0; some are 0")
    mu = np.einsum("...i,...ij->...j", wn, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        vals = 1.0 - _pmean(a, wn, p) / mu
    vals = np.where(colnan, np.nan, vals)
    return _keep(_finish(vals, n_used, "atkinson"), keepdims)


def _rank_weighted(a: np.ndarray, wn: np.ndarray, phi: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """sum_k (phi(S_k) - phi(S_{k-1})) u_(k) with agents sorted ascending per alternative."""
    big = np.where(wn[..., None] > 0, a, np.inf)
    order = np.argsort(big, axis=-2, kind="stable")
    us = np.take_along_axis(a, order, axis=-2)
    ws = np.take_along_axis(np.broadcast_to(wn[..., None], a.shape), order, axis=-2)
    S = np.cumsum(ws, axis=-2)
    S = np.minimum(S, 1.0)
    Sprev = np.concatenate([np.zeros_like(S[..., :1, :]), S[..., :-1, :]], axis=-2)
    rw = phi(S) - phi(Sprev)
    return np.sum(np.where(ws > 0, rw * us, 0.0), axis=-2)


@REGISTRY.register("owa", aliases=("ordered_weighted_average",), family="rank_weighted", oracle="np.sort")
@_xr_aware("owa")
def owa(U: Any, omega: Any, *, weights: Any = None, normalize: str | None = None, disagreement: Any = 0.0,
        nan_policy: str = "propagate", agent_axis: int = -2, axis: int = -1,
        keepdims: bool = False) -> WelfareResult:
    """Ordered weighted average ``sum_k omega_k u_(k)`` with utilities sorted ascending.

    With unequal agent weights, the rank weights are increments of the piecewise-linear
    ``phi`` through ``(k/n, omega_1 + ... + omega_k)`` at the cumulative weights (spec §3.2).

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    omega : array_like, shape (n,)
        Non-negative, summing to 1; ``omega[0]`` weighs the worst-off agent.
    {common}
    Examples
    --------
    >>> owa([[1., 4], [3, 0]], [0.75, 0.25]).values.tolist()
    [1.5, 1.0]
    """
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    om = np.asarray(omega, dtype=np.float64)
    n = a.shape[-2]
    if om.shape != (n,):
        raise ValidationError(f"`omega` must have one entry per agent, shape ({n},), got {om.shape}")
    if (om < 0).any() or not np.isfinite(om).all() or abs(om.sum() - 1) > 1e-9:
        raise ValidationError("`omega` must be finite, non-negative and sum to 1")
    grid = np.arange(n + 1) / n
    cum = np.concatenate([[0.0], np.cumsum(om)])
    vals = _rank_weighted(a, wn, lambda s: np.interp(s, grid, cum))
    vals = np.where(colnan, np.nan, vals)
    return _keep(_finish(vals, n_used, "owa"), keepdims)


@REGISTRY.register("gini_welfare", aliases=("gini", "generalized_gini"), family="rank_weighted")
@_xr_aware("gini_welfare")
def gini_welfare(U: Any, *, weights: Any = None, normalize: str | None = None, disagreement: Any = 0.0,
                 nan_policy: str = "propagate", agent_axis: int = -2, axis: int = -1,
                 keepdims: bool = False) -> WelfareResult:
    """Gini social welfare ``mu_w (1 - G_w)``: OWA with ``phi(s) = 1 - (1-s)^2`` (spec §3.2).

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    {common}
    Examples
    --------
    >>> gini_welfare([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]]).values.tolist()
    [2.375, 2.0, 2.25]
    """
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    vals = _rank_weighted(a, wn, lambda s: 1.0 - (1.0 - s) ** 2)
    vals = np.where(colnan, np.nan, vals)
    return _keep(_finish(vals, n_used, "gini_welfare"), keepdims)


def _wquantile(a: np.ndarray, wn: np.ndarray, q: float) -> np.ndarray:
    big = np.where(wn[..., None] > 0, a, np.inf)
    order = np.argsort(big, axis=-2, kind="stable")
    us = np.take_along_axis(big, order, axis=-2)
    ws = np.take_along_axis(np.broadcast_to(wn[..., None], a.shape), order, axis=-2)
    S = np.cumsum(ws, axis=-2)
    reach = (S >= q - 1e-12) & (ws > 0)
    k = np.argmax(reach, axis=-2)
    return np.take_along_axis(us, k[..., None, :], axis=-2)[..., 0, :]


@REGISTRY.register("quantile_welfare", family="quantile",
                   oracle="np.quantile(method='inverted_cdf', weights=w)")
@_xr_aware("quantile_welfare")
def quantile_welfare(U: Any, q: float, *, weights: Any = None, normalize: str | None = None,
                     disagreement: Any = 0.0, nan_policy: str = "propagate", agent_axis: int = -2,
                     axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Weighted lower quantile ``min{u : F_w(u) >= q}`` of the agents' utilities (spec §3).

    ``q = 0`` gives the minimum, ``q = 0.5`` the lower median.

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    q : float in [0, 1]
    {common}
    Examples
    --------
    >>> quantile_welfare([[4., 2], [1, 2], [9, 2], [2, 2]], 0.5).values.tolist()
    [2.0, 2.0]
    """
    if not 0 <= q <= 1:
        raise ValidationError(f"`q` must lie in [0, 1], got {q!r}")
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    vals = _wquantile(a, wn, float(q))
    vals = np.where(colnan | np.isinf(vals), np.nan, vals)
    return _keep(_finish(vals, n_used, "quantile_welfare"), keepdims)


def leximin_compare(x: Any, y: Any, *, wx: Any = None, wy: Any = None, atol: float = 0.0) -> int:
    """Leximin comparison of two utility vectors (spec §3.1): 1 if ``x`` is better, -1 if
    ``y`` is, 0 if equal. Weighted vectors compare their weighted quantile functions.

    Examples
    --------
    >>> leximin_compare([1, 2, 4, 9], [1, 3, 3, 5])
    -1
    >>> leximin_compare([2, 1], [1, 2])
    0
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    wx = np.ones(x.shape) if wx is None else np.asarray(wx, dtype=np.float64)
    wy = np.ones(y.shape) if wy is None else np.asarray(wy, dtype=np.float64)
    return _lexcmp(x[wx > 0], wx[wx > 0] / wx.sum(), y[wy > 0], wy[wy > 0] / wy.sum(), atol)


def _lexcmp(x, wx, y, wy, atol) -> int:
    ox = np.argsort(x, kind="stable")
    oy = np.argsort(y, kind="stable")
    xs, ws = x[ox], np.cumsum(wx[ox])
    ys, vs = y[oy], np.cumsum(wy[oy])
    i = k = 0
    tol = 1e-12
    while i < len(xs) and k < len(ys):
        if abs(xs[i] - ys[k]) > atol:
            return 1 if xs[i] > ys[k] else -1
        # advance past the smaller breakpoint
        if ws[i] < vs[k] - tol:
            i += 1
        elif vs[k] < ws[i] - tol:
            k += 1
        else:
            i += 1
            k += 1
    return 0


@REGISTRY.register("leximin", aliases=("lexmin", "leximin_order"), family="min", oracle="brute force")
@_xr_aware("leximin")
def leximin(U: Any, *, weights: Any = None, atol: float = 0.0, normalize: str | None = None,
            disagreement: Any = 0.0, nan_policy: str = "propagate", agent_axis: int = -2,
            axis: int = -1, keepdims: bool = False) -> WelfareResult:
    """Leximin order of the alternatives (spec §3.1), exact by default.

    Sorted utility vectors are compared lexicographically (weighted: the weighted quantile
    functions, merged over their cumulative-weight breakpoints). ``atol > 0`` treats close
    values as equal; that relation is not transitive, so its order may contain cycles, which
    the stable sort breaks by index. ``values`` holds ``m - 1 - level``; an alternative with a
    NaN (``"propagate"``) is ranked last with value NaN.

    Parameters
    ----------
    U : array_like, shape (..., n, m)
    atol : float
        Equality tolerance (0 = exact).
    {common}
    Examples
    --------
    >>> r = leximin([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]])
    >>> r.ranking.tolist()
    [1, 2, 0]
    """
    a, wn, colnan, n_used, _ = _prepare(U, weights=weights, agent_axis=agent_axis, axis=axis,
                                        nan_policy=nan_policy, normalize=normalize, disagreement=disagreement)
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    A = a.reshape(-1, n, m)
    Wn = wn.reshape(-1, n)
    CN = colnan.reshape(-1, m)
    levels = np.zeros((A.shape[0], m), dtype=np.int64)
    vals = np.zeros((A.shape[0], m))
    for b in range(A.shape[0]):
        act = Wn[b] > 0
        good = [j for j in range(m) if not CN[b, j]]
        cols = {j: A[b][act, j] for j in good}
        ww = Wn[b][act]

        def cmp(j, k, cols=cols, ww=ww):
            return -_lexcmp(cols[j], ww, cols[k], ww, atol)

        order = sorted(good, key=functools.cmp_to_key(cmp))
        lv = 0
        for pos, j in enumerate(order):
            if pos and cmp(order[pos - 1], j) != 0:
                lv += 1
            levels[b, j] = lv
        top = lv + 1 if good else 0
        for j in range(m):
            if CN[b, j]:
                levels[b, j] = top
        vals[b] = np.where(CN[b], np.nan, (m - 1 - levels[b]).astype(float))
    vals = vals.reshape(batch + (m,))
    levels = levels.reshape(batch + (m,))
    res = _finish(vals, n_used, "leximin", levels=levels)
    return _keep(res, keepdims)


# --------------------------------------------------------------------------------------------
# registry front door
# --------------------------------------------------------------------------------------------


def best(U: Any, name: str = "utilitarian", /, **kwargs: Any) -> WelfareResult:
    """Evaluate the welfare function ``name`` and return its result; the full set of
    maximisers is ``result.best`` and ``result.winner`` the lowest-index one.

    Examples
    --------
    >>> r = best([[1., 1, 0], [0, 0, 0.5]], "utilitarian")
    >>> r.best.tolist(), r.winner
    ([True, True, False], 0)
    """
    return get(name)(U, **kwargs)


def names(family: str | None = None, **meta: Any) -> list[str]:
    """Canonical names of the registered welfare functions.

    Examples
    --------
    >>> "nash" in names()
    True
    """
    return REGISTRY.names(family, **meta)


def get(name: str) -> Callable[..., Any]:
    """The welfare function registered as ``name`` (or an alias)."""
    return REGISTRY.get(name)


def info(name: str):
    """Registry entry (name, aliases, family, metadata) of a welfare function."""
    return REGISTRY.info(name)


for _f in (utilitarian, nash, egalitarian, power_mean, equally_distributed_equivalent, atkinson, owa, gini_welfare, quantile_welfare, leximin,):
    _f.__doc__ = _f.__doc__.replace("{common}", _COMMON.strip())
