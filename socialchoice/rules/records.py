"""RLHF pairwise records -> per-group aggregation with several rules in one call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..profiles import Pairwise
from ._registry import RULES

__all__ = ["aggregate_records"]


def aggregate_records(
    df: Any,
    rules: Sequence[str] = ("bradley_terry", "maximal_lottery", "copeland", "schulze"),
    *,
    by: Sequence[str] = ("item",),
    a: str = "a",
    b: str = "b",
    outcome: str = "outcome",
    weight: str | None = None,
    ties: str = "ignore",
    rule_options: dict[str, dict] | None = None,
):
    """Aggregate RLHF comparison records per group with several margin-based rules.

    The records are turned into one batch of support matrices with
    :meth:`sc.Pairwise.from_records <socialchoice.Pairwise.from_records>` (one item per
    distinct value of the ``by`` columns); each rule then runs once on the whole batch. Within a
    group only the candidates that appear in its records take part (``active`` mask).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per comparison with columns ``a``, ``b``, ``outcome`` (1: ``a`` preferred,
        0: ``b`` preferred, 0.5: tie), the ``by`` columns and optionally ``weight``.
    rules : sequence of str
        Registered rule names that need only margins (``sc.rules.names(needs="margins")``).
    by : sequence of str
        Grouping columns, e.g. ``("item",)`` or ``("item", "group")``; ``()`` for one group.
    ties : {"ignore", "half"}
        How tied records enter the support (docs/rules.md §1.3).
    rule_options : dict, optional
        Extra keyword arguments per rule, e.g. ``{"bradley_terry": {"on_nonexistence": "prior"}}``.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per group key x rule x candidate with columns ``*by``, ``rule``,
        ``candidate``, ``score`` (NaN where the rule has none), ``probability`` (lotteries, else
        NaN) and ``winner`` (bool).

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> df = pd.DataFrame({"item": [0, 0, 0, 1], "a": ["x", "y", "x", "x"],
    ...                    "b": ["y", "z", "z", "y"], "outcome": [1, 1, 1, 0]})
    >>> out = sc.rules.aggregate_records(df, rules=("copeland",))
    >>> out[out.winner][["item", "rule", "candidate"]].values.tolist()
    [[0, 'copeland', 'x'], [1, 'copeland', 'y']]
    """
    import pandas as pd

    if not hasattr(df, "columns"):
        df = pd.DataFrame(df)
    by = tuple(by)
    for col in by:
        if col not in df.columns:
            raise ValidationError(f"`by` names column {col!r}, which `df` lacks; columns: {list(df.columns)}")
    names = []
    for r in rules:
        entry = RULES.info(r)
        if entry.meta.get("needs") != "margins":
            raise ValidationError(
                f"rule {r!r} needs {entry.meta.get('needs')}; records carry only pairwise "
                "comparisons, use a rule from sc.rules.names(needs='margins')"
            )
        names.append(entry.name)
    rule_options = rule_options or {}
    if len(df) == 0:
        raise ValidationError("`df` is empty; pass at least one comparison")
    if by:
        keys = pd.MultiIndex.from_frame(df[list(by)]) if len(by) > 1 else pd.Index(df[by[0]])
        codes, uniq = pd.factorize(keys, sort=True)
    else:
        codes, uniq = np.zeros(len(df), np.int64), [()]
    cols = {a: df[a].to_numpy(), b: df[b].to_numpy(), outcome: df[outcome].to_numpy(),
            "__key": codes}
    if weight:
        cols[weight] = df[weight].to_numpy()
    pw = Pairwise.from_records(cols, item="__key", a=a, b=b, outcome=outcome, weight=weight,
                               ties=ties)
    cands = pw.candidates
    pos = {c: i for i, c in enumerate(cands)}
    n_groups = len(uniq)
    active = np.zeros((n_groups, len(cands)), bool)
    ia = np.fromiter((pos[x] for x in cols[a].tolist()), np.int64, len(df))
    ib = np.fromiter((pos[x] for x in cols[b].tolist()), np.int64, len(df))
    active[codes, ia] = True
    active[codes, ib] = True
    frames = []
    if by:
        key_rows = [k if isinstance(k, tuple) else (k,) for k in list(uniq)]
    else:
        key_rows = [()]
    for name, r in zip(names, rules):
        res = RULES.get(name)(pw, active=active, **rule_options.get(r, rule_options.get(name, {})))
        mask = np.asarray(res.winner_mask)
        score = np.full(mask.shape, np.nan) if res.scores is None else np.asarray(res.scores, float)
        prob = np.full(mask.shape, np.nan) if res.lottery is None else np.asarray(res.lottery, float)
        g, c = np.nonzero(active)
        data = {col: [key_rows[i][j] for i in g] for j, col in enumerate(by)}
        data.update({"rule": name, "candidate": [cands[i] for i in c], "score": score[g, c],
                     "probability": prob[g, c], "winner": mask[g, c]})
        frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)
