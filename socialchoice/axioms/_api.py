"""Public functions of ``sc.axioms``: check, violations, rate, matrix."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._random import resolve_rng
from ..errors import SocialChoiceError, TimeLimitError, ValidationError
from ..profiles import Rankings
from . import _engine as E
from ._results import AxiomReport, RateResult, Witness
from ._rule import RuleAdapter
from ._space import BALLOTS, domain

_METHODS = ("exhaustive", "random", "hypothesis")


def _spec(axiom: str):
    from . import info

    return info(axiom)  # UnknownNameError names the axiom


def _applicable(spec, adapter: RuleAdapter, ballots: str) -> str | None:
    """Why ``spec`` does not apply to this rule / domain, or None."""
    applies = spec.meta["applies"]
    if adapter.kind == "cardinal":
        return (f"axiom {spec.name!r} is checked on ordinal profiles; rule {adapter.name!r} takes "
                "ratings (cardinal rules are n.a. for the ordinal engine)")
    if "ranking" in applies and not adapter.has_ranking:
        return f"axiom {spec.name!r} needs a ranking output; rule {adapter.name!r} has none"
    if applies == ("probabilistic",) and not adapter.probabilistic:
        return f"axiom {spec.name!r} applies to probabilistic rules; {adapter.name!r} is not one"
    if "ranking" not in applies and adapter.kind not in applies and applies != ("probabilistic",):
        return f"axiom {spec.name!r} does not apply to {adapter.kind} rules"
    if ballots not in spec.meta["ballots"]:
        return (f"`ballots`={ballots!r}: axiom {spec.name!r} is defined on "
                f"{', '.join(spec.meta['ballots'])} ballots")
    return None


def check(rule: Any, axiom: str, *, max_candidates: int = 4, max_voters: int = 7,
          method: str = "exhaustive", ballots: str = "linear", seed: Any = None,
          progress: Any = None, time_limit: float | None = None, find: str = "first",
          n_profiles: int = 2000, min_candidates: int | None = None,
          **axiom_options: Any) -> AxiomReport:
    """Search for a violation of ``axiom`` by ``rule``.

    Parameters
    ----------
    rule : str, callable or sc.axioms.rule
        A registered rule name, a registered rule function (or ``functools.partial`` of one with
        options), or any callable ``f(profile) -> winner mask / indices / RuleResult`` (a
        callable with ``vectorized=True``, or wrapped by :class:`socialchoice.axioms.rule`,
        receives whole batches). For bargaining axioms: a bargaining solution name.
    axiom : str
        An axiom id or alias (``sc.axioms.names()``).
    max_candidates, max_voters : int
        Bounds of the search.
    method : {"exhaustive", "random", "hypothesis"}
        ``"exhaustive"`` enumerates every anonymous profile (multisets of ballot types),
        fewest voters first, then fewest candidates, so the first witness is minimal;
        ``"random"`` samples ``n_profiles`` profiles per culture and shrinks a witness;
        ``"hypothesis"`` uses hypothesis's shrinking.
    ballots : {"linear", "truncated", "weak"}
        Ballot domain.
    seed : optional
        Seed of the random methods.
    progress, time_limit
        Progress bar (``True``) or callable; seconds before ``TimeLimitError``.
    find : {"first", "all"}
        ``"all"`` searches the whole space and counts violating profiles per ``(m, n)`` in
        ``searched["violations"]``.
    n_profiles : int
        Profiles per culture for ``method="random"``; problems for bargaining axioms.
    min_candidates : int, optional
        Smallest number of candidates searched, for a rule defined only from some size on
        (``k_approval`` with ``k=2`` is a proper k-approval rule from m = 4); default: the
        axiom's own minimum. Recorded in ``searched["min_candidates"]``.
    **axiom_options
        Axiom options (``set_preference=`` for participation).

    Returns
    -------
    AxiomReport

    Examples
    --------
    >>> import socialchoice as sc
    >>> rep = sc.axioms.check("borda", "condorcet_winner", max_candidates=3, max_voters=5)
    >>> rep.holds, rep.counterexample.n_voters
    (False, 3)
    >>> sc.axioms.check("schulze", "condorcet_winner", max_candidates=3, max_voters=4).holds
    True
    """
    spec = _spec(axiom)
    name = spec.name
    if spec.family == "bargaining":
        from ._bargaining import check_bargaining

        return check_bargaining(rule, name, n_problems=axiom_options.pop("n_problems", n_profiles),
                                seed=seed, **axiom_options)
    if method not in _METHODS:
        raise ValidationError(f"`method`={method!r}; pass one of {', '.join(_METHODS)}")
    if ballots not in BALLOTS:
        raise ValidationError(f"`ballots`={ballots!r}; pass one of {', '.join(BALLOTS)}")
    if find not in ("first", "all"):
        raise ValidationError(f"`find`={find!r}; pass 'first' or 'all'")
    for nm, v, lo in (("max_candidates", max_candidates, 2), ("max_voters", max_voters, 1)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < lo:
            raise ValidationError(f"`{nm}`={v!r}; pass an integer >= {lo}")
    allowed = spec.meta.get("options") or {}
    for k, v in axiom_options.items():
        if k not in allowed:
            raise ValidationError(
                f"unknown option {k!r} for axiom {name!r}"
                + (f"; it takes {', '.join(allowed)}" if allowed else "; it takes none"))
        if v not in allowed[k]:
            raise ValidationError(f"`{k}`={v!r}; pass one of {allowed[k]}")
    if find == "all" and method != "exhaustive":
        raise ValidationError("`find='all'` needs method='exhaustive'")
    adapter = RuleAdapter(rule)
    why = _applicable(spec, adapter, ballots)
    if why:
        raise ValidationError(why)
    min_m = E.min_candidates(name)
    if max_candidates < min_m:
        raise ValidationError(f"`max_candidates`={max_candidates}: axiom {name!r} needs at least "
                              f"{min_m} candidates")
    if min_candidates is not None:
        if isinstance(min_candidates, bool) or not isinstance(min_candidates, (int, np.integer)) \
                or not min_m <= min_candidates <= max_candidates:
            raise ValidationError(
                f"`min_candidates`={min_candidates!r}: pass an integer from {min_m} (what axiom "
                f"{name!r} needs) to `max_candidates`={max_candidates}")
        min_m = int(min_candidates)
    if method == "exhaustive":
        if max_candidates > 6:
            raise ValidationError(
                f"`max_candidates`={max_candidates}: exhaustive search handles up to 6 "
                "candidates; use method='random'")
        wit, searched = E.exhaustive(name, adapter, max_candidates=max_candidates,
                                     max_voters=max_voters, ballots=ballots, find=find,
                                     progress=progress, time_limit=time_limit,
                                     opts=axiom_options, min_m=min_m)
        holds = wit is None
        if find == "all":
            holds = not any(searched["violations"].values())
        searched["min_candidates"] = min_m
        return AxiomReport(adapter.name, name, holds, wit, searched)
    if method == "random":
        wit, searched = _random_search(name, adapter, max_candidates=max_candidates,
                                       max_voters=max_voters, ballots=ballots, seed=seed,
                                       n_profiles=n_profiles, opts=axiom_options,
                                       progress=progress, time_limit=time_limit, min_m=min_m)
    else:
        wit, searched = _hypothesis_search(name, adapter, max_candidates=max_candidates,
                                           max_voters=max_voters, ballots=ballots, seed=seed,
                                           n_profiles=n_profiles, opts=axiom_options, min_m=min_m)
    searched["min_candidates"] = min_m
    return AxiomReport(adapter.name, name, False if wit else None, wit, searched)


# ---------------------------------------------------------------------------- one profile
def _profile_violation(axiom: str, adapter: RuleAdapter, ranks: np.ndarray, weights, ballots,
                       opts, out0=None) -> Witness | None:
    if out0 is None:
        out0 = adapter(ranks[None], None if weights is None else np.asarray(weights, float)[None])
    if axiom in E.SINGLE:
        p = E._prof(ranks, weights)
        reason = E.judge(axiom, [p], [out0], {}, adapter.probabilistic, opts)
        if reason is None:
            return None
        return E._witness_from(axiom, adapter, [p], [out0],
                               {"kind": "none", "ballots": ballots, "options": opts}, reason)
    found = E.relational_violation(axiom, adapter, ranks, weights, out0, ballots, opts)
    if not found:
        return None
    w = found[0]
    tr = dict(w.transformation, ballots=ballots, options=opts)
    return Witness(w.axiom, w.rule, w.profiles, tr, w.outcomes, w.lotteries, w.explanation)


def _ballot_domain(ranks: np.ndarray) -> str:
    if (ranks < 0).any():
        return "truncated"
    srt = np.sort(ranks, -1)
    return "linear" if (srt == np.arange(ranks.shape[-1])).all() else "weak"


def violations(profile: Any, rule: Any, axioms: Any = None, *,
               max_splits: int = 2000) -> list[Witness]:
    """The axioms ``rule`` violates on this very profile, each with a witness.

    Single-profile axioms are decided directly; relational ones by searching the
    transformations that start from ``profile`` (lifts of each winner on each ballot, removal
    of each ballot, splits (at most ``max_splits``), clone deletions, Smith-dominated
    deletions, reversal, replication, relabelling, ...). Weighted profiles are multisets of
    their rows with those weights.

    Parameters
    ----------
    profile : Rankings
        One election.
    rule : str or callable
        As for :func:`check`.
    axioms : sequence of str, optional
        Axiom ids (default: every ordinal axiom that applies to the rule and the ballots).
    max_splits : int
        Most electorate splits tried for reinforcement.

    Returns
    -------
    list of Witness

    Examples
    --------
    >>> import socialchoice as sc
    >>> P = sc.Rankings.from_orders([[0, 1, 2]] * 2 + [[2, 1, 0]] * 2 + [[1, 0, 2]])
    >>> [w.axiom for w in sc.axioms.violations(P, "instant_runoff", ["condorcet_winner"])]
    ['condorcet_winner']
    """
    from . import names

    if not isinstance(profile, Rankings):
        raise ValidationError(f"`profile` must be sc.Rankings, got {type(profile).__name__}")
    ranks = np.asarray(profile.ranks)
    if ranks.ndim != 2:
        raise ValidationError(f"`profile` must be one election (n, m), got shape {ranks.shape}")
    adapter = RuleAdapter(rule)
    ballots = _ballot_domain(ranks)
    if axioms is None:
        axioms = [a for a in names() if _spec(a).family != "bargaining"]
        axioms = [a for a in axioms if _applicable(_spec(a), adapter, ballots) is None]
        if ballots == "truncated":
            axioms += [a for a in ("later_no_harm", "later_no_help") if a not in axioms]
        skip_heavy = ranks.shape[-1] > 5
        if skip_heavy:
            axioms = [a for a in axioms if a not in ("iia", "resolvability")]
    else:
        if isinstance(axioms, str):
            axioms = [axioms]
        axioms = [_spec(a).name for a in axioms]
        for a in axioms:
            why = _applicable(_spec(a), adapter, ballots)
            if why and not (a in ("later_no_harm", "later_no_help") and ballots != "linear"):
                raise ValidationError(why)
    weights = profile.weights
    w = None if weights is None else np.asarray(weights, float)
    out0 = adapter(ranks[None], None if w is None else w[None])
    res = []
    for a in axioms:
        if a == "reinforcement":
            found = E.relational_violation(a, adapter, ranks, w, out0, ballots, {},
                                           max_splits=max_splits)
            wit = found[0] if found else None
        else:
            wit = _profile_violation(a, adapter, ranks, w, ballots, {}, out0=out0)
        if wit is not None:
            res.append(wit)
    return res


# ---------------------------------------------------------------------------- random search
_CULTURES = (("impartial_culture", {}), ("impartial_anonymous_culture", {}),
             ("mallows", {"phi": 0.5}), ("mallows", {"phi": 0.8}), ("urn", {"alpha": 1.0}))


def _generate(culture, opts, n, m, k, rng) -> np.ndarray:
    from .. import generate

    prof = generate.get(culture)(n, m, n_items=k, rng=rng, **opts)
    return np.asarray(prof.ranks)


def _truncate(ranks: np.ndarray, ballots: str, rng) -> np.ndarray:
    if ballots == "linear":
        return ranks
    r = ranks.astype(np.int64).copy()
    m = r.shape[-1]
    if ballots == "truncated":
        k = rng.integers(1, m, size=r.shape[:-1])  # keep the top k (k = m-1 is complete)
        r = np.where(r >= k[..., None], -1, r)
        single = (r < 0).sum(-1, keepdims=True) == 1
        r = np.where(single & (r < 0), m - 1, r)
    else:
        merge = rng.random(r.shape[:-1] + (m - 1,)) < 0.3  # tie adjacent positions
        levels = np.concatenate([np.zeros(r.shape[:-1] + (1,), int),
                                 np.cumsum(~merge, -1)], -1)
        r = np.take_along_axis(levels, r, -1)
    return r.astype(np.int8)


def _shrink(axiom, adapter, ranks, ballots, opts, wit, min_m):
    """Drop voters, merge ballots, delete candidates while the violation persists."""
    improved = True
    while improved:
        improved = False
        n, m = ranks.shape
        cands = []
        for i in range(n):
            if n > 1:
                cands.append(np.delete(ranks, i, 0))
        for i in range(n):
            for j in range(n):
                if i != j and not (ranks[i] == ranks[j]).all():
                    r2 = ranks.copy()
                    r2[i] = ranks[j]
                    cands.append(r2)
        if m > min_m:
            for c in range(m):
                cands.append(E._delete(ranks, c))
        cands.sort(key=lambda r: (r.shape[0], r.shape[1], len(np.unique(r, axis=0))))
        for r2 in cands:
            if (r2.shape[0], r2.shape[1], len(np.unique(r2, axis=0))) >= \
                    (ranks.shape[0], ranks.shape[1], len(np.unique(ranks, axis=0))):
                continue
            w2 = _profile_violation(axiom, adapter, r2, None, ballots, opts)
            if w2 is not None:
                ranks, wit, improved = r2, w2, True
                break
    return wit


def _random_search(axiom, adapter, *, max_candidates, max_voters, ballots, seed, n_profiles,
                   opts, progress, time_limit, min_m):
    from .._chunks import run_chunked

    t0 = time.perf_counter()
    rng = resolve_rng(seed)
    jobs = [(c, o, m) for c, o in _CULTURES for m in range(min_m, max_candidates + 1)]
    stats = {"n_evaluated": 0}
    found: list = []

    def work(a, b):
        for culture, copts, m in jobs[a:b]:
            if found:
                return
            n_each = max(1, n_profiles // max_voters)
            for n in range(1, max_voters + 1):
                R = _truncate(_generate(culture, copts, n, m, n_each, rng), ballots, rng)
                out = adapter(R)
                stats["n_evaluated"] += len(R)
                if axiom in E.SINGLE:
                    bad = np.flatnonzero(E.SINGLE[axiom](R, np.ones(R.shape[:-1]), out, **opts))
                    rows = bad[:1]
                else:
                    rows = range(len(R))
                for k in rows:
                    wit = _profile_violation(axiom, adapter, R[k], None, ballots, opts,
                                             out0=out.take(slice(k, k + 1)))
                    if wit is not None:
                        found.append(_shrink(axiom, adapter, R[k], ballots, opts, wit, min_m))
                        return

    run_chunked(work, len(jobs), chunk=1, progress=progress, time_limit=time_limit,
                desc=f"{axiom} (random)")
    wit = found[0] if found else None
    if wit is not None:
        wit = Witness(wit.axiom, wit.rule, wit.profiles, wit.transformation, wit.outcomes,
                      wit.lotteries, wit.explanation, seed=seed)
    searched = {"method": "random", "ballots": ballots, "max_candidates": max_candidates,
                "max_voters": max_voters, "n_profiles": int(stats["n_evaluated"]),
                "n_evaluated": int(stats["n_evaluated"]), "n_transformations": 0,
                "cultures": [c for c, _ in _CULTURES], "seed": seed,
                "elapsed": time.perf_counter() - t0}
    return wit, searched


def _hypothesis_search(axiom, adapter, *, max_candidates, max_voters, ballots, seed,
                       n_profiles, opts, min_m):
    from hypothesis import HealthCheck, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    t0 = time.perf_counter()
    doms = {m: domain(m, ballots) for m in range(min_m, max_candidates + 1)}
    strat = st.integers(min_m, max_candidates).flatmap(
        lambda m: st.tuples(st.just(m), st.lists(st.integers(0, doms[m].B - 1), min_size=1,
                                                 max_size=max_voters)))
    count = {"n": 0}

    def bad(example):
        m, idx = example
        count["n"] += 1
        ranks = doms[m].types[np.sort(np.array(idx))]
        return _profile_violation(axiom, adapter, ranks, None, ballots, opts) is not None

    wit = None
    try:
        ex = find(strat, bad, settings=settings(max_examples=n_profiles, database=None,
                                                derandomize=seed is None,
                                                suppress_health_check=list(HealthCheck)),
                  random=None if seed is None else np.random.RandomState(0) and __import__(
                      "random").Random(seed))
        m, idx = ex
        ranks = doms[m].types[np.sort(np.array(idx))]
        wit = _profile_violation(axiom, adapter, ranks, None, ballots, opts)
        if wit is not None:  # hypothesis shrinks the index list; finish with our moves
            wit = _shrink(axiom, adapter, ranks, ballots, opts, wit, min_m)
    except NoSuchExample:
        pass
    searched = {"method": "hypothesis", "ballots": ballots, "max_candidates": max_candidates,
                "max_voters": max_voters, "n_profiles": count["n"], "n_evaluated": count["n"],
                "n_transformations": 0, "seed": seed, "elapsed": time.perf_counter() - t0}
    return wit, searched


# ---------------------------------------------------------------------------- rate
def rate(rule: Any, axiom: str, *, culture: str = "impartial_culture", n_voters: int,
         n_candidates: int, n_profiles: int, seed: Any = None, progress: Any = None,
         time_limit: float | None = None, **culture_options: Any) -> RateResult:
    """Share of generated profiles on which ``rule`` violates ``axiom``, with a Wilson 95% interval.

    Profiles come from ``sc.generate.get(culture)`` in chunks; single-profile axioms are judged
    on whole chunks at once, relational ones profile by profile over their transformations.

    Examples
    --------
    >>> import socialchoice as sc
    >>> r = sc.axioms.rate("plurality", "condorcet_winner", n_voters=11, n_candidates=3,
    ...                    n_profiles=2000, seed=1)
    >>> 0.05 < r.estimate < 0.4
    True
    """
    from .. import generate, stats
    from .._chunks import run_chunked

    spec = _spec(axiom)
    if spec.family == "bargaining":
        raise ValidationError(f"`axiom`={axiom!r}: rate() is for ordinal axioms")
    for nm, v in (("n_voters", n_voters), ("n_candidates", n_candidates), ("n_profiles", n_profiles)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValidationError(f"`{nm}`={v!r}; pass a positive integer")
    adapter = RuleAdapter(rule)
    why = _applicable(spec, adapter, "linear")
    if why:
        raise ValidationError(why)
    gen = generate.get(culture)
    rng = resolve_rng(seed)
    chunk = max(1, min(n_profiles, 2_000_000 // max(1, n_voters * n_candidates)))
    counts = []

    def work(a, b):
        prof = gen(n_voters, n_candidates, n_items=b - a, rng=rng, **culture_options)
        R = np.asarray(prof.ranks)
        out = adapter(R)
        if spec.name in E.SINGLE:
            return int(E.SINGLE[spec.name](R, np.ones(R.shape[:-1]), out).sum())
        c = 0
        for k in range(len(R)):
            c += _profile_violation(spec.name, adapter, R[k], None, "linear", {},
                                    out0=out.take(slice(k, k + 1))) is not None
        return c

    counts = run_chunked(work, n_profiles, chunk=chunk, progress=progress, time_limit=time_limit,
                         desc=f"rate {spec.name}")
    x = int(sum(counts))
    ci = stats.wilson(x, n_profiles)
    return RateResult(x / n_profiles, float(ci.low), float(ci.high), int(n_profiles), x)


# ---------------------------------------------------------------------------- matrix
def _borda_vector(m, r):
    return float(m - 1 - r)


#: options for rules that cannot run on their defaults (the matrix labels them)
MATRIX_OPTIONS: dict[str, dict[str, Any]] = {"k_approval": {"k": 2}, "scoring": {"score": _borda_vector}}
#: smallest profiles on which a matrix rule is what its row claims: 2-approval is neither
#: plurality (m = 2) nor the veto rule (m = 3) from m = 4 on (docs/axioms.md §4: 2 <= k < m - 1)
MATRIX_MIN_CANDIDATES: dict[str, int] = {"k_approval": 4}

def replay(witness: Witness, rule: Any = None) -> bool:
    return witness.replay(rule)


def matrix(rules: Any = None, axioms: Any = None, *, max_candidates: int = 3,
           max_voters: int = 5, ballots: str = "linear", progress: Any = None,
           time_limit: float | None = None):
    """Rules x axioms table: ``"Y"`` (no violation in the bounded exhaustive search),
    ``"N"`` (a minimal witness was found), ``"n.a."`` (the axiom does not apply), ``"?"`` (the
    search hit ``time_limit`` before covering the bounds: nothing established).

    The witnesses, what each search covered and the search bounds are in
    ``DataFrame.attrs["witnesses"]``, ``attrs["searched"]`` and ``attrs["bounds"]``; proofs of
    the Y cells are in ``proofs/claims/axioms_*.md``.

    Examples
    --------
    >>> import socialchoice as sc
    >>> df = sc.axioms.matrix(["borda", "schulze"], ["condorcet_winner"], max_voters=5)
    >>> df.loc["borda", "condorcet_winner"], df.loc["schulze", "condorcet_winner"]
    ('N', 'Y')
    """
    import pandas as pd

    from .. import rules as R
    from . import names

    rules = list(R.names()) if rules is None else ([rules] if isinstance(rules, str) else list(rules))
    axioms = [a for a in names() if _spec(a).family != "bargaining"] if axioms is None else \
        ([axioms] if isinstance(axioms, str) else list(axioms))
    axioms = [_spec(a).name for a in axioms]
    cells: dict = {}
    wits: dict = {}
    notes: dict = {}
    searched: dict = {}
    import functools

    for r in rules:
        if isinstance(r, str) and R.info(r).name in MATRIX_OPTIONS:
            r = functools.partial(R.get(r), **MATRIX_OPTIONS[R.info(r).name])
        ad = RuleAdapter(r)
        rname = ad.registered or ad.name
        rule_min = MATRIX_MIN_CANDIDATES.get(rname, 2)
        for a in axioms:
            spec = _spec(a)
            b = spec.meta["ballots"][0] if ballots not in spec.meta["ballots"] else ballots
            top = min(max_candidates, 3) if a == "sd_efficiency" else max_candidates
            if spec.family == "bargaining" or _applicable(spec, ad, b) is not None \
                    or top < max(E.min_candidates(a), rule_min):
                cells[(rname, a)] = "n.a."
                if top < rule_min:
                    notes[(rname, a)] = (f"{ad.name} is searched from {rule_min} candidates on; "
                                         f"the bound is {top}")
                continue
            low = max(E.min_candidates(a), rule_min)
            try:
                if a == "sd_efficiency":
                    rep = check(r, a, max_candidates=top, max_voters=min(max_voters, 4),
                                ballots=b, min_candidates=low)
                else:
                    rep = check(r, a, max_candidates=max_candidates, max_voters=max_voters,
                                ballots=b, progress=progress, time_limit=time_limit,
                                min_candidates=low)
            except TimeLimitError as exc:  # not established within the time: say so
                cells[(rname, a)] = "?"
                notes[(rname, a)] = str(exc)
                continue
            except SocialChoiceError as exc:
                cells[(rname, a)] = "n.a."
                notes[(rname, a)] = str(exc)
                continue
            searched[(rname, a)] = dict(rep.searched)
            cells[(rname, a)] = "Y" if rep.holds else "N"
            if rep.counterexample is not None:
                wits[(rname, a)] = rep.counterexample
    index = [RuleAdapter(r).registered or RuleAdapter(r).name for r in rules]
    df = pd.DataFrame([[cells[(i, a)] for a in axioms] for i in index], index=index,
                      columns=axioms)
    df.attrs["witnesses"] = wits
    df.attrs["notes"] = notes
    df.attrs["searched"] = searched
    df.attrs["options"] = {k: {o: repr(v) for o, v in opts.items()}
                           for k, opts in MATRIX_OPTIONS.items()}
    df.attrs["bounds"] = {"max_candidates": max_candidates, "max_voters": max_voters,
                          "ballots": ballots}
    return df
