"""What reading one project has found so far, shared by the readers of its parts.

A :class:`ReadContext` holds the archive, the GUIDs seen of each kind (to refuse duplicates and
check references), the users and variables read, the ``<NoteRef>``s waiting for their notes, and
the :class:`~thematica.interchange.refi.parsing.Findings` (notices and unmapped elements) that
become the import report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from thematica.interchange.refi.archive import SafeArchive
from thematica.interchange.refi.model import Guid, RefiUser, RefiVariable
from thematica.interchange.refi.parsing import Element, Findings, local_name, text_of

__all__ = ["VALUE_ELEMENTS", "ReadContext"]

VALUE_ELEMENTS = frozenset(
    ["TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"]
)


@dataclass
class ReadContext:
    archive: SafeArchive
    found: Findings
    #: The folder holding the ``.qde`` inside the archive ("" at the top).
    base: str = ""
    used: set[str] = field(default_factory=set)
    seen: dict[str, dict[Guid, int]] = field(default_factory=lambda: defaultdict(dict))
    users: dict[Guid, RefiUser] = field(default_factory=dict)
    variables: dict[Guid, RefiVariable] = field(default_factory=dict)
    note_refs: list[tuple[Guid, Guid | None, Element]] = field(default_factory=list)
    user_refs: set[Guid] = field(default_factory=set)
    tallies: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: The most one source's text (or rich-text file) may hold, in bytes; ``None``: no limit.
    max_source_bytes: int | None = None

    def notice(self, message: str) -> None:
        if message not in self.found.notices:
            self.found.notices.append(message)

    def unique(self, kind: str, guid: Guid, el: Element) -> None:
        """Refuse a second ``kind`` (code, source, selection ...) with the same GUID."""
        seen = self.seen[kind]
        if guid in seen:
            raise self.found.error(
                f"two {kind}s have the GUID {guid} (the first on line {seen[guid]})", el
            )
        seen[guid] = el.sourceline

    def entries(self, parent: Element, tag: str, kind: str) -> Iterator[tuple[Element, Guid]]:
        """The ``<tag>`` children of ``parent`` and their GUIDs, each refused if a second ``kind``
        has it (:meth:`unique`); any other child is listed as not imported."""
        for el in parent:
            if local_name(el.tag) != tag:
                self.found.skip(el, f"only <{tag}> belongs in <{local_name(parent.tag)}>")
                continue
            guid = self.found.guid(el)
            self.unique(kind, guid, el)
            yield el, guid

    def note_ref(self, note: Guid, owner: Guid | None, el: Element) -> None:
        """Remember that ``owner`` (``None``: the project) refers to ``note``."""
        self.note_refs.append((note, owner, el))

    def user(self, el: Element, attribute: str = "creatingUser") -> Guid | None:
        user = self.found.optional_guid(el, attribute)
        if user is not None:
            self.user_refs.add(user)
        return user

    def read_source_member(self, member: str, el: Element) -> bytes:
        """The bytes of a source's file, refused before inflating when the archive declares it
        larger than :attr:`max_source_bytes` (the archive reader stops at the declared size, so
        a header that lies cannot get past the limit either)."""
        size = self.archive.members[member].file_size
        limit = self.max_source_bytes
        if limit is not None and size > limit:
            raise self.found.error(
                f"the source's file {member!r} would inflate to {size:,} bytes, over the limit "
                f"of {limit:,} for one source (raise it with --max-source-mb if it really is "
                "one text)",
                el,
            )
        self.used.add(member)
        return self.archive.read(member)

    def member(self, path: str) -> str | None:
        """The archive member a ``plainTextPath``-style path names, or ``None``.

        ``internal://x.txt`` and a bare ``x.txt`` are looked up under ``sources/`` (any case),
        then beside the ``.qde``; ``relative://`` and ``absolute://`` paths are outside the archive.
        """
        value = path.strip()
        scheme, sep, rest = value.partition("://")
        if sep:
            if scheme.lower() != "internal":
                return None
            value = rest
        value = value.replace("\\", "/").lstrip("/")
        prefix = f"{self.base}/" if self.base else ""
        for candidate in (f"{prefix}sources/{value}", f"{prefix}{value}"):
            member = self.archive.find(candidate)
            if member is not None:
                return member
        return None

    def value(self, el: Element, owner: Guid) -> tuple[Guid, str] | None:
        """A ``<VariableValue>`` as (variable GUID, value as written), if it can be mapped."""
        ref: Guid | None = None
        value: str | None = None
        for child in el:
            kind = local_name(child.tag)
            if kind == "VariableRef":
                ref = self.found.guid(child, "targetGUID")
            elif kind in VALUE_ELEMENTS:
                value = text_of(child)
        if ref is None:
            raise self.found.error("a VariableValue without a VariableRef", el)
        if ref not in self.variables:
            self.found.skip(
                el, f"refers to variable {ref}, which is not in the project", inside=owner
            )
            return None
        return None if value is None else (ref, value)

    def skip_with_files(self, el: Element, reason: str) -> None:
        """Skip a source that is not text, counting its files in the archive as accounted for."""
        self.found.skip(el, reason)
        for inner in el.iter():
            for attribute in ("path", "currentPath", "plainTextPath", "richTextPath"):
                value = inner.get(attribute)
                member = self.member(value) if value else None
                if member is not None:
                    self.used.add(member)
