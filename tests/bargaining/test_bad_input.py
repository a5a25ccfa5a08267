"""Bad input and API conventions of socialchoice.bargaining (docs/welfare-bargaining.md §1, §6)."""

import warnings

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.bargaining import BargainingResult, DegenerateBargainingError, InfeasibleBargainingError
from socialchoice.errors import UnknownNameError, ValidationError, WeightsError

B = sc.bargaining
U = np.array([[3.0, 0, 1], [0, 2, 1.2]])
ALL = [B.nash, B.kalai_smorodinsky, B.egalitarian, B.leximin, B.utilitarian]


@pytest.mark.parametrize("f", ALL)
@pytest.mark.parametrize("over", ["alternatives", "lottery"])
def test_inf_rejected(f, over):
    with pytest.raises(ValidationError, match="inf"):
        f(np.array([[1.0, np.inf], [1, 2]]), over=over)


def test_nan_policy_raise_omit_propagate():
    V = np.array([[3.0, 0, 1], [0, 2, 1.2], [np.nan, 1, 1]])
    for f in ALL + [lambda U, **k: B.proportional(U, [1, 1, 1], **k)]:
        with pytest.raises(ValidationError, match=r"agent 2.*nan_policy"):
            f(V, over="lottery")
    r = B.nash(V, over="lottery", nan_policy="omit")
    assert r.n_agents_used == 2 and np.isnan(r.utilities[2])
    np.testing.assert_allclose(r.lottery, [0.5, 0.5, 0], atol=1e-9)
    # the same as leaving the agent out by hand
    np.testing.assert_allclose(r.lottery, B.nash(V[:2], over="lottery").lottery, atol=1e-12)
    with pytest.raises(WeightsError, match="no agent"):
        B.nash(np.full((2, 3), np.nan), nan_policy="omit")
    # a zero-weight agent's missing utility does not matter
    assert B.nash(V, weights=[1, 1, 0], over="lottery").n_agents_used == 2
    # batch: the error names the item; propagate gives NaN for that item only
    batch = np.stack([U, V[:2] * 0 + V[2:3].repeat(2, 0)])
    with pytest.raises(ValidationError, match=r"item \(1,\)"):
        B.egalitarian(batch, over="lottery")
    for f in ALL:
        for over in ("alternatives", "lottery"):
            rp = f(batch, over=over, nan_policy="propagate")
            assert np.isnan(rp.lottery[1]).all() and np.isnan(rp.welfare[1]) and rp.status[1] == "missing"
            assert rp.alternative[1] == -1 and not rp.ties[1].any()
            one = f(U, over=over)
            np.testing.assert_allclose(rp.lottery[0], one.lottery, atol=1e-12)
            assert rp.welfare[0] == pytest.approx(one.welfare, rel=1e-12, abs=1e-300)
    ip = B.ideal_point(batch, nan_policy="propagate")
    assert np.isnan(ip[1]).all() and np.isfinite(ip[0]).all()
    with pytest.raises(ValidationError, match="nan_policy"):
        B.nash(V, nan_policy="drop")


def test_disagreement_above_everything():
    for over in ("alternatives", "lottery"):
        for f in (B.nash, B.kalai_smorodinsky, B.egalitarian, B.leximin):
            with pytest.raises(InfeasibleBargainingError, match="disagreement"):
                f(U, disagreement=10.0, over=over)


def test_weights():
    with pytest.raises(WeightsError, match="negative"):
        B.nash(U, weights=[1, -1])
    with pytest.raises(WeightsError, match="no agent"):
        B.nash(U, weights=[0, 0])
    with pytest.raises(WeightsError):
        B.nash(U, weights=[1, np.nan])
    # a zero weight removes the agent: the other agent's best alternative
    r = B.nash(U, weights=[1, 0], over="lottery")
    assert r.alternative == 0 and r.n_agents_used == 1


def test_single_agent_and_single_alternative():
    for f in ALL:
        assert f([[1.0, 5.0, 2.0]], over="lottery").alternative == 1
        assert f([[1.0], [2.0]], over="lottery").lottery.tolist() == [1.0]
    with pytest.raises(InfeasibleBargainingError):
        B.nash([[1.0], [2.0]], disagreement=1.5)


def test_options_validated():
    with pytest.raises(ValidationError, match="over"):
        B.nash(U, over="lotteries!")
    with pytest.raises(ValidationError, match="method"):
        B.nash(U, over="lottery", method="magic")
    with pytest.raises(ValidationError, match="degenerate"):
        B.nash(U, degenerate="ignore")
    with pytest.raises(ValidationError, match="tie_break"):
        B.egalitarian(U, over="lottery", tie_break="random")
    with pytest.raises(ValidationError, match="status-quo"):
        B.nash(U, disagreement=("status_quo", 7))
    with pytest.raises(ValidationError, match="`r`"):
        B.proportional(U, [1, -1])
    with pytest.raises(ValidationError, match="not installed"):
        B.nash(U, over="lottery", method="cvxpy", solver="NO_SUCH_SOLVER")
    with pytest.raises(UnknownNameError):
        B.solve(U, "raiffa")


def test_status_quo_and_data_derived_disagreement():
    r = B.nash(U, disagreement=("status_quo", 2), over="lottery")
    assert (r.gains > 0).all() and r.d.tolist() == [1.0, 1.2]
    r = B.nash(U, disagreement="min", over="lottery", method="fast")
    assert r.d.tolist() == [0.0, 0.0]
    with pytest.warns(UserWarning, match="6.3"):
        B.nash(U, disagreement=-5.0, normalize="zscore")


def test_result_frozen_and_no_mutation(rng):
    V = rng.random((4, 3, 5))
    before = V.copy()
    r = B.nash(V, disagreement="min", over="lottery")
    np.testing.assert_array_equal(V, before)
    assert isinstance(r, BargainingResult) and r.batch_shape == (4,)
    with pytest.raises(ValueError):
        r.lottery[0, 0] = 1.0
    with pytest.raises(Exception):
        r.method = "x"  # type: ignore[misc]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        repr(B.nash(V[0], disagreement="min", over="lottery"))


def test_batch_error_names_the_item():
    V = np.stack([U, U + 5])
    with pytest.raises(InfeasibleBargainingError, match=r"\(0,\)"):
        B.egalitarian(V, disagreement=4.0)
    with pytest.raises(DegenerateBargainingError, match="restrict"):
        B.nash(np.stack([np.eye(2), np.ones((2, 2)) * 2]), over="alternatives")


def test_solver_fallback_chain():
    r = B.nash(U, over="lottery", method="cvxpy", solver=["CLARABEL", "SCS"])
    assert r.solver == "CLARABEL" and r.status == "optimal"
