"""Files in and out, with the errors a researcher can act on: :func:`read_file` names a file
that is missing or unreadable, and :func:`write_atomically` never leaves one half-written (a
temporary file beside it, moved into place in one step). Every reader and writer in
``interchange`` (and the services' own small files) goes through them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from thematica.errors import InvalidInputError

__all__ = ["read_file", "write_atomically"]


def read_file(path: Path) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is an error naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=str(path)) from exc


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
