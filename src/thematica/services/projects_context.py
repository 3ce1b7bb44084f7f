"""What the mapping of a project onto a study shares (see :mod:`.projects_mapping`): the ids
already mapped, unique names, coders found or added on the way, memos, and the notices and
unmapped elements the summary reports."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

from thematica.domain.codings import Coder, CoderKind
from thematica.domain.events import Event, EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import (
    CodeId,
    CoderId,
    CodingId,
    DocumentId,
    MemoId,
    ParticipantId,
    new_guid,
)
from thematica.domain.memos import Memo, MemoTarget
from thematica.domain.study import Study
from thematica.errors import InvalidInputError
from thematica.interchange.refi import ImportReport, RefiCode, RefiProject, UnmappedElement
from thematica.storage import UnitOfWork

__all__ = ["MappingContext", "UniqueNames", "aware", "code_name", "colour_of"]

_UNKNOWN_CODER = "unknown coder"


def aware(value: datetime | None) -> datetime | None:
    """A file's date, taken as UTC when the file gave no zone."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class UniqueNames:
    """Unique names in one scope (siblings, documents, coders ...), compared case-insensitively,
    and no longer than their column (``limit``): a longer name is cut, leaving room for ``(2)``."""

    def __init__(self, limit: int = 200) -> None:
        self.used: set[str] = set()
        self.limit = limit

    def take(self, wanted: str, *, hint: str = "") -> str:
        if len(wanted) > self.limit:
            wanted = wanted[: self.limit - 12].rstrip() + "…"
        name, n = wanted, 1
        while name.casefold() in self.used:
            n += 1
            name = f"{wanted} ({hint})" if hint and n == 2 else f"{wanted} ({n})"
        self.used.add(name.casefold())
        return name


class MappingContext:
    """The state of one mapping: the study, what is mapped so far, events, notices."""

    def __init__(
        self,
        uow: UnitOfWork,
        study: Study,
        actor: str,
        project: RefiProject,
        report: ImportReport,
        events: list[Event],
    ) -> None:
        self.uow, self.study, self.actor, self.project = uow, study, actor, project
        self.file = report.file
        self.tool = (project.origin or "REFI-QDA")[:300]  # the column holds 300
        self.events = events
        self.notices: list[str] = []
        self.unmapped: list[UnmappedElement] = []
        self.now = utcnow()
        self.coders: dict[str | None, CoderId] = {}
        self.coder_names = UniqueNames()
        self.codes: dict[str, CodeId] = {}  # REFI GUID -> the code's id
        self.document_names = UniqueNames(300)
        self.documents: dict[str, DocumentId] = {}
        self.participants: dict[str, ParticipantId] = {}
        self.document_participant: dict[str, ParticipantId] = {}
        self.codings: dict[str, CodingId] = {}
        self.selection_codings: dict[str, CodingId] = {}
        self.counts: Counter[str] = Counter()
        self.fallbacks: Counter[str] = Counter()

    # -- helpers ---------------------------------------------------------------------------------
    def _event(self, kind: EventKind, entity: uuid.UUID, after: dict[str, object]) -> None:
        self.events.append(make_event(self.study.id, self.actor, kind, entity, after=after))

    def _id(self, guid: str, element: str) -> uuid.UUID:
        try:
            return uuid.UUID(guid)
        except ValueError:
            raise InvalidInputError(
                f"{guid!r} is not a GUID", file=self.file, element=element
            ) from None

    def _skip(
        self,
        element: str,
        reason: str,
        guid: str | None = None,
        *,
        name: str | None = None,
        inside: str | None = None,
    ) -> None:
        self.unmapped.append(UnmappedElement(element, reason, guid=guid, name=name, inside=inside))

    def _add_coder(self, guid: str | None, name: str, *, hint: str = "") -> CoderId:
        coder_id = CoderId(self._id(guid, f"User {guid}") if guid else new_guid())
        wanted = name.strip() or (guid or _UNKNOWN_CODER)
        unique = self.coder_names.take(wanted, hint=hint)
        if unique != wanted:
            self.notices.append(f"two users are called {wanted!r}; one is imported as {unique!r}")
        coder = Coder(coder_id, self.study.id, unique, CoderKind.IMPORTED)
        self.uow.coders.add(coder)
        self._event(EventKind.CODER_ADDED, coder.id, snapshot(coder))
        self.coders[guid] = coder_id
        self.counts["coders"] += 1
        return coder_id

    def _coder(self, *candidates: str | None) -> CoderId:
        """The first named user that exists; a user named but not listed in ``<Users>`` is
        added under its GUID; with no user at all, the project's creator, the only user, or an
        'unknown coder'."""
        for guid in candidates:
            if guid is None:
                continue
            if guid not in self.coders:
                self._add_coder(guid, f"user {guid[:8]}")
                self.fallbacks["a user not listed in <Users>, imported as 'user <GUID>'"] += 1
            return self.coders[guid]
        fallback = self.project.creating_user
        if fallback is None and len(self.project.users) == 1:
            fallback = self.project.users[0].guid
        if fallback is not None:
            self.fallbacks["no creatingUser, attributed to the project's user"] += 1
            return self._coder(fallback)
        self.fallbacks[f"no creatingUser, attributed to {_UNKNOWN_CODER!r}"] += 1
        if None not in self.coders:
            self._add_coder(None, _UNKNOWN_CODER)
        return self.coders[None]

    def _fallback_notices(self) -> None:
        for what, n in self.fallbacks.items():
            self.notices.append(f"{n} coding(s) or note(s) with {what}")

    def _memo(
        self,
        memo_id: MemoId,
        kind: MemoTarget,
        target: uuid.UUID,
        author: CoderId,
        text: str,
        when: datetime | None,
        title: str,
    ) -> None:
        when = when or self.now
        memo = Memo(memo_id, self.study.id, kind, target, author, text, when, title[:300])
        self.uow.memos.add(memo)
        self._event(EventKind.MEMO_WRITTEN, memo.id, snapshot(memo))
        self.counts["memos"] += 1


def colour_of(value: str | None) -> str:
    """``#rrggbb`` from REFI's ``#rgb`` or ``#rrggbb``."""
    if not value:
        return ""
    value = value.strip()
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def code_name(code: RefiCode) -> str:
    """A REFI code's name as a code name here: ``>`` separates code paths, so it becomes ``›``;
    a code with no name is named by its GUID."""
    return code.name.strip().replace(">", "›") or code.guid
