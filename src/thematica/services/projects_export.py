"""A study as a REFI-QDA project (plain values), for :func:`~thematica.interchange.refi.write_qdpx`.

GUIDs are the entities' own ids, so exporting twice gives the same GUIDs and importing an export
gives back the same ids; an entity imported under a new id (its GUID was held by another study)
is written with its original GUID again, and what REFI-QDA carries that Thematica has no column
for (a user's short id, ``isCodable="false"``, a selection's name, modifying users and dates,
the ``Coding``'s own ``creatingUser``) comes back from the imported identities.

Where REFI-QDA has no place of its own for something, it travels in a
form every tool can show and Thematica reads back:

* a code's inclusion/exclusion criteria and example: labelled paragraphs of its description;
* a coding's valence and memo: its selection's description;
* a participant's pseudonym: a case variable called ``Pseudonym``;
* a selection: codings sharing a span and a recorded selection GUID (from an earlier import) are
  one selection again; any other coding is a selection of its own, whose GUID is derived from
  the coding's id (stable across exports).

What has no place at all (double-coding rounds and consensus decisions, framework summaries, the
study record, speaker-turn timings) is listed in the summary's ``left_out``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from thematica.domain.codebook import Codebook
from thematica.domain.codings import Coding
from thematica.domain.identifying import identifying, is_identifying
from thematica.domain.ids import CodeId
from thematica.domain.imported import ImportedIdentity
from thematica.domain.memos import MemoTarget
from thematica.domain.study import Document, Study
from thematica.interchange.refi import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from thematica.services.projects_descriptions import code_description, selection_description
from thematica.storage import UnitOfWork

__all__ = ["PSEUDONYM_VARIABLE", "ProjectExport", "refi_codes", "study_as_project"]

#: Derives stable GUIDs for what has no id of its own (a variable, a selection of one coding).
_NAMESPACE = uuid.UUID("6f1c43a3-30b1-4c1e-9d2a-7f0b8a3c5e21")
#: The case variable that holds a participant's pseudonym (read back in any case).
PSEUDONYM_VARIABLE = "Pseudonym"


@dataclass(frozen=True)
class ProjectExport:
    """What an export wrote (counts of the REFI-QDA elements) and what it could not write."""

    study: str
    file: str
    written: dict[str, int]
    left_out: list[str] = field(default_factory=list)
    position_unit: str = "code-points"

    def as_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "file": self.file,
            "written": self.written,
            "left_out": self.left_out,
            "position_unit": self.position_unit,
        }


class _Identities:
    """Original GUIDs and kept REFI-QDA facts of a study's entities (see
    :class:`~thematica.domain.imported.ImportedIdentity`)."""

    def __init__(self, found: dict[tuple[str, uuid.UUID], ImportedIdentity] | None = None):
        self.found = found or {}
        self._text: dict[uuid.UUID, str] = {}

    def get(self, kind: str, entity: uuid.UUID) -> ImportedIdentity | None:
        return self.found.get((kind, entity))

    def guid(self, kind: str, entity: uuid.UUID) -> str:
        """The GUID to write for ``entity``; ids recur on every coding, so each is text once."""
        text = self._text.get(entity)
        if text is None:
            kept = self.found.get((kind, entity))
            text = self._text[entity] = str(kept.original() if kept else entity)
        return text


def refi_codes(
    book: Codebook, parent: CodeId | None = None, ids: _Identities | None = None
) -> tuple[RefiCode, ...]:
    """The code tree as REFI-QDA codes, children in their order, GUIDs the codes' ids (or the
    GUIDs they were imported with)."""
    ids = ids or _Identities()
    codes = []
    for code in book.children(parent):
        kept = ids.get("code", code.id)
        codes.append(
            RefiCode(
                ids.guid("code", code.id),
                code.name,
                code.colour or None,
                code_description(code.definition, code.inclusion, code.exclusion, code.example),
                not (kept and kept.codable is False),
                refi_codes(book, code.id, ids),
            )
        )
    return tuple(codes)


def study_as_project(uow: UnitOfWork, study: Study) -> tuple[RefiProject, list[str]]:
    """The whole study as a :class:`RefiProject`, and what could not go into it."""
    left_out: list[str] = []
    ids = _Identities(uow.identities.all(study.id))
    book = uow.codes.codebook(study.id)
    coders = uow.coders.all(study.id)
    users = tuple(
        RefiUser(
            ids.guid("user", c.id),
            c.name,
            (kept.user_id or None) if (kept := ids.get("user", c.id)) else None,
        )
        for c in coders
    )
    user_ids = {u.guid for u in users}
    documents = sorted(uow.documents.all(study.id), key=lambda d: (d.created_at, d.name))
    by_document: dict[uuid.UUID, list[Coding]] = defaultdict(list)
    for coding in uow.codings.all(study.id):
        by_document[coding.document_id].append(coding)
    sources = tuple(_source(d, by_document[d.id], user_ids, ids) for d in documents)
    timed = sum(1 for d in documents for t in d.turns if t.start_seconds is not None)
    if timed:
        left_out.append(f"the timings of {timed} speaker turns (REFI-QDA has no place for them)")

    variables, cases = _cases(uow, study, documents, ids)
    held = {a for p in uow.participants.all(study.id) for a in p.attributes}
    if identifying(held):
        left_out.append(
            f"the case variables {', '.join(identifying(held))} "
            "(identifying; used only for de-identification)"
        )
    kinds = {MemoTarget.CODE: "code", MemoTarget.DOCUMENT: "source", MemoTarget.CODING: "coding"}
    targets = {
        MemoTarget.CODE: {ids.guid("code", c.id) for c in book},
        MemoTarget.DOCUMENT: {ids.guid("source", d.id) for d in documents},
        MemoTarget.CODING: {x.guid for s in sources for sel in s.selections for x in sel.codings},
    }
    notes: list[RefiNote] = []
    project_notes: list[str] = []
    for memo in uow.memos.all(study.id):
        guid = ids.guid("note", memo.id)
        on: tuple[str, ...] = ()
        if memo.target is MemoTarget.STUDY:
            project_notes.append(guid)
        elif (target := ids.guid(kinds[memo.target], memo.target_id)) in targets[memo.target]:
            on = (target,)
        else:
            left_out.append(
                f"memo {memo.title or memo.id!r} is about a {memo.target.value} that no longer "
                "exists; it is written as a note on the project"
            )
            project_notes.append(guid)
        notes.append(
            RefiNote(
                guid, memo.title, memo.text, ids.guid("user", memo.author_id), memo.created_at, on
            )
        )
    sets = tuple(
        RefiSet(
            ids.guid("set", s.id),
            s.name,
            tuple(ids.guid("source", d) for d in s.document_ids),
            tuple(ids.guid("code", c) for c in s.code_ids),
            (),
            s.description,
        )
        for s in uow.sets.all(study.id)
    )
    summaries = uow.framework.summaries(study.id)
    if summaries:
        left_out.append(
            f"{len(summaries)} framework-matrix summaries (REFI-QDA has no place for them)"
        )
    facts = uow.framework.record(study.id)
    if facts:
        left_out.append(
            f"{len(facts)} item(s) of the study record (team, setting, methods; REFI-QDA has "
            "no place for them)"
        )
    rounds = uow.rounds.all(study.id)
    if rounds:
        left_out.append(
            f"{len(rounds)} double-coding round(s) and their consensus decisions (REFI-QDA has "
            "no place for them; the consensus coders' codings are exported as codings)"
        )
    project = RefiProject(
        name=study.name,
        users=users,
        codes=refi_codes(book, ids=ids),
        sources=sources,
        notes=tuple(notes),
        variables=variables,
        cases=cases,
        sets=sets,
        description=study.description,
        note_guids=tuple(project_notes),
        creation_date=study.created_at,
    )
    return project, left_out


def _source(
    document: Document, codings: Sequence[Coding], users: set[str], ids: _Identities
) -> RefiSource:
    groups: dict[uuid.UUID, list[Coding]] = {}
    shapes: dict[uuid.UUID, tuple[int, int, str, object]] = {}
    for coding in codings:
        shape = (coding.span.start, coding.span.end, coding.memo, coding.valence)
        key = coding.selection_guid
        if key is None or shapes.get(key, shape) != shape:
            key = uuid.uuid5(_NAMESPACE, f"selection:{coding.id}")
        shapes[key] = shape
        groups.setdefault(key, []).append(coding)
    selections = []
    for key, members in groups.items():
        first = min(members, key=lambda c: c.created_at)
        creator = first.selection_creator if first.selection_creator in users else None
        kept = ids.get("selection", key)
        selections.append(
            RefiSelection(
                str(key),
                kept.name if kept else "",
                first.span.start,
                first.span.end,
                creator or ids.guid("user", first.coder_id),
                first.created_at,
                tuple(_coding(c, users, ids) for c in members),
                selection_description(first.valence, first.memo),
                (kept.modifying_user or None) if kept else None,
                kept.modified_at if kept else None,
            )
        )
    selections.sort(key=lambda x: (x.start, x.end, x.guid))
    kept = ids.get("source", document.id)
    return RefiSource(
        ids.guid("source", document.id),
        document.name,
        document.text,
        tuple(selections),
        creation_date=document.created_at,
        modifying_user=(kept.modifying_user or None) if kept else None,
        modified_date=kept.modified_at if kept else None,
    )


def _coding(coding: Coding, users: set[str], ids: _Identities) -> RefiCoding:
    """A coding; its ``creatingUser`` is the one the file gave the ``Coding`` when that differs
    from the coder (who was taken from the selection), else the coder."""
    kept = ids.get("coding", coding.id)
    user = kept.creating_user if kept and kept.creating_user in users else None
    return RefiCoding(
        ids.guid("coding", coding.id),
        ids.guid("code", coding.code_id),
        user or ids.guid("user", coding.coder_id),
        coding.created_at,
    )


def _cases(
    uow: UnitOfWork, study: Study, documents: Sequence[Document], ids: _Identities
) -> tuple[tuple[RefiVariable, ...], tuple[RefiCase, ...]]:
    people = uow.participants.all(study.id)
    # Real names on the sheet are there for de-identification only; they never leave.
    names = sorted({a for p in people for a in p.attributes if not is_identifying(a)})
    if any(p.pseudonym for p in people) and PSEUDONYM_VARIABLE.casefold() not in {
        n.casefold() for n in names
    }:
        names.append(PSEUDONYM_VARIABLE)
    variables = {n: RefiVariable(str(uuid.uuid5(_NAMESPACE, f"variable:{n}")), n) for n in names}
    sources: dict[uuid.UUID, list[str]] = defaultdict(list)
    for d in documents:
        if d.participant_id is not None:
            sources[d.participant_id].append(ids.guid("source", d.id))
    cases = []
    for p in people:
        values = {variables[a].guid: v for a, v in p.attributes.items() if a in variables}
        if p.pseudonym and PSEUDONYM_VARIABLE in variables:
            values[variables[PSEUDONYM_VARIABLE].guid] = (p.pseudonym,)
        cases.append(RefiCase(ids.guid("case", p.id), p.label, values, tuple(sources[p.id])))
    return tuple(variables.values()), tuple(cases)
