"""Frontiers of the lottery set (docs/tradeoff-jury.md §A4): hand-worked fronts, Pareto optimality
by an independent scipy LP, adaptive refinement, orientation, scale and bad inputs."""

from __future__ import annotations

import time

import numpy as np
import pytest

from socialchoice.errors import ValidationError
from socialchoice.tradeoff import frontier

from _lp_oracles import _pareto_slack, _weak_slack

A, B, C = np.array([1.0, 0.0]), np.array([0.6, 0.6]), np.array([0.0, 1.0])


def _dist_to_segments(x, segs):
    best = np.inf
    for a, b in segs:
        t = np.clip(np.dot(x - a, b - a) / np.dot(b - a, b - a), 0, 1)
        best = min(best, np.linalg.norm(a + t * (b - a) - x))
    return best


@pytest.mark.parametrize("method", ["tchebycheff", "epsilon"])
def test_hand_worked_front_is_the_segments_between_nondominated_responses(method):
    R = np.array([A, B, C])
    f = frontier(R, n_points=40, method=method)
    segs = [(A, B), (B, C)]
    assert all(_dist_to_segments(x, segs) < 1e-9 for x in f.points)
    # the whole front is covered: endpoints reached, no big hole between consecutive points
    np.testing.assert_allclose(f.points[0], C, atol=1e-9)
    np.testing.assert_allclose(f.points[-1], A, atol=1e-9)
    steps = np.linalg.norm(np.diff(f.points, axis=0), axis=1)
    assert steps.max() < 0.1
    np.testing.assert_allclose(f.lotteries @ R, f.points, atol=1e-12)
    assert np.all(np.diff(f.points[:, 0]) > 0)  # lexicographic order, distinct points


def test_hand_worked_weighted_sum_front_is_the_supported_vertices():
    R = np.array([A, B, C, [0.3, 0.3]])
    f = frontier(R, method="weighted_sum")
    np.testing.assert_array_equal(f.points, [C, B, A])
    np.testing.assert_array_equal(f.lotteries, [[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]])
    # B below the segment A-C is not supported
    f = frontier(np.array([A, [0.4, 0.4], C]), method="weighted_sum")
    np.testing.assert_array_equal(f.points, [C, A])


def test_a_response_dominated_by_a_lottery_is_not_on_the_front():
    E = np.array([0.4, 0.4])  # not dominated by A or C, but by (A + C) / 2
    R = np.array([A, E, C])
    for method in ("tchebycheff", "epsilon"):
        f = frontier(R, n_points=30, method=method)
        assert all(_dist_to_segments(x, [(A, C)]) < 1e-9 for x in f.points)
        assert f.lotteries[:, 1].max() < 1e-9


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("d", [2, 3, 4])
def test_front_points_are_pareto_optimal(seed, d):
    R = np.random.default_rng(seed).uniform(size=(12, d))
    for method in ("tchebycheff", "weighted_sum"):
        f = frontier(R, n_points=40, method=method)
        assert f.n_solved <= 40 and f.points.shape[0] >= 1
        for a in f.points:
            assert _pareto_slack(R, a) < 1e-7
    f = frontier(R, n_points=40, method="epsilon")
    for a in f.points:
        assert _weak_slack(R, a) < 1e-9


def test_weighted_sum_finds_every_supported_vertex_in_two_objectives():
    # points on a concave arc: every one is a supported vertex
    th = np.linspace(0, np.pi / 2, 25)
    R = np.c_[np.cos(th), np.sin(th)]
    f = frontier(R, n_points=100, method="weighted_sum")
    assert f.points.shape[0] == 25


def test_adaptive_refinement_fills_gaps_better_than_the_uniform_grid():
    # a front with a long flat piece and a sharp knee: uniform weights crowd at the knee
    R = np.array([[1.0, 0.0], [0.98, 0.9], [0.0, 1.0]])
    ad = frontier(R, n_points=30, adaptive=True)
    un = frontier(R, n_points=30, adaptive=False, rng=0)
    gap = lambda f: np.linalg.norm(np.diff(f.points, axis=0), axis=1).max()
    assert gap(ad) < gap(un)
    assert ad.n_solved == 30 and un.n_solved == 30


def test_nonadaptive_fill_is_reproducible():
    R = np.random.default_rng(2).uniform(size=(10, 3))
    a = frontier(R, n_points=25, adaptive=False, rng=5)
    b = frontier(R, n_points=25, adaptive=False, rng=5)
    np.testing.assert_array_equal(a.points, b.points)


def test_orientation_and_scale():
    R = np.random.default_rng(4).uniform(size=(9, 3))
    f = frontier(R, n_points=30)
    g = frontier(-R, n_points=30, maximise=False)
    np.testing.assert_allclose(np.sort(g.points, axis=0), np.sort(-f.points, axis=0), atol=1e-12)
    for c in (1e-6, 3.7, 1e6):
        h = frontier(R * c, n_points=30)
        np.testing.assert_allclose(h.points, f.points * c, rtol=1e-9)
    e = frontier(R, n_points=30, method="epsilon", maximise=[True, False, True])
    assert np.isnan(e.weights[:, 0]).all() and e.weights.shape[1] == 3


def test_twenty_by_four_frontier_in_under_a_second():
    R = np.random.default_rng(0).uniform(size=(20, 4))
    frontier(R, n_points=100)  # compile / warm up
    t = time.perf_counter()
    f = frontier(R, n_points=100)
    elapsed = time.perf_counter() - t
    assert f.n_solved == 100
    assert elapsed < 1.0


def test_progress_callable():
    seen = []
    frontier(np.array([A, B, C]), n_points=10, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][1] == 10 and seen[-1][0] <= 10


@pytest.mark.parametrize("kw, match", [
    (dict(R=np.ones((2, 3, 2))), "one item"),
    (dict(R=np.ones((3, 1))), "d = 1"),
    (dict(R=np.ones((3, 2)), n_points=1), "n_points"),
    (dict(R=np.ones((3, 2)), n_points=2.5), "n_points"),
    (dict(R=np.ones((3, 2)), method="nbi"), "method"),
    (dict(R=np.ones((3, 2)), adaptive="yes"), "adaptive"),
    (dict(R=[[np.inf, 0.0]]), "`R`"),
])
def test_bad_inputs(kw, match):
    R = kw.pop("R")
    with pytest.raises(ValidationError, match=match):
        frontier(R, **kw)
