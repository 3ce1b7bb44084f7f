"""Decoding text files whatever encoding they arrived in.

Transcripts come from Windows Notepad (UTF-16 with a BOM, or cp1252), from Macs and from web tools
(UTF-8, sometimes with a BOM). The order tried is: a byte-order mark (UTF-8, UTF-16, UTF-32), then
strict UTF-8, then UTF-16 without a BOM when the NUL bytes fall in a UTF-16 pattern, then cp1252.
UTF-8 is tried strictly before cp1252 because almost no real cp1252 text is valid UTF-8, while
every byte string but five is valid cp1252. Binary files (an image renamed ``.txt``) are refused:
NUL bytes outside a UTF-16 pattern, or many control characters.
"""

from __future__ import annotations

import codecs
import re

from thematica.errors import InvalidInputError

__all__ = ["decode_text"]

# Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark). REFI text files are
# decoded by the same table.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 8192
# Control characters other than tab, newline, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """``(text, encoding)`` for ``data``, or refuse it as binary; a BOM is dropped."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name), encoding
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16:
        return _strict(data, utf16, name), utf16
    if b"\x00" in data[:_SAMPLE]:
        raise InvalidInputError("this looks like a binary file, not text", file=name)
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"cannot tell this file's encoding (byte 0x{data[exc.start]:02x} at offset "
                f"{exc.start} is neither UTF-8 nor Windows-1252); save it as UTF-8 and import "
                "it again",
                file=name,
                line=data[: exc.start].count(b"\n") + 1,
            ) from None
    sample = text[:_SAMPLE]
    controls = len(_CONTROLS.findall(sample))
    if controls > max(2, len(sample) // 100):
        raise InvalidInputError("this looks like a binary file, not text", file=name)
    return text, encoding


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs fill one byte of most pairs (ASCII-heavy UTF-16 text)."""
    pairs = len(sample) // 2
    if pairs < 2 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.6 * pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.6 * pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"the file says it is {encoding.upper()} (byte-order mark) but byte "
            f"0x{data[exc.start]:02x} at offset {exc.start} is not; the file may be damaged",
            file=name,
        ) from None
