"""Readers: discovery of files/folders/globs, units of row groups, doc ids, domains, and bad bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from singleton.errors import SingletonError
from singleton.read import (
    MissingColumnError,
    ReadOptions,
    ReadStats,
    Unit,
    check_first_input,
    discover,
    input_format,
    read_unit,
    url_host,
)


def read_all(units: list[Unit], options: ReadOptions = ReadOptions(), stats: ReadStats | None = None) -> pl.DataFrame:
    frames = [batch for unit in units for batch in read_unit(unit, options, stats)]
    return pl.concat(frames) if frames else pl.DataFrame(schema={"doc_id": pl.String, "text": pl.String, "domain": pl.String})


def write_jsonl(path: Path, lines: list[bytes]) -> None:
    data = b"".join(line + b"\n" for line in lines)
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


JSONL_LINES = [
    json.dumps({"text": "first", "url": "https://www.Example.org/a"}).encode(),
    b"{not json",
    b"",
    b"   ",
    json.dumps({"text": "lone \ud800 surrogate"}).encode(),
    b"[1, 2]",
    json.dumps({"text": 42, "url": None}).encode(),
    b'{"text": "bad \xff\xfe bytes"}',
    b"\x00\x01\x02 binary junk \xff",
    json.dumps({"url": "http://b.com"}).encode(),
]


# ------------------------------------------------------------------------------------------ discovery


def test_input_format_by_suffix() -> None:
    assert input_format("a/b.parquet") == "parquet"
    assert input_format("x.JSONL.GZ") == "jsonl"
    assert input_format("x.jsonl.zst") == "jsonl"
    assert input_format("notes.txt") == "txt"
    assert input_format("x.csv") is None
    assert input_format("x.json") is None


def test_discover_files_folders_globs(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for name in ("a/one.parquet", "a/b/two.jsonl", "a/b/three.txt", "a/.hidden/x.txt", "a/skip.csv", "c.jsonl.gz"):
        (tmp_path / name).write_bytes(b"")
    folder = discover([str(tmp_path / "a")])
    assert [unit.name for unit in folder] == ["b/three.txt", "b/two.jsonl", "one.parquet"]
    glob = discover([str(tmp_path / "**" / "*.jsonl*")])
    assert sorted(unit.name for unit in glob) == ["a/b/two.jsonl", "c.jsonl.gz"]
    # the same file named twice is read once; names are relative to the common root
    both = discover([str(tmp_path / "c.jsonl.gz"), str(tmp_path / "a" / "one.parquet"), str(tmp_path / "c.jsonl.gz")])
    assert [unit.name for unit in both] == ["a/one.parquet", "c.jsonl.gz"]
    assert all(Path(unit.path).is_absolute() for unit in both)


def test_discover_skips_the_output_directory(tmp_path: Path) -> None:
    (tmp_path / "out" / "units").mkdir(parents=True)
    (tmp_path / "out" / "units" / "x.counts.parquet").write_bytes(b"")
    (tmp_path / "shard.parquet").write_bytes(b"")
    assert [unit.name for unit in discover([str(tmp_path)], exclude=[tmp_path / "out"])] == ["shard.parquet"]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda root: [], "E001"),
        (lambda root: [str(root / "missing.parquet")], "E001"),
        (lambda root: [str(root / "*.jsonl")], "E001"),
        (lambda root: [str(root)], "E001"),  # a folder without inputs
        (lambda root: [str(root / "x.csv")], "E013"),
    ],
)
def test_discover_input_errors(tmp_path: Path, make, code: str) -> None:
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(SingletonError) as error:
        discover(make(tmp_path))
    assert error.value.code == code


def test_unit_round_trips_and_ids_are_distinct(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for name in ("x/s.parquet", "s.parquet"):
        pl.DataFrame({"text": ["a"]}).write_parquet(tmp_path / name)
    units = discover([str(tmp_path)])
    assert len({unit.id for unit in units}) == 2
    for unit in units:
        assert Unit.from_dict(json.loads(json.dumps(unit.to_dict()))) == unit


# ------------------------------------------------------------------------------------------ parquet


def test_big_parquet_is_split_by_row_groups_without_changing_documents(tmp_path: Path) -> None:
    texts = [f"document {i} " + "x" * 50 for i in range(1000)]
    pl.DataFrame({"text": texts}).write_parquet(tmp_path / "big.parquet", row_group_size=100)
    whole = discover([str(tmp_path)])
    split = discover([str(tmp_path)], unit_bytes=2_500)
    assert len(whole) == 1 and whole[0].row_groups is None
    assert len(split) > 3
    # consecutive, complete, disjoint ranges of row groups, with the right first rows
    assert split[0].row_groups[0] == 0 and split[-1].row_groups[1] == 10
    assert all(a.row_groups[1] == b.row_groups[0] for a, b in zip(split, split[1:]))
    assert sum(unit.rows for unit in split) == 1000
    assert all(unit.first_row == 100 * unit.row_groups[0] for unit in split)
    assert read_all(split).equals(read_all(whole))
    assert read_all(whole)["doc_id"].to_list() == [f"big.parquet:{i}" for i in range(1000)]
    assert read_all(whole)["text"].to_list() == texts


def test_parquet_streams_in_batches(tmp_path: Path) -> None:
    pl.DataFrame({"text": [str(i) for i in range(2500)]}).write_parquet(tmp_path / "s.parquet", row_group_size=1000)
    batches = list(read_unit(discover([str(tmp_path)])[0], ReadOptions(batch_rows=300)))
    assert max(batch.height for batch in batches) <= 300
    assert sum(batch.height for batch in batches) == 2500


def test_doc_ids_from_id_column_or_row(tmp_path: Path) -> None:
    pl.DataFrame({"id": [7, None, 9], "key": ["k1", "k2", "k3"], "text": ["a", "b", "c"]}).write_parquet(tmp_path / "s.parquet")
    unit = discover([str(tmp_path / "s.parquet")])
    assert read_all(unit)["doc_id"].to_list() == ["7", "s.parquet:1", "9"]
    assert read_all(unit, ReadOptions(id_column="key"))["doc_id"].to_list() == ["k1", "k2", "k3"]


def test_domains_from_column_and_from_url(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"text": ["a", "b", "c", "d"], "site": ["x.org", "", None, "y.org"],
         "url": ["https://www.News.example.org:8443/a?b#c", "news.example.org/path", None, "http://u:p@WWW.Y.ORG."]}
    )
    frame.write_parquet(tmp_path / "s.parquet")
    unit = discover([str(tmp_path)])
    assert read_all(unit, ReadOptions(domain_column="site"))["domain"].to_list() == ["x.org", None, None, "y.org"]
    expected = ["news.example.org", "news.example.org", None, "y.org"]
    assert read_all(unit, ReadOptions(domain_from_url="url"))["domain"].to_list() == expected
    assert read_all(unit)["domain"].to_list() == [None] * 4


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.example.com/path", "example.com"),
        ("HTTP://WWW.EXAMPLE.COM:80", "example.com"),
        ("https://user:secret@sub.example.co.uk:8080/x", "sub.example.co.uk"),
        ("example.com/page?q=1", "example.com"),
        ("ftp://[::1]:21/file", "[::1]"),
        ("https://wwwexample.com", "wwwexample.com"),
        ("  https://example.org.  ", "example.org"),
        ("", None),
        ("https:///nohost", None),
    ],
)
def test_url_host(url: str, host: str | None) -> None:
    assert pl.select(url_host(pl.lit(url))).item() == host


def test_invalid_utf8_in_a_parquet_string_column_is_replaced(tmp_path: Path) -> None:
    raw = pa.array([b"good text", b"bad \xff\xfe here", None, b""], pa.binary())
    # pyarrow writes (and reads back) a string column without checking its bytes: the reader must
    pq.write_table(pa.table({"text": raw.view(pa.string()), "blob": raw}), tmp_path / "s.parquet")
    unit = discover([str(tmp_path)])
    texts = read_all(unit)["text"].to_list()
    assert texts == ["good text", "bad \ufffd\ufffd here", None, ""]
    assert read_all(unit, ReadOptions(text_column="blob"))["text"].to_list() == texts


def test_zero_row_parquet_reads_as_nothing(tmp_path: Path) -> None:
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), tmp_path / "empty.parquet")
    stats = ReadStats()
    assert read_all(discover([str(tmp_path)]), stats=stats).height == 0
    assert stats.documents == 0


# ------------------------------------------------------------------------------------------ JSONL and text


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_jsonl_bad_lines_are_counted_and_skipped(tmp_path: Path, suffix: str) -> None:
    write_jsonl(tmp_path / f"d{suffix}", JSONL_LINES)
    stats = ReadStats()
    docs = read_all(discover([str(tmp_path)]), ReadOptions(domain_from_url="url"), stats)
    name = f"d{suffix}"
    assert docs["doc_id"].to_list() == [f"{name}:{line}" for line in (1, 5, 7, 8, 10)]  # 1-based line numbers
    assert docs["text"].to_list() == ["first", "lone \ufffd surrogate", "42", "bad \ufffd\ufffd bytes", None]
    assert docs["domain"].to_list() == ["example.org", None, None, None, "b.com"]
    assert stats.malformed_lines == 3  # bad JSON, a list, binary junk; blank lines are not malformed
    assert stats.documents == 5


def test_jsonl_batches_by_rows(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [json.dumps({"id": f"x{i}", "text": "t"}).encode() for i in range(25)])
    batches = list(read_unit(discover([str(tmp_path)])[0], ReadOptions(batch_rows=10)))
    assert [batch.height for batch in batches] == [10, 10, 5]
    assert pl.concat(batches)["doc_id"].to_list() == [f"x{i}" for i in range(25)]


def test_text_file_is_one_document(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"line one\nline two \xff\n")
    docs = read_all(discover([str(tmp_path)]))
    assert docs.to_dicts() == [{"doc_id": "notes.txt", "text": "line one\nline two \ufffd\n", "domain": None}]


# ------------------------------------------------------------------------------------------ columns


def test_first_input_checks(tmp_path: Path) -> None:
    pl.DataFrame({"body": ["a"]}).write_parquet(tmp_path / "a.parquet")
    write_jsonl(tmp_path / "b.jsonl", [b"{broken", json.dumps({"content": "x"}).encode()])
    (tmp_path / "c.parquet").write_bytes(b"PAR1 this is not parquet")
    a, b, c = discover([str(tmp_path)])
    for unit in (a, b):
        with pytest.raises(SingletonError) as error:
            check_first_input(unit, ReadOptions())
        assert error.value.code == "E003" and "'text'" in error.value.message
    check_first_input(a, ReadOptions(text_column="body"))
    with pytest.raises(SingletonError) as error:
        check_first_input(a, ReadOptions(text_column="body", domain_from_url="url"))
    assert error.value.code == "E003"
    with pytest.raises(SingletonError) as error:
        check_first_input(c, ReadOptions())
    assert error.value.code == "E002"


def test_later_input_with_a_missing_column_fails_when_read(tmp_path: Path) -> None:
    pl.DataFrame({"body": ["a"]}).write_parquet(tmp_path / "a.parquet")
    write_jsonl(tmp_path / "b.jsonl", [json.dumps({"content": "x"}).encode()])
    for unit in discover([str(tmp_path)]):
        with pytest.raises(MissingColumnError):
            list(read_unit(unit, ReadOptions()))
