"""Pure-Python ranked-pairs engine (docs/rules.md §3.7, §6.3) for any number of candidates.

The Numba kernel (:func:`socialchoice._kernels.tournament.ranked_pairs`) packs lock states in
16 bits per candidate and handles ``m <= 16``; beyond, :func:`_rp_winners_py` runs the same
memoised search over lock states with Python integers as bitsets. The random-order win
probabilities (:func:`_rp_prob_exact`, Monte Carlo :func:`_rp_prob_mc`) use the same forced-move
step. Everything here is iterative (no recursion limit).
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def _rp_edges_py(mm: np.ndarray, act: np.ndarray) -> list[list[tuple[int, int]]]:
    """Equal-strength groups of the ranked-pairs edge list, strongest first."""
    idx = np.flatnonzero(act)
    edges = [(float(mm[x, y]), int(x), int(y)) for x in idx for y in idx if x != y and mm[x, y] >= 0]
    groups: dict[float, list[tuple[int, int]]] = {}
    for s, x, y in edges:
        groups.setdefault(s, []).append((x, y))
    return [groups[s] for s in sorted(groups, reverse=True)]


def _reach(locked: dict[int, int], m: int) -> list[int]:
    r = [locked.get(i, 0) for i in range(m)]
    for k in range(m):
        bk = 1 << k
        for i in range(m):
            if r[i] & bk:
                r[i] |= r[k]
    return r


def _rp_advance(locked: tuple[int, ...], g: int, groups, m: int):
    """Python twin of the kernel's forced-move step: returns (g, locked, contested edges)."""
    locked = list(locked)
    while g < len(groups):
        reach = _reach(dict(enumerate(locked)), m)
        live = [(x, y) for x, y in groups[g] if not (reach[x] >> y) & 1 and not (reach[y] >> x) & 1]
        if not live:
            g += 1
            continue
        contested = []
        for i, (x, y) in enumerate(live):
            tmp = list(locked)
            for j, (u, v) in enumerate(live):
                if j != i:
                    tmp[u] |= 1 << v
            if (_reach(dict(enumerate(tmp)), m)[y] >> x) & 1:
                contested.append((x, y))
        if len(contested) < len(live):
            for e in live:
                if e not in contested:
                    locked[e[0]] |= 1 << e[1]
            if not contested:
                g += 1
            continue
        return g, tuple(locked), contested
    return g, tuple(locked), []


def _rp_top_py(locked, act: np.ndarray) -> int:
    incoming = 0
    for row in locked:
        incoming |= row
    for x in np.flatnonzero(act):
        if not (incoming >> int(x)) & 1:
            return int(x)
    raise AssertionError("ranked pairs produced no top candidate")  # pragma: no cover


def _rp_winners_py(mm: np.ndarray, act: np.ndarray) -> np.ndarray:
    """Ranked-pairs winner set for any m (memoised DFS over lock states)."""
    m = mm.shape[0]
    win = np.zeros(m, bool)
    idx = np.flatnonzero(act)
    for x in idx:  # a Condorcet winner is the unique winner (docs/rules.md §3.7)
        if all(mm[x, y] > 0 for y in idx if y != x):
            win[x] = True
            return win
    groups = _rp_edges_py(mm, act)
    stack = [(0, (0,) * m)]
    seen = {stack[0]}
    unbeaten0 = 0
    for x in idx:
        unbeaten0 |= 1 << int(x)
    found = 0
    while stack:
        g, locked = stack.pop()
        incoming = 0
        for row in locked:
            incoming |= row
        if not (unbeaten0 & ~incoming & ~found):
            continue  # every candidate that could still end on top is already a winner
        g, locked, contested = _rp_advance(locked, g, groups, m)
        if not contested:
            top = _rp_top_py(locked, act)
            win[top] = True
            found |= 1 << top
            continue
        for x, y in contested:
            nl = list(locked)
            nl[x] |= 1 << y
            key = (g, tuple(_reach(dict(enumerate(nl)), m)))  # state = transitive closure
            if key not in seen:
                seen.add(key)
                stack.append(key)
    return win


class _TooManyStates(Exception):
    pass


def _rp_prob_exact(groups, act, m, max_states):
    """Exact win probabilities: memoised post-order walk over lock states, iterative (no
    recursion limit: the depth is the number of contested edges, up to ``m (m - 1) / 2``)."""
    memo: dict = {}

    def open_state(g, locked):
        """(value, None) if the state is solved, else (None, frame) to expand."""
        g, locked, contested = _rp_advance(locked, g, groups, m)
        key = (g, locked)
        if key in memo:
            return memo[key], None
        if len(memo) >= max_states:
            raise _TooManyStates
        if not contested:
            out = np.zeros(m)
            out[_rp_top_py(locked, act)] = 1.0
            memo[key] = out
            return out, None
        # The next live edge is uniform among live edges; forced ones were locked first,
        # which leaves the outcome of every order unchanged, so contested edges are uniform.
        kids = []
        for x, y in contested:
            nl = list(locked)
            nl[x] |= 1 << y
            kids.append((g, tuple(_reach(dict(enumerate(nl)), m))))
        return None, [key, kids, 0, np.zeros(m)]

    value, frame = open_state(0, (0,) * m)
    if frame is None:
        return value
    stack = [frame]
    while stack:
        key, kids, i, acc = top = stack[-1]
        if i == len(kids):
            out = acc / len(kids)
            memo[key] = out
            stack.pop()
            if not stack:
                return out
            stack[-1][3] += out
            stack[-1][2] += 1
            continue
        value, child = open_state(*kids[i])
        if child is None:
            top[3] += value
            top[2] += 1
        else:
            stack.append(child)
    raise AssertionError("unreachable")  # pragma: no cover


def _rp_prob_mc(groups, act, m, n_samples, gen):
    counts = np.zeros(m)
    for _ in range(n_samples):
        locked = [0] * m
        for grp in groups:
            for j in gen.permutation(len(grp)):
                x, y = grp[j]
                if not (_reach(dict(enumerate(locked)), m)[y] >> x) & 1:
                    locked[x] |= 1 << y
        counts[_rp_top_py(locked, act)] += 1
    p = counts / n_samples
    return p, np.sqrt(p * (1 - p) / n_samples)
