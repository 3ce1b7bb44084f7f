"""The codebook's history, rebuilt from the event log (``thematica codebook history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from thematica.domain.codebook import Codebook
from thematica.domain.codebook_history import CodebookDiff, codebook_at, diff_codebooks
from thematica.domain.events import Event, EventKind
from thematica.services.scope import study_scope
from thematica.storage import Database

__all__ = ["CodebookChange", "codebook_as_of", "codebook_changes", "codebook_diff"]

_CODE_EVENTS = {
    EventKind.CODE_ADDED,
    EventKind.CODE_UPDATED,
    EventKind.CODE_MOVED,
    EventKind.CODE_MERGED,
    EventKind.CODE_SPLIT,
    EventKind.CODE_DELETED,
    EventKind.CODES_REORDERED,
}


def _code_events(db: Database, study: str | None) -> list[Event]:
    with study_scope(db, study) as (uow, found):
        return [e for e in uow.events.all(found.id) if e.kind in _CODE_EVENTS]


@dataclass(frozen=True)
class CodebookChange:
    at: datetime
    actor: str
    kind: str
    code: str
    detail: str


def codebook_changes(db: Database, study: str | None = None) -> list[CodebookChange]:
    """Every change to the codebook, oldest first, described for people."""
    changes = []
    for event in _code_events(db, study):
        before, after = event.before or {}, event.after or {}
        # The code's name as it is after the change; a merge or a deletion has it before only.
        name = after.get("name") or before.get("name", "")
        detail = ""
        if event.kind is EventKind.CODE_UPDATED and before and after:
            fields = [k for k in after if after.get(k) != before.get(k)]
            detail = "changed " + ", ".join(fields)
        elif event.kind is EventKind.CODE_MERGED:
            detail = f"{after.get('codings_moved', 0)} codings moved"
        changes.append(CodebookChange(event.at, event.actor, event.kind.value, name, detail))
    return changes


def codebook_as_of(db: Database, at: datetime | None, study: str | None = None) -> Codebook:
    return codebook_at(_code_events(db, study), at)


def codebook_diff(
    db: Database, since: datetime, until: datetime | None = None, study: str | None = None
) -> CodebookDiff:
    events = _code_events(db, study)
    return diff_codebooks(codebook_at(events, since), codebook_at(events, until))
