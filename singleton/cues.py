"""Shared cue logic: tie a cue in a parsed sentence ("born", "died", "(1809–1865)", "Russian-born", "his death in")
to the person it is about and to its date or place. Categories are small combinations of these finders."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from spacy.tokens import Doc, Span, Token

from singleton.canonical import DateMention, demonym_place, find_dates

Want = Literal["date", "place"]

PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
"""Pronouns that may stand for a person; resolved later against the document's person (or skipped)."""

KINSHIP = frozenset(
    """mother father wife husband son daughter brother sister grandfather grandmother grandson granddaughter
    uncle aunt nephew niece cousin widow widower fiancée fiance partner stepfather stepmother half-brother
    half-sister""".split()
)
"""Relation nouns: "his mother died in 1908" is a fact about "mother of <him>"."""

NAME_CONNECTORS = frozenset({"of", "de", "da", "di", "du", "del", "della", "der", "van", "von", "la", "le", "bin", "ibn", "al", "y", "-"})
"""Lower-case words inside personal names ("Augustine of Hippo", "Ludwig van Beethoven")."""

NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "EVENT", "FAC", "NORP", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT", "DATE"})
"""Entity labels that rule a name out as a person's."""

PLACE_EVENT_LABELS = frozenset({"GPE", "LOC", "EVENT", "FAC", "NORP", "LAW", "LANGUAGE", "DATE"})
"""Labels that rule a name out even as the subject of "was born" (spaCy's ORG and WORK_OF_ART often mislabel
people, so they only count against a bare life span)."""

ORIGIN_LABELS = frozenset({"NORP", "GPE", "LOC"})
"""Labels of words that open or close a name without being part of it ("American William Anders")."""

NOT_PERSON_HEADS = frozenset(
    """war wars revolution period era age dynasty empire republic kingdom society company party union army navy
    church university college school books press journal review magazine times museum library award awards prize
    series show records studios current movement act treaty council committee association institute foundation
    agency bank group corporation club team league games festival film films album project program programme
    administration government ministry department court congress parliament senate crisis expedition mission
    campaign battle siege affair case trial agreement convention conference championship cup olympics depression
    recession occupation rebellion uprising revolt regime presidency tenure caliphate sultanate shogunate khanate
    principality duchy confederation federation alliance pact epoch renaissance reformation restoration crusade
    crusades famine plague pandemic epidemic scandal conflict insurgency newspaper gazette herald tribune
    encyclopedia dictionary anthology trilogy novel poem opera symphony ballet musical game season episode tour
    song single band orchestra choir ensemble quartet building bridge tower cathedral palace castle canal railway
    station airport stadium theatre theater ship vessel station channel network broadcast program sitcom
    cartoon comic strip magazine volume edition""".split()
)
"""Last words that make a capitalised phrase an institution, event or work rather than a person."""

TIME_WORDS = frozenset(
    """year years month months day days week weeks age century centuries decade decades time morning evening night
    january february march april may june july august september october november december spring summer autumn
    winter""".split()
)
"""Words that make an "in …" phrase a time, not a place ("in the same year on 7 August")."""

NOT_NAME_POS = frozenset({"PRON", "DET", "PUNCT", "NUM", "AUX", "VERB", "CCONJ", "SCONJ", "ADP", "ADV", "PART", "INTJ"})
"""Parts of speech a capitalised word inside a name never has (sentence-initial "Following", "Although")."""

COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "being", "become", "became", "becomes", "remained", "remains"})

SHARED_PARTICIPLES = frozenset({"raised", "bred", "brought", "educated"})
"""Participles coordinated with "born" that share its place ("born and raised in Chicago")."""

PLACE_PREPOSITIONS = frozenset({"in", "at"})
STOP_WORDS = frozenset(
    {"when", "while", "whereas", "because", "although", "though", "whereupon", "which", "who", "whom", "whose", "if", "but", "so", "until", "unless"}
)
"""Words that end the clause a cue's object may come from."""

BARE_YEAR_AFTER = frozenset({"in", "on", "born", "died", "c.", "ca.", "circa", "about", "around", "b.", "d.", "(", "year", "spring", "summer", "autumn", "fall", "winter", "early", "late", "mid"})
"""A bare number is a year only after one of these words (or where spaCy calls it a DATE)."""

CONTINUE_AFTER_COMMA = frozenset({"ADP", "DET", "NUM", "PROPN", "ADV", "ADJ", "PUNCT"})

_DASH = re.compile(r"\s*[–—−]\s*|\s+-\s+|(?<=\d)-(?=\s*\d)|(?<=[A-Z.])-(?=\d)")
_CIRCA_ONLY = re.compile(r"^\s*(?:c\.|ca\.|circa)\s*", re.IGNORECASE)
_UNKNOWN = re.compile(r"^\s*(?:unknown|\?|uncertain|unk\.?)\s*$", re.IGNORECASE)
_SPAN_DATE = (
    r"(?:c\.\s*|ca\.\s*|circa\s+)?(?:ad\s*|a\.d\.\s*)?(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+|[a-z]{3,9}\.?\s+\d{1,2}(?:\s*\[[^\]]{0,40}\])?,?\s+)?"
    r"\d{1,4}(?:/\d{1,2})?\s*(?:bc|bce|ad|ce|b\.c\.)?"
)
LIFE_SPAN_TRIGGER = (
    r"(?-i:[A-Z][^\s()]*),?\s*\((?:[^()]{0,80};\s*)?" + _SPAN_DATE + r"\s*(?:[–—−]|-)\s*" + _SPAN_DATE + r"\s*\)"
)
"""Prefilter trigger of a life span: a capitalised word, then a parenthesis holding two dates (or years) joined
by a dash and nothing else (after any pronunciation left before a ";")."""

PLACE_AFTER_TRIGGER = r"[^.;]{0,150}?\b(?:in|at)\s+(?-i:(?:[a-z][\w-]*\s+){0,5}[A-Z])"
"""Follows a cue word in a place trigger: "in"/"at" and, within a few lower-case words, a capital."""


def place_before_trigger(cue: str) -> str:
    """A place named before the cue: "While in Athens, his wife died", "the Sinking Spring farm, where he was born"."""
    return rf"\b(?:in|at)\s+(?-i:[A-Z])[^.;]{{0,80}}\b{cue}\b|\bwhere\b[^.;]{{0,60}}\b{cue}\b"

LIFE_SPAN_YEARS = (10, 120)
"""A parenthesis after a name is a life span only if it covers 10–120 years (not a term of office)."""


@dataclass(frozen=True)
class Subject:
    """Whom an observation is about, as the text refers to them (resolved to a full name later)."""

    text: str
    """The words as written: "Lincoln", "He", "Huxley's mother"."""
    name: str
    """What to resolve: a name ("Lincoln") or a pronoun ("he")."""
    pronoun: bool = False
    relation: str | None = None
    """A relation noun ("mother") when the subject is "<name>'s mother"."""
    alias: bool = False
    """A birth name ("Born Joseph Aloysius Dwan in Toronto, …"): the document's person when it has one."""
    doubtful: bool = False
    """spaCy labels the name a place or event ("Newton/GPE was born"): kept only if the document names that
    person elsewhere."""


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


@dataclass(frozen=True)
class Paren:
    """A parenthesis of the sentence: its content's character span and the tokens before it."""

    open: int
    close: int
    content: str


class Sentence:
    """A parsed candidate sentence, analysed once and shared by every category's finders."""

    def __init__(self, doc: Doc, lead: bool = False) -> None:
        self.doc = doc
        self.text = doc.text
        self.lead = lead
        """True for the document's first sentence, where a name before a life span is the article's subject."""

    # ------------------------------------------------------------ lazily computed views

    @cached_property
    def dates(self) -> list[tuple[DateMention, int, int]]:
        """Dates with a year and their token range [first, last]; bare numbers only where the context says year."""
        found = []
        for mention in find_dates(self.text):
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            if mention.bare_year and not self._year_context(span):
                continue
            found.append((mention, span.start, span.end - 1))
        return found

    def _year_context(self, span: Span) -> bool:
        """A bare number is a year after "in", "born", "(" …, or where spaCy tags it DATE, and not before a noun."""
        after = self.doc[span.end] if span.end < len(self.doc) else None
        if after is not None and after.pos_ in {"NOUN", "PROPN"} and after.text[:1].islower():
            return False
        if span[0].ent_type_ in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}:
            return False
        before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
        return before in BARE_YEAR_AFTER or span[0].ent_type_ == "DATE"

    @cached_property
    def depth(self) -> list[int]:
        """Parenthesis depth of each token (0 outside any parenthesis)."""
        depths, level = [], 0
        for token in self.doc:
            if token.text == ")":
                level = max(0, level - 1)
            depths.append(level)
            if token.text.startswith("("):
                level += 1
        return depths

    @cached_property
    def date_tokens(self) -> set[int]:
        return {i for _, first, last in self.dates for i in range(first, last + 1)}

    @cached_property
    def parens(self) -> list[Paren]:
        """Innermost parentheses of the sentence."""
        return [Paren(m.start(), m.end(), m.group(1)) for m in re.finditer(r"\(([^()]*)\)", self.text)]

    # ------------------------------------------------------------ names

    def is_name_token(self, token: Token) -> bool:
        """A capitalised word that can be part of a name (not a date, pronoun or determiner)."""
        if token.i in self.date_tokens or token.pos_ in NOT_NAME_POS:
            return token.text in {"Jr.", "Sr."}
        return token.text[:1].isupper()

    def name_end_before(self, char: int) -> int | None:
        """Index of the last token of a name ending just before `char` (skipping spaces and one comma)."""
        span = self.doc.char_span(0, char, alignment_mode="contract")
        if span is None or len(span) == 0:
            return None
        last = span.end - 1
        if self.doc[last].text == "," and last > 0:
            last -= 1
        return last if self.is_name_token(self.doc[last]) else None

    def _joins_name(self, i: int, step: int) -> int:
        """How many tokens from `i` (going by `step`) continue a name: a name word (1), a connector or quote
        followed by one (2), or a hyphenated run ("Saint-Paul-de-Vence"); 0 when the name ends."""
        doc = self.doc
        if not 0 <= i < len(doc):
            return 0
        if self.is_name_token(doc[i]):
            return 1
        j = i
        while 0 <= j < len(doc) and (
            doc[j].lower_ in NAME_CONNECTORS
            or doc[j].text in {'"', "“", "”"}
            or (doc[j].is_lower and doc[j - step].text == "-" and self._glued(j - step, step))
        ):
            if not self._glued(j, step) and doc[j].text == "-":
                return 0
            j += step
            if j - i > 4 * step if step > 0 else i - j > 4:
                return 0
        return abs(j - i) + 1 if 0 <= j < len(doc) and j != i and self.is_name_token(doc[j]) else 0

    def _glued(self, i: int, step: int) -> bool:
        """A hyphen written without spaces, joining the words either side of it."""
        doc = self.doc
        before = doc[i - 1] if step > 0 else doc[i]
        return i > 0 and not before.whitespace_ and not doc[i].whitespace_

    def chain_back(self, last: int) -> Span:
        """The capitalised run ending at token `last`, with connectors ("of", "van", "-") and quotes inside."""
        first = last
        while (step := self._joins_name(first - 1, -1)) > 0:
            first -= step
        return self.doc[first : last + 1]

    def chain_forward(self, first: int) -> Span:
        """The capitalised run starting at token `first`."""
        last = first
        while (step := self._joins_name(last + 1, 1)) > 0:
            last += step
        return self.doc[first : last + 1]

    def name_span(self, token: Token) -> Span:
        """The whole name a token belongs to: its capitalised run, without a leading "The" or a nationality
        ("American William Anders")."""
        run = self.chain_forward(self.chain_back(token.i).start)
        start, end = run.start, run.end
        while start < token.i and (self.doc[start].ent_type_ in ORIGIN_LABELS or self.doc[start].lower_ == "the"):
            start += 1
        return self.doc[start:end]

    def person_names(self) -> list[str]:
        """The PERSON entities of the sentence as clean names (no "Following", no possessive "'s")."""
        names = []
        for entity in self.doc.ents:
            if entity.label_ == "PERSON":
                tokens = [token for token in entity if token.pos_ == "PROPN" or self.is_name_token(token)]
                if tokens:
                    names.append(self.doc[tokens[0].i : tokens[-1].i + 1].text)
        return names

    def person_name(self, span: Span, strict: bool, labels: bool = True, min_words: int = 2) -> bool:
        """Whether a capitalised phrase names a person. Lenient (a subject of "born"): anything but a place,
        event or institution; strict (a name before a bare life span): no work or product either, and PERSON
        or a plain name of `min_words` to five words. `labels=False` ignores spaCy's entity labels."""
        if span.start > 0 and self.doc[span.start - 1].lower_ in {"the", "a", "an"}:
            return False
        found = {token.ent_type_ for token in span if token.ent_type_} if labels else set()
        if "PERSON" in found:
            return True
        if found & (NOT_PERSON_LABELS if strict else PLACE_EVENT_LABELS) or span[-1].lower_ in NOT_PERSON_HEADS:
            return False
        if not strict:
            return True
        words = [token for token in span if token.text[:1].isupper()]
        return min_words <= len(words) <= 5 and not any(token.lower_ in {"the", "and"} for token in span)

    def _opening_name(self) -> Subject | None:
        """The person's name a sentence opens with, followed by a parenthesis ("Ayn Rand (born …) was …")."""
        first = next((token for token in self.doc if not token.is_space), None)
        if first is None or not self.is_name_token(first):
            return None
        span = self.chain_forward(first.i)
        if span.end >= len(self.doc) or not self.doc[span.end].text.startswith("("):
            return None
        return self.subject_from_name(span) if self.person_name(span, strict=False) else None

    def opening_person(self) -> str | None:
        """The person a document's first sentence is about: a PERSON name opening it as the main subject
        ("Thomas Smith was an English sailor")."""
        first = next((token for token in self.doc if not token.is_space), None)
        if first is None or first.ent_type_ != "PERSON":
            return None
        span = self.name_span(first)
        if not any(token.dep_ in {"nsubj", "nsubjpass"} and token.head.dep_ == "ROOT" for token in span):
            return None
        return span.text if len(span) > 0 and self.person_name(span, strict=True) else None

    def subject_from_name(self, span: Span) -> Subject:
        text = span.text.strip(" ,'\"“”")
        return Subject(text=text, name=text)

    def person_of(self, token: Token, seen: frozenset[int] = frozenset()) -> Subject | None:
        """The person a noun phrase headed by `token` refers to, or None when it is no person."""
        if token.i in seen:
            return None
        seen = seen | {token.i}
        lower = token.lower_
        if lower in PRONOUNS:
            return Subject(text=token.text, name=lower, pronoun=True)
        if lower in {"who", "whom", "that"} and token.head.dep_ == "relcl":
            return self.person_of(token.head.head, seen)
        if token.i in self.date_tokens:
            return None
        if token.pos_ == "PROPN" or (token.text[:1].isupper() and token.pos_ in {"NOUN", "X"} and token.i > 0):
            span = self.name_span(token)
            if self.person_name(span, strict=False):
                return self.subject_from_name(span)
            if token.ent_type_ != "NORP":
                if self.person_name(span, strict=False, labels=False):
                    name = self.subject_from_name(span)
                    return Subject(text=name.text, name=name.name, doubtful=True)
                return None
            # a nationality noun ("the first American born …") reads on like a common noun
        elif token.pos_ != "NOUN":
            return None
        return self._described_person(token, seen)

    def _described_person(self, noun: Token, seen: frozenset[int]) -> Subject | None:
        """The person a common noun describes: its name in apposition ("director Wladyslaw Starewicz"), the
        subject it is predicated of ("Dwan was a … director"), or a relation ("Huxley's mother")."""
        for child in noun.children:
            if child.dep_ in {"appos", "compound"} and child.pos_ == "PROPN" and child.i > noun.i:
                span = self.name_span(child)
                if self.person_name(span, strict=False):
                    return self.subject_from_name(span)
        if noun.dep_ == "appos":
            return self.person_of(noun.head, seen)
        if noun.lower_ in KINSHIP:
            return self._relation(noun, seen)
        if noun.head.lower_ in COPULAS:
            if noun.dep_ in {"attr", "oprd", "acomp"}:
                partners = [c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            elif noun.dep_ in {"nsubj", "nsubjpass"}:
                partners = [c for c in noun.head.children if c.dep_ in {"attr", "acomp"}]
            else:
                partners = []
            person = self.person_of(partners[0], seen) if partners else None
            if (person is None or person.doubtful) and noun.dep_ == "attr" and noun.head.dep_ == "ROOT":
                # "Ayn Rand (born …; 1905 – 1982) was a … writer": the parse lost its way in the parenthesis
                person = self._opening_name() or person
            return person
        if noun.dep_ == "conj":
            return self.person_of(noun.head, seen)
        return None

    def _relation(self, noun: Token, seen: frozenset[int]) -> Subject | None:
        """ "Huxley's mother", "his mother" → a relation subject; a following name ("his son Willie") wins."""
        following = self.doc[noun.i + 1] if noun.i + 1 < len(self.doc) else None
        if following is not None and following.pos_ == "PROPN":
            span = self.chain_forward(following.i)
            if self.person_name(span, strict=False):
                return self.subject_from_name(span)
        owners = [child for child in noun.children if child.dep_ == "poss"]
        if not owners:
            return None
        owner = self.person_of(owners[0], seen)
        if owner is None:
            return None
        written = self.text[owners[0].idx : noun.idx + len(noun.text)]
        return Subject(text=written, name=owner.name, pronoun=owner.pronoun, relation=noun.lower_)

    def subject_of(self, predicate: Token) -> Subject | None:
        """The person a verb ("born", "died") is about, through passives, conjunctions and participles."""
        seen: set[int] = set()
        while predicate.i not in seen:
            seen.add(predicate.i)
            subjects = [c for c in predicate.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects:
                return self.clause_person(subjects[0])
            if predicate.dep_ in {"acl", "relcl", "amod", "appos"}:
                return self.person_of(predicate.head)
            if predicate.dep_ in {"conj", "advcl", "xcomp", "ccomp", "pcomp"} and predicate.head.i != predicate.i:
                predicate = predicate.head
                continue
            return None
        return None

    def clause_person(self, token: Token) -> Subject | None:
        """A subject; a pronoun in a clause whose sentence names its main subject refers to that subject."""
        subject = self.person_of(token)
        if subject is None or not subject.pronoun or subject.relation is not None:
            return subject
        main = self.main_subject()
        return main if main is not None and main.text != token.text else subject

    def main_subject(self) -> Subject | None:
        """The named subject of the sentence's main verb ("After his death in 1986, Croes was proclaimed …")."""
        for token in self.doc:
            if token.dep_ == "ROOT":
                for child in token.children:
                    if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ == "PROPN":
                        return self.person_of(child)
        return None

    # ------------------------------------------------------------ objects

    def clause_tail(self, cue: Token, limit: int = 40) -> range:
        """Token indices after a cue that still belong to its clause (up to ";", a new clause, another cue)."""
        doc, end = self.doc, cue.i + 1
        base = self.depth[cue.i]
        while end < len(doc) and end - cue.i <= limit:
            token = doc[end]
            if token.text in {";", ":"} or (token.text == ")" and self.depth[end] <= base and base > 0):
                break
            if token.lower_ in STOP_WORDS or token.lower_ in {"born", "died", "death", "birth"}:
                break
            if token.pos_ in {"VERB", "AUX"} and not self._describes_noun(token) and token.lower_ not in SHARED_PARTICIPLES and self.depth[end] == base:
                break
            if token.pos_ == "CCONJ" and end + 1 < len(doc) and self._joins_clauses(token, cue):
                break
            if token.text == "," and end + 1 < len(doc):
                following = doc[end + 1]
                if (following.pos_ not in CONTINUE_AFTER_COMMA and following.lower_ != "aged") or following.dep_ in {"nsubj", "nsubjpass"}:
                    break
            end += 1
        return range(cue.i + 1, end)

    @staticmethod
    def _describes_noun(verb: Token) -> bool:
        """A participle inside a noun phrase ("complications arising from diabetes") or "aged": no new clause."""
        return verb.lower_ == "aged" or (verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"})

    def _joins_clauses(self, conjunction: Token, cue: Token) -> bool:
        """ "and"/"but" that starts a new clause or statement ("… and died", "… and Edward … in 1846"), not
        one inside a noun phrase ("the child of Thomas and Nancy")."""
        following = self.doc[conjunction.i + 1]
        if following.lower_ in SHARED_PARTICIPLES:
            return False  # "born and raised in Chicago": the place is the birth's too
        if following.pos_ in {"VERB", "AUX", "PRON"}:
            return True
        return following.pos_ == "PROPN" and (conjunction.head.i == cue.i or conjunction.head.pos_ in {"VERB", "AUX"})

    def first_date(self, tokens: range) -> DateMention | None:
        """The first date starting inside `tokens`."""
        for mention, first, _ in self.dates:
            if first in tokens:
                return mention
        return None

    def last_token(self, mention: DateMention) -> int:
        """Index of the last token of a date found in this sentence."""
        return next(last for found, _, last in self.dates if found is mention)

    def first_place(self, tokens: range) -> Span | None:
        """The first place phrase introduced by "in"/"at" inside `tokens` (not a date, not in a parenthesis)."""
        for i in tokens:
            token = self.doc[i]
            if token.lower_ in PLACE_PREPOSITIONS and self.depth[i] == self.depth[tokens.start - 1] and not self._embedded(token, tokens.start - 1):
                place = self.place_after(i)
                if place is not None:
                    return place
        return None

    def _embedded(self, preposition: Token, cue: int) -> bool:
        """A preposition that belongs to another verb under the cue ("a family living in Saint Petersburg");
        where the parse does not put the cue above it at all, the words' order decides (not embedded)."""
        verbs = 0
        for ancestor in preposition.ancestors:
            if ancestor.i == cue:
                return verbs > 0
            verbs += ancestor.pos_ == "VERB" and ancestor.lower_ not in SHARED_PARTICIPLES
        return False

    def place_after(self, preposition: int, skip: int = 10) -> Span | None:
        """The proper-noun place phrase after a preposition ("in a log cabin on the Sinking Spring Farm in Hardin
        County, Kentucky" → "Sinking Spring Farm in Hardin County, Kentucky"); None for a date or a person."""
        doc = self.doc
        i = preposition + 1
        while i < len(doc) and i - preposition <= skip:
            token = doc[i]
            if i in self.date_tokens or token.text in {",", ";", "(", ")", ":"} or token.pos_ in {"VERB", "AUX", "PRON"}:
                return None
            if token.lower_ in TIME_WORDS:
                return None
            direct = all(doc[j].lower_ == "the" for j in range(preposition + 1, i))
            if self.is_name_token(token) and (direct or token.ent_type_ != "PERSON") and (token.ent_type_ != "NORP" or token.pos_ == "PROPN"):
                break
            i += 1
        else:
            return None
        if i >= len(doc):
            return None
        last = self._place_chain(i)
        return doc[i : last + 1]

    def _place_chain(self, first: int) -> int:
        """Extend a place name: "X in/of (the) Y", "X, Y" (not a person or a new subject), "Stratford-upon-Avon"."""
        doc = self.doc
        last = self.chain_forward(first).end - 1
        while last + 2 < len(doc):
            joint = doc[last + 1]
            step = 2 if doc[last + 2].lower_ == "the" and last + 3 < len(doc) else 1
            start = last + 1 + step
            if joint.lower_ in {"in", "of"} and self.is_name_token(doc[start]):
                last = self.chain_forward(start).end - 1
            elif joint.text == "," and self.is_name_token(doc[last + 2]) and self._continues_place(last + 2):
                last = self.chain_forward(last + 2).end - 1
            else:
                break
        return last

    def _continues_place(self, first: int) -> bool:
        """After a comma, a capitalised run continues a place unless it is a person, a subject or an antecedent."""
        run = self.chain_forward(first)
        if any(token.ent_type_ in {"PERSON", "NORP"} or token.dep_ in {"nsubj", "nsubjpass"} for token in run):
            return False
        after = self.doc[run.end : run.end + 2]
        return not (len(after) == 2 and after[0].text == "," and after[1].lower_ in {"who", "whom", "whose"}) and not (
            len(after) >= 1 and after[0].pos_ in {"VERB", "AUX"}
        )

    def fronted_date(self, predicate: Token) -> DateMention | None:
        """ "In 1955, Maria died …" / "On October 5, 1818, Nancy Lincoln died …": a date heading the main clause."""
        opening = self._fronted(predicate)
        if opening is None:
            return None
        for mention, first, last in self.dates:
            if first == opening.i + 1 and last + 1 < len(self.doc) and self.doc[last + 1].text == ",":
                return mention
        return None

    def fronted_place(self, predicate: Token) -> Span | None:
        """ "While in Athens, his wife Pythias died": a place heading the main clause."""
        opening = self._fronted(predicate)
        if opening is None or opening.lower_ not in PLACE_PREPOSITIONS:
            return None
        place = self.place_after(opening.i, skip=1)
        return place if place is not None and place.end < len(self.doc) and self.doc[place.end].text == "," else None

    def _fronted(self, predicate: Token) -> Token | None:
        """The preposition opening the sentence ("In", "On", "While in") when the cue is its main verb."""
        if predicate.dep_ != "ROOT" or len(self.doc) < 3:
            return None
        first = 1 if self.doc[0].lower_ == "while" else 0
        opening = self.doc[first]
        return opening if opening.lower_ in {"in", "on", "at", "by"} else None


def _date_observation(subject: Subject, mention: DateMention, era: str | None = None) -> Observation:
    value = mention.text if era is None or mention.era else f"{mention.text} {era}"
    return Observation(subject=subject, object=mention.text, value=value, approx=mention.approx)


def _place_observation(subject: Subject, place: Span | str, weak: bool = False) -> Observation:
    text = place if isinstance(place, str) else place.text
    return Observation(subject=subject, object=text, value=text, weak=weak)


# ---------------------------------------------------------------- finders (each returns a Finder)


def verb_cue(words: frozenset[str], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X was born on D in P", "Born in P, X …", "X, who died in P", "X … and died on D"."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        for token in sentence.doc:
            if token.lower_ not in words or (sentence.depth[token.i] > 0 and not _in_where_paren(sentence, token)):
                continue
            if token.i > 0 and sentence.doc[token.i - 1].text == "-":
                continue  # "Russian-born" is an adjective of origin
            subject = _birth_name(sentence, token) or sentence.subject_of(token)
            if subject is None:
                continue
            tail = sentence.clause_tail(token)
            if want == "date":
                mention = sentence.first_date(tail) or sentence.fronted_date(token)
                if mention is not None:
                    yield _date_observation(subject, mention)
                    yield from _gapped(sentence, sentence.last_token(mention), want)
            else:
                place = sentence.first_place(tail) or sentence.fronted_place(token) or _where(sentence, token)
                if place is not None:
                    yield _place_observation(subject, place)
                    yield from _gapped(sentence, place.end - 1, want)

    return find


def _in_where_paren(sentence: Sentence, cue: Token) -> bool:
    """The cue is inside "(where he died)" after a place name."""
    return any(paren.open < cue.idx < paren.close and paren.content.lstrip().lower().startswith("where ") for paren in sentence.parens)


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


def _birth_name(sentence: Sentence, cue: Token) -> Subject | None:
    """ "Born Hans Peter Smolka in Vienna in 1912, he …": a sentence opening with a birth name."""
    following = sentence.doc[cue.i + 1] if cue.i + 1 < len(sentence.doc) else None
    if cue.i > 0 or cue.text != "Born" or following is None or not sentence.is_name_token(following):
        return None
    name = sentence.subject_from_name(sentence.chain_forward(following.i))
    return Subject(text=name.text, name=name.name, alias=True)


def paren_cue(markers: tuple[str, ...], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X (born D)", "X (b. D)", "X (born in P)", "X (died D)", "X (d. D)"."""
    pattern = re.compile(r"(?:^|;)\s*(?:" + "|".join(re.escape(m) for m in markers) + r")\s+(?P<rest>[^;]*)$", re.IGNORECASE)

    def find(sentence: Sentence) -> Iterator[Observation]:
        for paren in sentence.parens:
            match = pattern.search(paren.content)
            if match is None:
                continue
            subject = _subject_before(sentence, paren, strict=False)
            if subject is None:
                continue
            rest_start = paren.open + 1 + match.start("rest")
            rest = match.group("rest")
            if want == "date":
                mentions = [m for m in find_dates(rest) if m.start <= 2]
                if mentions:
                    mention = mentions[0]
                    yield Observation(subject=subject, object=mention.text, value=mention.text, approx=mention.approx)
            else:
                place = re.search(r"\bin\s+((?:the\s+)?[A-Z][^,;()]*(?:,\s*[A-Z][^,;()]*)*)", rest)
                if place is not None:
                    text = sentence.text[rest_start + place.start(1) : rest_start + place.end(1)].strip()
                    yield _place_observation(subject, text)

    return find


_ALIAS_OF = re.compile(
    r"\s*,?\s*(?:(?:the|a|an|his|her)\s+)?(?:[\w-]+\s+){0,3}?(?:(?:ring|stage|pen|professional)\s+name|persona|pseudonym|alias)\s+(?:of|for|used by)\s+",
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
    """ "Fat Albert (1972–1985), an animated series": the description after the parenthesis is no person's."""
    after = sentence.doc.char_span(paren.close, min(len(sentence.text), paren.close + 80), alignment_mode="contract")
    if after is None or len(after) < 2 or after[0].text != ",":
        return False
    for token in after[1:]:
        if token.pos_ not in {"DET", "ADJ", "NOUN", "PROPN"} and token.dep_ != "amod":
            return False  # the appositive noun phrase ended ("…, who committed suicide after a depression")
        if token.pos_ == "NOUN" and token.lower_ in NOT_PERSON_HEADS:
            return True
    return False


_ERA_WORD = re.compile(r"\b(?:BC|BCE|AD|CE|B\.C\.)(?!\w)", re.IGNORECASE)


def _subject_before(sentence: Sentence, paren: Paren, strict: bool, min_words: int = 2) -> Subject | None:
    """The person named right before a parenthesis, if the words there are a person's name (or the person
    whose alias they are)."""
    alias = _alias_of(sentence, paren)
    if alias is not None:
        return alias
    if _described_as_thing(sentence, paren):
        return None
    last = sentence.name_end_before(paren.open)
    if last is None:
        return None
    span = sentence.chain_back(last)
    at_lead = sentence.lead and span.start_char <= 2
    if not (at_lead and sentence.person_name(span, strict=False)) and not sentence.person_name(span, strict, min_words=min_words):
        return None
    return sentence.subject_from_name(span)


def life_span(side: Literal[0, 1]) -> Callable[[Sentence], Iterator[Observation]]:
    """ "X (1809–1865)", "X (12 February 1809 – 15 April 1865)", "X (384–322 BC)": side 0 birth, 1 death."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        for paren in sentence.parens:
            parts = parse_life_span(paren.content)
            if parts is None:
                continue
            ancient = any(part is not None and (part[2] or _ERA_WORD.search(part[1])) for part in parts)
            subject = _subject_before(sentence, paren, strict=True, min_words=1 if ancient else 2)
            if subject is None:
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
    pieces = _DASH.split(segment)
    if len(pieces) != 2:
        return None
    parsed = []
    for piece in pieces:
        piece = piece.strip()
        if _UNKNOWN.match(piece):
            parsed.append(None)
            continue
        mentions = find_dates(piece)
        if len(mentions) != 1 or piece[: mentions[0].start].strip() or piece[mentions[0].end :].strip():
            if not (len(mentions) == 1 and _CIRCA_ONLY.fullmatch(piece[: mentions[0].start] or " ")):
                return None
        mention = mentions[0]
        parsed.append((mention, piece))
    if parsed[0] is None and parsed[1] is None:
        return None
    (birth, death) = parsed
    era_of_death = death[0].era if death is not None else None
    values: list[tuple[str, str, bool] | None] = []
    for item in (birth, death):
        if item is None:
            values.append(None)
            continue
        mention, written = item
        value = written if mention.era or era_of_death is None else f"{written} {era_of_death}"
        values.append((written, value, mention.approx))
    if birth is not None and death is not None and not _plausible_life(birth[0], death[0], era_of_death):
        return None
    return values[0], values[1]


def _year(mention: DateMention, inherited_era: str | None) -> int:
    year = int(mention.key.lstrip("-")[:4])
    bc = mention.key.startswith("-") or (mention.era is None and inherited_era is not None and inherited_era.upper().startswith("B"))
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
    """The person an adjective describes: the noun it modifies, or the next noun of its phrase."""
    head = adjective.head if adjective.head.i != adjective.i else None
    candidates = [head] if head is not None else []
    candidates += [t for t in sentence.doc[adjective.i + 1 : adjective.i + 8] if t.pos_ in {"NOUN", "PROPN"}]
    for noun in candidates:
        subject = sentence.person_of(noun)
        if subject is not None:
            return subject
    return None


def native_of() -> Callable[[Sentence], Iterator[Observation]]:
    """ "X, a native of P", "X was a native of P": birthplace."""

    def find(sentence: Sentence) -> Iterator[Observation]:
        doc = sentence.doc
        for token in doc:
            if token.lower_ != "native" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "of":
                continue
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


_UNKNOWN_STATEMENT = r"(?:\s+\w+){0,3}?\s+(?:is|was|remains|remained|are|were)\s+(?:not\s+known|unknown|uncertain|unrecorded|lost)\b"
_OWNER = r"(?:(?P<owner>his|her|their|[A-Z][\w-]*['’]s?)\s+)"


def unknown(event: Literal["birth", "death"], want: Want) -> Callable[[Sentence], Iterator[Observation]]:
    """ "His date of birth is unknown", "the place of Smith's death is not known": an IDK observation."""
    kind = r"(?:date|year|day)" if want == "date" else r"place"
    compact = {"date": rf"{event}\s?date", "place": rf"{event}place"}[want]
    pattern = re.compile(
        rf"{_OWNER}?(?:exact\s+)?(?:{kind}\s+of\s+{_OWNER.replace('owner', 'inner')}?{event}|{compact})\b{_UNKNOWN_STATEMENT}",
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
