"""Jury composition, stratified sampling, post-stratification and raking (docs/tradeoff-jury.md §B2-§B3)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._random import resolve_rng
from ..errors import ValidationError, WeightsError

__all__ = ["InsufficientRatersError", "ConvergenceWarning", "WeightingResult", "strata_of",
           "largest_remainder", "sample", "poststratify", "rake", "kish_n_eff"]


class InsufficientRatersError(ValidationError):
    """A stratum has fewer available raters than the seats the composition gives it."""


class ConvergenceWarning(UserWarning):
    """Raking stopped at ``max_iter`` before the margins met ``tol``."""


@dataclass(frozen=True)
class WeightingResult:
    """Survey weights from post-stratification or raking.

    Attributes
    ----------
    weights : ndarray, shape (n,)
        One weight per rater (unit).
    n_eff : float
        Kish effective sample size ``(sum w)^2 / sum w^2`` (docs/divergences.md §5.1).
    design_effect : float
        ``n / n_eff``.
    n_iter : int
        Raking sweeps (0 for post-stratification).
    converged : bool
    max_error : float
        Largest relative margin error at the end.
    """

    weights: np.ndarray
    n_eff: float
    design_effect: float
    n_iter: int = 0
    converged: bool = True
    max_error: float = 0.0


def kish_n_eff(weights: Any) -> float:
    """Kish effective sample size ``(sum w)^2 / sum w^2``.

    Examples
    --------
    >>> from socialchoice import jury
    >>> round(jury.kish_n_eff([1, 1, 2, 4]), 6)
    2.909091
    """
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / (w * w).sum())


def strata_of(attributes: Any) -> tuple[list, np.ndarray]:
    """(stratum labels in first-appearance order, stratum code per rater).

    ``attributes`` is a 1-D array of labels or a DataFrame (a stratum is the tuple of a row's
    values; with one column the plain value).
    """
    if hasattr(attributes, "columns") and hasattr(attributes, "itertuples"):
        if attributes.shape[1] == 1:
            labels = list(attributes.iloc[:, 0])
        else:
            labels = [tuple(r) for r in attributes.itertuples(index=False, name=None)]
    else:
        arr = np.asarray(attributes, dtype=object)
        if arr.ndim != 1:
            raise ValidationError(
                f"`attributes` must be 1-D (one stratum label per rater) or a DataFrame, got shape {arr.shape}")
        labels = list(arr)
    index: dict = {}
    codes = np.empty(len(labels), dtype=np.int64)
    for i, lab in enumerate(labels):
        codes[i] = index.setdefault(lab, len(index))
    return list(index), codes


def largest_remainder(shares: Any, size: int) -> np.ndarray:
    """Integer seats summing to ``size`` from shares (largest remainder; ties by order).

    Examples
    --------
    >>> from socialchoice import jury
    >>> jury.largest_remainder([0.5, 0.3, 0.2], 7).tolist()
    [4, 2, 1]
    """
    s = np.asarray(shares, dtype=np.float64)
    if s.ndim != 1 or not np.all(np.isfinite(s)) or np.any(s < 0) or s.sum() <= 0:
        raise ValidationError("composition shares must be finite, >= 0 and not all 0")
    q = s / s.sum() * size
    base = np.floor(q).astype(np.int64)
    rem = q - base
    left = int(size - base.sum())
    order = np.argsort(-rem, kind="stable")
    base[order[:left]] += 1
    return base


def _seats(composition: Any, strata: list, size: int | None) -> tuple[list, np.ndarray]:
    if not isinstance(composition, dict) or not composition:
        raise ValidationError("`composition` must be a non-empty dict stratum -> seats (or shares with size=)")
    keys = list(composition)
    vals = np.asarray([composition[k] for k in keys], dtype=np.float64)
    unknown = [k for k in keys if k not in strata]
    if unknown:
        raise ValidationError(f"composition names stratum {unknown[0]!r}, which no rater has; strata: {strata[:10]}")
    if size is None:
        if np.any(vals != np.round(vals)) or np.any(vals < 0):
            raise ValidationError("composition values are not whole seat counts; pass size= to read them as shares")
        seats = vals.astype(np.int64)
    else:
        if not isinstance(size, (int, np.integer)) or size < 1:
            raise ValidationError(f"`size`={size!r}; pass a positive int")
        seats = largest_remainder(vals, int(size))
    if seats.sum() < 1:
        raise ValidationError("the composition seats nobody")
    return keys, seats


def sample(attributes: Any, composition: dict, *, n_juries: int, size: int | None = None,
           replace: bool = False, shortfall: str = "raise", available: Any = None,
           return_weights: bool = False, seed: Any = None, rng: Any = None):
    """Draw juries with a fixed composition (docs/tradeoff-jury.md §B2).

    Parameters
    ----------
    attributes : array_like or DataFrame
        One stratum label per rater, or rater attributes (a stratum = the tuple of a row).
    composition : dict
        Stratum -> seats, or stratum -> share with ``size=`` (largest-remainder rounding).
    n_juries : int
    size : int, optional
        Jury size when ``composition`` holds shares.
    replace : bool, default False
        Draw seats with replacement.
    shortfall : {"raise", "replace", "reweight"}
        What to do when a stratum has fewer available raters than seats:
        :class:`InsufficientRatersError`, sample that stratum with replacement, or seat all of
        its raters (the remaining seats are ``-1``) and scale their weights so the stratum's
        total weight equals its seats.
    available : array_like of bool, shape (n_items, n_raters), optional
        Which raters rated each item; juries are then drawn independently per item, shape
        ``(n_items, n_juries, jury_size)``.
    return_weights : bool, default False
        Also return seat weights (1, or the ``"reweight"`` scale; 0 for empty seats).
    seed, rng : optional
        Random state (either).

    Returns
    -------
    ndarray of int, shape ([n_items,] n_juries, jury_size)
        Rater indices (int32 unless the pool has 2^31 raters or more), strata in composition
        order; with ``return_weights`` a pair.

    Examples
    --------
    >>> from socialchoice import jury
    >>> groups = ["a"] * 5 + ["b"] * 5
    >>> J = jury.sample(groups, {"a": 2, "b": 1}, n_juries=3, seed=0)
    >>> J.shape
    (3, 3)
    >>> bool(((J[:, :2] < 5) & (J[:, 2:] >= 5).all(axis=1, keepdims=True)).all())
    True
    """
    from .._kernels.jury import partial_shuffle

    if shortfall not in ("raise", "replace", "reweight"):
        raise ValidationError(f"`shortfall`={shortfall!r}; pass 'raise', 'replace' or 'reweight'")
    if not isinstance(n_juries, (int, np.integer)) or n_juries < 1:
        raise ValidationError(f"`n_juries`={n_juries!r}; pass a positive int")
    strata, codes = strata_of(attributes)
    keys, seats = _seats(composition, strata, size)
    gen = resolve_rng(rng, seed=seed)
    n = codes.size
    size_total = int(seats.sum())
    if available is None:
        avail = np.ones((1, n), dtype=bool)
    else:
        avail = np.asarray(available)
        if avail.dtype != bool or avail.ndim != 2 or avail.shape[1] != n:
            raise ValidationError(
                f"`available` must be a boolean (n_items, n_raters={n}) mask, got {avail.dtype} {avail.shape}")
    # int32 indices when the pool allows: half the memory traffic when 10^4 juries are gathered
    J = np.full((avail.shape[0], n_juries, size_total), -1,
                dtype=np.int32 if n < np.iinfo(np.int32).max else np.int64)
    W = np.ones((avail.shape[0], n_juries, size_total)) if return_weights or shortfall == "reweight" else None
    code_of = {k: strata.index(k) for k in keys}
    for it in range(avail.shape[0]):
        col = 0
        for key, s in zip(keys, seats):
            s = int(s)
            if s == 0:
                continue
            pool = np.flatnonzero((codes == code_of[key]) & avail[it]).astype(np.int64)
            with_repl = replace
            if not replace and pool.size < s:
                if shortfall == "raise":
                    where = f" for item {it}" if available is not None else ""
                    raise InsufficientRatersError(
                        f"stratum {key!r} has {pool.size} available raters{where} but the "
                        f"composition gives it {s} seats; lower its seats, pass replace=True, or "
                        "shortfall='replace'/'reweight'")
                if shortfall == "replace":
                    with_repl = True
                else:  # reweight: seat everybody
                    if pool.size == 0:
                        raise InsufficientRatersError(
                            f"stratum {key!r} has no available raters; it cannot be reweighted")
                    J[it, :, col:col + pool.size] = pool[None, :]
                    W[it, :, col:col + pool.size] = s / pool.size
                    W[it, :, col + pool.size:col + s] = 0.0
                    col += s
                    continue
            if pool.size == 0:
                raise InsufficientRatersError(f"stratum {key!r} has no available raters")
            if with_repl:
                J[it, :, col:col + s] = pool[gen.integers(0, pool.size, size=(n_juries, s))]
            else:
                u = gen.random((n_juries, s))
                partial_shuffle(pool, u, J[it], col)
            col += s
    if available is None:
        J = J[0]
        W = None if W is None else W[0]
    if return_weights:
        return J, W
    if shortfall == "reweight" and W is not None and np.any(W != 1):
        warnings.warn("shortfall='reweight' seated fewer raters than seats (-1 entries); pass "
                      "return_weights=True to get their weights", UserWarning, stacklevel=2)
    return J


def poststratify(attributes: Any, shares: dict, *, base_weights: Any = None,
                 collapse: dict | None = None) -> WeightingResult:
    """Post-stratification weights ``pi_h / (n_h / n)`` (docs/tradeoff-jury.md §B3).

    Parameters
    ----------
    attributes : array_like or DataFrame
        Cell of each rater.
    shares : dict
        Population share ``pi_h`` of each cell (normalised to sum 1).
    base_weights : array_like, optional
        Design weights; then ``n_h`` is the weighted count and weights are ``w0 * pi_h/(n_h/n)``.
    collapse : dict, optional
        Empty cell -> cell it is merged into.

    Examples
    --------
    >>> from socialchoice import jury
    >>> r = jury.poststratify(["a", "a", "a", "b"], {"a": 0.5, "b": 0.5})
    >>> r.weights.round(4).tolist()
    [0.6667, 0.6667, 0.6667, 2.0]
    """
    strata, codes = strata_of(attributes)
    n = codes.size
    w0 = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=np.float64)
    if w0.shape != (n,) or not np.all(np.isfinite(w0)) or np.any(w0 < 0):
        raise WeightsError(f"`base_weights` must be {n} finite weights >= 0")
    pi = {k: float(v) for k, v in shares.items()}
    if any(v < 0 for v in pi.values()) or sum(pi.values()) <= 0:
        raise ValidationError("`shares` must be >= 0 and not all 0")
    collapse = collapse or {}
    for k in list(pi):
        if k not in strata and pi[k] > 0:
            if k in collapse:
                tgt = collapse[k]
                pi[tgt] = pi.get(tgt, 0.0) + pi.pop(k)
            else:
                raise ValidationError(
                    f"cell {k!r} has population share {pi[k]} but no raters; pass collapse={{{k!r}: <cell>}} to merge it")
    missing = [s for s in strata if s not in pi]
    if missing:
        raise ValidationError(f"raters in cell {missing[0]!r} have no population share in `shares`")
    total = sum(pi.values())
    W = float(w0.sum())
    nh = np.bincount(codes, weights=w0, minlength=len(strata))
    factor = np.array([pi[s] / total / (nh[i] / W) if nh[i] > 0 else 0.0 for i, s in enumerate(strata)])
    w = w0 * factor[codes]
    ne = kish_n_eff(w)
    return WeightingResult(w, ne, n / ne)


def rake(margins: dict, targets: dict, *, base_weights: Any = None, tol: float = 1e-10,
         max_iter: int = 1000, trim: tuple[float, float] | None = None) -> WeightingResult:
    """Raking (iterative proportional fitting, Deming & Stephan 1940; §B3).

    Parameters
    ----------
    margins : dict
        Margin name -> category of each unit (1-D, length ``n``).
    targets : dict
        Margin name -> dict category -> target total. All margins must have the same total.
    base_weights : array_like, optional
        ``w0`` (default 1).
    tol : float, default 1e-10
        Stop when every margin's relative error ``|sum w - T_c| / T_c <= tol``.
    max_iter : int, default 1000
        Sweeps before a :class:`ConvergenceWarning`.
    trim : (lo, hi), optional
        Bounds on ``w / w0`` applied after each sweep.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> sex = np.repeat(["m", "m", "f", "f"], [30, 20, 10, 40])
    >>> age = np.repeat(["young", "old", "young", "old"], [30, 20, 10, 40])
    >>> r = jury.rake({"sex": sex, "age": age},
    ...               {"sex": {"m": 50, "f": 50}, "age": {"young": 45, "old": 55}})
    >>> r.n_iter, round(r.n_eff, 6), round(float(r.weights[0]), 6)
    (13, 98.7624, 1.095929)
    """
    if not margins or set(margins) != set(targets):
        raise ValidationError("`margins` and `targets` must name the same margins")
    codes, T = [], []
    n = None
    for name in margins:
        cats = np.asarray(margins[name], dtype=object)
        if n is None:
            n = cats.size
        if cats.ndim != 1 or cats.size != n:
            raise ValidationError(f"margin {name!r} must give one category per unit ({n})")
        tg = targets[name]
        present = set(cats.tolist())
        for c, t in tg.items():
            if t > 0 and c not in present:
                raise ValidationError(f"margin {name!r}: category {c!r} has target {t} but no units")
        extra = present - set(tg)
        if extra:
            raise ValidationError(f"margin {name!r}: units in category {sorted(map(str, extra))[0]!r} have no target")
        cl = list(tg)
        lookup = {c: i for i, c in enumerate(cl)}
        codes.append(np.fromiter((lookup[c] for c in cats), dtype=np.int64, count=n))
        T.append(np.asarray([tg[c] for c in cl], dtype=np.float64))
    tots = [t.sum() for t in T]
    if not np.allclose(tots, tots[0], rtol=1e-12, atol=0):
        raise ValidationError(f"all margins must have the same total; got {dict(zip(margins, tots))}")
    w0 = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=np.float64)
    if w0.shape != (n,) or not np.all(np.isfinite(w0)) or np.any(w0 <= 0):
        raise WeightsError(f"`base_weights` must be {n} finite weights > 0")
    w = w0.copy()

    def err(w):
        e = 0.0
        for c, t in zip(codes, T):
            s = np.bincount(c, weights=w, minlength=t.size)
            pos = t > 0
            e = max(e, float(np.max(np.abs(s[pos] - t[pos]) / t[pos])))
        return e

    it, e = 0, err(w)
    while e > tol and it < max_iter:
        for c, t in zip(codes, T):
            s = np.bincount(c, weights=w, minlength=t.size)
            f = np.divide(t, s, out=np.zeros_like(t), where=s > 0)
            w = w * f[c]
        if trim is not None:
            lo, hi = trim
            w = w0 * np.clip(w / w0, lo, hi)
        it += 1
        e = err(w)
    conv = e <= tol
    if not conv:
        warnings.warn(f"raking did not reach tol={tol} in {max_iter} sweeps (max relative error "
                      f"{e:.3g}); raise max_iter or relax trim", ConvergenceWarning, stacklevel=2)
    ne = kish_n_eff(w)
    return WeightingResult(w, ne, n / ne, it, conv, e)
