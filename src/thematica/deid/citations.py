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

_SURNAME = r"[A-Z][\w’'\-]*[a-zà-ÿ]"
_PAIR = re.compile(rf"\b({_SURNAME})\s+(?:and|&)\s+({_SURNAME})\b")
_YEAR_AFTER = re.compile(rf"\b({_SURNAME})(?:['’]s)?\s*\(\s*(?:19|20)\d\d[a-z]?\s*\)")
_ET_AL = re.compile(rf"\b({_SURNAME})\s+et\.?\s+al\b")
_WORK = (
    r"model|cycle|framework|approach|theory|work|works|book|paper|version|method|stages|"
    r"criteria|guidelines|checklist|concept|idea|ideas|definition|hierarchy|ladder|scale"
)
_WORK_AFTER = re.compile(rf"\b({_SURNAME})(?:['’]s)?\s+(?:\w+\s+)?(?:{_WORK})\b")
_CUE_BEFORE = re.compile(
    r"(?:\bby|\bfrom|\bof|\bread|\breading|\bcites?|\bciting|\baccording to|\blike)\s+$",
    re.IGNORECASE,
)


def _candidates(text: str, g: Gazetteer) -> Iterator[tuple[int, int]]:
    for m in _PAIR.finditer(text):
        first, second = m.group(1).casefold(), m.group(2).casefold()
        if first in g.authors or second in g.authors:
            yield m.span(1)
            yield m.span(2)
    for pattern in (_YEAR_AFTER, _ET_AL):
        for m in pattern.finditer(text):
            yield m.span(1)
    for m in _WORK_AFTER.finditer(text):
        if m.group(1).casefold() in g.authors:
            yield m.span(1)
    for m in re.finditer(rf"\b{_SURNAME}\b", text):
        if m.group().casefold() in g.authors and _CUE_BEFORE.search(
            text[max(0, m.start() - 20) : m.start()]
        ):
            yield m.span()


def find_authors(text: str, gazetteer: Gazetteer | None = None) -> list[Detection]:
    """Authors cited in ``text``, in order.

    >>> [d.text for d in find_authors("We follow Braun and Clarke, and Charmaz (2006).")]
    ['Braun', 'Clarke', 'Charmaz']
    """
    g = gazetteer or packaged_gazetteer()
    spans = sorted(set(_candidates(text, g)))
    return [Detection(Span(s, e), EntityType.AUTHOR, text[s:e], "citations", 0.8) for s, e in spans]
