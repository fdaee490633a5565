"""An example plugin category, `baptism_date` ("William Shakespeare was baptised on 26 April 1564").

Use it without editing the package:

    singleton categories --plugin examples/plugin_category.py
    singleton scan corpus/ --out run/ --plugin examples/plugin_category.py --categories birth_date,baptism_date

A category is one small unit: the regex the prefilter runs over whole text columns, the cue logic run on the
few sentences that survive it (here a ready-made finder from `singleton.cues`), and the canonicaliser of its
objects. See docs/categories.md.
"""

from singleton import cues
from singleton.canonical import date_key
from singleton.categories.base import Category

BAPTISM_DATE = Category(
    name="baptism_date",
    description="the date a person was baptised or christened",
    rule="date",
    error_space=364,
    trigger=r"\bbapti[sz]ed\b|\bchristened\b",
    needs=r"\d",
    finders=(cues.verb_cue(frozenset({"baptised", "baptized", "christened"}), "date"),),
    canonicalise=date_key,
)

CATEGORIES = [BAPTISM_DATE]
