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
        for q in range(k + 1, n):
            b = v[q]
            t = a + b
            if t > 0.0:
                d = (a - b) / t
                acc += c[q] * d * d
        s += c[k] * acc
    return 2.0 * s


@njit(**NJIT)
def unit_value_counts(X: np.ndarray, width: int):  # pragma: no cover - jit
    """One pass over a ``raters x units`` matrix (NaN = missing): the distinct values in order
    of first appearance and the ``units x values`` count table; ``ok=False`` as soon as more
    than ``width`` distinct values appear (call again with a larger width). Small integers are
    looked up in a table."""
    R, U = X.shape
    vals = np.empty(width)
    counts = np.zeros((U, width))
    table = np.full(65536, -1, dtype=np.int64)  # code of each small integer value seen
    k = 0
    for r in range(R):
        row = X[r]
        for u in range(U):
            x = row[u]
            if x != x:
                continue
            small = False
            if -32768.0 <= x < 32768.0:
                xi = int(x)
                if xi == x:
                    small = True
                    j = table[xi + 32768]
                    if j >= 0:
                        counts[u, j] += 1.0
                        continue
            j = 0
            while j < k and vals[j] != x:
                j += 1
            if j == k:
                if k == width:
                    return vals[:0], counts[:, :0], False
                vals[k] = x
                k += 1
            if small:
                table[int(x) + 32768] = j
            counts[u, j] += 1.0
    return vals[:k].copy(), counts[:, :k], True


@njit(**NJIT)
def fourier_sums(y: np.ndarray, c: np.ndarray, h: float, K: int):  # pragma: no cover - jit
    """``re[k] = sum_i c_i cos(k h y_i)``, ``im[k] = sum_i c_i sin(k h y_i)`` for ``k = 0..K``,
    by the angle-addition recurrence (one ``cos``/``sin`` per value, then complex products)."""
    re = np.zeros(K + 1)
    im = np.zeros(K + 1)
    for i in range(y.shape[0]):
        cr = np.cos(h * y[i])
        ci = np.sin(h * y[i])
        zr = 1.0
        zi = 0.0
        w = c[i]
        for k in range(K + 1):
            re[k] += w * zr
            im[k] += w * zi
            t = zr * cr - zi * ci
            zi = zr * ci + zi * cr
            zr = t
    return re, im
