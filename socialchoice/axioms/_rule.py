"""The rule under test: a registry name, a registered function with options, or any callable.

:class:`RuleAdapter` evaluates batches of profiles ``(K, n, m)`` and returns an
:class:`Outcomes` (winner masks, and lotteries / rankings where the rule has them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NonexistenceError, SocialChoiceError, ValidationError
from ..profiles import Rankings
from ..results import RuleResult

#: rules whose ranking output (sorted scores, ranking field) is what PMC judges (docs §2)
RANKING_RULES = {
    "plurality", "borda", "anti_plurality", "k_approval", "scoring", "copeland", "llull",
    "maximin", "schulze", "bradley_terry", "plackett_luce", "leximax_copeland", "kemeny_young",
}
#: options the engine passes to registered rules whose default raises on some profiles
ENGINE_DEFAULTS = {
    "bradley_terry": {"on_nonexistence": "components"},
    "plackett_luce": {"on_nonexistence": "components"},
}
#: options that break neutrality (a fixed tie-break order)
_NON_NEUTRAL_OPTIONS = ("tie_order", "resolve")

CHUNK_PROFILES = 1 << 15


@dataclass
class Outcomes:
    """Winner masks ``(K, m)``; ``lottery`` and ``ranking`` (levels, 0 = best) where defined."""

    mask: np.ndarray
    lottery: np.ndarray | None = None
    ranking: np.ndarray | None = None

    def take(self, rows) -> Outcomes:
        return Outcomes(self.mask[rows], None if self.lottery is None else self.lottery[rows],
                        None if self.ranking is None else self.ranking[rows])

    @staticmethod
    def concat(parts: list[Outcomes]) -> Outcomes:
        lot = None if parts[0].lottery is None else np.concatenate([p.lottery for p in parts])
        rk = None if parts[0].ranking is None else np.concatenate([p.ranking for p in parts])
        return Outcomes(np.concatenate([p.mask for p in parts]), lot, rk)

    @property
    def values(self) -> np.ndarray:
        """Lotteries for probabilistic rules, else 0/1 masks (what the lookup tables store)."""
        return self.lottery if self.lottery is not None else self.mask.astype(np.float64)


class rule:
    """Wrap a user rule for :func:`socialchoice.axioms.check`.

    Parameters
    ----------
    func : callable
        ``func(profile: Rankings)`` returning a winner mask, winner indices or a
        :class:`~socialchoice.RuleResult`. With ``vectorized=True`` it receives a batch
        ``(B, n, m)`` at once and returns masks ``(B, m)`` or a batched RuleResult.
    vectorized : bool
        Whether ``func`` takes batches.
    neutral : bool
        Promise that relabelling candidates relabels the winners (lets the search enumerate
        one profile per relabelling orbit); never assumed for user rules unless stated.
    name : str, optional
        Name used in reports (default ``func.__name__``).

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> def first_ballot_top(profile):
    ...     return np.asarray(profile.ranks)[0] == 0
    >>> r = sc.axioms.rule(first_ballot_top, name="dictator")
    >>> sc.axioms.check(r, "anonymity", max_candidates=2, max_voters=2).holds
    False
    """

    def __init__(self, func: Callable, *, vectorized: bool = False, neutral: bool = False,
                 name: str | None = None) -> None:
        if not callable(func):
            raise ValidationError(f"`func` must be callable, got {type(func).__name__}")
        self.func = func
        self.vectorized = bool(vectorized)
        self.neutral = bool(neutral)
        self.__name__ = name or getattr(func, "__name__", "rule")

    def __call__(self, profile: Any) -> Any:
        return self.func(profile)


def _registered_name(func: Any) -> str | None:
    from .. import rules

    for n in rules.names():
        if rules.get(n) is func:
            return n
    return None


class RuleAdapter:
    """Normalises the ``rule`` argument and evaluates profile batches."""

    def __init__(self, spec: Any) -> None:
        from .. import rules

        self.spec = spec
        self.options: dict = {}
        self.registered: str | None = None
        self.vectorized = True
        self.neutral = False
        self.func: Callable
        if isinstance(spec, str):
            self.registered = rules.info(spec).name  # UnknownNameError names the rule
            self.func = rules.get(self.registered)
        elif isinstance(spec, functools.partial) and _registered_name(spec.func):
            if spec.args:
                raise ValidationError("`rule`: a functools.partial may fix keyword options only")
            self.registered = _registered_name(spec.func)
            self.func = spec.func
            self.options = dict(spec.keywords)
        elif isinstance(spec, rule):
            self.func = spec.func
            self.vectorized = spec.vectorized
            self.neutral = spec.neutral
            self.name = spec.__name__
        elif callable(spec):
            reg = _registered_name(spec)
            if reg:
                self.registered = reg
                self.func = spec
            else:
                self.func = spec
                self.vectorized = bool(getattr(spec, "vectorized", False))
                self.neutral = bool(getattr(spec, "neutral", False))
                self.name = getattr(spec, "__name__", "rule")
        else:
            raise ValidationError(
                f"`rule` must be a registered rule name, a rule function (optionally a "
                f"functools.partial with options) or a callable, got {type(spec).__name__}"
            )
        if self.registered is not None:
            meta = rules.info(self.registered).meta
            self.meta = meta
            opts = dict(ENGINE_DEFAULTS.get(self.registered, {}))
            opts.update(self.options)
            self.call_options = opts
            self.needs = meta["needs"]
            self.probabilistic = bool(meta.get("probabilistic"))
            self.neutral = not any(k in self.options and self.options[k] is not None
                                   for k in _NON_NEUTRAL_OPTIONS) and \
                self.options.get("tie", "put") != "order"
            self.name = self.registered + (
                "(" + ", ".join(f"{k}={v!r}" for k, v in self.options.items()) + ")"
                if self.options else "")
            self.has_ranking = self.registered in RANKING_RULES
        else:
            self.meta = {}
            self.call_options = {}
            self.needs = "rankings"
            self.probabilistic = False
            self.has_ranking = False

    @property
    def kind(self) -> str:
        if self.needs == "ratings":
            return "cardinal"
        return "probabilistic" if self.probabilistic else "ordinal"

    # ---------------------------------------------------------------------- evaluation
    def __call__(self, ranks: np.ndarray, weights: np.ndarray | None = None) -> Outcomes:
        """Outcomes of the profiles ``ranks`` (K, n, m), in chunks of profiles."""
        K = ranks.shape[0]
        if K == 0:
            m = ranks.shape[-1]
            return Outcomes(np.zeros((0, m), bool),
                            np.zeros((0, m)) if self.probabilistic else None,
                            np.zeros((0, m), np.int64) if self.has_ranking else None)
        parts = []
        for s in range(0, K, CHUNK_PROFILES):
            w = None if weights is None else weights[s:s + CHUNK_PROFILES]
            parts.append(self._eval(ranks[s:s + CHUNK_PROFILES], w))
        return parts[0] if len(parts) == 1 else Outcomes.concat(parts)

    def _eval(self, ranks: np.ndarray, weights: np.ndarray | None) -> Outcomes:
        m = ranks.shape[-1]
        if self.vectorized:
            prof = Rankings(ranks, weights)
            out = self._call(prof)
            return self._convert(out, ranks.shape[0], m)
        res = [self._convert(self._call(Rankings(ranks[k], None if weights is None
                                                 else weights[k])), None, m)
               for k in range(ranks.shape[0])]
        return Outcomes.concat(res)

    def _call(self, prof: Rankings) -> Any:
        try:
            return self.func(prof, **self.call_options)
        except NonexistenceError:
            raise
        except SocialChoiceError as exc:
            raise ValidationError(
                f"`rule` {self.name!r} rejected a profile of the search space "
                f"({type(exc).__name__}: {exc}); pick another `ballots` domain or rule options"
            ) from exc
        except Exception as exc:
            raise ValidationError(
                f"`rule` {self.name!r} raised {type(exc).__name__}: {exc} on a profile with "
                f"{prof.ranks.shape[-2]} voters and {prof.ranks.shape[-1]} candidates; "
                "a rule must return a winner mask, winner indices or a RuleResult"
            ) from exc

    def _convert(self, out: Any, batch: int | None, m: int) -> Outcomes:
        shape = (m,) if batch is None else (batch, m)
        lottery = ranking = None
        if isinstance(out, RuleResult):
            mask = np.asarray(out.winner_mask, dtype=bool)
            if out.lottery is not None:
                lottery = np.asarray(out.lottery, dtype=np.float64)
                mask = lottery > 1e-9
            if self.has_ranking:
                if out.ranking is not None:
                    ranking = np.asarray(out.ranking, dtype=np.int64)
                elif out.scores is not None:
                    s = np.asarray(out.scores, dtype=np.float64)
                    ranking = (s[..., None, :] > s[..., :, None]).sum(-1)
                    # no finite strengths (e.g. a Bradley-Terry MLE that does not exist):
                    # the ranking is undefined there, marked -1
                    ranking = np.where(np.isfinite(s).all(-1, keepdims=True), ranking, -1)
        else:
            arr = np.asarray(out)
            if arr.dtype == bool and arr.shape == shape:
                mask = arr
            elif batch is None and arr.dtype.kind in "iu" and arr.ndim <= 1:
                idx = arr.reshape(-1)
                if idx.size == 0 or (idx < 0).any() or (idx >= m).any():
                    raise ValidationError(
                        f"`rule` {self.name!r} returned winner indices {idx.tolist()}; "
                        f"expected a non-empty set of indices in 0..{m - 1}"
                    )
                mask = np.zeros(m, bool)
                mask[idx] = True
            else:
                raise ValidationError(
                    f"`rule` {self.name!r} returned {type(out).__name__} of shape "
                    f"{getattr(arr, 'shape', None)} dtype {getattr(arr, 'dtype', None)}; expected "
                    f"a boolean winner mask of shape {shape}, winner indices or a RuleResult"
                )
        if mask.shape != shape:
            raise ValidationError(
                f"`rule` {self.name!r} returned a winner mask of shape {mask.shape}; expected {shape}"
            )
        if not mask.any(axis=-1).all():
            raise ValidationError(f"`rule` {self.name!r} returned an empty winner set")
        if batch is None:
            mask = mask[None]
            lottery = None if lottery is None else lottery[None]
            ranking = None if ranking is None else ranking[None]
        if self.probabilistic and lottery is None:
            lottery = mask / mask.sum(-1, keepdims=True)
        if self.has_ranking and ranking is None:
            ranking = np.zeros(mask.shape, np.int64)
        return Outcomes(mask, lottery, ranking)
