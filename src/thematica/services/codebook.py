"""Building the codebook: templates, adding and editing codes, CSV import and export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from thematica.domain import vocab
from thematica.domain.codebook import PATH_SEPARATOR, Code, Codebook, parse_path
from thematica.domain.events import EventKind, snapshot
from thematica.domain.ids import CodeId, new_guid
from thematica.domain.study import Study
from thematica.errors import InvalidInputError, NotFoundError
from thematica.interchange.codebook_text import read_code_list
from thematica.interchange.tables import CODEBOOK_COLUMNS, CodebookRow, read_codebook_csv, write_csv
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "TEMPLATES",
    "CodebookImport",
    "add_code",
    "apply_template",
    "describe_code",
    "export_codebook",
    "import_codebook",
    "update_code",
]

#: Codebook templates a study can start from (``thematica init NAME --template ...``).
TEMPLATES: tuple[str, ...] = vocab.TEMPLATES
_FIELDS = ("definition", "inclusion", "exclusion", "example", "colour")


def apply_template(uow: UnitOfWork, study: Study, template: str, actor: str) -> int:
    """Add the codes of a template to ``study`` inside ``uow``; returns how many were added."""
    if template not in TEMPLATES:
        raise InvalidInputError(
            f"unknown template {template!r}; choose one of: {', '.join(TEMPLATES)}"
        )
    if template == "blank":
        return 0
    data = resources.files("thematica").joinpath(f"templates/{template}.csv").read_bytes()
    rows = read_codebook_csv(data=data)
    return _merge_rows(uow, study, rows, actor).added


class CodebookImport:
    """What an import did: codes added and codes whose description was updated."""

    def __init__(self) -> None:
        self.added = 0
        self.updated = 0
        #: What the file held that could not be imported, for the person importing.
        self.notices: list[str] = []


def _merge_rows(
    uow: UnitOfWork, study: Study, rows: list[CodebookRow], actor: str
) -> CodebookImport:
    """Create codes along each row's path; fill or change the described fields of existing ones.

    Rows are applied in order and a later row may describe a code an earlier row created.
    """
    book = uow.codes.codebook(study.id)
    result = CodebookImport()
    for row in rows:
        parent: CodeId | None = None
        for depth, name in enumerate(row.path):
            try:
                existing: Code | None = book.find(row.path[: depth + 1])
            except NotFoundError:
                existing = None
            is_leaf = depth == len(row.path) - 1
            fields = {f: getattr(row, f) for f in _FIELDS} if is_leaf else {}
            if existing is None:
                position = len(book.children(parent))
                try:
                    code = Code(
                        CodeId(new_guid()), study.id, name, parent, position=position, **fields
                    )
                except InvalidInputError as exc:
                    raise InvalidInputError(exc.reason, line=row.line, element=name) from None
                book = book.with_code(code)
                uow.codes.add(code)
                record(uow, study, actor, EventKind.CODE_ADDED, code.id, after=snapshot(code))
                result.added += 1
                existing = code
            elif fields and any(v and v != getattr(existing, f) for f, v in fields.items()):
                changed = replace(existing, **{f: v for f, v in fields.items() if v})
                book = book.with_code(changed)
                uow.codes.update(changed)
                record(
                    uow,
                    study,
                    actor,
                    EventKind.CODE_UPDATED,
                    changed.id,
                    before=snapshot(existing),
                    after=snapshot(changed),
                )
                result.updated += 1
            parent = existing.id
    return result


def import_codebook(
    db: Database,
    path: Path,
    *,
    study: str | None = None,
    actor: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> CodebookImport:
    """Import a codebook into a study, all or nothing: a CSV (``path`` column), a spreadsheet
    (``.xlsx``, or a CSV with ``columns`` named: see
    :func:`~thematica.interchange.codebook_sheets.read_codebook_sheet`), QualCoder's
    plain-text list (``.txt``: ``category>>code``, tab, memo) or a REFI-QDA ``.qdc``."""
    from thematica.services.projects_codebook import qdc_rows

    suffix, notices = path.suffix.lower(), list[str]()
    if suffix == ".qdc":
        rows, notices = qdc_rows(path)
    elif suffix == ".xlsx" or columns or (suffix in (".csv", ".tsv") and not _plain_csv(path)):
        from thematica.interchange.codebook_sheets import read_codebook_sheet

        sheet = read_codebook_sheet(path, columns=columns)
        rows, notices = sheet.rows, sheet.notices
    else:
        rows = read_code_list(path) if suffix == ".txt" else read_codebook_csv(path)
    with study_scope(db, study) as (uow, found):
        try:
            result = _merge_rows(uow, found, rows, actor or default_actor())
        except InvalidInputError as exc:
            raise InvalidInputError(
                exc.reason, file=str(path), line=exc.line, element=exc.element
            ) from None
        uow.commit()
    result.notices = notices
    return result


def _plain_csv(path: Path) -> bool:
    """True if the CSV's header has a ``path`` column (in lower case, as Thematica writes it):
    Thematica's own codebook CSV, read
    strictly (an unknown column there is a typo, refused); any other sheet is read by its
    headers' usual names."""
    from thematica.interchange.files import read_file

    head = read_file(path)[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")
    first = head.splitlines()[0] if head else ""
    return "path" in [c.strip().strip('"') for c in first.split(",")]


def export_codebook(db: Database, path: Path, *, study: str | None = None) -> int:
    """Write the codebook as CSV (parents before children), as REFI-QDA ``.qdc`` or as
    QualCoder's plain-text list (``.txt``), by the file's suffix; returns the number of codes."""
    from thematica.services.projects_codebook import write_code_list, write_codebook_qdc

    with study_scope(db, study) as (uow, found):
        if path.suffix.lower() == ".qdc":
            return write_codebook_qdc(uow, found, path)
        book = uow.codes.codebook(found.id)
    if path.suffix.lower() == ".txt":
        return write_code_list(book, path)
    rows = ([book.path_text(code.id), *(getattr(code, f) for f in _FIELDS)] for code in book)
    return write_csv(path, CODEBOOK_COLUMNS, rows)


def codebook(db: Database, study: str | None = None) -> Codebook:
    with study_scope(db, study) as (uow, found):
        return uow.codes.codebook(found.id)


def describe_code(db: Database, name: str, study: str | None = None) -> dict[str, object]:
    """One code as a coder needs it: path, definition, when to use it and when not, the example,
    its sub-codes and how many codings it has (``name``: a path or the unique end of one)."""
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        code = book.lookup(name)
        codings = len(uow.codings.all(found.id, code_ids=[code.id]))
        return {
            "id": str(code.id),
            "path": book.path_text(code.id),
            **{f: getattr(code, f) for f in _FIELDS},
            "children": [c.name for c in book.children(code.id)],
            "codings": codings,
        }


def add_code(
    db: Database,
    path: str,
    *,
    study: str | None = None,
    actor: str | None = None,
    **fields: str,
) -> Code:
    """Add the code at ``path`` (``Theme > Code``); its parent must exist."""
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise InvalidInputError(f"unknown code field(s): {', '.join(sorted(unknown))}")
    names = parse_path(path)
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        parent = book.find(names[:-1]).id if len(names) > 1 else None
        code = Code(
            CodeId(new_guid()),
            found.id,
            names[-1],
            parent,
            position=len(book.children(parent)),
            **fields,
        )
        book.check_new(code)
        uow.codes.add(code)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODE_ADDED,
            code.id,
            after=snapshot(code),
        )
        uow.commit()
    return code


def update_code(
    db: Database,
    path: str,
    *,
    study: str | None = None,
    actor: str | None = None,
    name: str | None = None,
    **fields: str,
) -> Code:
    """Change a code's name or description fields (definition, inclusion, exclusion, example,
    colour). Moving and merging codes come with the codebook issue."""
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise InvalidInputError(f"unknown code field(s): {', '.join(sorted(unknown))}")
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        before = book.lookup(path)
        changes: dict[str, Any] = {**fields, **({"name": name} if name else {})}
        after = replace(before, **changes)
        book.check_new(after)
        uow.codes.update(after)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODE_UPDATED,
            after.id,
            before=snapshot(before),
            after=snapshot(after),
        )
        uow.commit()
    return after


__all__ += ["PATH_SEPARATOR", "codebook"]
