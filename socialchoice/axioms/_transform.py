"""The transformations of one profile (lifts, removals, splits, replacements, extensions,
clone and Smith-set deletions, replication, voter and candidate relabellings, reversal, added
ballots), their batched evaluation, the search for a relational violation on one profile, and
the replay of stored ordinal witnesses (registered with ``_results.REPLAYERS``)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..profiles import Rankings
from . import _results as _results_module
from ._judge import judge
from ._predicates import smith_mask, support
from ._results import Witness
from ._rule import Outcomes, RuleAdapter
from ._space import LETTERS, ballot_str, domain, one_step_lifts


def _relabelings(m: int):
    """Every permutation of ``range(m)`` but the identity, as arrays."""
    for pi in itertools.permutations(range(m)):
        if pi != tuple(range(m)):
            yield np.array(pi)


def _witness_from(axiom, adapter, profiles, outs, data, reason) -> Witness:
    prob = adapter.probabilistic
    return Witness(
        axiom=axiom, rule=adapter.name, profiles=tuple(profiles), transformation=data,
        outcomes=tuple(tuple(int(i) for i in np.flatnonzero(o.mask[0])) for o in outs),
        lotteries=None if not prob else tuple(tuple(float(x) for x in o.lottery[0]) for o in outs),
        explanation=reason,
    )


def _prof(ranks: np.ndarray, weights=None) -> Rankings:
    return Rankings(np.asarray(ranks, dtype=np.int64), weights)


def _delete(ranks: np.ndarray, k: int) -> np.ndarray:
    """Ranks (..., n, m) with candidate ``k`` deleted, levels renormalised (ties kept)."""
    r = np.delete(ranks, k, axis=-1).astype(np.int16)
    lv = np.where(r < 0, 10_000, r)
    # dense re-levelling: level = number of distinct smaller ranked levels
    less = (lv[..., :, None] > lv[..., None, :]) & (r[..., None, :] >= 0)
    # count distinct values below: use sort-unique per row via comparison of first occurrences
    m = r.shape[-1]
    first = np.ones(r.shape + (m,), bool)
    same = lv[..., :, None] == lv[..., None, :]
    tri = np.tril(np.ones((m, m), bool), -1)
    dup = (same & tri).any(-1)  # an earlier column has the same level
    contrib = less & ~dup[..., None, :]
    out = contrib.sum(-1).astype(np.int8)
    del first
    return np.where(r < 0, -1, out).astype(np.int8)


def transformations_of(axiom: str, ranks: np.ndarray, weights: np.ndarray | None,
                       out0: Outcomes, ballots: str, opts: dict, *, adapter: RuleAdapter,
                       max_splits: int = 2000) -> list[tuple[list, list, dict]]:
    """The transformations of one profile (ranks (n, m)): a list of
    ``(list of transformed ranks, list of weights, data)``. Weighted profiles (one row per ballot
    type with a weight) are treated as multisets of their rows with those weights."""
    n, m = ranks.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    M0 = out0.mask[0]
    res = []
    L = LETTERS

    def lift_vectors(r, x):
        return one_step_lifts(r, x, join_block=ballots != "linear")

    def one_ballot(i, newrow, wt=1.0):
        """Profile with one unit of ballot i replaced by newrow."""
        rr = np.concatenate([ranks, newrow[None]], 0)
        ww = np.concatenate([w, [wt]])
        ww[i] -= wt
        keep = ww > 0
        return rr[keep], ww[keep]

    uniq = list(dict.fromkeys(range(n)))
    if axiom == "monotonicity":
        xs = range(m) if adapter.probabilistic else np.flatnonzero(M0)
        for i in uniq:
            for x in xs:
                if adapter.probabilistic and out0.lottery[0][x] <= 0:
                    continue
                for q in lift_vectors(ranks[i], int(x)):
                    rr, ww = one_ballot(i, q.astype(np.int8), min(1.0, w[i]))
                    res.append(([rr], [ww], {"kind": "lift", "x": int(x), "ballot": ranks[i].tolist(),
                                             "lifted": q.tolist(),
                                             "description": f"raise {L[x]} by one position on one "
                                                            f"ballot {ballot_str(ranks[i])}"}))
    elif axiom == "participation":
        for i in uniq:
            wt = min(1.0, w[i])
            ww = w.copy()
            ww[i] -= wt
            keep = ww > 0
            if not keep.any():
                continue
            res.append(([ranks[keep]], [ww[keep]], {
                "kind": "remove", "ballot": ranks[i].tolist(),
                "description": f"remove one ballot {ballot_str(ranks[i])} (P1 = P minus that voter)"}))
    elif axiom == "reinforcement":
        counts = w
        if not np.allclose(counts, np.round(counts)):
            return res
        cnt = np.round(counts).astype(int)
        total = int(np.prod(cnt + 1))
        for code in range(1, total - 1):
            if code > total - 1 - code or len(res) >= max_splits:
                continue
            x, digits = code, []
            for c in cnt:
                digits.append(x % (c + 1))
                x //= c + 1
            sub = np.array(digits, float)
            k1, k2 = sub > 0, (cnt - sub) > 0
            res.append(([ranks[k1], ranks[k2]], [sub[k1], (cnt - sub)[k2]],
                        {"kind": "split", "sizes": [int(sub.sum()), int((cnt - sub).sum())],
                         "description": "split the electorate into P1 and P2"}))
    elif axiom == "iia":
        dom = domain(m, ballots) if m <= 6 else None
        if dom is None:
            return res
        for x in np.flatnonzero(M0):
            for y in np.flatnonzero(~M0):
                repl = dom.same_pair(int(x), int(y))
                # group equal rows: replace 1..all copies of one ballot type
                rows_of: dict = {}
                for i in uniq:
                    rows_of.setdefault(ranks[i].tobytes(), []).append(i)
                for rows_t in rows_of.values():
                    i = rows_t[0]
                    t = dom.lookup(ranks[i])
                    if t < 0:
                        continue
                    tot = float(w[rows_t].sum())
                    amounts = sorted({float(a) for a in range(1, int(tot) + 1)} | {tot})
                    for t2 in repl[t]:
                        if t2 < 0:
                            continue
                        for amt in amounts:
                            rr = np.concatenate([ranks, dom.types[t2][None]], 0)
                            ww = np.concatenate([w, [amt]])
                            left = amt
                            for j in rows_t:
                                d_ = min(left, ww[j])
                                ww[j] -= d_
                                left -= d_
                            keep = ww > 0
                            k = "one ballot" if amt == 1 else f"{amt:g} ballots"
                            res.append(([rr[keep]], [ww[keep]], {
                                "kind": "replace", "x": int(x), "y": int(y),
                                "description": f"replace {k} {ballot_str(ranks[i])} by "
                                               f"{ballot_str(dom.types[t2])}, keeping "
                                               f"{L[x]} vs {L[y]}"}))
    elif axiom in ("later_no_harm", "later_no_help"):
        for i in uniq:
            r = ranks[i]
            unr = np.flatnonzero(r < 0)
            if not len(unr):
                continue
            top = r.max()
            for kk in range(1, len(unr) + 1):
                for seq in itertools.permutations(unr.tolist(), kk):
                    q = r.astype(np.int64).copy()
                    q[list(seq)] = top + 1 + np.arange(kk)
                    if (q < 0).sum() == 1:
                        q[q < 0] = q.max() + 1
                    rr, ww = one_ballot(i, q.astype(np.int8), min(1.0, w[i]))
                    for x in np.flatnonzero(r >= 0):
                        res.append(([rr], [ww], {"kind": "extend", "x": int(x),
                                                 "description": f"extend one ballot "
                                                 f"{ballot_str(r)} to {ballot_str(q)}"}))
    elif axiom == "independence_of_clones":
        for size in range(2, m):
            for Kset in itertools.combinations(range(m), size):
                if not _is_clone_set(ranks[w > 0], Kset):
                    continue
                for k in Kset:
                    labels = [L[c] for c in range(m) if c != k]
                    res.append(([_delete(ranks, k)], [w], {
                        "kind": "delete_clone", "clones": list(Kset), "deleted": int(k),
                        "labels": [None, labels],
                        "description": f"{{{', '.join(L[c] for c in Kset)}}} is a set of clones; "
                                       f"delete the clone {L[k]}"}))
    elif axiom == "isda":
        sm = smith_mask(support(ranks[None], w[None]))[0]
        for z in np.flatnonzero(~sm):
            labels = [L[c] for c in range(m) if c != z]
            res.append(([_delete(ranks, int(z))], [w], {
                "kind": "delete", "deleted": int(z), "labels": [None, labels],
                "description": f"delete {L[z]}, which is outside the Smith set"}))
    elif axiom == "homogeneity":
        for k in (2, 3):
            res.append(([np.tile(ranks, (k, 1))], [np.tile(w, k)],
                        {"kind": "replicate", "k": k,
                         "description": f"replace every ballot by {k} copies"}))
    elif axiom == "anonymity":
        for perm in (np.arange(n)[::-1], np.roll(np.arange(n), 1)):
            if n > 1:
                res.append(([ranks[perm]], [w[perm]], {"kind": "permute_voters",
                                                      "perm": perm.tolist(),
                                                      "description": "reorder the voters"}))
    elif axiom == "neutrality":
        for pi in _relabelings(m):
            r2 = np.empty_like(ranks)
            r2[:, pi] = ranks
            res.append(([r2], [w], {"kind": "relabel", "perm": pi.tolist(),
                                    "description": "relabel candidate c as " + ", ".join(
                                        f"{L[c]}->{L[pi[c]]}" for c in range(m))}))
    elif axiom == "reversal_symmetry":
        r = ranks.astype(np.int64)
        mx = np.where(r >= 0, r, -1).max(-1, keepdims=True)
        has = (r < 0).any(-1, keepdims=True)
        rev = np.where(r < 0, 0, mx - r + has)
        res.append(([rev.astype(np.int8)], [w], {"kind": "reverse",
                                                 "description": "reverse every ballot"}))
    elif axiom == "resolvability":
        if M0.sum() >= 2:
            dom = domain(m, ballots)
            for x in np.flatnonzero(M0):
                rr = [np.concatenate([ranks, dom.types[t][None]], 0) for t in range(dom.B)]
                ww = [np.concatenate([w, [1.0]]) for _ in range(dom.B)]
                res.append((rr, ww, {"kind": "add_any", "x": int(x),
                                     "description": f"add any one ballot (all {dom.B} tried)"}))
    return res


def _is_clone_set(ranks: np.ndarray, Kset) -> bool:
    m = ranks.shape[-1]
    inK = np.zeros(m, bool)
    inK[list(Kset)] = True
    lv = np.where(ranks < 0, 10_000, ranks)
    lo, hi = lv[:, inK].min(1), lv[:, inK].max(1)
    z = lv[:, ~inK]
    between = (z > lo[:, None]) & (z < hi[:, None])
    tied = ((z == lo[:, None]) | (z == hi[:, None])) & (lo != hi)[:, None]
    return not (between | tied).any()


def evaluate_transformed(adapter: RuleAdapter, items) -> list[list[Outcomes]]:
    """Evaluate every transformed profile of ``items`` (from :func:`transformations_of`),
    grouped by shape into batched rule calls."""
    groups: dict[tuple, list] = {}
    for a, (rl, wl, _d) in enumerate(items):
        for b, (r, w) in enumerate(zip(rl, wl)):
            groups.setdefault(r.shape, []).append((a, b, r, w))
    outs: list[list] = [[None] * len(it[0]) for it in items]
    for _shape, lst in groups.items():
        R = np.stack([x[2] for x in lst]).astype(np.int8)
        W = np.stack([x[3] for x in lst]).astype(float)
        if np.all(W == 1.0):
            W = None
        o = adapter(R, W)
        for j, (a, b, _r, _w) in enumerate(lst):
            outs[a][b] = o.take(slice(j, j + 1))
    return outs


def relational_violation(axiom, adapter, ranks, weights, out0, ballots, opts, *, first=True,
                         max_splits=2000):
    """Search the transformations of one profile; the first (or every) witness."""
    items = transformations_of(axiom, ranks, weights, out0, ballots, opts, adapter=adapter,
                               max_splits=max_splits)
    if not items:
        return []
    outs = evaluate_transformed(adapter, items)
    found = []
    p0 = _prof(ranks, weights)
    for (rl, wl, data), o in zip(items, outs):
        profs = [p0] + [_prof(r, None if np.all(w == 1) else w) for r, w in zip(rl, wl)]
        allo = [out0] + o
        reason = judge(axiom, profs, allo, data, adapter.probabilistic, opts)
        if reason:
            if axiom == "resolvability":  # store P and P + b for the best b only (short witness)
                profs, allo = profs[:2], allo[:2]
            found.append(_witness_from(axiom, adapter, profs, allo, data, reason))
            if first:
                break
    return found


def replay(w: Witness, rule: Any) -> bool:
    from . import info

    adapter = RuleAdapter(rule)
    spec = info(w.axiom).meta
    opts = dict(w.transformation.get("options", {}))
    outs = [adapter(np.asarray(p.ranks)[None], None if p.weights is None
                    else np.asarray(p.weights)[None]) for p in w.profiles]
    if w.axiom == "resolvability":
        # re-search every added ballot (the witness stores one of them)
        return bool(relational_violation("resolvability", adapter, np.asarray(w.profiles[0].ranks),
                                         w.profiles[0].weights, outs[0],
                                         w.transformation.get("ballots", "linear"), opts))
    del spec
    return judge(w.axiom, list(w.profiles), outs, w.transformation, adapter.probabilistic,
                 opts) is not None


_results_module.REPLAYERS["ordinal"] = replay
