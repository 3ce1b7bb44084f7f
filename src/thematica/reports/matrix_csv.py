"""The participants × codes matrix as CSV, 0/1, with the participants' attributes.

One row per participant: ``participant``, ``pseudonym``, one column per attribute (several
values joined by ``"; "``), then one column per code path holding 1 when the participant has at
least one coding of that code and 0 otherwise. It reads straight into R (``read.csv``) or pandas
(``read_csv``) for cross-case analysis. UTF-8 with no BOM, ``\\n`` line endings; a label that
starts like a formula is neutralised (:mod:`thematica.safeio.csvfiles`).
"""

from __future__ import annotations

from pathlib import Path

from thematica.reports.data import ReportData
from thematica.safeio.csvfiles import write_rows

__all__ = ["MULTI_VALUE_SEPARATOR", "matrix_rows", "write_matrix_csv"]

#: How several values of one attribute are joined in a cell.
MULTI_VALUE_SEPARATOR = "; "


def matrix_rows(report: ReportData) -> list[list[str | int]]:
    """The CSV's rows, header first."""
    attributes = sorted({name for person in report.participants for name in person.attributes})
    matrix = report.framework
    counts = matrix.counts()
    header: list[str | int] = ["participant", "pseudonym", *attributes, *matrix.columns]
    rows: list[list[str | int]] = [header]
    index = {label: i for i, label in enumerate(matrix.participants)}
    for person in report.participants:
        i = index[person.label]
        rows.append(
            [
                person.label,
                person.pseudonym,
                *(MULTI_VALUE_SEPARATOR.join(person.values(name)) for name in attributes),
                *(int(count > 0) for count in counts[i].tolist()),
            ]
        )
    return rows


def write_matrix_csv(report: ReportData, path: Path) -> None:
    """Write the binary participants × codes matrix to ``path``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_rows(handle, matrix_rows(report), lineterminator="\n")
