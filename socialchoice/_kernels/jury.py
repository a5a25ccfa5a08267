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
