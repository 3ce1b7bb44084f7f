"""De-identification with a review step: detect, review, apply.

The flow for one document:

1. :func:`detect_identifiers` runs the detectors (``thematica.deid``) and fills the document's
   review list; the document's review is ``pending`` and it cannot be coded.
2. A reviewer decides each item (:func:`decide_item`: accept, reject, relabel) and adds what was
   missed (:func:`add_item`).
3. :func:`thematica.services.redaction.apply_deidentification` replaces the accepted
   identifiers with study-wide labels (the same person is ``[Person 3]`` in every transcript),
   moves the speaker turns, writes the redaction log, and clears the identifiers from the review
   items. It refuses while items are pending unless the review is explicitly waived, with who
   and why; then the pending items are replaced too (recorded as accepted by the waiver), never
   silently left in.

A document's text is immutable once coded, so a document with codings cannot be de-identified,
and the coding service refuses a document whose review is pending (:func:`ensure_codable`).

**Who may read the mapping.** There is no login system yet. The study's mapping (and its term
list, which holds identifiers too) has an *owner*: the person who first ran detection, or whom
the owner named. :func:`thematica.services.deid_mapping.read_mapping` serves it only when the
acting user's name is the owner's. The acting name comes from ``THEMATICA_USER``, the login
name, or the CLI's ``--as NAME``, so anyone who can set that name, or open the database file with
another tool, can read it: this guards against accidents, not against a determined colleague.
Keep the database where only the team can reach it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from thematica.deid import (
    Detection,
    EntityType,
    LabelBook,
    MappingEntry,
    ReplacementMap,
    detect,
)
from thematica.domain.events import EventKind, snapshot, utcnow
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
from thematica.services.documents import find_document
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "ApplyResult",
    "Decision",
    "DetectionSummary",
    "add_item",
    "decide_item",
    "detect_identifiers",
    "ensure_codable",
    "review_list",
]

#: Participant attributes whose values are real names, looked for as the study's own terms.
_NAME_ATTRIBUTES = frozenset({"name", "real_name", "full_name", "first_name", "surname"})
_CONTEXT = 40  # characters either side of an item shown to the reviewer


@dataclass(frozen=True)
class DetectionSummary:
    document: str
    found: int
    added: int
    owner: str


@dataclass(frozen=True)
class ApplyResult:
    document: str
    replaced: int
    waived: bool
    waived_items: int
    offsets: ReplacementMap
    text: str


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    RELABEL = "relabel"
    ALL = (ACCEPT, REJECT, RELABEL)


# -- detection ----------------------------------------------------------------------------------


def _study_terms(uow: UnitOfWork, study: Study) -> dict[str, EntityType]:
    """What the study knows to look for: its term list, names among participant attributes, and
    every identifier already in its mapping (so a name replaced in one transcript is found in
    the next, whatever the detectors make of it there)."""
    terms: dict[str, EntityType] = {}
    for (type_, normal), _number in uow.deid.mapping(study.id).items():
        if type_ in {
            t.value
            for t in (
                EntityType.PERSON,
                EntityType.PLACE,
                EntityType.ORGANISATION,
                EntityType.IDENTIFIER,
            )
        }:
            terms[normal] = EntityType(type_)
    for participant in uow.participants.all(study.id):
        for name, values in participant.attributes.items():
            if name.strip().casefold() in _NAME_ATTRIBUTES:
                for value in values:
                    for part in value.split():
                        if len(part) > 1:
                            terms[part] = EntityType.PERSON
    for term, type_ in uow.deid.terms(study.id).items():
        terms[term] = EntityType(type_)
    return terms


def refuse_coded(uow: UnitOfWork, document: Document, doing: str) -> None:
    count = uow.deid.coding_count(document.id)
    if count:
        raise ConflictError(
            f"document {document.name!r} already has {count} coding(s); its text is fixed once "
            f"coded, so it cannot be {doing}. De-identify documents before anyone codes them."
        )


def _ensure_owner(uow: UnitOfWork, study: Study, actor: str, now: datetime) -> str:
    owner = uow.deid.owner(study.id)
    if owner is None:
        uow.deid.set_owner(study.id, actor, actor, now)
        record(uow, study, actor, EventKind.DEID_OWNER_SET, study.id, after={"owner": actor})
        owner = actor
    return owner


def pending_review(uow: UnitOfWork, document: Document) -> DocumentReview:
    review = uow.deid.review(document.id)
    if review is None:
        raise ConflictError(
            f"document {document.name!r} has no de-identification review; "
            f"run `thematica deid {document.name}` first"
        )
    if review.status.done:
        raise ConflictError(
            f"document {document.name!r} was already de-identified ({review.status.value} by "
            f"{review.finished_by})"
        )
    return review


def detect_identifiers(
    db: Database,
    documents: Sequence[str] | None = None,
    *,
    study: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[DetectionSummary]:
    """Detect identifiers in ``documents`` (names; ``None`` for every document not yet
    de-identified) and put them on each one's review list. All or nothing.

    Running it again on a pending review adds only detections that overlap no item already
    listed, so decisions made are kept. The first to run it becomes the mapping's owner.
    """
    actor = actor or default_actor()
    summaries: list[DetectionSummary] = []
    with study_scope(db, study) as (uow, found):
        now = utcnow()
        owner = _ensure_owner(uow, found, actor, now)
        if documents is None:
            done = {r.document_id for r in uow.deid.reviews(found.id) if r.status.done}
            targets = [d for d in uow.documents.all(found.id) if d.id not in done]
        else:
            targets = [find_document(uow, found, name) for name in documents]
        terms = _study_terms(uow, found)
        for i, document in enumerate(targets):
            progress(i, len(targets), document.name)
            refuse_coded(uow, document, "de-identified")
            review = uow.deid.review(document.id)
            if review is not None and review.status.done:
                raise ConflictError(f"document {document.name!r} was already de-identified")
            existing = [it for it in uow.deid.items(document.id)]
            detections = detect(document.text, terms=terms)
            new = [
                _item(found, document, d, now)
                for d in detections
                if not any(d.span.overlaps(it.span) for it in existing)
            ]
            uow.deid.add_items(new)
            if review is None:
                uow.deid.save_review(
                    DocumentReview(document.id, found.id, ReviewStatus.PENDING, actor, now)
                )
            record(
                uow,
                found,
                actor,
                EventKind.DEID_DETECTED,
                document.id,
                after={
                    "document": document.name,
                    "found": len(detections),
                    "added": len(new),
                    "by_type": count_types(i.type for i in new),
                },
            )
            summaries.append(DetectionSummary(document.name, len(detections), len(new), owner))
        progress(len(targets), len(targets), "saving")
        uow.commit()
    return summaries


def _item(study: Study, document: Document, d: Detection, now: datetime) -> ReviewItem:
    return ReviewItem(
        ReviewItemId(uuid.uuid4()),
        study.id,
        document.id,
        d.span,
        d.type.value,
        d.type.value,
        d.text,
        d.detector,
        d.score,
        ItemStatus.PENDING,
        now,
    )


def count_types(types: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in types:
        counts[t] = counts.get(t, 0) + 1
    return dict(sorted(counts.items()))


# -- the review list -----------------------------------------------------------------------------


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


def label_book(uow: UnitOfWork, study: Study) -> LabelBook:
    return LabelBook(
        {
            (EntityType(t), n): MappingEntry(EntityType(t), n, number)
            for (t, n), number in uow.deid.mapping(study.id).items()
        }
    )


def _find_item(uow: UnitOfWork, study: Study, reference: str) -> tuple[ReviewItem, Document]:
    """An item by its id or a unique prefix of it (at least four characters)."""
    ref = reference.strip().lower().replace("-", "")
    if len(ref) < 4:
        raise InvalidInputError(f"item {reference!r}: give at least four characters of its id")
    candidates: list[ReviewItem] = []
    for review in uow.deid.reviews(study.id):
        candidates += [i for i in uow.deid.items(review.document_id) if i.id.hex.startswith(ref)]
    if not candidates:
        raise NotFoundError(f"no review item with id {reference!r}")
    if len(candidates) > 1:
        raise InvalidInputError(f"item {reference!r} is ambiguous: give more of its id")
    item = candidates[0]
    document = uow.documents.get(item.document_id)
    assert document is not None
    return item, document


def decide_item(
    db: Database,
    item: str,
    decision: str,
    *,
    label: str | None = None,
    study: str | None = None,
    actor: str | None = None,
) -> ReviewItem:
    """Accept, reject or relabel (``label``: the new type) one review item."""
    actor = actor or default_actor()
    if decision not in Decision.ALL:
        raise InvalidInputError(f"unknown decision {decision!r} (accept, reject or relabel)")
    if decision == Decision.RELABEL and not label:
        raise InvalidInputError("relabel needs the new type, e.g. `relabel PLACE`")
    with study_scope(db, study) as (uow, found):
        before, document = _find_item(uow, found, item)
        pending_review(uow, document)
        status = ItemStatus.REJECTED if decision == Decision.REJECT else ItemStatus.ACCEPTED
        type_ = (
            EntityType.parse(label).value if decision == Decision.RELABEL and label else before.type
        )
        after = replace(before, status=status, type=type_, decided_by=actor, decided_at=utcnow())
        uow.deid.update_item(after)
        record(
            uow,
            found,
            actor,
            EventKind.DEID_ITEM_DECIDED,
            after.id,
            before=snapshot(before),
            after=snapshot(after),
        )
        uow.commit()
    return after


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
            _ensure_owner(uow, found, actor, now)
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


def ensure_codable(uow: UnitOfWork, document: Document) -> None:
    """Refuse to code a document whose de-identification review is pending."""
    review = uow.deid.review(document.id)
    if review is not None and not review.status.done:
        raise ConflictError(
            f"document {document.name!r} has a de-identification review pending; finish it "
            f"(`thematica deid review {document.name}`, then `thematica deid apply "
            f"{document.name}`) or waive it (`thematica deid apply {document.name} --waive "
            f"--reason ...`) before coding"
        )
