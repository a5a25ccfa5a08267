"""Pairwise rules (docs/rules.md §3): pref_voting differential tests, §9 examples, properties."""

from __future__ import annotations

import itertools
import math
import os
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import SizeLimitError, ValidationError
from socialchoice.rules import condorcet as C

from _oracle import to_pref_voting

# --------------------------------------------------------------------------- profiles
N_DIFF = 2000


def _random_ranks(rng, b, n, m, p_trunc=0.25, p_tie=0.3):
    """Random weak orders with truncation: levels in 0..m-1, some set to -1."""
    r = rng.integers(0, m, size=(b, n, m))
    strict = rng.random((b, n)) > p_tie
    perm = np.argsort(rng.random((b, n, m)), axis=-1)
    r = np.where(strict[..., None], perm, r)
    trunc = rng.random((b, n, m)) < p_trunc
    return np.where(trunc, -1, r)


@pytest.fixture(scope="module")
def diff_data():
    """2000 small profiles (ties, truncation, weights, inactive candidates) + pref_voting twins."""
    rng = np.random.default_rng(2024)
    out = []
    # batch 1: 4 candidates, 6 voters, unit weights, all active
    r1 = _random_ranks(rng, N_DIFF // 2, 6, 4)
    p1 = sc.Rankings(r1)
    out.append((p1, None, [to_pref_voting(r) for r in p1.ranks]))
    # batch 2: 5 candidates, 5 voters, integer weights, random active subsets (>= 2)
    r2 = _random_ranks(rng, N_DIFF // 2, 5, 5)
    w2 = rng.integers(1, 4, size=(N_DIFF // 2, 5)).astype(float)
    act = rng.random((N_DIFF // 2, 5)) < 0.8
    act[:, :2] |= ~(act.sum(-1, keepdims=True) >= 2)
    p2 = sc.Rankings(r2, w2)
    out.append((p2, act, [to_pref_voting(r, w) for r, w in zip(p2.ranks, w2)]))
    return out


def _pv_sets(pv_fn, data, **kw):
    sets = []
    for prof, act, pvs in data:
        for i, pv in enumerate(pvs):
            cc = None if act is None else [int(c) for c in np.flatnonzero(act[i])]
            sets.append(sorted(pv_fn(pv, curr_cands=cc, **kw)))
    return sets


def _our_sets(rule, data, **kw):
    sets = []
    for prof, act, _ in data:
        res = rule(prof, active=act, **kw)
        sets.extend([list(np.flatnonzero(row)) for row in res.winner_mask])
    return sets


def _compare(ours, theirs, name):
    bad = [i for i, (a, b) in enumerate(zip(ours, theirs)) if list(a) != list(b)]
    assert len(ours) == len(theirs) == N_DIFF
    assert not bad, f"{name}: {len(bad)} mismatches, first {bad[0]}: ours {ours[bad[0]]} pv {theirs[bad[0]]}"


def _pv(path):
    mod, fn = path.rsplit(".", 1)
    return getattr(__import__(mod, fromlist=[fn]), fn)


DIFF_CASES = [
    ("condorcet_winner", {"fallback": "all"}, "pref_voting.c1_methods.condorcet", {}),
    ("weak_condorcet_winners", {"fallback": "all"}, "pref_voting.c1_methods.weak_condorcet", {}),
    ("copeland", {}, "pref_voting.c1_methods.copeland", {}),
    ("llull", {}, "pref_voting.c1_methods.llull", {}),
    ("maximin", {}, "pref_voting.margin_based_methods.minimax", {}),
    ("schulze", {}, "pref_voting.margin_based_methods.beat_path", {}),
    ("kemeny_young", {}, "pref_voting.other_methods.kemeny_young", {}),
    ("smith_set", {}, "pref_voting.c1_methods.top_cycle", {}),
    ("schwartz_set", {}, "pref_voting.c1_methods.gocha", {}),
    ("uncovered_set", {}, "pref_voting.c1_methods.uc_gill", {}),
    ("uncovered_set", {"covering": "fishburn"}, "pref_voting.c1_methods.uc_fish", {}),
    ("uncovered_set", {"covering": "bordes"}, "pref_voting.c1_methods.uc_bordes", {}),
    ("uncovered_set", {"covering": "mckelvey"}, "pref_voting.c1_methods.uc_mckelvey", {}),
]


@pytest.mark.parametrize("rule,kw,pv,pvkw", DIFF_CASES, ids=[f"{c[0]}{c[1]}" for c in DIFF_CASES])
def test_differential_pref_voting(diff_data, rule, kw, pv, pvkw):
    ours = _our_sets(sc.rules.get(rule), diff_data, **kw)
    theirs = _pv_sets(_pv(pv), diff_data, **pvkw)
    _compare(ours, theirs, rule)


def test_maximin_strength_variants_vs_pref_voting(diff_data):
    from pref_voting.margin_based_methods import minimax_scores

    for strength, method in (("winning_votes", "winning"), ("pairwise_opposition", "pairwise_opposition")):
        prof, act, pvs = diff_data[0]
        res = C.maximin(prof, strength=strength)
        for i in range(0, len(pvs), 5):
            sc_pv = minimax_scores(pvs[i], score_method=method)
            # pref_voting's minimax_scores already returns minus the worst opposition
            ours = res.scores[i]
            theirs = np.array([sc_pv[c] for c in range(4)], float)
            best = theirs.max()
            assert set(np.flatnonzero(theirs == best)) == set(np.flatnonzero(res.winner_mask[i]))
            np.testing.assert_allclose(ours - ours.max(), theirs - best)


def test_black_vs_pref_voting(diff_data):
    """Black = Condorcet winner else average Borda: oracle from pref_voting's Condorcet winner
    and symmetric Borda (same argmax as average Borda, docs/rules.md §2.2) on all 2000 tied/truncated
    profiles; pref_voting's own ``blacks`` (linear profiles only, slow) on 150 profiles."""
    from pref_voting.combined_methods import blacks
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda_for_profile_with_ties

    theirs = []
    for prof, act, pvs in diff_data:
        for i, pv in enumerate(pvs):
            cc = None if act is None else [int(c) for c in np.flatnonzero(act[i])]
            cw = pv.condorcet_winner(curr_cands=cc)
            theirs.append([cw] if cw is not None else borda_for_profile_with_ties(pv, curr_cands=cc))
    _compare(_our_sets(C.black, diff_data), theirs, "black")
    rng = np.random.default_rng(7)
    orders = np.argsort(rng.random((150, 6, 4)), axis=-1)
    res = C.black(sc.Rankings.from_orders(orders))
    for i in range(150):
        assert list(np.flatnonzero(res.winner_mask[i])) == blacks(Profile(orders[i].tolist()))


def test_ranked_pairs_vs_pref_voting():
    # pref_voting enumerates every order of each equal-margin group: keep 2000 profiles whose
    # number of tie-breaking orders is small (4 candidates, 5 voters, ties and truncation).
    from pref_voting.margin_based_methods import ranked_pairs as pv_rp

    rng = np.random.default_rng(9)
    keep = []
    while len(keep) < N_DIFF:
        r = _random_ranks(rng, 500, 5, 4)
        mm = sc.Rankings(r).margins()
        for i in range(500):
            groups = C._rp_edges_py(mm[i], np.ones(4, bool))
            if np.prod([math.factorial(len(g)) for g in groups]) <= 48:
                keep.append(r[i])
    prof = sc.Rankings(np.array(keep[:N_DIFF]))
    res = C.ranked_pairs(prof)
    n_tied = 0
    for i in range(N_DIFF):
        want = pv_rp(to_pref_voting(prof.ranks[i]))
        assert list(np.flatnonzero(res.winner_mask[i])) == want, i
        n_tied += len(want) > 1
    assert n_tied > 50


def test_ranked_pairs_tb_vs_pref_voting():
    from pref_voting.margin_based_methods import ranked_pairs_tb
    from pref_voting.profiles import Profile

    rng = np.random.default_rng(8)
    orders = np.argsort(rng.random((400, 4, 4)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    for tb in ([0, 1, 2, 3], [3, 1, 0, 2]):
        res = C.ranked_pairs(prof, tie="order", tie_order=tb)
        for i in range(400):
            assert list(np.flatnonzero(res.winner_mask[i])) == ranked_pairs_tb(
                Profile(orders[i].tolist()), tie_breaker=tb)


# --------------------------------------------------------------------------- ranked pairs oracle
def _lock_all(order_edges, m):
    """Plain ranked pairs along one explicit edge order; returns the top candidate."""
    reach = [1 << i for i in range(m)]  # reach[u]: nodes u reaches (incl. itself)
    locked_in = 0
    for x, y in order_edges:
        if (reach[y] >> x) & 1:
            continue
        locked_in |= 1 << y
        for u in range(m):
            if (reach[u] >> x) & 1:
                reach[u] |= reach[y]
    return locked_in


def _rp_brute(mm, act):
    """Union over every tie-breaking order (explicit permutations of each equal group)."""
    groups = C._rp_edges_py(mm, act)
    m = mm.shape[0]
    idx = list(np.flatnonzero(act))
    win = set()
    for perms in itertools.product(*[list(itertools.permutations(g)) for g in groups]):
        inc = _lock_all([e for grp in perms for e in grp], m)
        win.update(int(x) for x in idx if not (inc >> int(x)) & 1)
    return sorted(win)


def test_ranked_pairs_vs_brute_force_orders():
    rng = np.random.default_rng(11)
    # 4 voters, 5 candidates: even margins, many zero/equal edges; keep group products small
    checked = 0
    for _ in range(300):
        prof = sc.Rankings(_random_ranks(rng, 1, 4, 5)[0])
        mm = prof.margins()
        act = np.ones(5, bool)
        groups = C._rp_edges_py(mm, act)
        n_orders = np.prod([float(math.factorial(len(g))) for g in groups])
        if n_orders > 2000:
            continue
        want = _rp_brute(mm, act)
        assert list(np.flatnonzero(C.ranked_pairs(prof).winner_mask)) == want
        assert list(np.flatnonzero(C._rp_winners_py(mm, act))) == want
        checked += 1
    assert checked > 60


def test_ranked_pairs_many_equal_margins_fast_and_exact():
    # 50 voters, 10 candidates drawn from 3 ballot types: margins take few values, so the
    # strength groups are large (pref_voting enumerates orders and takes minutes here).
    rng = np.random.default_rng(3)
    base = np.argsort(rng.random((3, 10)), axis=-1)
    orders = base[rng.integers(0, 3, size=50)]
    prof = sc.Rankings.from_orders(orders)
    mm = prof.margins()
    assert len(np.unique(mm[mm > 0])) <= 4
    C.ranked_pairs(prof)  # compile
    t = time.perf_counter()
    kernel = C.ranked_pairs(prof).winner_mask
    elapsed = time.perf_counter() - t
    py = C._rp_winners_py(mm, np.ones(10, bool))
    np.testing.assert_array_equal(kernel, py)
    # winner set is the union of tops over orders: random orders only ever produce members
    for seed in range(30):
        r = np.random.default_rng(seed)
        locked = [0] * 10
        for grp in C._rp_edges_py(mm, np.ones(10, bool)):
            for j in r.permutation(len(grp)):
                x, y = grp[j]
                if not (C._reach(dict(enumerate(locked)), 10)[y] >> x) & 1:
                    locked[x] |= 1 << y
        assert kernel[C._rp_top_py(locked, np.ones(10, bool))]
    assert elapsed < 5.0  # generous: typical is milliseconds; the point is not minutes


def test_ranked_pairs_python_path_large_m():
    rng = np.random.default_rng(5)
    for _ in range(20):  # the Python twin (used for m > 16) agrees with the kernel
        prof = sc.Rankings(_random_ranks(rng, 1, 4, 9)[0])
        np.testing.assert_array_equal(C._rp_winners_py(prof.margins(), np.ones(9, bool)),
                                      C.ranked_pairs(prof).winner_mask)
    orders = np.argsort(rng.random((5, 18)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    res = C.ranked_pairs(prof)  # m > 16: pure Python DFS
    assert res.winner_mask.any()
    assert not (res.winner_mask & ~C.smith_set(prof).winner_mask).any()


def test_random_order_probabilities_exact_vs_enumeration():
    rng = np.random.default_rng(12)
    for _ in range(30):
        prof = sc.Rankings(_random_ranks(rng, 1, 4, 4)[0])
        mm = prof.margins()
        act = np.ones(4, bool)
        groups = C._rp_edges_py(mm, act)
        if np.prod([math.factorial(len(g)) for g in groups]) > 3000:
            continue
        counts = np.zeros(4)
        total = 0
        for perms in itertools.product(*[list(itertools.permutations(g)) for g in groups]):
            inc = _lock_all([e for grp in perms for e in grp], 4)
            counts[[x for x in range(4) if not (inc >> x) & 1][0]] += 1
            total += 1
        p, se = C.ranked_pairs_random_order_probabilities(prof)
        np.testing.assert_allclose(p, counts / total, atol=1e-12)
        assert (se == 0).all()
        np.testing.assert_array_equal(p > 0, C.ranked_pairs(prof).winner_mask)


def test_random_order_probabilities_monte_carlo_fallback():
    cyc = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    p, se = C.ranked_pairs_random_order_probabilities(cyc, max_states=1, n_samples=3000, rng=1)
    assert (se > 0).all()
    np.testing.assert_allclose(p, 1 / 3, atol=5 * se.max())
    p2, _ = C.ranked_pairs_random_order_probabilities(cyc, max_states=1, n_samples=3000, rng=1)
    np.testing.assert_array_equal(p, p2)


# --------------------------------------------------------------------------- Kemeny
def _kemeny_brute(mm, act):
    idx = list(np.flatnonzero(act))
    best, tops, rankings = -np.inf, set(), []
    for perm in itertools.permutations(idx):
        k = sum(mm[perm[i], perm[j]] for i in range(len(perm)) for j in range(i + 1, len(perm)))
        if k > best + 1e-9:
            best, tops, rankings = k, {perm[0]}, [list(perm)]
        elif abs(k - best) <= 1e-9:
            tops.add(perm[0])
            rankings.append(list(perm))
    return best, sorted(tops), sorted(rankings)


def test_kemeny_vs_brute_force_with_rankings():
    rng = np.random.default_rng(13)
    r = _random_ranks(rng, 200, 5, 5)
    w = rng.random((200, 5)) * 3  # real weights: tolerance path
    prof = sc.Rankings(r, w)
    res = C.kemeny_young(prof, return_rankings=True)
    mms = prof.margins()
    for i in range(200):
        best, tops, rankings = _kemeny_brute(mms[i], np.ones(5, bool))
        assert list(np.flatnonzero(res.winner_mask[i])) == tops
        assert res.details["k_star"][i] == pytest.approx(best)
        assert sorted(res.details["rankings"][i]) == rankings


@pytest.mark.parametrize("weighted", [False, True])
def test_kemeny_ranking_is_the_unique_optimal_ranking(weighted):
    """``ranking`` = positions in the optimal ranking when it is unique (brute force over
    permutations), all -1 when several are optimal; integer ties exact, real weights
    within the tolerance; inactive candidates -1."""
    rng = np.random.default_rng(14)
    r = _random_ranks(rng, 150, 3, 4)
    w = rng.random((150, 3)) * 3 if weighted else None
    act = np.ones((150, 4), bool)
    act[::5, 3] = False
    prof = sc.Rankings(r, w)
    res = C.kemeny_young(prof, active=act)
    mms = prof.margins()
    seen = set()
    for i in range(150):
        _, _, rankings = _kemeny_brute(mms[i], act[i])
        if len(rankings) == 1:
            want = np.full(4, -1)
            want[rankings[0]] = np.arange(len(rankings[0]))
            seen.add("unique")
        else:
            want = np.full(4, -1)
            seen.add("several")
        np.testing.assert_array_equal(res.ranking[i], want)
    assert seen == {"unique", "several"}


def test_kemeny_size_limit():
    prof = sc.Pairwise(np.zeros((21, 21)))
    with pytest.raises(SizeLimitError, match="max_candidates"):
        C.kemeny_young(prof)
    act = np.zeros(21, bool)
    act[:5] = True
    assert C.kemeny_young(prof, active=act).winner_mask[:5].all()


# --------------------------------------------------------------------------- docs/rules.md §9 examples
P1 = [[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2
P3 = [[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3 + [[0, 1, 3, 2]] * 4
P5 = ([[0, 4, 1, 2, 3]] * 4 + [[2, 3, 0, 4, 1]] * 5 + [[1, 3, 4, 0, 2]] * 2
      + [[1, 3, 0, 2, 4]] * 6 + [[4, 2, 3, 0, 1]] * 6)
PS = [[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]]
PU = [[0, 2, 3, 1]] * 2 + [[2, 3, 1, 0]] * 3 + [[1, 3, 0, 2]] * 2
BURL = [[2, 1, 0]] * 35 + [[0, 1, 2]] * 33 + [[1, 0, 2]] * 18 + [[1, 2, 0]] * 14
CYC = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]

SPEC = {
    "P1": (P1, {"condorcet_winner": [1], "condorcet_loser": [0], "copeland": [1], "maximin": [1],
                "schulze": [1], "ranked_pairs": [1], "kemeny_young": [1], "black": [1],
                "smith_set": [1], "schwartz_set": [1], "uncovered_set": [1],
                "weak_condorcet_winners": [1], "llull": [1]}),
    "P3": (P3, {"condorcet_winner": [], "condorcet_loser": [3], "copeland": [0, 1, 2],
                "llull": [0, 1, 2], "smith_set": [0, 1, 2], "schwartz_set": [0, 1, 2],
                "uncovered_set": [0, 1, 2], "maximin": [0], "schulze": [0], "ranked_pairs": [0],
                "kemeny_young": [0], "black": [0]}),
    "P5": (P5, {"copeland": [0], "schulze": [2], "maximin": [2], "ranked_pairs": [2],
                "kemeny_young": [2], "black": [3], "condorcet_winner": [],
                "smith_set": [0, 1, 2, 3, 4], "uncovered_set": [0, 1, 3]}),
    "PS": (PS, {"smith_set": [0, 1, 2], "schwartz_set": [1], "weak_condorcet_winners": [1],
                "condorcet_winner": [], "copeland": [1], "llull": [1],
                "uncovered_set": [0, 1]}),
    "PU": (PU, {"smith_set": [0, 1, 2, 3], "uncovered_set": [0, 2, 3], "copeland": [2, 3]}),
    "BURL": (BURL, {"condorcet_winner": [1], "copeland": [1], "schulze": [1],
                    "ranked_pairs": [1], "kemeny_young": [1], "black": [1], "maximin": [1]}),
    "CYC": (CYC, {r: [0, 1, 2] for r in ("copeland", "llull", "maximin", "schulze",
                                          "ranked_pairs", "kemeny_young", "black", "smith_set",
                                          "schwartz_set", "uncovered_set")}),
}


@pytest.mark.parametrize("name", list(SPEC))
def test_spec_examples(name):
    orders, expected = SPEC[name]
    prof = sc.Rankings.from_orders(orders)
    for rule, want in expected.items():
        assert sc.rules.get(rule)(prof).winners == want, (name, rule)


def test_spec_example_details():
    p3 = sc.Rankings.from_orders(P3)
    assert C.maximin(p3).scores.tolist() == [-1, -3, -5, -11]
    assert C.copeland(p3).scores.tolist() == [2, 2, 2, 0]
    r = C.kemeny_young(p3, return_rankings=True)
    assert r.details["k_star"] == 26 and r.details["rankings"] == [[0, 1, 2, 3]]
    paths = C.schulze(p3).details["path_strength"]
    assert paths[0, 1] == 3 and paths[1, 0] == 1 and paths[1, 2] == 5
    ps = sc.Rankings.from_orders(PS)
    assert C.copeland(ps, alpha=0).winners == [1, 2]
    assert C.uncovered_set(ps, covering="fishburn").winners == [1]
    p5 = sc.Rankings.from_orders(P5)
    assert C.black(p5).scores.tolist() == [46, 40, 48, 51, 45]


def test_spec_truncated_example_T():
    t = sc.Rankings.from_orders([[1, 2, 0, 3]] * 2 + [[2, -1, -1, -1]])
    assert C.copeland(t).winners == [1]
    assert C.schulze(t).winners == [1]
    # average-Borda for Black: (3, 7, 7, 1); no Condorcet winner? b beats all -> b
    assert C.black(t).scores.tolist() == [3, 7, 7, 1]


def test_pairwise_input_and_records():
    p1 = sc.Rankings.from_orders(P1)
    pw = p1.to_pairwise()
    for rule in C.__all__:
        if rule == "ranked_pairs_random_order_probabilities":
            continue
        f = sc.rules.get(rule)
        np.testing.assert_array_equal(f(pw).winner_mask, f(p1).winner_mask)


# --------------------------------------------------------------------------- properties
RULES = [r for r in C.__all__ if r != "ranked_pairs_random_order_probabilities"]


@st.composite
def profiles(draw, max_m=5, max_n=6):
    m = draw(st.integers(2, max_m))
    n = draw(st.integers(1, max_n))
    b = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    ranks = _random_ranks(rng, b, n, m)
    w = rng.integers(1, 4, size=(b, n)).astype(float)
    return ranks, w


@given(profiles(), st.integers(0, 2**31))
def test_anonymity_neutrality_batch(data, seed):
    ranks, w = data
    rng = np.random.default_rng(seed)
    b, n, m = ranks.shape
    prof = sc.Rankings(ranks, w)
    vperm = rng.permutation(n)
    cperm = rng.permutation(m)
    prof_v = sc.Rankings(ranks[:, vperm], w[:, vperm])
    prof_c = sc.Rankings(ranks[..., cperm], w)
    for rule in RULES:
        f = sc.rules.get(rule)
        base = f(prof).winner_mask
        np.testing.assert_array_equal(f(prof_v).winner_mask, base, err_msg=rule)
        np.testing.assert_array_equal(f(prof_c).winner_mask, base[..., cperm], err_msg=rule)
        for i in range(b):
            one = f(sc.Rankings(ranks[i], w[i])).winner_mask
            np.testing.assert_array_equal(one, base[i], err_msg=rule)


@given(profiles(max_n=4))
def test_weight_k_equals_k_copies(data):
    ranks, w = data
    prof = sc.Rankings(ranks, w)
    rep = np.repeat(ranks, w[0].astype(int), axis=1) if (w == w[0]).all() else None
    k = w.astype(int)
    for i in range(ranks.shape[0]):
        copies = sc.Rankings(np.repeat(ranks[i], k[i], axis=0))
        single = sc.Rankings(ranks[i], w[i])
        for rule in RULES:
            f = sc.rules.get(rule)
            np.testing.assert_array_equal(f(copies).winner_mask, f(single).winner_mask, err_msg=rule)
    del rep, prof


def test_numpy_xarray_dask_paths():
    rng = np.random.default_rng(21)
    ranks = _random_ranks(rng, 5, 6, 4)
    for rule in RULES:
        f = sc.rules.get(rule)
        want = f(sc.Rankings(ranks)).winner_mask
        da = sc.xr.rankings_dataarray(ranks)
        np.testing.assert_array_equal(f(da)["winner_mask"].values, want, err_msg=rule)
        dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
        np.testing.assert_array_equal(f(dd)["winner_mask"].values, want, err_msg=rule)


def test_active_mask_equals_restriction():
    rng = np.random.default_rng(22)
    ranks = _random_ranks(rng, 50, 5, 5)
    act = np.array([True, False, True, True, False])
    prof = sc.Rankings(ranks)
    sub = sc.Rankings(ranks[..., act])
    for rule in RULES:
        f = sc.rules.get(rule)
        np.testing.assert_array_equal(f(prof, active=act).winner_mask[..., act],
                                      f(sub).winner_mask, err_msg=rule)
        assert not f(prof, active=act).winner_mask[..., ~act].any()


def test_float_weights_noise_does_not_break_ties():
    # weights 0.1 + 0.2 vs 0.3: exact majority tie up to float noise
    prof = sc.Rankings([[0, 1], [0, 1], [1, 0]], [0.1, 0.2, 0.3])
    assert C.weak_condorcet_winners(prof).winners == [0, 1]
    assert C.condorcet_winner(prof).winners == []
    assert C.copeland(prof).winners == [0, 1]


# --------------------------------------------------------------------------- bad input
def test_bad_options_and_inputs():
    prof = sc.Rankings.from_orders(P1)
    with pytest.raises(ValidationError, match="fallback"):
        C.condorcet_winner(prof, fallback="some")
    with pytest.raises(ValidationError, match="alpha"):
        C.copeland(prof, alpha=2)
    with pytest.raises(ValidationError, match="strength"):
        C.maximin(prof, strength="x")
    with pytest.raises(ValidationError, match="strength"):
        C.schulze(prof, strength="pairwise_opposition")
    with pytest.raises(ValidationError, match="tie_order"):
        C.ranked_pairs(prof, tie="order", tie_order=[0, 0, 1])
    with pytest.raises(ValidationError, match="tie_order"):
        C.ranked_pairs(prof, tie_order=[0, 1, 2])
    with pytest.raises(ValidationError, match="covering"):
        C.uncovered_set(prof, covering="miller")
    with pytest.raises(ValidationError, match="active"):
        C.copeland(prof, active=np.zeros(3, bool))
    with pytest.raises(ValidationError):
        C.copeland("not a profile")


def test_inputs_not_mutated():
    ranks = np.array([[0, 1, 2], [2, 1, 0], [1, 0, 2]])
    s = np.array([[0.0, 2, 1], [1, 0, 2], [2, 1, 0]])
    r0, s0 = ranks.copy(), s.copy()
    for rule in RULES:
        f = sc.rules.get(rule)
        f(ranks)
        f(sc.Pairwise(s))
    np.testing.assert_array_equal(ranks, r0)
    np.testing.assert_array_equal(s, s0)


def test_all_missing_item_all_tied():
    # an item where nobody ranks anything: every pair majority-tied
    ranks = np.full((2, 3, 3), -1)
    ranks[0] = [[0, 1, 2]] * 3
    res = C.smith_set(ranks)
    assert res.winners == [[0], [0, 1, 2]]
    assert C.copeland(ranks).winners == [[0], [0, 1, 2]]
    assert C.condorcet_winner(ranks).winners == [[0], []]
    assert C.ranked_pairs(ranks).winners == [[0], [0, 1, 2]]


# --------------------------------------------------------------------------- PrefLib fixtures
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "condorcet.json")
README_FACTS = {  # tests/data/README.md: Condorcet winner and Smith set per file
    "00001-00000002.soi": ([5], [5]), "00005-00000002.toi": ([2], [2]),
    "00006-00000001.toc": ([30], [30]), "00007-00000019.soi": ([], [1, 2, 4]),
    "00008-00000009.soi": ([], [3, 4, 6]), "00009-00000002.soc": ([7], [7]),
    "00012-00000001.soc": ([], [1, 6, 10]), "00014-00000001.soc": ([7], [7]),
    "00032-00000004.toi": ([], [1, 2, 3, 4, 7, 8]),
}


def test_preflib_fixtures(shared_data):
    import json

    with open(FIXTURE) as fh:
        fix = json.load(fh)
    for f, (cw, smith) in README_FACTS.items():
        assert fix[f]["condorcet_winner"]["winners"] == cw, f
        assert fix[f]["smith_set"]["winners"] == smith, f
    # weak Condorcet winners quoted in the README
    assert fix["00007-00000019.soi"]["weak_condorcet_winners"]["winners"] == [4]
    assert fix["00012-00000001.soc"]["weak_condorcet_winners"]["winners"] == [10]
    # recompute the cheap margin rules on the smaller files
    for f in ("00007-00000019.soi", "00012-00000001.soc", "00032-00000004.toi"):
        prof = sc.read_preflib(os.path.join(shared_data, "preflib", f))
        for rule in ("copeland", "schulze", "ranked_pairs", "maximin", "uncovered_set",
                     "schwartz_set", "kemeny_young", "black"):
            assert [int(c) for c in sc.rules.get(rule)(prof).winners] == fix[f][rule]["winners"], (f, rule)
