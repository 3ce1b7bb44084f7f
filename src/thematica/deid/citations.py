"""Cited authors: "the Braun and Clarke version", "Charmaz (2006)", "Gibbs's reflective cycle".

An author a participant or interviewer cites is a person's name, but not a participant's: a study
may choose to keep them (reject every ``AUTHOR`` item in one decision). So they are a type of
their own, found by the words around a capitalised surname: another author joined by ``and`` or
``&``, a year in brackets, ``et al``, or a word such as ``model`` or ``framework`` after it. A
surname in the shipped list of much-cited authors needs a weaker cue (``from Gibbs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from thematica.deid.entities import Detection, EntityType
from thematica.deid.gazetteer import Gazetteer, packaged_gazetteer
from thematica.domain.text import Span

__all__ = ["find_authors"]

_CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]*[a-zà-ÿ]\b")
_AND_NEXT = re.compile(r"\s+(?:and|&)\s+([A-Z][\w’'\-]*[a-zà-ÿ])\b")
_YEAR_NEXT = re.compile(r"(?:['’]s)?\s*\(\s*(?:19|20)\d\d[a-z]?\s*\)")
_ET_AL_NEXT = re.compile(r"\s+et\.?\s+al\b")
_WORK = (
    r"model|cycle|framework|approach|theory|work|works|book|paper|version|method|stages|"
    r"criteria|guidelines|checklist|concept|idea|ideas|definition|hierarchy|ladder|scale"
)
_WORK_NEXT = re.compile(rf"(?:['’]s)?\s+(?:\w+\s+)?(?:{_WORK})\b")
_CUE_BEFORE = re.compile(
    r"(?:\bby|\bfrom|\bof|\bread|\breading|\bcites?|\bciting|\baccording to|\blike)\s+$",
    re.IGNORECASE,
)


def _candidates(text: str, g: Gazetteer) -> Iterator[tuple[int, int]]:
    """One pass over the capitalised words; the cues are looked at only around each."""
    for m in _CAPITALISED.finditer(text):
        start, end = m.span()
        if m.group().endswith(("'s", "’s")):  # "Mead's work": the name without its 's
            end -= 2
        after = text[end : end + 40]
        if _YEAR_NEXT.match(after) or _ET_AL_NEXT.match(after):
            yield start, end
            continue
        listed = text[start:end].casefold() in g.authors
        pair = _AND_NEXT.match(after)
        if pair is not None and (listed or pair.group(1).casefold() in g.authors):
            yield start, end
            yield end + pair.start(1), end + pair.end(1)
        elif listed and (
            _WORK_NEXT.match(after) or _CUE_BEFORE.search(text[max(0, start - 20) : start])
        ):
            yield start, end


_FORENAME_BEFORE = re.compile(r"(?<![.!?\n]\s)(?<![.!?\n])\b([A-Z][a-zà-ÿ'’\-]+) $")


def _with_forename(text: str, start: int, end: int, g: Gazetteer) -> tuple[int, int]:
    """``Shery Mead``: an author's forename before the surname, mid-sentence, is part of it."""
    m = _FORENAME_BEFORE.search(text, max(0, start - 20), start)
    if m is None or m.start(1) == 0:  # nothing, or a word opening the text
        return start, end
    word = m.group(1).casefold()
    if word in g.common_words or word in g.authors or word in g.countries:
        return start, end
    return m.start(1), end


def find_authors(text: str, gazetteer: Gazetteer | None = None) -> list[Detection]:
    """Authors cited in ``text``, in order.

    >>> [d.text for d in find_authors("We follow Braun and Clarke, and Charmaz (2006).")]
    ['Braun', 'Clarke', 'Charmaz']
    """
    g = gazetteer or packaged_gazetteer()
    spans = sorted({_with_forename(text, s, e, g) for s, e in _candidates(text, g)})
    return [Detection(Span(s, e), EntityType.AUTHOR, text[s:e], "citations", 0.8) for s, e in spans]
