# mypy: disable-error-code="attr-defined,misc,call-overload"
"""SAT encodings of axiomatic questions about voting rules (optional extra ``[sat]``).

Does a voting rule on ``m`` candidates and up to ``n`` voters exist that satisfies a given set of
axioms? This module writes that question as a CNF formula over the *profile space* (one Boolean
variable ``x[P, c]`` = "the rule elects ``c`` at profile ``P``") and hands it to a SAT solver from
`python-sat <https://pysathq.github.io>`_. An UNSAT answer is a machine-checked impossibility
theorem for the stated domain and rule class; a SAT answer comes with a rule table, which is
re-checked against every constraint in numpy before it is returned.

What each encoding proves, the reductions and their soundness, and measured sizes and times are
documented in ``proofs/sat/README.md``. Summary:

* :func:`exists_rule` -- resolute rules on complete strict ballots. ``anonymous=True``: the rule
  is a function of the *multiset* of ballots, on every electorate size ``min_voters..n``.
  ``anonymous=False``: a function of the ordered tuple of ``n`` ballots (small instances only).
* :func:`arrow` -- social welfare functions for 2 voters and 3 alternatives (36 ordered profiles):
  Pareto + IIA + non-dictatorship is UNSAT, to linear and to weak social orders.
* :func:`gibbard_satterthwaite` -- resolute social choice functions for 2 voters and 3
  alternatives: strategyproofness + onto + non-dictatorship is UNSAT.
* :func:`no_show` -- Brandt, Geist & Peters (2017): resolute refinements of maximin / Kemeny on
  4 candidates and participation, over anonymous profiles of 1..n voters.

Requires ``python-sat`` (``pip install socialchoice[sat]``); importing this module works
without it, calling a function raises :class:`MissingDependencyError`.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, SolverError, ValidationError

__all__ = [
    "SatResult",
    "MissingDependencyError",
    "AXIOMS",
    "REFINEMENTS",
    "exists_rule",
    "arrow",
    "gibbard_satterthwaite",
    "no_show",
    "ballots",
]

#: axioms understood by :func:`exists_rule`
AXIOMS = ("participation", "strategyproof", "pareto", "condorcet", "onto", "non_dictatorial")
#: winner correspondences a resolute rule may be required to refine (``refines=``)
REFINEMENTS = ("maximin", "kemeny", "condorcet", "pareto")

_ANON_PROFILE_LIMIT = 5_000_000
_ORDERED_PROFILE_LIMIT = 50_000



def _solver_cls():
    try:
        from pysat.solvers import Solver, SolverNames
    except ImportError as exc:  # pragma: no cover - exercised only without python-sat
        raise MissingDependencyError(
            "socialchoice.axioms.sat needs the python-sat package: "
            "pip install socialchoice[sat]  (or: pip install python-sat)"
        ) from exc
    return Solver, SolverNames


def _check_solver(solver: str) -> None:
    _, names = _solver_cls()
    known = {n for k in vars(names) if not k.startswith("_") for n in getattr(names, k)}
    if solver not in known:
        raise ValidationError(
            f"solver={solver!r} is not a python-sat solver name; use e.g. 'cadical153', "
            f"'glucose4' or 'minisat22' (known: {', '.join(sorted(known))})"
        )


@dataclass(frozen=True)
class SatResult:
    """Answer of a SAT encoding.

    Attributes
    ----------
    satisfiable : bool
        True if a rule with the requested properties exists on the encoded domain; False is an
        impossibility theorem for that domain and rule class (see ``statement``).
    statement : str
        What the encoding decides, in words (rule class, domain, axioms).
    n_vars, n_clauses : int
        Size of the CNF handed to the solver, after the exact reductions of
        ``proofs/sat/README.md`` (0 when the reductions alone built the rule). When propagation
        alone found UNSAT, the size of the plain sub-instance on which the solver re-derived
        it.
    n_profiles : int
        Profiles in the domain.
    build_seconds, solve_seconds : float
        Wall time to enumerate the domain and build the CNF, and inside the solver.
    profiles : numpy.ndarray or None
        The profiles of the domain, when a rule table is returned, shape ``(n_profiles, n)``:
        row = ballot indices (sorted for anonymous rules, padded with -1 for electorates
        smaller than ``n``; voter order for ordered profiles). Ballot ``i`` is
        ``ballots(m)[i]``, a tuple of candidates from best to worst.
    rule : numpy.ndarray or None
        The winner (candidate index) at each profile of a rule found (``satisfiable`` only);
        for :func:`arrow`, shape ``(n_profiles, m)``: the social ranking (linear case) or the
        rank levels (weak-order case, 0 = top block).
    n_models : int or None
        Number of solutions, when they were enumerated (``count_models=True``).
    models : tuple of numpy.ndarray
        All solutions in the form of ``rule``, when enumerated.
    stats : dict
        Encoding figures: variables and clauses before/after each reduction, decided_by
        (``"solver"`` or ``"propagation"``).
    """

    satisfiable: bool
    statement: str
    n_vars: int
    n_clauses: int
    n_profiles: int
    build_seconds: float
    solve_seconds: float
    profiles: np.ndarray | None = None
    rule: np.ndarray | None = None
    n_models: int | None = None
    models: tuple = ()
    stats: dict = field(default_factory=dict)

    def to_pandas(self):
        """The rule table as a DataFrame (one row per profile), or an empty one if UNSAT."""
        import pandas as pd

        if self.rule is None or self.profiles is None:
            return pd.DataFrame({"profile": [], "winner": []})
        col = [tuple(r) for r in self.rule] if self.rule.ndim == 2 else self.rule
        profs = [tuple(int(b) for b in r if b >= 0) for r in self.profiles]
        return pd.DataFrame({"profile": profs, "winner": col})

    def winner(self, profile: Sequence[int]) -> Any:
        """The rule's output at ``profile`` (ballot indices; any order if anonymous)."""
        if self.rule is None or self.profiles is None:
            raise ValidationError("winner(): no rule table (the instance is unsatisfiable)")
        key = [int(b) for b in profile]
        if self.stats.get("anonymous"):
            key = sorted(key)
        width = self.profiles.shape[1]
        row = np.full(width, -1, self.profiles.dtype)
        if len(key) > width:
            raise ValidationError(f"winner(): profile={key!r} has more than {width} ballots")
        row[: len(key)] = key
        hit = np.flatnonzero((self.profiles == row).all(axis=1))
        if hit.size == 0:
            raise ValidationError(f"winner(): profile={key!r} is not in the encoded domain")
        i = int(hit[0])
        return int(self.rule[i]) if self.rule.ndim == 1 else tuple(int(v) for v in self.rule[i])


# --------------------------------------------------------------------------------------------
# ballots and profile spaces
# --------------------------------------------------------------------------------------------


def ballots(m: int) -> list[tuple[int, ...]]:
    """The strict ballots on ``m`` candidates in the order used for ballot indices.

    Examples
    --------
    >>> from socialchoice.axioms.sat import ballots
    >>> ballots(3)[:2]
    [(0, 1, 2), (0, 2, 1)]
    """
    return list(itertools.permutations(range(m)))


def _positions(m: int) -> np.ndarray:
    """pos[t, c] = position of candidate c on ballot t (0 = top)."""
    bs = ballots(m)
    pos = np.empty((len(bs), m), np.int8)
    for t, b in enumerate(bs):
        pos[t, list(b)] = np.arange(m)
    return pos


class _HashIndex:
    """Open-addressing hash table (linear probing) from distinct uint64 keys to row numbers.

    Vectorised: insertion and lookup run probe rounds over all pending keys at once; at load
    factor <= 1/2 a lookup needs about 1.5 random reads, against ~22 for ``searchsorted``.
    """

    def __init__(self, keys: np.ndarray):
        bits = max(4, int(np.ceil(np.log2(max(2 * len(keys), 2)))))
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.keys = keys
        self.table = np.full(1 << bits, -1, np.int64 if len(keys) >= 2**31 else np.int32)
        pending = np.arange(len(keys))
        slot = (keys >> self.shift).astype(np.int64)
        while pending.size:
            s = slot[pending]
            free = self.table[s] == -1
            # among keys aiming at the same free slot, the first one takes it
            cand, cs = pending[free], s[free]
            uniq, first = np.unique(cs, return_index=True)
            self.table[uniq] = cand[first]
            placed = np.zeros(cand.size, bool)
            placed[first] = True
            pending = np.concatenate([pending[~free], cand[~placed]])
            if pending.size:
                taken = self.keys[self.table[slot[pending]]] == self.keys[pending]
                if taken.any():  # pragma: no cover - equal keys (a hash collision)
                    raise SolverError("profile hash collision; please report (m, n)")
            slot[pending] = (slot[pending] + 1) & self.mask

    def lookup(self, h: np.ndarray) -> np.ndarray:
        out = np.full(len(h), -1, np.int64)
        idx = np.arange(len(h))
        s = (h >> self.shift).astype(np.int64)
        while idx.size:
            r = self.table[s]
            hit = r >= 0
            match = np.zeros(idx.size, bool)
            match[hit] = self.keys[r[hit]] == h[idx[hit]]
            out[idx[match]] = r[match]
            go = hit & ~match  # occupied by another key: probe on; empty slot: absent
            idx, s = idx[go], (s[go] + 1) & self.mask
        return out


class _AnonSpace:
    """Multisets of ``min_voters..n`` ballots, enumerated level by level.

    Each profile carries a 64-bit additive hash ``h(P) = sum_v R[ballot_v]`` (mod 2**64), so
    ``h(P + b) = h(P) + R[b]``; neighbours are found by ``searchsorted`` on the sorted hashes.
    Distinctness of all hashes is checked (a collision raises instead of mis-linking).
    """

    def __init__(self, m: int, n: int, min_voters: int, *, kemeny: bool):
        self.m, self.n, self.min_voters = m, n, min_voters
        self.pos = _positions(m)
        B = self.B = len(self.pos)
        total = sum(math.comb(B + k - 1, k) for k in range(min_voters, n + 1))
        if total > _ANON_PROFILE_LIMIT:
            raise ValidationError(
                f"m={m}, n={n}: {total:,} anonymous profiles exceed the limit of "
                f"{_ANON_PROFILE_LIMIT:,}; use fewer voters or candidates"
            )
        rng = np.random.default_rng(20170101)
        self.R = rng.integers(0, 2**63, size=B, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        # beats[t, x*m + y] = 1 if ballot t has x above y
        beats = (self.pos[:, :, None] < self.pos[:, None, :]).reshape(B, m * m).astype(np.int8)
        agree = None
        if kemeny:
            # agree[t, r] = number of pairs ordered alike by ballots t and r
            agree = (beats.astype(np.int16) @ beats.T.astype(np.int16)).astype(np.int8)
        seqs, sizes, hashes, pair, kem = [], [], [], [], []
        seq = np.arange(B, dtype=np.uint8)[:, None]
        h = self.R.copy()
        nm = beats.copy()
        km = agree.copy() if kemeny else None
        for k in range(1, n + 1):
            if k >= min_voters:
                pad = np.full((len(seq), n - k), 255, np.uint8)
                seqs.append(np.hstack([seq, pad]))
                sizes.append(np.full(len(seq), k, np.int8))
                hashes.append(h)
                pair.append(nm)
                if kemeny:
                    kem.append(km)
            if k == n:
                break
            last = seq[:, -1].astype(np.int64)
            reps = B - last
            parent = np.repeat(np.arange(len(seq)), reps)
            start = np.repeat(np.cumsum(reps) - reps, reps)
            b = np.arange(parent.size) - start + last[parent]
            seq = np.hstack([seq[parent], b[:, None].astype(np.uint8)])
            h = h[parent] + self.R[b]
            nm = nm[parent] + beats[b]
            if kemeny:
                km = km[parent] + agree[b]
        self.seq = np.concatenate(seqs)
        self.size = np.concatenate(sizes)
        self.hash = np.concatenate(hashes)
        self.N = np.concatenate(pair).reshape(-1, m, m)  # N[P, x, y] = #voters with x above y
        self.kem = np.concatenate(kem) if kemeny else None
        self.count = len(self.hash)
        self.index = _HashIndex(self.hash)

    def lookup(self, h: np.ndarray) -> np.ndarray:
        """Row of each hash (-1 when the profile is outside the domain)."""
        return self.index.lookup(h)

    def rows_of_size(self, k: int) -> np.ndarray:
        return np.flatnonzero(self.size == k)

    def profiles(self) -> np.ndarray:
        return np.where(self.seq == 255, -1, self.seq.astype(np.int16)).astype(np.int8)


def _allowed_anon(space: _AnonSpace, refines: Sequence[str]) -> np.ndarray:
    """A[P, c]: candidate c may be elected at P (intersection of the refinements)."""
    m = space.m
    A = np.ones((space.count, m), bool)
    N = space.N.astype(np.int16)
    k = space.size.astype(np.int16)[:, None]
    off = ~np.eye(m, dtype=bool)
    for r in refines:
        if r == "maximin":
            big = np.where(off[None], N, np.int16(32767))
            score = big.min(axis=2)
            A &= score == score.max(axis=1, keepdims=True)
        elif r == "kemeny":
            opt = space.kem == space.kem.max(axis=1, keepdims=True)
            tops = np.array([b[0] for b in ballots(m)])
            W = np.zeros_like(A)
            for c in range(m):
                W[:, c] = opt[:, tops == c].any(axis=1)
            A &= W
        elif r == "condorcet":
            wins = (np.where(off[None], 2 * N > k[:, :, None], True)).all(axis=2)
            has = wins.any(axis=1, keepdims=True)
            A &= np.where(has, wins, True)
        elif r == "pareto":
            dominated = (np.where(off[None], N == k[:, :, None], False)).any(axis=1)
            A &= ~dominated
    return A


# --------------------------------------------------------------------------------------------
# the generic constraint machinery (domains A[P, c] + pairwise "not both" constraints)
# --------------------------------------------------------------------------------------------


@dataclass
class _Group:
    """Constraint family: for each i, NOT (f(X[i]) strictly above f(Y[i]) on ballot b)."""

    X: np.ndarray
    Y: np.ndarray
    b: int
    injective: bool = False  # no row repeats within X, nor within Y


def _and_rows(A: np.ndarray, rows: np.ndarray, keep: np.ndarray, injective: bool) -> None:
    if injective:
        A[rows] &= keep
    else:  # a row listed twice keeps a value only if every listing keeps it
        np.logical_and.at(A, (rows[:, None], np.arange(A.shape[1])[None, :]), keep)


def _arc_consistency(A: np.ndarray, groups: list[_Group], pos: np.ndarray,
                     perms: list[tuple[np.ndarray, np.ndarray]]) -> tuple[bool, int]:
    """Remove values without support until a fixpoint; False if some domain empties.

    For a constraint NOT(f(X) >_b f(Y)): a value c of Y is unsupported iff every a in A(X) is
    above c on b (pos_b(c) > max pos_b over A(X)); a value a of X is unsupported iff it is
    above every c in A(Y). Neutrality pairs (P -> pi P, c -> pi c) intersect the domains.
    Removing unsupported values keeps exactly the same set of solutions.
    """
    m = A.shape[1]
    passes = 0
    while True:
        passes += 1
        changed = False
        for g in groups:
            pb = pos[g.b].astype(np.int8)
            AX, AY = A[g.X], A[g.Y]
            worstX = np.where(AX, pb, -1).max(axis=1)
            bestY = np.where(AY, pb, m).min(axis=1)
            keepY = pb[None, :] <= worstX[:, None]
            keepX = pb[None, :] >= bestY[:, None]
            if not (keepY | ~AY).all():
                changed = True
                _and_rows(A, g.Y, keepY, g.injective)
            if not (keepX | ~AX).all():
                changed = True
                _and_rows(A, g.X, keepX, g.injective)
        for src, dst, cperm in perms:
            # A(dst)[cperm[c]] must equal A(src)[c]
            mapped = np.zeros_like(A[src])
            mapped[:, cperm] = A[src]
            both = mapped & A[dst]
            if not (both == A[dst]).all() or not (both == mapped).all():
                changed = True
                A[dst] = both
                A[src] = both[:, cperm]
        if (~A.any(axis=1)).any():
            return False, passes
        if not changed:
            return True, passes


@dataclass
class _Cnf:
    n_vars: int
    clauses: list
    var_row: np.ndarray  # row of each variable (1-based variables; index 0 unused)
    var_cand: np.ndarray
    fixed: np.ndarray  # per row: chosen candidate when decided without the solver, else -1


def _build_cnf(A: np.ndarray, groups: list[_Group], pos: np.ndarray, *, exact_one: bool,
               pure: bool, onto_sets: list[np.ndarray], perms: list, nd_tops: list[np.ndarray],
               stats: dict, plain: bool = False) -> _Cnf:
    """CNF over the allowed values. ``plain=False`` assumes arc consistency has run (so every
    clause touching a singleton domain is already satisfied) and keeps singletons as constants;
    ``plain=True`` gives every allowed value a variable and emits every clause."""
    count, m = A.shape
    single = (A.sum(axis=1) == 1) & (not plain)
    fixed = np.where(single, A.argmax(axis=1), -1).astype(np.int64)
    var = np.zeros((count, m), np.int64)
    free = A & ~single[:, None]
    nv = int(free.sum())
    var[free] = np.arange(1, nv + 1)
    # binary "not both" clauses between free variables (with AC, clauses that touch a
    # singleton domain are satisfied by construction)
    us, vs = [], []
    for g in groups:
        pb = pos[g.b]
        FX, FY = free[g.X], free[g.Y]
        for a in range(m):
            for c in range(m):
                if pb[a] < pb[c]:
                    sel = FX[:, a] & FY[:, c]
                    if sel.any():
                        us.append(var[g.X[sel], a])
                        vs.append(var[g.Y[sel], c])
    u = np.concatenate(us) if us else np.zeros(0, np.int64)
    v = np.concatenate(vs) if vs else np.zeros(0, np.int64)
    if len(u):
        uv = np.unique(np.sort(np.stack([u, v], 1), axis=1), axis=0)
        u, v = uv[:, 0], uv[:, 1]
    stats["vars_after_propagation"] = nv
    stats["binary_clauses_after_propagation"] = len(u)
    live_row = ~single
    live_var = np.ones(nv + 1, bool)
    live_var[0] = False
    var_row = np.zeros(nv + 1, np.int64)
    var_cand = np.zeros(nv + 1, np.int64)
    rr, cc = np.nonzero(free)
    var_row[var[rr, cc]] = rr
    var_cand[var[rr, cc]] = cc
    live_cl = np.ones(len(u), bool)
    if pure:
        # pure-literal elimination: a free variable in no remaining clause can be made true,
        # satisfying its profile's at-least-one clause; the profile's other variables are then
        # set false (they occur only negatively), satisfying every clause that mentions them.
        rounds = 0
        while True:
            rounds += 1
            occ = np.bincount(u[live_cl], minlength=nv + 1) + np.bincount(v[live_cl], minlength=nv + 1)
            cand = live_var & (occ == 0)
            rows = np.unique(var_row[cand])
            if rows.size == 0:
                break
            # choose the lowest such variable per row
            vids = np.flatnonzero(cand)
            first = np.full(count, -1, np.int64)
            first[var_row[vids[::-1]]] = vids[::-1]
            fixed[rows] = var_cand[first[rows]]
            live_row[rows] = False
            dead = np.zeros(nv + 1, bool)
            dead[var[rows][free[rows]]] = True
            live_var &= ~dead
            live_cl &= ~(dead[u] | dead[v])
        stats["pure_literal_rounds"] = rounds
    # renumber the live variables 1..k
    new = np.zeros(nv + 1, np.int64)
    keep = np.flatnonzero(live_var)
    new[keep] = np.arange(1, keep.size + 1)
    clauses = []
    for row in np.flatnonzero(live_row):
        lits = new[var[row][free[row]]]
        clauses.append(lits.tolist())
        if exact_one:
            clauses.extend([-int(p), -int(q)] for p, q in itertools.combinations(lits, 2))
    uu, vv = new[u[live_cl]], new[v[live_cl]]
    clauses.extend(np.stack([-uu, -vv], 1).tolist())
    for onto in onto_sets:  # onto: every candidate is elected at some row of the mask
        for c in range(m):
            rows = np.flatnonzero(onto & A[:, c])
            if (fixed[rows] == c).any():
                continue
            lits = new[var[rows, c]]
            clauses.append(sorted(int(x) for x in lits[lits > 0]))  # [] = unsatisfiable
    for top in nd_tops:  # voter i is not a dictator: some row elects another than i's top
        rows = np.arange(count)
        if ((fixed >= 0) & (fixed != top)).any() or (~A[rows, top]).any():
            continue
        lits = new[var[rows, top]]
        clauses.append(sorted(-int(x) for x in lits[lits > 0]))
    for src, dst, cperm in perms:
        for c in range(m):
            a, b = new[var[src, c]], new[var[dst, cperm[c]]]
            ok = (a > 0) & (b > 0)
            clauses.extend(np.stack([-a[ok], b[ok]], 1).tolist())
            clauses.extend(np.stack([a[ok], -b[ok]], 1).tolist())
    return _Cnf(int(keep.size), clauses, var_row[np.r_[0, keep]], var_cand[np.r_[0, keep]], fixed)


def _confirm_unsat(A0: np.ndarray, A: np.ndarray, groups: list[_Group], pos: np.ndarray,
                   perms: list, solver: str, stats: dict) -> None:
    """Re-derive an UNSAT found by propagation with the SAT solver, on a sub-instance.

    The rows whose domains propagation reduced, plus their constraint neighbours, carry every
    step of the derivation; the *plain* encoding (no propagation) of the constraints among
    those rows must be UNSAT, and since it is a subset of the full instance's constraints, so
    is the full instance. Raises SolverError if the solver disagrees (a bug).
    """
    changed = (A != A0).any(axis=1)
    S = changed.copy()
    for g in groups:
        S[g.X[changed[g.Y]]] = True
        S[g.Y[changed[g.X]]] = True
    for src, dst, _ in perms:
        S[dst[changed[src]]] = True
        S[src[changed[dst]]] = True
    rows = np.flatnonzero(S)
    new = np.full(len(A0), -1, np.int64)
    new[rows] = np.arange(rows.size)
    sub = []
    for g in groups:
        keep = S[g.X] & S[g.Y]
        if keep.any():
            sub.append(_Group(new[g.X[keep]], new[g.Y[keep]], g.b, g.injective))
    sub_perms = []
    for src, dst, cperm in perms:
        keep = S[src] & S[dst]
        sub_perms.append((new[src[keep]], new[dst[keep]], cperm))
    t = time.perf_counter()
    st: dict = {}
    cnf = _build_cnf(A0[rows].copy(), sub, pos, exact_one=bool(sub_perms), pure=False,
                     onto_sets=[], perms=sub_perms, nd_tops=[], stats=st, plain=True)
    models, solve_s = _solve(cnf.clauses, solver)
    stats.update(confirm_profiles=int(rows.size), confirm_vars=cnf.n_vars,
                 confirm_clauses=len(cnf.clauses), confirm_seconds=time.perf_counter() - t)
    if models:  # pragma: no cover - would be a bug in the propagation
        raise SolverError("propagation found UNSAT but the solver found a model; please report")


def _solve(clauses: list, solver: str, *, enumerate_models: int = 0, block_vars: int = 0):
    Solver, _ = _solver_cls()
    t = time.perf_counter()
    models = []
    with Solver(name=solver, bootstrap_with=clauses) as s:
        while s.solve():
            model = s.get_model()
            models.append(model)
            if len(models) > enumerate_models:
                break
            s.add_clause([-lit for lit in model[:block_vars]])
    return models, time.perf_counter() - t


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def _norm_refines(refines: str | Sequence[str] | None, axioms: Sequence[str]) -> list[str]:
    if refines is None:
        out: list[str] = []
    elif isinstance(refines, str):
        out = [refines]
    else:
        out = list(refines)
    for r in out:
        if r not in REFINEMENTS:
            raise ValidationError(
                f"refines={r!r} is not supported; use one of {', '.join(REFINEMENTS)} or None"
            )
    out += [a for a in ("condorcet", "pareto") if a in axioms and a not in out]
    return out


def _ordered_rows(m: int, n: int):
    """Ordered profiles: all tuples of n ballot indices, row = mixed-radix number."""
    B = math.factorial(m)
    total = B**n
    if total > _ORDERED_PROFILE_LIMIT:
        raise ValidationError(
            f"anonymous=False with m={m}, n={n}: {total:,} ordered profiles exceed the limit "
            f"of {_ORDERED_PROFILE_LIMIT:,}; use anonymous=True or fewer voters"
        )
    prof = np.array(list(itertools.product(range(B), repeat=n)), np.int64).reshape(total, n)
    return prof, B ** np.arange(n - 1, -1, -1)


def _perm_generators(m: int) -> list[np.ndarray]:
    if m < 2:
        return []
    swap = np.arange(m)
    swap[[0, 1]] = [1, 0]
    gens = [swap]
    if m > 2:
        gens.append(np.roll(np.arange(m), -1))
    return gens


def _type_perm(m: int, cperm: np.ndarray) -> np.ndarray:
    bs = ballots(m)
    index = {b: i for i, b in enumerate(bs)}
    return np.array([index[tuple(int(cperm[c]) for c in b)] for b in bs], np.int64)


def _statement(m, n, min_voters, axioms, refines, anonymous, neutral) -> str:
    dom = (f"anonymous resolute rules on multisets of {min_voters}..{n} strict ballots"
           if anonymous else f"resolute rules on ordered profiles of {n} strict ballots")
    parts = [f"{dom} over m={m} candidates"]
    if neutral:
        parts.append("neutral")
    if refines:
        parts.append("refining " + " and ".join(refines))
    ax = [a for a in axioms if a not in ("condorcet", "pareto") or a not in refines]
    if ax:
        parts.append("satisfying " + ", ".join(ax))
    return "; ".join(parts)


def exists_rule(
    m: int,
    n: int,
    axioms: Sequence[str] = (),
    *,
    anonymous: bool = True,
    neutral: bool = False,
    refines: str | Sequence[str] | None = None,
    min_voters: int | None = None,
    count_models: bool = False,
    max_models: int = 1000,
    reductions: bool = True,
    solver: str = "cadical153",
) -> SatResult:
    """Is there a resolute voting rule with these properties? Decided by a SAT solver.

    The rule maps each profile of complete strict ballots on ``m`` candidates to one candidate.
    With ``anonymous=True`` a profile is a multiset of ``min_voters..n`` ballots (a variable
    electorate); with ``anonymous=False`` it is a tuple of exactly ``n`` ballots (voter ``i``'s
    ballot in position ``i``) and the instance must be small (at most 50,000 profiles).

    Parameters
    ----------
    m, n : int
        Candidates (2..5) and the largest electorate.
    axioms : sequence of str
        Any of ``"participation"`` (adding a ballot ``b`` never yields a winner that ``b`` ranks
        strictly below the old winner; anonymous only), ``"strategyproof"`` (no voter obtains a
        winner it strictly prefers by changing its ballot; electorates of each size separately),
        ``"pareto"`` (never a candidate that every voter ranks below another one),
        ``"condorcet"`` (the Condorcet winner whenever there is one), ``"onto"`` (every
        candidate wins at some profile of each electorate size), ``"non_dictatorial"`` (for no
        voter is the winner always that voter's top; ordered profiles only, since an anonymous
        rule on two or more voters is never dictatorial).
    anonymous : bool, default True
        Encode over multisets of ballots (see above).
    neutral : bool, default False
        Require ``f(pi P) = pi(f(P))`` for every relabelling ``pi`` of the candidates. A
        resolute rule must then elect, at a profile fixed by ``pi``, a candidate fixed by
        ``pi``; with two or more voters this usually contradicts other axioms, so this mostly
        proves impossibilities.
    refines : str, sequence of str or None
        Winner correspondences the rule must choose from: ``"maximin"``, ``"kemeny"`` (tops of
        Kemeny rankings), ``"condorcet"``, ``"pareto"``.
    min_voters : int, optional
        Smallest electorate (anonymous only; default 1, and ``n`` when ``"participation"`` is
        not asked for).
    count_models : bool, default False
        Enumerate every solution (at most ``max_models``) and return them all in ``models``.
    reductions : bool, default True
        Apply the exact reductions (arc-consistency propagation, pure-literal elimination; see
        ``proofs/sat/README.md``). ``False`` hands the solver the plain encoding: one variable
        per allowed (profile, candidate) pair, every clause. When propagation alone finds
        UNSAT, the solver re-derives it on the plain encoding of the profiles involved
        (``stats["confirm_*"]``).
    solver : str, default "cadical153"
        A python-sat solver name.

    Returns
    -------
    SatResult

    Raises
    ------
    MissingDependencyError
        python-sat is not installed (``pip install socialchoice[sat]``).
    ValidationError
        An unknown axiom, refinement or solver, or a domain over the size limit.

    Examples
    --------
    >>> from socialchoice.axioms import sat
    >>> r = sat.exists_rule(3, 2, ["strategyproof", "onto"], min_voters=2)
    >>> r.satisfiable   # anonymous + onto + strategyproof, 2 voters: Gibbard-Satterthwaite
    False
    >>> sat.exists_rule(3, 3, ["participation"], refines="maximin").satisfiable
    True
    """
    _solver_cls()
    _check_solver(solver)
    for name, val, lo, hi in (("m", m, 2, 5), ("n", n, 1, 20)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or not lo <= val <= hi:
            raise ValidationError(f"{name}={val!r} must be an integer in {lo}..{hi}")
    axioms = list(axioms) if not isinstance(axioms, str) else [axioms]
    for a in axioms:
        if a not in AXIOMS:
            raise ValidationError(f"axioms: {a!r} is not supported; use any of {', '.join(AXIOMS)}")
    refs = _norm_refines(refines, axioms)
    if min_voters is None:
        min_voters = 1 if ("participation" in axioms or not anonymous) and anonymous else n
    if not anonymous:
        if "participation" in axioms:
            raise ValidationError(
                "axioms: 'participation' needs a variable electorate; use anonymous=True")
        if min_voters != n:
            raise ValidationError("min_voters: ordered profiles have exactly n voters; omit it")
    elif "non_dictatorial" in axioms and min_voters < 2:
        raise ValidationError(
            "axioms: 'non_dictatorial' with anonymous=True needs min_voters >= 2 (an anonymous "
            "rule on 2 or more voters is never dictatorial; on 1 voter it may be)")
    if not 1 <= min_voters <= n:
        raise ValidationError(f"min_voters={min_voters!r} must be in 1..n")

    t0 = time.perf_counter()
    stats: dict[str, Any] = {"anonymous": anonymous}
    pos = _positions(m)
    B = len(pos)
    groups: list[_Group] = []
    perms: list = []
    onto_sets: list[np.ndarray] = []
    nd_tops: list[np.ndarray] = []
    if anonymous:
        space = _AnonSpace(m, n, min_voters, kemeny="kemeny" in refs)
        count = space.count
        A = _allowed_anon(space, refs)
        sizes = space.size
        if "participation" in axioms:
            for k in range(min_voters, n):
                P = space.rows_of_size(k)
                for b in range(B):
                    Q = space.lookup(space.hash[P] + space.R[b])
                    groups.append(_Group(P, Q, b, injective=True))
        if "strategyproof" in axioms:
            for t in range(B):
                Q = np.flatnonzero((space.seq == t).any(axis=1))
                Xs = [space.lookup(space.hash[Q] - space.R[t] + space.R[t2])
                      for t2 in range(B) if t2 != t]
                groups.append(_Group(np.concatenate(Xs), np.tile(Q, B - 1), t))
        if neutral:
            seq = space.seq.astype(np.int64)
            pad = seq == 255
            for cperm in _perm_generators(m):
                tp = _type_perm(m, cperm)
                h = np.where(pad, np.uint64(0), space.R[tp[np.where(pad, 0, seq)]]).sum(
                    axis=1, dtype=np.uint64)
                perms.append((np.arange(count), space.lookup(h), cperm))
        profiles_fn = space.profiles
    else:
        prof, radix = _ordered_rows(m, n)
        count = len(prof)
        beats = (pos[:, :, None] < pos[:, None, :]).astype(np.int16)
        N = beats[prof].sum(axis=1)

        class _S:  # the fields _allowed_anon reads
            pass

        sp = _S()
        sp.m, sp.count, sp.N, sp.size = m, count, N, np.full(count, n, np.int8)
        if "kemeny" in refs:
            bflat = beats.reshape(B, -1)
            agree = bflat @ bflat.T
            sp.kem = agree[prof].sum(axis=1)
        A = _allowed_anon(sp, refs)
        sizes = sp.size
        if "strategyproof" in axioms:
            for i in range(n):
                for t in range(B):
                    Y = np.flatnonzero(prof[:, i] == t)
                    for t2 in range(B):
                        if t2 != t:
                            X = Y + (t2 - t) * radix[i]
                            groups.append(_Group(X, Y, t, injective=True))
        if "non_dictatorial" in axioms:
            tops = np.array([b[0] for b in ballots(m)])
            nd_tops = [tops[prof[:, i]] for i in range(n)]
        if neutral:
            for cperm in _perm_generators(m):
                tp = _type_perm(m, cperm)
                perms.append((np.arange(count), tp[prof] @ radix, cperm))
        profiles_fn = lambda: prof.astype(np.int8)
    if "onto" in axioms:
        onto_sets = [sizes == k for k in range(min_voters, n + 1)]
    A0 = A.copy()
    stats["n_profiles"] = count
    stats["vars_plain"] = int(A0.sum())
    stats["pairs"] = int(sum(len(g.X) for g in groups))
    statement = _statement(m, n, min_voters, axioms, refs, anonymous, neutral)
    if reductions:
        ok, passes = _arc_consistency(A, groups, pos, perms)
        stats["propagation_passes"] = passes
        if not ok:
            build = time.perf_counter() - t0
            stats["decided_by"] = "propagation"
            _confirm_unsat(A0, A, groups, pos, perms, solver, stats)
            return SatResult(False, statement, stats["confirm_vars"], stats["confirm_clauses"],
                             count, build, stats["confirm_seconds"], stats=stats)
    exact_one = bool(neutral or onto_sets or nd_tops or count_models)
    cnf = _build_cnf(A, groups, pos, exact_one=exact_one or not reductions,
                     pure=reductions and not exact_one, onto_sets=onto_sets, perms=perms,
                     nd_tops=nd_tops, stats=stats, plain=not reductions)
    build = time.perf_counter() - t0
    stats["decided_by"] = "solver" if cnf.n_vars else "reductions"
    n_clauses = len(cnf.clauses)
    if any(len(c) == 0 for c in cnf.clauses):
        return SatResult(False, statement, cnf.n_vars, n_clauses, count, build, 0.0, stats=stats)
    if cnf.n_vars == 0:
        models, solve_s = [[]], 0.0
    else:
        models, solve_s = _solve(cnf.clauses, solver,
                                 enumerate_models=max_models if count_models else 0,
                                 block_vars=cnf.n_vars)
    if not models:
        return SatResult(False, statement, cnf.n_vars, n_clauses, count, build, solve_s,
                         n_models=0 if count_models else None, stats=stats)
    tables = []
    for model in models:
        rule = cnf.fixed.copy()
        arr = np.asarray(model, np.int64)
        true = arr[arr > 0]
        rule[cnf.var_row[true]] = cnf.var_cand[true]
        _verify(rule, A0, groups, pos, perms, onto_sets, nd_tops)
        tables.append(rule.astype(np.int8))
    profs = profiles_fn()
    return SatResult(True, statement, cnf.n_vars, n_clauses, count, build, solve_s,
                     profiles=profs, rule=tables[0],
                     n_models=len(tables) if count_models else None,
                     models=tuple(tables) if count_models else (), stats=stats)


def _verify(rule, A0, groups, pos, perms, onto_sets, nd_tops) -> None:
    """Re-check a decoded rule against every constraint (independent of the CNF)."""
    rows = np.arange(len(rule))
    bad = (rule < 0).any() or not A0[rows, rule].all()
    for g in groups:
        pb = pos[g.b]
        bad = bad or bool((pb[rule[g.X]] < pb[rule[g.Y]]).any())
    for src, dst, cperm in perms:
        bad = bad or bool((rule[dst] != cperm[rule[src]]).any())
    for onto in onto_sets:
        bad = bad or len(np.unique(rule[onto])) < A0.shape[1]
    for top in nd_tops:
        bad = bad or bool((rule == top).all())
    if bad:  # pragma: no cover - would be a bug in the encoding
        raise SolverError("the decoded rule violates a constraint; please report this instance")


def gibbard_satterthwaite(*, m: int = 3, n: int = 2, non_dictatorial: bool = True,
                          count_models: bool = False, solver: str = "cadical153") -> SatResult:
    """Gibbard–Satterthwaite on ordered profiles: strategyproof + onto + non-dictatorial.

    Resolute social choice functions on the ``(m!)**n`` ordered profiles of complete strict
    ballots (36 for the default 2 voters x 3 alternatives). With ``non_dictatorial=True`` the
    answer is UNSAT (the theorem for this size); with ``non_dictatorial=False`` and
    ``count_models=True`` the solutions are exactly the ``n`` dictatorships (a self-test).

    Examples
    --------
    >>> from socialchoice.axioms import sat
    >>> sat.gibbard_satterthwaite().satisfiable
    False
    >>> sat.gibbard_satterthwaite(non_dictatorial=False, count_models=True).n_models
    2
    """
    axioms = ["strategyproof", "onto"] + (["non_dictatorial"] if non_dictatorial else [])
    return exists_rule(m, n, axioms, anonymous=False, count_models=count_models, solver=solver)


def no_show(rule: str = "maximin", n_voters: int = 7, *, m: int = 4,
            solver: str = "cadical153") -> SatResult:
    """Brandt, Geist & Peters (2017): refinements of ``rule`` and participation.

    Is there an anonymous resolute rule on ``m`` candidates that always elects one of the
    ``rule`` winners (``"maximin"`` or ``"kemeny"``) and satisfies participation on every
    electorate of 1..``n_voters`` voters with complete strict ballots? The reductions that
    make the maximin case with 7 voters fast (about 2.6 million profiles) and why they keep
    the answer are in ``proofs/sat/README.md``.

    Examples
    --------
    >>> from socialchoice.axioms import sat
    >>> sat.no_show("kemeny", 3).satisfiable
    True
    """
    if rule not in ("maximin", "kemeny"):
        raise ValidationError(f"rule={rule!r}: use 'maximin' or 'kemeny'")
    return exists_rule(m, n_voters, ["participation"], refines=rule, min_voters=1, solver=solver)


def arrow(*, m: int = 3, n: int = 2, weak: bool = False, non_dictatorial: bool = True,
          count_models: bool = False, solver: str = "cadical153") -> SatResult:
    """Arrow's theorem on ordered profiles: Pareto + IIA + non-dictatorship.

    Social welfare functions from the ``(m!)**n`` ordered profiles of complete strict ballots
    (36 for 2 voters x 3 alternatives) to linear orders (``weak=False``) or weak orders
    (``weak=True``). Variables: for each profile and ordered pair ``(x, y)``, "socially ``x`` is
    weakly above ``y``" (linear case: one variable per unordered pair). Clauses: completeness
    and transitivity of the social relation; weak Pareto (if every voter ranks ``x`` above
    ``y``, so does society, strictly); IIA (the social relation on ``{x, y}`` is the same at
    any two profiles whose ballots agree on ``{x, y}``); non-dictatorship (for each voter some
    profile and pair where the voter strictly prefers ``x`` but society does not).

    With ``non_dictatorial=True`` the answer is UNSAT; with ``non_dictatorial=False`` and
    ``count_models=True`` the solutions are exactly the ``n`` dictatorships (a self-test).
    ``rule`` holds the social ranking per profile (linear) or rank levels (weak; 0 = top).

    Examples
    --------
    >>> from socialchoice.axioms import sat
    >>> sat.arrow().satisfiable, sat.arrow(weak=True).satisfiable
    (False, False)
    >>> sat.arrow(non_dictatorial=False, count_models=True).n_models
    2
    """
    _solver_cls()
    _check_solver(solver)
    for name, val, lo, hi in (("m", m, 2, 4), ("n", n, 1, 4)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or not lo <= val <= hi:
            raise ValidationError(f"{name}={val!r} must be an integer in {lo}..{hi}")
    t0 = time.perf_counter()
    prof, _ = _ordered_rows(m, n)
    pos = _positions(m)
    P = len(prof)
    pairs = [(x, y) for x in range(m) for y in range(m) if x != y]
    var: dict[tuple[int, int, int], int] = {}

    def lit(p: int, x: int, y: int) -> int:
        """Literal 'socially x weakly above y' (linear: x strictly above y)."""
        if weak:
            return var.setdefault((p, x, y), len(var) + 1)
        if x < y:
            return var.setdefault((p, x, y), len(var) + 1)
        return -var.setdefault((p, y, x), len(var) + 1)

    clauses: list[list[int]] = []
    for p in range(P):
        for x, y in pairs:
            lit(p, x, y)
    for p in range(P):
        if weak:
            clauses.extend([lit(p, x, y), lit(p, y, x)] for x, y in pairs if x < y)
        for x, y in pairs:
            for z in range(m):
                if z not in (x, y):
                    clauses.append([-lit(p, x, y), -lit(p, y, z), lit(p, x, z)])
        for x, y in pairs:
            if all(pos[t, x] < pos[t, y] for t in prof[p]):
                clauses.append([lit(p, x, y)])
                if weak:
                    clauses.append([-lit(p, y, x)])
    for x, y in pairs:
        if x > y:
            continue
        groups: dict[tuple, list[int]] = {}
        for p in range(P):
            groups.setdefault(tuple(bool(pos[t, x] < pos[t, y]) for t in prof[p]), []).append(p)
        for members in groups.values():
            for p, q in zip(members, members[1:]):
                for a, b in ((x, y), (y, x)) if weak else ((x, y),):
                    clauses.extend([[-lit(p, a, b), lit(q, a, b)], [lit(p, a, b), -lit(q, a, b)]])
    if non_dictatorial:
        for i in range(n):
            clauses.append([lit(p, y, x) if weak else -lit(p, x, y)
                            for p in range(P) for x, y in pairs
                            if pos[prof[p, i], x] < pos[prof[p, i], y]])
    build = time.perf_counter() - t0
    n_vars = len(var)
    models, solve_s = _solve(clauses, solver, enumerate_models=1000 if count_models else 0,
                             block_vars=n_vars)
    kind = "weak" if weak else "linear"
    statement = (f"social welfare functions from {P} ordered profiles ({n} voters, m={m}, strict "
                 f"ballots) to {kind} orders; weak Pareto, IIA"
                 + (", non-dictatorship" if non_dictatorial else ""))
    stats = {"anonymous": False, "decided_by": "solver", "n_profiles": P}
    tables = []
    for model in models:
        val = {abs(v): v > 0 for v in model}

        def holds(p: int, x: int, y: int, val: dict = val) -> bool:
            lt = lit(p, x, y)
            return val[abs(lt)] == (lt > 0)

        table = np.empty((P, m), np.int8)
        for p in range(P):
            if weak:  # level = number of candidates strictly above
                table[p] = [sum(holds(p, y, x) and not holds(p, x, y) for y in range(m) if y != x)
                            for x in range(m)]
            else:  # social ranking, best first
                above = [sum(holds(p, x, y) for y in range(m) if y != x) for x in range(m)]
                table[p] = np.argsort(above)[::-1]
        tables.append(table)
    if not tables:
        return SatResult(False, statement, n_vars, len(clauses), P, build, solve_s,
                         n_models=0 if count_models else None, stats=stats)
    return SatResult(True, statement, n_vars, len(clauses), P, build, solve_s,
                     profiles=prof.astype(np.int8), rule=tables[0],
                     n_models=len(tables) if count_models else None,
                     models=tuple(tables) if count_models else (), stats=stats)
