"""How another tool counted positions, and moving them onto canonical code points.

REFI-QDA says positions count "characters" without saying which. Python tools (QualCoder, qc)
count code points; NVivo counts UTF-16 code units, so every emoji or other character beyond the
Basic Multilingual Plane counts twice (checked on the real NVivo 12 export in the samples: read as
code points, 366 of its 594 selection boundaries fall inside words; read as UTF-16, 3 do). The two
agree on text without such characters, which is most interview text.

:func:`detect_unit` weighs the evidence per project: a reading that puts a selection past the end
of its text is impossible; otherwise the reading whose boundaries cut fewer words and split fewer
characters (half a surrogate pair) wins, and the exporting tool, when known, settles a tie or a
close call. Positions never count a byte-order mark: NVivo for Windows writes one before its text
and counts from the character after it (checked against the Mac export of the same project).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from thematica.interchange.refi.model import PositionUnit

__all__ = [
    "UTF16_ORIGIN_NOTE",
    "SourcePositions",
    "UnitDecision",
    "Utf16Offsets",
    "detect_unit",
    "has_astral",
]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: Exporting tools known to count UTF-16 code units (lower-case prefixes of ``origin``).
_UTF16_ORIGINS = ("nvivo",)
#: Exporting tools known to count code points (Python tools; Thematica without the UTF-16 note).
_CODE_POINT_ORIGINS = ("thematica", "qualcoder", "qc ")
#: Thematica's writer adds this to ``origin`` when it writes UTF-16 positions (for NVivo).
UTF16_ORIGIN_NOTE = "positions in UTF-16 code units"


def has_astral(text: str) -> bool:
    """True if ``text`` holds a character beyond the Basic Multilingual Plane (most emoji),
    the only place where code points and UTF-16 units differ."""
    return _ASTRAL.search(text) is not None


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


class UnitDecision(NamedTuple):
    """Which unit a project's positions count, why (in words), and whether it was a close call."""

    unit: PositionUnit
    reason: str
    close: bool = False


@dataclass
class _Evidence:
    """What one reading of the positions does to the text: selections that end past it,
    boundaries that split a surrogate pair (half an emoji), and boundaries that cut a word."""

    past_end: int = 0
    split_pairs: int = 0
    word_cuts: int = 0

    @property
    def weight(self) -> int:
        # Splitting a character is worse than cutting a word, which coders sometimes do.
        return self.word_cuts + 2 * self.split_pairs

    def describe(self) -> str:
        return f"{self.word_cuts} cut a word, {self.split_pairs} split a character"


_NAMES: dict[PositionUnit, str] = {"code-points": "code points", "utf-16": "UTF-16 units"}


def detect_unit(origin: str | None, sources: Sequence[SourcePositions]) -> UnitDecision:
    """Which unit the positions of a project are counted in, weighing the evidence.

    Each reading (code points, UTF-16 units) is tried on every selection boundary where the two
    differ: one that puts a selection past the end of its text is impossible; otherwise the
    reading whose boundaries cut fewer words and split fewer characters wins. The exporting tool,
    when known, settles a tie or a close call. ``close`` is true when the evidence was thin (the
    import summary then says so loudly, so that a person checks a few codings).
    """
    relevant = [s for s in sources if s.spans and _ASTRAL.search(s.text)]
    if not relevant:
        return UnitDecision(
            "code-points",
            "no coded text holds characters beyond the Basic Multilingual Plane, "
            "so code points and UTF-16 units agree",
        )
    seen = {"code-points": _Evidence(), "utf-16": _Evidence()}
    differing = 0
    for source in relevant:
        units = Utf16Offsets(source.text)
        n = len(source.text)
        for start, end in source.spans:
            as_points = seen["code-points"]
            as_units = seen["utf-16"]
            as_points.past_end += end > n
            as_units.past_end += end > units.length
            for at in (start, end):
                moved = units.to_code_points(at)
                split = units.splits_pair(at)
                if moved == at and not split:
                    continue  # the two readings put this boundary in the same place
                differing += 1
                as_points.word_cuts += _cuts_word(source.text, at)
                as_units.word_cuts += _cuts_word(source.text, moved)
                as_units.split_pairs += split
    return _decide(origin, seen, differing)


def _tool_unit(origin: str | None) -> PositionUnit | None:
    tool = (origin or "").strip().lower()
    if tool.startswith(_UTF16_ORIGINS) or UTF16_ORIGIN_NOTE.lower() in tool:
        return "utf-16"
    if tool.startswith(_CODE_POINT_ORIGINS):
        return "code-points"
    return None


def _decide(origin: str | None, seen: dict[str, _Evidence], differing: int) -> UnitDecision:
    points, units = seen["code-points"], seen["utf-16"]
    if bool(points.past_end) != bool(units.past_end):
        unit: PositionUnit = "code-points" if units.past_end else "utf-16"
        other: PositionUnit = "utf-16" if unit == "code-points" else "code-points"
        return UnitDecision(
            unit,
            f"{seen[other].past_end} selection(s) would end past their text if counted in "
            f"{_NAMES[other]}",
        )
    tool = _tool_unit(origin)
    said = f"{origin} counts positions in {_NAMES[tool]}" if tool else ""
    if differing == 0:
        unit = tool or "code-points"
        return UnitDecision(unit, "every selection boundary falls in the same place either way")
    counted = (
        f"of {differing} selection boundaries the two readings place differently, read as "
        f"code points {points.describe()}; read as UTF-16 units {units.describe()}"
    )
    if points.weight == units.weight:
        if tool:
            return UnitDecision(tool, f"{said}; {counted}", close=True)
        return UnitDecision(
            "code-points", f"{counted}: no evidence either way, code points assumed", close=True
        )
    best: PositionUnit = "utf-16" if units.weight < points.weight else "code-points"
    low, high = sorted((points.weight, units.weight))
    # Clear evidence: the loser does at least twice as badly, by more than a couple of cuts.
    clear = high - low > 2 and high >= 2 * low
    if clear:
        against = f" (although {said})" if tool and tool != best else (f"; {said}" if tool else "")
        return UnitDecision(best, f"{counted}{against}")
    if tool and tool != best:
        return UnitDecision(tool, f"{said}, and the evidence is thin: {counted}", close=True)
    also = f"; {said}" if tool else ""
    return UnitDecision(best, f"{counted}{also}", close=not tool)


def _cuts_word(text: str, at: int) -> int:
    """1 if position ``at`` falls between two letters or digits of ``text``."""
    return int(0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum())
