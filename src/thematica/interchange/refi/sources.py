"""Text sources, their selections and codings, and moving positions onto canonical text.

Reading happens in two steps. :func:`read_sources` reads every ``<TextSource>`` with its text as
written and its selections' positions as recorded. Only when all are read does
:func:`place_selections` decide how the tool counted positions (code points or UTF-16 units; see
:mod:`~thematica.interchange.refi.positions`), canonicalise each text, and move every selection
onto it through the offset map of :func:`thematica.domain.text.canonicalize`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from thematica.domain.text import canonicalize
from thematica.errors import SpanError
from thematica.interchange.refi.context import ReadContext
from thematica.interchange.refi.model import (
    Guid,
    PositionUnit,
    RefiCoding,
    RefiSelection,
    RefiSource,
)
from thematica.interchange.refi.parsing import Element, local_name, text_of
from thematica.interchange.refi.positions import (
    SourcePositions,
    UnitDecision,
    Utf16Offsets,
    detect_unit,
)
from thematica.interchange.refi.texts import decode_text

__all__ = ["RawSource", "place_selections", "read_coding", "read_sources", "source_text"]

_MEDIA = {
    "PictureSource": "picture sources are not imported (Thematica codes text)",
    "PDFSource": "PDF sources and their selections are not imported; export the PDF's text "
    "as a text source to code it here",
    "AudioSource": "audio sources and their transcripts are not imported",
    "VideoSource": "video sources and their transcripts are not imported",
}


@dataclass
class RawSelection:
    """A selection with its positions as the file recorded them."""

    el: Element
    guid: Guid
    start: int
    end: int
    codings: tuple[RefiCoding, ...]
    description: str


@dataclass
class RawSource:
    """A text source with its text as written (CRLF and all), less any byte-order mark: no tool
    counts the BOM as a position (``bom`` says whether there was one)."""

    el: Element
    guid: Guid
    name: str
    text: str
    member: str | None
    data: bytes | None
    bom: bool = False
    selections: list[RawSelection] = field(default_factory=list)
    codings: tuple[RefiCoding, ...] = ()
    values: dict[Guid, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    rich_member: str | None = None
    rich_data: bytes | None = None


def read_sources(ctx: ReadContext, sources_el: Element) -> list[RawSource]:
    """The text sources under ``<Sources>``; other kinds are listed as not imported."""
    raw: list[RawSource] = []
    for el in sources_el:
        kind = local_name(el.tag)
        if kind == "TextSource":
            raw.append(_text_source(ctx, el))
        elif kind in _MEDIA:
            ctx.skip_with_files(el, _MEDIA[kind])
        else:
            ctx.found.skip(el, "not a kind of source in the REFI-QDA schema")
    return raw


def _text_source(ctx: ReadContext, el: Element) -> RawSource:
    guid = ctx.found.guid(el)
    ctx.unique("source", guid, el)
    text, member, data = source_text(ctx, el, guid, "source")
    name = el.get("name") or ""
    if not name.strip():
        name = PurePosixPath(member).stem if member else guid
        ctx.notice(f"source {guid} has no name; {name!r} is used")
    bom = text.startswith("\ufeff")
    source = RawSource(el, guid, name, text[1:] if bom else text, member, data, bom)
    values: dict[Guid, list[str]] = defaultdict(list)
    codings: list[RefiCoding] = []
    for child in el:
        kind = local_name(child.tag)
        if kind == "PlainTextSelection":
            source.selections.append(_selection(ctx, child))
        elif kind == "Coding":
            codings.append(read_coding(ctx, child))
        elif kind == "Description":
            source.description = text_of(child)
        elif kind == "NoteRef":
            ctx.note_ref(ctx.found.guid(child, "targetGUID"), guid, child)
        elif kind == "VariableValue":
            pair = ctx.value(child, guid)
            if pair is not None:
                values[pair[0]].append(pair[1])
        elif kind != "PlainTextContent":
            ctx.found.skip(child, "not part of a REFI-QDA text source", inside=guid)
    source.codings = tuple(codings)
    source.values = {k: tuple(v) for k, v in values.items()}
    rich = el.get("richTextPath")
    if rich:
        found = ctx.member(rich)
        if found is None:
            ctx.notice(f"source {name!r}: its rich-text file {rich!r} is not in the archive")
        else:
            source.rich_member, source.rich_data = found, ctx.read_source_member(found, el)
    return source


def source_text(
    ctx: ReadContext, el: Element, guid: Guid, what: str
) -> tuple[str, str | None, bytes | None]:
    """The text of a source or note as written, and its archive member and bytes if a file."""
    inline = [c for c in el if local_name(c.tag) == "PlainTextContent"]
    path = el.get("plainTextPath")
    if path:
        if inline:
            ctx.notice(f"{what} {guid} has both a text file and inline text; the file is used")
        member = ctx.member(path)
        if member is None:
            raise ctx.found.error(
                f"the {what}'s text file {path!r} is missing from the archive", el
            )
        data = ctx.read_source_member(member, el)
        return decode_text(data, f"{ctx.archive.name}/{member}"), member, data
    if inline:
        text = text_of(inline[0])
        limit = ctx.max_source_bytes
        if limit is not None and len(text) > limit // 4 and len(text.encode("utf-8")) > limit:
            raise ctx.found.error(
                f"the {what}'s inline text is over the limit of {limit:,} bytes for one source",
                el,
            )
        return text, None, None
    if what == "note":
        return "", None, None
    raise ctx.found.error("a text source with neither plainTextPath nor PlainTextContent", el)


def _selection(ctx: ReadContext, el: Element) -> RawSelection:
    guid = ctx.found.guid(el)
    ctx.unique("selection", guid, el)
    try:
        start, end = int(el.get("startPosition")), int(el.get("endPosition"))
    except (TypeError, ValueError):
        raise ctx.found.error("startPosition and endPosition must be whole numbers", el) from None
    codings: list[RefiCoding] = []
    description = ""
    for child in el:
        kind = local_name(child.tag)
        if kind == "Coding":
            codings.append(read_coding(ctx, child))
        elif kind == "Description":
            description = text_of(child)
        elif kind == "NoteRef":
            ctx.note_ref(ctx.found.guid(child, "targetGUID"), guid, child)
        else:
            ctx.found.skip(child, "not part of a PlainTextSelection", inside=guid)
    return RawSelection(el, guid, start, end, tuple(codings), description)


def read_coding(ctx: ReadContext, el: Element) -> RefiCoding:
    """A ``<Coding>``; its ``<CodeRef>`` must name a code of the codebook."""
    guid = ctx.found.guid(el)
    ctx.unique("coding", guid, el)
    code: Guid | None = None
    for child in el:
        kind = local_name(child.tag)
        if kind == "CodeRef" and code is None:
            code = ctx.found.guid(child, "targetGUID")
            if code not in ctx.seen["code"]:
                raise ctx.found.error(f"refers to code {code}, which is not in the codebook", el)
        elif kind == "NoteRef":
            ctx.note_ref(ctx.found.guid(child, "targetGUID"), guid, child)
        else:
            ctx.found.skip(child, "not part of a Coding", inside=guid)
    if code is None:
        raise ctx.found.error("a Coding without a CodeRef", el)
    return RefiCoding(guid, code, ctx.user(el), ctx.found.date(el, "creationDateTime"))


def place_selections(
    ctx: ReadContext, origin: str | None, raw: list[RawSource], unit: PositionUnit | None
) -> tuple[list[RefiSource], UnitDecision]:
    """Decide the position unit, then move every selection onto its source's canonical text."""
    if unit is None:
        spans = [SourcePositions(s.text, [(x.start, x.end) for x in s.selections]) for s in raw]
        decision = detect_unit(origin, spans)
    else:
        decision = UnitDecision(unit, "given by the caller")
    bom = crlf = 0
    sources: list[RefiSource] = []
    for s in raw:
        bom += s.bom
        crlf += "\r" in s.text
        sources.append(_place(ctx, s, decision.unit))
        s.text = ""  # the text as written is no longer needed: hold one copy of each text
    if bom or crlf:
        ctx.notice(
            f"{bom} text file(s) began with a byte-order mark and {crlf} had CR line endings; "
            "positions counted over the files as written (CR counted, the byte-order mark not) "
            "were moved onto the canonical text"
        )
    return sources, decision


def _place(ctx: ReadContext, s: RawSource, unit: PositionUnit) -> RefiSource:
    canonical, offsets = canonicalize(s.text)
    units = Utf16Offsets(s.text) if unit == "utf-16" else None
    length = units.length if units else len(s.text)
    found = ctx.found
    selections: list[RefiSelection] = []
    for x in s.selections:
        if x.start < 0 or x.end > length or x.start > x.end:
            counted = " counted in UTF-16 units" if units else ""
            raise SpanError(
                "startPosition is after endPosition"
                if x.start > x.end
                else f"the selection lies outside the text of source {s.name!r} "
                f"({length} characters{counted})",
                file=found.file,
                line=x.el.sourceline,
                element=f"PlainTextSelection {x.guid}",
                span=(x.start, x.end),
            )
        start, end = x.start, x.end
        if units:
            start, end = units.to_code_points(start), units.to_code_points(end)
        start, end = offsets.to_canonical(start), offsets.to_canonical(end)
        if start >= end:
            found.skip(x.el, "the selection covers no text; its codings are not imported")
            continue
        el = x.el
        selections.append(
            RefiSelection(
                x.guid,
                el.get("name") or "",
                start,
                end,
                ctx.user(el),
                found.date(el, "creationDateTime"),
                x.codings,
                x.description,
                ctx.user(el, "modifyingUser"),
                found.date(el, "modifiedDateTime"),
            )
        )
        _tally_users(ctx, selections[-1], x.codings)
    return RefiSource(
        s.guid,
        s.name,
        canonical,
        tuple(selections),
        ctx.user(s.el),
        found.date(s.el, "creationDateTime"),
        s.member,
        s.data,
        s.description,
        s.codings,
        s.values,
        s.rich_member,
        s.rich_data,
        ctx.user(s.el, "modifyingUser"),
        found.date(s.el, "modifiedDateTime"),
    )


def _tally_users(
    ctx: ReadContext, selection: RefiSelection, codings: tuple[RefiCoding, ...]
) -> None:
    if selection.creating_user is None:
        ctx.tallies["selection(s) without creatingUser"] += 1
    elif any(
        c.creating_user is not None and c.creating_user != selection.creating_user for c in codings
    ):
        ctx.tallies[
            "selection(s) with a creatingUser different from their coding's (both are kept)"
        ] += 1
