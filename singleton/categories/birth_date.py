"""birth_date: when a person was born ("born on 12 February 1809", "(1809–1865)", "(b. 1809)", "Born … in 1809")."""

from singleton import cues
from singleton.canonical import date_key
from singleton.categories.base import Category

BIRTH_DATE = Category(
    name="birth_date",
    description="a person's date of birth",
    rule="date",
    error_space=364,
    trigger=(
        rf"\bborn\b|\(\s*(?:[^()]{{0,40}}[;,]\s*)?b\.\s|\bbirth\s+(?:on|in|of)\b|(?:date|year) of birth|\bbirth\s?date"
        rf"|{cues.LIFE_SPAN_TRIGGER}"
    ),
    needs=r"\d|unknown|not known",
    finders=(
        cues.infobox("Born", "date"),
        cues.verb_cue(frozenset({"born"}), "date"),
        cues.paren_cue(("born", "b."), "date"),
        cues.life_span(0),
        cues.noun_cue(frozenset({"birth"}), "date"),
        cues.unknown("birth", "date"),
    ),
    canonicalise=date_key,
)
