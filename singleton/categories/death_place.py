"""death_place: where a person died ("died in Washington, D.C.", "his death in Paris")."""

from singleton import cues
from singleton.canonical import place_value
from singleton.categories.base import Category

DEATH_PLACE = Category(
    name="death_place",
    description="a person's place of death",
    rule="place",
    error_space=1000,
    trigger=(
        rf"{cues.DIED}{cues.PLACE_AFTER_TRIGGER}|{cues.place_before_trigger(cues.DIED)}"
        r"|\bdeath\s+(?:in|at)\s|place of death|(?-i:\bDied\s+(?:\d|[A-Z][a-z]+\s\d))"
    ),
    finders=(
        cues.infobox("Died", "place"),
        cues.verb_cue(cues.DEATH_VERBS, "place"),
        cues.paren_cue(("died", "d."), "place"),
        cues.noun_cue(frozenset({"death"}), "place"),
        cues.unknown("death", "place"),
    ),
    canonicalise=place_value,
)
