"""Comparing two runs: the diff frame against plain-Python arithmetic, and its renderings against the frame."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from reportcheck import assert_same_number, assert_self_contained, design_report, markdown_tables

from singleton import diff, stats
from singleton.cli import main

SIDES = {"before": "a", "after": "b", "change": "change"}


def _after() -> dict[str, Any]:
    """The design report after a change: birth_date deduplicated, death_place gone, one domain dropped, one added."""
    after = copy.deepcopy(design_report())
    after["categories"]["birth_date"].update(N=160000, singletons=52000, sr=0.325)
    del after["categories"]["death_place"]
    del after["domains"]["news.example.org"]
    after["domains"]["blog.example.net"] = {"birth_date": {"N": 100, "singletons": 90, "sr": 0.9, "sr_global": 0.8}}
    return after


def test_diff_with_itself_moves_nothing() -> None:
    report = design_report()
    frame = diff.diff_reports(report, report)
    pairs = sum(len(by) for by in report["domains"].values())
    assert frame.height == len(report["categories"]) + pairs
    assert frame["scope"].value_counts().sort("scope").rows() == [("category", 2), ("domain", pairs)]
    assert set(frame["N_change"].to_list()) == {0}
    assert set(frame["sr_change"].to_list()) == {0.0}
    assert not frame["sr_change_significant"].any()


def test_diff_matches_plain_arithmetic() -> None:
    before, after = design_report(), _after()
    frame = diff.diff_reports(before, after)
    for row in frame.to_dicts():
        side_a = before["categories"] if row["scope"] == "category" else before["domains"].get(row["domain"], {})
        side_b = after["categories"] if row["scope"] == "category" else after["domains"].get(row["domain"], {})
        a, b = side_a.get(row["category"]), side_b.get(row["category"])
        for measure in ("N", "singletons", "sr"):
            assert row[f"{measure}_a"] == (a or {}).get(measure)
            assert row[f"{measure}_b"] == (b or {}).get(measure)
            expected = None if a is None or b is None else b[measure] - a[measure]
            assert row[f"{measure}_change"] == pytest.approx(expected)
    only_before = frame.filter(pl.col("category") == "death_place", pl.col("scope") == "category").row(0, named=True)
    assert only_before["N_a"] == 479 and only_before["N_b"] is None and only_before["sr_change_significant"] is None
    added = frame.filter(pl.col("domain") == "blog.example.net").row(0, named=True)
    assert (added["N_a"], added["N_b"], added["sr_global_b"]) == (None, 100, 0.8)


def test_significance_is_the_sum_of_both_sampling_half_widths() -> None:
    before = design_report()
    n = before["categories"]["birth_date"]["N"]
    threshold = 2 * stats.sampling_half_width(n)
    for shift, expected in ((0.99 * threshold, False), (1.01 * threshold, True)):
        after = copy.deepcopy(before)
        after["categories"]["birth_date"]["sr"] += shift
        row = diff.diff_reports(before, after).filter(pl.col("category") == "birth_date", pl.col("scope") == "category")
        assert row["sr_change_significant"].item() is expected


def test_markdown_numbers_equal_the_frame() -> None:
    before, after = design_report(), _after()
    frame = diff.diff_reports(before, after)
    text = diff.render_diff(before, after, "md", ("before", "after"))
    tables = markdown_tables(text)
    header, *rows = tables["Per category"]
    assert [row[0] for row in rows] == ["birth_date", "death_place"]
    for row in rows:
        expected = frame.filter(pl.col("scope") == "category", pl.col("category") == row[0]).row(0, named=True)
        for column, shown in zip(header[1:-1], row[1:-1], strict=True):
            measure, side = column.rsplit(" ", 1)
            assert_same_number(shown.lstrip("+"), expected[f"{measure}_{SIDES[side]}"])
    assert "birth\\_date: sr 0.292398 → 0.325 (+0.032602, beyond sampling noise)" in text
    assert "death\\_place: only in before (sr 0.647182, N 479)" in text
    domains = tables["Per domain"]
    assert {row[0] for row in domains[1:]} == {*design_report()["domains"], "blog.example.net"}


def test_json_and_html_renderings() -> None:
    before, after = design_report(), _after()
    payload = json.loads(diff.render_diff(before, after, "json", ("a-dir", "b-dir")))
    assert (payload["a"], payload["b"]) == ("a-dir", "b-dir")
    assert payload["rows"] == json.loads(json.dumps(diff.diff_reports(before, after).to_dicts()))
    page = assert_self_contained(diff.render_diff(before, after, "html", ("a-dir", "b-dir")))
    assert page.svgs == ["moved"]
    assert '<script>alert("x")</script>&amp;.evil' in "".join(page.text)


def _write(directory: Path, report: dict[str, Any]) -> Path:
    directory.mkdir()
    (directory / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return directory


def test_report_command_with_two_dirs_prints_the_comparison(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _write(tmp_path / "before", design_report())
    after = _write(tmp_path / "after", _after())
    assert main(["report", str(before), str(after), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["a"], payload["b"]) == ("before", "after")
    assert payload["rows"] == json.loads(json.dumps(diff.diff_reports(design_report(), _after()).to_dicts()))
    assert main(["report", str(before), str(tmp_path / "missing")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "E007" in error and "missing" in error
    old = _write(tmp_path / "old", {**design_report(), "schema": "singleton.report/0"})
    assert main(["report", str(old), str(after)]) == 1
    assert "singleton.report/0" in capsys.readouterr().err
