"""The group sections: agreement between raters (Krippendorff's alpha, overall and per group),
each group's winners, juries of a given composition, and group effects (mixed model).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import SocialChoiceError
from ._common import (MAX_GROUPS, Labeler, _attr_values, _call, _group_labels, _is_batch, _num,
                      _progress, _run_rule, _share, _subprofile, _winners_of, borda_utilities)

__all__ = ["section_agreement", "section_groups", "section_juries", "GROUP_RULES"]

#: Rules run per group (cheap, and covering the positional / pairwise / cardinal families).
GROUP_RULES = ("plurality", "borda", "instant_runoff", "schulze", "copeland", "utilitarian",
               "majority_judgment", "maximal_lottery")


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
