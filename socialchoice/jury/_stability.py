"""Verdict stability under rater resampling, composition sweeps and per-group dissent (§B1, §B5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._random import resolve_rng
from ..stats import replicate_interval
from ..errors import ValidationError
from ._sampling import _seats, largest_remainder, sample, strata_of
from ._verdicts import LABEL_AGGREGATES, verdicts

__all__ = ["StabilityResult", "SweepResult", "DissentResult", "stability", "composition_sweep", "dissent"]


@dataclass(frozen=True)
class StabilityResult:
    """Win probabilities under resampling of the rater pool.

    Attributes
    ----------
    win_probability : ndarray, shape ([items,] m)
        On the original pool.
    low, high : ndarray, shape ([items,] m)
        Percentile interval of the win probability over pool resamples.
    winner_stability : ndarray, shape ([items])
        Share of pool resamples whose most probable alternative is the original one.
    confidence_level : float
    n_resamples : int
    distribution : ndarray, shape (n_resamples, [items,] m)
    """

    win_probability: np.ndarray
    low: np.ndarray
    high: np.ndarray
    winner_stability: np.ndarray
    confidence_level: float
    n_resamples: int
    distribution: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class SweepResult:
    """Verdicts along a sweep of one group's share of the seats.

    Attributes
    ----------
    shares : ndarray, shape (k,)
        Requested shares of the swept group.
    seats : ndarray of int, shape (k,)
        Seats the group got (largest remainder).
    win_probability : ndarray, shape (k, [items,] m)
        Alternatives: win probability at each share. Labels: the mean verdict, ``(k, items)``.
    modal : ndarray of int, shape (k, [items])
        The most probable alternative at each share (labels: None).
    flip_share : ndarray, shape ([items])
        First share at which the modal alternative differs from the one at the first share
        (NaN if it never flips); for labels, the first share at which the median verdict crosses
        ``threshold``.
    group : object
    """

    shares: np.ndarray
    seats: np.ndarray
    win_probability: np.ndarray
    modal: np.ndarray | None
    flip_share: np.ndarray
    group: Any


@dataclass(frozen=True)
class DissentResult:
    """Per-group dissent from the jury verdicts.

    Attributes
    ----------
    groups : list
    dissent : ndarray, shape (n_groups, [items])
        Alternatives: mean over juries and the group's jurors of ``1 - (share of the verdict's
        winners the juror rates at its own top)``. Labels: mean absolute deviation of the jurors'
        labels from the verdict.
    """

    groups: list
    dissent: np.ndarray


def _pool_resample(codes: np.ndarray, gen: np.random.Generator, B: int) -> np.ndarray:
    """(B, n): resampled raters with replacement within each stratum (position i keeps its stratum)."""
    n = codes.size
    out = np.empty((B, n), dtype=np.int64)
    for h in np.unique(codes):
        idx = np.flatnonzero(codes == h)
        out[:, idx] = idx[gen.integers(0, idx.size, size=(B, idx.size))]
    return out


def stability(data: Any, attributes: Any, composition: dict, *, aggregate: Any, n_juries: int = 200,
              size: int | None = None, n_resamples: int = 200, confidence_level: float = 0.95,
              method: str = "percentile", seed: Any = None, rng: Any = None,
              **options: Any) -> StabilityResult:
    """Winner stability under resampling raters within strata (§B5, "over the rater pool").

    Each of ``n_resamples`` replicate pools draws every stratum's raters with replacement; the
    same jury draws index each replicate pool, and all ``n_resamples x n_juries`` juries go to
    the aggregate as one batch. The interval on each win probability comes from
    :func:`socialchoice.stats.replicate_interval` (``method`` "percentile" or "basic") over the
    replicate pools, the unit the estimate varies with.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> R = np.tile([[3.0, 1.0, 2.0]], (10, 1)); R[5:, 1] = 4.0
    >>> r = jury.stability(R, ["a"] * 5 + ["b"] * 5, {"a": 2, "b": 1}, aggregate="utilitarian",
    ...                    n_juries=20, n_resamples=10, seed=0)
    >>> r.win_probability.shape, float(r.winner_stability)
    ((3,), 1.0)
    """
    gen = resolve_rng(rng, seed=seed)
    _, codes = strata_of(attributes)
    J = sample(attributes, composition, n_juries=n_juries, size=size, rng=gen)
    base = verdicts(data, J, aggregate=aggregate, **options)
    if base.kind != "alternatives":
        raise ValidationError("stability() reports win probabilities; pass an alternatives aggregate")
    pools = _pool_resample(codes, gen, n_resamples)          # (B, n)
    JB = pools[:, J].reshape(n_resamples * n_juries, J.shape[1])
    res = verdicts(data, JB, aggregate=aggregate, **options)
    mask = res.verdicts.reshape((n_resamples, n_juries) + res.verdicts.shape[1:])
    nw = np.maximum(mask.sum(-1, keepdims=True), 1)
    dist = (mask / nw).mean(axis=1)                           # (B, [items,] m)
    low, high = replicate_interval(base.win_probability, dist, confidence_level=confidence_level,
                                   method=method)
    top = np.argmax(base.win_probability, axis=-1)
    stab = (np.argmax(dist, axis=-1) == top).mean(axis=0)
    return StabilityResult(base.win_probability, low, high, np.asarray(stab), confidence_level,
                           n_resamples, dist)


def composition_sweep(data: Any, attributes: Any, group: Any, *, aggregate: Any, size: int,
                      n_juries: int = 200, shares: Any = None, others: dict | None = None,
                      threshold: float | None = None, replace: bool = False, seed: Any = None,
                      rng: Any = None, **options: Any) -> SweepResult:
    """Vary ``group``'s share of the ``size`` seats from 0 to 1 and report the verdicts.

    The other seats are split among the other strata in proportion to ``others`` (default:
    their pool sizes), by largest remainder. All juries of all shares run as one batch.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> R = np.array([[1.0, 0.0]] * 6 + [[0.0, 1.0]] * 6)
    >>> g = ["a"] * 6 + ["b"] * 6
    >>> s = jury.composition_sweep(R, g, "a", aggregate="utilitarian", size=5, n_juries=10,
    ...                            shares=[0, 0.2, 0.4, 0.6, 0.8, 1], seed=0)
    >>> s.modal.tolist(), float(s.flip_share)
    ([1, 1, 1, 0, 0, 0], 0.6)
    """
    gen = resolve_rng(rng, seed=seed)
    strata, codes = strata_of(attributes)
    if group not in strata:
        raise ValidationError(f"`group`={group!r} is not a stratum; strata: {strata[:10]}")
    rest = [s for s in strata if s != group]
    if not rest:
        raise ValidationError("composition_sweep needs at least one other stratum")
    base = others or {s: float((codes == strata.index(s)).sum()) for s in rest}
    shares = np.linspace(0, 1, 11) if shares is None else np.asarray(shares, dtype=np.float64)
    if shares.ndim != 1 or np.any((shares < 0) | (shares > 1)):
        raise ValidationError("`shares` must be 1-D values in [0, 1]")
    seats, Js = [], []
    for sh in shares:
        g = int(round(sh * size))
        comp = {group: g}
        if size - g:
            other = largest_remainder([base[s] for s in rest], size - g)
            comp.update({s: int(k) for s, k in zip(rest, other)})
        comp = {k: v for k, v in comp.items() if v > 0}
        _seats(comp, strata, None)
        seats.append(g)
        Js.append(sample(attributes, comp, n_juries=n_juries, replace=replace, rng=gen))
    JA = np.concatenate(Js, axis=0)
    k = shares.size
    if isinstance(aggregate, str) and aggregate in LABEL_AGGREGATES:
        res = verdicts(data, JA, aggregate=aggregate, **options)
        V = res.verdicts.reshape((k, n_juries) + res.verdicts.shape[1:])
        mean = V.mean(axis=1)
        med = np.median(V, axis=1)
        flip = np.full(med.shape[1:], np.nan)
        if threshold is not None:
            side = med >= threshold
            ch = side != side[:1]
            first = np.argmax(ch, axis=0)
            flip = np.where(ch.any(axis=0), shares[first], np.nan)
        return SweepResult(shares, np.asarray(seats), mean, None, flip, group)
    res = verdicts(data, JA, aggregate=aggregate, **options)
    mask = res.verdicts.reshape((k, n_juries) + res.verdicts.shape[1:])
    p = (mask / np.maximum(mask.sum(-1, keepdims=True), 1)).mean(axis=1)
    modal = np.argmax(p, axis=-1)
    ch = modal != modal[:1]
    first = np.argmax(ch, axis=0)
    flip = np.where(ch.any(axis=0), shares[first], np.nan)
    return SweepResult(shares, np.asarray(seats), p, modal, flip, group)


def dissent(data: Any, juries: Any, attributes: Any, result: Any) -> DissentResult:
    """Per-group dissent of jurors from their jury's verdict (§B1, "which jurors drove the outcome").

    Parameters
    ----------
    data : ndarray
        The data given to :func:`verdicts` (ratings ``(n_raters, m)`` or
        ``(items, n_raters, m)``, or labels ``(items, n_raters)``).
    juries : ndarray of int, shape (n_juries, size)
    attributes : array_like or DataFrame
        Stratum of each rater.
    result : VerdictResult
        ``verdicts(data, juries, ...)``.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> R = np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0]] * 2)
    >>> J = np.array([[0, 1, 3], [0, 3, 4]])
    >>> v = jury.verdicts(R, J, aggregate="utilitarian")
    >>> d = jury.dissent(R, J, ["a"] * 3 + ["b"] * 2, v)
    >>> d.groups, d.dissent.round(3).tolist()
    (['a', 'b'], [0.333, 0.333])
    """
    strata, codes = strata_of(attributes)
    J = np.asarray(juries)
    if J.ndim != 2:
        raise ValidationError("dissent() takes juries of shape (n_juries, size)")
    seat = J >= 0
    Jc = np.where(seat, J, 0)
    X = np.asarray(data, dtype=np.float64)
    if result.kind == "labels":
        V = X[:, Jc].transpose(1, 0, 2)                        # (J, items, s)
        dev = np.abs(V - result.verdicts[..., None])           # (J, items, s)
        per = dev
    else:
        T = X[Jc] if X.ndim == 2 else X[:, Jc].transpose(1, 0, 2, 3)  # (J, [items,] s, m)
        top = T >= np.nanmax(T, axis=-1, keepdims=True)
        mask = result.verdicts[..., None, :]
        nw = np.maximum(mask.sum(-1), 1)
        agree = (top & mask).sum(-1) / nw                      # (J, [items,] s)
        per = 1.0 - agree
    gcode = codes[Jc]                                          # (J, s)
    out = []
    for h in range(len(strata)):
        sel = (gcode == h) & seat
        # jurors without a value (NaN) do not count
        if per.ndim == 3:
            selx = sel[:, None, :] & ~np.isnan(per)
            num = np.where(selx, per, 0.0).sum(axis=(0, 2))
            den = selx.sum(axis=(0, 2))
        else:
            selx = sel & ~np.isnan(per)
            num = np.where(selx, per, 0.0).sum()
            den = selx.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(num / den)
    return DissentResult(strata, np.asarray(out, dtype=np.float64))
