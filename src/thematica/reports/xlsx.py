"""The framework workbook (XLSX): one sheet per theme, as the Framework Method charts, and the
coded segments.

* **About**: what the workbook is and how it was made.
* **one sheet per theme**: participants (rows, with pseudonym and the attribute the report is
  split by) × the theme's codes (columns); each cell holds the researcher's summary, the number
  of codings and the passages they rest on (Gale et al. 2013's charting).
* **Matrix**: codings per participant and code, every code, as numbers.
* **Coded segments**: one row per coding, with document, participant, code, coder, span,
  valence and text, for filtering and pivoting.

Study text is written as text, never as a formula: a transcript line starting with ``=`` would
otherwise run in the spreadsheet (formula injection). Characters a workbook cannot hold (most
control characters) are dropped, and a cell is cut at Excel's limit of 32,767 characters with a
note saying so. Written with openpyxl in write-only mode, so large studies stream to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from thematica.analysis.framework import FrameworkCell
from thematica.reports.data import ReportData, column_heading
from thematica.safeio.xlsxcells import CELL_LIMIT, cell_value, text_cell

__all__ = ["CELL_LIMIT", "sheet_title", "write_xlsx"]

_CUT = " […cut at the cell limit; all passages are in Coded segments]"
_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet title for ``name``: no ``[]:*?/\\``, at most 31 characters, unique."""
    base = _SHEET_CHARS.sub("-", name).strip("' ") or "Sheet"
    title = base[:31]
    n = 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


class _Sheet:
    """A write-only sheet whose cells all go through the one cell writer (never a formula)."""

    def __init__(self, book: Any, title: str, widths: Sequence[float]) -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self.sheet = book.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "B2"

    def header(self, values: Iterable[str]) -> None:
        self.sheet.append(
            [
                text_cell(self.sheet, v, font=self._bold, alignment=self._wrap, cut_note=_CUT)
                for v in values
            ]
        )

    def row(self, values: Iterable[object], *, wrap: bool = False) -> None:
        if wrap:
            self.sheet.append(
                [
                    text_cell(self.sheet, v, alignment=self._wrap, cut_note=_CUT)
                    if isinstance(v, str)
                    else v
                    for v in values
                ]
            )
        else:
            self.sheet.append([cell_value(self.sheet, v, cut_note=_CUT) for v in values])


def _chart_text(report: ReportData, cell: FrameworkCell) -> str:
    if cell.is_empty:
        return ""
    lines = []
    if cell.summary:
        note = report.summary_notes.get((cell.participant, cell.column))
        by = f" ({note.author}, {note.updated_at:%Y-%m-%d})" if note else ""
        lines.append(f"Summary{by}: {cell.summary}")
    lines.append(f"{cell.codings} coding(s)")
    lines.extend(f"“{p.text}” [{p.document} {p.start}-{p.end}, {p.coder}]" for p in cell.passages)
    return "\n".join(lines)


def write_xlsx(report: ReportData, path: Path) -> None:
    """Write the framework workbook to ``path``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    s = report.summary
    about = _Sheet(book, sheet_title("About", taken), [28, 90])
    about.header(["Study", s.name])
    for label, value in (
        ("Description", s.description),
        ("Generated", f"{s.generated_at:%Y-%m-%d %H:%M} UTC by {s.software}"),
        ("Participants", str(s.participants)),
        ("Transcripts", str(s.documents)),
        ("Codings", str(s.codings)),
        ("Coders", ", ".join(s.coders)),
        ("Analysis layer", report.analysis_layer),
        (
            "Theme sheets",
            "Framework Method charts (Gale et al. 2013): participants by the theme's codes; each "
            "cell holds the researcher's summary, the number of codings and the passages.",
        ),
        ("Matrix", "Codings per participant and code."),
        ("Coded segments", "The analysis layer's passages."),
    ):
        about.row([label, value], wrap=True)

    matrix = report.framework
    split = matrix.group_by
    people = {person.label: person for person in report.participants}
    for theme in report.themes:
        columns = report.chart_columns(theme)
        if not columns:
            continue
        sheet = _Sheet(book, sheet_title(theme, taken), [12, 14, 16, *([48] * len(columns))])
        heads = [column_heading(c) for c in columns]
        sheet.header(["Participant", "Pseudonym", (split or "").replace("_", " "), *heads])
        for label in matrix.participants:
            person = people.get(label)
            split_value = "; ".join(person.values(split)) if person and split else ""
            sheet.row(
                [
                    label,
                    person.pseudonym if person else "",
                    split_value,
                    *(_chart_text(report, matrix.cell(label, c)) for c in columns),
                ],
                wrap=True,
            )

    counts = _Sheet(book, sheet_title("Matrix", taken), [12, *([14] * len(matrix.columns))])
    counts.header(["Participant", *matrix.columns])
    for label, values in zip(matrix.participants, matrix.counts().tolist(), strict=True):
        counts.row([label, *values])

    segments = _Sheet(
        book, sheet_title("Coded segments", taken), [12, 12, 30, 40, 12, 8, 8, 12, 6, 80]
    )
    segments.header(
        [
            "Document",
            "Participant",
            "Theme",
            "Code",
            "Coder",
            "Start",
            "End",
            "Valence",
            "Turn",
            "Text",
        ]
    )
    for seg in report.segments:
        segments.row(
            [
                seg.document,
                seg.participant or "",
                seg.theme,
                seg.code,
                seg.coder,
                seg.start,
                seg.end,
                str(seg.valence) if seg.valence else "",
                seg.turn if seg.turn is not None else "",
                seg.text,
            ]
        )
    book.save(path)
