"""sc.divergence API: one reduction decorator (signatures, xarray dims by name, dask stays lazy),
registry metadata (scale invariance checked), renamed names, ``python -OO``, and a table of bad
inputs that must raise package errors naming the argument."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import socialchoice as sc
from socialchoice.errors import DistributionError, SocialChoiceError, ValidationError

D = sc.divergence
P1 = np.array([0.1, 0.2, 0.4, 0.2, 0.1])
Q1 = np.array([0.3, 0.3, 0.2, 0.1, 0.1])
PAIRWISE = [n for n in D.names() if n not in ("ece", "entropy")]


def test_python_OO_imports_and_runs():
    code = ("import socialchoice.divergence, socialchoice.stats, socialchoice as sc; "
            "assert sc.divergence.kl.__doc__ is None; "
            "print(round(float(sc.divergence.jensen_shannon([.5, .5], [.9, .1])), 6), "
            "sc.divergence.info('js').summary == '', len(sc.stats.names()))")
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-OO", "-c", code], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stderr
    from scipy.spatial.distance import jensenshannon

    want = f"{round(jensenshannon([.5, .5], [.9, .1], base=2) ** 2, 6)}"
    assert out.stdout.split() == [want, "True", str(len(sc.stats.names()))]


def test_signatures_list_body_and_common_options():
    sig = inspect.signature(D.kl)
    assert list(sig.parameters)[:2] == ["p", "q"]
    for k in ("base", "reverse", "axis", "keepdims", "normalize", "smoothing", "smooth",
              "nan_policy", "sum_tol", "dim"):
        assert sig.parameters[k].kind is inspect.Parameter.KEYWORD_ONLY, k
    assert "smooth" not in inspect.signature(D.entropy).parameters
    assert "nan_policy : {" in D.jensen_shannon.__doc__ and "{common}" not in D.kl.__doc__
    assert D.kl(p=P1, q=Q1) == D.kl(P1, Q1)
    with pytest.raises(TypeError, match="unexpected keyword"):
        D.kl(P1, Q1, bse=2)
    with pytest.raises(TypeError, match="unexpected keyword"):
        D.entropy(P1, smooth="p")


@pytest.mark.parametrize("name", PAIRWISE + ["entropy"])
def test_registry_scale_metadata_holds(name):
    entry = D.info(name)
    assert entry.meta["scale"] == "invariant" and entry.meta["input"] == "distributions"
    f = entry.func
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), 4) + 0.01
    q = rng.dirichlet(np.ones(5), 4) + 0.01
    args = (p,) if name == "entropy" else (p, q)
    ref = f(*args)
    for c in (1e-300, 3.7, 1e300):
        np.testing.assert_allclose(f(*(a * c for a in args)), ref, rtol=1e-12, err_msg=str(c))
    assert D.info("ece").meta["scale"] is None


def test_names_group_and_deprecated_spellings():
    assert set(D.names(group="divergence")) >= {"kl", "jensen_shannon", "wasserstein_ordinal"}
    with pytest.warns(DeprecationWarning, match="group"):
        assert D.names(family="entropy") == ["entropy"]
    with pytest.warns(DeprecationWarning, match="pluralism"):
        assert D.benchmarks is D.pluralism
    with pytest.warns(DeprecationWarning, match="NoiseFloorResult"):
        assert D.NoiseFloor is D.NoiseFloorResult
    with pytest.raises(AttributeError):
        _ = D.no_such_thing
    h = pd.DataFrame({"question": ["q"], "group": ["g"], "distribution": [[.5, .5]]})
    m = pd.DataFrame({"question": ["q"], "distribution": [[.4, .6]]})
    with pytest.warns(DeprecationWarning, match="reduce"):
        r = D.pluralism.alignment(m, h, preset="distalign", aggregate="max")
    assert r.value == pytest.approx(0.1)


def test_xarray_dims_by_name_and_dask_stays_lazy():
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask")
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(4), size=(6, 3))
    q = rng.dirichlet(np.ones(4), size=3)
    P = xr.DataArray(p, dims=("item", "group", "option"))
    # numpy q aligns with P's trailing dims; the category dim is found by name
    out = D.total_variation(P.transpose("option", "item", "group"), q, dim="option")
    np.testing.assert_allclose(out.transpose("item", "group").values,
                               D.total_variation(p, q), rtol=1e-12)
    lazy = D.entropy(P.chunk({"item": 2, "option": 2}), dim="option")
    assert lazy.chunks is not None  # not computed yet; chunked category dim is rechunked
    np.testing.assert_allclose(lazy.compute().values, D.entropy(p), rtol=1e-12)
    with pytest.raises(ValidationError, match="`dim`='opt'"):
        D.jensen_shannon(P, P, dim="opt")
    with pytest.raises(ValidationError, match="base"):  # checked before any dask work
        D.jensen_shannon(P.chunk({"item": 2}), P, base=-1)


BAD_DIVERGENCE = [
    (D.kl, (P1, Q1[:4]), {}, DistributionError, "same support"),
    (D.jensen_shannon, ([0.5, -0.5, 1.0], Q1[:3]), {}, DistributionError, "`p` has negative"),
    (D.total_variation, (P1, Q1 * 2), {"normalize": False}, DistributionError,
     "normalize=True"),
    (D.hellinger, ([0.5, np.nan], [0.5, 0.5]), {"nan_policy": "raise"}, DistributionError,
     "nan_policy='raise'"),
    (D.kl, (P1, Q1), {"nan_policy": "skip"}, ValidationError, "nan_policy"),
    (D.kl, (P1, Q1), {"smooth": "r"}, ValidationError, "smooth"),
    (D.kl, (P1, Q1), {"smoothing": "a"}, ValidationError, "smoothing"),
    (D.kl, (P1, Q1), {"sum_tol": -1}, ValidationError, "sum_tol"),
    (D.kl, (P1, Q1), {"axis": 1.5}, ValidationError, "axis"),
    (D.kl, (P1, Q1), {"normalize": "yes"}, ValidationError, "normalize"),
    (D.kl, (P1, Q1), {"reverse": "yes"}, ValidationError, "reverse"),
    (D.kl, (P1, Q1), {"dim": "option"}, ValidationError, "dim="),
    (D.kl, ([], []), {}, DistributionError, "no categories"),
    (D.kl, (np.ones((0, 3)), np.ones(3)), {}, None, None),  # an empty batch is fine
    (D.chi_square, (P1, Q1), {"kind": "cressie"}, ValidationError, "kind"),
    (D.wasserstein_ordinal, (P1, Q1), {"values": [1, 2]}, DistributionError, "values"),
    (D.wasserstein_ordinal, (P1, Q1), {"normalized": "yes"}, ValidationError, "normalized"),
    (D.entropy, (P1,), {"base": 0}, ValidationError, "base"),
    (D.brier, ([0.7, 0.3], [0.5, 0.5]), {"axis": 4}, ValidationError, "axis"),
    (D.brier, ([[0.7, 0.3]], np.array([2])), {}, ValidationError, "labels outside"),
    (D.brier, ([0.7, 0.3], [1, 0, 1]), {"binary": True}, ValidationError, "broadcast"),
    (D.ece, ([], []), {}, ValidationError, "empty"),
    (D.ece, ([0.5], [1]), {"n_bins": 0}, ValidationError, "n_bins"),
    (D.ece, ([0.5], [1]), {"bins": ["a", "b"]}, ValidationError, "bins"),
    (D.ece, ([0.5], [1]), {"weights": ["x"]}, ValidationError, "weights"),
    (D.noise_floor, (P1, 100), {"metric": "ece"}, ValidationError, "metric"),
    (D.noise_floor, (P1, 100), {"quantiles": [-0.1], "rng": 0}, ValidationError, "quantiles"),
    (D.kish_ess, ([1, -1],), {}, ValidationError, "weights"),
    (D.pluralism.overton_coverage, ([["a"]],), {}, ValidationError, "judgements"),
    (D.pluralism.overton_coverage, ([[0.5, 0.5]],), {"threshold": 2}, ValidationError,
     "threshold"),
    (D.pluralism.overton_coverage, ([[0.5, 0.5]],), {"weights": [1, 2, 3]}, ValidationError,
     "weights"),
    (D.pluralism.overton_coverage, ([[0.5]],), {"reduce": "sum"}, ValidationError, "reduce"),
    (D.pluralism.alignment, (P1, Q1), {"reduce": "mode"}, ValidationError, "reduce"),
    (D.pluralism.alignment, (P1, Q1), {"metric": "ece"}, ValidationError, "metric"),
    (D.pluralism.alignment, (P1, Q1), {"axis": 5}, ValidationError, "axis"),
    (D.pluralism.alignment, (P1, Q1), {"preset": "opinion"}, ValidationError, "preset"),
]


@pytest.mark.parametrize("func,args,kwargs,err,match", BAD_DIVERGENCE,
                         ids=[f"{r[0].__name__}-{r[4]}-{i}" for i, r in enumerate(BAD_DIVERGENCE)])
def test_bad_input_raises_package_error_naming_the_argument(func, args, kwargs, err, match):
    if err is None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert np.shape(func(*args, **kwargs)) == (0,)
        return
    with pytest.raises(err, match=match) as exc:
        func(*args, **kwargs)
    assert isinstance(exc.value, SocialChoiceError) and isinstance(exc.value, ValueError)


def test_inputs_are_never_mutated():
    rng = np.random.default_rng(3)
    p = rng.random((5, 4)) * 3
    q = rng.random(4)
    q[1] = np.nan
    p0, q0 = p.copy(), q.copy()
    for name in PAIRWISE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            D.get(name)(p, q, nan_policy="omit", smoothing=0.5)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)
