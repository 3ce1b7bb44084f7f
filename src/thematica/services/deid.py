"""De-identification with a review step: detect, review, apply.

The flow for one document:

1. :func:`detect_identifiers` runs the detectors (``thematica.deid``) and fills the document's
   review list; the document's review is ``pending`` and it cannot be coded.
2. A reviewer decides each item (:mod:`thematica.services.deid_review`: accept, reject,
   relabel) and adds what was missed.
3. :func:`thematica.services.redaction.apply_deidentification` replaces the accepted
   identifiers with study-wide labels (the same person is ``[Person 3]`` in every transcript),
   moves the speaker turns, writes the redaction log, and clears the identifiers from the review
   items. It refuses while items are pending unless the review is explicitly waived, with who
   and why; a waiver means "leave the text as it is": the pending items stay in the text,
   recorded as rejected by the waiver (accepted ones are replaced).
4. A name missed before applying is redacted afterwards with
   :func:`thematica.services.deid_corrections.redact_after_apply`, coded or not: the codings'
   spans move with the text, each move recorded as an event.

A document's text is immutable once coded, so a document with codings cannot be de-identified
(only corrected, step 4), and the coding service refuses a document whose review is pending
(:func:`ensure_codable`).

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
from dataclasses import dataclass
from datetime import datetime

from thematica.deid import (
    NAMED_TYPES,
    Detection,
    EntityType,
    LabelBook,
    MappingEntry,
    ReplacementMap,
    detect,
)
from thematica.deid.gazetteer import packaged_gazetteer
from thematica.deid.knowledge import StudyKnowledge
from thematica.domain.events import EventKind, utcnow
from thematica.domain.identifying import is_name_attribute
from thematica.domain.review import (
    DocumentReview,
    ItemStatus,
    ReviewItem,
    ReviewItemId,
    ReviewStatus,
)
from thematica.domain.study import Document, Study
from thematica.errors import ConflictError
from thematica.interchange.speaker_labels import split_label
from thematica.services.documents import find_document
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "ApplyResult",
    "Decision",
    "DetectionSummary",
    "detect_identifiers",
    "ensure_codable",
    "put_up_for_review",
]


@dataclass(frozen=True)
class DetectionSummary:
    document: str
    found: int
    added: int
    owner: str
    skipped: str = ""  # with every document (--all): why this one was left alone


@dataclass(frozen=True)
class ApplyResult:
    document: str
    replaced: int
    waived: bool
    waived_items: int
    offsets: ReplacementMap
    text: str
    #: whether a SQLite write-ahead log holding the original was emptied (False: another
    #: connection was reading; it is emptied when no one is)
    log_emptied: bool = True
    #: upgrade backups Thematica made earlier, which still hold the original text
    backups: tuple[str, ...] = ()
    #: whether the document's own name holds an identifier just replaced (rename it)
    name_holds_identifier: bool = False


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    RELABEL = "relabel"
    ALL = (ACCEPT, REJECT, RELABEL)


# -- detection ----------------------------------------------------------------------------------


def _sheet_names(uow: UnitOfWork, study: Study) -> tuple[str, ...]:
    """Names on the participant sheet: real names, pseudonyms, interviewers."""
    names: list[str] = []
    for participant in uow.participants.all(study.id):
        for name, values in participant.attributes.items():
            if is_name_attribute(name):
                names.extend(v for v in values if v.strip())
    return tuple(names)


def _knowledge(document: Document, sheet: tuple[str, ...]) -> StudyKnowledge:
    """What the study knows about the people in ``document``: the sheet's names, the document's
    speaker labels, its name and the name of the file it came from.

    Labels are taken from the turns and also from every line that opens with ``Name:``: import
    counts a label as a turn only when it recurs, but a person who speaks once is still named."""
    labelled = (split_label(line) for line in document.text.splitlines())
    return StudyKnowledge(
        people=sheet,
        speakers=tuple(
            dict.fromkeys(
                [*(t.speaker for t in document.turns), *(lab[0] for lab in labelled if lab)]
            )
        ),
        file_names=tuple(n for n in (document.name, document.source_name) if n),
    )


def _study_terms(uow: UnitOfWork, study: Study) -> dict[str, EntityType]:
    """What the study knows to look for: its term list and every name already in its mapping
    (so a name replaced in one transcript is found in the next, whatever the detectors make of
    it there). Mapped names that are also everyday words ("Hope", "Will") are left to the
    detectors: as terms they would match the word everywhere."""
    gazetteer = packaged_gazetteer()
    words = gazetteer.common_words | gazetteer.ambiguous_forenames | gazetteer.ambiguous_places
    terms: dict[str, EntityType] = {}
    for (type_, normal), _number in uow.deid.mapping(study.id).items():
        if type_ in NAMED_TYPES and normal not in words:
            terms[normal] = EntityType(type_)
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


def ensure_owner(uow: UnitOfWork, study: Study, actor: str, now: datetime) -> str:
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
            f"{review.finished_by}); to redact something missed, use `thematica deid redact "
            f"{document.name} TYPE START END` (or --text TEXT)"
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
    de-identified, skipping, and saying so, those already coded) and put them on each one's
    review list. All or nothing.

    Running it again on a pending review adds only detections that overlap no item already
    listed, so decisions made are kept. The first to run it becomes the mapping's owner.
    """
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        if documents is None:
            done = {r.document_id for r in uow.deid.reviews(found.id) if r.status.done}
            targets = [d for d in uow.documents.all(found.id) if d.id not in done]
        else:
            targets = [find_document(uow, found, name) for name in documents]
        summaries = put_up_for_review(
            uow, found, targets, actor=actor, skip_coded=documents is None, progress=progress
        )
        uow.commit()
    return summaries


def put_up_for_review(
    uow: UnitOfWork,
    found: Study,
    targets: Sequence[Document],
    *,
    actor: str,
    skip_coded: bool = False,
    progress: Progress = NO_PROGRESS,
) -> list[DetectionSummary]:
    """Detect identifiers in ``targets`` and list them for review, inside the caller's unit of
    work (an import calls it before committing, so a new document is never codable unreviewed).
    """
    summaries: list[DetectionSummary] = []
    now = utcnow()
    owner = ensure_owner(uow, found, actor, now)
    terms = _study_terms(uow, found)
    sheet = _sheet_names(uow, found)
    for i, document in enumerate(targets):
        progress(i, len(targets), document.name)
        if skip_coded and uow.deid.coding_count(document.id):
            why = "already coded: its text is fixed"
            summaries.append(DetectionSummary(document.name, 0, 0, owner, why))
            continue
        refuse_coded(uow, document, "de-identified")
        review = uow.deid.review(document.id)
        if review is not None and review.status.done:
            raise ConflictError(f"document {document.name!r} was already de-identified")
        existing = uow.deid.items(document.id)
        detections = detect(document.text, terms=terms, known=_knowledge(document, sheet))
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


def label_book(uow: UnitOfWork, study: Study) -> LabelBook:
    return LabelBook(
        {
            (EntityType(t), n): MappingEntry(EntityType(t), n, number)
            for (t, n), number in uow.deid.mapping(study.id).items()
        }
    )


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
