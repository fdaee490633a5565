"""Scan throughput on real text: MB/s and documents/s of `singleton scan` with 1 and 2 workers, the floor (read +
prefilter only) in the same run, and peak memory for a corpus and one 10× larger (streaming: it must stay flat).

The corpus is the wiki-dev Wikipedia articles repeated (each copy with its own id and a distinct last sentence)
into parquet shards of about 0.5 MB of text. Each scan runs in a child process, with 1 and with 2 workers, on
the corpus and on the 10× corpus. Wall time includes start-up (imports, a spaCy model per worker); the
steady rate is the marginal one between the two corpora, (MB_large − MB_small) / (s_large − s_small), which
start-up and the final merge do not distort. Peak memory is sampled from /proc every 50 ms over the whole
process tree (the scan and its workers). Small-corpus scans run --repeat times and the fastest counts, since
the machine may be shared.

    python benchmarks/scan_throughput.py              # 4 MB of text and 40 MB
    python benchmarks/scan_throughput.py --mb 1       # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
sys.path.insert(0, str(REPO))

from singleton.categories import select  # noqa: E402
from singleton.prefilter import candidate_sentences  # noqa: E402
from singleton.read import ReadOptions, ReadStats, discover, read_unit  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "wiki-dev" / "articles.parquet"
SHARD_BYTES = 512 * 1024
MB = 1e6


def build_corpus(articles: pl.DataFrame, folder: Path, megabytes: float) -> Path:
    """Copies of the articles up to `megabytes` of text, in shards of about SHARD_BYTES (reused if present)."""
    marker = folder / "built.json"
    wanted = {"megabytes": megabytes, "articles": articles.height, "shard_bytes": SHARD_BYTES}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    per_copy = articles["text"].str.len_bytes().sum()
    copies = max(1, round(megabytes * MB / per_copy))
    corpus = pl.concat(
        articles.with_columns(
            id=pl.col("id") + f"-copy{copy}",
            text=pl.col("text") + f"\n\nThis is copy number {copy} of the article.",
        )
        for copy in range(copies)
    )
    sizes = corpus["text"].str.len_bytes().cum_sum()
    shard = (sizes // SHARD_BYTES).cast(pl.Int64)
    for index, part in enumerate(corpus.with_columns(shard=shard).partition_by("shard", maintain_order=True)):
        part.drop("shard").write_parquet(folder / f"shard-{index:05d}.parquet")
    marker.write_text(json.dumps(wanted))
    return folder


def floor(corpus: Path) -> dict[str, float]:
    """Read + prefilter only (in this process): the part of a scan that does not need spaCy."""
    categories = select(None)
    stats = ReadStats()
    candidates = 0
    started = time.perf_counter()
    for unit in discover([str(corpus)]):
        for docs in read_unit(unit, ReadOptions(), stats):
            candidates += candidate_sentences(docs, categories).height
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": stats.documents, "text_bytes": stats.text_bytes, "candidates": candidates}


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def run_scan(corpus: Path, out: Path, workers: int) -> dict[str, float]:
    """`singleton scan` in a child process: wall seconds, peak RSS of the process tree and of its largest process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "singleton",
        "scan",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--no-progress",
        "--categories",
        "birth_date,death_date,birth_place,death_place",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"scan failed: {process.stderr.read().decode()}")  # type: ignore[union-attr]
    report = json.loads((out / "report.json").read_text())
    return {
        "seconds": seconds,
        "documents": report["input"]["documents"],
        "text_bytes": report["input"]["text_bytes"],
        "peak_tree_rss": peak,
        "peak_process_rss": usage.ru_maxrss * 1024,
    }


def best_of(repeat: int, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    """The fastest of `repeat` runs (the machine may be shared), with the highest memory seen in any."""
    runs = [run_scan(corpus, out, workers) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda run: run["seconds"])
    return {
        **fastest,
        "peak_tree_rss": max(run["peak_tree_rss"] for run in runs),
        "peak_process_rss": max(run["peak_process_rss"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of text in the small corpus")
    parser.add_argument("--scale", type=float, default=10.0, help="how much larger the large corpus is")
    parser.add_argument("--work", type=Path, default=ROOT / "_work" / "scan")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each small scan (the fastest counts)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    load = os.getloadavg()[0]

    articles = pl.read_parquet(args.data).select("id", "url", "text")
    corpora = {
        "small": build_corpus(articles, args.work / f"corpus-{args.mb:g}mb", args.mb),
        "large": build_corpus(articles, args.work / f"corpus-{args.mb * args.scale:g}mb", args.mb * args.scale),
    }
    results: dict[str, dict[str, float]] = {"floor": floor(corpora["large"])}
    for workers in (1, 2):
        results[f"small_{workers}"] = best_of(args.repeat, corpora["small"], args.work / "out", workers)
        results[f"large_{workers}"] = run_scan(corpora["large"], args.work / "out", workers)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
        f"load average before: {load:.1f}"
    )
    print(
        f"corpora: {results['small_1']['text_bytes'] / MB:.1f} and {results['large_1']['text_bytes'] / MB:.1f} MB of "
        f"text (wiki-dev Wikipedia articles, repeated), shards of ~{SHARD_BYTES / MB:.1f} MB"
    )
    print()
    print("| run | seconds | MB/s | documents/s | peak RSS, all processes | largest process |")
    print("|---|---|---|---|---|---|")
    fl = results["floor"]
    print(
        f"| floor: read + prefilter only, large corpus, 1 process | {fl['seconds']:.1f} | "
        f"{fl['text_bytes'] / MB / fl['seconds']:.1f} | {fl['documents'] / fl['seconds']:,.0f} | | |"
    )
    for workers in (1, 2):
        for size in ("small", "large"):
            run = results[f"{size}_{workers}"]
            print(
                f"| scan --workers {workers}, {run['text_bytes'] / MB:.0f} MB | {run['seconds']:.1f} | "
                f"{run['text_bytes'] / MB / run['seconds']:.2f} | {run['documents'] / run['seconds']:,.0f} | "
                f"{run['peak_tree_rss'] / 2**20:,.0f} MiB | {run['peak_process_rss'] / 2**20:,.0f} MiB |"
            )
    print()
    steady = {}
    for workers in (1, 2):
        small, large = results[f"small_{workers}"], results[f"large_{workers}"]
        seconds = large["seconds"] - small["seconds"]
        steady[workers] = {
            "mb_per_second": (large["text_bytes"] - small["text_bytes"]) / MB / seconds,
            "documents_per_second": (large["documents"] - small["documents"]) / seconds,
        }
        print(
            f"steady rate, {workers} worker(s): {steady[workers]['mb_per_second']:.2f} MB/s, "
            f"{steady[workers]['documents_per_second']:,.0f} documents/s; peak memory large/small corpus: "
            f"{large['peak_tree_rss'] / small['peak_tree_rss']:.2f}"
        )
    print(
        f"speed-up with 2 workers (steady): {steady[2]['mb_per_second'] / steady[1]['mb_per_second']:.2f}×; "
        f"floor / scan (1 worker, steady): {fl['text_bytes'] / fl['seconds'] / MB / steady[1]['mb_per_second']:.1f}×"
    )
    if args.json:
        args.json.write_text(json.dumps({**results, "steady": steady}, indent=1))


if __name__ == "__main__":
    main()
