"""Obviously correct reference implementations, one per kernel family.

Each function is a direct transcription of its definition (docs/rules.md, docs/welfare-bargaining.md,
docs/divergences.md) in plain Python loops over ballots, candidates and agents: slow, but short
enough to check by eye. The package's Numba kernels are tested against them
(``tests/testing/test_reference.py``, ``tests/test_profiles_properties.py``); users can do the same
for their own statistics or rules.

Families covered: container conversions (support, levels, orders, ratings, records); scoring
(positional scores with the average tie mode, plurality, Borda, veto); tournaments (Copeland,
maximin, Schulze, Smith set); elimination (instant runoff with parallel-universe ties); cardinal
(utilitarian mean with per-cell missing values, approval); welfare (utilitarian, Nash, egalitarian,
power mean); divergences (KL, Jensen–Shannon, total variation, Hellinger, ordinal Wasserstein).

Examples
--------
>>> from socialchoice.testing import reference
>>> reference.support_naive([[0, 1, -1], [0, 0, 1]])
array([[0., 2., 1.],
       [0., 0., 1.],
       [0., 0., 0.]])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "support_naive",
    "normalize_levels_naive",
    "ratings_to_ranks_naive",
    "orders_to_ranks_naive",
    "records_to_support_naive",
    "positional_scores_naive",
    "plurality_naive",
    "borda_naive",
    "veto_naive",
    "copeland_naive",
    "maximin_naive",
    "schulze_naive",
    "smith_set_naive",
    "instant_runoff_put_naive",
    "utilitarian_rule_naive",
    "approval_naive",
    "welfare_naive",
    "divergence_naive",
    "argmax_set",
]


def support_naive(ranks: Any, weights: Any = None) -> np.ndarray:
    """``S[x, y] = Σ_v w_v [x ≻_v y]`` (docs/rules.md §1.3) by a double loop per ballot.

    ``x ≻_v y`` iff ``x`` is ranked on ballot ``v`` and ``y`` is unranked or at a larger level.
    Leading axes of ``ranks`` are a batch; ``weights`` has shape ``(..., n)`` or ``(n,)``.
    """
    r = np.asarray(ranks)
    if r.ndim > 2:
        w = None if weights is None else np.broadcast_to(np.asarray(weights, float),
                                                          r.shape[:-1])
        return np.stack([support_naive(r[i], None if w is None else w[i])
                         for i in range(r.shape[0])])
    n, m = r.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    out = np.zeros((m, m))
    for v in range(n):
        for x in range(m):
            for y in range(m):
                lx, ly = int(r[v, x]), int(r[v, y])
                if lx >= 0 and (ly < 0 or lx < ly):
                    out[x, y] += w[v]
    return out


def normalize_levels_naive(ranks: Any) -> np.ndarray:
    """Dense-rank the non-negative levels of each ballot to ``0..k-1``; keep ``-1``."""
    r = np.asarray(ranks)
    out = np.full(r.shape, -1, dtype=np.int64)
    flat_in = r.reshape(-1, r.shape[-1])
    flat_out = out.reshape(-1, r.shape[-1])
    for v in range(flat_in.shape[0]):
        used = sorted({int(x) for x in flat_in[v] if x >= 0})
        for c, x in enumerate(flat_in[v]):
            if x >= 0:
                flat_out[v, c] = used.index(int(x))
    return out


def ratings_to_ranks_naive(values: Any) -> np.ndarray:
    """Ratings -> levels: higher rating is better, equal ratings tie, NaN is unranked."""
    a = np.asarray(values, dtype=float)
    out = np.full(a.shape, -1, dtype=np.int64)
    flat_in = a.reshape(-1, a.shape[-1])
    flat_out = out.reshape(-1, a.shape[-1])
    for v in range(flat_in.shape[0]):
        distinct = sorted({float(x) for x in flat_in[v] if not math.isnan(x)}, reverse=True)
        for c, x in enumerate(flat_in[v]):
            if not math.isnan(x):
                flat_out[v, c] = distinct.index(float(x))
    return out


def orders_to_ranks_naive(orders: Any, n_candidates: int) -> np.ndarray:
    """Ballots best first -> levels ``(n, m)``.

    A ballot is a sequence whose entries are candidate indices or sequences of tied indices;
    ``-1`` entries (padding of a truncated integer array) are skipped.
    """
    out = np.full((len(orders), n_candidates), -1, dtype=np.int64)
    for v, ballot in enumerate(orders):
        level = 0
        for entry in ballot:
            block = list(entry) if isinstance(entry, (Sequence, np.ndarray)) else [entry]
            block = [int(c) for c in block if int(c) >= 0]
            if not block:
                continue
            for c in block:
                out[v, c] = level
            level += 1
    return out


def records_to_support_naive(records: Any, *, item: str | None = "item", a: str = "a",
                             b: str = "b", outcome: str = "outcome", weight: str | None = None,
                             candidates: Sequence | None = None,
                             ties: str = "ignore") -> np.ndarray:
    """Pairwise records -> support matrices (docs/rules.md §1.3), row by row.

    Items are the sorted distinct values of column ``item`` (shape ``(n_items, m, m)``), or one
    matrix ``(m, m)`` with ``item=None``. Candidates default to the sorted union of ``a`` and ``b``.
    """
    cols = ({c: list(records[c]) for c in records.columns} if hasattr(records, "columns")
            else {k: list(v) for k, v in dict(records).items()} if isinstance(records, Mapping)
            else None)
    if cols is None:
        raise TypeError("records must be a DataFrame or a mapping of columns")
    rows = len(cols[a])
    cand = list(candidates) if candidates is not None else sorted(set(cols[a]) | set(cols[b]))
    items = sorted(set(cols[item])) if item else [None]
    out = np.zeros((len(items), len(cand), len(cand)))
    for r in range(rows):
        i = items.index(cols[item][r]) if item else 0
        x, y = cand.index(cols[a][r]), cand.index(cols[b][r])
        w = float(cols[weight][r]) if weight else 1.0
        o = float(cols[outcome][r])
        if o == 1.0:
            out[i, x, y] += w
        elif o == 0.0:
            out[i, y, x] += w
        elif ties == "half":
            out[i, x, y] += w / 2
            out[i, y, x] += w / 2
    return out if item else out[0]


# ------------------------------------------------------------------------------- helpers
def argmax_set(scores: Sequence[float], rtol: float = 1e-9) -> list[int]:
    """Indices whose score is within ``rtol * max|score|`` of the best (relative, no floor)."""
    best = max(scores)
    tol = rtol * max(abs(x) for x in scores)
    return [i for i, x in enumerate(scores) if x >= best - tol]


def _blocks(levels: Sequence[int]) -> list[list[int]]:
    """Indifference classes of one ballot, best first; the unranked block (if any) last."""
    ranked = sorted({int(x) for x in levels if x >= 0})
    out = [[c for c, x in enumerate(levels) if x == lv] for lv in ranked]
    unranked = [c for c, x in enumerate(levels) if x < 0]
    if unranked:
        out.append(unranked)
    return out


def _ballots(ranks: Any, weights: Any) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(ranks)
    if r.ndim != 2:
        raise ValueError("reference functions take one election (n, m)")
    w = np.ones(r.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    return r, w


# ------------------------------------------------------------------------------- scoring
def positional_scores_naive(ranks: Any, score_vector: Sequence[float], weights: Any = None) -> np.ndarray:
    """``Σ_v w_v score_v(c)``, a tied or unranked block sharing the average of its positions' scores."""
    r, w = _ballots(ranks, weights)
    m = r.shape[1]
    s = [float(x) for x in score_vector]
    out = np.zeros(m)
    for v in range(r.shape[0]):
        pos = 0
        for block in _blocks(r[v]):
            share = sum(s[pos:pos + len(block)]) / len(block)
            for c in block:
                out[c] += w[v] * share
            pos += len(block)
    return out


def plurality_naive(ranks: Any, weights: Any = None) -> np.ndarray:
    """Plurality scores: a top block of size t gives 1/t to each member; empty ballots give nothing."""
    r, w = _ballots(ranks, weights)
    out = np.zeros(r.shape[1])
    for v in range(r.shape[0]):
        blocks = _blocks(r[v])
        if blocks and any(x >= 0 for x in r[v]):
            for c in blocks[0]:
                out[c] += w[v] / len(blocks[0])
    return out


def borda_naive(ranks: Any, weights: Any = None) -> np.ndarray:
    """Borda with the average tie mode: ``below + ½ tied`` per ballot, weighted."""
    m = np.asarray(ranks).shape[-1]
    return positional_scores_naive(ranks, [m - 1 - i for i in range(m)], weights)


def veto_naive(ranks: Any, weights: Any = None) -> np.ndarray:
    """Weighted vetoes (last places; a bottom block of size t shares one veto). Fewest wins."""
    r, w = _ballots(ranks, weights)
    out = np.zeros(r.shape[1])
    for v in range(r.shape[0]):
        last = _blocks(r[v])[-1]
        for c in last:
            out[c] += w[v] / len(last)
    return out


# ------------------------------------------------------------------------------- tournaments
def copeland_naive(margins: Any, alpha: float = 0.5) -> np.ndarray:
    """``Σ_{y≠x} [M[x,y] > 0] + α [M[x,y] = 0]`` (exact comparisons: pass integer-valued margins)."""
    M = np.asarray(margins, dtype=float)
    m = M.shape[0]
    return np.array([sum(1.0 if M[x, y] > 0 else alpha if M[x, y] == 0 else 0.0
                         for y in range(m) if y != x) for x in range(m)])


def maximin_naive(margins: Any) -> np.ndarray:
    """``min_{y≠x} M[x,y]`` (one candidate: 0)."""
    M = np.asarray(margins, dtype=float)
    m = M.shape[0]
    return np.array([min([M[x, y] for y in range(m) if y != x], default=0.0) for x in range(m)])


def schulze_naive(margins: Any) -> list[int]:
    """Schulze winners: strongest paths by Floyd–Warshall over links ``max(M, 0)``."""
    M = np.asarray(margins, dtype=float)
    m = M.shape[0]
    d = [[M[x][y] if x != y and M[x][y] > 0 else 0.0 for y in range(m)] for x in range(m)]
    for k in range(m):
        for i in range(m):
            for j in range(m):
                if i != j and i != k and j != k:
                    d[i][j] = max(d[i][j], min(d[i][k], d[k][j]))
    return [x for x in range(m) if all(d[x][y] >= d[y][x] for y in range(m) if y != x)]


def smith_set_naive(margins: Any) -> list[int]:
    """Smallest non-empty set whose members all strictly beat (``M > 0``) every outsider.

    Dominant set: every member has ``M[x, y] > 0`` against every non-member. Brute force over
    subsets by increasing size (small m only).
    """
    from itertools import combinations

    M = np.asarray(margins, dtype=float)
    m = M.shape[0]
    for k in range(1, m + 1):
        for S in combinations(range(m), k):
            if all(M[x, y] > 0 for x in S for y in range(m) if y not in S):
                return list(S)
    return list(range(m))


# ------------------------------------------------------------------------------- elimination
def instant_runoff_put_naive(ranks: Any, weights: Any = None) -> list[int]:
    """Instant runoff with parallel-universe ties and split tops (docs/rules.md §4.1).

    ``IRV(A)``: the first-choice weight ``F_A(c)`` of each ballot's top block among ``A`` is split
    equally; ``W_A`` is the weight of ballots ranking someone in ``A``. Return ``A`` if ``|A| = 1``
    or ``W_A = 0``; ``{c}`` if ``F_A(c) > W_A / 2``; else the union over the lowest-``F_A``
    candidates ``y`` of ``IRV(A \\ {y})``.
    """
    r, w = _ballots(ranks, weights)
    m = r.shape[1]

    def irv(A: frozenset) -> frozenset:
        if len(A) == 1:
            return A
        F = {c: 0.0 for c in A}
        WA = 0.0
        for v in range(r.shape[0]):
            lv = [int(r[v, c]) for c in A if r[v, c] >= 0]
            if not lv:
                continue
            top = [c for c in A if r[v, c] == min(lv)]
            WA += w[v]
            for c in top:
                F[c] += w[v] / len(top)
        if WA == 0:
            return A
        tol = 1e-9 * WA
        for c in A:
            if F[c] > WA / 2 + tol:
                return frozenset([c])
        lo = min(F.values())
        out: frozenset = frozenset()
        for y in A:
            if F[y] <= lo + tol:
                out |= irv(A - {y})
        return out

    return sorted(irv(frozenset(range(m))))


# ------------------------------------------------------------------------------- cardinal
def utilitarian_rule_naive(values: Any, weights: Any = None) -> np.ndarray:
    """Mean rating per alternative over the raters who rated it (weighted; NaN = missing)."""
    a = np.asarray(values, dtype=float)
    n, m = a.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    out = np.full(m, np.nan)
    for c in range(m):
        num = den = 0.0
        for v in range(n):
            if not math.isnan(a[v, c]):
                num += w[v] * a[v, c]
                den += w[v]
        if den > 0:
            out[c] = num / den
    return out


def approval_naive(values: Any, threshold: float, weights: Any = None, strict: bool = False) -> np.ndarray:
    """Weight of raters with ``u ≥ threshold`` (``>`` if strict) per alternative; NaN approves nothing."""
    a = np.asarray(values, dtype=float)
    n, m = a.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    out = np.zeros(m)
    for v in range(n):
        for c in range(m):
            x = a[v, c]
            if not math.isnan(x) and (x > threshold if strict else x >= threshold):
                out[c] += w[v]
    return out


# ------------------------------------------------------------------------------- welfare
def welfare_naive(U: Any, kind: str, *, weights: Any = None, p: float = 1.0) -> np.ndarray:
    """Welfare of each alternative of a utility matrix ``U[agent, alternative]``.

    ``kind``: ``"utilitarian"`` (weighted mean), ``"nash"`` (weighted geometric mean; 0 if any
    utility is 0, NaN if one is negative), ``"egalitarian"`` (minimum), ``"power_mean"``
    (weighted ``(Σ w u^p / Σ w)^(1/p)``; ``p = 0`` is the geometric mean, ``-inf`` the minimum).
    """
    a = np.asarray(U, dtype=float)
    n, m = a.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    W = sum(w)
    out = []
    for c in range(m):
        col = [a[i, c] for i in range(n)]
        if kind == "utilitarian":
            out.append(sum(w[i] * col[i] for i in range(n)) / W)
        elif kind == "egalitarian" or (kind == "power_mean" and p == -math.inf):
            out.append(min(col))
        elif kind == "nash" or (kind == "power_mean" and p == 0):
            if any(x < 0 for x in col):
                out.append(math.nan)
            elif any(x == 0 for x in col):
                out.append(0.0)
            else:
                out.append(math.exp(sum(w[i] * math.log(col[i]) for i in range(n)) / W))
        elif kind == "power_mean":
            out.append((sum(w[i] * col[i] ** p for i in range(n)) / W) ** (1.0 / p))
        else:
            raise ValueError(f"unknown kind {kind!r}")
    return np.array(out)


# ------------------------------------------------------------------------------- divergences
def divergence_naive(p: Sequence[float], q: Sequence[float], kind: str, *, base: float | None = None) -> float:
    """One divergence between two probability vectors, by its formula.

    ``kind``: ``"kl"`` (``Σ p log(p/q)``, 0 log 0 = 0, ``inf`` where ``p > 0 = q``),
    ``"jensen_shannon"`` (divergence, not distance), ``"total_variation"`` (``½ Σ |p − q|``),
    ``"hellinger"`` (``sqrt(½ Σ (√p − √q)²)``), ``"wasserstein_ordinal"`` (``Σ_k |P_k − Q_k|`` over
    cumulative sums, unit spacing).
    """
    P = [float(x) for x in p]
    Q = [float(x) for x in q]
    log = (lambda x: math.log(x)) if base is None else (lambda x: math.log(x) / math.log(base))

    def kl(a: list[float], b: list[float]) -> float:
        total = 0.0
        for x, y in zip(a, b):
            if x > 0:
                if y == 0:
                    return math.inf
                total += x * log(x / y)
        return total

    if kind == "kl":
        return kl(P, Q)
    if kind == "jensen_shannon":
        M = [(x + y) / 2 for x, y in zip(P, Q)]
        return 0.5 * kl(P, M) + 0.5 * kl(Q, M)
    if kind == "total_variation":
        return 0.5 * sum(abs(x - y) for x, y in zip(P, Q))
    if kind == "hellinger":
        return math.sqrt(0.5 * sum((math.sqrt(x) - math.sqrt(y)) ** 2 for x, y in zip(P, Q)))
    if kind == "wasserstein_ordinal":
        cp = cq = 0.0
        total = 0.0
        for x, y in zip(P[:-1], Q[:-1]):
            cp += x
            cq += y
            total += abs(cp - cq)
        return total
    raise ValueError(f"unknown kind {kind!r}")
