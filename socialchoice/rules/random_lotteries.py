"""Lotteries from random choices (docs/rules.md §6.1, §6.3): random dictatorship (a random
voter decides) and the win probabilities of set-valued rules under random tie-breaking.

Maximal lotteries are in :mod:`socialchoice.rules.maximal_lotteries`. Formerly
``socialchoice.rules.lotteries`` (that path still works, with a DeprecationWarning).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._kernels import scoring as _ks
from .._compat import renamed_parameters
from ..errors import ValidationError
from ..results import RuleResult
from . import _registry
from ._common import finish, prepare
from ._registry import register_rule
from .positional import _run

__all__ = ["random_dictatorship", "win_probabilities"]


@register_rule("random_dictatorship", family="probabilistic", needs="rankings", probabilistic=True,
               oracle="pref_voting.random_dictator")
def random_dictatorship(profile: Any, *, active: Any = None) -> RuleResult:
    """Random dictatorship (docs/rules.md §6.1): pick a voter with probability ∝ weight.

    ``p(c) = Σ_v w_v f_v(c) / Σ_{v non-empty} w_v`` with ``f_v(c) = 1/t`` for ``c`` in ``v``'s
    top block of size ``t`` (among active candidates); ballots ranking no active candidate are
    left out. If every ballot is empty the lottery is uniform over the active candidates.
    ``winner_mask`` is the support of the lottery; ``scores`` = first-place weight.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> r = sc.rules.random_dictatorship(p1)
    >>> (r.lottery * 7).round(6).tolist(), r.winners
    ([3.0, 2.0, 2.0], [0, 1, 2])
    """
    prep = prepare(profile, "rankings", active=active, rule="random_dictatorship")
    scores = _run(prep, _ks.plurality_partial, 0)
    a = prep.flat_active()
    tot = scores.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = scores / tot  # inactive candidates have score 0, so p = 0 there
    empty = tot[:, 0] <= 0
    if empty.any():  # every ballot empty: uniform over the active candidates
        p[empty] = a[empty] / a[empty].sum(axis=-1, keepdims=True)
    return finish(prep, p > 0, rule="random_dictatorship", scores=np.where(a, prep.unscale(scores), np.nan),
                  lottery=p)


_ELIMINATION = ("instant_runoff", "coombs", "baldwin", "strict_nanson", "weak_nanson")


@renamed_parameters(tiebreak="tie_break")
def win_probabilities(rule: str | Callable[..., RuleResult], profile: Any, *,
                      tie_break: str = "uniform", **rule_kwargs: Any) -> np.ndarray:
    """Winning probabilities of a set-valued rule under random tie-breaking (docs/rules.md §6.3).

    Parameters
    ----------
    rule : str or callable
        A registered rule name (aliases allowed) or rule function.
    profile
        The profile, as the rule accepts it.
    tie_break : {"uniform", "random_elimination", "random_order"}
        ``"uniform"``: ``1/|f(P)|`` on the winner set (any rule; a probabilistic rule returns its
        lottery). ``"random_elimination"`` (instant_runoff, coombs, baldwin, strict/weak nanson):
        every elimination tie removes each tied candidate with equal probability, computed
        exactly by the memoised recursion used for parallel universes (its support is the PUT
        winner set; Nanson has no elimination ties, so it is uniform on the final set).
        ``"random_order"`` (ranked pairs): equal-margin edges locked in uniformly random order,
        delegated to ``socialchoice.rules.condorcet.ranked_pairs_random_order_probabilities``
        (exact, or Monte Carlo beyond its state limit; call it directly for the standard
        errors).
    **rule_kwargs
        Options passed to the rule (e.g. ``active=``, ``tops=``).

    Returns
    -------
    ndarray of float, shape (..., m)
        Probabilities summing to one per item.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p1 = sc.Rankings.from_orders([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[3, 2, 2])
    >>> sc.rules.win_probabilities("irv", p1, tie_break="random_elimination").tolist()
    [0.0, 0.5, 0.5]
    >>> sc.rules.win_probabilities("plurality", p1).tolist()
    [1.0, 0.0, 0.0]
    """
    if callable(rule):
        name = getattr(rule, "rule_name", None)
        if name is None:
            raise ValidationError(
                f"`rule` must be a registered rule name or function, got {rule!r}"
            )
    elif isinstance(rule, str):
        name = _registry.RULES.info(rule).name
    else:
        raise ValidationError(f"`rule` must be a rule name or function, got {rule!r}")
    func = _registry.get(name)
    if "resolve" in rule_kwargs:
        raise ValidationError("`resolve` makes a rule resolute; win_probabilities needs the full set")
    if tie_break == "uniform":
        res = func(profile, **rule_kwargs)
        if type(res).__name__ == "Dataset":
            raise ValidationError("win_probabilities takes Rankings/Ratings/arrays, not DataArrays")
        if res.lottery is not None:
            return np.array(res.lottery)
        mask = np.asarray(res.winner_mask, dtype=np.float64)
        return mask / mask.sum(axis=-1, keepdims=True)
    if tie_break == "random_elimination":
        if name not in _ELIMINATION:
            raise ValidationError(
                f"tie_break='random_elimination' applies to the elimination rules {_ELIMINATION}, "
                f"not {name!r}; use tie_break='uniform'"
            )
        from .elimination import _run_elimination

        kw = dict(rule_kwargs)
        active = kw.pop("active", None)
        tops = kw.pop("tops", "split")
        tie = kw.pop("tie", "put")
        if kw:
            raise ValidationError(f"unexpected options for {name}: {sorted(kw)}")
        if tie != "put":
            raise ValidationError(
                f"tie_break='random_elimination' randomises the elimination ties itself; drop "
                f"tie={tie!r}"
            )
        if tops not in ("split", "approval") or (tops != "split" and name != "instant_runoff"):
            raise ValidationError(f"`tops`={tops!r} is only 'split'/'approval' for instant_runoff")
        needs = "rankings" if name in ("instant_runoff", "coombs") else "margins"
        prep = prepare(profile, needs, active=active, rule=name)
        _, p = _run_elimination(prep, name, "simultaneous" if "nanson" in name else "put", None,
                                split=tops == "split", prob=True)
        return p.reshape(prep.batch_shape + (prep.m,))
    if tie_break == "random_order":
        try:
            from .condorcet import ranked_pairs_random_order_probabilities
        except ImportError:
            raise ValidationError(
                "tie_break='random_order' needs ranked pairs support "
                "(socialchoice.rules.condorcet.ranked_pairs_random_order_probabilities), which "
                "is not available in this build"
            ) from None
        if name != "ranked_pairs":
            raise ValidationError(f"tie_break='random_order' applies to ranked_pairs, not {name!r}")
        p, _se = ranked_pairs_random_order_probabilities(profile, **rule_kwargs)
        return p
    raise ValidationError(
        f"`tie_break` must be 'uniform', 'random_elimination' or 'random_order', got {tie_break!r}"
    )
