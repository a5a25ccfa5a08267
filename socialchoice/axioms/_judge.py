"""The scalar judges: does one (profile, transformed profiles) tuple violate an axiom, and a
sentence saying how. Every witness the search reports is confirmed, and every stored witness
replayed, by :func:`judge` (docs/axioms.md §6)."""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError
from ..profiles import Rankings
from ._predicates import SINGLE, _weights, condorcet_loser, condorcet_winner, smith_mask, support
from ._rule import Outcomes
from ._space import LETTERS, ballot_str

TOL = 1e-6


# ============================================================================ relational judges
def _eq(a: Outcomes, i: int, b: Outcomes, j: int, prob: bool, perm=None) -> bool:
    if prob:
        pa = a.lottery[i] if perm is None else a.lottery[i][perm]
        return bool(np.allclose(pa, b.lottery[j], atol=TOL))
    ma = a.mask[i] if perm is None else a.mask[i][perm]
    return bool((ma == b.mask[j]).all())


def _sd_better(b_rank: np.ndarray, p: np.ndarray, q: np.ndarray) -> bool:
    """``p`` SD-dominates ``q`` strictly for a ballot (cumulative over upper contour sets)."""
    lv = np.where(b_rank < 0, 10_000, b_rank)
    ge = all(p[lv <= lv[c]].sum() >= q[lv <= lv[c]].sum() - TOL for c in range(len(lv)))
    gt = any(p[lv <= lv[c]].sum() > q[lv <= lv[c]].sum() + TOL for c in range(len(lv)))
    return ge and gt


def judge(axiom: str, profiles: list[Rankings], outs: list[Outcomes], data: dict,
          prob: bool, opts: dict) -> str | None:
    """Does this (profile, transformed profiles) tuple violate ``axiom``? A sentence saying how,
    or None."""
    m0 = outs[0].mask.shape[-1]
    M0 = outs[0].mask[0]

    def S(mask):
        return "{" + ", ".join(LETTERS[i] for i in np.flatnonzero(mask)) + "}"

    if axiom in SINGLE:
        p = profiles[0]
        r = np.asarray(p.ranks)[None]
        w = _weights(r, None if p.weights is None else np.asarray(p.weights)[None])
        if SINGLE[axiom](r, w, outs[0], **opts)[0]:
            return _single_reason(axiom, r, w, outs[0])
        return None
    if axiom == "monotonicity":
        x = data["x"]
        if prob:
            a, b = outs[0].lottery[0][x], outs[1].lottery[0][x]
            if b < a - TOL:
                return f"Raising {LETTERS[x]} lowers its probability from {a:.4g} to {b:.4g}."
            return None
        if M0[x] and not outs[1].mask[0][x]:
            return f"Raising the winner {LETTERS[x]} on one ballot makes {LETTERS[x]} lose."
        return None
    if axiom == "participation":
        b = np.asarray(data["ballot"])
        Q, Pm = outs[0], outs[1]  # Q = P + b, P = Q - b
        if prob:
            if _sd_better(b, Pm.lottery[0], Q.lottery[0]):
                return ("The voter with ballot " + ballot_str(b) + " gets an SD-better lottery "
                        "by abstaining.")
            return None
        fQ, fP = Q.mask[0], Pm.mask[0]
        lv = np.where(b < 0, 10_000, b)
        if opts.get("set_preference", "single-winner") == "weak_dominance":
            A, B_ = np.flatnonzero(fP), np.flatnonzero(fQ)
            weak = all(lv[a] <= lv[c] for a in A for c in B_)
            strict = any(lv[a] < lv[c] for a in A for c in B_)
            if weak and strict:
                return (f"A voter with ballot {ballot_str(b)} prefers the outcome {S(fP)} without "
                        f"her ballot to {S(fQ)} with it.")
            return None
        if fQ.sum() == 1 and fP.sum() == 1:
            x, y = int(np.argmax(fP)), int(np.argmax(fQ))
            if lv[x] < lv[y]:
                return (f"Without the ballot {ballot_str(b)} the winner is {LETTERS[x]}; casting it "
                        f"elects {LETTERS[y]}, whom that voter ranks below {LETTERS[x]}.")
        return None
    if axiom == "reinforcement":
        P, P1, P2 = outs
        if prob:
            if np.allclose(P1.lottery[0], P2.lottery[0], atol=TOL) and \
                    not np.allclose(P.lottery[0], P1.lottery[0], atol=TOL):
                return "P1 and P2 have the same lottery but their union does not."
            return None
        inter = P1.mask[0] & P2.mask[0]
        if inter.any() and not (inter == P.mask[0]).all():
            return (f"The split P1 + P2 elects {S(P1.mask[0])} and {S(P2.mask[0])}, which share "
                    f"{S(inter)}, yet the whole electorate elects {S(P.mask[0])}.")
        return None
    if axiom in ("independence_of_clones", "isda"):
        k = data["deleted"]
        keep = [c for c in range(m0) if c != k]
        f1 = np.zeros(m0, bool)
        f1[keep] = outs[1].mask[0]
        if axiom == "isda":
            if not (f1 == M0).all():
                return (f"{LETTERS[k]} is not in the Smith set, yet deleting it changes the "
                        f"winners from {S(M0)} to {S(f1)}.")
            return None
        Kset = np.zeros(m0, bool)
        Kset[data["clones"]] = True
        if not ((M0 & ~Kset) == (f1 & ~Kset)).all():
            return (f"Deleting the clone {LETTERS[k]} of {S(Kset)} changes the non-clone winners "
                    f"({S(M0)} before, {S(f1)} after).")
        if (M0 & Kset).any() != (f1 & Kset).any():
            return (f"Deleting the clone {LETTERS[k]} of {S(Kset)} changes whether a clone wins "
                    f"({S(M0)} before, {S(f1)} after).")
        return None
    if axiom == "iia":
        x, y = data["x"], data["y"]
        f1 = outs[1].mask[0]
        if M0[x] and not M0[y] and f1[y] and not f1[x]:
            return (f"Every ballot orders {LETTERS[x]} and {LETTERS[y]} as before, yet {LETTERS[x]} "
                    f"wins and {LETTERS[y]} loses in P while the reverse holds in P1.")
        return None
    if axiom in ("later_no_harm", "later_no_help"):
        x = data["x"]
        f1 = outs[1].mask[0]
        if axiom == "later_no_harm" and M0[x] and not f1[x]:
            return f"Ranking more candidates below {LETTERS[x]} on one ballot makes {LETTERS[x]} lose."
        if axiom == "later_no_help" and not M0[x] and f1[x]:
            return f"Ranking more candidates below {LETTERS[x]} on one ballot makes {LETTERS[x]} win."
        return None
    if axiom in ("homogeneity", "anonymity"):
        if not _eq(outs[0], 0, outs[1], 0, prob):
            return "The outcome changes (" + S(M0) + " -> " + S(outs[1].mask[0]) + ")."
        return None
    if axiom == "neutrality":
        pi = np.asarray(data["perm"])  # candidate c becomes pi[c]
        inv = np.argsort(pi)
        if not _eq(outs[0], 0, outs[1], 0, prob, perm=inv):
            return (f"Relabelling the candidates by {pi.tolist()} should map the winners {S(M0)} to "
                    f"{S(M0[inv])}, but the rule elects {S(outs[1].mask[0])}.")
        return None
    if axiom == "reversal_symmetry":
        f1 = outs[1].mask[0]
        if m0 >= 2 and M0.sum() == 1 and (f1 & M0).any() and not f1.all():
            return (f"{S(M0)} is the unique winner of P and still wins when every ballot is "
                    f"reversed.")
        return None
    if axiom == "resolvability":
        x = data["x"]
        if M0.sum() >= 2 and M0[x] and not any(
                o.mask[0].sum() == 1 and o.mask[0][x] for o in outs[1:]):
            return (f"No additional ballot makes {LETTERS[x]} the unique winner of the tie {S(M0)}.")
        return None
    raise ValidationError(f"no judge for axiom {axiom!r}")


def _single_reason(axiom, r, w, out) -> str:
    M = out.mask[0]
    S_ = support(r, w)
    L = LETTERS
    if axiom == "condorcet_winner":
        x = int(np.argmax(condorcet_winner(S_)[0]))
        return f"{L[x]} beats every other candidate head-to-head but is not the unique winner."
    if axiom == "condorcet_loser":
        x = int(np.argmax(condorcet_loser(S_)[0] & M))
        return f"{L[x]} loses to every other candidate head-to-head, yet wins."
    if axiom == "smith":
        sm = smith_mask(S_)[0]
        return f"The winners include {L[int(np.argmax(M & ~sm))]}, outside the Smith set."
    if axiom == "majority":
        return "A candidate is the unique top of more than half of the ballots but not the unique winner."
    if axiom == "majority_loser":
        return "A candidate is last on more than half of the ballots, yet wins."
    if axiom.startswith("pareto"):
        return "A winner is Pareto-dominated by another candidate."
    if axiom == "unanimity":
        return "Every ballot has the same unique top, which is not the unique winner."
    if axiom == "pmc":
        return ("The strict majority relation is a linear order, and the rule's ranking "
                f"{out.ranking[0].tolist()} (levels, 0 = best) differs from it.")
    if axiom == "sd_efficiency":
        return "Another lottery is SD-preferred by every voter (strictly by some)."
    return "The axiom fails."
