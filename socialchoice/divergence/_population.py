"""From rater-level responses to population distributions (docs/divergences.md §5).

Survey-weighted answer distributions per (question, group), Kish's effective sample size and
the sampling noise floor: the divergence expected between an ``n``-sample's empirical
distribution and its own population, below which no model can be shown to be closer.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._chunks import run_chunked
from .._random import resolve_rng
from .._validation import check_weights
from ..errors import DistributionError, ValidationError
from . import _dispatch

__all__ = ["kish_ess", "group_distributions", "noise_floor", "NoiseFloorResult"]


def kish_ess(weights, *, axis: int = -1):
    """Kish effective sample size ``(sum w)² / sum w²`` along ``axis``.

    Parameters
    ----------
    weights : array_like
        Non-negative survey weights.
    axis : int, default -1

    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.kish_ess([1, 1, 2, 4])), 6)
    2.909091
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 0:
        raise ValidationError("`weights` must be an array of one weight per respondent")
    w = np.moveaxis(w, axis, -1)
    check_weights(w, w.shape, "weights", what="respondent")
    s = w.sum(axis=-1)
    out = s * s / (w * w).sum(axis=-1)
    return out[()] if out.ndim == 0 else out


def group_distributions(responses, *, question: str = "question", group: str | None = "group",
                        answer: str = "answer", weight: str | None = None,
                        options: dict | None = None, exclude=(),
                        overall: str | None = "Overall"):
    """Survey-weighted answer distribution of every (question, group) (§5.1).

    ``D_g,k = sum_{r in g, y_r = k} s_r / sum_{r in g} s_r`` over the options that are not
    excluded; the weighted share of excluded options (e.g. "Refused") is reported separately
    as ``excluded_share`` (the refusal rate).

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per (respondent, question) answer.
    question, group, answer : str
        Column names. ``group=None`` gives only the overall distribution.
    weight : str, optional
        Column of survey weights (default: every respondent counts 1).
    options : dict, optional
        ``{question: [option, ...]}`` fixing the order of the options (ordinal order for
        OpinionQA); default: the sorted answers seen for that question.
    exclude : sequence
        Options left out of the distribution (reported in ``excluded_share``).
    overall : str or None, default "Overall"
        Label of an extra group holding every respondent; ``None`` to skip it.

    Returns
    -------
    pandas.DataFrame
        Columns ``question, group, options, distribution, n, n_eff, excluded_share`` (one row
        per pair; ``distribution`` is a float array in ``options`` order and ``n_eff`` the
        Kish effective size of the respondents who gave a non-excluded answer).

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> df = pd.DataFrame({"question": ["q1"] * 4, "group": ["a", "a", "b", "b"],
    ...                    "answer": ["yes", "no", "yes", "Refused"], "w": [1, 3, 2, 2]})
    >>> out = sc.divergence.group_distributions(df, weight="w", exclude=["Refused"])
    >>> [(r.group, r.distribution.tolist(), r.excluded_share) for r in out.itertuples()]
    [('Overall', [0.5, 0.5], 0.25), ('a', [0.75, 0.25], 0.0), ('b', [0.0, 1.0], 0.5)]
    """
    import pandas as pd

    if not isinstance(responses, pd.DataFrame):
        raise ValidationError("`responses` must be a pandas DataFrame (one row per answer)")
    cols = [question, answer] + ([group] if group is not None else []) + (
        [weight] if weight is not None else [])
    missing = [c for c in cols if c not in responses.columns]
    if missing:
        raise ValidationError(
            f"`responses` has no column(s) {missing}; columns are {list(responses.columns)}"
        )
    df = responses[cols].copy()
    if weight is None:
        df["_w"] = 1.0
    else:
        w = df[weight].to_numpy(dtype=np.float64)
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValidationError(f"column `{weight}` must hold finite survey weights >= 0")
        df["_w"] = w
    if df[answer].isna().any():
        raise ValidationError(f"column `{answer}` has missing answers; drop those rows first")
    frames = [df.assign(_g=df[group])] if group is not None else []
    if overall is not None:
        frames.insert(0, df.assign(_g=overall))
    if not frames:
        raise ValidationError("pass `group=` or `overall=`")
    long = pd.concat(frames, ignore_index=True)
    exclude = set(exclude)
    rows = []
    for q, sub in long.groupby(question, sort=True):
        opts = list(options[q]) if options is not None and q in options else sorted(
            a for a in sub[answer].unique() if a not in exclude)
        unknown = set(sub[answer].unique()) - set(opts) - exclude
        if unknown:
            raise ValidationError(
                f"question {q!r} has answers {sorted(map(str, unknown))} not in `options` "
                "or `exclude`; add them to one of the two"
            )
        for g, gs in sub.groupby("_g", sort=False):
            wsum = gs.groupby(answer)["_w"].sum()
            tot = float(gs["_w"].sum())
            kept = gs[~gs[answer].isin(exclude)]["_w"].to_numpy()
            ks = float(kept.sum())
            dist = np.array([wsum.get(o, 0.0) for o in opts], dtype=np.float64)
            dist = dist / ks if ks > 0 else np.full(len(opts), np.nan)
            rows.append({
                "question": q, "group": g,
                "options": tuple(opts), "distribution": dist, "n": int(len(kept)),
                "n_eff": (ks * ks / float((kept**2).sum())) if ks > 0 else 0.0,
                "excluded_share": (1.0 - ks / tot) if tot > 0 else float("nan"),
            })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- noise floor


@dataclass(frozen=True)
class NoiseFloorResult:
    """Expected divergence between a sample and its population (§5.2).

    Attributes
    ----------
    mean : ndarray or float
        The expected divergence (the floor).
    quantiles : dict
        ``{level: value}`` for the bootstrap method (empty for the asymptotic one).
    method : str
        ``"asymptotic"`` or ``"bootstrap"``.
    metric : str
    n, m : float
        Sample size(s) used (``m`` is None when only one side is sampled).
    """

    mean: Any
    quantiles: dict = field(default_factory=dict)
    method: str = "asymptotic"
    metric: str = ""
    n: Any = None
    m: Any = None

    def excess(self, value):
        """``value - floor``, never clipped at 0 (the "excess divergence")."""
        return np.asarray(value) - self.mean


_ANALYTIC = {"kl", "jensen_shannon", "chi_square", "total_variation", "wasserstein_ordinal",
             "cramer"}
_DISTANCES = {"jensen_shannon_distance", "hellinger", "energy"}


def _asymptotic(metric, p, inv, sqrt_inv, K, base, values, normalized):
    if metric == "kl":
        return (K - 1) / 2.0 * inv / math.log(base)
    if metric == "jensen_shannon":
        return (K - 1) / 8.0 * inv / math.log(base)
    if metric == "chi_square":
        return (K - 1) * inv
    if metric == "total_variation":
        return 0.5 * np.sum(np.sqrt(2 * p * (1 - p) / math.pi), axis=-1) * sqrt_inv
    x = _dispatch.check_values(values, K)
    dx = np.diff(x)
    P = np.clip(np.cumsum(p, axis=-1)[..., :-1], 0.0, 1.0)
    if metric == "wasserstein_ordinal":
        r = np.sum(dx * np.sqrt(2 * P * (1 - P) / math.pi), axis=-1) * sqrt_inv
        return r / (x[-1] - x[0]) if normalized else r
    return np.sum(dx * P * (1 - P), axis=-1) * inv  # cramer


def noise_floor(p, n, *, metric: str = "jensen_shannon", m=None, method: str = "auto",
                n_resamples: int = 2000, quantiles=None, rng=None, base: float | None = None,
                values=None, normalized: bool = False, n_raw=None, batch: int | None = None,
                progress: Any = None) -> NoiseFloorResult:
    """Sampling noise floor ``E[D(p̂, p)]`` for ``p̂ ~ Multinomial(n, p)/n`` (§5.2).

    Parameters
    ----------
    p : array_like, shape (..., K)
        Population distribution(s) (counts are normalised).
    n : float or array_like
        Sample size; pass the Kish ``n_eff`` for weighted samples.
    metric : str
        A registered divergence name (``"jensen_shannon"``, ``"kl"``, ``"total_variation"``,
        ``"wasserstein_ordinal"``, ...).
    m : float, optional
        Size of a second independent sample (model against humans, both sampled): the floor
        of ``D(p̂_n, p̂_m)``.
    method : {"auto", "asymptotic", "bootstrap"}
        ``"auto"`` uses the delta-method formula unless ``n·min p < 5``, some ``p_k = 0``, the
        metric is a distance (√JS, Hellinger, energy), ``quantiles`` are requested, the
        weights are highly variable (``n_raw / n > 2``) or no formula exists; then a
        parametric bootstrap.
    n_resamples : int
        Bootstrap draws (``n`` is rounded to an integer for the multinomial draws).
    quantiles : sequence of float, optional
        Quantile levels in [0, 1] reported with the bootstrap.
    rng : optional
        Anything :func:`numpy.random.default_rng` accepts.
    base : float, optional
        Log base for KL/JS (defaults as in those functions: e and 2).
    values, normalized
        Ordinal positions / normalisation for ``wasserstein_ordinal`` and ``cramer``.
    n_raw : float, optional
        Unweighted sample size, to detect highly variable weights.
    batch : int, optional
        Bootstrap draws per chunk (caps memory at about ``batch * size(p)`` floats; default
        about 2e6 floats per chunk); ``progress`` shows a bar (``True``) or calls
        ``progress(done, total)``.

    Returns
    -------
    NoiseFloorResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> nf = sc.divergence.noise_floor([.4, .3, .2, .1], 200, metric="kl", method="asymptotic")
    >>> round(float(nf.mean), 6)
    0.0075
    >>> nf = sc.divergence.noise_floor([.4, .3, .2, .1], 200, metric="total_variation",
    ...                                method="bootstrap", rng=0, quantiles=[0.5])
    >>> nf.method, 0.04 < float(nf.mean) < 0.05
    ('bootstrap', True)
    """
    name = _dispatch.registry.canonical(metric)
    if _dispatch.registry.info(name).family != "divergence":
        raise ValidationError(f"`metric`={metric!r} is not a pairwise divergence")
    if not isinstance(method, str) or method not in ("auto", "asymptotic", "bootstrap"):
        raise ValidationError(f"`method`={method!r}; use 'auto', 'asymptotic' or 'bootstrap'")
    pa = _dispatch.as_input(p, "p")
    if pa.shape[-1] == 0:
        raise DistributionError("`p` has no categories; pass a non-empty distribution")
    if (pa < 0).any() or not np.isfinite(pa).all():
        raise DistributionError("`p` must hold finite probabilities or counts >= 0")
    s = pa.sum(axis=-1, keepdims=True)
    if (s == 0).any():
        raise DistributionError("`p` has an all-zero distribution; nothing to sample from")
    pa = pa / s
    K = pa.shape[-1]
    nn = _sizes(n, "n")
    mm = None if m is None else _sizes(m, "m")
    qs_levels = _levels(quantiles)
    if isinstance(n_resamples, (bool, np.bool_)) or not isinstance(
            n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValidationError(f"`n_resamples`={n_resamples!r}; pass a positive integer")
    if batch is not None and (not isinstance(batch, (int, np.integer)) or batch < 1):
        raise ValidationError(f"`batch`={batch!r}; pass a positive integer or None")
    try:
        batch_shape = np.broadcast_shapes(pa.shape[:-1], nn.shape, () if mm is None else mm.shape)
    except ValueError:
        raise ValidationError(
            f"`n` {nn.shape} (and `m`) do not broadcast against the batch shape "
            f"{pa.shape[:-1]} of `p`; pass one size per distribution or a scalar") from None
    default_base = 2.0 if name == "jensen_shannon" else math.e
    b = _dispatch.check_base(base, default_base)
    if method == "auto":
        small = np.any(np.broadcast_to(nn, batch_shape) * pa.min(axis=-1) < 5)
        variable = n_raw is not None and np.any(np.asarray(n_raw, dtype=np.float64) / nn > 2)
        boot = (small or (pa == 0).any() or name in _DISTANCES or quantiles is not None
                or variable or name not in _ANALYTIC)
        method = "bootstrap" if boot else "asymptotic"
    if method == "asymptotic":
        if name not in _ANALYTIC:
            raise ValidationError(
                f"no asymptotic formula for {name!r}; use method='bootstrap' "
                f"(formulas exist for {sorted(_ANALYTIC)})"
            )
        inv = 1.0 / nn + (0.0 if mm is None else 1.0 / mm)
        val = _asymptotic(name, pa, inv, np.sqrt(inv), K, b, values, normalized)
        val = np.asarray(val, dtype=np.float64)
        return NoiseFloorResult(val[()] if val.ndim == 0 else val, {}, "asymptotic", name, n, m)
    gen = resolve_rng(rng)
    B = int(n_resamples)
    pb = np.broadcast_to(pa, batch_shape + (K,))
    ni = np.maximum(np.rint(np.broadcast_to(nn, batch_shape)), 1).astype(np.int64)
    mi = None if mm is None else np.maximum(np.rint(np.broadcast_to(mm, batch_shape)), 1).astype(
        np.int64)
    kw: dict = {}
    if name in ("kl", "jensen_shannon", "jensen_shannon_distance"):
        kw["base"] = b
    if name in ("wasserstein_ordinal", "cramer", "energy"):
        kw["values"] = values
    if name == "wasserstein_ordinal":
        kw["normalized"] = normalized
    f = _dispatch.registry.get(name)

    def work(lo, hi):
        size = (hi - lo,) + batch_shape
        draws = gen.multinomial(ni[None], pb[None], size=size) / ni[None, ..., None]
        ref = pb[None] if mi is None else \
            gen.multinomial(mi[None], pb[None], size=size) / mi[None, ..., None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", _dispatch.InfiniteDivergenceWarning)
            return np.asarray(f(draws, ref, **kw), dtype=np.float64)

    per = max(1, pb.size)
    chunk = batch or max(1, int(2e6 // per))
    d = np.concatenate(run_chunked(work, B, chunk=chunk, progress=progress, desc="draws"), axis=0)
    mean = d.mean(axis=0)
    qs = {a: np.quantile(d, a, axis=0)[()] for a in qs_levels}
    return NoiseFloorResult(mean[()] if np.ndim(mean) == 0 else mean, qs, "bootstrap", name, n, m)


def _sizes(v, name):
    try:
        a = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"`{name}`={v!r}; pass a sample size (a number >= 1)") from None
    if not np.isfinite(a).all() or (a < 1).any():
        raise ValidationError(f"`{name}`={v!r}; sample sizes must be finite and >= 1")
    return a


def _levels(quantiles):
    if quantiles is None:
        return ()
    try:
        lv = np.asarray(quantiles, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValidationError(f"`quantiles`={quantiles!r}; pass levels in [0, 1]") from None
    if not (np.isfinite(lv).all() and (lv >= 0).all() and (lv <= 1).all()):
        raise ValidationError(f"`quantiles`={quantiles!r}: every level must lie in [0, 1] "
                              "(e.g. quantiles=[0.5, 0.95])")
    return tuple(float(a) for a in lv)
