"""Counting, exactly: facts → per-unit partial counts → bucketed merge on disk → statistics and report.

A unit's partial counts are small: one row per (prompt, answer, domain, document hash) with observation
counts. The merge range-partitions those rows by prompt hash into buckets on disk and reduces one bucket at
a time, so memory is bounded by a bucket, never by the corpus. No sketches, no top-k: every prompt counts.
"""

from __future__ import annotations

import functools
import glob
import math
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from singleton import __version__
from singleton.categories import Category, error_space_for, registry, rule_for
from singleton.errors import SingletonError
from singleton.hashing import fact_hash, key_hash, prompt_hash
from singleton.report import Report, build_report, installed_version, write_report
from singleton.schema import IDK, REQUIRED_FACT_COLUMNS
from singleton.stats import category_statistics, singleton_rate

UNITS = ("doc", "mention")
"""What one observation is (math.md §2): a document's distinct (merged) answer, or every mention."""

PARTIAL_SCHEMA: dict[str, pl.DataType] = {
    "prompt": pl.UInt64(),
    "fact": pl.UInt64(),
    "category": pl.String(),
    "subject_key": pl.String(),
    "object_key": pl.String(),
    "domain": pl.String(),
    "doc_hash": pl.UInt64(),
    "n": pl.Int64(),
    "n_doc_max": pl.Int64(),
    "example_doc_id": pl.String(),
}
"""Partial counts: `n` observations of the fact in the group's documents, `n_doc_max` the most any one of them
gave (what an exact-duplicate document adds once deduplicated), `example_doc_id` the smallest doc_id."""

PROMPTS_SCHEMA: dict[str, pl.DataType] = {
    "prompt": pl.UInt64(),
    "category": pl.String(),
    "subject_key": pl.String(),
    "n": pl.Int64(),
    "idk": pl.Int64(),
    "distinct_answers": pl.UInt32(),
    "top_answer": pl.String(),
    "top_count": pl.Int64(),
    "conflict": pl.Boolean(),
    "example_doc_id": pl.String(),
}
"""DIR/prompts.parquet, one row per prompt in prompt-hash order: answered observations `n`, `idk`, distinct
answers, the most frequent answer (ties: most precise, then smallest) and its count, whether answers conflict,
one example doc_id (of the top answer). Same rows and order whatever the bucket or input count."""

BUCKET_ROWS = 2_000_000
"""Partial-count rows per merge bucket (about 1 GiB of working memory at most)."""

SLICE_ROWS = 4_000_000
"""A facts file larger than this is read in slices of whole documents, so memory does not grow with it."""

MAX_BUCKETS = 4096
"""At most this many bucket folders (beyond ~8·10^9 partial rows, buckets grow instead of multiplying)."""

_PARTIAL_COLUMNS = [pl.col(name).cast(dtype) for name, dtype in PARTIAL_SCHEMA.items()]
_FACT_KEY = ["category", "subject_key", "object_key"]
_DOC_PROMPT = ["doc_id", "category", "subject_key"]
_EMPTY_LIST = pl.lit([], dtype=pl.List(pl.String()))


# ---------------------------------------------------------------------------------------------- per unit


def _observations(facts: pl.DataFrame) -> pl.DataFrame:
    """The columns counting needs, typed; absent optional columns as nulls; rows with a null key dropped."""
    optional = {"domain": pl.String(), "doc_hash": pl.UInt64()}
    columns = [pl.col(name).cast(pl.String()) for name in REQUIRED_FACT_COLUMNS]
    columns += [
        pl.col(name).cast(dtype) if name in facts.columns else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in optional.items()
    ]
    return (
        facts.select(columns)
        .drop_nulls(list(REQUIRED_FACT_COLUMNS))
        .with_columns(domain=pl.when(pl.col("domain") != "").then(pl.col("domain")))
    )


def _rules(categories: pl.Series, known: dict[str, Category]) -> pl.DataFrame:
    """Each category's compatibility rule (date, place, equal), as a frame to join on `category`."""
    names = categories.unique().sort().to_list()
    return pl.DataFrame(
        {"category": names, "rule": [rule_for(name, known) for name in names]},
        schema={"category": pl.String(), "rule": pl.String()},
    )


def with_forms(answers: pl.DataFrame) -> pl.DataFrame:
    """Add `norm` (the comparable form), `depth` (precision) and `coarser` (every strictly less precise
    compatible form) to answers with a `rule` column: math.md §5's date-prefix and place-suffix rules.

    "1809-02-12" → coarser ["1809", "1809-02"]; "toronto, ontario, canada" → ["canada", "ontario,canada"].
    """
    key, rule = pl.col("object_key"), pl.col("rule")
    answers = answers.with_columns(
        _parts=pl.when(rule == "date")
        .then(key.str.strip_prefix("-").str.split("-"))
        .when(rule == "place")
        .then(key.str.split(",").list.eval(pl.element().str.strip_chars()))
        .otherwise(pl.concat_list(key)),
    )
    parts = pl.col("_parts")
    sign = pl.when(key.str.starts_with("-")).then(pl.lit("-")).otherwise(pl.lit(""))
    deepest = answers["_parts"].list.len().max() or 1
    coarser = [
        pl.when((rule == "date") & (parts.list.len() > depth))
        .then(sign + parts.list.head(depth).list.join("-"))
        .when((rule == "place") & (parts.list.len() > depth))
        .then(parts.list.tail(depth).list.join(","))
        for depth in range(1, int(deepest))
    ]
    return answers.with_columns(
        norm=pl.when(rule == "place").then(parts.list.join(",")).otherwise(key),
        depth=parts.list.len(),
        coarser=pl.concat_list(coarser).list.drop_nulls() if coarser else _EMPTY_LIST,
    ).drop("_parts")


def _merge_within_documents(observations: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """Unit doc: one observation per distinct answer a document gives a prompt, after every answer that a more
    precise compatible answer of the same document refines is absorbed into it ("1809" into "1809-02";
    with "1810" also present, two observations remain). IDK counts once per document."""
    observations = observations.unique()
    answered = pl.col("object_key") != IDK
    several = observations.filter(answered & (answered.sum().over(_DOC_PROMPT) > 1))
    if several.is_empty():
        return observations
    forms = with_forms(several.join(rules, on="category"))
    refined = forms.select(*_DOC_PROMPT, norm=pl.col("coarser")).explode("norm").drop_nulls("norm")
    absorbed = forms.join(refined, on=[*_DOC_PROMPT, "norm"], how="semi").select(*_DOC_PROMPT, "object_key")
    return observations.join(absorbed, on=[*_DOC_PROMPT, "object_key"], how="anti")


def partial_counts(facts: pl.DataFrame, unit: str, *, known: dict[str, Category] | None = None) -> pl.DataFrame:
    """One unit of work's counts (PARTIAL_SCHEMA): what the merge needs, much smaller than the facts.

    A document must lie wholly in one unit: the doc-unit merge of compatible answers happens here.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    observations = _observations(facts)
    if unit == "doc":
        rules = _rules(observations["category"], registry() if known is None else known)
        per_document = _merge_within_documents(observations, rules).with_columns(n=pl.lit(1, dtype=pl.Int64()))
    else:
        per_document = observations.group_by(observations.columns).agg(n=pl.len().cast(pl.Int64()))
    grouped = per_document.group_by([*_FACT_KEY, "domain", "doc_hash"]).agg(
        n=pl.col("n").sum(), n_doc_max=pl.col("n").max(), example_doc_id=pl.col("doc_id").min()
    )
    return grouped.with_columns(
        prompt=prompt_hash(pl.col("category"), pl.col("subject_key")),
        fact=fact_hash(pl.col("category"), pl.col("subject_key"), pl.col("object_key")),
    ).select(_PARTIAL_COLUMNS)


# --------------------------------------------------------------------------------------- bucket reduce


def _answers(rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per (keys, prompt, fact): observations `n` and deduplicated `dn`, where the documents sharing a doc_hash
    (exact duplicates) add what one of them gave. A key's strings are its first row's (keys identify them)."""
    group = [*keys, "prompt", "fact"]
    unhashed = pl.when(pl.col("doc_hash").is_null()).then(pl.col("n")).otherwise(0)
    totals = rows.group_by(group).agg(
        pl.col(_FACT_KEY).first(),
        n=pl.col("n").sum(),
        unhashed=unhashed.sum(),
        example_doc_id=pl.col("example_doc_id").min(),
    )
    copies = (
        rows.filter(pl.col("doc_hash").is_not_null())
        .group_by([*group, "doc_hash"])
        .agg(pl.col("n_doc_max").max())
        .group_by(group)
        .agg(hashed=pl.col("n_doc_max").sum())
    )
    return totals.join(copies, on=group, how="left").select(
        *group, *_FACT_KEY, "n", "example_doc_id", dn=pl.col("unhashed") + pl.col("hashed").fill_null(0)
    )


def _prompts(answers: pl.DataFrame, keys: list[str], rules: pl.DataFrame) -> pl.DataFrame:
    """Per (keys, prompt): answered `n` and `idk` (and their deduplicated `dn`, `didk`), distinct answers, the
    top answer, whether two answers conflict. Only prompts with several answers need the compatibility forms."""
    group = [*keys, "prompt"]
    answered = pl.col("object_key") != IDK
    answers = answers.with_columns(
        answered=answered,
        several=answered & (answered.sum().over(group) > 1),
        **{f"{column}_{kind}": pl.when(answered == (kind == "answered")).then(pl.col(column)).otherwise(0)
           for column in ("n", "dn") for kind in ("answered", "idk")},
    )
    multi = with_forms(answers.filter(pl.col("several")).join(rules, on="category"))
    top = [pl.col("depth"), pl.col("norm")]
    multi = multi.with_columns(
        top_norm=pl.col("norm").sort_by(top, descending=[True, False]).first().over(group),
        top_coarser=pl.col("coarser").sort_by(top, descending=[True, False]).first().over(group),
    ).with_columns(
        compatible=(pl.col("norm") == pl.col("top_norm")) | pl.col("top_coarser").list.contains(pl.col("norm"))
    )
    rest = answers.filter(~pl.col("several")).with_columns(depth=pl.lit(1, dtype=pl.UInt32()), compatible=pl.lit(True))
    columns = [*answers.columns, "depth", "compatible"]
    merged = pl.concat([rest.select(columns), multi.select(columns).cast(rest.select(columns).schema)])
    # Each prompt's preferred row first (answered, most observed, most precise, smallest): `first()` keeps it.
    preferred = merged.sort([*group, "answered", "n", "depth", "object_key"], descending=[False] * len(group) + [True, True, True, False])
    return preferred.group_by(group).agg(
        pl.col("category", "subject_key").first(),
        n=pl.col("n_answered").sum(),
        idk=pl.col("n_idk").sum(),
        dn=pl.col("dn_answered").sum(),
        didk=pl.col("dn_idk").sum(),
        distinct_answers=pl.col("answered").sum().cast(pl.UInt32()),
        top_answer=pl.col("object_key").first(),
        top_count=pl.col("n").first(),
        conflict=~pl.col("compatible").all(),
        example_doc_id=pl.col("example_doc_id").first(),
    ).with_columns(
        top_answer=pl.when(pl.col("n") > 0).then(pl.col("top_answer")),
        top_count=pl.when(pl.col("n") > 0).then(pl.col("top_count")).otherwise(0),
    )


def _sums(prompts: pl.DataFrame, keys: list[str], extra: Sequence[pl.Expr] = ()) -> pl.DataFrame:
    """Additive per-(keys, category) totals of one bucket; the buckets' totals are summed at the end."""
    answered = pl.col("n")
    return prompts.group_by([*keys, "category"]).agg(
        N=(answered + pl.col("idk")).sum(),
        idk=pl.col("idk").sum(),
        conflicting_prompts=pl.col("conflict").sum().cast(pl.Int64()),
        dedup_N=(pl.col("dn") + pl.col("didk")).sum(),
        dedup_singletons=(pl.col("dn") == 1).sum().cast(pl.Int64()),
        *extra,
    )


def _fingerprint(prompts: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """φ_k per (keys, category): how many prompts have exactly k answered observations (k ≥ 1)."""
    return prompts.filter(pl.col("n") > 0).group_by([*keys, "category", "n"]).agg(phi=pl.len().cast(pl.Int64()))


@dataclass
class _Totals:
    """The additive results of every bucket so far."""

    sums: list[pl.DataFrame] = field(default_factory=list)
    fingerprints: list[pl.DataFrame] = field(default_factory=list)
    domain_sums: list[pl.DataFrame] = field(default_factory=list)
    domain_fingerprints: list[pl.DataFrame] = field(default_factory=list)
    hashed_rows: int = 0

    def add(self, other: _Totals) -> None:
        """Take in another bucket's totals (reduced elsewhere, e.g. on a Ray worker)."""
        self.sums += other.sums
        self.fingerprints += other.fingerprints
        self.domain_sums += other.domain_sums
        self.domain_fingerprints += other.domain_fingerprints
        self.hashed_rows += other.hashed_rows


def reduce_bucket(rows: pl.DataFrame, known: dict[str, Category]) -> tuple[pl.DataFrame, _Totals]:
    """Reduce one bucket exactly (all rows of its prompts are in it), on its own so that an engine can run the
    merge's buckets anywhere: its rows of prompts.parquet, and its totals."""
    totals = _Totals()
    rules = _rules(rows["category"], known)
    prompts = _prompts(_answers(rows, []), [], rules)
    totals.sums.append(_sums(prompts, []))
    totals.fingerprints.append(_fingerprint(prompts, []))
    totals.hashed_rows += rows.height - rows["doc_hash"].null_count()
    with_domain = rows.filter(pl.col("domain").is_not_null())
    if not with_domain.is_empty():
        domain_prompts = _prompts(_answers(with_domain, ["domain"]), ["domain"], rules).join(
            prompts.select("prompt", global_n=pl.col("n")), on="prompt"
        )
        sr_global = pl.col("n").filter(pl.col("global_n") == 1).sum().alias("global_singleton_observations")
        totals.domain_sums.append(_sums(domain_prompts, ["domain"], [sr_global]))
        totals.domain_fingerprints.append(_fingerprint(domain_prompts, ["domain"]))
    return prompts.sort("prompt", "category", "subject_key").select(list(PROMPTS_SCHEMA)).cast(PROMPTS_SCHEMA), totals


# ----------------------------------------------------------------------------------------------- merge


def _bucket_count(total_rows: int) -> int:
    """Enough buckets (a power of two) that each holds about BUCKET_ROWS rows."""
    wanted = max(1, math.ceil(total_rows / BUCKET_ROWS))
    return min(MAX_BUCKETS, 1 << (wanted - 1).bit_length())


def _read_partial(path: Path) -> pl.DataFrame:
    """A partial-counts file as PARTIAL_SCHEMA, whoever wrote it."""
    return pl.read_parquet(path).select(_PARTIAL_COLUMNS)


def _buckets(partial_paths: Sequence[Path], work_dir: Path, buckets: int, progress: bool) -> Iterator[pl.DataFrame]:
    """Each bucket's rows in turn: the partials range-partitioned by prompt hash into bucket files on disk
    (bucket b holds hashes [b·2^64/B, (b+1)·2^64/B)), so buckets come out in prompt-hash order."""
    if buckets == 1:
        yield pl.concat([_read_partial(path) for path in partial_paths])
        return
    width = pl.lit(1 << (64 - buckets.bit_length() + 1), dtype=pl.UInt64())
    for index, path in enumerate(tqdm(partial_paths, desc="partitioning", unit="file", disable=not progress)):
        frame = _read_partial(path).with_columns(bucket=pl.col("prompt") // width)
        for (bucket,), rows in frame.partition_by("bucket", as_dict=True, include_key=False).items():
            bucket_dir = work_dir / f"{bucket:05d}"
            bucket_dir.mkdir(exist_ok=True)
            rows.write_parquet(bucket_dir / f"{index:06d}.parquet", statistics=False)
    for bucket in tqdm(range(buckets), desc="merging", unit="bucket", disable=not progress):
        bucket_dir = work_dir / f"{bucket:05d}"
        if bucket_dir.is_dir():  # a bucket no prompt hashed into has no folder
            yield pl.read_parquet(sorted(bucket_dir.glob("*.parquet")))
            shutil.rmtree(bucket_dir)


def _statistics(
    sums: list[pl.DataFrame],
    fingerprints: list[pl.DataFrame],
    keys: list[str],
    error_space: Mapping[str, int],
    dedup: bool,
) -> dict[tuple[str, ...], dict[str, Any]]:
    """Sum the buckets' totals and turn each (keys, category) into its report fields."""
    if not sums:
        return {}
    total = pl.concat(sums).group_by([*keys, "category"]).agg(pl.all().sum())
    phi = pl.concat(fingerprints).group_by([*keys, "category", "n"]).agg(pl.col("phi").sum())
    by_group: dict[tuple[str, ...], dict[int, int]] = {}
    for row in phi.iter_rows(named=True):
        by_group.setdefault(tuple(row[key] for key in [*keys, "category"]), {})[row["n"]] = row["phi"]
    result: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in total.iter_rows(named=True):
        group = tuple(row[key] for key in [*keys, "category"])
        fingerprint = by_group.get(group, {})
        fields = category_statistics(row["N"], row["idk"], fingerprint, row["conflicting_prompts"], error_space[group[-1]])
        if dedup:
            fields["dedup"] = {
                "N": row["dedup_N"],
                "singletons": row["dedup_singletons"],
                "sr": singleton_rate(row["dedup_singletons"], row["dedup_N"]),
            }
        if "global_singleton_observations" in row:
            fields["sr_global"] = row["global_singleton_observations"] / row["N"] if row["N"] else 0.0
        result[group] = fields
    return result


def finish(
    partial_paths: Sequence[Path],
    out_dir: Path,
    *,
    unit: str,
    error_space: dict[str, int],
    input_info: dict[str, Any],
    run_info: dict[str, Any],
    timing: dict[str, Any],
    known: dict[str, Category] | None = None,
    buckets: int | None = None,
    progress: bool = False,
    with_html: bool = True,
    reduce_map: Callable[..., Iterable[tuple[pl.DataFrame, _Totals]]] = map,
) -> Report:
    """Merge the partial counts exactly, bucket by bucket; write prompts.parquet and the report (json, md, html).

    `error_space` overrides the categories' own |E| (math.md §3); `timing["seconds"]` is the work done before
    the merge, to which the merge's time is added; `buckets` (a power of two) overrides the automatic choice;
    `with_html=False` skips report.html; `reduce_map` (an ordered `map`, e.g. `engines.map_ordered`) runs the
    bucket reduces, here by default.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    known = registry() if known is None else known
    partial_paths = [Path(path) for path in partial_paths]
    total_rows = sum(pq.ParquetFile(path).metadata.num_rows for path in partial_paths)
    buckets = buckets or _bucket_count(total_rows)
    if buckets & (buckets - 1):
        raise ValueError(f"buckets must be a power of two, not {buckets}")
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = out_dir / ".merge"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir()
    prompts_tmp = out_dir / ".prompts.parquet.tmp"
    totals = _Totals()
    arrow_schema = pl.DataFrame(schema=PROMPTS_SCHEMA).to_arrow().schema
    with pq.ParquetWriter(prompts_tmp, arrow_schema, compression="zstd") as writer:
        if partial_paths:
            filled = (rows for rows in _buckets(partial_paths, work_dir, buckets, progress) if not rows.is_empty())
            for prompts, bucket_totals in reduce_map(functools.partial(reduce_bucket, known=known), filled):
                totals.add(bucket_totals)
                writer.write_table(prompts.to_arrow().cast(arrow_schema))
    os.replace(prompts_tmp, out_dir / "prompts.parquet")
    shutil.rmtree(work_dir, ignore_errors=True)

    spaces = {name: error_space.get(name) or error_space_for(name, known) for name in _category_names(totals)}
    dedup = totals.hashed_rows > 0
    categories = _statistics(totals.sums, totals.fingerprints, [], spaces, dedup)
    domains: dict[str, dict[str, Any]] = {}
    for (domain, name), fields in _statistics(totals.domain_sums, totals.domain_fingerprints, ["domain"], spaces, dedup).items():
        domains.setdefault(domain, {})[name] = fields
    seconds = float(timing.get("seconds", 0.0)) + time.perf_counter() - started
    observations = sum(fields["N"] for fields in categories.values())
    data = build_report(
        unit=unit,
        input_info=input_info,
        categories={group[0]: fields for group, fields in categories.items()},
        domains=domains,
        run={"version": __version__, **run_info},
        timing={
            "documents_per_second": input_info.get("documents", 0) / seconds if seconds else 0.0,
            "observations_per_second": observations / seconds if seconds else 0.0,
            **timing,  # the caller's own rates (e.g. of this run's documents only) win
            "seconds": seconds,
            "merge_seconds": time.perf_counter() - started,
            "buckets": buckets,
        },
    )
    write_report(data, out_dir, with_html=with_html)
    return Report(data)


def _category_names(totals: _Totals) -> list[str]:
    """Every category that has observations."""
    if not totals.sums:
        return []
    return pl.concat([frame.select("category") for frame in totals.sums])["category"].unique().sort().to_list()


# ------------------------------------------------------------------------------------ the count command


def _facts_files(facts_paths: Sequence[str | Path]) -> list[Path]:
    """The facts files named: a folder stands for its *.parquet files, an unexpanded glob for its matches.

    Nothing at all to read is error E001; a named file that does not exist is E002 (in `_check_facts_file`).
    """
    files: list[Path] = []
    for item in facts_paths:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(path.glob("*.parquet")))
        elif not path.exists() and glob.has_magic(str(item)):
            files.extend(sorted(Path(match) for match in glob.glob(str(item))))
        else:
            files.append(path)
    if not files:
        where = ", ".join(map(str, facts_paths))
        raise SingletonError("E001", f"no facts files in {where}" if facts_paths else "no facts files given")
    return files


def _check_facts_file(path: Path) -> pa.Schema:
    """The file's schema, after checking what count needs (E002 unreadable, E003 missing column, E011 wrong type)."""
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        raise SingletonError("E002", f"cannot read facts file {str(path)!r}: {error}") from error
    return _check_facts_schema(schema, f"facts file {str(path)!r}")


def _check_facts_schema(schema: pa.Schema, where: str) -> pa.Schema:
    """E003 for a missing required column, E011 for one of the wrong type; `where` names the table."""
    for name in REQUIRED_FACT_COLUMNS:
        if name not in schema.names:
            raise SingletonError("E003", f"{where} has no column {name!r} (required: {', '.join(REQUIRED_FACT_COLUMNS)})")
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind) or pa.types.is_dictionary(kind)):
            raise SingletonError("E011", f"{where}: column {name!r} must hold strings, not {kind}")
    if "doc_hash" in schema.names and not pa.types.is_integer(schema.field("doc_hash").type):
        raise SingletonError("E011", f"{where}: column 'doc_hash' must be an unsigned 64-bit integer")
    return schema


@dataclass(frozen=True)
class _FactsSource:
    """One facts table to count: a parquet file read in slices, or a frame the caller already holds."""

    label: str
    schema: pa.Schema
    size: int
    slices: Callable[[list[str]], Iterator[pl.DataFrame]]


def _facts_sources(facts: Sequence[str | Path] | pl.DataFrame | pl.LazyFrame) -> list[_FactsSource]:
    """Every table to count, each checked before any work (E001–E003, E011)."""
    if isinstance(facts, (pl.DataFrame, pl.LazyFrame)):
        frame = facts.collect() if isinstance(facts, pl.LazyFrame) else facts
        schema = _check_facts_schema(frame.head(0).to_arrow().schema, "the facts frame")
        return [_FactsSource("<frame>", schema, int(frame.estimated_size()), lambda columns: iter([frame.select(columns)]))]
    return [
        _FactsSource(str(path), _check_facts_file(path), path.stat().st_size, functools.partial(_slices, path))
        for path in _facts_files(facts)
    ]


def _slices(path: Path, columns: list[str]) -> Iterator[pl.DataFrame]:
    """The file's facts in slices of whole documents (by a hash of doc_id), each at most about SLICE_ROWS rows."""
    pieces = max(1, math.ceil(pq.ParquetFile(path).metadata.num_rows / SLICE_ROWS))
    if pieces == 1:
        yield pl.read_parquet(path, columns=columns)
        return
    for piece in range(pieces):
        document = pl.col("doc_id").cast(pl.String()).hash() % pieces
        yield pl.scan_parquet(path).select(columns).filter(document == piece).collect(engine="streaming")


def _documents(facts: pl.DataFrame) -> pl.DataFrame:
    """Distinct (doc_id key, doc_hash) of a slice: for the input's document and duplicate counts."""
    documents = _observations(facts).select("doc_id", "doc_hash").unique()
    return documents.select(doc=key_hash(pl.col("doc_id")), doc_hash=pl.col("doc_hash"))


def count(
    facts: Sequence[str | Path] | pl.DataFrame | pl.LazyFrame,
    out_dir: Path,
    *,
    unit: str = "doc",
    error_space: Mapping[str, int] | None = None,
    plugins: Sequence[str | Path] = (),
    buckets: int | None = None,
    progress: bool = False,
    with_html: bool = True,
) -> Report:
    """`singleton count`: facts tables (ours or any extractor's; only doc_id, category, subject_key and
    object_key are required) to DIR/prompts.parquet, report.json and report.md.

    `facts` is parquet files, folders and globs, or a Polars frame already in memory (counted as one input).
    Every table is checked before any work (E001 no files, E002 unreadable, E003 missing column); nothing is
    written when a check fails. A file that fails while being read is listed in `input.failed`. In unit doc,
    a document's facts about one prompt must be in one file (they are merged per file).
    """
    started = time.perf_counter()
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    sources = _facts_sources(facts)
    known = registry(tuple(plugins))
    out_dir = Path(out_dir)
    partial_dir = out_dir / ".partials"
    shutil.rmtree(partial_dir, ignore_errors=True)
    partial_dir.mkdir(parents=True)
    partials: list[Path] = []
    documents: list[pl.DataFrame] = []
    failed: list[dict[str, str]] = []
    invalid_rows = 0
    for index, source in enumerate(tqdm(sources, desc="counting", unit="file", disable=not progress)):
        columns = [name for name in (*REQUIRED_FACT_COLUMNS, "domain", "doc_hash") if name in source.schema.names]
        written: list[Path] = []
        try:
            for piece, table in enumerate(source.slices(columns)):
                invalid_rows += table.height - table.drop_nulls(list(REQUIRED_FACT_COLUMNS)).height
                written.append(partial_dir / f"{index:06d}-{piece:04d}.parquet")
                partial_counts(table, unit, known=known).write_parquet(written[-1])
                documents.append(_documents(table))
        except (OSError, pa.ArrowException, pl.exceptions.PolarsError) as error:
            for partial in written:
                partial.unlink(missing_ok=True)
            failed.append({"path": source.label, "error": str(error).splitlines()[0] if str(error) else type(error).__name__})
            continue
        partials.extend(written)
    input_info = _input_info(sources, documents, failed, invalid_rows)
    overrides = dict(error_space or {})
    report = finish(
        partials,
        out_dir,
        unit=unit,
        error_space=overrides,
        input_info=input_info,
        run_info={
            "command": "count",
            "engine": "local",
            "workers": 1,
            "spacy": installed_version("spacy"),
            "model": "none (facts given)",
            "options": {"unit": unit, "error_space": overrides, "plugins": [str(plugin) for plugin in plugins],
                        "inputs": [source.label for source in sources]},
        },
        timing={"seconds": time.perf_counter() - started},
        known=known,
        buckets=buckets,
        progress=progress,
        with_html=with_html,
    )
    shutil.rmtree(partial_dir, ignore_errors=True)
    return report


def _input_info(
    sources: list[_FactsSource], documents: list[pl.DataFrame], failed: list[dict[str, str]], invalid_rows: int
) -> dict[str, Any]:
    """report.json's `input` for `count`: tables, distinct documents, bytes, share of duplicate documents."""
    table = pl.concat(documents).unique() if documents else pl.DataFrame(schema={"doc": pl.UInt64(), "doc_hash": pl.UInt64()})
    distinct = table["doc"].n_unique()
    hashed = table.filter(pl.col("doc_hash").is_not_null())
    duplicates = (hashed["doc"].n_unique() - hashed["doc_hash"].n_unique()) / distinct if distinct and not hashed.is_empty() else None
    return {
        "units": len(sources),
        "documents": distinct,
        "bytes": sum(source.size for source in sources),
        "duplicate_documents": duplicates,
        "invalid_rows": invalid_rows,
        "failed": failed,
    }
