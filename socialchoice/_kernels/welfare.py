"""Numba kernels for welfare functions over utility tensors ``(items, agents, alternatives)``.

No validation here: the public layer (:mod:`socialchoice.welfare`) passes C-contiguous arrays
and interprets the returned flags.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from .._config import NJIT, NJIT_PARALLEL, jit_variant


def _make_weighted_mean(M: int, parallel: bool):
    """The weighted-mean kernel; ``M > 0`` fixes the number of alternatives at compile time,
    so the per-row loop unrolls and the accumulators stay in vector registers (2x faster than
    a runtime trip count on items x 1000 x 8)."""

    def weighted_mean(U, w, omit):
        """Weighted mean over agents of ``U[b, :, j]`` with weights ``w[b]``.

        ``w`` has shape (B, n) or (1, n) (broadcast). NaN handling: ``omit=False`` propagates
        a NaN into its alternative; ``omit=True`` works per cell: each alternative's mean runs
        over the agents with a finite utility for it (weights renormalised over them).
        Returns ``(values (B, m) float64, n_used (B,) int64, n_alt (B, m) int64, has_inf (B,)
        bool)``: agents with positive weight and at least one used cell, agents per
        alternative, and a flag for an infinite entry so the caller can raise without a second
        pass over the data.
        """
        B, n, m_ = U.shape
        m = M if M > 0 else m_
        out = np.empty((B, m))
        n_used = np.zeros(B, dtype=np.int64)
        n_alt = np.zeros((B, m), dtype=np.int64)
        has_inf = np.zeros(B, dtype=np.bool_)
        wb = w.shape[0] == B
        for b in prange(B):
            wr = w[b] if wb else w[0]
            Ub = U[b]
            acc = np.zeros(m)
            if omit:
                tots = np.zeros(m)
                cnts = np.zeros(m, dtype=np.int64)
                used = 0
                for i in range(n):
                    wi = wr[i]
                    if wi == 0.0:
                        continue
                    row = Ub[i]
                    any_cell = False
                    for j in range(m):
                        x = np.float64(row[j])
                        if x == x:
                            if x - x != 0.0:
                                has_inf[b] = True
                            acc[j] += wi * x
                            tots[j] += wi
                            cnts[j] += 1
                            any_cell = True
                    if any_cell:
                        used += 1
                n_used[b] = used
                for j in range(m):
                    n_alt[b, j] = cnts[j]
                    out[b, j] = acc[j] / tots[j] if tots[j] > 0.0 else np.nan
                continue
            tot = 0.0
            cnt = 0
            for i in range(n):
                wi = wr[i]
                if wi == 0.0:
                    continue
                tot += wi
                cnt += 1
                row = Ub[i]
                for j in range(m):
                    acc[j] += wi * np.float64(row[j])
            bad = False
            for j in range(m):
                x = acc[j]
                if x - x != 0.0:  # inf or nan: rescan this item's inputs for an inf
                    bad = True
            if bad:
                for i in range(n):
                    for j in range(m):
                        x = Ub[i, j]
                        if x == np.inf or x == -np.inf:
                            has_inf[b] = True
            n_used[b] = cnt
            for j in range(m):
                n_alt[b, j] = cnt
                out[b, j] = acc[j] / tot if tot > 0.0 else np.nan
        return out, n_used, n_alt, has_inf

    return jit_variant(weighted_mean, f"_m{M}_parallel" if parallel else f"_m{M}_serial",
                       **(NJIT_PARALLEL if parallel else NJIT))


#: tensors with fewer entries than this use the serial kernel (a parallel launch costs more)
PARALLEL_MIN_SIZE = 1 << 16
_SPECIALISE_MAX_M = 16
_KERNELS: dict = {}


def weighted_mean_kernel(m: int, size: int):
    """The weighted-mean kernel for ``m`` alternatives and a tensor of ``size`` entries:
    parallel above :data:`PARALLEL_MIN_SIZE`, specialised on ``m`` up to 16 (compiled on
    first use)."""
    key = (m if m <= _SPECIALISE_MAX_M else 0, size >= PARALLEL_MIN_SIZE)
    if key not in _KERNELS:
        _KERNELS[key] = _make_weighted_mean(*key)
    return _KERNELS[key]


def _nash_log_welfare_impl(a, wn, d, vals, nir):
    """``vals[b, j] = sum_i wn[b, i] log(a[b, i, j] - d[b, i])`` over agents with wn > 0;
    an alternative where some such agent has a gain <= 0 gets -inf and ``nir`` True.
    One pass, no (B, n, m) temporaries (numpy needs four)."""
    B, n, m = a.shape
    for b in prange(B):
        for j in range(m):
            vals[b, j] = 0.0
            nir[b, j] = False
        for i in range(n):
            w = wn[b, i]
            if not w > 0.0:
                continue
            di = d[b, i]
            for j in range(m):
                g = a[b, i, j] - di
                if g > 0.0:
                    vals[b, j] += w * np.log(g)
                else:
                    nir[b, j] = True
        for j in range(m):
            if nir[b, j]:
                vals[b, j] = -np.inf


nash_log_welfare = jit_variant(_nash_log_welfare_impl, "_parallel", **NJIT_PARALLEL)
nash_log_welfare_serial = jit_variant(_nash_log_welfare_impl, "_serial", **NJIT)
