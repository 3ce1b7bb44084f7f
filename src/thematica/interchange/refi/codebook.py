"""The REFI-QDA codebook: the code tree inside a project, and ``.qdc`` codebook files.

The same ``<Code>`` tree appears in a project (``urn:QDA-XML:project:1.0``) and in a codebook file
(``urn:QDA-XML:codebook:1.0``); :func:`parse_codes` reads it from either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.interchange.refi.markup import Markup, codes_xml, description_xml
from thematica.interchange.refi.model import (
    Guid,
    ImportReport,
    RefiCode,
    RefiCodebook,
    RefiSet,
    UnmappedElement,
)
from thematica.interchange.refi.output import origin, validate
from thematica.interchange.refi.parsing import Element, Findings, local_name, parse_xml, text_of
from thematica.safeio.files import read_file, regular_size, write_atomically

__all__ = [
    "CODEBOOK_NAMESPACE",
    "DEFAULT_MAX_CODEBOOK_BYTES",
    "parse_codes",
    "read_qdc",
    "write_qdc",
]

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"

#: A codebook file larger than this is refused before it is read (real ones are kilobytes).
DEFAULT_MAX_CODEBOOK_BYTES = 64 * 1024 * 1024
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}

#: Called with (note GUID, GUID of the element that refers to it, the NoteRef element).
NoteRefSink = Callable[[Guid, Guid, Element], None]


def parse_codes(
    codes_el: Element,
    found: Findings,
    seen: dict[Guid, int],
    note_ref: NoteRefSink | None = None,
) -> tuple[RefiCode, ...]:
    """The codes under a ``<Codes>`` element.

    ``seen`` collects GUID -> line of every code (a duplicate GUID is refused); ``note_ref`` is told
    of each ``<NoteRef>`` on a code (project files only).
    """
    return tuple(
        _code(child, found, seen, note_ref) for child in codes_el if _is(child, "Code", found)
    )


def _code(
    el: Element, found: Findings, seen: dict[Guid, int], note_ref: NoteRefSink | None
) -> RefiCode:
    guid = found.guid(el)
    if guid in seen:
        raise found.error(f"two codes have the GUID {guid} (the first on line {seen[guid]})", el)
    seen[guid] = el.sourceline
    name = el.get("name")
    if name is None or not name.strip():
        found.notices.append(f"code {guid} (line {el.sourceline}) has no name; its GUID is used")
        name = guid
    color = el.get("color")
    if color is not None and not _RGB.match(color.strip()):
        found.unmapped.append(_bad_colour(el, color))
        color = None
    codable = (el.get("isCodable") or "true").strip().lower()
    if codable not in _TRUE | _FALSE:
        raise found.error(f"isCodable={codable!r} is neither true nor false", el)
    description = ""
    children: list[RefiCode] = []
    for child in el:
        kind = local_name(child.tag)
        if kind == "Description":
            description = text_of(child)
        elif kind == "Code":
            children.append(_code(child, found, seen, note_ref))
        elif kind == "NoteRef" and note_ref is not None:
            note_ref(found.guid(child, "targetGUID"), guid, child)
        else:
            found.skip(child, "not part of a REFI-QDA code", inside=guid)
    return RefiCode(
        guid,
        name,
        color.strip() if color else None,
        description,
        codable in _TRUE,
        tuple(children),
    )


def _bad_colour(el: Element, color: str) -> UnmappedElement:
    return UnmappedElement(
        "Code/@color",
        f"colour {color!r} is not #rrggbb or #rgb; left empty",
        guid=el.get("guid"),
        name=el.get("name"),
        line=el.sourceline,
    )


def _is(child: Element, kind: str, found: Findings) -> bool:
    if local_name(child.tag) == kind:
        return True
    found.skip(child, f"only <{kind}> belongs here")
    return False


def read_qdc(
    path: Path | str, *, max_bytes: int = DEFAULT_MAX_CODEBOOK_BYTES
) -> tuple[RefiCodebook, ImportReport]:
    """Read a REFI-QDA codebook file (``.qdc``): the code tree and any sets of codes.

    Tolerates an empty ``<Sets/>`` (the schema forbids it; some tools write it) and a codebook in
    the project namespace. Raises :class:`~thematica.errors.InvalidInputError` naming the file,
    line and element for anything it cannot read.
    """
    path = Path(path)
    name = str(path)
    try:
        size = regular_size(path)
        if size > max_bytes:
            raise InvalidInputError(
                f"the codebook is {size:,} bytes, more than the {max_bytes:,} allowed", file=name
            )
        data = read_file(path, max_bytes=max_bytes)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=name) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    if not data.strip():
        raise InvalidInputError("the file is empty", file=name)
    found = Findings(name)
    root = parse_xml(data, name)
    if local_name(root.tag) != "CodeBook":
        raise found.error(
            f"not a REFI-QDA codebook: the root element is <{local_name(root.tag)}>, "
            "not <CodeBook>",
            root,
        )
    seen: dict[Guid, int] = {}
    codes: tuple[RefiCode, ...] = ()
    sets: list[RefiSet] = []
    for child in root:
        kind = local_name(child.tag)
        if kind == "Codes":
            codes += parse_codes(child, found, seen)
        elif kind == "Sets":
            if len(child) == 0:
                found.notices.append("an empty <Sets/> (not allowed by the schema) was ignored")
            sets.extend(_code_set(s, found, seen) for s in child if _is(s, "Set", found))
        else:
            found.skip(child, "not part of a REFI-QDA codebook")
    book = RefiCodebook(codes, tuple(sets), root.get("origin"))
    report = ImportReport(
        name,
        book.origin,
        {"codes": len(seen), "sets": len(sets)},
        tuple(found.unmapped),
        tuple(found.notices),
    )
    return book, report


def _code_set(el: Element, found: Findings, codes: dict[Guid, int]) -> RefiSet:
    guid = found.guid(el)
    members: list[Guid] = []
    description = ""
    for child in el:
        kind = local_name(child.tag)
        if kind == "Description":
            description = text_of(child)
        elif kind == "MemberCode":
            # The codebook schema names the member with guid=, the project schema targetGUID=.
            attribute = "guid" if child.get("guid") is not None else "targetGUID"
            member = found.guid(child, attribute)
            if member in codes:
                members.append(member)
            else:
                found.skip(child, f"refers to code {member}, which is not in the codebook")
        else:
            found.skip(child, "only codes can be members of a set in a codebook", inside=guid)
    return RefiSet(
        guid, el.get("name") or "", member_code_guids=tuple(members), description=description
    )


def write_qdc(
    codes: Sequence[RefiCode],
    path: Path | str,
    *,
    sets: Sequence[RefiSet] = (),
    schema: Path | str | None = None,
) -> None:
    """Write ``codes`` (the roots of a code tree) and sets of them as a REFI-QDA codebook."""
    path = Path(path)
    markup = Markup(str(path))
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}" origin="{markup.attr(origin(), "CodeBook")}">',
    ]
    parts += codes_xml(codes, markup, None, with_notes=False)
    known = {c.guid for root in codes for c, _ in root.walk()}
    if sets:
        parts.append("<Sets>")
        for s in sets:
            where = f"Set {s.guid}"
            if s.member_source_guids or s.member_note_guids:
                raise markup.error("a codebook's sets can hold only codes", where)
            guid, name = markup.guid(s.guid, where), markup.attr(s.name, where)
            parts.append(f'<Set guid="{guid}" name="{name}">')
            parts += description_xml(s.description, markup, where)
            for member in s.member_code_guids:
                if member not in known:
                    raise markup.error(f"member code {member} is not in the codebook", where)
                parts.append(f'<MemberCode guid="{member}"/>')
            parts.append("</Set>")
        parts.append("</Sets>")
    parts.append("</CodeBook>\n")
    xml = "".join(parts).encode("utf-8")
    if schema is not None:
        validate(xml, Path(schema), str(path))
    write_atomically(path, lambda handle: handle.write(xml))
