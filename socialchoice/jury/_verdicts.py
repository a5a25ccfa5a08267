"""Jury verdicts: juries as a batch dimension of the package's rules (docs/tradeoff-jury.md §B1, §B5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import warnings

import numpy as np

from .._chunks import run_chunked
from ._statistic import statistic_kind, statistic_verdicts
from ..errors import UnknownNameError, ValidationError

__all__ = ["VerdictResult", "verdicts", "resolve_aggregate", "LABEL_AGGREGATES"]

LABEL_AGGREGATES = ("mean", "median", "majority")
#: gathered values per call of the aggregate (8 bytes each: about 64 MB)
_BLOCK_ELEMENTS = 1 << 23


@dataclass(frozen=True)
class VerdictResult:
    """Verdicts of many juries.

    Attributes
    ----------
    verdicts : ndarray
        Alternatives: winner masks ``(n_juries, [items,] m)``. Labels: verdict values
        ``(n_juries, items)``.
    win_probability : ndarray or None
        Alternatives: ``(..., m)``, mean over juries of ``winner_mask / n_winners``.
    quantiles : ndarray or None
        Labels: verdict quantiles at ``quantile_levels``, shape ``(len(levels), items)``.
    quantile_levels : tuple of float
    p_at_least : ndarray or None
        Labels: ``P(verdict >= threshold)`` per item (with ``threshold=``).
    threshold : float or None
    median_jury : ndarray of int
        Labels: per item, the jury whose verdict is the (lower) median. Alternatives: per item,
        the first jury whose winner set is the most frequent one.
    scores : ndarray or None
        Per-jury scores/welfare of each alternative when the aggregate returns them.
    aggregate : str
    kind : str
        ``"alternatives"`` or ``"labels"``.
    p_at_least_low, p_at_least_high : ndarray or None
        Labels: 95% Wilson interval of ``P(verdict >= threshold)`` over juries
        (``sc.stats.wilson``; juries share raters, so this describes jury-sampling variability
        only, docs/tradeoff-jury.md §B5).
    """

    verdicts: np.ndarray
    win_probability: np.ndarray | None
    quantiles: np.ndarray | None
    quantile_levels: tuple
    p_at_least: np.ndarray | None
    threshold: float | None
    median_jury: np.ndarray
    scores: np.ndarray | None
    aggregate: str
    kind: str
    p_at_least_low: np.ndarray | None = None
    p_at_least_high: np.ndarray | None = None

    def to_xarray(self):
        """A Dataset with dims ``jury``, [``item``,] ``alternative``."""
        import xarray as xr

        v = self.verdicts
        if self.kind == "labels":
            ds = xr.Dataset({"verdict": (("jury", "item"), v)})
            if self.quantiles is not None:
                ds["quantile"] = (("level", "item"), self.quantiles)
                ds = ds.assign_coords(level=list(self.quantile_levels))
            if self.p_at_least is not None:
                ds["p_at_least"] = (("item",), self.p_at_least)
            return ds.assign_attrs(aggregate=self.aggregate)
        dims = ("jury", "item", "alternative") if v.ndim == 3 else ("jury", "alternative")
        ds = xr.Dataset({"winner_mask": (dims, v), "win_probability": (dims[1:], self.win_probability)})
        if self.scores is not None:
            ds["scores"] = (dims, self.scores)
        return ds.assign_attrs(aggregate=self.aggregate)

    def to_pandas(self):
        """Win probabilities (alternatives) or verdict summaries (labels) as a DataFrame."""
        import pandas as pd

        if self.kind == "labels":
            d = {f"q{lv:g}": q for lv, q in zip(self.quantile_levels, self.quantiles)}
            if self.p_at_least is not None:
                d["p_at_least"] = self.p_at_least
            return pd.DataFrame(d)
        p = self.win_probability
        return pd.DataFrame(np.atleast_2d(p))


def resolve_aggregate(aggregate: Any) -> tuple[str, Callable, str]:
    """(name, function, family) of ``aggregate``: a callable, ``"family.name"`` or a bare name
    looked up in rules, then welfare, then bargaining (``"nash"`` is the welfare function; say
    ``"bargaining.nash"`` for the bargaining solution)."""
    import socialchoice as sc

    if callable(aggregate):
        return getattr(aggregate, "__name__", "callable"), aggregate, "callable"
    if not isinstance(aggregate, str):
        raise ValidationError(f"`aggregate` must be a registry name or a callable, got {type(aggregate).__name__}")
    if "." in aggregate:
        fam, name = aggregate.split(".", 1)
        if fam not in ("rules", "welfare", "bargaining"):
            raise UnknownNameError(f"unknown aggregate family {fam!r}; use rules., welfare. or bargaining.")
        mod = getattr(sc, fam)
        return mod.info(name).name, mod.get(name), fam
    for fam in ("rules", "welfare", "bargaining"):
        mod = getattr(sc, fam)
        try:
            e = mod.info(aggregate)
        except UnknownNameError:
            continue
        return e.name, e.func, fam
    import difflib

    known = sc.rules.names() + sc.welfare.names() + sc.bargaining.names() + list(LABEL_AGGREGATES)
    close = difflib.get_close_matches(aggregate, known, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise UnknownNameError(f"unknown aggregate {aggregate!r}{hint} (a name of sc.rules, sc.welfare, "
                           f"sc.bargaining, one of {LABEL_AGGREGATES}, or a callable)")


def _as_tensor(data: Any) -> tuple[np.ndarray, np.ndarray | None, str]:
    from ..profiles import Rankings, Ratings

    if isinstance(data, Ratings):
        return np.asarray(data.values, dtype=np.float64), data.weights, "ratings"
    if isinstance(data, Rankings):
        return np.asarray(data.ranks), data.weights, "rankings"
    X = np.asarray(data, dtype=np.float64)
    return X, None, "ratings"


def _gather(juries: Any, n_raters: int) -> tuple[np.ndarray, np.ndarray]:
    """(juries with empty seats (-1) pointing at rater 0, mask of real seats); one parallel
    pass finds the index range, and a seat naming a rater the data lacks raises."""
    J = np.asarray(juries)
    if J.dtype.kind not in "iu":
        raise ValidationError(f"`juries` must be an int array of rater indices, got {J.dtype}")
    if J.size == 0:
        return J, np.broadcast_to(np.True_, J.shape)
    from .._kernels.jury import index_range

    flat = np.ascontiguousarray(J.reshape(-1, J.shape[-1]) if J.ndim else J.reshape(1, 1))
    lo, hi = index_range(flat)
    if hi >= n_raters:
        raise ValidationError(f"`juries` index rater {int(hi)} but `data` has {n_raters} raters")
    if lo >= 0:                                      # every seat filled: no copies
        return J, np.broadcast_to(np.True_, J.shape)
    seat = J >= 0
    Jc = np.where(seat, J, 0)
    return Jc, seat


def verdicts(data: Any, juries: Any, *, aggregate: Any, weights: Any = None,
             quantile_levels: tuple = (0.05, 0.25, 0.5, 0.75, 0.95), threshold: float | None = None,
             chunk: int | None = None, progress: Any = None, time_limit: float | None = None,
             method: str = "auto", **options: Any) -> VerdictResult:
    """Verdicts of every jury, the juries run as one batch of the aggregate (§B1).

    Parameters
    ----------
    data : array_like, Ratings or Rankings
        Ratings ``(n_raters, m)`` or ``(items, n_raters, m)`` (NaN = missing; higher is better),
        or for label aggregates labels ``(items, n_raters)``. Labels may be a dask array or a
        dask-backed DataArray (out of core): they are processed one item chunk at a time and
        every field of the result is a lazy dask array.
    juries : ndarray of int
        ``(n_juries, size)`` (the same juries for every item) or ``(items, n_juries, size)``
        (from :func:`sample` with ``available=``); ``-1`` = empty seat.
    aggregate : str or callable
        ``"mean"``, ``"median"``, ``"majority"`` (labels), any name of ``sc.rules``,
        ``sc.welfare`` or ``sc.bargaining`` (bare names look in that order; prefix
        ``"bargaining."`` etc. to choose), or a callable taking a ``(..., size, m)`` tensor.
    weights : ndarray, optional
        Seat weights, the shape of ``juries`` (e.g. from ``sample(..., return_weights=True)``).
    quantile_levels : tuple of float
        Labels: verdict quantiles to report.
    threshold : float, optional
        Labels: report ``P(verdict >= threshold)``.
    chunk : int, optional
        Juries per call of the aggregate (default: as many as fit in about 64 MB of gathered
        ratings). Each call is one batch; there is never a Python loop over single juries.
    progress, time_limit : optional
        Progress bar and time limit over the jury chunks (:func:`socialchoice._chunks.run_chunked`).
    method : {"auto", "gather", "statistic"}
        ``"gather"`` builds the ``(juries, [items,] size, m)`` tensor by fancy indexing and calls
        the aggregate on it (chunk by chunk). ``"statistic"``, for aggregates whose input is a
        sum over raters (positional scores and margin rules of ``sc.rules``, the ``utilitarian``
        rule, ``utilitarian`` and ``nash`` welfare without missing values), computes each
        rater's statistic once (one batched call of the package over single-rater profiles),
        sums it over each jury's seats in a Numba kernel and finalises every jury in one call
        (margin rules on the ``(juries, m, m)`` support, score rules through their scores):
        same answers, no ``size x m`` gather per jury. ``"auto"`` picks ``"statistic"`` when it
        applies.
    **options
        Passed to the aggregate.

    Examples
    --------
    >>> import numpy as np
    >>> from socialchoice import jury
    >>> R = np.array([[3., 1, 2], [3, 2, 1], [1, 3, 2], [1, 2, 3]])
    >>> J = np.array([[0, 1], [2, 3], [0, 2]])
    >>> res = jury.verdicts(R, J, aggregate="utilitarian")
    >>> res.verdicts.astype(int).tolist()
    [[1, 0, 0], [0, 1, 1], [1, 1, 1]]
    >>> res.win_probability.round(4).tolist()
    [0.4444, 0.2778, 0.2778]
    """
    if isinstance(aggregate, str) and aggregate in LABEL_AGGREGATES:
        return _label_verdicts(data, juries, aggregate, weights, quantile_levels, threshold,
                               chunk, progress, time_limit)
    name, func, fam = resolve_aggregate(aggregate)
    X, w0, kind = _as_tensor(data)
    if kind == "rankings" and fam != "rules":
        raise ValidationError(
            f"aggregate {name!r} needs utilities, but `data` holds rankings; pass ratings or a rule of sc.rules")
    if w0 is not None:
        w0 = np.asarray(w0, dtype=np.float64)
        if w0.ndim != 1:
            raise ValidationError("rater weights of `data` must be one per rater; pass weights= per seat instead")
    if X.ndim not in (2, 3):
        raise ValidationError(f"`data` must be (n_raters, m) or (items, n_raters, m), got shape {X.shape}")
    J = np.asarray(juries)
    if J.dtype.kind not in "iu":
        raise ValidationError(f"`juries` must be an int array of rater indices, got {J.dtype}")
    if X.ndim == 2 and J.ndim != 2:
        raise ValidationError("with (n_raters, m) data, `juries` must be (n_juries, size)")
    if X.ndim == 3 and not (J.ndim == 2 or (J.ndim == 3 and J.shape[0] == X.shape[0])):
        raise ValidationError(f"`juries` shape {J.shape} does not fit data with {X.shape[0]} items")
    ww = None
    if weights is not None:
        ww = np.asarray(weights, dtype=np.float64)
        if ww.shape != np.shape(juries):
            raise ValidationError(f"`weights` must have the shape of `juries` {np.shape(juries)}")
    if method not in ("auto", "gather", "statistic"):
        raise ValidationError(f"`method`={method!r}; pass 'auto', 'gather' or 'statistic'")
    how = statistic_kind(fam, name, kind, X, J, options) if method != "gather" else None
    if method == "statistic" and how is None:
        raise ValidationError(
            f"aggregate {name!r} with these options and data has no per-rater sufficient "
            "statistic; use method='gather' (or 'auto')")
    if how is not None:  # the kernel skips empty seats and counts out-of-range ones
        mask, scores = statistic_verdicts(how, func, kind, X, J, w0, ww, options, chunk,
                                          progress, time_limit)
        nw = mask.sum(axis=-1, keepdims=True)
        p = np.where(nw > 0, mask / np.maximum(nw, 1), 0.0).mean(axis=0)
        return VerdictResult(mask, p, None, tuple(quantile_levels), None, threshold,
                             _modal_jury(mask), scores, name, "alternatives")
    Jc, seat = _gather(J, X.shape[-2])
    jax = 1 if Jc.ndim == 3 else 0                            # the jury axis of `juries`
    nj = Jc.shape[jax]
    per_jury = int(np.prod(Jc.shape)) // max(nj, 1) * X.shape[-1] * (X.shape[0] if X.ndim == 3 and Jc.ndim == 2 else 1)
    step = chunk or max(1, _BLOCK_ELEMENTS // max(per_jury, 1))

    def work(a: int, b: int):
        sl = (slice(None), slice(a, b)) if jax else (slice(a, b),)
        T, Wt = _block_tensor(X, Jc[sl], seat[sl], w0, None if ww is None else ww[sl])
        return _run_aggregate(fam, func, kind, T, Wt, options)

    parts = run_chunked(work, nj, chunk=step, progress=progress, time_limit=time_limit, desc="juries")
    mask = np.concatenate([q[0] for q in parts], axis=0)
    scores = None if parts[0][1] is None else np.concatenate([q[1] for q in parts], axis=0)
    nw = mask.sum(axis=-1, keepdims=True)
    p = np.where(nw > 0, mask / np.maximum(nw, 1), 0.0).mean(axis=0)
    med = _modal_jury(mask)
    return VerdictResult(mask, p, None, tuple(quantile_levels), None, threshold, med,
                         scores, name, "alternatives")


def _block_tensor(X, Jc, seat, w0, ww):
    """Gather juries ``Jc`` ((J, s) or (items, J, s)) -> tensor (J, [items,] s, m) and seat weights."""
    if X.ndim == 2:
        T = X[Jc]
        W = None if w0 is None else w0[Jc]
    elif Jc.ndim == 2:
        T = X[:, Jc].transpose(1, 0, 2, 3)
        seat = np.broadcast_to(seat[:, None, :], T.shape[:-1])
        W = None if w0 is None else np.broadcast_to(w0[Jc][:, None, :], T.shape[:-1])
        if ww is not None:
            ww = np.broadcast_to(ww[:, None, :], T.shape[:-1])
    else:
        T = X[np.arange(X.shape[0])[:, None, None], Jc].transpose(1, 0, 2, 3)
        seat = seat.transpose(1, 0, 2)
        W = None if w0 is None else w0[Jc].transpose(1, 0, 2)
        if ww is not None:
            ww = ww.transpose(1, 0, 2)
    Wt = np.where(seat, 1.0, 0.0)
    if W is not None:
        Wt = Wt * W
    if ww is not None:
        Wt = Wt * ww
    return T, Wt


def _run_aggregate(fam, func, kind, T, Wt, options):
    """(winner mask, scores or None) of one batch of juries."""
    use_w = not np.all(Wt == 1.0)
    scores = None
    if fam == "rules":
        from ..profiles import Rankings, Ratings

        if kind == "rankings":
            prof = Rankings(np.ascontiguousarray(T), Wt if use_w else None)
        else:
            prof = Ratings(T, Wt if use_w else None)
        res = func(prof, **options)
        mask = np.asarray(res.winner_mask, dtype=bool)
        scores = None if res.scores is None else np.asarray(res.scores, dtype=np.float64)
    elif fam == "welfare":
        res = func(T, weights=Wt if use_w else None, **options)
        mask = np.asarray(res.levels) == 0
        scores = np.asarray(res.values, dtype=np.float64)
    elif fam == "bargaining":
        res = func(T, weights=Wt if use_w else None, **options)
        scores = np.asarray(res.lottery, dtype=np.float64)
        mask = scores > 0
    else:
        out = func(T, **options)
        mask = np.asarray(getattr(out, "winner_mask", out))
        if mask.dtype != bool:
            scores = np.asarray(mask, dtype=np.float64)
            mask = scores == np.nanmax(scores, axis=-1, keepdims=True)
    return mask, scores


def _modal_jury(mask: np.ndarray) -> np.ndarray:
    """Per item, the first jury whose winner set is the most frequent one."""
    M = mask.reshape(mask.shape[0], -1, mask.shape[-1])
    out = np.empty(M.shape[1], dtype=np.int64)
    m = M.shape[-1]
    for i in range(M.shape[1]):
        if m <= 16:  # a winner set as a small integer: count them all
            pb = np.packbits(M[:, i], axis=-1, bitorder="little").astype(np.int64)
            codes = pb[:, 0] | (pb[:, 1] << 8 if pb.shape[1] > 1 else 0)
            mode = int(np.argmax(np.bincount(codes)))   # the smallest of the most frequent
            out[i] = int(np.argmax(codes == mode))
            continue
        if m <= 62:  # a winner set as one integer: a 1-D unique instead of a row-wise one
            codes = M[:, i].astype(np.int64) @ (np.int64(1) << np.arange(m, dtype=np.int64))
            _, inv, cnt = np.unique(codes, return_inverse=True, return_counts=True)
        else:
            _, inv, cnt = np.unique(M[:, i], axis=0, return_inverse=True, return_counts=True)
        out[i] = int(np.argmax(inv.ravel() == np.argmax(cnt)))
    return out.reshape(mask.shape[1:-1])


def _lazy_labels(data: Any):
    """The dask array behind ``data`` (a dask array or a dask-backed DataArray), else None."""
    from .._validation import is_dask_array

    arr = getattr(data, "data", None) if type(data).__name__ == "DataArray" else data
    return arr if is_dask_array(arr) else None


def _label_verdicts_out_of_core(L, juries, how, weights, levels, threshold) -> VerdictResult:
    """Label verdicts of a dask array ``L`` (items, raters), one item chunk at a time.

    A jury's verdict on an item reads that item's labels across the whole rater pool, so the
    rater axis is rechunked into one chunk (explicitly: memory is one item chunk x all raters);
    items are independent, so every summary (quantiles, ``P(verdict >= threshold)`` with its
    Wilson interval, the median jury) is computed per item chunk. Every field of the result is
    a lazy dask array: ``.compute()`` what you need (``verdicts`` is ``n_juries x items``).
    """
    if L.ndim == 1:
        L = L[None, :]
    if L.ndim != 2:
        raise ValidationError(f"label data must be (items, n_raters), got shape {L.shape}")
    J = np.asarray(juries)
    if J.ndim != 2:
        raise ValidationError(
            "out-of-core label verdicts take the same juries for every item, (n_juries, size); "
            f"got shape {J.shape}")
    L = L.astype(np.float64).rechunk({1: -1})
    nj, nl = J.shape[0], len(levels)
    rows = nl + (3 if threshold is not None else 0) + 1

    def summary(block):
        r = _label_verdicts(block, J, how, weights, levels, threshold)
        parts = [r.quantiles]
        if threshold is not None:
            nan = np.full(block.shape[0], np.nan)
            parts += [r.p_at_least[None],
                      (nan if r.p_at_least_low is None else r.p_at_least_low)[None],
                      (nan if r.p_at_least_high is None else r.p_at_least_high)[None]]
        return np.concatenate(parts + [r.median_jury[None].astype(np.float64)], axis=0)

    # validate once on the first item (bad juries, weights) before building the graph
    _label_verdicts(np.asarray(L[:1].compute()), J, how, weights, levels, threshold)
    S = L.map_blocks(summary, drop_axis=1, new_axis=0, chunks=((rows,), L.chunks[0]),
                     dtype=np.float64)
    V = L.map_blocks(lambda b: _label_verdicts(b, J, how, weights, levels, threshold).verdicts,
                     drop_axis=1, new_axis=0, chunks=((nj,), L.chunks[0]), dtype=np.float64)
    pge = lo = hi = None
    if threshold is not None:
        pge, lo, hi = S[nl], S[nl + 1], S[nl + 2]
    return VerdictResult(V, None, S[:nl], tuple(levels), pge, threshold,
                         S[rows - 1].astype(np.int64), None, how, "labels", lo, hi)


def _label_verdicts(data, juries, how, weights, levels, threshold, chunk=None, progress=None,
                    time_limit=None) -> VerdictResult:
    lazy = _lazy_labels(data)
    if lazy is not None:
        return _label_verdicts_out_of_core(lazy, juries, how, weights, levels, threshold)
    L = np.asarray(data, dtype=np.float64)
    if L.ndim == 1:
        L = L[None, :]
    if L.ndim != 2:
        raise ValidationError(f"label data must be (items, n_raters), got shape {L.shape}")
    Jc, seat = _gather(juries, L.shape[1])
    items = L.shape[0]
    if not (Jc.ndim == 2 or (Jc.ndim == 3 and Jc.shape[0] == items)):
        raise ValidationError(f"`juries` shape {Jc.shape} does not fit {items} items")
    jax = 1 if Jc.ndim == 3 else 0
    nj = Jc.shape[jax]
    wfull = None if weights is None else np.asarray(weights, dtype=np.float64)
    if wfull is not None and wfull.shape != Jc.shape:
        raise ValidationError(f"`weights` must have the shape of `juries` {Jc.shape}")
    per_jury = items * Jc.shape[-1]
    step = chunk or max(1, _BLOCK_ELEMENTS // max(per_jury, 1))
    if how == "mean" and Jc.ndim == 2:
        # a Numba kernel reads each item's row from cache instead of gathering (J, items, s)
        from .._kernels.jury import label_means

        wk = np.where(seat, 1.0, 0.0) if wfull is None else np.where(seat, wfull, 0.0)
        Lc, Jk = np.ascontiguousarray(L), np.ascontiguousarray(Jc)
        step = chunk or max(1, (1 << 20) // max(Jc.shape[1], 1))
        verdict = np.concatenate(run_chunked(
            lambda a, b: label_means(Lc, Jk[a:b], np.ascontiguousarray(wk[a:b])), nj, chunk=step,
            progress=progress, time_limit=time_limit, desc="juries"), axis=0)
        return _label_summary(verdict, how, levels, threshold)

    def work(a: int, b: int):
        sl = (slice(None), slice(a, b)) if jax else (slice(a, b),)
        Jb, sb = Jc[sl], seat[sl]
        if Jb.ndim == 2:
            V = L[:, Jb].transpose(1, 0, 2)                  # (J, items, s)
            sb = np.broadcast_to(sb[:, None, :], V.shape)
        else:
            V = L[np.arange(items)[:, None, None], Jb].transpose(1, 0, 2)
            sb = sb.transpose(1, 0, 2)
        V = np.where(sb, V, np.nan)
        if how == "mean":
            if wfull is not None:
                w = wfull[sl]
                w = np.broadcast_to(w[:, None, :], V.shape) if w.ndim == 2 else w.transpose(1, 0, 2)
                ok = ~np.isnan(V)
                v = np.where(ok, V, 0.0)
                den = np.where(ok, w, 0.0).sum(-1)
                return np.divide((v * w).sum(-1), den, out=np.full(den.shape, np.nan), where=den > 0)
            if np.isnan(V).any():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    return np.nanmean(V, axis=-1)
            return V.mean(-1)
        if how == "median":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanmedian(V, axis=-1)
        # majority: most frequent label, ties -> smallest label
        vals = np.unique(V[~np.isnan(V)])
        if not vals.size:
            return np.full(V.shape[:-1], np.nan)
        cnt = (V[..., None] == vals).sum(-2)
        return vals[np.argmax(cnt, axis=-1)]

    verdict = np.concatenate(run_chunked(work, nj, chunk=step, progress=progress,
                                         time_limit=time_limit, desc="juries"), axis=0)
    return _label_summary(verdict, how, levels, threshold)


def _nan_quantiles(v: np.ndarray, levels, srt: np.ndarray | None = None) -> np.ndarray:
    """``np.nanquantile(v, levels, axis=0)`` (method "linear", numpy's interpolation formula)
    from one sort of the columns (``srt``, NaN last): numpy falls back to a Python loop over
    columns when NaN is present."""
    srt = np.sort(v, axis=0) if srt is None else srt
    n = (~np.isnan(v)).sum(axis=0)
    q = np.asarray(levels, dtype=np.float64)[:, None]
    idx = q * np.maximum(n - 1, 0)
    lo = np.floor(idx).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    t = idx - lo
    cols = np.arange(v.shape[1])
    a, b = srt[lo, cols], srt[hi, cols]
    with np.errstate(invalid="ignore"):
        diff = b - a
        out = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return np.where(n > 0, out, np.nan)


def _lower_median_jury(v: np.ndarray, srt: np.ndarray | None = None) -> np.ndarray:
    """Per column, the row that a stable argsort puts at rank ``(J - 1) // 2`` (NaN last): the
    median jury, without sorting the indices."""
    k = (v.shape[0] - 1) // 2
    val = (np.sort(v, axis=0) if srt is None else srt)[k]
    nan = np.isnan(val)
    with np.errstate(invalid="ignore"):
        below = np.where(nan, (~np.isnan(v)).sum(axis=0), (v < val).sum(axis=0))
        same = np.where(nan, np.isnan(v), v == val)
    # the (k - below)-th row equal to the value, in row order
    return np.argmax(np.cumsum(same, axis=0) > (k - below), axis=0)


def _label_summary(verdict, how, levels, threshold) -> VerdictResult:
    srt = np.sort(verdict, axis=0) if verdict.size else None
    q = _nan_quantiles(verdict, levels, srt) if verdict.size else None
    pge = lo = hi = None
    if threshold is not None:
        from ..stats import wilson

        ok = ~np.isnan(verdict)
        hits = ((verdict >= threshold) & ok).sum(axis=0)
        tot = ok.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            pge = hits / tot
        if np.all(tot > 0):
            wr = wilson(hits, tot)
            lo, hi = np.asarray(wr.low), np.asarray(wr.high)
    med = _lower_median_jury(verdict, srt) if verdict.size else \
        np.zeros(verdict.shape[1:], np.int64)
    return VerdictResult(verdict, None, q, tuple(levels), pge, threshold, med, None, how, "labels",
                         lo, hi)
