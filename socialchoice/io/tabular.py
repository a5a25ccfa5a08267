"""Long-format tables (one row per rating) <-> :class:`Ratings` / :class:`Rankings`.

A long table has one row per (item, rater, alternative) with the rating (or the rank level) in
a value column, optional per-rater attribute columns (e.g. a demographic group) and an optional
per-(item, rater) weight column. :func:`to_dataframe` is the inverse of :func:`from_dataframe`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import ParseError, ProfileError, ValidationError
from ..profiles import Rankings, Ratings
from ._paths import check_column, input_file

__all__ = ["from_dataframe", "to_dataframe", "read_csv"]


class _RowError(ProfileError):
    """A ProfileError tied to a row position of the table (read_csv turns it into a line)."""

    def __init__(self, message: str, *, row: int):
        super().__init__(message)
        self.row = row


def _as_frame(data: Any):
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, Mapping):
        return pd.DataFrame(dict(data))
    raise ValidationError(f"`df` must be a pandas DataFrame or a mapping of columns, "
                          f"got {type(data).__name__}")


def _factorize(df, col: str, sort: bool) -> tuple[np.ndarray, tuple]:
    import pandas as pd

    s = df[col]
    try:
        codes, uniques = pd.factorize(s, sort=sort)
    except TypeError:  # labels of mixed, unorderable types: keep first appearance
        codes, uniques = pd.factorize(s, sort=False)
    if (codes < 0).any():
        r = int(np.flatnonzero(codes < 0)[0])
        raise _RowError(f"column {col!r} row {df.index[r]!r} is missing; every row needs "
                        f"a {col}", row=r)
    return codes.astype(np.int64), tuple(pd.Index(uniques).tolist())


def _numeric(df, col: str, what: str) -> np.ndarray:
    import pandas as pd

    s = df[col]
    num = pd.to_numeric(s, errors="coerce")
    bad = (num.isna() & s.notna()).to_numpy()
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise _RowError(f"column {col!r} row {df.index[r]!r} holds {s.iloc[r]!r}, which is not "
                        f"a number; {what} must be numeric (leave a cell empty for missing)", row=r)
    a = num.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(a).any():
        r = int(np.flatnonzero(np.isinf(a))[0])
        raise _RowError(f"column {col!r} row {df.index[r]!r} is {a[r]}; {what} must be finite",
                        row=r)
    return a


def from_dataframe(
    df: Any,
    *,
    rater: str = "rater",
    item: str | None = "item",
    alternative: str = "alternative",
    rating: str = "rating",
    rank: str = "rank",
    attributes: Sequence[str] | None = None,
    weight: str | None = None,
    sort: bool = True,
) -> Ratings | Rankings:
    """Build :class:`Ratings` (or :class:`Rankings`) from a long table.

    Parameters
    ----------
    df : pandas.DataFrame or mapping of column -> array
        One row per (item, rater, alternative).
    rater, item, alternative : str
        Column names. ``item=None`` builds a single election (no batch axis); with the default
        ``"item"`` and no such column, the table is read as a single election too.
    rating : str
        Column of numeric ratings (higher = better; NaN or empty = missing). If the table has
        no such column but has the ``rank`` column, a :class:`Rankings` is built instead.
    rank : str
        Column of rank levels (0 = best, equal = tie, -1 or empty = unranked).
    attributes : sequence of str, optional
        Per-rater columns (e.g. ``["group"]``), constant within a rater; they become
        ``rater_attributes`` (``voter_attributes`` for Rankings).
    weight : str, optional
        Column of rater weights, constant within each (item, rater); default unit weights.
        A rater with no row for an item gets weight 0 there.
    sort : bool, default True
        Sort item, rater and alternative labels ascending (first-appearance order when the
        labels cannot be compared, or when False).

    Returns
    -------
    Ratings or Rankings
        Shape ``(n_items, n_raters, n_alternatives)`` with ``items`` labels and
        ``batch_dims=(item,)``, or ``(n_raters, n_alternatives)`` without an item column.
        Rankings keep the rater labels in ``metadata["raters"]``.

    Raises
    ------
    ValidationError
        Missing columns; a duplicate (item, rater, alternative) row; a non-numeric rating (the
        message names the column and the row); an attribute or weight that varies within a rater.

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> df = pd.DataFrame({"rater": ["r1", "r1", "r2"], "alternative": ["x", "y", "x"],
    ...                    "rating": [4, 2, 5], "group": ["a", "a", "b"]})
    >>> rat = sc.from_dataframe(df, attributes=["group"])
    >>> rat.values
    array([[ 4.,  2.],
           [ 5., nan]])
    >>> rat.raters, rat.candidates, rat.rater_attributes["group"].tolist()
    (('r1', 'r2'), ('x', 'y'), ['a', 'b'])
    >>> sc.to_dataframe(rat)["rating"].tolist()
    [4.0, 2.0, 5.0]
    """
    import pandas as pd

    df = _as_frame(df)
    for arg, name in (("rater", rater), ("alternative", alternative), ("rating", rating),
                      ("rank", rank)):
        check_column(name, arg)
    check_column(item, "item", optional=True)
    check_column(weight, "weight", optional=True)
    if attributes is not None:
        if isinstance(attributes, str):
            attributes = [attributes]
        for a in attributes:
            check_column(a, "attributes")
    cols = set(df.columns)
    if rating in cols:
        value, kind = rating, "ratings"
    elif rank in cols:
        value, kind = rank, "rankings"
    else:
        raise ValidationError(
            f"the table has neither a {rating!r} (ratings) nor a {rank!r} (ranks) column; "
            f"columns are {list(df.columns)}; pass rating= or rank="
        )
    if item is not None and item not in cols and item == "item":
        item = None
    need = [c for c in (rater, alternative, item, weight, *(attributes or ())) if c is not None]
    missing = [c for c in need if c not in cols]
    if missing:
        arg = {rater: "rater", alternative: "alternative", item: "item", weight: "weight"}.get(
            missing[0], "attributes")
        raise ValidationError(f"`{arg}`={missing[0]!r}: the table has no column "
                              f"{missing[0]!r}; columns are {list(df.columns)}")
    if len(df) == 0:
        raise ValidationError("the table has no rows; pass at least one rating")
    rr, raters = _factorize(df, rater, sort)
    aa, alts = _factorize(df, alternative, sort)
    if item is not None:
        ii, items = _factorize(df, item, sort)
    else:
        ii, items = np.zeros(len(df), np.int64), None
    n_items = 1 if items is None else len(items)
    n, m = len(raters), len(alts)
    vals = _numeric(df, value, "ratings" if kind == "ratings" else "ranks")
    lin = (ii * n + rr) * m + aa
    order = np.argsort(lin, kind="stable")
    dup = np.flatnonzero(lin[order][1:] == lin[order][:-1])
    if dup.size:
        first, second = sorted((int(order[dup[0]]), int(order[dup[0] + 1])))
        where = f"item {items[ii[second]]!r}, " if items is not None else ""
        raise _RowError(
            f"rows {df.index[first]!r} and {df.index[second]!r} both rate {where}rater "
            f"{raters[rr[second]]!r}, alternative {alts[aa[second]]!r}; keep one row per "
            "(item, rater, alternative) (e.g. df.drop_duplicates or the latest vote)", row=second)
    key2 = ii * n + rr
    weights = None
    if weight is not None:
        w = _numeric(df, weight, "weights")
        if np.isnan(w).any():
            r = int(np.flatnonzero(np.isnan(w))[0])
            raise _RowError(f"column {weight!r} row {df.index[r]!r} is missing; every row needs "
                            "a weight", row=r)
        lo = np.full(n_items * n, np.inf)
        hi = np.full(n_items * n, -np.inf)
        np.minimum.at(lo, key2, w)
        np.maximum.at(hi, key2, w)
        if (lo < hi).any():
            k = int(np.flatnonzero(lo < hi)[0])
            raise ValidationError(
                f"column {weight!r} varies within rater {raters[k % n]!r}"
                + (f" on item {items[k // n]!r}" if items is not None else "")
                + "; a weight belongs to a rater (per item)"
            )
        wf = np.where(np.isfinite(lo), lo, 0.0).reshape(n_items, n)
        weights = wf if items is not None else wf[0]
    attrs = {}
    if attributes:
        first_row = np.full(n, -1, np.int64)
        ordr = np.argsort(rr, kind="stable")
        uniq, idx = np.unique(rr[ordr], return_index=True)
        first_row[uniq] = ordr[idx]
        for col in attributes:
            v = df[col].to_numpy()
            ref = v[first_row[rr]]
            both_na = pd.isna(v) & pd.isna(ref)
            same = np.asarray(pd.Series(v, dtype=object) == pd.Series(ref, dtype=object)) | both_na
            if not same.all():
                r = int(np.flatnonzero(~same)[0])
                raise _RowError(
                    f"column {col!r} row {df.index[r]!r} gives rater {raters[rr[r]]!r} the value "
                    f"{v[r]!r}, but an earlier row gives {ref[r]!r}; a rater attribute must be "
                    "constant within a rater", row=r)
            attrs[col] = v[first_row]
    shape = (n_items, n, m)
    if kind == "ratings":
        out = np.full(shape, np.nan)
        out.reshape(-1)[lin] = vals
        if items is None:
            out = out[0]
        return Ratings(out, weights, raters, candidates=alts, rater_attributes=attrs,
                       batch_dims=None if items is None else (item,), items=items)
    ok = np.isnan(vals) | ((vals == np.round(vals)) & (vals >= -1))
    if not ok.all():
        r = int(np.flatnonzero(~ok)[0])
        raise _RowError(f"column {rank!r} row {df.index[r]!r} is {vals[r]!r}; rank levels are "
                        "integers >= 0 (-1 or empty = unranked)", row=r)
    ranks = np.full(shape, -1, np.int64)
    ranks.reshape(-1)[lin] = np.where(np.isnan(vals), -1, vals).astype(np.int64)
    if items is None:
        ranks = ranks[0]
    return Rankings(ranks, weights, alts, voter_attributes=attrs,
                    batch_dims=None if items is None else (item,), items=items,
                    metadata={"raters": list(raters)})


def to_dataframe(
    profile: Ratings | Rankings,
    *,
    dropna: bool = True,
    rater: str = "rater",
    alternative: str = "alternative",
    value: str | None = None,
):
    """Long table of a :class:`Ratings` or :class:`Rankings`, the inverse of :func:`from_dataframe`.

    Parameters
    ----------
    profile : Ratings or Rankings
    dropna : bool, default True
        Leave out missing ratings (NaN) / unranked candidates (-1). With False every
        (item, rater, alternative) cell gets a row, so raters or alternatives with no rating
        at all survive a round trip.
    rater, alternative : str
        Column names; item columns are named by the batch dims (default ``"item"``).
    value : str, optional
        Name of the value column; default ``"rating"`` (Ratings) or ``"rank"`` (Rankings).

    Returns
    -------
    pandas.DataFrame
        Columns: item column(s), ``rater``, ``alternative``, the value, ``weight`` (only if the
        profile is weighted) and one column per rater attribute; rows in (item, rater,
        alternative) order.

    Examples
    --------
    >>> import socialchoice as sc
    >>> prof = sc.Rankings.from_orders([[1, 0], [0]], n_candidates=2)
    >>> sc.to_dataframe(prof)
       rater  alternative  rank
    0      0            0     1
    1      0            1     0
    2      1            0     0
    """
    import pandas as pd

    if isinstance(profile, Ratings):
        data = np.asarray(profile.values)
        raters = profile.raters
        value = value or "rating"
        present = ~np.isnan(data)
        attrs = profile.rater_attributes
    elif isinstance(profile, Rankings):
        data = np.asarray(profile.ranks)
        md_raters = profile.metadata.get("raters")
        n = data.shape[-2]
        raters = tuple(md_raters) if md_raters is not None and len(md_raters) == n else tuple(range(n))
        value = value or "rank"
        present = data >= 0
        attrs = profile.voter_attributes
    else:
        raise ValidationError(
            f"`profile` must be a socialchoice Ratings or Rankings, got {type(profile).__name__}"
        )
    batch = data.shape[:-2]
    bdims = profile._batch_dims or (("item",) if len(batch) == 1
                                    else tuple(f"item_{i}" for i in range(len(batch))))
    idx = np.unravel_index(np.arange(data.size), data.shape)
    keep = np.ones(data.size, bool) if not dropna else present.reshape(-1)
    cols: dict[str, Any] = {}
    for k, d in enumerate(bdims):
        labels = profile.items if (len(batch) == 1 and profile.items is not None) \
            else tuple(range(batch[k]))
        cols[d] = pd.Index(list(labels)).take(idx[k][keep])
    rpos = idx[-2][keep]
    cols[rater] = pd.Index(list(raters)).take(rpos)
    cols[alternative] = pd.Index(list(profile.candidates)).take(idx[-1][keep])
    cols[value] = data.reshape(-1)[keep]
    if profile.weights is not None:
        cols["weight"] = np.asarray(profile.weights).reshape(-1)[
            np.ravel_multi_index(idx[:-1], data.shape[:-1])[keep]]
    for name, v in attrs.items():
        cols[name] = np.asarray(v)[rpos]
    out = pd.DataFrame({k: np.asarray(v) if not isinstance(v, pd.Index) else v.to_numpy()
                        for k, v in cols.items()})
    return out


def read_csv(
    path: str | os.PathLike,
    *,
    rater: str = "rater",
    item: str | None = "item",
    alternative: str = "alternative",
    rating: str = "rating",
    rank: str = "rank",
    attributes: Sequence[str] | None = None,
    weight: str | None = None,
    sort: bool = True,
    **read_kwargs: Any,
) -> Ratings | Rankings:
    """Read a long-format CSV file with :func:`pandas.read_csv` and :func:`from_dataframe`.

    Parameters
    ----------
    path : str or os.PathLike
    rater, item, alternative, rating, rank, attributes, weight, sort
        As in :func:`from_dataframe`.
    **read_kwargs
        Passed to :func:`pandas.read_csv` (e.g. ``sep=";"``).

    Raises
    ------
    ParseError
        Unreadable CSV, or a bad row (non-numeric rating, duplicate, ...); ``lineno`` is the
        1-based line of the offending row when the file has one header line.
    FileNotFoundError
        No such file.
    ValidationError
        ``path`` is a directory; a column argument names no column (the message lists them).

    Examples
    --------
    >>> import os, tempfile, socialchoice as sc
    >>> path = os.path.join(tempfile.mkdtemp(), "r.csv")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("rater,alternative,rating\\nr1,x,4\\nr1,y,2\\nr2,x,5\\n")
    >>> sc.read_csv(path).values
    array([[ 4.,  2.],
           [ 5., nan]])
    """
    import pandas as pd

    p = input_file(path, "CSV file")
    try:
        df = pd.read_csv(p, **read_kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ParseError(f"not a readable CSV file: {str(exc).strip()}", path=p) from None
    except ValueError as exc:  # e.g. a NUL byte or a bad read_csv option value
        raise ParseError(f"not a readable CSV file: {' '.join(str(exc).split())}",
                         path=p) from None
    try:
        return from_dataframe(df, rater=rater, item=item, alternative=alternative, rating=rating,
                              rank=rank, attributes=attributes, weight=weight, sort=sort)
    except _RowError as exc:
        line = exc.row + 2 if "header" not in read_kwargs and "skiprows" not in read_kwargs \
            else None
        raise ParseError(str(exc), path=p, lineno=line) from None

