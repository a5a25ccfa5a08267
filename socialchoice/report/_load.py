"""Read the user's data for ``socialchoice report``: a profile, or a table of distributions.

Every problem with the input becomes one :class:`~socialchoice.errors.ParseError` naming the
file (and the line where there is one), so that the command line prints one clear line.
Formats, chosen by extension:

- PrefLib ``.soc``, ``.soi``, ``.toc``, ``.toi`` -> :func:`socialchoice.io.read_preflib`;
- long tables ``.csv``, ``.tsv``, ``.txt`` (optionally ``.gz``), ``.parquet``:
  - with ``a``, ``b`` and ``outcome`` columns: RLHF pairwise records
    (:meth:`socialchoice.Pairwise.from_records`, per group with ``--attribute``);
  - with a ``distribution`` column: answer distributions per (question, group), as in
    GlobalOpinionQA (the distributional-alignment section only);
  - otherwise one row per (item, rater, alternative) rating or rank level
    (:func:`socialchoice.io.read_csv` / :func:`socialchoice.io.from_dataframe`);
- ``.nc`` netCDF files and ``.zarr`` stores written by :mod:`socialchoice.io`.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParseError, SocialChoiceError

__all__ = ["Data", "load", "load_model", "PREFLIB_EXT", "TABLE_EXT"]

PREFLIB_EXT = (".soc", ".soi", ".toc", ".toi")
TABLE_EXT = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".parquet")
STORE_EXT = (".nc", ".netcdf", ".zarr")


@dataclass
class Data:
    """What the report works on.

    Attributes
    ----------
    kind : {"rankings", "ratings", "pairwise", "distributions"}
    profile : Rankings, Ratings, Pairwise or None
    table : pandas.DataFrame or None
        The long table as read (pairwise records, distributions, or ratings for group effects).
    path : str
    fmt : str
        ``"preflib"``, ``"csv"``, ``"parquet"``, ``"netcdf"``, ``"zarr"``.
    columns : dict
        The column names used (rater, item, alternative, value, attributes, ...).
    labels : dict
        Display names of the alternatives (PrefLib names, or a demo's statement labels).
    title : str
    notes : list of str
    """

    kind: str
    profile: Any
    table: Any
    path: str
    fmt: str
    columns: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    title: str = ""
    notes: list = field(default_factory=list)


def _ext(path: str) -> str:
    low = path.lower().rstrip("/\\")
    for e in (".csv.gz", ".tsv.gz"):
        if low.endswith(e):
            return e
    return os.path.splitext(low)[1]


def _header(path: str, sep: str) -> list[str]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
            row = next(csv.reader(fh, delimiter=sep), None)
    except (UnicodeDecodeError, OSError, csv.Error) as exc:
        if isinstance(exc, (FileNotFoundError, PermissionError)):
            raise
        raise ParseError(f"not a readable text table: {' '.join(str(exc).split())}",
                         path=path) from None
    if not row:
        raise ParseError("the file is empty; expected a header line and one row per rating",
                         path=path, lineno=1)
    return [c.strip() for c in row]


def _wrap(exc: SocialChoiceError, path: str) -> ParseError:
    """A package error from a reader as a ParseError that names the file (once)."""
    if isinstance(exc, ParseError) and exc.path is not None:
        return exc
    lineno = getattr(exc, "lineno", None)
    return ParseError(" ".join(str(exc).split()), path=path, lineno=lineno)


def load(path: str, *, rater: str = "rater", item: str | None = "item",
         alternative: str = "alternative", rating: str = "rating", rank: str = "rank",
         attributes: list[str] | None = None, weight: str | None = None,
         question: str = "question", group: str | None = None) -> Data:
    """Read ``path`` into a :class:`Data` (see the module docstring for the formats).

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "r.csv")
    >>> with open(p, "w") as fh:
    ...     _ = fh.write("rater,alternative,rating\\nr1,x,4\\nr1,y,2\\nr2,x,5\\n")
    >>> d = load(p)
    >>> d.kind, d.profile.candidates
    ('ratings', ('x', 'y'))
    """
    from .. import io

    p = os.fspath(path)
    if not os.path.exists(p):
        raise FileNotFoundError(f"no such file: {p}")
    ext = _ext(p)
    attributes = list(attributes or [])
    cols = dict(rater=rater, item=item, alternative=alternative, rating=rating, rank=rank,
                attributes=attributes, weight=weight)
    try:
        if ext in PREFLIB_EXT:
            prof = io.read_preflib(p)
            if attributes:
                raise ParseError(f"--attribute {attributes[0]!r}: a PrefLib file has no rater "
                                 "attributes; use a long-format CSV with an attribute column",
                                 path=p)
            md = prof.metadata
            return Data("rankings", prof, None, p, "preflib", cols,
                        dict(md.get("alternative_names") or {}), str(md.get("title") or ""))
        if ext in (".nc", ".netcdf") or ext == ".zarr" or os.path.isdir(p):
            prof = io.read_zarr(p) if (ext == ".zarr" or os.path.isdir(p)) else io.read_netcdf(p)
            from ..profiles import Pairwise, Rankings

            kind = ("pairwise" if isinstance(prof, Pairwise)
                    else "rankings" if isinstance(prof, Rankings) else "ratings")
            return Data(kind, prof, None, p, "zarr" if os.path.isdir(p) else "netcdf", cols)
        if ext not in TABLE_EXT:
            raise ParseError(
                f"cannot tell the format from the extension {ext or '(none)'!r}; use a PrefLib "
                f"file ({', '.join(PREFLIB_EXT)}), a long table ({', '.join(TABLE_EXT)}) or a "
                "netCDF/zarr store", path=p)
        sep = "\t" if ext in (".tsv", ".tsv.gz") else ","
        if ext == ".parquet":
            df = _read_parquet(p)
            header = [str(c) for c in df.columns]
        else:
            df = None
            header = _header(p, sep)
        if {"a", "b", "outcome"} <= set(header):
            return _pairwise(p, df, sep, header, cols, item, weight, attributes)
        if "distribution" in header:
            return _distributions(p, df, sep, header, question, group or
                                  (attributes[0] if attributes else None))
        for a in attributes:
            if a not in header:
                raise ParseError(f"--attribute {a!r}: no such column; the columns are "
                                 f"{', '.join(header)}", path=p, lineno=1)
        if df is None:
            prof = io.read_csv(p, rater=rater, item=item, alternative=alternative,
                               rating=rating, rank=rank, attributes=attributes or None,
                               weight=weight, sep=sep)
            table = None
        else:
            prof = io.from_dataframe(df, rater=rater, item=item, alternative=alternative,
                                     rating=rating, rank=rank, attributes=attributes or None,
                                     weight=weight)
            table = df
        from ..profiles import Rankings

        kind = "rankings" if isinstance(prof, Rankings) else "ratings"
        _check_usable(prof, p)
        return Data(kind, prof, table, p, "parquet" if df is not None else "csv", cols)
    except SocialChoiceError as exc:
        raise _wrap(exc, p) from None


def _read_parquet(p: str):
    import pandas as pd

    try:
        return pd.read_parquet(p)
    except ImportError:
        from ..errors import MissingDependencyError

        raise MissingDependencyError(f"{p}: reading Parquet needs pyarrow; "
                                     "pip install pyarrow (or convert the table to CSV)") from None
    except Exception as exc:  # pyarrow's own errors
        raise ParseError(f"not a readable Parquet file: {' '.join(str(exc).split())}",
                         path=p) from None


def _read_table(p: str, df, sep: str):
    import pandas as pd

    if df is not None:
        return df
    try:
        return pd.read_csv(p, sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            ValueError) as exc:
        raise ParseError(f"not a readable CSV file: {' '.join(str(exc).split())}",
                         path=p) from None


def _check_usable(prof, p: str) -> None:
    vals = np.asarray(prof.values if hasattr(prof, "values") else prof.ranks)
    present = ~np.isnan(vals) if vals.dtype.kind == "f" and hasattr(prof, "raters") else vals >= 0
    if not present.any():
        raise ParseError("no usable data: every rating is missing", path=p)
    if prof.n_candidates < 2:
        raise ParseError(f"no usable data: only {prof.n_candidates} alternative "
                         f"({', '.join(map(str, prof.candidates))}); a choice needs at least 2",
                         path=p)


def _pairwise(p, df, sep, header, cols, item, weight, attributes) -> Data:
    from ..profiles import Pairwise

    df = _read_table(p, df, sep)
    if len(df) == 0:
        raise ParseError("no usable data: the table has a header but no records", path=p)
    for a in attributes:
        if a not in df.columns:
            raise ParseError(f"--attribute {a!r}: no such column; the columns are "
                             f"{', '.join(map(str, df.columns))}", path=p, lineno=1)
    it = item if (item is not None and item in df.columns) else None
    if it is not None and df[it].nunique() == 1:
        it = None
    prof = Pairwise.from_records(df, item=it, weight=weight, ties="half")
    if prof.n_candidates < 2:
        raise ParseError("no usable data: the records compare fewer than 2 alternatives", path=p)
    cols = dict(cols, item=it, a="a", b="b", outcome="outcome")
    return Data("pairwise", prof, df, p, "parquet" if p.endswith(".parquet") else "csv", cols)


def _parse_distribution(v: Any, p: str, row: int) -> np.ndarray:
    try:
        arr = np.asarray(json.loads(v) if isinstance(v, str) else v, dtype=float)
    except (ValueError, TypeError):
        raise ParseError(f"column 'distribution' holds {str(v)[:40]!r}, not a JSON list of "
                         "numbers", path=p, lineno=row + 2) from None
    if arr.ndim != 1 or arr.size < 2 or not np.isfinite(arr).all() or (arr < 0).any():
        raise ParseError("column 'distribution' must be a list of at least 2 non-negative "
                         "numbers", path=p, lineno=row + 2)
    return arr


def _distributions(p, df, sep, header, question, group) -> Data:
    import pandas as pd

    df = _read_table(p, df, sep)
    if len(df) == 0:
        raise ParseError("no usable data: the table has a header but no rows", path=p)
    qcol = question if question in df.columns else ("question_id" if "question_id" in df.columns
                                                      else None)
    if qcol is None:
        raise ParseError(f"a distribution table needs a {question!r} column; the columns are "
                         f"{', '.join(map(str, df.columns))}", path=p, lineno=1)
    gcol = group if group is not None else next(
        (c for c in ("group", "country") if c in df.columns), None)
    if gcol is not None and gcol not in df.columns:
        raise ParseError(f"--attribute {gcol!r}: no such column; the columns are "
                         f"{', '.join(map(str, df.columns))}", path=p, lineno=1)
    out = pd.DataFrame({"question": df[qcol].astype(str).to_numpy()})
    for alt in ("question_id", "question"):
        if alt in df.columns and alt != qcol:  # another key a --model table may use
            out["question_key"] = df[alt].astype(str).to_numpy()
    out["group"] = df[gcol].astype(str).to_numpy() if gcol is not None else "all"
    out["distribution"] = [_parse_distribution(v, p, i) for i, v in enumerate(df["distribution"])]
    if "options" in df.columns:
        out["options"] = [json.loads(o) if isinstance(o, str) and o.startswith("[") else o
                          for o in df["options"]]
    cols = {"question": qcol, "group": gcol}
    return Data("distributions", None, out, p, "csv", cols,
                notes=[f"{len(out)} (question, group) distributions"])


def load_model(path: str, *, question: str = "question") -> Any:
    """Read a ``--model`` table: ``question``, ``distribution`` (JSON list) [, ``group``].

    Returns a DataFrame in the form :mod:`socialchoice.divergence.pluralism` expects.
    """
    import pandas as pd

    p = os.fspath(path)
    if not os.path.exists(p):
        raise FileNotFoundError(f"no such file: {p}")
    ext = _ext(p)
    df = _read_parquet(p) if ext == ".parquet" else _read_table(
        p, None, "\t" if ext in (".tsv", ".tsv.gz") else ",")
    qcol = question if question in df.columns else ("question_id" if "question_id" in df.columns
                                                      else None)
    if qcol is None or "distribution" not in df.columns:
        raise ParseError("a --model table needs 'question' and 'distribution' columns "
                         f"(a JSON list per row); the columns are {', '.join(map(str, df.columns))}",
                         path=p, lineno=1)
    if len(df) == 0:
        raise ParseError("no usable data: the --model table has no rows", path=p)
    out = pd.DataFrame({"question": df[qcol].astype(str).to_numpy()})
    out["distribution"] = [_parse_distribution(v, p, i) for i, v in enumerate(df["distribution"])]
    if "group" in df.columns:
        out["group"] = df["group"].astype(str).to_numpy()
    return out
