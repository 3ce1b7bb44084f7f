"""What the mapping of a project onto a study shares (see :mod:`.projects_mapping`): the ids
already mapped, unique names, coders found or added on the way, memos, and the notices and
unmapped elements the summary reports.

Ids: an entity keeps its GUID as its id unless another study of this database already has it
(two projects from one tool share user and code GUIDs; two versions of one project share
everything). Then it gets an id derived from the study and the GUID, and the original GUID is
kept as an :class:`~thematica.domain.imported.ImportedIdentity`, so an export writes it again.
A user GUID names the same person in every study it appears in."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import replace
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
from thematica.domain.imported import IdentityKind, ImportedIdentity
from thematica.domain.memos import Memo, MemoTarget
from thematica.domain.study import Study
from thematica.errors import InvalidInputError
from thematica.interchange.refi import ImportReport, RefiCode, RefiProject, UnmappedElement
from thematica.storage import UnitOfWork

__all__ = ["CODER_FROM", "MappingContext", "UniqueNames", "aware", "code_name", "colour_of"]

_UNKNOWN_CODER = "unknown coder"
#: Where a coding's coder comes from when its selection and its ``Coding`` name different users.
CODER_FROM = ("selection", "coding")
#: Names tools give themselves as the author of what they made: not people, so never coders.
_TOOL_NAMES = frozenset(
    ["nvivo", "atlas.ti", "atlasti", "maxqda", "qualcoder", "taguette", "qc", "thematica"]
)


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
        coder_from: str = "selection",
    ) -> None:
        self.uow, self.study, self.actor, self.project = uow, study, actor, project
        self.coder_from = coder_from
        self.identities: dict[tuple[str, uuid.UUID], ImportedIdentity] = {}
        self.clashes: dict[str, set[uuid.UUID]] = {}
        self.pseudo = _pseudo_users(project)
        self.who_coded: Counter[tuple[str, str]] = Counter()
        self.user_names = {u.guid: u.name for u in project.users}
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

    def _find_clashes(self) -> None:
        """Which of the project's GUIDs other studies of this database already hold, by kind."""
        p = self.project
        selections = [x for s in p.sources for x in s.selections]
        codings = [
            c
            for s in p.sources
            for c in (*s.codings, *(c for x in s.selections for c in x.codings))
        ]
        users = [u.guid for u in p.users] + [
            g
            for g in (
                p.creating_user,
                *(s.creating_user for s in p.sources),
                *(x.creating_user for x in selections),
                *(c.creating_user for c in codings),
                *(n.creating_user for n in p.notes),
            )
            if g
        ]
        wanted: dict[IdentityKind, list[str]] = {
            "user": users,
            "code": [c.guid for c, _ in p.all_codes()],
            "source": [s.guid for s in p.sources],
            "coding": [c.guid for c in codings],
            "note": [n.guid for n in p.notes],
            "case": [c.guid for c in p.cases],
            "set": [s.guid for s in p.sets],
        }
        for kind, guids in wanted.items():
            ids = [u for u in map(_uuid, guids) if u is not None]
            self.clashes[kind] = self.uow.identities.taken(kind, ids) if ids else set()

    def _local(self, kind: IdentityKind, guid: str, element: str) -> uuid.UUID:
        """The id here of the entity the project calls ``guid``: the GUID itself, unless another
        study has it (then one derived from this study and the GUID, the GUID remembered)."""
        original = self._id(guid, element)
        if original not in self.clashes.get(kind, ()):
            return original
        local = uuid.uuid5(self.study.id, f"{kind}:{original}")
        self._keep(kind, local, guid=original)
        self.counts[f"clash:{kind}"] += 1
        return local

    def _keep(self, kind: IdentityKind, entity: uuid.UUID, **facts: object) -> None:
        """Remember REFI-QDA facts (see :class:`ImportedIdentity`) about an entity, for export."""
        key = (kind, entity)
        found = self.identities.get(key) or ImportedIdentity(kind, entity)
        self.identities[key] = replace(found, **facts)  # type: ignore[arg-type]

    def _clash_notices(self) -> None:
        kinds = {
            "user": "user(s)",
            "code": "code(s)",
            "source": "source(s)",
            "coding": "coding(s)",
            "note": "note(s)",
            "case": "case(s)",
            "set": "set(s)",
        }
        held = [
            f"{self.counts[f'clash:{k}']} {what}"
            for k, what in kinds.items()
            if self.counts[f"clash:{k}"]
        ]
        if held:
            self.notices.append(
                f"{', '.join(held)} of this project have GUIDs that another study in this "
                "database already holds (a project from the same tool, or another version of this "
                "one); here they have ids of their own, and an export writes the original GUIDs"
            )
        people = [u.name for u in self.project.users if _uuid(u.guid) in self.clashes["user"]]
        if people:
            self.notices.append(
                f"the same user GUID is the same person: {', '.join(map(repr, people))} also "
                "coded another study in this database"
            )

    def _add_coder(self, guid: str | None, name: str, *, hint: str = "") -> CoderId:
        coder_id = CoderId(self._local("user", guid, f"User {guid}") if guid else new_guid())
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
            if guid is None or guid in self.pseudo:
                continue
            if guid not in self.coders:
                self._add_coder(guid, f"user {guid[:8]}")
                self.fallbacks["a user not listed in <Users>, imported as 'user <GUID>'"] += 1
            return self.coders[guid]
        fallback = self.project.creating_user
        if fallback in self.pseudo:
            fallback = None
        people = [u for u in self.project.users if u.guid not in self.pseudo]
        if fallback is None and len(people) == 1:
            fallback = people[0].guid
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
        pseudo = [u.name for u in self.project.users if u.guid in self.pseudo]
        if pseudo:
            self.notices.append(
                f"user(s) {', '.join(map(repr, pseudo))} name the tool, not a person: not "
                "coders here (what they made is attributed as if they were not named)"
            )
        if self.who_coded:
            differ = sum(self.who_coded.values())
            other = "coding" if self.coder_from == "selection" else "selection"
            pairs = "; ".join(
                f"{chosen!r} on {n} (the {other} says {said!r})"
                for (chosen, said), n in self.who_coded.most_common()
            )
            self.notices.append(
                f"who coded: on {differ} coding(s) the selection's creatingUser and the "
                f"coding's differ; the coder is the {self.coder_from}'s user (--coder-from "
                f"{self.coder_from}), and both are kept: {pairs}"
            )

    def _user_name(self, guid: str | None) -> str:
        return self.user_names.get(guid or "", guid or "nobody")

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


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _pseudo_users(project: RefiProject) -> set[str]:
    """Users that are the exporting tool itself (a user named ``QualCoder`` or after the tool in
    ``origin``), not people: they never become coders."""
    tool = (project.origin or "").strip().casefold().split(" ")[0]
    names = _TOOL_NAMES | ({tool} if tool else set())
    return {u.guid for u in project.users if u.name.strip().casefold() in names}


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
