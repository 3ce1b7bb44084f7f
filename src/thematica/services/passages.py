"""Coding a passage the way a person names it: by quoting it, by turn, or by offsets."""

from __future__ import annotations

from dataclasses import dataclass

from thematica.domain.codings import Coding, Valence
from thematica.domain.events import EventKind, make_event, utcnow
from thematica.domain.ids import CodingId
from thematica.domain.passages import locate_passage
from thematica.errors import InvalidInputError
from thematica.services.coding import (
    CodingRequest,
    NameResolver,
    change_coding,
    refuse_duplicate,
    short_id,
)
from thematica.services.scope import default_actor, study_scope
from thematica.storage import Database

__all__ = ["CodedPassage", "code_passage", "edit_coding"]


@dataclass(frozen=True, slots=True)
class CodedPassage:
    """What :func:`code_passage` did, as the command prints it."""

    coding: Coding
    document: str
    code: str
    coder: str
    text: str
    turn: int | None

    @property
    def short_id(self) -> str:
        return short_id(self.coding.id)

    def as_dict(self) -> dict[str, object]:
        return {
            "coding_id": str(self.coding.id),
            "short_id": self.short_id,
            "document": self.document,
            "start": self.coding.span.start,
            "end": self.coding.span.end,
            "turn": self.turn,
            "code": self.code,
            "coder": self.coder,
            "valence": self.coding.valence.value if self.coding.valence else None,
            "memo": self.coding.memo,
            "text": self.text,
        }


def code_passage(
    db: Database,
    document: str,
    code: str,
    *,
    coder: str,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
    turn: int | None = None,
    valence: Valence | str | None = None,
    memo: str = "",
    new_coder: bool = False,
    study: str | None = None,
    actor: str | None = None,
) -> CodedPassage:
    """Code one passage of ``document`` with ``code`` (a path, or the unique end of one).

    The passage is ``[start, end)``, or the words ``quote`` (``occurrence`` picks one of several;
    ``turn`` looks only in that turn), or the whole turn ``turn``. The coder must exist unless
    ``new_coder`` says to add them; an identical coding already stored is refused.
    """
    offsets = start is not None or end is not None
    if offsets and (start is None or end is None):
        raise InvalidInputError("give both START and END")
    if offsets and (quote is not None or turn is not None or occurrence is not None):
        raise InvalidInputError("give START END, or a quote or turn, not both")
    with study_scope(db, study) as (uow, found):
        resolver = NameResolver(uow, found, actor or coder, create_coders=new_coder)
        doc = resolver.document(document)
        located_turn: int | None = None
        if not offsets:
            located = locate_passage(doc, quote=quote, occurrence=occurrence, turn=turn)
            start, end, located_turn = located.span.start, located.span.end, located.turn
        assert start is not None and end is not None
        request = CodingRequest(document, start, end, code, coder, valence, memo)
        coding = resolver.coding(request, None, utcnow())
        refuse_duplicate(uow, coding)
        uow.codings.add_many([coding])
        uow.events.append(
            [
                make_event(
                    found.id,
                    coder or actor or default_actor(),
                    EventKind.CODING_APPLIED,
                    coding.id,
                    after=coding.as_payload(applied=True),
                    at=coding.created_at,
                )
            ]
        )
        uow.commit()
        return CodedPassage(
            coding,
            doc.name,
            resolver.book.path_text(coding.code_id),
            resolver.coder(coder).name,
            coding.span.of(doc.text),
            located_turn,
        )


def edit_coding(
    db: Database,
    coding_id: CodingId | str,
    *,
    study: str | None = None,
    actor: str | None = None,
    start: int | None = None,
    end: int | None = None,
    code: str | None = None,
    valence: Valence | str | None = None,
    memo: str | None = None,
) -> dict[str, object]:
    """Change a coding (see :func:`~thematica.services.coding.change_coding`) and return it as a
    row of the coded-segments table, as the command prints it."""
    after = change_coding(
        db,
        coding_id,
        study=study,
        actor=actor,
        start=start,
        end=end,
        code=code,
        valence=valence,
        memo=memo,
    )
    with study_scope(db, study) as (uow, found):
        document = uow.documents.get(after.document_id)
        assert document is not None
        coder = next(c.name for c in uow.coders.all(found.id) if c.id == after.coder_id)
        return {
            "coding_id": str(after.id),
            "short_id": short_id(after.id),
            "document": document.name,
            "code": uow.codes.codebook(found.id).path_text(after.code_id),
            "coder": coder,
            "start": after.span.start,
            "end": after.span.end,
            "text": after.span.of(document.text),
            "valence": after.valence.value if after.valence else "",
            "memo": after.memo,
        }
