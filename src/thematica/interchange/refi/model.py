"""A REFI-QDA project as plain values, independent of Thematica's database.

The reader turns a ``.qdpx`` archive into these values and the writer turns them back into one; the
service layer maps them to and from a study. They mirror the REFI-QDA Project schema
(``urn:QDA-XML:project:1.0``) closely, with three decisions made once, here:

* **GUIDs** are kept as text, lower-case and without braces (the schema allows ``{...}`` and
  either case; a GUID is the same GUID however it is spelled, and references must match).
* **Texts are canonical** (NFC, ``\\n`` line endings, no BOM: see :mod:`thematica.domain.text`),
  and every ``start``/``end`` is a ``[start, end)`` range of code points in that canonical text.
  Positions as another tool recorded them (over CRLF text with a BOM, or counted in UTF-16 code
  units) are remapped on import; the writer writes canonical text and canonical positions.
* **Notes point at what they are about.** In the XML an element carries ``<NoteRef>`` to a note;
  here the note lists the GUIDs of the elements that referred to it (:attr:`RefiNote.targets`), and
  notes on the whole project are listed in :attr:`RefiProject.note_guids`.

Dates are :class:`~datetime.datetime` values (timezone-aware when the file said so) or ``None``.
Nothing that the reader could not map is dropped silently: it is listed in an
:class:`ImportReport`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

__all__ = [
    "VARIABLE_TYPES",
    "Guid",
    "ImportReport",
    "PositionUnit",
    "RefiCase",
    "RefiCode",
    "RefiCodebook",
    "RefiCoding",
    "RefiNote",
    "RefiProject",
    "RefiSelection",
    "RefiSet",
    "RefiSource",
    "RefiUser",
    "RefiVariable",
    "UnmappedElement",
]

#: A REFI-QDA GUID as text: lower-case, no braces (``"0ede5bd6-e64e-4536-aee6-8663227dacb5"``).
Guid = str

#: How a tool counted ``startPosition``/``endPosition``: Unicode code points (Python, QualCoder)
#: or UTF-16 code units (NVivo: an emoji counts twice). They differ only beyond the BMP.
PositionUnit = Literal["code-points", "utf-16"]

#: The schema's ``typeOfVariable`` values.
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


@dataclass(frozen=True, slots=True)
class RefiUser:
    """A person who made codings (a coder). ``user_id`` is the optional short id (``id="SF"``)."""

    guid: Guid
    name: str
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class RefiCode:
    """A code in the codebook tree. ``color`` is ``#rrggbb`` or ``#rgb``; ``is_codable=False``
    marks a category that only groups other codes."""

    guid: Guid
    name: str
    color: str | None = None
    description: str = ""
    is_codable: bool = True
    children: tuple[RefiCode, ...] = ()

    def walk(self, parent: Guid | None = None) -> Iterator[tuple[RefiCode, Guid | None]]:
        """This code and all below it, depth first, each with its parent's GUID."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self.guid)


@dataclass(frozen=True, slots=True)
class RefiCoding:
    """A code applied to a selection (or to a whole source). ``creating_user`` is who the file
    says made it."""

    guid: Guid
    code_guid: Guid
    creating_user: Guid | None = None
    creation_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefiSelection:
    """A ``PlainTextSelection``: ``[start, end)`` in code points of the source's canonical text.

    ``creating_user`` is who made the selection; each coding keeps its own ``creating_user`` (one
    tool records different users on the two: both are kept, and the import chooses which codes:
    the selection's by default, ``--coder-from coding`` for the other).
    """

    guid: Guid
    name: str
    start: int
    end: int
    creating_user: Guid | None = None
    creation_date: datetime | None = None
    codings: tuple[RefiCoding, ...] = ()
    description: str = ""
    modifying_user: Guid | None = None
    modified_date: datetime | None = None

    def of(self, text: str) -> str:
        """The passage of ``text`` (the source's canonical text) this selection covers."""
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class RefiSource:
    """A ``TextSource``: its canonical text, selections, and where it came from.

    ``original_path`` is the archive member the text was read from (``None`` when the text was
    inline ``PlainTextContent``) and ``original_bytes`` its bytes as stored (BOM, CRLF and all),
    for keeping the original file. ``rich_text_path``/``rich_text_bytes`` hold the rich-text
    rendering some tools add (NVivo: a ``.docx``); the writer carries it through. ``codings`` are
    codings of the whole source (``Coding`` directly under ``TextSource``). ``values`` are
    variable values given on the source itself (variable GUID -> values).
    """

    guid: Guid
    name: str
    text: str
    selections: tuple[RefiSelection, ...] = ()
    creating_user: Guid | None = None
    creation_date: datetime | None = None
    original_path: str | None = None
    original_bytes: bytes | None = field(default=None, repr=False)
    description: str = ""
    codings: tuple[RefiCoding, ...] = ()
    values: Mapping[Guid, tuple[str, ...]] = field(default_factory=dict)
    rich_text_path: str | None = None
    rich_text_bytes: bytes | None = field(default=None, repr=False)
    modifying_user: Guid | None = None
    modified_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefiNote:
    """A note (memo). ``targets`` are the GUIDs of the elements that refer to it with
    ``<NoteRef>``, in the order the file has them: codes, sources, selections, codings or other
    notes (the only elements REFI-QDA lets carry a ``<NoteRef>`` besides the project). Empty for
    a free-standing note; see :attr:`RefiProject.note_guids` for notes on the whole project. A
    memo on a case or a set cannot be expressed in REFI-QDA; the writer refuses such a target."""

    guid: Guid
    name: str
    text: str
    creating_user: Guid | None = None
    creation_date: datetime | None = None
    targets: tuple[Guid, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class RefiVariable:
    """An attribute that cases (or sources) can have; ``type_of_variable`` is one of
    :data:`VARIABLE_TYPES`."""

    guid: Guid
    name: str
    type_of_variable: str = "Text"
    description: str = ""


@dataclass(frozen=True, slots=True)
class RefiCase:
    """A case, usually a participant: variable values (variable GUID -> values, several allowed)
    and the sources, codes and selections that belong to it."""

    guid: Guid
    name: str
    values: Mapping[Guid, tuple[str, ...]] = field(default_factory=dict)
    source_refs: tuple[Guid, ...] = ()
    description: str = ""
    code_refs: tuple[Guid, ...] = ()
    selection_refs: tuple[Guid, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiSet:
    """A named set of sources, codes and notes."""

    guid: Guid
    name: str
    member_source_guids: tuple[Guid, ...] = ()
    member_code_guids: tuple[Guid, ...] = ()
    member_note_guids: tuple[Guid, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class RefiProject:
    """A whole REFI-QDA project. ``codes`` are the roots of the codebook tree."""

    name: str
    origin: str | None = None
    users: tuple[RefiUser, ...] = ()
    codes: tuple[RefiCode, ...] = ()
    sources: tuple[RefiSource, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    variables: tuple[RefiVariable, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    sets: tuple[RefiSet, ...] = ()
    description: str = ""
    note_guids: tuple[Guid, ...] = ()
    creating_user: Guid | None = None
    creation_date: datetime | None = None
    modifying_user: Guid | None = None
    modified_date: datetime | None = None

    def all_codes(self) -> Iterator[tuple[RefiCode, Guid | None]]:
        """Every code, depth first, each with its parent's GUID (``None`` at the top)."""
        for code in self.codes:
            yield from code.walk()

    def counts(self) -> dict[str, int]:
        """How many of each thing the project holds (as reported after an import)."""
        selections = sum(len(s.selections) for s in self.sources)
        codings = sum(
            len(s.codings) + sum(len(sel.codings) for sel in s.selections) for s in self.sources
        )
        return {
            "users": len(self.users),
            "codes": sum(1 for _ in self.all_codes()),
            "sources": len(self.sources),
            "selections": selections,
            "codings": codings,
            "notes": len(self.notes),
            "variables": len(self.variables),
            "cases": len(self.cases),
            "sets": len(self.sets),
        }


@dataclass(frozen=True, slots=True)
class RefiCodebook:
    """A codebook exchanged on its own (``.qdc``): the code tree and sets of codes."""

    codes: tuple[RefiCode, ...]
    sets: tuple[RefiSet, ...] = ()
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class UnmappedElement:
    """One element the reader found and could not take in, and why.

    ``element`` is the XML element name (``PictureSource``, ``PDFSelection``, ``Graph``,
    ``Link`` ...), or ``archive member`` for a file in the archive that nothing refers to. Elements
    inside an unmapped element are listed too (each selection and coding of a picture), with
    ``inside`` naming the outer element's GUID.
    """

    element: str
    reason: str
    guid: Guid | None = None
    name: str | None = None
    line: int | None = None
    inside: Guid | None = None

    def describe(self) -> str:
        what = self.element
        if self.name:
            what += f" {self.name!r}"
        if self.guid:
            what += f" ({self.guid})"
        where = f", line {self.line}" if self.line is not None else ""
        return f"{what}{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import took in and, element by element, what it could not map.

    ``imported`` counts what was read (see :meth:`RefiProject.counts`). ``notices`` say where the
    file bent the standard and how it was read (a ``.qde`` with another name, a source without a
    name, text with a BOM and CRLF line endings ...). ``position_unit`` is how positions were
    counted in this file, ``position_unit_reason`` why the reader believes so, and
    ``position_unit_close`` whether the evidence was thin (a person should check a few codings).
    """

    file: str
    origin: str | None = None
    imported: Mapping[str, int] = field(default_factory=dict)
    unmapped: tuple[UnmappedElement, ...] = ()
    notices: tuple[str, ...] = ()
    position_unit: PositionUnit = "code-points"
    position_unit_reason: str = ""
    position_unit_close: bool = False

    @property
    def complete(self) -> bool:
        """True when every element of the file was mapped."""
        return not self.unmapped

    def unmapped_counts(self) -> dict[str, int]:
        """How many elements of each kind could not be mapped, e.g. ``{"PictureSource": 2}``."""
        return dict(Counter(item.element for item in self.unmapped))

    def summary_lines(self) -> list[str]:
        """The report as lines for a person: counts, then notices, then each unmapped element."""
        counts = ", ".join(f"{n} {kind}" for kind, n in self.imported.items())
        lines = [f"{self.file}: imported {counts or 'nothing'}"]
        lines += [f"note: {notice}" for notice in self.notices]
        if self.unmapped:
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.unmapped_counts().items())
            lines.append(f"not imported: {kinds}")
            lines += [f"  - {item.describe()}" for item in self.unmapped]
        return lines
