"""Plain text and Markdown transcripts.

The bytes are decoded whatever their encoding (:mod:`thematica.interchange.encodings`), made
canonical, and searched for speaker turns (:mod:`thematica.interchange.speakers`). Every other
format ends in :func:`imported_from_text` too, so one interview reads the same from any file.
"""

from __future__ import annotations

import re

from thematica.domain.study import Turns
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


def imported_from_text(
    raw: str,
    name: str,
    source_format: str,
    *,
    notices: tuple[str, ...] = (),
    find_turns: bool = True,
) -> ImportedText:
    """Canonicalise ``raw`` text, find its turns and header; refuse it if it holds no text.

    Control characters are replaced (:mod:`thematica.safeio.controls`) and counted in the
    notices. Trailing spaces on each line are dropped and runs of blank lines kept to one, so
    that a paragraph break reads the same whether it came from Word, a PDF or a text editor.
    This is done with whole-text substitutions, never a list of lines: a transcript of two
    million short lines must not cost two million strings.
    """
    raw, controls = replace_controls(raw, name)
    if controls:
        notices = (
            *notices,
            f"{controls:,} control character(s) (NUL, ESC ...) were replaced by \ufffd",
        )
    text, _ = canonicalize(raw)
    del raw
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    if text.startswith("\n") or not text.endswith("\n") or text.endswith("\n\n"):
        text = text.strip("\n")  # one copy only where the ends need it
        text = text + "\n" if text else ""
    if not text.strip():
        raise InvalidInputError("the file is empty (it holds no text)", file=name)
    turns = detect_turns(text) if find_turns else Turns()  # the caller has its own
    header = _header(text, turns[0].span.start if turns else 0)
    return ImportedText(text, turns, source_format, header, notices)


# What str.rstrip() takes off each line (any whitespace but the newline itself).
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


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
