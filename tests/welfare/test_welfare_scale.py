"""Scale invariance (docs/conventions.md §4) of every bargaining solution and welfare function.

Multiplying the utilities (and a numeric disagreement point) by ``c > 0`` must leave the chosen
alternative / lottery unchanged; welfare values change as the member's ``scale`` metadata says.
The members are taken from the registries, so a new member is tested without editing this file.
"""

import math
import warnings

import numpy as np
import pytest

import socialchoice as sc

CS = [1e-12, 1e-6, 3.7, 1e6, 1e12]
B = sc.bargaining
W = sc.welfare


def _problems():
    rng = np.random.default_rng(7)
    cont = rng.random((6, 3, 5))  # continuous: unique solutions almost surely
    small = np.array([[3.0, 0, 1], [0, 2, 1.2]])  # the example: Nash [.5, .5, 0]
    return cont, small


def _extra(name, n):
    return {"proportional": dict(r=np.linspace(1.0, 2.0, n))}.get(name, {})


@pytest.mark.parametrize("name", B.names())
@pytest.mark.parametrize("over", ["alternatives", "lottery"])
@pytest.mark.parametrize("disagreement", ["min", "numeric"])
def test_bargaining_scale_invariance(name, over, disagreement):
    f = B.get(name)
    assert B.info(name).meta["scale"] == "invariant"
    for U in _problems():
        n = U.shape[-2]
        d = "min" if disagreement == "min" else np.full(n, -0.25)
        ref = f(U, disagreement=d, over=over, **_extra(name, n))
        for c in CS:
            dc = d if isinstance(d, str) else d * c
            r = f(U * c, disagreement=dc, over=over, **_extra(name, n))
            np.testing.assert_allclose(r.lottery, ref.lottery, atol=1e-7, err_msg=f"{name} c={c}")
            np.testing.assert_array_equal(r.alternative, ref.alternative)
            assert (np.asarray(r.status) == "optimal").all()
            np.testing.assert_allclose(r.utilities, ref.utilities * c, rtol=1e-6, atol=1e-7 * c)
            np.testing.assert_allclose(r.d, ref.d * c, rtol=1e-12)
            if name == "nash":
                np.testing.assert_allclose(r.welfare, ref.welfare + math.log(c), rtol=1e-9, atol=1e-8)
                np.testing.assert_allclose(r.gap, ref.gap, atol=1e-9)
            elif name == "kalai_smorodinsky":
                np.testing.assert_allclose(r.welfare, ref.welfare, rtol=1e-7, atol=1e-9)
            else:
                np.testing.assert_allclose(r.welfare, ref.welfare * c, rtol=1e-7, atol=1e-9 * c)
            if ref.ideal is not None:
                np.testing.assert_allclose(r.ideal, ref.ideal * c, rtol=1e-7, atol=1e-9 * c)


def test_the_reported_example_at_1e_minus_9():
    U = np.array([[3.0, 0, 1], [0, 2, 1.2]])
    for c in (1e-9, 1e-12, 1e-300 * 1e10, 1e290):
        np.testing.assert_allclose(B.nash(U * c, over="lottery").lottery, [0.5, 0.5, 0], atol=1e-9)
        np.testing.assert_allclose(B.kalai_smorodinsky(U * c, over="lottery").lottery, [0.5, 0.5, 0], atol=1e-9)
        np.testing.assert_allclose(B.egalitarian(U * c, over="lottery").lottery, [0.4, 0.6, 0], atol=1e-9)
        assert B.nash(U * c).alternative == 2


def test_bargaining_cvxpy_path_is_scale_invariant():
    pytest.importorskip("cvxpy")
    U = np.array([[3.0, 0, 1], [0, 2, 1.2]])
    for c in (1e-9, 1e9):
        for f, expect in ((B.nash, [0.5, 0.5, 0]), (B.egalitarian, [0.4, 0.6, 0])):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = f(U * c, over="lottery", method="cvxpy")
            # conic solvers stop at ~1e-6 in p (a flat optimum); the point is that the unit does not
            # matter: before the scaling, c = 1e-9 gave the pure alternative [0, 0, 1]
            np.testing.assert_allclose(r.lottery, expect, atol=1e-5)


def test_proportional_direction_scale():
    U = np.array([[5.0, 0], [-1, 1]])
    ref = B.proportional(U, [2.5, 1], over="lottery")
    for k in (1e-9, 1e9):
        r = B.proportional(U, [2.5 * k, 1 * k], over="lottery")
        np.testing.assert_allclose(r.lottery, ref.lottery, atol=1e-9)
        assert r.welfare == pytest.approx(ref.welfare / k, rel=1e-9)


_PARAMS = {"power_mean": dict(p=-1.5), "equally_distributed_equivalent": dict(epsilon=0.5),
           "atkinson": dict(epsilon=2.0), "quantile_welfare": dict(q=0.4),
           "owa": dict(omega=[0.4, 0.3, 0.2, 0.1])}


@pytest.mark.parametrize("name", W.names())
@pytest.mark.parametrize("nan_policy", ["propagate", "omit"])
def test_welfare_scale(name, nan_policy):
    rng = np.random.default_rng(3)
    U = rng.random((5, 4, 6)) + 0.05
    if nan_policy == "omit":
        U[0, 1, 2] = U[3, 0, 0] = np.nan
    w = rng.random(4) + 0.1
    f, scale = W.get(name), W.info(name).meta["scale"]
    ref = f(U, weights=w, nan_policy=nan_policy, **_PARAMS.get(name, {}))
    for c in CS:
        r = f(U * c, weights=w, nan_policy=nan_policy, **_PARAMS.get(name, {}))
        np.testing.assert_array_equal(r.ranking, ref.ranking, err_msg=f"{name} c={c}")
        np.testing.assert_array_equal(r.levels, ref.levels)
        if scale == "equivariant":
            np.testing.assert_allclose(r.values, ref.values * c, rtol=1e-10)
        elif scale == "invariant":
            np.testing.assert_allclose(r.values, ref.values, rtol=1e-10, atol=1e-12)
        else:
            assert name == "nash"
            np.testing.assert_allclose(r.values, ref.values + math.log(c), rtol=1e-10, atol=1e-10)
        # weights: multiplying them by any c > 0 changes nothing, bit for bit where exact
        for k in (1e-300, 1e300):
            rw = f(U, weights=w * k, nan_policy=nan_policy, **_PARAMS.get(name, {}))
            np.testing.assert_array_equal(rw.ranking, ref.ranking)
            np.testing.assert_allclose(rw.values, ref.values, rtol=1e-12)


def test_scale_metadata_everywhere():
    for reg in (W, B):
        for name in reg.names():
            assert reg.info(name).meta.get("scale", "missing") in ("invariant", "equivariant", None), name
