"""Offsets at the browser's edge: JavaScript counts UTF-16 code units, Thematica code points.

A character outside the Basic Multilingual Plane (most emoji) is one code point and two UTF-16
units; combining accents and right-to-left letters are one of each. The server stores code points
and converts here, once, for everything that crosses to or from the browser.
"""

from __future__ import annotations

from bisect import bisect_right

from thematica.errors import SpanError

__all__ = ["Utf16Map"]


class Utf16Map:
    """Converts offsets into one text between code points and UTF-16 code units."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        #: Code-point positions of the astral characters (two UTF-16 units each), in order.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        #: The UTF-16 offset just after each of them.
        self._ends = [i + k + 2 for k, i in enumerate(self._astral)]
        self.units = self.length + len(self._astral)

    def to_utf16(self, point: int) -> int:
        """The UTF-16 offset of code-point offset ``point``."""
        return point + bisect_right(self._astral, point - 1)

    def to_point(self, unit: int, *, what: str = "offset") -> int:
        """The code-point offset of UTF-16 offset ``unit``; refuses the middle of a pair."""
        if not 0 <= unit <= self.units:
            raise SpanError(f"{what} {unit} lies outside the text (0..{self.units} UTF-16 units)")
        before = bisect_right(self._ends, unit)  # astral characters wholly before ``unit``
        if before < len(self._ends) and self._ends[before] - 1 == unit:
            raise SpanError(f"{what} {unit} falls inside a character (a surrogate pair)")
        return unit - before
