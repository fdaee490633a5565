"""The scan job end to end: a synthetic corpus with known counts, resume, changed inputs, workers, facts."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from scanhelp import prompts, snapshot, stable, stable_bytes

from singleton.errors import SingletonError
from singleton.read import ReadOptions
from singleton.scan import ScanOptions, extract, scan
from singleton.synth import SynthConfig, SynthCorpus, synth_corpus

pytestmark = pytest.mark.slow

OPTIONS = ScanOptions(read=ReadOptions(domain_from_url="url"), workers=1, progress=False)
MAX_MISSED_SHARE = 0.01
"""What extraction may miss or add on the synthetic sentences, as a share of true observations. Measured: none
(0 of 10,380 on 6,000 documents with two-word names; three-word names, used past 1,600 people, lose ~2%)."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    return synth_corpus(tmp_path_factory.mktemp("corpus"), SynthConfig(documents=400, shards=4, seed=11, row_group_rows=32))


@pytest.fixture(scope="module")
def scanned(corpus: SynthCorpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan") / "out"
    result = scan([str(path) for path in corpus.paths], out, replace(OPTIONS, keep_facts=True))
    assert result.exit_code == 0 and result.units == 4 and result.resumed == 0
    return out


def extraction_errors(corpus: SynthCorpus, out: Path) -> pl.DataFrame:
    """Per domain (null: the whole corpus) and category: true observations missed plus spurious ones found."""
    keys = ["doc_id", "domain", "category", "subject_key"]
    found = pl.read_parquet(out / "facts").select(keys).unique()
    truth = corpus.facts.select(keys)
    wrong = pl.concat([truth.join(found, on=keys, how="anti", nulls_equal=True),
                       found.join(truth, on=keys, how="anti", nulls_equal=True)])
    per_domain = wrong.drop_nulls("domain").group_by("domain", "category").len()
    return pl.concat([wrong.group_by("category").len().with_columns(domain=pl.lit(None, pl.String)), per_domain],
                     how="diagonal")


def tolerance(errors: pl.DataFrame, domain: str | None, category: str) -> int:
    match = errors.filter(pl.col("domain").eq_missing(domain) & (pl.col("category") == category))
    return int(match["len"].sum())


def within(got: dict, expected: dict, slack: int) -> None:
    """N and singletons within `slack` (one missed or spurious observation moves each by at most 1); sr too."""
    assert abs(got["N"] - expected["N"]) <= slack
    assert abs(got["singletons"] - expected["singletons"]) <= slack
    assert abs(got["sr"] - expected["sr"]) <= 2 * slack / expected["N"] + 1e-6
    if slack == 0:
        assert (got["N"], got["singletons"], got["sr"]) == (expected["N"], expected["singletons"], expected["sr"])


def test_extraction_finds_the_true_observations(corpus: SynthCorpus, scanned: Path) -> None:
    errors = extraction_errors(corpus, scanned)
    assert errors.filter(pl.col("domain").is_null())["len"].sum() <= MAX_MISSED_SHARE * corpus.facts.height


def test_report_equals_the_truth(corpus: SynthCorpus, scanned: Path) -> None:
    """N, singletons and sr per category and per domain equal the truth, up to what extraction missed or added."""
    report = stable(scanned)
    truth = corpus.truth
    errors = extraction_errors(corpus, scanned)
    for category, expected in truth["categories"].items():
        slack = tolerance(errors, None, category)
        within(report["categories"][category], expected, slack)
        within(report["categories"][category]["dedup"], expected["dedup"], slack)
    assert set(report["domains"]) == set(truth["domains"])
    for domain, categories in truth["domains"].items():
        for category, expected in categories.items():
            slack = tolerance(errors, domain, category)
            got = report["domains"][domain][category]
            within(got, expected, slack)
            assert abs(got["sr_global"] - expected["sr_global"]) <= 2 * (slack + tolerance(errors, None, category)) / expected["N"] + 1e-6
    assert report["input"]["documents"] == truth["documents"]
    assert report["input"]["duplicate_documents"] == truth["duplicate_documents"]
    assert report["input"]["units"] == 4 and report["input"]["failed"] == []


def test_domain_column_gives_the_same_report_as_domain_from_url(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    options = replace(OPTIONS, read=ReadOptions(domain_column="domain"))
    scan([str(corpus.paths[0].parent)], tmp_path / "out", options)
    assert stable(tmp_path / "out") == stable(scanned)


def test_rerun_does_nothing_and_gives_the_same_report(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    before = snapshot(out / "units")
    result = scan([str(path) for path in corpus.paths], out, replace(OPTIONS, keep_facts=True))
    assert result.resumed == 4 and snapshot(out / "units") == before
    assert stable_bytes(out) == stable_bytes(scanned)
    assert prompts(out).equals(prompts(scanned))


def test_an_unfinished_unit_is_redone_alone(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    markers = sorted((out / "units").glob("*.done.json"))
    markers[1].unlink()  # as if the run had been killed while that unit was running
    (out / "units" / "stale.counts.parquet.tmp-999").write_bytes(b"half-written")
    (out / "report.json").unlink()
    before = snapshot(out / "units")
    result = scan([str(path) for path in corpus.paths], out, OPTIONS)
    assert result.resumed == 3
    after = snapshot(out / "units")
    changed = {name for name in after if before.get(name) != after[name]}
    stem = markers[1].name.removesuffix(".done.json")
    assert changed == {f"{stem}.counts.parquet", f"{stem}.docs.parquet", f"{stem}.done.json"}
    assert not any(".tmp-" in name for name in after)
    assert stable(out) == stable(scanned)


def test_new_removed_and_changed_inputs(corpus: SynthCorpus, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(corpus.paths[0].parent, inputs)
    (inputs / "truth.json").unlink()
    out = tmp_path / "out"
    scan([str(inputs)], out, OPTIONS)
    extra = synth_corpus(tmp_path / "extra", SynthConfig(documents=60, shards=1, seed=3))
    shutil.copy(extra.paths[0], inputs / "synth-00009.parquet")  # new
    (inputs / "synth-00001.parquet").unlink()  # removed
    changed = pl.read_parquet(inputs / "synth-00002.parquet").head(30)
    changed.write_parquet(inputs / "synth-00002.parquet")  # changed (size and mtime)
    result = scan([str(inputs)], out, OPTIONS)
    assert (result.units, result.resumed) == (4, 2)
    fresh = tmp_path / "fresh"
    scan([str(inputs)], fresh, OPTIONS)
    assert stable(out) == stable(fresh)
    assert prompts(out).equals(prompts(fresh))
    assert len(list((out / "units").glob("*.done.json"))) == 4


def test_options_that_contradict_the_directory_are_refused(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    before = snapshot(out)
    contradictions = [
        replace(OPTIONS, unit="mention"),
        replace(OPTIONS, categories=("birth_date",)),
        replace(OPTIONS, read=ReadOptions(domain_column="domain")),
        replace(OPTIONS, error_space=(("birth_date", 365),)),
    ]
    for options in contradictions:
        with pytest.raises(SingletonError) as error:
            scan([str(path) for path in corpus.paths], out, options)
        assert error.value.code == "E005"
    assert snapshot(out) == before
    # what is not result-affecting may change: workers, engine, batch size, progress, unit size
    other = replace(OPTIONS, workers=3, read=ReadOptions(domain_from_url="url", batch_rows=7), unit_bytes=1 << 20)
    assert scan([str(path) for path in corpus.paths], out, other).resumed == 4


def test_a_directory_that_is_not_a_scan_is_refused(corpus: SynthCorpus, tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("user data")
    with pytest.raises(SingletonError) as error:
        scan([str(corpus.paths[0])], tmp_path, OPTIONS)
    assert error.value.code == "E005"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.txt"]


def test_kept_facts_equal_extract_and_follow_the_option(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    facts_file = tmp_path / "facts.parquet"
    result = extract([str(path) for path in corpus.paths], facts_file, OPTIONS)
    assert result.exit_code == 0 and result.documents == 400
    extracted = pl.read_parquet(facts_file)
    kept = pl.concat([pl.read_parquet(path) for path in sorted((scanned / "facts").glob("*.parquet"))])
    assert extracted.height == result.facts
    assert extracted.sort(extracted.columns).equals(kept.sort(kept.columns))
    # a rerun without --keep-facts drops them; asking again redoes the units to produce them
    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    scan([str(path) for path in corpus.paths], out, OPTIONS)
    assert not (out / "facts").exists()
    again = scan([str(path) for path in corpus.paths], out, replace(OPTIONS, keep_facts=True))
    assert again.resumed == 0 and len(list((out / "facts").glob("*.parquet"))) == 4
    assert stable(out) == stable(scanned)


def test_split_parquet_units_give_the_same_counts(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    result = scan([str(path) for path in corpus.paths], tmp_path / "out", replace(OPTIONS, unit_bytes=20_000))
    assert result.units > 4
    split, whole = stable(tmp_path / "out"), stable(scanned)
    assert split["input"].pop("units") > whole["input"].pop("units")
    assert split == whole
    assert prompts(tmp_path / "out").equals(prompts(scanned))


def test_two_workers_write_the_same_report_as_one(corpus: SynthCorpus, scanned: Path, tmp_path: Path) -> None:
    result = scan([str(path) for path in corpus.paths], tmp_path / "out", replace(OPTIONS, workers=2))
    assert result.exit_code == 0
    assert json.loads((tmp_path / "out" / "report.json").read_text())["run"]["workers"] == 2
    assert stable_bytes(tmp_path / "out") == stable_bytes(scanned)
    assert prompts(tmp_path / "out").equals(prompts(scanned))
