"""Kernels of the axiom engine: anonymous profiles as multisets of ballot types.

A profile with ``n`` voters over ``B`` ballot types is a non-decreasing index sequence
``t_0 <= ... <= t_{n-1}``; all of them, in lexicographic order, are numbered ``0..C(B+n-1, n)-1``
(:func:`multiset_rank`). Transformations of a profile (lifts, removed ballots, splits, replaced
ballots) are new index sequences whose outcomes are looked up by rank in the table of all
profiles of that size, so a relational axiom costs one rule call per profile size.

Pure array functions: no validation here (``socialchoice.axioms`` validates).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import NJIT

__all__ = [
    "count_table", "enumerate_multisets", "multiset_rank", "canonical_mask", "expand_table",
    "monotonicity_scan", "removal_scan", "replacement_scan", "split_scan",
]


def count_table(n_types: int, n: int) -> np.ndarray:
    """``N[b, k]`` = number of multisets of size ``k`` over ``b`` types, as int64."""
    N = np.zeros((n_types + 1, n + 1), dtype=np.int64)
    N[:, 0] = 1
    for b in range(1, n_types + 1):
        for k in range(1, n + 1):
            N[b, k] = N[b - 1, k] + N[b, k - 1]
    return N


@njit(**NJIT)
def enumerate_multisets(n_types, n, start, out):  # pragma: no cover - numba
    """Fill ``out`` (K, n) with the multisets number ``start..start+K-1`` in lexicographic order.

    The first is found by unranking, the rest by successor steps.
    """
    K = out.shape[0]
    if K == 0:
        return
    # unrank ``start``
    N = np.zeros((n_types + 1, n + 1), dtype=np.int64)
    for b in range(n_types + 1):
        N[b, 0] = 1
    for b in range(1, n_types + 1):
        for k in range(1, n + 1):
            N[b, k] = N[b - 1, k] + N[b, k - 1]
    r = start
    v = 0
    cur = np.empty(n, dtype=np.int64)
    for i in range(n):
        while True:
            c = N[n_types - v, n - i - 1]
            if r < c:
                break
            r -= c
            v += 1
        cur[i] = v
    for row in range(K):
        for i in range(n):
            out[row, i] = cur[i]
        # successor: rightmost position that can grow
        j = n - 1
        while j >= 0 and cur[j] == n_types - 1:
            j -= 1
        if j < 0:
            break
        val = cur[j] + 1
        for i in range(j, n):
            cur[i] = val


@njit(**NJIT)
def multiset_rank(seq, n_types, N):  # pragma: no cover - numba
    """Lexicographic rank of the sorted index sequence ``seq`` among all multisets of its size."""
    n = seq.shape[0]
    r = 0
    prev = 0
    for i in range(n):
        for v in range(prev, seq[i]):
            r += N[n_types - v, n - i - 1]
        prev = seq[i]
    return r


@njit(**NJIT)
def _sort_small(a):  # pragma: no cover - numba
    for i in range(1, a.shape[0]):
        x = a[i]
        j = i - 1
        while j >= 0 and a[j] > x:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = x


@njit(**NJIT)
def canonical_mask(idx, perm_maps, out):  # pragma: no cover - numba
    """``out[k]`` = True iff row ``k`` of ``idx`` is the lexicographically smallest of its orbit
    under the type relabellings ``perm_maps`` (P, B)."""
    K, n = idx.shape
    P = perm_maps.shape[0]
    buf = np.empty(n, dtype=np.int64)
    for k in range(K):
        ok = True
        for p in range(1, P):
            for i in range(n):
                buf[i] = perm_maps[p, idx[k, i]]
            _sort_small(buf)
            for i in range(n):
                if buf[i] < idx[k, i]:
                    ok = False
                    break
                if buf[i] > idx[k, i]:
                    break
            if not ok:
                break
        out[k] = ok


@njit(**NJIT)
def expand_table(idx, values, perm_maps, cand_perms, n_types, N, out):  # pragma: no cover
    """Fill the full outcome table ``out`` (n_profiles, m) from canonical rows ``idx`` and their
    outcomes ``values`` (K, m), using neutrality: ``f(pi P) = pi f(P)``."""
    K, n = idx.shape
    P = perm_maps.shape[0]
    m = values.shape[1]
    buf = np.empty(n, dtype=np.int64)
    for k in range(K):
        for p in range(P):
            for i in range(n):
                buf[i] = perm_maps[p, idx[k, i]]
            _sort_small(buf)
            r = multiset_rank(buf, n_types, N)
            for c in range(m):
                out[r, cand_perms[p, c]] = values[k, c]


@njit(**NJIT)
def monotonicity_scan(idx, base_vals, lifts, n_types, N, table, prob, out_rows, out_info):
    """One-position lifts of every winner on every distinct ballot of every profile.

    ``lifts[t, x, j]`` = type after the j-th one-step lift of ``x`` on type ``t`` (-1: none).
    ``base_vals``/``table`` hold winner masks as 0/1 (or lotteries when ``prob``). A violation:
    ``x`` wins (``p(x) > 0``) on the profile and loses on the lifted one (``p(x)`` decreases).
    Writes up to ``len(out_rows)`` violations (row, position, x, new type); returns the number of
    violating rows and the number of transformations looked at.
    """  # pragma: no cover - numba
    K, n = idx.shape
    m = base_vals.shape[1]
    L = lifts.shape[2]
    buf = np.empty(n, dtype=np.int64)
    found = 0
    n_tr = 0
    for k in range(K):
        bad = False
        for i in range(n):
            if i > 0 and idx[k, i] == idx[k, i - 1]:
                continue
            t = idx[k, i]
            for x in range(m):
                if base_vals[k, x] <= 0:
                    continue
                for j in range(L):
                    t2 = lifts[t, x, j]
                    if t2 < 0:
                        continue
                    for q in range(n):
                        buf[q] = idx[k, q]
                    buf[i] = t2
                    _sort_small(buf)
                    r = multiset_rank(buf, n_types, N)
                    n_tr += 1
                    if prob:
                        viol = table[r, x] < base_vals[k, x] - 1e-9
                    else:
                        viol = table[r, x] <= 0
                    if viol and not bad:
                        bad = True
                        if found < out_rows.shape[0]:
                            out_rows[found] = k
                            out_info[found, 0] = i
                            out_info[found, 1] = x
                            out_info[found, 2] = t2
                        found += 1
    return found, n_tr


@njit(**NJIT)
def removal_scan(idx, n_types, N_small, ranks_out, which_out):  # pragma: no cover - numba
    """For each profile and each distinct ballot type in it, the rank (among profiles with one
    voter fewer) of the profile with one ballot of that type removed. Returns the count."""
    K, n = idx.shape
    buf = np.empty(n - 1, dtype=np.int64)
    c = 0
    for k in range(K):
        for i in range(n):
            if i > 0 and idx[k, i] == idx[k, i - 1]:
                continue
            q = 0
            for j in range(n):
                if j != i:
                    buf[q] = idx[k, j]
                    q += 1
            ranks_out[c] = multiset_rank(buf, n_types, N_small)
            which_out[c, 0] = k
            which_out[c, 1] = idx[k, i]
            c += 1
    return c


@njit(**NJIT)
def replacement_scan(idx, repl, n_types, N, copies, ranks_out, which_out):  # pragma: no cover
    """For each profile, each distinct ballot type ``t`` in it (present at least ``copies``
    times) and each replacement type ``repl[t, j] >= 0``, the rank of the profile with
    ``copies`` ballots ``t`` replaced. Returns the count (-1: output arrays too small)."""
    K, n = idx.shape
    J = repl.shape[1]
    buf = np.empty(n, dtype=np.int64)
    c = 0
    for k in range(K):
        for i in range(n):
            if i > 0 and idx[k, i] == idx[k, i - 1]:
                continue
            t = idx[k, i]
            if i + copies > n or idx[k, i + copies - 1] != t:
                continue
            for j in range(J):
                t2 = repl[t, j]
                if t2 < 0:
                    continue
                if c >= ranks_out.shape[0]:
                    return -1
                for q in range(n):
                    buf[q] = idx[k, q]
                for q in range(i, i + copies):
                    buf[q] = t2
                _sort_small(buf)
                ranks_out[c] = multiset_rank(buf, n_types, N)
                which_out[c, 0] = k
                which_out[c, 1] = i
                which_out[c, 2] = j
                c += 1
    return c


@njit(**NJIT)
def split_scan(idx, n_types, Ns, r1_out, r2_out, row_out, code_out):  # pragma: no cover
    """Every split of each profile into two non-empty sub-multisets ``P1 + P2`` (each unordered
    pair once). ``Ns[k]`` is the count table for size-``k`` profiles (padded). Writes the ranks
    of ``P1`` (size ``s``) and ``P2`` and the split code (mixed radix over distinct types).
    Returns the number written, or -1 when the output arrays are too small."""
    K, n = idx.shape
    types = np.empty(n, dtype=np.int64)
    cnts = np.empty(n, dtype=np.int64)
    sub = np.empty(n, dtype=np.int64)
    b1 = np.empty(n, dtype=np.int64)
    b2 = np.empty(n, dtype=np.int64)
    c = 0
    for k in range(K):
        d = 0
        for i in range(n):
            if i > 0 and idx[k, i] == idx[k, i - 1]:
                cnts[d - 1] += 1
            else:
                types[d] = idx[k, i]
                cnts[d] = 1
                d += 1
        total = 1
        for j in range(d):
            total *= cnts[j] + 1
        for code in range(1, total - 1):
            # complement code = total - 1 - code; keep each unordered pair once
            if code > total - 1 - code:
                continue
            x = code
            s1 = 0
            for j in range(d):
                sub[j] = x % (cnts[j] + 1)
                x //= cnts[j] + 1
                s1 += sub[j]
            s2 = n - s1
            p1 = 0
            p2 = 0
            for j in range(d):
                for _ in range(sub[j]):
                    b1[p1] = types[j]
                    p1 += 1
                for _ in range(cnts[j] - sub[j]):
                    b2[p2] = types[j]
                    p2 += 1
            if c >= r1_out.shape[0]:
                return -1
            r1_out[c] = multiset_rank(b1[:s1], n_types, Ns[s1])
            r2_out[c] = multiset_rank(b2[:s2], n_types, Ns[s2])
            row_out[c] = k
            code_out[c] = code
            c += 1
    return c
