"""How a study wants its report laid out: chosen on the command line, else set in the study
record, else a stated default. Nothing here names a demo column.

Study-record items (``thematica record set ITEM VALUE``) the report reads:

* ``quote_attributes``: participant attributes shown after each quote's pseudonym, in order,
  separated by commas (e.g. ``setting, peer_role``). Default: none (the pseudonym alone).
* ``table1_attributes``: Table 1's attributes in order, each optionally with its label after
  ``=``, separated by commas or semicolons (``age=Age (years); gender=Gender``). Default: every
  attribute, by name, labelled by its name.
* ``page_size``: ``A4`` or ``Letter`` for the Word document. Default: by locale (``LC_PAPER``,
  ``LC_ALL`` or ``LANG``: Letter in the United States, Canada, Mexico, the Philippines and the
  other countries that use it; A4 elsewhere).

An attribute no participant holds is refused with a message naming the setting and the
attributes there are, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from thematica.domain.identifying import is_identifying
from thematica.errors import InvalidInputError

__all__ = [
    "LETTER_TERRITORIES",
    "PAGE_SIZES",
    "Table1Layout",
    "page_size",
    "quote_attributes",
    "table1_layout",
]

PAGE_SIZES = ("a4", "letter")
#: Territories (ISO 3166) where US Letter is the usual paper.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA"})
_SEPARATORS = re.compile(r"[;,\n]")
_TERRITORY = re.compile(r"^[a-z]{2,3}_([A-Z]{2})")


@dataclass(frozen=True, slots=True)
class Table1Layout:
    """Table 1's attributes in order (``None``: all, by name) and their labels."""

    attributes: tuple[str, ...] | None
    labels: Mapping[str, str]


def _items(value: str, separators: re.Pattern[str] = _SEPARATORS) -> list[str]:
    return [item.strip() for item in separators.split(value) if item.strip()]


def _known(names: Sequence[str], attributes: Collection[str], where: str) -> None:
    for name in names:
        if is_identifying(name):
            raise InvalidInputError(
                f"{where}: {name!r} holds real names (identifying; used only for "
                "de-identification), so no report shows it"
            )
    unknown = [name for name in names if name not in attributes]
    if unknown:
        known = ", ".join(sorted(attributes)) or "none"
        raise InvalidInputError(
            f"{where}: no participant has the attribute {unknown[0]!r} (attributes: {known})"
        )


def quote_attributes(
    chosen: Sequence[str] | None, record: Mapping[str, str], attributes: Collection[str]
) -> tuple[str, ...]:
    """The attributes shown after each quote: ``chosen`` (the command line), else the study
    record's ``quote_attributes``, else none."""
    if chosen is not None:
        names = [name.strip() for item in chosen for name in _items(item) if name.strip()]
        where = "--quote-attributes"
    else:
        names = _items(record.get("quote_attributes", ""), re.compile(r"[;,\n]"))
        where = "study record item quote_attributes"
    names = list(dict.fromkeys(names))
    _known(names, attributes, where)
    return tuple(names)


def table1_layout(record: Mapping[str, str], attributes: Collection[str]) -> Table1Layout:
    """Table 1's order and labels from the study record's ``table1_attributes``."""
    written = record.get("table1_attributes", "").strip()
    if not written:
        return Table1Layout(None, {})
    order: list[str] = []
    labels: dict[str, str] = {}
    for item in _items(written, re.compile(r";|\n") if ";" in written else _SEPARATORS):
        name, _, label = item.partition("=")
        name = name.strip()
        order.append(name)
        if label.strip():
            labels[name] = label.strip()
    _known(order, attributes, "study record item table1_attributes")
    return Table1Layout(tuple(dict.fromkeys(order)), labels)


def page_size(chosen: str | None, record: Mapping[str, str], environ: Mapping[str, str]) -> str:
    """``a4`` or ``letter``: ``chosen``, else the record's ``page_size``, else by locale."""
    for value, where in ((chosen, "--page-size"), (record.get("page_size"), "page_size")):
        if value and value.strip():
            size = value.strip().casefold().replace(" ", "")
            if size not in PAGE_SIZES:
                raise InvalidInputError(f"{where} must be A4 or Letter, not {value!r}")
            return size
    for name in ("LC_PAPER", "LC_ALL", "LANG"):
        found = _TERRITORY.match(environ.get(name, ""))
        if found:
            return "letter" if found.group(1) in LETTER_TERRITORIES else "a4"
    return "a4"
