"""Trade-off steerability (docs/tradeoff-jury.md §A5).

A model is asked for the trade-off ``λ`` from a design grid ``Λ ⊂ Δ_d`` and answers with a
response whose objective vector is ``r(λ)``. For one item (prompt) the inputs are the grid
``weights`` (shape ``(K, d)``) and ``achieved`` (shape ``(K, d)``, row ``i`` answering
``weights[i]``); leading axes of ``achieved`` are items.

* :func:`regret` -- per request, against the best achievable trade-off over a reference set;
* :func:`steering_monotonicity` -- does more weight on an objective buy more of it;
* :func:`front_coverage` -- hypervolume of the answers over that of the reference front;
* :func:`steerability_summary` -- the per-item statistics with bootstrap intervals over items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._config import TIE_RTOL
from ..errors import ValidationError
from ._input import as_objectives
from ._registry import REGISTRY
from ._scalarize import _check_weights

__all__ = ["RegretResult", "SteeringResult", "CoverageResult", "SteerabilitySummaryResult", "regret",
           "steering_monotonicity", "front_coverage", "steerability_summary"]

_KINDS = ("weighted_sum", "tchebycheff")


@dataclass(frozen=True, eq=False)
class RegretResult:
    """Regret of each request (docs/tradeoff-jury.md §A5).

    Attributes
    ----------
    regret : ndarray, shape (..., K)
        Best achievable scalarised value over the reference set minus that of the answer
        (``>= 0``; divided by the reference range when ``normalize=True``).
    best : ndarray, shape (..., K)
        The best achievable value (``max_r λᵀr``, or ``max_p T_λ(R_ref p)``).
    mean, worst : float or ndarray, shape (...)
        Mean and largest regret over the grid, per item.
    macro : float
        Mean over items of the per-item mean regret.
    kind : str
    normalize : bool
    ref : ndarray (..., d) or None
        The Tchebycheff reference point used (caller's orientation).
    """

    regret: np.ndarray
    best: np.ndarray
    mean: Any
    worst: Any
    macro: float
    kind: str
    normalize: bool
    ref: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class SteeringResult:
    """Monotone steering (docs/tradeoff-jury.md §A5).

    Attributes
    ----------
    violation_rate : float or ndarray (...)
        Share of grid pairs with ``(λ' − λ)ᵀ(r' − r) < −tol`` (``tol`` = ``1e-9`` × the spread
        of the answers).
    min_inner : float or ndarray (...)
        The most negative (smallest) inner product over the pairs.
    spearman : ndarray (..., d)
        Spearman correlation of ``λ_k`` with ``r_k(λ)`` across the grid (NaN when either is
        constant).
    n_pairs : int
    """

    violation_rate: Any
    min_inner: Any
    spearman: np.ndarray
    n_pairs: int


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """Front coverage by hypervolume (docs/tradeoff-jury.md §A5).

    Attributes
    ----------
    coverage : float or ndarray (...)
        ``HV(answers) / HV(reference front)`` with the same reference point (NaN when the
        reference hypervolume is 0).
    hv_achieved, hv_reference : float or ndarray (...)
    ref : ndarray (..., d)
        The hypervolume reference point (caller's orientation).
    """

    coverage: Any
    hv_achieved: Any
    hv_reference: Any
    ref: np.ndarray


@dataclass(frozen=True, eq=False)
class SteerabilitySummaryResult:
    """Steerability statistics per item and their bootstrap intervals over items.

    Attributes
    ----------
    estimate, low, high : dict of str to float
        Mean over items and the bootstrap interval of each statistic: ``"mean_regret"``,
        ``"worst_regret"``, ``"violation_rate"``, ``"min_inner"`` and, with a hypervolume
        reference, ``"coverage"``.
    per_item : dict of str to ndarray (n_items,)
        The per-item values.
    n_items : int
    confidence_level : float
    kind : str
    """

    estimate: dict
    low: dict
    high: dict
    per_item: dict
    n_items: int
    confidence_level: float
    kind: str
    notes: list = field(default_factory=list)

    def to_pandas(self):
        """One row per statistic: ``estimate``, ``low``, ``high``.

        Examples
        --------
        >>> import numpy as np, socialchoice as sc
        >>> W = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
        >>> A = np.random.default_rng(0).uniform(size=(20, 3, 2))
        >>> sc.tradeoff.steerability_summary(W, A, n_resamples=199, rng=0).to_pandas().columns.tolist()
        ['estimate', 'low', 'high']
        """
        import pandas as pd

        return pd.DataFrame({"estimate": self.estimate, "low": self.low, "high": self.high})


# ----------------------------------------------------------------------------- helpers


def _grid(weights: Any, achieved: Any, maximise: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights (K, d), achieved internal (..., K, d) maximised, sign)."""
    X, mx = as_objectives(achieved, maximise=maximise, name="achieved")
    K, d = X.shape[-2:]
    W = _check_weights(weights, d)
    if W.shape != (K, d):
        raise ValidationError(f"`weights` has shape {W.shape} but `achieved` has {K} answers of {d} objectives; "
                              f"pass the grid as one weight vector per answer, shape ({K}, {d})")
    return W, -X, np.where(mx, 1.0, -1.0)


def _scal(a: np.ndarray) -> Any:
    return a.item() if a.ndim == 0 else a


@REGISTRY.register("regret", family="steerability", input="objectives", scale="equivariant", random=False,
                   decomposable=False, oracle="brute force over the reference set")
def regret(weights: Any, achieved: Any, reference: Any = None, *, kind: str = "weighted_sum",
           normalize: bool = False, maximise: Any = True, ref: Any = None) -> RegretResult:
    """Regret of each request ``λ`` of a steering grid (docs/tradeoff-jury.md §A5).

    ``R_ref`` is the union of the answers and the ``reference`` responses (the answers are always
    in it, so the regret is ``>= 0``).

    * ``kind="weighted_sum"``: ``max_{r ∈ R_ref} λᵀr − λᵀr(λ)`` (lotteries over ``R_ref`` do not
      change the maximum);
    * ``kind="tchebycheff"``: ``max_p T_λ(R_ref p) − T_λ(r(λ))`` with
      ``T_λ(x) = min_{k: λ_k > 0} λ_k (x_k − z_k)``, solved as a batch of LPs
      (:func:`tchebycheff`);
    * ``normalize=True`` divides by the range of the scalarised values over ``R_ref``
      (``max_r λᵀr − min_r λᵀr``; for Tchebycheff ``max_p T_λ − min_r T_λ(r)``); a range of 0
      gives a normalised regret of 0.

    Parameters
    ----------
    weights : array_like, shape (K, d)
        The requested trade-offs (each in the simplex).
    achieved : array_like, shape (..., K, d)
        The answers' objective vectors, row ``i`` answering ``weights[i]``; leading axes are items.
    reference : array_like, shape (..., n, d), optional
        Further achievable responses (other models, candidates) for the same items.
    kind : {"weighted_sum", "tchebycheff"}
    normalize : bool, default False
    maximise : bool or sequence of bool, default True
    ref : array_like (d,) or (..., d), optional
        Tchebycheff reference ``z`` (default: the worst value of ``R_ref`` moved ``1e-9 ×`` its
        spread further).

    Returns
    -------
    RegretResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> R_ref = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> res = sc.tradeoff.regret([[0.5, 0.5]], [[0.2, 0.8]], R_ref)
    >>> round(float(res.regret[0]), 12), round(float(res.mean), 12)
    (0.1, 0.1)
    >>> round(float(sc.tradeoff.regret([[0.5, 0.5]], [[0.2, 0.8]], R_ref, normalize=True).regret[0]), 9)
    1.0
    """
    if kind not in _KINDS:
        raise ValidationError(f"`kind`={kind!r}; pass one of {list(_KINDS)}")
    if not isinstance(normalize, (bool, np.bool_)):
        raise ValidationError(f"`normalize`={normalize!r}; pass True or False")
    W, A, sign = _grid(weights, achieved, maximise)
    K, d = W.shape
    pool = A
    if reference is not None:
        Xr, _ = as_objectives(reference, maximise=maximise, name="reference")
        if Xr.shape[-1] != d:
            raise ValidationError(f"`reference` has {Xr.shape[-1]} objectives; `achieved` has {d}")
        try:
            batch = np.broadcast_shapes(A.shape[:-2], Xr.shape[:-2])
        except ValueError:
            raise ValidationError(f"the item axes of `achieved` {A.shape[:-2]} and `reference` {Xr.shape[:-2]} "
                                  "do not broadcast") from None
        pool = np.concatenate([np.broadcast_to(A, (*batch, K, d)),
                               np.broadcast_to(-Xr, (*batch, Xr.shape[-2], d))], axis=-2)
        A = np.broadcast_to(A, (*batch, K, d))
    batch = A.shape[:-2]
    if kind == "weighted_sum":
        S = np.einsum("...nd,kd->...kn", pool, W)  # (..., K, n)
        best = S.max(axis=-1)
        own = np.einsum("...kd,kd->...k", A, W)
        rng = best - S.min(axis=-1)
        zint = None
    else:
        from ._scalarize import tchebycheff

        spread = (pool.max(axis=-2) - pool.min(axis=-2)).max(axis=-1, keepdims=True)
        if ref is None:
            zint = pool.min(axis=-2) - 1e-9 * np.where(spread > 0, spread, 1.0)
        else:
            z = np.asarray(ref, dtype=float)
            if z.ndim == 0 or z.shape[-1] != d or not np.all(np.isfinite(z)):
                raise ValidationError(f"`ref`={ref!r}; pass {d} finite values (one per objective)")
            try:
                zint = np.broadcast_to(z * sign, (*batch, d))
            except ValueError:
                raise ValidationError(f"`ref` has shape {z.shape}; pass ({d},) or one row per item") from None
        res = tchebycheff(pool[..., None, :, :], W, ref=zint[..., None, :], maximise=True)
        best = np.asarray(res.value)
        g = W * (A - zint[..., None, :])
        own = np.where(W > 0, g, np.inf).min(axis=-1)
        gp = W[:, None, :] * (pool[..., None, :, :] - zint[..., None, None, :])  # (..., K, n, d)
        worst = np.where(W[:, None, :] > 0, gp, np.inf).min(axis=-1).min(axis=-1)
        rng = best - worst
    reg = best - own
    # values within rounding of the best are regret 0 (relative to the scalarised range)
    scale = np.abs(best) + np.abs(rng)
    reg = np.where(reg < TIE_RTOL * scale, np.maximum(reg, 0.0), reg)
    if normalize:
        with np.errstate(divide="ignore", invalid="ignore"):
            reg = np.where(rng > 0, reg / np.where(rng > 0, rng, 1.0), 0.0)
    mean = reg.mean(axis=-1)
    return RegretResult(regret=reg, best=best, mean=_scal(mean), worst=_scal(reg.max(axis=-1)),
                        macro=float(np.mean(mean)), kind=kind, normalize=bool(normalize),
                        ref=None if zint is None else zint * sign)


def _spearman(x: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Spearman correlation of ``x`` (K,) with each ``Y[..., :, k]`` (average ranks, as scipy)."""
    from scipy.stats import rankdata

    rx = rankdata(x)
    rY = rankdata(Y, axis=-2)
    rx = rx - rx.mean()
    rY = rY - rY.mean(axis=-2, keepdims=True)
    num = np.einsum("k,...kd->...d", rx, rY)
    den = np.sqrt((rx ** 2).sum() * (rY ** 2).sum(axis=-2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


@REGISTRY.register("steering_monotonicity", family="steerability", input="objectives", scale="invariant",
                   random=False, decomposable=False, oracle="scipy.stats.spearmanr; naive pair loop")
def steering_monotonicity(weights: Any, achieved: Any, *, maximise: Any = True) -> SteeringResult:
    """Is steering monotone: ``(λ' − λ)ᵀ(r(λ') − r(λ)) >= 0`` for every pair of the grid
    (docs/tradeoff-jury.md §A5)?

    The weighted-sum optimum satisfies it exactly (it is a subgradient of the convex support
    function); with two objectives on the front, more weight on an objective never lowers it.

    Parameters
    ----------
    weights : array_like, shape (K, d)
        The requested trade-offs.
    achieved : array_like, shape (..., K, d)
        The answers, row ``i`` answering ``weights[i]``; leading axes are items.
    maximise : bool or sequence of bool, default True
        Minimised objectives are negated first.

    Returns
    -------
    SteeringResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> W = [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    >>> res = sc.tradeoff.steering_monotonicity(W, [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])
    >>> res.violation_rate, res.spearman.tolist()
    (0.0, [1.0, 1.0])
    >>> sc.tradeoff.steering_monotonicity(W, [[0.2, 0.8], [0.6, 0.6], [0.9, 0.2]]).violation_rate
    1.0
    """
    W, A, _ = _grid(weights, achieved, maximise)
    K, d = W.shape
    if K < 2:
        raise ValidationError("`weights` holds one request; monotonicity needs at least 2 grid points")
    i, j = np.triu_indices(K, 1)
    dW = W[j] - W[i]  # (P, d)
    dA = A[..., j, :] - A[..., i, :]  # (..., P, d)
    inner = np.einsum("pd,...pd->...p", dW, dA)
    spread = (A.max(axis=-2) - A.min(axis=-2)).max(axis=-1)
    tol = TIE_RTOL * spread
    viol = (inner < -tol[..., None]).mean(axis=-1)
    return SteeringResult(violation_rate=_scal(np.asarray(viol)), min_inner=_scal(inner.min(axis=-1)),
                          spearman=np.stack([_spearman(W[:, k], A[..., k:k + 1])[..., 0] for k in range(d)],
                                            axis=-1),
                          n_pairs=int(i.size))


def _hv2(P: np.ndarray, r: np.ndarray) -> float:
    """Exact 2-D hypervolume (maximisation) of the points above ``r``: sort and add rectangles."""
    P = P[np.all(P > r, axis=1)]
    if P.shape[0] == 0:
        return 0.0
    P = P[np.lexsort((-P[:, 1], -P[:, 0]))]  # x descending, then y descending
    hv, ymax = 0.0, r[1]
    for x, y in P:
        if y > ymax:
            hv += (x - r[0]) * (y - ymax)
            ymax = y
    return hv


def _hypervolume(P: np.ndarray, r: np.ndarray) -> float:
    """Hypervolume of maximised points ``P`` (n, d) w.r.t. ``r``: ``sc.tradeoff.hypervolume`` when it
    is available, else the exact 2-D sweep here."""
    try:
        from ._hypervolume import hypervolume
    except ImportError:
        hypervolume = None
    if hypervolume is not None:
        out = hypervolume(P, r, maximise=True)
        for attr in ("hypervolume", "value", "hv"):
            if hasattr(out, attr):
                out = getattr(out, attr)
                break
        return float(out)
    if P.shape[1] != 2:
        raise ValidationError("front coverage in d >= 3 needs sc.tradeoff.hypervolume, which is not available in "
                              "this build; pass two objectives")
    return _hv2(P, r)


@REGISTRY.register("front_coverage", family="steerability", input="objectives", scale="invariant", random=False,
                   decomposable=False, oracle="moocore.hypervolume")
def front_coverage(achieved: Any, reference: Any, *, ref: Any, maximise: Any = True,
                   offset: float = 0.1) -> CoverageResult:
    """Front coverage: ``HV(answers) / HV(front of R_ref)`` with one reference point
    (docs/tradeoff-jury.md §A5, §A3).

    Parameters
    ----------
    achieved : array_like, shape (..., K, d)
        The answers over the grid; leading axes are items.
    reference : array_like, shape (..., n, d)
        The reference responses (their front's hypervolume is the denominator; the answers are
        pooled in).
    ref : array_like (d,) or (..., d), or "nadir"
        The hypervolume reference point, mandatory (§A3: no silent default); ``"nadir"`` takes the
        componentwise worst of the pooled points moved by ``offset × range``.
    maximise : bool or sequence of bool, default True
    offset : float, default 0.1

    Returns
    -------
    CoverageResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> R_ref = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> round(sc.tradeoff.front_coverage([[0.6, 0.6]], R_ref, ref=[0, 0]).coverage, 6)
    0.782609
    """
    A, mx = as_objectives(achieved, maximise=maximise, name="achieved")
    Xr, _ = as_objectives(reference, maximise=maximise, name="reference")
    d = A.shape[-1]
    if Xr.shape[-1] != d:
        raise ValidationError(f"`reference` has {Xr.shape[-1]} objectives; `achieved` has {d}")
    sign = np.where(mx, 1.0, -1.0)
    try:
        batch = np.broadcast_shapes(A.shape[:-2], Xr.shape[:-2])
    except ValueError:
        raise ValidationError(f"the item axes of `achieved` {A.shape[:-2]} and `reference` {Xr.shape[:-2]} "
                              "do not broadcast") from None
    A = np.broadcast_to(-A, (*batch, *A.shape[-2:])).reshape(-1, *A.shape[-2:])
    Rf = np.broadcast_to(-Xr, (*batch, *Xr.shape[-2:])).reshape(-1, *Xr.shape[-2:])
    pool = np.concatenate([A, Rf], axis=1)
    if isinstance(ref, str):
        if ref != "nadir":
            raise ValidationError(f"`ref`={ref!r}; pass a point (one value per objective) or 'nadir'")
        if not (isinstance(offset, (int, float)) and np.isfinite(offset) and offset >= 0):
            raise ValidationError(f"`offset`={offset!r}; pass a finite number >= 0")
        lo, hi = pool.min(axis=1), pool.max(axis=1)
        r = lo - offset * (hi - lo)
    elif ref is None:
        raise ValidationError("`ref` is required (no silent default reference point, §A3): pass a point or 'nadir'")
    else:
        r = np.asarray(ref, dtype=float)
        if r.shape[-1:] != (d,) or not np.all(np.isfinite(r)):
            raise ValidationError(f"`ref` must hold {d} finite values per item, got shape {r.shape}")
        r = np.broadcast_to(r * sign, (*batch, d)).reshape(-1, d)
    B = A.shape[0]
    ha = np.array([_hypervolume(A[b], r[b]) for b in range(B)])
    hr = np.array([_hypervolume(pool[b], r[b]) for b in range(B)])
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = np.where(hr > 0, ha / np.where(hr > 0, hr, 1.0), np.nan)
    shp = lambda a: _scal(a.reshape(batch))
    return CoverageResult(coverage=shp(cov), hv_achieved=shp(ha), hv_reference=shp(hr),
                          ref=(r * sign).reshape(*batch, d))


@REGISTRY.register("steerability_summary", family="steerability", input="objectives", scale="invariant",
                   random=True, decomposable=False, unit="items", oracle="socialchoice.stats.bootstrap")
def steerability_summary(weights: Any, achieved: Any, reference: Any = None, *, kind: str = "weighted_sum",
                         normalize: bool = True, maximise: Any = True, ref: Any = None, hv_ref: Any = None,
                         n_resamples: int = 9999, confidence_level: float = 0.95, method: str = "percentile",
                         rng: Any = None) -> SteerabilitySummaryResult:
    """Steerability of a model over items, with bootstrap intervals over items (docs/tradeoff-jury.md §A5).

    Per item: mean and worst :func:`regret` over the grid, :func:`steering_monotonicity`'s
    violation rate and most negative inner product, and (with ``hv_ref``) :func:`front_coverage`;
    then the mean over items with a bootstrap interval resampling items
    (:func:`socialchoice.stats.bootstrap`).

    Parameters
    ----------
    weights : array_like, shape (K, d)
    achieved : array_like, shape (n_items, K, d)
    reference : array_like, shape (n_items, n, d), optional
    kind, normalize, maximise, ref
        As in :func:`regret` (normalised regret by default, comparable across items).
    hv_ref : array_like (d,) or "nadir", optional
        Hypervolume reference point for the coverage (no coverage without it).
    n_resamples, confidence_level, method, rng
        As in :func:`socialchoice.stats.bootstrap`.

    Returns
    -------
    SteerabilitySummaryResult

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> W = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    >>> A = np.random.default_rng(0).uniform(size=(30, 3, 2))
    >>> s = sc.tradeoff.steerability_summary(W, A, n_resamples=999, rng=1)
    >>> bool(s.low["mean_regret"] <= s.estimate["mean_regret"] <= s.high["mean_regret"]), s.n_items
    (True, 30)
    """
    from ..stats import bootstrap

    a = np.asarray(achieved)
    if a.ndim != 3:
        raise ValidationError(f"`achieved` has shape {a.shape}; pass (n_items, K, d): one grid of answers per item")
    n = a.shape[0]
    if n < 2:
        raise ValidationError("`achieved` holds one item; intervals over items need at least 2")
    reg = regret(weights, achieved, reference, kind=kind, normalize=normalize, maximise=maximise, ref=ref)
    mono = steering_monotonicity(weights, achieved, maximise=maximise)
    per = {"mean_regret": np.asarray(reg.mean, dtype=float), "worst_regret": np.asarray(reg.worst, dtype=float),
           "violation_rate": np.asarray(mono.violation_rate, dtype=float),
           "min_inner": np.asarray(mono.min_inner, dtype=float)}
    if hv_ref is not None:
        refset = achieved if reference is None else reference
        per["coverage"] = np.asarray(front_coverage(achieved, refset, ref=hv_ref, maximise=maximise).coverage,
                                     dtype=float)
    est, low, high, notes = {}, {}, {}, []
    for k, v in per.items():
        est[k] = float(np.mean(v))
        if np.ptp(v) == 0:
            low[k] = high[k] = est[k]
            notes.append(f"{k}: constant over items, interval of width 0")
            continue
        b = bootstrap(v, n_resamples=n_resamples, confidence_level=confidence_level, method=method, rng=rng)
        low[k], high[k] = float(b.low), float(b.high)
    return SteerabilitySummaryResult(estimate=est, low=low, high=high, per_item=per, n_items=n,
                                     confidence_level=float(confidence_level), kind=kind, notes=notes)
