"""Numeric knobs in one place."""

from __future__ import annotations

#: Relative tolerance for equality of real-valued scores (spec/rules.md §1.5).
SCORE_RTOL = 1e-9
#: Tolerance for probability vectors summing to one.
PROB_SUM_ATOL = 1e-6
#: Numba options shared by every kernel: lazy compilation, on-disk cache.
NJIT = dict(cache=True, nogil=True)
NJIT_PARALLEL = dict(cache=True, nogil=True, parallel=True)
#: Largest m for which pairwise support uses the per-candidate bitmask histogram.
SUPPORT_HIST_MAX_M = 12
#: Below this many array elements kernels run on one thread: starting threads costs more.
SERIAL_MAX_ELEMENTS = 1 << 16
