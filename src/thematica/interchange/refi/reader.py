"""Reading a REFI-QDA project archive (``.qdpx``) into a :class:`RefiProject`.

The archive is read in memory through :mod:`~thematica.interchange.refi.archive` (path traversal
and zip bombs refused) and the XML through :mod:`~thematica.interchange.refi.parsing` (DTDs and
entities refused). The reader is tolerant of what real exports do, and says so in the report's
notices: ``Sources/`` or ``sources/``, a ``.qde`` with another name, no XML declaration,
``plainTextPath`` with or without ``internal://``, a source without a name, selections without
``creatingUser``, text files with a BOM and CRLF line endings or in UTF-16, and empty containers
such as ``<Sets/>``. What it cannot take in (pictures, PDFs, audio, video, links, graphs) is listed
element by element in the :class:`ImportReport`; what would make the project wrong (a coding of a
code that does not exist, positions beyond the text, a text file missing from the archive) raises
:class:`~thematica.errors.InvalidInputError` naming the file, line and element.

The parts are read in the order their references need (users, codebook, variables, sources,
notes, cases, sets), whatever order the file has them in.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path, PurePosixPath

from thematica.errors import InvalidInputError
from thematica.interchange.refi.archive import (
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_TOTAL_BYTES,
    SafeArchive,
    open_archive,
)
from thematica.interchange.refi.codebook import parse_codes
from thematica.interchange.refi.context import ReadContext
from thematica.interchange.refi.groupings import attach_notes, read_cases, read_notes, read_sets
from thematica.interchange.refi.model import (
    ImportReport,
    PositionUnit,
    RefiCode,
    RefiProject,
    RefiUser,
    RefiVariable,
    UnmappedElement,
)
from thematica.interchange.refi.parsing import Element, Findings, local_name, parse_xml, text_of
from thematica.interchange.refi.sources import place_selections, read_sources

__all__ = ["PROJECT_NAMESPACE", "read_qdpx"]

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
# Containers that hold at least one element in the schema: empty ones are noticed and ignored.
_CONTAINERS = (
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
)


def read_qdpx(
    path: Path | str,
    *,
    position_unit: PositionUnit | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_source_bytes: int | None = None,
) -> tuple[RefiProject, ImportReport]:
    """Read a REFI-QDA project archive; return the project and a report of the import.

    ``position_unit`` says how the exporting tool counted positions; ``None`` (the default)
    decides from the file (see :func:`~thematica.interchange.refi.positions.detect_unit`), and the
    report says what was decided and why. ``max_total_bytes`` caps what the archive may inflate to
    (2 GiB by default), and ``max_ratio`` how much any large member may inflate relative to its
    compressed size. ``max_source_bytes`` refuses any one source text (or rich-text file) larger
    than that, from the size the archive declares, before it is inflated.
    Raises :class:`~thematica.errors.InvalidInputError` (file, line, element)
    for input that cannot be read safely or correctly; never writes anything.
    """
    archive = open_archive(Path(path), max_total_bytes=max_total_bytes, max_ratio=max_ratio)
    try:
        return _read_project(archive, position_unit, max_source_bytes)
    finally:
        archive.close()


def _read_project(
    archive: SafeArchive, unit: PositionUnit | None, max_source_bytes: int | None
) -> tuple[RefiProject, ImportReport]:
    qde, notices = _find_qde(archive)
    ctx = ReadContext(archive, Findings(f"{archive.name}/{qde}", notices=notices))
    ctx.max_source_bytes = max_source_bytes
    ctx.base = qde.rpartition("/")[0]
    root = parse_xml(archive.read(qde), ctx.found.file)
    ctx.used.add(qde)
    if local_name(root.tag) != "Project":
        raise ctx.found.error(
            f"not a REFI-QDA project: the root element is <{local_name(root.tag)}>", root
        )
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if namespace != PROJECT_NAMESPACE:
        ctx.notice(f"the project's namespace is {namespace!r}; it was read as {PROJECT_NAMESPACE}")
    parts: dict[str, list[Element]] = defaultdict(list)
    for child in root:
        kind = local_name(child.tag)
        if kind in _CONTAINERS and len(child) == 0:
            ctx.notice(f"an empty <{kind}/> (not allowed by the schema) was ignored")
        parts[kind].append(child)

    users = [u for el in parts.pop("Users", []) for u in _users(ctx, el)]
    codes: tuple[RefiCode, ...] = ()
    for el in parts.pop("CodeBook", []):
        for child in el:
            if local_name(child.tag) == "Codes":
                codes += parse_codes(child, ctx.found, ctx.seen["code"], ctx.note_ref)
            else:
                ctx.found.skip(child, "not part of a REFI-QDA codebook")
    variables = [v for el in parts.pop("Variables", []) for v in _variables(ctx, el)]
    raw_sources = [s for el in parts.pop("Sources", []) for s in read_sources(ctx, el)]
    sources, decision = place_selections(ctx, root.get("origin"), raw_sources, unit)
    notes = [n for el in parts.pop("Notes", []) for n in read_notes(ctx, el)]
    cases = [c for el in parts.pop("Cases", []) for c in read_cases(ctx, el)]
    sets = [s for el in parts.pop("Sets", []) for s in read_sets(ctx, el)]
    for el in parts.pop("Links", []):
        for link in el:
            ctx.found.skip(link, "links between elements are not imported")
    for el in parts.pop("Graphs", []):
        for graph in el:
            ctx.found.skip(graph, "graphs (network views) are not imported")
    description = "".join(text_of(el) for el in parts.pop("Description", []))
    for el in parts.pop("NoteRef", []):
        ctx.note_ref(ctx.found.guid(el, "targetGUID"), None, el)
    for elements in parts.values():
        for el in elements:
            ctx.found.skip(el, "not part of the REFI-QDA project schema")
    notes, project_notes = attach_notes(ctx, notes)
    _account_for_members(ctx)
    _user_notices(ctx)

    name = root.get("name")
    if not name:
        name = PurePosixPath(archive.name).stem
        ctx.notice(f"the project has no name; the file name {name!r} is used")
    if root.get("basePath"):
        ctx.notice(f"basePath={root.get('basePath')!r} is ignored (external files are not read)")
    project = RefiProject(
        name=name,
        origin=root.get("origin"),
        users=tuple(users),
        codes=codes,
        sources=tuple(sources),
        notes=tuple(notes),
        variables=tuple(variables),
        cases=tuple(cases),
        sets=tuple(sets),
        description=description,
        note_guids=tuple(project_notes),
        creating_user=ctx.found.optional_guid(root, "creatingUserGUID"),
        creation_date=ctx.found.date(root, "creationDateTime"),
        modifying_user=ctx.found.optional_guid(root, "modifyingUserGUID"),
        modified_date=ctx.found.date(root, "modifiedDateTime"),
    )
    report = ImportReport(
        file=archive.name,
        origin=project.origin,
        imported=project.counts(),
        unmapped=tuple(ctx.found.unmapped),
        notices=tuple(ctx.found.notices),
        position_unit=decision.unit,
        position_unit_reason=decision.reason,
        position_unit_close=decision.close,
    )
    return project, report


def _find_qde(archive: SafeArchive) -> tuple[str, list[str]]:
    """The project file: ``project.qde`` at the top, else the only ``.qde`` there (or one level
    down, for an archive made by zipping a folder)."""

    def depth(member: str) -> int:
        return member.replace("\\", "/").count("/")

    qdes = [m for m in archive.members if m.lower().endswith(".qde")]
    candidates = [m for m in qdes if depth(m) == 0] or [m for m in qdes if depth(m) == 1]
    if not candidates:
        raise InvalidInputError(
            "not a REFI-QDA project: the archive holds no .qde project file", file=archive.name
        )
    for member in candidates:
        if member.replace("\\", "/").rpartition("/")[2].lower() == "project.qde":
            return member, []
    if len(candidates) > 1:
        raise InvalidInputError(
            f"the archive holds several project files ({', '.join(sorted(candidates))}) "
            "and none is named project.qde",
            file=archive.name,
        )
    return candidates[0], [f"the project file is named {candidates[0]!r}, not project.qde"]


def _users(ctx: ReadContext, users_el: Element) -> list[RefiUser]:
    users: list[RefiUser] = []
    for el, guid in ctx.entries(users_el, "User", "user"):
        user_id = el.get("id")
        user = RefiUser(guid, el.get("name") or user_id or guid, user_id)
        ctx.users[guid] = user
        users.append(user)
    return users


def _variables(ctx: ReadContext, variables_el: Element) -> list[RefiVariable]:
    variables: list[RefiVariable] = []
    for el, guid in ctx.entries(variables_el, "Variable", "variable"):
        description = "".join(text_of(c) for c in el if local_name(c.tag) == "Description")
        variable = RefiVariable(
            guid, el.get("name") or guid, el.get("typeOfVariable") or "Text", description
        )
        ctx.variables[guid] = variable
        variables.append(variable)
    return variables


def _account_for_members(ctx: ReadContext) -> None:
    for member in ctx.archive.members:
        if member not in ctx.used:
            ctx.found.unmapped.append(
                UnmappedElement(
                    "archive member",
                    "a file in the archive that the project does not refer to",
                    name=member,
                )
            )


def _user_notices(ctx: ReadContext) -> None:
    unknown = ctx.user_refs - set(ctx.users)
    if unknown:
        ctx.notice(
            f"{len(unknown)} user GUID(s) named as creatingUser are not listed in <Users>; "
            "they are kept as they are"
        )
    for what, n in ctx.tallies.items():
        ctx.notice(f"{n} {what}")
