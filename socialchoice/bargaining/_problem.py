"""Boundary of :mod:`socialchoice.bargaining`: validation, disagreement point, agent masks, and
the scaling of the tolerance policy (docs/conventions.md §4).

The solvers never see the caller's units: :func:`prepare` shifts utilities by the disagreement
point and divides each item's gains by their largest magnitude ``unit`` (the range of the
shifted utilities together with the disagreement point), so every gain lies in ``[-1, 1]`` and
every feasibility, tie and convergence tolerance of the solvers and kernels is relative to the
problem's scale. Results are scaled back by the public layer (``welfare``, ``ideal``, ``gap``);
lotteries are invariant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import gains as _gains
from ..errors import ValidationError, WeightsError
from ..welfare._input import as_utilities as _as_utilities
from ..welfare._input import NORMALIZE, check_inf, check_option
from ..welfare._input import check_weights as _weights
from ..welfare._input import normalize_utilities, resolve_disagreement

#: tolerance (relative to the utility scale) for "strictly better than d" and S_d membership
FEAS_TOL = 1e-9
_NAN_POLICIES = ("raise", "omit", "propagate")


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
    scale: np.ndarray  # (B,) max |gain| per item of the scaled problem: 1 (0 when all gains are 0)
    unit: np.ndarray  # (B,) the caller's gains are ``X * unit``
    missing: np.ndarray  # (B,) bool: items whose result is NaN (nan_policy="propagate")

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
        """Feasibility tolerance per item; gains are scaled to ``[-1, 1]``, so it is relative."""
        return np.full(self.B, FEAS_TOL)

    def gains_to_utilities(self, a: np.ndarray) -> np.ndarray:
        """Scaled gains ``(B, n)`` back to the caller's utilities (``a * unit + d``)."""
        return a * self.unit[:, None] + self.d


def prepare(U: Any, *, disagreement: Any, weights: Any, normalize: str | None,
            agent_axis: int, axis: int, nan_policy: str = "raise") -> Problem:
    check_option(nan_policy, "nan_policy", _NAN_POLICIES)
    check_option(normalize, "normalize", NORMALIZE)
    a = _as_utilities(U, agent_axis, axis)
    finite = bool(np.isfinite(a).all())
    if not finite:
        check_inf(a)
    w = _weights(weights, a.shape[:-1])
    if normalize not in (None, "disagreement", "range_disagreement") and not isinstance(disagreement, (str, tuple)):
        import warnings

        warnings.warn("a numeric `disagreement` is not transformed by normalize="
                      f"{normalize!r}; Nash and KS lose their invariance (docs/welfare-bargaining.md §6.3)", UserWarning, stacklevel=3)
    a, dropped = normalize_utilities(a, normalize, disagreement, w)
    if dropped is not None:
        w = np.where(dropped, 0.0, w)
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    missing = np.zeros(batch, dtype=bool)
    if finite and normalize is None:
        nanrow = np.zeros(a.shape[:-1], dtype=bool)
        filled = a
    else:
        nanrow = np.isnan(a).any(axis=-1)
        bad = nanrow & (w > 0)
        if bad.any() and nan_policy == "raise":
            where = np.argwhere(bad)[:5]
            cells = ", ".join(f"agent {int(ix[-1])}" + (f" in item {tuple(int(v) for v in ix[:-1])}" if batch else "")
                              for ix in where)
            raise ValidationError(
                f"`U` has missing utilities (NaN) for {cells}{' ...' if bad.sum() > 5 else ''}; pass "
                "nan_policy='omit' to leave such an agent out of that item, nan_policy='propagate' "
                "for a NaN result for that item, or impute the utilities")
        if nan_policy == "propagate":
            missing = bad.any(axis=-1)
            nanrow = nanrow & ~missing[..., None]  # a missing item keeps its agents (result NaN)
        w = np.where(nanrow, 0.0, w)
        filled = np.where(np.isnan(a), 0.0, a)
        if missing.any():  # a benign stand-in problem; its answer is replaced by NaN
            filled = np.where(missing[..., None, None], 0.0, filled)
    active = w > 0
    if not active.any(axis=-1).all():
        bad = np.argwhere(~active.any(axis=-1))[:5].tolist()
        raise WeightsError(
            f"no agent with positive weight and complete utilities in item(s) {bad}; "
            "give some agent a positive weight or impute missing utilities")
    flat = np.ascontiguousarray(filled.reshape(-1, n, m), dtype=np.float64)
    all_active = bool(active.all())
    if normalize in ("disagreement", "range_disagreement"):
        d = np.zeros(a.shape[:-1])
        X = np.empty(flat.shape)
        scale = _gains.gains_from_point(flat, d.reshape(-1, n), X, all_active)
    elif isinstance(disagreement, str) and disagreement == "min" and not nanrow.any():
        X = np.empty(flat.shape)
        d, scale = _gains.gains_from_min(flat, X, all_active)  # one pass instead of min, subtract and max
        d = d.reshape(a.shape[:-1])
    else:
        src = filled if not nanrow.any() else np.where(nanrow[..., None], np.nan, filled)
        d = resolve_disagreement(src, disagreement, w)
        d = np.where(nanrow, 0.0, d)
        if missing.any():
            d = np.where(missing[..., None], -1.0, d)
        X = np.empty(flat.shape)
        scale = _gains.gains_from_point(flat, np.ascontiguousarray(d.reshape(-1, n), dtype=np.float64), X,
                                        all_active)
    if not all_active:
        X = np.where(active.reshape(-1, n)[..., None], X, 0.0)
        scale = np.abs(X).max(axis=(1, 2))
    # the tolerance policy: solve on gains scaled to [-1, 1]; every solver tolerance is relative
    # (the kernels above already divided when every agent is active)
    ok = (scale > 0) & np.isfinite(scale)
    unit = np.where(ok, scale, 1.0)
    if not all_active:
        X /= unit[:, None, None]
    if missing.any():
        X[missing.reshape(-1)] = 1.0
    return Problem(U=a.reshape(-1, n, m), X=np.ascontiguousarray(X), d=d.reshape(-1, n),
                   w=w.reshape(-1, n), active=active.reshape(-1, n), n_used=active.sum(-1).reshape(-1),
                   batch=batch, scale=np.where(ok, 1.0, 0.0), unit=unit, missing=missing.reshape(-1))


def check_over(over: str) -> str:
    check_option(over, "over", ("alternatives", "lottery", "alternative", "lotteries"))
    return "lottery" if over in ("lottery", "lotteries") else "alternatives"
