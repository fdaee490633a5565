"""report.json, report.md and report.html: building, writing, loading and rendering a run's report.

report.json follows DESIGN.md's contract; its bytes are deterministic outside `run` and `timing`
(keys sorted, fingerprints in numeric order, floats rounded).
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from singleton import html
from singleton.errors import SingletonError

SCHEMA = "singleton.report/1"
"""The version of report.json this code writes and reads."""

DECIMALS = 6
"""Rates and bounds are rounded to 6 decimals (DESIGN.md's example); tiny figures keep 3 significant digits."""


@dataclass
class Report:
    """A finished count: `data` is exactly report.json; the frames are its tables for people working in Python."""

    data: dict[str, Any]
    categories: pl.DataFrame = field(init=False)
    """One row per category: the scalar fields, intervals as `_low`/`_high`, `dedup_*`."""
    domains: pl.DataFrame = field(init=False)
    """One row per (domain, category), the same columns plus `sr_global`."""

    def __post_init__(self) -> None:
        self.categories = _frame(
            [{"category": name, **_flatten(fields)} for name, fields in self.data["categories"].items()]
        )
        self.domains = _frame(
            [
                {"domain": domain, "category": name, **_flatten(fields)}
                for domain, per_category in self.data["domains"].items()
                for name, fields in per_category.items()
            ]
        )

    @property
    def failed(self) -> list[dict[str, str]]:
        """Units of work that failed (path and error); a non-empty list means exit status 3."""
        return list(self.data["input"].get("failed", []))


def _flatten(fields: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Scalars as they are, [low, high] pairs as two columns, nested dicts prefixed; the fingerprint left out."""
    flat: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "fingerprint":
            continue
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}_"))
        elif isinstance(value, list):
            flat[f"{prefix}{key}_low"], flat[f"{prefix}{key}_high"] = value
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A frame from report rows; every column typed from all rows (nulls where a row lacks a field)."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return pl.DataFrame([{key: row.get(key) for key in columns} for row in rows], infer_schema_length=None)


def _round(value: float) -> float:
    """6 decimals, or 3 significant digits below 0.001, which 6 decimals would blur (hash collisions: 1.96e-10)."""
    if value == 0 or abs(value) >= 1e-3:
        return round(value, DECIMALS)
    return float(f"{value:.3g}")


def _canonical(value: Any) -> Any:
    """Keys sorted (numeric keys in numeric order, e.g. the fingerprint), floats rounded: deterministic JSON."""
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda key: (0, int(key), "") if str(key).isdigit() else (1, 0, str(key)))
        return {str(key): _canonical(value[key]) for key in keys}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, float):
        return _round(value)
    return value


def build_report(
    *,
    unit: str,
    input_info: Mapping[str, Any],
    categories: Mapping[str, Mapping[str, Any]],
    domains: Mapping[str, Mapping[str, Mapping[str, Any]]],
    run: Mapping[str, Any],
    timing: Mapping[str, Any],
) -> dict[str, Any]:
    """The report.json content, in canonical form (sorted, rounded)."""
    return _canonical(
        {
            "schema": SCHEMA,
            "unit": unit,
            "input": input_info,
            "categories": categories,
            "domains": domains,
            "run": run,
            "timing": timing,
        }
    )


def installed_version(package: str) -> str | None:
    """A package's installed version for the report's `run` block, without importing it (spaCy is slow to)."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary name beside `path`, then rename: a killed run never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_report(report_data: Mapping[str, Any], out_dir: str | Path, *, with_html: bool = True) -> None:
    """Write report.json, report.md and report.html into `out_dir` (each to a temporary name, then renamed).

    `with_html=False` skips report.html, whose plots take about a second to draw.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(out_dir / "report.json", json.dumps(report_data, indent=2, ensure_ascii=False) + "\n")
    write_atomically(out_dir / "report.md", render_markdown(report_data, out_dir))
    if with_html:
        write_atomically(out_dir / "report.html", html.render_html(report_data, out_dir))


def load_report(directory: str | Path) -> dict[str, Any]:
    """report.json of a finished run; a missing or unreadable report, or another schema, is error E007."""
    path = Path(directory) / "report.json"
    if not path.is_file():
        raise SingletonError("E007", f"no report.json in {str(directory)!r}; run `singleton scan` or `singleton count` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SingletonError("E007", f"{str(path)!r} is not a readable report: {error}") from error
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != SCHEMA:
        raise SingletonError("E007", f"{str(path)!r} has schema {schema!r}; this version reads {SCHEMA!r}")
    return data


def render(directory: str | Path, fmt: str = "md") -> str:
    """The report of `directory` as Markdown, JSON or HTML text (what `singleton report` prints)."""
    data = load_report(directory)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return html.render_html(data, Path(directory))
    return render_markdown(data, Path(directory))


def _interval(fields: Mapping[str, Any]) -> str:
    low, high = fields["sr_interval"]
    return f"[{low:.4f}, {high:.4f}]"


def _bound(fields: Mapping[str, Any]) -> str:
    """Theorem 2's lower bound, or why there is none: never a negative number printed as a rate."""
    if fields["theorem2_lower"] is not None:
        return f"≥ {fields['theorem2_lower']:.4f}"
    needed = fields.get("n_for_nonvacuous")
    return "vacuous at this N" + (f" (bites at N ≈ {needed:.2g})" if needed else "")


def summary_lines(data: Mapping[str, Any]) -> list[str]:
    """One terminal line per category: N, singletons, sr with its interval, and Theorem 2's bound."""
    if not data["categories"]:
        return ["no fact observations (N = 0)"]
    width = max(len(name) for name in data["categories"])
    return [
        f"{name:<{width}}  N={fields['N']:,}  singletons={fields['singletons']:,}  "
        f"sr={fields['sr']:.4f} {_interval(fields)}  Theorem 2 lower bound {_bound(fields)}"
        for name, fields in data["categories"].items()
    ]


def render_markdown(data: Mapping[str, Any], out_dir: Path | None = None) -> str:
    """report.md: the forecast table per category first, then the HTML report's sections as Markdown.

    With `out_dir`, prompts.parquet (and kept facts) add the top conflicts and singleton samples.
    """
    info = data["input"]
    lines = [
        "# Singleton report",
        "",
        f"Unit: {data['unit']} · {info.get('documents', 0):,} documents in {info.get('units', 0):,} inputs",
        "",
    ]
    if not data["categories"]:
        return "\n".join([*lines, "No fact observations (N = 0).", "", html.markdown_sections(data, out_dir)])
    forecast = html.Table(
        "Forecast per category",
        ["category", "N", "singletons", "sr", "interval", "Theorem 2 lower bound", "upper bound"],
        [
            [html.Cell(text) for text in (
                name,
                f"{fields['N']:,}",
                f"{fields['singletons']:,}",
                f"{fields['sr']:.4f}",
                _interval(fields),
                _bound(fields),
                "–" if fields["theorem2_upper"] is None else f"{fields['theorem2_upper']:.4f}",
            )]
            for name, fields in data["categories"].items()
        ],
        "sr = singletons / N, every observation counted in N (IDK included): the forecast hallucination rate. "
        "Interval: Lemma 1 at confidence 1 − γ. Bounds: Theorem 2 at 99%, calibration error δ = 0.",
    )
    lines += [html.md_table(forecast), html.md_table(html.category_table(data["categories"]))]
    lines.append(html.markdown_sections(data, out_dir))
    return "\n".join(lines)
