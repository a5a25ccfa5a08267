"""The axiom table: one record per axiom id (docs/axioms.md §2, §3, §3.1)."""

from __future__ import annotations

from dataclasses import dataclass, field

ORD = ("ordinal", "probabilistic")


@dataclass(frozen=True)
class AxiomSpec:
    name: str
    title: str
    kind: str  # "single" or "relational"
    applies: tuple  # rule kinds: ordinal, probabilistic, ranking, bargaining
    definition: str
    source: str
    group: str = "ordinal"
    ballots: tuple = ("linear", "truncated", "weak")
    extension: str | None = None
    options: dict = field(default_factory=dict)
    aliases: tuple = ()


SPECS = [
    AxiomSpec("pareto_weak", "weak Pareto", "single", ORD,
              "If every positive-weight voter has x > y, then y is not a winner (probabilistic: "
              "p(y) = 0).", "docs/axioms.md §2; Zwicker (2016)", aliases=("pareto",)),
    AxiomSpec("pareto_strong", "strong Pareto", "single", ORD,
              "If every voter has x >= y and one has x > y, then y is not a winner.",
              "docs/axioms.md §2"),
    AxiomSpec("unanimity", "unanimity", "single", ORD,
              "If every voter's top block is {x}, then f(P) = {x}.", "docs/axioms.md §2"),
    AxiomSpec("majority", "majority criterion", "single", ORD,
              "If ballots of weight > W/2 have x as unique top, then f(P) = {x}.",
              "docs/axioms.md §2; Zwicker (2016)", aliases=("majority_criterion",)),
    AxiomSpec("majority_loser", "majority loser criterion", "single", ORD,
              "If m >= 2 and ballots of weight > W/2 have x in their bottom block, x is not a "
              "winner.", "docs/axioms.md §2; Felsenthal & Nurmi (2018)"),
    AxiomSpec("condorcet_winner", "Condorcet winner criterion", "single", ORD,
              "If x beats every other candidate head-to-head, f(P) = {x} (probabilistic: "
              "p(x) = 1).", "docs/axioms.md §2; Condorcet (1785), Zwicker (2016)"),
    AxiomSpec("condorcet_loser", "Condorcet loser criterion", "single", ORD,
              "If m >= 2 and x loses to every other candidate head-to-head, x is not a winner.",
              "docs/axioms.md §2; Felsenthal & Nurmi (2018)"),
    AxiomSpec("smith", "Smith criterion", "single", ORD,
              "f(P) is a subset of the Smith set.", "docs/axioms.md §2; Smith (1973)",
              aliases=("smith_criterion",)),
    AxiomSpec("pmc", "pairwise majority consistency", "single", ("ranking",),
              "If the strict majority relation is a linear order sigma, the output ranking is "
              "sigma (score rankings: sorted scores; ties fail).",
              "docs/axioms.md §2; Ge et al., NeurIPS 2024",
              aliases=("pairwise_majority_consistency",)),
    AxiomSpec("resolvability", "resolvability (single-voter form)", "relational", ORD,
              "If |f(P)| >= 2, every x in f(P) has a ballot b with f(P + b) = {x}.",
              "docs/axioms.md §2; Tideman (1987)"),
    AxiomSpec("monotonicity", "monotonicity", "relational", ORD,
              "Raising a winner x on some ballots keeps x a winner (W); probabilistic: p(x) "
              "does not decrease. One-position lifts suffice.",
              "docs/axioms.md §3; Felsenthal & Nurmi (2017)", extension="W",
              aliases=("monotonic",)),
    AxiomSpec("participation", "participation (no-show)", "relational", ORD,
              "Adding a ballot b must not turn the unique winner x into a unique winner y with "
              "x >_b y (U, set_preference='single-winner'); set_preference='weak_dominance' "
              "compares winner sets; probabilistic: p(P+b) is not SD-worse for b.",
              "docs/axioms.md §3; Moulin (1988)", extension="U",
              options={"set_preference": ("single-winner", "weak_dominance")},
              aliases=("no_show",)),
    AxiomSpec("reinforcement", "consistency / reinforcement", "relational", ORD,
              "If f(P1) and f(P2) intersect, f(P1 + P2) = f(P1) ∩ f(P2); probabilistic: "
              "population consistency.", "docs/axioms.md §3; Young (1975)",
              aliases=("consistency",)),
    AxiomSpec("independence_of_clones", "independence of clones", "relational", ORD,
              "Deleting one member of a clone set changes neither the non-clone winners nor "
              "whether some clone wins.", "docs/axioms.md §3; Tideman (1987)",
              aliases=("clones",)),
    AxiomSpec("iia", "independence of irrelevant alternatives (Arrow)", "relational", ORD,
              "If x wins and y loses in P, they do not swap roles in a P' with the same {x, y} "
              "restriction on every ballot (searched by single-ballot changes).",
              "docs/axioms.md §3; Arrow (1951)"),
    AxiomSpec("isda", "independence of Smith-dominated alternatives", "relational", ORD,
              "Deleting a candidate outside the Smith set leaves f unchanged.",
              "docs/axioms.md §3; Schulze (2011)"),
    AxiomSpec("later_no_harm", "later-no-harm", "relational", ORD,
              "Ranking more candidates below x on a truncated ballot keeps a winner x a winner.",
              "docs/axioms.md §3; Woodall (1997)", ballots=("truncated",), extension="W"),
    AxiomSpec("later_no_help", "later-no-help", "relational", ORD,
              "Ranking more candidates below x on a truncated ballot never makes a loser x win.",
              "docs/axioms.md §3; Woodall (1997)", ballots=("truncated",)),
    AxiomSpec("homogeneity", "homogeneity", "relational", ORD,
              "Replacing every ballot by k copies (k = 2, 3) leaves f unchanged.",
              "docs/axioms.md §3"),
    AxiomSpec("reversal_symmetry", "reversal symmetry", "relational", ORD,
              "If f(P) = {x} (m >= 2), x does not win after reversing every ballot unless "
              "f(rev P) = C.", "docs/axioms.md §3; Schulze (2011)"),
    AxiomSpec("anonymity", "anonymity", "relational", ORD,
              "Permuting the voters leaves f unchanged.", "docs/axioms.md §3"),
    AxiomSpec("neutrality", "neutrality", "relational", ORD,
              "Relabelling the candidates by pi relabels the outcome: f(pi P) = pi f(P).",
              "docs/axioms.md §3"),
    AxiomSpec("sd_efficiency", "SD-efficiency", "single", ("probabilistic",),
              "No lottery is SD-preferred by every voter and strictly by some.",
              "docs/axioms.md §2; Brandl, Brandt & Seedig (2016)"),
    # bargaining (docs/axioms.md §3.1)
    AxiomSpec("pareto_optimality", "Pareto optimality (bargaining)", "single", ("bargaining",),
              "No u' in U with u' >= F(U, d) and u' != F(U, d).", "docs/axioms.md §3.1; Nash (1950)",
              group="bargaining", ballots=()),
    AxiomSpec("symmetry", "symmetry (bargaining)", "relational", ("bargaining",),
              "If swapping players i, j leaves (U, d) unchanged, F_i = F_j.",
              "docs/axioms.md §3.1; Nash (1950)", group="bargaining", ballots=()),
    AxiomSpec("scale_invariance", "scale invariance (bargaining)", "relational", ("bargaining",),
              "F(A U, A d) = A F(U, d) for positive affine maps A.",
              "docs/axioms.md §3.1; Nash (1950)", group="bargaining", ballots=()),
    AxiomSpec("contraction_consistency", "contraction consistency / IIA (bargaining)",
              "relational", ("bargaining",),
              "U' ⊆ U, d ∈ U', F(U, d) ∈ U' imply F(U', d) = F(U, d).",
              "docs/axioms.md §3.1; Nash (1950)", group="bargaining", ballots=(),
              aliases=("bargaining_iia",)),
    AxiomSpec("individual_monotonicity", "individual monotonicity (bargaining)", "relational",
              ("bargaining",),
              "U ⊆ U' with the same ideal utilities of every j != i imply F_i(U', d) >= F_i(U, d).",
              "docs/axioms.md §3.1; Kalai & Smorodinsky (1975)", group="bargaining", ballots=()),
    AxiomSpec("strong_monotonicity", "monotonicity (bargaining)", "relational", ("bargaining",),
              "U ⊆ U' implies F(U', d) >= F(U, d) componentwise.",
              "docs/axioms.md §3.1; Kalai (1977)", group="bargaining", ballots=()),
]
