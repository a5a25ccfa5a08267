"""Tournament (margin-matrix) kernels: docs/rules.md §3 and §6.2.

Every kernel takes a flat batch of margins ``M`` of shape (B, m, m) (float64, antisymmetric,
already cleaned of float noise by the caller) and an ``active`` mask (B, m); inactive
candidates are ignored (restriction, docs/rules.md §1.6). Candidate sets are bitmasks (int64), so the
graph kernels need m <= 62; ranked pairs memoises lock states packed 16 bits per candidate
and needs m <= 16 (the public layer falls back to Python beyond).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types
from numba.typed import Dict

from .._config import NJIT, NJIT_PARALLEL, jit_variant

_KEY = types.UniTuple(types.int64, 5)

# --------------------------------------------------------------------------- helpers


@njit(**NJIT)
def _closure(adj, m, out):
    """Transitive closure of bitmask adjacency rows ``adj`` (Warshall on bitsets)."""
    for i in range(m):
        out[i] = adj[i]
    for k in range(m):
        bk = np.int64(1) << k
        rk = out[k]
        for i in range(m):
            if out[i] & bk:
                out[i] |= rk


@njit(**NJIT)
def _active_bits(active_row, m):
    a = np.int64(0)
    for i in range(m):
        if active_row[i]:
            a |= np.int64(1) << i
    return a


# --------------------------------------------------------------------------- majority graphs


@njit(**NJIT_PARALLEL)
def smith_schwartz(margins, active, strict):
    """Smith set (``strict=False``: top SCC of the weak-majority digraph) or Schwartz set
    (``strict=True``: union of source SCCs of the strict-majority digraph)."""
    b, m, _ = margins.shape
    out = np.zeros((b, m), np.bool_)
    for it in prange(b):
        mm = margins[it]
        act = active[it]
        abits = _active_bits(act, m)
        adj = np.zeros(m, np.int64)
        for x in range(m):
            if not act[x]:
                continue
            for y in range(m):
                if y != x and act[y]:
                    if (strict and mm[x, y] > 0) or ((not strict) and mm[x, y] >= 0):
                        adj[x] |= np.int64(1) << y
        reach = np.empty(m, np.int64)
        _closure(adj, m, reach)
        for x in range(m):
            if not act[x]:
                continue
            bx = np.int64(1) << x
            if not strict:
                # x reaches every other active candidate
                others = abits & ~bx
                out[it, x] = (reach[x] & others) == others
            else:
                ok = True
                for y in range(m):
                    if y != x and act[y] and (reach[y] & bx) and not (reach[x] & (np.int64(1) << y)):
                        ok = False
                        break
                out[it, x] = ok
    return out


@njit(**NJIT_PARALLEL)
def uncovered(margins, active, covering):
    """Uncovered set; ``covering`` 0 Gillies, 1 Fishburn, 2 Bordes, 3 McKelvey (pref_voting's
    ``uc_gill``, ``uc_fish``, ``uc_bordes``, ``uc_mckelvey``)."""
    b, m, _ = margins.shape
    out = np.zeros((b, m), np.bool_)
    for it in prange(b):
        mm = margins[it]
        act = active[it]
        dom = np.zeros(m, np.int64)  # dom[c]: candidates beating c
        wdom = np.zeros(m, np.int64)  # dom[c] + candidates tied with c (c included)
        for c in range(m):
            if not act[c]:
                continue
            for z in range(m):
                if not act[z]:
                    continue
                if z != c and mm[z, c] > 0:
                    dom[c] |= np.int64(1) << z
                if z == c or mm[z, c] == 0:
                    wdom[c] |= np.int64(1) << z
            wdom[c] |= dom[c]
        for y in range(m):
            if not act[y]:
                continue
            covered = False
            for x in range(m):
                if x == y or not act[x]:
                    continue
                beats = mm[x, y] > 0
                sub = (dom[x] & ~dom[y]) == 0
                if covering == 0:
                    covered = beats and sub
                elif covering == 1:
                    covered = sub and dom[x] != dom[y]
                elif covering == 2:
                    covered = beats and (wdom[x] & ~wdom[y]) == 0
                else:
                    covered = beats and sub and (wdom[x] & ~wdom[y]) == 0
                if covered:
                    break
            out[it, y] = not covered
    return out


# --------------------------------------------------------------------------- Schulze


@njit(**NJIT_PARALLEL)
def schulze(strength, margins, active, paths):
    """Widest-path strengths ``p`` (B, m, m), the Schulze winners and scores (docs/rules.md §3.6).

    ``strength[x, y]`` is the link strength used when ``margins[x, y] > 0`` (links with
    non-positive margin have strength 0). The score of x is the number of active y with
    ``p[x, y] > p[y, x]`` (0 for inactive candidates, as Copeland scores). ``paths`` is a
    (B, m, m) float64 output from numpy (huge pages: Numba's allocator faults 4 KB pages).
    """
    b, m, _ = margins.shape
    win = np.zeros((b, m), np.bool_)
    scores = np.zeros((b, m), np.float64)
    for it in prange(b):
        p = paths[it]
        act = active[it]
        for x in range(m):
            for y in range(m):
                p[x, y] = 0.0
                if x != y and act[x] and act[y] and margins[it, x, y] > 0:
                    p[x, y] = strength[it, x, y]
        for k in range(m):
            if not act[k]:
                continue
            for i in range(m):
                if i == k or not act[i]:
                    continue
                pik = p[i, k]
                if pik == 0:
                    continue
                for j in range(m):
                    if j == i or j == k or not act[j]:
                        continue
                    v = pik if pik < p[k, j] else p[k, j]
                    if v > p[i, j]:
                        p[i, j] = v
        for x in range(m):
            if not act[x]:
                continue
            ok = True
            beaten = 0
            for y in range(m):
                if y != x and act[y]:
                    ok &= p[y, x] <= p[x, y]
                    beaten += p[x, y] > p[y, x]
            win[it, x] = ok
            scores[it, x] = beaten
    return win, scores


# --------------------------------------------------------------------------- ranked pairs


@njit(**NJIT)
def _edge_order(key, p):
    """Indices by ``key`` descending, then ``p`` ascending, then index (a stable insertion
    sort: at most m(m-1) edges, and no sort specialisations to compile)."""
    k = key.shape[0]
    order = np.arange(k)
    for i in range(1, k):
        cur = order[i]
        j = i
        while j > 0:
            prev = order[j - 1]
            if key[prev] < key[cur] or (key[prev] == key[cur] and p[prev] > p[cur]):
                order[j] = prev
                j -= 1
            else:
                break
        order[j] = cur
    return order


@njit(**NJIT)
def _rp_edges(mm, act, m, prio, use_prio):
    """Edges (x, y) with M[x, y] >= 0 sorted by strength desc (then ``prio`` asc); group ids."""
    k = 0
    for x in range(m):
        for y in range(m):
            if x != y and act[x] and act[y] and mm[x, y] >= 0:
                k += 1
    ex = np.empty(k, np.int64)
    ey = np.empty(k, np.int64)
    key = np.empty(k, np.float64)
    k = 0
    for x in range(m):
        for y in range(m):
            if x != y and act[x] and act[y] and mm[x, y] >= 0:
                ex[k] = x
                ey[k] = y
                key[k] = mm[x, y]
                k += 1
    p = np.zeros(k, np.int64)
    if use_prio:
        for i in range(k):
            p[i] = prio[ex[i], ey[i]]
    order = _edge_order(key, p)
    sx = ex[order]
    sy = ey[order]
    sk = key[order]
    grp = np.empty(k + 1, np.int64)  # group start offsets
    g = 0
    for i in range(k):
        if i == 0 or sk[i] != sk[i - 1]:
            grp[g] = i
            g += 1
    grp[g] = k
    return sx, sy, grp[: g + 1]


@njit(**NJIT)
def _rp_top(locked, abits, m):
    """Active candidate nobody locks an edge into (the top of the final order)."""
    incoming = np.int64(0)
    for x in range(m):
        incoming |= locked[x]
    for x in range(m):
        if (abits >> x) & 1 and not (incoming >> x) & 1:
            return x
    return -1


@njit(**NJIT)
def _rp_step(locked, g, sx, sy, grp, m, reach, reach2, tmp, cand, cont):
    """Advance state ``(g, locked)`` through forced moves (in place).

    An edge of the current strength group is *live* if it is not locked and its reverse is not
    reachable; a live edge is *forced* if its reverse stays unreachable even with every other
    live edge of the group locked: it is locked in every order, and locking it first changes no
    other decision. Returns (g, ncontested): when ``ncontested`` > 0, ``cont[:ncontested]`` are
    the live, unforced edges of group ``g``, one of which is locked next in some order.
    """
    ngroups = grp.shape[0] - 1
    while g < ngroups:
        _closure(locked, m, reach)
        nc = 0
        for e in range(grp[g], grp[g + 1]):
            x = sx[e]
            y = sy[e]
            if (reach[x] >> y) & 1 or (reach[y] >> x) & 1:
                continue  # already implied, or would close a cycle: same in every order
            cand[nc] = e
            nc += 1
        if nc == 0:
            g += 1
            continue
        for i in range(m):
            tmp[i] = locked[i]
        for i in range(nc):
            tmp[sx[cand[i]]] |= np.int64(1) << sy[cand[i]]
        _closure(tmp, m, reach2)
        ncont = 0
        nfree = 0
        for i in range(nc):
            e = cand[i]
            x = sx[e]
            y = sy[e]
            free = True
            if (reach2[y] >> x) & 1:
                for j in range(m):
                    tmp[j] = locked[j]
                for j in range(nc):
                    if j != i:
                        tmp[sx[cand[j]]] |= np.int64(1) << sy[cand[j]]
                _closure(tmp, m, reach)
                free = not ((reach[y] >> x) & 1)
            if free:
                nfree += 1
            else:
                cont[ncont] = e
                ncont += 1
        if nfree > 0:
            for i in range(nc):
                e = cand[i]
                isc = False
                for j in range(ncont):
                    if cont[j] == e:
                        isc = True
                        break
                if not isc:
                    locked[sx[e]] |= np.int64(1) << sy[e]
            if ncont == 0:
                g += 1
            continue  # re-evaluate the group after locking the forced edges
        return g, ncont
    return g, 0


@njit(**NJIT)
def _pack(g, locked, m):
    k = np.zeros(5, np.int64)
    k[0] = g
    for x in range(m):
        k[1 + x // 4] |= (locked[x] & 0xFFFF) << (16 * (x % 4))
    return (k[0], k[1], k[2], k[3], k[4])


@njit(**NJIT)
def _rp_possible(closed, mm, act, m, wp):
    """Candidates that can still end on top from a lock state with closure ``closed``.

    Necessary condition: no incoming locked edge, and for every ``y`` not yet reached with
    ``M[y, x] >= 0``, ``x`` must reach ``y`` by locked edges or still-lockable edges of
    strength >= ``M[y, x]`` (so that ``y -> x`` is skipped when its turn comes).
    """
    incoming = np.int64(0)
    for x in range(m):
        incoming |= closed[x]
    for i in range(m):
        for j in range(m):
            wp[i, j] = -np.inf
            if i != j and act[i] and act[j]:
                if (closed[i] >> j) & 1:
                    wp[i, j] = np.inf
                elif mm[i, j] >= 0 and not (closed[j] >> i) & 1:
                    wp[i, j] = mm[i, j]
    for k in range(m):
        if not act[k]:
            continue
        for i in range(m):
            wik = wp[i, k]
            if wik == -np.inf:
                continue
            for j in range(m):
                v = wik if wik < wp[k, j] else wp[k, j]
                if v > wp[i, j]:
                    wp[i, j] = v
    out = np.int64(0)
    for x in range(m):
        if not act[x] or (incoming >> x) & 1:
            continue
        ok = True
        for y in range(m):
            if y != x and act[y] and mm[y, x] >= 0 and not (closed[x] >> y) & 1 \
                    and wp[x, y] < mm[y, x]:
                ok = False
                break
        if ok:
            out |= np.int64(1) << x
    return out


@njit(**NJIT)
def _rp_winners(mm, act, m, prio, use_prio):
    """Bitmask of ranked-pairs winners (union over tie-breaking orders, docs/rules.md §3.7)."""
    abits = _active_bits(act, m)
    sx, sy, grp = _rp_edges(mm, act, m, prio, use_prio)
    ne = sx.shape[0]
    reach = np.empty(m, np.int64)
    reach2 = np.empty(m, np.int64)
    tmp = np.empty(m, np.int64)
    cand = np.empty(ne + 1, np.int64)
    cont = np.empty(ne + 1, np.int64)
    locked = np.zeros(m, np.int64)
    if use_prio:
        # fixed priority: plain sequential locking
        for e in range(ne):
            _closure(locked, m, reach)
            if not (reach[sy[e]] >> sx[e]) & 1:
                locked[sx[e]] |= np.int64(1) << sy[e]
        return np.int64(1) << _rp_top(locked, abits, m)
    g, nc = _rp_step(locked, 0, sx, sy, grp, m, reach, reach2, tmp, cand, cont)
    if nc == 0:
        return np.int64(1) << _rp_top(locked, abits, m)
    wp = np.empty((m, m))
    # seed the winner set cheaply: lock each candidate's own edges first within every group
    seed_w = np.int64(0)
    for x0 in range(m):
        if not act[x0] or (seed_w >> x0) & 1:
            continue
        trial = locked.copy()
        for gg in range(g, grp.shape[0] - 1):
            for pas in range(2):
                for e in range(grp[gg], grp[gg + 1]):
                    if (sx[e] == x0) != (pas == 0):
                        continue
                    _closure(trial, m, reach)
                    if not (reach[sy[e]] >> sx[e]) & 1:
                        trial[sx[e]] |= np.int64(1) << sy[e]
        seed_w |= np.int64(1) << _rp_top(trial, abits, m)
    # depth-first search over lock states, memoised on (group, closure of the locked edges)
    winners = seed_w
    seen = Dict.empty(key_type=_KEY, value_type=types.int64)
    cl0 = np.empty(m, np.int64)
    _closure(locked, m, cl0)
    locked = cl0
    stack_l = [locked.copy()]
    stack_g = [g]
    seen[_pack(g, locked, m)] = 1
    while len(stack_l) > 0:
        cur = stack_l.pop()
        cg = stack_g.pop()
        # prune states from which no new winner can emerge
        if (_rp_possible(cur, mm, act, m, wp) & ~winners) == 0:
            continue
        cg, nc = _rp_step(cur, cg, sx, sy, grp, m, reach, reach2, tmp, cand, cont)
        if nc == 0:
            winners |= np.int64(1) << _rp_top(cur, abits, m)
            continue
        for i in range(nc):
            e = cont[i]
            nl = cur.copy()
            nl[sx[e]] |= np.int64(1) << sy[e]
            # decisions depend only on reachability: the state is the transitive closure
            cl = np.empty(m, np.int64)
            _closure(nl, m, cl)
            key = _pack(cg, cl, m)
            if key not in seen:
                seen[key] = 1
                stack_l.append(cl)
                stack_g.append(cg)
    return winners


@njit(**NJIT_PARALLEL)
def ranked_pairs(margins, active, prio, use_prio):
    """Ranked-pairs winner masks (B, m); m <= 16."""
    b, m, _ = margins.shape
    out = np.zeros((b, m), np.bool_)
    for it in prange(b):
        act = active[it]
        mm = margins[it]
        # Condorcet winner shortcut (docs/rules.md §3.7: it is the unique winner)
        cw = -1
        for x in range(m):
            if not act[x]:
                continue
            ok = True
            for y in range(m):
                if y != x and act[y] and mm[x, y] <= 0:
                    ok = False
                    break
            if ok:
                cw = x
                break
        if cw >= 0:
            out[it, cw] = True
            continue
        w = _rp_winners(mm, act, m, prio, use_prio)
        for x in range(m):
            out[it, x] = (w >> x) & 1
    return out


# --------------------------------------------------------------------------- Kemeny-Young


@njit(**NJIT)
def kemeny_dp(mc):
    """Subset DP of docs/rules.md §3.8 on a compact margin matrix ``mc`` (k, k).

    Returns ``best`` (2^k,) and ``first`` (k,): the best total with x ranked first.
    Row sums over subsets come from two half-width lookup tables, so the DP is O(2^k k).
    """
    k = mc.shape[0]
    full = (1 << k) - 1
    lo_bits = k // 2
    hi_bits = k - lo_bits
    lo_tab = np.zeros((k, 1 << lo_bits), np.float64)
    hi_tab = np.zeros((k, 1 << hi_bits), np.float64)
    for x in range(k):
        for s in range(1, 1 << lo_bits):
            low = s & (-s)
            j = 0
            while (low >> j) != 1:
                j += 1
            lo_tab[x, s] = lo_tab[x, s ^ low] + mc[x, j]
        for s in range(1, 1 << hi_bits):
            low = s & (-s)
            j = 0
            while (low >> j) != 1:
                j += 1
            hi_tab[x, s] = hi_tab[x, s ^ low] + mc[x, lo_bits + j]
    lo_mask = (1 << lo_bits) - 1
    best = np.zeros(1 << k, np.float64)
    for s in range(1, full + 1):
        bv = -np.inf
        rest = s
        while rest:
            low = rest & (-rest)
            rest ^= low
            x = 0
            while (low >> x) != 1:
                x += 1
            r = s ^ low
            v = lo_tab[x, r & lo_mask] + hi_tab[x, r >> lo_bits] + best[r]
            if v > bv:
                bv = v
        best[s] = bv
    first = np.empty(k, np.float64)
    for x in range(k):
        r = full ^ (1 << x)
        first[x] = lo_tab[x, r & lo_mask] + hi_tab[x, r >> lo_bits] + best[r]
    return best, first


@njit(**NJIT)
def kemeny_unique_order(mc, best, tol, order):
    """Walk the subset DP from the full set down: ``order`` (k,) gets the unique optimal
    ranking (compact indices, best first) and True is returned, or False as soon as two
    candidates can head the rest of an optimal ranking (ties within ``tol``)."""
    k = mc.shape[0]
    s = (1 << k) - 1
    for pos in range(k):
        pick = -1
        for x in range(k):
            if not (s >> x) & 1:
                continue
            r = s ^ (1 << x)
            v = best[r]
            for y in range(k):
                if (r >> y) & 1:
                    v += mc[x, y]
            if abs(v - best[s]) <= tol:
                if pick >= 0:
                    return False
                pick = x
        order[pos] = pick
        s ^= 1 << pick
    return True


@njit(**NJIT_PARALLEL)
def kemeny_batch(margins, active, tol):
    """``(first, levels)``: ``first[x]`` = best Kemeny score of a ranking with x on top (-inf
    if inactive); ``levels[x]`` = x's position in the optimal ranking when it is unique
    (within ``tol[item]``), -1 otherwise and for inactive candidates."""
    b, m, _ = margins.shape
    out = np.full((b, m), -np.inf)
    levels = np.full((b, m), -1, np.int64)
    for it in prange(b):
        idx = np.flatnonzero(active[it])
        k = idx.shape[0]
        mc = np.empty((k, k), np.float64)
        for i in range(k):
            for j in range(k):
                mc[i, j] = margins[it, idx[i], idx[j]]
        best, first = kemeny_dp(mc)
        for i in range(k):
            out[it, idx[i]] = first[i]
        order = np.empty(k, np.int64)
        if k and kemeny_unique_order(mc, best, tol[it], order):
            for pos in range(k):
                levels[it, idx[order[pos]]] = pos
    return out, levels


# --------------------------------------------------------------------------- maximal lotteries


@njit(**NJIT)
def _solve_support(mm, idx, k, tol, sol):
    """Solve ``M_TT^T p = 0, sum p = 1`` for p on support ``idx[:k]`` (Gaussian elimination
    with partial pivoting on the (k+1) x k system). Returns True iff the solution is unique."""
    a = np.zeros((k + 1, k + 1), np.float64)
    for r in range(k):
        for c in range(k):
            a[r, c] = mm[idx[c], idx[r]]  # row r: sum_c p_c M[c, r] = 0
    for c in range(k):
        a[k, c] = 1.0
    a[k, k] = 1.0
    nrow = k + 1
    row = 0
    piv_col = np.empty(k, np.int64)
    for c in range(k):
        best = row
        bv = 0.0
        for r in range(row, nrow):
            if abs(a[r, c]) > bv:
                bv = abs(a[r, c])
                best = r
        if bv <= tol:
            return False  # rank deficient: not a unique solution
        if best != row:
            for j in range(k + 1):
                t = a[row, j]
                a[row, j] = a[best, j]
                a[best, j] = t
        for r in range(nrow):
            if r != row and a[r, c] != 0.0:
                f = a[r, c] / a[row, c]
                for j in range(c, k + 1):
                    a[r, j] -= f * a[row, j]
        piv_col[row] = c
        row += 1
    # the leftover row must be consistent (0 = 0)
    if abs(a[k, k]) > 1e-7:
        return False
    for r in range(k):
        sol[r] = a[r, k] / a[r, r]
    return True


@njit(**NJIT_PARALLEL)
def maximal_lottery_unique(margins, active, max_k):
    """Maximal lottery by support enumeration with a uniqueness certificate.

    ``margins`` are scaled per item to ``max |M| = 1`` by the caller (the tolerances are then
    relative). A Condorcet winner is found in ``O(m^2)``. Otherwise, for items with at most
    ``max_k`` active candidates, searches supports ``T`` (by increasing size) for a ``p``
    solving the support system with ``p > 0`` on ``T`` and ``(p^T M)_y > 0`` off ``T`` (strict
    complementarity). Such a ``p`` is the unique maximal lottery (then its support is the
    essential set). Returns ``p`` (B, m) and ``ok`` (B,); items with ``ok=False`` need the
    general (LP) solver.
    """
    b, m, _ = margins.shape
    out = np.zeros((b, m), np.float64)
    ok = np.zeros(b, np.bool_)
    for it in prange(b):
        mm = margins[it]
        act_idx = np.flatnonzero(active[it])
        ka = act_idx.shape[0]
        cw = -1
        for i in range(ka):
            x = act_idx[i]
            beats = True
            for j in range(ka):
                if j != i and mm[x, act_idx[j]] <= 0:
                    beats = False
                    break
            if beats:
                cw = x
                break
        if cw >= 0:
            out[it, cw] = 1.0
            ok[it] = True
            continue
        if ka > max_k:
            continue
        tol = 1e-9
        idx = np.empty(ka, np.int64)
        sol = np.empty(ka, np.float64)
        found = False
        for size in range(1, ka + 1):
            if found:
                break
            for sub in range(1, 1 << ka):
                # popcount
                c = 0
                s = sub
                while s:
                    s &= s - 1
                    c += 1
                if c != size:
                    continue
                k = 0
                for j in range(ka):
                    if (sub >> j) & 1:
                        idx[k] = act_idx[j]
                        k += 1
                if not _solve_support(mm, idx, k, tol, sol):
                    continue
                good = True
                for j in range(k):
                    if sol[j] <= 1e-12:
                        good = False
                        break
                if not good:
                    continue
                for j in range(ka):
                    if (sub >> j) & 1:
                        continue
                    y = act_idx[j]
                    v = 0.0
                    for r in range(k):
                        v += sol[r] * mm[idx[r], y]
                    if v <= tol:
                        good = False
                        break
                if good:
                    for j in range(k):
                        out[it, idx[j]] = sol[j]
                    ok[it] = True
                    found = True
                    break
    return out, ok


#: the same kernel compiled serially: one item (or a few) gains nothing from threads, and
#: waking the thread pool costs milliseconds on a busy machine (compiled on first call)
maximal_lottery_unique_serial = jit_variant(getattr(maximal_lottery_unique, "py_func", maximal_lottery_unique),
                                            "_serial", **NJIT)  # py_func is absent without the JIT


@njit(**NJIT_PARALLEL)
def copeland_scores(margins, active, alpha):
    """Copeland^alpha scores (B, m): wins + alpha * ties among active candidates."""
    b, m, _ = margins.shape
    out = np.zeros((b, m), np.float64)
    for it in prange(b):
        for x in range(m):
            if not active[it, x]:
                continue
            s = 0.0
            for y in range(m):
                if y == x or not active[it, y]:
                    continue
                g = margins[it, x, y]
                if g > 0:
                    s += 1.0
                elif g == 0:
                    s += alpha
            out[it, x] = s
    return out


@njit(**NJIT)
def _next_combination(c, n):  # pragma: no cover - jit
    """Advance ``c`` (sorted indices) to the next combination of ``range(n)``; False at the end."""
    r = c.shape[0]
    i = r - 1
    while i >= 0 and c[i] == n - r + i:
        i -= 1
    if i < 0:
        return False
    c[i] += 1
    for j in range(i + 1, r):
        c[j] = c[j - 1] + 1
    return True


@njit(**NJIT_PARALLEL)
def maximal_lottery_vertices(mgn, active, todo, max_k, p_out, ok):  # pragma: no cover - jit
    """The average of the vertices of the optimal-strategy polytope ``{p >= 0, sum p = 1,
    M^T p >= 0}`` of items ``todo`` (margins ``mgn`` scaled to ``max |M| = 1``): every choice
    of ``k - 1`` tight inequalities among the ``2k`` that, with ``sum p = 1``, is nonsingular
    gives a candidate; feasible ones (to ``1e-9``), clipped at 0, renormalised and deduplicated
    (to ``1e-8``) are averaged, as ``rules.maximal_lotteries._vertices`` does by the null
    space. Items with more than ``max_k`` active candidates are left (``ok = False``)."""
    m = mgn.shape[1]
    for q in prange(todo.shape[0]):
        it = todo[q]
        idx = np.flatnonzero(active[it])
        k = idx.shape[0]
        if k > max_k or k == 0:
            ok[q] = False
            continue
        mc = np.empty((k, k))
        for i in range(k):
            for j in range(k):
                mc[i, j] = mgn[it, idx[i], idx[j]]
        # inequality rows: e_i . p >= 0 (i < k) and (M^T p)_y = sum_x M[x, y] p_x >= 0
        G = np.zeros((2 * k, k))
        for i in range(k):
            G[i, i] = 1.0
            for x in range(k):
                G[k + i, x] = mc[x, i]
        nv = 0
        store = np.empty((64, k))
        comb = np.arange(k - 1)
        A = np.empty((k, k))
        b = np.empty(k)
        sol = np.empty(k)
        more = True
        while more:
            for r in range(k - 1):
                for c in range(k):
                    A[r, c] = G[comb[r], c]
                b[r] = 0.0
            for c in range(k):
                A[k - 1, c] = 1.0
            b[k - 1] = 1.0
            singular = False
            for c in range(k):  # Gaussian elimination, partial pivoting
                piv = c
                for r in range(c + 1, k):
                    if abs(A[r, c]) > abs(A[piv, c]):
                        piv = r
                if abs(A[piv, c]) < 1e-12:
                    singular = True
                    break
                if piv != c:
                    for cc in range(k):
                        t = A[c, cc]
                        A[c, cc] = A[piv, cc]
                        A[piv, cc] = t
                    t = b[c]
                    b[c] = b[piv]
                    b[piv] = t
                for r in range(c + 1, k):
                    f = A[r, c] / A[c, c]
                    if f != 0.0:
                        for cc in range(c, k):
                            A[r, cc] -= f * A[c, cc]
                        b[r] -= f * b[c]
            if not singular:
                for c in range(k - 1, -1, -1):
                    s = b[c]
                    for cc in range(c + 1, k):
                        s -= A[c, cc] * sol[cc]
                    sol[c] = s / A[c, c]
                feasible = True
                for r in range(2 * k):
                    s = 0.0
                    for c in range(k):
                        s += G[r, c] * sol[c]
                    if s < -1e-9:
                        feasible = False
                        break
                if feasible:
                    tot = 0.0
                    for c in range(k):
                        sol[c] = max(sol[c], 0.0)
                        tot += sol[c]
                    for c in range(k):
                        sol[c] /= tot
                    new = True
                    for v in range(nv):
                        d = 0.0
                        for c in range(k):
                            d = max(d, abs(store[v, c] - sol[c]))
                        if d < 1e-8:
                            new = False
                            break
                    if new:
                        if nv == store.shape[0]:
                            bigger = np.empty((2 * nv, k))
                            bigger[:nv] = store
                            store = bigger
                        store[nv] = sol
                        nv += 1
            more = _next_combination(comb, 2 * k) if k > 1 else False
        if nv == 0:
            ok[q] = False
            continue
        for c in range(m):
            p_out[q, c] = 0.0
        for c in range(k):
            s = 0.0
            for v in range(nv):
                s += store[v, c]
            p_out[q, idx[c]] = s / nv
        ok[q] = True
