"""Distributional-pluralism metrics (docs/divergences.md §4).

Tables are pandas DataFrames in long form, one row per (question, group):

- human table: ``question``, ``group``, ``distribution`` (a 1-D array per row), optionally
  ``options`` (the option labels, needed to leave out non-substantive options) and ``values``
  (ordinal positions, default ``1..N``);
- model table: ``question``, ``distribution`` and, for a steered model, ``group`` (the
  steering target) and ``context`` (the prompt style).

Distributions in a row are over the same options, in the same order, as the human row they
are matched with. Presets reproduce the published definitions: ``"opinionqa"`` (Santurkar et
al. 2023: ``1 - W1/(N-1)``), ``"globalopinionqa"`` (Durmus et al. 2023: ``1 - JS distance``,
base 2) and ``"distalign"`` (Meister et al. 2025: total variation, lower is better).

Coverage: a (question, group) pair is scored only when both tables have it. Everything left
out (human questions the model did not answer, groups none of whose questions were answered,
pairs whose distribution has no substantive mass) is counted on the result's
:class:`Coverage` and announced with a :class:`~socialchoice.errors.CoverageWarning`.

Non-substantive options: ``"Refused"``, ``"DK/Refused"``, ``"No answer"``... are not points
of an answer scale. Ordinal metrics (the ``"opinionqa"`` preset, ``wasserstein_ordinal``,
``cramer``, ``energy``) leave the labels in :data:`NON_SUBSTANTIVE_OPTIONS` out by default and
renormalise over the remaining (substantive) options; the dropped mass is reported as
``refusal_model`` / ``refusal_human``. Labels are matched exactly, from the ``options``
column: nothing is guessed. Pass ``drop_options=()`` to keep every option, or your own list.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .._chunks import run_chunked
from .._compat import renamed_parameters
from .._random import resolve_rng
from ..errors import ConventionWarning, CoverageWarning, DistributionError, ValidationError
from . import _dispatch, _divergences
from ._api import TupleLike, check_int, check_level

__all__ = [
    "PRESETS",
    "NON_SUBSTANTIVE_OPTIONS",
    "Preset",
    "Coverage",
    "AlignmentResult",
    "DistributionalAlignmentResult",
    "HumanBaselineResult",
    "ClosestGroupResult",
    "SteeringEffectResult",
    "OvertonResult",
    "question_scores",
    "alignment",
    "representativeness",
    "closest_group",
    "human_baseline",
    "steerability",
    "steering_effect",
    "overton_coverage",
    "distributional_alignment",
]

#: Option labels that are not points of an answer scale (exact, case-sensitive matches, as
#: they appear in the Pew / World Values Survey questions of OpinionQA and GlobalOpinionQA).
#: Volunteered *substantive* answers such as "Neither (VOL)" are deliberately not listed.
NON_SUBSTANTIVE_OPTIONS = frozenset({
    "Refused", "DK/Refused", "Don't know", "Don't know/Refused", "Don't know/No answer",
    "DK", "No answer", "No answer/refused", "Missing; Unknown",
    "Other missing; Multiple answers Mail (EVS)", "Not sure",
})


class Preset(NamedTuple):
    """A published alignment metric.

    Attributes
    ----------
    metric : str
        How a (question, group) score is computed.
    higher_is_better : bool
    description : str
    drop_options : frozenset of str
        Option labels left out of the scale by default (``drop_options="auto"``).
    """

    metric: str
    higher_is_better: bool
    description: str
    drop_options: frozenset = frozenset()


PRESETS = {
    "opinionqa": Preset("1 - wasserstein_ordinal(normalized=True)", True,
                        "Santurkar et al. 2023, 1 - W1/(max x - min x) over substantive options",
                        NON_SUBSTANTIVE_OPTIONS),
    "globalopinionqa": Preset("1 - jensen_shannon_distance", True,
                              "Durmus et al. 2023, 1 - JS distance (base 2), all options"),
    "distalign": Preset("total_variation", False, "Meister et al. 2025, total variation"),
}


@dataclass(frozen=True)
class Coverage:
    """What a table-based metric scored, and what it left out.

    Attributes
    ----------
    n_questions : int
        Questions with at least one scored (question, group) pair.
    n_questions_human, n_questions_model : int
        Distinct questions in the human and in the model table.
    n_groups, n_groups_human : int or None
        Groups with a scored pair / groups in the human table (None without a ``group`` column).
    n_pairs : int
        Scored (question, group) pairs.
    n_pairs_no_model : int
        Human pairs left out because the model table has no row for them.
    n_pairs_no_substantive : int
        Pairs left out because a distribution had no substantive mass (all on dropped
        options) or held NaN.
    groups_dropped : tuple
        Human groups none of whose pairs could be scored.
    n_questions_model_only : int
        Model questions without any human distribution.
    """

    n_questions: int
    n_questions_human: int
    n_questions_model: int
    n_groups: int | None
    n_groups_human: int | None
    n_pairs: int
    n_pairs_no_model: int
    n_pairs_no_substantive: int
    groups_dropped: tuple = ()
    n_questions_model_only: int = 0

    @property
    def n_questions_dropped(self) -> int:
        """Human questions without any scored pair."""
        return self.n_questions_human - self.n_questions

    @property
    def n_groups_dropped(self) -> int:
        """Human groups without any scored pair (0 without groups)."""
        return 0 if self.n_groups_human is None else self.n_groups_human - self.n_groups

    def message(self) -> str:
        """A sentence naming what was dropped and why ('' when nothing was)."""
        parts = []
        if self.n_questions_dropped:
            parts.append(f"the model covers {self.n_questions} of {self.n_questions_human} "
                         f"human questions ({self.n_questions_dropped} dropped: no model "
                         "distribution or no substantive answer)")
        if self.n_groups_dropped:
            parts.append(f"{self.n_groups} of {self.n_groups_human} groups are scored "
                         f"({self.n_groups_dropped} dropped: none of their questions could be "
                         "scored)")
        if self.n_pairs_no_model:
            parts.append(f"{self.n_pairs_no_model} (question, group) pairs have no model row")
        if self.n_pairs_no_substantive:
            parts.append(f"{self.n_pairs_no_substantive} pairs dropped: no substantive mass "
                         "(all on dropped options) or NaN")
        if self.n_questions_model_only:
            parts.append(f"{self.n_questions_model_only} model questions have no human "
                         "distribution")
        return "; ".join(parts)


def _need_pandas(df, name):
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"`{name}` must be a pandas DataFrame in long form")
    if "question" not in df.columns or "distribution" not in df.columns:
        raise ValidationError(
            f"`{name}` needs columns 'question' and 'distribution'; it has {list(df.columns)}"
        )
    return df


def _scores(P, H, *, preset, metric, base, values, kwargs):
    """Per-row score of model rows P against human rows H, both (n, K)."""
    if preset == "opinionqa":
        return 1.0 - _divergences.wasserstein_ordinal(P, H, values=values, normalized=True,
                                                      **kwargs)
    if preset == "globalopinionqa":
        return 1.0 - _divergences.jensen_shannon_distance(P, H, base=base, **kwargs)
    if preset == "distalign":
        return _divergences.total_variation(P, H, **kwargs)
    f = _dispatch.registry.get(metric)
    kw = dict(kwargs)
    if metric in ("kl", "jensen_shannon", "jensen_shannon_distance") and base is not None:
        kw["base"] = base
    if metric in ("wasserstein_ordinal", "cramer", "energy"):
        kw["values"] = values
    return f(P, H, **kw)


def _resolve(preset, metric, base, drop_options="auto"):
    """(preset, metric, base, higher_is_better, drop set) after validation."""
    if preset is not None:
        if preset not in PRESETS:
            raise ValidationError(f"`preset`={preset!r}; use one of {sorted(PRESETS)} or None")
        if preset == "globalopinionqa" and base is None:
            base = 2.0
        auto = PRESETS[preset].drop_options
        metric, hib = None, PRESETS[preset].higher_is_better
    else:
        if metric is None:
            raise ValidationError("pass `preset=` or `metric=`")
        metric = _dispatch.registry.canonical(metric)
        entry = _dispatch.registry.info(metric)
        if entry.family != "divergence":
            raise ValidationError(f"`metric`={metric!r} is not a pairwise divergence")
        auto = NON_SUBSTANTIVE_OPTIONS if entry.meta.get("ordinal") else frozenset()
        hib = False
    if isinstance(drop_options, str):
        if drop_options != "auto":
            raise ValidationError(
                f"`drop_options`={drop_options!r}; pass 'auto', None or a list of option labels"
            )
        drop, explicit = auto, False
    else:
        drop, explicit = frozenset(drop_options or ()), True
    return preset, metric, base, hib, drop, explicit


def _drop(dist, opts, drop):
    keep = np.array([o not in drop for o in opts], dtype=bool)
    d = np.asarray(dist, dtype=np.float64)
    if d.shape[0] != keep.shape[0]:
        raise DistributionError(
            f"a distribution has {d.shape[0]} entries but its row lists {keep.shape[0]} options"
        )
    tot = d.sum()
    return d[keep], float(d[~keep].sum() / tot) if tot > 0 else float("nan"), keep


def _coverage(model, human, keys, n_merged, scored) -> Coverage:
    has_g = "group" in human.columns
    hkeys = ["question", "group"] if has_g else ["question"]
    hp = human[hkeys].drop_duplicates()
    matched = hp.merge(model[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    hg = set(human["group"]) if has_g else None
    sg = set(scored["group"]) if has_g and "group" in scored.columns else set()
    hq, mq = set(human["question"]), set(model["question"])
    return Coverage(
        n_questions=int(scored["question"].nunique()),
        n_questions_human=len(hq),
        n_questions_model=len(mq),
        n_groups=None if hg is None else len(sg),
        n_groups_human=None if hg is None else len(hg),
        n_pairs=len(scored),
        n_pairs_no_model=int((matched["_merge"] == "left_only").sum()),
        n_pairs_no_substantive=n_merged - len(scored),
        groups_dropped=() if hg is None else tuple(sorted(hg - sg, key=str)),
        n_questions_model_only=len(mq - hq),
    )


def question_scores(model, human, *, preset: str | None = "opinionqa", metric: str | None = None,
                    base: float | None = None, drop_options: Any = "auto",
                    normalize: bool = True, warn: bool = True):
    """Score of the model against each group on each question (one row per pair).

    Parameters
    ----------
    model : DataFrame
        ``question, distribution`` (plus ``group`` and/or ``context`` if steered).
    human : DataFrame
        ``question, group, distribution`` (plus ``options``/``values``).
    preset : {"opinionqa", "globalopinionqa", "distalign"} or None
    metric : str, optional
        Any registered divergence when ``preset=None`` (lower is better).
    base : float, optional
        Log base for JS-type metrics (``globalopinionqa`` default 2).
    drop_options : "auto", None or sequence of str, default "auto"
        Option labels left out of the scale and renormalised away (read from the ``options``
        column of ``human``); their mass is reported as ``refusal_model`` / ``refusal_human``.
        ``"auto"``: :data:`NON_SUBSTANTIVE_OPTIONS` for ordinal metrics (the ``"opinionqa"``
        preset, ``wasserstein_ordinal``, ``cramer``, ``energy``), none for the others (the
        published GlobalOpinionQA and distalign numbers use every option). ``None`` or ``()``
        keeps every option as a point of the scale.
    normalize : bool
        Accept unnormalised rows (counts); else rows must sum to 1.
    warn : bool, default True
        Emit a :class:`~socialchoice.errors.CoverageWarning` when pairs are left out.

    Returns
    -------
    DataFrame
        The merged keys plus ``score`` (and the refusal columns when options are dropped);
        ``.attrs["coverage"]`` is the :class:`Coverage` of the scoring.

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q"], "group": ["all"],
    ...                       "distribution": [[.3, .3, .2, .1, .1]]})
    >>> model = pd.DataFrame({"question": ["q"], "distribution": [[.1, .2, .4, .2, .1]]})
    >>> s = sc.divergence.pluralism.question_scores(model, human, drop_options=None)
    >>> round(float(s.score[0]), 12)
    0.85
    """
    _need_pandas(model, "model")
    _need_pandas(human, "human")
    preset, metric, base, _, drop, explicit = _resolve(preset, metric, base, drop_options)
    keys = ["question"] + (["group"] if "group" in model.columns and "group" in human.columns
                           else [])
    hcols = [c for c in ("question", "group", "distribution", "options", "values")
             if c in human.columns]
    m = model.merge(human[hcols], on=keys, how="inner", suffixes=("_model", "_human"))
    if m.empty:
        raise ValidationError(f"`model` and `human` share no rows on {keys}")
    if drop and "options" not in m.columns:
        if explicit:
            raise ValidationError("`drop_options` needs an 'options' column in `human`")
        if warn:
            warnings.warn(
                "`human` has no 'options' column, so non-substantive options (DK/Refused, ...) "
                "cannot be left out of the ordinal scale: every option counts as a scale point. "
                "Add the option labels as an 'options' column, or pass drop_options=() to "
                "accept this", ConventionWarning, stacklevel=2)
        drop = frozenset()
    Ps, Hs, Vs, rm, rh = [], [], [], [], []
    for r in m.itertuples(index=False):
        P = np.asarray(r.distribution_model, dtype=np.float64)
        H = np.asarray(r.distribution_human, dtype=np.float64)
        if P.ndim != 1 or P.shape != H.shape:
            raise DistributionError(
                f"question {r.question!r}: the model distribution has shape {P.shape} and the "
                f"human one {H.shape}; both must be over the same options"
            )
        vals = np.asarray(r.values, dtype=np.float64) if "values" in m.columns else np.arange(
            1.0, P.shape[0] + 1)
        if drop:
            P, a, keep = _drop(P, r.options, drop)
            H, b, _ = _drop(H, r.options, drop)
            vals = vals[keep] if vals.shape[0] == keep.shape[0] else vals
            rm.append(a)
            rh.append(b)
        Ps.append(P)
        Hs.append(H)
        Vs.append(vals)
    score = np.full(len(Ps), np.nan)
    # vectorise over rows that share the number of options and the positions
    by_key: dict[Any, list[int]] = {}
    for i, (P, v) in enumerate(zip(Ps, Vs)):
        by_key.setdefault((P.shape[0], v.tobytes()), []).append(i)
    for (k, _), idx in by_key.items():
        if k == 0:  # every option dropped
            continue
        P = np.stack([Ps[i] for i in idx])
        H = np.stack([Hs[i] for i in idx])
        with warnings.catch_warnings():  # empty rows are counted on the coverage instead
            warnings.simplefilter("ignore", _dispatch.EmptyDistributionWarning)
            score[idx] = _scores(P, H, preset=preset, metric=metric, base=base,
                                 values=Vs[idx[0]], kwargs={"normalize": normalize})
    out = m[[c for c in m.columns if c not in ("distribution_model", "distribution_human",
                                               "options", "values")]].copy()
    out["score"] = score
    if drop:
        out["refusal_model"] = rm
        out["refusal_human"] = rh
    n_merged = len(out)
    out = out[~np.isnan(score)].reset_index(drop=True)
    if out.empty:
        raise ValidationError("no (question, group) pair could be scored: every shared pair "
                              "has no substantive mass or holds NaN")
    cov = _coverage(model, human, keys, n_merged, out)
    out.attrs["coverage"] = cov
    if warn and cov.message():
        warnings.warn(cov.message() + "; averages use only the scored pairs (see "
                      "`.coverage`)", CoverageWarning, stacklevel=2)
    return out


@dataclass(frozen=True)
class AlignmentResult:
    """Alignment of a model with human distributions.

    Attributes
    ----------
    scores : DataFrame or ndarray
        Per (question, group) scores.
    per_group : DataFrame or None
        ``score`` (reduction over that group's questions) and ``n_questions`` per group.
    value : float
        The reduction over groups of the per-group values for tables; over questions for
        arrays.
    preset, metric : str or None
    base : float or None
        Log base used by JS-type metrics.
    higher_is_better : bool
    coverage : Coverage or None
        What was scored and left out (tables only).
    drop_options : tuple of str
        Option labels left out of the scale.
    """

    scores: Any
    per_group: Any
    value: float
    preset: str | None
    metric: str | None
    base: float | None
    higher_is_better: bool
    coverage: Coverage | None = None
    drop_options: tuple = ()


_REDUCERS = {"mean": np.mean, "median": np.median, "min": np.min, "max": np.max}


def _is_table(x) -> bool:
    return type(x).__module__.split(".")[0] == "pandas"


@renamed_parameters(aggregate="reduce")
def alignment(model, human, *, preset: str | None = None,
              metric: str | None = "jensen_shannon_distance", reduce: str = "mean",
              base: float | None = None, values=None, axis: int = -1, drop_options: Any = "auto",
              normalize: bool = True) -> AlignmentResult:
    """General alignment ``reduce_q score(D_m(q), D_h(q))`` of arrays or tables (§4).

    Parameters
    ----------
    model, human : array_like (..., K) or DataFrame
        Arrays: one distribution per question along the leading axes. Tables: see
        :func:`question_scores`.
    preset : {"opinionqa", "globalopinionqa", "distalign"}, optional
        Overrides ``metric``.
    metric : str
        A registered divergence (lower is better) when no preset is given.
    reduce : {"mean", "median", "min", "max"}
        How per-question scores are combined (per group for tables, then over groups).
        (``aggregate=`` is the deprecated old name.)
    base, values, axis, normalize
        Passed to the divergence.
    drop_options : "auto", None or sequence of str
        Options left out of the scale (tables only); see :func:`question_scores`.

    Examples
    --------
    >>> import socialchoice as sc
    >>> res = sc.divergence.pluralism.alignment([.1, .2, .4, .2, .1], [.3, .3, .2, .1, .1],
    ...                                         preset="globalopinionqa")
    >>> round(res.value, 12), res.base
    (0.714039161475, 2.0)
    """
    if reduce not in _REDUCERS:
        raise ValidationError(f"`reduce`={reduce!r}; use one of {sorted(_REDUCERS)}")
    preset, metric, base, hib, drop, explicit = _resolve(preset, metric, base, drop_options)
    if _is_table(model) or _is_table(human):
        s = question_scores(model, human, preset=preset, metric=metric, base=base,
                            drop_options=drop_options, normalize=normalize)
        red = _REDUCERS[reduce]
        if "group" in s.columns:
            pg = s.groupby("group", sort=True)["score"].agg(
                score=lambda x: red(x.to_numpy()), n_questions="size").reset_index()
            val = float(red(pg["score"].to_numpy()))
        else:
            pg = None
            val = float(red(s["score"].to_numpy()))
        used = tuple(sorted(drop)) if "refusal_human" in s.columns else ()
        return AlignmentResult(s, pg, val, preset, metric, base, hib, s.attrs["coverage"], used)
    try:
        P = np.moveaxis(np.asarray(model, dtype=np.float64), axis, -1)
        H = np.moveaxis(np.asarray(human, dtype=np.float64), axis, -1)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"`model`/`human` must be numeric arrays or DataFrames ({exc})") \
            from None
    except np.exceptions.AxisError:
        raise ValidationError(f"`axis`={axis} is out of range for `model`/`human`") from None
    vals = None
    if preset == "opinionqa":
        vals = np.arange(1.0, P.shape[-1] + 1) if values is None else values
    elif values is not None:
        vals = values
    sc = np.asarray(_scores(P, H, preset=preset, metric=metric, base=base, values=vals,
                            kwargs={"normalize": normalize}))
    return AlignmentResult(sc[()] if sc.ndim == 0 else sc, None,
                           float(_REDUCERS[reduce](sc)), preset, metric, base, hib)


def _score_matrix(scores):
    """(groups, G x Q score matrix with NaN for missing pairs, questions)."""
    g_lab, gi = np.unique(scores["group"].to_numpy().astype(object), return_inverse=True)
    q_lab, qi = np.unique(scores["question"].to_numpy().astype(object), return_inverse=True)
    S = np.full((g_lab.size, q_lab.size), np.nan)
    S[gi, qi] = scores["score"].to_numpy(dtype=np.float64)
    return g_lab, S, q_lab


def group_question_bootstrap(S, *, n_resamples: int = 2000, rng=None, batch: int | None = None,
                             progress: Any = None):
    """Question-cluster bootstrap of ``mean_g mean_{q in g} S[g, q]`` (private helper).

    ``S`` is groups x questions with NaN where a group has no score. Each replicate draws the
    questions with replacement (multinomial counts over the columns) and recomputes every
    group's mean over its resampled questions and the mean over groups: questions are the unit
    the value averages, so they are what is resampled, and the scores of one question stay
    together across groups. Returns ``(value_reps (B,), group_reps (B, G))``; a group none of
    whose questions was drawn is NaN in that replicate and left out of its mean over groups.
    """
    gen = resolve_rng(rng)
    G, Q = S.shape
    M = (~np.isnan(S)).astype(np.float64)
    Sz = np.where(np.isnan(S), 0.0, S)
    chunk = batch or max(1, min(n_resamples, int(4e6 // max(1, Q))))

    def work(a, b):
        C = gen.multinomial(Q, np.full(Q, 1.0 / Q), size=b - a).astype(np.float64)
        num = C @ Sz.T
        den = C @ M.T
        with np.errstate(invalid="ignore", divide="ignore"):
            g = np.where(den > 0, num / den, np.nan)
        return g

    parts = run_chunked(work, n_resamples, chunk=chunk, progress=progress, desc="resamples")
    greps = np.concatenate(parts, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN replicate: cannot happen
        vreps = np.nanmean(greps, axis=1)
    return vreps, greps


def _group_intervals(per_group, greps, level, min_questions):
    a = (1 - level) / 2
    n = per_group["n_questions"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanquantile(greps, a, axis=0)
        hi = np.nanquantile(greps, 1 - a, axis=0)
    lo = np.where(n >= 2, lo, np.nan)
    hi = np.where(n >= 2, hi, np.nan)
    out = per_group.copy()
    out["low"] = lo
    out["high"] = hi
    out["ranked"] = n >= min_questions
    return out


def _rank(table, higher_is_better, min_questions, what):
    ranked = table[table["ranked"]]
    rest = table[~table["ranked"]]
    asc = not higher_is_better
    ranked = ranked.sort_values("score", ascending=asc, kind="stable")
    rest = rest.sort_values("score", ascending=asc, kind="stable")
    if len(rest):
        warnings.warn(
            f"{len(rest)} of {len(table)} groups have fewer than min_questions={min_questions} "
            f"scored questions and are not ranked in {what} (listed last with ranked=False; "
            "their scores rest on too few questions to compare); lower `min_questions` to rank "
            "them", CoverageWarning, stacklevel=3)
    import pandas as pd

    return pd.concat([ranked, rest]).reset_index(drop=True)


def representativeness(model, human, *, preset: str | None = "opinionqa",
                       metric: str | None = None, base: float | None = None,
                       drop_options: Any = "auto", min_questions: int = 5,
                       confidence_level: float = 0.95, n_resamples: int = 2000, rng=None):
    """Representativeness ``R_m^G = mean_q A(D_m, D_G; q)`` for every group G (§4.1).

    An unweighted mean over the questions each group answered, with a percentile interval
    from a bootstrap over questions (NaN for a group scored on fewer than 2 questions).

    Parameters
    ----------
    model, human : DataFrame
        See :func:`question_scores`.
    preset, metric, base, drop_options
        As in :func:`question_scores`.
    min_questions : int, default 5
        Only groups scored on at least this many questions are ranked; the others are listed
        after them with ``ranked=False`` (and a
        :class:`~socialchoice.errors.CoverageWarning`): a group scored on one question cannot
        be called the best represented.
    confidence_level : float, default 0.95
    n_resamples : int, default 2000
        Question-bootstrap replicates for the intervals.
    rng : optional
        Seed or generator for the bootstrap.

    Returns
    -------
    DataFrame
        ``group, score, n_questions, low, high, ranked``; ranked groups first, best first.
        ``.attrs["coverage"]`` is the :class:`Coverage`.

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q", "q"], "group": ["a", "b"],
    ...                       "distribution": [[.3, .3, .2, .1, .1], [.1, .2, .4, .2, .1]]})
    >>> model = pd.DataFrame({"question": ["q"], "distribution": [[.1, .2, .4, .2, .1]]})
    >>> t = sc.divergence.pluralism.representativeness(model, human, min_questions=1,
    ...                                                drop_options=None, rng=0)
    >>> t[["group", "score", "n_questions"]].round(6).values.tolist()
    [['b', 1.0, 1], ['a', 0.85, 1]]
    """
    min_questions = check_int(min_questions, "min_questions")
    level = check_level(confidence_level)
    n_resamples = check_int(n_resamples, "n_resamples", low=2)
    res = alignment(model, human, preset=preset, metric=metric, base=base,
                    drop_options=drop_options)
    if res.per_group is None:
        raise ValidationError("`human` needs a 'group' column for representativeness")
    _, S, _ = _score_matrix(res.scores)
    _, greps = group_question_bootstrap(S, n_resamples=n_resamples, rng=rng)
    tab = _group_intervals(res.per_group, greps, level, min_questions)
    out = _rank(tab, res.higher_is_better, min_questions, "representativeness")
    out.attrs["coverage"] = res.coverage
    return out


@dataclass(frozen=True)
class ClosestGroupResult(TupleLike):
    """The best represented group (among those with enough questions) and the full table.

    Attributes
    ----------
    group : object
        Label of the first ranked group of :func:`representativeness`.
    table : DataFrame
        :func:`representativeness`.
    """

    group: Any
    table: Any

    _unpack = ("group", "table")


def closest_group(model, human, *, preset: str | None = "opinionqa", metric: str | None = None,
                  base: float | None = None, drop_options: Any = "auto", min_questions: int = 5,
                  confidence_level: float = 0.95, n_resamples: int = 2000,
                  rng=None) -> ClosestGroupResult:
    """The group whose distributions the model matches best, with the full ranking.

    Only groups scored on at least ``min_questions`` questions compete (see
    :func:`representativeness`).

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q", "q"], "group": ["a", "b"],
    ...                       "distribution": [[.3, .7], [.6, .4]]})
    >>> model = pd.DataFrame({"question": ["q"], "distribution": [[.5, .5]]})
    >>> sc.divergence.pluralism.closest_group(model, human, preset="globalopinionqa",
    ...                                       min_questions=1, rng=0).group
    'b'
    """
    tab = representativeness(model, human, preset=preset, metric=metric, base=base,
                             drop_options=drop_options, min_questions=min_questions,
                             confidence_level=confidence_level, n_resamples=n_resamples, rng=rng)
    if not tab["ranked"].any():
        raise ValidationError(
            f"no group is scored on min_questions={min_questions} questions or more "
            f"(most: {int(tab['n_questions'].max())}); lower `min_questions` to rank them"
        )
    return ClosestGroupResult(tab["group"].iloc[0], tab)


@dataclass(frozen=True)
class HumanBaselineResult(TupleLike):
    """OpinionQA's human baseline.

    Attributes
    ----------
    table : DataFrame
        :func:`representativeness` of the overall distribution for every other group.
    mean : float
        Mean of the per-group scores.
    worst : float
        Worst per-group score.
    """

    table: Any
    mean: float
    worst: float

    _unpack = ("table", "mean", "worst")


def human_baseline(human, *, overall: str = "Overall", preset: str | None = "opinionqa",
                   metric: str | None = None, base: float | None = None,
                   drop_options: Any = "auto", min_questions: int = 1,
                   rng=None) -> HumanBaselineResult:
    """``A(D_G, D_Overall)`` averaged over questions, per group (OpinionQA's human baseline).

    Returns a :class:`HumanBaselineResult` ``(table, mean, worst)``: per-group scores (without
    ``overall``), their mean and their worst value.

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q"] * 3, "group": ["Overall", "a", "b"],
    ...                       "distribution": [[.2, .3, .5], [.2, .3, .5], [.5, .3, .2]]})
    >>> res = sc.divergence.pluralism.human_baseline(human, drop_options=None)
    >>> round(res.mean, 6), round(res.worst, 6)
    (0.85, 0.7)
    """
    _need_pandas(human, "human")
    if "group" not in human.columns or not (human["group"] == overall).any():
        raise ValidationError(f"`human` has no rows with group == {overall!r}")
    ref = human[human["group"] == overall].drop(columns=["group"])
    others = human[human["group"] != overall]
    ref = ref[[c for c in ref.columns if c in ("question", "distribution")]]
    tab = representativeness(ref, others, preset=preset, metric=metric, base=base,
                             drop_options=drop_options, min_questions=min_questions, rng=rng)
    hib = PRESETS[preset].higher_is_better if preset else False
    worst = float(tab["score"].min() if hib else tab["score"].max())
    return HumanBaselineResult(tab, float(tab["score"].mean()), worst)


def steerability(default, steered, human, *, preset: str = "opinionqa",
                 metric: str | None = None, base: float | None = None,
                 steer_max: str = "per_group", drop_options: Any = "auto"):
    """OpinionQA steerability: best steering context per group against the unsteered model.

    ``steered`` rows carry ``group`` (the target) and ``context`` (prompt style). For each
    group, representativeness is computed per context and the best context is kept
    (``steer_max="per_group"``, the published analysis: max after averaging over questions).
    ``steer_max="per_question"`` takes the best context on each question before averaging;
    it is optimistic and not the published number.

    Returns a DataFrame: ``group, default, steered, gain, best_context`` (``gain`` =
    steered - default, sign-adjusted so that positive is an improvement).

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q", "q"], "group": ["a", "b"],
    ...                       "distribution": [[.8, .2], [.2, .8]]})
    >>> default = pd.DataFrame({"question": ["q"], "distribution": [[.5, .5]]})
    >>> steered = pd.DataFrame({"question": ["q"] * 4, "group": ["a", "a", "b", "b"],
    ...                         "context": ["bio", "qa", "bio", "qa"],
    ...                         "distribution": [[.7, .3], [.6, .4], [.5, .5], [.3, .7]]})
    >>> out = sc.divergence.pluralism.steerability(default, steered, human, drop_options=None)
    >>> out[["group", "best_context"]].values.tolist(), out["gain"].round(6).tolist()
    ([['a', 'bio'], ['b', 'qa']], [0.2, 0.2])
    """
    import pandas as pd

    if steer_max not in ("per_group", "per_question"):
        raise ValidationError(f"`steer_max`={steer_max!r}; use 'per_group' or 'per_question'")
    _need_pandas(steered, "steered")
    for c in ("group", "context"):
        if c not in steered.columns:
            raise ValidationError(f"`steered` needs a {c!r} column")
    preset_r, metric_r, base_r, hib, _, _ = _resolve(preset, metric, base, drop_options)
    d = question_scores(default[[c for c in default.columns if c != "group"]], human,
                        preset=preset_r, metric=metric_r, base=base_r, drop_options=drop_options)
    s = question_scores(steered, human, preset=preset_r, metric=metric_r, base=base_r,
                        drop_options=drop_options)
    sign = 1.0 if hib else -1.0
    dflt = d.groupby("group")["score"].mean()
    if steer_max == "per_group":
        per_ctx = s.groupby(["group", "context"])["score"].mean().reset_index()
        per_ctx["_k"] = sign * per_ctx["score"]
        best = per_ctx.sort_values(["group", "_k"], ascending=[True, False], kind="stable") \
                      .groupby("group").head(1).set_index("group")
        steer, ctx = best["score"], best["context"]
    else:
        s["_k"] = sign * s["score"]
        bq = s.sort_values("_k", ascending=False, kind="stable").groupby(
            ["group", "question"]).head(1)
        steer = bq.groupby("group")["score"].mean()
        ctx = bq.groupby("group")["context"].agg(lambda x: "per_question")
    groups = sorted(set(steer.index) & set(dflt.index))
    out = pd.DataFrame({"group": groups,
                        "default": [float(dflt[g]) for g in groups],
                        "steered": [float(steer[g]) for g in groups],
                        "best_context": [ctx[g] for g in groups]})
    out["gain"] = sign * (out["steered"] - out["default"])
    return out[["group", "default", "steered", "gain", "best_context"]]


@dataclass(frozen=True)
class SteeringEffectResult(TupleLike):
    """Per-group steering gain and specificity.

    Attributes
    ----------
    table : DataFrame
        ``group, gain, specificity, n_questions``.
    per_question : DataFrame
        The paired per-question values.
    """

    table: Any
    per_question: Any

    _unpack = ("table", "per_question")


def steering_effect(default, steered, human, *, metric: str = "total_variation",
                    base: float | None = None) -> SteeringEffectResult:
    """Roadmap steerable pluralism (§4.5): per-group ``gain`` and ``specificity``.

    ``gain_g = D(M_default, P_g) - D(M_steer_g, P_g)`` and
    ``specificity_g = mean_{h != g} D(M_steer_g, P_h) - D(M_steer_g, P_g)``, both averaged
    over the questions where they are defined (paired per question). ``steered`` has one row
    per (question, group) (add ``context`` and filter first if there are several).

    Returns a :class:`SteeringEffectResult`: the table ``group, gain, specificity,
    n_questions`` and the per-question table.

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q", "q"], "group": ["a", "b"],
    ...                       "distribution": [[.8, .2], [.2, .8]]})
    >>> default = pd.DataFrame({"question": ["q"], "distribution": [[.5, .5]]})
    >>> steered = pd.DataFrame({"question": ["q", "q"], "group": ["a", "b"],
    ...                         "distribution": [[.7, .3], [.3, .7]]})
    >>> tab, _ = sc.divergence.pluralism.steering_effect(default, steered, human)
    >>> tab.round(6).values.tolist()
    [['a', 0.2, 0.4, 1], ['b', 0.2, 0.4, 1]]
    """
    _need_pandas(steered, "steered")
    if "group" not in steered.columns:
        raise ValidationError("`steered` needs a 'group' column (the steering target)")
    if steered.duplicated(["question", "group"]).any():
        raise ValidationError("`steered` has several rows per (question, group); keep one "
                              "context per pair")
    dd = question_scores(default[["question", "distribution"]], human, preset=None,
                         metric=metric, base=base).rename(columns={"score": "d_default"})
    # every steered model against every group on the same question
    st = steered[["question", "group", "distribution"]].rename(columns={"group": "target"})
    cross = question_scores(st, human, preset=None, metric=metric, base=base)
    own = cross[cross["target"] == cross["group"]][["question", "group", "score"]].rename(
        columns={"score": "d_steer"})
    other = cross[cross["target"] != cross["group"]].groupby(["question", "target"])["score"] \
        .mean().rename("d_other").reset_index().rename(columns={"target": "group"})
    per_q = own.merge(dd[["question", "group", "d_default"]], on=["question", "group"]) \
               .merge(other, on=["question", "group"], how="left")
    per_q["gain"] = per_q["d_default"] - per_q["d_steer"]
    per_q["specificity"] = per_q["d_other"] - per_q["d_steer"]
    tab = per_q.groupby("group", sort=True).agg(
        gain=("gain", "mean"), specificity=("specificity", "mean"),
        n_questions=("question", "size")).reset_index()
    return SteeringEffectResult(tab, per_q)


@dataclass(frozen=True)
class OvertonResult:
    """Overton coverage of a set of responses.

    Attributes
    ----------
    per_item : ndarray
        Weighted share of each item's window that its response covers.
    value : float
        Macro (mean over items) or micro (pooled viewpoints) coverage.
    precision : ndarray or None
        Per-item share of the response's claims that lie in the window, when given.
    reduce : str
        ``"macro"`` or ``"micro"``.
    """

    per_item: np.ndarray
    value: float
    precision: np.ndarray | None
    reduce: str

    @property
    def aggregate(self) -> str:
        """Deprecated name of :attr:`reduce`."""
        warnings.warn("`OvertonResult.aggregate` is renamed `reduce`", DeprecationWarning,
                      stacklevel=2)
        return self.reduce


@renamed_parameters(aggregate="reduce")
def overton_coverage(judgements, *, weights=None, threshold: float | None = None,
                     reduce: str = "macro", claims_in_window=None,
                     claims_total=None) -> OvertonResult:
    """Overton coverage (§4.4): share of the reasonable viewpoints a response covers.

    Parameters
    ----------
    judgements : array_like, shape (items, viewpoints)
        ``J[i, v]`` in [0, 1] (binary or a judge's entailment probability); NaN marks
        viewpoints outside item i's window.
    weights : array_like, shape (viewpoints,) or (items, viewpoints), optional
        Viewpoint weights ``ω`` (default 1).
    threshold : float, optional
        Binarise ``J >= threshold`` first.
    reduce : {"macro", "micro"}
        Mean over items, or pooled over all (item, viewpoint) pairs (``aggregate=`` is the
        deprecated old name).
    claims_in_window, claims_total : array_like, shape (items,), optional
        Number of the response's claims that lie in the window and in total: gives
        ``precision``. Report it with coverage: listing everything covers all but is imprecise.

    Examples
    --------
    >>> import numpy as np, socialchoice as sc
    >>> J = [[1, 0, np.nan], [1, 1, 1]]
    >>> res = sc.divergence.pluralism.overton_coverage(J)
    >>> res.per_item.tolist(), res.value
    ([0.5, 1.0], 0.75)
    >>> sc.divergence.pluralism.overton_coverage(J, reduce="micro").value
    0.8
    """
    try:
        J = np.asarray(judgements, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError("`judgements` must be a numeric (items, viewpoints) array") from None
    if J.ndim != 2 or J.size == 0:
        raise ValidationError(f"`judgements` must be (items, viewpoints), got shape {J.shape}")
    win = ~np.isnan(J)
    if np.isinf(J).any() or (J[win] < 0).any() or (J[win] > 1).any():
        raise ValidationError("`judgements` must hold values in [0, 1] (NaN = not in window)")
    if not win.any(axis=1).all():
        bad = int(np.flatnonzero(~win.any(axis=1))[0])
        raise ValidationError(f"item {bad} has an empty Overton window (all NaN)")
    if reduce not in ("macro", "micro"):
        raise ValidationError(f"`reduce`={reduce!r}; use 'macro' or 'micro'")
    if threshold is not None and not (np.isfinite(threshold) and 0 <= threshold <= 1):
        raise ValidationError(f"`threshold`={threshold!r}; pass a value in [0, 1] or None")
    try:
        w = np.ones_like(J) if weights is None else np.broadcast_to(
            np.asarray(weights, dtype=np.float64), J.shape)
    except (TypeError, ValueError):
        raise ValidationError(
            f"`weights` must be numeric of shape (viewpoints,) = ({J.shape[1]},) or {J.shape}"
        ) from None
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValidationError("`weights` must be finite and >= 0")
    if threshold is not None:
        J = np.where(win, (J >= threshold).astype(np.float64), np.nan)
    Jz = np.where(win, J, 0.0)
    ww = np.where(win, w, 0.0)
    den = ww.sum(axis=1)
    if (den == 0).any():
        raise ValidationError("some item's window has zero total viewpoint weight")
    per = (ww * Jz).sum(axis=1) / den
    val = float(per.mean()) if reduce == "macro" else float((ww * Jz).sum() / ww.sum())
    prec = None
    if claims_in_window is not None or claims_total is not None:
        if claims_in_window is None or claims_total is None:
            raise ValidationError("pass both `claims_in_window` and `claims_total` for precision")
        a = np.asarray(claims_in_window, dtype=np.float64)
        b = np.asarray(claims_total, dtype=np.float64)
        if a.shape != per.shape or b.shape != per.shape or (a < 0).any() or (a > b).any():
            raise ValidationError("claims must be one count per item with 0 <= in_window <= total")
        with np.errstate(invalid="ignore", divide="ignore"):
            prec = np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)  # no claims: undefined
    return OvertonResult(per, val, prec, reduce)



@dataclass(frozen=True)
class DistributionalAlignmentResult:
    """Meister et al. (2025) distributional alignment with a question-bootstrap interval.

    Attributes
    ----------
    value : float
        Mean over groups of each group's mean total variation over its questions (lower is
        better).
    low, high : float
        Percentile interval of the question-cluster bootstrap.
    half_width : float
        ``(high - low) / 2`` (the published "±").
    standard_error : float
        Standard deviation of the bootstrap replicates.
    confidence_level : float
    n_resamples : int
    per_group : DataFrame
        ``group, score, n_questions, low, high, ranked`` (intervals NaN below 2 questions).
    scores : DataFrame
        Per (question, group) total variation.
    coverage : Coverage
        What was scored and left out.
    method : str
        How the model distribution was obtained (log-probabilities, sampling, verbalised).
    """

    value: float
    low: float
    high: float
    half_width: float
    standard_error: float
    confidence_level: float
    n_resamples: int
    per_group: Any
    scores: Any
    coverage: Coverage
    method: str = ""

    def __getitem__(self, key: str):
        """Deprecated dict access (the function returned a dict before)."""
        warnings.warn("distributional_alignment returns a DistributionalAlignmentResult; use "
                      f"attribute access (`.{key}`) instead of ['{key}']", DeprecationWarning,
                      stacklevel=2)
        return getattr(self, key)


def distributional_alignment(model, human, *, n_resamples: int = 1000,
                             confidence_level: float = 0.95, rng=None, method: str = "",
                             drop_options: Any = "auto", min_questions: int = 5,
                             batch: int | None = None,
                             progress: Any = None) -> DistributionalAlignmentResult:
    """Meister et al. (2025) distributional alignment: mean TV, with a bootstrap interval.

    TV per (question, group), mean over each group's questions, then mean over groups. The
    interval resamples *questions* (the unit the value averages over): each replicate draws
    the questions with replacement and recomputes every group's mean and the mean over groups,
    so that the scores of one question, correlated across groups, move together. (Resampling
    (question, group) rows independently makes the interval far too narrow.)

    Parameters
    ----------
    model, human : DataFrame
        See :func:`question_scores`.
    n_resamples : int, default 1000
    confidence_level : float, default 0.95
    rng : optional
        Seed or generator (:func:`socialchoice._random.resolve_rng`).
    method : str
        Recorded on the result: how the model distribution was expressed.
    drop_options : "auto", None or sequence of str
        As in :func:`question_scores` (TV is nominal: ``"auto"`` keeps every option).
    min_questions : int, default 5
        Groups with fewer scored questions get ``ranked=False`` in ``per_group``.
    batch : int, optional
        Replicates per chunk (memory cap); ``progress`` as in :func:`~socialchoice._chunks.run_chunked`.

    Returns
    -------
    DistributionalAlignmentResult

    Examples
    --------
    >>> import pandas as pd, socialchoice as sc
    >>> human = pd.DataFrame({"question": ["q1", "q2"], "group": ["a", "a"],
    ...                       "distribution": [[.8, .2], [.5, .5]]})
    >>> model = pd.DataFrame({"question": ["q1", "q2"], "distribution": [[.5, .5], [.5, .5]]})
    >>> out = sc.divergence.pluralism.distributional_alignment(model, human, rng=0)
    >>> round(out.value, 6), out.per_group.n_questions.tolist()
    (0.15, [2])
    """
    level = check_level(confidence_level)
    n_resamples = check_int(n_resamples, "n_resamples", low=2)
    min_questions = check_int(min_questions, "min_questions")
    check_int(batch, "batch", none_ok=True)
    res = alignment(model, human, preset="distalign", drop_options=drop_options)
    scores = res.scores
    if "group" not in scores.columns:
        scores = scores.assign(group="all")
        pg = scores.groupby("group")["score"].agg(score="mean", n_questions="size").reset_index()
    else:
        pg = res.per_group
    _, S, _ = _score_matrix(scores)
    vreps, greps = group_question_bootstrap(S, n_resamples=n_resamples, rng=rng, batch=batch,
                                            progress=progress)
    a = (1 - level) / 2
    lo, hi = (float(v) for v in np.quantile(vreps, [a, 1 - a]))
    per_group = _group_intervals(pg, greps, level, min_questions)
    return DistributionalAlignmentResult(
        res.value, lo, hi, (hi - lo) / 2, float(np.std(vreps, ddof=1)), level, n_resamples,
        per_group, res.scores, res.coverage, method)
