"""The one reduction decorator of the welfare functions (model: ``scipy.stats._axis_nan_policy``).

:func:`welfare_function` turns a formula ``body(cells, **params) -> values`` into the public
function. The decorator owns everything that is not the formula:

* input kinds: numpy arrays, :class:`~socialchoice.Ratings` (raters = agents) and DataArrays
  (dims by name through :func:`socialchoice.xr.apply_core`; dask stays lazy; the agent dim is
  ``agent``, ``rater`` or ``group``, e.g. the output of ``Ratings.group_means``);
* ``agent_axis``/``axis``, ``keepdims``;
* validation (shape, dtype, inf, weights, option strings) with package errors naming the
  argument;
* ``normalize=`` and ``disagreement=`` (resolved per agent on the rated cells);
* ``nan_policy=`` per cell: ``"propagate"`` makes an alternative's welfare NaN when a utility of
  an agent with positive weight is missing; ``"omit"`` computes each alternative's welfare
  over the agents who rated it, with their weights renormalised over them (an alternative that
  nobody rated is NaN with a :class:`~socialchoice.errors.CoverageWarning`); ``"raise"`` names
  the first missing cells;
* ranking, ties and the frozen :class:`~._results.WelfareResult`.

The body receives a :class:`Cells` (utilities with agents on -2 and alternatives on -1, the
per-cell normalised weights, the raw weights and the resolved disagreement point) and returns
the welfare values ``(..., m)``, or a dict with ``values`` and optionally ``nir`` (Nash) and
``levels`` (orders such as leximin).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import CoverageWarning, ValidationError
from ._input import (
    NAN_POLICIES,
    NORMALIZE,
    DegenerateInputWarning,
    as_utilities,
    as_utility_input,
    check_inf,
    check_option,
    check_weights,
    find_agent_dim,
    normalize_utilities,
    resolve_disagreement,
)
from ._results import WelfareResult, finish, keep_dims

__all__ = ["Cells", "welfare_function", "COMMON_DOC"]

COMMON_DOC = """
    U : array_like, Ratings or DataArray, shape (..., n, m)
        Utilities (NaN = missing, inf rejected); a Ratings profile's raters are the agents, a
        DataArray names its agent dim ``agent``, ``rater`` or ``group``.
    weights : array_like, optional
        Agent weights broadcastable to ``(..., n)``: finite, ``>= 0``; 0 removes an agent.
        Normalised to sum to 1 per item (per alternative under ``nan_policy="omit"``).
    normalize : {None, "minmax", "zscore", "disagreement", "range_disagreement"}
        Per-agent normalisation over the alternatives (docs/welfare-bargaining.md §2).
    nan_policy : {"propagate", "omit", "raise"}
        Missing utilities, per cell: ``"omit"`` computes each alternative's welfare over the
        agents who rated it (weights renormalised over them).
    agent_axis, axis : int
        Agents and alternatives axes (default -2 and -1). A :class:`~socialchoice.Ratings`
        input has raters as agents; a DataArray names its dims instead (``agent_dim=``, default
        ``agent``/``rater``/``group``, and ``alternative_dim="alternative"``) and returns a
        DataArray of values (lazy for dask).
    keepdims : bool
        Keep a length-1 agents axis in ``values``.
"""


@dataclass(frozen=True)
class Cells:
    """What a welfare formula sees.

    Attributes
    ----------
    a : ndarray, shape (..., n, m)
        Utilities (after normalisation); missing cells hold 0 and have weight 0.
    w : ndarray, shape (..., n, 1) or (..., n, m)
        Weights normalised to sum to 1 over the agents of each alternative (0 = absent).
    raw : ndarray, same shape as ``w``
        The caller's weights (rescaled by a power of two), 0 where absent.
    d : ndarray, shape (..., n)
        Resolved disagreement point (0 after ``normalize="disagreement"``).
    nan_cols : ndarray of bool, shape (..., m)
        Alternatives whose welfare is NaN (missing values under ``"propagate"``, nobody left).
    """

    a: np.ndarray
    w: np.ndarray
    raw: np.ndarray
    d: np.ndarray
    nan_cols: np.ndarray

    @property
    def per_agent(self) -> bool:
        """True when every alternative has the same weights (no per-cell omission)."""
        return self.w.shape[-1] == 1

    @property
    def active(self) -> np.ndarray:
        """Boolean, broadcastable to ``a``: the cells that enter the welfare."""
        return self.w > 0

    def wsum(self, x: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        """``sum_i w_i x_ij`` over agents -> ``(..., m)`` (``w`` defaults to :attr:`w`)."""
        w = self.w if w is None else w
        if w.shape[-1] == 1:
            return np.einsum("...i,...ij->...j", w[..., 0], x)
        return np.einsum("...ij,...ij->...j", w, x)


def _missing_cells_message(bad: np.ndarray) -> str:
    idx = np.argwhere(bad)[:3]
    cells = "; ".join(
        (f"item {tuple(int(v) for v in ix[:-2])}, " if len(ix) > 2 else "") + f"agent {int(ix[-2])}, "
        f"alternative {int(ix[-1])}" for ix in idx)
    more = f" (and {int(bad.sum()) - len(idx)} more)" if bad.sum() > len(idx) else ""
    return (f"`U` has missing utilities (NaN) at {cells}{more}; pass nan_policy='omit' (each "
            "alternative over the agents who rated it) or 'propagate' (NaN welfare), or impute")


def prepare_cells(U: Any, *, weights: Any, agent_axis: int, axis: int, nan_policy: str,
                  normalize: str | None, disagreement: Any) -> tuple[Cells, np.ndarray, np.ndarray]:
    """Validate and prepare ``U``. Returns ``(cells, n_used (...), n_per_alternative (..., m))``."""
    check_option(nan_policy, "nan_policy", NAN_POLICIES)
    check_option(normalize, "normalize", NORMALIZE)
    a = as_utilities(U, agent_axis, axis)
    check_inf(a)
    w = check_weights(weights, a.shape[:-1])
    if normalize not in (None, "disagreement", "range_disagreement") and not isinstance(disagreement, (str, tuple)) \
            and np.any(np.asarray(disagreement, dtype=object) != 0):
        warnings.warn("a numeric `disagreement` combined with normalize="
                      f"{normalize!r} is not transformed with the utilities (docs/welfare-bargaining.md §6.3)", UserWarning,
                      stacklevel=4)
    a, dropped = normalize_utilities(a, normalize, disagreement, w)
    if dropped is not None:
        w = np.where(dropped, 0.0, w)
    nan = np.isnan(a)
    any_nan = bool(nan.any())
    if any_nan:
        bad = nan & (w[..., None] > 0)
        if nan_policy == "raise" and bad.any():
            raise ValidationError(_missing_cells_message(bad))
    if normalize in ("disagreement", "range_disagreement"):
        d = np.zeros(a.shape[:-1])
    else:
        d = resolve_disagreement(a, disagreement, w)
        if any_nan:
            d = np.where(np.isnan(d), 0.0, d)  # an agent with no rated cell: weight 0 anyway
    shape = a.shape[:-2] + a.shape[-1:]
    if any_nan and nan_policy == "omit":
        wc = np.where(nan, 0.0, w[..., None])  # (..., n, m): per cell
        nan_cols = np.zeros(shape, dtype=bool)
    else:
        wc = w[..., None]
        nan_cols = (nan & (w[..., None] > 0)).any(axis=-2) if any_nan else np.zeros(shape, dtype=bool)
    if any_nan:
        a = np.where(nan, 0.0, a)
    tot = wc.sum(axis=-2, keepdims=True)
    empty_item = ~(w > 0).any(axis=-1)
    if empty_item.any():
        warnings.warn(f"{int(empty_item.sum())} item(s) have no agent with positive weight; their welfare is NaN",
                      DegenerateInputWarning, stacklevel=4)
    nobody = (tot[..., 0, :] == 0) & ~empty_item[..., None]
    if nobody.any():
        warnings.warn(f"{int(nobody.sum())} alternative(s) were rated by no agent with positive weight; "
                      "their welfare is NaN", CoverageWarning, stacklevel=4)
    wn = np.divide(wc, tot, out=np.zeros(np.broadcast_shapes(wc.shape, tot.shape)), where=tot > 0)
    raw = np.where(wn > 0, wc, 0.0)
    nan_cols = nan_cols | (tot[..., 0, :] == 0)
    present = wn > 0
    n_alt = np.broadcast_to(present.sum(axis=-2), shape)
    n_used = present.any(axis=-1).sum(axis=-1)
    return Cells(a, wn, raw, d, nan_cols), n_used, n_alt


def _xr_call(public: Callable, U: Any, args: tuple, kwargs: dict):
    from ..xr import apply_core

    agent_dim = kwargs.pop("agent_dim", None)
    alternative_dim = kwargs.pop("alternative_dim", "alternative")
    if kwargs.get("keepdims"):
        raise ValidationError("`keepdims` applies to array input; a DataArray keeps its dims by name")
    ad = find_agent_dim(U, agent_dim, alternative_dim)
    w = kwargs.pop("weights", None)
    if w is None and "weight" in U.coords:
        w = U.coords["weight"]
    d = kwargs.get("disagreement", None)
    if type(d).__name__ == "DataArray":
        kwargs["disagreement"] = d.transpose(..., ad).values
    if w is not None and type(w).__name__ != "DataArray":
        w = np.asarray(w)
        if w.ndim > 1:  # weights over items: name them like U's leading dims
            import xarray as xr

            lead = [x for x in U.dims if x not in (ad, alternative_dim)]
            if w.ndim - 1 > len(lead):
                raise ValidationError(f"`weights` has shape {w.shape}; U has {len(lead)} item dims")
            w = xr.DataArray(w, dims=(*lead[len(lead) - (w.ndim - 1):], ad))
    core_kwargs = dict(kwargs, agent_axis=-2, axis=-1)

    if w is None:
        def core(a):
            return np.asarray(public(a, *args, **core_kwargs).values)

        arrays, core_dims = (U,), [[ad, alternative_dim]]
    else:
        def core(a, wv):  # type: ignore[misc]  # one variant per branch, by design
            return np.asarray(public(a, *args, weights=wv, **core_kwargs).values)

        arrays, core_dims = (U, w), [[ad, alternative_dim], [ad]]
    return apply_core(core, *arrays, core_dims=core_dims, output_core_dims=[[alternative_dim]],
                      name=public.__name__)


def welfare_function(registry, name: str, *, aliases: tuple[str, ...] = (), family: str = "",
                     fast: Callable | None = None, **meta: Any) -> Callable[[Callable], Callable]:
    """Make ``body(cells, **params)`` the public welfare function ``name`` and register it.

    ``fast(U, weights=..., nan_policy=..., agent_axis=..., axis=..., **params)`` may return a
    finished :class:`WelfareResult` for plain array input without normalisation (or None to
    take the general path).
    """

    def deco(body: Callable) -> Callable:
        bsig = inspect.signature(body)
        own = [p for p in list(bsig.parameters.values())[1:]]
        common = [
            inspect.Parameter("weights", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="Any"),
            inspect.Parameter("normalize", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="str | None"),
            inspect.Parameter("disagreement", inspect.Parameter.KEYWORD_ONLY, default=0.0, annotation="Any"),
            inspect.Parameter("nan_policy", inspect.Parameter.KEYWORD_ONLY, default="propagate", annotation="str"),
            inspect.Parameter("agent_axis", inspect.Parameter.KEYWORD_ONLY, default=-2, annotation="int"),
            inspect.Parameter("axis", inspect.Parameter.KEYWORD_ONLY, default=-1, annotation="int"),
            inspect.Parameter("keepdims", inspect.Parameter.KEYWORD_ONLY, default=False, annotation="bool"),
        ]
        taken = {p.name for p in own}
        params = [inspect.Parameter("U", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Any"), *own,
                  *(p for p in common if p.name not in taken)]
        sig = inspect.Signature(params, return_annotation="WelfareResult")
        own_names = [p.name for p in own]
        positional = [p.name for p in own if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD]

        @functools.wraps(body)
        def public(U: Any, *args: Any, **kwargs: Any) -> WelfareResult:
            if type(U).__name__ == "DataArray" and type(U).__module__.split(".")[0] == "xarray":
                return _xr_call(public, U, args, kwargs)
            try:
                bound = sig.bind(U, *args, **kwargs)
            except TypeError as exc:
                raise TypeError(f"{name}(): {exc}") from None
            bound.apply_defaults()
            ba = dict(bound.arguments)
            U = ba.pop("U")
            U, ba["weights"], ba["agent_axis"], ba["axis"] = as_utility_input(
                U, ba["weights"], agent_axis=ba["agent_axis"], axis=ba["axis"])
            keepdims = ba.pop("keepdims")
            if not isinstance(keepdims, (bool, np.bool_)):
                raise ValidationError(f"`keepdims` must be True or False, got {keepdims!r}")
            mine = {k: ba.pop(k) for k in own_names}
            check_option(ba["nan_policy"], "nan_policy", NAN_POLICIES)
            d0 = ba["disagreement"]
            if fast is not None and ba["normalize"] is None and isinstance(d0, (int, float)) and d0 == 0:
                res = fast(U, weights=ba["weights"], nan_policy=ba["nan_policy"], agent_axis=ba["agent_axis"],
                           axis=ba["axis"], **mine)
                if res is not None:
                    return keep_dims(res, keepdims)
            cells, n_used, n_alt = prepare_cells(U, **ba)
            out = body(cells, **mine)
            if not isinstance(out, dict):
                out = {"values": out}
            vals = np.where(cells.nan_cols, np.nan, out["values"])
            res = finish(vals, n_used, name, nir=out.get("nir"), levels=out.get("levels"), n_alt=n_alt)
            return keep_dims(res, keepdims)

        public.__signature__ = sig  # type: ignore[attr-defined]
        del public.__wrapped__  # the signature above is the public one
        public.body = body  # type: ignore[attr-defined]
        public._positional = positional  # type: ignore[attr-defined]
        if public.__doc__:  # None under python -OO
            public.__doc__ = public.__doc__.replace("{common}", COMMON_DOC.strip())
        registry.register(name, aliases=aliases, family=family, **meta)(public)
        return public

    return deco
