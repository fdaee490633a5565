"""The synthetic corpus: its truth must be exactly what a brute-force count of its documents gives."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

from singleton.read import discover, url_host
from singleton.synth import SynthConfig, SynthCorpus, synth_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    return synth_corpus(tmp_path_factory.mktemp("synth"), SynthConfig(documents=600, seed=7))


def brute_force(facts: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    """N and singletons per category with plain Python counters (one row = one observation)."""
    prompts: Counter[tuple[str, str]] = Counter((f["category"], f["subject_key"]) for f in facts)
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"N": 0, "singletons": 0})
    for (category, _), count in prompts.items():
        result[category]["N"] += count
        result[category]["singletons"] += count == 1
    return dict(result)


def test_truth_matches_a_brute_force_count(corpus: SynthCorpus) -> None:
    facts = corpus.facts.to_dicts()
    expected = brute_force(facts)
    assert set(corpus.truth["categories"]) == set(expected)
    for category, counts in expected.items():
        truth = corpus.truth["categories"][category]
        assert (truth["N"], truth["singletons"]) == (counts["N"], counts["singletons"])
        assert truth["sr"] == round(counts["singletons"] / counts["N"], 6)
    singletons = {key for key, n in Counter((f["category"], f["subject_key"]) for f in facts).items() if n == 1}
    for domain, categories in corpus.truth["domains"].items():
        in_domain = [f for f in facts if f["domain"] == domain]
        for category, counts in brute_force(in_domain).items():
            truth = categories[category]
            assert (truth["N"], truth["singletons"]) == (counts["N"], counts["singletons"])
            hits = sum((f["category"], f["subject_key"]) in singletons for f in in_domain if f["category"] == category)
            assert truth["sr_global"] == round(hits / counts["N"], 6)


def test_dedup_truth_collapses_exact_copies(corpus: SynthCorpus) -> None:
    first_of_text: dict[str, str] = {}
    for row in corpus.documents.iter_rows(named=True):
        first_of_text.setdefault(row["text"], row["id"])
    kept = set(first_of_text.values())
    expected = brute_force([f for f in corpus.facts.to_dicts() if f["doc_id"] in kept])
    for category, counts in expected.items():
        dedup = corpus.truth["categories"][category]["dedup"]
        assert (dedup["N"], dedup["singletons"]) == (counts["N"], counts["singletons"])
    copies = corpus.documents.height - len(first_of_text)
    assert copies == round(600 * 0.1)
    assert corpus.truth["duplicate_documents"] == round(copies / 600, 6)


def test_every_observation_is_stated_once_in_its_document(corpus: SynthCorpus) -> None:
    texts = dict(corpus.documents.select("id", "text").iter_rows())
    for fact in corpus.facts.iter_rows(named=True):
        text = texts[fact["doc_id"]]
        verb = "was born" if fact["category"].startswith("birth") else "died"
        preposition = "on" if fact["category"].endswith("_date") else "in"
        assert text.count(f"{fact['subject']} {verb} {preposition} {fact['object']}") == 1
    per_document = corpus.facts.group_by("doc_id", "category", "subject_key").len()
    assert per_document["len"].max() == 1  # so one statement is one observation under --unit doc


def test_one_answer_per_prompt_and_domains_match_urls(corpus: SynthCorpus) -> None:
    answers = corpus.facts.group_by("category", "subject_key").agg(pl.col("object_key").n_unique())
    assert answers["object_key"].max() == 1
    docs = corpus.documents.with_columns(host=url_host(pl.col("url")))
    assert docs.filter(pl.col("host").ne_missing(pl.col("domain"))).height == 0
    assert 0 < docs["domain"].null_count() < docs.height * 0.2


def test_shards_hold_every_document_and_seed_is_reproducible(tmp_path: Path, corpus: SynthCorpus) -> None:
    assert pl.concat([pl.read_parquet(path) for path in corpus.paths]).equals(corpus.documents)
    a = synth_corpus(tmp_path / "a", SynthConfig(documents=200, seed=1, shards=2))
    b = synth_corpus(tmp_path / "b", SynthConfig(documents=200, seed=1, shards=2))
    c = synth_corpus(tmp_path / "c", SynthConfig(documents=200, seed=2, shards=2))
    assert [p.read_bytes() for p in a.paths] == [p.read_bytes() for p in b.paths]
    assert a.documents["text"].to_list() != c.documents["text"].to_list()


def test_synth_command(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    done = subprocess.run(
        [sys.executable, "-m", "singleton", "synth", "--out", str(out), "--documents", "120", "--shards", "3", "--seed", "5"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == ["synth-00000.parquet", "synth-00001.parquet", "synth-00002.parquet", "truth.json"]
    truth = json.loads((out / "truth.json").read_text())
    assert truth["documents"] == 120 and truth["config"]["seed"] == 5
    for category, fields in truth["categories"].items():
        assert f"{category:<12} N={fields['N']:<7}" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "singleton", "synth", "--out", str(out), "--documents", "0"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2


def test_the_sample_shards_are_small_and_the_synthetic_one_matches_its_generator(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    assert sum(path.stat().st_size for path in samples.rglob("*") if path.is_file()) < 2 * 2**20
    assert [unit.name for unit in discover([str(samples)])] == ["synthetic.parquet", "wiki-sample.parquet"]
    regenerated = synth_corpus(tmp_path, SynthConfig(documents=1000, shards=1, seed=0))
    assert pl.read_parquet(samples / "synthetic.parquet").equals(regenerated.documents)
    assert json.loads((samples / "synthetic.truth.json").read_text()) == json.loads(json.dumps(regenerated.truth))
    wiki = pl.read_parquet(samples / "wiki-sample.parquet")
    assert wiki.columns == ["id", "title", "url", "text"] and wiki.height == 18
