"""Writing REFI-QDA XML as text: escaping, attributes, dates, and checks the schema would make.

The writer builds the XML as strings rather than a tree: it is several times faster for projects
with tens of thousands of codings, and the element order, which the schema fixes, is then plain
to read in :mod:`~thematica.interchange.refi.writer`. Everything written is checked here first, so
that a value the schema would refuse raises :class:`~thematica.errors.InvalidInputError` naming
the element, before any file is touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from thematica.errors import InvalidInputError
from thematica.interchange.refi.model import VARIABLE_TYPES, Guid, RefiCode

__all__ = ["Markup", "codes_xml", "description_xml"]

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
_VALUE_ELEMENT = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


class Markup:
    """Escaping and checking for one file being written (``file`` names it in errors)."""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, message: str, element: str) -> InvalidInputError:
        return InvalidInputError(message, file=self.file, element=element)

    def guid(self, value: str, element: str) -> str:
        if not _GUID.match(value):
            raise self.error(f"{value!r} is not a GUID", element)
        return value

    def text(self, value: str, element: str) -> str:
        """``value`` escaped for element content."""
        self._check(value, element)
        return value.translate(_TEXT)

    def attr(self, value: str, element: str) -> str:
        """``value`` escaped for a double-quoted attribute."""
        self._check(value, element)
        return value.translate(_ATTRIBUTE)

    def _check(self, value: str, element: str) -> None:
        bad = _NOT_XML.search(value)
        if bad is not None:
            raise self.error(
                f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry; "
                "remove it and export again",
                element,
            )

    def colour(self, value: str | None, element: str) -> str:
        if value is None:
            return ""
        if not _RGB.match(value):
            raise self.error(f"colour {value!r} is not #rrggbb or #rgb", element)
        return f' color="{value}"'

    def user(self, name: str, value: str | None, element: str) -> str:
        """An optional user-GUID attribute (`` creatingUser="..."``) or nothing."""
        return "" if value is None else f' {name}="{self.guid(value, element)}"'

    @staticmethod
    def date(name: str, value: datetime | None) -> str:
        """An optional ``xsd:dateTime`` attribute; UTC is written with ``Z``."""
        if value is None:
            return ""
        text = value.isoformat()
        if text.endswith("+00:00"):
            text = text[:-6] + "Z"
        return f' {name}="{text}"'

    def value(self, type_of_variable: str, value: str, element: str) -> str:
        """A ``<XxxValue>`` element for a variable of ``type_of_variable``, checked."""
        if type_of_variable not in _VALUE_ELEMENT:
            raise self.error(
                f"typeOfVariable {type_of_variable!r} is not one of {', '.join(VARIABLE_TYPES)}",
                element,
            )
        tag = _VALUE_ELEMENT[type_of_variable]
        if not _fits(type_of_variable, value.strip()):
            raise self.error(f"{value!r} is not a {type_of_variable} value", element)
        if type_of_variable != "Text":
            value = value.strip()
        return f"<{tag}>{self.text(value, element)}</{tag}>"


def _fits(type_of_variable: str, value: str) -> bool:
    try:
        if type_of_variable == "Boolean":
            return value in ("true", "false", "1", "0")
        if type_of_variable == "Integer":
            int(value)
        elif type_of_variable == "Float":
            Decimal(value)
            return bool(re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value))
        elif type_of_variable == "Date":
            date.fromisoformat(value)
        elif type_of_variable == "DateTime":
            return "T" in value and bool(datetime.fromisoformat(value))
    except (ValueError, InvalidOperation):
        return False
    return True


def codes_xml(
    codes: Sequence[RefiCode],
    markup: Markup,
    notes: Mapping[Guid, list[Guid]] | None,
    *,
    with_notes: bool = True,
) -> list[str]:
    """A ``<Codes>`` tree; ``notes`` maps a code GUID to the notes on it (projects only)."""
    if not codes:
        raise markup.error("a codebook needs at least one code", "Codes")
    parts = ["<Codes>"]

    def code(c: RefiCode) -> None:
        where = f"Code {c.guid}"
        parts.append(
            f'<Code guid="{markup.guid(c.guid, where)}" name="{markup.attr(c.name, where)}" '
            f'isCodable="{"true" if c.is_codable else "false"}"{markup.colour(c.color, where)}'
        )
        body = description_xml(c.description, markup, where)
        if with_notes and notes:
            body += [f'<NoteRef targetGUID="{n}"/>' for n in notes.get(c.guid, ())]
        if not body and not c.children:
            parts.append("/>")
            return
        parts.append(">")
        parts.extend(body)
        for child in c.children:
            code(child)
        parts.append("</Code>")

    for c in codes:
        code(c)
    parts.append("</Codes>")
    return parts


def description_xml(text: str, markup: Markup, where: str) -> list[str]:
    return [f"<Description>{markup.text(text, where)}</Description>"] if text else []
