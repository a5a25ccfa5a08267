"""Scalarisations over lotteries of responses (docs/tradeoff-jury.md §A4).

Candidate responses are the rows of ``R`` (shape ``(..., m, d)``); a policy randomises over them
with a lottery ``p`` and achieves ``Rᵀp`` (``achieved``). Every scalarisation is a linear program
of one shape,

    max t  s.t.  x_k · p >= t  (objective rows),  a_i · p >= v_i  (constraint rows),  p in the simplex,

which is exactly the LP that the bargaining Numba kernel
(:func:`socialchoice._kernels.bargaining.lp_round_batch`) solves, batched, by an exact dense
simplex; the cvxpy path (:mod:`socialchoice.bargaining._cvx`: HiGHS first, then the conic
fallback chain, with status checks) solves the same LP with ``cp.Parameter`` data so that sweeps
re-solve without re-canonicalising (DPP):

* ``weighted_sum``: one objective row ``λᵀR``; without constraints it is an argmax (closed form);
* ``tchebycheff``: one row per objective with positive weight, ``λ_k (R_k − z_k)``;
* ``augmented_tchebycheff``: ``λ_k (R_k − z_k) + ρ Σ_l λ_l (R_l − z_l)`` (``min_k a_k + c =
  min_k (a_k + c)``, so the augmented problem keeps the form);
* ``epsilon_constraint``: one row ``R_k0`` and the floors as constraint rows.

Group floors, maximum gaps and ratio floors (§A4) are constraint rows on every one of them.
Orientation: internally every objective is maximised (minimised objectives are negated, §A1);
``value`` is computed in that orientation, ``achieved`` in the caller's.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._chunks import run_chunked
from .._config import CHUNK_ITEMS, PROB_SUM_ATOL, TIE_RTOL
from ..errors import InfeasibleError, SolverError, ValidationError, WeightsError
from .._validation import as_float_array
from ..results import batch_dim_names
from ._input import as_maximise, as_objectives
from ._registry import REGISTRY

__all__ = [
    "ScalarizationResult",
    "InfeasibleTradeoffError",
    "weighted_sum",
    "tchebycheff",
    "augmented_tchebycheff",
    "epsilon_constraint",
]

#: feasibility tolerance on constraint rows, relative to the scale of the item (scaled units)
FEAS_RTOL = 1e-8
#: the default Tchebycheff reference sits this far (relative to the item's range) below the minimum
REF_OFFSET = 1e-9
LABEL = "<U16"
#: above this many responses the dense-tableau kernel (memory O(m^2) per thread) loses to HiGHS:
#: ``method="auto"`` then solves through cvxpy
FAST_MAX_M = 1000
_METHODS = ("auto", "fast", "cvxpy")


class InfeasibleTradeoffError(InfeasibleError):
    """No lottery meets the floors / maximum gap / ratio constraints of a scalarisation
    (docs/tradeoff-jury.md §A4). ``items`` lists the infeasible items (index tuples) and
    ``constraint`` names the offending constraint (e.g. ``"floors[1]"``) when one alone is
    infeasible, else ``"constraints"``."""

    def __init__(self, message: str, *, items: list | None = None, constraint: str = "constraints"):
        super().__init__(message)
        self.items = items or []
        self.constraint = constraint


@dataclass(frozen=True, eq=False)
class ScalarizationResult:
    """Optimal lottery of a scalarisation, for one item or a batch (leading axes).

    Attributes
    ----------
    lottery : ndarray, shape (..., m)
        Probabilities over the responses.
    achieved : ndarray, shape (..., d)
        ``Rᵀ p``, in the caller's orientation and units.
    value : float or ndarray, shape (...)
        The optimal value of the scalarisation, every objective oriented for maximisation
        (minimised objectives enter negated): ``λᵀr`` (weighted sum), ``min_k λ_k (r_k − z_k)``
        over objectives with ``λ_k > 0`` (Tchebycheff; plus ``ρ Σ_k λ_k (r_k − z_k)``,
        augmented), ``r_k0`` (epsilon-constraint).
    status : str or ndarray of str
        ``"optimal"``, ``"optimal_inaccurate"`` or ``"inaccurate"``.
    certificate : float or ndarray
        Duality gap (upper bound from the dual minus ``value``, in the units of ``value``): 0
        for the closed-form weighted sum, about 0 for LP solutions; NaN where the Numba path
        solved a problem with constraint rows (it returns no constraint duals; use
        ``method="cvxpy"`` for a certificate).
    weights : ndarray, shape (..., d) or None
        The weights used (None for the epsilon-constraint).
    ref : ndarray, shape (..., d) or None
        The Tchebycheff reference point ``z`` in the caller's orientation (None otherwise).
    method : str
        ``"exact"`` (closed form), ``"fast"`` (Numba LP), ``"cvxpy"`` or ``"mixed"``.
    solver : str or ndarray of str
        ``"argmax"``, ``"numba"`` or the cvxpy solver name, per item.
    scalarization : str
        The scalarisation's name.
    """

    lottery: np.ndarray
    achieved: np.ndarray
    value: Any
    status: Any
    certificate: Any
    weights: np.ndarray | None
    ref: np.ndarray | None
    method: str
    solver: Any
    scalarization: str = ""

    @property
    def batch_shape(self) -> tuple:
        return self.lottery.shape[:-1]

    def to_xarray(self, *, batch_dims: tuple[str, ...] | None = None):
        """An ``xarray.Dataset`` with ``lottery`` over ``(*batch, response)``, ``achieved`` over
        ``(*batch, objective)``, and ``value``, ``certificate``, ``status`` over the batch dims.

        Examples
        --------
        >>> import socialchoice as sc
        >>> ds = sc.tradeoff.weighted_sum([[0.9, 0.2], [0.6, 0.6]], [0.5, 0.5]).to_xarray()
        >>> ds["lottery"].dims, float(ds["value"])
        (('response',), 0.6)
        """
        import xarray as xr

        bd = batch_dim_names(len(self.batch_shape), batch_dims)
        data = {"lottery": ((*bd, "response"), self.lottery), "achieved": ((*bd, "objective"), self.achieved),
                "value": (bd, np.asarray(self.value)), "certificate": (bd, np.asarray(self.certificate)),
                "status": (bd, np.asarray(self.status))}
        return xr.Dataset(data, attrs={"method": self.method, "scalarization": self.scalarization})

    def to_pandas(self):
        """A ``pandas.DataFrame`` of the lottery: one row per (item, response).

        Examples
        --------
        >>> import socialchoice as sc
        >>> sc.tradeoff.weighted_sum([[0.9, 0.2], [0.6, 0.6]], [0.5, 0.5]).to_pandas()["probability"].tolist()
        [0.0, 1.0]
        """
        import pandas as pd

        m = self.lottery.shape[-1]
        batch = self.batch_shape
        if batch:
            idx = pd.MultiIndex.from_tuples(
                [(*np.unravel_index(b, batch), a) for b in range(int(np.prod(batch))) for a in range(m)],
                names=[*(f"item_{i}" for i in range(len(batch))), "response"])
        else:
            idx = pd.Index(range(m), name="response")
        return pd.DataFrame({"probability": self.lottery.reshape(-1)}, index=idx)


# ----------------------------------------------------------------------------- validation


def _float_array(x: Any, name: str) -> np.ndarray:
    """A private float64 copy of ``x`` (numbers only: booleans are refused)."""
    return as_float_array(x, name, allow_bool=False, what="an array of numbers").copy()


def _check_weights(weights: Any, d: int) -> np.ndarray:
    w = _float_array(weights, "weights")
    if w.ndim == 0 or w.shape[-1] != d:
        raise WeightsError(f"`weights` has shape {w.shape}; pass one weight per objective (last axis of length {d})")
    if not np.all(np.isfinite(w)):
        raise WeightsError("`weights` holds a non-finite value; weights are finite, >= 0 and sum to 1")
    if np.any(w < 0):
        raise WeightsError("`weights` holds a negative value; weights are >= 0 and sum to 1")
    s = w.sum(axis=-1)
    if np.any(np.abs(s - 1.0) > PROB_SUM_ATOL):
        bad = float(np.ravel(s)[np.argmax(np.ravel(np.abs(s - 1.0)))])
        raise WeightsError(f"`weights` must sum to 1 over the objectives (a point of the simplex), found a sum of "
                           f"{bad!r}; pass weights / weights.sum(axis=-1, keepdims=True)")
    return w


def _per_objective(x: Any, d: int, name: str, sign: np.ndarray, *, none_ok_nan: bool) -> np.ndarray:
    """Floors / reference as an array (..., d) in the internal (maximised) orientation; NaN ->
    -inf (no floor) when ``none_ok_nan``."""
    if isinstance(x, dict):
        a = np.full(d, np.nan)
        for k, val in x.items():
            if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or not -d <= k < d:
                raise ValidationError(f"`{name}` has key {k!r}; keys are objective indices in 0..{d - 1}")
            a[int(k)] = float(val)
    else:
        a = _float_array(x, name)
    if a.ndim == 0 or a.shape[-1] != d:
        raise ValidationError(f"`{name}` has shape {a.shape}; pass one value per objective (last axis of length {d})")
    if none_ok_nan:
        internal = a * sign
        if np.any(internal == np.inf):
            raise ValidationError(f"`{name}` holds an infinite floor on the binding side; no lottery can meet it "
                                  f"(use NaN for 'no floor')")
        return np.where(np.isnan(internal), -np.inf, internal)
    if not np.all(np.isfinite(a)):
        raise ValidationError(f"`{name}` holds a non-finite value; pass finite values")
    return a * sign


def _check_groups(groups: Any, d: int) -> np.ndarray:
    if groups is None:
        return np.arange(d)
    try:
        g = np.asarray(groups)
    except Exception:
        g = np.asarray([], dtype=object)
    if g.ndim != 1 or g.dtype.kind not in "iu" or g.size < 2 or np.any((g < -d) | (g >= d)):
        raise ValidationError(f"`groups`={groups!r}: pass at least 2 objective indices in 0..{d - 1}")
    g = np.where(g < 0, g + d, g)
    if np.unique(g).size != g.size:
        raise ValidationError(f"`groups`={groups!r} repeats an objective; pass distinct indices")
    return g


def _nonneg(x: Any, name: str, *, upper: float | None = None) -> np.ndarray | None:
    if x is None:
        return None
    a = _float_array(x, name)
    if np.any(np.isnan(a)) or np.any(a < 0) or (upper is not None and np.any(a > upper)):
        rng = f"[0, {upper}]" if upper is not None else ">= 0"
        raise ValidationError(f"`{name}`={x!r}: pass a number {rng} (or one per item)")
    return a


def _pow2(s: np.ndarray) -> np.ndarray:
    """Exact powers of two bringing positive finite ``s`` into [1, 2) (1 elsewhere)."""
    ok = (s > 0) & np.isfinite(s)
    _, e = np.frexp(np.where(ok, s, 1.0))
    return np.ldexp(1.0, np.where(ok, 1 - e, 0))


# ----------------------------------------------------------------------------- problems


@dataclass
class _LP:
    """A batch of LPs ``max t: Xf p >= t (af), Xc p >= v (ac), p in simplex`` (scaled units)."""

    Xf: np.ndarray  # (B, nf, m)
    af: np.ndarray  # (B, nf) bool
    Xc: np.ndarray  # (B, nc, m)
    v: np.ndarray  # (B, nc)
    ac: np.ndarray  # (B, nc) bool
    names: list  # nc constraint names


def _constraint_rows(G: np.ndarray, sign: np.ndarray, floors: np.ndarray | None, max_gap: np.ndarray | None,
                     ratio: np.ndarray | None, groups: np.ndarray) -> tuple:
    """Constraint rows (B, nc, m), right-hand sides (B, nc), activity and names (scaled units)."""
    B, m, d = G.shape
    rows, rhs, act, names = [], [], [], []
    if floors is not None:
        for k in range(d):
            f = floors[:, k]
            if np.isfinite(f).any():
                rows.append(G[:, :, k])
                rhs.append(np.where(np.isfinite(f), f, 0.0))
                act.append(np.isfinite(f))
                names.append(f"floors[{k}]")
    if max_gap is not None:
        R = G * sign  # the caller's orientation (scaled)
        for k in groups:
            for l in groups:
                if k != l:  # (Rp)_k - (Rp)_l <= g
                    rows.append(R[:, :, l] - R[:, :, k])
                    rhs.append(-max_gap)
                    act.append(np.ones(B, bool))
                    names.append(f"max_gap[{k},{l}]")
    if ratio is not None:
        for k in groups:
            for l in groups:
                if k != l:  # (Rp)_k >= beta (Rp)_l for all l  <=>  (Rp)_k >= beta max_l (Rp)_l
                    rows.append(G[:, :, k] - ratio[:, None] * G[:, :, l])
                    rhs.append(np.zeros(B))
                    act.append(ratio > 0)
                    names.append(f"ratio[{k},{l}]")
    if not rows:
        return np.zeros((B, 0, m)), np.zeros((B, 0)), np.zeros((B, 0), bool), []
    return np.stack(rows, axis=1), np.stack(rhs, axis=1), np.stack(act, axis=1), names


def _item_index(b: int, batch: tuple) -> tuple:
    return tuple(int(x) for x in np.unravel_index(b, batch)) if batch else ()


def _precheck(lp: _LP, batch: tuple) -> None:
    """Each constraint row alone: infeasible when even the best response misses it."""
    if lp.Xc.shape[1] == 0:
        return
    best = lp.Xc.max(axis=2)  # (B, nc)
    # scaled units: max|G| is in [1, 2), so 1.0 is the item's own scale (not an absolute floor)
    scale = np.maximum(np.abs(lp.Xc).max(axis=(1, 2)), 1.0)[:, None]
    bad = lp.ac & (best < lp.v - FEAS_RTOL * np.maximum(scale, np.abs(lp.v)))
    if bad.any():
        b, i = np.argwhere(bad)[0]
        items = [_item_index(int(x), batch) for x in np.flatnonzero(bad.any(axis=1))[:5]]
        raise InfeasibleTradeoffError(
            f"`{lp.names[i]}` cannot be met: no response reaches it (item {_item_index(int(b), batch)}"
            f"{', and others' if len(items) > 1 else ''}); lower the bound",
            items=items, constraint=lp.names[i].split("[")[0] if lp.names[i].startswith(("max_gap", "ratio"))
            else lp.names[i])


def _infeasible(lp: _LP, rows: np.ndarray, batch: tuple) -> InfeasibleTradeoffError:
    items = [_item_index(int(b), batch) for b in rows[:5]]
    used = sorted({lp.names[i] for b in rows[:5] for i in np.flatnonzero(lp.ac[b])})
    return InfeasibleTradeoffError(
        f"no lottery meets the constraints {used} together (items {items}); relax the floors, max_gap or ratio",
        items=items, constraint="constraints")


def _kernel(lp: _LP) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from .._kernels import bargaining as K

    B, nf, m = lp.Xf.shape
    nc = lp.Xc.shape[1]
    X = np.ascontiguousarray(np.concatenate([lp.Xf, lp.Xc], axis=1), dtype=np.float64)
    r = np.ones((B, nf + nc))
    fixed = np.concatenate([np.zeros((B, nf), bool), np.ones((B, nc), bool)], axis=1)
    v = np.ascontiguousarray(np.concatenate([np.zeros((B, nf)), lp.v], axis=1))
    active = np.ascontiguousarray(np.concatenate([lp.af, lp.ac], axis=1))
    # long batches run in chunks driven from Python (docs/conventions.md §7: Ctrl-C between chunks)
    chunk = 16 * CHUNK_ITEMS

    def work(a, b):
        return K.pick("lp_round_batch", b - a)(X[a:b], r[a:b], fixed[a:b], v[a:b], active[a:b])

    if B <= chunk:
        P, T, Y, S = work(0, B)
    else:
        parts = run_chunked(work, B, chunk=chunk, desc="LPs")
        P, T, Y, S = (np.concatenate([q[i] for q in parts]) for i in range(4))
    return P, T, Y[:, :nf], S


@functools.lru_cache(maxsize=32)
def _cvx_problem(nf: int, nc: int, m: int):
    import cvxpy as cp

    Xf = cp.Parameter((nf, m))
    af = cp.Parameter(nf, nonneg=True)
    p = cp.Variable(m, nonneg=True)
    t = cp.Variable()
    cons = [Xf @ p - cp.multiply(af, t) >= 0, cp.sum(p) == 1]
    Xc = v = None
    if nc:
        Xc = cp.Parameter((nc, m))
        v = cp.Parameter(nc)
        cons.append(Xc @ p >= v)
    prob = cp.Problem(cp.Maximize(t), cons)
    return prob, Xf, af, Xc, v, p, t, cons


def _cvx_one(lp: _LP, b: int, solver: Any, what: str) -> tuple[np.ndarray, float, str, str]:
    """One item through cvxpy; returns (p, certificate in scaled units, solver, status)."""
    from ..bargaining import _cvx

    nf, nc, m = lp.Xf.shape[1], lp.Xc.shape[1], lp.Xf.shape[2]
    prob, Xf, af, Xc, v, p, t, cons = _cvx_problem(nf, nc, m)
    Xf.value = np.where(lp.af[b][:, None], lp.Xf[b], 0.0)
    af.value = lp.af[b].astype(float)
    if nc:
        Xc.value = np.where(lp.ac[b][:, None], lp.Xc[b], 0.0)
        v.value = np.where(lp.ac[b], lp.v[b], 0.0)
    name, st = _cvx.solve(prob, solver, what=what, lp=True)
    pv = _cvx._clean(p.value)
    # certificate: for duals y in the simplex (free rows), mu >= 0 (constraint rows),
    # t* <= max_j (y Xf + mu Xc)_j - mu v
    y = np.maximum(np.asarray(cons[0].dual_value, dtype=float).reshape(nf), 0.0) * lp.af[b]
    tot = y.sum()
    cert = np.nan
    if tot > 0:
        y = y / tot
        lin = y @ Xf.value
        off = 0.0
        if nc:
            mu = np.maximum(np.asarray(cons[2].dual_value, dtype=float).reshape(nc), 0.0) / tot
            lin = lin + mu @ Xc.value
            off = float(mu @ v.value)
        tv = float(np.min((lp.Xf[b] @ pv)[lp.af[b]]))
        cert = max(0.0, float(lin.max()) - off - tv)
    return pv, cert, name, st


def _solve(lp: _LP, *, method: str, solver: Any, batch: tuple, what: str, raise_infeasible: bool = True) -> dict:
    """Solve a batch; infeasible items raise, or (``raise_infeasible=False``, for sweeps) come
    back flagged in ``out["infeasible"]`` with a zero lottery."""
    B, nf, m = lp.Xf.shape
    if raise_infeasible:
        _precheck(lp, batch)
    P = np.zeros((B, m))
    cert = np.full(B, np.nan)
    sol = np.full(B, "numba", dtype=LABEL)
    status = np.full(B, "optimal", dtype=LABEL)
    if method == "auto" and m > FAST_MAX_M:
        method = "cvxpy"
    use_cvx = np.ones(B, bool) if method == "cvxpy" else np.zeros(B, bool)
    infeasible = np.zeros(B, bool)
    has_c = lp.ac.any(axis=1)
    if method != "cvxpy" and B:
        from .._kernels import bargaining as K

        Pk, Tk, Yk, Sk = _kernel(lp)
        ok = Sk == K.OK
        # verify the constraint rows (relative to the scaled data: max|G| in [1, 2))
        if lp.Xc.shape[1]:
            slack = np.einsum("bim,bm->bi", lp.Xc, Pk) - lp.v
            tol = FEAS_RTOL * np.maximum(np.abs(lp.Xc).max(axis=(1, 2)), 1.0)
            ok &= ~np.any(lp.ac & (slack < -tol[:, None]), axis=1)
        P[ok] = Pk[ok]
        # duality gap of the unconstrained LPs: y in the simplex, t* <= max_j (y Xf)_j
        free_only = ok & ~has_c
        if free_only.any():
            hi = np.einsum("bk,bkm->bm", Yk[free_only], lp.Xf[free_only]).max(axis=1)
            cert[free_only] = np.maximum(hi - Tk[free_only], 0.0)
        kernel_inf = (Sk == K.INFEASIBLE) & has_c
        if method == "fast":
            infeasible = kernel_inf
            bad = ~ok & ~kernel_inf
            if bad.any():
                items = [_item_index(int(b), batch) for b in np.flatnonzero(bad)[:5]]
                raise SolverError(f"{what}: the Numba LP kernel failed on {int(bad.sum())} item(s) {items}; "
                                  "rerun with method='auto' or method='cvxpy'")
        elif raise_infeasible:
            use_cvx = ~ok
        else:  # sweeps trust the kernel's infeasibility verdict (no cvxpy confirmation per point)
            infeasible = kernel_inf
            use_cvx = ~ok & ~kernel_inf
    for b in np.flatnonzero(use_cvx):
        try:
            P[b], cert[b], sol[b], status[b] = _cvx_one(lp, int(b), solver, what)
        except InfeasibleError:
            infeasible[b] = True
    if infeasible.any() and raise_infeasible:
        raise _infeasible(lp, np.flatnonzero(infeasible), batch)
    P[infeasible] = 0.0
    return dict(P=P, cert=cert, solver=sol, status=status, infeasible=infeasible,
                method="cvxpy" if use_cvx.all() and B else ("mixed" if use_cvx.any() else "fast"))


# ----------------------------------------------------------------------------- common driver


def _prepare(X: np.ndarray, mx: np.ndarray, extra: dict) -> dict:
    """Broadcast the validated objectives ``X`` (the private minimisation-oriented copy of
    :func:`as_objectives`) with the per-item arrays in ``extra`` (name -> (array, core ndim));
    return the scaled internal data (every objective maximised, ``max|G| in [1, 2)`` per item)."""
    m, d = X.shape[-2:]
    sign = np.where(mx, 1.0, -1.0)
    shapes = [X.shape[:-2]] + [a.shape[: a.ndim - nd] for a, nd in extra.values() if a is not None]
    try:
        batch = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValidationError(
            "the leading (item) dimensions of `R` " + str(X.shape[:-2]) + " and of "
            + ", ".join(f"`{k}` {a.shape}" for k, (a, nd) in extra.items() if a is not None)
            + " do not broadcast; pass one value per item or one for all") from None
    B = int(np.prod(batch)) if batch else 1
    np.negative(X, out=X)  # every objective maximised (X is a private copy)
    if X.shape[:-2] == tuple(batch):
        G = X.reshape(B, m, d)
    else:
        G = np.ascontiguousarray(np.broadcast_to(X, (*batch, m, d))).reshape(B, m, d)
    out = {}
    for k, (a, nd) in extra.items():
        out[k] = None if a is None else np.broadcast_to(a, (*batch, *a.shape[a.ndim - nd:])).reshape(
            (B, *a.shape[a.ndim - nd:]))
    hi, lo = (G.max(axis=(1, 2)), G.min(axis=(1, 2))) if m * d else (np.zeros(B), np.zeros(B))
    s = _pow2(np.maximum(hi, -lo))  # exact: comparisons on G * s are those on G
    G *= s[:, None, None]
    # the range of all objective values of the item (scaled): the scale of ties
    return dict(G=G, s=s, sign=sign, mx=mx, batch=batch, B=B, m=m, d=d, range=(hi - lo) * s, **out)


def _spread(G: np.ndarray) -> np.ndarray:
    """The largest spread of one objective per item (orientation-free; the scale of offsets)."""
    if G.shape[1] == 0:
        return np.zeros(G.shape[0])
    return (G.max(axis=1) - G.min(axis=1)).max(axis=1)


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValidationError(f"`method`={method!r}; pass one of {list(_METHODS)}")


def _constraints(prep: dict, floors: Any, max_gap: Any, ratio: Any, groups: Any) -> tuple:
    d, sign = prep["d"], prep["sign"]
    g = _check_groups(groups, d)
    if ratio is not None and not prep["mx"][g].all():
        raise ValidationError("`ratio` compares maximised objectives; every objective in `groups` must be "
                              "maximised (pass groups= with the maximised ones)")
    s = prep["s"]
    B = prep["B"]
    f = None if floors is None else prep["floors"] * s[:, None]
    mg = None if max_gap is None else np.broadcast_to(prep["max_gap"], (B,)) * s
    rt = None if ratio is None else np.broadcast_to(prep["ratio"], (B,)).astype(float)
    return _constraint_rows(prep["G"], sign, f, mg, rt, g)


def _item_shapers(batch: tuple):
    """``(shape, scal)``: flat per-item arrays back to the caller's leading (item) shape, as
    arrays with a core tail, or as per-item scalars (plain Python scalars for one item)."""

    def shape(a, tail=()):
        a = np.asarray(a).reshape(*batch, *tail)
        return a[()] if not batch and not tail else a

    def scal(a):
        a = np.asarray(a).reshape(batch)
        return a.item() if not batch else a

    return shape, scal


def _finish(prep: dict, P: np.ndarray, value_fn, *, weights, ref, cert, solver, status, method: str,
            name: str) -> ScalarizationResult:
    batch, m, d = prep["batch"], prep["m"], prep["d"]
    P = P / P.sum(axis=1, keepdims=True)
    # G holds the objectives times an exact power of two per item: dividing it out is exact
    ach_int = np.einsum("bmd,bm->bd", prep["G"], P) / prep["s"][:, None]
    ach = ach_int * prep["sign"]
    val = value_fn(ach_int)
    cert = cert / prep["s"]  # back to the caller's units

    shape, scal = _item_shapers(batch)

    return ScalarizationResult(
        lottery=shape(P, (m,)), achieved=shape(ach, (d,)), value=scal(val), status=scal(status),
        certificate=scal(cert), weights=None if weights is None else shape(weights, (d,)),
        ref=None if ref is None else shape(ref * prep["sign"], (d,)), method=method, solver=scal(solver),
        scalarization=name)


def _resolve_ties(S: np.ndarray, tol: np.ndarray, resolve: Any) -> np.ndarray:
    best = S.max(axis=1, keepdims=True)
    tied = S >= best - tol[:, None]
    if resolve is None:
        return tied / tied.sum(axis=1, keepdims=True)
    m = S.shape[1]
    if isinstance(resolve, str):
        if resolve != "index":
            raise ValidationError(f"`resolve`={resolve!r}; pass None (uniform over the tied best), 'index' "
                                  "(lowest index) or a permutation of the response indices")
        order = np.arange(m)
    else:
        order = np.asarray(resolve)
        if order.shape != (m,) or order.dtype.kind not in "iu" or not np.array_equal(np.sort(order), np.arange(m)):
            raise ValidationError(f"`resolve` must be a permutation of range({m}) (earliest wins), got {resolve!r}")
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    pick = np.argmin(np.where(tied, rank[None, :], m + 1), axis=1)
    P = np.zeros_like(S)
    P[np.arange(S.shape[0]), pick] = 1.0
    return P


_META = dict(input="objectives", scale="equivariant", decomposable=False, random=False,
             oracle="cvxpy LP (HiGHS)")

def _weights_prep(R, weights, maximise, floors, max_gap, ratio, ref=None):
    X, mx = as_objectives(R, maximise=maximise, name="R")
    d = X.shape[-1]
    sign = np.where(mx, 1.0, -1.0)
    extra = {}
    if weights is not None:
        extra["weights"] = (_check_weights(weights, d), 1)
    extra["floors"] = (None if floors is None else _per_objective(floors, d, "floors", sign, none_ok_nan=True), 1)
    extra["ref"] = (None if ref is None else _per_objective(ref, d, "ref", sign, none_ok_nan=False), 1)
    extra["max_gap"] = (_nonneg(max_gap, "max_gap"), 0)
    extra["ratio"] = (_nonneg(ratio, "ratio", upper=1.0), 0)
    return _prepare(X, mx, extra)


def _weighted_sum_fast(R: Any, weights: Any, maximise: Any, method: str):
    """The unconstrained weighted sum of an ndarray batch in one kernel pass (ties uniform),
    or None when the general path must run (lists, broadcasting, non-finite values, cvxpy)."""
    if method == "cvxpy" or not isinstance(R, np.ndarray) or R.ndim < 2 or R.dtype.kind != "f" \
            or R.shape[-2] == 0 or R.shape[-1] == 0:
        return None
    batch, (m, d) = R.shape[:-2], R.shape[-2:]
    W = _check_weights(weights, d)
    if W.shape[:-1] != batch:
        return None
    mx = as_maximise(maximise, d)
    B = int(np.prod(batch)) if batch else 1
    Rc = np.ascontiguousarray(R.reshape(B, m, d), dtype=np.float64)
    Wc = np.ascontiguousarray(W.reshape(B, d), dtype=np.float64)
    P, A, V = np.empty((B, m)), np.empty((B, d)), np.empty(B)
    from .._kernels.scalarize import weighted_sum_argmax

    if weighted_sum_argmax(Rc, Wc, np.where(mx, 1.0, -1.0), TIE_RTOL, P, A, V):
        return None  # non-finite values: the general path says which, or drops NaN rows

    shape, scal = _item_shapers(batch)

    return ScalarizationResult(
        lottery=shape(P, (m,)), achieved=shape(A, (d,)), value=scal(V),
        status=scal(np.full(B, "optimal", dtype=LABEL)), certificate=scal(np.zeros(B)),
        weights=shape(Wc, (d,)), ref=None, method="exact",
        solver=scal(np.full(B, "argmax", dtype=LABEL)), scalarization="weighted_sum")


@REGISTRY.register("weighted_sum", family="scalarisation", pareto="proper (weights > 0)", **_META)
def weighted_sum(R: Any, weights: Any, *, maximise: Any = True, floors: Any = None, max_gap: Any = None,
                 ratio: Any = None, groups: Any = None, resolve: Any = None, method: str = "auto",
                 solver: Any = None) -> ScalarizationResult:
    """Best lottery for the weighted sum ``max_p λᵀ(Rᵀp)`` (docs/tradeoff-jury.md §A4).

    Without constraints the optimum is a pure response, ``argmax_j λᵀr_j`` (closed form, all items
    at once); with floors, a maximum gap or a ratio floor it is an LP (Numba simplex, or cvxpy).
    Pareto optimal when every weight is positive; it reaches only the supported points of the
    convex hull.

    Parameters
    ----------
    R : array_like, shape (..., m, d)
        Objective vectors of the ``m`` candidate responses (rows); leading axes are items.
    weights : array_like, shape (..., d)
        ``λ`` in the simplex (>= 0, summing to 1); leading axes broadcast with those of ``R``
        (one ``R`` and ``K`` weight vectors give ``K`` problems).
    maximise : bool or sequence of bool, default True
        Orientation of each objective; a minimised objective enters the sum negated.
    floors : array_like (..., d) or dict, optional
        Group floors ``(Rᵀp)_k >= f_k`` (a ceiling for a minimised objective); NaN = no floor;
        a dict ``{k: f_k}`` sets some.
    max_gap : float or array_like (...,), optional
        Maximum gap ``|(Rᵀp)_k − (Rᵀp)_l| <= g`` for every pair of ``groups``.
    ratio : float in [0, 1] or array_like (...,), optional
        Ratio floor ``(Rᵀp)_k >= β max_l (Rᵀp)_l`` over ``groups`` (maximised objectives).
    groups : sequence of int, optional
        The objectives that ``max_gap`` and ``ratio`` apply to (default: all).
    resolve : None, "index" or permutation, default None
        Ties of the closed form (scores within ``1e-9`` of the range of the item's values): None spreads the
        lottery uniformly over the tied best responses (docs/conventions.md §2: all tied
        winners), ``"index"`` picks the lowest index (docs §A4), a permutation the earliest in
        it. LP solutions are the solver's optimal vertex.
    method : {"auto", "fast", "cvxpy"}, default "auto"
        ``"fast"``: closed form or the batched Numba LP; ``"cvxpy"``: one cvxpy LP per item;
        ``"auto"``: fast, with cvxpy for any item the kernel could not certify (and for all items
        when ``m > 1000``, where the dense simplex loses to HiGHS).
    solver : str or sequence of str, optional
        cvxpy solver(s) (default chain: HiGHS, Clarabel, ECOS, SCS).

    Returns
    -------
    ScalarizationResult

    Raises
    ------
    InfeasibleTradeoffError
        No lottery meets the constraints (the message names the floor).
    WeightsError, ValidationError
        Bad ``weights`` or other arguments (the message names the argument).

    Examples
    --------
    >>> import socialchoice as sc
    >>> R = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> res = sc.tradeoff.weighted_sum(R, [0.5, 0.5])
    >>> res.lottery.tolist(), round(res.value, 12)
    ([0.0, 1.0, 0.0], 0.6)
    >>> round(sc.tradeoff.weighted_sum(R, [0.8, 0.2]).value, 12)
    0.76
    >>> sc.tradeoff.weighted_sum(R, [0.8, 0.2], floors={1: 0.5}).achieved.round(6).tolist()
    [0.675, 0.5]
    """
    _check_method(method)
    fast = _weighted_sum_fast(R, weights, maximise, method) if (
        floors is None and max_gap is None and ratio is None and groups is None
        and resolve is None) else None
    if fast is not None:
        return fast
    prep = _weights_prep(R, weights, maximise, floors, max_gap, ratio)
    W = prep["weights"]
    lp_rows = _constraints(prep, floors, max_gap, ratio, groups)
    Xc, v, ac, names = lp_rows
    G, B = prep["G"], prep["B"]
    S = np.einsum("bmd,bd->bm", G, W)
    value_fn = lambda A: np.einsum("bd,bd->b", A, W)
    if Xc.shape[1] == 0 and method != "cvxpy":
        # ties: scores within 1e-9 of the range of the item's values (docs/conventions.md §4)
        P = _resolve_ties(S, TIE_RTOL * prep["range"], resolve)
        return _finish(prep, P, value_fn, weights=W, ref=None, cert=np.zeros(B),
                       solver=np.full(B, "argmax", dtype=LABEL), status=np.full(B, "optimal", dtype=LABEL),
                       method="exact", name="weighted_sum")
    lp = _LP(S[:, None, :], np.ones((B, 1), bool), Xc, v, ac, names)
    out = _solve(lp, method=method, solver=solver, batch=prep["batch"], what="weighted-sum LP")
    return _finish(prep, out["P"], value_fn, weights=W, ref=None, cert=out["cert"], solver=out["solver"],
                   status=out["status"], method=out["method"], name="weighted_sum")


def _tcheb(R, weights, ref, rho, *, maximise, floors, max_gap, ratio, groups, method, solver, name):
    _check_method(method)
    if rho is not None and (not isinstance(rho, (int, float, np.integer, np.floating)) or isinstance(rho, bool)
                            or not math.isfinite(rho) or rho < 0):
        raise ValidationError(f"`rho`={rho!r}; pass a finite number >= 0 (default 1e-4)")
    prep = _weights_prep(R, weights, maximise, floors, max_gap, ratio, ref=ref)
    W, G, s = prep["weights"], prep["G"], prep["s"]
    if prep["ref"] is None:
        rng = _spread(G)
        # scaled units: max|G| is in [1, 2) (or G == 0), so 1.0 is the item's own scale
        off = REF_OFFSET * np.where(rng > 0, rng, 1.0)
        z = G.min(axis=1) - off[:, None]
    else:
        z = prep["ref"] * s[:, None]
    Xc, v, ac, names = _constraints(prep, floors, max_gap, ratio, groups)
    gain = W[:, None, :] * (G - z[:, None, :])  # (B, m, d)
    Xf = np.transpose(gain, (0, 2, 1)).copy()  # (B, d, m)
    if rho:
        Xf = Xf + rho * gain.sum(axis=2)[:, None, :]
    af = W > 0
    lp = _LP(np.ascontiguousarray(Xf), af, Xc, v, ac, names)
    out = _solve(lp, method=method, solver=solver, batch=prep["batch"], what=f"{name} LP")
    zc = z / s[:, None]  # the caller's units, internal orientation

    def value_fn(A):
        g = W * (A - zc)
        t = np.where(af, g, np.inf).min(axis=1)
        return t + (rho or 0.0) * g.sum(axis=1)

    return _finish(prep, out["P"], value_fn, weights=W, ref=zc, cert=out["cert"], solver=out["solver"],
                   status=out["status"], method=out["method"], name=name)


@REGISTRY.register("tchebycheff", aliases=("chebyshev",), family="scalarisation", pareto="weak", **_META)
def tchebycheff(R: Any, weights: Any, *, ref: Any = None, maximise: Any = True, floors: Any = None,
                max_gap: Any = None, ratio: Any = None, groups: Any = None, method: str = "auto",
                solver: Any = None) -> ScalarizationResult:
    """Best lottery for the weighted Tchebycheff scalarisation ``max_p min_k λ_k ((Rᵀp)_k − z_k)``
    (docs/tradeoff-jury.md §A4).

    An LP with an epigraph variable, solved for every item at once by the Numba simplex (or by
    cvxpy). Weakly Pareto optimal; every Pareto point of the convex hull is reached for some
    ``λ``. Objectives with ``λ_k = 0`` are left out of the minimum (with them in, the minimum is
    0 for every lottery).

    Parameters
    ----------
    R : array_like, shape (..., m, d)
        Objective vectors of the candidate responses (rows); leading axes are items.
    weights : array_like, shape (..., d)
        ``λ`` in the simplex; leading axes broadcast with those of ``R``.
    ref : array_like (..., d), optional
        Reference point ``z`` in the caller's orientation; default: the componentwise worst value
        moved ``1e-9 ×`` the item's range further (recorded on the result).
    maximise, floors, max_gap, ratio, groups, method, solver
        As in :func:`weighted_sum`.

    Returns
    -------
    ScalarizationResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> R = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> res = sc.tradeoff.tchebycheff(R, [0.5, 0.5], ref=[0, 0])
    >>> round(res.value, 9), res.achieved.round(9).tolist()
    (0.3, [0.6, 0.6])
    """
    return _tcheb(R, weights, ref, None, maximise=maximise, floors=floors, max_gap=max_gap, ratio=ratio,
                  groups=groups, method=method, solver=solver, name="tchebycheff")


@REGISTRY.register("augmented_tchebycheff", family="scalarisation", pareto="proper", **_META)
def augmented_tchebycheff(R: Any, weights: Any, *, ref: Any = None, rho: float = 1e-4, maximise: Any = True,
                          floors: Any = None, max_gap: Any = None, ratio: Any = None, groups: Any = None,
                          method: str = "auto", solver: Any = None) -> ScalarizationResult:
    """Best lottery for the augmented Tchebycheff scalarisation
    ``max_p min_k λ_k g_k + ρ Σ_k λ_k g_k`` with ``g = Rᵀp − z`` (docs/tradeoff-jury.md §A4;
    Steuer & Choo 1983).

    Properly Pareto optimal for ``ρ > 0`` and positive weights (with a zero weight, the
    objective is in neither the minimum nor the sum: weakly Pareto optimal). Written as ``max_p min_k (λ_k g_k + ρ Σ_l λ_l g_l)``,
    it is the same LP as :func:`tchebycheff` with modified rows.

    Parameters
    ----------
    R, weights, ref
        As in :func:`tchebycheff`.
    rho : float, default 1e-4
        Augmentation weight ``ρ >= 0``.
    maximise, floors, max_gap, ratio, groups, method, solver
        As in :func:`weighted_sum`.

    Returns
    -------
    ScalarizationResult

    Examples
    --------
    >>> import socialchoice as sc
    >>> R = [[1.0, 0.5], [1.0, 1.0]]  # Tchebycheff ties (min_k g_k is 1e-9 for both)
    >>> sc.tradeoff.augmented_tchebycheff(R, [0.5, 0.5]).lottery.round(9).tolist()
    [0.0, 1.0]
    """
    return _tcheb(R, weights, ref, float(rho) if isinstance(rho, (int, float, np.integer, np.floating))
                  and not isinstance(rho, bool) else rho, maximise=maximise, floors=floors,
                  max_gap=max_gap, ratio=ratio, groups=groups, method=method, solver=solver,
                  name="augmented_tchebycheff")


@REGISTRY.register("epsilon_constraint", family="scalarisation", pareto="weak", **_META)
def epsilon_constraint(R: Any, *, objective: int, floors: Any, maximise: Any = True, max_gap: Any = None,
                       ratio: Any = None, groups: Any = None, method: str = "auto",
                       solver: Any = None) -> ScalarizationResult:
    """Best lottery for ``max_p (Rᵀp)_k0`` subject to ``(Rᵀp)_k >= ε_k`` (docs/tradeoff-jury.md §A4;
    Haimes, Lasdon & Wismer 1971).

    Weakly Pareto optimal. An LP (Numba simplex for every item at once, or cvxpy).

    Parameters
    ----------
    R : array_like, shape (..., m, d)
        Objective vectors of the candidate responses (rows).
    objective : int
        ``k0``, the objective maximised (minimised if ``maximise`` says so).
    floors : array_like (..., d) or dict
        ``ε``: the floor of each objective (a ceiling for a minimised one); NaN = none (a dict
        ``{k: ε_k}`` sets some).
    maximise, max_gap, ratio, groups, method, solver
        As in :func:`weighted_sum`.

    Returns
    -------
    ScalarizationResult

    Raises
    ------
    InfeasibleTradeoffError
        No lottery meets the floors; the message names the floor.

    Examples
    --------
    >>> import socialchoice as sc
    >>> R = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> res = sc.tradeoff.epsilon_constraint(R, objective=0, floors={1: 0.4})
    >>> res.achieved.round(9).tolist(), res.lottery.round(9).tolist()
    ([0.75, 0.4], [0.5, 0.5, 0.0])
    """
    _check_method(method)
    if floors is None:
        raise ValidationError("`floors` is required: pass the floor of each constrained objective (NaN = none)")
    prep = _weights_prep(R, None, maximise, floors, max_gap, ratio)
    d = prep["d"]
    if isinstance(objective, (bool, np.bool_)) or not isinstance(objective, (int, np.integer)) \
            or not -d <= objective < d:
        raise ValidationError(f"`objective`={objective!r}; pass the index of an objective in 0..{d - 1}")
    k0 = int(objective) % d
    G, B = prep["G"], prep["B"]
    Xc, v, ac, names = _constraints(prep, floors, max_gap, ratio, groups)
    lp = _LP(np.ascontiguousarray(G[:, :, k0][:, None, :]), np.ones((B, 1), bool), Xc, v, ac, names)
    out = _solve(lp, method=method, solver=solver, batch=prep["batch"], what="epsilon-constraint LP")
    return _finish(prep, out["P"], lambda A: A[:, k0], weights=None, ref=None, cert=out["cert"],
                   solver=out["solver"], status=out["status"], method=out["method"], name="epsilon_constraint")
