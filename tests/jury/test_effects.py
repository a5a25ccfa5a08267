"""group_effects: crossed random intercepts (statsmodels MixedLM), identification errors, HS-Brexit."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc
from socialchoice import jury
from socialchoice.errors import ValidationError

pytest.importorskip("statsmodels")


def _sim(seed=0, effect=1.5, n_r=10, n_i=20):
    rng = np.random.default_rng(seed)
    rows = [(r, i, "t" if r < n_r // 2 else "c") for r in range(n_r) for i in range(n_i)]
    df = pd.DataFrame(rows, columns=["rater", "item", "grp"])
    ur, ui = rng.normal(size=n_r) * 0.6, rng.normal(size=n_i) * 1.0
    df["y"] = effect * (df.grp == "t") + ur[df.rater] + ui[df.item] + rng.normal(size=len(df)) * 0.5
    return df


def test_recovers_effect_and_matches_direct_statsmodels_fit():
    import statsmodels.formula.api as smf

    df = _sim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = jury.group_effects(df, rating="y", group="grp", rater="rater", item="item")
        df2 = df.assign(one=1)
        ref = smf.mixedlm("y ~ C(grp)", df2, groups="one",
                          vc_formula={"rater": "0 + C(rater)", "item": "0 + C(item)"}).fit(
                              reml=True, method=["lbfgs", "powell"])
    row = res.fixed_effects.loc["C(grp)[T.t]"]
    assert row["low"] < 1.5 < row["high"]
    assert row["coef"] == pytest.approx(ref.fe_params["C(grp)[T.t]"], rel=1e-8)
    vc = dict(zip(ref.model.exog_vc.names, ref.vcomp))
    assert res.variance["item"] == pytest.approx(vc["item"], rel=1e-8)
    assert res.variance["rater"] == pytest.approx(vc["rater"], rel=1e-8)
    assert sum(res.icc.values()) == pytest.approx(1.0)
    assert res.n_raters == 10 and res.n_items == 20


def test_identification_errors():
    df = _sim()
    with pytest.raises(ValidationError, match="fewer than 2 groups"):
        jury.group_effects(df.assign(grp="t"), rating="y", group="grp", rater="rater", item="item")
    bad = df.copy()
    bad.loc[bad.index[0], "grp"] = "c" if bad.loc[bad.index[0], "grp"] == "t" else "t"
    with pytest.raises(ValidationError, match="more than one group"):
        jury.group_effects(bad, rating="y", group="grp", rater="rater", item="item")
    one = df[df.rater.isin([0, 9])]
    with pytest.raises(ValidationError, match="single rater"):
        jury.group_effects(one, rating="y", group="grp", rater="rater", item="item")
    with pytest.raises(ValidationError, match="no column"):
        jury.group_effects(df, rating="score", group="grp", rater="rater", item="item")


def test_hs_brexit_group_effect(shared_data):
    df = pd.read_csv(os.path.join(shared_data, "hs_brexit", "hs_brexit_annotations.csv"))
    df = df[df.item_id.str.startswith("test")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = jury.group_effects(df, rating="hate_speech", group="annotator_group",
                                 rater="annotator_id", item="item_id")
    row = res.fixed_effects.loc["C(annotator_group)[T.target]"]
    assert row["low"] <= row["coef"] <= row["high"]
    assert res.n_raters == 6 and res.n_items == 168
    assert all(v >= 0 for v in res.variance.values())
    assert res.converged
    # the rater variance is at the boundary here (3 raters per group): flagged
    assert res.boundary == (res.variance["rater"] <= 1e-8 * sum(res.variance.values()))


def test_singular_design_is_a_package_error(monkeypatch):
    """A fit statsmodels cannot do (singular matrix) is a SolverError naming the design, not a
    raw numpy LinAlgError."""
    import pandas as pd
    import statsmodels.regression.mixed_linear_model as mlm

    def boom(self, *a, **k):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(mlm.MixedLM, "fit", boom)
    df = pd.DataFrame({"rating": [1.0, 2, 3, 4, 2, 3, 1, 4], "group": list("aabbaabb"),
                       "rater": [0, 0, 1, 1, 2, 2, 3, 3]})
    with pytest.raises(sc.errors.SolverError, match="does not identify"):
        jury.group_effects(df, rating="rating", group="group", rater="rater")
