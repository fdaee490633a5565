"""A parsed sentence, analysed once for every category: its dates, names, people, clauses and places. The
finders of `singleton.cues` are built on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from spacy.tokens import Doc, Span, Token

from singleton.canonical import HONORIFICS, DateMention, find_dates
from singleton.demonyms import DEMONYMS

Want = Literal["date", "place"]

PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
"""Pronouns that may stand for a person; resolved later against the document's person (or skipped)."""

KINSHIP = frozenset(
    """mother father wife husband son daughter brother sister grandfather grandmother grandson granddaughter
    uncle aunt nephew niece cousin widow widower fiancée fiance partner stepfather stepmother half-brother
    half-sister""".split()
)
"""Relation nouns: "his mother died in 1908" is a fact about "mother of <him>"."""

NAME_CONNECTORS = frozenset(
    """of de da di du del della der den do dos das van von ter ten op la le bin ibn ben al y i et zu zum zur vor
    am aan upon sur the el e -""".split()
)
"""Lower-case words inside personal and place names ("Augustine of Hippo", "Ludwig van Beethoven", "Edson Arantes
do Nascimento", "Peter the Great", "Bermersheim vor der Höhe", "Baron de La Brède et de Montesquieu"): a name
goes on over them only to a capitalised word ("Antoni Gaudí i Cornet", "Tamay e-Zahayra")."""

NOT_PERSON_LABELS = frozenset(
    {"GPE", "LOC", "EVENT", "FAC", "NORP", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT", "DATE"}
)
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
    cartoon comic strip magazine volume edition house mansion manor villa abbey monastery temple mosque
    synagogue garden hospital""".split()
)
"""Last words (or the word before "of") that make a capitalised phrase an institution, event, work or building
rather than a person."""

PLACE_NOUNS = frozenset(
    """city town village hamlet island isle islands province region county district state colony parish
    municipality commune suburb borough port capital kingdom duchy principality prefecture territory""".split()
)
"""Common nouns of "the city of Stagira", "on the island of Martinique": the place is the name after "of"."""

PLACE_HEADS = PLACE_NOUNS | frozenset(
    """farm mansion house home estate palace castle hospital residence plantation quarter neighbourhood neighborhood
    valley monastery abbey convent""".split()
)
"""Lower-case nouns that finish a definite place name ("the Jorasanko mansion in Calcutta")."""

OFFICE_TITLES = frozenset(
    """president chancellor governor senator mayor premier minister chairman chairwoman pope king queen emperor
    empress sultan tsar czar shah caliph pharaoh doge""".split()
)
"""Titles of an office: after one, a short parenthesis of years is a term ("Chancellor Helmut Kohl (1982–1998)")."""

TENURE_NOUNS = frozenset(
    """reign rule tenure term terms presidency premiership chancellorship administration regency pontificate
    papacy governorship mayoralty era construction building completion restoration""".split()
)
"""Nouns whose "of X (years)" dates a tenure or a making, not a life ("the reign of Louis XIV (1643–1715)", "the
construction of Neuschwanstein Castle (1869–1886)")."""

NOT_ON_THE_SPOT = frozenset({"near", "outside", "off", "from", "to", "towards", "between", "beyond", "against"})
"""Prepositions on the way to a name that make it no place of birth or death ("died in an asylum near Bonn", "died
in battle against the Massagetae")."""

_REGNAL = re.compile(r"(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XVI{0,3}|XIX|XX)")
"""A regnal number, I to XX."""

NOBLE_TITLES = frozenset(
    """baron baroness count countess earl marquess marquis marchioness viscount viscountess duke duchess lord
    lady prince princess rani raja maharaja maharani sultan sultana emir shah nawab begum""".split()
)
STYLES = frozenset({"reverend", "rev.", "venerable", "honourable", "honorable", "blessed"})
"""Styles written after "the" before a person's name ("The Reverend Patrick Keane", "the Venerable Bede")."""
"""A title after the name ("Augusta Ada King, Countess of Lovelace (…)", "Lakshmi, the Rani of Jhansi (…)"): the
person is the name before it."""

TIME_WORDS = frozenset(
    """year years month months day days week weeks age century centuries decade decades time morning evening night
    january february march april may june july august september october november december spring summer autumn
    winter""".split()
)
"""Words that make an "in …" phrase a time, not a place ("in the same year on 7 August")."""

NOT_NAME_POS = frozenset({"PRON", "DET", "PUNCT", "NUM", "AUX", "VERB", "CCONJ", "SCONJ", "ADP", "ADV", "PART", "INTJ"})
"""Parts of speech a capitalised word inside a name never has (sentence-initial "Following", "Although")."""

COPULAS = frozenset(
    {"is", "was", "are", "were", "be", "been", "being", "become", "became", "becomes", "remained", "remains"}
)
"""Verbs that predicate a noun of a subject ("Dwan was a Canadian-born director")."""

SHARED_PARTICIPLES = frozenset({"raised", "bred", "brought", "educated"})
"""Participles coordinated with "born" that share its place ("born and raised in Chicago")."""

ASIDE_VERBS = frozenset({"aged", "according"})
"""Verb forms that open an aside inside a cue's clause, not a new clause ("died, aged 47, at Lyme Regis", "died,
according to the parish records, at her home")."""

PLACE_PREPOSITIONS = frozenset({"in", "at"})
"""Prepositions that introduce a place of birth or death ("on" only an island: "born on the Isle of Man")."""

ISLAND_WORDS = frozenset({"island", "isle", "islands", "isles"})
"""Words that make an "on …" phrase a place ("born on the island of Martinique")."""

MOUNTAIN_WORDS = frozenset({"mount", "mt", "mt.", "mont", "monte", "mountain", "peak", "massif", "glacier", "volcano"})
"""Words that make an "on …" phrase a place too ("died on Mount Hood", "died on the Eiger glacier")."""

STOP_WORDS = frozenset(
    {
        "when",
        "while",
        "whereas",
        "because",
        "although",
        "though",
        "whereupon",
        "which",
        "who",
        "whom",
        "whose",
        "if",
        "but",
        "so",
        "until",
        "unless",
    }
)
"""Words that end the clause a cue's object may come from."""

BARE_YEAR_AFTER = frozenset(
    {
        "in",
        "on",
        "born",
        "died",
        "c.",
        "ca.",
        "circa",
        "about",
        "around",
        "b.",
        "d.",
        "(",
        "year",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "early",
        "late",
        "mid",
    }
)
"""A bare number is a year only after one of these words (or where spaCy calls it a DATE)."""

CONTINUE_AFTER_COMMA = frozenset({"ADP", "DET", "NUM", "PROPN", "ADV", "ADJ", "PUNCT"})
"""What may follow a comma inside a cue's clause ("born February 12, 1809, in a cabin", ", the second child")."""


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
    described: bool = False
    """A definite description ("The poet died in exile"): `name` is its noun, the document's person only if the
    document's first sentence calls them that."""


@dataclass(frozen=True)
class Paren:
    """An innermost parenthesis of the sentence: where it opens and closes (characters) and what it holds."""

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
            if mention.bare_year and not self._year_context(span, mention.approx):
                continue
            found.append((mention, span.start, span.end - 1))
        return found

    def _year_context(self, span: Span, circa: bool) -> bool:
        """A bare number is a year after "in", "born", "(", a circa word ("around 1020") …, or where spaCy tags it
        DATE, and not before a noun, nor inside an event's name ("the 1932 Los Angeles Olympics")."""
        after = self.doc[span.end] if span.end < len(self.doc) else None
        before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
        if after is not None and after.pos_ in {"NOUN", "PROPN"} and (after.text[:1].islower() or before == "the"):
            return False
        if circa or before in BARE_YEAR_AFTER:
            return True  # "died in Dangtu in 762", whatever spaCy calls the number
        return span[-1].ent_type_ == "DATE"

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
        """Indices of the tokens inside a date (never part of a name or a place)."""
        return {i for _, first, last in self.dates for i in range(first, last + 1)}

    @cached_property
    def parens(self) -> list[Paren]:
        """Innermost parentheses of the sentence."""
        return [Paren(m.start(), m.end(), m.group(1)) for m in re.finditer(r"\(([^()]*)\)", self.text)]

    # ------------------------------------------------------------ names

    def is_name_token(self, token: Token) -> bool:
        """A capitalised word that can be part of a name (not a date, pronoun or determiner; "I" of "Suleiman I"
        is; nor a word spaCy took for an English verb that no English word spells, "Nguyễn")."""
        foreign = not token.text.isascii() and token.is_alpha and token.pos_ in {"VERB", "ADV", "INTJ"}
        if token.i in self.date_tokens or (token.pos_ in NOT_NAME_POS and not foreign):
            after_name = token.i > 0 and self.doc[token.i - 1].text[:1].isupper() and self.doc[token.i - 1].is_alpha
            return token.text in {"Jr.", "Sr."} or (after_name and _REGNAL.fullmatch(token.text) is not None)
        return token.text[:1].isupper()

    def name_end_before(self, char: int) -> int | None:
        """Index of the last token of a name ending just before `char` (skipping spaces and one comma)."""
        span = self.doc.char_span(0, char, alignment_mode="contract")
        if span is None or len(span) == 0:
            return None
        last = span.end - 1
        if self.doc[last].text == "," and last > 0:
            last -= 1
        return last if self.is_name_token(self.doc[last]) or self._hyphen_tail(last) else None

    def _hyphen_tail(self, i: int) -> bool:
        """A lower-case word glued by a hyphen to a name word: the end of a name ("Sun Yat-sen")."""
        doc = self.doc
        return i >= 2 and doc[i].is_lower and doc[i - 1].text == "-" and self._glued(i - 1, 1) and (
            self.is_name_token(doc[i - 2])
        )

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
            or doc[j].text in {'"', "“", "”", "'", "’"}  # quotes, "de' Galilei"
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
        """The whole name a token belongs to: its capitalised run, without a leading "The", a nationality
        ("American William Anders") or a role opening the sentence ("Drummer Charlie Watts")."""
        run = self.chain_forward(self.chain_back(token.i).start)
        start, end = run.start, run.end
        while start < token.i and (
            self.doc[start].ent_type_ in ORIGIN_LABELS
            or self.doc[start].lower_ == "the"
            or (start == 0 and self._role_word(self.doc[start]) and self.doc[start + 1].pos_ == "PROPN")
        ):
            start += 1
        return self.doc[start:end]

    @staticmethod
    def _role_word(token: Token) -> bool:
        """A common noun that says what someone does ("Drummer"), not a title that is part of the name."""
        return token.pos_ == "NOUN" and token.lower_ not in OFFICE_TITLES | NOBLE_TITLES | HONORIFICS

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
        before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
        titled = len(span) > 0 and span[0].lower_ in OFFICE_TITLES | NOBLE_TITLES | STYLES  # "the Emperor Rudolf II"
        if len(span) == 0 or (before in {"the", "a", "an"} and not titled) or before in NOT_PERSON_HEADS:
            return False  # "the journal Lucifer the Lightbearer"
        head = self._name_head(span)
        if self._names_a_thing(span) or (len(head) < len(span) and head[-1].lower_ in OFFICE_TITLES):
            return False  # "the journal was Lucifer the Lightbearer", "Prime Minister of North Vietnam"
        found = {token.ent_type_ for token in head if token.ent_type_} if labels else set()
        if "PERSON" in found or self._regnal(span):
            return True
        heads = {span[-1].lower_, head[-1].lower_}
        if len(head) < len(span):
            heads.add(head[-1].lower_.removesuffix("s"))  # "Kingdoms of Ndongo"
        if found & (NOT_PERSON_LABELS if strict else PLACE_EVENT_LABELS) or heads & (NOT_PERSON_HEADS | PLACE_NOUNS):
            return False
        if not strict:
            return True
        words = [token for token in span if token.text[:1].isupper()]
        return min_words <= len(words) <= 5 and span[0].lower_ != "the" and not any(t.lower_ == "and" for t in span)

    @staticmethod
    def _regnal(span: Span) -> bool:
        """A name and a regnal number ("Ludwig II", "Henry VIII"), whatever spaCy calls it (not "Vatican II")."""
        return (
            len(span) == 2
            and _REGNAL.fullmatch(span[1].text) is not None
            and span[0].ent_type_ not in ORIGIN_LABELS | {"EVENT", "FAC"}
            and span[0].lower_ not in NOT_PERSON_HEADS | PLACE_NOUNS
        )

    @staticmethod
    def _names_a_thing(span: Span) -> bool:
        """The name is what a copula says an institution or work is ("The journal was Lucifer the Lightbearer")."""
        root = span.root
        if root.dep_ != "attr" or root.head.lower_ not in COPULAS:
            return False
        return any(c.dep_ == "nsubj" and c.lower_ in NOT_PERSON_HEADS for c in root.head.children)

    @staticmethod
    def _name_head(span: Span) -> Span:
        """The part of a name before its first "of", which says what the phrase is ("Hildegard" of "Hildegard of
        Bingen", "Kingdoms" of "Kingdoms of Ndongo"); the whole span when it has no "of"."""
        cut = next((token.i for token in span[1:] if token.lower_ == "of"), span.end)
        return span.doc[span.start : cut]

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
        """A named subject, without stray quotes or commas at its ends."""
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
        if lower in {"who", "whom", "that"} and self._relative_clause(token.head).dep_ == "relcl":
            return self.person_of(self._relative_clause(token.head).head, seen)
        if lower == "who" and (named := self._name_before_paren(token.i - 1)) is not None:
            return self.person_of(named, seen)
        if token.i in self.date_tokens:
            return None
        if lower in {"latter", "former"}:
            return self._latter(token)
        capitalised = token.text[:1].isupper() and token.pos_ in {"NOUN", "X", "ADJ"}
        if capitalised and token.i == 0 and token.dep_ in {"nsubj", "nsubjpass"}:
            # "Truth died …": a sentence's first word is capitalised anyway; a name only if the document knows it
            name = self.subject_from_name(self.name_span(token))
            return Subject(text=name.text, name=name.name, doubtful=True)
        if token.pos_ == "PROPN" or (capitalised and token.i > 0):
            span = self.name_span(token)
            if self.person_name(span, strict=False):
                return self.subject_from_name(span)
            if token.ent_type_ != "NORP" or _singular(token.lower_) not in DEMONYMS:
                if self.person_name(span, strict=False, labels=False):
                    name = self.subject_from_name(span)
                    return Subject(text=name.text, name=name.name, doubtful=True)
                return None
            # a nationality noun ("the first American born …") reads on like a common noun
        elif token.pos_ != "NOUN":
            return None
        return self._described_person(token, seen)

    @staticmethod
    def _relative_clause(verb: Token) -> Token:
        """The relative clause a verb belongs to: "who was born in X and who died in Y" coordinates two."""
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return verb

    def _name_before_paren(self, comma: int) -> Token | None:
        """ "Walter Gropius (1883–1969), who died …": the last word of the name before the parenthesis that
        ends just before a comma at `comma` (spaCy often hangs such a "who" clause on the main verb)."""
        doc = self.doc
        if comma < 2 or doc[comma].text != "," or doc[comma - 1].text != ")":
            return None
        paren = next((p for p in self.parens if p.close == doc[comma - 1].idx + 1), None)
        last = self.name_end_before(paren.open) if paren is not None else None
        return doc[last] if last is not None else None

    def _latter(self, token: Token) -> Subject | None:
        """ "the latter" is the last person named before it, "the former" the one named before that."""
        if token.i == 0 or self.doc[token.i - 1].lower_ != "the":
            return None
        named = [entity for entity in self.doc.ents if entity.label_ == "PERSON" and entity.end <= token.i - 1]
        wanted = 1 if token.lower_ == "latter" else 2
        if len(named) < wanted:
            return None
        name = self.subject_from_name(self.name_span(named[-wanted][-1]))
        return Subject(text=f"the {token.lower_}", name=name.name)

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
        return self._fronted_apposition(noun, seen) or self._description(noun)

    def _fronted_apposition(self, noun: Token, seen: frozenset[int]) -> Subject | None:
        """ "An American born in Lowell, Massachusetts, Whistler spent …": a description opening the sentence is
        the named subject of its main verb."""
        if noun.i > 1 or (noun.i == 1 and self.doc[0].pos_ != "DET"):
            return None
        root = next((token for token in self.doc if token.dep_ == "ROOT"), None)
        named = [c for c in root.children if c.dep_ == "nsubj" and c.i > noun.i and c.pos_ == "PROPN"] if root else []
        return self.person_of(named[0], seen) if named else None

    def _description(self, noun: Token) -> Subject | None:
        """ "The poet died in exile": a definite description as the subject, for the document to resolve."""
        if noun.dep_ not in {"nsubj", "nsubjpass"} or noun.pos_ != "NOUN" or noun.i == 0:
            return None
        det = self.doc[noun.i - 1]
        if det.lower_ != "the" or det.i != noun.left_edge.i:
            return None
        return Subject(text=f"{det.text} {noun.text}", name=noun.lower_, described=True)

    def roles(self) -> set[str]:
        """What a first sentence says its person is ("… was a Roman poet and playwright" → poet, playwright)."""
        root = next((token for token in self.doc if token.dep_ == "ROOT"), None)
        if root is None or root.lower_ not in COPULAS:
            return set()
        found = set()
        for noun in (c for c in root.children if c.dep_ == "attr" and c.pos_ == "NOUN"):
            found |= {t.lower_ for t in noun.subtree if t.pos_ == "NOUN" and t.dep_ in {"attr", "conj", "appos"}}
        return found

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
        named = self._main_subject_token()
        if named is None or any(t.text == ";" for t in self.doc[min(token.i, named.i) : max(token.i, named.i)]):
            return subject  # "He was born in Hanau; his brother Wilhelm Grimm …": another statement, another person
        main = self.person_of(named)
        return main if main is not None and main.text != token.text else subject

    def main_subject(self) -> Subject | None:
        """The named subject of the sentence's main verb ("After his death in 1986, Croes was proclaimed …")."""
        named = self._main_subject_token()
        return None if named is None else self.person_of(named)

    def _main_subject_token(self) -> Token | None:
        """The proper-noun subject of the sentence's main verb, if it has one."""
        for token in self.doc:
            if token.dep_ == "ROOT":
                for child in token.children:
                    if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ == "PROPN":
                        return child
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
            if (
                token.pos_ in {"VERB", "AUX"}
                and not self._describes_noun(token)
                and token.lower_ not in SHARED_PARTICIPLES
                and self.depth[end] == base
            ):
                break
            if token.pos_ == "CCONJ" and end + 1 < len(doc) and self._joins_clauses(token, cue):
                break
            if token.text == "," and end + 1 < len(doc):
                following = doc[end + 1]
                if (
                    following.pos_ not in CONTINUE_AFTER_COMMA
                    and following.lower_ not in ASIDE_VERBS
                    and not self._possessive_apposition(following)
                ) or following.dep_ in {
                    "nsubj",
                    "nsubjpass",
                }:
                    break
            end += 1
        return range(cue.i + 1, end)

    @staticmethod
    def _possessive_apposition(token: Token) -> bool:
        """ "died at Villa Rosa, her estate in Irvington, on …": a possessive opening an apposition describes the
        place before it; the clause goes on."""
        head = token.head
        named = token.i >= 2 and token.doc[token.i - 2].pos_ == "PROPN"
        return token.tag_ == "PRP$" and named and head.pos_ == "NOUN" and head.dep_ not in {"nsubj", "nsubjpass"}

    @staticmethod
    def _describes_noun(verb: Token) -> bool:
        """A participle inside a noun phrase ("complications arising from diabetes", "pneumonia resulting from
        AIDS" even when parsed as a clause of the verb) or an aside ("aged", "according to"): no new clause."""
        if verb.lower_ in ASIDE_VERBS or (verb.dep_ in {"acl", "amod"} and verb.head.pos_ in {"NOUN", "PROPN"}):
            return True
        return verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].pos_ == "NOUN"

    def _joins_clauses(self, conjunction: Token, cue: Token) -> bool:
        """ "and"/"but" that starts a new clause or statement ("… and died", "… and Edward … in 1846"), not
        one inside a noun phrase ("the child of Thomas and Nancy")."""
        following = self.doc[conjunction.i + 1]
        if following.lower_ in SHARED_PARTICIPLES:
            return False  # "born and raised in Chicago": the place is the birth's too
        if following.pos_ in {"VERB", "AUX", "PRON"}:
            return True
        return following.pos_ == "PROPN" and (conjunction.head.i == cue.i or conjunction.head.pos_ in {"VERB", "AUX"})

    def first_date(self, tokens: range, asides: bool = True) -> DateMention | None:
        """The first date starting inside `tokens`; with `asides=False`, not one in a parenthesis about a name
        ("born in Moscow, the son of … Natalya Naryshkina (1651–1694)" has no date of his)."""
        for mention, first, _ in self.dates:
            if first in tokens and (asides or not self._in_name_aside(first)):
                return mention
        return None

    def _in_name_aside(self, i: int) -> bool:
        """Token `i` is inside a parenthesis that follows a name."""
        char = self.doc[i].idx
        return any(
            paren.open < char < paren.close and self.name_end_before(paren.open) is not None for paren in self.parens
        )

    def last_token(self, mention: DateMention) -> int:
        """Index of the last token of a date found in this sentence."""
        return next(last for found, _, last in self.dates if found is mention)

    def first_place(self, tokens: range) -> Span | None:
        """The first place phrase introduced by "in"/"at" (or "on" an island) inside `tokens` (not a date, not in
        a parenthesis)."""
        for i in tokens:
            token = self.doc[i]
            if (
                token.lower_ in PLACE_PREPOSITIONS | {"on"}
                and self.depth[i] == self.depth[tokens.start - 1]
                and not self._embedded(token, tokens.start - 1)
            ):
                place = self.place_after(i)
                if place is not None and (token.lower_ != "on" or self._on_place(i, place)):
                    return place
        return None

    def _on_place(self, preposition: int, place: Span) -> bool:
        """ "on the island of Martinique", "on Cape Breton Island", "on Mount Hood", or "on" a bare name spaCy calls a
        location ("died on Everest"): "on" a place, not a day or an occasion."""
        words = {token.lower_ for token in self.doc[preposition + 1 : place.start]} | {t.lower_ for t in place}
        bare = place.start == preposition + 1 and all(token.ent_type_ in {"LOC", "GPE"} for token in place)
        return bool(words & (ISLAND_WORDS | MOUNTAIN_WORDS)) or bare

    def _embedded(self, preposition: Token, cue: int) -> bool:
        """A preposition that belongs to another verb under the cue ("a family living in Saint Petersburg");
        where the parse does not put the cue above it at all, the words' order decides (not embedded)."""
        verbs = 0
        for ancestor in preposition.ancestors:
            if ancestor.i == cue:
                return verbs > 0
            verbs += ancestor.pos_ == "VERB" and ancestor.lower_ not in SHARED_PARTICIPLES | ASIDE_VERBS
            verbs -= self._continues_cause(ancestor, cue)
        return False

    def _continues_cause(self, verb: Token, cue: int) -> bool:
        """ "died of pneumonia resulting from AIDS at his home": a participle that goes on with the cause of the cue
        verb, so what hangs on it (the place) is the cue's."""
        before = self.doc[verb.i - 1] if verb.i > 0 else verb
        return (
            verb.tag_ == "VBG" and before.pos_ == "NOUN" and before.head.lower_ in {"of", "from"}
            and before.head.head.i == cue
        )

    def place_after(self, preposition: int, skip: int = 10) -> Span | None:
        """The proper-noun place phrase after a preposition ("in a log cabin on the Sinking Spring Farm in Hardin
        County, Kentucky" → "Sinking Spring Farm in Hardin County, Kentucky"); None for a date or a person."""
        doc = self.doc
        named = self._place_noun_of(preposition, skip)
        if named is not None:
            return named
        i = preposition + 1
        appositive = False
        while i < len(doc) and i - preposition <= skip:
            token = doc[i]
            if token.text == "," and doc[i - 1].lower_ in PLACE_HEADS and i + 1 < len(doc) and (
                self.is_name_token(doc[i + 1])
            ):
                i, appositive = i + 1, True  # "at her residence, Washington Place", whatever spaCy calls it
                continue
            if (
                i in self.date_tokens
                or token.text in {",", ";", "(", ")", ":"}
                or token.lower_ in NOT_ON_THE_SPOT
                or token.pos_ in {"VERB", "AUX"}
                or (token.pos_ == "PRON" and token.dep_ != "poss")  # "at his home in Battle Creek" reads on
                or self._time_word(i)
            ):
                return None
            direct = all(doc[j].lower_ == "the" or doc[j].is_digit for j in range(preposition + 1, i))
            if (
                self.is_name_token(token)
                and (direct or appositive or token.ent_type_ != "PERSON" or self._building(i))
                and (token.ent_type_ != "NORP" or token.pos_ == "PROPN")
            ):
                break
            i += 1
        else:
            return None
        if i >= len(doc):
            return None
        last = self._place_chain(i)
        number = i - 1 == preposition + 1 and doc[i - 1].like_num and doc[i - 1].is_digit  # "at 50 Chepstow Villas"
        return doc[i - 1 if number else i : last + 1]

    def _building(self, i: int) -> bool:
        """A name (perhaps labelled a person's) that ends in a building or place word ("Knutstorp Castle")."""
        return self.chain_forward(i)[-1].lower_ in NOT_PERSON_HEADS | PLACE_HEADS

    def _place_noun_of(self, preposition: int, skip: int) -> Span | None:
        """ "in the city of Stagira", "in the Igbo village of Ogidi", "on the island of Martinique": the name after
        "<place noun> of", when only determiners and adjectives come before the noun."""
        doc = self.doc
        i = preposition + 1
        while i < len(doc) and i - preposition <= skip and doc[i].lower_ not in PLACE_NOUNS and (
            self._describes_place(doc[i])
        ):
            i += 1
        if i + 2 >= len(doc) or not (doc[i].is_lower and doc[i].lower_ in PLACE_NOUNS and doc[i + 1].lower_ == "of"):
            return None
        if not self.is_name_token(doc[i + 2]):
            return None
        return doc[i + 2 : self._place_chain(i + 2) + 1]

    @staticmethod
    def _describes_place(token: Token) -> bool:
        """A word before a place noun that does not name the place: an article, an adjective, a common noun, a
        people ("the mountain village of Zlatnik", "the Igbo village of Ogidi", unlike "the Moss Side district of
        Manchester")."""
        if token.pos_ in {"DET", "ADJ"} or token.ent_type_ == "NORP" or (token.pos_ == "NOUN" and token.is_lower):
            return True
        return token.pos_ == "PROPN" and token.dep_ in {"compound", "amod"} and token.ent_type_ not in ORIGIN_LABELS | {
            "FAC"
        }

    def _time_word(self, i: int) -> bool:
        """A word that makes an "in …" phrase a time ("in the same year"), unless it starts a name ("the Winter
        Palace")."""
        doc = self.doc
        if doc[i].lower_ not in TIME_WORDS:
            return False
        return not (doc[i].text[:1].isupper() and i + 1 < len(doc) and i + 1 not in self.date_tokens
                    and self.is_name_token(doc[i + 1]))

    def _place_chain(self, first: int) -> int:
        """Extend a place name: "X in/of (the) Y", "X, Y" (not a person or a new subject), "Stratford-upon-Avon",
        "the Jorasanko mansion in Calcutta", "Cuiheng village, Xiangshan County"."""
        doc = self.doc
        last = self.chain_forward(first).end - 1
        following = doc[last + 1] if last + 1 < len(doc) else None
        if following is not None and following.is_lower and (
            (first > 0 and doc[first - 1].lower_ == "the" and following.lower_ in PLACE_HEADS)
            or (following.lower_ in PLACE_NOUNS and doc[last].dep_ == "compound" and doc[last].head.i == last + 1)
        ):
            last += 1
        while last + 2 < len(doc):
            joint = doc[last + 1]
            step = 2 if doc[last + 2].lower_ == "the" and last + 3 < len(doc) else 1
            start = last + 1 + step
            if joint.lower_ in {"in", "of"} and self.is_name_token(doc[start]):
                last = self.chain_forward(start).end - 1
            elif joint.text == "," and self.is_name_token(doc[last + 2]) and self._continues_place(last + 2):
                last = self.chain_forward(last + 2).end - 1
            elif joint.text == "," and step == 2 and doc[start].ent_type_ in {"GPE", "LOC"}:
                last = self.chain_forward(start).end - 1  # "Noordwijk aan Zee, the Netherlands"
            else:
                break
        return last

    def _continues_place(self, first: int) -> bool:
        """After a comma, a capitalised run continues a place unless it is a nationality, a subject, an antecedent
        or a person's name that goes on into the sentence."""
        run = self.chain_forward(first)
        after = self.doc[run.end : run.end + 2]
        if any(token.ent_type_ == "NORP" or token.dep_ in {"nsubj", "nsubjpass"} for token in run):
            return False
        if any(token.ent_type_ == "PERSON" for token in run) and len(after) > 0 and after[0].text not in ",.;)":
            return False  # "born in Leeds, Mary Jones wrote"; the small model calls "Manchester" a person too
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


def _singular(word: str) -> str:
    """A lower-case word without a plural "s" ("americans" → "american")."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
