"""Ballot-level kernels: level normalisation and ratings -> ranks."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL


@njit(**NJIT)
def _normalize_row(src, dst, order_buf):
    # Dense-rank the ranked levels (>= 0) into 0..k-1; keep -1 for unranked.
    m = src.shape[0]
    k = 0
    for c in range(m):
        if src[c] >= 0:
            order_buf[k] = c
            k += 1
    # insertion sort of the ranked candidates by level (m is small)
    for i in range(1, k):
        c = order_buf[i]
        j = i - 1
        while j >= 0 and src[order_buf[j]] > src[c]:
            order_buf[j + 1] = order_buf[j]
            j -= 1
        order_buf[j + 1] = c
    for c in range(m):
        dst[c] = -1
    level = -1
    prev = -1
    for i in range(k):
        c = order_buf[i]
        if i == 0 or src[c] != prev:
            level += 1
            prev = src[c]
        dst[c] = level


@njit(**NJIT_PARALLEL)
def normalize_levels(ranks, out):
    """``ranks``/``out``: (N, m) integer arrays; out gets consecutive levels, -1 kept."""
    n, m = ranks.shape
    for v in prange(n):
        buf = np.empty(m, np.int64)
        _normalize_row(ranks[v], out[v], buf)


@njit(**NJIT_PARALLEL)
def ratings_to_ranks(values, out):
    """(N, m) float ratings (higher = better, NaN = unranked) -> dense levels, 0 = best."""
    n, m = values.shape
    for v in prange(n):
        row = values[v]
        order = np.empty(m, np.int64)
        k = 0
        for c in range(m):
            if not np.isnan(row[c]):
                order[k] = c
                k += 1
        for i in range(1, k):
            c = order[i]
            j = i - 1
            while j >= 0 and row[order[j]] < row[c]:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = c
        for c in range(m):
            out[v, c] = -1
        level = -1
        prev = 0.0
        for i in range(k):
            c = order[i]
            if i == 0 or row[c] != prev:
                level += 1
                prev = row[c]
            out[v, c] = level


@njit(**NJIT_PARALLEL)
def orders_to_ranks(orders, m, out):
    """(N, k) candidate indices best first, -1 padding -> (N, m) levels (strict ballots)."""
    n, k = orders.shape
    for v in prange(n):
        for c in range(m):
            out[v, c] = -1
        for p in range(k):
            c = orders[v, p]
            if c >= 0:
                out[v, c] = p


@njit(**NJIT)
def check_orders(orders, m):
    """Return (row, position, code) of the first bad entry, or (-1, -1, 0).

    code 1: index out of range; 2: repeated candidate; 3: a candidate after -1 padding.
    """
    n, k = orders.shape
    seen = np.zeros(m, np.int64)
    for v in range(n):
        ended = False
        for p in range(k):
            c = orders[v, p]
            if c == -1:
                ended = True
                continue
            if c < -1 or c >= m:
                return v, p, 1
            if ended:
                return v, p, 3
            if seen[c] == v + 1:
                return v, p, 2
            seen[c] = v + 1
    return -1, -1, 0
