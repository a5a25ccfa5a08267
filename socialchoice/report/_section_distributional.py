"""The distributional-alignment section: a model's answer distributions against the human
groups' (sc.divergence.pluralism presets, interval, heatmap, noise floor).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import SocialChoiceError
from ._common import Labeler, _call, _num

__all__ = ["section_distributional"]


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
