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


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m singleton ARGS` in a fresh process, importing this checkout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "singleton", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout, check=False
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
