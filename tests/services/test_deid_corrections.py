"""Corrections after apply (codings move, as events), speaker labels that follow the text, and
no copy of the original left in the SQLite file, its write-ahead log or unnamed backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.coding import apply_coding
from thematica.services.deid import detect_identifiers
from thematica.services.deid_bulk import decide_matching
from thematica.services.deid_corrections import redact_after_apply
from thematica.services.documents import add_text, get_document
from thematica.services.redaction import apply_deidentification, redaction_log
from thematica.services.scope import open_db, study_scope
from thematica.services.studies import create_study
from thematica.storage import Database

STUDY = "Test study"
# Fictional, written for this test.
TEXT = (
    "Researcher 1: Who supports you?\n\n"
    "Krzysztof: My manager Sarah, and Zbigniew from the hub. Zbigniew is kind.\n\n"
    "Researcher 1: Thanks.\n"
)


def _applied(db: Database) -> None:
    add_text(db, "K1", TEXT, study=STUDY, actor="tester")
    detect_identifiers(db, ["K1"], study=STUDY, actor="owner")
    decide_matching(db, "accept", document="K1", study=STUDY, actor="rev")
    apply_deidentification(db, "K1", study=STUDY, actor="rev")


@both_backends
def test_a_replaced_speaker_label_changes_the_turns_speaker_with_it(
    db: Database, study: str
) -> None:
    _applied(db)
    document = get_document(db, "K1", study=STUDY)
    assert "Krzysztof" not in document.text
    speakers = [t.speaker for t in document.turns]
    assert speakers[0] == speakers[2] == "Researcher 1"  # a role, never a name
    assert speakers[1].startswith("[Person ") and document.text[
        document.turns[1].span.start :
    ].startswith(speakers[1] + ":")


@both_backends
def test_a_name_missed_is_redacted_after_apply_and_codings_move_with_it(
    db: Database, study: str
) -> None:
    add_text(db, "K1", TEXT, study=STUDY, actor="tester")
    detect_identifiers(db, ["K1"], study=STUDY, actor="owner")
    decide_matching(db, "accept", text="Krzysztof", study=STUDY, actor="rev")
    decide_matching(db, "reject", document="K1", study=STUDY, actor="rev")  # a careless review
    apply_deidentification(db, "K1", study=STUDY, actor="rev")
    before = get_document(db, "K1", study=STUDY).text
    assert "Zbigniew" in before
    kind = before.index("kind")
    coding = apply_coding(db, "K1", kind, kind + 4, "Support", coder="Robin", study=STUDY)
    whole = apply_coding(db, "K1", 0, len(before), "Systemic", coder="Robin", study=STUDY)
    with pytest.raises(ConflictError, match=r"already de-identified.*deid redact K1"):
        apply_deidentification(db, "K1", study=STUDY, actor="rev")
    done = redact_after_apply(db, "K1", "person", text="zbigniew", study=STUDY, actor="rev")
    assert done.replaced == 2 and done.codings_moved == 2 and done.label.startswith("[Person ")
    after = get_document(db, "K1", study=STUDY).text
    assert "Zbigniew" not in after and after.count(done.label) == 2
    with study_scope(db, STUDY) as (uow, found):
        moved = {c.id: c.span for c in uow.codings.all(found.id)}
        events = uow.events.all(found.id)
    assert after[moved[coding.id].start : moved[coding.id].end] == "kind"
    assert (moved[whole.id].start, moved[whole.id].end) == (0, len(after))
    changed = [e for e in events if e.kind.value == "coding.changed"]
    assert {e.entity_id for e in changed} == {coding.id, whole.id}
    corrected = [e for e in events if e.kind.value == "deid.corrected"]
    assert len(corrected) == 1 and "zbigniew" not in str(corrected[0].after).casefold()
    assert len([r for r in redaction_log(db, study=STUDY) if r["label"] == done.label]) == 2
    # a label is never redacted again, and a pending document is reviewed, not corrected
    with pytest.raises(ConflictError, match="label or redaction marker"):
        redact_after_apply(db, "K1", "person", text=done.label, study=STUDY)
    with pytest.raises(InvalidInputError, match="does not occur"):
        redact_after_apply(db, "K1", "person", text="Nobody", study=STUDY)
    add_text(db, "K2", TEXT, study=STUDY, actor="tester")
    detect_identifiers(db, ["K2"], study=STUDY, actor="owner")
    with pytest.raises(ConflictError, match="not de-identified yet"):
        redact_after_apply(db, "K2", "person", start=0, end=3, study=STUDY)


def test_no_copy_of_the_original_survives_in_the_file_or_its_log(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    db = open_db(str(path), create=True)
    create_study(db, STUDY, template="blank", actor="tester")
    (tmp_path / "study.db.bak-0005").write_bytes(b"an old backup")
    # a long text, so that it fills pages of its own (the case where freed pages linger)
    secret = "Krzysztof Wojcikowski-Brzęczyszczykiewicz"
    long_text = TEXT.replace("Krzysztof:", f"{secret}:") + ("Researcher 1: And then?\n\n" * 400)
    add_text(db, "K1", long_text, study=STUDY, actor="tester")
    other = sqlite3.connect(path)  # another program with the file open, idle
    other.execute("SELECT count(*) FROM documents").fetchone()
    detect_identifiers(db, ["K1"], study=STUDY, actor="owner")
    decide_matching(db, "accept", document="K1", study=STUDY, actor="rev")
    result = apply_deidentification(db, "K1", study=STUDY, actor="rev")
    assert result.log_emptied and result.backups == (str(tmp_path / "study.db.bak-0005"),)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").one() == (1,)
    for file in (path, path.with_name("study.db-wal")):
        if file.exists():
            assert secret.encode() not in file.read_bytes(), file
    # A reader in the middle of a transaction keeps the log from being emptied: said, not hidden.
    add_text(db, "K2", long_text, study=STUDY, actor="tester")
    detect_identifiers(db, ["K2"], study=STUDY, actor="owner")
    decide_matching(db, "accept", document="K2", study=STUDY, actor="rev")
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM documents").fetchone()
    assert apply_deidentification(db, "K2", study=STUDY, actor="rev").log_emptied is False
    other.execute("COMMIT")
    other.close()
    assert db.checkpoint() is True  # emptied once no one reads
    for file in (path, path.with_name("study.db-wal")):
        assert secret.encode() not in file.read_bytes(), file
    db.dispose()
