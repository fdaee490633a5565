"""death_date: when a person died ("died on 15 April 1865", "(1809–1865)", "(d. 1865)", "his death in 1865")."""

from singleton import cues
from singleton.canonical import date_key
from singleton.categories.base import Category

DEATH_DATE = Category(
    name="death_date",
    description="a person's date of death",
    rule="date",
    error_space=364,
    trigger=(
        rf"{cues.DIED}|\(\s*(?:[^()]{{0,40}}[;,]\s*)?d\.\s|\bdeath\s+(?:on|in|of)\b|(?:date|year) of death|\bdeath\s?date"
        rf"|{cues.LIFE_SPAN_TRIGGER}"
    ),
    needs=r"\d|unknown|not known",
    finders=(
        cues.infobox("Died", "date"),
        cues.verb_cue(cues.DEATH_VERBS, "date"),
        cues.paren_cue(("died", "d."), "date"),
        cues.life_span(1),
        cues.noun_cue(frozenset({"death"}), "date"),
        cues.unknown("death", "date"),
    ),
    canonicalise=date_key,
)
