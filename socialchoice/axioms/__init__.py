"""Axiom checkers and machine-checked axiomatic results (``sc.axioms``).

Placeholder created by the SAT engineer so that ``socialchoice.axioms.sat`` imports as a
regular package; the axioms package owner replaces it.
"""
