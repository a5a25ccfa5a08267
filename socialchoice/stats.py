"""Uncertainty for pluralism metrics (spec/divergences.md §5.2, §6).

- :func:`bootstrap`: confidence intervals by resampling questions (wraps
  :func:`scipy.stats.bootstrap`; ``cluster=`` resamples whole clusters with vectorised
  multinomial weights);
- :func:`rater_bootstrap`: resample raters (and optionally questions) of a raters x items
  matrix with multinomial or Poisson count weights applied by matrix products, in batches
  (``batch=``), never a Python loop per replicate;
- paired model comparisons (:func:`paired_bootstrap`, :func:`paired_permutation`,
  :func:`compare`), multiple-comparison correction (:func:`adjust`), Wilson intervals
  (:func:`wilson`) and the sampling noise floor (:func:`noise_floor`).

All randomness comes from ``rng`` (a :class:`numpy.random.Generator` or a seed).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .divergence._population import NoiseFloor, noise_floor
from .errors import ValidationError

__all__ = [
    "BootstrapResult",
    "PairedComparison",
    "bootstrap",
    "rater_bootstrap",
    "paired_bootstrap",
    "paired_permutation",
    "compare",
    "wilcoxon",
    "adjust",
    "wilson",
    "noise_floor",
    "NoiseFloor",
]


@dataclass(frozen=True)
class BootstrapResult:
    """A bootstrap confidence interval.

    Attributes
    ----------
    estimate : ndarray or float
        The statistic on the original data.
    low, high : ndarray or float
        Interval bounds.
    standard_error : ndarray or float
        Standard deviation of the bootstrap distribution.
    confidence_level : float
    method : str
        ``"percentile"``, ``"basic"`` or ``"bca"`` (the method actually used).
    n_resamples : int
    distribution : ndarray or None
        The bootstrap replicates (replicates on axis 0 for :func:`rater_bootstrap`).
    """

    estimate: Any
    low: Any
    high: Any
    standard_error: Any
    confidence_level: float
    method: str
    n_resamples: int
    distribution: Any = None


@dataclass(frozen=True)
class PairedComparison:
    """Comparison of two models scored on the same questions (``delta = a - b``).

    Attributes
    ----------
    mean_difference : float
    low, high : float
        Paired-bootstrap interval for the mean difference.
    pvalue : float
        From ``test`` (NaN for ``test="bootstrap"``, which gives only the interval).
    n : int
        Number of questions.
    test : str
    confidence_level : float
    """

    mean_difference: float
    low: float
    high: float
    pvalue: float
    n: int
    test: str
    confidence_level: float


_METHODS = ("percentile", "basic", "bca")


def _rng(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    raise ValidationError(f"`rng`={rng!r}; pass a numpy.random.Generator or an integer seed")


def _check_common(n_resamples, confidence_level, method, batch):
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValidationError(f"`n_resamples`={n_resamples!r}; pass a positive integer")
    if not 0 < confidence_level < 1:
        raise ValidationError(f"`confidence_level`={confidence_level!r}; pass a value in (0, 1)")
    if method not in _METHODS:
        raise ValidationError(f"`method`={method!r}; use one of {_METHODS}")
    if batch is not None and (not isinstance(batch, (int, np.integer)) or batch < 1):
        raise ValidationError(f"`batch`={batch!r}; pass a positive integer or None")


def _interval(theta, boot, alpha, method, z0=None, acc=None):
    """Percentile / basic / BCa bounds from replicates on axis 0."""
    if method == "bca":
        from scipy.special import ndtr, ndtri

        za = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
        lv = []
        for z in za:
            num = z0 + z
            lv.append(ndtr(z0 + num / (1 - acc * num)))
        lo = _nanquantile_per(boot, lv[0])
        hi = _nanquantile_per(boot, lv[1])
        return lo, hi
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
    if method == "basic":
        return 2 * theta - hi, 2 * theta - lo
    return lo, hi


def _nanquantile_per(boot, levels):
    levels = np.broadcast_to(levels, boot.shape[1:])
    out = np.empty(boot.shape[1:])
    flat_b = boot.reshape(boot.shape[0], -1)
    for j, lv in enumerate(levels.reshape(-1)):
        out.reshape(-1)[j] = np.quantile(flat_b[:, j], lv)
    return out


def _with_fallback(method, theta, boot, alpha, jack):
    """BCa with percentile fallback when it is degenerate."""
    if method != "bca":
        return _interval(theta, boot, alpha, method), method
    from scipy.special import ndtri

    frac = (boot < theta).mean(axis=0)
    jm = jack.mean(axis=0)
    d = jm - jack
    den = 6.0 * (d**2).sum(axis=0) ** 1.5
    degenerate = (np.ptp(boot, axis=0) == 0) | (den == 0) | (frac == 0) | (frac == 1)
    if np.any(degenerate):
        warnings.warn("BCa interval is degenerate (constant replicates or zero jackknife "
                      "variance); falling back to the percentile interval", RuntimeWarning,
                      stacklevel=3)
        return _interval(theta, boot, alpha, "percentile"), "percentile"
    z0 = ndtri(frac)
    acc = (d**3).sum(axis=0) / den
    return _interval(theta, boot, alpha, "bca", z0, acc), "bca"


def bootstrap(data, statistic: Callable | str = np.mean, *, n_resamples: int = 9999,
              confidence_level: float = 0.95, method: str = "bca", rng=None,
              batch: int | None = None, cluster=None, axis: int = -1) -> BootstrapResult:
    """Bootstrap confidence interval, resampling questions (items) along ``axis``.

    Without ``cluster`` this wraps :func:`scipy.stats.bootstrap` (the statistic must accept
    ``axis=``; extra leading dimensions are independent data sets, all handled in one
    vectorised call). With ``cluster`` (one label per observation along ``axis``), whole
    clusters are resampled with multinomial count weights; ``statistic`` is then ``"mean"``
    or a callable ``f(data, weights)`` that takes weights of shape ``(B, n)`` and returns
    ``(B, ...)``.

    Parameters
    ----------
    data : array_like
    statistic : callable or "mean"
    n_resamples : int, default 9999
    confidence_level : float, default 0.95
    method : {"bca", "percentile", "basic"}
        BCa falls back to percentile with a warning when degenerate.
    rng : numpy.random.Generator or int, optional
    batch : int, optional
        Replicates per vectorised batch (caps memory).
    cluster : array_like, optional
        Cluster label of each observation.
    axis : int, default -1

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> x = np.random.default_rng(0).normal(size=200)
    >>> res = sc.stats.bootstrap(x, n_resamples=999, rng=1)
    >>> bool(res.low < x.mean() < res.high), res.method
    (True, 'bca')
    """
    _check_common(n_resamples, confidence_level, method, batch)
    x = np.asarray(data, dtype=np.float64)
    if x.ndim == 0 or x.shape[axis] < 2:
        raise ValidationError("`data` needs at least 2 observations along `axis`")
    if np.isnan(x).any():
        raise ValidationError("`data` contains NaN; drop missing questions before bootstrapping")
    gen = _rng(rng)
    alpha = 1 - confidence_level
    if cluster is None:
        import scipy.stats as st

        if isinstance(statistic, str):
            if statistic != "mean":
                raise ValidationError("`statistic` must be a callable or 'mean'")
            statistic = np.mean
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", getattr(st, "DegenerateDataWarning", RuntimeWarning))
            res = st.bootstrap((x,), statistic, n_resamples=n_resamples, batch=batch,
                               confidence_level=confidence_level, method=method, axis=axis,
                               rng=gen)
        used = method
        lo, hi = res.confidence_interval
        if method == "bca" and np.any(np.isnan(lo) | np.isnan(hi)):
            warnings.warn("BCa interval is degenerate; falling back to the percentile interval",
                          RuntimeWarning, stacklevel=2)
            res = st.bootstrap((x,), statistic, n_resamples=0, bootstrap_result=res,
                               confidence_level=confidence_level, method="percentile",
                               axis=axis, rng=gen)
            lo, hi = res.confidence_interval
            used = "percentile"
        est = statistic(x, axis=axis)
        return BootstrapResult(_s(est), _s(lo), _s(hi), _s(res.standard_error),
                               confidence_level, used, n_resamples, res.bootstrap_distribution)
    # clustered
    x = np.moveaxis(x, axis, -1)
    lab = np.asarray(cluster)
    if lab.shape != (x.shape[-1],):
        raise ValidationError(
            f"`cluster` has shape {lab.shape}; pass one label per observation ({x.shape[-1]},)"
        )
    _, cid = np.unique(lab, return_inverse=True)
    G = int(cid.max()) + 1
    if G < 2:
        raise ValidationError("`cluster` has a single cluster; nothing to resample")
    if isinstance(statistic, str):
        if statistic != "mean":
            raise ValidationError("`statistic` must be 'mean' or a callable f(data, weights)")

        def statistic(d, w):  # noqa: F811
            return (w @ np.moveaxis(d, -1, 0).reshape(d.shape[-1], -1)).reshape(
                (w.shape[0],) + d.shape[:-1]) / w.sum(axis=1).reshape(
                (-1,) + (1,) * (d.ndim - 1))
    theta = np.asarray(statistic(x, np.ones((1, x.shape[-1]))))[0]
    bsize = batch or max(1, int(2e7 // max(1, x.shape[-1])))
    reps = []
    done = 0
    while done < n_resamples:
        b = min(bsize, n_resamples - done)
        counts = gen.multinomial(G, np.full(G, 1.0 / G), size=b).astype(np.float64)
        reps.append(np.asarray(statistic(x, counts[:, cid])))
        done += b
    boot = np.concatenate(reps, axis=0)
    jack = None
    if method == "bca":
        W = np.ones((G, G)) - np.eye(G)
        jack = np.asarray(statistic(x, W[:, cid]))
    (lo, hi), used = _with_fallback(method, theta, boot, alpha, jack)
    return BootstrapResult(_s(theta), _s(lo), _s(hi), _s(boot.std(axis=0, ddof=1)),
                           confidence_level, used, n_resamples, boot)


def _s(v):
    v = np.asarray(v)
    return v[()] if v.ndim == 0 else v


def _rater_counts(gen, b, n, scheme):
    if scheme == "poisson":
        return gen.poisson(1.0, size=(b, n)).astype(np.float64)
    idx = gen.integers(0, n, size=(b, n))
    idx += (np.arange(b) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


def rater_bootstrap(X, *, weights=None, item_statistic: Callable | None = None,
                    aggregate: str | None = "mean", resample_items: bool = False,
                    n_resamples: int = 1000, confidence_level: float = 0.95,
                    method: str = "percentile", scheme: str = "multinomial", rng=None,
                    batch: int | None = None, progress: bool = False) -> BootstrapResult:
    """Bootstrap over raters (and optionally items) of a raters x items matrix.

    Each replicate draws rater count weights ``C`` (multinomial: n draws with replacement;
    or Poisson(1)), forms the weighted item means ``(C w) @ X / (C w) @ mask`` with two
    matrix products per batch, applies ``item_statistic`` to the ``(b, items)`` means, and
    aggregates over items (with multinomial item weights when ``resample_items``).

    Parameters
    ----------
    X : array_like, shape (raters, items)
        Values (NaN = missing). One-hot answer indicators give answer distributions as means.
    weights : array_like, shape (raters,), optional
        Survey weights.
    item_statistic : callable, optional
        ``f(means) -> (b, items')``, vectorised over replicates, e.g. a divergence of the
        resampled distributions to a model's (default: the means themselves).
    aggregate : {"mean", None}
        Mean over items (a scalar interval), or ``None`` for one interval per item. An item
        left without any resampled rater (possible for sparsely rated items) is skipped in
        that replicate's mean; with ``aggregate=None`` its replicate is NaN and the quantiles
        ignore it.
    resample_items : bool
        Also resample items (questions) in each replicate (needs ``aggregate="mean"``).
    n_resamples, confidence_level : int, float
    method : {"percentile", "basic"}
    scheme : {"multinomial", "poisson"}
    rng : Generator or int, optional
    batch : int, optional
        Replicates per batch (default: about 2e7 rater weights per batch).
    progress : bool
        Show a tqdm progress bar over batches.

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> X = np.random.default_rng(0).normal(size=(500, 3))
    >>> res = sc.stats.rater_bootstrap(X, aggregate=None, rng=0)
    >>> bool(np.all((res.low < X.mean(0)) & (X.mean(0) < res.high)))
    True
    """
    _check_common(n_resamples, confidence_level, method, batch)
    if method == "bca":
        raise ValidationError("`method='bca'` is not available for rater_bootstrap; use "
                              "'percentile' or 'basic'")
    if scheme not in ("multinomial", "poisson"):
        raise ValidationError(f"`scheme`={scheme!r}; use 'multinomial' or 'poisson'")
    if aggregate not in ("mean", None):
        raise ValidationError(f"`aggregate`={aggregate!r}; use 'mean' or None")
    if resample_items and aggregate is None:
        raise ValidationError("`resample_items=True` needs aggregate='mean'")
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] < 2:
        raise ValidationError(f"`X` must be (raters, items) with >= 2 raters, got {A.shape}")
    if np.isinf(A).any():
        raise ValidationError("`X` contains inf")
    n, Q = A.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValidationError(f"`weights` must be {n} finite values >= 0 with a positive sum")
    mask = ~np.isnan(A)
    has_nan = not mask.all()
    Az = np.where(mask, A, 0.0)
    M = mask.astype(np.float64)
    gen = _rng(rng)

    def stat(C):
        Cw = C * w
        num = Cw @ Az
        den = Cw @ M if has_nan else Cw.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = num / den
        v = means if item_statistic is None else np.asarray(item_statistic(means))
        if v.ndim != 2 or v.shape[0] != C.shape[0]:
            raise ValidationError("`item_statistic` must map (b, items) means to (b, items')")
        return v

    theta_items = stat(np.ones((1, n)))
    if np.isnan(theta_items).any():
        raise ValidationError("some item has no (positively weighted) rater; drop it first")
    theta = np.nanmean(theta_items, axis=1)[0] if aggregate == "mean" else theta_items[0]
    bsize = batch or max(1, min(n_resamples, int(2e7 // n)))
    starts = range(0, n_resamples, bsize)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, total=len(starts), desc="bootstrap", unit="batch")
    reps = []
    for s0 in starts:
        b = min(bsize, n_resamples - s0)
        v = stat(_rater_counts(gen, b, n, scheme))
        if aggregate == "mean":
            Qp = v.shape[1]
            if resample_items:
                cnt = _rater_counts(gen, b, Qp, "multinomial")
                v = np.nansum(cnt * v, axis=1) / np.sum(cnt * ~np.isnan(v), axis=1)
            else:
                v = np.nanmean(v, axis=1)
        reps.append(v)
    boot = np.concatenate(reps, axis=0)
    if np.isnan(boot).any():
        lo, hi = np.nanquantile(boot, [(1 - confidence_level) / 2, (1 + confidence_level) / 2],
                                axis=0)
        if method == "basic":
            lo, hi = 2 * theta - hi, 2 * theta - lo
    else:
        lo, hi = _interval(theta, boot, 1 - confidence_level, method)
    return BootstrapResult(_s(theta), _s(lo), _s(hi), _s(np.nanstd(boot, axis=0, ddof=1)),
                           confidence_level, method, n_resamples, boot)


def _paired_inputs(a, b):
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1:
        raise ValidationError("`a` and `b` must be 1-D per-question scores")
    if x.shape != y.shape:
        raise ValidationError(
            f"`a` has {x.shape[0]} questions and `b` {y.shape[0]}; a paired comparison needs "
            "the same questions in the same order"
        )
    if x.shape[0] < 2:
        raise ValidationError("a paired comparison needs at least 2 questions")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValidationError("`a` and `b` must be finite (drop questions with missing scores)")
    return x, y


def paired_bootstrap(a, b, *, n_resamples: int = 9999, confidence_level: float = 0.95,
                     method: str = "percentile", rng=None) -> PairedComparison:
    """CI for the mean per-question difference, resampling questions once for both models.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.stats.paired_bootstrap([.8, .7, .9, .6], [.7, .7, .8, .5], rng=0)
    >>> round(r.mean_difference, 6), r.n
    (0.075, 4)
    """
    x, y = _paired_inputs(a, b)
    res = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                    method=method, rng=rng)
    return PairedComparison(float(np.mean(x - y)), float(res.low), float(res.high), np.nan,
                            x.shape[0], "bootstrap", confidence_level)


def paired_permutation(a, b, *, n_resamples: int = 9999, alternative: str = "two-sided",
                       confidence_level: float = 0.95, rng=None) -> PairedComparison:
    """Sign-flip permutation test of the mean difference (exact when ``2^Q <= n_resamples``).

    The interval is the paired percentile bootstrap of the mean difference.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.stats.paired_permutation([.8, .7, .9, .6, .8], [.7, .6, .8, .5, .7], rng=0)
    >>> round(r.pvalue, 4)   # exact: 2 of 32 sign patterns are as extreme
    0.0625
    """
    import scipy.stats as st

    x, y = _paired_inputs(a, b)
    gen = _rng(rng)
    res = st.permutation_test((x, y), lambda u, v, axis: np.mean(u - v, axis=axis),
                              permutation_type="samples", vectorized=True,
                              n_resamples=n_resamples, alternative=alternative, rng=gen)
    ci = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                   method="percentile", rng=gen)
    return PairedComparison(float(np.mean(x - y)), float(ci.low), float(ci.high),
                            float(res.pvalue), x.shape[0], "permutation", confidence_level)


def wilcoxon(a, b, *, confidence_level: float = 0.95, rng=None,
             n_resamples: int = 9999) -> PairedComparison:
    """Wilcoxon signed-rank test on the per-question differences (:func:`scipy.stats.wilcoxon`).

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.stats.wilcoxon([.8, .7, .9, .6, .8, .9], [.7, .6, .8, .5, .7, .95], rng=0)
    >>> r.test, r.n
    ('wilcoxon', 6)
    """
    import scipy.stats as st

    x, y = _paired_inputs(a, b)
    p = st.wilcoxon(x - y).pvalue
    ci = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                   method="percentile", rng=rng)
    return PairedComparison(float(np.mean(x - y)), float(ci.low), float(ci.high), float(p),
                            x.shape[0], "wilcoxon", confidence_level)


def compare(a, b, *, test: str = "permutation", paired: bool | None = None,
            n_resamples: int = 9999, confidence_level: float = 0.95,
            rng=None) -> PairedComparison:
    """Compare two models' per-question scores (``delta = a - b``).

    Paired tests: ``"permutation"`` (sign flip), ``"bootstrap"``, ``"wilcoxon"``. Unpaired
    tests (``"welch"``, ``"permutation_independent"``) on two score vectors of equal length
    are refused unless ``paired=False`` is passed: scores on the same questions must be
    compared paired.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.stats.compare([.8, .7, .9], [.7, .7, .8], test="welch")
    Traceback (most recent call last):
    ...
    socialchoice.errors.ValidationError: an unpaired test ('welch') on two score vectors of the same length; if both models were scored on the same questions use a paired test (test='permutation'), else pass paired=False
    """
    paired_tests = {"permutation": paired_permutation, "bootstrap": paired_bootstrap,
                    "wilcoxon": wilcoxon}
    if test in paired_tests:
        if paired is False:
            raise ValidationError(f"test={test!r} is paired but paired=False was passed")
        kw: dict = dict(n_resamples=n_resamples, confidence_level=confidence_level, rng=rng)
        return paired_tests[test](a, b, **kw)
    if test not in ("welch", "permutation_independent"):
        raise ValidationError(
            f"`test`={test!r}; use one of {sorted(paired_tests) + ['permutation_independent', 'welch']}"
        )
    import scipy.stats as st

    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2:
        raise ValidationError("`a` and `b` must be 1-D with at least 2 scores each")
    if x.shape == y.shape and paired is not False:
        raise ValidationError(
            f"an unpaired test ({test!r}) on two score vectors of the same length; if both "
            "models were scored on the same questions use a paired test "
            "(test='permutation'), else pass paired=False"
        )
    gen = _rng(rng)
    if test == "welch":
        p = st.ttest_ind(x, y, equal_var=False).pvalue
    else:
        p = st.permutation_test((x, y), lambda u, v, axis: np.mean(u, axis=axis) - np.mean(
            v, axis=axis), permutation_type="independent", vectorized=True,
            n_resamples=n_resamples, rng=gen).pvalue
    r = st.bootstrap((x, y), lambda u, v, axis: np.mean(u, axis=axis) - np.mean(v, axis=axis),
                     n_resamples=n_resamples, confidence_level=confidence_level,
                     method="percentile", rng=gen)
    lo, hi = r.confidence_interval
    return PairedComparison(float(x.mean() - y.mean()), float(lo), float(hi), float(p),
                            int(min(x.size, y.size)), test, confidence_level)


def adjust(pvalues, method: str = "holm", *, alpha: float = 0.05):
    """Multiple-comparison correction (:func:`statsmodels.stats.multitest.multipletests`).

    The family is exactly the p-values passed (e.g. groups x models x metrics).

    Parameters
    ----------
    pvalues : array_like
    method : {"bonferroni", "holm", "fdr_bh", "fdr_by"}
    alpha : float

    Returns
    -------
    (reject, p_adjusted) : tuple of ndarrays, shaped like ``pvalues``

    Examples
    --------
    >>> import socialchoice as sc
    >>> reject, padj = sc.stats.adjust([0.01, 0.04, 0.03, 0.20], "holm")
    >>> reject.tolist(), padj.round(6).tolist()
    ([True, False, False, False], [0.04, 0.09, 0.09, 0.2])
    """
    from statsmodels.stats.multitest import multipletests

    methods = ("bonferroni", "holm", "fdr_bh", "fdr_by")
    if method not in methods:
        raise ValidationError(f"`method`={method!r}; use one of {methods}")
    p = np.asarray(pvalues, dtype=np.float64)
    if p.size == 0:
        raise ValidationError("`pvalues` is empty")
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise ValidationError("`pvalues` must be finite values in [0, 1]")
    if not 0 < alpha < 1:
        raise ValidationError(f"`alpha`={alpha!r}; pass a value in (0, 1)")
    reject, padj, _, _ = multipletests(p.ravel(), alpha=alpha, method=method)
    return reject.reshape(p.shape), padj.reshape(p.shape)


def wilson(x, n, *, confidence_level: float = 0.95):
    """Wilson score interval for ``x`` successes out of ``n`` (statsmodels' ``wilson``).

    With survey weights pass ``n = n_eff`` and ``x = share * n_eff`` (may be fractional).

    Returns
    -------
    (low, high) : floats or arrays

    Examples
    --------
    >>> import socialchoice as sc
    >>> [round(float(v), 12) for v in sc.stats.wilson(7, 20)]
    [0.181191824101, 0.567145723315]
    """
    from statsmodels.stats.proportion import proportion_confint

    xx = np.asarray(x, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    if not (np.isfinite(xx).all() and np.isfinite(nn).all()) or (nn <= 0).any():
        raise ValidationError("`n` must be positive and `x`, `n` finite")
    if (xx < 0).any() or (xx > nn).any():
        raise ValidationError("`x` must lie in [0, n]")
    if not 0 < confidence_level < 1:
        raise ValidationError(f"`confidence_level`={confidence_level!r}; pass a value in (0, 1)")
    lo, hi = proportion_confint(xx, nn, alpha=1 - confidence_level, method="wilson")
    return _s(lo), _s(hi)
