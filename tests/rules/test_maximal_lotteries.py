"""Maximal lotteries and the essential set (docs/rules.md §6.2)."""

from __future__ import annotations

import itertools
import os
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import SizeLimitError, ValidationError
from socialchoice.rules import maximal_lotteries as P

from _oracle import to_margin_graph

N_DIFF = 2000


def _random_ranks(rng, b, n, m, p_trunc=0.25, p_tie=0.3):
    r = rng.integers(0, m, size=(b, n, m))
    strict = rng.random((b, n)) > p_tie
    perm = np.argsort(rng.random((b, n, m)), axis=-1)
    r = np.where(strict[..., None], perm, r)
    return np.where(rng.random((b, n, m)) < p_trunc, -1, r)


def _is_maximal(p, mm, atol=1e-7):
    return (p @ mm >= -atol * max(1.0, np.abs(mm).max())).all() and abs(p.sum() - 1) < 1e-9


def test_unique_lotteries_vs_pref_voting_lp():
    """Odd W with complete ballots: the maximal lottery is unique; pref_voting's LP must agree."""
    from pref_voting.probabilistic_methods import maximal_lottery as pv_ml

    rng = np.random.default_rng(1)
    orders = np.argsort(rng.random((N_DIFF, 7, 5)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    res = P.maximal_lottery(prof)
    ess = P.essential_set(prof)
    mms = prof.margins()
    n_mixed = 0
    for i in range(N_DIFF):
        pv = pv_ml(to_margin_graph(mms[i]))
        np.testing.assert_allclose(res.lottery[i], [pv[c] for c in range(5)], atol=1e-7)
        np.testing.assert_array_equal(ess.winner_mask[i], res.lottery[i] > 1e-9)
        n_mixed += (res.lottery[i] > 0).sum() > 1
    assert n_mixed > 100


def test_essential_set_vs_pref_voting_and_brute_force():
    """pref_voting's ``essential`` is the support of ONE LP solution, so with majority ties it
    can miss members of the essential set (union of all supports, docs/rules.md §6.2). We check: ours
    contains pref_voting's, equals the union of supports of the brute-force vertices, and the
    default lottery (average of vertices) has exactly that support."""
    from pref_voting.margin_based_methods import essential

    rng = np.random.default_rng(2)
    ranks = _random_ranks(rng, 300, 4, 4)
    prof = sc.Rankings(ranks)
    res = P.essential_set(prof)
    ml = P.maximal_lottery(prof)
    mms = prof.margins()
    strict_superset = 0
    for i in range(300):
        pv = set(essential(to_margin_graph(mms[i])))
        ours = set(np.flatnonzero(res.winner_mask[i]).tolist())
        assert pv <= ours, i
        strict_superset += pv != ours
        union = (_brute_vertices(mms[i]) > 1e-9).any(0)
        np.testing.assert_array_equal(res.winner_mask[i], union)
        np.testing.assert_array_equal(ml.winner_mask[i], res.winner_mask[i])
    assert strict_superset > 0  # the documented pref_voting difference occurs


def _brute_vertices(mm):
    """Vertices of {p >= 0, sum p = 1, p^T M >= 0} by brute force over active constraint sets."""
    k = mm.shape[0]
    rows = np.vstack([np.eye(k), mm.T])  # constraints rows @ p >= 0
    verts = []
    for sel in itertools.combinations(range(2 * k), k - 1):
        a = np.vstack([np.ones((1, k)), rows[list(sel)]])
        if abs(np.linalg.det(a)) < 1e-10:
            continue
        b = np.zeros(k)
        b[0] = 1
        p = np.linalg.solve(a, b)
        if (rows @ p >= -1e-9).all() and not any(np.abs(p - v).max() < 1e-8 for v in verts):
            verts.append(p)
    return np.array(verts)


def test_average_of_vertices_vs_brute_force():
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(150):
        prof = sc.Rankings(_random_ranks(rng, 1, 4, 4)[0])
        mm = prof.margins()
        v = _brute_vertices(mm)
        res = P.maximal_lottery(prof)
        np.testing.assert_allclose(res.lottery, v.mean(0), atol=1e-7)
        assert _is_maximal(res.lottery, mm)
        checked += len(v) > 1
    assert checked > 10  # non-unique cases were exercised


def test_lp_method_gives_a_maximal_lottery():
    rng = np.random.default_rng(4)
    ranks = _random_ranks(rng, 200, 4, 5)
    prof = sc.Rankings(ranks)
    lp = P.maximal_lottery(prof, method="lp")
    lpu = P.maximal_lottery(prof, method="lp", support_union=True)
    ess = P.essential_set(prof)
    mms = prof.margins()
    for i in range(200):
        assert _is_maximal(lp.lottery[i], mms[i])
        assert not (lp.winner_mask[i] & ~ess.winner_mask[i]).any()
    np.testing.assert_array_equal(lpu.winner_mask, ess.winner_mask)


def test_spec_examples():
    p3 = sc.Rankings.from_orders([[1, 0, 2, 3]] + [[2, 0, 3, 1]] * 3 + [[1, 2, 0, 3]] * 3
                                 + [[0, 1, 3, 2]] * 4)
    np.testing.assert_allclose(P.maximal_lottery(p3).lottery, [5 / 9, 1 / 9, 3 / 9, 0], atol=1e-9)
    p1 = sc.Rankings.from_orders([[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2)
    assert P.maximal_lottery(p1).lottery.tolist() == [0, 1, 0]
    cyc = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    np.testing.assert_allclose(P.maximal_lottery(cyc).lottery, [1 / 3] * 3, atol=1e-12)
    ps = sc.Rankings.from_orders([[1, 2, 0]] * 2 + [[2, 0, 1], [0, 1, 2]])
    # M[a,b] = 0, M[b,c] = M[c,a] = 2: p_c = 0 and p_b >= p_a; vertices (0,1,0), (1/2,1/2,0)
    assert P.essential_set(ps).winners == [0, 1]
    np.testing.assert_allclose(P.maximal_lottery(ps).lottery, [0.25, 0.75, 0], atol=1e-9)
    # all tied: the whole simplex is optimal, its vertices average to uniform
    tied = sc.Pairwise(np.ones((4, 4)) - np.eye(4))
    np.testing.assert_allclose(P.maximal_lottery(tied).lottery, [0.25] * 4)


def test_records_and_batches_and_active():
    rng = np.random.default_rng(5)
    ranks = _random_ranks(rng, 30, 5, 5)
    act = np.array([True, True, False, True, True])
    full = P.maximal_lottery(sc.Rankings(ranks), active=act)
    sub = P.maximal_lottery(sc.Rankings(ranks[..., act]))
    np.testing.assert_allclose(full.lottery[..., act], sub.lottery, atol=1e-9)
    assert (full.lottery[..., ~act] == 0).all()
    pw = sc.Rankings(ranks).to_pairwise()
    np.testing.assert_allclose(P.maximal_lottery(pw).lottery,
                               P.maximal_lottery(sc.Rankings(ranks)).lottery)


@given(st.integers(0, 2**31), st.integers(2, 5), st.integers(1, 6))
def test_properties(seed, m, n):
    rng = np.random.default_rng(seed)
    ranks = _random_ranks(rng, 2, n, m)
    w = rng.integers(1, 3, size=(2, n)).astype(float)
    base = P.maximal_lottery(sc.Rankings(ranks, w))
    cperm = rng.permutation(m)
    vperm = rng.permutation(n)
    np.testing.assert_allclose(P.maximal_lottery(sc.Rankings(ranks[..., cperm], w)).lottery,
                               base.lottery[..., cperm], atol=1e-9)
    np.testing.assert_allclose(P.maximal_lottery(sc.Rankings(ranks[:, vperm], w[:, vperm])).lottery,
                               base.lottery, atol=1e-12)
    copies = sc.Rankings(np.repeat(ranks[0], w[0].astype(int), axis=0))
    np.testing.assert_allclose(P.maximal_lottery(copies).lottery, base.lottery[0], atol=1e-9)
    one = P.maximal_lottery(sc.Rankings(ranks[1], w[1]))
    np.testing.assert_allclose(one.lottery, base.lottery[1], atol=1e-12)
    np.testing.assert_allclose(base.lottery.sum(-1), 1.0)
    ess = P.essential_set(sc.Rankings(ranks, w))
    np.testing.assert_array_equal(ess.winner_mask, base.winner_mask)


def test_xarray_dask_paths():
    rng = np.random.default_rng(6)
    ranks = _random_ranks(rng, 5, 6, 4)
    for f in (P.maximal_lottery, P.essential_set):
        want = f(sc.Rankings(ranks)).winner_mask
        np.testing.assert_array_equal(f(sc.xr.rankings_dataarray(ranks))["winner_mask"].values, want)
        dd = sc.xr.rankings_dataarray(ranks, chunks={"item": 2})
        np.testing.assert_array_equal(f(dd)["winner_mask"].values, want)


def test_bad_input():
    prof = sc.Rankings.from_orders([[0, 1, 2]])
    with pytest.raises(ValidationError, match="method"):
        P.maximal_lottery(prof, method="simplex")
    # 12 candidates all tied, each beating a 13th: 12 optimal vertices, enumeration refuses
    s = np.ones((13, 13)) - np.eye(13)
    s[:12, 12] = 2.0
    s[12, :12] = 0.0
    tied = sc.Pairwise(s, total_weight=2.0)
    with pytest.raises(SizeLimitError, match="method='lp'"):
        P.maximal_lottery(tied)
    p = P.maximal_lottery(tied, method="lp").lottery
    assert abs(p.sum() - 1) < 1e-9 and p[12] == 0 and (p[:12] > 0).all()
    # every pair tied: the simplex, whose vertices average to uniform (no enumeration needed)
    np.testing.assert_allclose(P.maximal_lottery(sc.Pairwise(np.ones((13, 13)) - np.eye(13))).lottery,
                               np.full(13, 1 / 13))
    ranks = np.array([[0, 1, 2], [2, 1, 0]])
    r0 = ranks.copy()
    P.maximal_lottery(ranks)
    np.testing.assert_array_equal(ranks, r0)


# --------------------------------------------------------------------------- LP path, large m
def _pv_lottery(mm):
    from pref_voting.probabilistic_methods import maximal_lottery as pv_ml

    pv = pv_ml(to_margin_graph(mm))
    return np.array([pv.get(c, 0.0) for c in range(mm.shape[0])])


def _odd_tournament(rng, m, n=101):
    """Support of n voters on every pair (n odd): unique maximal lottery, large supports."""
    u = rng.integers(0, n + 1, size=(m, m))
    s = np.triu(u, 1) + np.triu(n - u, 1).T
    return sc.Pairwise(s.astype(float), total_weight=n)


def test_preflib_fixtures_vs_pref_voting(shared_data):
    """Every PrefLib fixture: the lottery equals pref_voting's LP where the maximal lottery is
    unique, and our essential set contains pref_voting's (equal where unique)."""
    import json

    from pref_voting.margin_based_methods import essential

    with open(os.path.join(os.path.dirname(__file__), "fixtures", "condorcet.json")) as fh:
        fix = json.load(fh)
    for f, rec in fix.items():
        prof = sc.read_preflib(os.path.join(shared_data, "preflib", f))
        mm = prof.margins()
        res = P.maximal_lottery(prof)
        ess = P.essential_set(prof)
        assert _is_maximal(res.lottery, mm), f
        if "maximal_lottery" in rec:
            np.testing.assert_allclose(res.lottery, rec["maximal_lottery"]["lottery"], atol=1e-7)
        if "essential_set" in rec:
            assert [int(c) for c in ess.winners] == rec["essential_set"]["winners"], f
        pv_ess = set(essential(to_margin_graph(mm)))
        assert pv_ess <= set(np.flatnonzero(ess.winner_mask).tolist()), f
        if P._unique_solution(mm / np.abs(mm).max(), ess.winner_mask) is not None:
            np.testing.assert_allclose(res.lottery, _pv_lottery(mm), atol=1e-7)
            assert pv_ess == set(np.flatnonzero(ess.winner_mask).tolist()), f


@pytest.mark.parametrize("m", [6, 9, 12, 16, 20])
def test_generated_vs_pref_voting(m):
    from pref_voting.margin_based_methods import essential

    rng = np.random.default_rng(m)
    mixed = 0
    for _ in range(6):
        pw = _odd_tournament(rng, m)
        mm = pw.margins()
        res = P.maximal_lottery(pw)
        np.testing.assert_allclose(res.lottery, _pv_lottery(mm), atol=1e-7)
        ess = P.essential_set(pw)
        assert set(essential(to_margin_graph(mm))) == set(np.flatnonzero(ess.winner_mask).tolist())
        np.testing.assert_array_equal(ess.winner_mask, res.lottery > 1e-9)
        mixed += (res.lottery > 0).sum() > P.ENUM_MAX_M
    # ballots (odd number of complete ballots): same checks through Rankings
    orders = np.argsort(rng.random((3, 31, m)), axis=-1)
    prof = sc.Rankings.from_orders(orders)
    res = P.maximal_lottery(prof)
    for i in range(3):
        np.testing.assert_allclose(res.lottery[i], _pv_lottery(prof.margins()[i]), atol=1e-7)
    if m >= 12:
        assert mixed > 0  # the LP path (support beyond the enumeration limit) was exercised


def test_ties_lp_path_vs_brute_force():
    """Majority ties beyond the enumeration limit: the LP essential set equals the union of the
    supports of the brute-force vertices, and method='lp' returns a maximal lottery on it."""
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(40):
        m = 7
        u = rng.integers(0, 3, size=(m, m))  # n = 2 voters' worth: many ties
        s = np.triu(u, 1) + np.triu(2 - u, 1).T
        pw = sc.Pairwise(s.astype(float), total_weight=2.0)
        mm = pw.margins()
        ess = P.essential_set(pw).winner_mask
        lp = P.maximal_lottery(pw, method="lp")
        assert _is_maximal(lp.lottery, mm)
        np.testing.assert_array_equal(lp.winner_mask, ess)
        np.testing.assert_array_equal((_brute_vertices(mm) > 1e-9).any(0), ess)
        checked += ess.sum() > 1
    assert checked > 5


def test_large_m_is_polynomial():
    """A 40-candidate election with a large support used to enumerate 2^40 supports."""
    pw = _odd_tournament(np.random.default_rng(0), 40)
    P.maximal_lottery(pw)
    t = time.perf_counter()
    res = P.maximal_lottery(pw)
    P.essential_set(pw)
    assert time.perf_counter() - t < 5.0
    assert (res.lottery > 0).sum() > P.ENUM_MAX_M


def test_progress_and_chunks():
    rng = np.random.default_rng(12)
    s = np.stack([_odd_tournament(rng, 12).support_matrix for _ in range(5)])
    calls = []
    res = P.maximal_lottery(sc.Pairwise(s, total_weight=101.0),
                            progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    np.testing.assert_allclose(res.lottery.sum(-1), 1.0)


@pytest.mark.slow
def test_sixty_candidates_vs_pref_voting():
    from pref_voting.margin_based_methods import essential

    rng = np.random.default_rng(60)
    for _ in range(5):
        pw = _odd_tournament(rng, 60)
        mm = pw.margins()
        res = P.maximal_lottery(pw)
        np.testing.assert_allclose(res.lottery, _pv_lottery(mm), atol=1e-7)
        ess = P.essential_set(pw)
        assert set(essential(to_margin_graph(mm))) == set(np.flatnonzero(ess.winner_mask).tolist())


def test_old_module_path_warns():
    import importlib
    import sys

    sys.modules.pop("socialchoice.rules.probabilistic", None)
    with pytest.warns(DeprecationWarning, match="maximal_lotteries"):
        old = importlib.import_module("socialchoice.rules.probabilistic")
    assert old.maximal_lottery is P.maximal_lottery


@pytest.mark.parametrize("seed", range(6))
def test_vertex_kernel_equals_the_null_space_enumeration(seed):
    """Non-unique maximal lotteries (few voters, many majority ties): the Numba vertex average
    equals the Python null-space enumeration (``_general``), and its support is the essential
    set of the LP."""
    from socialchoice._kernels.tournament import maximal_lottery_vertices
    from socialchoice.rules.maximal_lotteries import _general, _interior

    rng = np.random.default_rng(seed)
    for _ in range(60):
        m, nv = int(rng.integers(2, 7)), int(rng.integers(1, 5))
        R = np.argsort(rng.random((nv, m)), -1)
        S = (R[:, :, None] < R[:, None, :]).sum(0).astype(float)
        M = S - S.T
        Mn = (M / max(np.abs(M).max(), 1.0))[None]
        p, ok = np.zeros((1, m)), np.zeros(1, bool)
        maximal_lottery_vertices(Mn, np.ones((1, m), bool), np.array([0]), 6, p, ok)
        want, _ = _general(Mn[0].copy(), "enumeration", 12)
        assert ok[0]
        np.testing.assert_allclose(p[0], want, atol=1e-9)
        if np.abs(M).max() > 0:
            np.testing.assert_array_equal(p[0] > 1e-9, _interior(Mn[0].copy())[1])
