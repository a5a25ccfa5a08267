"""``socialchoice report``: a pluralism report on the user's own data (layer 7, command line).

:func:`build` reads a data file and computes every section (a JSON-ready dict);
:func:`write` renders ``index.html``, ``report.json`` and ``summary.md`` into a directory,
atomically. The report is a client of the public API: every number comes from ``sc.rules``,
``sc.axioms``, ``sc.welfare``, ``sc.bargaining``, ``sc.jury``, ``sc.stats``,
``sc.divergence`` and ``sc.tradeoff``.
"""

from __future__ import annotations

from ._compute import compute
from ._load import Data, load, load_model

__all__ = ["compute", "load", "load_model", "Data"]
