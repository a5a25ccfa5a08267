"""Divergence kernels and the rater bootstrap against the baselines a user would write.

Rows x categories float64 inputs (float32 is also accepted by the kernels). Baselines, in the
same run: scipy's ``jensenshannon(axis=1)``, a blocked in-place numpy JS, ``rel_entr(...).sum(1)``,
and the per-row ``scipy.stats.wasserstein_distance`` loop (timed on 10^4 rows, extrapolated).
"""

from __future__ import annotations

import math

import numpy as np
from _harness import best_time, row

import socialchoice as sc


def js_numpy_blocked(p, q, block=8192, base=2.0):
    """A careful numpy JS distance: row blocks that stay in cache, preallocated buffers."""
    n, K = p.shape
    out = np.empty(n)
    a = np.empty((block, K))
    b = np.empty((block, K))
    m = np.empty((block, K))
    t = np.empty((block, K))
    sa = np.empty((block, 1))
    sb = np.empty((block, 1))
    scale = 0.5 / math.log(base)
    for s in range(0, n, block):
        e = min(n, s + block)
        r = e - s
        A, B, M, T = a[:r], b[:r], m[:r], t[:r]
        np.sum(p[s:e], axis=1, keepdims=True, out=sa[:r])
        np.sum(q[s:e], axis=1, keepdims=True, out=sb[:r])
        np.divide(p[s:e], sa[:r], out=A)
        np.divide(q[s:e], sb[:r], out=B)
        np.add(A, B, out=M)
        M *= 0.5
        T.fill(1.0)
        np.divide(A, M, out=T, where=A > 0)
        np.log(T, out=T)
        T *= A
        acc = T.sum(axis=1)
        T.fill(1.0)
        np.divide(B, M, out=T, where=B > 0)
        np.log(T, out=T)
        T *= B
        acc += T.sum(axis=1)
        out[s:e] = acc
    out *= scale
    np.sqrt(out, out=out)
    return out


def _inputs(n, K, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.random((n, K))
    q = rng.random((n, K))
    p[rng.random((n, K)) < 0.05] = 0.0  # some zeros, as real answer distributions have
    p[:, 0] += p.sum(1) == 0  # but no all-zero row
    p /= p.sum(1, keepdims=True)
    q /= q.sum(1, keepdims=True)
    return p, q


def run(quick: bool) -> list[dict]:
    from scipy.spatial.distance import jensenshannon
    from scipy.special import rel_entr
    from scipy.stats import wasserstein_distance

    D = sc.divergence
    n = 10**5 if quick else 10**6
    rows = []
    for K in (5, 50):
        p, q = _inputs(n, K)
        size = f"{n:.0e} x {K}"
        nbytes = p.nbytes + q.nbytes
        # warm up the JIT (both kernels) before timing
        D.jensen_shannon_distance(p[:10], q[:10])
        D.jensen_shannon_distance(p, q)
        ours = best_time(lambda: D.jensen_shannon_distance(p, q), repeat=3)
        sp = best_time(lambda: jensenshannon(p, q, axis=1, base=2), repeat=1, warmup=0)
        blk = best_time(lambda: js_numpy_blocked(p, q), repeat=2)
        chk = np.max(np.abs(D.jensen_shannon_distance(p[:1000], q[:1000])
                            - jensenshannon(p[:1000], q[:1000], axis=1, base=2)))
        rows.append(row(group="divergence", name="JS distance", size=size, seconds=ours,
                        baseline="scipy jensenshannon(axis=1)", baseline_seconds=sp,
                        nbytes=nbytes, target=">= 10x scipy", extra={"max_abs_diff": float(chk)}))
        rows.append(row(group="divergence", name="JS distance", size=size, seconds=ours,
                        baseline="blocked in-place numpy", baseline_seconds=blk,
                        nbytes=nbytes, target=">= 1.5x blocked numpy"))
        D.kl(p, q)
        ours = best_time(lambda: D.kl(p, q), repeat=3)
        base = best_time(lambda: rel_entr(p, q).sum(axis=1), repeat=1, warmup=0)
        rows.append(row(group="divergence", name="KL", size=size, seconds=ours,
                        baseline="rel_entr(p, q).sum(axis=1)", baseline_seconds=base,
                        nbytes=nbytes, target=">= 5x"))
        D.wasserstein_ordinal(p, q)
        ours = best_time(lambda: D.wasserstein_ordinal(p, q), repeat=5)
        m = 2000 if quick else 10**4
        x = np.arange(K, dtype=float)
        loop = best_time(lambda: [wasserstein_distance(x, x, p[i], q[i]) for i in range(m)],
                         repeat=1, warmup=0) * (n / m)
        rows.append(row(group="divergence", name="W1 ordinal", size=size, seconds=ours,
                        baseline="per-row scipy wasserstein_distance loop",
                        baseline_seconds=loop, baseline_note=f"timed on {m} rows, x{n // m}",
                        nbytes=nbytes, target=">= 100x loop; >= 0.5 bandwidth"))
        p = q = None  # free the inputs before the next size
    # the acceptance size of the divergence family: JS divergence over 10^6 x 10 rows
    p, q = _inputs(n, 10)
    D.jensen_shannon(p, q)
    ours = best_time(lambda: D.jensen_shannon(p, q), repeat=5)
    sp = best_time(lambda: jensenshannon(p, q, axis=1, base=2) ** 2, repeat=1, warmup=0)
    rows.append(row(group="divergence", name="JS divergence", size=f"{n:.0e} x 10",
                    seconds=ours, baseline="scipy jensenshannon(axis=1)**2",
                    baseline_seconds=sp, nbytes=p.nbytes + q.nbytes, target=">= 10x scipy"))
    p = q = None
    # question-cluster bootstrap of distributional alignment: 300 questions x 100 groups
    import pandas as pd

    rng = np.random.default_rng(2)
    nq, ng, B = 300, 100, (200 if quick else 2000)
    d = rng.uniform(-0.3, 0.3, (nq, ng))
    human = pd.DataFrame({"question": np.repeat(np.arange(nq), ng),
                          "group": np.tile(np.arange(ng), nq),
                          "distribution": list(np.stack([0.5 + d.ravel(), 0.5 - d.ravel()], 1))})
    model = pd.DataFrame({"question": np.arange(nq), "distribution": [np.array([.5, .5])] * nq})
    res = D.pluralism.distributional_alignment(model, human, n_resamples=B, rng=0)
    ours = best_time(lambda: D.pluralism.distributional_alignment(model, human, n_resamples=B,
                                                                  rng=0), repeat=1, warmup=0)
    scores = res.scores

    def loop_cluster(reps=20):
        g = np.random.default_rng(0)
        by_q = [sub for _, sub in scores.groupby("question")]
        return [pd.concat([by_q[i] for i in g.integers(0, nq, nq)]).groupby("group")["score"]
                .mean().mean() for _ in range(reps)]

    lc = best_time(loop_cluster, repeat=1, warmup=0) * (B / 20)
    rows.append(row(group="stats", name=f"distributional alignment, {B} question resamples",
                    size=f"{nq} q x {ng} groups", seconds=ours,
                    baseline="pandas loop of question resamples", baseline_seconds=lc,
                    baseline_note=f"20 replicates, x{B // 20}", target="< 5 s"))
    # rater bootstrap: 1,000 replicates over raters x questions
    nr, Q, B = (10**4, 100, 200) if quick else (10**5, 100, 1000)
    rng = np.random.default_rng(1)
    X = rng.integers(0, 2, size=(nr, Q)).astype(np.float64)
    sc.stats.rater_bootstrap(X[:100], n_resamples=5, rng=0)
    ours = best_time(lambda: sc.stats.rater_bootstrap(X, n_resamples=B, rng=0), repeat=1,
                     warmup=0)

    def loop_boot(reps=10):
        g = np.random.default_rng(0)
        return [X[g.integers(0, nr, nr)].mean(axis=0).mean() for _ in range(reps)]

    lb = best_time(loop_boot, repeat=1, warmup=0) * (B / 10)
    rows.append(row(group="stats", name=f"rater bootstrap, {B} replicates", size=f"{nr} x {Q}",
                    seconds=ours, baseline="Python loop of index resamples",
                    baseline_seconds=lb, baseline_note=f"10 replicates, x{B // 10}",
                    target="< 60 s"))
    return rows
