"""Long-format tables <-> Ratings / Rankings: round trips, errors naming column and row."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ParseError, ProfileError, ValidationError


def _ratings():
    vals = np.array([
        [[4.0, np.nan, 1.0], [2.0, 3.0, np.nan]],
        [[np.nan, 5.0, 5.0], [1.0, np.nan, np.nan]],
    ])
    return sc.Ratings(vals, weights=[[1.0, 2.0], [1.0, 0.5]], raters=["ann", "bob"],
                      candidates=["x", "y", "z"], rater_attributes={"group": ["t", "c"]},
                      items=["p1", "p2"])


def _same(a, b):
    assert a == b
    assert a.items == b.items
    assert a.raters == b.raters
    assert a.candidates == b.candidates
    np.testing.assert_array_equal(a.weights_or_ones(), b.weights_or_ones())
    for k, v in a.rater_attributes.items():
        assert list(b.rater_attributes[k]) == list(v)
    assert set(a.rater_attributes) == set(b.rater_attributes)


@pytest.mark.parametrize("dropna", [True, False])
def test_ratings_round_trip_with_missing_groups_weights(dropna):
    rat = _ratings()
    df = sc.to_dataframe(rat, dropna=dropna)
    assert list(df.columns) == ["item", "rater", "alternative", "rating", "weight", "group"]
    assert len(df) == (7 if dropna else 12)
    back = sc.from_dataframe(df, attributes=["group"], weight="weight")
    _same(rat, back)


def test_all_missing_rater_survives_only_without_dropna():
    vals = np.array([[1.0, 2.0], [np.nan, np.nan]])
    rat = sc.Ratings(vals, raters=["a", "b"], candidates=["x", "y"])
    back = sc.from_dataframe(sc.to_dataframe(rat, dropna=False))
    _same(rat, back)
    assert sc.from_dataframe(sc.to_dataframe(rat)).raters == ("a",)


def test_single_election_without_item_column():
    rat = sc.Ratings([[1.0, np.nan], [3.0, 2.0]])
    df = sc.to_dataframe(rat)
    assert "item" not in df.columns
    back = sc.from_dataframe(df)
    _same(rat, back)
    assert back.batch_shape == ()


def test_item_column_name_becomes_batch_dim():
    df = pd.DataFrame({"prompt": ["q1", "q1", "q2"], "rater": [1, 2, 1],
                       "alternative": ["a", "a", "a"], "rating": [1, 2, 3]})
    rat = sc.from_dataframe(df, item="prompt")
    assert rat.items == ("q1", "q2")
    da = rat.to_xarray()
    assert da.dims == ("prompt", "rater", "alternative")
    assert da["prompt"].values.tolist() == ["q1", "q2"]
    back = sc.to_dataframe(rat)
    assert list(back.columns[:1]) == ["prompt"]
    _same(rat, sc.from_dataframe(back, item="prompt"))


def test_rankings_round_trip():
    prof = sc.Rankings(np.array([[[0, 1, -1], [1, 1, 0]], [[2, 0, 1], [-1, -1, -1]]]),
                       weights=[[1, 2], [3, 4]], candidates=["a", "b", "c"],
                       voter_attributes={"g": ["u", "v"]}, items=["e1", "e2"])
    df = sc.to_dataframe(prof)
    assert "rank" in df.columns and (df["rank"] >= 0).all() and len(df) == 8
    # the empty ballot (item e2, voter 1) has no rows: its weight is lost with dropna=True
    lossy = sc.from_dataframe(df, attributes=["g"], weight="weight")
    assert lossy.weights[1, 1] == 0
    np.testing.assert_array_equal(lossy.ranks, prof.ranks)
    full = sc.to_dataframe(prof, dropna=False)
    assert len(full) == 12 and (full["rank"] == -1).sum() == 4
    back = sc.from_dataframe(full, attributes=["g"], weight="weight")
    assert isinstance(back, sc.Rankings)
    assert back == prof and back.items == prof.items
    assert back.voter_attributes["g"].tolist() == ["u", "v"]
    pd.testing.assert_frame_equal(full, sc.to_dataframe(back, dropna=False))


def test_rankings_rater_labels_kept_in_metadata():
    df = pd.DataFrame({"rater": ["z", "y"], "alternative": [1, 1], "rank": [0, 0]})
    prof = sc.from_dataframe(df)
    assert prof.metadata["raters"] == ["y", "z"]
    assert sc.to_dataframe(prof)["rater"].tolist() == ["y", "z"]


def test_sorting_and_first_appearance():
    df = pd.DataFrame({"rater": ["r2", "r1"], "alternative": ["b", "a"], "rating": [1, 2]})
    assert sc.from_dataframe(df).raters == ("r1", "r2")
    rat = sc.from_dataframe(df, sort=False)
    assert rat.raters == ("r2", "r1") and rat.candidates == ("b", "a")
    mixed = pd.DataFrame({"rater": [1, "one"], "alternative": ["a", "a"], "rating": [1, 2]})
    assert sc.from_dataframe(mixed).raters == (1, "one")


def test_mapping_input_and_no_mutation():
    data = {"rater": [0, 0, 1], "alternative": ["a", "b", "a"], "rating": [1.0, 2.0, 3.0]}
    df = pd.DataFrame(data)
    copy = df.copy()
    rat = sc.from_dataframe(df)
    pd.testing.assert_frame_equal(df, copy)
    assert sc.from_dataframe(data) == rat


def test_duplicate_rows_error():
    df = pd.DataFrame({"item": [1, 1, 1], "rater": ["a", "b", "a"],
                       "alternative": ["x", "x", "x"], "rating": [1, 2, 3]})
    with pytest.raises(ProfileError, match=r"rows 0 and 2 both rate item 1, rater 'a', "
                                           r"alternative 'x'"):
        sc.from_dataframe(df)


def test_non_numeric_rating_names_column_and_row():
    df = pd.DataFrame({"rater": ["a", "b", "c"], "alternative": ["x", "x", "x"],
                       "score": ["1", "2", "high"]})
    with pytest.raises(ValidationError, match=r"column 'score' row 2 holds 'high'"):
        sc.from_dataframe(df, rating="score")


def test_other_errors():
    base = {"rater": ["a", "a"], "alternative": ["x", "y"], "rating": [1.0, 2.0]}
    with pytest.raises(ValidationError, match="neither"):
        sc.from_dataframe({"rater": ["a"], "alternative": ["x"], "value": [1]})
    with pytest.raises(ValidationError, match="no column 'who'"):
        sc.from_dataframe(base, rater="who")
    with pytest.raises(ValidationError, match="no column 'prompt'"):
        sc.from_dataframe(base, item="prompt")
    with pytest.raises(ValidationError, match="no rows"):
        sc.from_dataframe(pd.DataFrame({"rater": [], "alternative": [], "rating": []}))
    with pytest.raises(ValidationError, match="finite"):
        sc.from_dataframe({**base, "rating": [1.0, np.inf]})
    with pytest.raises(ValidationError, match="rater' row 1 is missing"):
        sc.from_dataframe({**base, "rater": ["a", None]})
    with pytest.raises(ValidationError, match="constant within a rater"):
        sc.from_dataframe({**base, "group": ["g", "h"]}, attributes=["group"])
    with pytest.raises(ValidationError, match="varies within rater 'a'"):
        sc.from_dataframe({**base, "w": [1.0, 2.0]}, weight="w")
    with pytest.raises(ValidationError, match="rank levels are integers"):
        sc.from_dataframe({"rater": ["a"], "alternative": ["x"], "rank": [0.5]})
    with pytest.raises(ValidationError, match="DataFrame"):
        sc.from_dataframe([1, 2, 3])
    with pytest.raises(ValidationError, match="Ratings or Rankings"):
        sc.to_dataframe(np.zeros((2, 2)))


def test_attribute_with_missing_values_is_consistent():
    df = pd.DataFrame({"rater": ["a", "a", "b"], "alternative": ["x", "y", "x"],
                       "rating": [1, 2, 3], "group": [np.nan, np.nan, "g"]})
    rat = sc.from_dataframe(df, attributes=["group"])
    g = rat.rater_attributes["group"]
    assert pd.isna(g[0]) and g[1] == "g"


def test_read_csv_and_line_numbers(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("rater,alternative,rating,group\na,x,1,t\na,y,,t\nb,x,3,c\n")
    rat = sc.read_csv(p, attributes=["group"])
    np.testing.assert_array_equal(rat.values, [[1.0, np.nan], [3.0, np.nan]])
    assert rat.rater_attributes["group"].tolist() == ["t", "c"]
    bad = tmp_path / "bad.csv"
    bad.write_text("rater,alternative,rating\na,x,1\na,y,abc\n")
    with pytest.raises(ParseError) as info:
        sc.read_csv(bad)
    assert info.value.lineno == 3 and "'rating'" in str(info.value)
    dup = tmp_path / "dup.csv"
    dup.write_text("rater,alternative,rating\na,x,1\nb,x,1\na,x,2\n")
    with pytest.raises(ParseError) as info:
        sc.read_csv(dup)
    assert info.value.lineno == 4
    with pytest.raises(FileNotFoundError):
        sc.read_csv(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ParseError, match="CSV"):
        sc.read_csv(empty)


def test_hs_brexit_real_data(shared_data):
    path = os.path.join(shared_data, "hs_brexit", "hs_brexit_annotations.csv")
    if not os.path.exists(path):
        pytest.skip("hs_brexit not present")
    df = pd.read_csv(path)
    long = df.melt(id_vars=["item_id", "annotator_id", "annotator_group"],
                   value_vars=["hate_speech", "aggressive", "offensive"],
                   var_name="label", value_name="value")
    rat = sc.from_dataframe(long, item="item_id", rater="annotator_id", alternative="label",
                            rating="value", attributes=["annotator_group"])
    assert rat.batch_shape == (1120,) and rat.n_raters == 6 and rat.n_candidates == 3
    assert rat.missing_fraction() == 0
    groups = dict(zip(rat.raters, rat.rater_attributes["annotator_group"]))
    assert groups == {"Ann1": "target", "Ann2": "target", "Ann3": "target",
                      "Ann4": "control", "Ann5": "control", "Ann6": "control"}
    hs = list(rat.candidates).index("hate_speech")
    target = np.array([groups[r] == "target" for r in rat.raters])
    # positive rate of hate speech by group (tests/data/README.md §5)
    assert round(float(rat.values[:, ~target, hs].mean()), 3) == 0.205
    assert round(float(rat.values[:, target, hs].mean()), 3) == 0.054
    back = sc.to_dataframe(rat, rater="annotator_id", alternative="label", value="value")
    assert len(back) == 6720 * 3


@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.data())
def test_round_trip_property(n_items, n, m, data):
    vals = np.array(data.draw(st.lists(
        st.one_of(st.none(), st.integers(0, 5)), min_size=n_items * n * m,
        max_size=n_items * n * m)), dtype=float).reshape(n_items, n, m)
    if np.isnan(vals).all():
        vals[0, 0, 0] = 1.0
    rat = sc.Ratings(vals, items=[f"i{k}" for k in range(n_items)])
    _same(rat, sc.from_dataframe(sc.to_dataframe(rat, dropna=False)))


def test_paths_and_column_arguments(tmp_path):
    with pytest.raises(ValidationError, match="is a directory; pass a"):
        sc.read_csv(tmp_path)
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        sc.read_csv(tmp_path / "nope.csv")
    p = tmp_path / "r.csv"
    p.write_text("rater,alternative,rating,w\nr1,x,4,1\nr2,x,5,2\n")
    # an unknown weight column is a package error listing the columns (not a KeyError)
    with pytest.raises(ValidationError, match=r"`weight`='wt'.*columns are \['rater', 'alternative', "
                                              r"'rating', 'w'\]") as info:
        sc.read_csv(p, weight="wt")
    assert not isinstance(info.value, KeyError)
    with pytest.raises(ValidationError, match="one column name"):
        sc.read_csv(p, weight=["w"])
    with pytest.raises(ValidationError, match="`attributes`='g'"):
        sc.read_csv(p, attributes="g")
    assert sc.read_csv(p, weight="w").weights.tolist() == [1.0, 2.0]


def test_fuzzed_csv_raise_only_package_errors(tmp_path):
    good = b"item,rater,alternative,rating,group\np,r1,x,4,a\np,r1,y,2,a\np,r2,x,5,b\nq,r2,y,1,b\n"
    rng = np.random.default_rng(7)
    junk = [b",", b"\n", b"\x00", b"\xff", b"\"", b"nan", b"inf", b"-", b"x", b",,,,", b"\r"]
    path = tmp_path / "f.csv"
    n_ok = n_err = 0
    for k in range(300):
        if k % 3 == 0:
            data = good[: rng.integers(0, len(good))]
        elif k % 3 == 1:
            i = int(rng.integers(len(good)))
            data = good[:i] + junk[rng.integers(len(junk))] + good[i:]
        else:
            data = rng.integers(0, 256, size=int(rng.integers(1, 120)), dtype=np.uint8).tobytes()
        path.write_bytes(data)
        try:
            sc.read_csv(path, attributes=["group"])
            n_ok += 1
        except (ParseError, ValidationError) as exc:
            assert isinstance(exc, sc.errors.SocialChoiceError)
            n_err += 1
    assert n_ok > 10 and n_err > 100
