"""Office packages (``.docx``, ``.odt``): a zip of XML parts, opened safely.

The zip is opened through the same checked reader as REFI-QDA projects
(:func:`thematica.safeio.archive.open_archive_bytes`): member names, declared sizes and
compression ratios are checked before a byte is inflated, and every read is counted. Only the parts
that hold the text are read, and they are parsed by lxml with entities, DTDs and network access off.
We read the XML ourselves rather than through python-docx or odfpy because those inflate and parse
every part without limits; they remain the tools the tests build files with.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from lxml import etree

from thematica.errors import InvalidInputError
from thematica.safeio.archive import SafeArchive, open_archive_bytes

__all__ = [
    "MAX_INFLATED_BYTES",
    "OLE_MAGIC",
    "Element",
    "open_package",
    "read_part",
    "row_as_line",
    "stream_children",
]

Element = Any  # lxml.etree._Element (a private name in lxml-stubs)

#: The most an office package may inflate to; a long interview's XML is a few megabytes.
MAX_INFLATED_BYTES = 256 * 1024 * 1024
#: Microsoft's compound-file header: an encrypted docx/odt or a Word 97-2003 ``.doc``.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CLOCK = re.compile(r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_TABLE_HEADINGS = frozenset({"speaker", "name", "who", "time", "timestamp", "text", "speech"})


def open_package(data: bytes, name: str, what: str) -> SafeArchive:
    """The checked archive of an office file; refuses encrypted (password-protected) files."""
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k" in data:
            raise InvalidInputError(
                f"this {what} is password-protected (encrypted); remove the password in the "
                "program that made it, save it again and import that copy",
                file=name,
            )
        raise InvalidInputError(
            f"this is an old binary (97-2003) file, not a {what}; open it and save it as "
            "the newer format, then import that copy",
            file=name,
        )
    return open_archive_bytes(data, name, what=what, max_total_bytes=MAX_INFLATED_BYTES)


def read_part(archive: SafeArchive, member: str, what: str) -> Element:
    """The root element of XML part ``member``, parsed with entities, DTDs and network off."""
    found = archive.find(member)
    if found is None:
        raise InvalidInputError(
            f"not a readable {what}: the part {member!r} is missing", file=archive.name
        )
    data = archive.read(found)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    where = f"{archive.name}: {found}"
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidInputError(
            f"the {what} is damaged: {exc.msg}", file=where, line=exc.lineno
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InvalidInputError(
            f"the part declares a document type (<!DOCTYPE>), which no {what} needs: refused",
            file=where,
        )
    return root


def stream_children(
    archive: SafeArchive, member: str, what: str, parent_tag: str
) -> Iterator[Element]:
    """The children of the first ``parent_tag`` element of XML part ``member``, one at a time.

    For a long document: each child is parsed, handed over, then cleared and dropped before the
    next, so the whole tree is never held (a document of 50,000 paragraphs would otherwise take
    ten times its XML in lxml nodes). The same protections as :func:`read_part`: entities, DTDs
    and network off, and a part that declares a ``<!DOCTYPE>`` refused.
    """
    found = archive.find(member)
    if found is None:
        raise InvalidInputError(
            f"not a readable {what}: the part {member!r} is missing", file=archive.name
        )
    data = archive.read(found)
    where = f"{archive.name}: {found}"
    if _DOCTYPE.search(data):  # in text it would be escaped: this can only be markup
        raise InvalidInputError(
            f"the part declares a document type (<!DOCTYPE>), which no {what} needs: refused",
            file=where,
        )
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    parent: Element = None
    try:
        for event, element in events:
            if parent is None:
                if event == "start" and element.tag == parent_tag:
                    parent = element
                continue
            if event == "end" and element.getparent() is parent:
                yield element
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise InvalidInputError(
            f"the {what} is damaged: {exc.msg}", file=where, line=exc.lineno
        ) from None


def row_as_line(cells: Sequence[str]) -> str | None:
    """One table row as a transcript line; None for a heading row or an empty row.

    Word and Teams transcripts are often tables: ``Speaker | Speech`` or
    ``Time | Speaker | Speech``. Those rows become ``Speaker: Speech`` (``[time] Speaker: Speech``)
    so the speaker markers find them; any other row is its cells joined by tabs.
    """
    filled = [" ".join(c.split()) for c in cells if c.strip()]
    if not filled:
        return None
    if all(c.casefold() in _TABLE_HEADINGS for c in filled):
        return None
    if len(filled) == 3 and _CLOCK.fullmatch(filled[0]) and len(filled[1].split()) <= 5:
        return f"[{filled[0].strip('[]()')}] {filled[1]}: {filled[2]}"
    if len(filled) == 2 and len(filled[0].split()) <= 5:
        label = filled[0] if filled[0].endswith(":") else f"{filled[0]}:"
        return f"{label} {filled[1]}"
    return "\t".join(filled)
