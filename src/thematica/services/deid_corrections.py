"""Corrections after de-identification: a name missed before ``deid apply`` is redacted later.

Issue 11: a name found after applying could never be redacted ("already de-identified"). A
correction replaces it in the text of a document already applied or waived, coded or not: this is
the one change a coded text may take, because leaving a name in is worse than moving spans. The
codings, consensus resolutions and logged redactions move with the text (a coding that covered
the name covers its label), each coding's move recorded as a ``coding.changed`` event; the turns
move, and a speaker label that held the name takes the label. The event and the log never carry
the identifier.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace

from thematica.deid import EntityType, Replacement, apply_replacements
from thematica.deid.markers import marker_spans
from thematica.domain.events import EventKind, utcnow
from thematica.domain.review import ItemStatus, Redaction, ReviewItem, ReviewItemId
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.deid import label_book
from thematica.services.documents import find_document
from thematica.services.redaction import moved_turns, scrub
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["Correction", "redact_after_apply"]


@dataclass(frozen=True)
class Correction:
    document: str
    label: str
    replaced: int
    codings_moved: int
    log_emptied: bool
    backups: tuple[str, ...]


def _occurrences(text: str, surface: str) -> list[Span]:
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", re.IGNORECASE)
    return [Span(*m.span()) for m in pattern.finditer(text)]


def redact_after_apply(
    db: Database,
    document: str,
    label: str,
    *,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    study: str | None = None,
    actor: str | None = None,
) -> Correction:
    """Replace characters ``start`` to ``end`` of an already de-identified ``document`` (or
    every whole-word occurrence of ``text`` in it) with the study-wide label of type ``label``.
    """
    actor = actor or default_actor()
    type_ = EntityType.parse(label)
    if (text is None) == (start is None or end is None):
        raise InvalidInputError("give either START and END, or --text")
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        review = uow.deid.review(doc.id)
        if review is None or not review.status.done:
            raise ConflictError(
                f"document {doc.name!r} is not de-identified yet; add the item to its review "
                f"instead (`thematica deid add {doc.name} START END TYPE`)"
            )
        if text is not None:
            if not text.strip():
                raise InvalidInputError("--text cannot be blank")
            spans = _occurrences(doc.text, text.strip())
            if not spans:
                raise InvalidInputError(f"document {doc.name!r}: {text!r} does not occur in it")
        else:
            assert start is not None and end is not None
            span = Span(start, end)
            span.check_within(len(doc.text), where=f"document {doc.name!r}")
            spans = [span]
        markers = marker_spans(doc.text)
        spans = [s for s in spans if not any(s.start < e and b < s.end for b, e in markers)]
        if not spans:
            raise ConflictError(
                f"document {doc.name!r}: that passage is (inside) a label or redaction marker "
                "already"
            )
        surface = spans[0].of(doc.text)
        book = label_book(uow, found)
        new_label = book.label(surface, type_)
        now = utcnow()
        items = [
            ReviewItem(
                ReviewItemId(uuid.uuid4()),
                found.id,
                doc.id,
                s,
                type_.value,
                type_.value,
                s.of(doc.text),
                "reviewer",
                1.0,
                ItemStatus.ACCEPTED,
                now,
                actor,
                now,
            )
            for s in spans
        ]
        replacements = [Replacement(s, new_label) for s in spans]
        new_text, offsets = apply_replacements(doc.text, replacements)
        turns = moved_turns(doc, new_text, offsets, list(zip(items, replacements, strict=True)))
        replace(doc, text=new_text, turns=turns)  # checks the invariants before anything is written
        uow.deid.add_mapping(
            found.id, [(e.type.value, e.normal, e.number) for e in book.added], actor, now
        )

        def move(old_start: int, old_end: int) -> tuple[int, int]:
            moved = offsets.span(Span(old_start, old_end))
            return moved.start, moved.end

        codings = uow.deid.move_spans(doc.id, move)
        uow.deid.replace_text(doc.id, new_text, turns)
        uow.deid.add_items([replace(i, surface="") for i in items])
        uow.deid.add_redactions(
            [
                Redaction(
                    uuid.uuid4(), found.id, doc.id, i.id, i.type, new_label, i.span, s, actor, now
                )
                for i, s in zip(items, offsets.new_spans(), strict=True)
            ]
        )
        for coding_id, (old_s, old_e), (new_s, new_e) in codings:
            record(
                uow,
                found,
                actor,
                EventKind.CODING_CHANGED,
                coding_id,
                before={"span": [old_s, old_e]},
                after={"span": [new_s, new_e], "why": "de-identification correction"},
            )
        record(
            uow,
            found,
            actor,
            EventKind.DEID_CORRECTED,
            doc.id,
            before={"characters": len(doc.text)},
            after={
                "document": doc.name,
                "characters": len(new_text),
                "type": type_.value,
                "label": new_label,
                "replaced": len(spans),
                "codings_moved": len(codings),
            },
        )
        uow.commit()
    log_emptied, backups = scrub(db)
    return Correction(doc.name, new_label, len(spans), len(codings), log_emptied, backups)
