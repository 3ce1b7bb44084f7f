"""Plain text and Markdown transcripts.

The bytes are decoded whatever their encoding (:mod:`thematica.interchange.encodings`), made
canonical, and searched for speaker turns (:mod:`thematica.interchange.speakers`). Every other
format ends in :func:`imported_from_text` too, so one interview reads the same from any file.
"""

from __future__ import annotations

from thematica.domain.text import canonicalize
from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.speakers import HEADER_KEYS, detect_turns
from thematica.safeio.controls import replace_controls

__all__ = [
    "decode_utf8",
    "detect_turns",
    "imported_from_text",
    "read_markdown",
    "read_text",
    "register",
]


def decode_utf8(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first bad byte on failure.

    Used for tables and codebooks, whose encoding the tools that write them fix as UTF-8.
    """
    if b"\x00" in data[:8192]:
        raise InvalidInputError("this looks like a binary file, not text", file=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and import it again",
            file=name,
            line=line,
        ) from None


def imported_from_text(raw: str, name: str, source_format: str) -> ImportedText:
    """Canonicalise ``raw`` text, find its turns and header; refuse it if it holds no text.

    Trailing spaces on each line are dropped and runs of blank lines kept to one, so that a
    paragraph break reads the same whether it came from Word, a PDF or a text editor.
    """
    text, _ = canonicalize(replace_controls(raw)[0])
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    text = "\n".join(kept) + "\n" if kept else ""
    if not text.strip():
        raise InvalidInputError("the file is empty (it holds no text)", file=name)
    turns = detect_turns(text)
    header = _header(text, turns[0].span.start if turns else 0)
    return ImportedText(text, turns, source_format, header)


def _header(text: str, first_turn: int) -> tuple[tuple[str, str], ...]:
    """``Key: value`` lines of a transcription-service header, before the first turn."""
    found: list[tuple[str, str]] = []
    for line in text[:first_turn].split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip().casefold() in HEADER_KEYS:
            found.append((key.strip(), value.strip()))
    return tuple(found)


def read_text(data: bytes, name: str) -> ImportedText:
    raw, _ = decode_text(data, name)
    return imported_from_text(raw, name, "txt")


def read_markdown(data: bytes, name: str) -> ImportedText:
    raw, _ = decode_text(data, name)
    return imported_from_text(raw, name, "md")


def register() -> None:
    register_format("txt", (".txt", ".text"), read_text)
    register_format("md", (".md", ".markdown"), read_markdown)
