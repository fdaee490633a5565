"""Readers: input paths to units of work, and a unit to a stream of document batches (doc_id, text, domain).

Parquet is read by row group and JSON Lines (plain, .gz, .zst) line by line, in batches, so memory never
grows with a shard's size; a .txt file is one document. Bad bytes never crash a reader: invalid UTF-8 is
replaced, malformed JSON lines are counted and skipped. Inputs are local paths or URIs of any pyarrow
filesystem (`s3://bucket/prefix/`, `gs://…`, `hdfs://…`): every file is opened through pyarrow.fs.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import glob
import gzip
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import quote, unquote, urlsplit

import polars as pl
import pyarrow as pa
import pyarrow.fs as pafs
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
_STREAM_BUFFER = 2**20
"""Bytes read at a time from an input stream: few requests to an object store, little memory."""
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_GLOB = re.compile(r"[*?\[]")
_REQUEST_ID = re.compile(r"\s*\(Request ID: [^)]*\)")


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
    """Absolute path of the input file, or its URI (`s3://bucket/key`; opened through pyarrow.fs by the worker)."""
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


def is_uri(location: str) -> bool:
    """True for `scheme://…` (s3, gs, hdfs, file, …): such inputs go through pyarrow filesystems, not os paths."""
    return _URI.match(location) is not None


@dataclass(frozen=True)
class _Found:
    """An input file found by discovery: where to open it, how to name it, and what a resume marker compares."""

    location: str
    """Absolute local path, or the object's URI (key percent-encoded, options kept)."""
    display: str
    """The path as people read it (URI without options, key as is): orders the inputs and names them."""
    size: int
    mtime_ns: int


# ---------------------------------------------------------------------------------------------- local paths


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


def _expand_local(pattern: str, exclude: Sequence[Path]) -> list[_Found]:
    """One local INPUT argument to files: a file, a folder (recursive) or a glob; the outputs are skipped."""
    path = Path(pattern)
    if path.is_dir():
        files = _files_under(path, exclude)
    elif path.is_file():
        if input_format(path) is None:
            raise SingletonError("E013", f"unsupported input {pattern!r}: expected .parquet, .jsonl[.gz|.zst] or .txt")
        files = [path]
    else:
        matches = [Path(match) for match in glob.glob(pattern, recursive=True)]
        files = [match for match in matches if match.is_file() and input_format(match) is not None]
        for match in matches:
            if match.is_dir():
                files.extend(_files_under(match, exclude))
        if not files:
            raise SingletonError("E001", f"input {pattern!r} matches no .parquet, .jsonl or .txt file")
    found = []
    for file in files:
        if not _excluded(file, exclude):
            resolved, stat = file.resolve(), file.stat()
            found.append(_Found(str(resolved), str(resolved), stat.st_size, stat.st_mtime_ns))
    return found


# ---------------------------------------------------------------------------------------------- URIs

_FILESYSTEMS: dict[str, tuple[pafs.FileSystem, str]] = {}


def _filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem of `scheme://authority[?options]` and its own path for that root, built once per process.

    A Unit carries only its URI; each worker builds the filesystem on its first unit and keeps it, so
    credential and region look-ups and connection pools are shared by every unit the process reads.
    """
    if root not in _FILESYSTEMS:
        _FILESYSTEMS[root] = pafs.FileSystem.from_uri(root)
    return _FILESYSTEMS[root]


def _split_uri(uri: str) -> tuple[str, str, str]:
    """`scheme://authority/key?options` to ("scheme://authority", "/key" decoded, "?options" or "")."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}", unquote(parts.path), f"?{parts.query}" if parts.query else ""


def _join(base: str, key: str) -> str:
    """A filesystem path from the root's path (`bucket` for S3/GCS, empty for HDFS) and a key."""
    rest = key.strip("/")
    return f"{base.rstrip('/')}/{rest}" if rest else base


def _locate(location: str) -> tuple[pafs.FileSystem, str]:
    """A unit's location (local path or URI) to the filesystem that opens it and the path within it."""
    if not is_uri(location):
        return _filesystem("file:///")[0], location
    authority, key, options = _split_uri(location)
    filesystem, base = _filesystem(authority + options)
    return filesystem, _join(base, key)


def _glob_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Glob on key components, as the shell does: `*`, `?`, `[...]` within one component, `**` across any."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])


def _objects(filesystem: pafs.FileSystem, path: str, wildcards: Sequence[str]) -> list[pafs.FileInfo]:
    """The supported, non-hidden objects under a prefix (recursively) whose key below it matches `wildcards`
    (or, like a matched folder, has leading components that match); all of them without wildcards."""
    listed = filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
    found = []
    for info in listed:
        below = info.path[len(path.rstrip("/")) :].strip("/").split("/")
        if info.type != pafs.FileType.File or input_format(info.path) is None or any(p.startswith(".") for p in below):
            continue
        if not wildcards or any(_glob_match(below[:depth], wildcards) for depth in range(1, len(below) + 1)):
            found.append(info)
    return found


def _expand_uri(pattern: str) -> list[_Found]:
    """One `scheme://` INPUT to objects: an object, a prefix (listed recursively) or a glob on the key.

    Size and modification time come from the store's listing; a store that gives no modification time
    gets 0, so a changed object is then recognised by its size alone (pyarrow exposes no ETag).
    """
    authority, key, options = _split_uri(pattern)
    parts = [part for part in key.split("/") if part]
    literal = next((index for index, part in enumerate(parts) if _GLOB.search(part)), len(parts))
    try:
        filesystem, base = _filesystem(authority + options)
    except (OSError, pa.ArrowException) as exc:
        raise SingletonError("E002", f"cannot open the file system of {pattern!r}: {one_line(exc)}") from exc
    try:
        prefix = _join(base, "/".join(parts[:literal]))
        single = filesystem.get_file_info(prefix) if literal == len(parts) else None
        if single is not None and single.type == pafs.FileType.File:
            if input_format(single.path) is None:
                raise SingletonError("E013", f"unsupported input {pattern!r}: expected .parquet, .jsonl[.gz|.zst] or .txt")
            infos = [single]
        else:
            infos = _objects(filesystem, prefix, parts[literal:])
    except FileNotFoundError:
        infos = []
    except (OSError, pa.ArrowException) as exc:
        raise SingletonError("E002", f"cannot read input {pattern!r}: {one_line(exc)}") from exc
    if not infos:
        raise SingletonError("E001", f"input {pattern!r} matches no .parquet, .jsonl or .txt object")
    base_length = len(base.rstrip("/"))
    return [
        _Found(
            authority + quote(info.path[base_length:]) + options,
            authority + info.path[base_length:],
            info.size or 0,
            info.mtime_ns or 0,
        )
        for info in infos
    ]


# ---------------------------------------------------------------------------------------------- units


def _parquet_units(found: _Found, name: str, unit_bytes: int) -> list[Unit]:
    """A parquet file as units of consecutive row groups of about `unit_bytes` (one unit if unreadable)."""
    unit = functools.partial(Unit, found.location, name, "parquet", found.size, found.mtime_ns)
    try:
        with _parquet_file(found.location) as parquet:
            meta = parquet.metadata
    except (OSError, pa.ArrowException):
        return [unit()]  # a corrupt file fails as a whole when its unit runs
    groups = [meta.row_group(index) for index in range(meta.num_row_groups)]
    if sum(group.total_byte_size for group in groups) <= unit_bytes or len(groups) < 2:
        return [unit(rows=meta.num_rows)]
    units: list[Unit] = []
    start, first_row, rows, held = 0, 0, 0, 0
    for index, group in enumerate(groups):
        if held and held + group.total_byte_size > unit_bytes:
            units.append(unit((start, index), first_row, rows))
            start, first_row, rows, held = index, first_row + rows, 0, 0
        held += group.total_byte_size
        rows += group.num_rows
    units.append(unit((start, len(groups)), first_row, rows))
    return units


def _local_path(pattern: str) -> str:
    """`file:///x` as the local path `/x` (globs, hidden files and the output folder work as for paths)."""
    return unquote(urlsplit(pattern).path) if pattern.lower().startswith("file://") else pattern


def discover(
    inputs: Sequence[str], *, exclude: Sequence[str | Path] = (), unit_bytes: int = DEFAULT_UNIT_BYTES
) -> list[Unit]:
    """Files, folders, globs and `scheme://` URIs to units of work, in a deterministic order; `exclude` (the
    outputs, local paths) is skipped. Names are relative to the inputs' common prefix."""
    excluded = [Path(path).resolve() for path in exclude]
    found: dict[str, _Found] = {}
    for pattern in map(_local_path, inputs):
        for item in _expand_uri(pattern) if is_uri(pattern) else _expand_local(pattern, excluded):
            found.setdefault(item.location, item)
    if not found:
        raise SingletonError("E001", "no input files")
    ordered = sorted(found.values(), key=lambda item: item.display.split("/"))
    parents = [item.display.split("/")[:-1] for item in ordered]
    common = len(os.path.commonprefix(parents))
    units: list[Unit] = []
    for item in ordered:
        name = "/".join(item.display.split("/")[common:])
        if input_format(item.display) == "parquet":
            units.extend(_parquet_units(item, name, unit_bytes))
        else:
            units.append(Unit(item.location, name, input_format(item.display), item.size, item.mtime_ns))  # type: ignore[arg-type]
    return units


# ---------------------------------------------------------------------------------------------- columns


@contextlib.contextmanager
def _open_binary(location: str) -> Iterator[IO[bytes]]:
    """A buffered binary stream of a file or object, decompressing .gz and .zst on the fly."""
    filesystem, path = _locate(location)
    lower = path.lower()
    with io.BufferedReader(filesystem.open_input_stream(path, compression=None), _STREAM_BUFFER) as raw:  # type: ignore[arg-type]
        if lower.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream
        elif lower.endswith((".zst", ".zstd")):
            with io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=False)) as stream:
                yield stream
        else:
            yield raw


@contextlib.contextmanager
def _parquet_file(location: str) -> Iterator[pq.ParquetFile]:
    """A parquet file or object, opened for random access (footer, then the row groups asked for)."""
    filesystem, path = _locate(location)
    with filesystem.open_input_file(path) as source:
        yield pq.ParquetFile(source)


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
        with _parquet_file(unit.path) as parquet:
            return list(parquet.schema_arrow.names)
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
    """An exception as one deterministic, report-friendly line: its type and the first line of its message
    (without an object store's per-request id)."""
    lines = _REQUEST_ID.sub("", str(exc)).strip().splitlines()
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
    with _parquet_file(unit.path) as parquet:
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
