"""The numbers of every report section, as plain JSON-ready dicts, from public API calls only.

Each ``section_*`` function takes the loaded :class:`~socialchoice.report._load.Data` (and the
sections computed before it) and returns a dict, or ``None`` when the data do not support the
section. Nothing here reimplements a rule, a welfare function or a statistic: the report is a
client of ``sc.rules``, ``sc.axioms``, ``sc.welfare``, ``sc.bargaining``, ``sc.jury``,
``sc.stats``, ``sc.divergence`` and ``sc.tradeoff``. The only computations of its own are
bookkeeping: labels, the rater resampling weights fed to the rules as a batch, and the
Borda-style utilities that let welfare and bargaining run on rankings (documented in the
report where they are used).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import SocialChoiceError

__all__ = ["compute", "HEADLINE_RULES", "AXIOM_RULES", "borda_utilities"]

#: Registered rules that do not choose a winner (the Condorcet loser) or choose by chance:
#: listed with the others, left out of the "rules disagree" summary.
NOT_CHOICES = ("condorcet_loser", "random_dictatorship")
#: Rules tried first when one rule must stand for the others that pick the same winner.
HEADLINE_RULES = ("plurality", "instant_runoff", "borda", "schulze", "utilitarian",
                  "majority_judgment", "copeland", "maximal_lottery", "plurality_with_runoff",
                  "ranked_pairs", "kemeny_young", "maximin", "bradley_terry")
#: Ordinal rules whose axiom violations the report looks for in the data (when applicable).
AXIOM_RULES = ("plurality", "instant_runoff", "plurality_with_runoff", "borda", "coombs",
               "bucklin", "baldwin", "copeland", "schulze")
#: Time budget (seconds) of the axiom search and of the matrix rows, each.
AXIOM_BUDGET = 25.0
#: Rules run per group (cheap, and covering the positional / pairwise / cardinal families).
GROUP_RULES = ("plurality", "borda", "instant_runoff", "schulze", "copeland", "utilitarian",
               "majority_judgment", "maximal_lottery")
#: Most groups shown per attribute (the largest).
MAX_GROUPS = 12
#: Most alternatives for which the exhaustive pieces (axiom search, matrix) run.
MAX_AXIOM_CANDIDATES = 12


# ---------------------------------------------------------------- helpers
class Labeler:
    """Display labels of the alternatives (names where the file gives them)."""

    def __init__(self, candidates: tuple, names: dict | None = None):
        self.candidates = tuple(candidates)
        names = names or {}
        self.names = [str(names.get(c, c)) for c in self.candidates]
        if len(set(self.names)) < len(self.names):  # names must be unique keys
            self.names = [f"{n} ({c})" for n, c in zip(self.names, self.candidates)]

    def __call__(self, c: Any) -> str:
        return self.names[self.candidates.index(c)]

    def idx(self, i: int) -> str:
        return self.names[int(i)]

    def many(self, cs) -> list[str]:
        return [self(c) for c in cs]


def _num(x: Any, nd: int = 6) -> Any:
    """JSON-safe rounded number (NaN/inf -> None)."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(f):
        return None
    if f == int(f) and abs(f) < 2**53:
        return int(f) if isinstance(x, (int, np.integer)) else round(f, nd)
    return round(f, nd)


def _call(fn: Callable, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``fn`` and collect the messages of the warnings it raises."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    msgs = []
    for w in rec:
        if issubclass(w.category, DeprecationWarning):
            continue
        m = " ".join(str(w.message).split())
        if m not in msgs:
            msgs.append(m)
    return out, msgs


def _progress(iterable, desc: str, enabled: bool, total: int | None = None):
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return iterable
    return tqdm(iterable, desc=desc, total=total, leave=False, unit="step")


def borda_utilities(profile) -> np.ndarray:
    """Utilities of rankings: the share of the other alternatives ranked strictly below.

    Unranked alternatives sit below every ranked one (docs/conventions.md), so a ballot's top
    choice gets 1 and its unranked alternatives 0. Shape ``(..., n, m)``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.Rankings.from_orders([[2, 0]], n_candidates=3)
    >>> borda_utilities(p).tolist()
    [[0.5, 0.0, 1.0]]
    """
    R = np.asarray(profile.ranks)
    m = R.shape[-1]
    lv = np.where(R < 0, m, R)
    below = (lv[..., :, None] < lv[..., None, :]).sum(-1)
    return below / max(m - 1, 1)


def _is_batch(profile) -> bool:
    return len(getattr(profile, "batch_shape", ())) > 0


def _weights(profile) -> np.ndarray:
    return np.asarray(profile.weights_or_ones(), dtype=float)


def _attr_values(data, attr: str) -> np.ndarray | None:
    prof = data.profile
    attrs = getattr(prof, "rater_attributes", None)
    if attrs is None:
        attrs = getattr(prof, "voter_attributes", {})
    return None if attr not in attrs else np.asarray(attrs[attr], dtype=object)


def _group_labels(vals: np.ndarray) -> tuple[list, np.ndarray]:
    """Group labels (largest first, missing left out) and a per-rater valid mask."""
    import pandas as pd

    ok = ~pd.isna(vals)
    labs, counts = np.unique(vals[ok].astype(str), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return [labs[i] for i in order], ok


def _subprofile(profile, mask: np.ndarray):
    """The raters in ``mask`` as a profile of the same kind (single election)."""
    from ..profiles import Rankings, Ratings

    w = profile.weights
    if isinstance(profile, Ratings):
        vals = np.asarray(profile.values)[..., mask, :]
        return Ratings(vals, None if w is None else np.asarray(w)[..., mask],
                       np.asarray(profile.raters, dtype=object)[mask].tolist(),
                       candidates=profile.candidates,
                       **({"batch_dims": profile._batch_dims, "items": profile.items}
                          if _is_batch(profile) else {}))
    R = np.asarray(profile.ranks)[..., mask, :]
    return Rankings(R, None if w is None else np.asarray(w)[..., mask], profile.candidates,
                    **({"batch_dims": profile._batch_dims, "items": profile.items}
                       if _is_batch(profile) else {}))


def _applicable_rules() -> list[str]:
    from .. import rules

    return list(rules.names())


def _run_rule(name: str, profile) -> tuple[Any, list[str], str | None]:
    """(result, warnings, reason-if-not-applicable)."""
    from .. import rules

    fn = rules.get(name)
    try:
        res, msgs = _call(fn, profile)
    except TypeError as exc:
        if "required keyword-only argument" in str(exc):
            arg = str(exc).split("'")[-2] if "'" in str(exc) else "an option"
            return None, [], f"needs the option {arg}= (run sc.rules.{name} yourself)"
        raise
    except SocialChoiceError as exc:
        return None, [], " ".join(str(exc).split())[:240]
    return res, msgs, None


def _winners_of(res, lab: Labeler) -> Any:
    mask = np.asarray(res.winner_mask)
    if mask.ndim == 1:
        return [lab.idx(i) for i in np.flatnonzero(mask)]
    return [[lab.idx(i) for i in np.flatnonzero(row)] for row in mask.reshape(-1, mask.shape[-1])]


def _share(res) -> np.ndarray:
    """Per alternative: share of items won (ties split evenly); lottery when there is one."""
    if res.lottery is not None:
        lot = np.asarray(res.lottery, dtype=float)
        return lot.reshape(-1, lot.shape[-1]).mean(0)
    mask = np.asarray(res.winner_mask, dtype=float).reshape(-1, np.shape(res.winner_mask)[-1])
    return (mask / np.maximum(mask.sum(-1, keepdims=True), 1)).mean(0)


# ---------------------------------------------------------------- data
def section_data(data, lab: Labeler) -> dict:
    prof = data.profile
    out: dict[str, Any] = {"kind": data.kind, "file": data.path, "format": data.fmt,
                           "title": data.title, "alternatives": lab.names,
                           "n_alternatives": prof.n_candidates}
    if data.kind in ("ratings", "rankings"):
        w = _weights(prof)
        out["n_items"] = int(np.prod(prof.batch_shape)) if _is_batch(prof) else 1
        out["items"] = [str(i) for i in (prof.items or ())][:50] if _is_batch(prof) else []
        out["n_raters"] = int(prof.n_ballots)
        out["total_weight"] = _num(np.sum(w) / max(out["n_items"], 1))
        out["weighted"] = prof.weights is not None
    if data.kind == "ratings":
        vals = np.asarray(prof.values)
        out["missing_fraction"] = _num(np.isnan(vals).mean())
        fin = vals[~np.isnan(vals)]
        out["rating_range"] = [_num(fin.min()), _num(fin.max())] if fin.size else None
        levels = np.unique(fin)
        out["rating_levels"] = [_num(v) for v in levels] if levels.size <= 11 else None
        out["raters_per_alternative"] = {
            lab.idx(j): int((~np.isnan(vals[..., j])).sum()) for j in range(vals.shape[-1])}
        per = (~np.isnan(vals)).sum(-1).reshape(-1)
        out["ratings_per_rater"] = {"min": int(per.min()), "median": _num(np.median(per)),
                                    "max": int(per.max())}
    elif data.kind == "rankings":
        bt = prof.ballot_types()
        out["ballot_types"] = {k: _num(v) for k, v in bt.items()}
        out["ties"] = bool(prof.has_ties()) if callable(prof.has_ties) else bool(prof.has_ties)
        out["unique_ballots"] = int(prof.unique().n_ballots) if not _is_batch(prof) else None
    elif data.kind == "pairwise":
        out["n_records"] = int(len(data.table)) if data.table is not None else None
        out["n_items"] = int(np.prod(prof.batch_shape)) if prof.batch_shape else 1
        out["total_weight"] = _num(np.sum(np.asarray(prof.total_weight)))
    groups = {}
    for attr in data.columns.get("attributes") or []:
        if data.kind == "pairwise":
            vc = data.table[attr].astype(str).value_counts()
            groups[attr] = {str(k): int(v) for k, v in vc.items()}
            continue
        vals = _attr_values(data, attr)
        if vals is None:
            continue
        labs, ok = _group_labels(vals)
        sizes = {g: int((vals[ok].astype(str) == g).sum()) for g in labs}
        if (~ok).any():
            sizes["(missing)"] = int((~ok).sum())
        groups[attr] = sizes
    out["groups"] = groups
    return out


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


# ---------------------------------------------------------------- axioms
def _ordinal_profile(data):
    prof = data.profile
    if data.kind == "rankings":
        return prof.unique()
    return prof.to_rankings().unique()


def _headline(w, rule: str, lab: Labeler, M: np.ndarray) -> str:
    """A sentence naming the candidates, from the witness's outcomes and the margins."""
    won = [lab.idx(i) for i in (w.outcomes[0] if w.outcomes else ())]
    rname = rule.replace("_", " ")
    if w.axiom == "condorcet_winner":
        m = M.shape[0]
        cw = [i for i in range(m) if all(M[i, j] > 0 for j in range(m) if j != i)]
        if cw and w.outcomes:
            c = cw[0]
            others = [i for i in w.outcomes[0] if i != c]
            if others:
                x = others[0]
                return (f"{rname} elects {', '.join(won)} although {lab.idx(c)} beats every "
                        f"rival head to head: {M[c, x]:+.0f} over {lab.idx(x)}")
    if w.axiom == "condorcet_loser" and won:
        return f"{rname} elects {', '.join(won)}, who loses head to head to every rival"
    if w.axiom == "smith" and won:
        return f"{rname} elects {', '.join(won)}, outside the Smith set (the top cycle)"
    if w.axiom == "pmc":
        return (f"{rname}'s ranking differs from the majority relation, although that relation "
                "is a linear order (pairwise majority consistency)")
    if w.axiom in ("majority", "majority_loser") and won:
        return f"{rname} elects {', '.join(won)}: {w.explanation}"
    return f"{rname} violates {w.axiom.replace('_', ' ')}: {w.explanation}"


def _violations(axioms, prof, rule: str, names: list[str]) -> tuple[list, str | None]:
    """``sc.axioms.violations`` over the axioms in ``names`` that apply to ``rule``.

    An axiom that does not apply (e.g. one for probabilistic rules) makes the call raise,
    naming the axiom: drop it and ask again.
    """
    names = list(names)
    while names:
        try:
            ws, _ = _call(axioms.violations, prof, rule, names)
            return ws, None
        except SocialChoiceError as exc:
            msg = " ".join(str(exc).split())
            bad = [a for a in names if f"'{a}'" in msg]
            if not bad:
                return [], msg
            names = [a for a in names if a not in bad]
    return [], None


def section_axioms(data, lab: Labeler, rules_out: dict, *, progress: bool) -> dict | None:
    from .. import axioms

    if data.kind not in ("rankings", "ratings") or _is_batch(data.profile):
        return None
    if data.profile.n_candidates > MAX_AXIOM_CANDIDATES:
        return {"skipped": f"more than {MAX_AXIOM_CANDIDATES} alternatives", "violations": []}
    prof = _ordinal_profile(data)
    M = np.asarray(prof.margins(), dtype=float)
    single = axioms.names(kind="single")
    shown = [r for r in AXIOM_RULES if r in rules_out.get("winners", {})]
    found: list[dict] = []
    skipped: list[str] = []
    t0 = time.perf_counter()
    for rule in _progress(shown, "axioms in the data", progress):
        if time.perf_counter() - t0 > AXIOM_BUDGET:
            skipped.append(rule)
            continue
        ws, err = _violations(axioms, prof, rule, list(single))
        if err is not None:
            found.append({"rule": rule, "axiom": None, "error": err})
            continue
        for w in ws:
            found.append({"rule": rule, "axiom": w.axiom,
                          "headline": _headline(w, rule, lab, M),
                          "explanation": w.explanation,
                          "winners": [lab.idx(i) for i in (w.outcomes[0] if w.outcomes else ())],
                          "definition": axioms.info(w.axiom).meta.get("definition", "")})
    letters = {chr(97 + i): lab.idx(i) for i in range(min(prof.n_candidates, 26))}
    out: dict[str, Any] = {"violations": [f for f in found if f.get("axiom")],
                           "errors": [f for f in found if not f.get("axiom")],
                           "rules_checked": [r for r in shown if r not in skipped],
                           "axioms_checked": list(single), "legend": letters,
                           "budget_skipped": skipped}
    if data.kind == "ratings":
        out["note"] = ("checked on the ratings read as rankings (equal ratings tie; a missing "
                       "rating ranks below every given one)")
    # the compliance matrix rows of the rules shown, over the axioms violated here
    vrules = sorted({f["rule"] for f in out["violations"]}, key=AXIOM_RULES.index)
    vaxioms = sorted({f["axiom"] for f in out["violations"]})
    if vrules and vaxioms:
        rows = vrules + [r for r in ("schulze", "copeland") if r not in vrules and r in shown][:1]
        try:
            df, _ = _call(axioms.matrix, rows, vaxioms, max_candidates=3, max_voters=4,
                          time_limit=AXIOM_BUDGET)
            out["matrix"] = {"rules": list(df.index), "axioms": list(df.columns),
                             "cells": [[str(v) for v in row] for row in df.to_numpy()],
                             "bounds": "exhaustive search, up to 3 candidates and 4 voters "
                                       "(sc.axioms.matrix)"}
        except SocialChoiceError as exc:
            out["matrix"] = {"error": " ".join(str(exc).split())}
    return out


# ---------------------------------------------------------------- welfare and bargaining
def _agents(data, attr: str | None) -> dict | None:
    """Utilities ``U (agents x alternatives)`` with agent labels, weights and a description."""
    prof = data.profile
    if data.kind not in ("rankings", "ratings") or _is_batch(prof):
        return None
    if attr is not None and data.kind == "ratings" and _attr_values(data, attr) is not None:
        G, _ = _call(prof.group_means, attr)
        U = np.asarray(G.values, dtype=float)
        if np.isnan(U).any():
            keep = ~np.isnan(U).any(1)
            U = U[keep]
            labels = [str(g) for g, k in zip(G.coords["group"].values, keep) if k]
        else:
            labels = [str(g) for g in G.coords["group"].values]
        if len(labels) < 2:
            return None
        return {"U": U, "weights": None, "labels": labels, "agents": f"groups of {attr!r}",
                "utility": "each group's mean rating (Ratings.group_means)"}
    if attr is not None and data.kind == "rankings" and _attr_values(data, attr) is not None:
        vals = _attr_values(data, attr)
        labs, ok = _group_labels(vals)
        Ub = borda_utilities(prof)
        w = _weights(prof)
        rows = []
        for g in labs[:MAX_GROUPS]:
            sel = ok & (vals.astype(str) == g)
            rows.append((w[sel, None] * Ub[sel]).sum(0) / w[sel].sum())
        return {"U": np.array(rows), "weights": None, "labels": labs[:MAX_GROUPS],
                "agents": f"groups of {attr!r}",
                "utility": "each group's mean Borda utility (share of rivals ranked below)"}
    if data.kind == "rankings":
        u = prof.unique()
        return {"U": borda_utilities(u), "weights": _weights(u), "labels": None,
                "agents": "voters (identical ballots merged, weighted by their count)",
                "utility": "Borda utility: the share of rivals a voter ranks below the "
                           "alternative (unranked alternatives at the bottom)"}
    vals = np.asarray(prof.values, dtype=float)
    complete = ~np.isnan(vals).any(1)
    if complete.sum() < 2:
        return None
    return {"U": vals[complete], "weights": _weights(prof)[complete], "labels": None,
            "agents": f"raters who rated every alternative ({int(complete.sum())} of "
                      f"{prof.n_ballots})",
            "utility": "ratings as utilities"}


WELFARE_SHOWN = ("utilitarian", "nash", "egalitarian", "leximin")
BARGAINING_SHOWN = ("utilitarian", "nash", "kalai_smorodinsky", "egalitarian", "leximin")


def section_welfare(data, lab: Labeler, attr: str | None, *, progress: bool) -> tuple:
    from .. import bargaining, welfare

    ag = _agents(data, attr)
    if ag is None:
        return None, None
    U, w = ag["U"], ag["weights"]
    d = welfare.resolve_disagreement(U, "min")
    wout: dict[str, Any] = {"agents": ag["agents"], "utility": ag["utility"],
                            "n_agents": int(U.shape[0]), "disagreement": "each agent's worst "
                            "alternative (disagreement='min')", "choices": {}}
    gains_of: dict[str, np.ndarray] = {}
    for name in WELFARE_SHOWN:
        try:
            res, msgs = _call(welfare.get(name), U, weights=w, disagreement="min")
        except SocialChoiceError as exc:
            wout["choices"][name] = {"error": " ".join(str(exc).split())}
            continue
        best = np.flatnonzero(np.asarray(res.levels) == 0)
        wout["choices"][name] = {"winners": [lab.idx(i) for i in best],
                                 "values": {lab.idx(i): _num(v) for i, v in
                                            enumerate(np.asarray(res.values))},
                                 "warnings": msgs}
        gains_of[f"welfare.{name}"] = U[:, best[0]] - d
    bout: dict[str, Any] = {"agents": ag["agents"], "over": "lotteries over the alternatives",
                            "disagreement": "each agent's worst alternative", "solutions": {}}
    lotteries: dict[str, np.ndarray] = {}
    big = U.shape[0] > 200
    for name in _progress(BARGAINING_SHOWN, "bargaining", progress):
        if big and name == "kalai_smorodinsky":
            bout["solutions"][name] = {"skipped": f"{U.shape[0]} agents: Kalai-Smorodinsky is "
                                                  "shown for at most 200 (pass --attribute)"}
            continue
        kw: dict[str, Any] = {"disagreement": "min", "over": "lottery"}
        if name != "kalai_smorodinsky" and w is not None:
            kw["weights"] = w
        try:
            res, msgs = _call(bargaining.get(name), U, **kw)
        except SocialChoiceError as exc:
            bout["solutions"][name] = {"error": " ".join(str(exc).split())}
            continue
        lot = np.asarray(res.lottery, dtype=float)
        lotteries[name] = lot
        entry = {"lottery": {lab.idx(i): _num(p, 4) for i, p in enumerate(lot) if p > 1e-6},
                 "status": str(res.status), "solver": str(res.solver), "warnings": msgs}
        if ag["labels"] is not None:
            entry["utilities"] = {g: _num(u, 4) for g, u in zip(ag["labels"],
                                                                np.asarray(res.utilities))}
        bout["solutions"][name] = entry
        gains_of[f"bargaining.{name}"] = U @ lot - d
    # price of fairness: utilitarian gain lost by each fair choice, relative to the best
    ww = np.ones(U.shape[0]) if w is None else np.asarray(w, float)
    mean_gain = {k: float(ww @ g / ww.sum()) for k, g in gains_of.items()}
    best_gain = mean_gain.get("bargaining.utilitarian", mean_gain.get("welfare.utilitarian"))
    pof = {}
    if best_gain is not None and best_gain > 0:
        for k, v in mean_gain.items():
            if "utilitarian" not in k:
                pof[k] = _num(max(0.0, (best_gain - v) / best_gain), 4)
    bout["price_of_fairness"] = pof
    bout["mean_gain"] = {k: _num(v, 4) for k, v in mean_gain.items()}
    # each group's utility under each choice (the grouped bar plot)
    if ag["labels"] is not None:
        table = {}
        for name, c in wout["choices"].items():
            if "winners" in c:
                j = lab.names.index(c["winners"][0])
                table[f"{name} welfare: {c['winners'][0]}"] = {
                    g: _num(U[k, j], 4) for k, g in enumerate(ag["labels"])}
        for name, lot in lotteries.items():
            table[f"{name} bargaining (lottery)"] = {
                g: _num(U[k] @ lot, 4) for k, g in enumerate(ag["labels"])}
        wout["group_utilities"] = table
        wout["groups"] = ag["labels"]
        wout["U"] = {g: {lab.idx(j): _num(U[k, j], 4) for j in range(U.shape[1])}
                     for k, g in enumerate(ag["labels"])}
    return wout, bout


# ---------------------------------------------------------------- groups, agreement, juries
def _alpha(values: np.ndarray, level: str, *, seed: Any, n_resamples: int) -> dict:
    from .. import jury

    X = np.asarray(values, dtype=float)
    X = X.reshape(-1, X.shape[-2], X.shape[-1]).transpose(1, 0, 2).reshape(X.shape[-2], -1) \
        if X.ndim == 3 else X
    res, msgs = _call(jury.krippendorff_alpha, X, level, n_resamples=n_resamples, seed=seed)
    return {"alpha": _num(res.alpha, 4), "low": _num(res.low, 4), "high": _num(res.high, 4),
            "level": res.level, "n_units": int(res.n_units), "n_raters": int(X.shape[0]),
            "warnings": msgs}


def section_agreement(data, attr: str | None, *, seed: Any, n_resamples: int = 200) -> dict | None:
    prof = data.profile
    if data.kind not in ("ratings", "rankings"):
        return None
    if data.kind == "ratings":
        vals, level = np.asarray(prof.values, dtype=float), "interval"
        unit = "alternative" + (" x item" if _is_batch(prof) else "")
    else:
        R = np.asarray(prof.ranks, dtype=float)
        if prof.weights is not None and not _is_batch(prof):
            w = np.asarray(prof.weights)
            if not np.allclose(w, np.round(w)) or w.sum() > 50_000:
                return {"skipped": "weighted ballots with non-integer or very large weights"}
            R = np.repeat(R, np.round(w).astype(int), axis=0)
        vals, level = np.where(R < 0, np.nan, R), "ordinal"
        unit = "alternative (rank levels)"
    try:
        out = {"overall": _alpha(vals, level, seed=seed, n_resamples=n_resamples),
               "unit": unit, "method": f"sc.jury.krippendorff_alpha(level={level!r}), "
                                       f"{n_resamples} bootstrap resamples of the units"}
    except SocialChoiceError as exc:
        return {"skipped": " ".join(str(exc).split())}
    if attr is not None and _attr_values(data, attr) is not None and data.kind == "ratings":
        gv = _attr_values(data, attr)
        labs, ok = _group_labels(gv)
        per = {}
        for g in labs[:MAX_GROUPS]:
            sel = ok & (gv.astype(str) == g)
            if sel.sum() < 2:
                continue
            try:
                per[g] = _alpha(vals[..., sel, :], level, seed=seed, n_resamples=n_resamples)
            except SocialChoiceError as exc:
                per[g] = {"error": " ".join(str(exc).split())}
        out["per_group"] = per
    return out


def section_groups(data, lab: Labeler, attr: str, *, progress: bool) -> dict | None:
    """Per-group winners under the group rules (and win shares for batches)."""
    from ..profiles import Pairwise

    if data.kind == "pairwise":
        df = data.table
        if attr not in df.columns:
            return None
        out: dict[str, Any] = {"attribute": attr, "winners": {}, "sizes": {}}
        for g, sub in df.groupby(df[attr].astype(str)):
            try:
                p = Pairwise.from_records(sub, item=data.columns.get("item"),
                                          candidates=data.profile.candidates, ties="half")
            except SocialChoiceError:
                continue
            out["sizes"][g] = int(len(sub))
            out["winners"][g] = {}
            for rule in ("copeland", "schulze", "maximal_lottery", "bradley_terry"):
                res, _, reason = _run_rule(rule, p)
                if reason is None:
                    out["winners"][g][rule] = _winners_of(res, lab)
        return out
    vals = _attr_values(data, attr)
    if vals is None or data.kind not in ("ratings", "rankings"):
        return None
    labs, ok = _group_labels(vals)
    out = {"attribute": attr, "winners": {}, "sizes": {}, "win_share": {}}
    for g in _progress(labs[:MAX_GROUPS], f"groups of {attr}", progress):
        sel = ok & (vals.astype(str) == g)
        sub = _subprofile(data.profile, sel)
        out["sizes"][g] = int(sel.sum())
        out["winners"][g] = {}
        for rule in GROUP_RULES:
            res, _, reason = _run_rule(rule, sub)
            if reason is None:
                out["winners"][g][rule] = _winners_of(res, lab)
                if _is_batch(sub):
                    out["win_share"].setdefault(g, {})[rule] = {
                        lab.idx(i): _num(v, 4) for i, v in enumerate(_share(res))}
    # where the groups disagree
    dis = []
    for rule in GROUP_RULES:
        picks = {g: tuple(map(str, out["winners"][g].get(rule, ()))) for g in out["winners"]}
        if len(set(picks.values())) > 1 and all(picks.values()):
            dis.append(rule)
    out["rules_where_groups_disagree"] = dis
    return out


def section_juries(data, lab: Labeler, attr: str, *, seed: Any, progress: bool,
                   n_juries: int = 500, size: int = 12) -> dict | None:
    from .. import jury

    prof = data.profile
    vals = _attr_values(data, attr)
    if vals is None or data.kind not in ("ratings", "rankings") or _is_batch(prof):
        return None
    labs, ok = _group_labels(vals)
    if len(labs) < 2:
        return {"skipped": f"attribute {attr!r} has fewer than 2 groups"}
    X = (np.asarray(prof.values, dtype=float) if data.kind == "ratings"
         else borda_utilities(prof))
    if prof.weights is not None and data.kind == "rankings":
        w = np.asarray(prof.weights)
        if not np.allclose(w, np.round(w)) or w.sum() > 200_000:
            return {"skipped": "weighted ballots: juries need one row per rater"}
        rep = np.round(w).astype(int)
        X, vals, ok = np.repeat(X, rep, 0), np.repeat(vals, rep), np.repeat(ok, rep)
    X, g = X[ok], vals[ok].astype(str)
    counts = {lb: int((g == lb).sum()) for lb in labs}
    shares = {lb: c / len(g) for lb, c in counts.items()}
    size = int(min(size, len(g)))
    aggregate = "utilitarian"
    out: dict[str, Any] = {"attribute": attr, "size": size, "n_juries": n_juries,
                           "aggregate": f"{aggregate} (mean rating; sc.rules.utilitarian)"
                           if data.kind == "ratings" else f"{aggregate} on Borda utilities",
                           "composition": {k: _num(v, 4) for k, v in shares.items()}}
    try:
        J, _ = _call(jury.sample, g, shares, n_juries=n_juries, size=size,
                     shortfall="replace", seed=seed)
        v, msgs = _call(jury.verdicts, X, J, aggregate=aggregate)
        out["win_probability"] = {lab.idx(i): _num(p, 4) for i, p in
                                  enumerate(np.asarray(v.win_probability)) if p > 0}
        out["warnings"] = msgs
        dres, _ = _call(jury.dissent, X, J, g, v)
        out["dissent"] = {str(k): _num(x, 4) for k, x in zip(dres.groups, dres.dissent)}
    except SocialChoiceError as exc:
        out["error"] = " ".join(str(exc).split())
        return out
    # composition sweep of the smallest group
    target = labs[-1]
    try:
        sw, _ = _call(jury.composition_sweep, X, g, target, aggregate=aggregate, size=size,
                      n_juries=200, replace=True, seed=seed)
        wp = np.asarray(sw.win_probability)
        lead = np.argsort(-wp.max(0))[:4]
        out["sweep"] = {"group": target, "shares": [_num(s, 4) for s in sw.shares],
                        "win_probability": {lab.idx(j): [_num(p, 4) for p in wp[:, j]]
                                            for j in lead},
                        "modal": [lab.idx(int(j)) if j is not None and j >= 0 else None
                                  for j in np.asarray(sw.modal).reshape(-1)]
                        if sw.modal is not None else None,
                        "flip_share": _num(np.asarray(sw.flip_share).reshape(-1)[0], 4)}
    except SocialChoiceError as exc:
        out["sweep"] = {"error": " ".join(str(exc).split())}
    # group effects (crossed random effects), ratings only
    if data.kind == "ratings":
        out["group_effects"] = _group_effects(data, attr, seed=seed)
    return out


#: Most rows given to the mixed model (statsmodels' crossed random effects grow fast with n).
GROUP_EFFECTS_MAX_ROWS = 600


def _group_effects(data, attr: str, *, seed: Any = 0) -> dict:
    from .. import io, jury
    from .._random import resolve_rng

    df = io.to_dataframe(data.profile)
    df = df[df[attr].notna()].copy()
    df[attr] = df[attr].astype(str)
    note = ""
    if len(df) > GROUP_EFFECTS_MAX_ROWS:
        raters = df["rater"].unique()
        per = len(df) / len(raters)
        k = max(int(GROUP_EFFECTS_MAX_ROWS / per), 10)
        keep = resolve_rng(seed).choice(raters, size=min(k, len(raters)), replace=False)
        df = df[df["rater"].isin(set(keep.tolist()))]
        note = (f"fitted on a random sample of {len(set(keep.tolist()))} of {len(raters)} raters "
                f"({len(df)} ratings; seed {seed}): the crossed random-effects fit grows fast "
                "with the data; run sc.jury.group_effects on all of it for the full fit")
    try:
        res, msgs = _call(jury.group_effects, df, rating="rating", group=attr, rater="rater",
                          item="alternative")
    except SocialChoiceError as exc:
        return {"skipped": " ".join(str(exc).split())}
    except (ImportError, np.linalg.LinAlgError) as exc:
        return {"skipped": f"the mixed model could not be fitted ({type(exc).__name__}: {exc})"}
    fe = res.fixed_effects
    rows = {}
    for name, r in fe.iterrows():
        rows[str(name)] = {k: _num(r[k], 4) for k in fe.columns}
    return {"fixed_effects": rows, "icc": {k: _num(v, 4) for k, v in res.icc.items()},
            "converged": bool(res.converged), "n_obs": int(res.n_obs), "warnings": msgs,
            "note": note,
            "model": f"rating ~ C({attr}) + (1|rater) + (1|alternative) "
                     "(sc.jury.group_effects, statsmodels MixedLM)"}


# ---------------------------------------------------------------- distributional alignment
def _human_distributions(data, attr: str | None):
    """Human answer distributions per (question, group)."""
    from .. import divergence, io

    if data.kind == "distributions":
        return data.table, None
    if data.kind != "ratings":
        return None, "needs ratings (answers) or a distribution table"
    df = io.to_dataframe(data.profile)
    q = df["alternative"].astype(str)
    if "item" in df.columns:
        q = df["item"].astype(str) + " | " + q
    resp = {"question": q, "answer": df["rating"]}
    if attr is not None and attr in df.columns:
        resp["group"] = df[attr].astype(str).where(df[attr].notna(), None)
    import pandas as pd

    frame = pd.DataFrame(resp).dropna(subset=["answer"])
    levels = sorted(frame["answer"].unique())
    opts = {qq: levels for qq in frame["question"].unique()}
    if "group" in frame:
        frame = frame.dropna(subset=["group"])
        h, _ = _call(divergence.group_distributions, frame, options=opts)
    else:
        h, _ = _call(divergence.group_distributions, frame, group=None, options=opts)
    return h, None


def section_distributional(data, model, lab: Labeler, attr: str | None, *, seed: Any,
                           n_resamples: int = 200) -> dict | None:
    from .. import stats
    from ..divergence import pluralism

    if model is None:
        return None
    human, why = _human_distributions(data, attr)
    if human is None:
        return {"skipped": why}
    if "question_key" in human.columns:
        mq = set(model["question"].astype(str))
        if not mq & set(human["question"]) and mq & set(human["question_key"]):
            human = human.assign(question=human["question_key"])
        human = human.drop(columns="question_key")
    if data.kind != "distributions":
        # the model table names questions by alternative label or id
        names = {str(c): str(c) for c in data.profile.candidates}
        names.update({lab(c): str(c) for c in data.profile.candidates})
        model = model.copy()
        model["question"] = model["question"].map(lambda s: names.get(s, s))
    out: dict[str, Any] = {"presets": {}}
    for preset in ("opinionqa", "globalopinionqa", "distalign"):
        try:
            res, msgs = _call(pluralism.alignment, model, human, preset=preset)
        except SocialChoiceError as exc:
            out["presets"][preset] = {"error": " ".join(str(exc).split())}
            continue
        pg = res.per_group
        out["presets"][preset] = {
            "value": _num(res.value, 4), "higher_is_better": bool(res.higher_is_better),
            "per_group": {str(r.group): _num(r.score, 4) for r in pg.itertuples()}
            if pg is not None else {}, "warnings": msgs}
    try:
        da, msgs = _call(pluralism.distributional_alignment, model, human,
                         n_resamples=n_resamples, rng=seed)
        out["distalign_interval"] = {"value": _num(da.value, 4), "low": _num(da.low, 4),
                                     "high": _num(da.high, 4),
                                     "confidence_level": da.confidence_level,
                                     "n_resamples": int(da.n_resamples),
                                     "unit": "questions"}
    except SocialChoiceError as exc:
        out["distalign_interval"] = {"error": " ".join(str(exc).split())}
    # per (question, group) Jensen-Shannon distance: the heatmap
    try:
        sc_, _ = _call(pluralism.question_scores, model, human, preset=None,
                       metric="jensen_shannon_distance", warn=False)
        sc_ = sc_.copy()
        sc_["question"] = sc_["question"].astype(str)
        qs = list(dict.fromkeys(sc_["question"]))[:40]
        gs = list(dict.fromkeys(sc_["group"].astype(str)))[:20]
        piv = sc_.pivot_table(index="group", columns="question", values="score", aggfunc="mean")
        out["heatmap"] = {"metric": "Jensen-Shannon distance (base 2)", "groups": gs,
                          "questions": [_qlabel(q, lab, data) for q in qs],
                          "values": [[_num(piv.loc[g, q], 4) if (g in piv.index and q in
                                      piv.columns) else None for q in qs] for g in gs]}
    except SocialChoiceError as exc:
        out["heatmap"] = {"error": " ".join(str(exc).split())}
    # noise floor: what sampling noise alone gives, per group (humans with known sample sizes)
    if "n" in human.columns:
        floors = {}
        for g, sub in human.groupby("group"):
            vals = []
            for r in sub.itertuples():
                try:
                    nf, _ = _call(stats.noise_floor, r.distribution, max(float(r.n_eff), 1.0),
                                  metric="total_variation", rng=seed, n_resamples=200)
                    vals.append(float(nf.mean))
                except SocialChoiceError:
                    continue
            if vals:
                floors[str(g)] = _num(np.mean(vals), 4)
        out["noise_floor"] = {"metric": "total variation (distalign scale)", "per_group": floors}
    return out


def _qlabel(q: str, lab: Labeler, data) -> str:
    if data.kind == "distributions":
        return q[:14]
    for c in data.profile.candidates:
        if str(c) == q:
            return lab(c)
    return q


# ---------------------------------------------------------------- trade-offs
def tradeoff_available() -> bool:
    """True when ``sc.tradeoff`` offers the functions the trade-off section uses."""
    try:
        import socialchoice.tradeoff as tr
    except ImportError:
        return False
    return all(hasattr(tr, n) for n in ("is_nondominated", "hypervolume"))


def section_tradeoff(data, objectives: list[str] | None) -> dict | None:
    """Pareto front and hypervolume of the alternatives on the named objective columns.

    Shown only when ``--objectives`` is given and ``sc.tradeoff`` has ``is_nondominated``
    and ``hypervolume`` at run time (the family is being built).
    """
    if not objectives:
        return None
    if not tradeoff_available():
        return {"skipped": "sc.tradeoff (is_nondominated, hypervolume) is not available in "
                           "this version"}
    import socialchoice.tradeoff as tr

    F, labels, why = _objective_matrix(data, objectives)
    if F is None:
        return {"skipped": why}
    try:
        nd, _ = _call(tr.get("is_nondominated"), F, maximise=True)
        nd = np.asarray(nd, dtype=bool)
        ref = F.min(0) - 0.1 * (np.ptp(F, 0) + (np.ptp(F, 0) == 0))
        hv, _ = _call(tr.get("hypervolume"), F[nd], ref, maximise=True)
        hv = getattr(hv, "value", hv)
        out = {"objectives": objectives, "points": {lb: [_num(v, 12) for v in row]
                                                    for lb, row in zip(labels, F)},
               "front": [lb for lb, k in zip(labels, nd) if k],
               "hypervolume": _num(hv, 12), "reference": [_num(v, 12) for v in ref],
               "direction": "larger is better on every objective"}
    except (SocialChoiceError, TypeError, ValueError) as exc:
        return {"skipped": f"sc.tradeoff failed: {' '.join(str(exc).split())}"}
    return out


def _objective_matrix(data, objectives: list[str]):
    """Alternatives x objectives: the mean of each objective column per alternative."""
    import pandas as pd

    if data.kind not in ("ratings", "rankings", "pairwise"):
        return None, None, "needs a long table"
    path = data.path
    try:
        df = data.table if data.table is not None else pd.read_csv(
            path, sep="\t" if path.lower().endswith((".tsv", ".tsv.gz")) else ",")
    except (OSError, ValueError) as exc:
        return None, None, f"cannot reread {path}: {exc}"
    missing = [c for c in objectives if c not in df.columns]
    if missing:
        from ..errors import ParseError

        raise ParseError(f"--objectives {missing[0]!r}: no such column; the columns are "
                         f"{', '.join(map(str, df.columns))}", path=path, lineno=1)
    alt = data.columns.get("alternative", "alternative")
    if alt not in df.columns:
        return None, None, f"no {alt!r} column"
    means = df.groupby(alt)[objectives].mean(numeric_only=True)
    return means.to_numpy(float), [str(a) for a in means.index], None


# ---------------------------------------------------------------- summary
def summarize(rep: dict) -> list[str]:
    """The "what this data says" sentences of the summary box."""
    out = []
    r = rep.get("rules") or {}
    if r.get("by_winner") and "condorcet_winner" in r:
        g = [x for x in r["by_winner"] if x["decisive"]]
        if len(g) == 1:
            out.append(f"All {len(g[0]['rules'])} decisive rules pick {g[0]['label']}.")
        elif g:
            parts = [f"{len(x['rules'])} rule{'s' if len(x['rules']) > 1 else ''} pick "
                     f"{x['label']} ({', '.join(x['rules'][:3])}{', …' if len(x['rules']) > 3 else ''})"
                     for x in g[:3]]
            out.append(f"The rules disagree: {'; '.join(parts)}.")
        if r.get("condorcet_winner"):
            cm = r.get("condorcet_margins") or {}
            weakest = next(iter(cm.items()), None)
            out.append(f"{r['condorcet_winner']} is the Condorcet winner: a majority prefers "
                       f"them to every rival" + (f" (closest: {weakest[1]:+g} over {weakest[0]})"
                                                 if weakest else "") + ".")
        elif r.get("cycle"):
            out.append("There is no Condorcet winner: the majority relation cycles ("
                       + " > ".join(r["cycle"]) + ").")
    elif r.get("by_winner"):
        out.append(f"Across items, the rules fall into {len(r['by_winner'])} groups by the "
                   "alternatives they pick.")
    ax = rep.get("axiom_violations") or {}
    if ax.get("violations"):
        v = ax["violations"][0]
        out.append(f"Axiom violation in this very data: {v['headline']}.")
    gr = rep.get("groups") or {}
    for attr, g in gr.items():
        dis = g.get("rules_where_groups_disagree")
        if dis:
            picks = {k: ", ".join(v.get(dis[0], [])) if v.get(dis[0]) and not
                     isinstance(v.get(dis[0])[0], list) else "…" for k, v in g["winners"].items()}
            out.append(f"The groups of {attr!r} disagree under {dis[0]}: "
                       + "; ".join(f"{k} → {p}" for k, p in picks.items()) + ".")
        elif g.get("winners"):
            out.append(f"Every group of {attr!r} picks the same winner under each group rule.")
    ag = rep.get("agreement") or {}
    if ag.get("overall"):
        a = ag["overall"]
        out.append(f"Agreement between raters is {_alpha_word(a['alpha'])}: Krippendorff's "
                   f"alpha {a['alpha']}" + (f" [{a['low']}, {a['high']}]"
                                            if a.get("low") is not None else "") + ".")
    b = rep.get("bargaining") or {}
    pof = b.get("price_of_fairness") or {}
    if pof:
        k, v = max(pof.items(), key=lambda kv: kv[1] or 0)
        out.append(f"Fairness costs at most {100 * (v or 0):.1f}% of the average utility gain "
                   f"({k.replace('.', ' ')}).")
    dist = rep.get("distributional") or {}
    if dist.get("distalign_interval", {}).get("value") is not None:
        d = dist["distalign_interval"]
        out.append(f"The model's answer distributions are {d['value']} (total variation, "
                   f"95% interval [{d['low']}, {d['high']}]) from the groups' on average.")
    return out


def _alpha_word(a: float | None) -> str:
    if a is None:
        return "undefined"
    return ("high" if a >= 0.8 else "moderate" if a >= 0.667 else "low" if a >= 0.2
            else "very low (close to chance)")


# ---------------------------------------------------------------- all
def compute(data, *, attributes: list[str] | None = None, model: Any = None,
            objectives: list[str] | None = None, seed: Any = 0, progress: bool = True,
            n_resamples: int = 200) -> dict:
    """Every section of the report for ``data`` (a :class:`~._load.Data`)."""
    from .. import __version__

    t0 = time.perf_counter()
    attributes = list(attributes or [])
    attr = attributes[0] if attributes else None
    rep: dict[str, Any] = {"meta": {"socialchoice": __version__, "seed": seed,
                                    "title": data.title or data.path,
                                    "attributes": attributes, "notes": list(data.notes)}}
    if data.kind == "distributions":
        rep["data"] = {"kind": "distributions", "file": data.path,
                       "n_rows": int(len(data.table)),
                       "n_questions": int(data.table["question"].nunique()),
                       "groups": {"group": {str(k): int(v) for k, v in
                                            data.table["group"].value_counts().items()}}}
        lab = Labeler(())
        for key in ("winners", "groups", "axiom_violations", "agreement", "welfare",
                    "bargaining"):
            rep[key] = None
        rep["distributional"] = section_distributional(data, model, lab, attr, seed=seed,
                                                       n_resamples=n_resamples)
        rep["tradeoff"] = None
        rep["summary"] = summarize(rep)
        rep["meta"]["seconds"] = round(time.perf_counter() - t0, 2)
        return rep
    prof = data.profile
    lab = Labeler(prof.candidates, data.labels)
    rep["data"] = section_data(data, lab)
    rules_out = section_rules(data, lab, progress=progress, seed=seed, n_resamples=n_resamples)
    rep["rules"] = rules_out
    rep["winners"] = rules_out["winners"]
    rep["axiom_violations"] = section_axioms(data, lab, rules_out, progress=progress)
    rep["welfare"], rep["bargaining"] = section_welfare(data, lab, attr, progress=progress)
    rep["groups"] = {}
    rep["juries"] = {}
    for a in attributes:
        g = section_groups(data, lab, a, progress=progress)
        if g is not None:
            rep["groups"][a] = g
        if a == attr:
            j = section_juries(data, lab, a, seed=seed, progress=progress)
            if j is not None:
                rep["juries"][a] = j
    rep["groups"] = rep["groups"] or None
    rep["juries"] = rep["juries"] or None
    rep["agreement"] = section_agreement(data, attr, seed=seed, n_resamples=n_resamples)
    rep["distributional"] = section_distributional(data, model, lab, attr, seed=seed,
                                                   n_resamples=n_resamples)
    rep["tradeoff"] = section_tradeoff(data, objectives)
    rep["summary"] = summarize(rep)
    rep["meta"]["seconds"] = round(time.perf_counter() - t0, 2)
    return rep
