"""Faults and bad input (DESIGN.md "Bad input and faults"): what fails, what goes on, what a rerun does."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scanhelp import REPO, prompts, run_cli, snapshot, stable, stable_bytes, start_scan

from singleton.read import ReadOptions
from singleton.scan import ScanOptions, extract, scan
from singleton.synth import SynthConfig, synth_corpus

pytestmark = pytest.mark.slow

OPTIONS = ScanOptions(read=ReadOptions(domain_from_url="url"), workers=1, progress=False, keep_facts=True)
HUGE_BYTES = 50 * 2**20


def messy_jsonl() -> bytes:
    """Good and bad lines: malformed JSON, null and empty text, invalid UTF-8, binary junk, control characters."""
    lines = [
        json.dumps({"id": "m1", "text": "Horace Vickers was born on 3 May 1850.", "url": "https://messy.example.org/1"}).encode(),
        b'{"id": "m2", "text": "unterminated',
        json.dumps({"id": "m3", "text": None}).encode(),
        json.dumps({"id": "m4", "text": ""}).encode(),
        b'{"id": "m5", "text": "Bad bytes \xff\xfe here. Irene Tennant died in Vienna."}',
        b"\x00\xff\xfe\x01 binary junk \x89PNG\r\n",
        json.dumps({"id": "m6", "text": "Tabs\tand\x00nulls\x07. Julian Sinclair was born in Oslo."}).encode(),
    ]
    return b"\n".join(lines) + b"\n"


def huge_document() -> str:
    """A single ~50 MB document with facts at its start, in its middle and at its very end."""
    filler = "The harbour was busy with ships from many countries. "
    half = filler * (HUGE_BYTES // len(filler) // 2)
    return (
        "Desmond Abernathy was born on 9 June 1877. " + half + "Desmond Abernathy died in Lisbon. " + half
        + "Desmond Abernathy was born in Geneva."
    )


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose first input is good, followed by every kind of bad input."""
    folder = tmp_path_factory.mktemp("faulty")
    good = synth_corpus(tmp_path_factory.mktemp("good"), SynthConfig(documents=40, shards=1, seed=4))
    shutil.copy(good.paths[0], folder / "a-good.parquet")
    (folder / "b-corrupt.parquet").write_bytes(b"PAR1" + os.urandom(2000) + b"PAR1")
    whole = good.paths[0].read_bytes()
    (folder / "c-truncated.parquet").write_bytes(whole[: len(whole) // 2])
    pl.DataFrame({"body": ["Horace Vickers was born in Oslo."]}).write_parquet(folder / "d-no-text.parquet")
    (folder / "e-messy.jsonl.gz").write_bytes(gzip.compress(messy_jsonl()))
    pq.write_table(pa.table({"text": pa.array([], pa.string()), "url": pa.array([], pa.string())}), folder / "f-empty.parquet")
    pl.DataFrame({"id": ["huge"], "text": [huge_document()], "url": ["https://huge.example.org/x"]}).write_parquet(folder / "g-huge.parquet")
    return folder


@pytest.fixture(scope="module")
def faulty_scan(faulty: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("faulty-scan") / "out"
    return out, scan([str(faulty)], out, OPTIONS)


def test_bad_units_fail_alone_and_are_listed(faulty_scan: tuple[Path, object]) -> None:
    out, result = faulty_scan
    assert result.exit_code == 3
    report = json.loads((out / "report.json").read_text())
    failed = {entry["path"]: entry["error"] for entry in report["input"]["failed"]}
    assert sorted(failed) == ["b-corrupt.parquet", "c-truncated.parquet", "d-no-text.parquet"]
    assert "'text'" in failed["d-no-text.parquet"]
    assert all("\n" not in error and str(out.parent) not in error for error in failed.values())
    assert report["input"]["units"] == 7
    # 40 good documents, 5 readable JSON lines (null and empty text included), 0 + 1 from the others
    assert report["input"]["documents"] == 40 + 5 + 1
    assert report["input"]["malformed_lines"] == 2


def test_facts_in_messy_and_huge_documents_are_found(faulty_scan: tuple[Path, object]) -> None:
    out, _ = faulty_scan
    facts = pl.read_parquet(out / "facts")
    found = set(facts.select("doc_id", "category", "subject_key", "object_key").iter_rows())
    expected = {
        ("m1", "birth_date", "horace vickers", "1850-05-03"),
        ("m5", "death_place", "irene tennant", "vienna"),
        ("m6", "birth_place", "julian sinclair", "oslo"),
        ("huge", "birth_date", "desmond abernathy", "1877-06-09"),
        ("huge", "death_place", "desmond abernathy", "lisbon"),
        ("huge", "birth_place", "desmond abernathy", "geneva"),
    }
    assert expected <= found


def test_rerun_retries_failed_units_only(faulty: Path, faulty_scan: tuple[Path, object], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(faulty_scan[0], out)
    again = scan([str(faulty)], out, OPTIONS)
    assert again.exit_code == 3 and again.resumed == 4 and len(again.failed) == 3
    assert stable(out) == stable(faulty_scan[0])
    # fix the corrupt shard, drop the other bad ones (and the slow huge one): exit 0, equal to a fresh run
    inputs = tmp_path / "inputs"
    shutil.copytree(faulty, inputs)
    (inputs / "g-huge.parquet").unlink()
    repaired = tmp_path / "repaired"
    assert scan([str(inputs)], repaired, OPTIONS).exit_code == 3
    shutil.copy(inputs / "a-good.parquet", inputs / "b-corrupt.parquet")
    (inputs / "c-truncated.parquet").unlink()
    (inputs / "d-no-text.parquet").unlink()
    result = scan([str(inputs)], repaired, OPTIONS)
    assert (result.exit_code, result.units, result.resumed) == (0, 4, 3)
    scan([str(inputs)], tmp_path / "fresh", OPTIONS)
    assert stable(repaired) == stable(tmp_path / "fresh")


# ------------------------------------------------------------------------------------- the command line


def one_error_line(done: subprocess.CompletedProcess[str], code: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"error[{code}]" in lines[0] and "Traceback" not in done.stderr, done.stderr


def test_input_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    pl.DataFrame({"body": ["x"]}).write_parquet(tmp_path / "no-text.parquet")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.parquet").write_bytes(b"not a parquet file")
    good = synth_corpus(tmp_path / "good", SynthConfig(documents=20, shards=1)).paths[0]
    cases = [
        ([str(tmp_path / "empty")], "E001"),
        ([], "E001"),
        ([str(tmp_path / "no-text.parquet")], "E003"),
        ([str(good), "--id-column", "nope"], "E003"),
        ([str(tmp_path / "bad")], "E002"),
        ([str(good), "--categories", "birth_date,shoe_size"], "E004"),
        ([str(good), "--model", "no_such_model_xx"], "E010"),
    ]
    for args, code in cases:
        out = tmp_path / f"out-{code}"
        done = run_cli("scan", *args, "--out", str(out), "--no-progress")
        assert done.returncode == 1, (args, done.stderr)
        one_error_line(done, code)
        assert not out.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (["x.parquet", "--workers", "0"], ["x.parquet", "--unit", "bogus"], ["x.parquet"],
                 ["x.parquet", "--domain-column", "a", "--domain-from-url", "b"]):
        done = run_cli("scan", *args, *(["--out", str(tmp_path / "out")] if args != ["x.parquet"] else []))
        assert done.returncode == 2, (args, done.stderr)
        assert not (tmp_path / "out").exists()


def test_contradicting_options_exit_1_leave_the_directory_alone(faulty_scan: tuple[Path, object], faulty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(faulty_scan[0], out)
    before = snapshot(out)
    done = run_cli("scan", str(faulty), "--out", str(out), "--domain-from-url", "url", "--unit", "mention")
    assert done.returncode == 1
    one_error_line(done, "E005")
    assert snapshot(out) == before


def test_scan_writes_only_under_out(tmp_path: Path) -> None:
    corpus = synth_corpus(tmp_path / "inputs", SynthConfig(documents=60, shards=2, seed=2))
    (tmp_path / "cwd").mkdir()
    before = snapshot(tmp_path)
    done = run_cli("scan", str(corpus.paths[0].parent), "--out", str(tmp_path / "out"), "--workers", "1", "--keep-facts",
                   cwd=tmp_path / "cwd")
    assert done.returncode == 0, done.stderr
    after = {name: value for name, value in snapshot(tmp_path).items() if not name.startswith("out/")}
    assert after == before
    assert "report:" in done.stdout and "birth_date" in done.stdout
    assert done.stderr == ""  # not a terminal: no progress bars


# ------------------------------------------------------------------------------------- kill and resume


def wait_for(predicate, timeout: float) -> bool:  # noqa: ANN001 - a zero-argument callable
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_sigkill_half_way_then_rerun_gives_the_uninterrupted_report(tmp_path: Path) -> None:
    corpus = synth_corpus(tmp_path / "inputs", SynthConfig(documents=800, shards=40, seed=9))
    inputs = corpus.paths[0].parent
    out = tmp_path / "out"
    process = start_scan(inputs, out, start_new_session=True)
    done_markers = lambda: len(list((out / "units").glob("*.done.json"))) if (out / "units").is_dir() else 0  # noqa: E731
    assert wait_for(lambda: done_markers() >= 3, timeout=300), process.stderr.read() if process.poll() is not None else ""
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = done_markers()
    assert 3 <= killed_at < 40, "the run finished before it could be killed"
    # the workers die with their parent: nothing keeps writing into DIR
    assert wait_for(lambda: _group_gone(process.pid), timeout=30)
    assert not (out / "report.json").exists()

    rerun = run_cli("scan", str(inputs), "--out", str(out), "--domain-from-url", "url", "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["resumed_units"] >= killed_at
    reference = tmp_path / "reference"
    scan([str(inputs)], reference, replace(OPTIONS, keep_facts=False))
    assert stable_bytes(out) == stable_bytes(reference)
    assert prompts(out).equals(prompts(reference))


def _group_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


def test_extract_writes_the_good_units_and_lists_the_bad(faulty: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("a-good.parquet", "b-corrupt.parquet", "e-messy.jsonl.gz"):
        shutil.copy(faulty / name, inputs / name)
    result = extract([str(inputs)], tmp_path / "facts.parquet", OPTIONS)
    assert result.exit_code == 3 and [entry["path"] for entry in result.failed] == ["b-corrupt.parquet"]
    facts = pl.read_parquet(tmp_path / "facts.parquet")
    assert facts.height == result.facts > 0 and result.documents == 40 + 5
    assert facts["doc_id"].str.starts_with("synth-").sum() + facts["doc_id"].str.starts_with("m").sum() == facts.height
    assert sorted(path.name for path in tmp_path.iterdir()) == ["facts.parquet", "inputs"]  # no parts left behind


def run_on_terminal(args: list[str], cwd: Path) -> str:
    """`python -m singleton ARGS` on a pseudo-terminal (120 columns): what a person at a terminal sees."""
    import fcntl
    import pty
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of a real width, then the CLI
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.chdir(cwd)
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        os.execv(sys.executable, [sys.executable, "-m", "singleton", *args])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    return output.decode("utf-8", "replace")


def test_progress_bars_only_on_a_terminal_and_not_with_no_progress(tmp_path: Path) -> None:
    corpus = synth_corpus(tmp_path / "inputs", SynthConfig(documents=60, shards=2, seed=2))
    shown = run_on_terminal(["scan", str(corpus.paths[0].parent), "--out", str(tmp_path / "a"), "--workers", "1"], tmp_path)
    assert "units: 100%" in shown and "2/2" in shown
    assert "documents: 100%" in shown and "doc/s" in shown and "60.0/60.0" in shown
    quiet = run_on_terminal(["scan", str(corpus.paths[0].parent), "--out", str(tmp_path / "b"), "--workers", "1",
                             "--no-progress"], tmp_path)
    assert "units:" not in quiet and "documents:" not in quiet and "report:" in quiet


def _workers_of(parent: int) -> list[int]:
    """The pool worker processes of `parent` (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in command and b"resource_tracker" not in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes through /proc")
def test_a_killed_worker_fails_its_units_and_a_rerun_finishes(tmp_path: Path) -> None:
    corpus = synth_corpus(tmp_path / "inputs", SynthConfig(documents=800, shards=40, seed=9))
    inputs = corpus.paths[0].parent
    out = tmp_path / "out"
    process = start_scan(inputs, out, text=True)
    assert wait_for(lambda: (out / "units").is_dir() and len(list((out / "units").glob("*.done.json"))) >= 2, timeout=300)
    workers = _workers_of(process.pid)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 3, stderr
    report = json.loads((out / "report.json").read_text())
    assert report["input"]["failed"] and all("Broken" in entry["error"] or "terminated" in entry["error"]
                                             for entry in report["input"]["failed"])
    rerun = run_cli("scan", str(inputs), "--out", str(out), "--domain-from-url", "url", "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    reference = tmp_path / "reference"
    scan([str(inputs)], reference, replace(OPTIONS, keep_facts=False))
    assert stable_bytes(out) == stable_bytes(reference)


def test_a_corrupt_row_group_fails_its_whole_file(tmp_path: Path) -> None:
    """DESIGN.md: a corrupt row group fails its file, even when the file was split into row-group units."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    people = [f"Person{i} Example{i} was born on {i % 28 + 1} May {1800 + i}." for i in range(40)]
    table = pa.table({"id": [f"d{i}" for i in range(40)], "text": people, "url": ["https://x.org/"] * 40})
    pq.write_table(table.slice(0, 10), inputs / "a-good.parquet")
    split = inputs / "b-split.parquet"
    pq.write_table(table.slice(10, 30), split, row_group_size=10, compression="snappy")
    metadata = pq.ParquetFile(split).metadata
    assert metadata.num_row_groups == 3
    column = metadata.row_group(1).column(1)  # the text column of the middle row group
    start = column.data_page_offset
    data = bytearray(split.read_bytes())
    data[start : start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    split.write_bytes(bytes(data))

    result = scan([str(inputs)], tmp_path / "out", replace(OPTIONS, unit_bytes=1, keep_facts=False))
    assert result.units == 4  # the split file is three units
    assert result.exit_code == 3
    assert [entry["path"] for entry in result.failed] == ["b-split.parquet"]
    assert "row groups 1-1" in result.failed[0]["error"]
    report = stable(tmp_path / "out")
    assert report["input"]["documents"] == 10  # the split file's good row groups are not counted either
    assert report["categories"]["birth_date"]["N"] == 10
