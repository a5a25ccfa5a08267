"""Welfare functions over utility tensors (docs/welfare-bargaining.md §1-§3).

A utility tensor ``U`` has shape ``(..., n_agents, m_alternatives)``: agents on axis ``-2``,
alternatives on axis ``-1`` (``agent_axis=``/``axis=`` move them), leading axes are items.
A :class:`~socialchoice.Ratings` profile (raters = agents, its weights and NaN) and a
``(group, alternative)`` matrix such as ``Ratings.group_means`` are accepted as well.
Each function returns a :class:`WelfareResult` with one welfare value per alternative, a
stable ranking and the tied sets; :func:`best` returns the same result for a function named by
string. Every function is registered: :func:`names`, :func:`get`, :func:`info`.

Missing utilities (NaN) follow ``nan_policy`` *per cell*: ``"omit"`` computes each
alternative's welfare over the agents who rated it, with weights renormalised over them.

An :class:`xarray.DataArray` input (dims named ``agent``, ``rater`` or ``group``, and
``alternative``) returns a DataArray of welfare values over the remaining dims; dask-backed
arrays stay lazy (:func:`socialchoice.xr.apply_core`).

Layout: ``_input`` (utility-matrix checking, shared with :mod:`socialchoice.bargaining`),
``_decorator`` (the reduction decorator), ``_functions`` (the formulas), ``_results``.

Examples
--------
>>> import numpy as np
>>> import socialchoice as sc
>>> U = np.array([[4., 2, 3], [1, 2, 3], [9, 2, 1], [2, 2, 5]])
>>> w = [0.4, 0.3, 0.2, 0.1]
>>> sc.welfare.utilitarian(U, weights=w).values.round(6).tolist()
[3.9, 2.0, 2.8]
>>> sc.welfare.best(U, "leximin", weights=w).winner
1
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._registry import family_api
from ._functions import (
    REGISTRY,
    atkinson,
    egalitarian,
    equally_distributed_equivalent,
    gini_welfare,
    leximin,
    leximin_compare,
    nash,
    owa,
    power_mean,
    quantile_welfare,
    utilitarian,
)
from ._input import DegenerateInputWarning, normalize_utilities, resolve_disagreement
from ._results import WelfareResult

__all__ = [
    "DegenerateInputWarning",
    "WelfareResult",
    "utilitarian",
    "nash",
    "egalitarian",
    "leximin",
    "power_mean",
    "atkinson",
    "equally_distributed_equivalent",
    "owa",
    "gini_welfare",
    "quantile_welfare",
    "leximin_compare",
    "normalize_utilities",
    "resolve_disagreement",
    "best",
    "names",
    "get",
    "info",
    "REGISTRY",
]

names, get, info = family_api(REGISTRY)


def best(U: Any, name: str = "utilitarian", /, **kwargs: Any) -> WelfareResult:
    """Evaluate the welfare function ``name`` and return its result; the full set of
    maximisers is ``result.best`` and ``result.winner`` the lowest-index one.

    Examples
    --------
    >>> r = best([[1., 1, 0], [0, 0, 0.5]], "utilitarian")
    >>> r.best.tolist(), r.winner
    ([True, True, False], 0)
    """
    f: Callable[..., Any] = get(name)
    return f(U, **kwargs)
