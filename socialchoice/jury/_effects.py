"""Rater-group effects with crossed random intercepts for raters and items (docs/tradeoff-jury.md §B4.3)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConventionWarning, MissingDependencyError, SolverError, ValidationError

__all__ = ["GroupEffectsResult", "group_effects", "BoundaryFitWarning"]


class BoundaryFitWarning(UserWarning):
    """A variance component was estimated at 0 (a boundary fit), or the fit did not converge."""


@dataclass(frozen=True)
class GroupEffectsResult:
    """A linear mixed model ``rating ~ group + (1|rater) + (1|item)``.

    Attributes
    ----------
    fixed_effects : pandas.DataFrame
        ``coef``, ``se``, ``low``, ``high`` (Wald interval), ``p`` per fixed-effect term.
    variance : dict
        ``rater``, ``item``, ``residual`` variance components.
    icc : dict
        Each component's share of the total variance.
    converged : bool
    boundary : bool
        Some variance component is (numerically) 0.
    n_obs, n_raters, n_items : int
    model : object
        The statsmodels result.
    """

    fixed_effects: Any
    variance: dict
    icc: dict
    converged: bool
    boundary: bool
    n_obs: int
    n_raters: int
    n_items: int
    model: Any = field(repr=False, default=None)


def group_effects(df: Any, *, rating: str, group: str, rater: str, item: str | None = None,
                  covariates: tuple[str, ...] = (), confidence_level: float = 0.95,
                  method: Any = ("lbfgs", "powell")) -> GroupEffectsResult:
    """Do rater groups rate differently, given item difficulty and rater tendencies? (§B4.3)

    Fits ``rating ~ C(group) [+ covariates]`` with crossed random intercepts for ``rater`` and
    ``item`` by statsmodels ``MixedLM`` (one all-ones grouping column plus variance
    components); without ``item``, random rater intercepts only (``groups=rater``). Ordinal
    ratings are treated as interval: the linear model is an approximation (a cumulative-link
    mixed model is out of scope).

    ``method`` is passed to ``MixedLM.fit`` (default L-BFGS, then Powell: statsmodels' own
    default, BFGS with retries, takes tens of seconds on boundary fits).

    Raises
    ------
    ValidationError
        A column is missing, or the design cannot identify the effects: fewer than 2 groups, a
        rater in more than one group, no group with 2 or more raters, fewer than 2 items, or
        no rater with 2 or more ratings.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from socialchoice import jury
    >>> rng = np.random.default_rng(0)
    >>> rows = [(r, i, "t" if r < 4 else "c") for r in range(8) for i in range(15)]
    >>> df = pd.DataFrame(rows, columns=["rater", "item", "group"])
    >>> u_rater, u_item = rng.normal(size=8) * 0.5, rng.normal(size=15)
    >>> df["y"] = (df.group == "t") * 2.0 + u_rater[df.rater] + u_item[df.item] + rng.normal(size=len(df)) * 0.3
    >>> res = jury.group_effects(df, rating="y", group="group", rater="rater", item="item")
    >>> bool(res.fixed_effects.loc["C(group)[T.t]", "low"] > 0)
    True
    """
    try:
        import statsmodels.formula.api as smf
    except ImportError:  # pragma: no cover
        raise MissingDependencyError("group_effects needs statsmodels: pip install statsmodels") from None
    import pandas as pd

    if not hasattr(df, "columns"):
        raise ValidationError("`df` must be a pandas DataFrame in long form (one row per rating)")
    need = [rating, group, rater] + ([item] if item is not None else []) + list(covariates)
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ValidationError(f"`df` has no column {missing[0]!r}; columns: {list(df.columns)[:20]}")
    d = df[need].dropna().copy()
    d[rating] = pd.to_numeric(d[rating], errors="coerce")
    if d[rating].isna().any():
        raise ValidationError(f"column {rating!r} must be numeric ratings")
    if d[group].nunique() < 2:
        raise ValidationError(f"column {group!r} has fewer than 2 groups; a group effect needs 2 or more")
    per_rater = d.groupby(rater)[group].nunique()
    if (per_rater > 1).any():
        raise ValidationError(
            f"rater {per_rater.index[per_rater > 1][0]!r} belongs to more than one group; the rater "
            "intercept and the group effect are then not separable (group must be a rater attribute)")
    raters_per_group = d.groupby(group)[rater].nunique()
    if (raters_per_group < 2).all():
        raise ValidationError(
            "every group has a single rater, so the group effect and the rater intercept cannot "
            "be told apart; use more raters per group")
    if d.groupby(rater).size().max() < 2:
        raise ValidationError("no rater has 2 or more ratings; the rater variance is not identified")
    if item is not None and d[item].nunique() < 2:
        raise ValidationError(f"column {item!r} has fewer than 2 items; pass item=None")
    d = d.rename(columns={rating: "_y", group: "_g", rater: "_r"})
    if item is not None:
        d = d.rename(columns={item: "_i"})
    formula = "_y ~ C(_g)" + "".join(f" + {c}" for c in covariates)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if item is not None:
            d["_one"] = 1
            model = smf.mixedlm(formula, d, groups="_one",
                                vc_formula={"rater": "0 + C(_r)", "item": "0 + C(_i)"})
        else:
            model = smf.mixedlm(formula, d, groups="_r")
        try:
            fit = model.fit(reml=True, method=list(method) if not isinstance(method, str) else method)
        except (np.linalg.LinAlgError, ValueError) as exc:  # statsmodels: singular design
            raise SolverError(
                f"group_effects: the mixed model could not be fitted ({type(exc).__name__}: {exc}); "
                "the design does not identify the effects (a covariate or group constant within "
                "raters, too few raters per group, or collinear covariates): drop covariates, "
                "merge small groups, or pass more raters") from None
    alpha = 1 - confidence_level
    ci = fit.conf_int(alpha=alpha)
    fe_names = fit.model.exog_names
    fe = pd.DataFrame({"coef": fit.fe_params, "se": fit.bse_fe, "low": ci.loc[fe_names, 0],
                       "high": ci.loc[fe_names, 1], "p": fit.pvalues[fe_names]})
    fe.index = [n.replace("C(_g)", f"C({group})") for n in fe.index]
    if item is not None:
        vc = dict(zip(fit.model.exog_vc.names, np.atleast_1d(fit.vcomp)))
        var = {"rater": float(vc.get("rater", np.nan)), "item": float(vc.get("item", np.nan))}
    else:
        var = {"rater": float(np.asarray(fit.cov_re)[0, 0]), "item": 0.0}
    var["residual"] = float(fit.scale)
    tot = sum(var.values())
    icc = {k: (v / tot if tot > 0 else np.nan) for k, v in var.items()}
    scale = max(tot, np.finfo(float).tiny)
    comps = [var["rater"]] + ([var["item"]] if item is not None else [])
    boundary = any(v <= 1e-8 * scale for v in comps)
    converged = bool(getattr(fit, "converged", True))
    if boundary:
        warnings.warn("a variance component is estimated at 0 (boundary fit); its ICC share is 0 "
                      "and the other estimates are those of the smaller model", BoundaryFitWarning,
                      stacklevel=2)
    if not converged:
        warnings.warn("MixedLM did not converge; treat the estimates with care", BoundaryFitWarning,
                      stacklevel=2)
    if d["_y"].nunique() <= 7:
        warnings.warn("ratings take few values: a linear mixed model approximates ordinal data",
                      ConventionWarning, stacklevel=2)
    del caught
    return GroupEffectsResult(fe, var, icc, converged, boundary, int(len(d)),
                              int(d["_r"].nunique()), int(d["_i"].nunique()) if item is not None else 0,
                              fit)
