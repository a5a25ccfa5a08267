"""Every fast kernel family against its naive in-repo reference (socialchoice.testing.reference).

Integer weights keep margins exact, so tie-sensitive rules can be compared exactly.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.testing import reference as ref
from socialchoice.testing.strategies import rankings, ratings

int_weights = st.integers(0, 5).map(float)
profiles = rankings(weights=st.booleans(), weight_elements=int_weights)
linear_profiles = rankings(ties=False, truncation=False, weights=st.booleans(),
                           weight_elements=int_weights)


def _w(p):
    return None if p.weights is None else np.asarray(p.weights)


def _mask(idx, m):
    out = np.zeros(m, bool)
    out[list(idx)] = True
    return out


@given(profiles)
def test_support_matches_reference(p):
    np.testing.assert_allclose(p.support(), ref.support_naive(p.ranks, _w(p)), rtol=1e-12)


@given(profiles)
def test_plurality_scores(p):
    res = sc.rules.plurality(p)
    np.testing.assert_allclose(res.scores, ref.plurality_naive(p.ranks, _w(p)), rtol=1e-12, atol=1e-12)


@given(profiles)
def test_borda_scores_average_mode(p):
    res = sc.rules.borda(p)
    np.testing.assert_allclose(res.scores, ref.borda_naive(p.ranks, _w(p)), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(res.winner_mask, _mask(ref.argmax_set(list(res.scores)), p.n_candidates))


@given(profiles)
def test_veto_winners_fewest_vetoes(p):
    res = sc.rules.anti_plurality(p)
    vetoes = ref.veto_naive(p.ranks, _w(p))
    np.testing.assert_array_equal(res.winner_mask, _mask(ref.argmax_set(list(-vetoes)) if vetoes.any()
                                                         else range(p.n_candidates), p.n_candidates))


@given(profiles)
def test_copeland_maximin_schulze_smith(p):
    M = ref.support_naive(p.ranks, _w(p))
    M = M - M.T
    m = p.n_candidates
    cop = sc.rules.copeland(p)
    np.testing.assert_allclose(cop.scores, ref.copeland_naive(M))
    np.testing.assert_array_equal(cop.winner_mask, _mask(ref.argmax_set(list(ref.copeland_naive(M))), m))
    mm = sc.rules.maximin(p)
    np.testing.assert_array_equal(mm.winner_mask, _mask(ref.argmax_set(list(ref.maximin_naive(M))), m))
    np.testing.assert_array_equal(sc.rules.schulze(p).winner_mask, _mask(ref.schulze_naive(M), m))
    np.testing.assert_array_equal(sc.rules.smith_set(p).winner_mask, _mask(ref.smith_set_naive(M), m))


@given(profiles)
def test_instant_runoff_put(p):
    got = sc.rules.instant_runoff(p, tie="put").winner_mask
    np.testing.assert_array_equal(got, _mask(ref.instant_runoff_put_naive(p.ranks, _w(p)), p.n_candidates))


@given(ratings(weights=st.booleans(), weight_elements=int_weights))
def test_utilitarian_rule_per_cell_missing(r):
    res = sc.rules.utilitarian(r)
    want = ref.utilitarian_rule_naive(r.values, _w(r))
    np.testing.assert_allclose(np.where(np.isnan(want), 0, res.scores if res.scores is not None else 0),
                               np.nan_to_num(want), rtol=1e-12, atol=1e-12)


@given(ratings(weights=st.booleans(), weight_elements=int_weights), st.sampled_from([1.0, 2.0, 3.0]))
def test_approval(r, tau):
    res = sc.rules.approval(r, threshold=tau)
    want = ref.approval_naive(r.values, tau, _w(r))
    np.testing.assert_allclose(res.scores, want, rtol=1e-12, atol=1e-12)


utilities = st.integers(1, 4).flatmap(lambda n: st.integers(1, 4).flatmap(
    lambda m: st.lists(st.lists(st.floats(0.1, 10), min_size=m, max_size=m), min_size=n, max_size=n)))


@pytest.mark.parametrize("kind", ["utilitarian", "nash", "egalitarian"])
@given(U=utilities)
def test_welfare_functions(kind, U):
    U = np.array(U)
    kw = {"log": False} if kind == "nash" else {}  # the package's default is the log form
    got = np.asarray(getattr(sc.welfare, kind)(U, **kw).values)
    np.testing.assert_allclose(got, ref.welfare_naive(U, kind), rtol=1e-10)


@pytest.mark.parametrize("p_exp", [-2.0, 0.5, 2.0])
@given(U=utilities)
def test_power_mean(p_exp, U):
    U = np.array(U)
    got = np.asarray(sc.welfare.power_mean(U, p=p_exp).values)
    np.testing.assert_allclose(got, ref.welfare_naive(U, "power_mean", p=p_exp), rtol=1e-10)


def _prob(xs):
    a = np.array(xs, float) + 1e-3
    return a / a.sum()


probs = st.integers(2, 6).flatmap(lambda k: st.tuples(
    st.lists(st.floats(0, 1), min_size=k, max_size=k), st.lists(st.floats(0, 1), min_size=k, max_size=k)))


@pytest.mark.parametrize("kind,func", [("kl", "kl"), ("jensen_shannon", "jensen_shannon"),
                                       ("total_variation", "total_variation"),
                                       ("hellinger", "hellinger"),
                                       ("wasserstein_ordinal", "wasserstein_ordinal")])
@given(pq=probs)
def test_divergences(kind, func, pq):
    p, q = _prob(pq[0]), _prob(pq[1])
    base = 2 if kind == "jensen_shannon" else None  # the package reports JS in bits
    got = float(np.asarray(getattr(sc.divergence, func)(p, q)))
    np.testing.assert_allclose(got, ref.divergence_naive(p, q, kind, base=base), rtol=1e-9, atol=1e-12)


def test_references_catch_a_wrong_answer():
    # the references are not vacuous: a Condorcet cycle has all three in the Smith set, and a
    # profile with a majority winner has a one-element Smith set
    cyc = np.array([[0, 1, 2], [2, 0, 1], [1, 2, 0]])
    M = ref.support_naive(cyc)
    assert ref.smith_set_naive(M - M.T) == [0, 1, 2]
    maj = np.array([[0, 1, 2], [0, 2, 1], [2, 0, 1]])
    M = ref.support_naive(maj)
    assert ref.smith_set_naive(M - M.T) == [0]
    assert ref.instant_runoff_put_naive(maj) == [0]


score_rows = st.lists(
    st.lists(st.one_of(st.sampled_from([0.0, 1.0, -1.0, 1e-300, np.nan, np.inf, -np.inf]),
                       st.floats(-1e6, 1e6, allow_nan=False)), min_size=4, max_size=4),
    min_size=1, max_size=6)


@given(score_rows, st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=6,
                            max_size=6), st.booleans())
def test_tied_argmax_kernel(rows, act_rows, exact):
    """rules._common.score_winners (one Numba pass per row) against the naive argmax set:
    NaN never wins unless every active score is NaN, inactive candidates never win."""
    from socialchoice.rules._common import score_winners

    S = np.array(rows)
    A = np.array(act_rows[:len(rows)])
    got = score_winners(S, A, exact=exact)
    for s, a, g in zip(S, A, got):
        idx = np.flatnonzero(a)
        vals = s[idx]
        usable = ~np.isnan(vals)
        if not usable.any():
            want = idx
        else:
            sub = np.where(usable, vals, -np.inf)
            fin = np.abs(sub[np.isfinite(sub)])
            tol = 0.0 if exact else 1e-9 * (fin.max() if fin.size else 0.0)
            best = sub.max()
            want = idx[sub >= best - tol] if best > -np.inf else idx
        np.testing.assert_array_equal(np.flatnonzero(g), want, err_msg=f"{s} {a}")
