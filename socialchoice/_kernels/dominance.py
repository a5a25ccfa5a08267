"""Pareto dominance kernels (docs/tradeoff-jury.md §A2).

Pure array functions on float64 C-contiguous points stored as rows, **minimisation** orientation
(the public layer negates maximised columns), no validation. Dominance is decided by exact
comparisons: ``a`` dominates ``b`` when ``a_k <= b_k`` for all ``k`` and ``a != b``.

Algorithms (``n`` points, ``d`` objectives):

* a pivot pre-filter: a few points minimising positive weighted sums (hence non-dominated) are
  compared with every point in one ``O(n d)`` pass; points they dominate are dropped. Exact, and
  on random data it leaves a small fraction of the points;
* ``d = 2``: lexicographic sort and a sweep keeping the smallest second objective, ``O(n log n)``;
* ``d = 3``: Kung's sweep in lexicographic order with a Fenwick tree of prefix minima of the third
  objective over the ranks of the second, ``O(n log n)`` even when every point is on the front;
* ``d >= 4`` (and ``d = 1``): points in order of their sum (lexicographic among equal sums, a
  topological order of dominance), each compared only with the non-dominated points found so
  far, with early exit.

Duplicates follow moocore: with ``keep_weakly=False`` only the first copy (lowest index) of a
non-dominated point is flagged; with ``keep_weakly=True`` every copy is.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL

__all__ = [
    "argsort_lex",
    "nondominated",
    "nondominated_batch",
    "nondominated_masked_batch",
    "pareto_rank",
    "pareto_rank_batch",
    "pareto_rank_masked_batch",
    "dominance_matrix_batch",
    "epsilon_batch",
]


@njit(**NJIT)
def _lex_less(X, i, j):  # pragma: no cover - jit
    """Row ``i`` before row ``j`` lexicographically; the lower index first among equal rows."""
    for k in range(X.shape[1]):
        a = X[i, k]
        b = X[j, k]
        if a < b:
            return True
        if a > b:
            return False
    return i < j


@njit(**NJIT)
def _merge_sort_lex(order, lo, hi, X, buf):  # pragma: no cover - jit
    """Stable bottom-up merge sort of ``order[lo:hi]`` by :func:`_lex_less`."""
    n = hi - lo
    width = 1
    # insertion sort on runs of 16 first
    run = 16
    for s in range(lo, hi, run):
        e = min(s + run, hi)
        for i in range(s + 1, e):
            v = order[i]
            j = i - 1
            while j >= s and _lex_less(X, v, order[j]):
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = v
    width = run
    while width < n:
        for s in range(lo, hi, 2 * width):
            m = min(s + width, hi)
            e = min(s + 2 * width, hi)
            if m >= e:
                continue
            if not _lex_less(X, order[m], order[m - 1]):
                continue  # already in order
            for t in range(s, m):
                buf[t] = order[t]
            i = s
            j = m
            t = s
            while i < m and j < e:
                if _lex_less(X, order[j], buf[i]):
                    order[t] = order[j]
                    j += 1
                else:
                    order[t] = buf[i]
                    i += 1
                t += 1
            while i < m:
                order[t] = buf[i]
                i += 1
                t += 1
        width *= 2


#: below this many keys a comparison sort beats the radix sort's histogram passes
RADIX_MIN = 2048


@njit(**NJIT)
def argsort_float(key):  # pragma: no cover - jit
    """Stable argsort of finite float64 ``key`` (``-0.0 == 0.0``).

    Large inputs: LSD radix sort on the order-preserving unsigned image of the keys, 16 bits
    per pass, skipping the passes whose digit is constant (4 passes at most).
    """
    m = key.shape[0]
    if m < RADIX_MIN:
        return np.argsort(key, kind="mergesort")
    u = np.empty(m, dtype=np.uint64)
    sign = np.uint64(1) << np.uint64(63)
    for t in range(m):
        b = np.float64(key[t] + 0.0).view(np.uint64)  # + 0.0 maps -0.0 to 0.0
        u[t] = (~b) if (b & sign) else (b | sign)
    hist = np.zeros((4, 65536), dtype=np.int64)
    mask = np.uint64(65535)
    for t in range(m):
        v = u[t]
        for p in range(4):
            hist[p, np.int64((v >> np.uint64(16 * p)) & mask)] += 1
    idx = np.arange(m)
    u2 = np.empty(m, dtype=np.uint64)
    idx2 = np.empty(m, dtype=np.int64)
    for p in range(4):
        h = hist[p]
        constant = False
        for c in range(65536):
            if h[c] == m:
                constant = True
                break
            if h[c] != 0:
                break
        if not constant:
            for c in range(65536):
                if h[c] == m:
                    constant = True
                    break
        if constant:
            continue
        pos = np.empty(65536, dtype=np.int64)
        acc = 0
        for c in range(65536):
            pos[c] = acc
            acc += h[c]
        sh = np.uint64(16 * p)
        for t in range(m):
            v = u[t]
            c = np.int64((v >> sh) & mask)
            j = pos[c]
            pos[c] = j + 1
            u2[j] = v
            idx2[j] = idx[t]
        u, u2 = u2, u
        idx, idx2 = idx2, idx
    return idx


@njit(**NJIT)
def _sort_by_key_then_lex(X, idx, key):  # pragma: no cover - jit
    """The indices ``idx`` ordered by ``key`` (one value per entry of ``idx``), runs of equal
    keys ordered lexicographically by the rows of ``X`` (then by index)."""
    m = idx.shape[0]
    o = argsort_float(key)
    order = np.empty(m, dtype=np.int64)
    for t in range(m):
        order[t] = idx[o[t]]
    buf = np.empty(m, dtype=np.int64)
    i = 0
    while i < m:
        kv = key[o[i]]
        j = i + 1
        while j < m and key[o[j]] == kv:
            j += 1
        if j - i > 1:
            _merge_sort_lex(order, i, j, X, buf)
        i = j
    return order


@njit(**NJIT)
def argsort_lex(X):  # pragma: no cover - jit
    """Indices sorting the rows of ``X`` lexicographically (ties: lower index first)."""
    n = X.shape[0]
    idx = np.arange(n)
    return _sort_by_key_then_lex(X, idx, X[:, 0].copy())


@njit(**NJIT)
def _rows_equal(X, i, j):  # pragma: no cover - jit
    for k in range(X.shape[1]):
        if X[i, k] != X[j, k]:
            return False
    return True


@njit(**NJIT)
def _strictly_dominates(X, i, j):  # pragma: no cover - jit
    """Row ``i`` dominates row ``j``: ``<=`` everywhere and ``<`` somewhere."""
    strict = False
    for k in range(X.shape[1]):
        a = X[i, k]
        b = X[j, k]
        if a > b:
            return False
        if a < b:
            strict = True
    return strict


@njit(**NJIT)
def _pivot_filter(X):  # pragma: no cover - jit
    """Indices of the points not dominated by any of ``d + 1`` pivots (the minimisers of the sum
    and of ``sum + x_k``, each non-dominated). Exact: a dropped point is dominated."""
    n, d = X.shape
    npiv = d + 1
    best = np.full(npiv, np.inf)
    piv = np.zeros(npiv, dtype=np.int64)
    for i in range(n):
        s = 0.0
        for k in range(d):
            s += X[i, k]
        if s < best[0]:
            best[0] = s
            piv[0] = i
        for k in range(d):
            v = s + X[i, k]
            if v < best[k + 1]:
                best[k + 1] = v
                piv[k + 1] = i
    # distinct pivots
    up = np.empty(npiv, dtype=np.int64)
    nu = 0
    for a in range(npiv):
        dup = False
        for b in range(nu):
            if up[b] == piv[a]:
                dup = True
                break
        if not dup:
            up[nu] = piv[a]
            nu += 1
    keep = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        dominated = False
        for a in range(nu):
            p = up[a]
            if _strictly_dominates(X, p, i):
                dominated = True
                break
        if not dominated:
            keep[m] = i
            m += 1
    return keep[:m]


@njit(**NJIT)
def _nd_2d(X, order, keep_weakly, out):  # pragma: no cover - jit
    """``order``: candidate indices in lexicographic order. Sweep with the running minimum of
    the second objective."""
    best = np.inf
    prev = -1
    for t in range(order.shape[0]):
        i = order[t]
        if prev >= 0 and X[i, 0] == X[prev, 0] and X[i, 1] == X[prev, 1]:
            out[i] = out[prev] if keep_weakly else False
        else:
            y = X[i, 1]
            if best <= y:
                out[i] = False
            else:
                out[i] = True
                best = y
        prev = i


@njit(**NJIT)
def _nd_3d(X, order, keep_weakly, out):  # pragma: no cover - jit
    """Kung's sweep: ``order`` lexicographic; a Fenwick tree over the ranks of the second
    objective holds prefix minima of the third among the points seen."""
    m = order.shape[0]
    y = np.empty(m)
    for t in range(m):
        y[t] = X[order[t], 1]
    oy = argsort_float(y)
    rank = np.empty(m, dtype=np.int64)  # 1-based compressed rank of y, per position in order
    r = 0
    last = np.nan
    for s in range(m):
        v = y[oy[s]]
        if s == 0 or v != last:
            r += 1
            last = v
        rank[oy[s]] = r
    tree = np.full(r + 1, np.inf)
    prev = -1
    for t in range(m):
        i = order[t]
        if prev >= 0 and _rows_equal(X, i, prev):
            out[i] = out[prev] if keep_weakly else False
            prev = i
            continue
        z = X[i, 2]
        q = np.inf
        j = rank[t]
        while j > 0:
            if tree[j] < q:
                q = tree[j]
            j -= j & (-j)
        if q <= z:
            out[i] = False
        else:
            out[i] = True
            j = rank[t]
            while j <= r:
                if z < tree[j]:
                    tree[j] = z
                j += j & (-j)
        prev = i


@njit(**NJIT)
def _nd_front_scan(X, idx, keep_weakly, out):  # pragma: no cover - jit
    """General ``d``: candidates ``idx`` in (sum, lexicographic) order, each compared with the
    non-dominated points found so far (early exit per comparison)."""
    m = idx.shape[0]
    d = X.shape[1]
    key = np.empty(m)
    for t in range(m):
        s = 0.0
        for k in range(d):
            s += X[idx[t], k]
        key[t] = s
    order = _sort_by_key_then_lex(X, idx, key)
    front = np.empty(m, dtype=np.int64)
    nf = 0
    for t in range(m):
        i = order[t]
        status = True
        found = False
        for f in range(nf):
            p = front[f]
            weak = True
            strict = False
            for k in range(d):
                a = X[p, k]
                b = X[i, k]
                if a > b:
                    weak = False
                    break
                if a < b:
                    strict = True
            if weak:
                found = True
                status = keep_weakly and not strict  # a copy of a front point, or dominated
                if f > 0:  # move the dominating point forward: it is likely to dominate again
                    front[f] = front[f - 1]
                    front[f - 1] = p
                break
        if not found:
            front[nf] = i
            nf += 1
        out[i] = status


@njit(**NJIT)
def nondominated(X, keep_weakly, out):  # pragma: no cover - jit
    """Flags of the non-dominated rows of ``X (n, d)`` into ``out (n,)`` (see module doc)."""
    n, d = X.shape
    for i in range(n):
        out[i] = False
    if n == 0:
        return
    cand = _pivot_filter(X) if n > 64 else np.arange(n)
    if d == 2 or d == 3:  # sweep in the order of the first objective (ties lexicographic)
        key = np.empty(cand.shape[0])
        for t in range(cand.shape[0]):
            key[t] = X[cand[t], 0]
        order = _sort_by_key_then_lex(X, cand, key)
        if d == 2:
            _nd_2d(X, order, keep_weakly, out)
        else:
            _nd_3d(X, order, keep_weakly, out)
    else:
        _nd_front_scan(X, cand, keep_weakly, out)


@njit(**NJIT_PARALLEL)
def nondominated_batch(X, keep_weakly, out):  # pragma: no cover - jit
    """:func:`nondominated` for every item of ``X (B, n, d)`` into ``out (B, n)``."""
    for b in prange(X.shape[0]):
        nondominated(X[b], keep_weakly, out[b])


@njit(**NJIT)
def _gather_valid(X, valid):  # pragma: no cover - jit
    """The rows of ``X`` with ``valid`` set (in order) and their indices."""
    n, d = X.shape
    m = 0
    for i in range(n):
        if valid[i]:
            m += 1
    P = np.empty((m, d))
    idx = np.empty(m, dtype=np.int64)
    m = 0
    for i in range(n):
        if valid[i]:
            P[m] = X[i]
            idx[m] = i
            m += 1
    return P, idx


@njit(**NJIT)
def nondominated_masked(X, valid, keep_weakly, out):  # pragma: no cover - jit
    """:func:`nondominated` on the rows with ``valid`` set; the other rows get False."""
    P, idx = _gather_valid(X, valid)
    for i in range(X.shape[0]):
        out[i] = False
    tmp = np.empty(P.shape[0], dtype=np.bool_)
    nondominated(P, keep_weakly, tmp)
    for t in range(P.shape[0]):
        out[idx[t]] = tmp[t]


@njit(**NJIT_PARALLEL)
def nondominated_masked_batch(X, valid, keep_weakly, out):  # pragma: no cover - jit
    """:func:`nondominated_masked` for every item of ``X (B, n, d)``, ``valid (B, n)``."""
    for b in prange(X.shape[0]):
        nondominated_masked(X[b], valid[b], keep_weakly, out[b])


@njit(**NJIT)
def _rank_2d(X, out):  # pragma: no cover - jit
    """Non-dominated sorting in 2-D: lexicographic sweep; ``tail[k]`` is the smallest second
    objective in front ``k`` so far (non-decreasing in ``k``), so each point's front is found by
    binary search."""
    n = X.shape[0]
    order = argsort_lex(X)
    tail = np.empty(n)
    nfr = 0
    prev = -1
    for t in range(n):
        i = order[t]
        if prev >= 0 and X[i, 0] == X[prev, 0] and X[i, 1] == X[prev, 1]:
            out[i] = out[prev]
            prev = i
            continue
        y = X[i, 1]
        lo = 0
        hi = nfr
        while lo < hi:  # first k with tail[k] > y
            mid = (lo + hi) // 2
            if tail[mid] > y:
                hi = mid
            else:
                lo = mid + 1
        out[i] = lo
        if lo == nfr:
            tail[nfr] = y
            nfr += 1
        else:
            tail[lo] = y
        prev = i


@njit(**NJIT)
def _front_dominates(X, head, nxt, k, i):  # pragma: no cover - jit
    p = head[k]
    while p >= 0:
        if _strictly_dominates(X, p, i):
            return True
        p = nxt[p]
    return False


@njit(**NJIT)
def _rank_general(X, out):  # pragma: no cover - jit
    """Non-dominated sorting for any ``d``: points in a topological order (sum, then
    lexicographic); a point's front is the first front holding none of its dominators, found by
    binary search over the fronts (being dominated by front ``k`` is monotone in ``k``)."""
    n, d = X.shape
    key = np.empty(n)
    for i in range(n):
        s = 0.0
        for k in range(d):
            s += X[i, k]
        key[i] = s
    order = _sort_by_key_then_lex(X, np.arange(n), key)
    head = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    nfr = 0
    for t in range(n):
        i = order[t]
        lo = 0
        hi = nfr
        while lo < hi:
            mid = (lo + hi) // 2
            if _front_dominates(X, head, nxt, mid, i):
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo
        nxt[i] = head[lo]
        head[lo] = i
        if lo == nfr:
            nfr += 1


@njit(**NJIT)
def pareto_rank(X, out):  # pragma: no cover - jit
    """Front index (0 = non-dominated) of every row of ``X (n, d)`` into ``out (n,)``."""
    if X.shape[0] == 0:
        return
    if X.shape[1] == 2:
        _rank_2d(X, out)
    else:
        _rank_general(X, out)


@njit(**NJIT_PARALLEL)
def pareto_rank_batch(X, out):  # pragma: no cover - jit
    """:func:`pareto_rank` for every item of ``X (B, n, d)``."""
    for b in prange(X.shape[0]):
        pareto_rank(X[b], out[b])


@njit(**NJIT)
def pareto_rank_masked(X, valid, out):  # pragma: no cover - jit
    """:func:`pareto_rank` on the rows with ``valid`` set; the other rows get -1."""
    P, idx = _gather_valid(X, valid)
    for i in range(X.shape[0]):
        out[i] = -1
    tmp = np.empty(P.shape[0], dtype=np.int64)
    pareto_rank(P, tmp)
    for t in range(P.shape[0]):
        out[idx[t]] = tmp[t]


@njit(**NJIT_PARALLEL)
def pareto_rank_masked_batch(X, valid, out):  # pragma: no cover - jit
    """:func:`pareto_rank_masked` for every item of ``X (B, n, d)``, ``valid (B, n)``."""
    for b in prange(X.shape[0]):
        pareto_rank_masked(X[b], valid[b], out[b])


@njit(**NJIT_PARALLEL)
def dominance_matrix_batch(X, out):  # pragma: no cover - jit
    """``out[b, i, j]``: row ``i`` of item ``b`` dominates row ``j``."""
    B, n, _ = X.shape
    for b in prange(B):
        Xb = X[b]
        for i in range(n):
            for j in range(n):
                out[b, i, j] = _strictly_dominates(Xb, i, j)


@njit(**NJIT_PARALLEL)
def epsilon_batch(A, Bs, maximise, mult, out):  # pragma: no cover - jit
    """``out[b] = max_{q in B_b} min_{p in A_b} max_k e_k(p, q)``: additive (``mult=False``,
    minimisation orientation) ``e_k = p_k - q_k``; multiplicative ``e_k = p_k / q_k`` for a
    minimised objective and ``q_k / p_k`` for a maximised one (positive values, in the
    caller's orientation)."""
    nb = A.shape[0]
    na = A.shape[1]
    nq = Bs.shape[1]
    d = A.shape[2]
    for b in prange(nb):
        worst = -np.inf
        for j in range(nq):
            best = np.inf
            for i in range(na):
                e = -np.inf
                for k in range(d):
                    if not mult:
                        v = A[b, i, k] - Bs[b, j, k]
                    elif maximise[k]:
                        v = Bs[b, j, k] / A[b, i, k]
                    else:
                        v = A[b, i, k] / Bs[b, j, k]
                    if v > e:
                        e = v
                        if e >= best:
                            break
                if e < best:
                    best = e
            if best > worst:
                worst = best
        out[b] = worst
