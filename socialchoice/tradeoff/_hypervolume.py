"""Exact hypervolume, exclusive contributions and comparisons under one reference point
(docs/tradeoff-jury.md §A3).

``HV(A; r)`` is the Lebesgue measure of the union of the boxes between the reference point ``r``
and the points of ``A``. Points that do not strictly dominate ``r`` contribute 0. The reference
point is mandatory: an array, or ``"nadir"`` (the componentwise worst value of the pooled sets,
moved further by ``nadir_offset * range``), and the one used is recorded on the result.
Rows holding a NaN are dropped per item and counted (``n_dropped``, §A1); ``+-inf`` is an error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._compat import renamed_parameters
from .._kernels import hypervolume as _kh
from ..errors import ValidationError
from ._input import as_objectives_nan, pair_shape
from ._registry import REGISTRY

__all__ = [
    "HypervolumeResult",
    "HypervolumeContributionsResult",
    "HypervolumeComparisonResult",
    "hypervolume",
    "hv_contributions",
    "compare_hypervolume",
]


@dataclass(frozen=True)
class HypervolumeResult:
    """Hypervolume of one point set per item.

    Attributes
    ----------
    value : float or ndarray, shape (...)
        The hypervolume (after normalisation when ``normalize``); a float without leading dims.
    ref : ndarray, shape (..., d)
        The reference point used, in the caller's orientation and units (before normalisation).
    ref_kind : str
        ``"given"`` or ``"nadir"``.
    maximise : ndarray of bool, shape (d,)
    normalize : bool
        Whether each objective was rescaled to [0, 1] by the pooled min and max first.
        (``.normalise`` is the deprecated spelling.)
    scale : ndarray or None, shape (..., d)
        With ``normalize``: the per-objective ranges ``max - min`` divided out (``value`` is the
        raw hypervolume divided by their product); otherwise None.
    n_dropped : int or ndarray of int, shape (...)
        Rows holding a NaN, left out of the item's point set (docs/tradeoff-jury.md §A1).
    """

    value: float | np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalize: bool
    scale: np.ndarray | None = None
    n_dropped: int | np.ndarray = 0

    def __float__(self) -> float:
        return float(self.value)

    @property
    def normalise(self) -> bool:
        """Deprecated spelling of :attr:`normalize`."""
        return _old_normalise(self)


@dataclass(frozen=True)
class HypervolumeContributionsResult:
    """Exclusive hypervolume contribution of every point.

    Attributes
    ----------
    contributions : ndarray, shape (..., n)
        ``HV(A) - HV(A without the point)``; 0 for dominated and duplicated points and for
        points that do not strictly dominate the reference point; NaN for the rows holding a
        NaN, which are dropped (they have no contribution and do not change the others').
    ref, ref_kind, maximise, normalize, scale, n_dropped
        As in :class:`HypervolumeResult`.
    ignore_dominated : bool
        Whether dominated points were left out of the other points' contributions.
    """

    contributions: np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalize: bool
    ignore_dominated: bool
    scale: np.ndarray | None = None
    n_dropped: int | np.ndarray = 0

    @property
    def normalise(self) -> bool:
        """Deprecated spelling of :attr:`normalize`."""
        return _old_normalise(self)


@dataclass(frozen=True)
class HypervolumeComparisonResult:
    """Hypervolumes of two point sets under one shared reference point (and normalisation).

    Attributes
    ----------
    a, b : float or ndarray, shape (...)
        Hypervolume of ``A`` and of ``B``.
    difference : float or ndarray
        ``a - b`` (positive: ``A`` covers more).
    ref, ref_kind, maximise, normalize, scale
        As in :class:`HypervolumeResult`; the nadir and the normalisation pool ``A`` and ``B``.
    n_dropped_a, n_dropped_b : int or ndarray of int, shape (...)
        Rows of ``A`` and of ``B`` holding a NaN, left out (docs/tradeoff-jury.md §A1).
    """

    a: float | np.ndarray
    b: float | np.ndarray
    difference: float | np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalize: bool
    scale: np.ndarray | None = None
    n_dropped_a: int | np.ndarray = 0
    n_dropped_b: int | np.ndarray = 0

    @property
    def normalise(self) -> bool:
        """Deprecated spelling of :attr:`normalize`."""
        return _old_normalise(self)


def _old_normalise(res: Any) -> bool:
    warnings.warn("`.normalise` is renamed `.normalize`; the old name will be removed",
                  DeprecationWarning, stacklevel=3)
    return res.normalize


def _pooled(sets: list[np.ndarray], hi: bool, nan: bool) -> np.ndarray:
    """Componentwise max (``hi``) or min over the points of every set, per item; with ``nan``
    the NaN rows are skipped (an item with no other row gives NaN)."""
    if nan:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN items: checked by callers
            f = np.nanmax if hi else np.nanmin
            return f(np.stack([f(s, axis=-2) for s in sets]), axis=0)
    f = np.max if hi else np.min
    return f(np.stack([f(s, axis=-2) for s in sets]), axis=0)


def _resolve_ref(ref: Any, sets: list[np.ndarray], mx: np.ndarray, lead: tuple,
                 nadir_offset: float, nan: bool = False) -> tuple[np.ndarray, str]:
    """The reference point in minimisation orientation, shape ``lead + (d,)``, and its kind.
    ``sets``: minimisation-oriented point sets already broadcast to ``lead`` (``nan``: some
    rows hold NaN and are skipped)."""
    d = mx.shape[0]
    if ref is None:
        raise ValidationError(
            "`ref` is required: pass a reference point (one value per objective, worse than every "
            "point of interest) or ref='nadir'; there is no default reference point"
        )
    if isinstance(ref, str):
        if ref != "nadir":
            raise ValidationError(f"`ref`={ref!r}; pass an array of {d} values or 'nadir'")
        if not (np.isfinite(nadir_offset) and nadir_offset >= 0):
            raise ValidationError(f"`nadir_offset`={nadir_offset!r}; pass a finite number >= 0")
        hi = _pooled(sets, True, nan)
        lo = _pooled(sets, False, nan)
        if nan and np.isnan(hi).any():
            raise ValidationError(
                "ref='nadir' is undefined for an item whose every row holds a NaN (all dropped); "
                "pass an explicit reference point"
            )
        return hi + nadir_offset * (hi - lo), "nadir"
    try:
        r = np.asarray(ref, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"`ref` must be numeric or 'nadir', got {ref!r}") from None
    if r.ndim == 0:
        r = np.full(d, float(r))
    if r.shape[-1] != d:
        raise ValidationError(
            f"`ref` has {r.shape[-1]} values but the points have d = {d} objectives; pass one "
            f"value per objective"
        )
    try:
        r = np.broadcast_to(r, lead + (d,))
    except ValueError:
        raise ValidationError(
            f"`ref` has shape {r.shape}, which does not broadcast to the items {lead}; pass shape "
            f"({d},) or one reference point per item {lead + (d,)}"
        ) from None
    if not np.all(np.isfinite(r)):
        raise ValidationError("`ref` holds a non-finite value; pass finite values")
    return np.where(mx, -r, r), "given"


def _normalize(sets: list[np.ndarray], r: np.ndarray,
               nan: bool = False) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    lo = _pooled(sets, False, nan)
    hi = _pooled(sets, True, nan)
    rng = hi - lo
    if not np.all(rng > 0):  # also False for NaN: an item with fewer than 2 usable rows
        raise ValidationError(
            "normalize=True needs every objective to vary over the pooled points (max > min, "
            "rows with NaN left out), but one is constant; pass normalize=False"
        )
    out = [(s - lo[..., None, :]) / rng[..., None, :] for s in sets]
    return out, (r - lo) / rng, rng


def _flat_c(X: np.ndarray) -> np.ndarray:
    """``X (..., n, d)`` as a writable C-contiguous ``(B, n, d)`` array (a read-only or strided
    one would compile another kernel signature); no copy when it already is one."""
    Xf = X.reshape((-1,) + X.shape[-2:])
    if not (Xf.flags.c_contiguous and Xf.flags.writeable and Xf.dtype == np.float64):
        Xf = np.array(Xf, dtype=np.float64, order="C")
    return Xf


def _ref_flat(r: np.ndarray, lead: tuple) -> np.ndarray:
    return np.array(np.broadcast_to(r, lead + r.shape[-1:]).reshape(-1, r.shape[-1]),
                    dtype=np.float64, order="C")  # a writable copy: one kernel signature


#: one item with d >= 4 and at least this many points: the sweep's parts run on threads
HV_THREADED_MIN_POINTS = 1000


def _hv_flat(X: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Hypervolume per item; rows holding a NaN are dropped by the kernel (they are not strictly
    inside the reference point: every comparison with NaN is false)."""
    Xf = _flat_c(X)
    rf = _ref_flat(r, X.shape[:-2])
    out = np.empty(Xf.shape[0])
    if Xf.shape[0] == 1 and Xf.shape[2] >= 4 and Xf.shape[1] >= HV_THREADED_MIN_POINTS:
        out[0] = _kh.hv_threaded(Xf[0], rf[0])  # the same sum as hv, bit for bit
    elif Xf.shape[0] == 1:
        out[0] = _kh.hv(Xf[0], rf[0])
    else:
        _kh.hv_batch(Xf, rf, out)
    return out


def _value(out: np.ndarray, lead: tuple) -> Any:
    return float(out[0]) if not lead else out.reshape(lead)


def _dropped(valid: np.ndarray | None, lead: tuple) -> Any:
    if valid is None:
        return 0 if not lead else np.zeros(lead, dtype=np.int64)
    nd = np.sum(~valid, axis=-1, dtype=np.int64)
    return int(nd) if not lead else nd


def _prepare(R: Any, ref: Any, maximise: Any, normalize: bool, nadir_offset: float):
    X, mx, valid = as_objectives_nan(R, maximise=maximise)
    lead = X.shape[:-2]
    nan = valid is not None
    r, kind = _resolve_ref(ref, [X], mx, lead, nadir_offset, nan)
    ref_out = np.where(mx, -r, r) + 0.0
    scale = None
    if normalize:
        (X,), r, scale = _normalize([X], r, nan)
    return X, r, mx, lead, kind, ref_out, scale, valid


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant",
                   oracle="moocore.hypervolume")
@renamed_parameters(normalise="normalize")
def hypervolume(R: Any, ref: Any, *, maximise: Any = True, normalize: bool = False,
                nadir_offset: float = 0.1) -> HypervolumeResult:
    """Exact hypervolume of each item's point set (docs/tradeoff-jury.md §A3).

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; leading dimensions are independent items. Rows holding a NaN
        are dropped (per item) and counted in ``n_dropped`` (§A1); ``+-inf`` is an error.
    ref : array_like of shape (d,) or (..., d), scalar, or "nadir"
        The reference point, worse than every point of interest (required: there is no default).
        ``"nadir"``: per item, the componentwise worst value moved further by
        ``nadir_offset * (worst - best)``; recorded on the result. A point that does not strictly
        dominate ``ref`` contributes 0.
    maximise : bool or sequence of bool, default True
    normalize : bool, default False
        Rescale each objective to [0, 1] with the item's min and max (the reference point with
        the same map) first, i.e. divide the hypervolume by the product of the ranges (§A3;
        ``moocore.normalise`` as oracle). Hypervolumes with different references or
        normalisations are not comparable: use :func:`compare_hypervolume`. ``normalise=`` is
        the deprecated spelling (DeprecationWarning).
    nadir_offset : float, default 0.1
        Used with ``ref="nadir"``.

    Returns
    -------
    HypervolumeResult

    Notes
    -----
    ``d = 2``: sort and add rectangles, ``O(n log n)``; ``d = 3``: staircase sweep along the
    third objective with the 2-D staircase in a bit-word sorted set, ``O(n log n)``; ``d >= 4``:
    a sweep along the last objective adding each point's exclusive contribution (its box minus
    the hypervolume of the earlier points limited to it, non-dominated ones only, one dimension
    down), ``O(n^2)`` filtering plus small sub-problems on fronts; one large item runs the
    sweep's parts on threads (same sum, bit for bit). All exact (floating-point sums of box
    volumes).

    Examples
    --------
    The worked examples of §A3:

    >>> import socialchoice as sc
    >>> sc.tradeoff.hypervolume([[1, 3], [2, 2], [3, 1], [3, 3]], [4, 4], maximise=False).value
    6.0
    >>> round(sc.tradeoff.hypervolume([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8], [0.5, 0.5]], [0, 0]).value, 12)
    0.46
    >>> sc.tradeoff.hypervolume([[1, 2, 3], [2, 1, 3], [3, 3, 1], [2, 2, 2]], [4, 4, 4], maximise=False).value
    13.0
    >>> res = sc.tradeoff.hypervolume([[1, 3], [3, 1]], "nadir", maximise=False)
    >>> res.ref_kind, res.ref.tolist(), res.value
    ('nadir', [3.2, 3.2], 0.8...)

    A row with a NaN is dropped and counted:

    >>> res = sc.tradeoff.hypervolume([[1, 3], [float("nan"), 1], [3, 1]], [4, 4], maximise=False)
    >>> res.value, res.n_dropped
    (5.0, 1)
    """
    X, r, mx, lead, kind, ref_out, scale, valid = _prepare(R, ref, maximise, normalize, nadir_offset)
    return HypervolumeResult(_value(_hv_flat(X, r), lead), ref_out, kind, mx, bool(normalize), scale,
                             _dropped(valid, lead))


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant",
                   oracle="moocore.hv_contributions")
@renamed_parameters(normalise="normalize")
def hv_contributions(R: Any, ref: Any, *, maximise: Any = True, ignore_dominated: bool = True,
                     normalize: bool = False, nadir_offset: float = 0.1) -> HypervolumeContributionsResult:
    """Exclusive hypervolume contribution of every point (docs/tradeoff-jury.md §A3).

    The contribution of ``x`` is ``HV(A) - HV(A without x)``: 0 for duplicated points (removing
    one copy changes nothing) and for dominated points, as ``moocore.hv_contributions``.

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Rows holding a NaN are dropped (contribution NaN, counted in ``n_dropped``); ``+-inf``
        is an error.
    ref : array_like or "nadir"
        As in :func:`hypervolume` (required).
    maximise : bool or sequence of bool, default True
    ignore_dominated : bool, default True
        True: dominated points are left out entirely (moocore's default). False: the definition
        above with every point present, so a point dominated by a single other point reduces
        that point's contribution (``O(n)`` hypervolumes; slow).
    normalize : bool, default False
        As in :func:`hypervolume` (``normalise=`` is the deprecated spelling).
    nadir_offset : float, default 0.1

    Returns
    -------
    HypervolumeContributionsResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> x = [[5, 1], [1, 5], [4, 2], [4, 4], [5, 1]]
    >>> sc.tradeoff.hv_contributions(x, [6, 6], maximise=False).contributions
    array([0., 3., 3., 0., 0.])
    >>> sc.tradeoff.hv_contributions(x, [6, 6], maximise=False, ignore_dominated=False).contributions
    array([0., 3., 2., 0., 0.])
    >>> sc.tradeoff.hv_contributions([[5, 1], [1, float("nan")], [4, 2]], [6, 6], maximise=False).contributions
    array([ 1., nan,  4.])
    """
    X, r, mx, lead, kind, ref_out, scale, valid = _prepare(R, ref, maximise, normalize, nadir_offset)
    n = X.shape[-2]
    Xf = _flat_c(X)
    rf = _ref_flat(r, lead)
    out = np.empty(Xf.shape[:2])
    if Xf.shape[0] == 1:
        _kh.hv_contributions(Xf[0], rf[0], bool(ignore_dominated), out[0])
    else:
        _kh.hv_contributions_batch(Xf, rf, bool(ignore_dominated), out)
    out = out.reshape(lead + (n,))
    if valid is not None:
        out[~valid] = np.nan
    return HypervolumeContributionsResult(out, ref_out, kind, mx, bool(normalize),
                                          bool(ignore_dominated), scale, _dropped(valid, lead))


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant")
@renamed_parameters(normalise="normalize")
def compare_hypervolume(A: Any, B: Any, ref: Any, *, maximise: Any = True, normalize: bool = False,
                        nadir_offset: float = 0.1) -> HypervolumeComparisonResult:
    """Hypervolumes of two point sets under one shared reference point (docs/tradeoff-jury.md §A3).

    The reference point (``"nadir"``: from ``A`` and ``B`` pooled) and, with ``normalize``,
    the min/max rescaling are common to both sets, so the two values are comparable.

    Parameters
    ----------
    A, B : array_like, shape (..., n_A, d) and (..., n_B, d)
        Point sets; leading (item) dimensions broadcast. Rows holding a NaN are dropped and
        counted (``n_dropped_a``, ``n_dropped_b``); ``+-inf`` is an error.
    ref : array_like or "nadir"
        Required; see :func:`hypervolume`.
    maximise : bool or sequence of bool, default True
    normalize : bool, default False
        As in :func:`hypervolume` (``normalise=`` is the deprecated spelling).
    nadir_offset : float, default 0.1

    Returns
    -------
    HypervolumeComparisonResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> c = sc.tradeoff.compare_hypervolume([[0.9, 0.2], [0.6, 0.6]], [[0.2, 0.8]], [0, 0])
    >>> round(c.a, 12), round(c.b, 12), round(c.difference, 12)
    (0.42, 0.16, 0.26)
    """
    XA, mx, va = as_objectives_nan(A, maximise=maximise, name="A")
    XB, _, vb = as_objectives_nan(B, maximise=maximise, name="B")
    lead = pair_shape(XA, XB)
    XA = np.broadcast_to(XA, lead + XA.shape[-2:])
    XB = np.broadcast_to(XB, lead + XB.shape[-2:])
    va = None if va is None else np.broadcast_to(va, lead + va.shape[-1:])
    vb = None if vb is None else np.broadcast_to(vb, lead + vb.shape[-1:])
    nan = va is not None or vb is not None
    r, kind = _resolve_ref(ref, [XA, XB], mx, lead, nadir_offset, nan)
    ref_out = np.where(mx, -r, r) + 0.0
    scale = None
    if normalize:
        (XA, XB), r, scale = _normalize([XA, XB], r, nan)
    a = _value(_hv_flat(XA, r), lead)
    b = _value(_hv_flat(XB, r), lead)
    return HypervolumeComparisonResult(a, b, a - b, ref_out, kind, mx, bool(normalize), scale,
                                       _dropped(va, lead), _dropped(vb, lead))
