"""Dominance in sc.tradeoff (docs/tradeoff-jury.md §A2): moocore and a naive O(n^2) loop as
oracles, on small integer grids so that ties and duplicates are frequent."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import SizeLimitError, ValidationError

moocore = pytest.importorskip("moocore")
T = sc.tradeoff


# ---------------------------------------------------------------- naive references (minimise)
def naive_dominates(a, b):
    return bool(np.all(a <= b) and np.any(a < b))


def naive_nondominated(X, keep_weakly):
    n = len(X)
    out = np.ones(n, bool)
    for i in range(n):
        for j in range(n):
            if naive_dominates(X[j], X[i]):
                out[i] = False
            elif not keep_weakly and j < i and np.array_equal(X[i], X[j]):
                out[i] = False
    return out


def naive_rank(X):
    n = len(X)
    rank = np.full(n, -1)
    left = np.ones(n, bool)
    k = 0
    while left.any():
        idx = np.flatnonzero(left)
        front = [i for i in idx if not any(naive_dominates(X[j], X[i]) for j in idx)]
        rank[front] = k
        left[front] = False
        k += 1
    return rank


def naive_eps_add(A, B):  # minimise
    return max(min(max(a - b) for a in A) for b in B)


def oriented(X, mx):
    return np.where(mx, -X, X)


# ---------------------------------------------------------------- strategies
@st.composite
def point_sets(draw, d_min=2, d_max=5, n_max=40, grid=None):
    d = draw(st.integers(d_min, d_max))
    n = draw(st.integers(1, n_max))
    g = grid if grid is not None else draw(st.integers(1, 5))
    vals = draw(st.lists(st.integers(0, g), min_size=n * d, max_size=n * d))
    X = np.array(vals, dtype=float).reshape(n, d)
    mx = np.array(draw(st.lists(st.booleans(), min_size=d, max_size=d)))
    return X, mx


# ---------------------------------------------------------------- spec worked examples (§A3)
def test_spec_examples():
    A = [[1, 3], [2, 2], [3, 1], [3, 3]]
    assert T.is_nondominated(A, maximise=False).tolist() == [True, True, True, False]
    assert T.pareto_rank(A, maximise=False).tolist() == [0, 0, 0, 1]
    M = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8], [0.5, 0.5]]
    assert T.is_nondominated(M).tolist() == [True, True, True, False]
    P3 = [[1, 2, 3], [2, 1, 3], [3, 3, 1], [2, 2, 2]]
    assert T.is_nondominated(P3, maximise=False).all()


# ---------------------------------------------------------------- against moocore
@given(point_sets(), st.booleans())
def test_is_nondominated_matches_moocore(data, keep_weakly):
    X, mx = data
    got = T.is_nondominated(X, maximise=mx, keep_weakly=keep_weakly)
    ref = moocore.is_nondominated(X, maximise=mx, keep_weakly=keep_weakly)
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(got, naive_nondominated(oriented(X, mx), keep_weakly))


@given(point_sets(n_max=200, grid=3), st.booleans())
@settings(max_examples=25)
def test_is_nondominated_large_sets_pass_the_prefilter(data, keep_weakly):
    X, mx = data
    got = T.is_nondominated(X, maximise=mx, keep_weakly=keep_weakly)
    np.testing.assert_array_equal(got, moocore.is_nondominated(X, maximise=mx, keep_weakly=keep_weakly))


@given(point_sets(d_min=1, d_max=5))
def test_pareto_rank_matches_moocore_and_naive(data):
    X, mx = data
    got = T.pareto_rank(X, maximise=mx)
    np.testing.assert_array_equal(got, naive_rank(oriented(X, mx)))
    if X.shape[1] >= 2:
        np.testing.assert_array_equal(got, moocore.pareto_rank(X, maximise=mx))


@given(point_sets(d_min=1, d_max=1))
def test_one_objective(data):
    X, mx = data
    x = oriented(X, mx)[:, 0]
    got = T.is_nondominated(X, maximise=mx)
    assert got.sum() == 1 and x[np.argmax(got)] == x.min() and np.argmax(got) == np.argmin(x)
    np.testing.assert_array_equal(T.is_nondominated(X, maximise=mx, keep_weakly=True), x == x.min())


@given(point_sets(), point_sets())
def test_epsilon_additive_matches_moocore(a, b):
    A, mx = a
    B, _ = b
    d = min(A.shape[1], B.shape[1])
    A, B, mx = A[:, :d], B[:, :d], mx[:d]
    got = T.epsilon_additive(A, B, maximise=mx)
    assert got == pytest.approx(moocore.epsilon_additive(A, B, maximise=mx), abs=0)
    assert got == naive_eps_add(oriented(A, mx), oriented(B, mx))


@given(point_sets(), point_sets())
def test_epsilon_multiplicative_matches_moocore(a, b):
    A, mx = a
    B, _ = b
    d = min(A.shape[1], B.shape[1])
    A, B, mx = A[:, :d] + 1, B[:, :d] + 1, mx[:d]
    got = T.epsilon_multiplicative(A, B, maximise=mx)
    assert got == pytest.approx(moocore.epsilon_mult(A, B, maximise=mx), rel=1e-15)


@given(point_sets(n_max=12))
@settings(max_examples=30)
def test_dominance_matrix_matches_naive(data):
    X, mx = data
    D = T.dominance_matrix(X, maximise=mx)
    Y = oriented(X, mx)
    ref = np.array([[naive_dominates(Y[i], Y[j]) for j in range(len(Y))] for i in range(len(Y))])
    np.testing.assert_array_equal(D, ref)
    np.testing.assert_array_equal(~D.any(axis=0) , T.is_nondominated(X, maximise=mx, keep_weakly=True))


# ---------------------------------------------------------------- batches, orientation
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_batch_equals_loop(d):
    rng = np.random.default_rng(d)
    X = rng.integers(0, 4, (3, 5, 90, d)).astype(float)
    mx = rng.random(d) < 0.5
    for kw in (False, True):
        got = T.is_nondominated(X, maximise=mx, keep_weakly=kw)
        assert got.shape == (3, 5, 90)
        for idx in np.ndindex(3, 5):
            np.testing.assert_array_equal(got[idx], T.is_nondominated(X[idx], maximise=mx, keep_weakly=kw))
    r = T.pareto_rank(X, maximise=mx)
    for idx in np.ndindex(3, 5):
        np.testing.assert_array_equal(r[idx], T.pareto_rank(X[idx], maximise=mx))
    D = T.dominance_matrix(X[:, :, :20], maximise=mx)
    assert D.shape == (3, 5, 20, 20)
    np.testing.assert_array_equal(D[1, 2], T.dominance_matrix(X[1, 2, :20], maximise=mx))
    e = T.epsilon_additive(X, X[0, 0], maximise=mx)  # leading dims broadcast
    assert e.shape == (3, 5)
    assert e[2, 3] == T.epsilon_additive(X[2, 3], X[0, 0], maximise=mx)


def test_continuous_large_sets_match_moocore():
    rng = np.random.default_rng(7)
    for d in (2, 3, 4):
        X = rng.random((20_000, d))
        x = rng.random(5000)
        F = np.stack([x, 1 - x], 1) if d == 2 else rng.dirichlet(np.ones(d), 5000)
        for Y in (X, F):
            np.testing.assert_array_equal(T.is_nondominated(Y, maximise=False), moocore.is_nondominated(Y))
    np.testing.assert_array_equal(T.pareto_rank(X[:3000]), moocore.pareto_rank(X[:3000], maximise=True))


def test_maximise_equals_negated_minimise():
    rng = np.random.default_rng(3)
    X = rng.integers(0, 5, (60, 3)).astype(float)
    np.testing.assert_array_equal(T.is_nondominated(X), T.is_nondominated(-X, maximise=False))
    np.testing.assert_array_equal(T.pareto_rank(X, maximise=[True, False, True]),
                                  T.pareto_rank(X * [-1, 1, -1], maximise=False))


def test_inputs_not_mutated_and_scale_invariant():
    rng = np.random.default_rng(4)
    X = rng.random((50, 3))
    X0 = X.copy()
    X.flags.writeable = False
    a = T.is_nondominated(X, maximise=[True, False, True])
    T.pareto_rank(X, maximise=[True, False, True])
    T.epsilon_additive(X, X)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(a, T.is_nondominated(X * 1e-300, maximise=[True, False, True]))
    np.testing.assert_array_equal(a, T.is_nondominated(X * 1e300, maximise=[True, False, True]))


def test_integer_and_list_inputs():
    assert T.is_nondominated(np.array([[1, 2], [2, 1], [0, 0]], dtype=np.int8)).tolist() == [True, True, False]


# ---------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("R, kwargs, match", [
    ([1.0, 2.0], {}, "at least 2 dimensions"),
    (np.zeros((3, 0)), {}, "d = 0"),
    (np.zeros((0, 2)), {}, "0 points"),
    ([[1.0, np.inf]], {}, "infinite"),
    ([[1.0, -np.inf]], {}, "infinite"),
    (np.array([[True, False]]), {}, "boolean"),
    ([["a", "b"]], {}, "numeric"),
    ([[1.0, 2.0]], {"maximise": [True]}, "one bool per objective"),
    ([[1.0, 2.0]], {"maximise": "yes"}, "maximise"),
    ([[1.0, 2.0]], {"maximise": [True, 2]}, "maximise"),
])
def test_bad_inputs_raise_package_errors(R, kwargs, match):
    for f in (T.is_nondominated, T.pareto_rank, T.dominance_matrix):
        with pytest.raises(ValidationError, match=match if f is not T.dominance_matrix
                           or match != "infinite" else "non-finite"):
            f(R, **kwargs)


def test_nan_rows_are_dropped():
    """§A1: a row holding a NaN is left out: not non-dominated, rank -1, dominates nothing."""
    X = np.array([[1.0, 3.0], [0.0, np.nan], [2.0, 2.0], [np.nan, np.nan], [3.0, 1.0], [3.0, 3.0]])
    X0 = X.copy()
    assert T.is_nondominated(X, maximise=False).tolist() == [True, False, True, False, True, False]
    assert T.pareto_rank(X, maximise=False).tolist() == [0, -1, 0, -1, 0, 1]
    np.testing.assert_array_equal(X, X0)
    assert not T.is_nondominated(np.full((3, 2), np.nan)).any()
    assert (T.pareto_rank(np.full((3, 2), np.nan)) == -1).all()
    with pytest.raises(ValidationError, match="non-finite"):  # no NaN policy for the matrix
        T.dominance_matrix(X)


@given(point_sets(n_max=120), st.data(), st.booleans())
@settings(max_examples=60)
def test_nan_rows_batch_items_with_different_counts(data, more, keep_weakly):
    X, mx = data
    n, d = X.shape
    items = []
    for _ in range(3):
        Y = X[more.draw(st.permutations(range(n)))].copy()
        for i in more.draw(st.lists(st.integers(0, n - 1), max_size=n)):
            Y[i, more.draw(st.integers(0, d - 1))] = np.nan
        items.append(Y)
    B = np.stack(items)
    flags = T.is_nondominated(B, maximise=mx, keep_weakly=keep_weakly)
    ranks = T.pareto_rank(B, maximise=mx)
    for b, Y in enumerate(items):
        keep = ~np.isnan(Y).any(axis=1)
        assert not flags[b][~keep].any() and (ranks[b][~keep] == -1).all()
        Z = Y[keep]
        if len(Z):
            np.testing.assert_array_equal(flags[b][keep], naive_nondominated(oriented(Z, mx), keep_weakly))
            np.testing.assert_array_equal(ranks[b][keep], naive_rank(oriented(Z, mx)))
            np.testing.assert_array_equal(flags[b], T.is_nondominated(Y, maximise=mx, keep_weakly=keep_weakly))


def test_bad_pairs():
    with pytest.raises(ValidationError, match="same objectives"):
        T.epsilon_additive([[1, 2]], [[1, 2, 3]])
    with pytest.raises(ValidationError, match="broadcast"):
        T.epsilon_additive(np.ones((2, 3, 2)), np.ones((3, 3, 2)))
    with pytest.raises(ValidationError, match="positive"):
        T.epsilon_multiplicative([[1, 0]], [[1, 2]])
    with pytest.raises(ValidationError, match="`B`"):
        T.epsilon_additive([[1, 2]], [[np.nan, 2]])


def test_dominance_matrix_size_limit():
    with pytest.raises(SizeLimitError, match="is_nondominated"):
        T.dominance_matrix(np.zeros((T.DOMINANCE_MATRIX_MAX_N + 1, 2)))


def test_registered():
    assert {"is_nondominated", "pareto_rank", "dominance_matrix", "epsilon_additive",
            "epsilon_multiplicative"} <= set(T.names())
    assert T.info("pareto_rank").family == "dominance"
