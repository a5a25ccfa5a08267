"""Jury verdicts from per-rater sufficient statistics (docs/tradeoff-jury.md §B1).

Many aggregates depend on a jury only through a sum over its seats of a per-rater statistic:
positional scores, the pairwise comparison counts behind every margin rule, the sums of ratings
or of log-gains behind utilitarian and Nash welfare. For those, every jury's statistic is one
gather-and-sum over its seats (a Numba kernel, parallel over juries), and the aggregate runs
once on the whole batch of summed statistics. Three kernels do the summing:

* small non-negative integer statistics (0/1 comparisons, Borda points in half-units, ...)
  without weights: packed as bit planes, 64 to a word, and counted with bit-sliced counters
  (``gather_bitcount``; exact integer counts);
* unweighted float statistics whose width is a multiple of 8: ``gather_sum8``;
* anything else (weights, other widths): ``gather_sum``.
"""

from __future__ import annotations

import numpy as np

from .._chunks import run_chunked
from ..errors import ValidationError

__all__ = ["statistic_kind", "statistic_verdicts"]

_SCORE_RULES = ("plurality", "borda", "anti_plurality", "k_approval", "scoring")
#: the bit-plane kernel counts to 65,535 per position (sixteen-bit bit-sliced counters)
_BIT_MAX_SEATS = 65_535
#: widest bit-plane statistic, in 64-bit words (beyond it the byte kernel reads less)
_BIT_MAX_WORDS = 4


def statistic_kind(fam, name, kind, X, Jc, options) -> str | None:
    """Which per-rater statistic sums to each jury's sufficient statistic, or None."""
    import socialchoice as sc

    if Jc.ndim != 2:
        return None
    if fam == "rules":
        needs = sc.rules.info(name).meta.get("needs")
        if needs == "margins":
            if kind == "ratings" and options.get("pairs", "both_rated") != "both_rated":
                return None
            return "margins"
        if name == "borda" and kind == "ratings" and X.ndim == 2 \
                and set(options) <= {"tie_mode"} and options.get("tie_mode") in (None, "average") \
                and X.shape[-1] ** 2 <= 64 * _BIT_MAX_WORDS and not np.isnan(X).any():
            # complete ratings: Borda's "below + half tied" is half of (m - 1) n plus the
            # comparison counts for minus against, so the packed comparisons serve it too
            return "borda_comparisons"
        if name in _SCORE_RULES:
            return "scores"
        if name == "utilitarian" and kind == "ratings" and set(options) <= {"resolve", "active"}:
            return "mean"
        return None
    if fam == "welfare" and name in ("utilitarian", "nash") and not np.isnan(X).any():
        allowed = {"disagreement"} if name == "nash" else set()
        if set(options) <= allowed and np.ndim(options.get("disagreement", 0.0)) == 0:
            return f"welfare_{name}"
    return None


def _per_rater(how, func, kind, X, options) -> np.ndarray:
    """The per-rater statistic ``(n, [items,] ...)``."""
    import socialchoice as sc

    Xr = np.moveaxis(X, -2, 0)                                  # (n, [items,] m)
    opts = {k: v for k, v in options.items() if k != "pairs"}
    if how == "margins":
        if kind == "rankings":
            prof = sc.Rankings(np.ascontiguousarray(Xr[..., None, :]))
            return np.asarray(prof.support(), dtype=np.float64)  # (n, [items,] m, m)
        # both rated: NaN compares False
        return Xr[..., :, None] > Xr[..., None, :]
    if how == "scores":
        P = sc.Rankings(np.ascontiguousarray(Xr[..., None, :])) if kind == "rankings" else \
            sc.Ratings(Xr[..., None, :])
        return np.nan_to_num(np.asarray(func(P, **opts).scores, dtype=np.float64))
    if how == "mean":
        ok = ~np.isnan(Xr)
        return np.concatenate([np.where(ok, Xr, 0.0), ok.astype(np.float64)], axis=-1)
    if how == "welfare_utilitarian":
        return Xr.astype(np.float64)
    # welfare_nash: log-gains; a gain <= 0 is -inf, as Nash welfare counts it
    gain = Xr - float(options.get("disagreement", 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gain > 0, np.log(np.where(gain > 0, gain, 1.0)), -np.inf)


class _BitPlanes:
    """A statistic of small non-negative multiples of ``1 / scale`` (after subtracting its
    minimum ``lo``) as bit planes packed 64 to a word: the jury sum of column ``k`` is
    ``sum_b 2^b count(k, b) / scale + seats * lo``, exactly."""

    @classmethod
    def strict_comparisons(cls, X: np.ndarray) -> _BitPlanes | None:
        """Ratings ``X (n, m <= 8)`` with no tie and no missing value in any row: the upper
        triangle of each comparison matrix (28 bits for m = 8) determines it
        (``S[y, x] = seats - S[x, y]``), and two seats share one ripple of the popcount."""
        m = X.shape[1]
        if m > 8 or not len(X) or np.isnan(X).any() or not (np.diff(np.sort(X, axis=1)) > 0).all():
            return None
        from .._kernels.jury import pack_upper_comparisons

        self = cls.__new__(cls)
        self.lo, self.scale, self.n_bits, self.K = 0.0, 1.0, 1, m * m
        self.upper = True
        self.words = pack_upper_comparisons(np.ascontiguousarray(X, dtype=np.float64))
        return self

    @classmethod
    def comparisons(cls, X: np.ndarray) -> _BitPlanes:
        """Every rater's comparison matrix ``X[x] > X[y]`` of ratings ``X (n, m)``, packed."""
        from .._kernels.jury import pack_comparisons

        self = cls.__new__(cls)
        self.lo, self.scale, self.n_bits, self.K = 0.0, 1.0, 1, X.shape[1] ** 2
        self.words = pack_comparisons(np.ascontiguousarray(X, dtype=np.float64))
        return self

    def __init__(self, flat: np.ndarray):
        self.words = None
        n, K = flat.shape
        if flat.dtype == np.bool_:
            v, self.lo, self.scale = flat.astype(np.uint8), 0.0, 1.0
        else:
            if not np.isfinite(flat).all():
                return
            self.lo = float(flat.min()) if flat.size else 0.0
            v2 = (flat - self.lo) * 2.0
            if not (v2 == np.round(v2)).all() or (v2.size and v2.max() >= 1 << 16):
                return
            self.scale = 1.0 if (v2 % 2 == 0).all() else 2.0
            v = (v2 / (2.0 / self.scale)).astype(np.int64)
        self.n_bits = max(1, int(v.max()).bit_length()) if v.size else 1
        self.K = K
        n_pos = K * self.n_bits
        W = -(-n_pos // 64)
        if W > _BIT_MAX_WORDS:
            return
        planes = np.zeros((n, W * 64), np.bool_)
        planes[:, :n_pos] = ((v[:, :, None] >> np.arange(self.n_bits)) & 1).reshape(n, n_pos)
        self.words = np.packbits(planes, axis=1, bitorder="little").view(np.uint64)

    upper: bool | None = None

    def sums(self, juries: np.ndarray):
        from .._kernels.jury import gather_bitcount, gather_bitcount_pairs, unfold_upper_counts

        if self.upper is not None:
            counts, seats, bad = gather_bitcount_pairs(self.words, juries)
            m = int(round(self.K ** 0.5))
            return unfold_upper_counts(counts, seats, m), seats.astype(np.float64), bad

        counts, seats, bad = gather_bitcount(self.words, juries)
        c = counts[:, :self.K * self.n_bits].reshape(-1, self.K, self.n_bits)
        tot = c[..., 0].copy()
        for b in range(1, self.n_bits):
            tot += c[..., b] << b
        tot = tot.astype(np.float64)
        if self.scale != 1.0 or self.lo != 0.0:
            tot = tot / self.scale + seats[:, None] * self.lo
        return tot, seats.astype(np.float64), bad


def statistic_verdicts(how, func, kind, X, J, rater_w, seat_w, options, chunk, progress,
                       time_limit):
    """Winner masks (and scores) of every jury from per-rater statistics summed over seats."""
    from .._kernels.jury import gather_sum

    m = X.shape[-1]
    lead = X.shape[:-2]                                         # () or (items,)
    rw = None if rater_w is None else np.ascontiguousarray(rater_w, dtype=np.float64)
    weighted = rw is not None or seat_w is not None
    bits = None
    small = not weighted and J.shape[1] <= _BIT_MAX_SEATS
    borda_cmp = how == "borda_comparisons"
    if borda_cmp and not small:  # weighted seats: Borda's own per-rater scores, summed
        how, borda_cmp = "scores", False
    if small and how in ("margins", "borda_comparisons") and kind == "ratings" and not lead \
            and m * m <= 64 * _BIT_MAX_WORDS:
        # the common case packed straight from the ratings, without the (n, m, m) booleans
        bits = _BitPlanes.strict_comparisons(X) or _BitPlanes.comparisons(X)
        shape, flat = (X.shape[0], m, m), None
    else:
        st = _per_rater(how, func, kind, X, options)
        shape, flat = st.shape, np.ascontiguousarray(st.reshape(st.shape[0], -1))
        if small and how in ("margins", "scores"):
            bits = _BitPlanes(flat)
            bits = bits if bits.words is not None else None
    n = shape[0]
    if bits is None and flat is not None and flat.dtype == np.bool_:
        # 0/1 as uint8 summed in int32 (a cache line a rater for m = 8), floats when weighted
        flat = flat.astype(np.float64) if weighted else flat.view(np.uint8)
    nj = J.shape[0]
    step = chunk or max(1, (1 << 22) // max(int(np.prod(shape[1:])), 1))

    def work(a: int, b: int):
        Jab = np.ascontiguousarray(J[a:b])
        if bits is not None:
            tot, wsum, bad = bits.sums(Jab)
        else:
            sw = None if seat_w is None else np.ascontiguousarray(seat_w[a:b], dtype=np.float64)
            tot, wsum, bad = gather_sum(flat, Jab, sw, rw)
        if bad:
            raise ValidationError(f"`juries` index rater {int(J.max())} but `data` has {n} raters")
        tot = tot.reshape((b - a,) + tuple(shape[1:]))
        if borda_cmp:  # exact: half-integers
            tot = 0.5 * (wsum[:, None] * (m - 1) + tot.sum(-1) - tot.sum(-2))
            return _finalize("scores", func, tot, wsum, m, {})
        return _finalize(how, func, tot, wsum.reshape((b - a,) + (1,) * len(lead)), m, options)

    parts = run_chunked(work, nj, chunk=step, progress=progress, time_limit=time_limit, desc="juries")
    mask = np.concatenate([q[0] for q in parts], axis=0)
    scores = np.concatenate([q[1] for q in parts], axis=0)
    return mask, scores


def _finalize(how, func, tot, wsum, m, options):
    """(winner masks, scores) of a batch of juries from their summed statistics."""
    import socialchoice as sc

    from .._config import TIE_RTOL
    from .._kernels._choice import top_level_sets
    from ..rules._common import score_winners

    eye = np.eye(m, dtype=bool)
    if how == "margins":
        res = func(sc.Pairwise(tot, total_weight=np.broadcast_to(wsum, tot.shape[:-2])), **options)
        return np.asarray(res.winner_mask, dtype=bool), (
            np.full(res.winner_mask.shape, np.nan) if res.scores is None
            else np.asarray(res.scores, dtype=np.float64))
    if how == "scores":
        if not set(options) & {"active", "resolve"}:
            # the rule's own winners: the tied argmax of its scores (docs/rules.md §1.5)
            return score_winners(tot, np.ones(tot.shape, bool)), tot
        synth = np.where(eye, tot[..., None, :], np.nan)
        opts = {k: v for k, v in options.items() if k in ("active", "resolve")}
        res = sc.rules.utilitarian(sc.Ratings(synth), **opts)
        return np.asarray(res.winner_mask, dtype=bool), tot
    if how == "mean":
        S, W = tot[..., :m], tot[..., m:]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = S / W
        synth = np.where(eye & (W[..., None, :] > 0), mean[..., None, :], np.nan)
        res = func(sc.Ratings(synth, W), **options)
        return np.asarray(res.winner_mask, dtype=bool), np.asarray(res.scores, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        val = tot / wsum[..., None]
    # the welfare of the jury is its summed statistic (scaled by 1 / seats, which keeps the
    # order and the relative tie tolerance): the welfare functions' own best tie level
    flat = np.ascontiguousarray(val.reshape(-1, m))
    best = top_level_sets(flat, TIE_RTOL, np.empty(flat.shape, np.bool_))
    return best.reshape(val.shape), val
