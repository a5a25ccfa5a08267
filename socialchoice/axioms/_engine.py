"""The search engine: exhaustive enumeration of anonymous profiles, transformations as batches,
single-profile predicates vectorised over the batch, and the scalar judges used to confirm and
replay every witness (docs/axioms.md §6).

This module gathers the engine's names; the code lives in one module per job:

- ``_predicates``: profile statistics, single-profile predicates (``SINGLE``), the axiom sets
  and ``min_candidates``;
- ``_judge``: :func:`judge`, the natural-language verdict on a (profile, transformed profiles)
  tuple, and the tolerance ``TOL``;
- ``_transform``: the transformations of one profile, their batched evaluation,
  ``relational_violation`` and the witness replayer (registered with ``_results.REPLAYERS`` on
  import);
- ``_tables``: ``_Space``, the profiles of one size with their outcome and IIA partner tables;
- ``_scan``: the table and direct fast paths over one chunk of profiles;
- ``_exhaustive``: the driver, :func:`exhaustive`, and the confirmation of its hits.
"""

from __future__ import annotations

from ._exhaustive import MAX_PROFILES, _confirm, _Found, _orbit_sizes, exhaustive
from ._judge import TOL, _eq, _sd_better, _single_reason, judge
from ._predicates import (
    NOT_NEUTRAL,
    RELATIONAL_DIRECT,
    RELATIONAL_TABLE,
    SINGLE,
    _bottom_block,
    _singleton_of,
    _unique_top,
    _weights,
    condorcet_loser,
    condorcet_winner,
    min_candidates,
    pred_condorcet_loser,
    pred_condorcet_winner,
    pred_majority,
    pred_majority_loser,
    pred_pareto_strong,
    pred_pareto_weak,
    pred_pmc,
    pred_sd_efficiency,
    pred_smith,
    pred_unanimity,
    smith_mask,
    strict_prefs,
    support,
)
from ._scan import _direct_scan, _generators, _scan, _split_sizes
from ._tables import CHUNK, _Space
from ._transform import (
    _delete,
    _is_clone_set,
    _prof,
    _relabelings,
    _witness_from,
    evaluate_transformed,
    relational_violation,
    replay,
    transformations_of,
)

__all__ = [
    "CHUNK", "MAX_PROFILES", "NOT_NEUTRAL", "RELATIONAL_DIRECT", "RELATIONAL_TABLE", "SINGLE",
    "TOL", "_Found", "_Space", "_bottom_block", "_confirm", "_delete", "_direct_scan", "_eq",
    "_generators", "_is_clone_set", "_orbit_sizes", "_prof", "_relabelings", "_scan",
    "_sd_better", "_single_reason", "_singleton_of", "_split_sizes", "_unique_top", "_weights",
    "_witness_from", "condorcet_loser", "condorcet_winner", "evaluate_transformed", "exhaustive",
    "judge", "min_candidates", "pred_condorcet_loser", "pred_condorcet_winner", "pred_majority",
    "pred_majority_loser", "pred_pareto_strong", "pred_pareto_weak", "pred_pmc",
    "pred_sd_efficiency", "pred_smith", "pred_unanimity", "relational_violation", "replay",
    "smith_mask", "strict_prefs", "support", "transformations_of",
]
