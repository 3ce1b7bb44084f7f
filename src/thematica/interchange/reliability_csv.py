"""A plain reliability table as CSV: any coded data, for the agreement statistics.

The format, as a spreadsheet writes it:

* a header row;
* ``layout="units-by-coders"`` (the default): one row per unit, the first column the unit's id
  and one column per coder, the coders named in the header;
* ``layout="coders-by-units"`` (Krippendorff's layout, and the shared example's): one row per
  coder, the first column the coder's name and one column per unit, the units named in the header;
* a blank cell is a missing rating;
* ratings are numbers when every non-blank cell in the file is a number (whole numbers stay
  whole), otherwise every rating is a label (text), so ``1`` and ``1.0`` are one category in a
  numeric file and ``yes`` and ``Yes`` are two in a labelled one.

The delimiter is a comma, or a semicolon or tab when the header has no comma (spreadsheets set to
European locales write semicolons). Every problem is an :class:`InvalidInputError` naming the file
and line: an empty file, a ragged row, a blank or repeated id, fewer than two coders or no units.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from thematica.domain.vocab import LAYOUTS, Layout
from thematica.errors import InvalidInputError
from thematica.interchange.files import read_file
from thematica.interchange.plaintext import decode_utf8

__all__ = ["LAYOUTS", "Layout", "Rating", "ReliabilityTable", "read_reliability_csv"]

Rating: TypeAlias = str | int | float | None


@dataclass(frozen=True)
class ReliabilityTable:
    """Ratings read from a file, always held coders × units.

    ``first_label`` is, in a file of labels, the first cell that is not a number and its line,
    so that a caller needing numbers can say exactly where the file went wrong.
    """

    file: str
    coders: tuple[str, ...]
    units: tuple[str, ...]
    ratings: tuple[tuple[Rating, ...], ...]
    numeric: bool
    first_label: tuple[str, int] | None = None

    @property
    def n_coders(self) -> int:
        return len(self.coders)

    @property
    def n_units(self) -> int:
        return len(self.units)


def read_reliability_csv(
    path: Path, *, layout: Layout = "units-by-coders", data: bytes | None = None
) -> ReliabilityTable:
    """Read a reliability table (see the module docstring); ``data`` replaces reading ``path``.

    >>> table = read_reliability_csv(Path("t.csv"), data=b"unit,Ann,Bo\\nu1,1,2\\nu2,,2\\n")
    >>> table.coders, table.units, table.ratings
    (('Ann', 'Bo'), ('u1', 'u2'), ((1, None), (2, 2)))
    """
    if layout not in LAYOUTS:
        raise InvalidInputError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    name = str(path)
    rows = _rows(read_file(path) if data is None else data, name)
    header_line, header = rows[0]
    if len(header) < 2:
        raise InvalidInputError(
            "the header needs an id column and at least one more column", file=name, line=1
        )
    columns = [h.strip() for h in header[1:]]
    _check_orientation(header[0], layout, name)
    column_kind = "coder" if layout == "units-by-coders" else "unit"
    row_kind = "unit" if layout == "units-by-coders" else "coder"
    _check_ids(columns, column_kind, name, [header_line] * len(columns), in_header=True)
    body = rows[1:]
    if not body:
        raise InvalidInputError(
            f"the file has a header but no {row_kind}s", file=name, line=header_line
        )
    ids: list[str] = []
    cells: list[list[str]] = []
    lines: list[int] = []
    for line, values in body:
        if len(values) != len(header):
            raise InvalidInputError(
                f"ragged row: {len(values)} values but the header has {len(header)} columns",
                file=name,
                line=line,
            )
        ids.append(values[0].strip())
        cells.append([v.strip() for v in values[1:]])
        lines.append(line)
    _check_ids(ids, row_kind, name, lines)
    ratings, numeric, first_label = _parse(cells, lines)
    if layout == "units-by-coders":
        coders, units = tuple(columns), tuple(ids)
        by_coder = tuple(zip(*ratings, strict=True))
    else:
        coders, units = tuple(ids), tuple(columns)
        by_coder = tuple(tuple(row) for row in ratings)
    if len(coders) < 2:
        raise InvalidInputError(
            f"agreement needs at least two coders, but the file has {len(coders)} "
            f"({', '.join(coders)}); is the layout right? The file was read as {layout}",
            file=name,
        )
    return ReliabilityTable(name, coders, units, by_coder, numeric, first_label)


#: First header cells that say the file is laid out the other way round.
_ROWS_ARE = {
    "units-by-coders": {"coder", "coders", "rater", "raters", "annotator", "annotators"},
    "coders-by-units": {"unit", "units", "item", "items", "unit_id", "unit id"},
}


def _check_orientation(corner: str, layout: Layout, name: str) -> None:
    """Refuse a file whose first header cell names the other layout's rows: read the wrong way
    round, its units would be taken for coders and the statistic would be nonsense."""
    other = "coders-by-units" if layout == "units-by-coders" else "units-by-coders"
    if corner.strip().casefold() in _ROWS_ARE[layout]:
        rows = "coders" if layout == "units-by-coders" else "units"
        raise InvalidInputError(
            f"the first column is headed {corner.strip()!r}, so the rows look like {rows}, but "
            f"the file is being read as {layout}; read it as {other}",
            file=name,
            line=1,
        )


def _rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers."""
    text = decode_utf8(data, name)
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInputError(
            f"not a readable CSV file: {exc}", file=name, line=reader.line_num
        ) from None
    if not rows:
        raise InvalidInputError("the file is empty", file=name)
    return rows


def _check_ids(
    ids: list[str], kind: str, name: str, lines: list[int], *, in_header: bool = False
) -> None:
    seen: dict[str, int] = {}
    for position, (identifier, line) in enumerate(zip(ids, lines, strict=True)):
        if not identifier:
            where = f" (column {position + 2})" if in_header else ""
            raise InvalidInputError(f"a {kind} without a name{where}", file=name, line=line)
        if identifier in seen:
            raise InvalidInputError(f"{kind} {identifier!r} appears twice", file=name, line=line)
        seen[identifier] = line


def _number(cell: str) -> int | float | None:
    """``cell`` as a finite number, or None if it is not one."""
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse(
    cells: list[list[str]], lines: list[int]
) -> tuple[list[list[Rating]], bool, tuple[str, int] | None]:
    numbers: list[list[Rating]] = []
    first_label: tuple[str, int] | None = None
    for row, line in zip(cells, lines, strict=True):
        parsed: list[Rating] = []
        for cell in row:
            if not cell:
                parsed.append(None)
                continue
            number = _number(cell)
            if number is None and first_label is None:
                first_label = (cell, line)
            parsed.append(number)
        numbers.append(parsed)
    if first_label is not None:
        labels: list[list[Rating]] = [[cell or None for cell in row] for row in cells]
        return labels, False, first_label
    if any(isinstance(v, float) for row in numbers for v in row):
        return [[None if v is None else float(v) for v in row] for row in numbers], True, None
    return numbers, True, None
