"""A study whose participant sheet holds real names, as the README asks for de-identification.

Every name here is fictional, made up for these tests. The real names must reach no output
(report, project export, coded-segments table); the pseudonyms and other attributes must.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematica.services.coding import apply_coding
from thematica.services.documents import add_text
from thematica.services.participants import add_participant
from thematica.storage import Database

#: label -> (real name, interviewer, pseudonym, setting); all fictional.
SHEET = {
    "P01": ("Marguerite Oyelaran", "Thaddeus Quillfeather", "Robin", "Hospice"),
    "P02": ("Casimir Dunleavy", "Thaddeus Quillfeather", "Sky", "Community"),
}
REAL_NAMES = ("Marguerite", "Oyelaran", "Casimir", "Dunleavy", "Thaddeus", "Quillfeather")
SHOWN = ("Robin", "Sky", "Hospice", "Community")

TRANSCRIPT_2 = (
    "Interviewer: What helps?\n\n"
    "Participant: My supervisor listens to me every single week, and that matters.\n"
)


def build(db: Database, study: str) -> None:
    """Give the study's T1 (P01) a second transcript (P02), the sheet above, and codings."""
    add_text(db, "T2", TRANSCRIPT_2, study=study, participant="P02", actor="tester")
    for label, (name, interviewer, pseudonym, setting) in SHEET.items():
        add_participant(
            db,
            label,
            study=study,
            pseudonym=pseudonym,
            attributes={
                "name": name,
                "Interviewer Name": interviewer,
                "pseudonym": pseudonym,
                "setting": setting,
            },
            actor="tester",
        )
    apply_coding(db, "T1", 0, 40, "Support", coder="Robin", study=study)
    apply_coding(db, "T2", 0, 40, "Systemic > Pay", coder="Robin", study=study)


def readable(path: Path) -> str:
    """Every part of a file as text: each member of a zip (DOCX, XLSX, QDPX) inflated."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(path):
        return data.decode("utf-8", errors="replace")
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            archive.read(member).decode("utf-8", errors="replace") for member in archive.namelist()
        )
