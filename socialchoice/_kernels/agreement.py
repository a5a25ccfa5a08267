"""Kernels of inter-rater agreement (docs/tradeoff-jury.md §B4): pair sums of the ratio metric.

Pure array functions, no validation (``socialchoice.jury._agreement`` validates). Nothing
compiles at import: the kernels are compiled lazily on first call.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import NJIT

__all__ = ["ratio_within_units", "ratio_pairs_distinct"]


@njit(**NJIT)
def ratio_within_units(starts: np.ndarray, x: np.ndarray) -> np.ndarray:  # pragma: no cover - jit
    """Per unit ``u`` (values ``x[starts[u]:starts[u+1]]``), the sum over ordered pairs of
    different values ``i != j`` of ``((a-b)/(a+b))**2`` (``0/0 := 0``). ``O(sum m_u^2)``."""
    nu = starts.shape[0] - 1
    out = np.zeros(nu)
    for u in range(nu):
        s = 0.0
        for i in range(starts[u], starts[u + 1]):
            a = x[i]
            for j in range(i + 1, starts[u + 1]):
                b = x[j]
                t = a + b
                if t > 0.0:
                    d = (a - b) / t
                    s += d * d
        out[u] = 2.0 * s
    return out


@njit(**NJIT)
def ratio_pairs_distinct(v: np.ndarray, c: np.ndarray) -> float:  # pragma: no cover - jit
    """``sum_{k != l} c_k c_l ((v_k - v_l)/(v_k + v_l))**2`` over distinct values ``v`` with
    (weighted) counts ``c``; ``O(V^2)`` time, ``O(1)`` extra memory."""
    n = v.shape[0]
    s = 0.0
    for k in range(n):
        a = v[k]
        acc = 0.0
        for l in range(k + 1, n):
            b = v[l]
            t = a + b
            if t > 0.0:
                d = (a - b) / t
                acc += c[l] * d * d
        s += c[k] * acc
    return 2.0 * s
