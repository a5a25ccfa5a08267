"""Pareto dominance: non-dominated filtering, non-dominated sorting, dominance matrices and
epsilon indicators (docs/tradeoff-jury.md §A1-§A2).

Objective vectors are rows of ``R (..., n_points, d)``; leading dimensions are independent items
computed in one call. ``maximise=True`` by default (a bool or one per objective); internally
maximised columns are negated and everything is minimised. Dominance is decided by exact
comparisons (no tolerance): ``a`` dominates ``b`` when it is at least as good in every objective
and ``a != b``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels import dominance as _kd
from ..errors import SizeLimitError, ValidationError
from ._input import as_maximise, as_objectives, as_objectives_nan, pair_shape
from ._registry import REGISTRY

__all__ = [
    "is_nondominated",
    "pareto_rank",
    "dominance_matrix",
    "epsilon_additive",
    "epsilon_multiplicative",
    "DOMINANCE_MATRIX_MAX_N",
]

#: Largest number of points per item :func:`dominance_matrix` accepts (it returns ``n x n``
#: booleans per item; use :func:`is_nondominated` or :func:`pareto_rank` for large sets).
DOMINANCE_MATRIX_MAX_N = 4096
#: Largest total number of entries (items x n x n) :func:`dominance_matrix` returns.
DOMINANCE_MATRIX_MAX_ENTRIES = 1 << 28


def _flat(X: np.ndarray) -> np.ndarray:
    return X.reshape((-1,) + X.shape[-2:])  # a view of as_objectives' private, writable copy


@REGISTRY.register(family="dominance", input="points", scale="invariant", oracle="moocore.is_nondominated")
def is_nondominated(R: Any, *, maximise: Any = True, keep_weakly: bool = False) -> np.ndarray:
    """Flag the points that no other point dominates (docs/tradeoff-jury.md §A2).

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; leading dimensions are independent items.
    maximise : bool or sequence of bool, default True
        Whether each objective is maximised (one bool for all, or one per objective).
    keep_weakly : bool, default False
        Duplicated non-dominated points: ``False`` flags only the first copy (lowest index),
        ``True`` flags every copy (as ``moocore.is_nondominated``).

    Returns
    -------
    ndarray of bool, shape (..., n)
        False for a row holding a NaN: such rows are dropped (per item) before filtering
        (docs/tradeoff-jury.md §A1), so they neither are non-dominated nor dominate anything.

    Raises
    ------
    ValidationError
        ``R`` holds ``+-inf`` (use NaN to drop a row), is not numeric or is mis-shaped.

    Notes
    -----
    Exact comparisons, ``O(n log n)`` for ``d = 2`` (sort and sweep) and ``d = 3`` (Kung's
    sweep with a Fenwick tree, also when every point is on the front); for ``d >= 4`` each point
    is compared with the front found so far, in order of the objectives' sum. A pivot pre-filter
    (minimisers of positive weighted sums) first drops most dominated points in one pass.

    Examples
    --------
    The first worked example of §A3 (minimisation):

    >>> import socialchoice as sc
    >>> A = [[1, 3], [2, 2], [3, 1], [3, 3]]
    >>> sc.tradeoff.is_nondominated(A, maximise=False)
    array([ True,  True,  True, False])
    >>> sc.tradeoff.is_nondominated([[1, 2], [1, 2], [0, 0]])
    array([ True, False, False])
    >>> sc.tradeoff.is_nondominated([[1, 2], [1, 2], [0, 0]], keep_weakly=True)
    array([ True,  True, False])
    >>> sc.tradeoff.is_nondominated([[1, 2], [3, float("nan")], [0, 0]])  # a NaN row is dropped
    array([ True, False, False])
    """
    X, _, valid = as_objectives_nan(R, maximise=maximise)
    lead, n = X.shape[:-2], X.shape[-2]
    Xf = _flat(X)
    out = np.empty(Xf.shape[:2], dtype=np.bool_)
    kw = bool(keep_weakly)
    if valid is not None:
        _kd.nondominated_masked_batch(Xf, np.ascontiguousarray(valid.reshape(Xf.shape[:2])), kw, out)
    elif Xf.shape[0] == 1:
        _kd.nondominated(Xf[0], kw, out[0])
    else:
        _kd.nondominated_batch(Xf, kw, out)
    return out.reshape(lead + (n,))


@REGISTRY.register(family="dominance", input="points", scale="invariant", oracle="moocore.pareto_rank")
def pareto_rank(R: Any, *, maximise: Any = True) -> np.ndarray:
    """Non-dominated sorting: the Pareto front index of every point (docs/tradeoff-jury.md §A2).

    Front 0 is the non-dominated set; front ``k`` is the non-dominated set once fronts ``< k``
    are removed. Duplicates share a front. Same numbering as ``moocore.pareto_rank``.

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; leading dimensions are independent items.
    maximise : bool or sequence of bool, default True

    Returns
    -------
    ndarray of int64, shape (..., n)
        The front index; ``-1`` for a row holding a NaN, which is dropped (per item) before
        sorting (docs/tradeoff-jury.md §A1) and so belongs to no front.

    Raises
    ------
    ValidationError
        ``R`` holds ``+-inf`` (use NaN to drop a row), is not numeric or is mis-shaped.

    Notes
    -----
    ``d = 2``: lexicographic sort and a sweep with a binary search over the fronts,
    ``O(n log n)``. ``d >= 3``: points in a topological order of dominance, each placed by binary
    search over the fronts, a front being scanned for a dominator: ``O(d n^2)`` in the worst
    case, usually far less.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.tradeoff.pareto_rank([[1, 3], [2, 2], [3, 1], [3, 3]], maximise=False)
    array([0, 0, 0, 1])
    >>> sc.tradeoff.pareto_rank([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8], [0.5, 0.5]])
    array([0, 0, 0, 1])
    >>> sc.tradeoff.pareto_rank([[0.9, 0.2], [float("nan"), 0.6], [0.5, 0.1]])
    array([ 0, -1,  1])
    """
    X, _, valid = as_objectives_nan(R, maximise=maximise)
    lead, n = X.shape[:-2], X.shape[-2]
    Xf = _flat(X)
    out = np.empty(Xf.shape[:2], dtype=np.int64)
    if valid is not None:
        _kd.pareto_rank_masked_batch(Xf, np.ascontiguousarray(valid.reshape(Xf.shape[:2])), out)
    elif Xf.shape[0] == 1:
        _kd.pareto_rank(Xf[0], out[0])
    else:
        _kd.pareto_rank_batch(Xf, out)
    return out.reshape(lead + (n,))


@REGISTRY.register(family="dominance", input="points", scale="invariant")
def dominance_matrix(R: Any, *, maximise: Any = True) -> np.ndarray:
    """Pairwise dominance: ``D[..., i, j]`` is True when point ``i`` dominates point ``j``
    (docs/tradeoff-jury.md §A2), for small sets.

    Parameters
    ----------
    R : array_like, shape (..., n, d)
        Objective vectors as rows; ``n <= DOMINANCE_MATRIX_MAX_N`` (4096) and at most
        ``2**28`` entries in all.
    maximise : bool or sequence of bool, default True

    Returns
    -------
    ndarray of bool, shape (..., n, n)

    Raises
    ------
    SizeLimitError
        More than ``DOMINANCE_MATRIX_MAX_N`` points or ``2**28`` entries; use
        :func:`is_nondominated` or :func:`pareto_rank`, which need no ``n x n`` matrix.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.tradeoff.dominance_matrix([[1, 1], [0, 1], [1, 1]]).astype(int)
    array([[0, 1, 0],
           [0, 0, 0],
           [0, 1, 0]])
    """
    X, _ = as_objectives(R, maximise=maximise)
    lead, n = X.shape[:-2], X.shape[-2]
    n_items = int(np.prod(lead)) if lead else 1
    if n > DOMINANCE_MATRIX_MAX_N or n_items * n * n > DOMINANCE_MATRIX_MAX_ENTRIES:
        raise SizeLimitError(
            f"`R` has {n} points per item and {n_items} items: the dominance matrix would hold "
            f"{n_items * n * n} entries (limits: n <= {DOMINANCE_MATRIX_MAX_N}, "
            f"{DOMINANCE_MATRIX_MAX_ENTRIES} entries); use is_nondominated or pareto_rank"
        )
    Xf = _flat(X)
    out = np.empty((Xf.shape[0], n, n), dtype=np.bool_)
    _kd.dominance_matrix_batch(Xf, out)
    return out.reshape(lead + (n, n))


def _pair(A: Any, B: Any, maximise: Any, *, orient: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """Validate two point sets with broadcastable leading dimensions and equal ``d``."""
    if orient:
        XA, mx = as_objectives(A, maximise=maximise, name="A")
        XB, _ = as_objectives(B, maximise=maximise, name="B")
    else:
        XA, mx = as_objectives(A, maximise=False, name="A")
        XB, _ = as_objectives(B, maximise=False, name="B")
    if not orient:
        mx = as_maximise(maximise, XA.shape[-1])
    lead = pair_shape(XA, XB)
    # writable C-contiguous copies (a read-only view would compile a second kernel signature)
    XA = np.array(np.broadcast_to(XA, lead + XA.shape[-2:]), order="C").reshape((-1,) + XA.shape[-2:])
    XB = np.array(np.broadcast_to(XB, lead + XB.shape[-2:]), order="C").reshape((-1,) + XB.shape[-2:])
    return XA, XB, mx, lead


def _scalar_or_array(out: np.ndarray, lead: tuple) -> Any:
    return float(out[0]) if not lead else out.reshape(lead)


@REGISTRY.register(family="dominance", input="points", scale="equivariant", oracle="moocore.epsilon_additive")
def epsilon_additive(A: Any, B: Any, *, maximise: Any = True) -> float | np.ndarray:
    """Additive epsilon indicator of ``A`` with respect to ``B`` (docs/tradeoff-jury.md §A2).

    The smallest ``eps`` such that every ``b`` in ``B`` is additively eps-dominated by some
    ``a`` in ``A`` (maximisation: ``a_k + eps >= b_k`` for all ``k``):
    ``max_b min_a max_k (b_k - a_k)`` when maximising, ``max_b min_a max_k (a_k - b_k)`` when
    minimising. Same argument order as ``moocore.epsilon_additive(A, ref=B)``; ``<= 0`` when
    ``A`` weakly dominates ``B``.

    Parameters
    ----------
    A, B : array_like, shape (..., n_A, d) and (..., n_B, d)
        Point sets; leading (item) dimensions broadcast.
    maximise : bool or sequence of bool, default True

    Returns
    -------
    float, or ndarray of shape (...) when there are leading dimensions

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.tradeoff.epsilon_additive([[0.5, 0.5]], [[0.9, 0.2], [0.6, 0.6]])
    0.4
    >>> sc.tradeoff.epsilon_additive([[1, 1]], [[2, 2]], maximise=False)
    -1.0
    """
    XA, XB, _, lead = _pair(A, B, maximise, orient=True)
    out = np.empty(XA.shape[0])
    _kd.epsilon_batch(XA, XB, np.zeros(XA.shape[-1], np.bool_), False, out)
    return _scalar_or_array(out, lead)


@REGISTRY.register(family="dominance", input="points", scale="invariant", oracle="moocore.epsilon_mult")
def epsilon_multiplicative(A: Any, B: Any, *, maximise: Any = True) -> float | np.ndarray:
    """Multiplicative epsilon indicator of ``A`` with respect to ``B`` (docs/tradeoff-jury.md §A2),
    for positive objectives.

    The smallest factor ``e`` such that every ``b`` in ``B`` is covered by some ``a`` in ``A``
    up to ``e``: ``max_b min_a max_k r_k`` with ``r_k = b_k / a_k`` for a maximised objective
    and ``a_k / b_k`` for a minimised one (``moocore.epsilon_mult(A, ref=B)``). ``<= 1`` when
    ``A`` weakly dominates ``B``. (§A2 writes the factor as ``1 + eps``.)

    Parameters
    ----------
    A, B : array_like, shape (..., n_A, d) and (..., n_B, d)
        Point sets with all values ``> 0``; leading dimensions broadcast.
    maximise : bool or sequence of bool, default True

    Returns
    -------
    float, or ndarray of shape (...) when there are leading dimensions

    Raises
    ------
    ValidationError
        A value of ``A`` or ``B`` is not strictly positive.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.tradeoff.epsilon_multiplicative([[1.0, 2.0]], [[2.0, 2.0]])
    2.0
    """
    XA, XB, mx, lead = _pair(A, B, maximise, orient=False)
    for name, X in (("A", XA), ("B", XB)):
        if X.size and not np.all(X > 0):
            raise ValidationError(
                f"`{name}` holds a value <= 0; the multiplicative epsilon indicator needs strictly "
                f"positive objectives (shift them, or use epsilon_additive)"
            )
    out = np.empty(XA.shape[0])
    _kd.epsilon_batch(XA, XB, mx, True, out)
    return _scalar_or_array(out, lead)
