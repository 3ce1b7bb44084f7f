"""How Thematica's richer fields travel through REFI-QDA's plain descriptions.

REFI-QDA gives a code one ``<Description>`` and a selection one ``<Description>``; Thematica has a
code's definition, inclusion and exclusion criteria and example, and a coding's valence and memo.
They are written as labelled paragraphs that people can read in any tool and that Thematica reads
back, so a study survives export and import whole::

    Feeling backed by a supervisor who understands peer work.

    Inclusion: talk of supervision by a peer or a manager.

    Exclusion: training courses.

A description without those labels (every other tool's) is all definition, or all memo.
"""

from __future__ import annotations

import re

from thematica.domain.codings import Valence

__all__ = [
    "CodeDescription",
    "SelectionDescription",
    "code_description",
    "parse_code_description",
    "parse_selection_description",
    "selection_description",
]

_SECTIONS = ("Inclusion", "Exclusion", "Example")
_HEADING = re.compile(r"\n\n(Inclusion|Exclusion|Example): ")
_VALENCE = re.compile(r"^Valence: (barrier|facilitator|mixed)(?:\n\n|$)")

#: (definition, inclusion, exclusion, example)
CodeDescription = tuple[str, str, str, str]
#: (valence, memo)
SelectionDescription = tuple[Valence | None, str]


def code_description(definition: str, inclusion: str, exclusion: str, example: str) -> str:
    """One description holding a code's definition, then its labelled criteria and example."""
    parts = [definition.strip()] if definition.strip() else []
    for label, value in zip(_SECTIONS, (inclusion, exclusion, example), strict=True):
        if value.strip():
            parts.append(f"{label}: {value.strip()}")
    return "\n\n".join(parts)


def parse_code_description(description: str) -> CodeDescription:
    """The inverse of :func:`code_description`. Each label is taken once, in order; anything
    else stays in the definition."""
    text = "\n\n" + description.strip()
    found: dict[str, str] = {}
    cuts = [m for m in _HEADING.finditer(text)]
    order = [m.group(1) for m in cuts]
    # Only a description in the shape written above is split; another tool's text that happens
    # to contain "Example: " mid-way is kept whole as the definition.
    if order != sorted(set(order), key=_SECTIONS.index):
        return description.strip(), "", "", ""
    definition = text[: cuts[0].start()] if cuts else text
    for i, match in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(text)
        found[match.group(1)] = text[match.end() : end].strip()
    return (
        definition.strip(),
        found.get("Inclusion", ""),
        found.get("Exclusion", ""),
        found.get("Example", ""),
    )


def selection_description(valence: Valence | None, memo: str) -> str:
    """A selection's description: ``Valence: ...`` first when the coding has one, then its memo."""
    parts = [f"Valence: {valence.value}"] if valence is not None else []
    if memo.strip():
        parts.append(memo.strip())
    return "\n\n".join(parts)


def parse_selection_description(description: str) -> SelectionDescription:
    """The inverse of :func:`selection_description`: (valence or None, memo)."""
    text = description.strip()
    match = _VALENCE.match(text)
    if match is None:
        return None, text
    return Valence(match.group(1)), text[match.end() :].strip()
