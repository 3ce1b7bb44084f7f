"""Coders: added on purpose, by name, never as a side effect of a typo."""

from __future__ import annotations

from thematica.domain.codings import Coder
from thematica.domain.events import EventKind, snapshot
from thematica.domain.ids import CoderId, new_guid
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["add_coder", "list_coders"]


def add_coder(
    db: Database, name: str, *, study: str | None = None, actor: str | None = None
) -> Coder:
    """Add a coder called ``name``; a name already taken (in any case) is a conflict."""
    if not name.strip():
        raise InvalidInputError("a coder needs a name")
    with study_scope(db, study) as (uow, found):
        for existing in uow.coders.all(found.id):
            if existing.name.casefold() == name.strip().casefold():
                raise ConflictError(f"a coder named {existing.name!r} already exists")
        coder = Coder(CoderId(new_guid()), found.id, name.strip())
        uow.coders.add(coder)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODER_ADDED,
            coder.id,
            after=snapshot(coder),
        )
        uow.commit()
    return coder


def list_coders(db: Database, study: str | None = None) -> list[tuple[Coder, int]]:
    """Every coder with how many codings they made."""
    with study_scope(db, study) as (uow, found):
        counts = uow.codings.counts_by_coder(found.id)
        return [(c, counts.get(c.name, 0)) for c in uow.coders.all(found.id)]
