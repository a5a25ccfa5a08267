"""All anonymous profiles of one size as ranks of multisets of ballot types, with the rule's
outcome table and the IIA partner table of each electorate size, built lazily in chunks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._kernels import axioms as K
from ._rule import Outcomes, RuleAdapter
from ._space import domain

CHUNK = 1 << 16


@dataclass
class _Space:
    """All profiles with ``m`` candidates of one domain, and lazily built outcome tables."""

    adapter: RuleAdapter
    m: int
    ballots: str
    canon: bool

    def __post_init__(self):
        self.dom = domain(self.m, self.ballots)
        self.tables: dict[int, np.ndarray] = {}
        self.N: dict[int, np.ndarray] = {}
        self.partners: dict[int, np.ndarray] = {}
        self.n_evaluated = 0
        lv = np.where(self.dom.types < 0, 10_000, self.dom.types.astype(np.int64))
        #: strict[t, x, y]: ballot type t ranks x above y
        self.strict = lv[:, :, None] < lv[:, None, :]

    def counts(self, n: int) -> np.ndarray:
        if n not in self.N:
            self.N[n] = K.count_table(self.dom.B, n)
        return self.N[n]

    def enum(self, n: int, start: int, stop: int) -> np.ndarray:
        out = np.empty((stop - start, n), dtype=np.int64)
        K.enumerate_multisets(self.dom.B, n, start, out)
        return out

    def canonical(self, idx: np.ndarray) -> np.ndarray:
        keep = np.empty(idx.shape[0], dtype=np.bool_)
        K.canonical_mask(idx, self.dom.perm_maps, keep)
        return keep

    def ranks(self, idx: np.ndarray) -> np.ndarray:
        return self.dom.types[idx]

    def evaluate(self, idx: np.ndarray) -> Outcomes:
        self.n_evaluated += idx.shape[0]
        return self.adapter(self.ranks(idx))

    def pair_counts(self, idx: np.ndarray) -> np.ndarray:
        """``(len, m, m)``: ballots of each profile ranking x strictly above y."""
        return self.strict[idx].sum(1)

    def iia_partners(self, n: int) -> np.ndarray:
        """``partner[x, y, a, b]``: the smallest rank of a size-``n`` profile with ``a`` ballots
        ``x > y`` and ``b`` ballots ``y > x`` on which ``y`` wins and ``x`` does not; the rank
        count (no profile) where there is none. Every profile with the same restriction to
        ``{x, y}`` as a given one, up to the voters' order, has the same ``(a, b)``."""
        if n in self.partners:
            return self.partners[n]
        m, tab = self.m, self.table(n) > 0
        total = tab.shape[0]
        part = np.full((m, m, (n + 1) * (n + 1)), total, np.int64)
        for s in range(0, total, CHUNK):
            e = min(total, s + CHUNK)
            S = self.pair_counts(self.enum(n, s, e))
            for x in range(m):
                for y in range(m):
                    if x == y:
                        continue
                    sel = np.flatnonzero(tab[s:e, y] & ~tab[s:e, x])
                    if len(sel):
                        key = S[sel, x, y] * (n + 1) + S[sel, y, x]
                        np.minimum.at(part[x, y], key, s + sel)
        self.partners[n] = part.reshape(m, m, n + 1, n + 1)
        return self.partners[n]

    def table(self, n: int) -> np.ndarray:
        """Values (0/1 masks or lotteries) of every profile of size ``n``, by rank."""
        if n in self.tables:
            return self.tables[n]
        total = self.dom.count(n)
        prob = self.adapter.probabilistic
        tab = np.zeros((total, self.m), dtype=np.float64 if prob else np.float32)
        N = self.counts(n)
        for s in range(0, total, CHUNK):
            idx = self.enum(n, s, min(total, s + CHUNK))
            if self.adapter.neutral:
                keep = self.canonical(idx)
                sub = idx[keep]
                vals = self.evaluate(sub).values.astype(tab.dtype)
                K.expand_table(sub, vals, self.dom.perm_maps, self.dom.cand_perms, self.dom.B, N,
                               tab)
            else:
                tab[s:s + idx.shape[0]] = self.evaluate(idx).values
        self.tables[n] = tab
        return tab
