"""Statistical rules: Bradley–Terry and Plackett–Luce maximum likelihood (docs/rules.md §7).

Kernels work on compact (active-only) data handed over by the public layer, or on flat
batches with an ``active`` mask (B, m); no validation here.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL
from .linalg import cholesky_substitute


@njit(**NJIT)
def _bt_loglik(a, beta, k):
    ll = 0.0
    for i in range(k):
        for j in range(k):
            if i != j and a[i, j] > 0:
                d = beta[j] - beta[i]
                # log sigma(beta_i - beta_j) = -log(1 + e^{beta_j - beta_i})
                if d > 0:
                    ll -= a[i, j] * (d + np.log1p(np.exp(-d)))
                else:
                    ll -= a[i, j] * np.log1p(np.exp(d))
    return ll


@njit(**NJIT)
def _spd_solve(h, g, out, L):
    """Solve ``h x = g`` for symmetric positive definite ``h`` by Cholesky (into ``out``).

    Returns False when ``h`` is not numerically positive definite (a singular Newton step).
    In-kernel instead of ``np.linalg.solve``: the systems are tiny, and LAPACK's binding
    and its exceptions cost seconds of compile time.
    """
    m = h.shape[0]
    for i in range(m):
        for j in range(i + 1):
            s = h[i, j]
            for t in range(j):
                s -= L[i, t] * L[j, t]
            if i == j:
                if not s > 1e-300:
                    return False
                L[i, i] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    cholesky_substitute(L, g, out, m)
    return True


@njit(**NJIT)
def bt_fit(a, tol, max_iter):
    """BT MLE on a (k, k) win matrix ``a`` whose win digraph is strongly connected.

    Newton steps on ``beta`` (last coordinate fixed, backtracking line search on the
    log-likelihood), falling back to Hunter's MM step when Newton fails to improve.
    Returns (beta recentred to sum 0, iterations, converged).
    """
    k = a.shape[0]
    beta = np.zeros(k)
    if k == 1:
        return beta, 0, True
    n = a + a.T
    wins = a.sum(axis=1)
    ll = _bt_loglik(a, beta, k)
    it = 0
    converged = False
    h = np.zeros((k - 1, k - 1))
    g = np.zeros(k - 1)
    chol = np.zeros((k - 1, k - 1))
    while it < max_iter:
        it += 1
        for i in range(k - 1):
            g[i] = wins[i]
            for j in range(k - 1):
                h[i, j] = 0.0
        for i in range(k):
            for j in range(k):
                if i == j or n[i, j] == 0:
                    continue
                p = 1.0 / (1.0 + np.exp(beta[j] - beta[i]))
                if i < k - 1:
                    g[i] -= n[i, j] * p
                    q = n[i, j] * p * (1 - p)
                    h[i, i] += q
                    if j < k - 1:
                        h[i, j] -= q
        step = np.zeros(k)
        ok = _spd_solve(h, g, step[: k - 1], chol)
        for i in range(k - 1):
            ok &= np.isfinite(step[i])
        t = 1.0
        improved = False
        if ok:
            for _ in range(60):
                cand = beta + t * step
                lc = _bt_loglik(a, cand, k)
                if lc >= ll - 1e-14 * abs(ll):
                    improved = True
                    break
                t *= 0.5
        if not improved:
            # MM step (Hunter 2004): pi_i <- W_i / sum_j N_ij / (pi_i + pi_j)
            pi = np.exp(beta - beta.max())
            cand = np.empty(k)
            for i in range(k):
                den = 0.0
                for j in range(k):
                    if j != i and n[i, j] > 0:
                        den += n[i, j] / (pi[i] + pi[j])
                cand[i] = np.log(wins[i] / den)
            cand -= cand[k - 1]
            lc = _bt_loglik(a, cand, k)
            t = 1.0
            step = cand - beta
        delta = 0.0
        for i in range(k):
            v = abs(t * step[i])
            if v > delta:
                delta = v
        beta = beta + t * step
        ll = lc
        if delta < tol:
            converged = True
            break
    beta -= beta.mean()
    return beta, it, converged


@njit(**NJIT)
def _strongly_connected(a, act, m):
    """True iff the digraph i -> j (a[i, j] > 0) restricted to active nodes is strongly connected."""
    adj = np.zeros(m, np.int64)
    abits = np.int64(0)
    for i in range(m):
        if act[i]:
            abits |= np.int64(1) << i
            for j in range(m):
                if j != i and act[j] and a[i, j] > 0:
                    adj[i] |= np.int64(1) << j
    reach = adj.copy()
    for kk in range(m):
        bk = np.int64(1) << kk
        for i in range(m):
            if reach[i] & bk:
                reach[i] |= reach[kk]
    for i in range(m):
        if act[i]:
            others = abits & ~(np.int64(1) << i)
            if (reach[i] & others) != others:
                return False
    return True


@njit(**NJIT_PARALLEL)
def bt_batch(a, active, tol, max_iter):
    """BT per item of a (B, m, m) win-matrix batch. status 0 ok, 1 not strongly connected,
    2 not converged. Inactive entries of beta are NaN."""
    b, m, _ = a.shape
    beta = np.full((b, m), np.nan)
    status = np.zeros(b, np.int64)
    for it in prange(b):
        act = active[it]
        if not _strongly_connected(a[it], act, m):
            status[it] = 1
            continue
        idx = np.flatnonzero(act)
        k = idx.shape[0]
        ac = np.empty((k, k))
        for i in range(k):
            for j in range(k):
                ac[i, j] = a[it, idx[i], idx[j]]
        bc, _, conv = bt_fit(ac, tol, max_iter)
        if not conv:
            status[it] = 2
        for i in range(k):
            beta[it, idx[i]] = bc[i]
    return beta, status


@njit(**NJIT)
def _pl_one(order, klen, weights, act, prior, tol, max_iter):
    """Plackett–Luce MM (Hunter 2004 §5) for one item.

    ``order`` (n, m): ranked active candidates best first, ``klen[v]`` how many; the unranked
    active candidates of a ballot form its bottom block. Returns (log gamma recentred, iters,
    converged).
    """
    n, m = order.shape
    ka = 0
    for c in range(m):
        if act[c]:
            ka += 1
    lg = np.zeros(m)
    if ka <= 1:
        return lg, 0, True
    wins = np.zeros(m)
    for v in range(n):
        stages = min(klen[v], ka - 1)
        for j in range(stages):
            wins[order[v, j]] += weights[v]
    if prior > 0:
        for c in range(m):
            if act[c]:
                wins[c] += prior * (ka - 1)
    gam = np.zeros(m)
    for c in range(m):
        if act[c]:
            gam[c] = 1.0
    den = np.zeros(m)
    dstage = np.zeros(m + 1)
    converged = False
    it = 0
    while it < max_iter:
        it += 1
        for c in range(m):
            den[c] = 0.0
        total = 0.0
        for c in range(m):
            total += gam[c]
        for v in range(n):
            stages = min(klen[v], ka - 1)
            if stages <= 0:
                continue
            w = weights[v]
            s = total
            cum = 0.0
            for j in range(stages):
                cum += w / s
                dstage[j] = cum  # sum of w/|R| over stages 1..j+1
                s -= gam[order[v, j]]
            # chosen at stage t (0-based) belongs to R_0..R_t
            for j in range(min(klen[v], stages)):
                den[order[v, j]] += dstage[j]
            # ranked but never chosen (the last one when k = ka) and unranked: all stages
            for j in range(stages, klen[v]):
                den[order[v, j]] += cum
            # unranked active candidates: present in every stage
            for c in range(m):
                if act[c]:
                    den[c] += cum
            for j in range(klen[v]):
                den[order[v, j]] -= cum
        if prior > 0:
            for i in range(m):
                if not act[i]:
                    continue
                for j in range(m):
                    if j != i and act[j]:
                        den[i] += 2.0 * prior / (gam[i] + gam[j])
        delta = 0.0
        mean = 0.0
        newlg = np.zeros(m)
        for c in range(m):
            if act[c]:
                if wins[c] <= 0.0 or den[c] <= 0.0:
                    return lg, it, False  # no finite MLE: the caller checks existence first
                newlg[c] = np.log(wins[c] / den[c])
                mean += newlg[c]
        mean /= ka
        for c in range(m):
            if act[c]:
                newlg[c] -= mean
                d = abs(newlg[c] - lg[c])
                if d > delta:
                    delta = d
        lg = newlg
        for c in range(m):
            if act[c]:
                gam[c] = np.exp(lg[c])
        if delta < tol:
            converged = True
            break
    return lg, it, converged


@njit(**NJIT_PARALLEL)
def pl_batch(order, klen, weights, active, prior, tol, max_iter):
    """Plackett–Luce per item: ``order`` (B, n, m), ``klen`` (B, n), ``weights`` (B, n)."""
    b, n, m = order.shape
    out = np.full((b, m), np.nan)
    conv = np.zeros(b, np.bool_)
    for it in prange(b):
        lg, _, c = _pl_one(order[it], klen[it], weights[it], active[it], prior, tol, max_iter)
        conv[it] = c
        for x in range(m):
            if active[it, x]:
                out[it, x] = lg[x]
    return out, conv


@njit(**NJIT_PARALLEL)
def strongly_connected_batch(s, active):
    """:func:`_strongly_connected` per item of a (B, m, m) stack (one parallel call instead of
    a Python loop over items)."""
    b, m, _ = s.shape
    out = np.zeros(b, np.bool_)
    for it in prange(b):
        out[it] = _strongly_connected(s[it], active[it], m)
    return out


@njit(**NJIT_PARALLEL)
def pl_orders(ranks, active, order, klen):
    """Plackett–Luce choice orders per ballot: ``order[b, v, :klen[b, v]]`` = the ranked
    active candidates best first (entries beyond ``klen`` are -1).

    ``ranks`` (B, n, m) normalised levels. Returns, per item, the first ballot that ties two
    ranked active candidates, or -1 (the caller raises: ties are allowed only in the unranked
    bottom block).
    """
    b, n, m = ranks.shape
    first_tie = np.full(b, -1, np.int64)
    for it in prange(b):
        slot = np.empty(m, np.int64)
        for v in range(n):
            for p in range(m):
                slot[p] = -1
            for c in range(m):
                lv = ranks[it, v, c]
                if lv >= 0 and active[it, c]:
                    if slot[lv] >= 0 and first_tie[it] < 0:
                        first_tie[it] = v
                    slot[lv] = c
            k = 0
            for p in range(m):
                if slot[p] >= 0:
                    order[it, v, k] = slot[p]
                    k += 1
            for p in range(k, m):
                order[it, v, p] = -1
            klen[it, v] = k
    return first_tie
