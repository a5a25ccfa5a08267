"""Validated, immutable containers: :class:`Rankings`, :class:`Ratings`, :class:`Pairwise`.

Conventions (docs/rules.md §1):

* core axes last: ``ranks[..., n, m]``, ``values[..., n, m]``, ``support[..., m, m]``; any leading
  axes are a batch of independent items (elections, prompts);
* ``ranks[..., v, c]`` is the level of candidate ``c`` on ballot ``v``: 0 = best, equal levels =
  tie, -1 = unranked (one tied block below every ranked candidate). Levels are normalised to
  consecutive blocks at construction and stored as ``int8`` (``int16`` beyond 127 candidates);
* weights have shape ``(..., n)`` or ``(n,)``; ``None`` means one per voter;
* every container copies its input: the caller's arrays are never mutated or aliased.
"""
from ._common import rank_dtype
from ._pairwise import Pairwise
from ._rankings import Rankings
from ._ratings import Ratings

__all__ = ["Rankings", "Ratings", "Pairwise", "rank_dtype"]
