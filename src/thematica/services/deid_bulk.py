"""Reviewing at scale: items grouped by string and type, decisions on a whole group in one
command, and items reshaped (two neighbours merged, one widened or narrowed).

Issue 11: 991 proposals for 10 interviews, one decision per command, took hours. Most proposals
repeat: a speaker label a hundred times, "PhD" fifty. A group is every item of one type whose
text has the same normal form (``Sarah``, ``sarah's``); one decision settles every item of a
string, every item of a type, or everything left in a document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from thematica.deid import EntityType, normal_form
from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.review import ItemStatus, ReviewItem
from thematica.domain.study import Study
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.deid_review import Items, decide_in
from thematica.services.documents import find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["decide_matching", "merge_items", "resize_item", "review_groups"]

_JOIN = frozenset(" \t-'’.")  # what may stand between two items that are one name


def _open_items(uow: UnitOfWork, items: Items, document: str | None) -> list[ReviewItem]:
    """Items of documents whose review is still open (optionally one document's)."""
    open_docs = {r.document_id for r in uow.deid.reviews(items.study.id) if not r.status.done}
    wanted = items.by_hex.values()
    if document is not None:
        doc = find_document(uow, items.study, document)
        if doc.id not in open_docs:
            raise ConflictError(f"document {doc.name!r} has no de-identification review open")
        return sorted((i for i in wanted if i.document_id == doc.id), key=lambda i: i.span.start)
    return sorted(
        (i for i in wanted if i.document_id in open_docs),
        key=lambda i: (str(i.document_id), i.span.start),
    )


def review_groups(
    db: Database, *, document: str | None = None, study: str | None = None
) -> list[dict[str, object]]:
    """The open review items grouped by type and string, largest group first: how many items,
    how many still pending, in how many documents, and one item's id to look at."""
    with study_scope(db, study) as (uow, found):
        items = Items(uow, found)
        groups: dict[tuple[str, str], list[ReviewItem]] = {}
        for item in _open_items(uow, items, document):
            key = (item.type, normal_form(item.surface, EntityType(item.type)))
            groups.setdefault(key, []).append(item)
        rows = [
            {
                "text": members[0].surface,
                "type": type_,
                "items": len(members),
                "pending": sum(1 for m in members if m.status is ItemStatus.PENDING),
                "accepted": sum(1 for m in members if m.status is ItemStatus.ACCEPTED),
                "rejected": sum(1 for m in members if m.status is ItemStatus.REJECTED),
                "documents": len({m.document_id for m in members}),
                "example": members[0].id.hex[:8],
            }
            for (type_, _normal), members in groups.items()
        ]
        return sorted(rows, key=lambda r: (-int(str(r["items"])), str(r["type"]), str(r["text"])))


def decide_matching(
    db: Database,
    decision: str,
    *,
    label: str | None = None,
    text: str | None = None,
    type_: str | None = None,
    document: str | None = None,
    include_decided: bool = False,
    study: str | None = None,
    actor: str | None = None,
) -> list[ReviewItem]:
    """Decide, in one transaction, every open item that matches: every occurrence of ``text``
    (its normal form, any type unless ``type_`` is given), every item of ``type_``, everything in
    ``document``, or any combination. Only pending items unless ``include_decided``."""
    if text is None and type_ is None and document is None:
        raise InvalidInputError("say which items: --text, --type and/or --document")
    actor = actor or default_actor()
    wanted_type = EntityType.parse(type_).value if type_ is not None else None
    with study_scope(db, study) as (uow, found):
        items = Items(uow, found)
        chosen = []
        for item in _open_items(uow, items, document):
            if not include_decided and item.status is not ItemStatus.PENDING:
                continue
            if wanted_type is not None and item.type != wanted_type:
                continue
            kind = EntityType(item.type)
            if text is not None and normal_form(item.surface, kind) != normal_form(text, kind):
                continue
            chosen.append(item)
        decided = decide_in(uow, found, items, [(i.id.hex, decision, label) for i in chosen], actor)
        uow.commit()
    return decided


def merge_items(
    db: Database,
    first: str,
    second: str,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> ReviewItem:
    """Merge two neighbouring items of one document ("Nguyen" + "Thi Lan") into the first,
    which then covers both and what lies between (spaces, a hyphen, an apostrophe)."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        items = Items(uow, found)
        a, doc = items.find(first)
        b, _ = items.find(second)
        if a.id == b.id:
            raise InvalidInputError("merge needs two different items")
        if a.document_id != b.document_id:
            raise InvalidInputError("only items of one document can be merged")
        left, right = sorted((a, b), key=lambda i: i.span.start)
        gap = doc.text[left.span.end : right.span.start]
        if left.span.end > right.span.start or len(gap) > 3 or not set(gap) <= _JOIN:
            raise ConflictError(
                f"items {a.id.hex[:8]} and {b.id.hex[:8]} are not neighbours "
                f"(between them: {gap[:20]!r}); widen one instead (`thematica deid resize`)"
            )
        span = Span(left.span.start, right.span.end)
        merged = _changed(uow, found, a, span, doc.text, actor)
        uow.deid.remove_item(b.id)
        record(uow, found, actor, EventKind.DEID_ITEM_CHANGED, b.id, before=snapshot(b))
        uow.commit()
    return merged


def resize_item(
    db: Database,
    reference: str,
    start: int,
    end: int,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> ReviewItem:
    """Widen or narrow an item to characters ``start`` to ``end`` (it must still overlap where
    it was, and no other item it does not already cover)."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        items = Items(uow, found)
        item, doc = items.find(reference)
        span = Span(start, end)
        span.check_within(len(doc.text), where=f"document {doc.name!r}")
        if not span.overlaps(item.span):
            raise InvalidInputError(
                f"[{start}, {end}) does not overlap item {item.id.hex[:8]} at "
                f"[{item.span.start}, {item.span.end}); add a new item instead"
            )
        others = _others(uow, item, span)
        if others:
            raise ConflictError(
                f"[{start}, {end}) overlaps item {others[0].id.hex[:8]}; merge them instead"
            )
        changed = _changed(uow, found, item, span, doc.text, actor)
        uow.commit()
    return changed


def _others(uow: UnitOfWork, item: ReviewItem, span: Span) -> Sequence[ReviewItem]:
    return [
        o
        for o in uow.deid.items(item.document_id)
        if o.id != item.id and o.status is not ItemStatus.REJECTED and o.span.overlaps(span)
    ]


def _changed(
    uow: UnitOfWork, found: Study, item: ReviewItem, span: Span, text: str, actor: str
) -> ReviewItem:
    after = replace(item, span=span, surface=span.of(text), decided_by=actor, decided_at=utcnow())
    uow.deid.update_item(after)
    record(
        uow,
        found,
        actor,
        EventKind.DEID_ITEM_CHANGED,
        after.id,
        before=snapshot(item),
        after=snapshot(after),
    )
    return after
