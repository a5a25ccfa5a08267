"""Profile-generation kernels (spec: sc.generate).

Randomness: every voter (global row index ``v`` of the flattened ``(N, m)`` output) owns a private
SplitMix64 stream whose start state is ``mix(seed + (v + 1) * GAMMA)``. ``seed`` is a 64-bit
integer drawn from the caller's ``numpy.random.Generator`` by the public layer. A voter's ballot
therefore depends only on ``(seed, v)``: results are identical for any thread count or chunking.

Bounded integers use the batched multiply-shift method with exact rejection (Brackett-Rozinsky and
Lemire, "Batched ranged random integer generation", Softw. Pract. Exp. 2024): one 32-bit draw
yields several Fisher-Yates indices while their product stays below 2**32 (a whole permutation of
up to 12 candidates), and a rejection test on the leftover makes the draw exactly uniform.

All kernels write ranks (levels, 0 = best) straight into a caller-allocated narrow int array.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import NJIT, NJIT_PARALLEL
from .ballots import dense_levels

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S32 = np.uint64(32)
_S11 = np.uint64(11)
_ONE = np.uint64(1)
_TWO32 = 1 << 32
_INV53 = 1.0 / 9007199254740992.0


@njit(inline="always", **NJIT)
def _mix(z):
    z = (z ^ (z >> _S30)) * _C1
    z = (z ^ (z >> _S27)) * _C2
    return z ^ (z >> _S31)


@njit(inline="always", **NJIT)
def stream(seed, v):
    """Start state of voter ``v``'s stream."""
    return _mix(seed + (np.uint64(v) + _ONE) * _GAMMA)


@njit(inline="always", **NJIT)
def next64(state):
    """(new state, 64 random bits)."""
    state = state + _GAMMA
    return state, _mix(state)


@njit(inline="always", **NJIT)
def next_u32(state):
    """(new state, uniform int64 in [0, 2**32))."""
    state, z = next64(state)
    return state, np.int64(z >> _S32)


@njit(inline="always", **NJIT)
def next_double(state):
    """(new state, uniform float in [0, 1) with 53 random bits)."""
    state, z = next64(state)
    return state, np.float64(z >> _S11) * _INV53


@njit(inline="always", **NJIT)
def bounded(state, b):
    """(new state, uniform int in [0, b)), ``1 <= b <= 2**31``; exact (Lemire rejection)."""
    while True:
        state, r = next_u32(state)
        x = r * b
        low = x & 0xFFFFFFFF
        if low >= b or low >= (_TWO32 - b) % b:
            return state, x >> 32


@njit(inline="always", **NJIT)
def _batch_digits(state, i, j, prod, digits):
    """Draw digits d_k uniform in [0, k+1) for k = i..j+1 (stored at digits[k]); exact."""
    while True:
        state, r0 = next_u32(state)
        r = r0
        k = i
        while k > j:
            x = r * (k + 1)
            digits[k] = x >> 32
            r = x & 0xFFFFFFFF
            k -= 1
        if r >= prod:
            return state
        if r >= (_TWO32 - prod) % prod:
            return state


@njit(inline="always", **NJIT)
def random_levels(row, state, m, digits):
    """Write a uniform permutation of ``0..m-1`` into ``row`` (``digits``: int64 scratch, len m)."""
    for i in range(m):
        row[i] = i
    i = m - 1
    while i >= 1:
        prod = np.int64(1)
        j = i
        while j >= 1 and prod * (j + 1) <= _TWO32:
            prod *= j + 1
            j -= 1
        state = _batch_digits(state, i, j, prod, digits)
        k = i
        while k > j:
            d = digits[k]
            tmp = row[k]
            row[k] = row[d]
            row[d] = tmp
            k -= 1
        i = j
    return state


#: Voters per parallel task. Scratch buffers are allocated once per chunk; streams are per voter,
#: so the chunk size does not change any output.
CHUNK = 2048


@njit(**NJIT_PARALLEL)
def impartial_culture(out, seed):
    """``out`` (N, m) int: each row a uniform linear order as levels."""
    n, m = out.shape
    useed = np.uint64(seed)
    n_chunks = (n + CHUNK - 1) // CHUNK
    for ch in prange(n_chunks):
        digits = np.empty(m, np.int64)
        for v in range(ch * CHUNK, min(n, (ch + 1) * CHUNK)):
            random_levels(out[v], stream(useed, v), m, digits)


@njit(inline="always", **NJIT)
def _insert_draw(u, cdf_row, i):
    # position 0..i with P(j) ∝ phi^(i-j): cdf_row[j] = P(position <= j), increasing, so the
    # draw is the number of j < i with cdf_row[j] <= u (a branch-free count)
    j = 0
    for t in range(i):
        j += u >= cdf_row[t]
    return j


@njit(**NJIT_PARALLEL)
def mallows(out, seed, cdf, centers, comp):
    """Repeated insertion model, optionally a mixture.

    ``cdf`` (K, m, m) float64: ``cdf[k, i, j]`` = P(item i of component k's center is inserted at
    position <= j among positions 0..i). ``centers`` (K, m) int64: candidates best first.
    ``comp`` (N,) int64 component per voter, or length 0 for component 0 everywhere.
    """
    n, m = out.shape
    useed = np.uint64(seed)
    use_comp = comp.shape[0] > 0
    n_chunks = (n + CHUNK - 1) // CHUNK
    for ch in prange(n_chunks):
        pos = np.empty(m, np.int64)  # pos[i]: current position of the i-th center item
        for v in range(ch * CHUNK, min(n, (ch + 1) * CHUNK)):
            st = stream(useed, v)
            k = comp[v] if use_comp else 0
            ck = cdf[k]
            pos[0] = 0
            for i in range(1, m):
                st, u = next_double(st)
                j = _insert_draw(u, ck[i], i)
                for t in range(i):
                    pos[t] += pos[t] >= j
                pos[i] = j
            row = out[v]
            c = centers[k]
            for i in range(m):
                row[c[i]] = pos[i]


@njit(**NJIT_PARALLEL)
def urn(out, seed, copy_weight, pool):
    """Pólya-Eggenberger urn per item: ``out`` (B, n, m).

    Voter t of an item is a fresh impartial-culture ballot with probability
    ``pool / (pool + t * copy_weight)``, otherwise a copy of a uniformly chosen earlier voter of the
    same item (each earlier draw added ``copy_weight`` balls to an urn that started with ``pool``
    balls, one per order). ``pool`` is m! as a float.
    """
    b, n, m = out.shape
    useed = np.uint64(seed)
    for it in prange(b):
        o = out[it]
        digits = np.empty(m, np.int64)
        for t in range(n):
            st = stream(useed, it * n + t)
            st, u = next_double(st)
            if t > 0 and u * (pool + t * copy_weight) >= pool:
                st, j = bounded(st, t)
                for c in range(m):
                    o[t, c] = o[j, c]
            else:
                random_levels(o[t], st, m, digits)


@njit(**NJIT_PARALLEL)
def single_peaked_walsh(out, seed, axis):
    """Uniform single-peaked orders w.r.t. ``axis`` (candidates left to right).

    Built from the bottom: the worst remaining candidate is the left or right end of the remaining
    interval, each with probability 1/2; the last one left is the peak.
    """
    n, m = out.shape
    useed = np.uint64(seed)
    for v in prange(n):
        st = stream(useed, v)
        st, bits = next64(st)
        left = 64
        lo = 0
        hi = m - 1
        row = out[v]
        for level in range(m - 1, 0, -1):
            if left == 0:
                st, bits = next64(st)
                left = 64
            if bits & _ONE:
                row[axis[lo]] = level
                lo += 1
            else:
                row[axis[hi]] = level
                hi -= 1
            bits = bits >> _ONE
            left -= 1
        row[axis[lo]] = 0


@njit(**NJIT_PARALLEL)
def single_peaked_conitzer(out, seed, axis):
    """Conitzer's model: uniform peak, then extend left or right with probability 1/2 each.

    Once one end of the axis is reached the rest is forced.
    """
    n, m = out.shape
    useed = np.uint64(seed)
    for v in prange(n):
        st = stream(useed, v)
        st, p = bounded(st, m)
        st, bits = next64(st)
        left = 64
        row = out[v]
        row[axis[p]] = 0
        lo = p
        hi = p
        for level in range(1, m):
            if lo == 0:
                go_left = False
            elif hi == m - 1:
                go_left = True
            else:
                if left == 0:
                    st, bits = next64(st)
                    left = 64
                go_left = (bits & _ONE) == _ONE
                bits = bits >> _ONE
                left -= 1
            if go_left:
                lo -= 1
                row[axis[lo]] = level
            else:
                hi += 1
                row[axis[hi]] = level


@njit(**NJIT_PARALLEL)
def euclidean(out, seed, voters, cands, use_voters, n_per_item):
    """Rank candidates by Euclidean distance (closer = better; exact distance ties share a level).

    ``out`` (N, m) with N = B * n_per_item; ``cands`` (B, m, d) per item. ``voters`` (N, d) when
    ``use_voters``, else positions are drawn uniform in [0, 1]^d from each voter's stream.
    """
    n, m = out.shape
    d = cands.shape[2]
    useed = np.uint64(seed)
    for v in prange(n):
        st = stream(useed, v)
        cc = cands[v // n_per_item]
        x = np.empty(d, np.float64)
        if use_voters:
            for k in range(d):
                x[k] = voters[v, k]
        else:
            for k in range(d):
                st, x[k] = next_double(st)
        dist = np.empty(m, np.float64)
        order = np.empty(m, np.int64)
        for c in range(m):
            s = 0.0
            for k in range(d):
                t = cc[c, k] - x[k]
                s += t * t
            dist[c] = s
            order[c] = c
        dense_levels(dist, 1.0, order, m, out[v])
