"""Opening another tool's SQLite project database (QualCoder's ``data.qda``, a Taguette
database) with every read bounded.

Only a regular file is opened (a FIFO would hang, a device never ends), no larger than
``max_bytes``; it is hashed in chunks (the hash names the GUIDs derived from it), never read
whole; and :func:`check_text_sizes` refuses a source whose text is over the per-source limit by
asking SQLite for its length before the text itself is fetched.
"""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

from thematica.errors import InvalidInputError

__all__ = ["DEFAULT_MAX_DATABASE_BYTES", "check_text_sizes", "open_project_database"]

#: The largest project database read (2 GiB), whatever the per-source limit.
DEFAULT_MAX_DATABASE_BYTES = 2 * 1024**3
_HEADER = b"SQLite format 3\x00"
_CHUNK = 1024 * 1024


def open_project_database(
    path: Path, what: str, *, max_bytes: int = DEFAULT_MAX_DATABASE_BYTES, file: str | None = None
) -> tuple[sqlite3.Connection, str]:
    """A read-only connection to the SQLite database at ``path`` and the SHA-256 of its bytes.

    ``what`` names the kind of project in messages ("QualCoder project"); ``file`` is the name
    messages use (``path`` by default).
    """
    name = file or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=name) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInputError(f"not a {what}: not a regular file", file=name)
    if info.st_size > max_bytes:
        raise InvalidInputError(
            f"the database is {info.st_size:,} bytes, over the limit of {max_bytes:,}", file=name
        )
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_HEADER))
            if header != _HEADER:
                raise InvalidInputError(f"not a {what}: not an SQLite database", file=name)
            digest.update(header)
            read = len(header)
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > max_bytes:  # it grew while being read
                    raise InvalidInputError(
                        f"the database is over the limit of {max_bytes:,} bytes", file=name
                    )
                digest.update(chunk)
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInputError(f"cannot open the database: {exc}", file=name) from None
    return connection, digest.hexdigest()


def check_text_sizes(
    db: sqlite3.Connection,
    table: str,
    column: str,
    limit: int | None,
    *,
    file: str,
    key: str = "id",
    where: str = "",
    args: tuple[object, ...] = (),
) -> None:
    """Refuse, naming the row, any ``table.column`` value over ``limit`` bytes (as UTF-8), asked
    of SQLite before the value is fetched."""
    if limit is None:
        return
    sql = (
        f'SELECT "{key}", length(CAST("{column}" AS BLOB)) FROM "{table}" '
        f'WHERE length(CAST("{column}" AS BLOB)) > ? {where} LIMIT 1'
    )
    row = db.execute(sql, (limit, *args)).fetchone()
    if row is not None:
        raise InvalidInputError(
            f"its {column} is {row[1]:,} bytes, over the limit of {limit:,} for one source "
            "(raise it with --max-source-mb if it really is one text)",
            file=file,
            element=f"{table} {row[0]}",
        )
