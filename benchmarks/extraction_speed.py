"""Words per second of `extract --workers 1` against the naive baseline of DESIGN.md, on the same real text in
the same run, with both recalls on the hand-labelled facts and the prefilter's survival rate.

    python benchmarks/extraction_speed.py [--data DIR] [--repeat 3]

Baseline (DESIGN.md): spaCy's full small English pipeline over every document; in each sentence containing
"born" or "died", the first PERSON entity paired with the first DATE and the first GPE entity (born → birth
date and place, died → death date and place), counted in a Python dict. Model loading is not timed for either.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import spacy  # noqa: E402
from extraction_quality import DEFAULT_DATA, load_gold, match  # noqa: E402

from singleton.canonical import date_key, name_key, place_key  # noqa: E402
from singleton.categories import builtin_categories  # noqa: E402
from singleton.extract import DEFAULT_MODEL, Extractor  # noqa: E402
from singleton.prefilter import candidate_sentences, sentences  # noqa: E402


def baseline(nlp: spacy.language.Language, docs: pl.DataFrame) -> tuple[pl.DataFrame, Counter[tuple[str, str, str]]]:
    """The naive extractor: the whole pipeline over every document, first PERSON + first DATE / GPE per cue."""
    counts: Counter[tuple[str, str, str]] = Counter()
    rows = []
    for doc_id, parsed in zip(docs["doc_id"], nlp.pipe(docs["text"].to_list(), batch_size=8)):
        for sentence in parsed.sents:
            words = {token.lower_ for token in sentence}
            first = {
                label: next((e.text for e in sentence.ents if e.label_ == label), None)
                for label in ("PERSON", "DATE", "GPE")
            }
            if first["PERSON"] is None:
                continue
            for cue, event in (("born", "birth"), ("died", "death")):
                if cue not in words:
                    continue
                date = date_key(first["DATE"]) if first["DATE"] else None
                found = [(f"{event}_date", date[0])] if date is not None else []
                found += [(f"{event}_place", place_key(first["GPE"]))] if first["GPE"] else []
                for category, key in found:
                    rows.append((doc_id, category, first["PERSON"], key))
                    counts[(category, name_key(first["PERSON"]), key)] += 1
    facts = pl.DataFrame(rows, schema=["doc_id", "category", "subject", "object_key"], orient="row")
    return facts, counts


def recall(facts: pl.DataFrame, gold: list[dict]) -> float:
    counts = match(facts, gold)[0]
    return sum(c[0] for c in counts.values()) / sum(c[2] for c in counts.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of our extractor (best counts)")
    args = parser.parse_args()

    docs = pl.read_parquet(args.data / "articles.parquet").select(pl.col("id").alias("doc_id"), "text")
    gold = load_gold(args.data)
    words = int(docs.select(pl.col("text").str.count_matches(r"\S+").sum()).item())
    categories = builtin_categories()

    extractor = Extractor(categories)
    extractor.extract(docs.head(1))  # warm-up: first-call allocations are not throughput
    ours = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        facts = extractor.extract(docs)
        ours.append(time.perf_counter() - started)

    nlp = spacy.load(DEFAULT_MODEL)
    list(nlp.pipe(docs["text"].head(1).to_list()))
    started = time.perf_counter()
    base_facts, _ = baseline(nlp, docs)
    base_seconds = time.perf_counter() - started

    candidates = candidate_sentences(docs, categories)
    all_sentences = sentences(docs).filter(pl.col("text").str.strip_chars() != "").height
    sent_chars = int(candidates["text"].str.len_chars().sum())
    total_chars = int(docs["text"].str.len_chars().sum())

    best = min(ours)
    print(f"text: {docs.height} Wikipedia articles, {words:,} words, {total_chars:,} characters")
    print(
        f"prefilter survival: {candidates.height} of {all_sentences:,} sentences "
        f"({candidates.height / all_sentences:.2%}), "
        f"{sent_chars / total_chars:.2%} of the characters"
    )
    print(f"ours (extract, 1 worker): {best:.3f} s  {words / best:,.0f} words/s  recall {recall(facts, gold):.3f}")
    print(
        f"baseline (full pipeline): {base_seconds:.3f} s  {words / base_seconds:,.0f} words/s"
        f"  recall {recall(base_facts, gold):.3f}"
    )
    print(f"speed-up: {base_seconds / best:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
