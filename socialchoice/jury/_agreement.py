"""Inter-rater agreement: Krippendorff's alpha, Fleiss' and Randolph's kappa (docs/tradeoff-jury.md §B4).

Krippendorff's alpha is computed from the *pairable values* (unit, value) without building a
value-by-value coincidence matrix:

* nominal: per-unit value counts (one sort), ``D_o`` from ``sum_c n_uc^2`` per unit;
* ordinal: the ordinal metric ``(sum_{g=c}^{k} n_g - (n_c+n_k)/2)^2`` equals ``(M_k - M_c)^2``
  with ``M_c = N_{<c} + n_c/2`` (the mid-position of value ``c``), so ordinal alpha is interval
  alpha on ``M`` of each value;
* interval: ``D_o`` and ``D_e`` are sums of squared deviations (per-unit and pooled), ``O(n)``
  after the sort that groups units;
* ratio: ``D_o`` sums pairs within units (``O(sum m_u^2)``); ``D_e`` sums
  ``((a-b)/(a+b))^2 = 1 - 4 s'(log a - log b)`` over all pairs, ``s'`` the logistic density.
  Up to :data:`RATIO_EXACT_MAX` distinct values the pairs of distinct values are summed exactly
  (``O(V^2)`` time, ``O(V)`` memory); above, the pair sum is the integral of the Fourier
  transform ``pi w / sinh(pi w)`` of ``s'`` against ``|sum_i exp(i w log a_i)|^2``, evaluated by
  the trapezoid rule with a step small enough that the aliased images of ``s'`` fall below
  ``e^-40`` of the total, truncated where the transform is below ``e^-40``: ``O(V (D + 40))``
  time with ``D`` the range of ``log a``, ``O(V)`` memory, relative error about ``1e-15`` of
  ``n^2`` (so relative to ``D_e`` it grows as ``D_e`` shrinks: values all within 0.1% of each
  other lose about three digits).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import CoverageWarning, ValidationError

__all__ = ["AlphaResult", "KappaResult", "krippendorff_alpha", "fleiss_kappa", "randolph_kappa",
           "LEVELS", "RATIO_EXACT_MAX"]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
#: up to this many distinct values, ratio D_e sums the pairs of distinct values exactly
RATIO_EXACT_MAX = 5000


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with its parts.

    Attributes
    ----------
    alpha : float
        ``1 - D_o/D_e``; NaN when ``D_e = 0`` (one distinct value).
    low, high : float
        Bootstrap interval over units (NaN when ``n_resamples=0``).
    level : str
        ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.
    observed_disagreement, expected_disagreement : float
        ``D_o`` and ``D_e`` (docs/tradeoff-jury.md §B4.1).
    n_pairable : float
        ``n``, the number of pairable values.
    n_units : int
        Units with at least 2 values (the others are dropped).
    confidence_level : float
    n_resamples : int
    distribution : ndarray or None
        Bootstrap replicates of alpha.
    """

    alpha: float
    low: float
    high: float
    level: str
    observed_disagreement: float
    expected_disagreement: float
    n_pairable: float
    n_units: int
    confidence_level: float = 0.95
    n_resamples: int = 0
    distribution: np.ndarray | None = field(default=None, repr=False)


@dataclass(frozen=True)
class KappaResult:
    """Fleiss' or Randolph's kappa, one per table of the batch.

    Attributes
    ----------
    kappa : float or ndarray, shape (...)
    observed : float or ndarray
        ``P-bar``, mean agreement per subject.
    expected : float or ndarray
        ``P-bar_e`` (``sum_j p_j^2`` for Fleiss, ``1/k`` for Randolph).
    n_raters : int or ndarray
        Raters per subject ``r``.
    method : str
    """

    kappa: Any
    observed: Any
    expected: Any
    n_raters: Any
    method: str


def _alpha(do: float, de: float, *, stacklevel: int) -> float:
    """``1 - D_o / D_e``; NaN, with a warning, when there is one distinct value (``D_e = 0``)."""
    if de == 0:
        warnings.warn("only one distinct value: expected disagreement is 0 and alpha is NaN",
                      CoverageWarning, stacklevel=stacklevel)
        return math.nan
    return 1.0 - do / de


def _check_count_table(data: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """A units x values count table and its values (default 0, 1, ...), validated."""
    C = np.asarray(data, dtype=np.float64)
    if C.ndim != 2:
        raise ValidationError(f"`data` with value_counts=True must be units x values, got shape {C.shape}")
    if not np.all(np.isfinite(C)) or np.any(C < 0) or np.any(C != np.round(C)):
        raise ValidationError("value counts must be non-negative integers (finite, no NaN)")
    vals = np.arange(C.shape[1], dtype=np.float64) if values is None else np.asarray(values, dtype=np.float64)
    if vals.shape != (C.shape[1],):
        raise ValidationError(
            f"`values` has {vals.size} entries but `data` has {C.shape[1]} value columns; pass one value per column")
    return C, vals


def _as_counts(data: Any, value_counts: bool, values: Any):
    """(count table units x values with >= 2 values per unit, sorted values), or None when the
    data has more than :data:`COUNTS_MAX_VALUES` distinct values."""
    if value_counts:
        C, vals = _check_count_table(data, values)
        order = np.argsort(vals, kind="stable")
        C, vals = C[:, order], vals[order]
    else:
        from .._kernels.agreement import unit_value_counts

        X = _check_matrix(data)
        Xc = np.ascontiguousarray(X)
        vals, C, ok = unit_value_counts(Xc, 8)
        if not ok:
            vals, C, ok = unit_value_counts(Xc, COUNTS_MAX_VALUES)
            if not ok:
                return None
        order = np.argsort(vals)
        if np.any(order != np.arange(order.size)):
            C, vals = C[:, order], vals[order]
    keep = C.sum(axis=1) >= 2
    return (C if keep.all() else C[keep]), vals


def _check_matrix(data: Any) -> np.ndarray:
    X = np.asarray(data, dtype=np.float64) if not np.iscomplexobj(data) else None
    if X is None or X.ndim != 2:
        raise ValidationError(
            f"`data` must be a raters x units matrix (NaN = missing), got shape {np.shape(data)}; "
            "for a units x values count table pass value_counts=True")
    if np.isinf(X).any():
        raise ValidationError("`data` holds inf; missing values are NaN")
    return X


def _pairable(data: Any, value_counts: bool, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """(unit index per value, value), grouped by unit, units with >= 2 values only."""
    if value_counts:
        C, vals = _check_count_table(data, values)
        keep = C.sum(axis=1) >= 2
        C = C[keep].astype(np.int64)
        unit = np.repeat(np.repeat(np.arange(C.shape[0]), C.shape[1]), C.ravel())
        x = np.repeat(np.tile(vals, C.shape[0]), C.ravel())
        return unit, x
    X = _check_matrix(data)
    ok = ~np.isnan(X)
    m = ok.sum(axis=0)
    ok &= (m >= 2)[None, :]
    r, u = np.nonzero(ok.T)  # grouped by unit
    x = X.T[r, u]
    _, unit = np.unique(r, return_inverse=True)
    return unit.astype(np.int64), x


def _disagreements(unit: np.ndarray, x: np.ndarray, level: str,
                   w: np.ndarray | None = None) -> tuple[float, float, float, int]:
    """(D_o, D_e, n, n_units) of pairable values; ``w`` = multiplicity per unit (bootstrap)."""
    nu = int(unit.max()) + 1 if unit.size else 0
    if nu == 0:
        return math.nan, math.nan, 0.0, 0
    mu = np.bincount(unit, minlength=nu).astype(np.float64)
    wu = np.ones(nu) if w is None else np.asarray(w, dtype=np.float64)
    wv = wu[unit]
    n = float(wu @ mu)
    if level == "nominal":
        codes = np.unique(x, return_inverse=True)[1]
        V = int(codes.max()) + 1
        key = unit * V + codes
        ukey, cnt = np.unique(key, return_counts=True)
        sq = np.bincount(ukey // V, weights=cnt.astype(np.float64) ** 2, minlength=nu)
        do = float(wu @ ((mu * mu - sq) / (mu - 1.0))) / n
        nc = np.bincount(codes, weights=wv, minlength=V)
        de = (n * n - float(nc @ nc)) / (n * (n - 1.0))
        return do, de, n, nu
    if level == "ordinal":
        vals, codes = np.unique(x, return_inverse=True)
        nc = np.bincount(codes, weights=wv, minlength=vals.size)
        M = np.cumsum(nc) - nc / 2.0
        x = M[codes]
        level = "interval"
    if level == "interval":
        xc = x - float(wv @ x) / n
        mean_u = np.bincount(unit, weights=xc, minlength=nu) / mu
        ss_u = np.bincount(unit, weights=(xc - mean_u[unit]) ** 2, minlength=nu)
        do = float(wu @ (2.0 * mu * ss_u / (mu - 1.0))) / n
        de = 2.0 * n * float(wv @ (xc * xc)) / (n * (n - 1.0))
        return do, de, n, nu
    # ratio
    from .._kernels.agreement import ratio_pairs_distinct, ratio_within_units

    starts = np.searchsorted(unit, np.arange(nu + 1)).astype(np.int64)
    within = ratio_within_units(starts, np.ascontiguousarray(x))
    do = float(wu @ (within / (mu - 1.0))) / n
    vals, codes = np.unique(x, return_inverse=True)
    cnt = np.bincount(codes, weights=wv, minlength=vals.size)
    if vals.size <= RATIO_EXACT_MAX:
        tot = ratio_pairs_distinct(vals, cnt)
    else:
        tot = _ratio_pairs_fourier(vals, cnt)
    de = tot / (n * (n - 1.0))
    return do, de, n, nu


#: data with at most this many distinct values use the count-table path
COUNTS_MAX_VALUES = 64


def _delta2(vals: np.ndarray, nc: np.ndarray, level: str) -> np.ndarray:
    """The squared difference function on the value domain (§B4.1)."""
    if level == "nominal":
        return 1.0 - np.eye(vals.size)
    if level == "ordinal":
        M = np.cumsum(nc) - nc / 2.0
        return (M[:, None] - M[None, :]) ** 2
    if level == "interval":
        return (vals[:, None] - vals[None, :]) ** 2
    t = vals[:, None] + vals[None, :]
    d = np.divide(vals[:, None] - vals[None, :], t, out=np.zeros((vals.size, vals.size)), where=t != 0)
    return d * d


def _counts_disagreements(C: np.ndarray, vals: np.ndarray, level: str,
                          w: np.ndarray | None = None) -> tuple[float, float, float, int]:
    """(D_o, D_e, n, n_units) from a units x values count table (units with >= 2 values)."""
    m = C.sum(axis=1)
    f = 1.0 / (m - 1.0) if w is None else w / (m - 1.0)
    Cf = C * f[:, None]
    o = Cf.T @ C
    o[np.diag_indices_from(o)] -= Cf.sum(axis=0)
    nc = o.sum(axis=1)
    n = float(nc.sum())
    d2 = _delta2(vals, nc, level)
    do = float((o * d2).sum()) / n
    de = float(nc @ d2 @ nc) / (n * (n - 1.0))
    return do, de, n, int(C.shape[0])


def _alpha_dataarray(da: Any, level: str, *, rater_dim: str, unit_dim: str) -> AlphaResult:
    """Krippendorff's alpha of a (dask-backed) DataArray, reduced per unit chunk."""
    import dask
    import dask.array as dsa

    if level not in LEVELS:
        raise ValidationError(f"`level`={level!r}; pass one of {LEVELS}")
    for arg, d in (("rater_dim", rater_dim), ("unit_dim", unit_dim)):
        if d not in da.dims:
            raise ValidationError(f"the DataArray has no dim {d!r} (dims: {tuple(da.dims)}); pass {arg}=")
    if da.ndim != 2:
        raise ValidationError(f"the DataArray must have exactly the dims ({rater_dim!r}, {unit_dim!r})")
    x = dsa.asarray(da.transpose(rater_dim, unit_dim).data)
    x = x.rechunk({0: -1})
    blocks = x.to_delayed().ravel()
    cap = COUNTS_MAX_VALUES + 1

    def first_values(b):  # at most `cap` distinct values per chunk: memory stays O(chunk)
        v = np.asarray(b, dtype=np.float64)
        v = v[~np.isnan(v)]
        return np.unique(v)[:cap], (v.min() if v.size else np.inf)

    uniq = dask.compute(*[dask.delayed(first_values)(b) for b in blocks])
    grid = np.unique(np.concatenate([u[0] for u in uniq])) if uniq else np.zeros(0)
    vmin = min(u[1] for u in uniq) if uniq else np.inf
    if grid.size == 0:
        raise ValidationError("no unit has 2 or more values; alpha needs pairable values")
    if level == "ratio" and vmin < 0:
        raise ValidationError("ratio alpha needs values >= 0; use level='interval' for signed values")
    if grid.size <= COUNTS_MAX_VALUES:
        def coincidences(b):
            X = np.asarray(b, dtype=np.float64)
            ok = ~np.isnan(X)
            codes = np.searchsorted(grid, np.where(ok, X, grid[0]))
            U = X.shape[1]
            C = np.zeros((U, grid.size))
            np.add.at(C, (np.broadcast_to(np.arange(U), X.shape)[ok], codes[ok]), 1.0)
            C = C[C.sum(axis=1) >= 2]
            m = C.sum(axis=1)
            Cf = C / (m - 1.0)[:, None]
            o = Cf.T @ C
            o[np.diag_indices_from(o)] -= Cf.sum(axis=0)
            return np.concatenate([o.ravel(), [C.shape[0]]])

        parts = dask.compute(*[dask.delayed(coincidences)(b) for b in blocks])
        tot = np.sum(parts, axis=0)
        V = grid.size
        o, nu = tot[:-1].reshape(V, V), int(tot[-1])
        nc = o.sum(axis=1)
        n = float(nc.sum())
        d2 = _delta2(grid, nc, level)
        do, de = float((o * d2).sum()) / n, float(nc @ d2 @ nc) / (n * (n - 1.0))
    elif level == "interval":
        shift = float(np.median(grid))

        def sums(b):
            X = np.asarray(b, dtype=np.float64) - shift
            ok = ~np.isnan(X)
            m = ok.sum(axis=0)
            X = np.where(ok & (m >= 2)[None, :], X, np.nan)
            keep = m >= 2
            X, m = X[:, keep], m[keep].astype(np.float64)
            mean_u = np.nansum(X, axis=0) / m
            ss_u = np.nansum((X - mean_u) ** 2, axis=0)
            return np.array([float(np.sum(2.0 * m * ss_u / (m - 1.0))), m.sum(), np.nansum(X),
                             np.nansum(X * X), keep.sum()])

        tot = np.sum(dask.compute(*[dask.delayed(sums)(b) for b in blocks]), axis=0)
        dsum, n, s1, s2, nu = tot
        do = dsum / n
        de = 2.0 * (n * s2 - s1 * s1) / (n * (n - 1.0))
        nu = int(nu)
    elif level == "nominal":
        def nominal_parts(b):
            X = np.asarray(b, dtype=np.float64)
            ok = ~np.isnan(X)
            keep = ok.sum(axis=0) >= 2
            unit, xv = _pairable(X[:, keep], False, None)
            nu_b = int(keep.sum())
            if nu_b == 0:
                return 0.0, 0.0, 0, np.zeros(0), np.zeros(0)
            m = np.bincount(unit, minlength=nu_b).astype(np.float64)
            codes = np.unique(xv, return_inverse=True)[1]
            vals, cnt = np.unique(xv, return_counts=True)
            V = vals.size
            ukey, kc = np.unique(unit * V + codes, return_counts=True)
            sq = np.bincount(ukey // V, weights=kc.astype(np.float64) ** 2, minlength=nu_b)
            return float(np.sum((m * m - sq) / (m - 1.0))), float(m.sum()), nu_b, vals, cnt

        parts = dask.compute(*[dask.delayed(nominal_parts)(b) for b in blocks])
        dsum = sum(p[0] for p in parts)
        n = sum(p[1] for p in parts)
        nu = sum(p[2] for p in parts)
        allv = np.concatenate([p[3] for p in parts])
        allc = np.concatenate([p[4] for p in parts]).astype(np.float64)
        nc = np.bincount(np.unique(allv, return_inverse=True)[1], weights=allc)
        do = dsum / n
        de = (n * n - float(nc @ nc)) / (n * (n - 1.0))
    else:
        raise ValidationError(
            f"{level} alpha on {grid.size} distinct values needs all values at once; pass "
            "data.values (or round the values to at most "
            f"{COUNTS_MAX_VALUES} distinct ones)")
    alpha = _alpha(do, de, stacklevel=4)
    return AlphaResult(float(alpha), math.nan, math.nan, level, float(do), float(de), float(n), nu)


def _ratio_pairs_fourier(v: np.ndarray, c: np.ndarray) -> float:
    """``sum_{i,j} c_i c_j ((v_i-v_j)/(v_i+v_j))^2`` for many distinct ``v >= 0`` in O(V) memory."""
    zero = v == 0
    z = float(c[zero].sum())
    v, c = v[~zero], c[~zero]
    C = float(c.sum())
    if v.size == 0:
        return 0.0
    y = np.log(v)
    y = y - 0.5 * (y.max() + y.min())
    D = float(y.max() - y.min())
    P = D + 40.0                      # period of the aliased images of the logistic density
    h = 2.0 * math.pi / P
    omega_max = 14.0                  # pi w / sinh(pi w) < 1e-17 beyond
    K = int(math.ceil(omega_max / h))
    from .._kernels.agreement import fourier_sums

    re, im = fourier_sums(np.ascontiguousarray(y), np.ascontiguousarray(c), h, K)
    w = h * np.arange(1, K + 1)
    S = 0.5 * C * C                   # k = 0 node: K(0) = 1, |Phi(0)|^2 = C^2 (half weight)
    S += float(np.sum(math.pi * w / np.sinh(math.pi * w) * (re[1:] ** 2 + im[1:] ** 2)))
    S *= h / math.pi                  # (h / 2 pi) * 2 * (half + sum)
    return C * C - 4.0 * S + 2.0 * z * C


def krippendorff_alpha(data: Any, level: str = "interval", *, value_counts: bool = False,
                       values: Any = None, n_resamples: int = 0, confidence_level: float = 0.95,
                       seed: Any = None, rng: Any = None, rater_dim: str = "rater",
                       unit_dim: str = "unit") -> AlphaResult:
    """Krippendorff's alpha of reliability data (docs/tradeoff-jury.md §B4.1).

    Parameters
    ----------
    data : array_like
        ``raters x units`` with NaN for missing values (the orientation of the PyPI package
        ``krippendorff``), or with ``value_counts=True`` a ``units x values`` count table.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement (difference function). Ratio needs values ``>= 0``.
    value_counts : bool, default False
        ``data`` is a count table.
    values : array_like, optional
        With ``value_counts=True``, the value of each column (default ``0, 1, ...``).
    n_resamples : int, default 0
        Bootstrap replicates over units for the percentile interval ``low``/``high``.
    confidence_level : float, default 0.95
    seed, rng : optional
        Random state of the bootstrap (either, see :func:`socialchoice._random.resolve_rng`).
    rater_dim, unit_dim : str
        For an ``xarray.DataArray`` ``data`` (e.g. dask-backed, from zarr): the dim names. It is
        reduced per unit chunk (chunk -> combine -> finalize), memory bounded by one chunk: with
        at most :data:`COUNTS_MAX_VALUES` distinct values each chunk gives its coincidence
        matrix (any level; a first pass collects the values); otherwise interval alpha from
        per-chunk sums (centred on a provisional shift) and nominal alpha from per-chunk
        value counts (memory ``O(distinct values)``). Ordinal and ratio alpha on more distinct
        values need all values at once: compute ``data.values``.

    Returns
    -------
    AlphaResult

    Notes
    -----
    Time ``O(n log n)`` and memory ``O(n)`` in the number ``n`` of pairable values at every
    level except ratio, whose expected disagreement is exact in ``O(V^2)`` up to
    :data:`RATIO_EXACT_MAX` distinct values and uses the Fourier form of the module docstring
    (``O(V)`` memory, about 100-200 passes over the values) above.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> nan = np.nan
    >>> X = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(jury.krippendorff_alpha(X, "nominal").alpha, 6)
    0.743421
    >>> round(jury.krippendorff_alpha(X, "interval").alpha, 6)
    0.849107
    """
    from .._random import resolve_rng

    if type(data).__name__ == "DataArray":
        if n_resamples:
            raise ValidationError("the bootstrap interval needs in-memory data; pass a numpy array "
                                  "(or da.values) with n_resamples > 0")
        return _alpha_dataarray(data, level, rater_dim=rater_dim, unit_dim=unit_dim)
    if level not in LEVELS:
        raise ValidationError(f"`level`={level!r}; pass one of {LEVELS}")
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 0:
        raise ValidationError(f"`n_resamples`={n_resamples!r}; pass a non-negative int")
    if not 0 < confidence_level < 1:
        raise ValidationError(f"`confidence_level`={confidence_level!r}; pass a number in (0, 1)")
    counts = _as_counts(data, value_counts, values)
    if counts is not None:
        C, cvals = counts
        used = cvals[C.sum(axis=0) > 0]
        if level == "ratio" and used.size and used.min() < 0:
            raise ValidationError("ratio alpha needs values >= 0; use level='interval' for signed values")
        if C.shape[0] == 0:
            raise ValidationError("no unit has 2 or more values; alpha needs pairable values")

        def disagreements(w=None):
            return _counts_disagreements(C, cvals, level, w)
    else:
        unit, x = _pairable(data, value_counts, values)
        if level == "ratio" and x.size and x.min() < 0:
            raise ValidationError("ratio alpha needs values >= 0; use level='interval' for signed values")
        if x.size == 0:
            raise ValidationError("no unit has 2 or more values; alpha needs pairable values")

        def disagreements(w=None):
            return _disagreements(unit, x, level, w)
    do, de, n, nu = disagreements()
    alpha = _alpha(do, de, stacklevel=3)
    low = high = math.nan
    dist = None
    if n_resamples:
        gen = resolve_rng(rng, seed=seed)
        dist = np.empty(n_resamples)
        for b in range(n_resamples):
            w = gen.multinomial(nu, np.full(nu, 1.0 / nu)).astype(np.float64)
            # units drawn 0 times drop out (weight 0); no renumbering needed
            bdo, bde, _, _ = disagreements(w)
            dist[b] = 1.0 - bdo / bde if bde > 0 else math.nan
        a = (1.0 - confidence_level) / 2.0
        good = dist[np.isfinite(dist)]
        if good.size:
            low, high = (float(v) for v in np.quantile(good, [a, 1.0 - a]))
    return AlphaResult(float(alpha), low, high, level, float(do), float(de), float(n), int(nu),
                       float(confidence_level), int(n_resamples), dist)


def _kappa_table(counts: Any) -> tuple[np.ndarray, np.ndarray]:
    T = np.asarray(counts, dtype=np.float64)
    if T.ndim < 2:
        raise ValidationError(f"`counts` must be (..., subjects, categories), got shape {T.shape}")
    if not np.all(np.isfinite(T)) or np.any(T < 0):
        raise ValidationError("`counts` must be finite and non-negative")
    r = T.sum(axis=-1)
    r0 = r[..., :1]
    if np.any(r != r0):
        raise ValidationError(
            "every subject must be rated by the same number of raters for Fleiss' kappa; with "
            "unequal numbers use krippendorff_alpha(counts, 'nominal', value_counts=True)")
    if np.any(r0 < 2):
        raise ValidationError("each subject needs at least 2 ratings")
    return T, r0[..., 0]


def _kappa(counts: Any, method: str) -> KappaResult:
    T, r = _kappa_table(counts)
    rr = r[..., None]
    P_i = ((T * T).sum(axis=-1) - rr) / (rr * (rr - 1.0))
    Pbar = P_i.mean(axis=-1)
    if method == "fleiss":
        p = T.sum(axis=-2) / (T.shape[-2] * rr)
        Pe = (p * p).sum(axis=-1)
    else:
        Pe = np.full_like(Pbar, 1.0 / T.shape[-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        k = (Pbar - Pe) / (1.0 - Pe)
    sq = (lambda v: float(v) if np.ndim(v) == 0 else v)
    return KappaResult(sq(k), sq(Pbar), sq(Pe), sq(r.astype(np.int64)) if np.ndim(r) else int(r), method)


def fleiss_kappa(counts: Any) -> KappaResult:
    """Fleiss' kappa of a ``(..., subjects, categories)`` count table (§B4.2), batched over
    leading axes.

    Equals ``statsmodels.stats.inter_rater.fleiss_kappa(table, method="fleiss")``.

    Examples
    --------
    >>> from socialchoice import jury
    >>> T = [[3, 0, 0], [0, 3, 0], [1, 1, 1], [2, 1, 0], [0, 0, 3]]
    >>> round(jury.fleiss_kappa(T).kappa, 12)
    0.493243243243
    """
    return _kappa(counts, "fleiss")


def randolph_kappa(counts: Any) -> KappaResult:
    """Randolph's free-marginal kappa (chance agreement ``1/k``), batched like :func:`fleiss_kappa`.

    Examples
    --------
    >>> from socialchoice import jury
    >>> round(jury.randolph_kappa([[3, 0, 0], [0, 3, 0], [1, 1, 1], [2, 1, 0], [0, 0, 3]]).kappa, 12)
    0.5
    """
    return _kappa(counts, "randolph")
