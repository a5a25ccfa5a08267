"""Input validation shared by the trade-off family (docs/tradeoff-jury.md §A1).

Objective vectors are rows: ``R`` has shape ``(..., n_points, d)``; leading dimensions are
independent items. ``maximise`` is a bool or one bool per objective. Kernels minimise, so every
maximised column is negated here, once, on a private copy (the caller's array is never
touched).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ValidationError

__all__ = ["as_objectives", "as_objectives_nan", "as_maximise"]


def as_maximise(maximise: Any, d: int, *, name: str = "maximise") -> np.ndarray:
    """``maximise`` as a bool array of shape ``(d,)``.

    A single bool applies to every objective; otherwise one bool (or 0/1) per objective.

    >>> as_maximise(True, 3)
    array([ True,  True,  True])
    >>> as_maximise([True, False], 2)
    array([ True, False])
    """
    if isinstance(maximise, (bool, np.bool_)):
        return np.full(d, bool(maximise))
    try:
        m = np.asarray(maximise)
    except Exception:
        m = np.asarray([], dtype=object)
    if m.dtype == object or m.dtype.kind not in "biu":
        raise ValidationError(
            f"`{name}` must be a bool or one bool per objective, got {maximise!r}; pass e.g. "
            f"{name}=True or {name}=[True, False, ...] with {d} entries"
        )
    if m.ndim == 0:
        if m.dtype.kind != "b" and int(m) not in (0, 1):
            raise ValidationError(f"`{name}` must be a bool, got {maximise!r}")
        return np.full(d, bool(m))
    if m.ndim != 1 or m.shape[0] != d:
        raise ValidationError(
            f"`{name}` has shape {m.shape} but the points have d = {d} objectives; pass one bool "
            f"per objective (length {d}) or a single bool"
        )
    if m.dtype.kind != "b" and not np.all((m == 0) | (m == 1)):
        raise ValidationError(f"`{name}` must hold booleans (or 0/1), got {maximise!r}")
    return m.astype(bool)


def _validated(R: Any, name: str, min_points: int) -> np.ndarray:
    try:
        a = np.asarray(R)
    except Exception:
        raise ValidationError(
            f"`{name}` is ragged or not numeric; pass a rectangular array of shape (..., n, d)"
        ) from None
    if a.dtype == object or a.dtype.kind not in "biuf":
        raise ValidationError(
            f"`{name}` must be a numeric array of objective vectors (rows), got dtype {a.dtype}"
        )
    if a.dtype.kind == "b":
        raise ValidationError(
            f"`{name}` is boolean; objective values must be numbers (cast it with "
            f"{name}.astype(float) if 0/1 objectives are meant)"
        )
    if a.ndim < 2:
        raise ValidationError(
            f"`{name}` must have shape (..., n_points, d) with at least 2 dimensions, got shape "
            f"{a.shape}; a single point x is passed as [x]"
        )
    n, d = a.shape[-2], a.shape[-1]
    if d < 1:
        raise ValidationError(f"`{name}` has d = 0 objectives (shape {a.shape}); need d >= 1")
    if n < min_points:
        raise ValidationError(
            f"`{name}` has {n} points (shape {a.shape}); need at least {min_points}"
        )
    return a


def _orient(a: np.ndarray, maximise: Any) -> tuple[np.ndarray, np.ndarray]:
    mx = as_maximise(maximise, a.shape[-1])
    X = np.array(a, dtype=np.float64, order="C", copy=True)
    if mx.all():
        np.negative(X, out=X)
    elif mx.any():
        X[..., mx] *= -1.0
    return X, mx


def _first_bad(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def as_objectives(R: Any, *, maximise: Any, name: str = "R",
                  min_points: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Validate objective vectors and orient them for minimisation.

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; leading dimensions are items.
    maximise : bool or sequence of bool
        Whether each objective is maximised (a single bool applies to all).
    name : str
        The argument's name, used in error messages.
    min_points : int
        Smallest allowed ``n`` (1; 0 lets empty point sets through).

    Returns
    -------
    X : ndarray of float64, shape (..., n, d)
        A C-contiguous private copy in which every maximised column is negated, so that
        smaller is better in every objective (docs/tradeoff-jury.md §A1).
    maximise : ndarray of bool, shape (d,)

    Raises
    ------
    ValidationError
        ``R`` is not numeric, is boolean, has fewer than 2 dimensions, no objectives, fewer than
        ``min_points`` points or non-finite values; ``maximise`` has the wrong length.
        (:func:`as_objectives_nan` is the variant that drops rows holding NaN.)

    Examples
    --------
    >>> X, mx = as_objectives([[1.0, 2.0], [3.0, 0.5]], maximise=[True, False])
    >>> X
    array([[-1. ,  2. ],
           [-3. ,  0.5]])
    >>> mx
    array([ True, False])
    """
    a = _validated(R, name, min_points)
    X, mx = _orient(a, maximise)
    if not np.isfinite(X).all():
        bad = _first_bad(~np.isfinite(X))
        raise ValidationError(
            f"`{name}` holds a non-finite value at index {bad}; "
            f"objective values must be finite (drop rows with NaN or inf first)"
        )
    return X, mx


def as_objectives_nan(R: Any, *, maximise: Any, name: str = "R",
                      min_points: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """:func:`as_objectives` for the members that drop rows holding NaN (docs/tradeoff-jury.md
    §A1: "rows containing NaN are dropped and counted in the result").

    NaN marks a missing objective value: the whole row is then left out, per item. ``+-inf``
    stays an error: an infinite objective value has no finite box to the reference point (the
    hypervolume would be infinite or undefined) and makes every other point look dominated or
    non-dominated by it, which is never what a missing or failed measurement means.

    Returns
    -------
    X : ndarray of float64, shape (..., n, d)
        As :func:`as_objectives`; a row holding a NaN is NaN in every column (so that
        NaN-skipping reductions such as ``np.nanmin`` skip whole rows).
    maximise : ndarray of bool, shape (d,)
    valid : ndarray of bool, shape (..., n), or None
        False for the rows holding a NaN; None when no row does (the common, fast case).

    Examples
    --------
    >>> X, mx, valid = as_objectives_nan([[1.0, 2.0], [float("nan"), 0.5]], maximise=True)
    >>> valid
    array([ True, False])
    >>> as_objectives_nan([[1.0, 2.0]], maximise=True)[2] is None
    True
    """
    a = _validated(R, name, min_points)
    X, mx = _orient(a, maximise)
    if np.isfinite(X).all():
        return X, mx, None
    if np.isinf(X).any():
        bad = _first_bad(np.isinf(X))
        raise ValidationError(
            f"`{name}` holds an infinite value at index {bad}; objective values must be finite "
            f"(an infinite value has no finite box to the reference point and dominates or is "
            f"dominated by every point). Replace it by NaN to drop the row (counted in the "
            f"result), or by a finite bound"
        )
    valid = ~np.isnan(X).any(axis=-1)
    X[~valid] = np.nan
    return X, mx, valid


def pair_shape(XA: np.ndarray, XB: np.ndarray) -> tuple[int, ...]:
    """The broadcast leading (item) shape of two point sets ``A`` and ``B`` with the same
    objectives, or a ValidationError naming the mismatch."""
    if XA.shape[-1] != XB.shape[-1]:
        raise ValidationError(
            f"`A` has d = {XA.shape[-1]} objectives but `B` has d = {XB.shape[-1]}; both sets "
            f"must have the same objectives (columns)"
        )
    try:
        return np.broadcast_shapes(XA.shape[:-2], XB.shape[:-2])
    except ValueError:
        raise ValidationError(
            f"the leading (item) dimensions of `A` {XA.shape[:-2]} and `B` {XB.shape[:-2]} do "
            f"not broadcast; pass one set per item in each, or a single set to share"
        ) from None
