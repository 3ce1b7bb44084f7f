"""A study as a REFI-QDA project (plain values), for :func:`~thematica.interchange.refi.write_qdpx`.

GUIDs are the entities' own ids, so exporting twice gives the same GUIDs and importing an export
gives back the same ids. Where REFI-QDA has no place of its own for something, it travels in a
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
from thematica.domain.ids import CodeId
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "file": self.file,
            "written": self.written,
            "left_out": self.left_out,
        }


def refi_codes(book: Codebook, parent: CodeId | None = None) -> tuple[RefiCode, ...]:
    """The code tree as REFI-QDA codes, children in their order, GUIDs the codes' ids."""
    return tuple(
        RefiCode(
            str(code.id),
            code.name,
            code.colour or None,
            code_description(code.definition, code.inclusion, code.exclusion, code.example),
            True,
            refi_codes(book, code.id),
        )
        for code in book.children(parent)
    )


def study_as_project(uow: UnitOfWork, study: Study) -> tuple[RefiProject, list[str]]:
    """The whole study as a :class:`RefiProject`, and what could not go into it."""
    left_out: list[str] = []
    book = uow.codes.codebook(study.id)
    coders = uow.coders.all(study.id)
    users = tuple(RefiUser(str(c.id), c.name) for c in coders)
    user_ids = {u.guid for u in users}
    documents = sorted(uow.documents.all(study.id), key=lambda d: (d.created_at, d.name))
    by_document: dict[uuid.UUID, list[Coding]] = defaultdict(list)
    for coding in uow.codings.all(study.id):
        by_document[coding.document_id].append(coding)
    # Code and coder ids recur on every coding: write each as text once.
    names: dict[uuid.UUID, str] = {}
    sources = tuple(_source(d, by_document[d.id], user_ids, names) for d in documents)
    timed = sum(1 for d in documents for t in d.turns if t.start_seconds is not None)
    if timed:
        left_out.append(f"the timings of {timed} speaker turns (REFI-QDA has no place for them)")

    variables, cases = _cases(uow, study, documents)
    targets = {
        MemoTarget.CODE: {str(c.id) for c in book},
        MemoTarget.DOCUMENT: {str(d.id) for d in documents},
        MemoTarget.CODING: {x.guid for s in sources for sel in s.selections for x in sel.codings},
    }
    notes: list[RefiNote] = []
    project_notes: list[str] = []
    for memo in uow.memos.all(study.id):
        target = str(memo.target_id)
        on: tuple[str, ...] = ()
        if memo.target is MemoTarget.STUDY:
            project_notes.append(str(memo.id))
        elif target in targets[memo.target]:
            on = (target,)
        else:
            left_out.append(
                f"memo {memo.title or memo.id!r} is about a {memo.target.value} that no longer "
                "exists; it is written as a note on the project"
            )
            project_notes.append(str(memo.id))
        notes.append(
            RefiNote(str(memo.id), memo.title, memo.text, str(memo.author_id), memo.created_at, on)
        )
    sets = tuple(
        RefiSet(
            str(s.id),
            s.name,
            tuple(str(d) for d in s.document_ids),
            tuple(str(c) for c in s.code_ids),
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
        codes=refi_codes(book),
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
    document: Document, codings: Sequence[Coding], users: set[str], names: dict[uuid.UUID, str]
) -> RefiSource:
    def text(guid: uuid.UUID) -> str:
        found = names.get(guid)
        if found is None:
            found = names[guid] = str(guid)
        return found

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
        selections.append(
            RefiSelection(
                str(key),
                "",
                first.span.start,
                first.span.end,
                creator or text(first.coder_id),
                first.created_at,
                tuple(
                    RefiCoding(str(c.id), text(c.code_id), text(c.coder_id), c.created_at)
                    for c in members
                ),
                selection_description(first.valence, first.memo),
            )
        )
    selections.sort(key=lambda x: (x.start, x.end, x.guid))
    return RefiSource(
        str(document.id),
        document.name,
        document.text,
        tuple(selections),
        creation_date=document.created_at,
    )


def _cases(
    uow: UnitOfWork, study: Study, documents: Sequence[Document]
) -> tuple[tuple[RefiVariable, ...], tuple[RefiCase, ...]]:
    people = uow.participants.all(study.id)
    names = sorted({a for p in people for a in p.attributes})
    if any(p.pseudonym for p in people) and PSEUDONYM_VARIABLE.casefold() not in {
        n.casefold() for n in names
    }:
        names.append(PSEUDONYM_VARIABLE)
    variables = {n: RefiVariable(str(uuid.uuid5(_NAMESPACE, f"variable:{n}")), n) for n in names}
    sources: dict[uuid.UUID, list[str]] = defaultdict(list)
    for d in documents:
        if d.participant_id is not None:
            sources[d.participant_id].append(str(d.id))
    cases = []
    for p in people:
        values = {variables[a].guid: v for a, v in p.attributes.items()}
        if p.pseudonym and PSEUDONYM_VARIABLE in variables:
            values[variables[PSEUDONYM_VARIABLE].guid] = (p.pseudonym,)
        cases.append(RefiCase(str(p.id), p.label, values, tuple(sources[p.id])))
    return tuple(variables.values()), tuple(cases)
