"""The one way a workbook cell is written (openpyxl write-only mode), for every XLSX Thematica
makes: the report's framework workbook and the coded-segments export.

Study text is always a text cell, never a formula: openpyxl takes any string that starts with
``=`` for one, so such a string gets an explicit text cell (``data_type = "s"``), as does one
that needs a style; other values stay plain, because a styled cell costs ten times a plain one.
Characters a workbook cannot hold (controls, see :mod:`thematica.safeio.controls`) are removed,
and a cell longer than Excel's limit is cut with a note saying so.
"""

from __future__ import annotations

from typing import Any

from thematica.safeio.controls import remove_controls

__all__ = ["CELL_LIMIT", "CUT_NOTE", "cell_text", "cell_value", "text_cell"]

#: The most characters an Excel cell holds.
CELL_LIMIT = 32_767
CUT_NOTE = " [cut: too long for one cell]"


def cell_text(value: str, *, cut_note: str = CUT_NOTE) -> str:
    """``value`` as a workbook can hold it: no control characters, at most :data:`CELL_LIMIT`."""
    value = remove_controls(value)
    if len(value) > CELL_LIMIT:
        value = value[: CELL_LIMIT - len(cut_note)] + cut_note
    return value


def text_cell(
    sheet: Any,
    value: str,
    *,
    font: Any = None,
    alignment: Any = None,
    cut_note: str = CUT_NOTE,
) -> Any:
    """A write-only cell holding ``value`` as text (never a formula), styled as asked."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=cell_text(value, cut_note=cut_note))
    cell.data_type = "s"  # text even when it starts with "=", "+", "-" or "@"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def cell_value(sheet: Any, value: object, *, cut_note: str = CUT_NOTE) -> object:
    """What to append for ``value``: a plain value where that is safe, else a text cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = cell_text(value, cut_note=cut_note)
        # Decided on the cleaned text: "\x00=1" must not become the formula "=1".
        return text_cell(sheet, text, cut_note=cut_note) if text.startswith("=") else text
    return value
