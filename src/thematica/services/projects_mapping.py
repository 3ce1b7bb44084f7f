"""The element-by-element mapping of a :class:`RefiProject` onto a new study (see
:mod:`.projects_import`, which opens the transaction and reports).

The mapper writes through the unit of work it is given and collects one event per thing it adds
in ``events``; it commits nothing. Names that the study's rules refuse (two sibling codes with one
name, a ``>`` in a code name, two documents with one name) are changed, and each change is
noticed; elements with no place in a study are listed as unmapped.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from thematica.domain.codebook import Code
from thematica.domain.codings import Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event, snapshot
from thematica.domain.ids import (
    CodeId,
    CodingId,
    DocumentId,
    MemoId,
    ParticipantId,
    SetId,
    new_guid,
)
from thematica.domain.memos import MemoTarget
from thematica.domain.sets import NamedSet
from thematica.domain.study import Document, Participant, content_hash, normalize_attributes
from thematica.domain.text import Span
from thematica.errors import InvalidInputError, SpanError
from thematica.interchange.plaintext import detect_turns
from thematica.interchange.refi import (
    RefiCoding,
    RefiNote,
    RefiSource,
)
from thematica.services.documents import document_payload
from thematica.services.projects_context import (
    MappingContext,
    UniqueNames,
    aware,
    code_name,
    colour_of,
)
from thematica.services.projects_descriptions import (
    parse_code_description,
    parse_selection_description,
)
from thematica.services.projects_export import PSEUDONYM_VARIABLE
from thematica.services.scope import Progress

__all__ = ["StudyMapper"]


class StudyMapper(MappingContext):
    """Maps each part of the project, in the order their references need."""

    # -- the parts, in the order their references need ---------------------------------------
    def run(self, progress: Progress) -> dict[str, int]:
        self._find_clashes()
        for user in self.project.users:
            if user.guid in self.pseudo:
                continue
            coder = self._add_coder(user.guid, user.name, hint=user.user_id or user.guid[:8])
            if user.user_id:
                self._keep("user", coder, user_id=user.user_id)
        self._codes()
        self._participants()
        total = len(self.project.sources)
        all_codings: list[Coding] = []
        for done, source in enumerate(self.project.sources):
            progress(done, total, source.name)
            all_codings += self._source(source)
        progress(total, total, "codings")
        self.uow.codings.add_many(all_codings)
        self.events.extend(
            make_event(
                self.study.id,
                self.actor,
                EventKind.CODING_APPLIED,
                c.id,
                after=c.as_payload(applied=True),
                at=c.created_at,
            )
            for c in all_codings
        )
        self.counts["codings"] = len(all_codings)
        for note in self.project.notes:
            self._note(note)
        self._sets()
        self._fallback_notices()
        self._clash_notices()
        self.uow.identities.add_many(self.study.id, list(self.identities.values()))
        order = ("coders", "codes", "participants", "documents", "codings", "memos", "sets")
        return {kind: self.counts[kind] for kind in order}

    def _codes(self) -> None:
        siblings: dict[str | None, UniqueNames] = {}
        positions: Counter[str | None] = Counter()
        not_codable = 0
        for refi, parent in self.project.all_codes():
            element = f"Code {refi.guid}"
            wanted = code_name(refi)
            if ">" in refi.name:
                self.notices.append(f"code {refi.name!r}: '>' separates code paths here; ›used")
            name = siblings.setdefault(parent, UniqueNames(300)).take(wanted)
            if name != wanted:
                self.notices.append(f"two sibling codes are called {wanted!r}; one is {name!r}")
            definition, inclusion, exclusion, example = parse_code_description(refi.description)
            colour = colour_of(refi.color)
            not_codable += not refi.is_codable
            try:
                code = Code(
                    CodeId(self._local("code", refi.guid, element)),
                    self.study.id,
                    name,
                    self.codes[parent] if parent else None,
                    definition,
                    inclusion,
                    exclusion,
                    example,
                    colour,
                    positions[parent],
                )
            except InvalidInputError as exc:
                raise InvalidInputError(exc.reason, file=self.file, element=element) from None
            positions[parent] += 1
            if not refi.is_codable:
                self._keep("code", code.id, codable=False)
            self.uow.codes.add(code)
            self._event(EventKind.CODE_ADDED, code.id, snapshot(code))
            self.codes[refi.guid] = code.id
            self.counts["codes"] += 1
        if not_codable:
            self.notices.append(
                f"{not_codable} code(s) marked not codable (categories) are ordinary codes here; "
                "an export marks them not codable again"
            )

    def _participants(self) -> None:
        variables = {v.guid: v for v in self.project.variables}
        labels = UniqueNames()
        for case in self.project.cases:
            element = f"Case {case.guid}"
            label = labels.take(case.name.strip() or case.guid)
            pseudonym = ""
            attributes: dict[str, tuple[str, ...]] = {}
            for variable_guid, values in case.values.items():
                variable = variables[variable_guid]
                # The variable an export writes the pseudonym to, in any case (as in a sheet).
                if variable.name.strip().casefold() == PSEUDONYM_VARIABLE.casefold() and values:
                    pseudonym = values[0]
                else:
                    attributes[variable.name] = values
            participant = Participant(
                ParticipantId(self._local("case", case.guid, element)),
                self.study.id,
                label,
                pseudonym,
                normalize_attributes(attributes),
            )
            self.uow.participants.add(participant)
            self._event(EventKind.PARTICIPANT_ADDED, participant.id, snapshot(participant))
            self.participants[case.guid] = participant.id
            self.counts["participants"] += 1
            for source_guid in case.source_refs:
                if source_guid in self.document_participant:
                    self.notices.append(
                        f"source {source_guid} belongs to several cases; it is linked to the "
                        "first as its participant"
                    )
                else:
                    self.document_participant[source_guid] = participant.id
            for ref in (*case.code_refs, *case.selection_refs):
                self._skip(
                    "CodeRef" if ref in case.code_refs else "SelectionRef",
                    "a participant is linked to documents, not to codes or selections",
                    ref,
                    inside=case.guid,
                )
            if case.description.strip():
                self._skip("Description", "a participant has no description", inside=case.guid)

    def _source(self, source: RefiSource) -> list[Coding]:
        element = f"TextSource {source.guid}"
        name = self.document_names.take(source.name.strip() or source.guid)
        if name != source.name.strip():
            self.notices.append(f"source {source.name!r} is imported as document {name!r}")
        document = Document(
            DocumentId(self._local("source", source.guid, element)),
            self.study.id,
            name,
            source.text,
            source_name=source.original_path or source.name,
            source_format="refi-qda",
            source_hash=content_hash(source.original_bytes or source.text.encode("utf-8")),
            participant_id=self.document_participant.get(source.guid),
            turns=detect_turns(source.text),
            created_at=aware(source.creation_date) or self.now,
        )
        self.uow.documents.add(document)
        self._event(EventKind.DOCUMENT_ADDED, document.id, document_payload(document))
        self.documents[source.guid] = document.id
        self.counts["documents"] += 1
        if source.modifying_user or source.modified_date:
            self._keep(
                "source",
                document.id,
                modifying_user=source.modifying_user or "",
                modified_at=aware(source.modified_date),
            )
        if source.description.strip():
            self._memo(
                MemoId(new_guid()),
                MemoTarget.DOCUMENT,
                document.id,
                self._coder(source.creating_user),
                source.description,
                aware(source.creation_date),
                "Description",
            )
        if source.rich_text_path:
            self._skip(
                "richTextPath",
                "the rich-text rendering is not kept; the plain text is the document",
                source.guid,
                name=source.rich_text_path,
            )
        for variable_guid in source.values:
            self._skip(
                "VariableValue",
                "attributes belong to participants here, not to documents",
                variable_guid,
                inside=source.guid,
            )
        codings: list[Coding] = []
        length = len(source.text)
        for selection in source.selections:
            at = f"PlainTextSelection {selection.guid}"
            if not selection.codings:
                self._skip(at.split()[0], "a selection with no coding has no code", selection.guid)
                continue
            span = Span(selection.start, selection.end)
            if span.end > length:
                raise SpanError(
                    f"the selection lies outside the text of {source.name!r} ({length} characters)",
                    file=self.file,
                    element=at,
                    span=(span.start, span.end),
                )
            valence, memo = parse_selection_description(selection.description)
            selection_id = self._id(selection.guid, at)
            if selection.name or selection.modifying_user or selection.modified_date:
                self._keep(
                    "selection",
                    selection_id,
                    name=selection.name,
                    modifying_user=selection.modifying_user or "",
                    modified_at=aware(selection.modified_date),
                )
            for refi in selection.codings:
                coding = self._coding(
                    refi,
                    document,
                    span,
                    selection.creating_user,
                    valence=valence,
                    memo=memo,
                    selection_guid=selection_id,
                    when=refi.creation_date or selection.creation_date,
                )
                codings.append(coding)
                self.selection_codings.setdefault(selection.guid, coding.id)
        if source.codings:
            if length == 0:
                for refi in source.codings:
                    self._skip("Coding", "a coding of a source with no text", refi.guid)
            else:
                self.notices.append(
                    f"{len(source.codings)} coding(s) of the whole source {source.name!r} are "
                    "codings of its whole text"
                )
                whole = Span(0, length)
                codings += [self._coding(c, document, whole, None) for c in source.codings]
        return codings

    def _coding(
        self,
        refi: RefiCoding,
        document: Document,
        span: Span,
        selection_user: str | None,
        *,
        valence: Valence | None = None,
        memo: str = "",
        selection_guid: uuid.UUID | None = None,
        when: datetime | None = None,
    ) -> Coding:
        element = f"Coding {refi.guid}"
        if refi.code_guid not in self.codes:
            raise InvalidInputError(
                f"refers to code {refi.code_guid}, which is not in the codebook",
                file=self.file,
                element=element,
            )
        users = (refi.creating_user, selection_user)
        if self.coder_from == "selection":
            users = (selection_user, refi.creating_user)
        coder = self._coder(*users)
        coding_id = CodingId(self._local("coding", refi.guid, element))
        if refi.creating_user and selection_user and refi.creating_user != selection_user:
            self.who_coded[(self._user_name(users[0]), self._user_name(users[1]))] += 1
        if refi.creating_user and refi.creating_user != selection_user:
            self._keep("coding", coding_id, creating_user=refi.creating_user)
        coding = Coding(
            coding_id,
            self.study.id,
            document.id,
            self.codes[refi.code_guid],
            coder,
            span,
            aware(when or refi.creation_date) or self.now,
            Origin.IMPORTED,
            self.tool,
            valence=valence,
            memo=memo,
            selection_guid=selection_guid,
            selection_creator=selection_user or "",
        )
        self.codings[refi.guid] = coding.id
        return coding

    def _note(self, note: RefiNote) -> None:
        text = note.text.strip() or note.name.strip()
        if not text:
            self._skip("Note", "the note is empty", note.guid, name=note.name)
            return
        if note.description.strip():
            text = f"{text}\n\n{note.description.strip()}"
        author = self._coder(note.creating_user)
        targets = self._note_targets(note)
        for i, (kind, target) in enumerate(targets):
            memo_id = MemoId(
                self._local("note", note.guid, f"Note {note.guid}") if i == 0 else new_guid()
            )
            self._memo(memo_id, kind, target, author, text, aware(note.creation_date), note.name)
        if len(targets) > 1:
            self.notices.append(
                f"note {note.name or note.guid!r} refers to {len(targets)} elements; "
                "it is a memo on each"
            )

    def _note_targets(self, note: RefiNote) -> list[tuple[MemoTarget, uuid.UUID]]:
        found: list[tuple[MemoTarget, uuid.UUID]] = []
        lookups: list[tuple[MemoTarget, Callable[[str], uuid.UUID | None]]] = [
            (MemoTarget.CODE, self.codes.get),
            (MemoTarget.DOCUMENT, self.documents.get),
            (MemoTarget.CODING, self.codings.get),
            (MemoTarget.CODING, self.selection_codings.get),
        ]
        for target in note.targets:
            hit = next(((k, t) for k, look in lookups if (t := look(target)) is not None), None)
            if hit is None:
                self.notices.append(
                    f"note {note.name or note.guid!r} is about {target}, which has no place "
                    "here (another note, or something not imported); it is a memo on the study"
                )
                hit = (MemoTarget.STUDY, self.study.id)
            found.append(hit)
        return found or [(MemoTarget.STUDY, self.study.id)]

    def _sets(self) -> None:
        names = UniqueNames(300)
        for refi in self.project.sets:
            for note in refi.member_note_guids:
                self._skip(
                    "MemberNote", "sets hold documents and codes here", note, inside=refi.guid
                )
            named = NamedSet(
                SetId(self._local("set", refi.guid, f"Set {refi.guid}")),
                self.study.id,
                names.take(refi.name.strip() or refi.guid),
                refi.description,
                tuple(self.documents[g] for g in refi.member_source_guids if g in self.documents),
                tuple(self.codes[g] for g in refi.member_code_guids if g in self.codes),
            )
            self.uow.sets.add(named)
            self._event(EventKind.SET_ADDED, named.id, snapshot(named))
            self.counts["sets"] += 1
