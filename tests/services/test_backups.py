"""A backup of a de-identified study holds no original: not the dropped file, not the review
items' surfaces, not (by default) the mapping. The interview below is fictional."""

from __future__ import annotations

from pathlib import Path

from thematica.services.backups import backup_database
from thematica.services.deid import detect_identifiers
from thematica.services.deid_review import decide_item, review_list
from thematica.services.documents import get_document, import_files
from thematica.services.redaction import apply_deidentification
from thematica.storage import Database

OWNER = "owner-ann"
INTERVIEW = (
    "Interviewer: Who supports you?\n\n"
    "Participant: My manager Sarah Okonkwo does, at Larch Ward. Ring me on 07700 900123.\n"
)


def test_backup_of_a_deidentified_study_holds_no_original(
    db: Database, study: str, tmp_path: Path
) -> None:
    source = tmp_path / "A.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    import_files(db, [source], study=study, actor="tester")
    detect_identifiers(db, ["A"], study=study, actor=OWNER)
    for row in review_list(db, "A", study=study):
        decide_item(db, str(row["item"]), "accept", study=study, actor=OWNER)
    apply_deidentification(db, "A", study=study, actor=OWNER)
    assert "Okonkwo" not in get_document(db, "A", study=study).text
    backup = backup_database(str(db.sqlite_path), tmp_path / "backup.db")
    content = backup.path.read_bytes()
    for original in ("Okonkwo", "okonkwo", "07700 900123", "07700900123", "Larch Ward"):
        assert original.encode() not in content, original
    assert b"Who supports you?" in content, "the de-identified study itself is there"
