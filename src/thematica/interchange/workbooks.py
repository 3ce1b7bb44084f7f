"""Writing a table as an Excel workbook (``.xlsx``) for analysts, with openpyxl.

openpyxl comes with the ``reports`` and ``docx`` extras (and ``dev``); it is imported only here,
when a workbook is written. The workbook streams to disk (write-only mode) and is put in place
atomically (:func:`thematica.safeio.files.write_atomically`), so a failure never leaves half a
workbook; every cell goes through the one cell writer (:mod:`thematica.safeio.xlsxcells`): text
is never a formula, control characters are removed, an overlong passage is cut and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.safeio.files import write_atomically
from thematica.safeio.xlsxcells import cell_value, text_cell

__all__ = ["write_xlsx"]


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
        from openpyxl.styles import Font
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "writing .xlsx needs openpyxl: pip install 'thematica[reports]'", file=str(path)
        ) from None
    book = Workbook(write_only=True)
    out = book.create_sheet(sheet[:31])
    out.freeze_panes = "A2"
    bold = Font(bold=True)
    out.append([text_cell(out, h, font=bold) for h in header])
    count = 0
    for row in rows:
        out.append([cell_value(out, v) for v in row])
        count += 1
    write_atomically(path, book.save)
    return count
