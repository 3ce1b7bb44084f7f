"""A study as plain, comparable values: what a round trip through another tool must preserve."""

from __future__ import annotations

from typing import Any

from thematica.domain.memos import MemoTarget
from thematica.services.scope import study_scope
from thematica.storage import Database


def picture(db: Database, study: str | None = None) -> dict[str, Any]:
    """Texts, codes, coders, codings (by span, code path and coder), memos, participants and
    their attributes, and sets, each keyed by names rather than ids where ids are not kept."""
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        documents = {d.id: d for d in uow.documents.all(found.id)}
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        people = uow.participants.all(found.id)
        labels = {p.id: p.label for p in people}
        codings = uow.codings.all(found.id)
        by_coding = {c.id: c for c in codings}

        def about(kind: MemoTarget, target: Any) -> str:
            if kind is MemoTarget.STUDY:
                return "study"
            if kind is MemoTarget.DOCUMENT:
                return documents[target].name
            if kind is MemoTarget.CODE:
                return book.path_text(target)
            coding = by_coding[target]
            return f"{documents[coding.document_id].name}@{coding.span.start}"

        return {
            "texts": {d.name: d.text for d in documents.values()},
            "document_participants": {
                d.name: labels.get(d.participant_id) if d.participant_id else None
                for d in documents.values()
            },
            "codes": {
                book.path_text(c.id): (
                    c.definition,
                    c.inclusion,
                    c.exclusion,
                    c.example,
                    c.colour.lower(),
                    c.position,
                )
                for c in book
            },
            "coders": sorted(coders.values()),
            "codings": sorted(
                (
                    documents[c.document_id].name,
                    c.span.start,
                    c.span.end,
                    book.path_text(c.code_id),
                    coders[c.coder_id],
                    c.valence.value if c.valence else "",
                    c.memo,
                    c.span.of(documents[c.document_id].text),
                )
                for c in codings
            ),
            "memos": sorted(
                (about(m.target, m.target_id), coders[m.author_id], m.title, m.text)
                for m in uow.memos.all(found.id)
            ),
            "participants": {
                p.label: (p.pseudonym, {k: list(v) for k, v in p.attributes.items()})
                for p in people
            },
            "sets": sorted(
                (
                    s.name,
                    s.description,
                    sorted(documents[d].name for d in s.document_ids),
                    sorted(book.path_text(c) for c in s.code_ids),
                )
                for s in uow.sets.all(found.id)
            ),
        }
