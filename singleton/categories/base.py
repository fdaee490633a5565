"""What a fact category is: one small self-contained unit that the prefilter, extractor and counter read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from singleton.cues import Observation
    from singleton.sentence import Sentence

Rule = Literal["date", "place", "equal"]
"""How two answers of one prompt are compared (math.md §5): date prefix, place suffix, or equality."""

DEFAULT_ERROR_SPACE: dict[Rule, int] = {"date": 364, "place": 1000, "equal": 1000}
"""min |E_c| when a category does not say: the paper's birthday case for dates; 1,000 places otherwise."""

Finder = Callable[["Sentence"], Iterable["Observation"]]
"""Cue logic: the observations one parsed sentence states (see `singleton.cues` for ready-made finders)."""

Canonicaliser = Callable[[str], "tuple[str, bool] | None"]
"""Object as found → (canonical key, circa); None when the value is no fact (e.g. a date without a year)."""


@dataclass(frozen=True)
class Category:
    """A fact category: its name, how answers compare, its error space, its trigger, and how to extract it."""

    name: str
    description: str
    rule: Rule
    error_space: int
    trigger: str
    """Regex (Rust `regex` syntax, case-insensitive) that any sentence stating such a fact must match."""
    needs: str = ""
    """A second regex the sentence must also match (e.g. a digit for dates); empty for none."""
    finders: tuple[Finder, ...] = ()
    """The cue logic run on each parsed candidate sentence; a category without finders is count-only."""
    canonicalise: Canonicaliser | None = None
    """Object → key; None means the object is already its key (case-folded)."""


def rule_for_name(name: str) -> Rule:
    """The compatibility rule for a category we do not know: `*_date` dates, `*_place` places, else equality."""
    if name.endswith("_date"):
        return "date"
    if name.endswith("_place"):
        return "place"
    return "equal"
