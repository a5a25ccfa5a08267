"""The rule registry: every aggregation rule, its input kind and its metadata.

Metadata keys used across the package:

``needs``
    The sufficient statistic the rule runs on: ``"rankings"`` (ballots), ``"margins"``
    (support/margin matrices only: works on :class:`~socialchoice.Pairwise` and RLHF records),
    ``"ratings"`` (cardinal values).
``resolute``
    True if the rule always returns one winner.
``probabilistic``
    True if the rule returns a lottery (``RuleResult.lottery``).
``oracle``
    The pref_voting function used as a differential-test oracle, if any.
``claims``
    ``{axiom_name: True/False}``: filled in by the axiom module with proofs/ references.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._registry import Registry

RULES = Registry("rule", "rules")


def register_rule(
    name: str,
    *,
    family: str,
    needs: str,
    aliases: tuple[str, ...] = (),
    resolute: bool = False,
    probabilistic: bool = False,
    oracle: str | None = None,
    tie_modes: tuple[str, ...] = (),
) -> Callable[[Callable], Callable]:
    """Register a public rule function and give it xarray/dask support.

    The decorated function takes the profile first. A ``DataArray`` argument is routed through
    :func:`socialchoice.xr.apply_rule` (dims by name; dask-backed arrays chunk by chunk).
    """
    if needs not in ("rankings", "margins", "ratings"):
        raise ValueError(f"needs must be rankings/margins/ratings, got {needs!r}")

    def deco(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(profile: Any, *args: Any, **kwargs: Any) -> Any:
            if type(profile).__name__ == "DataArray":
                from .. import xr as _xr

                return _xr.apply_rule(func, profile, needs=needs, rule=name, **kwargs)
            return func(profile, *args, **kwargs)

        wrapper.rule_name = name  # type: ignore[attr-defined]
        RULES.register(name, aliases=aliases, family=family, needs=needs, resolute=resolute,
                       probabilistic=probabilistic, oracle=oracle, tie_modes=tie_modes,
                       claims={})(wrapper)
        return wrapper

    return deco


def names(family: str | None = None, **meta: Any) -> list[str]:
    """Canonical names of the registered rules, optionally filtered.

    Examples
    --------
    >>> import socialchoice as sc
    >>> "borda" in sc.rules.names()
    True
    """
    return RULES.names(family, **meta)


def get(name: str) -> Callable[..., Any]:
    """The rule function registered under ``name`` or one of its aliases."""
    return RULES.get(name)


def info(name: str):
    """The registry :class:`~socialchoice._registry.Entry` (metadata) of a rule."""
    return RULES.info(name)
