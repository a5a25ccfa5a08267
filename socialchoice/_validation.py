"""Validation helpers for the public boundary.

Each helper takes the argument's name so that its error says which argument is wrong and how
to fix it. None of these run inside kernels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import DistributionError, ProfileError, ValidationError, WeightsError

__all__ = [
    "as_float_array",
    "check_finite",
    "check_weights",
    "check_labels",
    "check_axis",
    "readonly",
    "is_dask_array",
]


def is_dask_array(x: Any) -> bool:
    """True for a dask array (without importing dask)."""
    return type(x).__module__.split(".")[0] == "dask"


def readonly(a: np.ndarray) -> np.ndarray:
    """Return ``a`` marked read-only (callers pass a private copy)."""
    a.flags.writeable = False
    return a


def as_float_array(x: Any, name: str, *, min_ndim: int = 0, dtype=np.float64,
                   allow_bool: bool = True, error: type = ValidationError,
                   what: str = "a rectangular numeric array") -> np.ndarray:
    """Convert to a float array, raising ``error`` that names ``name`` and says what to pass
    (``what``) when that is impossible; booleans are refused unless ``allow_bool``. No copy
    when ``x`` already is an array of ``dtype``."""
    if x is None or isinstance(x, (str, bytes)):
        raise error(f"`{name}` must be numeric, got {x!r}; pass {what}")
    try:
        a = np.asarray(x)
    except Exception:  # ragged lists and the like
        raise error(f"`{name}` is ragged or not numeric; pass {what}") from None
    if a.dtype == object:
        raise error(f"`{name}` is ragged or holds non-numeric objects; pass {what}")
    if a.dtype.kind not in ("biuf" if allow_bool else "iuf"):
        raise error(f"`{name}` must be numeric (not {a.dtype}); pass {what}")
    if a.ndim < min_ndim:
        raise error(f"`{name}` must have at least {min_ndim} dimensions, got shape {a.shape}")
    return a.astype(dtype, copy=False)


def check_finite(a: np.ndarray, name: str, *, allow_nan: bool = False) -> None:
    """Raise if ``a`` holds inf (or NaN unless ``allow_nan``)."""
    if a.dtype.kind != "f":
        return
    if allow_nan:
        if np.isinf(a).any():
            raise ValidationError(f"`{name}` contains inf; replace it by a finite value or NaN")
    elif not np.isfinite(a).all():
        bad = "NaN" if np.isnan(a).any() else "inf"
        raise ValidationError(
            f"`{name}` contains {bad}; pass finite values (drop or impute missing entries)"
        )


def check_weights(
    weights: Any, shape: tuple[int, ...], name: str = "weights", *, what: str = "voter"
) -> np.ndarray | None:
    """Validate weights for arrays whose voter axis is the last of ``shape``.

    ``weights`` may have shape ``shape`` or ``shape[-1:]`` (broadcast over items). Returns a
    read-only float64 array broadcast to ``shape``, or ``None`` for unit weights.
    """
    if weights is None:
        return None
    w = np.asarray(weights)
    if w.dtype == object or w.dtype.kind not in "biuf":
        raise WeightsError(f"`{name}` must be a numeric array, got dtype {w.dtype}")
    w = w.astype(np.float64)
    if w.shape != tuple(shape) and w.shape != tuple(shape[-1:]):
        raise WeightsError(
            f"`{name}` has shape {w.shape} but there are {shape[-1]} {what}s"
            + (f" in a batch of shape {shape[:-1]}" if len(shape) > 1 else "")
            + f"; pass one weight per {what}, shape {shape[-1:]} or {tuple(shape)}"
        )
    if not np.isfinite(w).all():
        raise WeightsError(f"`{name}` contains NaN or inf; weights must be finite and >= 0")
    if (w < 0).any():
        raise WeightsError(
            f"`{name}` contains negative values (min {w.min()}); weights must be >= 0"
        )
    w = np.ascontiguousarray(np.broadcast_to(w, shape), dtype=np.float64).copy()
    if w.shape[-1] and (w.max(axis=-1) == 0).any():  # max, not sum: a sum can overflow
        raise WeightsError(
            f"`{name}` sums to zero for at least one item; give some {what} a positive weight"
        )
    return readonly(w)


def check_labels(labels: Any, n: int, name: str) -> tuple:
    """Validate a sequence of ``n`` unique hashable labels; default ``0..n-1``."""
    if labels is None:
        return tuple(range(n))
    if isinstance(labels, (str, bytes)):
        raise ValidationError(f"`{name}` must be a sequence of labels, not a single string")
    labels = tuple(np.asarray(labels).tolist()) if isinstance(labels, np.ndarray) else tuple(labels)
    if len(labels) != n:
        raise ValidationError(f"`{name}` has {len(labels)} labels but the data has {n}; pass {n}")
    if len(set(labels)) != n:
        seen: set = set()
        dup = None
        for x in labels:
            if x in seen:
                dup = x
                break
            seen.add(x)
        raise ValidationError(f"`{name}` contains the label {dup!r} more than once; labels must be unique")
    return labels


def check_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Normalise a possibly negative axis."""
    if not isinstance(axis, (int, np.integer)) or not -ndim <= axis < ndim:
        raise ValidationError(f"`{name}`={axis!r} is out of range for an array with {ndim} dims")
    return int(axis) % ndim


def check_probability(
    p: np.ndarray, name: str, *, axis: int = -1, normalize: bool = False, atol: float = 1e-6
) -> np.ndarray:
    """Check non-negative entries summing to one along ``axis`` (or normalise counts)."""
    if (p < 0).any():
        raise DistributionError(f"`{name}` has negative entries; probabilities must be >= 0")
    s = p.sum(axis=axis, keepdims=True)
    if normalize:
        if (s == 0).any():
            raise DistributionError(f"`{name}` has a row of zeros that cannot be normalised")
        return p / s
    if not np.allclose(s, 1.0, rtol=0, atol=atol):
        worst = float(np.abs(s - 1).max())
        raise DistributionError(
            f"`{name}` does not sum to 1 along axis {axis} (off by up to {worst:.3g}); "
            "pass probabilities, or normalize=True for counts"
        )
    return p


def check_sequence_of_ints(x: Sequence, name: str) -> None:
    for v in x:
        if not isinstance(v, (int, np.integer)):
            raise ProfileError(f"`{name}` must contain integers, got {v!r}")
