"""Row-wise divergence kernels between discrete distributions (docs/divergences.md §1-2).

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
from llvmlite import ir
from numba import njit, prange, types
from numba.core import config as _numba_config
from numba.extending import intrinsic

from .._config import NJIT, NJIT_PARALLEL, jit_variant

# error_model="numpy": no ZeroDivisionError check on float division, which would stop LLVM
# from vectorising the loops. Division by zero is excluded by the selects below.
_NJIT = dict(NJIT, error_model="numpy")
_NJIT_PARALLEL = dict(NJIT_PARALLEL, error_model="numpy")
# Reassociation only (no nnan/ninf: the NaN/inf checks must survive), so that row sums
# vectorise; it changes sums by a few ulps, far inside the 1e-12 agreement (tested).
_FM = {"reassoc", "contract"}

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

#: Elements (rows x categories) per block of the vectorised log path.
BLOCK = 2048
_DBL_MIN = 2.2250738585072014e-308
_DBL_MAX = 1.7976931348623157e308


@intrinsic
def _f2i(typingctx, x):
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _i2f(typingctx, x):
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


if _numba_config.DISABLE_JIT:  # kernels run as plain Python (coverage, debugging): bit casts via struct
    import struct as _struct

    def _f2i(x):
        return _struct.unpack("<q", _struct.pack("<d", float(x)))[0]

    def _i2f(x):
        return _struct.unpack("<d", _struct.pack("<q", int(x)))[0]


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


@njit(inline="always", **_NJIT)
def flog(x):
    """Natural log of a positive *normal* float64, branch-free so that loops vectorise.

    fdlibm's ``__ieee754_log`` reduction and minimax polynomial (error < 1 ulp), written
    with integer bit operations (exponent as a float via the 2^52 magic number, since AVX2
    has no int64 -> double conversion). Callers handle 0, subnormals, inf and NaN.
    """
    bits = _f2i(x)
    hx = bits + (0x3FF0000000000000 - 0x3FE6A09E667F3BCD)  # mantissa in [sqrt(1/2), sqrt(2))
    eb = (hx >> 52) & 0x7FF
    m = _i2f((hx & 0x000FFFFFFFFFFFFF) + 0x3FE6A09E667F3BCD)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    R = t2 + t1
    hfsq = 0.5 * f * f
    dk = (_i2f(eb | 0x4330000000000000) - 4503599627370496.0) - 1023.0
    return dk * _LN2_HI - ((hfsq - (s * (hfsq + R) + dk * _LN2_LO)) - f)


@njit(**_NJIT)
def vlog(x, out):
    """``out[i] = log(x[i])`` for positive normal ``x`` (vectorised :func:`flog`)."""
    for i in range(x.shape[0]):
        out[i] = flog(x[i])


@njit(**_NJIT)
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


@njit(**_NJIT)
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


@njit(inline="always", **_NJIT)
def _pair(x, y, k, ax, cx, ay, cy):
    # the k-th entries, smoothed and normalised (NaN stays NaN: the caller may omit it)
    return (x[k] + ax) * cx, (y[k] + ay) * cy


@njit(**_NJIT)
def _row(kind, x, y, ax, cx, ay, cy, omit, pos):
    K = x.shape[0]
    acc = 0.0
    if kind == KL:
        for k in range(K):
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if omit and (a != a or b != b):
                continue
            if a > 0.0:
                if b > 0.0:
                    acc += a * math.log(a / b)
                else:
                    acc = np.inf
        return acc if acc > 0.0 else 0.0  # KL >= 0; rounding can give -1e-16
    if kind == JS:
        for k in range(K):
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if omit and (a != a or b != b):
                continue
            m = (a + b) * 0.5
            if a > 0.0:
                acc += a * math.log(a / m)
            if b > 0.0:
                acc += b * math.log(b / m)
        return 0.5 * acc if acc > 0.0 else 0.0
    if kind == TV:
        for k in range(K):
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if not (omit and (a != a or b != b)):
                acc += abs(a - b)
        return 0.5 * acc
    if kind == HELLINGER:
        for k in range(K):
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if not (omit and (a != a or b != b)):
                acc += (math.sqrt(a) - math.sqrt(b)) ** 2
        return math.sqrt(0.5 * acc)
    if kind == PEARSON or kind == NEYMAN:
        for k in range(K):
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if omit and (a != a or b != b):
                continue
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
            a, b = _pair(x, y, k, ax, cx, ay, cy)
            if omit and (a != a or b != b):
                continue
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


@njit(inline="always", **_NJIT)
def _row_sums(p, i, q, iq, K):
    """Sums of the rows ``p[i]``, ``q[iq]`` over ``K`` categories, and ``min(0, entries)``
    (``K`` is a compile-time constant in the short-row kernels, so this loop unrolls)."""
    sp = 0.0
    sq = 0.0
    mn = 0.0
    for k in range(K):
        a = p[i, k]
        b = q[iq, k]
        sp += a
        sq += b
        c = a if a < b else b
        mn = c if c < mn else mn
    return sp, sq, mn


@njit(**_NJIT)
def _prep2(p, i, q, iq, ap, aq, normalize, tol):
    """:func:`_prep` for both rows at once (no ``omit``), 2-D indexing, one pass."""
    K = p.shape[1]
    sp, sq, mn = _row_sums(p, i, q, iq, K)
    if not ((sp - sp == 0.0) & (sq - sq == 0.0)) or mn < 0:
        f = _detail(p[i], q[iq], False) | (_detail(q[iq], p[i], False) << QSHIFT)
        return 0.0, 0.0, f
    f = 0
    if normalize:
        dp = sp + K * ap
        dq = sq + K * aq
        if dp == 0.0:
            f |= FLAG_ZERO
        if dq == 0.0:
            f |= FLAG_ZERO << QSHIFT
        if f != 0:
            return 0.0, 0.0, f
    else:
        if abs(sp - 1.0) > tol:
            f |= FLAG_SUM
        if abs(sq - 1.0) > tol:
            f |= FLAG_SUM << QSHIFT
        dp = 1.0 + K * ap
        dq = 1.0 + K * aq
    # one division instead of two (the latency of a division matters for short rows);
    # 1/dp = dq/(dp dq) to within 2 ulp, when dp*dq is a normal number
    d2 = dp * dq
    if 1e-300 < d2 < 1e300:
        r = 1.0 / d2
        return dq * r, dp * r, f
    return 1.0 / dp, 1.0 / dq, f


@njit(inline="always", **_NJIT)
def _row2(kind, p, i, q, iq, ax, cx, ay, cy, dx, pos):
    """The non-log kinds on rows ``p[i]``, ``q[iq]`` without NaN omission: TV and W1, the
    short-row hot paths, inline here; the rest through :func:`_row` on row views."""
    K = p.shape[1]
    acc = 0.0
    if kind == TV:
        for k in range(K):
            acc += abs((p[i, k] + ax) * cx - (q[iq, k] + ay) * cy)
        return 0.5 * acc
    if kind == W1:
        D = 0.0
        for k in range(K - 1):
            D += (p[i, k] + ax) * cx - (q[iq, k] + ay) * cy
            acc += abs(D) * dx[k]
        return acc
    return _row(kind, p[i], q[iq], ax, cx, ay, cy, False, pos)


@njit(**_NJIT)
def _w1_loop(p, q, lo, hi, ap, aq, normalize, tol, dx, out, flags):
    """W1 four rows at a time: the CDF difference is a prefix sum (a latency chain), and
    four independent chains keep the core busy, so the kernel runs at memory speed."""
    K = p.shape[1]
    bq = q.shape[0] == 1
    i = lo
    while i + 4 <= hi:
        j0 = 0 if bq else i
        j1 = 0 if bq else i + 1
        j2 = 0 if bq else i + 2
        j3 = 0 if bq else i + 3
        x0, y0, f0 = _prep2(p, i, q, j0, ap, aq, normalize, tol)
        x1, y1, f1 = _prep2(p, i + 1, q, j1, ap, aq, normalize, tol)
        x2, y2, f2 = _prep2(p, i + 2, q, j2, ap, aq, normalize, tol)
        x3, y3, f3 = _prep2(p, i + 3, q, j3, ap, aq, normalize, tol)
        D0 = 0.0
        D1 = 0.0
        D2 = 0.0
        D3 = 0.0
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        for k in range(K - 1):
            d = dx[k]
            D0 += (p[i, k] + ap) * x0 - (q[j0, k] + aq) * y0
            D1 += (p[i + 1, k] + ap) * x1 - (q[j1, k] + aq) * y1
            D2 += (p[i + 2, k] + ap) * x2 - (q[j2, k] + aq) * y2
            D3 += (p[i + 3, k] + ap) * x3 - (q[j3, k] + aq) * y3
            s0 += abs(D0) * d
            s1 += abs(D1) * d
            s2 += abs(D2) * d
            s3 += abs(D3) * d
        flags[i] = f0
        flags[i + 1] = f1
        flags[i + 2] = f2
        flags[i + 3] = f3
        out[i] = np.nan if f0 != 0 else s0
        out[i + 1] = np.nan if f1 != 0 else s1
        out[i + 2] = np.nan if f2 != 0 else s2
        out[i + 3] = np.nan if f3 != 0 else s3
        i += 4
    _loop2(W1, p, q, i, hi, ap, aq, normalize, tol, dx, dx, out, flags)  # the last < 4 rows


@njit(inline="always", **_NJIT)
def _loop2(kind, p, q, lo, hi, ap, aq, normalize, tol, dx, pos, out, flags):
    bq = q.shape[0] == 1
    for i in range(lo, hi):
        iq = 0 if bq else i
        cx, cy, f = _prep2(p, i, q, iq, ap, aq, normalize, tol)
        flags[i] = f
        out[i] = np.nan if f != 0 else _row2(kind, p, i, q, iq, ap, cx, aq, cy, dx, pos)


@njit(inline="always", **_NJIT)
def _js_logs(A, B, L, V, m):
    """JS log terms: ``L = log(a/mid)``, ``V = log(b/mid)`` with mid = (a+b)/2, 0 where the
    weight is 0; returns the number of entries whose quotient is subnormal (the caller
    recomputes those exactly)."""
    nbad = 0
    for j in range(m):
        a = A[j]
        b = B[j]
        ih = 2.0 / (a + b)  # one division: a/mid = a * (2/(a+b)) within 1 ulp; inf when both 0
        t = a * ih
        u = b * ih
        t = t if a > 0.0 else 1.0
        u = u if b > 0.0 else 1.0
        nbad += (t < _DBL_MIN) | (u < _DBL_MIN)
        L[j] = t
        V[j] = u
    for j in range(m):  # separate simple loops vectorise better than one with two logs
        L[j] = flog(L[j])
    for j in range(m):
        V[j] = flog(V[j])
    return nbad


@njit(fastmath=_FM, **_NJIT)
def _block(kind, p, q, lo, hi, ap, aq, normalize, omit, tol, pos, out, flags):
    """Rows ``lo:hi``: normalise, then the log-type kinds in long vectorisable loops."""
    K = p.shape[1]
    bq = q.shape[0] == 1
    if not omit and not (kind == KL or kind == JS or kind == ENTROPY):
        dx = np.empty(max(K - 1, 0))
        for k in range(K - 1):
            dx[k] = pos[k + 1] - pos[k]
        # W1 and TV get loops with a constant kind after inlining (unswitched by hand: a
        # runtime kind inside the row loop costs ~40% on short rows); the rest share one
        # loop, which keeps the compile time down
        if kind == W1:
            _w1_loop(p, q, lo, hi, ap, aq, normalize, tol, dx, out, flags)
        elif kind == TV:
            _loop2(TV, p, q, lo, hi, ap, aq, normalize, tol, dx, pos, out, flags)
        else:
            _loop2(kind, p, q, lo, hi, ap, aq, normalize, tol, dx, pos, out, flags)
        return
    if omit:
        for i in range(lo, hi):
            x = p[i]
            y = q[0] if bq else q[i]
            cx, fx = _prep(x, y, ap, normalize, omit, tol)
            cy, fy = _prep(y, x, aq, normalize, omit, tol)
            f = fx | (fy << QSHIFT)
            flags[i] = f
            out[i] = np.nan if f != 0 else _row(kind, x, y, ap, cx, aq, cy, omit, pos)
        return
    m = (hi - lo) * K
    A = np.empty(m)
    B = np.empty(m)
    L = np.empty(m)
    V = np.empty(m)
    for i in range(lo, hi):
        iq = 0 if bq else i
        cx, cy, f = _prep2(p, i, q, iq, ap, aq, normalize, tol)
        flags[i] = f
        o = (i - lo) * K
        if f != 0:
            for k in range(K):
                A[o + k] = 1.0
                B[o + k] = 1.0
        else:
            for k in range(K):
                A[o + k] = (p[i, k] + ap) * cx
                B[o + k] = (q[iq, k] + aq) * cy
    # Vectorised logs (flog) of normal arguments, counting the abnormal ones (subnormal
    # ratios from subnormal inputs) that the rare fix-up loop recomputes with libm.
    nbad = 0
    ninf = 0
    if kind == KL:
        for j in range(m):
            a = A[j]
            b = B[j]
            t = a / b
            ok = (a > 0.0) & (b > 0.0)
            t = t if ok else 1.0
            nbad += (t < _DBL_MIN) | (t > _DBL_MAX)
            ninf += (a > 0.0) & (b <= 0.0)
            L[j] = t
        for j in range(m):  # a simple loop: vectorises best
            L[j] = flog(L[j])
        if ninf:
            for j in range(m):
                if A[j] > 0.0 and B[j] <= 0.0:
                    L[j] = np.inf
        if nbad:
            for j in range(m):
                a = A[j]
                b = B[j]
                if a > 0.0 and b > 0.0:
                    L[j] = math.log(a / b)
        for i in range(lo, hi):
            o = (i - lo) * K
            acc = 0.0
            for k in range(K):
                acc += A[o + k] * L[o + k]
            out[i] = np.nan if flags[i] != 0 else (acc if acc > 0.0 else 0.0)
    elif kind == JS:
        nbad += _js_logs(A, B, L, V, m)
        if nbad:
            for j in range(m):
                a = A[j]
                b = B[j]
                h = (a + b) * 0.5
                if a > 0.0:
                    L[j] = math.log(a / h)
                if b > 0.0:
                    V[j] = math.log(b / h)
        for i in range(lo, hi):
            o = (i - lo) * K
            acc = 0.0
            for k in range(K):
                acc += A[o + k] * L[o + k] + B[o + k] * V[o + k]
            out[i] = np.nan if flags[i] != 0 else (0.5 * acc if acc > 0.0 else 0.0)
    else:  # ENTROPY
        for j in range(m):
            a = A[j]
            t = a if a > 0.0 else 1.0
            nbad += t < _DBL_MIN
            L[j] = flog(t)
        if nbad:
            for j in range(m):
                if A[j] > 0.0:
                    L[j] = math.log(A[j])
        for i in range(lo, hi):
            o = (i - lo) * K
            acc = 0.0
            for k in range(K):
                acc -= A[o + k] * L[o + k]
            out[i] = np.nan if flags[i] != 0 else acc


def _rows(kind, p, q, ap, aq, normalize, omit, tol, pos, out, flags):
    """Divergence ``kind`` of each row of ``p`` against ``q`` (row i, or row 0 if nq == 1).

    ``ap``/``aq`` are the additive smoothing constants, ``pos`` the ordinal positions used
    by W1 and Cramér. Flagged rows get NaN. Parallel over blocks of rows (``rows``) or
    without threads (``rows_serial``, for small inputs where a parallel launch costs more).
    """
    n, K = p.shape
    R = max(1, BLOCK // max(K, 1))
    nb = (n + R - 1) // R
    for b in prange(nb):
        _block(kind, p, q, b * R, min(n, (b + 1) * R), ap, aq, normalize, omit, tol, pos,
               out, flags)


rows = jit_variant(_rows, "_parallel", fastmath=_FM, **_NJIT_PARALLEL)
rows_serial = jit_variant(_rows, "_serial", fastmath=_FM, **_NJIT)


#: Below this many entries (rows x categories) the serial kernel is used.
PARALLEL_MIN = 200_000


# --------------------------------------------------------------------------- short rows
def _make_short_rows(K: int):
    """KL, JS and W1 for rows of a compile-time length ``K`` (<= 8): the per-row work (sums,
    checks, scale factors, W1's prefix sum) unrolls, which is most of the cost when rows are
    short. ``dx`` holds W1's category spacings.

    Handles only the clean case -- finite, non-negative rows with positive sums (or sums
    within ``tol`` of 1 when not normalising), no smoothing, no NaN omission, no infinite or
    subnormal log arguments -- and returns the number of rows outside it; the caller then
    runs :func:`rows`, which flags and explains them.
    """

    def short_rows(kind, p, q, normalize, tol, dx, out, flags):
        n = p.shape[0]
        bq = q.shape[0] == 1
        R = max(1, BLOCK // K)
        nb = (n + R - 1) // R
        unusual = np.zeros(nb, np.int64)
        for b in prange(nb):
            lo = b * R
            hi = min(n, lo + R)
            m = (hi - lo) * K
            ma = 0 if kind == W1 else m  # W1 needs no log buffers
            A = np.empty(ma)
            B = np.empty(ma)
            L = np.empty(ma)
            V = np.empty(ma if kind == JS else 0)
            odd = 0
            for i in range(lo, hi):
                iq = 0 if bq else i
                sp, sq, mn = _row_sums(p, i, q, iq, K)
                ok = (sp - sp == 0.0) & (sq - sq == 0.0) & (mn >= 0.0)
                if normalize:
                    ok &= (sp > 0.0) & (sq > 0.0)
                    dp = sp
                    dq = sq
                else:
                    ok &= (abs(sp - 1.0) <= tol) & (abs(sq - 1.0) <= tol)
                    dp = 1.0
                    dq = 1.0
                d2 = dp * dq
                ok &= (d2 > 1e-300) & (d2 < 1e300)
                r = 1.0 / d2 if ok else 1.0
                cx = dq * r
                cy = dp * r
                odd += not ok
                flags[i] = 0
                if kind == W1:
                    D = 0.0
                    acc = 0.0
                    for k in range(K - 1):
                        D += p[i, k] * cx - q[iq, k] * cy
                        acc += abs(D) * dx[k]
                    out[i] = acc
                    continue
                o = (i - lo) * K
                for k in range(K):
                    A[o + k] = p[i, k] * cx
                    B[o + k] = q[iq, k] * cy
            nbad = 0
            if kind == W1:
                pass
            elif kind == KL:
                for j in range(m):
                    a = A[j]
                    bb = B[j]
                    t = a / bb
                    t = t if (a > 0.0) & (bb > 0.0) else 1.0
                    nbad += (t < _DBL_MIN) | (t > _DBL_MAX) | ((a > 0.0) & (bb <= 0.0))
                    L[j] = t
                for j in range(m):
                    L[j] = flog(L[j])
                for i in range(lo, hi):
                    o = (i - lo) * K
                    acc = 0.0
                    for k in range(K):
                        acc += A[o + k] * L[o + k]
                    out[i] = acc if acc > 0.0 else 0.0
            else:  # JS
                nbad += _js_logs(A, B, L, V, m)
                for i in range(lo, hi):
                    o = (i - lo) * K
                    acc = 0.0
                    for k in range(K):
                        acc += A[o + k] * L[o + k] + B[o + k] * V[o + k]
                    out[i] = 0.5 * acc if acc > 0.0 else 0.0
            unusual[b] = odd + nbad
        return unusual.sum()

    return jit_variant(short_rows, f"_k{K}", fastmath=_FM, **_NJIT_PARALLEL)


SHORT_ROWS_MAX_K = 8
_SHORT_ROWS: dict = {}


def short_rows_kernel(K: int):
    """The :func:`_make_short_rows` kernel for ``K`` categories (``2 <= K <= 8``)."""
    if K not in _SHORT_ROWS:
        _SHORT_ROWS[K] = _make_short_rows(K)
    return _SHORT_ROWS[K]
