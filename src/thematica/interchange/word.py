"""Word ``.docx`` transcripts.

The text is the document body's paragraphs in order, one blank line between paragraphs (as a
transcript typed in a text editor would have), with tabs and line breaks kept. Deleted tracked
changes, field codes and comments are left out; tables become lines (see
:func:`~thematica.interchange.packages.row_as_line`). Speaker turns are then found exactly as in
plain text, so an interview reads the same from ``.docx`` and ``.txt``.
"""

from __future__ import annotations

from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.packages import (
    Element,
    open_package,
    read_part,
    row_as_line,
    stream_children,
)
from thematica.interchange.plaintext import imported_from_text
from thematica.safeio.archive import SafeArchive

__all__ = ["docx_paragraphs", "read_docx", "register"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"
_WHAT = "Word document (.docx)"


def read_docx(data: bytes, name: str) -> ImportedText:
    archive = open_package(data, name, _WHAT)
    paragraphs: list[str] = []
    try:
        # The body streams a paragraph (or table) at a time: the tree is never held whole.
        for child in stream_children(archive, _main_part(archive), _WHAT, f"{_W}body"):
            paragraphs.extend(docx_paragraphs([child]))
    finally:
        archive.close()
    return imported_from_text("\n\n".join(paragraphs), name, "docx")


def _main_part(archive: SafeArchive) -> str:
    """The main document part named by the package relationships (usually word/document.xml)."""
    if archive.find("_rels/.rels") is not None:
        rels = read_part(archive, "_rels/.rels", _WHAT)
        for rel in rels.iter(f"{_REL}Relationship"):
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
                return str(rel.get("Target")).lstrip("/")
    return "word/document.xml"


def docx_paragraphs(body: Element) -> list[str]:
    """The text of each non-empty paragraph (and table row) of a ``w:body``, in order."""
    out: list[str] = []
    for child in body:
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph_text(child)
            if text.strip():
                out.append(text)
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [
                    "\n".join(_paragraph_text(p) for p in cell.iter(f"{_W}p"))
                    for cell in row.iter(f"{_W}tc")
                ]
                line = row_as_line(cells)
                if line:
                    out.append(line)
        elif tag == f"{_W}sdt":  # a content control wraps ordinary paragraphs
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(docx_paragraphs(content))
    return out


_RUN_PARTS = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}
_RUN_PARTS[f"{_W}noBreakHyphen"] = "-"


def _paragraph_text(paragraph: Element) -> str:
    """The text of a ``w:p``: its runs' text, tabs and breaks (tab stops in ``w:pPr`` are not
    text, and ``w:delText`` of deleted tracked changes is not read)."""
    parts: list[str] = []
    for run in paragraph.iter(f"{_W}r"):
        for node in run:
            if node.tag in _RUN_PARTS:
                fixed = _RUN_PARTS[node.tag]
                parts.append((node.text or "") if fixed is None else fixed)
    return "".join(parts)


def register() -> None:
    register_format("docx", (".docx",), read_docx)
