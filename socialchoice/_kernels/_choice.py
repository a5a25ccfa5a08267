"""Small Numba helpers shared by the rule kernels (scoring, elimination).

Candidate sets are int64 bitmasks (bit ``c`` = candidate ``c``) or boolean ``active`` rows;
ballots are rows of normalised levels (0 = best, -1 = unranked). Pure ``@njit`` functions,
inlined by Numba into their callers.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import NJIT


@njit(**NJIT)
def top_block_bits(r, A, m):
    """``(best, t)``: the best level among the candidates of bitmask ``A`` ranked on ballot ``r``
    and how many share it (``t = 0`` when the ballot ranks none of them)."""
    best = 1 << 30
    t = 0
    for c in range(m):
        if (A >> c) & 1:
            lv = r[c]
            if lv >= 0:
                if lv < best:
                    best = lv
                    t = 1
                elif lv == best:
                    t += 1
    return best, t


@njit(**NJIT)
def top_block_active(r, act, m):
    """:func:`top_block_bits` for a boolean ``active`` row."""
    best = 1 << 30
    t = 0
    for c in range(m):
        if act[c]:
            lv = r[c]
            if lv >= 0:
                if lv < best:
                    best = lv
                    t = 1
                elif lv == best:
                    t += 1
    return best, t


@njit(**NJIT)
def min_set_bits(F, A, m, tol):
    """Bitmask of the candidates of ``A`` whose ``F`` is within ``tol`` of the minimum over ``A``."""
    lo = np.inf
    for c in range(m):
        if (A >> c) & 1 and F[c] < lo:
            lo = F[c]
    out = np.int64(0)
    for c in range(m):
        if (A >> c) & 1 and F[c] <= lo + tol:
            out |= np.int64(1) << c
    return out


@njit(**NJIT)
def max_set_bits(F, A, m, tol):
    """Bitmask of the candidates of ``A`` whose ``F`` is within ``tol`` of the maximum over ``A``."""
    hi = -np.inf
    for c in range(m):
        if (A >> c) & 1 and F[c] > hi:
            hi = F[c]
    out = np.int64(0)
    for c in range(m):
        if (A >> c) & 1 and F[c] >= hi - tol:
            out |= np.int64(1) << c
    return out


@njit(**NJIT)
def job_range(job, nchunk, n):
    """``(item, lo, hi)`` of parallel job ``job``: voter chunk ``job % nchunk`` of item
    ``job // nchunk`` covers voters ``lo:hi`` of ``n``."""
    b = job // nchunk
    k = job % nchunk
    return b, (k * n) // nchunk, ((k + 1) * n) // nchunk
