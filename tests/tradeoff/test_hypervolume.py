"""Hypervolume in sc.tradeoff (docs/tradeoff-jury.md §A3): moocore and inclusion-exclusion as
oracles, the spec's worked examples, and the measure's properties."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ValidationError

moocore = pytest.importorskip("moocore")
T = sc.tradeoff


def naive_hv(X, r):
    """Inclusion-exclusion over the points strictly inside ``r`` (minimise; n <= ~12)."""
    P = [x for x in X if np.all(x < r)]
    total = 0.0
    for k in range(1, len(P) + 1):
        for S in itertools.combinations(P, k):
            corner = np.max(S, axis=0)
            total += (-1) ** (k + 1) * np.prod(r - corner)
    return total


@st.composite
def hv_inputs(draw, d_min=2, d_max=5, n_max=30):
    d = draw(st.integers(d_min, d_max))
    n = draw(st.integers(1, n_max))
    g = draw(st.integers(1, 5))
    X = np.array(draw(st.lists(st.integers(0, g), min_size=n * d, max_size=n * d)), float).reshape(n, d)
    # the reference is sometimes inside the cloud, so some points do not dominate it
    r = np.array(draw(st.lists(st.integers(1, g + 1), min_size=d, max_size=d)), float)
    mx = np.array(draw(st.lists(st.booleans(), min_size=d, max_size=d)))
    return np.where(mx, -X, X), np.where(mx, -r, r), mx  # in the caller's orientation


def test_spec_examples():
    assert T.hypervolume([[1, 3], [2, 2], [3, 1], [3, 3]], [4, 4], maximise=False).value == 6.0
    v = T.hypervolume([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8], [0.5, 0.5]], [0, 0]).value
    assert v == pytest.approx(0.46, rel=1e-14)
    assert T.hypervolume([[1, 2, 3], [2, 1, 3], [3, 3, 1], [2, 2, 2]], [4, 4, 4], maximise=False).value == 13.0


@given(hv_inputs())
def test_hypervolume_matches_moocore(data):
    X, r, mx = data
    got = T.hypervolume(X, r, maximise=mx)
    assert got.value == pytest.approx(moocore.hypervolume(X, ref=r, maximise=mx), rel=1e-12, abs=0)
    assert got.ref_kind == "given" and np.array_equal(got.ref, r)


@given(hv_inputs(n_max=9))
@settings(max_examples=40)
def test_hypervolume_matches_inclusion_exclusion(data):
    X, r, mx = data
    got = T.hypervolume(X, r, maximise=mx).value
    Y, s = np.where(mx, -X, X), np.where(mx, -r, r)
    assert got == pytest.approx(naive_hv(Y, s), rel=1e-12, abs=1e-12)


@given(hv_inputs(), st.booleans())
def test_hv_contributions_match_moocore(data, ignore_dominated):
    X, r, mx = data
    got = T.hv_contributions(X, r, maximise=mx, ignore_dominated=ignore_dominated).contributions
    ref = moocore.hv_contributions(X, ref=r, maximise=mx, ignore_dominated=ignore_dominated)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(ref).max()))


@given(hv_inputs(d_max=4, n_max=20))
@settings(max_examples=40)
def test_contributions_are_the_definition(data):
    X, r, mx = data
    c = T.hv_contributions(X, r, maximise=mx, ignore_dominated=False).contributions
    full = T.hypervolume(X, r, maximise=mx).value
    for i in range(len(X)):
        rest = np.delete(X, i, axis=0)
        v = T.hypervolume(rest, r, maximise=mx).value if len(rest) else 0.0
        assert c[i] == pytest.approx(full - v, rel=1e-9, abs=1e-9 * max(1.0, full))


@given(hv_inputs(), st.data())
@settings(max_examples=40)
def test_monotone_under_adding_points_and_duplicates(data, more):
    X, r, mx = data
    v = T.hypervolume(X, r, maximise=mx).value
    extra = X[more.draw(st.integers(0, len(X) - 1))] + np.where(mx, -1, 1) * more.draw(st.integers(-2, 2))
    bigger = np.vstack([X, extra])
    assert T.hypervolume(bigger, r, maximise=mx).value >= v * (1 - 1e-12)
    dup = np.vstack([X, X[::-1], X[:1]])
    assert T.hypervolume(dup, r, maximise=mx).value == pytest.approx(v, rel=1e-12, abs=0)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5, 6])
def test_one_point_is_its_box(d):
    rng = np.random.default_rng(d)
    x = rng.random(d)
    r = x + rng.random(d) + 0.1
    assert T.hypervolume(x[None], r, maximise=False).value == pytest.approx(np.prod(r - x), rel=1e-14)
    assert T.hypervolume(-x[None], -r).value == pytest.approx(np.prod(r - x), rel=1e-14)


def test_points_not_dominating_ref_contribute_zero():
    assert T.hypervolume([[1, 5], [5, 1], [4, 4]], [4, 4], maximise=False).value == 0.0
    assert T.hypervolume([[1, 3], [4, 0]], [4, 4], maximise=False).value == 3.0


@pytest.mark.parametrize("d, n", [(2, 3000), (3, 3000), (4, 300), (5, 150)])
def test_continuous_sets_match_moocore(d, n):
    rng = np.random.default_rng(d)
    Z = np.abs(rng.standard_normal((n, d)))
    for X in (rng.random((n, d)), 1 - Z / np.linalg.norm(Z, axis=1, keepdims=True)):  # uniform; a front
        r = np.full(d, 1.1)
        assert T.hypervolume(X, r, maximise=False).value == pytest.approx(
            moocore.hypervolume(X, ref=r), rel=1e-12)
    c = T.hv_contributions(X[:100], r, maximise=False).contributions
    np.testing.assert_allclose(c, moocore.hv_contributions(X[:100], ref=r), rtol=1e-9, atol=1e-15)


def test_batch_equals_loop():
    rng = np.random.default_rng(0)
    for d in (2, 3, 4):
        X = rng.integers(0, 5, (4, 3, 70, d)).astype(float)
        r = rng.integers(3, 7, (4, 3, d)).astype(float)
        res = T.hypervolume(X, r, maximise=False)
        assert res.value.shape == (4, 3) and res.ref.shape == (4, 3, d)
        c = T.hv_contributions(X, r, maximise=False).contributions
        for idx in np.ndindex(4, 3):
            assert res.value[idx] == T.hypervolume(X[idx], r[idx], maximise=False).value
            np.testing.assert_array_equal(c[idx], T.hv_contributions(X[idx], r[idx], maximise=False).contributions)
        shared = T.hypervolume(X, r[0, 0], maximise=False)  # one reference for every item
        assert shared.value[2, 1] == T.hypervolume(X[2, 1], r[0, 0], maximise=False).value


def test_nadir_reference_recorded():
    X = np.array([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])
    res = T.hypervolume(X, "nadir")
    np.testing.assert_allclose(res.ref, [0.2 - 0.07, 0.2 - 0.06])
    assert res.ref_kind == "nadir"
    assert res.value == pytest.approx(T.hypervolume(X, res.ref).value, rel=1e-15)
    assert T.hypervolume(X, "nadir", nadir_offset=0).value == pytest.approx(
        moocore.hypervolume(X, ref=[0.2, 0.2], maximise=True))


def test_normalise():
    rng = np.random.default_rng(5)
    X = rng.random((40, 3)) * [1, 10, 1000]
    r = np.array([-1.0, -1.0, -1.0])
    raw = T.hypervolume(X, r).value
    res = T.hypervolume(X, r, normalize=True)
    span = X.max(0) - X.min(0)
    assert res.value == pytest.approx(raw / np.prod(span), rel=1e-12)
    np.testing.assert_allclose(res.scale, span)
    # the oracle: moocore.normalise to [0, 1], the reference mapped the same way
    lo, hi = X.min(0), X.max(0)
    N = moocore.normalise(X, to_range=(0, 1), lower=lo, upper=hi)
    assert res.value == pytest.approx(moocore.hypervolume(N, ref=(r - lo) / (hi - lo), maximise=True), rel=1e-12)
    with pytest.raises(ValidationError, match="normalize"):
        T.hypervolume([[1.0, 2.0], [1.0, 3.0]], [0, 0], normalize=True)


def test_compare_hypervolume_shares_the_reference():
    A = np.array([[0.9, 0.2], [0.6, 0.6]])
    B = np.array([[0.2, 0.8], [0.1, 0.95]])
    c = T.compare_hypervolume(A, B, "nadir")
    pooled = np.vstack([A, B])
    lo, hi = pooled.min(0), pooled.max(0)
    np.testing.assert_allclose(c.ref, lo - 0.1 * (hi - lo))
    assert c.a == pytest.approx(moocore.hypervolume(A, ref=c.ref, maximise=True))
    assert c.b == pytest.approx(moocore.hypervolume(B, ref=c.ref, maximise=True))
    assert c.difference == pytest.approx(c.a - c.b)
    cn = T.compare_hypervolume(A, B, [0, 0], normalize=True)
    span = hi - lo
    assert cn.a == pytest.approx(T.hypervolume(A, [0, 0]).value / np.prod(span))


def test_inputs_not_mutated_and_scale_equivariant():
    rng = np.random.default_rng(2)
    X = rng.random((30, 3))
    r = np.zeros(3)
    X0 = X.copy()
    X.flags.writeable = False
    v = T.hypervolume(X, r).value
    T.hv_contributions(X, r)
    np.testing.assert_array_equal(X, X0)
    assert T.hypervolume(X * 1e-100, r).value == pytest.approx(v * 1e-300, rel=1e-12)


@pytest.mark.parametrize("ref, match", [
    (None, "required"),
    ("ideal", "nadir"),
    ([0.0], "one value per objective"),
    ([0.0, np.nan], "non-finite"),
    ([[0.0, 0.0]] * 3, "broadcast"),
    ([object(), 1], "numeric"),
])
def test_bad_reference(ref, match):
    with pytest.raises(ValidationError, match=match):
        T.hypervolume([[1.0, 2.0], [2.0, 1.0]], ref)


@pytest.mark.parametrize("R, match", [
    ([1.0, 2.0], "at least 2 dimensions"),
    ([[1.0, np.inf]], "infinite"),
    ([[1.0, -np.inf], [np.nan, 1.0]], "infinite"),
    (np.array([[True, False]]), "boolean"),
])
def test_bad_points(R, match):
    for f in (T.hypervolume, T.hv_contributions):
        with pytest.raises(ValidationError, match=match):
            f(R, [0, 0])
    with pytest.raises(ValidationError, match="`B`"):
        T.compare_hypervolume([[1.0, 2.0]], [[1.0, 2.0, 3.0]], [0, 0])
    with pytest.raises(ValidationError, match="maximise"):
        T.hypervolume([[1.0, 2.0]], [0, 0], maximise=[True])


def test_registered():
    assert {"hypervolume", "hv_contributions", "compare_hypervolume"} <= set(T.names(group="hypervolume"))


# ---------------------------------------------------------------- NaN rows (§A1), normalize=
def test_nan_rows_are_dropped_and_counted():
    X = np.array([[1.0, 3.0], [2.0, np.nan], [2.0, 2.0], [np.nan, np.nan], [3.0, 1.0]])
    X0 = X.copy()
    res = T.hypervolume(X, [4, 4], maximise=False)
    assert res.value == 6.0 and res.n_dropped == 2 and isinstance(res.n_dropped, int)
    np.testing.assert_array_equal(X, X0)  # NaN rows stay in the caller's array
    keep = ~np.isnan(X).any(axis=1)
    c = T.hv_contributions(X, [4, 4], maximise=False)
    assert c.n_dropped == 2 and np.isnan(c.contributions[~keep]).all()
    np.testing.assert_array_equal(c.contributions[keep],
                                  T.hv_contributions(X[keep], [4, 4], maximise=False).contributions)
    nad = T.hypervolume(X, "nadir", maximise=False)
    np.testing.assert_array_equal(nad.ref, T.hypervolume(X[keep], "nadir", maximise=False).ref)
    assert nad.value == T.hypervolume(X[keep], "nadir", maximise=False).value
    nn = T.hypervolume(X, [4, 4], maximise=False, normalize=True)
    assert nn.value == pytest.approx(T.hypervolume(X[keep], [4, 4], maximise=False, normalize=True).value)
    assert res.value == 0.0 + moocore.hypervolume(X[keep], ref=[4, 4])


@given(hv_inputs(n_max=20), st.data())
@settings(max_examples=60)
def test_nan_rows_batch_items_with_different_counts(data, more):
    X, r, mx = data
    n, d = X.shape
    items = []
    for _ in range(3):  # three items, each with its own NaN rows (possibly none or all)
        Y = X[more.draw(st.permutations(range(n)))].copy()
        for i in more.draw(st.lists(st.integers(0, n - 1), max_size=n)):
            Y[i, more.draw(st.integers(0, d - 1))] = np.nan
        items.append(Y)
    B = np.stack(items)
    res = T.hypervolume(B, r, maximise=mx)
    con = T.hv_contributions(B, r, maximise=mx)
    flags = T.is_nondominated(B, maximise=mx)
    ranks = T.pareto_rank(B, maximise=mx)
    for b, Y in enumerate(items):
        keep = ~np.isnan(Y).any(axis=1)
        assert res.n_dropped[b] == (~keep).sum() == con.n_dropped[b]
        Z = Y[keep]
        want = moocore.hypervolume(Z, ref=r, maximise=mx) if len(Z) else 0.0
        assert res.value[b] == pytest.approx(want, rel=1e-12, abs=0)
        assert not flags[b][~keep].any() and (ranks[b][~keep] == -1).all()
        assert np.isnan(con.contributions[b][~keep]).all()
        if len(Z):
            np.testing.assert_array_equal(flags[b][keep], moocore.is_nondominated(Z, maximise=mx))
            np.testing.assert_array_equal(ranks[b][keep], moocore.pareto_rank(Z, maximise=mx))
            np.testing.assert_allclose(con.contributions[b][keep],
                                       moocore.hv_contributions(Z, ref=r, maximise=mx),
                                       rtol=1e-12, atol=1e-12 * max(1.0, abs(want)))


def test_compare_hypervolume_drops_nan_rows():
    A = np.array([[0.9, 0.2], [np.nan, 0.7], [0.6, 0.6]])
    B = np.array([[0.2, 0.8], [0.1, 0.95]])
    c = T.compare_hypervolume(A, B, "nadir")
    ref = T.compare_hypervolume(A[[0, 2]], B, "nadir")
    assert (c.n_dropped_a, c.n_dropped_b) == (1, 0)
    np.testing.assert_array_equal(c.ref, ref.ref)
    assert (c.a, c.b) == (ref.a, ref.b)


def test_nadir_of_an_all_nan_item_is_an_error():
    X = np.array([[[1.0, 2.0], [2.0, 1.0]], [[np.nan, 1.0], [1.0, np.nan]]])
    with pytest.raises(ValidationError, match="nadir"):
        T.hypervolume(X, "nadir")
    res = T.hypervolume(X, [0, 0])
    assert res.value[1] == 0.0 and res.n_dropped.tolist() == [0, 2]


def test_normalise_is_the_deprecated_spelling():
    X = np.array([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])
    new = T.hypervolume(X, [0, 0], normalize=True)
    with pytest.warns(DeprecationWarning, match="normalize"):
        old = T.hypervolume(X, [0, 0], normalise=True)
    assert old.value == new.value and old.normalize is True
    with pytest.warns(DeprecationWarning, match="normalize"):
        assert old.normalise is True
    with pytest.warns(DeprecationWarning):
        c = T.hv_contributions(X, [0, 0], normalise=True)
    np.testing.assert_array_equal(c.contributions, T.hv_contributions(X, [0, 0], normalize=True).contributions)
    with pytest.warns(DeprecationWarning):
        cmp = T.compare_hypervolume(X, X[:1], [0, 0], normalise=True)
    assert cmp.a == new.value
    with pytest.raises(ValidationError, match="normalize"):
        T.hypervolume(X, [0, 0], normalize=True, normalise=True)


# ---------------------------------------------------------------- d >= 4 sweep, 3-D bit-word staircase
@pytest.mark.parametrize("d, n", [(4, 1500), (5, 1200), (6, 150)])
def test_fronts_in_higher_dimensions_match_moocore_threaded_equals_serial(d, n):
    """One large item runs the sweep's parts on threads: the same sum, bit for bit, as the
    serial kernel (a batch of one item runs serially)."""
    rng = np.random.default_rng(10 + d)
    Z = np.abs(rng.standard_normal((n, d)))
    X = 1 - Z / np.linalg.norm(Z, axis=1, keepdims=True)  # all non-dominated
    r = np.full(d, 1.1)
    one = T.hypervolume(X, r, maximise=False).value
    batch = T.hypervolume(np.stack([X, X[::-1]]), r, maximise=False).value
    assert one == pytest.approx(moocore.hypervolume(X, ref=r), rel=1e-12)
    assert batch[0] == one
    assert batch[1] == pytest.approx(one, rel=1e-13)


@given(hv_inputs(d_min=4, d_max=6, n_max=60))
@settings(max_examples=80)
def test_sweep_with_ties_and_duplicates_matches_moocore(data):
    X, r, mx = data
    X = np.vstack([X, X[: len(X) // 2]])  # more copies
    got = T.hypervolume(X, r, maximise=mx).value
    assert got == pytest.approx(moocore.hypervolume(X, ref=r, maximise=mx), rel=1e-12, abs=0)


@pytest.mark.parametrize("n", [1, 2, 63, 64, 65, 4095, 4096, 4097, 70_000])
def test_3d_staircase_set_sizes(n):
    """The 3-D staircase's bit-word set across word and level boundaries (64, 4096, 262144)."""
    rng = np.random.default_rng(n)
    X = rng.dirichlet(np.ones(3), n)
    X = np.vstack([X, X[: n // 3]])  # copies
    r = np.full(3, 1.0 + 1e-3)
    assert T.hypervolume(X, r, maximise=False).value == pytest.approx(moocore.hypervolume(X, ref=r), rel=1e-12)
    G = rng.integers(0, 7, (n, 3)).astype(float)  # heavy ties
    assert T.hypervolume(G, [7, 7, 7], maximise=False).value == pytest.approx(
        moocore.hypervolume(G, ref=[7, 7, 7]), rel=1e-12)
