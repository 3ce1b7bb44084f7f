"""Plain text and Markdown transcripts, with ``Name:`` speaker turns.

A turn starts at a line that begins with a speaker label and a colon (``Interviewer: ...``,
``P01: ...``, ``**Sam:** ...`` in Markdown) and runs until the next such line. Labels are short
(at most five words) and start with a capital letter or digit, so that prose such as
``note that: ...`` is not taken for a speaker. The span of a turn covers the label and the speech,
so a transcript's turns tile its body.
"""

from __future__ import annotations

import re

from thematica.domain.study import Turn
from thematica.domain.text import Span, canonicalize
from thematica.errors import InvalidInputError
from thematica.interchange.formats import ImportedText, register_format

__all__ = ["decode_utf8", "detect_turns", "read_markdown", "read_text", "register"]

_WORD = r"[\w.'’\-\[\]]"
_LABEL = re.compile(
    rf"^(?:\*\*)?(?P<speaker>[A-Z0-9\[]{_WORD}*(?: {_WORD}+){{0,4}})(?:\*\*)?:(?:\*\*)?[ \t]",
    re.MULTILINE,
)


def decode_utf8(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first bad byte on failure."""
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


def detect_turns(text: str) -> tuple[Turn, ...]:
    """Speaker turns from ``Name:`` labels at line starts; none if the text has no labels."""
    starts = [(m.start(), m.group("speaker").strip("[]")) for m in _LABEL.finditer(text)]
    turns: list[Turn] = []
    for i, (start, speaker) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            turns.append(Turn(Span(start, end), speaker))
    return tuple(turns)


def _read(data: bytes, name: str, source_format: str) -> ImportedText:
    raw = decode_utf8(data, name)
    text, _ = canonicalize(raw)
    if not text.strip():
        raise InvalidInputError("the file is empty", file=name)
    return ImportedText(text, detect_turns(text), source_format)


def read_text(data: bytes, name: str) -> ImportedText:
    return _read(data, name, "txt")


def read_markdown(data: bytes, name: str) -> ImportedText:
    return _read(data, name, "md")


def register() -> None:
    register_format("txt", (".txt", ".text"), read_text)
    register_format("md", (".md", ".markdown"), read_markdown)
