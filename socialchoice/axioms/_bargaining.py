"""Bargaining axioms on finite problems (docs/axioms.md §3.1): random search with shrinking.

A problem is ``U`` (agents x alternatives); the feasible set is the convex hull of its columns
(lotteries over alternatives, ``over="lottery"``) and ``d`` the disagreement point.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._random import resolve_rng
from ..errors import SocialChoiceError, ValidationError
from . import _results as _results_module
from ._results import AxiomReport, Witness

TOL = 1e-6


def _solve(name: str, U: np.ndarray, d: np.ndarray) -> np.ndarray:
    from .. import bargaining

    return np.asarray(bargaining.solve(np.asarray(U, float), name, disagreement=np.asarray(d, float),
                                       over="lottery").utilities, float)


def _in_hull(point, U) -> bool:
    from scipy.optimize import linprog

    U = np.asarray(U, float)
    k = U.shape[1]
    res = linprog(np.zeros(k), A_eq=np.vstack([U, np.ones(k)]), b_eq=np.r_[point, 1.0],
                  bounds=[(0, None)] * k, method="highs")
    return res.status == 0


def _pareto_gain(F, U) -> float:
    """Largest total gain of a point of conv(U) weakly above F."""
    from scipy.optimize import linprog

    U = np.asarray(U, float)
    k = U.shape[1]
    res = linprog(-U.sum(0), A_ub=-U, b_ub=-F, A_eq=np.ones((1, k)), b_eq=[1.0],
                  bounds=[(0, None)] * k, method="highs")
    return 0.0 if res.status != 0 else float(-res.fun - F.sum())


def _judge(name, axiom, prob) -> str | None:
    """Does the problem tuple ``prob`` witness a violation? A sentence, or None."""
    d = np.asarray(prob["d"], float)
    U = np.asarray(prob["U"], float)
    try:
        F = _solve(name, U, d)
        if axiom == "pareto_optimality":
            g = _pareto_gain(F, U)
            scale = np.abs(U).max()
            return (f"F(U, d) = {np.round(F, 4).tolist()} is Pareto-dominated (total gain {g:.3g})."
                    if g > TOL * scale else None)
        if axiom == "symmetry":
            if abs(F[0] - F[1]) > TOL * np.abs(U).max():
                return f"The problem is symmetric but F = {np.round(F, 4).tolist()}."
            return None
        if axiom == "scale_invariance":
            a, b = np.asarray(prob["alpha"]), np.asarray(prob["beta"])
            F2 = _solve(name, a[:, None] * U + b[:, None], a * d + b)
            if np.abs(F2 - (a * F + b)).max() > TOL * np.abs(a[:, None] * U).max():
                return (f"Rescaling utilities by alpha = {a.tolist()}, beta = {b.tolist()} maps "
                        f"F = {np.round(F, 4).tolist()} to {np.round(a * F + b, 4).tolist()}, but "
                        f"the solution of the rescaled problem is {np.round(F2, 4).tolist()}.")
            return None
        T = np.asarray(prob["T"], float)
        F2 = _solve(name, T, d)
        if axiom == "contraction_consistency":
            if np.abs(F2 - F).max() > 1e-5 * np.abs(U).max():
                return (f"T ⊆ U contains F(U) = {np.round(F, 4).tolist()}, yet F(T) = "
                        f"{np.round(F2, 4).tolist()}.")
            return None
        if axiom == "individual_monotonicity":
            i = int(prob["agent"])
            if F2[i] < F[i] - 1e-5 * np.abs(T).max():
                return (f"U ⊆ T with the same ideal utility for the other agent, yet agent "
                        f"{i + 1} gets {F2[i]:.4g} < {F[i]:.4g}.")
            return None
        if axiom == "strong_monotonicity":
            if (F2 < F - 1e-5 * np.abs(T).max()).any():
                return (f"U ⊆ T, yet F(T) = {np.round(F2, 4).tolist()} gives someone less than "
                        f"F(U) = {np.round(F, 4).tolist()}.")
            return None
    except SocialChoiceError:
        return None
    raise ValidationError(f"no bargaining judge for {axiom!r}")


def _random_problem(axiom, rng, k):
    d = np.zeros(2)
    grid = 4
    U = rng.integers(0, grid + 1, size=(2, k)) / grid
    U[:, 0] = (1.0, rng.integers(0, grid) / grid)
    U[:, 1] = (rng.integers(0, grid) / grid, 1.0)
    prob = {"U": U, "d": d}
    if axiom == "symmetry":
        prob["U"] = np.concatenate([U, U[::-1]], 1)
    elif axiom == "scale_invariance":
        prob["alpha"] = [float(rng.choice([0.5, 2.0, 3.0])), 1.0]
        prob["beta"] = [0.0, 0.0]
    elif axiom == "contraction_consistency":
        prob["T"] = None  # filled after solving
    elif axiom in ("individual_monotonicity", "strong_monotonicity"):
        i = int(rng.integers(0, 2))
        new = rng.integers(0, grid + 1, size=2) / grid
        if axiom == "individual_monotonicity":
            new[1 - i] = min(new[1 - i], U[1 - i].max())
        prob["T"] = np.concatenate([U, new[:, None]], 1)
        prob["agent"] = i
    return prob


def _complete(name, axiom, prob, rng) -> dict | None:
    if axiom == "contraction_consistency":
        F = _solve(name, prob["U"], prob["d"])
        U = prob["U"]
        keep = rng.random(U.shape[1]) < 0.5
        if keep.all():
            keep[rng.integers(0, U.shape[1])] = False
        T = np.concatenate([U[:, keep], F[:, None], prob["d"][:, None]], 1)
        prob = dict(prob, T=T)
    return prob


def _shrink(name, axiom, prob):
    """Drop alternatives (columns) while the violation persists."""
    keys = [k for k in ("U", "T") if k in prob and prob[k] is not None]
    improved = True
    while improved:
        improved = False
        for key in keys:
            M = np.asarray(prob[key])
            for j in range(M.shape[1]):
                if M.shape[1] <= 2:
                    break
                cand = dict(prob, **{key: np.delete(M, j, 1)})
                if axiom == "symmetry":
                    continue
                if key == "U" and "T" in prob and axiom in ("individual_monotonicity",
                                                           "strong_monotonicity"):
                    Tm = np.asarray(prob["T"])
                    if not all(_in_hull(c, Tm) for c in cand["U"].T):
                        continue
                    if axiom == "individual_monotonicity":
                        i = prob["agent"]
                        if not np.isclose(cand["U"][1 - i].max(), Tm[1 - i].max()):
                            continue
                if key == "T" and axiom in ("individual_monotonicity", "strong_monotonicity"):
                    Tm = cand["T"]
                    if not all(_in_hull(c, Tm) for c in np.asarray(prob["U"]).T):
                        continue
                    if axiom == "individual_monotonicity":
                        i = prob["agent"]
                        if not np.isclose(np.asarray(prob["U"])[1 - i].max(), Tm[1 - i].max()):
                            continue
                if key == "U" and axiom == "contraction_consistency":
                    continue
                if key == "T" and axiom == "contraction_consistency":
                    F = _solve(name, prob["U"], prob["d"])
                    if not _in_hull(F, cand["T"]):
                        continue
                if _judge(name, axiom, cand):
                    prob, improved = cand, True
                    break
    return prob


def check_bargaining(rule: Any, axiom: str, *, n_problems: int = 500, seed: Any = None,
                     **kwargs: Any) -> AxiomReport:
    from .. import bargaining

    if kwargs:
        raise ValidationError(f"unknown option(s) {', '.join(kwargs)} for bargaining axiom {axiom!r}")
    if not isinstance(rule, str):
        raise ValidationError("`rule`: bargaining axioms take a bargaining solution name "
                              f"({', '.join(bargaining.names())})")
    name = bargaining.info(rule).name
    t0 = time.perf_counter()
    rng = resolve_rng(seed)
    wit = None
    tried = 0
    for _ in range(n_problems):
        tried += 1
        prob = _complete(name, axiom, _random_problem(axiom, rng, int(rng.integers(2, 5))), rng)
        if axiom == "individual_monotonicity":
            i = prob["agent"]
            if not np.isclose(np.asarray(prob["U"])[1 - i].max(), np.asarray(prob["T"])[1 - i].max()):
                continue
        reason = _judge(name, axiom, prob)
        if reason:
            prob = _shrink(name, axiom, prob)
            reason = _judge(name, axiom, prob)
            F = _solve(name, prob["U"], prob["d"])
            data = {k: (np.asarray(v).tolist() if v is not None else None) for k, v in prob.items()}
            data.update(kind="bargaining", description=f"F(U, d) = {np.round(F, 4).tolist()}")
            wit = Witness(axiom, name, (), data, (), None, reason, seed)
            break
    searched = {"method": "random", "ballots": None, "n_profiles": tried, "n_evaluated": tried,
                "n_transformations": tried, "seed": seed, "elapsed": time.perf_counter() - t0,
                "max_candidates": None, "max_voters": None}
    return AxiomReport(name, axiom, False if wit else None, wit, searched)


def replay_bargaining(w: Witness) -> bool:
    return _judge(w.rule, w.axiom, w.transformation) is not None


_results_module.REPLAYERS["bargaining"] = replay_bargaining
