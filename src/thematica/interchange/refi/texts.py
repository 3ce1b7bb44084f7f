"""Decoding the text files of a REFI-QDA archive, exactly as written.

The text is returned as written (a BOM stays as U+FEFF, CRLF stays) because other tools count
positions over the file as written; the reader canonicalises it and remaps positions afterwards.
UTF-8 is assumed unless a byte-order mark says UTF-16 or UTF-32.
"""

from __future__ import annotations

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import BOMS
from thematica.safeio.controls import replace_controls

__all__ = ["decode_text"]


def decode_text(data: bytes, name: str) -> str:
    """Decode a source's text file, keeping any BOM as U+FEFF; name the line of a bad byte."""
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding is None:
        if data[:4096].count(b"\x00") > 8:
            raise InvalidInputError(
                "this text file looks like UTF-16 without a byte-order mark; "
                "it cannot be read reliably",
                file=name,
            )
        encoding = "utf-8"
    try:
        return replace_controls(data.decode(encoding), name)[0]
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n" if encoding == "utf-8" else "\n".encode(encoding)) + 1
        raise InvalidInputError(
            f"not valid {encoding.upper()} (at byte {exc.start}): {exc.reason}",
            file=name,
            line=line,
        ) from None
