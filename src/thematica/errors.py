"""The one exception tree of Thematica.

Every error a researcher can meet is a :class:`ThematicaError`. Adapters translate the tree once:
the CLI into a one-line message and an exit code, the web layer into one problem-JSON shape.
Messages are written for researchers, and name the file, line, element or span at fault.

::

    ThematicaError
    ├── NotFoundError             a study, document, code, coder ... that does not exist
    ├── ConflictError             the request clashes with what is stored (duplicate names, cycles)
    ├── PermissionDeniedError     the actor may not do this
    ├── InvalidInputError         bad input; carries where: file, line, element, span
    │   └── SpanError             a span outside the text, empty or reversed
    ├── StorageError              the database cannot be opened, is too new, or is unreachable
    ├── OutputError               a file cannot be written (disk full, no permission, read-only)
    └── UndefinedStatisticError   a statistic has no defined value for this data

    ThematicaWarning
    └── UndefinedStatisticWarning a statistic is undefined and was returned as NaN
"""

from __future__ import annotations

__all__ = [
    "ConflictError",
    "InvalidInputError",
    "NotFoundError",
    "OutputError",
    "PermissionDeniedError",
    "SpanError",
    "StorageError",
    "ThematicaError",
    "ThematicaWarning",
    "UndefinedStatisticError",
    "UndefinedStatisticWarning",
]


class ThematicaError(Exception):
    """Base of every error Thematica raises on purpose."""

    #: The process exit code the CLI uses for this kind of error.
    exit_code: int = 1
    #: A short machine-readable kind, used in the web problem-JSON ``type``.
    kind: str = "error"


class NotFoundError(ThematicaError):
    """Something named by the user does not exist."""

    exit_code = 3
    kind = "not-found"


class ConflictError(ThematicaError):
    """The request clashes with what is already stored."""

    exit_code = 4
    kind = "conflict"


class PermissionDeniedError(ThematicaError):
    """The actor may not do this."""

    exit_code = 5
    kind = "permission-denied"


class InvalidInputError(ThematicaError):
    """Input that cannot be accepted, with where it went wrong.

    ``file``, ``line``, ``element`` and ``span`` are each optional; the message names those given.
    """

    exit_code = 2
    kind = "invalid-input"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        element: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.line = line
        self.element = element
        self.span = span
        super().__init__(self._render())

    def _render(self) -> str:
        where: list[str] = []
        if self.file is not None:
            where.append(self.file if self.line is None else f"{self.file}, line {self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.element is not None:
            where.append(self.element)
        if self.span is not None:
            where.append(f"span [{self.span[0]}, {self.span[1]})")
        message = f"{': '.join(where)}: {self.reason}" if where else self.reason
        # One line, always: a reason may quote input (a header row, a parser's message) that
        # holds line breaks.
        lines = message.splitlines()
        return " ".join(lines) if len(lines) > 1 else message


class SpanError(InvalidInputError):
    """A span that is empty, reversed, or outside its document's text."""


class StorageError(ThematicaError):
    """The database cannot be opened, is from a newer version, or is unreachable."""

    exit_code = 6
    kind = "storage"


class OutputError(ThematicaError):
    """A file cannot be written: the disk is full, the folder is read-only or not there, or
    permission is refused. The message names the file; nothing half-written is left behind."""

    exit_code = 8
    kind = "output"

    def __init__(self, message: str, *, file: str) -> None:
        self.reason = message
        self.file = file
        super().__init__(f"{file}: {message}")


class UndefinedStatisticError(ThematicaError):
    """A statistic has no defined value for the data given (and the caller asked to raise)."""

    exit_code = 7
    kind = "undefined-statistic"


class ThematicaWarning(UserWarning):
    """Base of Thematica's warnings."""


class UndefinedStatisticWarning(ThematicaWarning):
    """A statistic is undefined for the data given; NaN was returned.

    Raised, for example, when every rating falls in one category (expected disagreement is zero)
    or when no unit was rated by two or more coders.
    """
