"""A codebook on its own, to and from other tools: REFI-QDA ``.qdc`` and QualCoder's plain list.

Imports become :class:`~thematica.interchange.tables.CodebookRow` values and are merged into the
study's codebook by :func:`thematica.services.codebook.import_codebook`, exactly as a CSV is
(codes matched by path; new ones added, descriptions filled in). Exports write the whole tree.
"""

from __future__ import annotations

from pathlib import Path

from thematica.domain.codebook import Codebook
from thematica.domain.study import Study
from thematica.errors import InvalidInputError
from thematica.interchange.refi import RefiCode, RefiSet, read_qdc, write_qdc
from thematica.interchange.tables import CodebookRow
from thematica.safeio.files import write_atomically
from thematica.services.projects_context import code_name, colour_of
from thematica.services.projects_descriptions import parse_code_description
from thematica.services.projects_export import refi_codes
from thematica.storage import UnitOfWork

__all__ = ["qdc_rows", "write_code_list", "write_codebook_qdc"]


def qdc_rows(path: Path) -> tuple[list[CodebookRow], list[str]]:
    """The codes of a ``.qdc`` file as rows (parents first), and notices of what was left out."""
    book, report = read_qdc(path)
    rows: list[CodebookRow] = []
    notices = list(report.notices)
    notices += [f"not imported: {item.describe()}" for item in report.unmapped]

    def walk(code: RefiCode, above: tuple[str, ...]) -> None:
        path_ = (*above, code_name(code))
        definition, inclusion, exclusion, example = parse_code_description(code.description)
        rows.append(
            CodebookRow(0, path_, definition, inclusion, exclusion, example, colour_of(code.color))
        )
        for child in code.children:
            walk(child, path_)

    for root in book.codes:
        walk(root, ())
    if book.sets:
        notices.append(
            f"{len(book.sets)} set(s) of codes were not imported "
            f"({', '.join(repr(s.name) for s in book.sets)}); sets come in with whole projects"
        )
    if not rows:
        raise InvalidInputError("the codebook holds no codes", file=str(path))
    return rows, notices


def write_codebook_qdc(uow: UnitOfWork, study: Study, path: Path) -> int:
    """Write the study's codebook, and its sets that hold codes, as a ``.qdc`` file."""
    book = uow.codes.codebook(study.id)
    sets = [
        RefiSet(str(s.id), s.name, (), tuple(str(c) for c in s.code_ids), (), s.description)
        for s in uow.sets.all(study.id)
        if s.code_ids
    ]
    write_qdc(refi_codes(book), path, sets=sets)
    return len(book)


def write_code_list(book: Codebook, path: Path) -> int:
    """QualCoder's plain-text list: ``category>>code``, a tab, the definition; one code a line."""
    lines = []
    for code in book:
        memo = " ".join(code.definition.split())
        lines.append(">>".join(book.path(code.id)) + (f"\t{memo}" if memo else ""))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
    return len(lines)
