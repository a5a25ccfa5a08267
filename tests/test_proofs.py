"""The formal core: proofs/claims.json is consistent, and every stored witness replays.

A "holds" claim must name a test that exists (its machine check); a "fails" claim must have a
witness file under proofs/witnesses/ whose violation the current implementation reproduces, or
name a test that stores the minimal counterexample and asserts the violation.
"""

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

import socialchoice as sc

ROOT = Path(__file__).resolve().parents[1]
PROOFS = ROOT / "proofs"
CLAIMS = json.loads((PROOFS / "claims.json").read_text())
WITNESSES = sorted((PROOFS / "witnesses").glob("*.json"))


def _test_exists(ref: str) -> bool:
    path, _, name = ref.partition("::")
    f = ROOT / path
    if not f.exists():
        return False
    tree = ast.parse(f.read_text())
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in ast.walk(tree))


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["id"] for c in CLAIMS])
def test_claim_is_backed(claim):
    assert claim["holds"] in (True, False)
    assert claim["source"], "every claim cites a proof or theorem"
    assert (PROOFS / claim["proof"]).exists()
    if claim["holds"]:
        assert _test_exists(claim["check"]), f"missing machine check {claim['check']}"
    elif "witness" in claim:  # replayed below by test_witness_replays
        assert (PROOFS / "witnesses" / f"{claim['witness']}.json").exists()
    else:  # a test that stores the counterexample inline and asserts the violation
        assert _test_exists(claim["check"]), f"missing replay {claim['check']}"


def test_every_witness_is_indexed():
    ids = {c.get("witness") for c in CLAIMS}
    assert {w.stem for w in WITNESSES} <= ids


def _solve(name, U, d):
    return sc.bargaining.solve(np.array(U, float), name, disagreement=np.array(d, float),
                               over="lottery").utilities


def _in_hull(point, U) -> bool:
    """Is ``point`` a convex combination of the columns of ``U``?"""
    U = np.asarray(U, float)
    m = U.shape[1]
    res = linprog(np.zeros(m), A_eq=np.vstack([U, np.ones(m)]), b_eq=np.r_[point, 1.0],
                  bounds=[(0, None)] * m, method="highs")
    return res.status == 0


def _hull_subset(S, T) -> bool:
    return all(_in_hull(col, T) for col in np.asarray(S, float).T)


@pytest.mark.parametrize("path", WITNESSES, ids=[w.stem for w in WITNESSES])
def test_witness_replays(path):
    w = json.loads(path.read_text())
    name, axiom, d = w["solution"], w["axiom"], w["disagreement"]
    F_S = _solve(name, w["S"], d)
    np.testing.assert_allclose(F_S, w["expected_F_S"], atol=1e-7)
    if axiom in ("individual_monotonicity", "resource_monotonicity"):
        F_T = _solve(name, w["T"], d)
        np.testing.assert_allclose(F_T, w["expected_F_T"], atol=1e-7)
        assert _hull_subset(w["S"], w["T"])
        if axiom == "individual_monotonicity":
            i = w["agent"]
            j = 1 - i
            assert np.isclose(np.max(w["S"][j]), np.max(w["T"][j]))  # a_j(S) = a_j(T)
            assert F_T[i] < F_S[i] - 1e-7
        else:
            assert (F_T < F_S - 1e-7).any()
    elif axiom == "iia":
        F_T = _solve(name, w["T"], d)
        np.testing.assert_allclose(F_T, w["expected_F_T"], atol=1e-7)
        assert _hull_subset(w["T"], w["S"]) and _in_hull(F_S, w["T"])
        assert not np.allclose(F_T, F_S, atol=1e-7)
    elif axiom == "scale_invariance":
        a, b = np.array(w["alpha"]), np.array(w["beta"])
        scaled = a[:, None] * np.array(w["S"]) + b[:, None]
        F_scaled = _solve(name, scaled, a * np.array(d) + b)
        np.testing.assert_allclose(F_scaled, w["expected_F_scaled"], atol=1e-7)
        assert not np.allclose(F_scaled, a * F_S + b, atol=1e-7)
    else:
        pytest.fail(f"no replay for axiom {axiom!r}")
