"""sc.jury: agreement, jury verdicts, the PRISM jury protocol, and the out-of-core example.

* Krippendorff's alpha at every level on 20 raters x 10^5 units (30% missing, 5 values) against
  the PyPI ``krippendorff`` package (same run); interval alpha on 3 x 2,000 continuous values
  (time and tracemalloc peak) and on 10^6 values; ratio alpha on 10^6 distinct values (the
  Fourier path).
* 10^4 juries of 1,000 raters x 8 alternatives through Borda, Nash welfare and maximin in one
  ``jury.verdicts`` call (juries gathered into ``(juries, 1000, 8)`` blocks of ~64 MB, each one
  batched call) against a Python loop over juries calling the same package function; the loop
  is timed on a sample of juries and extrapolated linearly (the row says so).
* PRISM's protocol (1,000 jury draws x jury sizes 10/20/50/100, percentile summaries of the
  jury mean) vectorised over items, against a per-item Python loop (sampled, extrapolated).
* The out-of-core example (examples/out_of_core_jury.py) in a subprocess at two sizes, with
  its peak RSS (``/proc``-free: ``resource.getrusage``) and time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from _harness import best_time, row

from socialchoice import jury

HERE = Path(__file__).resolve().parent


def _alpha_rows(quick: bool) -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    units = 10_000 if quick else 100_000
    X = rng.integers(1, 6, (20, units)).astype(float)
    X[rng.random(X.shape) < 0.3] = np.nan
    try:
        import krippendorff
    except ImportError:  # pragma: no cover
        krippendorff = None
    for level in ("nominal", "ordinal", "interval", "ratio"):
        jury.krippendorff_alpha(X[:, :100], level)
        sec = best_time(lambda level=level: jury.krippendorff_alpha(X, level), repeat=3)
        base = None
        if krippendorff is not None:
            base = best_time(lambda level=level: krippendorff.alpha(reliability_data=X, level_of_measurement=level),
                             repeat=2, warmup=0)
            assert abs(jury.krippendorff_alpha(X, level).alpha -
                       krippendorff.alpha(reliability_data=X, level_of_measurement=level)) < 1e-9
        rows.append(row(group="agreement", name=f"krippendorff_alpha {level}",
                        size=f"20 x {units:,} (30% missing, 5 values)", seconds=sec,
                        baseline="krippendorff.alpha", baseline_seconds=base,
                        target=">= 5x krippendorff"))
    # continuous interval alpha: 3 x 2,000, time and peak traced memory
    Y = rng.normal(size=(3, 2000))
    jury.krippendorff_alpha(Y, "interval")
    sec = best_time(lambda: jury.krippendorff_alpha(Y, "interval"), repeat=5)
    tracemalloc.start()
    jury.krippendorff_alpha(Y, "interval")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows.append(row(group="agreement", name="krippendorff_alpha interval, continuous",
                    size="3 x 2,000", seconds=sec, target="< 0.1 s and < 100 MB",
                    baseline="krippendorff.alpha", baseline_note="needs a 6000 x 6000 x 2000 array "
                    "(536 GiB) here: MemoryError", extra={"peak_traced_mb": peak / 2**20}))
    n = 200_000 if quick else 1_000_000
    Z = rng.gamma(2.0, size=(4, n // 4))
    for level in ("interval", "ordinal", "ratio"):
        t = time.perf_counter()
        tracemalloc.start()
        jury.krippendorff_alpha(Z, level)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(row(group="agreement", name=f"krippendorff_alpha {level}, continuous",
                        size=f"4 x {n // 4:,} ({n:,} distinct values)", seconds=time.perf_counter() - t,
                        target="seconds", extra={"peak_traced_mb": peak / 2**20}))
    return rows


def _verdict_rows(quick: bool) -> list[dict]:
    import socialchoice as sc

    rows = []
    rng = np.random.default_rng(1)
    n_j = 1_000 if quick else 10_000
    R = rng.random((10_000, 8))
    groups = np.repeat(np.arange(4), 2_500)
    J = jury.sample(groups, {0: 250, 1: 250, 2: 250, 3: 250}, n_juries=n_j, seed=0)
    t = time.perf_counter()
    jury.sample(groups, {0: 250, 1: 250, 2: 250, 3: 250}, n_juries=n_j, seed=1)
    rows.append(row(group="juries", name="jury.sample", size=f"{n_j:,} juries of 1,000 from 10,000",
                    seconds=time.perf_counter() - t, target="well under 1 s"))
    loops = {"borda": lambda T: sc.rules.borda(sc.Ratings(T)),
             "nash": lambda T: sc.welfare.nash(T),
             "maximin": lambda T: sc.rules.maximin(sc.Ratings(T))}
    for agg, one in loops.items():
        jury.verdicts(R, J[:20], aggregate=agg)
        sec = best_time(lambda agg=agg: jury.verdicts(R, J, aggregate=agg), repeat=5, warmup=1)
        k = 30 if agg == "borda" else 200
        def run_loop(one=one, k=k):
            for j in J[:k]:
                one(R[j])

        # both sides best-of: the machine's noise would otherwise decide the ratio
        loop = best_time(run_loop, repeat=3, warmup=1) / k * n_j
        rows.append(row(group="juries", name=f"verdicts(aggregate={agg!r})",
                        size=f"{n_j:,} juries x 1,000 raters x 8", seconds=sec,
                        baseline="Python loop over juries, same package function",
                        baseline_seconds=loop, baseline_note=f"loop timed on {k} juries (best of 3), extrapolated",
                        nbytes=n_j * 1000 * 8 * 8, target=">= 100x loop"))
    return rows


def _prism_rows(quick: bool) -> list[dict]:
    rows = []
    rng = np.random.default_rng(2)
    items = 1_000 if quick else 100_000
    pool = 500 if quick else 200     # 10^5 x 200 float64 = 160 MB of labels
    L = rng.integers(1, 101, (items, pool)).astype(float)   # 1-100 ratings, PRISM style
    L[rng.random(L.shape) < 0.2] = np.nan
    levels = (0.05, 0.25, 0.5, 0.75, 0.95)

    def ours():
        out = {}
        for k in (10, 20, 50, 100):
            J = jury.sample(np.zeros(pool, dtype=int), {0: k}, n_juries=1000, seed=k)
            out[k] = jury.verdicts(L, J, aggregate="mean", quantile_levels=levels).quantiles
        return out

    res = ours()  # compiles the kernels (cached on disk after the first run)
    t = time.perf_counter()
    res = ours()
    sec = time.perf_counter() - t

    def loop(n_items):
        g = np.random.default_rng(0)
        for i in range(n_items):
            for k in (10, 20, 50, 100):
                means = [np.nanmean(L[i, g.choice(pool, k, replace=False)]) for _ in range(1000)]
                np.quantile(means, levels)

    t = time.perf_counter()
    loop(3)
    base = (time.perf_counter() - t) / 3 * items
    assert res[10].shape == (5, items)
    rows.append(row(group="juries", name="PRISM protocol (1,000 draws x sizes 10/20/50/100, percentiles)",
                    size=f"{items:,} items x {pool} raters", seconds=sec,
                    baseline="per-item Python loop (np.random.choice + nanmean)", baseline_seconds=base,
                    baseline_note="loop timed on 3 items, extrapolated; ours shares the jury draws "
                    "across items (one rater pool)", target="informational"))
    return rows


def _out_of_core_rows(quick: bool) -> list[dict]:
    rows = []
    sizes = (200_000, 1_000_000) if quick else (1_000_000, 10_000_000)
    for n in sizes:
        code = (f"import sys, json; sys.path.insert(0, {str(HERE.parent / 'examples')!r});"
                "import warnings; warnings.simplefilter('ignore');"
                f"import out_of_core_jury as ex; info = ex.main({n}, 250_000);"
                "print(json.dumps({k: v for k, v in info.items() if k != 'results'}))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        info = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row(group="out of core", name="examples/out_of_core_jury.py (4 rules + 2 welfare)",
                        size=f"{n:,} raters x 10 (float32 zarr, chunks of 250,000)",
                        seconds=info["aggregate_seconds"], target="bounded memory",
                        extra={"write_seconds": info["write_seconds"], "peak_rss_mb": info["peak_rss_mb"],
                               "tensor_mb": info["tensor_mb"]}))
    return rows


def run(quick: bool) -> list[dict]:
    return _alpha_rows(quick) + _verdict_rows(quick) + _prism_rows(quick) + _out_of_core_rows(quick)


if __name__ == "__main__":
    quick = "--full" not in sys.argv
    for r in run(quick=quick):
        print({k: v for k, v in r.items() if v not in (None, "")})
