"""Helpers shared by the scan tests: stable report contents, running the CLI, snapshots of folders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl

REPO = Path(__file__).resolve().parents[1]


def stable(out: Path) -> dict[str, Any]:
    """report.json without `run` and `timing`: the part that must be byte-identical across runs."""
    data = json.loads((out / "report.json").read_text())
    data.pop("run")
    data.pop("timing")
    return data


def stable_bytes(out: Path) -> bytes:
    """report.json's bytes with the `run` and `timing` blocks cut out: must be identical across runs."""
    kept: list[bytes] = []
    closing: bytes | None = None
    for line in (out / "report.json").read_bytes().splitlines(keepends=True):
        if closing is None and re.match(rb'^(\s*)"(run|timing)": \{\s*$', line):
            closing = re.match(rb"^\s*", line).group(0) + b"}"  # type: ignore[union-attr]
        elif closing is not None:
            closing = None if line.startswith(closing) else closing
        else:
            kept.append(line)
    return b"".join(kept)


def prompts(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "prompts.parquet")


def cli_env() -> dict[str, str]:
    """The environment of a child `python -m singleton` that imports this checkout."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m singleton ARGS` in a fresh process, importing this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "singleton", *args], capture_output=True, text=True, cwd=cwd, env=cli_env(), timeout=timeout, check=False
    )


def start_scan(inputs: Path, out: Path, **popen: Any) -> subprocess.Popen[Any]:
    """A two-worker `singleton scan` of `inputs` started in the background, to be killed half-way by a test."""
    command = [sys.executable, "-m", "singleton", "scan", str(inputs), "--out", str(out), "--domain-from-url", "url",
               "--workers", "2", "--no-progress"]
    return subprocess.Popen(command, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
