"""Hypothesis strategies for socialchoice objects.

Importing this module imports Hypothesis (``import socialchoice`` does not). Every size argument
takes a value or a strategy, like ``hypothesis.extra.numpy.arrays``; defaults are small (at most 7
voters and 5 candidates) so that shrinking ends in readable minimal witnesses. Draws shrink toward
fewer voters, fewer candidates, ties at the top level, and unit weights.

=========================  ====================================================================
strategy                   draws
=========================  ====================================================================
``rankings``               :class:`~socialchoice.Rankings` (ties, truncation, weights, batches)
``ratings``                :class:`~socialchoice.Ratings` (NaN missingness, weights, groups)
``pairwise``               :class:`~socialchoice.Pairwise` support matrices
``margin_matrices``        antisymmetric integer arrays ``(..., m, m)``, optional parity
``probability_vectors``    float arrays ``(..., k)`` on the simplex
``utility_tensors``        float arrays ``(..., n_agents, n_alternatives)``
=========================  ====================================================================

Examples
--------
>>> from hypothesis import given, settings
>>> from socialchoice.testing import strategies as scst
>>> from socialchoice.testing.reference import support_naive
>>> import numpy as np
>>> @settings(max_examples=20, deadline=None)
... @given(scst.rankings(weights=True, batch_shape=(2,)))
... def test_support(prof):
...     np.testing.assert_allclose(prof.support(), support_naive(prof.ranks, prof.weights))
>>> test_support()
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis.strategies import SearchStrategy

from ..profiles import Pairwise, Rankings, Ratings

__all__ = [
    "rankings",
    "ratings",
    "pairwise",
    "margin_matrices",
    "probability_vectors",
    "utility_tensors",
    "batch_shapes",
]

DEFAULT_MAX_VOTERS = 7
DEFAULT_MAX_CANDIDATES = 5


def _get(draw: Any, x: Any) -> Any:
    return draw(x) if isinstance(x, SearchStrategy) else x


def _size(draw: Any, x: Any, default: SearchStrategy, name: str, lo: int = 1) -> int:
    v = draw(default) if x is None else _get(draw, x)
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
        raise ValueError(f"`{name}` must be an integer >= {lo} (or a strategy of them), got {v!r}")
    return int(v)


def _batch(draw: Any, batch_shape: Any) -> tuple[int, ...]:
    if batch_shape is None:
        return ()
    b = _get(draw, batch_shape)
    return (int(b),) if isinstance(b, (int, np.integer)) else tuple(int(x) for x in b)


def batch_shapes(*, max_dims: int = 1, max_side: int = 3) -> SearchStrategy[tuple[int, ...]]:
    """Batch shapes from ``()`` up to ``max_dims`` axes of length ``1..max_side``.

    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import batch_shapes
    >>> find(batch_shapes(), lambda x: True)   # the minimal example: no batch axis
    ()
    """
    return hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=1, max_side=max_side)


def _weights(draw: Any, weights: Any, elements: SearchStrategy | None,
             shape: tuple[int, ...]) -> np.ndarray | None:
    w_on = _get(draw, weights)
    if w_on is None or w_on is False:
        return None
    if w_on is not True:
        raise ValueError(f"`weights` must be a bool or a strategy of bools, got {w_on!r}")
    if elements is None:
        elements = st.floats(0.0, 10.0, allow_subnormal=False)
    w = draw(hnp.arrays(np.float64, shape, elements=elements))
    w = np.abs(w)
    # every item needs some positive weight: fix an all-zero row at its first voter
    zero = w.sum(axis=-1) == 0
    w[..., 0] = np.where(zero, 1.0, w[..., 0])
    return w


@st.composite
def rankings(draw: Any, n_voters: Any = None, n_candidates: Any = None, *, ties: bool = True,
             truncation: bool = True, weights: Any = False,
             weight_elements: SearchStrategy | None = None,
             batch_shape: Any = None) -> Rankings:
    """Strategy for :class:`~socialchoice.Rankings`.

    Parameters
    ----------
    n_voters, n_candidates : int or strategy, optional
        Default ``integers(1, 7)`` and ``integers(1, 5)``.
    ties : bool
        Allow tied levels (weak orders). Tied ballots shrink toward everybody tied.
    truncation : bool
        Allow unranked candidates (-1).
    weights : bool or strategy of bool
        Draw voter weights (``st.booleans()`` mixes weighted and unweighted profiles).
    weight_elements : strategy of float, optional
        Each weight; default floats in ``[0, 10]``. Negatives are made positive and an item whose
        weights are all zero gets weight 1 on its first voter.
    batch_shape : tuple, int or strategy, optional
        Leading item axes; default none. ``batch_shapes()`` draws a few.

    Examples
    --------
    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import rankings
    >>> linear = rankings(n_voters=3, n_candidates=4, ties=False, truncation=False)
    >>> p = find(linear, lambda x: True)
    >>> p.is_linear(), p.ranks.shape
    (True, (3, 4))
    """
    b = _batch(draw, batch_shape)
    n = _size(draw, n_voters, st.integers(1, DEFAULT_MAX_VOTERS), "n_voters")
    m = _size(draw, n_candidates, st.integers(1, DEFAULT_MAX_CANDIDATES), "n_candidates")
    shape = b + (n, m)
    ties, truncation = _get(draw, ties), _get(draw, truncation)
    if ties:
        # x in 0..m-1 is a level; with truncation x == m means unranked
        top = m if truncation else m - 1
        x = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, top)))
        ranks = np.where(x == m, -1, x)
    else:
        rows = []
        for _ in range(int(np.prod(shape[:-1]))):
            perm = draw(st.permutations(range(m)))
            row = np.empty(m, np.int64)
            row[list(perm)] = np.arange(m)
            if truncation:
                k = m - draw(st.integers(0, m))  # shrinks toward complete ballots
                row[row >= k] = -1
            rows.append(row)
        ranks = np.array(rows, dtype=np.int64).reshape(shape)
    return Rankings(ranks, _weights(draw, weights, weight_elements, shape[:-1]))


@st.composite
def ratings(draw: Any, n_raters: Any = None, n_alternatives: Any = None, *,
            missing: bool = True, ties: bool = True, weights: Any = False,
            weight_elements: SearchStrategy | None = None, groups: Any = False,
            batch_shape: Any = None, elements: SearchStrategy | None = None) -> Ratings:
    """Strategy for :class:`~socialchoice.Ratings`.

    Parameters
    ----------
    n_raters, n_alternatives : int or strategy, optional
        Default ``integers(1, 7)`` and ``integers(1, 5)``.
    missing : bool
        Allow NaN (missing) ratings; at least one rating is always present.
    ties : bool
        Allow equal ratings within a row. ``True`` draws from the integer scale 0..4 (ties are
        frequent); ``False`` gives distinct values per row.
    weights, weight_elements
        As in :func:`rankings`.
    groups : bool, int or strategy
        Add ``rater_attributes["group"]``: ``True`` for two groups, ``k`` for ``k`` groups, or a
        strategy of group labels.
    batch_shape : tuple, int or strategy, optional
        Leading item axes.
    elements : strategy of float, optional
        Rating values (overrides the default scale; ``ties`` is then ignored).

    Examples
    --------
    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import ratings
    >>> r = find(ratings(n_raters=4, n_alternatives=3, groups=2), lambda x: True)
    >>> r.values.shape, sorted(set(r.rater_attributes["group"].tolist())) <= [0, 1]
    ((4, 3), True)
    """
    b = _batch(draw, batch_shape)
    n = _size(draw, n_raters, st.integers(1, DEFAULT_MAX_VOTERS), "n_raters")
    m = _size(draw, n_alternatives, st.integers(1, DEFAULT_MAX_CANDIDATES), "n_alternatives")
    shape = b + (n, m)
    ties, missing = _get(draw, ties), _get(draw, missing)
    if elements is not None:
        vals = draw(hnp.arrays(np.float64, shape, elements=elements))
    elif ties:
        vals = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 4))).astype(np.float64)
    else:
        rows = [np.array(draw(st.permutations(range(m))), np.float64)
                for _ in range(int(np.prod(shape[:-1])))]
        vals = np.array(rows).reshape(shape)
    if missing:
        mask = draw(hnp.arrays(np.bool_, shape, elements=st.booleans()))
        if mask.all():
            mask.flat[0] = False
        vals = np.where(mask, np.nan, vals)
    attrs = None
    if groups is not False and groups is not None:
        if groups is True:
            gs: SearchStrategy = st.integers(0, 1)
        elif isinstance(groups, (int, np.integer)):
            gs = st.integers(0, int(groups) - 1)
        elif isinstance(groups, SearchStrategy):
            gs = groups
        else:
            raise ValueError(f"`groups` must be a bool, an int or a strategy, got {groups!r}")
        attrs = {"group": np.array([draw(gs) for _ in range(n)])}
    return Ratings(vals, _weights(draw, weights, weight_elements, shape[:-1]),
                   rater_attributes=attrs)


@st.composite
def pairwise(draw: Any, n_candidates: Any = None, *, batch_shape: Any = None,
             max_count: int = 10, integer: bool = True) -> Pairwise:
    """Strategy for :class:`~socialchoice.Pairwise`: non-negative support, zero diagonal.

    ``integer=True`` draws counts ``0..max_count``; otherwise floats in ``[0, max_count]``.

    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import pairwise
    >>> find(pairwise(n_candidates=3), lambda x: True).support().shape
    (3, 3)
    """
    b = _batch(draw, batch_shape)
    m = _size(draw, n_candidates, st.integers(1, DEFAULT_MAX_CANDIDATES), "n_candidates")
    if integer:
        s = draw(hnp.arrays(np.int64, b + (m, m), elements=st.integers(0, max_count)))
        s = s.astype(np.float64)
    else:
        s = draw(hnp.arrays(np.float64, b + (m, m),
                            elements=st.floats(0.0, float(max_count), allow_subnormal=False)))
    s[..., np.arange(m), np.arange(m)] = 0.0
    return Pairwise(s)


@st.composite
def margin_matrices(draw: Any, n_candidates: Any = None, *, batch_shape: Any = None,
                    parity: int | None = None, max_margin: int = 6) -> np.ndarray:
    """Antisymmetric integer margin matrices ``(..., m, m)``.

    ``parity=0`` (even) or ``1`` (odd) fixes the parity of every off-diagonal entry, as for the
    margins of ``n`` linear ballots (McGarvey); ``None`` allows any integers in
    ``[-max_margin, max_margin]``.

    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import margin_matrices
    >>> M = find(margin_matrices(n_candidates=4, parity=1), lambda x: True)
    >>> bool((M == -M.T).all() and (M[~np.eye(4, dtype=bool)] % 2 == 1).all())
    True
    """
    b = _batch(draw, batch_shape)
    m = _size(draw, n_candidates, st.integers(1, DEFAULT_MAX_CANDIDATES), "n_candidates")
    if parity not in (None, 0, 1):
        raise ValueError(f"`parity` must be None, 0 or 1, got {parity!r}")
    if parity is None:
        el = st.integers(-max_margin, max_margin)
    else:
        el = st.integers(-(max_margin // 2) - 1, max_margin // 2).map(lambda k: 2 * k + parity)
    upper = draw(hnp.arrays(np.int64, b + (m, m), elements=el))
    iu = np.triu(np.ones((m, m), dtype=bool), 1)
    M = np.where(iu, upper, 0)
    return M - np.swapaxes(M, -1, -2)


@st.composite
def probability_vectors(draw: Any, k: Any = None, *, batch_shape: Any = None,
                        allow_zero: bool = True, resolution: int = 1000) -> np.ndarray:
    """Float arrays ``(..., k)`` with non-negative entries summing to 1 along the last axis.

    Entries are multiples of ``1 / total`` of integer weights in ``0..resolution``
    (``1..resolution`` with ``allow_zero=False``), so zeros and exact ties occur and shrink well.

    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import probability_vectors
    >>> p = find(probability_vectors(4, batch_shape=(2,)), lambda x: True)
    >>> p.shape, bool(np.allclose(p.sum(-1), 1))
    ((2, 4), True)
    """
    b = _batch(draw, batch_shape)
    kk = _size(draw, k, st.integers(1, DEFAULT_MAX_CANDIDATES), "k")
    lo = 0 if allow_zero else 1
    w = draw(hnp.arrays(np.int64, b + (kk,), elements=st.integers(lo, resolution)))
    w = w.astype(np.float64)
    zero = w.sum(axis=-1) == 0
    w[..., 0] = np.where(zero, 1.0, w[..., 0])
    return w / w.sum(axis=-1, keepdims=True)


@st.composite
def utility_tensors(draw: Any, n_agents: Any = None, n_alternatives: Any = None, *,
                    batch_shape: Any = None, nonnegative: bool = False,
                    elements: SearchStrategy | None = None) -> np.ndarray:
    """Utility arrays ``U[..., agent, alternative]`` (docs/welfare-bargaining.md).

    Default elements are floats in ``[-10, 10]`` (``[0, 10]`` with ``nonnegative``).

    >>> from hypothesis import find
    >>> from socialchoice.testing.strategies import utility_tensors
    >>> find(utility_tensors(3, 2, nonnegative=True), lambda x: True).shape
    (3, 2)
    """
    b = _batch(draw, batch_shape)
    n = _size(draw, n_agents, st.integers(1, DEFAULT_MAX_VOTERS), "n_agents")
    m = _size(draw, n_alternatives, st.integers(1, DEFAULT_MAX_CANDIDATES), "n_alternatives")
    if elements is None:
        elements = st.floats(0.0 if nonnegative else -10.0, 10.0, allow_subnormal=False)
    return draw(hnp.arrays(np.float64, b + (n, m), elements=elements))
