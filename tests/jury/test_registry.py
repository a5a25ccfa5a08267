"""The jury family follows the registry conventions (docs/conventions.md §1)."""

import dataclasses
import inspect

import pytest

import socialchoice as sc
from socialchoice import jury
from socialchoice._registry import all_registries


def test_registry_api_and_conventions():
    assert "jury" in all_registries() and all_registries()["jury"] is jury.REGISTRY
    names = jury.names()
    assert {"sample", "poststratify", "rake", "verdicts", "krippendorff_alpha", "fleiss_kappa",
            "randolph_kappa", "stability", "composition_sweep", "dissent", "group_effects"} <= set(names)
    for n in names:
        e = jury.info(n)
        assert e.name == n and jury.get(n) is e.func
        doc = inspect.getdoc(e.func) or ""
        assert ">>>" in doc, f"jury.{n} has no runnable example"
        if e.meta.get("random"):
            assert "rng" in inspect.signature(e.func).parameters, n
    assert set(jury.names("agreement")) >= {"krippendorff_alpha", "fleiss_kappa"}
    with pytest.raises(sc.errors.UnknownNameError, match="did you mean"):
        jury.get("krippendorf_alpha")


def test_results_are_frozen_dataclasses_and_errors_are_package_errors():
    for name in dir(jury):
        obj = getattr(jury, name)
        if name.endswith("Result"):
            assert dataclasses.is_dataclass(obj) and obj.__dataclass_params__.frozen, name
    assert issubclass(jury.InsufficientRatersError, sc.errors.ValidationError)
