"""Statistical rules: Bradley–Terry and Plackett–Luce maximum likelihood (docs/rules.md §7).

Leximax Copeland (§7.3), a tournament rule, is in :mod:`socialchoice.rules.condorcet`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._chunks import run_chunked
from .._config import CHUNK_ITEMS
from .._kernels import statistical as _ks
from ..errors import ConvergenceError, NonexistenceError, ValidationError
from ..results import RuleResult
from ._common import Prepared, finish, prepare
from ._registry import register_rule

__all__ = ["bradley_terry", "plackett_luce"]

_WIN_TOL = 1e-8


def _check_opts(on_nonexistence: str, prior: float, tol: float, max_iter: int) -> None:
    if on_nonexistence not in ("error", "prior", "components"):
        raise ValidationError(
            f"`on_nonexistence` must be 'error', 'prior' or 'components', got {on_nonexistence!r}"
        )
    if not (np.isfinite(prior) and prior > 0):
        raise ValidationError(f"`prior` must be a positive pseudo-count, got {prior!r}")
    if not (tol > 0 and max_iter >= 1):
        raise ValidationError(f"`tol` must be > 0 and `max_iter` >= 1, got {tol!r}, {max_iter!r}")


def _components(a: np.ndarray, idx: np.ndarray) -> tuple[list, list]:
    """Strongly connected components of i -> j (a[i, j] > 0) on nodes ``idx``, in an order
    compatible with the condensation DAG (upstream first), and the source components."""
    k = len(idx)
    sub = a[np.ix_(idx, idx)] > 0
    reach = sub | np.eye(k, dtype=bool)
    for t in range(k):
        reach |= reach[:, t:t + 1] & reach[t:t + 1, :]
    comp_id = -np.ones(k, int)
    comps = []
    for i in range(k):
        if comp_id[i] < 0:
            members = np.flatnonzero(reach[i] & reach[:, i])
            comp_id[members] = len(comps)
            comps.append(members)
    # order: a component is upstream of another if it reaches it
    order = sorted(range(len(comps)), key=lambda c: -int(reach[comps[c][0]].sum()))
    return [idx[comps[c]] for c in order], [idx[comps[c]] for c in order
                                            if not sub[np.ix_(np.setdiff1d(np.arange(k), comps[c]),
                                                              comps[c])].any()]


def _unit(prep: Prepared, i: int) -> float:
    """The power-of-two factor the weights of item ``i`` were rescaled by (prepare)."""
    return 1.0 if prep.wfactor is None else float(prep.wfactor.reshape(-1)[i])


def _winners_from_scores(scores: np.ndarray, act: np.ndarray) -> np.ndarray:
    s = np.where(act & np.isfinite(scores), scores, -np.inf)
    return act & (s >= s.max(-1, keepdims=True) - _WIN_TOL)


def _label_components(comps, cands) -> str:
    return "; ".join("{" + ", ".join(repr(cands[i]) for i in c) + "}" for c in comps)


def _refit_nonexistent(S: np.ndarray, act: np.ndarray, bad: np.ndarray, rule: str, fit_sub,
                       scores: np.ndarray, winners: np.ndarray, details: dict, prep,
                       *, on_nonexistence: str, prior: float, tol: float, max_iter: int) -> None:
    """Items ``bad`` have no maximum-likelihood estimate: fit them per
    ``on_nonexistence`` (in place) and record which items they were in ``details``."""
    s2, w2 = _fit_structure(S[bad], act[bad], rule, on_nonexistence, prior, tol, max_iter,
                            prep.candidates, lambda j, sub, lam: fit_sub(bad[j], sub, lam))
    scores[bad] = s2
    winners[bad] = w2
    if on_nonexistence == "prior":
        details["prior"] = prior
    nonexistent = np.zeros(prep.n_items, bool)
    nonexistent[bad] = True
    details["nonexistent"] = nonexistent.reshape(prep.batch_shape)


def _fit_structure(a_all, act, rule, on_nonexistence, prior, tol, max_iter, cands, fit_sub):
    """Shared existence handling: ``fit_sub(active_mask, prior)`` returns scores over m."""
    b, m = act.shape
    scores = np.full((b, m), np.nan)
    winners = np.zeros((b, m), bool)
    for i in range(b):
        idx = np.flatnonzero(act[i])
        comps, sources = _components(a_all[i], idx)
        if len(comps) == 1:
            s = fit_sub(i, act[i], 0.0)
            scores[i] = s
            winners[i] = _winners_from_scores(s, act[i])
            continue
        if on_nonexistence == "error":
            item = "" if b == 1 else f" (item {i})"
            raise NonexistenceError(
                f"`{rule}`: the MLE does not exist{item}: the 'preferred to' digraph is not "
                f"strongly connected; components: {_label_components(comps, cands)}. Use "
                "on_nonexistence='prior' (pseudo-counts) or 'components'"
            )
        if on_nonexistence == "prior":
            s = fit_sub(i, act[i], prior)
            scores[i] = s
            winners[i] = _winners_from_scores(s, act[i])
            continue
        s = np.full(m, -np.inf)
        s[~act[i]] = np.nan
        for c in sources:
            sub = np.zeros(m, bool)
            sub[c] = True
            sc_ = fit_sub(i, sub, 0.0)
            s[c] = sc_[c]
            w = _winners_from_scores(sc_, sub)
            winners[i] |= w
        scores[i] = s
    return scores, winners


@register_rule("bradley_terry", family="statistical", needs="margins",
               oracle="pref_voting.other_methods.bradley_terry",
               scale_note="on_nonexistence='prior' adds `prior` pseudo-counts in weight units, "
               "which is not scale-invariant; the default ('error') and 'components' are")
def bradley_terry(profile: Any, *, on_nonexistence: str = "error", prior: float = 0.5,
                  tol: float = 1e-10, max_iter: int = 10_000, active: Any = None,
                  pairs: str | None = None,
                  resolve: Any = None) -> RuleResult:
    """Bradley–Terry maximum-likelihood strengths (docs/rules.md §7.1).

    The win matrix is the support ``S`` (ballots) or the record counts
    (``sc.Pairwise.from_records``); ``P(i > j) = pi_i / (pi_i + pi_j)``, ``beta = log pi``
    recentred to sum 0. Newton's method with line search, MM fallback; stops when
    ``max |d beta| < tol``.

    Parameters
    ----------
    on_nonexistence : {"error", "prior", "components"}
        When the win digraph is not strongly connected (no finite MLE): raise
        ``NonexistenceError`` listing the components; add ``prior`` pseudo-wins to both
        directions of every pair; or rank components by the condensation DAG, winners = the
        within-component argmax of each source component (other components score ``-inf``).
    prior : float
        Pseudo-count for ``on_nonexistence="prior"`` (default 0.5), reported in
        ``details["prior"]``.

    Returns
    -------
    RuleResult
        ``scores = beta``; winners ``{i : beta_i >= max beta - 1e-8}``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> recs = {"a": ["a", "b", "b", "c", "c", "a"], "b": ["b", "a", "c", "b", "a", "c"],
    ...         "outcome": [1, 1, 1, 1, 1, 1], "w": [2, 1, 2, 1, 1, 1]}
    >>> r = sc.rules.bradley_terry(sc.Pairwise.from_records(recs, item=None, weight="w"))
    >>> r.scores.round(5).tolist(), r.winners
    ([0.29113, 0.0, -0.29113], ['a'])
    """
    _check_opts(on_nonexistence, prior, tol, max_iter)
    prep = prepare(profile, "margins", active=active, rule="bradley_terry", pairs=pairs)
    a = prep.flat_support()
    act = prep.flat_active()
    beta, status = _ks.bt_batch(a, act, tol, max_iter)
    if (status == 2).any():
        raise ConvergenceError(
            f"bradley_terry did not converge in max_iter={max_iter} iterations; raise max_iter"
        )
    winners = _winners_from_scores(beta, act)
    bad = np.flatnonzero(status == 1)
    details: dict[str, Any] = {}
    if len(bad):
        def fit_sub(i, sub, lam):
            lam = lam * _unit(prep, i)  # the prior is in the caller's weight units
            aa = a[i] + lam * (~np.eye(prep.m, dtype=bool) & sub[:, None] & sub[None, :])
            bb, st = _ks.bt_batch(np.ascontiguousarray(aa[None]), sub[None].copy(), tol, max_iter)
            if st[0] == 2:
                raise ConvergenceError("bradley_terry did not converge; raise max_iter")
            return bb[0]

        _refit_nonexistent(a, act, bad, "bradley_terry", fit_sub, beta, winners, details, prep,
                           on_nonexistence=on_nonexistence, prior=prior, tol=tol,
                           max_iter=max_iter)
    beta = np.where(act, beta, np.nan)
    return finish(prep, winners, rule="bradley_terry", scores=beta, details=details,
                  resolve=resolve)


def _pl_orders(prep: Prepared, act: np.ndarray):
    """Ranked active candidates best first per ballot; errors on ties among ranked ones."""
    r = prep.flat_ranks()
    order = np.empty(r.shape, np.int8 if prep.m <= np.iinfo(np.int8).max else np.int32)
    klen = np.empty(r.shape[:2], np.int32)
    first_tie = _ks.pl_orders(r, np.ascontiguousarray(act), order, klen)
    if (first_tie >= 0).any():
        item = int(np.argmax(first_tie >= 0))
        where = f"ballot {int(first_tie[item])}" + ("" if not prep.batch_shape else f" of item {item}")
        raise ValidationError(
            f"plackett_luce needs strict top-k ballots; {where} ties two ranked candidates "
            "(ties are allowed only in the unranked bottom block)"
        )
    return order, klen


@register_rule("plackett_luce", family="statistical", needs="rankings",
               scale_note="on_nonexistence='prior' adds `prior` pseudo-comparisons in weight "
               "units, which is not scale-invariant; the default ('error') and 'components' are")
def plackett_luce(profile: Any, *, on_nonexistence: str = "error", prior: float = 0.5,
                  tol: float = 1e-10, max_iter: int = 10_000, active: Any = None,
                  resolve: Any = None, progress: Any = None) -> RuleResult:
    """Plackett–Luce maximum likelihood by Hunter's MM algorithm (docs/rules.md §7.2).

    Ballots must be strict top-``k`` orders (unranked candidates form the bottom block). A
    ballot ranking ``k`` candidates contributes ``min(k, m - 1)`` choice stages.
    ``on_nonexistence`` / ``prior`` as in :func:`bradley_terry`; ``"prior"`` adds ``prior``
    pseudo-comparisons in both directions for every pair (two-element choice sets);
    ``"components"`` fits each source component on the restricted ballots. ``progress``: a
    progress bar (``True``) or ``progress(done, total)``; batches are fitted in chunks of items,
    so Ctrl-C stops them between chunks.

    Returns
    -------
    RuleResult
        ``scores = log gamma`` (sum 0); winners within 1e-8 of the maximum.

    Examples
    --------
    >>> import socialchoice as sc
    >>> prof = sc.Rankings.from_orders([[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 1, 0]])
    >>> sc.rules.plackett_luce(prof).winners
    [0]
    """
    _check_opts(on_nonexistence, prior, tol, max_iter)
    prep = prepare(profile, "rankings", active=active, rule="plackett_luce")
    act = prep.flat_active()
    order, klen = _pl_orders(prep, act)
    w = prep.flat_weights()
    s = prep.flat_support()

    def fit_sub(i, sub, lam):
        o, k = _pl_orders(prep, np.where(np.arange(prep.n_items)[:, None] == i, sub, act))
        lam = lam * _unit(prep, i)  # the prior is in the caller's weight units
        lg, conv = _ks.pl_batch(o[i:i + 1], k[i:i + 1], w[i:i + 1], sub[None].copy(), lam, tol,
                                max_iter)
        if not conv[0]:
            raise ConvergenceError("plackett_luce did not converge; raise max_iter")
        return lg[0]

    ok = _ks.strongly_connected_batch(np.ascontiguousarray(s), np.ascontiguousarray(act))
    scores = np.full((prep.n_items, prep.m), np.nan)
    winners = np.zeros((prep.n_items, prep.m), bool)
    good = np.flatnonzero(ok)
    if len(good):
        parts = run_chunked(
            lambda lo, hi: _ks.pl_batch(order[good[lo:hi]], klen[good[lo:hi]], w[good[lo:hi]],
                                        act[good[lo:hi]].copy(), 0.0, tol, max_iter),
            len(good), chunk=CHUNK_ITEMS, progress=progress, desc="plackett_luce fits")
        lg = np.concatenate([q[0] for q in parts])
        conv = np.concatenate([q[1] for q in parts])
        if not conv.all():
            raise ConvergenceError(
                f"plackett_luce did not converge in max_iter={max_iter} iterations; raise max_iter"
            )
        scores[good] = lg
        winners[good] = _winners_from_scores(lg, act[good])
    bad = np.flatnonzero(~ok)
    details: dict[str, Any] = {}
    if len(bad):
        _refit_nonexistent(s, act, bad, "plackett_luce", fit_sub, scores, winners, details, prep,
                           on_nonexistence=on_nonexistence, prior=prior, tol=tol,
                           max_iter=max_iter)
    return finish(prep, winners, rule="plackett_luce", scores=scores, details=details,
                  resolve=resolve)


# leximax Copeland is a tournament rule: it lives in condorcet.py (old import path kept)
from .condorcet import leximax_copeland  # noqa: E402,F401
