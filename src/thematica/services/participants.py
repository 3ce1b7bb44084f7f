"""Participants and their attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from thematica.domain.events import EventKind, snapshot
from thematica.domain.ids import ParticipantId, new_guid
from thematica.domain.study import Participant, Study, normalize_attributes
from thematica.interchange.tables import read_participants_csv
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
    added: int
    updated: int


def import_participants(
    db: Database, path: Path, *, study: str | None = None, actor: str | None = None
) -> ParticipantImport:
    """Import a participants sheet (CSV), all or nothing. Existing participants are updated."""
    rows = read_participants_csv(path)
    added = updated = 0
    with study_scope(db, study) as (uow, found):
        for row in rows:
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
    return ParticipantImport(added, updated)


def list_participants(db: Database, study: str | None = None) -> list[Participant]:
    with study_scope(db, study) as (uow, found):
        return uow.participants.all(found.id)
