"""Files in and out, bounded and never half-written.

Reading: :func:`read_file` opens the path once, refuses anything that is not a regular file (a
FIFO would block forever, a symlink to ``/dev/zero`` has ``st_size`` 0 and never ends, a folder
or a device is no file to import) and counts the bytes it really reads against the limit, so a
file that grows, or lies about its size, is refused one byte past the limit.

Writing: :func:`write_atomically` and :func:`staged_path` never leave a file half-written and
never leave a hidden temporary behind a finished or failed run. The one file-mode policy: a file
that replaces another keeps the old one's permissions; a new file gets the user's usual mode
(``0666`` less the umask). Every disk error (full, read-only, no permission, no folder) is one
:class:`~thematica.errors.OutputError` naming the file. On Linux the bytes go to an unnamed
``O_TMPFILE`` that only gets a name once it is complete, so even a run killed mid-write leaves
nothing; elsewhere the temporary's name carries the process id, and the next write beside it
removes temporaries whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from thematica.errors import InvalidInputError, OutputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DATABASE_BYTES",
    "new_file_mode",
    "read_file",
    "regular_size",
    "staged_path",
    "write_atomically",
]

#: The most any reader takes from one file unless told otherwise (a transcript is rarely over a
#: few megabytes; a whole project database may be raised to more by its caller).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: The most a project database (QualCoder, Taguette) may hold; it is read whole to be hashed.
MAX_DATABASE_BYTES = 1024 * 1024 * 1024
_CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, hint: str = "") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Refused in one line naming the file: missing, unreadable, not a regular file (after
    following symlinks), or longer than ``max_bytes`` (``hint`` is added to that message: how
    to raise the limit).
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=name) from None
    except IsADirectoryError:
        raise InvalidInputError("not a regular file: it is a folder", file=name) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            kind = next((k for test, k in _KINDS if test(status.st_mode)), "not a plain file")
            raise InvalidInputError(
                f"not a regular file: it is {kind}; import a saved file instead", file=name
            )
        if status.st_size > max_bytes:
            raise InvalidInputError(
                f"the file is {status.st_size:,} bytes, over the import limit of "
                f"{max_bytes:,}{hint}",
                file=name,
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew, or its size was not what it said
                raise InvalidInputError(
                    f"the file holds more than the import limit of {max_bytes:,} bytes{hint}",
                    file=name,
                )
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def regular_size(path: Path) -> int:
    """The size of ``path`` once it is known to be a regular file (after following symlinks),
    for readers that open the file themselves (a zip, an SQLite database); refused in one line
    otherwise, so that nothing ever blocks on a FIFO or reads a device."""
    name = str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=name) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the file: {exc.strerror}", file=name) from None
    if not stat.S_ISREG(status.st_mode):
        kind = next((k for test, k in _KINDS if test(status.st_mode)), "not a plain file")
        raise InvalidInputError(
            f"not a regular file: it is {kind}; import a saved file instead", file=name
        )
    return status.st_size


_UMASK: int | None = None
#: False once this process found that unnamed files cannot be linked into place here.
_LINKABLE = True


def new_file_mode(replacing: Path | None = None) -> int:
    """The permissions a written file gets: those of the file it replaces, else ``0666`` less
    the user's umask (the mode any program of theirs would give a new file)."""
    global _UMASK
    if replacing is not None:
        with contextlib.suppress(OSError):
            return stat.S_IMODE(replacing.stat().st_mode)
    if _UMASK is None:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK = current
    return 0o666 & ~_UMASK


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through ``write`` into a file that appears at ``path`` only once complete.

    An exception from ``write`` leaves ``path`` as it was (and no temporary); a disk error is
    an :class:`OutputError` naming ``path``.
    """
    _sweep(path)
    mode = new_file_mode(path)
    fd = _unnamed(path.parent)
    if fd is None:
        with staged_path(path) as staged, _failing_as_output(path), open(staged, "wb") as handle:
            write(handle)
        return
    try:
        with _failing_as_output(path):
            with os.fdopen(fd, "r+b", closefd=False) as handle:
                write(handle)
            os.fchmod(fd, mode)
            if not _link_into_place(fd, path):
                # Some file systems (overlays) refuse to name an unnamed file: copy it instead.
                os.lseek(fd, 0, os.SEEK_SET)
                with (
                    staged_path(path) as staged,
                    open(staged, "wb") as out,
                    os.fdopen(fd, "rb", closefd=False) as unnamed,
                ):
                    shutil.copyfileobj(unnamed, out)
    finally:
        os.close(fd)


def _link_into_place(fd: int, path: Path) -> bool:
    """Give the unnamed file ``fd`` a temporary name and move it onto ``path``; False (and
    nothing named) where the file system does not allow it."""
    global _LINKABLE
    linked = _temporary_name(path)
    try:
        os.link(f"/proc/self/fd/{fd}", linked, follow_symlinks=True)
    except OSError as exc:
        if exc.errno in (errno.EXDEV, errno.ENOENT, errno.EPERM, errno.EOPNOTSUPP):
            _LINKABLE = False
            return False
        raise
    try:
        os.replace(linked, path)
    finally:
        linked.unlink(missing_ok=True)
    return True


@contextlib.contextmanager
def staged_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write by name (a library that saves to a path);
    moved onto ``path`` when the block ends without an error, removed otherwise."""
    _sweep(path)
    staged = _temporary_name(path)
    mode = new_file_mode(path)
    try:
        with _failing_as_output(path):
            staged.touch(mode=0o600, exist_ok=False)
            yield staged
            os.chmod(staged, mode)
            os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)


@contextlib.contextmanager
def _failing_as_output(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        why = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            why = "the disk is full"
        raise OutputError(f"cannot write the file: {why}", file=str(path)) from exc


def _unnamed(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where there is none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not _LINKABLE or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system without O_TMPFILE: fall back to a named temporary
        raise OutputError(
            f"cannot write the file: {exc.strerror}", file=str(folder / "(new file)")
        ) from exc


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")


def _sweep(path: Path) -> None:
    """Remove temporaries for ``path`` left by processes that no longer run (a killed run)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[0-9a-f]{{8}}\.part")
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            found = pattern.fullmatch(entry.name)
            if found and not _alive(int(found.group(1))):
                with contextlib.suppress(OSError):
                    entry.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True
