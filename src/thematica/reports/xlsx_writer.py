"""A small streaming XLSX writer: the part of SpreadsheetML the framework workbook needs.

openpyxl builds a Python object per cell even in write-only mode; the coded-segments sheet of a
large study has millions of cells, and that was most of the report's time. This writer streams
each sheet's XML into the zip a row at a time: text as inline strings (never a formula, so a
passage starting with ``=`` stays text), numbers as numbers, a bold header row, wrapped cells,
column widths, a frozen first row and column, and an autofilter over the data. Excel, LibreOffice
and openpyxl read what it writes (the tests read it back with openpyxl).

Text is made fit for a cell by the caller's ``clean`` (control characters dropped, cut at the
cell limit) and XML-escaped here. Each sheet is written to a temporary file beside the target
and the zip is assembled at :meth:`Workbook.save`; nothing is left half-written because the
report formats write to a temporary name and rename (:mod:`thematica.reports.formats`).
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Sheet", "Workbook", "column_letter"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
#: Strings up to this long are cached once cleaned and escaped (names recur on every row).
_REPEATED = 200
#: Cell styles (indices into cellXfs above).
PLAIN, HEADER, WRAPPED = 0, 1, 2


def column_letter(index: int) -> str:
    """The letters of the 1-based column ``index`` (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Sheet:
    """One worksheet being written: header first, then rows; see :meth:`Workbook.sheet`."""

    def __init__(self, title: str, widths: Sequence[float], handle: IO[str], path: Path) -> None:
        self.title = title
        self.columns = len(widths)
        self.rows = 0
        self._handle = handle
        self._path = path
        self._letters = [column_letter(i + 1) for i in range(max(len(widths), 1))]
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        handle.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            '<sheetViews><sheetView workbookViewId="0"><pane xSplit="1" ySplit="1" '
            'topLeftCell="B2" activePane="bottomRight" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}'
            "<sheetData>"
        )

    def _cells(self, values: Iterable[object], style: int) -> str:
        row = self.rows
        styled = f' s="{style}"' if style else ""
        parts = []
        for letter, value in zip(self._letters, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                parts.append(
                    f'<c r="{letter}{row}" t="inlineStr"{styled}><is><t xml:space="preserve">'
                    f"{escape(str(value))}</t></is></c>"
                )
            else:
                parts.append(f'<c r="{letter}{row}"{styled}><v>{value}</v></c>')
        return "".join(parts)

    def header(self, values: Iterable[str]) -> None:
        """The first row, bold and wrapped."""
        self.row(values, style=HEADER)

    def row(self, values: Iterable[object], *, style: int = PLAIN) -> None:
        """One row: strings as text, ints and floats as numbers, None or "" left empty."""
        self.rows += 1
        self._handle.write(f'<row r="{self.rows}">{self._cells(values, style)}</row>')

    def rows_of_text(
        self, rows: Iterable[Sequence[object]], clean: Callable[[str], str] = str
    ) -> None:
        """Many plain rows at once (the fast path for a long sheet); strings go through
        ``clean`` first. An empty string or ``None`` is an empty cell."""
        write, width = self._handle.write, self.columns
        # Cells are written in column order without a reference (an empty one as <c/>), so a
        # repeated name's whole cell is made once: documents, codes and coders recur on every
        # row of Coded segments.
        ready: dict[str, str] = {}
        for values in rows:
            self.rows += 1
            cells = []
            for value in values[:width]:
                if isinstance(value, str):
                    cell = ready.get(value)
                    if cell is None:
                        cell = (
                            '<c t="inlineStr"><is><t xml:space="preserve">'
                            f"{escape(clean(value))}</t></is></c>"
                            if value
                            else "<c/>"
                        )
                        if len(value) <= _REPEATED:
                            ready[value] = cell
                    cells.append(cell)
                elif value is None:
                    cells.append("<c/>")
                else:
                    cells.append(f"<c><v>{value}</v></c>")
            write(f'<row r="{self.rows}">{"".join(cells)}</row>')

    @property
    def filter_ref(self) -> str:
        """The range the autofilter covers: the header and every row written."""
        return f"A1:{self._letters[self.columns - 1]}{max(self.rows, 1)}"

    def _close(self, filtered: bool) -> None:
        end = f'<autoFilter ref="{self.filter_ref}"/>' if filtered and self.columns else ""
        self._handle.write(f"</sheetData>{end}</worksheet>")
        self._handle.close()


class Workbook:
    """Sheets streamed to temporary files, zipped into an XLSX by :meth:`save`."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="thematica-xlsx-")
        self._sheets: list[tuple[Sheet, bool]] = []

    def sheet(self, title: str, widths: Sequence[float], *, filtered: bool = True) -> Sheet:
        """A new sheet (``title`` already legal and unique); ``filtered`` adds an autofilter."""
        path = Path(self._folder.name) / f"sheet{len(self._sheets) + 1}.xml"
        handle = path.open("w", encoding="utf-8", newline="")
        made = Sheet(title, widths, handle, path)
        self._sheets.append((made, filtered))
        return made

    def save(self, path: Path) -> None:
        try:
            for sheet, filtered in self._sheets:
                sheet._close(filtered)
            with zipfile.ZipFile(
                path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive:
                archive.writestr("[Content_Types].xml", self._content_types())
                archive.writestr(
                    "_rels/.rels",
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
                    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
                )
                archive.writestr("xl/workbook.xml", self._workbook())
                archive.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
                archive.writestr("xl/styles.xml", _STYLES)
                for i, (sheet, _) in enumerate(self._sheets, start=1):
                    archive.write(sheet._path, f"xl/worksheets/sheet{i}.xml")
        finally:
            self._folder.cleanup()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, len(self._sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
            '"http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (sheet, _) in enumerate(self._sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted(sheet.title))}!{_absolute(sheet.filter_ref)}</definedName>"
            for i, (sheet, filtered) in enumerate(self._sheets)
            if filtered and sheet.columns
        )
        names = f"<definedNames>{filters}</definedNames>" if filters else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
            f"{names}</workbook>"
        )

    def _workbook_rels(self) -> str:
        sheets = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self._sheets) + 1)
        )
        styles = len(self._sheets) + 1
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="{_PACKAGE}">{sheets}<Relationship Id="rId{styles}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>'
        )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """``A1:J10`` as ``$A$1:$J$10``."""
    out = []
    for corner in ref.split(":"):
        letters = corner.rstrip("0123456789")
        out.append(f"${letters}${corner[len(letters) :]}")
    return ":".join(out)
