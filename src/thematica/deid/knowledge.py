"""What a study already knows about the people in a document, turned into names to look for.

A detector that only knows word lists misses a participant whose name is on none of them (issue
11: "Krzysztof" kept in all 101 of his speaker labels). The study knows better: the names on its
participant sheet (and their pseudonyms), the speaker labels import found (``Aoife:``), and the
file and document names, which are very often the participant's name (``PSW07_Ngozi.docx``).
Each of these names, whole and word by word, is looked for everywhere in the text, in any case;
a name that is also an everyday word ("Will", "Grace") only where it is capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from thematica.deid.entities import Detection, EntityType
from thematica.deid.gazetteer import Gazetteer, packaged_gazetteer
from thematica.deid.markers import marker_spans
from thematica.deid.study_terms import find_terms

__all__ = ["StudyKnowledge", "is_role_label"]

# Speaker labels that name a role, not a person: "Interviewer", "Researcher 1", "P07", "Speaker 2".
_ROLE = re.compile(
    r"(?:interviewer|interviewee|researcher|participant|respondent|moderator|facilitator|"
    r"speaker|host|guest|fieldworker|transcriber|note ?taker|observer|member|unknown|int|iv|"
    r"resp|res|part|psw|pw|q|a|i|p|r|m|f|s)(?:\s*[_\-]?\s*\d{1,4}[a-z]?)?",
    re.IGNORECASE,
)


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_FILE_WORDS = _words(
    "interview interviews transcript transcripts transcription final draft copy version anon "
    "anonymised anonymized redacted clean cleaned notes audio recording part focus group pilot "
    "study project edited checked revised verbatim docx doc txt pdf odt rtf vtt srt md and "
    "with the of psw pw int"
)
_TITLES = _words("mr mrs ms miss mx dr prof professor sir dame rev")
# Words of speaker labels that name no one: "Both", "Unknown Speaker", "Male Voice", "Nurse".
_LABEL_WORDS = _words(
    "both all everyone everybody audience group unknown unidentified other others multiple "
    "several voice voices male female man woman child young older staff nurse doctor manager "
    "chair team assistant translator interpreter parent mother father mum dad carer partner "
    "student students peer worker support lead coordinator admin narrator off camera"
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")  # "O'Brien (Jr.)" -> O'Brien, Jr
_SPLIT = re.compile(r"[^\w'’]+|_+|(?<=[a-z])(?=[A-Z])|(?<=\D)(?=\d)|(?<=\d)(?=\D)")


def is_role_label(label: str) -> bool:
    """``Interviewer``, ``Researcher 1``, ``P07``, ``Speaker 2``: a role, not a name."""
    return _ROLE.fullmatch(label.strip()) is not None


@dataclass(frozen=True)
class StudyKnowledge:
    """Names the study knows for one document: ``people`` (sheet names, pseudonyms,
    interviewers), ``speakers`` (its speaker labels) and ``file_names`` (its document name and
    the file it came from)."""

    people: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    file_names: tuple[str, ...] = ()

    def names(self, gazetteer: Gazetteer | None = None) -> dict[str, EntityType]:
        """Every name to look for, whole and word by word, with its type."""
        g = gazetteer or packaged_gazetteer()
        found: dict[str, EntityType] = {}
        people = [*self.people, *(s for s in self.speakers if not is_role_label(s))]
        for name in people:
            if any(e - b >= len(name.strip()) for b, e in marker_spans(name.strip())):
                continue  # "[Name]", "XXX": a sheet cell redacted already
            words = [
                w
                for w in _WORD.findall(name)
                if _useful(w, g) and w.casefold() not in _TITLES | _LABEL_WORDS
            ]
            if not words:
                continue
            if len(words) > 1:
                found[" ".join(words)] = EntityType.PERSON
            for word in words:
                found.setdefault(word.strip("'’"), EntityType.PERSON)
        for file_name in self.file_names:
            stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name.strip())
            for word in _SPLIT.split(stem):
                word = word.strip("'’-")
                if _useful(word, g) and word.casefold() not in _FILE_WORDS:
                    kind = EntityType.PLACE if word.casefold() in g.places else EntityType.PERSON
                    found.setdefault(word, kind)
        return found

    def find(self, text: str, gazetteer: Gazetteer | None = None) -> list[Detection]:
        """Every occurrence in ``text`` of a name the study knows."""
        g = gazetteer or packaged_gazetteer()
        words = g.common_words | g.ambiguous_forenames | g.ambiguous_places | g.countries
        sure: dict[str, EntityType] = {}
        wordy: dict[str, EntityType] = {}
        for name, kind in self.names(g).items():
            (wordy if name.casefold() in words else sure)[name] = kind
        found = find_terms(text, sure) + [
            d for d in find_terms(text, wordy) if d.text[:1].isupper()
        ]
        return [Detection(d.span, d.type, d.text, "study-list", 0.95) for d in found]


def _useful(word: str, g: Gazetteer) -> bool:
    """A word that can be a name: letters, two or more, not a role or an ordinary word."""
    letters = word.strip("'’-")
    if (
        len(letters) < 2
        or not any(c.isalpha() for c in letters)
        or any(c.isdigit() for c in letters)
    ):
        return False
    if letters.isupper() and len(letters) <= 4:  # "PSW", "NHS": an acronym, not a name
        return False
    key = letters.casefold()
    return key not in g.common_words and key not in g.countries and not is_role_label(letters)


def knowledge(
    people: Iterable[str] = (), speakers: Iterable[str] = (), file_names: Iterable[str] = ()
) -> StudyKnowledge:
    """A :class:`StudyKnowledge` from any iterables (blank entries dropped)."""
    return StudyKnowledge(
        tuple(p for p in people if p.strip()),
        tuple(s for s in speakers if s.strip()),
        tuple(f for f in file_names if f.strip()),
    )
