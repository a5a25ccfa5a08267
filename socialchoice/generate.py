"""Random profiles: ordinal cultures, cardinal grouped raters, pairwise (RLHF-style) records.

Every generator takes ``seed=`` (an int, or ``None`` for fresh entropy) or ``rng=`` (a
``numpy.random.Generator``), never both, and never touches global random state. Ordinal generators
return :class:`~socialchoice.Rankings` of shape ``(n_voters, n_candidates)``, or
``(n_items, n_voters, n_candidates)`` with ``n_items`` given (independent elections). Levels are
written straight into ``int8`` arrays by Numba kernels, one private random stream per voter, so
the output depends only on the seed, never on the thread count.

===============================  ===============================================================
name                             distribution
===============================  ===============================================================
``impartial_culture``            uniform over the ``m!`` linear orders (alias ``ic``)
``impartial_anonymous_culture``  uniform over anonymous profiles (multisets of ``n`` orders)
``mallows``                      ``P(r) ∝ phi ** kendall_tau(r, center)``
``mallows_mixture``              mixture of Mallows components
``urn``                          Pólya–Eggenberger urn (``alpha * m!`` copies returned per draw)
``single_peaked_walsh``          uniform over the ``2**(m-1)`` orders single-peaked on an axis
``single_peaked_conitzer``       uniform peak, then extend left/right with probability 1/2
``euclidean``                    ballots by distance in ``[0, 1]**dim``
``grouped_ratings``              cardinal ratings of rater groups with known latent utilities
``pairwise_records``             Bradley–Terry comparisons per rater group, as a DataFrame
===============================  ===============================================================

``truncate`` and ``add_ties`` turn complete ballots into top-k or weak orders. ``names()`` and
``get(name)`` list and look up the generators.

Examples
--------
>>> import socialchoice as sc
>>> prof = sc.generate.mallows(5, 4, phi=0.5, seed=0)
>>> prof
Rankings(n_ballots=5, n_candidates=4)
>>> prof.ranks.dtype
dtype('int8')
>>> sc.generate.impartial_culture(3, 4, n_items=2, seed=1).batch_shape
(2,)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._kernels import generate as _kg
from ._random import RNGLike, resolve_rng
from ._registry import Registry, family_api
from ._validation import as_float_array, check_finite, readonly
from .errors import DistributionError, ValidationError
from .profiles import Rankings, Ratings, rank_dtype

__all__ = [
    "impartial_culture", "impartial_anonymous_culture", "mallows", "mallows_mixture", "urn",
    "single_peaked_walsh", "single_peaked_conitzer", "euclidean", "truncate", "add_ties",
    "grouped_ratings", "GroupedRatings", "pairwise_records", "phi_from_norm_phi", "names", "get",
    "info", "chunk_seeds",
]

_REGISTRY = Registry("generator", "generate")


names, get, info = family_api(_REGISTRY)


# --------------------------------------------------------------------- boundary helpers
def _kernel_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**63 - 1, dtype=np.int64))


def _check_int(x: Any, name: str, lo: int = 1) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise ValidationError(f"`{name}` must be an integer >= {lo}, got {x!r}")
    if x < lo:
        raise ValidationError(f"`{name}` must be >= {lo}, got {x}")
    return int(x)


def _check_real(x: Any, name: str, *, upper: float = math.inf) -> float:
    """``x`` as a finite float in ``[0, upper]``, or a ValidationError naming ``name``."""
    what = ">= 0" if upper == math.inf else f"in [0, {upper:g}]"
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValidationError(f"`{name}` must be a number {what}, got {x!r}") from None
    if not (math.isfinite(v) and 0.0 <= v <= upper):
        raise ValidationError(f"`{name}` must be finite and {what}, got {x!r}")
    return v


def _check_unit(x: Any, name: str) -> float:
    return _check_real(x, name, upper=1.0)


def _check_nonnegative(x: Any, name: str) -> float:
    return _check_real(x, name)


def _shape(n_voters: Any, n_candidates: Any, n_items: Any) -> tuple[tuple[int, ...], int, int]:
    n = _check_int(n_voters, "n_voters")
    m = _check_int(n_candidates, "n_candidates")
    if n_items is None:
        return (n, m), n, m
    return (_check_int(n_items, "n_items"), n, m), n, m


def _alloc(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    out = np.empty(shape, dtype=rank_dtype(shape[-1]))
    return out, out.reshape(-1, shape[-1])


def _wrap(out: np.ndarray) -> Rankings:
    return Rankings(readonly(out), _trusted=True)


def _check_permutation(p: Any, m: int, name: str) -> np.ndarray:
    a = np.asarray(p)
    if a.shape != (m,) or a.dtype.kind not in "iu" or not np.array_equal(np.sort(a), np.arange(m)):
        raise ValidationError(
            f"`{name}` must be a permutation of 0..{m - 1} (candidate indices best first / "
            f"left to right), got {p!r}"
        )
    return np.ascontiguousarray(a, dtype=np.int64)


# --------------------------------------------------------------------- chunked (dask) output
def _item_chunks(chunks: Any, n_items: int | None) -> tuple[int, ...]:
    """Item chunk sizes from ``chunks`` (an int size or a tuple of sizes summing to n_items)."""
    if n_items is None:
        raise ValidationError(
            "`chunks` splits the item axis; pass `n_items` (the number of independent "
            "elections) as well"
        )
    if isinstance(chunks, (int, np.integer)) and not isinstance(chunks, bool):
        if chunks < 1:
            raise ValidationError(f"`chunks` must be a positive number of items, got {chunks}")
        c = int(chunks)
        return tuple(min(c, n_items - s) for s in range(0, n_items, c))
    if isinstance(chunks, (tuple, list)) and chunks and all(
            isinstance(c, (int, np.integer)) and not isinstance(c, bool) and c > 0 for c in chunks):
        if sum(chunks) != n_items:
            raise ValidationError(
                f"`chunks` sizes sum to {sum(chunks)} but n_items is {n_items}; the sizes must "
                "cover the items exactly"
            )
        return tuple(int(c) for c in chunks)
    raise ValidationError(
        f"`chunks` must be a positive int (items per chunk) or a tuple of positive ints summing "
        f"to n_items, got {chunks!r}"
    )


def chunk_seeds(rng: RNGLike, n_chunks: int) -> list[np.random.SeedSequence]:
    """The child ``SeedSequence`` of each item chunk of a chunked generator call.

    One draw of 256 bits from ``rng`` seeds a ``SeedSequence`` whose :meth:`spawn` gives one
    independent child per chunk, in item order; chunk ``i`` is generated from
    ``numpy.random.default_rng(children[i])`` alone. The output therefore depends on the seed
    and the chunk sizes only, never on the dask scheduler or the order chunks are computed in,
    and chunk ``i`` equals the eager call with ``n_items`` = its size and ``rng=children[i]``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> [c.spawn_key for c in sc.generate.chunk_seeds(0, 2)]
    [(0,), (1,)]
    """
    g = resolve_rng(rng)
    n_chunks = _check_int(n_chunks, "n_chunks")
    entropy = g.integers(0, 2**63, size=4, dtype=np.int64).tolist()
    return np.random.SeedSequence(entropy).spawn(n_chunks)


def _lazy_blocks(block, sizes: tuple[int, ...], seeds, shape_tail: tuple[int, ...], dtype,
                 n_out: int = 1, tails: tuple | None = None, dtypes: tuple | None = None):
    """dask arrays concatenated over items from ``block(start, size, seed_sequence)``.

    ``block`` returns one array ``(size, *shape_tail)`` (or ``n_out`` arrays with shapes
    ``(size, *tails[k])`` when ``n_out > 1``); nothing is computed here.
    """
    import dask
    import dask.array as dsa

    tails = tails or (shape_tail,)
    dtypes = dtypes or (dtype,)
    parts: list[list] = [[] for _ in range(n_out)]
    start = 0
    for size, ss in zip(sizes, seeds):
        d = dask.delayed(block, pure=False)(start, size, ss)
        for k in range(n_out):
            dk = d if n_out == 1 else d[k]
            parts[k].append(dsa.from_delayed(dk, shape=(size, *tails[k]), dtype=dtypes[k]))
        start += size
    out = [dsa.concatenate(p, axis=0) for p in parts]
    return out[0] if n_out == 1 else tuple(out)


def _lazy_rankings(eager, *, n: int, m: int, n_items: int | None, chunks: Any,
                   g: np.random.Generator, per_chunk=None):
    """A dask-backed rankings DataArray whose item chunk ``i`` is ``eager(size_i, rng_i)``.

    ``per_chunk(start, size)`` returns extra keyword arguments sliced for the chunk (e.g.
    positions given per item).
    """
    import xarray as xr

    sizes = _item_chunks(chunks, n_items)
    seeds = chunk_seeds(g, len(sizes))
    dt = rank_dtype(m)

    def block(start: int, size: int, ss: np.random.SeedSequence) -> np.ndarray:
        extra = per_chunk(start, size) if per_chunk is not None else {}
        return np.asarray(eager(size, np.random.default_rng(ss), **extra).ranks, dtype=dt)

    data = _lazy_blocks(block, sizes, seeds, (n, m), dt)
    return xr.DataArray(data, dims=("item", "rater", "alternative"),
                        coords={"alternative": np.arange(m)}, name="rank",
                        attrs={"kind": "rankings"})


# --------------------------------------------------------------------- ordinal cultures
@_REGISTRY.register("impartial_culture", aliases=("ic", "impartial"), family="ordinal")
def impartial_culture(n_voters: int, n_candidates: int, *, n_items: int | None = None,
                      chunks: Any = None, seed: Any = None, rng: RNGLike = None) -> Any:
    """Impartial culture: every ballot an independent uniform linear order.

    Parameters
    ----------
    n_voters, n_candidates : int
        Profile size.
    n_items : int, optional
        Number of independent elections (a leading batch axis).
    chunks : int or tuple of int, optional
        Return a lazy, dask-backed ``xarray.DataArray`` (dims ``item, rater, alternative``,
        ``attrs["kind"] = "rankings"``, int8 levels for up to 127 candidates) instead of
        Rankings, in item chunks of this size (needs ``n_items``). Nothing is generated until
        it is computed; chunk ``i`` is drawn from its own child seed (:func:`chunk_seeds`), so
        the values depend only on the seed and the chunk sizes, never on the scheduler, and
        chunk ``i`` equals the eager call with ``n_items`` = its size and ``rng`` = its seed.
    seed : int, optional
        Seed for ``numpy.random.default_rng``.
    rng : numpy.random.Generator or seed, optional
        Generator to draw from instead of ``seed`` (anything ``default_rng`` accepts).

    Returns
    -------
    Rankings
        Complete strict ballots, shape ``([n_items,] n_voters, n_candidates)``; a DataArray
        with ``chunks``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.generate.impartial_culture(1000, 3, seed=0)
    >>> p.is_linear(), p.ranks.shape
    (True, (1000, 3))
    >>> lazy = sc.generate.impartial_culture(10, 100, n_items=10**6, chunks=10**4, seed=0)
    >>> lazy.shape, lazy.dtype, lazy.attrs["kind"], lazy.data.numblocks
    ((1000000, 10, 100), dtype('int8'), 'rankings', (100, 1, 1))
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    g = resolve_rng(rng, seed=seed)
    if chunks is not None:
        return _lazy_rankings(lambda size, r: impartial_culture(n, m, n_items=size, rng=r),
                              n=n, m=m, n_items=n_items, chunks=chunks, g=g)
    out, flat = _alloc(shape)
    _kg.impartial_culture(flat, _kernel_seed(g))
    return _wrap(out)


@_REGISTRY.register("urn", aliases=("polya_eggenberger", "polya"), family="ordinal")
def urn(n_voters: int, n_candidates: int, *, alpha: float, n_items: int | None = None,
        chunks: Any = None, seed: Any = None, rng: RNGLike = None) -> Any:
    """Pólya–Eggenberger urn: the urn starts with one copy of each of the ``m!`` orders; each drawn
    ballot is returned with ``alpha * m!`` extra copies.

    Equivalently, voter ``t`` (0-based) copies a uniformly chosen earlier voter with probability
    ``t * alpha / (1 + t * alpha)`` and otherwise draws a fresh uniform order. ``alpha = 0`` is
    impartial culture, ``alpha = 1/m!`` impartial anonymous culture, large ``alpha`` makes nearly
    every ballot equal to the first. Ballots are exchangeable and any two coincide with
    probability ``(1/m! + alpha) / (1 + alpha)``. Same convention as ``prefsampling.ordinal.urn``.

    Parameters
    ----------
    n_voters, n_candidates, n_items, chunks, seed, rng
        As in :func:`impartial_culture`.
    alpha : float
        Replacement parameter, ``>= 0``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.generate.urn(50, 4, alpha=1e6, seed=0)
    >>> len(p.unique().ranks)   # practically every voter copies the first ballot
    1
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    a = _check_nonnegative(alpha, "alpha")
    g = resolve_rng(rng, seed=seed)
    if chunks is not None:
        return _lazy_rankings(lambda size, r: urn(n, m, alpha=a, n_items=size, rng=r),
                              n=n, m=m, n_items=n_items, chunks=chunks, g=g)
    out, _ = _alloc(shape)
    _kg.urn(out.reshape(-1, n, m), _kernel_seed(g), a, 1.0)
    return _wrap(out)


@_REGISTRY.register("impartial_anonymous_culture", aliases=("iac",), family="ordinal")
def impartial_anonymous_culture(n_voters: int, n_candidates: int, *, n_items: int | None = None,
                                chunks: Any = None, seed: Any = None,
                                rng: RNGLike = None) -> Any:
    """Impartial anonymous culture: uniform over anonymous profiles (multisets of ``n`` orders).

    Sampled exactly as the urn with ``alpha = 1/m!`` (one extra copy per draw): the resulting
    count vector over the ``m!`` orders is a Dirichlet(1, ..., 1)–multinomial, which is uniform
    over the ``C(n + m! - 1, n)`` compositions (stars and bars). Nothing is enumerated, so there is
    no limit on ``m``. The only inexactness is floating point: voter ``t`` copies with probability
    ``t / (t + m!)`` decided from a 53-bit uniform, off by at most about ``1e-16`` per voter, so
    the sample is within ``n * 1e-16`` of IAC in total variation for every ``m`` (for large ``m``,
    where ``t / m!`` underflows that precision, copies essentially never occur and IAC and impartial
    culture differ by less than ``n**2 / m!`` anyway). Voters come in exchangeable random order.
    ``chunks`` as in :func:`impartial_culture`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.generate.impartial_anonymous_culture(6, 3, seed=0).ranks.shape
    (6, 3)
    """
    return urn(n_voters, n_candidates, alpha=1.0 / math.factorial(_check_int(n_candidates,
               "n_candidates")), n_items=n_items, chunks=chunks, seed=seed, rng=rng)


def _expected_kendall(phi: float, m: int) -> float:
    tot = 0.0
    for i in range(1, m):
        k = np.arange(i + 1)
        w = phi ** k
        tot += float((k * w).sum() / w.sum())
    return tot


def phi_from_norm_phi(norm_phi: float, n_candidates: int) -> float:
    """Dispersion ``phi`` whose expected Kendall-tau distance to the center is
    ``norm_phi * m (m - 1) / 4`` (Boehmer, Faliszewski & Kraiczy, ICML 2023).

    Examples
    --------
    >>> import socialchoice as sc
    >>> round(sc.generate.phi_from_norm_phi(0.5, 10), 4)
    0.6534
    """
    from scipy.optimize import brentq

    r = _check_unit(norm_phi, "norm_phi")
    m = _check_int(n_candidates, "n_candidates")
    if r in (0.0, 1.0) or m < 2:
        return r
    target = r * m * (m - 1) / 4
    return float(brentq(lambda p: _expected_kendall(p, m) - target, 0.0, 1.0, xtol=1e-14))


def _insertion_cdf(phi: float, m: int) -> np.ndarray:
    cdf = np.ones((m, m), np.float64)
    for i in range(1, m):
        w = phi ** (i - np.arange(i + 1, dtype=np.float64))
        c = np.cumsum(w) / w.sum()
        cdf[i, : i + 1] = c
        cdf[i, i:] = 1.0
    return cdf


@_REGISTRY.register("mallows", family="ordinal")
def mallows(n_voters: int, n_candidates: int, *, phi: float = 0.5, center: Any = None,
            normalize_phi: bool = False, n_items: int | None = None, chunks: Any = None,
            seed: Any = None, rng: RNGLike = None) -> Any:
    """Mallows model: ``P(r) = phi ** d(r, center) / Z`` with ``d`` the Kendall-tau distance.

    Sampled by the repeated insertion model (Doignon, Pekeč & Regenwetter 2004): the ``i``-th
    candidate of ``center`` is inserted at position ``j`` in ``0..i`` with probability
    ``∝ phi ** (i - j)``.

    Parameters
    ----------
    phi : float in [0, 1]
        Dispersion; 0 gives ``center`` for every voter, 1 impartial culture.
    center : array_like of int, optional
        Reference ranking, candidate indices best first; default ``0, 1, ..., m-1``.
    normalize_phi : bool
        Read ``phi`` as the normalised dispersion of Boehmer et al. (see
        :func:`phi_from_norm_phi`), comparable across numbers of candidates.
    n_voters, n_candidates, n_items, chunks, seed, rng
        As in :func:`impartial_culture`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.generate.mallows(3, 4, phi=0.0, center=[2, 0, 1, 3], seed=0).ranks
    array([[1, 2, 0, 3],
           [1, 2, 0, 3],
           [1, 2, 0, 3]], dtype=int8)
    """
    return mallows_mixture(n_voters, n_candidates, weights=[1.0], phis=[phi],
                           centers=None if center is None else [center],
                           normalize_phi=normalize_phi, n_items=n_items, chunks=chunks,
                           seed=seed, rng=rng)


@_REGISTRY.register("mallows_mixture", family="ordinal")
def mallows_mixture(n_voters: int, n_candidates: int, *, weights: Sequence[float],
                    phis: Sequence[float], centers: Any = None, normalize_phi: bool = False,
                    n_items: int | None = None, chunks: Any = None, seed: Any = None,
                    rng: RNGLike = None) -> Any:
    """Mixture of Mallows models: each voter picks component ``k`` with probability
    ``weights[k]``, then draws from Mallows(``phis[k]``, ``centers[k]``).

    Parameters
    ----------
    weights : sequence of float
        Component probabilities (non-negative; normalised if they do not sum to 1).
    phis : sequence of float in [0, 1]
        Dispersion per component.
    centers : array_like of int, shape (K, m), optional
        Reference rankings, best first; default independent uniform orders drawn from ``rng``
        (the identity for a single component); drawn once per call, so every item (and every
        chunk) shares them.
    normalize_phi, n_voters, n_candidates, n_items, chunks, seed, rng
        As in :func:`mallows`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.generate.mallows_mixture(100, 3, weights=[0.5, 0.5], phis=[0, 0],
    ...                                 centers=[[0, 1, 2], [2, 1, 0]], seed=0)
    >>> len(p.unique().ranks)
    2
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    w = as_float_array(weights, "weights", min_ndim=1)
    check_finite(w, "weights")
    if w.ndim != 1 or len(w) == 0:
        raise DistributionError(f"`weights` must be a non-empty 1-D sequence, got shape {w.shape}")
    if (w < 0).any() or w.sum() <= 0:
        raise DistributionError("`weights` must be non-negative with a positive sum")
    w = w / w.sum()
    k_comp = len(w)
    ph = np.atleast_1d(np.asarray(phis, dtype=object))
    if ph.shape != (k_comp,):
        raise ValidationError(f"`phis` must have one value per component ({k_comp}), got {phis!r}")
    phi_vals = [_check_unit(p, "phis") for p in ph]
    if normalize_phi:
        phi_vals = [phi_from_norm_phi(p, m) for p in phi_vals]
    g = resolve_rng(rng, seed=seed)
    if centers is None and k_comp == 1 and chunks is not None:
        cent = np.arange(m, dtype=np.int64)[None]  # each chunk's own call handles its draws
    elif centers is None:
        cent = np.argsort(g.random((k_comp, m)), axis=1).astype(np.int64)
        if k_comp == 1:
            cent[0] = np.arange(m)
    else:
        c = np.asarray(centers)
        if c.ndim != 2 or c.shape[0] != k_comp:
            raise ValidationError(
                f"`centers` must have shape ({k_comp}, {m}), one ranking per component; "
                f"got shape {c.shape}"
            )
        cent = np.stack([_check_permutation(r, m, "center") for r in c])
    if chunks is not None:
        # random centers of a mixture are drawn once and shared by every chunk
        shared = cent if (centers is not None or k_comp > 1) else None
        return _lazy_rankings(
            lambda size, r: mallows_mixture(n, m, weights=w, phis=phi_vals, centers=shared,
                                            n_items=size, rng=r),
            n=n, m=m, n_items=n_items, chunks=chunks, g=g)
    cdf = np.stack([_insertion_cdf(p, m) for p in phi_vals])
    out, flat = _alloc(shape)
    comp = (np.empty(0, np.int64) if k_comp == 1
            else np.asarray(g.choice(k_comp, size=flat.shape[0], p=w), dtype=np.int64))
    _kg.mallows(flat, _kernel_seed(g), cdf, cent, comp)
    return _wrap(out)


def _axis(axis: Any, m: int) -> np.ndarray:
    return np.arange(m, dtype=np.int64) if axis is None else _check_permutation(axis, m, "axis")


@_REGISTRY.register("single_peaked_walsh", aliases=("walsh",), family="ordinal")
def single_peaked_walsh(n_voters: int, n_candidates: int, *, axis: Any = None,
                        n_items: int | None = None, chunks: Any = None, seed: Any = None,
                        rng: RNGLike = None) -> Any:
    """Uniform over the ``2**(m-1)`` orders single-peaked on ``axis`` (Walsh, AAAI 2015).

    Parameters
    ----------
    axis : array_like of int, optional
        Candidates from left to right; default ``0..m-1``.
    n_voters, n_candidates, n_items, chunks, seed, rng
        As in :func:`impartial_culture`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.generate.single_peaked_walsh(4, 5, seed=0).is_linear()
    True
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    ax = _axis(axis, m)
    g = resolve_rng(rng, seed=seed)
    if chunks is not None:
        return _lazy_rankings(lambda size, r: single_peaked_walsh(n, m, axis=ax, n_items=size, rng=r),
                              n=n, m=m, n_items=n_items, chunks=chunks, g=g)
    out, flat = _alloc(shape)
    _kg.single_peaked_walsh(flat, _kernel_seed(g), ax)
    return _wrap(out)


@_REGISTRY.register("single_peaked_conitzer", aliases=("conitzer",), family="ordinal")
def single_peaked_conitzer(n_voters: int, n_candidates: int, *, axis: Any = None,
                           n_items: int | None = None, chunks: Any = None, seed: Any = None,
                           rng: RNGLike = None) -> Any:
    """Conitzer's single-peaked model (JAIR 2009): uniform peak on ``axis``, then the next
    candidate is the left or the right neighbour of the ranked interval with probability 1/2
    (forced once an end is reached). Arguments as in :func:`single_peaked_walsh`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.generate.single_peaked_conitzer(2, 4, seed=0).ranks.shape
    (2, 4)
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    ax = _axis(axis, m)
    g = resolve_rng(rng, seed=seed)
    if chunks is not None:
        return _lazy_rankings(
            lambda size, r: single_peaked_conitzer(n, m, axis=ax, n_items=size, rng=r),
            n=n, m=m, n_items=n_items, chunks=chunks, g=g)
    out, flat = _alloc(shape)
    _kg.single_peaked_conitzer(flat, _kernel_seed(g), ax)
    return _wrap(out)


@_REGISTRY.register("euclidean", aliases=("spatial",), family="ordinal")
def euclidean(n_voters: int, n_candidates: int, *, dim: int = 2, voter_positions: Any = None,
              candidate_positions: Any = None, return_positions: bool = False,
              n_items: int | None = None, chunks: Any = None, seed: Any = None,
              rng: RNGLike = None) -> Any:
    """Spatial model: voters and candidates are points; a voter ranks closer candidates higher.

    Points not passed are uniform in ``[0, 1]**dim``, candidates drawn per item. Equal distances
    (only possible with passed positions) give tied levels.

    Parameters
    ----------
    dim : int
        Dimension of the space (ignored when positions are passed).
    voter_positions : array_like, shape ([n_items,] n_voters, dim), optional
    candidate_positions : array_like, shape ([n_items,] n_candidates, dim), optional
    return_positions : bool
        Also return ``(voter_positions, candidate_positions)`` with the batch axis when present
        (not with ``chunks``).
    n_voters, n_candidates, n_items, chunks, seed, rng
        As in :func:`impartial_culture`; positions given per item are sliced per chunk.

    Returns
    -------
    Rankings, or (Rankings, ndarray, ndarray) with ``return_positions``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> sc.generate.euclidean(2, 3, voter_positions=[[0.0], [1.0]],
    ...                       candidate_positions=[[0.1], [0.5], [0.8]]).ranks
    array([[0, 1, 2],
           [2, 1, 0]], dtype=int8)
    """
    shape, n, m = _shape(n_voters, n_candidates, n_items)
    b = 1 if n_items is None else shape[0]
    g = resolve_rng(rng, seed=seed)
    d = _check_int(dim, "dim")
    cands = None
    if candidate_positions is not None:
        cands = as_float_array(candidate_positions, "candidate_positions", min_ndim=2)
        check_finite(cands, "candidate_positions")
        d = cands.shape[-1]
        if cands.shape[-2] != m or cands.ndim > 3 or (cands.ndim == 3 and cands.shape[0] != b):
            raise ValidationError(
                f"`candidate_positions` must have shape ({m}, dim) or ({b}, {m}, dim), "
                f"got {cands.shape}"
            )
    vot = None
    if voter_positions is not None:
        vot = as_float_array(voter_positions, "voter_positions", min_ndim=2)
        check_finite(vot, "voter_positions")
        want = shape[:-1] + (vot.shape[-1],)
        if vot.shape != want or (cands is not None and vot.shape[-1] != d):
            raise ValidationError(
                f"`voter_positions` must have shape {shape[:-1] + (d,)}, got {vot.shape}"
            )
        d = vot.shape[-1]
    if chunks is not None:
        if return_positions:
            raise ValidationError("`return_positions` is not available with `chunks`; pass the "
                                  "positions yourself (voter_positions=, candidate_positions=)")
        per_item_c = cands is not None and cands.ndim == 3

        def per_chunk(start: int, size: int) -> dict:
            return {"voter_positions": None if vot is None else vot[start:start + size],
                    "candidate_positions": (None if cands is None else
                                            cands[start:start + size] if per_item_c else cands)}

        return _lazy_rankings(lambda size, r, **kw: euclidean(n, m, dim=d, n_items=size, rng=r, **kw),
                              n=n, m=m, n_items=n_items, chunks=chunks, g=g, per_chunk=per_chunk)
    if cands is None:
        cands = g.random((b, m, d))
    cands3 = np.ascontiguousarray(np.broadcast_to(cands, (b, m, d)), dtype=np.float64)
    if vot is None and return_positions:
        vot = g.random(shape[:-1] + (d,))
    out, flat = _alloc(shape)
    use_v = vot is not None
    vflat = (np.ascontiguousarray(vot, dtype=np.float64).reshape(-1, d) if use_v
             else np.empty((0, d), np.float64))
    _kg.euclidean(flat, _kernel_seed(g), vflat, cands3, use_v, n)
    prof = _wrap(out)
    if return_positions:
        cpos = cands3 if n_items is not None else cands3[0]
        return prof, np.array(vot, dtype=np.float64), np.array(cpos)
    return prof


# --------------------------------------------------------------------- ballot transforms
def truncate(rankings: Rankings, k: Any = None, *, p: Any = None, seed: Any = None,
             rng: RNGLike = None) -> Rankings:
    """Top-k truncation: keep the candidates at levels ``< k``, mark the rest unranked.

    Parameters
    ----------
    rankings : Rankings
    k : int or array_like of int, optional
        Number of levels kept: one value, or one per ballot (shape broadcastable to
        ``(..., n_voters)``). ``k >= m`` keeps the ballot, ``k = 0`` empties it.
    p : array_like of float, shape (m + 1,), optional
        Instead of ``k``: a distribution over ``k = 0..m``, drawn independently per ballot.
    seed, rng
        Randomness for ``p``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.Rankings.from_orders([[0, 1, 2], [2, 1, 0]])
    >>> sc.generate.truncate(p, 1).ranks
    array([[ 0, -1, -1],
           [-1, -1,  0]], dtype=int8)
    """
    if not isinstance(rankings, Rankings):
        raise ValidationError(f"`rankings` must be sc.Rankings, got {type(rankings).__name__}")
    r = rankings.ranks
    m = r.shape[-1]
    if (k is None) == (p is None):
        raise ValidationError("pass exactly one of `k` (levels kept) or `p` (distribution of k)")
    if p is not None:
        pv = as_float_array(p, "p", min_ndim=1)
        if pv.shape != (m + 1,):
            raise DistributionError(f"`p` must have m + 1 = {m + 1} entries (k = 0..{m}), got {pv.shape}")
        check_finite(pv, "p")
        if (pv < 0).any() or not np.isclose(pv.sum(), 1.0, atol=1e-9):
            raise DistributionError("`p` must be non-negative and sum to 1")
        g = resolve_rng(rng, seed=seed)
        kk = g.choice(m + 1, size=r.shape[:-1], p=pv / pv.sum())
    else:
        kk = np.asarray(k)
        if kk.dtype.kind not in "iu" or (kk < 0).any():
            raise ValidationError(f"`k` must be a non-negative integer or integer array, got {k!r}")
        try:
            kk = np.broadcast_to(kk, r.shape[:-1])
        except ValueError:
            raise ValidationError(
                f"`k` of shape {kk.shape} does not broadcast to the ballots' shape {r.shape[:-1]}"
            ) from None
    new = np.where(r < kk[..., None], r, -1).astype(r.dtype)
    return Rankings(new, rankings.weights, rankings.candidates,
                    voter_attributes=rankings.voter_attributes,
                    batch_dims=rankings._batch_dims)


def add_ties(rankings: Rankings, p: float, *, seed: Any = None,
             rng: RNGLike = None) -> Rankings:
    """Merge each pair of adjacent ranked levels independently with probability ``p``.

    ``p = 0`` keeps the ballots, ``p = 1`` ties all ranked candidates; unranked stay unranked.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.Rankings.from_orders([[0, 1, 2]])
    >>> sc.generate.add_ties(p, 1.0, seed=0).ranks
    array([[0, 0, 0]], dtype=int8)
    """
    if not isinstance(rankings, Rankings):
        raise ValidationError(f"`rankings` must be sc.Rankings, got {type(rankings).__name__}")
    q = _check_unit(p, "p")
    g = resolve_rng(rng, seed=seed)
    r = rankings.ranks.astype(np.int64)
    merge = g.random(r.shape) < q
    merge[..., 0] = False  # boundary b merges level b into level b - 1
    cum = np.cumsum(merge, axis=-1)
    new = np.where(r >= 0, r - np.take_along_axis(cum, np.maximum(r, 0), axis=-1), -1)
    return Rankings(new, rankings.weights, rankings.candidates,
                    voter_attributes=rankings.voter_attributes,
                    batch_dims=rankings._batch_dims)


# --------------------------------------------------------------------- cardinal and pairwise
def _groups(n_raters: int, group_sizes: Any, group_probs: Any,
            g: np.random.Generator) -> tuple[np.ndarray, int]:
    if group_sizes is not None and group_probs is not None:
        raise ValidationError("pass either `group_sizes` or `group_probs`, not both")
    if group_probs is not None:
        pr = as_float_array(group_probs, "group_probs", min_ndim=1)
        if pr.ndim != 1 or (pr < 0).any() or not np.isclose(pr.sum(), 1.0, atol=1e-9):
            raise DistributionError("`group_probs` must be a 1-D probability vector summing to 1")
        return g.choice(len(pr), size=n_raters, p=pr / pr.sum()).astype(np.int64), len(pr)
    if group_sizes is None:
        group_sizes = [n_raters - n_raters // 2, n_raters // 2] if n_raters > 1 else [1]
    sz = np.asarray(group_sizes)
    if sz.ndim != 1 or sz.dtype.kind not in "iu" or (sz < 0).any() or sz.sum() != n_raters:
        raise ValidationError(
            f"`group_sizes` must be non-negative integers summing to n_raters={n_raters}, "
            f"got {group_sizes!r}"
        )
    return np.repeat(np.arange(len(sz)), sz).astype(np.int64), len(sz)


def _utilities(u: Any, n_groups: int, n_items: int, m: int, name: str) -> np.ndarray | None:
    if u is None:
        return None
    a = as_float_array(u, name, min_ndim=1)
    check_finite(a, name)
    if a.ndim == 1:
        a = a[None, None, :]
    elif a.ndim == 2:
        a = a[:, None, :]
    try:
        return np.ascontiguousarray(np.broadcast_to(a, (n_groups, n_items, m)), dtype=np.float64)
    except ValueError:
        raise ValidationError(
            f"`{name}` has shape {np.shape(u)}; pass (n_groups, n_items, m) = "
            f"({n_groups}, {n_items}, {m}), (n_groups, m) or (m,)"
        ) from None


@dataclass(frozen=True, eq=False)
class GroupedRatings:
    """Output of :func:`grouped_ratings`: the data and the truth behind it.

    Attributes
    ----------
    ratings : Ratings or xarray.DataArray
        ``values[item, rater, alternative]``; ``rater_attributes["group"]`` holds group indices.
        With ``chunks``: a lazy, dask-backed DataArray (``attrs["kind"] = "ratings"``, the group
        as a ``group`` coordinate on the rater dim).
    utilities : ndarray or xarray.DataArray, shape (n_groups, n_items, n_alternatives)
        Latent group utilities the ratings were drawn around (on the rating scale); lazy, dims
        ``group, item, alternative``, with ``chunks``.
    group : ndarray of int, shape (n_raters,)
        Group index of each rater.
    noise : float
        Standard deviation of the Gaussian rating noise.
    """

    ratings: Any
    utilities: Any
    group: np.ndarray
    noise: float

    @property
    def values(self) -> np.ndarray:
        """The ratings as a numpy array (``ratings.values``; computes a chunked DataArray)."""
        return np.asarray(self.ratings.values)


def _grouped_block(g: np.random.Generator, grp: np.ndarray, n_groups: int, u: np.ndarray | None,
                   n_items: int, m: int, sd: float, miss: float, scale: tuple[int, int] | None,
                   dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Ratings ``(n_items, n_raters, m)`` in ``dtype`` and utilities ``(n_groups, n_items, m)``."""
    if u is None:
        u = (g.uniform(scale[0], scale[1], (n_groups, n_items, m)) if scale is not None
             else g.standard_normal((n_groups, n_items, m)))
    x = u[grp].transpose(1, 0, 2) + sd * g.standard_normal((n_items, len(grp), m))
    if scale is not None:
        x = np.clip(np.rint(x), scale[0], scale[1])
    if miss > 0:
        x[g.random(x.shape) < miss] = np.nan
    return x.astype(dtype, copy=False), u


def _float_dtype(dtype: Any) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValidationError(f"`dtype` must be float32 or float64 for ratings, got {dtype!r}")
    return dt


@_REGISTRY.register("grouped_ratings", family="cardinal")
def grouped_ratings(n_items: int, n_raters: int, n_alternatives: int, *,
                    group_sizes: Sequence[int] | None = None,
                    group_probs: Sequence[float] | None = None, group_utilities: Any = None,
                    noise: float = 1.0, missing: float = 0.0,
                    scale: tuple[int, int] | None = None, dtype: Any = np.float64,
                    chunks: Any = None, seed: Any = None,
                    rng: RNGLike = None) -> GroupedRatings:
    """Cardinal ratings from groups of raters sharing latent utilities.

    Rater ``r`` in group ``g`` rates alternative ``a`` of item ``i`` as
    ``utilities[g, i, a] + noise * N(0, 1)``; with ``scale=(lo, hi)`` the rating is rounded to the
    nearest integer and clipped to ``[lo, hi]``. Each rating is then missing (NaN) independently
    with probability ``missing``.

    Parameters
    ----------
    n_items, n_raters, n_alternatives : int
        Output shape ``(n_items, n_raters, n_alternatives)``.
    group_sizes : sequence of int, optional
        Raters per group, in order (summing to ``n_raters``). Default two halves.
    group_probs : sequence of float, optional
        Instead of sizes: each rater's group drawn independently.
    group_utilities : array_like, optional
        ``(n_groups, n_items, m)``, ``(n_groups, m)`` or ``(m,)``. Drawn if None: standard normal,
        or uniform on ``[lo, hi]`` with ``scale``.
    noise : float
        Noise standard deviation, ``>= 0``.
    missing : float in [0, 1)
        Probability that a rating is missing.
    scale : (int, int), optional
        Integer rating scale (e.g. ``(1, 5)``).
    dtype : {float64, float32}
        Precision of the ratings: drawn in float64 and rounded to ``dtype``. The eager
        :class:`Ratings` holds float64 copies of the rounded values (so they equal the chunked
        output); the chunked DataArray holds ``dtype`` (float32 halves its memory).
    chunks : int or tuple of int, optional
        Return lazy, dask-backed DataArrays (``.ratings`` with dims ``item, rater, alternative``
        and ``.utilities``) in item chunks of this size. The groups are drawn once; chunk ``i``
        is drawn from its own child seed (:func:`chunk_seeds`), so the values depend only on the
        seed and the chunk sizes, never on the scheduler.
    seed, rng
        Randomness.

    Returns
    -------
    GroupedRatings
        ``.ratings`` (a :class:`Ratings`, or a DataArray with ``chunks``) plus the latent
        ``.utilities`` and ``.group``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> s = sc.generate.grouped_ratings(2, 6, 3, group_sizes=[4, 2], scale=(1, 5), seed=0)
    >>> s.ratings.values.shape, s.utilities.shape, s.ratings.rater_attributes["group"].tolist()
    ((2, 6, 3), (2, 2, 3), [0, 0, 0, 0, 1, 1])
    >>> big = sc.generate.grouped_ratings(10**6, 10, 100, dtype="float32", chunks=10**4, seed=0)
    >>> big.ratings.dtype, big.ratings.attrs["kind"], big.ratings.nbytes
    (dtype('float32'), 'ratings', 4000000000)
    """
    n_items = _check_int(n_items, "n_items")
    n_raters = _check_int(n_raters, "n_raters")
    m = _check_int(n_alternatives, "n_alternatives")
    sd = _check_nonnegative(noise, "noise")
    miss = _check_unit(missing, "missing")
    if miss >= 1.0:
        raise ValidationError("`missing` must be < 1; every rating would be missing")
    sc_: tuple[int, int] | None = None
    if scale is not None:
        if len(scale) != 2 or not all(isinstance(s, (int, np.integer)) for s in scale) \
                or scale[0] >= scale[1]:
            raise ValidationError(f"`scale` must be two integers (lo, hi) with lo < hi, got {scale!r}")
        sc_ = (int(scale[0]), int(scale[1]))
    dt = _float_dtype(dtype)
    sizes = None if chunks is None else _item_chunks(chunks, n_items)
    g = resolve_rng(rng, seed=seed)
    grp, n_groups = _groups(n_raters, group_sizes, group_probs, g)
    u = _utilities(group_utilities, n_groups, n_items, m, "group_utilities")
    if sizes is not None:
        return _lazy_grouped(g, grp, n_groups, u, sizes, n_raters, m, sd, miss, sc_, dt)
    x, u = _grouped_block(g, grp, n_groups, u, n_items, m, sd, miss, sc_, dt)
    if miss > 0 and np.isnan(x).all():
        x.flat[0] = u[grp[0], 0, 0] if sc_ is None else np.clip(np.rint(u[grp[0], 0, 0]), *sc_)
    rat = Ratings(x, rater_attributes={"group": grp})
    return GroupedRatings(rat, readonly(u), readonly(grp.copy()), sd)


def _lazy_grouped(g, grp, n_groups, u, sizes, n_raters, m, sd, miss, scale, dt) -> GroupedRatings:
    import xarray as xr

    seeds = chunk_seeds(g, len(sizes))

    def block(start: int, size: int, ss: np.random.SeedSequence):
        uc = None if u is None else u[:, start:start + size]
        x, uu = _grouped_block(np.random.default_rng(ss), grp, n_groups, uc, size, m, sd, miss,
                               scale, dt)
        return x, np.ascontiguousarray(uu.transpose(1, 0, 2))

    x, ut = _lazy_blocks(block, sizes, seeds, (), dt, n_out=2,
                         tails=((n_raters, m), (n_groups, m)), dtypes=(dt, np.dtype(np.float64)))
    grp = readonly(grp.copy())
    rat = xr.DataArray(x, dims=("item", "rater", "alternative"),
                       coords={"alternative": np.arange(m), "group": ("rater", grp)},
                       name="rating", attrs={"kind": "ratings"})
    util = xr.DataArray(ut, dims=("item", "group", "alternative"),
                        coords={"alternative": np.arange(m)}).transpose("group", "item", "alternative")
    return GroupedRatings(rat, util, grp, sd)


@_REGISTRY.register("pairwise_records", family="pairwise")
def pairwise_records(n_items: int, n_raters: int, n_alternatives: int, n_comparisons: int, *,
                     utilities: Any = None, group_sizes: Sequence[int] | None = None,
                     group_probs: Sequence[float] | None = None, seed: Any = None,
                     rng: RNGLike = None):
    """RLHF-style pairwise comparisons from a Bradley–Terry model per rater group.

    Every rater labels ``n_comparisons`` pairs per item; a pair ``(a, b)`` of distinct
    alternatives is uniform, and ``a`` wins with probability
    ``1 / (1 + exp(-(u[g, i, a] - u[g, i, b])))`` (strengths ``exp(u)``).

    Parameters
    ----------
    n_items, n_raters, n_alternatives, n_comparisons : int
        Sizes; ``n_alternatives >= 2``.
    utilities : array_like, optional
        Log-strengths ``(n_groups, n_items, m)``, ``(n_groups, m)`` or ``(m,)``; standard normal
        per group and item if None.
    group_sizes, group_probs : optional
        Rater groups, as in :func:`grouped_ratings`.
    seed, rng
        Randomness.

    Returns
    -------
    pandas.DataFrame
        Columns ``item, rater, group, a, b, outcome`` (``outcome`` 1 if ``a`` won, else 0);
        ``df.attrs["utilities"]`` holds the ``(n_groups, n_items, m)`` truth. Alternatives are
        ``0..m-1``: pass ``candidates=range(m)`` to :meth:`Pairwise.from_records`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> df = sc.generate.pairwise_records(2, 3, 4, 5, seed=0)
    >>> list(df.columns), len(df), df.attrs["utilities"].shape
    (['item', 'rater', 'group', 'a', 'b', 'outcome'], 30, (2, 2, 4))
    """
    import pandas as pd

    n_items = _check_int(n_items, "n_items")
    n_raters = _check_int(n_raters, "n_raters")
    m = _check_int(n_alternatives, "n_alternatives", lo=2)
    k = _check_int(n_comparisons, "n_comparisons")
    g = resolve_rng(rng, seed=seed)
    grp, n_groups = _groups(n_raters, group_sizes, group_probs, g)
    u = _utilities(utilities, n_groups, n_items, m, "utilities")
    if u is None:
        u = g.standard_normal((n_groups, n_items, m))
    shape = (n_items, n_raters, k)
    item = np.broadcast_to(np.arange(n_items)[:, None, None], shape).ravel()
    rater = np.broadcast_to(np.arange(n_raters)[None, :, None], shape).ravel()
    gr = grp[rater]
    a = g.integers(0, m, item.size)
    b = g.integers(0, m - 1, item.size)
    b = b + (b >= a)
    diff = u[gr, item, a] - u[gr, item, b]
    outcome = (g.random(item.size) < 1.0 / (1.0 + np.exp(-diff))).astype(np.int64)
    df = pd.DataFrame({"item": item, "rater": rater, "group": gr, "a": a, "b": b,
                       "outcome": outcome})
    df.attrs["utilities"] = readonly(u)
    return df
