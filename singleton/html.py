"""report.html — the report people read — and the Markdown sections that mirror it.

Everything shown is taken from report.json (plus prompts.parquet and kept facts for examples), formatted by
one function so the HTML, the Markdown and the JSON cannot disagree. Corpus text is escaped everywhere.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from singleton import plots, stats
from singleton.schema import IDK

MAX_DOMAIN_ROWS = 500
"""Domains listed in the domains table (worst first); report.json has them all."""

TOP_CONFLICTS = 20
"""Conflicting prompts listed, most observed first."""

SAMPLES_PER_CATEGORY = 5
"""Singleton facts listed per category for an auditor to check against their evidence."""

PROMPT_COLUMNS = ("category", "subject_key", "n", "distinct_answers", "top_answer", "top_count", "example_doc_id")
"""The prompts.parquet columns this module reads (DESIGN.md "Files")."""

CATEGORY_FIELDS: tuple[tuple[str, str], ...] = (
    ("N", "observations N (IDK included)"),
    ("idk", "IDK observations"),
    ("distinct_prompts", "distinct prompts"),
    ("singletons", "singletons (prompts answered once)"),
    ("sr", "sr = singletons / N"),
    ("sr_interval.0", "sr interval, low"),
    ("sr_interval.1", "sr interval, high"),
    ("gamma", "interval γ (confidence 1 − γ)"),
    ("error_space", "error space |E|"),
    ("theorem2_confidence", "Theorem 2 confidence"),
    ("theorem2_delta", "calibration error δ assumed"),
    ("theorem2_lower", "Theorem 2 lower bound"),
    ("theorem2_upper", "calibrated learner's upper bound"),
    ("vacuous", "lower bound vacuous"),
    ("n_for_nonvacuous", "N at which the lower bound bites (at this sr)"),
    ("singleton_share_of_distinct", "share of distinct prompts that are singletons (not sr)"),
    ("good_turing_once_mass", "Good–Turing mass of facts seen once (2φ₂/N)"),
    ("coverage", "coverage (1 − φ₁/N)"),
    ("chao1", "Chao1: facts of the category in all"),
    ("chao1_interval.0", "Chao1 95% interval, low"),
    ("chao1_interval.1", "Chao1 95% interval, high"),
    ("conflicting_prompts", "conflicting prompts"),
    ("hash_collisions_expected", "expected hash collisions"),
    ("dedup.N", "N, duplicate documents collapsed"),
    ("dedup.singletons", "singletons, duplicate documents collapsed"),
    ("dedup.sr", "sr, duplicate documents collapsed"),
)
"""Rows of the per-category table: a dotted path into `categories.<c>` and its label."""

UNIT_TEXT = {
    "doc": "doc: one observation per document and distinct answer; compatible answers in a document merge "
    "into the most precise, IDK counts once per document",
    "mention": "mention: every mention is one observation",
}

CANONICALISATION = (
    "names: Unicode NFKC, case-folded, honorifics and punctuation dropped, “Last, First” reordered; "
    "dates: ISO YYYY-MM-DD, YYYY-MM or YYYY at the stated precision, BC years negative, no year → no fact; "
    "places: as written, case-folded and trimmed; keys hashed with 64-bit xxhash"
)

CAVEATS = (
    "A sample's sr overstates the corpus's: a fact stated once in a sample is often repeated elsewhere in the "
    "full corpus, so run on the whole corpus before acting on the forecast.",
    "Name ambiguity merges people: prompts are keyed by canonical name, so namesakes become one prompt "
    "(fewer singletons, more conflicts); a conflicting prompt may be two people.",
    "δ = 0 assumed: Theorem 2's bound is shown for a calibrated base model; a calibration error δ lowers "
    "the bound by δ.",
    "The forecast is for a base model trained on this corpus, asked about facts of these categories; "
    "post-training that teaches abstention changes the realised rate.",
    "Facts the extractor misses or misreads change the counts; the figures are as good as the extraction.",
)


# --- formatting: one place, so every rendering shows the same figures -------------------------------------


def fmt(value: Any) -> str:
    """A report value as shown to people: ints with separators, floats to 6 significant digits, None as —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.6g}"
    return str(value)


def pct(value: float) -> str:
    """A rate as a percentage for headlines (the tables carry the exact figure)."""
    return f"{100 * value:.1f}%"


def lookup(stats_: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path ("sr_interval.0", "dedup.sr") of a category's statistics, or None."""
    value: Any = stats_
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


# --- content shared by the HTML and the Markdown ------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and the report.json path it shows (so tests can check it against the JSON)."""

    text: str
    key: str | None = None


@dataclass(frozen=True)
class Table:
    """A titled table, rendered identically as HTML and as Markdown."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    anchor: str = ""
    align_numbers: bool = True
    """Right-align numeric cells (off for label–value tables, where the values are mostly prose)."""


def headline(name: str, category: Mapping[str, Any]) -> list[str]:
    """The sentences a corpus lead reads first for a category: the forecast, Theorem 2, and the counts."""
    low, high = category["sr_interval"]
    confidence = round(100 * (1 - category.get("gamma", stats.DEFAULT_GAMMA)))
    lines = [
        f"At least ~{pct(category['sr'])} of questions like these are forecast to be hallucinated "
        f"(sr = {fmt(category['sr'])}; {confidence}% interval {pct(low)}–{pct(high)}).",
    ]
    theorem_confidence = round(100 * category.get("theorem2_confidence", stats.THEOREM2_CONFIDENCE))
    if category.get("theorem2_lower") is not None:
        lines.append(
            f"Theorem 2 ({theorem_confidence}% confidence, δ = {fmt(category.get('theorem2_delta', 0.0))}): any base model trained on these data errs on "
            f"at least {pct(category['theorem2_lower'])} of them; a calibrated one can get down to "
            f"{pct(category['theorem2_upper'])}."
        )
    else:
        needed = category.get("n_for_nonvacuous") or stats.n_for_nonvacuous(category["sr"], category["error_space"])
        bite = (
            f"it would bite at N ≈ {fmt(needed)} observations with this sr"
            if needed is not None
            else f"no corpus size makes it bite while sr ≤ 2/|E| = {fmt(2 / category['error_space'])}"
        )
        lines.append(f"Theorem 2 bound: vacuous at this N ({fmt(category['N'])}); {bite}.")
    lines.append(
        f"{fmt(category['singletons'])} of {fmt(category['distinct_prompts'])} prompts are answered exactly once, "
        f"among N = {fmt(category['N'])} observations ({fmt(category['idk'])} IDK)."
    )
    return lines


def category_table(categories: Mapping[str, Mapping[str, Any]]) -> Table:
    """Every statistic of every category, one column per category."""
    rows = [
        [Cell(label)] + [Cell(_category_value(categories[name], path), f"categories.{name}.{path}") for name in categories]
        for path, label in CATEGORY_FIELDS
        if any(lookup(categories[name], path) is not None or path == "theorem2_lower" for name in categories)
    ]
    return Table("Statistics per category", ["statistic", *categories], rows, anchor="statistics")


def _category_value(category: Mapping[str, Any], path: str) -> str:
    """A category statistic's text; a missing Theorem 2 lower bound reads "vacuous", never a negative rate."""
    value = lookup(category, path)
    return "vacuous" if path == "theorem2_lower" and value is None else fmt(value)


def domain_order(domains: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Domains worst first: by their highest sr_global over categories, ties by name."""
    return sorted(domains, key=lambda name: (-max(map(plots.domain_rate, domains[name].values()), default=0.0), name))


def domain_table(report: Mapping[str, Any]) -> Table | None:
    """Domains × categories: N, sr (domain alone) and sr_global (its facts in the whole corpus)."""
    domains = report.get("domains") or {}
    if not domains:
        return None
    names = list(report["categories"])
    header = ["domain"] + [f"{name} {column}" for name in names for column in ("N", "sr", "sr_global")]
    order = domain_order(domains)
    rows = [
        [Cell(domain)]
        + [
            Cell(fmt(lookup(domains[domain].get(name, {}), column)), f"domains.{domain}.{name}.{column}")
            for name in names
            for column in ("N", "sr", "sr_global")
        ]
        for domain in order[:MAX_DOMAIN_ROWS]
    ]
    note = "sr: the domain as if it were the whole corpus. sr_global: the domain's observations whose prompt is a "
    note += "singleton of the whole corpus, over the domain's N — the forecast for its facts, for a model trained on everything."
    if len(order) > MAX_DOMAIN_ROWS:
        note += f" The {MAX_DOMAIN_ROWS} worst of {len(order)} domains are listed; report.json has them all."
    return Table("Domains × categories (worst sr_global first)", header, rows, note, anchor="domains")


def _prompts(out_dir: Path | None) -> pl.LazyFrame | None:
    """DIR/prompts.parquet, lazily, when the run wrote one."""
    path = out_dir / "prompts.parquet" if out_dir is not None else None
    return pl.scan_parquet(path) if path is not None and path.is_file() else None


def conflicts_table(out_dir: Path | None, limit: int = TOP_CONFLICTS) -> Table | None:
    """The most-observed prompts whose answers conflict: where the data disagree with themselves."""
    prompts = _prompts(out_dir)
    if prompts is None:
        return None
    top = (
        prompts.filter(pl.col("conflict"))
        .sort(["n", "distinct_answers", "category", "subject_key"], descending=[True, True, False, False])
        .head(limit)
        .select(PROMPT_COLUMNS)
        .collect()
    )
    rows = [
        [Cell(row["category"]), Cell(row["subject_key"]), Cell(fmt(row["n"])), Cell(fmt(row["distinct_answers"])),
         Cell(f"{row['top_answer']} ({fmt(row['top_count'])})"), Cell(row["example_doc_id"])]
        for row in top.iter_rows(named=True)
    ]
    note = "none: no prompt has incompatible answers" if not rows else "a conflict may be a data error or two namesakes"
    header = ["category", "subject", "answered", "distinct answers", "most frequent answer (count)", "its example document"]
    return Table("Top conflicting prompts", header, rows, note, anchor="conflicts")


def singleton_samples(out_dir: Path, per_category: int = SAMPLES_PER_CATEGORY) -> pl.DataFrame | None:
    """A few singleton facts per category with their evidence, when facts were kept.

    The prompts answered once with the smallest prompt hashes: a deterministic, effectively random sample,
    found in one streaming pass (no sort of all singletons), then looked up in DIR/facts/*.parquet.
    """
    prompts = _prompts(out_dir)
    fact_files = sorted((out_dir / "facts").glob("*.parquet"))
    if prompts is None or not fact_files:
        return None
    chosen = (
        prompts.filter(pl.col("n") == 1)
        .group_by("category")
        .agg(pl.col("subject_key", "example_doc_id").bottom_k_by("prompt", per_category))
        .explode("subject_key", "example_doc_id")
        .collect()
    )
    # files kept by an older version may lack the optional `evidence` column: columns are aligned by name
    facts = pl.concat([pl.scan_parquet(path) for path in fact_files], how="diagonal_relaxed")
    available = facts.collect_schema().names()
    wanted = [c for c in ("category", "subject_key", "subject", "object", "doc_id", "start", "end", "evidence") if c in available]
    return (
        facts.filter(pl.col("object_key") != IDK, pl.col("doc_id").is_in(chosen["example_doc_id"].implode()))
        .join(chosen.lazy().select("category", "subject_key"), on=["category", "subject_key"], how="semi")
        .select(wanted)
        .sort([c for c in ("category", "subject_key", "doc_id", "start") if c in wanted])
        .unique(["category", "subject_key"], keep="first", maintain_order=True)
        .collect()
    )


def samples_table(out_dir: Path | None) -> Table | None:
    """Singleton facts with document id, evidence span (and sentence when the facts carry it)."""
    if out_dir is None:
        return None
    samples = singleton_samples(out_dir)
    if samples is None:
        return Table("Singleton facts to audit", [], [], "facts were not kept: rerun scan with --keep-facts to list "
                     "singleton facts with their evidence", anchor="samples")
    columns = [c for c in ("category", "subject", "object", "doc_id", "start", "end", "evidence") if c in samples.columns]
    rows = [[Cell(fmt(row[c])) for c in columns] for row in samples.select(columns).iter_rows(named=True)]
    note = "start–end: character span of the evidence sentence in the document"
    return Table("Singleton facts to audit", columns, rows, note, anchor="samples")


def method_table(report: Mapping[str, Any]) -> Table:
    """What was measured and how: unit, canonicalisation, categories, versions, inputs, options."""
    run, source = report.get("run", {}), report.get("input", {})
    categories = ", ".join(f"{name} (|E| = {fmt(c['error_space'])})" for name, c in report["categories"].items())
    versions = f"singleton {run.get('version', '?')}, spaCy {run.get('spacy', '?')}, model {run.get('model', '?')}"
    execution = f"engine {run.get('engine', '?')}, workers: {fmt(run.get('workers'))}"
    timing = report.get("timing") or {}
    items = [
        ("unit of observation", Cell(UNIT_TEXT.get(report.get("unit", ""), str(report.get("unit"))))),
        ("canonicalisation", Cell(CANONICALISATION)),
        ("categories", Cell(categories)),
        ("versions", Cell(versions)),
        ("execution", Cell(execution)),
        ("input units", Cell(fmt(source.get("units")), "input.units")),
        ("documents", Cell(fmt(source.get("documents")), "input.documents")),
        ("bytes", Cell(fmt(source.get("bytes")), "input.bytes")),
        ("duplicate-document share", Cell(fmt(source.get("duplicate_documents")), "input.duplicate_documents")),
        *([("rows without a required column (skipped)", Cell(fmt(source["invalid_rows"]), "input.invalid_rows"))]
          if source.get("invalid_rows") is not None else []),
        ("failed units", Cell(fmt(len(source.get("failed") or [])))),
        ("options", Cell(json.dumps(run.get("options", {}), sort_keys=True, ensure_ascii=False))),
        ("time", Cell(f"{fmt(timing.get('seconds'))} s, {fmt(timing.get('documents_per_second'))} documents/s")),
    ]
    rows = [[Cell(label), value] for label, value in items]
    return Table("What was measured and how", ["item", "value"], rows, anchor="method", align_numbers=False)


def failed_table(report: Mapping[str, Any]) -> Table | None:
    """Units that failed and why: the counts exclude them, and a rerun retries them."""
    failed = (report.get("input") or {}).get("failed") or []
    if not failed:
        return None
    rows = [[Cell(str(item.get("path", "?"))), Cell(str(item.get("error", "")))] for item in failed]
    return Table("Failed units (not counted; a rerun retries them)", ["unit", "error"], rows, anchor="failed")


def caveats(report: Mapping[str, Any]) -> list[str]:
    """The standing caveats, plus those this run's figures call for."""
    found = list(CAVEATS)
    failed = len((report.get("input") or {}).get("failed") or [])
    if failed:
        found.append(f"{failed} unit(s) failed and are not counted: the figures cover the rest of the corpus.")
    vacuous = [name for name, c in report["categories"].items() if c.get("theorem2_lower") is None]
    if vacuous:
        found.append(f"Theorem 2's finite-sample bound is vacuous for {', '.join(vacuous)}: rely on the point "
                     "forecast sr and its interval there, and treat it as a forecast, not a guarantee.")
    collisions = max((c.get("hash_collisions_expected", 0.0) for c in report["categories"].values()), default=0.0)
    if collisions >= 0.01:
        found.append(f"About {fmt(collisions)} hash collisions are expected among the keys; each moves sr by ≤ 1/N.")
    return found


def extra_tables(report: Mapping[str, Any], out_dir: Path | None) -> list[Table]:
    """The tables after the per-category statistics, in reading order; absent sections are left out."""
    found = [domain_table(report), conflicts_table(out_dir), samples_table(out_dir), method_table(report),
             failed_table(report)]
    return [table for table in found if table is not None]


# --- HTML ----------------------------------------------------------------------------------------------------

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1140px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:1px solid #e3e6ea;padding-bottom:4px}
.sub{color:#5b6472;margin:0 0 18px}nav a{margin-right:14px;color:#2457a6;text-decoration:none}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
.card{border:1px solid #e3e6ea;border-left:5px solid #d62728;border-radius:6px;padding:12px 14px}
.card h3{margin:0 0 6px;font-size:16px}.card .big{font-size:30px;font-weight:700;color:#b3261e}
.card p{margin:4px 0}.card .vac{color:#8a6d00}
figure{margin:12px 0}figure svg{width:100%;max-width:860px;height:auto}figcaption{color:#5b6472;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}
th,td{border:1px solid #e3e6ea;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:nth-child(even) td{background:#fafbfc}.note{color:#5b6472;font-size:13px}
.wrap{overflow-x:auto}li{margin:4px 0}
"""

_NUMERIC = re.compile(r"^[−\-+]?[\d,]*\.?\d+(e[−\-+]?\d+)?$|^—$|^vacuous$")


def escape(text: str) -> str:
    """HTML-escape untrusted text (corpus names, documents ids, paths, error messages)."""
    return html.escape(text, quote=True)


def html_table(table: Table) -> str:
    """A table as HTML; numeric cells right-aligned and tagged with the report.json path they show."""
    parts = [f'<section id="{escape(table.anchor)}"><h2>{escape(table.title)}</h2>']
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    if table.rows:
        parts.append('<div class="wrap"><table><thead><tr>')
        parts.extend(f"<th>{escape(h)}</th>" for h in table.header)
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>")
            for cell in row:
                css = ' class="num"' if table.align_numbers and _NUMERIC.match(cell.text) else ""
                key = f' data-key="{escape(cell.key)}"' if cell.key else ""
                parts.append(f"<td{css}{key}>{escape(cell.text)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table></div>")
    parts.append("</section>")
    return "".join(parts)


def figure(svg: str, caption: str) -> str:
    """An inline SVG plot with its caption (matplotlib escapes the text it draws)."""
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


SIMULATION_PLOT = "simulation.svg"
"""Written into a run's directory by `singleton simulate --from DIR`; the report shows it beside its own plots."""


def _plots(report: Mapping[str, Any], out_dir: Path | None = None) -> str:
    """The report's plots as inline SVG figures, plus the forecast check when `simulate --from DIR` ran."""
    categories = report["categories"]
    domains = report.get("domains") or {}
    figures = [
        figure(plots.sr_plot(categories), "sr per category with its interval; the tick is Theorem 2's lower bound "
                "where it is not vacuous."),
        figure(plots.fingerprint_plot(categories), "φ_k: prompts answered k times (log–log). The k = 1 point is "
                "the singletons the forecast is made of."),
        figure(plots.cumulative_plot(categories), "Share of answered observations in prompts seen at most k times."),
    ]
    for name in categories:
        if any(name in d for d in domains.values()):
            figures.append(figure(plots.domain_plot(domains, name), f"{name}: sr of each domain alone and sr_global, "
                                   f"worst sr_global first (at most {plots.MAX_DOMAIN_BARS} domains)."))
    simulation = out_dir / SIMULATION_PLOT if out_dir is not None else None
    if simulation is not None and simulation.is_file():
        figures.append(figure(simulation.read_text(encoding="utf-8"), "Forecast check (`singleton simulate --from`): "
                              "measured hallucination rate of simulated learners trained on this corpus's "
                              "frequencies, against sr and Theorem 2's bounds."))
    return '<section id="plots"><h2>Plots</h2>' + "".join(figures) + "</section>"


def _cards(categories: Mapping[str, Mapping[str, Any]]) -> str:
    """One headline card per category."""
    cards = []
    for name, category in categories.items():
        lines = headline(name, category)
        vacuous = ' class="vac"' if category.get("theorem2_lower") is None else ""
        cards.append(
            f'<div class="card" data-category="{escape(name)}"><h3>{escape(name)}</h3>'
            f'<div class="big">{escape(pct(category["sr"]))}</div><p>{escape(lines[0])}</p>'
            f"<p{vacuous}>{escape(lines[1])}</p><p>{escape(lines[2])}</p></div>"
        )
    if not cards:
        cards.append("<p>No fact observations (N = 0): nothing to forecast. Check the failed units and the inputs.</p>")
    return '<section id="headline"><h2>Forecast per category</h2><div class="cards">' + "".join(cards) + "</div></section>"


NAV_LABELS = {"headline": "Forecast", "plots": "Plots", "statistics": "Statistics", "domains": "Domains",
              "conflicts": "Conflicts", "samples": "Samples", "method": "Method", "failed": "Failed units",
              "caveats": "Caveats"}


def render_html(report: Mapping[str, Any], out_dir: Path | None = None) -> str:
    """The whole report as one self-contained HTML page (inline CSS and SVG; nothing fetched at view time).

    With `out_dir`, prompts.parquet and kept facts add the top conflicts and singleton samples.
    """
    source = report.get("input", {})
    title = f"singleton report — {out_dir.name}" if out_dir is not None else "singleton report"
    observed = bool(report["categories"])
    shown = [*([category_table(report["categories"])] if observed else []), *extra_tables(report, out_dir)]
    sections = [_cards(report["categories"]), *([_plots(report, out_dir)] if observed else []), *map(html_table, shown)]
    sections.append('<section id="caveats"><h2>Caveats</h2><ul>'
                    + "".join(f"<li>{escape(text)}</li>" for text in caveats(report)) + "</ul></section>")
    anchors = ["headline", *(["plots"] if observed else []), *(table.anchor for table in shown), "caveats"]
    nav = " ".join(f'<a href="#{anchor}">{NAV_LABELS[anchor]}</a>' for anchor in anchors)
    subtitle = (f"{fmt(source.get('documents'))} documents in {fmt(source.get('units'))} units · unit "
                f"{report.get('unit', '?')} · {len(report['categories'])} categories · "
                f"{len(report.get('domains') or {})} domains · schema {report.get('schema', '?')}")
    return page(title, subtitle, f"<nav>{nav}</nav>" + "".join(sections))


def page(title: str, subtitle: str, body: str) -> str:
    """A self-contained HTML page around a body: inline CSS, no scripts, nothing fetched."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>{body}</main></body></html>\n'
    )


# --- Markdown ------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def md_escape(text: str) -> str:
    """Make untrusted text inert in a Markdown table cell: no links, HTML, emphasis or column breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_table(table: Table) -> str:
    """A table as a Markdown section (heading, note, pipe table)."""
    lines = [f"## {table.title}", ""]
    if table.note:
        lines += [md_escape(table.note), ""]
    if table.rows:
        lines.append("| " + " | ".join(md_escape(h) for h in table.header) + " |")
        lines.append("|" + "|".join("---" for _ in table.header) + "|")
        lines += ["| " + " | ".join(md_escape(cell.text) for cell in row) + " |" for row in table.rows]
        lines.append("")
    return "\n".join(lines)


def markdown_sections(report: Mapping[str, Any], out_dir: Path | None = None) -> str:
    """The HTML report's sections beyond the per-category tables, as Markdown: headlines, domains, conflicts,
    singleton samples, method and caveats (report.py's Markdown appends this)."""
    parts = ["## Forecast", ""]
    for name, category in report["categories"].items():
        parts += [f"- **{md_escape(name)}**: " + " ".join(md_escape(line) for line in headline(name, category))]
    parts.append("")
    parts += [md_table(table) for table in extra_tables(report, out_dir)]
    parts += ["## Caveats", ""] + [f"- {md_escape(text)}" for text in caveats(report)] + [""]
    return "\n".join(parts)
