"""Jury sampling (quotas, seeding, shortfall), post-stratification and raking (§B2-§B3)."""


import numpy as np
import pandas as pd
import pytest

from socialchoice import jury
from socialchoice.errors import SocialChoiceError, ValidationError

GROUPS = np.array(["a"] * 6 + ["b"] * 4 + ["c"] * 10)


def test_quotas_met_no_repeats_and_seeded():
    comp = {"a": 2, "b": 3, "c": 4}
    J = jury.sample(GROUPS, comp, n_juries=500, seed=7)
    assert J.shape == (500, 9)
    lab = GROUPS[J]
    assert (lab[:, :2] == "a").all() and (lab[:, 2:5] == "b").all() and (lab[:, 5:] == "c").all()
    assert all(len(set(row)) == 9 for row in J.tolist())
    np.testing.assert_array_equal(J, jury.sample(GROUPS, comp, n_juries=500, rng=7))
    assert not np.array_equal(J, jury.sample(GROUPS, comp, n_juries=500, seed=8))


def test_uniform_over_subsets():
    # every 2-subset of the 4 b raters equally likely (chi-square-free check: 6 subsets)
    J = jury.sample(GROUPS, {"b": 2}, n_juries=60000, seed=1)
    keys = np.sort(J, axis=1) @ np.array([100, 1])
    _, cnt = np.unique(keys, return_counts=True)
    assert cnt.size == 6
    assert np.abs(cnt / 10000 - 1).max() < 0.05


def test_shares_largest_remainder_and_dataframe_strata():
    df = pd.DataFrame({"sex": ["f", "m"] * 10, "age": ["y"] * 10 + ["o"] * 10})
    J = jury.sample(df, {("f", "y"): 0.5, ("m", "o"): 0.3, ("f", "o"): 0.2}, size=7,
                    n_juries=20, seed=0)
    assert J.shape == (20, 7)
    tup = np.array([f"{a}{b}" for a, b in zip(df.sex, df.age)])
    assert (tup[J[:, :4]] == "fy").all() and (tup[J[:, 4:6]] == "mo").all() and (tup[J[:, 6]] == "fo").all()
    assert jury.largest_remainder([1, 1, 1], 2).tolist() == [1, 1, 0]  # ties by order


def test_shortfall_modes():
    with pytest.raises(jury.InsufficientRatersError, match="'b'"):
        jury.sample(GROUPS, {"b": 5}, n_juries=3, seed=0)
    assert issubclass(jury.InsufficientRatersError, ValidationError)
    J = jury.sample(GROUPS, {"b": 5}, n_juries=3, seed=0, shortfall="replace")
    assert (GROUPS[J] == "b").all()
    J, W = jury.sample(GROUPS, {"a": 1, "b": 5}, n_juries=3, seed=0, shortfall="reweight",
                       return_weights=True)
    assert (J[:, 1:5] >= 6).all() and (J[:, 5] == -1).all()
    np.testing.assert_allclose(W[:, 1:].sum(axis=1), 5.0)


def test_per_item_availability():
    rng = np.random.default_rng(0)
    avail = rng.random((5, GROUPS.size)) < 0.8
    avail[:, :3] = True
    J = jury.sample(GROUPS, {"a": 2, "c": 2}, n_juries=50, available=avail, seed=2)
    assert J.shape == (5, 50, 4)
    for i in range(5):
        assert avail[i][J[i]].all()


def test_bad_input():
    with pytest.raises(ValidationError):
        jury.sample(GROUPS, {"z": 1}, n_juries=2)
    with pytest.raises(SocialChoiceError):
        jury.sample(GROUPS, {"a": 1.5}, n_juries=2)
    with pytest.raises(ValidationError):
        jury.sample(GROUPS, {"a": 1}, n_juries=0)
    with pytest.raises(ValidationError):
        jury.sample(GROUPS, {"a": 1}, n_juries=2, shortfall="ignore")


def test_ten_thousand_juries_of_1000():
    """The benchmark's size (its speed is timed in benchmarks/bench_jury.py, not here)."""
    groups = np.repeat(np.arange(4), [3000, 3000, 2000, 2000])
    J = jury.sample(groups, {0: 300, 1: 300, 2: 200, 3: 200}, n_juries=10_000, seed=0)
    assert J.shape == (10_000, 1000)
    assert all(len(set(row)) == 1000 for row in J[:50])


def test_rake_worked_example_b3():
    sex = np.repeat(["m", "m", "f", "f"], [30, 20, 10, 40])
    age = np.repeat(["y", "o", "y", "o"], [30, 20, 10, 40])
    r = jury.rake({"sex": sex, "age": age}, {"sex": {"m": 50, "f": 50}, "age": {"y": 45, "o": 55}})
    # §B3 prints "15 sweeps at tol 1e-10": that count is for the *absolute* error
    # max |sum w - T_c| <= 1e-10; the stated criterion (relative, /T_c) is met after 13
    assert r.n_iter == 13 and r.converged
    assert jury.rake({"sex": sex, "age": age}, {"sex": {"m": 50, "f": 50}, "age": {"y": 45, "o": 55}},
                     tol=1e-10 / 55).n_iter in (14, 15)
    cell = np.array([r.weights[sex == s][age[sex == s] == a].sum() for s in "mf" for a in "yo"]).reshape(2, 2)
    np.testing.assert_allclose(cell.round(6), [[32.877856, 17.122144], [12.122144, 37.877856]], atol=1e-12)
    per = [r.weights[(sex == s) & (age == a)][0] for s in "mf" for a in "yo"]
    np.testing.assert_allclose(np.round(per, 6), [1.095929, 0.856107, 1.212214, 0.946946], atol=1e-12)
    assert round(r.n_eff, 6) == 98.7624
    assert r.design_effect == pytest.approx(100 / r.n_eff)
    assert cell[0, 0] * cell[1, 1] / (cell[0, 1] * cell[1, 0]) == pytest.approx(6.0, rel=1e-9)


def test_rake_minimises_kl_against_scipy():
    from scipy.optimize import minimize

    sex = np.repeat([0, 0, 1, 1], [3, 2, 1, 4])
    age = np.repeat([0, 1, 0, 1], [3, 2, 1, 4])
    r = jury.rake({"s": sex, "a": age}, {"s": {0: 5, 1: 5}, "a": {0: 4.5, 1: 5.5}})
    cons = [{"type": "eq", "fun": lambda w, m=m, c=c, t=t: w[m == c].sum() - t}
            for m, tg in ((sex, {0: 5, 1: 5}), (age, {0: 4.5, 1: 5.5})) for c, t in tg.items()]
    opt = minimize(lambda w: np.sum(w * np.log(w) - w + 1), np.ones(10), constraints=cons,
                   bounds=[(1e-9, None)] * 10, method="SLSQP", options={"ftol": 1e-14})
    kl = lambda w: float(np.sum(w * np.log(w) - w + 1))
    for con in cons:
        assert abs(con["fun"](r.weights)) < 1e-9
    assert kl(r.weights) <= kl(opt.x) + 1e-9
    # and no feasible perturbation (null space of the margin constraints) lowers it
    A = np.array([[float(m[i] == c) for i in range(10)] for m in (sex, age) for c in (0, 1)])
    null = np.linalg.svd(A)[2][np.linalg.matrix_rank(A):]
    for d in null:
        for eps in (1e-3, -1e-3):
            assert kl(r.weights + eps * d) >= kl(r.weights)


def test_rake_errors_and_warning():
    m = np.array(["a", "b", "a"])
    with pytest.raises(ValidationError, match="same total"):
        jury.rake({"x": m, "y": m}, {"x": {"a": 2, "b": 1}, "y": {"a": 2, "b": 2}})
    with pytest.raises(ValidationError, match="no units"):
        jury.rake({"x": m}, {"x": {"a": 2, "b": 1, "c": 1}})
    with pytest.warns(jury.ConvergenceWarning):
        jury.rake({"x": m, "y": np.array([0, 0, 1])}, {"x": {"a": 2, "b": 1}, "y": {0: 1, 1: 2}},
                  max_iter=2)


def test_poststratify_reproduces_shares_and_collapse():
    g = np.array(["a"] * 30 + ["b"] * 70)
    r = jury.poststratify(g, {"a": 0.5, "b": 0.5})
    assert r.weights[g == "a"].sum() == pytest.approx(50) and r.weights[g == "b"].sum() == pytest.approx(50)
    assert r.n_eff == pytest.approx(jury.kish_n_eff(r.weights))
    with pytest.raises(ValidationError, match="collapse"):
        jury.poststratify(g, {"a": 0.4, "b": 0.4, "c": 0.2})
    r2 = jury.poststratify(g, {"a": 0.4, "b": 0.4, "c": 0.2}, collapse={"c": "b"})
    assert r2.weights[g == "b"].sum() == pytest.approx(60)
    assert jury.kish_n_eff([1, 1, 2, 4]) == pytest.approx(64 / 22)
