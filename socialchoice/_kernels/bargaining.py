"""Numba kernels for bargaining over lotteries (docs/welfare-bargaining.md §8).

All kernels take gains ``X[b, i, j] = (u_ij - d_i) / unit_b`` (float64, C-contiguous) scaled by
the public layer so that ``max |X[b]| = 1`` (docs/conventions.md §4): the absolute constants
below (pivot ``eps = 1e-12``, degeneracy ``<= 1e-9``, dual ``> 1e-9``, step ``<= 1e-14``) are
therefore relative to the problem's scale. Per-agent masks or weights: an agent with weight 0 is
absent. No validation happens here.

* :func:`lp_round_batch` -- one LP of the leximin / proportional family, solved exactly by a
  dense tableau simplex (Bland's rule) on the dual of the homogenised game LP (§5.2-5.3).
* :func:`leximin_batch` -- the sequence of LP rounds of §5.3 (agents with a positive dual are
  fixed: complementary slackness makes them binding in every optimum of the round).
* :func:`nash_batch` -- weighted Nash over lotteries by an active-set Newton method on the
  simplex with exact line search and Frank-Wolfe fallback steps; the certificate is the
  Frank-Wolfe gap ``max_j D_j(p) - W`` of §7.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT as _NJIT
from .._config import NJIT_PARALLEL as _NJIT_PARALLEL
from .._config import jit_variant
from .linalg import cholesky_substitute

# IEEE semantics for float division (no ZeroDivisionError inside the kernels)
NJIT = dict(_NJIT, error_model="numpy")
NJIT_PARALLEL = dict(_NJIT_PARALLEL, error_model="numpy")

# status codes shared with the public layer
OK = 0
INFEASIBLE = 1
MAXITER = 2


@njit(**NJIT)
def _lp_round(X, r, fixed, v, active, p_out, y_out, nondeg, T, basis):
    """max t s.t. x_i p >= t r_i (free, active), x_i p >= v_i (fixed), p in simplex.

    Returns (t, status). ``p_out`` receives p, ``y_out`` the normalised duals of the free
    agents (a distribution; positive entries are binding in every optimum).
    """
    n, m = X.shape
    # scale for conditioning
    s = 0.0
    for i in range(n):
        if active[i]:
            for j in range(m):
                a = abs(X[i, j])
                if a > s:
                    s = a
            if fixed[i] and abs(v[i]) > s:
                s = abs(v[i])
    if s == 0.0:
        s = 1.0
    # shift c so that x'_ij = x_ij/s + c r_i > 0 for free agents
    c = 0.0
    for i in range(n):
        if active[i] and not fixed[i]:
            for j in range(m):
                q = -(X[i, j] / s) / r[i]
                if q > c:
                    c = q
    c += 1.0
    # dual: max sum_{free} r_i y_i  s.t.  A y <= 1, y >= 0 ; A_ji = x'_ij (free), x_ij - v_i (fixed)
    ncol = n + m + 1
    T[:, :] = 0.0
    for j in range(m):
        for i in range(n):
            if not active[i]:
                continue
            if fixed[i]:
                T[j, i] = (X[i, j] - v[i]) / s
            else:
                T[j, i] = X[i, j] / s + c * r[i]
        T[j, n + j] = 1.0
        T[j, ncol - 1] = 1.0
    for i in range(n):
        if active[i] and not fixed[i]:
            T[m, i] = -r[i]
    for j in range(m):
        basis[j] = n + j
    eps = 1e-12
    status = MAXITER
    bland = False
    for _ in range(50 * (n + m) + 50):
        # Dantzig's rule (most negative reduced cost) until the first degenerate pivot, then
        # Bland's (lowest index), which cannot cycle
        e = -1
        if bland:
            for k in range(ncol - 1):
                if T[m, k] < -eps:
                    e = k
                    break
        else:
            most = -eps
            for k in range(ncol - 1):
                if T[m, k] < most:
                    most = T[m, k]
                    e = k
        if e < 0:
            status = OK
            break
        row = -1
        best = np.inf
        for j in range(m):
            if T[j, e] > eps:
                ratio = T[j, ncol - 1] / T[j, e]
                if ratio < best - 1e-15 or (abs(ratio - best) <= 1e-15 and row >= 0 and basis[j] < basis[row]):
                    best = ratio
                    row = j
        if row < 0:
            status = INFEASIBLE  # dual unbounded: primal infeasible
            break
        if best <= 1e-15:
            bland = True
        piv = T[row, e]
        for k in range(ncol):
            T[row, k] /= piv
        for j in range(m + 1):
            if j != row:
                f = T[j, e]
                if f != 0.0:
                    for k in range(ncol):
                        T[j, k] -= f * T[row, k]
        basis[row] = e
    for i in range(n):
        y_out[i] = 0.0
    for j in range(m):
        p_out[j] = 0.0
    if status != OK:
        return np.nan, status
    tot = 0.0
    for j in range(m):
        z = T[m, n + j]
        if z < 0.0:
            z = 0.0
        p_out[j] = z
        tot += z
    if tot <= 0.0:
        return np.nan, INFEASIBLE
    # a non-degenerate optimal basis of the dual LP makes the primal optimum (p) unique
    nd = True
    for j in range(m):
        if T[j, ncol - 1] <= 1e-9:
            nd = False
    nondeg[0] = nd
    for j in range(m):
        p_out[j] /= tot
    ysum = 0.0
    for j in range(m):
        b = basis[j]
        if b < n and not fixed[b]:
            yv = T[j, ncol - 1]
            if yv > 0.0:
                y_out[b] = yv * r[b]
                ysum += yv * r[b]
    if ysum > 0.0:
        for i in range(n):
            y_out[i] /= ysum
    # t from p directly (exact evaluation, not from the tableau)
    t = np.inf
    for i in range(n):
        if active[i] and not fixed[i]:
            g = 0.0
            for j in range(m):
                g += X[i, j] * p_out[j]
            if g / r[i] < t:
                t = g / r[i]
    return t, OK


def _lp_round_batch_impl(X, r, fixed, v, active):
    """Batched :func:`_lp_round`: returns (p (B, m), t (B,), y (B, n), status (B,))."""
    B, n, m = X.shape
    P = np.zeros((B, m))
    Y = np.zeros((B, n))
    T = np.empty(B)
    S = np.empty(B, dtype=np.int64)
    nch = min(B, 64)
    for c in prange(nch):
        nd = np.zeros(1, dtype=np.bool_)
        Tab = np.empty((m + 1, n + m + 1))
        basis = np.empty(m, dtype=np.int64)
        for b in range(c * B // nch, (c + 1) * B // nch):
            t, st = _lp_round(X[b], r[b], fixed[b], v[b], active[b], P[b], Y[b], nd, Tab, basis)
            T[b] = t
            S[b] = st
    return P, T, Y, S


@njit(**NJIT)
def _leximin_one(X, r, active, fixed0, v0, p_out, t_out, tol, fixed, v, y, nd, Tab, basis):
    """Leximin of the ratios (x_i p)/r_i over free agents; fixed0/v0 pre-fixed agents.

    Returns (t1, gap1, status): the first-round value, its game duality gap and the status.
    ``t_out[i]`` receives each agent's level (ratio) at the end.
    """
    n, m = X.shape
    fixed[:] = fixed0
    v[:] = v0
    t1 = np.nan
    gap1 = 0.0
    nfree = 0
    for i in range(n):
        if active[i] and not fixed[i]:
            nfree += 1
    if nfree == 0:
        # only feasibility: any p with fixed constraints; use r=1 on nobody -> pick feasibility LP
        return np.nan, 0.0, OK
    first = True
    while nfree > 0:
        t, st = _lp_round(X, r, fixed, v, active, p_out, y, nd, Tab, basis)
        if st != OK:
            return t1, gap1, st
        if first:
            t1 = t
            first = False
            # game certificate: value in [min_i (pM)_i, max_j (M q)_j], M_ji = x_ij / r_i
            hi = -np.inf
            for j in range(m):
                acc = 0.0
                for i in range(n):
                    if active[i] and not fixed[i]:
                        acc += y[i] * X[i, j] / r[i]
                if acc > hi:
                    hi = acc
            if not np.any(fixed0 & active):
                gap1 = hi - t
                if gap1 < 0.0:
                    gap1 = 0.0
        if nd[0]:
            break  # unique optimal p: it is the leximin point
        thr = tol * max(1.0, abs(t))
        nfix = 0
        for i in range(n):
            if active[i] and not fixed[i] and y[i] > 1e-9:
                fixed[i] = True
                v[i] = t * r[i]
                nfix += 1
        if nfix == 0:
            # numerical fallback: fix every free agent within thr of t
            for i in range(n):
                if active[i] and not fixed[i]:
                    g = 0.0
                    for j in range(m):
                        g += X[i, j] * p_out[j]
                    if g / r[i] <= t + thr:
                        fixed[i] = True
                        v[i] = t * r[i]
                        nfix += 1
            if nfix == 0:
                break
        # relax fixed levels slightly to keep the next LP feasible under round-off
        for i in range(n):
            if active[i] and fixed[i] and not fixed0[i]:
                v[i] = v[i] - thr * r[i] * 1e-3
        nfree -= nfix
        if nfree == 0:
            break
    for i in range(n):
        if active[i]:
            g = 0.0
            for j in range(m):
                g += X[i, j] * p_out[j]
            t_out[i] = g / r[i] if r[i] > 0 else g
        else:
            t_out[i] = np.nan
    return t1, gap1, OK


def _leximin_batch_impl(X, r, active, fixed0, v0, tol):
    """Batched leximin/proportional solution: returns (p, t1, gap1, status)."""
    B, n, m = X.shape
    P = np.zeros((B, m))
    T1 = np.empty(B)
    G1 = np.empty(B)
    S = np.empty(B, dtype=np.int64)
    nch = min(B, 64)
    for c in prange(nch):
        lev = np.empty(n)
        fixed = np.empty(n, dtype=np.bool_)
        v = np.empty(n)
        y = np.empty(n)
        nd = np.zeros(1, dtype=np.bool_)
        Tab = np.empty((m + 1, n + m + 1))
        basis = np.empty(m, dtype=np.int64)
        for b in range(c * B // nch, (c + 1) * B // nch):
            t1, g1, st = _leximin_one(X[b], r[b], active[b], fixed0[b], v0[b], P[b], lev, tol,
                                      fixed, v, y, nd, Tab, basis)
            T1[b] = t1
            G1[b] = g1
            S[b] = st
    return P, T1, G1, S


#: reduced-Hessian pivots below this fraction of the largest diagonal count as dependent
PIVOT_RTOL = 1e-13


@njit(**NJIT)
def _pivoted_cholesky_solve(A, rhs, idx, k, rtol):
    """Solve the PSD system A[:k, :k] x = rhs[:k] on its numerically independent part.

    Symmetric pivoting picks the largest remaining diagonal; it stops when that falls below
    ``rtol`` times the largest initial one. Rows/columns of ``A``, ``rhs`` and the labels
    ``idx`` are permuted in place; returns the rank q, with the solution in ``rhs[:q]`` for
    the labels ``idx[:q]`` (the rest of the step is zero). Works in place on A's lower part.
    """
    dmax = 0.0
    for a in range(k):
        if A[a, a] > dmax:
            dmax = A[a, a]
    if not (dmax > 0.0):
        return 0
    q = 0
    for c in range(k):
        piv = c
        for rr in range(c + 1, k):
            if A[rr, rr] > A[piv, piv]:
                piv = rr
        if A[piv, piv] <= rtol * dmax:
            break
        if piv != c:
            for t in range(k):  # swap rows then columns
                tmp = A[c, t]
                A[c, t] = A[piv, t]
                A[piv, t] = tmp
            for t in range(k):
                tmp = A[t, c]
                A[t, c] = A[t, piv]
                A[t, piv] = tmp
            tmp = rhs[c]
            rhs[c] = rhs[piv]
            rhs[piv] = tmp
            ti = idx[c]
            idx[c] = idx[piv]
            idx[piv] = ti
        d = np.sqrt(A[c, c])
        A[c, c] = d
        for rr in range(c + 1, k):
            A[rr, c] /= d
        for rr in range(c + 1, k):  # Schur complement of the trailing block
            f = A[rr, c]
            if f != 0.0:
                for t in range(c + 1, rr + 1):
                    A[rr, t] -= f * A[t, c]
        for rr in range(c + 1, k):
            for t in range(c + 1, rr):
                A[t, rr] = A[rr, t]
        q = c + 1
    cholesky_substitute(A, rhs, rhs, q)
    return q


@njit(**NJIT)
def _line_search(g, h, w, amax, hard):
    """argmax_{0<=a<=amax} sum w log(g + a h); ``hard``: amax is where some g hits 0."""
    n = g.shape[0]

    def dphi(a):
        s1 = 0.0
        s2 = 0.0
        for i in range(n):
            if w[i] > 0.0:
                q = g[i] + a * h[i]
                s1 += w[i] * h[i] / q
                s2 -= w[i] * h[i] * h[i] / (q * q)
        return s1, s2

    if not hard:
        d1, _ = dphi(amax)
        if d1 >= 0.0:
            return amax
    lo = 0.0
    hi = amax
    a = min(1.0, 0.5 * amax) if hard else min(1.0, amax)
    if a <= lo or a >= hi:
        a = 0.5 * (lo + hi)
    for _ in range(60):
        d1, d2 = dphi(a)
        if d1 > 0.0:
            lo = a
        else:
            hi = a
        if abs(d1) <= 1e-14 * abs(d2) * max(a, 1e-300) or hi - lo <= 1e-16 * max(1.0, hi):
            break
        an = a - d1 / d2 if d2 < 0.0 else 0.5 * (lo + hi)
        if not (an > lo and an < hi):
            an = 0.5 * (lo + hi)
        a = an
    return a


@njit(**NJIT)
def _nash_one(X, w, p, tol, maxit, g, h, D, S, K, rhs, delta):
    """Active-set Newton for max sum_i w_i log(x_i p) on the simplex; p is a feasible start
    (x_i p > 0 for every weighted agent). Returns (gap, iterations)."""
    n, m = X.shape
    W = 0.0
    for i in range(n):
        W += w[i]
    gap = np.inf
    best = np.inf
    stall = 0
    it = 0
    for it in range(maxit):
        for i in range(n):
            acc = 0.0
            for j in range(m):
                acc += X[i, j] * p[j]
            g[i] = acc
        jmax = 0
        for j in range(m):
            acc = 0.0
            for i in range(n):
                if w[i] > 0.0:
                    acc += w[i] * X[i, j] / g[i]
            D[j] = acc
            if D[j] > D[jmax]:
                jmax = j
        gap = D[jmax] - W
        if gap <= tol * W:
            break
        if gap < 0.5 * best:
            best = gap
            stall = 0
        else:
            stall += 1
            if stall >= 4 and gap <= 1e-8 * W:
                break  # round-off floor reached
        # Newton step on the face spanned by the support and jmax, in reduced coordinates
        # (the largest-p column r absorbs the simplex constraint). Columns whose utility
        # vectors are affinely dependent on the others make the reduced Hessian singular;
        # the pivoted Cholesky leaves them out of the step (their utilities are reachable
        # through the others), where a ridge would send the step along the null space.
        r = jmax
        for j in range(m):
            if p[j] > p[r]:
                r = j
        k = 0
        for j in range(m):
            if (p[j] > 0.0 or j == jmax) and j != r:
                S[k] = j
                k += 1
        for a in range(k):
            ja = S[a]
            for b in range(a, k):
                jb = S[b]
                acc = 0.0
                for i in range(n):
                    if w[i] > 0.0:
                        acc += w[i] * (X[i, ja] - X[i, r]) * (X[i, jb] - X[i, r]) / (g[i] * g[i])
                K[a, b] = acc
                K[b, a] = acc
            rhs[a] = D[ja] - D[r]
        rank = _pivoted_cholesky_solve(K, rhs, S, k, PIVOT_RTOL)
        for j in range(m):
            delta[j] = 0.0
        use_fw = rank == 0
        if not use_fw:
            slope = 0.0
            tot = 0.0
            for a in range(rank):
                delta[S[a]] = rhs[a]
                tot += rhs[a]
                slope += (D[S[a]] - D[r]) * rhs[a]
            delta[r] = -tot
            if not (slope > 0.0):
                use_fw = True
                for j in range(m):
                    delta[j] = 0.0
        amax = np.inf
        jblock = -1
        if not use_fw:
            for j in range(m):
                if delta[j] < 0.0:
                    q = -p[j] / delta[j]
                    if q < amax:
                        amax = q
                        jblock = j
            if amax <= 1e-14:
                use_fw = True
        if use_fw:
            for j in range(m):
                delta[j] = -p[j]
            delta[jmax] += 1.0
            amax = 1.0
            jblock = -1
        for i in range(n):
            acc = 0.0
            for j in range(m):
                acc += X[i, j] * delta[j]
            h[i] = acc
        ag = np.inf
        for i in range(n):
            if w[i] > 0.0 and h[i] < 0.0:
                q = -g[i] / h[i]
                if q < ag:
                    ag = q
        hard = ag <= amax
        a = _line_search(g, h, w, min(amax, ag * (1.0 - 1e-12)) if hard else amax, hard)
        for j in range(m):
            p[j] += a * delta[j]
            if p[j] < 0.0:
                p[j] = 0.0
        if not hard and jblock >= 0 and a >= amax:
            p[jblock] = 0.0
        tot = 0.0
        for j in range(m):
            tot += p[j]
        for j in range(m):
            p[j] /= tot
        # drop dust
        for j in range(m):
            if p[j] < 1e-15:
                p[j] = 0.0
    return gap, it


def _nash_batch_impl(X, w, P0, tol, maxit):
    """Batched weighted Nash over lotteries from feasible starts ``P0`` (copied).

    Returns (p (B, m), gap (B,), iterations (B,)).
    """
    B, n, m = X.shape
    P = P0.copy()
    G = np.empty(B)
    It = np.empty(B, dtype=np.int64)
    nch = min(B, 64)
    for c in prange(nch):
        g = np.empty(n)
        h = np.empty(n)
        D = np.empty(m)
        S = np.empty(m, dtype=np.int64)
        K = np.empty((m + 1, m + 1))
        rhs = np.empty(m + 1)
        delta = np.zeros(m)
        for b in range(c * B // nch, (c + 1) * B // nch):
            gap, it = _nash_one(X[b], w[b], P[b], tol, maxit, g, h, D, S, K, rhs, delta)
            G[b] = gap
            It[b] = it
    return P, G, It


def _nash_start_batch_impl(X, w):
    """A feasible start per item: the best pure alternative with positive gains for every
    weighted agent, else uniform if that has positive gains; flag 0 when neither works (the
    caller then starts from an LP)."""
    B, n, m = X.shape
    P = np.zeros((B, m))
    ok = np.zeros(B, dtype=np.bool_)
    for b in prange(B):
        best = -np.inf
        jb = -1
        for j in range(m):
            s = 0.0
            feas = True
            for i in range(n):
                if w[b, i] > 0.0:
                    if X[b, i, j] > 0.0:
                        s += w[b, i] * np.log(X[b, i, j])
                    else:
                        feas = False
                        break
            if feas and s > best:
                best = s
                jb = j
        if jb >= 0:
            P[b, jb] = 1.0
            ok[b] = True
            continue
        good = True
        for i in range(n):
            if w[b, i] > 0.0:
                acc = 0.0
                for j in range(m):
                    acc += X[b, i, j]
                if not (acc > 0.0):
                    good = False
                    break
        if good:
            for j in range(m):
                P[b, j] = 1.0 / m
            ok[b] = True
    return P, ok


# Each batched kernel is compiled twice (lazily): parallel over items for large batches, and
# serial for small ones, where launching a parallel region costs more than the work.
lp_round_batch = jit_variant(_lp_round_batch_impl, "_parallel", **NJIT_PARALLEL)
lp_round_batch_serial = jit_variant(_lp_round_batch_impl, "_serial", **NJIT)
leximin_batch = jit_variant(_leximin_batch_impl, "_parallel", **NJIT_PARALLEL)
leximin_batch_serial = jit_variant(_leximin_batch_impl, "_serial", **NJIT)
nash_batch = jit_variant(_nash_batch_impl, "_parallel", **NJIT_PARALLEL)
nash_batch_serial = jit_variant(_nash_batch_impl, "_serial", **NJIT)
nash_start_batch = jit_variant(_nash_start_batch_impl, "_parallel", **NJIT_PARALLEL)
nash_start_batch_serial = jit_variant(_nash_start_batch_impl, "_serial", **NJIT)

#: batches smaller than this run the serial kernels
PARALLEL_MIN_BATCH = 512


def pick(name, B):
    """The parallel or serial variant of kernel ``name`` for a batch of ``B`` items."""
    return globals()[name if B >= PARALLEL_MIN_BATCH else name + "_serial"]
