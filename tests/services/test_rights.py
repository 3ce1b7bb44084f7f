"""Participants' rights: export everything about one participant, erase them everywhere.

The erasure test reads the database file, its WAL and a backup made afterwards byte by byte.
Every name and text here is fictional, made up for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import NotFoundError, PermissionDeniedError
from thematica.services.audit import verify_audit
from thematica.services.coding import apply_coding
from thematica.services.deid import detect_identifiers
from thematica.services.deid_mapping import add_terms, read_mapping
from thematica.services.deid_review import decide_item, review_list
from thematica.services.documents import add_text, get_document
from thematica.services.memos import write_memo
from thematica.services.participants import add_participant
from thematica.services.redaction import apply_deidentification
from thematica.services.rights import erase_participant, export_participant
from thematica.storage import Database

OWNER = "owner-ann"
LABEL = "Quillon-P77"
NAME = "Zebedee Quigglesworth"
PHRASE = "the marmalade lighthouse on Tuesdays"
MEMO = "memo: Zebedee-adjacent observation 5521"
TEXT = (
    f"Interviewer: What keeps you going?\n\nParticipant: My mentor {NAME} and {PHRASE}, honestly.\n"
)


def _second_participant(db: Database, study: str) -> None:
    add_participant(db, LABEL, study=study, attributes={"hometown": "Gallowglass Cove"})
    add_text(db, "Q", TEXT, study=study, participant=LABEL, actor="tester")
    add_terms(db, [NAME], "PERSON", study=study, actor=OWNER)
    detect_identifiers(db, ["Q"], study=study, actor=OWNER)
    for row in review_list(db, "Q", study=study):
        decide_item(db, str(row["item"]), "accept", study=study, actor=OWNER)
    apply_deidentification(db, "Q", study=study, actor=OWNER)
    text = get_document(db, "Q", study=study).text
    start = text.index(PHRASE)
    coding = apply_coding(
        db, "Q", start, start + len(PHRASE), "Support", coder="Robin", study=study
    )
    write_memo(db, MEMO, author="Robin", on="coding", target=str(coding.id), study=study)
    write_memo(db, MEMO + " (document)", author="Robin", on="document", target="Q", study=study)


@both_backends
def test_export_holds_everything_about_the_participant(
    db: Database, study: str, tmp_path: Path
) -> None:
    _second_participant(db, study)
    out = tmp_path / "export.json"
    data = export_participant(db, LABEL, study=study, actor=OWNER, file=out)
    assert json.loads(out.read_text(encoding="utf-8")) == data
    assert data["participant"]["label"] == LABEL
    assert data["attributes"] == {"hometown": ["Gallowglass Cove"]}
    assert [d["name"] for d in data["documents"]] == ["Q"]
    assert PHRASE in data["documents"][0]["text"] and NAME not in data["documents"][0]["text"]
    assert [c["quote"] for c in data["codings"]] == [PHRASE]
    assert sorted(m["text"] for m in data["memos"]) == [MEMO, MEMO + " (document)"]
    assert [e["type"] for e in data["mapping_entries"]] == ["PERSON"]
    assert data["events"] >= 5
    other = export_participant(db, LABEL, study=study, actor="someone-else")
    assert other["mapping_entries"] == "1 entries, readable by the mapping's owner only"
    with pytest.raises(NotFoundError, match="no participant 'P99'"):
        export_participant(db, "P99", study=study)


@both_backends
def test_erasure_removes_them_everywhere_and_the_trail_still_verifies(
    db: Database, study: str
) -> None:
    _second_participant(db, study)
    with pytest.raises(PermissionDeniedError, match="only the mapping's owner"):
        erase_participant(db, LABEL, study=study, actor="someone-else")
    result = erase_participant(db, LABEL, study=study, actor=OWNER)
    assert result.removed == {
        "documents": 1,
        "codings": 1,
        "memos": 2,
        "framework_summaries": 0,
        "attributes": 1,
        "deid_review_items": 1,
        "mapping_entries": 1,
    }
    assert result.terms_removed == 1 and result.events_kept >= 5
    assert read_mapping(db, study=study, actor=OWNER) == [] or all(
        NAME.lower() not in json.dumps(entry).lower()
        for entry in read_mapping(db, study=study, actor=OWNER)
    )
    with pytest.raises(NotFoundError):
        export_participant(db, LABEL, study=study)
    assert get_document(db, "T1", study=study).name == "T1", "the others are untouched"
    _name, trail = verify_audit(db, study)
    assert trail.verified and trail.erased == result.events_kept


def test_no_byte_of_them_in_the_file_its_wal_or_a_later_backup(
    db: Database, study: str, tmp_path: Path
) -> None:
    from thematica.services.backups import backup_database

    assert db.sqlite_path is not None
    _second_participant(db, study)
    traces = [
        NAME,
        NAME.lower(),
        "Quigglesworth",
        "quigglesworth",
        PHRASE,
        MEMO,
        LABEL,
        "Gallowglass Cove",
    ]

    def files() -> dict[str, bytes]:
        path = db.sqlite_path
        assert path is not None
        found = {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}
        return {n: b for n, b in found.items() if not n.endswith("-shm")}

    before = b"".join(files().values())
    assert all(t.encode() in before for t in (PHRASE, MEMO, LABEL)), "the test sees them first"
    erase_participant(db, LABEL, study=study, actor=OWNER)
    backup = tmp_path / "after.db"
    backup_database(str(db.sqlite_path), backup, include_mapping=True)
    for name, content in {**files(), "backup": backup.read_bytes()}.items():
        for trace in traces:
            assert trace.encode() not in content, f"{trace!r} is still in {name}"
    assert b"Peer supervision" in backup.read_bytes(), "the rest of the study is in the backup"
