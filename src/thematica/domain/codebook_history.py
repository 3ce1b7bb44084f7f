"""The codebook at any earlier time, and what changed between two times, from the event log.

Thematic analysis revises the codebook many times; the audit trail must show how. Every code
event carries the code as it was before and after the change, so replaying the log up to a time
rebuilds the codebook exactly as it stood then.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from thematica.domain.codebook import Code, Codebook
from thematica.domain.events import Event, EventKind
from thematica.domain.ids import CodeId, StudyId

__all__ = ["CodebookDiff", "codebook_at", "diff_codebooks"]

_ADDS_OR_CHANGES = {
    EventKind.CODE_ADDED,
    EventKind.CODE_UPDATED,
    EventKind.CODE_MOVED,
}
_REMOVES = {EventKind.CODE_DELETED, EventKind.CODE_MERGED}


def _code(payload: Mapping[str, Any]) -> Code:
    parent = payload.get("parent_id")
    return Code(
        CodeId(uuid.UUID(payload["id"])),
        StudyId(uuid.UUID(payload["study_id"])),
        payload["name"],
        CodeId(uuid.UUID(parent)) if parent else None,
        payload.get("definition", ""),
        payload.get("inclusion", ""),
        payload.get("exclusion", ""),
        payload.get("example", ""),
        payload.get("colour", ""),
        payload.get("position", 0),
    )


def codebook_at(events: Iterable[Event], at: datetime | None = None) -> Codebook:
    """Replay code events (in log order) up to and including ``at`` (all of them if None)."""
    state: dict[CodeId, Code] = {}
    for event in events:
        if at is not None and event.at > at:
            break
        if event.kind in _ADDS_OR_CHANGES and event.after is not None:
            code = _code(event.after)
            state[code.id] = code
        elif event.kind in _REMOVES and event.before is not None:
            state.pop(CodeId(uuid.UUID(event.before["id"])), None)
        elif event.kind is EventKind.CODES_REORDERED and event.after is not None:
            for item in event.after["order"]:
                code_id = CodeId(uuid.UUID(item["id"]))
                if code_id in state:
                    state[code_id] = replace(state[code_id], position=item["position"])
    return Codebook(state.values())


@dataclass(frozen=True)
class CodebookDiff:
    """What changed between two codebooks, by code path (paths as they stood at each end)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    redefined: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved or self.redefined)


_DESCRIBED = ("definition", "inclusion", "exclusion", "example", "colour")


def diff_codebooks(before: Codebook, after: Codebook) -> CodebookDiff:
    """Compare two codebooks code by code (codes are matched by id, so a rename is a rename)."""
    old = {c.id: c for c in before}
    new = {c.id: c for c in after}
    result = CodebookDiff()
    for code_id, code in new.items():
        if code_id not in old:
            result.added.append(after.path_text(code_id))
            continue
        was = old[code_id]
        if was.name != code.name:
            result.renamed.append((before.path_text(code_id), after.path_text(code_id)))
        if was.parent_id != code.parent_id:
            result.moved.append((before.path_text(code_id), after.path_text(code_id)))
        changed = [f for f in _DESCRIBED if getattr(was, f) != getattr(code, f)]
        if changed:
            result.redefined.append((after.path_text(code_id), changed))
    result.removed.extend(before.path_text(i) for i in old if i not in new)
    return result
