"""Ballot-level kernels: level normalisation and ratings -> ranks."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL


@njit(**NJIT)
def dense_levels(key, sign, order, k, dst):
    """Sort ``order[:k]`` by ``sign * key`` ascending and write dense levels (0 = first,
    equal keys tie) into ``dst`` at those candidates; other entries of ``dst`` are left alone.

    Insertion sort: rows are short (m candidates). Shared by level normalisation (sign 1),
    ratings -> ranks (sign -1: higher rating first) and the spatial generator (distances).
    """
    for i in range(1, k):
        c = order[i]
        j = i - 1
        while j >= 0 and sign * key[order[j]] > sign * key[c]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = c
    level = -1
    for i in range(k):
        c = order[i]
        if i == 0 or key[c] != key[order[i - 1]]:
            level += 1
        dst[c] = level


@njit(**NJIT)
def _normalize_row(src, dst, order_buf):
    # Dense-rank the ranked levels (>= 0) into 0..k-1; keep -1 for unranked.
    m = src.shape[0]
    k = 0
    for c in range(m):
        dst[c] = -1
        if src[c] >= 0:
            order_buf[k] = c
            k += 1
    dense_levels(src, 1, order_buf, k, dst)


@njit(**NJIT)
def _normalize_one(row, out_row, buf):
    # returns (entries below -1, 1 if the row ties two ranked candidates)
    m = row.shape[0]
    seen = 0
    k = 0
    top = -1
    bad = 0
    small = True
    for c in range(m):
        l = row[c]
        if l >= 0:
            k += 1
            if l > top:
                top = l
            if l < 63:
                seen |= 1 << l
            else:
                small = False
        elif l < -1:
            bad += 1
    if small and seen == (1 << (top + 1)) - 1:
        for c in range(m):
            out_row[c] = row[c]
        levels = top + 1
    else:
        _normalize_row(row, out_row, buf)
        levels = 0
        for c in range(m):
            if out_row[c] + 1 > levels:
                levels = out_row[c] + 1
    return bad, 1 if levels != k else 0


def _make_normalize_levels(M: int):
    """The parallel level normaliser; ``M > 0`` fixes m at compile time (loops unroll)."""

    @njit(**NJIT_PARALLEL)
    def normalize_levels(ranks, out):
        """Dense-rank each row of ``ranks`` (N, m) into ``out``; -1 (unranked) is kept.

        Returns ``(n_invalid, n_tied)``: entries below -1, and rows that tie two ranked
        candidates. Rows already holding consecutive levels are copied without sorting, so
        validating normalised input costs one pass over flat memory.
        """
        n = ranks.shape[0]
        m = M if M > 0 else ranks.shape[1]
        flat = ranks.reshape(-1)
        flat_out = out.reshape(-1)
        block = 4096
        n_blocks = (n + block - 1) // block
        bad_b = np.zeros(n_blocks, np.int64)
        tied_b = np.zeros(n_blocks, np.int64)
        sign = np.int64(1) << 63
        complete = (np.int64(1) << m) - 1 if m < 63 else np.int64(-2)
        for b in prange(n_blocks):
            buf = np.empty(m, np.int64)
            slow = np.empty(block, np.int64)
            n_slow = 0
            lo = b * block
            hi = min(n, lo + block)
            # pass 1 (hot): copy, and flag rows that are not complete strict ballots
            for v in range(lo, hi):
                base = v * m
                seen = np.int64(0)
                for c in range(m):
                    x = flat[base + c]
                    flat_out[base + c] = x
                    seen |= np.int64(1) << (np.int64(x) & 63)  # -1 sets bit 63
                slow[n_slow] = v
                n_slow += seen != complete
            # pass 2: consecutive levels with ties/truncation are valid as they are; gaps,
            # levels >= 62 and entries below -1 take the general path
            tied = 0
            bad = 0
            for j in range(n_slow):
                v = slow[j]
                base = v * m
                seen = np.int64(0)
                top = np.int64(-1)
                k = 0
                for c in range(m):
                    l = np.int64(flat[base + c])
                    seen |= np.int64(1) << (l & 63)
                    top = max(top, l)
                    k += l >= 0
                if top < 62 and (seen | sign) == (((np.int64(1) << (top + 1)) - 1) | sign):
                    tied += (top + 1) != k
                else:
                    b_, t_ = _normalize_one(ranks[v], out[v], buf)
                    bad += b_
                    tied += t_
            bad_b[b] = bad
            tied_b[b] = tied
        return bad_b.sum(), tied_b.sum()

    return normalize_levels


#: the generic kernel (any m), and specialised ones for small m, compiled on first use
normalize_levels = _make_normalize_levels(0)
_NORMALIZE_BY_M: dict = {}
_SPECIALISE_MAX_M = 16


def normalize_levels_kernel(m: int):
    """The fastest parallel normaliser for ``m`` candidates."""
    if m > _SPECIALISE_MAX_M:
        return normalize_levels
    if m not in _NORMALIZE_BY_M:
        _NORMALIZE_BY_M[m] = _make_normalize_levels(m)
    return _NORMALIZE_BY_M[m]


@njit(**NJIT)
def normalize_levels_serial(ranks, out):
    """Single-threaded :func:`normalize_levels` for small inputs (no thread start-up)."""
    n, m = ranks.shape
    n_invalid = 0
    n_tied = 0
    buf = np.empty(m, np.int64)
    for v in range(n):
        bad, tied = _normalize_one(ranks[v], out[v], buf)
        n_invalid += bad
        n_tied += tied
    return n_invalid, n_tied


@njit(**NJIT_PARALLEL)
def ratings_to_ranks(values, out):
    """(N, m) float ratings (higher = better, NaN = unranked) -> dense levels, 0 = best."""
    n, m = values.shape
    block = 4096
    for b in prange((n + block - 1) // block):
        order = np.empty(m, np.int64)  # one scratch buffer per block of rows
        for v in range(b * block, min(n, (b + 1) * block)):
            _rank_ratings_row(values[v], out[v], order)


@njit(**NJIT)
def _rank_ratings_row(row, out_row, order):
    m = row.shape[0]
    k = 0
    for c in range(m):
        out_row[c] = -1
        if not np.isnan(row[c]):
            order[k] = c
            k += 1
    dense_levels(row, -1.0, order, k, out_row)


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
