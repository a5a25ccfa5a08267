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
def top_block_active(r, act, m):
    """``(best, t)``: the best level among the ``act``-ive candidates ranked on ballot ``r``
    and how many share it (``t = 0`` when the ballot ranks none of them)."""
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


@njit(**NJIT)
def argmax_sets(scores, active, rtol, exact, out):
    """Row-wise tied argmax sets (docs/rules.md §1.5) of ``scores`` (B, m) over ``active``.

    A score within ``rtol`` times the largest finite magnitude among the row's active scores
    of the best is tied (``exact``: equal to the best). NaN never wins unless every active
    score is NaN (then every active candidate wins); a row with no active candidate has no
    winner. One pass per row instead of a chain of temporaries.
    """
    B, m = scores.shape
    for b in range(B):
        best = -np.inf
        big = 0.0
        for c in range(m):
            if active[b, c]:
                x = scores[b, c]
                if x > best:  # False for NaN
                    best = x
                a = abs(x)
                if a > big and a < np.inf:
                    big = a
        thr = best if exact else best - rtol * big
        n_win = 0
        for c in range(m):
            x = scores[b, c]
            win = active[b, c] and (x >= thr if x == x else best == -np.inf)
            out[b, c] = win
            n_win += win
        if n_win == 0:  # every active score NaN or -inf below a -inf threshold
            for c in range(m):
                out[b, c] = active[b, c]
    return out


@njit(**NJIT)
def top_level_sets(values, rtol, out):
    """Row-wise best tie level of ``values`` (B, m) as the welfare functions rank them
    (``welfare._results.finish``, docs/conventions.md §4): sort by ``-value`` with NaN and
    ``-inf`` last, and extend the best level down the sorted values while each gap is at most
    ``rtol`` times the largest finite magnitude of the row (a chained tolerance); equal
    infinities tie. ``out[b, c]`` is True for the alternatives of level 0."""
    B, m = values.shape
    key = np.empty(m)
    for b in range(B):
        big = 0.0
        for c in range(m):
            x = values[b, c]
            key[c] = np.inf if x != x else -x
            a = abs(x)
            if a < np.inf and a > big:
                big = a
        tol = rtol * big
        order = np.argsort(key, kind="mergesort")
        for c in range(m):
            out[b, c] = False
        if m == 0:
            continue
        prev = key[order[0]]
        out[b, order[0]] = True
        for i in range(1, m):
            k = key[order[i]]
            gap = k - prev
            if gap > tol or (gap != gap and k != prev):
                break
            out[b, order[i]] = True
            prev = k
    return out
