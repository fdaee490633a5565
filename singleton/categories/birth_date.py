"""birth_date: when a person was born ("born on 12 February 1809", "(1809–1865)", "(b. 1809)")."""

from singleton.categories.base import Category

BIRTH_DATE = Category(
    name="birth_date",
    description="a person's date of birth",
    rule="date",
    error_space=364,
    trigger=r"\bborn\b|\bb\.|\bbirth|\(",
)
