"""The rows of a table file (``.csv``, ``.tsv``, ``.xlsx``) as lists of text cells.

Shared by the survey-response reader and the utterance-table reader. Every cell is text with
control characters replaced (:mod:`thematica.safeio.controls`). A workbook is checked before
openpyxl sees it: the zip through the checked reader, and every XML part for a ``<!DOCTYPE>``
(entity expansion; no workbook needs one); openpyxl's own errors, while opening or while the
rows stream, become one line naming the file, never a traceback.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text
from thematica.interchange.packages import open_package
from thematica.safeio.controls import replace_controls

__all__ = ["column_index", "table_rows"]

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def table_rows(
    data: bytes, name: str, *, what: str, delimiter: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """``(line or row number, cells)`` of a ``.csv``, ``.tsv`` or ``.xlsx`` table (by
    ``name``'s suffix); ``what`` names the table in the message for any other suffix. A CSV's
    ``delimiter`` is sniffed unless given."""
    if not data:
        raise InvalidInputError("the file is empty", file=name)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        return _xlsx_rows(data, name)
    if suffix in ("csv", "tsv", "txt"):
        return _csv_rows(data, name, "\t" if suffix == "tsv" else delimiter)
    raise InvalidInputError(f"{what} must be .csv, .tsv or .xlsx", file=name)


def column_index(header: Sequence[str], wanted: str, name: str, line: int, option: str) -> int:
    """Where the column ``wanted`` (any case) stands in ``header``; refused in one line naming the
    option that asked for it and the columns there are."""
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
    text, _ = replace_controls(text, name)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, [v.strip() for v in values]
    except csv.Error as exc:
        raise InvalidInputError(
            f"not a readable CSV file: {exc}", file=name, line=reader.line_num
        ) from None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (``io.StringIO`` would hold a
    copy of the whole text at four bytes a character)."""
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end + 1
        yield text[position:end]
        position = end


def _xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "reading .xlsx needs openpyxl: pip install 'thematica[docx]'", file=name
        ) from None
    _check_parts(data, name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInputError(
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})", file=name
        ) from None
    number = 0
    try:
        if not book.worksheets:
            raise InvalidInputError("the workbook holds no sheet", file=name)
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value, f"{name}, row {number}") for value in row]
    except InvalidInputError:
        raise
    except Exception as exc:  # a damaged sheet fails only when its rows are read
        raise InvalidInputError(
            f"the workbook's first sheet is damaged after row {number} "
            f"({type(exc).__name__}: {exc})",
            file=name,
        ) from None
    finally:
        book.close()


def _check_parts(data: bytes, name: str) -> None:
    """Sizes and ratios through the checked zip reader; no XML part may declare a DOCTYPE."""
    archive = open_package(data, name, "Excel workbook (.xlsx)")
    try:
        for member in archive.members:
            # In text a "<!DOCTYPE" would be escaped, so a raw one can only be markup.
            if member.lower().endswith((".xml", ".rels")) and _DOCTYPE.search(archive.read(member)):
                raise InvalidInputError(
                    "the part declares a document type (<!DOCTYPE>), which no workbook needs: "
                    "refused",
                    file=f"{name}: {member}",
                )
    finally:
        archive.close()


def _cell(value: object, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return replace_controls(str(value), where)[0].strip()
