"""Finding the passage a person means: by the words they quote, or by turn.

People name a passage by quoting it, not by counting characters. A quote matches the text
with any run of whitespace standing for any other (a quote typed on one line matches words
broken over two), ignoring case. When the words occur more than once the
caller must pick the occurrence or the turn: coding the first one silently would code the wrong
passage without anyone noticing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from thematica.domain.study import Document
from thematica.domain.text import Span
from thematica.errors import InvalidInputError

__all__ = ["Located", "locate_passage"]

_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Located:
    """Where a passage is: its span, and the (1-based) turn it starts in, if the text has turns."""

    span: Span
    turn: int | None


def _turn_of(document: Document, offset: int) -> int | None:
    for i, turn in enumerate(document.turns, start=1):
        if turn.span.start <= offset < turn.span.end:
            return i
    return None


def _occurrences(text: str, quote: str, within: Span) -> list[Span]:
    words = unicodedata.normalize("NFC", quote).split()
    if not words:
        raise InvalidInputError("the quote is empty")
    region = text[within.start : within.end]
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [
        Span(within.start + m.start(), within.start + m.end()) for m in pattern.finditer(region)
    ]


def _without_label(document: Document, turn: int) -> Span:
    """Turn ``turn``'s span without its ``Speaker:`` label, which is not what anyone codes."""
    found = document.turns[turn - 1]
    text = found.span.of(document.text)
    label = re.match(re.escape(found.speaker) + r"\s*:\s*", text) if found.speaker else None
    if label is None or label.end() >= len(text):
        return found.span
    return Span(found.span.start + label.end(), found.span.end)


def locate_passage(
    document: Document,
    *,
    quote: str | None = None,
    occurrence: int | None = None,
    turn: int | None = None,
) -> Located:
    """The passage of ``document`` that ``quote`` names (within turn ``turn``, if given), or the
    whole turn ``turn`` when there is no quote. ``occurrence`` (1-based) picks one of several.

    Raises :class:`InvalidInputError` naming the document when the quote is not there, or when it
    is there more than once and neither ``occurrence`` nor ``turn`` says which.
    """
    where = f"document {document.name!r}"
    region = Span(0, len(document.text)) if document.text else None
    if turn is not None:
        if not 1 <= turn <= len(document.turns):
            raise InvalidInputError(
                f"turn {turn} does not exist: the document has {len(document.turns)} turn(s)",
                element=where,
            )
        region = document.turns[turn - 1].span
    if region is None:
        raise InvalidInputError("the document is empty", element=where)
    if quote is None:
        if turn is None:
            raise InvalidInputError("say which passage: a quote, a turn, or START END")
        if occurrence is not None:
            raise InvalidInputError("an occurrence needs a quote")
        return Located(_without_label(document, turn), turn)
    found = _occurrences(document.text, quote, region)
    shown = quote if len(quote) <= 60 else quote[:57] + "..."
    inside = f" in turn {turn}" if turn is not None else ""
    if not found:
        raise InvalidInputError(f"the words {shown!r} are not in the text{inside}", element=where)
    if occurrence is None:
        if len(found) > 1:
            places = ", ".join(
                f"{i} at {s.start}" + (f" (turn {t})" if (t := _turn_of(document, s.start)) else "")
                for i, s in enumerate(found[:_SHOWN], start=1)
            )
            more = " ..." if len(found) > _SHOWN else ""
            raise InvalidInputError(
                f"the words {shown!r} occur {len(found)} times{inside}: {places}{more}; "
                "pick one with --occurrence N or --turn N",
                element=where,
            )
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        raise InvalidInputError(
            f"occurrence {occurrence} asked for, but the words {shown!r} occur "
            f"{len(found)} time(s){inside}",
            element=where,
        )
    span = found[occurrence - 1]
    return Located(span, turn if turn is not None else _turn_of(document, span.start))
