"""Exact hypervolume, exclusive contributions and comparisons under one reference point
(docs/tradeoff-jury.md §A3).

``HV(A; r)`` is the Lebesgue measure of the union of the boxes between the reference point ``r``
and the points of ``A``. Points that do not strictly dominate ``r`` contribute 0. The reference
point is mandatory: an array, or ``"nadir"`` (the componentwise worst value of the pooled sets,
moved further by ``nadir_offset * range``), and the one used is recorded on the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import hypervolume as _kh
from ..errors import ValidationError
from ._input import as_objectives
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
        The hypervolume (after normalisation when ``normalise``); a float without leading dims.
    ref : ndarray, shape (..., d)
        The reference point used, in the caller's orientation and units (before normalisation).
    ref_kind : str
        ``"given"`` or ``"nadir"``.
    maximise : ndarray of bool, shape (d,)
    normalise : bool
        Whether each objective was rescaled to [0, 1] by the pooled min and max first.
    scale : ndarray or None, shape (..., d)
        With ``normalise``: the per-objective ranges ``max - min`` divided out (``value`` is the
        raw hypervolume divided by their product); otherwise None.
    """

    value: float | np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalise: bool
    scale: np.ndarray | None = None

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class HypervolumeContributionsResult:
    """Exclusive hypervolume contribution of every point.

    Attributes
    ----------
    contributions : ndarray, shape (..., n)
        ``HV(A) - HV(A without the point)``; 0 for dominated and duplicated points and for
        points that do not strictly dominate the reference point.
    ref, ref_kind, maximise, normalise, scale
        As in :class:`HypervolumeResult`.
    ignore_dominated : bool
        Whether dominated points were left out of the other points' contributions.
    """

    contributions: np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalise: bool
    ignore_dominated: bool
    scale: np.ndarray | None = None


@dataclass(frozen=True)
class HypervolumeComparisonResult:
    """Hypervolumes of two point sets under one shared reference point (and normalisation).

    Attributes
    ----------
    a, b : float or ndarray, shape (...)
        Hypervolume of ``A`` and of ``B``.
    difference : float or ndarray
        ``a - b`` (positive: ``A`` covers more).
    ref, ref_kind, maximise, normalise, scale
        As in :class:`HypervolumeResult`; the nadir and the normalisation pool ``A`` and ``B``.
    """

    a: float | np.ndarray
    b: float | np.ndarray
    difference: float | np.ndarray
    ref: np.ndarray
    ref_kind: str
    maximise: np.ndarray
    normalise: bool
    scale: np.ndarray | None = None


def _resolve_ref(ref: Any, sets: list[np.ndarray], mx: np.ndarray, lead: tuple,
                 nadir_offset: float) -> tuple[np.ndarray, str]:
    """The reference point in minimisation orientation, shape ``lead + (d,)``, and its kind.
    ``sets``: minimisation-oriented point sets already broadcast to ``lead``."""
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
        hi = np.max([s.max(axis=-2) for s in sets], axis=0)
        lo = np.min([s.min(axis=-2) for s in sets], axis=0)
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


def _normalise(sets: list[np.ndarray], r: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    lo = np.min([s.min(axis=-2) for s in sets], axis=0)
    hi = np.max([s.max(axis=-2) for s in sets], axis=0)
    rng = hi - lo
    if not np.all(rng > 0):
        raise ValidationError(
            "normalise=True needs every objective to vary over the pooled points (max > min), "
            "but one is constant; pass normalise=False"
        )
    out = [(s - lo[..., None, :]) / rng[..., None, :] for s in sets]
    return out, (r - lo) / rng, rng


def _hv_flat(X: np.ndarray, r: np.ndarray) -> np.ndarray:
    Xf = np.array(X.reshape((-1,) + X.shape[-2:]), dtype=np.float64, order="C")  # writable
    rf = np.array(np.broadcast_to(r, X.shape[:-2] + r.shape[-1:]).reshape(-1, r.shape[-1]),
                  dtype=np.float64, order="C")  # a writable copy: one kernel signature
    out = np.empty(Xf.shape[0])
    if Xf.shape[0] == 1:
        out[0] = _kh.hv(Xf[0], rf[0])
    else:
        _kh.hv_batch(Xf, rf, out)
    return out


def _value(out: np.ndarray, lead: tuple) -> Any:
    return float(out[0]) if not lead else out.reshape(lead)


def _prepare(R: Any, ref: Any, maximise: Any, normalise: bool, nadir_offset: float):
    X, mx = as_objectives(R, maximise=maximise)
    lead = X.shape[:-2]
    r, kind = _resolve_ref(ref, [X], mx, lead, nadir_offset)
    ref_out = np.where(mx, -r, r) + 0.0
    scale = None
    if normalise:
        (X,), r, scale = _normalise([X], r)
    return X, r, mx, lead, kind, ref_out, scale


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant",
                   oracle="moocore.hypervolume")
def hypervolume(R: Any, ref: Any, *, maximise: Any = True, normalise: bool = False,
                nadir_offset: float = 0.1) -> HypervolumeResult:
    """Exact hypervolume of each item's point set (docs/tradeoff-jury.md §A3).

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; leading dimensions are independent items.
    ref : array_like of shape (d,) or (..., d), scalar, or "nadir"
        The reference point, worse than every point of interest (required: there is no default).
        ``"nadir"``: per item, the componentwise worst value moved further by
        ``nadir_offset * (worst - best)``; recorded on the result. A point that does not strictly
        dominate ``ref`` contributes 0.
    maximise : bool or sequence of bool, default True
    normalise : bool, default False
        Rescale each objective to [0, 1] with the item's min and max (the reference point with
        the same map) first, i.e. divide the hypervolume by the product of the ranges (§A3;
        ``moocore.normalise`` as oracle). Hypervolumes with different references or
        normalisations are not comparable: use :func:`compare_hypervolume`.
    nadir_offset : float, default 0.1
        Used with ``ref="nadir"``.

    Returns
    -------
    HypervolumeResult

    Notes
    -----
    ``d = 2``: sort and add rectangles, ``O(n log n)``; ``d = 3``: staircase sweep,
    ``O(n log n)``; ``d >= 4``: WFG-style recursion (fast for small fronts; exponential in ``d``
    in the worst case). All exact (floating-point sums of box volumes).

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
    """
    X, r, mx, lead, kind, ref_out, scale = _prepare(R, ref, maximise, normalise, nadir_offset)
    return HypervolumeResult(_value(_hv_flat(X, r), lead), ref_out, kind, mx, bool(normalise), scale)


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant",
                   oracle="moocore.hv_contributions")
def hv_contributions(R: Any, ref: Any, *, maximise: Any = True, ignore_dominated: bool = True,
                     normalise: bool = False, nadir_offset: float = 0.1) -> HypervolumeContributionsResult:
    """Exclusive hypervolume contribution of every point (docs/tradeoff-jury.md §A3).

    The contribution of ``x`` is ``HV(A) - HV(A without x)``: 0 for duplicated points (removing
    one copy changes nothing) and for dominated points, as ``moocore.hv_contributions``.

    Parameters
    ----------
    R : array_like, shape (..., n, d)
    ref : array_like or "nadir"
        As in :func:`hypervolume` (required).
    maximise : bool or sequence of bool, default True
    ignore_dominated : bool, default True
        True: dominated points are left out entirely (moocore's default). False: the definition
        above with every point present, so a point dominated by a single other point reduces
        that point's contribution (``O(n)`` hypervolumes; slow).
    normalise : bool, default False
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
    """
    X, r, mx, lead, kind, ref_out, scale = _prepare(R, ref, maximise, normalise, nadir_offset)
    n = X.shape[-2]
    Xf = np.array(X.reshape((-1,) + X.shape[-2:]), dtype=np.float64, order="C")
    rf = np.array(np.broadcast_to(r, lead + r.shape[-1:]).reshape(-1, r.shape[-1]), dtype=np.float64,
                  order="C")
    out = np.empty(Xf.shape[:2])
    if Xf.shape[0] == 1:
        _kh.hv_contributions(Xf[0], rf[0], bool(ignore_dominated), out[0])
    else:
        _kh.hv_contributions_batch(Xf, rf, bool(ignore_dominated), out)
    return HypervolumeContributionsResult(out.reshape(lead + (n,)), ref_out, kind, mx, bool(normalise),
                                          bool(ignore_dominated), scale)


@REGISTRY.register(family="hypervolume", input="points", scale="equivariant")
def compare_hypervolume(A: Any, B: Any, ref: Any, *, maximise: Any = True, normalise: bool = False,
                        nadir_offset: float = 0.1) -> HypervolumeComparisonResult:
    """Hypervolumes of two point sets under one shared reference point (docs/tradeoff-jury.md §A3).

    The reference point (``"nadir"``: from ``A`` and ``B`` pooled) and, with ``normalise``,
    the min/max rescaling are common to both sets, so the two values are comparable.

    Parameters
    ----------
    A, B : array_like, shape (..., n_A, d) and (..., n_B, d)
        Point sets; leading (item) dimensions broadcast.
    ref : array_like or "nadir"
        Required; see :func:`hypervolume`.
    maximise : bool or sequence of bool, default True
    normalise : bool, default False
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
    XA, mx = as_objectives(A, maximise=maximise, name="A")
    XB, _ = as_objectives(B, maximise=maximise, name="B")
    if XA.shape[-1] != XB.shape[-1]:
        raise ValidationError(
            f"`A` has d = {XA.shape[-1]} objectives but `B` has d = {XB.shape[-1]}; both sets "
            f"must have the same objectives (columns)"
        )
    try:
        lead = np.broadcast_shapes(XA.shape[:-2], XB.shape[:-2])
    except ValueError:
        raise ValidationError(
            f"the leading (item) dimensions of `A` {XA.shape[:-2]} and `B` {XB.shape[:-2]} do "
            f"not broadcast"
        ) from None
    XA = np.broadcast_to(XA, lead + XA.shape[-2:])
    XB = np.broadcast_to(XB, lead + XB.shape[-2:])
    r, kind = _resolve_ref(ref, [XA, XB], mx, lead, nadir_offset)
    ref_out = np.where(mx, -r, r) + 0.0
    scale = None
    if normalise:
        (XA, XB), r, scale = _normalise([XA, XB], r)
    a = _value(_hv_flat(XA, r), lead)
    b = _value(_hv_flat(XB, r), lead)
    return HypervolumeComparisonResult(a, b, a - b, ref_out, kind, mx, bool(normalise), scale)
