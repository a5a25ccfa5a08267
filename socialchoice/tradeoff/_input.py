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

__all__ = ["as_objectives", "as_maximise"]


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

    Examples
    --------
    >>> X, mx = as_objectives([[1.0, 2.0], [3.0, 0.5]], maximise=[True, False])
    >>> X
    array([[-1. ,  2. ],
           [-3. ,  0.5]])
    >>> mx
    array([ True, False])
    """
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
    mx = as_maximise(maximise, d)
    X = np.array(a, dtype=np.float64, order="C", copy=True)
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValidationError(
            f"`{name}` holds a non-finite value at index {tuple(int(i) for i in bad)}; "
            f"objective values must be finite (drop rows with NaN or inf first)"
        )
    if mx.any():
        X[..., mx] *= -1.0
    return X, mx
