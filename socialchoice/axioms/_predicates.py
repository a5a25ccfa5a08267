"""Profile statistics (pairwise support, Smith set, Condorcet winner and loser, unique tops,
bottom blocks) and the single-profile predicates vectorised over a batch of profiles, with the
sets that sort the profile axioms into single-profile, table-scanned and directly evaluated ones
(docs/axioms.md §6)."""

from __future__ import annotations

import numpy as np


# ============================================================================ profile statistics
def strict_prefs(ranks: np.ndarray) -> np.ndarray:
    """``(K, n, m, m)``: ``x ≻ y`` on each ballot (a ranked candidate is above an unranked one)."""
    r = ranks.astype(np.int16)
    lv = np.where(r < 0, 10_000, r)
    return lv[..., :, None] < lv[..., None, :]


def support(ranks: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.einsum("kvxy,kv->kxy", strict_prefs(ranks), w)


def _weights(ranks: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    if weights is None:
        return np.ones(ranks.shape[:-1])
    return np.broadcast_to(np.asarray(weights, float), ranks.shape[:-1])


def smith_mask(S: np.ndarray) -> np.ndarray:
    """Smith set from support ``(K, m, m)``: ``x`` reaches every ``y`` by weak-majority steps."""
    m = S.shape[-1]
    R = S >= S.swapaxes(-1, -2)
    R = R | np.eye(m, dtype=bool)
    for k in range(m):
        R = R | (R[..., :, k:k + 1] & R[..., k:k + 1, :])
    return R.all(-1)


def condorcet_winner(S: np.ndarray) -> np.ndarray:
    """``(K, m)`` bool: the Condorcet winner (beats every other candidate)."""
    m = S.shape[-1]
    beats = S > S.swapaxes(-1, -2)
    return (beats | np.eye(m, dtype=bool)).all(-1) & (m >= 1)


def condorcet_loser(S: np.ndarray) -> np.ndarray:
    m = S.shape[-1]
    loses = S < S.swapaxes(-1, -2)
    return (loses | np.eye(m, dtype=bool)).all(-1) & (m >= 2)


def _unique_top(ranks: np.ndarray) -> np.ndarray:
    top = ranks == 0
    return top & (top.sum(-1, keepdims=True) == 1)


def _bottom_block(ranks: np.ndarray) -> np.ndarray:
    unr = ranks < 0
    has_unr = unr.any(-1, keepdims=True)
    mx = ranks.max(-1, keepdims=True)
    return np.where(has_unr, unr, ranks == mx)


def _singleton_of(mask: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``mask`` equals ``x`` (both (K, m) bool)."""
    return (mask == x).all(-1)


# ============================================================================ single-profile
def pred_pareto_weak(ranks, w, out, **_):
    P = strict_prefs(ranks)
    pos = (w > 0)[..., None, None]
    dom = (P | ~pos).all(1)  # (K, x, y): every positive-weight voter has x > y
    dominated = dom.any(1)
    return (dominated & out.mask).any(-1)


def pred_pareto_strong(ranks, w, out, **_):
    P = strict_prefs(ranks)
    pos = (w > 0)[..., None, None]
    weak = (~P.swapaxes(-1, -2) | ~pos).all(1)
    some = (P & pos).any(1)
    dominated = (weak & some).any(1)
    return (dominated & out.mask).any(-1)


def pred_unanimity(ranks, w, out, **_):
    ut = _unique_top(ranks)
    pos = (w > 0)[..., None]
    x = (ut | ~pos).all(1) & ut.any(1)
    has = x.any(-1)
    return has & ~_singleton_of(out.mask, x)


def pred_majority(ranks, w, out, **_):
    W = w.sum(-1)
    share = np.einsum("kvc,kv->kc", _unique_top(ranks), w)
    x = share > W[:, None] / 2
    return x.any(-1) & ~_singleton_of(out.mask, x)


def pred_majority_loser(ranks, w, out, **_):
    if ranks.shape[-1] < 2:
        return np.zeros(ranks.shape[0], bool)
    W = w.sum(-1)
    share = np.einsum("kvc,kv->kc", _bottom_block(ranks), w)
    x = share > W[:, None] / 2
    return (x & out.mask).any(-1)


def pred_condorcet_winner(ranks, w, out, **_):
    x = condorcet_winner(support(ranks, w))
    return x.any(-1) & ~_singleton_of(out.mask, x)


def pred_condorcet_loser(ranks, w, out, **_):
    x = condorcet_loser(support(ranks, w))
    return (x & out.mask).any(-1)


def pred_smith(ranks, w, out, **_):
    sm = smith_mask(support(ranks, w))
    return (out.mask & ~sm).any(-1)


def pred_pmc(ranks, w, out, **_):
    S = support(ranks, w)
    m = S.shape[-1]
    beats = S > S.swapaxes(-1, -2)
    off = ~np.eye(m, dtype=bool)
    complete = ((beats | beats.swapaxes(-1, -2)) | ~off).all((-1, -2))
    wins = beats.sum(-1)
    linear = complete & (np.sort(wins, -1) == np.arange(m)).all(-1)
    sigma = (m - 1) - wins
    defined = (out.ranking >= 0).all(-1)
    return linear & defined & ~(out.ranking == sigma).all(-1)


def pred_sd_efficiency(ranks, w, out, **_):
    from scipy.optimize import linprog

    K, n, m = ranks.shape
    bad = np.zeros(K, bool)
    for k in range(K):
        p = out.lottery[k]
        A, b = [], []
        for v in range(n):
            if w[k, v] <= 0:
                continue
            lv = np.where(ranks[k, v] < 0, 10_000, ranks[k, v])
            for c in range(m):
                up = (lv <= lv[c]).astype(float)  # upper contour set of c
                A.append(-up)
                b.append(-(up @ p))
        A = np.array(A)
        res = linprog(A.sum(0), A_ub=A, b_ub=np.array(b), A_eq=np.ones((1, m)), b_eq=[1.0],
                      bounds=[(0, None)] * m, method="highs")
        if res.status == 0 and -(res.fun - np.array(b).sum()) > 1e-7:
            bad[k] = True
    return bad


SINGLE = {
    "pareto_weak": pred_pareto_weak, "pareto_strong": pred_pareto_strong,
    "unanimity": pred_unanimity, "majority": pred_majority, "majority_loser": pred_majority_loser,
    "condorcet_winner": pred_condorcet_winner, "condorcet_loser": pred_condorcet_loser,
    "smith": pred_smith, "pmc": pred_pmc, "sd_efficiency": pred_sd_efficiency,
}


# ============================================================================ axiom metadata
RELATIONAL_TABLE = {"monotonicity", "participation", "reinforcement", "iia", "later_no_harm",
                    "later_no_help", "resolvability"}
RELATIONAL_DIRECT = {"independence_of_clones", "isda", "homogeneity", "anonymity", "neutrality",
                     "reversal_symmetry"}
#: axioms that are statements about candidate labels themselves (no orbit reduction)
NOT_NEUTRAL = {"neutrality"}


def min_candidates(axiom: str) -> int:
    return {"independence_of_clones": 3, "isda": 3, "iia": 3, "condorcet_loser": 2,
            "majority_loser": 2, "neutrality": 2}.get(axiom, 2)
