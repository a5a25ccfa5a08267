"""The exhaustive driver: every anonymous profile up to the bounds, smallest electorates first
(so the first witness is minimal), in chunks with progress and a time limit; the flagged
profiles are confirmed by the judge (docs/axioms.md §6)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import SizeLimitError
from ._judge import judge
from ._predicates import NOT_NEUTRAL, RELATIONAL_DIRECT, SINGLE
from ._results import Witness
from ._rule import RuleAdapter
from ._scan import _scan
from ._space import LETTERS, domain
from ._tables import CHUNK, _Space
from ._transform import _prof, _witness_from, relational_violation

#: most profiles the exhaustive method visits before asking for method="random"
MAX_PROFILES = 60_000_000


class _Found(Exception):
    pass


# ============================================================================ exhaustive driver
def exhaustive(axiom: str, adapter: RuleAdapter, *, max_candidates: int, max_voters: int,
               ballots: str, find: str, progress, time_limit, opts: dict,
               min_m: int = 2) -> tuple[Witness | None, dict]:
    from .._chunks import run_chunked

    t0 = time.perf_counter()
    prob = adapter.probabilistic
    canon = adapter.neutral and axiom not in NOT_NEUTRAL
    sizes = [(m, n) for n in range(1, max_voters + 1) for m in range(min_m, max_candidates + 1)]
    if axiom in ("participation", "reinforcement"):
        sizes = [(m, n) for m, n in sizes if n >= 2]
    if axiom == "resolvability":
        sizes = [(m, n) for m, n in sizes if n < max_voters]
    total = sum(domain(m, ballots).count(n) for m, n in sizes)
    if total > MAX_PROFILES:
        raise SizeLimitError(
            f"`max_voters`={max_voters}, `max_candidates`={max_candidates} with {ballots} ballots "
            f"means {total:,} anonymous profiles (limit {MAX_PROFILES:,}); lower the bounds or use "
            "method='random'"
        )
    spaces = {m: _Space(adapter, m, ballots, canon) for m in range(min_m, max_candidates + 1)}
    tasks = []
    for m, n in sizes:
        cnt = domain(m, ballots).count(n)
        for s in range(0, cnt, CHUNK):
            tasks.append((m, n, s, min(cnt, s + CHUNK)))
    stats: dict[str, Any] = {"n_transformations": 0, "violations": {}}
    best: dict[tuple, list] = {}
    state = {"stop_size": None}

    def work(a, b):
        for (m, n, s, e) in tasks[a:b]:
            if state["stop_size"] is not None and (n, m) > state["stop_size"]:
                raise _Found
            sp = spaces[m]
            idx = sp.enum(n, s, e)
            keep = sp.canonical(idx) if canon else np.ones(len(idx), bool)
            base = idx[keep]
            if not len(base):
                continue
            bad_rows, row_data = _scan(axiom, sp, n, s, keep, base, prob, opts, stats, find)
            if len(bad_rows):
                key = (m, n)
                if find == "all":
                    mult = _orbit_sizes(sp, base[bad_rows]) if canon else np.ones(len(bad_rows))
                    stats["violations"][key] = stats["violations"].get(key, 0) + int(mult.sum())
                best.setdefault(key, []).extend(
                    (base[r], d) for r, d in zip(bad_rows[:50], row_data[:50]))
                if find == "first" and state["stop_size"] is None:
                    state["stop_size"] = (n, m)
        return None

    try:
        run_chunked(work, len(tasks), chunk=1, progress=progress, time_limit=time_limit,
                    desc=f"{axiom}")
    except _Found:
        pass
    witness = None
    for (m, n) in sorted(best, key=lambda k: (k[1], k[0])):
        sp = spaces[m]
        cands = sorted(best[(m, n)], key=lambda it: (len(np.unique(it[0])), tuple(it[0])))
        for idx, data in cands:
            witness = _confirm(axiom, adapter, sp, idx, data, ballots, opts)
            if witness is not None:
                break
        if witness is not None:
            break
        raise RuntimeError(  # a fast path disagreed with the judge: never a silent answer
            f"internal error: the {axiom} scan flagged profiles the judge does not confirm")
    searched = {
        "method": "exhaustive", "ballots": ballots, "max_candidates": max_candidates,
        "max_voters": max_voters,
        "sizes": [(m, n) for m, n in sizes if (state["stop_size"] is None or (n, m) <= state["stop_size"])],
        "n_profiles": int(sum(domain(m, ballots).count(n) for m, n in sizes
                              if state["stop_size"] is None or (n, m) <= state["stop_size"])),
        "n_evaluated": int(sum(sp.n_evaluated for sp in spaces.values())
                           + (stats["n_transformations"] if axiom in RELATIONAL_DIRECT else 0)),
        "n_transformations": int(stats["n_transformations"]),
        "elapsed": time.perf_counter() - t0, "canonical": canon,
    }
    if find == "all":
        searched["violations"] = dict(stats["violations"])
    return witness, searched


def _orbit_sizes(sp: _Space, idx: np.ndarray) -> np.ndarray:
    out = np.empty(len(idx))
    pm = sp.dom.perm_maps
    for k, row in enumerate(idx):
        seen = {tuple(np.sort(pm[p, row])) for p in range(pm.shape[0])}
        out[k] = len(seen)
    return out


def _confirm(axiom, adapter, sp, idx, data, ballots, opts) -> Witness | None:
    ranks = sp.ranks(idx)
    out0 = adapter(ranks[None])
    if axiom in SINGLE:
        p = _prof(ranks)
        reason = judge(axiom, [p], [out0], {}, adapter.probabilistic, opts)
        if reason is None:
            return None
        return _witness_from(axiom, adapter, [p], [out0], {"kind": "none", "ballots": ballots,
                                                          "options": opts}, reason)
    if axiom == "iia" and data is not None:
        x, y, partner = data
        n = ranks.shape[0]
        r1 = sp.ranks(sp.enum(n, partner, partner + 1)[0])
        out1 = adapter(r1[None])
        L = LETTERS
        tr = {"kind": "replace_profile", "x": int(x), "y": int(y), "ballots": ballots,
              "options": opts,
              "description": f"replace the ballots by others that order {L[x]} and {L[y]} as "
                             "before (the same number of voters on each side)"}
        p0, p1 = _prof(ranks), _prof(r1)
        reason = judge(axiom, [p0, p1], [out0, out1], tr, adapter.probabilistic, opts)
        if reason is None:
            return None
        return _witness_from(axiom, adapter, [p0, p1], [out0, out1], tr, reason)
    found = relational_violation(axiom, adapter, ranks, None, out0, ballots, opts, first=False,
                                 max_splits=10**6)
    if not found:
        return None
    # prefer the transformation the scan flagged when several exist; else the first
    w = found[0]
    tr = dict(w.transformation)
    tr["ballots"] = ballots
    tr["options"] = opts
    return Witness(w.axiom, w.rule, w.profiles, tr, w.outcomes, w.lotteries, w.explanation)
