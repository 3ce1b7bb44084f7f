"""QualCoder's plain-text code list: one code a line, ``category>>code``, then an optional tab
and a memo (the description). Lines may end in CRLF; blank lines are skipped."""

from __future__ import annotations

from pathlib import Path

from thematica.domain.codebook import parse_path
from thematica.errors import InvalidInputError
from thematica.interchange.plaintext import decode_utf8
from thematica.interchange.tables import CodebookRow
from thematica.safeio.files import read_file

__all__ = ["read_code_list"]


def read_code_list(path: Path) -> list[CodebookRow]:
    text = decode_utf8(read_file(path), str(path))
    rows: list[CodebookRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _, memo = line.partition("\t")
        try:
            names = parse_path(name.replace(">>", ">"))
        except InvalidInputError as exc:
            raise InvalidInputError(exc.reason, file=str(path), line=number) from None
        rows.append(CodebookRow(number, names, definition=memo.strip()))
    if not rows:
        raise InvalidInputError("the file holds no codes", file=str(path))
    return rows
