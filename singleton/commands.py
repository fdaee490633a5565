"""One function per CLI command: call the API, print for people, return the exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from singleton import categories as category_registry
from singleton.errors import SingletonError

if TYPE_CHECKING:
    from singleton.scan import ScanOptions


def categories(args: argparse.Namespace) -> int:
    """`singleton categories`: name, compatibility rule, error space and description of each category."""
    known = category_registry.registry(args.plugin)
    width = max(len(name) for name in known)
    for category in known.values():
        print(f"{category.name:<{width}}  {category.rule:<5}  |E|={category.error_space:<5}  {category.description}")
    return 0


def simulate(args: argparse.Namespace) -> int:
    """`singleton simulate`: draw training sets under Definition 1, train, query, compare err with sr."""
    from singleton import simulate as simulation

    out = args.out if args.out is not None else args.from_dir
    if out is None:
        raise SingletonError("E012", "say where to write: --out DIR (or --from DIR to write beside its report)")
    parametric = {"--sr": args.sr, "--prompts": args.prompts, "--zipf": args.zipf, "--alpha": args.alpha,
                  "--responses": args.responses}
    if args.from_dir is not None:
        given = [name for name, value in parametric.items() if value is not None]
        if given:
            raise SingletonError("E012", f"{given[0]} describes a Zipf profile; --from takes µ, α and |R_c| "
                                 "from the report")
        from singleton.report import load_report

        report = load_report(args.from_dir)
        profiles = simulation.profiles_from_report(report, args.category, args.n)
    elif args.category is not None:
        raise SingletonError("E012", "--category picks a category of a report: use it with --from DIR")
    else:
        profiles = simulation.parametric_profiles(args.n, targets=args.sr, prompts=args.prompts,
                                                  exponent=args.zipf, alpha=args.alpha, responses=args.responses)
    result = simulation.simulate(profiles, trials=args.trials, queries=args.queries, seed=args.seed,
                                 learners=args.learners if args.learners is not None else tuple(simulation.LEARNERS))
    print(simulation.summary_table(result))
    written = simulation.write_simulation(result, out)
    if args.from_dir is not None and Path(out).resolve() == Path(args.from_dir).resolve():
        written.append(simulation.refresh_report_html(out, report))
    for path in filter(None, written):
        print(f"wrote {path}")
    return 0


def compare(args: argparse.Namespace) -> int:
    """`singleton compare DIR ANSWERS.jsonl`: a model's hallucination rate by training count, against sr."""
    from singleton import compare as comparison

    result = comparison.compare(args.dir, args.answers)
    skipped = result["skipped"]
    if skipped["malformed"]:
        lines = ", ".join(str(item["line"]) for item in skipped["malformed_lines"])
        more = "" if skipped["malformed"] <= len(skipped["malformed_lines"]) else ", …"
        print(f"singleton: skipped {skipped['malformed']} malformed lines ({lines}{more}); see compare.json",
              file=sys.stderr)
    for name, unknown in skipped["unknown_categories"].items():
        print(f"singleton: skipped {unknown['lines']} lines of category {name!r}: not in {args.dir}'s report",
              file=sys.stderr)
    print(comparison.compare_table(result))
    for path in comparison.write_compare(result, args.out if args.out is not None else args.dir):
        print(f"wrote {path}")
    return 0


def count(args: argparse.Namespace) -> int:
    """`singleton count`: facts tables to DIR/report.json, report.md and prompts.parquet; a summary line per category."""
    from singleton.count import count as count_facts
    from singleton.report import summary_lines

    out_dir = Path(args.out)
    report = count_facts(
        args.facts,
        out_dir,
        unit=args.unit,
        error_space=dict(args.error_space),
        plugins=tuple(args.plugin),
        progress=sys.stderr.isatty(),
    )
    for line in summary_lines(report.data):
        print(line)
    print(f"report: {out_dir / 'report.md'} (report.json, report.html, prompts.parquet)")
    _print_failures(report.failed)
    return 3 if report.failed else 0


def report(args: argparse.Namespace) -> int:
    """`singleton report DIR [DIR_B]`: print a finished run's report (md, json or html), or how it moved to DIR_B."""
    from singleton.diff import compare_dirs
    from singleton.report import render

    if len(args.dirs) > 2:
        print("singleton report: error: give one DIR, or two to compare", file=sys.stderr)
        return 2
    sys.stdout.write(compare_dirs(*args.dirs, args.format) if len(args.dirs) == 2 else render(args.dirs[0], args.format))
    return 0


def _scan_options(args: argparse.Namespace) -> ScanOptions:
    """The parsed options of `scan` / `extract` as the Python API's ScanOptions."""
    from singleton.read import ReadOptions
    from singleton.scan import ScanOptions

    return ScanOptions(
        read=ReadOptions(
            text_column=args.text_column,
            id_column=args.id_column,
            domain_column=args.domain_column,
            domain_from_url=args.domain_from_url,
        ),
        categories=tuple(args.categories) if args.categories else None,
        plugins=tuple(args.plugin),
        model=args.model,
        unit=getattr(args, "unit", "doc"),
        error_space=tuple(getattr(args, "error_space", ())),
        workers=args.workers,
        engine=args.engine,
        ray_address=args.ray_address,
        cpus_per_worker=args.cpus_per_worker,
        keep_facts=getattr(args, "keep_facts", False),
        progress=not args.no_progress,
    )


def _print_failures(failed: list[dict[str, str]]) -> None:
    for failure in failed:
        print(f"singleton: failed: {failure['path']}: {failure['error']}", file=sys.stderr)
    if failed:
        print(f"singleton: {len(failed)} unit(s) failed; rerun the same command to retry them", file=sys.stderr)


def scan(args: argparse.Namespace) -> int:
    """`singleton scan`: extract, count and report; resumes an interrupted run on the same --out."""
    from singleton.report import summary_lines
    from singleton.scan import scan as run_scan

    result = run_scan(args.inputs, args.out, _scan_options(args))
    for line in summary_lines(result.report.data):
        print(line)
    resumed = f" ({result.resumed} of {result.units} units done by an earlier run)" if result.resumed else ""
    print(f"report: {Path(args.out) / 'report.md'} (report.json, report.html, prompts.parquet){resumed}")
    _print_failures(result.failed)
    return result.exit_code


def extract(args: argparse.Namespace) -> int:
    """`singleton extract`: fact observations only, into one FACTS.parquet."""
    from singleton.scan import extract as run_extract

    result = run_extract(args.inputs, args.out, _scan_options(args))
    print(f"wrote {result.facts} fact observations from {result.documents} documents to {result.out_path}")
    _print_failures(result.failed)
    return result.exit_code


def synth(args: argparse.Namespace) -> int:
    """`singleton synth`: a synthetic corpus with known counts (shards + truth.json)."""
    from singleton.synth import SynthConfig, synth_corpus

    config = SynthConfig(
        documents=args.documents, people=args.people, shards=args.shards, seed=args.seed, duplicate_share=args.duplicates
    )
    try:
        corpus = synth_corpus(args.out, config)
    except ValueError as error:
        raise SingletonError("E012", str(error)) from error
    for name, fields in corpus.truth["categories"].items():
        print(f"{name:<12} N={fields['N']:<7} singletons={fields['singletons']:<7} sr={fields['sr']:.4f}")
    print(f"wrote {len(corpus.paths)} shards ({config.documents} documents) and truth.json to {args.out}")
    return 0
