"""`singleton count` on the command line: bad input is one line and exit 1 with nothing written; usage errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from singleton.cli import main


def _facts(path: Path, **drop: bool) -> Path:
    columns = {"doc_id": ["d1", "d2", "d3"], "category": "birth_date", "subject_key": ["ada", "ada", "bob"],
               "object_key": ["1815", "1815-12-10", "1900"], "domain": ["a.org", None, "b.org"]}
    pl.DataFrame({k: v for k, v in columns.items() if not drop.get(k)}).write_parquet(path)
    return path


def _one_error_line(capsys: pytest.CaptureFixture[str], code: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"error[{code}]" in err and "Traceback" not in err, err
    return err


def test_missing_required_column_names_file_and_column_and_writes_nothing(tmp_path: Path, capsys) -> None:
    good = _facts(tmp_path / "good.parquet")
    bad = _facts(tmp_path / "bad.parquet", subject_key=True)
    assert main(["count", str(good), str(bad), "--out", str(tmp_path / "out")]) == 1
    err = _one_error_line(capsys, "E003")
    assert "bad.parquet" in err and "'subject_key'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("inputs", [[], ["{empty}"], ["{empty}/*.parquet"]])
def test_no_input_files_is_exit_1(tmp_path: Path, capsys, inputs: list[str]) -> None:
    (tmp_path / "empty").mkdir()
    args = [item.format(empty=tmp_path / "empty") for item in inputs]
    assert main(["count", *args, "--out", str(tmp_path / "out")]) == 1
    _one_error_line(capsys, "E001")
    assert not (tmp_path / "out").exists()


def test_unreadable_file_is_exit_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    assert main(["count", str(tmp_path / "junk.parquet"), str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "out")]) == 1
    assert "junk.parquet" in _one_error_line(capsys, "E002")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("extra", [["--unit", "sentence"], ["--frobnicate"], ["--error-space", "birth_date=0"]])
def test_usage_errors_exit_2(tmp_path: Path, extra: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["count", str(_facts(tmp_path / "f.parquet")), "--out", str(tmp_path / "out"), *extra])
    assert exited.value.code == 2
    assert not (tmp_path / "out").exists()


def test_report_of_a_directory_without_report_or_with_another_schema(tmp_path: Path, capsys) -> None:
    assert main(["report", str(tmp_path)]) == 1
    assert "no report.json" in _one_error_line(capsys, "E007")
    (tmp_path / "report.json").write_text(json.dumps({"schema": "singleton.report/0", "categories": {}}))
    assert main(["report", str(tmp_path)]) == 1
    assert "singleton.report/0" in _one_error_line(capsys, "E007")
    (tmp_path / "report.json").write_text("{not json")
    assert main(["report", str(tmp_path)]) == 1
    _one_error_line(capsys, "E007")


def test_count_then_report_in_every_format(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["count", str(_facts(tmp_path / "f.parquet")), "--out", str(out), "--error-space", "birth_date=500"]) == 0
    printed = capsys.readouterr().out
    assert "birth_date" in printed and "N=3" in printed and "singletons=1" in printed and "vacuous at this N" in printed
    assert main(["report", str(out)]) == 0
    markdown = capsys.readouterr().out
    assert markdown == (out / "report.md").read_text() and "| birth\\_date | 3 | 1 | 0.3333 |" in markdown
    assert main(["report", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads((out / "report.json").read_text())
    assert main(["report", str(out), "--format", "html"]) == 0
    assert capsys.readouterr().out == (out / "report.html").read_text()
    assert json.loads((out / "report.json").read_text())["categories"]["birth_date"]["error_space"] == 500


@pytest.mark.slow
def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    facts = _facts(tmp_path / "f.parquet")
    done = subprocess.run([sys.executable, "-m", "singleton", "count", str(facts), "--out", str(tmp_path / "out"), "--unit", "mention"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("birth_date  N=3  singletons=1")
    usage = subprocess.run([sys.executable, "-m", "singleton", "count", str(facts), "--out", str(tmp_path / "o2"), "--unit", "x"],
                           capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and not (tmp_path / "o2").exists()
