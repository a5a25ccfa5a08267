"""Shared helpers of the report sections: alternative labels, JSON-safe numbers, warning
capture, progress bars, Borda utilities, rater weights, groups and sub-profiles, and running
one rule by name.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import SocialChoiceError

__all__ = ["Labeler", "borda_utilities", "MAX_GROUPS"]

#: Most groups shown per attribute (the largest).
MAX_GROUPS = 12


# ---------------------------------------------------------------- helpers
class Labeler:
    """Display labels of the alternatives (names where the file gives them)."""

    def __init__(self, candidates: tuple, names: dict | None = None):
        self.candidates = tuple(candidates)
        names = names or {}
        self.names = [str(names.get(c, c)) for c in self.candidates]
        if len(set(self.names)) < len(self.names):  # names must be unique keys
            self.names = [f"{n} ({c})" for n, c in zip(self.names, self.candidates)]

    def __call__(self, c: Any) -> str:
        return self.names[self.candidates.index(c)]

    def idx(self, i: int) -> str:
        return self.names[int(i)]

    def many(self, cs) -> list[str]:
        return [self(c) for c in cs]


def _num(x: Any, nd: int = 6) -> Any:
    """JSON-safe rounded number (NaN/inf -> None)."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(f):
        return None
    if f == int(f) and abs(f) < 2**53:
        return int(f) if isinstance(x, (int, np.integer)) else round(f, nd)
    return round(f, nd)


def _call(fn: Callable, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``fn`` and collect the messages of the warnings it raises."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    msgs = []
    for w in rec:
        if issubclass(w.category, DeprecationWarning):
            continue
        m = " ".join(str(w.message).split())
        if m not in msgs:
            msgs.append(m)
    return out, msgs


def _progress(iterable, desc: str, enabled: bool, total: int | None = None):
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return iterable
    return tqdm(iterable, desc=desc, total=total, leave=False, unit="step")


def borda_utilities(profile) -> np.ndarray:
    """Utilities of rankings: the share of the other alternatives ranked strictly below.

    Unranked alternatives sit below every ranked one (docs/conventions.md), so a ballot's top
    choice gets 1 and its unranked alternatives 0. Shape ``(..., n, m)``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> p = sc.Rankings.from_orders([[2, 0]], n_candidates=3)
    >>> borda_utilities(p).tolist()
    [[0.5, 0.0, 1.0]]
    """
    R = np.asarray(profile.ranks)
    m = R.shape[-1]
    lv = np.where(R < 0, m, R)
    below = (lv[..., :, None] < lv[..., None, :]).sum(-1)
    return below / max(m - 1, 1)


def _is_batch(profile) -> bool:
    return len(getattr(profile, "batch_shape", ())) > 0


def _weights(profile) -> np.ndarray:
    return np.asarray(profile.weights_or_ones(), dtype=float)


def _attr_values(data, attr: str) -> np.ndarray | None:
    prof = data.profile
    attrs = getattr(prof, "rater_attributes", None)
    if attrs is None:
        attrs = getattr(prof, "voter_attributes", {})
    return None if attr not in attrs else np.asarray(attrs[attr], dtype=object)


def _group_labels(vals: np.ndarray) -> tuple[list, np.ndarray]:
    """Group labels (largest first, missing left out) and a per-rater valid mask."""
    import pandas as pd

    ok = ~pd.isna(vals)
    labs, counts = np.unique(vals[ok].astype(str), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return [labs[i] for i in order], ok


def _subprofile(profile, mask: np.ndarray):
    """The raters in ``mask`` as a profile of the same kind (single election)."""
    from ..profiles import Rankings, Ratings

    w = profile.weights
    if isinstance(profile, Ratings):
        vals = np.asarray(profile.values)[..., mask, :]
        return Ratings(vals, None if w is None else np.asarray(w)[..., mask],
                       np.asarray(profile.raters, dtype=object)[mask].tolist(),
                       candidates=profile.candidates,
                       **({"batch_dims": profile._batch_dims, "items": profile.items}
                          if _is_batch(profile) else {}))
    R = np.asarray(profile.ranks)[..., mask, :]
    return Rankings(R, None if w is None else np.asarray(w)[..., mask], profile.candidates,
                    **({"batch_dims": profile._batch_dims, "items": profile.items}
                       if _is_batch(profile) else {}))


def _applicable_rules() -> list[str]:
    from .. import rules

    return list(rules.names())


def _run_rule(name: str, profile) -> tuple[Any, list[str], str | None]:
    """(result, warnings, reason-if-not-applicable)."""
    from .. import rules

    fn = rules.get(name)
    try:
        res, msgs = _call(fn, profile)
    except TypeError as exc:
        if "required keyword-only argument" in str(exc):
            arg = str(exc).split("'")[-2] if "'" in str(exc) else "an option"
            return None, [], f"needs the option {arg}= (run sc.rules.{name} yourself)"
        raise
    except SocialChoiceError as exc:
        return None, [], " ".join(str(exc).split())[:240]
    return res, msgs, None


def _winners_of(res, lab: Labeler) -> Any:
    mask = np.asarray(res.winner_mask)
    if mask.ndim == 1:
        return [lab.idx(i) for i in np.flatnonzero(mask)]
    return [[lab.idx(i) for i in np.flatnonzero(row)] for row in mask.reshape(-1, mask.shape[-1])]


def _share(res) -> np.ndarray:
    """Per alternative: share of items won (ties split evenly); lottery when there is one."""
    if res.lottery is not None:
        lot = np.asarray(res.lottery, dtype=float)
        return lot.reshape(-1, lot.shape[-1]).mean(0)
    mask = np.asarray(res.winner_mask, dtype=float).reshape(-1, np.shape(res.winner_mask)[-1])
    return (mask / np.maximum(mask.sum(-1, keepdims=True), 1)).mean(0)
