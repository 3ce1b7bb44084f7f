"""Writing a file so that it is never left half-written: to a temporary file beside it, then
moved into place in one step. Every writer in ``interchange`` (and the services' own small
files) puts its output in place this way."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from thematica.errors import InvalidInputError

__all__ = ["write_atomically"]


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
