"""The audit trail: every service that changes data writes the events it must, no more, no less.

Each step below is one call a researcher makes, with the events (kind and how many) that call
must append to the study's trail. A service that stops calling ``record()`` (or records the
wrong kind) fails here by name; a new event kind that no step writes fails the coverage check,
so the list stays complete. The study is built step by step, in the order a team works:
fictional material throughout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from thematica.domain.events import EventKind
from thematica.services import (
    assist_suggestions,
    codebook,
    codebook_edits,
    coding,
    deid,
    deid_bulk,
    deid_corrections,
    deid_mapping,
    deid_review,
    document_edits,
    document_links,
    documents,
    memos,
    participants,
    redaction,
    rights,
    rounds,
    studies,
    study_record,
)
from thematica.services.scope import open_db, study_scope
from thematica.storage import Database

STUDY = "Audit study"
ACTOR = "auditor"
TEXT = (
    "Interviewer: How is supervision?\n\n"
    "Participant: My supervisor listens and the pay is low.\n\n"
    "Interviewer: Anything else?\n\n"
    "Participant: Training was short.\n"
)
NAMED = "Interviewer: Who helps?\n\nParticipant: My manager Sarah does, in Leeds.\n"

K = EventKind


def _events(db: Database) -> list[EventKind]:
    with study_scope(db, STUDY) as (uow, found):
        return [event.kind for event in uow.events.all(found.id)]


def _coding_id(db: Database, code: str) -> coding.CodingId:
    with study_scope(db, STUDY) as (uow, found):
        book = uow.codes.codebook(found.id)
        wanted = book.find(code).id
        return next(c.id for c in uow.codings.all(found.id) if c.code_id == wanted)


def _span(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _split(db: Database) -> None:
    first = _coding_id(db, "Support > Training")
    codebook_edits.split_code(
        db, "Support > Training", ["Formal", "Informal"], {first: "Formal"}, study=STUDY,
        actor=ACTOR,
    )  # fmt: skip


def _resolve_first(db: Database) -> None:
    """Settle the round's first disagreement: the code applies (a consensus coding)."""
    first = next(v for v in rounds.list_disagreements(db, "R1", study=STUDY) if v.code == "Support")
    rounds.resolve_disagreement(
        db, "R1", document=first.document, start=first.disagreement.span.start, code=first.code,
        decision="present", decided_by="Robin", rationale="Both meant it.", study=STUDY,
    )  # fmt: skip


def _shrink_an_item(db: Database, document: str) -> None:
    """Narrow the first pending item of ``document`` by its last character."""
    row = next(r for r in deid_review.review_list(db, document, study=STUDY) if len(r["text"]) > 1)
    deid_bulk.resize_item(
        db, str(row["item"]), int(row["start"]), int(row["end"]) - 1, study=STUDY, actor="owner"
    )


def _review_items(db: Database, document: str) -> list[str]:
    return [str(row["item"]) for row in deid_review.review_list(db, document, study=STUDY)]


#: (what the researcher does, the call, the events it must write).
Step = tuple[str, Callable[[Database], object], Counter[EventKind]]
STEPS: list[Step] = [
    (
        "create a study",
        lambda db: studies.create_study(db, STUDY, template="blank", actor=ACTOR),
        Counter({K.STUDY_CREATED: 1}),
    ),
    (
        "add a participant",
        lambda db: participants.add_participant(
            db, "P1", study=STUDY, pseudonym="Ash", attributes={"role": "peer"}, actor=ACTOR
        ),
        Counter({K.PARTICIPANT_ADDED: 1}),
    ),
    (
        "change a participant",
        lambda db: participants.add_participant(
            db, "P1", study=STUDY, pseudonym="Ash", attributes={"role": "lead"}, actor=ACTOR
        ),
        Counter({K.PARTICIPANT_UPDATED: 1}),
    ),
    (
        "add a transcript",
        lambda db: documents.add_text(db, "T1", TEXT, study=STUDY, participant="P1", actor=ACTOR),
        Counter({K.DOCUMENT_ADDED: 1}),
    ),
    (
        "date an interview",
        lambda db: documents.set_interview_date(db, "T1", "2026-03-01", study=STUDY, actor=ACTOR),
        Counter({K.DOCUMENT_DATED: 1}),
    ),
    (
        "add a transcript by mistake",
        lambda db: documents.add_text(db, "Spare", TEXT, study=STUDY, actor=ACTOR),
        Counter({K.DOCUMENT_ADDED: 1}),
    ),
    (
        "rename it",
        lambda db: document_edits.rename_document(db, "Spare", "Spare 2", study=STUDY, actor=ACTOR),
        Counter({K.DOCUMENT_RENAMED: 1}),
    ),
    (
        "link it to a participant",
        lambda db: document_links.link_document(db, "Spare 2", "p1", study=STUDY, actor=ACTOR),
        Counter({K.DOCUMENT_LINKED: 1}),
    ),
    (
        "remove it (no codings yet)",
        lambda db: document_edits.remove_document(db, "Spare 2", study=STUDY, actor=ACTOR),
        Counter({K.DOCUMENT_REMOVED: 1}),
    ),
    (
        "add codes",
        lambda db: [
            codebook.add_code(db, path, study=STUDY, actor=ACTOR)
            for path in ("Support", "Support > Supervision", "Support > Training", "Pay", "Other")
        ],
        Counter({K.CODE_ADDED: 5}),
    ),
    (
        "define a code",
        lambda db: codebook.update_code(
            db, "Pay", study=STUDY, actor=ACTOR, definition="Pay and conditions."
        ),
        Counter({K.CODE_UPDATED: 1}),
    ),
    (
        "code by a new coder",
        lambda db: coding.apply_codings(
            db,
            [
                coding.CodingRequest(
                    "T1",
                    *_span("My supervisor listens"),
                    "Support > Supervision",
                    "Robin",
                    "facilitator",
                ),
                coding.CodingRequest("T1", *_span("the pay is low"), "Pay", "Robin", "barrier"),
                coding.CodingRequest(
                    "T1", *_span("Training was short"), "Support > Training", "Robin", "barrier"
                ),
            ],
            study=STUDY,
            actor=ACTOR,
        ),
        Counter({K.CODER_ADDED: 1, K.CODING_APPLIED: 3}),
    ),
    (
        "change a coding",
        lambda db: coding.change_coding(
            db, _coding_id(db, "Pay"), study=STUDY, actor=ACTOR, valence="mixed"
        ),
        Counter({K.CODING_CHANGED: 1}),
    ),
    (
        "write a memo",
        lambda db: memos.write_memo(db, "First day.", author="Robin", study=STUDY),
        Counter({K.MEMO_WRITTEN: 1}),
    ),
    (
        "record how the study was done",
        lambda db: study_record.set_study_record(db, "aim", "To learn.", study=STUDY, actor=ACTOR),
        Counter({K.RECORD_UPDATED: 1}),
    ),
    (
        "chart a framework summary",
        lambda db: study_record.write_summary(
            db, "P1", "Pay", "Low pay.", author="Robin", study=STUDY
        ),
        Counter({K.SUMMARY_WRITTEN: 1}),
    ),
    (
        "move a code",
        lambda db: codebook_edits.move_code(db, "Pay", "Support", study=STUDY, actor=ACTOR),
        Counter({K.CODE_MOVED: 1}),
    ),
    (
        "reorder codes",
        lambda db: codebook_edits.reorder_codes(
            db, "Support", ["Pay", "Training", "Supervision"], study=STUDY, actor=ACTOR
        ),
        Counter({K.CODES_REORDERED: 1}),
    ),
    (
        "split a code (its coding moves to a new sibling code)",
        _split,
        Counter({K.CODE_SPLIT: 1, K.CODE_ADDED: 2, K.CODING_CHANGED: 1}),
    ),
    (
        "merge a code into another",
        lambda db: codebook_edits.merge_codes(
            db, "Support > Formal", "Support > Supervision", study=STUDY, actor=ACTOR
        ),
        Counter({K.CODE_MERGED: 1, K.CODING_CHANGED: 1}),
    ),
    (
        "delete an unused code",
        lambda db: codebook_edits.delete_code(db, "Other", study=STUDY, actor=ACTOR),
        Counter({K.CODE_DELETED: 1}),
    ),
    (
        "remove a coding",
        lambda db: coding.remove_coding(
            db, _coding_id(db, "Support > Pay"), study=STUDY, actor=ACTOR
        ),
        Counter({K.CODING_REMOVED: 1}),
    ),
    (
        "open a blind round",
        lambda db: rounds.open_round(
            db, "R1", coders=["Robin", "Sam"], documents=["T1"], study=STUDY, actor=ACTOR
        ),
        Counter({K.ROUND_OPENED: 1, K.CODER_ADDED: 1}),
    ),
    (
        "the second coder codes in the round",
        lambda db: coding.apply_coding(
            db, "T1", *_span("My supervisor listens"), "Support", coder="Sam", study=STUDY
        ),
        Counter({K.CODING_APPLIED: 1}),
    ),
    (
        "close the round (its consensus layer starts from the agreed codings)",
        lambda db: rounds.close_round(db, "R1", study=STUDY, actor=ACTOR),
        None,  # checked below: the closing event, and one coding per agreed passage at most
    ),
    (
        "resolve a disagreement",
        lambda db: _resolve_first(db),
        None,  # checked below
    ),
    (
        "name the owner of the de-identification mapping",
        lambda db: deid_mapping.set_mapping_owner(db, "owner", study=STUDY, actor=ACTOR),
        Counter({K.DEID_OWNER_SET: 1}),
    ),
    (
        "add terms to look for",
        lambda db: deid_mapping.add_terms(db, ["Larch Ward"], study=STUDY, actor="owner"),
        Counter({K.DEID_TERMS_ADDED: 1}),
    ),
    (
        "add transcripts with names in them",
        lambda db: [
            documents.add_text(db, name, NAMED, study=STUDY, actor=ACTOR) for name in ("A", "B")
        ],
        Counter({K.DOCUMENT_ADDED: 2}),
    ),
    (
        "detect identifiers",
        lambda db: deid.detect_identifiers(db, ["A", "B"], study=STUDY, actor="owner"),
        Counter({K.DEID_DETECTED: 2}),
    ),
    (
        "add an item by hand",
        lambda db: deid_review.add_item(
            db, "A", *_span("manager", NAMED), "IDENTIFIER", study=STUDY, actor="owner"
        ),
        Counter({K.DEID_ITEM_ADDED: 1}),
    ),
    (
        "decide every item of A",
        lambda db: [
            deid_review.decide_item(db, item, "accept", study=STUDY, actor="owner")
            for item in _review_items(db, "A")
        ],
        None,  # one DEID_ITEM_DECIDED per item: checked below
    ),
    (
        "apply the decisions to A",
        lambda db: redaction.apply_deidentification(db, "A", study=STUDY, actor="owner"),
        Counter({K.DEID_APPLIED: 1}),
    ),
    (
        "correct A after applying: a word the review missed",
        lambda db: deid_corrections.redact_after_apply(
            db, "A", "IDENTIFIER", text="helps", study=STUDY, actor="owner"
        ),
        Counter({K.DEID_CORRECTED: 1}),
    ),
    (
        "narrow an item of B",
        lambda db: _shrink_an_item(db, "B"),
        Counter({K.DEID_ITEM_CHANGED: 1}),
    ),
    (
        "waive the review of B",
        lambda db: redaction.apply_deidentification(
            db, "B", study=STUDY, actor="owner", waive=True, reason="Consented to names."
        ),
        Counter({K.DEID_WAIVED: 1}),
    ),
    (
        "read the mapping (the owner only)",
        lambda db: deid_mapping.read_mapping(db, study=STUDY, actor="owner"),
        Counter({K.DEID_MAPPING_READ: 1}),
    ),
    (
        "ask the local model for suggestions",
        lambda db: assist_suggestions.suggest_codings(
            db, study=STUDY, codes=("Support",), model="lexical", limit=2, actor="Robin"
        ),
        Counter({K.ASSIST_SUGGESTED: 1}),
    ),
    (
        "accept a suggestion",
        lambda db: assist_suggestions.decide_suggestion(
            db,
            str(assist_suggestions.list_suggestions(db, study=STUDY)[0].id),
            accept=True,
            study=STUDY,
            actor="Robin",
        ),
        Counter({K.ASSIST_DECIDED: 1, K.CODING_APPLIED: 1}),
    ),
    (
        "erase a participant",
        lambda db: rights.erase_participant(db, "P1", study=STUDY, actor="owner"),
        Counter({K.PARTICIPANT_ERASED: 1}),
    ),
]


def test_every_change_writes_its_events(tmp_path: Path) -> None:
    db = open_db(str(tmp_path / "audit.db"), create=True)
    wrong: list[str] = []
    seen: Counter[EventKind] = Counter()
    before: list[EventKind] = []
    for what, call, expected in STEPS:
        call(db)
        after = _events(db)
        assert after[: len(before)] == before, f"{what}: the trail was rewritten"
        written = Counter(after[len(before) :])
        before = after
        seen += written
        if what.startswith("close the round"):
            expected = Counter({K.ROUND_CLOSED: 1, K.CODER_ADDED: 1})
            expected[K.CODING_APPLIED] = written[K.CODING_APPLIED]  # the agreed passages
        elif what == "resolve a disagreement":
            expected = Counter({K.DISAGREEMENT_RESOLVED: 1})
            expected[K.CODING_APPLIED] = written[K.CODING_APPLIED]
            if not written[K.CODING_APPLIED]:
                wrong.append(f"{what}: 'present' wrote no consensus coding")
        elif what == "decide every item of A":
            expected = Counter({K.DEID_ITEM_DECIDED: len(_review_items(db, "A"))})
        assert expected is not None
        if written != expected:
            wrong.append(f"{what}: wrote {dict(written)}, must write {dict(expected)}")
    db.dispose()
    assert wrong == []
    # Every kind of event is written by some step above: a new kind needs its step.
    assert set(EventKind) - set(seen) - {K.SET_ADDED} == set()


def test_a_project_import_records_each_part_it_adds(tmp_path: Path) -> None:
    """The one writer of SET_ADDED: an imported REFI-QDA project, whose every part is recorded
    (the project is the small one the project tests build)."""
    from tests.services.test_projects import _project, _report
    from thematica.services.projects_import import import_refi_project

    db = open_db(str(tmp_path / "import.db"), create=True)
    project = _project()
    result = import_refi_project(db, project, _report(project), actor=ACTOR)
    with study_scope(db, result.study) as (uow, found):
        written = Counter(event.kind for event in uow.events.all(found.id))
    db.dispose()
    assert written == Counter(
        {
            K.STUDY_CREATED: 1,
            K.CODER_ADDED: 2,
            K.CODE_ADDED: 2,
            K.PARTICIPANT_ADDED: 1,
            K.DOCUMENT_ADDED: 1,
            K.CODING_APPLIED: 2,
            K.MEMO_WRITTEN: 4,
            K.SET_ADDED: 1,
        }
    )


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_kind_has_a_step(kind: EventKind) -> None:
    """Names each kind, so a kind added to the domain without a step above is seen at once."""
    listed = {k for _, _, expected in STEPS if expected for k in expected}
    checked_below = {
        K.ROUND_CLOSED,
        K.DISAGREEMENT_RESOLVED,
        K.DEID_ITEM_DECIDED,
        K.SET_ADDED,
    }
    assert kind in listed | checked_below
