"""Small kernels behind the rules and the jury path, each against a naive reference."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from socialchoice._config import TIE_RTOL
from socialchoice._kernels import pairwise as kp
from socialchoice._kernels._choice import top_level_sets
from socialchoice.welfare._results import finish

SPECIAL = st.sampled_from([0.0, 1.0, 1.0 + 1e-12, 1.0 + 6e-10, 1.0 + 1.2e-9, 2.0, -1.0, 3.0,
                           1e300, -1e300, np.nan, np.inf, -np.inf])
VALUES = st.one_of(SPECIAL, st.floats(-1e6, 1e6))


@settings(max_examples=300, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 7)), elements=VALUES))
def test_top_level_sets_equals_the_welfare_ranking(v):
    """Level 0 of ``welfare._results.finish`` (sorting, chained relative tolerance, NaN and
    -inf last, equal infinities tied) in one pass per row."""
    want = finish(v, np.ones(v.shape[0]), "x").levels == 0
    got = top_level_sets(np.ascontiguousarray(v), TIE_RTOL, np.empty(v.shape, np.bool_))
    np.testing.assert_array_equal(got, want)


def _support_stacks():
    return arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)).map(
        lambda t: (t[0], t[1], t[1])), elements=st.one_of(
            st.sampled_from([0.0, 1.0, 2.5, -1.0, np.nan, np.inf]), st.floats(0, 100)))


@settings(max_examples=200, deadline=None)
@given(_support_stacks())
def test_support_summary_equals_numpy(s):
    finite, negative, diagonal, sym = kp.support_summary(s)
    assert finite == bool(np.isfinite(s).all())
    if finite:
        assert negative == bool((s < 0).any())
        assert diagonal == bool((np.diagonal(s, axis1=-2, axis2=-1) != 0).any())
        off = s + np.swapaxes(s, -1, -2)
        off[:, np.arange(s.shape[1]), np.arange(s.shape[1])] = 0.0
        np.testing.assert_array_equal(sym, np.maximum(off.max(axis=(-1, -2)), 0.0))


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(0, 20),
              elements=st.sampled_from([0.0, 1.0, -3.0, 0.5, 1e17, 2.0 ** -30, 7.0])))
def test_all_integral(a):
    assert kp.all_integral(a) == bool(np.all(a == np.round(a)))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2 ** 32 - 1))
def test_maximin_margin_scores_equals_numpy(m, B, seed):
    rng = np.random.default_rng(seed)
    S = rng.integers(0, 5, (B, m, m)).astype(float)
    mg = S - np.swapaxes(S, -1, -2)
    act = rng.random((B, m)) < 0.7
    pair = act[:, :, None] & act[:, None, :] & ~np.eye(m, dtype=bool)
    want = np.where(pair, mg, np.inf).min(-1)
    want = np.where(np.isinf(want), 0.0, want)
    want = np.where(act, want, np.nan)
    got = kp.maximin_margin_scores(mg, act, np.empty((B, m)))
    np.testing.assert_array_equal(got, want)
