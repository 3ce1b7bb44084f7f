"""The study's de-identification mapping, its owner, and its own list of terms.

The mapping (identifier -> label) and the term list both hold identifiers, so only the owner may
read them; reading is itself recorded as an event. See :mod:`thematica.services.deid` for what
"owner" can and cannot promise while Thematica has no login system.
"""

from __future__ import annotations

from thematica.deid import EntityType, label_for
from thematica.domain.events import EventKind, utcnow
from thematica.domain.study import Study
from thematica.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["add_terms", "mapping_owner", "read_mapping", "read_terms", "set_mapping_owner"]


def _require_owner(uow: UnitOfWork, study: Study, actor: str, what: str) -> str:
    owner = uow.deid.owner(study.id)
    if owner is None:
        raise NotFoundError(
            f"study {study.name!r} has no de-identification mapping yet (no document has been "
            "through `thematica deid`)"
        )
    if actor != owner:
        raise PermissionDeniedError(
            f"only the owner of the de-identification mapping ({owner}) may {what}; you are "
            f"{actor!r}"
        )
    return owner


def mapping_owner(db: Database, *, study: str | None = None) -> str | None:
    """Who owns the study's mapping (``None`` before any detection)."""
    with study_scope(db, study) as (uow, found):
        return uow.deid.owner(found.id)


def set_mapping_owner(
    db: Database, owner: str, *, study: str | None = None, actor: str | None = None
) -> None:
    """Hand the mapping to ``owner``. Only the current owner may (anyone, while there is none)."""
    actor = actor or default_actor()
    if not owner.strip():
        raise InvalidInputError("the owner needs a name")
    with study_scope(db, study) as (uow, found):
        current = uow.deid.owner(found.id)
        if current is not None:
            _require_owner(uow, found, actor, "hand it to someone else")
        uow.deid.set_owner(found.id, owner.strip(), actor, utcnow())
        record(
            uow,
            found,
            actor,
            EventKind.DEID_OWNER_SET,
            found.id,
            before={"owner": current} if current else None,
            after={"owner": owner.strip()},
        )
        uow.commit()


def read_mapping(
    db: Database, *, study: str | None = None, actor: str | None = None
) -> list[dict[str, object]]:
    """The study-wide mapping, label by label; only for the owner, and the reading is logged."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        _require_owner(uow, found, actor, "read the mapping")
        rows: list[dict[str, object]] = [
            {"label": label_for(EntityType(t), number), "type": t, "identifier": normal}
            for (t, normal), number in uow.deid.mapping(found.id).items()
        ]
        record(uow, found, actor, EventKind.DEID_MAPPING_READ, found.id, after={"rows": len(rows)})
        uow.commit()
        return rows


def add_terms(
    db: Database,
    terms: list[str],
    type_: str = "IDENTIFIER",
    *,
    study: str | None = None,
    actor: str | None = None,
) -> int:
    """Add terms to the study's own list (looked for in every later detection); returns how
    many were new. Anyone may add; the event records how many, not which."""
    actor = actor or default_actor()
    kind = EntityType.parse(type_)
    cleaned = [" ".join(t.split()) for t in terms if t.strip()]
    if not cleaned:
        raise InvalidInputError("give at least one term")
    with study_scope(db, study) as (uow, found):
        now = utcnow()
        added = sum(
            uow.deid.add_term(found.id, t.casefold(), kind.value, actor, now) for t in cleaned
        )
        record(
            uow,
            found,
            actor,
            EventKind.DEID_TERMS_ADDED,
            found.id,
            after={"deid_terms_added": added, "type": kind.value},
        )
        uow.commit()
    return added


def read_terms(
    db: Database, *, study: str | None = None, actor: str | None = None
) -> dict[str, str]:
    """The study's term list (term -> type); only for the mapping's owner."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        _require_owner(uow, found, actor, "read the term list")
        return uow.deid.terms(found.id)
