"""Stable 64-bit keys (xxh3) for prompts, facts and documents: the same key on every machine and version.

Polars' own `.hash()` may change between releases, so keys are xxhash's xxh3_64 of a separator-joined
UTF-8 string. The separator is ASCII unit separator (0x1F), which canonical keys never contain.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl
import xxhash

SEPARATOR = "\x1f"
"""Joins the parts of a key before hashing: (category, subject_key[, object_key])."""

_WHITESPACE = re.compile(r"\s+")


def _xxh3_series(values: pl.Series) -> pl.Series:
    """xxh3_64 of each string (null stays null); one C call per value, no Python objects kept."""
    digest = xxhash.xxh3_64_intdigest
    return pl.Series(
        values.name,
        [None if value is None else digest(value) for value in values.cast(pl.Binary).to_list()],
        dtype=pl.UInt64,
    )


def key_hash(*parts: pl.Expr) -> pl.Expr:
    """xxh3_64 of the parts joined by SEPARATOR (null when any part is null): any stable 64-bit key."""
    return pl.concat_str(list(parts), separator=SEPARATOR).map_batches(_xxh3_series, return_dtype=pl.UInt64)


def prompt_hash(category: pl.Expr, subject_key: pl.Expr) -> pl.Expr:
    """The prompt key (category, subject_key): what the singleton count groups by (math.md §2)."""
    return key_hash(category, subject_key)


def fact_hash(category: pl.Expr, subject_key: pl.Expr, object_key: pl.Expr) -> pl.Expr:
    """The fact key (category, subject_key, object_key): one answer to one prompt."""
    return key_hash(category, subject_key, object_key)


def normalise_text(text: str) -> str:
    """The form two exact-duplicate documents share: NFKC, whitespace collapsed and stripped, case-folded."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def document_hash(texts: pl.Series) -> pl.Series:
    """xxh3_64 of each document's normalised text (null text → null), for duplicate-document statistics."""
    digest = xxhash.xxh3_64_intdigest
    return pl.Series(
        texts.name,
        [None if text is None else digest(normalise_text(text).encode()) for text in texts.to_list()],
        dtype=pl.UInt64,
    )
