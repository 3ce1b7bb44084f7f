"""CSV written safely: atomically, and with no cell a spreadsheet would run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (CSV injection): an interview passage such as
``=HYPERLINK("http://…")`` or ``-1+1`` would run when a colleague opens the export. Every CSV
Thematica writes goes through :func:`write_csv`, which puts a ``'`` before such a text cell (the
spreadsheets' own mark for "this is text", shown by none of them); numbers are written as numbers.
Thematica's own CSV readers take the mark off again (:func:`restore_cell`), so an export read back
is what was written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from thematica.safeio.controls import remove_controls
from thematica.safeio.files import write_atomically

__all__ = ["FORMULA_STARTS", "neutralise", "restore_cell", "write_csv", "write_rows"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """``value`` as a CSV text cell no spreadsheet runs: ``'`` before a formula start."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def restore_cell(value: str) -> str:
    """The text :func:`neutralise` was given, for a cell Thematica wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(remove_controls(value))
    return value


def write_rows(
    handle: io.TextIOBase, rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n"
) -> int:
    """Write ``rows`` to an open text ``handle``, every cell made safe; returns how many."""
    writer = csv.writer(handle, lineterminator=lineterminator)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
    return count


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``header`` and ``rows`` as UTF-8 CSV at ``path``, all or nothing; returns the
    number of rows under the header."""
    count = 0

    def write(handle: BinaryIO) -> None:
        nonlocal count
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        write_rows(text, [header])
        count = write_rows(text, rows)
        text.flush()
        text.detach()

    write_atomically(path, write)
    return count
