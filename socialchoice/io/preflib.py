"""Read and write PrefLib ordinal files (soc, soi, toc, toi; the 2022 PrefLib format).

A file is a header of ``# KEY: value`` lines followed by data lines ``count: a,b,{c,d},e``:
alternatives are numbered from 1, the best comes first, ``{...}`` is a tie and alternatives
left out of a line are unranked. The data lines are parsed in one pass of a Numba kernel over
the raw bytes (:mod:`socialchoice._kernels.preflib`); only the short header is parsed in Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._kernels import preflib as _kpf
from .._validation import readonly
from ..errors import ParseError, ValidationError
from ..profiles import Rankings, rank_dtype
from ._paths import input_file, output_file

__all__ = ["read_preflib", "write_preflib", "infer_data_type", "DATA_TYPES"]

#: The four ordinal PrefLib data types, from the most to the least restrictive.
DATA_TYPES = ("soc", "soi", "toc", "toi")
# data type -> inferred types it can hold
_HOLDS = {"soc": {"soc"}, "soi": {"soc", "soi"}, "toc": {"soc", "toc"},
          "toi": {"soc", "soi", "toc", "toi"}}
_DESCRIBE = {"soc": "complete strict orders", "soi": "strict orders, possibly incomplete",
             "toc": "complete orders, possibly with ties",
             "toi": "orders possibly incomplete and with ties"}
# header keys in the order PrefLib writes them; counts and names follow
_STANDARD = ("FILE NAME", "TITLE", "DESCRIPTION", "DATA TYPE", "MODIFICATION TYPE",
             "RELATES TO", "RELATED FILES", "PUBLICATION DATE", "MODIFICATION DATE")
_COUNT_KEYS = ("NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS")
_HEADER_RE = re.compile(r"#\s*([^:]*?)\s*:\s?(.*)$")
#: more alternatives than this is taken as a malformed file, not allocated
MAX_ALTERNATIVES = 1_000_000
_ALT_RE = re.compile(r"ALTERNATIVE NAME\s+(\S+)$")

_MESSAGES = {
    _kpf.ERR_COUNT: "the ballot count is missing or not a non-negative integer; "
                    "a data line reads 'count: a,b,{{c,d}}'",
    _kpf.ERR_ZERO_COUNT: "the ballot count is 0; counts are positive integers (drop the line)",
    _kpf.ERR_NO_COLON: "no ':' after the ballot count; a data line reads 'count: a,b,{{c,d}}' "
                       "(files in the old pre-2022 PrefLib format must be converted first)",
    _kpf.ERR_UNKNOWN_ALT: "unknown alternative id {value}; ids run from 1 to {m}",
    _kpf.ERR_REPEAT: "alternative {value} appears twice on the line; list each alternative once",
    _kpf.ERR_NESTED: "'{{' inside a tie '{{...}}'; ties cannot be nested",
    _kpf.ERR_CLOSE: "'}}' without a matching '{{'",
    _kpf.ERR_UNCLOSED: "the line ends inside a tie: '{{' is never closed by '}}'",
    _kpf.ERR_EMPTY: "empty entry (',,', '{{}}' or a trailing ','); remove the extra separator",
    _kpf.ERR_CHAR: "unexpected character {char!r}; data lines hold digits, ',', '{{', '}}' and ':'",
    _kpf.ERR_MISSING_SEP: "two entries without a ',' between them",
    _kpf.ERR_HEADER: "header line ('#') after the first data line; the header comes first",
    _kpf.ERR_TOO_MANY: "more data lines than the reader counted (internal error; please report)",
}


def _snake(key: str) -> str:
    return key.strip().lower().replace(" ", "_")


def _unsnake(key: str) -> str:
    return key.upper().replace("_", " ")


def _read_source(source: Any) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if isinstance(source, str) and "\n" in source:
        return source.encode("utf-8"), None
    if isinstance(source, (str, os.PathLike)):
        path = input_file(source, "PrefLib file")
        with open(path, "rb") as fh:
            return fh.read(), path
    raise ValidationError(
        f"`source` must be a path, the text of a PrefLib file or bytes, got {type(source).__name__}"
    )


def _parse_header(buf: bytes, path: str | None) -> tuple[dict, dict, int, int]:
    """Header lines -> (metadata, {key: lineno}, data byte offset, number of header lines)."""
    meta: dict[str, Any] = {}
    where: dict[str, int] = {}
    names: dict[int, str] = {}
    comments: list[str] = []
    pos = 0
    lineno = 0
    n = len(buf)
    while pos < n:
        end = buf.find(b"\n", pos)
        if end < 0:
            end = n
        raw = buf[pos:end]
        stripped = raw.strip()
        if stripped and not stripped.startswith(b"#"):
            break
        lineno += 1
        pos = end + 1
        if not stripped:
            continue
        try:
            text = stripped.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("header line is not valid UTF-8", path=path, lineno=lineno) from None
        mt = _HEADER_RE.match(text)
        if mt is None:
            comments.append(text[1:].strip())
            continue
        key, value = mt.group(1).upper(), mt.group(2).strip()
        am = _ALT_RE.match(key)
        if am:
            try:
                alt = int(am.group(1))
            except ValueError:
                alt = 0
            if alt < 1:
                raise ParseError(f"alternative id {am.group(1)!r} in the header is not a positive "
                                 "integer", path=path, lineno=lineno)
            if alt in names:
                raise ParseError(f"alternative {alt} is named twice in the header",
                                 path=path, lineno=lineno)
            names[alt] = value
            where[f"alt{alt}"] = lineno
            continue
        if key in _COUNT_KEYS:
            try:
                value = int(value)
                if value < 0:
                    raise ValueError
            except ValueError:
                raise ParseError(f"'{key}' must be a non-negative integer, got {mt.group(2)!r}",
                                 path=path, lineno=lineno) from None
        sk = _snake(key)
        if sk in meta:
            raise ParseError(f"header key '{key}' appears twice", path=path, lineno=lineno)
        meta[sk] = value
        where[sk] = lineno
    if names:
        meta["alternative_names"] = dict(sorted(names.items()))
    if comments:
        meta["comments"] = comments
    return meta, where, min(pos, n), lineno


def _ballot_kinds(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kinds = np.empty(ranks.shape[0], np.uint8)
    _kpf.ballot_kinds(np.ascontiguousarray(ranks), kinds)
    return _split_kinds(kinds)


def _split_kinds(kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(complete, strict) masks from the kernels' bit flags."""
    return (kinds & 1) == 0, (kinds & 2) == 0


def infer_data_type(rankings: Rankings) -> str:
    """The most restrictive PrefLib data type that holds every ballot of ``rankings``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> from socialchoice.io import infer_data_type
    >>> infer_data_type(sc.Rankings.from_orders([[0, 1, 2], [2, 1]]))
    'soi'
    >>> infer_data_type(sc.Rankings.from_orders([[0, [1, 2]]]))
    'toc'
    """
    if rankings.batch_shape:
        raise ValidationError("infer_data_type() works on one election; index the batch first")
    complete, strict = _ballot_kinds(np.asarray(rankings.ranks))
    if strict.all():
        return "soc" if complete.all() else "soi"
    return "toc" if complete.all() else "toi"


def _data_line(buf: bytes, start: int, index: int) -> str:
    """Text of the ``index``-th line (0-based) from byte offset ``start``."""
    lines = buf[start:].split(b"\n", index + 1)
    raw = lines[index] if index < len(lines) else b""
    return raw.decode("utf-8", "replace").strip()


_OLD_DATA_RE = re.compile(r"^\d+\s*,\s*\S")


def _check_old_format(buf: bytes, start: int, n_header: int, path: str | None) -> None:
    """The pre-2022 PrefLib format: no '#' header, a bare number of alternatives on line 1,
    then '1,Name' lines and 'count,1,2,3' ballots without ':'."""
    if n_header:
        return
    first, second = _data_line(buf, start, 0), _data_line(buf, start, 1)
    if first.isdigit() and _OLD_DATA_RE.match(second) and b":" not in buf[:4096]:
        raise ParseError(
            "this looks like a PrefLib file in the old (pre-2022) format: a bare number of "
            "alternatives on line 1 and no '# KEY: value' header or 'count: a,b' data lines; "
            "download the current version from preflib.org or convert the file",
            path=path, lineno=1)


def _count_message(line: str) -> str:
    head = line.split(":", 1)[0].strip() if ":" in line else (line.split() or [""])[0]
    tail = " a data line reads 'count: a,b,{c,d}'"
    if not head:
        return "the line has no ballot count before ':';" + tail
    if re.fullmatch(r"-\d+", head):
        return f"the ballot count {head} is negative; counts are positive integers"
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?|\d+[eE][+-]?\d+", head):
        return f"the ballot count {head!r} is not an integer; counts are positive integers"
    if head.isdigit():
        return f"the ballot count {head[:30]} has more than 18 digits; it is too large"
    if any(not ch.isprintable() for ch in head):
        return ("the line starts with unprintable bytes, not a ballot count (is this a binary "
                "file?);" + tail)
    return f"the line starts with {head[:30]!r}, not a ballot count;" + tail


def _parse_error(code: int, value: int, m: int, line: str, lineno: int,
                 path: str | None) -> ParseError:
    if code == _kpf.ERR_COUNT:
        msg = _count_message(line)
    elif code == _kpf.ERR_UNKNOWN_ALT and value == 0:
        msg = "unknown alternative id 0; PrefLib ids start at 1"
    elif code == _kpf.ERR_CHAR and not (32 <= value < 127):
        msg = (f"unexpected byte 0x{value:02x}; data lines hold digits, ',', '{{', '}}' and ':' "
               "(is this a binary or non-PrefLib file?)")
    else:
        msg = _MESSAGES[code].format(value=value, m=m, char=chr(value) if value else "")
    return ParseError(msg, path=path, lineno=lineno)


def _line_of_largest_id(buf: bytes, start: int, limit: int) -> int | None:
    for k, raw in enumerate(buf[start:].split(b"\n")):
        _, sep, rest = raw.partition(b":")
        if sep and any(int(t) > limit for t in re.findall(rb"\d+", rest)):
            return k
    return None


def read_preflib(source: Any, *, expand: bool = False, strict: bool = True) -> Rankings:
    """Read a PrefLib ordinal file (soc, soi, toc or toi) into :class:`~socialchoice.Rankings`.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path, or the file's content (a ``str`` containing a newline, or ``bytes``).
    expand : bool, default False
        False: one row per data line (unique ballot, in file order) with weight = its count.
        True: one unweighted row per voter (each line repeated ``count`` times).
    strict : bool, default True
        Check the header against the data: ``NUMBER ALTERNATIVES`` against the alternative
        names, ``NUMBER VOTERS`` against the summed counts, ``NUMBER UNIQUE ORDERS`` against
        the number of data lines, and ``DATA TYPE`` against the ballots. False skips these
        checks (grammar errors are always reported).

    Returns
    -------
    Rankings
        Candidate labels are the file's ids ``1..m`` (ints, ascending; ``m`` from
        ``NUMBER ALTERNATIVES``, else the largest id seen). ``rankings.metadata`` holds the
        header: ``title``, ``data_type``, ``alternative_names`` (``{id: name}``), the counts
        (``number_voters``, ...) and any other ``# KEY: value`` line under its lower-case key.

    Raises
    ------
    ParseError
        Malformed input; the message and ``.lineno`` give the 1-based line.
    FileNotFoundError
        ``source`` names a file that does not exist.
    ValidationError
        ``source`` is a directory.

    Examples
    --------
    >>> import socialchoice as sc
    >>> text = '''# DATA TYPE: toi
    ... # NUMBER ALTERNATIVES: 3
    ... # ALTERNATIVE NAME 1: x
    ... # ALTERNATIVE NAME 2: y
    ... # ALTERNATIVE NAME 3: z
    ... 3: 1,{2,3}
    ... 2: 3
    ... '''
    >>> prof = sc.read_preflib(text)
    >>> prof.ranks
    array([[ 0,  1,  1],
           [-1, -1,  0]], dtype=int8)
    >>> prof.weights, prof.candidates
    (array([3., 2.]), (1, 2, 3))
    >>> prof.metadata["alternative_names"]
    {1: 'x', 2: 'y', 3: 'z'}
    """
    buf, path = _read_source(source)
    if buf.startswith(b"\xef\xbb\xbf"):  # UTF-8 byte-order mark
        buf = buf[3:]
    if not buf.strip():
        raise ParseError("the file is empty; a PrefLib file has '# KEY: value' header lines "
                         "and 'count: a,b,{c,d}' data lines", path=path)
    nul = buf.find(b"\x00")
    if nul >= 0:
        raise ParseError("the file contains NUL bytes: it is binary, not a PrefLib text file",
                         path=path, lineno=buf.count(b"\n", 0, nul) + 1)
    meta, where, start, n_header = _parse_header(buf, path)
    arr = np.frombuffer(buf, dtype=np.uint8)
    if start >= len(buf) or not buf[start:].strip():
        raise ParseError("the file has a header but no data lines (ballots 'count: a,b,{c,d}')",
                         path=path, lineno=n_header if n_header else None)
    _check_old_format(buf, start, n_header, path)
    names = meta.get("alternative_names", {})
    declared_m = meta.get("number_alternatives")
    if declared_m is not None:
        m = int(declared_m)
        if m > MAX_ALTERNATIVES:
            raise ParseError(f"NUMBER ALTERNATIVES is {m}, more than the {MAX_ALTERNATIVES} this "
                             "reader accepts; is the header right?", path=path,
                             lineno=where["number_alternatives"])
        bad = [a for a in names if a > m]
        if bad:
            raise ParseError(f"alternative id {bad[0]} is named but NUMBER ALTERNATIVES is {m}",
                             path=path, lineno=where[f"alt{bad[0]}"])
        if strict and names and len(names) != m:
            raise ParseError(
                f"NUMBER ALTERNATIVES is {m} but the header names {len(names)} alternatives; "
                "fix the count or the ALTERNATIVE NAME lines (or pass strict=False)",
                path=path, lineno=where["number_alternatives"])
    else:
        m = max(int(_kpf.max_alternative_id(arr, start)), max(names, default=0))
        if m > MAX_ALTERNATIVES:
            k = _line_of_largest_id(buf, start, MAX_ALTERNATIVES)
            raise ParseError(
                f"alternative id larger than {MAX_ALTERNATIVES} and no NUMBER ALTERNATIVES in "
                "the header; is the line right?", path=path,
                lineno=None if k is None else n_header + k + 1)
    if m < 1:
        # no id anywhere: report the first grammar error (a line without ':', letters, ...)
        # rather than the missing alternatives it causes
        cap = int(_kpf.count_lines(arr, start))
        _, code, err_line, value = _kpf.parse_lines(
            arr, start, 1, np.full((cap, 1), -1, np.int8), np.empty(cap, np.int64),
            np.empty(cap, np.int64), np.empty(cap, np.uint8))
        if code != _kpf.OK:
            raise _parse_error(code, value, 1, _data_line(buf, start, int(err_line)),
                               n_header + int(err_line) + 1, path)
        raise ParseError("every ballot is empty and the header has no NUMBER ALTERNATIVES, so "
                         "the file names no alternatives; add '# NUMBER ALTERNATIVES: m'",
                         path=path, lineno=n_header + 1)
    cap = int(_kpf.count_lines(arr, start))
    ranks = np.full((cap, m), -1, dtype=rank_dtype(m))
    counts = np.empty(cap, np.int64)
    line_of = np.empty(cap, np.int64)
    kinds = np.empty(cap, np.uint8)
    n_rows, code, err_line, value = _kpf.parse_lines(arr, start, m, ranks, counts, line_of,
                                                     kinds)
    if code != _kpf.OK:
        raise _parse_error(code, value, m, _data_line(buf, start, int(err_line)),
                           n_header + int(err_line) + 1, path)
    if n_rows == 0:  # only blank lines after the header
        raise ParseError("the file has no data lines (ballots)", path=path)
    ranks = ranks[:n_rows]
    counts = counts[:n_rows]
    if strict:
        _check_counts(meta, where, kinds[:n_rows], counts, line_of, n_header, path)
    if expand:
        ranks = np.repeat(ranks, counts, axis=0)
        weights = None
    else:
        weights = counts.astype(np.float64)
    return Rankings(readonly(np.ascontiguousarray(ranks)), weights, tuple(range(1, m + 1)),
                    metadata=meta, _trusted=True)


def _check_counts(meta, where, kinds, counts, line_of, n_header, path) -> None:
    nv = meta.get("number_voters")
    if nv is not None and int(counts.sum()) != nv:
        raise ParseError(
            f"NUMBER VOTERS is {nv} but the ballot counts sum to {int(counts.sum())}; "
            "fix the header or the counts (or pass strict=False)",
            path=path, lineno=where["number_voters"])
    nu = meta.get("number_unique_orders")
    if nu is not None and len(counts) != nu:
        raise ParseError(
            f"NUMBER UNIQUE ORDERS is {nu} but the file has {len(counts)} data lines; "
            "fix the header (or pass strict=False)",
            path=path, lineno=where["number_unique_orders"])
    dt = meta.get("data_type")
    if dt is None:
        return
    dt_l = str(dt).lower()
    if dt_l not in _HOLDS:
        if dt_l in ("cat", "wmd", "tog", "mjg", "pwg"):
            msg = f"DATA TYPE {dt!r} is not an ordinal type; read_preflib reads {DATA_TYPES}"
        else:
            msg = f"unknown DATA TYPE {dt!r}; expected one of {DATA_TYPES}"
        raise ParseError(msg, path=path, lineno=where["data_type"])
    complete, strict = _split_kinds(kinds)
    bad = np.zeros(len(kinds), bool)
    if dt_l in ("soc", "toc"):
        bad |= ~complete
    if dt_l in ("soc", "soi"):
        bad |= ~strict
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        what = "leaves alternatives unranked" if not complete[r] else "has a tie"
        raise ParseError(
            f"the ballot {what}, but DATA TYPE is {dt_l} ({_DESCRIBE[dt_l]}); "
            "fix the DATA TYPE line (or pass strict=False)",
            path=path, lineno=n_header + int(line_of[r]) + 1)


def write_preflib(
    rankings: Rankings,
    path: str | os.PathLike | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    data_type: str | None = None,
) -> str | None:
    """Write :class:`~socialchoice.Rankings` as a PrefLib file (soc, soi, toc or toi).

    Parameters
    ----------
    rankings : Rankings
        One election (no batch axes). Weights are the ballot counts and must be positive
        integers; rows are written in their order (call ``rankings.unique()`` first to merge
        identical ballots).
    path : str or os.PathLike, optional
        Destination. ``None`` returns the text instead.
    metadata : mapping, optional
        Header fields, merged over ``rankings.metadata`` (keys as produced by
        :func:`read_preflib`: ``title``, ``description``, ``alternative_names``, ...). The counts
        (``number_*``) are always recomputed from the ballots.
    data_type : {"soc", "soi", "toc", "toi"}, optional
        Default: the header's data type if it holds the ballots, else the most restrictive type
        that does (:func:`infer_data_type`).

    Returns
    -------
    str or None
        The file's text when ``path`` is None.

    Notes
    -----
    Candidates labelled ``1..m`` keep their ids; any other labels are written as ids ``1..m``
    in column order with the labels as alternative names (unless ``alternative_names`` is
    given). ``read_preflib(write_preflib(p))`` equals ``p`` for rankings read from PrefLib.

    Examples
    --------
    >>> import socialchoice as sc
    >>> prof = sc.Rankings.from_orders([["a", ["b", "c"]], ["c"]], weights=[3, 2],
    ...                                candidates=["a", "b", "c"])
    >>> print(sc.write_preflib(prof, metadata={"title": "demo"}), end="")
    # TITLE: demo
    # DATA TYPE: toi
    # NUMBER ALTERNATIVES: 3
    # NUMBER VOTERS: 5
    # NUMBER UNIQUE ORDERS: 2
    # ALTERNATIVE NAME 1: a
    # ALTERNATIVE NAME 2: b
    # ALTERNATIVE NAME 3: c
    3: 1,{2,3}
    2: 3
    """
    if not isinstance(rankings, Rankings):
        raise ValidationError(
            f"`rankings` must be a socialchoice.Rankings, got {type(rankings).__name__}"
        )
    if rankings.batch_shape:
        raise ValidationError(
            f"`rankings` has batch shape {rankings.batch_shape}; PrefLib files hold one "
            "election, so write each item separately (rankings[i])"
        )
    meta = rankings.metadata
    if metadata:
        meta.update(dict(metadata))
    w = np.asarray(rankings.weights_or_ones(), dtype=np.float64)
    if (w != np.round(w)).any():
        r = int(np.flatnonzero(w != np.round(w))[0])
        raise ValidationError(
            f"ballot {r} has weight {w[r]}; PrefLib counts are integers (round or rescale the "
            "weights first)"
        )
    if (w < 1).any():
        r = int(np.flatnonzero(w < 1)[0])
        raise ValidationError(
            f"ballot {r} has weight {w[r]:g}; PrefLib counts are >= 1, so drop zero-weight ballots"
        )
    counts = w.astype(np.int64)
    ranks = np.ascontiguousarray(rankings.ranks)
    m = ranks.shape[-1]
    inferred = infer_data_type(rankings)
    if data_type is not None:
        dt = str(data_type).lower()
        if dt not in _HOLDS:
            raise ValidationError(f"`data_type` must be one of {DATA_TYPES}, got {data_type!r}")
        if inferred not in _HOLDS[dt]:
            raise ValidationError(
                f"`data_type`={dt!r} ({_DESCRIBE[dt]}) cannot hold these ballots; they need "
                f"{inferred!r} or a less restrictive type"
            )
    else:
        dt = str(meta.get("data_type", "")).lower()
        if dt not in _HOLDS or inferred not in _HOLDS[dt]:
            dt = inferred
    meta["data_type"] = dt
    cands = rankings.candidates
    if cands == tuple(range(1, m + 1)):
        names = {int(k): str(v) for k, v in dict(meta.get("alternative_names", {})).items()
                 if 1 <= int(k) <= m}
    else:
        names = dict(meta.get("alternative_names") or {i + 1: str(c) for i, c in enumerate(cands)})
    lines = []
    for key in _STANDARD:
        sk = _snake(key)
        if sk in meta:
            lines.append(f"# {key}: {meta[sk]}")
    std = {_snake(k) for k in _STANDARD} | {_snake(k) for k in _COUNT_KEYS}
    for sk, v in meta.items():
        if sk not in std and sk not in ("alternative_names", "comments"):
            lines.append(f"# {_unsnake(sk)}: {v}")
    lines.append(f"# NUMBER ALTERNATIVES: {m}")
    lines.append(f"# NUMBER VOTERS: {int(counts.sum())}")
    lines.append(f"# NUMBER UNIQUE ORDERS: {len(counts)}")
    for i, name in sorted(names.items()):
        lines.append(f"# ALTERNATIVE NAME {i}: {name}")
    for c in meta.get("comments", []):
        lines.append(f"# {c}")
    header = ("\n".join(lines) + "\n").encode("utf-8")
    ids = np.arange(1, m + 1, dtype=np.int64)
    digits = len(str(m))
    out = np.empty(len(counts) * (22 + m * (digits + 3)) + 1, np.uint8)
    nbytes = _kpf.write_lines(ranks, counts, ids, out)
    data = out[:nbytes].tobytes()
    if path is None:
        return (header + data).decode("utf-8")
    with open(output_file(path, "PrefLib file"), "wb") as fh:
        fh.write(header)
        fh.write(data)
    return None
