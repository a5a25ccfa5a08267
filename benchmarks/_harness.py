"""Timing helpers shared by every ``bench_*.py`` module.

A bench module defines ``run(quick: bool) -> list[dict]`` and builds each row with
:func:`row`. Every row carries the package's time, the baseline a user would otherwise use
(measured in the same run, possibly on a smaller size and extrapolated linearly, which the row
says), and the memory-bandwidth reference: a plain numpy reduction over the same bytes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def best_time(fn: Callable[[], Any], *, repeat: int = 3, warmup: int = 1, min_total: float = 0.0) -> float:
    """Best wall time of ``repeat`` calls after ``warmup`` untimed calls (JIT compile)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    n = 0
    start = time.perf_counter()
    while n < repeat or time.perf_counter() - start < min_total:
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
        n += 1
        if n >= 50:
            break
    return best


_BW_CACHE: dict[int, float] = {}


def bandwidth_seconds(nbytes: int) -> float:
    """Time of ``np.sum`` over a float64 array of ``nbytes`` bytes: the memory-bandwidth floor."""
    nbytes = int(nbytes)
    if nbytes not in _BW_CACHE:
        a = np.ones(max(1, nbytes // 8))
        _BW_CACHE[nbytes] = best_time(lambda: a.sum(), repeat=5)
    return _BW_CACHE[nbytes]


def row(
    *,
    group: str,
    name: str,
    size: str,
    seconds: float,
    baseline: str | None = None,
    baseline_seconds: float | None = None,
    baseline_note: str = "",
    nbytes: int | None = None,
    target: str = "",
    extra: dict | None = None,
) -> dict:
    """One result row; ``speedup`` = baseline / ours, ``bandwidth_fraction`` = floor / ours."""
    r = {
        "group": group,
        "name": name,
        "size": size,
        "seconds": seconds,
        "baseline": baseline,
        "baseline_seconds": baseline_seconds,
        "baseline_note": baseline_note,
        "speedup": (baseline_seconds / seconds) if baseline_seconds else None,
        "nbytes": nbytes,
        "bandwidth_seconds": bandwidth_seconds(nbytes) if nbytes else None,
        "target": target,
    }
    r["bandwidth_fraction"] = (r["bandwidth_seconds"] / seconds) if nbytes else None
    if extra:
        r.update(extra)
    return r


def linear_ranks(rng, shape, m):
    """Random complete strict ballots as an int8 rank array ``shape + (m,)``."""
    return np.argsort(np.argsort(rng.random(shape + (m,)), axis=-1), axis=-1).astype(np.int8)


def pref_voting_loop(fn, orders, k):
    """Seconds for a pref_voting rule over the first ``k`` elections, ``Profile()`` included."""
    from pref_voting.profiles import Profile

    t = time.perf_counter()
    for x in orders[:k]:
        fn(Profile(x.tolist()))
    return time.perf_counter() - t
