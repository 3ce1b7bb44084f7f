"""Memos: the project journal and notes on documents, codes and codings."""

from __future__ import annotations

import uuid

from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.ids import CodingId, MemoId, new_guid
from thematica.domain.memos import Memo, MemoTarget
from thematica.errors import InvalidInputError
from thematica.services.coding import ensure_coder, find_coding
from thematica.services.documents import find_document
from thematica.services.scope import record, study_scope
from thematica.storage import Database

__all__ = ["list_memos", "write_memo"]


def write_memo(
    db: Database,
    text: str,
    *,
    author: str,
    on: MemoTarget | str = MemoTarget.STUDY,
    target: str | None = None,
    title: str = "",
    study: str | None = None,
) -> Memo:
    """Write a memo by ``author`` on the study (``target`` None), a document (its name), a code
    (its path) or a coding (its id)."""
    kind = MemoTarget(on)
    with study_scope(db, study) as (uow, found):
        target_id: uuid.UUID
        if kind is MemoTarget.STUDY:
            target_id = found.id
        elif target is None:
            raise InvalidInputError(f"a memo on a {kind.value} needs the {kind.value} it is about")
        elif kind is MemoTarget.DOCUMENT:
            target_id = find_document(uow, found, target).id
        elif kind is MemoTarget.CODE:
            target_id = uow.codes.codebook(found.id).find(target).id
        else:
            try:
                coding_id = CodingId(uuid.UUID(target))
            except ValueError:
                raise InvalidInputError(f"not a coding id: {target!r}") from None
            target_id = find_coding(uow, found, coding_id).id
        writer = ensure_coder(uow, found, author, author)
        memo = Memo(MemoId(new_guid()), found.id, kind, target_id, writer.id, text, utcnow(), title)
        uow.memos.add(memo)
        record(uow, found, author, EventKind.MEMO_WRITTEN, memo.id, after=snapshot(memo))
        uow.commit()
    return memo


def list_memos(db: Database, study: str | None = None) -> list[Memo]:
    with study_scope(db, study) as (uow, found):
        return uow.memos.all(found.id)
