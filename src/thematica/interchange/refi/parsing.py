"""Safe XML parsing for REFI-QDA files, and the small readers every element needs.

Safety first: :mod:`defusedxml` reads the prolog and refuses any document type declaration (so no
DTD, no entity declarations, no external entities, no entity expansion), then lxml builds the
tree with entity resolution, DTD loading and network access all off, and checks once more that no
DTD got through. lxml is used for the tree because it keeps each element's line number, which
every error message names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.parsers import expat as expat_module

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from lxml import etree

from thematica.errors import InvalidInputError
from thematica.interchange.refi.model import Guid, UnmappedElement

__all__ = ["Element", "Findings", "describe", "local_name", "parse_xml", "text_of"]

Element = Any  # lxml.etree._Element; lxml-stubs types it, but the private name is not stable.

_HEX = "[0-9a-fA-F]"
_GUID = re.compile(rf"^\{{?({_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}})\}}?$")
_UNSAFE = (
    "the XML declares a document type (<!DOCTYPE>): DTDs, entity declarations and external "
    "entities are refused for safety (REFI-QDA files never need them)"
)


class _RootReached(Exception):
    """Raised by the prolog check at the first element: everything before it was looked at."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def end(self, tag: str) -> None:  # pragma: no cover - never reached
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def parse_xml(data: bytes, file: str) -> Element:
    """The root element of ``data``; refuses DTDs and entities, names line and element on error."""
    _refuse_doctype(data, file)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise InvalidInputError(
            f"not well-formed XML: {exc.msg}",
            file=file,
            line=line,
            element=_open_element_at_error(data),
        ) from None
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise InvalidInputError(_UNSAFE, file=file, line=1)
    return root


def _refuse_doctype(data: bytes, file: str) -> None:
    """Let defusedxml read up to the root element, refusing a DOCTYPE or entity on the way."""
    parser = DefusedXMLParser(
        target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        parser.close()
    except _RootReached:
        return
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise InvalidInputError(_UNSAFE, file=file, line=_expat_line(parser)) from None
    except ParseError:
        return  # lxml reports the syntax error with its line and element
    except (LookupError, ValueError) as exc:  # an unknown or multi-byte declared encoding
        raise InvalidInputError(
            f"the XML declares an encoding that cannot be read ({exc})", file=file, line=1
        ) from None


def _expat_line(parser: Any) -> int | None:
    try:
        return int(parser.parser.CurrentLineNumber)
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - defensive
        return None


def _open_element_at_error(data: bytes) -> str | None:
    """The innermost element open where the XML breaks (only called when parsing failed)."""
    stack: list[str] = []
    expat = expat_module.ParserCreate(namespace_separator="}")

    def start(name: str, attrs: object) -> None:
        stack.append(name.rpartition("}")[2])

    def end(name: str) -> None:
        if stack:
            stack.pop()

    def refuse(*args: object) -> None:
        raise expat_module.ExpatError("DTD")

    expat.StartElementHandler = start
    expat.EndElementHandler = end
    expat.StartDoctypeDeclHandler = refuse
    try:
        expat.Parse(data, True)
    except expat_module.ExpatError:
        return stack[-1] if stack else None
    return None


def local_name(tag: str) -> str:
    """``{urn:QDA-XML:project:1.0}Code`` -> ``Code``."""
    return tag.rpartition("}")[2]


@dataclass
class Findings:
    """Where one file is read from, and what its reading found that the caller must hear about."""

    file: str
    unmapped: list[UnmappedElement] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # GUID as written -> normalised; users' and codes' GUIDs recur thousands of times.
    _guids: dict[str, Guid] = field(default_factory=dict, repr=False)
    _dates: dict[str, datetime] = field(default_factory=dict, repr=False)

    def error(self, message: str, el: Element | None = None, **kw: Any) -> InvalidInputError:
        element = kw.pop("element", None)
        if element is None and el is not None:
            element = describe(el)
        line = el.sourceline if el is not None else None
        return InvalidInputError(message, file=self.file, line=line, element=element, **kw)

    def guid(self, el: Element, attribute: str = "guid") -> Guid:
        """A required GUID attribute, normalised (lower-case, no braces)."""
        value = el.get(attribute)
        if value is None:
            raise self.error(f"the required attribute {attribute!r} is missing", el)
        known = self._guids.get(value)
        return known if known is not None else self.as_guid(value, el, attribute)

    def optional_guid(self, el: Element, attribute: str) -> Guid | None:
        value = el.get(attribute)
        if value is None:
            return None
        known = self._guids.get(value)
        if known is not None:
            return known
        return self.as_guid(value, el, attribute) if value.strip() else None

    def as_guid(self, value: str, el: Element, attribute: str) -> Guid:
        match = _GUID.match(value.strip())
        if match is None:
            raise self.error(f"{attribute}={value!r} is not a GUID", el)
        guid = match.group(1).lower()
        self._guids[value] = guid
        return guid

    def date(self, el: Element, attribute: str) -> datetime | None:
        value = el.get(attribute)
        if value is None:
            return None
        known = self._dates.get(value)
        if known is not None:
            return known
        if not value.strip():
            return None
        try:
            parsed = self._dates[value] = datetime.fromisoformat(value.strip())
            return parsed
        except ValueError:
            self.unmapped.append(
                UnmappedElement(
                    f"{local_name(el.tag)}/@{attribute}",
                    f"unreadable date {value!r}; left empty",
                    guid=_normal(el.get("guid")),
                    line=el.sourceline,
                )
            )
            return None

    def skip(self, el: Element, reason: str, *, inside: Guid | None = None) -> None:
        """Record ``el`` and every element with a GUID inside it as not imported."""
        top = _normal(el.get("guid"))
        self.unmapped.append(
            UnmappedElement(
                local_name(el.tag),
                reason,
                guid=top,
                name=el.get("name"),
                line=el.sourceline,
                inside=inside,
            )
        )
        for inner in el.iterdescendants():
            guid = inner.get("guid")
            if guid is not None:
                self.unmapped.append(
                    UnmappedElement(
                        local_name(inner.tag),
                        f"part of a {local_name(el.tag)} that is not imported",
                        guid=_normal(guid),
                        name=inner.get("name"),
                        line=inner.sourceline,
                        inside=top,
                    )
                )


def _normal(guid: str | None) -> str | None:
    """A GUID normalised as the model keeps them, or the text as written if it is not one."""
    if guid is None:
        return None
    match = _GUID.match(guid.strip())
    return match.group(1).lower() if match else guid


def describe(el: Element) -> str:
    """``PlainTextSelection 1b582526-...`` (the element name and its GUID if it has one)."""
    name = local_name(el.tag)
    guid = el.get("guid")
    return f"{name} {guid}" if guid else name


def text_of(el: Element) -> str:
    """The text content of a simple element such as ``<Description>`` (empty if none)."""
    return "".join(el.itertext())
