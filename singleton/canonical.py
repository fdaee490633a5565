"""Canonical keys: one fact, one key (DESIGN.md, Canonicalise) — names, dates at their precision, places."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from singleton.demonyms import DEMONYMS

# ---------------------------------------------------------------- names

HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sr sister hon honourable
    honorable president gen general col colonel capt captain lt lieutenant maj major sgt sergeant adm admiral
    gov governor sen senator rep representative judge justice saint st king queen prince princess emperor
    empress duke duchess count countess baron baroness pope sheikh rabbi imam""".split()
)
"""Titles dropped from name keys: they name a role, not the person (the paper's one surface form per fact)."""

GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "vi", "vii", "viii"})
_NAME_PUNCT = re.compile(r"[^\w\s]")


def _fold(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the common first step of every key."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_POSTNOMINAL = re.compile(r"(?:[\s,]+(?![IVXL]+\b)[A-Z](?:[A-Z]{1,4}|[A-Za-z]{1,3}[A-Z])\b\.?)+$")
"""Letters after a name ("Isaac Newton PRS", "John Smith, KBE", "… OM RRC DStJ"): honours, not part of the name; a regnal number
("Henry VIII", "Louis XIV") is."""


def postnominal_letters(text: str) -> bool:
    """Only honours' letters ("DBE", "OM RRC DStJ"): words that stand after a name without being part of it."""
    return bool(text.strip()) and _POSTNOMINAL.fullmatch(" " + text.strip()) is not None


def strip_postnominals(name: str) -> str:
    """The name without trailing post-nominal letters ("FRS", "KBE"); roman numerals stay ("Henry VIII")."""
    return _POSTNOMINAL.sub("", name) if " " in name.strip() else name


def name_key(name: str) -> str:
    """A person's canonical key: NFKC, case-folded, punctuation, honorifics and post-nominal letters dropped,
    "Last, First" reordered."""
    text = strip_postnominals(unicodedata.normalize("NFKC", name).strip())
    text = re.sub(r"['’]s$", "", text)
    head, comma, tail = text.partition(",")
    tail_words = tail.strip().rstrip(".").casefold().split()
    if comma and "," not in tail and tail_words and not set(tail_words) <= GENERATIONAL:
        text = f"{tail} {head}"  # "Lincoln, Abraham" -> "Abraham Lincoln"; "King, Jr." stays
    words = _NAME_PUNCT.sub(" ", text.replace("'", "").replace("’", "")).casefold().split()
    while len(words) > 1 and words[0] in HONORIFICS and not set(words[1:]) <= GENERATIONAL:
        words = words[1:]
    return " ".join(words)


# ---------------------------------------------------------------- places


def place_key(place: str) -> str:
    """A place's key: as written, NFKC, case-folded, trimmed, without a leading "the" or trailing punctuation."""
    text = _fold(place).strip(" \t.,;:")
    text = re.sub(r"^the\s+", "", text)
    return text


def demonym_place(word: str) -> str:
    """The place an adjective of origin names ("Russian" → "Russia"); a place name ("Texas") is itself."""
    return DEMONYMS.get(_fold(word), word)


# ---------------------------------------------------------------- dates

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_ERA = r"(?P<{n}>B\.?\s?C\.?(?:\s?E\.?)?|A\.?\s?D\.?|C\.?\s?E\.?)"
_CIRCA = (
    r"(?P<circa>(?:c\.|ca\.|circa|about|around|approximately|approx\.|roughly|some\s?time\s+(?:in|around)"
    r"|somewhere\s+between|between|probably|possibly)\s*)?"
)
_YEAR = r"(?P<{n}>\d{{1,4}})(?:/(?P<{n}dual>\d{{1,2}})(?!\d))?"
"""A year; "1726/27" (Old Style / New Style dual dating) is read as the New Style year, 1727."""
_NOT_NUMBER_BEFORE = r"(?<![\d,.\w/-])"
_NOT_NUMBER_AFTER = r"(?![\d\w%]|,\d|\.\d)"


def _group(template: str, name: str) -> str:
    return template.format(n=name)


_DATE_FORMS = [
    # 12 February 1809 / 12th of February, 1809
    _group(_DAY, "d1")
    + r"(?:\s+of)?\s+"
    + _group(_MONTH, "m1")
    + r",?\s+"
    + _group(_YEAR, "y1")
    + rf"(?:\s*{_group(_ERA, 'e1')})?",
    # February 12, 1809
    _group(_MONTH, "m2")
    + r"\s+"
    + _group(_DAY, "d2")
    + r",?\s+"
    + _group(_YEAR, "y2")
    + rf"(?:\s*{_group(_ERA, 'e2')})?",
    # February 1809
    _group(_MONTH, "m3") + r",?\s+" + _group(_YEAR, "y3") + rf"(?:\s*{_group(_ERA, 'e3')})?",
    # AD 700
    _group(_ERA, "e4") + r"\s*" + _group(_YEAR, "y4"),
    # 384 BC / 1809
    _group(_YEAR, "y5") + rf"(?:\s*{_group(_ERA, 'e5')})?",
]
DATE_RE = re.compile(
    _NOT_NUMBER_BEFORE + _CIRCA + r"(?:" + "|".join(f"(?:{form})" for form in _DATE_FORMS) + r")" + _NOT_NUMBER_AFTER,
    re.IGNORECASE,
)
"""A date at day, month or year precision, optionally circa-marked and with an era (Python `re`)."""

_BETWEEN_TAIL = re.compile(r"\s*(?:and|or|-|–|—)\s*\d{1,4}\b")


@dataclass(frozen=True)
class DateMention:
    """A date found in text: its character span, the words as written, the ISO key, and whether it is circa."""

    start: int
    end: int
    text: str
    key: str
    approx: bool
    bare_year: bool
    """Only a number ("1809"): a year only where the context says so (after "in", inside a life span...)."""
    era: str | None


def _iso(year: int, month: int | None, day: int | None, bc: bool) -> str | None:
    """ISO key at the stated precision; BC years negative and four digits (`-0384`); impossible dates None."""
    if year <= 0 or year > 2100 or (bc and year > 9999):
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    text = f"-{year:04d}" if bc else f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def _era_is_bc(era: str | None) -> bool:
    return era is not None and era.replace(".", "").replace(" ", "").upper().startswith("B")


def _mention(match: re.Match[str], offset: int = 0) -> DateMention | None:
    """Turn one DATE_RE match into a DateMention, or None when it is no calendar date."""
    groups = match.groupdict()
    for suffix in "12345":
        if groups.get(f"y{suffix}") is not None:
            break
    year_text = groups[f"y{suffix}"]
    month_text = groups.get(f"m{suffix}")
    day_text = groups.get(f"d{suffix}")
    era = groups.get(f"e{suffix}")
    bare = month_text is None and era is None
    if era is None and len(year_text) < 3:
        return None  # "in 12" and "April 15" have no year; "12 BC" has
    month = _MONTHS[month_text.rstrip(".").casefold()] if month_text else None
    dual = groups.get(f"y{suffix}dual")
    year = (
        int(year_text[: len(year_text) - len(dual)] + dual) if dual and len(dual) < len(year_text) else int(year_text)
    )
    key = _iso(year, month, int(day_text) if day_text else None, _era_is_bc(era))
    if key is None:
        return None
    circa = (groups.get("circa") or "").strip().casefold()
    end = match.end()
    if circa.endswith("between"):
        tail = _BETWEEN_TAIL.match(match.string, end)
        if tail is None:
            return None
        end = tail.end()
    elif circa in {"probably", "possibly"}:
        circa = ""  # a hedge on the whole statement, not a rounded date
    start = match.start() if circa else match.start() + len(groups.get("circa") or "")
    if era is not None and era.endswith(".") and "." not in era[:-1]:
        end -= 1  # "in 356 BC." ends the sentence; the era is "BC"
    return DateMention(
        start=start + offset,
        end=end + offset,
        text=match.string[start:end],
        key=key,
        approx=bool(circa),
        bare_year=bare,
        era=era,
    )


def find_dates(text: str) -> list[DateMention]:
    """Every calendar date in `text` with a year, left to right (dates without a year are no facts)."""
    found = []
    for match in DATE_RE.finditer(text):
        mention = _mention(match)
        if mention is not None:
            found.append(mention)
    return found


def date_key(text: str) -> tuple[str, bool] | None:
    """The ISO key of a date as written and whether it is circa; None when it has no year or is not a date."""
    text = text.strip()
    match = DATE_RE.fullmatch(text) or DATE_RE.match(text)
    if match is None:
        return None
    mention = _mention(match)
    return None if mention is None else (mention.key, mention.approx)


def place_value(place: str) -> tuple[str, bool] | None:
    """Canonicaliser of place categories: the place key (never circa); None for an empty place."""
    key = place_key(place)
    return (key, False) if key else None
