"""Applying a finished (or waived) de-identification review, and the redaction log.

See :mod:`thematica.services.deid` for the whole flow. Replacing is done once per document: the
accepted identifiers become study-wide labels, the speaker turns move with the text (and a
turn's speaker becomes what its label in the text became: "Krzysztof:" replaced by
"[Person 1]:" makes the speaker "[Person 1]"), the original file kept beside the document and
that file's name are dropped because they still hold the identifiers, and the review items lose
their surface text, so that the study's mapping (owner only) is the one place the identifiers
remain. After the commit a SQLite file's write-ahead log is emptied into the file (where
``secure_delete`` zeroes the freed pages), and Thematica's older upgrade backups, which still
hold the originals, are named so that someone deletes them.

A waiver means "leave the text as it is": items still pending are left in the text (recorded as
rejected by the waiver); items a reviewer accepted are replaced all the same.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace

from thematica.deid import EntityType, Replacement, ReplacementMap, apply_replacements, normal_form
from thematica.domain.events import EventKind, utcnow
from thematica.domain.review import ItemStatus, Redaction, ReviewItem, ReviewStatus
from thematica.domain.study import Document, Turn
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.deid import (
    ApplyResult,
    count_types,
    label_book,
    pending_review,
    refuse_coded,
)
from thematica.services.documents import find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["apply_deidentification", "moved_turns", "redaction_log", "scrub"]


def moved_turns(
    document: Document,
    text: str,
    offsets: ReplacementMap,
    replaced: Sequence[tuple[ReviewItem, Replacement]],
) -> tuple[Turn, ...]:
    """The document's turns moved onto the new ``text``. A turn whose speaker label stands at its
    start takes what the label became in the text; otherwise a speaker whose whole name was
    replaced takes that name's label."""
    by_name = {
        normal_form(i.surface, EntityType.PERSON): r.text
        for i, r in replaced
        if i.type == EntityType.PERSON.value and i.surface
    }
    turns: list[Turn] = []
    for t in document.turns:
        span = offsets.span(t.span)
        at = document.text.find(t.speaker, t.span.start, t.span.start + len(t.speaker) + 40)
        touched = at >= 0 and any(
            i.span.start < at + len(t.speaker) and at < i.span.end for i, _r in replaced
        )
        if touched:
            speaker = text[offsets.offset(at) : offsets.offset(at + len(t.speaker), side="end")]
        else:
            speaker = by_name.get(normal_form(t.speaker, EntityType.PERSON), t.speaker)
        turns.append(replace(t, span=span, speaker=speaker.strip() or t.speaker))
    return tuple(turns)


def scrub(db: Database) -> tuple[bool, tuple[str, ...]]:
    """After a commit that replaced text: empty the write-ahead log into the file, and name the
    backups Thematica made earlier, which still hold the original text.
    Returns ``(log emptied, backups)``."""
    return db.checkpoint(), tuple(str(p) for p in db.backups())


def apply_deidentification(
    db: Database,
    document: str,
    *,
    study: str | None = None,
    actor: str | None = None,
    waive: bool = False,
    reason: str | None = None,
) -> ApplyResult:
    """Replace the document's accepted identifiers; see the module docstring.

    With items still pending this refuses, unless ``waive`` is given with a ``reason``: then the
    pending items are left in the text as they are, recorded as rejected by the waiver of
    ``actor``, and the accepted ones are replaced.
    """
    actor = actor or default_actor()
    if waive and not (reason or "").strip():
        raise InvalidInputError("waiving a review needs a reason (--reason)")
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        review = pending_review(uow, doc)
        refuse_coded(uow, doc, "de-identified")
        now = utcnow()
        items = uow.deid.items(doc.id)
        pending = [i for i in items if i.status is ItemStatus.PENDING]
        if pending and not waive:
            raise ConflictError(
                f"document {doc.name!r}: {len(pending)} review item(s) still pending; decide "
                f"them (`thematica deid review {doc.name}`) or waive the review "
                "(--waive --reason ...)"
            )
        for item in pending:  # a waiver leaves them in the text
            decided = replace(item, status=ItemStatus.REJECTED, decided_by=actor, decided_at=now)
            uow.deid.update_item(decided)
        accepted = [i for i in items if i.status is ItemStatus.ACCEPTED]
        book = label_book(uow, found)
        replacements = [
            Replacement(i.span, book.label(i.surface, EntityType(i.type))) for i in accepted
        ]
        text, offsets = apply_replacements(doc.text, replacements)
        turns = moved_turns(doc, text, offsets, list(zip(accepted, replacements, strict=True)))
        replace(doc, text=text, turns=turns)  # checks the invariants before anything is written
        uow.deid.add_mapping(
            found.id, [(e.type.value, e.normal, e.number) for e in book.added], actor, now
        )
        dropped = uow.deid.replace_text(doc.id, text, turns)
        ordered = sorted(zip(accepted, replacements, strict=True), key=lambda p: p[0].span.start)
        uow.deid.add_redactions(
            [
                Redaction(
                    uuid.uuid4(),
                    found.id,
                    doc.id,
                    i.id,
                    i.type,
                    r.text,
                    i.span,
                    new_span,
                    actor,
                    now,
                    False,
                )
                for (i, r), new_span in zip(ordered, offsets.new_spans(), strict=True)
            ]
        )
        uow.deid.forget_surfaces(doc.id)
        status = ReviewStatus.WAIVED if waive else ReviewStatus.APPLIED
        uow.deid.save_review(
            replace(
                review,
                status=status,
                finished_by=actor,
                finished_at=now,
                waiver_reason=(reason or "").strip() if waive else "",
            )
        )
        record(
            uow,
            found,
            actor,
            EventKind.DEID_WAIVED if waive else EventKind.DEID_APPLIED,
            doc.id,
            before={"characters": len(doc.text)},
            after={
                "document": doc.name,
                "characters": len(text),
                "replaced": len(replacements),
                "by_type": count_types([i.type for i in accepted]),
                "rejected": len(items) - len(accepted),
                "waived_items": len(pending) if waive else 0,
                "left_in_text_by_waiver": len(pending) if waive else 0,
                "reason": (reason or "").strip() if waive else "",
                "original_file_dropped": dropped,
            },
        )
        uow.commit()
    named = _holds_identifier(doc.name, [i.surface for i in accepted])
    log_emptied, backups = scrub(db)
    return ApplyResult(
        doc.name,
        len(replacements),
        waive,
        len(pending) if waive else 0,
        offsets,
        text,
        log_emptied,
        backups,
        named,
    )


def _holds_identifier(name: str, surfaces: Sequence[str]) -> bool:
    """Whether a document name ("PSW07_Ngozi") holds one of the identifiers replaced."""
    words = {w.casefold() for w in re.split(r"[\W_\d]+", name) if len(w) > 1}
    return any(w.casefold() in words for surface in surfaces for w in surface.split() if len(w) > 1)


def redaction_log(
    db: Database, *, study: str | None = None, document: str | None = None
) -> list[dict[str, object]]:
    """Every replacement made: document, where (before and after), type, label, who, when.
    It never holds the identifiers themselves, so any member of the team may read it."""
    with study_scope(db, study) as (uow, found):
        names = {d.id: d.name for d in uow.documents.all(found.id)}
        doc_id = find_document(uow, found, document).id if document else None
        reviews = {r.document_id: r for r in uow.deid.reviews(found.id)}
        return [
            {
                "document": names.get(r.document_id, str(r.document_id)),
                "type": r.type,
                "label": r.label,
                "original_start": r.original.start,
                "original_end": r.original.end,
                "start": r.replaced.start,
                "end": r.replaced.end,
                "by": r.applied_by,
                "at": r.applied_at.isoformat(),
                "waived": r.waived,
                "reason": reviews[r.document_id].waiver_reason if r.document_id in reviews else "",
            }
            for r in uow.deid.redactions(found.id, doc_id)
        ]
