"""Divergences between discrete distributions (spec/divergences.md §1-3).

Every pairwise function takes ``p`` and ``q`` of shape ``(..., K)`` (the category axis is
``axis``, default -1), broadcasts them against each other, normalises counts
(``normalize=True``) or checks sums (``normalize=False``), applies optional additive
smoothing, and reduces the category axis with a parallel Numba kernel
(:mod:`socialchoice._kernels.divergence`). xarray inputs reduce the dimension ``dim`` through
``xarray.apply_ufunc(..., dask="parallelized")``, so dask-backed arrays are evaluated chunk by
chunk; raw dask arrays go through ``dask.array.apply_gufunc``.

NaN policy: ``"propagate"`` (default) returns NaN for a slice holding a NaN, ``"omit"`` drops
the categories that are NaN in either input and renormalises, ``"raise"`` raises. An all-zero
slice (nothing to normalise) returns NaN with an :class:`EmptyDistributionWarning`. These are
the only NaNs a result can hold.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._config import PROB_SUM_ATOL
from .._kernels import divergence as _kd
from .._registry import Registry
from .._validation import is_dask_array
from ..errors import DistributionError, ValidationError

__all__ = [
    "InfiniteDivergenceWarning",
    "EmptyDistributionWarning",
    "registry",
    "names",
    "get",
    "info",
    "kl",
    "jensen_shannon",
    "jensen_shannon_distance",
    "total_variation",
    "hellinger",
    "chi_square",
    "wasserstein_ordinal",
    "cramer",
    "energy",
    "brier",
    "expected_brier",
    "entropy",
    "ece",
]


class InfiniteDivergenceWarning(RuntimeWarning):
    """A divergence is +inf for some slices (a zero in the reference where the other is > 0)."""


class EmptyDistributionWarning(RuntimeWarning):
    """A slice is all zeros (or all NaN under ``nan_policy="omit"``); its result is NaN."""


registry = Registry("divergence", "divergence")


def names(family: str | None = None, **meta: Any) -> list[str]:
    """Registered divergence names, optionally filtered by family and metadata.

    Examples
    --------
    >>> import socialchoice as sc
    >>> "jensen_shannon" in sc.divergence.names()
    True
    >>> sorted(sc.divergence.names(metric=True))[:3]
    ['energy', 'hellinger', 'jensen_shannon_distance']
    """
    return registry.names(family, **meta)


def get(name: str) -> Callable[..., Any]:
    """The divergence function registered as ``name`` (or an alias such as ``"js"``)."""
    return registry.get(name)


def info(name: str):
    """The registry entry (function, aliases, metadata) of ``name``."""
    return registry.info(name)


_NAN_POLICIES = ("propagate", "omit", "raise")
_SMOOTH = ("both", "p", "q")


# --------------------------------------------------------------------------- boundary


def _as_input(x: Any, name: str) -> np.ndarray:
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


def _check_options(nan_policy: str, smooth: str, smoothing: float, sum_tol: float) -> None:
    if nan_policy not in _NAN_POLICIES:
        raise ValidationError(f"`nan_policy`={nan_policy!r}; use one of {_NAN_POLICIES}")
    if smooth not in _SMOOTH:
        raise ValidationError(f"`smooth`={smooth!r}; use one of {_SMOOTH}")
    if not (np.isfinite(smoothing) and smoothing >= 0):
        raise ValidationError(f"`smoothing`={smoothing!r}; pass a finite additive constant >= 0")
    if not (np.isfinite(sum_tol) and sum_tol >= 0):
        raise ValidationError(f"`sum_tol`={sum_tol!r}; pass a finite tolerance >= 0")


def _check_base(base: float | None, default: float) -> float:
    b = default if base is None else base
    try:
        b = float(b)
    except (TypeError, ValueError):
        raise ValidationError(f"`base`={base!r}; pass a positive number other than 1") from None
    if not (np.isfinite(b) and b > 0 and b != 1):
        raise ValidationError(f"`base`={base!r}; pass a positive number other than 1")
    return b


def _check_values(values: Any, K: int) -> np.ndarray:
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


def _flat(p: np.ndarray, q: np.ndarray, axis: int):
    """Move ``axis`` last, broadcast, and flatten to (n, K) / (nq, K) contiguous arrays."""
    if p.ndim == 0 or q.ndim == 0:
        raise ValidationError("`p` and `q` need a category axis")
    nd = max(p.ndim, q.ndim)  # axis refers to the broadcast shape, as in scipy
    if not -nd <= axis < nd:
        raise ValidationError(
            f"`axis`={axis} is out of range for `p` {p.shape} and `q` {q.shape}"
        )
    p = p.reshape((1,) * (nd - p.ndim) + p.shape)
    q = q.reshape((1,) * (nd - q.ndim) + q.shape)
    p = np.moveaxis(p, axis, -1)
    q = np.moveaxis(q, axis, -1)
    if p.shape[-1] != q.shape[-1]:
        raise DistributionError(
            f"`p` has {p.shape[-1]} categories and `q` has {q.shape[-1]} along axis {axis}; "
            "both must be over the same support (pad missing options with 0)"
        )
    K = p.shape[-1]
    if K == 0:
        raise DistributionError("`p` and `q` have no categories (length 0 along `axis`)")
    try:
        batch = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    except ValueError:
        raise ValidationError(
            f"`p` {p.shape[:-1]} and `q` {q.shape[:-1]} batch shapes do not broadcast"
        ) from None
    n = int(np.prod(batch)) if batch else 1

    def flat(a):
        if a.shape[:-1] == batch:
            return np.ascontiguousarray(a).reshape(n, K)
        if int(np.prod(a.shape[:-1])) == 1:
            return np.ascontiguousarray(a).reshape(1, K)
        return np.ascontiguousarray(np.broadcast_to(a, batch + (K,))).reshape(n, K)

    P, Q = flat(p), flat(q)
    if P.shape[0] == 1 and n > 1:  # the kernel broadcasts q only: swap roles is not allowed
        P = np.ascontiguousarray(np.broadcast_to(P, (n, K)))
    return P, Q, batch, K


def _first(flags: np.ndarray, bit: int, batch: tuple) -> tuple:
    i = int(np.flatnonzero(flags & bit)[0])
    return np.unravel_index(i, batch) if batch else ()


def _raise_flags(flags, names, batch, nan_policy, P, Q, sum_tol, smoothing_used):
    if flags.size == 0:
        return
    fl = int(np.bitwise_or.reduce(flags))
    if fl == 0:
        return
    for shift, name, arr in ((0, names[0], P), (_kd.QSHIFT, names[1], Q)):
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
                f"`{name}` contains inf (first in slice {at}); pass finite probabilities or counts"
            )
        if f & _kd.FLAG_NAN and nan_policy == "raise":
            at = _first(flags, _kd.FLAG_NAN << shift, batch)
            raise DistributionError(
                f"`{name}` contains NaN (first in slice {at}); drop it, or pass "
                "nan_policy='omit' to drop NaN categories or 'propagate' to return NaN"
            )
        if f & _kd.FLAG_SUM:
            bad = np.flatnonzero(flags & (_kd.FLAG_SUM << shift))
            rows = arr[bad] if arr.shape[0] > 1 else arr[:1]
            worst = float(np.nanmax(np.abs(np.nansum(rows, axis=-1) - 1.0)))
            at = _first(flags, _kd.FLAG_SUM << shift, batch)
            raise DistributionError(
                f"`{name}` does not sum to 1 (off by up to {worst:.3g}, first in slice {at}, "
                f"tolerance sum_tol={sum_tol:g}); pass probabilities, or normalize=True for counts"
            )
    zero = (fl & _kd.FLAG_ZERO) | ((fl >> _kd.QSHIFT) & _kd.FLAG_ZERO)
    if zero:
        cnt = int(np.count_nonzero(flags & (_kd.FLAG_ZERO | (_kd.FLAG_ZERO << _kd.QSHIFT))))
        warnings.warn(
            f"{cnt} slice(s) are all zero (or all NaN with nan_policy='omit') and cannot be "
            "normalised; their result is NaN",
            EmptyDistributionWarning,
            stacklevel=4,
        )


def _is_xarray(x: Any) -> bool:
    return type(x).__module__.split(".")[0] == "xarray"


def _apply_labeled(func, p, q, dim, kwargs):
    import xarray as xr

    if not _is_xarray(p):
        p = xr.DataArray(np.asarray(p), dims=q.dims[-np.ndim(p):] if np.ndim(p) else ())
    if not _is_xarray(q):
        q = xr.DataArray(np.asarray(q), dims=p.dims[-np.ndim(q):] if np.ndim(q) else ())
    d = p.dims[-1] if dim is None else dim
    if d not in p.dims or d not in q.dims:
        raise ValidationError(f"`dim`={d!r} is not a dimension of both `p` {p.dims} and `q` {q.dims}")
    kw = dict(kwargs, axis=-1, keepdims=False)
    return xr.apply_ufunc(
        func, p, q, input_core_dims=[[d], [d]], kwargs=kw, dask="parallelized",
        output_dtypes=[np.float64], dask_gufunc_kwargs={"allow_rechunk": True},
    )


def _apply_dask(func, p, q, axis, keepdims, kwargs):
    import dask.array as da

    kw = dict(kwargs, axis=-1, keepdims=False)
    out = da.apply_gufunc(
        lambda a, b: func(a, b, **kw), "(k),(k)->()", p, q, axes=[(axis,), (axis,), ()],
        output_dtypes=np.float64, allow_rechunk=True,
    )
    return da.expand_dims(out, axis) if keepdims else out


def _dispatch(func, p, q, axis, keepdims, dim, kwargs):
    """Route labelled and chunked inputs; returns None for plain numpy inputs."""
    if _is_xarray(p) or _is_xarray(q):
        return _apply_labeled(func, p, q, dim, kwargs)
    if dim is not None:
        raise ValidationError("`dim=` needs xarray inputs; use `axis=` for numpy arrays")
    if is_dask_array(p) or is_dask_array(q):
        import dask.array as da

        return _apply_dask(func, da.asarray(p), da.asarray(q), axis, keepdims, kwargs)
    return None


def _pairwise(kind, p, q, *, axis, keepdims, normalize, smoothing, smooth, nan_policy,
              sum_tol, values=None, names=("p", "q")):
    _check_options(nan_policy, smooth, smoothing, sum_tol)
    p = _as_input(p, names[0])
    q = _as_input(q, names[1])
    P, Q, batch, K = _flat(p, q, axis)
    pos = _check_values(values, K)
    ap = float(smoothing) if smooth in ("both", "p") else 0.0
    aq = float(smoothing) if smooth in ("both", "q") else 0.0
    n = P.shape[0]
    out = np.empty(n, np.float64)
    flags = np.empty(n, np.int16)
    short = (kind in (_kd.KL, _kd.JS, _kd.W1) and 2 <= K <= _kd.SHORT_ROWS_MAX_K
             and ap == 0.0 and aq == 0.0 and nan_policy != "omit" and P.size >= _kd.PARALLEL_MIN)
    # short rows: a kernel with K fixed at compile time; it declines (returns a count of)
    # rows needing flags or special values, and then the general kernel redoes the input
    if not short or _kd.short_rows_kernel(K)(kind, P, Q, bool(normalize), float(sum_tol),
                                             np.diff(pos), out, flags):
        kern = _kd.rows if P.size >= _kd.PARALLEL_MIN else _kd.rows_serial
        kern(kind, P, Q, ap, aq, bool(normalize), nan_policy == "omit", float(sum_tol),
             pos, out, flags)
    _raise_flags(flags, names, batch, nan_policy, P, Q, sum_tol, smoothing)
    out = out.reshape(batch)
    if keepdims:
        out = np.expand_dims(out, axis if axis >= 0 else out.ndim + axis + 1)
    return out


def _warn_inf(out, what: str) -> None:
    cnt = int(np.count_nonzero(np.isposinf(out)))
    if cnt:
        warnings.warn(
            f"{what} is +inf for {cnt} slice(s): the reference puts zero mass where the other "
            "distribution does not; pass smoothing=alpha (e.g. 0.5) for a finite value",
            InfiniteDivergenceWarning,
            stacklevel=3,
        )


def _ret(out):
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


_COMMON_DOC = """
    axis : int, default -1
        The category axis.
    keepdims : bool, default False
        Keep the reduced axis with length 1.
    normalize : bool, default True
        Divide each slice by its sum (accepts counts). With ``False`` the slices must sum to 1
        within ``sum_tol``, else :class:`~socialchoice.errors.DistributionError`.
    smoothing : float, default 0
        Additive (Lidstone) constant alpha added to every category before normalising:
        ``(c_k + alpha) / (n + K alpha)``.
    smooth : {"both", "p", "q"}
        Which argument the smoothing applies to.
    nan_policy : {"propagate", "omit", "raise"}
        NaN handling; ``"omit"`` drops categories that are NaN in either input.
    sum_tol : float
        Tolerance on the sums when ``normalize=False``.
    dim : str, optional
        Category dimension for xarray inputs (default: the last dimension of ``p``).

"""


def _doc(f):
    f.__doc__ = f.__doc__.replace("    {common}\n", _COMMON_DOC.lstrip("\n"))
    return f


def _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol):
    return dict(axis=axis, keepdims=keepdims, normalize=normalize, smoothing=smoothing,
                smooth=smooth, nan_policy=nan_policy, sum_tol=sum_tol)


# --------------------------------------------------------------------------- divergences


@registry.register(aliases=("kullback_leibler", "relative_entropy"), family="divergence",
                   metric=False, symmetric=False, lower=0.0, upper=math.inf,
                   oracle="scipy.special.rel_entr(p, q).sum(-1)")
@_doc
def kl(p, q, *, axis: int = -1, keepdims: bool = False, base: float | None = None,
       reverse: bool = False, normalize: bool = True, smoothing: float = 0.0,
       smooth: str = "both", nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
       dim: str | None = None):
    """Kullback–Leibler divergence ``KL(p || q) = sum_k p_k log(p_k / q_k)``.

    ``p log(p/0) = +inf`` for ``p > 0``: infinite slices are returned as ``inf`` together
    with an :class:`InfiniteDivergenceWarning` counting them; KL never smooths silently.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
        Probabilities or counts; broadcast against each other.
    base : float, optional
        Logarithm base (default e, nats).
    reverse : bool, default False
        Return ``KL(q || p)`` instead.
    {common}
    Returns
    -------
    ndarray or float
        ``p``/``q`` batch shape.

    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.kl([0.5, 0.5, 0], [0.25, 0.25, 0.5])), 12)
    0.69314718056
    >>> round(float(sc.divergence.kl([2, 1], [1, 1])), 12)   # counts are normalised
    0.056633012265
    """
    kw = dict(base=base, reverse=reverse, **_opts(axis, keepdims, normalize, smoothing, smooth,
                                                  nan_policy, sum_tol))
    r = _dispatch(kl, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    b = _check_base(base, math.e)
    if reverse:
        sm = {"p": "q", "q": "p", "both": "both"}[smooth] if smooth in _SMOOTH else smooth
        out = _pairwise(_kd.KL, q, p, axis=axis, keepdims=keepdims, normalize=normalize,
                        smoothing=smoothing, smooth=sm, nan_policy=nan_policy,
                        sum_tol=sum_tol, names=("q", "p"))
    else:
        out = _pairwise(_kd.KL, p, q, **_opts(axis, keepdims, normalize, smoothing, smooth,
                                               nan_policy, sum_tol))
    if b != math.e:
        out = out / math.log(b)
    _warn_inf(out, "KL divergence")
    return _ret(out)


@registry.register(aliases=("js", "jsd_divergence"), family="divergence", metric=False,
                   symmetric=True, lower=0.0, upper="log_base(2)",
                   oracle="scipy.spatial.distance.jensenshannon(p, q, base=b)**2")
@_doc
def jensen_shannon(p, q, *, axis: int = -1, keepdims: bool = False, base: float = 2,
                   normalize: bool = True, smoothing: float = 0.0, smooth: str = "both",
                   nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
                   dim: str | None = None):
    """Jensen–Shannon divergence ``½KL(p||m) + ½KL(q||m)``, ``m = (p + q)/2``.

    Bounded by ``log_base 2`` (1 in the default base 2). Note that
    :func:`scipy.spatial.distance.jensenshannon` returns the *distance* (the square root),
    see :func:`jensen_shannon_distance`.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    base : float, default 2
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.jensen_shannon([0.5, 0.5, 0], [0.25, 0.25, 0.5])), 12)
    0.311278124459
    """
    kw = dict(base=base, **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                 sum_tol))
    r = _dispatch(jensen_shannon, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    b = _check_base(base, 2.0)
    out = _pairwise(_kd.JS, p, q, **_opts(axis, keepdims, normalize, smoothing, smooth,
                                           nan_policy, sum_tol))
    out *= 1.0 / math.log(b)  # the kernels clamp round-off below 0 (p == q) to 0
    return _ret(out)


@registry.register(aliases=("jsd", "js_distance"), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="sqrt(log_base(2))",
                   oracle="scipy.spatial.distance.jensenshannon(p, q, base=b)")
@_doc
def jensen_shannon_distance(p, q, *, axis: int = -1, keepdims: bool = False, base: float = 2,
                            normalize: bool = True, smoothing: float = 0.0,
                            smooth: str = "both", nan_policy: str = "propagate",
                            sum_tol: float = PROB_SUM_ATOL, dim: str | None = None):
    """Jensen–Shannon distance ``sqrt(JS)``, a metric (GlobalOpinionQA's JSD).

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    base : float, default 2
        Logarithm base; scipy's default is e.
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.jensen_shannon_distance(p, q)), 12)
    0.285960838525
    """
    kw = dict(base=base, **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                 sum_tol))
    r = _dispatch(jensen_shannon_distance, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    out = jensen_shannon(p, q, **kw)
    if isinstance(out, np.ndarray):
        return _ret(np.sqrt(out, out=out))  # our own fresh array: no copy
    return _ret(np.sqrt(out))


@registry.register(aliases=("tv", "tvd"), family="divergence", metric=True, symmetric=True,
                   lower=0.0, upper=1.0, oracle="0.5 * np.abs(p - q).sum(-1)")
@_doc
def total_variation(p, q, *, axis: int = -1, keepdims: bool = False, normalize: bool = True,
                    smoothing: float = 0.0, smooth: str = "both",
                    nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
                    dim: str | None = None):
    """Total variation distance ``½ sum_k |p_k - q_k|``.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.total_variation([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.3
    """
    kw = _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol)
    r = _dispatch(total_variation, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_pairwise(_kd.TV, p, q, **kw))


@registry.register(family="divergence", metric=True, symmetric=True, lower=0.0, upper=1.0,
                   oracle="norm(sqrt(p) - sqrt(q)) / sqrt(2)")
@_doc
def hellinger(p, q, *, axis: int = -1, keepdims: bool = False, normalize: bool = True,
              smoothing: float = 0.0, smooth: str = "both", nan_policy: str = "propagate",
              sum_tol: float = PROB_SUM_ATOL, dim: str | None = None):
    """Hellinger distance ``||sqrt(p) - sqrt(q)||_2 / sqrt(2)``, in [0, 1].

    Computed from the differences of square roots (not ``sqrt(1 - BC)``), so it is exactly 0
    for equal inputs.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.hellinger([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.239962239223
    """
    kw = _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol)
    r = _dispatch(hellinger, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_pairwise(_kd.HELLINGER, p, q, **kw))


@registry.register(aliases=("chi2", "pearson"), family="divergence", metric=False,
                   symmetric=False, lower=0.0, upper=math.inf,
                   oracle="scipy.stats.chisquare(n*p, n*q).statistic / n")
@_doc
def chi_square(p, q, *, axis: int = -1, keepdims: bool = False, kind: str = "pearson",
               normalize: bool = True, smoothing: float = 0.0, smooth: str = "both",
               nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
               dim: str | None = None):
    """Pearson ``sum_k (p_k - q_k)² / q_k`` (q the reference), or Neyman (divide by p_k).

    A zero reference mass under a positive other mass gives ``+inf`` with an
    :class:`InfiniteDivergenceWarning`; terms with both zero contribute 0.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    kind : {"pearson", "neyman"}
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.chi_square(p, q)), 12), round(float(sc.divergence.chi_square(p, q, kind="neyman")), 12)
    (0.466666666667, 0.6)
    """
    kw = dict(kind=kind, **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                 sum_tol))
    r = _dispatch(chi_square, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    kinds = {"pearson": _kd.PEARSON, "neyman": _kd.NEYMAN}
    if kind not in kinds:
        raise ValidationError(f"`kind`={kind!r}; use 'pearson' or 'neyman'")
    out = _pairwise(kinds[kind], p, q, **_opts(axis, keepdims, normalize, smoothing, smooth,
                                                nan_policy, sum_tol))
    _warn_inf(out, f"{kind.title()} chi-square")
    return _ret(out)


def _ordinal(kind, p, q, values, normalized, kw):
    out = _pairwise(kind, p, q, values=values, **kw)
    if normalized:
        K = np.broadcast_shapes(np.shape(p), np.shape(q))[kw["axis"]]
        x = _check_values(values, K)
        span = float(x[-1] - x[0])
        if span == 0:
            raise ValidationError("`normalized=True` needs at least two ordinal positions")
        out = out / span
    return out


@registry.register(aliases=("w1", "wasserstein", "emd"), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="x_K - x_1", ordinal=True,
                   oracle="scipy.stats.wasserstein_distance(x, x, p, q)")
@_doc
def wasserstein_ordinal(p, q, *, axis: int = -1, keepdims: bool = False, values=None,
                        normalized: bool = False, normalize: bool = True,
                        smoothing: float = 0.0, smooth: str = "both",
                        nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
                        dim: str | None = None):
    """1-Wasserstein distance on an ordinal scale, ``sum_k |P_k - Q_k| (x_{k+1} - x_k)``.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
        Strictly increasing positions of the categories (default ``0..K-1``).
    normalized : bool, default False
        Divide by ``x_K - x_1`` (OpinionQA's ``W1/(N-1)``), giving a value in [0, 1].
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.wasserstein_ordinal(p, q)), 12)
    0.6
    >>> round(float(sc.divergence.wasserstein_ordinal(p, q, normalized=True)), 12)
    0.15
    """
    kw = dict(values=values, normalized=normalized,
              **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol))
    r = _dispatch(wasserstein_ordinal, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_ordinal(_kd.W1, p, q, values, normalized,
                         _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol)))


@registry.register(family="divergence", metric=False, symmetric=True, lower=0.0,
                   upper="x_K - x_1", ordinal=True,
                   oracle="scipy.stats.energy_distance(x, x, p, q)**2 / 2")
@_doc
def cramer(p, q, *, axis: int = -1, keepdims: bool = False, values=None,
           normalize: bool = True, smoothing: float = 0.0, smooth: str = "both",
           nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
           dim: str | None = None):
    """Cramér distance ``sum_k (P_k - Q_k)² (x_{k+1} - x_k)`` (squared L2 CDF distance).

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
        Strictly increasing positions (default ``0..K-1``).
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.cramer([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.14
    """
    kw = dict(values=values, **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                     sum_tol))
    r = _dispatch(cramer, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_pairwise(_kd.CRAMER, p, q, values=values,
                          **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                  sum_tol)))


@registry.register(aliases=("energy_distance",), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="sqrt(2 (x_K - x_1))", ordinal=True,
                   oracle="scipy.stats.energy_distance(x, x, p, q)")
@_doc
def energy(p, q, *, axis: int = -1, keepdims: bool = False, values=None,
           normalize: bool = True, smoothing: float = 0.0, smooth: str = "both",
           nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
           dim: str | None = None):
    """Energy distance ``sqrt(2 · cramer)``, equal to :func:`scipy.stats.energy_distance`.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.energy([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.529150262213
    """
    kw = dict(values=values, **_opts(axis, keepdims, normalize, smoothing, smooth, nan_policy,
                                     sum_tol))
    r = _dispatch(energy, p, q, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(np.sqrt(2.0 * cramer(p, q, **kw)))


@registry.register(aliases=("brier_score",), family="divergence", metric=False,
                   symmetric=True, lower=0.0, upper=2.0,
                   oracle="((q - y)**2).sum(-1); sklearn brier_score_loss for binary")
@_doc
def brier(q, y, *, axis: int = -1, keepdims: bool = False, binary: bool = False,
          normalize: bool = True, smoothing: float = 0.0, smooth: str = "both",
          nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
          dim: str | None = None):
    """Multiclass Brier score ``sum_k (q_k - y_k)²`` of a forecast ``q`` for outcome ``y``.

    ``y`` is a one-hot vector or a distribution of the same shape as ``q`` (then this is the
    "distributional Brier"), or integer class labels of the batch shape (``q.shape`` without
    ``axis``). With ``binary=True``, ``q`` is P(class 1) and ``y`` is 0/1, elementwise
    ``(q - y)²`` (half the two-class multiclass value, as scikit-learn).

    Parameters
    ----------
    q : array_like, shape (..., K)
        Forecast probabilities (or counts).
    y : array_like
        Outcomes: labels, one-hot rows or distributions.
    binary : bool, default False
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> float(sc.divergence.brier([0.7, 0.2, 0.1], 0))
    0.14
    >>> float(sc.divergence.brier(0.7, 1, binary=True))
    0.09
    """
    if binary:
        qq = _as_input(np.atleast_1d(q), "q").astype(np.float64).reshape(np.shape(q))
        yy = _as_input(np.atleast_1d(y), "y").astype(np.float64).reshape(np.shape(y))
        if ((qq < 0) | (qq > 1) | ~np.isfinite(qq)).any():
            raise DistributionError("`q` must hold probabilities in [0, 1] with binary=True")
        if not np.isin(yy, (0.0, 1.0)).all():
            raise ValidationError("`y` must hold 0/1 outcomes with binary=True")
        return _ret((qq - yy) ** 2)
    ya = np.asarray(y)
    qa = np.asarray(q) if not _is_xarray(q) else q
    if ya.dtype.kind in "biu" and not _is_xarray(q) and ya.ndim == np.ndim(qa) - 1:
        K = np.shape(qa)[axis]
        if ((ya < 0) | (ya >= K)).any():
            raise ValidationError(f"`y` holds labels outside 0..{K - 1}")
        onehot = np.zeros(ya.shape + (K,), np.float64)
        np.put_along_axis(onehot, ya[..., None].astype(np.intp), 1.0, axis=-1)
        y = np.moveaxis(onehot, -1, axis)
    kw = _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol)
    r = _dispatch(brier, q, y, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_pairwise(_kd.SQEUCLID, q, y, names=("q", "y"), **kw))


@registry.register(family="scoring", metric=False, symmetric=False, lower=0.0, upper=2.0,
                   oracle="sum (q-p)^2 + 1 - sum p^2")
@_doc
def expected_brier(q, p, *, axis: int = -1, keepdims: bool = False, normalize: bool = True,
                   smoothing: float = 0.0, smooth: str = "both",
                   nan_policy: str = "propagate", sum_tol: float = PROB_SUM_ATOL,
                   dim: str | None = None):
    """Expected Brier score of forecast ``q`` when outcomes are drawn from ``p``.

    ``E_{y~p} brier(q, y) = sum_k (q_k - p_k)² + 1 - sum_k p_k²``; the first term is the
    distributional Brier, the rest the irreducible part due to ``p``'s own spread.

    Parameters
    ----------
    q : array_like, shape (..., K)
        The forecast.
    p : array_like, shape (..., K)
        The distribution of the outcome.
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.expected_brier([.3, .3, .2, .1, .1], [.1, .2, .4, .2, .1])), 12)
    0.84
    """
    kw = _opts(axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol)
    r = _dispatch(expected_brier, q, p, axis, keepdims, dim, kw)
    if r is not None:
        return r
    return _ret(_pairwise(_kd.EXPECTED_BRIER, q, p, names=("q", "p"), **kw))


@registry.register(aliases=("shannon_entropy",), family="entropy", metric=False,
                   symmetric=False, lower=0.0, upper="log_base(K)",
                   oracle="scipy.stats.entropy(p, base=b)")
def entropy(p, *, axis: int = -1, keepdims: bool = False, base: float | None = None,
            normalize: bool = True, smoothing: float = 0.0, nan_policy: str = "propagate",
            sum_tol: float = PROB_SUM_ATOL, dim: str | None = None):
    """Shannon entropy ``-sum_k p_k log_b p_k`` (default base e).

    Parameters
    ----------
    p : array_like, shape (..., K)
    base : float, optional
    axis, keepdims, normalize, smoothing, nan_policy, sum_tol, dim
        As in :func:`kl`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> float(sc.divergence.entropy([0.5, 0.5], base=2))
    1.0
    """
    kw = dict(base=base, normalize=normalize, smoothing=smoothing, nan_policy=nan_policy,
              sum_tol=sum_tol)
    if _is_xarray(p):
        import xarray as xr

        d = p.dims[-1] if dim is None else dim
        return xr.apply_ufunc(entropy, p, input_core_dims=[[d]], kwargs=kw, dask="parallelized",
                              output_dtypes=[np.float64],
                              dask_gufunc_kwargs={"allow_rechunk": True})
    b = _check_base(base, math.e)
    out = _pairwise(_kd.ENTROPY, p, p, axis=axis, keepdims=keepdims, normalize=normalize,
                    smoothing=smoothing, smooth="both", nan_policy=nan_policy,
                    sum_tol=sum_tol, names=("p", "p"))
    if b != math.e:
        out = out / math.log(b)
    return _ret(out)


# --------------------------------------------------------------------------- calibration


def _bin_index(c: np.ndarray, bins, n_bins: int) -> tuple[np.ndarray, int]:
    N = c.shape[0]
    if isinstance(bins, str):
        if bins == "uniform":
            edges = np.arange(n_bins + 1, dtype=np.float64) / n_bins
            return np.searchsorted(edges[1:-1], c, side="left"), n_bins
        if bins == "quantile":
            order = np.argsort(c, kind="stable")
            ranks_bin = np.searchsorted((np.arange(1, n_bins) * N) // n_bins,
                                        np.arange(N), side="right")
            cs = c[order]
            _, first, inv = np.unique(cs, return_index=True, return_inverse=True)
            ranks_bin = ranks_bin[first][inv]  # ties at a boundary stay in the lower bin
            idx = np.empty(N, np.intp)
            idx[order] = ranks_bin
            return idx, n_bins
        raise ValidationError(f"`bins`={bins!r}; use 'uniform', 'quantile', an int or edges")
    if isinstance(bins, (int, np.integer)):
        return _bin_index(c, "uniform", int(bins))
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or not (np.diff(edges) > 0).all():
        raise ValidationError("`bins` edges must be a strictly increasing 1-D array of >= 2 values")
    if (c < edges[0]).any() or (c > edges[-1]).any():
        raise ValidationError(
            f"`confidence` has values outside the bin edges [{edges[0]}, {edges[-1]}]"
        )
    return np.searchsorted(edges[1:-1], c, side="left"), edges.size - 1


def _ece1(c, z, w, bins, n_bins, norm):
    idx, M = _bin_index(c, bins, n_bins)
    W = np.bincount(idx, weights=w, minlength=M)
    acc = np.bincount(idx, weights=w * z, minlength=M)
    conf = np.bincount(idx, weights=w * c, minlength=M)
    nz = W > 0
    gap = np.abs(acc[nz] / W[nz] - conf[nz] / W[nz])
    share = W[nz] / W.sum()
    if norm == "l1":
        return float(np.sum(share * gap))
    if norm == "l2":
        return float(np.sqrt(np.sum(share * gap**2)))
    return float(gap.max())


@registry.register(aliases=("expected_calibration_error",), family="calibration",
                   metric=False, symmetric=False, lower=0.0, upper=1.0)
def ece(confidence, correct, *, bins: Any = "uniform", n_bins: int = 15, norm: str = "l1",
        weights=None, classwise: bool = False) -> float:
    """Expected calibration error ``sum_b (W_b/W) |acc_b - conf_b|`` (spec §3).

    Parameters
    ----------
    confidence : array_like, shape (N,) or (N, K)
        Top-label confidences in [0, 1]; with ``classwise=True`` the per-class probabilities.
    correct : array_like, shape (N,)
        0/1 correctness; with ``classwise=True`` the integer true labels.
    bins : {"uniform", "quantile"}, int or array of edges
        ``"uniform"``: equal width, right-closed, ``c = 0`` in the first bin. ``"quantile"``:
        equal mass by rank, ties at a boundary stay in the lower bin. An int is ``"uniform"``
        with that many bins.
    n_bins : int, default 15
    norm : {"l1", "l2", "max"}
        ECE, RMS calibration error, or maximum calibration error (MCE).
    weights : array_like, shape (N,), optional
        Sample weights.
    classwise : bool
        Mean over classes k of the ECE of ``confidence[:, k]`` against ``label == k``.

    Returns
    -------
    float
        Biased upward for small N; see :func:`socialchoice.stats.bootstrap` for an interval.

    Examples
    --------
    >>> import socialchoice as sc
    >>> c = [.95, .92, .81, .78, .66, .62, .55, .51]; z = [1, 1, 0, 1, 1, 0, 1, 0]
    >>> round(sc.divergence.ece(c, z, n_bins=10), 12)
    0.1875
    >>> round(sc.divergence.ece(c, z, bins="quantile", n_bins=4), 12)
    0.1325
    """
    if norm not in ("l1", "l2", "max"):
        raise ValidationError(f"`norm`={norm!r}; use 'l1', 'l2' or 'max'")
    if not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValidationError(f"`n_bins`={n_bins!r}; pass a positive integer")
    c = _as_input(confidence, "confidence").astype(np.float64)
    z = np.asarray(correct)
    if z.dtype.kind not in "biuf":
        raise ValidationError(f"`correct` must be numeric, got dtype {z.dtype}")
    if not np.isfinite(c).all() or (c < 0).any() or (c > 1).any():
        raise ValidationError("`confidence` must hold finite probabilities in [0, 1]")
    N = c.shape[0]
    if z.shape != (N,):
        raise ValidationError(
            f"`correct` has shape {z.shape} but `confidence` has {N} samples; pass shape ({N},)"
        )
    if weights is None:
        w = np.ones(N)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (N,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
            raise ValidationError(
                f"`weights` must be {N} finite non-negative values with a positive sum"
            )
    if N == 0:
        raise ValidationError("`confidence` is empty")
    if classwise:
        if c.ndim != 2:
            raise ValidationError("`confidence` must be (N, K) probabilities with classwise=True")
        if z.dtype.kind not in "biu" or (z < 0).any() or (z >= c.shape[1]).any():
            raise ValidationError(f"`correct` must be labels in 0..{c.shape[1] - 1} with classwise=True")
        return float(np.mean([_ece1(c[:, k], (z == k).astype(np.float64), w, bins, n_bins, norm)
                              for k in range(c.shape[1])]))
    if c.ndim != 1:
        raise ValidationError("`confidence` must be 1-D (top-label confidences)")
    if not np.isin(z, (0, 1)).all():
        raise ValidationError("`correct` must hold 0/1 values")
    return _ece1(c, z.astype(np.float64), w, bins, n_bins, norm)
