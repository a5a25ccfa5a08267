"""Bradley–Terry, Plackett–Luce, leximax Copeland (docs/rules.md §7)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import NonexistenceError, ValidationError
from socialchoice.rules import statistical as S

from _oracle import to_linear_profile

RECS = {"a": ["a", "b", "b", "c", "c", "a"], "b": ["b", "a", "c", "b", "a", "c"],
        "outcome": [1, 1, 1, 1, 1, 1], "w": [2, 1, 2, 1, 1, 1]}


def _bt_loglik(a, beta):
    d = beta[:, None] - beta[None, :]
    return float((a * -np.logaddexp(0, -d)).sum())


def _scipy_bt(a):
    from scipy.optimize import minimize

    k = a.shape[0]

    def f(x):
        beta = np.append(x, 0.0)
        return -_bt_loglik(a, beta)

    res = minimize(f, np.zeros(k - 1), method="BFGS", options={"gtol": 1e-10})
    beta = np.append(res.x, 0.0)
    return beta - beta.mean()


def test_bt_spec_records_example():
    pw = sc.Pairwise.from_records(RECS, item=None, weight="w")
    r = S.bradley_terry(pw)
    t = 1.3379
    np.testing.assert_allclose(r.scores, [0.29113, 0, -0.29113], atol=1e-5)
    assert abs(3 * t / (t + 1) + 2 * t * t / (t * t + 1) - 3) < 1e-3
    assert r.winners == ["a"]
    keep = [0, 1, 2, 5]
    pw2 = sc.Pairwise.from_records({k: [v[i] for i in keep] for k, v in RECS.items()}, item=None,
                                   weight="w")
    with pytest.raises(NonexistenceError, match=r"\{'a', 'b'\}; \{'c'\}"):
        S.bradley_terry(pw2)
    comp = S.bradley_terry(pw2, on_nonexistence="components")
    assert comp.winners == ["a"] and comp.scores[2] == -np.inf
    pri = S.bradley_terry(pw2, on_nonexistence="prior", prior=0.5)
    assert pri.details["prior"] == 0.5 and np.isfinite(pri.scores).all()
    np.testing.assert_allclose(pri.scores,
                               _scipy_bt(pw2.support() + 0.5 * (1 - np.eye(3))), atol=1e-6)


def test_bt_vs_scipy_optimiser_and_pref_voting():
    from pref_voting.other_methods import bradley_terry as pv_bt

    rng = np.random.default_rng(0)
    orders = np.argsort(rng.random((300, 9, 4)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    res = S.bradley_terry(prof)
    sup = prof.support()
    for i in range(300):
        np.testing.assert_allclose(res.scores[i], _scipy_bt(sup[i]), atol=1e-5)
        if i < 100:
            # pref_voting: winners within 1e-5 of the max strength (normalised); ties rare
            pv = pv_bt(to_linear_profile(orders[i]))
            if res.n_winners[i] == 1 and len(pv) == 1:
                assert pv == list(np.flatnonzero(res.winner_mask[i]))


def test_bt_equals_borda_on_complete_ballots():
    """Spec §7.1 fact (i): balanced round robin -> BT ranking = Borda ranking."""
    rng = np.random.default_rng(1)
    orders = np.argsort(rng.random((500, 7, 5)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    bt = S.bradley_terry(prof)
    borda = prof.margins().sum(-1)
    for i in range(500):
        assert (np.argsort(-bt.scores[i], kind="stable") == np.argsort(-borda[i], kind="stable")).all() \
            or len(np.unique(borda[i])) < 5
        np.testing.assert_array_equal(bt.winner_mask[i], borda[i] == borda[i].max())


def test_bt_fails_condorcet_on_complete_ballots():
    """Spec §7.1 fact (ii): BT = Borda, so it can miss the Condorcet winner (P5-like)."""
    p5 = sc.Rankings.from_orders([[0, 4, 1, 2, 3]] * 4 + [[2, 3, 0, 4, 1]] * 5
                                 + [[1, 3, 4, 0, 2]] * 2 + [[1, 3, 0, 2, 4]] * 6
                                 + [[4, 2, 3, 0, 1]] * 6)
    assert S.bradley_terry(p5).winners == [3]  # Borda winner d
    burl = sc.Rankings.from_orders([[2, 1, 0]] * 35 + [[0, 1, 2]] * 33 + [[1, 0, 2]] * 18
                                   + [[1, 2, 0]] * 14)
    assert S.bradley_terry(burl).winners == [1]


def test_bt_spec_P1_P3():
    p1 = sc.Rankings.from_orders([[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2)
    assert S.bradley_terry(p1).winners == [1]
    p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
                                 + [[0, 1, 3, 2]] * 4)
    assert S.bradley_terry(p3).winners == [0]


# --------------------------------------------------------------------------- Plackett-Luce
def _pl_loglik(ranks, w, lg):
    ll = 0.0
    m = ranks.shape[1]
    for r, wv in zip(ranks, w):
        ranked = [c for c in np.argsort(np.where(r >= 0, r, 99), kind="stable") if r[c] >= 0]
        remaining = list(range(m))
        for j in range(min(len(ranked), m - 1)):
            ll += wv * (lg[ranked[j]] - np.log(np.exp(lg[remaining]).sum()))
            remaining.remove(ranked[j])
    return ll


def test_pl_maximises_likelihood_and_pairwise_equals_bt():
    from scipy.optimize import minimize

    rng = np.random.default_rng(2)
    for _ in range(20):
        orders = np.argsort(rng.random((12, 4)), axis=-1)
        k = rng.integers(1, 5, size=12)
        orders = np.where(np.arange(4)[None] < k[:, None], orders, -1)
        prof = sc.Rankings.from_orders(orders, n_candidates=4)
        w = rng.integers(1, 3, size=12).astype(float)
        res = S.plackett_luce(sc.Rankings(prof.ranks, w), on_nonexistence="prior")
        if "prior" in res.details:
            continue
        f = lambda x, prof=prof, w=w: -_pl_loglik(prof.ranks, w, np.append(x, 0.0))
        opt = minimize(f, np.zeros(3), method="BFGS", options={"gtol": 1e-9})
        ref = np.append(opt.x, 0.0)
        np.testing.assert_allclose(res.scores, ref - ref.mean(), atol=1e-4)
    # PL on complete two-candidate elections is BT (one choice stage per ballot)
    two = sc.Rankings([[0, 1], [1, 0], [0, 1]], [2.0, 1.0, 1.0])
    np.testing.assert_allclose(S.plackett_luce(two).scores, S.bradley_terry(two).scores, atol=1e-8)
    # and on a batch of random two-candidate elections
    rng = np.random.default_rng(5)
    batch = sc.Rankings(np.argsort(rng.random((6, 9, 2)), axis=-1), rng.integers(1, 4, (6, 9)))
    np.testing.assert_allclose(S.plackett_luce(batch).scores, S.bradley_terry(batch).scores,
                               atol=1e-6)


def test_pl_rejects_ties_and_nonexistence():
    with pytest.raises(ValidationError, match="strict top-k"):
        S.plackett_luce(sc.Rankings([[0, 0, 1], [0, 1, 2]]))
    # ties in the unranked block are fine
    S.plackett_luce(sc.Rankings([[0, -1, -1], [1, 0, -1], [2, 1, 0]]))
    with pytest.raises(NonexistenceError):
        S.plackett_luce(sc.Rankings([[0, 1, 2], [0, 2, 1]]))
    r = S.plackett_luce(sc.Rankings([[0, 1, 2], [0, 2, 1]]), on_nonexistence="components")
    assert r.winners == [0]
    with pytest.raises(ValidationError, match="needs ballots"):
        S.plackett_luce(sc.Pairwise([[0, 1], [1, 0]]))


# --------------------------------------------------------------------------- LCPO
def test_lcpo_spec_P3_and_tabular_equals_cop0():
    p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
                                 + [[0, 1, 3, 2]] * 4)
    r = S.leximax_copeland(p3)
    assert r.winners == [0, 1, 2] and r.ranking.tolist() == [0, 1, 2, 3]
    assert r.scores.tolist() == [2, 2, 2, 0]
    rng = np.random.default_rng(3)
    orders = np.argsort(rng.random((200, 5, 4)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    lc = S.leximax_copeland(prof)
    cop0 = sc.rules.copeland(prof, alpha=0)
    np.testing.assert_array_equal(lc.winner_mask, cop0.winner_mask)
    np.testing.assert_array_equal(lc.winner_mask, S.leximax_copeland(prof, pareto=False).winner_mask)
    # the general LP path with one-hot features (tabular) gives the same ranking and winners
    onehot = S.leximax_copeland(prof, features=np.eye(4))
    np.testing.assert_array_equal(onehot.winner_mask, lc.winner_mask)
    np.testing.assert_array_equal(onehot.ranking, lc.ranking)


def test_lcpo_features():
    x = np.array([[3.0], [2.0], [1.0]])
    prof = sc.Rankings.from_orders([[0, 1, 2], [0, 2, 1], [1, 0, 2]])  # Cop_0 = (2, 1, 0)
    r = S.leximax_copeland(prof, features=x)
    assert r.ranking.tolist() == [0, 1, 2] and r.winners == [0]
    # a 1-d linear reward realises the order with either sign of theta
    assert S.leximax_copeland(prof, features=-x).ranking.tolist() == [0, 1, 2]
    # features identical for 0 and 2: neither 0 > 2 nor 2 > 0 is realisable
    with pytest.raises(ValidationError, match="no feasible"):
        S.leximax_copeland(prof, features=np.array([[1.0], [2.0], [1.0]]))
    # 2-d features where the Copeland order 0 > 1 > 2 is not linearly realisable:
    # X1 is the midpoint of X0 and X2, so 1 must lie between them; it is, so feasible
    mid = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    assert S.leximax_copeland(prof, features=mid).ranking.tolist() == [0, 1, 2]
    # with X0 the midpoint, 0 can be neither first nor last: 1 is placed first
    mid0 = np.array([[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]])
    r0 = S.leximax_copeland(prof, features=mid0, pareto=False)
    assert r0.winners == [1] and r0.ranking.tolist() == [1, 0, 2]


def test_lcpo_absolute_majority():
    # two of three voters indifferent: relative majorities exist, absolute ones do not
    t = sc.Rankings([[0, 1, 2], [0, 0, 0], [0, 0, 0]])
    rel = S.leximax_copeland(t, majority="relative")
    ab = S.leximax_copeland(t, majority="absolute")
    assert rel.scores.tolist() == [2, 1, 0] and rel.winners == [0]
    assert ab.scores.tolist() == [0, 0, 0]
    # Pareto pairs need every voter: none here, so all three can go first
    assert ab.winners == [0, 1, 2]
    with pytest.raises(ValidationError, match="majority"):
        S.leximax_copeland(t, majority="simple")


# --------------------------------------------------------------------------- properties
@given(st.integers(0, 2**31), st.integers(2, 4))
def test_properties(seed, m):
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((2, 5, m)), axis=-1)
    ranks = sc.Rankings.from_orders(orders).ranks
    w = rng.integers(1, 3, size=(2, 5)).astype(float)
    for f, kw in ((S.bradley_terry, {"on_nonexistence": "prior"}),
                  (S.plackett_luce, {"on_nonexistence": "prior"}),
                  (S.leximax_copeland, {})):
        base = f(sc.Rankings(ranks, w), **kw)
        cperm = rng.permutation(m)
        vperm = rng.permutation(5)
        perm = f(sc.Rankings(ranks[..., cperm], w), **kw)
        np.testing.assert_allclose(perm.scores, base.scores[..., cperm], atol=1e-7)
        if f is not S.leximax_copeland:
            np.testing.assert_array_equal(perm.winner_mask, base.winner_mask[..., cperm])
        np.testing.assert_allclose(f(sc.Rankings(ranks[:, vperm], w[:, vperm]), **kw).scores,
                                   base.scores, atol=1e-7)
        one = f(sc.Rankings(ranks[1], w[1]), **kw)
        np.testing.assert_allclose(one.scores, base.scores[1], atol=1e-9)
        copies = f(sc.Rankings(np.repeat(ranks[0], w[0].astype(int), axis=0)), **kw)
        np.testing.assert_allclose(copies.scores, base.scores[0], atol=1e-7)


def test_xarray_dask_paths():
    rng = np.random.default_rng(4)
    ranks = sc.Rankings.from_orders(np.argsort(rng.random((4, 7, 4)), axis=-1)).ranks
    for f, kw in ((S.bradley_terry, {"on_nonexistence": "prior"}),
                  (S.plackett_luce, {"on_nonexistence": "prior"}), (S.leximax_copeland, {})):
        want = f(sc.Rankings(ranks), **kw).winner_mask
        np.testing.assert_array_equal(f(sc.xr.rankings_dataarray(ranks), **kw)["winner_mask"].values, want)
        dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
        np.testing.assert_array_equal(f(dd, **kw)["winner_mask"].values, want)


def test_bad_options_and_no_mutation():
    p = sc.Rankings([[0, 1], [1, 0]])
    with pytest.raises(ValidationError, match="on_nonexistence"):
        S.bradley_terry(p, on_nonexistence="ignore")
    with pytest.raises(ValidationError, match="prior"):
        S.bradley_terry(p, prior=-1)
    with pytest.raises(ValidationError, match="features"):
        S.leximax_copeland(p, features=np.ones((3, 2)))
    s = np.array([[0.0, 2], [1, 0]])
    s0 = s.copy()
    S.bradley_terry(sc.Pairwise(s))
    np.testing.assert_array_equal(s, s0)
