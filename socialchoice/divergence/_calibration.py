"""Calibration and scoring rules (docs/divergences.md §3): Brier scores and the expected
calibration error (ECE, RMS-CE, MCE).

The Brier scores are reductions over the category axis and go through the same
:func:`~socialchoice.divergence._dispatch.reduction` decorator as the divergences; the ECE bins
confidences and is computed with ``numpy.bincount``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._config import PROB_SUM_ATOL
from .._kernels import divergence as _kd
from ..errors import DistributionError, ValidationError
from ._dispatch import Rows, as_input, is_xarray, reduction, registry, scalar

__all__ = ["brier", "expected_brier", "ece"]


@reduction(names=("q", "y"))
def _brier_rows(x: Rows) -> np.ndarray:
    """Distributional Brier score of rows (the multiclass path of :func:`brier`).

    {common}"""
    return x.reduce(_kd.SQEUCLID)


@registry.register(aliases=("brier_score",), family="divergence", metric=False,
                   symmetric=True, lower=0.0, upper=2.0, input="distributions",
                   scale="invariant",
                   oracle="((q - y)**2).sum(-1); sklearn brier_score_loss for binary")
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
    axis, keepdims, normalize, smoothing, smooth, nan_policy, sum_tol, dim
        As in :func:`~socialchoice.divergence.kl`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> float(sc.divergence.brier([0.7, 0.2, 0.1], 0))
    0.14
    >>> float(sc.divergence.brier(0.7, 1, binary=True))
    0.09
    """
    opts = dict(axis=axis, keepdims=keepdims, normalize=normalize, smoothing=smoothing,
                smooth=smooth, nan_policy=nan_policy, sum_tol=sum_tol, dim=dim)
    if binary:
        qq = as_input(np.atleast_1d(q), "q").reshape(np.shape(q))
        yy = as_input(np.atleast_1d(y), "y").reshape(np.shape(y))
        if ((qq < 0) | (qq > 1) | ~np.isfinite(qq)).any():
            raise DistributionError("`q` must hold probabilities in [0, 1] with binary=True")
        if not np.isin(yy, (0.0, 1.0)).all():
            raise ValidationError("`y` must hold 0/1 outcomes with binary=True")
        try:
            return scalar(np.asarray((qq - yy) ** 2))
        except ValueError:
            raise ValidationError(
                f"`q` {qq.shape} and `y` {yy.shape} do not broadcast; pass one outcome per "
                "forecast") from None
    ya = np.asarray(y) if not is_xarray(y) else y
    if not is_xarray(q) and not is_xarray(y) and ya.dtype.kind in "biu" \
            and ya.ndim == np.ndim(q) - 1:
        qa = np.asarray(q)
        if not (isinstance(axis, (int, np.integer)) and -qa.ndim <= axis < qa.ndim):
            raise ValidationError(f"`axis`={axis!r} is out of range for `q` {qa.shape}")
        K = qa.shape[axis]
        if ((ya < 0) | (ya >= K)).any():
            raise ValidationError(f"`y` holds labels outside 0..{K - 1}; pass class indices")
        onehot = np.zeros(ya.shape + (K,), np.float64)
        np.put_along_axis(onehot, ya[..., None].astype(np.intp), 1.0, axis=-1)
        y = np.moveaxis(onehot, -1, axis)
    return _brier_rows(q, y, **opts)


@registry.register(family="scoring", metric=False, symmetric=False, lower=0.0, upper=2.0,
                   input="distributions", scale="invariant",
                   oracle="sum (q-p)^2 + 1 - sum p^2")
@reduction(names=("q", "p"))
def expected_brier(x: Rows) -> np.ndarray:
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
    return x.reduce(_kd.EXPECTED_BRIER)


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
    try:
        edges = np.asarray(bins, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"`bins`={bins!r}; use 'uniform', 'quantile', an int or edges") \
            from None
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
                   metric=False, symmetric=False, lower=0.0, upper=1.0, input="confidences",
                   scale=None)
def ece(confidence, correct, *, bins: Any = "uniform", n_bins: int = 15, norm: str = "l1",
        weights=None, classwise: bool = False) -> float:
    """Expected calibration error ``sum_b (W_b/W) |acc_b - conf_b|`` (docs/divergences.md §3).

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
        Biased upward for small N; for an interval resample the predictions (the unit the
        value averages) with :func:`socialchoice.stats.bootstrap`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> c = [.95, .92, .81, .78, .66, .62, .55, .51]; z = [1, 1, 0, 1, 1, 0, 1, 0]
    >>> round(sc.divergence.ece(c, z, n_bins=10), 12)
    0.1875
    >>> round(sc.divergence.ece(c, z, bins="quantile", n_bins=4), 12)
    0.1325
    """
    if not isinstance(norm, str) or norm not in ("l1", "l2", "max"):
        raise ValidationError(f"`norm`={norm!r}; use 'l1', 'l2' or 'max'")
    if isinstance(n_bins, (bool, np.bool_)) or not isinstance(n_bins, (int, np.integer)) \
            or n_bins < 1:
        raise ValidationError(f"`n_bins`={n_bins!r}; pass a positive integer")
    if isinstance(bins, (bool, np.bool_)) or (isinstance(bins, (int, np.integer)) and bins < 1):
        raise ValidationError(f"`bins`={bins!r}; pass a positive number of bins")
    c = as_input(confidence, "confidence")
    z = np.asarray(correct)
    if z.dtype.kind not in "biuf":
        raise ValidationError(f"`correct` must be numeric, got dtype {z.dtype}")
    N = c.shape[0]
    if N == 0:
        raise ValidationError("`confidence` is empty; pass at least one prediction")
    if not np.isfinite(c).all() or (c < 0).any() or (c > 1).any():
        raise ValidationError("`confidence` must hold finite probabilities in [0, 1]")
    if z.shape != (N,):
        raise ValidationError(
            f"`correct` has shape {z.shape} but `confidence` has {N} samples; pass shape ({N},)"
        )
    if weights is None:
        w = np.ones(N)
    else:
        try:
            w = np.asarray(weights, dtype=np.float64)
        except (TypeError, ValueError):
            w = np.full(1, np.nan)
        if w.shape != (N,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
            raise ValidationError(
                f"`weights` must be {N} finite non-negative values with a positive sum"
            )
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
