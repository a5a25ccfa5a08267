"""Stability under rater resampling, composition sweeps, dissent; vTaiwan opinion groups."""

import os

import numpy as np
import pytest

from socialchoice import jury
from socialchoice.errors import ValidationError

RNG = np.random.default_rng(5)
# group a prefers alternative 0, group b alternative 1
R = np.vstack([RNG.normal([1.0, 0.0, 0.2], 0.3, (20, 3)), RNG.normal([0.0, 1.0, 0.2], 0.3, (20, 3))])
G = np.repeat(["a", "b"], 20)


def test_stability_seeded_and_matches_naive_resampling():
    r1 = jury.stability(R, G, {"a": 3, "b": 2}, aggregate="utilitarian", n_juries=30,
                        n_resamples=40, seed=1)
    r2 = jury.stability(R, G, {"a": 3, "b": 2}, aggregate="utilitarian", n_juries=30,
                        n_resamples=40, rng=1)
    np.testing.assert_array_equal(r1.distribution, r2.distribution)
    assert r1.distribution.shape == (40, 3)
    assert np.all(r1.low <= r1.high) and 0 <= float(r1.winner_stability) <= 1
    # naive reference: same generator stream, a loop over replicate pools
    gen = np.random.default_rng(1)
    J = jury.sample(G, {"a": 3, "b": 2}, n_juries=30, rng=gen)
    codes = (G == "b").astype(int)
    pools = np.empty((40, 40), dtype=np.int64)
    for h in (0, 1):
        idx = np.flatnonzero(codes == h)
        pools[:, idx] = idx[gen.integers(0, idx.size, size=(40, idx.size))]
    for b in range(0, 40, 13):
        p = jury.verdicts(R, pools[b][J], aggregate="utilitarian").win_probability
        np.testing.assert_allclose(r1.distribution[b], p)


def test_composition_sweep_flips_between_groups():
    s = jury.composition_sweep(R, G, "a", aggregate="utilitarian", size=10, n_juries=100,
                               shares=np.linspace(0, 1, 11), seed=0)
    assert s.modal[0] == 1 and s.modal[-1] == 0
    assert 0.3 <= float(s.flip_share) <= 0.7
    np.testing.assert_array_equal(s.seats, np.arange(11))
    np.testing.assert_allclose(s.win_probability.sum(-1), 1.0)
    with pytest.raises(ValidationError):
        jury.composition_sweep(R, G, "c", aggregate="utilitarian", size=4)


def test_dissent_against_naive_loop():
    J = jury.sample(G, {"a": 2, "b": 2}, n_juries=25, seed=3)
    v = jury.verdicts(R, J, aggregate="borda")
    d = jury.dissent(R, J, G, v)
    num = {"a": 0.0, "b": 0.0}
    den = {"a": 0, "b": 0}
    for j, row in enumerate(J):
        win = np.flatnonzero(v.verdicts[j])
        for r in row:
            top = np.flatnonzero(R[r] == R[r].max())
            num[G[r]] += 1 - len(set(win) & set(top)) / len(win)
            den[G[r]] += 1
    np.testing.assert_allclose(d.dissent, [num["a"] / den["a"], num["b"] / den["b"]])


def test_vtaiwan_groups_dissent_and_sweep(shared_data):
    import pandas as pd

    df = pd.read_csv(os.path.join(shared_data, "polis", "vtaiwan.uberx", "participants-votes.csv"))
    df = df[df["group-id"].notna()]
    cols = [c for c in df.columns if c.isdigit()]
    V = df[cols].to_numpy(float)
    g = df["group-id"].to_numpy()
    top = np.argsort(-np.isfinite(V).sum(0))[:8]
    L = V[:, top].T                                   # statements x participants (labels)
    J = jury.sample(g, {k: 8 for k in np.unique(g)}, n_juries=200, seed=0)
    v = jury.verdicts(L, J, aggregate="mean", threshold=0.0)
    d = jury.dissent(L, J, g, v)
    assert d.dissent.shape == (len(np.unique(g)), 8)
    assert np.all(np.isfinite(d.dissent)) and np.all(d.dissent <= 2)
    s = jury.composition_sweep(L, g, np.unique(g)[0], aggregate="mean", size=10, n_juries=100,
                               threshold=0.0, seed=1)
    assert s.win_probability.shape == (11, 8)
