"""Participants' rights (UK GDPR): a copy of everything held about one participant, and erasure.

Erasure removes the participant, their documents and all that hangs on them (see
``storage.rights_repository``), and the de-identification mapping entries used only in their
documents. The audit trail keeps each event about them (who did what, when, to which entity id)
but their payloads are replaced by an erasure marker: the chain still verifies because it covers
payloads through a digest (``domain.audit``). Then the database file is rebuilt so no deleted byte
stays in it or its WAL (``storage.scrub``). Copies made before (backups) still hold the data, and
the report lists those Thematica knows of.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematica.domain.events import EventKind, make_event
from thematica.errors import NotFoundError, PermissionDeniedError
from thematica.safeio.files import write_atomically
from thematica.services.scope import default_actor, study_scope
from thematica.storage import Database, UnitOfWork
from thematica.storage.rights_repository import Footprint
from thematica.storage.scrub import earlier_copies, scrub

__all__ = ["Erasure", "erase_participant", "export_participant"]


@dataclass(frozen=True)
class Erasure:
    participant: str
    removed: dict[str, int]
    events_kept: int
    terms_removed: int
    mapping_shared_kept: int
    scrubbed: bool
    earlier_copies: tuple[Path, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "removed": self.removed,
            "audit_trail": {
                "events_kept_with_payload_erased": self.events_kept,
                "kept": "kind, time, actor, entity id and a digest of each payload",
            },
            "study_terms_removed": self.terms_removed,
            "mapping_entries_kept_shared_with_others": self.mapping_shared_kept,
            "database_files_scrubbed": self.scrubbed,
            "earlier_copies_still_holding_the_data": [str(p) for p in self.earlier_copies],
        }


def _footprint(uow: UnitOfWork, study_id: Any, label: str, study_name: str) -> Footprint:
    person = uow.participants.by_label(study_id, label)
    if person is None:
        raise NotFoundError(f"no participant {label!r} in study {study_name!r}")
    return uow.rights.footprint(study_id, person.id)


def export_participant(
    db: Database,
    label: str,
    *,
    study: str | None = None,
    actor: str | None = None,
    file: Path | None = None,
) -> dict[str, Any]:
    """Everything held about participant ``label``: documents, codings, memos, attributes,
    framework summaries, and (for the mapping's owner only) their de-identification entries;
    written as JSON to ``file`` too when given (whole or not at all)."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        footprint = _footprint(uow, found.id, label, found.name)
        data = uow.rights.export(found.id, footprint)
        if footprint.mapping and uow.deid.owner(found.id) != actor:
            data["mapping_entries"] = (
                f"{len(footprint.mapping)} entries, readable by the mapping's owner only"
            )
        data["events"] = len(uow.events.mentioning(found.id, footprint.entity_ids()))
    data["study"] = found.name
    if file is not None:
        encoded = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        write_atomically(file, lambda handle: handle.write(encoded))
    return data


def erase_participant(
    db: Database, label: str, *, study: str | None = None, actor: str | None = None
) -> Erasure:
    """Erase participant ``label`` everywhere in the study, and scrub the database files."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        footprint = _footprint(uow, found.id, label, found.name)
        owner = uow.deid.owner(found.id)
        if footprint.mapping and owner is not None and owner != actor:
            raise PermissionDeniedError(
                f"{label!r} has de-identification mapping entries: only the mapping's owner "
                f"({owner}) may erase them; you are {actor!r}"
            )
        event_ids = uow.events.mentioning(found.id, footprint.entity_ids())
        terms = uow.rights.erase(found.id, footprint)
        removed = {
            "documents": len(footprint.document_ids),
            "codings": len(footprint.coding_ids),
            "memos": len(footprint.memo_ids),
            "framework_summaries": len(footprint.summary_ids),
            "attributes": footprint.attributes,
            "deid_review_items": len(footprint.item_ids),
            "mapping_entries": len(footprint.mapping),
        }
        erasure = make_event(
            found.id,
            actor,
            EventKind.PARTICIPANT_ERASED,
            None,  # the participant's id would point at nothing now
            after={**removed, "events_erased": [str(i) for i in event_ids]},
        )
        uow.events.erase_payloads(event_ids, erasure.id)
        uow.events.append([erasure])
        uow.commit()
    scrubbed = scrub(db)
    return Erasure(
        label,
        removed,
        len(event_ids),
        len(terms),
        footprint.mapping_shared,
        scrubbed,
        tuple(earlier_copies(db)),
    )
