"""Repository-wide pytest hooks (the tests and the doctests of the package).

Oracle packages (independent implementations the tests compare against) and optional extras
are not installed everywhere: the dependency-floor job (ci/floors) runs the suite without the
oracles, whose own requirements are newer than our floors. A test or doctest that needs a
missing one is skipped with the reason instead of failing or erroring.
"""

from __future__ import annotations

import doctest

import pytest

#: independent implementations used as oracles, and optional extras of the package
OPTIONAL = {"pref_voting", "preflibtools", "prefsampling", "moocore", "krippendorff", "pysat",
            "zarr", "netCDF4", "matplotlib", "distributed", "pyarrow"}


def _missing_optional(exc: BaseException | None) -> str | None:
    if isinstance(exc, doctest.UnexpectedException):
        exc = exc.exc_info[1]
    if isinstance(exc, ModuleNotFoundError):
        name = (exc.name or "").split(".")[0]
        if name in OPTIONAL:
            return name
    from socialchoice.errors import MissingDependencyError

    if isinstance(exc, MissingDependencyError):  # the package's own "pip install ...[extra]"
        return str(exc).split(" needs ")[-1].split(":")[0] or "an optional package"
    return None


def _skip_if_missing(outcome) -> None:
    exc = outcome.excinfo
    name = _missing_optional(exc[1]) if exc is not None else None
    if name is not None:
        outcome.force_exception(pytest.skip.Exception(
            f"optional package {name!r} is not installed (pip install -e '.[test]')",
            _use_item_location=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    _skip_if_missing((yield))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _skip_if_missing((yield))
