"""Boundary of :mod:`socialchoice.bargaining`: validation, disagreement point, agent masks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import gains as _gains
from ..errors import ValidationError, WeightsError
from ..welfare import _as_utilities, _weights, normalize_utilities, resolve_disagreement

#: tolerance (relative to the utility scale) for "strictly better than d" and S_d membership
FEAS_TOL = 1e-9


@dataclass
class Problem:
    """A batch of bargaining problems, flattened to ``(B, n, m)``."""

    U: np.ndarray  # raw utilities (after normalisation), NaN kept, (B, n, m)
    X: np.ndarray  # gains U - d, NaN -> 0, (B, n, m), C-contiguous
    d: np.ndarray  # (B, n)
    w: np.ndarray  # raw weights, 0 for removed agents, (B, n)
    active: np.ndarray  # (B, n) bool
    n_used: np.ndarray  # (B,)
    batch: tuple
    scale: np.ndarray  # (B,) max |gain| per item (>= 1e-300)

    @property
    def B(self) -> int:
        return self.X.shape[0]

    @property
    def n(self) -> int:
        return self.X.shape[1]

    @property
    def m(self) -> int:
        return self.X.shape[2]

    def tol(self) -> np.ndarray:
        return FEAS_TOL * np.maximum(self.scale, 1.0)


def prepare(U: Any, *, disagreement: Any, weights: Any, normalize: str | None,
            agent_axis: int, axis: int) -> Problem:
    a = _as_utilities(U, agent_axis, axis)
    finite = bool(np.isfinite(a).all())
    if not finite and np.isinf(a).any():
        raise ValidationError("`U` contains inf; utilities must be finite (NaN marks a missing value)")
    w = _weights(weights, a.shape[:-1])
    if normalize not in (None, "disagreement", "range_disagreement") and not isinstance(disagreement, (str, tuple)):
        import warnings

        warnings.warn("a numeric `disagreement` is not transformed by normalize="
                      f"{normalize!r}; Nash and KS lose their invariance (spec §6.3)", UserWarning, stacklevel=3)
    a, dropped = normalize_utilities(a, normalize, disagreement, w)
    if dropped is not None:
        w = np.where(dropped, 0.0, w)
    if finite and normalize is None:
        nanrow = np.zeros(a.shape[:-1], dtype=bool)
        filled = a
    else:
        nanrow = np.isnan(a).any(axis=-1)
        w = np.where(nanrow, 0.0, w)
        filled = np.where(np.isnan(a), 0.0, a)
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    active = w > 0
    if not active.any(axis=-1).all():
        bad = np.argwhere(~active.any(axis=-1))[:5].tolist()
        raise WeightsError(
            f"no agent with positive weight and complete utilities in item(s) {bad}; "
            "give some agent a positive weight or impute missing utilities")
    flat = np.ascontiguousarray(filled.reshape(-1, n, m), dtype=np.float64)
    if normalize in ("disagreement", "range_disagreement"):
        d = np.zeros(a.shape[:-1])
        X = np.empty(flat.shape)
        scale = _gains.gains_from_point(flat, d.reshape(-1, n), X)
    elif isinstance(disagreement, str) and disagreement == "min" and not nanrow.any():
        X = np.empty(flat.shape)
        d, scale = _gains.gains_from_min(flat, X)  # one pass instead of min, subtract and max
        d = d.reshape(a.shape[:-1])
    else:
        src = filled if not nanrow.any() else np.where(nanrow[..., None], np.nan, filled)
        d = resolve_disagreement(src, disagreement, w)
        d = np.where(nanrow, 0.0, d)
        X = np.empty(flat.shape)
        scale = _gains.gains_from_point(flat, np.ascontiguousarray(d.reshape(-1, n), dtype=np.float64), X)
    if not active.all():
        X = np.where(active.reshape(-1, n)[..., None], X, 0.0)
        scale = np.maximum(np.abs(X).max(axis=(1, 2)), 1e-300)
    return Problem(U=a.reshape(-1, n, m), X=np.ascontiguousarray(X), d=d.reshape(-1, n),
                   w=w.reshape(-1, n), active=active.reshape(-1, n), n_used=active.sum(-1).reshape(-1),
                   batch=batch, scale=scale)


def check_over(over: str) -> str:
    if over in ("lottery", "lotteries"):
        return "lottery"
    if over in ("alternatives", "alternative"):
        return "alternatives"
    raise ValidationError(f"`over` must be 'alternatives' or 'lottery', got {over!r}")
