"""Canonical keys: names, dates (precision, BC, circa, no year), places and adjectives of origin."""

from __future__ import annotations

import pytest

from singleton.canonical import date_key, demonym_place, find_dates, name_key, place_key, place_value


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("February 12, 1809", ("1809-02-12", False)),
        ("12 February 1809", ("1809-02-12", False)),
        ("12th of February, 1809", ("1809-02-12", False)),
        ("Feb. 12, 1809", ("1809-02-12", False)),
        ("February 1809", ("1809-02", False)),
        ("Sept. 1809", ("1809-09", False)),
        ("1809", ("1809", False)),
        ("384 BC", ("-0384", False)),
        ("384 B.C.", ("-0384", False)),
        ("44 BCE", ("-0044", False)),
        ("AD 700", ("0700", False)),
        ("c. 1450", ("1450", True)),
        ("ca. 1450", ("1450", True)),
        ("circa 570 BC", ("-0570", True)),
        ("about 1800", ("1800", True)),
        ("somewhere between 1010 and 1013", ("1010", True)),
        ("20 March 1726/27", ("1727-03-20", False)),
    ],
)
def test_dates_become_iso_at_their_precision(written: str, key: tuple[str, bool]) -> None:
    assert date_key(written) == key


@pytest.mark.parametrize(
    "written",
    ["7 August", "April 15", "the same year", "3rd century BC", "the 1990s", "12", "100,000", "32 February 1900"],
)
def test_dates_without_a_year_are_no_facts(written: str) -> None:
    assert date_key(written) is None


def test_find_dates_spans_and_bare_years() -> None:
    text = "He was born on 4 April 1932 and died c. 1986; 272 words."
    found = find_dates(text)
    assert [(text[d.start : d.end], d.key, d.approx, d.bare_year) for d in found] == [
        ("4 April 1932", "1932-04-04", False, False),
        ("c. 1986", "1986", True, True),
        ("272", "0272", False, True),  # a bare number: the extractor decides from context whether it is a year
    ]


def test_find_dates_does_not_read_parts_of_numbers() -> None:
    assert find_dates("100,000 people and 3.1415 and 1999.5") == []


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Abraham Lincoln", "abraham lincoln"),
        ("Lincoln, Abraham", "abraham lincoln"),
        ("ABRAHAM  LINCOLN", "abraham lincoln"),
        ("Dr. Martin Luther King Jr.", "martin luther king jr"),
        ("King, Jr.", "king jr"),
        ("President Abraham Lincoln", "abraham lincoln"),
        ('Thomas "Tad" Lincoln', "thomas tad lincoln"),
        ("André-Marie Ampère", "andré marie ampère"),
        ("Lincoln's", "lincoln"),
        ("ﬁnn Smith", "finn smith"),  # NFKC: the ligature becomes "fi"
        ("Sir Isaac Newton PRS", "isaac newton"),
        ("John Smith, KBE", "john smith"),
        ("Henry VIII", "henry viii"),
        ("Barack Obama II", "barack obama ii"),
        ("JFK", "jfk"),
    ],
)
def test_name_keys(written: str, key: str) -> None:
    assert name_key(written) == key


def test_place_keys_fold_case_trim_and_drop_a_leading_the() -> None:
    assert place_key(" The Bronx, New York City. ") == "bronx, new york city"
    assert place_key("Hodgenville,\u00a0Kentucky") == "hodgenville, kentucky"
    assert place_value("Paris") == ("paris", False)
    assert place_value("  ") is None


def test_adjectives_of_origin_name_their_place() -> None:
    assert demonym_place("Russian") == "Russia"
    assert demonym_place("canadian") == "Canada"
    assert demonym_place("South African") == "South Africa"
    assert demonym_place("Texas") == "Texas"  # a place name is itself
