"""Obviously correct reference implementations of the container conversions.

Each function is a direct transcription of its definition in spec/rules.md §1, in plain Python
loops over ballots and candidates: slow, but short enough to check by eye. The package's Numba
kernels are tested against them (``tests/test_profiles_properties.py``); users can do the same
for their own statistics.

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
]


def support_naive(ranks: Any, weights: Any = None) -> np.ndarray:
    """``S[x, y] = Σ_v w_v [x ≻_v y]`` (spec/rules.md §1.3) by a double loop per ballot.

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
    """Pairwise records -> support matrices (spec/rules.md §1.3), row by row.

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
