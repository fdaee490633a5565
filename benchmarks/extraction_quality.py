"""Score `singleton extract` on hand-labelled real Wikipedia text (../shared/data/wiki-dev): precision, recall
and F1 per category and overall, by the dataset README's matching rules, plus the recall the prefilter costs.

    python benchmarks/extraction_quality.py [--set dev|heldout_like | --data DIR] [--half even|odd|all] [--show-errors]

`--set dev` (the default) is ../shared/data/wiki-dev, the set the extractor was developed on; `--set heldout_like`
is benchmarks/heldout_like (Wikipedia-style articles written and labelled independently of it, by the same
rules; see its README) and `--set heldout_blind` its part written after the extractor's last change. `--data DIR`
scores any directory holding `articles.parquet` and `gold.jsonl`.

Matching (README): per document and category, a fact is found when an extracted observation has the same
subject (the extracted name's tokens within the gold name's, case-folded) and the same object (the same date
at the gold precision; the same place up to case and a leading "the"). Observations and gold facts are
matched one to one (a multiset: a fact stated in two sentences must be found twice); an observation takes the
most precise gold fact it matches, so a day-precision date never uses up the year a bare year needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from singleton.canonical import name_key, place_key  # noqa: E402
from singleton.categories import builtin_categories  # noqa: E402
from singleton.extract import Extractor  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wiki-dev"
SETS = {
    "dev": DEFAULT_DATA,
    "heldout_like": ROOT / "benchmarks" / "heldout_like",
    "heldout_blind": ROOT / "benchmarks" / "heldout_like" / "blind",
}
"""Labelled sets by name: the development set, the independent check set, and its blind part (written after the
extractor was last changed, never tuned on)."""
CATEGORIES = ("birth_date", "death_date", "birth_place", "death_place")


def load_gold(data: Path) -> list[dict]:
    """Gold facts, one dict per fact, with the document id and the sentence it is stated in."""
    facts = []
    for line in (data / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for fact in record["facts"]:
            facts.append({**fact, "doc_id": record["doc_id"], "sentence": record["sentence"]})
    return facts


def same_subject(extracted: str, gold: str) -> bool:
    """The extracted name's tokens are within the gold name's, case-folded."""
    tokens = set(name_key(extracted).split())
    return bool(tokens) and tokens <= set(name_key(gold).split())


def same_object(category: str, extracted: str, gold: str) -> bool:
    """Dates: equal at the gold precision; places: equal up to case and a leading "the"."""
    if category.endswith("_date"):
        return len(extracted) >= len(gold) and extracted[: len(gold)] == gold
    return place_key(extracted) == place_key(gold)


def match(facts: pl.DataFrame, gold: list[dict]) -> tuple[dict[str, list[int]], list[dict], list[dict]]:
    """Per category [true positives, extracted, gold], the unmatched extracted rows and the missed gold facts."""
    counts: dict[str, list[int]] = {category: [0, 0, 0] for category in CATEGORIES}
    pending: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for fact in gold:
        pending[(fact["doc_id"], fact["category"])].append(fact)
        counts[fact["category"]][2] += 1
    false_positives = []
    for row in facts.iter_rows(named=True):
        if row["category"] not in counts:
            continue
        counts[row["category"]][1] += 1
        candidates = pending[(row["doc_id"], row["category"])]
        hits = [
            fact
            for fact in candidates
            if same_subject(row["subject"], fact["subject"])
            and same_object(row["category"], row["object_key"], fact["object"])
        ]  # the most precise gold fact first: "1906-04-19" must not use up the "1906" a bare year could match
        hit = max(hits, key=lambda fact: len(fact["object"]), default=None)
        if hit is None:
            false_positives.append(row)
        else:
            candidates.remove(hit)
            counts[row["category"]][0] += 1
    missed = [fact for remaining in pending.values() for fact in remaining]
    return counts, false_positives, missed


def scores(tp: int, extracted: int, gold: int) -> tuple[float, float, float]:
    precision = tp / extracted if extracted else 1.0
    recall = tp / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(counts: dict[str, list[int]]) -> dict[str, tuple[float, float, float]]:
    """Print P/R/F1 per category and overall; return them."""
    results = {}
    total = [0, 0, 0]
    print(f"{'category':<12} {'gold':>5} {'found':>6} {'tp':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for category, (tp, extracted, gold) in counts.items():
        results[category] = scores(tp, extracted, gold)
        total = [a + b for a, b in zip(total, (tp, extracted, gold))]
        print(f"{category:<12} {gold:>5} {extracted:>6} {tp:>4} " + " ".join(f"{v:6.3f}" for v in results[category]))
    results["overall"] = scores(*total)
    print(
        f"{'overall':<12} {total[2]:>5} {total[1]:>6} {total[0]:>4} "
        + " ".join(f"{v:6.3f}" for v in results["overall"])
    )
    return results


def select_half(articles: pl.DataFrame, half: str) -> pl.DataFrame:
    """Even or odd documents (by position), for tuning on one half and checking on the other."""
    if half == "all":
        return articles
    index = pl.int_range(pl.len())
    return articles.filter((index % 2) == (0 if half == "even" else 1))


def prefilter_loss(docs: pl.DataFrame, gold: list[dict], facts: pl.DataFrame) -> tuple[int, int, int]:
    """The recall the prefilter costs: the same extractor run on every sentence (a trigger that matches
    anything). Returns (true facts found with the prefilter, found on every sentence, found only there)."""
    everything = [replace(category, trigger=r"(?s).", needs="") for category in builtin_categories()]
    unfiltered = Extractor(everything).extract(docs)
    counts, _, missed = match(facts, gold)
    counts_everywhere, _, missed_everywhere = match(unfiltered, gold)
    key = lambda fact: (fact["doc_id"], fact["category"], fact["subject"], fact["object"], fact["sentence"])  # noqa: E731
    only_everywhere = {key(fact) for fact in missed} - {key(fact) for fact in missed_everywhere}
    found = sum(c[0] for c in counts.values())
    return found, sum(c[0] for c in counts_everywhere.values()), len(only_everywhere)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=tuple(SETS), default="dev", help="a labelled set by name")
    parser.add_argument("--data", type=Path, help="a labelled set's directory (overrides --set)")
    parser.add_argument("--half", choices=("all", "even", "odd"), default="all")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--no-prefilter-loss", action="store_true", help="skip the slow run over every sentence")
    args = parser.parse_args()

    data = args.data or SETS[args.set]
    articles = select_half(pl.read_parquet(data / "articles.parquet"), args.half)
    docs = articles.select(pl.col("id").alias("doc_id"), "text")
    gold = [fact for fact in load_gold(data) if fact["doc_id"] in set(docs["doc_id"])]
    extractor = Extractor(builtin_categories())
    facts = extractor.extract(docs)
    counts, false_positives, missed = match(facts, gold)
    print(f"{args.set if args.data is None else data} ({args.half}): {docs.height} articles, {len(gold)} gold facts")
    report(counts)
    if args.show_errors:
        print("\nfalse positives:")
        for row in false_positives:
            print(
                f"  {row['doc_id']} {row['category']}: {row['subject']!r} ({row['mention']!r})"
                f" = {row['object_key']!r} [{row['object']!r}]"
            )
        print("\nmissed:")
        for fact in missed:
            print(
                f"  {fact['doc_id']} {fact['category']}: {fact['subject']!r} = {fact['object']!r}"
                f" | {fact['sentence'][:140]}"
            )
    if not args.no_prefilter_loss:
        filtered, unfiltered, lost = prefilter_loss(docs, gold, facts)
        print(
            f"\nprefilter: {filtered} true facts found with it, {unfiltered} running on every sentence; "
            f"{lost} found only on every sentence: recall lost {lost / len(gold):.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
