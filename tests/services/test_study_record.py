from __future__ import annotations

import pytest

from tests.conftest import both_backends
from thematica.domain.coreq import COREQ_ITEMS, answer_coreq
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.study_record import get_study_record, set_study_record, write_summary
from thematica.storage import Database, UnitOfWork


def test_coreq_has_32_items_in_three_domains() -> None:
    assert [i.number for i in COREQ_ITEMS] == list(range(1, 33))
    assert len({i.domain for i in COREQ_ITEMS}) == 3
    assert len({i.key for i in COREQ_ITEMS}) == 32
    answers = answer_coreq({"sampling": "Purposive"}, {"sampling": "ignored", "coders": "2"})
    by_key = {a.item.key: a for a in answers}
    assert by_key["sampling"].answer == "Purposive" and by_key["sampling"].source == "study record"
    assert by_key["coders"].source == "from the data"
    assert not by_key["duration"].answered


@both_backends
def test_study_record_items_are_kept_with_history(db: Database, study: str) -> None:
    set_study_record(db, "sampling", "Purposive, across settings", study=study, actor="PI")
    set_study_record(
        db, "sampling", "Purposive sampling across NHS and VCFSE", study=study, actor="PI"
    )
    assert get_study_record(db, study) == {"sampling": "Purposive sampling across NHS and VCFSE"}
    with pytest.raises(InvalidInputError, match="unknown study record item 'samplng'"):
        set_study_record(db, "samplng", "x", study=study)
    with UnitOfWork(db) as uow:
        found = uow.studies.by_name(study)
        assert found is not None
        updates = [e for e in uow.events.all(found.id) if e.kind.value == "study.record_updated"]
    assert updates[1].before == {"sampling": "Purposive, across settings"}


@both_backends
def test_framework_summary_is_rewritten_in_place(db: Database, study: str) -> None:
    first = write_summary(db, "P01", "Support", "Values supervision.", author="Robin", study=study)
    second = write_summary(
        db, "P01", "Support", "Values peer supervision highly.", author="Sam", study=study
    )
    assert second.id == first.id and second.author == "Sam"
    with UnitOfWork(db) as uow:
        found = uow.studies.by_name(study)
        assert found is not None
        [kept] = uow.framework.summaries(found.id)
    assert kept.text == "Values peer supervision highly."
    with pytest.raises(NotFoundError):
        write_summary(db, "P99", "Support", "x", author="Sam", study=study)
