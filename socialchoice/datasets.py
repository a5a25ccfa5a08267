"""Small demo data shipped with the package (separately licensed; see ``socialchoice/data/``).

The only data set is the 2009 Burlington (Vermont) mayoral election from PrefLib (GPL-3.0):
8,980 ranked ballots over 6 alternatives, where instant-runoff voting elected Bob Kiss (id 1)
while Andy Montroll (id 2) was the Condorcet winner.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .profiles import Rankings

__all__ = ["load_demo", "demo_path", "DEMO_FILE"]

#: File name of the demo election inside ``socialchoice/data``.
DEMO_FILE = "00005-00000002.toi"


def demo_path() -> Path:
    """Path of the packaged demo file (Burlington 2009, PrefLib ``toi``; regular installs).

    Examples
    --------
    >>> from socialchoice.datasets import demo_path
    >>> demo_path().name
    '00005-00000002.toi'
    """
    return Path(str(resources.files("socialchoice").joinpath("data").joinpath(DEMO_FILE)))


def load_demo(*, expand: bool = False) -> Rankings:
    """The 2009 Burlington mayoral election as :class:`~socialchoice.Rankings`.

    Parameters
    ----------
    expand : bool, default False
        False: 384 unique ballots weighted by their counts. True: one row per voter (8,980).

    Returns
    -------
    Rankings
        Candidates ``1..6`` (1 Bob Kiss, 2 Andy Montroll, 3 James Simpson, 4 Dan Smith,
        5 Kurt Wright, 6 Write-In); ``metadata`` holds the PrefLib header. Source and citation:
        ``socialchoice/data/README.md`` (PrefLib, Mattei & Walsh 2013; GPL-3.0).

    Examples
    --------
    >>> import socialchoice as sc
    >>> prof = sc.load_demo()
    >>> prof.total_weight, prof.n_candidates, prof.metadata["alternative_names"][2]
    (8980.0, 6, 'Andy Montroll')
    >>> float(prof.margins()[1, 0])   # Montroll over Kiss
    590.0
    """
    from .io.preflib import read_preflib

    data = resources.files("socialchoice").joinpath("data").joinpath(DEMO_FILE).read_bytes()
    return read_preflib(data, expand=expand)
