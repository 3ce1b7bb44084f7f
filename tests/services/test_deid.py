"""De-identification with review, on SQLite and PostgreSQL: detect, decide, apply; consistency
across documents; refusals (pending documents cannot be coded, coded ones cannot be changed);
the owner-only mapping; the redaction log; turns moved with the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from thematica.services.coding import apply_coding
from thematica.services.deid import detect_identifiers
from thematica.services.deid_mapping import (
    add_terms,
    mapping_owner,
    read_mapping,
    read_terms,
    set_mapping_owner,
)
from thematica.services.deid_review import add_item, decide_item, review_list, review_overview
from thematica.services.documents import add_text, get_document, get_original, import_files
from thematica.services.redaction import apply_deidentification, redaction_log
from thematica.services.scope import study_scope
from thematica.storage import Database

STUDY = "Test study"
OWNER = "owner-ann"

INTERVIEW_A = (
    "Interviewer: Who supports you?\n\n"
    "Participant: My manager Sarah does, at Larch Ward. Ring me on 07700 900123 any time.\n\n"
    "Interviewer: Anyone else?\n\n"
    "Participant: sarah's deputy, Priya, in Leeds.\n"
)
INTERVIEW_B = (
    "Interviewer: And supervision?\n\n"
    "Participant: Honestly Sarah is the best. I moved from Bradford for it.\n"
)


def _items(db: Database, document: str) -> list[dict[str, object]]:
    return review_list(db, document, study=STUDY)


def _accept_all(db: Database, document: str) -> None:
    for row in _items(db, document):
        decide_item(db, str(row["item"]), "accept", study=STUDY, actor="reviewer")


@pytest.fixture
def two(db: Database, study: str) -> Database:
    add_text(db, "A", INTERVIEW_A, study=STUDY, actor="tester")
    add_text(db, "B", INTERVIEW_B, study=STUDY, actor="tester")
    return db


@both_backends
def test_detection_fills_a_review_list_and_nothing_is_replaced(two: Database) -> None:
    summaries = detect_identifiers(two, ["A", "B"], study=STUDY, actor=OWNER)
    assert [s.document for s in summaries] == ["A", "B"] and all(s.added for s in summaries)
    rows = _items(two, "A")
    found = {(r["text"], r["type"]) for r in rows}
    assert {
        ("Sarah", "PERSON"),
        ("sarah", "PERSON"),
        ("Priya", "PERSON"),
        ("Leeds", "PLACE"),
        ("Larch Ward", "ORGANISATION"),
        ("07700 900123", "PHONE"),
    } <= found
    assert all(r["status"] == "pending" for r in rows)
    assert get_document(two, "A", study=STUDY).text == INTERVIEW_A, "nothing replaced yet"
    assert mapping_owner(two, study=STUDY) == OWNER


@both_backends
def test_a_pending_document_cannot_be_coded_until_applied(two: Database) -> None:
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    with pytest.raises(ConflictError, match=r"review pending.*thematica deid"):
        apply_coding(two, "A", 0, 10, "Support", coder="Robin", study=STUDY)
    with pytest.raises(ConflictError, match="still pending"):
        apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    _accept_all(two, "A")
    apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    coding = apply_coding(two, "A", 0, 10, "Support", coder="Robin", study=STUDY)
    assert coding.span.start == 0
    # A document never put through de-identification stays codable.
    apply_coding(two, "B", 0, 5, "Support", coder="Robin", study=STUDY)


@both_backends
def test_a_coded_document_cannot_be_deidentified(two: Database) -> None:
    apply_coding(two, "A", 0, 10, "Support", coder="Robin", study=STUDY)
    with pytest.raises(ConflictError, match="'A' already has 1 coding"):
        detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    # Every document: the coded ones are left alone, and the summary says so.
    summaries = {s.document: s for s in detect_identifiers(two, study=STUDY, actor=OWNER)}
    assert summaries["A"].skipped and summaries["A"].added == 0
    assert summaries["B"].added and not summaries["B"].skipped
    assert summaries["T1"].found == summaries["T1"].added


@both_backends
def test_replacements_are_consistent_across_the_study_and_turns_move(two: Database) -> None:
    detect_identifiers(two, ["A", "B"], study=STUDY, actor=OWNER)
    _accept_all(two, "A")
    before = get_document(two, "A", study=STUDY)
    result = apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    after = get_document(two, "A", study=STUDY)
    assert "Sarah" not in after.text and "sarah" not in after.text and "07700" not in after.text
    sarah = after.text[after.text.index("manager ") + 8 :].split(" does")[0]
    assert sarah.startswith("[Person ")
    assert after.text.count(sarah) == 2, "Sarah and sarah's are one person"
    assert result.replaced == len(_items(two, "A"))
    # Every turn covers the same words as before, moved onto the new text.
    assert len(after.turns) == len(before.turns)
    for old, new in zip(before.turns, after.turns, strict=True):
        assert new.speaker == old.speaker
        assert after.text[new.span.start : new.span.end].split(":")[0] == old.speaker
        assert after.text[new.span.end - 1] == before.text[old.span.end - 1]
    # In the next transcript the same person gets the same label.
    _accept_all(two, "B")
    apply_deidentification(two, "B", study=STUDY, actor="reviewer")
    b = get_document(two, "B", study=STUDY).text
    assert sarah in b and "Bradford" not in b


@both_backends
def test_reject_relabel_and_add_shape_what_is_replaced(two: Database) -> None:
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    rows = {str(r["text"]): r for r in _items(two, "A")}
    decide_item(two, str(rows["Leeds"]["item"])[:8], "reject", study=STUDY, actor="rev")
    decide_item(two, str(rows["Priya"]["item"]), "relabel", label="place", study=STUDY, actor="rev")
    start = INTERVIEW_A.index("Anyone else")
    add_item(two, "A", start, start + len("Anyone"), "IDENTIFIER", study=STUDY, actor="rev")
    with pytest.raises(ConflictError, match="overlaps item"):
        add_item(two, "A", start + 1, start + 4, "PERSON", study=STUDY, actor="rev")
    for row in _items(two, "A"):
        if row["status"] == "pending":
            decide_item(two, str(row["item"]), "accept", study=STUDY, actor="rev")
    apply_deidentification(two, "A", study=STUDY, actor="rev")
    text = get_document(two, "A", study=STUDY).text
    assert "Leeds" in text, "a rejected detection stays"
    assert "[Place 1]" in text and "Priya" not in text, "relabelled as a place"
    assert "[Identifier 1] else" in text, "an added item is replaced"
    items = _items(two, "A")
    assert all(r["text"] == "" for r in items), "identifiers are forgotten once replaced"
    assert {r["decided_by"] for r in items} == {"rev"}


@both_backends
def test_waiving_needs_a_reason_and_leaves_the_text_as_it_is(two: Database) -> None:
    detect_identifiers(two, ["B"], study=STUDY, actor=OWNER)
    pending = len(_items(two, "B"))
    with pytest.raises(InvalidInputError, match="reason"):
        apply_deidentification(two, "B", study=STUDY, actor="lead", waive=True)
    result = apply_deidentification(
        two, "B", study=STUDY, actor="lead", waive=True, reason="pilot transcript"
    )
    assert result.waived and result.waived_items == pending > 0 and result.replaced == 0
    assert get_document(two, "B", study=STUDY).text == INTERVIEW_B  # nothing applied
    assert redaction_log(two, study=STUDY, document="B") == []
    items = _items(two, "B")
    assert {(r["status"], r["decided_by"]) for r in items} == {("rejected", "lead")}
    assert [r["status"] for r in review_overview(two, study=STUDY) if r["document"] == "B"] == [
        "waived"
    ]
    with pytest.raises(ConflictError, match="already de-identified"):
        apply_deidentification(two, "B", study=STUDY, actor="lead", waive=True, reason="again")


@both_backends
def test_a_waiver_replaces_only_what_a_reviewer_accepted(two: Database) -> None:
    detect_identifiers(two, ["B"], study=STUDY, actor=OWNER)
    items = _items(two, "B")
    first = items[0]
    decide_item(two, str(first["item"]), "accept", study=STUDY, actor="reviewer")
    result = apply_deidentification(
        two, "B", study=STUDY, actor="lead", waive=True, reason="pilot transcript"
    )
    assert result.replaced == 1 and result.waived_items == len(items) - 1 > 0
    text = get_document(two, "B", study=STUDY).text
    assert str(first["text"]) not in text
    assert all(str(r["text"]) in text for r in items[1:])
    log = redaction_log(two, study=STUDY, document="B")
    assert [(r["original_start"], r["reason"]) for r in log] == [
        (first["start"], "pilot transcript")
    ]


@both_backends
def test_the_log_and_events_never_hold_the_identifiers(two: Database) -> None:
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    _accept_all(two, "A")
    apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    log = redaction_log(two, study=STUDY)
    text = get_document(two, "A", study=STUDY).text
    assert log and all(text[int(r["start"]) : int(r["end"])] == r["label"] for r in log)
    assert "Sarah" not in repr(log)
    with study_scope(two, STUDY) as (uow, found):
        events = uow.events.all(found.id)
    kinds = {e.kind.value for e in events}
    assert {"deid.detected", "deid.item_decided", "deid.applied"} <= kinds
    assert all("Sarah" not in repr((e.before, e.after)) for e in events)


@both_backends
def test_only_the_owner_reads_the_mapping_and_the_terms(two: Database) -> None:
    add_terms(two, ["Larch Ward"], "organisation", study=STUDY, actor="anyone")
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    _accept_all(two, "A")
    apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    with pytest.raises(PermissionDeniedError, match="owner-ann"):
        read_mapping(two, study=STUDY, actor="reviewer")
    with pytest.raises(PermissionDeniedError):
        read_terms(two, study=STUDY, actor="reviewer")
    mapping = read_mapping(two, study=STUDY, actor=OWNER)
    assert {"label": "[Place 1]", "type": "PLACE", "identifier": "leeds"} in mapping
    assert read_terms(two, study=STUDY, actor=OWNER) == {"larch ward": "ORGANISATION"}
    with pytest.raises(PermissionDeniedError):
        set_mapping_owner(two, "reviewer", study=STUDY, actor="reviewer")
    set_mapping_owner(two, "new-owner", study=STUDY, actor=OWNER)
    with pytest.raises(PermissionDeniedError):
        read_mapping(two, study=STUDY, actor=OWNER)
    assert read_mapping(two, study=STUDY, actor="new-owner") == mapping


@both_backends
def test_a_name_replaced_once_is_found_in_later_documents(two: Database) -> None:
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    _accept_all(two, "A")
    apply_deidentification(two, "A", study=STUDY, actor="reviewer")
    # "priya" in lower case mid-sentence after "and": found because the mapping knows her.
    add_text(two, "C", "Participant: me and priya went.\n", study=STUDY, actor="tester")
    detect_identifiers(two, ["C"], study=STUDY, actor=OWNER)
    assert [r["text"] for r in _items(two, "C")] == ["priya"]


@both_backends
def test_a_replaced_name_that_is_a_word_does_not_become_a_term(two: Database) -> None:
    add_text(two, "W", "Participant: My manager Will said so.\n", study=STUDY, actor="tester")
    detect_identifiers(two, ["W"], study=STUDY, actor=OWNER)
    _accept_all(two, "W")
    apply_deidentification(two, "W", study=STUDY, actor="reviewer")
    add_text(two, "X", "Participant: I will say, Will helped.\n", study=STUDY, actor="tester")
    detect_identifiers(two, ["X"], study=STUDY, actor=OWNER)
    assert [r["text"] for r in _items(two, "X")] == ["Will"], "not the verb 'will'"


@both_backends
def test_html_and_script_in_a_transcript_stay_inert_text(two: Database) -> None:
    hostile = "Participant: <script>alert('Sarah')</script> <b>Leeds</b> &amp; more.\n"
    add_text(two, "H", hostile, study=STUDY, actor="tester")
    detect_identifiers(two, ["H"], study=STUDY, actor=OWNER)
    _accept_all(two, "H")
    apply_deidentification(two, "H", study=STUDY, actor="reviewer")
    text = get_document(two, "H", study=STUDY).text
    assert text.startswith("Participant: <script>alert('[Person ") and "</script>" in text
    assert "<b>[Place " in text and "&amp; more." in text, "markup is kept as characters"


@both_backends
def test_detecting_again_keeps_decisions_and_adds_only_new_items(two: Database) -> None:
    detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    first = _items(two, "A")
    decide_item(two, str(first[0]["item"]), "reject", study=STUDY, actor="rev")
    again = detect_identifiers(two, ["A"], study=STUDY, actor=OWNER)
    assert again[0].added == 0
    assert _items(two, "A")[0]["status"] == "rejected"


@both_backends
def test_the_original_file_with_the_identifiers_goes_when_the_text_is_replaced(
    two: Database, tmp_path: Path
) -> None:
    path = tmp_path / "F.txt"
    path.write_text(INTERVIEW_A + "\nInterviewer: Thank you.\n", encoding="utf-8")
    import_files(two, [path], study=STUDY, actor="tester")
    assert b"Sarah" in get_original(two, "F", study=STUDY)
    assert get_document(two, "F", study=STUDY).source_name == "F.txt"
    detect_identifiers(two, ["F"], study=STUDY, actor=OWNER)
    _accept_all(two, "F")
    result = apply_deidentification(two, "F", study=STUDY, actor="reviewer")
    with pytest.raises(NotFoundError, match="not kept"):
        get_original(two, "F", study=STUDY)
    # the file's name (often the participant's) goes with it
    assert get_document(two, "F", study=STUDY).source_name == ""
    assert result.name_holds_identifier is False


@both_backends
def test_a_speaker_whose_name_is_replaced_takes_the_label(two: Database) -> None:
    text = "Interviewer: Hello.\n\nSarah: Hi, I work in Leeds.\n\nInterviewer: Thanks.\n"
    add_text(two, "S", text, study=STUDY, actor="tester")
    assert {t.speaker for t in get_document(two, "S", study=STUDY).turns} == {
        "Interviewer",
        "Sarah",
    }
    detect_identifiers(two, ["S"], study=STUDY, actor=OWNER)
    _accept_all(two, "S")
    apply_deidentification(two, "S", study=STUDY, actor="reviewer")
    after = get_document(two, "S", study=STUDY)
    speakers = [t.speaker for t in after.turns]
    assert speakers[0] == speakers[2] == "Interviewer"
    assert speakers[1].startswith("[Person ") and "Sarah" not in after.text
    assert after.text[after.turns[1].span.start :].startswith(speakers[1] + ":")
