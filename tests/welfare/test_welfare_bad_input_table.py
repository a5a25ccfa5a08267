"""Bad input, table-driven, for every public function of welfare and bargaining: each case must
raise a package error (a ``SocialChoiceError`` that is also a ``ValueError``) whose message
names the argument."""

import numpy as np
import pytest

import socialchoice as sc
from socialchoice.errors import SocialChoiceError

W = sc.welfare
B = sc.bargaining
U = np.array([[3.0, 0, 1], [0, 2, 1.2]])

_W_PARAMS = {"power_mean": dict(p=0.5), "equally_distributed_equivalent": dict(epsilon=0.5),
             "atkinson": dict(epsilon=0.5), "quantile_welfare": dict(q=0.4), "owa": dict(omega=[0.5, 0.5])}


def _welfare(name):
    def call(V, **kw):
        return W.get(name)(V, **{**_W_PARAMS.get(name, {}), **kw})

    return call


def _bargaining(name):
    def call(V, **kw):
        extra = {"r": np.ones(2)} if name == "proportional" else {}
        return B.get(name)(V, **{**extra, **kw})

    return call


FUNCS = {f"welfare.{n}": _welfare(n) for n in W.names()}
FUNCS.update({f"bargaining.{n}": _bargaining(n) for n in B.names()})
FUNCS["bargaining.ideal_point"] = lambda V, **kw: B.ideal_point(V, **kw)

# (case id, U, keyword arguments, text the message must contain)
COMMON = [
    ("1-d U", np.array([1.0, 2.0]), {}, "`U`"),
    ("0-d U", np.array(3.0), {}, "`U`"),
    ("empty agents", np.zeros((0, 3)), {}, "`U`"),
    ("empty alternatives", np.zeros((2, 0)), {}, "`U`"),
    ("strings", np.array([["a", "b"], ["c", "d"]]), {}, "`U`"),
    ("ragged", [[1.0, 2.0], [3.0]], {}, "`U`"),
    ("None", None, {}, "`U`"),
    ("objects", np.array([[1.0, None], [2.0, 3.0]], dtype=object), {}, "`U`"),
    ("bool utilities", np.array([[True, False], [False, True]]), {}, "boolean"),
    ("+inf", np.array([[1.0, np.inf], [1.0, 2.0]]), {}, "inf"),
    ("-inf", np.array([[1.0, -np.inf], [1.0, 2.0]]), {}, "inf"),
    ("agent_axis == axis", U, dict(agent_axis=1, axis=-1), "agent_axis"),
    ("axis out of range", U, dict(axis=5), "axis"),
    ("axis not int", U, dict(axis=1.0), "axis"),
    ("weights too short", U, dict(weights=[1.0]), "weights"),
    ("weights too long", U, dict(weights=[1.0, 2.0, 3.0]), "weights"),
    ("weights negative", U, dict(weights=[1.0, -1.0]), "weights"),
    ("weights NaN", U, dict(weights=[1.0, np.nan]), "weights"),
    ("weights inf", U, dict(weights=[1.0, np.inf]), "weights"),
    ("weights strings", U, dict(weights=["a", "b"]), "weights"),
    ("weights bool", U, dict(weights=[True, False]), "weights"),
    ("disagreement wrong length", U, dict(disagreement=[0.0, 0.0, 0.0]), "disagreement"),
    ("disagreement unknown name", U, dict(disagreement="median"), "disagreement"),
    ("disagreement NaN", U, dict(disagreement=np.nan), "disagreement"),
    ("disagreement inf", U, dict(disagreement=-np.inf), "disagreement"),
    ("disagreement status quo index", U, dict(disagreement=("status_quo", 9)), "status-quo"),
    ("normalize unknown", U, dict(normalize="rank"), "normalize"),
    ("nan_policy unknown", U, dict(nan_policy="drop"), "nan_policy"),
]
NO_WEIGHTS = {"bargaining.kalai_smorodinsky", "bargaining.proportional", "bargaining.ideal_point"}
NO_NORMALIZE = {"bargaining.ideal_point"}

CASES = []
for fname in FUNCS:
    for cid, V, kw, match in COMMON:
        if "weights" in kw and fname in NO_WEIGHTS:
            continue
        if "normalize" in kw and fname in NO_NORMALIZE:
            continue
        CASES.append(pytest.param(fname, V, kw, match, id=f"{fname}-{cid}"))

SPECIFIC = [
    ("welfare.utilitarian", U, dict(reduce="median"), "reduce"),
    ("welfare.nash", U, dict(log="yes"), "log"),
    ("welfare.power_mean", U, dict(p=np.nan), "`p`"),
    ("welfare.power_mean", U, dict(p="two"), "`p`"),
    ("welfare.power_mean", -U, dict(p=2.0), "utilities >= 0"),
    ("welfare.atkinson", U, dict(epsilon=-1.0), "epsilon"),
    ("welfare.atkinson", U, dict(epsilon=2.0), "utilities > 0"),
    ("welfare.equally_distributed_equivalent", U, dict(epsilon=np.inf), "epsilon"),
    ("welfare.quantile_welfare", U, dict(q=1.5), "`q`"),
    ("welfare.owa", U, dict(omega=[1.0]), "omega"),
    ("welfare.owa", U, dict(omega=[0.7, 0.7]), "omega"),
    ("welfare.owa", U, dict(omega=["a", "b"]), "omega"),
    ("welfare.leximin", U, dict(atol=-1.0), "atol"),
    ("welfare.utilitarian", U, dict(keepdims="no"), "keepdims"),
    ("welfare.utilitarian", np.array([[1.0, np.nan], [1, 2]]), dict(nan_policy="raise"), "nan_policy"),
    ("bargaining.nash", U, dict(over="lotteries!"), "over"),
    ("bargaining.nash", U, dict(over="lottery", method="magic"), "method"),
    ("bargaining.nash", U, dict(degenerate="ignore"), "degenerate"),
    ("bargaining.egalitarian", U, dict(over="lottery", tie_break="random"), "tie_break"),
    ("bargaining.nash", np.array([[1.0, np.nan], [1, 2]]), {}, "nan_policy"),
    ("bargaining.nash", U, dict(over="lottery", method="cvxpy", solver="NO_SUCH"), "solver"),
    ("bargaining.nash", U, dict(weights=[0.0, 0.0]), "weight"),
    ("bargaining.proportional", U, dict(r=[1.0, -1.0]), "`r`"),
    ("bargaining.proportional", U, dict(r=[1.0, 1.0, 1.0]), "`r`"),
]


@pytest.mark.parametrize("fname, V, kw, match", CASES + [pytest.param(*c, id=f"{c[0]}-{c[3]}")
                                                         for c in SPECIFIC])
def test_bad_input_raises_package_error(fname, V, kw, match):
    f = FUNCS[fname]
    with pytest.raises(SocialChoiceError, match=match) as info:
        f(V, **kw)
    assert isinstance(info.value, ValueError)


def test_leximin_compare_and_helpers():
    for args, kw, match in [(([1.0, np.inf], [1.0, 2.0]), {}, "`x`"), (([1.0], [[1.0]]), {}, "`y`"),
                            (([1.0], [1.0]), dict(wx=[-1.0]), "`wx`"), (([1.0], [1.0]), dict(atol=-1), "atol"),
                            ((["a"], [1.0]), {}, "`x`")]:
        with pytest.raises(SocialChoiceError, match=match):
            W.leximin_compare(*args, **kw)
    with pytest.raises(SocialChoiceError, match="normalize"):
        W.normalize_utilities(U, "rank")
    with pytest.raises(SocialChoiceError, match="disagreement"):
        W.resolve_disagreement(U, None)
    with pytest.raises(SocialChoiceError, match="unknown"):
        W.best(U, "no_such_welfare")
    with pytest.raises(SocialChoiceError, match="unknown"):
        B.solve(U, "no_such_solution")
