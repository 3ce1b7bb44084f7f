"""OpenDocument ``.odt`` transcripts (LibreOffice, Google Docs' ODF export).

The text is every ``text:p`` and ``text:h`` of the body in document order, one blank line between
paragraphs, as for ``.docx``; ``text:s`` (runs of spaces), tabs and line breaks are kept, notes and
comments left out, tables turned into lines. A password-protected file is refused by name: its
``content.xml`` is encrypted and the manifest says so.
"""

from __future__ import annotations

from thematica.errors import InvalidInputError
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.packages import Element, open_package, read_part, row_as_line
from thematica.interchange.plaintext import imported_from_text

__all__ = ["odt_paragraphs", "read_odt", "register"]

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_WHAT = "OpenDocument text (.odt)"
_SKIPPED = frozenset({f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes"})


def read_odt(data: bytes, name: str) -> ImportedText:
    archive = open_package(data, name, _WHAT)
    try:
        if archive.find("META-INF/manifest.xml") is not None:
            manifest = read_part(archive, "META-INF/manifest.xml", _WHAT)
            if next(manifest.iter(f"{_MANIFEST}encryption-data"), None) is not None:
                raise InvalidInputError(
                    "this OpenDocument file is password-protected (encrypted); save a copy "
                    "without the password and import that",
                    file=name,
                )
        root = read_part(archive, "content.xml", _WHAT)
    finally:
        archive.close()
    body = root.find(f"{_OFFICE}body")
    paragraphs = odt_paragraphs(body) if body is not None else []
    return imported_from_text("\n\n".join(paragraphs), name, "odt")


def odt_paragraphs(element: Element) -> list[str]:
    """The text of each non-empty paragraph, heading and table row under ``element``, in order."""
    out: list[str] = []
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag in (f"{_TEXT}p", f"{_TEXT}h"):
            text = _inline_text(child)
            if text.strip():
                out.append(text)
        elif tag == f"{_TABLE}table-row":
            cells = [
                "\n".join(odt_paragraphs(cell))
                for cell in child
                if cell.tag == f"{_TABLE}table-cell"
            ]
            line = row_as_line(cells)
            if line:
                out.append(line)
        else:  # sections, lists, tables, frames: their paragraphs in order
            out.extend(odt_paragraphs(child))
    return out


def _inline_text(element: Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * _space_count(child.get(f"{_TEXT}c")))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in _SKIPPED:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _space_count(value: str | None) -> int:
    """``text:c`` of a ``text:s``; capped, so that ``c="999999999"`` cannot fill the memory."""
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def register() -> None:
    register_format("odt", (".odt",), read_odt)
