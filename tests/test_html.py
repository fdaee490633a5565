"""report.html and the Markdown sections: self-contained, complete, escaped, deterministic, equal to report.json."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from reportcheck import (
    Page,
    assert_same_number,
    assert_self_contained,
    design_report,
    json_value,
    markdown_tables,
)

from singleton import html, plots, stats
from singleton.cli import main
from singleton.count import count
from singleton.report import load_report
from singleton.schema import FACTS_SCHEMA, IDK

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def _run_dir(tmp_path: Path, *, keep_facts: bool = True) -> Path:
    """A run directory with prompts.parquet and (optionally) kept facts, including hostile corpus text."""
    observations = [  # (category, subject_key, subject, object_key, doc_id)
        ("birth_date", "ada lovelace", "Ada Lovelace", "1815-12-10", "d1"),
        ("birth_date", "ada lovelace", "Ada Lovelace", "1815-12-10", "d2"),
        ("birth_date", "bob <img src=x>", "Bob <img src=x onerror=alert(1)>", "1900", "<b>doc</b>"),
        ("birth_date", "carl", "Carl", "1901-01-01", "d3"),
        ("birth_date", "carl", "Carl", "1905", "d4"),
        ("birth_date", "carl", "Carl", "1906", "d5"),
        ("birth_date", "dora", "Dora", "1950", "d6"),
        ("birth_date", "dora", "Dora", "1951", "d7"),
        ("birth_date", "eve", "Eve", IDK, "d8"),
        ("death_place", "frank", "Frank", "paris", "d9"),
        *[("death_place", f"p{i:02d}", f"P{i:02d}", "rome", f"q{i}") for i in range(12)],
    ]
    facts = pl.DataFrame(
        {
            "doc_id": [o[4] for o in observations],
            "domain": ["news.example.org"] * len(observations),
            "category": [o[0] for o in observations],
            "subject": [o[2] for o in observations],
            "mention": [o[2] for o in observations],
            "object": [o[3] for o in observations],
            "subject_key": [o[1] for o in observations],
            "object_key": [o[3] for o in observations],
            "approx": [False] * len(observations),
            "start": [i * 10 for i in range(len(observations))],
            "end": [i * 10 + 9 for i in range(len(observations))],
            "doc_hash": [None] * len(observations),
        },
        schema={name: kind for name, kind in pl.Schema(FACTS_SCHEMA).items() if name != "evidence"},
    ).with_columns(evidence=pl.format("{} was born {} <i>sic</i>.", "subject", "object"))
    out = tmp_path / "run"
    source = out / "facts" / "part-00000.parquet" if keep_facts else tmp_path / "facts.parquet"
    source.parent.mkdir(parents=True, exist_ok=True)  # DIR/facts/ is what `scan --keep-facts` leaves
    facts.write_parquet(source)
    count([source], out)  # the real count writes prompts.parquet, report.json/md/html
    return out


def test_html_is_self_contained_and_lists_every_category_domain_and_plot() -> None:
    report = design_report()
    page = assert_self_contained(html.render_html(report))
    text = "".join(page.text)
    for name in report["categories"]:
        assert name in text
    for domain in report["domains"]:
        assert domain in text  # the parser unescapes: the hostile name is shown as text…
    expected_plots = {"sr", "fingerprint", "cumulative", "domains-birth_date", "domains-death_place"}
    assert expected_plots <= set(page.svgs)
    assert not any(section not in text for section in ("Caveats", "What was measured and how", "Failed units"))


def test_corpus_text_is_escaped(tmp_path: Path) -> None:
    page_text = html.render_html(design_report(), _run_dir(tmp_path))
    assert "<script" not in page_text.lower()  # …and never as markup
    assert "<img" not in page_text.lower() and "<b>doc" not in page_text and "<i>sic" not in page_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;.evil" in page_text
    assert html.md_escape("[x](javascript:alert(1)) <b>|") == r"\[x\](javascript:alert(1)) \<b\>\|"


def test_every_html_number_equals_report_json() -> None:
    report = design_report()
    page = Page(html.render_html(report))
    expected_keys = {f"categories.{c}.{path}" for c in report["categories"] for path, _ in html.CATEGORY_FIELDS
                     if path == "theorem2_lower" or json_value(report, f"categories.birth_date.{path}") is not None}
    assert len(expected_keys) == 2 * 22  # DESIGN.md's fields: every one shown for both categories
    expected_keys |= {f"domains.{d}.{c}.{col}" for d in report["domains"] for c in report["categories"]
                      for col in ("N", "sr", "sr_global")}
    expected_keys |= {f"input.{k}" for k in ("units", "documents", "bytes", "duplicate_documents")}
    assert expected_keys <= set(page.cells)
    for key, shown in page.cells.items():
        assert_same_number(shown, json_value(report, key))


def test_headlines_state_forecast_and_theorem2_or_the_n_that_makes_it_bite() -> None:
    report = design_report()
    text = " ".join(Page(html.render_html(report)).text)
    birth = report["categories"]["birth_date"]
    assert "At least ~29.2% of questions like these are forecast to be hallucinated" in text
    assert "95% interval 26.9%–31.5%" in text
    assert f"errs on at least {100 * birth['theorem2_lower']:.1f}% of them" in text
    place = report["categories"]["death_place"]
    match = re.search(r"vacuous at this N \(479\); it would bite at N ≈ ([\d,]+) observations", text)
    assert match, text
    needed = int(match.group(1).replace(",", ""))
    assert stats.theorem2_lower(place["sr"], needed, place["error_space"]) > 0
    assert stats.theorem2_lower(place["sr"], needed // 2, place["error_space"]) <= 0


def test_headline_says_when_no_corpus_size_makes_the_bound_bite() -> None:
    category = {**design_report()["categories"]["death_place"], "sr": 0.001}
    lines = html.headline("death_place", category)
    assert "no corpus size makes it bite while sr ≤ 2/|E| = 0.002" in lines[1]


def test_markdown_sections_equal_report_json() -> None:
    report = design_report()
    tables = markdown_tables(html.markdown_sections(report))
    domains = tables["Domains × categories (worst sr_global first)"]
    header, rows = domains[0], domains[1:]
    assert [row[0] for row in rows] == plots_order(report)
    for row in rows:
        for column, shown in zip(header[1:], row[1:], strict=True):
            category, field = column.split(" ")
            assert_same_number(shown, report["domains"][row[0]].get(category, {}).get(field))
    method = dict(tables["What was measured and how"][1:])
    assert_same_number(method["documents"], report["input"]["documents"])
    assert_same_number(method["bytes"], report["input"]["bytes"])
    assert tables["Failed units (not counted; a rerun retries them)"][1] == [
        "shard-0003.parquet", "ArrowInvalid: Parquet magic bytes not found <b>"]
    text = html.markdown_sections(report)
    for caveat in ("a sample's sr overstates the corpus's", "name ambiguity merges people", "δ = 0 assumed"):
        assert caveat in text.lower()


def plots_order(report: dict[str, Any]) -> list[str]:
    """Worst first by the highest sr_global over categories, computed here by brute force."""
    worst = {d: max(c["sr_global"] for c in by.values()) for d, by in report["domains"].items()}
    return sorted(worst, key=lambda d: (-worst[d], d))


def test_same_report_same_bytes_across_processes(tmp_path: Path) -> None:
    code = ("import sys, json; sys.path.insert(0, 'tests'); from reportcheck import design_report; "
            "from singleton.html import render_html; sys.stdout.write(render_html(design_report()))")
    root = Path(__file__).parent.parent
    other = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert html.render_html(design_report()) == other


def test_top_conflicts_come_from_prompts_parquet(tmp_path: Path) -> None:
    out = _run_dir(tmp_path)
    prompts = pl.read_parquet(out / "prompts.parquet")
    conflicting = sorted((r for r in prompts.to_dicts() if r["conflict"]),
                         key=lambda r: (-r["n"], -r["distinct_answers"], r["category"], r["subject_key"]))
    table = html.conflicts_table(out)
    assert table is not None
    assert [[c.text for c in row[:4]] for row in table.rows] == [
        [r["category"], r["subject_key"], str(r["n"]), str(r["distinct_answers"])] for r in conflicting]
    assert [[c.text for c in row[:4]] for row in table.rows] == [  # worked by hand from the observations
        ["birth_date", "carl", "3", "3"], ["birth_date", "dora", "2", "2"]]


def test_singleton_samples_are_singletons_with_their_evidence(tmp_path: Path) -> None:
    out = _run_dir(tmp_path)
    samples = html.singleton_samples(out)
    assert samples is not None
    prompts = pl.read_parquet(out / "prompts.parquet")
    singletons = {(r["category"], r["subject_key"]) for r in prompts.filter(pl.col("n") == 1).to_dicts()}
    facts = {(r["category"], r["subject_key"]): r for r in pl.read_parquet(out / "facts").to_dicts()}
    per_category = {c: sum(1 for s in singletons if s[0] == c) for c in ("birth_date", "death_place")}
    assert per_category == {"birth_date": 1, "death_place": 13}  # bob; frank and p00..p11
    counts = samples.group_by("category").len().sort("category")
    assert counts["len"].to_list() == [1, html.SAMPLES_PER_CATEGORY]
    smallest = {  # brute force: per category, the singleton prompts with the smallest prompt hashes
        key for c in per_category for key in
        [(r["category"], r["subject_key"]) for r in sorted(
            (r for r in prompts.to_dicts() if r["n"] == 1 and r["category"] == c), key=lambda r: r["prompt"])
         ][: html.SAMPLES_PER_CATEGORY]}
    assert {(r["category"], r["subject_key"]) for r in samples.to_dicts()} == smallest
    for row in samples.to_dicts():
        key = (row["category"], row["subject_key"])
        assert key in singletons
        assert (row["doc_id"], row["object"], row["evidence"]) == (
            facts[key]["doc_id"], facts[key]["object"], facts[key]["evidence"])
    page = Page(html.render_html(design_report(), out))
    assert "Bob <img src=x onerror=alert(1)> was born 1900 <i>sic</i>." in page.text


def test_without_kept_facts_the_report_says_how_to_get_samples(tmp_path: Path) -> None:
    out = _run_dir(tmp_path, keep_facts=False)
    text = " ".join(Page(html.render_html(design_report(), out)).text)
    assert "rerun scan with --keep-facts" in text
    assert "Top conflicting prompts" in text


def test_cumulative_share_and_domain_order_match_brute_force() -> None:
    fingerprint = {"10": 5000, "1": 50000, "3": 10000, "2": 20000}
    ks, shares = plots.cumulative_share(fingerprint)
    total = 1 * 50000 + 2 * 20000 + 3 * 10000 + 10 * 5000
    assert ks == [1, 2, 3, 10]
    assert shares == pytest.approx([50000 / total, 90000 / total, 120000 / total, 1.0])
    report = design_report()
    brute = sorted((d for d in report["domains"] if "death_place" in report["domains"][d]),
                   key=lambda d: (-report["domains"][d]["death_place"]["sr_global"], d))
    assert plots.worst_domains(report["domains"], "death_place") == brute


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no chromium installed (apt-get install chromium) to render the page")
def test_a_real_browser_renders_every_plot(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html.render_html(design_report()), encoding="utf-8")
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*command, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert len(re.findall(r"<svg\b", dom)) == 5
    assert "<script" not in dom.lower() and "&lt;script&gt;" in dom  # the hostile domain stayed text
    shot = tmp_path / "shot.png"
    subprocess.run([*command, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_report_html_a_real_count_writes(tmp_path: Path) -> None:
    out = _run_dir(tmp_path)
    report = load_report(out)
    written = (out / "report.html").read_text(encoding="utf-8")
    assert written == html.render_html(report, out)  # with conflicts and samples from the run directory
    page = assert_self_contained(written)
    assert {"sr", "fingerprint", "cumulative", "domains-birth_date", "domains-death_place"} <= set(page.svgs)
    for key, shown in page.cells.items():
        assert_same_number(shown, json_value(report, key))
    assert {f"categories.{c}.sr" for c in ("birth_date", "death_place")} <= set(page.cells)
    assert "Top conflicting prompts" in page.text and "Singleton facts to audit" in page.text


def test_report_md_a_real_count_writes_equals_report_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run_dir(tmp_path)
    report = load_report(out)
    tables = markdown_tables((out / "report.md").read_text(encoding="utf-8"))
    header, *rows = tables["Statistics per category"]
    labels = dict((label, path) for path, label in html.CATEGORY_FIELDS)
    assert len(rows) >= 20
    for row in rows:
        for category, shown in zip(header[1:], row[1:], strict=True):
            assert_same_number(shown, json_value(report, f"categories.{category}.{labels[row[0]]}"))
    assert [row[:2] for row in tables["Top conflicting prompts"][1:]] == [["birth_date", "carl"], ["birth_date", "dora"]]
    assert main(["report", str(out), "--format", "html"]) == 0
    assert capsys.readouterr().out == (out / "report.html").read_text(encoding="utf-8")


def test_plots_stay_small_for_a_long_fingerprint() -> None:
    fingerprint = {str(k): 1 for k in range(1, 100_001)}  # 10⁵ distinct counts, as in a very large corpus
    ks, values = plots.thin(*plots.cumulative_share(fingerprint))
    assert ks[:100] == list(range(1, 101)) and ks[-1] == 100_000 and values[-1] == 1.0
    assert len(ks) <= 100 + 3 * plots.POINTS_PER_DECADE + 1
    brute = {k: sum(j for j in range(1, k + 1)) / sum(range(1, 100_001)) for k in ks}
    assert values == pytest.approx([brute[k] for k in ks])
    category = {**design_report()["categories"]["birth_date"], "fingerprint": fingerprint}
    assert len(plots.fingerprint_plot({"birth_date": category})) < 200_000


def test_a_run_without_observations_still_renders(tmp_path: Path) -> None:
    report = {**design_report(), "categories": {}, "domains": {}}
    page = assert_self_contained(html.render_html(report))
    assert page.svgs == [] and "No fact observations (N = 0)" in "".join(page.text)
    assert "Failed units" in "".join(page.text)
    assert "## Domains" not in html.markdown_sections(report)
