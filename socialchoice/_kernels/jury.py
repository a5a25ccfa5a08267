"""Kernels of jury sampling (docs/tradeoff-jury.md §B2).

Pure array functions, no validation (``socialchoice.jury._sampling`` validates); the random
numbers come from the caller's ``numpy.random.Generator`` so the draws are reproducible.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL, jit_variant

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


def _make_gather_sum(K_FIXED: int):
    """The jury-statistic gather; ``K_FIXED > 0`` fixes the statistic's width at compile time
    (the per-seat loop unrolls and the accumulator stays in registers)."""

    def gather_sum(stat, juries, seat_w, use_seat_w, rater_w, use_rater_w, zero):
        """``out[j] = sum_s c_js * stat[juries[j, s]]`` with ``c_js = seat_w[j, s] *
        rater_w[juries[j, s]]`` (each factor only when used): the sufficient statistic of
        every jury from the per-rater statistics ``stat (n, K)``, and ``wsum[j] = sum_s c_js``.
        Empty seats (``juries < 0``) are skipped; seats naming a rater ``>= n`` are skipped
        and counted (the caller raises), so the juries need no separate validation pass.
        ``zero`` types the accumulator: ``np.int32(0)`` for a 0/1 ``uint8`` statistic without
        weights (64 bytes a rater for an 8 x 8 comparison matrix instead of 512), ``0.0``
        otherwise. Parallel over juries."""
        nj, s = juries.shape
        n = stat.shape[0]
        K = K_FIXED if K_FIXED > 0 else stat.shape[1]
        out = np.empty((nj, K))
        wsum = np.empty(nj)
        bad = np.zeros(nj, np.int64)
        for j in prange(nj):
            acc = np.full(K, zero)
            tw = 0.0
            for t in range(s):
                r = juries[j, t]
                if r < 0:
                    continue
                if r >= n:
                    bad[j] += 1
                    continue
                row = stat[r]
                if use_seat_w or use_rater_w:
                    c = (seat_w[j, t] if use_seat_w else 1.0) * (rater_w[r] if use_rater_w else 1.0)
                    tw += c
                    for k in range(K):
                        acc[k] += c * row[k]
                else:
                    tw += 1.0
                    for k in range(K):
                        acc[k] += row[k]
            for k in range(K):
                out[j, k] = acc[k]
            wsum[j] = tw
        return out, wsum, bad.sum()

    return jit_variant(gather_sum, f"_K{K_FIXED}", **NJIT_PARALLEL)


@njit(**NJIT_PARALLEL)
def index_range(J):  # pragma: no cover - jit
    """``(min, max)`` of an integer array in one parallel pass (rows of ``J`` (n, s))."""
    n = J.shape[0]
    lo = np.full(n, np.iinfo(np.int64).max, np.int64)
    hi = np.full(n, np.iinfo(np.int64).min, np.int64)
    for i in prange(n):
        a = lo[i]
        b = hi[i]
        for x in J[i]:
            a = min(a, np.int64(x))
            b = max(b, np.int64(x))
        lo[i] = a
        hi[i] = b
    return lo.min(), hi.max()


@njit(**NJIT_PARALLEL)
def gather_sum8(stat, juries):  # pragma: no cover - jit
    """:func:`gather_sum` for an unweighted float statistic whose width is a multiple of 8:
    eight columns at a time in scalar accumulators (registers; an accumulator array makes
    every add a store-to-load chain), and two sets of them, for the even and the odd seats,
    so consecutive adds do not wait on each other's latency. The sums differ from the general
    kernel's only in the order of the additions. Returns ``(sums, valid seats per jury, bad)``."""
    nj, s = juries.shape
    n, K = stat.shape
    out = np.empty((nj, K))
    wsum = np.empty(nj)
    bad = np.zeros(nj, np.int64)
    for j in prange(nj):
        row = juries[j]
        miss = 0
        for k0 in range(0, K, 8):
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
            b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = 0.0
            miss = 0  # the same in every block; counted in the rare branch only (a count on
            t = 0     # every seat costs a third of the kernel)
            while t + 1 < s:
                r = np.uint32(row[t])  # an empty seat (< 0) wraps above n: one compare
                q = np.uint32(row[t + 1])
                if r < n:
                    a0 += stat[r, k0]
                    a1 += stat[r, k0 + 1]
                    a2 += stat[r, k0 + 2]
                    a3 += stat[r, k0 + 3]
                    a4 += stat[r, k0 + 4]
                    a5 += stat[r, k0 + 5]
                    a6 += stat[r, k0 + 6]
                    a7 += stat[r, k0 + 7]
                else:
                    miss += 1
                if q < n:
                    b0 += stat[q, k0]
                    b1 += stat[q, k0 + 1]
                    b2 += stat[q, k0 + 2]
                    b3 += stat[q, k0 + 3]
                    b4 += stat[q, k0 + 4]
                    b5 += stat[q, k0 + 5]
                    b6 += stat[q, k0 + 6]
                    b7 += stat[q, k0 + 7]
                else:
                    miss += 1
                t += 2
            if t < s:
                r = np.uint32(row[t])
                if r < n:
                    a0 += stat[r, k0]
                    a1 += stat[r, k0 + 1]
                    a2 += stat[r, k0 + 2]
                    a3 += stat[r, k0 + 3]
                    a4 += stat[r, k0 + 4]
                    a5 += stat[r, k0 + 5]
                    a6 += stat[r, k0 + 6]
                    a7 += stat[r, k0 + 7]
                else:
                    miss += 1
            out[j, k0] = a0 + b0
            out[j, k0 + 1] = a1 + b1
            out[j, k0 + 2] = a2 + b2
            out[j, k0 + 3] = a3 + b3
            out[j, k0 + 4] = a4 + b4
            out[j, k0 + 5] = a5 + b5
            out[j, k0 + 6] = a6 + b6
            out[j, k0 + 7] = a7 + b7
        wsum[j] = s - miss
        if miss:  # empty or out-of-range seats: tell them apart
            bad[j] = _out_of_range(row, n)
    return out, wsum, bad.sum()


_GATHER: dict = {}


def gather_sum(stat: np.ndarray, juries: np.ndarray, seat_w: np.ndarray | None = None,
               rater_w: np.ndarray | None = None):
    """``(sums (J, K), weight per jury (J,), number of out-of-range seats)``: dispatch
    :func:`_make_gather_sum`'s kernel (specialised for widths up to 64)."""
    K = stat.shape[1]
    key = K if K <= 64 else 0
    if key not in _GATHER:
        _GATHER[key] = _make_gather_sum(key)
    weighted = seat_w is not None or rater_w is not None
    if not weighted and stat.dtype == np.float64 and K % 8 == 0:
        return gather_sum8(stat, juries)
    integral = stat.dtype == np.uint8 and not weighted
    return _GATHER[key](stat, juries,
                        np.ones((1, 1)) if seat_w is None else seat_w, seat_w is not None,
                        np.ones(1) if rater_w is None else rater_w, rater_w is not None,
                        np.int32(0) if integral else 0.0)


@njit(**NJIT_PARALLEL)
def label_means(L: np.ndarray, juries: np.ndarray, w: np.ndarray) -> np.ndarray:  # pragma: no cover - jit
    """``out[j, i]``: weighted mean of ``L[i, juries[j, s]]`` over the seats with a label
    (not NaN, ``juries >= 0``); NaN when there is none. ``L`` is ``items x raters``.

    Items go in blocks of 16 (parallel over blocks): the blocks' rows stay in L1 while the
    juries and seat weights stream past once per block, not once per item (per item, they
    are the memory traffic that bounds the kernel)."""
    items = L.shape[0]
    nj, s = juries.shape
    out = np.empty((nj, items))
    B = 16
    n_blocks = (items + B - 1) // B
    for blk in prange(n_blocks):
        i0 = blk * B
        nb = min(B, items - i0)
        num = np.empty(B)
        den = np.empty(B)
        blk_rows = np.empty((L.shape[1], B))  # the block transposed: the inner loop is contiguous
        for r in range(L.shape[1]):
            for ii in range(nb):
                blk_rows[r, ii] = L[i0 + ii, r]
        for j in range(nj):
            for ii in range(nb):
                num[ii] = 0.0
                den[ii] = 0.0
            for t in range(s):
                r = juries[j, t]
                if r < 0:
                    continue
                wt = w[j, t]
                for ii in range(nb):
                    x = blk_rows[r, ii]
                    ok = x == x
                    num[ii] += wt * x if ok else 0.0
                    den[ii] += wt if ok else 0.0
            for ii in range(nb):
                out[j, i0 + ii] = num[ii] / den[ii] if den[ii] > 0.0 else np.nan
    return out


@njit(inline="always", **NJIT)
def _out_of_range(row, n):  # pragma: no cover - jit
    """Seats of one jury naming a rater ``>= n`` (empty seats, ``< 0``, are not counted)."""
    nbad = 0
    for t in range(row.shape[0]):
        nbad += row[t] >= n
    return nbad


@njit(inline="always", **NJIT)
def _decode_counters(h, out, j, base):  # pragma: no cover - jit
    """``out[j, base + p] += count of position p`` from the bit-sliced counters ``h``."""
    for k in range(h.shape[0]):
        hk = h[k]
        if hk == 0:
            continue
        for p in range(64):  # branchless: the bits are as good as random
            out[j, base + p] += np.int64((hk >> np.uint64(p)) & np.uint64(1)) << k


@njit(inline="always", **NJIT)
def _add_nibbles(h, c0, c1, c2, c3):  # pragma: no cover - jit
    """``h += (c3 c2 c1 c0)`` for 64 bit-sliced counters at once: a ripple-carry adder whose
    carry stops as soon as it is zero."""
    h0 = h[0]
    u = h0 ^ c0
    h[0] = u
    carry = h0 & c0
    h1 = h[1]
    u = h1 ^ c1
    h[1] = u ^ carry
    carry = (h1 & c1) | (u & carry)
    h2 = h[2]
    u = h2 ^ c2
    h[2] = u ^ carry
    carry = (h2 & c2) | (u & carry)
    h3 = h[3]
    u = h3 ^ c3
    h[3] = u ^ carry
    carry = (h3 & c3) | (u & carry)
    k = 4
    while carry != 0:
        hk = h[k]
        h[k] = hk ^ carry
        carry = hk & carry
        k += 1


@njit(**NJIT_PARALLEL)
def gather_bitcount(words, juries):  # pragma: no cover - jit
    """``counts[j, 64 w + p]``: how many valid seats of jury ``j`` sit a rater with bit ``p`` of
    ``words[r, w]`` set — a positional population count over the seats, the jury sum of a 0/1
    statistic packed 64 to a word. Returns ``(counts (J, 64 W) int64, valid seats per jury,
    out-of-range seats)``; seats ``< 0`` are empty.

    Bit-sliced counters: bit ``p`` of ``c_k`` is bit ``k`` of position ``p``'s running count,
    so one seat costs a ripple of three ANDs and XORs through four-bit counters for all 64
    positions at once; every 15 seats the four-bit counters are added into sixteen-bit ones
    (``h_k``) by a bit-sliced ripple-carry adder. A jury holds at most 65,535 seats (the
    caller checks). Exact: integer counts, no rounding."""
    nj, s = juries.shape
    n, W = words.shape
    out = np.zeros((nj, W * 64), np.int64)
    valid_out = np.zeros(nj, np.int64)
    bad = np.zeros(nj, np.int64)
    for j in prange(nj):
        h = np.zeros(16, np.uint64)
        row = juries[j]
        for w in range(W):
            h[:] = 0
            c0 = c1 = c2 = c3 = np.uint64(0)
            pend = 0
            miss = 0
            for t in range(s):
                r = np.uint32(row[t])  # an empty seat (< 0) wraps above n: one compare
                if r >= n:
                    miss += 1
                    continue
                x = words[r, w]
                k0 = c0 & x
                c0 ^= x
                k1 = c1 & k0
                c1 ^= k0
                k2 = c2 & k1
                c2 ^= k1
                c3 ^= k2  # at most 15 adds between flushes: no carry out of c3
                pend += 1
                if pend == 15:
                    _add_nibbles(h, c0, c1, c2, c3)
                    c0 = c1 = c2 = c3 = np.uint64(0)
                    pend = 0
            _add_nibbles(h, c0, c1, c2, c3)
            if w == 0:
                valid_out[j] = s - miss
                if miss:  # empty or out-of-range seats: tell them apart
                    bad[j] = _out_of_range(row, n)
            _decode_counters(h, out, j, 64 * w)
    return out, valid_out, bad.sum()


@njit(**NJIT_PARALLEL)
def pack_comparisons(X):  # pragma: no cover - jit
    """Bit ``x m + y`` of row ``r`` set iff ``X[r, x] > X[r, y]`` (NaN compares False): each
    rater's pairwise comparison matrix packed 64 to a word, ``(n, ceil(m^2 / 64))`` uint64."""
    n, m = X.shape
    W = (m * m + 63) // 64
    out = np.zeros((n, W), np.uint64)
    for r in prange(n):
        for x in range(m):
            a = X[r, x]
            for y in range(m):
                if a > X[r, y]:
                    p = x * m + y
                    out[r, p >> 6] |= np.uint64(1) << np.uint64(p & 63)
    return out


@njit(**NJIT_PARALLEL)
def gather_bitcount_pairs(words, juries):  # pragma: no cover - jit
    """:func:`gather_bitcount` for a statistic of at most 32 bits a rater (``words`` (n,)
    uint64 with the high half zero): two seats share one ripple, the second shifted into the
    high half, so ``counts[j, p] + counts[j, p + 32]`` is position ``p``'s count. Returns
    ``(counts (J, 64), valid seats per jury, out-of-range seats)``."""
    nj, s = juries.shape
    n = words.shape[0]
    out = np.zeros((nj, 64), np.int64)
    valid_out = np.zeros(nj, np.int64)
    bad = np.zeros(nj, np.int64)
    zero = np.uint64(0)
    for j in prange(nj):
        h = np.zeros(16, np.uint64)
        row = juries[j]
        c0 = c1 = c2 = c3 = zero
        pend = 0
        miss = 0
        for t in range(0, s, 2):
            r = np.uint32(row[t])  # an empty seat (< 0) wraps above n: one compare
            x = zero
            if r < n:
                x = words[r]
            else:
                miss += 1
            if t + 1 < s:
                q = np.uint32(row[t + 1])
                if q < n:
                    x |= words[q] << np.uint64(32)
                else:
                    miss += 1
            k0 = c0 & x
            c0 ^= x
            k1 = c1 & k0
            c1 ^= k0
            k2 = c2 & k1
            c2 ^= k1
            c3 ^= k2  # at most 15 adds between flushes: no carry out of c3
            pend += 1
            if pend == 15:
                _add_nibbles(h, c0, c1, c2, c3)
                c0 = c1 = c2 = c3 = zero
                pend = 0
        _add_nibbles(h, c0, c1, c2, c3)
        valid_out[j] = s - miss
        if miss:  # empty or out-of-range seats: tell them apart
            bad[j] = _out_of_range(row, n)
        _decode_counters(h, out, j, 0)
    return out, valid_out, bad.sum()


@njit(**NJIT_PARALLEL)
def pack_upper_comparisons(X):  # pragma: no cover - jit
    """Bit ``k`` of row ``r`` set iff ``X[r, x] > X[r, y]`` for the ``k``-th pair ``x < y``
    (row-major): the upper triangle of each rater's comparison matrix, which determines the
    whole matrix when the rater has no ties and no missing rating (``m <= 8``: 28 bits)."""
    n, m = X.shape
    out = np.zeros(n, np.uint64)
    for r in prange(n):
        k = 0
        v = np.uint64(0)
        for x in range(m):
            for y in range(x + 1, m):
                if X[r, x] > X[r, y]:
                    v |= np.uint64(1) << np.uint64(k)
                k += 1
        out[r] = v
    return out


@njit(**NJIT_PARALLEL)
def unfold_upper_counts(counts, seats, m):  # pragma: no cover - jit
    """Support matrices ``(J, m * m)`` from :func:`gather_bitcount_pairs`' counts of the
    upper-triangle comparisons (pair ``k``'s count is ``counts[j, k] + counts[j, k + 32]``):
    ``S[x, y]`` that count and ``S[y, x] = seats - S[x, y]`` (no ties)."""
    nj = counts.shape[0]
    out = np.zeros((nj, m * m))
    for j in prange(nj):
        k = 0
        for x in range(m):
            for y in range(x + 1, m):
                c = counts[j, k] + counts[j, k + 32]
                out[j, x * m + y] = c
                out[j, y * m + x] = seats[j] - c
                k += 1
    return out
