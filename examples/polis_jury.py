"""Jury example on the vTaiwan UberX Pol.is conversation: which statement would a welfare
function pick, counting each opinion group equally?

Participants are agents, their votes are utilities (1 agree, -1 disagree, 0 pass, missing =
NaN). We keep the ``k`` most-voted statements and the participants who belong to an opinion
group and voted on all of them, weighting each participant by 1 / (size of their group).

Run: ``python examples/polis_jury.py [path/to/vtaiwan.uberx]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import socialchoice as sc


def load_jury(path: str | Path, k: int = 20):
    """Return (U (n, k) votes, groups (n,), statement ids (k,), weights (n,))."""
    df = pd.read_csv(Path(path) / "participants-votes.csv")
    df = df[df["group-id"].notna()]
    comment_cols = [c for c in df.columns if c.isdigit()]
    top = df[comment_cols].notna().sum().sort_values(ascending=False, kind="stable").index[:k]
    sub = df.dropna(subset=list(top))
    U = sub[list(top)].to_numpy(dtype=float)
    groups = sub["group-id"].to_numpy(dtype=int)
    sizes = pd.Series(groups).value_counts()
    weights = 1.0 / pd.Series(groups).map(sizes).to_numpy(dtype=float)
    return U, groups, np.array([int(c) for c in top]), weights


def group_means(U: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(n_groups, k) mean vote per opinion group: the groups as bargaining agents."""
    return np.stack([U[groups == g].mean(axis=0) for g in np.unique(groups)])


def compare(path: str | Path, k: int = 20) -> pd.DataFrame:
    U, groups, ids, w = load_jury(path, k)
    G = group_means(U, groups)
    rows = {
        "utilitarian (group-balanced)": sc.welfare.best(U, "utilitarian", weights=w).winner,
        "nash (d = -1, groups)": sc.bargaining.nash(G, disagreement=-1.0).alternative,
        "egalitarian (groups)": sc.bargaining.egalitarian(G, disagreement=-1.0).alternative,
        "leximin (participants)": sc.welfare.best(U, "leximin").winner,
    }
    lot = sc.bargaining.nash(G, disagreement=-1.0, over="lottery")
    # an explicit index keeps the rows in this order (pandas < 2 sorts the keys of nested dicts)
    out = pd.DataFrame({"choice": [int(ids[v]) for v in rows.values()]}, index=list(rows))
    out.attrs["nash_lottery"] = {int(ids[j]): round(float(p), 4) for j, p in enumerate(lot.lottery) if p > 1e-9}
    return out


if __name__ == "__main__":
    here = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parents[2] / "shared/data/polis/vtaiwan.uberx")
    res = compare(here)
    print(res)
    print("Nash lottery between the two groups:", res.attrs["nash_lottery"])
