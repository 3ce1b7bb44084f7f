"""Free-text survey tables: one response per row, in CSV or Excel (``.xlsx``).

Survey and feedback teams export a sheet with a respondent id, some descriptive columns (age band,
service, role) and one or more free-text answers. One column holds the text to code; the id column
says who answered; every other column becomes a participant attribute. Rows whose text is blank
are left out (most surveys have optional questions) but still give the respondent's attributes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text
from thematica.interchange.packages import open_package

__all__ = ["Response", "ResponseTable", "read_response_table", "read_table_rows"]


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
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        rows = _xlsx_rows(data, name)
    elif suffix in ("csv", "tsv", "txt"):
        rows = _csv_rows(data, name, "\t" if suffix == "tsv" else None)
    else:
        raise InvalidInputError(
            "a table of free-text responses must be .csv, .tsv or .xlsx", file=name
        )
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    text_at = _column(header, text_column, name, header_line, "--text-column")
    id_at = _column(header, id_column, name, header_line, "--id-column") if id_column else None
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


def _column(header: Sequence[str], wanted: str, name: str, line: int, option: str) -> int:
    key = wanted.strip().casefold()
    for i, column in enumerate(header):
        if column.casefold() == key:
            return i
    raise InvalidInputError(
        f"no column {wanted!r} for {option} (columns: {', '.join(h for h in header if h)})",
        file=name,
        line=line,
    )


def _csv_rows(data: bytes, name: str, delimiter: str | None) -> Iterator[tuple[int, list[str]]]:
    text, _ = decode_text(data, name)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, [v.strip() for v in values]
    except csv.Error as exc:
        raise InvalidInputError(
            f"not a readable CSV file: {exc}", file=name, line=reader.line_num
        ) from None


def _xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "reading .xlsx needs openpyxl: pip install 'thematica[docx]'", file=name
        ) from None
    # The declared sizes and ratios are checked before openpyxl inflates anything.
    open_package(data, name, "Excel workbook (.xlsx)").close()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInputError(
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})", file=name
        ) from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value) for value in row]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table_rows(
    data: bytes, name: str, *, delimiter: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a ``.csv``/``.tsv``/``.txt`` or ``.xlsx`` table (by ``name``'s suffix) as text
    cells, each with its line; the first is the header. A CSV's ``delimiter`` is sniffed unless
    given. Shared by readers of other kinds of sheet (codebooks, participants)."""
    if not data:
        raise InvalidInputError("the file is empty", file=name)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        return _xlsx_rows(data, name)
    if suffix in ("csv", "tsv", "txt"):
        return _csv_rows(data, name, "\t" if suffix == "tsv" else delimiter)
    raise InvalidInputError("a table must be .csv, .tsv or .xlsx", file=name)
