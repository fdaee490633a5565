"""The Ray engine on a real local Ray cluster (`ray.init(num_cpus=2)`, started once for this module):
the same report as the local engine, killed workers, a stopped job, resume across engines, Ray missing."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from scanhelp import REPO, prompts, snapshot, stable

from singleton.count import finish
from singleton.engines import map_ordered
from singleton.read import ReadOptions
from singleton.scan import ScanOptions, scan
from singleton.synth import SynthConfig, SynthCorpus, synth_corpus

pytestmark = [pytest.mark.slow, pytest.mark.ray]

LOCAL = ScanOptions(read=ReadOptions(domain_from_url="url"), workers=1, progress=False)
RAY = replace(LOCAL, engine="ray", workers=2)
UNITS = 6


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A real two-CPU Ray on this machine; its address, for drivers in other processes. Shut down at the end."""
    ray = pytest.importorskip("ray")
    from singleton.engines.ray import connect

    connect(cpus=2)  # ray.init(num_cpus=2), with this checkout importable by the workers
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    config = SynthConfig(documents=240, shards=UNITS, seed=21, row_group_rows=32)
    return synth_corpus(tmp_path_factory.mktemp("corpus"), config)


def inputs(corpus: SynthCorpus) -> list[str]:
    return [str(path) for path in corpus.paths]


@pytest.fixture(scope="module")
def local_scan(corpus: SynthCorpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    assert scan(inputs(corpus), out, LOCAL).exit_code == 0
    return out


@pytest.fixture(scope="module")
def ray_scan(corpus: SynthCorpus, cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ray") / "out"
    result = scan(inputs(corpus), out, RAY)
    assert (result.exit_code, result.units, result.resumed) == (0, UNITS, 0)
    return out


def markers(out: Path) -> list[Path]:
    return sorted((out / "units").glob("*.done.json")) if (out / "units").is_dir() else []


def wait_for_marker(out: Path, process: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> int:
    """Block until some unit of the run writing `out` is done (the process, if any, still running); how many are."""
    deadline = time.monotonic() + 300
    while not markers(out):
        assert time.monotonic() < deadline, "no unit finished in time"
        assert process is None or process.poll() is None, log.read_text() if log else "the job ended early"
        time.sleep(0.02)
    return len(markers(out))


def busy_ray_workers() -> list[int]:
    """PIDs of this test's Ray unit workers that are running a unit now (Ray titles them `ray::_UnitWorker.run`)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    me = os.getpid()

    def ours(pid: int) -> bool:
        while pid in parents and pid not in (me, 0, 1):
            pid = parents[pid]
        return pid == me

    def title(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            return ""

    return [pid for pid in parents if pid != me and title(pid).startswith("ray::_UnitWorker.run") and ours(pid)]


def test_ray_gives_the_local_report(local_scan: Path, ray_scan: Path) -> None:
    assert json.loads((ray_scan / "report.json").read_text())["run"]["engine"] == "ray"
    assert len(markers(ray_scan)) == UNITS
    assert stable(ray_scan) == stable(local_scan)
    assert prompts(ray_scan).equals(prompts(local_scan))


def test_merge_buckets_reduce_on_ray_workers(local_scan: Path, cluster: str, tmp_path: Path) -> None:
    """The merge's bucket reduces run as Ray tasks, in other processes, and give the same bytes as in-process."""
    pids = list(map_ordered(lambda value: (os.getpid(), 10 + value), range(8), engine="ray", workers=2))
    assert [value for _, value in pids] == list(range(10, 18))  # input order, whatever order tasks end in
    assert os.getpid() not in {pid for pid, _ in pids}
    partials = sorted((local_scan / "units").glob("*.counts.parquet"))
    report = json.loads((local_scan / "report.json").read_text())
    common = {"unit": "doc", "error_space": {}, "input_info": report["input"], "run_info": {}, "timing": {}, "buckets": 8}
    on_ray = functools.partial(map_ordered, engine="ray", workers=2)
    ray_data = finish(partials, tmp_path / "ray", reduce_map=on_ray, with_html=False, **common).data
    here_data = finish(partials, tmp_path / "here", with_html=False, **common).data
    assert (ray_data["categories"], ray_data["domains"]) == (here_data["categories"], here_data["domains"])
    assert prompts(tmp_path / "ray").equals(prompts(tmp_path / "here"))
    assert prompts(tmp_path / "ray").equals(prompts(local_scan))


def test_a_killed_worker_loses_nothing_and_counts_nothing_twice(
    corpus: SynthCorpus, local_scan: Path, cluster: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    killed: list[tuple[int, int]] = []
    finished = threading.Event()

    def kill_one_busy_worker() -> None:
        done_before = wait_for_marker(out)
        while not finished.is_set():
            busy = busy_ray_workers()
            if busy:
                os.kill(busy[0], signal.SIGKILL)  # mid-unit: its outputs are half-written or not written at all
                killed.append((busy[0], done_before))
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_one_busy_worker, daemon=True)
    killer.start()
    try:
        result = scan(inputs(corpus), out, RAY)
    finally:
        finished.set()
        killer.join()
    assert killed and killed[0][1] < UNITS, "the worker was not killed while units were left"
    assert (result.exit_code, result.failed) == (0, [])  # the lost unit was retried on the restarted worker
    assert len(markers(out)) == UNITS
    assert stable(out) == stable(local_scan)
    assert prompts(out).equals(prompts(local_scan))


def test_a_stopped_job_resumes_where_it_stopped(corpus: SynthCorpus, local_scan: Path, cluster: str, tmp_path: Path) -> None:
    """The job script (pipelines/ray_job.py, as `ray job submit` runs it: RAY_ADDRESS set) killed mid-run, then rerun."""
    out = tmp_path / "out"
    env = {**os.environ, "RAY_ADDRESS": cluster, "PYTHONPATH": str(REPO)}
    args = [*inputs(corpus), "--out", str(out), "--cpus-per-worker", "1", "--domain-from-url", "url", "--no-progress"]
    with open(tmp_path / "job.log", "w") as log:
        job = subprocess.Popen([sys.executable, str(REPO / "pipelines" / "ray_job.py"), *args], cwd=REPO, env=env,
                               stdout=log, stderr=log)
        try:
            done_at_stop = wait_for_marker(out, job, log=tmp_path / "job.log")
        finally:
            job.kill()
            job.wait()
    assert done_at_stop < UNITS
    result = scan(inputs(corpus), out, RAY)
    assert result.exit_code == 0 and done_at_stop <= result.resumed
    assert len(markers(out)) == UNITS and not any(".tmp-" in name for name in snapshot(out / "units"))
    assert stable(out) == stable(local_scan)
    assert prompts(out).equals(prompts(local_scan))


@pytest.mark.parametrize(("started", "finished_on"), [("local", RAY), ("ray", LOCAL)])
def test_resume_across_engines(
    started: str, finished_on: ScanOptions, corpus: SynthCorpus, local_scan: Path, ray_scan: Path, tmp_path: Path
) -> None:
    """A run interrupted on one engine (half its markers missing) is finished on the other: only those units run."""
    out = tmp_path / "out"
    shutil.copytree(local_scan if started == "local" else ray_scan, out)
    interrupted = markers(out)[::2]
    for marker in interrupted:
        marker.unlink()
    (out / "report.json").unlink()
    before = snapshot(out / "units")
    result = scan(inputs(corpus), out, finished_on)
    assert (result.exit_code, result.resumed) == (0, UNITS - len(interrupted))
    after = snapshot(out / "units")
    redone = {name.split(".")[0] for name in after if before.get(name) != after[name]}
    assert redone == {marker.name.split(".")[0] for marker in interrupted}
    assert stable(out) == stable(local_scan)
    assert prompts(out).equals(prompts(local_scan))


def test_without_ray_the_engine_says_how_to_install_it(corpus: SynthCorpus, tmp_path: Path) -> None:
    """A Python where `import ray` fails (a shadowing package first on the path): one line, exit 1, nothing written."""
    hidden = tmp_path / "no-ray" / "ray"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ModuleNotFoundError("No module named \'ray\'", name="ray")\n')
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hidden.parent), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-m", "singleton", "scan", str(corpus.paths[0].parent), "--out", str(out), "--engine", "ray"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "E009" in lines[0] and "pip install 'singleton[ray]'" in lines[0], done.stderr
    assert not out.exists()
