"""Exception and warning types of :mod:`socialchoice`.

Every error the package raises on purpose is a :class:`SocialChoiceError` and also the
matching builtin (``ValueError`` for bad input, ``RuntimeError`` for failures of a
computation), so ``except ValueError`` keeps working in user code.
"""

from __future__ import annotations

__all__ = [
    "SocialChoiceError",
    "ValidationError",
    "ProfileError",
    "WeightsError",
    "DistributionError",
    "ParseError",
    "UnknownNameError",
    "SizeLimitError",
    "InfeasibleError",
    "UnboundedError",
    "SolverError",
    "ConvergenceError",
    "NonexistenceError",
    "TimeLimitError",
    "MissingDependencyError",
    "TieWarning",
    "InaccurateSolutionWarning",
    "CoverageWarning",
    "ConventionWarning",
]


class SocialChoiceError(Exception):
    """Base class of every error raised by socialchoice."""


class ValidationError(SocialChoiceError, ValueError):
    """An argument has the wrong shape, dtype or values."""


class ProfileError(ValidationError):
    """A ballot, ranking, rating or pairwise record is malformed."""


class WeightsError(ValidationError):
    """Voter/rater weights are negative, non-finite, mis-shaped or all zero."""


class DistributionError(ValidationError):
    """A probability vector has negative entries, a wrong sum or a mismatched support."""


class ParseError(ValidationError):
    """A file could not be parsed; ``lineno`` gives the 1-based line number if known."""

    def __init__(self, message: str, *, path: str | None = None, lineno: int | None = None):
        self.path = path
        self.lineno = lineno
        where = ""
        if path is not None:
            where += f"{path}"
        if lineno is not None:
            where += f" line {lineno}" if where else f"line {lineno}"
        super().__init__(f"{where}: {message}" if where else message)


class UnknownNameError(SocialChoiceError, KeyError, ValueError):
    """A rule, axiom, divergence or method name is not registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class SizeLimitError(ValidationError):
    """The input exceeds the documented size limit of an exact algorithm."""


class InfeasibleError(SocialChoiceError, ValueError):
    """An optimisation or bargaining problem has no feasible point."""


class UnboundedError(SocialChoiceError, ValueError):
    """An optimisation problem is unbounded."""


class SolverError(SocialChoiceError, RuntimeError):
    """A numerical solver failed or returned an unusable status."""


class ConvergenceError(SolverError):
    """An iterative algorithm did not converge within its iteration limit."""


class NonexistenceError(SocialChoiceError, ValueError):
    """A statistical estimate (e.g. a Bradley–Terry MLE) does not exist for this data."""


class TimeLimitError(SocialChoiceError, RuntimeError):
    """Long work stopped at its ``time_limit`` (between chunks; partial results are discarded)."""


class MissingDependencyError(SocialChoiceError, ImportError):
    """An optional dependency is not installed; the message names the extra to install
    (e.g. ``pip install socialchoice[sat]``)."""


class TieWarning(UserWarning):
    """A tie was broken or could not be broken as requested."""


class InaccurateSolutionWarning(UserWarning):
    """A solver returned a solution flagged as inaccurate."""


class CoverageWarning(UserWarning):
    """Some items, groups or raters were left out of a result (missing data, no overlap), or
    an estimate rests on too few of them to carry an interval."""


class ConventionWarning(UserWarning):
    """A result depends on a convention the caller did not choose explicitly (e.g. how missing
    ratings enter pairwise comparisons); the message names the parameter that sets it."""
