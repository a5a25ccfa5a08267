"""The fast paths of the exhaustive search: the violating profiles of one chunk of canonical
profiles, from outcome tables (monotonicity, participation, reinforcement, IIA, later-no-harm/
help, resolvability) or from batched rule calls on the transformed batch (clones, ISDA,
homogeneity, anonymity, neutrality, reversal symmetry). The judge confirms every hit."""

from __future__ import annotations

import itertools

import numpy as np

from .._kernels import axioms as K
from ..errors import ValidationError
from ._judge import TOL
from ._predicates import RELATIONAL_TABLE, SINGLE, smith_mask, support
from ._rule import RuleAdapter
from ._tables import _Space
from ._transform import _delete, _relabelings


def _scan(axiom, sp: _Space, n, start, keep, base, prob, opts, stats, find):
    """Violating rows of ``base`` (canonical profiles of one chunk) and per-row data."""
    ad = sp.adapter
    if axiom in SINGLE:
        out = sp.evaluate(base)
        ranks = sp.ranks(base)
        w = np.ones(ranks.shape[:-1])
        bad = SINGLE[axiom](ranks, w, out, **opts)
        rows = np.flatnonzero(bad)
        return rows, [None] * len(rows)
    if axiom in RELATIONAL_TABLE:
        m = sp.m
        if axiom == "resolvability":
            vals = sp.table(n)[start:start + len(keep)][keep]
            tab1 = sp.table(n + 1)
            N1 = sp.counts(n + 1)
            mask = vals > 0
            tie = mask.sum(-1) >= 2
            tied_rows: list[int] = []
            for r in np.flatnonzero(tie):
                row = base[r]
                ok = np.zeros(m, bool)
                for t in range(sp.dom.B):
                    seq = np.sort(np.append(row, t))
                    o = tab1[K.multiset_rank(seq, sp.dom.B, N1)] > 0
                    if o.sum() == 1:
                        ok |= o
                stats["n_transformations"] += sp.dom.B
                if (mask[r] & ~ok).any():
                    tied_rows.append(int(r))
            return np.array(tied_rows, dtype=np.int64), [None] * len(tied_rows)
        tab = sp.table(n)
        vals = tab[start:start + len(keep)][keep].astype(np.float64)
        N = sp.counts(n)
        B = sp.dom.B
        if axiom == "iia":
            # Arrow's form over *every* P' with the same restriction to {x, y}: for anonymous
            # profiles that is every profile of the size with the same counts of x > y and
            # y > x ballots, so one lookup per (row, x, y) in a table of the whole size
            part = sp.iia_partners(n)
            total = tab.shape[0]
            win = vals > 0
            S = sp.pair_counts(base)
            partner_of: dict[int, tuple] = {}
            for x in range(m):
                for y in range(m):
                    if x == y:
                        continue
                    sel = np.flatnonzero(win[:, x] & ~win[:, y])
                    stats["n_transformations"] += len(sel)
                    if not len(sel):
                        continue
                    q = part[x, y, S[sel, x, y], S[sel, y, x]]
                    for r, p_ in zip(sel[q < total], q[q < total]):
                        partner_of.setdefault(int(r), (x, y, int(p_)))
            rows = np.array(sorted(partner_of), dtype=np.int64)
            return rows, [partner_of[int(r)] for r in rows]
        if axiom == "monotonicity":
            cap = len(base)
            rows = np.empty(cap, np.int64)
            info = np.empty((cap, 3), np.int64)
            found, ntr = K.monotonicity_scan(base, vals, sp.dom.lifts, B, N, tab, prob, rows, info)
            stats["n_transformations"] += ntr
            return rows[:min(found, cap)], [None] * min(found, cap)
        if axiom == "participation":
            cap = len(base) * n
            r_out = np.empty(cap, np.int64)
            which = np.empty((cap, 2), np.int64)
            c = K.removal_scan(base, B, sp.counts(n - 1), r_out, which)
            stats["n_transformations"] += c
            small = sp.table(n - 1)[r_out[:c]].astype(np.float64)
            big = vals[which[:c, 0]]
            b = sp.dom.types[which[:c, 1]].astype(np.int64)
            lv = np.where(b < 0, 10_000, b)
            if prob:
                # removal (P = Q - b) SD-better for b than Q
                upper = lv[:, :, None] <= lv[:, None, :]  # (c, y, x): y weakly above x
                cp = np.einsum("cy,cyx->cx", small, upper)
                cq = np.einsum("cy,cyx->cx", big, upper)
                bad = (cp >= cq - TOL).all(-1) & (cp > cq + TOL).any(-1)
            elif opts.get("set_preference", "single-winner") == "weak_dominance":
                fP, fQ = small > 0, big > 0
                ge = lv[:, :, None] <= lv[:, None, :]  # a weakly above c
                gt = lv[:, :, None] < lv[:, None, :]
                pair = fP[:, :, None] & fQ[:, None, :]
                bad = (ge | ~pair).all((1, 2)) & (gt & pair).any((1, 2))
            else:
                fP, fQ = small > 0, big > 0
                single = (fP.sum(-1) == 1) & (fQ.sum(-1) == 1)
                x = np.argmax(fP, -1)
                y = np.argmax(fQ, -1)
                ar = np.arange(c)
                bad = single & (lv[ar, x] < lv[ar, y])
            rows = np.unique(which[:c, 0][bad])
            return rows, [None] * len(rows)
        if axiom == "reinforcement":
            Ns = np.zeros((n + 1, B + 1, n + 1), np.int64)
            for k in range(n + 1):
                Ns[k, :, :k + 1] = sp.counts(k)
            cap = len(base) * (2 ** n)
            r1 = np.empty(cap, np.int64)
            r2 = np.empty(cap, np.int64)
            row = np.empty(cap, np.int64)
            code = np.empty(cap, np.int64)
            c = K.split_scan(base, B, Ns, r1, r2, row, code)
            stats["n_transformations"] += c
            # sizes of P1 per split: recompute from code is costly; look up by size groups
            s1 = _split_sizes(base, row[:c], code[:c])
            bad = np.zeros(c, bool)
            for k1 in np.unique(s1):
                sel = s1 == k1
                v1 = sp.table(int(k1))[r1[:c][sel]].astype(np.float64)
                v2 = sp.table(int(n - k1))[r2[:c][sel]].astype(np.float64)
                v = vals[row[:c][sel]]
                if prob:
                    same = np.abs(v1 - v2).max(-1) <= TOL
                    bad[sel] = same & (np.abs(v - v1).max(-1) > TOL)
                else:
                    inter = (v1 > 0) & (v2 > 0)
                    bad[sel] = inter.any(-1) & ~(inter == (v > 0)).all(-1)
            rows = np.unique(row[:c][bad])
            return rows, [None] * len(rows)
        if axiom in ("iia", "later_no_harm", "later_no_help"):
            mask = vals > 0
            bad = np.zeros(len(base), bool)
            pairs: list[tuple[int, int] | None] = (
                [(x, y) for x in range(m) for y in range(m) if x != y] if axiom == "iia" else [None])
            for pr in pairs:
                if pr is None:
                    repl = sp.dom.extensions
                    sel = np.flatnonzero(~bad)
                else:
                    x, y = pr
                    repl = sp.dom.same_pair(x, y)
                    sel = np.flatnonzero(mask[:, x] & ~mask[:, y] & ~bad)
                if not len(sel):
                    continue
                sub = base[sel]
                cap = len(sub) * n * repl.shape[1]
                r_out = np.empty(cap, np.int64)
                which = np.empty((cap, 3), np.int64)
                # IIA: replace 1..n copies of one ballot type (a P' with the same {x, y}
                # restriction that differs in one type); later-no-harm/help: one ballot
                for copies in (range(1, n + 1) if pr is not None else (1,)):
                    c = K.replacement_scan(sub, repl, B, N, copies, r_out, which)
                    stats["n_transformations"] += c
                    new = tab[r_out[:c]] > 0
                    old = mask[sel][which[:c, 0]]
                    if pr is not None:
                        v = new[:, y] & ~new[:, x]
                    else:
                        t = sub[which[:c, 0], which[:c, 1]]
                        ranked = sp.dom.types[t] >= 0
                        if axiom == "later_no_harm":
                            v = (ranked & old & ~new).any(-1)
                        else:
                            v = (ranked & ~old & new).any(-1)
                    bad[sel[np.unique(which[:c, 0][v])]] = True
            rows = np.flatnonzero(bad)
            return rows, [None] * len(rows)
    # direct transformations: evaluated by rule calls on the transformed batch
    out = sp.evaluate(base)
    ranks = sp.ranks(base)
    bad = _direct_scan(axiom, ad, ranks, out, opts, stats, find)
    rows = np.flatnonzero(bad)
    return rows, [None] * len(rows)


def _split_sizes(base, rows, codes) -> np.ndarray:
    out = np.empty(len(rows), np.int64)
    cache: dict = {}
    for j, (r, c) in enumerate(zip(rows, codes)):
        if r not in cache:
            _, cnt = np.unique(base[r], return_counts=True)
            cache[r] = cnt
        cnt = cache[r]
        s = 0
        x = int(c)
        for q in cnt:
            s += x % (q + 1)
            x //= q + 1
        out[j] = s
    return out


def _generators(m: int):
    """A transposition and an m-cycle: together they generate every relabelling of m candidates.

    On a set of profiles closed under relabelling, f(σP) = σf(P) for these two σ and every P
    implies it for every σ (write σ as a product of generators and telescope), and a violation by
    any σ gives one by a generator on a profile of the same size, so the first witness stays
    minimal. Counting every violating profile (``find="all"``) still needs all relabellings.
    """
    swap = np.arange(m)
    swap[[0, 1]] = [1, 0]
    yield swap
    if m > 2:
        yield np.roll(np.arange(m), 1)


def _direct_scan(axiom, ad: RuleAdapter, ranks, out, opts, stats, find="all") -> np.ndarray:
    Kp, n, m = ranks.shape
    bad = np.zeros(Kp, bool)

    def differs(o2, rows, perm=None):
        a = out.values[rows] if perm is None else out.values[rows][:, perm]
        return np.abs(a - o2.values).max(-1) > TOL

    if axiom == "homogeneity":
        for k in (2, 3):
            o2 = ad(np.tile(ranks, (1, k, 1)))
            stats["n_transformations"] += Kp
            bad |= differs(o2, np.arange(Kp))
    elif axiom == "anonymity":
        if n > 1:
            for perm in (np.arange(n)[::-1], np.roll(np.arange(n), 1)):
                o2 = ad(np.ascontiguousarray(ranks[:, perm]))
                stats["n_transformations"] += Kp
                bad |= differs(o2, np.arange(Kp))
    elif axiom == "neutrality":
        for pi in (_generators(m) if find == "first" else _relabelings(m)):
            r2 = np.empty_like(ranks)
            r2[:, :, pi] = ranks
            o2 = ad(r2)
            stats["n_transformations"] += Kp
            bad |= differs(o2, np.arange(Kp), perm=np.argsort(pi))
    elif axiom == "reversal_symmetry":
        r = ranks.astype(np.int64)
        mx = r.max(-1, keepdims=True)
        has = (r < 0).any(-1, keepdims=True)
        rev = np.where(r < 0, 0, mx - r + has).astype(np.int8)
        o2 = ad(rev)
        stats["n_transformations"] += Kp
        single = out.mask.sum(-1) == 1
        bad |= single & (o2.mask & out.mask).any(-1) & ~o2.mask.all(-1) & (m >= 2)
    elif axiom == "isda":
        sm = smith_mask(support(ranks, np.ones((Kp, n))))
        for z in range(m):
            rows = np.flatnonzero(~sm[:, z])
            if not len(rows):
                continue
            o2 = ad(_delete(ranks[rows], z))
            stats["n_transformations"] += len(rows)
            keep = [c for c in range(m) if c != z]
            bad[rows] |= np.abs(out.values[rows][:, keep] - o2.values).max(-1) > TOL
            bad[rows] |= out.mask[rows][:, z]  # a deleted winner also changes the winners
    elif axiom == "independence_of_clones":
        for size in range(2, m):
            for Kset in itertools.combinations(range(m), size):
                inK = np.zeros(m, bool)
                inK[list(Kset)] = True
                lv = np.where(ranks < 0, 10_000, ranks.astype(np.int64))
                lo = np.where(inK, lv, 10**9).min(-1)
                hi = np.where(inK, lv, -1).max(-1)
                z = np.where(~inK, lv, -5)
                between = ((z > lo[..., None]) & (z < hi[..., None]) & ~inK).any(-1)
                tied = (((z == lo[..., None]) | (z == hi[..., None])) & ~inK
                        & (lo != hi)[..., None]).any(-1)
                rows = np.flatnonzero(~(between | tied).any(-1))
                if not len(rows):
                    continue
                for k in Kset:
                    o2 = ad(_delete(ranks[rows], k))
                    stats["n_transformations"] += len(rows)
                    keep = [c for c in range(m) if c != k]
                    f0 = out.mask[rows]
                    f1 = np.zeros_like(f0)
                    f1[:, keep] = o2.mask
                    v = ((f0 & ~inK) != (f1 & ~inK)).any(-1)
                    v |= (f0 & inK).any(-1) != (f1 & inK).any(-1)
                    bad[rows] |= v
    else:
        raise ValidationError(f"no search for axiom {axiom!r}")
    return bad
