"""report.json's form (schema, sorted keys, rounding, nulls), its frames, the Markdown and terminal renderings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from singleton.count import count
from singleton.errors import SingletonError
from singleton.report import SCHEMA, Report, build_report, load_report, render_markdown, summary_lines, write_report
from singleton.stats import category_statistics

DESIGN_FINGERPRINT = {1: 50000, 2: 20000, 3: 10000, 10: 5000}


def _report(**categories: dict) -> dict:
    return build_report(unit="doc", input_info={"units": 1, "documents": 5, "failed": []}, categories=categories,
                        domains={"news.example.org": {name: {**fields, "sr_global": 0.31} for name, fields in categories.items()}},
                        run={"version": "test"}, timing={"seconds": 1.5})


def _facts_dir(tmp_path: Path) -> Path:
    facts = pl.DataFrame({
        "doc_id": [f"d{i}" for i in range(8)],
        "domain": ["b.org", "a.org", None, "a.org", "b.org", "a.org", "c.org", None],
        "category": ["death_place", "birth_date"] * 4,
        "subject_key": ["x", "y", "x", "z", "w", "y", "w", "q"],
        "object_key": ["rome", "1900", "paris", "1901", "IDK", "1900-01", "ohio", "1950"],
        "doc_hash": pl.Series([1, 2, 3, 4, 5, 2, 7, 8], dtype=pl.UInt64),
    })
    facts.write_parquet(tmp_path / "facts.parquet")
    return tmp_path / "facts.parquet"


def test_report_json_has_the_design_shape_and_deterministic_bytes(tmp_path: Path) -> None:
    source = _facts_dir(tmp_path)
    first = count([source], tmp_path / "one", with_html=False)
    second = count([source], tmp_path / "two", with_html=False)
    data = json.loads((tmp_path / "one" / "report.json").read_text())
    assert data == first.data and data["schema"] == SCHEMA and data["unit"] == "doc"
    assert set(data) == {"schema", "unit", "input", "categories", "domains", "run", "timing"}
    assert list(data["categories"]) == ["birth_date", "death_place"] and list(data["domains"]) == ["a.org", "b.org", "c.org"]
    assert {"units", "documents", "bytes", "duplicate_documents", "failed"} <= set(data["input"])
    fields = data["categories"]["birth_date"]
    assert list(fields) == sorted(fields) and fields["theorem2_lower"] is None and fields["vacuous"] is True
    assert set(fields["dedup"]) == {"N", "singletons", "sr"} and "sr_global" in data["domains"]["a.org"]["birth_date"]

    def stable(text: str) -> str:
        loaded = json.loads(text)
        return json.dumps({key: value for key, value in loaded.items() if key not in ("run", "timing")})

    texts = [(tmp_path / name / "report.json").read_text() for name in ("one", "two")]
    assert stable(texts[0]) == stable(texts[1]) and second.data["categories"] == first.data["categories"]
    assert not re.search(r"20\d\d-\d\d-\d\dT", stable(texts[0]))  # no timestamps outside run and timing


def test_floats_are_rounded_and_tiny_figures_keep_significant_digits() -> None:
    fields = _report(birth_date=category_statistics(171000, 1000, DESIGN_FINGERPRINT, 3, 364))["categories"]["birth_date"]
    assert fields["sr"] == 0.292398 and fields["hash_collisions_expected"] == 1.96e-10
    assert all(len(str(value).split(".")[-1]) <= 6 for value in fields.values() if isinstance(value, float) and value >= 1e-3)


def test_report_frames_have_a_row_per_category_and_per_domain_category() -> None:
    report = Report(_report(birth_date=category_statistics(171000, 1000, DESIGN_FINGERPRINT, 0, 364),
                            death_place=category_statistics(10, 2, {1: 4, 2: 2}, 1, 1000)))
    assert report.categories["category"].to_list() == ["birth_date", "death_place"]
    assert report.categories.filter(pl.col("category") == "birth_date").row(0, named=True)["sr_interval_low"] == 0.26946
    assert report.categories["theorem2_lower"].to_list() == [0.027433, None]
    assert report.domains.select("domain", "category", "sr_global").rows() == [
        ("news.example.org", "birth_date", 0.31), ("news.example.org", "death_place", 0.31)]
    assert report.failed == []


def test_summary_and_markdown_show_the_bound_or_say_vacuous_never_a_negative_rate() -> None:
    data = _report(birth_date=category_statistics(171000, 1000, DESIGN_FINGERPRINT, 0, 364),
                   death_place=category_statistics(10, 2, {1: 4, 2: 2}, 1, 1000))
    lines = summary_lines(data)
    assert len(lines) == 2
    assert "N=171,000" in lines[0] and "sr=0.2924 [0.2695, 0.3153]" in lines[0] and "≥ 0.0274" in lines[0]
    assert "vacuous at this N" in lines[1]
    markdown = render_markdown(data)
    forecast = markdown.split("## Forecast per category")[1].split("\n## ")[0]
    assert "| birth\\_date | 171,000 | 50,000 | 0.2924 | \\[0.2695, 0.3153\\] | ≥ 0.0274 | 0.3230 |" in forecast
    assert "vacuous at this N" in forecast and not re.search(r"-\d", forecast.split("|---|")[1])
    assert summary_lines(_report()) == ["no fact observations (N = 0)"]
    assert "No fact observations (N = 0)." in render_markdown(_report())


def test_write_and_load_round_trip_leaves_no_temporary_files(tmp_path: Path) -> None:
    data = _report(birth_date=category_statistics(10, 2, {1: 4, 2: 2}, 0, 364))
    write_report(data, tmp_path / "out")
    assert load_report(tmp_path / "out") == data
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html", "report.json", "report.md"]


def test_load_report_refuses_a_missing_report_or_another_schema(tmp_path: Path) -> None:
    with pytest.raises(SingletonError) as missing:
        load_report(tmp_path)
    (tmp_path / "report.json").write_text(json.dumps({"schema": "singleton.report/0"}))
    with pytest.raises(SingletonError) as older:
        load_report(tmp_path)
    assert missing.value.code == older.value.code == "E007"
