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
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL
from .dominance import _pivot_filter, _sort_by_key_then_lex, argsort_float, nondominated

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


@njit(**NJIT)
def _fw_add(tree, i, v):  # pragma: no cover - jit
    n = tree.shape[0] - 1
    while i <= n:
        tree[i] += v
        i += i & (-i)


@njit(**NJIT)
def _fw_prefix(tree, i):  # pragma: no cover - jit
    s = 0
    while i > 0:
        s += tree[i]
        i -= i & (-i)
    return s


@njit(**NJIT)
def _fw_kth(tree, k, top):  # pragma: no cover - jit
    """Smallest position ``p`` with ``prefix(p) >= k`` (``top``: highest power of two <= n)."""
    n = tree.shape[0] - 1
    pos = 0
    step = top
    while step > 0:
        nxt = pos + step
        if nxt <= n and tree[nxt] < k:
            pos = nxt
            k -= tree[nxt]
        step >>= 1
    return pos + 1


@njit(**NJIT)
def _hv3d(X, idx, r):  # pragma: no cover - jit
    m = idx.shape[0]
    if m == 0:
        return 0.0
    P = np.empty((m, 3))
    for t in range(m):
        P[t] = X[idx[t]]
    # staircase slots: the points' lexicographic ranks (1-based)
    lex = _sort_by_key_then_lex(P, np.arange(m), P[:, 0].copy())
    rank = np.empty(m, dtype=np.int64)
    sx = np.empty(m + 1)
    sy = np.empty(m + 1)
    for s in range(m):
        i = lex[s]
        rank[i] = s + 1
        sx[s + 1] = P[i, 0]
        sy[s + 1] = P[i, 1]
    oz = argsort_float(P[:, 2].copy())
    tree = np.zeros(m + 1, dtype=np.int64)
    top = 1
    while top * 2 <= m:
        top *= 2
    total = 0
    area = 0.0
    vol = 0.0
    r0 = r[0]
    r1 = r[1]
    for t in range(m):
        i = oz[t]
        rho = rank[i]
        p0 = sx[rho]
        p1 = sy[rho]
        c = _fw_prefix(tree, rho - 1)  # staircase points before rho
        dominated = False
        upper = r1
        if c > 0:
            pred = _fw_kth(tree, c, top)
            if sy[pred] <= p1:
                dominated = True
            else:
                upper = sy[pred]
        if not dominated:
            cur = p0
            while True:
                if c >= total:  # no successor: the strip runs to r0
                    area += (r0 - cur) * (upper - p1)
                    break
                s = _fw_kth(tree, c + 1, top)
                area += (sx[s] - cur) * (upper - p1)
                if sy[s] < p1:
                    break
                cur = sx[s]  # s is dominated in 2-D by the new point: remove it
                upper = sy[s]
                _fw_add(tree, s, -1)
                total -= 1
            _fw_add(tree, rho, 1)
            total += 1
        zn = P[oz[t + 1], 2] if t + 1 < m else r[2]
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
        covered = False
        for f in range(nf):
            le = True
            for c in range(dims):
                if F[f, c] > v[c]:
                    le = False
                    break
            if le:
                covered = True
                break
        if covered:
            continue
        # drop front points the new one dominates
        w = 0
        for f in range(nf):
            ge = True
            for c in range(dims):
                if F[f, c] < v[c]:
                    ge = False
                    break
            if not ge:
                if w != f:
                    F[w] = F[f]
                w += 1
        nf = w
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
    if m == 1:
        v = 1.0
        for k in range(d):
            v *= r[k] - P[0, k]
        return v
    last = d - 1
    key = np.empty(m)
    for i in range(m):
        key[i] = -P[i, last]
    o = argsort_float(key)  # worst last objective first
    S = np.empty((m, d))
    for t in range(m):
        S[t] = P[o[t]]
    rr = r[:last].copy()
    total = 0.0
    for i in range(m):
        box = 1.0
        for k in range(last):
            box *= rr[k] - S[i, k]
        sub = 0.0
        if i + 1 < m:
            Q = _limited_front(S[i], S, np.arange(i + 1, m), last)
            sub = _hv_nd(Q, rr)
        total += (r[last] - S[i, last]) * (box - sub)
    return total


@njit(**NJIT)
def hv(X, r):  # pragma: no cover - jit
    """Hypervolume of the rows of ``X (n, d)`` with respect to ``r (d,)`` (minimisation)."""
    n, d = X.shape
    idx = _strictly_inside(X, r)
    if idx.shape[0] == 0:
        return 0.0
    if idx.shape[0] > 64 and d >= 2:  # drop most dominated points in one pass (exact)
        keep = _pivot_filter(_gather(X, idx))
        idx2 = np.empty(keep.shape[0], dtype=np.int64)
        for t in range(keep.shape[0]):
            idx2[t] = idx[keep[t]]
        idx = idx2
    if d == 1:
        return _hv1d(X, idx, r)
    if d == 2:
        return _hv2d(X, idx, r)
    if d == 3:
        return _hv3d(X, idx, r)
    P = np.empty((idx.shape[0], d))
    for t in range(idx.shape[0]):
        P[t] = X[idx[t]]
    return _hv_nd(_nd_unique(P), r)


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
    k = 0
    for i in range(m):
        if first[i]:
            k += 1
    U = np.empty((k, d))  # one copy of every non-dominated point
    upos = np.empty(k, dtype=np.int64)
    k = 0
    for i in range(m):
        if first[i]:
            U[k] = P[i]
            upos[k] = i
            k += 1
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
