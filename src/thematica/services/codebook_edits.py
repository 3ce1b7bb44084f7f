"""Revising the codebook: move, merge, split, delete and reorder codes.

Every change records events with the code (and each affected coding) before and after, so the
codebook's history can be rebuilt from the log (see :mod:`thematica.services.codebook_history`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from thematica.domain.codebook import Code, Codebook, parse_path
from thematica.domain.codings import Coding
from thematica.domain.events import EventKind, snapshot
from thematica.domain.ids import CodeId, CodingId, new_guid
from thematica.domain.study import Study
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["MergeResult", "delete_code", "merge_codes", "move_code", "reorder_codes", "split_code"]


def _retag(uow: UnitOfWork, study: Study, actor: str, coding: Coding, code_id: CodeId) -> None:
    changed = replace(coding, code_id=code_id)
    uow.codings.update(changed)
    record(
        uow,
        study,
        actor,
        EventKind.CODING_CHANGED,
        coding.id,
        before=snapshot(coding),
        after=snapshot(changed),
    )


def _drop(uow: UnitOfWork, study: Study, actor: str, coding: Coding) -> None:
    uow.codings.remove(coding.id)
    record(uow, study, actor, EventKind.CODING_REMOVED, coding.id, before=snapshot(coding))


def _parent(book: Codebook, path: str | None) -> CodeId | None:
    return book.lookup(path).id if path else None


def move_code(
    db: Database,
    path: str,
    new_parent: str | None,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> Code:
    """Move a code (with its children) under ``new_parent`` (None: to the top level)."""
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        code = book.lookup(path)
        parent = _parent(book, new_parent)
        moved = replace(code, parent_id=parent, position=len(book.children(parent)))
        book.check_new(moved)
        uow.codes.update(moved)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODE_MOVED,
            code.id,
            before=snapshot(code),
            after=snapshot(moved),
        )
        uow.commit()
    return moved


@dataclass(frozen=True)
class MergeResult:
    moved: int
    collapsed: int
    children_moved: int


def merge_codes(
    db: Database,
    source: str,
    target: str,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> MergeResult:
    """Merge ``source`` into ``target``: its codings follow (a coding that would duplicate one
    the same coder already has on the same span with ``target`` collapses into it), its children
    move under ``target``, and ``source`` is removed."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        src, dst = book.lookup(source), book.lookup(target)
        if src.id == dst.id:
            raise InvalidInputError("a code cannot be merged into itself")
        if dst.id in {c.id for c in book.descendants(src.id)}:
            raise ConflictError(f"cannot merge {source!r} into its own sub-code {target!r}")
        existing = {
            (c.document_id, c.coder_id, c.span)
            for c in uow.codings.all(found.id, code_ids=[dst.id])
        }
        moved = collapsed = 0
        for coding in uow.codings.all(found.id, code_ids=[src.id]):
            key = (coding.document_id, coding.coder_id, coding.span)
            if key in existing:
                _drop(uow, found, actor, coding)
                collapsed += 1
            else:
                _retag(uow, found, actor, coding, dst.id)
                existing.add(key)
                moved += 1
        children = book.children(src.id)
        for i, child in enumerate(children):
            rehomed = replace(child, parent_id=dst.id, position=len(book.children(dst.id)) + i)
            book = book.with_code(rehomed)
            uow.codes.update(rehomed)
            record(
                uow,
                found,
                actor,
                EventKind.CODE_MOVED,
                child.id,
                before=snapshot(child),
                after=snapshot(rehomed),
            )
        uow.codes.remove(src.id)
        record(
            uow,
            found,
            actor,
            EventKind.CODE_MERGED,
            src.id,
            before=snapshot(src),
            after={"into": str(dst.id), "codings_moved": moved, "codings_collapsed": collapsed},
        )
        uow.commit()
    return MergeResult(moved, collapsed, len(children))


def split_code(
    db: Database,
    path: str,
    new_codes: Sequence[str],
    assignments: Mapping[CodingId, str],
    *,
    delete_original: bool = False,
    study: str | None = None,
    actor: str | None = None,
) -> list[Code]:
    """Split a code: create ``new_codes`` (names) as its siblings and move each coding listed in
    ``assignments`` to the named new code. Codings not listed stay on the original, which is
    kept unless ``delete_original`` (then every coding must be assigned)."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        original = book.lookup(path)
        created: dict[str, Code] = {}
        for name in new_codes:
            (clean,) = parse_path(name)[-1:]
            code = Code(
                CodeId(new_guid()),
                found.id,
                clean,
                original.parent_id,
                position=len(book.children(original.parent_id)),
            )
            book = book.with_code(code)
            uow.codes.add(code)
            record(uow, found, actor, EventKind.CODE_ADDED, code.id, after=snapshot(code))
            created[clean.casefold()] = code
        codings = {c.id: c for c in uow.codings.all(found.id, code_ids=[original.id])}
        for coding_id, name in assignments.items():
            if coding_id not in codings:
                raise NotFoundError(f"coding {coding_id} is not coded with {path!r}")
            if name.casefold() not in created:
                raise InvalidInputError(
                    f"{name!r} is not one of the new codes: {', '.join(new_codes)}"
                )
            _retag(uow, found, actor, codings[coding_id], created[name.casefold()].id)
        if delete_original:
            left = set(codings) - set(assignments)
            if left:
                raise ConflictError(
                    f"{len(left)} coding(s) of {path!r} are not assigned; "
                    "assign them or keep the code"
                )
            if book.children(original.id):
                raise ConflictError(f"{path!r} has sub-codes; move them before deleting it")
            uow.codes.remove(original.id)
            record(
                uow, found, actor, EventKind.CODE_DELETED, original.id, before=snapshot(original)
            )
        record(
            uow,
            found,
            actor,
            EventKind.CODE_SPLIT,
            original.id,
            after={"into": [str(c.id) for c in created.values()], "codings": len(assignments)},
        )
        uow.commit()
    return list(created.values())


def delete_code(
    db: Database,
    path: str,
    *,
    reassign_to: str | None = None,
    confirm_loss: bool = False,
    study: str | None = None,
    actor: str | None = None,
) -> int:
    """Delete a code. Its codings go to ``reassign_to``, or, only with ``confirm_loss``, are
    deleted with it (the event log keeps them). Returns how many codings were affected."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        code = book.lookup(path)
        if book.children(code.id):
            raise ConflictError(f"{path!r} has sub-codes; move or delete them first")
        codings = uow.codings.all(found.id, code_ids=[code.id])
        if codings and reassign_to is None and not confirm_loss:
            raise ConflictError(
                f"{path!r} has {len(codings)} coding(s): reassign them to another code, "
                "or confirm that they are to be deleted with it"
            )
        target = book.lookup(reassign_to).id if reassign_to else None
        if target == code.id:
            raise InvalidInputError("cannot reassign codings to the code being deleted")
        for coding in codings:
            if target is not None:
                _retag(uow, found, actor, coding, target)
            else:
                _drop(uow, found, actor, coding)
        uow.codes.remove(code.id)
        record(
            uow,
            found,
            actor,
            EventKind.CODE_DELETED,
            code.id,
            before=snapshot(code),
            after={
                "codings_reassigned_to": str(target) if target else None,
                "codings": len(codings),
            },
        )
        uow.commit()
    return len(codings)


def reorder_codes(
    db: Database,
    parent: str | None,
    names: Sequence[str],
    *,
    study: str | None = None,
    actor: str | None = None,
) -> list[Code]:
    """Put the children of ``parent`` (None: the themes) in the order of ``names`` (all of them)."""
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        parent_id = _parent(book, parent)
        children = {c.name.casefold(): c for c in book.children(parent_id)}
        wanted = [n.casefold() for n in names]
        if sorted(wanted) != sorted(children):
            raise InvalidInputError(
                "list every sub-code exactly once; they are: "
                + ", ".join(c.name for c in book.children(parent_id))
            )
        ordered = [replace(children[n], position=i) for i, n in enumerate(wanted)]
        for code in ordered:
            uow.codes.update(code)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODES_REORDERED,
            parent_id,
            before={
                "order": [{"id": str(c.id), "position": c.position} for c in children.values()]
            },
            after={"order": [{"id": str(c.id), "position": c.position} for c in ordered]},
        )
        uow.commit()
    return ordered
