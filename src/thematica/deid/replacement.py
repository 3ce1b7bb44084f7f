"""Replacing identifiers in a text, and moving spans (speaker turns) onto the new text.

A replacement changes the text's length (``Sarah`` becomes ``[Person 3]``), so every span recorded
against the old text must move. :func:`apply_replacements` returns the new text and a
:class:`ReplacementMap` that does the moving. Replacements must not overlap; a span boundary that
falls inside a replaced passage moves to the edge of its replacement, so a span never cuts a
label in two.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from thematica.domain.text import Span
from thematica.errors import SpanError

__all__ = ["Replacement", "ReplacementMap", "apply_replacements"]


@dataclass(frozen=True, slots=True)
class Replacement:
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class ReplacementMap:
    """Old offsets -> new offsets, for one application of replacements."""

    _old: tuple[Span, ...]
    _new: tuple[Span, ...]
    old_length: int

    def new_spans(self) -> tuple[Span, ...]:
        """Where each replacement sits in the new text, in order."""
        return self._new

    def offset(self, old: int, *, side: str = "start") -> int:
        """Where old offset ``old`` lies in the new text.

        Outside replaced passages, offsets shift by the change in length before them. Inside one,
        ``side="start"`` moves to the replacement's start and ``side="end"`` to its end.
        """
        if not 0 <= old <= self.old_length:
            raise SpanError(f"position {old} is outside the text ({self.old_length} characters)")
        i = bisect.bisect_right([s.start for s in self._old], old) - 1
        if i < 0:
            return old
        before, after = self._old[i], self._new[i]
        if old >= before.end:
            return old - before.end + after.end
        if old == before.start:
            return after.start
        return after.start if side == "start" else after.end

    def span(self, old: Span) -> Span:
        """``old`` moved onto the new text (never empty: replacements are never empty)."""
        return Span(self.offset(old.start, side="start"), self.offset(old.end, side="end"))


def apply_replacements(
    text: str, replacements: Sequence[Replacement]
) -> tuple[str, ReplacementMap]:
    """The text with every replacement made, and the map from old to new offsets.

    >>> new, moved = apply_replacements("Ask Sarah now", [Replacement(Span(4, 9), "[Person 1]")])
    >>> new, moved.span(Span(10, 13)), moved.span(Span(4, 9))
    ('Ask [Person 1] now', Span(start=15, end=18), Span(start=4, end=14))
    """
    ordered = sorted(replacements, key=lambda r: r.span.start)
    out: list[str] = []
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    position = 0
    length = 0
    for r in ordered:
        r.span.check_within(len(text), where="replacement")
        if r.span.start < position:
            raise SpanError(
                "replacements overlap", span=(r.span.start, r.span.end), element="replacement"
            )
        if not r.text:
            raise SpanError("a replacement cannot be empty", span=(r.span.start, r.span.end))
        kept = text[position : r.span.start]
        out.append(kept)
        length += len(kept)
        out.append(r.text)
        old_spans.append(r.span)
        new_spans.append(Span(length, length + len(r.text)))
        length += len(r.text)
        position = r.span.end
    out.append(text[position:])
    return "".join(out), ReplacementMap(tuple(old_spans), tuple(new_spans), len(text))
