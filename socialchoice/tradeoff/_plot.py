"""Plot a trade-off front with the requested weights and the achieved points (extra ``[plot]``;
docs/tradeoff-jury.md §A4-§A5). matplotlib is imported only when a plot is drawn."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ValidationError
from ._input import as_objectives

__all__ = ["plot_front"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependencyError(
            "plotting needs matplotlib: pip install socialchoice[plot]") from None
    return plt


def plot_front(result_or_points: Any, *, requested: Any = None, achieved: Any = None, ax: Any = None,
               objectives: tuple[int, int] = (0, 1), maximise: Any = True, labels: Any = None):
    """Draw a front (two objectives) and, optionally, what was asked for and what was achieved.

    Parameters
    ----------
    result_or_points : FrontierResult or array_like, shape (n, d)
        The front: a :func:`frontier` result or its points (drawn as a line through the points in
        order of the first plotted objective, the front of the lottery set between vertices).
    requested : array_like, shape (K, d), optional
        Requested weights ``λ`` of a steering grid; each is marked at the front point that the
        weighted sum with ``λ`` selects (the best achievable answer, §A5).
    achieved : array_like, shape (K, d), optional
        The answers ``r(λ)``; with ``requested``, a dashed line joins each answer to its target.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    objectives : (int, int), default (0, 1)
        The two objectives plotted (a projection when ``d > 2``).
    maximise : bool or sequence of bool, default True
        Orientation, used to locate the weighted-sum targets.
    labels : (str, str), optional
        Axis labels (default ``objective k``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (``pip install socialchoice[plot]``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import socialchoice as sc
    >>> R = [[0.9, 0.2], [0.6, 0.6], [0.2, 0.8]]
    >>> ax = sc.tradeoff.plot_front(sc.tradeoff.frontier(R, n_points=20),
    ...                             requested=[[0.8, 0.2], [0.5, 0.5]], achieved=[[0.9, 0.2], [0.2, 0.8]])
    >>> ax.get_xlabel(), len(ax.lines)
    ('objective 0', 5)
    """
    pts = getattr(result_or_points, "points", result_or_points)
    P, mx = as_objectives(pts, maximise=maximise, name="result_or_points")
    if P.ndim != 2:
        raise ValidationError(f"`result_or_points` has shape {P.shape}; pass one front, shape (n, d)")
    d = P.shape[1]
    try:
        i, j = (int(objectives[0]), int(objectives[1]))
    except (TypeError, ValueError, IndexError):
        raise ValidationError(f"`objectives`={objectives!r}; pass two objective indices") from None
    if len(objectives) != 2 or not (0 <= i < d and 0 <= j < d) or i == j:
        raise ValidationError(f"`objectives`={objectives!r}; pass two distinct indices in 0..{d - 1}")
    pts = np.asarray(pts, dtype=float)
    W = A = None
    if requested is not None:
        W = np.asarray(requested, dtype=float)
        if W.ndim != 2 or W.shape[1] != d:
            raise ValidationError(f"`requested` has shape {W.shape}; pass one weight vector of {d} entries per row")
    if achieved is not None:
        A = np.asarray(achieved, dtype=float)
        if A.ndim != 2 or A.shape[1] != d:
            raise ValidationError(f"`achieved` has shape {A.shape}; pass one point of {d} objectives per row")
        if W is not None and W.shape[0] != A.shape[0]:
            raise ValidationError(f"`requested` has {W.shape[0]} rows but `achieved` {A.shape[0]}; pass one answer "
                                  "per request")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    order = np.argsort(pts[:, i], kind="stable")
    ax.plot(pts[order, i], pts[order, j], "-o", color="0.3", ms=3, lw=1.2, label="front")
    if W is not None:
        target = pts[np.argmax(-P @ W.T, axis=0)]  # weighted-sum optimum over the front, per request
        ax.plot(target[:, i], target[:, j], "s", mfc="none", mec="tab:blue", ms=8, label="requested (target)")
    if A is not None:
        ax.plot(A[:, i], A[:, j], "x", color="tab:red", ms=7, label="achieved")
        if W is not None:
            for t, a in zip(target, A):
                ax.plot([t[i], a[i]], [t[j], a[j]], "--", color="tab:red", lw=0.6, alpha=0.6)
    lab = labels if labels is not None else (f"objective {i}", f"objective {j}")
    ax.set_xlabel(lab[0])
    ax.set_ylabel(lab[1])
    ax.legend(loc="best", fontsize="small")
    return ax
