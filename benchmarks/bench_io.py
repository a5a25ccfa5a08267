"""PrefLib I/O: parse and write a synthetic soc file of distinct ballots, against preflibtools.

Full size: 10^6 distinct strict orders of 10 candidates (``--quick``: 10^5). preflibtools is a
pure-Python parser, so it is timed on a file with a tenth of the lines and extrapolated linearly
(stated in ``baseline_note``). ``nbytes`` is the file size (bandwidth reference).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _harness import best_time, row

import socialchoice as sc


def distinct_orders(n: int, m: int, seed: int = 0) -> np.ndarray:
    """``n`` distinct permutations of ``0..m-1`` (Lehmer-decoded distinct ranks of m!)."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(math.factorial(m), size=n, replace=False).astype(np.int64)
    avail = np.ones((n, m), bool)
    out = np.empty((n, m), np.int64)
    for i in range(m):
        base = math.factorial(m - 1 - i)
        digit = idx // base
        idx = idx % base
        pos = np.argmax((np.cumsum(avail, axis=1) == (digit + 1)[:, None]) & avail, axis=1)
        out[:, i] = pos
        avail[np.arange(n), pos] = False
    return out


def write_synthetic(path: str, n: int, m: int = 10, seed: int = 0) -> None:
    orders = distinct_orders(n, m, seed)
    counts = np.random.default_rng(seed + 1).integers(1, 6, size=n)
    prof = sc.Rankings.from_orders(orders, weights=counts)
    prof = sc.Rankings(prof.ranks, prof.weights, candidates=range(1, m + 1),
                       metadata={"title": f"synthetic {n} distinct soc ballots",
                                 "data_type": "soc"})
    sc.write_preflib(prof, path)


def _preflibtools_parse(path: str):
    from preflibtools.instances import OrdinalInstance

    inst = OrdinalInstance()
    inst.parse_file(path)
    return inst


def _once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(quick: bool) -> list[dict]:
    n = 10**5 if quick else 10**6
    m = 10
    n_base = n // 10
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.soc")
        small = os.path.join(tmp, "small.soc")
        write_synthetic(big, n, m)
        write_synthetic(small, n_base, m, seed=1)
        nbytes = os.path.getsize(big)
        # warm up the JIT on the small file, then time the full file
        sc.read_preflib(small)
        ours = best_time(lambda: sc.read_preflib(big), repeat=3)
        prof = sc.read_preflib(big)
        assert prof.n_ballots == n and prof.is_linear()
        base = _once(lambda: _preflibtools_parse(small)) * (n / n_base)
        rows.append(row(
            group="io", name="read_preflib (soc, distinct ballots)", size=f"{n:.0e} x {m}",
            seconds=ours, baseline="preflibtools OrdinalInstance.parse_file",
            baseline_seconds=base,
            baseline_note=f"timed on {n_base:.0e} lines, extrapolated linearly x{n // n_base}",
            nbytes=nbytes, target=">= 10x preflibtools",
        ))
        # writing
        out = os.path.join(tmp, "out.soc")
        sc.write_preflib(sc.read_preflib(small), os.path.join(tmp, "warm.soc"))
        ours_w = best_time(lambda: sc.write_preflib(prof, out), repeat=3)
        inst = _preflibtools_parse(small)
        base_w = _once(lambda: inst.write(os.path.join(tmp, "pt.soc"))) * (n / n_base)
        rows.append(row(
            group="io", name="write_preflib (soc)", size=f"{n:.0e} x {m}", seconds=ours_w,
            baseline="preflibtools OrdinalInstance.write", baseline_seconds=base_w,
            baseline_note=f"timed on {n_base:.0e} lines, extrapolated linearly x{n // n_base}",
            nbytes=nbytes,
        ))
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(run("--quick" in sys.argv), indent=2))
