"""Elimination-rule kernels (docs/rules.md §4, §6.3).

One driver, :func:`_dfs`, walks the elimination tree depth first over remaining-candidate
bitmasks (int64, so ``m <= 62``). Tie modes: 0 = parallel universes (PUT: branch on every tied
candidate, memoised on the bitmask), 1 = simultaneous, 2 = fixed order. With ``prob`` the PUT
recursion averages the children's lotteries instead (random elimination, §6.3).

Rule kinds: 0 = instant runoff, 1 = Coombs, 2 = Baldwin, 3 = strict Nanson, 4 = weak Nanson.
IRV on strict ballots (truncation allowed) keeps a per-depth "current top" pointer per voter:
a child state is derived from its parent by re-reading only the ballots whose top was removed,
so one elimination path costs O(n m) in total. Before that tree search, :func:`irv_batch_paths`
(and :func:`irv_single_path`) follow each election's elimination path with one pointer level,
which is the whole answer unless an elimination tie makes the tie modes differ. Other cases
recount per state (O(n m)); Baldwin and Nanson work on the margin matrix (O(m^2) per state).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL, TIE_RTOL
from ._choice import max_set_bits, min_set_bits, top_block_active

IRV, COOMBS, BALDWIN, STRICT_NANSON, WEAK_NANSON = 0, 1, 2, 3, 4
PUT, SIMULTANEOUS, ORDER = 0, 1, 2


@njit(**NJIT)
def _popcount(x):
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c


@njit(**NJIT)
def _advance(ords, v, p, A, m):
    # first position >= p of ballot v holding a candidate of A (m if exhausted)
    while p < m:
        c = ords[v, p]
        if c < 0:
            return m
        if (A >> c) & 1:
            return p
        p += 1
    return m


@njit(**NJIT)
def _irv_counts(d, A, ranks, w, use_w, strict, ords, cur, ptr, split, F):
    """First-place weights on ``A`` into F; returns the active weight W_A."""
    return _irv_counts_range(0, ranks.shape[0], d, A, ranks, w, use_w, strict, ords, cur, ptr,
                             split, F)


@njit(**NJIT)
def _irv_counts_range(lo, hi, d, A, ranks, w, use_w, strict, ords, cur, ptr, split, F):
    n, m = ranks.shape
    for c in range(m):
        F[c] = 0.0
    WA = 0.0
    if strict:
        # unit weights: integer counts (no float dependency chains); weights: float sums
        icnt = np.zeros(m, np.int64)
        for v in range(lo, hi):
            if d > 0:
                c = cur[d - 1, v]
                if c < 0:
                    cur[d, v] = -1
                    continue
                if (A >> c) & 1:
                    cur[d, v] = c
                    ptr[d, v] = ptr[d - 1, v]
                    if use_w:
                        F[c] += w[v]
                    else:
                        icnt[c] += 1
                    continue
                p = ptr[d - 1, v] + 1
            else:
                p = 0
            p = _advance(ords, v, p, A, m)
            if p < m:
                c = ords[v, p]
                cur[d, v] = c
                ptr[d, v] = p
                if use_w:
                    F[c] += w[v]
                else:
                    icnt[c] += 1
            else:
                cur[d, v] = -1
        for c in range(m):
            F[c] += icnt[c]
            WA += F[c]
        return WA
    act = np.empty(m, np.bool_)
    for c in range(m):
        act[c] = (A >> c) & 1
    for v in range(lo, hi):
        wv = w[v] if use_w else 1.0
        if wv == 0.0:
            continue
        r = ranks[v]
        best, t = top_block_active(r, act, m)
        if t == 0:
            continue
        WA += wv
        share = wv / t if split else wv
        for c in range(m):
            if act[c] and r[c] == best:
                F[c] += share
    return WA


@njit(**NJIT)
def _coombs_counts(A, ranks, w, use_w, F, L):
    """First-place (split) and last-place weights on ``A``; returns W_A."""
    n, m = ranks.shape
    for c in range(m):
        F[c] = 0.0
        L[c] = 0.0
    WA = 0.0
    for v in range(n):
        wv = w[v] if use_w else 1.0
        if wv == 0.0:
            continue
        r = ranks[v]
        best = 1 << 30
        t = 0
        worst = -1
        tw = 0
        u = 0
        for c in range(m):
            if (A >> c) & 1:
                lv = r[c]
                if lv < 0:
                    u += 1
                else:
                    if lv < best:
                        best = lv
                        t = 1
                    elif lv == best:
                        t += 1
                    if lv > worst:
                        worst = lv
                        tw = 1
                    elif lv == worst:
                        tw += 1
        if t > 0:
            WA += wv
            for c in range(m):
                if (A >> c) & 1 and r[c] == best:
                    F[c] += wv / t
        if u > 0:
            for c in range(m):
                if (A >> c) & 1 and r[c] < 0:
                    L[c] += wv / u
        else:
            for c in range(m):
                if (A >> c) & 1 and r[c] == worst:
                    L[c] += wv / tw
    return WA


@njit(**NJIT)
def _evaluate(kind, d, A, ranks, w, use_w, strict, ords, cur, ptr, split, M, scale, F, L):
    """Return (terminal winner set or 0, elimination candidates) for remaining set ``A``."""
    n, m = ranks.shape
    mm = M.shape[0]
    if _popcount(A) == 1:
        return A, 0
    if kind == IRV or kind == COOMBS:
        if kind == IRV:
            WA = _irv_counts(d, A, ranks, w, use_w, strict, ords, cur, ptr, split, F)
        else:
            WA = _coombs_counts(A, ranks, w, use_w, F, L)
        if WA <= 0.0 and kind == IRV:
            return A, 0
        tol = TIE_RTOL * WA
        if split and WA > 0.0:
            for c in range(m):
                if (A >> c) & 1 and F[c] > WA / 2 + tol:
                    return np.int64(1) << c, 0
        if kind == IRV:
            return 0, min_set_bits(F, A, m, tol)
        tot = 0.0  # every ballot with weight puts its weight on some last place
        for c in range(m):
            if (A >> c) & 1:
                tot += L[c]
        return 0, max_set_bits(L, A, m, TIE_RTOL * tot)
    # margin-based: Borda on P|_A up to an affine map = row sums of M over A
    for c in range(mm):
        F[c] = 0.0
        if (A >> c) & 1:
            s = 0.0
            for y in range(mm):
                if (A >> y) & 1:
                    s += M[c, y]
            F[c] = s
    tol = TIE_RTOL * scale
    if kind == BALDWIN:
        return 0, min_set_bits(F, A, mm, tol)
    allequal = True
    for c in range(mm):
        if (A >> c) & 1 and abs(F[c]) > tol:
            allequal = False
    if allequal:
        return A, 0
    elim = np.int64(0)
    for c in range(mm):
        if (A >> c) & 1:
            if (kind == STRICT_NANSON and F[c] < -tol) or (kind == WEAK_NANSON and F[c] <= tol):
                elim |= np.int64(1) << c
    return 0, elim


@njit(**NJIT)
def _dfs(kind, tiemode, prob, tbpos, root, m, ranks, w, use_w, strict, ords, cur, ptr, split, M,
         scale, out_p, ws_i, ws_f, memo, memo_p):
    """Winner bitmask of the elimination tree rooted at ``root``; lottery into ``out_p``.

    Workspaces (reused across items): ``ws_i`` int64 (4, m + 1), ``ws_f`` float64
    (m + 5, m) (rows m+1.. hold F, L, the current lottery and the child counts), ``memo``
    int64 (2^m,) for PUT (reset here), ``memo_p`` float64 (2^m, m) when ``prob``.
    """
    fmask = ws_i[0]
    fchild = ws_i[1]
    fsim = ws_i[2]
    facc = ws_i[3]
    fpacc = ws_f[: m + 1]
    F = ws_f[m + 1]
    L = ws_f[m + 2]
    res_p = ws_f[m + 3]
    fnch = ws_f[m + 4]
    use_memo = tiemode == PUT
    if use_memo:
        for i in range(1 << m):
            memo[i] = -1
    res_w = np.int64(0)
    d = 0
    fmask[0] = root
    mode = 0  # 0 enter, 1 descend, 2 return
    while True:
        if mode == 0:
            A = fmask[d]
            if use_memo and memo[A] >= 0:
                res_w = memo[A]
                if prob:
                    for c in range(m):
                        res_p[c] = memo_p[A, c]
                mode = 2
                continue
            term, elim = _evaluate(kind, d, A, ranks, w, use_w, strict, ords, cur, ptr, split, M,
                                   scale, F, L)
            if term == 0 and (tiemode == SIMULTANEOUS or kind == STRICT_NANSON
                              or kind == WEAK_NANSON):
                if A & ~elim == 0:
                    term = A
            if term != 0:
                res_w = term
                if prob:
                    k = _popcount(term)
                    for c in range(m):
                        res_p[c] = 1.0 / k if (term >> c) & 1 else 0.0
                mode = 2
                continue
            facc[d] = 0
            for c in range(m):
                fpacc[d, c] = 0.0
            if tiemode == SIMULTANEOUS or kind == STRICT_NANSON or kind == WEAK_NANSON:
                fchild[d] = elim
                fsim[d] = 1
                fnch[d] = 1.0
            elif tiemode == ORDER:
                best = -1
                for c in range(m):
                    if (elim >> c) & 1 and (best < 0 or tbpos[c] < tbpos[best]):
                        best = c
                fchild[d] = np.int64(1) << best
                fsim[d] = 0
                fnch[d] = 1.0
            else:
                fchild[d] = elim
                fsim[d] = 0
                fnch[d] = _popcount(elim)
            mode = 1
        elif mode == 1:
            A = fmask[d]
            ch = fchild[d]
            if fsim[d] == 1:
                fmask[d + 1] = A & ~ch
                fchild[d] = 0
            else:
                low = ch & (-ch)
                fmask[d + 1] = A & ~low
                fchild[d] = ch & ~low
            d += 1
            mode = 0
        else:
            if use_memo:
                memo[fmask[d]] = res_w
                if prob:
                    for c in range(m):
                        memo_p[fmask[d], c] = res_p[c]
            if d == 0:
                break
            d -= 1
            facc[d] |= res_w
            if prob:
                for c in range(m):
                    fpacc[d, c] += res_p[c] / fnch[d]
            if fchild[d] != 0:
                mode = 1
            else:
                res_w = facc[d]
                if prob:
                    for c in range(m):
                        res_p[c] = fpacc[d, c]
    for c in range(m):
        out_p[c] = res_p[c]
    return res_w


@njit(**NJIT)
def _root(active_row):
    root = np.int64(0)
    for c in range(active_row.shape[0]):
        if active_row[c]:
            root |= np.int64(1) << c
    return root


@njit(**NJIT)
def _strict_orders(r, ords, lo, hi):
    """Fill ``ords[v, level] = candidate`` for ballots lo..hi; False if some ballot has a tie."""
    n, m = r.shape
    for v in range(lo, hi):
        for p in range(m):
            ords[v, p] = -1
        for c in range(m):
            lv = r[v, c]
            if lv >= 0:
                if ords[v, lv] >= 0:
                    return False
                ords[v, lv] = c
    return True


@njit(**NJIT)
def _elim_item(kind, tiemode, prob, tbpos, r, w, use_w, act, M, split, scale, out_mask, out_p,
               ords, cur, ptr, ws_i, ws_f, memo, memo_p):
    n, m = r.shape
    root = _root(act)
    strict = False
    if kind == IRV:
        strict = _strict_orders(r, ords, 0, n)
    res = _dfs(kind, tiemode, prob, tbpos, root, m, r, w, use_w, strict, ords, cur, ptr, split,
               M, scale, out_p, ws_i, ws_f, memo, memo_p)
    for c in range(m):
        out_mask[c] = (res >> c) & 1 == 1


@njit(**NJIT_PARALLEL)
def elimination_batch(kind, tiemode, prob, tbpos, ranks, weights, use_w, active, margins, split,
                      scale, out_mask, out_p, ords_ws, cur_ws, ptr_ws):
    """Run an elimination rule on every item: ``out_mask`` (B, m) bool, ``out_p`` (B, m).

    ``weights`` is (B, n) or, when ``use_w`` is False, any (1, k) array; ``margins`` is
    (B, m, m) for the margin-based kinds and (1, 1, 1) otherwise. Items are processed in
    ``nchunk`` parallel chunks, each with its own IRV work arrays ``ords_ws`` (nchunk, n, m),
    ``cur_ws`` and ``ptr_ws`` (nchunk, m + 1, n), int8 (any size for the other kinds). They
    come from the caller: numpy advises huge pages for large arrays, Numba's allocator does
    not, and first-touch page faults on 30 MB of 4 KB pages cost more than the whole count.
    """
    B, n, m = ranks.shape
    nm = margins.shape[0]
    nw = weights.shape[0]
    nchunk = ords_ws.shape[0]
    for k in prange(nchunk):
        lo = (k * B) // nchunk
        hi = ((k + 1) * B) // nchunk
        ords = ords_ws[k]
        cur = cur_ws[k]
        ptr = ptr_ws[k]
        ws_i = np.zeros((4, m + 1), np.int64)
        ws_f = np.zeros((m + 5, m))
        nstate = (1 << m) if tiemode == PUT else 1
        memo = np.empty(nstate, np.int64)
        memo_p = np.empty((nstate if prob else 1, m))
        for b in range(lo, hi):
            iw = b if b < nw else nw - 1
            im = b if b < nm else nm - 1
            _elim_item(kind, tiemode, prob, tbpos, ranks[b], weights[iw], use_w, active[b],
                       margins[im], split, scale[b], out_mask[b], out_p[b], ords, cur, ptr,
                       ws_i, ws_f, memo, memo_p)


@njit(**NJIT_PARALLEL)
def plurality_runoff_batch(ranks, weights, use_w, active, margins, tiemode, tbpos, out_mask):
    """Plurality with runoff (§4.2): PUT union over runoff pairs, or fixed-order survivors."""
    B, n, m = ranks.shape
    for b in prange(B):
        A = np.int64(0)
        for c in range(m):
            if active[b, c]:
                A |= np.int64(1) << c
        F = np.zeros(m)
        w = weights[b] if use_w else weights[0]
        dummy = np.empty((1, 1), np.int8)
        WA = _irv_counts(0, A, ranks[b], w, use_w, False, dummy, dummy, dummy, True, F)
        res = np.int64(0)
        if _popcount(A) == 1:
            res = A
        else:
            tol = TIE_RTOL * WA
            for c in range(m):
                if (A >> c) & 1 and WA > 0.0 and F[c] > WA / 2 + tol:
                    res = np.int64(1) << c
            if res == 0:
                t1 = max_set_bits(F, A, m, tol)
                t2 = np.int64(0)
                if _popcount(t1) == 1:
                    t2 = max_set_bits(F, A & ~t1, m, tol)
                Mb = margins[b]
                mt = TIE_RTOL * WA
                if tiemode == ORDER:
                    # eliminate the earliest in tb first: keep the latest ones
                    x = -1
                    y = -1
                    if t2 == 0:
                        for c in range(m):
                            if (t1 >> c) & 1 and (x < 0 or tbpos[c] > tbpos[x]):
                                x = c
                        for c in range(m):
                            if (t1 >> c) & 1 and c != x and (y < 0 or tbpos[c] > tbpos[y]):
                                y = c
                    else:
                        for c in range(m):
                            if (t1 >> c) & 1:
                                x = c
                        for c in range(m):
                            if (t2 >> c) & 1 and (y < 0 or tbpos[c] > tbpos[y]):
                                y = c
                    if Mb[x, y] > mt:
                        res = np.int64(1) << x
                    elif Mb[x, y] < -mt:
                        res = np.int64(1) << y
                    else:
                        res = np.int64(1) << (x if tbpos[x] > tbpos[y] else y)
                else:
                    for x in range(m):
                        if not (t1 >> x) & 1:
                            continue
                        others = t1 if t2 == 0 else t2
                        for y in range(m):
                            if y == x or not (others >> y) & 1:
                                continue
                            if Mb[x, y] >= -mt:
                                res |= np.int64(1) << x
                            if Mb[x, y] <= mt:
                                res |= np.int64(1) << y
        for c in range(m):
            out_mask[b, c] = (res >> c) & 1 == 1


@njit(**NJIT)
def _drop_zero_tops(F, A, m, tol):
    """True when the IRV candidates tied for elimination (within ``tol`` of the minimum) all
    have exactly zero first-place weight and there are several: nobody's top changes when one
    of them leaves, so every elimination order reaches the same state — the tie is harmless and
    they can all go at once."""
    k = 0
    for c in range(m):
        if (A >> c) & 1:
            if F[c] == 0.0:
                k += 1
            elif F[c] <= tol:
                return False  # a positive count inside the tie: the order may matter
    if k < 2:
        return False
    for c in range(m):
        if (A >> c) & 1 and F[c] > 0.0:
            return True  # someone stays
    return False


@njit(**NJIT)
def _drop_zero_tops_mask(F, A, m):
    for c in range(m):
        if (A >> c) & 1 and F[c] == 0.0:
            A &= ~(np.int64(1) << c)
    return A


@njit(**NJIT)
def _retop(ords, v, p0, A, m, ptr, top, w, use_w, F, icnt):
    # move voter v to its first candidate of A from position p0 and count it (slot m of the
    # integer counts collects exhausted ballots)
    p = _advance(ords, v, p0, A, m)
    ptr[v] = p
    c = ords[v, p] if p < m else -1
    top[v] = c
    if use_w:
        if c >= 0:
            F[c] += w[v]
    else:
        icnt[c if c >= 0 else m] += 1


@njit(**NJIT)
def _irv_path(ranks, w, use_w, active, split, ords, top, ptr, moved, icnt, F, winners):
    """Instant runoff on one election along its unique elimination path.

    Strict ballots (truncation allowed), normalised levels. Work arrays: ``ords`` (n, m) int8,
    ``top``/``ptr`` (n,) int8, ``moved`` (n,) int32, ``icnt`` (m + 1,) int64, ``F`` (m,);
    ``winners`` (m,) bool receives the result. Each voter keeps one pointer to its current
    top; a round gathers the voters whose top was just eliminated (a branch-free byte compare
    per voter) and advances only those, so the run costs about one pass over the ballots.
    Returns False when a ballot has a tie or a round has several candidates tied for
    elimination, where the tie modes differ: the caller then runs the general kernel. Same
    thresholds as :func:`_evaluate`.
    """
    n, m = ranks.shape
    for c in range(m):
        winners[c] = False
        F[c] = 0.0
        icnt[c] = 0
    icnt[m] = 0
    if not _strict_orders(ranks, ords, 0, n):
        return False
    A = np.int64(0)
    for c in range(m):
        if active[c]:
            A |= np.int64(1) << c
    for v in range(n):
        _retop(ords, v, 0, A, m, ptr, top, w, use_w, F, icnt)
    if not use_w:
        for c in range(m):
            F[c] = icnt[c]
    while _popcount(A) > 1:
        WA = 0.0
        for c in range(m):
            if (A >> c) & 1:
                WA += F[c]
        if WA <= 0.0:
            break
        tol = TIE_RTOL * WA
        if split:
            maj = -1
            for c in range(m):
                if (A >> c) & 1 and F[c] > WA / 2 + tol:
                    maj = c
            if maj >= 0:
                A = np.int64(1) << maj
                break
        lo = np.inf
        for c in range(m):
            if (A >> c) & 1 and F[c] < lo:
                lo = F[c]
        if _drop_zero_tops(F, A, m, tol):
            A = _drop_zero_tops_mask(F, A, m)
            continue
        out = -1
        for c in range(m):
            if (A >> c) & 1 and F[c] <= lo + tol:
                if out >= 0:
                    return False  # tied for elimination
                out = c
        A &= ~(np.int64(1) << out)
        F[out] = 0.0
        k = 0
        o8 = np.int8(out)
        for v in range(n):  # branch-free gather of the voters to move
            moved[k] = v
            k += top[v] == o8
        for c in range(m + 1):
            icnt[c] = 0
        for i in range(k):
            v = moved[i]
            _retop(ords, v, ptr[v] + 1, A, m, ptr, top, w, use_w, F, icnt)
        if not use_w:
            for c in range(m):
                F[c] += icnt[c]
    for c in range(m):
        winners[c] = (A >> c) & 1 == 1
    return True


@njit(**NJIT)
def irv_single_path(ranks, w, use_w, active, split, ords):
    """:func:`_irv_path` on one election; returns ``(ok, winners)``."""
    n, m = ranks.shape
    winners = np.zeros(m, np.bool_)
    ok = _irv_path(ranks, w, use_w, active, split, ords, np.empty(n, np.int8),
                   np.empty(n, np.int8), np.empty(n, np.int32), np.zeros(m + 1, np.int64),
                   np.zeros(m), winners)
    return ok, winners


@njit(**NJIT_PARALLEL)
def irv_batch_paths(ranks, weights, use_w, active, split, ok, winners):
    """:func:`_irv_path` per item of a batch (B, n, m), in parallel chunks that reuse their
    work arrays; ``ok[b]`` False marks the items the general kernel must redo."""
    B, n, m = ranks.shape
    nw = weights.shape[0]
    nchunk = min(B, 64)
    for k in prange(nchunk):
        ords = np.empty((n, m), np.int8)
        top = np.empty(n, np.int8)
        ptr = np.empty(n, np.int8)
        moved = np.empty(n, np.int32)
        icnt = np.zeros(m + 1, np.int64)
        F = np.zeros(m)
        for b in range(k * B // nchunk, (k + 1) * B // nchunk):
            ok[b] = _irv_path(ranks[b], weights[b if b < nw else nw - 1], use_w, active[b], split,
                              ords, top, ptr, moved, icnt, F, winners[b])


@njit(**NJIT_PARALLEL)
def elimination_paths(kind, ranks, weights, use_w, active, margins, split, scale, ok, out_mask):
    """Follow each item's elimination path while it is unique (no elimination tie).

    ``ok[b]`` is False when some round has several candidates tied for elimination (the tie
    modes differ there: the caller decides what to do); else ``out_mask[b]`` holds the winners.
    Inputs as :func:`elimination_batch`. Memory is O(m) per item, whatever ``m`` (<= 62).
    """
    B, n, m = ranks.shape
    nm = margins.shape[0]
    nw = weights.shape[0]
    for b in prange(B):
        ws_f = np.zeros((2, m))
        dummy = np.empty((1, 1), np.int8)
        A = _root(active[b])
        ib = np.int64(b)
        w = weights[min(ib, nw - 1)]
        M = margins[min(ib, nm - 1)]
        ok[b] = False
        while True:
            term, elim = _evaluate(kind, 0, A, ranks[b], w, use_w, False, dummy, dummy, dummy,
                                   split, M, scale[b], ws_f[0], ws_f[1])
            if term != 0:
                for c in range(m):
                    out_mask[b, c] = (term >> c) & 1 == 1
                ok[b] = True
                break
            if _popcount(elim) > 1:
                WA = 0.0
                for c in range(m):
                    if (A >> c) & 1:
                        WA += ws_f[0, c]
                if kind == IRV and _drop_zero_tops(ws_f[0], A, m, TIE_RTOL * WA):
                    A = _drop_zero_tops_mask(ws_f[0], A, m)
                    continue
                break
            A &= ~elim
