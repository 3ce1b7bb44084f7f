"""How another tool counted positions, and moving them onto canonical code points.

REFI-QDA says positions count "characters" without saying which. Python tools (QualCoder, qc)
count code points; NVivo counts UTF-16 code units, so every emoji or other character beyond the
Basic Multilingual Plane counts twice (checked on the real NVivo 12 export in the samples: read as
code points, 366 of its 594 selection boundaries fall inside words; read as UTF-16, 3 do). The two
agree on text without such characters, which is most interview text.

:func:`detect_unit` decides per project, in this order: positions that only fit one reading;
the exporting tool when it is known; which reading puts fewer selection boundaries inside words;
and code points when nothing tells them apart.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from thematica.interchange.refi.model import PositionUnit

__all__ = ["UTF16_ORIGIN_NOTE", "SourcePositions", "Utf16Offsets", "detect_unit"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: Exporting tools known to count UTF-16 code units (lower-case prefixes of ``origin``).
_UTF16_ORIGINS = ("nvivo",)
#: Thematica's writer adds this to ``origin`` when it writes UTF-16 positions (for NVivo).
UTF16_ORIGIN_NOTE = "positions in UTF-16 code units"


class Utf16Offsets:
    """Turns UTF-16 code-unit offsets in ``text`` into code-point offsets, and back."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # The UTF-16 offset just after each astral character (which takes two code units).
        self._ends = [at + k + 2 for k, at in enumerate(self._astral)]
        self.length = len(text) + len(self._ends)

    def __bool__(self) -> bool:
        return bool(self._ends)

    def to_code_points(self, offset: int) -> int:
        return offset - bisect.bisect_right(self._ends, offset)

    def from_code_points(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def splits_pair(self, offset: int) -> bool:
        """True if ``offset`` falls between the two halves of a surrogate pair."""
        i = bisect.bisect_left(self._ends, offset + 1)
        return i < len(self._ends) and self._ends[i] == offset + 1


@dataclass(frozen=True, slots=True)
class SourcePositions:
    """One source's text as written and the raw ``(start, end)`` of its selections."""

    text: str
    spans: Sequence[tuple[int, int]]


def detect_unit(origin: str | None, sources: Sequence[SourcePositions]) -> tuple[PositionUnit, str]:
    """Which unit the positions of a project are counted in, and the reason, in words."""
    relevant = [s for s in sources if s.spans and _ASTRAL.search(s.text)]
    if not relevant:
        return "code-points", (
            "no coded text holds characters beyond the Basic Multilingual Plane, "
            "so code points and UTF-16 units agree"
        )
    fits_code_points = fits_utf16 = True
    misses = {"code-points": 0, "utf-16": 0}
    for source in relevant:
        units = Utf16Offsets(source.text)
        n = len(source.text)
        for start, end in source.spans:
            if end > n:
                fits_code_points = False
            if end > units.length or units.splits_pair(start) or units.splits_pair(end):
                fits_utf16 = False
            misses["code-points"] += _inside_words(source.text, start, end)
            misses["utf-16"] += _inside_words(
                source.text, units.to_code_points(start), units.to_code_points(end)
            )
    if fits_utf16 and not fits_code_points:
        return "utf-16", "some positions lie past the end of the text unless counted in UTF-16"
    if fits_code_points and not fits_utf16:
        return "code-points", "some positions would split a character in two if counted in UTF-16"
    tool = (origin or "").strip().lower()
    if tool.startswith(_UTF16_ORIGINS) or UTF16_ORIGIN_NOTE.lower() in tool:
        return "utf-16", f"{origin} counts positions in UTF-16 code units"
    if tool.startswith("thematica"):
        return "code-points", f"{origin} counts positions in code points"
    counted = (
        f"{misses['code-points']} selection boundaries fall inside words when read as code "
        f"points, {misses['utf-16']} when read as UTF-16 units"
    )
    if misses["utf-16"] < misses["code-points"]:
        return "utf-16", counted
    return "code-points", counted if misses["code-points"] < misses["utf-16"] else (
        "the two readings fit the text equally well; code points assumed"
    )


def _inside_words(text: str, start: int, end: int) -> int:
    """How many of the two boundaries of ``[start, end)`` cut a word in two."""
    n = len(text)
    cuts = 0
    for at in (start, end):
        if 0 < at < n and text[at - 1].isalnum() and text[at].isalnum():
            cuts += 1
    return cuts
