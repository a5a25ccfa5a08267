"""Numeric knobs in one place."""

from __future__ import annotations

import types

#: Relative tolerance for equality of real-valued scores (spec/rules.md §1.5).
SCORE_RTOL = 1e-9
#: Tolerance for probability vectors summing to one.
PROB_SUM_ATOL = 1e-6
#: Numba options shared by every kernel: lazy compilation, on-disk cache.
NJIT = dict(cache=True, nogil=True)
NJIT_PARALLEL = dict(cache=True, nogil=True, parallel=True)


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
#: Largest m for which pairwise support uses the per-candidate bitmask histogram.
SUPPORT_HIST_MAX_M = 12
#: Below this many array elements kernels run on one thread: starting threads costs more.
SERIAL_MAX_ELEMENTS = 1 << 16
