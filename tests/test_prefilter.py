"""The vectorised prefilter: sentence spans, abbreviations, which sentences reach spaCy, long documents."""

from __future__ import annotations

import re

import polars as pl

from singleton.categories import builtin_categories, select
from singleton.prefilter import MAX_SENTENCE_CHARS, MAX_WINDOW_CHARS, candidate_sentences, sentences

TEXT = (
    "Abraham Lincoln (February 12, 1809 – April 15, 1865) was a lawyer. He lived in St. Louis, Mo. for a while. "
    "Dr. J. R. Smith (b. 1801) met him. The war (1861–1865) ended. His son Robert was born in 1843 in Springfield.\n"
    "Nothing here."
)


def test_sentence_spans_tile_the_text_and_respect_abbreviations() -> None:
    docs = pl.DataFrame({"doc_id": ["a"], "text": [TEXT]})
    split = sentences(docs)
    assert "".join(split["text"]) == TEXT  # the spans tile the document exactly
    for start, end, text in split.select("start", "end", "text").iter_rows():
        assert TEXT[start:end] == text
    stripped = [text.strip() for text in split["text"]]
    assert stripped[1] == "He lived in St. Louis, Mo. for a while."
    assert stripped[2] == "Dr. J. R. Smith (b. 1801) met him."
    assert len(stripped) == 6


def test_candidates_are_the_cued_sentences_with_their_categories() -> None:
    docs = pl.DataFrame({"doc_id": ["a"], "text": [TEXT]})
    found = candidate_sentences(docs, builtin_categories())
    by_text = {text.strip(): set(names) for text, names in found.select("text", "categories").iter_rows()}
    assert by_text[TEXT.split(" He lived")[0]] == {"birth_date", "death_date"}  # the life span
    assert by_text["Dr. J. R. Smith (b. 1801) met him."] == {"birth_date"}
    assert by_text["His son Robert was born in 1843 in Springfield."] == {"birth_date", "birth_place"}
    assert "The war (1861–1865) ended." not in by_text  # no name before the parenthesis
    assert "Nothing here." not in by_text
    brute = [s for s in re.split(r"(?<=[.])\s+(?=[A-Z])|\n", TEXT) if re.search(r"born|\(b\.|\d{4} – ", s)]
    assert len(found) == len(brute)


def test_only_enabled_categories_are_labelled() -> None:
    docs = pl.DataFrame({"doc_id": ["a"], "text": [TEXT]})
    found = candidate_sentences(docs, select(["death_place"]))
    assert found.is_empty()
    found = candidate_sentences(docs, select(["birth_place"]))
    assert found.filter(~pl.col("lead"))["categories"].to_list() == [["birth_place"]]
    assert found.filter(pl.col("lead"))["categories"].to_list() == [[]]  # context: "His son" needs the lead


def test_first_sentence_comes_along_as_context_for_pronouns() -> None:
    text = "Ada Smith was an English poet. She wrote a lot. She was born in 1815 in London."
    found = candidate_sentences(pl.DataFrame({"doc_id": ["a"], "text": [text]}), builtin_categories())
    assert found.select("text", "categories", "lead").rows() == [
        ("Ada Smith was an English poet. ", [], True),
        ("She was born in 1815 in London.", ["birth_date", "birth_place"], False),
    ]


def test_null_empty_and_junk_documents() -> None:
    docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [None, "", "\x00\x01 ((((( ))", "é" * 50]})
    assert candidate_sentences(docs, builtin_categories()).is_empty()
    assert candidate_sentences(docs.head(0), builtin_categories()).is_empty()


def test_over_long_sentences_become_windows_around_their_cues() -> None:
    filler = "lorem ipsum dolor sit amet " * 20_000  # 540,000 characters without a full stop
    text = (
        filler + "John Smith (1900–1980) painted, and " + filler + "Jane Roe was born in 1901 in Leeds, and " + filler
    )
    found = candidate_sentences(pl.DataFrame({"doc_id": ["a"], "text": [text]}), builtin_categories())
    assert len(found) == 2
    assert found["text"].str.len_chars().max() <= 3 * MAX_SENTENCE_CHARS
    for start, end, window in found.select("start", "end", "text").iter_rows():
        assert text[start:end] == window
    assert "John Smith (1900–1980)" in found["text"][0] and "Jane Roe was born in 1901 in Leeds" in found["text"][1]


def test_a_text_cued_all_along_is_cut_into_pieces_spacy_accepts() -> None:
    """Junk without full stops with a cue every line (3 MB): bounded, ordered, non-overlapping windows that cover
    every cue, instead of one merged 3 MB "window" beyond spaCy's limit."""
    line = "lorem ipsum dolor sit amet born in the city of Paris and died at home in Rome "
    text = line * (3_000_000 // len(line))
    found = candidate_sentences(pl.DataFrame({"doc_id": ["a"], "text": [text]}), builtin_categories())
    found = found.filter(pl.col("categories").list.len() > 0)  # not the first sentence sent as context
    spans = found.select("start", "end").rows()
    assert max(end - start for start, end in spans) <= MAX_WINDOW_CHARS
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:]))
    covered = sum(end - start for start, end in spans)
    assert covered >= len(text) - MAX_WINDOW_CHARS  # every cue is in some window
    for start, end, window in found.head(5).select("start", "end", "text").iter_rows():
        assert text[start:end] == window
