"""The review list: what was detected in a document, and a reviewer's decisions on it.

See :mod:`thematica.services.deid` for the whole flow. Items are named by their id or a unique
prefix of it (the CLI shows the first eight characters).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from thematica.deid import EntityType
from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.ids import DocumentId
from thematica.domain.review import (
    DocumentReview,
    ItemStatus,
    ReviewItem,
    ReviewItemId,
    ReviewStatus,
)
from thematica.domain.study import Document, Study
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.deid import (
    Decision,
    ensure_owner,
    label_book,
    pending_review,
    refuse_coded,
)
from thematica.services.documents import find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "Items",
    "add_item",
    "decide_in",
    "decide_item",
    "decide_items",
    "review_list",
    "review_overview",
]

_CONTEXT = 40  # characters either side of an item shown to the reviewer


def review_list(
    db: Database, document: str, *, study: str | None = None
) -> list[dict[str, object]]:
    """The document's review items in text order, with the passage around each and, for items
    not rejected, the label it would get."""
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        review = uow.deid.review(doc.id)
        book = label_book(uow, found)
        rows: list[dict[str, object]] = []
        for item in uow.deid.items(doc.id):
            label = ""
            if item.status is not ItemStatus.REJECTED and item.surface:
                label = book.label(item.surface, EntityType(item.type))
            start, end = item.span.start, item.span.end
            rows.append(
                {
                    "item": str(item.id),
                    "start": start,
                    "end": end,
                    "type": item.type,
                    "text": item.surface,
                    "context": doc.text[max(0, start - _CONTEXT) : end + _CONTEXT]
                    if review is not None and not review.status.done
                    else "",
                    "detector": item.detector,
                    "score": round(item.score, 2),
                    "status": item.status.value,
                    "label": label,
                    "decided_by": item.decided_by,
                }
            )
        return rows


class Items:
    """The study's review items by id, loaded once per transaction; found by id or prefix."""

    def __init__(self, uow: UnitOfWork, study: Study) -> None:
        self.uow = uow
        self.study = study
        self.by_hex = {item.id.hex: item for item in uow.deid.study_items(study.id)}
        self.documents: dict[DocumentId, Document] = {}

    def find(self, reference: str) -> tuple[ReviewItem, Document]:
        ref = reference.strip().lower().replace("-", "")
        if len(ref) < 4:
            raise InvalidInputError(f"item {reference!r}: give at least four characters of its id")
        item = self.by_hex.get(ref)
        if item is None:
            matches = [i for h, i in self.by_hex.items() if h.startswith(ref)]
            if not matches:
                raise NotFoundError(f"no review item with id {reference!r}")
            if len(matches) > 1:
                raise InvalidInputError(f"item {reference!r} is ambiguous: give more of its id")
            item = matches[0]
        if item.document_id not in self.documents:
            document = self.uow.documents.get(item.document_id)
            assert document is not None
            pending_review(self.uow, document)
            self.documents[item.document_id] = document
        return item, self.documents[item.document_id]


def decide_item(
    db: Database,
    item: str,
    decision: str,
    *,
    label: str | None = None,
    study: str | None = None,
    actor: str | None = None,
) -> ReviewItem:
    """Accept, reject or relabel (``label``: the new type) one review item, named by its id or
    a unique prefix of it."""
    return decide_items(db, [(item, decision, label)], study=study, actor=actor)[0]


def decide_items(
    db: Database,
    decisions: Sequence[tuple[str, str, str | None]],
    *,
    study: str | None = None,
    actor: str | None = None,
) -> list[ReviewItem]:
    """Many decisions ``(item, decision, label)`` in one transaction, all or nothing."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        decided = decide_in(uow, found, Items(uow, found), decisions, actor)
        uow.commit()
    return decided


def decide_in(
    uow: UnitOfWork,
    found: Study,
    items: Items,
    decisions: Sequence[tuple[str, str, str | None]],
    actor: str,
) -> list[ReviewItem]:
    """The decisions made inside the caller's unit of work, each recorded as an event."""
    decided: list[ReviewItem] = []
    now = utcnow()
    for reference, decision, label in decisions:
        if decision not in Decision.ALL:
            raise InvalidInputError(f"unknown decision {decision!r} (accept, reject or relabel)")
        if decision == Decision.RELABEL and not label:
            raise InvalidInputError("relabel needs the new type, e.g. `relabel PLACE`")
        before, _document = items.find(reference)
        status = ItemStatus.REJECTED if decision == Decision.REJECT else ItemStatus.ACCEPTED
        type_ = EntityType.parse(label).value if decision == Decision.RELABEL and label else None
        after = replace(
            before, status=status, type=type_ or before.type, decided_by=actor, decided_at=now
        )
        uow.deid.update_item(after)
        items.by_hex[after.id.hex] = after
        record(
            uow,
            found,
            actor,
            EventKind.DEID_ITEM_DECIDED,
            after.id,
            before=snapshot(before),
            after=snapshot(after),
        )
        decided.append(after)
    return decided


def add_item(
    db: Database,
    document: str,
    start: int,
    end: int,
    label: str,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> ReviewItem:
    """Add an identifier the detectors missed (accepted as the reviewer adds it)."""
    actor = actor or default_actor()
    type_ = EntityType.parse(label)
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        span = Span(start, end)
        span.check_within(len(doc.text), where=f"document {doc.name!r}")
        refuse_coded(uow, doc, "de-identified")
        now = utcnow()
        review = uow.deid.review(doc.id)
        if review is None:
            ensure_owner(uow, found, actor, now)
            uow.deid.save_review(DocumentReview(doc.id, found.id, ReviewStatus.PENDING, actor, now))
        else:
            pending_review(uow, doc)
        for other in uow.deid.items(doc.id):
            if other.status is not ItemStatus.REJECTED and other.span.overlaps(span):
                raise ConflictError(
                    f"document {doc.name!r}: span [{start}, {end}) overlaps item "
                    f"{other.id.hex[:8]} at [{other.span.start}, {other.span.end}); "
                    "reject or relabel that one instead"
                )
        item = ReviewItem(
            ReviewItemId(uuid.uuid4()),
            found.id,
            doc.id,
            span,
            type_.value,
            type_.value,
            span.of(doc.text),
            "reviewer",
            1.0,
            ItemStatus.ACCEPTED,
            now,
            actor,
            now,
        )
        uow.deid.add_items([item])
        record(uow, found, actor, EventKind.DEID_ITEM_ADDED, item.id, after=snapshot(item))
        uow.commit()
    return item


def review_overview(db: Database, *, study: str | None = None) -> list[dict[str, object]]:
    """Every document with its de-identification state: ``none`` (never detected), ``pending``
    (with how many items wait for a decision), ``applied`` or ``waived``; and whether it may be
    coded now."""
    with study_scope(db, study) as (uow, found):
        reviews = {r.document_id: r for r in uow.deid.reviews(found.id)}
        pending = uow.deid.pending_counts(found.id)
        rows: list[dict[str, object]] = []
        for document in uow.documents.all(found.id):
            review = reviews.get(document.id)
            rows.append(
                {
                    "document": document.name,
                    "status": review.status.value if review else "none",
                    "pending_items": pending.get(document.id, 0),
                    "codable": review is None or review.status.done,
                    "finished_by": review.finished_by if review else "",
                    "reason": review.waiver_reason if review else "",
                }
            )
        return rows
