"""Writing a :class:`RefiProject` as a ``.qdpx`` archive and codes as a ``.qdc`` codebook.

The project file is ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``, with an XML
declaration); each text source is ``sources/<guid>.txt`` in UTF-8, holding the canonical text,
referred to as ``plainTextPath="internal://<guid>.txt"``. Elements follow the order of the schema's
sequences exactly, and empty containers are left out (the schema forbids ``<Sets/>``).

Everything is checked before anything is written, and the archive is written to a temporary file
that replaces the target only when complete: a failure never leaves a half-written archive. Pass
``schema=`` (the path of ``Project.xsd``) to validate the XML against it as well before the file
is put in place. Codebooks (``.qdc``) are written by :func:`~.codebook.write_qdc`.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from thematica.errors import SpanError
from thematica.interchange.refi.markup import Markup, codes_xml, description_xml
from thematica.interchange.refi.model import (
    VARIABLE_TYPES,
    Guid,
    PositionUnit,
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSet,
    RefiSource,
)
from thematica.interchange.refi.output import origin, validate
from thematica.interchange.refi.positions import UTF16_ORIGIN_NOTE, Utf16Offsets
from thematica.safeio.files import write_atomically

__all__ = ["PROJECT_NAMESPACE", "UTF16_ORIGIN_NOTE", "write_qdpx"]

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"


def write_qdpx(
    project: RefiProject,
    path: Path | str,
    *,
    schema: Path | str | None = None,
    position_unit: PositionUnit = "code-points",
) -> None:
    """Write ``project`` as a REFI-QDA project archive at ``path`` (replacing it atomically).

    ``position_unit="utf-16"`` counts positions in UTF-16 code units, as NVivo expects; the
    default counts code points (Python tools, QualCoder, and Thematica itself). They differ only
    for text with characters beyond the Basic Multilingual Plane (emoji). ``origin`` is always
    this program, since the positions and texts written are Thematica's.
    """
    path = Path(path)
    writer = _ProjectWriter(project, Markup(f"{path}/project.qde"), position_unit)
    xml = writer.project_xml()
    if schema is not None:
        validate(xml, Path(schema), f"{path}/project.qde")
    members = [("project.qde", xml), *writer.files]

    def archive(handle: BinaryIO) -> None:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for member, data in members:
                zf.writestr(member, data)

    write_atomically(path, archive)


class _ProjectWriter:
    def __init__(self, project: RefiProject, markup: Markup, unit: PositionUnit) -> None:
        self.project = project
        self.m = markup
        self.unit = unit
        self.files: list[tuple[str, bytes]] = []
        self.codes = {c.guid for c, _ in project.all_codes()}
        self.variables = {v.guid: v for v in project.variables}
        # NoteRefs go on the element a note is about: owner GUID -> note GUIDs.
        self.notes_on: dict[Guid, list[Guid]] = defaultdict(list)
        for note in project.notes:
            for target in note.targets:
                self.notes_on[target].append(note.guid)

    def _check_references(self) -> None:
        """Refuse duplicate GUIDs and references to things the project does not hold."""
        p = self.project
        kinds: dict[str, list[Guid]] = {
            "code": [c.guid for c, _ in p.all_codes()],
            "source": [s.guid for s in p.sources],
            "selection": [x.guid for s in p.sources for x in s.selections],
            "coding": [c.guid for s in p.sources for x in s.selections for c in x.codings]
            + [c.guid for s in p.sources for c in s.codings],
            "note": [n.guid for n in p.notes],
            "user": [u.guid for u in p.users],
            "variable": [v.guid for v in p.variables],
            "case": [c.guid for c in p.cases],
            "set": [s.guid for s in p.sets],
        }
        held: dict[str, set[Guid]] = {}
        for kind, guids in kinds.items():
            held[kind] = set(guids)
            if len(held[kind]) != len(guids):
                twice = next(g for g in guids if guids.count(g) > 1)
                raise self.m.error(f"two {kind}s have the GUID {twice}", f"{kind} {twice}")

        def check(refs: Iterable[Guid], kind: str, where: str) -> None:
            for ref in refs:
                if ref not in held[kind]:
                    raise self.m.error(
                        f"refers to {kind} {ref}, which is not in the project", where
                    )

        for case in p.cases:
            check(case.source_refs, "source", f"Case {case.guid}")
            check(case.code_refs, "code", f"Case {case.guid}")
            check(case.selection_refs, "selection", f"Case {case.guid}")
        for s in p.sets:
            check(s.member_source_guids, "source", f"Set {s.guid}")
            check(s.member_code_guids, "code", f"Set {s.guid}")
            check(s.member_note_guids, "note", f"Set {s.guid}")
        check(p.note_guids, "note", "Project")
        owners = set().union(*(held[k] for k in ("code", "source", "selection", "coding", "note")))
        for target, notes in self.notes_on.items():
            if target not in owners:
                raise self.m.error(
                    f"the note is attached to {target}, which is not a code, source, selection, "
                    "coding or note of the project (REFI-QDA can attach notes only to those and "
                    "to the project itself)",
                    f"Note {notes[0]}",
                )

    def project_xml(self) -> bytes:
        self._check_references()
        p, m = self.project, self.m
        tool = origin() + (f"; {UTF16_ORIGIN_NOTE}" if self.unit == "utf-16" else "")
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f'<Project xmlns="{PROJECT_NAMESPACE}" name="{m.attr(p.name, "Project")}" '
            f'origin="{m.attr(tool, "Project")}"',
            m.user("creatingUserGUID", p.creating_user, "Project"),
            m.date("creationDateTime", p.creation_date),
            m.user("modifyingUserGUID", p.modifying_user, "Project"),
            m.date("modifiedDateTime", p.modified_date),
            ">\n",
        ]
        if p.users:
            parts.append("<Users>")
            for u in p.users:
                where = f"User {u.guid}"
                parts.append(f'<User guid="{m.guid(u.guid, where)}" name="{m.attr(u.name, where)}"')
                parts.append(f' id="{m.attr(u.user_id, where)}"/>' if u.user_id else "/>")
            parts.append("</Users>\n")
        if p.codes:
            parts += ["<CodeBook>", *codes_xml(p.codes, m, self.notes_on), "</CodeBook>\n"]
        if p.variables:
            parts.append("<Variables>")
            for v in p.variables:
                where = f"Variable {v.guid}"
                if v.type_of_variable not in VARIABLE_TYPES:
                    raise m.error(
                        f"typeOfVariable {v.type_of_variable!r} is not one of "
                        f"{', '.join(VARIABLE_TYPES)}",
                        where,
                    )
                parts.append(
                    f'<Variable guid="{m.guid(v.guid, where)}" name="{m.attr(v.name, where)}" '
                    f'typeOfVariable="{m.attr(v.type_of_variable, where)}">'
                )
                parts += description_xml(v.description, m, where)
                parts.append("</Variable>")
            parts.append("</Variables>\n")
        if p.cases:
            parts.append("<Cases>")
            for case in p.cases:
                parts += self._case(case)
            parts.append("</Cases>\n")
        if p.sources:
            parts.append("<Sources>\n")
            for source in p.sources:
                parts += self._source(source)
            parts.append("</Sources>\n")
        if p.notes:
            parts.append("<Notes>")
            for note in p.notes:
                parts += self._note(note)
            parts.append("</Notes>\n")
        if p.sets:
            parts.append("<Sets>")
            for s in p.sets:
                parts += self._set(s)
            parts.append("</Sets>\n")
        parts += description_xml(p.description, m, "Project")
        parts += [f'<NoteRef targetGUID="{m.guid(n, "Project")}"/>' for n in p.note_guids]
        parts.append("</Project>\n")
        return "".join(parts).encode("utf-8")

    def _note_refs(self, owner: Guid) -> list[str]:
        return [f'<NoteRef targetGUID="{n}"/>' for n in self.notes_on.get(owner, ())]

    def _coding(self, c: RefiCoding) -> str:
        where = f"Coding {c.guid}"
        if c.code_guid not in self.codes:
            raise self.m.error(f"refers to code {c.code_guid}, which is not in the codebook", where)
        return (
            f'<Coding guid="{self.m.guid(c.guid, where)}"'
            f"{self.m.user('creatingUser', c.creating_user, where)}"
            f"{self.m.date('creationDateTime', c.creation_date)}>"
            f'<CodeRef targetGUID="{c.code_guid}"/>{"".join(self._note_refs(c.guid))}</Coding>'
        )

    def _source(self, s: RefiSource) -> list[str]:
        m, where = self.m, f"TextSource {s.guid}"
        m.guid(s.guid, where)
        self.files.append((f"sources/{s.guid}.txt", s.text.encode("utf-8")))
        rich = ""
        if s.rich_text_bytes is not None and s.rich_text_path:
            suffix = PurePosixPath(s.rich_text_path.replace("\\", "/")).suffix
            self.files.append((f"sources/{s.guid}{suffix}", s.rich_text_bytes))
            rich = f' richTextPath="internal://{s.guid}{m.attr(suffix, where)}"'
        parts = [
            f'<TextSource guid="{s.guid}" name="{m.attr(s.name, where)}"{rich} '
            f'plainTextPath="internal://{s.guid}.txt"',
            m.user("creatingUser", s.creating_user, where),
            m.date("creationDateTime", s.creation_date),
            m.user("modifyingUser", s.modifying_user, where),
            m.date("modifiedDateTime", s.modified_date),
            ">",
            *description_xml(s.description, m, where),
        ]
        units = Utf16Offsets(s.text) if self.unit == "utf-16" else None
        length = len(s.text)
        for x in s.selections:
            at = f"PlainTextSelection {x.guid}"
            if not 0 <= x.start < x.end <= length:
                raise SpanError(
                    f"the selection is empty or outside the text of {s.name!r} "
                    f"({length} characters)",
                    file=m.file,
                    element=at,
                    span=(x.start, x.end),
                )
            start, end = x.start, x.end
            if units:
                start, end = units.from_code_points(start), units.from_code_points(end)
            name = f' name="{m.attr(x.name, at)}"' if x.name else ""
            parts.append(
                f'<PlainTextSelection guid="{m.guid(x.guid, at)}"{name} startPosition="{start}" '
                f'endPosition="{end}"{m.user("creatingUser", x.creating_user, at)}'
                f"{m.date('creationDateTime', x.creation_date)}"
                f"{m.user('modifyingUser', x.modifying_user, at)}"
                f"{m.date('modifiedDateTime', x.modified_date)}>"
            )
            parts += description_xml(x.description, m, at)
            parts += [self._coding(c) for c in x.codings]
            parts += self._note_refs(x.guid)
            parts.append("</PlainTextSelection>\n")
        parts += [self._coding(c) for c in s.codings]
        parts += self._note_refs(s.guid)
        parts += self._values(s.values, where)
        parts.append("</TextSource>\n")
        return parts

    def _values(self, values: Mapping[Guid, tuple[str, ...]], where: str) -> list[str]:
        parts: list[str] = []
        for variable_guid, vs in values.items():
            variable = self.variables.get(variable_guid)
            if variable is None:
                raise self.m.error(
                    f"a value of variable {variable_guid}, which is not in the project", where
                )
            for v in vs:
                parts.append(
                    f'<VariableValue><VariableRef targetGUID="{variable_guid}"/>'
                    f"{self.m.value(variable.type_of_variable, v, where)}</VariableValue>"
                )
        return parts

    def _case(self, case: RefiCase) -> list[str]:
        m, where = self.m, f"Case {case.guid}"
        name = f' name="{m.attr(case.name, where)}"' if case.name else ""
        parts = [f'<Case guid="{m.guid(case.guid, where)}"{name}>']
        parts += description_xml(case.description, m, where)
        parts += [f'<CodeRef targetGUID="{m.guid(g, where)}"/>' for g in case.code_refs]
        parts += self._values(case.values, where)
        parts += [f'<SourceRef targetGUID="{m.guid(g, where)}"/>' for g in case.source_refs]
        parts += [f'<SelectionRef targetGUID="{m.guid(g, where)}"/>' for g in case.selection_refs]
        parts.append("</Case>")
        return parts

    def _note(self, note: RefiNote) -> list[str]:
        m, where = self.m, f"Note {note.guid}"
        name = f' name="{m.attr(note.name, where)}"' if note.name else ""
        return [
            f'<Note guid="{m.guid(note.guid, where)}"{name}'
            f"{m.user('creatingUser', note.creating_user, where)}"
            f"{m.date('creationDateTime', note.creation_date)}>",
            *description_xml(note.description, m, where),
            f"<PlainTextContent>{m.text(note.text, where)}</PlainTextContent>",
            *self._note_refs(note.guid),
            "</Note>",
        ]

    def _set(self, s: RefiSet) -> list[str]:
        m, where = self.m, f"Set {s.guid}"
        return [
            f'<Set guid="{m.guid(s.guid, where)}" name="{m.attr(s.name, where)}">',
            *description_xml(s.description, m, where),
            *(f'<MemberCode targetGUID="{m.guid(g, where)}"/>' for g in s.member_code_guids),
            *(f'<MemberSource targetGUID="{m.guid(g, where)}"/>' for g in s.member_source_guids),
            *(f'<MemberNote targetGUID="{m.guid(g, where)}"/>' for g in s.member_note_guids),
            "</Set>",
        ]
