"""Axiom checkers (``sc.axioms``): find minimal counterexamples to social-choice axioms.

Every axiom of docs/axioms.md §2, §3 and §3.1 is a registry entry (``names()``, ``get()``,
``info()``); :func:`check` searches for a violation of one axiom by one rule (exhaustively over
anonymous profiles, smallest electorates first, so the first witness is minimal; or by random /
hypothesis search with shrinking), :func:`violations` lists the axioms a rule violates on one
given profile, :func:`rate` estimates how often violations occur under a culture, and
:func:`matrix` tabulates rules against axioms.

``socialchoice.axioms.sat`` (SAT encodings, optional extra) is a separate module.
"""

from __future__ import annotations

from .._registry import Registry, family_api
from . import _bargaining, _engine  # noqa: F401  (they register the witness replayers)
from ._api import check, matrix, rate, violations
from ._results import AxiomReport, RateResult, Witness
from ._rule import rule
from ._specs import SPECS, AxiomSpec

AXIOMS = Registry("axiom", "axioms")
names, get, info = family_api(AXIOMS)


def _make_checker(spec: AxiomSpec):
    def checker(rule, **kwargs):
        return check(rule, spec.name, **kwargs)

    checker.__name__ = checker.__qualname__ = spec.name
    checker.__module__ = __name__
    example = ("nash" if spec.group == "bargaining" else "borda")
    call = (f">>> sc.axioms.get({spec.name!r})({example!r}, n_problems=20, seed=0).holds in (True, False, None)\nTrue"
            if spec.group == "bargaining" else
            f">>> rep = sc.axioms.get({spec.name!r})({example!r}, max_candidates=3, max_voters=3"
            + (", ballots='truncated'" if spec.ballots == ("truncated",) else "")
            + (", method='random', n_profiles=5, seed=0" if spec.applies == ("probabilistic",) else "")
            + ")\n>>> rep.holds in (True, False, None)\nTrue")
    if spec.applies == ("probabilistic",):
        call = call.replace("'borda'", "'maximal_lottery'")
    checker.__doc__ = (
        f"{spec.title[0].upper() + spec.title[1:]}: {spec.definition}\n\n"
        f"Kind: {spec.kind}-profile axiom; applies to {', '.join(spec.applies)} rules"
        + (f"; extension {spec.extension}" if spec.extension else "")
        + (f"; ballots {', '.join(spec.ballots)}" if spec.group != "bargaining" else "")
        + f".\nSource: {spec.source}.\n\n"
        "Parameters\n----------\nrule : str or callable\n    The rule (see :func:`check`).\n"
        "**kwargs\n    Passed to :func:`socialchoice.axioms.check`.\n\n"
        "Returns\n-------\nAxiomReport\n\n"
        f"Examples\n--------\n>>> import socialchoice as sc\n{call}\n"
    )
    return checker


for _spec in SPECS:
    _fn = _make_checker(_spec)
    globals()[_spec.name] = _fn
    AXIOMS.register(_spec.name, aliases=_spec.aliases, family=_spec.group,
                    kind=_spec.kind, applies=_spec.applies, ballots=_spec.ballots,
                    extension=_spec.extension, options=_spec.options, source=_spec.source,
                    definition=_spec.definition, title=_spec.title)(_fn)

__all__ = [  # noqa: PLE0604 (axiom names are strings, listed from SPECS)
    "AXIOMS", "names", "get", "info", "check", "violations", "rate", "matrix", "rule",
    "AxiomReport", "Witness", "RateResult", *[s.name for s in SPECS]]
