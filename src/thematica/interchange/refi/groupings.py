"""Notes, cases and sets: what a project says about its sources and codes.

Notes are read like text sources (inline ``PlainTextContent`` or a file in the archive), then
given the GUIDs of the elements that refer to them (:func:`attach_notes`). A case's or set's
reference to something the project does not hold is listed as not imported, not kept dangling.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from thematica.domain.text import canonicalize
from thematica.interchange.refi.context import ReadContext
from thematica.interchange.refi.model import Guid, RefiCase, RefiNote, RefiSet, UnmappedElement
from thematica.interchange.refi.parsing import Element, local_name, text_of
from thematica.interchange.refi.sources import source_text

__all__ = ["attach_notes", "read_cases", "read_notes", "read_sets"]

_CASE_REFS = {"SourceRef": "source", "CodeRef": "code", "SelectionRef": "selection"}
_SET_MEMBERS = {"MemberSource": "source", "MemberCode": "code", "MemberNote": "note"}


def read_notes(ctx: ReadContext, notes_el: Element) -> list[RefiNote]:
    notes: list[RefiNote] = []
    for el, guid in ctx.entries(notes_el, "Note", "note"):
        text, _, _ = source_text(ctx, el, guid, "note")
        description = ""
        for child in el:
            kind = local_name(child.tag)
            if kind == "Description":
                description = text_of(child)
            elif kind == "NoteRef":
                ctx.note_ref(ctx.found.guid(child, "targetGUID"), guid, child)
            elif kind != "PlainTextContent":
                ctx.found.skip(
                    child,
                    "selections, codings and values inside notes are not imported",
                    inside=guid,
                )
        notes.append(
            RefiNote(
                guid,
                el.get("name") or "",
                canonicalize(text)[0],
                ctx.user(el),
                ctx.found.date(el, "creationDateTime"),
                description=description,
            )
        )
    return notes


def attach_notes(ctx: ReadContext, notes: list[RefiNote]) -> tuple[list[RefiNote], list[Guid]]:
    """Give each note the GUIDs of the elements that refer to it; return also the notes on the
    project itself. A reference to a note the project does not hold is listed as unmapped."""
    known = {n.guid for n in notes}
    targets: dict[Guid, list[Guid]] = defaultdict(list)
    project: list[Guid] = []
    for note, owner, el in ctx.note_refs:
        if note not in known:
            ctx.found.unmapped.append(
                UnmappedElement(
                    "NoteRef",
                    f"refers to note {note}, which is not in the project",
                    line=el.sourceline,
                    inside=owner,
                )
            )
        elif owner is None:
            if note not in project:
                project.append(note)
        elif owner not in targets[note]:
            targets[note].append(owner)
    return [replace(n, targets=tuple(targets.get(n.guid, ()))) for n in notes], project


def _ref(ctx: ReadContext, el: Element, kind: str, owner: Guid) -> Guid | None:
    target = ctx.found.guid(el, "targetGUID")
    if target in ctx.seen[kind]:
        return target
    ctx.found.skip(el, f"refers to {kind} {target}, which is not in the project", inside=owner)
    return None


def _name(ctx: ReadContext, el: Element, guid: Guid, kind: str) -> str:
    """The element's name, else its GUID (and a notice saying so)."""
    name = el.get("name") or ""
    if not name:
        ctx.notice(f"{kind} {guid} has no name; its GUID is used")
    return name or guid


def read_cases(ctx: ReadContext, cases_el: Element) -> list[RefiCase]:
    cases: list[RefiCase] = []
    for el, guid in ctx.entries(cases_el, "Case", "case"):
        values: dict[Guid, list[str]] = defaultdict(list)
        refs: dict[str, list[Guid]] = defaultdict(list)
        description = ""
        for child in el:
            kind = local_name(child.tag)
            if kind == "VariableValue":
                pair = ctx.value(child, guid)
                if pair is not None:
                    values[pair[0]].append(pair[1])
            elif kind in _CASE_REFS:
                target = _ref(ctx, child, _CASE_REFS[kind], guid)
                if target is not None:
                    refs[kind].append(target)
            elif kind == "Description":
                description = text_of(child)
            else:
                ctx.found.skip(child, "not part of a REFI-QDA case", inside=guid)
        name = _name(ctx, el, guid, "case")
        cases.append(
            RefiCase(
                guid,
                name,
                {k: tuple(v) for k, v in values.items()},
                tuple(refs["SourceRef"]),
                description,
                tuple(refs["CodeRef"]),
                tuple(refs["SelectionRef"]),
            )
        )
    return cases


def read_sets(ctx: ReadContext, sets_el: Element) -> list[RefiSet]:
    sets: list[RefiSet] = []
    for el, guid in ctx.entries(sets_el, "Set", "set"):
        members: dict[str, list[Guid]] = defaultdict(list)
        description = ""
        for child in el:
            kind = local_name(child.tag)
            if kind in _SET_MEMBERS:
                target = _ref(ctx, child, _SET_MEMBERS[kind], guid)
                if target is not None:
                    members[kind].append(target)
            elif kind == "Description":
                description = text_of(child)
            else:
                ctx.found.skip(child, "not part of a REFI-QDA set", inside=guid)
        name = _name(ctx, el, guid, "set")
        sets.append(
            RefiSet(
                guid,
                name,
                tuple(members["MemberSource"]),
                tuple(members["MemberCode"]),
                tuple(members["MemberNote"]),
                description,
            )
        )
    return sets
