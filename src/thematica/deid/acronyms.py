"""Organisations known by their initials: "LYPFT", "SLaM", "the NSFT lot".

An acronym names an organisation when the text says so: its letters are the initials of an
organisation named elsewhere in the same text ("Leeds and York Partnership NHS Foundation Trust"
... "the LYPFT lot"), it mixes capitals and small letters the way organisations write themselves
("SLaM", "ImROC"), or a word around it is an organisation's (``at``, ``for``, ``joined`` before;
``lot``, ``team``, ``staff`` after). Acronyms of a kind of thing (NHS, GP, CBT, PhD) are ordinary
words and never proposed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from thematica.deid.entities import Detection, EntityType
from thematica.deid.gazetteer import Gazetteer, packaged_gazetteer
from thematica.domain.text import Span

__all__ = ["find_acronyms"]

_ACRONYM = re.compile(r"(?<![\w&'’\-])([A-Z][A-Za-z]{0,2}(?:[A-Z][a-z]?){1,6})(?![\w&'’\-])")
_BEFORE = re.compile(r"(?:\bat|\bfor|\bjoined|\bleft|\bfrom|\bwith|\bby)\s+(?:the\s+)?$", re.I)
_AFTER = re.compile(r"^['’]?s?\s+(?:lot|team|staff|office|offices|managers?|people|contract)\b")
_INITIALS_SKIP = frozenset({"and", "of", "the", "for", "upon", "on", "in", "&"})


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[\w’']+", name) if w.casefold() not in _INITIALS_SKIP)


def _within(short: str, initials: str) -> bool:
    """Whether ``short``'s letters appear in ``initials`` in order, first letter first."""
    if not initials or short[0] != initials[0]:
        return False
    position = 0
    for letter in short:
        position = initials.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def find_acronyms(
    text: str, organisations: Sequence[Detection] = (), gazetteer: Gazetteer | None = None
) -> list[Detection]:
    """Acronyms in ``text`` that name an organisation; ``organisations`` are those already
    found in it, whose initials an acronym may be.

    >>> names = find_acronyms("at the Leeds and York Partnership Trust, the LYPT lot")
    >>> [d.text for d in names]
    ['LYPT']
    """
    g = gazetteer or packaged_gazetteer()
    initials = [_initials(d.text).upper() for d in organisations]
    found: list[Detection] = []
    for m in _ACRONYM.finditer(text):
        word = m.group(1)
        capitals = sum(c.isupper() for c in word)
        key = word.casefold()
        if capitals < 2 or len(word) < 3 or key in g.common_words or key in g.countries:
            continue
        mixed = any(c.islower() for c in word[1:])
        letters = "".join(c for c in word if c.isupper())
        named = any(_within(letters, i) for i in initials)
        cued = bool(
            _BEFORE.search(text[max(0, m.start() - 20) : m.start()])
            or _AFTER.match(text[m.end() : m.end() + 20])
        )
        if named or mixed or cued:
            score = 0.8 if named else 0.6
            found.append(Detection(Span(*m.span(1)), EntityType.ORGANISATION, word, "names", score))
    return found
