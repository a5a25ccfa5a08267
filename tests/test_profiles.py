"""Containers: construction, validation errors, immutability, conversions, xarray."""

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.errors import (
    ProfileError,
    SocialChoiceError,
    ValidationError,
    WeightsError,
)

# ---------------------------------------------------------------- Rankings: happy paths


def test_levels_are_normalised_and_narrow():
    p = sc.Rankings([[0, 5, 5, -1], [3, 1, 2, 0]])
    assert p.ranks.dtype == np.int8
    assert p.ranks.tolist() == [[0, 1, 1, -1], [3, 1, 2, 0]]
    assert sc.Rankings(np.zeros((2, 200), int)).ranks.dtype == np.int16


def test_from_orders_nested_ties_and_labels():
    p = sc.Rankings.from_orders([["a", ["b", "c"]], ["c"]], candidates=["a", "b", "c"])
    assert p.ranks.tolist() == [[0, 1, 1], [-1, -1, 0]]
    assert p.to_orders() == [["a", ["b", "c"]], ["c"]]


def test_from_orders_array_with_padding_matches_nested():
    arr = np.array([[2, 0, -1], [1, -1, -1]])
    p = sc.Rankings.from_orders(arr, n_candidates=3)
    q = sc.Rankings.from_orders([[2, 0], [1]], n_candidates=3)
    assert p == q


def test_support_spec_example_T():
    # docs/rules.md §9 T: 2: b>c>a>d, 1: c (bullet vote)
    p = sc.Rankings.from_orders([[1, 2, 0, 3], [2]], weights=[2, 1], n_candidates=4)
    s = p.support()
    assert s[1, 2] == 2 and s[2, 1] == 1
    assert s[0, 3] == 2 and s[3, 0] == 0


def test_support_P3_margins():
    # docs/rules.md §9 P3
    a, b, c, d = range(4)
    p = sc.Rankings.from_orders(
        [[b, a, c, d], [c, a, d, b], [b, c, a, d], [a, b, d, c]], weights=[1, 3, 3, 4]
    )
    mg = p.margins()
    assert (mg[a, b], mg[c, a], mg[b, c], mg[a, d], mg[b, d], mg[c, d]) == (3, 1, 5, 11, 5, 3)
    assert np.array_equal(mg, -mg.T)


def test_support_batch_matches_loop():
    rng = np.random.default_rng(1)
    r = rng.integers(-1, 4, size=(3, 2, 9, 4))
    w = rng.random((3, 2, 9))
    p = sc.Rankings(r, w)
    s = p.support()
    assert s.shape == (3, 2, 4, 4)
    for i in range(3):
        for j in range(2):
            assert np.allclose(s[i, j], sc.Rankings(r[i, j], w[i, j]).support())


def test_weights_broadcast_over_batch():
    r = np.array([[[0, 1], [1, 0]], [[0, 1], [0, 1]]])
    p = sc.Rankings(r, [3.0, 1.0])
    assert p.weights.shape == (2, 2)
    assert p.support()[1, 0, 1] == 4.0


def test_ballot_types_and_flags():
    p = sc.Rankings([[0, 1, 2], [0, -1, -1], [0, 0, 1], [-1, -1, -1]], weights=[1, 2, 3, 4])
    assert p.ballot_types() == {"complete": 1.0, "truncated": 2.0, "tied": 3.0, "empty": 4.0}
    assert p.has_ties() and p.is_truncated() and not p.is_linear()
    assert sc.Rankings([[1, 0]]).is_linear()


def test_unique_collapses_with_counts():
    p = sc.Rankings([[0, 1], [1, 0], [0, 1]], weights=[1, 2, 3])
    u = p.unique()
    assert u.n_ballots == 2
    with pytest.warns(DeprecationWarning, match="n_ballots"):
        assert u.n_voters == 2
    assert np.array_equal(u.support(), p.support())


def test_restrict_keeps_relative_order():
    p = sc.Rankings.from_orders([[2, 0, 1], [1]], n_candidates=3)
    r = p.restrict([0, 1])
    assert r.candidates == (0, 1)
    assert r.ranks.tolist() == [[0, 1], [-1, 0]]


def test_construction_never_mutates_or_aliases():
    r = np.array([[0, 3, 3], [2, 0, 1]])
    w = np.array([1.0, 2.0])
    r0, w0 = r.copy(), w.copy()
    p = sc.Rankings(r, w)
    assert np.array_equal(r, r0) and np.array_equal(w, w0)
    r[0, 0] = 2
    w[0] = 9
    assert p.ranks[0, 0] == 0 and p.weights[0] == 1.0
    with pytest.raises(ValueError):
        p.ranks[0, 0] = 1  # read-only


# ---------------------------------------------------------------- Rankings: errors


@pytest.mark.parametrize(
    "ranks, match",
    [
        ([0, 1, 2], "shape"),
        (np.zeros((0, 3), int), "no voters"),
        (np.zeros((2, 0), int), "no candidates"),
        ([[0, np.nan]], "NaN"),
        ([[0, np.inf]], "NaN or inf"),
        ([[0, 1.5]], "non-integer"),
        ([[0, -2]], "-2"),
        ([["a", "b"]], "integer"),
        ([[0, 1], [0]], "ragged"),
    ],
)
def test_rankings_rejects_bad_ranks(ranks, match):
    with pytest.raises(ProfileError, match=match):
        sc.Rankings(ranks)


@pytest.mark.parametrize(
    "weights, match",
    [
        ([1.0], "one weight per ballot"),
        ([1.0, -1.0], "negative"),
        ([1.0, np.nan], "NaN"),
        ([0.0, 0.0], "sums to zero"),
        (["a", "b"], "numeric"),
    ],
)
def test_rankings_rejects_bad_weights(weights, match):
    with pytest.raises(WeightsError, match=match):
        sc.Rankings([[0, 1], [1, 0]], weights)


def test_weights_all_zero_in_one_item_only():
    with pytest.raises(WeightsError):
        sc.Rankings(np.zeros((2, 2, 2), int), [[1, 1], [0, 0]])


@pytest.mark.parametrize(
    "orders, kwargs, match",
    [
        ([[0, 1, 0]], {}, "twice"),
        ([[0, [1, 0]]], {}, "twice"),
        ([["a", "z"]], {"candidates": ["a", "b"]}, "unknown candidate"),
        ([[0, 5]], {"n_candidates": 3}, "outside"),
        ([[0, []]], {}, "empty tie block"),
        ([], {}, "no ballots"),
        ([[0, -3]], {}, "outside|entry"),
        ([[0, [1, -3]]], {}, "entry"),
        (np.array([[0, 1, 1]]), {}, "twice"),
        (np.array([[0, 7]]), {"n_candidates": 3}, "outside"),
        (np.array([[0, -1, 1]]), {}, "after -1"),
    ],
)
def test_from_orders_rejects_bad_ballots(orders, kwargs, match):
    with pytest.raises(ProfileError, match=match):
        sc.Rankings.from_orders(orders, **kwargs)


def test_candidate_labels_validated():
    with pytest.raises(ValidationError, match="more than once"):
        sc.Rankings([[0, 1]], candidates=["a", "a"])
    with pytest.raises(ValidationError, match="2 labels"):
        sc.Rankings([[0, 1, 2]], candidates=["a", "b"])


def test_errors_are_builtin_subclasses():
    assert issubclass(ProfileError, ValueError)
    assert issubclass(ProfileError, SocialChoiceError)
    assert issubclass(sc.errors.SolverError, RuntimeError)


# ---------------------------------------------------------------- Ratings


def test_ratings_to_rankings_ties_and_missing():
    r = sc.Ratings([[5.0, 3.0, np.nan], [1.0, 4.0, 4.0]], candidates=["x", "y", "z"])
    assert r.to_rankings().ranks.tolist() == [[0, 1, -1], [1, 0, 0]]
    assert r.missing_fraction() == pytest.approx(1 / 6)


def test_ratings_groups_split():
    r = sc.Ratings(np.arange(12.0).reshape(4, 3), rater_attributes={"group": ["a", "b", "a", "b"]})
    g = r.groups()
    assert set(g) == {"a", "b"} and g["a"].n_raters == 2
    assert g["b"].raters == (1, 3)


@pytest.mark.parametrize(
    "values, match",
    [
        ([1.0, 2.0], "at least 2"),
        ([[1.0, np.inf]], "inf"),
        ([[np.nan, np.nan]], "all NaN"),
        (np.zeros((0, 2)), "no raters"),
        ([["a"]], "numeric"),
    ],
)
def test_ratings_rejects_bad_values(values, match):
    with pytest.raises(ValidationError, match=match):
        sc.Ratings(values)


def test_ratings_attribute_length_checked():
    with pytest.raises(ValidationError, match="one value per voter"):
        sc.Ratings([[1.0], [2.0]], rater_attributes={"group": [1]})


# ---------------------------------------------------------------- Pairwise


def test_pairwise_from_records_items_ties_weights():
    recs = {
        "item": [0, 0, 1, 1],
        "a": ["x", "y", "x", "x"],
        "b": ["y", "z", "z", "y"],
        "outcome": [1, 0.5, 0, 1],
        "w": [2.0, 1.0, 1.0, 3.0],
    }
    pw = sc.Pairwise.from_records(recs, weight="w", ties="half")
    s = pw.support()
    assert pw.candidates == ("x", "y", "z") and s.shape == (2, 3, 3)
    assert s[0, 0, 1] == 2 and s[0, 1, 2] == 0.5 and s[0, 2, 1] == 0.5
    assert s[1, 2, 0] == 1 and s[1, 0, 1] == 3
    assert np.array_equal(pw.total_weight, [3.0, 4.0])


@pytest.mark.parametrize(
    "recs, match",
    [
        ({"a": [0], "b": [0], "outcome": [1]}, "itself"),
        ({"a": [0], "b": [1], "outcome": [2]}, "outcomes are"),
        ({"a": [0], "b": [1]}, "no column"),
        ({"a": [], "b": [], "outcome": []}, "empty"),
    ],
)
def test_pairwise_records_errors(recs, match):
    with pytest.raises(ValidationError, match=match):
        sc.Pairwise.from_records(recs, item=None)


@pytest.mark.parametrize(
    "s, match",
    [([[0, 1, 2]], "square"), ([[0, -1], [1, 0]], "negative"), ([[1, 0], [0, 0]], "diagonal"),
     ([[0, np.nan], [0, 0]], "NaN")],
)
def test_pairwise_rejects_bad_support(s, match):
    with pytest.raises(ValidationError, match=match):
        sc.Pairwise(s)


def test_rankings_to_pairwise_total_weight():
    p = sc.Rankings([[0, -1, -1], [0, 1, 2]], weights=[2, 1])
    pw = p.to_pairwise()
    assert pw.total_weight == 3.0
    assert np.array_equal(pw.margins(), p.margins())


# ---------------------------------------------------------------- xarray


def test_rankings_xarray_round_trip():
    r = np.array([[[0, 1, -1], [1, 0, 0]], [[2, 1, 0], [0, 0, 0]]])
    p = sc.Rankings(r, [[1.0, 2.0], [3.0, 4.0]], ["a", "b", "c"],
                    voter_attributes={"group": ["g", "h"]})
    da = p.to_xarray()
    assert da.dims == ("item", "rater", "alternative")
    q = sc.Rankings.from_xarray(da)
    assert q == p and q.voter_attributes["group"].tolist() == ["g", "h"]


def test_ratings_xarray_round_trip_with_nan():
    v = np.array([[1.0, np.nan], [3.0, 4.0]])
    r = sc.Ratings(v, [1.0, 2.0], ["r1", "r2"], candidates=["a", "b"],
                   rater_attributes={"group": [0, 1]})
    assert sc.Ratings.from_xarray(r.to_xarray()) == r


def test_from_xarray_requires_dims():
    import xarray as xr

    with pytest.raises(ValidationError, match="no dim"):
        sc.Rankings.from_xarray(xr.DataArray(np.zeros((2, 2), int), dims=("x", "y")))


def test_dask_array_rejected_with_hint():
    da = pytest.importorskip("dask.array")
    with pytest.raises(ValidationError, match="socialchoice.xr"):
        sc.Rankings(da.zeros((2, 2), dtype=int))


@pytest.mark.parametrize("m", [1, 2, 3, 5, 8, 11])
def test_batch_support_kernels_agree(m):
    """Every batch kernel (byte lanes, strict specialised, ballot-code table, weighted) equals
    the plain loop, across the 255-ballot lane flush and with truncated and tied ballots."""
    from socialchoice._kernels import pairwise as kp

    rng = np.random.default_rng(m)
    strict = np.argsort(rng.random((3, 600, m)), axis=2)
    strict = np.where(strict == m - 1, -1, strict) if m > 2 else strict
    tied = rng.integers(-1, m, size=(3, 300, m))
    for r in (strict, tied):
        prof = sc.Rankings(r)
        ranks = np.ascontiguousarray(prof.ranks)
        ref = kp.support_serial(ranks, np.empty((3, 0)), False)
        np.testing.assert_array_equal(kp.support_batch_counts(ranks), ref)
        np.testing.assert_array_equal(kp.support_batch(ranks, np.empty((3, 0)), False), ref)
        if prof._strict_flag() and m <= 8:
            np.testing.assert_array_equal(kp.strict_batch_kernel(m)(ranks), ref)
        if m <= kp.CODE_TABLE_MAX_M:
            out = np.full(ref.shape, np.nan)
            kp.code_batch_kernel(m)(ranks, kp.ballot_code_table(m), out)
            np.testing.assert_array_equal(out, ref)
        w = rng.random(ranks.shape[:2])
        np.testing.assert_allclose(kp.support_batch(ranks, w, True),
                                   kp.support_serial(ranks, w, True), rtol=1e-12)
        np.testing.assert_array_equal(prof.support(), ref)


def test_parallel_level_normalisation_matches_serial():
    """The parallel validator's one-pass fast path agrees with the row-by-row kernel."""
    from socialchoice._kernels import ballots as kb

    rng = np.random.default_rng(7)
    n, m = 20_000, 6
    r = np.argsort(rng.random((n, m)), axis=1).astype(np.int8)
    r[::5] = rng.integers(-1, m + 2, size=r[::5].shape)  # gaps, ties, truncation
    r[1::11, :2] = -1
    out_p, out_s = np.empty_like(r), np.empty_like(r)
    assert kb.normalize_levels(r, out_p) == kb.normalize_levels_serial(r, out_s)
    np.testing.assert_array_equal(out_p, out_s)
    r[123, 3] = -4
    assert kb.normalize_levels(r, out_p)[0] == 1


@pytest.mark.parametrize("m", [1, 2, 5, 10, 16])
def test_block_support_kernel(m):
    """The block-transposed single-election kernel equals the plain loop for strict, tied and
    truncated ballots, any number of chunks, and short last blocks (zero padding ties)."""
    from socialchoice._kernels import pairwise as kp
    from socialchoice.testing import reference as ref

    rng = np.random.default_rng(m)
    for n in (1, 63, 64, 65, 1000):
        for raw in (np.argsort(rng.random((n, m)), axis=1), rng.integers(-1, m, size=(n, m))):
            prof = sc.Rankings(raw)
            r = np.ascontiguousarray(prof.ranks)
            for nt in (1, 3):
                np.testing.assert_array_equal(kp.block_support_kernel(m)(r, nt), ref.support_naive(r))


def _rows_valid_as_is(r):
    """Reference: rows already holding consecutive levels 0..top (ties and -1 allowed), and
    which of those tie two ranked candidates."""
    valid = np.zeros(len(r), bool)
    tied = np.zeros(len(r), bool)
    for v, row in enumerate(r.astype(np.int64)):
        ranked = row[row >= 0]
        if (row < -1).any():
            continue
        levels = np.unique(ranked)
        valid[v] = levels.size == 0 or (levels == np.arange(levels.size)).all()
        tied[v] = valid[v] and ranked.size > levels.size
    return valid, tied


@pytest.mark.parametrize("m", [1, 2, 5, 10, 16, 17, 28, 29, 56, 57, 70, 130])
def test_parallel_level_check_and_borrowing(m):
    """The read-only level check (sum-of-powers fast path, per-row fallback) and the
    normaliser agree with a naive reference for every kernel variant (specialised m <= 16,
    int32 sums m <= 28, int64 sums m <= 56, bitmask beyond, int16 levels from m = 128)."""
    from socialchoice._config import SERIAL_MAX_ELEMENTS
    from socialchoice._kernels import ballots as kb
    from socialchoice.profiles._common import rank_dtype

    rng = np.random.default_rng(m)
    n = 2 * SERIAL_MAX_ELEMENTS // m + 5000
    dt = rank_dtype(m)
    r = np.argsort(rng.random((n, m)), axis=1).astype(dt)
    out_p, out_s = np.empty_like(r), np.empty_like(r)
    assert kb.check_levels_kernel(m)(r) == (0, 0)
    assert kb.normalize_levels_kernel(m)(r, out_p) == (0, 0)
    np.testing.assert_array_equal(out_p, r)
    prof = sc.Rankings._borrow(r)
    assert np.shares_memory(prof.ranks, r) and not prof.ranks.flags.writeable
    assert r.flags.writeable  # the caller's array keeps its flags
    assert not prof.has_ties()

    bad = r.copy()
    k = n // 7
    rows = rng.choice(n, size=4 * k, replace=False)
    bad[rows[:k]] = rng.integers(-1, min(m + 2, np.iinfo(dt).max), size=(k, m))  # gaps, ties
    bad[rows[k:2 * k], : max(1, m // 3)] = -1  # truncation (levels shift: gaps)
    bad[rows[2 * k:3 * k]] = np.minimum(bad[rows[2 * k:3 * k]], m // 2)  # dense ties
    bad[rows[3 * k], 0] = np.iinfo(dt).min  # below -1: invalid
    bad[rows[3 * k + 1], -1] = np.iinfo(dt).max  # a gap far above m
    bad[rows[3 * k + 2], 0] = -65  # -65 & 63 == 63: must not pass for -1 (unranked)
    valid, tied = _rows_valid_as_is(bad)
    assert kb.check_levels_kernel(m)(bad) == (int((~valid).sum()), int(tied.sum()))
    got = kb.normalize_levels_kernel(m)(bad, out_p)
    assert got == kb.normalize_levels_serial(bad, out_s)
    np.testing.assert_array_equal(out_p, out_s)
    with pytest.raises(sc.errors.ProfileError):
        sc.Rankings._borrow(bad)
    bad[rows[3 * k], 0] = -1
    with pytest.raises(sc.errors.ProfileError, match="-65"):
        sc.Rankings(bad)
    bad[rows[3 * k + 2], 0] = -1
    prof = sc.Rankings._borrow(bad)
    assert not np.shares_memory(prof.ranks, bad)  # gaps: normalised into a copy
    np.testing.assert_array_equal(prof.ranks, sc.Rankings(bad).ranks)
    ok = bad[valid | (np.arange(n) == rows[3 * k])]
    prof = sc.Rankings._borrow(ok)
    assert np.shares_memory(prof.ranks, ok) == bool(_rows_valid_as_is(ok)[0].all())
    for rule in ("plurality", "borda"):
        np.testing.assert_array_equal(sc.rules.get(rule)(ok).scores, sc.rules.get(rule)(sc.Rankings(ok)).scores)


def test_pairwise_from_margins():
    prof = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    pw = sc.Pairwise.from_margins(prof.margins(), candidates=["a", "b", "c"])
    np.testing.assert_array_equal(pw.margins(), prof.margins())
    assert pw.candidates == ("a", "b", "c")
    for rule in ("copeland", "schulze", "smith_set", "condorcet_winner"):
        np.testing.assert_array_equal(sc.rules.get(rule)(pw).winner_mask,
                                      sc.rules.get(rule)(prof).winner_mask, err_msg=rule)
    batch = sc.Pairwise.from_margins(np.stack([prof.margins(), -prof.margins()]))
    assert batch.batch_shape == (2,)
    with pytest.raises(sc.errors.ValidationError, match="antisymmetric"):
        sc.Pairwise.from_margins([[0, 1], [1, 0]])
    with pytest.raises(sc.errors.ValidationError, match="square"):
        sc.Pairwise.from_margins([[0, 1, 2], [1, 0, 3]])
    with pytest.raises(sc.errors.ValidationError):
        sc.Pairwise.from_margins([[0, np.nan], [np.nan, 0]])


# --------------------------------------------------------------- kinds, phantoms, scale, pairs
def test_bool_levels_are_rejected():
    with pytest.raises(sc.errors.ProfileError, match="boolean"):
        sc.Rankings(np.array([[True, False, False]]))


def test_integral_float_levels_are_ranks_non_integral_are_errors():
    assert sc.Rankings(np.array([[0.0, 1.0, -1.0]])).ranks.tolist() == [[0, 1, -1]]
    with pytest.raises(sc.errors.ProfileError, match="non-integer"):
        sc.Rankings(np.array([[0.0, 1.5, 2.0]]))


@pytest.mark.parametrize("orders", [[[1, 2, 3], [3, 2, 1]], np.array([[1, 2, 3], [3, 2, 1]])])
def test_from_orders_does_not_invent_a_phantom_candidate(orders):
    with pytest.raises(sc.errors.ProfileError, match="1-based"):
        sc.Rankings.from_orders(orders)
    p = sc.Rankings.from_orders(orders, n_candidates=4)  # explicit: candidate 0 ranked by nobody
    assert p.ranks[:, 0].tolist() == [-1, -1]


@pytest.mark.parametrize("c", [1e-300, 1e-12, 3.7, 1e12, 1e300])
def test_support_scales_exactly_with_the_weights(c):
    rng = np.random.default_rng(0)
    r = np.argsort(rng.random((9, 4)), axis=-1)
    w = rng.integers(1, 5, 9).astype(float)
    base = sc.Rankings(r, w).support()
    np.testing.assert_allclose(sc.Rankings(r, w * c).support() / c, base, rtol=1e-12)


def test_support_overflow_is_an_error_not_inf():
    with pytest.raises(sc.errors.WeightsError, match="overflow"):
        sc.Rankings(np.array([[0, 1], [0, 1], [1, 0]]), weights=[1e308, 1e308, 1e308]).support()


def test_ratings_support_both_rated_vs_missing_below_by_hand():
    v = np.array([[5.0, 3.0, np.nan], [1.0, 2.0, 4.0], [np.nan, 1.0, 1.0]])
    r = sc.Ratings(v, weights=[1.0, 2.0, 3.0])
    # both rated: rater 0 has x0 > x1; rater 1 has x2 > x1 > x0; rater 2 ties x1, x2
    np.testing.assert_array_equal(r.support(), [[0, 1, 0], [2, 0, 0], [2, 2, 0]])
    # missing below: rater 0 also puts x0, x1 above x2; rater 2 puts x1, x2 above x0
    np.testing.assert_array_equal(r.support(pairs="missing_below"), [[0, 1, 1], [5, 0, 1], [5, 2, 0]])
    with pytest.raises(sc.errors.ValidationError, match="pairs"):
        r.support(pairs="nope")


def test_ratings_support_matches_a_naive_loop_on_batches():
    rng = np.random.default_rng(3)
    v = rng.integers(0, 4, size=(3, 11, 5)).astype(float)
    v[rng.random(v.shape) < 0.3] = np.nan
    w = rng.random((3, 11)) + 0.1
    got = sc.Ratings(v, w).support()
    want = np.zeros((3, 5, 5))
    for b in range(3):
        for i in range(11):
            for x in range(5):
                for y in range(5):
                    if v[b, i, x] > v[b, i, y]:  # NaN compares False
                        want[b, x, y] += w[b, i]
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int64])
def test_from_orders_kernels_match_the_reference(dtype):
    from socialchoice.testing.reference import orders_to_ranks_naive

    rng = np.random.default_rng(7)
    for m in (1, 3, 10, 70):
        n = 300
        orders = np.argsort(rng.random((n, m)), axis=1)
        cut = rng.integers(1, m + 1, n)
        trunc = np.where(np.arange(m) < cut[:, None], orders, -1)
        for o in (orders, trunc):  # complete fast path, then the general kernel
            got = sc.Rankings.from_orders(o.astype(dtype), n_candidates=m).ranks
            np.testing.assert_array_equal(got, orders_to_ranks_naive(o, m))


@pytest.mark.parametrize("bad", [[[0, 1, 1]], [[0, -1, 1]], [[0, 3, 1]], [[0, -2, 1]], [[2, 0, 1], [1, 1, 0]]])
def test_from_orders_rejects_bad_orders_in_both_kernels(bad):
    with pytest.raises(sc.errors.ProfileError):
        sc.Rankings.from_orders(np.array(bad), n_candidates=3)


def test_groups_with_missing_labels_and_group_means():
    import warnings as _w

    v = np.array([[1.0, 2.0], [2.0, np.nan], [0.0, 1.0], [4.0, 4.0]])
    r = sc.Ratings(v, weights=[1.0, 1.0, 3.0, 1.0],
                   rater_attributes={"group": np.array([1.0, np.nan, 1.0, 2.0])})
    with pytest.warns(sc.errors.CoverageWarning, match="1 of 4"):
        g = r.groups()
    assert sorted(g) == [1.0, 2.0]
    with _w.catch_warnings():
        _w.simplefilter("error")
        assert None in r.groups(dropna=False)
        gm = r.group_means(dropna=False)
    # group 1.0: weights 1 and 3 -> (1 + 0) / 4, (2 + 3) / 4; group None: 2.0 and NaN (nobody)
    np.testing.assert_allclose(gm.sel(group=1.0).values, [0.25, 1.25])
    assert np.isnan(gm.sel(group=None).values[1])
    with pytest.raises(sc.errors.ValidationError, match="nan_policy"):
        r.group_means(nan_policy="raise")


def test_from_xarray_refuses_an_array_declared_as_the_other_kind():
    r = sc.Ratings(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
    da = r.to_xarray()
    assert da.attrs["kind"] == "ratings"
    with pytest.raises(sc.errors.ValidationError, match="Ratings.from_xarray"):
        sc.Rankings.from_xarray(da)
    k = sc.Rankings(np.array([[0, 1, 2], [2, 1, 0]])).to_xarray()
    with pytest.raises(sc.errors.ValidationError, match="Rankings.from_xarray"):
        sc.Ratings.from_xarray(k)
    assert sc.Ratings.from_xarray(da).values.tolist() == r.values.tolist()
