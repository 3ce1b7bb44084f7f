"""Participants and their attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from thematica.domain.events import EventKind, snapshot
from thematica.domain.ids import ParticipantId, new_guid
from thematica.domain.study import Participant, Study, normalize_attributes
from thematica.interchange.participant_sheets import ColumnReading, read_participant_sheet
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "ParticipantImport",
    "add_new_participant",
    "add_participant",
    "import_participants",
    "list_participants",
    "upsert_participant",
]


def add_new_participant(
    uow: UnitOfWork,
    study: Study,
    label: str,
    actor: str,
    *,
    pseudonym: str = "",
    attributes: Mapping[str, str | Iterable[str]] | None = None,
) -> Participant:
    """Add a participant the caller knows is not in the study yet (batch imports check once)."""
    participant = Participant(
        ParticipantId(new_guid()),
        study.id,
        label.strip(),
        pseudonym.strip(),
        normalize_attributes(attributes or {}),
    )
    uow.participants.add(participant)
    record(
        uow, study, actor, EventKind.PARTICIPANT_ADDED, participant.id, after=snapshot(participant)
    )
    return participant


def upsert_participant(
    uow: UnitOfWork,
    study: Study,
    label: str,
    actor: str,
    *,
    pseudonym: str = "",
    attributes: Mapping[str, str | Iterable[str]] | None = None,
) -> tuple[Participant, bool]:
    """Add the participant, or update its pseudonym and attributes; returns (it, was it new)."""
    existing = uow.participants.by_label(study.id, label.strip())
    if existing is None:
        return add_new_participant(
            uow, study, label, actor, pseudonym=pseudonym, attributes=attributes
        ), True
    attrs = normalize_attributes(attributes or {})
    changed = replace(
        existing,
        pseudonym=pseudonym.strip() or existing.pseudonym,
        attributes={**existing.attributes, **attrs},
    )
    if changed != existing:
        uow.participants.update(changed)
        record(
            uow,
            study,
            actor,
            EventKind.PARTICIPANT_UPDATED,
            changed.id,
            before=snapshot(existing),
            after=snapshot(changed),
        )
    return changed, False


def add_participant(
    db: Database,
    label: str,
    *,
    study: str | None = None,
    pseudonym: str = "",
    attributes: Mapping[str, str | Iterable[str]] | None = None,
    actor: str | None = None,
) -> Participant:
    with study_scope(db, study) as (uow, found):
        participant, _ = upsert_participant(
            uow, found, label, actor or default_actor(), pseudonym=pseudonym, attributes=attributes
        )
        uow.commit()
    return participant


@dataclass(frozen=True)
class ParticipantImport:
    """What a participants sheet gave (or, for a preview, would give): participants added and
    updated, how each column was read, and the rows left out with why."""

    added: int
    updated: int
    columns: tuple[ColumnReading, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()
    preview: bool = False


def import_participants(
    db: Database,
    path: Path,
    *,
    study: str | None = None,
    actor: str | None = None,
    id_column: str | None = None,
    pseudonym_column: str | None = None,
    preview: bool = False,
) -> ParticipantImport:
    """Import a participants sheet (CSV or XLSX; see
    :func:`~thematica.interchange.participant_sheets.read_participant_sheet`), all or nothing.
    Existing participants are updated. With ``preview``, nothing is written: the result says
    what would be added and updated and how the values were read."""
    sheet = read_participant_sheet(path, id_column=id_column, pseudonym_column=pseudonym_column)
    added = updated = 0
    with study_scope(db, study) as (uow, found):
        if preview:
            known = {p.label for p in uow.participants.all(found.id)}
            added = sum(row.label not in known for row in sheet.rows)
            updated = len(sheet.rows) - added
        else:
            for row in sheet.rows:
                _, new = upsert_participant(
                    uow,
                    found,
                    row.label,
                    actor or default_actor(),
                    pseudonym=row.pseudonym,
                    attributes=row.attributes,
                )
                added += new
                updated += not new
            uow.commit()
    return ParticipantImport(added, updated, sheet.columns, sheet.skipped, preview)


def list_participants(db: Database, study: str | None = None) -> list[Participant]:
    with study_scope(db, study) as (uow, found):
        return uow.participants.all(found.id)
