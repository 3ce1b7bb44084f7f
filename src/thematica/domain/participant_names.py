"""Which participant a transcript's file name names: "P01", "P01_interview", "Interview P01".

A name is matched to a participant id when it *is* the id (case-insensitively, ignoring the
spaces around it) or holds exactly one id as a whole token (between letters and digits of its
own: "P1" is not found in "P10"). Two ids in one name are never guessed between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["NameMatch", "participant_in_name"]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The participant id a name names (``label``), or None with the ids it holds
    (``candidates``: several when the name is ambiguous, none when it names no one)."""

    label: str | None
    candidates: tuple[str, ...] = ()

    def why_not(self, any_participants: bool) -> str:
        """Why the name links to no participant, in words (for the import's summary)."""
        if self.candidates:
            return f"its name holds several participant ids ({', '.join(self.candidates)})"
        if any_participants:
            return "its name holds no participant id"
        return "the study has no participants yet"


def participant_in_name(name: str, labels: Iterable[str]) -> NameMatch:
    """The one participant id among ``labels`` that ``name`` is, or holds as a whole token."""
    folded = name.strip().casefold()
    known = [label for label in labels if label.strip()]
    exact = [label for label in known if label.strip().casefold() == folded]
    if len(exact) == 1:
        return NameMatch(exact[0])
    found = sorted(
        {
            label
            for label in known
            if re.search(rf"(?<![^\W_]){re.escape(label.strip().casefold())}(?![^\W_])", folded)
        },
        key=str.casefold,
    )
    if len(found) == 1:
        return NameMatch(found[0])
    return NameMatch(None, tuple(found))
