"""Free-text survey tables: one response per row, in CSV or Excel (``.xlsx``).

Survey and feedback teams export a sheet with a respondent id, some descriptive columns (age band,
service, role) and one or more free-text answers. One column holds the text to code; the id column
says who answered; every other column becomes a participant attribute. Rows whose text is blank
are left out (most surveys have optional questions) but still give the respondent's attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.errors import InvalidInputError
from thematica.interchange.table_rows import column_index, table_rows

__all__ = ["Response", "ResponseTable", "read_response_table"]


@dataclass(frozen=True, slots=True)
class Response:
    """One row: where it is, who answered, the answer, and the other columns' values."""

    line: int
    respondent: str
    text: str
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class ResponseTable:
    text_column: str
    id_column: str | None
    responses: tuple[Response, ...]


def read_response_table(
    data: bytes, name: str, *, text_column: str, id_column: str | None = None
) -> ResponseTable:
    """The responses in a ``.csv`` or ``.xlsx`` table (chosen by ``name``'s suffix).

    Columns are matched ignoring case and surrounding spaces. Without ``id_column`` each row is
    its own respondent, named by its line (``row 2``).
    """
    if not data:
        raise InvalidInputError("the file is empty", file=name)
    rows = table_rows(data, name, what="a table of free-text responses")
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    text_at = column_index(header, text_column, name, header_line, "--text-column")
    id_at = column_index(header, id_column, name, header_line, "--id-column") if id_column else None
    others = [(i, h) for i, h in enumerate(header) if h and i not in (text_at, id_at)]
    responses: list[Response] = []
    for line, values in rows:
        if not any(values):
            continue
        cells = list(values) + [""] * (len(header) - len(values))
        respondent = cells[id_at] if id_at is not None else f"row {line}"
        if not respondent:
            raise InvalidInputError(f"empty {header[id_at or 0]!r}", file=name, line=line)
        attributes = {h: cells[i] for i, h in others if cells[i]}
        responses.append(Response(line, respondent, cells[text_at], attributes))
    id_name = header[id_at] if id_at is not None else None
    return ResponseTable(header[text_at], id_name, tuple(responses))
