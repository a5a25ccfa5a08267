"""Hand-checked examples B1-B5 and counterexamples E4-E8 (docs/welfare-bargaining.md §9-§10)."""

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.bargaining import DegenerateBargainingError, InfeasibleBargainingError

B = sc.bargaining
METHODS = ["fast", "cvxpy"]
close = np.testing.assert_allclose
#: the interior-point oracle fixes the welfare to ~1e-10 but the point only to ~sqrt of that
TOL = {"fast": 1e-7, "cvxpy": 1e-4}


@pytest.mark.parametrize("method", METHODS)
def test_B1(method):
    U = np.array([[3, 0, 1], [0, 2, 1.2]])
    r = B.nash(U)
    assert r.alternative == 2 and r.ties.tolist() == [False, False, True]
    assert r.welfare == pytest.approx(0.5 * np.log(1.2)) and r.gap == 0
    r = B.nash(U, over="lottery", method=method)
    close(r.lottery, [0.5, 0.5, 0], atol=TOL[method])
    close(r.utilities, [1.5, 1.0], atol=TOL[method])
    assert np.exp(2 * r.welfare) == pytest.approx(1.5, rel=1e-7)
    assert r.gap <= TOL[method] and r.alternative is None
    r = B.egalitarian(U, over="lottery", method=method)
    close(r.lottery, [0.4, 0.6, 0], atol=TOL[method])
    close(r.utilities, [1.2, 1.2], atol=TOL[method])
    r = B.kalai_smorodinsky(U, over="lottery", method=method)
    close(r.ideal, [3, 2], atol=TOL[method])
    close(r.lottery, [0.5, 0.5, 0], atol=TOL[method])
    assert B.utilitarian(U).alternative == 0
    assert B.utilitarian(U, over="lottery").lottery.tolist() == [1, 0, 0]
    r = B.nash(U, weights=[2, 1], over="lottery", method=method)
    close(r.lottery, [2 / 3, 1 / 3, 0], atol=TOL[method])
    close(r.utilities, [2, 2 / 3], atol=TOL[method])


def test_B1_kkt_certificate():
    from socialchoice.bargaining._solve import nash_certificate

    X = np.array([[[3, 0, 1], [0, 2, 1.2]]])
    p = np.array([[0.5, 0.5, 0]])
    # D = (2, 2, 28/15), W = 2 -> gap 0; with normalised weights D/2 - 1
    assert nash_certificate(X, np.array([[0.5, 0.5]]), p)[0] == pytest.approx(0, abs=1e-15)
    p2 = np.array([[0.4, 0.6, 0]])
    assert nash_certificate(X, np.array([[0.5, 0.5]]), p2)[0] > 0.01


@pytest.mark.parametrize("method", METHODS)
def test_B2(method):
    U = np.array([[0, 7, 3], [5, 1, 8]])
    assert B.nash(U, disagreement=1).alternative == 2
    r = B.nash(U, disagreement=1, over="lottery", method=method)
    close(r.lottery, [0, 0.25, 0.75], atol=TOL[method])
    close(r.utilities, [4, 25 / 4], atol=TOL[method])
    close(r.gains, [3, 21 / 4], atol=TOL[method])
    r = B.egalitarian(U, disagreement=1, over="lottery", method=method)
    close(r.lottery, [0, 5 / 11, 6 / 11], atol=TOL[method])
    close(r.utilities, [53 / 11, 53 / 11], atol=TOL[method])
    r = B.kalai_smorodinsky(U, disagreement=1, over="lottery", method=method)
    close(r.ideal, [7, 8], atol=TOL[method])
    close(r.lottery, [0, 2 / 5, 3 / 5], atol=TOL[method])
    close(r.utilities, [23 / 5, 26 / 5], atol=TOL[method])
    assert B.utilitarian(U, disagreement=1).alternative == 2


@pytest.mark.parametrize("method", METHODS)
def test_B3_leximin_refines_egalitarian(method):
    U = np.array([[1, 1, 0], [3, 0, 2], [0, 3, 2]])
    for f in (B.leximin, B.egalitarian):
        r = f(U, over="lottery", method=method)
        close(r.lottery, [0.5, 0.5, 0], atol=TOL[method])
        close(r.utilities, [1, 1.5, 1.5], atol=TOL[method])
        assert r.welfare == pytest.approx(1.0, abs=1e-7)
    r = B.nash(U, over="lottery", method=method)
    close(r.utilities, [1, 1.5, 1.5], atol=TOL[method])


@pytest.mark.parametrize("method", METHODS)
def test_B4_degenerate(method):
    U = np.array([[1, 0], [0, 1]])
    with pytest.raises(DegenerateBargainingError, match="restrict"):
        B.nash(U)
    r = B.nash(U, degenerate="restrict")
    assert r.alternative == 0 and r.degenerate is not None
    r = B.nash(U, over="lottery", method=method)
    close(r.lottery, [0.5, 0.5], atol=TOL[method])
    assert r.degenerate is None
    V = np.array([[1, -1], [-1, 1]])
    with pytest.raises(DegenerateBargainingError):
        B.nash(V, over="lottery", method=method)
    r = B.nash(V, over="lottery", method=method, degenerate="restrict")
    close(r.lottery, [0.5, 0.5], atol=TOL[method])
    assert r.degenerate == "no_gains"


@pytest.mark.parametrize("method", METHODS)
def test_B5_ideal_needs_lp(method):
    U = np.array([[5, 0], [-1, 1]])
    close(B.ideal_point(U, over="lottery", method=method), [2.5, 1], atol=TOL[method])
    r = B.kalai_smorodinsky(U, over="lottery", method=method)
    close(r.lottery, [0.25, 0.75], atol=TOL[method])
    close(r.utilities, [1.25, 0.5], atol=TOL[method])
    assert r.welfare == pytest.approx(0.5, abs=1e-7)
    r = B.egalitarian(U, over="lottery", method=method)
    close(r.lottery, [1 / 7, 6 / 7], atol=TOL[method])
    close(r.utilities, [5 / 7, 5 / 7], atol=TOL[method])
    close(B.proportional(U, [2.5, 1], over="lottery", method=method).lottery, [0.25, 0.75], atol=TOL[method])


@pytest.mark.parametrize("method", METHODS)
def test_E4_nash_fails_individual_monotonicity(method):
    S = np.array([[1, 0.75, 0], [0, 0.75, 1]])
    T = np.array([[1, 1, 0], [0, 0.7, 1]])
    close(B.nash(S, over="lottery", method=method).utilities, [0.75, 0.75], atol=TOL[method])
    close(B.nash(T, over="lottery", method=method).utilities, [1, 0.7], atol=TOL[method])
    close(B.kalai_smorodinsky(T, over="lottery", method=method).utilities, [10 / 13, 10 / 13], atol=TOL[method])


@pytest.mark.parametrize("method", METHODS)
def test_E5_ks_fails_iia(method):
    S = np.array([[1, 0], [0, 1]])
    T = np.array([[0.5, 0], [0.5, 1]])
    close(B.kalai_smorodinsky(S, over="lottery", method=method).utilities, [0.5, 0.5], atol=TOL[method])
    close(B.kalai_smorodinsky(T, over="lottery", method=method).utilities, [1 / 3, 2 / 3], atol=TOL[method])
    close(B.nash(T, over="lottery", method=method).utilities, [0.5, 0.5], atol=TOL[method])


def test_E6_egalitarian_tie_break_pareto():
    U = np.array([[1, 1], [1, 2]])
    assert B.egalitarian(U, over="lottery").lottery.tolist() == [0, 1]
    assert B.egalitarian(U).alternative == 1


def test_E7_E8_scale():
    r = B.egalitarian(np.array([[2, 0], [0, 1]]), over="lottery")
    close(r.utilities, [2 / 3, 2 / 3], atol=1e-9)
    r = B.egalitarian(np.array([[1, 0], [0, 1]]), over="lottery")
    close(r.utilities, [0.5, 0.5], atol=1e-9)
    assert B.utilitarian(np.array([[2, 0], [0, 1]]), over="lottery").alternative == 0
    assert B.utilitarian(np.array([[0.5, 0], [0, 1]]), over="lottery").alternative == 1


def test_egalitarian_utilitarian_tie_break():
    U = np.array([[1, 1, 0], [3, 0, 2], [0, 3, 2]])
    r = B.egalitarian(U, over="lottery", tie_break="utilitarian", weights=[1, 2, 1])
    # among max-min lotteries p = (s, 1-s, 0), s in [1/3, 2/3]: weights favour agent 2 -> s = 2/3
    close(r.lottery, [2 / 3, 1 / 3, 0], atol=1e-6)


def test_degenerate_table():
    # one agent: its best alternative, lowest index among ties
    for f in (B.nash, B.kalai_smorodinsky, B.egalitarian, B.leximin, B.utilitarian):
        for over in ("alternatives", "lottery"):
            assert f([[1, 3, 3, 2]], over=over).alternative == 1
    # one alternative in S_d
    for over in ("alternatives", "lottery"):
        r = B.nash([[2], [3]], over=over)
        assert r.alternative == 0 and r.lottery.tolist() == [1.0]
    # all columns identical: alternative 0, every alternative tied
    r = B.nash(np.ones((3, 4)) * [[1], [2], [3]])
    assert r.alternative == 0 and r.ties.all()
    assert B.leximin(np.ones((3, 4)), over="lottery", disagreement=0).lottery.tolist() == [1, 0, 0, 0]
    # all rows constant with d attained: no_gains, alternative 0
    r = B.egalitarian(np.ones((2, 3)), disagreement=1.0)
    assert r.alternative == 0 and r.degenerate == "no_gains"
    r = B.egalitarian(np.ones((2, 3)), disagreement=1.0, over="lottery")
    assert r.lottery.tolist() == [1, 0, 0] and r.degenerate == "no_gains"
    # an agent without possible gain is reported and left out of the ratio
    U = np.array([[0, 0, 0], [1, 3, 2]])
    r = B.kalai_smorodinsky(U, over="lottery")
    assert r.degenerate == "agents_without_gain: [0]" and r.alternative == 1
    # empty individually rational set
    with pytest.raises(InfeasibleBargainingError, match="disagreement"):
        B.nash([[1, 0], [0, 1]], disagreement=2)
    with pytest.raises(InfeasibleBargainingError):
        B.egalitarian([[1, 0], [0, 1]], disagreement=0.6, over="lottery")
