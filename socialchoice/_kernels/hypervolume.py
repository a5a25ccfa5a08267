"""Exact hypervolume kernels (docs/tradeoff-jury.md §A3).

Pure array functions on float64 C-contiguous points as rows, **minimisation** orientation, a
reference point ``r`` (the public layer negates maximised columns and validates). Points that do
not strictly dominate ``r`` (``x_k < r_k`` for every ``k``) contribute nothing and are dropped
first, as in moocore.

* ``d = 1``: ``r - min``;
* ``d = 2``: sort by the first objective and add up rectangles, ``O(n log n)``;
* ``d = 3``: a sweep along the third objective keeping the 2-D staircase of the first two, whose
  dominated area is updated incrementally; the staircase is a Fenwick tree of counts over the
  points' lexicographic ranks (predecessor, successor, insertion, deletion in ``O(log n)``), so
  the sweep is ``O(n log n)`` (Beume et al. 2009);
* ``d >= 4``: WFG-style recursion (While, Bradstreet & Barone 2012): after removing dominated
  points, sort by the last objective, worst first; each point's exclusive volume with respect
  to the points after it is its box minus the hypervolume of those points limited to its box,
  which lose the last dimension (their last coordinate equals the point's); the limited sets are
  filtered to their non-dominated points before recursing, down to the 3-D sweep.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.extending import intrinsic

from .._config import NJIT, NJIT_PARALLEL, jit_variant
from .dominance import _gather_valid, _pivot_filter, _sort_by_key_then_lex, argsort_float, nondominated

__all__ = [
    "hv",
    "hv_batch",
    "hv_contributions",
    "hv_contributions_batch",
]


@njit(**NJIT)
def _strictly_inside(X, r):  # pragma: no cover - jit
    """Indices of the rows of ``X`` with ``x_k < r_k`` for every ``k``."""
    n, d = X.shape
    keep = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        ok = True
        for k in range(d):
            if not X[i, k] < r[k]:
                ok = False
                break
        if ok:
            keep[m] = i
            m += 1
    return keep[:m]


@njit(**NJIT)
def _gather(X, idx):  # pragma: no cover - jit
    P = np.empty((idx.shape[0], X.shape[1]))
    for t in range(idx.shape[0]):
        P[t] = X[idx[t]]
    return P


@njit(**NJIT)
def _hv1d(X, idx, r):  # pragma: no cover - jit
    best = r[0]
    for t in range(idx.shape[0]):
        v = X[idx[t], 0]
        if v < best:
            best = v
    return r[0] - best


@njit(**NJIT)
def _hv2d(X, idx, r):  # pragma: no cover - jit
    m = idx.shape[0]
    key = np.empty(m)
    for t in range(m):
        key[t] = X[idx[t], 0]
    o = argsort_float(key)
    ylim = r[1]
    area = 0.0
    for t in range(m):
        i = idx[o[t]]
        y = X[i, 1]
        if y < ylim:
            area += (r[0] - X[i, 0]) * (ylim - y)
            ylim = y
    return area


def _zero_count_intrinsic(op: str, what: str):
    """An intrinsic counting the {trailing, leading} zero bits of a non-zero uint64 (LLVM)."""

    @intrinsic
    def count(typingctx, x):  # pragma: no cover - compiled
        if not isinstance(x, types.Integer):
            return None
        sig = types.int64(types.uint64)

        def codegen(context, builder, signature, args):
            return getattr(builder, op)(args[0], ir.Constant(ir.IntType(1), 0))

        return sig, codegen

    count.__doc__ = f"Count of {what} zero bits of a non-zero uint64 (LLVM ``{op}``)."
    return count


_cttz = _zero_count_intrinsic("cttz", "trailing")
_ctlz = _zero_count_intrinsic("ctlz", "leading")


@njit(inline="always", **NJIT)
def _first_coverer(F, nf, v, dims):  # pragma: no cover - jit
    """Index of the first of ``F[:nf]`` that is <= ``v`` in the first ``dims`` coordinates
    (covers it), or -1."""
    for f in range(nf):
        le = True
        for c in range(dims):
            if F[f, c] > v[c]:
                le = False
                break
        if le:
            return f
    return -1


@njit(inline="always", **NJIT)
def _drop_covered(F, nf, v, dims):  # pragma: no cover - jit
    """Remove from ``F[:nf]`` (in place, order kept) the points ``v`` covers (>= ``v`` in the
    first ``dims`` coordinates); returns how many remain."""
    w = 0
    for f in range(nf):
        ge = True
        for c in range(dims):
            if F[f, c] < v[c]:
                ge = False
                break
        if not ge:
            if w != f:
                for c in range(dims):
                    F[w, c] = F[f, c]
            w += 1
    return w


# A sorted set of the integers 0..m-1 as a 64-ary tree of bit words ("fast set"): level 0 holds
# one bit per integer, level l + 1 one bit per non-zero word of level l, up to a single word.
# Insertion, deletion, successor and predecessor take O(log_64 m) word operations (3 for
# m <= 262144), on a few kilobytes that stay in the L1 cache.
_ONE = np.uint64(1)


@njit(**NJIT)
def _bs_new(m):  # pragma: no cover - jit
    off = np.zeros(12, dtype=np.int64)
    nlev = 0
    size = max(m, 1)
    total = 0
    while True:
        w = (size + 63) >> 6
        off[nlev] = total
        total += w
        nlev += 1
        if w == 1:
            break
        size = w
    off[nlev] = total
    return np.zeros(total, dtype=np.uint64), off, nlev


@njit(**NJIT)
def _bs_insert(bits, off, nlev, i):  # pragma: no cover - jit
    for lv in range(nlev):
        w = i >> 6
        j = off[lv] + w
        old = bits[j]
        bits[j] = old | (_ONE << np.uint64(i & 63))
        if old != 0:
            break
        i = w


@njit(**NJIT)
def _bs_erase(bits, off, nlev, i):  # pragma: no cover - jit
    for lv in range(nlev):
        w = i >> 6
        j = off[lv] + w
        v = bits[j] & ~(_ONE << np.uint64(i & 63))
        bits[j] = v
        if v != 0:
            break
        i = w


@njit(**NJIT)
def _bs_next(bits, off, nlev, i):  # pragma: no cover - jit
    """Smallest member ``>= i``, or -1."""
    lv = 0
    while lv < nlev:
        w = i >> 6
        if off[lv] + w >= off[lv + 1]:
            return -1
        word = bits[off[lv] + w] >> np.uint64(i & 63)
        if word != 0:
            i += _cttz(word)
            while lv > 0:
                lv -= 1
                i = (i << 6) + _cttz(bits[off[lv] + i])
            return i
        i = w + 1
        lv += 1
    return -1


@njit(**NJIT)
def _bs_prev(bits, off, nlev, i):  # pragma: no cover - jit
    """Largest member ``<= i``, or -1."""
    lv = 0
    while lv < nlev:
        if i < 0:
            return -1
        w = i >> 6
        b = i & 63
        word = bits[off[lv] + w]
        if b != 63:
            word &= (_ONE << np.uint64(b + 1)) - _ONE
        if word != 0:
            i = (w << 6) + 63 - _ctlz(word)
            while lv > 0:
                lv -= 1
                i = (i << 6) + 63 - _ctlz(bits[off[lv] + i])
            return i
        i = w - 1
        lv += 1
    return -1


@njit(**NJIT)
def _hv3d_rows(P, r):  # pragma: no cover - jit
    """Hypervolume of the rows of ``P (m, 3)`` (all strictly inside ``r``; dominated points and
    copies allowed): sweep along the third objective keeping the 2-D staircase of the first two
    in a bit-word sorted set over the points' lexicographic ranks."""
    m = P.shape[0]
    if m == 0:
        return 0.0
    lex = _sort_by_key_then_lex(P, np.arange(m), P[:, 0].copy())
    rank = np.empty(m, dtype=np.int64)
    sxy = np.empty((m, 2))
    for s in range(m):
        i = lex[s]
        rank[i] = s
        sxy[s, 0] = P[i, 0]
        sxy[s, 1] = P[i, 1]
    oz = argsort_float(P[:, 2].copy())
    bits, off, nlev = _bs_new(m)
    area = 0.0
    vol = 0.0
    r0 = r[0]
    r1 = r[1]
    for t in range(m):
        i = oz[t]
        rho = rank[i]
        p0 = sxy[rho, 0]
        p1 = sxy[rho, 1]
        pred = _bs_prev(bits, off, nlev, rho - 1) if rho > 0 else -1
        if pred < 0 or sxy[pred, 1] > p1:  # not dominated in 2-D by its predecessor
            upper = r1 if pred < 0 else sxy[pred, 1]
            cur = p0
            s = _bs_next(bits, off, nlev, rho + 1)
            while True:
                if s < 0:  # no successor: the strip runs to r0
                    area += (r0 - cur) * (upper - p1)
                    break
                area += (sxy[s, 0] - cur) * (upper - p1)
                if sxy[s, 1] < p1:
                    break
                cur = sxy[s, 0]  # s is dominated in 2-D by the new point: remove it
                upper = sxy[s, 1]
                _bs_erase(bits, off, nlev, s)
                s = _bs_next(bits, off, nlev, s + 1)
            _bs_insert(bits, off, nlev, rho)
        zn = P[oz[t + 1], 2] if t + 1 < m else r[2]
        vol += area * (zn - P[i, 2])
    return vol


@njit(**NJIT)
def _hv3d(X, idx, r):  # pragma: no cover - jit
    m = idx.shape[0]
    P = np.empty((m, 3))
    for t in range(m):
        P[t] = X[idx[t]]
    return _hv3d_rows(P, r)


#: below this many points the 3-D base case keeps its staircase in a plain sorted array
SMALL_3D = 256


@njit(**NJIT)
def _hv3_small(P, k, r):  # pragma: no cover - jit
    """Hypervolume of the first ``k`` rows of ``P`` in the first 3 coordinates (rows strictly
    inside ``r``), for small ``k``: the staircase is a sorted array with shifting insertion."""
    if k == 0:
        return 0.0
    z = np.empty(k)
    for t in range(k):
        z[t] = P[t, 2]
    if k <= 32:
        oz = np.arange(k)
        for a in range(1, k):
            v = oz[a]
            b = a - 1
            while b >= 0 and z[oz[b]] > z[v]:
                oz[b + 1] = oz[b]
                b -= 1
            oz[b + 1] = v
    else:
        oz = np.argsort(z)
    sx = np.empty(k + 1)
    sy = np.empty(k + 1)
    cnt = 0
    area = 0.0
    vol = 0.0
    r0 = r[0]
    r1 = r[1]
    for t in range(k):
        i = oz[t]
        x = P[i, 0]
        y = P[i, 1]
        lo = 0
        hi = cnt
        while lo < hi:  # first position with sx >= x
            mid = (lo + hi) >> 1
            if sx[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        pos = lo
        dom = (pos > 0 and sy[pos - 1] <= y) or (pos < cnt and sx[pos] == x and sy[pos] <= y)
        if not dom:
            upper = sy[pos - 1] if pos > 0 else r1
            cur = x
            e = pos
            while True:
                if e >= cnt:
                    area += (r0 - cur) * (upper - y)
                    break
                area += (sx[e] - cur) * (upper - y)
                if sy[e] < y:
                    break
                cur = sx[e]
                upper = sy[e]
                e += 1
            # staircase entries pos..e-1 are replaced by the new point
            shift = 1 - (e - pos)
            if shift > 0:
                for q in range(cnt - 1, e - 1, -1):
                    sx[q + shift] = sx[q]
                    sy[q + shift] = sy[q]
            elif shift < 0:
                for q in range(e, cnt):
                    sx[q + shift] = sx[q]
                    sy[q + shift] = sy[q]
            cnt += shift
            sx[pos] = x
            sy[pos] = y
        zn = P[oz[t + 1], 2] if t + 1 < k else r[2]
        vol += area * (zn - P[i, 2])
    return vol


@njit(**NJIT)
def _nd_unique(Y):  # pragma: no cover - jit
    """Rows of ``Y`` that are non-dominated, one copy of each."""
    n = Y.shape[0]
    flags = np.empty(n, dtype=np.bool_)
    nondominated(Y, False, flags)
    m = 0
    for i in range(n):
        if flags[i]:
            m += 1
    out = np.empty((m, Y.shape[1]))
    m = 0
    for i in range(n):
        if flags[i]:
            out[m] = Y[i]
            m += 1
    return out


#: the online filter of a limited set gives up (and sorts instead) beyond this many points
ONLINE_FRONT_MAX = 64


@njit(**NJIT)
def _limited_front(p, S, rows, dims):  # pragma: no cover - jit
    """The non-dominated points (one copy each) of ``{max(p, S[j]) : j in rows}`` restricted to
    the first ``dims`` coordinates. An online filter keeps the front found so far (usually a
    handful of points); past ``ONLINE_FRONT_MAX`` it builds the whole set and filters by sorting."""
    nr = rows.shape[0]
    F = np.empty((ONLINE_FRONT_MAX, dims))
    nf = 0
    v = np.empty(dims)
    for t in range(nr):
        j = rows[t]
        for c in range(dims):
            a = p[c]
            b = S[j, c]
            v[c] = a if a > b else b
        if _first_coverer(F, nf, v, dims) >= 0:
            continue
        nf = _drop_covered(F, nf, v, dims)  # front points the new one dominates
        if nf == ONLINE_FRONT_MAX:  # too large for the online filter
            L = np.empty((nr, dims))
            for u in range(nr):
                jj = rows[u]
                for c in range(dims):
                    a = p[c]
                    b = S[jj, c]
                    L[u, c] = a if a > b else b
            return _nd_unique(L)
        F[nf] = v
        nf += 1
    return F[:nf].copy()


@njit(**NJIT)
def _sort_rows_by_col(P, k, dd, col):  # pragma: no cover - jit
    """Sort the first ``k`` rows of ``P`` (first ``dd`` columns) by column ``col``, in place."""
    if k <= 32:
        tmp = np.empty(dd)
        for a in range(1, k):
            key = P[a, col]
            if not P[a - 1, col] > key:
                continue
            for c in range(dd):
                tmp[c] = P[a, c]
            b = a - 1
            while b >= 0 and P[b, col] > key:
                for c in range(dd):
                    P[b + 1, c] = P[b, c]
                b -= 1
            for c in range(dd):
                P[b + 1, c] = tmp[c]
        return
    key = np.empty(k)
    for a in range(k):
        key[a] = P[a, col]
    o = argsort_float(key)
    Q = np.empty((k, dd))
    for a in range(k):
        for c in range(dd):
            Q[a, c] = P[o[a], c]
    for a in range(k):
        for c in range(dd):
            P[a, c] = Q[a, c]


@njit(**NJIT)
def _hv_base(P, k, r, dd):  # pragma: no cover - jit
    """Hypervolume of the first ``k`` rows of ``P`` in the first ``dd <= 3`` coordinates."""
    if k == 0:
        return 0.0
    if dd == 3:
        if k <= SMALL_3D:
            return _hv3_small(P, k, r)
        Q = np.empty((k, 3))
        for a in range(k):
            Q[a, 0] = P[a, 0]
            Q[a, 1] = P[a, 1]
            Q[a, 2] = P[a, 2]
        return _hv3d_rows(Q, r)
    if dd == 2:
        _sort_rows_by_col(P, k, 2, 0)
        ylim = r[1]
        area = 0.0
        for a in range(k):
            y = P[a, 1]
            if y < ylim:
                area += (r[0] - P[a, 0]) * (ylim - y)
                ylim = y
        return area
    best = r[0]
    for a in range(k):
        if P[a, 0] < best:
            best = P[a, 0]
    return r[0] - best


@njit(**NJIT)
def _limited_into(P, j, last, F, v):  # pragma: no cover - jit
    """The non-dominated points (one copy each) of ``{max(P[j], P[i]) : i < j}`` in the first
    ``last`` coordinates, into ``F``; returns their number, or -1 when some ``P[i]`` is ``<=
    P[j]`` there (then ``P[j]`` adds nothing). An online filter with move-to-front, nearest
    rows (in the sweep order) first: their images are the likeliest to cover the others."""
    kf = 0
    for i in range(j - 1, -1, -1):
        same = True
        for c in range(last):
            a = P[j, c]
            b = P[i, c]
            if b > a:
                v[c] = b
                same = False
            else:
                v[c] = a
        if same:
            return -1
        f = _first_coverer(F, kf, v, last)
        if f >= 0:
            if f > 0:  # move the coverer to the front: it is likely to cover again
                for c in range(last):
                    t = F[0, c]
                    F[0, c] = F[f, c]
                    F[f, c] = t
            continue
        w = _drop_covered(F, kf, v, last)  # the front points v covers
        for c in range(last):
            F[w, c] = v[c]
        kf = w + 1
    return kf


#: candidates screened per block in :func:`_limited_into_4`
SCREEN_BLOCK = 64


@njit(**NJIT)
def _limited_into_4(P, CT, j, F, need):  # pragma: no cover - jit
    """:func:`_limited_into` for ``last = 4`` (the 5-D sweep). Candidates go in blocks of
    :data:`SCREEN_BLOCK`: a branch-free (vectorisable) pass over the columns ``CT (4, m)``
    marks the images that none of the front's first four points covers (a snapshot: a point
    found earlier in the front is a valid coverer); only those go through the full filter."""
    p0 = P[j, 0]
    p1 = P[j, 1]
    p2 = P[j, 2]
    p3 = P[j, 3]
    c0 = CT[0]
    c1 = CT[1]
    c2 = CT[2]
    c3 = CT[3]
    G = np.empty((4, 4))
    kf = 0
    hi = j
    while hi > 0:
        lo = hi - SCREEN_BLOCK
        if lo < 0:
            lo = 0
        for g in range(4):
            for c in range(4):
                G[g, c] = F[g, c] if g < kf else np.inf
        g00, g01, g02, g03 = G[0, 0], G[0, 1], G[0, 2], G[0, 3]
        g10, g11, g12, g13 = G[1, 0], G[1, 1], G[1, 2], G[1, 3]
        g20, g21, g22, g23 = G[2, 0], G[2, 1], G[2, 2], G[2, 3]
        g30, g31, g32, g33 = G[3, 0], G[3, 1], G[3, 2], G[3, 3]
        for i in range(lo, hi):
            v0 = max(c0[i], p0)
            v1 = max(c1[i], p1)
            v2 = max(c2[i], p2)
            v3 = max(c3[i], p3)
            cov = (((g00 <= v0) & (g01 <= v1) & (g02 <= v2) & (g03 <= v3))
                   | ((g10 <= v0) & (g11 <= v1) & (g12 <= v2) & (g13 <= v3))
                   | ((g20 <= v0) & (g21 <= v1) & (g22 <= v2) & (g23 <= v3))
                   | ((g30 <= v0) & (g31 <= v1) & (g32 <= v2) & (g33 <= v3)))
            need[i - lo] = not cov
        for i in range(hi - 1, lo - 1, -1):
            if not need[i - lo]:
                continue
            q0 = c0[i]
            q1 = c1[i]
            q2 = c2[i]
            q3 = c3[i]
            if q0 <= p0 and q1 <= p1 and q2 <= p2 and q3 <= p3:
                return -1
            v0 = q0 if q0 > p0 else p0
            v1 = q1 if q1 > p1 else p1
            v2 = q2 if q2 > p2 else p2
            v3 = q3 if q3 > p3 else p3
            covered = False
            for f in range(kf):
                if F[f, 0] <= v0 and F[f, 1] <= v1 and F[f, 2] <= v2 and F[f, 3] <= v3:
                    covered = True
                    if f > 0:  # move the coverer one place forward
                        for c in range(4):
                            t = F[f - 1, c]
                            F[f - 1, c] = F[f, c]
                            F[f, c] = t
                    break
            if covered:
                continue
            w = 0
            for f in range(kf):  # drop the front points v covers
                if not (F[f, 0] >= v0 and F[f, 1] >= v1 and F[f, 2] >= v2 and F[f, 3] >= v3):
                    if w != f:
                        for c in range(4):
                            F[w, c] = F[f, c]
                    w += 1
            F[w, 0] = v0
            F[w, 1] = v1
            F[w, 2] = v2
            F[w, 3] = v3
            kf = w + 1
        hi = lo
    return kf


@njit(**NJIT)
def _hv_sweep(S, m, r, d, W, j0, step):  # pragma: no cover - jit
    """Hypervolume of the rows of ``S (m, d)``, ``d >= 4``, strictly inside ``r``, given in
    (last coordinate, lexicographic) order (dominated points and copies allowed).

    Sweep along the last coordinate in ascending order: the ``(d-1)``-volume of the points swept
    so far grows by each point's exclusive contribution, its box minus the hypervolume of the
    earlier points limited to its box (``max(p, q)``), of which only the non-dominated ones are
    kept (:func:`_limited_into`; that set is small). Its hypervolume is the same sweep one
    dimension down, down to the 3-D staircase. A point weakly dominated by an earlier one (every
    dominated point or later copy, in this order) is detected and adds nothing.

    Only the top-level points ``j0, j0 + step, ...`` are summed (:data:`SWEEP_PARTS` parts that
    threads may compute independently). Written with an explicit stack (level ``l`` works in
    ``d - l`` dimensions on ``S`` for ``l = 0``, on the limited set ``W[l - 1]`` otherwise):
    Numba's cache does not reload recursive functions safely."""
    depth = d - 3  # levels 0 .. depth - 1 sweep; their limited sets go to the base case or down
    K = np.zeros(depth, dtype=np.int64)
    J = np.zeros(depth, dtype=np.int64)
    TOT = np.zeros(depth)
    BOX = np.zeros(depth)
    H = np.zeros(depth)
    v = np.empty(d)
    CT = np.empty((4, m if d == 5 else 0))  # the 5-D top level's first four columns, contiguous
    if d == 5:
        for i in range(m):
            for c in range(4):
                CT[c, i] = S[i, c]
    need = np.empty(SCREEN_BLOCK, dtype=np.bool_)
    lvl = 0
    K[0] = m
    J[0] = j0
    sub = 0.0
    returning = False
    while True:
        dd = d - lvl
        last = dd - 1
        P = S if lvl == 0 else W[lvl - 1]
        F = W[lvl]
        inc = step if lvl == 0 else 1
        if returning:
            TOT[lvl] += (BOX[lvl] - sub) * H[lvl]
            J[lvl] += inc
            returning = False
        descended = False
        while J[lvl] < K[lvl]:
            j = J[lvl]
            if last == 4 and lvl == 0:
                kf = _limited_into_4(P, CT, j, F, need)
            else:
                kf = _limited_into(P, j, last, F, v)
            if kf < 0:
                J[lvl] += inc
                continue
            box = 1.0
            for c in range(last):
                box *= r[c] - P[j, c]
            h = r[last] - P[j, last]
            if kf == 0 or last <= 3:
                TOT[lvl] += (box - _hv_base(F, kf, r, last)) * h
                J[lvl] += inc
                continue
            BOX[lvl] = box
            H[lvl] = h
            lvl += 1
            K[lvl] = kf
            J[lvl] = 0
            TOT[lvl] = 0.0
            _sort_rows_by_col(F, kf, last, last - 1)
            descended = True
            break
        if descended:
            continue
        if lvl == 0:
            return TOT[0]
        sub = TOT[lvl]
        lvl -= 1
        returning = True


#: the top level of the d >= 4 sweep is summed in this many interleaved parts (fixed, so that the
#: serial and the threaded kernels give bit-identical sums)
SWEEP_PARTS = 16


def _sweep_total(S, m, r, d):  # pragma: no cover - jit
    """The top-level sweep in ``SWEEP_PARTS`` parts summed in a fixed order: the serial and the
    threaded variants give the same sum, bit for bit."""
    part = np.zeros(SWEEP_PARTS)
    for c in prange(SWEEP_PARTS):
        W = np.empty((d - 3, m, d))
        part[c] = _hv_sweep(S, m, r, d, W, c, SWEEP_PARTS)
    total = 0.0
    for c in range(SWEEP_PARTS):
        total += part[c]
    return total


_sweep_total_serial = jit_variant(_sweep_total, "_serial", **NJIT)
_sweep_total_parallel = jit_variant(_sweep_total, "_parallel", **NJIT_PARALLEL)



@njit(**NJIT)
def _sweep_order(P):  # pragma: no cover - jit
    """The rows of ``P`` in (last coordinate, lexicographic) order: every dominated point or
    later copy comes after a point weakly dominating it, which the sweep detects."""
    m, d = P.shape
    o = _sort_by_key_then_lex(P, np.arange(m), P[:, d - 1].copy())
    S = np.empty((m, d))
    for t in range(m):
        S[t] = P[o[t]]
    return S


@njit(**NJIT)
def _hv_nd(P, r):  # pragma: no cover - jit
    """Hypervolume of ``P`` (every row strictly inside ``r``; any rows), any ``d``."""
    m, d = P.shape
    if m == 0:
        return 0.0
    if d <= 3:
        idx = np.arange(m)
        if d == 1:
            return _hv1d(P, idx, r)
        if d == 2:
            return _hv2d(P, idx, r)
        return _hv3d(P, idx, r)
    return _sweep_total_serial(_sweep_order(P), m, r, d)


@njit(**NJIT)
def _inside_candidates(X, r):  # pragma: no cover - jit
    """Indices of the rows strictly inside ``r`` (rows holding a NaN are not: every comparison
    with NaN is false), most dominated ones dropped by the pivot filter (exact)."""
    idx = _strictly_inside(X, r)
    if idx.shape[0] > 64 and X.shape[1] >= 2:
        keep = _pivot_filter(_gather(X, idx))
        if keep.shape[0] < idx.shape[0]:
            idx2 = np.empty(keep.shape[0], dtype=np.int64)
            for t in range(keep.shape[0]):
                idx2[t] = idx[keep[t]]
            idx = idx2
    return idx


@njit(**NJIT)
def hv(X, r):  # pragma: no cover - jit
    """Hypervolume of the rows of ``X (n, d)`` with respect to ``r (d,)`` (minimisation).
    Rows holding a NaN are dropped with the rows not strictly inside ``r``."""
    d = X.shape[1]
    idx = _inside_candidates(X, r)
    if idx.shape[0] == 0:
        return 0.0
    if d == 1:
        return _hv1d(X, idx, r)
    if d == 2:
        return _hv2d(X, idx, r)
    if d == 3:
        return _hv3d(X, idx, r)
    return _hv_nd(_gather(X, idx), r)


@njit(**NJIT)
def hv_threaded(X, r):  # pragma: no cover - jit
    """:func:`hv` for ``d >= 4`` with the parts of the top-level sweep on threads; the same sum,
    bit for bit (for one large item; batches run items in parallel instead)."""
    d = X.shape[1]
    idx = _inside_candidates(X, r)
    m = idx.shape[0]
    if m == 0:
        return 0.0
    return _sweep_total_parallel(_sweep_order(_gather(X, idx)), m, r, d)


@njit(**NJIT_PARALLEL)
def hv_batch(X, R, out):  # pragma: no cover - jit
    """:func:`hv` for every item of ``X (B, n, d)`` with references ``R (B, d)``."""
    for b in prange(X.shape[0]):
        out[b] = hv(X[b], R[b])


@njit(**NJIT)
def hv_contributions(X, r, ignore_dominated, out):  # pragma: no cover - jit
    """Exclusive contribution ``HV(X) - HV(X without x_i)`` of every row into ``out (n,)``.

    ``ignore_dominated=True`` (moocore's default): dominated points get 0 and are left out of the
    other points' contributions. ``False``: the definition with every point present (a point
    dominated by only one other point reduces that point's contribution). Copies of a point all
    get 0 (removing one copy leaves the hypervolume unchanged).
    """
    n, d = X.shape
    for i in range(n):
        out[i] = 0.0
    idx = _strictly_inside(X, r)
    m = idx.shape[0]
    if m == 0:
        return
    P = np.empty((m, d))
    for t in range(m):
        P[t] = X[idx[t]]
    weak = np.empty(m, dtype=np.bool_)
    nondominated(P, True, weak)
    first = np.empty(m, dtype=np.bool_)
    nondominated(P, False, first)
    # u: positions (in P) of the non-dominated points present once
    order = _sort_by_key_then_lex(P, np.arange(m), P[:, 0].copy())
    single = np.zeros(m, dtype=np.bool_)
    for t in range(m):
        i = order[t]
        if not weak[i]:
            continue
        same_prev = t > 0
        if same_prev:
            j = order[t - 1]
            for c in range(d):
                if P[i, c] != P[j, c]:
                    same_prev = False
                    break
        same_next = t + 1 < m
        if same_next:
            j = order[t + 1]
            for c in range(d):
                if P[i, c] != P[j, c]:
                    same_next = False
                    break
        single[i] = not (same_prev or same_next)
    U, upos = _gather_valid(P, first)  # one copy of every non-dominated point
    k = U.shape[0]
    if ignore_dominated:
        if d == 2:
            o = argsort_float(U[:, 0].copy())
            for a in range(k):
                i = o[a]
                if not single[upos[i]]:
                    continue
                xr = U[o[a + 1], 0] if a + 1 < k else r[0]
                yu = U[o[a - 1], 1] if a > 0 else r[1]
                out[idx[upos[i]]] = (xr - U[i, 0]) * (yu - U[i, 1])
        else:
            rows = np.empty(max(k - 1, 1), dtype=np.int64)
            for a in range(k):
                if not single[upos[a]]:
                    continue
                box = 1.0
                for c in range(d):
                    box *= r[c] - U[a, c]
                j = 0
                for b in range(k):
                    if b != a:
                        rows[j] = b
                        j += 1
                sub = 0.0
                if j > 0:
                    sub = _hv_nd(_limited_front(U[a], U, rows[:j], d), r)
                out[idx[upos[a]]] = box - sub
    else:
        full = hv(P, r)
        Q = np.empty((max(m - 1, 1), d))
        for a in range(k):
            skip = upos[a]
            if not single[skip]:
                continue
            j = 0
            for s in range(m):
                if s != skip:
                    Q[j] = P[s]
                    j += 1
            out[idx[skip]] = full - (hv(Q[:j], r) if j > 0 else 0.0)


@njit(**NJIT_PARALLEL)
def hv_contributions_batch(X, R, ignore_dominated, out):  # pragma: no cover - jit
    """:func:`hv_contributions` for every item of ``X (B, n, d)``."""
    for b in prange(X.shape[0]):
        hv_contributions(X[b], R[b], ignore_dominated, out[b])
