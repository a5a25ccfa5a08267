"""Profile generation: impartial culture and Mallows, 10^7 voters x 10 candidates (--quick: 10^6).

Baselines, timed in the same run:

* IC: ``np.argsort(rng.random((n, m)), axis=1).astype(np.int8)`` (uniform orders by sorting
  uniforms; needs an (n, m) float64 and an (n, m) int64 temporary);
* Mallows: a vectorised numpy repeated-insertion model at the same n (one ``searchsorted`` and one
  broadcast shift per inserted candidate, int8 positions), plus ``prefsampling.ordinal.mallows``
  (pure-Python loop per voter) timed on 2*10^4 voters and extrapolated linearly.
"""

from __future__ import annotations

import numpy as np
from _harness import best_time, row

import socialchoice as sc
from socialchoice.generate import _insertion_cdf


def _numpy_rim(n: int, m: int, phi: float, rng: np.random.Generator) -> np.ndarray:
    cdf = _insertion_cdf(phi, m)
    pos = np.zeros((n, m), np.int8)
    for i in range(1, m):
        j = np.searchsorted(cdf[i, : i + 1], rng.random(n), side="right").astype(np.int8)
        j = np.minimum(j, i)
        head = pos[:, :i]
        head += head >= j[:, None]
        pos[:, i] = j
    return pos  # identity center: positions are the ranks


def run(quick: bool) -> list[dict]:
    n = 10**6 if quick else 10**7
    m = 10
    size = f"{n:.0e} voters x {m}"
    nbytes = n * m  # int8 output
    rng = np.random.default_rng(0)
    rows = []

    # warm up the kernels (JIT compile / cache load) on a small size
    sc.generate.impartial_culture(1000, m, seed=0)
    sc.generate.mallows(1000, m, phi=0.5, seed=0)

    t_ic = best_time(lambda: sc.generate.impartial_culture(n, m, seed=1), repeat=3)
    t_np = best_time(lambda: np.argsort(rng.random((n, m)), axis=1).astype(np.int8),
                     repeat=1 if not quick else 2, warmup=0)
    rows.append(row(group="generate", name="impartial_culture", size=size, seconds=t_ic,
                    baseline="np.argsort(rng.random((n, m))).astype(int8)", baseline_seconds=t_np,
                    baseline_note="same n, same run", nbytes=nbytes,
                    target="well above the numpy argsort baseline"))

    t_ma = best_time(lambda: sc.generate.mallows(n, m, phi=0.5, seed=1), repeat=3)
    t_rim = best_time(lambda: _numpy_rim(n, m, 0.5, rng), repeat=1 if not quick else 2, warmup=0)
    rows.append(row(group="generate", name="mallows phi=0.5", size=size, seconds=t_ma,
                    baseline="vectorised numpy repeated insertion", baseline_seconds=t_rim,
                    baseline_note="same n, same run", nbytes=nbytes,
                    target="well above the numpy baseline"))
    try:
        from prefsampling.ordinal import mallows as ps_mallows
    except ImportError:  # optional oracle
        ps_mallows = None
    if ps_mallows is not None:
        n_small = 20000
        t_ps = best_time(lambda: ps_mallows(n_small, m, 0.5, seed=1), repeat=1, warmup=0)
        rows.append(row(group="generate", name="mallows phi=0.5 (vs prefsampling)", size=size,
                        seconds=t_ma, baseline="prefsampling.ordinal.mallows",
                        baseline_seconds=t_ps * n / n_small,
                        baseline_note=f"timed at n={n_small}, extrapolated linearly",
                        nbytes=nbytes))

    t_urn = best_time(lambda: sc.generate.urn(n // 10, m, alpha=0.1, n_items=10, seed=1),
                      repeat=3)
    rows.append(row(group="generate", name="urn alpha=0.1 (10 items)", size=size, seconds=t_urn,
                    nbytes=nbytes, target="reported only"))

    # chunked (dask) generation: items x 10 raters x 100 alternatives, computed chunk by chunk
    # with the synchronous scheduler into a per-chunk reduction, so memory stays at one chunk;
    # the eager call of the same size is the baseline
    import dask

    n_items = 10**4 if quick else 10**5
    chunk = 2000
    size_c = f"{n_items:.0e} items x 10 x 100"
    lazy = lambda: sc.generate.mallows(10, 100, phi=0.5, n_items=n_items, chunks=chunk, seed=2)
    with dask.config.set(scheduler="synchronous"):
        t_ch = best_time(lambda: lazy().data.max(axis=0).compute(), repeat=2)
    t_eager = best_time(lambda: sc.generate.mallows(10, 100, phi=0.5, n_items=n_items, seed=2),
                        repeat=2)
    rows.append(row(group="generate", name=f"mallows chunks={chunk} (dask, lazy)", size=size_c,
                    seconds=t_ch, baseline="eager sc.generate.mallows, same size",
                    baseline_seconds=t_eager, baseline_note="same run", nbytes=n_items * 1000,
                    target="close to eager; memory one chunk"))
    lazy_r = lambda: sc.generate.grouped_ratings(n_items, 10, 100, dtype="float32", chunks=chunk,
                                                 seed=2).ratings
    with dask.config.set(scheduler="synchronous"):
        t_rc = best_time(lambda: lazy_r().data.mean(axis=0).compute(), repeat=2)
    t_re = best_time(lambda: sc.generate.grouped_ratings(n_items, 10, 100, seed=2), repeat=2)
    rows.append(row(group="generate", name=f"grouped_ratings float32 chunks={chunk}", size=size_c,
                    seconds=t_rc, baseline="eager grouped_ratings float64, same size",
                    baseline_seconds=t_re, baseline_note="same run", nbytes=n_items * 4000,
                    target="reported only"))
    return rows


if __name__ == "__main__":
    import sys

    for r in run("--quick" in sys.argv):
        print(r)
