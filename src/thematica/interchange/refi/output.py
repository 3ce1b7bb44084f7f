"""Finishing a REFI-QDA file: the origin it names, and validation against the schema if asked.

It is then put in place with :func:`thematica.safeio.files.write_atomically`, so a failure
never leaves a half-written archive or codebook behind.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from lxml import etree

from thematica.errors import InvalidInputError

__all__ = ["origin", "validate"]


def origin() -> str:
    """``Thematica <version>``: the ``origin`` written into every export."""
    try:
        return f"Thematica {metadata.version('thematica')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "Thematica"


def validate(xml: bytes, schema_path: Path, file: str) -> None:
    """Validate ``xml`` against the XSD at ``schema_path``; raise naming the first error."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        schema = etree.XMLSchema(etree.parse(str(schema_path), parser))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise InvalidInputError(f"cannot read the schema: {exc}", file=str(schema_path)) from None
    document = etree.fromstring(xml, parser)
    if not schema.validate(document):
        log: Any = schema.error_log  # lxml-stubs do not type the error log as a sequence
        first = log[0]
        raise InvalidInputError(
            f"the export does not validate against {schema_path.name}: {first.message}",
            file=file,
            line=first.line,
        )
