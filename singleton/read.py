"""Readers: input paths to units of work, and a unit to a stream of document batches (doc_id, text, domain).

Parquet is read by row group and JSON Lines (plain, .gz, .zst) line by line, in batches, so memory never
grows with a shard's size; a .txt file is one document. Bad bytes never crash a reader: invalid UTF-8 is
replaced, malformed JSON lines are counted and skipped.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash
import zstandard

from singleton.errors import SingletonError

Format = Literal["parquet", "jsonl", "txt"]

DOCUMENT_SCHEMA = {"doc_id": pl.String, "text": pl.String, "domain": pl.String}
"""Every batch a reader yields has exactly these columns, whatever the input format."""

DEFAULT_ID_COLUMN = "id"
DEFAULT_UNIT_BYTES = 256 * 2**20
"""A parquet file whose row groups hold more (uncompressed) is split into units of about this size."""

_COMPRESSIONS = (".gz", ".zst", ".zstd")
_SUFFIXES: dict[str, Format] = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}
_JSONL_BATCH_CHARS = 32 * 2**20


@dataclass(frozen=True)
class ReadOptions:
    """Which input columns hold the text, the id and the domain (DESIGN.md "Command line")."""

    text_column: str = "text"
    id_column: str | None = None
    domain_column: str | None = None
    domain_from_url: str | None = None
    batch_rows: int = 1024

    def required_columns(self) -> list[str]:
        """Columns every parquet/JSONL input must have: a missing one fails that input (or the run, if first)."""
        named = [self.text_column, self.id_column, self.domain_column, self.domain_from_url]
        return [column for column in named if column is not None]


@dataclass(frozen=True)
class Unit:
    """One unit of work: a whole file, or a range of row groups of a big parquet file. Plain data (picklable)."""

    path: str
    """Absolute path of the input file."""
    name: str
    """Path relative to the inputs' common root: the prefix of default doc ids and the name in reports."""
    format: Format
    size: int
    mtime_ns: int
    row_groups: tuple[int, int] | None = None
    """[start, stop) row groups of a split parquet file; None for the whole file."""
    first_row: int = 0
    """Row number of the unit's first row within its file, so default doc ids do not depend on the split."""
    rows: int | None = None
    """Row count when the file's metadata says it (parquet), for progress bars."""

    @property
    def id(self) -> str:
        """A stable, file-system-safe identifier: readable stem, hash of the path, row-group range."""
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(self.name).name)[:60]
        digest = xxhash.xxh64_hexdigest(self.path.encode("utf-8", "surrogateescape"))
        span = f".rg{self.row_groups[0]}-{self.row_groups[1]}" if self.row_groups else ""
        return f"{stem}.{digest}{span}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for resume markers and for engines that ship arguments to other machines."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        """Inverse of `to_dict`."""
        groups = data.get("row_groups")
        return cls(**{**data, "row_groups": tuple(groups) if groups is not None else None})


@dataclass
class ReadStats:
    """What a reader saw besides documents: filled in while a unit is read."""

    documents: int = 0
    text_bytes: int = 0
    malformed_lines: int = 0


def input_format(path: str | Path) -> Format | None:
    """The reader for a file name (`.jsonl.gz` → jsonl), or None when the name is not a supported input."""
    name = Path(path).name.lower()
    for compression in _COMPRESSIONS:
        if name.endswith(compression):
            name = name[: -len(compression)]
            break
    return _SUFFIXES.get(Path(name).suffix)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _excluded(path: Path, exclude: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(excluded) for excluded in exclude)


def _files_under(folder: Path, exclude: Sequence[Path]) -> list[Path]:
    """Supported files under a folder, recursively, skipping hidden ones and the outputs."""
    found = []
    for path in folder.rglob("*"):
        if _excluded(path, exclude):
            continue
        if path.is_file() and input_format(path) is not None and not _is_hidden(path, folder):
            found.append(path)
    return found


def _expand(pattern: str, exclude: Sequence[Path]) -> list[Path]:
    """One INPUT argument to files: a file, a folder (recursive) or a glob."""
    path = Path(pattern)
    if path.is_dir():
        return _files_under(path, exclude)
    if path.is_file():
        if input_format(path) is None:
            raise SingletonError("E013", f"unsupported input {pattern!r}: expected .parquet, .jsonl[.gz|.zst] or .txt")
        return [path]
    matches = [Path(match) for match in glob.glob(pattern, recursive=True)]
    files = [match for match in matches if match.is_file() and input_format(match) is not None]
    for match in matches:
        if match.is_dir():
            files.extend(_files_under(match, exclude))
    if not files:
        raise SingletonError("E001", f"input {pattern!r} matches no .parquet, .jsonl or .txt file")
    return files


def _parquet_units(path: Path, name: str, size: int, mtime_ns: int, unit_bytes: int) -> list[Unit]:
    """A parquet file as units of consecutive row groups of about `unit_bytes` (one unit if unreadable)."""
    whole = Unit(str(path), name, "parquet", size, mtime_ns)
    try:
        meta = pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return [whole]  # a corrupt file fails as a whole when its unit runs
    groups = [meta.row_group(index) for index in range(meta.num_row_groups)]
    if sum(group.total_byte_size for group in groups) <= unit_bytes or len(groups) < 2:
        return [Unit(str(path), name, "parquet", size, mtime_ns, rows=meta.num_rows)]
    units: list[Unit] = []
    start, first_row, rows, held = 0, 0, 0, 0
    for index, group in enumerate(groups):
        if held and held + group.total_byte_size > unit_bytes:
            units.append(Unit(str(path), name, "parquet", size, mtime_ns, (start, index), first_row, rows))
            start, first_row, rows, held = index, first_row + rows, 0, 0
        held += group.total_byte_size
        rows += group.num_rows
    units.append(Unit(str(path), name, "parquet", size, mtime_ns, (start, len(groups)), first_row, rows))
    return units


def discover(
    inputs: Sequence[str], *, exclude: Sequence[str | Path] = (), unit_bytes: int = DEFAULT_UNIT_BYTES
) -> list[Unit]:
    """Files, folders and globs to units of work, in a deterministic order; `exclude` (the outputs) is skipped."""
    excluded = [Path(path).resolve() for path in exclude]
    files: dict[Path, None] = {}
    for pattern in inputs:
        for path in _expand(pattern, excluded):
            if not _excluded(path, excluded):
                files[path.resolve()] = None
    if not files:
        raise SingletonError("E001", "no input files")
    ordered = sorted(files)
    root = Path(os.path.commonpath([path.parent for path in ordered]))
    units: list[Unit] = []
    for path in ordered:
        stat = path.stat()
        name = path.relative_to(root).as_posix()
        fmt = input_format(path)
        if fmt == "parquet":
            units.extend(_parquet_units(path, name, stat.st_size, stat.st_mtime_ns, unit_bytes))
        else:
            units.append(Unit(str(path), name, fmt, stat.st_size, stat.st_mtime_ns))  # type: ignore[arg-type]
    return units


# ---------------------------------------------------------------------------------------------- columns


def _open_binary(path: str) -> IO[bytes]:
    """A binary stream of the file's content, decompressing .gz and .zst on the fly."""
    lower = path.lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "rb")
    if lower.endswith((".zst", ".zstd")):
        raw = open(path, "rb")  # noqa: SIM115 - closed through the wrapper below
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    return open(path, "rb")


def _first_record(path: str) -> dict[str, Any] | None:
    """The first well-formed JSON object of a JSONL file: its keys are the file's columns."""
    with _open_binary(path) as stream:
        for line in stream:
            record = _parse_line(line)
            if record is not None:
                return record
    return None


class MissingColumnError(ValueError):
    """A required column is absent from an input: the run stops (first input) or that input fails."""


def columns_of(unit: Unit) -> list[str] | None:
    """The unit's column names (parquet schema; keys of a JSONL file's first object); None for text files."""
    if unit.format == "parquet":
        return list(pq.read_schema(unit.path).names)
    if unit.format == "jsonl":
        record = _first_record(unit.path)
        return list(record) if record is not None else None
    return None


def _require(names: Sequence[str], unit: Unit, options: ReadOptions) -> None:
    """Raise MissingColumnError naming the first required column that `names` lacks."""
    missing = [column for column in options.required_columns() if column not in names]
    if missing:
        raise MissingColumnError(f"column {missing[0]!r} not in {unit.name!r} (columns: {', '.join(names)})")


def check_first_input(unit: Unit, options: ReadOptions) -> None:
    """Fail before any work when the first input is unreadable or lacks a column (exit 1, DESIGN.md)."""
    try:
        names = columns_of(unit)
    except (OSError, EOFError, pa.ArrowException, zstandard.ZstdError) as exc:
        raise SingletonError("E002", f"cannot read first input {unit.name!r}: {one_line(exc)}") from exc
    try:
        if names is not None:
            _require(names, unit, options)
    except MissingColumnError as exc:
        raise SingletonError("E003", f"first input: {exc}") from exc


def one_line(exc: BaseException) -> str:
    """An exception as one report-friendly line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


# ---------------------------------------------------------------------------------------------- reading


def _as_utf8(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Any arrow column as valid large_string: binary is decoded, invalid UTF-8 replaced (never a crash)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = array
    elif pa.types.is_binary(kind):
        text = array.view(pa.string())
    elif pa.types.is_large_binary(kind):
        text = array.view(pa.large_string())
    elif pa.types.is_string_view(kind) or pa.types.is_binary_view(kind) or pa.types.is_fixed_size_binary(kind):
        text = array.cast(pa.large_binary()).view(pa.large_string())
    else:
        return array.cast(pa.large_string())  # numbers, booleans, dates: their text form
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        raw = text.cast(pa.large_binary()).to_pylist()
        return pa.array([None if value is None else value.decode("utf-8", "replace") for value in raw], pa.large_string())
    return text.cast(pa.large_string())


def url_host(urls: pl.Expr) -> pl.Expr:
    """The host of a URL column: lower-cased, without `www.`, port, user or trailing dot (null when none)."""
    rest = urls.str.strip_chars().str.replace(r"^[A-Za-z][A-Za-z0-9+.\-]*://", "")
    host = rest.str.extract(r"^(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:\s]+)", 1)
    host = host.str.to_lowercase().str.strip_chars_end(".").str.replace(r"^www\.", "")
    return pl.when(host.str.len_bytes() > 0).then(host)


def _documents(rows: pa.Array, text: pa.Array, ids: pa.Array, doms: pa.Array, unit: Unit, options: ReadOptions) -> pl.DataFrame:
    """Raw columns to the document schema: default ids `<name>:<row>`, domains (from URLs) non-empty or null."""
    raw = pl.from_arrow(pa.table({"row": rows, "text": text, "id": ids, "dom": doms}))
    fallback = pl.lit(f"{unit.name}:") + pl.col("row").cast(pl.String)
    domain = url_host(pl.col("dom")) if options.domain_from_url else pl.col("dom")
    return raw.select(  # type: ignore[union-attr]
        doc_id=pl.coalesce(pl.col("id"), fallback),
        text=pl.col("text"),
        domain=pl.when(domain.str.len_bytes() > 0).then(domain),
    )


def _parquet_batches(unit: Unit, options: ReadOptions, stats: ReadStats) -> Iterator[pl.DataFrame]:
    parquet = pq.ParquetFile(unit.path)
    names = parquet.schema_arrow.names
    _require(names, unit, options)
    id_column = options.id_column or (DEFAULT_ID_COLUMN if DEFAULT_ID_COLUMN in names else None)
    dom_column = options.domain_column or options.domain_from_url
    wanted = list(dict.fromkeys(c for c in (options.text_column, id_column, dom_column) if c is not None))
    groups = range(*unit.row_groups) if unit.row_groups else range(parquet.metadata.num_row_groups)
    row = unit.first_row
    for batch in parquet.iter_batches(batch_size=options.batch_rows, row_groups=list(groups), columns=wanted):
        count = batch.num_rows

        def column(name: str | None, batch: pa.RecordBatch = batch, count: int = count) -> pa.Array:
            return _as_utf8(batch.column(name)) if name else pa.nulls(count, pa.large_string())

        rows = pa.array(range(row, row + count), pa.int64())
        yield _documents(rows, column(options.text_column), column(id_column), column(dom_column), unit, options)
        row += count


def _parse_line(line: bytes) -> dict[str, Any] | None:
    """One JSONL line to an object; None for a malformed line (bad JSON or not an object)."""
    try:
        record = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _cell(value: Any) -> str | None:
    """A JSON value as text: strings as they are, null as null, anything else as compact JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _string_array(values: list[str | None]) -> pa.Array:
    """Python strings to arrow; lone surrogates (legal in JSON escapes, not in UTF-8) become U+FFFD."""
    try:
        return pa.array(values, pa.large_string())
    except UnicodeEncodeError:
        fixed = [None if v is None else v.encode("utf-16", "surrogatepass").decode("utf-16", "replace") for v in values]
        return pa.array(fixed, pa.large_string())


class _JsonlBatch:
    """Rows of a JSONL file collected until a batch is full (by rows or by text bytes)."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.columns: tuple[list[str | None], list[str | None], list[str | None]] = ([], [], [])
        self.chars = 0

    def add(self, row: int, text: str | None, doc_id: str | None, dom: str | None) -> None:
        self.rows.append(row)
        for values, value in zip(self.columns, (text, doc_id, dom)):
            values.append(value)
        self.chars += len(text) if text else 0

    def full(self, options: ReadOptions) -> bool:
        return len(self.rows) >= options.batch_rows or self.chars >= _JSONL_BATCH_CHARS

    def frame(self, unit: Unit, options: ReadOptions) -> pl.DataFrame:
        text, ids, doms = (_string_array(values) for values in self.columns)
        return _documents(pa.array(self.rows, pa.int64()), text, ids, doms, unit, options)


def _jsonl_batches(unit: Unit, options: ReadOptions, stats: ReadStats) -> Iterator[pl.DataFrame]:
    dom_column = options.domain_column or options.domain_from_url
    id_column: str | None = None
    batch, first = _JsonlBatch(), True
    with _open_binary(unit.path) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record = _parse_line(line)
            if record is None:
                stats.malformed_lines += 1
                continue
            if first:
                _require(list(record), unit, options)
                id_column = options.id_column or (DEFAULT_ID_COLUMN if DEFAULT_ID_COLUMN in record else None)
                first = False
            batch.add(
                number,
                _cell(record.get(options.text_column)),
                _cell(record.get(id_column)) if id_column else None,
                _cell(record.get(dom_column)) if dom_column else None,
            )
            if batch.full(options):
                yield batch.frame(unit, options)
                batch = _JsonlBatch()
    if batch.rows:
        yield batch.frame(unit, options)


def _text_batches(unit: Unit, options: ReadOptions, stats: ReadStats) -> Iterator[pl.DataFrame]:
    with _open_binary(unit.path) as stream:
        text = stream.read().decode("utf-8", "replace")
    yield pl.DataFrame({"doc_id": [unit.name], "text": [text], "domain": [None]}, schema=DOCUMENT_SCHEMA)


_READERS = {"parquet": _parquet_batches, "jsonl": _jsonl_batches, "txt": _text_batches}


def read_unit(unit: Unit, options: ReadOptions, stats: ReadStats | None = None) -> Iterator[pl.DataFrame]:
    """Stream a unit as batches of (doc_id, text, domain); `stats` counts documents, text bytes, bad lines."""
    stats = stats if stats is not None else ReadStats()
    for batch in _READERS[unit.format](unit, options, stats):
        if batch.height:
            stats.documents += batch.height
            stats.text_bytes += int(batch.select(pl.col("text").str.len_bytes().sum()).item() or 0)
            yield batch
