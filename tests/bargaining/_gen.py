"""Random bargaining problems for the fast-vs-cvxpy comparison (degenerate ones included)."""

from __future__ import annotations

import numpy as np


def random_problems(count: int, seed: int = 0, *, max_n: int = 10, max_m: int = 20):
    """List of (U (n, m), d (n,), kind); kind 0 (continuous) problems have unique solutions
    almost surely, the others include ties, duplicate columns and near-degenerate gains."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n = int(rng.integers(1, max_n + 1))
        m = int(rng.integers(1, max_m + 1))
        kind = rng.integers(0, 5)
        if kind == 0:  # continuous
            U = rng.random((n, m))
        elif kind == 1:  # small integers: ties and degenerate LPs
            U = rng.integers(0, 4, size=(n, m)).astype(float)
        elif kind == 2:  # duplicated / near-duplicated columns
            U = rng.random((n, m))
            if m > 1:
                k = int(rng.integers(1, m))
                U[:, k] = U[:, 0] + rng.choice([0.0, 1e-9]) * rng.random(n)
        elif kind == 3:  # heterogeneous scales
            U = rng.normal(size=(n, m)) * rng.lognormal(0, 1.5, size=(n, 1))
        else:  # a dominating alternative or near-degenerate gains
            U = rng.random((n, m))
            U[:, int(rng.integers(m))] = U.max(axis=1) + rng.choice([0.0, 1e-7, 0.1])
        dk = rng.integers(0, 3)
        if dk == 0:
            d = U.min(axis=1)
        elif dk == 1:
            d = U.mean(axis=1) - 0.05 * np.ptp(U, axis=1) - 1e-3
        else:
            d = U.min(axis=1) - rng.random(n)
        out.append((U, d, int(kind)))
    return out


def pad(problems, n: int, m: int):
    """Stack problems into (B, n, m) with padded agents (weight 0) and strictly dominated
    padded alternatives, so one batched call solves them all."""
    B = len(problems)
    U = np.zeros((B, n, m))
    D = np.zeros((B, n))
    W = np.zeros((B, n))
    for b, (u, d, *_) in enumerate(problems):
        k, l = u.shape
        low = (u.min(axis=1) - 1.0)[:, None]
        U[b, :k, :l] = u
        U[b, :k, l:] = np.minimum(low, d[:, None] - 1.0)
        D[b, :k] = d
        W[b, :k] = 1.0
    return U, D, W
