"""Kernels of jury sampling (docs/tradeoff-jury.md §B2).

Pure array functions, no validation (``socialchoice.jury._sampling`` validates); the random
numbers come from the caller's ``numpy.random.Generator`` so the draws are reproducible.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import NJIT

__all__ = ["partial_shuffle"]


@njit(**NJIT)
def partial_shuffle(pool: np.ndarray, u: np.ndarray, out: np.ndarray, col: int) -> None:  # pragma: no cover - jit
    """Draw ``k = u.shape[1]`` of ``pool`` without replacement for each row of ``u`` (uniforms in
    [0, 1)) by a partial Fisher-Yates shuffle; writes ``out[j, col:col+k]``. The scratch copy of
    the pool is restored after each row, so each row costs ``O(k)``."""
    n = pool.shape[0]
    k = u.shape[1]
    perm = pool.copy()
    swaps = np.empty(k, dtype=np.int64)
    for j in range(u.shape[0]):
        for i in range(k):
            r = i + int(u[j, i] * (n - i))
            if r >= n:
                r = n - 1
            swaps[i] = r
            t = perm[i]
            perm[i] = perm[r]
            perm[r] = t
            out[j, col + i] = perm[i]
        for i in range(k - 1, -1, -1):  # undo, in reverse order
            r = swaps[i]
            t = perm[i]
            perm[i] = perm[r]
            perm[r] = t


@njit(**NJIT)
def gather_sum(stat: np.ndarray, juries: np.ndarray, w: np.ndarray, use_w: bool) -> np.ndarray:  # pragma: no cover - jit
    """``out[j] = sum_s w[j, s] * stat[juries[j, s]]`` (seats with ``juries < 0`` skipped):
    the sufficient statistic of every jury from the per-rater statistics ``stat (n, K)``."""
    nj, s = juries.shape
    K = stat.shape[1]
    out = np.zeros((nj, K))
    for j in range(nj):
        for t in range(s):
            r = juries[j, t]
            if r < 0:
                continue
            if use_w:
                c = w[j, t]
                for k in range(K):
                    out[j, k] += c * stat[r, k]
            else:
                for k in range(K):
                    out[j, k] += stat[r, k]
    return out


@njit(**NJIT)
def label_means(L: np.ndarray, juries: np.ndarray, w: np.ndarray) -> np.ndarray:  # pragma: no cover - jit
    """``out[j, i]``: weighted mean of ``L[i, juries[j, s]]`` over the seats with a label
    (not NaN, ``juries >= 0``); NaN when there is none. ``L`` is ``items x raters``; the items
    loop is outermost so each item's row stays in cache."""
    items = L.shape[0]
    nj, s = juries.shape
    out = np.empty((nj, items))
    for i in range(items):
        row = L[i]
        for j in range(nj):
            num = 0.0
            den = 0.0
            for t in range(s):
                r = juries[j, t]
                if r < 0:
                    continue
                x = row[r]
                if x == x:
                    num += w[j, t] * x
                    den += w[j, t]
            out[j, i] = num / den if den > 0.0 else np.nan
    return out
