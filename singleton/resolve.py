"""Subject resolution within a document: short names and pronouns that clearly refer to the document's person
become its full name ("Lincoln", "He" → "Abraham Lincoln"); when unsure, the observation is skipped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from singleton.canonical import GENERATIONAL, HONORIFICS, name_key, strip_postnominals
from singleton.sentence import NAME_CONNECTORS, Subject

_CONNECTOR = "|".join(sorted(word for word in NAME_CONNECTORS if word.isalpha()))
_LEAD_NAME = (
    r"^\s*(?:[^\n(]{1,80}\n\s*)?"
    rf"((?:[A-Z][^\s(),;:]*[ \t]+(?:(?:{_CONNECTOR})[ \t]+){{0,3}}){{0,5}}[A-Z][^\s(),;:]*)"
    r"(?:,[ \t]+[A-Z][^\s(),;:]*(?:[ \t]+[A-Z][^\s(),;:]*){0,3})*"
    r"[ \t]*,?[ \t]*\([^()]*\d"
)
"""A document that opens "Full Name (… 1809 …)" (after at most a title line) is about that person
(encyclopaedia and obituary style); titles and letters may follow the name ("Dame X, Lady Mallowan, DBE (…")."""

_MALE = r"(?i)\b(?:he|his|him|himself)\b"
_FEMALE = r"(?i)\b(?:she|her|hers|herself)\b"
PRONOUN_SHARE = 3.0
"""A document's person has a gender when only its pronouns occur, or they outnumber the other's this many times."""


def document_profiles(texts: pl.Series) -> pl.DataFrame:
    """Per document (vectorised): the name its lead sentence opens with, and the dominant pronoun gender."""
    frame = pl.DataFrame({"text": texts.fill_null("")})
    male = pl.col("text").str.count_matches(_MALE)
    female = pl.col("text").str.count_matches(_FEMALE)
    return frame.select(
        pl.col("text").str.extract(_LEAD_NAME, 1).alias("lead_name"),
        pl.when(_dominates(male, female))
        .then(pl.lit("he"))
        .when(_dominates(female, male))
        .then(pl.lit("she"))
        .alias("gender"),
    )


def _dominates(one: pl.Expr, other: pl.Expr) -> pl.Expr:
    """One gender's pronouns are the document's: the only ones used, or PRONOUN_SHARE times as many (≥ 3)."""
    return ((other == 0) & (one > 0)) | ((one >= PRONOUN_SHARE * other) & (one >= 3))


_GENDER_OF = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she", "hers": "she"}


@dataclass
class DocumentPeople:
    """What a document says about who is who: its main person, their gender, and the full names it uses."""

    person: str | None = None
    gender: str | None = None
    names: set[str] = field(default_factory=set)
    lead_name: str | None = None
    """The name the document opens with, which may be longer than `person` ("Aldous Leonard Huxley")."""
    alias: str | None = None
    """Another name the lead gives the person ("Hendrik Johannes Cruijff, commonly known as Johan Cruyff")."""
    birth_name: str | None = None
    """The name the lead says the person was born with ("born Lij Tafari Makonnen", "née Miller")."""
    roles: set[str] = field(default_factory=set)
    """What the first sentence says the person is ("poet"): "The poet died …" is about them."""

    def set_person(self, lead_name: str, text: str) -> None:
        """The document `text` is about the person its first sentence introduces as `lead_name`: their common
        form is the document's name for them, and a "known as" name refers to them too."""
        self.lead_name, self.person = lead_name, common_form(lead_name, text)
        known = known_as(lead_name, text)
        self.alias = known[0] if known is not None else None
        self.birth_name = birth_name(lead_name, text)

    def add_names(self, names: Iterable[str]) -> None:
        """Remember full names (two words or more) the document uses, for resolving a lone "Edward"."""
        for name in names:
            if len(name_key(name).split()) >= 2:
                self.names.add(name)

    def resolve(self, subject: Subject) -> str | None:
        """The full name a subject refers to, or None when it cannot be told for sure."""
        owner = self._resolve_name(subject)
        if owner is None:
            return None
        return f"{subject.relation} of {owner}" if subject.relation else owner

    def _is_person(self, tokens: set[str]) -> bool:
        """Name words that are all the document's person's (in the name it goes by, its full lead name, or its
        birth name with a given name: "Tafari", "Agatha Mary Clarissa Miller" for "née Miller")."""
        if self.person is None or not tokens:
            return False
        if any(tokens <= set(name_key(name or "").split()) for name in (self.person, self.lead_name, self.alias)):
            return True
        born, lead = name_key(self.birth_name or "").split(), set(name_key(self.lead_name or self.person).split())
        given = set(born[:-1]) | lead  # the family name alone ("Byron" of "née Byron") is the parents' too
        return bool(given & tokens) and tokens <= set(born) | lead

    def _known(self, name: str) -> str | None:
        """A name spaCy did not call a person: only the document's person or a PERSON it names elsewhere."""
        tokens = set(name_key(name).split())
        if self._is_person(tokens):
            return self.person
        known = [known for known in self.names if tokens <= set(name_key(known).split())]
        return min(known, key=len) if len(known) == 1 else None

    def _resolve_name(self, subject: Subject) -> str | None:
        if subject.alias:
            return self.person or subject.name or None
        if subject.doubtful:
            return self._known(subject.name)
        if subject.described:
            return self.person if subject.name in self.roles else None
        if subject.pronoun:
            if self.person is not None and self.gender is not None and _GENDER_OF.get(subject.name) == self.gender:
                return self.person
            return None
        tokens = set(name_key(subject.name).split())
        if not tokens:
            return None
        if self._is_person(tokens):
            return self.person
        if len(tokens) > 1:
            return subject.name
        fuller = {name_key(name): name for name in self.names if tokens < set(name_key(name).split())}
        if len(fuller) == 1:
            return next(iter(fuller.values()))
        return subject.name if not fuller else None


_KNOWN_AS = re.compile(
    r"(?:\bor\s+simply\s+|\b(?P<how>(?:commonly|better|popularly|usually|widely|simply|also|mostly|generally)\s+)?known"
    r"(?:\s+(?:simply|popularly|commonly|mononymously|professionally|in\s+(?:the\s+)?\w+))?"
    r"\s+(?:as|by\s+(?:his|her|the)\s+(?:\w+\s+)?(?:nickname|name|pseudonym))\s+)"
    r"(?P<name>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:the\s+|of\s+|de\s+|von\s+|van\s+)?[A-Z][\w'’.-]*){0,4})"
    r"(?=\s*[,;.)]|\s*$|\s+(?:is|was|and|or)\b)"
)
"""A lead's "…, commonly known as Alexander the Great", "also known as Li Bo", "better known by his nickname
Pelé", "known in the West as Avicenna", "or simply Rumi": a name the person goes by (the common one unless it is
"also" known)."""

_BIRTH_NAME = re.compile(
    r"\((?:[^()]*?;\s*)?(?:born|née|nee)\s+"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:de\s+|da\s+|von\s+|van\s+)?[A-Z][\w'’.-]*){0,4})\s*[;,)]"
)
"""The lead's "(born Lij Tafari Makonnen; …", "(Ge'ez: …; born X; …", "(née Miller; …": the person's birth name."""

_SENTENCE_END = re.compile(r"(?<![\s.][A-Z])\.\s+(?=[A-Z\"“])")


def known_as(name: str, text: str) -> tuple[str, bool] | None:
    """The "known as" name of the document's first sentence, and whether it is the name the person commonly goes
    by (False for "also known as" and nicknames)."""
    end = _SENTENCE_END.search(text, len(name))
    known = _KNOWN_AS.search(text, 0, end.start() if end is not None else len(text))
    if known is None:
        return None
    common = known.group("how") is None or known.group("how").split()[0] != "also"
    return known.group("name"), common and " by " not in known.group(0)


def birth_name(name: str, text: str) -> str | None:
    """The birth name the document's first sentence gives its person, if any."""
    end = _SENTENCE_END.search(text, len(name))
    born = _BIRTH_NAME.search(text, 0, end.start() if end is not None else len(text))
    return born.group("name") if born is not None else None


def common_form(name: str, text: str) -> str:
    """The form of a person's name the document itself goes by: a common "known as" name sharing a word with the
    lead name, else the full lead name ("Aldous Leonard Huxley") or first and last name ("Aldous Huxley"),
    whichever the document uses more (the lead's own mention does not count)."""
    known = known_as(name, text)
    if known is not None and known[1] and set(name_key(known[0]).split()) & set(name_key(name).split()):
        return known[0]
    words = strip_postnominals(name).split()
    keys = [name_key(word) for word in words]
    first = next((i for i, key in enumerate(keys) if key and key not in HONORIFICS), None)
    last = next((i for i in range(len(keys) - 1, -1, -1) if keys[i] and keys[i] not in GENERATIONAL), None)
    if first is None or last is None or last - first < 2:
        return name
    short = f"{words[first]} {words[last]}"
    return short if short in text and text.count(short) >= text.count(name) - 1 else name
