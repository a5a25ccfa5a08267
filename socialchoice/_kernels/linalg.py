"""Small dense linear algebra shared by the kernels (no LAPACK: the systems are tiny, and
Numba's LAPACK bindings cost seconds of compile time and raise Python exceptions).

:func:`cholesky_substitute` solves ``L L' x = b`` given the lower Cholesky factor; the
bargaining Newton step (pivoted Cholesky) uses it, and the statistical rules' ``_spd_solve``
can (its two triangular solves are the same loops).
"""

from __future__ import annotations

from numba import njit

from .._config import NJIT


@njit(**NJIT)
def cholesky_substitute(L, b, out, k):
    """``out[:k] = x`` with ``L[:k, :k] L[:k, :k]' x = b[:k]``; ``L`` lower triangular (only
    its lower part is read). ``out`` may be ``b`` (in place)."""
    for c in range(k):  # L y = b
        acc = b[c]
        for t in range(c):
            acc -= L[c, t] * out[t]
        out[c] = acc / L[c, c]
    for c in range(k - 1, -1, -1):  # L' x = y
        acc = out[c]
        for t in range(c + 1, k):
            acc -= L[t, c] * out[t]
        out[c] = acc / L[c, c]
