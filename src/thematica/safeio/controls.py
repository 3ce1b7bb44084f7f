"""Control characters: replaced the same way by every reader, so every study can be exported.

A transcript, a table cell, a REFI source or a QualCoder or Taguette text may carry characters no
one typed: NUL and ESC from a damaged export, C1 controls from text decoded with the wrong code
page, ``U+FFFE``, lone surrogates. XML 1.0 (REFI-QDA, DOCX, XLSX) cannot hold most of them, so a
study that kept one could never be exported. Every reader therefore passes its text through
:func:`replace_controls` before anything else sees it. A NUL means binary data or a damaged file
(no tool writes one into text): it is refused, in one line naming the file. Otherwise tab,
newline and carriage return stay;
vertical tab and form feed (Word's manual line break, a PDF's page break) become a newline; every
other one becomes ``U+FFFD`` (the replacement character), which shows the reader where something
was. One character for one, so a position another tool recorded over the text still points at
the same passage. A file that is mostly control characters is refused as binary before this
(``interchange.encodings``). Writers, whose output holds no positions, drop them instead
(:func:`remove_controls`).
"""

from __future__ import annotations

import re

from thematica.errors import InvalidInputError

__all__ = ["CONTROLS", "REPLACEMENT", "remove_controls", "replace_controls"]

#: What no reader keeps: C0 controls but tab, LF, CR; DEL; C1 controls; the two noncharacters
#: XML forbids; surrogates (a lone one cannot be encoded, let alone exported).
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_BREAKS = frozenset("\x0b\x0c")


def replace_controls(text: str, where: str) -> tuple[str, int]:
    """``text`` with each control character replaced (one for one), and how many there were
    (0: ``text`` itself is returned); a NUL is refused, naming ``where`` (the file, and the
    element or row where a reader knows it)."""
    if CONTROLS.search(text) is None:
        return text, 0
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInputError(
            "the text holds a NUL character (binary data): the file is damaged or not text",
            file=where,
            line=line if "\n" in text else None,
        )
    count = 0

    def replace(found: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return "\n" if found.group() in _BREAKS else REPLACEMENT

    return CONTROLS.sub(replace, text), count


def remove_controls(text: str) -> str:
    """``text`` without control characters: for what is written out (a workbook or document
    cell), where no position depends on them."""
    return CONTROLS.sub("", text)
