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
note saying so. Written by :mod:`thematica.reports.xlsx_writer`, which streams each sheet's
XML to disk a row at a time, so a study of half a million codings is written in seconds. A
framework cell quotes its first :data:`QUOTES_PER_CELL` passages (each once, short); the rest
are counted, and every passage is in full in Coded segments.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from thematica.analysis.framework import FrameworkCell
from thematica.reports.data import ReportData, cell_quotes, column_heading, xml_text
from thematica.reports.xlsx_writer import WRAPPED, Workbook
from thematica.safeio.xlsxcells import CELL_LIMIT

__all__ = ["CELL_LIMIT", "QUOTES_PER_CELL", "sheet_title", "write_xlsx"]

#: Passages a framework cell quotes (short, each once); the rest are counted.
QUOTES_PER_CELL = 10

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


def _chart_text(report: ReportData, cell: FrameworkCell) -> str:
    if cell.is_empty:
        return ""
    lines = []
    if cell.summary:
        note = report.summary_notes.get((cell.participant, cell.column))
        by = f" ({note.author}, {note.updated_at:%Y-%m-%d})" if note else ""
        lines.append(f"Summary{by}: {cell.summary}")
    lines.append(f"{cell.codings} coding(s)")
    shown, total = cell_quotes(cell, QUOTES_PER_CELL)
    lines.extend(f"“{q.text}” ({q.document}; {', '.join(q.coders)})" for q in shown)
    if total > len(shown):
        lines.append(f"… and {total - len(shown)} more passage(s) in Coded segments")
    return _clean("\n".join(lines))


def write_xlsx(report: ReportData, path: Path) -> None:
    """Write the framework workbook to ``path``."""
    book = Workbook()
    taken: set[str] = set()
    s = report.summary
    about = book.sheet(sheet_title("About", taken), [28, 90], filtered=False)
    about.header(["Study", _clean(s.name)])
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
        about.row([label, _clean(value)], style=WRAPPED)

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
        sheet = book.sheet(sheet_title(theme, taken), widths)
        heads = [*(h.replace("_", " ") for h in lead), *map(column_heading, columns)]
        sheet.header([_clean(h) for h in heads])
        for label in matrix.participants:
            person = people.get(label)
            first: list[object] = [_clean(label)]
            if named:
                first.append(_clean(person.pseudonym) if person else "")
            if split:
                first.append(_clean("; ".join(person.values(split))) if person else "")
            sheet.row(
                [*first, *(_chart_text(report, matrix.cell(label, c)) for c in columns)],
                style=WRAPPED,
            )

    counts = book.sheet(sheet_title("Matrix", taken), [12, *([14] * len(matrix.columns))])
    counts.header([_clean(h) for h in ["Participant", *matrix.columns]])
    counts.rows_of_text(
        ([label, *values] for label, values in zip(
            matrix.participants, matrix.counts().tolist(), strict=True
        )),
        _clean,
    )  # fmt: skip
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


def _segments(book: Workbook, taken: set[str], report: ReportData) -> None:
    segments = report.segments
    kept = [
        column
        for column in _SEGMENT_COLUMNS
        if not column[2] or any(column[3](seg) != "" for seg in segments)
    ]
    sheet = book.sheet(sheet_title("Coded segments", taken), [c[1] for c in kept])
    sheet.header([c[0] for c in kept])
    values = [c[3] for c in kept]
    sheet.rows_of_text(([value(seg) for value in values] for seg in segments), _clean)
