"""Converters from our profiles to pref_voting 1.18.2 objects (the differential-test oracle)."""

from __future__ import annotations

import numpy as np


def to_pref_voting(ranks, weights=None, m=None):
    """``ranks`` (n, m) levels (-1 unranked) -> ProfileWithTies with extended strict preference.

    Unranked candidates are left out of the ballot dict; after
    ``use_extended_strict_preference()`` pref_voting ranks them below every ranked candidate,
    which is docs/rules.md §1.3.
    """
    from pref_voting.profiles_with_ties import ProfileWithTies

    ranks = np.asarray(ranks)
    n, mm = ranks.shape
    m = mm if m is None else m
    ballots = [{int(c): int(r[c]) for c in range(mm) if r[c] >= 0} for r in ranks]
    rc = [1] * n if weights is None else [float(w) for w in np.asarray(weights)]
    prof = ProfileWithTies(ballots, rcounts=rc, candidates=list(range(m)))
    prof.use_extended_strict_preference()
    return prof


def to_linear_profile(orders, weights=None):
    """Complete strict ballots listed best first (n, m) -> pref_voting ``Profile``."""
    from pref_voting.profiles import Profile

    orders = np.asarray(orders)
    rc = None if weights is None else [int(w) for w in np.asarray(weights)]
    return Profile(orders.tolist(), rcounts=rc)


def to_margin_graph(margins, active=None):
    """Margin matrix (m, m) -> pref_voting ``MarginGraph`` over the active candidates."""
    from pref_voting.weighted_majority_graphs import MarginGraph

    margins = np.asarray(margins)
    m = margins.shape[0]
    cands = list(range(m)) if active is None else [int(c) for c in np.flatnonzero(active)]
    edges = [(x, y, float(margins[x, y])) for x in cands for y in cands
             if x != y and margins[x, y] > 0]
    return MarginGraph(cands, edges)
