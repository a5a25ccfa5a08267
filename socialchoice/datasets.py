"""Small demo data shipped with the package (separately licensed; see ``socialchoice/data/``).

* :func:`load_demo`: the 2009 Burlington (Vermont) mayoral election from PrefLib (GPL-3.0):
  8,980 ranked ballots over 6 alternatives, where instant-runoff voting elected Bob Kiss (id 1)
  while Andy Montroll (id 2) was the Condorcet winner.
* :func:`load_polis`: a subset of the vTaiwan UberX conversation on Polis (CC BY 4.0): 1,149
  participants in two opinion groups voting agree (1) / pass (0) / disagree (-1) on 10
  statements.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .profiles import Rankings

__all__ = ["load_demo", "load_polis", "demo_path", "DEMO_FILE", "POLIS_DIR"]

#: File name of the demo election inside ``socialchoice/data``.
DEMO_FILE = "00005-00000002.toi"
#: Folder of the Polis vTaiwan subset inside ``socialchoice/data``.
POLIS_DIR = "polis_vtaiwan_uberx"


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


def load_polis():
    """The vTaiwan UberX subset (Polis, CC BY 4.0) as :class:`~socialchoice.Ratings`.

    Participants are raters (missing vote = NaN), statements are the alternatives, and the
    rater attribute ``"group"`` is the participant's Polis opinion group. The statements'
    short English labels are in ``metadata["alternative_names"]``; provenance and the changes
    made are in ``socialchoice/data/README.md``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> polis = sc.datasets.load_polis()
    >>> polis.n_raters, polis.n_candidates, sorted(set(polis.rater_attributes["group"].tolist()))
    (1149, 10, [0, 1])
    """
    import pandas as pd

    from .io import read_csv

    folder = Path(str(resources.files("socialchoice").joinpath("data").joinpath(POLIS_DIR)))
    prof = read_csv(folder / "votes.csv", rater="participant", item=None,
                    alternative="statement", rating="vote", attributes=["group"])
    st = pd.read_csv(folder / "statements.csv")
    names = {int(r.statement): str(r.label) for r in st.itertuples()}
    meta = {**prof.metadata, "title": "vTaiwan UberX 2015 (Polis), subset",
            "alternative_names": {c: names.get(int(c), str(c)) for c in prof.candidates}}
    prof._metadata = meta  # a fresh profile of ours: set once, read through .metadata copies
    return prof
