"""Numeric knobs and the package's one tolerance policy.

Tolerance policy (docs/conventions.md, "Tolerances and scale")
--------------------------------------------------------------
Every tie, feasibility and convergence test is *relative to the scale of its inputs*:

* tie tests on sums of weights compare against ``TIE_RTOL * scale`` where ``scale`` is the
  total weight of the item (or the largest magnitude of the compared scores), never against an
  absolute number, so that multiplying every weight or utility by ``c > 0`` cannot change an
  answer (:func:`tie_tolerance`);
* weights are rescaled at the public boundary by an exact power of two
  (:func:`rescale_weights`): sums can then neither overflow to ``inf`` nor underflow, and since
  multiplying by a power of two is exact in binary floating point, every comparison the kernels
  make is bit-for-bit the one they make on the caller's weights;
* utilities are centred and scaled by their range before solvers run (:func:`utility_scale`),
  and solver tolerances apply to the scaled problem.
"""

from __future__ import annotations

import math
import types

import numpy as np

#: Relative tolerance for equality of real-valued scores and weight sums (ties).
TIE_RTOL = 1e-9
#: Kept under its old name: relative tolerance for equality of real-valued scores.
SCORE_RTOL = TIE_RTOL
#: Tolerance for probability vectors summing to one (probabilities have a natural scale).
PROB_SUM_ATOL = 1e-6
#: Relative feasibility/optimality tolerance of the bargaining and LP solvers (scaled problems).
SOLVER_RTOL = 1e-9
#: Numba options shared by every kernel: lazy compilation, on-disk cache.
NJIT = dict(cache=True, nogil=True)
NJIT_PARALLEL = dict(cache=True, nogil=True, parallel=True)
#: Largest m for which pairwise support uses the per-candidate bitmask histogram.
SUPPORT_HIST_MAX_M = 12
#: Below this many array elements kernels run on one thread: starting threads costs more.
SERIAL_MAX_ELEMENTS = 1 << 16
#: Long work (searches, big batches, sweeps) runs in chunks of about this many items, driven
#: from Python, so that progress bars advance and Ctrl-C / timeouts stop it between chunks.
CHUNK_ITEMS = 4096


def tie_tolerance(scale: float | np.ndarray) -> float | np.ndarray:
    """Absolute tolerance for a tie test on quantities of magnitude ``scale``.

    ``TIE_RTOL * |scale|``: purely relative, with no absolute floor (a floor such as
    ``max(1, scale)`` makes ties depend on the unit of the weights).

    >>> bool(tie_tolerance(1e-300) == 1e-309)
    True
    """
    return TIE_RTOL * np.abs(scale)


def power_of_two_scale(x_max: float) -> float:
    """The power of two ``2**-e`` that brings a positive finite ``x_max`` into ``[1, 2)``.

    Multiplying by a power of two is exact in binary floating point (no rounding), unless it
    underflows to subnormals, so comparisons made on scaled values are those on the originals.
    Returns 1.0 for ``x_max`` that is 0, negative or not finite.
    """
    if not (x_max > 0.0) or not math.isfinite(x_max):
        return 1.0
    _, e = math.frexp(x_max)  # x_max = f * 2**e, f in [0.5, 1)
    return math.ldexp(1.0, 1 - e)


def rescale_weights(w: np.ndarray | None, axis: int = -1) -> np.ndarray | None:
    """Weights divided by an exact power of two so that the largest is in ``[1, 2)``.

    Per item (along ``axis``), so that no sum over voters can overflow (``n * 2 < 1e308`` for
    any realistic ``n``) and tiny weights (``1e-300``) do not vanish into subnormals. Returns a
    new array; ``None`` passes through (unit weights need no scaling).

    >>> w = rescale_weights(np.array([1e-300, 3e-300]))
    >>> float(w[1] / w[0]), bool(1 <= w.max() < 2)
    (3.0, True)
    """
    if w is None:
        return None
    w = np.asarray(w, dtype=np.float64)
    if w.size == 0:
        return w.copy()
    wmax = np.max(w, axis=axis, keepdims=True)
    ok = (wmax > 0) & np.isfinite(wmax)
    safe = np.where(ok, wmax, 1.0)
    _, e = np.frexp(safe)
    return np.ldexp(w, np.where(ok, 1 - e, 0))


def utility_scale(u: np.ndarray, axis=None) -> np.ndarray:
    """The range ``max - min`` of finite utilities (1 where it is zero or undefined).

    Solvers divide utilities (after subtracting the disagreement point) by this before they run
    and multiply results back, so their absolute tolerances act relative to the problem's scale.
    """
    u = np.asarray(u, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        lo = np.nanmin(u, axis=axis, keepdims=axis is not None) if u.size else 0.0
        hi = np.nanmax(u, axis=axis, keepdims=axis is not None) if u.size else 0.0
        r = np.asarray(hi - lo, dtype=np.float64)
    return np.where(np.isfinite(r) & (r > 0), r, 1.0)


def jit_variant(func, suffix: str, **options):
    """``njit(**options)`` of a copy of ``func`` cached under its own name.

    Numba's on-disk cache keys a function by qualified name, line, bytecode and closure
    values, not by the jit options: a parallel and a serial compile of one function would
    share a cache entry, and whichever was saved last would be loaded for both.
    """
    from numba import njit

    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__ + suffix,
                              func.__defaults__, func.__closure__)
    copy.__qualname__ = func.__qualname__ + suffix
    copy.__doc__ = func.__doc__
    copy.__module__ = func.__module__
    return njit(**options)(copy)
