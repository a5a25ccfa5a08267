"""The one reduction decorator of the divergences: validation, axes, NaN policy, xarray, dask.

Modelled on ``scipy.stats._axis_nan_policy``: :func:`reduction` wraps a *body* that holds only
a divergence's formula. The wrapper takes the inputs (``p, q`` or just ``p``) and the common
keyword options (``axis``, ``keepdims``, ``normalize``, ``smoothing``, ``smooth``,
``nan_policy``, ``sum_tol``, ``dim``) and handles them once for every divergence:

* ``xarray.DataArray`` inputs reduce the dimension named ``dim`` through
  :func:`socialchoice.xr.apply_core` (dask-backed arrays stay lazy, chunk by chunk); raw dask
  arrays go through ``dask.array.apply_gufunc``;
* numpy inputs are validated, moved to ``(n, K)`` C-contiguous rows and handed to the body as a
  :class:`Rows` object, whose :meth:`Rows.reduce` runs the fused Numba kernel
  (:mod:`socialchoice._kernels.divergence`: normalisation, smoothing, checks and the formula in
  one pass) and turns the kernel's per-row flags into package errors or warnings;
* the body returns one value per row; the wrapper restores the batch shape and ``keepdims``.

NaN policy: ``"propagate"`` (default) returns NaN for a slice holding a NaN, ``"omit"`` drops
the categories that are NaN in either input and renormalises, ``"raise"`` raises. An all-zero
slice (nothing to normalise) returns NaN with an :class:`EmptyDistributionWarning`. These are
the only NaNs a result can hold.
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._compat import renamed_parameters
from .._config import PROB_SUM_ATOL
from .._kernels import divergence as _kd
from .._registry import Registry, family_api
from .._validation import is_dask_array
from ..errors import DistributionError, ValidationError

__all__ = ["registry", "names", "get", "info", "reduction", "Rows", "InfiniteDivergenceWarning",
           "EmptyDistributionWarning"]


class InfiniteDivergenceWarning(RuntimeWarning):
    """A divergence is +inf for some slices (a zero in the reference where the other is > 0)."""


class EmptyDistributionWarning(RuntimeWarning):
    """A slice is all zeros (or all NaN under ``nan_policy="omit"``); its result is NaN."""


registry = Registry("divergence", "divergence")
_names, get, info = family_api(registry)
#: ``names(group=None, **meta)``; ``family=`` is the deprecated spelling of ``group=``
names = renamed_parameters(family="group")(_names)

NAN_POLICIES = ("propagate", "omit", "raise")
SMOOTH = ("both", "p", "q")

COMMON_DOC = """\
    axis : int, default -1
        The category axis.
    keepdims : bool, default False
        Keep the reduced axis with length 1.
    normalize : bool, default True
        Divide each slice by its sum (accepts counts; the value is then unchanged when an input
        is multiplied by any ``c > 0``). With ``False`` the slices must sum to 1 within
        ``sum_tol``, else :class:`~socialchoice.errors.DistributionError`.
    smoothing : float, default 0
        Additive (Lidstone) constant alpha added to every category before normalising:
        ``(c_k + alpha) / (n + K alpha)``.
    smooth : {"both", "p", "q"}
        Which argument the smoothing applies to (two-input functions only).
    nan_policy : {"propagate", "omit", "raise"}
        NaN handling; ``"omit"`` drops categories that are NaN in either input.
    sum_tol : float
        Tolerance on the sums when ``normalize=False``.
    dim : str, optional
        Category dimension for xarray inputs (default: the last dimension of the first
        DataArray); dask-backed DataArrays stay lazy.
"""

_COMMON_DEFAULTS = dict(axis=-1, keepdims=False, normalize=True, smoothing=0.0, smooth="both",
                        nan_policy="propagate", sum_tol=PROB_SUM_ATOL, dim=None)


# --------------------------------------------------------------------------- validation


def as_input(x: Any, name: str) -> np.ndarray:
    """A float64 view/copy of a numeric array with at least one axis (never mutated)."""
    try:
        a = np.asarray(x)
    except Exception as exc:
        raise ValidationError(f"`{name}` could not be converted to an array: {exc}") from None
    if a.dtype == object or a.dtype.kind not in "biuf":
        raise ValidationError(
            f"`{name}` must be a numeric array of probabilities or counts, got dtype {a.dtype}"
        )
    if a.ndim == 0:
        raise ValidationError(
            f"`{name}` is a scalar; pass a distribution (an array with a category axis)"
        )
    # float32 (and integer counts) are accepted and computed in float64: one compiled
    # kernel per driver keeps the first-call compile time down
    return a.astype(np.float64, copy=False)


def check_options(nan_policy: Any, smooth: Any, smoothing: Any, sum_tol: Any, axis: Any,
                  normalize: Any, keepdims: Any) -> None:
    if not isinstance(nan_policy, str) or nan_policy not in NAN_POLICIES:
        raise ValidationError(f"`nan_policy`={nan_policy!r}; use one of {NAN_POLICIES}")
    if not isinstance(smooth, str) or smooth not in SMOOTH:
        raise ValidationError(f"`smooth`={smooth!r}; use one of {SMOOTH}")
    for name, v in (("smoothing", smoothing), ("sum_tol", sum_tol)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)) or \
                not (np.isfinite(v) and v >= 0):
            raise ValidationError(f"`{name}`={v!r}; pass a finite number >= 0")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValidationError(f"`axis`={axis!r}; pass an integer axis")
    for name, v in (("normalize", normalize), ("keepdims", keepdims)):
        if not isinstance(v, (bool, np.bool_)):
            raise ValidationError(f"`{name}`={v!r}; pass True or False")


def check_base(base: Any, default: float) -> float:
    b = default if base is None else base
    try:
        b = float(b)
    except (TypeError, ValueError):
        raise ValidationError(f"`base`={base!r}; pass a positive number other than 1") from None
    if not (np.isfinite(b) and b > 0 and b != 1):
        raise ValidationError(f"`base`={base!r}; pass a positive number other than 1")
    return b


def check_values(values: Any, K: int) -> np.ndarray:
    """Ordinal positions of the ``K`` categories (default ``0..K-1``)."""
    if values is None:
        return np.arange(K, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64) if np.asarray(values).dtype.kind in "biuf" else None
    if x is None or x.ndim != 1:
        raise ValidationError("`values` must be a 1-D numeric array of ordinal positions")
    if x.shape[0] != K:
        raise DistributionError(
            f"`values` has {x.shape[0]} positions but the distributions have {K} categories; "
            "pass one position per category"
        )
    if not np.isfinite(x).all() or (K > 1 and not (np.diff(x) > 0).all()):
        raise ValidationError(
            f"`values`={x.tolist()} must be finite and strictly increasing (ordinal positions)"
        )
    return np.ascontiguousarray(x)


def _flat(p: np.ndarray, q: np.ndarray, axis: int, names: tuple[str, str]):
    """Move ``axis`` last, broadcast, and flatten to (n, K) / (nq, K) contiguous arrays."""
    nd = max(p.ndim, q.ndim)  # axis refers to the broadcast shape, as in scipy
    if not -nd <= axis < nd:
        raise ValidationError(
            f"`axis`={axis} is out of range for `{names[0]}` {p.shape} and `{names[1]}` {q.shape}"
        )
    p = p.reshape((1,) * (nd - p.ndim) + p.shape)
    q = q.reshape((1,) * (nd - q.ndim) + q.shape)
    p = np.moveaxis(p, axis, -1)
    q = np.moveaxis(q, axis, -1)
    if p.shape[-1] != q.shape[-1]:
        raise DistributionError(
            f"`{names[0]}` has {p.shape[-1]} categories and `{names[1]}` has {q.shape[-1]} along "
            f"axis {axis}; both must be over the same support (pad missing options with 0)"
        )
    K = p.shape[-1]
    if K == 0:
        raise DistributionError(
            f"`{names[0]}` and `{names[1]}` have no categories (length 0 along `axis`); pass "
            "non-empty distributions"
        )
    try:
        batch = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    except ValueError:
        raise ValidationError(
            f"`{names[0]}` {p.shape[:-1]} and `{names[1]}` {q.shape[:-1]} batch shapes do not "
            "broadcast; pass arrays of matching shapes"
        ) from None
    n = math.prod(batch)

    def flat(a):
        if a.shape[:-1] == batch:
            return np.ascontiguousarray(a).reshape(n, K)
        if math.prod(a.shape[:-1]) == 1:
            return np.ascontiguousarray(a).reshape(1, K)
        return np.ascontiguousarray(np.broadcast_to(a, batch + (K,))).reshape(n, K)

    P, Q = flat(p), flat(q)
    if P.shape[0] == 1 and n > 1:  # the kernel broadcasts q only
        P = np.ascontiguousarray(np.broadcast_to(P, (n, K)))
    return P, Q, batch, K


def _first(flags: np.ndarray, bit: int, batch: tuple) -> tuple:
    i = int(np.flatnonzero(flags & bit)[0])
    return np.unravel_index(i, batch) if batch else ()


# --------------------------------------------------------------------------- rows


class Rows:
    """Validated rows handed to a divergence body: ``P`` (n, K) and ``Q`` (n or 1, K).

    :meth:`reduce` runs one kernel ``kind`` over the rows and returns ``n`` values; invalid
    rows raise package errors naming the argument (negative, inf, NaN under ``"raise"``,
    wrong sums), all-zero rows give NaN and an :class:`EmptyDistributionWarning`.
    """

    __slots__ = ("P", "Q", "batch", "K", "names", "ap", "aq", "normalize", "nan_policy",
                 "sum_tol")

    def __init__(self, P, Q, batch, K, names, ap, aq, normalize, nan_policy, sum_tol):
        self.P, self.Q, self.batch, self.K, self.names = P, Q, batch, K, names
        self.ap, self.aq = ap, aq
        self.normalize, self.nan_policy, self.sum_tol = normalize, nan_policy, sum_tol

    def swapped(self) -> Rows:
        """The rows with the two inputs (and their smoothing) exchanged."""
        P, Q = self.P, self.Q
        if Q.shape[0] != P.shape[0]:
            Q = np.ascontiguousarray(np.broadcast_to(Q, P.shape))
        return Rows(Q, P, self.batch, self.K, self.names[::-1], self.aq, self.ap,
                    self.normalize, self.nan_policy, self.sum_tol)

    def positions(self, values: Any) -> np.ndarray:
        """The checked ordinal positions (default ``0..K-1``)."""
        return check_values(values, self.K)

    def reduce(self, kind: int, values: Any = None) -> np.ndarray:
        P, Q, K = self.P, self.Q, self.K
        pos = check_values(values, K)
        n = P.shape[0]
        out = np.empty(n, np.float64)
        flags = np.empty(n, np.int16)
        omit = self.nan_policy == "omit"
        short = (kind in (_kd.KL, _kd.JS, _kd.W1) and 2 <= K <= _kd.SHORT_ROWS_MAX_K
                 and self.ap == 0.0 and self.aq == 0.0 and not omit
                 and P.size >= _kd.PARALLEL_MIN)
        # short rows: a kernel with K fixed at compile time; it declines (returns a count of)
        # rows needing flags or special values, and then the general kernel redoes the input
        if not short or _kd.short_rows_kernel(K)(kind, P, Q, bool(self.normalize),
                                                 float(self.sum_tol), np.diff(pos), out, flags):
            kern = _kd.rows if P.size >= _kd.PARALLEL_MIN else _kd.rows_serial
            kern(kind, P, Q, self.ap, self.aq, bool(self.normalize), omit, float(self.sum_tol),
                 pos, out, flags)
        self._raise_flags(flags)
        return out

    def _raise_flags(self, flags: np.ndarray) -> None:
        if flags.size == 0:
            return
        fl = int(np.bitwise_or.reduce(flags))
        if fl == 0:
            return
        batch = self.batch
        for shift, name, arr in ((0, self.names[0], self.P), (_kd.QSHIFT, self.names[1], self.Q)):
            f = (fl >> shift) & 31
            if f & _kd.FLAG_NEG:
                at = _first(flags, _kd.FLAG_NEG << shift, batch)
                raise DistributionError(
                    f"`{name}` has negative entries (first in slice {at}); pass probabilities "
                    "or counts >= 0"
                )
            if f & _kd.FLAG_INF:
                at = _first(flags, _kd.FLAG_INF << shift, batch)
                raise DistributionError(
                    f"`{name}` contains inf (first in slice {at}); pass finite probabilities "
                    "or counts"
                )
            if f & _kd.FLAG_NAN and self.nan_policy == "raise":
                at = _first(flags, _kd.FLAG_NAN << shift, batch)
                raise DistributionError(
                    f"`{name}` contains NaN (first in slice {at}) and nan_policy='raise'; drop "
                    "it, or pass nan_policy='omit' to drop NaN categories or 'propagate' to "
                    "return NaN"
                )
            if f & _kd.FLAG_SUM:
                bad = np.flatnonzero(flags & (_kd.FLAG_SUM << shift))
                rows = arr[bad] if arr.shape[0] > 1 else arr[:1]
                worst = float(np.nanmax(np.abs(np.nansum(rows, axis=-1) - 1.0)))
                at = _first(flags, _kd.FLAG_SUM << shift, batch)
                raise DistributionError(
                    f"`{name}` does not sum to 1 (off by up to {worst:.3g}, first in slice {at}, "
                    f"tolerance sum_tol={self.sum_tol:g}); pass probabilities, or "
                    "normalize=True for counts"
                )
        if (fl & _kd.FLAG_ZERO) | ((fl >> _kd.QSHIFT) & _kd.FLAG_ZERO):
            cnt = int(np.count_nonzero(flags & (_kd.FLAG_ZERO | (_kd.FLAG_ZERO << _kd.QSHIFT))))
            warnings.warn(
                f"{cnt} slice(s) are all zero (or all NaN with nan_policy='omit') and cannot be "
                "normalised; their result is NaN",
                EmptyDistributionWarning,
                stacklevel=4,
            )


def warn_inf(out: np.ndarray, what: str) -> None:
    cnt = int(np.count_nonzero(np.isposinf(out)))
    if cnt:
        warnings.warn(
            f"{what} is +inf for {cnt} slice(s): the reference puts zero mass where the other "
            "distribution does not; pass smoothing=alpha (e.g. 0.5) for a finite value",
            InfiniteDivergenceWarning,
            stacklevel=4,
        )


def scalar(out):
    """A 0-d array as a numpy scalar, anything else unchanged."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


# --------------------------------------------------------------------------- dispatch


def is_xarray(x: Any) -> bool:
    return type(x).__module__.split(".")[0] == "xarray"


def _labeled(func, arrays, dim, kwargs):
    import xarray as xr

    from ..xr import apply_core

    ref = next(a for a in arrays if is_xarray(a))
    d = ref.dims[-1] if dim is None else dim
    other = [x for x in ref.dims if x != d]
    wrapped = []
    for a in arrays:
        if not is_xarray(a):  # numpy: categories last, batch axes = the DataArray's last ones
            a = np.asarray(a)
            if a.ndim == 0 or a.ndim - 1 > len(other):
                raise ValidationError(
                    f"a numpy input of shape {a.shape} does not fit the DataArray {ref.dims} "
                    "(categories last, at most its other dims before); pass it as a DataArray"
                )
            a = xr.DataArray(a, dims=(*other[len(other) - (a.ndim - 1):], d))
        wrapped.append(a)
    for a in wrapped:
        if d not in a.dims:
            raise ValidationError(
                f"`dim`={d!r} is not a dimension of every input (dims: "
                f"{', '.join(str(w.dims) for w in wrapped)}); pass the category dim's name"
            )
    wrapped = [a.chunk({d: -1}) if a.chunks is not None else a for a in wrapped]
    return apply_core(func, *wrapped, core_dims=[[d]] * len(wrapped),
                      kwargs=dict(kwargs, axis=-1, keepdims=False))


def _dask(func, arrays, axis, keepdims, kwargs):
    import dask.array as da

    kw = dict(kwargs, axis=-1, keepdims=False)
    arrays = [da.asarray(a) for a in arrays]
    sig = ",".join(["(k)"] * len(arrays)) + "->()"
    out = da.apply_gufunc(lambda *a: func(*a, **kw), sig, *arrays,
                          axes=[(axis,)] * len(arrays) + [()], output_dtypes=np.float64,
                          allow_rechunk=True)
    return da.expand_dims(out, axis) if keepdims else out


def reduction(*, names: tuple[str, ...] = ("p", "q"),
              check: Callable[..., dict] | None = None) -> Callable:
    """Decorator turning a divergence *body* into the public function.

    The body is ``body(rows: Rows, **options) -> ndarray (n,)``; its keyword-only options
    (``base``, ``values``...) become keyword-only options of the public function, after the
    inputs named ``names`` and before the common options (see :data:`COMMON_DOC`).
    ``check(**options) -> options`` validates the body's options before any dispatch, so that
    lazy (dask) inputs fail at the call, not at compute time. The docstring's ``{common}``
    line becomes the common options' documentation (skipped under ``python -OO``).
    """
    one = len(names) == 1
    common = {k: v for k, v in _COMMON_DEFAULTS.items() if not (one and k == "smooth")}

    def deco(body: Callable) -> Callable:
        own = [p for p in inspect.signature(body).parameters.values()
               if p.kind is inspect.Parameter.KEYWORD_ONLY]
        own_names = {p.name for p in own}
        allowed = own_names | set(common)
        fname = body.__name__

        @functools.wraps(body)
        def wrapper(*args: Any, **kwargs: Any):
            if len(args) < len(names) and all(n in kwargs for n in names[len(args):]):
                args = args + tuple(kwargs.pop(n) for n in names[len(args):])
            if len(args) != len(names):
                raise TypeError(f"{fname}() takes {len(names)} positional argument(s) "
                                f"({', '.join(names)}) but {len(args)} were given")
            bad = [k for k in kwargs if k not in allowed]
            if bad:
                raise TypeError(f"{fname}() got an unexpected keyword argument {bad[0]!r}")
            o = {k: kwargs.pop(k, v) for k, v in common.items()}
            if check is not None:
                kwargs = check(**kwargs)
            check_options(o["nan_policy"], o.get("smooth", "both"), o["smoothing"], o["sum_tol"],
                          o["axis"], o["normalize"], o["keepdims"])
            if any(is_xarray(a) for a in args):
                fwd = {k: v for k, v in o.items() if k != "dim"}
                return _labeled(wrapper, args, o["dim"], dict(fwd, **kwargs))
            if o["dim"] is not None:
                raise ValidationError("`dim=` needs xarray inputs; use `axis=` for numpy arrays")
            if any(is_dask_array(a) for a in args):
                fwd = {k: v for k, v in o.items() if k not in ("dim", "axis", "keepdims")}
                return _dask(wrapper, args, o["axis"], o["keepdims"], dict(fwd, **kwargs))
            p = as_input(args[0], names[0])
            q = p if one else as_input(args[1], names[1])
            pair_names = (names[0], names[0]) if one else tuple(names)
            P, Q, batch, K = _flat(p, q, o["axis"], pair_names)
            a = float(o["smoothing"])
            sm = o.get("smooth", "both")
            rows = Rows(P, Q, batch, K, pair_names, a if sm in ("both", "p") else 0.0,
                        a if sm in ("both", "q") else 0.0, bool(o["normalize"]),
                        o["nan_policy"], float(o["sum_tol"]))
            out = body(rows, **kwargs).reshape(batch)
            if o["keepdims"]:
                ax = o["axis"]
                out = np.expand_dims(out, ax if ax >= 0 else out.ndim + ax + 1)
            return scalar(out)

        params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
        params += own
        params += [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v)
                   for k, v in common.items()]
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        if wrapper.__doc__:  # None under python -OO
            doc = COMMON_DOC if not one else "\n".join(
                ln for ln in COMMON_DOC.split("\n") if "smooth :" not in ln and
                "Which argument the smoothing" not in ln)
            wrapper.__doc__ = wrapper.__doc__.replace("    {common}\n", doc + "\n")
        return wrapper

    return deco
