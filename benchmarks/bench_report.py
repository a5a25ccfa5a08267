"""``socialchoice report`` on a generated table of 10^6 raters (the issue's "under a minute
warm" goal).

A long-format CSV of 10^6 raters x 5 alternatives (ratings 1-5, about 10 % missing) with a
two-group rater attribute is written once (not timed); the timed call is the whole command
(read, every section, index.html + report.json + summary.md) after a warm-up run on a small
table of the same shape, so Numba's compilation is excluded. There is no tool a user would
run instead, so the row has no baseline; its target is the issue's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import row


def _table(path: str, n: int, m: int = 5, seed: int = 0) -> None:
    import pandas as pd

    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    base = np.where(group[:, None] == 0, [4, 3, 3, 2, 2], [2, 3, 3, 4, 2])[:, :m]
    vals = np.clip(base + rng.integers(-2, 3, (n, m)), 1, 5).astype(float)
    keep = rng.random((n, m)) >= 0.1
    r, a = np.nonzero(keep)
    pd.DataFrame({"rater": r, "alternative": a, "rating": vals[r, a],
                  "group": group[r]}).to_csv(path, index=False)


def run(quick: bool) -> list[dict]:
    from socialchoice.cli import main

    n = 10**5 if quick else 10**6
    with tempfile.TemporaryDirectory() as d:
        small, big = os.path.join(d, "small.csv"), os.path.join(d, "big.csv")
        _table(small, 2000, seed=1)
        _table(big, n)
        args = ["--attribute", "group", "--no-open", "--seed", "0"]
        assert main(["report", small, "--out", os.path.join(d, "warm"), *args]) == 0
        t = time.perf_counter()
        code = main(["report", big, "--out", os.path.join(d, "out"), *args])
        sec = time.perf_counter() - t
        assert code == 0
        size = os.path.getsize(big)
    return [row(group="report", name="socialchoice report (every section, html+json+md)",
                size=f"{n:,} raters x 5 alternatives, 2 groups ({size / 1e6:.0f} MB CSV)",
                seconds=sec, target="< 60 s warm", nbytes=size)]
