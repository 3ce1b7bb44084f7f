"""The registry of transcript formats.

Built-in formats register themselves exactly as a plugin would, through :func:`register_format`.
A reader takes the file's bytes and its name (for messages) and returns an :class:`ImportedText`.
A third-party package adds a format by declaring an entry point in the group ``thematica.formats``
whose object is a function of no arguments that calls :func:`register_format`::

    [project.entry-points."thematica.formats"]
    nvivo_txt = "my_package.formats:register"

Every registered format, built in or not, must pass ``tests/interchange/test_format_conformance``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from thematica.domain.study import Turn
from thematica.errors import InvalidInputError, ThematicaError
from thematica.safeio.files import DEFAULT_MAX_BYTES, read_file

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ENTRY_POINT_GROUP",
    "ImportedText",
    "Reader",
    "format_names",
    "read_limited",
    "read_transcript",
    "reader_for",
    "register_format",
    "supported_suffixes",
]

ENTRY_POINT_GROUP = "thematica.formats"


@dataclass(frozen=True, slots=True)
class ImportedText:
    """A transcript as read from a file: canonical text, its turns, and where it came from."""

    text: str
    turns: Sequence[Turn]
    source_format: str
    #: ``(key, value)`` lines of a transcription service's header (``Date``, ``Duration`` ...).
    header: tuple[tuple[str, str], ...] = ()
    #: What the reader noticed and the researcher should know (a truncated file, control
    #: characters replaced ...), shown at import.
    notices: tuple[str, ...] = ()
    #: True when the turns were found in the text by ``speakers.detect_turns`` (so they may be
    #: found again with a user's ``--speaker-pattern`` or known names); False when the file
    #: itself said who spoke (subtitle cues, a table of utterances).
    detected: bool = True


Reader = Callable[[bytes, str], ImportedText]
_READERS: dict[str, tuple[str, Reader]] = {}


def register_format(name: str, suffixes: tuple[str, ...], reader: Reader) -> None:
    """Register ``reader`` for files ending in any of ``suffixes`` (e.g. ``(".txt",)``)."""
    for suffix in suffixes:
        _READERS[suffix.lower()] = (name, reader)


def supported_suffixes() -> list[str]:
    _load_builtins()
    return sorted(_READERS)


def format_names() -> dict[str, str]:
    """``suffix -> format name`` for every registered format."""
    _load_builtins()
    return {suffix: name for suffix, (name, _) in sorted(_READERS.items())}


def reader_for(path: Path) -> Reader:
    _load_builtins()
    try:
        return _READERS[path.suffix.lower()][1]
    except KeyError:
        known = ", ".join(sorted(_READERS))
        raise InvalidInputError(
            f"unsupported file type {path.suffix or '(none)'!r}; supported: {known}",
            file=str(path),
        ) from None


def read_transcript(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ImportedText, bytes]:
    """Read a transcript file with the reader registered for its suffix.

    Returns the imported text and the original bytes (kept for the content hash).
    """
    reader = reader_for(path)
    data = read_limited(path, max_bytes=max_bytes)
    if not data:
        raise InvalidInputError("the file is empty", file=str(path))
    return reader(data, str(path)), data


def read_limited(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a file to import, refused (naming the file) when it is missing, unreadable,
    not a regular file, or over ``max_bytes`` (counted on the bytes read, not the size the file
    system reports)."""
    return read_file(
        path,
        max_bytes=max_bytes,
        hint=" (raise it with --max-size or THEMATICA_MAX_IMPORT_MB if this really is one file)",
    )


_loaded = False


def _load_builtins() -> None:
    """Register the built-in formats, then any a plugin declares (so a plugin can override one)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from thematica.interchange import (
        opendocument,
        pdf,
        plaintext,
        rtf,
        subtitles,
        webpage,
        word,
    )

    for module in (plaintext, word, opendocument, pdf, rtf, webpage, subtitles):
        module.register()
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry_point.load()()
        except Exception as exc:  # a broken plugin must not look like a broken transcript
            raise ThematicaError(
                f"the format plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
                f"{type(exc).__name__}: {exc}; uninstall or fix it"
            ) from exc
