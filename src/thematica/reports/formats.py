"""The report formats, and writing them so that a failure leaves nothing half-written.

Each format is a file name and a function that writes a :class:`ReportData` to a path. The
DOCX renderer's libraries (python-docx, Pillow) are imported only when it is asked for, so the
HTML report and ``thematica --help`` need neither; the XLSX is written by the package's own
streaming writer.

:func:`write_formats` renders every format to a temporary file in the target folder first and
renames them into place only when all rendered: a reader never sees a truncated report, and a
failure (a missing library, a full disk) leaves the folder as it was.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import InvalidInputError, OutputError
from thematica.reports.data import ReportData
from thematica.safeio.files import staged_path

__all__ = ["FORMATS", "ReportFormat", "check_formats", "write_formats"]


def _html(report: ReportData, path: Path) -> None:
    from thematica.reports.html import render_html

    path.write_text(render_html(report), encoding="utf-8")


def _require(module: str, package: str, what: str) -> None:
    """Refuse clearly, before anything is written, when a format's library is not installed."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise InvalidInputError(
            f"the {what} report needs {package}: pip install 'thematica[reports]'"
        ) from None


def _docx(report: ReportData, path: Path) -> None:
    _require("docx", "python-docx", "DOCX")
    _require("PIL", "pillow", "DOCX")  # the charts as pictures
    from thematica.reports.docx import write_docx

    write_docx(report, path)


def _xlsx(report: ReportData, path: Path) -> None:
    from thematica.reports.xlsx import write_xlsx  # its own streaming writer: no library

    write_xlsx(report, path)


def _csv(report: ReportData, path: Path) -> None:
    from thematica.reports.matrix_csv import write_matrix_csv

    write_matrix_csv(report, path)


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """A report format: what it is called, the file it writes, and how."""

    name: str
    filename: str
    description: str
    write: Callable[[ReportData, Path], None]


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("html", "report.html", "one self-contained web page", _html),
        ReportFormat("docx", "report.docx", "a Word document to edit for a paper", _docx),
        ReportFormat("xlsx", "framework.xlsx", "the framework matrix and coded segments", _xlsx),
        ReportFormat("csv", "participants-by-codes.csv", "a binary matrix for R or pandas", _csv),
    )
}


def check_formats(formats: Sequence[str]) -> list[str]:
    """``formats`` without repeats, in the order asked; refuses none, or a name not in
    :data:`FORMATS`."""
    chosen = list(dict.fromkeys(formats))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise InvalidInputError(
            f"unknown report format {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(FORMATS)}"
        )
    return chosen


def write_formats(report: ReportData, out: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``formats`` of ``report`` into the folder ``out`` (created if needed).

    Returns the final paths, in the order asked. Existing files of the same names are replaced
    only when every format has rendered.
    """
    chosen = check_formats(formats)
    if out.exists() and not out.is_dir():
        raise InvalidInputError("the report folder is a file, not a folder", file=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the report folder: {exc.strerror}", file=str(out)
        ) from exc
    finals = [out / FORMATS[name].filename for name in chosen]
    # Every format is staged first; leaving the stack moves them all into place, or (after an
    # error) removes every one: the folder never holds a mix of new and old or a temporary.
    with contextlib.ExitStack() as stack:
        for name, final in zip(chosen, finals, strict=True):
            FORMATS[name].write(report, stack.enter_context(staged_path(final)))
    return finals
