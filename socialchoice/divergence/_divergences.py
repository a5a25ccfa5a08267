"""Divergences between discrete distributions (docs/divergences.md §1-2).

Each public function here is a *body* holding only its formula: the category axis, NaN policy,
normalisation, smoothing, xarray/dask dispatch and input checks are done once by
:func:`socialchoice.divergence._dispatch.reduction`, and the formula itself runs inside the fused
Numba kernel chosen by its ``kind`` (:mod:`socialchoice._kernels.divergence`).
"""

from __future__ import annotations

import math

import numpy as np

from .._kernels import divergence as _kd
from ..errors import ValidationError
from ._dispatch import Rows, check_base, reduction, registry, warn_inf

__all__ = ["kl", "jensen_shannon", "jensen_shannon_distance", "total_variation", "hellinger",
           "chi_square", "wasserstein_ordinal", "cramer", "energy", "entropy"]

#: metadata shared by every registered divergence of a pair of distributions
_META = dict(input="distributions", scale="invariant")


def _base(default):
    def check(*, base=None, **kw):
        return dict(kw, base=check_base(base, default))

    return check


def _check_kl(*, base=None, reverse=False):
    if not isinstance(reverse, (bool, np.bool_)):
        raise ValidationError(f"`reverse`={reverse!r}; pass True or False")
    return dict(base=check_base(base, math.e), reverse=bool(reverse))


@registry.register(aliases=("kullback_leibler", "relative_entropy"), family="divergence",
                   metric=False, symmetric=False, lower=0.0, upper=math.inf,
                   oracle="scipy.special.rel_entr(p, q).sum(-1)", **_META)
@reduction(check=_check_kl)
def kl(x: Rows, *, base: float | None = None, reverse: bool = False) -> np.ndarray:
    """Kullback–Leibler divergence ``KL(p || q) = sum_k p_k log(p_k / q_k)``.

    ``p log(p/0) = +inf`` for ``p > 0``: infinite slices are returned as ``inf`` together
    with an :class:`InfiniteDivergenceWarning` counting them; KL never smooths silently.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
        Probabilities or counts; broadcast against each other.
    base : float, optional
        Logarithm base (default e, nats).
    reverse : bool, default False
        Return ``KL(q || p)`` instead (the smoothing sides are exchanged with the arguments).
    {common}
    Returns
    -------
    ndarray or float
        ``p``/``q`` batch shape.

    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.kl([0.5, 0.5, 0], [0.25, 0.25, 0.5])), 12)
    0.69314718056
    >>> round(float(sc.divergence.kl([2, 1], [1, 1])), 12)   # counts are normalised
    0.056633012265
    """
    out = (x.swapped() if reverse else x).reduce(_kd.KL)
    if base != math.e:
        out /= math.log(base)
    warn_inf(out, "KL divergence")
    return out


@registry.register(aliases=("js", "jsd_divergence"), family="divergence", metric=False,
                   symmetric=True, lower=0.0, upper="log_base(2)",
                   oracle="scipy.spatial.distance.jensenshannon(p, q, base=b)**2", **_META)
@reduction(check=_base(2.0))
def jensen_shannon(x: Rows, *, base: float = 2) -> np.ndarray:
    """Jensen–Shannon divergence ``½KL(p||m) + ½KL(q||m)``, ``m = (p + q)/2``.

    Bounded by ``log_base 2`` (1 in the default base 2). Note that
    :func:`scipy.spatial.distance.jensenshannon` returns the *distance* (the square root),
    see :func:`jensen_shannon_distance`.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    base : float, default 2
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.jensen_shannon([0.5, 0.5, 0], [0.25, 0.25, 0.5])), 12)
    0.311278124459
    """
    out = x.reduce(_kd.JS)
    out *= 1.0 / math.log(base)  # the kernels clamp round-off below 0 (p == q) to 0
    return out


@registry.register(aliases=("jsd", "js_distance"), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="sqrt(log_base(2))",
                   oracle="scipy.spatial.distance.jensenshannon(p, q, base=b)", **_META)
@reduction(check=_base(2.0))
def jensen_shannon_distance(x: Rows, *, base: float = 2) -> np.ndarray:
    """Jensen–Shannon distance ``sqrt(JS)``, a metric (GlobalOpinionQA's JSD).

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    base : float, default 2
        Logarithm base; scipy's default is e.
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.jensen_shannon_distance(p, q)), 12)
    0.285960838525
    """
    out = x.reduce(_kd.JS)
    out *= 1.0 / math.log(base)
    return np.sqrt(out, out=out)  # our own fresh array: no copy


@registry.register(aliases=("tv", "tvd"), family="divergence", metric=True, symmetric=True,
                   lower=0.0, upper=1.0, oracle="0.5 * np.abs(p - q).sum(-1)", **_META)
@reduction()
def total_variation(x: Rows) -> np.ndarray:
    """Total variation distance ``½ sum_k |p_k - q_k|``.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.total_variation([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.3
    """
    return x.reduce(_kd.TV)


@registry.register(family="divergence", metric=True, symmetric=True, lower=0.0, upper=1.0,
                   oracle="norm(sqrt(p) - sqrt(q)) / sqrt(2)", **_META)
@reduction()
def hellinger(x: Rows) -> np.ndarray:
    """Hellinger distance ``||sqrt(p) - sqrt(q)||_2 / sqrt(2)``, in [0, 1].

    Computed from the differences of square roots (not ``sqrt(1 - BC)``), so it is exactly 0
    for equal inputs.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.hellinger([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.239962239223
    """
    return x.reduce(_kd.HELLINGER)


_CHI_KINDS = {"pearson": _kd.PEARSON, "neyman": _kd.NEYMAN}


def _check_chi(*, kind="pearson"):
    if not isinstance(kind, str) or kind not in _CHI_KINDS:
        raise ValidationError(f"`kind`={kind!r}; use 'pearson' or 'neyman'")
    return dict(kind=kind)


@registry.register(aliases=("chi2", "pearson"), family="divergence", metric=False,
                   symmetric=False, lower=0.0, upper=math.inf,
                   oracle="scipy.stats.chisquare(n*p, n*q).statistic / n", **_META)
@reduction(check=_check_chi)
def chi_square(x: Rows, *, kind: str = "pearson") -> np.ndarray:
    """Pearson ``sum_k (p_k - q_k)² / q_k`` (q the reference), or Neyman (divide by p_k).

    A zero reference mass under a positive other mass gives ``+inf`` with an
    :class:`InfiniteDivergenceWarning`; terms with both zero contribute 0.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    kind : {"pearson", "neyman"}
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.chi_square(p, q)), 12), round(float(sc.divergence.chi_square(p, q, kind="neyman")), 12)
    (0.466666666667, 0.6)
    """
    out = x.reduce(_CHI_KINDS[kind])
    warn_inf(out, f"{kind.title()} chi-square")
    return out


def _check_ordinal(*, values=None, normalized=False):
    if not isinstance(normalized, (bool, np.bool_)):
        raise ValidationError(f"`normalized`={normalized!r}; pass True or False")
    return dict(values=values, normalized=bool(normalized))


@registry.register(aliases=("w1", "wasserstein", "emd"), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="x_K - x_1", ordinal=True,
                   oracle="scipy.stats.wasserstein_distance(x, x, p, q)", **_META)
@reduction(check=_check_ordinal)
def wasserstein_ordinal(x: Rows, *, values=None, normalized: bool = False) -> np.ndarray:
    """1-Wasserstein distance on an ordinal scale, ``sum_k |P_k - Q_k| (x_{k+1} - x_k)``.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
        Strictly increasing positions of the categories (default ``0..K-1``).
    normalized : bool, default False
        Divide by ``x_K - x_1`` (OpinionQA's ``W1/(N-1)``), giving a value in [0, 1].
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> p, q = [.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1]
    >>> round(float(sc.divergence.wasserstein_ordinal(p, q)), 12)
    0.6
    >>> round(float(sc.divergence.wasserstein_ordinal(p, q, normalized=True)), 12)
    0.15
    """
    pos = x.positions(values)
    if normalized and x.K < 2:
        raise ValidationError("`normalized=True` needs at least two ordinal positions")
    out = x.reduce(_kd.W1, pos)
    if normalized:
        out /= float(pos[-1] - pos[0])
    return out


@registry.register(family="divergence", metric=False, symmetric=True, lower=0.0,
                   upper="x_K - x_1", ordinal=True,
                   oracle="scipy.stats.energy_distance(x, x, p, q)**2 / 2", **_META)
@reduction(check=lambda *, values=None: dict(values=values))
def cramer(x: Rows, *, values=None) -> np.ndarray:
    """Cramér distance ``sum_k (P_k - Q_k)² (x_{k+1} - x_k)`` (squared L2 CDF distance).

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
        Strictly increasing positions (default ``0..K-1``).
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.cramer([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.14
    """
    return x.reduce(_kd.CRAMER, values)


@registry.register(aliases=("energy_distance",), family="divergence", metric=True,
                   symmetric=True, lower=0.0, upper="sqrt(2 (x_K - x_1))", ordinal=True,
                   oracle="scipy.stats.energy_distance(x, x, p, q)", **_META)
@reduction(check=lambda *, values=None: dict(values=values))
def energy(x: Rows, *, values=None) -> np.ndarray:
    """Energy distance ``sqrt(2 · cramer)``, equal to :func:`scipy.stats.energy_distance`.

    Parameters
    ----------
    p, q : array_like, shape (..., K)
    values : array_like, shape (K,), optional
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> round(float(sc.divergence.energy([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1])), 12)
    0.529150262213
    """
    out = x.reduce(_kd.CRAMER, values)
    out *= 2.0
    return np.sqrt(out, out=out)


@registry.register(aliases=("shannon_entropy",), family="entropy", metric=False,
                   symmetric=False, lower=0.0, upper="log_base(K)",
                   oracle="scipy.stats.entropy(p, base=b)", **_META)
@reduction(names=("p",), check=_base(math.e))
def entropy(x: Rows, *, base: float | None = None) -> np.ndarray:
    """Shannon entropy ``-sum_k p_k log_b p_k`` (default base e).

    Parameters
    ----------
    p : array_like, shape (..., K)
    base : float, optional
    {common}
    Examples
    --------
    >>> import socialchoice as sc
    >>> float(sc.divergence.entropy([0.5, 0.5], base=2))
    1.0
    """
    out = x.reduce(_kd.ENTROPY)
    if base != math.e:
        out /= math.log(base)
    return out
