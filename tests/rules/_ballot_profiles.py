"""Random small ballot profiles for the positional/elimination/cardinal differential tests."""

from __future__ import annotations

import numpy as np

import socialchoice as sc

# docs/rules.md §9 examples as (orders, weights, m)
P1 = ([[0, 1, 2], [1, 2, 0], [2, 1, 0]], [3, 2, 2], 3)
P3 = ([[1, 0, 2, 3], [2, 0, 3, 1], [1, 2, 0, 3], [0, 1, 3, 2]], [1, 3, 3, 4], 4)
P5 = ([[0, 4, 1, 2, 3], [2, 3, 0, 4, 1], [1, 3, 4, 0, 2], [1, 3, 0, 2, 4], [4, 2, 3, 0, 1]],
      [4, 5, 2, 6, 6], 5)
PS = ([[1, 2, 0], [2, 0, 1], [0, 1, 2]], [2, 1, 1], 3)
PU = ([[0, 2, 3, 1], [2, 3, 1, 0], [1, 3, 0, 2]], [2, 3, 2], 4)
T = ([[1, 2, 0, 3], [2, -1, -1, -1]], [2, 1], 4)
# L, C, R = 0, 1, 2
BURLINGTON = ([[2, 1, 0], [0, 1, 2], [1, 0, 2], [1, 2, 0]], [35, 33, 18, 14], 3)
CYCLE = ([[0, 1, 2], [1, 2, 0], [2, 0, 1]], [1, 1, 1], 3)


def example(ex) -> sc.Rankings:
    orders, weights, m = ex
    return sc.Rankings.from_orders(np.array(orders), weights=weights, n_candidates=m)


def linear_batch(rng, k, n, m):
    """(k, n, m) ranks of complete strict ballots and integer weights (k, n) in 1..4."""
    ranks = np.argsort(np.argsort(rng.random((k, n, m)), axis=-1), axis=-1).astype(np.int8)
    weights = rng.integers(1, 5, size=(k, n)).astype(float)
    return ranks, weights


def weak_batch(rng, k, n, m, p_trunc=0.3, p_tie=0.3):
    """Ballots with truncation and ties: random levels, then some candidates unranked."""
    ranks = np.argsort(np.argsort(rng.random((k, n, m)), axis=-1), axis=-1)
    tied = rng.random((k, n, 1)) < p_tie
    ranks = np.where(tied, ranks // 2, ranks)
    trunc = rng.random((k, n, m)) < p_trunc
    ranks = np.where(trunc & (ranks > 0), -1, ranks).astype(np.int8)
    weights = rng.integers(1, 5, size=(k, n)).astype(float)
    return ranks, weights


def orders_of(ranks_row):
    """One election's complete strict ranks (n, m) -> orders best first (n, m)."""
    return np.argsort(ranks_row, axis=-1)


def pv_linear(ranks_row, weights_row):
    from pref_voting.profiles import Profile

    return Profile(orders_of(ranks_row).tolist(), rcounts=[int(w) for w in weights_row])


def pv_ties(ranks_row, weights_row):
    from pref_voting.profiles_with_ties import ProfileWithTies

    n, m = ranks_row.shape
    ballots = [{int(c): int(r[c]) for c in range(m) if r[c] >= 0} for r in ranks_row]
    prof = ProfileWithTies(ballots, rcounts=[int(w) for w in weights_row], candidates=list(range(m)))
    prof.use_extended_strict_preference()
    return prof


def mask_of(winners, m):
    out = np.zeros(m, bool)
    out[list(winners)] = True
    return out
