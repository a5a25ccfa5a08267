"""Uncertainty for pluralism metrics (docs/divergences.md §5.2, §6).

- :func:`bootstrap`: confidence intervals by resampling the observations along ``axis``
  (wraps :func:`scipy.stats.bootstrap`); ``cluster=`` resamples whole clusters (questions)
  with vectorised multinomial weights;
- :func:`rater_bootstrap`: resample raters and items of a raters x items matrix with
  multinomial or Poisson count weights applied by matrix products, in chunks, never a Python
  loop per replicate;
- paired model comparisons (:func:`paired_bootstrap`, :func:`paired_permutation`,
  :func:`wilcoxon`, :func:`compare`), multiple-comparison correction (:func:`adjust`), Wilson
  intervals (:func:`wilson`) and the sampling noise floor (:func:`noise_floor`).

Every interval resamples the unit its estimate is a mean over: observations (questions) for
:func:`bootstrap`, whole clusters with ``cluster=``, raters *and* items for a mean over items of
rater means (:func:`rater_bootstrap`), questions for the paired comparisons.

All randomness comes from ``rng`` (anything :func:`numpy.random.default_rng` accepts, resolved
by :func:`socialchoice._random.resolve_rng`). The methods are registered in ``REGISTRY``
(``names()``, ``get()``, ``info()``); metadata ``unit`` names what each one resamples.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._chunks import run_chunked
from ._compat import renamed_parameters
from ._random import resolve_rng
from ._registry import Registry, family_api
from .divergence._population import NoiseFloorResult, noise_floor
from .divergence._api import TupleLike, check_choice, check_int, check_level, renamed_attributes
from .errors import ValidationError

__all__ = [
    "REGISTRY",
    "names",
    "get",
    "info",
    "BootstrapResult",
    "ComparisonResult",
    "WilsonResult",
    "AdjustResult",
    "NoiseFloorResult",
    "bootstrap",
    "rater_bootstrap",
    "paired_bootstrap",
    "paired_permutation",
    "compare",
    "wilcoxon",
    "adjust",
    "wilson",
    "replicate_interval",
    "IntervalResult",
    "noise_floor",
]

REGISTRY = Registry("statistical method", "stats")
names, get, info = family_api(REGISTRY)


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
        The bootstrap replicates (replicates on axis 0 for :func:`rater_bootstrap` and the
        cluster bootstrap, on the last axis for the scipy path).
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
class ComparisonResult:
    """Comparison of two models' per-question scores (``delta = a - b``).

    Attributes
    ----------
    mean_difference : float
    low, high : float
        Bootstrap interval for the mean difference (paired: questions resampled once for
        both models).
    pvalue : float
        From ``test`` (NaN for ``test="bootstrap"``, which gives only the interval).
    n : int
        Number of questions (the smaller sample for unpaired tests).
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


@dataclass(frozen=True)
class IntervalResult(TupleLike):
    """A confidence interval from resampling replicates; unpacks as ``low, high``.

    Attributes
    ----------
    low, high : float or ndarray
    confidence_level : float
    method : str
        ``"percentile"`` or ``"basic"``.
    n_resamples : int
    """

    low: Any
    high: Any
    confidence_level: float
    method: str
    n_resamples: int

    _unpack = ("low", "high")


@dataclass(frozen=True)
class WilsonResult(TupleLike):
    """Wilson score interval; unpacks as ``low, high``.

    Attributes
    ----------
    low, high : float or ndarray
    confidence_level : float
    """

    low: Any
    high: Any
    confidence_level: float

    _unpack = ("low", "high")


@dataclass(frozen=True)
class AdjustResult(TupleLike):
    """Multiple-comparison correction; unpacks as ``reject, pvalues``.

    Attributes
    ----------
    reject : ndarray of bool
        Hypotheses rejected at ``alpha`` after correction.
    pvalues : ndarray
        Adjusted p-values, shaped like the input.
    method : str
    alpha : float
    """

    reject: Any
    pvalues: Any
    method: str
    alpha: float

    _unpack = ("reject", "pvalues")


_METHODS = ("percentile", "basic", "bca")

# --------------------------------------------------------------------------- validation


def _check_common(n_resamples, confidence_level, method, batch):
    check_int(n_resamples, "n_resamples")
    check_level(confidence_level)
    check_choice(method, "method", _METHODS)
    check_int(batch, "batch", none_ok=True)


def _as_float(x: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"`{name}` must be numeric") from None


def _scipy_rng(func: Callable, gen: np.random.Generator) -> dict:
    """``{"rng": gen}`` for scipy functions that take ``rng=`` (scipy >= 1.15), else
    ``{"random_state": gen}`` (the declared floor, scipy 1.10, has only that)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):  # pragma: no cover - C functions
        params = {}
    return {"rng": gen} if "rng" in params else {"random_state": gen}


# --------------------------------------------------------------------------- intervals


def _interval(theta, boot, alpha, method, z0=None, acc=None):
    """Percentile / basic / BCa bounds from replicates on axis 0."""
    if method == "bca":
        from scipy.special import ndtr, ndtri

        za = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
        lv = [ndtr(z0 + (z0 + z) / (1 - acc * (z0 + z))) for z in za]
        return _quantile_per(boot, lv[0]), _quantile_per(boot, lv[1])
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
    if method == "basic":
        return 2 * theta - hi, 2 * theta - lo
    return lo, hi


def _quantile_per(boot, levels):
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
    d = jack.mean(axis=0) - jack
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


def _s(v):
    v = np.asarray(v)
    return v[()] if v.ndim == 0 else v


def _weighted_mean_stat(d, w):
    """Mean of ``d`` (..., n) under count weights ``w`` (B, n): (B, ...)."""
    return (w @ np.moveaxis(d, -1, 0).reshape(d.shape[-1], -1)).reshape(
        (w.shape[0],) + d.shape[:-1]) / w.sum(axis=1).reshape((-1,) + (1,) * (d.ndim - 1))


@REGISTRY.register(aliases=("bootstrap_ci",), family="bootstrap", random=True,
                   unit="observations along axis, or clusters", scale="equivariant",
                   oracle="scipy.stats.bootstrap")
def bootstrap(data, statistic: Callable | str = np.mean, *, n_resamples: int = 9999,
              confidence_level: float = 0.95, method: str = "bca", rng=None,
              batch: int | None = None, cluster=None, axis: int = -1,
              progress: Any = None) -> BootstrapResult:
    """Bootstrap confidence interval, resampling questions (observations) along ``axis``.

    Without ``cluster`` this wraps :func:`scipy.stats.bootstrap` (the statistic must accept
    ``axis=``; extra leading dimensions are independent data sets, all handled in one
    vectorised call). With ``cluster`` (one label per observation along ``axis``), whole
    clusters are resampled with multinomial count weights, in chunks of ``batch`` replicates;
    ``statistic`` is then ``"mean"`` or a callable ``f(data, weights)`` that takes weights of
    shape ``(B, n)`` and returns ``(B, ...)``. Resample the unit the statistic averages over:
    when several observations share a question, pass the question as ``cluster``.

    Parameters
    ----------
    data : array_like
    statistic : callable or "mean"
    n_resamples : int, default 9999
    confidence_level : float, default 0.95
    method : {"bca", "percentile", "basic"}
        BCa falls back to percentile with a warning when degenerate.
    rng : optional
        Anything :func:`numpy.random.default_rng` accepts.
    batch : int, optional
        Replicates per vectorised batch (caps memory).
    cluster : array_like, optional
        Cluster label of each observation.
    axis : int, default -1
    progress : bool or callable, optional
        Progress of the cluster bootstrap's chunks (see :func:`socialchoice._chunks.run_chunked`).

    Returns
    -------
    BootstrapResult
        Interval of the statistic over the resampled observations.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> x = np.random.default_rng(0).normal(size=200)
    >>> res = sc.stats.bootstrap(x, n_resamples=999, rng=1)
    >>> bool(res.low < x.mean() < res.high), res.method
    (True, 'bca')
    """
    _check_common(n_resamples, confidence_level, method, batch)
    x = _as_float(data, "data")
    if x.ndim == 0:
        raise ValidationError("`data` is a scalar; pass at least 2 observations along `axis`")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)) or \
            not -x.ndim <= axis < x.ndim:
        raise ValidationError(f"`axis`={axis!r} is out of range for `data` of shape {x.shape}")
    if x.shape[axis] < 2:
        raise ValidationError("`data` needs at least 2 observations along `axis`")
    if np.isnan(x).any():
        raise ValidationError("`data` contains NaN; drop missing questions before bootstrapping")
    if np.isinf(x).any():
        raise ValidationError("`data` contains inf; pass finite values")
    gen = resolve_rng(rng)
    alpha = 1 - confidence_level
    if isinstance(statistic, str):
        if statistic != "mean":
            raise ValidationError(f"`statistic`={statistic!r}; pass a callable or 'mean'")
        statistic = np.mean if cluster is None else _weighted_mean_stat
    elif not callable(statistic):
        raise ValidationError("`statistic` must be a callable or 'mean'")
    if cluster is None:
        import scipy.stats as st

        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", getattr(st, "DegenerateDataWarning", RuntimeWarning))
            res = st.bootstrap((x,), statistic, n_resamples=n_resamples, batch=batch,
                               confidence_level=confidence_level, method=method, axis=axis,
                               **_scipy_rng(st.bootstrap, gen))
        used = method
        lo, hi = res.confidence_interval
        if method == "bca" and np.any(np.isnan(lo) | np.isnan(hi)):
            warnings.warn("BCa interval is degenerate; falling back to the percentile interval",
                          RuntimeWarning, stacklevel=2)
            # scipy's percentile interval, from the replicates it drew (last axis)
            lo, hi = np.percentile(res.bootstrap_distribution,
                                   [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=-1)
            used = "percentile"
        est = statistic(x, axis=axis)  # type: ignore[call-arg]  # np.mean here (cluster is None)
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
    theta = np.asarray(statistic(x, np.ones((1, x.shape[-1]))))[0]
    chunk = batch or max(1, int(2e7 // max(1, x.shape[-1])))

    def work(a, b):
        counts = gen.multinomial(G, np.full(G, 1.0 / G), size=b - a).astype(np.float64)
        return np.asarray(statistic(x, counts[:, cid]))

    boot = np.concatenate(run_chunked(work, n_resamples, chunk=chunk, progress=progress,
                                      desc="resamples"), axis=0)
    jack = None
    if method == "bca":
        W = np.ones((G, G)) - np.eye(G)
        jack = np.asarray(statistic(x, W[:, cid]))
    (lo, hi), used = _with_fallback(method, theta, boot, alpha, jack)
    return BootstrapResult(_s(theta), _s(lo), _s(hi), _s(boot.std(axis=0, ddof=1)),
                           confidence_level, used, n_resamples, boot)


def _rater_counts(gen, b, n, scheme):
    if scheme == "poisson":
        return gen.poisson(1.0, size=(b, n)).astype(np.float64)
    idx = gen.integers(0, n, size=(b, n))
    idx += (np.arange(b) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


@REGISTRY.register(family="bootstrap", unit="raters and items (two-way)", random=True,
                   scale="equivariant")
@renamed_parameters(aggregate="reduce")
def rater_bootstrap(X, *, weights=None, item_statistic: Callable | None = None,
                    reduce: str | None = "mean", resample_items: bool | None = None,
                    n_resamples: int = 1000, confidence_level: float = 0.95,
                    method: str = "percentile", scheme: str = "multinomial", rng=None,
                    batch: int | None = None, progress: Any = None) -> BootstrapResult:
    """Bootstrap over raters (and items) of a raters x items matrix.

    Each replicate draws rater count weights ``C`` (multinomial: n draws with replacement;
    or Poisson(1)), forms the weighted item means ``(C w) @ X / (C w) @ mask`` with two
    matrix products per chunk, applies ``item_statistic`` to the ``(b, items)`` means, and
    reduces over items, with multinomial item weights when ``resample_items``: a mean over
    items of rater means varies with the sample of raters *and* with the sample of items, so
    by default both are resampled.

    Parameters
    ----------
    X : array_like, shape (raters, items)
        Values (NaN = missing). One-hot answer indicators give answer distributions as means.
    weights : array_like, shape (raters,), optional
        Survey weights.
    item_statistic : callable, optional
        ``f(means) -> (b, items')``, vectorised over replicates, e.g. a divergence of the
        resampled distributions to a model's (default: the means themselves).
    reduce : {"mean", None}
        Mean over items (a scalar interval), or ``None`` for one interval per item. An item
        left without any resampled rater (possible for sparsely rated items) is skipped in
        that replicate's mean; with ``reduce=None`` its replicate is NaN and the quantiles
        ignore it. (``aggregate=`` is the deprecated old name.)
    resample_items : bool, optional
        Also resample items (questions) in each replicate. Default: ``True`` with
        ``reduce="mean"`` (the estimate averages items), ``False`` with ``reduce=None``. Pass
        ``False`` for an interval conditional on these items.
    n_resamples, confidence_level : int, float
    method : {"percentile", "basic"}
    scheme : {"multinomial", "poisson"}
    rng : optional
        Anything :func:`numpy.random.default_rng` accepts.
    batch : int, optional
        Replicates per chunk (default: about 2e7 rater weights per chunk).
    progress : bool or callable, optional
        A tqdm bar over chunks (``True``) or ``progress(done, total)``.

    Returns
    -------
    BootstrapResult
        Replicates on axis 0.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> X = np.random.default_rng(0).normal(size=(500, 3))
    >>> res = sc.stats.rater_bootstrap(X, reduce=None, rng=0)
    >>> bool(np.all((res.low < X.mean(0)) & (X.mean(0) < res.high)))
    True
    """
    _check_common(n_resamples, confidence_level, method, batch)
    if method == "bca":
        raise ValidationError("`method='bca'` is not available for rater_bootstrap; use "
                              "'percentile' or 'basic'")
    check_choice(scheme, "scheme", ("multinomial", "poisson"))
    if reduce not in ("mean", None):
        raise ValidationError(f"`reduce`={reduce!r}; use 'mean' or None")
    if resample_items is None:
        resample_items = reduce == "mean"
    if resample_items and reduce is None:
        raise ValidationError("`resample_items=True` needs reduce='mean'")
    A = _as_float(X, "X")
    if A.ndim != 2 or A.shape[0] < 2 or A.shape[1] < 1:
        raise ValidationError(f"`X` must be (raters, items) with >= 2 raters, got {A.shape}")
    if np.isinf(A).any():
        raise ValidationError("`X` contains inf; pass finite values (NaN = missing)")
    n, Q = A.shape
    w = np.ones(n) if weights is None else _as_float(weights, "weights")
    if w.shape != (n,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValidationError(f"`weights` must be {n} finite values >= 0 with a positive sum")
    mask = ~np.isnan(A)
    has_nan = not mask.all()
    Az = np.where(mask, A, 0.0)
    M = mask.astype(np.float64)
    gen = resolve_rng(rng)
    # raters and items draw from their own streams: chunking never changes the replicates
    gen_r, gen_i = (np.random.default_rng(s) for s in gen.integers(0, 2**63, size=2))

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
    theta = np.nanmean(theta_items, axis=1)[0] if reduce == "mean" else theta_items[0]

    def work(a, b):
        v = stat(_rater_counts(gen_r, b - a, n, scheme))
        if reduce == "mean":
            if resample_items:
                k = v.shape[1]
                cnt = gen_i.multinomial(k, np.full(k, 1.0 / k), size=b - a).astype(np.float64)
                with np.errstate(invalid="ignore", divide="ignore"):
                    v = np.nansum(cnt * v, axis=1) / np.sum(cnt * ~np.isnan(v), axis=1)
            else:
                v = np.nanmean(v, axis=1)
        return v

    chunk = batch or max(1, min(n_resamples, int(2e7 // n)))
    boot = np.concatenate(run_chunked(work, n_resamples, chunk=chunk, progress=progress,
                                      desc="resamples"), axis=0)
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
    x, y = _as_float(a, "a"), _as_float(b, "b")
    if x.ndim != 1 or y.ndim != 1:
        raise ValidationError("`a` and `b` must be 1-D per-question scores")
    if x.shape != y.shape:
        raise ValidationError(
            f"`a` has {x.shape[0]} questions and `b` {y.shape[0]}; a paired comparison needs "
            "the same questions in the same order"
        )
    if x.shape[0] < 2:
        raise ValidationError("a paired comparison needs at least 2 questions in `a` and `b`")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValidationError("`a` and `b` must be finite (drop questions with missing scores)")
    return x, y


@REGISTRY.register(family="paired", unit="questions", scale="equivariant", random=True,
                   oracle="scipy.stats.bootstrap on a - b")
def paired_bootstrap(a, b, *, n_resamples: int = 9999, confidence_level: float = 0.95,
                     method: str = "percentile", rng=None) -> ComparisonResult:
    """CI for the mean per-question difference, resampling questions once for both models.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.stats.paired_bootstrap([.8, .7, .9, .6], [.7, .7, .8, .5], rng=0)
    >>> round(r.mean_difference, 6), r.n
    (0.075, 4)
    """
    _check_common(n_resamples, confidence_level, method, None)
    x, y = _paired_inputs(a, b)
    res = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                    method=method, rng=rng)
    return ComparisonResult(float(np.mean(x - y)), float(res.low), float(res.high), np.nan,
                            x.shape[0], "bootstrap", confidence_level)


_ALTERNATIVES = ("two-sided", "greater", "less")


@REGISTRY.register(aliases=("sign_flip_permutation",), family="paired", unit="questions",
                   random=True,
                   scale="invariant", oracle="scipy.stats.permutation_test(samples)")
def paired_permutation(a, b, *, n_resamples: int = 9999, alternative: str = "two-sided",
                       confidence_level: float = 0.95, rng=None) -> ComparisonResult:
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

    check_int(n_resamples, "n_resamples")
    check_level(confidence_level)
    check_choice(alternative, "alternative", _ALTERNATIVES)
    x, y = _paired_inputs(a, b)
    gen = resolve_rng(rng)
    res = st.permutation_test((x, y), lambda u, v, axis: np.mean(u - v, axis=axis),
                              permutation_type="samples", vectorized=True,
                              n_resamples=n_resamples, alternative=alternative,
                              **_scipy_rng(st.permutation_test, gen))
    ci = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                   method="percentile", rng=gen)
    return ComparisonResult(float(np.mean(x - y)), float(ci.low), float(ci.high),
                            float(res.pvalue), x.shape[0], "permutation", confidence_level)


@REGISTRY.register(aliases=("signed_rank",), family="paired", unit="questions", random=True,
                   scale="invariant", oracle="scipy.stats.wilcoxon")
def wilcoxon(a, b, *, confidence_level: float = 0.95, rng=None,
             n_resamples: int = 9999) -> ComparisonResult:
    """Wilcoxon signed-rank test on the per-question differences (:func:`scipy.stats.wilcoxon`).

    The interval is the paired percentile bootstrap of the mean difference.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.stats.wilcoxon([.8, .7, .9, .6, .8, .9], [.7, .6, .8, .5, .7, .95], rng=0)
    >>> r.test, r.n
    ('wilcoxon', 6)
    """
    import scipy.stats as st

    check_int(n_resamples, "n_resamples")
    check_level(confidence_level)
    x, y = _paired_inputs(a, b)
    if not np.any(x - y):
        raise ValidationError("`a` and `b` are equal on every question; the signed-rank test "
                              "needs some nonzero difference")
    p = st.wilcoxon(x - y).pvalue
    ci = bootstrap(x - y, np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                   method="percentile", rng=rng)
    return ComparisonResult(float(np.mean(x - y)), float(ci.low), float(ci.high), float(p),
                            x.shape[0], "wilcoxon", confidence_level)


_PAIRED = {"permutation": paired_permutation, "bootstrap": paired_bootstrap,
           "wilcoxon": wilcoxon}
_TESTS = tuple(sorted(_PAIRED)) + ("permutation_independent", "welch")


@REGISTRY.register(family="paired", unit="questions (paired) or each sample (unpaired)",
                   random=True,
                   scale=None)
def compare(a, b, *, test: str = "permutation", paired: bool | None = None,
            n_resamples: int = 9999, confidence_level: float = 0.95,
            rng=None) -> ComparisonResult:
    """Compare two models' per-question scores (``delta = a - b``).

    Paired tests: ``"permutation"`` (sign flip), ``"bootstrap"``, ``"wilcoxon"``. Unpaired
    tests (``"welch"``, ``"permutation_independent"``) on two score vectors of equal length
    are refused unless ``paired=False`` is passed: scores on the same questions must be
    compared paired. The unpaired interval resamples each sample on its own.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.stats.compare([.8, .7, .9], [.7, .7, .8], test="welch")
    Traceback (most recent call last):
    ...
    socialchoice.errors.ValidationError: an unpaired test ('welch') on two score vectors of the same length; if both models were scored on the same questions use a paired test (test='permutation'), else pass paired=False
    """
    check_choice(test, "test", _TESTS)
    if paired not in (None, True, False):
        raise ValidationError(f"`paired`={paired!r}; pass True, False or None")
    if test in _PAIRED:
        if paired is False:
            raise ValidationError(f"test={test!r} is paired but paired=False was passed")
        return _PAIRED[test](a, b, n_resamples=n_resamples, confidence_level=confidence_level,
                             rng=rng)
    import scipy.stats as st

    check_int(n_resamples, "n_resamples")
    check_level(confidence_level)
    x, y = _as_float(a, "a"), _as_float(b, "b")
    if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2:
        raise ValidationError("`a` and `b` must be 1-D with at least 2 scores each")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValidationError("`a` and `b` must be finite (drop questions with missing scores)")
    if x.shape == y.shape and paired is not False:
        raise ValidationError(
            f"an unpaired test ({test!r}) on two score vectors of the same length; if both "
            "models were scored on the same questions use a paired test "
            "(test='permutation'), else pass paired=False"
        )
    gen = resolve_rng(rng)

    def diff(u, v, axis):
        return np.mean(u, axis=axis) - np.mean(v, axis=axis)

    if test == "welch":
        p = st.ttest_ind(x, y, equal_var=False).pvalue
    else:
        p = st.permutation_test((x, y), diff, permutation_type="independent", vectorized=True,
                                n_resamples=n_resamples,
                                **_scipy_rng(st.permutation_test, gen)).pvalue
    r = st.bootstrap((x, y), diff, n_resamples=n_resamples, confidence_level=confidence_level,
                     method="percentile", **_scipy_rng(st.bootstrap, gen))
    lo, hi = r.confidence_interval
    return ComparisonResult(float(x.mean() - y.mean()), float(lo), float(hi), float(p),
                            int(min(x.size, y.size)), test, confidence_level)


_ADJUST = ("bonferroni", "holm", "fdr_bh", "fdr_by")


@REGISTRY.register(aliases=("multiple_comparisons",), family="adjustment", unit=None, random=False,
                   scale=None, oracle="statsmodels.stats.multitest.multipletests")
def adjust(pvalues, method: str = "holm", *, alpha: float = 0.05) -> AdjustResult:
    """Multiple-comparison correction (:func:`statsmodels.stats.multitest.multipletests`).

    The family is exactly the p-values passed (e.g. groups x models x metrics).

    Parameters
    ----------
    pvalues : array_like
    method : {"bonferroni", "holm", "fdr_bh", "fdr_by"}
    alpha : float

    Returns
    -------
    AdjustResult
        ``reject, pvalues`` (unpacks as that pair), shaped like ``pvalues``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> reject, padj = sc.stats.adjust([0.01, 0.04, 0.03, 0.20], "holm")
    >>> reject.tolist(), padj.round(6).tolist()
    ([True, False, False, False], [0.04, 0.09, 0.09, 0.2])
    """
    from statsmodels.stats.multitest import multipletests

    check_choice(method, "method", _ADJUST)
    p = _as_float(pvalues, "pvalues")
    if p.size == 0:
        raise ValidationError("`pvalues` is empty; pass at least one p-value")
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise ValidationError("`pvalues` must be finite values in [0, 1]")
    alpha = check_level(alpha, "alpha")
    reject, padj, _, _ = multipletests(p.ravel(), alpha=alpha, method=method)
    return AdjustResult(reject.reshape(p.shape), padj.reshape(p.shape), method, alpha)


@REGISTRY.register(aliases=("wilson_interval",), family="interval", unit=None, scale=None, random=False,
                   oracle="statsmodels proportion_confint(method='wilson')")
def wilson(x, n, *, confidence_level: float = 0.95) -> WilsonResult:
    """Wilson score interval for ``x`` successes out of ``n`` (statsmodels' ``wilson``).

    With survey weights pass ``n = n_eff`` and ``x = share * n_eff`` (may be fractional).

    Returns
    -------
    WilsonResult
        ``low, high`` (unpacks as that pair).

    Examples
    --------
    >>> import socialchoice as sc
    >>> [round(float(v), 12) for v in sc.stats.wilson(7, 20)]
    [0.181191824101, 0.567145723315]
    """
    from statsmodels.stats.proportion import proportion_confint

    xx, nn = _as_float(x, "x"), _as_float(n, "n")
    if not (np.isfinite(xx).all() and np.isfinite(nn).all()) or (nn <= 0).any():
        raise ValidationError("`n` must be positive and `x`, `n` finite")
    if (xx < 0).any() or (xx > nn).any():
        raise ValidationError("`x` must lie in [0, n]")
    level = check_level(confidence_level)
    try:
        lo, hi = proportion_confint(xx, nn, alpha=1 - level, method="wilson")
    except ValueError:
        raise ValidationError(f"`x` {xx.shape} and `n` {nn.shape} do not broadcast") from None
    return WilsonResult(_s(lo), _s(hi), level)


@REGISTRY.register(family="bootstrap", unit="the caller's resampling unit", scale="equivariant",
                   oracle="numpy.quantile of the replicates")
def replicate_interval(estimate, replicates, *, confidence_level: float = 0.95,
                       method: str = "percentile") -> IntervalResult:
    """Percentile or basic interval from resampling replicates the caller drew itself.

    For resampling schemes :func:`bootstrap` does not draw (strata of a rater pool, juries,
    clusters with a custom statistic): the caller resamples the unit its estimate is a mean
    over, and this turns the replicates into an interval with the same conventions as
    :func:`bootstrap`.

    Parameters
    ----------
    estimate : array_like
        The estimate on the original sample (used by ``method="basic"``).
    replicates : array_like, shape (n_resamples, ...)
        The estimate on each resample, on axis 0.
    confidence_level : float
    method : {"percentile", "basic"}

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> r = sc.stats.replicate_interval(0.5, np.linspace(0, 1, 101), confidence_level=0.9)
    >>> round(float(r.low), 12), round(float(r.high), 12)
    (0.05, 0.95)
    """
    level = check_level(confidence_level)
    check_choice(method, "method", ("percentile", "basic"))
    boot = _as_float(replicates, "replicates")
    theta = _as_float(estimate, "estimate")
    if boot.ndim == 0 or boot.shape[0] < 2:
        raise ValidationError("`replicates` needs at least 2 resamples on axis 0")
    if np.isnan(boot).any():
        raise ValidationError("`replicates` holds NaN; drop or fix the failed resamples first")
    try:
        ok = np.broadcast_shapes(theta.shape, boot.shape[1:]) == boot.shape[1:]
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError(f"`estimate` {theta.shape} does not match the replicates' shape "
                              f"{boot.shape[1:]}")
    lo, hi = _interval(theta, boot, 1 - level, method)
    return IntervalResult(_s(lo), _s(hi), level, method, int(boot.shape[0]))


REGISTRY.register(family="noise_floor", unit="multinomial draws (parametric)", scale=None,
                  random=True,
                  oracle="Monte Carlo of the divergence of multinomial samples")(noise_floor)

__getattr__ = renamed_attributes("socialchoice.stats", {
    "PairedComparison": ("ComparisonResult", ComparisonResult),
    "NoiseFloor": ("NoiseFloorResult", NoiseFloorResult),
})
