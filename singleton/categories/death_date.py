"""death_date: when a person died ("died on 15 April 1865", "(1809–1865)", "(d. 1865)")."""

from singleton.categories.base import Category

DEATH_DATE = Category(
    name="death_date",
    description="a person's date of death",
    rule="date",
    error_space=364,
    trigger=r"\bdied\b|\bd\.|\bdeath|\(",
)
