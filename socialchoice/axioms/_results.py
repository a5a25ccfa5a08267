"""Results of the axiom engine: :class:`Witness`, :class:`AxiomReport`, :class:`RateResult`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..profiles import Rankings
from ._space import LETTERS, ballot_str


def profile_str(p: Rankings) -> str:
    """``2: a>b>c, b>c>a`` (multiplicities first; weights shown when not integral)."""
    ranks = np.asarray(p.ranks)
    w = np.ones(ranks.shape[0]) if p.weights is None else np.asarray(p.weights, float)
    order: dict[str, float] = {}
    for r, wt in zip(ranks, w):
        s = ballot_str(r) or "(empty)"
        order[s] = order.get(s, 0.0) + float(wt)
    parts = []
    for s, c in order.items():
        cs = f"{int(c)}" if float(c).is_integer() else f"{c:g}"
        parts.append(s if cs == "1" else f"{cs}: {s}")
    return ", ".join(parts)


def _set_str(mask) -> str:
    return "{" + ", ".join(LETTERS[i] for i in np.flatnonzero(mask)) + "}"


#: the functions that re-check a witness, registered by the modules that define them
#: (``_engine`` for profiles, ``_bargaining`` for bargaining problems) so that this module, which
#: they both import, imports neither of them
REPLAYERS: dict[str, Any] = {}


@dataclass(frozen=True, eq=False)
class Witness:
    """A replayable violation of an axiom.

    Attributes
    ----------
    axiom : str
        Axiom id.
    rule : str
        Name of the rule (with options) it refutes.
    profiles : tuple of Rankings
        The profile first, then the transformed profile(s).
    transformation : dict
        ``{"kind": ..., "description": str, ...data}`` (e.g. the lifted candidate and ballot).
    outcomes : tuple
        Winner sets per profile (tuples of candidate indices); lotteries in ``lotteries``.
    lotteries : tuple or None
        Lotteries per profile for probabilistic rules.
    explanation : str
        What goes wrong, in words.
    seed : object
        The seed of a random/hypothesis search that found it (None for exhaustive).
    """

    axiom: str
    rule: str
    profiles: tuple
    transformation: dict
    outcomes: tuple
    lotteries: tuple | None = None
    explanation: str = ""
    seed: Any = None

    @property
    def n_voters(self) -> int:
        return int(np.asarray(self.profiles[0].ranks).shape[-2])

    @property
    def n_candidates(self) -> int:
        return int(np.asarray(self.profiles[0].ranks).shape[-1])

    @property
    def n_types(self) -> int:
        return len(np.unique(np.asarray(self.profiles[0].ranks), axis=0))

    def __str__(self) -> str:
        if not self.profiles:  # bargaining: the problems are in `transformation`
            tr = self.transformation
            probs = ", ".join(f"{k} = {np.round(np.asarray(tr[k], float), 4).tolist()}"
                              for k in ("U", "T", "d", "alpha", "beta") if tr.get(k) is not None)
            return (f"{self.rule} violates {self.axiom}: {probs} (columns = alternatives, the "
                    f"feasible set is their convex hull). {tr.get('description', '')}. "
                    f"{self.explanation}")
        p0 = self.profiles[0]
        m = self.n_candidates
        head = (f"{self.rule} violates {self.axiom} with {self.n_voters} voters and {m} "
                f"candidates ({', '.join(LETTERS[:m])}). Profile P = [{profile_str(p0)}]: "
                f"{self.rule} elects {_set_str(_mask(self.outcomes[0], m))}")
        if self.lotteries is not None:
            head += f" (lottery {np.round(self.lotteries[0], 4).tolist()})"
        parts = [head + "."]
        tr = self.transformation.get("description")
        if tr:
            parts.append(tr[0].upper() + tr[1:] + ".")
        for i, p in enumerate(self.profiles[1:], start=1):
            mi = np.asarray(p.ranks).shape[-1]
            labels = self.transformation.get("labels", [None] * len(self.profiles))[i]
            cand = "" if labels is None else f" (candidates {', '.join(labels)})"
            s = f"Transformed profile P{i}{cand} = [{profile_str(p)}]: elects " \
                f"{_set_str(_mask(self.outcomes[i], mi)) if labels is None else _label_set(self.outcomes[i], labels)}"
            if self.lotteries is not None:
                s += f" (lottery {np.round(self.lotteries[i], 4).tolist()})"
            parts.append(s + ".")
        if self.explanation:
            parts.append(self.explanation)
        return " ".join(parts)

    __repr__ = __str__

    def to_json(self) -> str:
        """JSON text with everything needed to replay (rank arrays, weights, data)."""
        d = {
            "axiom": self.axiom, "rule": self.rule,
            "profiles": [{"ranks": np.asarray(p.ranks).tolist(),
                          "weights": None if p.weights is None else np.asarray(p.weights).tolist(),
                          "orders": profile_str(p)} for p in self.profiles],
            "transformation": _jsonable(self.transformation),
            "outcomes": [list(map(int, o)) for o in self.outcomes],
            "lotteries": None if self.lotteries is None else [list(map(float, lt)) for lt in self.lotteries],
            "explanation": self.explanation, "seed": _jsonable(self.seed),
        }
        return json.dumps(d, indent=1)

    @classmethod
    def from_json(cls, text: str | dict) -> Witness:
        d = json.loads(text) if isinstance(text, str) else text
        profs = tuple(Rankings(np.array(p["ranks"], dtype=np.int64),
                               None if p.get("weights") is None else np.array(p["weights"]))
                      for p in d["profiles"])
        return cls(d["axiom"], d["rule"], profs, d["transformation"],
                   tuple(tuple(o) for o in d["outcomes"]),
                   None if d.get("lotteries") is None else tuple(tuple(x) for x in d["lotteries"]),
                   d.get("explanation", ""), d.get("seed"))

    def replay(self, rule: Any = None) -> bool:
        """Re-run ``rule`` (default: the registered rule named in :attr:`rule`) on the stored
        profiles; True when the violation reproduces."""
        if not self.profiles:
            replay_bargaining = REPLAYERS["bargaining"]
            if rule is not None:
                return replay_bargaining(Witness(self.axiom, rule, (), self.transformation, ()))
            return replay_bargaining(self)
        return REPLAYERS["ordinal"](self, self.rule.split("(")[0] if rule is None else rule)


def _label_set(outcome, labels) -> str:
    return "{" + ", ".join(labels[i] for i in outcome) + "}"


def _mask(outcome, m) -> np.ndarray:
    mask = np.zeros(m, bool)
    mask[list(outcome)] = True
    return mask


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    return x


@dataclass(frozen=True, eq=False)
class AxiomReport:
    """Result of :func:`socialchoice.axioms.check`.

    Attributes
    ----------
    rule, axiom : str
        What was checked.
    holds : bool or None
        False with a counterexample; True when the whole bounded space was searched without a
        violation; None when a random/hypothesis search found nothing (evidence, not proof).
    counterexample : Witness or None
        The (minimal) witness.
    searched : dict
        ``method``, ``ballots``, ``sizes`` [(m, n), ...], ``n_profiles`` (in the space),
        ``n_evaluated`` (rule evaluations), ``n_transformations``, ``elapsed`` seconds, and
        ``violations`` {(m, n): count} with ``find="all"``.
    """

    rule: str
    axiom: str
    holds: bool | None
    counterexample: Witness | None
    searched: dict = field(default_factory=dict)

    def __str__(self) -> str:
        s = self.searched
        bound = (f"{s.get('method')} search, {s.get('ballots')} ballots, "
                 f"m <= {s.get('max_candidates')}, n <= {s.get('max_voters')}, "
                 f"{s.get('n_profiles', 0):,} profiles, {s.get('elapsed', 0):.2f} s")
        if self.counterexample is not None:
            return f"{self.rule} violates {self.axiom} ({bound}).\n{self.counterexample}"
        verdict = "no violation found" if self.holds is None else "holds"
        return f"{self.rule} / {self.axiom}: {verdict} ({bound})."

    __repr__ = __str__


@dataclass(frozen=True)
class RateResult:
    """Share of generated profiles on which the rule violates the axiom.

    Attributes
    ----------
    estimate : float
        Violations / profiles.
    low, high : float
        Wilson 95% interval.
    n_profiles : int
        Profiles generated.
    n_violations : int
        Violating profiles.
    """

    estimate: float
    low: float
    high: float
    n_profiles: int
    n_violations: int
