"""Render a run's report.html in headless Chromium: check what the browser built, keep a screenshot for the README.

    python benchmarks/render_report.py [DIR] [--screenshot docs/report.png]

DIR is a run directory with report.json (prompts.parquet and facts/ add conflicts and samples). Without DIR,
a sample report is made first, reproducibly: `singleton synth --documents 2000 --seed 0` (three domains,
exact duplicates, known counts), then `singleton scan ... --domain-column domain --keep-facts`.
Needs Debian's `chromium` (`apt-get install chromium`); prints the render time, the page size and what the
browser found in the page.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from singleton.html import render_html
from singleton.report import load_report

ROOT = Path(__file__).resolve().parent.parent
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")


def sample_run(work: Path) -> Path:
    """The sample: a synthetic corpus scanned with domains and facts kept, so every section of the report shows."""
    corpus, out = work / "corpus", work / "sample"
    singleton = [sys.executable, "-m", "singleton"]
    subprocess.run([*singleton, "synth", "--out", str(corpus), "--documents", "2000", "--seed", "0"], check=True)
    shards = sorted(str(path) for path in corpus.glob("*.parquet"))
    subprocess.run([*singleton, "scan", *shards, "--out", str(out), "--domain-column", "domain", "--keep-facts",
                    "--no-progress"], check=True)
    return out


def browse(browser: str, page: Path, work: Path, *extra: str) -> str:
    """Run headless Chromium on a local page with a throwaway profile; its stdout."""
    profile = tempfile.mkdtemp(dir=work)
    command = [browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=180).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, help="run directory (default: synthesise and scan a sample)")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--window-size", default="1200,2400")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium on PATH: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        run_dir = args.dir or sample_run(work)
        started = time.perf_counter()
        text = render_html(load_report(run_dir), run_dir)
        seconds = time.perf_counter() - started
        page = work / "report.html"
        page.write_text(text, encoding="utf-8")
        dom = browse(browser, page, work, "--dump-dom")
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        browse(browser, page, work, f"--screenshot={args.screenshot.resolve()}", f"--window-size={args.window_size}")
    print(f"rendered {run_dir} in {seconds:.2f} s: {len(text.encode()):,} bytes of HTML")
    found = {tag: len(re.findall(rf"<{tag}\b", dom)) for tag in ("svg", "table", "script")}
    print(f"browser DOM: {found['svg']} inline SVG plots, {found['table']} tables, {found['script']} scripts")
    print(f"screenshot: {args.screenshot} ({args.screenshot.stat().st_size:,} bytes, window {args.window_size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
