"""birth_place: where a person was born ("born in Hodgenville", "a native of Kentucky", "Russian-born")."""

from singleton import cues
from singleton.canonical import place_value
from singleton.categories.base import Category

BIRTH_PLACE = Category(
    name="birth_place",
    description="a person's place of birth",
    rule="place",
    error_space=1000,
    trigger=(
        rf"\bborn\b{cues.PLACE_AFTER_TRIGGER}|{cues.place_before_trigger('born')}|\bbirth\s+(?:in|at)\s"
        r"|(?-i:[A-Z][a-z]+)-born\b|\bnative of\b"
        r"|\bbirthplace\b|place of birth|(?-i:\bBorn\s+(?:\d|[A-Z][a-z]+\s\d))"
    ),
    finders=(
        cues.infobox("Born", "place"),
        cues.verb_cue(frozenset({"born"}), "place"),
        cues.paren_cue(("born", "b."), "place"),
        cues.origin_adjective(),
        cues.native_of(),
        cues.birthplace_of(),
        cues.noun_cue(frozenset({"birth"}), "place"),
        cues.unknown("birth", "place"),
    ),
    canonicalise=place_value,
)
