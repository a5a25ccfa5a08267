"""Ballot-level kernels: level normalisation and ratings -> ranks."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL, jit_variant


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
def dense_row(src, dst, order_buf, sign):
    """Dense-rank one row into levels 0..k-1 (0 = best), -1 for the unranked entries.

    ``sign = 1``: ``src`` holds levels (lower = better; negative = unranked);
    ``sign = -1.0``: ``src`` holds ratings (higher = better; NaN = unranked).
    """
    m = src.shape[0]
    k = 0
    for c in range(m):
        dst[c] = -1
        x = src[c]
        if x == x and (sign < 0 or x >= 0):
            order_buf[k] = c
            k += 1
    dense_levels(src, sign, order_buf, k, dst)


@njit(**NJIT)
def _popcount64(x):
    # set bits of a non-negative int64 (SWAR)
    x = np.uint64(x)
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


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
    elif small:
        # gaps between levels < 63: a level's dense rank is the number of present levels
        # below it (no sort)
        for c in range(m):
            l = row[c]
            out_row[c] = _popcount64(seen & ((1 << l) - 1)) if l >= 0 else -1
        levels = _popcount64(seen)
    else:
        dense_row(row, out_row, buf, 1)
        levels = 0
        for c in range(m):
            if out_row[c] + 1 > levels:
                levels = out_row[c] + 1
    return bad, 1 if levels != k else 0


@njit(**NJIT)
def _count_not_permutation(flat, lo, hi, m):
    # Rows in [lo, hi) that are not a permutation of 0..m-1 (m <= 56): a row is one iff
    # sum_c 2^min(u_c, m) == 2^m - 1, with u the level read as unsigned (-1 and anything >= m
    # map to 2^m, which alone exceeds the target): m powers of two sum to a number with m
    # one-bits only if they are distinct. An add, unlike an OR of bits, lets the unrolled row
    # loop vectorise.
    target = (np.int64(1) << np.int64(m)) - np.int64(1)
    cap = np.uint64(m)
    bad = 0
    for v in range(lo, hi):
        acc = np.int64(0)
        for c in range(m):
            u = np.uint64(np.int64(flat[v * m + c]))
            acc += np.int64(1) << np.int64(min(u, cap))
        bad += acc != target
    return bad


@njit(**NJIT)
def _check_row(flat, base, m, mark):
    # (1, 0) if the row needs normalising or is invalid, else (0, 1 if it ties ranked
    # candidates); ``mark`` is a zeroed bool buffer of length m, left zeroed
    sign = np.int64(1) << 63
    seen = np.int64(0)
    top = np.int64(-1)
    k = 0
    n_below = 0
    for c in range(m):
        l = np.int64(flat[base + c])
        seen |= np.int64(1) << (l & 63)  # -1 sets bit 63
        top = max(top, l)
        k += l >= 0
        n_below += l < -1  # (l & 63) could alias a valid level's bit
    if n_below or top >= m:
        return 1, 0
    if top < 62:
        if (seen | sign) == (((np.int64(1) << (top + 1)) - 1) | sign):
            return 0, 1 if (top + 1) != k else 0
        return 1, 0
    for c in range(m):  # wide rows: mark the levels present
        l = flat[base + c]
        if l >= 0:
            mark[l] = True
    dense = True
    for l in range(top + 1):
        dense &= mark[l]
        mark[l] = False
    if dense:
        return 0, 1 if (top + 1) != k else 0
    return 1, 0


@njit(**NJIT)
def _row_blocks(n, k):
    """Rows are processed in parallel blocks of 4096: ``(block, k counters per block)``."""
    block = 4096
    return block, np.zeros((k, (n + block - 1) // block), np.int64)


def _make_level_pass(M: int, write: bool):
    """The parallel level pass; ``M > 0`` fixes m at compile time (loops unroll).

    ``write=True`` makes the normaliser, ``write=False`` the read-only check (the flag is a
    compile-time constant of the closure, so each variant keeps only its own branch).
    """

    def level_pass(ranks, out):
        """Dense-rank each row of ``ranks`` (N, m) into ``out``; -1 (unranked) is kept.

        Returns ``(n_first, n_tied)``. Normaliser: ``n_first`` counts entries below -1
        (invalid). Check (nothing written, ``out`` unused): ``n_first`` counts the rows that
        need normalising or are invalid, so a valid array can be used as it is. ``n_tied``:
        rows that tie two ranked candidates. Rows already holding consecutive levels are
        recognised without sorting (one pass over flat memory for complete strict ballots).
        """
        n = ranks.shape[0]
        m = M if M > 0 else ranks.shape[1]
        flat = ranks.reshape(-1)
        flat_out = out.reshape(-1)
        block, counts = _row_blocks(n, 2)
        first_b, tied_b = counts[0], counts[1]
        for b in prange(counts.shape[1]):
            buf = np.empty(m, np.int64)
            lo = b * block
            hi = min(n, lo + block)
            if write:
                flat_out[lo * m:hi * m] = flat[lo * m:hi * m]
            n_off = _count_not_permutation(flat, lo, hi, m) if m <= 56 else hi - lo
            first = 0
            tied = 0
            if n_off:  # rare: ties, truncation or invalid levels somewhere in the block
                mark = np.zeros(m, np.bool_)
                for v in range(lo, hi):
                    o, t = _check_row(flat, v * m, m, mark)
                    if o and write:  # gaps and invalid entries take the general path
                        o, t = _normalize_one(ranks[v], out[v], buf)
                    first += o
                    tied += t
            first_b[b] = first
            tied_b[b] = tied
        return first_b.sum(), tied_b.sum()

    return jit_variant(level_pass, f"_{'normalize' if write else 'check'}_m{M}", **NJIT_PARALLEL)


#: the generic kernels (any m), and specialised ones for small m, compiled on first use
normalize_levels = _make_level_pass(0, True)
check_levels = _make_level_pass(0, False)
_LEVEL_PASS: dict = {(0, True): normalize_levels, (0, False): check_levels}
_SPECIALISE_MAX_M = 16


def _level_pass_kernel(m: int, write: bool):
    key = (m if m <= _SPECIALISE_MAX_M else 0, write)
    if key not in _LEVEL_PASS:
        _LEVEL_PASS[key] = _make_level_pass(*key)
    return _LEVEL_PASS[key]


def normalize_levels_kernel(m: int):
    """The fastest parallel normaliser for ``m`` candidates: ``kernel(ranks, out)``."""
    return _level_pass_kernel(m, True)


def check_levels_kernel(m: int):
    """The fastest parallel read-only level check for ``m`` candidates: ``check(ranks)``."""
    kernel = _level_pass_kernel(m, False)
    return lambda ranks: kernel(ranks, ranks)  # nothing is written


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
            dense_row(values[v], out[v], order, -1.0)




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


@njit(**NJIT_PARALLEL)
def orders_to_ranks_checked(orders, m, out, seen):
    """Scatter ``(N, k)`` orders (candidate indices best first, -1 padding) into ``(N, m)``
    levels and validate in the same pass; returns the number of bad ballots (0 = all valid).

    A ballot is bad if an index is outside ``0..m-1`` (other than -1 padding), a candidate
    repeats, or a candidate follows the padding. ``seen`` is ``(n_blocks, m)`` bool, zeroed by
    the caller: block ``j`` marks every candidate its ballots rank (no shared writes), so the
    caller can tell whether every candidate appears somewhere. Works on the orders' own integer
    dtype (no int64 copy of the input). For ``m <= 64`` the checks are branch-free bit
    arithmetic on a register mask of the candidates placed, and unranked cells are filled
    after the scatter from that mask (nothing is written twice on complete ballots).
    """
    n, k = orders.shape
    nb = seen.shape[0]
    per = (n + nb - 1) // nb
    bad = 0
    if m > 64:
        for j in prange(nb):
            lo = j * per
            hi = min(n, lo + per)
            for v in range(lo, hi):
                for c in range(m):
                    out[v, c] = -1
                ended = False
                ok = True
                for p in range(k):
                    c = np.int64(orders[v, p])
                    if c == -1:
                        ended = True
                        continue
                    if c < -1 or c >= m or ended or out[v, c] != -1:
                        ok = False
                        break
                    out[v, c] = p
                    seen[j, c] = True
                if not ok:
                    bad += 1
        return bad
    one = np.uint64(1)
    for j in prange(nb):
        lo = j * per
        hi = min(n, lo + per)
        used_block = np.uint64(0)
        for v in range(lo, hi):
            used = np.uint64(0)
            err = False
            ended = False
            for p in range(k):
                c = np.int64(orders[v, p])
                valid = (c >= 0) & (c < m)
                bit = np.uint64(valid) << np.uint64(c & 63)
                err |= ((used & bit) != 0) | (c < -1) | (c >= m) | (ended & (c >= 0))
                ended |= c == -1
                used |= bit
                if valid:
                    out[v, c] = p
            if used != (one << np.uint64(m)) - one if m < 64 else used != ~np.uint64(0):
                for c in range(m):
                    if not (used >> np.uint64(c)) & one:
                        out[v, c] = -1
            if err:
                bad += 1
            used_block |= used
        for c in range(m):
            if (used_block >> np.uint64(c)) & one:
                seen[j, c] = True
    return bad


def _make_orders_complete(M: int):
    """The complete-ballot scatter; ``M > 0`` fixes m at compile time (the loop unrolls)."""

    def orders_to_ranks_complete(orders, out):
        """Fast path of :func:`orders_to_ranks_checked` for complete strict ballots, ``k == m
        <= 56``: count the ballots that are *not* permutations of ``0..m-1`` with the
        vectorised check of the level validator (an order is a permutation too), then scatter
        the valid blocks without further checks. Blocks holding a bad ballot are left
        unwritten; a nonzero count tells the caller to redo everything with the general
        kernel."""
        n = orders.shape[0]
        block, counts = _row_blocks(n, 1)
        bad_b = counts[0]
        m = M if M > 0 else orders.shape[1]
        flat = orders.reshape(-1)
        flat_out = out.reshape(-1)
        for b in prange(bad_b.shape[0]):
            lo = b * block
            hi = min(n, lo + block)
            bad_b[b] = _count_not_permutation(flat, lo, hi, m)
            if bad_b[b] == 0:
                for v in range(lo, hi):
                    base = v * m
                    for p in range(m):
                        flat_out[base + np.intp(flat[base + p])] = p
        return bad_b.sum()

    return jit_variant(orders_to_ranks_complete, f"_m{M}", **NJIT_PARALLEL)


_ORDERS_COMPLETE: dict = {}


def orders_to_ranks_complete_kernel(m: int):
    """The complete-ballot scatter for ``m`` candidates (specialised for m <= 16)."""
    key = m if m <= _SPECIALISE_MAX_M else 0
    if key not in _ORDERS_COMPLETE:
        _ORDERS_COMPLETE[key] = _make_orders_complete(key)
    return _ORDERS_COMPLETE[key]
