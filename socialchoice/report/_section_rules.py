"""The rules section: every registered rule's winners, the rules grouped by the winners they
pick, the Condorcet analysis, and the win probabilities when the raters are resampled.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import SocialChoiceError
from ._common import (Labeler, _applicable_rules, _call, _is_batch, _num, _progress, _run_rule,
                      _share, _weights, _winners_of)

__all__ = ["section_rules", "HEADLINE_RULES", "NOT_CHOICES"]

#: Registered rules that do not choose a winner (the Condorcet loser) or choose by chance:
#: listed with the others, left out of the "rules disagree" summary.
NOT_CHOICES = ("condorcet_loser", "random_dictatorship")
#: Rules tried first when one rule must stand for the others that pick the same winner.
HEADLINE_RULES = ("plurality", "instant_runoff", "borda", "schulze", "utilitarian",
                  "majority_judgment", "copeland", "maximal_lottery", "plurality_with_runoff",
                  "ranked_pairs", "kemeny_young", "maximin", "bradley_terry")


# ---------------------------------------------------------------- rules
def _condorcet(prof, lab: Labeler) -> dict:
    from .. import rules

    out: dict[str, Any] = {}
    cw, _ = _call(rules.get("condorcet_winner"), prof)
    ss, _ = _call(rules.get("smith_set"), prof)
    out["condorcet_winner"] = (_winners_of(cw, lab) or [None])[0] if cw.winners else None
    out["smith_set"] = _winners_of(ss, lab)
    M = np.asarray(prof.margins(), dtype=float)
    out["margins"] = [[_num(v) for v in row] for row in M]
    out["margin_convention"] = ("ratings: counted over the raters who rated both (both_rated)"
                                if getattr(prof, "raters", None) is not None else
                                "rankings: ranked above unranked" if hasattr(prof, "ranks")
                                else "pairwise records")
    smith = np.flatnonzero(np.asarray(ss.winner_mask))
    out["cycle"] = _cycle(M, smith, lab) if len(smith) > 1 else None
    if out["condorcet_winner"] is not None:
        i = int(np.flatnonzero(np.asarray(cw.winner_mask))[0])
        out["condorcet_margins"] = {lab.idx(j): _num(M[i, j]) for j in np.argsort(M[i])
                                    if j != i}
    return out


def _cycle(M: np.ndarray, members: np.ndarray, lab: Labeler) -> list[str] | None:
    """A majority cycle through the Smith set (for the text; the set comes from sc.rules)."""
    members = [int(x) for x in members]
    best: list[int] | None = None
    for start in members:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in members:
                if M[node, nxt] > 0:
                    if nxt == start and len(path) >= 3:
                        if best is None or len(path) < len(best):
                            best = path
                    elif nxt not in path and len(path) < 6:
                        stack.append((nxt, path + [nxt]))
        if best is not None and len(best) == 3:
            break
    return None if best is None else [lab.idx(i) for i in best + [best[0]]]


def section_rules(data, lab: Labeler, *, progress: bool, seed: Any,
                  n_resamples: int = 200) -> dict:
    prof = data.profile
    work = prof.unique() if data.kind == "rankings" and not _is_batch(prof) else prof
    names = _applicable_rules()
    winners: dict[str, Any] = {}
    lotteries: dict[str, dict] = {}
    scores: dict[str, dict] = {}
    na: dict[str, str] = {}
    notes: dict[str, list] = {}
    shares: dict[str, dict] = {}
    timing: dict[str, float] = {}
    results = {}
    for name in _progress(names, "rules", progress):
        t0 = time.perf_counter()
        res, msgs, reason = _run_rule(name, work)
        timing[name] = round(time.perf_counter() - t0, 3)
        if reason is not None:
            na[name] = reason
            continue
        results[name] = res
        winners[name] = _winners_of(res, lab)
        if msgs:
            notes[name] = msgs
        if res.lottery is not None and not _is_batch(work):
            lotteries[name] = {lab.idx(i): _num(p) for i, p in
                               enumerate(np.asarray(res.lottery)) if p > 1e-9}
        if res.scores is not None and not _is_batch(work):
            sc_ = np.asarray(res.scores, dtype=float)
            if sc_.ndim == 1:
                scores[name] = {lab.idx(i): _num(v) for i, v in enumerate(sc_)}
        if _is_batch(work):
            shares[name] = {lab.idx(i): _num(v) for i, v in enumerate(_share(res))}
    out: dict[str, Any] = {"winners": winners, "not_applicable": na, "warnings": notes,
                           "lotteries": lotteries, "scores": scores, "seconds": timing}
    # rules grouped by the winner set they pick
    groups: dict[str, list] = {}
    keyed: dict[str, Any] = {}
    for name, res in results.items():
        if _is_batch(work):
            key = " | ".join(f"{k} {v:.2f}" for k, v in sorted(
                shares[name].items(), key=lambda kv: -kv[1]) if v and v > 0.005)
        elif res.lottery is not None and np.count_nonzero(np.asarray(res.lottery) > 1e-9) > 1:
            key = "lottery: " + ", ".join(f"{k} {v:.2f}" for k, v in lotteries[name].items())
        elif name == "condorcet_loser":
            key = "Condorcet loser: " + ", ".join(winners[name])
        elif len(winners[name]) > 3:
            key = f"tie of {len(winners[name])}: " + ", ".join(winners[name])
        else:
            key = ", ".join(winners[name])
        groups.setdefault(key, []).append(name)
        keyed[key] = winners[name] if not _is_batch(work) else shares[name]
    out["by_winner"] = [{"winners": keyed[k], "label": k, "rules": v,
                         "decisive": not (set(v) <= set(NOT_CHOICES) or k.startswith("tie of"))}
                        for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))]
    out["agree"] = sum(g["decisive"] for g in out["by_winner"]) == 1
    if _is_batch(work):
        out["win_share"] = shares
        out["representatives"] = _representatives(groups)
        return out
    out.update(_condorcet(work, lab))
    reps = _representatives({g["label"]: g["rules"] for g in out["by_winner"] if g["decisive"]})
    out["representatives"] = reps
    if data.kind in ("rankings", "ratings") and reps:
        out["win_probability"] = _win_probability(work, reps, lab, seed=seed,
                                                  n_resamples=n_resamples, progress=progress)
    return out


def _representatives(groups: dict[str, list]) -> list[str]:
    reps = []
    for rules_ in groups.values():
        pick = next((r for r in HEADLINE_RULES if r in rules_), rules_[0])
        reps.append(pick)
    return reps[:6]


def _resample_weights(profile, B: int, rng) -> np.ndarray:
    """Rater bootstrap weights ``(B, n)``: resampling voters (integer counts) or rows."""
    w = _weights(profile)
    n = w.shape[-1]
    if np.allclose(w, np.round(w)) and w.sum() <= 1e7:
        tot = int(round(w.sum()))
        return rng.multinomial(tot, w / w.sum(), size=B).astype(float)
    C = rng.multinomial(n, np.full(n, 1.0 / n), size=B).astype(float)
    return C * w


def _win_probability(profile, reps: list[str], lab: Labeler, *, seed: Any,
                     n_resamples: int, progress: bool) -> dict:
    """P(win) of each alternative when the raters are resampled (a batch call per rule).

    The intervals are Wilson intervals (``sc.stats.wilson``) of the Monte Carlo share.
    """
    from .. import rules, stats
    from .._random import resolve_rng
    from ..profiles import Rankings, Ratings

    rng = resolve_rng(seed)
    n, m = profile.n_ballots, profile.n_candidates
    B = int(max(20, min(n_resamples, 2e7 // max(n * m, 1))))
    W = _resample_weights(profile, B, rng)
    if isinstance(profile, Ratings):
        vals = np.broadcast_to(np.asarray(profile.values), (B, n, m))
        batch = Ratings(vals, W, candidates=profile.candidates)
    else:
        R = np.broadcast_to(np.asarray(profile.ranks), (B, n, m))
        batch = Rankings(R, W, profile.candidates)
    out: dict[str, Any] = {"n_resamples": B, "unit": "raters", "seed": _num(seed) if
                           isinstance(seed, (int, np.integer)) else str(seed),
                           "interval": "Wilson 95% interval of the bootstrap share",
                           "rules": {}}
    for name in _progress(reps, "bootstrap over raters", progress):
        try:
            res, _ = _call(rules.get(name), batch)
        except SocialChoiceError as exc:
            out["rules"][name] = {"error": " ".join(str(exc).split())[:200]}
            continue
        share = _share(res)
        row = {}
        for i in range(m):
            lo, hi = stats.wilson(share[i] * B, B)
            if share[i] > 0 or i in np.flatnonzero(np.asarray(res.winner_mask).any(0)):
                row[lab.idx(i)] = {"p": _num(share[i], 4), "low": _num(lo, 4),
                                   "high": _num(hi, 4)}
        out["rules"][name] = row
    return out
