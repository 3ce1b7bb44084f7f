"""Bringing free-text survey answers in: one document per response or per respondent."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from thematica.domain.events import utcnow
from thematica.domain.ids import DocumentId, new_guid
from thematica.domain.study import Document, Participant, Study, content_hash
from thematica.domain.text import canonicalize
from thematica.errors import ConflictError, InvalidInputError
from thematica.interchange.formats import read_limited
from thematica.interchange.responses import Response, read_response_table
from thematica.services.documents import (
    ImportReport,
    document_event,
    import_limit,
    put_up_for_review_if,
)
from thematica.services.participants import add_new_participant, upsert_participant
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["Per", "import_responses"]

Per = Literal["response", "respondent"]


def import_responses(
    db: Database,
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    per: Per = "response",
    study: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
    max_bytes: int | None = None,
    deidentify: bool = False,
) -> ImportReport:
    """Import a table of free-text answers (CSV or XLSX): **all or nothing**.

    Each non-blank answer in ``text_column`` becomes a document named ``<file> <respondent>``
    (``... #2`` for a respondent's second row), or with ``per="respondent"`` each respondent's
    answers become one document, a blank line apart. The respondent (``id_column``, else the row)
    becomes a participant; every other column becomes one of their attributes. The table's bytes
    are kept once, with the first document. ``deidentify`` lists identifiers for review in the
    same transaction, as :func:`~thematica.services.documents.import_files` does.
    """
    actor = actor or default_actor()
    limit = import_limit(max_bytes)
    name = str(path)
    data = read_limited(path, max_bytes=limit)
    table = read_response_table(data, name, text_column=text_column, id_column=id_column)
    groups = _documents_to_make(table.responses, path.stem, per)
    if not groups:
        raise InvalidInputError(f"no row has text in column {table.text_column!r}", file=name)
    digest = content_hash(data)
    with study_scope(db, study) as (uow, found):
        earlier = uow.documents.by_hash(found.id, digest)
        if earlier is not None:
            raise ConflictError(f"{path} was already imported (document {earlier.name!r} ...)")
        existing_names = uow.documents.names(found.id)
        for doc_name, rows in groups:
            if doc_name in existing_names:
                raise ConflictError(
                    f"{path}, line {rows[0].line}: a document named {doc_name!r} already exists"
                )
        participants = _respondents(uow, found, table.responses, actor)
        documents: list[Document] = []
        for done, (doc_name, rows) in enumerate(groups):
            progress(done, len(groups), doc_name)
            text, _ = canonicalize("\n\n".join(r.text.strip() for r in rows) + "\n")
            document = Document(
                DocumentId(new_guid()),
                found.id,
                doc_name,
                text,
                source_name=path.name,
                source_format=f"{path.suffix.lstrip('.').lower()}-responses",
                # The first document carries the table's hash, so a second import is caught.
                source_hash=digest if not documents else "",
                participant_id=participants[rows[0].respondent].id,
                created_at=utcnow(),
            )
            uow.documents.add(document)
            if not documents:
                uow.documents.keep_original(document.id, data)
            document_event(uow, found, actor, document)
            documents.append(document)
        review = put_up_for_review_if(deidentify, uow, found, documents, actor)
        progress(len(groups), len(groups), "saving")
        uow.commit()
    return ImportReport(tuple(documents), review_items=review)


def _respondents(
    uow: UnitOfWork, study: Study, responses: Sequence[Response], actor: str
) -> dict[str, Participant]:
    """Every respondent as a participant (added, or updated with the row's attributes).

    A respondent's rows are merged first, so a 10,000-row survey costs one write per person.
    """
    attributes: dict[str, dict[str, list[str]]] = {}
    for response in responses:  # every row gives attributes, blank answer or not
        merged = attributes.setdefault(response.respondent, {})
        for key, value in response.attributes.items():
            if value not in merged.setdefault(key, []):
                merged[key].append(value)
    known = {p.label for p in uow.participants.all(study.id)}
    people: dict[str, Participant] = {}
    for label, values in attributes.items():
        if label in known:
            people[label], _ = upsert_participant(uow, study, label, actor, attributes=values)
        else:
            people[label] = add_new_participant(uow, study, label, actor, attributes=values)
    return people


def _documents_to_make(
    responses: Sequence[Response], stem: str, per: Per
) -> list[tuple[str, list[Response]]]:
    answered = [r for r in responses if r.text.strip()]
    by_respondent: dict[str, list[Response]] = {}
    for response in answered:
        by_respondent.setdefault(response.respondent, []).append(response)
    if per == "respondent":
        return [(f"{stem} {who}", rows) for who, rows in by_respondent.items()]
    made: list[tuple[str, list[Response]]] = []
    for who, rows in by_respondent.items():
        for n, row in enumerate(rows, start=1):
            made.append((f"{stem} {who}" if len(rows) == 1 else f"{stem} {who} #{n}", [row]))
    made.sort(key=lambda item: item[1][0].line)
    return made
