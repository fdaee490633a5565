"""The facts table's `evidence` column: the sentence each fact was read from, exactly `text[start:end]` of its
document (at most 1,000 characters), shown in report.html's singleton samples; `count` does not need it."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from reportcheck import Page

from singleton import html
from singleton.categories import builtin_categories
from singleton.count import count
from singleton.extract import Extractor
from singleton.scan import ScanOptions, scan
from singleton.schema import EVIDENCE_CHARS, FACTS_SCHEMA

pytestmark = pytest.mark.slow

TEXTS = {
    "a": "Mary Jones was born on 3 May 1901 in Leeds, England. She was a nurse. She died in York in 1980.",
    "b": "Peter Brown (1850–1921) was a farmer. The town grew. He was born in Cork.",
    "c": "Otto Weber (b. 1890) painted the house. Nothing else is known.",
}


def test_evidence_is_the_sentence_span_of_the_document(nlp) -> None:  # type: ignore[no-untyped-def]
    facts = Extractor(builtin_categories()).extract(pl.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values())}))
    assert facts.columns[-1] == "evidence" and facts.height == 8
    for doc_id, start, end, evidence in facts.select("doc_id", "start", "end", "evidence").iter_rows():
        assert evidence == TEXTS[doc_id][start:end]
    by_fact = {(r["doc_id"], r["category"]): r["evidence"].strip() for r in facts.iter_rows(named=True)}
    assert by_fact[("a", "death_place")] == "She died in York in 1980."
    assert by_fact[("b", "birth_place")] == "He was born in Cork."


def test_evidence_is_cut_at_1000_characters(nlp) -> None:  # type: ignore[no-untyped-def]
    clause = ", who lived in the old mill by the river and kept bees" * 19
    text = f"Anna Berg (1800–1870){clause}, was a weaver."
    assert EVIDENCE_CHARS < len(text) < 1200  # one sentence, not cut into windows by the prefilter
    facts = Extractor(builtin_categories()).extract(pl.DataFrame({"doc_id": ["x"], "text": [text]}))
    assert facts.height == 2
    for start, end, evidence in facts.select("start", "end", "evidence").iter_rows():
        assert (start, end) == (0, len(text)) and evidence == text[:EVIDENCE_CHARS]


def test_scan_with_kept_facts_shows_the_sentence_in_report_html(tmp_path: Path) -> None:
    shard = tmp_path / "in" / "part.parquet"
    shard.parent.mkdir()
    pl.DataFrame({"id": list(TEXTS), "text": list(TEXTS.values())}).write_parquet(shard)
    out = tmp_path / "out"
    result = scan([str(shard)], out, ScanOptions(workers=1, progress=False, keep_facts=True))
    assert result.exit_code == 0
    facts = pl.read_parquet(out / "facts")
    assert facts.columns == FACTS_SCHEMA.names
    samples = html.singleton_samples(out)
    assert samples is not None and "evidence" in samples.columns and samples.height >= 4
    page = " ".join(Page((out / "report.html").read_text(encoding="utf-8")).text)
    for doc_id, start, end, evidence in samples.select("doc_id", "start", "end", "evidence").iter_rows():
        assert evidence == TEXTS[doc_id][start:end]
        assert evidence.strip() in page


def test_count_reads_facts_without_evidence(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    facts = Extractor(builtin_categories()).extract(pl.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values())}))
    facts.write_parquet(tmp_path / "with.parquet")
    facts.drop("evidence").write_parquet(tmp_path / "without.parquet")
    count([tmp_path / "with.parquet"], tmp_path / "with", with_html=False)
    count([tmp_path / "without.parquet"], tmp_path / "without", with_html=False)
    reports = [json.loads((tmp_path / name / "report.json").read_text()) for name in ("with", "without")]
    assert reports[0]["categories"] == reports[1]["categories"]
    assert reports[0]["categories"]["birth_date"]["N"] == 3  # Mary Jones, Peter Brown, Otto Weber


def test_samples_read_kept_facts_with_and_without_evidence(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    """A scan directory resumed after an upgrade holds facts files from before the column and after it."""
    facts = Extractor(builtin_categories()).extract(pl.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values())}))
    (tmp_path / "facts").mkdir()
    facts.filter(pl.col("doc_id") == "a").drop("evidence").write_parquet(tmp_path / "facts" / "a.parquet")
    facts.filter(pl.col("doc_id") != "a").write_parquet(tmp_path / "facts" / "b.parquet")
    count(sorted((tmp_path / "facts").glob("*.parquet")), tmp_path, with_html=False)
    samples = html.singleton_samples(tmp_path)
    assert samples is not None and set(samples["doc_id"]) == {"a", "b", "c"}
    for doc_id, evidence in samples.select("doc_id", "evidence").iter_rows():
        assert (evidence is None) == (doc_id == "a")
