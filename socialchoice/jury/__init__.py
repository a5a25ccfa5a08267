"""Jury-pluralistic evaluation and inter-rater agreement (docs/tradeoff-jury.md Part B).

* juries: :func:`sample` (stratified quotas, §B2), :func:`poststratify` and :func:`rake` (§B3);
* verdicts: :func:`verdicts` runs every jury through a rule, welfare function or bargaining
  solution as one batch (juries are a batch dimension) and reports win probabilities;
* stability: :func:`stability` (bootstrap over raters within strata), :func:`composition_sweep`
  and :func:`dissent`;
* agreement: :func:`krippendorff_alpha` (§B4.1), :func:`fleiss_kappa` and
  :func:`randolph_kappa` (§B4.2), :func:`group_effects` (§B4.3).

Every member is registered: :func:`names`, :func:`get`, :func:`info`.

Examples
--------
>>> from socialchoice import jury
>>> "krippendorff_alpha" in jury.names()
True
"""

from __future__ import annotations

from .._registry import Registry, family_api
from ._agreement import (
    LEVELS,
    AlphaResult,
    KappaResult,
    fleiss_kappa,
    krippendorff_alpha,
    randolph_kappa,
)
from ._effects import BoundaryFitWarning, GroupEffectsResult, group_effects
from ._sampling import (
    ConvergenceWarning,
    InsufficientRatersError,
    WeightingResult,
    kish_n_eff,
    largest_remainder,
    poststratify,
    rake,
    sample,
    strata_of,
)
from ._stability import (
    DissentResult,
    StabilityResult,
    SweepResult,
    composition_sweep,
    dissent,
    stability,
)
from ._verdicts import LABEL_AGGREGATES, VerdictResult, resolve_aggregate, verdicts

REGISTRY = Registry("jury method", "jury")

for _f, _grp, _meta in (
    (sample, "sampling", {"random": True, "input": "attributes"}),
    (poststratify, "weighting", {"input": "attributes"}),
    (rake, "weighting", {"input": "margins"}),
    (kish_n_eff, "weighting", {"input": "weights"}),
    (verdicts, "verdicts", {"input": "ratings"}),
    (stability, "verdicts", {"input": "ratings", "random": True, "unit": "raters"}),
    (composition_sweep, "verdicts", {"input": "ratings", "random": True}),
    (dissent, "verdicts", {"input": "ratings"}),
    (group_effects, "agreement", {"input": "long ratings"}),
    (krippendorff_alpha, "agreement", {"input": "reliability", "random": True, "unit": "units"}),
    (fleiss_kappa, "agreement", {"input": "counts"}),
    (randolph_kappa, "agreement", {"input": "counts"}),
):
    REGISTRY.add(_f.__name__, _f, family=_grp, **_meta)

names, get, info = family_api(REGISTRY)

__all__ = [
    "REGISTRY", "names", "get", "info",
    "InsufficientRatersError", "ConvergenceWarning", "WeightingResult", "VerdictResult",
    "AlphaResult", "KappaResult", "LEVELS", "LABEL_AGGREGATES",
    "sample", "poststratify", "rake", "kish_n_eff", "largest_remainder", "strata_of",
    "verdicts", "resolve_aggregate", "stability", "composition_sweep", "dissent",
    "StabilityResult", "SweepResult", "DissentResult",
    "group_effects", "GroupEffectsResult", "BoundaryFitWarning",
    "krippendorff_alpha", "fleiss_kappa", "randolph_kappa",
]
