"""What the Ray engine costs over the local engine: the same corpus, the same CPUs, in the same run.

Each scan runs as its own `singleton scan` child process on a fresh output directory (the local engine with
`--workers W`; the Ray engine with `--workers W` on a local Ray started with W CPUs), timed from the outside,
so interpreter start, model loading and Ray's start are all counted (`wall_seconds`; `scan_seconds` is the
report's own timing, from the scan's start to the report, workers' model loading included). A bare `ray.init(num_cpus=W)` +
`ray.shutdown()` is timed too: the fixed cost of Ray on one machine. Both reports must be equal outside `run`
and `timing`, or the benchmark fails. The machine's load average is recorded: other work on the same cores
makes both engines slower by far more than their difference.

    python benchmarks/engine_overhead.py                       # 4,000 documents in 16 shards, 2 workers
    python benchmarks/engine_overhead.py --documents 20000 --shards 40 --workers 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
RAY_START = "import ray, sys; ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False); ray.shutdown()"


def child_env() -> dict[str, str]:
    """The children import this checkout, installed or not."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def timed(command: list[str]) -> float:
    """Wall seconds of a child process; its output is shown only when it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=REPO, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-3000:]}")
    return seconds


def corpus(work: Path, documents: int, shards: int) -> Path:
    """The synthetic corpus (reused when it already has these parameters)."""
    folder = work / f"corpus-{documents}-{shards}"
    if not (folder / "truth.json").is_file():
        timed([sys.executable, "-m", "singleton", "synth", "--out", str(folder), "--documents", str(documents),
               "--shards", str(shards), "--seed", "7"])
    return folder


def scan(folder: Path, out: Path, engine: str, workers: int) -> dict[str, Any]:
    """One timed `singleton scan` on a fresh --out; its wall time and report."""
    shutil.rmtree(out, ignore_errors=True)
    seconds = timed([sys.executable, "-m", "singleton", "scan", str(folder), "--out", str(out), "--engine", engine,
                     "--workers", str(workers), "--domain-from-url", "url", "--no-progress"])
    report = json.loads((out / "report.json").read_text())
    return {"engine": engine, "wall_seconds": round(seconds, 2), "report": report}


def stable(report: dict[str, Any]) -> str:
    return json.dumps({key: value for key, value in report.items() if key not in ("run", "timing")}, sort_keys=True)


def main() -> None:
    """Run both engines `--repeat` times, alternating; keep each engine's fastest run; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=4000)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, default=ROOT / "_work" / "engine_overhead")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    folder = corpus(args.work, args.documents, args.shards)
    best: dict[str, dict[str, Any]] = {}
    ray_start = min(timed([sys.executable, "-c", RAY_START, str(args.workers)]) for _ in range(args.repeat))
    for _ in range(args.repeat):
        for engine in ("local", "ray"):
            run = scan(folder, args.work / f"out-{engine}", engine, args.workers)
            if engine not in best or run["wall_seconds"] < best[engine]["wall_seconds"]:
                best[engine] = run
    local, ray = best["local"], best["ray"]
    if stable(local["report"]) != stable(ray["report"]):
        sys.exit("the engines' reports differ outside run/timing")
    documents = local["report"]["input"]["documents"]
    result = {
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}",
        "documents": documents,
        "units": local["report"]["input"]["units"],
        "workers": args.workers,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "ray_start_seconds": round(ray_start, 2),
        **{
            f"{run['engine']}_{key}": value
            for run in (local, ray)
            for key, value in {
                "wall_seconds": run["wall_seconds"],
                "scan_seconds": round(run["report"]["timing"]["seconds"], 2),
                "documents_per_second": round(documents / run["wall_seconds"], 1),
            }.items()
        },
    }
    result["ray_overhead_seconds"] = round(ray["wall_seconds"] - local["wall_seconds"], 2)
    result["ray_overhead_without_start_seconds"] = round(result["ray_overhead_seconds"] - ray_start, 2)
    result["documents_per_second_per_worker"] = round(documents / result["local_scan_seconds"] / args.workers, 1)
    (args.work / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
