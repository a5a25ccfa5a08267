"""Numba kernels around the bargaining solvers: gains, lottery post-processing, certificates.

One pass over ``(B, n, m)`` utilities each, parallel over items, where numpy needs several
small-axis reductions (a min over 10 alternatives is a strided reduction per row in numpy).
No validation happens here: inputs are finite float64, C-contiguous.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT as _NJIT
from .._config import NJIT_PARALLEL as _NJIT_PARALLEL

NJIT = dict(_NJIT, error_model="numpy")
NJIT_PARALLEL = dict(_NJIT_PARALLEL, error_model="numpy")


@njit(**NJIT)
def _divide_item(X, b, top):
    # X[b] /= top, as numpy would (a division, not a reciprocal product: bit-identical)
    if top > 0.0 and top < np.inf:
        n, m = X.shape[1], X.shape[2]
        for i in range(n):
            for j in range(m):
                X[b, i, j] = X[b, i, j] / top


@njit(**NJIT_PARALLEL)
def gains_from_min(U, X, to_unit):
    """Gains over each agent's worst alternative into ``X`` (B, n, m), allocated by numpy
    (huge pages; Numba's allocator faults 4 KB pages); returns (d, scale). ``to_unit``: divide
    each item's gains by its scale (when positive and finite) while they are in cache."""
    B, n, m = U.shape
    d = np.empty((B, n))
    scale = np.empty(B)
    for b in prange(B):
        top = 0.0
        for i in range(n):
            lo = U[b, i, 0]
            for j in range(1, m):
                if U[b, i, j] < lo:
                    lo = U[b, i, j]
            d[b, i] = lo
            for j in range(m):
                x = U[b, i, j] - lo
                X[b, i, j] = x
                if x > top:
                    top = x
        scale[b] = top
        if to_unit:
            _divide_item(X, b, top)
    return d, scale


@njit(**NJIT_PARALLEL)
def gains_from_point(U, d, X, to_unit):
    """Gains over a given disagreement point ``d`` (B, n) into ``X``; returns the scale
    (``to_unit`` as in :func:`gains_from_min`)."""
    B, n, m = U.shape
    scale = np.empty(B)
    for b in prange(B):
        top = 0.0
        for i in range(n):
            for j in range(m):
                x = U[b, i, j] - d[b, i]
                X[b, i, j] = x
                if abs(x) > top:
                    top = abs(x)
        scale[b] = top
        if to_unit:
            _divide_item(X, b, top)
    return scale


@njit(**NJIT_PARALLEL)
def pure_if_attained(X, active, P, tol):
    """Replace each mixed lottery by the lowest-index alternative with the same gain vector
    (within ``tol[b]`` for every active agent); returns a new (B, m) array."""
    B, n, m = X.shape
    out = P.copy()
    for b in prange(B):
        top = 0.0
        for j in range(m):
            if P[b, j] > top:
                top = P[b, j]
        if top >= 1.0:
            continue
        g = np.zeros(n)
        for i in range(n):
            for j in range(m):
                g[i] += X[b, i, j] * P[b, j]
        for j in range(m):
            same = True
            for i in range(n):
                if active[b, i] and abs(X[b, i, j] - g[i]) > tol[b]:
                    same = False
                    break
            if same:
                for k in range(m):
                    out[b, k] = 0.0
                out[b, j] = 1.0
                break
    return out


@njit(**NJIT_PARALLEL)
def nash_value_and_gap(X, w, P):
    """Weighted Nash objective ``sum_i w_i log(x_i p)`` and the Frank-Wolfe certificate
    ``max_j D_j(p) - W`` (clipped at 0) per item; agents with ``w = 0`` are ignored, a gain
    <= 0 of a weighted agent gives -inf welfare and an infinite gap."""
    B, n, m = X.shape
    val = np.empty(B)
    gap = np.empty(B)
    for b in prange(B):
        g = np.zeros(n)
        W = 0.0
        v = 0.0
        bad = False
        for i in range(n):
            if w[b, i] > 0.0:
                W += w[b, i]
                for j in range(m):
                    g[i] += X[b, i, j] * P[b, j]
                if g[i] > 0.0:
                    v += w[b, i] * np.log(g[i])
                else:
                    bad = True
        if bad:
            val[b] = -np.inf
            gap[b] = np.inf
            continue
        top = -np.inf
        for j in range(m):
            acc = 0.0
            for i in range(n):
                if w[b, i] > 0.0:
                    acc += w[b, i] * X[b, i, j] / g[i]
            if acc > top:
                top = acc
        val[b] = v
        gap[b] = max(top - W, 0.0)
    return val, gap
