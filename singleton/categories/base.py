"""What a fact category is: one small self-contained unit that the prefilter, extractor and counter read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Rule = Literal["date", "place", "equal"]
"""How two answers of one prompt are compared (math.md §5): date prefix, place suffix, or equality."""

DEFAULT_ERROR_SPACE: dict[Rule, int] = {"date": 364, "place": 1000, "equal": 1000}
"""min |E_c| when a category does not say: the paper's birthday case for dates; 1,000 places otherwise."""


@dataclass(frozen=True)
class Category:
    """A fact category: its name, how answers compare, its error space, and the regex that may start it."""

    name: str
    description: str
    rule: Rule
    error_space: int
    trigger: str
    """Regex (Rust `regex` syntax, case-insensitive) that any sentence stating such a fact must match."""


def rule_for_name(name: str) -> Rule:
    """The compatibility rule for a category we do not know: `*_date` dates, `*_place` places, else equality."""
    if name.endswith("_date"):
        return "date"
    if name.endswith("_place"):
        return "place"
    return "equal"
