"""Canonical text and spans.

A document's text is canonical and immutable once coded: Unicode NFC, ``\\n`` line endings and no
byte-order mark. Every span is ``[start, end)`` in Unicode code points over that text. Code points,
not bytes or UTF-16 units, because Python strings index by code point, REFI-QDA counts characters,
and a span must mean the same passage whatever encoding the file arrived in.

Importers canonicalise with :func:`canonicalize`, which also returns an :class:`OffsetMap` so that
positions recorded against the text *as written* (for example by another tool, over CRLF text with
a BOM) can be moved onto the canonical text.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from thematica.errors import SpanError

__all__ = ["OffsetMap", "Span", "canonicalize", "is_canonical"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points in a canonical text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise SpanError(
                "a span must be non-empty with 0 <= start < end", span=(self.start, self.end)
            )

    def __len__(self) -> int:
        return self.end - self.start

    def check_within(self, text_length: int, *, where: str | None = None) -> None:
        """Raise :class:`SpanError` unless the span lies inside a text of ``text_length``."""
        if self.end > text_length:
            raise SpanError(
                f"span ends past the end of the text ({text_length} characters)",
                element=where,
                span=(self.start, self.end),
            )

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def of(self, text: str) -> str:
        """The passage of ``text`` this span covers."""
        return text[self.start : self.end]


def is_canonical(text: str) -> bool:
    """True if ``text`` is already NFC, has only ``\\n`` line endings and no BOM."""
    return (
        "\r" not in text
        and not text.startswith("\ufeff")
        and unicodedata.is_normalized("NFC", text)
    )


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps code-point offsets in an original text onto its canonical text.

    Stores, for each original offset where the mapping changes, the shift to apply; between such
    points the shift is constant. Offsets inside a removed sequence (the ``\\r`` of a CRLF, a BOM)
    map to where that sequence went.
    """

    _points: tuple[int, ...]
    _shifts: tuple[int, ...]
    original_length: int

    def to_canonical(self, offset: int) -> int:
        if not 0 <= offset <= self.original_length:
            raise SpanError(
                f"position {offset} is outside the original text "
                f"({self.original_length} characters)"
            )
        i = bisect.bisect_right(self._points, offset) - 1
        return offset + (self._shifts[i] if i >= 0 else 0)


def canonicalize(text: str) -> tuple[str, OffsetMap]:
    """Return the canonical form of ``text`` and the map from original to canonical offsets.

    Drops a leading BOM, turns CRLF and lone CR into LF, and applies NFC.

    >>> canon, offsets = canonicalize("\\ufeffa\\r\\nb")
    >>> canon
    'a\\nb'
    >>> offsets.to_canonical(4)   # 'b' was at 4 in the original
    2
    """
    n = len(text)
    if is_canonical(text):
        return text, OffsetMap((), (), n)
    builder = _MapBuilder()
    out: list[str] = []
    produced = 0  # length of canonical text written so far
    i = 0
    if text.startswith("\ufeff"):
        i = 1
        builder.mark(1, -1)
    while i < n:
        j = text.find("\r", i)
        run = text[i:] if j < 0 else text[i:j]
        produced = _emit_run(run, i, produced, out, builder)
        if j < 0:
            break
        out.append("\n")
        produced += 1
        if j + 1 < n and text[j + 1] == "\n":
            # CRLF -> LF: the CR and the LF both map onto the one LF kept.
            builder.mark(j + 1, produced - 1 - (j + 1))
            i = j + 2
            builder.mark(i, produced - i)
        else:
            i = j + 1  # a lone CR (old Mac files) becomes LF, same length
    return "".join(out), OffsetMap(tuple(builder.points), tuple(builder.shifts), n)


class _MapBuilder:
    """Collects (original offset, shift) breakpoints, dropping ones that change nothing."""

    def __init__(self) -> None:
        self.points: list[int] = []
        self.shifts: list[int] = []

    def mark(self, point: int, shift: int) -> None:
        current = self.shifts[-1] if self.shifts else 0
        if shift == current:
            return
        if self.points and self.points[-1] == point:
            self.shifts[-1] = shift
            return
        self.points.append(point)
        self.shifts.append(shift)


def _emit_run(run: str, origin: int, produced: int, out: list[str], builder: _MapBuilder) -> int:
    """Append the NFC form of ``run`` (which holds no CR); return the new canonical length.

    NFC changes text only inside a starter and its combining marks, so a run that is already
    normalised is copied whole, and otherwise each such segment is normalised on its own. Offsets
    inside a segment whose length changed are clamped into the segment's canonical form.
    """
    if unicodedata.is_normalized("NFC", run):
        out.append(run)
        return produced + len(run)
    k = 0
    length = len(run)
    while k < length:
        end = k + 1
        while end < length and unicodedata.combining(run[end]):
            end += 1
        segment = run[k:end]
        normal = unicodedata.normalize("NFC", segment)
        out.append(normal)
        if len(normal) != len(segment):
            for p in range(k + 1, end):
                builder.mark(origin + p, produced + min(p - k, len(normal)) - (origin + p))
            builder.mark(origin + end, produced + len(normal) - (origin + end))
        produced += len(normal)
        k = end
    return produced
