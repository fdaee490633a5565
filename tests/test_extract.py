"""Extraction with the real spaCy model: every phrasing the issue names, subject resolution, hard negatives,
IDK statements, bad input and the facts table's contract. All documents go through one `extract` call."""

from __future__ import annotations

import random

import polars as pl
import pytest

from singleton.categories import builtin_categories, select
from singleton.errors import SingletonError
from singleton.extract import Extractor
from singleton.schema import FACTS_SCHEMA, IDK

pytestmark = pytest.mark.slow

Fact = tuple[str, str, str]
"""(category, subject_key, object_key)"""

DOCS: dict[str, str] = {
    # phrasings
    "born_on_in": "Mary Jones was born on 3 May 1901 in Leeds, England. She was a nurse.",
    "born_in_on": "Peter Brown was born in Cork on March 2, 1850, to a farming family.",
    "born_fronted": "Born in Hodgenville, Kentucky, on February 12, 1809, Abe Linc grew up on the frontier.",
    "born_paren": "Alain Connes (born 1 April 1947) is a French mathematician.",
    "born_b": "Their friend Otto Weber (b. 1890) painted the house.",
    "born_paren_place": "His son, Albert Sidney Jr. (born in Texas), joined the army.",
    "span_days": "Allan Dwan (3 April 1885 – 28 December 1981) was a film director.",
    "span_years": "Henry David Thoreau (1817–1862) was an important early influence.",
    "span_bc": "Aristotle (384–322 BC) was a Greek philosopher.",
    "span_circa": "The painter Jan van Eyck (c. 1390 – 1441) worked in Bruges.",
    "died_on_in": "Andrei Tarkovsky died in Paris on 29 December 1986.",
    "died_relative": "Emily Clark, who died in Boston in 1899, left a large estate.",
    "died_fronted": "In 1955, Maria Nys died of cancer.",
    "died_conj": 'Thomas "Tad" Lincoln was born on April 4, 1853, and died on July 16, 1871.',
    "death_noun": (
        "Following Lawrence's death in 1930, his letters were edited. "
        "The death of his son Willie in February 1862 hurt."
    ),
    "origin_adj": (
        "The Russian-born director Wladyslaw Starewicz made puppet films. Albert Camus was an Algerian-born author."
    ),
    "native_of": "The poet Arseny Tarkovsky, a native of Kirovohrad, Ukraine, wrote verse.",
    "birthplace": (
        "Stratford-upon-Avon was the birthplace of William Shakespeare. Asia was the birthplace of religions."
    ),
    "gapping": "Robert Todd Lincoln was born in 1843 and Edward Baker Lincoln in 1846.",
    "raised": "Saul Bellow was born and raised in Lachine, Quebec.",
    "aged": "Wolfgang Mozart died on 5 December 1791, aged 35, in Vienna.",
    "ancient": "Augustus (63 BC – AD 14) was the first emperor. Socrates (c. 470 – 399 BC) taught in Athens.",
    "old_style": "Ayn Rand (born Alisa Rosenbaum; February 2 [O.S. January 21], 1905 – March 6, 1982) was a writer.",
    "alias": "Road Warrior Animal (born 1960), the best-known ring persona of Joe Laurinaitis, retired.",
    "where": "The Lincoln Memorial, Ford's Theatre and Petersen House (where Abraham Lincoln died) draw crowds.",
    "fronted_place": "While in Athens, his wife Pythias died and Aristotle left.",
    # subject resolution
    "resolution": (
        "Abraham Lincoln (February 12, 1809 – April 15, 1865) was an American lawyer. He was a president. "
        "Born in Hodgenville, Kentucky, Lincoln grew up on the frontier. He died in Washington, D.C. "
        "She died at the age of 22 on August 25, 1835. His father Thomas moved often."
    ),
    "no_person": "The town grew quickly. He was born in 1950 in Leeds. She died in 2001 in York.",
    "idk": "Thomas Smith (died 1701) was an English sailor. His date of birth is unknown.",
    # hard negatives
    "war": "World War I (1914–1918) changed the movement. The Spanish Civil War (1936–1939) followed.",
    "office": "Governors were Steve Windom (1999–2003) and others. He was President of France (1981–1995).",
    "reign": "Queen Victoria (r. 1837–1901) ruled long. Henry VIII reigned 1509–1547.",
    "toll": "More than 100,000 people are thought to have died. In 1990, 200 soldiers died in Paris.",
    "birth_rate": "The birth rate fell to 1.2 births per woman in 2010. It marked the birth of anarchism in 1840.",
    "relative": "Aldous Huxley wrote a lot. In 1962, a year before his death, he was elected to the society.",
    "no_year": "Their son, Andrei Tarkovsky, was born in the same year on 7 August.",
    "animal": "The aardvark is born with incisors. The staifi music is born in Setif.",
    "work": "The journal Lucifer the Lightbearer (1883–1907) was edited by Moses Harman.",
    "series": "Fat Albert (1972–1985), an animated television series, was popular.",
}


@pytest.fixture(scope="module")
def extractor(nlp) -> Extractor:  # type: ignore[no-untyped-def]
    return Extractor(builtin_categories())


@pytest.fixture(scope="module")
def extracted(extractor: Extractor) -> pl.DataFrame:
    docs = pl.DataFrame({"doc_id": list(DOCS), "text": list(DOCS.values())})
    return extractor.extract(docs)


def facts(extracted: pl.DataFrame, doc_id: str) -> set[Fact]:
    rows = extracted.filter(pl.col("doc_id") == doc_id).select("category", "subject_key", "object_key")
    return set(rows.iter_rows())


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("born_on_in", {("birth_date", "mary jones", "1901-05-03"), ("birth_place", "mary jones", "leeds, england")}),
        ("born_in_on", {("birth_date", "peter brown", "1850-03-02"), ("birth_place", "peter brown", "cork")}),
        (
            "born_fronted",
            {("birth_date", "abe linc", "1809-02-12"), ("birth_place", "abe linc", "hodgenville, kentucky")},
        ),
        ("born_paren", {("birth_date", "alain connes", "1947-04-01")}),
        ("born_b", {("birth_date", "otto weber", "1890")}),
        ("born_paren_place", {("birth_place", "albert sidney jr", "texas")}),
        ("span_days", {("birth_date", "allan dwan", "1885-04-03"), ("death_date", "allan dwan", "1981-12-28")}),
        ("span_years", {("birth_date", "henry david thoreau", "1817"), ("death_date", "henry david thoreau", "1862")}),
        ("span_bc", {("birth_date", "aristotle", "-0384"), ("death_date", "aristotle", "-0322")}),
        ("span_circa", {("birth_date", "jan van eyck", "1390"), ("death_date", "jan van eyck", "1441")}),
        (
            "died_on_in",
            {("death_date", "andrei tarkovsky", "1986-12-29"), ("death_place", "andrei tarkovsky", "paris")},
        ),
        ("died_relative", {("death_date", "emily clark", "1899"), ("death_place", "emily clark", "boston")}),
        ("died_fronted", {("death_date", "maria nys", "1955")}),
        (
            "died_conj",
            {("birth_date", "thomas tad lincoln", "1853-04-04"), ("death_date", "thomas tad lincoln", "1871-07-16")},
        ),
        ("death_noun", {("death_date", "lawrence", "1930"), ("death_date", "willie", "1862-02")}),
        ("origin_adj", {("birth_place", "wladyslaw starewicz", "russia"), ("birth_place", "albert camus", "algeria")}),
        ("native_of", {("birth_place", "arseny tarkovsky", "kirovohrad, ukraine")}),
        ("birthplace", {("birth_place", "william shakespeare", "stratford-upon-avon")}),
        ("gapping", {("birth_date", "robert todd lincoln", "1843"), ("birth_date", "edward baker lincoln", "1846")}),
        ("raised", {("birth_place", "saul bellow", "lachine, quebec")}),
        ("aged", {("death_date", "wolfgang mozart", "1791-12-05"), ("death_place", "wolfgang mozart", "vienna")}),
        (
            "ancient",
            {
                ("birth_date", "augustus", "-0063"),
                ("death_date", "augustus", "0014"),
                ("birth_date", "socrates", "-0470"),
                ("death_date", "socrates", "-0399"),
            },
        ),
        ("old_style", {("birth_date", "ayn rand", "1905-02-02"), ("death_date", "ayn rand", "1982-03-06")}),
        ("alias", {("birth_date", "joe laurinaitis", "1960")}),
        ("where", {("death_place", "abraham lincoln", "petersen house")}),
        ("fronted_place", {("death_place", "pythias", "athens")}),
    ],
)
def test_phrasings(extracted: pl.DataFrame, doc_id: str, expected: set[Fact]) -> None:
    assert facts(extracted, doc_id) == expected


def test_circa_is_marked_and_the_key_stays_plain(extracted: pl.DataFrame) -> None:
    row = extracted.filter((pl.col("doc_id") == "span_circa") & (pl.col("category") == "birth_date")).row(0, named=True)
    assert (row["object"], row["object_key"], row["approx"]) == ("c. 1390", "1390", True)


def test_short_names_and_pronouns_resolve_to_the_documents_person(extracted: pl.DataFrame) -> None:
    rows = extracted.filter(pl.col("doc_id") == "resolution").select("category", "subject", "mention", "object_key")
    assert set(rows.iter_rows()) == {
        ("birth_date", "Abraham Lincoln", "Abraham Lincoln", "1809-02-12"),
        ("death_date", "Abraham Lincoln", "Abraham Lincoln", "1865-04-15"),
        ("birth_place", "Abraham Lincoln", "Lincoln", "hodgenville, kentucky"),
        ("death_place", "Abraham Lincoln", "He", "washington, d.c"),
    }  # "She died …" cannot be him: skipped rather than guessed


def test_a_known_as_name_is_the_persons_name(extractor: Extractor) -> None:
    text = (
        "Alexander III of Macedon (20 July 356 BC – 10 June 323 BC), commonly known as Alexander the Great, "
        "was a king. He was born in Pella in 356 BC."
    )
    found = extractor.extract(pl.DataFrame({"doc_id": ["a"], "text": [text]}))
    assert set(found.select("category", "subject", "mention", "object_key").iter_rows()) == {
        ("birth_date", "Alexander the Great", "Alexander III of Macedon", "-0356-07-20"),
        ("death_date", "Alexander the Great", "Alexander III of Macedon", "-0323-06-10"),
        ("birth_date", "Alexander the Great", "He", "-0356"),
        ("birth_place", "Alexander the Great", "He", "pella"),
    }


def test_pronouns_without_a_document_person_are_skipped(extracted: pl.DataFrame) -> None:
    assert facts(extracted, "no_person") == set()


def test_explicit_unknown_is_an_idk_observation(extracted: pl.DataFrame) -> None:
    assert facts(extracted, "idk") == {("death_date", "thomas smith", "1701"), ("birth_date", "thomas smith", IDK)}


@pytest.mark.parametrize(
    "doc_id", ["war", "office", "reign", "toll", "birth_rate", "relative", "no_year", "animal", "work", "series"]
)
def test_hard_negatives(extracted: pl.DataFrame, doc_id: str) -> None:
    assert facts(extracted, doc_id) == set()


def test_evidence_span_is_the_sentence(extracted: pl.DataFrame) -> None:
    text = DOCS["resolution"]
    for start, end in extracted.filter(pl.col("doc_id") == "resolution").select("start", "end").iter_rows():
        sentence = text[start:end].strip()
        assert sentence[0].isupper() and sentence.endswith(".")
    row = extracted.filter((pl.col("doc_id") == "resolution") & (pl.col("category") == "death_place")).row(
        0, named=True
    )
    assert (
        text[row["start"] : row["end"]].strip()
        == "He died in Washington, D.C. She died at the age of 22 on August 25, 1835."
    )


def test_facts_table_has_the_contract_schema_and_passes_columns_through(extractor: Extractor) -> None:
    docs = pl.DataFrame(
        {"doc_id": ["x", "y"], "text": ["Otto Weber (b. 1890) painted.", "nothing"], "domain": ["a.org", None]},
    ).with_columns(pl.Series("doc_hash", [7, 8], dtype=pl.UInt64))
    table = extractor.extract(docs).to_arrow()
    assert table.schema.names == FACTS_SCHEMA.names
    assert pl.from_arrow(table).schema == pl.from_arrow(FACTS_SCHEMA.empty_table()).schema  # type: ignore[union-attr]
    assert table.to_pylist()[0] | {"start": 0} == {
        "doc_id": "x", "domain": "a.org", "category": "birth_date", "subject": "Otto Weber", "mention": "Otto Weber",
        "object": "1890", "subject_key": "otto weber", "object_key": "1890", "approx": False, "start": 0,
        "end": 29, "doc_hash": 7, "evidence": "Otto Weber (b. 1890) painted.",
    }  # fmt: skip
    assert table.schema.names[-1] == "evidence" and table.schema.field("evidence").nullable
    empty = extractor.extract(docs.filter(pl.col("doc_id") == "y"))
    assert empty.height == 0 and empty.schema == pl.from_arrow(FACTS_SCHEMA.empty_table()).schema  # type: ignore[union-attr]


def test_bad_input_does_not_crash(extractor: Extractor) -> None:
    junk = b"\xff\xfe born \x00\x01 died (1800-1900) ((((".decode("utf-8", errors="replace")
    docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [None, "", junk, "\x00" * 50 + " died in Paris (("]})
    assert extractor.extract(docs).height == 0


def test_bytes_and_numbers_as_text(extractor: Extractor) -> None:
    raw = pl.DataFrame(
        {"doc_id": ["a", "b"], "text": [b"\xff\xfe Otto Weber (1890\xe2\x80\x931950) painted.", None]},
        schema={"doc_id": pl.String, "text": pl.Binary},
    )
    assert extractor.extract(raw).select("doc_id", "object_key").rows() == [("a", "1890"), ("a", "1950")]
    numbers = pl.DataFrame({"doc_id": [1, 2], "text": [12, None]})
    assert extractor.extract(numbers).height == 0


def test_document_longer_than_spacys_limit(extractor: Extractor) -> None:
    filler = "Lorem ipsum dolor sit amet. " * 40_000
    text = filler + "Otto Weber (1890–1950) was a painter. " + filler
    assert len(text) > extractor.nlp.max_length
    found = extractor.extract(pl.DataFrame({"doc_id": ["long"], "text": [text]}))
    assert set(found.select("category", "object_key").iter_rows()) == {("birth_date", "1890"), ("death_date", "1950")}
    start, end = found.row(0, named=True)["start"], found.row(0, named=True)["end"]
    assert text[start:end] == "Otto Weber (1890–1950) was a painter. "


def test_categories_select_what_is_extracted(nlp) -> None:  # type: ignore[no-untyped-def]
    docs = pl.DataFrame({"doc_id": ["a"], "text": [DOCS["born_on_in"]]})
    found = Extractor(select(["birth_place"])).extract(docs)
    assert found.select("category", "object_key").rows() == [("birth_place", "leeds, england")]


def test_a_model_that_cannot_load_is_a_user_error() -> None:
    with pytest.raises(SingletonError) as error:
        Extractor(builtin_categories(), model="no_such_model_xyz")
    assert error.value.code == "E010"


def test_word_soup_with_every_cue_never_crashes(extractor: Extractor) -> None:
    """Random mixtures of cue words, names, dates and punctuation (junk web text) go through without an error."""
    rng = random.Random(7)
    vocabulary = (
        "born died ( ) (b. (d. – - ; , Born his her death birth in at on 1809 1865) BC c. where native of -born "
        "Russian-born unknown date He She (born [ ] . John Smith Mary and was is the a 12 February March Paris "
        "who , '' \" Jr. St. né née (; ?"
    ).split() + ["\n"]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 60))) for _ in range(150)]
    found = extractor.extract(pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts}))
    for doc_id, start, end, key in found.select("doc_id", "start", "end", "object_key").iter_rows():
        assert 0 <= start < end <= len(texts[int(doc_id)]) and key
