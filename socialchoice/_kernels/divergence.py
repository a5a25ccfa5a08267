"""Row-wise divergence kernels between discrete distributions (spec/divergences.md §1-2).

Every kernel works on 2-D C-contiguous arrays ``p`` (n, K) and ``q`` (nq, K), with nq equal
to n or 1 (one reference row broadcast over all rows), and writes one value per row. The
normalisation (division by the row sum), additive smoothing and the checks the public layer
needs (negative, inf or NaN entries, wrong sums, all-zero rows) are fused into the same pass
over each row, so a row is read from memory once. Problems are not raised here: each row gets
a bit flag (``FLAG_*``, the q flags shifted by ``QSHIFT``) and a NaN value, and the public
layer turns the flags into errors or warnings.

Zero conventions (§1): ``0 log(0/q) = 0``, ``p log(p/0) = +inf`` for p > 0, Pearson terms with
``q = 0 < p`` are ``+inf`` and terms with both zero contribute 0.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL

FLAG_NEG = 1
FLAG_INF = 2
FLAG_NAN = 4
FLAG_SUM = 8
FLAG_ZERO = 16
QSHIFT = 5

KL = 0
JS = 1
TV = 2
HELLINGER = 3
PEARSON = 4
NEYMAN = 5
SQEUCLID = 6
EXPECTED_BRIER = 7
W1 = 8
CRAMER = 9
ENTROPY = 10


@njit(**NJIT)
def _detail(x, y, omit):
    """Classify a row whose sum was not finite or whose minimum was negative."""
    f = 0
    for k in range(x.shape[0]):
        a = x[k]
        if omit and (a != a or y[k] != y[k]):
            continue
        if a != a:
            f |= FLAG_NAN
        elif a < 0:
            f |= FLAG_NEG
            if a == -np.inf:
                f |= FLAG_INF
        elif a == np.inf:
            f |= FLAG_INF
    return f


@njit(**NJIT)
def _prep(x, y, alpha, normalize, omit, tol):
    """Scale so that ``(x_k + alpha) * scale`` is the normalised (smoothed) row, plus flags."""
    s = 0.0
    mn = 0.0
    kk = 0
    if omit:
        for k in range(x.shape[0]):
            a = x[k]
            b = y[k]
            if a != a or b != b:
                continue
            s += a
            mn = a if a < mn else mn
            kk += 1
    else:
        for k in range(x.shape[0]):
            a = x[k]
            s += a
            mn = a if a < mn else mn
        kk = x.shape[0]
    f = 0
    if not (s - s == 0.0) or mn < 0:  # nan/inf sum or a negative entry
        f = _detail(x, y, omit)
        return 0.0, f
    if normalize:
        d = s + kk * alpha
        if d == 0.0:
            return 0.0, FLAG_ZERO
    else:
        if abs(s - 1.0) > tol:
            f |= FLAG_SUM
        d = 1.0 + kk * alpha
    return 1.0 / d, f


@njit(**NJIT)
def _row(kind, x, y, ax, cx, ay, cy, omit, pos):
    K = x.shape[0]
    acc = 0.0
    if kind == KL:
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            a = (x[k] + ax) * cx
            b = (y[k] + ay) * cy
            if a > 0.0:
                if b > 0.0:
                    acc += a * math.log(a / b)
                else:
                    acc = np.inf
        return acc if acc > 0.0 else 0.0  # KL >= 0; rounding can give -1e-16
    if kind == JS:
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            a = (x[k] + ax) * cx
            b = (y[k] + ay) * cy
            m = (a + b) * 0.5
            if a > 0.0:
                acc += a * math.log(a / m)
            if b > 0.0:
                acc += b * math.log(b / m)
        return 0.5 * acc if acc > 0.0 else 0.0
    if kind == TV:
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            acc += abs((x[k] + ax) * cx - (y[k] + ay) * cy)
        return 0.5 * acc
    if kind == HELLINGER:
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            d = math.sqrt((x[k] + ax) * cx) - math.sqrt((y[k] + ay) * cy)
            acc += d * d
        return math.sqrt(0.5 * acc)
    if kind == PEARSON or kind == NEYMAN:
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            a = (x[k] + ax) * cx
            b = (y[k] + ay) * cy
            r = b if kind == PEARSON else a
            d = a - b
            if r > 0.0:
                acc += d * d / r
            elif d != 0.0:
                acc = np.inf
        return acc
    if kind == SQEUCLID or kind == EXPECTED_BRIER:
        ss = 0.0
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            a = (x[k] + ax) * cx
            b = (y[k] + ay) * cy
            acc += (a - b) * (a - b)
            ss += b * b
        if kind == EXPECTED_BRIER:
            return acc + 1.0 - ss
        return acc
    if kind == W1 or kind == CRAMER:
        D = 0.0
        prev = 0.0
        have = False
        for k in range(K):
            if omit and (x[k] != x[k] or y[k] != y[k]):
                continue
            if have:
                if kind == W1:
                    acc += abs(D) * (pos[k] - prev)
                else:
                    acc += D * D * (pos[k] - prev)
            D += (x[k] + ax) * cx - (y[k] + ay) * cy
            prev = pos[k]
            have = True
        return acc
    # ENTROPY of x
    for k in range(K):
        if omit and x[k] != x[k]:
            continue
        a = (x[k] + ax) * cx
        if a > 0.0:
            acc -= a * math.log(a)
    return acc


@njit(**NJIT_PARALLEL)
def rows(kind, p, q, ap, aq, normalize, omit, tol, pos, out, flags):
    """Divergence ``kind`` of each row of ``p`` against ``q`` (row i, or row 0 if nq == 1).

    ``ap``/``aq`` are the additive smoothing constants, ``pos`` the ordinal positions used
    by W1 and Cramér. Flagged rows get NaN.
    """
    n = p.shape[0]
    bq = q.shape[0] == 1
    for i in prange(n):
        x = p[i]
        y = q[0] if bq else q[i]
        cx, fx = _prep(x, y, ap, normalize, omit, tol)
        cy, fy = _prep(y, x, aq, normalize, omit, tol)
        f = fx | (fy << QSHIFT)
        flags[i] = f
        if f != 0:
            out[i] = np.nan
        else:
            out[i] = _row(kind, x, y, ap, cx, aq, cy, omit, pos)


@njit(**NJIT)
def rows_serial(kind, p, q, ap, aq, normalize, omit, tol, pos, out, flags):
    """:func:`rows` without threads, for small inputs where a parallel launch costs more."""
    n = p.shape[0]
    bq = q.shape[0] == 1
    for i in range(n):
        x = p[i]
        y = q[0] if bq else q[i]
        cx, fx = _prep(x, y, ap, normalize, omit, tol)
        cy, fy = _prep(y, x, aq, normalize, omit, tol)
        f = fx | (fy << QSHIFT)
        flags[i] = f
        if f != 0:
            out[i] = np.nan
        else:
            out[i] = _row(kind, x, y, ap, cx, aq, cy, omit, pos)


#: Below this many entries (rows x categories) the serial kernel is used.
PARALLEL_MIN = 200_000
