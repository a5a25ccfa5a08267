"""Scalarisations over lotteries (docs/tradeoff-jury.md §A4): spec examples, Pareto optimality
checked by an independent scipy LP, cvxpy written from scratch as the oracle, fast == cvxpy,
batch == loop, scale, orientation and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import InfeasibleError, SocialChoiceError, ValidationError, WeightsError
from socialchoice.tradeoff import (InfeasibleTradeoffError, augmented_tchebycheff, epsilon_constraint, tchebycheff,
                                   weighted_sum)

from _lp_oracles import _cvx_oracle, _pareto_slack, _weak_slack

SPEC = np.array([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])


def _rand(seed, shape=(8, 3)):
    return np.random.default_rng(seed).uniform(size=shape)


def _weights(rng, d, k=None, positive=True):
    w = rng.dirichlet(np.ones(d), size=k)
    return np.maximum(w, 0.02) / np.maximum(w, 0.02).sum(axis=-1, keepdims=True) if positive else w


# ---------------------------------------------------------------- spec worked examples


def test_spec_a4_examples():
    r = weighted_sum(SPEC, [0.5, 0.5])
    assert r.lottery.tolist() == [0.0, 1.0, 0.0] and r.value == pytest.approx(0.6, abs=1e-15)
    r = weighted_sum(SPEC, [0.8, 0.2])
    assert r.lottery.tolist() == [1.0, 0.0, 0.0] and r.value == pytest.approx(0.76, abs=1e-15)
    for method in ("fast", "cvxpy"):
        r = tchebycheff(SPEC, [0.5, 0.5], ref=[0, 0], method=method)
        assert r.value == pytest.approx(0.3, abs=1e-9)
        np.testing.assert_allclose(r.achieved, [0.6, 0.6], atol=1e-9)
        np.testing.assert_allclose(r.ref, [0, 0])
        assert abs(r.certificate) < 1e-9


def test_default_ref_is_worst_minus_relative_offset():
    r = tchebycheff(SPEC * 1e6, [0.5, 0.5])
    np.testing.assert_allclose(r.ref, [0.2e6 - 1e-9 * 0.7e6, 0.2e6 - 1e-9 * 0.7e6], rtol=1e-15)
    r = tchebycheff(SPEC, [0.5, 0.5], maximise=[True, False])
    np.testing.assert_allclose(r.ref, [0.2 - 0.7e-9, 0.8 + 0.7e-9], rtol=1e-12)


# ---------------------------------------------------------------- Pareto optimality (independent LP)


@pytest.mark.parametrize("seed", range(6))
def test_solutions_are_pareto_optimal(seed):
    rng = np.random.default_rng(seed)
    R = rng.uniform(size=(7, 3))
    W = _weights(rng, 3, 5)
    for res, strict in ((weighted_sum(R, W), True), (augmented_tchebycheff(R, W), True),
                        (tchebycheff(R, W), False), (weighted_sum(R, W, method="cvxpy"), True),
                        (augmented_tchebycheff(R, W, method="cvxpy"), True)):
        for a in res.achieved:
            if strict:
                assert _pareto_slack(R, a) < 1e-7
            else:
                assert _weak_slack(R, a) < 1e-9
    lo = R.min(axis=0)
    for k0 in range(3):
        fl = lo + rng.uniform(0, 0.5, size=3) * (R.max(axis=0) - lo)
        fl[k0] = np.nan
        try:
            res = epsilon_constraint(R, objective=k0, floors=fl)
        except InfeasibleTradeoffError:
            continue
        assert _weak_slack(R, res.achieved) < 1e-9


def test_the_independent_lp_can_fail():
    # a dominated mixture is flagged by the Pareto LP: the oracle is not vacuous
    R = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    assert _pareto_slack(R, np.array([0.4, 0.4])) > 0.1
    assert _weak_slack(R, np.array([0.4, 0.4])) > 0.05


def test_augmented_breaks_weak_ties_that_plain_tchebycheff_may_not():
    R = np.array([[1.0, 0.5], [1.0, 1.0]])
    r = augmented_tchebycheff(R, [0.5, 0.5])
    np.testing.assert_allclose(r.lottery, [0, 1], atol=1e-12)
    assert _pareto_slack(R, r.achieved) < 1e-12


# ---------------------------------------------------------------- weighted sum closed form


@pytest.mark.parametrize("seed", range(4))
def test_weighted_sum_equals_best_pure_response(seed):
    rng = np.random.default_rng(seed)
    R = rng.normal(size=(5, 9, 4))
    W = _weights(rng, 4, 5)
    res = weighted_sum(R, W)
    best = np.einsum("bmd,bd->bm", R, W).max(axis=1)
    np.testing.assert_allclose(res.value, best, rtol=1e-14)
    assert set(np.unique(res.lottery)) <= {0.0, 1.0}
    # non-binding constraints: the LP (Numba and cvxpy) still finds the best pure response
    floors = R.min(axis=1) - 1.0
    for method in ("fast", "cvxpy"):
        lp = weighted_sum(R, W, floors=floors, method=method)
        np.testing.assert_allclose(lp.value, best, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(lp.lottery, res.lottery, atol=1e-9)


def test_weighted_sum_ties():
    R = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    r = weighted_sum(R, [0.5, 0.5])
    np.testing.assert_array_equal(r.lottery, [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(weighted_sum(R, [0.5, 0.5], resolve="index").lottery, [1, 0, 0])
    np.testing.assert_array_equal(weighted_sum(R, [0.5, 0.5], resolve=[1, 0, 2]).lottery, [0, 1, 0])
    # a tie within 1e-9 of the item's range is a tie, at every scale
    R2 = np.array([[1.0, 0.0], [0.0, 1.0 + 1e-12]])
    for c in (1e-200, 1.0, 1e200):
        np.testing.assert_array_equal(weighted_sum(R2 * c, [0.5, 0.5]).lottery, [0.5, 0.5])
    with pytest.raises(ValidationError, match="resolve"):
        weighted_sum(R, [0.5, 0.5], resolve="first")


# ---------------------------------------------------------------- fast == cvxpy, batch == loop


def _all(R, W, method, **kw):
    fl = kw.pop("floors", None)
    out = [weighted_sum(R, W, method=method, floors=fl, **kw), tchebycheff(R, W, method=method, floors=fl, **kw),
           augmented_tchebycheff(R, W, method=method, floors=fl, **kw)]
    if fl is not None:
        out.append(epsilon_constraint(R, objective=0, floors=fl, method=method, **kw))
    return out


@pytest.mark.parametrize("constrained", [False, True])
def test_fast_equals_cvxpy(constrained):
    rng = np.random.default_rng(7)
    R = rng.uniform(size=(12, 6, 3))
    W = _weights(rng, 3, 12)
    kw = {}
    if constrained:
        lo, hi = R.min(axis=1), R.max(axis=1)
        kw = dict(floors=lo + 0.3 * (hi - lo), max_gap=0.6)
    fast = _all(R, W, "fast", **dict(kw))
    cvx = _all(R, W, "cvxpy", **dict(kw))
    for f, c in zip(fast, cvx):
        assert f.method in ("fast", "exact") and c.method == "cvxpy"
        np.testing.assert_allclose(f.value, c.value, atol=1e-8)
        np.testing.assert_allclose(f.achieved, c.achieved, atol=1e-6)
        assert np.all(np.asarray(c.certificate) < 1e-7)
        if not constrained or f.scalarization != "weighted_sum":
            assert np.all(np.asarray(f.certificate)[~np.isnan(f.certificate)] < 1e-9)


def test_batch_equals_loop_with_broadcasting():
    rng = np.random.default_rng(3)
    R = rng.uniform(size=(2, 3, 5, 3))
    W = _weights(rng, 3, 3)  # broadcasts over the last item axis
    for f in (weighted_sum, tchebycheff, augmented_tchebycheff):
        res = f(R, W, floors={0: 0.1})
        assert res.lottery.shape == (2, 3, 5) and res.achieved.shape == (2, 3, 3) and res.value.shape == (2, 3)
        for i in range(2):
            for j in range(3):
                one = f(R[i, j], W[j], floors={0: 0.1})
                np.testing.assert_allclose(res.lottery[i, j], one.lottery, atol=1e-12)
                assert res.value[i, j] == pytest.approx(one.value, abs=1e-12)
                assert isinstance(one.value, float) and isinstance(one.status, str)
    # one R, many weights: a sweep
    sweep = tchebycheff(R[0, 0], W)
    assert sweep.lottery.shape == (3, 5)


# ---------------------------------------------------------------- constraints vs a cvxpy oracle


@pytest.mark.parametrize("seed", range(4))
def test_constraints_match_a_cvxpy_oracle(seed):
    rng = np.random.default_rng(seed)
    R = rng.uniform(0.1, 1.0, size=(6, 3))
    w = _weights(rng, 3)
    lo, hi = R.min(axis=0), R.max(axis=0)
    z = lo - 0.05
    cases = [dict(floors=lo + 0.4 * (hi - lo)), dict(max_gap=0.15), dict(ratio=0.8),
             dict(floors=lo + 0.2 * (hi - lo), max_gap=0.3, ratio=0.5)]
    for kw in cases:
        st, ws = _cvx_oracle(R, w, kind="ws", **kw)
        if st != "optimal":
            with pytest.raises(InfeasibleTradeoffError):
                weighted_sum(R, w, **kw)
            continue
        a = weighted_sum(R, w, **kw)
        assert a.value == pytest.approx(ws, abs=1e-7)
        _, tv = _cvx_oracle(R, w, kind="tch", z=z, **kw)
        assert tchebycheff(R, w, ref=z, **kw).value == pytest.approx(tv, abs=1e-7)
        _, av = _cvx_oracle(R, w, kind="tch", z=z, rho=0.01, **kw)
        assert augmented_tchebycheff(R, w, ref=z, rho=0.01, **kw).value == pytest.approx(av, abs=1e-7)
        fl = kw.get("floors", np.full(3, np.nan))
        _, ev = _cvx_oracle(R, kind="eps", k0=2, **kw)
        ekw = {k: v for k, v in kw.items() if k != "floors"}
        assert epsilon_constraint(R, objective=2, floors=fl, **ekw).value == pytest.approx(ev, abs=1e-7)
        for res in (a, tchebycheff(R, w, **kw)):
            ach = res.achieved
            if "floors" in kw:
                assert np.all(ach >= kw["floors"] - 1e-9)
            if "max_gap" in kw:
                assert ach.max() - ach.min() <= kw["max_gap"] + 1e-9
            if "ratio" in kw:
                assert ach.min() >= kw["ratio"] * ach.max() - 1e-9


def test_groups_restrict_gap_and_ratio():
    R = np.array([[1.0, 0.0, 5.0], [0.0, 1.0, 0.0]])
    r = weighted_sum(R, [1 / 3] * 3, max_gap=0.0, groups=[0, 1])
    np.testing.assert_allclose(r.achieved, [0.5, 0.5, 2.5], atol=1e-9)
    with pytest.raises(ValidationError, match="groups"):
        weighted_sum(R, [1 / 3] * 3, max_gap=0.0, groups=[0])
    with pytest.raises(ValidationError, match="groups"):
        weighted_sum(R, [1 / 3] * 3, max_gap=0.0, groups=[0, 0])


# ---------------------------------------------------------------- scale, orientation, untouched


@pytest.mark.parametrize("c", [1e-6, 3.7, 1e6])
def test_scale_equivariance(c):
    rng = np.random.default_rng(11)
    R = rng.uniform(size=(4, 7, 3))
    W = _weights(rng, 3, 4)
    fl = R.min(axis=1) + 0.3 * (R.max(axis=1) - R.min(axis=1))
    base = [weighted_sum(R, W), tchebycheff(R, W), augmented_tchebycheff(R, W, floors=fl),
            epsilon_constraint(R, objective=1, floors=fl), weighted_sum(R, W, max_gap=0.3, floors=fl)]
    scaled = [weighted_sum(R * c, W), tchebycheff(R * c, W), augmented_tchebycheff(R * c, W, floors=fl * c),
              epsilon_constraint(R * c, objective=1, floors=fl * c), weighted_sum(R * c, W, max_gap=0.3 * c,
                                                                                    floors=fl * c)]
    for b, s in zip(base, scaled):
        np.testing.assert_allclose(s.lottery, b.lottery, atol=1e-9)
        np.testing.assert_allclose(s.achieved, b.achieved * c, rtol=1e-9)
        np.testing.assert_allclose(s.value, np.asarray(b.value) * c, rtol=1e-8)


def test_minimised_objectives_equal_negated_maximisation():
    rng = np.random.default_rng(5)
    R = rng.uniform(size=(6, 3))
    w = _weights(rng, 3)
    mx = [True, False, True]
    Rn = R * np.array([1, -1, 1])
    fl = {1: 0.6}  # a ceiling on the minimised objective
    a = tchebycheff(R, w, maximise=mx, floors=fl)
    b = tchebycheff(Rn, w, floors={1: -0.6})
    np.testing.assert_allclose(a.lottery, b.lottery, atol=1e-12)
    np.testing.assert_allclose(a.achieved, b.achieved * [1, -1, 1], atol=1e-12)
    assert a.value == pytest.approx(b.value, abs=1e-12)
    assert a.achieved[1] <= 0.6 + 1e-12
    e = epsilon_constraint(R, objective=1, floors={0: 0.3}, maximise=mx)
    assert e.achieved[1] == pytest.approx(min(R[R[:, 0] >= 0.3, 1].min(), e.achieved[1]), abs=1e-9)


def test_caller_arrays_untouched():
    R = _rand(0, (5, 3))
    W = np.array([0.2, 0.3, 0.5])
    fl = np.array([0.1, np.nan, 0.2])
    copies = (R.copy(), W.copy(), fl.copy())
    for f in (weighted_sum, tchebycheff, augmented_tchebycheff):
        f(R, W, floors=fl, maximise=[True, False, True])
    epsilon_constraint(R, objective=0, floors=fl)
    for a, b in zip((R, W, fl), copies):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- errors


def test_infeasible_floors_name_the_floor():
    with pytest.raises(InfeasibleTradeoffError, match=r"floors\[1\]") as ei:
        epsilon_constraint(SPEC, objective=0, floors={1: 0.9})
    assert ei.value.constraint == "floors[1]" and isinstance(ei.value, InfeasibleError)
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, SocialChoiceError)
    # each floor alone is feasible, together they are not
    for method in ("auto", "fast", "cvxpy"):
        with pytest.raises(InfeasibleTradeoffError, match=r"together") as ei:
            weighted_sum(SPEC, [0.5, 0.5], floors=[0.85, 0.75], method=method)
        assert "floors[0]" in str(ei.value) and "floors[1]" in str(ei.value)
    with pytest.raises(InfeasibleTradeoffError, match="item"):
        tchebycheff(np.stack([SPEC, SPEC]), [0.5, 0.5], floors=[[0, 0], [0.95, 0]])
    # a floor exactly at the best response is feasible
    r = epsilon_constraint(SPEC, objective=0, floors={1: 0.8})
    np.testing.assert_allclose(r.achieved, [0.2, 0.8], atol=1e-12)


@pytest.mark.parametrize("call, match, exc", [
    (lambda: weighted_sum(SPEC, [0.5, 0.6]), "sum to 1", WeightsError),
    (lambda: weighted_sum(SPEC, [1.5, -0.5]), "negative", WeightsError),
    (lambda: weighted_sum(SPEC, [1.0]), "weights", WeightsError),
    (lambda: weighted_sum(SPEC, [np.nan, 1.0]), "weights", WeightsError),
    (lambda: weighted_sum([[np.nan, 1.0]], [0.5, 0.5]), "`R`", ValidationError),
    (lambda: weighted_sum([0.5, 0.5], [0.5, 0.5]), "`R`", ValidationError),
    (lambda: weighted_sum(SPEC, [0.5, 0.5], method="simplex"), "method", ValidationError),
    (lambda: tchebycheff(SPEC, [0.5, 0.5], ref=[0.0]), "ref", ValidationError),
    (lambda: tchebycheff(SPEC, [0.5, 0.5], ref=[np.nan, 0]), "ref", ValidationError),
    (lambda: tchebycheff(SPEC, [0.5, 0.5], floors=[np.inf, 0]), "floors", ValidationError),
    (lambda: tchebycheff(SPEC, [0.5, 0.5], floors={5: 0.1}), "floors", ValidationError),
    (lambda: augmented_tchebycheff(SPEC, [0.5, 0.5], rho=-1.0), "rho", ValidationError),
    (lambda: weighted_sum(SPEC, [0.5, 0.5], ratio=1.5), "ratio", ValidationError),
    (lambda: weighted_sum(SPEC, [0.5, 0.5], max_gap=-0.1), "max_gap", ValidationError),
    (lambda: weighted_sum(SPEC, [0.5, 0.5], ratio=0.5, maximise=[True, False]), "ratio", ValidationError),
    (lambda: epsilon_constraint(SPEC, objective=2, floors={0: 0.1}), "objective", ValidationError),
    (lambda: epsilon_constraint(SPEC, objective=0, floors=None), "floors", ValidationError),
    (lambda: weighted_sum(np.ones((3, 4, 2)), np.full((2, 2), 0.5)), "broadcast", ValidationError),
    (lambda: weighted_sum(SPEC, [0.5, 0.5], solver="NOPE", method="cvxpy"), "solver", ValidationError),
])
def test_bad_inputs_raise_package_errors_naming_the_argument(call, match, exc):
    with pytest.raises(exc, match=match):
        call()


def test_result_containers():
    r = tchebycheff(np.stack([SPEC, SPEC]), [[0.5, 0.5], [0.8, 0.2]])
    ds = r.to_xarray()
    assert ds["lottery"].dims == ("item", "response") and ds["achieved"].dims == ("item", "objective")
    df = r.to_pandas()
    assert len(df) == 6
    with pytest.raises(AttributeError):
        r.value = 0  # frozen
    assert sc.tradeoff.info("chebyshev").name == "tchebycheff"


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**31 - 1),
       st.sampled_from([True, False, "mixed"]))
def test_weighted_sum_kernel_path_equals_the_general_path(B, m, d, seed, mx):
    """The one-pass kernel (ndarray input, no constraints) against the general path (the same
    problem given as nested lists): same tied lotteries, achieved vectors and values; ties are
    forced by drawing from a small integer grid."""
    rng = np.random.default_rng(seed)
    R = rng.integers(0, 3, (B, m, d)).astype(float)
    W = rng.dirichlet(np.ones(d), B) if d > 1 else np.ones((B, 1))
    maximise = [bool(k % 2) for k in range(d)] if mx == "mixed" else mx
    fast = sc.tradeoff.weighted_sum(R, W, maximise=maximise)
    slow = sc.tradeoff.weighted_sum(R.tolist(), W.tolist(), maximise=maximise)
    np.testing.assert_allclose(fast.lottery, slow.lottery, atol=1e-12)
    np.testing.assert_allclose(fast.achieved, slow.achieved, atol=1e-12)
    np.testing.assert_allclose(fast.value, slow.value, atol=1e-12)
    assert (fast.status == "optimal").all()
