"""Study-wide replacement labels: the same person is ``[Person 3]`` in every transcript.

A label is keyed by the identifier's type and its normal form (see
:func:`thematica.deid.entities.normal_form`), so ``Sarah`` and ``sarah's`` get one label, and
numbered per type in the order first met across the study.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from thematica.deid.entities import EntityType, normal_form

__all__ = ["LabelBook", "MappingEntry", "label_for"]


def label_for(type_: EntityType, number: int) -> str:
    """``[Person 3]``, ``[NHS number 1]``."""
    return f"[{type_.noun} {number}]"


@dataclass(frozen=True, slots=True)
class MappingEntry:
    type: EntityType
    normal: str
    number: int

    @property
    def label(self) -> str:
        return label_for(self.type, self.number)


class LabelBook:
    """The study's mapping, growing as new identifiers are replaced.

    ``entries`` are those already stored; :meth:`label` returns the label for a surface form,
    making a new entry (remembered in :attr:`added`) when the form is new to the study.
    """

    def __init__(self, entries: Mapping[tuple[EntityType, str], MappingEntry]) -> None:
        self._entries = dict(entries)
        self._next = {t: 1 for t in EntityType}
        for entry in entries.values():
            self._next[entry.type] = max(self._next[entry.type], entry.number + 1)
        self.added: list[MappingEntry] = []

    def label(self, surface: str, type_: EntityType) -> str:
        key = (type_, normal_form(surface, type_))
        entry = self._entries.get(key)
        if entry is None:
            entry = MappingEntry(type_, key[1], self._next[type_])
            self._next[type_] += 1
            self._entries[key] = entry
            self.added.append(entry)
        return entry.label
