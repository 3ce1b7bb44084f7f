"""Unitising codings: from spans to "code present or absent in this unit".

Agreement statistics need units; qualitative codings are spans. The documented unitisations:

* ``turn``: each speaker turn (a document without turns falls back to paragraphs);
* ``sentence``: sentences as pysbd's rule-based English segmenter (Sadvilkar and Neumann 2020;
  no model, nothing downloaded) finds them, so "Dr.", "p.m." and "e.g." end no sentence, and
  at line breaks (closing quotes and brackets stay with their sentence);
* ``paragraph``: blocks of text separated by blank lines (or single line breaks);
* ``character``: every non-white-space character, as NVivo and QualCoder report.

A code is *present* in a unit for a coder when any of that coder's codings with that code overlaps
the unit by at least one character. Units are half-open ``[start, end)`` code-point ranges over
the canonical text.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["Unitisation", "presence", "units_for"]

_LINES = re.compile(r"[^\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


class Unitisation(enum.StrEnum):
    TURN = "turn"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    CHARACTER = "character"


def _split(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    start = 0
    for match in pattern.finditer(text):
        # With named groups, the unit ends where the group that matched (the gap) begins.
        end = match.start(match.lastgroup) if match.lastgroup else match.start()
        units.append((start, end))
        start = match.end()
    units.append((start, len(text)))
    return _trimmed(text, units)


@functools.cache
def _segmenter() -> Callable[[str], list[str]]:
    """pysbd's English segmenter (imported on first use: it compiles many rules)."""
    import pysbd

    segment: Callable[[str], list[str]] = pysbd.Segmenter(language="en", clean=False).segment
    return segment


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences within each line, placed on ``text`` by finding each in turn after the last.

    pysbd returns the sentences' text; each is found from where the previous one ended, so a
    repeated sentence is placed on its own occurrence. Were the segmenter ever to return text
    not in the line, the rest of the line is kept as one unit rather than guessed at.
    """
    segment = _segmenter()
    starts: list[int] = []
    for line in _LINES.finditer(text):
        body = line.group()
        cursor = 0
        for sentence in segment(body):
            found = body.find(sentence.strip(), cursor) if sentence.strip() else -1
            if found < 0:
                break
            starts.append(line.start() + found)
            cursor = found + len(sentence.strip())
        starts.append(line.end())  # the end of the line closes its last sentence
    bounds = sorted(set(starts))
    return _trimmed(text, itertools.pairwise(bounds))


def _trimmed(text: str, units: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop leading and trailing white space from each unit; drop units that are only space."""
    out: list[tuple[int, int]] = []
    for start, end in units:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def units_for(
    text: str,
    unit: Unitisation | str,
    turns: Sequence[tuple[int, int]] = (),
) -> NDArray[np.int64]:
    """The units of ``text`` as an ``(n, 2)`` array of ``[start, end)`` rows, in order.

    >>> units_for("One. Two!\\nThree", "sentence").tolist()
    [[0, 4], [5, 9], [10, 15]]
    """
    kind = Unitisation(unit)
    if kind is Unitisation.TURN:
        spans = _trimmed(text, turns) if turns else _split(text, _PARAGRAPH_BREAK)
    elif kind is Unitisation.SENTENCE:
        spans = _sentences(text)
    elif kind is Unitisation.PARAGRAPH:
        spans = _split(text, _PARAGRAPH_BREAK)
    else:
        positions = np.array([i for i, ch in enumerate(text) if not ch.isspace()], dtype=np.int64)
        return np.stack([positions, positions + 1], axis=1) if positions.size else _empty()
    return np.array(spans, dtype=np.int64).reshape(-1, 2) if spans else _empty()


def _empty() -> NDArray[np.int64]:
    return np.zeros((0, 2), dtype=np.int64)


def presence(units: NDArray[np.int64], spans: Sequence[tuple[int, int]]) -> NDArray[np.bool_]:
    """For each unit, whether any of ``spans`` overlaps it by at least one character.

    >>> units = units_for("One. Two. Three.", "sentence")
    >>> presence(units, [(6, 7)]).tolist()
    [False, True, False]
    """
    result = np.zeros(len(units), dtype=np.bool_)
    if not len(units) or not spans:
        return result
    starts, ends = units[:, 0], units[:, 1]
    # Units are sorted and disjoint, so a span overlaps the contiguous run of units from the first
    # whose end is past the span's start to the last whose start is before the span's end.
    span_array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    first = np.searchsorted(ends, span_array[:, 0], side="right")
    last = np.searchsorted(starts, span_array[:, 1], side="left")
    marks = np.zeros(len(units) + 1, dtype=np.int64)
    valid = last > first
    np.add.at(marks, first[valid], 1)
    np.add.at(marks, last[valid], -1)
    result[:] = np.cumsum(marks[:-1]) > 0
    return result
