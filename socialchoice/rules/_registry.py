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
``scale``
    ``"invariant"``: multiplying every weight (and, for cardinal rules, every rating) by
    ``c > 0`` leaves the winners unchanged (docs/conventions.md §1, §4); ``None`` when it does
    not, with the reason in ``scale_note``.
``weight_scale``
    ``"invariant"`` when multiplying the weights alone by ``c > 0`` changes nothing (every rule).
``scale_note``
    Caveats of the scale claim (options that break it), or why ``scale`` is None.
``options``
    The keyword options the rule accepts (unknown ones raise ``ValidationError``).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

from .._registry import Registry
from ..errors import ValidationError

RULES = Registry("rule", "rules")

#: keyword options ``sc.xr.apply_rule`` takes for DataArray input besides the rule's own
_XR_OPTIONS = ("kind", "rater_dim", "alternative_dim")


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
    scale: str | None = "invariant",
    scale_note: str = "",
    renamed: dict[str, str] | None = None,
) -> Callable[[Callable], Callable]:
    """Register a public rule function and give it xarray/dask support.

    The decorated function takes the profile first. A ``DataArray`` argument is routed through
    :func:`socialchoice.xr.apply_rule` (dims by name; dask-backed arrays chunk by chunk).
    ``renamed`` maps old option names to new ones: the old spelling keeps working with a
    ``DeprecationWarning``. An option the rule does not have raises ``ValidationError`` naming
    it (never silently ignored, on any input path).
    """
    if needs not in ("rankings", "margins", "ratings"):
        raise ValueError(f"needs must be rankings/margins/ratings, got {needs!r}")
    if scale not in ("invariant", None):
        raise ValueError(f"scale must be 'invariant' or None, got {scale!r}")
    if scale is None and not scale_note:
        raise ValueError(f"rule {name!r}: scale=None needs a scale_note giving the reason")
    renamed = dict(renamed or {})

    def deco(func: Callable) -> Callable:
        params = inspect.signature(func).parameters
        options = tuple(p for p in list(params)[1:]
                        if params[p].kind is inspect.Parameter.KEYWORD_ONLY)
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())

        @functools.wraps(func)
        def wrapper(profile: Any, *args: Any, **kwargs: Any) -> Any:
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise ValidationError(
                            f"{name}: pass `{new}` only (`{old}` is its old name)")
                    warnings.warn(f"{name}: `{old}=` is renamed `{new}=`; the old name will be "
                                  "removed", DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            is_da = type(profile).__name__ == "DataArray"
            if not takes_any:
                extra = set(_XR_OPTIONS) if is_da else set()
                unknown = [k for k in kwargs if k not in options and k not in extra]
                if unknown:
                    raise ValidationError(
                        f"{name} has no option {unknown[0]!r}; its options are "
                        f"{', '.join(options)}" + (
                            f" (and {', '.join(_XR_OPTIONS)} for DataArrays)" if is_da else "")
                    )
            if is_da:
                if args:  # options are keyword-only: never drop a positional argument silently
                    raise TypeError(f"{name}() takes the profile as its only positional argument; "
                                    "pass options by keyword")
                from .. import xr as _xr

                return _xr.apply_rule(func, profile, needs=needs, rule=name, **kwargs)
            return func(profile, *args, **kwargs)

        wrapper.rule_name = name  # type: ignore[attr-defined]
        RULES.register(name, aliases=aliases, family=family, needs=needs, resolute=resolute,
                       probabilistic=probabilistic, oracle=oracle, tie_modes=tie_modes,
                       scale=scale, weight_scale="invariant", scale_note=scale_note,
                       options=options, renamed=renamed, claims={})(wrapper)
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
