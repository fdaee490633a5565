"""death_place: where a person died ("died in Washington, D.C.")."""

from singleton.categories.base import Category

DEATH_PLACE = Category(
    name="death_place",
    description="a person's place of death",
    rule="place",
    error_space=1000,
    trigger=r"\bdied\b|\bdeath\b",
)
