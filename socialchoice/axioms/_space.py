"""Ballot domains and the anonymous profile space (docs/axioms.md §6.1).

A :class:`Domain` lists the admissible ballot types for ``m`` candidates as rank vectors
(0 = best, equal levels = ties, -1 = unranked) and the type tables the transformations use:
relabellings, one-position lifts, extensions of truncated ballots, clone-set membership.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from ..errors import SizeLimitError, ValidationError

BALLOTS = ("linear", "truncated", "weak")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _normalise(r: np.ndarray) -> np.ndarray:
    """Levels made consecutive from 0; a single unranked candidate is ranked last."""
    r = np.asarray(r, dtype=np.int64).copy()
    if (r == -1).sum() == 1 and len(r) > 1:
        r[r == -1] = r.max() + 1
    ranked = np.unique(r[r >= 0])
    out = np.full(len(r), -1, dtype=np.int64)
    for lvl, v in enumerate(ranked):
        out[r == v] = lvl
    return out


def _weak_orders(m: int) -> list[tuple[int, ...]]:
    out = set()
    for levels in itertools.product(range(m), repeat=m):
        out.add(tuple(_normalise(np.array(levels))))
    return sorted(out, key=lambda r: (max(r), r))


def one_step_lifts(r: np.ndarray, x: int, *, join_block: bool = True) -> list[np.ndarray]:
    """The one-step improvements of candidate ``x`` on ballot ``r`` (levels, -1 = unranked):
    swap with the single candidate just above, join the block above (``join_block``; not in
    the linear domain), or leave its tied block upwards; an unranked ``x`` becomes ranked
    last. Any lift is a chain of these. Unranked candidates other than ``x`` stay unranked."""
    m = r.shape[0]
    lv = np.where(r < 0, m + 1, r).astype(np.int64)
    cands = []
    above = lv[lv < lv[x]]
    mates = int((lv == lv[x]).sum()) - 1
    if above.size and mates == 0:
        a = above.max()
        blk = np.flatnonzero(lv == a)
        if len(blk) == 1:
            q = lv.copy()
            q[blk[0]], q[x] = lv[x], a
            cands.append(q)
        if join_block:
            q = lv.copy()
            q[x] = a
            cands.append(q)
    if mates > 0:
        q = 2 * lv
        q[x] = 2 * lv[x] - 1
        cands.append(q)
    rest = [c for c in np.flatnonzero(r < 0) if c != x]
    for q in cands:
        if rest:
            q[rest] = -1
    return cands


class Domain:
    """The ballot types of one domain (``"linear"``, ``"truncated"``, ``"weak"``) for ``m``."""

    def __init__(self, m: int, ballots: str) -> None:
        self.m = m
        self.ballots = ballots
        types: list[tuple[int, ...]] = []
        perms = list(itertools.permutations(range(m)))
        for order in perms:  # complete linear ballots first
            r = np.empty(m, dtype=np.int64)
            r[list(order)] = np.arange(m)
            types.append(tuple(r))
        if ballots == "truncated":
            for k in range(1, m - 1):
                for top in itertools.permutations(range(m), k):
                    r = np.full(m, -1, dtype=np.int64)
                    r[list(top)] = np.arange(k)
                    types.append(tuple(r))
        elif ballots == "weak":
            lin = set(types)
            types += [t for t in _weak_orders(m) if t not in lin]
        self.types = np.array(types, dtype=np.int8).reshape(len(types), m)
        self.index = {t: i for i, t in enumerate(types)}
        self.B = len(types)
        self.cand_perms = np.array(perms, dtype=np.int64).reshape(len(perms), m)
        pm = np.empty((len(perms), self.B), dtype=np.int64)
        for p, pi in enumerate(perms):
            for t, r in enumerate(types):
                r2 = np.empty(m, dtype=np.int64)
                r2[list(pi)] = r
                pm[p, t] = self.index[tuple(r2)]
        self.perm_maps = pm

    # ------------------------------------------------------------------ type tables
    def lookup(self, r) -> int:
        return self.index.get(tuple(_normalise(np.asarray(r))), -1)

    @functools.cached_property
    def lifts(self) -> np.ndarray:
        """``lifts[t, x, j]``: one-step improvements of ``x`` on type ``t`` inside the domain
        (swap with the single candidate just above, join the block above, leave its block
        upwards; an unranked ``x`` becomes ranked last). Any lift is a chain of these."""
        m = self.m
        out = np.full((self.B, m, 3), -1, dtype=np.int64)
        for t, r0 in enumerate(self.types.astype(np.int64)):
            for x in range(m):
                j = 0
                for r in one_step_lifts(r0, x):
                    k = self.lookup(r)
                    if k >= 0 and k != t and k not in out[t, x, :j]:
                        out[t, x, j] = k
                        j += 1
        return out

    @functools.cached_property
    def extensions(self) -> np.ndarray:
        """``ext[t, j]``: the truncated ballots that extend ``t`` (rank more candidates below)."""
        rows = []
        for r0 in self.types.astype(np.int64):
            ext = []
            unr = np.flatnonzero(r0 < 0)
            top = r0.max()
            for k in range(1, len(unr) + 1):
                for seq in itertools.permutations(unr.tolist(), k):
                    r = r0.copy()
                    r[list(seq)] = top + 1 + np.arange(k)
                    i = self.lookup(r)
                    if i >= 0:
                        ext.append(i)
            rows.append(sorted(set(ext)))
        width = max(1, max(len(e) for e in rows))
        out = np.full((self.B, width), -1, dtype=np.int64)
        for t, e in enumerate(rows):
            out[t, :len(e)] = e
        return out

    def same_pair(self, x: int, y: int) -> np.ndarray:
        """``repl[t, j]``: the other types ordering ``{x, y}`` as ``t`` does."""
        T = self.types.astype(np.int64)
        lv = np.where(T < 0, self.m + 1, T)
        rel = np.sign(lv[:, x] - lv[:, y])
        rows = [np.flatnonzero((rel == rel[t]) & (np.arange(self.B) != t)) for t in range(self.B)]
        width = max(1, max(len(e) for e in rows))
        out = np.full((self.B, width), -1, dtype=np.int64)
        for t, e in enumerate(rows):
            out[t, :len(e)] = e
        return out

    @functools.cached_property
    def clone_sets(self) -> tuple[np.ndarray, np.ndarray]:
        """``(subsets (S, m) bool, ok (B, S) bool)``: which candidate sets ``K`` (2 <= |K| < m)
        are clone sets on each ballot type (docs/axioms.md §3)."""
        m = self.m
        subs = [s for k in range(2, m) for s in itertools.combinations(range(m), k)]
        S = np.zeros((len(subs), m), dtype=bool)
        for i, s in enumerate(subs):
            S[i, list(s)] = True
        T = self.types.astype(np.int64)
        lv = np.where(T < 0, m + 1, T)
        ok = np.ones((self.B, len(subs)), dtype=bool)
        for t in range(self.B):
            for i in range(len(subs)):
                inK = S[i]
                lo, hi = lv[t, inK].min(), lv[t, inK].max()
                for z in np.flatnonzero(~inK):
                    if lo < lv[t, z] < hi:
                        ok[t, i] = False
                    elif lv[t, z] in (lo, hi) and lo != hi:
                        ok[t, i] = False
        return S, ok

    def count(self, n: int) -> int:
        return math.comb(self.B + n - 1, n)

    def label(self, t: int) -> str:
        return ballot_str(self.types[t])


def ballot_str(r) -> str:
    """``a>b~c>d`` for a rank vector (``~`` = tie, unranked candidates omitted)."""
    r = np.asarray(r)
    levels = sorted(set(int(v) for v in r if v >= 0))
    return ">".join("~".join(LETTERS[c] for c in np.flatnonzero(r == lv)) for lv in levels)


@functools.lru_cache(maxsize=32)
def domain(m: int, ballots: str) -> Domain:
    if ballots not in BALLOTS:
        raise ValidationError(f"`ballots`={ballots!r}; pass one of {', '.join(BALLOTS)}")
    if m < 2 or m > 6:
        raise SizeLimitError(f"`max_candidates`: exhaustive search handles 2..6 candidates, got {m}")
    return Domain(m, ballots)


def space_size(m: int, n: int, ballots: str) -> int:
    return domain(m, ballots).count(n) if m <= 6 else 0
