"""Memos: the project journal and notes on documents, codes and codings.

:func:`write_memo` writes one; :func:`read_memos` lists them as people read them (author and
target by name, oldest first), filtered by author, kind of target or target;
:func:`show_memo` finds one by its id (or an unambiguous start of it, as ``git`` does).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from thematica.domain.codebook import Codebook
from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.ids import CodeId, CodingId, DocumentId, MemoId, new_guid
from thematica.domain.memos import Memo, MemoTarget
from thematica.domain.suggest import close_names
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.coding import ensure_coder, find_coding
from thematica.services.documents import find_document
from thematica.services.scope import record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["MemoView", "list_memos", "read_memos", "show_memo", "write_memo"]

#: The fewest characters of a memo id that ``show_memo`` takes.
MIN_ID_PREFIX = 4


@dataclass(frozen=True, slots=True)
class MemoView:
    """A memo as people read it: who wrote it, what about (by name), when, and what it says."""

    id: str
    title: str
    text: str
    author: str
    on: str
    target: str
    created_at: datetime

    @property
    def about(self) -> str:
        """``study``, or the kind and name of what the memo is on (``document T1``)."""
        return self.on if self.on == MemoTarget.STUDY.value else f"{self.on} {self.target}"


def write_memo(
    db: Database,
    text: str,
    *,
    author: str,
    on: MemoTarget | str = MemoTarget.STUDY,
    target: str | None = None,
    title: str = "",
    study: str | None = None,
    new_author: bool = False,
) -> Memo:
    """Write a memo by ``author`` on the study (``target`` None), a document (its name), a code
    (its path) or a coding (its id).

    An author nobody has seen before whose name is close to a known person's ("Kenjj" beside
    "Kenji") is refused as a likely typo, unless ``new_author``: a memo author is a person, not a
    coder, but a misspelt one would still appear in every list of people."""
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
            target_id = uow.codes.codebook(found.id).lookup(target).id
        else:
            try:
                coding_id = CodingId(uuid.UUID(target))
            except ValueError:
                raise InvalidInputError(f"not a coding id: {target!r}") from None
            target_id = find_coding(uow, found, coding_id).id
        if not new_author and uow.coders.by_name(found.id, author.strip()) is None:
            close = close_names(author.strip(), (c.name for c in uow.coders.all(found.id)))
            if close:
                raise NotFoundError(
                    f"no one called {author!r} has coded or written here (did you mean "
                    f"{' or '.join(repr(c) for c in close)}?); if {author!r} is someone new, say "
                    "so with --new-author"
                )
        writer = ensure_coder(uow, found, author, author)
        memo = Memo(MemoId(new_guid()), found.id, kind, target_id, writer.id, text, utcnow(), title)
        uow.memos.add(memo)
        record(uow, found, author, EventKind.MEMO_WRITTEN, memo.id, after=snapshot(memo))
        uow.commit()
    return memo


def list_memos(db: Database, study: str | None = None) -> list[Memo]:
    with study_scope(db, study) as (uow, found):
        return uow.memos.all(found.id)


def read_memos(
    db: Database,
    study: str | None = None,
    *,
    author: str | None = None,
    on: MemoTarget | str | None = None,
    target: str | None = None,
) -> list[MemoView]:
    """The study's memos, oldest first, as people read them; only those by ``author``, on the
    kind of thing ``on`` (``study``, ``document``, ``code``, ``coding``) and about ``target``
    (a document's name, a code's path or a coding's id) when given. Reads only."""
    kind = _kind(on)
    with study_scope(db, study) as (uow, found):
        authors = {coder.id: coder.name for coder in uow.coders.all(found.id)}
        book = uow.codes.codebook(found.id)
        names: dict[uuid.UUID, str] = {found.id: found.name}
        views = []
        for memo in uow.memos.all(found.id, target=kind):
            if memo.target_id not in names:
                names[memo.target_id] = _target_name(uow, book, memo)
            views.append(
                MemoView(
                    str(memo.id),
                    memo.title,
                    memo.text,
                    authors.get(memo.author_id, str(memo.author_id)),
                    memo.target.value,
                    names[memo.target_id],
                    memo.created_at,
                )
            )
    return [
        view
        for view in views
        if (author is None or view.author == author) and (target is None or view.target == target)
    ]


def show_memo(db: Database, memo_id: str, study: str | None = None) -> MemoView:
    """One memo by its id, or by the start of its id when no other memo shares it."""
    wanted = memo_id.strip().casefold()
    if len(wanted) < MIN_ID_PREFIX:
        raise InvalidInputError(f"a memo id needs at least {MIN_ID_PREFIX} characters: {memo_id!r}")
    found = [view for view in read_memos(db, study) if view.id.casefold().startswith(wanted)]
    if not found:
        raise NotFoundError(f"no memo with the id {memo_id!r} (thematica memo list shows them)")
    if len(found) > 1:
        raise InvalidInputError(
            f"{len(found)} memos have ids starting {memo_id!r}; give more of the id"
        )
    return found[0]


def _kind(on: MemoTarget | str | None) -> MemoTarget | None:
    if on is None:
        return None
    try:
        return MemoTarget(on)
    except ValueError:
        kinds = ", ".join(kind.value for kind in MemoTarget)
        raise InvalidInputError(f"a memo is on one of {kinds}, not {on!r}") from None


def _target_name(uow: UnitOfWork, book: Codebook, memo: Memo) -> str:
    """What the memo is about, by name: a document's name, a code's path, a coding's id."""
    if memo.target is MemoTarget.DOCUMENT:
        document = uow.documents.get(DocumentId(memo.target_id))
        return document.name if document else str(memo.target_id)
    if memo.target is MemoTarget.CODE:
        try:
            return book.path_text(CodeId(memo.target_id))
        except (KeyError, NotFoundError):  # a code since deleted
            return str(memo.target_id)
    return str(memo.target_id)
