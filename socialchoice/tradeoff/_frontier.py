"""Pareto frontier of the lottery set by a scalarisation sweep (docs/tradeoff-jury.md §A4).

The achievable set of lotteries over responses ``R`` (shape ``(m, d)``) is the convex hull of
the rows of ``R``; its Pareto frontier is traced by solving a batch of scalarisations (one Numba
LP batch per refinement round) and, with ``adaptive=True``, inserting parameters where
consecutive points are far apart:

* ``"tchebycheff"``: augmented Tchebycheff (``ρ = 1e-4``, reference just below the worst point)
  over a simplex lattice of weights; every Pareto point of the hull is reachable; refinement
  bisects the lattice edges whose two points are farthest apart;
* ``"weighted_sum"``: the supported vertices (a pure response each), found exactly in two
  objectives by the dichotomic scheme: the next weight of an edge is the one at which its two
  end points score the same (NISE, Cohon 1978); the front between two adjacent vertices is the
  segment of their mixtures;
* ``"epsilon"``: maximise objective 0 under floors on the others, over a grid of floors between
  each objective's worst and best value; refinement bisects grid edges.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._chunks import progress_bar
from .._random import resolve_rng
from ..errors import ValidationError
from ._input import as_objectives
from ._registry import REGISTRY
from ._scalarize import _LP, _pow2, _solve

__all__ = ["FrontierResult", "frontier"]

_METHODS = ("tchebycheff", "weighted_sum", "epsilon")
RHO = 1e-4
#: points closer than this (relative to each objective's spread) are the same point
DIST_RTOL = 1e-7
#: parameter steps below this are not bisected further
PARAM_ATOL = 1e-7


@dataclass(frozen=True, eq=False)
class FrontierResult:
    """A traced Pareto frontier of the lottery set.

    Attributes
    ----------
    points : ndarray, shape (n, d)
        Distinct non-dominated achieved vectors ``Rᵀp`` (caller's orientation), sorted
        lexicographically.
    lotteries : ndarray, shape (n, m)
        The lottery achieving each point.
    weights : ndarray, shape (n, d)
        The scalarisation parameter that produced each point: the weights (``"tchebycheff"``,
        ``"weighted_sum"``), or the floors (``"epsilon"``; NaN for objective 0, the maximised
        one, and caller's orientation).
    method : str
        ``"tchebycheff"``, ``"weighted_sum"`` or ``"epsilon"``.
    n_solved : int
        Scalarisations solved (at most ``n_points``).
    """

    points: np.ndarray
    lotteries: np.ndarray
    weights: np.ndarray
    method: str
    n_solved: int

    def to_pandas(self):
        """A ``pandas.DataFrame`` with one row per point (columns ``objective_k``).

        Examples
        --------
        >>> import socialchoice as sc
        >>> sc.tradeoff.frontier([[1, 0], [0, 1]], n_points=5).to_pandas().shape
        (5, 2)
        """
        import pandas as pd

        return pd.DataFrame(self.points, columns=[f"objective_{k}" for k in range(self.points.shape[1])])


def _lattice(H: int, d: int) -> np.ndarray:
    """Integer compositions of ``H`` into ``d`` parts (the simplex lattice, Das & Dennis 1998)."""
    out = []
    for bars in itertools.combinations(range(H + d - 1), d - 1):
        prev = -1
        v = []
        for b in bars:
            v.append(b - prev - 1)
            prev = b
        v.append(H + d - 1 - prev - 1)
        out.append(v)
    return np.asarray(out, dtype=np.int64)


def _lattice_edges(V: np.ndarray) -> list[tuple[int, int]]:
    index = {tuple(v): i for i, v in enumerate(V)}
    d = V.shape[1]
    edges = []
    for i, v in enumerate(V):
        for a in range(d):
            for b in range(d):
                if a != b and v[b] > 0:
                    u = v.copy()
                    u[a] += 1
                    u[b] -= 1
                    j = index[tuple(u)]
                    if i < j:
                        edges.append((i, j))
    return edges


def _grid(c: int, k: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A ``c^k`` grid on the unit cube and its axis-neighbour edges."""
    idx = np.array(list(itertools.product(range(c), repeat=k)), dtype=np.int64).reshape(-1, k)
    index = {tuple(v): i for i, v in enumerate(idx)}
    edges = []
    for i, v in enumerate(idx):
        for a in range(k):
            if v[a] + 1 < c:
                u = v.copy()
                u[a] += 1
                edges.append((i, index[tuple(u)]))
    return idx / max(c - 1, 1), edges


def _initial(method: str, d: int, n0: int) -> tuple[np.ndarray, list]:
    if method == "epsilon":
        c = max(2, int(math.floor(n0 ** (1.0 / (d - 1)) + 1e-9)))
        while c > 2 and c ** (d - 1) > n0:
            c -= 1
        return _grid(c, d - 1)
    H = 1
    while math.comb(H + 1 + d - 1, d - 1) <= n0:
        H += 1
    V = _lattice(H, d)
    return V / H, _lattice_edges(V)


class _Sweep:
    """Solves batches of parameters for one ``R`` (scaled, every objective maximised)."""

    def __init__(self, G: np.ndarray, method: str):
        self.G, self.method = G, method
        m, d = G.shape
        spread = G.max(axis=0) - G.min(axis=0)
        big = spread.max() if spread.max() > 0 else 1.0
        self.z = G.min(axis=0) - 1e-9 * big
        self.lo, self.hi = G.min(axis=0), G.max(axis=0)

    def floors(self, U: np.ndarray) -> np.ndarray:
        f = np.full((U.shape[0], self.G.shape[1]), -np.inf)
        f[:, 1:] = self.lo[1:] + U * (self.hi[1:] - self.lo[1:])
        return f

    def solve(self, U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lotteries (K, m) and feasibility (K,) for parameters ``U``."""
        G, K = self.G, U.shape[0]
        m, d = G.shape
        if self.method == "weighted_sum":
            S = U @ G.T  # (K, m)
            P = np.zeros((K, m))
            P[np.arange(K), np.argmax(S, axis=1)] = 1.0
            return P, np.ones(K, bool)
        if self.method == "tchebycheff":
            gain = U[:, None, :] * (G - self.z)[None]  # (K, m, d)
            Xf = np.transpose(gain, (0, 2, 1)) + RHO * gain.sum(axis=2)[:, None, :]
            lp = _LP(np.ascontiguousarray(Xf), U > 0, np.zeros((K, 0, m)), np.zeros((K, 0)),
                     np.zeros((K, 0), bool), [])
        else:
            f = self.floors(U)
            Xc = np.ascontiguousarray(np.broadcast_to(G.T[1:][None], (K, d - 1, m)))
            lp = _LP(np.ascontiguousarray(np.broadcast_to(G[:, 0][None, None], (K, 1, m))), np.ones((K, 1), bool),
                     Xc, f[:, 1:], np.ones((K, d - 1), bool), [f"floors[{k}]" for k in range(1, d)])
        out = _solve(lp, method="auto", solver=None, batch=(K,), what=f"frontier ({self.method})",
                     raise_infeasible=False)
        return out["P"], ~out["infeasible"]


def _nise_weights(Wa: np.ndarray, Wb: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """On each segment Wa + t (Wb - Wa), the t at which the points A and B score the same."""
    D = A - B
    den = np.einsum("kd,kd->k", Wb - Wa, D)
    num = -np.einsum("kd,kd->k", Wa, D)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(den != 0, num / den, 0.5)
    t = np.where((t > 0) & (t < 1), t, 0.5)
    return Wa + t[:, None] * (Wb - Wa)


def _nondominated(P: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Keep-mask: not dominated (beyond ``tol``) and the first of each group of equal points."""
    ge = np.all(P[None, :, :] >= P[:, None, :] - tol, axis=2)  # ge[i, j]: P_j >= P_i
    gt = np.any(P[None, :, :] > P[:, None, :] + tol, axis=2)
    dominated = np.any(ge & gt, axis=1)
    eq = np.all(np.abs(P[None, :, :] - P[:, None, :]) <= tol, axis=2)
    first = np.argmax(eq, axis=1) == np.arange(P.shape[0])
    return ~dominated & first


@REGISTRY.register("frontier", family="frontier", input="objectives", scale="equivariant", random=True,
                   decomposable=False, oracle="hand-worked fronts; scipy LP")
def frontier(R: Any, *, n_points: int = 100, method: str = "tchebycheff", adaptive: bool = True,
             maximise: Any = True, rng: Any = None, progress: Any = False) -> FrontierResult:
    """The Pareto frontier of the lotteries over responses, by a scalarisation sweep
    (docs/tradeoff-jury.md §A4).

    Parameters
    ----------
    R : array_like, shape (m, d)
        Objective vectors of the ``m`` responses (rows), ``d >= 2``; one item (loop over items).
    n_points : int, default 100
        Budget of scalarisations solved; the result keeps the distinct non-dominated points among
        them (a weighted-sum sweep finds at most the supported vertices).
    method : {"tchebycheff", "weighted_sum", "epsilon"}, default "tchebycheff"
        The scalarisation swept (see the module notes).
    adaptive : bool, default True
        Start from about ``n_points / 2`` parameters and bisect, round by round, the parameter
        edges whose points are farthest apart (distances relative to each objective's spread),
        until the budget is spent or no edge is longer than ``1e-7``. ``False``: the largest
        lattice (grid) within the budget, the rest drawn at random from ``rng``.
    maximise : bool or sequence of bool, default True
        Orientation of each objective.
    rng : optional
        Seed or generator for the random fill of ``adaptive=False``.
    progress : bool or callable, optional
        ``True`` for a tqdm bar over the budget; a callable ``progress(done, total)``.

    Returns
    -------
    FrontierResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> R = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8], [0.5, 0.5]]
    >>> sc.tradeoff.frontier(R, method="weighted_sum").points.tolist()
    [[0.2, 0.8], [0.6, 0.6], [0.9, 0.2]]
    >>> front = sc.tradeoff.frontier(R, n_points=20)
    >>> front.points.shape[0] > 10, front.n_solved
    (True, 20)
    """
    X, mx = as_objectives(R, maximise=maximise, name="R")
    if X.ndim != 2:
        raise ValidationError(f"`R` has shape {X.shape}; frontier takes one item of shape (m, d): loop over items")
    m, d = X.shape
    if d < 2:
        raise ValidationError("`R` has d = 1 objective; a frontier needs d >= 2 (the best response is the answer)")
    if method not in _METHODS:
        raise ValidationError(f"`method`={method!r}; pass one of {list(_METHODS)}")
    if isinstance(n_points, (bool, np.bool_)) or not isinstance(n_points, (int, np.integer)) or n_points < d:
        raise ValidationError(f"`n_points`={n_points!r}; pass an integer >= d = {d} (one per objective at least)")
    if not isinstance(adaptive, (bool, np.bool_)):
        raise ValidationError(f"`adaptive`={adaptive!r}; pass True or False")
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        raise ValidationError("`progress` must be True, False, None or a callable progress(done, total)")
    gen = resolve_rng(rng)
    sign = np.where(mx, 1.0, -1.0)
    G = -X
    s = float(_pow2(np.asarray(np.abs(G).max())))
    G = G * s
    sweep = _Sweep(G, method)
    spread = G.max(axis=0) - G.min(axis=0)
    norm = np.where(spread > 0, spread, 1.0)
    n_points = int(n_points)

    U, edges = _initial(method, d, n_points // 2 if adaptive else n_points)
    if not adaptive and U.shape[0] < n_points:
        k = n_points - U.shape[0]
        extra = gen.dirichlet(np.ones(d), size=k) if method != "epsilon" else gen.uniform(size=(k, d - 1))
        U = np.concatenate([U, extra])
    bar = progress_bar(n_points, progress=progress, desc="frontier")

    def report(done):
        if bar is not None:
            bar.n = done
            bar.refresh()
        elif callable(progress) and progress is not True:
            progress(done, n_points)

    try:
        P, ok = sweep.solve(U)
        pts = P @ G
        report(U.shape[0])
        done_edges: set = set()
        while adaptive and U.shape[0] < n_points:
            cand = [(i, j) for (i, j) in edges if ok[i] and ok[j] and (i, j) not in done_edges]
            if not cand:
                break
            E = np.asarray(cand, dtype=np.int64)
            dist = np.linalg.norm((pts[E[:, 0]] - pts[E[:, 1]]) / norm, axis=1)
            step = np.abs(U[E[:, 0]] - U[E[:, 1]]).max(axis=1)
            live = (dist > DIST_RTOL) & (step > PARAM_ATOL)
            if not live.any():
                break
            E, dist = E[live], dist[live]
            budget = n_points - U.shape[0]
            k = min(E.shape[0], max(1, (budget + 1) // 2))
            pick = E[np.argsort(-dist, kind="stable")[:k]]
            if method == "weighted_sum":
                Unew = _nise_weights(U[pick[:, 0]], U[pick[:, 1]], pts[pick[:, 0]], pts[pick[:, 1]])
            else:
                Unew = 0.5 * (U[pick[:, 0]] + U[pick[:, 1]])
            Pn, okn = sweep.solve(Unew)
            ptn = Pn @ G
            base = U.shape[0]
            U = np.concatenate([U, Unew])
            P = np.concatenate([P, Pn])
            pts = np.concatenate([pts, ptn])
            ok = np.concatenate([ok, okn])
            for r, (i, j) in enumerate(pick.tolist()):
                done_edges.add((i, j))
                if method == "weighted_sum":
                    # no vertex beyond the segment A-B: the new weight scores A and B highest
                    w = Unew[r]
                    if w @ ptn[r] <= max(w @ pts[i], w @ pts[j]) + 1e-12 * float(np.abs(G).max()):
                        continue
                edges.append((i, base + r))
                edges.append((base + r, j))
            report(U.shape[0])
    finally:
        if bar is not None:
            bar.close()

    tol = DIST_RTOL * norm
    keep = ok.copy()
    keep[ok] = _nondominated(pts[ok], tol)
    idx = np.flatnonzero(keep)
    Rf = np.asarray(R, dtype=np.float64)
    points = P[idx] @ Rf
    order = np.lexsort(points.T[::-1])
    idx, points = idx[order], points[order]
    if method == "epsilon":
        W = sweep.floors(U[idx]) / s * sign
        W[:, 0] = np.nan
    else:
        W = U[idx]
    return FrontierResult(points=points, lotteries=P[idx], weights=W, method=method, n_solved=int(U.shape[0]))
