"""birth_place: where a person was born ("born in Hodgenville", "a native of Kentucky", "Russian-born")."""

from singleton.categories.base import Category

BIRTH_PLACE = Category(
    name="birth_place",
    description="a person's place of birth",
    rule="place",
    error_space=1000,
    trigger=r"\bborn\b|-born\b|\bnative of\b|\bbirthplace\b",
)
