"""CSV tables in: participant sheets, codebooks and coding tables (written by
:func:`thematica.safeio.csvfiles.write_csv`).

Every reader checks the header first (missing or unknown columns are named), then each row,
naming the file and line of the first problem. Nothing is returned unless the whole file is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.domain.codebook import parse_path
from thematica.domain.codings import Valence
from thematica.errors import InvalidInputError
from thematica.interchange.plaintext import decode_utf8
from thematica.safeio.controls import replace_controls
from thematica.safeio.csvfiles import restore_cell
from thematica.safeio.files import read_file

__all__ = [
    "CODEBOOK_COLUMNS",
    "CodebookRow",
    "ParticipantRow",
    "QuotedCoding",
    "csv_rows",
    "read_codebook_csv",
    "read_participants_csv",
    "read_quoted_codings_csv",
    "require_columns",
]

CODEBOOK_COLUMNS = ("path", "definition", "inclusion", "exclusion", "example", "colour")
# A spreadsheet's first column may arrive under several common names.
_ID_COLUMNS = ("participant_id", "participant", "id", "case")
#: In a participants sheet, this separates several values of one attribute.
MULTI_VALUE_SEPARATOR = ";"


def csv_rows(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """A UTF-8 CSV's header and its rows as ``(line, {column: value})``, control characters
    replaced; an empty file, a broken row or a repeated column is refused in one line."""
    text, _ = replace_controls(decode_utf8(data, name), name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    except csv.Error as exc:
        raise InvalidInputError(f"not a readable CSV file: {exc}", file=name, line=1) from None
    if len(set(header)) != len(header):
        duplicated = sorted({h for h in header if header.count(h) > 1})
        raise InvalidInputError(f"duplicate columns: {', '.join(duplicated)}", file=name, line=1)

    def body() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(header):
                    raise InvalidInputError(
                        f"{len(values)} values but only {len(header)} columns", file=name, line=line
                    )
                padded = values + [""] * (len(header) - len(values))
                # A cell Thematica neutralised on export ('=...) reads back as it was written.
                yield (
                    line,
                    {h: restore_cell(v.strip()) for h, v in zip(header, padded, strict=True)},
                )
        except csv.Error as exc:
            raise InvalidInputError(
                f"not a readable CSV file: {exc}", file=name, line=reader.line_num
            ) from None

    return header, body()


def require_columns(header: Sequence[str], required: Iterable[str], name: str) -> None:
    """Refuse, in one line naming the file, a header without every ``required`` column."""
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInputError(
            f"missing column(s): {', '.join(missing)} (found: {', '.join(header)})",
            file=name,
            line=1,
        )


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    line: int
    label: str
    pseudonym: str
    attributes: dict[str, tuple[str, ...]]


def read_participants_csv(path: Path) -> list[ParticipantRow]:
    """The rows of a participants sheet (see
    :func:`thematica.interchange.participant_sheets.read_participant_sheet`, which also reads
    .xlsx and says how each column was read)."""
    from thematica.interchange.participant_sheets import read_participant_sheet

    return list(read_participant_sheet(path).rows)


@dataclass(frozen=True, slots=True)
class CodebookRow:
    line: int
    path: tuple[str, ...]
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    colour: str = ""


def read_codebook_csv(path: Path | None = None, *, data: bytes | None = None) -> list[CodebookRow]:
    """A codebook CSV: ``path`` (``Theme > Code`` or ``Theme/Code``) and optional description
    columns (see :data:`CODEBOOK_COLUMNS`). Unknown columns are refused, so a typo such as
    ``defintion`` is not silently dropped."""
    name = str(path) if path is not None else "<codebook>"
    if data is None:
        assert path is not None, "read_codebook_csv needs a path or data"
        data = read_file(path)
    header, body = csv_rows(data, name)
    require_columns(header, ["path"], name)
    unknown = [c for c in header if c not in CODEBOOK_COLUMNS and c != "description"]
    if unknown:
        raise InvalidInputError(
            f"unknown column(s): {', '.join(unknown)}; known: {', '.join(CODEBOOK_COLUMNS)}",
            file=name,
            line=1,
        )
    rows: list[CodebookRow] = []
    for line, row in body:
        try:
            names = parse_path(row["path"])
        except InvalidInputError as exc:
            raise InvalidInputError(exc.reason, file=name, line=line) from None
        rows.append(
            CodebookRow(
                line,
                names,
                row.get("definition") or row.get("description", ""),
                row.get("inclusion", ""),
                row.get("exclusion", ""),
                row.get("example", ""),
                row.get("colour", ""),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class QuotedCoding:
    """A coding given by the passage it covers rather than by offsets (the demo's format)."""

    line: int
    document: str
    coder: str
    code: tuple[str, ...]
    quote: str
    occurrence: int
    valence: Valence | None
    memo: str


def read_quoted_codings_csv(path: Path) -> list[QuotedCoding]:
    """Codings as ``document,coder,code,quote,occurrence,valence,memo``; quotes are located in
    the text on import (``occurrence`` picks the Nth match when a quote repeats)."""
    name = str(path)
    header, body = csv_rows(read_file(path), name)
    require_columns(header, ["document", "coder", "code", "quote"], name)
    result: list[QuotedCoding] = []
    for line, row in body:
        try:
            occurrence = int(row.get("occurrence") or 1)
            if occurrence < 1:
                raise ValueError
            result.append(
                QuotedCoding(
                    line,
                    row["document"],
                    row["coder"],
                    parse_path(row["code"]),
                    row["quote"],
                    occurrence,
                    Valence.parse(row.get("valence")),
                    row.get("memo", ""),
                )
            )
        except ValueError:
            raise InvalidInputError(
                f"occurrence must be a positive whole number, not {row.get('occurrence')!r}",
                file=name,
                line=line,
            ) from None
        except InvalidInputError as exc:
            raise InvalidInputError(exc.reason, file=name, line=line) from None
        if not row["quote"]:
            raise InvalidInputError("empty quote", file=name, line=line)
    return result
