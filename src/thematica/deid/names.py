"""Names of people, places and organisations in interview speech, found without a model.

Transcribed speech is not newspaper text: names come lower-case ("i told dave"), possessive
("sarah's office"), as first names alone, and mixed with fillers. The detector works on words
(a regular-expression tokeniser) and decides with three kinds of evidence:

* **word lists** shipped in the package (:mod:`thematica.deid.gazetteer`): forenames, surnames,
  towns and cities, employers that do not announce themselves (``Tesco``, ``Mind``);
* **the shape of a name**: a run of capitalised words in mid-sentence, ending in an organisation
  word (``... Mental Health Trust``, ``... Ward``, ``... Surgery``) or a street word (``... Road``),
  or starting with a title (``Dr``, ``Mrs``, ``Father``) or ``St``;
* **context**: the word before an unknown capitalised word (``in Harehills`` is a place, ``at
  Willowbrook`` an employer, otherwise a person).

Recall comes first. A reviewer rejects a false alarm in a second; a missed name is a leak. So a
capitalised word in mid-sentence that is in no list of ordinary words is put forward as a possible
name with a lower score. Forenames that are everyday words (Will, Grace, May) count only when
capitalised in mid-sentence, and months win over names (``in May``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from thematica.deid.entities import Detection, EntityType
from thematica.deid.gazetteer import Gazetteer, packaged_gazetteer
from thematica.domain.text import Span

__all__ = ["find_names"]

_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:[’'\-][^\W\d_]+)*[’']?")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\n]|\.\.\.|—|-\s)\s*$")
_NUMBERED_UNIT = re.compile(r"\b(?:Ward|Unit|Bay|Suite|Block)\s+\d{1,3}[A-Z]?\b")
_HOUSE_NUMBER = re.compile(r"\b\d{1,4}[a-zA-Z]?\s$")
# Words before a name that introduce or address someone: "I'm Mei", "my name is", "Thanks, Kris".
_ADDRESS_BEFORE = re.compile(
    r"(?:\bI['’]m|\bI am|\bmy name is|\bmy name['’]s|\bcall me|\bthis is|\bthanks|"
    r"\bthank you|\bcheers|\bhi|\bhello|\bhiya|\bdear|\bbye)[,:]?\s+$",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(
    r"(?:['’]s\b|,\s|\s(?:said|says|was|is|has|had|told|asked|especially|too|as well)\b)"
)
# Endings of English words that names almost never have (a sentence-opening word with one is
# taken for a word), and contractions ("They've").
_WORD_SHAPE = re.compile(
    r"(?:ing|ly|tion|sion|ment|ness|ity|ous|ful|less|ive|ance|ence|ism|ist|ship|able|ible)$"
    r"|['’](?:ve|re|ll|d|t|m)$"
)
_NATIONS = frozenset({"england", "scotland", "wales", "cymru", "britain", "uk", "international"})


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_COMPASS = _words("north south east west northern southern eastern western central new greater")
ORGANISATION_WORDS = _words(
    "trust nhs council hospital infirmary ward unit centre center college university school "
    "academy surgery practice clinic hub house lodge recovery support care services service "
    "foundation charity partnership project cafe café church mosque temple gurdwara "
    "synagogue ltd limited plc association society network housing health board team group "
    "collective alliance fellowship institute agency programme hostel home homes cic cio llp "
    "wellbeing "
    "plc uk"
)
STREET_WORDS = _words(
    "street road lane avenue drive close way crescent terrace grove place park square gardens "
    "row walk mews hill rise court estate parade green"
)
_LOWER_CASE_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof"})
_ORGANISATION_ACRONYMS = frozenset({"CIC", "CIO", "LLP", "LTD", "PLC", "UK", "NHS"})
TITLES = _words("mr mrs ms miss mx dr doctor prof professor father sister rev reverend")
CALENDAR = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december christmas easter"
)
_CONNECTORS = frozenset({"and", "upon", "on", "of", "the", "de", "van"})
_PLACE_BEFORE = _words(
    "in from to near round around outside towards via into up down over live lives lived"
)
_ORGANISATION_BEFORE = frozenset({"at", "for", "joined", "by"})
_PERSON_BEFORE = _words(
    "called named call ask asked tell told with and talk talked speak spoke said say says "
    "thank thanks met meet see saw"
)
_ROLES = _words(
    "manager boss supervisor colleague friend mate sister brother mum mam dad husband wife "
    "partner son daughter nurse consultant worker lead leader director tutor trainer "
    "keyworker psychiatrist psychologist therapist counsellor gp doctor"
)
_PERSON_VERBS_BEFORE_TO = _words(
    "talk talked talking speak spoke speaking said say says chat chatted listen listened "
    "write wrote send sent give gave introduce introduced recommend explain explained"
)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int  # the end of the name itself: a possessive 's is left outside
    full_end: int
    text: str
    lower: str
    capitalised: bool
    sentence_start: bool

    def whole(self, text: str) -> str:
        return text[self.start : self.full_end]


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    previous_end = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        quoted = "'" in word or "’" in word  # most words have no apostrophe: skip the work
        base = _POSSESSIVE.sub("", word) if quoted and len(word) > 3 else word
        base = (base.rstrip("'’") or word) if quoted else base
        end = m.start() + len(base)
        gap = text[previous_end : m.start()]
        sentence_start = (
            not found
            or "\n" in gap
            or bool(_SENTENCE_START.search(text, max(0, m.start() - 4), m.start()))
        )
        capitalised = base[0].isupper() and len(base) > 1  # "A&E", "B&Q": letters, not names
        if capitalised:
            letters = base.replace("’", "'").partition("'")[0] if quoted else base
            letters = letters[:-1] if letters.endswith("s") and letters[:-1].isupper() else letters
            acronym = letters.isupper() and len(letters) > 1  # NHS, CPAs, TUPE'd, TRANSCRIPT
            capitalised = not acronym or letters in _ORGANISATION_ACRONYMS
        found.append(
            _Token(m.start(), end, m.end(), base, base.casefold(), capitalised, sentence_start)
        )
        previous_end = m.end()
    return found


class _Finder:
    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.text = text
        self.g = gazetteer
        self.tokens = _tokens(text)
        #: words this text writes in lower case: a capitalised one of them is an ordinary word
        #: ("mick's" does not count: a possessive in lower case is more often a name in speech)
        self.lower_words = frozenset(
            t.lower for t in self.tokens if t.text[0].islower() and t.end == t.full_end
        )

    # -- what a word is --------------------------------------------------------------------
    def is_forename(self, t: _Token) -> bool:
        first = t.lower.split("-")[0]
        if t.lower in self.g.forenames or first in self.g.forenames:
            return t.lower not in CALENDAR
        return (
            t.lower in self.g.ambiguous_forenames
            and t.capitalised
            and not t.sentence_start
            and t.lower not in CALENDAR
        )

    def is_ordinary(self, t: _Token) -> bool:
        if "-" in t.lower:  # "Trust-wide", "Step-down": ordinary when their first part is
            first = t.lower.split("-")[0]
            return first in self.g.common_words and first not in self.g.forenames
        return t.lower in self.g.common_words or t.lower in CALENDAR or t.lower in self.g.countries

    def before(self, index: int) -> str:
        """The word before token ``index``, lower case, if only a space separates them."""
        if index == 0:
            return ""
        prev = self.tokens[index - 1]
        gap = self.text[prev.full_end : self.tokens[index].start]
        return prev.lower if gap.strip(" ") == "" else ""

    def adjacent(self, a: _Token, b: _Token) -> bool:
        """One space (or hyphen) between; a possessive ends a name unless an organisation word
        follows ("Women's Association", "St Mary's Hospital")."""
        gap = self.text[a.full_end : b.start]
        return gap in (" ", "-") and (a.full_end == a.end or b.lower in ORGANISATION_WORDS)

    # -- runs of capitalised words ---------------------------------------------------------
    def runs(self) -> Iterator[tuple[int, int]]:
        """Maximal runs ``[i, j)`` of capitalised tokens separated by one space (or joined by a
        lower-case connector such as ``upon`` or ``and``)."""
        i, n = 0, len(self.tokens)
        while i < n:
            if not self.tokens[i].capitalised:
                i += 1
                continue
            j = i + 1
            while j < n and self.adjacent(self.tokens[j - 1], self.tokens[j]):
                tok = self.tokens[j]
                if tok.capitalised and not tok.sentence_start:
                    j += 1
                elif (  # "Newcastle upon Tyne", "Cardiff and Vale": a connector between names
                    tok.lower in _CONNECTORS
                    and j + 1 < n
                    and self.tokens[j + 1].capitalised
                    and self.adjacent(tok, self.tokens[j + 1])
                ):
                    j += 2
                else:
                    break
            yield i, j
            i = j

    def phrase(self, i: int, j: int) -> str:
        return " ".join(t.lower for t in self.tokens[i:j])

    def lookup(self, i: int, limit: int) -> tuple[int, EntityType | None] | None:
        """The longest place or organisation in the lists starting at token ``i`` (connectors
        such as ``upon`` allowed inside), as ``(end token, type)``; a country as ``(end, None)``
        (countries are treated one way: never proposed)."""
        best: tuple[int, EntityType | None] | None = None
        j = i
        words: list[str] = []
        while j < limit and len(words) < self.g.longest_entry:
            tok = self.tokens[j]
            words.append(self.text[tok.start : tok.full_end].casefold())
            key, base = " ".join(words), " ".join([*words[:-1], tok.lower])
            if key in self.g.organisations or base in self.g.organisations:
                best = (j + 1, EntityType.ORGANISATION)
            elif base in self.g.places:
                best = (j + 1, EntityType.PLACE)
            elif base in self.g.countries:
                best = (j + 1, None)
            j += 1
        return best

    def detection(
        self, i: int, j: int, type_: EntityType, score: float, *, keep_s: bool = False
    ) -> Detection:
        start = self.tokens[i].start
        end = self.tokens[j - 1].full_end if keep_s else self.tokens[j - 1].end
        if type_ is EntityType.PLACE:
            number = _HOUSE_NUMBER.search(self.text, max(0, start - 6), start)
            if number is not None and self.tokens[j - 1].lower in STREET_WORDS:
                start = number.start()
        return Detection(Span(start, end), type_, self.text[start:end], "names", score)

    def classify_run(self, i: int, j: int) -> Iterator[Detection]:
        toks = self.tokens
        # Leading words capitalised only because they start a sentence ("So", "I", "Honestly").
        while (
            i < j and self.is_ordinary(toks[i]) and (toks[i].sentence_start or toks[i].lower == "i")
        ):
            if toks[i].lower in TITLES or (toks[i].lower == "the" and not toks[i].sentence_start):
                break
            i += 1
        if i >= j:
            return
        cued = self.by_shape(i, j)
        if cued is not None:
            yield cued
            return
        k = i
        while k < j:
            found = self.lookup(k, j)
            segment = k + 1
            while segment < j and toks[segment].lower not in _CONNECTORS:
                segment += 1
            shaped = self.by_shape(k, segment) if segment < j else None
            if found is None and shaped is not None:  # "Larch Ward" in "Larch Ward in Leeds"
                yield shaped
                k = segment
                continue
            if found is not None:
                end, type_ = found
                if type_ is None:  # a country
                    k = end
                    continue
                single = end - k == 1
                word = toks[k]
                wordy = single and (
                    word.lower in self.g.ambiguous_places or word.lower in self.g.common_words
                )
                if not (wordy and word.sentence_start):
                    keep = type_ is EntityType.ORGANISATION
                    yield self.detection(k, end, type_, 0.9, keep_s=keep)
                k = end
                continue
            tok = toks[k]
            if tok.lower in TITLES and k + 1 < j:
                end = max(self._person_end(k + 1, j), k + 2)  # "Mr Leeds" is a person too
                yield self.detection(k + 1, end, EntityType.PERSON, 0.9)
                k = end
                continue
            if self.is_forename(tok):
                end = self._person_end(k + 1, j)
                yield self.detection(k, end, EntityType.PERSON, 0.9)
                k = end
                continue
            if self.is_ordinary(tok):
                k += 1
                continue
            # An unknown capitalised word: a surname, or what its context says. A known forename
            # after it starts a name of its own ("Ring Sarah": "Ring" is no part of her name).
            end = k + 1
            while (
                end < j
                and not self.is_ordinary(toks[end])
                and not self.is_forename(toks[end])
                and self.lookup(end, j) is None
            ):
                end += 1
            if tok.lower in self.lower_words and not self.person_cue(k):
                k = end  # "Open Science" where "open" and "science" are words in this text
                continue
            if tok.sentence_start and tok.lower not in self.g.surnames:
                if end == k + 1 and self.opens_a_name(k):
                    yield self.detection(k, end, EntityType.PERSON, 0.4)
                k = end
                continue
            if self.person_cue(k):  # "my mate Gaz", "a lad called Curtis"
                yield self.detection(k, end, EntityType.PERSON, 0.8)
            else:
                yield self.detection(k, end, self.by_context(k), 0.5)
            k = end

    def by_shape(self, i: int, j: int) -> Detection | None:
        """A run named by its shape: ending in an organisation or street word, or starting with
        ``St`` or a mid-sentence ``The``."""
        toks = self.tokens
        if j - i < 2:
            return None
        last, first = toks[j - 1].lower, toks[i].lower
        # "Northvale Mental Health Trust" is a name; "The Trust" and "Peer Support" are not:
        # some word before the organisation word must be more than an ordinary word.
        named = any(not self.is_ordinary(t) for t in toks[i : j - 1])
        if last in _NATIONS and not all(t.lower in _COMPASS for t in toks[i : j - 1]):
            return self.detection(i, j, EntityType.ORGANISATION, 0.7)  # "Public Health England"
        if last == "university" and not toks[i].sentence_start:  # "the Open University"
            return self.detection(i, j, EntityType.ORGANISATION, 0.7)
        if last in ORGANISATION_WORDS and named and not self.is_forename(toks[j - 2]):
            return self.detection(i, j, EntityType.ORGANISATION, 0.8)
        if last in STREET_WORDS and named:
            return self.detection(i, j, EntityType.PLACE, 0.8)
        if first in {"st", "saint"}:
            return self.detection(i, j, EntityType.ORGANISATION, 0.7, keep_s=True)
        if (
            first == "the"
            and not toks[i].sentence_start
            and any(not self.is_ordinary(t) for t in toks[i + 1 : j])
        ):
            return self.detection(i, j, EntityType.ORGANISATION, 0.6)
        return None

    def _person_end(self, k: int, j: int) -> int:
        """A forename's run continues over surnames and other unknown capitalised words."""
        toks = self.tokens
        while (
            k < j
            and toks[k].lower not in ORGANISATION_WORDS
            and not self.is_ordinary(toks[k])
            and self.lookup(k, j) is None
            and toks[k - 1].full_end == toks[k - 1].end  # "Sarah's Mum": the name ended
        ):
            k += 1
        return k

    def opens_a_name(self, k: int) -> bool:
        """Whether a sentence-opening unknown word reads as a name: a self-introduction or an
        address before it, or a comma, possessive or a verb of people after it ("Agnieszka, she
        was six"; "Oluwaseun especially")."""
        tok = self.tokens[k]
        if self.person_cue(k):
            return True
        if _WORD_SHAPE.search(tok.lower):  # "Listening,", "Badly,", "They've": words, not names
            return False
        after = self.text[tok.end : tok.end + 16]
        return len(tok.text) > 2 and _NAME_AFTER.match(after) is not None

    def person_cue(self, k: int) -> bool:
        """Whether the words before token ``k`` announce a person: "called", "named", a role
        ("my manager", "her boss was"), a self-introduction ("I'm", "my name is") or an address
        ("Thanks, ...", "Hi ...")."""
        start = self.tokens[k].start
        if _ADDRESS_BEFORE.search(self.text, max(0, start - 16), start):
            return True
        word = self.before(k)
        if word in {"called", "named"}:
            return True
        if word in {"is", "was", "'s"}:
            word = self.before(k - 1)
        if word == "there":
            word = self.before(k - 2)
        return word in _ROLES

    def by_context(self, k: int) -> EntityType:
        word = self.before(k)
        if self.tokens[k].lower in self.g.surnames:
            return EntityType.PERSON
        if word == "to" and self.before(k - 1) in _PERSON_VERBS_BEFORE_TO:
            return EntityType.PERSON
        if word in _PLACE_BEFORE:
            return EntityType.PLACE
        if word in _ORGANISATION_BEFORE:
            return EntityType.ORGANISATION
        return EntityType.PERSON

    def lower_case(self, covered: list[bool]) -> Iterator[Detection]:
        """Names written in lower case: known forenames and places that are not also words, and
        any forename right after a cue ("my boss was precious", "called will")."""
        g = self.g
        for k, tok in enumerate(self.tokens):
            if tok.capitalised or covered[k]:
                continue
            if k > 0 and self.before(k) in _LOWER_CASE_TITLES:
                # "mrs o'hara": a title in lower case still announces a name ("miss" and
                # "father" in lower case are more often a verb and a dad)
                yield self.detection(k, k + 1, EntityType.PERSON, 0.6)
                continue
            named = tok.lower in g.forenames or tok.lower in g.ambiguous_forenames
            if named and self.person_cue(k):  # the cue only matters for a forename
                yield self.detection(k, k + 1, EntityType.PERSON, 0.6)
            elif tok.lower in g.forenames and tok.lower not in g.ambiguous_forenames:
                if tok.lower not in g.common_words:
                    yield self.detection(k, k + 1, EntityType.PERSON, 0.7)
            elif (
                tok.lower in g.places
                and tok.lower not in g.ambiguous_places
                and tok.lower not in g.common_words
            ):
                yield self.detection(k, k + 1, EntityType.PLACE, 0.7)

    def numbered_units(self) -> Iterator[Detection]:
        """``Ward 18``, ``Unit 4``: a ward or unit known by its number."""
        for m in _NUMBERED_UNIT.finditer(self.text):
            yield Detection(
                Span(m.start(), m.end()), EntityType.ORGANISATION, m.group(), "names", 0.8
            )

    def find(self) -> list[Detection]:
        found: list[Detection] = list(self.numbered_units())
        covered = [False] * len(self.tokens)
        for i, j in self.runs():
            found.extend(self.classify_run(i, j))
            for k in range(i, j):
                covered[k] = True
        found.extend(self.lower_case(covered))
        return sorted(found)


def find_names(text: str, gazetteer: Gazetteer | None = None) -> list[Detection]:
    """People, places and organisations named in ``text``, in order (see the module docstring).

    >>> [(d.text, d.type.value) for d in find_names("i told dave, and my manager Sarah in Leeds")]
    [('dave', 'PERSON'), ('Sarah', 'PERSON'), ('Leeds', 'PLACE')]
    """
    return _Finder(text, gazetteer or packaged_gazetteer()).find()
