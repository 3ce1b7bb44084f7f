"""Writing a table as an Excel workbook (``.xlsx``) for analysts, with openpyxl.

openpyxl comes with the ``reports`` and ``docx`` extras (and ``dev``); it is imported only here,
when a workbook is written. The workbook streams to disk (write-only mode), is written to a
temporary file and renamed, so a failure never leaves half a workbook, and every text cell is
stored as text: an interview passage that starts with ``=`` is never taken for a formula, and
characters a workbook cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.interchange.files import write_atomically

__all__ = ["write_xlsx"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel refuses a cell longer than this; a longer passage is cut and says so.
_MAX_CELL = 32_767


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Sheet1",
) -> int:
    """Write ``header`` and ``rows`` as one sheet; returns the number of rows written."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "writing .xlsx needs openpyxl: pip install 'thematica[reports]'", file=str(path)
        ) from None
    book = Workbook(write_only=True)
    out = book.create_sheet(sheet[:31])
    out.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: object, *, heading: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            text = _ILLEGAL.sub("", value)
            if len(text) > _MAX_CELL:
                text = text[: _MAX_CELL - 20] + " [cut: too long]"
            made = WriteOnlyCell(out, value=text)
            made.data_type = "s"  # never a formula, whatever the text starts with
        else:
            made = WriteOnlyCell(out, value=value)
        if heading:
            made.font = bold
        return made

    out.append([cell(h, heading=True) for h in header])
    count = 0
    for row in rows:
        out.append([cell("" if v is None else v) for v in row])
        count += 1
    write_atomically(path, book.save)
    return count
