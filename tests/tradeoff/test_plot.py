"""plot_front (extra [plot]): what is drawn, where, and the error without matplotlib."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from socialchoice.errors import MissingDependencyError, ValidationError
from socialchoice.tradeoff import frontier, plot_front

R = np.array([[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]])


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_front_requested_and_achieved_are_drawn(plt):
    f = frontier(R, n_points=20)
    fig, ax = plt.subplots()
    out = plot_front(f, requested=[[0.8, 0.2], [0.5, 0.5]], achieved=[[0.9, 0.2], [0.2, 0.8]], ax=ax,
                     labels=("helpful", "harmless"))
    assert out is ax
    front, target, ach = ax.lines[:3]
    np.testing.assert_allclose(np.c_[front.get_xdata(), front.get_ydata()], f.points[np.argsort(f.points[:, 0])])
    # the weighted-sum targets of the requests: (0.9, 0.2) for (0.8, 0.2), (0.6, 0.6) for (0.5, 0.5)
    np.testing.assert_allclose(np.c_[target.get_xdata(), target.get_ydata()], [[0.9, 0.2], [0.6, 0.6]], atol=1e-9)
    np.testing.assert_allclose(np.c_[ach.get_xdata(), ach.get_ydata()], [[0.9, 0.2], [0.2, 0.8]])
    assert len(ax.lines) == 5 and ax.get_xlabel() == "helpful"


def test_points_and_projection(plt):
    P = np.random.default_rng(0).uniform(size=(6, 3))
    ax = plot_front(P, objectives=(2, 0))
    x = ax.lines[0].get_xdata()
    np.testing.assert_allclose(np.sort(x), np.sort(P[:, 2]))
    assert ax.get_xlabel() == "objective 2"


@pytest.mark.parametrize("kw, match", [
    (dict(objectives=(0, 0)), "objectives"),
    (dict(objectives=(0, 5)), "objectives"),
    (dict(requested=[[1.0, 0.0, 0.0]]), "requested"),
    (dict(achieved=[0.5, 0.5]), "achieved"),
    (dict(requested=[[1.0, 0.0]], achieved=[[0.5, 0.5], [0.1, 0.1]]), "one answer"),
])
def test_bad_inputs(plt, kw, match):
    with pytest.raises(ValidationError, match=match):
        plot_front(R, **kw)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingDependencyError, match=r"pip install socialchoice\[plot\]"):
        plot_front(R)
