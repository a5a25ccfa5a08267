"""The data section: what the file holds (sizes, weights, rating levels, ballot types, groups)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import Labeler, _attr_values, _group_labels, _is_batch, _num, _weights

__all__ = ["section_data"]


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
