"""The study's own list: names and free-text identifiers the team knows are in its data.

A team knows things no word list does: its participants' names, the nickname of a ward, a
village everyone would recognise. Terms are matched as whole words, ignoring case, with or
without a possessive ``'s``; the longest term wins where two overlap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from thematica.deid.entities import Detection, EntityType
from thematica.domain.text import Span

__all__ = ["find_terms"]


def find_terms(text: str, terms: Mapping[str, EntityType]) -> list[Detection]:
    """Every whole-word occurrence in ``text`` of a term in ``terms`` (term -> its type).

    >>> terms = {"Larch Ward": EntityType.ORGANISATION}
    >>> [(d.text, d.type.value) for d in find_terms("Ask LARCH WARD's nurse", terms)]
    [('LARCH WARD', 'ORGANISATION')]
    """
    by_key: dict[str, EntityType] = {}
    for term, type_ in terms.items():
        key = " ".join(term.casefold().split())
        if key:
            by_key[key] = type_
    if not by_key:
        return []
    alternatives = sorted(by_key, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    found = []
    for m in pattern.finditer(text):
        key = " ".join(m.group(1).casefold().split())
        found.append(Detection(Span(m.start(1), m.end(1)), by_key[key], m.group(1), "study-list"))
    return found
