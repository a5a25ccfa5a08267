"""Packaged demo data: loads without shared/, matches the documented figures and provenance."""

from __future__ import annotations

import hashlib
import os
from importlib import resources

import numpy as np
import pytest

import socialchoice as sc
from socialchoice import datasets
from socialchoice._summary import condorcet_winner

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_load_demo_figures():
    prof = sc.load_demo()
    assert prof is not sc.load_demo()  # a fresh object each call
    assert prof.total_weight == 8980 and prof.n_candidates == 6 and prof.n_ballots == 384
    assert prof.candidates == (1, 2, 3, 4, 5, 6)
    md = prof.metadata
    assert md["title"] == "2009 Burlington Mayoral Election" and md["data_type"] == "toi"
    assert md["alternative_names"] == {1: "Bob Kiss", 2: "Andy Montroll", 3: "James Simpson",
                                       4: "Dan Smith", 5: "Kurt Wright", 6: "Write-In"}
    M = prof.margins()
    assert prof.candidates[condorcet_winner(M)] == 2
    np.testing.assert_array_equal(M[1], [590, 0, 5676, 1575, 929, 6554])
    assert sc.datasets.load_demo is sc.load_demo


def test_load_demo_expand():
    full = sc.load_demo(expand=True)
    assert full.n_ballots == 8980 and full.weights is None
    np.testing.assert_array_equal(full.margins(), sc.load_demo().margins())


def test_packaged_files_and_checksum():
    root = resources.files("socialchoice").joinpath("data")
    data = root.joinpath(datasets.DEMO_FILE).read_bytes()
    assert hashlib.md5(data).hexdigest() == "1f04650a2b9df81731db22ffa54e44ac"
    lic = root.joinpath("LICENSE-GPL-3.0.md").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in lic and "Version 3" in lic
    readme = root.joinpath("README.md").read_text(encoding="utf-8")
    for needle in ("Mattei", "GPL", "e70f12c3f1ee0dfa6f7974618522df0aa4ce9d91", "Bob Kiss",
                   "Condorcet winner: Andy Montroll (2)"):
        assert needle in readme
    assert datasets.demo_path().read_bytes() == data


def test_package_data_declared():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        cfg = tomllib.load(fh)
    patterns = cfg["tool"]["setuptools"]["package-data"]["socialchoice"]
    assert "data/*" in patterns
