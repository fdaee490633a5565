"""Build the held-out-like check set (articles.parquet + gold.jsonl, the wiki-dev format) from `source.txt`.

    python benchmarks/heldout_like/build.py [DIR]

DIR (default: this folder) holds `source.txt` and receives `articles.parquet` and `gold.jsonl`; `blind/` is the
part written after the extractor was last changed, to be scored and never tuned on.

`source.txt` is written to be read and reviewed by people:

    # hl-001 | Title                        a new article (id | title)
    == Early life                           a section heading (a line of its own in the article)
    A sentence of the article.              one sentence per line; a blank line ends a paragraph
      bd | Subject | mention | 1809-02-12 | February 12, 1809 [| ~]
                                            a fact the sentence above states: bd/dd/bp/dp (birth/death
                                            date/place), subject (full name), mention ("=" for the subject
                                            itself), object (ISO date or place), the words as written, "~" circa
    ! A sentence with a cue and no fact.    a hard negative (listed in gold.jsonl with "facts": [])

Every fact is checked: its mention and words must be in its sentence, dates must be ISO at some precision.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from singleton.canonical import name_key  # noqa: E402

CATEGORIES = {"bd": "birth_date", "dd": "death_date", "bp": "birth_place", "dp": "death_place"}
PRECISION = {4: "year", 7: "month", 10: "day"}
_ISO = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class Article:
    """One article as written in the source: its id, title, paragraphs and the gold records of its sentences."""

    doc_id: str
    title: str
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])
    records: list[dict] = field(default_factory=list)

    def text(self) -> str:
        """The article as plain text: sentences joined by spaces, paragraphs by a blank line."""
        return "\n\n".join(" ".join(p) if not p[0].startswith("\n") else p[0][1:] + "\n" + " ".join(p[1:])
                           for p in self.paragraphs if p)


def _fact(line: str, sentence: str, where: str) -> dict:
    """One fact line, checked against its sentence."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) not in (5, 6) or parts[0] not in CATEGORIES:
        raise ValueError(f"{where}: a fact is 'bd|dd|bp|dp | subject | mention | object | words [| ~]'")
    code, subject, mention, obj, written = parts[:5]
    mention = subject if mention == "=" else mention
    category = CATEGORIES[code]
    for words in (mention, written):
        if words not in sentence:
            raise ValueError(f"{where}: {words!r} is not in the sentence")
    if category.endswith("_date") and not _ISO.fullmatch(obj):
        raise ValueError(f"{where}: {obj!r} is no ISO date")
    explicit = set(name_key(mention).split()) <= set(name_key(subject).split())
    return {
        "category": category,
        "subject": subject,
        "mention": mention,
        "explicit": explicit,
        "object": obj,
        "object_text": written,
        "precision": PRECISION[len(obj.lstrip("-"))] if category.endswith("_date") else None,
        "approx": len(parts) == 6 and parts[5] == "~",
    }


def parse(source: str) -> list[Article]:
    """The articles of a source text, in order."""
    articles: list[Article] = []
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.rstrip()
        where = f"line {number}"
        if not line:
            if articles and articles[-1].paragraphs[-1]:
                articles[-1].paragraphs.append([])
        elif line.startswith("# "):
            doc_id, title = (part.strip() for part in line[2:].split("|"))
            articles.append(Article(doc_id, title))
        elif line.startswith("== "):
            articles[-1].paragraphs[-1].append("\n" + line[3:])
        elif line.startswith("  "):
            record = articles[-1].records[-1] if articles[-1].records else None
            if record is None or record["sentence"] != articles[-1].paragraphs[-1][-1]:
                record = {"doc_id": articles[-1].doc_id, "title": articles[-1].title,
                          "sentence": articles[-1].paragraphs[-1][-1], "facts": []}
                articles[-1].records.append(record)
            record["facts"].append(_fact(line, record["sentence"], where))
        else:
            negative = line.startswith("! ")
            sentence = line[2:] if negative else line
            articles[-1].paragraphs[-1].append(sentence)
            if negative:
                articles[-1].records.append(
                    {"doc_id": articles[-1].doc_id, "title": articles[-1].title, "sentence": sentence, "facts": []}
                )
    return articles


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    articles = parse((folder / "source.txt").read_text(encoding="utf-8"))
    ids = [article.doc_id for article in articles]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate article ids")
    for article in articles:
        for record in article.records:
            if record["sentence"] not in article.text():
                raise ValueError(f"{article.doc_id}: sentence not in the text: {record['sentence'][:60]}")
    pl.DataFrame(
        {
            "id": ids,
            "title": [article.title for article in articles],
            "url": [f"https://example.org/heldout-like/{article.doc_id}" for article in articles],
            "text": [article.text() for article in articles],
        }
    ).write_parquet(folder / "articles.parquet")
    records = [record for article in articles for record in article.records]
    with (folder / "gold.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    facts = [fact for record in records for fact in record["facts"]]
    by_category = {name: sum(f["category"] == name for f in facts) for name in CATEGORIES.values()}
    negatives = sum(not record["facts"] for record in records)
    print(f"{len(articles)} articles, {len(records)} gold sentences ({negatives} hard negatives), {len(facts)} facts: "
          f"{by_category}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
