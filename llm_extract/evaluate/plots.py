"""Quality-against-cost plots (matplotlib, no GUI backend) rendered as standalone SVG."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

COLORS = ("#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#66a182", "#8d6a9f", "#00798c", "#6c757d")


@dataclass(frozen=True)
class Point:
    run: str
    f1: float
    lo: float
    hi: float
    x: float | None


def scatter_svg(points: Sequence[Point], xlabel: str, title: str, salt: str) -> str:
    """Core F1 (with 95 % CI bars) against x, one labelled marker per run, as an SVG document."""
    fig = Figure(figsize=(6.4, 4.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    shown = [p for p in points if p.x is not None]
    for i, p in enumerate(shown):
        color = COLORS[i % len(COLORS)]
        ax.errorbar(
            [p.x],
            [100 * p.f1],
            yerr=[[100 * (p.f1 - p.lo)], [100 * (p.hi - p.f1)]],
            fmt="o",
            ms=8,
            color=color,
            ecolor=color,
            elinewidth=2,
            capsize=4,
            label=p.run,
        )
    right = 1.3 * max((p.x for p in shown if p.x), default=0.0) or 1.0
    ax.set_xlim(-0.04 * right, right)
    if shown:
        ax.legend(loc="lower right", fontsize=9, frameon=True, framealpha=0.9)
    ax.set_ylim(0, 105)
    ax.set_xlabel(xlabel, fontsize=11)
    ax.set_ylabel("core F1 (%) with 95% CI", fontsize=11)
    ax.set_title(title, fontsize=13, loc="left", fontweight="bold")
    ax.grid(True, color="#e5e5e5", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    missing = [p.run for p in points if p.x is None]
    if missing:
        ax.text(
            0.99,
            0.02,
            "not shown (unknown): " + ", ".join(missing),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#777",
        )
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def strip_prolog(svg: str) -> str:
    """Inline form: no XML declaration or DOCTYPE, no fixed size (scales with its container)."""
    at = svg.find("<svg")
    return re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg[at:], count=1)
