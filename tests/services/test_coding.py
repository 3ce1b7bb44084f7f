from __future__ import annotations

import pytest

from tests.conftest import TRANSCRIPT, both_backends
from thematica.domain.codings import Valence
from thematica.domain.events import EventKind
from thematica.errors import ConflictError, NotFoundError, SpanError
from thematica.services.coding import (
    CodingRequest,
    apply_coding,
    apply_codings,
    change_coding,
    coded_segments,
    remove_coding,
)
from thematica.services.projects_segments import export_segments
from thematica.storage import Database, UnitOfWork


def _events(db: Database, study: str) -> list[tuple[str, str]]:
    with UnitOfWork(db) as uow:
        found = uow.studies.by_name(study)
        assert found is not None
        return [(e.kind.value, e.actor) for e in uow.events.all(found.id)]


@both_backends
def test_apply_change_remove_with_events(db: Database, study: str) -> None:
    start = TRANSCRIPT.index("My supervisor")
    end = TRANSCRIPT.index("she gets it.") + len("she gets it.")
    coding = apply_coding(
        db,
        "T1",
        start,
        end,
        "Support > Peer supervision",
        coder="Robin",
        study=study,
        valence="facilitator",
        memo="warm",
    )
    rows = coded_segments(db, study)
    assert rows[0]["text"] == "My supervisor, um, she gets it."
    assert rows[0]["participant"] == "P01" and rows[0]["valence"] == "facilitator"

    changed = change_coding(
        db, coding.id, study=study, actor="Robin", end=start + 13, code="Support", valence="mixed"
    )
    assert changed.span.end == start + 13 and changed.valence is Valence.MIXED
    assert coded_segments(db, study)[0]["text"] == "My supervisor"
    assert coded_segments(db, study)[0]["code"] == "Support"

    remove_coding(db, coding.id, study=study, actor="Robin")
    assert coded_segments(db, study) == []
    kinds = [k for k, _ in _events(db, study)]
    assert kinds[-4:] == ["coder.added", "coding.applied", "coding.changed", "coding.removed"]
    with UnitOfWork(db) as uow:
        found = uow.studies.by_name(study)
        assert found is not None
        last = uow.events.all(found.id)[-1]
    assert last.kind is EventKind.CODING_REMOVED and last.before is not None
    assert last.before["span"] == [start, start + 13], "the log keeps what was removed"


def test_overlapping_and_nested_codings_are_allowed(db: Database, study: str) -> None:
    apply_coding(db, "T1", 0, 40, "Support", coder="Robin", study=study)
    apply_coding(db, "T1", 10, 20, "Support > Peer supervision", coder="Robin", study=study)
    apply_coding(db, "T1", 30, 60, "Systemic", coder="Sam", study=study)
    assert len(coded_segments(db, study)) == 3


def test_bad_span_or_code_or_document_leaves_nothing(db: Database, study: str) -> None:
    good = CodingRequest("T1", 0, 5, "Support", "Robin")
    for bad, error, message in [
        (CodingRequest("T1", 0, 10_000, "Support", "Robin"), SpanError, "past the end"),
        (CodingRequest("T1", 5, 5, "Support", "Robin"), SpanError, "non-empty"),
        (CodingRequest("T1", 0, 5, "Support > Nope", "Robin"), NotFoundError, "Support > Nope"),
        (CodingRequest("T9", 0, 5, "Support", "Robin"), NotFoundError, "no document named 'T9'"),
    ]:
        with pytest.raises(error, match=message):
            apply_codings(db, [good, bad], study=study)
    assert coded_segments(db, study) == []
    assert "coder.added" not in [k for k, _ in _events(db, study)]


def test_bulk_apply_records_one_event_per_coding_by_its_coder(db: Database, study: str) -> None:
    requests = [
        CodingRequest("T1", i, i + 3, "Systemic > Pay", "Sam" if i % 2 else "Robin")
        for i in range(0, 60, 3)
    ]
    seen: list[int] = []
    apply_codings(
        db,
        requests,
        study=study,
        actor="importer",
        progress=lambda done, total, label: seen.append(done),
    )
    events = [(k, a) for k, a in _events(db, study) if k == "coding.applied"]
    assert len(events) == 20 and {a for _, a in events} == {"Robin", "Sam"}
    assert seen[-1] == 20


def test_export_codings_csv(db: Database, study: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    apply_coding(
        db, "T1", 0, 11, "Support", coder="Robin", study=study, memo='has "quotes", commas'
    )
    out = tmp_path / "codings.csv"
    assert export_segments(db, out, study=study) == 1
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["text"] == "Interviewer" and rows[0]["memo"] == 'has "quotes", commas'
    assert not list(tmp_path.glob(".*.tmp"))


def test_identical_codings_are_refused_in_a_batch_and_against_what_is_stored(
    db: Database, study: str
) -> None:
    first = CodingRequest("T1", 0, 5, "Support", "Robin")
    apply_codings(db, [first], study=study)
    with pytest.raises(ConflictError, match="coding 2: the same coder already coded"):
        apply_codings(db, [CodingRequest("T1", 5, 9, "Support", "Robin"), first], study=study)
    again = CodingRequest("T1", 10, 15, "Support", "Sam")
    with pytest.raises(ConflictError, match="coding 2 repeats coding 1 of the batch"):
        apply_codings(db, [again, again], study=study)
    assert len(coded_segments(db, study)) == 1  # all or nothing
    apply_codings(db, [CodingRequest("T1", 0, 5, "Support", "Sam")], study=study)  # another coder
