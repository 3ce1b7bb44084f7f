from __future__ import annotations

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.codebook import codebook
from thematica.services.scope import open_db
from thematica.services.studies import create_study, list_studies, study_stats
from thematica.storage import Database, UnitOfWork


@both_backends
def test_several_studies_in_one_database_need_a_name(db: Database) -> None:
    create_study(db, "A", actor="t")
    assert study_stats(db).study == "A"  # one study: no name needed
    create_study(db, "B", actor="t")
    with pytest.raises(NotFoundError, match=r"several studies .*--study"):
        study_stats(db)
    assert study_stats(db, "B").study == "B"
    with pytest.raises(NotFoundError, match="no study named 'C' \\(studies here: A, B\\)"):
        study_stats(db, "C")
    assert [s.name for s in list_studies(db)] == ["A", "B"]


def test_duplicate_study_name_and_unknown_template(db: Database) -> None:
    create_study(db, "A", actor="t")
    with pytest.raises(ConflictError, match="already exists"):
        create_study(db, "A", actor="t")
    with pytest.raises(InvalidInputError, match="unknown template 'nope'"):
        create_study(db, "B", template="nope", actor="t")
    assert [s.name for s in list_studies(db)] == ["A"], "a failed create leaves nothing behind"


@both_backends
def test_peer_support_template_has_five_themes_each_with_definitions(db: Database) -> None:
    create_study(db, "PS", template="peer-support", actor="t")
    book = codebook(db, "PS")
    themes = book.children(None)
    assert len(themes) == 5
    assert themes[0].name == "Flexibility and structure in the role"
    for theme in themes:
        assert theme.definition and theme.inclusion and theme.exclusion and theme.colour
        assert "barrier" in theme.definition.lower() and "facilitator" in theme.definition.lower()
        assert len(book.children(theme.id)) >= 2
    with UnitOfWork(db) as uow:
        study = uow.studies.by_name("PS")
        assert study is not None
        kinds = [e.kind.value for e in uow.events.all(study.id)]
    assert kinds[0] == "study.created" and kinds.count("code.added") == len(book)


def test_blank_template_has_no_codes(db: Database) -> None:
    create_study(db, "Blank", actor="t")
    assert len(codebook(db, "Blank")) == 0


def test_stats_counts_everything(db: Database, study: str) -> None:
    from thematica.services.coding import apply_coding

    apply_coding(db, "T1", 0, 11, "Support > Peer supervision", coder="Robin", study=study)
    apply_coding(db, "T1", 0, 11, "Systemic", coder="Sam", study=study)
    apply_coding(db, "T1", 14, 20, "Systemic > Pay", coder="Sam", study=study)
    stats = study_stats(db, study)
    assert (stats.documents, stats.participants, stats.codes, stats.coders, stats.codings) == (
        1,
        1,
        4,
        2,
        3,
    )
    assert stats.codings_by_coder == {"Robin": 1, "Sam": 2}
    assert stats.coded_documents == 1


def test_reopening_finds_the_same_study(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "x.db")
    db = open_db(path, create=True)
    create_study(db, "Kept", actor="t")
    db.dispose()
    again = open_db(path)
    assert study_stats(again).study == "Kept"
    again.dispose()
