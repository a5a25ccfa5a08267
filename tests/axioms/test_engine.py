"""sc.axioms: registry, enumeration, exhaustive search with minimal witnesses, replay, errors.

Oracles: pref_voting (Condorcet winners, rule outcomes), naive Python enumeration with
itertools, and the by-hand witnesses of docs/axioms.md §5 / §5.1 (matched or beaten in size).
"""

import functools
import itertools
import json
import math

import numpy as np
import pytest

import socialchoice as sc
from socialchoice._kernels import axioms as K
from socialchoice.axioms._space import domain
from socialchoice.errors import SizeLimitError, UnknownNameError, ValidationError

REQUIRED = """pareto_weak pareto_strong unanimity majority majority_loser condorcet_winner
condorcet_loser smith pmc resolvability monotonicity participation reinforcement
independence_of_clones iia isda later_no_harm later_no_help homogeneity reversal_symmetry
anonymity neutrality sd_efficiency pareto_optimality symmetry scale_invariance
contraction_consistency individual_monotonicity strong_monotonicity""".split()


def test_registry_has_every_axiom_with_kind_and_source():
    assert set(REQUIRED) <= set(sc.axioms.names())
    for a in sc.axioms.names():
        e = sc.axioms.info(a)
        assert e.meta["kind"] in ("single", "relational")
        assert e.meta["applies"] and e.meta["source"]
        assert e.func.__doc__ and "Examples" in e.func.__doc__
    assert sc.axioms.info("clones").name == "independence_of_clones"
    assert sc.axioms.info("monotonicity").meta["extension"] == "W"
    assert "set_preference" in sc.axioms.info("participation").meta["options"]


@pytest.mark.parametrize("m,ballots,expected", [
    (3, "linear", [6, 21, 56, 126, 252, 462, 792]),
    (3, "truncated", [9, 45, 165, 495, 1287, 3003, 6435]),
    (3, "weak", [13, 91, 455, 1820, 6188, 18564, 50388]),
    (4, "linear", [24, 300, 2600, 17550, 98280, 475020, 2035800]),
    (4, "truncated", [40, 820, 11480, 123410, 1086008, 8145060, 53524680]),
    (4, "weak", [75, 2850, 73150, 1426425, 22537515, 300500200, 3477216600]),
])
def test_profile_counts_match_docs_table(m, ballots, expected):
    d = domain(m, ballots)
    assert [d.count(n) for n in range(1, 8)] == expected


def test_enumeration_is_lexicographic_and_rank_inverts_it():
    B, n = 6, 4
    N = K.count_table(B, n)
    out = np.empty((math.comb(B + n - 1, n), n), np.int64)
    K.enumerate_multisets(B, n, 0, out)
    naive = np.array(list(itertools.combinations_with_replacement(range(B), n)))
    assert (out == naive).all()
    assert [K.multiset_rank(r, B, N) for r in out] == list(range(len(out)))
    part = np.empty((10, n), np.int64)
    K.enumerate_multisets(B, n, 37, part)
    assert (part == naive[37:47]).all()


def _naive_condorcet_violations(rule, m, n):
    """Count profiles (multisets of linear ballots) where a Condorcet winner exists and is not
    the unique winner, with pref_voting computing the Condorcet winner."""
    from pref_voting.profiles import Profile

    perms = list(itertools.permutations(range(m)))
    f = sc.rules.get(rule)
    c = 0
    for combo in itertools.combinations_with_replacement(range(len(perms)), n):
        orders = [perms[i] for i in combo]
        cw = Profile([list(o) for o in orders]).condorcet_winner()
        if cw is None:
            continue
        mask = f(sc.Rankings.from_orders([list(o) for o in orders])).winner_mask
        c += not (mask[cw] and mask.sum() == 1)
    return c


@pytest.mark.parametrize("rule", ["borda", "instant_runoff", "plurality"])
def test_find_all_counts_equal_naive_pref_voting_loop(rule):
    rep = sc.axioms.check(rule, "condorcet_winner", max_candidates=3, max_voters=4, find="all")
    for n in range(1, 5):
        assert rep.searched["violations"].get((3, n), 0) == _naive_condorcet_violations(rule, 3, n)


def test_orbit_reduction_equals_full_enumeration():
    """A non-neutral-declared copy of the same rule enumerates every profile: same counts."""
    f = sc.rules.get("borda")
    full = sc.axioms.rule(lambda P: f(P), vectorized=True, name="borda_copy")
    for ax in ("condorcet_winner", "monotonicity", "participation"):
        a = sc.axioms.check("borda", ax, max_candidates=3, max_voters=4, find="all")
        b = sc.axioms.check(full, ax, max_candidates=3, max_voters=4, find="all")
        assert a.searched["canonical"] and not b.searched["canonical"]
        if ax == "condorcet_winner":
            assert a.searched["violations"] == b.searched["violations"]
        assert a.holds == b.holds


# ----------------------------------------------------------------------------- acceptance
#: (rule, axiom, options, (n, m) of docs §5 / §5.1 that the witness must match or beat)
TEXTBOOK = [
    ("instant_runoff", "monotonicity", dict(max_candidates=4, max_voters=8), (8, 4)),
    ("instant_runoff", "monotonicity", dict(max_candidates=3, max_voters=12), (12, 3)),
    ("borda", "condorcet_winner", {}, (5, 3)),
    ("instant_runoff", "condorcet_winner", {}, (5, 3)),
    ("plurality", "condorcet_loser", {}, (7, 3)),
    ("copeland", "independence_of_clones", {}, (2, 3)),
    ("maximin", "condorcet_loser", {}, (3, 4)),
    ("maximin", "majority_loser", {}, (3, 4)),
    ("coombs", "participation", dict(max_candidates=3, max_voters=10), (10, 3)),
    ("bucklin", "participation", {}, (4, 4)),
    ("bradley_terry", "pmc", {}, (7, 4)),
    ("coombs", "monotonicity", {}, (4, 4)),
    ("baldwin", "monotonicity", {}, (5, 3)),
    ("strict_nanson", "monotonicity", {}, (5, 3)),
    ("plurality_with_runoff", "monotonicity", {}, (7, 4)),
    ("smith_set", "pareto_weak", {}, (2, 3)),
    ("anti_plurality", "condorcet_loser", {}, (3, 3)),
    ("maximin", "isda", {}, (3, 4)),
    ("weak_nanson", "isda", {}, (2, 4)),
    ("plurality", "independence_of_clones", {}, (3, 3)),
    ("kemeny_young", "independence_of_clones", {}, (3, 4)),
    ("coombs", "independence_of_clones", {}, (4, 3)),
    ("baldwin", "independence_of_clones", {}, (4, 4)),
    ("copeland", "reinforcement", dict(max_voters=5), (4, 3)),
    ("instant_runoff", "reinforcement", dict(max_candidates=3, max_voters=5), (5, 3)),
    ("schulze", "reinforcement", dict(max_candidates=3, max_voters=6), (6, 3)),
    ("bucklin", "condorcet_loser", dict(max_candidates=3), (6, 3)),
    ("maximin", "reversal_symmetry", {}, (5, 4)),
    ("borda", "majority", {}, (5, 3)),
    ("anti_plurality", "pareto_weak", {}, (1, 3)),
    ("borda", "iia", dict(max_candidates=3), (5, 3)),
]


@pytest.mark.parametrize("rule,axiom,opts,bound", TEXTBOOK,
                         ids=[f"{r}-{a}-{b}" for r, a, _, b in TEXTBOOK])
def test_textbook_failures_rediscovered_with_minimal_witness(rule, axiom, opts, bound):
    rep = sc.axioms.check(rule, axiom, **opts)
    assert rep.holds is False
    w = rep.counterexample
    assert (w.n_voters, w.n_candidates) <= bound or w.n_voters <= bound[0]
    assert w.replay()
    w2 = sc.axioms.Witness.from_json(w.to_json())
    assert w2.replay(rule) and str(w2)
    # minimality: no violation with fewer voters (every m) in the same domain
    if w.n_voters > 1:
        smaller = sc.axioms.check(rule, axiom, **dict(opts, max_voters=w.n_voters - 1))
        assert smaller.holds


def test_docs_reversal_witnesses_are_exempt_under_the_set_form():
    """docs §5.1 lists 3-voter reversal-symmetry witnesses for plurality and maximin, found with
    pref_voting's checker; on both, f(rev P) = C, which the set form of docs §3 exempts. So the
    engine's minimal witnesses are larger (disagreement explained in
    proofs/claims/axioms_disagreements.md)."""
    for rule, orders in (("maximin", [[3, 2, 0, 1], [0, 1, 2, 3], [3, 1, 2, 0]]),
                         ("plurality", [[1, 0, 2], [1, 2, 0], [2, 0, 1]])):
        P = sc.Rankings.from_orders(orders)
        rev = sc.Rankings.from_orders([o[::-1] for o in orders])
        f = sc.rules.get(rule)
        assert f(P).winner_mask.sum() == 1 and f(rev).winner_mask.all()
        assert sc.axioms.violations(P, rule, ["reversal_symmetry"]) == []


def test_irv_monotonicity_smallest_sizes():
    """Exhaustive: no IRV monotonicity failure below 9 voters with 3 candidates nor below 8 with
    4 candidates (docs §5.1 lists n = 8, m = 4)."""
    rep3 = sc.axioms.check("instant_runoff", "monotonicity", max_candidates=3, max_voters=12)
    assert (rep3.counterexample.n_voters, rep3.counterexample.n_candidates) == (9, 3)
    rep4 = sc.axioms.check("instant_runoff", "monotonicity", max_candidates=4, max_voters=8)
    assert rep4.counterexample.n_voters == 8


#: Y cells of docs §4 re-established by exhaustive search at small bounds (the m <= 4, n <= 7
#: sweeps are in benchmarks/bench_axioms.py and tests marked slow)
HOLDS = [
    ("schulze", "condorcet_winner"), ("schulze", "smith"), ("schulze", "monotonicity"),
    ("schulze", "independence_of_clones"), ("schulze", "reversal_symmetry"),
    ("ranked_pairs", "condorcet_loser"), ("copeland", "smith"), ("copeland", "isda"),
    ("borda", "condorcet_loser"), ("borda", "reinforcement"), ("borda", "monotonicity"),
    ("plurality", "majority"), ("plurality", "monotonicity"), ("plurality", "participation"),
    ("instant_runoff", "majority"), ("instant_runoff", "condorcet_loser"),
    ("instant_runoff", "independence_of_clones"), ("baldwin", "condorcet_winner"),
    ("black", "condorcet_winner"), ("uncovered_set", "pareto_weak"),
    ("maximal_lottery", "condorcet_winner"), ("maximal_lottery", "participation"),
    ("random_dictatorship", "monotonicity"), ("random_dictatorship", "participation"),
    ("random_dictatorship", "reinforcement"), ("leximax_copeland", "pmc"),
    ("borda", "anonymity"), ("instant_runoff", "neutrality"), ("kemeny_young", "homogeneity"),
]


@pytest.mark.parametrize("rule,axiom", HOLDS, ids=[f"{r}-{a}" for r, a in HOLDS])
def test_y_cells_hold_exhaustively(rule, axiom):
    rep = sc.axioms.check(rule, axiom, max_candidates=3, max_voters=5)
    assert rep.holds is True and rep.counterexample is None
    assert rep.searched["n_profiles"] > 0


@pytest.mark.parametrize("rule,axiom", [("instant_runoff", "later_no_harm"),
                                        ("instant_runoff", "later_no_help"),
                                        ("plurality", "later_no_help")])
def test_later_no_harm_help_hold_for_irv_and_plurality(rule, axiom):
    assert sc.axioms.check(rule, axiom, ballots="truncated", max_candidates=3,
                           max_voters=5).holds


def test_borda_variants_later_no_harm_help():
    avg = sc.axioms.check("borda", "later_no_harm", ballots="truncated", max_candidates=3,
                          max_voters=4)
    assert avg.holds is False
    pess = functools.partial(sc.rules.get("borda"), tie_mode="pessimistic")
    assert sc.axioms.check(pess, "later_no_help", ballots="truncated", max_candidates=3,
                           max_voters=4).holds
    assert not sc.axioms.check(pess, "later_no_harm", ballots="truncated", max_candidates=3,
                               max_voters=4).holds


def test_weak_and_truncated_domains_run():
    assert sc.axioms.check("schulze", "condorcet_winner", ballots="weak", max_candidates=3,
                           max_voters=3).holds
    rep = sc.axioms.check("instant_runoff", "monotonicity", ballots="truncated",
                          max_candidates=3, max_voters=4)
    assert rep.searched["ballots"] == "truncated"


# ----------------------------------------------------------------------------- other methods
def test_maximal_lotteries_violate_probability_monotonicity():
    """docs §3: probabilistic monotonicity = p(x) does not decrease when x is raised. On a
    majority 3-cycle ML gives p(a) proportional to the margin of b over c, so raising a over b
    raises p(c) and lowers p(a) (disagreement with docs §4 'Y [B17]', see proofs/claims/
    axioms_disagreements.md); the support form (W) holds."""
    rep = sc.axioms.check("maximal_lottery", "monotonicity", max_candidates=3, max_voters=5)
    assert rep.holds is False and rep.counterexample.replay()
    lot = rep.counterexample.lotteries
    x = rep.counterexample.transformation["x"]
    assert lot[1][x] < lot[0][x] - 1e-6


def test_random_search_shrinks_to_small_witness():
    rep = sc.axioms.check("borda", "condorcet_winner", method="random", max_candidates=4,
                          max_voters=15, seed=3, n_profiles=300)
    assert rep.holds is False and rep.counterexample.n_voters <= 5
    assert rep.counterexample.replay()


def test_hypothesis_search_finds_and_shrinks():
    rep = sc.axioms.check("plurality", "condorcet_loser", method="hypothesis", max_candidates=3,
                          max_voters=9, seed=1, n_profiles=300)
    w = rep.counterexample
    assert rep.holds is False and w.replay() and w.n_voters <= 9
    # locally minimal: no single voter can be dropped
    from socialchoice.axioms._api import _profile_violation
    from socialchoice.axioms._rule import RuleAdapter

    R = np.asarray(w.profiles[0].ranks)
    for i in range(len(R)):
        assert _profile_violation("condorcet_loser", RuleAdapter("plurality"),
                                  np.delete(R, i, 0), None, "linear", {}) is None


def test_violations_on_burlington():
    P = sc.load_demo()
    axioms = [w.axiom for w in sc.axioms.violations(P, "instant_runoff",
                                                    ["condorcet_winner", "pareto_weak", "majority"])]
    assert axioms == ["condorcet_winner"]
    (w,) = sc.axioms.violations(P, "instant_runoff", ["condorcet_winner"])
    assert w.replay("instant_runoff") and not w.replay("schulze")


def test_violations_relational_from_profile():
    P = sc.Rankings.from_orders([[1, 0, 2, 3], [0, 2, 1, 3], [0, 2, 1, 3], [3, 0, 1, 2],
                                 [3, 0, 2, 1], [2, 0, 1, 3], [1, 2, 0, 3], [2, 1, 0, 3]])
    ws = sc.axioms.violations(P, "instant_runoff", ["monotonicity"])
    assert [w.axiom for w in ws] == ["monotonicity"] and ws[0].replay()


def test_witness_json_roundtrip_and_text():
    rep = sc.axioms.check("borda", "condorcet_winner", max_candidates=3)
    w = rep.counterexample
    d = json.loads(w.to_json())
    assert d["axiom"] == "condorcet_winner" and d["profiles"][0]["orders"]
    w2 = sc.axioms.Witness.from_json(w.to_json())
    assert w2.outcomes == w.outcomes and "borda" in str(w2) and "Condorcet" not in str(w2)[:0]
    assert not w2.replay("schulze")


# ----------------------------------------------------------------------------- user rules
def test_plain_python_rule_is_checked():
    def plurality_lowest_index(profile):  # resolute: ties go to the lowest index
        top = (np.asarray(profile.ranks) == 0).sum(0)
        return np.array([int(np.argmax(top))])

    rep = sc.axioms.check(plurality_lowest_index, "neutrality", max_candidates=3, max_voters=3)
    assert rep.holds is False and rep.counterexample.n_voters <= 2
    assert sc.axioms.check(plurality_lowest_index, "majority", max_candidates=3,
                           max_voters=4).holds


@pytest.mark.parametrize("favoured", [0, 2, 3])
def test_neutrality_by_generators_finds_the_same_minimal_size_as_all_relabellings(favoured):
    # ties broken for a fixed candidate: only some relabellings expose it on a given profile
    def borda_tiebreak(P):
        R = np.asarray(P.ranks)
        s = (R.shape[-1] - 1 - R).sum(-2)
        best = s >= s.max(-1, keepdims=True)
        c = min(favoured, R.shape[-1] - 1)
        pick = np.where(best[:, c], c, best.argmax(-1))
        return np.eye(R.shape[-1], dtype=bool)[pick]

    f = sc.axioms.rule(borda_tiebreak, vectorized=True, name="borda_tiebreak")
    first = sc.axioms.check(f, "neutrality", max_candidates=4, max_voters=3)
    every = sc.axioms.check(f, "neutrality", max_candidates=4, max_voters=3, find="all")
    assert first.holds is False and every.holds is False
    sizes = [k for k, v in every.searched["violations"].items() if v]
    smallest = min(sizes, key=lambda k: (k[1], k[0]))
    w = first.counterexample
    assert (w.n_candidates, w.n_voters) == smallest
    assert w.replay(f) and not w.replay("borda")


# ----------------------------------------------------------------------------- mutations
def _pos_scores(R, vec):
    return np.asarray(vec, float)[R.astype(int)].sum(-2)


def _mask_max(s):
    return s >= s.max(-1, keepdims=True) - 1e-9


def _margins(R):
    P = (R[..., :, None] < R[..., None, :]).sum(-3)
    return P - np.swapaxes(P, -1, -2)


def _irv_wrong_order(R):
    R = np.asarray(R)
    B, n, m = R.shape
    out = np.zeros((B, m), bool)
    for b in range(B):
        alive = list(range(m))
        while len(alive) > 1:
            sub = R[b][:, alive]
            tops = np.bincount(np.argmin(sub, 1), minlength=len(alive))
            alive.pop(int(np.argmax(tops)))  # BUG: eliminates the *strongest*
        out[b, alive] = True
    return out


def _mut(name, f, **kw):
    return sc.axioms.rule(lambda P: f(np.asarray(P.ranks)), vectorized=True, name=name, **kw)


MUTANTS = [
    # (name, function on ranks (B, n, m) -> masks, axiom that catches it)
    ("borda_off_by_one", lambda R: _mask_max(_pos_scores(R, np.r_[np.arange(R.shape[-1] - 1, 0, -1) - 1, 1])), "pareto_weak"),
    ("plurality_tiebreak_0", lambda R: (lambda s: np.where((_mask_max(s)[:, :1]), np.eye(s.shape[-1], dtype=bool)[0], _mask_max(s)))(_pos_scores(R, np.eye(R.shape[-1])[0])), "neutrality"),
    ("irv_wrong_elimination", _irv_wrong_order, "majority"),
    ("copeland_margins_not_wins", lambda R: _mask_max(_margins(R).sum(-1)), "condorcet_winner"),
    ("maximin_max_not_min", lambda R: _mask_max(np.where(np.eye(R.shape[-1], dtype=bool), -99, _margins(R)).max(-1)), "condorcet_winner"),
    ("condorcet_ignores_last_voter", lambda R: _mask_max((np.sign(_margins(R[:, :-1] if R.shape[1] > 1 else R)) > 0).sum(-1)), "anonymity"),
    ("plurality_counts_second", lambda R: _mask_max(_pos_scores(R, np.eye(R.shape[-1])[min(1, R.shape[-1] - 1)])), "unanimity"),
    ("veto_inverted", lambda R: _mask_max(-_pos_scores(R, np.eye(R.shape[-1])[0])), "pareto_weak"),
    ("borda_voter0_double", lambda R: _mask_max(_pos_scores(R, np.arange(R.shape[-1])[::-1]) + _pos_scores(R[:, :1], np.arange(R.shape[-1])[::-1])), "anonymity"),
    ("copeland_argmin", lambda R: (lambda s: s <= s.min(-1, keepdims=True))((np.sign(_margins(R)) > 0).sum(-1)), "condorcet_winner"),
    ("borda_ties_to_last", lambda R: (lambda s: np.where(_mask_max(s).sum(-1, keepdims=True) > 1, np.eye(s.shape[-1], dtype=bool)[-1], _mask_max(s)))(_pos_scores(R, np.arange(R.shape[-1])[::-1])), "pareto_weak"),
    ("majority_fallback_all", lambda R: (lambda t: np.where((t >= R.shape[1] / 2).any(-1, keepdims=True), t >= R.shape[1] / 2, np.ones_like(t, bool)))(_pos_scores(R, np.eye(R.shape[-1])[0])), "condorcet_loser"),
]


@pytest.mark.parametrize("name,f,axiom", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutants_are_caught_with_minimal_witness(name, f, axiom):
    rep = sc.axioms.check(_mut(name, f), axiom, max_candidates=3, max_voters=5)
    assert rep.holds is False, name
    w = rep.counterexample
    assert w.n_voters <= 4
    if w.n_voters > 1:
        assert sc.axioms.check(_mut(name, f), axiom, max_candidates=3,
                               max_voters=w.n_voters - 1).holds


# ----------------------------------------------------------------------------- bad input
def test_bad_input_raises_package_errors_naming_the_argument():
    with pytest.raises(UnknownNameError, match="axiom"):
        sc.axioms.check("borda", "no_such_axiom")
    with pytest.raises(UnknownNameError, match="rule"):
        sc.axioms.check("no_such_rule", "majority")
    with pytest.raises(ValidationError, match="ranking"):
        sc.axioms.check("instant_runoff", "pmc")
    with pytest.raises(ValidationError, match="ballots"):
        sc.axioms.check("borda", "later_no_harm", ballots="linear")
    with pytest.raises(ValidationError, match="cardinal|ratings"):
        sc.axioms.check("utilitarian", "majority")
    with pytest.raises(ValidationError, match="probabilistic"):
        sc.axioms.check("borda", "sd_efficiency")
    with pytest.raises(SizeLimitError, match=r"max_voters.*[0-9,]+ anonymous profiles"):
        sc.axioms.check("borda", "majority", max_candidates=5, max_voters=9)
    with pytest.raises(ValidationError, match="method"):
        sc.axioms.check("borda", "majority", method="magic")
    with pytest.raises(ValidationError, match="set_preference"):
        sc.axioms.check("borda", "participation", set_preference="nope")

    def boom(P):
        raise RuntimeError("kaputt")

    with pytest.raises(ValidationError, match="rule.*kaputt"):
        sc.axioms.check(boom, "majority", max_candidates=3, max_voters=2)
    with pytest.raises(ValidationError, match="shape"):
        sc.axioms.check(lambda P: np.ones(7, bool), "majority", max_candidates=3, max_voters=2)
    with pytest.raises(ValidationError, match="winner"):
        sc.axioms.check(lambda P: "a", "majority", max_candidates=3, max_voters=2)
    with pytest.raises(ValidationError, match="rule"):
        sc.axioms.check(42, "majority")


# ----------------------------------------------------------------------------- rate / matrix
def test_rate_reproduces_gehrlein_lepelley_condorcet_efficiency():
    """IC, 3 candidates, large odd n: limiting Condorcet efficiency plurality 0.7572, Borda
    0.9012 (Gehrlein & Lepelley 2011, "Voting paradoxes and group coherence", ch. 2), and P(a Condorcet
    winner exists) = 0.9123 (Guilbaud). Violation rate = 0.9123 * (1 - CE)."""
    for rule, ce in (("plurality", 0.7572), ("borda", 0.9012)):
        r = sc.axioms.rate(rule, "condorcet_winner", n_voters=1001, n_candidates=3,
                           n_profiles=10000, seed=7)
        expected = 0.9123 * (1 - ce)
        assert r.low - 0.01 < expected < r.high + 0.01, (rule, r, expected)
        assert r.n_profiles == 10000 and r.low <= r.estimate <= r.high


def test_matrix_agrees_with_docs_on_sample():
    df = sc.axioms.matrix(["borda", "schulze", "instant_runoff"],
                          ["condorcet_winner", "condorcet_loser", "pmc", "majority"],
                          max_candidates=3, max_voters=5)
    assert df.loc["borda", "condorcet_winner"] == "N" and df.loc["schulze", "condorcet_winner"] == "Y"
    assert df.loc["borda", "condorcet_loser"] == "Y" and df.loc["instant_runoff", "pmc"] == "n.a."
    assert df.loc["borda", "majority"] == "N" and df.loc["instant_runoff", "majority"] == "Y"
    assert ("borda", "condorcet_winner") in df.attrs["witnesses"]


def test_cli_axiom_and_matrix(capsys):
    from socialchoice._cli_axioms import main

    assert main(["--rule", "irv", "--axiom", "monotonicity", "--max-voters", "12",
                 "--max-candidates", "3"]) == 1
    out = capsys.readouterr().out
    assert "violates monotonicity with 9 voters" in out
    assert main(["--matrix", "--rule", "borda", "--axiom", "majority", "--max-voters", "5"]) == 0
    assert "| borda | N |" in capsys.readouterr().out
    assert main(["--rule", "borda", "--axiom", "nope"]) == 2


def test_min_candidates_starts_the_search_at_a_rule_s_domain():
    """2-approval is a proper k-approval rule from m = 4 on: `min_candidates` starts every
    method there, records it, and bad values are refused naming the argument."""
    import functools

    two = functools.partial(sc.rules.k_approval, k=2)
    with pytest.raises(sc.errors.ValidationError, match="k_approval|`k`"):
        sc.axioms.check(two, "pareto_weak", max_candidates=4, max_voters=2)
    rep = sc.axioms.check(two, "pareto_weak", max_candidates=4, max_voters=2, min_candidates=4)
    assert rep.holds is False and rep.counterexample.n_candidates == 4
    assert rep.searched["min_candidates"] == 4 and rep.searched["sizes"] == [(4, 1)]
    rnd = sc.axioms.check(two, "condorcet_winner", method="random", max_candidates=5,
                          max_voters=5, n_profiles=50, seed=0, min_candidates=4)
    assert rnd.counterexample.n_candidates >= 4
    for bad in (1, 5, 2.5, True):
        with pytest.raises(sc.errors.ValidationError, match="min_candidates"):
            sc.axioms.check("borda", "pareto_weak", max_candidates=4, min_candidates=bad)
    df = sc.axioms.matrix(["k_approval"], ["pareto_weak"], max_candidates=4, max_voters=3)
    assert df.loc["k_approval", "pareto_weak"] == "N"
    assert df.attrs["searched"][("k_approval", "pareto_weak")]["min_candidates"] == 4


@pytest.mark.parametrize("rule", ["random_dictatorship", "smith_set", "borda", "plurality",
                                  "schulze", "instant_runoff"])
def test_iia_search_covers_every_profile_with_the_same_pair_restriction(rule):
    """Arrow's IIA compares P with *every* P' in which each voter orders x and y as before:
    a naive search over all pairs of anonymous profiles (m = 3, n <= 3; voters matched in
    every possible way) agrees with the engine on whether a violation exists and its size."""
    import itertools

    def outcome(prof):
        return np.asarray(sc.axioms._rule.RuleAdapter(rule)(np.asarray(prof)[None]).mask[0])

    orders = [np.argsort(p).astype(np.int8) for p in itertools.permutations(range(3))]
    naive = None
    for n in (1, 2, 3):
        profs = list(itertools.combinations_with_replacement(range(6), n))
        outs = {P: outcome([orders[t] for t in P]) for P in profs}
        for P, Q in itertools.product(profs, repeat=2):
            for x, y in itertools.permutations(range(3), 2):
                if not (outs[P][x] and not outs[P][y] and outs[Q][y] and not outs[Q][x]):
                    continue
                # some matching of P's voters to Q's keeps every voter's x-y order
                if any(all((orders[a][x] < orders[a][y]) == (orders[b][x] < orders[b][y])
                           for a, b in zip(P, perm)) for perm in itertools.permutations(Q)):
                    naive = n
                    break
            if naive:
                break
        if naive:
            break
    rep = sc.axioms.check(rule, "iia", max_candidates=3, max_voters=3)
    assert (rep.counterexample.n_voters if rep.counterexample else None) == naive
    if rep.counterexample:
        assert rep.counterexample.replay(rule)
