"""The trade-off section: Pareto front and hypervolume of the alternatives on objective columns."""

from __future__ import annotations

import numpy as np

from ..errors import SocialChoiceError
from ._common import _call, _num

__all__ = ["section_tradeoff", "tradeoff_available"]


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
