"""Cardinal-rule kernels (docs/rules.md §5).

Inputs are flat: ``values`` (B, n, m) float64 with NaN = missing (already filled by the caller
for ``nan_policy="min"``/``"zero"``), ``weights`` (B, n) (ignored when ``use_w`` is False) and
``active`` (B, m). Every kernel runs ``prange`` over items.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL, TIE_RTOL

NORM_NONE, NORM_RANGE, NORM_ZSCORE, NORM_RANK = 0, 1, 2, 3


@njit(**NJIT)
def _normalize_row(row, act, norm, out):
    m = row.shape[0]
    for c in range(m):
        out[c] = row[c]
    if norm == NORM_NONE:
        return
    k = 0
    lo = np.inf
    hi = -np.inf
    s = 0.0
    for c in range(m):
        x = row[c]
        if act[c] and not np.isnan(x):
            k += 1
            s += x
            lo = min(lo, x)
            hi = max(hi, x)
    if k == 0:
        return
    if norm == NORM_RANGE:
        for c in range(m):
            if act[c] and not np.isnan(row[c]):
                out[c] = (row[c] - lo) / (hi - lo) if hi > lo else 0.0
    elif norm == NORM_ZSCORE:
        mu = s / k
        ss = 0.0
        for c in range(m):
            if act[c] and not np.isnan(row[c]):
                ss += (row[c] - mu) ** 2
        sd = np.sqrt(ss / k)
        for c in range(m):
            if act[c] and not np.isnan(row[c]):
                out[c] = (row[c] - mu) / sd if sd > 0 else 0.0
    else:  # average rank among the voter's rated candidates: #below + 0.5 #tied
        for c in range(m):
            if act[c] and not np.isnan(row[c]):
                below = 0.0
                for y in range(m):
                    if y != c and act[y] and not np.isnan(row[y]):
                        if row[y] < row[c]:
                            below += 1.0
                        elif row[y] == row[c]:
                            below += 0.5
                out[c] = below


@njit(**NJIT_PARALLEL)
def utilitarian_batch(values, weights, use_w, active, norm, agg_sum, out_scores, out_wc):
    """Weighted mean (or sum) of normalised ratings per candidate; ``out_wc`` = rater weight."""
    B, n, m = values.shape
    for b in prange(B):
        acc = np.zeros(m)
        wc = np.zeros(m)
        u = np.empty(m)
        act = active[b]
        for v in range(n):
            w = weights[b, v] if use_w else 1.0
            if w == 0.0:
                continue
            _normalize_row(values[b, v], act, norm, u)
            for c in range(m):
                if act[c] and not np.isnan(u[c]):
                    acc[c] += w * u[c]
                    wc[c] += w
        for c in range(m):
            out_wc[b, c] = wc[c]
            if wc[c] > 0:
                out_scores[b, c] = acc[c] if agg_sum else acc[c] / wc[c]
            else:
                out_scores[b, c] = np.nan


@njit(**NJIT_PARALLEL)
def approval_batch(values, weights, use_w, active, tau, strict, out_scores, out_wc):
    """Approving weight per candidate (``u >= tau``, or ``>`` with ``strict``)."""
    B, n, m = values.shape
    for b in prange(B):
        for c in range(m):
            out_scores[b, c] = 0.0
            out_wc[b, c] = 0.0
        for v in range(n):
            w = weights[b, v] if use_w else 1.0
            if w == 0.0:
                continue
            for c in range(m):
                x = values[b, v, c]
                if active[b, c] and not np.isnan(x):
                    out_wc[b, c] += w
                    if (x > tau) if strict else (x >= tau):
                        out_scores[b, c] += w


@njit(**NJIT)
def _grade_at(sv, cw, target):
    # smallest grade whose cumulative weight >= target (binary search on cumulative weights)
    lo = 0
    hi = cw.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cw[mid] >= target:
            hi = mid
        else:
            lo = mid + 1
    return sv[lo]


@njit(**NJIT)
def _mv_index(s, N):
    # expanded (0-based) index of the s-th grade removed by the majority-value procedure
    if N % 2 == 1:
        c = (N - 1) // 2
        if s == 0:
            return c
        if s % 2 == 1:
            return c - (s + 1) // 2
        return c + s // 2
    left = N // 2 - 1
    if s % 2 == 0:
        return left - s // 2
    return left + 1 + (s - 1) // 2


@njit(**NJIT_PARALLEL)
def quantile_batch(values, weights, use_w, active, q, tiebreak, min_raters, out_scores, out_key,
                   out_mask, out_nr):
    """Lower ``q``-quantile grades and the winners after ``tiebreak``.

    ``tiebreak``: 0 none, 1 majority value (integer weights), 2 gauge. ``out_key`` receives the
    gauge key (tiebreak 2). Candidates with fewer than ``min_raters`` raters or no rater never win
    unless no candidate is eligible (then every active candidate wins).
    """
    B, n, m = values.shape
    nchunk = min(B, 64)
    for chunk in prange(nchunk):
        # scratch per chunk of items, not per item (allocations dominated small items)
        sv = np.empty((m, n))
        cw = np.empty((m, n))
        cnt = np.zeros(m, np.int64)
        tot = np.zeros(m)
        vals = np.empty(n)
        ws = np.empty(n)
        alive = np.zeros(m, np.bool_)
        g = np.empty(m)
        for b in range(chunk * B // nchunk, (chunk + 1) * B // nchunk):
            _quantile_item(values, weights, use_w, active, q, tiebreak, min_raters, out_scores,
                           out_key, out_mask, out_nr, b, sv, cw, cnt, tot, vals, ws, alive, g)


@njit(**NJIT)
def _quantile_item(values, weights, use_w, active, q, tiebreak, min_raters, out_scores, out_key,
                   out_mask, out_nr, b, sv, cw, cnt, tot, vals, ws, alive, g):
    _, n, m = values.shape
    for c in range(m):
        cnt[c] = 0
        tot[c] = 0.0
    for c in range(m):
        out_key[b, c] = np.nan
        out_scores[b, c] = np.nan
        out_mask[b, c] = False
        if not active[b, c]:
            out_nr[b, c] = 0
            continue
        k = 0
        for v in range(n):
            x = values[b, v, c]
            w = weights[b, v] if use_w else 1.0
            if not np.isnan(x) and w > 0.0:
                vals[k] = x
                ws[k] = w
                k += 1
        out_nr[b, c] = k
        cnt[c] = k
        if k == 0:
            continue
        run = 0.0
        if use_w:
            # grades and gauge keys depend on values only, so the sort need not be stable
            order = np.argsort(vals[:k])
            for i in range(k):
                sv[c, i] = vals[order[i]]
                run += ws[order[i]]
                cw[c, i] = run
        else:
            sv[c, :k] = np.sort(vals[:k])
            for i in range(k):
                run += 1.0
                cw[c, i] = run
        tot[c] = run
        target = q * run
        tol = TIE_RTOL * run
        out_scores[b, c] = _grade_at(sv[c, :k], cw[c, :k], target - tol)
    best = -np.inf
    for c in range(m):
        if cnt[c] > 0 and cnt[c] >= min_raters and out_scores[b, c] > best:
            best = out_scores[b, c]
    if best == -np.inf:
        for c in range(m):
            out_mask[b, c] = active[b, c]
        return
    for c in range(m):
        alive[c] = cnt[c] > 0 and cnt[c] >= min_raters and out_scores[b, c] == best
    if tiebreak == 2:
        kbest = -np.inf
        for c in range(m):
            if alive[c]:
                med = out_scores[b, c]
                p = 0.0
                qq = 0.0
                for i in range(cnt[c]):
                    wi = cw[c, i] - (cw[c, i - 1] if i > 0 else 0.0)
                    if sv[c, i] > med:
                        p += wi
                    elif sv[c, i] < med:
                        qq += wi
                p /= tot[c]
                qq /= tot[c]
                key = p if p > qq else -qq
                out_key[b, c] = key
                if key > kbest:
                    kbest = key
        for c in range(m):
            if alive[c] and out_key[b, c] < kbest - 1e-12:
                alive[c] = False
    elif tiebreak == 1:
        nalive = 0
        minN = 1 << 62
        for c in range(m):
            if alive[c]:
                nalive += 1
                N = int(round(tot[c]))
                if N < minN:
                    minN = N
        s = 0
        while nalive > 1 and s < minN:
            g_best = -np.inf
            for c in range(m):
                if alive[c]:
                    N = int(round(tot[c]))
                    idx = _mv_index(s, N)
                    g[c] = _grade_at(sv[c, :cnt[c]], cw[c, :cnt[c]], idx + 0.5)
                    if g[c] > g_best:
                        g_best = g[c]
            for c in range(m):
                if alive[c] and g[c] < g_best:
                    alive[c] = False
                    nalive -= 1
            s += 1
    for c in range(m):
        out_mask[b, c] = alive[c]


@njit(**NJIT)
def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


@njit(**NJIT_PARALLEL)
def row_hash_count_gcd(values, counts, probe):
    """:func:`run_count_gcd` of row hashes ``Σ_c values[b, v, c] * probe[c]`` (NaN read as a
    fixed sentinel), computed per item in one pass without temporaries of the batch's size."""
    B, n, m = values.shape
    out = np.empty(B, np.int64)
    for b in prange(B):
        h = np.empty(n)
        for i in range(n):
            acc = 0.0
            for c in range(m):
                x = values[b, i, c]
                acc += (-1.0e300 if x != x else x) * probe[c]
            h[i] = acc
        order = np.argsort(h)
        g = 0
        run = counts[b, order[0]]
        for j in range(1, n):
            if h[order[j]] == h[order[j - 1]]:
                run += counts[b, order[j]]
            else:
                g = _gcd(g, run)
                run = counts[b, order[j]]
        out[b] = _gcd(g, run)
    return out
