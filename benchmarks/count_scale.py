"""How `singleton count` scales: 10^8 fact observations counted exactly in bounded memory.

Generates the facts in pieces on disk (reused when already there), runs `singleton count` in a child process
and, in the same run, the bare Polars job a user would otherwise write (`group_by(prompt).len()`, then the
prompts seen once), records each child's wall time and peak RSS (os.wait4), and prints the ratio.

    python benchmarks/count_scale.py                  # 10^8 observations in 100 pieces (needs ~3 GB of disk)
    python benchmarks/count_scale.py --rows 1000000   # a quick run
    python benchmarks/count_scale.py --unit mention   # also checks the singletons equal the bare job's

Latest figures (AMD EPYC, 2 cores shared with other jobs (load ≈ 6), 24 GiB RAM, Python 3.11.7, Polars 2.1.0):

| observations | unit | singleton count | peak RSS | bare group_by().len() | its peak RSS | ratio |
|---|---|---|---|---|---|---|
| 10^8 (100 files) | doc | 307 s | 2.20 GiB | 41 s | 5.30 GiB | 7.4× |
| 10^7 (10 files) | mention | 36 s | 1.23 GiB | 1.6 s | 0.70 GiB | 22.3× |

The count does more than the bare job: per-document merging, IDK, conflicts, domains, duplicates, the
prompts table and the report (json, md, html with plots); its memory is bounded by a merge bucket.
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

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent
CATEGORIES = ("birth_date", "death_date", "birth_place", "death_place")
FACTS_PER_DOCUMENT = 8
GIB = 1024**3

BASELINE = """
import sys, polars as pl
prompts = pl.scan_parquet(sys.argv[1] + "/*.parquet").group_by("category", "subject_key").len()
singletons = prompts.filter(pl.col("len") == 1).group_by("category").len().collect(engine="streaming")
print(singletons.sort("category").write_json())
"""
"""The bare Polars job: observations per prompt, then the prompts seen once (no IDK, no merging, no report)."""


def generate(facts_dir: Path, rows: int, pieces: int, seed: int) -> None:
    """`rows` observations in `pieces` parquet files: subjects log-uniform (a heavy tail of singletons), answers
    a subject's true date or place at random precision, with a few conflicting ones; 8 facts per document."""
    marker = facts_dir / "generated.json"
    wanted = {"rows": rows, "pieces": pieces, "seed": seed}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return
    shutil.rmtree(facts_dir, ignore_errors=True)
    facts_dir.mkdir(parents=True)
    per_piece = -(-rows // pieces)
    subjects = max(10, rows // 3)
    for piece in range(pieces):
        size = min(per_piece, rows - piece * per_piece)
        if size <= 0:
            break
        rng = np.random.default_rng([seed, piece])
        subject = np.exp(rng.random(size) * np.log(subjects)).astype(np.int64)
        category = rng.integers(0, len(CATEGORIES), size)
        noise = (rng.random(size) < 0.02).astype(np.int64)
        precision = rng.integers(0, 3, size)
        frame = pl.DataFrame({"row": np.arange(size), "subject": subject, "category": category, "noise": noise,
                              "precision": precision})
        year = (1700 + (pl.col("subject") * 7 + pl.col("noise")) % 300).cast(pl.String)
        month = (1 + pl.col("subject") % 12).cast(pl.String).str.zfill(2)
        day = (1 + pl.col("subject") % 28).cast(pl.String).str.zfill(2)
        date = (
            pl.when(pl.col("precision") == 0).then(year)
            .when(pl.col("precision") == 1).then(pl.concat_str([year, month], separator="-"))
            .otherwise(pl.concat_str([year, month, day], separator="-"))
        )
        place = pl.format("town {}, country {}", (pl.col("subject") + pl.col("noise")) % 20011, pl.col("subject") % 97)
        place = pl.when(pl.col("precision") == 0).then(pl.format("country {}", pl.col("subject") % 97)).otherwise(place)
        frame.select(
            doc_id=pl.format("p{}-{}", pl.lit(piece), pl.col("row") // FACTS_PER_DOCUMENT),
            category=pl.col("category").replace_strict(list(range(len(CATEGORIES))), list(CATEGORIES), return_dtype=pl.String),
            subject_key=pl.format("person {}", pl.col("subject")),
            object_key=pl.when(pl.col("category") < 2).then(date).otherwise(place),
        ).write_parquet(facts_dir / f"facts-{piece:04d}.parquet")
    marker.write_text(json.dumps(wanted))


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run a child process: its wall seconds, its peak RSS in GiB, its stdout."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage: its peak RSS, not the largest child's
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command[:4])}… exited with {code}")
    return seconds, usage.ru_maxrss * 1024 / GIB, stdout


def machine() -> str:
    """CPU model, cores and memory of this machine, for the README's figures."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        model = names[0] if names else model
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {platform.python_version()}, Polars {pl.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000, help="fact observations (default 10^8)")
    parser.add_argument("--pieces", type=int, default=None, help="facts files (default: one per 10^6 rows)")
    parser.add_argument("--unit", choices=("doc", "mention"), default="doc")
    parser.add_argument("--work", type=Path, default=ROOT / "_work" / "count_scale")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pieces = args.pieces or max(1, args.rows // 1_000_000)
    facts_dir = args.work / "facts"
    started = time.perf_counter()
    generate(facts_dir, args.rows, pieces, args.seed)
    print(f"facts: {args.rows:,} observations in {pieces} files ({time.perf_counter() - started:.0f} s to make or reuse)")

    out = args.work / "out"
    shutil.rmtree(out, ignore_errors=True)
    count_seconds, count_rss, _ = timed([sys.executable, "-m", "singleton", "count", str(facts_dir), "--out", str(out), "--unit", args.unit])
    baseline_seconds, baseline_rss, baseline_out = timed([sys.executable, "-c", BASELINE, str(facts_dir)])

    report = json.loads((out / "report.json").read_text())
    if args.unit == "mention":  # the same question, so the same answer: a cross-check of exactness
        bare = {row["category"]: row["len"] for row in json.loads(baseline_out)}
        ours = {name: fields["singletons"] for name, fields in report["categories"].items()}
        assert ours == bare, (ours, bare)
    result = {
        "rows": args.rows,
        "pieces": pieces,
        "unit": args.unit,
        "count_seconds": round(count_seconds, 1),
        "count_peak_rss_gib": round(count_rss, 2),
        "buckets": report["timing"].get("buckets"),
        "baseline_seconds": round(baseline_seconds, 1),
        "baseline_peak_rss_gib": round(baseline_rss, 2),
        "ratio": round(count_seconds / baseline_seconds, 2),
        "N": sum(fields["N"] for fields in report["categories"].values()),
        "sr": {name: fields["sr"] for name, fields in report["categories"].items()},
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))
    print(
        f"| {args.rows:.0e} | {args.unit} | {count_seconds:,.0f} s | {count_rss:.2f} GiB | {baseline_seconds:,.0f} s | "
        f"{baseline_rss:.2f} GiB | {count_seconds / baseline_seconds:.1f}× |"
    )
    if count_rss >= 4:
        sys.exit(f"peak memory {count_rss:.2f} GiB is over the 4 GiB budget")


if __name__ == "__main__":
    main()
