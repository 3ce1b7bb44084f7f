"""Creating studies and counting what is in them."""

from __future__ import annotations

from dataclasses import dataclass

from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.ids import StudyId, new_guid
from thematica.domain.study import Study
from thematica.errors import ConflictError
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["NewStudy", "StudyStats", "create_study", "init_study", "list_studies", "study_stats"]


def create_study(
    db: Database,
    name: str,
    *,
    template: str = "blank",
    description: str = "",
    actor: str | None = None,
) -> Study:
    """Create a study, with the codebook of ``template`` (``peer-support`` or ``blank``)."""
    from thematica.services.codebook import apply_template  # the codebook readers: only here

    actor = actor or default_actor()
    with UnitOfWork(db) as uow:
        if uow.studies.by_name(name.strip()) is not None:
            raise ConflictError(f"a study named {name.strip()!r} already exists in this database")
        study = Study(StudyId(new_guid()), name.strip(), utcnow(), description)
        uow.studies.add(study)
        record(uow, study, actor, EventKind.STUDY_CREATED, study.id, after=snapshot(study))
        apply_template(uow, study, template, actor)
        uow.commit()
    return study


@dataclass(frozen=True)
class NewStudy:
    """What `thematica init` prints: the study, and how many codes its template gave it."""

    study: Study
    codes: int


def init_study(
    db: Database, name: str, *, template: str = "blank", actor: str | None = None
) -> NewStudy:
    """Create a study (see :func:`create_study`) and say how many codes it starts with."""
    study = create_study(db, name, template=template, actor=actor)
    with UnitOfWork(db) as uow:
        return NewStudy(study, len(uow.codes.codebook(study.id)))


def list_studies(db: Database) -> list[Study]:
    with UnitOfWork(db) as uow:
        return uow.studies.all()


@dataclass(frozen=True)
class StudyStats:
    study: str
    documents: int
    participants: int
    codes: int
    coders: int
    codings: int
    memos: int
    events: int
    codings_by_coder: dict[str, int]
    coded_documents: int
    characters: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def study_stats(db: Database, study: str | None = None) -> StudyStats:
    """Counts of everything in a study, and codings by coder."""
    with study_scope(db, study) as (uow, found):
        counts = uow.counts(found.id)
        lengths = uow.documents.text_lengths(found.id)
        return StudyStats(
            study=found.name,
            codings_by_coder=uow.codings.counts_by_coder(found.id),
            coded_documents=uow.codings.coded_documents(found.id),
            characters=sum(lengths.values()),
            **counts,
        )
