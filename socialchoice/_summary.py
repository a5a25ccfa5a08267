"""Facts about a profile for ``socialchoice info`` / ``demo``: ballot types, Condorcet, Smith set.

Private helper of the CLI. The majority relation follows docs/rules.md §1.3 (ranked above
unranked, ``x`` beats ``y`` iff ``M[x, y] > 0``) and §3.1 / §3.10 (Condorcet winner, Smith set).
For ratings, "x beats y" is counted over the raters who rated both (``pairs="both_rated"``, the
default) or with a missing rating below every given one (``pairs="missing_below"``); the facts
record which (docs/conventions.md §5).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from .profiles import Rankings, Ratings

__all__ = ["smith_set", "condorcet_winner", "weak_condorcet_winners", "majority_cycle",
           "describe", "format_summary", "ratings_support", "PAIRS"]

#: conventions for missing ratings in pairwise comparisons, the default first
PAIRS = ("both_rated", "missing_below")
_PAIRS_TEXT = {
    "both_rated": "counting only raters who rated both",
    "missing_below": "a missing rating counts below every given one",
}


def ratings_support(ratings: Ratings, pairs: str = "both_rated") -> np.ndarray:
    """Support ``S[..., x, y]``: weight of raters rating ``x`` strictly above ``y``.

    ``pairs="both_rated"`` counts only raters who rated both; ``"missing_below"`` ranks a
    missing rating below every given one (the truncated-ballot convention of Rankings).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.Ratings([[5.0, 3.0, np.nan], [1.0, 2.0, 4.0]])
    >>> ratings_support(r).tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    >>> ratings_support(r, "missing_below").tolist()
    [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    """
    if pairs not in PAIRS:
        from .errors import ValidationError

        raise ValidationError(f"`pairs`={pairs!r}; pass one of {PAIRS}")
    return np.asarray(ratings.support(pairs=pairs), dtype=np.float64)


def _rule_on_margins(rule: str, margins: np.ndarray) -> list[int]:
    from . import rules
    from .profiles import Pairwise

    res = rules.get(rule)(Pairwise.from_margins(np.asarray(margins, dtype=float)))
    return [int(x) for x in np.flatnonzero(res.winner_mask)]


def smith_set(margins: np.ndarray) -> list[int]:
    """Indices of the Smith set (``sc.rules.smith_set`` on the margins).

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice._summary import smith_set
    >>> smith_set(np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]]))
    [0, 1, 2]
    >>> smith_set(np.array([[0, 2, 2], [-2, 0, 0], [-2, 0, 0]]))
    [0]
    """
    return _rule_on_margins("smith_set", margins)


def condorcet_winner(margins: np.ndarray) -> int | None:
    """Index of the candidate beating every other (``M[x, y] > 0``), or None."""
    got = _rule_on_margins("condorcet_winner", margins)
    return got[0] if got else None


def weak_condorcet_winners(margins: np.ndarray) -> list[int]:
    """Indices ``x`` with ``M[x, y] >= 0`` for every ``y``."""
    return _rule_on_margins("weak_condorcet_winners", margins)


def majority_cycle(margins: np.ndarray, among: list[int]) -> list[int] | None:
    """A shortest cycle of strict majority wins within ``among`` (a list of indices), or None."""
    M = np.asarray(margins)
    best = None
    for s in among:
        prev = {s: None}
        frontier = [s]
        found = None
        while frontier and found is None:
            nxt = []
            for x in frontier:
                for y in among:
                    if M[x, y] > 0:
                        if y == s:
                            found = x
                            break
                        if y not in prev:
                            prev[y] = x
                            nxt.append(y)
                if found is not None:
                    break
            frontier = nxt
        if found is not None:
            path = [found]
            while prev[path[-1]] is not None:
                path.append(prev[path[-1]])
            cyc = path[::-1]
            if best is None or len(cyc) < len(best):
                best = cyc
    return best


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _majority(M: np.ndarray, labels: tuple) -> dict[str, Any]:
    smith = smith_set(M)
    cw = condorcet_winner(M)
    out: dict[str, Any] = {
        "condorcet_winner": None if cw is None else labels[cw],
        "weak_condorcet_winners": [labels[i] for i in weak_condorcet_winners(M)],
        "smith_set": [labels[i] for i in smith],
    }
    if cw is not None:
        out["condorcet_margins"] = {labels[y]: _num(M[cw, y])
                                    for y in np.argsort(M[cw], kind="stable") if y != cw}
    else:
        cyc = majority_cycle(M, smith) if len(smith) > 2 else None
        if cyc:
            out["cycle"] = [[labels[a], labels[b], _num(M[a, b])]
                            for a, b in zip(cyc, cyc[1:] + cyc[:1])]
    return out


def describe(profile: Rankings | Ratings, *, names: dict | None = None,
             pairs: str = "both_rated") -> dict[str, Any]:
    """JSON-ready facts about a profile (single election or a batch of items).

    ``pairs`` chooses how missing ratings enter the majority relation of a :class:`Ratings`
    (recorded in ``facts["pairs"]``); rankings always count unranked below ranked.
    """
    facts: dict[str, Any] = {}
    S = None
    if isinstance(profile, Ratings):
        vals = np.asarray(profile.values)
        facts["kind"] = "ratings"
        facts["raters"] = profile.n_raters
        facts["cells"] = int(vals.size)
        facts["missing"] = int(np.isnan(vals).sum())
        facts["missing_fraction"] = float(np.isnan(vals).mean())
        facts["missing_by_alternative"] = {
            c: float(np.isnan(vals[..., j]).mean()) for j, c in enumerate(profile.candidates)}
        facts["rater_attributes"] = {
            k: {str(g): int(n) for g, n in Counter(map(str, v.tolist())).most_common()}
            for k, v in profile.rater_attributes.items()}
        ranks = profile.to_rankings()
        facts["pairs"] = pairs
        S = ratings_support(profile, pairs)
    else:
        facts["kind"] = "rankings"
        ranks = profile
    labels = ranks.candidates
    names = names or {}
    facts["candidates"] = [{"id": c, "name": names.get(c, str(c))} for c in labels]
    facts["n_candidates"] = len(labels)
    r = np.asarray(ranks.ranks)
    w = ranks.weights_or_ones()
    facts["items"] = int(np.prod(ranks.batch_shape)) if ranks.batch_shape else None
    facts["voters"] = _num(float(w.sum()))
    facts["rows"] = int(np.prod(r.shape[:-1]))
    facts["ballot_types"] = {k: _num(v) for k, v in ranks.ballot_types().items()}
    ranked = (r >= 0).sum(axis=-1)
    strict = r.max(axis=-1).astype(np.int64) + 1 == ranked
    tied = ~strict & (ranked > 0)
    trunc = (ranked < r.shape[-1]) & (ranked > 0)
    facts["tied_ballots"] = {"weight": _num(float(w[tied].sum())), "rows": int(tied.sum())}
    facts["truncated_ballots"] = {"weight": _num(float(w[trunc].sum())), "rows": int(trunc.sum())}
    M = ranks.margins() if S is None else S - np.swapaxes(S, -1, -2)
    if ranks.batch_shape:
        from . import rules
        from .profiles import Pairwise

        pw = ranks if S is None else Pairwise.from_margins(M)
        wm = rules.get("condorcet_winner")(pw).winner_mask.reshape(-1, len(labels))
        got = [labels[int(np.argmax(row))] for row in wm if row.any()]
        facts["items_with_condorcet_winner"] = len(got)
        facts["condorcet_winner_counts"] = {str(k): v for k, v in Counter(got).most_common()}
    else:
        facts["majority"] = _majority(M, labels)
        facts["margins"] = [[_num(x) for x in row] for row in M]
    return facts


def _pct(x: float, tot: float) -> str:
    return f"{100.0 * x / tot:.1f}%" if tot else "-"


def format_summary(facts: dict[str, Any], *, header: list[str] | None = None,
                   show_margins: bool | None = None) -> str:
    """Human-readable text of :func:`describe`'s facts."""
    lines = list(header or [])
    names = {c["id"]: c["name"] for c in facts["candidates"]}

    def nm(c: Any) -> str:
        n = names.get(c, str(c))
        return f"{c} ({n})" if n != str(c) else str(c)

    tot = float(facts["voters"])
    if facts["kind"] == "ratings":
        lines.append(f"Raters: {facts['raters']}" + (f", items: {facts['items']}"
                                                   if facts["items"] else ""))
        lines.append(f"Ratings: {facts['cells'] - facts['missing']} of {facts['cells']} cells "
                     f"present (missing {100 * facts['missing_fraction']:.1f}%)")
        miss = facts["missing_by_alternative"]
        if any(miss.values()):
            lines.append("Missing by alternative: " + ", ".join(
                f"{c} {100 * f:.1f}%" for c, f in miss.items()))
        for k, counts in facts["rater_attributes"].items():
            lines.append(f"Rater attribute {k!r}: " + ", ".join(f"{g} {n}" for g, n in counts.items()))
        lines.append("Rankings induced by the ratings (higher = better, missing = unranked):")
    pairs_note = ""
    if facts.get("pairs"):
        pairs_note = (f"Pairwise comparisons of ratings: pairs={facts['pairs']} "
                      f"({_PAIRS_TEXT[facts['pairs']]}; --pairs to change)")
    rows = facts["rows"]
    if facts["items"]:
        lines.append(f"Items: {facts['items']}, voter weight {facts['voters']} in all, "
                     f"{rows} ballot rows")
    else:
        lines.append(f"Voters: {facts['voters']} ({rows} unique ballots)"
                     if rows != facts["voters"] else f"Voters: {facts['voters']}")
    lines.append(f"Candidates: {facts['n_candidates']}")
    if any(c["name"] != str(c["id"]) for c in facts["candidates"]) or facts["n_candidates"] <= 20:
        width = max(len(str(c["id"])) for c in facts["candidates"])
        numeric = all(isinstance(c["id"], (int, np.integer)) for c in facts["candidates"])
        for c in facts["candidates"]:
            extra = f"  {c['name']}" if c["name"] != str(c["id"]) else ""
            cid = str(c["id"]).rjust(width) if numeric else str(c["id"])
            lines.append(f"  {cid}{extra}")
    bt = facts["ballot_types"]
    lines.append("Ballot types (by weight): " + ", ".join(
        f"{k} {v} ({_pct(v, tot)})" for k, v in bt.items()))
    tb, tr = facts["tied_ballots"], facts["truncated_ballots"]
    lines.append(f"Ballots with ties: weight {tb['weight']} ({tb['rows']} rows); "
                 f"truncated ballots: weight {tr['weight']} ({tr['rows']} rows)")
    if pairs_note:
        lines.append(pairs_note)
    if facts["items"]:
        k = facts["items_with_condorcet_winner"]
        lines.append(f"Items with a Condorcet winner: {k} of {facts['items']}")
        if facts["condorcet_winner_counts"]:
            lines.append("Condorcet winners: " + ", ".join(
                f"{c} in {n}" for c, n in list(facts["condorcet_winner_counts"].items())[:10]))
        return "\n".join(lines)
    maj = facts["majority"]
    if facts.get("pairs"):
        lines.append(f"Majority relation (x beats y if more raters rate x above y, "
                     f"{_PAIRS_TEXT[facts['pairs']]}):")
    else:
        lines.append("Majority relation (x beats y if more voters rank x above y; ranked above "
                     "unranked):")
    if maj["condorcet_winner"] is not None:
        cw = maj["condorcet_winner"]
        lines.append(f"  Condorcet winner: {nm(cw)}")
        mg = list(maj["condorcet_margins"].items())
        lines.append("  margins: " + ", ".join(f"{v:+} over {c}" for c, v in mg[:10])
                     + (f", ... ({len(mg) - 10} more)" if len(mg) > 10 else ""))
    else:
        lines.append("  No Condorcet winner.")
        weak = maj["weak_condorcet_winners"]
        lines.append("  Weak Condorcet winners: " + (", ".join(map(nm, weak)) if weak else "none"))
        lines.append("  Smith set: {" + ", ".join(map(str, maj["smith_set"])) + "}"
                     + f" ({', '.join(names.get(c, str(c)) for c in maj['smith_set'])})")
        if maj.get("cycle"):
            lines.append("  Majority cycle: " + ", ".join(
                f"{a} beats {b} by {v:+}" for a, b, v in maj["cycle"]))
        elif len(maj["smith_set"]) > 1:
            lines.append("  (no strict majority cycle: the Smith set is held together by "
                         "majority ties)")
    m = facts["n_candidates"]
    if show_margins or (show_margins is None and m <= 12):
        ids = [str(c["id"]) for c in facts["candidates"]]
        cells = [[f"{v:+}" if i != j else "." for j, v in enumerate(row)]
                 for i, row in enumerate(facts["margins"])]
        width = max(max(len(x) for x in ids), max(len(x) for row in cells for x in row))
        lines.append("Margin matrix M[row, column] (weight preferring row minus column):")
        lines.append(" " * (width + 2) + " ".join(x.rjust(width) for x in ids))
        for i, row in enumerate(cells):
            lines.append(f"  {ids[i].rjust(width)} " + " ".join(x.rjust(width) for x in row))
    return "\n".join(lines)
