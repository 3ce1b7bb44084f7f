"""Reading a zip archive (``.qdpx``, ``.docx``, ``.odt``, ``.xlsx``) safely, entirely in memory.

Nothing is ever extracted to disk. Before a byte is inflated the archive is refused if a member's
name is absolute or climbs out with ``..`` (path traversal), if the sizes its headers declare add up
to more than ``max_total_bytes``, or if a large member claims to inflate more than ``max_ratio``
times (a zip bomb). Headers can lie, so every read also counts the bytes it really gets and stops
one byte past what is allowed.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from thematica.errors import InvalidInputError
from thematica.safeio.files import regular_size

__all__ = [
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_TOTAL_BYTES",
    "SafeArchive",
    "open_archive",
    "open_archive_bytes",
]

#: The most an archive may inflate to, all members together (2 GiB).
DEFAULT_MAX_TOTAL_BYTES = 2 * 1024**3
#: The most a member over :data:`_RATIO_FLOOR` bytes may inflate relative to its compressed size.
#: Interview text and REFI XML compress 3-10 times; a zip bomb, about a thousand times.
DEFAULT_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class SafeArchive:
    """An open archive whose member names and declared sizes have been checked."""

    name: str
    zf: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    max_total_bytes: int
    read_so_far: int = 0
    _folded: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name in self.members:
            self._folded.setdefault(name.replace("\\", "/").lower(), name)

    def close(self) -> None:
        self.zf.close()

    def find(self, member: str) -> str | None:
        """The member whose name matches ``member`` ignoring case (and ``\\`` for ``/``)."""
        key = member.replace("\\", "/").lower()
        for candidate in (key, unquote(key)):
            if candidate in self._folded:
                return self._folded[candidate]
        return None

    def read(self, member: str) -> bytes:
        """The bytes of ``member``, counted as they are inflated against the size limits."""
        info = self.members[member]
        allowed = min(info.file_size, self.max_total_bytes - self.read_so_far)
        where = f"{self.name}: {member}"
        try:
            with self.zf.open(info) as handle:
                # One byte more than allowed: if it arrives, the header lied about the size.
                data = handle.read(allowed + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, IndexError) as exc:
            # zipfile meets damaged headers with OSError, ValueError (negative seeks, undecodable
            # names) or IndexError, not only BadZipFile (found by scripts/fuzz_readers.py)
            raise InvalidInputError(
                f"the archive is damaged or truncated ({exc})", file=where
            ) from None
        except NotImplementedError as exc:
            raise InvalidInputError(
                f"this member is compressed with a method that cannot be read ({exc})", file=where
            ) from None
        if len(data) > allowed:
            raise InvalidInputError(
                "this member inflates to more than its header declares or the size limit "
                f"allows ({allowed:,} bytes): refused as a possible zip bomb",
                file=where,
            )
        self.read_so_far += len(data)
        return data


def open_archive(
    path: Path,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> SafeArchive:
    """Open ``path`` as a zip archive and check every member's name and declared size."""
    name = str(path)
    if regular_size(path) == 0:
        raise InvalidInputError("the file is empty", file=name)
    return _open(path, name, "REFI-QDA project", max_total_bytes, max_ratio)


def open_archive_bytes(
    data: bytes,
    name: str,
    *,
    what: str = "zip archive",
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> SafeArchive:
    """Open ``data`` (already read, e.g. a ``.docx``) as a zip archive, with the same checks.

    ``what`` names the kind of file in the message when it is not a zip ("Word document").
    """
    if not data:
        raise InvalidInputError("the file is empty", file=name)
    return _open(io.BytesIO(data), name, what, max_total_bytes, max_ratio)


def _open(
    source: Path | io.BytesIO, name: str, what: str, max_total_bytes: int, max_ratio: float
) -> SafeArchive:
    """The zip at ``source`` with every member checked; any failure to open it is one line."""
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise InvalidInputError(
            f"not a readable {what}: the file is not a zip archive, or it is truncated", file=name
        ) from None
    except (OSError, EOFError, ValueError, IndexError, NotImplementedError) as exc:
        raise InvalidInputError(f"cannot open the {what}: {exc}", file=name) from None
    try:
        members = _checked_members(zf, name, max_total_bytes, max_ratio)
    except BaseException:
        zf.close()
        raise
    return SafeArchive(name, zf, members, max_total_bytes)


def _checked_members(
    zf: zipfile.ZipFile, name: str, max_total_bytes: int, max_ratio: float
) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in zf.infolist():
        member = info.filename
        where = f"{name}: {member}"
        if not member:  # zipfile's is_dir() fails on it (found by scripts/fuzz_readers.py)
            raise InvalidInputError("the archive holds a member without a name", file=name)
        _check_member_name(member, where)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise InvalidInputError(
                "this member is encrypted; export the project without a password", file=where
            )
        if member in members:
            raise InvalidInputError("the archive holds two members with this name", file=where)
        declared += info.file_size
        if declared > max_total_bytes:
            raise InvalidInputError(
                f"the archive would inflate to more than {max_total_bytes:,} bytes: "
                "refused as a possible zip bomb (raise the limit if a project is really this big)",
                file=name,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > max_ratio:
            raise InvalidInputError(
                f"this member inflates {ratio:,.0f} times "
                f"(more than {max_ratio:,.0f}): refused as a possible zip bomb",
                file=where,
            )
        members[member] = info
    return members


def _check_member_name(member: str, where: str) -> None:
    """Refuse absolute names and names that climb out of the archive (``../``)."""
    unified = member.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        raise InvalidInputError(
            "the archive holds a member with an absolute path: refused", file=where
        )
    if ".." in PurePosixPath(unified).parts:
        raise InvalidInputError(
            "the archive holds a member whose path climbs out of it ('..'): refused", file=where
        )
