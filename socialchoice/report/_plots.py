"""Figures of the report as inline SVG strings (matplotlib, imported lazily).

Every function takes a section dict of the report and returns an ``<svg>`` string, or
``None`` when there is nothing to draw. :func:`available` says whether matplotlib can be
imported; without it the page says so instead of showing figures.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import numpy as np

__all__ = ["available", "margin_graph", "win_probability", "group_utilities",
           "composition_sweep", "divergence_heatmap", "pareto_front"]

PALETTE = ["#2f6690", "#d1495b", "#edae49", "#66a182", "#8d6a9f", "#3a7d7c", "#c97b63",
           "#7a7a7a", "#00798c", "#a05195", "#4d7ea8", "#f28f3b"]


def available() -> bool:
    """True when matplotlib is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.fonttype": "none",
                         "font.family": "sans-serif"})
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buf.getvalue()
    text = text[text.find("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF boilerplate
    return text.replace("<svg", '<svg class="fig" role="img"', 1)


def _short(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def margin_graph(rules: dict, names: list[str]) -> str | None:
    """Majority margins as a directed graph on a circle: arrow x -> y when x beats y."""
    M = rules.get("margins")
    if not M or len(names) > 14:
        return None
    M = np.array([[np.nan if v is None else v for v in row] for row in M], dtype=float)
    m = len(names)
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.2, 5.2))
    ang = np.pi / 2 - 2 * np.pi * np.arange(m) / m
    xy = np.c_[np.cos(ang), np.sin(ang)]
    top = np.nanmax(np.abs(M)) or 1.0
    smith = set(rules.get("smith_set") or [])
    for i in range(m):
        for j in range(m):
            if i != j and M[i, j] > 0:
                lw = 0.6 + 4.0 * M[i, j] / top
                ax.annotate("", xy=xy[j] * 0.86, xytext=xy[i] * 0.86,
                            arrowprops=dict(arrowstyle="-|>", lw=lw, color="#555555",
                                            alpha=0.65, shrinkA=14, shrinkB=14,
                                            connectionstyle="arc3,rad=0.08"))
                mid = (xy[i] + xy[j]) * 0.43 + np.array([xy[j][1] - xy[i][1],
                                                         xy[i][0] - xy[j][0]]) * 0.05
                if m <= 8:
                    ax.text(*mid, f"+{M[i, j]:.0f}" if top >= 10 else f"+{M[i, j]:.2g}",
                            fontsize=7.5, ha="center", va="center", color="#333333",
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                      alpha=0.8))
    for i, nm in enumerate(names):
        col = PALETTE[0] if nm in smith else "#bbbbbb"
        ax.scatter(*(xy[i] * 0.86), s=420, color=col, zorder=3, edgecolor="white", lw=1.5)
        ax.text(*(xy[i] * 1.13), _short(nm, 22), ha="center", va="center", fontsize=9,
                fontweight="bold" if nm in smith else "normal")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Majority margins: arrow x → y when more raters prefer x to y\n"
                 "(width = margin; blue = Smith set)", fontsize=10)
    return _svg(fig)


def win_probability(wp: dict) -> str | None:
    """P(win) of each alternative under rater resampling, one panel row per rule."""
    rows = [(r, a, v) for r, d in (wp.get("rules") or {}).items() for a, v in d.items()
            if isinstance(v, dict) and v.get("p") is not None]
    if not rows:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.2, 0.34 * len(rows) + 1.1))
    ylab, colors = [], []
    rules_ = list(dict.fromkeys(r for r, _, _ in rows))
    for k, (r, a, v) in enumerate(rows):
        c = PALETTE[rules_.index(r) % len(PALETTE)]
        ax.barh(k, v["p"], color=c, alpha=0.85, height=0.7)
        ax.errorbar(v["p"], k, xerr=[[v["p"] - v["low"]], [v["high"] - v["p"]]], fmt="none",
                    ecolor="#222222", capsize=3, lw=1)
        ylab.append(f"{r.replace('_', ' ')}: {_short(a, 22)}")
        colors.append(c)
    ax.set_yticks(range(len(rows)), ylab)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(f"probability of winning when raters are resampled ({wp['n_resamples']} "
                  "resamples; bars: 95% interval)")
    return _svg(fig)


def group_utilities(welfare: dict) -> str | None:
    """Grouped bars: each group's utility under each welfare choice and bargaining lottery."""
    table = welfare.get("group_utilities") if welfare else None
    if not table:
        return None
    groups = welfare.get("groups") or []
    sols = list(table)
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8.4, 4.2))
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(sols))
    for k, g in enumerate(groups):
        vals = [table[s].get(g) for s in sols]
        vals = [np.nan if v is None else v for v in vals]
        ax.bar(x + (k - (len(groups) - 1) / 2) * width, vals, width * 0.95,
               color=PALETTE[k % len(PALETTE)], label=f"group {g}")
    ticks = [s.split(":")[0].replace("_", " ").replace(" (lottery)", "") for s in sols]
    ax.set_xticks(x, ticks, fontsize=8, rotation=30, ha="right")
    ax.set_ylabel("group's utility")
    ax.axhline(0, color="#999999", lw=0.8)
    ax.legend(frameon=False, fontsize=8, ncol=min(len(groups), 4))
    ax.set_title("Each group's utility under each welfare choice and bargaining lottery",
                 fontsize=10)
    return _svg(fig)


def composition_sweep(sweep: dict) -> str | None:
    """Win probabilities as one group's share of the jury grows, with the flip point."""
    if not sweep or "shares" not in sweep:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    s = np.array(sweep["shares"], dtype=float)
    for k, (alt, ps) in enumerate(sweep["win_probability"].items()):
        ax.plot(s, [np.nan if p is None else p for p in ps], marker="o", ms=3,
                color=PALETTE[k % len(PALETTE)], label=_short(alt, 28))
    fs = sweep.get("flip_share")
    if fs is not None and not (isinstance(fs, float) and math.isnan(fs)):
        ax.axvline(fs, color="#d1495b", ls="--", lw=1.2)
        ax.text(fs, 1.02, f" flip at {fs:.0%}", color="#d1495b", fontsize=9, va="bottom")
    ax.set_xlabel(f"share of the jury's seats held by group {sweep['group']}")
    ax.set_ylabel("probability of winning")
    ax.set_ylim(-0.02, 1.08)
    ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig)


def divergence_heatmap(heat: dict) -> str | None:
    """Groups x questions divergence of the model from each group."""
    if not heat or not heat.get("values"):
        return None
    V = np.array([[np.nan if v is None else v for v in row] for row in heat["values"]], float)
    if V.size == 0 or np.isnan(V).all():
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(min(1.0 + 0.42 * V.shape[1], 11), 0.4 * V.shape[0] + 1.8))
    im = ax.imshow(V, cmap="viridis_r", aspect="auto", vmin=0, vmax=max(np.nanmax(V), 1e-9))
    ax.set_yticks(range(V.shape[0]), [_short(g, 20) for g in heat["groups"]])
    ax.set_xticks(range(V.shape[1]), [_short(q, 18) for q in heat["questions"]], rotation=60,
                  ha="right", fontsize=7.5)
    fig.colorbar(im, ax=ax, label=heat.get("metric", "divergence"), shrink=0.8)
    ax.set_title("Model vs each group: lower = closer", fontsize=10)
    return _svg(fig)


def pareto_front(tr: dict) -> str | None:
    """The alternatives on the first two objectives, the non-dominated ones highlighted."""
    if not tr or "points" not in tr or len(tr.get("objectives", [])) < 2:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    front = set(tr.get("front", []))
    pts: list[tuple[str, Any]] = list(tr["points"].items())
    for lb, (x, y, *_) in pts:
        on = lb in front
        ax.scatter(x, y, s=50 if on else 25, color=PALETTE[1] if on else "#999999", zorder=3)
        ax.annotate(_short(lb, 18), (x, y), fontsize=7.5, xytext=(3, 3),
                    textcoords="offset points")
    fr = sorted((p for p in pts if p[0] in front), key=lambda p: p[1][0])
    if len(fr) > 1:
        ax.plot([p[1][0] for p in fr], [p[1][1] for p in fr], color=PALETTE[1], lw=1, ls="--")
    ax.set_xlabel(tr["objectives"][0])
    ax.set_ylabel(tr["objectives"][1])
    ax.set_title("Pareto front (red: non-dominated; larger is better)", fontsize=10)
    return _svg(fig)
