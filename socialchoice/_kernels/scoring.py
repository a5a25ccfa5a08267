"""Positional-scoring kernels (docs/rules.md §1.4, §2).

All kernels take flat batches: ``ranks`` (B, n, m) normalised int levels (0 = best, -1 =
unranked), ``weights`` (B, n) float64 (ignored when ``use_w`` is False), ``active`` (B, m) bool.
Work is split into ``nchunk`` voter chunks per item, so one large election and a large batch of
small ones both use every core; partial sums come back per (item, chunk) and are summed by the
caller. Tie modes: 0 = average, 1 = pessimistic, 2 = optimistic.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL
from ._choice import job_range, top_block_active


@njit(**NJIT)
def _block_counts(r, act, m, cnt, start):
    # cnt[l] = active candidates at level l (index m = unranked block); start[l] = first position
    for lv in range(m + 1):
        cnt[lv] = 0
    nranked = 0
    for c in range(m):
        if act[c]:
            lv = r[c]
            if lv < 0:
                cnt[m] += 1
            else:
                cnt[lv] += 1
                nranked += 1
    pos = 0
    for lv in range(m + 1):
        start[lv] = pos
        pos += cnt[lv]
    return nranked


@njit(**NJIT)
def _n_active(act, m):
    k = 0
    for c in range(m):
        k += act[c]
    return k


@njit(**NJIT)
def _chunk_start(job, nchunk, n, active, out):
    """``(b, lo, hi, act, n_active, acc)`` of one (item, voter chunk) job; ``acc`` is the
    job's zeroed output slice."""
    b, lo, hi = job_range(job, nchunk, n)
    act = active[b]
    acc = out[job]
    acc.fill(0.0)
    return b, lo, hi, act, _n_active(act, act.shape[0]), acc


@njit(**NJIT)
def _block_buffers(m):
    # scratch for _block_counts: counts and first positions of the m + 1 level blocks
    return np.empty(m + 1, np.int64), np.empty(m + 1, np.int64)


@njit(inline="always", **NJIT)
def _block_of(level, m, start, cnt):
    # (first position, size) of the tied block at ``level`` (negative = the unranked block)
    lv = m if level < 0 else level
    return start[lv], cnt[lv]


@njit(inline="always", **NJIT)
def _block_score(s, cs, p, t, mode):
    # score of a tied block at positions p .. p+t-1: average (0), lowest (1) or highest (2)
    if mode == 0:
        return (cs[p + t] - cs[p]) / t
    if mode == 1:
        return s[p + t - 1]
    return s[p]


@njit(inline="always", **NJIT)
def _spread_over_block(acc, c, p, t, w, mode):
    # occupancy of candidate c: weight w over positions p .. p+t-1 (shared), at the last (1)
    # or the first (2); indexes the 2-D accumulator (a row view per call costs ~20%)
    if mode == 0:
        share = w / t
        for q in range(p, p + t):
            acc[c, q] += share
    elif mode == 1:
        acc[c, p + t - 1] += w
    else:
        acc[c, p] += w


@njit(**NJIT_PARALLEL)
def positional_partial(ranks, weights, use_w, active, table, mode, skip_empty, nchunk, out):
    """Scores of a positional rule, partial per voter chunk.

    ``table[k, p]`` = score of position ``p`` (0-based) when ``k`` candidates are active.
    ``out`` (B * nchunk, m) float64 receives chunk sums. ``skip_empty``: ballots ranking no
    active candidate contribute nothing (plurality convention, §2.1).
    """
    B, n, m = ranks.shape
    for job in prange(B * nchunk):
        b, lo, hi, act, ma, acc = _chunk_start(job, nchunk, n, active, out)
        allact = ma == m
        s = table[ma]
        cs = np.zeros(m + 1)
        for p in range(ma):
            cs[p + 1] = cs[p] + s[p]
        cnt, start = _block_buffers(m)
        for v in range(lo, hi):
            # (zero weights are not skipped: they add 0.0)
            r = ranks[b, v]
            w = weights[b, v] if use_w else 1.0
            if allact:
                mx = -1
                for c in range(m):
                    if r[c] > mx:
                        mx = r[c]
                if mx == m - 1:  # complete strict ballot: position = level
                    for c in range(m):
                        acc[c] += w * s[r[c]]
                    continue
            nranked = _block_counts(r, act, m, cnt, start)
            if skip_empty and nranked == 0:
                continue
            for c in range(m):
                if act[c]:
                    p, t = _block_of(r[c], m, start, cnt)
                    acc[c] += w * _block_score(s, cs, p, t, mode)


@njit(**NJIT_PARALLEL)
def plurality_partial(ranks, weights, use_w, active, mode, nchunk, out):
    """Top-block (first-place) weight per candidate; empty ballots give nothing (§2.1).

    A tied top block of t candidates gives each ``w / t`` (average), ``w`` (optimistic) or,
    pessimistically, nothing unless t = 1.
    """
    B, n, m = ranks.shape
    for job in prange(B * nchunk):
        b, lo, hi, act, ma, acc = _chunk_start(job, nchunk, n, active, out)
        if ma == m and not use_w:
            # count level-0 entries per column in one branch-free pass; rows with a tied top
            # (rare) are corrected afterwards
            cnt = np.zeros(m, np.int64)
            for v in range(lo, hi):
                r = ranks[b, v]
                t = 0
                for c in range(m):
                    z = np.int64(r[c] == 0)
                    cnt[c] += z
                    t += z
                if t > 1:
                    for c in range(m):
                        if r[c] == 0:
                            cnt[c] -= 1
                            if mode == 0:
                                acc[c] += 1.0 / t
                            elif mode == 2:
                                acc[c] += 1.0
            for c in range(m):
                acc[c] += cnt[c]
            continue
        for v in range(lo, hi):
            w = weights[b, v] if use_w else 1.0
            if w == 0.0:
                continue
            r = ranks[b, v]
            best, t = top_block_active(r, act, m)
            if t == 0:
                continue
            if mode == 0:
                share = w / t
            elif mode == 1:
                share = w if t == 1 else 0.0
            else:
                share = w
            if share == 0.0:
                continue
            for c in range(m):
                if act[c] and r[c] == best:
                    acc[c] += share


@njit(**NJIT_PARALLEL)
def borda_partial(ranks, weights, use_w, active, mode, nchunk, out):
    """Borda scores ``s_r = m_A - r`` with tie modes (§1.4), partial per voter chunk."""
    B, n, m = ranks.shape
    for job in prange(B * nchunk):
        b, lo, hi, act, ma, acc = _chunk_start(job, nchunk, n, active, out)
        allact = ma == m
        cnt, start = _block_buffers(m)
        iacc = np.zeros(m, np.int64)
        nfull = 0
        for v in range(lo, hi):
            w = weights[b, v] if use_w else 1.0
            if w == 0.0:
                continue
            r = ranks[b, v]
            if allact:
                if not use_w:
                    # optimistic single pass: add the levels, undo if the ballot is not
                    # complete and strict (max level < m - 1)
                    mx = -1
                    for c in range(m):
                        x = np.int64(r[c])
                        iacc[c] += x
                        mx = max(mx, x)
                    if mx == m - 1:
                        nfull += 1
                        continue
                    for c in range(m):
                        iacc[c] -= r[c]
                else:
                    mx = -1
                    for c in range(m):
                        mx = max(mx, np.int64(r[c]))
                    if mx == m - 1:
                        for c in range(m):
                            acc[c] += w * (m - 1 - r[c])
                        continue
            _block_counts(r, act, m, cnt, start)
            for c in range(m):
                if not act[c]:
                    continue
                lv = r[c]
                if lv < 0:
                    lv = m
                p = start[lv]
                t = cnt[lv]
                below = ma - p - t
                if mode == 0:
                    acc[c] += w * (below + 0.5 * (t - 1))
                elif mode == 1:
                    acc[c] += w * below
                else:
                    acc[c] += w * (below + t - 1)
        for c in range(m):
            acc[c] += (m - 1) * nfull - iacc[c]


@njit(**NJIT_PARALLEL)
def occupancy_partial(ranks, weights, use_w, active, mode, nchunk, out):
    """Weight of each candidate at each position: ``out[job, c, p]`` (Bucklin, §2.6).

    Average mode spreads a block of size t evenly over its t positions; pessimistic puts the
    weight on the block's last position, optimistic on its first.
    """
    B, n, m = ranks.shape
    for job in prange(B * nchunk):
        b, lo, hi, act, _, acc = _chunk_start(job, nchunk, n, active, out)
        cnt, start = _block_buffers(m)
        for v in range(lo, hi):
            # (no skip of zero weights: they add 0.0, and the check would cost more)
            r = ranks[b, v]
            w = weights[b, v] if use_w else 1.0
            _block_counts(r, act, m, cnt, start)
            for c in range(m):
                if act[c]:
                    p, t = _block_of(r[c], m, start, cnt)
                    _spread_over_block(acc, c, p, t, w, mode)


@njit(**NJIT_PARALLEL)
def column_stats_partial(ranks, nchunk, period, out_zero, out_sum):
    """Per-column count of level-0 entries and sum of levels, partial per voter chunk.

    Unweighted, all candidates active. Reads each chunk as a flat byte stream in blocks of
    ``period`` (a multiple of ``m``) so the inner loop vectorises; the per-position
    accumulators are folded into the ``m`` columns at the end. With normalised levels a ballot
    is complete and strict iff its level sum is ``m(m-1)/2`` (otherwise it is smaller), so the
    caller checks ``out_sum`` totals to know whether the fast path applies.
    """
    B, n, m = ranks.shape
    for job in prange(B * nchunk):
        b, lo, hi = job_range(job, nchunk, n)
        flat = ranks[b].reshape(n * m)
        zp = np.zeros(period, np.int32)
        sp = np.zeros(period, np.int32)
        z64 = np.zeros(period, np.int64)
        s64 = np.zeros(period, np.int64)
        start = lo * m
        stop = hi * m
        nblk = (stop - start) // period
        done = 0
        while done < nblk:
            todo = min(nblk - done, 4096)
            for blk in range(done, done + todo):
                base = start + blk * period
                blkv = flat[base:base + period]
                for j in range(period):
                    x = np.int32(blkv[j])
                    zp[j] += np.int32(x == 0)
                    sp[j] += x
            for j in range(period):
                z64[j] += zp[j]
                s64[j] += sp[j]
                zp[j] = 0
                sp[j] = 0
            done += todo
        for c in range(m):
            out_zero[job, c] = 0
            out_sum[job, c] = 0
        for j in range(period):
            out_zero[job, j % m] += z64[j]
            out_sum[job, j % m] += s64[j]
        for i in range(start + nblk * period, stop):
            x = flat[i]
            c = (i - start) % m
            out_zero[job, c] += x == 0
            out_sum[job, c] += x
