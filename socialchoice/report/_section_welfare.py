"""The welfare and bargaining sections: welfare choices and bargaining lotteries on the agents'
utilities (raters, voters or groups), and the price of fairness.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import SocialChoiceError
from ._common import (MAX_GROUPS, Labeler, _attr_values, _call, _group_labels, _is_batch, _num,
                      _progress, _weights, borda_utilities)

__all__ = ["section_welfare"]


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
