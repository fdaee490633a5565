"""The report's plots, drawn with matplotlib and returned as inline SVG strings (nothing fetched at view time).

matplotlib over Vega-Lite: it is already a scientific-Python staple, renders to static vector SVG offline
without a JavaScript or Deno runtime, and its SVG output is byte-deterministic once the hash salt and dates
are pinned, which the report's same-input-same-bytes promise needs.
"""

from __future__ import annotations

import io
import math
import re
from itertools import accumulate
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

WIDTH = 7.5
"""Figure width in inches; the HTML scales the SVG to the page width."""

POINTS_PER_DECADE = 40
"""Plotted points per decade of k above k = 100 (see `thin`)."""

MAX_DOMAIN_BARS = 30
"""Domains drawn per category plot (worst first); the domains table lists every domain."""

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_GROUP_ID = re.compile(r'<g id="[^"]*">')
_SIZE = re.compile(r' width="[\d.]+pt" height="[\d.]+pt"')


def colour(index: int) -> str:
    """A fixed colour per series position, so a category keeps its colour across plots."""
    return _COLOURS[index % len(_COLOURS)]


def new_figure(height: float) -> tuple[Figure, Any]:
    """A figure with one axes, built without pyplot so no global state or GUI backend is involved."""
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = figure.add_subplot()
    axes.grid(True, which="major", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _log_axis(axis: Any) -> None:
    """A log axis labelled 1, 2, 5, 10, 20… rather than powers of ten: counts people read at a glance."""
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}"))
    axis.set_minor_formatter(FuncFormatter(lambda value, _: ""))


def _legend(figure: Figure) -> None:
    """The legend below the axes, where it never hides a point."""
    if figure.axes[0].get_legend_handles_labels()[0]:
        figure.legend(loc="outside lower center", ncols=4, fontsize=8, frameon=False)


def to_svg(figure: Figure, name: str) -> str:
    """The figure as an inline `<svg>` element: deterministic bytes, ids unique per plot, no DOCTYPE URL."""
    buffer = io.StringIO()
    settings = {"svg.hashsalt": f"singleton-{name}", "svg.fonttype": "none", "svg.id": f"plot-{name}"}
    with matplotlib.rc_context(settings):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _GROUP_ID.sub("<g>", svg)  # matplotlib's "figure_1", "axes_1"… would repeat across the page's plots
    svg = _SIZE.sub("", svg, count=1)  # the viewBox keeps the aspect ratio; CSS sets the width
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


def _finish_rows(figure: Figure, axes: Any, labels: Sequence[str], xlabel: str, title: str, name: str) -> str:
    """One labelled row per category or domain, top to bottom, on a 0–1 rate axis; the figure as SVG."""
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlim(0, 1)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    _legend(figure)
    return to_svg(figure, name)


def _int_keys(fingerprint: Mapping[str, int]) -> list[tuple[int, int]]:
    """A JSON fingerprint ({"1": φ₁, …}) as (k, φ_k) pairs sorted by k."""
    return sorted((int(k), int(v)) for k, v in fingerprint.items())


def thin(ks: Sequence[int], values: Sequence[Any]) -> tuple[list[int], list[Any]]:
    """At most ~40 points per decade of k beyond k = 100, so a corpus with 10⁵ distinct counts still makes a
    small SVG; the points kept are exact (the largest k among them), only the ones between are left out."""
    kept: list[int] = []
    seen: set[int] = set()
    for index, k in enumerate(ks):
        bucket = k if k <= 100 else -int(POINTS_PER_DECADE * math.log10(k))
        if bucket not in seen or index == len(ks) - 1:  # the largest k too: the cumulative share ends at 1
            seen.add(bucket)
            kept.append(index)
    return [ks[i] for i in kept], [values[i] for i in kept]


def fingerprint_plot(categories: Mapping[str, Mapping[str, Any]]) -> str:
    """Facts seen k times (φ_k) against k, log–log: a steep fall from k = 1 means a long tail of singletons."""
    figure, axes = new_figure(3.6)
    for index, (name, stats) in enumerate(categories.items()):
        pairs = _int_keys(stats.get("fingerprint", {}))
        if pairs:
            ks, counts = thin([k for k, _ in pairs], [count for _, count in pairs])
            axes.plot(ks, counts, marker="o", markersize=3.5, linewidth=1.2, color=colour(index), label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    _log_axis(axes.xaxis)
    _log_axis(axes.yaxis)
    axes.set_xlabel("k = answered observations of a prompt")
    axes.set_ylabel("prompts seen k times (φ_k)")
    axes.set_title("Fingerprint: how many facts are seen k times")
    _legend(figure)
    return to_svg(figure, "fingerprint")


def sr_plot(categories: Mapping[str, Mapping[str, Any]]) -> str:
    """sr per category with its Lemma 1 interval, and Theorem 2's lower bound where it is not vacuous."""
    names = list(categories)
    figure, axes = new_figure(1.2 + 0.45 * max(1, len(names)))
    for row, name in enumerate(names):
        stats = categories[name]
        low, high = stats["sr_interval"]
        axes.errorbar(stats["sr"], row, xerr=[[stats["sr"] - low], [high - stats["sr"]]], fmt="o",
                      color=colour(row), capsize=4, label="sr with interval" if row == 0 else None)
        if stats.get("theorem2_lower") is not None:
            axes.plot(stats["theorem2_lower"], row, marker="|", markersize=14, color="#333333",
                      label="Theorem 2 lower bound" if row == 0 else None)
    return _finish_rows(figure, axes, names, "share of questions forecast to be hallucinated",
                        "Singleton rate sr per category (interval: Lemma 1)", "sr")


def domain_rate(stats: Mapping[str, Any]) -> float:
    """What ranks a domain: sr_global (its facts' forecast for a model trained on everything), else its sr."""
    return float(stats.get("sr_global", stats["sr"]))


def worst_domains(domains: Mapping[str, Mapping[str, Mapping[str, Any]]], category: str) -> list[str]:
    """Domains that have the category, worst (highest sr_global) first, ties by name."""
    present = [(name, domain_rate(stats[category])) for name, stats in domains.items() if category in stats]
    return [name for name, _ in sorted(present, key=lambda item: (-item[1], item[0]))]


def domain_plot(domains: Mapping[str, Mapping[str, Mapping[str, Any]]], category: str) -> str:
    """sr of each domain alone beside sr_global (its facts in the whole corpus), worst domains first."""
    names = worst_domains(domains, category)[:MAX_DOMAIN_BARS]
    figure, axes = new_figure(1.3 + 0.32 * max(1, len(names)))
    rows = range(len(names))
    alone = [domains[name][category]["sr"] for name in names]
    in_corpus = [domains[name][category].get("sr_global", 0.0) for name in names]
    axes.barh([row - 0.2 for row in rows], alone, height=0.4, color=colour(0), label="sr (domain alone)")
    axes.barh([row + 0.2 for row in rows], in_corpus, height=0.4, color=colour(1), label="sr_global (in the corpus)")
    return _finish_rows(figure, axes, names, "singleton rate", f"{category}: sr per domain, worst sr_global first",
                        f"domains-{category}")


def cumulative_share(fingerprint: Mapping[str, int]) -> tuple[list[int], list[float]]:
    """For each k, the share of answered observations held by prompts seen at most k times."""
    pairs = _int_keys(fingerprint)
    running = list(accumulate(k * count for k, count in pairs))
    total = running[-1] if running and running[-1] else 1
    return [k for k, _ in pairs], [value / total for value in running]


def cumulative_plot(categories: Mapping[str, Mapping[str, Any]]) -> str:
    """Cumulative share of observations by count: how much of the data sits in rarely-repeated facts."""
    figure, axes = new_figure(3.4)
    for index, (name, stats) in enumerate(categories.items()):
        ks, shares = thin(*cumulative_share(stats.get("fingerprint", {})))
        if ks:
            axes.step(ks, shares, where="post", marker="o", markersize=3, color=colour(index), label=name)
    axes.set_xscale("log")
    _log_axis(axes.xaxis)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("k = answered observations of a prompt")
    axes.set_ylabel("share of observations")
    axes.set_title("Cumulative share of observations in prompts seen ≤ k times")
    _legend(figure)
    return to_svg(figure, "cumulative")


def moved_plot(labels: Sequence[str], before: Sequence[float | None], after: Sequence[float | None],
               names: tuple[str, str]) -> str:
    """sr before and after for each row of a comparison: one arrow per category or domain."""
    figure, axes = new_figure(1.3 + 0.4 * max(1, len(labels)))
    for row, (start, end) in enumerate(zip(before, after, strict=True)):
        if start is not None and end is not None:
            axes.annotate("", xy=(end, row), xytext=(start, row), arrowprops={"arrowstyle": "->", "color": "#555555"})
    axes.scatter([v for v in before if v is not None], [r for r, v in enumerate(before) if v is not None],
                 color=colour(0), label=names[0], zorder=3)
    axes.scatter([v for v in after if v is not None], [r for r, v in enumerate(after) if v is not None],
                 color=colour(1), label=names[1], zorder=3)
    return _finish_rows(figure, axes, labels, "singleton rate sr", "How sr moved", "moved")
