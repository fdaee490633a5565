"""Vectorised candidate selection: only sentences that can state a fact of an enabled category reach spaCy."""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from singleton.categories.base import Category

MAX_SENTENCE_CHARS = 1200
"""A longer "sentence" (a table, a list, junk without full stops) is cut into windows around its cues."""

WINDOW_CHARS = 400
"""An over-long sentence is cut into chunks of this size; a cued chunk is sent with one chunk either side."""

MAX_WINDOW_CHARS = 2 * MAX_SENTENCE_CHARS
"""The longest piece of an over-long sentence sent to spaCy (far below its 1,000,000-character limit)."""

SEAM_CHARS = 60
"""Text either side of a chunk boundary also tested, so a cue cut in two by the boundary is not lost."""

_ABBREVIATION = (
    r"\b([A-Za-z]|St|Dr|Mr|Mrs|Ms|Mx|Jr|Sr|Prof|Gen|Col|Capt|Lt|Maj|Sgt|Adm|Rev|Gov|Sen|Rep|Hon|Mt|Ft|No|Nos|Vol"
    r"|vs|etc|ca|fl|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Co|Corp|Inc|Ltd|Bros|Ave|Univ)\."
)
"""Full stops that end an abbreviation ("b.", "c.", "St.", "Jr.", initials), not a sentence."""

_PROTECTED_DOT = "\x01"
_BOUNDARY = r"([.!?]+[\"'”’)\]]*[^\S\n]+)([\"“‘]?[A-Z])"
"""A sentence ends at . ! or ? (after closing quotes or brackets) followed by space and a capital."""

_CUT = "\x00"

CANDIDATE_SCHEMA = {
    "row": pl.UInt32,
    "sentence": pl.UInt32,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "categories": pl.List(pl.String),
    "lead": pl.Boolean,
}
"""One candidate sentence: input row, sentence number in the document, character span, text, the categories
cued in it (none for a context sentence), and whether it is the document's first sentence."""

_PRONOUN = r"(?i)(?-u:\b)(?:he|she|his|her|him)(?-u:\b)|(?-u:\b)[Tt]he [a-z]+ (?:was born|died|passed away)"
"""Candidates with a pronoun or a description ("The poet died …") need the document's first sentence, which
usually names the person and says what they were."""


_UNICODE_BOUNDARY = re.compile(r"(?<!\\)\\b")


def _fast(pattern: str) -> str:
    """ASCII word boundaries: a Unicode `\\b` keeps Rust's regex off its DFA (25× slower on real text)."""
    return _UNICODE_BOUNDARY.sub(lambda _: r"(?-u:\b)", pattern)


def trigger_pattern(category: Category, engine: str = "polars") -> str:
    """The category's trigger as a case-insensitive regex for Polars (Rust `regex`) or Python `re`."""
    pattern = f"(?i)(?:{category.trigger})"
    return _fast(pattern) if engine == "polars" else pattern


def needs_pattern(category: Category) -> str | None:
    """The category's second condition (e.g. "a digit" for dates), case-insensitive, or None."""
    return _fast(f"(?i)(?:{category.needs})") if category.needs else None


def _cued(category: Category, column: pl.Expr) -> pl.Expr:
    """True where the text could state a fact of this category: trigger (and its second condition) match."""
    expression = column.str.contains(trigger_pattern(category))
    needs = needs_pattern(category)
    return expression if needs is None else expression & column.str.contains(needs)


def _split_sentences(text: pl.Expr) -> pl.Expr:
    """Each text as a list of sentences whose lengths add up to the text's (so offsets are cumulative sums)."""
    return (
        text.str.replace_all(_fast(_ABBREVIATION), "${1}" + _PROTECTED_DOT)
        .str.replace_all(_BOUNDARY, "${1}" + _CUT + "${2}")
        .str.replace_all("\n", "\n" + _CUT, literal=True)
        .str.split(_CUT)
    )


def sentences(docs: pl.DataFrame, text_column: str = "text") -> pl.DataFrame:
    """Every sentence of every document with its span: `row`, `sentence`, `start`, `end`, `text` (vectorised)."""
    rows = docs.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), pl.col(text_column).alias("text"))
    return _sentences_of(rows)


def _sentences_of(rows: pl.DataFrame) -> pl.DataFrame:
    """Split the `text` of a (`row`, `text`) frame into sentences with their character spans."""
    split = rows.select("row", _split_sentences(pl.col("text").fill_null("")).alias("text")).explode("text")
    length = pl.col("text").str.len_chars().cast(pl.Int64)
    return split.with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).over("row").alias("sentence"),
        (length.cum_sum().over("row") - length).alias("start"),
    ).select(
        "row",
        "sentence",
        "start",
        (pl.col("start") + length).alias("end"),
        pl.col("text").str.replace_all(_PROTECTED_DOT, ".", literal=True),
    )


def _windows(text: str, union: str) -> list[tuple[int, int]]:
    """Spans (offsets in `text`, in order, never overlapping) around the cues of an over-long sentence: the text is
    cut into chunks and seams between chunks, both tested at once in Polars; each cued chunk gets WINDOW_CHARS
    either side. Neighbouring windows merge up to MAX_WINDOW_CHARS, so a text cued all along (junk, tables) is
    parsed in pieces spaCy accepts rather than whole."""
    size = WINDOW_CHARS
    starts = range(0, len(text), size)
    chunks = pl.Series([text[offset : offset + size] for offset in starts], dtype=pl.String)
    seams = pl.Series([text[max(0, offset - SEAM_CHARS) : offset + SEAM_CHARS] for offset in starts], dtype=pl.String)
    cued = chunks.str.contains(union) | seams.str.contains(union) | seams.shift(-1).fill_null("").str.contains(union)
    spans: list[tuple[int, int]] = []
    for index in cued.arg_true():
        lo, hi = max(0, index * size - size), min(len(text), (index + 2) * size)
        if spans and lo <= spans[-1][1]:
            if hi - spans[-1][0] <= MAX_WINDOW_CHARS:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def _cut_long(candidates: pl.DataFrame, categories: Sequence[Category]) -> pl.DataFrame:
    """Replace each over-long candidate by windows around its cues, re-checking each window's categories."""
    long = candidates.filter(pl.col("text").str.len_chars() > MAX_SENTENCE_CHARS)
    if long.is_empty():
        return candidates
    union = _union(categories)
    rows = []
    for row, sentence, start, text in long.select("row", "sentence", "start", "text").iter_rows():
        for lo, hi in _windows(text, union):
            rows.append((row, sentence, start + lo, start + hi, text[lo:hi]))
    windows = pl.DataFrame(rows, schema=["row", "sentence", "start", "end", "text"], orient="row")
    windows = windows.cast({"row": pl.UInt32, "sentence": pl.UInt32, "start": pl.Int64, "end": pl.Int64})
    windows = windows.with_columns(pl.lit(False).alias("lead"))
    return pl.concat(
        [candidates.filter(pl.col("text").str.len_chars() <= MAX_SENTENCE_CHARS), _label(windows, categories)]
    )


def _union(categories: Sequence[Category]) -> str:
    """One regex matching wherever any category's trigger matches: the single pass over all text."""
    return "|".join(trigger_pattern(category) for category in categories)


def _label(frame: pl.DataFrame, categories: Sequence[Category]) -> pl.DataFrame:
    """Keep the sentences some category is cued in, with `categories`: the names of those categories."""
    cued = frame.filter(pl.col("text").str.contains(_union(categories)))
    flags = [pl.when(_cued(category, pl.col("text"))).then(pl.lit(category.name)) for category in categories]
    labelled = cued.with_columns(pl.concat_list(flags).list.drop_nulls().alias("categories"))
    return labelled.filter(pl.col("categories").list.len() > 0)


def candidate_sentences(docs: pl.DataFrame, categories: Sequence[Category], text_column: str = "text") -> pl.DataFrame:
    """The sentences (or windows of over-long ones) that can state a fact of an enabled category.

    A first pass drops documents without any trigger; only the rest are split into sentences.
    """
    if not categories or docs.is_empty():
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    texts = docs.select(pl.col(text_column).fill_null("").alias("text"))
    hit_rows = texts.with_row_index("row").filter(pl.col("text").str.contains(_union(categories)))
    if hit_rows.is_empty():
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    split = _sentences_of(hit_rows)
    first = pl.col("sentence").filter(pl.col("text").str.strip_chars() != "").min().over("row")
    split = split.with_columns((pl.col("sentence") == first).fill_null(False).alias("lead"))
    cued = _cut_long(_label(split, categories), categories)
    candidates = pl.concat([cued, _context(split, cued)], how="diagonal_relaxed")
    return candidates.sort("row", "start").select(list(CANDIDATE_SCHEMA)).cast(CANDIDATE_SCHEMA)  # type: ignore[arg-type]


def _context(split: pl.DataFrame, cued: pl.DataFrame) -> pl.DataFrame:
    """The first sentence (at most MAX_SENTENCE_CHARS of it) of each document whose candidates use a pronoun
    and whose first sentence is not a candidate already: resolution needs to know whom the document is about."""
    needing = (
        cued.group_by("row")
        .agg(pl.col("text").str.contains(_PRONOUN).any().alias("pronoun"), pl.col("lead").any().alias("has_lead"))
        .filter(pl.col("pronoun") & ~pl.col("has_lead"))
    )
    leads = split.filter(pl.col("lead")).join(needing.select("row"), on="row", how="semi")
    text = pl.col("text").str.slice(0, MAX_SENTENCE_CHARS)
    return leads.with_columns(
        text.alias("text"),
        (pl.col("start") + text.str.len_chars()).alias("end"),
        pl.lit([], dtype=pl.List(pl.String)).alias("categories"),
    )
