"""Welfare formulas (docs/welfare-bargaining.md §3). Each body is the formula only: the
:func:`~._decorator.welfare_function` decorator validates, applies ``nan_policy``/``normalize``,
moves axes, handles Ratings and DataArrays and builds the :class:`~._results.WelfareResult`."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._kernels import welfare as _kw
from .._registry import Registry
from ..errors import ValidationError
from ._decorator import Cells, welfare_function
from ._input import DegenerateInputWarning, as_utilities, check_option, check_weights
from ._results import WelfareResult, finish

__all__ = ["REGISTRY", "utilitarian", "nash", "egalitarian", "leximin", "power_mean", "atkinson",
           "equally_distributed_equivalent", "owa", "gini_welfare", "quantile_welfare", "leximin_compare"]

REGISTRY = Registry("welfare function", "welfare")

# ``scale`` metadata (docs/conventions.md §1) describes ``values`` when every utility is multiplied
# by ``c > 0`` (with ``d`` scaled alike): "equivariant" = values times c, "invariant" = unchanged,
# None = neither (Nash: values + log c). The ranking and the best set are unchanged for every member.
_M = dict(input="utilities", anonymous=True, neutral=True, decomposable=False)


def _utilitarian_fast(U: Any, *, weights: Any, nan_policy: str, agent_axis: int, axis: int,
                      reduce: str = "mean") -> WelfareResult | None:
    """Weighted mean in one pass of a Numba kernel (NaN and inf flags fused)."""
    if reduce != "mean" or nan_policy == "raise":
        return None
    a = as_utilities(U, agent_axis, axis, keep_float32=True)
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    a3 = np.ascontiguousarray(a.reshape((-1, n, m)))
    if weights is None:
        w2 = np.ones((1, n))
    else:
        w = np.asarray(weights) if not isinstance(weights, (str, bytes)) else weights
        if getattr(w, "ndim", 0) <= 1:
            w2 = check_weights(w, (n,))[None]
        else:
            w2 = check_weights(w, batch + (n,)).reshape(-1, n)
    kern = _kw.weighted_mean_kernel(m, a3.size)
    vals, n_used, n_alt, has_inf = kern(a3, w2, nan_policy == "omit")
    if has_inf.any():
        raise ValidationError("`U` contains inf; utilities must be finite (NaN marks a missing value)")
    empty = (w2 > 0).sum(axis=1) == 0
    if empty.any():
        k = int(np.broadcast_to(empty, (a3.shape[0],)).sum())
        warnings.warn(f"{k} item(s) have no agent with positive weight; their welfare is NaN",
                      DegenerateInputWarning, stacklevel=3)
    elif nan_policy == "omit" and (n_alt == 0).any():
        from ..errors import CoverageWarning

        warnings.warn(f"{int((n_alt == 0).sum())} alternative(s) were rated by no agent with positive weight; "
                      "their welfare is NaN", CoverageWarning, stacklevel=3)
    return finish(vals.reshape(batch + (m,)), n_used.reshape(batch), "utilitarian",
                  n_alt=n_alt.reshape(batch + (m,)))


@welfare_function(REGISTRY, "utilitarian", aliases=("sum", "mean", "benthamite"), family="mean",
                  oracle="np.average", scale="equivariant", fast=_utilitarian_fast, **_M)
def utilitarian(U: Cells, *, reduce: str = "mean") -> np.ndarray:
    """Utilitarian welfare ``sum_i w_i u_ij`` with normalised weights (docs/welfare-bargaining.md §3).

    Parameters
    ----------
    {common}
    reduce : {"mean", "sum"}
        ``"sum"`` uses the raw weights (a plain sum with unit weights).
    disagreement : optional
        Only used by ``normalize="disagreement"``/``"range_disagreement"``.
    Returns
    -------
    WelfareResult

    Examples
    --------
    >>> utilitarian([[1., 0], [0, 3]]).values.tolist()
    [0.5, 1.5]
    >>> utilitarian([[1., 0], [0, 3]], reduce="sum").values.tolist()
    [1.0, 3.0]
    >>> utilitarian([[1., np.nan], [3., 2.]], nan_policy="omit").values.tolist()
    [2.0, 2.0]
    """
    check_option(reduce, "reduce", ("mean", "sum"))
    return U.wsum(U.a, U.raw if reduce == "sum" else None)


@welfare_function(REGISTRY, "nash", aliases=("nash_welfare", "bernoulli_nash"), family="mean",
                  oracle="scipy.stats.gmean", scale=None, **_M)
def nash(U: Cells, *, log: bool = True) -> dict:
    """Nash welfare ``sum_i w_i log(u_ij - d_i)`` (docs/welfare-bargaining.md §3).

    A gain ``<= 0`` gives ``-inf`` (``0`` with ``log=False``) and flags the alternative in
    ``not_individually_rational``. Scaling utilities (and ``d``) by ``c`` adds ``log c`` to the
    values (multiplies them by ``c`` with ``log=False``); the ranking is unchanged.

    Parameters
    ----------
    {common}
    disagreement : float, array, "min", "mean", ("status_quo", j) or "random_dictator"
    log : bool
        ``False`` returns ``exp(...)``, the weighted geometric mean of the gains.
    Examples
    --------
    >>> nash([[2., 1], [2, 4]], log=False).values.tolist()
    [2.0, 2.0]
    >>> nash([[2., 1], [2, 4]], disagreement=1).not_individually_rational.tolist()
    [False, True]
    """
    if not isinstance(log, (bool, np.bool_)):
        raise ValidationError(f"`log` must be True or False, got {log!r}")
    a, d = U.a, U.d
    n, m = a.shape[-2:]
    batch = a.shape[:-2]
    if U.per_agent:  # one pass in a Numba kernel
        wn = U.w[..., 0]

        def flat(x, core):
            return np.ascontiguousarray(np.broadcast_to(x, batch + x.shape[x.ndim - core:])
                                        .reshape((-1,) + x.shape[x.ndim - core:]), dtype=np.float64)

        a3, w2, d2 = flat(a, 2), flat(wn, 1), flat(d, 1)
        vals = np.empty((a3.shape[0], m))
        nir = np.empty((a3.shape[0], m), dtype=bool)
        kern = _kw.nash_log_welfare if a3.size >= _kw.PARALLEL_MIN_SIZE else _kw.nash_log_welfare_serial
        kern(a3, w2, d2, vals, nir)
        vals, nir = vals.reshape(batch + (m,)), nir.reshape(batch + (m,))
    else:
        g = a - d[..., None]
        act = U.active
        nir = (act & (g <= 0)).any(axis=-2)
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.where(act & (g > 0), np.log(np.where(g > 0, g, 1.0)), 0.0)
        vals = np.where(nir, -np.inf, U.wsum(lg))
    if not log:
        vals = np.exp(vals)
    return {"values": vals, "nir": nir}


@welfare_function(REGISTRY, "egalitarian", aliases=("rawlsian", "min"), family="min", oracle="np.min",
                  scale="equivariant", **_M)
def egalitarian(U: Cells) -> np.ndarray:
    """Egalitarian (Rawlsian) welfare ``min_i u_ij`` over agents with positive weight.

    Parameters
    ----------
    {common}
    disagreement : optional
        Only used by ``normalize="disagreement"``/``"range_disagreement"``.
    Examples
    --------
    >>> egalitarian([[1., 5], [3, 2]]).values.tolist()
    [1.0, 2.0]
    """
    vals = np.min(np.where(U.active, U.a, np.inf), axis=-2)
    return np.where(np.isinf(vals), np.nan, vals)


def _pmean(U: Cells, p: float) -> np.ndarray:
    """Weighted power mean over agents (no validation; a >= 0 / > 0 checked by caller)."""
    a, act = U.a, U.active
    if p == -np.inf:
        return np.min(np.where(act, a, np.inf), axis=-2)
    if p == np.inf:
        return np.max(np.where(act, a, -np.inf), axis=-2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p == 0:
            zero = ((a == 0) & act).any(axis=-2)
            lg = np.where(act, np.log(np.where(a > 0, a, 1.0)), 0.0)
            return np.where(zero, 0.0, np.exp(U.wsum(lg)))
        if abs(p) > 50:
            ref = (np.max(np.where(act, a, -np.inf), axis=-2, keepdims=True) if p > 0
                   else np.min(np.where(act, a, np.inf), axis=-2, keepdims=True))
            safe = np.where(ref > 0, ref, 1.0)
            s = U.wsum(np.where(act, (a / safe) ** p, 0.0))
            out = safe[..., 0, :] * s ** (1.0 / p)
            return np.where(ref[..., 0, :] > 0, out, 0.0)
        if p < 0:
            zero = ((a == 0) & act).any(axis=-2)
            s = U.wsum(np.where(act & (a > 0), a, 1.0) ** p)
            return np.where(zero, 0.0, s ** (1.0 / p))
        s = U.wsum(np.where(act, a, 0.0) ** p)
        return s ** (1.0 / p)


def _check_pmean_domain(U: Cells, p: float, what: str) -> None:
    bad = U.active & (U.a < 0)
    if bad.any():
        idx = np.argwhere(np.broadcast_to(bad, U.a.shape))[:5].tolist()
        raise ValidationError(
            f"{what} with p={p} needs utilities >= 0 (> 0 for p <= 0); negative entries at "
            f"(..., agent, alternative) {idx}; shift or normalise the utilities (normalize='minmax')"
        )


def _real(x: Any, name: str) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ValidationError(f"`{name}` must be a real number, got {x!r}")
    x = float(x)
    if math.isnan(x):
        raise ValidationError(f"`{name}` is NaN; pass a real number")
    return x


@welfare_function(REGISTRY, "power_mean", aliases=("generalized_mean", "w_p"), family="mean",
                  oracle="scipy.stats.pmean", scale="equivariant", **_M)
def power_mean(U: Cells, p: float) -> np.ndarray:
    """Power-mean welfare ``W_p = (sum_i w_i u_i^p)^(1/p)`` (docs/welfare-bargaining.md §3).

    ``p = 1`` is utilitarian, ``p = 0`` the geometric mean (``exp`` of Nash with ``d = 0``),
    ``p = -inf`` the minimum, ``p = +inf`` the maximum; ``W_p`` is non-decreasing in ``p``.
    Needs ``u >= 0``; for ``p <= 0`` an agent at 0 gives ``W_p = 0`` (the limit).

    Parameters
    ----------
    {common}
    p : float
    Examples
    --------
    >>> power_mean([[1., 4], [4, 4]], -1).values.tolist()
    [1.6, 4.0]
    """
    p = _real(p, "p")
    if not np.isinf(p):
        _check_pmean_domain(U, p, "power_mean")
    return _pmean(U, p)


def _epsilon(epsilon: Any) -> float:
    e = _real(epsilon, "epsilon")
    if not e >= 0 or np.isinf(e):
        raise ValidationError(f"`epsilon` must be finite and >= 0, got {epsilon!r}")
    return e


@welfare_function(REGISTRY, "equally_distributed_equivalent", aliases=("ede",), family="mean",
                  scale="equivariant", **_M)
def equally_distributed_equivalent(U: Cells, epsilon: float) -> np.ndarray:
    """Atkinson's equally distributed equivalent ``W_{1-epsilon}(u)`` (welfare, larger better).

    Parameters
    ----------
    {common}
    epsilon : float
        Inequality aversion, ``>= 0``.
    Examples
    --------
    >>> equally_distributed_equivalent([[1.], [4.]], 1).values.tolist()
    [2.0]
    """
    p = 1.0 - _epsilon(epsilon)
    _check_pmean_domain(U, p, "equally_distributed_equivalent")
    return _pmean(U, p)


@welfare_function(REGISTRY, "atkinson", aliases=("atkinson_index",), family="inequality",
                  orientation="lower_is_better", scale="invariant", **_M)
def atkinson(U: Cells, epsilon: float) -> np.ndarray:
    """Atkinson inequality index ``A = 1 - W_{1-epsilon}(u) / mean_w(u)`` (docs/welfare-bargaining.md §3).

    An *index* (0 = equality): ``ranking`` orders alternatives by larger index first, so use
    :func:`equally_distributed_equivalent` to rank by welfare.

    Parameters
    ----------
    {common}
    epsilon : float
        ``>= 0``; ``u > 0`` is needed for ``epsilon >= 1``.
    Examples
    --------
    >>> atkinson([[1.], [4.]], 1).values.round(6).tolist()
    [0.2]
    """
    eps = _epsilon(epsilon)
    p = 1.0 - eps
    _check_pmean_domain(U, p, "atkinson")
    if eps >= 1 and (U.active & (U.a <= 0)).any():
        raise ValidationError("atkinson with epsilon >= 1 needs utilities > 0; some are 0")
    mu = U.wsum(U.a)
    ede = _pmean(U, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        A = 1.0 - ede / mu
    # W_{1-eps} <= mean: the index is >= 0, and 0 (not +-1e-16) when the power mean equals the
    # mean up to rounding (equal utilities, one agent), so ties at equality stay ties under scaling
    return np.where(np.abs(mu - ede) <= 16 * np.finfo(float).eps * np.abs(mu), 0.0, np.maximum(A, 0.0))


def _ascending(U: Cells) -> tuple[np.ndarray, np.ndarray]:
    """Utilities and weights per alternative, sorted ascending by utility over the agents
    (absent cells last, with weight 0)."""
    wfull = np.broadcast_to(U.w, U.a.shape)
    order = np.argsort(np.where(wfull > 0, U.a, np.inf), axis=-2, kind="stable")
    return np.take_along_axis(U.a, order, axis=-2), np.take_along_axis(wfull, order, axis=-2)


def _rank_weighted(U: Cells, phi: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """sum_k (phi(S_k) - phi(S_{k-1})) u_(k) with agents sorted ascending per alternative."""
    us, ws = _ascending(U)
    S = np.minimum(np.cumsum(ws, axis=-2), 1.0)
    Sprev = np.concatenate([np.zeros_like(S[..., :1, :]), S[..., :-1, :]], axis=-2)
    rw = phi(S) - phi(Sprev)
    return np.sum(np.where(ws > 0, rw * us, 0.0), axis=-2)


@welfare_function(REGISTRY, "owa", aliases=("ordered_weighted_average",), family="rank_weighted",
                  oracle="np.sort", scale="equivariant", **_M)
def owa(U: Cells, omega: Any) -> np.ndarray:
    """Ordered weighted average ``sum_k omega_k u_(k)`` with utilities sorted ascending.

    With unequal agent weights (or agents omitted per cell), the rank weights are increments of
    the piecewise-linear ``phi`` through ``(k/n, omega_1 + ... + omega_k)`` at the cumulative
    weights (docs/welfare-bargaining.md §3.2).

    Parameters
    ----------
    {common}
    omega : array_like, shape (n,)
        Non-negative, summing to 1; ``omega[0]`` weighs the worst-off agent.
    Examples
    --------
    >>> owa([[1., 4], [3, 0]], [0.75, 0.25]).values.tolist()
    [1.5, 1.0]
    """
    n = U.a.shape[-2]
    try:
        om = np.asarray(omega, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"`omega` must be numeric, shape ({n},), got {omega!r}") from None
    if om.shape != (n,):
        raise ValidationError(f"`omega` must have one entry per agent, shape ({n},), got {om.shape}")
    if (om < 0).any() or not np.isfinite(om).all() or abs(om.sum() - 1) > 1e-9:
        raise ValidationError("`omega` must be finite, non-negative and sum to 1")
    grid = np.arange(n + 1) / n
    cum = np.concatenate([[0.0], np.cumsum(om)])
    return _rank_weighted(U, lambda s: np.interp(s, grid, cum))


@welfare_function(REGISTRY, "gini_welfare", aliases=("gini", "generalized_gini"), family="rank_weighted",
                  scale="equivariant", **_M)
def gini_welfare(U: Cells) -> np.ndarray:
    """Gini social welfare ``mu_w (1 - G_w)``: OWA with ``phi(s) = 1 - (1-s)^2`` (docs/welfare-bargaining.md §3.2).

    Parameters
    ----------
    {common}
    Examples
    --------
    >>> gini_welfare([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]]).values.tolist()
    [2.375, 2.0, 2.25]
    """
    return _rank_weighted(U, lambda s: 1.0 - (1.0 - s) ** 2)


@welfare_function(REGISTRY, "quantile_welfare", family="quantile",
                  oracle="np.quantile(method='inverted_cdf', weights=w)", scale="equivariant", **_M)
def quantile_welfare(U: Cells, q: float) -> np.ndarray:
    """Weighted lower quantile ``min{u : F_w(u) >= q}`` of the agents' utilities (docs/welfare-bargaining.md §3).

    ``q = 0`` gives the minimum, ``q = 0.5`` the lower median.

    Parameters
    ----------
    {common}
    q : float in [0, 1]
    Examples
    --------
    >>> quantile_welfare([[4., 2], [1, 2], [9, 2], [2, 2]], 0.5).values.tolist()
    [2.0, 2.0]
    """
    q = _real(q, "q")
    if not 0 <= q <= 1:
        raise ValidationError(f"`q` must lie in [0, 1], got {q!r}")
    us, ws = _ascending(U)
    us = np.where(ws > 0, us, np.inf)
    S = np.cumsum(ws, axis=-2)
    # the cumulative weights are normalised (sum 1): a relative tolerance on them
    reach = (S >= q - 1e-12) & (ws > 0)
    k = np.argmax(reach, axis=-2)
    vals = np.take_along_axis(us, k[..., None, :], axis=-2)[..., 0, :]
    return np.where(np.isinf(vals), np.nan, vals)


def leximin_compare(x: Any, y: Any, *, wx: Any = None, wy: Any = None, atol: float = 0.0) -> int:
    """Leximin comparison of two utility vectors (docs/welfare-bargaining.md §3.1): 1 if ``x`` is better, -1 if
    ``y`` is, 0 if equal. Weighted vectors compare their weighted quantile functions.

    Examples
    --------
    >>> leximin_compare([1, 2, 4, 9], [1, 3, 3, 5])
    -1
    >>> leximin_compare([2, 1], [1, 2])
    0
    """
    x = _vector(x, "x")
    y = _vector(y, "y")
    wx = check_weights(wx, x.shape, "wx")
    wy = check_weights(wy, y.shape, "wy")
    if not (wx > 0).any() or not (wy > 0).any():
        raise ValidationError("`wx` and `wy` need a positive weight each")
    atol = _real(atol, "atol")
    if not atol >= 0:
        raise ValidationError(f"`atol` must be >= 0, got {atol!r}")
    return _lexcmp(x[wx > 0], wx[wx > 0] / wx.sum(), y[wy > 0], wy[wy > 0] / wy.sum(), atol)


def _vector(x: Any, name: str) -> np.ndarray:
    try:
        nd = np.ndim(x)
    except ValueError:
        nd = -1
    if nd != 1:
        raise ValidationError(f"`{name}` must be a 1-d utility vector")
    a = as_utilities(np.asarray(x)[:, None], name=name)[:, 0]
    if not np.isfinite(a).all():
        raise ValidationError(f"`{name}` must be finite")
    return a


def _lexcmp(x, wx, y, wy, atol) -> int:
    ox = np.argsort(x, kind="stable")
    oy = np.argsort(y, kind="stable")
    xs, ws = x[ox], np.cumsum(wx[ox])
    ys, vs = y[oy], np.cumsum(wy[oy])
    i = k = 0
    tol = 1e-12
    while i < len(xs) and k < len(ys):
        if abs(xs[i] - ys[k]) > atol:
            return 1 if xs[i] > ys[k] else -1
        # advance past the smaller breakpoint
        if ws[i] < vs[k] - tol:
            i += 1
        elif vs[k] < ws[i] - tol:
            k += 1
        else:
            i += 1
            k += 1
    return 0




@welfare_function(REGISTRY, "leximin", aliases=("lexmin", "leximin_order"), family="min", oracle="brute force",
                  scale="invariant", **_M)
def leximin(U: Cells, *, atol: float = 0.0) -> dict:
    """Leximin order of the alternatives (docs/welfare-bargaining.md §3.1), exact by default.

    Sorted utility vectors are compared lexicographically (weighted: the weighted quantile
    functions, merged over their cumulative-weight breakpoints). ``atol > 0`` treats close
    values as equal; that relation is not transitive, so its order may contain cycles, which
    the stable sort breaks by index. ``values`` holds ``m - 1 - level``; an alternative with a
    NaN (``"propagate"``) is ranked last with value NaN. ``atol`` is in the units of ``U``.

    Parameters
    ----------
    {common}
    atol : float
        Equality tolerance (0 = exact).
    Examples
    --------
    >>> r = leximin([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]])
    >>> r.ranking.tolist()
    [1, 2, 0]
    """
    atol = _real(atol, "atol")
    if not atol >= 0:
        raise ValidationError(f"`atol` must be >= 0, got {atol!r}")
    a = U.a
    batch = a.shape[:-2]
    n, m = a.shape[-2:]
    A = a.reshape(-1, n, m)
    Wc = np.broadcast_to(U.w, a.shape).reshape(-1, n, m)
    CN = U.nan_cols.reshape(-1, m)
    levels = np.zeros((A.shape[0], m), dtype=np.int64)
    vals = np.zeros((A.shape[0], m))
    for b in range(A.shape[0]):
        good = [j for j in range(m) if not CN[b, j]]
        act = Wc[b] > 0
        cols = {j: (A[b][act[:, j], j], Wc[b][act[:, j], j]) for j in good}

        def cmp(j, k, cols=cols):
            return -_lexcmp(cols[j][0], cols[j][1], cols[k][0], cols[k][1], atol)

        order = sorted(good, key=functools.cmp_to_key(cmp))
        lv = 0
        for pos, j in enumerate(order):
            if pos and cmp(order[pos - 1], j) != 0:
                lv += 1
            levels[b, j] = lv
        top = lv + 1 if good else 0
        for j in range(m):
            if CN[b, j]:
                levels[b, j] = top
        vals[b] = np.where(CN[b], np.nan, (m - 1 - levels[b]).astype(float))
    return {"values": vals.reshape(batch + (m,)), "levels": levels.reshape(batch + (m,))}
