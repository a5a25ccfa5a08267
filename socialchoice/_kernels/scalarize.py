"""Numba kernels of the trade-off scalarisations with a closed form (docs/tradeoff-jury.md §A4).

No validation here (``socialchoice.tradeoff._scalarize`` validates); float64 C-contiguous
inputs, leading axis = items.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT_PARALLEL


@njit(**NJIT_PARALLEL)
def weighted_sum_argmax(R, W, sign, rtol, P, A, V):  # pragma: no cover - jit
    """The unconstrained weighted sum of every item in one pass: scores ``Σ_k W_k sign_k R_jk``,
    the tied best set (within ``rtol`` times the range of the item's objective values), the
    uniform lottery over it ``P``, the achieved vector ``A = Rᵀ P`` and the value ``V``.
    Returns the number of items holding a non-finite value (then nothing is trusted)."""
    B, m, d = R.shape
    bad = np.zeros(B, np.int64)
    for b in prange(B):
        lo = np.inf
        hi = -np.inf
        best = -np.inf
        S = np.empty(m)
        for j in range(m):
            s = 0.0
            for k in range(d):
                x = R[b, j, k]
                lo = min(lo, x)
                hi = max(hi, x)
                s += W[b, k] * (sign[k] * x)
            S[j] = s
            best = max(best, s)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            bad[b] = 1
            continue
        thr = best - rtol * (hi - lo)
        t = 0
        for j in range(m):
            t += S[j] >= thr
        share = 1.0 / t
        for k in range(d):
            A[b, k] = 0.0
        for j in range(m):
            p = share if S[j] >= thr else 0.0
            P[b, j] = p
            if p > 0.0:
                for k in range(d):
                    A[b, k] += p * R[b, j, k]
        v = 0.0
        for k in range(d):
            v += W[b, k] * (sign[k] * A[b, k])
        V[b] = v
    return bad.sum()
