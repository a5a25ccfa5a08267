"""PrefLib data-line kernels: one pass over a ``uint8`` buffer, and the inverse writer.

A data line is ``count: a,b,{c,d},e`` (ids from 1, ``{...}`` a tie). Whitespace (space, tab,
``\\r``) is allowed anywhere between tokens. The parser writes levels into a ``(cap, m)`` array
pre-filled with ``-1``: each single id or tie block takes the next level, so levels come out
already normalised. No validation beyond the grammar happens here; errors are reported as codes
for the Python layer to turn into messages.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import NJIT

# error codes (kept in sync with socialchoice.io.preflib)
OK = 0
ERR_COUNT = 1          # count missing or not an integer
ERR_ZERO_COUNT = 2     # count is 0
ERR_NO_COLON = 3       # count not followed by ':'
ERR_UNKNOWN_ALT = 4    # id outside 1..m
ERR_REPEAT = 5         # id listed twice on one line
ERR_NESTED = 6         # '{' inside '{...}'
ERR_CLOSE = 7          # '}' without '{'
ERR_UNCLOSED = 8       # line ends inside '{...}'
ERR_EMPTY = 9          # empty entry: ',,' or '{}' or trailing ','
ERR_CHAR = 10          # unexpected character
ERR_MISSING_SEP = 11   # two entries without ',' between them
ERR_HEADER = 12        # a '#' line after the first data line
ERR_TOO_MANY = 13      # more data lines than the buffer holds (cannot happen with count_lines)

_BIG = 1 << 60


@njit(**NJIT)
def count_lines(buf, start):
    """Upper bound on the number of lines from ``start`` (newlines + 1)."""
    n = 1
    for i in range(start, buf.shape[0]):
        if buf[i] == 10:
            n += 1
    return n


@njit(**NJIT)
def max_alternative_id(buf, start):
    """Largest integer after the first ':' of any line (0 if none); grammar is not checked."""
    best = 0
    i = start
    n = buf.shape[0]
    after = False
    val = 0
    indigit = False
    while i < n:
        ch = buf[i]
        if ch == 10:
            if indigit and after and val > best:
                best = val
            after = False
            indigit = False
            val = 0
        elif not after:
            if ch == 58:
                after = True
        elif 48 <= ch <= 57:
            if not indigit:
                indigit = True
                val = 0
            if val < _BIG:
                val = val * 10 + (ch - 48)
        else:
            if indigit and val > best:
                best = val
            indigit = False
        i += 1
    if indigit and after and val > best:
        best = val
    return best


@njit(**NJIT)
def parse_lines(buf, start, m, ranks, counts, line_of, kinds):
    """Parse data lines from byte offset ``start``.

    Returns ``(n_rows, code, err_line, err_value)``; ``err_line`` counts lines from ``start``
    (0-based), ``line_of[r]`` is that line index for row ``r`` and ``kinds[r]`` has bit 1 set
    if the ballot leaves an alternative unranked and bit 2 if it has a tie.
    """
    n = buf.shape[0]
    cap = ranks.shape[0]
    i = start
    line = 0
    row = 0
    while i < n:
        # leading whitespace
        while i < n and (buf[i] == 32 or buf[i] == 9 or buf[i] == 13):
            i += 1
        if i >= n:
            break
        ch = buf[i]
        if ch == 10:
            i += 1
            line += 1
            continue
        if ch == 35:  # '#'
            return row, ERR_HEADER, line, 0
        # count
        cnt = 0
        nd = 0
        while i < n and 48 <= buf[i] <= 57:
            if nd < 18:
                cnt = cnt * 10 + (buf[i] - 48)
            nd += 1
            i += 1
        if nd == 0 or nd > 18:
            return row, ERR_COUNT, line, 0
        while i < n and (buf[i] == 32 or buf[i] == 9 or buf[i] == 13):
            i += 1
        if i >= n or buf[i] != 58:
            if i < n and buf[i] != 10 and not (48 <= buf[i] <= 57) and buf[i] != 44:
                return row, ERR_COUNT, line, 0
            return row, ERR_NO_COLON, line, 0
        if cnt == 0:
            return row, ERR_ZERO_COUNT, line, 0
        if row >= cap:
            return row, ERR_TOO_MANY, line, 0
        i += 1
        level = 0
        in_group = False
        expect = True     # an entry may start here
        seen_sep = False  # a ',' or '{' was seen since the last entry
        n_items = 0
        group_size = 0
        tied = False
        while i < n:
            ch = buf[i]
            if ch == 10:
                break
            if ch == 32 or ch == 9 or ch == 13:
                i += 1
                continue
            if 48 <= ch <= 57:
                if not expect:
                    return row, ERR_MISSING_SEP, line, 0
                v = 0
                while i < n and 48 <= buf[i] <= 57:
                    if v <= m:
                        v = v * 10 + (buf[i] - 48)
                    i += 1
                if v < 1 or v > m:
                    return row, ERR_UNKNOWN_ALT, line, v
                if ranks[row, v - 1] != -1:
                    return row, ERR_REPEAT, line, v
                ranks[row, v - 1] = level
                if not in_group:
                    level += 1
                else:
                    group_size += 1
                n_items += 1
                expect = False
                seen_sep = False
                continue
            if ch == 44:  # ','
                if expect:
                    return row, ERR_EMPTY, line, 0
                expect = True
                seen_sep = True
            elif ch == 123:  # '{'
                if in_group:
                    return row, ERR_NESTED, line, 0
                if not expect:
                    return row, ERR_MISSING_SEP, line, 0
                in_group = True
                group_size = 0
                expect = True
                seen_sep = True
            elif ch == 125:  # '}'
                if not in_group:
                    return row, ERR_CLOSE, line, 0
                if expect:
                    return row, ERR_EMPTY, line, 0
                in_group = False
                if group_size > 1:
                    tied = True
                level += 1
                expect = False
            else:
                return row, ERR_CHAR, line, ch
            i += 1
        if in_group:
            return row, ERR_UNCLOSED, line, 0
        if seen_sep and expect:
            return row, ERR_EMPTY, line, 0
        counts[row] = cnt
        line_of[row] = line
        kinds[row] = (1 if n_items < m else 0) + (2 if tied else 0)
        row += 1
        # i is at '\n' or EOF
        if i < n:
            i += 1
            line += 1
    return row, OK, line, 0


@njit(**NJIT)
def _put_int(out, pos, v):
    if v == 0:
        out[pos] = 48
        return pos + 1
    nd = 0
    t = v
    while t > 0:
        nd += 1
        t //= 10
    p = pos + nd - 1
    while v > 0:
        out[p] = 48 + v % 10
        v //= 10
        p -= 1
    return pos + nd


@njit(**NJIT)
def write_lines(ranks, counts, ids, out):
    """Write ``count: a,b,{c,d}`` lines into ``out``; returns the number of bytes used.

    ``ids[c]`` is the PrefLib id of column ``c``; unranked (-1) columns are left out. Levels
    must be normalised (consecutive from 0), as in :class:`~socialchoice.Rankings`.
    """
    n, m = ranks.shape
    pos = 0
    members = np.empty(m, np.int64)
    size = np.zeros(m + 1, np.int64)
    first_of = np.zeros(m + 1, np.int64)
    for r in range(n):
        pos = _put_int(out, pos, counts[r])
        out[pos] = 58
        out[pos + 1] = 32
        pos += 2
        for lev in range(m + 1):
            size[lev] = 0
        top = -1
        for c in range(m):
            v = ranks[r, c]
            if v >= 0:
                size[v] += 1
                if v > top:
                    top = v
        acc = 0
        for lev in range(top + 1):
            first_of[lev] = acc
            acc += size[lev]
        for lev in range(top + 1):
            size[lev] = 0
        for c in range(m):  # bucket the ranked columns by level, column order within a level
            v = ranks[r, c]
            if v >= 0:
                members[first_of[v] + size[v]] = c
                size[v] += 1
        for lev in range(top + 1):
            k = size[lev]
            if lev > 0:
                out[pos] = 44
                pos += 1
            if k > 1:
                out[pos] = 123
                pos += 1
            for j in range(k):
                if j > 0:
                    out[pos] = 44
                    pos += 1
                pos = _put_int(out, pos, ids[members[first_of[lev] + j]])
            if k > 1:
                out[pos] = 125
                pos += 1
        if top < 0:  # empty ballot: "count:" without a trailing space
            pos -= 1
        out[pos] = 10
        pos += 1
    return pos


@njit(**NJIT)
def ballot_kinds(ranks, kinds):
    """``kinds[r]``: bit 1 = some alternative unranked, bit 2 = a tie among ranked ones."""
    n, m = ranks.shape
    for r in range(n):
        ranked = 0
        top = -1
        for c in range(m):
            v = ranks[r, c]
            if v >= 0:
                ranked += 1
                if v > top:
                    top = v
        kinds[r] = (1 if ranked < m else 0) + (2 if top + 1 != ranked else 0)
