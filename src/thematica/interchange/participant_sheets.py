"""Participant sheets in CSV or Excel, read the way a person would read them.

Sheets come from many hands: the id column may be called anything, "na", "n/a" or "-" mean
nothing was recorded, and interview lengths are written "1:05:00" or "65 min". A sheet is read
into rows plus a preview of how every column's values were understood and a list of the rows left
out, so the person importing can check before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.interchange.files import read_file
from thematica.interchange.responses import read_table_rows
from thematica.interchange.tables import MULTI_VALUE_SEPARATOR, ParticipantRow

__all__ = ["MISSING_VALUES", "ColumnReading", "ParticipantSheet", "read_participant_sheet"]

_ID_COLUMNS = ("participant_id", "participant", "id", "case")
#: Cell values that mean "nothing recorded" (compared ignoring case).
MISSING_VALUES = frozenset({"", "na", "n/a", "n.a.", "-", "–", "—", "missing", "not recorded"})
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_WORDS = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?))?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes?))?\s*"
    r"(?:(\d+)\s*(?:s|sec|secs|seconds?))?$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_EXAMPLES = 3


def _minutes(value: str) -> float | None:
    """Minutes in a duration written as ``h:mm:ss``, ``mm:ss`` or ``1h 5m`` / ``65 min``."""
    clock = _CLOCK.match(value)
    if clock:
        hours, minutes, seconds = clock.groups()
        if hours is None:  # mm:ss
            return int(minutes) + int(seconds) / 60
        return int(hours) * 60 + int(minutes) + int(seconds) / 60
    words = _WORDS.match(value.strip())
    if words and any(words.groups()):
        hours, minutes, seconds = (float(g) if g else 0.0 for g in words.groups())
        return hours * 60 + minutes + seconds / 60
    return None


def _as_minutes(value: str) -> str:
    minutes = _minutes(value)
    assert minutes is not None
    return f"{minutes:.1f}".removesuffix(".0")


@dataclass(frozen=True, slots=True)
class ColumnReading:
    """How one column was read: its role (``id``, ``pseudonym``, ``attribute``), what kind of
    values it holds (``text``, ``number``, ``duration (minutes)``), how many cells were missing,
    and a few examples as ``(as written, as read)``."""

    column: str
    role: str
    kind: str
    missing: int
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ParticipantSheet:
    rows: tuple[ParticipantRow, ...]
    columns: tuple[ColumnReading, ...]
    #: Rows left out, as ``(line, why)``.
    skipped: tuple[tuple[int, str], ...] = field(default_factory=tuple)


def _find(header: Sequence[str], wanted: str | None, option: str, name: str) -> int | None:
    if wanted is None:
        return None
    for i, column in enumerate(header):
        if column.casefold() == wanted.strip().casefold():
            return i
    raise InvalidInputError(
        f"no column {wanted!r} for {option} (columns: {', '.join(h for h in header if h)})",
        file=name,
        line=1,
    )


def _kind(values: list[str]) -> str:
    present = [v for v in values if v.casefold() not in MISSING_VALUES]
    if not present:
        return "text"
    if all(_NUMBER.match(v) for v in present):
        return "number"
    if all(_minutes(v) is not None for v in present):
        return "duration (minutes)"
    return "text"


def read_participant_sheet(
    path: Path,
    *,
    id_column: str | None = None,
    pseudonym_column: str | None = None,
    data: bytes | None = None,
) -> ParticipantSheet:
    """Read a participants sheet (``.csv``, ``.tsv`` or ``.xlsx``).

    The id column is ``id_column``, else the first of participant_id, participant, id, case; the
    pseudonym column ``pseudonym_column``, else one called pseudonym, if any. Every other named
    column is an attribute; several values in a cell are separated by ``;``. Missing values
    (:data:`MISSING_VALUES`) are left out, durations become minutes. A row without an id is
    skipped and listed; an id given twice is an error naming both lines.
    """
    name = str(path)
    rows = read_table_rows(read_file(path) if data is None else data, name, delimiter=",")
    try:
        _, header = next(rows)
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    named = [h for h in header if h]
    duplicated = sorted({h for h in named if [x.casefold() for x in named].count(h.casefold()) > 1})
    if duplicated:
        raise InvalidInputError(f"duplicate columns: {', '.join(duplicated)}", file=name, line=1)
    id_at = _find(header, id_column, "--id-column", name)
    if id_at is None:
        id_at = next(
            (i for wanted in _ID_COLUMNS for i, h in enumerate(header) if h.casefold() == wanted),
            None,
        )
    if id_at is None:
        raise InvalidInputError(
            f"missing the participant id column (one of: {', '.join(_ID_COLUMNS)}; or name it "
            f"with --id-column); found: {', '.join(named)}",
            file=name,
            line=1,
        )
    pseudonym_at = _find(header, pseudonym_column, "--pseudonym-column", name)
    if pseudonym_at is None and pseudonym_column is None:
        pseudonym_at = next((i for i, h in enumerate(header) if h.casefold() == "pseudonym"), None)
    attributes = [(i, h) for i, h in enumerate(header) if h and i not in (id_at, pseudonym_at)]

    table: list[tuple[int, list[str]]] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        cells = [*values, *[""] * (len(header) - len(values))]
        if not any(cells):
            continue
        if len(values) > len(header) and any(values[len(header) :]):
            raise InvalidInputError(
                f"{len(values)} values but only {len(header)} columns", file=name, line=line
            )
        label = cells[id_at]
        if label.casefold() in MISSING_VALUES:
            skipped.append((line, f"no {header[id_at]!r}"))
            continue
        if label in seen:
            raise InvalidInputError(
                f"participant {label!r} appears twice (first on line {seen[label]})",
                file=name,
                line=line,
            )
        seen[label] = line
        table.append((line, cells))

    kinds = {i: _kind([c[i] for _, c in table]) for i, _ in attributes}
    out: list[ParticipantRow] = []
    for line, cells in table:
        read: dict[str, tuple[str, ...]] = {}
        for i, column in attributes:
            parts = [v.strip() for v in cells[i].split(MULTI_VALUE_SEPARATOR)]
            kept = tuple(
                _as_minutes(v) if kinds[i].startswith("duration") else v
                for v in parts
                if v.casefold() not in MISSING_VALUES
            )
            if kept:
                read[column] = kept
        pseudonym = cells[pseudonym_at] if pseudonym_at is not None else ""
        if pseudonym.casefold() in MISSING_VALUES:
            pseudonym = ""
        out.append(ParticipantRow(line, cells[id_at], pseudonym, read))

    def reading(i: int, column: str, role: str, kind: str) -> ColumnReading:
        raw = [c[i] for _, c in table]
        missing = sum(v.casefold() in MISSING_VALUES for v in raw)
        examples: dict[str, str] = {}
        for v in raw:  # the blanks and "na"s first, then values, as they will be read
            if len(examples) >= _EXAMPLES:
                break
            if v not in examples:
                gone = v.casefold() in MISSING_VALUES
                examples[v] = (
                    "(missing)" if gone else (_as_minutes(v) if kind[:8] == "duration" else v)
                )
        return ColumnReading(column, role, kind, missing, tuple(examples.items()))

    columns = [reading(id_at, header[id_at], "id", "text")]
    if pseudonym_at is not None:
        columns.append(reading(pseudonym_at, header[pseudonym_at], "pseudonym", "text"))
    columns += [reading(i, h, "attribute", kinds[i]) for i, h in attributes]
    return ParticipantSheet(tuple(out), tuple(columns), tuple(skipped))
