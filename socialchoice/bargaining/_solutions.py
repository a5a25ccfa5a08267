"""Public bargaining solutions (docs/welfare-bargaining.md §4-§10)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._registry import Registry
from ..errors import ValidationError
from ..welfare._input import as_utility_input
from . import _solve
from ._problem import Problem, check_over, prepare
from ._results import BargainingResult

__all__ = ["nash", "kalai_smorodinsky", "egalitarian", "leximin", "utilitarian", "proportional",
           "ideal_point", "solve", "REGISTRY"]

REGISTRY = Registry("bargaining solution", "bargaining")

_METHODS = ("auto", "fast", "cvxpy")
_DOC_COMMON = """
    U : array_like, Ratings or DataArray, shape (..., n, m)
        Utilities (NaN = missing, inf rejected); a Ratings profile's raters are the agents, a
        DataArray names its agent dim ``agent``, ``rater`` or ``group``.
    disagreement : float, array, "min", "mean", ("status_quo", j) or "random_dictator"
        Disagreement point (docs/welfare-bargaining.md §1), resolved per item after normalisation.
    over : {"alternatives", "lottery"}
        Feasible set: the finite set of alternatives, or lotteries over them (docs/welfare-bargaining.md §4).
    method : {"auto", "fast", "cvxpy"}
        Lotteries only: batched Numba kernels (``"fast"``), cvxpy (``"cvxpy"``), or the kernels
        with a per-item cvxpy fallback when a certificate fails (``"auto"``).
    solver : str or sequence of str, optional
        cvxpy solver or fallback chain (default CLARABEL, ECOS, SCS).
    normalize : {None, "minmax", "zscore", "disagreement", "range_disagreement"}
        Per-agent utility normalisation (docs/welfare-bargaining.md §2).
    nan_policy : {"raise", "omit", "propagate"}
        Missing utilities (NaN) of an agent with positive weight: ``"raise"`` (default) names the
        item and agent; ``"omit"`` leaves that agent out of that item (a bargaining agent needs a
        utility for every alternative, so omission is per agent and item, not per cell; the
        result reports ``n_agents_used`` and NaN utilities for the omitted agent);
        ``"propagate"`` gives a NaN result (lottery, utilities, welfare, gap) for that item, with
        ``status="missing"``.
    agent_axis, axis : int
        Agents and alternatives axes of ``U`` (default -2, -1); leading axes are items.

    Utilities are shifted by the disagreement point and divided by their scale before any
    solver runs (docs/conventions.md §4): multiplying ``U`` and ``d`` by ``c > 0`` leaves the
    lottery unchanged and scales ``utilities``, ``gains``, ``ideal`` and (except for Nash and
    Kalai-Smorodinsky, whose objectives are scale-free) ``welfare`` and ``gap``.
"""


def _check(method: str, degenerate: str = "raise") -> None:
    if method not in _METHODS:
        raise ValidationError(f"`method` must be one of {_METHODS}, got {method!r}")
    if degenerate not in ("raise", "restrict"):
        raise ValidationError(f"`degenerate` must be 'raise' or 'restrict', got {degenerate!r}")


def _result(prob: Problem, P: np.ndarray, *, solution: str, over: str, welfare, gap, status, solver,
            method: str, ties, reason, ideal) -> BargainingResult:
    B, n, m = prob.X.shape
    miss = prob.missing
    if miss.any():  # nan_policy="propagate": items with a missing utility have NaN results
        P = np.where(miss[:, None], np.nan, P)
        welfare = np.where(miss, np.nan, np.asarray(welfare, dtype=float))
        gap = np.where(miss, np.nan, np.asarray(gap, dtype=float))
        status = np.where(miss, "missing", np.asarray(status).astype(str))
        solver = np.where(miss, "none", np.asarray(solver).astype(str))
        ties = np.where(miss[:, None], False, ties)
        reason = np.where(miss, "missing_utilities", np.asarray(reason, dtype=object))
        if ideal is not None:
            ideal = np.where(miss[:, None], np.nan, ideal)
    Unan = prob.U
    util = np.einsum("bij,bj->bi", Unan, P)
    util = np.where(prob.active | ~np.isnan(util), util, np.nan)
    gains = util - prob.d
    onehot = P.max(axis=1) >= 1 - 1e-12
    alt = np.where(onehot, P.argmax(axis=1), -1)
    batch = prob.batch

    def sh(x, tail=()):
        return None if x is None else np.asarray(x).reshape(batch + tail)

    if not batch:
        a = int(alt[0])
        return BargainingResult(
            lottery=P[0], alternative=a if a >= 0 else None, utilities=util[0], gains=gains[0],
            welfare=float(np.asarray(welfare)[0]), ideal=None if ideal is None else ideal[0], d=prob.d[0],
            gap=float(np.asarray(gap)[0]), status=str(np.asarray(status)[0]), solver=str(np.asarray(solver)[0]),
            method=method, ties=ties[0], degenerate=reason[0], n_agents_used=int(prob.n_used[0]),
            solution=solution, over=over)
    return BargainingResult(
        lottery=sh(P, (m,)), alternative=sh(alt), utilities=sh(util, (n,)), gains=sh(gains, (n,)),
        welfare=sh(np.asarray(welfare, dtype=float)), ideal=sh(ideal, (n,)), d=sh(prob.d, (n,)),
        gap=sh(np.asarray(gap, dtype=float)), status=sh(np.asarray(status).astype(str)),
        solver=sh(np.asarray(solver).astype(str)), method=method, ties=sh(ties, (m,)),
        degenerate=sh(reason), n_agents_used=sh(prob.n_used), solution=solution, over=over)


def _single_agent(prob: Problem, P: np.ndarray) -> np.ndarray:
    one = prob.n_used == 1
    if one.any():
        i = np.argmax(prob.active, axis=1)
        row = prob.X[np.arange(prob.B), i]
        j = np.argmax(row == row.max(axis=1, keepdims=True), axis=1)
        P = P.copy()
        P[one] = 0.0
        P[np.flatnonzero(one), j[one]] = 1.0
    return P


def _unscale(prob: Problem, solution: str, out: dict, rho: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Welfare and gap of the scaled problem back in the caller's units (gains were divided by
    ``prob.unit``, and a proportional direction ``r`` by ``rho``)."""
    wel = np.asarray(out["welfare"], dtype=float)
    gap = np.asarray(out.get("gap", np.zeros(prob.B)), dtype=float)
    if solution == "nash":  # sum_i w_i log(unit x_i) = objective + (sum_i w_i) log(unit)
        with np.errstate(invalid="ignore"):
            wel = np.where(np.isfinite(wel), wel + out.get("wsum", 1.0) * np.log(prob.unit), wel)
    elif solution in ("egalitarian", "leximin"):
        wel, gap = wel * prob.unit, gap * prob.unit
    elif solution == "proportional":
        f = prob.unit / rho
        wel, gap = wel * f, gap * f
    return wel, gap


def _run(U, solution: str, *, disagreement, weights, over, method, solver, normalize, agent_axis, axis,
         degenerate="raise", r=None, tie_break="leximin", nan_policy="raise") -> BargainingResult:
    over = check_over(over)
    _check(method, degenerate)
    U, weights, agent_axis, axis = as_utility_input(U, weights, agent_axis=agent_axis, axis=axis)
    prob = prepare(U, disagreement=disagreement, weights=weights, normalize=normalize,
                   agent_axis=agent_axis, axis=axis, nan_policy=nan_policy)
    rr = rho = None
    if r is not None:
        rr = np.asarray(r, dtype=float)
        try:
            rr = np.broadcast_to(rr, prob.batch + (prob.n,)).reshape(-1, prob.n).copy()
        except ValueError:
            raise ValidationError(f"`r` has shape {np.shape(r)}; pass one positive direction per agent") from None
        if not np.isfinite(rr).all() or (rr[prob.active] <= 0).any():
            raise ValidationError("`r` must be finite and > 0 for every agent with positive weight")
        # only the direction of r matters: scale it to max 1 so that ratios share the gains' scale
        rho = np.max(np.where(prob.active, rr, 0.0), axis=1)
        rho = np.where(rho > 0, rho, 1.0)
        rr = rr / rho[:, None]
    B, n, m = prob.X.shape
    if over == "alternatives" or solution == "utilitarian":
        out = _solve.solve_alternatives(prob, solution, r=rr, degenerate=degenerate)
        ties = out["ties"]
        j = np.argmax(ties, axis=1)
        P = np.zeros((B, m))
        P[np.arange(B), j] = 1.0
        if solution != "utilitarian":
            P = _single_agent(prob, P)
        wel, _ = _unscale(prob, solution, out, rho)
        return _result(prob, P, solution=solution, over=over, welfare=wel, gap=np.zeros(B),
                       status=np.full(B, "optimal"), solver=np.full(B, "exact"), method="exact",
                       ties=ties, reason=out["reason"], ideal=out["ideal"])
    if solution == "nash":
        out = _solve.solve_lottery_nash(prob, method=method, solver=solver, degenerate=degenerate)
    else:
        if tie_break not in ("leximin", "utilitarian"):
            raise ValidationError(f"`tie_break` must be 'leximin' or 'utilitarian', got {tie_break!r}")
        if tie_break == "utilitarian" and method == "fast":
            raise ValidationError("tie_break='utilitarian' needs a solver: use method='auto' or 'cvxpy'")
        out = _solve.solve_lottery_lp(prob, solution, r=rr, method=method, solver=solver, tie_break=tie_break)
    P = _solve._pure_if_attained(prob, out["P"])
    P = _single_agent(prob, P)
    solvers = np.asarray(out["solver"])
    fast_only = bool(np.isin(solvers, ("numba", "exact")).all())
    meth = "cvxpy" if method == "cvxpy" else ("fast" if fast_only else "mixed")
    wel, gap = _unscale(prob, solution, out, rho)
    return _result(prob, P, solution=solution, over=over, welfare=wel, gap=gap,
                   status=out["status"], solver=solvers, method=meth, ties=P > 1e-9,
                   reason=out["reason"], ideal=out["ideal"])


def _doc(common: str):
    """Fill ``{common}`` in a docstring; a no-op under ``python -OO`` (``__doc__`` is None)."""

    def deco(f):
        if f.__doc__:
            f.__doc__ = f.__doc__.replace("{common}", common.strip())
        return f

    return deco


_META = dict(input="utilities", scale="invariant", anonymous=True, decomposable=False)


@REGISTRY.register("nash", family="nash", oracle="cvxpy exponential cone", **_META)
@_doc(_DOC_COMMON)
def nash(U: Any, *, disagreement: Any = 0.0, weights: Any = None, over: str = "alternatives",
         method: str = "auto", solver: Any = None, degenerate: str = "raise", normalize: str | None = None,
         nan_policy: str = "raise", agent_axis: int = -2, axis: int = -1) -> BargainingResult:
    """(Weighted) Nash bargaining solution: maximise ``sum_i w_i log(u_i - d_i)`` (docs/welfare-bargaining.md §4).

    Over lotteries this is an exponential-cone program; the fast path is an active-set Newton
    method with exact line search whose certificate is the Frank-Wolfe gap of docs/welfare-bargaining.md §7
    (``result.gap``, weights normalised so ``W = 1``).

    Parameters
    ----------
    {common}
    weights : array_like, optional
        Bargaining powers (asymmetric Nash); 0 removes an agent.
    degenerate : {"raise", "restrict"}
        What to do when no point is strictly better than ``d`` for all agents (docs/welfare-bargaining.md §6).
    Returns
    -------
    BargainingResult

    Examples
    --------
    >>> import numpy as np
    >>> U = np.array([[3, 0, 1], [0, 2, 1.2]])
    >>> nash(U).alternative
    2
    >>> nash(U, over="lottery").lottery.round(6).tolist()
    [0.5, 0.5, 0.0]
    """
    return _run(U, "nash", disagreement=disagreement, weights=weights, over=over, method=method, solver=solver,
                normalize=normalize, agent_axis=agent_axis, axis=axis, degenerate=degenerate,
                nan_policy=nan_policy)


@REGISTRY.register("kalai_smorodinsky", aliases=("ks",), family="proportional", oracle="cvxpy LP", **_META)
@_doc(_DOC_COMMON)
def kalai_smorodinsky(U: Any, *, disagreement: Any = 0.0, over: str = "alternatives", method: str = "auto",
                      solver: Any = None, normalize: str | None = None, nan_policy: str = "raise",
                      agent_axis: int = -2, axis: int = -1) -> BargainingResult:
    """Kalai-Smorodinsky solution: maximise ``t`` with ``u - d >= t (a - d)``, then leximin of
    the ratios (docs/welfare-bargaining.md §4); ``a`` is the ideal point over the individually rational set.

    Parameters
    ----------
    {common}
    Examples
    --------
    >>> r = kalai_smorodinsky([[5, 0], [-1, 1]], over="lottery")
    >>> r.lottery.round(6).tolist(), r.ideal.round(6).tolist()
    ([0.25, 0.75], [2.5, 1.0])
    """
    return _run(U, "kalai_smorodinsky", disagreement=disagreement, weights=None, over=over, method=method,
                solver=solver, normalize=normalize, agent_axis=agent_axis, axis=axis, nan_policy=nan_policy)


@REGISTRY.register("egalitarian", family="proportional", oracle="cvxpy LP", **_META)
@_doc(_DOC_COMMON)
def egalitarian(U: Any, *, disagreement: Any = 0.0, weights: Any = None, over: str = "alternatives",
                tie_break: str = "leximin", method: str = "auto", solver: Any = None,
                normalize: str | None = None, nan_policy: str = "raise", agent_axis: int = -2,
                axis: int = -1) -> BargainingResult:
    """Egalitarian (Kalai 1977) solution: maximise the minimum gain ``t`` (docs/welfare-bargaining.md §4).

    Ties among optimal lotteries: ``tie_break="leximin"`` (default; then it coincides with
    :func:`leximin`) or ``"utilitarian"`` (max weighted sum among them; needs cvxpy). Weights
    only select agents (0 removes one) except for the utilitarian tie-break.

    Parameters
    ----------
    {common}
    Examples
    --------
    >>> egalitarian([[3, 0, 1], [0, 2, 1.2]], over="lottery").lottery.round(6).tolist()
    [0.4, 0.6, 0.0]
    """
    return _run(U, "egalitarian", disagreement=disagreement, weights=weights, over=over, method=method,
                solver=solver, normalize=normalize, agent_axis=agent_axis, axis=axis, tie_break=tie_break,
                nan_policy=nan_policy)


@REGISTRY.register("leximin", family="proportional", oracle="cvxpy LP rounds", **_META)
@_doc(_DOC_COMMON)
def leximin(U: Any, *, disagreement: Any = 0.0, weights: Any = None, over: str = "alternatives",
            method: str = "auto", solver: Any = None, normalize: str | None = None, nan_policy: str = "raise",
            agent_axis: int = -2, axis: int = -1) -> BargainingResult:
    """Leximin solution: the leximin-maximal gain vector (docs/welfare-bargaining.md §3.1, §5.3).

    Parameters
    ----------
    {common}
    Examples
    --------
    >>> leximin([[1, 1, 0], [3, 0, 2], [0, 3, 2]], over="lottery").utilities.round(6).tolist()
    [1.0, 1.5, 1.5]
    """
    return _run(U, "leximin", disagreement=disagreement, weights=weights, over=over, method=method,
                solver=solver, normalize=normalize, agent_axis=agent_axis, axis=axis, nan_policy=nan_policy)


@REGISTRY.register("utilitarian", family="utilitarian", oracle="np.average", **_META)
@_doc(_DOC_COMMON)
def utilitarian(U: Any, *, disagreement: Any = 0.0, weights: Any = None, over: str = "alternatives",
                normalize: str | None = None, nan_policy: str = "raise", agent_axis: int = -2,
                axis: int = -1) -> BargainingResult:
    """Utilitarian solution: ``argmax_j sum_i w_i u_ij``, lowest index among ties; over
    lotteries the same pure alternative (never a mixture). ``d`` only enters ``gains``.

    Parameters
    ----------
    {common}
    Examples
    --------
    >>> utilitarian([[3, 0, 1], [0, 2, 1.2]]).alternative
    0
    """
    return _run(U, "utilitarian", disagreement=disagreement, weights=weights, over=over, method="auto",
                solver=None, normalize=normalize, agent_axis=agent_axis, axis=axis, nan_policy=nan_policy)


@REGISTRY.register("proportional", family="proportional", oracle="cvxpy LP", **_META)
@_doc(_DOC_COMMON)
def proportional(U: Any, r: Any, *, disagreement: Any = 0.0, over: str = "alternatives", method: str = "auto",
                 solver: Any = None, normalize: str | None = None, nan_policy: str = "raise",
                 agent_axis: int = -2, axis: int = -1) -> BargainingResult:
    """Proportional solution (Kalai 1977): maximise ``t`` with ``u - d >= t r``, then leximin of
    the ratios; ``r = 1`` is egalitarian, ``r = a - d`` Kalai-Smorodinsky.

    Parameters
    ----------
    {common}
    r : array_like, broadcastable to (..., n)
        Positive direction (only its direction matters).
    Examples
    --------
    >>> proportional([[5, 0], [-1, 1]], [2.5, 1], over="lottery").lottery.round(6).tolist()
    [0.25, 0.75]
    """
    return _run(U, "proportional", disagreement=disagreement, weights=None, over=over, method=method,
                solver=solver, normalize=normalize, agent_axis=agent_axis, axis=axis, r=r, nan_policy=nan_policy)


def ideal_point(U: Any, *, disagreement: Any = 0.0, over: str = "alternatives", method: str = "fast",
                solver: Any = None, nan_policy: str = "raise", agent_axis: int = -2, axis: int = -1) -> np.ndarray:
    """Ideal point ``a_i = max{x_i : x in S_d}`` (docs/welfare-bargaining.md §4); an LP per agent over lotteries.

    ``nan_policy`` as in :func:`nash` (an omitted agent's entry is NaN).

    Examples
    --------
    >>> ideal_point([[5, 0], [-1, 1]], over="lottery").tolist()
    [2.5, 1.0]
    """
    over = check_over(over)
    _check(method)
    U, _, agent_axis, axis = as_utility_input(U, None, agent_axis=agent_axis, axis=axis)
    prob = prepare(U, disagreement=disagreement, weights=None, normalize=None, agent_axis=agent_axis, axis=axis,
                   nan_policy=nan_policy)
    if over == "alternatives":
        tol = prob.tol()
        Sd = np.all(~prob.active[:, :, None] | (prob.X >= -tol[:, None, None]), axis=1)
        _solve.check_individually_rational(prob, Sd)
        a = np.max(np.where(Sd[:, None, :], prob.X, -np.inf), axis=2)
    else:
        a = _solve.ideal_lottery(prob, method="cvxpy" if method == "cvxpy" else "fast", solver=solver)
        if np.isnan(a).any():
            from ._results import InfeasibleBargainingError

            raise InfeasibleBargainingError("the individually rational set is empty; no ideal point")
    out = prob.gains_to_utilities(a)
    out = np.where(prob.active & ~prob.missing[:, None], out, np.nan)
    return out.reshape(prob.batch + (prob.n,))


def solve(U: Any, solution: str = "nash", /, **kwargs: Any) -> BargainingResult:
    """Solve by registered name or alias (see :func:`names`: ``"nash"``,
    ``"kalai_smorodinsky"``/``"ks"``, ``"egalitarian"``, ``"leximin"``, ``"utilitarian"``,
    ``"proportional"``).

    Examples
    --------
    >>> solve([[3, 0, 1], [0, 2, 1.2]], "egalitarian").alternative
    2
    """
    return REGISTRY.get(solution)(U, **kwargs)
