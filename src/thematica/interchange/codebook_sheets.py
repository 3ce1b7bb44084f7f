"""Codebooks kept as spreadsheets (``.xlsx`` or ``.csv``) by people and by other tools: one code
a row, its place in the tree as a path (``Parent > Child``), and optionally a description (or
memo), inclusion and exclusion criteria, an example and a colour.

Columns are found by their usual names in any case (``Code path``, ``Memo``, ``Color`` ...;
see :data:`COLUMN_NAMES`); a sheet whose headers are unusual names them (``columns``, the
command's ``--path-column`` and friends). Columns that are none of these are not read, and the
reader says which. Paths may use ``>``, ``::`` or ``/`` (only when no ``>`` is present) between
levels; a colour may be ``#rrggbb``, ``rrggbb`` or ``#rgb``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from thematica.domain.codebook import parse_path
from thematica.errors import InvalidInputError
from thematica.interchange.files import read_file
from thematica.interchange.responses import read_table_rows
from thematica.interchange.tables import CodebookRow

__all__ = ["COLUMN_NAMES", "CodebookSheet", "read_codebook_sheet"]

#: The fields of a code a sheet can give, and the headers each is known by (compared casefolded).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "path": ("path", "code path", "full path", "parent > child", "hierarchy", "code", "name"),
    "definition": ("definition", "description", "memo", "code memo", "comment", "meaning"),
    "inclusion": ("inclusion", "inclusion criteria", "include", "when to use"),
    "exclusion": ("exclusion", "exclusion criteria", "exclude", "when not to use"),
    "example": ("example", "examples", "anchor example"),
    "colour": ("colour", "color", "colour code", "color code", "hex"),
}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


@dataclass
class CodebookSheet:
    """The codes of a sheet, in row order, and what the reader wants said about it."""

    rows: list[CodebookRow]
    notices: list[str] = field(default_factory=list)


def read_codebook_sheet(
    path: Path, *, columns: Mapping[str, str] | None = None, data: bytes | None = None
) -> CodebookSheet:
    """Read a codebook sheet; ``columns`` names the header of any field (``{"path": "Kód"}``)."""
    name = str(path)
    rows = read_table_rows(read_file(path) if data is None else data, name)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    at = _find_columns(header, dict(columns or {}), name, header_line)
    used = set(at.values())
    notices = []
    ignored = [h for i, h in enumerate(header) if h and i not in used]
    if ignored:
        notices.append(f"column(s) not read: {', '.join(ignored)}")
    found: list[CodebookRow] = []
    for line, values in rows:
        cells = list(values) + [""] * (len(header) - len(values))
        if not any(cells):
            continue
        get = {f: cells[i].strip() for f, i in at.items()}
        raw_path = get["path"]
        try:
            names = parse_path(_tree_path(raw_path))
        except InvalidInputError as exc:
            raise InvalidInputError(exc.reason, file=name, line=line) from None
        found.append(
            CodebookRow(
                line,
                names,
                get.get("definition", ""),
                get.get("inclusion", ""),
                get.get("exclusion", ""),
                get.get("example", ""),
                _colour(get.get("colour", ""), name, line),
            )
        )
    if not found:
        raise InvalidInputError("the sheet holds no codes", file=name)
    return CodebookSheet(found, notices)


def _find_columns(header: list[str], named: dict[str, str], name: str, line: int) -> dict[str, int]:
    folded = [h.strip().casefold() for h in header]
    unknown = [f for f in named if f not in COLUMN_NAMES]
    if unknown:
        raise InvalidInputError(f"no such codebook field: {', '.join(unknown)}", file=name)
    at: dict[str, int] = {}
    for field_name, wanted in named.items():
        key = wanted.strip().casefold()
        if key not in folded:
            raise InvalidInputError(
                f"no column {wanted!r} for --{field_name}-column "
                f"(columns: {', '.join(h for h in header if h)})",
                file=name,
                line=line,
            )
        at[field_name] = folded.index(key)
    for field_name, aliases in COLUMN_NAMES.items():
        if field_name in at:
            continue
        for alias in aliases:
            if alias in folded and folded.index(alias) not in at.values():
                at[field_name] = folded.index(alias)
                break
    if "path" not in at:
        raise InvalidInputError(
            "no column holds the codes' paths; name it with --path-column "
            f"(columns: {', '.join(h for h in header if h)})",
            file=name,
            line=line,
        )
    return at


def _tree_path(value: str) -> str:
    """``Parent > Child``, ``Parent::Child`` or ``Parent/Child`` as ``Parent > Child``."""
    if ">" in value:
        return value
    if "::" in value:
        return value.replace("::", ">")
    return value


def _colour(value: str, name: str, line: int) -> str:
    if not value:
        return ""
    match = _HEX.fullmatch(value.strip())
    if match is None:
        raise InvalidInputError(
            f"colour must look like #RRGGBB, not {value!r}", file=name, line=line
        )
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits.lower()}"
