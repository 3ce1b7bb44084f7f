"""Rich Text Format (``.rtf``) transcripts, read with striprtf (``docx`` extra).

RTF is 7-bit text with escapes; striprtf drops the control words and groups that are not text
(font tables, pictures, ``\\*`` destinations) and decodes ``\\'xx`` and ``\\u`` escapes. Each
paragraph becomes one paragraph of the transcript, a blank line apart, as for ``.docx``. A file
that ends inside a group (cut short in transfer) is imported with a warning, never silently.
"""

from __future__ import annotations

import re

from thematica.errors import InvalidInputError
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.plaintext import imported_from_text

__all__ = ["read_rtf", "register"]


def read_rtf(data: bytes, name: str) -> ImportedText:
    try:
        from striprtf.striprtf import rtf_to_text
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "reading RTF files needs the 'docx' extra: pip install 'thematica[docx]'", file=name
        ) from None
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InvalidInputError("not an RTF file (it does not start with {\\rtf)", file=name)
    if b"\x00" in data:
        raise InvalidInputError("the RTF file holds binary data (NUL bytes): damaged?", file=name)
    try:
        text = rtf_to_text(data.decode("latin-1"), errors="replace")  # type: ignore[no-untyped-call]
    except (ValueError, IndexError, LookupError) as exc:
        raise InvalidInputError(f"the RTF file cannot be read: {exc}", file=name) from None
    # Each non-blank line a paragraph, a blank line apart (substitutions, not a list of lines).
    text = _BREAKS.sub("\n\n", text.replace("\r", "\n")).strip("\n")
    return imported_from_text(text, name, "rtf", notices=_truncation(data, name))


_BREAKS = re.compile(r"\n(?:[^\S\n]*\n)*")


# An escaped character (``\{``, ``\}``, ``\\``, or any control symbol) or a group brace.
_BRACES = re.compile(rb"\\.|[{}]", re.DOTALL)


def _truncation(data: bytes, name: str) -> tuple[str, ...]:
    """A notice when the file ends inside a group (it was cut short: striprtf would return
    what it holds without a word); refused when a group closes that never opened."""
    depth = 0
    for match in _BRACES.finditer(data):
        brace = match.group()
        if brace == b"{":
            depth += 1
        elif brace == b"}":
            depth -= 1
            if depth < 0:
                line = data[: match.start()].count(b"\n") + 1
                raise InvalidInputError(
                    "the RTF file closes a group it never opened: damaged", file=name, line=line
                )
    if depth > 0:
        return (
            f"the RTF file ends with {depth} group(s) still open: it looks truncated, and the "
            "end of the transcript may be missing; compare it with the original",
        )
    return ()


def register() -> None:
    register_format("rtf", (".rtf",), read_rtf)
