"""The coded-segments table for analysts: one row per coding, with the participant's attributes.

Columns: document, participant, then one column per participant attribute (several values joined
with ``;``, as in a participants sheet), code path, start, end, text, coder, valence, memo,
origin, created_at and coding_id. Written as CSV or, for ``.xlsx``, as an Excel workbook.
"""

from __future__ import annotations

from pathlib import Path

from thematica.domain.identifying import is_identifying
from thematica.interchange.tables import MULTI_VALUE_SEPARATOR
from thematica.interchange.workbooks import write_xlsx
from thematica.safeio.csvfiles import write_csv
from thematica.services.coding import coded_segments
from thematica.services.participants import list_participants
from thematica.storage import Database

__all__ = ["LEADING_COLUMNS", "TRAILING_COLUMNS", "export_segments", "segment_table"]

LEADING_COLUMNS = ("document", "participant")
TRAILING_COLUMNS = (
    "code",
    "start",
    "end",
    "text",
    "coder",
    "valence",
    "memo",
    "origin",
    "created_at",
    "coding_id",
)


def segment_table(
    db: Database,
    study: str | None = None,
    *,
    viewer: str | None = None,
    hidden: dict[str, int] | None = None,
) -> tuple[list[str], list[list[object]]]:
    """The header and rows of the coded-segments table, as ``viewer`` (default: the acting user)
    may see it; ``hidden`` receives what an open blind round left out (see
    :func:`~thematica.services.coding.coded_segments`).

    An attribute whose name is also a column's (``code``, ``text`` ...) is headed
    ``participant <name>``.
    """
    segments = coded_segments(db, study, viewer=viewer, hidden=hidden)
    people = {p.label: p for p in list_participants(db, study)}
    # Real names on the sheet are there for de-identification only: no export shows them.
    names = sorted({a for p in people.values() for a in p.attributes if not is_identifying(a)})
    taken = {*LEADING_COLUMNS, *TRAILING_COLUMNS}
    header = [
        *LEADING_COLUMNS,
        *(f"participant {n}" if n in taken else n for n in names),
        *TRAILING_COLUMNS,
    ]
    rows: list[list[object]] = []
    for segment in segments:
        person = people.get(str(segment["participant"]))
        values = [
            MULTI_VALUE_SEPARATOR.join(person.attributes.get(n, ())) if person else ""
            for n in names
        ]
        rows.append(
            [
                *(segment[c] for c in LEADING_COLUMNS),
                *values,
                *(segment[c] for c in TRAILING_COLUMNS),
            ]
        )
    return header, rows


def export_segments(
    db: Database,
    path: Path,
    *,
    study: str | None = None,
    viewer: str | None = None,
    hidden: dict[str, int] | None = None,
) -> int:
    """Write the coded-segments table: an Excel workbook for ``.xlsx``, CSV otherwise. Returns
    the number of codings written; ``hidden`` receives, by round, how many an open blind round
    kept out of the file."""
    header, rows = segment_table(db, study, viewer=viewer, hidden=hidden)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(path, header, rows, sheet="Coded segments")
    return write_csv(path, header, rows)
