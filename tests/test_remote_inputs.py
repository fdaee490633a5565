"""Inputs on an object store, read through pyarrow filesystems: a real local S3 stand-in (moto's server, on
127.0.0.1 only), scanned like a local folder, resumed, redone when an object changes, refused when missing."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.fs as pafs
import pytest
import zstandard
from scanhelp import REPO, run_cli, snapshot, stable

from singleton.errors import SingletonError
from singleton.read import (
    ReadOptions,
    Unit,
    check_first_input,
    discover,
    one_line,
    read_unit,
)
from singleton.scan import ScanOptions, extract, scan
from singleton.synth import SynthConfig, synth_corpus

pytestmark = pytest.mark.slow

OPTIONS = ScanOptions(read=ReadOptions(domain_from_url="url"), workers=1, progress=False, unit_bytes=4096)
"""Small units: the parquet shards are split into row-group ranges, read remotely by range too."""

_SERVER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # serve until the test closes our stdin
server.stop()
"""


@dataclass
class Store:
    """The running stand-in: its port and a client file system that can create buckets."""

    port: int
    fs: pafs.S3FileSystem

    def upload(self, folder: Path, prefix: str) -> None:
        """Copy every file under `folder` to `prefix/…` byte for byte (no compression on the way)."""
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                self.put(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())

    def put(self, key: str, data: bytes) -> None:
        with self.fs.open_output_stream(key, compression=None) as stream:
            stream.write(data)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    """moto's S3 server in a child process on a free loopback port; the AWS variables point every client
    (pyarrow here, the CLI's processes) at it, with dummy keys and no instance-metadata look-ups."""
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        with pytest.MonkeyPatch.context() as env:
            for name, value in {
                "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_EC2_METADATA_DISABLED": "true",
            }.items():
                env.setenv(name, value)
            env.delenv("AWS_SESSION_TOKEN", raising=False)
            env.delenv("AWS_PROFILE", raising=False)
            client = pafs.S3FileSystem(
                access_key="testing", secret_key="testing", region="us-east-1", scheme="http",
                endpoint_override=f"127.0.0.1:{port}", allow_bucket_creation=True,
            )
            client.create_dir("corpus")
            yield Store(port, client)
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic corpus as a folder: parquet shards, and one shard as JSONL.zst without ids (so its
    doc ids are `<name>:<line>`, which must not depend on where the folder lives) in a subfolder."""
    folder = tmp_path_factory.mktemp("local") / "synth"
    corpus = synth_corpus(folder, SynthConfig(documents=120, shards=3, seed=5, row_group_rows=16))
    (folder / "truth.json").unlink()
    (folder / "more").mkdir()
    rows = pl.read_parquet(corpus.paths[2]).drop("id").to_dicts()
    lines = "".join(json.dumps(row) + "\n" for row in rows).encode()
    (folder / "more" / "extra.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    corpus.paths[2].unlink()
    return folder


@pytest.fixture(scope="module")
def uploaded(store: Store, local: Path) -> str:
    store.upload(local, "corpus/synth")
    return "s3://corpus/synth/"


@pytest.fixture(scope="module")
def local_scan(local: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local-scan") / "out"
    assert scan([str(local)], out, OPTIONS).exit_code == 0
    return out


# ------------------------------------------------------------------------------------------ discovery


def test_a_prefix_is_listed_like_a_folder(uploaded: str, local: Path) -> None:
    remote, here = discover([uploaded], unit_bytes=4096), discover([str(local)], unit_bytes=4096)
    assert [(u.name, u.format, u.size, u.row_groups, u.first_row, u.rows) for u in remote] == [
        (u.name, u.format, u.size, u.row_groups, u.first_row, u.rows) for u in here
    ]
    assert len(remote) > 3  # the shards were split into row-group ranges
    assert {unit.path.rsplit("/", 1)[0] for unit in remote} == {"s3://corpus/synth", "s3://corpus/synth/more"}
    assert all(unit.mtime_ns > 0 for unit in remote)  # from the listing: changed objects are detected
    for unit in remote:  # plain data: ships to any worker as it is
        assert pickle.loads(pickle.dumps(unit)) == unit == Unit.from_dict(json.loads(json.dumps(unit.to_dict())))


def test_globs_single_objects_hidden_and_unsupported_keys(store: Store) -> None:
    for key in ("g/a/one.txt", "g/a/b/two.jsonl", "g/a/.hidden/x.txt", "g/a/skip.csv", "g/c.txt", "h/three.txt"):
        store.put(f"corpus/{key}", b"text")
    assert [u.name for u in discover(["s3://corpus/g/a"])] == ["b/two.jsonl", "one.txt"]
    assert [u.name for u in discover(["s3://corpus/g/*.txt"])] == ["c.txt"]
    assert [u.name for u in discover(["s3://corpus/g/**/*.txt"])] == ["a/one.txt", "c.txt"]
    assert [u.name for u in discover(["s3://corpus/g/a/*"])] == ["b/two.jsonl", "one.txt"]  # a matched folder: its files
    # names are relative to the common prefix; the same object named twice is read once
    both = discover(["s3://corpus/h/three.txt", "s3://corpus/g/c.txt", "s3://corpus/h/"])
    assert [(u.name, u.path) for u in both] == [("g/c.txt", "s3://corpus/g/c.txt"), ("h/three.txt", "s3://corpus/h/three.txt")]
    for pattern, code in [
        ("s3://corpus/g/a/skip.csv", "E013"),
        ("s3://corpus/nothing-here/", "E001"),
        ("s3://corpus/g/*.parquet", "E001"),
        ("s3://no-such-bucket/x/", "E002"),
        ("nosuchscheme://x/y", "E002"),
    ]:
        with pytest.raises(SingletonError) as error:
            discover([pattern])
        assert error.value.code == code, pattern


def test_keys_with_reserved_characters_and_options_in_the_uri(store: Store) -> None:
    """A key with a space, `#` and `?` round-trips through the unit's URI; options in the input URI (here the
    endpoint itself, with the variable unset) are kept in every unit's URI, so workers build the same store."""
    store.put("corpus/odd/a b#1?.txt", "née à Paris".encode())
    endpoint = os.environ.pop("AWS_ENDPOINT_URL")
    try:
        [unit] = discover([f"s3://corpus/odd/?endpoint_override=127.0.0.1:{store.port}&scheme=http"])
        assert unit.name == "a b#1?.txt" and unit.path.endswith(f"?endpoint_override=127.0.0.1:{store.port}&scheme=http")
        [batch] = read_unit(unit, ReadOptions())
    finally:
        os.environ["AWS_ENDPOINT_URL"] = endpoint
    assert batch.to_dicts() == [{"doc_id": "a b#1?.txt", "text": "née à Paris", "domain": None}]


def test_a_fresh_process_reads_a_unit_from_its_plain_data(uploaded: str) -> None:
    """What a worker gets is the unit's dict: it opens the store itself."""
    unit = next(u for u in discover([uploaded]) if u.format == "jsonl")
    code = (
        "import json, sys; from singleton.read import Unit, ReadOptions, read_unit; "
        "unit = Unit.from_dict(json.loads(sys.argv[1])); "
        "print(sum(batch.height for batch in read_unit(unit, ReadOptions())))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run([sys.executable, "-c", code, json.dumps(unit.to_dict())], capture_output=True, text=True, env=env, check=True)
    assert int(child.stdout) == 40  # 120 documents in 3 shards


def test_an_object_gone_after_discovery(store: Store) -> None:
    """First input: one line, E002, before any work; a later one: its unit raises (scan fails that unit, exit 3)."""
    store.put("corpus/gone/a.jsonl", b'{"text": "x"}\n')
    [unit] = discover(["s3://corpus/gone/"])
    store.fs.delete_file("corpus/gone/a.jsonl")
    with pytest.raises(SingletonError) as error:
        check_first_input(unit, ReadOptions())
    assert error.value.code == "E002" and "\n" not in str(error.value)
    with pytest.raises(FileNotFoundError) as missing:
        list(read_unit(unit, ReadOptions()))
    assert "corpus/gone/a.jsonl" in one_line(missing.value)


# ------------------------------------------------------------------------------------------ scan


def test_scan_of_the_bucket_equals_the_local_scan(uploaded: str, local_scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = scan([uploaded], out, OPTIONS)
    assert result.exit_code == 0 and result.resumed == 0
    assert stable(out) == stable(local_scan)
    assert stable(out)["input"]["documents"] == 120 and stable(out)["categories"]["birth_date"]["N"] > 0
    # a rerun skips every finished unit and rewrites none of them
    before = snapshot(out / "units")
    again = scan([uploaded], out, OPTIONS)
    assert again.resumed == again.units == result.units and snapshot(out / "units") == before
    assert stable(out) == stable(local_scan)


def test_a_changed_object_is_redone(store: Store, local: Path, tmp_path: Path) -> None:
    store.upload(local, "corpus/changing")
    out = tmp_path / "out"
    first = scan(["s3://corpus/changing/"], out, OPTIONS)
    changed = tmp_path / "changed"
    shutil.copytree(local, changed)
    shorter = pl.read_parquet(changed / "synth-00001.parquet").head(10)
    shorter.write_parquet(changed / "synth-00001.parquet", row_group_size=16)
    store.put("corpus/changing/synth-00001.parquet", (changed / "synth-00001.parquet").read_bytes())
    units = {unit.id: unit for unit in discover(["s3://corpus/changing/"], unit_bytes=OPTIONS.unit_bytes)}
    redone = [unit for unit in units.values() if unit.name == "synth-00001.parquet"]
    second = scan(["s3://corpus/changing/"], out, OPTIONS)
    assert second.units == len(units) and second.resumed == len(units) - len(redone) and first.units > second.units
    fresh = tmp_path / "fresh"
    scan([str(changed)], fresh, OPTIONS)
    assert stable(out) == stable(fresh)


def test_extract_reads_the_bucket_too(uploaded: str, local: Path, tmp_path: Path) -> None:
    remote, here = tmp_path / "remote.parquet", tmp_path / "local.parquet"
    extract([uploaded], remote, OPTIONS)
    extract([str(local)], here, OPTIONS)
    assert pl.read_parquet(remote).equals(pl.read_parquet(here)) and pl.read_parquet(here).height > 0


def test_a_missing_bucket_stops_the_cli_with_one_line(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("scan", "s3://no-such-bucket/corpus/", "--out", str(out), "--no-progress")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "error[E002]" in done.stderr and "no-such-bucket" in done.stderr
    assert "Request ID" not in done.stderr and not out.exists()


def test_out_must_be_local(uploaded: str) -> None:
    with pytest.raises(SingletonError) as error:
        scan([uploaded], "s3://corpus/out/", OPTIONS)
    assert error.value.code == "E015"

