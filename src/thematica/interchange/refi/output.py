"""Putting a finished REFI-QDA file in place: validated if asked, and atomically.

A file is written to a temporary file beside its target and moved over it in one step only when
complete, so a failure never leaves a half-written archive or codebook behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from thematica.errors import InvalidInputError

__all__ = ["origin", "validate", "write_atomically"]


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


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write to a temporary file beside ``path``, then move it into place in one step."""
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except OSError as exc:
        raise InvalidInputError(f"cannot write the file: {exc.strerror}", file=str(path)) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
