"""Named sets of documents and codes (REFI-QDA ``Set``), e.g. "NHS interviews"."""

from __future__ import annotations

from dataclasses import dataclass

from thematica.domain.ids import CodeId, DocumentId, SetId, StudyId
from thematica.errors import InvalidInputError

__all__ = ["NamedSet"]


@dataclass(frozen=True, slots=True)
class NamedSet:
    id: SetId
    study_id: StudyId
    name: str
    description: str = ""
    document_ids: tuple[DocumentId, ...] = ()
    code_ids: tuple[CodeId, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a set needs a name")
