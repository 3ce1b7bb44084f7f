"""Which participant attributes identify a person, so no output may show them.

The README asks researchers to put people's real names on the participant sheet (``name``,
``real_name``, ``interviewer`` ...) so that de-identification can find them in the transcripts
(:mod:`thematica.services.deid`). Those columns exist for that search only: the report, the
project exports and the CSV exports leave them out, and a report setting that names one is
refused. This module is the one definition both sides read.

Pseudonyms (``pseudonym``, ``alias``, ``known_as``) are *not* identifying: they are chosen to be
shown in place of the real name. De-identification still looks for them in transcripts
(:data:`PSEUDONYM_ATTRIBUTES`), since a transcript that says a pseudonym where the real name was
is still worth a look.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "IDENTIFYING_ATTRIBUTES",
    "PSEUDONYM_ATTRIBUTES",
    "identifying",
    "is_identifying",
    "is_name_attribute",
    "left_out_note",
    "normalise_attribute",
]

#: Attributes whose values are a real person's name: the participant's or the interviewer's.
#: ``nickname`` and ``preferred_name`` are here on purpose: the name a person goes by is how
#: colleagues and neighbours know them, so it identifies them as surely as the legal name.
IDENTIFYING_ATTRIBUTES = frozenset(
    {
        "name", "real_name", "full_name", "first_name", "forename", "given_name", "surname",
        "last_name", "family_name", "nickname", "preferred_name", "interviewer",
        "interviewer_name", "researcher",
    }
)  # fmt: skip

#: Attributes whose values are names chosen to be shown: looked for by de-identification,
#: shown by every output.
PSEUDONYM_ATTRIBUTES = frozenset({"pseudonym", "alias", "known_as"})


def normalise_attribute(name: str) -> str:
    """``"Real Name"``, ``"real-name"`` and ``" REAL_NAME "`` all read ``"real_name"``."""
    return name.strip().casefold().replace(" ", "_").replace("-", "_")


def is_identifying(name: str) -> bool:
    """Whether the participant attribute ``name`` holds a real person's name."""
    return normalise_attribute(name) in IDENTIFYING_ATTRIBUTES


def is_name_attribute(name: str) -> bool:
    """Whether de-identification looks for the attribute's values: real names and pseudonyms."""
    key = normalise_attribute(name)
    return key in IDENTIFYING_ATTRIBUTES or key in PSEUDONYM_ATTRIBUTES


def identifying(names: Iterable[str]) -> tuple[str, ...]:
    """The identifying attributes among ``names``, sorted, each once."""
    return tuple(sorted({n for n in names if is_identifying(n)}))


def left_out_note(names: Iterable[str], where: str) -> str:
    """One line saying which identifying attributes ``where`` (the report, the export) left
    out; empty when none."""
    left = identifying(names)
    if not left:
        return ""
    return f"Left out of {where}: {', '.join(left)} (identifying; used only for de-identification)"
