"""Weighted pairwise support matrices (docs/rules.md §1.3).

``support[x, y]`` = weight of ballots ranking x strictly above y; ranked beats unranked.

For small m the kernel avoids the O(m^2) compare per ballot: each ballot gives every ranked
candidate x the bitmask of candidates strictly below it, and we histogram those masks per
candidate (hist[x, mask] += w). Support is then recovered from the histogram in O(m 2^m m),
independent of the number of voters. Per ballot this is O(m) work with cache-resident
increments, which is what makes 10^6 x 10 run near memory bandwidth.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL, jit_variant


@njit(**NJIT)
def _hist_to_support(hist, m, out):
    size = 1 << m
    for x in range(m):
        for mask in range(1, size):
            h = hist[x * size + mask]
            if h != 0:
                for y in range(m):
                    if (mask >> y) & 1:
                        out[x, y] += h


@njit(**NJIT)
def _below_masks(row, m, level_mask, below):
    # below[l] = bitmask of candidates strictly below level l (unranked included)
    for l in range(m + 1):
        level_mask[l] = 0
    for c in range(m):
        l = row[c]
        if l >= 0:
            level_mask[l] |= 1 << c
    a = (1 << m) - 1
    for l in range(m + 1):
        a ^= level_mask[l]
        below[l] = a


@njit(**NJIT)
def _hist_rows(ranks, weights, use_weights, strict, lo, hi, h):
    # h[x * 2^m + mask] += w, mask = candidates strictly below x on the ballot
    m = ranks.shape[1]
    size = 1 << m
    full = size - 1
    inv = np.zeros(m + 1, np.int64)
    level_mask = np.zeros(m + 1, np.int64)
    for v in range(lo, hi):
        w = weights[v] if use_weights else 1.0
        if strict:
            # one candidate per level: walk levels upwards from the bottom
            k = 0
            ranked = 0
            for c in range(m):
                l = ranks[v, c]
                if l >= 0:
                    inv[l] = c
                    k += 1
                    ranked |= 1 << c
            acc = full ^ ranked  # unranked candidates are below every ranked one
            for l in range(k - 1, -1, -1):
                c = inv[l]
                h[c * size + acc] += w
                acc |= 1 << c
        else:
            _below_masks(ranks[v], m, level_mask, inv)
            for c in range(m):
                l = ranks[v, c]
                if l >= 0:
                    h[c * size + inv[l]] += w


@njit(**NJIT_PARALLEL)
def support_hist(ranks, weights, use_weights, strict, nt):
    """Support of one election via per-candidate below-mask histograms (m <= 16).

    ``ranks`` (n, m) normalised levels; ``strict`` promises no ties among ranked candidates
    (faster path). ``nt`` = number of threads (one histogram each).
    """
    n, m = ranks.shape
    size = 1 << m
    hist = np.zeros((nt, m * size), np.float64)
    chunk = (n + nt - 1) // nt
    for t in prange(nt):
        lo = t * chunk
        hi = min(n, lo + chunk)
        _hist_rows(ranks, weights, use_weights, strict, lo, hi, hist[t])
    total = hist[0]
    for t in range(1, nt):
        total += hist[t]
    out = np.zeros((m, m), np.float64)
    _hist_to_support(total, m, out)
    return out


#: ballots per transposed block of :func:`block_support_kernel` (one 64-byte vector per column)
_BLOCK = 64
#: largest m with a block-transposed support kernel (m^2 compares of a block per 64 ballots)
BLOCK_SUPPORT_MAX_M = 16


def _make_block_support(M: int):
    def block_support(ranks, nt):
        # Unweighted support of one election of int8 levels, any ties or truncation: a block
        # of 64 ballots is transposed into one byte column per candidate, then every ordered
        # pair is a vectorised compare of two columns. Levels are compared as unsigned bytes,
        # so unranked (-1 -> 255) loses to every ranked level and ties count for nobody;
        # the zero padding of a short last block ties too.
        n = ranks.shape[0]
        parts = np.zeros((nt, M, M), np.int64)
        chunk = (n + nt - 1) // nt
        for t in prange(nt):
            col = np.zeros((M, _BLOCK), np.uint8)
            cnt = np.zeros((M, M), np.int64)
            lo = t * chunk
            hi = min(n, lo + chunk)
            for b0 in range(lo, hi, _BLOCK):
                nb = min(_BLOCK, hi - b0)
                for i in range(nb):
                    for c in range(M):
                        col[c, i] = np.uint8(ranks[b0 + i, c])
                for i in range(nb, _BLOCK):
                    for c in range(M):
                        col[c, i] = 0
                for x in range(M):
                    for y in range(M):
                        s = np.int32(0)
                        for i in range(_BLOCK):
                            s += np.int32(col[x, i] < col[y, i])
                        cnt[x, y] += s
            parts[t] = cnt
        out = np.zeros((M, M), np.float64)
        for t in range(nt):
            for x in range(M):
                for y in range(M):
                    out[x, y] += parts[t, x, y]
        return out

    return jit_variant(block_support, f"_m{M}", **NJIT_PARALLEL)


_BLOCK_SUPPORT: dict = {}


def block_support_kernel(m: int):
    """Unweighted support of one election of int8 normalised levels (ties and truncation
    allowed), ``m <= BLOCK_SUPPORT_MAX_M``; call as ``kernel(ranks, n_threads)``."""
    if m not in _BLOCK_SUPPORT:
        _BLOCK_SUPPORT[m] = _make_block_support(m)
    return _BLOCK_SUPPORT[m]


@njit(**NJIT)
def _support_direct_one(ranks, weights, use_weights, out):
    n, m = ranks.shape
    for v in range(n):
        row = ranks[v]
        w = weights[v] if use_weights else 1.0
        for x in range(m):
            lx = row[x]
            if lx < 0:
                continue
            for y in range(m):
                ly = row[y]
                if ly < 0 or lx < ly:
                    out[x, y] += w


@njit(**NJIT)
def support_serial(ranks, weights, use_weights):
    """Support of small batches ``(B, n, m)`` on one thread (no thread start-up)."""
    b, n, m = ranks.shape
    out = np.zeros((b, m, m), np.float64)
    for i in range(b):
        _support_direct_one(ranks[i], weights[i], use_weights, out[i])
    return out


# SPREAD[mask] puts bit j of an 8-bit mask into byte j of a uint64: adding SPREAD[below(x)]
# to a per-candidate word counts, in eight byte lanes at once, how often x beat each y.
SPREAD = np.array([sum(((i >> j) & 1) << (8 * j) for j in range(8)) for i in range(256)],
                  np.uint64)
#: a byte lane holds 255 ballots; counts are flushed to int64 before that
_LANE_MAX = 255


@njit(**NJIT)
def _flush_lanes(acc, m, nw, cnt):
    for c in range(m):
        for k in range(nw):
            a = acc[c, k]
            for j in range(8):
                y = 8 * k + j
                if y < m:
                    cnt[c, y] += (a >> np.uint64(8 * j)) & np.uint64(255)
            acc[c, k] = 0


@njit(**NJIT)
def _count_item(ranks, m, nw, acc, level_mask, below, cnt):
    # unweighted support of one election (n, m) into cnt (m, m): O(m) per ballot
    n = ranks.shape[0]
    since = 0
    for v in range(n):
        _below_masks(ranks[v], m, level_mask, below)
        for c in range(m):
            l = ranks[v, c]
            if l >= 0:
                bm = below[l]
                for k in range(nw):
                    acc[c, k] += SPREAD[(bm >> (8 * k)) & 255]
        since += 1
        if since == _LANE_MAX:
            _flush_lanes(acc, m, nw, cnt)
            since = 0
    _flush_lanes(acc, m, nw, cnt)


@njit(**NJIT_PARALLEL)
def support_batch_counts(ranks):
    """Unweighted support per item, ``ranks`` (B, n, m) normalised levels -> (B, m, m).

    Byte-lane counters: O(m) work per ballot instead of O(m^2) compares.
    """
    b, n, m = ranks.shape
    nw = (m + 7) // 8
    out = np.zeros((b, m, m), np.float64)
    block = 64
    for j in prange((b + block - 1) // block):
        acc = np.zeros((m, nw), np.uint64)
        level_mask = np.zeros(m + 1, np.int64)
        below = np.zeros(m + 1, np.int64)
        cnt = np.zeros((m, m), np.int64)
        for i in range(j * block, min(b, (j + 1) * block)):
            cnt[:] = 0
            _count_item(ranks[i], m, nw, acc, level_mask, below, cnt)
            for x in range(m):
                for y in range(m):
                    out[i, x, y] = cnt[x, y]
    return out


def _make_strict_batch(M: int):
    full = (1 << M) - 1

    def strict_batch_counts(ranks):
        # M is a compile-time constant: the candidate loops unroll
        b = ranks.shape[0]
        n = ranks.shape[1]
        out = np.zeros((b, M, M), np.float64)
        block = 64
        for jb in prange((b + block - 1) // block):
            acc = np.zeros(M, np.uint64)  # scratch per block of items, not per item
            inv = np.zeros(M, np.int64)
            cnt = np.zeros((M, M), np.int64)
            for i in range(jb * block, min(b, (jb + 1) * block)):
                cnt[:] = 0
                for v0 in range(0, n, _LANE_MAX):  # byte lanes hold up to 255 ballots
                    for v in range(v0, min(n, v0 + _LANE_MAX)):
                        ranked = 0
                        k = 0
                        for c in range(M):
                            l = ranks[i, v, c]
                            if l >= 0:
                                inv[l] = c
                                ranked |= 1 << c
                                k += 1
                        below = full ^ ranked
                        if k == M:  # complete ballot: constant trip count, unrolled
                            for j in range(M):
                                c = inv[M - 1 - j]
                                acc[c] += SPREAD[below]
                                below |= 1 << c
                        else:
                            for l in range(k - 1, -1, -1):
                                c = inv[l]
                                acc[c] += SPREAD[below]
                                below |= 1 << c
                    for x in range(M):
                        a = acc[x]
                        for y in range(M):
                            cnt[x, y] += (a >> np.uint64(8 * y)) & np.uint64(255)
                        acc[x] = 0
                for x in range(M):
                    for y in range(M):
                        out[i, x, y] = cnt[x, y]
        return out

    return jit_variant(strict_batch_counts, f"_m{M}", **NJIT_PARALLEL)


_STRICT_BATCH: dict = {}


def strict_batch_kernel(m: int):
    """Unweighted batch support for ballots without ties (truncation allowed), ``m <= 8``."""
    if m not in _STRICT_BATCH:
        _STRICT_BATCH[m] = _make_strict_batch(m)
    return _STRICT_BATCH[m]


#: ballots of up to this many candidates are counted through a table indexed by the whole
#: ballot: (m+1)^m codes x ceil(m^2/8) words is 250 KB for m = 5 (fits in L2)
CODE_TABLE_MAX_M = 5
_CODE_TABLES: dict = {}


def ballot_code_table(m: int) -> np.ndarray:
    """Support contribution of every ballot of ``m`` candidates, packed in byte lanes.

    A ballot with normalised levels ``l_c`` in -1..m-1 has code ``sum_c (l_c + 1) (m+1)^c``
    (candidate 0 the least significant digit); row ``code`` of the table holds, in byte lane
    ``x * m + y``, 1 if the ballot puts x strictly above y. Codes that are not normalised
    ballots never occur in a validated profile and hold zeros.
    """
    if m not in _CODE_TABLES:
        codes = np.arange((m + 1) ** m)
        levels = (codes[:, None] // (m + 1) ** np.arange(m)) % (m + 1) - 1
        ranked = np.where(levels >= 0, levels, m)
        # normalised: the ranked levels are exactly 0..k-1
        top = levels.max(axis=1)
        present = (levels[:, :, None] == np.arange(m)[None, None, :]).any(axis=1)
        valid = (present == (np.arange(m)[None, :] <= top[:, None])).all(axis=1)
        beats = (ranked[:, :, None] < ranked[:, None, :]) & valid[:, None, None]
        lanes = np.zeros((codes.size, 8 * ((m * m + 7) // 8)), np.uint64)
        lanes[:, : m * m] = beats.reshape(codes.size, m * m)
        shifts = (8 * np.arange(8)).astype(np.uint64)
        words = (lanes.reshape(codes.size, -1, 8) << shifts).sum(axis=2, dtype=np.uint64)
        _CODE_TABLES[m] = np.ascontiguousarray(words)
    return _CODE_TABLES[m]


def _make_code_batch(M: int):
    NW = (M * M + 7) // 8

    def code_batch_counts(ranks, table, out):
        # unweighted support per item into out (B, M, M): a table row per ballot, byte lanes
        b = ranks.shape[0]
        n = ranks.shape[1]
        block = 64
        for jb in prange((b + block - 1) // block):
            acc = np.zeros(NW, np.uint64)
            cnt = np.zeros(M * M, np.int64)
            for i in range(jb * block, min(b, (jb + 1) * block)):
                cnt[:] = 0
                for v0 in range(0, n, _LANE_MAX):  # byte lanes hold up to 255 ballots
                    for v in range(v0, min(n, v0 + _LANE_MAX)):
                        code = 0
                        for c in range(M - 1, -1, -1):
                            code = code * (M + 1) + (ranks[i, v, c] + 1)
                        for k in range(NW):
                            acc[k] += table[code, k]
                    for k in range(NW):
                        a = acc[k]
                        for j in range(8):
                            q = 8 * k + j
                            if q < M * M:
                                cnt[q] += (a >> np.uint64(8 * j)) & np.uint64(255)
                        acc[k] = 0
                for x in range(M):
                    for y in range(M):
                        out[i, x, y] = cnt[x * M + y]

    return jit_variant(code_batch_counts, f"_m{M}", **NJIT_PARALLEL)


_CODE_BATCH: dict = {}


def code_batch_kernel(m: int):
    """Unweighted batch support through :func:`ballot_code_table`, ``m <= CODE_TABLE_MAX_M``;
    call as ``kernel(ranks, ballot_code_table(m), out)`` on normalised levels (ties allowed),
    ``out`` a float64 (B, m, m) array allocated by numpy: numpy advises huge pages for large
    arrays, Numba's allocator does not, and 4 KB first-touch faults cost ~0.4 ms per MB."""
    if m not in _CODE_BATCH:
        _CODE_BATCH[m] = _make_code_batch(m)
    return _CODE_BATCH[m]


@njit(**NJIT_PARALLEL)
def support_batch(ranks, weights, use_weights):
    """Support per item: ``ranks`` (B, n, m), ``weights`` (B, n) -> (B, m, m).

    Parallel over items; branch-free O(n m^2) per item (levels compared as unsigned, so the
    unranked -1 wraps to the largest value and sorts below every ranked level).
    """
    b, n, m = ranks.shape
    out = np.zeros((b, m, m), np.float64)
    for i in prange(b):
        acc = np.zeros((m, m), np.float64)
        for v in range(n):
            w = weights[i, v] if use_weights else 1.0
            for x in range(m):
                lx = ranks[i, v, x]
                if lx < 0:
                    continue
                ux = np.uint64(lx)
                for y in range(m):
                    acc[x, y] += w * (ux < np.uint64(ranks[i, v, y]))
        out[i] = acc
    return out


@njit(**NJIT_PARALLEL)
def support_direct(ranks, weights, use_weights, nt):
    """Support of one large election with m too big for the histogram: split voters."""
    n, m = ranks.shape
    part = np.zeros((nt, m, m), np.float64)
    chunk = (n + nt - 1) // nt
    for t in prange(nt):
        lo = t * chunk
        hi = min(n, lo + chunk)
        _support_direct_one(ranks[lo:hi], weights[lo:hi] if use_weights else weights,
                            use_weights, part[t])
    out = part[0].copy()
    for t in range(1, nt):
        out += part[t]
    return out


@njit(**NJIT)
def records_to_support(item, a, b, outcome, weight, n_items, m, half_ties):
    """Pairwise records -> (n_items, m, m) support (docs/rules.md §1.3).

    ``outcome`` 1: a preferred, 0: b preferred, 0.5: tie (adds w/2 both ways if half_ties).
    """
    out = np.zeros((n_items, m, m), np.float64)
    for r in range(item.shape[0]):
        i = item[r]
        y = outcome[r]
        w = weight[r]
        if y == 1.0:
            out[i, a[r], b[r]] += w
        elif y == 0.0:
            out[i, b[r], a[r]] += w
        elif half_ties:
            out[i, a[r], b[r]] += 0.5 * w
            out[i, b[r], a[r]] += 0.5 * w
    return out


@njit(**NJIT_PARALLEL)
def margins_from_support(s, out):
    """``out[i] = s[i] - s[i].T`` for a (B, m, m) stack (numpy's transposed subtraction reads
    with a stride and runs ~3x slower on large batches)."""
    b, m, _ = s.shape
    for i in prange(b):
        for x in range(m):
            for y in range(m):
                out[i, x, y] = s[i, x, y] - s[i, y, x]


@njit(**NJIT_PARALLEL)
def ratings_support_both_rated(values, weights, use_w):
    """``S[b, x, y] = Σ_v w[b, v] [values[b, v, x] > values[b, v, y]]`` over ``(B, n, m)``
    ratings; NaN compares false, so only raters who rated both ``x`` and ``y`` count (equal
    ratings count for neither). One (item, row x) pair per parallel task: no shared writes."""
    B, n, m = values.shape
    out = np.zeros((B, m, m))
    for t in prange(B * m):
        b = t // m
        x = t - b * m
        for v in range(n):
            vx = values[b, v, x]
            if vx != vx:
                continue
            wv = weights[b, v] if use_w else 1.0
            for y in range(m):
                if vx > values[b, v, y]:
                    out[b, x, y] += wv
    return out


@njit(**NJIT_PARALLEL)
def support_summary(s):  # pragma: no cover - jit
    """One pass over a (B, m, m) stack of support matrices for their validation: ``(every
    entry finite, some entry negative, some diagonal entry non-zero, max_{x,y} S[x,y] + S[y,x]
    per matrix)``."""
    B, m, _ = s.shape
    flags = np.zeros((B, 3), np.bool_)  # not finite, negative, diagonal
    sym = np.zeros(B)
    for i in prange(B):
        best = 0.0
        for x in range(m):
            for y in range(m):
                v = s[i, x, y]
                if not np.isfinite(v):
                    flags[i, 0] = True
                if v < 0:
                    flags[i, 1] = True
                if x == y:
                    if v != 0:
                        flags[i, 2] = True
                else:
                    t = v + s[i, y, x]
                    if t > best:
                        best = t
        sym[i] = best
    return not flags[:, 0].any(), flags[:, 1].any(), flags[:, 2].any(), sym


@njit(**NJIT)
def all_integral(a):  # pragma: no cover - jit
    """Whether every entry of ``a`` (flattened) is a whole number; stops at the first that is
    not."""
    for v in a.ravel():
        if v != np.floor(v):
            return False
    return True


@njit(**NJIT_PARALLEL)
def maximin_margin_scores(mg, act, out):  # pragma: no cover - jit
    """``out[i, x] = min_{y active, y != x} M[i, x, y]`` (0 when ``x`` has no active opponent,
    NaN when ``x`` is inactive): maximin's score with ``strength="margins"``."""
    B, m, _ = mg.shape
    for i in prange(B):
        for x in range(m):
            if not act[i, x]:
                out[i, x] = np.nan
                continue
            best = np.inf
            for y in range(m):
                if y != x and act[i, y] and mg[i, x, y] < best:
                    best = mg[i, x, y]
            out[i, x] = 0.0 if best == np.inf else best
    return out
