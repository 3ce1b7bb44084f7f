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
from thematica.reports.data import ReportData, cell_quotes, column_heading, xml_text

__all__ = ["CELL_LIMIT", "sheet_title", "write_xlsx"]

#: The most characters an Excel cell holds.
CELL_LIMIT = 32_767
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


def _clean(value: str) -> str:
    value = xml_text(value)
    if len(value) > CELL_LIMIT:
        value = value[: CELL_LIMIT - len(_CUT)] + _CUT
    return value


class _Sheet:
    """A write-only sheet that writes every string as text (never a formula)."""

    def __init__(self, book: Any, title: str, widths: Sequence[float]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self._cell = WriteOnlyCell
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self.sheet = book.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "B2"
        self.rows = 0
        self.columns = len(widths)

    def filtered(self) -> None:
        """An autofilter over the header and every row written (call after the last row)."""
        from openpyxl.utils import get_column_letter

        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.rows, 1)}"

    def _text(self, value: str, *, bold: bool = False, wrap: bool = False) -> Any:
        cell = self._cell(self.sheet, value=_clean(value))
        cell.data_type = "s"  # text even when it starts with "=", "+", "-" or "@"
        if bold:
            cell.font = self._bold
        if wrap:
            cell.alignment = self._wrap
        return cell

    def header(self, values: Iterable[str]) -> None:
        self.sheet.append([self._text(v, bold=True, wrap=True) for v in values])
        self.rows += 1

    def row(self, values: Iterable[object], *, wrap: bool = False) -> None:
        # A styled cell costs ten times a plain value, so only text that needs one gets one:
        # wrapped text, and text openpyxl would otherwise take for a formula.
        self.rows += 1
        self.sheet.append(
            [
                self._text(v, wrap=wrap)
                if isinstance(v, str) and (wrap or v.startswith("="))
                else (_clean(v) if isinstance(v, str) else v)
                for v in values
            ]
        )


def _chart_text(report: ReportData, cell: FrameworkCell) -> str:
    if cell.is_empty:
        return ""
    lines = []
    if cell.summary:
        note = report.summary_notes.get((cell.participant, cell.column))
        by = f" ({note.author}, {note.updated_at:%Y-%m-%d})" if note else ""
        lines.append(f"Summary{by}: {cell.summary}")
    lines.append(f"{cell.codings} coding(s)")
    lines.extend(f"“{q.text}” ({q.document}; {', '.join(q.coders)})" for q in cell_quotes(cell))
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
        (
            "Theme sheets",
            "Framework Method charts (Gale et al. 2013): participants by the theme's codes; each "
            "cell holds the researcher's summary, the number of codings and the passages.",
        ),
        ("Matrix", "Codings per participant and code."),
        ("Coded segments", "Every coding (consensus layers left out)."),
    ):
        about.row([label, value], wrap=True)

    matrix = report.framework
    split = matrix.group_by
    people = {person.label: person for person in report.participants}
    named = any(person.pseudonym for person in report.participants)
    for theme in report.themes:
        columns = report.chart_columns(theme)
        if not columns:
            continue
        # Only columns that can hold something: no pseudonym column when nobody has one, no
        # split column when the report is not split.
        lead = ["Participant", *(["Pseudonym"] if named else []), *([split] if split else [])]
        widths = [12, *([14] if named else []), *([16] if split else []), *([48] * len(columns))]
        sheet = _Sheet(book, sheet_title(theme, taken), widths)
        sheet.header([*(h.replace("_", " ") for h in lead), *map(column_heading, columns)])
        for label in matrix.participants:
            person = people.get(label)
            first: list[object] = [label]
            if named:
                first.append(person.pseudonym if person else "")
            if split:
                first.append("; ".join(person.values(split)) if person else "")
            sheet.row(
                [*first, *(_chart_text(report, matrix.cell(label, c)) for c in columns)],
                wrap=True,
            )
        sheet.filtered()

    counts = _Sheet(book, sheet_title("Matrix", taken), [12, *([14] * len(matrix.columns))])
    counts.header(["Participant", *matrix.columns])
    for label, values in zip(matrix.participants, matrix.counts().tolist(), strict=True):
        counts.row([label, *values])
    counts.filtered()
    _segments(book, taken, report)
    book.save(path)


#: The coded-segments sheet's columns: heading, width, and the value of a segment. Columns
#: marked optional are left out when no segment has a value there (no blank columns).
_SEGMENT_COLUMNS: tuple[tuple[str, float, bool, Any], ...] = (
    ("Document", 12, False, lambda s: s.document),
    ("Participant", 12, True, lambda s: s.participant or ""),
    ("Theme", 30, False, lambda s: s.theme),
    ("Code", 40, False, lambda s: s.code),
    ("Coder", 12, False, lambda s: s.coder),
    ("Start", 8, False, lambda s: s.start),
    ("End", 8, False, lambda s: s.end),
    ("Valence", 12, True, lambda s: str(s.valence) if s.valence else ""),
    ("Turn", 6, True, lambda s: s.turn if s.turn is not None else ""),
    ("Text", 80, False, lambda s: s.text),
)


def _segments(book: Any, taken: set[str], report: ReportData) -> None:
    segments = report.segments
    kept = [
        column
        for column in _SEGMENT_COLUMNS
        if not column[2] or any(column[3](seg) != "" for seg in segments)
    ]
    sheet = _Sheet(book, sheet_title("Coded segments", taken), [c[1] for c in kept])
    sheet.header([c[0] for c in kept])
    values = [c[3] for c in kept]
    for seg in segments:
        sheet.row([value(seg) for value in values])
    sheet.filtered()
