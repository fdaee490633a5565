"""Ready-made finders: tie a cue ("born", "died", "(1809–1865)", "Russian-born", "his death in") in a parsed
sentence to the person it is about and to its date or place. Categories are small combinations of these."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from singleton.canonical import (
    DateMention,
    date_key,
    demonym_place,
    find_dates,
    postnominal_letters,
)
from singleton.demonyms import DEMONYMS
from singleton.sentence import (
    KINSHIP,
    NOBLE_TITLES,
    NOT_PERSON_HEADS,
    OFFICE_TITLES,
    ORIGIN_LABELS,
    PLACE_HEADS,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    TENURE_NOUNS,
    Paren,
    Sentence,
    Subject,
    Want,
)

_DASH = re.compile(r"\s*[–—−]\s*|\s+-\s+|(?<=\d)-(?=\s*\d)|(?<=[A-Z.])-(?=\d)")
_BIRTH_NAME = re.compile(r"^(?:born|née|né)\s+[^,;–—−\d]+,\s*", re.IGNORECASE)
_OR_YEAR = re.compile(r"(?:\s+or\s+|/)\d{3,4}\s*$")
_YEAR_RANGE = re.compile(r"(\d{3,4})\s*")
_OR_DAY = re.compile(r"(?<!\d)\d{1,2}\s+or\s+\d{1,2}(?:\s+|,\s*(?=\d))")
"""Alternative days ("8 or 9 June 1924", "June 8 or 9, 1924"): the date is known to the month."""
_BETWEEN_YEARS = re.compile(r"between\s+(\d{1,4})\s+and\s+\d{1,4}\b")
"""A year between two ("between 183 and 181 BC"): the first, circa, as for "1817 or 1818"."""


def _birth_range(first: str, second: str) -> bool:
    """ "c. 350" and "370" of "(c. 350–370 – 415)", "570–560" BC: a range of birth years, no longer than a term (not
    "1304–1368")."""
    start, end = _YEAR_RANGE.search(first + " "), _YEAR_RANGE.fullmatch(second.strip() + " ")
    return (
        start is not None and end is not None and start.end() >= len(first.rstrip())
        and 0 < abs(int(end.group(1)) - int(start.group(1))) <= TERM_YEARS
    )


_UNKNOWN = re.compile(r"^\s*(?:unknown|\?|uncertain|unk\.?)\s*$", re.IGNORECASE)
_OLD_STYLE = r"(?:\s*\[[^\]]{0,40}\])?"
_SPAN_DATE = (
    r"(?:c\.\s*|ca\.\s*|circa\s+)?(?:ad\s*|a\.d\.\s*)?"
    rf"(?:(?:\d{{1,2}}\s+or\s+)?\d{{1,2}}\s+[a-z]{{3,9}}\.?{_OLD_STYLE},?\s+"
    rf"|[a-z]{{3,9}}\.?(?:\s+\d{{1,2}}(?:\s+or\s+\d{{1,2}})?{_OLD_STYLE})?,?\s+)?"
    r"\d{1,4}(?:/\d{1,4}|\s*[–-]\s*\d{1,4})?(?:\s+or\s+\d{3,4})?\s*(?:bc|bce|ad|ce|b\.c\.)?"
)
LIFE_SPAN_TRIGGER = (
    r"(?-i:[A-Z][^\s()]*),?\s*\((?:[^()]{0,80}[;,]\s*)?" + _SPAN_DATE + r"\s*(?:[–—−]|-)\s*(?:between\s+\d+\s+and\s+)?"
    + _SPAN_DATE + r"\s*\)"
)
"""Prefilter trigger of a life span: a capitalised word, then a parenthesis holding two dates (or years, with any
Old Style date in brackets) joined by a dash and nothing else (after any pronunciation left before a ";"); a death
"between 183 and 181 BC" (only there: the same choice in the birth part would make the prefilter four times slower)."""

DIED = r"\b(?:died|passed\s+away)\b"
"""The death verbs, as a trigger ("passed away" is a plain "died")."""

DEATH_VERBS = frozenset({"died", "passed away"})
"""The death verbs for `verb_cue` (a two-word cue is matched on its first word)."""

_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-ž]"
"""A capital letter in a trigger, Latin accented ones too ("Ōshū", "Łódź"; the class takes Latin Extended-A whole)."""

PLACE_AFTER_TRIGGER = (
    rf"[^;]{{0,150}}?\b(?:(?:in|at)\s+(?-i:(?:[a-z0-9][\w'’-]*,?\s+){{0,5}}{_CAPITAL})"
    r"|on\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?is(?:le|land)"
    rf"|on\s+(?-i:{_CAPITAL}))"
)
"""Follows a cue word in a place trigger: "in"/"at" and, within a few lower-case words, a capital; or "on" an
island or isle, or a name ("died on Everest")."""


def place_before_trigger(cue: str) -> str:
    """A place named before the cue: "While in Athens, his wife died", "the Sinking Spring farm, where he was born"."""
    return rf"\b(?:in|at)\s+(?-i:{_CAPITAL})[^;]{{0,80}}\b{cue}\b|\bwhere\b[^;]{{0,60}}\b{cue}\b"


LIFE_SPAN_YEARS = (10, 120)
"""A parenthesis after a name is a life span only if it covers 10–120 years (not a term of office)."""

TERM_YEARS = 30
"""After an office title, a parenthesis of fewer years is a term ("Chancellor Helmut Kohl (1982–1998)")."""

CLAIMS = frozenset({"claim", "claims", "claimed", "claiming", "pretended", "pretending"})
"""Verbs that make what they govern a claim, not a statement ("claimed to have been born in 1910")."""

AFFILIATION_PREPOSITIONS = frozenset({"for", "with", "at", "from", "against"})
"""Before a one-word name, these make it a club or a firm ("he played for Santos (1956–1974)")."""


@dataclass(frozen=True)
class Observation:
    """One fact statement found by a finder, before subject resolution and canonicalisation."""

    subject: Subject
    object: str
    """The value as written ("February 12, 1809", "Russian")."""
    value: str
    """What the category's canonicaliser reads ("Russia" for "Russian"; "384 BC" for the "384" of "384–322 BC")."""
    approx: bool = False
    idk: bool = False
    weak: bool = False
    """A weak reading (an adjective of origin): dropped when the sentence states the same kind of fact plainly."""


def _date_observation(subject: Subject, mention: DateMention) -> Observation:
    return Observation(subject=subject, object=mention.text, value=mention.text, approx=mention.approx)


def _place_observation(subject: Subject, place: Span | str) -> Observation:
    text = place if isinstance(place, str) else place.text
    return Observation(subject=subject, object=text, value=text)


# ---------------------------------------------------------------- finders (each returns a Finder)


def verb_cue(words: frozenset[str], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X was born on D in P", "Born in P, X …", "X, who died in P", "X … and died on D"."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        for token in sentence.doc:
            if not _is_cue(sentence, token, words) or (
                sentence.depth[token.i] > 0 and not _in_where_paren(sentence, token)
            ):
                continue
            if token.i > 0 and sentence.doc[token.i - 1].text == "-":
                continue  # "Russian-born" is an adjective of origin
            if _claimed(token):
                continue  # "she later claimed to have been born in 1910"
            subject = _birth_name(sentence, token) or sentence.subject_of(token)
            if subject is None:
                continue
            tail = sentence.clause_tail(token)
            if want == "date":
                mention = sentence.first_date(tail, asides=False) or sentence.fronted_date(token)
                if mention is not None:
                    yield _date_observation(subject, mention)
                    yield from _gapped(sentence, sentence.last_token(mention), want)
            else:
                place = sentence.first_place(tail) or sentence.fronted_place(token) or _where(sentence, token)
                if place is not None:
                    yield _place_observation(subject, place)
                    yield from _gapped(sentence, place.end - 1, want)

    return find


def _claimed(cue: Token) -> bool:
    """The cue is what a claim verb says ("claimed to have been born in 1910"), not a clause beside it."""
    head = cue
    while head.dep_ in {"xcomp", "ccomp"} and head.head.i != head.i:
        head = head.head
        if head.lower_ in CLAIMS:
            return True
    return False


def _is_cue(sentence: Sentence, token: Token, words: frozenset[str]) -> bool:
    """The token is a cue word, or the first word of a two-word cue ("passed away")."""
    if token.lower_ in words:
        return True
    following = sentence.doc[token.i + 1] if token.i + 1 < len(sentence.doc) else None
    return following is not None and f"{token.lower_} {following.lower_}" in words


def _in_where_paren(sentence: Sentence, cue: Token) -> bool:
    """The cue is inside "(where he died)" after a place name."""
    return any(
        paren.open < cue.idx < paren.close and paren.content.lstrip().lower().startswith("where ")
        for paren in sentence.parens
    )


def _where(sentence: Sentence, cue: Token) -> Span | None:
    """The place a "where" clause hangs on: "the Sinking Spring farm, where Abraham was born", "Petersen House
    (where he died)". The place is the proper name, with its common head noun when it has one."""
    if not any(child.lower_ == "where" for child in cue.children):
        return None
    if cue.dep_ == "relcl":
        noun = cue.head
    else:
        paren = next((p for p in sentence.parens if p.open < cue.idx < p.close), None)
        last = sentence.name_end_before(paren.open) if paren is not None else None
        noun = sentence.doc[last] if last is not None else None
    if noun is None or noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    if noun.pos_ == "PROPN":
        return sentence.chain_back(noun.i)
    if noun.i == 0 or not sentence.is_name_token(sentence.doc[noun.i - 1]):
        return None  # "the house where he was born" names no place
    return sentence.doc[sentence.chain_back(noun.i - 1).start : noun.i + 1]


def _gapped(sentence: Sentence, last: int, want: Want) -> Iterator[Observation]:
    """Coordinated statements that leave the verb out: "… born in 1843 and Edward Baker Lincoln (Eddie) in
    1846", "Sarah, born on February 10, 1807; Abraham, on February 12, 1809"."""
    doc = sentence.doc
    i = last + 1
    while i < len(doc):
        while i < len(doc) and doc[i].lower_ in {",", ";", "and"}:
            i += 1
        if i >= len(doc) or not sentence.is_name_token(doc[i]):
            return
        name = sentence.chain_forward(i)
        i = name.end
        if i < len(doc) and doc[i].text == "(":
            while i < len(doc) and doc[i].text != ")":
                i += 1
            i += 1
        if i < len(doc) and doc[i].text == ",":
            i += 1
        if i + 1 >= len(doc) or doc[i].lower_ not in {"in", "on"} or not sentence.person_name(name, strict=False):
            return
        subject = sentence.subject_from_name(name)
        if want == "date":
            mention = sentence.first_date(range(i + 1, i + 2))
            if mention is None:
                return
            yield _date_observation(subject, mention)
            i = sentence.last_token(mention) + 1
        else:
            place = sentence.place_after(i, skip=1)
            if place is None:
                return
            yield _place_observation(subject, place)
            i = place.end


_INFOBOX_LABELS = (
    r"Born|Died|Resting|Spouses?|Children|Parents|Relatives|Nationality|Occupations?|Genres?|Instruments?|Labels|"
    r"Years|Height|Weight|Playing|Position|Education|Alma|Known|Cause|Other|Signature|Website|Employer|Awards|Title"
)
_INFOBOX_PLACE = re.compile(
    r"\s*(?:\(aged\s+\d+\)\s*)?(?P<place>(?:(?!(?:" + _INFOBOX_LABELS + r")\b)[A-Z][\w'’.-]*(?:,?\s+|$))+)"
)


def infobox(marker: str, want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """A leftover infobox fragment, "Born 20 January 1888 Mooringsport, Louisiana Died 6 December 1949 (aged 61)
    New York City": "Born" and "Died" each directly followed by a date; it is the document's person's."""
    def find(sentence: Sentence) -> Iterator[Observation]:
        text = sentence.text
        starts: dict[str, tuple[int, DateMention]] = {}
        for label in ("Born", "Died"):
            match = re.search(rf"(?:^|\s){label}\s+", text)
            dates = find_dates(text[match.end() :]) if match else []
            if not dates or dates[0].start != 0:
                return
            starts[label] = (match.end(), dates[0])
        at, mention = starts[marker]
        subject = Subject(text=marker, name="", alias=True)
        if want == "date":
            yield _date_observation(subject, mention)
            return
        place = _INFOBOX_PLACE.match(text, at + mention.end)
        if place is not None and place.group("place").strip(" ,"):
            yield _place_observation(subject, place.group("place").strip(" ,"))

    return find


def _birth_name(sentence: Sentence, cue: Token) -> Subject | None:
    """ "Born Hans Peter Smolka in Vienna in 1912, he …": a sentence opening with a birth name."""
    following = sentence.doc[cue.i + 1] if cue.i + 1 < len(sentence.doc) else None
    if cue.i > 0 or cue.text != "Born" or following is None or not sentence.is_name_token(following):
        return None
    name = sentence.subject_from_name(sentence.chain_forward(following.i))
    return Subject(text=name.text, name=name.name, alias=True)


def paren_cue(markers: tuple[str, ...], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X (born D)", "X (b. D)", "X (born D in P)", "X (died D)", "X (d. D)", "X (born c. 350–370; died 415 AD)",
    "X (b. 1760, d. 1820)": the marker opens the parenthesis or a part of it after ";" or ","."""
    pattern = re.compile(
        r"(?:^|[;,])\s*(?:" + "|".join(re.escape(m) for m in markers) + r")\s+(?P<rest>[^;]*)", re.IGNORECASE
    )

    def find(sentence: Sentence) -> Iterator[Observation]:
        for paren in sentence.parens:
            for match in pattern.finditer(paren.content):
                found = _paren_value(sentence, paren.open + 1 + match.start("rest"), match.group("rest"), want)
                subject = _subject_before(sentence, paren, strict=False) if found is not None else None
                if subject is not None and found is not None:
                    yield Observation(subject=subject, object=found[0], value=found[0], approx=found[1])
                    break

    return find


def _paren_value(sentence: Sentence, start: int, rest: str, want: Want) -> tuple[str, bool] | None:
    """What follows a marker in a parenthesis: a date right after it, or a place after "in" (with its circa mark)."""
    if want == "date":
        mentions = [m for m in find_dates(rest) if m.start <= 2]
        return (mentions[0].text, mentions[0].approx) if mentions else None
    place = re.search(r"\bin\s+((?:the\s+)?[A-Z][^,;()]*(?:,\s*[A-Z][^,;()]*)*)", rest)
    if place is None:
        return None
    return sentence.text[start + place.start(1) : start + place.end(1)].strip(), False


_ALIAS_OF = re.compile(
    r"\s*,?\s*(?:(?:the|a|an|his|her)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:(?:ring|stage|pen|professional)\s+name|persona|pseudonym|alias)\s+(?:of|for|used by)\s+",
    re.IGNORECASE,
)
"""After "Name (born …)": ", the best-known ring persona of Joe Laurinaitis" — the name is an alias."""


def _alias_of(sentence: Sentence, paren: Paren) -> Subject | None:
    """The person an alias before a parenthesis stands for, named right after it."""
    match = _ALIAS_OF.match(sentence.text, paren.close)
    if match is None:
        return None
    after = sentence.doc.char_span(match.end(), len(sentence.text), alignment_mode="expand")
    for token in after if after is not None else []:
        if token.pos_ == "PROPN" and token.ent_type_ not in ORIGIN_LABELS and sentence.is_name_token(token):
            span = sentence.chain_forward(token.i)
            return sentence.subject_from_name(span) if sentence.person_name(span, strict=False) else None
    return None


def _described_as_thing(sentence: Sentence, paren: Paren) -> bool:
    """ "Fat Albert (1972–1985), an animated series", "Holkham Hall (1734–1764) is an 18th-century country house":
    the description after the parenthesis (apposition or predicate) is no person's."""
    after = sentence.doc.char_span(paren.close, min(len(sentence.text), paren.close + 80), alignment_mode="contract")
    if after is None or len(after) < 2 or after[0].lower_ not in {",", "is", "was"}:
        return False
    for token in after[1:]:
        if token.pos_ not in {"DET", "ADJ", "NOUN", "PROPN", "NUM"} and token.dep_ != "amod" and token.text != "-":
            return False  # the noun phrase ended ("…, who committed suicide after a depression")
        if token.pos_ == "NOUN" and token.dep_ != "compound":
            return token.lower_ in NOT_PERSON_HEADS  # its head noun: "a bank manager" is a person
    return False


_COUNTRIES = frozenset(DEMONYMS.values())
"""Places that end "City, Country" rather than a person's given names."""

_LIST_ENTRY_END = re.compile(r"\s*(?:[,.;:]|$)")
"""What follows the parenthesis of a list entry: its description after a comma, or nothing."""

_ERA_WORD = re.compile(r"\b(?:BC|BCE|AD|CE|B\.C\.)(?!\w)", re.IGNORECASE)


def _subject_before(sentence: Sentence, paren: Paren, strict: bool, min_words: int = 2) -> Subject | None:
    """The person named right before a parenthesis, if the words there are a person's name (or the person
    whose alias they are)."""
    alias = _alias_of(sentence, paren)
    if alias is not None:
        return alias
    if _described_as_thing(sentence, paren):
        return None
    span = _name_before(sentence, paren)
    inverted = _inverted_name(sentence, span, paren) if span is not None else None
    if inverted is not None:
        return inverted
    if span is None or _coordinated_with_thing(sentence, span):
        return None
    at_lead = sentence.lead and span.start_char <= 2
    named = (at_lead and sentence.person_name(span, strict=False)) or sentence.person_name(
        span, strict, min_words=min_words
    )
    if not named and at_lead and _introduced_as_person(sentence):
        named = sentence.person_name(span, strict=False, labels=False)
    if not named and not (_described_as_person(sentence, span, paren) and sentence.person_name(span, strict, False)):
        return None
    return sentence.subject_from_name(span)


def _inverted_name(sentence: Sentence, given: Span, paren: Paren) -> Subject | None:
    """ "Hals, Frans (c. 1582–1666), portraitist" opening a sentence or a list entry (after ":" or ";"): the
    surname, a comma and the given names before the parenthesis name "Frans Hals", whatever entities spaCy takes
    the bare words for."""
    doc = sentence.doc
    if given.start < 2 or doc[given.start - 1].text != "," or not sentence.is_name_token(doc[given.start - 2]):
        return None
    surname = sentence.chain_back(given.start - 2)
    opening = surname.start == 0 or doc[surname.start - 1].is_space or doc[surname.start - 1].text in {":", ";"}
    if not opening or len(surname) > 3 or len(given) > 3:
        return None
    if not _LIST_ENTRY_END.match(sentence.text, paren.close) or given.text in _COUNTRIES:
        return None  # "Paris, France (1900–1950) hosted …", "Berlin, Germany (1950–2000), an exhibition"
    if not (sentence.person_name(surname, False, labels=False) and sentence.person_name(given, False, labels=False)):
        return None
    return Subject(text=doc[surname.start : given.end].text, name=f"{given.text} {surname.text}")


def _introduced_as_person(sentence: Sentence) -> bool:
    """A lead sentence that says its subject is someone ("Hypatia (c. 350 – 415 AD) was a philosopher"): its name
    is a person's whatever entity spaCy took it for (a GPE "Hypatia", "Usain")."""
    roles = sentence.roles()
    return bool(roles) and not roles & (NOT_PERSON_HEADS | PLACE_HEADS | PLACE_NOUNS)


def _described_as_person(sentence: Sentence, span: Span, paren: Paren) -> bool:
    """Context that makes a name a person's whatever spaCy calls it: apposition to a relation ("his second wife,
    Natalya Naryshkina (1651–1694)") or a description with "who" after the parenthesis ("Hong Xiuquan
    (1814–1864), a Hakka who …")."""
    doc = sentence.doc
    if span.start >= 2 and doc[span.start - 1].text == "," and doc[span.start - 2].lower_ in KINSHIP:
        return True
    after = doc.char_span(paren.close, min(len(sentence.text), paren.close + 80), alignment_mode="contract")
    if after is None or len(after) < 3 or after[0].text != ",":
        return False
    for token in after[1:]:
        if token.lower_ in {"who", "whose"}:
            return True
        if token.pos_ not in {"DET", "ADJ", "NOUN", "PROPN"}:
            return False
    return False


def _name_before(sentence: Sentence, paren: Paren) -> Span | None:
    """The capitalised run right before a parenthesis (the name before a noble title that ends it)."""
    last = sentence.name_end_before(paren.open)
    return None if last is None else _before_title(sentence, _before_letters(sentence, sentence.chain_back(last)))


def _before_letters(sentence: Sentence, span: Span) -> Span:
    """ "Agatha Christie, DBE (…)": honours' letters after a comma stand for the name before them."""
    doc = sentence.doc
    if (
        span.start >= 2
        and doc[span.start - 1].text == ","
        and postnominal_letters(span.text)
        and sentence.is_name_token(doc[span.start - 2])
    ):
        return sentence.chain_back(span.start - 2)
    return span


def _before_title(sentence: Sentence, span: Span) -> Span:
    """ "Augusta Ada King, Countess of Lovelace", "Thomas Coke, 1st Earl of Leicester", "Lakshmi, the Rani of
    Jhansi": a noble title after a comma stands for the name before it."""
    doc = sentence.doc
    i = span.start - 1
    if len(span) == 0 or span[0].lower_ not in NOBLE_TITLES:
        return span
    if i > 0 and (doc[i].lower_ == "the" or re.fullmatch(r"\d+(?:st|nd|rd|th)", doc[i].text)):
        i -= 1
    if i < 1 or doc[i].text != "," or not sentence.is_name_token(doc[i - 1]):
        return span
    return sentence.chain_back(i - 1)


def _coordinated_with_thing(sentence: Sentence, span: Span) -> bool:
    """ "the Kingdoms of Ndongo (1624–1663) and Matamba (1631–1663)": a name coordinated with one that is no
    person's is none either (by the parse, or by the words: "X (…) and Y (…)")."""
    doc, root = sentence.doc, span.root
    if root.dep_ == "conj" and sentence.is_name_token(root.head):
        other: Span | None = sentence.chain_back(sentence.chain_forward(root.head.i).end - 1)
    elif span.start >= 2 and doc[span.start - 1].lower_ in {"and", "or", ","} and doc[span.start - 2].text == ")":
        paren = next((p for p in sentence.parens if p.close == doc[span.start - 2].idx + 1), None)
        other = _name_before(sentence, paren) if paren is not None else None
    else:
        return False
    return other is not None and not sentence.person_name(other, strict=False)


def _a_term(sentence: Sentence, span: Span, parts: tuple[tuple[str, str, bool] | None, ...]) -> bool:
    """Dates of an office, a reign or a club rather than a life: "the reign of Louis XIV (1643–1715)", "Chancellor
    Helmut Kohl (1982–1998)", "he played for Santos (1956–1974)"."""
    doc = sentence.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in TENURE_NOUNS:
        return True
    titled = span[0].lower_ in OFFICE_TITLES or (span.start > 0 and doc[span.start - 1].lower_ in OFFICE_TITLES)
    keys = [date_key(part[1]) for part in parts if part is not None]
    years = [int(key[0][:5] if key[0].startswith("-") else key[0][:4]) for key in keys if key is not None]
    if titled and len(years) == 2 and years[1] - years[0] < TERM_YEARS:
        return True
    root = span.root
    return len(span) == 1 and root.dep_ == "pobj" and root.head.lower_ in AFFILIATION_PREPOSITIONS


def life_span(side: Literal[0, 1]) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X (1809–1865)", "X (12 February 1809 – 15 April 1865)", "X (384–322 BC)": side 0 birth, 1 death."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        for paren in sentence.parens:
            parts = parse_life_span(paren.content)
            if parts is None:
                continue
            ancient = any(part is not None and (part[2] or _ERA_WORD.search(part[1])) for part in parts)
            subject = _subject_before(sentence, paren, strict=True, min_words=1 if ancient else 2)
            name = _name_before(sentence, paren)
            if subject is None or (name is not None and _a_term(sentence, name, parts)):
                continue
            part = parts[side]
            if part is None:
                yield Observation(subject=subject, object=paren.content.strip(), value="IDK", idk=True)
            else:
                yield Observation(subject=subject, object=part[0], value=part[1], approx=part[2])

    return find


def parse_life_span(content: str) -> tuple[tuple[str, str, bool] | None, tuple[str, str, bool] | None] | None:
    """The (as written, value, circa) birth and death parts of a life-span parenthesis, or None when it is not
    one: a term of office (too short), a range of abbreviated years ("1955–56"), a reign ("r. 1509–1547")."""
    segment = re.sub(r"\s*\[[^\]]*\]", "", content).split(";")[-1].strip()  # "[O.S. January 21]"
    segment = _BIRTH_NAME.sub("", segment)  # "born Frederick Augustus Washington Bailey, c. February 1817 – …"
    pieces = _DASH.split(segment)
    if len(pieces) == 3 and _birth_range(pieces[0], pieces[1]):
        pieces = [f"{pieces[0]} or {pieces[1]}", pieces[2]]  # "c. 350–370 – March 415 AD": the first, circa
    if len(pieces) != 2:
        return None
    parsed = []
    for piece in pieces:
        piece = piece.strip()
        if _UNKNOWN.match(piece):
            parsed.append(None)
            continue
        piece = _OR_DAY.sub("", piece)
        alternative = _OR_YEAR.search(piece)  # "1817 or 1818": the first, circa
        piece = piece[: alternative.start()] if alternative is not None else piece
        between = _BETWEEN_YEARS.match(piece)
        piece = between.group(1) + piece[between.end() :] if between is not None else piece
        mentions = find_dates(piece)  # a circa mark belongs to the date found
        if len(mentions) != 1 or piece[: mentions[0].start].strip() or piece[mentions[0].end :].strip():
            return None
        parsed.append((mentions[0], piece, alternative is not None or between is not None))
    if parsed[0] is None and parsed[1] is None:
        return None
    (birth, death) = parsed
    era_of_death = death[0].era if death is not None else None
    values: list[tuple[str, str, bool] | None] = []
    for item in (birth, death):
        if item is None:
            values.append(None)
            continue
        mention, written, hedged = item
        value = written if mention.era or era_of_death is None else f"{written} {era_of_death}"
        values.append((written, value, mention.approx or hedged))
    if birth is not None and death is not None and not _plausible_life(birth[0], death[0], era_of_death):
        return None
    return values[0], values[1]


def _year(mention: DateMention, inherited_era: str | None) -> int:
    year = int(mention.key.lstrip("-")[:4])
    bc = mention.key.startswith("-") or (
        mention.era is None and inherited_era is not None and inherited_era.upper().startswith("B")
    )
    return -year if bc else year


def _plausible_life(birth: DateMention, death: DateMention, era: str | None) -> bool:
    years = _year(death, era) - _year(birth, era)
    return LIFE_SPAN_YEARS[0] <= years <= LIFE_SPAN_YEARS[1]


def noun_cue(nouns: frozenset[str], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X's death in D", "the death of X on D", "his death in 1963", "her birth in P"."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        doc = sentence.doc
        for token in doc:
            if token.lower_ not in nouns or token.pos_ != "NOUN" or sentence.depth[token.i] > 0:
                continue
            subject, after = _owner(sentence, token)
            if subject is None or after >= len(doc) - 1 or doc[after].lower_ not in {"in", "on", "at"}:
                continue
            if want == "date":
                mention = sentence.first_date(range(after + 1, after + 2))
                if mention is not None:
                    yield _date_observation(subject, mention)
            elif doc[after].lower_ in PLACE_PREPOSITIONS:
                place = sentence.place_after(after, skip=1)
                if place is not None:
                    yield _place_observation(subject, place)

    return find


def _owner(sentence: Sentence, noun: Token) -> tuple[Subject | None, int]:
    """Whose event a noun names ("Lawrence's death", "his death", "the death of his son Willie") and the index
    of the first token after the phrase."""
    doc = sentence.doc
    owners = [child for child in noun.children if child.dep_ == "poss"]
    if owners:
        return sentence.clause_person(owners[0]), noun.i + 1
    if noun.i + 2 < len(doc) and doc[noun.i + 1].lower_ == "of":
        start = noun.i + 2
        while start < len(doc) and (doc[start].pos_ in {"DET", "PRON"} or doc[start].lower_ in KINSHIP):
            start += 1
        if start < len(doc) and doc[start].pos_ == "PROPN":
            span = sentence.chain_forward(start)
            if sentence.person_name(span, strict=False):
                return sentence.subject_from_name(span), span.end
    return None, noun.i + 1


def origin_adjective() -> Callable[[Sentence], Iterator[Observation]]:
    """ "the Russian-born director Wladyslaw Starewicz", "Dwan was a Canadian-born director": birthplace."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        doc = sentence.doc
        for token in doc:
            if token.lower_ != "born" or token.i < 2 or doc[token.i - 1].text != "-":
                continue
            origin = doc[token.i - 2]
            if not origin.text[:1].isupper() or doc[token.i - 1].idx != origin.idx + len(origin.text):
                continue
            words = sentence.chain_back(origin.i)
            subject = _modified_person(sentence, token)
            if subject is not None:
                yield Observation(subject=subject, object=words.text, value=demonym_place(words.text), weak=True)

    return find


def _modified_person(sentence: Sentence, adjective: Token) -> Subject | None:
    """The person an adjective describes: the noun it modifies, or the next noun of its phrase; as a predicate
    ("Bierstadt was German-born, and his family …"), the subject of its copula."""
    if adjective.dep_ == "acomp":
        subjects = [c for c in adjective.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return sentence.person_of(subjects[0]) if subjects else None
    head = adjective.head if adjective.head.i != adjective.i else None
    candidates = [head] if head is not None else []
    candidates += [t for t in sentence.doc[adjective.i + 1 : adjective.i + 8] if t.pos_ in {"NOUN", "PROPN"}]
    for noun in candidates:
        subject = sentence.person_of(noun)
        if subject is not None:
            return subject
    return None


def _followed_by_of(doc: Doc, word: str) -> Iterator[Token]:
    """Each `word` token directly followed by "of" ("native of", "birthplace of")."""
    for token in doc[:-1]:
        if token.lower_ == word and doc[token.i + 1].lower_ == "of":
            yield token


def native_of() -> Callable[[Sentence], Iterator[Observation]]:
    """ "X, a native of P", "X was a native of P": birthplace."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        for token in _followed_by_of(sentence.doc, "native"):
            place = sentence.place_after(token.i + 1, skip=1)
            if place is None:
                continue
            subject = sentence.person_of(token) or _person_before(sentence, token)
            if subject is not None:
                yield _place_observation(subject, place)

    return find


def _person_before(sentence: Sentence, token: Token) -> Subject | None:
    """ "poet Arseny Tarkovsky, native of Kirovohrad": the name right before ", (a) native"."""
    i = token.i - 1
    if i >= 0 and sentence.doc[i].lower_ in {"a", "an"}:
        i -= 1
    if i < 1 or sentence.doc[i].text != ",":
        return None
    span = sentence.chain_back(i - 1) if sentence.is_name_token(sentence.doc[i - 1]) else None
    return sentence.subject_from_name(span) if span is not None and sentence.person_name(span, strict=False) else None


_UNKNOWN_STATEMENT = (
    r"(?:\s+\w+){0,3}?\s+(?:is|was|remains|remained|are|were)\s+(?:not\s+known|unknown|uncertain|unrecorded|lost)\b"
)
_OWNER = r"(?:(?P<owner>his|her|their|[A-Z][\w-]*['’]s?)\s+)"


def unknown(event: Literal["birth", "death"], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "His date of birth is unknown", "the place of Smith's death is not known": an IDK observation."""
    kind = r"(?:date|year|day)" if want == "date" else r"place"
    compact = {"date": rf"{event}\s?date", "place": rf"{event}place"}[want]
    pattern = re.compile(
        rf"{_OWNER}?(?:exact\s+)?(?:{kind}\s+of\s+{_OWNER.replace('owner', 'inner')}?{event}|{compact})\b"
        + _UNKNOWN_STATEMENT,
        re.IGNORECASE,
    )

    def find(sentence: Sentence) -> Iterator[Observation]:
        for match in pattern.finditer(sentence.text):
            group = "inner" if match.group("inner") else "owner"
            subject = None
            if match.group(group):
                owner = sentence.doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
                subject = sentence.clause_person(owner[0]) if owner is not None and len(owner) else None
            subject = subject or sentence.main_subject()
            if subject is not None:
                yield Observation(subject=subject, object=match.group(0), value="IDK", idk=True)

    return find


def birthplace_of() -> Callable[[Sentence], Iterator[Observation]]:
    """ "Hodgenville is the birthplace of Abraham Lincoln": the place a sentence calls someone's birthplace."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        doc = sentence.doc
        for token in _followed_by_of(doc, "birthplace"):
            if token.i + 2 >= len(doc):
                continue
            person = sentence.chain_forward(token.i + 2) if sentence.is_name_token(doc[token.i + 2]) else None
            if person is None or not sentence.person_name(person, strict=True):
                continue
            places = [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"} and sentence.is_name_token(c)]
            if token.dep_ == "attr" and places:
                place = sentence.chain_forward(sentence.chain_back(places[0].i).start)
                yield _place_observation(sentence.subject_from_name(person), place)

    return find
