"""PrefLib reader/writer: real files against preflibtools, round trips, every ParseError."""

from __future__ import annotations

import glob
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialchoice as sc
from socialchoice.errors import ParseError, ValidationError
from socialchoice.io import infer_data_type

FILES = [
    "00001-00000002.soi", "00005-00000002.toi", "00006-00000001.toc", "00007-00000019.soi",
    "00008-00000009.soi", "00009-00000002.soc", "00012-00000001.soc", "00014-00000001.soc",
    "00032-00000004.toi",
]
# (voters, candidates, unique orders) from tests/data/README.md
FACTS = {
    "00001-00000002.soi": (29988, 9, 10335), "00005-00000002.toi": (8980, 6, 384),
    "00006-00000001.toc": (9, 30, 9), "00007-00000019.soi": (100, 5, 55),
    "00008-00000009.soi": (9560, 11, 2306), "00009-00000002.soc": (153, 7, 70),
    "00012-00000001.soc": (30, 11, 30), "00014-00000001.soc": (5000, 10, 4926),
    "00032-00000004.toi": (15, 12, 15),
}


@pytest.fixture
def preflib_dir(shared_data):
    d = os.path.join(shared_data, "preflib")
    if not os.path.isdir(d):
        pytest.skip("shared/data/preflib not present")
    return d


def _oracle(path):
    """Ranks, counts and support from preflibtools' parse, computed in plain Python."""
    from preflibtools.instances import OrdinalInstance

    inst = OrdinalInstance()
    inst.parse_file(path)
    m = inst.num_alternatives
    ranks = np.full((len(inst.orders), m), -1)
    counts = np.zeros(len(inst.orders))
    for r, order in enumerate(inst.orders):
        counts[r] = inst.multiplicity[order]
        for level, block in enumerate(order):
            for alt in block:
                ranks[r, alt - 1] = level
    rx, ry = ranks[:, :, None], ranks[:, None, :]
    prefers = (rx >= 0) & ((ry < 0) | (rx < ry))  # ranked above unranked (docs/rules.md 1.3)
    support = np.einsum("r,rxy->xy", counts, prefers.astype(float))
    return inst, ranks, counts, support


def test_all_files_present(preflib_dir):
    assert sorted(os.path.basename(f) for f in glob.glob(os.path.join(preflib_dir, "0*"))) == FILES


@pytest.mark.parametrize("name", FILES)
def test_real_file_against_preflibtools(preflib_dir, name):
    path = os.path.join(preflib_dir, name)
    prof = sc.read_preflib(path)
    inst, ranks, counts, support = _oracle(path)
    voters, m, unique = FACTS[name]
    assert prof.n_candidates == m == inst.num_alternatives
    assert prof.n_ballots == unique == len(inst.orders)
    assert prof.total_weight == voters == inst.num_voters
    assert prof.candidates == tuple(range(1, m + 1))
    np.testing.assert_array_equal(prof.ranks, ranks)
    np.testing.assert_array_equal(prof.weights, counts)
    np.testing.assert_array_equal(prof.support(), support)
    md = prof.metadata
    assert md["title"] == inst.title
    assert md["data_type"] == inst.data_type == name[-3:]
    assert md["alternative_names"] == inst.alternatives_name
    assert infer_data_type(prof) in {"soc": {"soc"}, "soi": {"soc", "soi"},
                                     "toc": {"soc", "toc"}, "toi": set(sc.io.DATA_TYPES)}[name[-3:]]


@pytest.mark.parametrize("name", FILES)
def test_real_file_round_trip(preflib_dir, name, tmp_path):
    path = os.path.join(preflib_dir, name)
    prof = sc.read_preflib(path)
    out = tmp_path / name
    sc.write_preflib(prof, out)
    with open(path, "rb") as fh:
        original = fh.read()
    assert out.read_bytes() == original  # header order, counts and ballots reproduced exactly
    back = sc.read_preflib(out)
    assert back == prof
    assert back.metadata == prof.metadata
    # independent check of the written file
    _, ranks, counts, _ = _oracle(str(out))
    np.testing.assert_array_equal(back.ranks, ranks)
    np.testing.assert_array_equal(back.weights, counts)


def test_burlington_figures(preflib_dir):
    """tests/data/README.md §1 and docs/rules.md §9 (Burlington 2009)."""
    from socialchoice._summary import condorcet_winner, smith_set

    prof = sc.read_preflib(os.path.join(preflib_dir, "00005-00000002.toi"))
    assert prof.total_weight == 8980 and prof.n_candidates == 6 and prof.n_ballots == 384
    M = prof.margins()
    np.testing.assert_array_equal(M[1], [590, 0, 5676, 1575, 929, 6554])
    assert prof.candidates[condorcet_winner(M)] == 2
    assert smith_set(M) == [1]
    # Condorcet loser: Write-In (6)
    assert (M[5][np.arange(6) != 5] < 0).all()
    S = prof.support()
    assert (S[1, 0], S[0, 1], S[1, 4], S[4, 1]) == (4067, 3477, 4597, 3668)
    # six ballots contain a tie (overvotes)
    assert prof.ballot_types()["tied"] == 6
    # plurality after cutting overvotes: ballots whose top block is a single candidate
    r = np.asarray(prof.ranks)
    top = r == 0
    single = top.sum(axis=1) == 1
    firsts = [prof.weights[single & top[:, c]].sum() for c in range(6)]
    assert firsts == [2585, 2063, 35, 1306, 2951, 36]
    assert prof.metadata["alternative_names"][2] == "Andy Montroll"


def test_expand_one_row_per_voter(preflib_dir):
    path = os.path.join(preflib_dir, "00005-00000002.toi")
    prof = sc.read_preflib(path)
    full = sc.read_preflib(path, expand=True)
    assert full.n_ballots == 8980 and full.weights is None
    np.testing.assert_array_equal(full.support(), prof.support())
    np.testing.assert_array_equal(full.unique().support(), prof.support())


# ----------------------------------------------------------------- small inputs
TEXT = """# TITLE: t
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: a
# ALTERNATIVE NAME 2: b
# ALTERNATIVE NAME 3: c
3: 1,{2,3}
2: 3
1: 2,1,3
"""


def test_text_bytes_and_path_inputs(tmp_path):
    a = sc.read_preflib(TEXT)
    b = sc.read_preflib(TEXT.encode())
    p = tmp_path / "x.toi"
    p.write_text(TEXT)
    c = sc.read_preflib(p)
    d = sc.read_preflib(str(p))
    assert a == b == c == d
    np.testing.assert_array_equal(a.ranks, [[0, 1, 1], [-1, -1, 0], [1, 0, 2]])
    assert a.weights.tolist() == [3, 2, 1]
    assert a.metadata["number_voters"] == 6
    assert a.metadata["alternative_names"] == {1: "a", 2: "b", 3: "c"}


def test_whitespace_crlf_and_blank_lines():
    text = "# NUMBER ALTERNATIVES: 3\r\n\r\n 3 : 1 , { 2 ,3 } \r\n\r\n2:3\r\n"
    p = sc.read_preflib(text)
    np.testing.assert_array_equal(p.ranks, [[0, 1, 1], [-1, -1, 0]])
    assert p.weights.tolist() == [3, 2]


def test_no_header_infers_candidates_and_empty_ballot():
    p = sc.read_preflib("2: 3,1\n1:\n")
    assert p.candidates == (1, 2, 3)
    np.testing.assert_array_equal(p.ranks, [[1, -1, 0], [-1, -1, -1]])
    assert p.metadata == {}
    text = sc.write_preflib(p)
    assert "1:\n" in text and sc.read_preflib(text) == p


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        sc.read_preflib(tmp_path / "nope.soc")


def test_bad_source_type():
    with pytest.raises(ValidationError, match="source"):
        sc.read_preflib(3.5)


HEAD = "# NUMBER ALTERNATIVES: 3\n"
CASES = [
    # (text, line, message fragment)
    (HEAD + "x: 1,2,3\n", 2, "count"),
    (HEAD + "-1: 1,2,3\n", 2, "count"),
    (HEAD + "2.5: 1,2,3\n", 2, "count"),
    (HEAD + "1: 1,2\n0: 1,2,3\n", 3, "count is 0"),
    (HEAD + "1,2,3\n", 2, "no ':'"),
    (HEAD + "2 1,2,3\n", 2, "no ':'"),
    (HEAD + "1: 1,2\n1: 1,4\n", 3, "unknown alternative id 4"),
    (HEAD + "1: 0,1\n", 2, "unknown alternative id 0"),
    (HEAD + "1: 1,2,1\n", 2, "alternative 1 appears twice"),
    (HEAD + "1: {1,{2},3}\n", 2, "nested"),
    (HEAD + "1: 1,2},3\n", 2, "without a matching"),
    (HEAD + "\n1: 2\n1: {1,2\n", 4, "never closed"),
    (HEAD + "1: 1,,2\n", 2, "empty entry"),
    (HEAD + "1: {},1\n", 2, "empty entry"),
    (HEAD + "1: 1,2,\n", 2, "empty entry"),
    (HEAD + "1: {1,}\n", 2, "empty entry"),
    (HEAD + "1: 1;2\n", 2, "unexpected character ';'"),
    (HEAD + "1: 1 2\n", 2, "without a ','"),
    (HEAD + "1: {1,2}3\n", 2, "without a ','"),
    (HEAD + "1: 1\n# TITLE: late\n", 3, "after the first data line"),
    ("# NUMBER ALTERNATIVES: many\n1: 1\n", 1, "non-negative integer"),
    ("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 1: b\n1: 1\n", 3,
     "named twice"),
    ("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 3: c\n1: 1\n", 2, "NUMBER ALTERNATIVES is 2"),
    ("# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n1: 1\n", 1,
     "names 2 alternatives"),
    ("# TITLE: a\n# NUMBER VOTERS: 5\n# NUMBER ALTERNATIVES: 2\n2: 1,2\n2: 2,1\n", 2,
     "counts sum to 4"),
    ("# NUMBER ALTERNATIVES: 2\n# NUMBER UNIQUE ORDERS: 3\n2: 1,2\n2: 2,1\n", 2,
     "2 data lines"),
    ("# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n2: 1,2,3\n1: 1,2\n", 4, "unranked"),
    ("# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n2: 1,2\n1: {1,2},3\n", 4, "has a tie"),
    ("# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 3\n\n1: 1,{2,3}\n1: 2\n", 5, "unranked"),
    ("# DATA TYPE: xyz\n1: 1\n", 1, "unknown DATA TYPE"),
    ("# DATA TYPE: cat\n1: 1\n", 1, "not an ordinal type"),
    ("# TITLE: nothing\n\n", 2, "no data lines"),
    # each message names the actual problem (these used to say "names no alternatives")
    ("3\n1,A\n2,B\n3,C\n5,5,2\n3,1,2,3\n2,3,2,1\n", 1, "old (pre-2022) format"),
    ("# DATA TYPE: soc\n3 1,2,3\n", 2, "no ':'"),
    ("# TITLE: t\n3: a,b\n", 2, "unexpected character 'a'"),
    ("3:\n2:\n", 1, "every ballot is empty"),
    (":\n", 1, "no ballot count before ':'"),
    (HEAD + "-1: 1,2,3\n", 2, "-1 is negative"),
    (HEAD + "2.5: 1,2,3\n", 2, "'2.5' is not an integer"),
    (HEAD + "x: 1,2,3\n", 2, "starts with 'x'"),
    (HEAD + "99999999999999999999: 1\n", 2, "more than 18 digits"),
    (HEAD + "1: 1\n2: 1,\xe9\n", 3, "unexpected byte 0xc3"),
    ("1: 1\n2: 99999999999999999999999\n", 2, "larger than 1000000"),
    ("# NUMBER ALTERNATIVES: 99999999999\n1: 1\n", 1, "more than the 1000000"),
    ("# TITLE: t\n1: 1\n\x00\x01\n", 3, "NUL bytes"),
]


@pytest.mark.parametrize("text,line,fragment", CASES)
def test_parse_errors_give_line_numbers(text, line, fragment, tmp_path):
    with pytest.raises(ParseError, match=None) as info:
        sc.read_preflib(text)
    assert info.value.lineno == line, str(info.value)
    assert fragment in str(info.value)
    assert f"line {line}" in str(info.value)
    # the same from a file: the path is named too
    p = tmp_path / "bad.toi"
    p.write_text(text)
    with pytest.raises(ParseError) as info2:
        sc.read_preflib(p)
    assert info2.value.lineno == line and str(p) in str(info2.value)


def test_strict_false_skips_header_checks():
    text = "# DATA TYPE: soc\n# NUMBER VOTERS: 99\n# NUMBER UNIQUE ORDERS: 7\n" \
           "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: a\n2: 1,2\n"
    p = sc.read_preflib(text, strict=False)
    assert p.total_weight == 2 and p.n_candidates == 3
    with pytest.raises(ParseError):
        sc.read_preflib(text)


def test_parse_error_is_a_value_error():
    with pytest.raises(ValueError):
        sc.read_preflib("1: 1,1\n")


# ----------------------------------------------------------------- writer
def test_write_infers_data_type():
    cases = {"soc": [[0, 1, 2], [2, 1, 0]], "soi": [[0, 1, 2], [2]],
             "toc": [[0, [1, 2]]], "toi": [[[0, 1]]]}
    for dt, orders in cases.items():
        ranks = sc.Rankings.from_orders(orders, n_candidates=3).ranks
        p = sc.Rankings(ranks, candidates=[1, 2, 3])
        text = sc.write_preflib(p)
        assert f"# DATA TYPE: {dt}\n" in text
        assert sc.read_preflib(text) == p


def test_write_keeps_declared_type_when_it_holds_the_ballots():
    p = sc.Rankings([[0, 1, 2]], candidates=[1, 2, 3], metadata={"data_type": "toi"})
    assert "# DATA TYPE: toi" in sc.write_preflib(p)
    # declared type that cannot hold the ballots is replaced by the inferred one
    q = sc.Rankings([[0, 0, -1]], candidates=[1, 2, 3], metadata={"data_type": "soc"})
    assert "# DATA TYPE: toi" in sc.write_preflib(q)
    with pytest.raises(ValidationError, match="cannot hold"):
        sc.write_preflib(q, data_type="soi")
    with pytest.raises(ValidationError, match="data_type"):
        sc.write_preflib(q, data_type="xyz")


def test_write_labels_become_names():
    p = sc.Rankings.from_orders([["y", "x"]], candidates=["x", "y"])
    text = sc.write_preflib(p)
    assert "# ALTERNATIVE NAME 1: x\n# ALTERNATIVE NAME 2: y\n" in text
    assert text.endswith("1: 2,1\n")
    back = sc.read_preflib(text)
    assert back.candidates == (1, 2)
    np.testing.assert_array_equal(back.ranks, p.ranks)


def test_write_rejects_bad_weights_and_batches():
    with pytest.raises(ValidationError, match="integers"):
        sc.write_preflib(sc.Rankings([[0, 1]], weights=[1.5]))
    with pytest.raises(ValidationError, match="zero-weight"):
        sc.write_preflib(sc.Rankings([[0, 1], [1, 0]], weights=[0, 1]))
    with pytest.raises(ValidationError, match="batch"):
        sc.write_preflib(sc.Rankings(np.zeros((2, 1, 2), int)))
    with pytest.raises(ValidationError, match="Rankings"):
        sc.write_preflib(np.zeros((2, 2)))


def test_write_metadata_argument_merges():
    p = sc.read_preflib(TEXT)
    text = sc.write_preflib(p, metadata={"title": "new", "source": "x"})
    assert "# TITLE: new\n" in text and "# SOURCE: x\n" in text
    assert sc.read_preflib(text).metadata["source"] == "x"
    assert p.metadata["title"] == "t"  # the profile's metadata is not changed


@st.composite
def profiles(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 6))
    ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m),
                          min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(1, 1000), min_size=n, max_size=n))
    return sc.Rankings(ranks, weights, candidates=range(1, m + 1))


@given(profiles())
def test_round_trip_property(prof):
    text = sc.write_preflib(prof)
    back = sc.read_preflib(text)
    assert back == prof
    assert back.metadata["data_type"] == infer_data_type(prof)
    np.testing.assert_array_equal(back.support(), prof.support())


def test_large_ids_and_int16_ranks():
    m = 200
    order = list(range(m, 0, -1))
    text = f"# NUMBER ALTERNATIVES: {m}\n1: " + ",".join(map(str, order)) + "\n"
    p = sc.read_preflib(text)
    assert p.ranks.dtype == np.int16
    assert p.ranks[0, m - 1] == 0 and p.ranks[0, 0] == m - 1
    assert sc.write_preflib(p).endswith(text.split("\n")[1] + "\n")


def test_byte_order_mark_is_ignored():
    p = sc.read_preflib(("\ufeff" + TEXT).encode("utf-8"))
    assert p == sc.read_preflib(TEXT) and p.metadata["title"] == "t"


def test_empty_source_and_directory(tmp_path):
    with pytest.raises(ParseError, match="empty"):
        sc.read_preflib(b"")
    with pytest.raises(ParseError, match="empty"):
        sc.read_preflib(b"  \n\n")
    with pytest.raises(ValidationError, match="is a directory; pass a"):
        sc.read_preflib(tmp_path)
    with pytest.raises(ValidationError, match=str(tmp_path)):
        sc.write_preflib(sc.Rankings.from_orders([[0, 1]]), tmp_path)
    with pytest.raises(FileNotFoundError, match="nope.soc"):
        sc.read_preflib(tmp_path / "nope.soc")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        sc.write_preflib(sc.Rankings.from_orders([[0, 1]]), tmp_path / "no" / "x.soc")


VALID = (b"# TITLE: fuzz\n# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 4\n# NUMBER VOTERS: 6\n"
         b"# NUMBER UNIQUE ORDERS: 3\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n"
         b"# ALTERNATIVE NAME 3: c\n# ALTERNATIVE NAME 4: d\n3: 1,{2,3},4\n2: 4,1\n1: 2\n")


def _mutations(rng, n):
    """Malformed variants of VALID: truncated, byte flips, inserted junk, binary noise, wrong
    and negative counts, duplicated candidates, deleted and duplicated lines."""
    lines = VALID.split(b"\n")
    junk = [b"-", b":", b",", b"{", b"}", b"#", b"0", b"9" * 25, b"\x00", b"\xff", b"\r",
            b" ", b"\t", b"a", b"1,1", b"-3", b"2.5", b"\n"]
    for k in range(n):
        kind = k % 8
        if kind == 0:
            yield VALID[: rng.integers(0, len(VALID))]
        elif kind == 1:
            b = bytearray(VALID)
            for _ in range(rng.integers(1, 4)):
                b[rng.integers(len(b))] = int(rng.integers(256))
            yield bytes(b)
        elif kind == 2:
            i = int(rng.integers(len(VALID)))
            yield VALID[:i] + junk[rng.integers(len(junk))] + VALID[i:]
        elif kind == 3:
            yield rng.integers(0, 256, size=int(rng.integers(1, 200)), dtype=np.uint8).tobytes()
        elif kind == 4:  # wrong or negative counts in data or header
            t = VALID.replace(b"3: 1", b"%d: 1" % int(rng.integers(-5, 5)), 1)
            yield t.replace(b"VOTERS: 6", b"VOTERS: %d" % int(rng.integers(-3, 9)))
        elif kind == 5:  # duplicate candidates on a line or in the header
            yield VALID.replace(b"2: 4,1", b"2: 4,1,4") if rng.random() < 0.5 else \
                VALID.replace(b"NAME 4: d", b"NAME 3: d")
        elif kind == 6:
            keep = [ln for ln in lines if rng.random() < 0.8]
            yield b"\n".join(keep)
        else:
            i = int(rng.integers(len(lines)))
            yield b"\n".join(lines[:i] + [lines[i]] + lines[i:])


def test_fuzzed_files_raise_only_package_errors(tmp_path):
    """Whatever the bytes, read_preflib returns Rankings or raises a ParseError that names a
    line (or the whole file) -- never IndexError, UnicodeDecodeError, MemoryError, ..."""
    rng = np.random.default_rng(2024)
    seen_ok = seen_err = 0
    for k, data in enumerate(_mutations(rng, 800)):
        for strict in (True, False):
            try:
                prof = sc.read_preflib(data, strict=strict)
            except ParseError as exc:
                seen_err += 1
                assert str(exc) and (exc.lineno is None or exc.lineno >= 1)
                assert "\n" not in str(exc)
            else:
                seen_ok += 1
                assert isinstance(prof, sc.Rankings)
    assert seen_ok > 50 and seen_err > 500  # both paths exercised
    # the same through a path
    path = tmp_path / "bad.toi"
    path.write_bytes(b"\x00\x01garbage")
    with pytest.raises(ParseError) as info:
        sc.read_preflib(path)
    assert info.value.path == str(path)
