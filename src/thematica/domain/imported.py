"""What a study keeps of the project another tool exported, beside its own entities.

A study's entities are keyed by their own ids. When a project comes from another tool, most ids
are the tool's GUIDs. But two projects from one tool (or two versions of one project) share
GUIDs: their users, codes, often their sources. The second import gives such entities new ids in
this database and remembers the original GUID here, so that an export writes the tool's GUIDs
again. The same record keeps what REFI-QDA carries and Thematica has no field for: a user's short
id, a code marked not codable, a selection's name, who changed an element last and when, and the
``creatingUser`` of a coding whose coder was taken from its selection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = ["IdentityKind", "ImportedIdentity"]

#: What an :class:`ImportedIdentity` is about: a coder (REFI user), a code, a document (source),
#: a selection (keyed by the selection GUID its codings carry), a coding, a memo (note), a
#: participant (case) or a named set.
IdentityKind = Literal["user", "code", "source", "selection", "coding", "note", "case", "set"]


@dataclass(frozen=True, slots=True)
class ImportedIdentity:
    """The original GUID of ``entity_id`` (``None`` when it is the entity's own id) and the
    REFI-QDA attributes kept for export. Empty strings and ``None`` mean "not recorded"."""

    kind: IdentityKind
    entity_id: uuid.UUID
    guid: uuid.UUID | None = None
    name: str = ""
    user_id: str = ""
    codable: bool | None = None
    creating_user: str = ""
    modifying_user: str = ""
    modified_at: datetime | None = None

    def original(self) -> uuid.UUID:
        """The GUID to write on export."""
        return self.guid or self.entity_id
