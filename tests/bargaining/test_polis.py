"""Real data: a group-balanced jury on the vTaiwan UberX Pol.is conversation.

Participants (in an opinion group, with votes on the 20 most-voted statements) are agents;
votes are utilities (1 agree, -1 disagree, 0 pass). Utilitarian and Nash pick statement 7,
egalitarian and leximin statement 16: the two groups' mean agreement is (0.92, 0.84) on 7 and
(0.89, 0.86) on 16.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc

sys.path.insert(0, str(Path(__file__).parents[2] / "examples"))
import polis_jury as pj


@pytest.fixture
def uberx(shared_data):
    path = os.path.join(shared_data, "polis", "vtaiwan.uberx")
    if not os.path.exists(os.path.join(path, "participants-votes.csv")):
        pytest.skip("vtaiwan.uberx not present")
    return path


def test_polis_jury_choices(uberx):
    U, groups, ids, w = pj.load_jury(uberx, 20)
    assert U.shape == (456, 20) and set(np.unique(U)) <= {-1.0, 0.0, 1.0}
    G = pj.group_means(U, groups)
    # independent pandas computation of the group-balanced mean and the group minimum
    df = pd.DataFrame(U, columns=ids)
    df["g"] = groups
    gm = df.groupby("g").mean()
    util = sc.welfare.best(U, "utilitarian", weights=w)
    np.testing.assert_allclose(util.values, gm.mean().to_numpy(), rtol=1e-12)
    assert ids[util.winner] == gm.mean().idxmax() == 7
    egal = sc.bargaining.egalitarian(G, disagreement=-1.0)
    assert ids[egal.alternative] == gm.min().idxmax() == 16
    nash = sc.bargaining.nash(G, disagreement=-1.0)
    assert ids[nash.alternative] == np.log(gm + 1).sum().idxmax() == 7
    # welfare and bargaining views agree
    assert sc.welfare.best(G, "nash", disagreement=-1.0).winner == nash.alternative
    assert ids[sc.welfare.best(U, "leximin").winner] == 16
    res = pj.compare(uberx)
    assert res["choice"].tolist() == [7, 7, 16, 16]


def test_polis_nan_votes_and_lottery(uberx):
    df = pd.read_csv(os.path.join(uberx, "participants-votes.csv"))
    cols = [c for c in df.columns if c.isdigit()][:15]
    V = df[cols].to_numpy(dtype=float)  # NaN = not voted
    r = sc.welfare.utilitarian(V, nan_policy="omit")
    complete = ~np.isnan(V).any(axis=1)
    # per cell: each statement over the participants who voted on it (naive loop)
    naive = [V[~np.isnan(V[:, j]), j].mean() for j in range(V.shape[1])]
    np.testing.assert_allclose(r.values, naive, rtol=1e-12)
    assert r.n_agents_used == (~np.isnan(V)).any(axis=1).sum() > complete.sum()
    assert r.n_agents_per_alternative.tolist() == (~np.isnan(V)).sum(axis=0).tolist()
    assert np.isnan(sc.welfare.utilitarian(V).values).all()  # propagate: every statement has a missing vote
    U, groups, ids, w = pj.load_jury(uberx, 20)
    G = pj.group_means(U, groups)
    fast = sc.bargaining.nash(G, disagreement=-1.0, over="lottery", method="fast")
    ref = sc.bargaining.nash(G, disagreement=-1.0, over="lottery", method="cvxpy")
    assert fast.welfare == pytest.approx(ref.welfare, abs=1e-8)
    assert fast.welfare >= sc.bargaining.nash(G, disagreement=-1.0).welfare - 1e-12
    # the bargaining problem over participants drops those with missing votes (omit)
    with pytest.raises(ValueError, match="nan_policy"):
        sc.bargaining.utilitarian(V)
    b = sc.bargaining.utilitarian(V, nan_policy="omit")
    assert b.n_agents_used == complete.sum()
