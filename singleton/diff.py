"""Comparing two reports: how N, singletons and sr moved per category and per domain between two corpora or two
versions of one (before and after deduplication, after adding a source)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from singleton import html, plots, stats
from singleton.report import load_report

MEASURES = ("N", "singletons", "sr")
"""What is compared on every row; domain rows add sr_global."""

_SCHEMA = {"category": pl.String, "N": pl.Int64, "singletons": pl.Int64, "sr": pl.Float64, "sr_global": pl.Float64}


def _rows(report: Mapping[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A report's per-category and per-domain figures as two frames."""
    categories = pl.DataFrame(
        [{"category": name, **{m: c.get(m) for m in MEASURES}, "sr_global": None}
         for name, c in report["categories"].items()],
        schema=_SCHEMA,
    )
    domains = pl.DataFrame(
        [{"domain": domain, "category": name, **{m: c.get(m) for m in (*MEASURES, "sr_global")}}
         for domain, by_category in (report.get("domains") or {}).items() for name, c in by_category.items()],
        schema={"domain": pl.String, **_SCHEMA},
    )
    return categories, domains


def _join(left: pl.DataFrame, right: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Both sides' figures side by side (`_a`, `_b`); a row present on one side only has nulls on the other."""
    left = left.rename({c: f"{c}_a" for c in left.columns if c not in keys})
    right = right.rename({c: f"{c}_b" for c in right.columns if c not in keys})
    return left.join(right, on=keys, how="full", coalesce=True).sort(keys)


def diff_reports(a: Mapping[str, Any], b: Mapping[str, Any]) -> pl.DataFrame:
    """One row per category (domain null) and per (domain, category): each measure in A and B and its change.

    `sr_change_significant` is true when |Δsr| exceeds the two runs' sampling half-widths added
    (√(2 ln(2/γ)/N) each, γ = 0.05): a move larger than either corpus's own sampling noise.
    """
    categories_a, domains_a = _rows(a)
    categories_b, domains_b = _rows(b)
    joined = pl.concat(
        [
            _join(categories_a, categories_b, ["category"]).with_columns(pl.lit(None, pl.String).alias("domain")),
            _join(domains_a, domains_b, ["domain", "category"]),
        ],
        how="diagonal",
    )
    noise_at_one = stats.sampling_half_width(1)  # the half-width is this over √N
    return joined.select(
        pl.when(pl.col("domain").is_null()).then(pl.lit("category")).otherwise(pl.lit("domain")).alias("scope"),
        "domain",
        "category",
        *[
            expression
            for measure in (*MEASURES, "sr_global")
            for expression in (
                pl.col(f"{measure}_a"),
                pl.col(f"{measure}_b"),
                (pl.col(f"{measure}_b") - pl.col(f"{measure}_a")).alias(f"{measure}_change"),
            )
        ],
        (
            (pl.col("sr_b") - pl.col("sr_a")).abs()
            > noise_at_one / pl.col("N_a").sqrt() + noise_at_one / pl.col("N_b").sqrt()
        ).alias("sr_change_significant"),
    )


def _signed(value: Any) -> str:
    """A change with its sign, so a reader sees the direction at once."""
    text = html.fmt(value)
    return text if value is None or value <= 0 else f"+{text}"


def _table(frame: pl.DataFrame, scope: str, names: tuple[str, str]) -> html.Table | None:
    """The category or domain rows of a diff as a report table."""
    rows = frame.filter(pl.col("scope") == scope)
    if rows.is_empty():
        return None
    measures = (*MEASURES, "sr_global") if scope == "domain" else MEASURES
    labels = ["domain", "category"] if scope == "domain" else ["category"]
    header = labels + [f"{m} {label}" for m in measures for label in (names[0], names[1], "change")]
    header.append("sr moved beyond noise")
    body = [
        [html.Cell(html.fmt(row[c])) for c in (["domain", "category"] if scope == "domain" else ["category"])]
        + [
            html.Cell(_signed(row[f"{m}_{side}"]) if side == "change" else html.fmt(row[f"{m}_{side}"]))
            for m in measures
            for side in ("a", "b", "change")
        ]
        + [html.Cell(html.fmt(row["sr_change_significant"]))]
        for row in rows.iter_rows(named=True)
    ]
    title = "Per domain" if scope == "domain" else "Per category"
    return html.Table(title, header, body, anchor=scope)


def summary_lines(frame: pl.DataFrame, names: tuple[str, str] = ("A", "B")) -> list[str]:
    """One line per category: how sr and N moved, or on which side alone the category appears."""
    lines = []
    for row in frame.filter(pl.col("scope") == "category").iter_rows(named=True):
        if row["N_a"] is None or row["N_b"] is None:
            side = "a" if row["N_b"] is None else "b"
            lines.append(f"{row['category']}: only in {names['ab'.index(side)]} "
                         f"(sr {html.fmt(row[f'sr_{side}'])}, N {html.fmt(row[f'N_{side}'])})")
            continue
        noise = "beyond sampling noise" if row["sr_change_significant"] else "within sampling noise"
        lines.append(f"{row['category']}: sr {html.fmt(row['sr_a'])} → {html.fmt(row['sr_b'])} "
                     f"({_signed(row['sr_change'])}, {noise}), N {html.fmt(row['N_a'])} → {html.fmt(row['N_b'])} "
                     f"({_signed(row['N_change'])})")
    return lines


NOISE_NOTE = (
    "“Beyond noise”: |Δsr| exceeds the sum of both runs' sampling half-widths √(2 ln(2/γ)/N), γ = 0.05. "
    "A sample's sr overstates its corpus's, so compare runs of like size and sampling."
)


def render_diff(a: Mapping[str, Any], b: Mapping[str, Any], fmt: str, names: tuple[str, str] = ("A", "B")) -> str:
    """The comparison as Markdown, JSON or a self-contained HTML page."""
    frame = diff_reports(a, b)
    if fmt == "json":
        return json.dumps({"a": names[0], "b": names[1], "rows": frame.to_dicts()}, indent=2, ensure_ascii=False) + "\n"
    title = f"How the report moved: {names[0]} → {names[1]}"
    tables = [t for t in (_table(frame, "category", names), _table(frame, "domain", names)) if t is not None]
    lines = summary_lines(frame, names)
    if fmt == "md":
        parts = [f"# {html.md_escape(title)}", "", *[f"- {html.md_escape(line)}" for line in lines], ""]
        parts += [html.md_table(table) for table in tables] + [html.md_escape(NOISE_NOTE), ""]
        return "\n".join(parts)
    categories = frame.filter(pl.col("scope") == "category")
    plot = plots.moved_plot(categories["category"].to_list(), categories["sr_a"].to_list(),
                            categories["sr_b"].to_list(), names)
    body = (
        "<section><ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"
        + html.figure(plot, f"sr per category, {names[0]} (start) → {names[1]} (end).") + "</section>"
        + "".join(html.html_table(table) for table in tables)
        + f'<p class="note">{html.escape(NOISE_NOTE)}</p>'
    )
    return html.page(title, f"{names[0]} → {names[1]}", body)


def compare_dirs(dir_a: str | Path, dir_b: str | Path, fmt: str = "md") -> str:
    """`singleton report DIR_A DIR_B`: the two runs' reports compared (E007 when either has no usable report).

    The runs are labelled by folder name, or by full path when the names coincide.
    """
    dir_a, dir_b = Path(dir_a), Path(dir_b)
    names = (dir_a.name, dir_b.name) if dir_a.name != dir_b.name else (str(dir_a), str(dir_b))
    return render_diff(load_report(dir_a), load_report(dir_b), fmt, names)
