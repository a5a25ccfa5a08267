"""Batched Numba solvers against the cvxpy path on random problems (docs/welfare-bargaining.md §8).

Problems: 1..10 agents, 1..20 alternatives, continuous, small-integer (ties, degenerate LPs),
duplicate and near-duplicate columns, heterogeneous scales, dominating alternatives, and
disagreement points at or near the boundary (see ``_gen.py``). All problems of a solution are
padded into one batch and solved by one fast call; cvxpy solves each problem separately
with a DPP problem cached per shape. The default run uses a subset; ``-m slow`` runs 1,000.
"""

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import socialchoice as sc

sys.path.insert(0, str(Path(__file__).parent))
from _gen import pad, random_problems

B = sc.bargaining
DEFAULT = 120
FULL = 1000


class _Sliced:
    """A single-item result restricted to the first n agents and m alternatives."""

    def __init__(self, res, n, m):
        self.welfare, self.degenerate = res.welfare, res.degenerate
        self.utilities, self.gains = np.asarray(res.utilities)[:n], np.asarray(res.gains)[:n]
        self.lottery = np.asarray(res.lottery)[:m]


def _compare(solution: str, count: int, seed: int):
    probs = random_problems(count, seed=seed)
    U, D, Wt = pad(probs, 10, 20)
    f = getattr(B, solution)
    kw = {"degenerate": "restrict"} if solution == "nash" else {}
    wkw = {} if solution == "kalai_smorodinsky" else {"weights": Wt}
    adjudicated = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = f(U, disagreement=D, over="lottery", method="fast", **wkw, **kw)
        assert fast.lottery.shape == (count, 20)
        for b, (u, d, kind) in enumerate(probs):
            n, m = u.shape
            # the oracle solves the same (padded) problem as the batch: under the relative
            # tolerance policy a gain is judged against the problem's whole range, and padding
            # with strictly dominated alternatives widens that range
            wb = {} if solution == "kalai_smorodinsky" else {"weights": Wt[b]}
            full = f(U[b], disagreement=D[b], over="lottery", method="cvxpy", **wb, **kw)
            ref = _Sliced(full, n, m)
            scale = max(1.0, np.abs(u - d[:, None]).max())
            wf, wr = fast.welfare[b], ref.welfare
            if np.isfinite(wr):
                assert abs(wf - wr) <= 1e-6 * max(1.0, abs(wr)), (b, wf, wr)
            else:
                assert wf == wr
            # utilities: the interior-point oracle is accurate to ~1e-5 in the point
            tolu = 1e-4 * scale
            if not np.allclose(fast.utilities[b, :n], ref.utilities, rtol=0, atol=tolu):
                # LP family: the oracle relaxes fixed levels by ~1e-9 per round, which on badly
                # scaled problems moves lower leximin levels; the fast point must then be
                # leximin-at-least-as-good (ratios to r) -- an adjudication, counted below
                assert solution != "nash", (b, fast.utilities[b, :n], ref.utilities)
                r = np.ones(n) if solution == "leximin" else (fast.ideal[b, :n] - d)
                keep = r > 0
                cmp = sc.welfare.leximin_compare(fast.gains[b, :n][keep] / r[keep], ref.gains[keep] / r[keep],
                                                 atol=1e-12 * scale)
                assert cmp >= 0, (b, fast.utilities[b, :n], ref.utilities)
                adjudicated += 1
            assert fast.lottery[b, m:].sum() == 0  # padded (dominated) alternatives unused
            if kind == 0 and fast.degenerate[b] is None and ref.degenerate is None:
                # generic continuous problem: unique solution, compare supports
                # (the interior-point oracle leaves up to ~1e-5 on alternatives outside the support)
                pf, pr = fast.lottery[b, :m], ref.lottery
                assert ((pf > 1e-4) == (pr > 1e-4)).all(), (solution, b, pf.tolist(), pr.tolist())
            if solution == "nash" and fast.solver[b] == "numba":
                assert fast.gap[b] <= 1e-8  # docs/welfare-bargaining.md §7 acceptance (weights normalised, W = 1)
            elif solution != "nash" and fast.degenerate[b] is None:
                assert fast.gap[b] <= 1e-7 * max(1.0, abs(wf))
    assert adjudicated <= 0.02 * count


@pytest.mark.parametrize("solution", ["nash", "leximin", "kalai_smorodinsky"])
def test_fast_matches_cvxpy(solution):
    _compare(solution, DEFAULT, seed=11)


@pytest.mark.slow
@pytest.mark.parametrize("solution", ["nash", "leximin", "kalai_smorodinsky"])
def test_fast_matches_cvxpy_full(solution):
    _compare(solution, FULL, seed=12)


def test_auto_matches_fast_and_batch_equals_single(rng):
    U = rng.random((40, 4, 6))
    a = B.nash(U, disagreement="min", over="lottery", method="auto")
    f = B.nash(U, disagreement="min", over="lottery", method="fast")
    np.testing.assert_allclose(a.utilities, f.utilities, atol=1e-9)
    one = B.nash(U[7], disagreement="min", over="lottery", method="fast")
    np.testing.assert_allclose(one.lottery, f.lottery[7], atol=1e-12)
    e = B.egalitarian(U.reshape(5, 8, 4, 6), disagreement="min", over="lottery")
    assert e.lottery.shape == (5, 8, 6) and e.welfare.shape == (5, 8)
    np.testing.assert_allclose(e.lottery.reshape(40, 6),
                               B.egalitarian(U, disagreement="min", over="lottery").lottery)
